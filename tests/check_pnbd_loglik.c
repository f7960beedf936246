/*
 * check_pnbd_loglik.c -- lib/pnbd_loglik.c: the per-customer Pareto/NBD
 * log-likelihood, P(alive) and gradient, block contributions, and the
 * public occam_pnbd_loglik.
 *
 * References:
 *  - tests/data/pnbd/cdnow_reference.json (mpmath, 60 digits): CDNOW customers
 *    at three parameter sets (loglik to 1e-12, P(alive) to 1e-11 relative,
 *    the README's suggested tolerances, tighter than the 1e-9) and
 *    total log-likelihoods on both data files (1e-8 absolute, 1e-12 relative);
 *  - tests/data/pnbd/hard_cases.json (mpmath, 50 digits, closed form checked
 *    against quadrature to 1e-30; make_hard_cases.py): one or more customers
 *    per hard input class of issue 4 item 1 (x up to 2e4, alpha << beta,
 *    alpha >> beta, alpha == beta, r + s + x large, parameters 1e-3..1e4,
 *    t_x = 0, tiny T, ...): loglik (relative, absolute below 1), P(alive)
 *    (relative) and the gradient over log-parameters (relative to the largest
 *    component, absolute below 1, as the loglik) to 1e-8;
 *  - tests/data/pnbd/tiny_T.json (mpmath, 60 digits; make_tiny_T.py): T or
 *    t_x tiny relative to alpha and beta, 1e-12 relative (issue 15 point 9);
 *  - a randomized test over wide ranges against a slow evaluation written
 *    here: adaptive 10-point Gauss-Legendre in long double of
 *    s Int_{t_x}^T (alpha+w)^-(r+x) (beta+w)^-(s+1) dw, to 1e-8.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "hyp2f1.h"
#include "pnbd.h"

static double rel_or_abs(double got, double want) { return fabs(got - want) / fmax(fabs(want), 1.0); }

static const cJSON *param_set(const cJSON *root, const char *name, double par[4])
{
    const cJSON *ps = tu_json_get(tu_json_get(tu_json_get(root, "parameter_sets"), name), "values");
    static const char *const k[4] = {"r", "alpha", "s", "beta"};
    for (int i = 0; i < 4; i++) par[i] = tu_json_num(tu_json_get(ps, k[i]));
    return ps;
}

START_TEST(test_cdnow_customers)
{
    cJSON *root = tu_load_json("pnbd/cdnow_reference.json");
    const cJSON *c;
    int n = 0;
    cJSON_ArrayForEach(c, tu_json_get(root, "customers"))
    {
        double par[4];
        param_set(root, tu_json_get(c, "params")->valuestring, par);
        occam_pnbd_par pp;
        occam__pnbd_par_init(&pp, par[0], par[1], par[2], par[3]);
        double x = tu_json_num(tu_json_get(c, "x")), tx = tu_json_num(tu_json_get(c, "t_x")),
               T = tu_json_num(tu_json_get(c, "T"));
        double ll, lpa, g[4];
        ck_assert_int_eq(occam__pnbd_row(&pp, x, tx, T, &ll, &lpa, g), 0);
        char what[96];
        snprintf(what, sizeof what, "customer %d at %s: loglik", tu_json_get(c, "id")->valueint,
                 tu_json_get(c, "params")->valuestring);
        TU_ASSERT_REL(ll, tu_json_num(tu_json_get(c, "loglik_str")), 1e-12, what);
        snprintf(what, sizeof what, "customer %d at %s: P(alive)", tu_json_get(c, "id")->valueint,
                 tu_json_get(c, "params")->valuestring);
        TU_ASSERT_REL(exp(lpa), tu_json_num(tu_json_get(c, "p_alive_str")), 1e-11, what);
        n++;
    }
    ck_assert_int_eq(n, 30);
    cJSON_Delete(root);
}
END_TEST

/* Load data/cdnow_summary.csv (id,x,t_x,T) or data/cdnow_summary_days.csv
 * (id,first_purchase,x,t_x_days,T_days,x_star; weeks = days / 7) into a
 * row-major n x 3 matrix.  The files have a fixed layout, read by fscanf
 * (tu_load_csv takes numeric cells only, and the days file has dates). */
