/*
 * check_glm_predict.c -- GLM prediction (lib/glm_predict.c) against R 4.2.2
 * predict.glm(fit, newdata, type = "link" / "response", se.fit = TRUE) on
 * the first rows of every extra reference case (the "predict" block of
 * tests/data/glm/extra/ *.json, made by make_extra.R; offsets included,
 * rank-deficient fits included): fits and standard errors relative 1e-6.
 * Also: predicting the fitting rows reproduces R's fitted values and linear
 * predictors (1e-6); statuses for a wrong type, wrong p, small buffer, NaN
 * in new X; predictions are deterministic (two calls bit-identical).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glm_case.h"

static char *cases[GLM_MAX_CASES];
static int ncases;

static void cmp(const char *id, const char *what, const double *got, const cJSON *want, int64_t n)
{
    int64_t len;
    double *w = tu_json_array(want, &len);
    ck_assert_int_eq(len, n);
    for (int64_t i = 0; i < n; i++) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s: %s[%lld]", id, what, (long long)i);
        TU_ASSERT_REL(got[i], w[i], 1e-6, msg);
    }
    free(w);
}

START_TEST(test_predict_vs_r)
{
    glm_case c = glm_load_case(cases[_i]);
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(c.j, "predict");
    if (pr == NULL) { /* shipped cases carry no predict.glm block: check fitted values instead */
        occam_model *m;
        ck_assert(glm_fit_case(&c, OCCAM_SOLVER_QR, &m) >= 0);
        int64_t h = c.n < 10 ? c.n : 10;
        double *out = malloc((size_t)c.n * sizeof(double));
        ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR,
                                             c.has_off ? c.off : NULL, out, NULL, c.n),
                         OCCAM_OK);
        int64_t len;
        double *fv = tu_json_array(tu_json_get(c.j, "fitted_values_head"), &len);
        for (int64_t i = 0; i < h; i++) TU_ASSERT_REL(out[i], fv[i], 1e-6, c.id);
        ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_LINK, 0, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR,
                                             c.has_off ? c.off : NULL, out, NULL, c.n),
                         OCCAM_OK);
        free(fv);
        fv = tu_json_array(tu_json_get(c.j, "linear_predictors_head"), &len);
        for (int64_t i = 0; i < h; i++) TU_ASSERT_REL(out[i], fv[i], 1e-6, c.id);
        free(fv);
        free(out);
        occam_model_free(m);
        glm_case_free(&c);
        return;
    }
    occam_model *m;
    ck_assert(glm_fit_case(&c, OCCAM_SOLVER_QR, &m) >= 0);
    int64_t nr;
    double *rows = tu_json_array(tu_json_get(pr, "rows"), &nr);
    double *Xn = malloc((size_t)(nr * (c.p > 0 ? c.p : 1)) * sizeof(double)), *off = malloc((size_t)nr * sizeof(double));
    for (int64_t i = 0; i < nr; i++) {
        int64_t r = (int64_t)rows[i] - 1;
        for (int64_t j = 0; j < c.p; j++) Xn[i + j * nr] = c.X[r + j * c.n];
        off[i] = c.off[r];
    }
    double *fit = malloc((size_t)nr * sizeof(double)), *se = malloc((size_t)nr * sizeof(double));
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_LINK, 0, Xn, nr, c.p, nr, OCCAM_COL_MAJOR,
                                         c.has_off ? off : NULL, fit, se, nr),
                     OCCAM_OK);
    cmp(c.id, "link fit", fit, tu_json_get(pr, "link_fit"), nr);
    cmp(c.id, "link se", se, tu_json_get(pr, "link_se"), nr);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, Xn, nr, c.p, nr, OCCAM_COL_MAJOR,
                                         c.has_off ? off : NULL, fit, se, nr),
                     OCCAM_OK);
    cmp(c.id, "response fit", fit, tu_json_get(pr, "response_fit"), nr);
    cmp(c.id, "response se", se, tu_json_get(pr, "response_se"), nr);
    /* deterministic */
    double *fit2 = malloc((size_t)nr * sizeof(double)), *se2 = malloc((size_t)nr * sizeof(double));
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, Xn, nr, c.p, nr, OCCAM_COL_MAJOR,
                                         c.has_off ? off : NULL, fit2, se2, nr),
                     OCCAM_OK);
    ck_assert(memcmp(fit, fit2, (size_t)nr * sizeof(double)) == 0 && memcmp(se, se2, (size_t)nr * sizeof(double)) == 0);
    free(rows), free(Xn), free(off), free(fit), free(se), free(fit2), free(se2);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

START_TEST(test_predict_statuses)
{
    glm_case c = glm_load_case("glm/dobson_poisson_log.json");
    occam_model *m;
    double out[9], se[9];
    ck_assert_int_eq(occam_glm_new(c.family, c.link, &m), OCCAM_OK);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_LINK, 0, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, NULL, out,
                                         NULL, 9),
                     OCCAM_E_NOT_FITTED);
    occam_model_free(m);
    ck_assert_int_eq(glm_fit_case(&c, OCCAM_SOLVER_QR, &m) >= 0, 1);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PALIVE, 0, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, NULL,
                                         out, NULL, 9),
                     OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_model_predict(m, 77, 0, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, NULL, out, NULL, 9),
                     OCCAM_E_UNKNOWN_ENUM);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_LINK, 0, c.X, c.n, c.p - 1, c.n, OCCAM_COL_MAJOR, NULL,
                                         out, NULL, 9),
                     OCCAM_E_DIM_MISMATCH);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_LINK, 0, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, NULL, out,
                                         se, 8),
                     OCCAM_E_BUFFER_TOO_SMALL);
    c.X[3] = NAN;
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_LINK, 0, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, NULL, out,
                                         se, 9),
                     OCCAM_E_NONFINITE);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

int main(void)
{
    ncases = glm_list_cases(cases, GLM_MAX_CASES);
    Suite *s = suite_create("glm_predict");
    TCase *tc = tcase_create("predict");
    tcase_add_loop_test(tc, test_predict_vs_r, 0, ncases);
    tcase_add_test(tc, test_predict_statuses);
    suite_add_tcase(s, tc);
    int rc = tu_run_suite(s);
    for (int i = 0; i < ncases; i++) free(cases[i]);
    return rc;
}
