/*
 * pnbd_loglik.c -- the Pareto/NBD log-likelihood of one customer, its
 * gradient over log-parameters, P(alive), and block contributions.
 *
 * Fader & Hardie (2005, eq. 22) give, with p = r + x, a = r + s + x,
 * h(u) = (alpha + u)^-p (beta + u)^-s,
 *
 *   L = Gamma(r+x) alpha^r beta^s / Gamma(r) * [ h(T) + s Int_{t_x}^T h(w)/(beta+w) dw ].
 *
 * We write the tail integral Int_u^inf h(w)/(beta+w) dw = h(u) G(u) / a, where
 * G(u) is bounded (1 <= G <= a/s when alpha >= beta, 1 - z <= G <= 1 otherwise)
 * and is a single Gauss hypergeometric function (hyp2f1.h):
 *
 *   alpha >= beta:  z = (alpha - beta)/(alpha + u),  G = 2F1(1, p; a + 1; z)
 *   alpha <  beta:  z = (beta - alpha)/(beta + u),   G = (1 - z) 2F1(1, s + 1; a + 1; z)
 *
 * (F&H's 2F1(a, b; a + 1; z) terms after Euler's transformation, A&S 15.3.3).
 * Then with R = h(t_x)/h(T) >= 1 and V = 1/R + (s/a) (G(t_x) - G(T)/R) > 0,
 *
 *   log L = lgamma(r+x) - lgamma(r) + r log alpha + s log beta + log h(T) + log R + log V,
 *   P(alive) = 1 / (R V)                       (F&H 2005 eq. 18 / SMC 1987 eq. 11).
 *
 * No term can overflow (1/R underflows harmlessly to 0 for x in the 10^4),
 * the difference G(t_x) - G(T)/R is weighted by s/a <= 1 so its rounding is
 * an absolute error of ~1e-16 in V >= 1/R, and every logarithm of a ratio is
 * taken with log1p.  The gradient differentiates the same expression, with
 * the derivatives of G from hyp2f1.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hyp2f1.h"
#include "pnbd.h"

void occam__pnbd_par_init(occam_pnbd_par *pp, double r, double alpha, double s, double beta)
{
    pp->r = r;
    pp->alpha = alpha;
    pp->s = s;
    pp->beta = beta;
    pp->nbd = isinf(s) && isinf(beta);
    pp->log_alpha = log(alpha);
    pp->log_beta = log(beta);
    double lg_r = occam__lgamma(r), dg_r = occam__digamma(r);
    for (int x = 0; x < OCCAM_PNBD_XTAB; x++) {
        pp->lgx[x] = x == 0 ? 0.0 : occam__lgamma(r + x) - lg_r;
        pp->dgx[x] = x == 0 ? 0.0 : occam__digamma(r + x) - dg_r;
        /* trigamma(r + x) = trigamma(r) - sum_{j<x} 1/(r+j)^2: no cancellation */
        pp->tgx[x] = x == 0 ? 0.0 : pp->tgx[x - 1] - 1.0 / ((r + x - 1) * (r + x - 1));
    }
}

double occam__pnbd_tgx(const occam_pnbd_par *pp, double x)
{
    if (x < OCCAM_PNBD_XTAB) return pp->tgx[(int)x];
    return occam__trigamma(pp->r + x) - occam__trigamma(pp->r);
}

void occam__pnbd_lgx(const occam_pnbd_par *pp, double x, double *lgx, double *dgx)
{
    if (x < OCCAM_PNBD_XTAB) {
        int i = (int)x;
        *lgx = pp->lgx[i];
        *dgx = pp->dgx[i];
        return;
    }
    *lgx = occam__lgamma(pp->r + x) - occam__lgamma(pp->r);
    *dgx = occam__digamma(pp->r + x) - occam__digamma(pp->r);
}

