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
    }
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

/* The 2F1 arguments of G(u) (see the header comment): e, z and 1 - z. */
static void pnbd_G_arg(const occam_pnbd_par *pp, double p, double u, double *e, double *z, double *zc)
{
    double A = pp->alpha + u, B = pp->beta + u;
    if (pp->alpha >= pp->beta) {
        *e = p;
        *z = (pp->alpha - pp->beta) / A;
        *zc = B / A;
    } else {
        *e = pp->s + 1.0;
        *z = (pp->beta - pp->alpha) / B;
        *zc = A / B;
    }
}

/* G(u) and its derivatives from S = 2F1(1, e; c; z) and its partials. */
static void pnbd_G_from(const occam_pnbd_par *pp, double u, const double S[4], double g[5])
{
    double A = pp->alpha + u, B = pp->beta + u;
    if (pp->alpha >= pp->beta) {
        g[0] = S[0];
        g[1] = S[1] + S[2]; /* e = p and c = a + 1 both move with r */
        g[3] = S[2];
        g[2] = S[3] * B / (A * A);
        g[4] = -S[3] / A;
    } else {
        double zc = A / B, dGdz = zc * S[3] - S[0];
        g[0] = zc * S[0];
        g[1] = zc * S[2];
        g[3] = zc * (S[1] + S[2]);
        g[2] = -dGdz / B;
        g[4] = dGdz * A / (B * B);
    }
}

/* G(u) and its derivatives with respect to (r, alpha, s, beta): g[0] = G,
 * g[1..4] = dG/dr, dG/dalpha, dG/ds, dG/dbeta. */
static int pnbd_G(const occam_pnbd_par *pp, double p, double c, double u, double g[5])
{
    double e, z, zc, S[4];
    pnbd_G_arg(pp, p, u, &e, &z, &zc);
    if (occam__h2f1_1ec(e, c, z, zc, S) != 0) return -1;
    pnbd_G_from(pp, u, S, g);
    return 0;
}

/* G(t_x) and G(T) together: when both take the series (same e and c), its
 * divisions are shared (occam__h2f1_1ec_series2, bitwise the same values). */
static int pnbd_G_pair(const occam_pnbd_par *pp, double p, double c, double tx, double T, double Gt[5],
                       double GT[5], occam_h2_cache *cache)
{
    double e, z1, z1c, z2, z2c, S1[4], S2[4];
    pnbd_G_arg(pp, p, tx, &e, &z1, &z1c);
    pnbd_G_arg(pp, p, T, &e, &z2, &z2c);
    if (!(z1 <= OCCAM_H2F1_SERIES_ZMAX && z2 <= OCCAM_H2F1_SERIES_ZMAX && c > 1 && z1c > 0 && z2c > 0))
        return pnbd_G(pp, p, c, tx, Gt) != 0 || pnbd_G(pp, p, c, T, GT) != 0 ? -1 : 0;
    if (occam__h2f1_1ec_series2(e, c, z1, z2, S1, S2, cache) != 0) return -1;
    pnbd_G_from(pp, tx, S1, Gt);
    pnbd_G_from(pp, T, S2, GT);
    return 0;
}

/* A short window: T - t_x small against alpha + t_x and beta + t_x.  There
 * L = C [h(t_x) - p Int_{t_x}^T h(w)/(alpha+w) dw] (F&H's eq. 22 after
 * h(t_x) - h(T) = Int (p/(alpha+w) + s/(beta+w)) h(w) dw), so with
 *
 *   K = p Int_0^{T-t_x} (1 + v/A)^-(p+1) (1 + v/B)^-s dv / A,   A = alpha+t_x, B = beta+t_x,
 *
 * log L = log C + log h(t_x) + log1p(-K): one integral of one sign, no
 * difference of nearly equal 2F1 terms (which loses all digits of the
 * O(T - t_x) part of log L as T - t_x -> 0).  Under the window condition
 * (p+1)(T-t_x) <= PNBD_SHORT A and (s+1)(T-t_x) <= PNBD_SHORT B the integrand
 * varies by a factor <= e^0.5 and is analytic far beyond the window, so
 * 10-point Gauss-Legendre is exact to rounding (error ~1e-20).
 * k[0] = K, k[1..4] = dK/d(r, alpha, s, beta). */
#define PNBD_SHORT 0.25

