/*
 * lsq_solve.c -- solving the accumulated least-squares system (lsq.c) with
 * R's limited column pivoting (LINPACK dqrdc2, used by lm.fit and glm.fit):
 * columns are taken in order, and a column whose norm, after the earlier
 * kept columns are projected out, is below tol times its original norm is
 * aliased and given no coefficient.  At most min(rows, k) columns are kept:
 * with fewer rows than columns (n < k) the columns after the first
 * min(n, k) kept ones are aliased too, as lm.fit sets coef[-(1:rank)] to NA.
 *
 * The pivoting works on what the accumulator holds: its rows (m <= k + 1 of
 * them), the triangular factor R of [sqrt(w) X | sqrt(w) z] (column norms
 * and projections are those of the full matrix), or for the Cholesky solver
 * the Gram matrix [X z]'W[X z].  Cost O(m k min(m, k)); memory O(m k) and
 * O(min(m, k)^2), never O(k^2) for a wide design.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The Schur complements of the normal equations carry rounding noise of
 * about eps * norm^2, i.e. 1.5e-8 on the norm scale: see pivot_cholesky. */
#define CHOLESKY_MIN_TOL 1e-7

/* The pivoted triangular system both solvers reduce to. */
typedef struct pivoted {
    int64_t rank;
    int64_t *kept;  /* rank: the kept columns, in increasing order */
    int *aliased;   /* k */
    double *R;      /* rank x rank upper triangle of the kept columns, leading dimension ldr */
    int64_t ldr;    /* min(rows, k) */
    double *qtz;    /* rank: Q'z on the kept columns */
    double rss;
} pivoted;

static double col_norm(const double *a, int64_t from, int64_t to)
{
    double scale = 0.0, ssq = 1.0; /* overflow-safe, as LAPACK dnrm2 */
    for (int64_t i = from; i < to; i++) {
        double v = fabs(a[i]);
        if (v == 0.0) continue;
        if (scale < v) {
            ssq = 1.0 + ssq * (scale / v) * (scale / v);
            scale = v;
        } else {
            ssq += (v / scale) * (v / scale);
        }
    }
    return scale * sqrt(ssq);
}

/* Householder reflection zeroing rows l+1.. of column c of S (m rows, ld m),
 * applied to the columns c+1 .. last. */
static void householder_step(double *S, int64_t m, int64_t l, int64_t c, int64_t last)
{
    double *x = S + c * m;
    double nrm = col_norm(x, l, m);
    double alpha = x[l] > 0 ? -nrm : nrm;
    x[l] -= alpha;
    double vtv = 0.0;
    for (int64_t i = l; i < m; i++) vtv += x[i] * x[i];
    if (vtv > 0.0) {
        for (int64_t j = c + 1; j <= last; j++) {
            double *col = S + j * m;
            double s = 0.0;
            for (int64_t i = l; i < m; i++) s += x[i] * col[i];
            s = 2.0 * s / vtv;
            for (int64_t i = l; i < m; i++) col[i] -= s * x[i];
        }
    }
    x[l] = alpha;
    for (int64_t i = l + 1; i < m; i++) x[i] = 0.0;
}

/* dqrdc2-style limited pivoting on S = [A | b], m x (k + 1) column-major
 * (ld m), in place.  dqrdc2 moves an aliased column to the end and goes on
 * with the next; here it stays where it is and is skipped, which gives the
 * same kept columns and factor without moving data. */
