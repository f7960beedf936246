/*
 * lsq_refine_cov.c -- one Newton step for the unscaled covariance
 * C = (X'WX)^-1 of a least-squares fit.
 *
 * The QR solve gives C0 = (R'R)^-1 from the triangular factor R, whose
 * backward error is at the rounding level but depends on the BLAS kernel:
 * on NIST's Wampler4 the intercept's sqrt(C0_00) is 1.2e-14 off with
 * OpenBLAS's SkylakeX kernels, 3.2e-14 with Haswell's, 8e-14 with
 * Prescott's, and even the correctly rounded exact Cholesky factor gives
 * 7.8e-15.  With A = X'WX summed accurately (the Dot2 chains of
 * lsq_refine.c, kept as unevaluated sums hi + lo), the Newton (Schulz)
 * step
 *   E = I - A C0,   C1 = C0 + C0 E
 * leaves the error C1 - A^-1 = -A^-1 E^2, the square of C0's (-A^-1 E).
 * E is a difference of nearly equal numbers and needs more than long
 * double: with both products summed by Dot2 (as if in twice the working
 * precision) C1 is A^-1 to about its rounding, on every kernel.  Measured
 * on the NIST standard errors: long double products leave Wampler4 at LRE
 * 14.0 and bring Longley down from 15 to 11.3; Dot2 with A rounded to
 * doubles brings Longley to 10.2 (the low parts of A count).
 *
 * The step is made only when it contracts: with D = diag(A)^1/2, the
 * residual of the column-scaled system, D^-1 E D, must have inf-norm at
 * most 1/2, so that the scaled error of C1 (err0 E) is at most half C0's.
 * NIST's Filip (9900: eps cond(X)^2 >> 1) keeps C0; Longley 8e-9,
 * Wampler4 1e-10.
 */
#include <math.h>
#include <stdlib.h>

#include "eft.h"
#include "internal.h"

#define COV_MAX_SCALED_RESIDUAL 0.5

/* The kept rows and columns of A (packed upper by columns, k x k) into
 * the r x r column-major Ak. */
static void kept_block(int64_t r, const double *A, const int64_t *kept, double *Ak)
{
    for (int64_t b = 0; b < r; b++)
        for (int64_t a = 0; a < r; a++) {
            int64_t i = kept[a < b ? a : b], j = kept[a < b ? b : a];
            Ak[a + b * r] = A[i + j * (j + 1) / 2];
        }
}

/* E = I - (Ak + Al) C0 by Dot2 (on Longley, E from Ak alone is 7e-6 off,
 * its largest entry 2e-3); 1 when E is finite and its column-scaled
 * inf-norm is at most COV_MAX_SCALED_RESIDUAL. */
static int residual(int64_t r, const double *Ak, const double *Al, const double *C0, double *E)
{
    for (int64_t j = 0; j < r; j++)
        for (int64_t i = 0; i < r; i++) {
            double s = i == j ? 1.0 : 0.0, c = 0.0;
            for (int64_t m = 0; m < r; m++) {
                occam__dot2_add(-Ak[i + m * r], C0[m + j * r], &s, &c);
                occam__dot2_add(-Al[i + m * r], C0[m + j * r], &s, &c);
            }
            E[i + j * r] = s + c;
        }
    for (int64_t i = 0; i < r; i++) {
        double di = sqrt(Ak[i + i * r]), row = 0.0;
        if (!(di > 0.0) || !isfinite(di)) return 0;
        for (int64_t j = 0; j < r; j++) row += fabs(E[i + j * r]) * (sqrt(Ak[j + j * r]) / di);
        if (!(row <= COV_MAX_SCALED_RESIDUAL)) return 0; /* NaN too */
    }
    return 1;
}

int occam__lsq_refine_cov(occam_lsq_result *res, const double *A, const double *Alo, int *refined)
{
    int64_t k = res->k, r = res->rank;
    *refined = 0;
    if (r == 0) return OCCAM_OK;
    size_t rr = (size_t)(r * r);
    double *Ak = malloc(4 * rr * sizeof(double));
    int64_t *kept = malloc((size_t)r * sizeof(int64_t));
    if (Ak == NULL || kept == NULL) {
        free(Ak);
        free(kept);
        return occam__fail(OCCAM_E_NOMEM, "out of memory in the covariance refinement");
    }
    double *Al = Ak + rr, *E = Al + rr, *C1 = E + rr;
    const double *C0 = res->cov_unscaled;
    for (int64_t j = 0, a = 0; j < k; j++)
        if (!res->aliased[j]) kept[a++] = j;
    kept_block(r, A, kept, Ak);
    kept_block(r, Alo, kept, Al);
    int ok = residual(r, Ak, Al, C0, E);
    for (int64_t j = 0; ok && j < r; j++) /* C1 = C0 + C0 E, symmetric: its upper triangle */
        for (int64_t i = 0; i <= j; i++) {
            double s = C0[i + j * r], c = 0.0;
            for (int64_t m = 0; m < r; m++) occam__dot2_add(C0[i + m * r], E[m + j * r], &s, &c);
            C1[i + j * r] = C1[j + i * r] = s + c;
            if (!isfinite(C1[i + j * r]) || (i == j && !(C1[i + j * r] > 0.0))) ok = 0;
        }
    if (ok) {
        for (size_t e = 0; e < rr; e++) res->cov_unscaled[e] = C1[e];
        *refined = 1;
    }
    free(Ak);
    free(kept);
    return OCCAM_OK;
}
