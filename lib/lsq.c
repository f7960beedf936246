/*
 * lsq.c -- weighted least squares by blocks of rows.
 *
 * The accumulator sees the weighted system [sqrt(w) X | sqrt(w) z] one block
 * of rows at a time and keeps only a k+1 by k+1 summary:
 *  - OCCAM_SOLVER_QR: the triangular factor R of a tall-skinny QR
 *    (each block is stacked under the current R and re-factored with
 *    LAPACK dtpqrt, which exploits the triangle), so the result is that of a
 *    Householder QR of the whole matrix while memory stays O(block);
 *  - OCCAM_SOLVER_CHOLESKY: X'WX, X'Wz and z'Wz via BLAS dsyrk.
 * A block's contribution needs nothing but its rows, so blocks can come from
 * a stream or from other machines later.
 *
 * The solve applies R's limited column pivoting (LINPACK dqrdc2, used by
 * lm.fit and glm.fit): columns are taken in order, and a column whose norm,
 * after the earlier kept columns are projected out, is below tol times its
 * original norm is aliased: moved to the end and given no coefficient.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Cholesky blocks: about 512 KiB (cache-resident for dsyrk after the
 * weighted copy) but at least 1024 rows (dsyrk efficiency on wide X).
 * Measured on the GLM benchmark: 5-7% faster than 2 MiB blocks at p = 20,
 * no slower at p = 100. */
enum { LSQ_BLOCK_DOUBLES = 1 << 16, LSQ_MIN_BLOCK = 1024 };
#define CHOLESKY_MIN_TOL 1e-7
/* QR blocks of 2048 rows: dtpqrt (BLAS-2 panels) was fastest with blocks of
 * 1024-4096 rows for 22 to 101 columns, and 2-8x slower with 8192
 * (OpenBLAS 0.3.21, this project's 2-core test machine). */
enum { QR_BLOCK_ROWS = 2048 };

struct occam_lsq {
    int64_t k;      /* columns of the design (intercept included) */
    int64_t k1;     /* k + 1: the z column is last */
    int solver;
    int64_t nb_max; /* rows per block */
    int64_t ib;     /* QR: inner block size of dtpqrt */
    double *work;   /* the current block of weighted rows, nb_max x k1 (ld nb_max) */
    double *tri;    /* k1 x k1 upper triangle: QR: the factor R of [sqrt(w) X | sqrt(w) z];
                       Cholesky: [X z]' W [X z] */
    double *t;      /* QR: dtpqrt's T factor, ib x k1 */
    double *tw;     /* QR: dtpqrt's workspace, ib x k1 */
};

int occam__lsq_new(int64_t k, int solver, occam_lsq **out)
{
    *out = NULL;
    if (solver != OCCAM_SOLVER_QR && solver != OCCAM_SOLVER_CHOLESKY)
        return occam__fail(OCCAM_E_UNKNOWN_ENUM, "unknown solver %d", solver);
    int rc = occam__check_blas_int(k + 1, "number of columns");
    if (rc != OCCAM_OK) return rc;
    occam_lsq *acc = calloc(1, sizeof *acc);
    if (acc == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for the least-squares accumulator");
    acc->k = k;
    acc->k1 = k + 1;
    acc->solver = solver;
    acc->nb_max = LSQ_BLOCK_DOUBLES / acc->k1;
    if (acc->nb_max < LSQ_MIN_BLOCK) acc->nb_max = LSQ_MIN_BLOCK;
    acc->ib = acc->k1 < 32 ? acc->k1 : 32;
    if (solver == OCCAM_SOLVER_QR) acc->nb_max = QR_BLOCK_ROWS;
    acc->work = malloc((size_t)(acc->nb_max * acc->k1) * sizeof(double));
    acc->tri = malloc((size_t)(acc->k1 * acc->k1) * sizeof(double));
    acc->t = malloc((size_t)(acc->ib * acc->k1) * sizeof(double));
    acc->tw = malloc((size_t)(acc->ib * acc->k1) * sizeof(double));
    if (acc->work == NULL || acc->tri == NULL || acc->t == NULL || acc->tw == NULL) {
        occam__lsq_free(acc);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for the least-squares accumulator (k = %lld)",
                           (long long)k);
    }
    occam__lsq_reset(acc);
    *out = acc;
    return OCCAM_OK;
}

void occam__lsq_free(occam_lsq *acc)
{
    if (acc == NULL) return;
    free(acc->work);
    free(acc->tri);
    free(acc->t);
    free(acc->tw);
    free(acc);
}

void occam__lsq_reset(occam_lsq *acc)
{
    memset(acc->tri, 0, (size_t)(acc->k1 * acc->k1) * sizeof(double));
}

