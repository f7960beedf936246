/*
 * check_glm_irls.c -- the IRLS driver (lib/glm_stream.c, glm_pass.c): the algorithmic
 * situations of R's glm.fit, each against R 4.2.2 (the extra reference
 * cases of tests/data/glm/extra, made by make_extra.R, or R values quoted
 * with the R call that produced them):
 *  - separation (fitted probabilities 0 or 1, not converged in 25 iterations);
 *  - non-convergence (maxit = 3 and 2): the coefficients R has after them;
 *  - rank deficiency: a duplicated column and a dependent middle column
 *    (dqrdc2 aliases the column where the dependence appears, not the last);
 *  - step-halving at the boundary (out-of-bounds mu) with start values;
 *  - R's error "no valid set of coefficients has been found" as
 *    OCCAM_E_NUMERIC, invalid start values as OCCAM_E_DOMAIN;
 *  - the empty model (no coefficients) against R's glm(y ~ 0 + offset);
 *  - row blocks: a fit spanning several accumulator blocks equals the
 *    weighted fit of half the rows (exact identity, 1e-10);
 *  - glm2's halving on deviance increase leaves R's answer on regular cases,
 *    and converges where plain IRLS oscillates (R reference: glm.fit2, a
 *    transcription of glm2 in make_extra.R), and on glm2's heart data gives
 *    glm2's own result (reference from the glm2 package).
 * Tolerances: coefficients and SEs 1e-6, deviance 1e-8 (the issue's).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glm_case.h"

static void check_coefs(const glm_case *c, const occam_model *m)
{
    int64_t k = c->p + c->intercept, n;
    double *b = malloc((size_t)k * sizeof(double)), *se = malloc((size_t)k * sizeof(double));
    double *rb = tu_json_array(tu_json_get(c->j, "coefficients"), &n);
    double *rse = tu_json_array(tu_json_get(c->j, "std_errors"), NULL);
    ck_assert_int_eq(n, k);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, b, k), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, k), OCCAM_OK);
    for (int64_t j = 0; j < k; j++) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s coef %lld", c->id, (long long)j);
        TU_ASSERT_REL(b[j], rb[j], 1e-6, msg);
        snprintf(msg, sizeof msg, "%s se %lld", c->id, (long long)j);
        TU_ASSERT_REL(se[j], rse[j], 1e-6, msg);
    }
    double dev;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &dev), OCCAM_OK);
    TU_ASSERT_REL(dev, tu_json_num(tu_json_get(c->j, "deviance")), 1e-8, "deviance");
    free(b), free(se), free(rb), free(rse);
}

static occam_model *fit_extra(const char *rel, glm_case *c, int expect_rc)
{
    *c = glm_load_case(rel);
    occam_model *m;
    int rc = glm_fit_case(c, OCCAM_SOLVER_QR, &m);
    ck_assert_msg(rc == expect_rc, "%s: status %d (%s), expected %d", c->id, rc, occam_last_error(), expect_rc);
    return m;
}

START_TEST(test_separation)
{
    glm_case c;
    occam_model *m = fit_extra("glm/extra/separation_binomial_logit.json", &c, OCCAM_W_NOT_CONVERGED);
    int cond;
    ck_assert_int_eq(occam_model_conditions(m, &cond), OCCAM_OK);
    ck_assert_int_eq(cond, OCCAM_COND_NOT_CONVERGED | OCCAM_COND_FITTED_01);
    double it;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_ITER, &it), OCCAM_OK);
    ck_assert(it == 25);
    check_coefs(&c, m);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

START_TEST(test_nonconvergence)
{
    const char *files[] = {"glm/extra/nonconv_maxit3_spector_binomial_logit.json",
                           "glm/extra/nonconv_maxit2_scotland_gamma_inverse.json"};
    for (int f = 0; f < 2; f++) {
        glm_case c;
        occam_model *m = fit_extra(files[f], &c, OCCAM_W_NOT_CONVERGED);
        double conv, it;
        ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_CONVERGED, &conv), OCCAM_OK);
        ck_assert(conv == 0);
        ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_ITER, &it), OCCAM_OK);
        ck_assert(it == c.maxit);
        ck_assert_str_eq(occam_last_error(), "glm.fit: algorithm did not converge");
        check_coefs(&c, m);
        occam_model_free(m);
        glm_case_free(&c);
    }
}
END_TEST

START_TEST(test_rank_deficiency)
{
    const char *files[] = {"glm/extra/rankdef_dup_warpbreaks_poisson_log.json",
                           "glm/extra/rankdef_middle_infert_binomial_logit.json",
                           "glm/extra/rankdef_cars_gaussian_identity.json"};
    const int aliased_col[] = {4, 3, 2};
    for (int f = 0; f < 3; f++) {
        glm_case c;
        occam_model *m = fit_extra(files[f], &c, OCCAM_W_RANK_DEFICIENT);
        int al[8];
        int64_t k = c.p + c.intercept;
        ck_assert_int_eq(occam_model_aliased(m, al, k), OCCAM_OK);
        for (int64_t j = 0; j < k; j++) ck_assert_int_eq(al[j], j == aliased_col[f]);
        double b[8], rank, dfr;
        ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, b, k), OCCAM_OK);
        ck_assert(isnan(b[aliased_col[f]]));
        ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_RANK, &rank), OCCAM_OK);
        ck_assert(rank == k - 1);
        ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DF_RESIDUAL, &dfr), OCCAM_OK);
        ck_assert(dfr == c.n - (k - 1));
        double *V = malloc((size_t)(k * k) * sizeof(double));
        ck_assert_int_eq(occam_model_vcov(m, V, k), OCCAM_OK);
        for (int64_t j = 0; j < k; j++) ck_assert(isnan(V[aliased_col[f] + j * k]) && isnan(V[j + aliased_col[f] * k]));
        free(V);
        check_coefs(&c, m);
        occam_model_free(m);
        glm_case_free(&c);
    }
}
END_TEST

/* Fewer rows than columns (issue 15, point 3): R's glm.fit on the 3 x 4000
 * design of tests/data/linear/make_wide_reference.R (Poisson, log link)
 * keeps the intercept, x1 and x4 (at most n coefficients) and fits the
 * data exactly.  Coefficients 1e-6, deviance 1e-8 absolute (R's is 0 to
 * rounding); each IRLS solve costs O(n p min(n, p)), never a k x k array. */
