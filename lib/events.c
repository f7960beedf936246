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

enum { COMPACT_MIN = 1 << 20 };

/* ------------------------------------------------------------ keys */

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
    free(run->v);
    memset(run, 0, sizeof *run);
}

static int run_alloc(occam_ev_run *run, int64_t len, int counts, int values)
{
    size_t m = (size_t)(len > 0 ? len : 1);
    run->r = malloc(m * sizeof *run->r);
    run->n = counts ? malloc(m * sizeof *run->n) : NULL;
    run->v = values ? malloc(m * sizeof *run->v) : NULL;
    run->len = 0;
    if (run->r == NULL || (counts && run->n == NULL) || (values && run->v == NULL)) {
        occam__ev_run_free(run);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld event records", (long long)len);
    }
    return OCCAM_OK;
}

/* Room for `need` records in main (and their counts when P = 0). */
static int reserve_main(occam_events *e, int64_t need)
{
    if (need <= e->main_cap) return OCCAM_OK;
    int64_t cap = e->main_cap + e->main_cap / 4 > need ? e->main_cap + e->main_cap / 4 : need;
    occam_ev_rec *r = realloc(e->main.r, (size_t)cap * sizeof *r);
    if (r == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld event records", (long long)cap);
    e->main.r = r;
    if (e->merge_period == 0) {
        int64_t *n = realloc(e->main.n, (size_t)cap * sizeof *n);
        if (n == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld event records", (long long)cap);
        e->main.n = n;
    }
    if (e->valued) {
        occam_ev_val *v = realloc(e->main.v, (size_t)cap * sizeof *v);
        if (v == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld event records", (long long)cap);
        e->main.v = v;
    }
    e->main_cap = cap;
    return OCCAM_OK;
}

static int64_t max_count(const occam_ev_run *run)
{
    int64_t m = 0;
    for (int64_t i = 0; run->n && i < run->len; i++) m = run->n[i] > m ? run->n[i] : m;
    return m;
}

/* Whether absorbing b (largest count bmax) keeps every count <= 2^53: a
 * customer's collapsed counts add at most two records of each side. */
static int counts_fit(const occam_events *e, int64_t bmax)
{
    if (e->merge_period > 0 || max_count(&e->main) + bmax <= OCCAM_EV_MAX_COUNT / 2) return OCCAM_OK;
    return occam__fail(OCCAM_E_TOO_LARGE, "more than 2^52 events of one customer");
}

/* P = 0: collapse each customer's records (sorted, combined) to the first,
 * the last calibration and the last holdout record, in place. */
static void collapse(const occam_events *e, occam_ev_run *run)
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
}

/* Merge the sorted combined run b into main, in place from the back (main
 * has room for main.len + b->len records: reserve_main, counts_fit first;
 * nothing here fails).  Equal (customer, time) records combine: one record
 * when P > 0 (its value sums added in a valued state), counts added when
 * P = 0, which then collapses. */
static void absorb(occam_events *e, const occam_ev_run *b)
{
    occam_ev_run *a = &e->main;
    int cnt = e->merge_period == 0, val = e->valued;
    int64_t i = a->len - 1, j = b->len - 1, w = a->len + b->len - 1;
    while (j >= 0) { /* w - i > j: a's unread records are never overwritten */
        const occam_ev_rec *x = i >= 0 ? &a->r[i] : NULL, *y = &b->r[j];
        if (x && (x->id > y->id || (x->id == y->id && x->tk > y->tk))) {
            a->r[w] = *x;
            if (cnt) a->n[w] = a->n[i];
            if (val) a->v[w] = a->v[i];
            i--;
        } else if (x && x->id == y->id && x->tk == y->tk) {
            a->r[w] = *x;
            if (cnt) a->n[w] = a->n[i] + b->n[j];
            if (val) a->v[w] = occam__ev_val_add(a->v[i], b->v[j]);
            i--;
            j--;
        } else {
            a->r[w] = *y;
            if (cnt) a->n[w] = b->n[j];
            if (val) a->v[w] = b->v[j];
            j--;
        }
        w--;
    }
    int64_t tail = a->len + b->len - 1 - w; /* merged records at w + 1 .. */
    if (w > i) {
        memmove(a->r + i + 1, a->r + w + 1, (size_t)tail * sizeof *a->r);
        if (cnt) memmove(a->n + i + 1, a->n + w + 1, (size_t)tail * sizeof *a->n);
        if (val) memmove(a->v + i + 1, a->v + w + 1, (size_t)tail * sizeof *a->v);
    }
    a->len = i + 1 + tail;
    if (cnt) collapse(e, a);
}

/* P > 0: merge the sorted raw records b[0..n) (equal ones possible) into
 * main, in place from the back (room for main.len + n: reserve_main first),
 * keeping one record of each (customer, period): the combine and the merge
 * of absorb in one pass, without branches on the data (which of the two
 * runs goes next is not predictable). */
static void absorb_raw(occam_events *e, const occam_ev_rec *b, int64_t n)
{
    occam_ev_rec *a = e->main.r;
    int64_t i = e->main.len - 1, j = n - 1, top = e->main.len + n - 1, w = top;
    uint64_t lid = 0, ltk = 0; /* the last record written (none while w == top) */
    while (j >= 0) { /* w - i > j: a's unread records are never overwritten */
        uint64_t yid = b[j].id, ytk = b[j].tk, xid = i >= 0 ? a[i].id : 0, xtk = i >= 0 ? a[i].tk : 0;
        int has = i >= 0, gt = has & ((xid > yid) | ((xid == yid) & (xtk > ytk)));
        int eq = has & (xid == yid) & (xtk == ytk), take_a = gt | eq;
        uint64_t oid = take_a ? xid : yid, otk = take_a ? xtk : ytk;
        int dup = (w < top) & (oid == lid) & (otk == ltk);
        a[w].id = oid;
        a[w].tk = otk;
        lid = oid;
        ltk = otk;
        w -= !dup;
        i -= take_a;
        j -= !gt;
    }
    int64_t tail = top - w; /* merged records at w + 1 .. top */
    if (w > i) memmove(a + i + 1, a + w + 1, (size_t)tail * sizeof *a);
    e->main.len = i + 1 + tail;
}

/* Sorted raw records (one event each) -> combined in place, counts into cnt
 * (P = 0; room for n). */
static void combine_sorted(const occam_events *e, occam_ev_rec *r, int64_t n, int64_t *cnt, occam_ev_run *out)
{
    int64_t w = 0;
    for (int64_t i = 0; i < n; i++) {
        if (w > 0 && r[w - 1].id == r[i].id && r[w - 1].tk == r[i].tk) {
            if (cnt) cnt[w - 1]++;
            continue;
        }
        r[w] = r[i];
        if (cnt) cnt[w] = 1;
        w++;
    }
    out->r = r;
    out->n = e->merge_period == 0 ? cnt : NULL;
    out->len = w;
}

int occam__ev_compact(occam_events *e)
{
    int64_t n = e->npend;
    if (n == 0) return OCCAM_OK;
    int rc = counts_fit(e, n);
    if (rc == OCCAM_OK) rc = reserve_main(e, e->main.len + n);
    if (rc == OCCAM_OK) rc = occam__ev_sort(e->pend, n, &e->scratch); /* reordering pend loses nothing */
    if (rc == OCCAM_OK && e->merge_period == 0 && e->scratch.cap < (size_t)n * sizeof(int64_t)) {
        void *p = realloc(e->scratch.buf, (size_t)n * sizeof(int64_t));
        if (p == NULL) rc = occam__fail(OCCAM_E_NOMEM, "out of memory for %lld event counts", (long long)n);
        else {
            e->scratch.buf = p;
            e->scratch.cap = (size_t)n * sizeof(int64_t);
        }
    }
    if (rc != OCCAM_OK) return rc;
    occam_ev_run b; /* from here on nothing fails */
    if (e->valued) {
        if ((rc = occam__ev_valued_run(e, &b)) != OCCAM_OK) return rc;
        absorb(e, &b);
        occam__ev_run_free(&b);
    } else if (e->merge_period > 0) {
        absorb_raw(e, e->pend, n);
    } else {
        combine_sorted(e, e->pend, n, e->scratch.buf, &b);
        absorb(e, &b);
    }
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
    /* a private copy of main and the pending records, compacted */
    occam_events c = *e;
    c.scratch = (occam_ev_scratch){NULL, 0};
    c.pend_cap = c.main_cap = 0;
    int rc = run_alloc(&c.main, e->main.len + e->npend, e->merge_period == 0, e->valued);
    c.pend = rc == OCCAM_OK ? malloc((size_t)e->npend * sizeof *c.pend) : NULL;
    c.pendv = rc == OCCAM_OK && e->valued ? malloc((size_t)e->npend * sizeof *c.pendv) : NULL;
    if (rc == OCCAM_OK && (c.pend == NULL || (e->valued && c.pendv == NULL)))
        rc = occam__fail(OCCAM_E_NOMEM, "out of memory for %lld events", (long long)e->npend);
    if (rc == OCCAM_OK) {
        c.main_cap = e->main.len + e->npend;
        c.main.len = e->main.len;
        if (e->main.len) {
            memcpy(c.main.r, e->main.r, (size_t)e->main.len * sizeof *c.main.r);
            if (c.main.n) memcpy(c.main.n, e->main.n, (size_t)e->main.len * sizeof *c.main.n);
            if (c.main.v) memcpy(c.main.v, e->main.v, (size_t)e->main.len * sizeof *c.main.v);
        }
        memcpy(c.pend, e->pend, (size_t)e->npend * sizeof *c.pend);
        if (c.pendv) memcpy(c.pendv, e->pendv, (size_t)e->npend * sizeof *c.pendv);
        rc = occam__ev_compact(&c);
    }
    free(c.pend);
    free(c.pendv);
    free(c.scratch.buf);
    if (rc != OCCAM_OK) {
        occam__ev_run_free(&c.main);
        return rc;
    }
    *out = c.main;
    *owned = 1;
    return OCCAM_OK;
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
 * of text ids that agree on their first `depth` bytes: most-significant-
 * digit radix sort with 64-bit digits, then by length when the ids are
 * exhausted (distinct ids of one state never tie). */
static int text_sort(const occam_events *e, const occam_ev_run *run, const int64_t *start, occam_ev_rec *a,
                     occam_ev_scratch *sc, int64_t n, size_t depth)
{
    for (int64_t i = 0; i < n; i++) {
        const unsigned char *p;
        size_t len;
        occam__ev_text_get(e->text, run->r[start[a[i].tk]].id, &p, &len);
        uint64_t v = 0;
        for (size_t k = depth; k < depth + 8; k++) v = (v << 8) | (k < len ? p[k] : 0u);
        a[i].id = v;
    }
    int rc = occam__ev_sort(a, n, sc);
    for (int64_t i = 0; rc == OCCAM_OK && i < n;) {
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
                rc = text_sort(e, run, start, a + i, sc, j - i, depth + 8);
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
    return rc;
}

int occam__ev_text_order(const occam_events *e, const occam_ev_run *run, const int64_t *start, int64_t ngroups,
                         int64_t **order)
{
    int64_t *o = malloc((size_t)(ngroups > 0 ? ngroups : 1) * sizeof *o);
    occam_ev_rec *a = malloc((size_t)(ngroups > 0 ? ngroups : 1) * sizeof *a);
    occam_ev_scratch sc = {NULL, 0};
    int rc = o && a ? OCCAM_OK : occam__fail(OCCAM_E_NOMEM, "out of memory ordering %lld customers", (long long)ngroups);
    for (int64_t g = 0; rc == OCCAM_OK && g < ngroups; g++) a[g].tk = (uint64_t)g;
    if (rc == OCCAM_OK) rc = text_sort(e, run, start, a, &sc, ngroups, 0);
    for (int64_t g = 0; rc == OCCAM_OK && g < ngroups; g++) o[g] = (int64_t)a[g].tk;
    free(a);
    free(sc.buf);
    if (rc != OCCAM_OK) {
        free(o);
        return rc;
    }
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

int occam_events_new_valued(double cal_end, double merge_period, occam_events **out)
{
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_events_new_valued: out is NULL");
    *out = NULL;
    if (isfinite(merge_period) && merge_period == 0)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_events_new_valued: values need merge_period > 0 (the value "
                                                "of a purchase period is the sum of its events' values)");
    int rc = occam_events_new(cal_end, merge_period, out);
    if (rc == OCCAM_OK) (*out)->valued = 1;
    return rc;
}

void occam_events_free(occam_events *e)
{
    if (e == NULL) return;
    occam__ev_run_free(&e->main);
    free(e->pend);
    free(e->pendv);
    free(e->scratch.buf);
    occam__ev_text_free(e->text);
    free(e);
}

int occam_events_compact(occam_events *e)
{
    if (e == NULL) return occam__fail(OCCAM_E_NULL, "occam_events_compact: e is NULL");
    int rc = occam__ev_compact(e);
    if (rc != OCCAM_OK) return rc;
    /* give back the buffers of adding (they grow again when needed) and
     * the state's spare room */
    free(e->pend);
    free(e->pendv);
    e->pend = NULL;
    e->pendv = NULL;
    e->pend_cap = 0;
    free(e->scratch.buf);
    e->scratch = (occam_ev_scratch){NULL, 0};
    if (e->main.len > 0 && e->main.len < e->main_cap) {
        occam_ev_rec *r = realloc(e->main.r, (size_t)e->main.len * sizeof *r);
        int64_t *n = e->main.n ? realloc(e->main.n, (size_t)e->main.len * sizeof *n) : NULL;
        occam_ev_val *v = e->main.v ? realloc(e->main.v, (size_t)e->main.len * sizeof *v) : NULL;
        if (r) e->main.r = r;
        if (n) e->main.n = n;
        if (v) e->main.v = v;
        e->main_cap = e->main.len; /* each buffer holds at least len, shrunk or not */
    }
    return OCCAM_OK;
}

/* ------------------------------------------------------------ adding events */

/* The time keys of n events into p[0..n).tk, checking each time. */
static int time_keys(const occam_events *e, const double *times, int64_t n, occam_ev_rec *p, const char *fn)
{
    double P = e->merge_period;
    for (int64_t i = 0; i < n; i++) {
        double t = times[i], f = P > 0 ? P * floor(t / P) : t;
        if (!isfinite(f)) {
            if (!isfinite(t))
                return occam__fail(OCCAM_E_NONFINITE, "%s: time of event %lld is not finite", fn, (long long)i + 1);
            return occam__fail(OCCAM_E_INVALID_ARG, "%s: time of event %lld (%g) / merge_period overflows", fn,
                               (long long)i + 1, t);
        }
        p[i].tk = occam__ev_time_key(f);
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
    if (e->valued) {
        double *v = realloc(e->pendv, (size_t)cap * sizeof *v);
        if (v == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld events", (long long)cap);
        e->pendv = v;
    }
    e->pend_cap = cap;
    return OCCAM_OK;
}

/* After npend grew from `before`: fold when the pending records reach the
 * state's size (or COMPACT_MIN): each compaction at most doubles the state,
 * so an event is moved O(1) times amortized, and the pending records take
 * at most max(state, COMPACT_MIN) records.  Undo the add on failure. */
static int maybe_compact(occam_events *e, int64_t before)
{
    int64_t limit = e->main.len > COMPACT_MIN ? e->main.len : COMPACT_MIN;
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
    return OCCAM_OK;
}

/* The values of a valued add (with_values: the function takes them): the
 * state's kind of add, values finite, their magnitudes within the state's
 * bound; *vsum = the sum of their magnitudes. */
static int check_values(const occam_events *e, const double *values, int64_t n, int with_values, const char *fn,
                        double *vsum)
{
    *vsum = 0;
    if (e->valued != with_values)
        return occam__fail(OCCAM_E_INVALID_ARG, e->valued ? "%s: this event state holds values (add with occam_events_add_valued)"
                                                           : "%s: this event state holds no values (create it with occam_events_new_valued)",
                           fn);
    if (!with_values || n == 0) return OCCAM_OK;
    if (values == NULL) return occam__fail(OCCAM_E_NULL, "%s: values is NULL", fn);
    double s = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(values[i]))
            return occam__fail(OCCAM_E_NONFINITE, "%s: value of event %lld is not finite", fn, (long long)i + 1);
        s += fabs(values[i]);
    }
    if (!(e->vbound + s < OCCAM_EV_MAX_VALUE))
        return occam__fail(OCCAM_E_TOO_LARGE, "%s: the values' magnitudes add up to %g, beyond 2^62", fn, e->vbound + s);
    *vsum = s;
    return OCCAM_OK;
}

static int add_int(occam_events *e, const int64_t *ids, const double *times, const double *values, int64_t n,
                   int with_values, const char *fn)
{
    double vsum = 0;
    int rc = check_add(e, ids, times, n, OCCAM_EV_INT, fn);
    if (rc == OCCAM_OK) rc = check_values(e, values, n, with_values, fn, &vsum);
    if (rc != OCCAM_OK || n == 0) return rc;
    if ((rc = reserve_pending(e, n)) != OCCAM_OK) return rc;
    int64_t before = e->npend;
    occam_ev_rec *p = e->pend + before;
    if ((rc = time_keys(e, times, n, p, fn)) != OCCAM_OK) return rc;
    for (int64_t i = 0; i < n; i++) p[i].id = occam__ev_int_key(ids[i]);
    if (with_values) memcpy(e->pendv + before, values, (size_t)n * sizeof *values);
    int fresh = e->kind == OCCAM_EV_NONE;
    e->npend += n;
    e->kind = OCCAM_EV_INT;
    rc = maybe_compact(e, before);
    if (rc != OCCAM_OK && fresh) e->kind = OCCAM_EV_NONE; /* back to the empty state it was */
    if (rc == OCCAM_OK) e->vbound += vsum;
    return rc;
}

int occam_events_add(occam_events *e, const int64_t *ids, const double *times, int64_t n)
{
    return add_int(e, ids, times, NULL, n, 0, "occam_events_add");
}

int occam_events_add_valued(occam_events *e, const int64_t *ids, const double *times, const double *values, int64_t n)
{
    return add_int(e, ids, times, values, n, 1, "occam_events_add_valued");
}

static int add_text(occam_events *e, const char *const *ids, const size_t *lens, const double *times,
                    const double *values, int64_t n, int with_values, const char *fn)
{
    double vsum = 0;
    int rc = check_add(e, ids, times, n, OCCAM_EV_TEXT, fn);
    if (rc == OCCAM_OK) rc = check_values(e, values, n, with_values, fn, &vsum);
    if (rc != OCCAM_OK || n == 0) return rc;
    for (int64_t i = 0; i < n; i++)
        if (ids[i] == NULL && (lens == NULL || lens[i] > 0))
            return occam__fail(OCCAM_E_NULL, "%s: id of event %lld is NULL", fn, (long long)i + 1);
    if ((rc = reserve_pending(e, n)) != OCCAM_OK) return rc;
    int fresh = e->kind == OCCAM_EV_NONE;
    if (fresh && (rc = occam__ev_text_new(&e->text)) != OCCAM_OK) return rc;
    int64_t before = e->npend;
    occam_ev_rec *p = e->pend + before;
    rc = time_keys(e, times, n, p, fn);
    /* hash ids LOOK ahead of their lookup and prefetch their slots: the
     * table lookups of a large state are cache misses */
    enum { LOOK = 16 };
    uint64_t h[LOOK];
    for (int64_t i = 0; rc == OCCAM_OK && i < n + LOOK; i++) {
        int64_t j = i - LOOK; /* its hash is in h[j % LOOK] == h[i % LOOK] */
        if (j >= 0) {
            size_t len = lens ? lens[j] : strlen(ids[j]);
            rc = occam__ev_text_intern_hashed(e->text, len ? ids[j] : "", len, h[j % LOOK], &p[j].id);
        }
        if (i < n) {
            size_t len = lens ? lens[i] : strlen(ids[i]);
            h[i % LOOK] = occam__ev_text_hash(len ? ids[i] : "", len);
            occam__ev_text_prefetch(e->text, h[i % LOOK]);
        }
    }
    if (rc == OCCAM_OK) {
        if (with_values) memcpy(e->pendv + before, values, (size_t)n * sizeof *values);
        e->npend += n;
        e->kind = OCCAM_EV_TEXT;
        rc = maybe_compact(e, before);
    }
    if (rc != OCCAM_OK && fresh && e->npend == 0) { /* back to the empty state it was */
        occam__ev_text_free(e->text);
        e->text = NULL;
        e->kind = OCCAM_EV_NONE;
    }
    if (rc == OCCAM_OK) e->vbound += vsum;
    return rc;
}

int occam_events_add_text(occam_events *e, const char *const *ids, const size_t *lens, const double *times,
                          int64_t n)
{
    return add_text(e, ids, lens, times, NULL, n, 0, "occam_events_add_text");
}

int occam_events_add_text_valued(occam_events *e, const char *const *ids, const size_t *lens, const double *times,
                                 const double *values, int64_t n)
{
    return add_text(e, ids, lens, times, values, n, 1, "occam_events_add_text_valued");
}

/* ------------------------------------------------------------ merging */

/* The records of src (a text state) as a run over dst's text indices,
 * sorted: each src customer is interned in dst, and the customers' record
 * groups are emitted in the order of their new indices. */
static int text_run_into(occam_events *dst, const occam_events *src, const occam_ev_run *v, occam_ev_run *out)
{
    int64_t *start = NULL, ng = 0;
    int rc = occam__ev_groups(v, &start, &ng);
    occam_ev_rec *a = NULL;
    occam_ev_scratch sc = {NULL, 0};
    if (rc == OCCAM_OK && (a = malloc((size_t)(ng > 0 ? ng : 1) * sizeof *a)) == NULL)
        rc = occam__fail(OCCAM_E_NOMEM, "out of memory merging %lld customers", (long long)ng);
    for (int64_t g = 0; rc == OCCAM_OK && g < ng; g++) {
        const unsigned char *p;
        size_t len;
        occam__ev_text_get(src->text, v->r[start[g]].id, &p, &len);
        rc = occam__ev_text_intern(dst->text, p, len, &a[g].id);
        a[g].tk = (uint64_t)g;
    }
    if (rc == OCCAM_OK) rc = occam__ev_sort(a, ng, &sc);
    if (rc == OCCAM_OK) rc = run_alloc(out, v->len, v->n != NULL, v->v != NULL);
    if (rc == OCCAM_OK) {
        int64_t w = 0;
        for (int64_t k = 0; k < ng; k++) {
            int64_t g = (int64_t)a[k].tk;
            for (int64_t i = start[g]; i < start[g + 1]; i++, w++) {
                out->r[w].id = a[k].id;
                out->r[w].tk = v->r[i].tk;
                if (v->n) out->n[w] = v->n[i];
                if (v->v) out->v[w] = v->v[i];
            }
        }
        out->len = w;
    }
    free(start);
    free(a);
    free(sc.buf);
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
    if (dst->valued != src->valued)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_events_merge: %s holds values, %s does not",
                           dst->valued ? "dst" : "src", dst->valued ? "src" : "dst");
    if (!(dst->vbound + src->vbound < OCCAM_EV_MAX_VALUE))
        return occam__fail(OCCAM_E_TOO_LARGE, "occam_events_merge: the values' magnitudes add up to %g, beyond 2^62",
                           dst->vbound + src->vbound);
    if (src->kind == OCCAM_EV_NONE) return OCCAM_OK;
    if (dst->kind != OCCAM_EV_NONE && dst->kind != src->kind)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_events_merge: dst holds %s ids, src %s ids",
                           dst->kind == OCCAM_EV_INT ? "integer" : "text", src->kind == OCCAM_EV_INT ? "integer" : "text");
    int rc = occam__ev_compact(dst);
    if (rc != OCCAM_OK) return rc;
    occam_ev_run v, b = {NULL, NULL, NULL, 0};
    int owned = 0, fresh = dst->kind == OCCAM_EV_NONE;
    if ((rc = occam__ev_view(src, &v, &owned)) != OCCAM_OK) return rc;
    const occam_ev_run *in = &v;
    if (fresh && src->kind == OCCAM_EV_TEXT) rc = occam__ev_text_new(&dst->text);
    if (rc == OCCAM_OK && src->kind == OCCAM_EV_TEXT) {
        rc = text_run_into(dst, src, &v, &b);
        in = &b;
    }
    if (rc == OCCAM_OK) rc = counts_fit(dst, max_count(in));
    if (rc == OCCAM_OK) rc = reserve_main(dst, dst->main.len + in->len);
    if (rc == OCCAM_OK) {
        absorb(dst, in);
        dst->kind = src->kind;
        dst->vbound += src->vbound;
    } else if (fresh) {
        occam__ev_text_free(dst->text);
        dst->text = NULL;
    }
    occam__ev_run_free(&b);
    if (owned) occam__ev_run_free(&v);
    return rc;
}

/* ------------------------------------------------------------ results */

/* What the queries share: the view and its customers in report order.
 * Integer states: the run's order (start = NULL, groups found by scanning);
 * text states: start and order arrays. */
typedef struct ev_query {
    const occam_events *e;
    occam_ev_run v;
    int owned;
    int64_t *start, *order, ngroups;
    int64_t eligible; /* customers whose first event is by the calibration end */
    uint64_t endk;
    int64_t k, pos; /* iteration: next customer, its first record (integer states) */
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
    q->e = e;
    q->endk = occam__ev_time_key(e->end);
    int rc = occam__ev_view(e, &q->v, &q->owned);
    if (rc == OCCAM_OK && e->kind == OCCAM_EV_TEXT) {
        rc = occam__ev_groups(&q->v, &q->start, &q->ngroups);
        if (rc == OCCAM_OK) rc = occam__ev_text_order(e, &q->v, q->start, q->ngroups, &q->order);
    }
    if (rc != OCCAM_OK) {
        query_free(q);
        return rc;
    }
    /* customers, and those whose first record is by the end (branch-free:
     * where a customer starts is not predictable) */
    const occam_ev_rec *r = q->v.r;
    int64_t len = q->v.len, groups = len > 0, eligible = len > 0 && r[0].tk <= q->endk;
    for (int64_t i = 1; i < len; i++) {
        int64_t starts = r[i].id != r[i - 1].id;
        groups += starts;
        eligible += starts & (r[i].tk <= q->endk);
    }
    if (e->kind != OCCAM_EV_TEXT) q->ngroups = groups;
    q->eligible = eligible;
    return OCCAM_OK;
}

/* The next customer in report order: records [*s, *stop); 0 at the end. */
static int query_next(ev_query *q, int64_t *s, int64_t *stop)
{
    if (q->k == q->ngroups) return 0;
    if (q->order) {
        int64_t g = q->order[q->k++];
        *s = q->start[g];
        *stop = q->start[g + 1];
        return 1;
    }
    int64_t i = q->pos, j = i + 1;
    while (j < q->v.len && q->v.r[j].id == q->v.r[i].id) j++;
    *s = i;
    *stop = q->pos = j;
    q->k++;
    return 1;
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
    if (rc != OCCAM_OK) return rc;
    rc = query_room(&q, summary, cap, n_customers, fn);
    double end = e->end;
    const occam_ev_rec *r = q.v.r;
    const int64_t *n = q.v.n;
    for (int64_t s, stop, out = 0; rc == OCCAM_OK && query_next(&q, &s, &stop);) {
        if (r[s].tk > q.endk) continue;
        /* a customer's records are in time order: calibration, then holdout */
        uint64_t lastk = r[s].tk;
        int64_t x = (n ? n[s] : 1) - 1, xs = 0;
        for (int64_t j = s + 1; j < stop; j++) {
            int64_t c = n ? n[j] : 1, cal = r[j].tk <= q.endk;
            x += cal ? c : 0;
            xs += cal ? 0 : c;
            lastk = cal ? r[j].tk : lastk;
        }
        double t0 = occam__ev_key_time(r[s].tk), last = occam__ev_key_time(lastk);
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

int occam_events_spend(const occam_events *e, double *xm, int64_t cap, int64_t *n_customers)
{
    const char *fn = "occam_events_spend";
    if (e == NULL || n_customers == NULL) return occam__fail(OCCAM_E_NULL, "%s: %s is NULL", fn, e ? "n_customers" : "e");
    if (cap < 0) return occam__fail(OCCAM_E_INVALID_ARG, "%s: cap < 0", fn);
    if (!e->valued)
        return occam__fail(OCCAM_E_INVALID_ARG, "%s: this event state holds no values (occam_events_new_valued)", fn);
    ev_query q;
    int rc = query_open(e, &q);
    if (rc != OCCAM_OK) return rc;
    rc = query_room(&q, xm, cap, n_customers, fn);
    const occam_ev_rec *r = q.v.r;
    for (int64_t s, stop, out = 0; rc == OCCAM_OK && query_next(&q, &s, &stop);) {
        if (r[s].tk > q.endk) continue;
        /* the repeat periods: the records after the first, by the end */
        occam_ev_val sum = {0, 0};
        int64_t x = 0;
        for (int64_t j = s + 1; j < stop && r[j].tk <= q.endk; j++, x++) sum = occam__ev_val_add(sum, q.v.v[j]);
        xm[2 * out] = (double)x;
        xm[2 * out + 1] = x > 0 ? occam__ev_val_double(sum) / (double)x : 0.0;
        out++;
    }
    query_free(&q);
    return rc;
}

int occam_events_customers(const occam_events *e, int64_t *n_all, int64_t *n_by_end)
{
    const char *fn = "occam_events_customers";
    if (e == NULL || n_all == NULL || n_by_end == NULL)
        return occam__fail(OCCAM_E_NULL, "%s: %s is NULL", fn, e ? (n_all ? "n_by_end" : "n_all") : "e");
    ev_query q;
    int rc = query_open(e, &q);
    if (rc != OCCAM_OK) return rc;
    *n_all = q.ngroups;
    *n_by_end = q.eligible;
    query_free(&q);
    return OCCAM_OK;
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
    if (rc != OCCAM_OK) return rc;
    rc = query_room(&q, ids, cap, n_customers, fn);
    for (int64_t s, stop, out = 0; rc == OCCAM_OK && query_next(&q, &s, &stop);)
        if (q.v.r[s].tk <= q.endk) ids[out++] = occam__ev_key_int(q.v.r[s].id);
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
    if (rc != OCCAM_OK) return rc;
    size_t need = 0;
    for (int64_t g = 0; g < q.ngroups; g++) {
        if (q.v.r[q.start[g]].tk > q.endk) continue;
        const unsigned char *p;
        size_t len;
        occam__ev_text_get(e->text, q.v.r[q.start[g]].id, &p, &len);
        need += len;
    }
    *bytes_needed = need;
    rc = query_room(&q, lens, cap, n_customers, fn);
    if (rc == OCCAM_OK && (bytes_cap < need || (bytes == NULL && need > 0)))
        rc = occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "%s: %zu bytes of ids, room for %zu", fn, need,
                         bytes ? bytes_cap : (size_t)0);
    size_t pos = 0;
    for (int64_t s, stop, out = 0; rc == OCCAM_OK && query_next(&q, &s, &stop);) {
        if (q.v.r[s].tk > q.endk) continue;
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
