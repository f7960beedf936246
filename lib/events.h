/*
 * events.h -- private parts of the mergeable event-log state (occam_events,
 * include/occam.h; docs/pnbd.md "Event logs in chunks").
 *
 * The state is a set of records (customer key, time key), kept sorted and
 * combined ("compacted") in `main`, plus `pend`: raw records of recent adds,
 * unsorted, each standing for one event.  Compaction sorts pend (radix sort,
 * events_sort.c), merges it into main and applies the combine rule:
 *   - merge_period P > 0: records of one customer with the same floored time
 *     are one record (the distinct purchase periods);
 *   - P = 0: every event counts, so records carry a count n, and a
 *     customer's records collapse to at most three: the first time (with its
 *     multiplicity), the last calibration time (count of the other
 *     calibration events) and the last holdout time (count of the holdout
 *     events).  That is all the summary needs, and collapsing a union of
 *     collapsed sets gives the collapse of the union (min, max and sums).
 * Valued states (occam_events_new_valued; P > 0 only) also carry, per record,
 * the sum of the values of its events (`v`, parallel to `r`): a signed
 * fixed-point number of 128 bits with 64 fractional bits (events_value.c),
 * so that sums are exact, and the same however the events were chunked or
 * merged.  Equal records combine by adding their sums.  `vbound` bounds the
 * sum of the magnitudes of everything added (adds and merges keep it below
 * 2^62), so no partial sum can overflow.
 * Customer key: an integer id mapped order-preservingly to uint64 (sign bit
 * flipped), or the index of a text id in the text table (events_text.c).
 * Time key: the (floored) time's IEEE bits mapped order-preservingly to
 * uint64 (-0 is stored as +0).
 */
#ifndef OCCAM_EVENTS_H
#define OCCAM_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

enum occam_ev_kind { OCCAM_EV_NONE = 0, OCCAM_EV_INT = 1, OCCAM_EV_TEXT = 2 };

typedef struct occam_ev_rec {
    uint64_t id; /* customer key */
    uint64_t tk; /* time key */
} occam_ev_rec;

/* A value sum: hi * 2^0 + lo * 2^-64 as a two's complement 128-bit number
 * (hi the integer part with the sign, lo the fraction bits). */
typedef struct occam_ev_val {
    uint64_t lo;
    uint64_t hi;
} occam_ev_val;

/* A sorted, combined run of records: records of one customer are adjacent,
 * in increasing time.  n: counts (P = 0 only; NULL when P > 0).  v: value
 * sums (valued states only, else NULL). */
typedef struct occam_ev_run {
    occam_ev_rec *r;
    int64_t *n;
    occam_ev_val *v;
    int64_t len;
} occam_ev_run;

/* A reusable sorting buffer (grown on demand, freed with its owner). */
typedef struct occam_ev_scratch {
    void *buf;
    size_t cap; /* bytes */
} occam_ev_scratch;

/* Text ids: distinct byte strings with dense indices in first-seen order. */
typedef struct occam_ev_text occam_ev_text;

struct occam_events {
    double cal_end, merge_period;
    double end;        /* cal_end floored to a multiple of P (P > 0), or cal_end */
    int kind;          /* enum occam_ev_kind; NONE until the first add or merge */
    occam_ev_run main; /* compacted records (main.n allocated with main.r when P = 0) */
    int64_t main_cap;  /* room in main.r (and main.n) */
    occam_ev_rec *pend; /* raw records, one per event, unsorted */
    int64_t npend, pend_cap;
    occam_ev_scratch scratch;
    occam_ev_text *text; /* kind TEXT only */
    int valued;          /* records carry value sums (main.v; pendv: a value per pending event) */
    double *pendv;
    double vbound;       /* sum of |values| added and merged, < OCCAM_EV_MAX_VALUE */
};

/* Bound on the sum of |values| of a valued state (its fixed-point sums
 * then never overflow: they hold magnitudes below 2^63). */
#define OCCAM_EV_MAX_VALUE 4611686018427387904.0 /* 2^62 */

/* Largest count a P = 0 record may carry (exact in a double). */
#define OCCAM_EV_MAX_COUNT ((int64_t)1 << 53)

/* ------------------------------------------------------------ keys */

static inline uint64_t occam__ev_int_key(int64_t id) { return (uint64_t)id ^ ((uint64_t)1 << 63); }
static inline int64_t occam__ev_key_int(uint64_t k) { return (int64_t)(k ^ ((uint64_t)1 << 63)); }
/* t finite; -0 -> key of +0 */
static inline uint64_t occam__ev_time_key(double t)
{
    uint64_t u;
    if (t == 0) t = 0.0; /* -0 -> +0 */
    memcpy(&u, &t, sizeof u);
    return (u >> 63) ? ~u : u | ((uint64_t)1 << 63);
}

