/*
 * stream_internal.h -- private declarations of the streaming machinery:
 *   partial.c        the occam_partial object: one pass's contribution of
 *                    some rows (fork, add, merge, the identity checks)
 *   partial_io.c     its serialized form (magic "OCCP", version, kind, CRC-32)
 *   stream.c         the occam_stream object (the public pass loop) and the
 *                    callback form occam_model_fit_source
 *   stream_memory.c  an in-memory fit run as the same passes over row ranges
 * Each model kind that streams supplies two tables: occam_partial_ops (its
 * contribution: glm_pass.c, linear_pass.c, pnbd_pass.c) and occam_fit_ops
 * (its pass driver: glm_stream.c, linear_stream.c, pnbd_stream.c).
 */
#ifndef OCCAM_STREAM_INTERNAL_H
#define OCCAM_STREAM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* Partial kinds: the kind field of the serialized form (docs/format.md). */
enum occam_partial_kind { OCCAM__PARTIAL_LINEAR = 1, OCCAM__PARTIAL_GLM = 2, OCCAM__PARTIAL_PNBD = 3 };

/* A validated chunk of rows (nothing copied). */
typedef struct occam_rowset {
    occam_matrix X;                /* n x p, no intercept column */
    const double *y;               /* n responses */
    const double *w;               /* n prior weights, NULL when the fit has none */
    const double *offset;          /* n offsets, NULL when the fit has none */
    int64_t row0;                  /* number of the first row among the rows of the pass (0-based):
                                      global in a stream or an in-memory fit, local in a forked partial */
    int64_t shown0;                /* the first row's number in messages (0-based): row0 plus the
                                      partial's row base (occam_partial_set_row_base) */
} occam_rowset;

/* One kind's pass contribution (impl of an occam_partial).  Every entry
 * may assume validated arguments; each returns an occam status. */
typedef struct occam_partial_ops {
    int kind;         /* enum occam_partial_kind */
    const char *name; /* "linear", "glm" */
    int (*add)(occam_partial *pt, const occam_rowset *rows);
    /* src's rows after dst's; the two are of the same pass (same_pass) */
    int (*merge)(occam_partial *dst, const occam_partial *src);
    /* 1 when a and b are contributions to the same pass of the same fit,
     * else 0 with the reason in why */
    int (*same_pass)(const occam_partial *a, const occam_partial *b, char *why, size_t cap);
    /* OCCAM_OK when the pass may be split over partials (a pass reading
     * values indexed by row of the whole data, such as R's mustart, may not) */
    int (*can_fork)(const occam_partial *pt);
    /* a new empty contribution to the same pass */
    int (*fork)(const occam_partial *pt, void **impl);
    int (*write)(const occam_partial *pt, occam_writer *w);
    /* pt->p, inputs, nrows are read; read the kind's fields into a new impl */
    int (*read)(occam_partial *pt, const occam_reader *r);
    void (*free_impl)(void *impl);
    /* NULL: occam__rows_check's checks (X, y, weights, offset); else the
     * kind's own validation of a chunk, with occam__rows_check's contract
     * (Pareto/NBD: y and offset NULL, rows as occam_model_fit checks them) */
    int (*rows_check)(const occam_partial *pt, const double *X, int64_t nrows, int64_t ld, int layout,
                      const double *y, const double *weights, const double *offset, occam_rowset *rows);
} occam_partial_ops;

struct occam_partial {
    const occam_partial_ops *ops;
    int64_t p;     /* columns of X */
    int inputs;    /* OCCAM_STREAM_WEIGHTS | OCCAM_STREAM_OFFSET: what every chunk carries */
    int64_t nrows; /* rows added, merged ones included */
    int64_t row_base; /* rows before this partial's in messages (occam_partial_set_row_base) */
    int status;    /* OCCAM_OK, or the first error of an add or merge: a failed partial stays failed */
    void *sink;    /* in-memory fits: the kind's per-row results, written by add (never copied) */
    void *impl;
};

/* A partial owning impl (freed with it, also on failure). */
int occam__partial_new(const occam_partial_ops *ops, int64_t p, int inputs, void *impl, occam_partial **out);
/* Validate a chunk (ld, layout, y, the declared weights and offset present
 * and the others absent, finite values, weights >= 0) into *rows with row0 = pt->nrows. */
int occam__rows_check(const occam_partial *pt, const double *X, int64_t nrows, int64_t ld, int layout,
                      const double *y, const double *weights, const double *offset, occam_rowset *rows);
/* Add validated rows; an error makes pt failed. */
int occam__partial_add_rows(occam_partial *pt, const occam_rowset *rows);
/* OCCAM_OK when src may be merged into dst (neither failed, same kind,
 * columns, inputs and pass), else OCCAM_E_INVALID_ARG naming the
 * difference (or the failed partial's status). */
int occam__partial_compatible(const occam_partial *dst, const occam_partial *src);
/* Merge src into dst (compatible), an error makes dst failed. */
int occam__partial_merge_into(occam_partial *dst, const occam_partial *src);
/* An empty partial of the same pass as pt (sink not copied). */
int occam__partial_fork(const occam_partial *pt, occam_partial **out);
const occam_partial_ops *occam__partial_ops_for_kind(int kind);

extern const occam_partial_ops occam__glm_partial_ops;
extern const occam_partial_ops occam__linear_partial_ops;
extern const occam_partial_ops occam__pnbd_partial_ops;

/* A model kind's pass driver: what a fit does between passes. */
typedef struct occam_fit_ops {
    int model_kind;
    /* Check the options and the model's settings and start a fit of X with
     * p columns and the given inputs.  n_memory > 0: an in-memory fit of
     * n_memory rows (the driver may then predict its last iteration and
     * skip work; the results are the same); 0: a stream. */
    int (*begin)(occam_model *m, const occam_opts *opts, int64_t p, int inputs, int64_t n_memory, void **drv);
    /* done: the total of the pass step returned last, all rows seen (NULL
     * on the first call; step takes it over, also on error).  *next: the
     * next pass, an empty partial the caller owns, or NULL when the fit is
     * complete.  An error ends the fit. */
    int (*step)(void *drv, occam_partial *done, occam_partial **next);
    /* After step gave NULL: store the fit in m (unchanged on error).  sink:
     * the per-row results an in-memory fit wrote, owned by m on success,
     * or NULL.  Returns OK or the fit's warning status. */
    int (*finish)(void *drv, occam_model *m, void *sink);
    void (*free)(void *drv);
} occam_fit_ops;

extern const occam_fit_ops occam__glm_fit_ops;
extern const occam_fit_ops occam__linear_fit_ops;
extern const occam_fit_ops occam__pnbd_fit_ops;

/* Run an in-memory fit as passes over row ranges: every pass over rows
 * [0, n) split into occam__parallel_parts(threads, n) ranges, one partial
 * each (with the sink), merged in range order; then finish. */
int occam__fit_memory(const occam_fit_ops *ops, occam_model *m, const occam_opts *opts, const occam_matrix *X,
                      const double *y, const double *w, const double *offset, int threads, void *sink);

#endif /* OCCAM_STREAM_INTERNAL_H */
