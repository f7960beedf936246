/*
 * check_glm_fast.c -- the opt-in fast GLM path (OCCAM_OPT_FAST, lib/glm_fast.c)
 * against R 4.2.2's glm():
 *
 *  - every shared GLM reference case (tests/data/glm, extra, glm2: the same
 *    list check_glm.c runs) fitted with OCCAM_OPT_FAST = 1.  When the fast
 *    path produced the fit (OCCAM_INFO_FAST = 1) the contract holds:
 *    coefficients within 1e-8 relative of R's (an entry that is zero in
 *    exact arithmetic -- R's value below 1e-10 of its standard error -- is
 *    compared absolutely to 1e-10 SE, as check_glm.c does), standard errors
 *    within 1e-6 relative, deviance 1e-8 (glm()'s reference), R's aliased
 *    pattern and rank, and R's warning bits.  "R's" coefficients and SEs
 *    are R's MLE: glm.fit() refitted with epsilon = 1e-15
 *    (tests/data/glm/fast/tight.json, make_tight.R), because the
 *    references' glm() with the default epsilon = 1e-8 stops short of the
 *    MLE by up to 2e-5 relative (airquality_gamma_log's intercept) and
 *    reports SEs from the weights of its previous iterate (up to 1.4e-5
 *    from those at the MLE, birthwt_binomial_logit): no method reaching
 *    the MLE can be within 1e-8 of those iterates.  When it fell back (OCCAM_INFO_FAST = 0) the fit must
 *    be the R-exact one: R's coefficients and SEs 1e-6 (check_glm.c's
 *    contract for the exact path), R's iteration count +-1 (the fast path
 *    reports its final IRLS only), and the case must be one the fast path
 *    documents as doubtful: R warned (aliasing, non-convergence, boundary,
 *    fitted 0/1, ...) or the case gives mustart;
 *  - an aliased-column case (rankdef_middle_infert_binomial_logit: R's
 *    aliased pattern) falls back and gives R's answer;
 *  - a larger logistic case (n = 40000, every 9th row in the subsample,
 *    weights and an offset) from tests/data/glm/fast/logit40k.json, made
 *    by tests/data/glm/fast/make_fast.R (R 4.2.2 glm()) from data defined
 *    by integer formulas that this file recomputes (checked against R's
 *    sum(y) and sum(x)): the fast path runs (OCCAM_INFO_FAST = 1) with the
 *    1e-8 / 1e-6 contract against R's MLE (epsilon = 1e-15), deviance 1e-8
 *    against glm()'s, also on 2 threads and row-major;
 *  - bad input: the option's range, a stream refusing the option, the
 *    model unchanged after an error.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm_case.h"

static char *cases[GLM_MAX_CASES];
static int ncases;
static cJSON *tight; /* make_tight.R: R's MLE of every case, by case id */

/* R's value relative to tol, except entries zero to 1e-10 of their scale
 * (compared absolutely to 1e-10 scale). */
static void assert_close(const char *id, const char *what, const double *got, const double *want, int64_t n,
                         double tol, const double *scale)
{
    for (int64_t i = 0; i < n; i++) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s: %s[%lld]", id, what, (long long)i);
        double sc = scale ? scale[i] : 0.0;
        if (isfinite(sc) && sc > 0 && fabs(want[i]) < 1e-10 * sc)
            ck_assert_msg(fabs(got[i] - want[i]) <= 1e-10 * sc, "%s: got %.17g want %.17g", msg, got[i], want[i]);
        else if (isnan(want[i]))
            ck_assert_msg(isnan(got[i]), "%s: got %.17g want NaN", msg, got[i]);
        else
            TU_ASSERT_REL(got[i], want[i], tol, msg);
    }
}

static occam_opts *fast_opts(const glm_case *c, int threads)
{
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_double(o, OCCAM_OPT_EPSILON, c->epsilon), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_MAXIT, c->maxit), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_INTERCEPT, c->intercept), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_HALVE_ON_INCREASE, c->halve_on_increase), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_THREADS, threads), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_FAST, 1), OCCAM_OK);
    return o;
}

