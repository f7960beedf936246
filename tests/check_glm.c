/*
 * check_glm.c -- the GLM model kind (lib/glm.c) end to end against R:
 *
 *  - every reference case in tests/data/glm/ *.json (R 4.2.2 glm(), shipped)
 *    and tests/data/glm/extra/ *.json (R 4.2.2 glm() via extra/make_extra.R:
 *    rank deficiency, separation, non-convergence, boundary, zero weights,
 *    no intercept, start values, offsets, non-integer responses, more links)
 *    with the default QR solver.  Tolerances are the contract:
 *    coefficients and standard errors relative 1e-6, deviance, null deviance
 *    and AIC relative 1e-8, iterations +-1, the same aliased pattern; plus
 *    statistics, p-values, vcov, dispersion, fitted values, residuals and
 *    working weights (first 10 rows) relative 1e-6, log-likelihood 1e-8,
 *    df exact, converged/boundary flags and R's warnings as condition bits;
 *  - the same cases with the Cholesky solver (the documented fast option):
 *    deviance 1e-8, coefficients and SEs 1e-6 where Cholesky can reach it:
 *    its forward error grows as eps * kappa, kappa the condition number of
 *    the equilibrated X'WX at R's solution (from R's cov.unscaled), so a
 *    case with eps * kappa > 1e-8 (fittedzero_poisson_log, kappa 1.1e10:
 *    a group with working weights ~1e-9) has only its deviance compared,
 *    with a note saying why (docs/glm.md, "Solvers");
 *  - the same cases with the rows split over threads (OCCAM_OPT_THREADS):
 *    QR on 3 threads with every check above, Cholesky on 2 threads;
 *  - constructor and start-value API statuses; model unchanged on error;
 *  - every bad-input row of the issue, one test each: negative counts,
 *    binomial y outside [0, 1], non-positive Gamma / inverse.gaussian y
 *    (OCCAM_E_DOMAIN), NaN/Inf in X, y, weights, offset, start
 *    (OCCAM_E_NONFINITE), negative weights (OCCAM_E_BAD_WEIGHTS), start of
 *    the wrong length (OCCAM_E_DIM_MISMATCH), invalid family-link pair
 *    (OCCAM_E_BAD_LINK), unknown enum (OCCAM_E_UNKNOWN_ENUM).
 */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm_case.h"

static char *cases[GLM_MAX_CASES];
static int ncases;

/* Relative comparison, except for entries that are zero in exact arithmetic
 * (R's value below 1e-10 times the entry's natural scale, e.g. a coefficient
 * of 1e-15 with a standard error of 0.2): those are rounding noise in both
 * programs and are compared absolutely, to 1e-10 times the scale. */
static void assert_vec_scaled(const char *id, const char *what, const double *got, const cJSON *want,
                              int64_t n, double tol, const double *scale)
{
    int64_t len;
    double *w = tu_json_array(want, &len);
    ck_assert_msg(len == n || (len > n && n == 10), "%s: %s has %lld values, expected %lld", id, what,
                  (long long)len, (long long)n);
    for (int64_t i = 0; i < (len < n ? len : n); i++) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s: %s[%lld]", id, what, (long long)i);
        double sc = scale ? scale[i] : 0.0;
        if (isfinite(sc) && sc > 0 && fabs(w[i]) < 1e-10 * sc)
            ck_assert_msg(fabs(got[i] - w[i]) <= 1e-10 * sc, "%s: got %.17g want %.17g (zero to scale %g)", msg,
                          got[i], w[i], sc);
        else
            TU_ASSERT_REL(got[i], w[i], tol, msg);
    }
    free(w);
}

static void assert_vec(const char *id, const char *what, const double *got, const cJSON *want, int64_t n,
                       double tol)
{
    assert_vec_scaled(id, what, got, want, n, tol, NULL);
}

static void assert_info(const char *id, const occam_model *m, int key, const cJSON *want, double tol,
                        const char *what)
{
    double v;
    ck_assert_int_eq(occam_model_info(m, key, &v), OCCAM_OK);
    char msg[256];
    snprintf(msg, sizeof msg, "%s: %s", id, what);
    TU_ASSERT_REL(v, tu_json_num(want), tol, msg);
}

static void assert_rows(const glm_case *c, const occam_model *m, int which, const char *key, double tol)
{
    double *r = malloc((size_t)c->n * sizeof(double));
    ck_assert_int_eq(occam_model_rows(m, which, r, c->n), OCCAM_OK);
    assert_vec(c->id, key, r, tu_json_get(c->j, key), c->n < 10 ? c->n : 10, tol);
    free(r);
}

