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
 * columns (R'R = X'WX) and the gradient g = X'W u, also summed by Dot2
 * (in OCCAM__GRAD_LANES chains, row i in chain i mod lanes, so a gradient
 * summed over chunks of rows has the bits of one sum over all rows),
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

enum { ROWS_PER_PASS = 512 };
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

/* ------------------------------------------------------------ the gradient */

int occam__lsq_grad_init(occam_lsq_grad *g, int64_t k)
{
    size_t n = (size_t)(k > 0 ? k : 1) * OCCAM__GRAD_LANES;
    g->k = k;
    g->s = calloc(n, sizeof(double));
    g->c = calloc(n, sizeof(double));
    if (g->s == NULL || g->c == NULL) {
        occam__lsq_grad_free(g);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for the least-squares refinement");
    }
    return OCCAM_OK;
}

void occam__lsq_grad_free(occam_lsq_grad *g)
{
    free(g->s);
    free(g->c);
    g->s = g->c = NULL;
}

void occam__lsq_grad_add(occam_lsq_grad *g, const occam_matrix *X, int intercept, const double *w, const double *u,
                         const double *ulo, int64_t row0, double *th, double *tl)
{
    int64_t n = X->n;
    const int L = OCCAM__GRAD_LANES;
    /* t = w (u + ulo) split exactly into th + tl (two loops: no test per row) */
    if (ulo) {
        for (int64_t i = 0; i < n; i++) {
            double wi = w ? w[i] : 1.0;
            th[i] = wi * u[i];
            tl[i] = occam__two_prod_err(wi, u[i], th[i]) + wi * ulo[i];
        }
    } else {
        for (int64_t i = 0; i < n; i++) {
            double wi = w ? w[i] : 1.0;
            th[i] = wi * u[i];
            tl[i] = occam__two_prod_err(wi, u[i], th[i]);
        }
    }
    if (intercept)
        for (int64_t i = 0; i < n; i++) {
            int l = (int)((row0 + i) % L);
            occam__dot2_add(1.0, th[i], &g->s[l], &g->c[l]);
            g->c[l] += tl[i];
        }
    double *s = g->s + intercept * L, *c = g->c + intercept * L;
    if (X->layout == OCCAM_COL_MAJOR) {
        for (int64_t j = 0; j < X->p; j++) {
            const double *col = X->data + j * X->ld;
            double *sj = s + j * L, *cj = c + j * L;
            for (int64_t i = 0; i < n; i++) {
                int l = (int)((row0 + i) % L);
                occam__dot2_add(col[i], th[i], &sj[l], &cj[l]);
                cj[l] += col[i] * tl[i];
            }
        }
    } else {
        for (int64_t i = 0; i < n; i++) {
            const double *row = X->data + i * X->ld;
            int l = (int)((row0 + i) % L);
            for (int64_t j = 0; j < X->p; j++) {
                occam__dot2_add(row[j], th[i], &s[j * L + l], &c[j * L + l]);
                c[j * L + l] += row[j] * tl[i];
            }
        }
    }
}

void occam__lsq_grad_merge(occam_lsq_grad *dst, const occam_lsq_grad *src)
{
    for (int64_t e = 0; e < dst->k * OCCAM__GRAD_LANES; e++) {
        double q;
        occam__two_sum(dst->s[e], src->s[e], &dst->s[e], &q);
        dst->c[e] += q + src->c[e];
    }
}

void occam__lsq_grad_value2(const occam_lsq_grad *g, double *hi, double *lo)
{
    const int L = OCCAM__GRAD_LANES;
    for (int64_t j = 0; j < g->k; j++) {
        const double *s = g->s + j * L, *c = g->c + j * L;
        double tot = s[0], err = c[0], q;
        for (int l = 1; l < L; l++) {
            occam__two_sum(tot, s[l], &tot, &q);
            err += q + c[l];
        }
        if (lo)
            occam__two_sum(tot, err, &hi[j], &lo[j]);
        else
            hi[j] = tot + err;
    }
}

