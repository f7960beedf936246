/*
 * check_pnbd_boundary.c -- lib/pnbd_boundary.c: the Pareto/NBD fit at its
 * no-dropout limit (issue 15 point 4).
 *
 * Data: tests/data/pnbd/no_dropout_1200.csv, 1200 customers who never lapse
 * (make_no_dropout.py csv 1200 3: NBD purchases, CDNOW-like design).
 * Reference: tests/data/pnbd/no_dropout_1200.json (make_no_dropout.py ref:
 * mpmath at 60 digits, Newton's method on the NBD score equations), the
 * limit s, beta -> Inf, s/beta -> 0 of the Pareto/NBD likelihood.
 * Tolerances (relative): r, alpha 1e-9 (the fit stops at a gradient of
 * 1e-9 with a quadratically convergent Newton method: its error is far
 * below), log-likelihood 1e-12, standard errors 1e-8, the dropout score 1e-9,
 * predictions 1e-12.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "pnbd.h"

static double *load_rows(int64_t *n)
{
    tu_csv c = tu_load_csv("pnbd/no_dropout_1200.csv");
    double *X = malloc((size_t)c.nrows * 3 * sizeof(double));
    static const char *const col[3] = {"x", "t_x", "T"};
    for (int j = 0; j < 3; j++) {
        const double *v = tu_csv_column(&c, tu_csv_col(&c, col[j]));
        for (int64_t i = 0; i < c.nrows; i++) X[3 * i + j] = v[i];
    }
    *n = c.nrows;
    tu_csv_free(&c);
    return X;
}

static double ref_num(const cJSON *root, const char *a, const char *b)
{
    const cJSON *o = tu_json_get(root, a);
    return tu_json_num(b ? tu_json_get(o, b) : o);
}

/* Predictions of model m against the NBD reference; P(alive) = 1. */
static void check_predictions(const occam_model *m, const cJSON *ref, const double *X, int64_t n)
{
    double *pa = malloc((size_t)n * sizeof(double));
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PALIVE, 0, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, pa, NULL, n),
                     OCCAM_OK);
    for (int64_t i = 0; i < n; i++) ck_assert_msg(pa[i] == 1.0, "P(alive) of row %lld is %.17g", (long long)i + 1, pa[i]);
    free(pa);
    const cJSON *c;
    int k = 0;
    cJSON_ArrayForEach(c, tu_json_get(ref, "cond_exp"))
    {
        double row[3] = {tu_json_num(tu_json_get(c, "x")), tu_json_num(tu_json_get(c, "t_x")),
                         tu_json_num(tu_json_get(c, "T"))},
               e;
        ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_EXPECTED, 39, row, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &e,
                                             NULL, 1),
                         OCCAM_OK);
        TU_ASSERT_REL(e, tu_json_num(tu_json_get(c, "cond_exp_39")), 1e-12, "E[X(T, T+39)]");
        k++;
    }
    ck_assert_int_eq(k, 5);
    cJSON_ArrayForEach(c, tu_json_get(ref, "pmf"))
    {
        double row[3] = {tu_json_num(tu_json_get(c, "n")), 0, tu_json_num(tu_json_get(c, "t"))}, v;
        ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PROB_N, 0, row, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &v, NULL, 1),
                         OCCAM_OK);
        TU_ASSERT_REL(v, tu_json_num(tu_json_get(c, "value")), 1e-12, "P(X(t) = n)");
        ck_assert_int_eq(
            occam_model_predict(m, OCCAM_PREDICT_EXPECTED_NEW, 0, row, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &v, NULL, 1),
            OCCAM_OK);
        TU_ASSERT_REL(v, tu_json_num(tu_json_get(c, "expected_new")), 1e-12, "E[X(t)]");
    }
}

/* The fit of 1200 no-churn customers ends at the no-dropout limit: status
 * OCCAM_W_NO_DROPOUT (the base commit returned OCCAM_W_NOT_CONVERGED with
 * s = 6e-7, beta = 1.6e5 after 42 iterations), the NBD estimates with
 * s = beta = Inf, usable predictions, and a model file that keeps all that. */
