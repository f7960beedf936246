/*
 * check_glm_family.c -- lib/glm_family.c against R 4.2.2
 * (tests/data/glm/family/family.json, made by make_family.R there):
 *  - linkinv, mu.eta and linkfun of all nine links on grids that include
 *    R's clamping regions (logit |eta| > 30, probit/cauchit thresholds,
 *    cloglog eta > 700, log underflow): relative 1e-13 (pnorm/qnorm-based
 *    probit values 1e-12);
 *  - variance and dev.resids of the five likelihood families: 1e-13;
 *  - log dbinom, dpois, dgamma (Loader's saddle point, as R): 1e-12;
 *  - names, parsing and R's valid family-link pairs (R's okLinks);
 *  - y validation per family (R's initialize messages) and the
 *    non-integer detection thresholds.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glm_family.h"
#include "testutil.h"

static cJSON *ref_json;

/* The R values, loaded on first use inside a test (Check's asserts need a running test). */
#define ref (ref_json ? ref_json : (ref_json = tu_load_json("glm/family/family.json")))

static void cmp(const char *what, const double *got, const cJSON *want, int64_t n, double tol)
{
    int64_t len;
    double *w = tu_json_array(want, &len);
    ck_assert_int_eq(len, n);
    for (int64_t i = 0; i < n; i++) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s[%lld]", what, (long long)i);
        TU_ASSERT_REL(got[i], w[i], tol, msg);
    }
    free(w);
}

static const char *link_key(int l)
{
    return l == OCCAM_LINK_INVERSE_SQUARE ? "1/mu^2" : occam_link_name(l);
}

START_TEST(test_links)
{
    int l = _i + 1;
    int positive = l == OCCAM_LINK_SQRT || l == OCCAM_LINK_INVERSE_SQUARE || l == OCCAM_LINK_INVERSE;
    int prob = l == OCCAM_LINK_LOGIT || l == OCCAM_LINK_PROBIT || l == OCCAM_LINK_CAUCHIT || l == OCCAM_LINK_CLOGLOG;
    int64_t ne, nm;
    double *eta = tu_json_array(tu_json_get(ref, positive ? "eta_pos" : "eta"), &ne);
    double *mu = tu_json_array(tu_json_get(ref, prob ? "mu01" : "mu_pos"), &nm);
    double *out = malloc((size_t)(ne > nm ? ne : nm) * sizeof(double));
    double tol = l == OCCAM_LINK_PROBIT ? 1e-12 : 1e-13;
    char key[64];
    for (int64_t i = 0; i < ne; i++) out[i] = occam__glm_linkinv(l, eta[i]);
    snprintf(key, sizeof key, "linkinv_%s", link_key(l));
    cmp(key, out, tu_json_get(ref, key), ne, tol);
    occam__glm_linkinv_n(l, ne, eta, out); /* the vector form, against the same R values */
    cmp(key, out, tu_json_get(ref, key), ne, tol);
    for (int64_t i = 0; i < ne; i++) out[i] = occam__glm_mu_eta(l, eta[i]);
    snprintf(key, sizeof key, "mu_eta_%s", link_key(l));
    cmp(key, out, tu_json_get(ref, key), ne, tol);
    occam__glm_mu_eta_n(l, ne, eta, out);
    cmp(key, out, tu_json_get(ref, key), ne, tol);
    for (int64_t i = 0; i < nm; i++) out[i] = occam__glm_linkfun(l, mu[i]);
    snprintf(key, sizeof key, "linkfun_%s", link_key(l));
    cmp(key, out, tu_json_get(ref, key), nm, tol);
    free(eta);
    free(mu);
    free(out);
}
END_TEST