static const double GL10_X[5] = {0.1488743389816312108848260, 0.4333953941292471907992659, 0.6794095682990244062343274,
                                 0.8650633666889845107320967, 0.9739065285171717200779640};
static const double GL10_W[5] = {0.2955242247147528701738930, 0.2692667193099963550912269, 0.2190863625159820439955349,
                                 0.1494513491505805931457763, 0.0666713443086881375935688};

static int short_window(const occam_pnbd_par *pp, double p, double tx, double dT)
{
    double A = pp->alpha + tx, B = pp->beta + tx;
    return (p + 1.0) * dT <= PNBD_SHORT * A && (pp->s + 1.0) * dT <= PNBD_SHORT * B;
}

static void short_K(const occam_pnbd_par *pp, double p, double tx, double dT, double k[5])
{
    if (dT == 0) { /* t_x = T: K and its derivatives vanish */
        for (int j = 0; j < 5; j++) k[j] = 0.0;
        return;
    }
    const double s = pp->s, A = pp->alpha + tx, B = pp->beta + tx, h = 0.5 * dT;
    double I0 = 0, Ir = 0, Ia = 0, Is = 0, Ib = 0;
    for (int i = 0; i < 10; i++) {
        double v = h * (i < 5 ? 1.0 - GL10_X[i] : 1.0 + GL10_X[i - 5]);
        double la = log1p(v / A), lb = log1p(v / B);
        double wf = h * GL10_W[i % 5] * exp(-(p + 1.0) * la - s * lb);
        I0 += wf;
        Ir -= wf * la;
        Ia += wf * (p + 1.0) * v / (A * (A + v));
        Is -= wf * lb;
        Ib += wf * s * v / (B * (B + v));
    }
    double c = p / A;
    k[0] = c * I0;
    k[1] = I0 / A + c * Ir;
    k[2] = -k[0] / A + c * Ia;
    k[3] = c * Is;
    k[4] = c * Ib;
}

int occam__pnbd_row(const occam_pnbd_par *pp, double x, double tx, double T, double *ll, double *log_palive,
                    double grad[4])
{
    return occam__pnbd_row_cached(pp, NULL, x, tx, T, ll, log_palive, grad);
}

int occam__pnbd_row_cached(const occam_pnbd_par *pp, occam_h2_cache *cache, double x, double tx, double T,
                           double *ll, double *log_palive, double grad[4])
{
    const double r = pp->r, alpha = pp->alpha, s = pp->s, beta = pp->beta;
    double p = r + x, a = p + s, c = a + 1.0, soa = s / a;
    double lgx, dgx;
    occam__pnbd_lgx(pp, x, &lgx, &dgx);
    if (pp->nbd) { /* no dropout: log L = lgx - r log1p(T/alpha) - x log(alpha+T), P(alive) = 1 */
        double lT = log1p(T / alpha);
        *ll = lgx - r * lT - x * log(alpha + T);
        if (log_palive) *log_palive = 0.0;
        if (grad) {
            grad[0] = r * (dgx - lT);
            grad[1] = r * T / (alpha + T) - x * alpha / (alpha + T);
            grad[2] = grad[3] = 0.0; /* the limit does not depend on s, beta */
        }
        if (!isfinite(*ll)) goto fail;
        return 0;
    }
    double dT = T - tx;
    double l1 = log1p(dT / (alpha + tx)), l2 = log1p(dT / (beta + tx));
    double lnR = p * l1 + s * l2;
    /* log C + log h(t_x) = lgx + r log alpha + s log beta - p log(alpha + t_x) - s log(beta + t_x),
     * in log1p form (t_x small against alpha, beta loses nothing), and its derivatives */
    double la = log1p(tx / alpha), lb = log1p(tx / beta);
    double lhead = lgx - r * la - x * log(alpha + tx) - s * lb;
    double dA[4] = {dgx - la, r * tx / (alpha * (alpha + tx)) - x / (alpha + tx), -lb, s * tx / (beta * (beta + tx))};
    double theta[4] = {r, alpha, s, beta};
    if (short_window(pp, p, tx, dT)) {
        double k[5];
        short_K(pp, p, tx, dT, k);
        double l1mK = log1p(-k[0]);
        *ll = lhead + l1mK;
        if (log_palive) *log_palive = -lnR - l1mK;
        if (grad)
            for (int j = 0; j < 4; j++) grad[j] = theta[j] * (dA[j] - k[j + 1] / (1.0 - k[0]));
        if (!isfinite(*ll)) goto fail;
        return 0;
    }
    double Rinv = exp(-lnR);
    double Gt[5], GT[5];
    if (pnbd_G_pair(pp, p, c, tx, T, Gt, GT, cache) != 0) goto fail;
    double diff = Gt[0] - GT[0] * Rinv;
    if (diff < 0) diff = 0; /* rounding when t_x is within ~1e-16 of T */
    double V = Rinv + soa * diff;
    double logV = log(V);
    *ll = lhead + logV;
    if (log_palive) *log_palive = -lnR - logV;
    if (grad) {
        /* d lnR / d(r, alpha, s, beta) */
        double dlnR[4] = {l1, -p * dT / ((alpha + T) * (alpha + tx)), l2, -s * dT / ((beta + T) * (beta + tx))};
        double dsoa[4] = {-s / (a * a), 0.0, p / (a * a), 0.0};
        for (int k = 0; k < 4; k++) {
            double dRinv = -Rinv * dlnR[k];
            double dV = dRinv + dsoa[k] * diff + soa * (Gt[k + 1] - GT[k + 1] * Rinv - GT[0] * dRinv);
            grad[k] = theta[k] * (dA[k] + dV / V);
        }
    }
    if (!isfinite(*ll)) goto fail;
    return 0;
fail:
    *ll = NAN;
    if (log_palive) *log_palive = NAN;
    if (grad)
        for (int k = 0; k < 4; k++) grad[k] = NAN;
    return -1;
}