static int pivot_qr(double *S, int64_t m, int64_t k, double tol, pivoted *pv)
{
    double *orig = malloc((size_t)(k > 0 ? k : 1) * sizeof(double));
    if (orig == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory in the pivoted QR");
    for (int64_t j = 0; j < k; j++) {
        orig[j] = col_norm(S + j * m, 0, m);
        if (orig[j] == 0.0) orig[j] = 1.0; /* as dqrdc2: a zero column is aliased */
    }
    int64_t l = 0;
    for (int64_t c = 0; c < k; c++) {
        pv->aliased[c] = 1;
        if (l == m) continue; /* no rows left: beyond the rank */
        double cur = col_norm(S + c * m, l, m);
        if (cur < tol * orig[c] || cur == 0.0) continue;
        if (l < m - 1) householder_step(S, m, l, c, k);
        pv->aliased[c] = 0;
        pv->kept[l++] = c;
    }
    pv->rank = l;
    for (int64_t a = 0; a < l; a++) {
        for (int64_t i = 0; i <= a; i++) pv->R[i + a * pv->ldr] = S[i + pv->kept[a] * m];
        pv->qtz[a] = S[a + k * m];
    }
    pv->rss = 0.0;
    for (int64_t i = l; i < m; i++) pv->rss += S[i + k * m] * S[i + k * m];
    free(orig);
    return OCCAM_OK;
}

/* The same limited pivoting on the normal equations A = [X z]'W[X z] (upper
 * triangle, k1 x k1): symmetric Gaussian elimination (a Cholesky factor
 * built row by row), aliasing a column whose Schur complement diagonal is
 * below (tol * original norm)^2.  The Schur complements carry rounding noise
 * of about eps * norm^2, i.e. 1.5e-8 on the norm scale, so the tolerance is
 * at least CHOLESKY_MIN_TOL = 1e-7 (R's lm default): an exactly dependent
 * column is never kept by noise. */
static int pivot_cholesky(const double *A, int64_t k, double tol, pivoted *pv)
{
    int64_t m = k + 1;
    double *S = malloc((size_t)(m * m) * sizeof(double));
    if (S == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory in the pivoted Cholesky");
    for (int64_t j = 0; j < m; j++)
        for (int64_t i = 0; i <= j; i++) S[i + j * m] = S[j + i * m] = A[i + j * m];
    double tol_eff = tol > CHOLESKY_MIN_TOL ? tol : CHOLESKY_MIN_TOL;
    int64_t rank = 0;
    for (int64_t c = 0; c < k; c++) {
        double orig = sqrt(A[c + c * m]);
        double d = S[c + c * m];
        pv->aliased[c] = 1;
        if (orig == 0.0 || d <= (tol_eff * orig) * (tol_eff * orig)) continue;
        double r = sqrt(d);
        /* row `rank` of R: R[rank, c'] = S[c, c'] / r for the remaining columns */
        for (int64_t j = c; j < m; j++) S[c + j * m] /= r;
        for (int64_t j = c + 1; j < m; j++)
            for (int64_t i = c + 1; i <= j; i++) {
                S[i + j * m] -= S[c + i * m] * S[c + j * m];
                S[j + i * m] = S[i + j * m];
            }
        pv->aliased[c] = 0;
        pv->kept[rank++] = c;
    }
    pv->rank = rank;
    for (int64_t a = 0; a < rank; a++) {
        int64_t ca = pv->kept[a];
        for (int64_t b = a; b < rank; b++) pv->R[a + b * pv->ldr] = S[ca + pv->kept[b] * m];
        pv->qtz[a] = S[ca + k * m];
    }
    pv->rss = S[k + k * m] > 0 ? S[k + k * m] : 0.0;
    free(S);
    return OCCAM_OK;
}

void occam__lsq_result_free(occam_lsq_result *res)
{
    free(res->coef);
    free(res->aliased);
    free(res->cov_unscaled);
    free(res->R);
    res->coef = NULL;
    res->aliased = NULL;
    res->cov_unscaled = NULL;
    res->R = NULL;
}

/* Coefficients by back substitution, (R'R)^-1 by LAPACK dpotri, both on the
 * kept columns; the factor is kept (rank x rank) for refinement. */
static int finish(const pivoted *pv, occam_lsq_result *res)
{
    int64_t r = pv->rank;
    size_t rr = (size_t)(r > 0 ? r * r : 1);
    double *c = malloc((size_t)(r > 0 ? r : 1) * sizeof(double));
    res->cov_unscaled = malloc(rr * sizeof(double));
    res->R = malloc(rr * sizeof(double));
    if (c == NULL || res->cov_unscaled == NULL || res->R == NULL) {
        free(c);
        return occam__fail(OCCAM_E_NOMEM, "out of memory in the least-squares solve");
    }
    for (int64_t b = 0; b < r; b++)
        for (int64_t a = 0; a < r; a++) res->R[a + b * r] = a <= b ? pv->R[a + b * pv->ldr] : 0.0;
    memcpy(res->cov_unscaled, res->R, rr * sizeof(double));
    memcpy(c, pv->qtz, (size_t)r * sizeof(double));
    int rc = occam__la_trsv_upper(r, res->R, r, c);
    if (rc == OCCAM_OK) rc = occam__la_chol2inv(r, res->cov_unscaled, r);
    if (rc == OCCAM_OK) {
        for (int64_t j = 0; j < res->k; j++) res->coef[j] = 0.0;
        for (int64_t a = 0; a < r; a++) res->coef[pv->kept[a]] = c[a];
        memcpy(res->aliased, pv->aliased, (size_t)res->k * sizeof(int));
        res->rank = r;
        res->rss = pv->rss;
    }
    free(c);
    return rc;
}

/* The rows or the triangle of the accumulator as an m x (k + 1)
 * column-major matrix (ld m) for pivot_qr. */
static double *system_matrix(const occam_lsq_view *v)
{
    int64_t m = v->m, k1 = v->k + 1;
    double *S = malloc((size_t)(m * k1 > 0 ? m * k1 : 1) * sizeof(double));
    if (S == NULL) return NULL;
    for (int64_t j = 0; j < k1; j++)
        for (int64_t i = 0; i < m; i++)
            S[i + j * m] = v->form == OCCAM_LSQ_ROWS ? v->a[i * k1 + j] : i <= j ? v->a[i + j * k1] : 0.0;
    return S;
}

int occam__lsq_solve(occam_lsq *acc, double tol, occam_lsq_result *res)
{
    memset(res, 0, sizeof *res);
    int flushed = occam__lsq_flush(acc);
    if (flushed != OCCAM_OK) return flushed;
    occam_lsq_view v;
    occam__lsq_view(acc, &v);
    int64_t k = v.k;
    memset(res, 0, sizeof *res);
    res->k = k;
    pivoted pv = {0, NULL, NULL, NULL, 0, NULL, 0.0};
    pv.ldr = v.form == OCCAM_LSQ_ROWS && v.m < k ? v.m : k;
    size_t kk = (size_t)(k > 0 ? k : 1), ldr = (size_t)(pv.ldr > 0 ? pv.ldr : 1);
    res->coef = malloc(kk * sizeof(double));
    res->aliased = malloc(kk * sizeof(int));
    pv.kept = malloc(kk * sizeof(int64_t));
    pv.aliased = malloc(kk * sizeof(int));
    pv.R = malloc(ldr * ldr * sizeof(double));
    pv.qtz = malloc(ldr * sizeof(double));
    double *S = v.form == OCCAM_LSQ_GRAM ? NULL : system_matrix(&v);
    int rc = OCCAM_OK;
    if (!res->coef || !res->aliased || !pv.kept || !pv.aliased || !pv.R || !pv.qtz ||
        (v.form != OCCAM_LSQ_GRAM && !S))
        rc = occam__fail(OCCAM_E_NOMEM, "out of memory in the least-squares solve (k = %lld)", (long long)k);
    else if (v.form == OCCAM_LSQ_GRAM)
        rc = pivot_cholesky(v.a, k, tol, &pv);
    else
        rc = pivot_qr(S, v.m, k, tol, &pv);
    if (rc == OCCAM_OK) rc = finish(&pv, res);
    free(pv.kept);
    free(pv.aliased);
    free(pv.R);
    free(pv.qtz);
    free(S);
    if (rc != OCCAM_OK) occam__lsq_result_free(res);
    return rc;
}