static double *load_cdnow(const char *file, int days, int64_t *n)
{
    char *path = tu_data_path(file);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[256];
    ck_assert(fgets(line, sizeof line, f) != NULL);
    double *X = malloc(3000 * 3 * sizeof(double));
    int64_t i = 0;
    long id, xs;
    double x, tx, T;
    char date[16];
    while (i < 3000 && (days ? fscanf(f, "%ld,%10[^,],%lf,%lf,%lf,%ld", &id, date, &x, &tx, &T, &xs) == 6
                             : fscanf(f, "%ld,%lf,%lf,%lf", &id, &x, &tx, &T) == 4)) {
        X[3 * i] = x;
        X[3 * i + 1] = days ? tx / 7.0 : tx;
        X[3 * i + 2] = days ? T / 7.0 : T;
        i++;
    }
    fclose(f);
    free(path);
    *n = i;
    return X;
}

START_TEST(test_cdnow_totals)
{
    cJSON *root = tu_load_json("pnbd/cdnow_reference.json");
    int64_t n1, n2;
    double *X1 = load_cdnow("../../data/cdnow_summary.csv", 0, &n1);
    double *X2 = load_cdnow("../../data/cdnow_summary_days.csv", 1, &n2);
    ck_assert_int_eq(n1, 2357);
    ck_assert_int_eq(n2, 2357);
    const cJSON *t;
    int n = 0;
    cJSON_ArrayForEach(t, tu_json_get(root, "total_loglik"))
    {
        double par[4], ll;
        param_set(root, tu_json_get(t, "params")->valuestring, par);
        int days = strcmp(tu_json_get(t, "data")->valuestring, "cdnow_summary_days") == 0;
        int rc = occam_pnbd_loglik(par[0], par[1], par[2], par[3], days ? X2 : X1, 2357, 3, OCCAM_ROW_MAJOR, NULL,
                                   &ll, NULL);
        ck_assert_msg(rc == OCCAM_OK, "status %d: %s", rc, occam_last_error());
        double want = tu_json_num(tu_json_get(t, "value_str"));
        ck_assert_msg(fabs(ll - want) <= 1e-8, "total loglik %s/%s: %.17g vs %.17g",
                      tu_json_get(t, "params")->valuestring, tu_json_get(t, "data")->valuestring, ll, want);
        TU_ASSERT_REL(ll, want, 1e-12, "total loglik");
        n++;
    }
    ck_assert_int_eq(n, 5);
    free(X1);
    free(X2);
    cJSON_Delete(root);
}
END_TEST

START_TEST(test_hard_cases)
{
    cJSON *root = tu_load_json("pnbd/hard_cases.json");
    const cJSON *c;
    int n = 0;
    cJSON_ArrayForEach(c, tu_json_get(root, "customers"))
    {
        int64_t np;
        double *par = tu_json_array(tu_json_get(c, "params"), &np);
        occam_pnbd_par pp;
        occam__pnbd_par_init(&pp, par[0], par[1], par[2], par[3]);
        double x = tu_json_num(tu_json_get(c, "x")), tx = tu_json_num(tu_json_get(c, "t_x")),
               T = tu_json_num(tu_json_get(c, "T"));
        const char *name = tu_json_get(c, "name")->valuestring;
        double ll, lpa, g[4];
        ck_assert_msg(occam__pnbd_row(&pp, x, tx, T, &ll, &lpa, g) == 0, "%s: evaluation failed", name);
        ck_assert_msg(isfinite(ll) && isfinite(lpa), "%s: not finite", name);
        double want = tu_json_num(tu_json_get(c, "loglik"));
        ck_assert_msg(rel_or_abs(ll, want) <= 1e-8, "%s: loglik %.17g want %.17g", name, ll, want);
        char what[96];
        snprintf(what, sizeof what, "%s: P(alive)", name);
        TU_ASSERT_REL(exp(lpa), tu_json_num(tu_json_get(c, "p_alive")), 1e-8, what);
        int64_t ng;
        double *gw = tu_json_array(tu_json_get(c, "grad_log"), &ng);
        double gmax = 0;
        for (int k = 0; k < 4; k++) gmax = fmax(gmax, fabs(gw[k]));
        for (int k = 0; k < 4; k++) {
            ck_assert_msg(isfinite(g[k]), "%s: gradient %d not finite", name, k);
            ck_assert_msg(fabs(g[k] - gw[k]) <= 1e-8 * fmax(gmax, 1.0), "%s: gradient %d: %.17g want %.17g",
                          name, k, g[k], gw[k]);
        }
        free(gw);
        free(par);
        n++;
    }
    ck_assert_int_ge(n, 28);
    cJSON_Delete(root);
}
END_TEST