START_TEST(test_wide_design)
{
    cJSON *ref = tu_load_json("linear/wide_reference.json");
    const cJSON *r = tu_json_get(ref, "glm_poisson_3x4000");
    const int64_t n = 3, p = 4000, k = p + 1;
    int64_t ny, nkept, nc;
    double *y = tu_json_array(tu_json_get(r, "y"), &ny);
    double *kept = tu_json_array(tu_json_get(r, "kept"), &nkept);
    double *coef = tu_json_array(tu_json_get(r, "coef_kept"), &nc);
    double *X = malloc((size_t)(n * p) * sizeof(double));
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = 0; i < n; i++) X[i + j * n] = (double)((37 * i + 101 * j + 7 * i * j) % 199) - 99.0;
    for (int64_t i = 0; i < n; i++) {
        X[i + n] = 2.0 * X[i];
        X[i + 2 * n] = 0.0;
    }
    for (int threads = 1; threads <= 2; threads++) {
        occam_model *m = NULL;
        occam_opts *o = NULL;
        ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &m), OCCAM_OK);
        ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
        ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_THREADS, threads), OCCAM_OK);
        ck_assert_int_eq(occam_model_fit(m, o, X, n, p, n, OCCAM_COL_MAJOR, y, NULL, NULL), OCCAM_W_RANK_DEFICIENT);
        double *est = malloc((size_t)k * sizeof(double)), dev, rank;
        int *al = malloc((size_t)k * sizeof(int));
        ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, k), OCCAM_OK);
        ck_assert_int_eq(occam_model_aliased(m, al, k), OCCAM_OK);
        for (int64_t j = 0, a = 0; j < k; j++) {
            int is_kept = a < nkept && (int64_t)kept[a] == j;
            ck_assert_int_eq(al[j], !is_kept);
            if (is_kept) TU_ASSERT_REL(est[j], coef[a++], 1e-6, "kept coefficient");
        }
        ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &dev), OCCAM_OK);
        ck_assert_double_le(fabs(dev - tu_json_num(tu_json_get(r, "deviance"))), 1e-8);
        ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_RANK, &rank), OCCAM_OK);
        ck_assert_double_eq(rank, 3.0);
        occam_model_free(m);
        occam_opts_free(o);
        free(est);
        free(al);
    }
    free(X);
    free(y);
    free(kept);
    free(coef);
    cJSON_Delete(ref);
}
END_TEST

