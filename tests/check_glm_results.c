/*
 * check_glm_results.c -- inference after IRLS (lib/glm_results.c) against
 * R 4.2.2, one concern per test:
 *  - null deviance in glm()'s three regimes: intercept + offset (a second
 *    IRLS: insurance_poisson_log_offset, gaussian log offset_cars), no
 *    intercept (linkinv(offset): offset_noint_insurance), intercept without
 *    offset (weighted mean): 1e-8;
 *  - dispersion: estimated from the stale working weights (Gamma, quasi),
 *    fixed at 1 (binomial, poisson), NaN with df.residual = 0 (R:
 *    glm(c(1.5, 2.5) ~ c(1, 3)) gives estimates 1 and 0.5, SE/t/p NaN);
 *  - zero prior weights: excluded from n.ok and the df, kept in the rows;
 *  - AIC and logLik per family, NaN for the quasi families;
 *  - per-row accessor and info statuses.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glm_case.h"

static double info(const occam_model *m, int key)
{
    double v;
    ck_assert_int_eq(occam_model_info(m, key, &v), OCCAM_OK);
    return v;
}

static occam_model *fit_file(const char *rel, glm_case *c)
{
    *c = glm_load_case(rel);
    occam_model *m;
    int rc = glm_fit_case(c, OCCAM_SOLVER_QR, &m);
    ck_assert_msg(rc >= 0, "%s: %d %s", c->id, rc, occam_last_error());
    return m;
}

START_TEST(test_null_deviance_regimes)
{
    const char *files[] = {"glm/insurance_poisson_log_offset.json", "glm/extra/offset_cars_gaussian_log.json",
                           "glm/extra/offset_infert_binomial_probit.json",
                           "glm/extra/offset_noint_insurance_poisson_log.json", "glm/dobson_poisson_log.json",
                           "glm/cars_weighted_gaussian_identity.json"};
    for (int f = 0; f < 6; f++) {
        glm_case c;
        occam_model *m = fit_file(files[f], &c);
        TU_ASSERT_REL(info(m, OCCAM_INFO_NULL_DEVIANCE), tu_json_num(tu_json_get(c.j, "null_deviance")), 1e-8,
                      c.id);
        ck_assert(info(m, OCCAM_INFO_DF_NULL) == tu_json_num(tu_json_get(c.j, "df_null")));
        occam_model_free(m);
        glm_case_free(&c);
    }
}
END_TEST

START_TEST(test_dispersion)
{
    const char *est[] = {"glm/scotland_gamma_inverse.json", "glm/esoph_quasibinomial_logit.json",
                         "glm/warpbreaks_quasipoisson_log.json", "glm/clotting_inverse_gaussian_1mu2.json"};
    for (int f = 0; f < 4; f++) {
        glm_case c;
        occam_model *m = fit_file(est[f], &c);
        TU_ASSERT_REL(info(m, OCCAM_INFO_DISPERSION), tu_json_num(tu_json_get(c.j, "dispersion")), 1e-6, c.id);
        ck_assert(info(m, OCCAM_INFO_T_STATISTIC) == 1);
        occam_model_free(m);
        glm_case_free(&c);
    }
    glm_case c;
    occam_model *m = fit_file("glm/spector_binomial_logit.json", &c);
    ck_assert(info(m, OCCAM_INFO_DISPERSION) == 1);
    ck_assert(info(m, OCCAM_INFO_T_STATISTIC) == 0);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

START_TEST(test_dispersion_df_zero)
{
    const double X[2] = {1, 3}, y[2] = {1.5, 2.5};
    occam_model *m;
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_GAUSSIAN, OCCAM_LINK_IDENTITY, &m), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, X, 2, 1, 2, OCCAM_COL_MAJOR, y, NULL, NULL), OCCAM_OK);
    double b[2], se[2], t[2], p[2];
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, b, 2), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, 2), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STATISTIC, t, 2), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_P_VALUE, p, 2), OCCAM_OK);
    TU_ASSERT_REL(b[0], 1.0, 1e-12, "intercept");
    TU_ASSERT_REL(b[1], 0.5, 1e-12, "slope");
    for (int j = 0; j < 2; j++) ck_assert(isnan(se[j]) && isnan(t[j]) && isnan(p[j]));
    ck_assert(isnan(info(m, OCCAM_INFO_DISPERSION)));
    ck_assert(info(m, OCCAM_INFO_DF_RESIDUAL) == 0);
    occam_model_free(m);
}
END_TEST

START_TEST(test_zero_weights)
{
    glm_case c;
    occam_model *m = fit_file("glm/extra/zeroweights_budworm_binomial_logit.json", &c);
    ck_assert(info(m, OCCAM_INFO_NOBS) == c.n - 2);
    ck_assert(info(m, OCCAM_INFO_DF_RESIDUAL) == tu_json_num(tu_json_get(c.j, "df_residual")));
    int64_t n;
    ck_assert_int_eq(occam_model_nrows(m, &n), OCCAM_OK);
    ck_assert_int_eq(n, c.n);
    double *r = malloc((size_t)n * sizeof(double));
    ck_assert_int_eq(occam_model_rows(m, OCCAM_ROWS_WORKING_WEIGHTS, r, n), OCCAM_OK);
    ck_assert(r[1] == 0 && r[6] == 0);
    /* R sets y = 0 where the weight is 0: the response residual of row 7 is -mu */
    double *mu = malloc((size_t)n * sizeof(double));
    ck_assert_int_eq(occam_model_rows(m, OCCAM_ROWS_FITTED, mu, n), OCCAM_OK);
    ck_assert_int_eq(occam_model_rows(m, OCCAM_ROWS_RESID_RESPONSE, r, n), OCCAM_OK);
    ck_assert(r[6] == -mu[6]);
    free(r);
    free(mu);
    occam_model_free(m);
    glm_case_free(&c);
    /* gaussian: R's AIC is +Inf with a zero weight (sum(log(wt))) */
    m = fit_file("glm/extra/zeroweights_cars_gaussian_identity.json", &c);
    ck_assert(isinf(info(m, OCCAM_INFO_AIC)) && info(m, OCCAM_INFO_AIC) > 0);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

