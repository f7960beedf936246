/*
 * tricomi_u.h -- Tricomi's confluent hypergeometric function U(s, s, z),
 * the special function of the Pareto/NBD DERT.  Private.
 *
 * Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for
 * Customer Base Analysis", JMR 42(4), appendix: with B = beta + T and a
 * continuous discount rate delta,
 *
 *     Int_0^inf e^{-delta u} (B / (B + u))^s du = B^s delta^(s-1) U(s, s; delta B)
 *                                              = B g(s, delta B),
 *
 *     g(s, z) = Int_0^inf e^{-z t} (1 + t)^-s dt = z^(s-1) U(s, s, z)
 *             = U(1, 2 - s, z) = e^z z^(s-1) Gamma(1 - s, z)
 *
 * (Kummer's transformation U(a, b, z) = z^(1-b) U(1+a-b, 2-b, z), DLMF
 * 13.2.40; the integral is DLMF 13.4.4 with a = 1).  g is the scaled form:
 * it never overflows where U(s, s, z) does (z^(1-s) large), and it has no
 * Gamma(1 - s) pole at s = 1, 2, ... and no cancellation near them, which
 * is where formulas through Gamma(1 - s) fail (BTYD's pnbd.DERT is NaN for
 * beta >= 1e4, CLVTools #163/#171).
 *
 * Method (any real s, z > 0):
 *  - z >= 1: the continued fraction of the incomplete gamma function
 *    (DLMF 8.9.2), which for g reads
 *        g = 1 / (z + s - 1 s / (z + s + 2 - 2 (s + 1) / (z + s + 4 - ...))),
 *    evaluated by the modified Lentz method to 1e-16; it converges fast for
 *    z >= 1 whatever s is, and needs no exponentials (large z: g ~ 1/z);
 *  - z < 1 (or a continued fraction that did not converge): the integral
 *    in v = log(1 + t),  g = Int_0^inf exp(h(v)) dv,  h(v) = (1 - s) v - z expm1(v),
 *    a concave h, by adaptive Gauss-Kronrod (7/15 points, 1e-14 relative)
 *    on [0, v_c], where h(v_c) is 60 below its maximum (the tail beyond is
 *    below e^-60 of the integral: h falls at least linearly past v_c).
 *    The result is returned as a logarithm (z^(s-1) Gamma(1-s) overflows
 *    for tiny z).
 * tests/check_tricomi_u.c compares both branches with 50-digit mpmath
 * values (tests/data/clv/make_tricomi_u.py).
 */
#ifndef OCCAM_TRICOMI_U_H
#define OCCAM_TRICOMI_U_H

/* log g(s, z) = log(z^(s-1) U(s, s, z)) for finite s and z > 0; NaN
 * otherwise or when neither method converged. */
double occam__tricomi_log_g(double s, double z);

/* log U(s, s, z) = log g(s, z) + (1 - s) log z. */
double occam__tricomi_log_u_ss(double s, double z);

/* The two branches, for tests: the continued fraction (NaN when it does
 * not converge in 20000 terms) and the quadrature. */
double occam__tricomi_log_g_cf(double s, double z);
double occam__tricomi_log_g_quad(double s, double z);

/* A table of log g(s, z) for one s, for many z (one DERT per customer):
 * for z < 1, where the quadrature (7-14 us) would run, g is interpolated
 * on cells of z fixed in advance, [e^(k/32), e^((k+1)/32)), each made on
 * first use from 9 quadrature values at its Chebyshev points (barycentric
 * formula, Berrut & Trefethen 2004).  g is analytic but for its branch
 * point at z = 0, at least 64 half-widths from any cell, so the degree-8
 * interpolant is exact to ~1e-17 (Trefethen, ATAP ch. 8: error ~ rho^-8,
 * rho ~ 128); every cell is also checked at one point between nodes and,
 * if it differs from the quadrature by more than 1e-14 in log g, it
 * evaluates g directly.  The cells are the same for every table, so a
 * value depends on (s, z) only, never on the other z of a call.  z >= 1:
 * occam__tricomi_log_g itself.  Not thread-safe (one table per call);
 * memory: 96 bytes per cell used (a few hundred cells at most per decade
 * of z).  If memory runs out the table evaluates directly. */
typedef struct occam__tricomi_table occam__tricomi_table;
occam__tricomi_table *occam__tricomi_table_new(double s); /* NULL: out of memory */
double occam__tricomi_table_log_g(occam__tricomi_table *t, double z);
void occam__tricomi_table_free(occam__tricomi_table *t);
/* For tests: the cells made so far and how many of them evaluate directly. */
void occam__tricomi_table_counts(const occam__tricomi_table *t, size_t *cells, size_t *direct);

#endif /* OCCAM_TRICOMI_U_H */
