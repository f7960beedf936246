/*
 * check_events.c -- lib/events.c, events_sort.c, events_text.c: the
 * mergeable event-log state (occam_events).
 *
 * Issue 11's acceptance: the CDNOW transaction log (data/cdnow_transactions.csv,
 * 6,919 records) shuffled with a fixed seed and cut into chunks of 1, 13 and
 * 1000 transactions, one state per chunk, merged in several orders (left
 * fold, reversed, pairwise tree, through serialize/deserialize) gives
 * exactly -- bit for bit -- the summary of the whole log, which equals
 * data/cdnow_summary_days.csv row for row (BTYD's cdnowSummary in days, an
 * independent preparation: data/README.cdnow.md), and the fit of the merged
 * summary gives the mpmath MLE of tests/data/pnbd/cdnow_reference.json at
 * the tolerances of check_pnbd_fit.c (parameters 1e-7 relative, standard
 * errors 1e-6, log-likelihood 1e-10).  Integer and text ids.
 *
 * Other logs (merge periods 0, 1 and 7; text ids with shared prefixes,
 * embedded NULs and proper prefixes) are checked against a direct
 * implementation of the definitions written here (sort each customer's
 * events, count distinct periods), and the text order against qsort with
 * memcmp.  Also: argument errors leave the state unchanged.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "occam.h"

/* ------------------------------------------------------------ fixtures */

typedef struct log_t {
    int64_t n;
    int64_t *id;
    double *t;
} log_t;

static log_t load_cdnow_log(void)
{
    char *path = tu_data_path("../../data/cdnow_transactions.csv");
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[256], date[32];
    ck_assert(fgets(line, sizeof line, f) != NULL);
    log_t L = {0, malloc(8000 * sizeof(int64_t)), malloc(8000 * sizeof(double))};
    long id, master;
    double cds, sales;
    while (L.n < 8000 && fscanf(f, "%ld,%31[^,],%lf,%lf,%ld", &id, date, &cds, &sales, &master) == 5) {
        L.id[L.n] = id;
        ck_assert_int_eq(occam_iso_date_days(date, &L.t[L.n]), OCCAM_OK);
        L.n++;
    }
    fclose(f);
    free(path);
    ck_assert_int_eq(L.n, 6919);
    return L;
}

static void log_free(log_t *L)
{
    free(L->id);
    free(L->t);
}

/* xorshift64*: a fixed-seed stream for shuffles and synthetic logs */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static void shuffle(log_t *L, uint64_t seed)
{
    for (int64_t i = L->n - 1; i > 0; i--) {
        int64_t j = (int64_t)(rng_next(&seed) % (uint64_t)(i + 1));
        int64_t a = L->id[i];
        L->id[i] = L->id[j];
        L->id[j] = a;
        double b = L->t[i];
        L->t[i] = L->t[j];
        L->t[j] = b;
    }
}

/* Decimal text of each id (for the text-id runs). */
static char **text_ids(const log_t *L)
{
    char **s = malloc((size_t)L->n * sizeof *s);
    for (int64_t i = 0; i < L->n; i++) {
        s[i] = malloc(24);
        snprintf(s[i], 24, "%lld", (long long)L->id[i]);
    }
    return s;
}

static void strings_free(char **s, int64_t n)
{
    for (int64_t i = 0; i < n; i++) free(s[i]);
    free(s);
}

/* ------------------------------------------------------------ results */

/* Everything a state reports, for bit-for-bit comparisons. */
typedef struct result {
    int64_t n;
    double *S, *first, *xs;
    int64_t *ids;    /* integer states */
    char *bytes;     /* text states */
    size_t *lens, nbytes;
    unsigned char *ser; /* serialized state */
    size_t nser;
} result;

static result get_result(const occam_events *e, int text)
{
    result r;
    memset(&r, 0, sizeof r);
    ck_assert_int_eq(occam_events_summary(e, NULL, NULL, NULL, 0, &r.n), OCCAM_E_BUFFER_TOO_SMALL);
    r.S = malloc((size_t)r.n * 3 * sizeof(double));
    r.first = malloc((size_t)r.n * sizeof(double));
    r.xs = malloc((size_t)r.n * sizeof(double));
    int64_t k = -1;
    ck_assert_int_eq(occam_events_summary(e, r.S, r.first, r.xs, r.n, &k), OCCAM_OK);
    ck_assert_int_eq(k, r.n);
    if (text) {
        ck_assert_int_eq(occam_events_text_ids(e, NULL, 0, NULL, 0, &r.nbytes, &k), OCCAM_E_BUFFER_TOO_SMALL);
        r.bytes = malloc(r.nbytes + 1);
        r.lens = malloc((size_t)r.n * sizeof(size_t));
        ck_assert_int_eq(occam_events_text_ids(e, r.bytes, r.nbytes, r.lens, r.n, &r.nbytes, &k), OCCAM_OK);
        ck_assert_int_eq(occam_events_ids(e, NULL, 0, &k), OCCAM_E_INVALID_ARG);
    } else {
        r.ids = malloc((size_t)r.n * sizeof(int64_t));
        ck_assert_int_eq(occam_events_ids(e, r.ids, r.n, &k), OCCAM_OK);
        ck_assert_int_eq(k, r.n);
    }
    ck_assert_int_eq(occam_events_serialize(e, NULL, 0, &r.nser), OCCAM_E_BUFFER_TOO_SMALL);
    r.ser = malloc(r.nser);
    ck_assert_int_eq(occam_events_serialize(e, r.ser, r.nser, &r.nser), OCCAM_OK);
    return r;
}

