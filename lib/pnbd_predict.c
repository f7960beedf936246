/*
 * pnbd_predict.c -- Pareto/NBD predictions per customer:
 *  - P(alive at T | x, t_x, T)           Fader & Hardie (2005) eq. 18 (via pnbd_loglik.c)
 *  - E[X(T, T + t] | x, t_x, T]          F&H (2005) eq. 25 (Schmittlein et al. 1987 eq. 22)
 *  - E[X(t)] for a new customer          F&H (2005) eq. 17
 *  - P(X(t) = n) for a new customer      F&H, "Deriving an Expression for P(X(t) = x)
 *                                        Under the Pareto/NBD Model" (2006), written as
 *      Gamma(r+n)/(Gamma(r) n!) alpha^r beta^s [ t^n (alpha+t)^-(r+n) (beta+t)^-s
 *                     + s Int_0^t tau^n (alpha+tau)^-(r+n) (beta+tau)^-(s+1) dtau ],
 *    the integral (F&H's 2F1 sum) by adaptive Gauss-Kronrod in log space.
 *  - DERT, discounted expected residual transactions at a continuous
 *    discount rate delta per unit of T: Fader, Hardie & Lee (2005) "RFM and
 *    CLV", JMR, appendix,
 *      DERT = P(alive) (r+x)/(alpha+T) B^s delta^(s-1) U(s, s; delta B)
 *           = P(alive) (r+x)/(alpha+T) B g(s, delta B),   B = beta + T,
 *    g = z^(s-1) U(s, s, z) from tricomi_u.c (robust for any beta and s).
 * occam__pnbd_clv_terms (occam_clv_table) gives P(alive), the conditional
 * expectation and DERT of each row from one evaluation of its likelihood
 * terms, with the same functions: the values of the three types bit for bit.
 * All closed forms use expm1/log1p so s = 1 and s -> 1 are exact limits.
 * At the no-dropout limit s = beta = Inf (a fit that returned
 * OCCAM_W_NO_DROPOUT) they are the NBD's: P(alive) = 1, E[X(T, T+t] | x, T] =
 * (r+x) t / (alpha+T), E[X(t)] = r t / alpha, P(X(t) = n) the negative
 * binomial probability with size r and prob alpha / (alpha + t).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hyp2f1.h"
#include "pnbd.h"
#include "tricomi_u.h"

/* (1 - (1 + u)^-nu) / nu, nu -> 0 limit log1p(u); u >= 0. */
static double powdiff(double nu, double u)
{
    double L = log1p(u);
    if (nu == 0) return L;
    return -expm1(-nu * L) / nu;
}

static double cond_expected(const occam_pnbd_par *pp, double x, double T, double t, double log_palive)
{
    if (pp->nbd) return (pp->r + x) / (pp->alpha + T) * t; /* no dropout: E[lambda | x, T] t */
    double bT = pp->beta + T;
    return exp(log_palive) * (pp->r + x) / (pp->alpha + T) * bT * powdiff(pp->s - 1.0, t / bT);
}

/* DERT (see the head comment); no dropout: (r+x)/(alpha+T) / delta. */
/* DERT from log_g = log g(s, delta (beta + T)), the Tricomi part, which
 * depends on the customer only through T (dert_log_g computes it once per
 * distinct T of a call). */
static double dert(const occam_pnbd_par *pp, double x, double T, double delta, double log_palive, double log_g)
{
    double lrate = log(pp->r + x) - log(pp->alpha + T);
    if (pp->nbd) return exp(lrate - log(delta));
    return exp(log_palive + lrate + log(pp->beta + T) + log_g);
}

typedef struct t_slot {
    double T, log_g;
    int used;
} t_slot;

static uint64_t t_hash(double T)
{
    uint64_t u;
    memcpy(&u, &T, sizeof u);
    u ^= u >> 33; /* the murmur3 finalizer */
    u *= 0xff51afd7ed558ccdu;
    u ^= u >> 33;
    u *= 0xc4ceb9fe1a85ec53u;
    return u ^ (u >> 33);
}