/* Compare a fit with R's case; returns OCCAM_INFO_FAST. */
static int check_fit(const glm_case *c, const occam_model *m, int rc)
{
    const cJSON *j = c->j;
    int64_t k = c->p + c->intercept;
    double fast = -1;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_FAST, &fast), OCCAM_OK);
    int want_cond = glm_expected_conditions(c), cond = -1;
    ck_assert_int_eq(occam_model_conditions(m, &cond), OCCAM_OK);
    ck_assert_msg(cond == want_cond, "%s: conditions 0x%x, R's 0x%x (fast %g)", c->id, cond, want_cond, fast);
    ck_assert_msg(rc == glm_expected_status(want_cond), "%s: status %d", c->id, rc);
    int *al = malloc((size_t)(k + 1) * sizeof(int));
    double *wal = tu_json_array(tu_json_get(j, "aliased"), NULL);
    ck_assert_int_eq(occam_model_aliased(m, al, k), OCCAM_OK);
    for (int64_t i = 0; i < k; i++) ck_assert_msg(al[i] == (int)wal[i], "%s: aliased[%lld]", c->id, (long long)i);
    free(al);
    free(wal);
    double *v = malloc((size_t)(k + 1) * sizeof(double));
    if (tight == NULL) tight = tu_load_json("glm/fast/tight.json");
    const cJSON *mle = cJSON_GetObjectItemCaseSensitive(tight, c->id);
    ck_assert_msg(mle != NULL, "%s: no MLE in tight.json (run make_tight.R)", c->id);
    if (fast == 1) ck_assert_msg(cJSON_IsTrue(tu_json_get(mle, "converged")), "%s: R's MLE fit converged", c->id);
    const cJSON *ref = fast == 1 ? mle : j; /* the fast path: R's MLE; a fallback: R's glm() */
    double *coef = tu_json_array(tu_json_get(ref, "coefficients"), NULL);
    double *se = tu_json_array(tu_json_get(ref, "std_errors"), NULL);
    /* the contract: 1e-8 for coefficients on the fast path; the exact path's 1e-6 after a fallback */
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, v, k), OCCAM_OK);
    assert_close(c->id, fast == 1 ? "fast coefficients" : "fallback coefficients", v, coef, k,
                 fast == 1 ? 1e-8 : 1e-6, se);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, v, k), OCCAM_OK);
    assert_close(c->id, "std_errors", v, se, k, 1e-6, NULL);
    double dev, rank, iter;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &dev), OCCAM_OK);
    TU_ASSERT_REL(dev, tu_json_num(tu_json_get(j, "deviance")), 1e-8, c->id);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_RANK, &rank), OCCAM_OK);
    ck_assert_int_eq((int)rank, (int)tu_json_num(tu_json_get(j, "rank")));
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_ITER, &iter), OCCAM_OK);
    if (fast == 0) {
        double want_iter = tu_json_num(tu_json_get(j, "iter"));
        ck_assert_msg(fabs(iter - want_iter) <= 1, "%s: fallback iter %g, R %g", c->id, iter, want_iter);
    }
    free(v);
    free(coef);
    free(se);
    return (int)fast;
}