START_TEST(test_boundary)
{
    const char *files[] = {"glm/extra/boundary_poisson_identity.json", "glm/extra/boundary_poisson_sqrt.json"};
    for (int f = 0; f < 2; f++) {
        glm_case c;
        occam_model *m = fit_extra(files[f], &c, OCCAM_W_BOUNDARY);
        int cond;
        double bnd;
        ck_assert_int_eq(occam_model_conditions(m, &cond), OCCAM_OK);
        /* R: "step size truncated: out of bounds", "algorithm stopped at
         * boundary value", "fitted rates numerically 0 occurred" */
        ck_assert_int_eq(cond, OCCAM_COND_STEP_OUT_OF_BOUNDS | OCCAM_COND_BOUNDARY | OCCAM_COND_FITTED_ZERO);
        ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_BOUNDARY, &bnd), OCCAM_OK);
        ck_assert(bnd == 1);
        check_coefs(&c, m);
        occam_model_free(m);
        glm_case_free(&c);
    }
}
END_TEST

/* R: glm(y ~ ldose, weights = n, family = binomial("log")) on budworm stops
 * with "no valid set of coefficients has been found: please supply starting
 * values" (the first step leaves 0 < mu < 1 and there is no previous fit). */
START_TEST(test_no_valid_coefficients)
{
    glm_case c = glm_load_case("glm/budworm_binomial_logit.json");
    occam_model *m;
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOG, &m), OCCAM_OK);
    const double *ldose = c.X + 1 * c.n; /* columns: sexM, ldose, sexM_x_ldose */
    int rc = occam_model_fit(m, NULL, ldose, c.n, 1, c.n, OCCAM_COL_MAJOR, c.y, c.w, NULL);
    ck_assert_int_eq(rc, OCCAM_E_NUMERIC);
    ck_assert_msg(strstr(occam_last_error(), "no valid set of coefficients") != NULL, "%s", occam_last_error());
    ck_assert_int_eq(occam_model_is_fitted(m), 0);
    /* With start values inside the region R fits it (esoph_binomial_log
     * case), halving one step: "step size truncated due to divergence". */
    occam_model_free(m);
    glm_case_free(&c);
    occam_model *m2 = fit_extra("glm/extra/esoph_binomial_log.json", &c, OCCAM_W_STEP_DIVERGENCE);
    check_coefs(&c, m2);
    occam_model_free(m2);
    glm_case_free(&c);
}
END_TEST

/* Start values giving mu outside (0, 1): R "cannot find valid starting
 * values: please specify some"; so do mustart values outside the range. */
START_TEST(test_invalid_start)
{
    glm_case c = glm_load_case("glm/budworm_binomial_logit.json");
    occam_model *m;
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOG, &m), OCCAM_OK);
    const double start[2] = {0.5, 0.1}; /* log mu > 0 */
    ck_assert_int_eq(occam_glm_set_start(m, start, 2), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, c.X + c.n, c.n, 1, c.n, OCCAM_COL_MAJOR, c.y, c.w, NULL),
                     OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam_glm_set_start(m, NULL, 0), OCCAM_OK);
    double *mus = malloc((size_t)c.n * sizeof(double));
    for (int64_t i = 0; i < c.n; i++) mus[i] = 1.0;
    ck_assert_int_eq(occam_glm_set_mustart(m, mus, c.n), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, c.X + c.n, c.n, 1, c.n, OCCAM_COL_MAJOR, c.y, c.w, NULL),
                     OCCAM_E_DOMAIN);
    free(mus);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