/* log_g[i] for every row, g computed once per distinct T (customers of one
 * birth day share it: summaries from dated logs have few distinct T), found
 * again through an open-addressing table of the call's T values; for z < 1
 * from the interpolation cells of occam__tricomi_table (continuous T: one
 * interpolation per row instead of a quadrature).  NULL on
 * allocation failure. */
static double *dert_log_g(const occam_pnbd_par *pp, const occam_matrix *X, double delta)
{
    size_t cap = 16;
    while (cap < 2 * (size_t)X->n) cap *= 2;
    t_slot *tab = calloc(cap, sizeof *tab);
    double *g = malloc((size_t)(X->n > 0 ? X->n : 1) * sizeof *g);
    occam__tricomi_table *cells = occam__tricomi_table_new(pp->s);
    if (tab == NULL || g == NULL || cells == NULL) {
        free(tab);
        free(g);
        occam__tricomi_table_free(cells);
        return NULL;
    }
    for (int64_t i = 0; i < X->n; i++) {
        double T = occam__mat_at(X, i, 2);
        size_t k = (size_t)t_hash(T) & (cap - 1);
        while (tab[k].used && !(tab[k].T == T)) k = (k + 1) & (cap - 1);
        if (!tab[k].used)
            tab[k] = (t_slot){T, pp->nbd ? 0.0 : occam__tricomi_table_log_g(cells, delta * (pp->beta + T)), 1};
        g[i] = tab[k].log_g;
    }
    free(tab);
    occam__tricomi_table_free(cells);
    return g;
}

static double expected_new(const occam_pnbd_par *pp, double t)
{
    if (pp->nbd) return pp->r / pp->alpha * t;
    return pp->r / pp->alpha * pp->beta * powdiff(pp->s - 1.0, t / pp->beta);
}

/* log of the integrand tau^n (alpha+tau)^-(r+n) (beta+tau)^-(s+1) dtau in
 * v = log(1 + tau / c0): tau = c0 expm1(v), dtau = c0 e^v dv. */
typedef struct pn_ctx {
    const occam_pnbd_par *pp;
    double n, c0, ref;
} pn_ctx;

static double pn_logf(const pn_ctx *q, double v)
{
    double tau = q->c0 * expm1(v);
    double lt = q->n > 0 ? q->n * log(tau) : 0.0;
    if (q->n > 0 && tau == 0) return -INFINITY;
    return lt - (q->pp->r + q->n) * log(q->pp->alpha + tau) - (q->pp->s + 1.0) * log(q->pp->beta + tau) +
           log(q->c0) + v;
}

static void pn_integrand(double v, void *ctx, double *vals)
{
    const pn_ctx *q = ctx;
    vals[0] = exp(pn_logf(q, v) - q->ref);
}

static double prob_n(const occam_pnbd_par *pp, double n, double t)
{
    if (t == 0) return n == 0 ? 1.0 : 0.0;
    double lgx, dgx;
    occam__pnbd_lgx(pp, n, &lgx, &dgx);
    if (pp->nbd) /* the NBD: Gamma(r+n)/(Gamma(r) n!) (alpha/(alpha+t))^r (t/(alpha+t))^n */
        return exp(lgx - occam__lgamma(n + 1.0) - pp->r * log1p(t / pp->alpha) +
                   (n > 0 ? n * log(t / (pp->alpha + t)) : 0.0));
    double lc = lgx - occam__lgamma(n + 1.0) + pp->r * pp->log_alpha + pp->s * pp->log_beta;
    double la = (n > 0 ? n * log(t) : 0.0) - (pp->r + n) * log(pp->alpha + t) - pp->s * log(pp->beta + t);
    pn_ctx q = {pp, n, fmin(pp->alpha, pp->beta), 0.0};
    double vmax = log1p(t / q.c0);
    /* reference: the largest log-integrand on a grid, so exp() stays in range */
    double ref = -INFINITY;
    for (int i = 1; i <= 64; i++) {
        double lf = pn_logf(&q, vmax * i / 64.0);
        if (lf > ref) ref = lf;
    }
    q.ref = ref;
    double b[9];
    for (int i = 0; i <= 8; i++) b[i] = vmax * i / 8.0;
    double I;
    if (occam__quad_gk(pn_integrand, &q, 1, b, 9, 1e-13, &I) < 0 || !(I >= 0)) return NAN;
    double lb = log(pp->s) + ref + log(I);
    double hi = fmax(la, lb);
    return exp(lc + hi + log(exp(la - hi) + exp(lb - hi)));
}