START_TEST(test_reference_case_fast)
{
    glm_case c = glm_load_case(cases[_i]);
    occam_model *m = NULL;
    ck_assert_int_eq(occam_glm_new(c.family, c.link, &m), OCCAM_OK);
    if (c.start) ck_assert_int_eq(occam_glm_set_start(m, c.start, c.nstart), OCCAM_OK);
    occam_opts *o = fast_opts(&c, 1);
    int rc = occam_model_fit(m, o, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, c.has_w ? c.w : NULL,
                             c.has_off ? c.off : NULL);
    ck_assert_msg(rc >= 0, "%s: fit failed: %d %s", c.id, rc, occam_last_error());
    int fast = check_fit(&c, m, rc);
    /* a fallback only where the fast path documents one: R warned, or the
     * chord steps do not converge because the MLE is at infinity (quasi-
     * separation, a zero-count group: R's refit at epsilon 1e-15 moves these
     * coefficients by 30%% and 34%%) */
    int separated = strcmp(c.id, "quasiseparation_binomial_logit") == 0 || strcmp(c.id, "fittedzero_poisson_log") == 0;
    if (separated) ck_assert_msg(!fast, "%s: no finite MLE, the fast path must fall back", c.id);
    if (!fast) ck_assert_msg(glm_expected_conditions(&c) != 0 || separated, "%s: fell back without a documented "
                             "reason", c.id);
    printf("%s: %s\n", c.id, fast ? "fast path" : "fell back to the R-exact path");
    occam_opts_free(o);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

START_TEST(test_aliased_falls_back)
{
    glm_case c = glm_load_case("glm/extra/rankdef_middle_infert_binomial_logit.json");
    occam_model *m = NULL;
    ck_assert_int_eq(occam_glm_new(c.family, c.link, &m), OCCAM_OK);
    occam_opts *o = fast_opts(&c, 1);
    int rc = occam_model_fit(m, o, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, c.has_w ? c.w : NULL,
                             c.has_off ? c.off : NULL);
    ck_assert_int_eq(rc, OCCAM_W_RANK_DEFICIENT);
    ck_assert_int_eq(check_fit(&c, m, rc), 0);
    occam_opts_free(o);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

/* ------------------------------------------- the larger case (make_fast.R) */

enum { BIG_N = 40000, BIG_P = 4 };

/* The integer formulas of make_fast.R: u(i, j) = ((i * a_j + c_j) mod 9973) / 9973
 * for rows i = 1..n, exact in doubles in both programs. */
static double big_u(int64_t i, int64_t j)
{
    static const int64_t a[] = {37, 101, 211, 389, 523}, cc[] = {11, 53, 7, 91, 17};
    return (double)((i * a[j] + cc[j]) % 9973) / 9973.0;
}

typedef struct big_case {
    cJSON *j;
    double X[BIG_N * BIG_P], y[BIG_N], w[BIG_N], off[BIG_N];
} big_case;

static big_case *big_load(void)
{
    big_case *b = calloc(1, sizeof *b);
    b->j = tu_load_json("glm/fast/logit40k.json");
    double sy = 0, sx = 0;
    for (int64_t i = 1; i <= BIG_N; i++) {
        for (int64_t j = 0; j < BIG_P; j++) {
            b->X[(i - 1) + j * BIG_N] = 2.0 * big_u(i, j) - 1.0;
            sx += b->X[(i - 1) + j * BIG_N];
        }
        b->w[i - 1] = 1.0 + (double)(i % 3);
        b->off[i - 1] = 0.25 * (double)(i % 5 - 2);
        /* y = 1 when u5 < the success probability's integer threshold (no rounding) */
        int64_t t = 1000 + ((i * 37 + 11) % 9973) * 6 / 10 + (i % 7) * 500;
        b->y[i - 1] = (double)(((i * 523 + 17) % 9973) < t);
        sy += b->y[i - 1];
    }
    TU_ASSERT_REL(sy, tu_json_num(tu_json_get(b->j, "sum_y")), 0, "sum(y) as R's");
    TU_ASSERT_REL(sx, tu_json_num(tu_json_get(b->j, "sum_x")), 1e-12, "sum(x) as R's");
    return b;
}

static void big_check(const big_case *b, int threads, int row_major)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOGIT, &m), OCCAM_OK);
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_FAST, 1), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_THREADS, threads), OCCAM_OK);
    double *Xr = NULL;
    int rc;
    if (row_major) {
        Xr = malloc(sizeof b->X);
        for (int64_t i = 0; i < BIG_N; i++)
            for (int64_t j = 0; j < BIG_P; j++) Xr[i * BIG_P + j] = b->X[i + j * BIG_N];
        rc = occam_model_fit(m, o, Xr, BIG_N, BIG_P, BIG_P, OCCAM_ROW_MAJOR, b->y, b->w, b->off);
    } else {
        rc = occam_model_fit(m, o, b->X, BIG_N, BIG_P, BIG_N, OCCAM_COL_MAJOR, b->y, b->w, b->off);
    }
    ck_assert_msg(rc == OCCAM_OK, "fit: %d %s", rc, occam_last_error());
    double fast = -1, dev;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_FAST, &fast), OCCAM_OK);
    ck_assert_msg(fast == 1, "the fast path ran (threads %d)", threads);
    double v[BIG_P + 1];
    ck_assert(cJSON_IsTrue(tu_json_get(b->j, "mle_converged")));
    double *coef = tu_json_array(tu_json_get(b->j, "mle_coefficients"), NULL);
    double *se = tu_json_array(tu_json_get(b->j, "mle_std_errors"), NULL);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, v, BIG_P + 1), OCCAM_OK);
    assert_close("logit40k", "coefficients", v, coef, BIG_P + 1, 1e-8, se); /* the contract */
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, v, BIG_P + 1), OCCAM_OK);
    assert_close("logit40k", "std_errors", v, se, BIG_P + 1, 1e-6, NULL); /* the contract */
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &dev), OCCAM_OK);
    TU_ASSERT_REL(dev, tu_json_num(tu_json_get(b->j, "deviance")), 1e-8, "logit40k deviance");
    free(coef);
    free(se);
    free(Xr);
    occam_opts_free(o);
    occam_model_free(m);
}