static void check_case(const glm_case *c, const occam_model *m, int rc)
{
    const cJSON *j = c->j;
    int64_t k = 0, p = 0;
    ck_assert_int_eq(occam_model_dims(m, &k, &p), OCCAM_OK);
    ck_assert_int_eq(k, c->p + c->intercept);
    int cond = -1;
    ck_assert_int_eq(occam_model_conditions(m, &cond), OCCAM_OK);
    int want_cond = glm_expected_conditions(c);
    ck_assert_msg(cond == want_cond, "%s: conditions 0x%x, R's warnings give 0x%x", c->id, cond, want_cond);
    int want_rc = glm_expected_status(want_cond);
    ck_assert_msg(rc == want_rc, "%s: fit returned %d (%s), expected %d", c->id, rc, occam_last_error(), want_rc);

    /* aliased pattern, then estimates and SEs */
    int *al = malloc((size_t)k * sizeof(int));
    ck_assert_int_eq(occam_model_aliased(m, al, k), OCCAM_OK);
    int64_t na;
    double *wal = tu_json_array(tu_json_get(j, "aliased"), &na);
    ck_assert_int_eq(na, k);
    for (int64_t i = 0; i < k; i++) ck_assert_msg(al[i] == (int)wal[i], "%s: aliased[%lld]", c->id, (long long)i);
    free(wal);
    free(al);
    double *v = malloc((size_t)(k * k + 1) * sizeof(double));
    double *se = tu_json_array(tu_json_get(j, "std_errors"), NULL);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, v, k), OCCAM_OK);
    assert_vec_scaled(c->id, "coefficients", v, tu_json_get(j, "coefficients"), k, 1e-6, se);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, v, k), OCCAM_OK);
    assert_vec(c->id, "std_errors", v, tu_json_get(j, "std_errors"), k, 1e-6);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STATISTIC, v, k), OCCAM_OK);
    double *ones = malloc((size_t)(k + 1) * sizeof(double));
    for (int64_t i = 0; i < k; i++) ones[i] = 1.0; /* a statistic's scale is 1 */
    assert_vec_scaled(c->id, "statistics", v, tu_json_get(j, "statistics"), k, 1e-6, ones);
    free(ones);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_P_VALUE, v, k), OCCAM_OK);
    assert_vec(c->id, "p_values", v, tu_json_get(j, "p_values"), k, 1e-6);
    if (k > 0) {
        ck_assert_int_eq(occam_model_vcov(m, v, k), OCCAM_OK);
        const cJSON *row;
        int64_t i = 0;
        cJSON_ArrayForEach(row, tu_json_get(j, "vcov"))
        {
            double *col = malloc((size_t)k * sizeof(double));
            double *sc = malloc((size_t)k * sizeof(double));
            for (int64_t jj = 0; jj < k; jj++) {
                col[jj] = v[i + jj * k];
                sc[jj] = se[i] * se[jj];
            }
            assert_vec_scaled(c->id, "vcov row", col, row, k, 1e-6, sc);
            free(col);
            free(sc);
            i++;
        }
    }
    free(v);
    free(se);

    assert_info(c->id, m, OCCAM_INFO_DEVIANCE, tu_json_get(j, "deviance"), 1e-8, "deviance");
    assert_info(c->id, m, OCCAM_INFO_NULL_DEVIANCE, tu_json_get(j, "null_deviance"), 1e-8, "null deviance");
    assert_info(c->id, m, OCCAM_INFO_AIC, tu_json_get(j, "aic"), 1e-8, "AIC");
    assert_info(c->id, m, OCCAM_INFO_LOGLIK, tu_json_get(j, "loglik"), 1e-8, "logLik");
    assert_info(c->id, m, OCCAM_INFO_DISPERSION, tu_json_get(j, "dispersion"), 1e-6, "dispersion");
    assert_info(c->id, m, OCCAM_INFO_PEARSON_CHI2, tu_json_get(j, "pearson_chi2"), 1e-6, "Pearson chi2");
    assert_info(c->id, m, OCCAM_INFO_DF_RESIDUAL, tu_json_get(j, "df_residual"), 0, "df.residual");
    assert_info(c->id, m, OCCAM_INFO_DF_NULL, tu_json_get(j, "df_null"), 0, "df.null");
    assert_info(c->id, m, OCCAM_INFO_RANK, tu_json_get(j, "rank"), 0, "rank");
    assert_info(c->id, m, OCCAM_INFO_CONVERGED, tu_json_get(j, "converged"), 0, "converged");
    assert_info(c->id, m, OCCAM_INFO_BOUNDARY, tu_json_get(j, "boundary"), 0, "boundary");
    double iter, t;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_ITER, &iter), OCCAM_OK);
    double want_iter = tu_json_num(tu_json_get(j, "iter"));
    ck_assert_msg(fabs(iter - want_iter) <= 1, "%s: iter %g, R %g", c->id, iter, want_iter);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_T_STATISTIC, &t), OCCAM_OK);
    ck_assert_int_eq((int)t, strcmp(tu_json_get(j, "statistic_name")->valuestring, "t value") == 0);

    assert_rows(c, m, OCCAM_ROWS_FITTED, "fitted_values_head", 1e-6);
    assert_rows(c, m, OCCAM_ROWS_LINEAR_PREDICTOR, "linear_predictors_head", 1e-6);
    assert_rows(c, m, OCCAM_ROWS_RESID_DEVIANCE, "residuals_deviance_head", 1e-6);
    assert_rows(c, m, OCCAM_ROWS_RESID_PEARSON, "residuals_pearson_head", 1e-6);
    assert_rows(c, m, OCCAM_ROWS_RESID_WORKING, "residuals_working_head", 1e-6);
    assert_rows(c, m, OCCAM_ROWS_RESID_RESPONSE, "residuals_response_head", 1e-6);
    assert_rows(c, m, OCCAM_ROWS_WORKING_WEIGHTS, "working_weights_head", 1e-6);
    assert_rows(c, m, OCCAM_ROWS_PRIOR_WEIGHTS, "prior_weights_head", 0);
}

