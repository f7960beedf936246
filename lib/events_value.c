/*
 * events_value.c -- the value sums of a valued event state
 * (occam_events_new_valued, include/occam.h): each (customer, period)
 * record carries the sum of its events' values, for the Gamma-Gamma spend
 * model's m_x (occam_events_spend).
 *
 * Sums are fixed-point numbers of 128 bits with 64 fractional bits, so
 * adding is exact, associative and commutative: the sums, and everything
 * computed from them, are the same bit for bit whatever the chunking, the
 * order of the events and the order of the merges (a double sum would
 * depend on them in its last bits).  A value is rounded once, to the
 * nearest multiple of 2^-64: exact for |v| >= 2^-12 (and for any value
 * without bits below 2^-64), e.g. every amount in cents.  The state keeps
 * the sum of all magnitudes below 2^62, so no sum overflows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

occam_ev_val occam__ev_val_of(double v)
{
    double a = fabs(v), ip = floor(a), f = a - ip; /* both exact */
    occam_ev_val r;
    r.hi = (uint64_t)ip;
    r.lo = (uint64_t)nearbyint(ldexp(f, 64)); /* f < 1: below 2^64 - 2^11, an integer after rounding */
    if (v < 0) { /* two's complement negation */
        r.lo = ~r.lo + 1;
        r.hi = ~r.hi + (r.lo == 0);
    }
    return r;
}

static int leading_zeros(uint64_t x)
{
    int n = 0;
    while (!(x >> 63)) {
        x <<= 1;
        n++;
    }
    return n;
}

double occam__ev_val_double(occam_ev_val a)
{
    int neg = (a.hi >> 63) != 0;
    uint64_t hi = a.hi, lo = a.lo;
    if (neg) {
        lo = ~lo + 1;
        hi = ~hi + (lo == 0);
    }
    double m;
    if (hi == 0) {
        m = ldexp((double)lo, -64); /* lo rounded once; the scaling is exact */
    } else {
        /* the top 64 bits of hi:lo, with a sticky bit for what is below:
         * one rounding, to nearest */
        int s = leading_zeros(hi);
        uint64_t top = s ? (hi << s) | (lo >> (64 - s)) : hi, rest = s ? lo << s : lo;
        m = ldexp((double)(top | (rest != 0)), -s);
    }
    return neg ? -m : m;
}

/* The permutation that sorts the pending records by (customer, time),
 * stably, from two sorts of (key, index) records: by time, then by
 * customer (ties keep the time order).  perm[j] = pending index. */
static int pending_order(occam_events *e, int64_t n, int64_t *perm)
{
    occam_ev_rec *a = malloc((size_t)n * sizeof *a), *b = malloc((size_t)n * sizeof *b);
    int rc = a && b ? OCCAM_OK : occam__fail(OCCAM_E_NOMEM, "out of memory sorting %lld events", (long long)n);
    for (int64_t i = 0; rc == OCCAM_OK && i < n; i++) {
        a[i].id = e->pend[i].tk;
        a[i].tk = (uint64_t)i;
    }
    if (rc == OCCAM_OK) rc = occam__ev_sort(a, n, &e->scratch);
    for (int64_t k = 0; rc == OCCAM_OK && k < n; k++) {
        b[k].id = e->pend[a[k].tk].id;
        b[k].tk = (uint64_t)k;
    }
    if (rc == OCCAM_OK) rc = occam__ev_sort(b, n, &e->scratch);
    for (int64_t j = 0; rc == OCCAM_OK && j < n; j++) perm[j] = (int64_t)a[b[j].tk].tk;
    free(a);
    free(b);
    return rc;
}

int occam__ev_valued_run(occam_events *e, occam_ev_run *out)
{
    int64_t n = e->npend;
    size_t m = (size_t)(n > 0 ? n : 1);
    memset(out, 0, sizeof *out);
    int64_t *perm = malloc(m * sizeof *perm);
    out->r = malloc(m * sizeof *out->r);
    out->v = malloc(m * sizeof *out->v);
    int rc = perm && out->r && out->v ? OCCAM_OK
                                      : occam__fail(OCCAM_E_NOMEM, "out of memory for %lld valued events", (long long)n);
    if (rc == OCCAM_OK) rc = pending_order(e, n, perm);
    int64_t w = 0;
    for (int64_t j = 0; rc == OCCAM_OK && j < n; j++) {
        const occam_ev_rec *p = &e->pend[perm[j]];
        occam_ev_val v = occam__ev_val_of(e->pendv[perm[j]]);
        if (w > 0 && out->r[w - 1].id == p->id && out->r[w - 1].tk == p->tk) {
            out->v[w - 1] = occam__ev_val_add(out->v[w - 1], v);
            continue;
        }
        out->r[w] = *p;
        out->v[w++] = v;
    }
    out->len = w;
    free(perm);
    if (rc != OCCAM_OK) occam__ev_run_free(out);
    return rc;
}
