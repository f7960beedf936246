/*
 * internal.h -- private declarations shared by lib/ files.  Nothing here is
 * public or installed.  Internal functions carry the occam__ prefix (two
 * underscores) and are hidden from the shared library by visibility.
 */
#ifndef OCCAM_INTERNAL_H
#define OCCAM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "occam.h"

#if defined(__GNUC__)
#define OCCAM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define OCCAM_PRINTF(a, b)
#endif

/* ---------------------------------------------------------------- error.c */

/* Record a detail message for `status` in the thread-local buffer and return
 * `status` (use as `return occam__fail(OCCAM_E_NULL, "X is NULL");`).  Also
 * used for positive warning statuses. */
int occam__fail(int status, const char *fmt, ...) OCCAM_PRINTF(2, 3);

/* ----------------------------------------------------------------- utf8.c */

/* 1 if s[0..len) is well-formed UTF-8 (no overlong form, surrogate or value
 * above U+10FFFF), else 0 with *bad (may be NULL) = offset of the first byte
 * of the first ill-formed sequence. */
int occam__utf8_valid(const char *s, size_t len, size_t *bad);

/* ----------------------------------------------------------------- opts.c */

/* Value of an option, or `dflt` when opts is NULL or the option is unset. */
double occam__opt_double(const occam_opts *opts, int key, double dflt);
int64_t occam__opt_int(const occam_opts *opts, int key, int64_t dflt);
/* A copy of opts (NULL gives *out = NULL) for a fit that reads its options
 * after the call that gave them (a stream). */
int occam__opts_clone(const occam_opts *opts, occam_opts **out);

/* --------------------------------------------------------------- matrix.c */

/* A validated read-only view of a caller matrix (see occam.h). */
typedef struct occam_matrix {
    const double *data;
    int64_t n, p, ld;
    int layout;
} occam_matrix;

/* Validate and fill a view.  `name` names the argument in messages.
 * Checks data != NULL (unless n*p == 0), n >= 1 (OCCAM_E_NO_DATA for 0),
 * p >= 0, layout, ld; does not scan values. */
int occam__matrix_init(occam_matrix *X, const double *data, int64_t n, int64_t p, int64_t ld,
                       int layout, const char *name);

/* Element (i, j). */
static inline double occam__mat_at(const occam_matrix *X, int64_t i, int64_t j)
{
    return X->layout == OCCAM_COL_MAJOR ? X->data[i + j * X->ld] : X->data[i * X->ld + j];
}

/* OCCAM_E_NONFINITE naming the first bad cell, column by column ("column 3
 * of X is NaN at row 17", 1-based); the _at form numbers the rows from row0
 * (a chunk of a stream or partial: rows after the row0 it has seen). */
int occam__check_finite_matrix(const occam_matrix *X, const char *name);
int occam__check_finite_matrix_at(const occam_matrix *X, const char *name, int64_t row0);
/* OCCAM_E_NONFINITE naming the first bad entry of v (may be NULL: OK). */
int occam__check_finite_vector(const double *v, int64_t n, const char *name);
int occam__check_finite_vector_at(const double *v, int64_t n, const char *name, int64_t row0);
/* Prior weights (NULL: OK): finite (OCCAM_E_NONFINITE), >= 0
 * (OCCAM_E_BAD_WEIGHTS), not all 0 (OCCAM_E_NO_DATA). */
int occam__check_weights(const double *w, int64_t n);
/* OCCAM_E_TOO_LARGE unless 0 <= v <= INT32_MAX. */
int occam__check_blas_int(int64_t v, const char *what);

/* ---------------------------------------------------------------- model.c */

/* The coefficient table every kind fills (k = p + intercept, or 4 for
 * Pareto/NBD).  est, se, stat, pval and aliased have k entries; vcov is
 * nkept x nkept column-major over the nkept non-aliased coefficients in
 * order (aliased rows and columns are not stored: a wide fit's table stays
 * O(k)). */
