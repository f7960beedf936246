/*
 * stream.c -- the occam_stream object: a fit whose passes over the data the
 * caller drives (occam_stream_next / update / absorb / finish), and the
 * callback form occam_model_fit_source, where occam drives them.  The model
 * kind's driver (occam_fit_ops: glm_stream.c, linear_stream.c) decides what
 * each pass computes; this file keeps the order of calls, the pass's total
 * (an occam_partial) and the rule that a failed stream stays failed.
 */
#include <stdlib.h>

#include "stream_internal.h"

enum { ST_READY = 0, ST_PASS = 1, ST_DONE = 2, ST_FINISHED = 3 };

struct occam_stream {
    occam_model *m;
    const occam_fit_ops *ops;
    void *drv;
    occam_partial *cur; /* the current pass's total */
    int state;
    int status;         /* the first error: every later call returns it */
    int64_t pass;       /* number of the current pass */
};

static const occam_fit_ops *ops_for(const occam_model *m)
{
    switch (occam_model_kind(m)) {
    case OCCAM_MODEL_LINEAR: return &occam__linear_fit_ops;
    case OCCAM_MODEL_GLM: return &occam__glm_fit_ops;
    case OCCAM_MODEL_PNBD: return &occam__pnbd_fit_ops;
    default: return NULL;
    }
}

int occam_stream_new(occam_model *m, const occam_opts *opts, int64_t p, int inputs, occam_stream **out)
{
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_stream_new: out is NULL");
    *out = NULL;
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "occam_stream_new: model is NULL");
    const occam_fit_ops *ops = ops_for(m);
    if (ops == NULL)
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_stream_new: a %s model has no streamed fit", m->vt->name);
    if (p < 0) return occam__fail(OCCAM_E_INVALID_ARG, "occam_stream_new: p = %lld < 0", (long long)p);
    if (inputs & ~(OCCAM_STREAM_WEIGHTS | OCCAM_STREAM_OFFSET))
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_stream_new: unknown input flags %d", inputs);
    if (m->names != NULL && p != m->p)
        return occam__fail(OCCAM_E_DIM_MISMATCH, "occam_stream_new: %lld columns but the model names %lld",
                           (long long)p, (long long)m->p);
    occam_stream *s = calloc(1, sizeof *s);
    if (s == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for a stream");
    int rc = ops->begin(m, opts, p, inputs, 0, &s->drv);
    if (rc != OCCAM_OK) {
        free(s);
        return rc;
    }
    s->m = m;
    s->ops = ops;
    *out = s;
    return OCCAM_OK;
}

void occam_stream_free(occam_stream *s)
{
    if (s == NULL) return;
    occam_partial_free(s->cur);
    if (s->drv) s->ops->free(s->drv);
    free(s);
}

/* Record the first error and return it. */
static int fail(occam_stream *s, int rc)
{
    if (rc < 0 && s->status == OCCAM_OK) s->status = rc;
    return rc;
}

/* The status of an earlier failure, again with a message saying so. */
static int failed(const occam_stream *s, const char *fn)
{
    return occam__fail(s->status, "%s: the stream failed earlier (%s)", fn, occam_status_name(s->status));
}

int occam_stream_next(occam_stream *s, int *more)
{
    if (s == NULL || more == NULL)
        return occam__fail(OCCAM_E_NULL, "occam_stream_next: %s is NULL", s ? "more" : "stream");
    if (s->status != OCCAM_OK) return failed(s, "occam_stream_next");
    if (s->state == ST_FINISHED) return occam__fail(OCCAM_E_INVALID_ARG, "occam_stream_next: the stream is finished");
    if (s->state == ST_DONE) {
        *more = 0;
        return OCCAM_OK;
    }
    occam_partial *done = s->cur, *next = NULL;
    s->cur = NULL;
    int rc = s->ops->step(s->drv, done, &next);
    if (rc != OCCAM_OK) return fail(s, rc);
    if (done != NULL) s->pass++;
    s->cur = next;
    s->state = next ? ST_PASS : ST_DONE;
    *more = next != NULL;
    return OCCAM_OK;
}

/* A pass must be in progress (refusals do not fail the stream). */
static int need_pass(const occam_stream *s, const char *fn)
{
    if (s->status != OCCAM_OK) return failed(s, fn);
    if (s->state != ST_PASS)
        return occam__fail(OCCAM_E_INVALID_ARG, "%s: no pass in progress (%s)", fn,
                           s->state == ST_READY ? "call occam_stream_next first" : "the fit needs no more passes");
    return OCCAM_OK;
}

