/* A 10-line consumer of an installed occam: hand-coded model, predict. */
#include <occam.h>
#include <stdio.h>
int main(void) {
    occam_model *m = NULL;
    const double coef[2] = {2.0, -1.0}, x[2] = {3.0, 4.0};
    double out[1];
    if (occam_linear_new(&m) || occam_linear_set_coef(m, 1, 0.5, coef, 2) ||
        occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, x, 1, 2, 2, OCCAM_ROW_MAJOR, NULL, out, NULL, 1)) return 1;
    printf("occam %s: 0.5 + 2*3 - 1*4 = %g\n", occam_version_string(), out[0]);
    occam_model_free(m);
    return out[0] == 2.5 ? 0 : 1;
}