/* The rows' checks of a prediction of `type`: OCCAM_OK or the first bad row's status. */
static int check_rows(int type, const occam_matrix *X)
{
    for (int64_t i = 0; i < X->n; i++) {
        double x = occam__mat_at(X, i, 0), tx = occam__mat_at(X, i, 1), T = occam__mat_at(X, i, 2);
        int rc;
        if (type == OCCAM_PREDICT_EXPECTED_NEW) /* only T (= t) is used */
            rc = T >= 0 ? OCCAM_OK : occam__fail(OCCAM_E_DOMAIN, "row %lld: t = %g is negative", (long long)i + 1, T);
        else if (type == OCCAM_PREDICT_PROB_N) /* x = n and T = t */
            rc = x >= 0 && x == floor(x) && T >= 0
                     ? OCCAM_OK
                     : occam__fail(OCCAM_E_DOMAIN, "row %lld: need an integer n = x >= 0 and t = T >= 0, got (%g, %g)",
                                   (long long)i + 1, x, T);
        else
            rc = occam__pnbd_check_row(x, tx, T, i);
        if (rc != OCCAM_OK) return rc;
    }
    return OCCAM_OK;
}

int occam__pnbd_predict(const occam_model *m, int type, double horizon, const occam_matrix *X,
                        const double *offset, double *out, double *se)
{
    if (se != NULL)
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_model_predict: standard errors are not available for "
                                                "Pareto/NBD predictions (se_out must be NULL)");
    if (offset != NULL)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_model_predict: a Pareto/NBD model takes no offset");
    if (type != OCCAM_PREDICT_PALIVE && type != OCCAM_PREDICT_EXPECTED && type != OCCAM_PREDICT_LOGLIK &&
        type != OCCAM_PREDICT_EXPECTED_NEW && type != OCCAM_PREDICT_PROB_N && type != OCCAM_PREDICT_DERT)
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_model_predict: type %d is not a Pareto/NBD prediction",
                           type);
    if (type == OCCAM_PREDICT_EXPECTED && !(horizon >= 0 && isfinite(horizon)))
        return occam__fail(horizon < 0 ? OCCAM_E_DOMAIN : OCCAM_E_NONFINITE,
                           "occam_model_predict: horizon = %g must be finite and >= 0", horizon);
    if (type == OCCAM_PREDICT_DERT && !(horizon > 0 && isfinite(horizon)))
        return occam__fail(isnan(horizon) || isinf(horizon) ? OCCAM_E_NONFINITE : OCCAM_E_DOMAIN,
                           "occam_model_predict: the DERT discount rate delta = %g (passed as horizon) must be "
                           "finite and > 0",
                           horizon);
    int rc = check_rows(type, X);
    if (rc != OCCAM_OK) return rc;
    occam_pnbd_par pp;
    occam__pnbd_model_par(m, &pp);
    /* results go to a scratch array first: on error `out` stays untouched */
    double *tmp = malloc((size_t)X->n * sizeof(double));
    double *log_g = type == OCCAM_PREDICT_DERT ? dert_log_g(&pp, X, horizon) : NULL;
    if (tmp == NULL || (type == OCCAM_PREDICT_DERT && log_g == NULL)) {
        free(tmp);
        free(log_g);
        return occam__fail(OCCAM_E_NOMEM, "occam_model_predict: out of memory for %lld rows", (long long)X->n);
    }
    for (int64_t i = 0; i < X->n; i++) {
        double x = occam__mat_at(X, i, 0), tx = occam__mat_at(X, i, 1), T = occam__mat_at(X, i, 2);
        double ll, lpa, v;
        switch (type) {
        case OCCAM_PREDICT_EXPECTED_NEW: v = expected_new(&pp, T); break;
        case OCCAM_PREDICT_PROB_N: v = prob_n(&pp, x, T); break;
        default:
            if (occam__pnbd_row(&pp, x, tx, T, &ll, &lpa, NULL) != 0) {
                v = NAN;
                break;
            }
            v = type == OCCAM_PREDICT_LOGLIK ? ll
                : type == OCCAM_PREDICT_PALIVE ? exp(lpa)
                : type == OCCAM_PREDICT_DERT   ? dert(&pp, x, T, horizon, lpa, log_g[i])
                                               : cond_expected(&pp, x, T, horizon, lpa);
        }
        if (!isfinite(v)) {
            free(tmp);
            free(log_g);
            return occam__fail(OCCAM_E_NUMERIC, "occam_model_predict: non-finite Pareto/NBD prediction at row %lld",
                               (long long)i + 1);
        }
        tmp[i] = v;
    }
    memcpy(out, tmp, (size_t)X->n * sizeof(double));
    free(tmp);
    free(log_g);
    return OCCAM_OK;
}