int occam__pnbd_check_row(double x, double tx, double T, int64_t i)
{
    long long row = (long long)i + 1;
    if (!isfinite(x) || !isfinite(tx) || !isfinite(T))
        return occam__fail(OCCAM_E_NONFINITE, "row %lld: (x, t_x, T) = (%g, %g, %g) is not finite", row, x, tx,
                           T);
    if (x < 0 || x != floor(x))
        return occam__fail(OCCAM_E_DOMAIN, "row %lld: x = %.16g must be a non-negative integer (repeat transactions)",
                           row, x);
    if (tx < 0 || T < 0)
        return occam__fail(OCCAM_E_DOMAIN, "row %lld: %s = %.16g is negative", row, tx < 0 ? "t_x" : "T",
                           tx < 0 ? tx : T);
    if (tx > T) return occam__fail(OCCAM_E_DOMAIN, "row %lld: t_x = %.16g exceeds T = %.16g", row, tx, T);
    if (x == 0 && tx != 0)
        return occam__fail(OCCAM_E_DOMAIN, "row %lld: x = 0 but t_x = %.16g (t_x must be 0 without repeat transactions)",
                           row, tx);
    return OCCAM_OK;
}

/* g, H over theta -> over phi = log theta: g_phi = theta g, H_phi =
 * theta_i theta_j H + delta_ij g_phi. */
static void to_log_scale(const double theta[4], int level, double g[4], double H[16])
{
    if (level >= 2)
        for (int j = 0; j < 4; j++)
            for (int i = 0; i < 4; i++) H[i + 4 * j] *= theta[i] * theta[j];
    for (int k = 0; k < 4; k++) {
        g[k] *= theta[k];
        if (level >= 2) H[k + 4 * k] += g[k];
    }
}

/* No dropout (s = beta = Inf): log L = lgx - r log1p(T/alpha) - x log(alpha+T), P(alive) = 1. */
static double row_nbd(const occam_pnbd_par *pp, double x, double T, int level, double g[4], double H[16])
{
    const double r = pp->r, alpha = pp->alpha, A = alpha + T;
    double lgx, dgx, lT = log1p(T / alpha);
    occam__pnbd_lgx(pp, x, &lgx, &dgx);
    if (level >= 1) {
        g[0] = dgx - lT;
        g[1] = r * T / (alpha * A) - x / A;
        g[2] = g[3] = 0.0; /* the limit does not depend on s, beta */
    }
    if (level >= 2) {
        memset(H, 0, 16 * sizeof *H);
        H[0] = occam__pnbd_tgx(pp, x);
        H[1] = H[4] = T / (alpha * A);
        H[5] = -r * T * (2.0 * alpha + T) / (alpha * alpha * A * A) + x / (A * A);
    }
    return lgx - r * lT - x * log(A);
}

/* The short window: log L = head + log1p(-K). */
static double row_short(const occam_pnbd_par *pp, double x, double tx, double T, const occam_pnbd_gval *hd,
                        int level, double *lpa, double g[4], double H[16])
{
    const double head = hd->g, *dh = hd->d, *Hh = hd->h;
    occam_pnbd_gval k;
    occam__pnbd_K(pp, x, tx, T, level, &k);
    double dT = T - tx, omk = 1.0 - k.g;
    double lnR = (pp->r + x) * log1p(dT / (pp->alpha + tx)) + pp->s * log1p(dT / (pp->beta + tx));
    double tail = log1p(-k.g);
    *lpa = -lnR - tail;
    for (int i = 0; level >= 1 && i < 4; i++) g[i] = dh[i] - k.d[i] / omk;
    for (int j = 0; level >= 2 && j < 4; j++)
        for (int i = 0; i <= j; i++)
            H[i + 4 * j] = H[j + 4 * i] = Hh[i + 4 * j] - k.h[i + 4 * j] / omk - k.d[i] * k.d[j] / (omk * omk);
    return head + tail;
}

