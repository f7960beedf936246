/*
 * pnbd_terms.c -- the terms one customer's Pareto/NBD log-likelihood is made
 * of (pnbd_loglik.c's header gives the formulas), each with its first and,
 * on request, second derivatives with respect to theta = (r, alpha, s, beta):
 *
 *   head   lgamma(r+x) - lgamma(r) + r log alpha + s log beta
 *            - p log(alpha + t_x) - s log(beta + t_x)         (log C + log h(t_x))
 *   G(u)   the bounded tail factor, one 2F1(1, e; c; z)   (hyp2f1.c, hyp2f1_d2.c)
 *   K      the short-window integral, 10-point Gauss-Legendre
 *
 * level 0: the value; 1: and the gradient; 2: and the Hessian (4 x 4,
 * column-major, both triangles).  Second derivatives come from
 * differentiating the same expressions once more (the chain rule through
 * e, c, z for G; under the integral sign for K); docs/pnbd.md.
 */
#include <math.h>
#include <string.h>

#include "hyp2f1.h"
#include "pnbd.h"

static void sym_set(double H[16], int i, int j, double v)
{
    H[i + 4 * j] = v;
    H[j + 4 * i] = v;
}

double occam__pnbd_head(const occam_pnbd_par *pp, double x, double tx, int level, double d[4], double H[16])
{
    const double r = pp->r, alpha = pp->alpha, s = pp->s, beta = pp->beta;
    double lgx, dgx;
    occam__pnbd_lgx(pp, x, &lgx, &dgx);
    double la = log1p(tx / alpha), lb = log1p(tx / beta), A = alpha + tx, B = beta + tx;
    double v = lgx - r * la - x * log(A) - s * lb;
    if (level >= 1) {
        d[0] = dgx - la;
        d[1] = r * tx / (alpha * A) - x / A;
        d[2] = -lb;
        d[3] = s * tx / (beta * B);
    }
    if (level >= 2) {
        memset(H, 0, 16 * sizeof *H);
        H[0] = occam__pnbd_tgx(pp, x);
        sym_set(H, 0, 1, tx / (alpha * A));
        H[5] = -r * tx * (2.0 * alpha + tx) / (alpha * alpha * A * A) + x / (A * A);
        sym_set(H, 2, 3, tx / (beta * B));
        H[15] = -s * tx * (2.0 * beta + tx) / (beta * beta * B * B);
    }
    return v;
}

/* ------------------------------------------------------------------ G(u) */

int occam__pnbd_G(const occam_pnbd_par *pp, double x, double u, int level, occam_h2_coef *tab, occam_pnbd_gval *out)
{
    const double r = pp->r, alpha = pp->alpha, s = pp->s, beta = pp->beta;
    const double p = r + x, c = p + s + 1.0, A = alpha + u, B = beta + u;
    const int ab = alpha >= beta;
    /* the 2F1's arguments and their derivatives: e, c linear in theta; z in (alpha, beta) */
    double e = ab ? p : s + 1.0, z = ab ? (alpha - beta) / A : (beta - alpha) / B, zc = ab ? B / A : A / B;
    double S[10];
    if (occam__h2f1_1ec_d2(e, c, z, zc, level < 1 ? 1 : level, tab, S) != 0) return -1;
    /* G as a function of (e, c, z): G = S (alpha >= beta) or (1 - z) S */
    double g0, ge, gc, gz, gee = 0, gec = 0, gcc = 0, gez = 0, gcz = 0, gzz = 0;
    if (ab) {
        g0 = S[0], ge = S[1], gc = S[2], gz = S[3];
        if (level >= 2) gee = S[4], gec = S[5], gcc = S[6], gez = S[7], gcz = S[8], gzz = S[9];
    } else {
        g0 = zc * S[0], ge = zc * S[1], gc = zc * S[2], gz = zc * S[3] - S[0];
        if (level >= 2) {
            gee = zc * S[4], gec = zc * S[5], gcc = zc * S[6];
            gez = zc * S[7] - S[1], gcz = zc * S[8] - S[2], gzz = zc * S[9] - 2.0 * S[3];
        }
    }
    out->g = g0;
    if (level < 1) return 0;
    /* e moves with theta[pe] (r when alpha >= beta, else s), c with r and s,
     * z with alpha and beta: za, zb its first derivatives, zaa, zab, zbb its
     * second ones */
    const int pe = ab ? 0 : 2, po = ab ? 2 : 0;
    double za = ab ? B / (A * A) : -1.0 / B, zb = ab ? -1.0 / A : A / (B * B);
    out->d[pe] = ge + gc;
    out->d[po] = gc;
    out->d[1] = gz * za;
    out->d[3] = gz * zb;
    if (level < 2) return 0;
    double zaa = ab ? -2.0 * B / (A * A * A) : 0.0, zab = ab ? 1.0 / (A * A) : 1.0 / (B * B);
    double zbb = ab ? 0.0 : -2.0 * A / (B * B * B);
    double *h = out->h;
    h[pe + 4 * pe] = gee + 2.0 * gec + gcc;
    h[po + 4 * po] = gcc;
    sym_set(h, pe, po, gec + gcc);
    sym_set(h, pe, 1, (gez + gcz) * za);
    sym_set(h, pe, 3, (gez + gcz) * zb);
    sym_set(h, po, 1, gcz * za);
    sym_set(h, po, 3, gcz * zb);
    h[1 + 4 * 1] = gzz * za * za + gz * zaa;
    sym_set(h, 1, 3, gzz * za * zb + gz * zab);
    h[3 + 4 * 3] = gzz * zb * zb + gz * zbb;
    return 0;
}