/* One customer at level 2 from its terms, as the fit's blocks take them
 * (without the cache): 0 or -1. */
static int row_level2(const occam_pnbd_par *pp, double x, double tx, double T, double *ll, double g[4], double H[16])
{
    occam_pnbd_gval hd, Gt, GT;
    hd.g = occam__pnbd_head(pp, x, tx, 2, hd.d, hd.h);
    if (!occam__pnbd_short(pp, x, tx, T) &&
        (occam__pnbd_G(pp, x, tx, 2, NULL, &Gt) != 0 || occam__pnbd_G(pp, x, T, 2, NULL, &GT) != 0))
        return -1;
    return occam__pnbd_row2(pp, x, tx, T, &hd, &Gt, &GT, 2, ll, NULL, g, H);
}

/* Issue 16 point 4: the analytic Hessian over log(r, alpha, s, beta) of each
 * customer of tests/data/pnbd/hessian.json (make_hessian.py: mp.diff of the
 * 2F1 closed form at 50 digits): the hard inputs of hard_cases.json and
 * CDNOW-like rows in and next to the short-window form.  Entry (i, j) within
 * tol * max(|H_ij|, sqrt(|H_ii H_jj|)) of mpmath's, tol = 1e-8 where every
 * 2F1 takes the series, 1e-5 where one takes the quadrature (z > 0.95; its
 * second derivatives in e and c are central differences, hyp2f1.h), plus
 * 1e-30 absolute (mp.diff's noise where the value is 0: T = 0); the
 * log-likelihood and gradient at test_hard_cases' tolerances. */