START_TEST(test_families)
{
    int f = _i + 1; /* gaussian .. inverse.gaussian */
    const char *name = occam_family_name(f);
    char key[64];
    int64_t n, ny;
    double *mu = tu_json_array(tu_json_get(ref, f == OCCAM_FAMILY_BINOMIAL ? "mu01" : "mu_pos"), &n);
    snprintf(key, sizeof key, "y_%s", name);
    double *y = tu_json_array(tu_json_get(ref, key), &ny);
    snprintf(key, sizeof key, "wt_%s", name);
    double *wt = tu_json_array(tu_json_get(ref, key), NULL);
    ck_assert_int_eq(n, ny);
    double *out = malloc((size_t)n * sizeof(double));
    for (int64_t i = 0; i < n; i++) out[i] = occam__glm_variance(f, mu[i]);
    snprintf(key, sizeof key, "variance_%s", name);
    cmp(key, out, tu_json_get(ref, key), n, 1e-13);
    occam__glm_variance_n(f, n, mu, out); /* the vector form, against the same R values */
    cmp(key, out, tu_json_get(ref, key), n, 1e-13);
    for (int64_t i = 0; i < n; i++) out[i] = occam__glm_dev_resid(f, y[i], mu[i], wt[i]);
    snprintf(key, sizeof key, "devres_%s", name);
    cmp(key, out, tu_json_get(ref, key), n, 1e-13);
    /* the vector sum against the sum of R's dev.resids (each >= 0: relative 1e-13 holds for the sum) */
    double *r_dev = tu_json_array(tu_json_get(ref, key), NULL), r_sum = 0.0;
    for (int64_t i = 0; i < n; i++) r_sum += r_dev[i];
    TU_ASSERT_REL(occam__glm_dev_resid_sum(f, n, y, mu, wt), r_sum, 1e-13, key);
    /* the public vector form, R's family$dev.resids (and the quasi family
     * of binomial and poisson, whose dev.resids is R's same function) */
    ck_assert_int_eq(occam_glm_dev_resids(f, y, mu, wt, n, out), OCCAM_OK);
    cmp(key, out, tu_json_get(ref, key), n, 1e-13);
    if (f == OCCAM_FAMILY_BINOMIAL || f == OCCAM_FAMILY_POISSON) {
        int q = f == OCCAM_FAMILY_BINOMIAL ? OCCAM_FAMILY_QUASIBINOMIAL : OCCAM_FAMILY_QUASIPOISSON;
        ck_assert_int_eq(occam_glm_dev_resids(q, y, mu, wt, n, out), OCCAM_OK);
        cmp(key, out, tu_json_get(ref, key), n, 1e-13);
    }
    /* wt = NULL is all 1: R's dev.resids(y, mu, 1), i.e. R's values / wt */
    ck_assert_int_eq(occam_glm_dev_resids(f, y, mu, NULL, n, out), OCCAM_OK);
    for (int64_t i = 0; i < n; i++)
        if (wt[i] > 0) TU_ASSERT_REL(out[i] * wt[i], r_dev[i], 1e-13, key);
    free(r_dev);
    free(mu);
    free(y);
    free(wt);
    free(out);
}
END_TEST

