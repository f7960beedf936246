/*
 * check_gg.c -- lib/gg.c, gg_fit.c, gg_loglik.c, gg_io.c: the Gamma-Gamma
 * spend model.
 *
 * Reference: tests/data/clv (../shared/reference/clv: mpmath at 60 digits,
 * checked by a second route): the fit on cdnow_spend.csv (2,357 customers,
 * 946 with x > 0) gives the MLE p, q, gamma within 1e-6 relative, the
 * log-likelihood within 1e-8 relative and the standard errors within 1e-4
 * relative (issue 13's tolerances); the log-likelihood at the published
 * GG_FH2013 and at GG_MLE12 parameters within 1e-9 absolute (the README's
 * tolerance for a total LL at fixed parameters); the conditional expected
 * spend E[M | x, m_x] of customers 1..10 at GG_MLE12 and GG_FH2013 within
 * 1e-8 relative (the models given by occam_gg_set_params); the correlation
 * of x and m_x against a direct computation here.  A fitted model saved and
 * loaded predicts bit-identically.  Errors: bad rows, too few customers,
 * wrong types.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "occam.h"

static double *spend_X(tu_csv *c, int64_t *n)
{
    *c = tu_load_csv("clv/cdnow_spend.csv");
    *n = c->nrows;
    double *X = malloc((size_t)c->nrows * 2 * sizeof *X);
    memcpy(X, tu_csv_column(c, tu_csv_col(c, "x")), (size_t)c->nrows * sizeof *X);
    memcpy(X + c->nrows, tu_csv_column(c, tu_csv_col(c, "m_x")), (size_t)c->nrows * sizeof *X);
    return X;
}

static double num(const cJSON *o, const char *k) { return tu_json_num(tu_json_get(o, k)); }

START_TEST(test_cdnow_mle)
{
    cJSON *root = tu_load_json("clv/shared.json");
    const cJSON *mle = tu_json_get(tu_json_get(root, "gamma_gamma"), "mle");
    tu_csv c;
    int64_t n = 0;
    double *X = spend_X(&c, &n);
    occam_model *m = NULL;
    ck_assert_int_eq(occam_gg_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, X, n, 2, n, OCCAM_COL_MAJOR, NULL, NULL, NULL), OCCAM_OK);
    double est[3], se[3], v;
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 3), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, 3), OCCAM_OK);
    static const char *k[3] = {"p", "q", "gamma"};
    for (int j = 0; j < 3; j++) {
        TU_ASSERT_REL(est[j], num(tu_json_get(mle, "params"), k[j]), 1e-6, k[j]);
        TU_ASSERT_REL(se[j], num(tu_json_get(mle, "std_errors"), k[j]), 1e-4, k[j]);
        char name[16];
        ck_assert_int_eq(occam_model_coef_name(m, j, name, sizeof name, NULL), OCCAM_OK);
        ck_assert_str_eq(name, k[j]);
    }
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_LOGLIK, &v), OCCAM_OK);
    TU_ASSERT_REL(v, num(mle, "loglik"), 1e-8, "loglik");
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_NOBS, &v), OCCAM_OK);
    ck_assert_double_eq(v, num(mle, "n_customers"));
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_CONVERGED, &v), OCCAM_OK);
    ck_assert_double_eq(v, 1);
    /* the correlation of x and m_x over the customers with x > 0, computed here */
    double sx = 0, sm = 0, k1 = 0;
    for (int64_t i = 0; i < n; i++)
        if (X[i] > 0) sx += X[i], sm += X[n + i], k1++;
    double ax = sx / k1, am = sm / k1, sxx = 0, smm = 0, sxm = 0;
    for (int64_t i = 0; i < n; i++)
        if (X[i] > 0) sxx += (X[i] - ax) * (X[i] - ax), smm += (X[n + i] - am) * (X[n + i] - am), sxm += (X[i] - ax) * (X[n + i] - am);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_CORRELATION, &v), OCCAM_OK);
    TU_ASSERT_REL(v, sxm / sqrt(sxx * smm), 1e-12, "correlation of x and m_x");
    /* save / load: bit-identical predictions */
    size_t len = 0;
    ck_assert_int_eq(occam_model_serialize(m, NULL, 0, &len), OCCAM_E_BUFFER_TOO_SMALL);
    void *buf = malloc(len);
    ck_assert_int_eq(occam_model_serialize(m, buf, len, &len), OCCAM_OK);
    occam_model *m2 = NULL;
    ck_assert_int_eq(occam_model_deserialize(buf, len, &m2), OCCAM_OK);
    ck_assert_int_eq(occam_model_kind(m2), OCCAM_MODEL_GG);
    double *a = malloc((size_t)n * sizeof *a), *b = malloc((size_t)n * sizeof *b);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_SPEND, 0, X, n, 2, n, OCCAM_COL_MAJOR, NULL, a, NULL, n), OCCAM_OK);
    ck_assert_int_eq(occam_model_predict(m2, OCCAM_PREDICT_SPEND, 0, X, n, 2, n, OCCAM_COL_MAJOR, NULL, b, NULL, n), OCCAM_OK);
    ck_assert_int_eq(memcmp(a, b, (size_t)n * sizeof *a), 0);
    free(a), free(b), free(buf), free(X);
    occam_model_free(m), occam_model_free(m2);
    tu_csv_free(&c);
    cJSON_Delete(root);
}
END_TEST

