/*
 * lsq.c -- the weighted least-squares accumulator, fed by blocks of rows.
 *
 * The accumulator sees the weighted system [sqrt(w) X | sqrt(w) z] one block
 * of rows at a time and keeps a summary of at most (k+1) x (k+1) numbers:
 *  - while it has seen at most k + 1 rows, the rows themselves (form
 *    OCCAM_LSQ_ROWS), so a wide design (n < k, R's n << p case) costs
 *    O(n k) memory and never a (k+1)^2 array;
 *  - then, OCCAM_SOLVER_QR: the triangular factor R of a tall-skinny QR
 *    (each block is stacked under the current R and re-factored with
 *    LAPACK dtpqrt, which exploits the triangle), so the result is that of a
 *    Householder QR of the whole matrix while memory stays O(block);
 *  - or OCCAM_SOLVER_CHOLESKY: X'WX, X'Wz and z'Wz via BLAS dsyrk.
 * A block's contribution needs nothing but its rows, so blocks can come from
 * a stream or from other machines later.  lsq_solve.c solves the summary.
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
/* QR blocks of 2048 rows: dtpqrt (BLAS-2 panels) was fastest with blocks of
 * 1024-4096 rows for 22 to 101 columns, and 2-8x slower with 8192
 * (OpenBLAS 0.3.21, this project's 2-core test machine). */
enum { QR_BLOCK_ROWS = 2048 };