/* occam_glm_dev_resids' refusals. */
START_TEST(test_dev_resids_args)
{
    double y = 1, mu = 1, out = 0;
    ck_assert_int_eq(occam_glm_dev_resids(0, &y, &mu, NULL, 1, &out), OCCAM_E_UNKNOWN_ENUM);
    ck_assert_int_eq(occam_glm_dev_resids(8, &y, &mu, NULL, 1, &out), OCCAM_E_UNKNOWN_ENUM);
    ck_assert_int_eq(occam_glm_dev_resids(OCCAM_FAMILY_POISSON, &y, &mu, NULL, -1, &out), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_glm_dev_resids(OCCAM_FAMILY_POISSON, NULL, &mu, NULL, 1, &out), OCCAM_E_NULL);
    ck_assert_int_eq(occam_glm_dev_resids(OCCAM_FAMILY_POISSON, &y, &mu, NULL, 1, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_glm_dev_resids(OCCAM_FAMILY_POISSON, NULL, NULL, NULL, 0, NULL), OCCAM_OK);
    /* y = mu: no deviance (exactly 0 by R's formula) */
    ck_assert_int_eq(occam_glm_dev_resids(OCCAM_FAMILY_POISSON, &y, &mu, NULL, 1, &out), OCCAM_OK);
    ck_assert(out == 0.0);
}
END_TEST

START_TEST(test_densities)
{
    int64_t n;
    double *x = tu_json_array(tu_json_get(ref, "dbinom_x"), &n);
    double *sz = tu_json_array(tu_json_get(ref, "dbinom_n"), NULL);
    double *p = tu_json_array(tu_json_get(ref, "dbinom_p"), NULL);
    double *out = malloc(32 * sizeof(double));
    for (int64_t i = 0; i < n; i++) out[i] = occam__glm_ldbinom(x[i], sz[i], p[i]);
    cmp("dbinom", out, tu_json_get(ref, "dbinom_log"), n, 1e-12);
    free(x), free(sz), free(p);
    x = tu_json_array(tu_json_get(ref, "dpois_x"), &n);
    double *lam = tu_json_array(tu_json_get(ref, "dpois_lambda"), NULL);
    for (int64_t i = 0; i < n; i++) out[i] = occam__glm_ldpois(x[i], lam[i]);
    cmp("dpois", out, tu_json_get(ref, "dpois_log"), n, 1e-12);
    free(x), free(lam);
    x = tu_json_array(tu_json_get(ref, "dgamma_x"), &n);
    double *sh = tu_json_array(tu_json_get(ref, "dgamma_shape"), NULL);
    double *sc = tu_json_array(tu_json_get(ref, "dgamma_scale"), NULL);
    for (int64_t i = 0; i < n; i++) out[i] = occam__glm_ldgamma(x[i], sh[i], sc[i]);
    cmp("dgamma", out, tu_json_get(ref, "dgamma_log"), n, 1e-12);
    free(x), free(sh), free(sc), free(out);
    /* R: dpois(2.5, 1, log = TRUE) is -Inf (non-integer x, with a warning) */
    ck_assert(occam__glm_ldpois(2.5, 1.0) == -INFINITY);
}
END_TEST

START_TEST(test_names)
{
    const char *fam[] = {"gaussian", "binomial", "poisson", "Gamma", "inverse.gaussian", "quasibinomial",
                         "quasipoisson"};
    const char *lnk[] = {"identity", "log", "inverse", "logit", "probit", "cauchit", "cloglog", "sqrt", "1/mu^2"};
    for (int i = 0; i < 7; i++) {
        int f = 0;
        ck_assert_str_eq(occam_family_name(i + 1), fam[i]);
        ck_assert_int_eq(occam_family_parse(fam[i], &f), OCCAM_OK);
        ck_assert_int_eq(f, i + 1);
    }
    for (int i = 0; i < 9; i++) {
        int l = 0;
        ck_assert_str_eq(occam_link_name(i + 1), lnk[i]);
        ck_assert_int_eq(occam_link_parse(lnk[i], &l), OCCAM_OK);
        ck_assert_int_eq(l, i + 1);
    }
    int f = -1;
    ck_assert_int_eq(occam_family_parse("gamma", &f), OCCAM_OK); /* case-insensitive */
    ck_assert_int_eq(f, OCCAM_FAMILY_GAMMA);
    ck_assert_int_eq(occam_family_parse("negbin", &f), OCCAM_E_UNKNOWN_ENUM);
    ck_assert_int_eq(occam_link_parse("loglog", &f), OCCAM_E_UNKNOWN_ENUM);
    ck_assert_int_eq(occam_family_parse(NULL, &f), OCCAM_E_NULL);
    ck_assert_int_eq(occam_link_parse("log", NULL), OCCAM_E_NULL);
    ck_assert_ptr_null(occam_family_name(0));
    ck_assert_ptr_null(occam_family_name(8));
    ck_assert_ptr_null(occam_link_name(OCCAM_LINK_DEFAULT));
    ck_assert_ptr_null(occam_link_name(10));
}
END_TEST

/* R's okLinks: gaussian(identity, log, inverse); binomial and quasibinomial
 * (logit, probit, cloglog, cauchit, log); poisson and quasipoisson (log,
 * identity, sqrt); Gamma (inverse, log, identity); inverse.gaussian
 * (1/mu^2, inverse, log, identity). */
START_TEST(test_valid_pairs)
{
    static const char ok[8][10] = {
        /*          id log inv logit probit cauchit cloglog sqrt 1/mu2 */
        {0},
        {0, 1, 1, 1, 0, 0, 0, 0, 0, 0}, /* gaussian */
        {0, 0, 1, 0, 1, 1, 1, 1, 0, 0}, /* binomial */
        {0, 1, 1, 0, 0, 0, 0, 0, 1, 0}, /* poisson */
        {0, 1, 1, 1, 0, 0, 0, 0, 0, 0}, /* Gamma */
        {0, 1, 1, 1, 0, 0, 0, 0, 0, 1}, /* inverse.gaussian */
        {0, 0, 1, 0, 1, 1, 1, 1, 0, 0}, /* quasibinomial */
        {0, 1, 1, 0, 0, 0, 0, 0, 1, 0}, /* quasipoisson */
    };
    static const int dflt[8] = {0, OCCAM_LINK_IDENTITY, OCCAM_LINK_LOGIT, OCCAM_LINK_LOG, OCCAM_LINK_INVERSE,
                                OCCAM_LINK_INVERSE_SQUARE, OCCAM_LINK_LOGIT, OCCAM_LINK_LOG};
    for (int f = 1; f <= 7; f++) {
        int r = -1;
        ck_assert_int_eq(occam__glm_check_pair(f, OCCAM_LINK_DEFAULT, &r), OCCAM_OK);
        ck_assert_int_eq(r, dflt[f]);
        for (int l = 1; l <= 9; l++) {
            int rc = occam__glm_check_pair(f, l, &r);
            ck_assert_msg(rc == (ok[f][l] ? OCCAM_OK : OCCAM_E_BAD_LINK), "family %d link %d: %d", f, l, rc);
        }
    }
}
END_TEST

/* R's family$initialize checks, and which responses count as non-integer. */
START_TEST(test_check_y)
{
    int nonint;
    double y[3] = {0, 0.5, 1}, w[3] = {2, 2, 1};
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOGIT, y, w, 3, 0, &nonint), OCCAM_OK);
    ck_assert_int_eq(nonint, 0); /* 2 * 0.5 = 1 success */
    w[1] = 3;
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOGIT, y, w, 3, 0, &nonint), OCCAM_OK);
    ck_assert_int_eq(nonint, 1); /* 1.5 successes */
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_QUASIBINOMIAL, OCCAM_LINK_LOGIT, y, w, 3, 0, &nonint),
                     OCCAM_OK);
    ck_assert_int_eq(nonint, 0); /* quasibinomial does not warn in R */
    y[2] = 1.5;
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOGIT, y, w, 3, 0, &nonint),
                     OCCAM_E_DOMAIN);
    w[2] = 0; /* R sets y = 0 where the weight is 0 before checking */
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOGIT, y, w, 3, 0, &nonint), OCCAM_OK);
    double c[3] = {0, 3, 2.5};
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, c, NULL, 3, 0, &nonint), OCCAM_OK);
    ck_assert_int_eq(nonint, 1);
    c[2] = 2 + 1e-9; /* R_nonint: within 1e-7 relative is an integer */
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, c, NULL, 3, 0, &nonint), OCCAM_OK);
    ck_assert_int_eq(nonint, 0);
    c[0] = -1;
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, c, NULL, 3, 0, &nonint),
                     OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_QUASIPOISSON, OCCAM_LINK_LOG, c, NULL, 3, 0, &nonint),
                     OCCAM_E_DOMAIN);
    double g[2] = {1, 0};
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_GAMMA, OCCAM_LINK_INVERSE, g, NULL, 2, 0, &nonint),
                     OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_INVERSE_GAUSSIAN, OCCAM_LINK_INVERSE_SQUARE, g, NULL, 2, 0,
                                        &nonint),
                     OCCAM_E_DOMAIN);
    /* gaussian: y <= 0 only matters for the log link without start values */
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_GAUSSIAN, OCCAM_LINK_IDENTITY, g, NULL, 2, 0, &nonint),
                     OCCAM_OK);
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_GAUSSIAN, OCCAM_LINK_LOG, g, NULL, 2, 0, &nonint),
                     OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_GAUSSIAN, OCCAM_LINK_LOG, g, NULL, 2, 1, &nonint), OCCAM_OK);
    ck_assert_int_eq(occam__glm_check_y(OCCAM_FAMILY_GAUSSIAN, OCCAM_LINK_INVERSE, g, NULL, 2, 0, &nonint),
                     OCCAM_E_DOMAIN);
}
END_TEST