/* --------------------------------------------------- block contributions */

void occam__pnbd_acc_zero(occam_pnbd_acc *acc)
{
    acc->ll = acc->ll_comp = acc->wsum = 0.0;
    for (int k = 0; k < 4; k++) acc->grad[k] = 0.0;
    acc->nrows = 0;
}

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
    dst->wsum += src->wsum;
    dst->nrows += src->nrows;
}

double occam__pnbd_acc_ll(const occam_pnbd_acc *acc) { return acc->ll + acc->ll_comp; }

int occam__pnbd_block(const occam_pnbd_par *pp, const double *x, const double *tx, const double *T,
                      const double *w, int64_t nb, int want_grad, occam_pnbd_acc *out)
{
    occam__pnbd_acc_zero(out);
    occam_h2_cache cache; /* rows come sorted by x after a collapse: the 2F1 coefficients repeat */
    cache.n = 0;
    for (int64_t i = 0; i < nb; i++) {
        double wi = w ? w[i] : 1.0;
        if (wi == 0) continue;
        double ll, g[4];
        if (occam__pnbd_row_cached(pp, &cache, x[i], tx[i], T[i], &ll, NULL, want_grad ? g : NULL) != 0)
            return occam__fail(OCCAM_E_NUMERIC,
                               "Pareto/NBD log-likelihood not finite at row %lld of the block (x = %g, t_x = %g, "
                               "T = %g; r = %g, alpha = %g, s = %g, beta = %g)",
                               (long long)i + 1, x[i], tx[i], T[i], pp->r, pp->alpha, pp->s, pp->beta);
        neumaier(&out->ll, &out->ll_comp, wi * ll);
        if (want_grad)
            for (int k = 0; k < 4; k++) out->grad[k] += wi * g[k];
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
    for (int64_t i0 = 0; i0 < n; i0 += NB) {
        int64_t nb = n - i0 < NB ? n - i0 : NB;
        for (int64_t i = 0; i < nb; i++) {
            cx[i] = occam__mat_at(&Xv, i0 + i, 0);
            ctx[i] = occam__mat_at(&Xv, i0 + i, 1);
            cT[i] = occam__mat_at(&Xv, i0 + i, 2);
        }
        rc = occam__pnbd_block(&pp, cx, ctx, cT, weights ? weights + i0 : NULL, nb, grad != NULL, &blk);
        if (rc != OCCAM_OK) return rc;
        occam__pnbd_acc_add(&tot, &blk);
    }
    *loglik = occam__pnbd_acc_ll(&tot);
    if (grad)
        for (int k = 0; k < 4; k++) grad[k] = tot.grad[k] / par[k];
    return OCCAM_OK;
}