struct occam_lsq {
    int64_t k;      /* columns of the design (intercept included) */
    int64_t k1;     /* k + 1: the z column is last */
    int solver;
    int form;       /* OCCAM_LSQ_ROWS until more than k1 rows, then OCCAM_LSQ_R or OCCAM_LSQ_GRAM */
    int64_t nb_max; /* rows per block */
    int64_t ib;     /* QR: inner block size of dtpqrt */
    double *rows;   /* ROWS: the nrows weighted rows seen, row-major (row i at rows + i k1) */
    int64_t nrows, rows_cap;
    double *work;   /* the current block of weighted rows, nb_max x k1 (ld nb_max); allocated with tri */
    int64_t fill;   /* rows of the current block in work, not yet in tri (0 <= fill < nb_max) */
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
    acc->t = malloc((size_t)(acc->ib * acc->k1) * sizeof(double));
    acc->tw = malloc((size_t)(acc->ib * acc->k1) * sizeof(double));
    if (acc->t == NULL || acc->tw == NULL) {
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
    free(acc->rows);
    free(acc->work);
    free(acc->tri);
    free(acc->t);
    free(acc->tw);
    free(acc);
}

void occam__lsq_reset(occam_lsq *acc)
{
    acc->form = OCCAM_LSQ_ROWS;
    acc->nrows = 0;
    acc->fill = 0;
}

int64_t occam__lsq_block_rows(const occam_lsq *acc) { return acc->nb_max; }

int64_t occam__lsq_columns(const occam_lsq *acc) { return acc->k; }

int occam__lsq_solver(const occam_lsq *acc) { return acc->solver; }

void occam__lsq_view(const occam_lsq *acc, occam_lsq_view *v)
{
    v->form = acc->form;
    v->k = acc->k;
    v->m = acc->form == OCCAM_LSQ_ROWS ? acc->nrows : acc->k1;
    v->a = acc->form == OCCAM_LSQ_ROWS ? acc->rows : acc->tri;
}

/* Write the weighted rows i0..i0+nb-1 into B: element (i, j) at
 * B[i * rs + j * cs] (column-major block: rs 1, cs its leading dimension;
 * row-major rows: rs k1, cs 1).  sw and z hold the block's nb values. */
static void fill_block(const occam_lsq *acc, const occam_matrix *X, int intercept, int64_t i0, int64_t nb,
                       const double *sw, const double *z, double *B, int64_t rs, int64_t cs)
{
    int64_t p = acc->k - intercept;
    for (int64_t i = 0; i < nb; i++) {
        double s = sw ? sw[i] : 1.0;
        if (intercept) B[i * rs] = s;
        B[i * rs + acc->k * cs] = s * z[i];
    }
    double *Bx = B + (intercept ? cs : 0);
    if (X->layout == OCCAM_COL_MAJOR) {
        for (int64_t j = 0; j < p; j++) {
            const double *col = X->data + i0 + j * X->ld;
            double *dst = Bx + j * cs;
            if (rs == 1 && !sw)
                memcpy(dst, col, (size_t)nb * sizeof(double));
            else if (rs == 1) /* the block's columns: contiguous, vectorized */
                for (int64_t i = 0; i < nb; i++) dst[i] = sw[i] * col[i];
            else
                for (int64_t i = 0; i < nb; i++) dst[i * rs] = (sw ? sw[i] : 1.0) * col[i];
        }
    } else {
        for (int64_t i = 0; i < nb; i++) {
            const double *row = X->data + (i0 + i) * X->ld;
            double s = sw ? sw[i] : 1.0;
            for (int64_t j = 0; j < p; j++) Bx[i * rs + j * cs] = s * row[j];
        }
    }
}

/* Factor (QR) or add (Cholesky) the nb rows in acc->work into acc->tri. */
static int absorb_work(occam_lsq *acc, int64_t nb)
{
    if (acc->solver == OCCAM_SOLVER_CHOLESKY)
        return occam__la_syrk_tn(acc->k1, nb, acc->work, acc->nb_max, acc->tri, acc->k1);
    /* QR: factor [R; block] into the new R (LAPACK dtpqrt, triangle on top) */
    return occam__la_tpqrt(nb, acc->k1, 0, acc->tri, acc->k1, acc->work, acc->nb_max, acc->t, acc->ib, acc->tw);
}

/* Append nr weighted rows stored row-major (row i at r + i k1) to the
 * current block, absorbing each block as it fills. */
static int append_rows(occam_lsq *acc, const double *r, int64_t nr)
{
    int64_t k1 = acc->k1;
    for (int64_t i = 0; i < nr; i++) {
        for (int64_t j = 0; j < k1; j++) acc->work[acc->fill + j * acc->nb_max] = r[i * k1 + j];
        if (++acc->fill == acc->nb_max) {
            acc->fill = 0;
            int rc = absorb_work(acc, acc->nb_max);
            if (rc != OCCAM_OK) return rc;
        }
    }
    return OCCAM_OK;
}

/* Leave the ROWS form: allocate (once) the k1 x k1 summary and the block
 * buffer, and move the stored rows into the current block (the blocks are
 * those of the rows in the order seen, however they arrived).  Called only
 * once more than k1 rows have been seen, so the (k1)^2 array is never larger
 * than the data. */
static int to_triangle(occam_lsq *acc)
{
    if (acc->form != OCCAM_LSQ_ROWS) return OCCAM_OK;
    int64_t k1 = acc->k1;
    if (acc->tri == NULL) acc->tri = malloc((size_t)(k1 * k1) * sizeof(double));
    if (acc->work == NULL) acc->work = malloc((size_t)(acc->nb_max * k1) * sizeof(double));
    if (acc->tri == NULL || acc->work == NULL)
        return occam__fail(OCCAM_E_NOMEM, "out of memory for the least-squares accumulator (k = %lld)",
                           (long long)acc->k);
    memset(acc->tri, 0, (size_t)(k1 * k1) * sizeof(double));
    acc->form = acc->solver == OCCAM_SOLVER_QR ? OCCAM_LSQ_R : OCCAM_LSQ_GRAM;
    acc->fill = 0;
    int64_t m = acc->nrows;
    acc->nrows = 0;
    return append_rows(acc, acc->rows, m);
}

/* Room for `more` rows in the ROWS form (at most k1 rows in all). */
static int reserve_rows(occam_lsq *acc, int64_t more)
{
    int64_t need = acc->nrows + more;
    if (need <= acc->rows_cap) return OCCAM_OK;
    int64_t cap = acc->rows_cap ? acc->rows_cap : 4;
    while (cap < need) cap *= 2;
    if (cap > acc->k1) cap = acc->k1;
    double *r = realloc(acc->rows, (size_t)(cap * acc->k1) * sizeof(double));
    if (r == NULL)
        return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld rows of %lld columns", (long long)cap,
                           (long long)acc->k1);
    acc->rows = r;
    acc->rows_cap = cap;
    return OCCAM_OK;
}

int occam__lsq_add_rows(occam_lsq *acc, const occam_matrix *X, int intercept, int64_t i0, int64_t nb,
                        const double *sw, const double *z)
{
    if (nb <= 0) return OCCAM_OK;
    if (X->p + intercept != acc->k)
        return occam__fail(OCCAM_E_INTERNAL, "lsq_add_rows: %lld columns for an accumulator of %lld",
                           (long long)(X->p + intercept), (long long)acc->k);
    int rc;
    if (acc->form == OCCAM_LSQ_ROWS) {
        if (acc->nrows + nb <= acc->k1) {
            if ((rc = reserve_rows(acc, nb)) != OCCAM_OK) return rc;
            fill_block(acc, X, intercept, i0, nb, sw, z, acc->rows + acc->nrows * acc->k1, acc->k1, 1);
            acc->nrows += nb;
            return OCCAM_OK;
        }
        if ((rc = to_triangle(acc)) != OCCAM_OK) return rc;
    }
    while (nb > 0) {
        int64_t piece = acc->nb_max - acc->fill < nb ? acc->nb_max - acc->fill : nb;
        fill_block(acc, X, intercept, i0, piece, sw, z, acc->work + acc->fill, 1, acc->nb_max);
        acc->fill += piece;
        i0 += piece;
        nb -= piece;
        if (sw) sw += piece;
        z += piece;
        if (acc->fill == acc->nb_max) {
            acc->fill = 0;
            if ((rc = absorb_work(acc, acc->nb_max)) != OCCAM_OK) return rc;
        }
    }
    return OCCAM_OK;
}

