/*
 * lsq_refine.c -- accurate residuals of a least-squares solution, and one
 * step of iterative refinement of the solution.
 *
 * Residuals u = z - X b are differences of nearly equal numbers wherever the
 * fit is good: computed as plain dot products they carry an error of
 * eps * sum_j |x_ij b_j|, which for NIST's Longley data is 1e-13 of the
 * residual sum of squares.  Here each u_i is summed with error-free
 * transformations (TwoProduct, TwoSum) as in Ogita, Rump and Oishi,
 * "Accurate sum and dot product", SIAM J. Sci. Comput. 26 (2005),
 * algorithm Dot2: as accurate as if computed in twice the working
 * precision, and kept as an unevaluated sum hi + lo (eft.h).
 *
 * Refinement (Bjorck, "Numerical methods for least squares problems", SIAM
 * 1996, sections 2.9 and 6.6): with R the triangular factor of the kept
 * columns (R'R = X'WX) and the gradient g = X'W u, also summed by Dot2,
 *   d = (R'R)^-1 g,   b <- b + d,   u <- u - X d.
 * Because g is accurate even where the residuals are large, the step
 * divides the rounding error of the QR solution by about 1 / (eps cond(X))
 * (cond of the column-scaled factor, LAPACK dtrcon); it is made only when
 * eps cond(X) <= REFINE_MAX_EPS_COND, where it cannot diverge.  On the NIST
 * StRD problems the refined solution is the exact least-squares solution of
 * the data as doubles to the digits shown (Wampler2 13.2, Longley 14.6,
 * Filip 7.9 correct digits against the certified values: the limits set by
 * rounding the data to doubles).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eft.h"
#include "internal.h"

enum { ROWS_PER_PASS = 512, LANES = 4 };
#define REFINE_MAX_EPS_COND 1e-3

void occam__lsq_residuals(const occam_matrix *X, int intercept, const double *b, const double *z, double *u,
                          double *ulo)
{
    double s[ROWS_PER_PASS], c[ROWS_PER_PASS];
    for (int64_t i0 = 0; i0 < X->n; i0 += ROWS_PER_PASS) {
        int64_t nb = X->n - i0 < ROWS_PER_PASS ? X->n - i0 : ROWS_PER_PASS;
        for (int64_t i = 0; i < nb; i++) {
            s[i] = z[i0 + i];
            c[i] = 0.0;
            if (intercept) occam__dot2_add(-1.0, b[0], &s[i], &c[i]);
        }
        if (X->layout == OCCAM_COL_MAJOR) {
            for (int64_t j = 0; j < X->p; j++) {
                double bj = -b[j + intercept];
                if (bj == 0.0) continue; /* aliased, or an exact 0: no term */
                const double *col = X->data + i0 + j * X->ld;
                for (int64_t i = 0; i < nb; i++) occam__dot2_add(col[i], bj, &s[i], &c[i]);
            }
        } else {
            for (int64_t i = 0; i < nb; i++) {
                const double *row = X->data + (i0 + i) * X->ld;
                for (int64_t j = 0; j < X->p; j++) occam__dot2_add(row[j], -b[j + intercept], &s[i], &c[i]);
            }
        }
        for (int64_t i = 0; i < nb; i++) {
            if (ulo)
                occam__two_sum(s[i], c[i], &u[i0 + i], &ulo[i0 + i]);
            else
                u[i0 + i] = s[i] + c[i];
        }
    }
}

/* sum_i a_i (th_i + tl_i), Dot2 in LANES independent chains. */
static double dot2_column(const double *a, const double *th, const double *tl, int64_t n)
{
    double s[LANES] = {0}, c[LANES] = {0};
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (int l = 0; l < LANES; l++) {
            occam__dot2_add(a[i + l], th[i + l], &s[l], &c[l]);
            c[l] += a[i + l] * tl[i + l];
        }
    for (; i < n; i++) {
        occam__dot2_add(a[i], th[i], &s[0], &c[0]);
        c[0] += a[i] * tl[i];
    }
    double tot = s[0], err = c[0], q;
    for (int l = 1; l < LANES; l++) {
        occam__two_sum(tot, s[l], &tot, &q);
        err += q + c[l];
    }
    return tot + err;
}

/* g (k entries, the intercept's first) = X' W (u + ulo), by Dot2: the
 * weighted residuals t_i = w_i (u_i + ulo_i) are split exactly into
 * th + tl first. */