/* mustart = R's own starting means reproduces the default fit exactly. */
START_TEST(test_mustart)
{
    glm_case c = glm_load_case("glm/warpbreaks_poisson_log.json");
    occam_model *m;
    ck_assert_int_eq(occam_glm_new(c.family, c.link, &m), OCCAM_OK);
    double *mus = malloc((size_t)c.n * sizeof(double));
    for (int64_t i = 0; i < c.n; i++) mus[i] = c.y[i] + 0.1; /* poisson initialize */
    ck_assert_int_eq(occam_glm_set_mustart(m, mus, c.n), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL), OCCAM_OK);
    check_coefs(&c, m);
    ck_assert_int_eq(occam_glm_set_mustart(m, mus, c.n - 1), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL),
                     OCCAM_E_DIM_MISMATCH);
    free(mus);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

/* R 4.2.2: d <- read.csv("insurance_poisson_log_offset_y.csv");
 * f <- glm(d$y ~ 0 + offset(d$offset), family = poisson): deviance =
 * null deviance = 28027.698771795465, AIC 28345.020293044898, iter 0,
 * df.residual = df.null = 64. */
START_TEST(test_empty_model)
{
    glm_case c = glm_load_case("glm/insurance_poisson_log_offset.json");
    occam_model *m;
    occam_opts *o;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_INTERCEPT, 0), OCCAM_OK);
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &m), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, o, c.X, c.n, 0, c.n, OCCAM_COL_MAJOR, c.y, NULL, c.off), OCCAM_OK);
    double v;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &v), OCCAM_OK);
    TU_ASSERT_REL(v, 28027.698771795465, 1e-8, "empty deviance");
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_NULL_DEVIANCE, &v), OCCAM_OK);
    TU_ASSERT_REL(v, 28027.698771795465, 1e-8, "empty null deviance");
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_AIC, &v), OCCAM_OK);
    TU_ASSERT_REL(v, 28345.020293044898, 1e-8, "empty AIC");
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_ITER, &v), OCCAM_OK);
    ck_assert(v == 0);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DF_RESIDUAL, &v), OCCAM_OK);
    ck_assert(v == 64);
    int64_t k;
    ck_assert_int_eq(occam_model_dims(m, &k, NULL), OCCAM_OK);
    ck_assert_int_eq(k, 0);
    occam_opts_free(o);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

/* Many accumulator blocks: every row twice equals each row once with prior
 * weight 2 (same estimating equations; deviance doubles).  n = 2 x 40000
 * rows, several blocks of the QR accumulator, both solvers, epsilon 1e-15. */