static void result_free(result *r)
{
    free(r->S);
    free(r->first);
    free(r->xs);
    free(r->ids);
    free(r->bytes);
    free(r->lens);
    free(r->ser);
}

static void assert_same(const result *a, const result *b, const char *what)
{
    ck_assert_msg(a->n == b->n, "%s: %lld customers vs %lld", what, (long long)a->n, (long long)b->n);
    size_t n = (size_t)a->n;
    ck_assert_msg(memcmp(a->S, b->S, 3 * n * sizeof(double)) == 0, "%s: summaries differ", what);
    ck_assert_msg(memcmp(a->first, b->first, n * sizeof(double)) == 0, "%s: first times differ", what);
    ck_assert_msg(memcmp(a->xs, b->xs, n * sizeof(double)) == 0, "%s: x_star differ", what);
    if (a->ids) ck_assert_msg(memcmp(a->ids, b->ids, n * sizeof(int64_t)) == 0, "%s: ids differ", what);
    if (a->bytes) {
        ck_assert_msg(a->nbytes == b->nbytes && memcmp(a->bytes, b->bytes, a->nbytes) == 0 &&
                          memcmp(a->lens, b->lens, n * sizeof(size_t)) == 0,
                      "%s: text ids differ", what);
    }
    ck_assert_msg(a->nser == b->nser && memcmp(a->ser, b->ser, a->nser) == 0, "%s: serialized states differ", what);
}

/* ------------------------------------------------------------ the oracle */

typedef struct oev {
    int64_t key; /* customer: id, or rank of its text */
    double t;
} oev;

static int oev_cmp(const void *pa, const void *pb)
{
    const oev *a = pa, *b = pb;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    return a->t < b->t ? -1 : a->t > b->t;
}

/* The definitions of occam.h computed directly: sort the (floored) events
 * by customer and time, count one customer's events (distinct periods when
 * P > 0) up to and after the calibration end.  keys order the customers.
 * Writes result rows for customers whose first event is by the end. */
static int64_t oracle(const int64_t *keys, const double *t, int64_t n, double cal_end, double P, int64_t *okey,
                      double *S, double *first, double *xs)
{
    oev *e = malloc((size_t)n * sizeof *e);
    double end = P > 0 ? P * floor(cal_end / P) : cal_end;
    for (int64_t i = 0; i < n; i++) e[i] = (oev){keys[i], P > 0 ? P * floor(t[i] / P) : t[i]};
    qsort(e, (size_t)n, sizeof *e, oev_cmp);
    int64_t k = 0;
    for (int64_t i = 0; i < n;) {
        int64_t j = i + 1, x = 0, h = 0;
        double last = e[i].t;
        for (; j < n && e[j].key == e[i].key; j++) {
            if (P > 0 && e[j].t == e[j - 1].t) continue;
            if (e[j].t <= end) {
                x++;
                last = e[j].t;
            } else {
                h++;
            }
        }
        if (e[i].t <= end) {
            okey[k] = e[i].key;
            S[3 * k] = (double)x;
            S[3 * k + 1] = x > 0 ? last - e[i].t : 0.0;
            S[3 * k + 2] = end - e[i].t;
            first[k] = e[i].t;
            xs[k] = (double)h;
            k++;
        }
        i = j;
    }
    free(e);
    return k;
}

/* ------------------------------------------------------------ chunking */

/* One state per chunk of `size` events of L (integer or text ids). */
static occam_events **chunk_states(const log_t *L, char **txt, int64_t size, double end, double P, int64_t *nchunks)
{
    int64_t m = (L->n + size - 1) / size;
    occam_events **s = malloc((size_t)m * sizeof *s);
    for (int64_t c = 0; c < m; c++) {
        int64_t a = c * size, len = L->n - a < size ? L->n - a : size;
        ck_assert_int_eq(occam_events_new(end, P, &s[c]), OCCAM_OK);
        if (txt)
            ck_assert_int_eq(occam_events_add_text(s[c], (const char *const *)txt + a, NULL, L->t + a, len), OCCAM_OK);
        else
            ck_assert_int_eq(occam_events_add(s[c], L->id + a, L->t + a, len), OCCAM_OK);
    }
    *nchunks = m;
    return s;
}

static void states_free(occam_events **s, int64_t m)
{
    for (int64_t c = 0; c < m; c++) occam_events_free(s[c]);
    free(s);
}

