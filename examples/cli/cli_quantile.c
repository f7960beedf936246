/*
 * cli_quantile.c -- exact quantiles (R's type 7 at 0, .25, .5, .75, 1) of
 * values met in passes over data that is not held: the residuals of a
 * streamed fit, for the residual block of its summary (cli.h).
 *
 * Pass 1 collects the values while there are at most cap of them: for n <=
 * cap that is all (and the caller gets them in their order).  Otherwise each
 * needed order statistic (the ranks lo and hi of each quartile) is found by
 * radix selection on the order-preserving 64-bit key of the value (sign bit
 * flipped for positives, all bits for negatives): every pass histograms the
 * next 16 bits of the keys that share the prefix found so far (2^16
 * counters per rank), and once the prefix's bucket holds at most cap values
 * the next pass collects and sorts them.  The values are exactly those a
 * sort of all n would give.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { NRANK = 10, BITS = 16, NBUCKET = 1 << BITS };

typedef struct target {
    int64_t orig;    /* the 0-based order statistic */
    int64_t rank;    /* its rank among the values with the prefix */
    uint64_t prefix; /* the key's top nbits bits */
    int nbits;
    int64_t count;   /* values with that prefix (-1: unknown) */
    int collect;     /* this pass collects the values with the prefix */
    int done;
    double value;
    uint32_t *hist;
    double *vals;
    int64_t nvals;
} target;

struct cli_quantiles {
    int64_t n, cap, seen;
    int pass;
    double *all; /* pass 1: the values while at most cap */
    int64_t nall;
    int overflow;
    int ntarget;
    target t[NRANK];
    double q[5];
    const cli_quantiles_comm *comm; /* values spread over processes */
};

void cli_quantiles_set_comm(cli_quantiles *q, const cli_quantiles_comm *c) { q->comm = c; }

/* Across processes: the values of pass 1 when they are at most cap in all,
 * every target's histogram summed or its collected values gathered. */
static int exchange(cli_quantiles *q)
{
    const cli_quantiles_comm *c = q->comm;
    int rc = 0;
    if (q->pass == 0) {
        if (q->n > q->cap) {
            q->overflow = 1;
            return 0;
        }
        double *all = malloc((size_t)(q->n > 0 ? q->n : 1) * sizeof *all);
        if (!all)
            return cli_fail(CLI_EXIT_FAILURE, "out of memory");
        int64_t total = 0;
        if ((rc = c->gather(c->ctx, q->all, q->nall, all, q->n, &total)) != 0) {
            free(all);
            return rc;
        }
        free(q->all);
        q->all = all;
        q->nall = total;
        q->overflow = total != q->n;
        return 0;
    }
    for (int j = 0; j < q->ntarget && !rc; j++) {
        target *t = &q->t[j];
        if (t->done)
            continue;
        if (!t->collect) {
            rc = c->sum(c->ctx, t->hist, NBUCKET);
            continue;
        }
        double *all = malloc((size_t)(t->count > 0 ? t->count : 1) * sizeof *all);
        if (!all)
            return cli_fail(CLI_EXIT_FAILURE, "out of memory");
        int64_t total = 0;
        rc = c->gather(c->ctx, t->vals, t->nvals, all, t->count, &total);
        free(t->vals);
        t->vals = all;
        t->nvals = total;
    }
    return rc;
}

static uint64_t key_of(double v)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return (b >> 63) ? ~b : b | ((uint64_t)1 << 63);
}