START_TEST(test_blocks_duplicate_rows)
{
    int64_t n = 40000, p = 3;
    double *X = malloc((size_t)(2 * n * p) * sizeof(double)), *X1 = malloc((size_t)(n * p) * sizeof(double));
    double *y = malloc((size_t)(2 * n) * sizeof(double)), *y1 = malloc((size_t)n * sizeof(double));
    double *w = malloc((size_t)n * sizeof(double));
    uint64_t s = 12345;
    for (int64_t i = 0; i < n; i++) {
        double eta = -0.3;
        for (int64_t j = 0; j < p; j++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            double u = (double)(s >> 11) / 9007199254740992.0;
            X1[i + j * n] = 2 * u - 1;
            eta += 0.7 * (j + 1) * X1[i + j * n] / p;
        }
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(s >> 11) / 9007199254740992.0;
        y1[i] = u < 1 / (1 + exp(-eta)) ? 1 : 0;
        w[i] = 2;
        for (int64_t j = 0; j < p; j++) X[i + j * 2 * n] = X[i + n + j * 2 * n] = X1[i + j * n];
        y[i] = y[i + n] = y1[i];
    }
    for (int solver = OCCAM_SOLVER_QR; solver <= OCCAM_SOLVER_CHOLESKY; solver++) {
        occam_opts *o;
        ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
        ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_SOLVER, solver), OCCAM_OK);
        /* iterate to the fixed point so both fits stop at the same solution */
        ck_assert_int_eq(occam_opts_set_double(o, OCCAM_OPT_EPSILON, 1e-15), OCCAM_OK);
        ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_MAXIT, 100), OCCAM_OK);
        occam_model *a, *b;
        ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOGIT, &a), OCCAM_OK);
        ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOGIT, &b), OCCAM_OK);
        ck_assert_int_eq(occam_model_fit(a, o, X, 2 * n, p, 2 * n, OCCAM_COL_MAJOR, y, NULL, NULL), OCCAM_OK);
        ck_assert_int_eq(occam_model_fit(b, o, X1, n, p, n, OCCAM_COL_MAJOR, y1, w, NULL), OCCAM_OK);
        double ba[4], bb[4], sa[4], sb[4], da, db;
        ck_assert_int_eq(occam_model_coef(a, OCCAM_COEF_ESTIMATE, ba, 4), OCCAM_OK);
        ck_assert_int_eq(occam_model_coef(b, OCCAM_COEF_ESTIMATE, bb, 4), OCCAM_OK);
        ck_assert_int_eq(occam_model_coef(a, OCCAM_COEF_STD_ERROR, sa, 4), OCCAM_OK);
        ck_assert_int_eq(occam_model_coef(b, OCCAM_COEF_STD_ERROR, sb, 4), OCCAM_OK);
        for (int j = 0; j < 4; j++) {
            TU_ASSERT_REL(ba[j], bb[j], 1e-10, "duplicated rows vs weights: coefficient");
            /* SEs use the previous iterate's working weights (R's stale weights);
             * at convergence that iterate moves by ~sqrt(epsilon) between two
             * equivalent fits whose rounding differs (2x the rows, other block
             * boundaries), so their SEs agree to ~1e-9, not to rounding. */
            TU_ASSERT_REL(sa[j], sb[j], 1e-8, "duplicated rows vs weights: SE");
        }
        ck_assert_int_eq(occam_model_info(a, OCCAM_INFO_DEVIANCE, &da), OCCAM_OK);
        ck_assert_int_eq(occam_model_info(b, OCCAM_INFO_DEVIANCE, &db), OCCAM_OK);
        TU_ASSERT_REL(da, db, 1e-10, "deviance");
        occam_model_free(a);
        occam_model_free(b);
        occam_opts_free(o);
    }
    free(X), free(X1), free(y), free(y1), free(w);
}
END_TEST

/* glm2's extra halving (OCCAM_OPT_HALVE_ON_INCREASE) only acts when the
 * deviance rises: on every regular reference case the fit stays R's. */
START_TEST(test_halve_on_increase)
{
    const char *files[] = {"glm/clotting_inverse_gaussian_1mu2.json", "glm/airquality_gamma_log.json",
                           "glm/spector_binomial_probit.json", "glm/extra/clotting_inverse_gaussian_identity.json",
                           "glm/extra/start_clotting_gamma_identity.json"};
    for (int f = 0; f < 5; f++) {
        glm_case c = glm_load_case(files[f]);
        occam_model *m;
        ck_assert_int_eq(occam_glm_new(c.family, c.link, &m), OCCAM_OK);
        if (c.start) ck_assert_int_eq(occam_glm_set_start(m, c.start, c.nstart), OCCAM_OK);
        occam_opts *o;
        ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
        ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_HALVE_ON_INCREASE, 1), OCCAM_OK);
        int rc = occam_model_fit(m, o, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, c.has_w ? c.w : NULL,
                                 c.has_off ? c.off : NULL);
        int want = glm_expected_status(glm_expected_conditions(&c)); /* R's warnings: the same here */
        ck_assert_msg(rc == want, "%s: %d %s, expected %d", c.id, rc, occam_last_error(), want);
        double dev;
        ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &dev), OCCAM_OK);
        TU_ASSERT_REL(dev, tu_json_num(tu_json_get(c.j, "deviance")), 1e-8, c.id);
        occam_opts_free(o);
        occam_model_free(m);
        glm_case_free(&c);
    }
}
END_TEST

/* Where plain IRLS oscillates (R's glm.fit: 25 iterations, not converged),
 * glm2's halving converges in 9 (R: glm(..., method = glm.fit2), the
 * transcription of glm2 in make_extra.R); same data, start values. */