static inline double occam__ev_key_time(uint64_t k)
{
    uint64_t u = (k >> 63) ? k & ~((uint64_t)1 << 63) : ~k;
    double t;
    memcpy(&t, &u, sizeof t);
    return t;
}
/* The time an event at t is recorded at: P floor(t / P) for P > 0, else t
 * (NaN/Inf when that overflows). */
double occam__ev_floor(const occam_events *e, double t);

/* ------------------------------------------------------------ events.c */

/* Sorted, combined view of all records of e: e->main itself when nothing
 * is pending (*owned = 0), else a new run (*owned = 1, free with
 * occam__ev_run_free).  OCCAM_E_NOMEM, OCCAM_E_TOO_LARGE. */
int occam__ev_view(const occam_events *e, occam_ev_run *out, int *owned);
void occam__ev_run_free(occam_ev_run *run);
/* Fold the pending records into main (no-op when none).  On failure e is
 * unchanged.  OCCAM_E_NOMEM, OCCAM_E_TOO_LARGE (counts near 2^53). */
int occam__ev_compact(occam_events *e);
/* Customers of a run: group g spans records start[g] .. start[g + 1] - 1
 * (start has ngroups + 1 entries, allocated here). */
int occam__ev_groups(const occam_ev_run *run, int64_t **start, int64_t *ngroups);
/* Order in which the groups of a run of a text state are reported (summary,
 * ids, serialization): bytewise lexicographic.  order[k] = group;
 * allocated here.  (Integer states report groups in run order.) */
int occam__ev_text_order(const occam_events *e, const occam_ev_run *run, const int64_t *start, int64_t ngroups,
                         int64_t **order);
/* An empty state of e's settings and kind (for the reader). */
int occam__ev_new_like(double cal_end, double merge_period, int kind, occam_events **out);

/* ------------------------------------------------------------ events_value.c */

/* A value (finite, |v| < 2^62) as a fixed-point sum: v rounded to the
 * nearest multiple of 2^-64 (exact when |v| >= 2^-12, or when v has no bits
 * below 2^-64). */
occam_ev_val occam__ev_val_of(double v);
/* a + b (exact while the result's magnitude is below 2^63). */
static inline occam_ev_val occam__ev_val_add(occam_ev_val a, occam_ev_val b)
{
    occam_ev_val s;
    s.lo = a.lo + b.lo;
    s.hi = a.hi + b.hi + (s.lo < a.lo);
    return s;
}
/* The double nearest to a sum (correctly rounded). */
double occam__ev_val_double(occam_ev_val a);
/* The pending events of a valued state (pend, pendv) as a sorted, combined
 * run into out (out->r, out->v allocated here; free with
 * occam__ev_run_free).  OCCAM_E_NOMEM. */
int occam__ev_valued_run(occam_events *e, occam_ev_run *out);

/* ------------------------------------------------------------ events_sort.c */

/* Sort r[0..n) by (id, tk) ascending, using (and growing) the scratch
 * buffer.  OCCAM_E_NOMEM (r unchanged). */
int occam__ev_sort(occam_ev_rec *r, int64_t n, occam_ev_scratch *sc);

/* ------------------------------------------------------------ events_text.c */

int occam__ev_text_new(occam_ev_text **out);
void occam__ev_text_free(occam_ev_text *t);
/* Index of the id (inserted when new).  OCCAM_E_NOMEM. */
int occam__ev_text_intern(occam_ev_text *t, const void *bytes, size_t len, uint64_t *index);
/* The same with the id's hash computed by the caller (occam__ev_text_hash),
 * who may prefetch its slot a few ids ahead (occam__ev_text_prefetch). */
uint64_t occam__ev_text_hash(const void *bytes, size_t len);
void occam__ev_text_prefetch(const occam_ev_text *t, uint64_t hash);
int occam__ev_text_intern_hashed(occam_ev_text *t, const void *bytes, size_t len, uint64_t hash, uint64_t *index);
/* The bytes of id `index` (not NUL-terminated). */
void occam__ev_text_get(const occam_ev_text *t, uint64_t index, const unsigned char **bytes, size_t *len);
/* Bytewise lexicographic comparison of two ids (a proper prefix first). */
int occam__ev_text_cmp(const occam_ev_text *t, uint64_t a, uint64_t b);

#endif /* OCCAM_EVENTS_H */