static occam_model *at_set(const cJSON *root, const char *set)
{
    const cJSON *v = tu_json_get(tu_json_get(tu_json_get(root, "parameter_sets"), set), "exact_decimal");
    occam_model *m = NULL;
    ck_assert_int_eq(occam_gg_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_gg_set_params(m, strtod(tu_json_get(v, "p")->valuestring, NULL),
                                         strtod(tu_json_get(v, "q")->valuestring, NULL),
                                         strtod(tu_json_get(v, "gamma")->valuestring, NULL)), OCCAM_OK);
    return m;
}

START_TEST(test_cond_spend)
{
    cJSON *root = tu_load_json("clv/shared.json");
    const cJSON *cust = tu_json_get(root, "customers");
    static const char *sets[2] = {"GG_MLE12", "GG_FH2013"};
    for (int s = 0; s < 2; s++) {
        occam_model *m = at_set(root, sets[s]);
        for (const cJSON *c = cust->child; c; c = c->next) {
            double X[2] = {num(c, "x"), strtod(tu_json_get(c, "m_x_text")->valuestring, NULL)}, out = 0;
            ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_SPEND, 0, X, 1, 2, 2, OCCAM_ROW_MAJOR, NULL, &out, NULL, 1),
                             OCCAM_OK);
            char what[64];
            snprintf(what, sizeof what, "%s id %g", sets[s], num(c, "id"));
            TU_ASSERT_REL(out, num(tu_json_get(c, "cond_spend"), sets[s]), 1e-8, what);
        }
        occam_model_free(m);
    }
    cJSON_Delete(root);
}
END_TEST

/* The fit's log-likelihood is a maximum: at least the reference's total at
 * GG_MLE12 (the MLE rounded to 12 digits) less 1e-9 (the README's
 * tolerance for a total LL), above the one at the published GG_FH2013
 * point, and at least the README's -4055.9176949. */
START_TEST(test_loglik_at)
{
    cJSON *root = tu_load_json("clv/shared.json");
    const cJSON *at = tu_json_get(tu_json_get(root, "gamma_gamma"), "loglik_at");
    double ll_mle12 = NAN, ll_fh = NAN;
    for (const cJSON *e = at->child; e; e = e->next) {
        const char *set = tu_json_get(e, "params")->valuestring;
        double v = strtod(tu_json_get(e, "loglik_str")->valuestring, NULL);
        if (strcmp(set, "GG_MLE12") == 0) ll_mle12 = v;
        if (strcmp(set, "GG_FH2013") == 0) ll_fh = v;
    }
    tu_csv c;
    int64_t n = 0;
    double *X = spend_X(&c, &n), v = 0;
    occam_model *m = NULL;
    ck_assert_int_eq(occam_gg_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, X, n, 2, n, OCCAM_COL_MAJOR, NULL, NULL, NULL), OCCAM_OK);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_LOGLIK, &v), OCCAM_OK);
    ck_assert_msg(v >= ll_mle12 - 1e-9, "the MLE's LL %.17g below LL(GG_MLE12) %.17g", v, ll_mle12);
    ck_assert_msg(v >= ll_fh, "the MLE's LL below the published point's");
    ck_assert_msg(v >= -4055.9176949, "LL %.12g below the README's -4055.9176949", v);
    free(X);
    occam_model_free(m);
    tu_csv_free(&c);
    cJSON_Delete(root);
}
END_TEST

START_TEST(test_errors)
{
    occam_model *m = NULL, *g = NULL;
    ck_assert_int_eq(occam_gg_new(&m), OCCAM_OK);
    double bad_x[4] = {1.5, 2, 10, 20}, neg[4] = {1, 2, -1, 20}, zero_m[4] = {1, 2, 0, 20}, one[4] = {0, 3, 0, 20};
    ck_assert_int_eq(occam_model_fit(m, NULL, bad_x, 2, 2, 2, OCCAM_COL_MAJOR, NULL, NULL, NULL), OCCAM_E_DOMAIN);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "row 1: x = 1.5"));
    ck_assert_int_eq(occam_model_fit(m, NULL, neg, 2, 2, 2, OCCAM_COL_MAJOR, NULL, NULL, NULL), OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam_model_fit(m, NULL, zero_m, 2, 2, 2, OCCAM_COL_MAJOR, NULL, NULL, NULL), OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam_model_fit(m, NULL, one, 2, 2, 2, OCCAM_COL_MAJOR, NULL, NULL, NULL), OCCAM_E_NO_DATA);
    ck_assert_int_eq(occam_model_is_fitted(m), 0);
    ck_assert_int_eq(occam_gg_set_params(m, 1, -1, 2), OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam_gg_set_params(m, 1, NAN, 2), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_pnbd_new(&g), OCCAM_OK);
    ck_assert_int_eq(occam_gg_set_params(g, 1, 2, 3), OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_gg_set_params(m, 6, 0.5, 15), OCCAM_OK);
    double X[2] = {0, 0}, out = 0;
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PALIVE, 0, X, 1, 2, 2, OCCAM_ROW_MAJOR, NULL, &out, NULL, 1),
                     OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_SPEND, 0, X, 1, 2, 2, OCCAM_ROW_MAJOR, NULL, &out, NULL, 1), OCCAM_OK);
    ck_assert(isinf(out)); /* q <= 1: the population mean is infinite */
    double v;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_LOGLIK, &v), OCCAM_E_WRONG_MODEL);
    occam_model_free(m);
    occam_model_free(g);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gg");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_cdnow_mle);
    tcase_add_test(tc, test_cond_spend);
    tcase_add_test(tc, test_loglik_at);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