START_TEST(test_glm2_converges)
{
    glm_case c;
    occam_model *m = fit_extra("glm/extra/increase_poisson_identity.json", &c, OCCAM_W_NOT_CONVERGED);
    check_coefs(&c, m);
    occam_model_free(m);
    glm_case_free(&c);
    m = fit_extra("glm/glm2/glm2_increase_poisson_identity.json", &c, OCCAM_W_STEP_DIVERGENCE);
    ck_assert(c.halve_on_increase == 1);
    double it;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_ITER, &it), OCCAM_OK);
    ck_assert(it == 9);
    check_coefs(&c, m);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

/* glm2's heart data (Marschner 2011, The R Journal 3/2), log-binomial from
 * glm2's start: R 4.2.2's glm.fit does not converge in 25 iterations
 * (boundary), glm2::glm.fit2 converges in 14 at deviance 149.3209936305085
 * (shared/reference/glm/glm2, from glm2 itself; copy in
 * tests/data/glm/glm2/heart).  Coefficients, SEs, fitted values 1e-6,
 * deviance and null deviance 1e-8, iterations exact (glm2's count), the
 * conditions R's warnings give.  Before glm2's rule was followed (a step
 * was kept once the increase was below epsilon) the glm2 fit stopped after
 * 11 iterations at 149.32102602. */
static cJSON *heart_reference(tu_csv *csv)
{
    char path[4096];
    const char *shared = tu_shared_dir();
    if (shared != NULL) {
        snprintf(path, sizeof path, "%s/reference/glm/glm2/heart_logbinomial.csv", shared);
        *csv = tu_load_csv(path);
        snprintf(path, sizeof path, "%s/reference/glm/glm2/heart_logbinomial.json", shared);
        return tu_load_json(path);
    }
    *csv = tu_load_csv("glm/glm2/heart/heart_logbinomial.csv");
    return tu_load_json("glm/glm2/heart/heart_logbinomial.json");
}

static occam_model *fit_heart(const tu_csv *d, int halve, int *rc)
{
    const char *xcols[] = {"AgeGroup2", "AgeGroup3", "Severity2", "Severity3", "Delay2", "Delay3", "Region2", "Region3"};
    enum { P = 8 };
    int64_t n = d->nrows;
    double *X = malloc((size_t)(n * P) * sizeof(double));
    for (int j = 0; j < P; j++) memcpy(X + j * n, tu_csv_column(d, tu_csv_col(d, xcols[j])), (size_t)n * sizeof(double));
    const double start[P + 1] = {-2.78619194961914, 0, 0, 0, 0, 0, 0, 0, 0}; /* the reference's r_call */
    occam_model *m;
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOG, &m), OCCAM_OK);
    ck_assert_int_eq(occam_glm_set_start(m, start, P + 1), OCCAM_OK);
    occam_opts *o;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_HALVE_ON_INCREASE, halve), OCCAM_OK);
    *rc = occam_model_fit(m, o, X, n, P, n, OCCAM_COL_MAJOR, tu_csv_column(d, tu_csv_col(d, "y")),
                          tu_csv_column(d, tu_csv_col(d, "weights")), tu_csv_column(d, tu_csv_col(d, "offset")));
    occam_opts_free(o);
    free(X);
    return m;
}