static void reference_case_qr(int i, int threads)
{
    glm_case c = glm_load_case(cases[i]);
    occam_model *m;
    int rc = glm_fit_case_threads(&c, OCCAM_SOLVER_QR, threads, &m);
    ck_assert_msg(rc >= 0, "%s: fit failed: %d %s", c.id, rc, occam_last_error());
    check_case(&c, m, rc);
    occam_model_free(m);
    glm_case_free(&c);
}

/* The 2-norm condition number of R's cov.unscaled (the inverse of X'WX at
 * R's solution) over the estimated coefficients, after scaling it to unit
 * diagonal: Cholesky's error bound does not depend on column scaling, so
 * the equilibrated matrix is the one that decides what it can reach. */
static double equilibrated_condition(const glm_case *c)
{
    const cJSON *cov = tu_json_get(c->j, "cov_unscaled");
    const cJSON *aliased = tu_json_get(c->j, "aliased");
    int p = cJSON_GetArraySize(aliased), k = 0;
    int *keep = malloc((size_t)p * sizeof(int));
    for (int a = 0; a < p; a++)
        if (!cJSON_IsTrue(cJSON_GetArrayItem(aliased, a)))
            keep[k++] = a;
    ck_assert_int_eq(cJSON_GetArraySize(cov), p);
    double *A = malloc((size_t)k * (size_t)k * sizeof(double)), *ev = malloc((size_t)k * sizeof(double));
    for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++)
            A[a + b * k] = cJSON_GetArrayItem(cJSON_GetArrayItem(cov, keep[a]), keep[b])->valuedouble;
    for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++)
            if (a != b)
                A[a + b * k] /= sqrt(A[a + a * k] * A[b + b * k]);
    for (int a = 0; a < k; a++)
        A[a + a * k] = 1.0;
    ck_assert_int_eq(LAPACKE_dsyev(LAPACK_COL_MAJOR, 'N', 'U', k, A, k, ev), 0);
    double kappa = k > 0 ? ev[k - 1] / ev[0] : 1.0;
    free(A);
    free(ev);
    free(keep);
    return kappa;
}

static void reference_case_cholesky(int i, int threads)
{
    glm_case c = glm_load_case(cases[i]);
    occam_model *m;
    int rc = glm_fit_case_threads(&c, OCCAM_SOLVER_CHOLESKY, threads, &m);
    ck_assert_msg(rc >= 0, "%s: fit failed: %d %s", c.id, rc, occam_last_error());
    double dev;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &dev), OCCAM_OK);
    char msg[256];
    snprintf(msg, sizeof msg, "%s: Cholesky deviance (%d threads)", c.id, threads);
    TU_ASSERT_REL(dev, tu_json_num(tu_json_get(c.j, "deviance")), 1e-8, msg);
    int64_t k;
    ck_assert_int_eq(occam_model_dims(m, &k, NULL), OCCAM_OK);
    double kappa = equilibrated_condition(&c);
    if (!(DBL_EPSILON * kappa <= 1e-8)) {
        printf("note: %s: Cholesky coefficients and SEs not compared with R's: the equilibrated X'WX has "
               "condition number %.3g, so Cholesky's error (about eps * kappa = %.1g) is beyond what 1e-6 "
               "needs; the QR solver (the default) is compared on it\n",
               c.id, kappa, DBL_EPSILON * kappa);
        occam_model_free(m);
        glm_case_free(&c);
        return;
    }
    /* rank-deficient cases too: the Cholesky path aliases the same columns
     * (its tolerance is at least 1e-7, above the rounding noise of X'WX) */
    double *v = malloc((size_t)(k + 1) * sizeof(double));
    double *se = tu_json_array(tu_json_get(c.j, "std_errors"), NULL);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, v, k), OCCAM_OK);
    assert_vec_scaled(c.id, "Cholesky coefficients", v, tu_json_get(c.j, "coefficients"), k, 1e-6, se);
    free(se);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, v, k), OCCAM_OK);
    assert_vec(c.id, "Cholesky std_errors", v, tu_json_get(c.j, "std_errors"), k, 1e-6);
    free(v);
    occam_model_free(m);
    glm_case_free(&c);
}