START_TEST(test_no_dropout_fit)
{
    cJSON *ref = tu_load_json("pnbd/no_dropout_1200.json");
    int64_t n;
    double *X = load_rows(&n);
    ck_assert_int_eq(n, 1200);
    occam_model *m;
    occam_pnbd_new(&m);
    int st = occam_model_fit(m, NULL, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL);
    ck_assert_msg(st == OCCAM_W_NO_DROPOUT, "status %d (%s): %s", st, occam_status_name(st), occam_last_error());
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "no evidence of dropout"));
    int flags;
    occam_model_conditions(m, &flags);
    ck_assert_int_eq(flags, OCCAM_COND_NO_DROPOUT);
    double est[4], se[4], v;
    occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 4);
    occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, 4);
    TU_ASSERT_REL(est[0], ref_num(ref, "nbd_mle", "r"), 1e-9, "r");
    TU_ASSERT_REL(est[1], ref_num(ref, "nbd_mle", "alpha"), 1e-9, "alpha");
    ck_assert(isinf(est[2]) && est[2] > 0 && isinf(est[3]) && est[3] > 0);
    TU_ASSERT_REL(se[0], ref_num(ref, "nbd_mle", "se_r"), 1e-8, "se(r)");
    TU_ASSERT_REL(se[1], ref_num(ref, "nbd_mle", "se_alpha"), 1e-8, "se(alpha)");
    ck_assert(isnan(se[2]) && isnan(se[3]));
    double V[16];
    ck_assert_int_eq(occam_model_vcov(m, V, 4), OCCAM_OK);
    TU_ASSERT_REL(V[1], ref_num(ref, "nbd_mle", "cov_r_alpha"), 1e-8, "cov(r, alpha)");
    ck_assert(isnan(V[2 + 4 * 2]) && isnan(V[0 + 4 * 3]));
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_LOGLIK, &v), OCCAM_OK);
    TU_ASSERT_REL(v, ref_num(ref, "nbd_mle", "loglik"), 1e-12, "loglik");
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_CONVERGED, &v), OCCAM_OK);
    ck_assert(v == 1);
    /* the customers' log-likelihoods add up to the total */
    double *ll = malloc((size_t)n * sizeof(double)), tot = 0;
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_LOGLIK, 0, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, ll, NULL, n),
                     OCCAM_OK);
    for (int64_t i = 0; i < n; i++) tot += ll[i];
    TU_ASSERT_REL(tot, ref_num(ref, "nbd_mle", "loglik"), 1e-12, "sum of customer logliks");
    check_predictions(m, ref, X, n);
    /* a model file keeps s = beta = Inf and the condition; predictions are bit-identical */
    size_t need;
    ck_assert_int_eq(occam_model_serialize(m, NULL, 0, &need), OCCAM_E_BUFFER_TOO_SMALL);
    void *buf = malloc(need);
    ck_assert_int_eq(occam_model_serialize(m, buf, need, &need), OCCAM_OK);
    occam_model *m2;
    ck_assert_int_eq(occam_model_deserialize(buf, need, &m2), OCCAM_OK);
    double est2[4], *ll2 = malloc((size_t)n * sizeof(double));
    occam_model_coef(m2, OCCAM_COEF_ESTIMATE, est2, 4);
    ck_assert(memcmp(est, est2, sizeof est) == 0);
    occam_model_conditions(m2, &flags);
    ck_assert_int_eq(flags, OCCAM_COND_NO_DROPOUT);
    ck_assert_int_eq(occam_model_predict(m2, OCCAM_PREDICT_LOGLIK, 0, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, ll2, NULL, n),
                     OCCAM_OK);
    ck_assert(memcmp(ll, ll2, (size_t)n * sizeof(double)) == 0);
    /* the limit can be given by hand, too */
    occam_model *m3;
    occam_pnbd_new(&m3);
    ck_assert_int_eq(occam_pnbd_set_params(m3, est[0], est[1], INFINITY, INFINITY), OCCAM_OK);
    check_predictions(m3, ref, X, n);
    ck_assert_int_eq(occam_pnbd_set_params(m3, est[0], est[1], INFINITY, 2.0), OCCAM_E_NONFINITE);
    occam_model_free(m3);
    occam_model_free(m2);
    occam_model_free(m);
    free(buf);
    free(ll);
    free(ll2);
    free(X);
    cJSON_Delete(ref);
}
END_TEST