static void gradient(const occam_matrix *X, int intercept, const double *w, const double *u, const double *ulo,
                     double *th, double *tl, double *g, double *gc)
{
    int64_t n = X->n, k = X->p + intercept;
    for (int64_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        th[i] = wi * u[i];
        tl[i] = occam__two_prod_err(wi, u[i], th[i]) + wi * ulo[i];
    }
    for (int64_t j = 0; j < k; j++) g[j] = gc[j] = 0.0;
    if (intercept) {
        double q;
        for (int64_t i = 0; i < n; i++) {
            occam__two_sum(g[0], th[i], &g[0], &q);
            gc[0] += q + tl[i];
        }
    }
    if (X->layout == OCCAM_COL_MAJOR) {
        for (int64_t j = 0; j < X->p; j++) g[j + intercept] = dot2_column(X->data + j * X->ld, th, tl, n);
    } else {
        for (int64_t i = 0; i < n; i++) {
            const double *row = X->data + i * X->ld;
            for (int64_t j = 0; j < X->p; j++) {
                occam__dot2_add(row[j], th[i], &g[j + intercept], &gc[j + intercept]);
                gc[j + intercept] += row[j] * tl[i];
            }
        }
    }
    for (int64_t j = 0; j < k; j++) g[j] += gc[j];
}

/* Reciprocal condition number (1-norm estimate) of R with its columns
 * scaled to unit norm, the condition that governs a QR solution's error. */
static int scaled_rcond(const occam_lsq_result *res, double *rcond)
{
    int64_t r = res->rank;
    double *S = malloc((size_t)(r * r) * sizeof(double));
    if (S == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory in the least-squares refinement");
    for (int64_t j = 0; j < r; j++) {
        double m = 0.0;
        for (int64_t i = 0; i <= j; i++) m = fmax(m, fabs(res->R[i + j * r]));
        for (int64_t i = 0; i < r; i++) S[i + j * r] = m > 0 ? res->R[i + j * r] / m : res->R[i + j * r];
    }
    int rc = occam__la_trcon_upper(r, S, r, rcond);
    free(S);
    return rc;
}

/* The refinement step with the residuals u, ulo of res->coef. */
static int refine_step(const occam_matrix *X, int intercept, const double *w, occam_lsq_result *res, double *u,
                       double *ulo, double *th, double *tl, double *g)
{
    int64_t n = X->n, k = res->k, r = res->rank;
    double *gc = g + k, *d = g + 2 * k;
    gradient(X, intercept, w, u, ulo, th, tl, g, gc);
    for (int64_t j = 0, a = 0; j < k; j++)
        if (!res->aliased[j]) d[a++] = g[j];
    int rc = occam__la_trsv_upper_trans(r, res->R, r, d);
    if (rc == OCCAM_OK) rc = occam__la_trsv_upper(r, res->R, r, d);
    if (rc != OCCAM_OK) return rc;
    for (int64_t j = k - 1, a = r - 1; j >= 0; j--) /* spread d over all k coefficients (in place) */
        g[j] = res->aliased[j] ? 0.0 : d[a--];
    for (int64_t j = 0; j < k; j++)
        if (!isfinite(res->coef[j] + g[j])) return OCCAM_OK; /* keep the QR solution */
    const int64_t nb = 4096;
    for (int64_t i0 = 0; i0 < n && rc == OCCAM_OK; i0 += nb) /* th = X d */
        rc = occam__linear_predictor(X, intercept, g, NULL, i0, n - i0 < nb ? n - i0 : nb, th + i0);
    if (rc != OCCAM_OK) return rc;
    for (int64_t j = 0; j < k; j++) res->coef[j] += g[j];
    for (int64_t i = 0; i < n; i++) u[i] = (u[i] - th[i]) + ulo[i];
    return OCCAM_OK;
}

int occam__lsq_refine(const occam_matrix *X, int intercept, const double *w, const double *z, occam_lsq_result *res,
                      double *u)
{
    int64_t n = X->n, k = res->k;
    double rcond = 0.0;
    int rc = res->rank > 0 ? scaled_rcond(res, &rcond) : OCCAM_OK;
    if (rc != OCCAM_OK) return rc;
    if (!(rcond >= DBL_EPSILON / REFINE_MAX_EPS_COND)) {
        occam__lsq_residuals(X, intercept, res->coef, z, u, NULL);
        return OCCAM_OK;
    }
    size_t nn = (size_t)(n > 0 ? n : 1);
    double *ulo = malloc(nn * sizeof(double)), *th = malloc(nn * sizeof(double)), *tl = malloc(nn * sizeof(double));
    double *g = malloc(3 * (size_t)(k > 0 ? k : 1) * sizeof(double));
    if (!ulo || !th || !tl || !g) {
        rc = occam__fail(OCCAM_E_NOMEM, "out of memory in the least-squares refinement (n = %lld)", (long long)n);
    } else {
        occam__lsq_residuals(X, intercept, res->coef, z, u, ulo);
        rc = refine_step(X, intercept, w, res, u, ulo, th, tl, g);
    }
    free(ulo);
    free(th);
    free(tl);
    free(g);
    return rc;
}