/* The default solver (auto) on every reference case: R's answer by
 * check_case (coefficients and SEs 1e-6 relative, aliasing identical,
 * iterations +-1), and the QR solver's: coefficients and SEs within 1e-6
 * relative (1e-10 SE absolute where the estimate is 0), the same aliased
 * set and iteration count.  A rank-deficient case must have been solved by
 * QR in the end (OCCAM_INFO_SOLVER). */
static void reference_case_auto(int i, int threads)
{
    glm_case c = glm_load_case(cases[i]);
    occam_model *m, *q;
    int rc = glm_fit_case_threads(&c, OCCAM_SOLVER_AUTO, threads, &m);
    ck_assert_msg(rc >= 0, "%s: auto fit failed: %d %s", c.id, rc, occam_last_error());
    check_case(&c, m, rc);
    int rq = glm_fit_case_threads(&c, OCCAM_SOLVER_QR, threads, &q);
    ck_assert_int_eq(rq, rc);
    int64_t k;
    ck_assert_int_eq(occam_model_dims(m, &k, NULL), OCCAM_OK);
    double *a = malloc((size_t)(2 * k + 2) * sizeof(double)), *b = a + k + 1;
    int *al = malloc((size_t)(2 * k + 2) * sizeof(int)), *bl = al + k + 1;
    ck_assert_int_eq(occam_model_aliased(m, al, k), OCCAM_OK);
    ck_assert_int_eq(occam_model_aliased(q, bl, k), OCCAM_OK);
    int deficient = 0;
    for (int64_t j = 0; j < k; j++) {
        ck_assert_msg(al[j] == bl[j], "%s: auto aliased[%lld] differs from QR's", c.id, (long long)j);
        deficient |= al[j];
    }
    double se_q[512];
    ck_assert(k <= 512);
    ck_assert_int_eq(occam_model_coef(q, OCCAM_COEF_STD_ERROR, se_q, k), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, a, k), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(q, OCCAM_COEF_ESTIMATE, b, k), OCCAM_OK);
    char msg[256];
    for (int64_t j = 0; j < k; j++) {
        snprintf(msg, sizeof msg, "%s: auto coefficient %lld vs QR", c.id, (long long)j);
        if (al[j]) /* NA (NaN) as R's, or whatever QR reports */
            ck_assert_msg(isnan(a[j]) == isnan(b[j]) && (isnan(a[j]) || a[j] == b[j]), "%s", msg);
        else if (fabs(b[j]) < 1e-10 * se_q[j])
            ck_assert_msg(fabs(a[j] - b[j]) <= 1e-10 * se_q[j], "%s", msg);
        else
            TU_ASSERT_REL(a[j], b[j], 1e-6, msg);
    }
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, a, k), OCCAM_OK);
    for (int64_t j = 0; j < k; j++) {
        snprintf(msg, sizeof msg, "%s: auto std error %lld vs QR", c.id, (long long)j);
        if (isnan(se_q[j]))
            ck_assert_msg(isnan(a[j]), "%s", msg);
        else
            TU_ASSERT_REL(a[j], se_q[j], 1e-6, msg);
    }
    double it_a, it_q, solver;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_ITER, &it_a), OCCAM_OK);
    ck_assert_int_eq(occam_model_info(q, OCCAM_INFO_ITER, &it_q), OCCAM_OK);
    ck_assert_msg(it_a == it_q, "%s: auto %g iterations, QR %g", c.id, it_a, it_q);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_SOLVER, &solver), OCCAM_OK);
    ck_assert(solver == OCCAM_SOLVER_QR || solver == OCCAM_SOLVER_CHOLESKY);
    if (deficient) ck_assert_msg(solver == OCCAM_SOLVER_QR, "%s: rank-deficient, solved by %g", c.id, solver);
    ck_assert_int_eq(occam_model_info(q, OCCAM_INFO_SOLVER, &solver), OCCAM_OK);
    ck_assert_int_eq((int)solver, OCCAM_SOLVER_QR);
    free(a);
    free(al);
    occam_model_free(m);
    occam_model_free(q);
    glm_case_free(&c);
}

START_TEST(test_reference_case_auto)
{
    reference_case_auto(_i, 1);
}
END_TEST

START_TEST(test_reference_case_auto_2_threads)
{
    reference_case_auto(_i, 2);
}
END_TEST