/* The internal pieces against the same reference: the NBD fit and the
 * dropout score (negative: no evidence of dropout). */
START_TEST(test_nbd_fit_and_score)
{
    cJSON *ref = tu_load_json("pnbd/no_dropout_1200.json");
    int64_t n;
    double *X = load_rows(&n);
    occam_matrix Xm;
    ck_assert_int_eq(occam__matrix_init(&Xm, X, n, 3, 3, OCCAM_ROW_MAJOR, "X"), OCCAM_OK);
    for (int collapse = 0; collapse <= 1; collapse++) {
        occam_pnbd_data d;
        ck_assert_int_eq(occam__pnbd_data_build(&Xm, NULL, collapse, &d), OCCAM_OK);
        occam_pnbd_nbd nb;
        ck_assert_int_eq(occam__pnbd_nbd_fit(&d, 1e-12, &nb), 0);
        ck_assert(nb.converged);
        TU_ASSERT_REL(nb.r, ref_num(ref, "nbd_mle", "r"), 1e-10, "NBD r");
        TU_ASSERT_REL(nb.alpha, ref_num(ref, "nbd_mle", "alpha"), 1e-10, "NBD alpha");
        TU_ASSERT_REL(nb.loglik, ref_num(ref, "nbd_mle", "loglik"), 1e-12, "NBD loglik");
        TU_ASSERT_REL(nb.score, ref_num(ref, "dropout_score", NULL), 1e-9, "dropout score");
        ck_assert(nb.score < 0);
        occam__pnbd_data_free(&d);
    }
    free(X);
    cJSON_Delete(ref);
}
END_TEST

/* Data with dropout (CDNOW) keep their interior optimum: a positive dropout
 * score, no boundary (the fit's values are checked in check_pnbd_fit.c). */
START_TEST(test_cdnow_interior)
{
    tu_csv c = tu_load_csv("../../data/cdnow_summary.csv");
    occam_model *m;
    occam_pnbd_new(&m);
    double *X = malloc((size_t)c.nrows * 3 * sizeof(double));
    for (int j = 0; j < 3; j++) memcpy(X + j * c.nrows, tu_csv_column(&c, j + 1), (size_t)c.nrows * sizeof(double));
    ck_assert_int_eq(occam_model_fit(m, NULL, X, c.nrows, 3, c.nrows, OCCAM_COL_MAJOR, NULL, NULL, NULL), OCCAM_OK);
    occam_matrix Xm;
    occam__matrix_init(&Xm, X, c.nrows, 3, c.nrows, OCCAM_COL_MAJOR, "X");
    occam_pnbd_data d;
    ck_assert_int_eq(occam__pnbd_data_build(&Xm, NULL, 0, &d), OCCAM_OK);
    occam_pnbd_nbd nb;
    ck_assert_int_eq(occam__pnbd_nbd_fit(&d, 1e-12, &nb), 0);
    ck_assert_msg(nb.score > 0, "CDNOW dropout score %g", nb.score);
    occam__pnbd_data_free(&d);
    occam_model_free(m);
    free(X);
    tu_csv_free(&c);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pnbd_boundary");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_no_dropout_fit);
    tcase_add_test(tc, test_nbd_fit_and_score);
    tcase_add_test(tc, test_cdnow_interior);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