START_TEST(test_hessian_mpmath)
{
    cJSON *root = tu_load_json("pnbd/hessian.json");
    const cJSON *c;
    int n = 0, nquad = 0, nshort = 0;
    cJSON_ArrayForEach(c, tu_json_get(root, "customers"))
    {
        int64_t np, ng;
        double *par = tu_json_array(tu_json_get(c, "params"), &np);
        double *gw = tu_json_array(tu_json_get(c, "grad_log"), &ng);
        occam_pnbd_par pp;
        occam__pnbd_par_init(&pp, par[0], par[1], par[2], par[3]);
        double x = tu_json_num(tu_json_get(c, "x")), tx = tu_json_num(tu_json_get(c, "t_x")),
               T = tu_json_num(tu_json_get(c, "T"));
        const char *name = tu_json_get(c, "name")->valuestring;
        double Hw[16];
        const cJSON *row = tu_json_get(c, "hess_log")->child;
        for (int i = 0; i < 4; i++, row = row->next) {
            const cJSON *v = row->child;
            for (int j = 0; j < 4; j++, v = v->next) Hw[i + 4 * j] = tu_json_num(v);
        }
        double ll, g[4], H[16];
        ck_assert_msg(row_level2(&pp, x, tx, T, &ll, g, H) == 0, "%s: evaluation failed", name);
        double want = tu_json_num(tu_json_get(c, "loglik"));
        ck_assert_msg(rel_or_abs(ll, want) <= 1e-8, "%s: loglik %.17g want %.17g", name, ll, want);
        double gmax = 0;
        for (int k = 0; k < 4; k++) gmax = fmax(gmax, fabs(gw[k]));
        for (int k = 0; k < 4; k++)
            ck_assert_msg(fabs(g[k] - gw[k]) <= 1e-8 * fmax(gmax, 1.0), "%s: gradient %d: %.17g want %.17g", name,
                          k, g[k], gw[k]);
        double m = fmax(par[1], par[3]), zmax = fabs(par[1] - par[3]) / (m + tx);
        int shortw = occam__pnbd_short(&pp, x, tx, T), quad = !shortw && zmax > OCCAM_H2F1_SERIES_ZMAX;
        double tol = quad ? 1e-5 : 1e-8;
        for (int j = 0; j < 4; j++)
            for (int i = 0; i < 4; i++) {
                double sc = fmax(fabs(Hw[i + 4 * j]), sqrt(fabs(Hw[5 * i] * Hw[5 * j])));
                ck_assert_msg(fabs(H[i + 4 * j] - Hw[i + 4 * j]) <= tol * sc + 1e-30,
                              "%s: Hessian (%d, %d): %.17g want %.17g (tolerance %g of %g)", name, i, j,
                              H[i + 4 * j], Hw[i + 4 * j], tol, sc);
            }
        nquad += quad;
        nshort += shortw;
        free(gw);
        free(par);
        n++;
    }
    ck_assert_int_ge(n, 35);
    ck_assert_int_ge(nquad, 3);  /* the quadrature branch is exercised */
    ck_assert_int_ge(nshort, 3); /* and the short window */
    cJSON_Delete(root);
}
END_TEST

/* The blocks' sums at level 2 (the G cache, rows grouped by (x, t_x)) equal
 * the sums of test_hessian_mpmath's per-row terms without the cache, to
 * 1e-13 relative (only the order of additions may differ), on CDNOW at the
 * published estimates and at a point with alpha > beta. */
START_TEST(test_block_hessian_cache)
{
    int64_t n;
    double *X = load_cdnow("../../data/cdnow_summary.csv", 0, &n);
    const double pars[2][4] = {{0.553, 10.578, 0.606, 11.669}, {0.553, 12.578, 0.606, 3.669}};
    double *x = malloc((size_t)n * 3 * sizeof *x), *tx = x + n, *T = tx + n;
    for (int64_t i = 0; i < n; i++) {
        x[i] = X[3 * i];
        tx[i] = X[3 * i + 1];
        T[i] = X[3 * i + 2];
    }
    occam_pnbd_gcache *gc = occam__pnbd_gcache_new();
    for (int q = 0; q < 2; q++) {
        occam_pnbd_par pp;
        occam__pnbd_par_init(&pp, pars[q][0], pars[q][1], pars[q][2], pars[q][3]);
        occam_pnbd_acc acc;
        ck_assert_int_eq(occam__pnbd_block(&pp, gc, x, tx, T, NULL, n, 2, &acc), OCCAM_OK);
        double ll = 0, g[4] = {0}, H[16] = {0};
        for (int64_t i = 0; i < n; i++) {
            double l1, g1[4], H1[16];
            ck_assert_int_eq(row_level2(&pp, x[i], tx[i], T[i], &l1, g1, H1), 0);
            ll += l1;
            for (int k = 0; k < 4; k++) g[k] += g1[k];
            for (int k = 0; k < 16; k++) H[k] += H1[k];
        }
        TU_ASSERT_REL(occam__pnbd_acc_ll(&acc), ll, 1e-13, "block loglik");
        for (int k = 0; k < 4; k++) TU_ASSERT_REL(acc.grad[k], g[k], 1e-13, "block gradient");
        for (int k = 0; k < 16; k++) TU_ASSERT_REL(acc.hess[k], H[k], 1e-13, "block Hessian");
    }
    occam__pnbd_gcache_free(gc);
    free(x);
    free(X);
}
END_TEST