static occam_model *fit_solver(int family, int solver, const double *X, int64_t n, int64_t p, const double *y)
{
    occam_model *m;
    occam_opts *o;
    ck_assert_int_eq(occam_glm_new(family, OCCAM_LINK_DEFAULT, &m), OCCAM_OK);
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    if (solver) ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_SOLVER, solver), OCCAM_OK);
    int rc = occam_model_fit(m, o, X, n, p, n, OCCAM_COL_MAJOR, y, NULL, NULL);
    ck_assert_msg(rc == OCCAM_OK, "%s", occam_last_error());
    occam_opts_free(o);
    return m;
}

/* A design with two columns collinear to 1e-9 (x2 = x1 + 1e-9 u): R's
 * dqrdc2 keeps both (1e-9 > tol 1e-11), the normal equations cannot; the
 * default solver (auto) must see it at the first system and take the QR
 * branch, giving the QR solver's bits; a well-conditioned design keeps
 * Cholesky.  Poisson log, n = 400. */
START_TEST(test_auto_takes_qr_when_ill_conditioned)
{
    enum { N = 400 };
    static double X[3 * N], y[N];
    uint64_t s = 12345;
    for (int i = 0; i < N; i++) {
        double u[3];
        for (int j = 0; j < 3; j++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            u[j] = (double)(s >> 11) / 9007199254740992.0 - 0.5;
        }
        X[i] = u[0];
        X[i + N] = u[0] + 1e-9 * u[1];
        X[i + 2 * N] = u[2];
        y[i] = (double)((int)(3.0 * (u[1] + 0.5) + 2.0 * (u[0] + 0.5)));
    }
    occam_model *a = fit_solver(OCCAM_FAMILY_POISSON, 0, X, N, 3, y); /* the default */
    occam_model *q = fit_solver(OCCAM_FAMILY_POISSON, OCCAM_SOLVER_QR, X, N, 3, y);
    double sa, ba[4], bq[4], ia, iq;
    ck_assert_int_eq(occam_model_info(a, OCCAM_INFO_SOLVER, &sa), OCCAM_OK);
    ck_assert_int_eq((int)sa, OCCAM_SOLVER_QR);
    ck_assert_int_eq(occam_model_coef(a, OCCAM_COEF_ESTIMATE, ba, 4), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(q, OCCAM_COEF_ESTIMATE, bq, 4), OCCAM_OK);
    ck_assert(memcmp(ba, bq, sizeof ba) == 0);
    ck_assert_int_eq(occam_model_info(a, OCCAM_INFO_ITER, &ia), OCCAM_OK);
    ck_assert_int_eq(occam_model_info(q, OCCAM_INFO_ITER, &iq), OCCAM_OK);
    ck_assert(ia == iq);
    occam_model_free(a);
    occam_model_free(q);
    /* without the collinear column: well conditioned, Cholesky */
    for (int i = 0; i < N; i++) X[i + N] = X[i + 2 * N];
    a = fit_solver(OCCAM_FAMILY_POISSON, 0, X, N, 2, y);
    ck_assert_int_eq(occam_model_info(a, OCCAM_INFO_SOLVER, &sa), OCCAM_OK);
    ck_assert_int_eq((int)sa, OCCAM_SOLVER_CHOLESKY);
    occam_model_free(a);
    a = fit_solver(OCCAM_FAMILY_POISSON, OCCAM_SOLVER_CHOLESKY, X, N, 2, y);
    ck_assert_int_eq(occam_model_info(a, OCCAM_INFO_SOLVER, &sa), OCCAM_OK);
    ck_assert_int_eq((int)sa, OCCAM_SOLVER_CHOLESKY);
    occam_model_free(a);
}
END_TEST

START_TEST(test_reference_case_qr)
{
    reference_case_qr(_i, 1);
}
END_TEST

START_TEST(test_reference_case_qr_3_threads)
{
    reference_case_qr(_i, 3);
}
END_TEST

START_TEST(test_reference_case_cholesky)
{
    reference_case_cholesky(_i, 1);
}
END_TEST

START_TEST(test_reference_case_cholesky_2_threads)
{
    reference_case_cholesky(_i, 2);
}
END_TEST

/* ------------------------------------------------------------ API statuses */