int occam__pnbd_clv_terms(const occam_model *m, double horizon, double delta, const occam_matrix *X,
                          double *p_alive, double *expected, double *dert_out)
{
    const char *fn = "occam_clv";
    if (!(horizon >= 0 && isfinite(horizon)))
        return occam__fail(isnan(horizon) || isinf(horizon) ? OCCAM_E_NONFINITE : OCCAM_E_DOMAIN,
                           "%s: horizon = %g must be finite and >= 0", fn, horizon);
    if (!(delta > 0 && isfinite(delta)))
        return occam__fail(isnan(delta) || isinf(delta) ? OCCAM_E_NONFINITE : OCCAM_E_DOMAIN,
                           "%s: the discount rate delta = %g must be finite and > 0", fn, delta);
    int rc = check_rows(OCCAM_PREDICT_DERT, X);
    if (rc != OCCAM_OK) return rc;
    occam_pnbd_par pp;
    occam__pnbd_model_par(m, &pp);
    double *log_g = dert_log_g(&pp, X, delta);
    if (log_g == NULL) return occam__fail(OCCAM_E_NOMEM, "%s: out of memory for %lld rows", fn, (long long)X->n);
    for (int64_t i = 0; i < X->n; i++) {
        double x = occam__mat_at(X, i, 0), tx = occam__mat_at(X, i, 1), T = occam__mat_at(X, i, 2);
        double ll, lpa, v[3] = {NAN, NAN, NAN};
        if (occam__pnbd_row(&pp, x, tx, T, &ll, &lpa, NULL) == 0) { /* the same values as occam__pnbd_predict */
            v[0] = exp(lpa);
            v[1] = cond_expected(&pp, x, T, horizon, lpa);
            v[2] = dert(&pp, x, T, delta, lpa, log_g[i]);
        }
        if (!(isfinite(v[0]) && isfinite(v[1]) && isfinite(v[2]))) {
            free(log_g);
            return occam__fail(OCCAM_E_NUMERIC, "%s: non-finite Pareto/NBD prediction at row %lld", fn,
                               (long long)i + 1);
        }
        p_alive[i] = v[0];
        expected[i] = v[1];
        dert_out[i] = v[2];
    }
    free(log_g);
    return OCCAM_OK;
}