int occam__lsq_flush(occam_lsq *acc)
{
    if (acc->form == OCCAM_LSQ_ROWS || acc->fill == 0) return OCCAM_OK;
    int64_t nb = acc->fill;
    acc->fill = 0;
    return absorb_work(acc, nb);
}

int occam__lsq_merge(occam_lsq *dst, occam_lsq *src)
{
    if (dst->k != src->k || dst->solver != src->solver)
        return occam__fail(OCCAM_E_INTERNAL, "lsq_merge: accumulators of %lld and %lld columns", (long long)dst->k,
                           (long long)src->k);
    int64_t k1 = dst->k1;
    int rc;
    if (src->form == OCCAM_LSQ_ROWS && src->nrows == 0) return OCCAM_OK; /* nothing seen */
    if (src->form == OCCAM_LSQ_ROWS) { /* src's rows follow dst's, as if dst had seen them */
        if (dst->form == OCCAM_LSQ_ROWS && dst->nrows + src->nrows <= k1) {
            if ((rc = reserve_rows(dst, src->nrows)) != OCCAM_OK) return rc;
            memcpy(dst->rows + dst->nrows * k1, src->rows, (size_t)(src->nrows * k1) * sizeof(double));
            dst->nrows += src->nrows;
            return OCCAM_OK;
        }
        if ((rc = to_triangle(dst)) != OCCAM_OK) return rc;
        return append_rows(dst, src->rows, src->nrows);
    }
    if ((rc = to_triangle(dst)) != OCCAM_OK) return rc;
    if ((rc = occam__lsq_flush(dst)) != OCCAM_OK) return rc;
    if ((rc = occam__lsq_flush(src)) != OCCAM_OK) return rc;
    if (dst->solver == OCCAM_SOLVER_CHOLESKY) {
        for (int64_t j = 0; j < k1; j++)
            for (int64_t i = 0; i <= j; i++) dst->tri[i + j * k1] += src->tri[i + j * k1];
        return OCCAM_OK;
    }
    /* QR: [R_dst; R_src] with R_src upper triangular (l = k1) */
    return occam__la_tpqrt(k1, k1, k1, dst->tri, k1, src->tri, k1, dst->t, dst->ib, dst->tw);
}

int occam__lsq_clone(const occam_lsq *src, occam_lsq **out)
{
    occam_lsq *acc = NULL;
    int rc = occam__lsq_new(src->k, src->solver, &acc);
    if (rc != OCCAM_OK) return rc;
    int64_t k1 = src->k1;
    if (src->form == OCCAM_LSQ_ROWS) {
        rc = reserve_rows(acc, src->nrows);
        if (rc == OCCAM_OK && src->nrows > 0)
            memcpy(acc->rows, src->rows, (size_t)(src->nrows * k1) * sizeof(double));
        acc->nrows = src->nrows;
    } else {
        acc->tri = malloc((size_t)(k1 * k1) * sizeof(double));
        acc->work = malloc((size_t)(acc->nb_max * k1) * sizeof(double));
        if (acc->tri == NULL || acc->work == NULL) {
            rc = occam__fail(OCCAM_E_NOMEM, "out of memory copying a least-squares accumulator");
        } else {
            memcpy(acc->tri, src->tri, (size_t)(k1 * k1) * sizeof(double));
            for (int64_t j = 0; j < k1; j++)
                memcpy(acc->work + j * acc->nb_max, src->work + j * src->nb_max, (size_t)src->fill * sizeof(double));
            acc->form = src->form;
            acc->fill = src->fill;
        }
    }
    if (rc != OCCAM_OK) {
        occam__lsq_free(acc);
        return rc;
    }
    *out = acc;
    return OCCAM_OK;
}

int occam__lsq_pending(const occam_lsq *acc) { return acc->form != OCCAM_LSQ_ROWS && acc->fill > 0; }