typedef struct occam_coefs {
    int64_t k, nkept;
    double *est, *se, *stat, *pval, *vcov;
    int *aliased;
    int64_t *kept; /* nkept: the non-aliased coefficients, in order */
} occam_coefs;

/* NaN-filled; aliased copied from `aliased` (k flags; NULL: none aliased). */
int occam__coefs_alloc(occam_coefs *c, int64_t k, const int *aliased);
/* x' V x over the non-aliased coefficients, x with k entries (the aliased
 * ones are ignored): O(k + nkept^2), summed in a fixed order (deterministic
 * predictions). */
double occam__coefs_xvx(const occam_coefs *c, const double *x);
void occam__coefs_free(occam_coefs *c);           /* safe on zeroed or freed struct */
/* Fill stat = est/se and pval from the t (df_t > 0) or normal (df_t = inf) tail. */
void occam__coefs_tests(occam_coefs *c, double df_t);

typedef struct occam_writer occam_writer;
typedef struct occam_reader occam_reader;

/* One model kind's implementation, plugged into the common verbs.  Each
 * entry may assume its arguments are non-NULL and validated where the
 * comments say so; each returns an occam status. */
typedef struct occam_vtable {
    int kind;         /* enum occam_model_kind */
    const char *name; /* "linear", "glm", "pnbd" */
    /* X validated by occam__matrix_init (not scanned for NaN); y, w, offset
     * may be NULL.  Must leave m unchanged on error; on success sets
     * m->fitted, m->p, m->intercept, m->coefs, m->nrows, m->conditions. */
    int (*fit)(occam_model *m, const occam_opts *opts, const occam_matrix *X, const double *y,
               const double *w, const double *offset);
    /* m fitted, X validated with X->p == m->p, out has X->n entries; se may be NULL. */
    int (*predict)(const occam_model *m, int type, double horizon, const occam_matrix *X,
                   const double *offset, double *out, double *se);
    /* Keys the common code does not answer (see model.c). */
    int (*info)(const occam_model *m, int key, double *value);
    /* out has m->nrows entries; NULL entry: OCCAM_E_WRONG_MODEL. */
    int (*rows)(const occam_model *m, int which, double *out);
    /* Kind-specific fields (tags in the kind's range, see serialize.h). */
    int (*write)(const occam_model *m, occam_writer *w);
    /* m has its common fields read already; read the kind's fields. */
    int (*read)(occam_model *m, const occam_reader *r);
    void (*free_impl)(void *impl);
} occam_vtable;

/* What a Pareto/NBD or Gamma-Gamma model knows of its data (context.c,
 * occam_model_set_time_unit): unknown = OCCAM_UNIT_UNKNOWN, NaN, NaN, NULL. */
typedef struct occam_context {
    int unit;         /* OCCAM_UNIT_* */
    double unit_days; /* days per model time unit, NaN when unknown */
    double cal_end;   /* calibration end on the model's time axis, NaN when unknown */
    char *cal_text;   /* the calibration end as given ("1997-09-30"), or NULL */
} occam_context;

struct occam_model {
    const occam_vtable *vt;
    int fitted;         /* 1 once it can predict */
    int64_t p;          /* columns of X (3 for Pareto/NBD) */
    int intercept;      /* linear/GLM: coefficient 0 is an intercept */
    occam_coefs coefs;  /* k = p + intercept, or 4 */
    char **names;       /* p column names, or NULL */
    char *design;       /* the caller's design metadata (UTF-8 text), or NULL (model_design.c) */
    int conditions;     /* OCCAM_COND_* bits of the last fit */
    int64_t nrows;      /* rows of the last fit (0 if none) */
    void *impl;         /* the kind's own state, freed by vt->free_impl */
    occam_context ctx;  /* Pareto/NBD and Gamma-Gamma: time unit, calibration end */
};

/* context.c: the unknown context; free a context's text. */
void occam__context_init(occam_context *c);
void occam__context_free(occam_context *c);