/* The general form: log L = head + log V, V = 1/R + (s/a)(G(t_x) - G(T)/R). */
static double row_general(const occam_pnbd_par *pp, double x, double tx, double T, const occam_pnbd_gval *hd,
                          const occam_pnbd_gval *Gt, const occam_pnbd_gval *GT, int level, double *lpa, double g[4],
                          double H[16])
{
    const double r = pp->r, alpha = pp->alpha, s = pp->s, beta = pp->beta;
    const double p = r + x, a = p + s, soa = s / a, dT = T - tx;
    const double A1 = alpha + tx, AT = alpha + T, B1 = beta + tx, BT = beta + T;
    const double head = hd->g, *dh = hd->d, *Hh = hd->h;
    double l1 = log1p(dT / A1), l2 = log1p(dT / B1);
    double lnR = p * l1 + s * l2, Rinv = exp(-lnR);
    double diff = Gt->g - GT->g * Rinv;
    if (diff < 0) diff = 0; /* rounding when t_x is within ~1e-16 of T */
    double V = Rinv + soa * diff;
    double logV = log(V);
    *lpa = -lnR - logV;
    if (level < 1) return head + logV;
    const double iA = 1.0 / (AT * A1), iB = 1.0 / (BT * B1), ia = 1.0 / a, iV = 1.0 / V;
    double dlnR[4] = {l1, -p * dT * iA, l2, -s * dT * iB};
    double dsoa[4] = {-s * ia * ia, 0.0, p * ia * ia, 0.0};
    double dR[4], dd[4], q[4]; /* q = dV / V */
    for (int k = 0; k < 4; k++) {
        dR[k] = -Rinv * dlnR[k];
        dd[k] = Gt->d[k] - GT->d[k] * Rinv - GT->g * dR[k];
        q[k] = (dR[k] + dsoa[k] * diff + soa * dd[k]) * iV;
        g[k] = dh[k] + q[k];
    }
    if (level < 2) return head + logV;
    double HlnR[16] = {0}, Hsoa[16] = {0}, ia3 = ia * ia * ia;
    HlnR[0 + 4 * 1] = HlnR[1 + 4 * 0] = -dT * iA;
    HlnR[1 + 4 * 1] = p * dT * (AT + A1) * iA * iA;
    HlnR[2 + 4 * 3] = HlnR[3 + 4 * 2] = -dT * iB;
    HlnR[3 + 4 * 3] = s * dT * (BT + B1) * iB * iB;
    Hsoa[0] = 2.0 * s * ia3;
    Hsoa[0 + 4 * 2] = Hsoa[2 + 4 * 0] = (s - p) * ia3;
    Hsoa[2 + 4 * 2] = -2.0 * p * ia3;
    for (int j = 0; j < 4; j++)
        for (int i = 0; i <= j; i++) {
            int ij = i + 4 * j;
            double HR = Rinv * (dlnR[i] * dlnR[j] - HlnR[ij]);
            double Hd = Gt->h[ij] - GT->h[ij] * Rinv - GT->d[i] * dR[j] - GT->d[j] * dR[i] - GT->g * HR;
            double HV = HR + Hsoa[ij] * diff + dsoa[i] * dd[j] + dsoa[j] * dd[i] + soa * Hd;
            H[ij] = H[j + 4 * i] = Hh[ij] + HV * iV - q[i] * q[j];
        }
    return head + logV;
}

int occam__pnbd_row2(const occam_pnbd_par *pp, double x, double tx, double T, const occam_pnbd_gval *hd,
                     const occam_pnbd_gval *Gt, const occam_pnbd_gval *GT, int level, double *ll, double *log_palive,
                     double g[4], double H[16])
{
    const double theta[4] = {pp->r, pp->alpha, pp->s, pp->beta};
    double lpa = 0.0, v;
    if (pp->nbd)
        v = row_nbd(pp, x, T, level, g, H);
    else if (occam__pnbd_short(pp, x, tx, T))
        v = row_short(pp, x, tx, T, hd, level, &lpa, g, H);
    else
        v = row_general(pp, x, tx, T, hd, Gt, GT, level, &lpa, g, H);
    *ll = v;
    if (log_palive) *log_palive = lpa;
    if (level >= 1) to_log_scale(theta, level, g, H);
    int ok = isfinite(v);
    for (int k = 0; ok && level >= 1 && k < 4; k++) ok = isfinite(g[k]);
    for (int k = 0; ok && level >= 2 && k < 16; k++) ok = isfinite(H[k]);
    return ok ? 0 : -1;
}