/* Merge a[lo..hi) pairwise into a new state. */
static occam_events *tree_merge(occam_events **a, int64_t lo, int64_t hi, double end, double P)
{
    if (hi - lo == 1) {
        occam_events *e;
        ck_assert_int_eq(occam_events_new(end, P, &e), OCCAM_OK);
        ck_assert_int_eq(occam_events_merge(e, a[lo]), OCCAM_OK);
        return e;
    }
    int64_t mid = lo + (hi - lo) / 2;
    occam_events *l = tree_merge(a, lo, mid, end, P), *r = tree_merge(a, mid, hi, end, P);
    ck_assert_int_eq(occam_events_merge(r, l), OCCAM_OK); /* right absorbs left: order of arguments varies */
    occam_events_free(l);
    return r;
}

/* Every way of putting the chunks together gives `whole` exactly. */
static void check_chunkings(const log_t *L, char **txt, double end, double P, const result *whole, const char *what)
{
    static const int64_t sizes[3] = {1, 13, 1000};
    for (int z = 0; z < 3; z++) {
        int64_t m;
        occam_events **s = chunk_states(L, txt, sizes[z], end, P, &m);
        char msg[128];
        /* left fold in chunk order */
        occam_events *acc;
        ck_assert_int_eq(occam_events_new(end, P, &acc), OCCAM_OK);
        for (int64_t c = 0; c < m; c++) ck_assert_int_eq(occam_events_merge(acc, s[c]), OCCAM_OK);
        result r = get_result(acc, txt != NULL);
        snprintf(msg, sizeof msg, "%s, chunks of %lld, in order", what, (long long)sizes[z]);
        assert_same(&r, whole, msg);
        result_free(&r);
        occam_events_free(acc);
        /* reversed, starting from the last chunk's state itself */
        ck_assert_int_eq(occam_events_new(end, P, &acc), OCCAM_OK);
        ck_assert_int_eq(occam_events_merge(acc, s[m - 1]), OCCAM_OK);
        for (int64_t c = m - 2; c >= 0; c--) ck_assert_int_eq(occam_events_merge(acc, s[c]), OCCAM_OK);
        r = get_result(acc, txt != NULL);
        snprintf(msg, sizeof msg, "%s, chunks of %lld, reversed", what, (long long)sizes[z]);
        assert_same(&r, whole, msg);
        result_free(&r);
        occam_events_free(acc);
        /* pairwise tree */
        acc = tree_merge(s, 0, m, end, P);
        r = get_result(acc, txt != NULL);
        snprintf(msg, sizeof msg, "%s, chunks of %lld, tree", what, (long long)sizes[z]);
        assert_same(&r, whole, msg);
        result_free(&r);
        occam_events_free(acc);
        /* through bytes: every chunk serialized, deserialized, merged */
        ck_assert_int_eq(occam_events_new(end, P, &acc), OCCAM_OK);
        for (int64_t c = 0; c < m; c++) {
            size_t need = 0;
            ck_assert_int_eq(occam_events_serialize(s[c], NULL, 0, &need), OCCAM_E_BUFFER_TOO_SMALL);
            unsigned char *b = malloc(need);
            ck_assert_int_eq(occam_events_serialize(s[c], b, need, &need), OCCAM_OK);
            occam_events *d = NULL;
            ck_assert_int_eq(occam_events_deserialize(b, need, &d), OCCAM_OK);
            ck_assert_int_eq(occam_events_merge(acc, d), OCCAM_OK);
            occam_events_free(d);
            free(b);
        }
        r = get_result(acc, txt != NULL);
        snprintf(msg, sizeof msg, "%s, chunks of %lld, serialized", what, (long long)sizes[z]);
        assert_same(&r, whole, msg);
        result_free(&r);
        occam_events_free(acc);
        /* one state taking the chunks as successive adds */
        ck_assert_int_eq(occam_events_new(end, P, &acc), OCCAM_OK);
        for (int64_t a = 0; a < L->n; a += sizes[z]) {
            int64_t len = L->n - a < sizes[z] ? L->n - a : sizes[z];
            if (txt)
                ck_assert_int_eq(occam_events_add_text(acc, (const char *const *)txt + a, NULL, L->t + a, len), OCCAM_OK);
            else
                ck_assert_int_eq(occam_events_add(acc, L->id + a, L->t + a, len), OCCAM_OK);
        }
        r = get_result(acc, txt != NULL);
        snprintf(msg, sizeof msg, "%s, chunks of %lld, added in turn", what, (long long)sizes[z]);
        assert_same(&r, whole, msg);
        result_free(&r);
        ck_assert_int_eq(occam_events_compact(acc), OCCAM_OK);
        r = get_result(acc, txt != NULL);
        snprintf(msg, sizeof msg, "%s, chunks of %lld, added in turn, compacted", what, (long long)sizes[z]);
        assert_same(&r, whole, msg);
        result_free(&r);
        occam_events_free(acc);
        states_free(s, m);
    }
}

/* ------------------------------------------------------------ CDNOW */

