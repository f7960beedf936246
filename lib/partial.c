/*
 * partial.c -- the occam_partial object: one pass's contribution of some
 * rows to a fit, made from a stream (occam_partial_fork), fed with chunks
 * (occam_partial_add) and combined (occam_partial_merge,
 * occam_stream_absorb).  The kind's table (occam_partial_ops) does the
 * arithmetic; this file validates chunks, refuses contributions of other
 * passes or fits, and keeps a failed partial failed.
 */
#include <math.h>
#include <stdlib.h>

#include "stream_internal.h"

const occam_partial_ops *occam__partial_ops_for_kind(int kind)
{
    switch (kind) {
    case OCCAM__PARTIAL_LINEAR: return &occam__linear_partial_ops;
    case OCCAM__PARTIAL_GLM: return &occam__glm_partial_ops;
    case OCCAM__PARTIAL_PNBD: return &occam__pnbd_partial_ops;
    default: return NULL;
    }
}

int occam__partial_new(const occam_partial_ops *ops, int64_t p, int inputs, void *impl, occam_partial **out)
{
    occam_partial *pt = calloc(1, sizeof *pt);
    if (pt == NULL) {
        ops->free_impl(impl);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for a partial result");
    }
    pt->ops = ops;
    pt->p = p;
    pt->inputs = inputs;
    pt->impl = impl;
    *out = pt;
    return OCCAM_OK;
}

void occam_partial_free(occam_partial *pt)
{
    if (pt == NULL) return;
    if (pt->impl) pt->ops->free_impl(pt->impl);
    free(pt);
}

/* An optional per-row input: present exactly when declared (rows numbered from row0). */
static int check_input(const double *v, int declared, const char *name, int64_t n, int64_t row0)
{
    if (declared && v == NULL)
        return occam__fail(OCCAM_E_NULL, "%s is NULL but the fit was declared with %s", name, name);
    if (!declared && v != NULL)
        return occam__fail(OCCAM_E_INVALID_ARG, "%s given but the fit was declared without %s (OCCAM_STREAM_%s)",
                           name, name, name[0] == 'w' ? "WEIGHTS" : "OFFSET");
    return v ? occam__check_finite_vector_at(v, n, name, row0) : OCCAM_OK;
}

int occam__rows_check(const occam_partial *pt, const double *X, int64_t nrows, int64_t ld, int layout,
                      const double *y, const double *weights, const double *offset, occam_rowset *rows)
{
    if (pt->ops->rows_check) return pt->ops->rows_check(pt, X, nrows, ld, layout, y, weights, offset, rows);
    if (nrows < 0) return occam__fail(OCCAM_E_INVALID_ARG, "chunk of %lld rows", (long long)nrows);
    rows->row0 = pt->nrows;
    rows->shown0 = pt->row_base + pt->nrows;
    rows->y = y;
    rows->w = weights;
    rows->offset = offset;
    if (nrows == 0) { /* an empty chunk adds nothing */
        rows->X = (occam_matrix){X, 0, pt->p, ld, layout};
        return OCCAM_OK;
    }
    int rc = occam__matrix_init(&rows->X, X, nrows, pt->p, ld, layout, "X");
    if (rc != OCCAM_OK) return rc;
    if (y == NULL) return occam__fail(OCCAM_E_NULL, "y is NULL");
    /* occam_model_fit()'s checks and messages, rows numbered from the partial's first */
    rc = occam__check_finite_matrix_at(&rows->X, "X", rows->shown0);
    if (rc == OCCAM_OK) rc = occam__check_finite_vector_at(y, nrows, "y", rows->shown0);
    if (rc == OCCAM_OK)
        rc = check_input(weights, (pt->inputs & OCCAM_STREAM_WEIGHTS) != 0, "weights", nrows, rows->shown0);
    for (int64_t i = 0; rc == OCCAM_OK && weights && i < nrows; i++)
        if (weights[i] < 0)
            rc = occam__fail(OCCAM_E_BAD_WEIGHTS, "weights must be >= 0: weight %g at row %lld", weights[i],
                             (long long)(rows->shown0 + i + 1));
    if (rc == OCCAM_OK)
        rc = check_input(offset, (pt->inputs & OCCAM_STREAM_OFFSET) != 0, "offset", nrows, rows->shown0);
    return rc;
}