/* Issue 15 point 9: customers whose T or t_x is tiny relative to alpha and
 * beta (T = 1e-4 .. 1e-12, t_x = 1e-9 with T = 39, alpha, beta ~ 1e6 with
 * T = 1), against tests/data/pnbd/tiny_T.json (make_tiny_T.py: mpmath at 60
 * digits, closed form checked against quadrature).  Tolerance: relative error
 * <= 1e-12 for the log-likelihood, P(alive) and every gradient component over
 * log-parameters, each relative to itself (their values go down to ~1e-24). */
START_TEST(test_tiny_T)
{
    cJSON *root = tu_load_json("pnbd/tiny_T.json");
    const cJSON *c;
    int n = 0;
    cJSON_ArrayForEach(c, tu_json_get(root, "customers"))
    {
        int64_t np, ng;
        double *par = tu_json_array(tu_json_get(c, "params"), &np);
        double *gw = tu_json_array(tu_json_get(c, "grad_log"), &ng);
        occam_pnbd_par pp;
        occam__pnbd_par_init(&pp, par[0], par[1], par[2], par[3]);
        double x = tu_json_num(tu_json_get(c, "x")), tx = tu_json_num(tu_json_get(c, "t_x")),
               T = tu_json_num(tu_json_get(c, "T"));
        const char *name = tu_json_get(c, "name")->valuestring;
        double ll, lpa, g[4];
        ck_assert_msg(occam__pnbd_row(&pp, x, tx, T, &ll, &lpa, g) == 0, "%s: evaluation failed", name);
        char what[128];
        snprintf(what, sizeof what, "%s: loglik", name);
        TU_ASSERT_REL(ll, tu_json_num(tu_json_get(c, "loglik")), 1e-12, what);
        snprintf(what, sizeof what, "%s: P(alive)", name);
        TU_ASSERT_REL(exp(lpa), tu_json_num(tu_json_get(c, "p_alive")), 1e-12, what);
        for (int k = 0; k < 4; k++) {
            snprintf(what, sizeof what, "%s: gradient %d", name, k);
            TU_ASSERT_REL(g[k], gw[k], 1e-12, what);
        }
        free(gw);
        free(par);
        n++;
    }
    ck_assert_int_ge(n, 36);
    cJSON_Delete(root);
}
END_TEST

/* ------------------------------------------------ slow reference (long double) */

typedef long double ld;

typedef struct slow_ctx {
    ld p, q, a, b, tx; /* f(w)/f(t_x) = (1 + (w-tx)/(a+tx))^-p (1 + (w-tx)/(b+tx))^-q */
} slow_ctx;

static ld slow_f(const slow_ctx *c, ld w)
{
    ld d = w - c->tx;
    return expl(-c->p * log1pl(d / (c->a + c->tx)) - c->q * log1pl(d / (c->b + c->tx)));
}

static const ld GLX[5] = {0.1488743389816312108848260L, 0.4333953941292471907992659L, 0.6794095682990244062343274L,
                          0.8650633666889845107320967L, 0.9739065285171717200779640L};
static const ld GLW[5] = {0.2955242247147528701738930L, 0.2692667193099963550912269L, 0.2190863625159820439955349L,
                          0.1494513491505805931457763L, 0.0666713443086881375935688L};

static ld gl10(const slow_ctx *c, ld lo, ld hi)
{
    ld m = 0.5L * (lo + hi), h = 0.5L * (hi - lo), s = 0;
    for (int i = 0; i < 5; i++) s += GLW[i] * (slow_f(c, m - h * GLX[i]) + slow_f(c, m + h * GLX[i]));
    return s * h;
}

static ld adapt(const slow_ctx *c, ld lo, ld hi, ld whole, ld tol, int depth)
{
    ld mid = 0.5L * (lo + hi);
    ld l = gl10(c, lo, mid), r = gl10(c, mid, hi);
    if (fabsl(l + r - whole) <= tol || depth >= 70) return l + r;
    return adapt(c, lo, mid, l, 0.5L * tol, depth + 1) + adapt(c, mid, hi, r, 0.5L * tol, depth + 1);
}