START_TEST(test_new_statuses)
{
    occam_model *m = (occam_model *)1;
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOGIT, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_glm_new(0, OCCAM_LINK_LOGIT, &m), OCCAM_E_UNKNOWN_ENUM);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(occam_glm_new(99, OCCAM_LINK_DEFAULT, &m), OCCAM_E_UNKNOWN_ENUM);
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_POISSON, 42, &m), OCCAM_E_UNKNOWN_ENUM);
    /* R: binomial(link = "identity") and poisson(link = "logit") are errors */
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_IDENTITY, &m), OCCAM_E_BAD_LINK);
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOGIT, &m), OCCAM_E_BAD_LINK);
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_GAMMA, OCCAM_LINK_INVERSE_SQUARE, &m), OCCAM_E_BAD_LINK);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_GAMMA, OCCAM_LINK_DEFAULT, &m), OCCAM_OK);
    ck_assert_int_eq(occam_model_kind(m), OCCAM_MODEL_GLM);
    ck_assert_int_eq(occam_model_is_fitted(m), 0);
    double v;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &v), OCCAM_E_NOT_FITTED);
    double s[2] = {1, NAN};
    ck_assert_int_eq(occam_glm_set_start(m, s, 2), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_glm_set_start(m, NULL, 2), OCCAM_E_NULL);
    ck_assert_int_eq(occam_glm_set_start(m, s, -1), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_glm_set_start(m, s, 1), OCCAM_OK);
    ck_assert_int_eq(occam_glm_set_start(m, NULL, 0), OCCAM_OK);
    ck_assert_int_eq(occam_glm_set_mustart(m, s, 2), OCCAM_E_NONFINITE);
    occam_model_free(m);
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_glm_set_start(m, s, 1), OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_glm_set_mustart(m, s, 1), OCCAM_E_WRONG_MODEL);
    occam_model_free(m);
}
END_TEST

/* Default links are R's (gaussian identity, binomial logit, poisson log,
 * Gamma inverse, inverse.gaussian 1/mu^2). */
START_TEST(test_default_links)
{
    const int fam[] = {OCCAM_FAMILY_GAUSSIAN, OCCAM_FAMILY_BINOMIAL, OCCAM_FAMILY_POISSON, OCCAM_FAMILY_GAMMA,
                       OCCAM_FAMILY_INVERSE_GAUSSIAN, OCCAM_FAMILY_QUASIBINOMIAL, OCCAM_FAMILY_QUASIPOISSON};
    const int link[] = {OCCAM_LINK_IDENTITY, OCCAM_LINK_LOGIT, OCCAM_LINK_LOG, OCCAM_LINK_INVERSE,
                        OCCAM_LINK_INVERSE_SQUARE, OCCAM_LINK_LOGIT, OCCAM_LINK_LOG};
    const double X[4] = {1, 2, 3, 4}, y[4] = {0.2, 0.4, 0.5, 0.9};
    for (int i = 0; i < 7; i++) {
        occam_model *m;
        ck_assert_int_eq(occam_glm_new(fam[i], OCCAM_LINK_DEFAULT, &m), OCCAM_OK);
        int rc = occam_model_fit(m, NULL, X, 4, 1, 4, OCCAM_COL_MAJOR, y, NULL, NULL);
        ck_assert_msg(rc >= 0, "family %d: %s", fam[i], occam_last_error());
        double l;
        ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_LINK, &l), OCCAM_OK);
        ck_assert_int_eq((int)l, link[i]);
        occam_model_free(m);
    }
}
END_TEST

/* A failed refit leaves the earlier fit untouched. */
START_TEST(test_error_keeps_model)
{
    glm_case c = glm_load_case("glm/dobson_poisson_log.json");
    occam_model *m;
    ck_assert_int_eq(glm_fit_case(&c, OCCAM_SOLVER_QR, &m), OCCAM_OK);
    double dev0, dev1, b0[5], b1[5];
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &dev0), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, b0, 5), OCCAM_OK);
    c.y[3] = -1; /* negative count */
    ck_assert_int_eq(occam_model_fit(m, NULL, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL),
                     OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &dev1), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, b1, 5), OCCAM_OK);
    ck_assert(dev0 == dev1);
    ck_assert(memcmp(b0, b1, sizeof b0) == 0);
    int64_t n;
    ck_assert_int_eq(occam_model_nrows(m, &n), OCCAM_OK);
    ck_assert_int_eq(n, c.n);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

/* Row-major X gives the same fit as column-major (spector, R reference). */
START_TEST(test_row_major)
{
    glm_case c = glm_load_case("glm/spector_binomial_logit.json");
    double *R = malloc((size_t)(c.n * c.p) * sizeof(double));
    for (int64_t i = 0; i < c.n; i++)
        for (int64_t j = 0; j < c.p; j++) R[i * c.p + j] = c.X[i + j * c.n];
    occam_model *m;
    ck_assert_int_eq(occam_glm_new(c.family, c.link, &m), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, R, c.n, c.p, c.p, OCCAM_ROW_MAJOR, c.y, NULL, NULL), OCCAM_OK);
    check_case(&c, m, OCCAM_OK);
    occam_model_free(m);
    free(R);
    glm_case_free(&c);
}
END_TEST


/* ------------------------------------------------------ bad input, one row each */

/* A small valid poisson problem the bad-input tests corrupt one thing at a time. */
typedef struct small {
    double X[8], y[4], w[4], off[4];
} small;

