/*
 * tricomi_u.c -- U(s, s, z) through g(s, z) = z^(s-1) U(s, s, z); the
 * method and sources are in tricomi_u.h.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

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

/* ------------------------------------------------------------------ table */

enum { CELL_NODES = 9, CELLS_PER_E = 32 };

typedef struct cell {
    int64_t k;            /* the cell [e^(k/32), e^((k+1)/32)] of z */
    int used, direct;     /* direct: the check point disagreed, evaluate g directly */
    double lg_ref;        /* log g at the cell's centre (node (CELL_NODES - 1) / 2) */
    double f[CELL_NODES]; /* g / e^lg_ref at the Chebyshev points */
} cell;

struct occam__tricomi_table {
    double s;
    size_t cap, count;
    cell *cells;
};

occam__tricomi_table *occam__tricomi_table_new(double s)
{
    occam__tricomi_table *t = malloc(sizeof *t);
    if (t == NULL) return NULL;
    *t = (occam__tricomi_table){s, 0, 0, NULL};
    return t;
}

void occam__tricomi_table_free(occam__tricomi_table *t)
{
    if (t == NULL) return;
    free(t->cells);
    free(t);
}

/* node j of the CELL_NODES (odd) Chebyshev points of the second kind on
 * [-1, 1]; the middle one is 0 */
static double node(int j)
{
    if (2 * j == CELL_NODES - 1) return 0.0;
    return cos(j * 3.14159265358979323846 / (CELL_NODES - 1));
}

/* The barycentric interpolant of f at x in [-1, 1] (Berrut & Trefethen
 * 2004, eq. 4.2: weights (-1)^j, halved at the two ends). */
static double interpolate(const double *f, double x)
{
    double num = 0, den = 0;
    for (int j = 0; j < CELL_NODES; j++) {
        double d = x - node(j);
        if (d == 0) return f[j];
        double w = (j % 2 ? -1.0 : 1.0) * (j == 0 || j == CELL_NODES - 1 ? 0.5 : 1.0) / d;
        num += w * f[j];
        den += w;
    }
    return num / den;
}

static void cell_ends(int64_t k, double *a, double *b)
{
    *a = exp((double)k / CELLS_PER_E);
    *b = exp((double)(k + 1) / CELLS_PER_E);
}

static double cell_z(int64_t k, double x)
{
    double a, b;
    cell_ends(k, &a, &b);
    return 0.5 * (a + b) + 0.5 * (b - a) * x;
}

/* Fill cell k for s: g at the nodes by the quadrature, then one check point
 * between nodes; a disagreement beyond 1e-14 in log g makes the cell direct. */
static void cell_build(cell *c, double s, int64_t k)
{
    c->k = k;
    c->used = 1;
    c->lg_ref = occam__tricomi_log_g_quad(s, cell_z(k, 0.0));
    c->direct = !isfinite(c->lg_ref);
    for (int j = 0; j < CELL_NODES && !c->direct; j++) {
        double lg = 2 * j == CELL_NODES - 1 ? c->lg_ref : occam__tricomi_log_g_quad(s, cell_z(k, node(j)));
        c->f[j] = exp(lg - c->lg_ref);
        c->direct = !isfinite(c->f[j]);
    }
    if (!c->direct) {
        const double xc = 0.6; /* not a node */
        double want = occam__tricomi_log_g_quad(s, cell_z(k, xc));
        double got = c->lg_ref + log(interpolate(c->f, xc));
        c->direct = !(fabs(got - want) <= 1e-14);
    }
}

static size_t cell_slot(const occam__tricomi_table *t, int64_t k)
{
    uint64_t h = (uint64_t)k * 0x9e3779b97f4a7c15u;
    size_t i = (size_t)(h >> 32) & (t->cap - 1);
    while (t->cells[i].used && t->cells[i].k != k) i = (i + 1) & (t->cap - 1);
    return i;
}

/* Double the table (or make its first 64 slots); 0 if out of memory. */
static int table_grow(occam__tricomi_table *t)
{
    size_t cap = t->cap ? 2 * t->cap : 64, old_cap = t->cap;
    cell *old = t->cells, *cells = calloc(cap, sizeof *cells);
    if (cells == NULL) return 0;
    t->cells = cells;
    t->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].used) t->cells[cell_slot(t, old[i].k)] = old[i];
    free(old);
    return 1;
}

double occam__tricomi_table_log_g(occam__tricomi_table *t, double z)
{
    if (!(z > 0) || z >= 1 || !isfinite(t->s)) return occam__tricomi_log_g(t->s, z);
    int64_t k = (int64_t)floor(log(z) * CELLS_PER_E);
    double a, b;
    cell_ends(k, &a, &b);
    if (z < a) k--; /* log rounded across a cell end: keep z inside [a, b] */
    else if (z > b) k++;
    if (2 * (t->count + 1) > t->cap && !table_grow(t)) return occam__tricomi_log_g(t->s, z);
    cell *c = &t->cells[cell_slot(t, k)];
    if (!c->used) {
        cell_build(c, t->s, k);
        t->count++;
    }
    if (c->direct) return occam__tricomi_log_g(t->s, z);
    cell_ends(k, &a, &b);
    double x = (2 * z - (a + b)) / (b - a);
    return c->lg_ref + log(interpolate(c->f, x));
}

void occam__tricomi_table_counts(const occam__tricomi_table *t, size_t *cells, size_t *direct)
{
    *cells = t->count;
    *direct = 0;
    for (size_t i = 0; i < t->cap; i++) *direct += t->cells[i].used && t->cells[i].direct;
}
