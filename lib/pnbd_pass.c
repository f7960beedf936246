/*
 * pnbd_pass.c -- the Pareto/NBD pass contribution: a chunk of customer rows
 * (x, t_x, T), each with a weight (customers per row, 1 without weights),
 * becomes a table of the distinct patterns with their summed weights.  The
 * log-likelihood of the rows is the count-weighted log-likelihood of the
 * table (the collapsed likelihood of CLVTools' pnbd and of occam_model_fit's
 * own collapse, pnbd_fit.c), so the fit needs only the table: memory
 * O(distinct patterns), one pass.  Tables merge by adding counts; the key is
 * the exact bits of the three doubles (with -0.0 taken as +0.0, which the
 * likelihood cannot tell apart).  Rows are validated as occam_model_fit
 * validates Pareto/NBD data (same statuses and messages, rows numbered from
 * the first of the stream, or of the partial).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pnbd_pass.h"

int occam__pnbd_table_new(occam_pnbd_table **out)
{
    *out = calloc(1, sizeof **out);
    if (*out == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for a Pareto/NBD pattern table");
    return OCCAM_OK;
}

void occam__pnbd_table_free(void *vt)
{
    occam_pnbd_table *t = vt;
    if (t == NULL) return;
    free(t->pat);
    free(t->slot);
    free(t);
}

static uint64_t bits_of(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

/* splitmix64's finalizer over the three keys. */
static uint64_t hash3(double x, double tx, double T)
{
    uint64_t h = bits_of(x) * 0x9e3779b97f4a7c15ULL;
    h ^= bits_of(tx) + 0x632be59bd9b4e019ULL + (h << 6) + (h >> 2);
    h ^= bits_of(T) + 0x85ebca6b0c2f4d11ULL + (h << 6) + (h >> 2);
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

static int same_key(const occam_pnbd_pattern *p, double x, double tx, double T)
{
    return bits_of(p->x) == bits_of(x) && bits_of(p->tx) == bits_of(tx) && bits_of(p->T) == bits_of(T);
}

/* Slot of the pattern, or of the empty slot where it would go. */
static int64_t find_slot(const occam_pnbd_table *t, double x, double tx, double T)
{
    uint64_t mask = (uint64_t)t->nslot - 1;
    for (uint64_t i = hash3(x, tx, T) & mask;; i = (i + 1) & mask) {
        int64_t k = t->slot[i];
        if (k == 0 || same_key(&t->pat[k - 1], x, tx, T)) return (int64_t)i;
    }
}

/* Room for one pattern more (the slot array kept at most half full). */
static int grow(occam_pnbd_table *t)
{
    if (t->n < t->cap) return OCCAM_OK;
    int64_t cap = t->cap ? 2 * t->cap : 64;
    if (cap > INT64_MAX / 4 / (int64_t)sizeof(occam_pnbd_pattern))
        return occam__fail(OCCAM_E_TOO_LARGE, "Pareto/NBD pattern table: too many distinct patterns");
    occam_pnbd_pattern *pat = realloc(t->pat, (size_t)cap * sizeof *pat);
    if (pat == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld Pareto/NBD patterns", (long long)cap);
    t->pat = pat;
    int64_t *slot = calloc((size_t)(2 * cap), sizeof *slot);
    if (slot == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld Pareto/NBD patterns", (long long)cap);
    free(t->slot);
    t->slot = slot;
    t->nslot = 2 * cap;
    t->cap = cap;
    for (int64_t k = 0; k < t->n; k++) t->slot[find_slot(t, t->pat[k].x, t->pat[k].tx, t->pat[k].T)] = k + 1;
    return OCCAM_OK;
}

int occam__pnbd_table_add(occam_pnbd_table *t, double x, double tx, double T, double count)
{
    x += 0.0; /* -0.0 -> +0.0 */
    tx += 0.0;
    T += 0.0;
    if (t->nslot > 0) {
        int64_t k = t->slot[find_slot(t, x, tx, T)];
        if (k > 0) {
            double c = t->pat[k - 1].count + count;
            if (!isfinite(c))
                return occam__fail(OCCAM_E_TOO_LARGE, "Pareto/NBD pattern (%g, %g, %g): the summed weight "
                                   "overflows", x, tx, T);
            t->pat[k - 1].count = c;
            return OCCAM_OK;
        }
    }
    int rc = grow(t);
    if (rc != OCCAM_OK) return rc;
    t->pat[t->n] = (occam_pnbd_pattern){x, tx, T, count};
    t->slot[find_slot(t, x, tx, T)] = ++t->n;
    return OCCAM_OK;
}

int occam__pnbd_pattern_cmp(const void *pa, const void *pb)
{
    const occam_pnbd_pattern *a = pa, *b = pb;
    if (a->x != b->x) return a->x < b->x ? -1 : 1;
    if (a->tx != b->tx) return a->tx < b->tx ? -1 : 1;
    if (a->T != b->T) return a->T < b->T ? -1 : 1;
    return 0;
}

int occam__pnbd_table_sorted(const occam_pnbd_table *t, occam_pnbd_pattern **out)
{
    *out = malloc((size_t)(t->n > 0 ? t->n : 1) * sizeof **out);
    if (*out == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory sorting %lld Pareto/NBD patterns",
                                         (long long)t->n);
    if (t->n > 0) memcpy(*out, t->pat, (size_t)t->n * sizeof **out);
    qsort(*out, (size_t)t->n, sizeof **out, occam__pnbd_pattern_cmp);
    return OCCAM_OK;
}

/* ------------------------------------------------- the partial kind */

/* occam__rows_check for Pareto/NBD: the checks of occam_model_fit (model.c,
 * then pnbd.c), in its order, on the chunk's rows. */
static int pnbd_rows_check(const occam_partial *pt, const double *X, int64_t nrows, int64_t ld, int layout,
                           const double *y, const double *weights, const double *offset, occam_rowset *rows)
{
    if (nrows < 0) return occam__fail(OCCAM_E_INVALID_ARG, "chunk of %lld rows", (long long)nrows);
    int64_t shown0 = pt->row_base + pt->nrows;
    *rows = (occam_rowset){{X, 0, 3, ld, layout}, NULL, weights, NULL, pt->nrows, shown0};
    if (y != NULL || offset != NULL)
        return occam__fail(OCCAM_E_INVALID_ARG, "Pareto/NBD fit: %s must be NULL (the data are the n x 3 "
                                                "summaries (x, t_x, T) in X)",
                           y != NULL ? "y" : "offset");
    int declared = (pt->inputs & OCCAM_STREAM_WEIGHTS) != 0;
    if (declared && weights == NULL && nrows > 0)
        return occam__fail(OCCAM_E_NULL, "weights is NULL but the fit was declared with weights");
    if (!declared && weights != NULL)
        return occam__fail(OCCAM_E_INVALID_ARG, "weights given but the fit was declared without weights "
                                                "(OCCAM_STREAM_WEIGHTS)");
    if (nrows == 0) return OCCAM_OK;
    int rc = occam__matrix_init(&rows->X, X, nrows, 3, ld, layout, "X");
    if (rc == OCCAM_OK) rc = occam__check_finite_matrix_at(&rows->X, "X", shown0);
    if (rc == OCCAM_OK) rc = occam__check_finite_vector_at(weights, nrows, "weights", shown0);
    for (int64_t i = 0; rc == OCCAM_OK && weights && i < nrows; i++)
        if (weights[i] < 0)
            rc = occam__fail(OCCAM_E_BAD_WEIGHTS, "weights must be >= 0: weight %g at row %lld", weights[i],
                             (long long)(shown0 + i + 1));
    for (int64_t i = 0; rc == OCCAM_OK && i < nrows; i++)
        rc = occam__pnbd_check_row(occam__mat_at(&rows->X, i, 0), occam__mat_at(&rows->X, i, 1),
                                   occam__mat_at(&rows->X, i, 2), shown0 + i);
    return rc;
}

static int pnbd_add(occam_partial *pt, const occam_rowset *rows)
{
    occam_pnbd_table *t = pt->impl;
    for (int64_t i = 0; i < rows->X.n; i++) {
        double w = rows->w ? rows->w[i] : 1.0;
        if (!(w > 0)) continue; /* weight-0 rows count as rows, not as customers */
        int rc = occam__pnbd_table_add(t, occam__mat_at(&rows->X, i, 0), occam__mat_at(&rows->X, i, 1),
                                       occam__mat_at(&rows->X, i, 2), w);
        if (rc != OCCAM_OK) return rc;
        t->nobs++;
    }
    return OCCAM_OK;
}

static int pnbd_merge(occam_partial *dst, const occam_partial *src)
{
    occam_pnbd_table *d = dst->impl;
    const occam_pnbd_table *s = src->impl;
    for (int64_t k = 0; k < s->n; k++) {
        int rc = occam__pnbd_table_add(d, s->pat[k].x, s->pat[k].tx, s->pat[k].T, s->pat[k].count);
        if (rc != OCCAM_OK) return rc;
    }
    d->nobs += s->nobs;
    return OCCAM_OK;
}

/* One pass, no coefficients: any two tables of the same columns and inputs
 * (checked by partial.c) belong together. */
static int pnbd_same_pass(const occam_partial *a, const occam_partial *b, char *why, size_t cap)
{
    (void)a, (void)b, (void)why, (void)cap;
    return 1;
}

static int pnbd_can_fork(const occam_partial *pt)
{
    (void)pt;
    return OCCAM_OK;
}

static int pnbd_fork(const occam_partial *pt, void **impl)
{
    (void)pt;
    occam_pnbd_table *t = NULL;
    int rc = occam__pnbd_table_new(&t);
    *impl = t;
    return rc;
}

const occam_partial_ops occam__pnbd_partial_ops = {
    OCCAM__PARTIAL_PNBD, "Pareto/NBD", pnbd_add, pnbd_merge, pnbd_same_pass, pnbd_can_fork, pnbd_fork,
    occam__pnbd_table_write, occam__pnbd_table_read, occam__pnbd_table_free, pnbd_rows_check,
};
