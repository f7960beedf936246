/*
 * pnbd_pass_io.c -- the fields of a Pareto/NBD pattern table in the
 * partial-result format (partial_io.c; docs/format.md "Partial results",
 * kind 3):
 *
 *   300 i64 x 1   nobs: rows with weight > 0 (<= rows, >= the patterns)
 *   301 f64 x u   x     \
 *   302 f64 x u   t_x    | the u distinct patterns in canonical order
 *   303 f64 x u   T      | (x, then t_x, then T strictly increasing)
 *   304 f64 x u   count /  summed weights, finite and > 0
 *
 * The table is written sorted, so the bytes depend only on the patterns and
 * counts, not on the order rows were added or partials merged.  The reader
 * checks p = 3, no offset input, every pattern as occam_model_fit checks a
 * row, the strict order (hence distinct patterns, no -0.0), the counts, and
 * without weights that every count is a whole number and they sum to nobs.
 */
#include <math.h>
#include <stdlib.h>

#include "pnbd_pass.h"
#include "serialize.h"

enum { TAG_NOBS = 300, TAG_X = 301, TAG_TX = 302, TAG_T = 303, TAG_COUNT = 304 };

int occam__pnbd_table_write(const occam_partial *pt, occam_writer *w)
{
    const occam_pnbd_table *t = pt->impl;
    occam_pnbd_pattern *s = NULL;
    int rc = occam__pnbd_table_sorted(t, &s);
    if (rc != OCCAM_OK) return rc;
    int64_t n = t->n;
    double *col = malloc((size_t)(n > 0 ? n : 1) * 4 * sizeof *col);
    if (col == NULL) {
        free(s);
        return occam__fail(OCCAM_E_NOMEM, "out of memory writing %lld Pareto/NBD patterns", (long long)n);
    }
    for (int64_t k = 0; k < n; k++) {
        col[k] = s[k].x;
        col[n + k] = s[k].tx;
        col[2 * n + k] = s[k].T;
        col[3 * n + k] = s[k].count;
    }
    occam__w_i64_1(w, TAG_NOBS, t->nobs);
    occam__w_f64(w, TAG_X, col, (uint64_t)n);
    occam__w_f64(w, TAG_TX, col + n, (uint64_t)n);
    occam__w_f64(w, TAG_T, col + 2 * n, (uint64_t)n);
    occam__w_f64(w, TAG_COUNT, col + 3 * n, (uint64_t)n);
    free(col);
    free(s);
    return OCCAM_OK;
}

/* Validate the u patterns read (nobs rows). */
static int check_patterns(const occam_pnbd_pattern *pat, int64_t u, int64_t nobs, int weighted)
{
    int64_t total = 0;
    for (int64_t k = 0; k < u; k++) {
        const occam_pnbd_pattern *p = &pat[k];
        if (occam__pnbd_check_row(p->x, p->tx, p->T, k) != OCCAM_OK)
            return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD partial result: pattern %lld: %s", (long long)k + 1,
                               occam_last_error());
        if ((p->x == 0 && signbit(p->x)) || (p->tx == 0 && signbit(p->tx)) || (p->T == 0 && signbit(p->T)))
            return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD partial result: pattern %lld holds -0", (long long)k + 1);
        if (k > 0 && occam__pnbd_pattern_cmp(&pat[k - 1], p) >= 0)
            return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD partial result: pattern %lld is not after pattern %lld "
                               "(the patterns must be distinct and sorted)", (long long)k + 1, (long long)k);
        if (!isfinite(p->count) || !(p->count > 0))
            return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD partial result: pattern %lld has count %g (finite and "
                               "> 0 expected)", (long long)k + 1, p->count);
        if (!weighted) {
            if (p->count != floor(p->count) || p->count > (double)nobs)
                return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD partial result: pattern %lld has count %.17g, not "
                                   "a number of rows up to %lld", (long long)k + 1, p->count, (long long)nobs);
            total += (int64_t)p->count;
            if (total > nobs) break;
        }
    }
    if (!weighted && total != nobs)
        return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD partial result: the counts sum to %s%lld, not the %lld rows",
                           total > nobs ? "more than " : "", (long long)total, (long long)nobs);
    return OCCAM_OK;
}

int occam__pnbd_table_read(occam_partial *pt, const occam_reader *r)
{
    if (pt->p != 3)
        return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD partial result with %lld columns (3 expected)",
                           (long long)pt->p);
    if (pt->inputs & OCCAM_STREAM_OFFSET)
        return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD partial result with an offset input");
    int64_t nobs = 0;
    uint64_t u = 0;
    int rc = occam__r_i64_in(r, TAG_NOBS, 0, pt->nrows, &nobs);
    if (rc == OCCAM_OK) rc = occam__r_count(r, TAG_X, 1, &u);
    if (rc != OCCAM_OK) return rc;
    if (u > (uint64_t)nobs)
        return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD partial result: %llu patterns from %lld rows",
                           (unsigned long long)u, (long long)nobs);
    /* u <= the payload's size / 8 (the field parser checked the count) */
    double *col = malloc((size_t)(u > 0 ? u : 1) * 4 * sizeof *col);
    occam_pnbd_pattern *pat = malloc((size_t)(u > 0 ? u : 1) * sizeof *pat);
    occam_pnbd_table *t = NULL;
    if (col == NULL || pat == NULL) rc = occam__fail(OCCAM_E_NOMEM, "out of memory reading a Pareto/NBD partial result");
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_X, col, u);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_TX, col + u, u);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_T, col + 2 * u, u);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_COUNT, col + 3 * u, u);
    for (uint64_t k = 0; rc == OCCAM_OK && k < u; k++)
        pat[k] = (occam_pnbd_pattern){col[k], col[u + k], col[2 * u + k], col[3 * u + k]};
    if (rc == OCCAM_OK) rc = check_patterns(pat, (int64_t)u, nobs, (pt->inputs & OCCAM_STREAM_WEIGHTS) != 0);
    if (rc == OCCAM_OK) rc = occam__pnbd_table_new(&t);
    for (uint64_t k = 0; rc == OCCAM_OK && k < u; k++) rc = occam__pnbd_table_add(t, pat[k].x, pat[k].tx, pat[k].T, pat[k].count);
    free(col);
    free(pat);
    if (rc != OCCAM_OK) {
        occam__pnbd_table_free(t);
        return rc;
    }
    t->nobs = nobs;
    pt->impl = t;
    return OCCAM_OK;
}