START_TEST(test_aic_loglik)
{
    const char *files[] = {"glm/mtcars_gaussian_log.json",       "glm/birthwt_binomial_logit.json",
                           "glm/cpunish_poisson_log.json",       "glm/airquality_gamma_log.json",
                           "glm/clotting_inverse_gaussian_1mu2.json", "glm/extra/nonint_cars_poisson_log.json"};
    for (int f = 0; f < 6; f++) {
        glm_case c;
        occam_model *m = fit_file(files[f], &c);
        TU_ASSERT_REL(info(m, OCCAM_INFO_AIC), tu_json_num(tu_json_get(c.j, "aic")), 1e-8, c.id);
        TU_ASSERT_REL(info(m, OCCAM_INFO_LOGLIK), tu_json_num(tu_json_get(c.j, "loglik")), 1e-8, c.id);
        occam_model_free(m);
        glm_case_free(&c);
    }
    glm_case c;
    occam_model *m = fit_file("glm/warpbreaks_quasipoisson_log.json", &c);
    ck_assert(isnan(info(m, OCCAM_INFO_AIC)) && isnan(info(m, OCCAM_INFO_LOGLIK)));
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

START_TEST(test_accessor_statuses)
{
    glm_case c;
    occam_model *m = fit_file("glm/dobson_poisson_log.json", &c);
    double v, r[9];
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_SIGMA, &v), OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_GRAD_NORM, &v), OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_model_info(m, 999, &v), OCCAM_E_UNKNOWN_ENUM);
    ck_assert_int_eq(occam_model_rows(m, 99, r, 9), OCCAM_E_UNKNOWN_ENUM);
    ck_assert_int_eq(occam_model_rows(m, OCCAM_ROWS_FITTED, r, 8), OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert_int_eq(occam_model_rows(m, OCCAM_ROWS_PRIOR_WEIGHTS, r, 9), OCCAM_OK);
    for (int i = 0; i < 9; i++) ck_assert(r[i] == 1);
    ck_assert(info(m, OCCAM_INFO_FAMILY) == OCCAM_FAMILY_POISSON);
    ck_assert(info(m, OCCAM_INFO_LINK) == OCCAM_LINK_LOG);
    ck_assert(info(m, OCCAM_INFO_INTERCEPT) == 1);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("glm_results");
    TCase *tc = tcase_create("results");
    tcase_add_test(tc, test_null_deviance_regimes);
    tcase_add_test(tc, test_dispersion);
    tcase_add_test(tc, test_dispersion_df_zero);
    tcase_add_test(tc, test_zero_weights);
    tcase_add_test(tc, test_aic_loglik);
    tcase_add_test(tc, test_accessor_statuses);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
