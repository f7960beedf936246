/*
 * pnbd_stream.c -- the Pareto/NBD fit driver of a stream (stream.c): one
 * pass over the customer rows builds the pattern table (pnbd_pass.c), then
 * occam_stream_finish runs the MLE of occam_model_fit (pnbd_fit.c) on the
 * table in canonical order, each pattern weighted by its count -- the data
 * occam_model_fit itself fits when it collapses identical rows, so the two
 * fits agree.  The options are copied at occam_stream_new.
 */
#include <stdlib.h>
#include <string.h>

#include "pnbd_pass.h"

typedef struct pnbd_driver {
    occam_opts *opts;        /* a copy, or NULL */
    int inputs;
    occam_partial *total;    /* the pass's total, after it ended */
    int done;
} pnbd_driver;

static void driver_free(void *vd)
{
    pnbd_driver *d = vd;
    if (d == NULL) return;
    occam_partial_free(d->total);
    occam_opts_free(d->opts);
    free(d);
}

static int driver_begin(occam_model *m, const occam_opts *opts, int64_t p, int inputs, int64_t n_memory, void **out)
{
    (void)m, (void)n_memory;
    if (p != 3) /* the model's names say 3 unless they were changed */
        return occam__fail(OCCAM_E_DIM_MISMATCH, "Pareto/NBD fit: X has %lld columns, need 3 (x, t_x, T)",
                           (long long)p);
    if (inputs & OCCAM_STREAM_OFFSET)
        return occam__fail(OCCAM_E_INVALID_ARG, "Pareto/NBD fit: offset must be NULL (the data are the n x 3 "
                                                "summaries (x, t_x, T) in X)");
    pnbd_driver *d = calloc(1, sizeof *d);
    if (d == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for a Pareto/NBD fit");
    int rc = occam__opts_clone(opts, &d->opts);
    if (rc != OCCAM_OK) {
        free(d);
        return rc;
    }
    d->inputs = inputs;
    *out = d;
    return OCCAM_OK;
}

static int driver_step(void *vd, occam_partial *done, occam_partial **next)
{
    pnbd_driver *d = vd;
    *next = NULL;
    if (done != NULL) { /* the one pass ended */
        d->total = done;
        d->done = 1;
        return OCCAM_OK;
    }
    occam_pnbd_table *t = NULL;
    int rc = occam__pnbd_table_new(&t);
    if (rc != OCCAM_OK) return rc;
    return occam__partial_new(&occam__pnbd_partial_ops, 3, d->inputs, t, next);
}

/* The table as fit data: canonical order, weights = counts. */
static int table_data(const occam_pnbd_table *t, occam_pnbd_data *out)
{
    memset(out, 0, sizeof *out);
    if (t->nobs == 0) return occam__fail(OCCAM_E_NO_DATA, "every weight is 0: no observations to fit");
    occam_pnbd_pattern *s = NULL;
    int rc = occam__pnbd_table_sorted(t, &s);
    if (rc != OCCAM_OK) return rc;
    int64_t n = t->n;
    out->x = malloc((size_t)n * 4 * sizeof(double));
    if (out->x == NULL) {
        free(s);
        return occam__fail(OCCAM_E_NOMEM, "Pareto/NBD fit: out of memory for %lld patterns", (long long)n);
    }
    out->tx = out->x + n;
    out->T = out->tx + n;
    out->w = out->T + n;
    out->n = n;
    for (int64_t k = 0; k < n; k++) {
        out->x[k] = s[k].x;
        out->tx[k] = s[k].tx;
        out->T[k] = s[k].T;
        out->w[k] = s[k].count;
        out->wsum += s[k].count;
    }
    free(s);
    out->nobs = t->nobs;
    out->collapsed = 1;
    return OCCAM_OK;
}

static int driver_finish(void *vd, occam_model *m, void *sink)
{
    (void)sink;
    pnbd_driver *d = vd;
    if (!d->done) return occam__fail(OCCAM_E_INTERNAL, "Pareto/NBD fit finished before its pass");
    occam_pnbd_data data;
    int rc = table_data(d->total->impl, &data);
    if (rc != OCCAM_OK) return rc;
    rc = occam__pnbd_fit_data(m, d->opts, &data, d->total->nrows);
    occam__pnbd_data_free(&data);
    return rc;
}

const occam_fit_ops occam__pnbd_fit_ops = {OCCAM_MODEL_PNBD, driver_begin, driver_step, driver_finish, driver_free};