static small small_ok(void)
{
    small s = {{1, 2, 3, 4, 0.5, 0.1, 0.7, 0.2}, {1, 0, 3, 5}, {1, 1, 2, 1}, {0, 0.1, 0, 0.2}};
    return s;
}

static int small_fit(int family, const small *s, const double *start, int64_t nstart)
{
    occam_model *m;
    /* log link for inverse.gaussian: 1/mu^2 has no valid start on these data */
    ck_assert_int_eq(occam_glm_new(family, family == OCCAM_FAMILY_INVERSE_GAUSSIAN ? OCCAM_LINK_LOG : 0, &m),
                     OCCAM_OK);
    if (start) ck_assert_int_eq(occam_glm_set_start(m, start, nstart), OCCAM_OK);
    int rc = occam_model_fit(m, NULL, s->X, 4, 2, 4, OCCAM_COL_MAJOR, s->y, s->w, s->off);
    ck_assert_int_eq(occam_model_is_fitted(m), rc >= 0);
    occam_model_free(m);
    return rc;
}

START_TEST(test_bad_negative_count)
{
    small s = small_ok();
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_POISSON, &s, NULL, 0), OCCAM_OK);
    s.y[2] = -1;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_POISSON, &s, NULL, 0), OCCAM_E_DOMAIN);
    ck_assert_msg(strstr(occam_last_error(), "negative values not allowed") != NULL, "%s", occam_last_error());
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_QUASIPOISSON, &s, NULL, 0), OCCAM_E_DOMAIN);
}
END_TEST

START_TEST(test_bad_binomial_y)
{
    small s = small_ok();
    double y01[4] = {0, 0.5, 1, 0.25};
    const double w[4] = {1, 2, 2, 4};
    memcpy(s.y, y01, sizeof y01);
    memcpy(s.w, w, sizeof w);
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_BINOMIAL, &s, NULL, 0), OCCAM_OK);
    s.y[1] = 1.5;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_BINOMIAL, &s, NULL, 0), OCCAM_E_DOMAIN);
    ck_assert_msg(strstr(occam_last_error(), "0 <= y <= 1") != NULL, "%s", occam_last_error());
    s.y[1] = -0.1;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_QUASIBINOMIAL, &s, NULL, 0), OCCAM_E_DOMAIN);
}
END_TEST

START_TEST(test_bad_gamma_y)
{
    small s = small_ok();
    s.y[1] = 2;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_GAMMA, &s, NULL, 0), OCCAM_OK);
    s.y[1] = 0;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_GAMMA, &s, NULL, 0), OCCAM_E_DOMAIN);
    s.y[1] = -2;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_GAMMA, &s, NULL, 0), OCCAM_E_DOMAIN);
}
END_TEST

START_TEST(test_bad_inverse_gaussian_y)
{
    small s = small_ok();
    s.y[1] = 2;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_INVERSE_GAUSSIAN, &s, NULL, 0), OCCAM_OK);
    s.y[1] = 0;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_INVERSE_GAUSSIAN, &s, NULL, 0), OCCAM_E_DOMAIN);
}
END_TEST

START_TEST(test_bad_nonfinite_X)
{
    small s = small_ok();
    s.X[5] = NAN;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_POISSON, &s, NULL, 0), OCCAM_E_NONFINITE);
    s.X[5] = INFINITY;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_POISSON, &s, NULL, 0), OCCAM_E_NONFINITE);
}
END_TEST

START_TEST(test_bad_nonfinite_y)
{
    small s = small_ok();
    s.y[0] = NAN;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_POISSON, &s, NULL, 0), OCCAM_E_NONFINITE);
    s.y[0] = -INFINITY;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_GAUSSIAN, &s, NULL, 0), OCCAM_E_NONFINITE);
}
END_TEST

START_TEST(test_bad_nonfinite_weights)
{
    small s = small_ok();
    s.w[3] = INFINITY;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_POISSON, &s, NULL, 0), OCCAM_E_NONFINITE);
}
END_TEST

START_TEST(test_bad_nonfinite_offset)
{
    small s = small_ok();
    s.off[2] = NAN;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_POISSON, &s, NULL, 0), OCCAM_E_NONFINITE);
}
END_TEST

START_TEST(test_bad_nonfinite_start)
{
    occam_model *m;
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &m), OCCAM_OK);
    const double start[3] = {0, INFINITY, 0};
    ck_assert_int_eq(occam_glm_set_start(m, start, 3), OCCAM_E_NONFINITE);
    occam_model_free(m);
}
END_TEST

START_TEST(test_bad_negative_weights)
{
    small s = small_ok();
    s.w[1] = -1;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_POISSON, &s, NULL, 0), OCCAM_E_BAD_WEIGHTS);
}
END_TEST

