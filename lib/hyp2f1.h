/*
 * hyp2f1.h -- the Gauss hypergeometric terms of the Pareto/NBD model, and
 * the adaptive Gauss-Kronrod quadrature they fall back on.  Private.
 *
 * Every 2F1 of the Pareto/NBD likelihood (Fader & Hardie, "A Note on Deriving
 * the Pareto/NBD Model and Related Expressions", 2005, eq. 22) has the form
 * 2F1(a, b; a + 1; z) with a = r + s + x.  Euler's transformation
 * (Abramowitz & Stegun 15.3.3) turns it into
 *
 *     2F1(a, b; a + 1; z) = (1 - z)^(1 - b) 2F1(1, a + 1 - b; a + 1; z),
 *
 * and the right-hand 2F1(1, e; c; z), c > e > 0, is what this file computes:
 *
 *     S(e, c, z) = sum_n (e)_n / (c)_n z^n,    0 <= z < 1,
 *
 * a series of positive terms whose ratio (e + n)/(c + n) z stays below z, so
 * it never cancels and never overflows.  S is bounded by 1 <= S <= (c-1)/(c-1-e)
 * when c - 1 > e, and grows at most like (1 - z)^(c - 1 - e) otherwise.
 *
 * Method (docs/pnbd.md):
 *  - z <= OCCAM_H2F1_SERIES_ZMAX: the series above, summed with its
 *    derivatives term by term (dS/de, dS/dc from running sums of 1/(e+j) and
 *    1/(c+j); dS/dz from n T_n / z), until every remaining tail is below
 *    1e-17 of its sum;
 *  - z closer to 1, where the series needs ~37/(1-z) terms: quadrature of
 *    Euler's integral written with kappa = 1 - z,
 *        S = (c - 1) Int_0^inf (1 + kappa t)^-e (1 + t)^-(c - e) dt,
 *    in y = log(1 + t) (a log-concave integrand), adaptive Gauss-Kronrod
 *    (7/15 points) on [0, y_c] and the exact exponential tail beyond y_c,
 *    where the integrand is a pure exponential to 1e-17.  Its derivatives
 *    are integrals of the same integrand times log(1 + kappa t), log(1 + t)
 *    and t / (1 + kappa t), computed on the same nodes.
 * Both are accurate to a few units in 1e-15 relative (tests/check_hyp2f1.c
 * compares them with 50-digit mpmath values and with each other).
 */
#ifndef OCCAM_HYP2F1_H
#define OCCAM_HYP2F1_H

/* Largest z summed by the series; above it the quadrature is used. */
#define OCCAM_H2F1_SERIES_ZMAX 0.95

/* S(e, c, z) = 2F1(1, e; c; z) and its partial derivatives.
 * out[0] = S, out[1] = dS/de (c fixed), out[2] = dS/dc (e fixed),
 * out[3] = dS/dz.  Requires c > e > 0, c > 1, 0 <= z < 1 and zc = 1 - z
 * (pass the complement separately: the caller can usually compute it
 * without cancellation, and it matters when z is close to 1).
 * Returns 0, or -1 for arguments outside that domain (out set to NaN). */
int occam__h2f1_1ec(double e, double c, double z, double zc, double out[4]);

/* The two methods, for tests: the series (any z < 1, but slow near 1;
 * returns -1 if 200000 terms do not converge) and the quadrature. */
int occam__h2f1_1ec_series(double e, double c, double z, double out[4]);
int occam__h2f1_1ec_quad(double e, double c, double zc, double out[4]);
/* The quadrature with out[4] = d2S/dz2 (the integral of E^2 w, hyp2f1.c). */
int occam__h2f1_1ec_quad5(double e, double c, double zc, double out[5]);

/* The coefficients of the series' first OCCAM_H2_COEF terms for one (e, c):
 * (e+n)/(c+n) and the running sums A, C, D, E of hyp2f1_d2.c, which depend
 * only on e and c, i.e. on the parameters and x: the caller keeps one table
 * across calls, and calls with the same (e, c) (rows of one x) skip the
 * divisions.  Set n = 0 before first use; a call with another (e, c) resets
 * it. */
enum { OCCAM_H2_COEF = 128 };
typedef struct occam_h2_coef {
    double e, c;
    int n; /* terms filled */
    double v[OCCAM_H2_COEF][5];
} occam_h2_coef;

/* S and its derivatives (hyp2f1_d2.c) at level 1: out[0..3] as
 * occam__h2f1_1ec; level 2: and the second derivatives out[4] = d2S/de2,
 * out[5] = d2S/de dc, out[6] = d2S/dc2, out[7] = d2S/de dz,
 * out[8] = d2S/dc dz, out[9] = d2S/dz2.  Same domain and returns as
 * occam__h2f1_1ec; tab may be NULL.  The series (z <= OCCAM_H2F1_SERIES_ZMAX)
 * sums every output term by term to a few units in 1e-15 relative; above
 * it the first derivatives are occam__h2f1_1ec_quad's and the second ones
 * central differences of them (~1e-8 relative). */
int occam__h2f1_1ec_d2(double e, double c, double z, double zc, int level, occam_h2_coef *tab, double out[10]);
int occam__h2f1_1ec_series_d2(double e, double c, double z, int level, occam_h2_coef *tab, double out[10]);

/* ------------------------------------------------------------ quadrature */

/* A vector integrand: writes ncomp values f_k(y) into vals. */
typedef void (*occam_qfun)(double y, void *ctx, double *vals);

enum { OCCAM_QUAD_MAXCOMP = 5, OCCAM_QUAD_MAXINT = 256 };

/* Integrate ncomp (<= OCCAM_QUAD_MAXCOMP) components of f over
 * [breaks[0], breaks[nbreaks-1]] (increasing breakpoints, 2 <= nbreaks <= 64)
 * by adaptive 7/15-point Gauss-Kronrod: the subinterval with the largest
 * |K15 - G7| is bisected until the sum of |K15 - G7| is below rtol times
 * |integral| for every component.  Returns 0, or 1 when OCCAM_QUAD_MAXINT
 * subintervals did not reach rtol (res holds the best estimate), or -1 for
 * bad arguments.  No allocation; thread-safe. */
int occam__quad_gk(occam_qfun f, void *ctx, int ncomp, const double *breaks, int nbreaks, double rtol,
                   double *res);

#endif /* OCCAM_HYP2F1_H */