int64_t occam__lsq_block_rows(const occam_lsq *acc) { return acc->nb_max; }

/* Write the weighted rows i0..i0+nb-1 into B (column-major, leading dim ldb);
 * sw and z hold the block's nb values. */
static void fill_block(const occam_lsq *acc, const occam_matrix *X, int intercept, int64_t i0, int64_t nb,
                       const double *sw, const double *z, double *B, int64_t ldb)
{
    int64_t p = acc->k - intercept;
    for (int64_t i = 0; i < nb; i++) {
        double s = sw ? sw[i] : 1.0;
        if (intercept) B[i] = s;
        B[i + acc->k * ldb] = s * z[i];
    }
    double *Bx = B + (intercept ? ldb : 0);
    if (X->layout == OCCAM_COL_MAJOR) {
        for (int64_t j = 0; j < p; j++) {
            const double *col = X->data + i0 + j * X->ld;
            double *dst = Bx + j * ldb;
            if (sw)
                for (int64_t i = 0; i < nb; i++) dst[i] = sw[i] * col[i];
            else
                memcpy(dst, col, (size_t)nb * sizeof(double));
        }
    } else {
        for (int64_t i = 0; i < nb; i++) {
            const double *row = X->data + (i0 + i) * X->ld;
            double s = sw ? sw[i] : 1.0;
            for (int64_t j = 0; j < p; j++) Bx[i + j * ldb] = s * row[j];
        }
    }
}

int occam__lsq_add_rows(occam_lsq *acc, const occam_matrix *X, int intercept, int64_t i0, int64_t nb,
                        const double *sw, const double *z)
{
    if (nb <= 0) return OCCAM_OK;
    if (nb > acc->nb_max || X->p + intercept != acc->k)
        return occam__fail(OCCAM_E_INTERNAL, "lsq_add_rows: block of %lld rows, %lld columns does not fit",
                           (long long)nb, (long long)(X->p + intercept));
    fill_block(acc, X, intercept, i0, nb, sw, z, acc->work, acc->nb_max);
    if (acc->solver == OCCAM_SOLVER_CHOLESKY)
        return occam__la_syrk_tn(acc->k1, nb, acc->work, acc->nb_max, acc->tri, acc->k1);
    /* QR: factor [R; block] into the new R (LAPACK dtpqrt, triangle on top) */
    return occam__la_tpqrt(nb, acc->k1, 0, acc->tri, acc->k1, acc->work, acc->nb_max, acc->t, acc->ib, acc->tw);
}

int occam__lsq_merge(occam_lsq *dst, occam_lsq *src)
{
    if (dst->k != src->k || dst->solver != src->solver)
        return occam__fail(OCCAM_E_INTERNAL, "lsq_merge: accumulators of %lld and %lld columns", (long long)dst->k,
                           (long long)src->k);
    int64_t k1 = dst->k1;
    if (dst->solver == OCCAM_SOLVER_CHOLESKY) {
        for (int64_t j = 0; j < k1; j++)
            for (int64_t i = 0; i <= j; i++) dst->tri[i + j * k1] += src->tri[i + j * k1];
        return OCCAM_OK;
    }
    /* QR: [R_dst; R_src] with R_src upper triangular (l = k1) */
    return occam__la_tpqrt(k1, k1, k1, dst->tri, k1, src->tri, k1, dst->t, dst->ib, dst->tw);
}

/* ---------------------------------------------------------------- solving */

