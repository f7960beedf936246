/*
 * eft.h -- error-free transformations of floating-point arithmetic, the
 * building blocks of accurate sums and dot products (Ogita, Rump and Oishi,
 * "Accurate sum and dot product", SIAM J. Sci. Comput. 26, 2005):
 * TwoSum (Knuth) and TwoProduct (an fma where the target has a fast one,
 * else Dekker 1971 with Veltkamp's splitting, so no library call sits in a
 * loop).  Used by lsq_refine.c and linear_summary.c.  Needs IEEE double
 * arithmetic without value-changing optimizations (no -ffast-math).
 */
#ifndef OCCAM_EFT_H
#define OCCAM_EFT_H

#include <float.h>
#include <math.h>

/* a + b = *s + *e exactly. */
static inline void occam__two_sum(double a, double b, double *s, double *e)
{
    double t = a + b, bb = t - a;
    *e = (a - (t - bb)) + (b - bb);
    *s = t;
}

/* The error a * b - p of the rounded product p = a * b (exactly; 0 where
 * |a| or |b| > 2^995 would overflow the splitting, or the product does). */
static inline double occam__two_prod_err(double a, double b, double p)
{
#if defined(FP_FAST_FMA)
    return fma(a, b, -p);
#else
    const double split = 134217729.0; /* 2^27 + 1 */
    double ca = split * a, ah = ca - (ca - a), al = a - ah;
    double cb = split * b, bh = cb - (cb - b), bl = b - bh;
    double e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    return fabs(e) <= DBL_MAX ? e : 0.0;
#endif
}

/* Add a * b to the compensated sum (s, c): Dot2's step. */
static inline void occam__dot2_add(double a, double b, double *s, double *c)
{
    double p = a * b, e = occam__two_prod_err(a, b, p), q;
    occam__two_sum(*s, p, s, &q);
    *c += q + e;
}

#endif /* OCCAM_EFT_H */