/* Log-likelihood and P(alive) by quadrature, in long double. */
static void slow_loglik(const double par[4], double x, double tx, double T, double *ll, double *pa)
{
    ld r = par[0], a = par[1], s = par[2], b = par[3], p = r + x;
    ld lhT = -p * logl(a + T) - s * logl(b + T);
    ld lc = lgammal(r + (ld)x) - lgammal(r) + r * logl(a) + s * logl(b);
    ld lterm2 = -INFINITY;
    if (T > tx) {
        slow_ctx c = {p, s + 1, a, b, tx};
        ld scale = 1.0L / (p / (a + tx) + (s + 1) / (b + tx));
        ld lb = scale * -expm1l(-((ld)T - tx) / scale); /* the integral is at least this */
        /* geometric pieces from t_x, where the integrand is steepest, so that
         * no piece hides a peak between its Gauss nodes */
        ld I = 0, lo = tx, step = scale / 8;
        while (lo < T) {
            ld hi = lo + step < T ? lo + step : (ld)T;
            I += adapt(&c, lo, hi, gl10(&c, lo, hi), 1e-16L * lb, 0);
            lo = hi;
            step *= 2;
        }
        lterm2 = logl(s) - p * logl(a + tx) - (s + 1) * logl(b + tx) + logl(I);
    }
    ld hi = lhT > lterm2 ? lhT : lterm2;
    ld lsum = hi + logl(expl(lhT - hi) + expl(lterm2 - hi));
    *ll = (double)(lc + lsum);
    *pa = (double)expl(lhT - lsum);
}

static uint64_t rng_state;
static double unif(void) /* splitmix64 -> [0, 1) */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}
static double logunif(double lo, double hi) { return exp(log(lo) + (log(hi) - log(lo)) * unif()); }

START_TEST(test_randomized_against_quadrature)
{
    rng_state = 20240611;
    int ncase = 600;
    for (int it = 0; it < ncase; it++) {
        double par[4];
        for (int k = 0; k < 4; k++) par[k] = logunif(1e-3, 1e4);
        if (it % 10 == 0) par[3] = par[1]; /* alpha == beta exactly */
        double x = unif() < 0.3 ? 0.0 : floor(logunif(1.0, 2e4));
        double T = logunif(1e-6, 1e3);
        double u = unif();
        double tx = x == 0 ? 0.0 : u < 0.1 ? T : u < 0.2 ? 0.0 : T * unif();
        occam_pnbd_par pp;
        occam__pnbd_par_init(&pp, par[0], par[1], par[2], par[3]);
        double ll, lpa, g[4], ll_ref, pa_ref;
        int rc = occam__pnbd_row(&pp, x, tx, T, &ll, &lpa, g);
        ck_assert_msg(rc == 0 && isfinite(ll) && isfinite(lpa), "case %d: not finite (r=%g a=%g s=%g b=%g x=%g tx=%g T=%g)",
                      it, par[0], par[1], par[2], par[3], x, tx, T);
        for (int k = 0; k < 4; k++) ck_assert_msg(isfinite(g[k]), "case %d: gradient %d not finite", it, k);
        slow_loglik(par, x, tx, T, &ll_ref, &pa_ref);
        ck_assert_msg(rel_or_abs(ll, ll_ref) <= 1e-8,
                      "case %d: loglik %.17g, quadrature %.17g (r=%.17g a=%.17g s=%.17g b=%.17g x=%g tx=%.17g T=%.17g)", it, ll,
                      ll_ref, par[0], par[1], par[2], par[3], x, tx, T);
        double pa = exp(lpa);
        ck_assert_msg(fabs(pa - pa_ref) <= 1e-8 * pa_ref || (pa_ref < 1e-300 && pa < 1e-290),
                      "case %d: P(alive) %.17g, quadrature %.17g", it, pa, pa_ref);
    }
}
END_TEST

