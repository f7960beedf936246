/*
 * events.c -- occam_events: a chunk of an event log (customer id, time) as
 * mergeable per-customer state, and the Pareto/NBD summaries (x, t_x, T)
 * of everything added or merged into it (conventions of
 * occam_pnbd_summarize_events, which is a wrapper over this file).  The
 * representation and the combine rules are described in events.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

enum { COMPACT_MIN = 1 << 16 };

/* ------------------------------------------------------------ keys */

uint64_t occam__ev_time_key(double t)
{
    uint64_t u;
    if (t == 0) t = 0.0; /* -0 -> +0 */
    memcpy(&u, &t, sizeof u);
    return (u >> 63) ? ~u : u | ((uint64_t)1 << 63);
}

double occam__ev_key_time(uint64_t k)
{
    uint64_t u = (k >> 63) ? k & ~((uint64_t)1 << 63) : ~k;
    double t;
    memcpy(&t, &u, sizeof t);
    return t;
}

double occam__ev_floor(const occam_events *e, double t)
{
    double P = e->merge_period;
    return P > 0 ? P * floor(t / P) : t;
}

/* ------------------------------------------------------------ runs */

void occam__ev_run_free(occam_ev_run *run)
{
    free(run->r);
    free(run->n);
    memset(run, 0, sizeof *run);
}

static int run_alloc(occam_ev_run *run, int64_t len, int counts)
{
    size_t m = (size_t)(len > 0 ? len : 1);
    run->r = malloc(m * sizeof *run->r);
    run->n = counts ? malloc(m * sizeof *run->n) : NULL;
    run->len = 0;
    if (run->r == NULL || (counts && run->n == NULL)) {
        occam__ev_run_free(run);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld event records", (long long)len);
    }
    return OCCAM_OK;
}

/* P = 0: collapse each customer's records (sorted, combined) to the first,
 * the last calibration and the last holdout record, in place. */
static int collapse(const occam_events *e, occam_ev_run *run)
{
    uint64_t endk = occam__ev_time_key(e->end);
    int64_t w = 0, len = run->len;
    for (int64_t s = 0; s < len;) {
        int64_t g = s + 1;
        while (g < len && run->r[g].id == run->r[s].id) g++;
        int64_t ncal = 0, nhold = 0, ical = -1, ihold = -1;
        for (int64_t j = s + 1; j < g; j++) {
            if (run->r[j].tk <= endk) {
                ncal += run->n[j];
                ical = j;
            } else {
                nhold += run->n[j];
                ihold = j;
            }
        }
        if (ncal > OCCAM_EV_MAX_COUNT || nhold > OCCAM_EV_MAX_COUNT)
            return occam__fail(OCCAM_E_TOO_LARGE, "more than 2^53 events of one customer");
        occam_ev_rec first = run->r[s], rc = ical >= 0 ? run->r[ical] : first, rh = ihold >= 0 ? run->r[ihold] : first;
        int64_t nfirst = run->n[s];
        run->r[w] = first;
        run->n[w++] = nfirst;
        if (ical >= 0) {
            run->r[w] = rc;
            run->n[w++] = ncal;
        }
        if (ihold >= 0) {
            run->r[w] = rh;
            run->n[w++] = nhold;
        }
        s = g;
    }
    run->len = w;
    return OCCAM_OK;
}

int occam__ev_merge_runs(const occam_events *e, const occam_ev_run *a, const occam_ev_run *b, occam_ev_run *out)
{
    int counts = e->merge_period == 0;
    int rc = run_alloc(out, a->len + b->len, counts);
    if (rc != OCCAM_OK) return rc;
    int64_t i = 0, j = 0, w = 0;
    while (i < a->len || j < b->len) {
        int take_a;
        if (i == a->len) take_a = 0;
        else if (j == b->len) take_a = 1;
        else {
            const occam_ev_rec *x = &a->r[i], *y = &b->r[j];
            if (x->id == y->id && x->tk == y->tk) { /* the same (customer, time): combine */
                out->r[w] = *x;
                if (counts) {
                    out->n[w] = a->n[i] + b->n[j];
                    if (out->n[w] > OCCAM_EV_MAX_COUNT) {
                        occam__ev_run_free(out);
                        return occam__fail(OCCAM_E_TOO_LARGE, "more than 2^53 events of one customer");
                    }
                }
                w++, i++, j++;
                continue;
            }
            take_a = x->id != y->id ? x->id < y->id : x->tk < y->tk;
        }
        if (take_a) {
            out->r[w] = a->r[i];
            if (counts) out->n[w] = a->n[i];
            i++;
        } else {
            out->r[w] = b->r[j];
            if (counts) out->n[w] = b->n[j];
            j++;
        }
        w++;
    }
    out->len = w;
    if (counts && (rc = collapse(e, out)) != OCCAM_OK) occam__ev_run_free(out);
    return rc;
}

