/*
 * tricomi_u.c -- U(s, s, z) through g(s, z) = z^(s-1) U(s, s, z); the
 * method and sources are in tricomi_u.h.
 */
#include <float.h>
#include <math.h>

#include "hyp2f1.h"
#include "tricomi_u.h"

double occam__tricomi_log_g_cf(double s, double z)
{
    /* g = 1 / (b0 + a1 / (b1 + a2 / (b2 + ...))), b_i = z + s + 2 i,
     * a_i = -i (i - 1 + s): modified Lentz (Numerical Recipes 5.2). */
    const double tiny = 1e-300;
    double f = z + s;
    if (f == 0) f = tiny;
    double C = f, D = 0;
    for (int i = 1; i <= 20000; i++) {
        double a = -(double)i * (i - 1 + s), b = z + s + 2.0 * i;
        D = b + a * D;
        if (D == 0) D = tiny;
        C = b + a / C;
        if (C == 0) C = tiny;
        D = 1 / D;
        double step = C * D;
        f *= step;
        if (fabs(step - 1) < 1e-16) return f > 0 ? -log(f) : NAN;
    }
    return NAN;
}

typedef struct g_ctx {
    double s, z, hmax;
} g_ctx;

static double g_h(const g_ctx *q, double v)
{
    return (1 - q->s) * v - q->z * expm1(v);
}

static void g_integrand(double v, void *ctx, double *vals)
{
    const g_ctx *q = ctx;
    vals[0] = exp(g_h(q, v) - q->hmax);
}

double occam__tricomi_log_g_quad(double s, double z)
{
    g_ctx q = {s, z, 0};
    /* h is concave with h'(v) = 1 - s - z e^v: its maximum is at
     * v* = log((1 - s) / z) when that is > 0, else at 0. */
    double vs = s < 1 && (1 - s) > z ? log((1 - s) / z) : 0;
    q.hmax = g_h(&q, vs);
    /* v_c: past the maximum where h has fallen by 60 (doubling steps) */
    double w = 1;
    while (g_h(&q, vs + w) > q.hmax - 60 && w < 1e6) w *= 2;
    double lo = w / 2, hi = w; /* refine by bisection to keep the range tight */
    if (w > 1)
        for (int i = 0; i < 30; i++) {
            double mid = 0.5 * (lo + hi);
            if (g_h(&q, vs + mid) > q.hmax - 60) lo = mid;
            else hi = mid;
        }
    double vc = vs + hi;
    double b[34];
    int nb = 0;
    /* left of the peak: it rises from h(0) = 0, so a few breaks suffice */
    if (vs > 0) {
        for (int i = 0; i < 16; i++) b[nb++] = vs * i / 16.0;
    }
    for (int i = 0; i <= 16; i++) b[nb++] = vs + (vc - vs) * i / 16.0;
    double I;
    if (occam__quad_gk(g_integrand, &q, 1, b, nb, 1e-14, &I) < 0 || !(I > 0)) return NAN;
    return q.hmax + log(I);
}

double occam__tricomi_log_g(double s, double z)
{
    if (!isfinite(s) || !(z > 0) || !isfinite(z)) return NAN;
    if (z >= 1) {
        double lg = occam__tricomi_log_g_cf(s, z);
        if (isfinite(lg)) return lg;
    }
    return occam__tricomi_log_g_quad(s, z);
}

double occam__tricomi_log_u_ss(double s, double z)
{
    return occam__tricomi_log_g(s, z) + (1 - s) * log(z);
}