START_TEST(test_row_checks)
{
    ck_assert_int_eq(occam__pnbd_check_row(2, 3, 4, 0), OCCAM_OK);
    ck_assert_int_eq(occam__pnbd_check_row(3, 0, 4, 0), OCCAM_OK); /* repeat purchases at time 0 */
    ck_assert_int_eq(occam__pnbd_check_row(0, 0, 0, 0), OCCAM_OK);
    ck_assert_int_eq(occam__pnbd_check_row(2, 5, 4, 6), OCCAM_E_DOMAIN);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "row 7: t_x = 5 exceeds T = 4"));
    ck_assert_int_eq(occam__pnbd_check_row(-1, 0, 4, 0), OCCAM_E_DOMAIN);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "non-negative integer"));
    ck_assert_int_eq(occam__pnbd_check_row(1.5, 1, 4, 0), OCCAM_E_DOMAIN);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "x = 1.5"));
    ck_assert_int_eq(occam__pnbd_check_row(1, -1, 4, 0), OCCAM_E_DOMAIN);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "t_x = -1 is negative"));
    ck_assert_int_eq(occam__pnbd_check_row(0, 0, -4, 0), OCCAM_E_DOMAIN);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "T = -4 is negative"));
    ck_assert_int_eq(occam__pnbd_check_row(0, 2, 4, 0), OCCAM_E_DOMAIN);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "x = 0 but t_x = 2"));
    ck_assert_int_eq(occam__pnbd_check_row(NAN, 2, 4, 0), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam__pnbd_check_row(1, 2, INFINITY, 0), OCCAM_E_NONFINITE);
}
END_TEST

START_TEST(test_public_loglik_errors)
{
    double X[6] = {2, 30.43, 38.86, 0, 0, 38.86}, ll = 123.0, g[4];
    ck_assert_int_eq(occam_pnbd_loglik(0.5, 10, 0.6, 11, X, 2, 3, OCCAM_ROW_MAJOR, NULL, NULL, g), OCCAM_E_NULL);
    ck_assert_int_eq(occam_pnbd_loglik(0.0, 10, 0.6, 11, X, 2, 3, OCCAM_ROW_MAJOR, NULL, &ll, g), OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam_pnbd_loglik(0.5, NAN, 0.6, 11, X, 2, 3, OCCAM_ROW_MAJOR, NULL, &ll, g), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_pnbd_loglik(0.5, 10, 0.6, 11, X, 0, 3, OCCAM_ROW_MAJOR, NULL, &ll, g), OCCAM_E_NO_DATA);
    ck_assert_int_eq(occam_pnbd_loglik(0.5, 10, 0.6, 11, X, 2, 2, OCCAM_ROW_MAJOR, NULL, &ll, g), OCCAM_E_INVALID_ARG);
    double w[2] = {1, -1};
    ck_assert_int_eq(occam_pnbd_loglik(0.5, 10, 0.6, 11, X, 2, 3, OCCAM_ROW_MAJOR, w, &ll, g), OCCAM_E_BAD_WEIGHTS);
    X[4] = 1.0; /* x = 0 with t_x = 1 */
    ck_assert_int_eq(occam_pnbd_loglik(0.5, 10, 0.6, 11, X, 2, 3, OCCAM_ROW_MAJOR, NULL, &ll, g), OCCAM_E_DOMAIN);
    X[4] = NAN;
    ck_assert_int_eq(occam_pnbd_loglik(0.5, 10, 0.6, 11, X, 2, 3, OCCAM_ROW_MAJOR, NULL, &ll, g), OCCAM_E_NONFINITE);
    ck_assert(ll == 123.0); /* untouched on error */
}
END_TEST

/* Blocks add up; a weight of 2 equals the row twice; the natural-parameter
 * gradient of the public function matches central differences of itself. */