/* Sorted raw records (one event each) -> a combined run written into the
 * buffers r (room for n) and cnt (P = 0; room for n). */
static void combine_sorted(const occam_events *e, const occam_ev_rec *sorted, int64_t n, occam_ev_rec *r, int64_t *cnt,
                           occam_ev_run *out)
{
    int64_t w = 0;
    for (int64_t i = 0; i < n; i++) {
        if (w > 0 && r[w - 1].id == sorted[i].id && r[w - 1].tk == sorted[i].tk) {
            if (cnt) cnt[w - 1]++;
            continue;
        }
        r[w] = sorted[i];
        if (cnt) cnt[w] = 1;
        w++;
    }
    out->r = r;
    out->n = e->merge_period == 0 ? cnt : NULL;
    out->len = w;
}

/* The pending records of e, sorted in place in `buf` (npend records, may be
 * e->pend itself), merged with main into *out. */
static int fold_pending(const occam_events *e, occam_ev_rec *buf, occam_ev_run *out)
{
    int64_t n = e->npend;
    occam_ev_rec *tmp = malloc((size_t)n * sizeof *tmp);
    int64_t *cnt = e->merge_period == 0 ? malloc((size_t)n * sizeof *cnt) : NULL;
    if (tmp == NULL || (e->merge_period == 0 && cnt == NULL)) {
        free(tmp);
        free(cnt);
        return occam__fail(OCCAM_E_NOMEM, "out of memory sorting %lld events", (long long)n);
    }
    occam__ev_sort(buf, tmp, n);
    occam_ev_run b;
    combine_sorted(e, buf, n, tmp, cnt, &b);
    int rc = occam__ev_merge_runs(e, &e->main, &b, out);
    free(tmp);
    free(cnt);
    return rc;
}

int occam__ev_compact(occam_events *e)
{
    if (e->npend == 0) return OCCAM_OK;
    occam_ev_run m;
    int rc = fold_pending(e, e->pend, &m); /* sorting pend in place loses nothing */
    if (rc != OCCAM_OK) return rc;
    occam__ev_run_free(&e->main);
    e->main = m;
    e->npend = 0;
    return OCCAM_OK;
}