/* Allocate a model of a kind with its impl (ownership of impl passes to the
 * model, also on failure). */
int occam__model_new(const occam_vtable *vt, void *impl, occam_model **out);
/* Look up a kind's vtable (NULL when unknown). */
const occam_vtable *occam__vtable_for_kind(int kind);
/* The largest OCCAM_W_* code: condition bits 0 .. OCCAM__W_LAST - 1 are
 * defined (bit code - 1 for each code). */
#define OCCAM__W_LAST OCCAM_W_NO_DROPOUT
/* Convert condition bits to the return status: OK, or the smallest OCCAM_W_*
 * (bits this library does not define are ignored). */
int occam__conditions_status(int conditions);

extern const occam_vtable occam__linear_vtable;
extern const occam_vtable occam__glm_vtable;
extern const occam_vtable occam__pnbd_vtable;
extern const occam_vtable occam__gg_vtable;

/* -------------------------------------------------------------- specfun.c */

double occam__lgamma(double x);   /* log Gamma(x), x > 0; NaN otherwise */
double occam__digamma(double x);  /* psi(x), x > 0 */
double occam__trigamma(double x); /* psi'(x), x > 0 */
double occam__pnorm(double x, int lower_tail, int log_p); /* as R's pnorm */
double occam__qnorm(double p, int lower_tail);           /* as R's qnorm (AS241) */
double occam__dnorm(double x);
double occam__pt(double t, double df, int lower_tail);    /* as R's pt */
double occam__pf(double f, double df1, double df2, int lower_tail); /* as R's pf */
double occam__pbeta(double x, double a, double b, int lower_tail);  /* regularized I_x(a, b) */
double occam__log1pmx(double x);  /* log(1 + x) - x, accurate for small x */

/* --------------------------------------------------------------- linalg.c */
/* The only file that calls CBLAS/LAPACKE.  Column-major throughout.  Every
 * int64 dimension is checked to fit 32 bits (OCCAM_E_TOO_LARGE). */

/* QR of [R; B] with R n x n upper triangular and B m x n (LAPACK dtpqrt):
 * R is overwritten by the new triangular factor, B by reflectors; B's last
 * l rows (0 <= l <= min(m, n)) are upper trapezoidal (l = m = n: B is
 * triangular too); t (the block reflector factor) and work are ib x n,
 * 1 <= ib <= n. */
int occam__la_tpqrt(int64_t m, int64_t n, int64_t l, double *r, int64_t ldr, double *b, int64_t ldb, double *t,
                    int64_t ib, double *work);
/* C += A' A (upper triangle), A m x n col-major. */
int occam__la_syrk_tn(int64_t n, int64_t k, const double *a, int64_t lda, double *c, int64_t ldc);
/* y = alpha * op(A) x + beta * y; trans 0/1; A m x n with layout. */
int occam__la_gemv(int layout, int trans, int64_t m, int64_t n, double alpha, const double *a,
                   int64_t lda, const double *x, double beta, double *y);
/* Inverse of R'R from upper-triangular R (n x n), in place (upper triangle
 * then mirrored to full). */
int occam__la_chol2inv(int64_t n, double *r, int64_t ldr);
/* Solve R x = b in place, R upper triangular n x n. */
int occam__la_trsv_upper(int64_t n, const double *r, int64_t ldr, double *b);
/* Solve R' x = b in place, R upper triangular n x n. */
int occam__la_trsv_upper_trans(int64_t n, const double *r, int64_t ldr, double *b);
/* Reciprocal condition number estimate (1-norm, LAPACK dtrcon) of the upper
 * triangular n x n R; 1 for n = 0. */
int occam__la_trcon_upper(int64_t n, const double *r, int64_t ldr, double *rcond);

/* ------------------------------------------------------------- parallel.c */

/* One range's work: rows [i0, i1) as part `part` of a split.  Returns
 * OCCAM_OK or a negative status with its message set (occam__fail). */
