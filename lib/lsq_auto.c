/*
 * lsq_auto.c -- OCCAM_SOLVER_AUTO's test of a Cholesky solve: may the
 * solution of the normal equations stand for R's pivoted QR?
 *
 * Yes when the Gram matrix X'WX is well conditioned after column scaling
 * (Cholesky is invariant to it, van der Sluis), so the normal equations
 * lose few digits, and no column is near the aliasing threshold, so R's
 * dqrdc2 keeps every column too:
 *   - no column aliased (full rank);
 *   - every column's ratio R_jj / ||x_j|| -- the norm of x_j's part not in
 *     the span of the columns before it, over its norm: the quantity dqrdc2
 *     compares with the rank tolerance -- at least
 *     max(AUTO_MIN_RATIO, AUTO_TOL_FACTOR * tol);
 *   - the reciprocal 1-norm condition number of the scaled factor
 *     R diag(||x_j||)^-1, estimated by LAPACK dtrcon (O(k^2)), at least
 *     AUTO_MIN_RCOND: cond(X D^-1) <= ~1e3, so the normal equations'
 *     relative error eps cond^2 stays near 1e-10.
 * A system held as rows (at most k + 1 of them) was solved by QR of those
 * rows: nothing to test.  The test reads only the solved system, so its
 * answer depends on the merged system alone, not on how rows were split.
 */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

#define AUTO_MIN_RATIO 1e-3
#define AUTO_TOL_FACTOR 1e4
#define AUTO_MIN_RCOND 1e-3

int occam__lsq_auto_ok(const occam_lsq *acc, const occam_lsq_result *res, double tol, int *ok)
{
    *ok = 0;
    occam_lsq_view v;
    occam__lsq_view(acc, &v);
    if (v.form != OCCAM_LSQ_GRAM) {
        *ok = 1;
        return OCCAM_OK;
    }
    int64_t k = v.k, k1 = k + 1;
    if (res->rank != k) return OCCAM_OK;
    if (k == 0) {
        *ok = 1;
        return OCCAM_OK;
    }
    double min_ratio = fmax(AUTO_MIN_RATIO, AUTO_TOL_FACTOR * tol);
    double *rs = malloc((size_t)(k * k) * sizeof(double));
    if (rs == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory in the automatic solver choice (k = %lld)",
                                       (long long)k);
    int fine = 1;
    for (int64_t j = 0; j < k; j++) {
        double norm = sqrt(v.a[j + j * k1]);
        if (!(norm > 0) || !isfinite(norm)) fine = 0;
        for (int64_t i = 0; i < k; i++) rs[i + j * k] = fine ? res->R[i + j * k] / norm : 0.0;
        if (fine && !(fabs(rs[j + j * k]) >= min_ratio)) fine = 0;
    }
    double rcond = 0.0;
    int rc = fine ? occam__la_trcon_upper(k, rs, k, &rcond) : OCCAM_OK;
    free(rs);
    if (rc != OCCAM_OK) return rc;
    *ok = fine && rcond >= AUTO_MIN_RCOND;
    return OCCAM_OK;
}