/* data/cdnow_summary_days.csv: id, first purchase, x, t_x and T in days, x_star */
typedef struct cdnow_ref {
    int64_t n;
    long id[2400], x[2400], tx[2400], T[2400], xs[2400];
    double first[2400];
} cdnow_ref;

static cdnow_ref *load_cdnow_ref(void)
{
    cdnow_ref *c = calloc(1, sizeof *c);
    char *path = tu_data_path("../../data/cdnow_summary_days.csv");
    FILE *f = fopen(path, "r");
    ck_assert(f != NULL);
    char line[256], date[32];
    ck_assert(fgets(line, sizeof line, f) != NULL);
    while (c->n < 2400 && fscanf(f, "%ld,%31[^,],%ld,%ld,%ld,%ld", &c->id[c->n], date, &c->x[c->n], &c->tx[c->n],
                                 &c->T[c->n], &c->xs[c->n]) == 6) {
        ck_assert_int_eq(occam_iso_date_days(date, &c->first[c->n]), OCCAM_OK);
        c->n++;
    }
    fclose(f);
    free(path);
    ck_assert_int_eq(c->n, 2357);
    return c;
}

/* Row i of a result against reference customer `id` (exact). */
static void assert_ref_row(const result *r, int64_t i, const cdnow_ref *c, long id)
{
    ck_assert(id >= 1 && id <= c->n && c->id[id - 1] == id);
    int64_t k = id - 1;
    ck_assert_msg(r->S[3 * i] == c->x[k] && r->S[3 * i + 1] == c->tx[k] && r->S[3 * i + 2] == c->T[k] &&
                      r->first[i] == c->first[k] && r->xs[i] == c->xs[k],
                  "customer %ld: got (%g, %g, %g, first %g, x* %g), BTYD (%ld, %ld, %ld, %g, %ld)", id, r->S[3 * i],
                  r->S[3 * i + 1], r->S[3 * i + 2], r->first[i], r->xs[i], c->x[k], c->tx[k], c->T[k], c->first[k],
                  c->xs[k]);
}

/* Fit the (x, t_x / 7, T / 7) rows: the mpmath MLE on the days data. */
static void check_fit(const result *r)
{
    double *X = malloc((size_t)r->n * 3 * sizeof(double));
    for (int64_t i = 0; i < r->n; i++) {
        X[3 * i] = r->S[3 * i];
        X[3 * i + 1] = r->S[3 * i + 1] / 7.0;
        X[3 * i + 2] = r->S[3 * i + 2] / 7.0;
    }
    occam_model *m = NULL;
    ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, X, r->n, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_OK);
    cJSON *root = tu_load_json("pnbd/cdnow_reference.json");
    const cJSON *ref = tu_json_get(tu_json_get(root, "mle"), "cdnow_summary_days");
    static const char *const k[4] = {"r", "alpha", "s", "beta"};
    double est[4], se[4], ll;
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 4), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, 4), OCCAM_OK);
    for (int j = 0; j < 4; j++) {
        /* check_pnbd_fit.c's tolerances: estimates 1e-7, standard errors 1e-6 relative */
        TU_ASSERT_REL(est[j], tu_json_num(tu_json_get(tu_json_get(ref, "params_str"), k[j])), 1e-7, k[j]);
        TU_ASSERT_REL(se[j], tu_json_num(tu_json_get(tu_json_get(ref, "std_errors"), k[j])), 1e-6, k[j]);
    }
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_LOGLIK, &ll), OCCAM_OK);
    TU_ASSERT_REL(ll, tu_json_num(tu_json_get(ref, "loglik_str")), 1e-10, "loglik"); /* 1e-10 relative */
    cJSON_Delete(root);
    occam_model_free(m);
    free(X);
}

START_TEST(test_cdnow_integer_ids)
{
    log_t L = load_cdnow_log();
    cdnow_ref *c = load_cdnow_ref();
    double end;
    ck_assert_int_eq(occam_iso_date_days("1997-09-30", &end), OCCAM_OK);
    /* the whole log in file order, one add */
    occam_events *e;
    ck_assert_int_eq(occam_events_new(end, 1.0, &e), OCCAM_OK);
    ck_assert_int_eq(occam_events_add(e, L.id, L.t, L.n), OCCAM_OK);
    result whole = get_result(e, 0);
    occam_events_free(e);
    ck_assert_int_eq(whole.n, 2357);
    for (int64_t i = 0; i < whole.n; i++) {
        ck_assert_int_eq(whole.ids[i], i + 1);
        assert_ref_row(&whole, i, c, (long)whole.ids[i]);
    }
    check_fit(&whole);
    shuffle(&L, 20261203);
    check_chunkings(&L, NULL, end, 1.0, &whole, "CDNOW, integer ids");
    result_free(&whole);
    free(c);
    log_free(&L);
}
END_TEST