/* R's valideta / validmu and the starting means. */
START_TEST(test_valid_and_start)
{
    ck_assert(!occam__glm_valideta(OCCAM_LINK_INVERSE, 0.0));
    ck_assert(occam__glm_valideta(OCCAM_LINK_INVERSE, -2.0));
    ck_assert(!occam__glm_valideta(OCCAM_LINK_SQRT, 0.0));
    ck_assert(!occam__glm_valideta(OCCAM_LINK_INVERSE_SQUARE, -1.0));
    ck_assert(!occam__glm_valideta(OCCAM_LINK_INVERSE_SQUARE, INFINITY));
    ck_assert(occam__glm_valideta(OCCAM_LINK_LOGIT, -1e300));
    ck_assert(!occam__glm_validmu(OCCAM_FAMILY_BINOMIAL, 1.0));
    ck_assert(!occam__glm_validmu(OCCAM_FAMILY_BINOMIAL, 0.0));
    ck_assert(!occam__glm_validmu(OCCAM_FAMILY_POISSON, 0.0));
    ck_assert(!occam__glm_validmu(OCCAM_FAMILY_GAMMA, INFINITY));
    ck_assert(occam__glm_validmu(OCCAM_FAMILY_INVERSE_GAUSSIAN, -1.0)); /* R: validmu is TRUE */
    ck_assert(occam__glm_validmu(OCCAM_FAMILY_GAUSSIAN, NAN));
    /* the vector form is R's all(valideta(eta)) && all(validmu(mu)) */
    const double mu_ok[3] = {0.2, 0.5, 0.9}, mu_one[3] = {0.2, 1.0, 0.9}, eta_zero[3] = {1.0, 0.0, -2.0};
    ck_assert(occam__glm_valid_n(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOGIT, 3, mu_ok, mu_ok));
    ck_assert(!occam__glm_valid_n(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOGIT, 3, mu_ok, mu_one));
    ck_assert(!occam__glm_valid_n(OCCAM_FAMILY_GAMMA, OCCAM_LINK_INVERSE, 3, eta_zero, mu_ok));
    ck_assert(occam__glm_valid_n(OCCAM_FAMILY_GAUSSIAN, OCCAM_LINK_IDENTITY, 3, eta_zero, eta_zero));
    ck_assert(occam__glm_mustart(OCCAM_FAMILY_BINOMIAL, 0.5, 4) == (4 * 0.5 + 0.5) / 5);
    ck_assert(occam__glm_mustart(OCCAM_FAMILY_POISSON, 3, 1) == 3.1);
    ck_assert(occam__glm_mustart(OCCAM_FAMILY_GAMMA, 3, 1) == 3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("glm_family");
    TCase *tc = tcase_create("family");
    tcase_add_loop_test(tc, test_links, 0, 9);
    tcase_add_loop_test(tc, test_families, 0, 5);
    tcase_add_test(tc, test_densities);
    tcase_add_test(tc, test_dev_resids_args);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_valid_pairs);
    tcase_add_test(tc, test_check_y);
    tcase_add_test(tc, test_valid_and_start);
    suite_add_tcase(s, tc);
    int rc = tu_run_suite(s);
    cJSON_Delete(ref_json);
    return rc;
}
