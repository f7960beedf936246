/* Consumer of a vendored occam: fit y = 1 + 2 x exactly, round-trip the model
 * through serialize/deserialize and predict at x = 10 (expected 21). */
#include <occam.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    const double x[5] = {0, 1, 2, 3, 4}, y[5] = {1, 3, 5, 7, 9}, xnew[1] = {10};
    occam_model *m = NULL, *copy = NULL;
    double coef[2] = {0, 0}, pred[1] = {0};
    size_t need = 0;
    void *buf = NULL;
    int rc = occam_linear_new(&m);
    if (rc == OCCAM_OK)
        rc = occam_model_fit(m, NULL, x, 5, 1, 5, OCCAM_COL_MAJOR, y, NULL, NULL);
    if (rc == OCCAM_W_PERFECT_FIT) /* exact data: R's summary.lm warns too; the fit is valid */
        rc = OCCAM_OK;
    if (rc == OCCAM_OK)
        rc = occam_model_coef(m, OCCAM_COEF_ESTIMATE, coef, 2);
    if (rc == OCCAM_OK && occam_model_serialize(m, NULL, 0, &need) == OCCAM_E_BUFFER_TOO_SMALL &&
        (buf = malloc(need)) != NULL)
        rc = occam_model_serialize(m, buf, need, &need);
    if (rc == OCCAM_OK)
        rc = occam_model_deserialize(buf, need, &copy);
    if (rc == OCCAM_OK)
        rc = occam_model_predict(copy, OCCAM_PREDICT_RESPONSE, 0, xnew, 1, 1, 1, OCCAM_ROW_MAJOR, NULL,
                                 pred, NULL, 1);
    free(buf);
    occam_model_free(m);
    occam_model_free(copy);
    if (rc != OCCAM_OK) {
        printf("occam failed: %s (%s)\n", occam_status_name(rc), occam_last_error());
        return 1;
    }
    printf("vendored occam %s: y = %.12g + %.12g x, y(10) = %.12g\n", occam_version_string(), coef[0], coef[1],
           pred[0]);
    return fabs(coef[0] - 1) < 1e-12 && fabs(coef[1] - 2) < 1e-12 && fabs(pred[0] - 21) < 1e-11 ? 0 : 1;
}