START_TEST(test_bad_start_length)
{
    small s = small_ok();
    const double start[4] = {0.1, 0.1, 0.1, 0.1};
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_POISSON, &s, start, 3), OCCAM_OK);
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_POISSON, &s, start, 2), OCCAM_E_DIM_MISMATCH);
    ck_assert_msg(strstr(occam_last_error(), "length of 'start' should equal 3") != NULL, "%s",
                  occam_last_error());
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_POISSON, &s, start, 4), OCCAM_E_DIM_MISMATCH);
}
END_TEST

START_TEST(test_bad_link_pair)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_INVERSE_GAUSSIAN, OCCAM_LINK_LOGIT, &m), OCCAM_E_BAD_LINK);
    ck_assert_msg(strstr(occam_last_error(), "not available for inverse.gaussian family") != NULL, "%s",
                  occam_last_error());
    ck_assert_ptr_null(m);
}
END_TEST

START_TEST(test_bad_unknown_enum)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_glm_new(8, OCCAM_LINK_DEFAULT, &m), OCCAM_E_UNKNOWN_ENUM);
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_GAUSSIAN, -1, &m), OCCAM_E_UNKNOWN_ENUM);
    /* unknown solver value in the options */
    small s = small_ok();
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &m), OCCAM_OK);
    occam_opts *o;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    if (occam_opts_set_int(o, OCCAM_OPT_SOLVER, 7) == OCCAM_OK) /* the options may reject it already */
        ck_assert_int_eq(occam_model_fit(m, o, s.X, 4, 2, 4, OCCAM_COL_MAJOR, s.y, s.w, s.off),
                         OCCAM_E_UNKNOWN_ENUM);
    occam_opts_free(o);
    occam_model_free(m);
}
END_TEST

START_TEST(test_bad_null_y)
{
    small s = small_ok();
    occam_model *m;
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &m), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, s.X, 4, 2, 4, OCCAM_COL_MAJOR, NULL, NULL, NULL), OCCAM_E_NULL);
    occam_model_free(m);
}
END_TEST

/* Non-integer binomial successes and poisson counts are accepted with a
 * condition, as R warns (values against R in the nonint_* reference cases). */
START_TEST(test_non_integer_accepted)
{
    small s = small_ok();
    s.y[1] = 2.5;
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_POISSON, &s, NULL, 0), OCCAM_W_NON_INTEGER);
    ck_assert_int_eq(small_fit(OCCAM_FAMILY_QUASIPOISSON, &s, NULL, 0), OCCAM_OK);
}
END_TEST

static Suite *glm_suite(void)
{
    Suite *s = suite_create("glm");
    ncases = glm_list_cases(cases, GLM_MAX_CASES);
    TCase *tc = tcase_create("reference");
    tcase_add_loop_test(tc, test_reference_case_qr, 0, ncases);
    tcase_add_loop_test(tc, test_reference_case_cholesky, 0, ncases);
    tcase_add_loop_test(tc, test_reference_case_qr_3_threads, 0, ncases);
    tcase_add_loop_test(tc, test_reference_case_cholesky_2_threads, 0, ncases);
    tcase_add_loop_test(tc, test_reference_case_auto, 0, ncases);
    tcase_add_test(tc, test_auto_takes_qr_when_ill_conditioned);
    tcase_add_loop_test(tc, test_reference_case_auto_2_threads, 0, ncases);
    suite_add_tcase(s, tc);
    TCase *api = tcase_create("api");
    tcase_add_test(api, test_new_statuses);
    tcase_add_test(api, test_default_links);
    tcase_add_test(api, test_error_keeps_model);
    tcase_add_test(api, test_row_major);
    suite_add_tcase(s, api);
    TCase *bad = tcase_create("bad_input");
    tcase_add_test(bad, test_bad_negative_count);
    tcase_add_test(bad, test_bad_binomial_y);
    tcase_add_test(bad, test_bad_gamma_y);
    tcase_add_test(bad, test_bad_inverse_gaussian_y);
    tcase_add_test(bad, test_bad_nonfinite_X);
    tcase_add_test(bad, test_bad_nonfinite_y);
    tcase_add_test(bad, test_bad_nonfinite_weights);
    tcase_add_test(bad, test_bad_nonfinite_offset);
    tcase_add_test(bad, test_bad_nonfinite_start);
    tcase_add_test(bad, test_bad_negative_weights);
    tcase_add_test(bad, test_bad_start_length);
    tcase_add_test(bad, test_bad_link_pair);
    tcase_add_test(bad, test_bad_unknown_enum);
    tcase_add_test(bad, test_bad_null_y);
    tcase_add_test(bad, test_non_integer_accepted);
    suite_add_tcase(s, bad);
    return s;
}

int main(void)
{
    int rc = tu_run_suite(glm_suite());
    for (int i = 0; i < ncases; i++) free(cases[i]);
    return rc;
}