int occam__lsq_import(int64_t k, int solver, int form, int64_t m, const double *a, occam_lsq **out)
{
    occam_lsq *acc = NULL;
    int rc = occam__lsq_new(k, solver, &acc);
    if (rc != OCCAM_OK) return rc;
    int64_t k1 = acc->k1;
    int want = solver == OCCAM_SOLVER_QR ? OCCAM_LSQ_R : OCCAM_LSQ_GRAM;
    if (form == OCCAM_LSQ_ROWS && m >= 0 && m <= k1) {
        rc = reserve_rows(acc, m);
        if (rc == OCCAM_OK && m > 0) memcpy(acc->rows, a, (size_t)(m * k1) * sizeof(double));
        acc->nrows = m;
    } else if (form == want && m == k1) {
        rc = to_triangle(acc); /* allocates; no rows to move */
        for (int64_t j = 0, e = 0; rc == OCCAM_OK && j < k1; j++)
            for (int64_t i = 0; i <= j; i++) acc->tri[i + j * k1] = a[e++];
    } else {
        rc = occam__fail(OCCAM_E_FORMAT, "least-squares state of form %d with %lld rows does not fit %lld columns "
                         "and solver %d", form, (long long)m, (long long)k, solver);
    }
    if (rc != OCCAM_OK) {
        occam__lsq_free(acc);
        return rc;
    }
    *out = acc;
    return OCCAM_OK;
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

/* eta of rows i0 .. i0+nb-1: per row, s = b0, s += x_ij b_j for j in
 * order, eta = s + offset; the loops run over rows innermost (independent:
 * vectorizable, and each row's arithmetic is the same whatever nb and i0). */
#if defined(__GNUC__)
#define OCCAM_ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define OCCAM_ALWAYS_INLINE static inline
#endif
OCCAM_ALWAYS_INLINE void predictor_rows(const occam_matrix *X, int intercept, const double *b, const double *offset,
                                        int64_t i0, int64_t nb, double *eta)
{
    double b0 = intercept ? b[0] : 0.0;
    for (int64_t i = 0; i < nb; i++) eta[i] = b0;
    if (X->layout == OCCAM_COL_MAJOR) {
        const double *bx = b + intercept;
        int64_t j = 0;
        for (; j + 4 <= X->p; j += 4) { /* four columns per sweep over the rows, added in order */
            const double *c0 = X->data + i0 + j * X->ld, *c1 = c0 + X->ld, *c2 = c1 + X->ld, *c3 = c2 + X->ld;
            double b0c = bx[j], b1c = bx[j + 1], b2c = bx[j + 2], b3c = bx[j + 3];
            for (int64_t i = 0; i < nb; i++) {
                double e = eta[i];
                e += c0[i] * b0c;
                e += c1[i] * b1c;
                e += c2[i] * b2c;
                e += c3[i] * b3c;
                eta[i] = e;
            }
        }
        for (; j < X->p; j++) {
            const double *col = X->data + i0 + j * X->ld;
            double bj = bx[j];
            for (int64_t i = 0; i < nb; i++) eta[i] += col[i] * bj;
        }
    } else {
        int64_t i = 0;
        for (; i + 4 <= nb; i += 4) { /* four rows' sums at once (independent chains) */
            const double *r0 = X->data + (i0 + i) * X->ld, *r1 = r0 + X->ld, *r2 = r1 + X->ld, *r3 = r2 + X->ld;
            double s0 = eta[i], s1 = eta[i + 1], s2 = eta[i + 2], s3 = eta[i + 3];
            for (int64_t j = 0; j < X->p; j++) {
                double bj = b[j + intercept];
                s0 += r0[j] * bj;
                s1 += r1[j] * bj;
                s2 += r2[j] * bj;
                s3 += r3[j] * bj;
            }
            eta[i] = s0, eta[i + 1] = s1, eta[i + 2] = s2, eta[i + 3] = s3;
        }
        for (; i < nb; i++) {
            const double *row = X->data + (i0 + i) * X->ld;
            double s = eta[i];
            for (int64_t j = 0; j < X->p; j++) s += row[j] * b[j + intercept];
            eta[i] = s;
        }
    }
    for (int64_t i = 0; i < nb; i++) eta[i] = eta[i] + (offset ? offset[i0 + i] : 0.0);
}

/* An AVX2 build of the same loops where the CPU has it: its lanes are rows
 * and no FMA is formed (ISO C: no contraction), so every row gets the same
 * operations, and bits, on either path. */
#if defined(__GNUC__) && defined(__x86_64__)
__attribute__((target("avx2"))) static void predictor_avx2(const occam_matrix *X, int intercept, const double *b,
                                                            const double *offset, int64_t i0, int64_t nb,
                                                            double *eta)
{
    predictor_rows(X, intercept, b, offset, i0, nb, eta);
}
#endif

void occam__linear_predictor_exact(const occam_matrix *X, int intercept, const double *b, const double *offset,
                                   int64_t i0, int64_t nb, double *eta)
{
#if defined(__GNUC__) && defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) {
        predictor_avx2(X, intercept, b, offset, i0, nb, eta);
        return;
    }
#endif
    predictor_rows(X, intercept, b, offset, i0, nb, eta);
}