int occam__ev_view(const occam_events *e, occam_ev_run *out, int *owned)
{
    *owned = 0;
    if (e->npend == 0) {
        *out = e->main;
        return OCCAM_OK;
    }
    occam_ev_rec *copy = malloc((size_t)e->npend * sizeof *copy);
    if (copy == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory sorting %lld events", (long long)e->npend);
    memcpy(copy, e->pend, (size_t)e->npend * sizeof *copy);
    int rc = fold_pending(e, copy, out);
    free(copy);
    if (rc == OCCAM_OK) *owned = 1;
    return rc;
}

int occam__ev_groups(const occam_ev_run *run, int64_t **start, int64_t *ngroups)
{
    int64_t g = 0;
    for (int64_t i = 0; i < run->len; i++) g += i == 0 || run->r[i].id != run->r[i - 1].id;
    int64_t *s = malloc((size_t)(g + 1) * sizeof *s);
    if (s == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld customers", (long long)g);
    g = 0;
    for (int64_t i = 0; i < run->len; i++)
        if (i == 0 || run->r[i].id != run->r[i - 1].id) s[g++] = i;
    s[g] = run->len;
    *start = s;
    *ngroups = g;
    return OCCAM_OK;
}

/* ------------------------------------------------------------ text order */

/* Sort the (key = 8 bytes of text at `depth`, tk = group) records a[0..n)
 * of text ids that agree on their first 8 depth bytes: most-significant-
 * digit radix sort with 64-bit digits, then by length when the ids are
 * exhausted (distinct ids of one state never tie). */
static void text_sort(const occam_events *e, const occam_ev_run *run, const int64_t *start, occam_ev_rec *a,
                      occam_ev_rec *tmp, int64_t n, size_t depth)
{
    for (int64_t i = 0; i < n; i++) {
        const unsigned char *p;
        size_t len;
        occam__ev_text_get(e->text, run->r[start[a[i].tk]].id, &p, &len);
        uint64_t v = 0;
        for (size_t k = depth; k < depth + 8; k++) v = (v << 8) | (k < len ? p[k] : 0u);
        a[i].id = v;
    }
    occam__ev_sort(a, tmp, n);
    for (int64_t i = 0; i < n;) {
        int64_t j = i + 1;
        while (j < n && a[j].id == a[i].id) j++;
        if (j - i > 1) {
            int longer = 0; /* does any id of the tie go on past these 8 bytes? */
            for (int64_t k = i; k < j && !longer; k++) {
                const unsigned char *p;
                size_t len;
                occam__ev_text_get(e->text, run->r[start[a[k].tk]].id, &p, &len);
                longer = len > depth + 8;
            }
            if (longer) {
                text_sort(e, run, start, a + i, tmp, j - i, depth + 8);
            } else { /* equal up to zero padding: the shorter id first */
                for (int64_t k = i + 1; k < j; k++) {
                    occam_ev_rec v = a[k];
                    int64_t m = k;
                    while (m > i && occam__ev_text_cmp(e->text, run->r[start[v.tk]].id,
                                                       run->r[start[a[m - 1].tk]].id) < 0) {
                        a[m] = a[m - 1];
                        m--;
                    }
                    a[m] = v;
                }
            }
        }
        i = j;
    }
}

int occam__ev_order(const occam_events *e, const occam_ev_run *run, const int64_t *start, int64_t ngroups,
                    int64_t **order)
{
    int64_t *o = malloc((size_t)(ngroups > 0 ? ngroups : 1) * sizeof *o);
    if (o == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory ordering %lld customers", (long long)ngroups);
    if (e->kind != OCCAM_EV_TEXT) { /* integer keys sort as the ids */
        for (int64_t g = 0; g < ngroups; g++) o[g] = g;
        *order = o;
        return OCCAM_OK;
    }
    occam_ev_rec *a = malloc((size_t)(ngroups > 0 ? ngroups : 1) * sizeof *a);
    occam_ev_rec *tmp = malloc((size_t)(ngroups > 0 ? ngroups : 1) * sizeof *tmp);
    if (a == NULL || tmp == NULL) {
        free(a);
        free(tmp);
        free(o);
        return occam__fail(OCCAM_E_NOMEM, "out of memory ordering %lld customers", (long long)ngroups);
    }
    for (int64_t g = 0; g < ngroups; g++) a[g].tk = (uint64_t)g;
    text_sort(e, run, start, a, tmp, ngroups, 0);
    for (int64_t g = 0; g < ngroups; g++) o[g] = (int64_t)a[g].tk;
    free(a);
    free(tmp);
    *order = o;
    return OCCAM_OK;
}

/* ------------------------------------------------------------ lifecycle */

int occam__ev_new_like(double cal_end, double merge_period, int kind, occam_events **out)
{
    occam_events *e = calloc(1, sizeof *e);
    if (e == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for an event state");
    e->cal_end = cal_end;
    e->merge_period = merge_period;
    e->end = merge_period > 0 ? merge_period * floor(cal_end / merge_period) : cal_end;
    e->kind = kind;
    if (kind == OCCAM_EV_TEXT) {
        int rc = occam__ev_text_new(&e->text);
        if (rc != OCCAM_OK) {
            free(e);
            return rc;
        }
    }
    *out = e;
    return OCCAM_OK;
}

int occam_events_new(double cal_end, double merge_period, occam_events **out)
{
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_events_new: out is NULL");
    *out = NULL;
    if (!isfinite(cal_end)) return occam__fail(OCCAM_E_NONFINITE, "occam_events_new: cal_end is not finite");
    if (!(merge_period >= 0) || !isfinite(merge_period))
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_events_new: merge_period = %g must be >= 0", merge_period);
    if (merge_period > 0 && !isfinite(merge_period * floor(cal_end / merge_period)))
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_events_new: cal_end / merge_period = %g / %g overflows",
                           cal_end, merge_period);
    return occam__ev_new_like(cal_end, merge_period, OCCAM_EV_NONE, out);
}

void occam_events_free(occam_events *e)
{
    if (e == NULL) return;
    occam__ev_run_free(&e->main);
    free(e->pend);
    occam__ev_text_free(e->text);
    free(e);
}

int occam_events_compact(occam_events *e)
{
    if (e == NULL) return occam__fail(OCCAM_E_NULL, "occam_events_compact: e is NULL");
    return occam__ev_compact(e);
}

/* ------------------------------------------------------------ adding events */

static int check_times(const occam_events *e, const double *times, int64_t n, const char *fn)
{
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(times[i]))
            return occam__fail(OCCAM_E_NONFINITE, "%s: time of event %lld is not finite", fn, (long long)i + 1);
        if (!isfinite(occam__ev_floor(e, times[i])))
            return occam__fail(OCCAM_E_INVALID_ARG, "%s: time of event %lld (%g) / merge_period overflows", fn,
                               (long long)i + 1, times[i]);
    }
    return OCCAM_OK;
}

static int reserve_pending(occam_events *e, int64_t n)
{
    if (e->npend + n <= e->pend_cap) return OCCAM_OK;
    int64_t cap = 2 * e->pend_cap > e->npend + n ? 2 * e->pend_cap : e->npend + n;
    occam_ev_rec *p = realloc(e->pend, (size_t)cap * sizeof *p);
    if (p == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld events", (long long)cap);
    e->pend = p;
    e->pend_cap = cap;
    return OCCAM_OK;
}

/* After npend grew from `before`: fold when the pending records reach half
 * the state (amortized O(1) copies per event); undo the add on failure. */
static int maybe_compact(occam_events *e, int64_t before)
{
    int64_t limit = e->main.len / 2 > COMPACT_MIN ? e->main.len / 2 : COMPACT_MIN;
    if (e->npend < limit) return OCCAM_OK;
    int rc = occam__ev_compact(e);
    if (rc != OCCAM_OK) e->npend = before;
    return rc;
}

static int check_add(const occam_events *e, const void *ids, const double *times, int64_t n, int kind,
                     const char *fn)
{
    if (e == NULL) return occam__fail(OCCAM_E_NULL, "%s: e is NULL", fn);
    if (n < 0) return occam__fail(OCCAM_E_INVALID_ARG, "%s: n < 0", fn);
    if (n > 0 && (ids == NULL || times == NULL))
        return occam__fail(OCCAM_E_NULL, "%s: %s is NULL", fn, ids ? "times" : "ids");
    if (e->kind != OCCAM_EV_NONE && e->kind != kind)
        return occam__fail(OCCAM_E_INVALID_ARG, "%s: this event state holds %s ids", fn,
                           e->kind == OCCAM_EV_INT ? "integer" : "text");
    return check_times(e, times, n, fn);
}

int occam_events_add(occam_events *e, const int64_t *ids, const double *times, int64_t n)
{
    int rc = check_add(e, ids, times, n, OCCAM_EV_INT, "occam_events_add");
    if (rc != OCCAM_OK || n == 0) return rc;
    if ((rc = reserve_pending(e, n)) != OCCAM_OK) return rc;
    int64_t before = e->npend;
    occam_ev_rec *p = e->pend + before;
    for (int64_t i = 0; i < n; i++) {
        p[i].id = occam__ev_int_key(ids[i]);
        p[i].tk = occam__ev_time_key(occam__ev_floor(e, times[i]));
    }
    int fresh = e->kind == OCCAM_EV_NONE;
    e->npend += n;
    e->kind = OCCAM_EV_INT;
    rc = maybe_compact(e, before);
    if (rc != OCCAM_OK && fresh) e->kind = OCCAM_EV_NONE; /* back to the empty state it was */
    return rc;
}

int occam_events_add_text(occam_events *e, const char *const *ids, const size_t *lens, const double *times,
                          int64_t n)
{
    const char *fn = "occam_events_add_text";
    int rc = check_add(e, ids, times, n, OCCAM_EV_TEXT, fn);
    if (rc != OCCAM_OK || n == 0) return rc;
    for (int64_t i = 0; i < n; i++)
        if (ids[i] == NULL && (lens == NULL || lens[i] > 0))
            return occam__fail(OCCAM_E_NULL, "%s: id of event %lld is NULL", fn, (long long)i + 1);
    if ((rc = reserve_pending(e, n)) != OCCAM_OK) return rc;
    int fresh = e->kind == OCCAM_EV_NONE;
    if (fresh && (rc = occam__ev_text_new(&e->text)) != OCCAM_OK) return rc;
    int64_t before = e->npend;
    occam_ev_rec *p = e->pend + before;
    for (int64_t i = 0; i < n && rc == OCCAM_OK; i++) {
        size_t len = lens ? lens[i] : strlen(ids[i]);
        rc = occam__ev_text_intern(e->text, len ? ids[i] : "", len, &p[i].id);
        p[i].tk = occam__ev_time_key(occam__ev_floor(e, times[i]));
    }
    if (rc == OCCAM_OK) {
        e->npend += n;
        e->kind = OCCAM_EV_TEXT;
        rc = maybe_compact(e, before);
    }
    if (rc != OCCAM_OK && fresh && e->npend == 0) { /* back to the empty state it was */
        occam__ev_text_free(e->text);
        e->text = NULL;
        e->kind = OCCAM_EV_NONE;
    }
    return rc;
}

/* ------------------------------------------------------------ merging */

/* The records of src (a text state) as a run over dst's text indices,
 * sorted: each src customer is interned in dst, and the customers' record
 * groups are emitted in the order of their new indices. */
static int text_run_into(occam_events *dst, const occam_events *src, const occam_ev_run *v, occam_ev_run *out)
{
    int64_t *start = NULL, ng = 0;
    int rc = occam__ev_groups(v, &start, &ng);
    occam_ev_rec *a = NULL, *tmp = NULL;
    if (rc == OCCAM_OK) {
        a = malloc((size_t)(ng > 0 ? ng : 1) * sizeof *a);
        tmp = malloc((size_t)(ng > 0 ? ng : 1) * sizeof *tmp);
        if (a == NULL || tmp == NULL) rc = occam__fail(OCCAM_E_NOMEM, "out of memory merging %lld customers", (long long)ng);
    }
    for (int64_t g = 0; rc == OCCAM_OK && g < ng; g++) {
        const unsigned char *p;
        size_t len;
        occam__ev_text_get(src->text, v->r[start[g]].id, &p, &len);
        rc = occam__ev_text_intern(dst->text, p, len, &a[g].id);
        a[g].tk = (uint64_t)g;
    }
    if (rc == OCCAM_OK) rc = run_alloc(out, v->len, v->n != NULL);
    if (rc == OCCAM_OK) {
        occam__ev_sort(a, tmp, ng);
        int64_t w = 0;
        for (int64_t k = 0; k < ng; k++) {
            int64_t g = (int64_t)a[k].tk;
            for (int64_t i = start[g]; i < start[g + 1]; i++, w++) {
                out->r[w].id = a[k].id;
                out->r[w].tk = v->r[i].tk;
                if (v->n) out->n[w] = v->n[i];
            }
        }
        out->len = w;
    }
    free(start);
    free(a);
    free(tmp);
    return rc;
}

int occam_events_merge(occam_events *dst, const occam_events *src)
{
    if (dst == NULL || src == NULL) return occam__fail(OCCAM_E_NULL, "occam_events_merge: %s is NULL", dst ? "src" : "dst");
    if (dst == src) return occam__fail(OCCAM_E_INVALID_ARG, "occam_events_merge: dst and src are the same state");
    if (!(dst->cal_end == src->cal_end) || !(dst->merge_period == src->merge_period))
        return occam__fail(OCCAM_E_INVALID_ARG,
                           "occam_events_merge: states differ in cal_end (%.17g vs %.17g) or merge_period (%.17g vs %.17g)",
                           dst->cal_end, src->cal_end, dst->merge_period, src->merge_period);
    if (src->kind == OCCAM_EV_NONE) return OCCAM_OK;
    if (dst->kind != OCCAM_EV_NONE && dst->kind != src->kind)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_events_merge: dst holds %s ids, src %s ids",
                           dst->kind == OCCAM_EV_INT ? "integer" : "text", src->kind == OCCAM_EV_INT ? "integer" : "text");
    int rc = occam__ev_compact(dst);
    if (rc != OCCAM_OK) return rc;
    occam_ev_run v, b, m;
    int owned = 0, fresh = dst->kind == OCCAM_EV_NONE;
    if ((rc = occam__ev_view(src, &v, &owned)) != OCCAM_OK) return rc;
    if (fresh && src->kind == OCCAM_EV_TEXT) rc = occam__ev_text_new(&dst->text);
    if (rc == OCCAM_OK && src->kind == OCCAM_EV_TEXT) {
        rc = text_run_into(dst, src, &v, &b);
        if (rc == OCCAM_OK) {
            rc = occam__ev_merge_runs(dst, &dst->main, &b, &m);
            occam__ev_run_free(&b);
        }
    } else if (rc == OCCAM_OK) {
        rc = occam__ev_merge_runs(dst, &dst->main, &v, &m);
    }
    if (owned) occam__ev_run_free(&v);
    if (rc != OCCAM_OK) {
        if (fresh) {
            occam__ev_text_free(dst->text);
            dst->text = NULL;
        }
        return rc;
    }
    occam__ev_run_free(&dst->main);
    dst->main = m;
    dst->kind = src->kind;
    return OCCAM_OK;
}

/* ------------------------------------------------------------ results */

/* What the queries share: the view, its customers and their order. */
typedef struct ev_query {
    occam_ev_run v;
    int owned;
    int64_t *start, ngroups, *order;
    int64_t eligible; /* customers whose first event is by the calibration end */
} ev_query;

static void query_free(ev_query *q)
{
    if (q->owned) occam__ev_run_free(&q->v);
    free(q->start);
    free(q->order);
}

static int query_open(const occam_events *e, ev_query *q)
{
    memset(q, 0, sizeof *q);
    int rc = occam__ev_view(e, &q->v, &q->owned);
    if (rc == OCCAM_OK) rc = occam__ev_groups(&q->v, &q->start, &q->ngroups);
    if (rc == OCCAM_OK) rc = occam__ev_order(e, &q->v, q->start, q->ngroups, &q->order);
    if (rc != OCCAM_OK) {
        query_free(q);
        return rc;
    }
    uint64_t endk = occam__ev_time_key(e->end);
    for (int64_t g = 0; g < q->ngroups; g++) q->eligible += q->v.r[q->start[g]].tk <= endk;
    return OCCAM_OK;
}

/* The count checks every query makes: NO_DATA, BUFFER_TOO_SMALL. */
static int query_room(const ev_query *q, const void *out, int64_t cap, int64_t *n_customers, const char *fn)
{
    *n_customers = q->eligible;
    if (q->eligible == 0)
        return occam__fail(OCCAM_E_NO_DATA, "%s: no customer has an event before the calibration end", fn);
    if (out == NULL || cap < q->eligible)
        return occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "%s: %lld customers, room for %lld", fn,
                           (long long)q->eligible, (long long)(out ? cap : 0));
    return OCCAM_OK;
}