/* The pivoted triangular system both solvers reduce to. */
typedef struct pivoted {
    int64_t rank;
    int64_t *perm;  /* perm[i] = original column at position i (kept first) */
    double *R;      /* rank x rank upper triangle, leading dimension k */
    double *qtz;    /* rank */
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

/* Move column l of S (m rows, ld m) to position last, shifting the others left. */
static void rotate_to_end(double *S, int64_t m, int64_t l, int64_t last, int64_t *perm, double *orig,
                          double *tmp)
{
    int64_t pl = perm[l];
    double ol = orig[l];
    memcpy(tmp, S + l * m, (size_t)m * sizeof(double));
    memmove(S + l * m, S + (l + 1) * m, (size_t)((last - l) * m) * sizeof(double));
    memcpy(S + last * m, tmp, (size_t)m * sizeof(double));
    memmove(perm + l, perm + l + 1, (size_t)(last - l) * sizeof(int64_t));
    memmove(orig + l, orig + l + 1, (size_t)(last - l) * sizeof(double));
    perm[last] = pl;
    orig[last] = ol;
}

/* Householder reflection zeroing S[l+1.., l], applied to columns l+1..ncols-1. */
static void householder_step(double *S, int64_t m, int64_t l, int64_t ncols)
{
    double *x = S + l * m;
    double nrm = col_norm(x, l, m);
    double alpha = x[l] > 0 ? -nrm : nrm;
    x[l] -= alpha;
    double vtv = 0.0;
    for (int64_t i = l; i < m; i++) vtv += x[i] * x[i];
    if (vtv > 0.0) {
        for (int64_t j = l + 1; j < ncols; j++) {
            double *c = S + j * m;
            double s = 0.0;
            for (int64_t i = l; i < m; i++) s += x[i] * c[i];
            s = 2.0 * s / vtv;
            for (int64_t i = l; i < m; i++) c[i] -= s * x[i];
        }
    }
    x[l] = alpha;
    for (int64_t i = l + 1; i < m; i++) x[i] = 0.0;
}

/* dqrdc2-style limited pivoting on the k1 x k1 matrix S = [R_X | R_z]
 * (column-major, ld = k1), in place. */
static int pivot_qr(double *S, int64_t k, double tol, pivoted *pv)
{
    int64_t m = k + 1;
    double *orig = malloc((size_t)(k > 0 ? k : 1) * sizeof(double));
    double *tmp = malloc((size_t)m * sizeof(double));
    if (orig == NULL || tmp == NULL) {
        free(orig);
        free(tmp);
        return occam__fail(OCCAM_E_NOMEM, "out of memory in the pivoted QR");
    }
    for (int64_t j = 0; j < k; j++) {
        pv->perm[j] = j;
        orig[j] = col_norm(S + j * m, 0, m);
        if (orig[j] == 0.0) orig[j] = 1.0; /* as dqrdc2: a zero column is aliased */
    }
    int64_t ncand = k, l = 0;
    while (l < ncand && l < m - 1) {
        double cur = col_norm(S + l * m, l, m);
        if (cur < tol * orig[l] || cur == 0.0) {
            rotate_to_end(S, m, l, k - 1, pv->perm, orig, tmp);
            ncand--;
            continue;
        }
        householder_step(S, m, l, m);
        l++;
    }
    pv->rank = l;
    for (int64_t j = 0; j < l; j++) {
        for (int64_t i = 0; i <= j; i++) pv->R[i + j * k] = S[i + j * m];
        pv->qtz[j] = S[j + k * m];
    }
    double rss = 0.0;
    for (int64_t i = l; i < m; i++) rss += S[i + k * m] * S[i + k * m];
    pv->rss = rss;
    free(orig);
    free(tmp);
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
    int *done = calloc((size_t)m, sizeof(int));
    if (S == NULL || done == NULL) {
        free(S);
        free(done);
        return occam__fail(OCCAM_E_NOMEM, "out of memory in the pivoted Cholesky");
    }
    for (int64_t j = 0; j < m; j++)
        for (int64_t i = 0; i <= j; i++) S[i + j * m] = S[j + i * m] = A[i + j * m];
    double tol_eff = tol > CHOLESKY_MIN_TOL ? tol : CHOLESKY_MIN_TOL;
    int64_t rank = 0, naliased = 0;
    for (int64_t c = 0; c < k; c++) {
        double orig = sqrt(A[c + c * m]);
        double d = S[c + c * m];
        if (orig == 0.0 || d <= (tol_eff * orig) * (tol_eff * orig)) {
            pv->perm[k - 1 - naliased++] = c;
            continue;
        }
        double r = sqrt(d);
        /* row `rank` of R: R[rank, c'] = S[c, c'] / r for the remaining columns */
        for (int64_t j = c; j < m; j++) S[c + j * m] /= r;
        for (int64_t j = c + 1; j < m; j++)
            for (int64_t i = c + 1; i <= j; i++) {
                S[i + j * m] -= S[c + i * m] * S[c + j * m];
                S[j + i * m] = S[i + j * m];
            }
        pv->perm[rank] = c;
        done[c] = 1;
        rank++;
    }
    /* aliased columns were filled from the end in reverse order; restore order */
    for (int64_t a = rank, b = k - 1; a < b; a++, b--) {
        int64_t t = pv->perm[a];
        pv->perm[a] = pv->perm[b];
        pv->perm[b] = t;
    }
    pv->rank = rank;
    for (int64_t a = 0; a < rank; a++) {
        int64_t ca = pv->perm[a];
        for (int64_t b = a; b < rank; b++) pv->R[a + b * k] = S[ca + pv->perm[b] * m];
        pv->qtz[a] = S[ca + k * m];
    }
    pv->rss = S[k + k * m] > 0 ? S[k + k * m] : 0.0;
    free(S);
    free(done);
    return OCCAM_OK;
}

void occam__lsq_result_free(occam_lsq_result *res)
{
    free(res->coef);
    free(res->aliased);
    free(res->cov_unscaled);
    res->coef = NULL;
    res->aliased = NULL;
    res->cov_unscaled = NULL;
}

static int finish(const pivoted *pv, int64_t k, occam_lsq_result *res)
{
    int64_t r = pv->rank;
    double *c = malloc((size_t)(r > 0 ? r : 1) * sizeof(double));
    double *inv = malloc((size_t)(k * k > 0 ? k * k : 1) * sizeof(double));
    if (c == NULL || inv == NULL) {
        free(c);
        free(inv);
        return occam__fail(OCCAM_E_NOMEM, "out of memory in the least-squares solve");
    }
    memcpy(c, pv->qtz, (size_t)r * sizeof(double));
    memcpy(inv, pv->R, (size_t)(k * k) * sizeof(double));
    int rc = occam__la_trsv_upper(r, pv->R, k, c);
    if (rc == OCCAM_OK) rc = occam__la_chol2inv(r, inv, k);
    if (rc == OCCAM_OK) {
        for (int64_t j = 0; j < k * k; j++) res->cov_unscaled[j] = NAN;
        for (int64_t j = 0; j < k; j++) {
            res->coef[j] = 0.0;
            res->aliased[j] = 1;
        }
        for (int64_t a = 0; a < r; a++) {
            res->coef[pv->perm[a]] = c[a];
            res->aliased[pv->perm[a]] = 0;
            for (int64_t b = 0; b < r; b++) res->cov_unscaled[pv->perm[a] + pv->perm[b] * k] = inv[a + b * k];
        }
        res->rank = r;
        res->rss = pv->rss;
    }
    free(c);
    free(inv);
    return rc;
}

int occam__lsq_solve(const occam_lsq *acc, double tol, occam_lsq_result *res)
{
    int64_t k = acc->k, k1 = acc->k1;
    memset(res, 0, sizeof *res);
    res->k = k;
    res->coef = malloc((size_t)(k > 0 ? k : 1) * sizeof(double));
    res->aliased = malloc((size_t)(k > 0 ? k : 1) * sizeof(int));
    res->cov_unscaled = malloc((size_t)(k * k > 0 ? k * k : 1) * sizeof(double));
    pivoted pv = {0, NULL, NULL, NULL, 0.0};
    pv.perm = malloc((size_t)(k > 0 ? k : 1) * sizeof(int64_t));
    pv.R = calloc((size_t)(k * k > 0 ? k * k : 1), sizeof(double));
    pv.qtz = malloc((size_t)(k > 0 ? k : 1) * sizeof(double));
    double *S = malloc((size_t)(k1 * k1) * sizeof(double));
    int rc = OCCAM_OK;
    if (!res->coef || !res->aliased || !res->cov_unscaled || !pv.perm || !pv.R || !pv.qtz || !S) {
        rc = occam__fail(OCCAM_E_NOMEM, "out of memory in the least-squares solve");
    } else if (acc->solver == OCCAM_SOLVER_QR) {
        for (int64_t j = 0; j < k1; j++)
            for (int64_t i = 0; i < k1; i++) S[i + j * k1] = i <= j ? acc->tri[i + j * k1] : 0.0;
        rc = pivot_qr(S, k, tol, &pv);
    } else {
        rc = pivot_cholesky(acc->tri, k, tol, &pv);
    }
    if (rc == OCCAM_OK) rc = finish(&pv, k, res);
    free(pv.perm);
    free(pv.R);
    free(pv.qtz);
    free(S);
    if (rc != OCCAM_OK) occam__lsq_result_free(res);
    return rc;
}

int occam__linear_predictor(const occam_matrix *X, int intercept, const double *b, const double *offset,
                            int64_t i0, int64_t nb, double *eta)
{
    double b0 = intercept ? b[0] : 0.0;
    for (int64_t i = 0; i < nb; i++) eta[i] = b0 + (offset ? offset[i0 + i] : 0.0);
    if (X->p == 0 || nb == 0) return OCCAM_OK;
    const double *a = X->layout == OCCAM_COL_MAJOR ? X->data + i0 : X->data + i0 * X->ld;
    return occam__la_gemv(X->layout, 0, nb, X->p, 1.0, a, X->ld, b + intercept, 1.0, eta);
}

void occam__linear_predictor_exact(const occam_matrix *X, int intercept, const double *b, const double *offset,
                                   int64_t i0, int64_t nb, double *eta)
{
    for (int64_t i = 0; i < nb; i++) {
        double s = intercept ? b[0] : 0.0;
        for (int64_t j = 0; j < X->p; j++) s += occam__mat_at(X, i0 + i, j) * b[j + intercept];
        eta[i] = s + (offset ? offset[i0 + i] : 0.0);
    }
}