typedef int (*occam_range_fn)(void *ctx, int part, int64_t i0, int64_t i1);

/* Split rows [0, n) into occam__parallel_parts(parts, n) contiguous ranges (part t is
 * [n t / parts, n (t + 1) / parts)) and run fn on each: part 0 on the
 * calling thread, the others on POSIX threads (or here, after the others,
 * when a thread cannot be created); join all.  With one part, fn runs
 * directly.  Returns OCCAM_OK or the status of the lowest-numbered failing
 * part, whose message becomes the caller's occam_last_error(); or
 * OCCAM_E_NOMEM. */
int occam__parallel_ranges(int parts, int64_t n, occam_range_fn fn, void *ctx);
/* The number of ranges occam__parallel_ranges runs for `threads` threads
 * over n rows: min(threads, n), at least 1 (callers size per-part state). */
int occam__parallel_parts(int threads, int64_t n);

/* ------------------------------------------------------- lsq.c, lsq_solve.c */
/* Weighted least squares by row blocks (the "block contribution" design):
 * an accumulator takes rows of [sqrt(w) X | sqrt(w) z] in any number of
 * calls of any size, keeping the rows themselves while there are at most
 * k + 1 of them, then either the triangular factor R of a tall-skinny QR
 * (OCCAM_SOLVER_QR) or X'WX and X'Wz (OCCAM_SOLVER_CHOLESKY), absorbed in
 * blocks of occam__lsq_block_rows() consecutive rows counted from the first
 * row seen: the result does not depend on how the rows were split into
 * calls (a stream fed in chunks of 7 rows gives the bits of one call with
 * all rows).  occam__lsq_solve then applies R's limited column pivoting
 * (LINPACK dqrdc2 semantics) with tolerance tol. */

typedef struct occam_lsq occam_lsq;

typedef struct occam_lsq_result {
    int64_t k;          /* columns */
    int64_t rank;       /* kept (non-aliased) columns, at most min(rows, k) */
    double *coef;       /* k; aliased entries 0 */
    int *aliased;       /* k */
    double *cov_unscaled; /* rank x rank col-major: (R'R)^-1 over the kept columns in increasing order */
    double *R;          /* rank x rank col-major upper triangular factor of those columns */
    double rss;         /* weighted residual sum of squares of z */
} occam_lsq_result;

int occam__lsq_new(int64_t k, int solver, occam_lsq **out);
void occam__lsq_free(occam_lsq *acc);
/* Forget the rows seen (the accumulator is as new; buffers are kept). */
void occam__lsq_reset(occam_lsq *acc);
/* Rows per block the accumulator absorbs at once. */
int64_t occam__lsq_block_rows(const occam_lsq *acc);
int64_t occam__lsq_columns(const occam_lsq *acc);
int occam__lsq_solver(const occam_lsq *acc);
/* Add rows i0 .. i0+nb-1 (any nb >= 0) of the weighted system.  Column 0 is
 * the intercept when `intercept` (value 1), followed by the p = k -
 * intercept columns of X.  sw = sqrt(weights) (NULL = 1) and z hold the
 * nb values (sw[0] and z[0] belong to row i0). */
int occam__lsq_add_rows(occam_lsq *acc, const occam_matrix *X, int intercept, int64_t i0,
                        int64_t nb, const double *sw, const double *z);
/* Absorb the rows of an incomplete block (done by solve and merge; a
 * flushed accumulator's later blocks start at its next row). */
int occam__lsq_flush(occam_lsq *acc);
/* 1 when rows of an incomplete block wait in the buffer (flush them before
 * occam__lsq_view). */
int occam__lsq_pending(const occam_lsq *acc);
/* Add the rows src has seen to dst (same k and solver): the contributions of
 * disjoint row ranges combine as if dst had seen all of them (src's stored
 * rows are appended to dst's rows; otherwise both are flushed, then
 * Cholesky: dst's X'WX += src's; QR: the R factors are stacked and
 * re-factored with dtpqrt).  src is left unspecified: reset it before
 * reuse.  Errors: OCCAM_E_INTERNAL (mismatched accumulators),
 * OCCAM_E_LAPACK, OCCAM_E_NOMEM. */