START_TEST(test_cdnow_text_ids)
{
    log_t L = load_cdnow_log();
    cdnow_ref *c = load_cdnow_ref();
    double end;
    ck_assert_int_eq(occam_iso_date_days("1997-09-30", &end), OCCAM_OK);
    char **txt = text_ids(&L);
    occam_events *e;
    ck_assert_int_eq(occam_events_new(end, 1.0, &e), OCCAM_OK);
    ck_assert_int_eq(occam_events_add_text(e, (const char *const *)txt, NULL, L.t, L.n), OCCAM_OK);
    result whole = get_result(e, 1);
    occam_events_free(e);
    ck_assert_int_eq(whole.n, 2357);
    /* bytewise order: "1", "10", "100", "1000", "1001", ... */
    size_t pos = 0;
    char prev[32] = "";
    for (int64_t i = 0; i < whole.n; i++) {
        char id[32];
        ck_assert(whole.lens[i] > 0 && whole.lens[i] < sizeof id);
        memcpy(id, whole.bytes + pos, whole.lens[i]);
        id[whole.lens[i]] = '\0';
        pos += whole.lens[i];
        ck_assert_msg(i == 0 || strcmp(prev, id) < 0, "'%s' after '%s'", id, prev);
        strcpy(prev, id);
        assert_ref_row(&whole, i, c, strtol(id, NULL, 10));
    }
    ck_assert(pos == whole.nbytes);
    shuffle(&L, 20261204);
    strings_free(txt, L.n);
    txt = text_ids(&L);
    check_chunkings(&L, txt, end, 1.0, &whole, "CDNOW, text ids");
    strings_free(txt, L.n);
    result_free(&whole);
    free(c);
    log_free(&L);
}
END_TEST

/* ------------------------------------------------------------ other logs */

/* A synthetic log: ncust customers, times in [0, 100) with many ties (some
 * integers, some halves, some arbitrary), some customers starting after the
 * calibration end; ids spread over negative and positive values. */
static log_t synthetic(int64_t n, int64_t ncust, uint64_t seed)
{
    log_t L = {n, malloc((size_t)n * sizeof(int64_t)), malloc((size_t)n * sizeof(double))};
    for (int64_t i = 0; i < n; i++) {
        uint64_t u = rng_next(&seed);
        L.id[i] = (int64_t)(u % (uint64_t)ncust) * 7919 - 400000;
        uint64_t v = rng_next(&seed);
        switch (v % 3) {
        case 0: L.t[i] = (double)(v % 100); break;
        case 1: L.t[i] = (double)(v % 200) / 2; break;
        default: L.t[i] = (double)(v % 1000003) / 10000.03; break;
        }
        if (u % 17 == 0) L.t[i] = -L.t[i]; /* times before 0 too */
    }
    return L;
}

/* The state of the whole log against the oracle (integer ids). */
static void check_against_oracle(const log_t *L, double end, double P, const result *r)
{
    int64_t *okey = malloc((size_t)L->n * sizeof(int64_t));
    double *S = malloc((size_t)L->n * 3 * sizeof(double)), *first = malloc((size_t)L->n * sizeof(double)),
           *xs = malloc((size_t)L->n * sizeof(double));
    int64_t k = oracle(L->id, L->t, L->n, end, P, okey, S, first, xs);
    ck_assert_int_eq(r->n, k);
    for (int64_t i = 0; i < k; i++)
        ck_assert_msg(r->ids[i] == okey[i] && r->S[3 * i] == S[3 * i] && r->S[3 * i + 1] == S[3 * i + 1] &&
                          r->S[3 * i + 2] == S[3 * i + 2] && r->first[i] == first[i] && r->xs[i] == xs[i],
                      "P = %g, customer %lld: got (%g, %g, %g, %g, %g), direct (%g, %g, %g, %g, %g)", P,
                      (long long)okey[i], r->S[3 * i], r->S[3 * i + 1], r->S[3 * i + 2], r->first[i], r->xs[i],
                      S[3 * i], S[3 * i + 1], S[3 * i + 2], first[i], xs[i]);
    free(okey);
    free(S);
    free(first);
    free(xs);
}

START_TEST(test_merge_periods)
{
    static const double P[3] = {0.0, 1.0, 7.0};
    for (int p = 0; p < 3; p++) {
        log_t L = synthetic(6000, 700, 99 + (uint64_t)p);
        double end = 61.5;
        occam_events *e;
        ck_assert_int_eq(occam_events_new(end, P[p], &e), OCCAM_OK);
        ck_assert_int_eq(occam_events_add(e, L.id, L.t, L.n), OCCAM_OK);
        result whole = get_result(e, 0);
        occam_events_free(e);
        check_against_oracle(&L, end, P[p], &whole);
        check_chunkings(&L, NULL, end, P[p], &whole, P[p] == 0 ? "synthetic, P = 0" : "synthetic, P > 0");
        /* the old entry point is the same computation */
        int64_t *cid = malloc((size_t)whole.n * sizeof(int64_t)), k;
        double *S = malloc((size_t)whole.n * 3 * sizeof(double));
        ck_assert_int_eq(occam_pnbd_summarize_events(L.id, L.t, L.n, end, P[p], cid, S, NULL, NULL, whole.n, &k),
                         OCCAM_OK);
        ck_assert(k == whole.n && memcmp(S, whole.S, (size_t)k * 3 * sizeof(double)) == 0 &&
                  memcmp(cid, whole.ids, (size_t)k * sizeof(int64_t)) == 0);
        free(cid);
        free(S);
        result_free(&whole);
        log_free(&L);
    }
}
END_TEST

