/*
 * cli_patterns.c -- customer summaries (x, t_x, T) collapsed to their
 * distinct patterns with counts, as `occam fit pnbd --data` reads them in
 * chunks: memory O(distinct patterns), not O(customers).  The Pareto/NBD
 * likelihood of a customer depends on (x, t_x, T) only, so the fit of the
 * patterns weighted by their counts (summed prior weights) is the fit of the
 * customers (the collapsed likelihood of CLVTools; the library collapses in
 * memory the same way, lib/pnbd_fit.c).  Per pattern the first `keep`
 * customers (row number and id) are kept for the least-alive listing.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cli_patterns {
    int64_t n, cap, keep;
    double *x, *tx, *T, *w;
    int64_t *first, *count; /* first row; customers listed */
    int64_t *rows;          /* keep per pattern: listed rows */
    char **ids;             /* keep per pattern: their ids (NULL without an id column) */
    int64_t *slots;         /* hash: pattern + 1, or 0 */
    size_t nslots;
    int with_ids;
};

static uint64_t mix(uint64_t h, double v)
{
    uint64_t b;
    v = v == 0 ? 0.0 : v; /* -0 and 0 are one value */
    memcpy(&b, &v, sizeof b);
    h ^= b + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    return h * 0xFF51AFD7ED558CCDULL;
}

/* MurmurHash3's 64-bit finalizer: every input bit reaches the low bits the
 * table uses (the doubles of small integers have zero low bits). */
static uint64_t fmix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
}

static size_t slot_of(const cli_patterns *t, double x, double tx, double T)
{
    size_t mask = t->nslots - 1, i = (size_t)fmix64(mix(mix(mix(0, x), tx), T)) & mask;
    for (; t->slots[i]; i = (i + 1) & mask) {
        int64_t k = t->slots[i] - 1;
        if (t->x[k] == x && t->tx[k] == tx && t->T[k] == T)
            break;
    }
    return i;
}

int cli_patterns_new(int64_t keep, int with_ids, cli_patterns **out)
{
    cli_patterns *t = calloc(1, sizeof *t);
    if (!t)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    t->keep = keep > 0 ? keep : 0;
    t->with_ids = with_ids;
    *out = t;
    return 0;
}

void cli_patterns_free(cli_patterns *t)
{
    if (!t)
        return;
    for (int64_t i = 0; t->ids && i < t->n * t->keep; i++)
        free(t->ids[i]);
    free(t->x);
    free(t->tx);
    free(t->T);
    free(t->w);
    free(t->first);
    free(t->count);
    free(t->rows);
    free(t->ids);
    free(t->slots);
    free(t);
}

static int grow(cli_patterns *t)
{
    int64_t cap = t->cap ? 2 * t->cap : 1024;
#define GROW(f, type)                                                        \
    do {                                                                     \
        type *p = realloc(t->f, (size_t)cap * sizeof *p);                    \
        if (!p)                                                              \
            return -1;                                                       \
        t->f = p;                                                            \
    } while (0)
    GROW(x, double);
    GROW(tx, double);
    GROW(T, double);
    GROW(w, double);
    GROW(first, int64_t);
    GROW(count, int64_t);
    if (t->keep) {
        int64_t *p = realloc(t->rows, (size_t)(cap * t->keep) * sizeof *p);
        if (!p)
            return -1;
        t->rows = p;
        if (t->with_ids) {
            char **q = realloc(t->ids, (size_t)(cap * t->keep) * sizeof *q);
            if (!q)
                return -1;
            memset(q + t->cap * t->keep, 0, (size_t)((cap - t->cap) * t->keep) * sizeof *q);
            t->ids = q;
        }
    }
#undef GROW
    t->cap = cap;
    /* rehash at half full */
    size_t ns = (size_t)cap * 2;
    int64_t *slots = calloc(ns, sizeof *slots);
    if (!slots)
        return -1;
    free(t->slots);
    t->slots = slots;
    t->nslots = ns;
    for (int64_t k = 0; k < t->n; k++)
        t->slots[slot_of(t, t->x[k], t->tx[k], t->T[k])] = k + 1;
    return 0;
}

int cli_patterns_add(cli_patterns *t, double x, double tx, double T, double w, int64_t row, const char *id)
{
    if (t->n == t->cap && grow(t) != 0)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    size_t i = slot_of(t, x, tx, T);
    int64_t k = t->slots[i] - 1;
    if (k < 0) {
        k = t->n++;
        t->slots[i] = k + 1;
        t->x[k] = x;
        t->tx[k] = tx;
        t->T[k] = T;
        t->w[k] = 0;
        t->first[k] = row;
        t->count[k] = 0;
    }
    t->w[k] += w;
    if (t->count[k] < t->keep) {
        int64_t at = k * t->keep + t->count[k];
        t->rows[at] = row;
        if (t->with_ids && !(t->ids[at] = cli_strdup(id)))
            return cli_fail(CLI_EXIT_FAILURE, "out of memory");
        t->count[k]++;
    }
    return 0;
}

int64_t cli_patterns_count(const cli_patterns *t) { return t->n; }

/* Patterns in the library's order (x, then t_x, then T: lib/pnbd_fit.c's
 * rec_cmp), so that the fit sums them as the library's own collapse would. */
static const cli_patterns *sort_table;
static int cmp_pattern(const void *pa, const void *pb)
{
    const cli_patterns *t = sort_table;
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    if (t->x[a] != t->x[b])
        return t->x[a] < t->x[b] ? -1 : 1;
    if (t->tx[a] != t->tx[b])
        return t->tx[a] < t->tx[b] ? -1 : 1;
    if (t->T[a] != t->T[b])
        return t->T[a] < t->T[b] ? -1 : 1;
    return 0;
}

int cli_patterns_order(const cli_patterns *t, int64_t **order)
{
    *order = malloc((size_t)(t->n > 0 ? t->n : 1) * sizeof **order);
    if (!*order)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    for (int64_t k = 0; k < t->n; k++)
        (*order)[k] = k;
    sort_table = t; /* the CLI is single-threaded here */
    qsort(*order, (size_t)t->n, sizeof **order, cmp_pattern);
    return 0;
}

void cli_patterns_get(const cli_patterns *t, int64_t k, double *x, double *tx, double *T, double *w)
{
    *x = t->x[k];
    *tx = t->tx[k];
    *T = t->T[k];
    *w = t->w[k];
}

int64_t cli_patterns_listed(const cli_patterns *t, int64_t k, int64_t j, const char **id)
{
    if (j >= t->count[k])
        return -1;
    *id = t->with_ids ? t->ids[k * t->keep + j] : NULL;
    return t->rows[k * t->keep + j];
}