/* ---------------------------------------------------------- short window */

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
 * 10-point Gauss-Legendre is exact to rounding (error ~1e-20), and so are
 * its derivatives, integrals of the same integrand times polynomials in
 * log1p(v/A), log1p(v/B), v/(A(A+v)), v/(B(B+v)). */
#define PNBD_SHORT 0.25

static const double GL10_X[5] = {0.1488743389816312108848260, 0.4333953941292471907992659, 0.6794095682990244062343274,
                                 0.8650633666889845107320967, 0.9739065285171717200779640};
static const double GL10_W[5] = {0.2955242247147528701738930, 0.2692667193099963550912269, 0.2190863625159820439955349,
                                 0.1494513491505805931457763, 0.0666713443086881375935688};

int occam__pnbd_short(const occam_pnbd_par *pp, double x, double tx, double T)
{
    double dT = T - tx, p = pp->r + x;
    return (p + 1.0) * dT <= PNBD_SHORT * (pp->alpha + tx) && (pp->s + 1.0) * dT <= PNBD_SHORT * (pp->beta + tx);
}

void occam__pnbd_K(const occam_pnbd_par *pp, double x, double tx, double T, int level, occam_pnbd_gval *k)
{
    memset(k, 0, sizeof *k);
    const double dT = T - tx;
    if (dT == 0) return; /* t_x = T: K and its derivatives vanish */
    const double p = pp->r + x, s = pp->s, A = pp->alpha + tx, B = pp->beta + tx, h = 0.5 * dT;
    double I = 0, Id[4] = {0, 0, 0, 0}, Ih[16] = {0};
    for (int i = 0; i < 10; i++) {
        double v = h * (i < 5 ? 1.0 - GL10_X[i] : 1.0 + GL10_X[i - 5]);
        double la = log1p(v / A), lb = log1p(v / B);
        double wf = h * GL10_W[i % 5] * exp(-(p + 1.0) * la - s * lb);
        I += wf;
        if (level < 1) continue;
        double ma = v / (A * (A + v)), mb = v / (B * (B + v));
        double q[4] = {-la, (p + 1.0) * ma, -lb, s * mb}; /* d log(integrand) / dtheta */
        for (int j = 0; j < 4; j++) Id[j] += wf * q[j];
        if (level < 2) continue;
        /* d q_i / d theta_j: nonzero only at (r, alpha), (alpha, alpha), (s, beta), (beta, beta) */
        double qaa = -(p + 1.0) * v * (2.0 * A + v) / (A * A * (A + v) * (A + v));
        double qbb = -s * v * (2.0 * B + v) / (B * B * (B + v) * (B + v));
        for (int j = 0; j < 4; j++)
            for (int m = 0; m <= j; m++) Ih[m + 4 * j] += wf * q[m] * q[j];
        Ih[0 + 4 * 1] += wf * ma;
        Ih[1 + 4 * 1] += wf * qaa;
        Ih[2 + 4 * 3] += wf * mb;
        Ih[3 + 4 * 3] += wf * qbb;
    }
    for (int j = 0; j < 4; j++) /* the lower triangle */
        for (int m = j + 1; m < 4; m++) Ih[m + 4 * j] = Ih[j + 4 * m];
    /* K = (p/A) I */
    double cf = p / A, dc[4] = {1.0 / A, -p / (A * A), 0.0, 0.0};
    k->g = cf * I;
    if (level < 1) return;
    for (int j = 0; j < 4; j++) k->d[j] = dc[j] * I + cf * Id[j];
    if (level < 2) return;
    double Hc[16] = {0};
    Hc[0 + 4 * 1] = Hc[1 + 4 * 0] = -1.0 / (A * A);
    Hc[1 + 4 * 1] = 2.0 * p / (A * A * A);
    for (int j = 0; j < 4; j++)
        for (int m = 0; m < 4; m++)
            k->h[m + 4 * j] = Hc[m + 4 * j] * I + dc[m] * Id[j] + dc[j] * Id[m] + cf * Ih[m + 4 * j];
}
