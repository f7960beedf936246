/*
 * hyp2f1.c -- S(e, c, z) = 2F1(1, e; c; z) with its derivatives, by series
 * (z <= 0.95) or by quadrature of Euler's integral (z > 0.95); and the
 * adaptive Gauss-Kronrod integrator.  The method is described in hyp2f1.h
 * and docs/pnbd.md.  Pure functions, no allocation, no global state.
 */
#include "hyp2f1.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* ------------------------------------------------------- Gauss-Kronrod 7/15 */

/* QUADPACK qk15 nodes (positive half, descending) and weights. */
static const double XGK[8] = {0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
                              0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
                              0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
                              0.207784955007898467600689403773245, 0.0};
static const double WGK[8] = {0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
                              0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
                              0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
                              0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
static const double WG[4] = {0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
                             0.381830050505118944950369775488975, 0.417959183673469387755102040816327};

typedef struct gk_interval {
    double a, b;
    double k[OCCAM_QUAD_MAXCOMP]; /* Kronrod estimate */
    double err;                   /* max over components of |K - G| / scale */
    double dif[OCCAM_QUAD_MAXCOMP];
} gk_interval;

static void gk15(occam_qfun f, void *ctx, int ncomp, gk_interval *iv)
{
    double c = 0.5 * (iv->a + iv->b), h = 0.5 * (iv->b - iv->a);
    double fv[OCCAM_QUAD_MAXCOMP], fm[OCCAM_QUAD_MAXCOMP];
    double k[OCCAM_QUAD_MAXCOMP] = {0}, g[OCCAM_QUAD_MAXCOMP] = {0};
    f(c, ctx, fv);
    for (int m = 0; m < ncomp; m++) {
        k[m] = WGK[7] * fv[m];
        g[m] = WG[3] * fv[m];
    }
    for (int j = 0; j < 7; j++) {
        double dx = h * XGK[j];
        f(c - dx, ctx, fm);
        f(c + dx, ctx, fv);
        for (int m = 0; m < ncomp; m++) {
            double s = fm[m] + fv[m];
            k[m] += WGK[j] * s;
            if (j & 1) g[m] += WG[j / 2] * s;
        }
    }
    for (int m = 0; m < ncomp; m++) {
        iv->k[m] = k[m] * h;
        iv->dif[m] = fabs((k[m] - g[m]) * h);
    }
}

int occam__quad_gk(occam_qfun f, void *ctx, int ncomp, const double *breaks, int nbreaks, double rtol,
                   double *res)
{
    if (ncomp < 1 || ncomp > OCCAM_QUAD_MAXCOMP || nbreaks < 2 || nbreaks > 64) return -1;
    gk_interval iv[OCCAM_QUAD_MAXINT];
    int n = 0;
    for (int i = 0; i + 1 < nbreaks; i++) {
        if (!(breaks[i + 1] > breaks[i])) continue;
        iv[n].a = breaks[i];
        iv[n].b = breaks[i + 1];
        gk15(f, ctx, ncomp, &iv[n]);
        n++;
    }
    if (n == 0) {
        for (int m = 0; m < ncomp; m++) res[m] = 0.0;
        return 0;
    }
    int status = 1;
    for (;;) {
        double tot[OCCAM_QUAD_MAXCOMP] = {0}, dif[OCCAM_QUAD_MAXCOMP] = {0};
        for (int i = 0; i < n; i++)
            for (int m = 0; m < ncomp; m++) {
                tot[m] += iv[i].k[m];
                dif[m] += iv[i].dif[m];
            }
        int done = 1;
        for (int m = 0; m < ncomp; m++)
            if (!(dif[m] <= rtol * fabs(tot[m]))) done = 0;
        for (int m = 0; m < ncomp; m++) res[m] = tot[m];
        if (done) {
            status = 0;
            break;
        }
        if (n + 1 > OCCAM_QUAD_MAXINT) break;
        /* Bisect the interval contributing most to the relative error. */
        int worst = 0;
        double wmax = -1.0;
        for (int i = 0; i < n; i++) {
            double e = 0.0;
            for (int m = 0; m < ncomp; m++) {
                double sc = fabs(tot[m]) > 0 ? fabs(tot[m]) : 1.0;
                double r = iv[i].dif[m] / sc;
                if (r > e) e = r;
            }
            if (e > wmax) {
                wmax = e;
                worst = i;
            }
        }
        double mid = 0.5 * (iv[worst].a + iv[worst].b);
        if (!(mid > iv[worst].a && mid < iv[worst].b)) break; /* cannot split further */
        iv[n].a = mid;
        iv[n].b = iv[worst].b;
        iv[worst].b = mid;
        gk15(f, ctx, ncomp, &iv[worst]);
        gk15(f, ctx, ncomp, &iv[n]);
        n++;
    }
    return status;
}

/* ------------------------------------------------------------------ series */

int occam__h2f1_1ec_series(double e, double c, double z, double out[4])
{
    double v[10]; /* the one series sum, hyp2f1_d2.c, at level 1 */
    int rc = occam__h2f1_1ec_series_d2(e, c, z, 1, NULL, v);
    for (int i = 0; i < 4; i++) out[i] = v[i];
    return rc;
}

/* -------------------------------------------------------------- quadrature */

/* Integrand of S = (c - 1) Int_0^inf (1 + kappa t)^-m1 (1 + t)^-m2 dt in
 * y = log(1 + t):  w(y) = exp(-psi(y)),  psi = (m2 - 1) y + m1 L(y),
 * L(y) = log(1 + kappa (e^y - 1)), D(y) = y - L(y) >= 0. */
typedef struct h2_ctx {
    double m1, m2, kappa;
    int ncomp; /* 4, or 5 with E^2 w for d2S/dz2 */
} h2_ctx;

static double h2_L(const h2_ctx *q, double y)
{
    if (y <= 600.0) return log1p(q->kappa * expm1(y));
    return y + log(q->kappa) + log1p((1.0 - q->kappa) / q->kappa * exp(-y));
}

static double h2_D(const h2_ctx *q, double y)
{
    double v = (1.0 - q->kappa) * -expm1(-y); /* 1 - (kappa + (1 - kappa) e^-y) */
    if (v <= 0.5) return -log1p(-v);
    return -log(q->kappa + (1.0 - q->kappa) * exp(-y));
}

/* vals: w, D w, y e^-L w, E w with E = (e^y - 1) e^-L = t / (1 + kappa t),
 * and E^2 w when ctx->ncomp is 5. */
static void h2_integrand(double y, void *ctx, double *vals)
{
    const h2_ctx *q = ctx;
    double L = h2_L(q, y);
    double w = exp(-((q->m2 - 1.0) * y + q->m1 * L));
    double em = expm1(y);
    double E = y > 0 ? 1.0 / (q->kappa + 1.0 / em) : 0.0;
    vals[0] = w;
    vals[1] = h2_D(q, y) * w;
    vals[2] = y * exp(-L) * w;
    vals[3] = E * w;
    if (q->ncomp > 4) vals[4] = E * E * w;
}

static int cmp_insert(double *b, int n, double v)
{
    /* insert v into the sorted list b[0..n-1] unless a close value exists */
    for (int i = 0; i < n; i++)
        if (fabs(b[i] - v) <= 1e-9 * (1.0 + fabs(v))) return n;
    int i = n;
    while (i > 0 && b[i - 1] > v) {
        b[i] = b[i - 1];
        i--;
    }
    b[i] = v;
    return n + 1;
}

/* The quadrature of ncomp components (4, or 5: out[4] = d2S/dz2). */
static int quad_n(double e, double c, double zc, int ncomp, double *out)
{
    if (!(e > 0) || !(c > e) || !(c > 1) || !(zc > 0) || !(zc <= 1)) {
        for (int i = 0; i < ncomp; i++) out[i] = NAN;
        return -1;
    }
    h2_ctx q = {e, c - e, zc, ncomp};
    double lam = c - 1.0;                                 /* decay rate of w at infinity */
    double yc = fmax(0.0, log((1.0 + e) / zc)) + 40.0;    /* beyond: w is exponential to 1e-17 */
    double d0 = (q.m2 - 1.0) + q.m1 * q.kappa;            /* psi'(0) */
    double b[64];
    int nb = 0;
    nb = cmp_insert(b, nb, 0.0);
    nb = cmp_insert(b, nb, yc);
    double h = 1.0 / fmax(1.0, fabs(d0));
    for (double y = h; y < yc && nb < 40; y *= 4.0) nb = cmp_insert(b, nb, y);
    double yt = -log(zc); /* where kappa e^y = 1: the slope of psi changes there */
    if (yt > 0 && yt < yc) nb = cmp_insert(b, nb, yt);
    if (d0 < 0) { /* interior mode: psi'(y*) = 0 */
        double rho = (1.0 - q.m2) / q.m1; /* kappa e^y / (1 - kappa + kappa e^y) at the mode */
        double ys = log(rho * (1.0 - zc) / (zc * (1.0 - rho)));
        if (ys > 0 && ys < yc) nb = cmp_insert(b, nb, ys);
    }
    double R[5];
    int st = occam__quad_gk(h2_integrand, &q, ncomp, b, nb, 1e-13, R);
    double C = exp(-((q.m2 - 1.0) * yc + q.m1 * h2_L(&q, yc)));
    out[0] = lam * (R[0] + C / lam);
    out[1] = lam * (R[1] + C * h2_D(&q, yc) / lam);
    out[2] = -q.m1 * (1.0 - zc) * R[2];
    out[3] = lam * q.m1 * (R[3] + C / (zc * lam));
    /* d2S/dz2 = (c - 1) e (e + 1) Int t^2 (1 + kappa t)^-(e+2) (1 + t)^-(c-e) dt; E -> 1/kappa in the tail */
    if (ncomp > 4) out[4] = lam * q.m1 * (q.m1 + 1.0) * (R[4] + C / (zc * zc * lam));
    return st < 0 ? -1 : 0;
}

int occam__h2f1_1ec_quad(double e, double c, double zc, double out[4]) { return quad_n(e, c, zc, 4, out); }

int occam__h2f1_1ec_quad5(double e, double c, double zc, double out[5]) { return quad_n(e, c, zc, 5, out); }

/* ---------------------------------------------------------------- dispatch */

int occam__h2f1_1ec(double e, double c, double z, double zc, double out[4])
{
    if (!(e > 0) || !(c > e) || !(c > 1) || !(z >= 0) || !(z < 1) || !(zc > 0)) {
        for (int i = 0; i < 4; i++) out[i] = NAN;
        return -1;
    }
    if (z <= OCCAM_H2F1_SERIES_ZMAX) return occam__h2f1_1ec_series(e, c, z, out);
    return occam__h2f1_1ec_quad(e, c, zc, out);
}
