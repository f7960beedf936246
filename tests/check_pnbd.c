/*
 * check_pnbd.c -- lib/pnbd.c: the Pareto/NBD kind on the common interface:
 * constructor (default column names), occam_pnbd_set_params, the fit's input
 * checks (one specific status and message per bad input class of issue 4
 * item 6), the model left unchanged by a failed fit, and the info keys.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "occam.h"

START_TEST(test_new_and_names)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_pnbd_new(NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_model_kind(m), OCCAM_MODEL_PNBD);
    ck_assert_int_eq(occam_model_is_fitted(m), 0);
    const char *want[3] = {"x", "t_x", "T"};
    for (int j = 0; j < 3; j++) {
        char buf[16];
        ck_assert_int_eq(occam_model_column_name(m, j, buf, sizeof buf, NULL), OCCAM_OK);
        ck_assert_str_eq(buf, want[j]);
    }
    occam_model_free(m);
}
END_TEST

START_TEST(test_set_params)
{
    occam_model *m;
    occam_pnbd_new(&m);
    ck_assert_int_eq(occam_pnbd_set_params(NULL, 1, 1, 1, 1), OCCAM_E_NULL);
    ck_assert_int_eq(occam_pnbd_set_params(m, 0.0, 1, 1, 1), OCCAM_E_DOMAIN);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "r = 0 must be > 0"));
    ck_assert_int_eq(occam_pnbd_set_params(m, 1, -2, 1, 1), OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam_pnbd_set_params(m, 1, 1, NAN, 1), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_pnbd_set_params(m, 1, 1, 1, INFINITY), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_model_is_fitted(m), 0); /* failures leave it unfitted */
    ck_assert_int_eq(occam_pnbd_set_params(m, 0.553, 10.578, 0.606, 11.669), OCCAM_OK);
    ck_assert_int_eq(occam_model_is_fitted(m), 1);
    int64_t k, p;
    ck_assert_int_eq(occam_model_dims(m, &k, &p), OCCAM_OK);
    ck_assert(k == 4 && p == 3);
    double est[4], se[4], v;
    occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 4);
    occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, 4);
    ck_assert(est[0] == 0.553 && est[1] == 10.578 && est[2] == 0.606 && est[3] == 11.669);
    for (int j = 0; j < 4; j++) ck_assert(isnan(se[j]));
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_LOGLIK, &v), OCCAM_E_WRONG_MODEL);
    char name[8];
    const char *names[4] = {"r", "alpha", "s", "beta"};
    for (int j = 0; j < 4; j++) {
        occam_model_coef_name(m, j, name, sizeof name, NULL);
        ck_assert_str_eq(name, names[j]);
    }
    /* not a Pareto/NBD model */
    occam_model *lin;
    occam_linear_new(&lin);
    ck_assert_int_eq(occam_pnbd_set_params(lin, 1, 1, 1, 1), OCCAM_E_WRONG_MODEL);
    occam_model_free(lin);
    occam_model_free(m);
}
END_TEST

static const double GOOD[9] = {2, 30.43, 38.86, 1, 1.71, 38.86, 0, 0, 38.86};

/* Fit 3 rows where row 2 has (x, t_x, T) = bad; expect status and message. */
static void expect_fit_error(double x, double tx, double T, int status, const char *msg)
{
    double X[9];
    memcpy(X, GOOD, sizeof X);
    X[3] = x;
    X[4] = tx;
    X[5] = T;
    occam_model *m;
    occam_pnbd_new(&m);
    int rc = occam_model_fit(m, NULL, X, 3, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL);
    ck_assert_msg(rc == status, "(%g, %g, %g): status %d, expected %d (%s)", x, tx, T, rc, status, occam_last_error());
    ck_assert_msg(strstr(occam_last_error(), msg) != NULL, "message '%s' lacks '%s'", occam_last_error(), msg);
    ck_assert_int_eq(occam_model_is_fitted(m), 0);
    occam_model_free(m);
}

START_TEST(test_fit_bad_input)
{
    expect_fit_error(1, 40, 38.86, OCCAM_E_DOMAIN, "row 2: t_x = 40 exceeds T = 38.86");
    expect_fit_error(-1, 0, 38.86, OCCAM_E_DOMAIN, "row 2: x = -1 must be a non-negative integer");
    expect_fit_error(1, -0.5, 38.86, OCCAM_E_DOMAIN, "row 2: t_x = -0.5 is negative");
    expect_fit_error(0, 0, -3, OCCAM_E_DOMAIN, "row 2: T = -3 is negative");
    expect_fit_error(2.5, 1, 38.86, OCCAM_E_DOMAIN, "row 2: x = 2.5 must be a non-negative integer");
    expect_fit_error(0, 1.5, 38.86, OCCAM_E_DOMAIN, "row 2: x = 0 but t_x = 1.5");
    expect_fit_error(NAN, 1, 38.86, OCCAM_E_NONFINITE, "NaN");
    expect_fit_error(1, 1, INFINITY, OCCAM_E_NONFINITE, "X");
}
END_TEST