/* Text ids: byte strings with shared prefixes longer than 8 bytes, embedded
 * NULs, proper prefixes and the empty id. */
typedef struct tid {
    unsigned char b[40];
    size_t len;
} tid;

static int tid_cmp(const void *pa, const void *pb)
{
    const tid *a = pa, *b = pb;
    size_t m = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->b, b->b, m);
    return c ? c : (a->len < b->len ? -1 : a->len > b->len);
}

START_TEST(test_text_order)
{
    enum { NID = 600, NEV = 5000 };
    tid *ids = calloc(NID, sizeof *ids);
    uint64_t seed = 7;
    for (int i = 0; i < NID; i++) {
        int style = i % 5;
        if (style == 0) { /* long shared prefix */
            ids[i].len = (size_t)snprintf((char *)ids[i].b, sizeof ids[i].b, "customer-%07d", i * 37 % 1000);
        } else if (style == 1) { /* proper prefixes and NULs */
            ids[i].len = 1 + i % 11;
            for (size_t k = 0; k < ids[i].len; k++) ids[i].b[k] = k % 3 == 2 ? 0 : (unsigned char)('a' + i % 2);
        } else if (style == 2) { /* bytes >= 0x80 sort after ASCII */
            ids[i].len = 2 + i % 3;
            for (size_t k = 0; k < ids[i].len; k++) ids[i].b[k] = (unsigned char)(0x7f + (rng_next(&seed) % 3));
        } else {
            ids[i].len = rng_next(&seed) % 20;
            for (size_t k = 0; k < ids[i].len; k++) ids[i].b[k] = (unsigned char)(rng_next(&seed) % 4);
        }
    }
    /* distinct ids, sorted by the reference comparison */
    qsort(ids, NID, sizeof *ids, tid_cmp);
    int nd = 0;
    for (int i = 0; i < NID; i++)
        if (nd == 0 || tid_cmp(&ids[nd - 1], &ids[i]) != 0) ids[nd++] = ids[i];
    /* events: customer = rank in that order, so the oracle's key order is bytewise */
    const char **ev = malloc(NEV * sizeof *ev);
    size_t *lens = malloc(NEV * sizeof *lens);
    int64_t *rank = malloc(NEV * sizeof *rank);
    double *t = malloc(NEV * sizeof *t);
    for (int i = 0; i < NEV; i++) {
        int k = (int)(rng_next(&seed) % (uint64_t)nd);
        ev[i] = (const char *)ids[k].b;
        lens[i] = ids[k].len;
        rank[i] = k;
        t[i] = (double)(rng_next(&seed) % 50);
    }
    int64_t *okey = malloc(NEV * sizeof(int64_t));
    double *S = malloc(NEV * 3 * sizeof(double)), *first = malloc(NEV * sizeof(double)), *xs = malloc(NEV * sizeof(double));
    int64_t k = oracle(rank, t, NEV, 40.0, 1.0, okey, S, first, xs);
    /* in two halves, merged */
    occam_events *a, *b;
    ck_assert_int_eq(occam_events_new(40.0, 1.0, &a), OCCAM_OK);
    ck_assert_int_eq(occam_events_new(40.0, 1.0, &b), OCCAM_OK);
    ck_assert_int_eq(occam_events_add_text(a, ev, lens, t, NEV / 2), OCCAM_OK);
    ck_assert_int_eq(occam_events_add_text(b, ev + NEV / 2, lens + NEV / 2, t + NEV / 2, NEV - NEV / 2), OCCAM_OK);
    ck_assert_int_eq(occam_events_merge(b, a), OCCAM_OK);
    result r = get_result(b, 1);
    ck_assert_int_eq(r.n, k);
    size_t pos = 0;
    for (int64_t i = 0; i < k; i++) {
        const tid *want = &ids[okey[i]];
        ck_assert_msg(r.lens[i] == want->len && memcmp(r.bytes + pos, want->b, want->len) == 0,
                      "text id %lld out of order", (long long)i);
        pos += r.lens[i];
        ck_assert(r.S[3 * i] == S[3 * i] && r.S[3 * i + 1] == S[3 * i + 1] && r.S[3 * i + 2] == S[3 * i + 2] &&
                  r.first[i] == first[i] && r.xs[i] == xs[i]);
    }
    /* text_ids size checks */
    size_t need;
    int64_t n;
    ck_assert_int_eq(occam_events_text_ids(b, r.bytes, r.nbytes - 1, r.lens, k, &need, &n), OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert(need == r.nbytes && n == k);
    ck_assert_int_eq(occam_events_text_ids(b, r.bytes, r.nbytes, r.lens, k - 1, &need, &n), OCCAM_E_BUFFER_TOO_SMALL);
    /* adding integer ids to a text state is refused, the state unchanged */
    int64_t one = 1;
    double t0 = 0;
    ck_assert_int_eq(occam_events_add(b, &one, &t0, 1), OCCAM_E_INVALID_ARG);
    result again = get_result(b, 1);
    assert_same(&again, &r, "after a refused add");
    result_free(&again);
    result_free(&r);
    occam_events_free(a);
    occam_events_free(b);
    free(okey);
    free(S);
    free(first);
    free(xs);
    free(ev);
    free(lens);
    free(rank);
    free(t);
    free(ids);
}
END_TEST

/* ------------------------------------------------------------ small cases, errors */

START_TEST(test_small_by_hand)
{
    /* customer 7: 0, 2.5, 2.7, 4, 11 (holdout); customer 3 starts at 12 > end; 5: one event at 6 */
    int64_t ids[8] = {7, 3, 7, 5, 7, 7, 7, 3};
    double t[8] = {4.0, 12.0, 0.0, 6.0, 2.5, 11.0, 2.7, 13.0}, S[9], first[3], xs[3];
    int64_t cid[3], k;
    occam_events *e;
    /* P = 0, one event at a time */
    ck_assert_int_eq(occam_events_new(10.0, 0.0, &e), OCCAM_OK);
    for (int i = 0; i < 8; i++) ck_assert_int_eq(occam_events_add(e, ids + i, t + i, 1), OCCAM_OK);
    ck_assert_int_eq(occam_events_summary(e, S, first, xs, 3, &k), OCCAM_OK);
    ck_assert_int_eq(occam_events_ids(e, cid, 3, &k), OCCAM_OK);
    ck_assert_int_eq(k, 2);
    ck_assert(cid[0] == 5 && S[0] == 0 && S[1] == 0 && S[2] == 4.0 && first[0] == 6.0 && xs[0] == 0);
    ck_assert(cid[1] == 7 && S[3] == 3 && S[4] == 4.0 && S[5] == 10.0 && first[1] == 0.0 && xs[1] == 1);
    /* occam_events_customers: 3 customers, 2 born by the end (3 is born at 12) */
    int64_t nall = -1, nby = -1;
    ck_assert_int_eq(occam_events_customers(e, &nall, &nby), OCCAM_OK);
    ck_assert(nall == 3 && nby == 2);
    ck_assert_int_eq(occam_events_customers(e, &nall, NULL), OCCAM_E_NULL);
    /* customer 3 gets an event before the end in another state: now counted, its
     * events at 12 and 13 are holdout */
    occam_events *f;
    int64_t three = 3;
    double t3 = 9.0;
    ck_assert_int_eq(occam_events_new(10.0, 0.0, &f), OCCAM_OK);
    ck_assert_int_eq(occam_events_add(f, &three, &t3, 1), OCCAM_OK);
    ck_assert_int_eq(occam_events_merge(f, e), OCCAM_OK);
    ck_assert_int_eq(occam_events_summary(f, S, first, xs, 3, &k), OCCAM_OK);
    ck_assert_int_eq(occam_events_ids(f, cid, 3, &k), OCCAM_OK);
    ck_assert(k == 3 && cid[0] == 3 && S[0] == 0 && S[2] == 1.0 && first[0] == 9.0 && xs[0] == 2);
    ck_assert_int_eq(occam_events_customers(f, &nall, &nby), OCCAM_OK);
    ck_assert(nall == 3 && nby == 3);
    /* duplicates of the first event count with P = 0 (x = 1, t_x = 0) */
    occam_events *g;
    int64_t two[2] = {1, 1};
    double tt[2] = {5.0, 5.0};
    ck_assert_int_eq(occam_events_new(10.0, 0.0, &g), OCCAM_OK);
    ck_assert_int_eq(occam_events_add(g, two, tt, 2), OCCAM_OK);
    ck_assert_int_eq(occam_events_merge(g, f), OCCAM_OK);
    ck_assert_int_eq(occam_events_merge(g, f), OCCAM_OK); /* P = 0: merging twice counts twice */
    ck_assert_int_eq(occam_events_summary(g, S, first, xs, 3, &k), OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert_int_eq(k, 4);
    double S4[12], xs4[4];
    ck_assert_int_eq(occam_events_summary(g, S4, NULL, xs4, 4, &k), OCCAM_OK);
    ck_assert(S4[0] == 1 && S4[1] == 0 && S4[2] == 5.0);             /* customer 1 */
    ck_assert(S4[9] == 7 && S4[10] == 4.0 && xs4[3] == 2);           /* customer 7: 2 x (0, 2.5, 2.7, 4), 2 x 11 */
    /* an empty state, and one whose customers all start after the end */
    occam_events *h;
    ck_assert_int_eq(occam_events_new(1.0, 1.0, &h), OCCAM_OK);
    ck_assert_int_eq(occam_events_summary(h, S, NULL, NULL, 3, &k), OCCAM_E_NO_DATA);
    ck_assert_int_eq(k, 0);
    ck_assert_int_eq(occam_events_customers(h, &nall, &nby), OCCAM_OK);
    ck_assert(nall == 0 && nby == 0);
    ck_assert_int_eq(occam_events_add(h, ids, t, 0), OCCAM_OK);
    ck_assert_int_eq(occam_events_add(h, ids + 1, t + 1, 1), OCCAM_OK);
    ck_assert_int_eq(occam_events_summary(h, S, NULL, NULL, 3, &k), OCCAM_E_NO_DATA);
    ck_assert_int_eq(occam_events_customers(h, &nall, &nby), OCCAM_OK);
    ck_assert(nall == 1 && nby == 0);
    occam_events_free(e);
    occam_events_free(f);
    occam_events_free(g);
    occam_events_free(h);
}
END_TEST

START_TEST(test_errors)
{
    occam_events *e = NULL, *f = NULL, *g = NULL;
    ck_assert_int_eq(occam_events_new(0, 0, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_new(NAN, 0, &e), OCCAM_E_NONFINITE);
    ck_assert(e == NULL);
    ck_assert_int_eq(occam_events_new(INFINITY, 0, &e), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_events_new(1, -1, &e), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_new(1, INFINITY, &e), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_new(1e300, 1e-300, &e), OCCAM_E_INVALID_ARG); /* cal_end / P overflows */
    ck_assert_int_eq(occam_events_new(10, 1, &e), OCCAM_OK);
    int64_t ids[3] = {1, 2, 3};
    double t[3] = {1, 2, 3}, bad[3] = {1, NAN, 3}, S[9];
    int64_t k;
    ck_assert_int_eq(occam_events_add(NULL, ids, t, 3), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_add(e, NULL, t, 3), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_add(e, ids, NULL, 3), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_add(e, ids, t, -1), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_add(e, ids, bad, 3), OCCAM_E_NONFINITE);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "event 2"));
    ck_assert_int_eq(occam_events_summary(e, S, NULL, NULL, 3, &k), OCCAM_E_NO_DATA); /* nothing was added */
    ck_assert_int_eq(occam_events_add(e, ids, t, 3), OCCAM_OK);
    const char *txt[1] = {"a"};
    ck_assert_int_eq(occam_events_add_text(e, txt, NULL, t, 1), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_summary(e, S, NULL, NULL, 3, &k), OCCAM_OK);
    ck_assert_int_eq(k, 3);
    ck_assert_int_eq(occam_events_summary(e, S, NULL, NULL, -1, &k), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_summary(e, S, NULL, NULL, 3, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_summary(NULL, S, NULL, NULL, 3, &k), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_text_ids(e, NULL, 0, NULL, 0, NULL, &k), OCCAM_E_NULL);
    size_t need;
    ck_assert_int_eq(occam_events_text_ids(e, NULL, 0, NULL, 0, &need, &k), OCCAM_E_INVALID_ARG);
    /* merging: same settings and id kind only, never into itself */
    ck_assert_int_eq(occam_events_merge(e, e), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_merge(e, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_new(10, 0.5, &f), OCCAM_OK);
    ck_assert_int_eq(occam_events_add(f, ids, t, 3), OCCAM_OK);
    ck_assert_int_eq(occam_events_merge(e, f), OCCAM_E_INVALID_ARG);
    occam_events_free(f);
    ck_assert_int_eq(occam_events_new(11, 1, &f), OCCAM_OK);
    ck_assert_int_eq(occam_events_add(f, ids, t, 3), OCCAM_OK);
    ck_assert_int_eq(occam_events_merge(e, f), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_new(10, 1, &g), OCCAM_OK);
    ck_assert_int_eq(occam_events_add_text(g, txt, NULL, t, 1), OCCAM_OK);
    ck_assert_int_eq(occam_events_merge(e, g), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_merge(g, e), OCCAM_E_INVALID_ARG);
    const char *nul[1] = {NULL};
    size_t len1 = 1, len0 = 0;
    ck_assert_int_eq(occam_events_add_text(g, nul, &len1, t, 1), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_add_text(g, nul, &len0, t, 1), OCCAM_OK); /* the empty id */
    ck_assert_int_eq(occam_events_summary(e, S, NULL, NULL, 3, &k), OCCAM_OK);
    ck_assert(k == 3 && S[0] == 0 && S[2] == 9.0);
    /* a time whose quotient by the merge period overflows */
    occam_events_free(f);
    ck_assert_int_eq(occam_events_new(1, 1e-300, &f), OCCAM_OK);
    double huge = 1e300;
    ck_assert_int_eq(occam_events_add(f, ids, &huge, 1), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_compact(NULL), OCCAM_E_NULL);
    occam_events_free(NULL);
    occam_events_free(e);
    occam_events_free(f);
    occam_events_free(g);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("events");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_cdnow_integer_ids);
    tcase_add_test(tc, test_cdnow_text_ids);
    tcase_add_test(tc, test_merge_periods);
    tcase_add_test(tc, test_text_order);
    tcase_add_test(tc, test_small_by_hand);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