int occam__lsq_merge(occam_lsq *dst, occam_lsq *src);
/* A copy of src, pending rows included (OCCAM_E_NOMEM). */
int occam__lsq_clone(const occam_lsq *src, occam_lsq **out);
/* An accumulator holding a state occam__lsq_view gave: form ROWS with m <=
 * k + 1 rows (a: m x (k + 1) row-major), or the solver's triangle form
 * with m = k + 1 (a: its upper triangle packed by columns, (k+1)(k+2)/2
 * numbers).  OCCAM_E_FORMAT when form, m, k and solver do not fit. */
int occam__lsq_import(int64_t k, int solver, int form, int64_t m, const double *a, occam_lsq **out);

/* What an accumulator holds, for the solver (lsq_solve.c). */
enum occam_lsq_form {
    OCCAM_LSQ_ROWS = 1, /* m <= k + 1 weighted rows, row-major: row i at a + i (k + 1) */
    OCCAM_LSQ_R = 2,    /* the (k+1) x (k+1) upper triangular factor, column-major */
    OCCAM_LSQ_GRAM = 3  /* [X z]'W[X z], (k+1) x (k+1) upper triangle, column-major */
};
typedef struct occam_lsq_view {
    int form;        /* enum occam_lsq_form */
    int64_t k, m;    /* columns of the design; rows held (k + 1 unless ROWS) */
    const double *a; /* borrowed from the accumulator */
} occam_lsq_view;
/* The state of an accumulator without pending rows (occam__lsq_pending 0). */
void occam__lsq_view(const occam_lsq *acc, occam_lsq_view *v);

/* Solve (pending rows are flushed first); res arrays are allocated here
 * (free with occam__lsq_result_free).  Errors: OCCAM_E_NOMEM, OCCAM_E_LAPACK. */
int occam__lsq_solve(occam_lsq *acc, double tol, occam_lsq_result *res);
void occam__lsq_result_free(occam_lsq_result *res);

/* OCCAM_SOLVER_AUTO (lsq_auto.c): *ok = 1 when res, solved from acc with
 * rank tolerance tol, may stand for R's pivoted QR: acc held rows (solved
 * by QR), or its X'WX is of full rank, no column's Cholesky diagonal over
 * its norm is below max(1e-3, 1e4 tol) and the column-scaled factor's
 * estimated reciprocal condition number is at least 1e-3; else *ok = 0
 * (accumulate the system by QR).  Errors: OCCAM_E_NOMEM, OCCAM_E_LAPACK. */
int occam__lsq_auto_ok(const occam_lsq *acc, const occam_lsq_result *res, double tol, int *ok);

/* ----------------------------------------------------------- lsq_refine.c */

/* u[i] = z[i] - (b[0] if intercept) - sum_j X[i, j] b[j + intercept] for all
 * X->n rows, accurate as if computed in twice the working precision
 * (Ogita-Rump-Oishi Dot2); with ulo != NULL the exact unevaluated sum
 * u[i] + ulo[i] of that result.  Coefficients that are 0 add nothing. */
void occam__lsq_residuals(const occam_matrix *X, int intercept, const double *b, const double *z, double *u,
                          double *ulo);
/* The gradient X'W(u + ulo) of a refinement step, summed by rows in any
 * number of calls: k columns (the intercept's first), OCCAM__GRAD_LANES
 * compensated chains each (s, c: k x lanes). */
enum { OCCAM__GRAD_LANES = 4 };
typedef struct occam_lsq_grad {
    int64_t k;
    double *s, *c;
} occam_lsq_grad;
int occam__lsq_grad_init(occam_lsq_grad *g, int64_t k);
void occam__lsq_grad_free(occam_lsq_grad *g);
/* Add X's n rows (row i is row row0 + i of the fit: its chain) with prior
 * weights w (NULL = 1) and residuals u + ulo (ulo NULL = 0); th, tl: n
 * scratch doubles. */
