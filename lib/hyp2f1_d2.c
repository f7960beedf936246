/*
 * hyp2f1_d2.c -- S(e, c, z) = 2F1(1, e; c; z) with its first and second
 * partial derivatives, for the analytic Hessian of the Pareto/NBD
 * log-likelihood (pnbd_hess.c).  Private; see hyp2f1.h.
 *
 * Series (z <= OCCAM_H2F1_SERIES_ZMAX).  With T_n = (e)_n/(c)_n z^n,
 * A_n = sum_{j<n} 1/(e+j), C_n = sum_{j<n} 1/(c+j) and the squares' sums
 * A2_n, C2_n, term by term:
 *   dT/de = T A,  dT/dc = -T C,  dT/dz = n T/z,
 *   d2T/de2 = T (A^2 - A2),  d2T/dc2 = T (C^2 + C2),  d2T/de dc = -T A C,
 *   d2T/de dz = n T A/z,  d2T/dc dz = -n T C/z,  d2T/dz2 = n (n-1) T/z^2.
 * Each series has terms of one sign, so none cancels; A^2 - A2 = 2 sum_{i<j}
 * 1/((e+i)(e+j)) is carried as its own positive running sum (no
 * difference of nearly equal numbers), and likewise C^2 + C2.  The sum stops
 * when n >= 4/(1-z) (beyond it the ratio of consecutive terms of every
 * series, the n(n-1) one included, stays below (1+z)/2, so a tail is at most
 * 2/(1-z) times its first term) and every tail bound is below 1e-17 of its
 * sum (1e-16 for the second derivatives; tested every other term).
 *
 * Quadrature (z > OCCAM_H2F1_SERIES_ZMAX, where the series needs ~37/(1-z)
 * terms): S, its first derivatives and d2S/dz2 (one more component of the
 * same integral) come from occam__h2f1_1ec_quad5; the second derivatives in
 * e and c by five-point central differences of the first ones in e and c,
 * with steps 1e-3 of the scale on which S varies (the distance to the
 * domain's edge, or 1/(1 + |log(1-z)|)): truncation ~1e-12, rounding of the
 * quadrature (~1e-11) over the step ~1e-8 relative, as the Hessian needs
 * for Newton steps and standard errors (the estimates come from the
 * gradient).  (A step in z would have to stay below 1 - z, too small
 * where S hardly varies with z to rise above the quadrature's rounding.)
 */
#include <math.h>
#include <stddef.h>

#include "hyp2f1.h"

static void set_nan(double out[10])
{
    for (int i = 0; i < 10; i++) out[i] = NAN;
}

/* The coefficients of term n + 1 (they depend on e and c only): from the
 * caller's table when it holds them, else computed (and kept when there is
 * room).  *st carries A_n, C_n, D_n, E_n in and A_{n+1}, ... out. */
static double coef_step(occam_h2_coef *tab, long n, double e, double c, double st[4])
{
    if (tab != NULL && n < tab->n) {
        const double *v = tab->v[n];
        st[0] = v[1], st[1] = v[2], st[2] = v[3], st[3] = v[4];
        return v[0];
    }
    double dn = (double)n, ie = 1.0 / (e + dn), ic = 1.0 / (c + dn), ratio = (e + dn) * ic;
    st[2] += 2.0 * ie * st[0];
    st[3] += 2.0 * ic * (st[1] + ic);
    st[0] += ie;
    st[1] += ic;
    if (tab != NULL && n == tab->n && n < OCCAM_H2_COEF) {
        double *v = tab->v[n];
        v[0] = ratio, v[1] = st[0], v[2] = st[1], v[3] = st[2], v[4] = st[3];
        tab->n++;
    }
    return ratio;
}