int occam__partial_add_rows(occam_partial *pt, const occam_rowset *rows)
{
    if (pt->status != OCCAM_OK) return pt->status;
    if (rows->X.n == 0) return OCCAM_OK;
    int rc = pt->ops->add(pt, rows);
    if (rc != OCCAM_OK) {
        pt->status = rc;
        return rc;
    }
    pt->nrows += rows->X.n;
    return OCCAM_OK;
}

int occam__partial_compatible(const occam_partial *dst, const occam_partial *src)
{
    if (dst->status != OCCAM_OK)
        return occam__fail(dst->status, "this partial result failed earlier (%s)", occam_status_name(dst->status));
    if (src->status != OCCAM_OK)
        return occam__fail(src->status, "the partial result to merge failed earlier (%s)",
                           occam_status_name(src->status));
    if (dst->ops != src->ops)
        return occam__fail(OCCAM_E_INVALID_ARG, "cannot merge a %s partial result into a %s one", src->ops->name,
                           dst->ops->name);
    if (dst->p != src->p || dst->inputs != src->inputs)
        return occam__fail(OCCAM_E_INVALID_ARG, "the partial results have different columns or inputs "
                           "(%lld and %lld columns, inputs %d and %d)", (long long)dst->p, (long long)src->p,
                           dst->inputs, src->inputs);
    char why[200];
    if (!dst->ops->same_pass(dst, src, why, sizeof why)) return occam__fail(OCCAM_E_INVALID_ARG, "%s", why);
    return OCCAM_OK;
}

int occam__partial_merge_into(occam_partial *dst, const occam_partial *src)
{
    int rc = occam__partial_compatible(dst, src);
    if (rc != OCCAM_OK) return rc;
    if (src->nrows > INT64_MAX - dst->nrows) /* row counts read from bytes may be that large */
        return occam__fail(OCCAM_E_TOO_LARGE, "merging partial results of %lld and %lld rows: more than 2^63 - 1",
                           (long long)dst->nrows, (long long)src->nrows);
    rc = dst->ops->merge(dst, src);
    if (rc != OCCAM_OK) {
        dst->status = rc;
        return rc;
    }
    dst->nrows += src->nrows;
    return OCCAM_OK;
}

int occam__partial_fork(const occam_partial *pt, occam_partial **out)
{
    void *impl = NULL;
    int rc = pt->ops->fork(pt, &impl);
    if (rc != OCCAM_OK) return rc;
    return occam__partial_new(pt->ops, pt->p, pt->inputs, impl, out);
}

/* ------------------------------------------------------------ public API */

int occam_partial_add(occam_partial *pt, const double *X, int64_t nrows, int64_t ld, int layout, const double *y,
                      const double *weights, const double *offset)
{
    if (pt == NULL) return occam__fail(OCCAM_E_NULL, "occam_partial_add: partial is NULL");
    if (pt->status != OCCAM_OK)
        return occam__fail(pt->status, "occam_partial_add: the partial result failed earlier (%s)",
                           occam_status_name(pt->status));
    occam_rowset rows;
    int rc = occam__rows_check(pt, X, nrows, ld, layout, y, weights, offset, &rows);
    if (rc == OCCAM_OK) return occam__partial_add_rows(pt, &rows);
    if (rc != OCCAM_E_NULL) pt->status = rc; /* bad data: the partial cannot be complete */
    return rc;
}

int occam_partial_merge(occam_partial *dst, const occam_partial *src)
{
    if (dst == NULL || src == NULL)
        return occam__fail(OCCAM_E_NULL, "occam_partial_merge: %s is NULL", dst ? "src" : "dst");
    if (dst == src) return occam__fail(OCCAM_E_INVALID_ARG, "occam_partial_merge: dst and src are the same partial");
    return occam__partial_merge_into(dst, src);
}

int occam_partial_set_row_base(occam_partial *pt, int64_t rows_before)
{
    if (pt == NULL) return occam__fail(OCCAM_E_NULL, "occam_partial_set_row_base: partial is NULL");
    if (rows_before < 0)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_partial_set_row_base: %lld rows before (< 0)",
                           (long long)rows_before);
    pt->row_base = rows_before;
    return OCCAM_OK;
}

int occam_partial_rows(const occam_partial *pt, int64_t *nrows)
{
    if (pt == NULL || nrows == NULL)
        return occam__fail(OCCAM_E_NULL, "occam_partial_rows: %s is NULL", pt ? "nrows" : "partial");
    *nrows = pt->nrows;
    return OCCAM_OK;
}