START_TEST(test_fit_bad_arguments)
{
    occam_model *m;
    occam_pnbd_new(&m);
    double y[3] = {0, 0, 0}, w[3] = {1, -1, 1}, X4[12] = {0};
    ck_assert_int_eq(occam_model_fit(m, NULL, GOOD, 3, 3, 3, OCCAM_ROW_MAJOR, y, NULL, NULL), OCCAM_E_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "y must be NULL"));
    ck_assert_int_eq(occam_model_fit(m, NULL, GOOD, 3, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, y), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_model_fit(m, NULL, GOOD, 3, 3, 3, OCCAM_ROW_MAJOR, NULL, w, NULL), OCCAM_E_BAD_WEIGHTS);
    ck_assert_int_eq(occam_model_fit(m, NULL, X4, 3, 4, 4, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_E_DIM_MISMATCH);
    occam_model_set_names(m, NULL, 0); /* without names the kind itself checks p */
    ck_assert_int_eq(occam_model_fit(m, NULL, X4, 3, 4, 4, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_E_DIM_MISMATCH);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "need 3 (x, t_x, T)"));
    double z[3] = {0, 0, 0};
    ck_assert_int_eq(occam_model_fit(m, NULL, GOOD, 3, 3, 3, OCCAM_ROW_MAJOR, NULL, z, NULL), OCCAM_E_NO_DATA);
    ck_assert_int_eq(occam_model_fit(m, NULL, GOOD, 0, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_E_NO_DATA);
    ck_assert_int_eq(occam_model_is_fitted(m), 0);
    occam_model_free(m);
}
END_TEST

/* A failed fit keeps the earlier parameters and statistics. */
START_TEST(test_failed_fit_keeps_model)
{
    occam_model *m;
    occam_pnbd_new(&m);
    occam_pnbd_set_params(m, 0.553, 10.578, 0.606, 11.669);
    double bad[9];
    memcpy(bad, GOOD, sizeof bad);
    bad[4] = 99; /* t_x > T */
    ck_assert_int_eq(occam_model_fit(m, NULL, bad, 3, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_E_DOMAIN);
    double est[4];
    occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 4);
    ck_assert(est[0] == 0.553 && est[3] == 11.669);
    double v;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_ITER, &v), OCCAM_E_WRONG_MODEL); /* still hand-given */
    occam_model_free(m);
}
END_TEST

START_TEST(test_info_keys)
{
    /* the first 40 CDNOW customers: an interior optimum (a synthetic set used
     * here before ran off to the boundary r, alpha -> Inf, s -> 0) */
    tu_csv c = tu_load_csv("../../data/cdnow_summary.csv");
    double X[120];
    for (int i = 0; i < 40; i++)
        for (int j = 0; j < 3; j++) X[3 * i + j] = tu_csv_column(&c, tu_csv_col(&c, j == 0 ? "x" : j == 1 ? "t_x" : "T"))[i];
    tu_csv_free(&c);
    occam_model *m;
    occam_pnbd_new(&m);
    ck_assert_int_eq(occam_model_fit(m, NULL, X, 40, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_OK);
    double ll, aic, nobs, v;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_LOGLIK, &ll), OCCAM_OK);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_AIC, &aic), OCCAM_OK);
    ck_assert(aic == -2 * ll + 8);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_NOBS, &nobs), OCCAM_OK);
    ck_assert(nobs == 40);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &v), OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_INTERCEPT, &v), OCCAM_OK);
    ck_assert(v == 0);
    /* the reported loglik is the public total at the estimates */
    double est[4], tot;
    occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 4);
    ck_assert_int_eq(occam_pnbd_loglik(est[0], est[1], est[2], est[3], X, 40, 3, OCCAM_ROW_MAJOR, NULL, &tot, NULL), 0);
    TU_ASSERT_REL(ll, tot, 1e-13, "loglik");
    int64_t nr;
    occam_model_nrows(m, &nr);
    ck_assert_int_eq(nr, 40);
    double rows[40];
    ck_assert_int_eq(occam_model_rows(m, OCCAM_ROWS_FITTED, rows, 40), OCCAM_E_WRONG_MODEL);
    occam_model_free(m);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pnbd");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_new_and_names);
    tcase_add_test(tc, test_set_params);
    tcase_add_test(tc, test_fit_bad_input);
    tcase_add_test(tc, test_fit_bad_arguments);
    tcase_add_test(tc, test_failed_fit_keeps_model);
    tcase_add_test(tc, test_info_keys);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