int occam__pnbd_row(const occam_pnbd_par *pp, double x, double tx, double T, double *ll, double *log_palive,
                    double grad[4])
{
    int level = grad ? 1 : 0;
    occam_pnbd_gval hd, Gt, GT;
    int rc = 0;
    if (!pp->nbd) hd.g = occam__pnbd_head(pp, x, tx, level, hd.d, hd.h);
    if (!pp->nbd && !occam__pnbd_short(pp, x, tx, T))
        rc = occam__pnbd_G(pp, x, tx, level, NULL, &Gt) != 0 || occam__pnbd_G(pp, x, T, level, NULL, &GT) != 0 ? -1 : 0;
    if (rc == 0) rc = occam__pnbd_row2(pp, x, tx, T, &hd, &Gt, &GT, level, ll, log_palive, grad, NULL);
    if (rc != 0) {
        *ll = NAN;
        if (log_palive) *log_palive = NAN;
        if (grad)
            for (int k = 0; k < 4; k++) grad[k] = NAN;
        return -1;
    }
    return 0;
}

/* --------------------------------------------------- block contributions */

void occam__pnbd_acc_zero(occam_pnbd_acc *acc) { memset(acc, 0, sizeof *acc); }

/* Neumaier's compensated sum: *sum + *comp carries sum + v. */
static void neumaier(double *sum, double *comp, double v)
{
    double t = *sum + v;
    if (fabs(*sum) >= fabs(v))
        *comp += (*sum - t) + v;
    else
        *comp += (v - t) + *sum;
    *sum = t;
}

void occam__pnbd_acc_add(occam_pnbd_acc *dst, const occam_pnbd_acc *src)
{
    neumaier(&dst->ll, &dst->ll_comp, src->ll);
    dst->ll_comp += src->ll_comp;
    for (int k = 0; k < 4; k++) dst->grad[k] += src->grad[k];
    for (int k = 0; k < 16; k++) dst->hess[k] += src->hess[k];
    dst->wsum += src->wsum;
    dst->nrows += src->nrows;
}

double occam__pnbd_acc_ll(const occam_pnbd_acc *acc) { return acc->ll + acc->ll_comp; }

/* The terms rows of one (x, t_x) share: head and G(t_x) (computed when a
 * row of the group first needs it). */
typedef struct pnbd_group {
    double x, tx;
    int have, have_Gt, Gt_rc;
    occam_pnbd_gval hd, Gt;
} pnbd_group;

static const occam_pnbd_gval *group_Gt(pnbd_group *gr, const occam_pnbd_par *pp, int level, occam_h2_coef *tab)
{
    if (!gr->have_Gt) {
        gr->Gt_rc = occam__pnbd_G(pp, gr->x, gr->tx, level, tab, &gr->Gt);
        gr->have_Gt = 1;
    }
    return gr->Gt_rc == 0 ? &gr->Gt : NULL;
}

int occam__pnbd_block(const occam_pnbd_par *pp, occam_pnbd_gcache *gc, const double *x, const double *tx,
                      const double *T, const double *w, int64_t nb, int level, occam_pnbd_acc *out)
{
    occam__pnbd_acc_zero(out);
    occam__pnbd_gcache_begin(gc, pp, level);
    pnbd_group gr;
    gr.have = 0;
    for (int64_t i = 0; i < nb; i++) {
        double wi = w ? w[i] : 1.0;
        if (wi == 0) continue;
        double ll, g[4], H[16];
        const occam_pnbd_gval *Gt = NULL, *GT = NULL;
        int rc = 0;
        if (!pp->nbd) {
            if (!gr.have || gr.x != x[i] || gr.tx != tx[i]) { /* rows come sorted by x, t_x after a collapse */
                gr.x = x[i];
                gr.tx = tx[i];
                gr.have = 1;
                gr.have_Gt = 0;
                gr.hd.g = occam__pnbd_head(pp, x[i], tx[i], level, gr.hd.d, gr.hd.h);
            }
            if (!occam__pnbd_short(pp, x[i], tx[i], T[i])) {
                Gt = group_Gt(&gr, pp, level, gc->tab);
                GT = occam__pnbd_gcache_get(gc, x[i], T[i]);
                rc = Gt == NULL || GT == NULL ? -1 : 0;
            }
        }
        if (rc == 0) rc = occam__pnbd_row2(pp, x[i], tx[i], T[i], &gr.hd, Gt, GT, level, &ll, NULL, g, H);
        if (rc != 0)
            return occam__fail(OCCAM_E_NUMERIC,
                               "Pareto/NBD log-likelihood not finite at row %lld of the block (x = %g, t_x = %g, "
                               "T = %g; r = %g, alpha = %g, s = %g, beta = %g)",
                               (long long)i + 1, x[i], tx[i], T[i], pp->r, pp->alpha, pp->s, pp->beta);
        neumaier(&out->ll, &out->ll_comp, wi * ll);
        for (int k = 0; level >= 1 && k < 4; k++) out->grad[k] += wi * g[k];
        for (int k = 0; level >= 2 && k < 16; k++) out->hess[k] += wi * H[k];
        out->wsum += wi;
        out->nrows++;
    }
    return OCCAM_OK;
}