static void check_heart(const occam_model *m, const cJSON *ref, const char *what)
{
    double v[16];
    char msg[96];
    const char *keys[] = {"coefficients", "std_errors"};
    const int cols[] = {OCCAM_COEF_ESTIMATE, OCCAM_COEF_STD_ERROR};
    for (int t = 0; t < 2; t++) {
        int64_t k;
        double *want = tu_json_array(tu_json_get(ref, keys[t]), &k);
        ck_assert_int_eq(k, 9);
        ck_assert_int_eq(occam_model_coef(m, cols[t], v, k), OCCAM_OK);
        for (int64_t j = 0; j < k; j++) {
            snprintf(msg, sizeof msg, "%s %s[%lld]", what, keys[t], (long long)j);
            TU_ASSERT_REL(v[j], want[j], 1e-6, msg);
        }
        free(want);
    }
    const struct { int key; const char *name; double tol; } info[] = {
        {OCCAM_INFO_DEVIANCE, "deviance", 1e-8}, {OCCAM_INFO_NULL_DEVIANCE, "null_deviance", 1e-8},
        {OCCAM_INFO_AIC, "aic", 1e-8}, {OCCAM_INFO_ITER, "iter", 0}, {OCCAM_INFO_CONVERGED, "converged", 0},
        {OCCAM_INFO_BOUNDARY, "boundary", 0}};
    for (int i = 0; i < 6; i++) {
        const cJSON *w = tu_json_get(ref, info[i].name);
        double want = cJSON_IsBool(w) ? cJSON_IsTrue(w) : tu_json_num(w);
        ck_assert_int_eq(occam_model_info(m, info[i].key, &v[0]), OCCAM_OK);
        snprintf(msg, sizeof msg, "%s %s", what, info[i].name);
        TU_ASSERT_REL(v[0], want, info[i].tol, msg);
    }
    double fitted[74];
    ck_assert_int_eq(occam_model_rows(m, OCCAM_ROWS_FITTED, fitted, 74), OCCAM_OK);
    int64_t nh;
    double *want = tu_json_array(tu_json_get(ref, "fitted_values_head"), &nh);
    for (int64_t i = 0; i < nh; i++) {
        snprintf(msg, sizeof msg, "%s fitted[%lld]", what, (long long)i);
        TU_ASSERT_REL(fitted[i], want[i], 1e-6, msg);
    }
    free(want);
}

START_TEST(test_glm2_heart)
{
    tu_csv d;
    cJSON *ref = heart_reference(&d);
    ck_assert_int_eq(d.nrows, 74);
    int rc, cond;
    /* R's glm.fit: "step size truncated due to divergence", "glm.fit:
     * algorithm did not converge", "glm.fit: algorithm stopped at boundary
     * value" */
    occam_model *m = fit_heart(&d, 0, &rc);
    ck_assert_msg(rc == OCCAM_W_NOT_CONVERGED, "glm.fit rule: status %d (%s)", rc, occam_last_error());
    ck_assert_str_eq(occam_last_error(), "step size truncated due to divergence; glm.fit: algorithm did not "
                                         "converge; glm.fit: algorithm stopped at boundary value");
    ck_assert_int_eq(occam_model_conditions(m, &cond), OCCAM_OK);
    ck_assert_int_eq(cond, OCCAM_COND_STEP_DIVERGENCE | OCCAM_COND_NOT_CONVERGED | OCCAM_COND_BOUNDARY);
    check_heart(m, tu_json_get(ref, "r"), "glm.fit");
    occam_model_free(m);
    /* glm2: "step size truncated due to divergence" (and its own "due to
     * increasing deviance", which R's glm.fit never gives: no condition) */
    m = fit_heart(&d, 1, &rc);
    ck_assert_msg(rc == OCCAM_W_STEP_DIVERGENCE, "glm2 rule: status %d (%s)", rc, occam_last_error());
    ck_assert_int_eq(occam_model_conditions(m, &cond), OCCAM_OK);
    ck_assert_int_eq(cond, OCCAM_COND_STEP_DIVERGENCE);
    check_heart(m, tu_json_get(ref, "glm2"), "glm2");
    occam_model_free(m);
    tu_csv_free(&d);
    cJSON_Delete(ref);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("glm_irls");
    TCase *tc = tcase_create("irls");
    tcase_add_test(tc, test_separation);
    tcase_add_test(tc, test_nonconvergence);
    tcase_add_test(tc, test_rank_deficiency);
    tcase_add_test(tc, test_wide_design);
    tcase_add_test(tc, test_boundary);
    tcase_add_test(tc, test_no_valid_coefficients);
    tcase_add_test(tc, test_invalid_start);
    tcase_add_test(tc, test_mustart);
    tcase_add_test(tc, test_empty_model);
    tcase_add_test(tc, test_blocks_duplicate_rows);
    tcase_add_test(tc, test_halve_on_increase);
    tcase_add_test(tc, test_glm2_converges);
    tcase_add_test(tc, test_glm2_heart);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