static double value_of(uint64_t k)
{
    uint64_t b = (k >> 63) ? k & ~((uint64_t)1 << 63) : ~k;
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int cli_quantiles_new(int64_t n, int64_t cap, cli_quantiles **out)
{
    cli_quantiles *q = calloc(1, sizeof *q);
    if (!q)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    q->n = n;
    q->cap = cap > 0 ? cap : 1;
    int64_t ranks[NRANK];
    int nr = 0;
    for (int i = 0; i < 5; i++) {
        int64_t lo, hi;
        double frac;
        cli_quantile_ranks(n, i, &lo, &hi, &frac);
        int64_t want[2] = {lo, hi};
        for (int k = 0; k < 2; k++) {
            int dup = 0;
            for (int j = 0; j < nr; j++)
                dup |= ranks[j] == want[k];
            if (!dup)
                ranks[nr++] = want[k];
        }
    }
    q->ntarget = nr;
    for (int j = 0; j < nr; j++)
        q->t[j] = (target){.orig = ranks[j], .rank = ranks[j], .count = n};
    *out = q;
    return 0;
}

void cli_quantiles_free(cli_quantiles *q)
{
    if (!q)
        return;
    free(q->all);
    for (int j = 0; j < q->ntarget; j++) {
        free(q->t[j].hist);
        free(q->t[j].vals);
    }
    free(q);
}

void cli_quantiles_add(cli_quantiles *q, const double *v, int64_t m)
{
    if (q->pass == 0 && !q->overflow) {
        if (q->nall + m <= q->cap) {
            if (!q->all)
                q->all = malloc((size_t)(q->n < q->cap ? (q->n > 0 ? q->n : 1) : q->cap) * sizeof *q->all);
            if (q->all && q->nall + m <= (q->n < q->cap ? q->n : q->cap)) {
                memcpy(q->all + q->nall, v, (size_t)m * sizeof *v);
                q->nall += m;
            } else {
                q->overflow = 1;
            }
        } else {
            q->overflow = 1;
        }
    }
    for (int j = 0; j < q->ntarget; j++) {
        target *t = &q->t[j];
        if (t->done)
            continue;
        int sh = 64 - t->nbits;
        for (int64_t i = 0; i < m; i++) {
            uint64_t k = key_of(v[i]);
            if (t->nbits > 0 && (k >> sh) != t->prefix)
                continue;
            if (t->collect) {
                if (t->vals && t->nvals < t->count)
                    t->vals[t->nvals++] = v[i];
            } else if (t->hist) {
                t->hist[(k >> (sh - BITS)) & (NBUCKET - 1)]++;
            }
        }
    }
    q->seen += m;
}

/* Prepare target t for the next pass: collect or histogram. */
static int arm(target *t, int64_t cap)
{
    free(t->hist);
    free(t->vals);
    t->hist = NULL;
    t->vals = NULL;
    t->nvals = 0;
    t->collect = t->count <= cap;
    if (t->collect)
        t->vals = malloc((size_t)(t->count > 0 ? t->count : 1) * sizeof *t->vals);
    else
        t->hist = calloc(NBUCKET, sizeof *t->hist);
    return t->collect ? t->vals == NULL : t->hist == NULL;
}

int cli_quantiles_end_pass(cli_quantiles *q, int *more)
{
    *more = 0;
    int rc = q->comm ? exchange(q) : 0;
    if (rc)
        return rc;
    if (q->pass == 0 && !q->overflow && q->nall == q->n) { /* every value in memory */
        double *s = malloc((size_t)(q->n > 0 ? q->n : 1) * sizeof *s);
        if (!s)
            return cli_fail(CLI_EXIT_FAILURE, "out of memory");
        memcpy(s, q->all, (size_t)q->n * sizeof *s);
        qsort(s, (size_t)q->n, sizeof *s, cmp_double);
        if (q->n > 0)
            cli_quantiles_of_sorted(s, q->n, q->q);
        free(s);
        q->pass++;
        return 0;
    }
    if (q->pass == 0) { /* too many to hold: select by radix from the next pass on */
        free(q->all);
        q->all = NULL;
        q->nall = 0;
        q->pass++;
        for (int j = 0; j < q->ntarget; j++)
            if (arm(&q->t[j], q->cap) != 0)
                return cli_fail(CLI_EXIT_FAILURE, "out of memory");
        *more = 1;
        return 0;
    }
    for (int j = 0; j < q->ntarget; j++) {
        target *t = &q->t[j];
        if (t->done)
            continue;
        if (t->collect) {
            qsort(t->vals, (size_t)t->nvals, sizeof *t->vals, cmp_double);
            t->value = t->vals[t->rank < t->nvals ? t->rank : t->nvals - 1];
            t->done = 1;
            continue;
        }
        int64_t below = 0, b = 0;
        for (; b < NBUCKET; b++) {
            if (below + t->hist[b] > t->rank)
                break;
            below += t->hist[b];
        }
        t->prefix = t->nbits ? (t->prefix << BITS) | (uint64_t)b : (uint64_t)b;
        t->nbits += BITS;
        t->rank -= below;
        t->count = b < NBUCKET ? t->hist[b] : 0;
        if (t->nbits == 64) {
            t->value = value_of(t->prefix);
            t->done = 1;
        } else if (arm(t, q->cap) != 0) {
            return cli_fail(CLI_EXIT_FAILURE, "out of memory");
        }
    }
    q->pass++;
    for (int j = 0; j < q->ntarget; j++)
        *more |= !q->t[j].done;
    if (!*more) {
        for (int i = 0; i < 5; i++) {
            int64_t lo, hi;
            double frac, s_lo = NAN, s_hi = NAN;
            cli_quantile_ranks(q->n, i, &lo, &hi, &frac);
            for (int j = 0; j < q->ntarget; j++) {
                if (q->t[j].orig == lo)
                    s_lo = q->t[j].value;
                if (q->t[j].orig == hi)
                    s_hi = q->t[j].value;
            }
            q->q[i] = (frac > 0 && s_hi != s_lo) ? (1 - frac) * s_lo + frac * s_hi : s_lo; /* as sorted */
        }
    }
    return 0;
}

void cli_quantiles_result(const cli_quantiles *q, double out[5], const double **all)
{
    memcpy(out, q->q, sizeof q->q);
    *all = (q->n > 0 && q->nall == q->n && !q->overflow) ? q->all : NULL;
}