int occam__h2f1_1ec_series_d2(double e, double c, double z, int level, occam_h2_coef *tab, double out[10])
{
    if (!(e > 0) || !(c > e) || !(z >= 0) || !(z < 1)) {
        set_nan(out);
        return -1;
    }
    if (tab != NULL && (tab->n == 0 || tab->e != e || tab->c != c)) {
        tab->e = e;
        tab->c = c;
        tab->n = 0;
    }
    const int two = level >= 2;
    /* tails below 1e-17 of their sums, 1e-16 for the second derivatives */
    const double nmin = (two ? 4.0 : 2.0) / (1.0 - z), k = 2.0 / (1.0 - z) / 1e-17, k2 = 0.1 * k;
    double t = 1.0, uprev = 0.0; /* T_n and T_n / z (n >= 1) */
    double st[4] = {0, 0, 0, 0};  /* A_n, C_n, D_n = A_n^2 - A2_n, E_n = C_n^2 + C2_n */
    double S = 1.0, Se = 0, Sc = 0, Sz = 0, See = 0, Sec = 0, Scc = 0, Sez = 0, Scz = 0, Szz = 0;
    for (long n = 0; n < 200000; n++) {
        double dn = (double)n, m = dn + 1.0;
        double ratio = coef_step(tab, n, e, c, st);
        double u = t * ratio; /* T_{n+1} / z */
        t = u * z;
        double te = t * st[0], tc = t * st[1], tz = m * u;
        S += t;
        Se += te;
        Sc -= tc;
        Sz += tz;
        int done;
        if (two) {
            double tzz = m * dn * uprev * ratio; /* (n+1) n T_{n+1} / z^2 */
            double tee = t * st[2], tcc = t * st[3], tec = te * st[1], tez = tz * st[0], tcz = tz * st[1];
            See += tee;
            Scc += tcc;
            Sec -= tec;
            Sez += tez;
            Scz -= tcz;
            Szz += tzz;
            done = t == 0.0 && n >= 1; /* z = 0: S_zz needs the term n = 2 */
            if (!done && m >= nmin && (n & 1)) /* tested every other term: at most one more term */
                done = t * k <= S && te * k <= Se && tc * k <= -Sc && tz * k <= Sz && tee * k2 <= See &&
                       tcc * k2 <= Scc && tec * k2 <= -Sec && tez * k2 <= Sez && tcz * k2 <= -Scz && tzz * k2 <= Szz;
        } else {
            done = t == 0.0 || (m >= nmin && t * k <= S && te * k <= Se && tc * k <= -Sc && tz * k <= Sz);
        }
        uprev = u;
        if (done) {
            double v[10] = {S, Se, Sc, Sz, See, Sec, Scc, Sez, Scz, Szz};
            for (int i = 0; i < (two ? 10 : 4); i++) out[i] = v[i];
            return 0;
        }
    }
    set_nan(out);
    return -1;
}

/* d/dv of the quadrature's first derivatives along v = e (dir 0) or c (1)
 * by the five-point central difference (error O(h^4)): d[1..3] get
 * d(S_e, S_c, S_z)/dv; 0 or -1. */
static int quad_diff(double e, double c, double zc, int dir, double h, double d[4])
{
    static const double wt[4] = {1.0, -8.0, 8.0, -1.0}, off[4] = {-2.0, -1.0, 1.0, 2.0};
    for (int i = 1; i < 4; i++) d[i] = 0.0;
    for (int k = 0; k < 4; k++) {
        double f[4];
        double ek = dir == 0 ? e + off[k] * h : e, ck = dir == 1 ? c + off[k] * h : c;
        if (occam__h2f1_1ec_quad(ek, ck, zc, f) != 0) return -1;
        for (int i = 1; i < 4; i++) d[i] += wt[k] * f[i];
    }
    for (int i = 1; i < 4; i++) d[i] /= 12.0 * h;
    return 0;
}

/* Second derivatives in the quadrature branch (see the header). */
static int quad_d2(double e, double c, double zc, double out[10])
{
    double f[5], de[4], dc[4];
    if (occam__h2f1_1ec_quad5(e, c, zc, f) != 0) return -1;
    /* S varies with e and c on the scale of the distance to the domain's
     * edge and, through zc^(e - c + 1), on a scale 1/|log zc| */
    double lz = 1.0 / (1.0 + fabs(log(zc)));
    double he = 1e-3 * fmin(fmin(e, c - e), lz), hc = 1e-3 * fmin(fmin(c - e, c - 1.0), lz);
    if (quad_diff(e, c, zc, 0, he, de) != 0 || quad_diff(e, c, zc, 1, hc, dc) != 0) return -1;
    /* the cross terms with z from the steps in e and c (see the header) */
    double v[10] = {f[0], f[1], f[2], f[3], de[1], 0.5 * (de[2] + dc[1]), dc[2], de[3], dc[3], f[4]};
    for (int i = 0; i < 10; i++) out[i] = v[i];
    return 0;
}

int occam__h2f1_1ec_d2(double e, double c, double z, double zc, int level, occam_h2_coef *tab, double out[10])
{
    if (!(e > 0) || !(c > e) || !(c > 1) || !(z >= 0) || !(z < 1) || !(zc > 0)) {
        set_nan(out);
        return -1;
    }
    if (z <= OCCAM_H2F1_SERIES_ZMAX) return occam__h2f1_1ec_series_d2(e, c, z, level, tab, out);
    if (level < 2) return occam__h2f1_1ec_quad(e, c, zc, out);
    if (quad_d2(e, c, zc, out) != 0) {
        set_nan(out);
        return -1;
    }
    return 0;
}