/* ------------------------------------------------------------- public API */

int occam_pnbd_loglik(double r, double alpha, double s, double beta, const double *X, int64_t n, int64_t ldx,
                      int layout, const double *weights, double *loglik, double *grad)
{
    if (loglik == NULL) return occam__fail(OCCAM_E_NULL, "occam_pnbd_loglik: loglik is NULL");
    const double par[4] = {r, alpha, s, beta};
    static const char *const nm[4] = {"r", "alpha", "s", "beta"};
    for (int k = 0; k < 4; k++) {
        if (!isfinite(par[k]))
            return occam__fail(OCCAM_E_NONFINITE, "occam_pnbd_loglik: %s = %g is not finite", nm[k], par[k]);
        if (!(par[k] > 0)) return occam__fail(OCCAM_E_DOMAIN, "occam_pnbd_loglik: %s = %g must be > 0", nm[k], par[k]);
    }
    occam_matrix Xv;
    int rc = occam__matrix_init(&Xv, X, n, 3, ldx, layout, "X");
    if (rc == OCCAM_OK) rc = occam__check_finite_matrix(&Xv, "X");
    if (rc == OCCAM_OK && weights != NULL) {
        rc = occam__check_finite_vector(weights, n, "weights");
        for (int64_t i = 0; rc == OCCAM_OK && i < n; i++)
            if (weights[i] < 0)
                rc = occam__fail(OCCAM_E_BAD_WEIGHTS, "occam_pnbd_loglik: weight %lld is negative (%g)",
                                 (long long)i + 1, weights[i]);
    }
    for (int64_t i = 0; rc == OCCAM_OK && i < n; i++)
        rc = occam__pnbd_check_row(occam__mat_at(&Xv, i, 0), occam__mat_at(&Xv, i, 1), occam__mat_at(&Xv, i, 2), i);
    if (rc != OCCAM_OK) return rc;
    occam_pnbd_par pp;
    occam__pnbd_par_init(&pp, r, alpha, s, beta);
    enum { NB = 512 };
    double cx[NB], ctx[NB], cT[NB];
    occam_pnbd_acc tot, blk;
    occam__pnbd_acc_zero(&tot);
    occam_pnbd_gcache *gc = occam__pnbd_gcache_new();
    if (gc == NULL) return occam__fail(OCCAM_E_NOMEM, "occam_pnbd_loglik: out of memory");
    for (int64_t i0 = 0; i0 < n; i0 += NB) {
        int64_t nb = n - i0 < NB ? n - i0 : NB;
        for (int64_t i = 0; i < nb; i++) {
            cx[i] = occam__mat_at(&Xv, i0 + i, 0);
            ctx[i] = occam__mat_at(&Xv, i0 + i, 1);
            cT[i] = occam__mat_at(&Xv, i0 + i, 2);
        }
        rc = occam__pnbd_block(&pp, gc, cx, ctx, cT, weights ? weights + i0 : NULL, nb, grad != NULL, &blk);
        if (rc != OCCAM_OK) break;
        occam__pnbd_acc_add(&tot, &blk);
    }
    occam__pnbd_gcache_free(gc);
    if (rc != OCCAM_OK) return rc;
    *loglik = occam__pnbd_acc_ll(&tot);
    if (grad)
        for (int k = 0; k < 4; k++) grad[k] = tot.grad[k] / par[k];
    return OCCAM_OK;
}