void occam__lsq_grad_add(occam_lsq_grad *g, const occam_matrix *X, int intercept, const double *w, const double *u,
                         const double *ulo, int64_t row0, double *th, double *tl);
/* dst += src, chain by chain. */
void occam__lsq_grad_merge(occam_lsq_grad *dst, const occam_lsq_grad *src);
/* The k gradient values. */
void occam__lsq_grad_value(const occam_lsq_grad *g, double *out);
/* The k values as unevaluated sums hi + lo (hi: grad_value's; lo NULL:
 * hi only), for a product with them that must not lose their last bits. */
void occam__lsq_grad_value2(const occam_lsq_grad *g, double *hi, double *lo);
/* *applies = 1 when the refinement step is made for res: eps cond(column-
 * scaled R) <= 1e-3 (OCCAM_E_NOMEM, OCCAM_E_LAPACK). */
int occam__lsq_refine_applies(const occam_lsq_result *res, int *applies);
/* The step d = (R'R)^-1 grad (k values, 0 for aliased columns) into d, and
 * res->coef += d unless a coefficient would leave the double range (then d
 * = 0 and the QR solution stays).  Errors: OCCAM_E_NOMEM, OCCAM_E_LAPACK. */
int occam__lsq_refine_solve(occam_lsq_result *res, const double *grad, double *d);
/* One step of iterative refinement of res (coef and the factor R of its
 * kept columns) for min sum w (z - X b)^2 (w prior weights, NULL = 1):
 * b += (R'R)^-1 X'W (z - X b) with accurate residuals and gradient, made
 * when eps cond(column-scaled R) <= 1e-3.  u (n) receives the residuals
 * z - X b of the returned b.  Errors: OCCAM_E_NOMEM, OCCAM_E_TOO_LARGE,
 * OCCAM_E_LAPACK. */
int occam__lsq_refine(const occam_matrix *X, int intercept, const double *w, const double *z, occam_lsq_result *res,
                      double *u);

/* ------------------------------------------------------- lsq_refine_cov.c */

/* One Newton step for res->cov_unscaled, C0 = (R'R)^-1 of the kept
 * columns: C1 = C0 + C0 (I - A C0) with both products summed by Dot2, A
 * = X'WX of all k columns as the unevaluated sums A + Alo, packed upper
 * by columns (entry (i, j), i <= j, at i + j (j + 1) / 2; aliased columns
 * are skipped).  C1 replaces C0 (*refined = 1) when the column-scaled
 * residual diag(A)^-1/2 (I - A C0) diag(A)^1/2 has inf-norm at most 1/2
 * (the step then at least halves the error) and C1 is finite with a
 * positive diagonal; else C0 stays (*refined = 0).  Errors:
 * OCCAM_E_NOMEM. */
int occam__lsq_refine_cov(occam_lsq_result *res, const double *A, const double *Alo, int *refined);

/* eta[i] = offset[i] + b0 + sum_j X[i, j] b[j + intercept] for rows
 * i0..i0+nb-1 (offset NULL = 0; the intercept coefficient is b[0]). */
int occam__linear_predictor(const occam_matrix *X, int intercept, const double *b,
                            const double *offset, int64_t i0, int64_t nb, double *eta);

/* The same sum in a fixed order with plain C arithmetic (no BLAS): each
 * row's value has the same bits whatever the block it is computed in and
 * on every machine running the same build.  Predictions use it (a model
 * and its copy predict bit-identically), and so do the GLM passes (a pass
 * fed in chunks of any size, or split over threads, evaluates each row
 * exactly as one call over all rows). */
void occam__linear_predictor_exact(const occam_matrix *X, int intercept, const double *b,
                                   const double *offset, int64_t i0, int64_t nb, double *eta);

#endif /* OCCAM_INTERNAL_H */