void occam__lsq_grad_value(const occam_lsq_grad *g, double *out) { occam__lsq_grad_value2(g, out, NULL); }

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

int occam__lsq_refine_applies(const occam_lsq_result *res, int *applies)
{
    double rcond = 0.0;
    int rc = res->rank > 0 ? scaled_rcond(res, &rcond) : OCCAM_OK;
    *applies = rc == OCCAM_OK && rcond >= DBL_EPSILON / REFINE_MAX_EPS_COND;
    return rc;
}

int occam__lsq_refine_solve(occam_lsq_result *res, const double *grad, double *d)
{
    int64_t k = res->k, r = res->rank;
    double *dk = malloc((size_t)(r > 0 ? r : 1) * sizeof(double));
    if (dk == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory in the least-squares refinement");
    for (int64_t j = 0, a = 0; j < k; j++)
        if (!res->aliased[j]) dk[a++] = grad[j];
    int rc = occam__la_trsv_upper_trans(r, res->R, r, dk);
    if (rc == OCCAM_OK) rc = occam__la_trsv_upper(r, res->R, r, dk);
    for (int64_t j = 0, a = 0; rc == OCCAM_OK && j < k; j++) d[j] = res->aliased[j] ? 0.0 : dk[a++];
    free(dk);
    if (rc != OCCAM_OK) return rc;
    for (int64_t j = 0; j < k; j++)
        if (!isfinite(res->coef[j] + d[j])) { /* keep the QR solution */
            for (int64_t i = 0; i < k; i++) d[i] = 0.0;
            return OCCAM_OK;
        }
    for (int64_t j = 0; j < k; j++) res->coef[j] += d[j];
    return OCCAM_OK;
}

/* --------------------------------------------------- the in-memory composition */

int occam__lsq_refine(const occam_matrix *X, int intercept, const double *w, const double *z, occam_lsq_result *res,
                      double *u)
{
    int64_t n = X->n, k = res->k;
    int applies = 0;
    int rc = occam__lsq_refine_applies(res, &applies);
    if (rc != OCCAM_OK) return rc;
    if (!applies) {
        occam__lsq_residuals(X, intercept, res->coef, z, u, NULL);
        return OCCAM_OK;
    }
    size_t nn = (size_t)(n > 0 ? n : 1), kk = (size_t)(k > 0 ? k : 1);
    double *ulo = malloc(nn * sizeof(double)), *th = malloc(nn * sizeof(double)), *tl = malloc(nn * sizeof(double));
    double *g = malloc(2 * kk * sizeof(double));
    occam_lsq_grad grad = {0, NULL, NULL};
    if (!ulo || !th || !tl || !g || occam__lsq_grad_init(&grad, k) != OCCAM_OK) {
        rc = occam__fail(OCCAM_E_NOMEM, "out of memory in the least-squares refinement (n = %lld)", (long long)n);
    } else {
        occam__lsq_residuals(X, intercept, res->coef, z, u, ulo);
        occam__lsq_grad_add(&grad, X, intercept, w, u, ulo, 0, th, tl);
        occam__lsq_grad_value(&grad, g);
        rc = occam__lsq_refine_solve(res, g, g + k);
        const int64_t nb = 4096;
        for (int64_t i0 = 0; i0 < n && rc == OCCAM_OK; i0 += nb) /* th = X d */
            rc = occam__linear_predictor(X, intercept, g + k, NULL, i0, n - i0 < nb ? n - i0 : nb, th + i0);
        for (int64_t i = 0; rc == OCCAM_OK && i < n; i++) u[i] = (u[i] - th[i]) + ulo[i];
    }
    occam__lsq_grad_free(&grad);
    free(ulo);
    free(th);
    free(tl);
    free(g);
    return rc;
}