START_TEST(test_blocks_and_weights)
{
    int64_t n;
    double *X = load_cdnow("../../data/cdnow_summary.csv", 0, &n);
    const double par[4] = {0.5534, 10.5802, 0.6061, 11.6562};
    double all, g[4], part1, part2, g1[4], g2[4];
    ck_assert_int_eq(occam_pnbd_loglik(par[0], par[1], par[2], par[3], X, n, 3, OCCAM_ROW_MAJOR, NULL, &all, g), 0);
    ck_assert_int_eq(occam_pnbd_loglik(par[0], par[1], par[2], par[3], X, 1000, 3, OCCAM_ROW_MAJOR, NULL, &part1, g1), 0);
    ck_assert_int_eq(
        occam_pnbd_loglik(par[0], par[1], par[2], par[3], X + 3000, n - 1000, 3, OCCAM_ROW_MAJOR, NULL, &part2, g2), 0);
    TU_ASSERT_REL(part1 + part2, all, 1e-13, "blocks add up");
    for (int k = 0; k < 4; k++) TU_ASSERT_REL(g1[k] + g2[k], g[k], 1e-10, "block gradients add up");
    double w[3] = {2, 0, 1}, Y[9] = {X[0], X[1], X[2], X[0], X[1], X[2], X[3], X[4], X[5]}, a, b;
    ck_assert_int_eq(occam_pnbd_loglik(par[0], par[1], par[2], par[3], X, 2, 3, OCCAM_ROW_MAJOR, (double[]){2, 1}, &a, NULL), 0);
    ck_assert_int_eq(occam_pnbd_loglik(par[0], par[1], par[2], par[3], Y, 3, 3, OCCAM_ROW_MAJOR, (double[]){1, 1, 1}, &b, NULL), 0);
    TU_ASSERT_REL(a, b, 1e-15, "weight 2 = row twice");
    (void)w;
    /* column-major gives the same as row-major */
    double *C = malloc((size_t)n * 3 * sizeof(double)), cm;
    for (int64_t i = 0; i < n; i++)
        for (int j = 0; j < 3; j++) C[i + j * n] = X[3 * i + j];
    ck_assert_int_eq(occam_pnbd_loglik(par[0], par[1], par[2], par[3], C, n, n, OCCAM_COL_MAJOR, NULL, &cm, NULL), 0);
    ck_assert(cm == all);
    /* gradient against central differences (step 1e-5 relative): 1e-6.  A step
     * of 1e-6 leaves rounding noise of ~eps |loglik| / h = 2e-6 in the
     * difference quotient (|loglik| = 9595), above the tolerance. */
    for (int k = 0; k < 4; k++) {
        double pp[4] = {par[0], par[1], par[2], par[3]}, lp, lm, h = 1e-5 * par[k];
        pp[k] = par[k] + h;
        occam_pnbd_loglik(pp[0], pp[1], pp[2], pp[3], X, n, 3, OCCAM_ROW_MAJOR, NULL, &lp, NULL);
        pp[k] = par[k] - h;
        occam_pnbd_loglik(pp[0], pp[1], pp[2], pp[3], X, n, 3, OCCAM_ROW_MAJOR, NULL, &lm, NULL);
        ck_assert_msg(fabs(g[k] - (lp - lm) / (2 * h)) <= 1e-6 * fmax(1.0, fabs(g[k])), "gradient %d: %g vs %g", k, g[k],
                      (lp - lm) / (2 * h));
    }
    free(C);
    free(X);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pnbd_loglik");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_cdnow_customers);
    tcase_add_test(tc, test_cdnow_totals);
    tcase_add_test(tc, test_hard_cases);
    tcase_add_test(tc, test_tiny_T);
    tcase_add_test(tc, test_hessian_mpmath);
    tcase_add_test(tc, test_block_hessian_cache);
    tcase_add_test(tc, test_randomized_against_quadrature);
    tcase_add_test(tc, test_row_checks);
    tcase_add_test(tc, test_public_loglik_errors);
    tcase_add_test(tc, test_blocks_and_weights);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
