/*
 * events_tracking.c -- the cohort's repeat transactions per time bin, from
 * an event-log state (occam_events_repeat_counts, include/occam.h): the
 * "actual" curve of Fader and Hardie's tracking plot (BTYD's
 * pnbd.PlotTrackingInc / cu.tracking).
 *
 * The cohort: the customers whose first event is by the calibration end
 * (those occam_events_summary() reports).  A customer's repeat events are
 * its records after the first (distinct purchase periods, merge_period >
 * 0); each counts in the bin [edges[k], edges[k + 1]) that holds its
 * (floored) time.
 */
#include <math.h>

#include "events.h"

/* The bin of time t among edges[0] < ... < edges[nb]: k with edges[k] <= t
 * < edges[k + 1], or -1 outside. */
static int64_t find_bin(const double *edges, int64_t nb, double t)
{
    if (!(t >= edges[0]) || !(t < edges[nb])) return -1;
    int64_t lo = 0, hi = nb; /* edges[lo] <= t < edges[hi] */
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (edges[mid] <= t) lo = mid;
        else hi = mid;
    }
    return lo;
}

static int check_args(const occam_events *e, const double *edges, int64_t n_bins, const double *counts)
{
    const char *fn = "occam_events_repeat_counts";
    if (e == NULL || edges == NULL || counts == NULL)
        return occam__fail(OCCAM_E_NULL, "%s: %s is NULL", fn, e == NULL ? "e" : edges == NULL ? "edges" : "counts");
    if (n_bins < 1) return occam__fail(OCCAM_E_INVALID_ARG, "%s: n_bins = %lld (at least 1)", fn, (long long)n_bins);
    if (!(e->merge_period > 0))
        return occam__fail(OCCAM_E_INVALID_ARG, "%s: the state keeps only the first and last events of each "
                                                "customer (merge_period = 0); counts per bin need merge_period > 0",
                           fn);
    for (int64_t k = 0; k <= n_bins; k++) {
        if (!isfinite(edges[k])) return occam__fail(OCCAM_E_NONFINITE, "%s: edges[%lld] is not finite", fn, (long long)k);
        if (k > 0 && !(edges[k] > edges[k - 1]))
            return occam__fail(OCCAM_E_INVALID_ARG, "%s: edges must increase: edges[%lld] = %g after %g", fn,
                               (long long)k, edges[k], edges[k - 1]);
    }
    return OCCAM_OK;
}

int occam_events_repeat_counts(const occam_events *e, const double *edges, int64_t n_bins, double *counts)
{
    int rc = check_args(e, edges, n_bins, counts);
    if (rc != OCCAM_OK) return rc;
    occam_ev_run v;
    int owned = 0;
    if ((rc = occam__ev_view(e, &v, &owned)) != OCCAM_OK) return rc;
    for (int64_t k = 0; k < n_bins; k++) counts[k] = 0;
    uint64_t endk = occam__ev_time_key(e->end);
    int in_cohort = 0;
    for (int64_t i = 0; i < v.len; i++) {
        if (i == 0 || v.r[i].id != v.r[i - 1].id) { /* a customer's first record: its birth */
            in_cohort = v.r[i].tk <= endk;
            continue;
        }
        if (!in_cohort) continue;
        int64_t k = find_bin(edges, n_bins, occam__ev_key_time(v.r[i].tk));
        if (k >= 0) counts[k] += 1;
    }
    if (owned) occam__ev_run_free(&v);
    return OCCAM_OK;
}

int occam_events_time_range(const occam_events *e, double *first, double *last)
{
    if (e == NULL || first == NULL || last == NULL)
        return occam__fail(OCCAM_E_NULL, "occam_events_time_range: %s is NULL", e == NULL ? "e" : first ? "last" : "first");
    occam_ev_run v;
    int owned = 0;
    int rc = occam__ev_view(e, &v, &owned);
    if (rc != OCCAM_OK) return rc;
    if (v.len == 0) rc = occam__fail(OCCAM_E_NO_DATA, "occam_events_time_range: the state has no events");
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int64_t i = 0; i < v.len; i++) { /* each customer's records are in time order */
        int starts = i == 0 || v.r[i].id != v.r[i - 1].id, ends = i + 1 == v.len || v.r[i + 1].id != v.r[i].id;
        if (starts && v.r[i].tk < lo) lo = v.r[i].tk;
        if (ends && v.r[i].tk > hi) hi = v.r[i].tk;
    }
    if (rc == OCCAM_OK) {
        *first = occam__ev_key_time(lo);
        *last = occam__ev_key_time(hi);
    }
    if (owned) occam__ev_run_free(&v);
    return rc;
}