int occam_events_summary(const occam_events *e, double *summary, double *first, double *x_star, int64_t cap,
                         int64_t *n_customers)
{
    const char *fn = "occam_events_summary";
    if (e == NULL || n_customers == NULL) return occam__fail(OCCAM_E_NULL, "%s: %s is NULL", fn, e ? "n_customers" : "e");
    if (cap < 0) return occam__fail(OCCAM_E_INVALID_ARG, "%s: cap < 0", fn);
    ev_query q;
    int rc = query_open(e, &q);
    if (rc == OCCAM_OK) rc = query_room(&q, summary, cap, n_customers, fn);
    uint64_t endk = occam__ev_time_key(e->end);
    double end = e->end;
    for (int64_t k = 0, out = 0; rc == OCCAM_OK && k < q.ngroups; k++) {
        int64_t g = q.order[k], s = q.start[g], stop = q.start[g + 1];
        if (q.v.r[s].tk > endk) continue;
        double t0 = occam__ev_key_time(q.v.r[s].tk), last = t0;
        int64_t x = (q.v.n ? q.v.n[s] : 1) - 1, xs = 0;
        for (int64_t j = s + 1; j < stop; j++) {
            int64_t c = q.v.n ? q.v.n[j] : 1;
            if (q.v.r[j].tk <= endk) {
                x += c;
                last = occam__ev_key_time(q.v.r[j].tk);
            } else {
                xs += c;
            }
        }
        summary[3 * out] = (double)x;
        summary[3 * out + 1] = x > 0 ? last - t0 : 0.0;
        summary[3 * out + 2] = end - t0;
        if (first) first[out] = t0;
        if (x_star) x_star[out] = (double)xs;
        out++;
    }
    query_free(&q);
    return rc;
}

