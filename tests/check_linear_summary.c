/*
 * check_linear_summary.c -- summary.lm's statistics and warnings
 * (lib/linear_summary.c) through the public fit, against R 4.2.2
 * (tests/data/linear/summary_reference.json, make_summary_reference.R):
 *  - the warning "essentially perfect fit: summary may be unreliable"
 *    (OCCAM_W_PERFECT_FIT) exactly where R's summary.lm gives it: exact and
 *    near-exact fits on either side of R's threshold, and zero-weight rows,
 *    which count in R's mean(f) and var(f);
 *  - y = +-1e200, where R's residual sum of squares overflows (sigma Inf,
 *    R^2 NaN): occam's scaled sums give the statistics R gives for
 *    y / 1e200, scaled back (sigma and standard errors x 1e200, t, p, R^2,
 *    F unchanged, logLik - n log(1e200)), to 1e-9 (1e-7 for p-values and
 *    F), the estimates equal R's unscaled ones (1e-12), and the RSS and the
 *    covariance, which do not fit in a double, are Inf with
 *    OCCAM_W_OVERFLOW.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "occam.h"

static const char *const perfect_cases[] = {"exact_line",     "noise_1e-15",    "noise_1e-13",
                                            "noise_1e-6",     "weighted_exact", "noise_1e-13_zero_weight_rows"};

static occam_model *fit_json(const cJSON *r, int *status)
{
    int64_t n, nw = 0;
    double *x = tu_json_array(tu_json_get(r, "x"), &n);
    double *y = tu_json_array(tu_json_get(r, "y"), &n);
    const cJSON *wj = cJSON_GetObjectItemCaseSensitive(r, "weights");
    double *w = wj && cJSON_IsArray(wj) ? tu_json_array(wj, &nw) : NULL;
    occam_model *m = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    *status = occam_model_fit(m, NULL, x, n, 1, n, OCCAM_COL_MAJOR, y, w, NULL);
    free(x);
    free(y);
    free(w);
    return m;
}

START_TEST(test_perfect_fit_as_r)
{
    cJSON *ref = tu_load_json("linear/summary_reference.json");
    const cJSON *r = tu_json_get(ref, perfect_cases[_i]);
    int want = cJSON_IsTrue(tu_json_get(r, "perfect_fit_warning")), status, flags = -1;
    occam_model *m = fit_json(r, &status);
    ck_assert_int_eq(occam_model_conditions(m, &flags), OCCAM_OK);
    ck_assert_msg(!!(flags & OCCAM_COND_PERFECT_FIT) == want, "%s: perfect-fit condition %d, R %d", perfect_cases[_i],
                  !!(flags & OCCAM_COND_PERFECT_FIT), want);
    ck_assert_int_eq(status, want ? OCCAM_W_PERFECT_FIT : OCCAM_OK);
    if (want) {
        ck_assert_str_eq(occam_strerror(status), "essentially perfect fit: summary may be unreliable");
        ck_assert_ptr_nonnull(strstr(occam_last_error(), "essentially perfect fit: summary may be unreliable"));
    }
    /* the condition is kept in the model file */
    size_t need = 0;
    ck_assert_int_eq(occam_model_serialize(m, NULL, 0, &need), OCCAM_E_BUFFER_TOO_SMALL);
    void *buf = malloc(need);
    occam_model *copy = NULL;
    ck_assert_int_eq(occam_model_serialize(m, buf, need, &need), OCCAM_OK);
    ck_assert_int_eq(occam_model_deserialize(buf, need, &copy), OCCAM_OK);
    int flags2 = -1;
    ck_assert_int_eq(occam_model_conditions(copy, &flags2), OCCAM_OK);
    ck_assert_int_eq(flags2, flags);
    free(buf);
    occam_model_free(copy);
    occam_model_free(m);
    cJSON_Delete(ref);
}
END_TEST

static double info(const occam_model *m, int key)
{
    double v = NAN;
    ck_assert_int_eq(occam_model_info(m, key, &v), OCCAM_OK);
    return v;
}

START_TEST(test_overflow_scaled)
{
    cJSON *ref = tu_load_json("linear/summary_reference.json");
    const cJSON *r = tu_json_get(ref, "overflow_pm1e200");
    double scale = tu_json_num(tu_json_get(r, "scale"));
    int status, flags = 0;
    occam_model *m = fit_json(r, &status);
    ck_assert_msg(status == OCCAM_W_OVERFLOW, "status %s (%s)", occam_status_name(status), occam_last_error());
    ck_assert_int_eq(occam_model_conditions(m, &flags), OCCAM_OK);
    ck_assert_int_eq(flags, OCCAM_COND_OVERFLOW);
    int64_t k;
    double *b = tu_json_array(tu_json_get(r, "coefficients"), &k);
    double *bu = tu_json_array(tu_json_get(r, "r_coefficients_unscaled"), &k);
    double *se = tu_json_array(tu_json_get(r, "std_errors"), &k);
    double *t = tu_json_array(tu_json_get(r, "t_values"), &k);
    double *p = tu_json_array(tu_json_get(r, "p_values"), &k);
    double est[2], sd[2], tv[2], pv[2];
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 2), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, sd, 2), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STATISTIC, tv, 2), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_P_VALUE, pv, 2), OCCAM_OK);
    for (int j = 0; j < 2; j++) {
        TU_ASSERT_REL(est[j], bu[j], 1e-12, "estimate (R's, unscaled)");
        TU_ASSERT_REL(est[j], b[j] * scale, 1e-12, "estimate (R's on y / 1e200, scaled back)");
        TU_ASSERT_REL(sd[j], se[j] * scale, 1e-9, "standard error");
        TU_ASSERT_REL(tv[j], t[j], 1e-9, "t value");
        TU_ASSERT_REL(pv[j], p[j], 1e-7, "p-value");
    }
    TU_ASSERT_REL(info(m, OCCAM_INFO_SIGMA), tu_json_num(tu_json_get(r, "sigma")) * scale, 1e-9, "sigma");
    TU_ASSERT_REL(info(m, OCCAM_INFO_R_SQUARED), tu_json_num(tu_json_get(r, "r_squared")), 1e-9, "R^2");
    TU_ASSERT_REL(info(m, OCCAM_INFO_ADJ_R_SQUARED), tu_json_num(tu_json_get(r, "adj_r_squared")), 1e-9, "adj R^2");
    TU_ASSERT_REL(info(m, OCCAM_INFO_FSTATISTIC), tu_json_num(tu_json_get(r, "fstatistic")), 1e-7, "F");
    TU_ASSERT_REL(info(m, OCCAM_INFO_LOGLIK), tu_json_num(tu_json_get(r, "loglik")) - 10.0 * log(scale), 1e-12,
                  "logLik");
    ck_assert(isinf(info(m, OCCAM_INFO_DEVIANCE)) && isinf(info(m, OCCAM_INFO_DISPERSION)));
    double V[4];
    ck_assert_int_eq(occam_model_vcov(m, V, 2), OCCAM_OK);
    ck_assert(isinf(V[0]) && isinf(V[3]));
    free(b);
    free(bu);
    free(se);
    free(t);
    free(p);
    occam_model_free(m);
    cJSON_Delete(ref);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linear_summary");
    TCase *tc = tcase_create("summary.lm");
    tcase_add_loop_test(tc, test_perfect_fit_as_r, 0, (int)(sizeof perfect_cases / sizeof perfect_cases[0]));
    tcase_add_test(tc, test_overflow_scaled);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
