/*
 * stream_memory.c -- an in-memory fit (occam_model_fit) run as the passes of
 * a streamed one: the kind's driver asks for passes exactly as a stream
 * does, and each pass reads the rows [0, n) held in memory -- in one
 * partial, or split over OCCAM_OPT_THREADS row ranges whose partials are
 * merged in range order (lib/parallel.c).  The partials write the per-row
 * results (the sink) that only an in-memory fit has.
 */
#include <stdlib.h>

#include "stream_internal.h"

typedef struct memory_pass {
    occam_partial **parts;
    const occam_matrix *X;
    const double *y, *w, *offset;
} memory_pass;

/* Rows [i0, i1) of the data into part `part`. */
static int add_range(void *vctx, int part, int64_t i0, int64_t i1)
{
    const memory_pass *mp = vctx;
    const occam_matrix *X = mp->X;
    occam_rowset rows;
    rows.X = *X;
    rows.X.n = i1 - i0;
    rows.X.data = X->layout == OCCAM_COL_MAJOR ? X->data + i0 : X->data + i0 * X->ld;
    rows.y = mp->y + i0;
    rows.w = mp->w ? mp->w + i0 : NULL;
    rows.offset = mp->offset ? mp->offset + i0 : NULL;
    rows.row0 = i0;
    rows.shown0 = i0;
    return occam__partial_add_rows(mp->parts[part], &rows);
}

/* One pass over all rows into pt (its total). */
static int run_pass(occam_partial *pt, const occam_matrix *X, const double *y, const double *w, const double *offset,
                    int threads, void *sink)
{
    int parts = occam__parallel_parts(threads, X->n);
    occam_partial *one[1] = {pt};
    occam_partial **p = parts == 1 ? one : calloc((size_t)parts, sizeof *p);
    if (p == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for %d row ranges", parts);
    pt->sink = sink;
    p[0] = pt;
    int rc = OCCAM_OK;
    for (int t = 1; t < parts && rc == OCCAM_OK; t++) {
        rc = occam__partial_fork(pt, &p[t]);
        if (rc == OCCAM_OK) p[t]->sink = sink;
    }
    memory_pass mp = {p, X, y, w, offset};
    if (rc == OCCAM_OK) rc = occam__parallel_ranges(parts, X->n, add_range, &mp);
    for (int t = 1; t < parts && rc == OCCAM_OK; t++) rc = occam__partial_merge_into(pt, p[t]);
    if (parts > 1) {
        for (int t = 1; t < parts; t++) occam_partial_free(p[t]);
        free(p);
    }
    pt->sink = NULL;
    return rc;
}

int occam__fit_memory(const occam_fit_ops *ops, occam_model *m, const occam_opts *opts, const occam_matrix *X,
                      const double *y, const double *w, const double *offset, int threads, void *sink)
{
    int inputs = (w ? OCCAM_STREAM_WEIGHTS : 0) | (offset ? OCCAM_STREAM_OFFSET : 0);
    void *drv = NULL;
    int rc = ops->begin(m, opts, X->p, inputs, X->n, &drv);
    if (rc != OCCAM_OK) return rc;
    occam_partial *pass = NULL;
    while ((rc = ops->step(drv, pass, &pass)) == OCCAM_OK && pass != NULL) {
        rc = run_pass(pass, X, y, w, offset, threads, sink);
        if (rc != OCCAM_OK) break;
    }
    if (rc != OCCAM_OK) occam_partial_free(pass); /* a pass that failed was not handed back */
    if (rc == OCCAM_OK) rc = ops->finish(drv, m, sink);
    ops->free(drv);
    return rc;
}