int occam_events_ids(const occam_events *e, int64_t *ids, int64_t cap, int64_t *n_customers)
{
    const char *fn = "occam_events_ids";
    if (e == NULL || n_customers == NULL) return occam__fail(OCCAM_E_NULL, "%s: %s is NULL", fn, e ? "n_customers" : "e");
    if (cap < 0) return occam__fail(OCCAM_E_INVALID_ARG, "%s: cap < 0", fn);
    if (e->kind == OCCAM_EV_TEXT)
        return occam__fail(OCCAM_E_INVALID_ARG, "%s: this state holds text ids (occam_events_text_ids)", fn);
    ev_query q;
    int rc = query_open(e, &q);
    if (rc == OCCAM_OK) rc = query_room(&q, ids, cap, n_customers, fn);
    uint64_t endk = occam__ev_time_key(e->end);
    for (int64_t k = 0, out = 0; rc == OCCAM_OK && k < q.ngroups; k++) {
        int64_t s = q.start[q.order[k]];
        if (q.v.r[s].tk <= endk) ids[out++] = occam__ev_key_int(q.v.r[s].id);
    }
    query_free(&q);
    return rc;
}

int occam_events_text_ids(const occam_events *e, char *bytes, size_t bytes_cap, size_t *lens, int64_t cap,
                          size_t *bytes_needed, int64_t *n_customers)
{
    const char *fn = "occam_events_text_ids";
    if (e == NULL || n_customers == NULL || bytes_needed == NULL)
        return occam__fail(OCCAM_E_NULL, "%s: %s is NULL", fn, e ? (n_customers ? "bytes_needed" : "n_customers") : "e");
    if (cap < 0) return occam__fail(OCCAM_E_INVALID_ARG, "%s: cap < 0", fn);
    if (e->kind == OCCAM_EV_INT)
        return occam__fail(OCCAM_E_INVALID_ARG, "%s: this state holds integer ids (occam_events_ids)", fn);
    ev_query q;
    int rc = query_open(e, &q);
    uint64_t endk = occam__ev_time_key(e->end);
    size_t need = 0;
    for (int64_t g = 0; rc == OCCAM_OK && g < q.ngroups; g++) {
        if (q.v.r[q.start[g]].tk > endk) continue;
        const unsigned char *p;
        size_t len;
        occam__ev_text_get(e->text, q.v.r[q.start[g]].id, &p, &len);
        need += len;
    }
    *bytes_needed = need;
    if (rc == OCCAM_OK) rc = query_room(&q, lens, cap, n_customers, fn);
    if (rc == OCCAM_OK && (bytes_cap < need || (bytes == NULL && need > 0)))
        rc = occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "%s: %zu bytes of ids, room for %zu", fn, need,
                         bytes ? bytes_cap : (size_t)0);
    size_t pos = 0;
    for (int64_t k = 0, out = 0; rc == OCCAM_OK && k < q.ngroups; k++) {
        int64_t s = q.start[q.order[k]];
        if (q.v.r[s].tk > endk) continue;
        const unsigned char *p;
        size_t len;
        occam__ev_text_get(e->text, q.v.r[s].id, &p, &len);
        if (len) memcpy(bytes + pos, p, len);
        pos += len;
        lens[out++] = len;
    }
    query_free(&q);
    return rc;
}