int occam_stream_update(occam_stream *s, const double *X, int64_t nrows, int64_t ld, int layout, const double *y,
                        const double *weights, const double *offset)
{
    if (s == NULL) return occam__fail(OCCAM_E_NULL, "occam_stream_update: stream is NULL");
    int rc = need_pass(s, "occam_stream_update");
    if (rc != OCCAM_OK) return rc;
    occam_rowset rows;
    rc = occam__rows_check(s->cur, X, nrows, ld, layout, y, weights, offset, &rows);
    if (rc == OCCAM_E_NULL) return rc;
    if (rc == OCCAM_OK) rc = occam__partial_add_rows(s->cur, &rows);
    return fail(s, rc);
}

int occam_stream_absorb(occam_stream *s, const occam_partial *pt)
{
    if (s == NULL || pt == NULL)
        return occam__fail(OCCAM_E_NULL, "occam_stream_absorb: %s is NULL", s ? "partial" : "stream");
    int rc = need_pass(s, "occam_stream_absorb");
    if (rc == OCCAM_OK) rc = occam__partial_compatible(s->cur, pt);
    if (rc == OCCAM_OK) rc = pt->ops->can_fork(pt);
    if (rc == OCCAM_E_INVALID_ARG) return rc; /* refused: the stream is as it was */
    if (rc == OCCAM_OK) rc = occam__partial_merge_into(s->cur, pt);
    return fail(s, rc);
}

int occam_partial_fork(const occam_stream *s, occam_partial **out)
{
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_partial_fork: out is NULL");
    *out = NULL;
    if (s == NULL) return occam__fail(OCCAM_E_NULL, "occam_partial_fork: stream is NULL");
    int rc = need_pass(s, "occam_partial_fork");
    if (rc == OCCAM_OK) rc = s->cur->ops->can_fork(s->cur);
    if (rc == OCCAM_OK) rc = occam__partial_fork(s->cur, out);
    return rc;
}

int occam_stream_pass(const occam_stream *s, int64_t *pass, int64_t *nrows)
{
    if (s == NULL) return occam__fail(OCCAM_E_NULL, "occam_stream_pass: stream is NULL");
    if (s->state == ST_READY) return occam__fail(OCCAM_E_INVALID_ARG, "occam_stream_pass: no pass begun");
    if (pass) *pass = s->pass;
    if (nrows) *nrows = s->cur ? s->cur->nrows : 0;
    return OCCAM_OK;
}

int occam_stream_finish(occam_stream *s)
{
    if (s == NULL) return occam__fail(OCCAM_E_NULL, "occam_stream_finish: stream is NULL");
    if (s->status != OCCAM_OK) return failed(s, "occam_stream_finish");
    if (s->state != ST_DONE)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_stream_finish: %s", s->state == ST_FINISHED
                           ? "the stream is finished already" : "the fit needs more passes (occam_stream_next)");
    int rc = s->ops->finish(s->drv, s->m, NULL);
    if (rc < 0) return fail(s, rc);
    s->state = ST_FINISHED;
    return rc;
}

/* ---------------------------------------------------------- callback form */

/* Feed every chunk of one pass. */
static int feed_pass(occam_stream *s, occam_source_fn source, void *ctx)
{
    for (int reset = 1;; reset = 0) {
        occam_chunk c = {NULL, 0, 0, OCCAM_COL_MAJOR, NULL, NULL, NULL};
        int rc = source(ctx, reset, &c);
        if (rc < 0) return occam__fail(rc, "the data source failed with %s in pass %lld", occam_status_name(rc),
                                       (long long)s->pass);
        if (rc > 0)
            return occam__fail(OCCAM_E_INVALID_ARG, "the data source returned %d (0 or a negative status expected)",
                               rc);
        if (c.nrows == 0) return OCCAM_OK;
        rc = occam_stream_update(s, c.X, c.nrows, c.ld, c.layout, c.y, c.weights, c.offset);
        if (rc != OCCAM_OK) return rc;
    }
}

int occam_model_fit_source(occam_model *m, const occam_opts *opts, int64_t p, int inputs, occam_source_fn source,
                           void *ctx)
{
    if (source == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_fit_source: source is NULL");
    occam_stream *s = NULL;
    int rc = occam_stream_new(m, opts, p, inputs, &s);
    int more = 1;
    while (rc == OCCAM_OK && (rc = occam_stream_next(s, &more)) == OCCAM_OK && more) rc = feed_pass(s, source, ctx);
    if (rc == OCCAM_OK) rc = occam_stream_finish(s);
    occam_stream_free(s);
    return rc;
}