START_TEST(test_big_logit)
{
    big_case *b = big_load();
    big_check(b, 1, 0);
    big_check(b, 2, 0);
    big_check(b, 1, 1);
    cJSON_Delete(b->j);
    free(b);
}
END_TEST

/* ------------------------------------------------------------- bad input */

START_TEST(test_bad_option)
{
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_FAST, 2), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_FAST, -1), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_opts_set_double(o, OCCAM_OPT_FAST, 1.0), OCCAM_E_UNKNOWN_ENUM);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_FAST, 1), OCCAM_OK);
    occam_opts_free(o);
}
END_TEST

START_TEST(test_bad_input_keeps_model)
{
    glm_case c = glm_load_case("glm/dobson_poisson_log.json");
    occam_model *m = NULL;
    ck_assert_int_eq(occam_glm_new(c.family, c.link, &m), OCCAM_OK);
    occam_opts *o = fast_opts(&c, 1);
    ck_assert_int_eq(occam_model_fit(m, o, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL), OCCAM_OK);
    double dev0, dev1;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &dev0), OCCAM_OK);
    double y1 = c.y[1];
    c.y[1] = -1; /* a negative count: R's error, the model keeps its fit */
    ck_assert_int_eq(occam_model_fit(m, o, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL), OCCAM_E_DOMAIN);
    c.y[1] = NAN;
    ck_assert_int_eq(occam_model_fit(m, o, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL), OCCAM_E_NONFINITE);
    c.y[1] = y1;
    ck_assert_int_eq(occam_model_fit(m, o, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL), OCCAM_OK);
    double bad_start[2] = {0, 0}; /* wrong length: R's error text */
    ck_assert_int_eq(occam_glm_set_start(m, bad_start, 2), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, o, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL),
                     OCCAM_E_DIM_MISMATCH);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &dev1), OCCAM_OK);
    ck_assert(dev1 == dev0);
    occam_opts_free(o);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

START_TEST(test_stream_refuses)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &m), OCCAM_OK);
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_FAST, 1), OCCAM_OK);
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_stream_new(m, o, 1, 0, &s), OCCAM_E_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "in-memory"));
    ck_assert_ptr_null(s);
    occam_opts_free(o);
    occam_model_free(m);
}
END_TEST

static Suite *glm_fast_suite(void)
{
    Suite *s = suite_create("glm_fast");
    ncases = glm_list_cases(cases, GLM_MAX_CASES);
    TCase *tc = tcase_create("reference");
    tcase_add_loop_test(tc, test_reference_case_fast, 0, ncases);
    tcase_add_test(tc, test_aliased_falls_back);
    tcase_add_test(tc, test_big_logit);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    TCase *bad = tcase_create("bad_input");
    tcase_add_test(bad, test_bad_option);
    tcase_add_test(bad, test_bad_input_keeps_model);
    tcase_add_test(bad, test_stream_refuses);
    suite_add_tcase(s, bad);
    return s;
}

int main(void)
{
    int rc = tu_run_suite(glm_fast_suite());
    for (int i = 0; i < ncases; i++) free(cases[i]);
    cJSON_Delete(tight);
    return rc;
}
