/*
 * check_pnbd_stream.c -- the streamed Pareto/NBD fit (lib/pnbd_pass.c,
 * pnbd_pass_io.c, pnbd_stream.c; issue 11 point 1): rows of (x, t_x, T)
 * streamed in chunks become a table of distinct patterns with counts, which
 * merges, serializes, and is fitted at occam_stream_finish.
 *
 * Data: CDNOW (data/cdnow_summary.csv, weeks, 2,357 customers; and
 * data/cdnow_summary_days.csv, days / 7, unrounded); the no-dropout set
 * tests/data/pnbd/no_dropout_1200.csv.  References:
 *  - the mpmath MLE of tests/data/pnbd/cdnow_reference.json at the
 *    tolerances of check_pnbd_fit.c (issue 4): parameters 1e-7 relative,
 *    standard errors 1e-6, log-likelihood 1e-10;
 *  - the in-memory fit occam_model_fit on the same rows, at issue 11's
 *    contract: estimates and standard errors within 1e-10 relative, the
 *    same log-likelihood (1e-10), iterations, convergence, conditions,
 *    observation and row counts exactly (su_compare);
 *  - the number of distinct (x, t_x, T) rows, counted here by sorting.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream_util.h"

/* n x 3 column-major (x, t_x, T). */
typedef struct cust {
    double *X;
    int64_t n;
} cust;

static cust load(const char *path, const char *cx, const char *ctx, const char *cT)
{
    tu_csv c = tu_load_csv(path);
    cust d = {malloc((size_t)c.nrows * 3 * sizeof(double)), c.nrows};
    const char *names[3] = {cx, ctx, cT};
    for (int j = 0; j < 3; j++) {
        int64_t k = tu_csv_col(&c, names[j]);
        ck_assert_int_ge(k, 0);
        const double *v = tu_csv_column(&c, k);
        for (int64_t i = 0; i < c.nrows; i++) d.X[j * c.nrows + i] = v[i];
    }
    tu_csv_free(&c);
    return d;
}

/* data/cdnow_summary_days.csv: id, first purchase (a date), x, t_x, T in days */
static cust cdnow_days(void)
{
    char *path = tu_data_path("../../data/cdnow_summary_days.csv");
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    free(path);
    char line[256], date[16];
    ck_assert(fgets(line, sizeof line, f) != NULL);
    enum { MAXN = 3000 };
    double *v = malloc(MAXN * 3 * sizeof(double)), x, tx, T;
    long id, xs;
    int64_t n = 0;
    while (n < MAXN && fscanf(f, "%ld,%10[^,],%lf,%lf,%lf,%ld", &id, date, &x, &tx, &T, &xs) == 6) {
        v[3 * n] = x;
        v[3 * n + 1] = tx / 7.0;
        v[3 * n + 2] = T / 7.0;
        n++;
    }
    fclose(f);
    ck_assert_int_eq(n, 2357);
    cust d = {malloc((size_t)n * 3 * sizeof(double)), n};
    for (int64_t i = 0; i < n; i++)
        for (int j = 0; j < 3; j++) d.X[j * n + i] = v[3 * i + j];
    free(v);
    return d;
}

static cust cdnow(void) { return load("../../data/cdnow_summary.csv", "x", "t_x", "T"); }

static occam_model *memory_fit(const cust *d, const double *w, const occam_opts *o, int want)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
    int rc = occam_model_fit(m, o, d->X, d->n, 3, d->n, OCCAM_COL_MAJOR, NULL, w, NULL);
    ck_assert_msg(rc == want, "in-memory fit: %s (%s)", occam_status_name(rc), occam_last_error());
    return m;
}

/* Feed rows [r0, r1) in chunks to a stream (s) or a partial (pt). */
static void feed(occam_stream *s, occam_partial *pt, const cust *d, const double *w, int64_t r0, int64_t r1,
                 int64_t chunk)
{
    for (int64_t r = r0; r < r1; r += chunk) {
        int64_t nb = r1 - r < chunk ? r1 - r : chunk;
        int rc = s ? occam_stream_update(s, d->X + r, nb, d->n, OCCAM_COL_MAJOR, NULL, w ? w + r : NULL, NULL)
                   : occam_partial_add(pt, d->X + r, nb, d->n, OCCAM_COL_MAJOR, NULL, w ? w + r : NULL, NULL);
        ck_assert_msg(rc == OCCAM_OK, "update: %s (%s)", occam_status_name(rc), occam_last_error());
    }
}

static occam_model *stream_fit(const cust *d, const double *w, const occam_opts *o, int64_t chunk, int want)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_stream_new(m, o, 3, w ? OCCAM_STREAM_WEIGHTS : 0, &s), OCCAM_OK);
    int more = 0, passes = 0;
    while (occam_stream_next(s, &more) == OCCAM_OK && more) {
        passes++;
        feed(s, NULL, d, w, 0, d->n, chunk);
    }
    ck_assert_int_eq(passes, 1); /* occam.h: a Pareto/NBD fit reads the data once */
    int rc = occam_stream_finish(s);
    ck_assert_msg(rc == want, "streamed fit: %s (%s)", occam_status_name(rc), occam_last_error());
    occam_stream_free(s);
    return m;
}

static void check_mle(const occam_model *m, const char *key, const char *what)
{
    cJSON *root = tu_load_json("pnbd/cdnow_reference.json");
    const cJSON *ref = tu_json_get(tu_json_get(root, "mle"), key);
    static const char *const k[4] = {"r", "alpha", "s", "beta"};
    double est[4], se[4], v;
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 4), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, 4), OCCAM_OK);
    char msg[96];
    for (int j = 0; j < 4; j++) {
        snprintf(msg, sizeof msg, "%s: %s", what, k[j]);
        TU_ASSERT_REL(est[j], tu_json_num(tu_json_get(tu_json_get(ref, "params_str"), k[j])), 1e-7, msg);
        snprintf(msg, sizeof msg, "%s: SE(%s)", what, k[j]);
        TU_ASSERT_REL(se[j], tu_json_num(tu_json_get(tu_json_get(ref, "std_errors"), k[j])), 1e-6, msg);
    }
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_LOGLIK, &v), OCCAM_OK);
    snprintf(msg, sizeof msg, "%s: loglik", what);
    TU_ASSERT_REL(v, tu_json_num(tu_json_get(ref, "loglik_str")), 1e-10, msg);
    cJSON_Delete(root);
}

/* ------------------------------------------------------------ streams */

START_TEST(test_cdnow_chunks)
{
    cust d = cdnow();
    occam_model *a = memory_fit(&d, NULL, NULL, OCCAM_OK);
    check_mle(a, "cdnow_summary", "in memory");
    const int64_t chunks[3] = {1, 7, 1000};
    for (int c = 0; c < 3; c++) {
        occam_model *b = stream_fit(&d, NULL, NULL, chunks[c], OCCAM_OK);
        char id[64];
        snprintf(id, sizeof id, "CDNOW, chunks of %lld", (long long)chunks[c]);
        su_compare(id, a, b, 1e-10);
        check_mle(b, "cdnow_summary", id);
        occam_model_free(b);
    }
    occam_model_free(a);
    free(d.X);
}
END_TEST

/* Unrounded day data (t_x, T in days / 7): more distinct patterns. */
START_TEST(test_cdnow_days)
{
    cust d = cdnow_days();
    occam_model *a = memory_fit(&d, NULL, NULL, OCCAM_OK);
    occam_model *b = stream_fit(&d, NULL, NULL, 7, OCCAM_OK);
    su_compare("CDNOW days, chunks of 7", a, b, 1e-10);
    check_mle(b, "cdnow_summary_days", "CDNOW days streamed");
    occam_model_free(a);
    occam_model_free(b);
    free(d.X);
}
END_TEST

/* Weights = customers per row (some 0): the streamed fit equals the
 * weighted in-memory fit, and the unweighted fit of the rows repeated. */
START_TEST(test_weights)
{
    cust d = cdnow();
    double *w = malloc((size_t)d.n * sizeof *w);
    int64_t big = 0;
    for (int64_t i = 0; i < d.n; i++) big += (w[i] = (double)(i % 4)); /* 0, 1, 2, 3 customers */
    cust e = {malloc((size_t)big * 3 * sizeof(double)), big};
    for (int64_t i = 0, k = 0; i < d.n; i++)
        for (int r = 0; r < (int)w[i]; r++, k++)
            for (int j = 0; j < 3; j++) e.X[j * big + k] = d.X[j * d.n + i];
    occam_model *a = memory_fit(&d, w, NULL, OCCAM_OK);
    occam_model *rep = memory_fit(&e, NULL, NULL, OCCAM_OK);
    const int64_t chunks[3] = {1, 7, 1000};
    for (int c = 0; c < 3; c++) {
        occam_model *b = stream_fit(&d, w, NULL, chunks[c], OCCAM_OK);
        su_compare("CDNOW weighted", a, b, 1e-10);
        double est[4], ref[4];
        ck_assert_int_eq(occam_model_coef(b, OCCAM_COEF_ESTIMATE, est, 4), OCCAM_OK);
        ck_assert_int_eq(occam_model_coef(rep, OCCAM_COEF_ESTIMATE, ref, 4), OCCAM_OK);
        for (int j = 0; j < 4; j++) TU_ASSERT_REL(est[j], ref[j], 1e-10, "weights = repeated rows");
        occam_model_free(b);
    }
    occam_model_free(a);
    occam_model_free(rep);
    free(e.X);
    free(w);
    free(d.X);
}
END_TEST

/* Conditions and options: maxit = 2 (not converged; the options are read at
 * finish from the stream's copy: freed here before), and the no-dropout
 * boundary (OCCAM_W_NO_DROPOUT). */
START_TEST(test_conditions)
{
    cust d = cdnow();
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_MAXIT, 2), OCCAM_OK);
    occam_model *a = memory_fit(&d, NULL, o, OCCAM_W_NOT_CONVERGED), *b = NULL;
    ck_assert_int_eq(occam_pnbd_new(&b), OCCAM_OK);
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_stream_new(b, o, 3, 0, &s), OCCAM_OK);
    occam_opts_free(o);
    int more;
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    feed(s, NULL, &d, NULL, 0, d.n, 100);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    ck_assert_int_eq(more, 0);
    ck_assert_int_eq(occam_stream_finish(s), OCCAM_W_NOT_CONVERGED);
    occam_stream_free(s);
    su_compare("CDNOW maxit 2", a, b, 1e-10);
    occam_model_free(a);
    occam_model_free(b);
    free(d.X);

    cust n = load("pnbd/no_dropout_1200.csv", "x", "t_x", "T");
    a = memory_fit(&n, NULL, NULL, OCCAM_W_NO_DROPOUT);
    b = stream_fit(&n, NULL, NULL, 7, OCCAM_W_NO_DROPOUT);
    su_compare("no dropout", a, b, 1e-10);
    cJSON *root = tu_load_json("pnbd/no_dropout_1200.json");
    double est[4];
    ck_assert_int_eq(occam_model_coef(b, OCCAM_COEF_ESTIMATE, est, 4), OCCAM_OK);
    /* the mpmath NBD limit at check_pnbd_boundary.c's tolerance */
    TU_ASSERT_REL(est[0], tu_json_num(tu_json_get(tu_json_get(root, "nbd_mle"), "r")), 1e-7, "NBD r");
    TU_ASSERT_REL(est[1], tu_json_num(tu_json_get(tu_json_get(root, "nbd_mle"), "alpha")), 1e-7, "NBD alpha");
    ck_assert(isinf(est[2]) && isinf(est[3]));
    cJSON_Delete(root);
    occam_model_free(a);
    occam_model_free(b);
    free(n.X);
}
END_TEST

/* ------------------------------------------------------------ partials */

static unsigned char *bytes_of(const occam_partial *pt, size_t *len)
{
    ck_assert_int_eq(occam_partial_serialize(pt, NULL, 0, len), OCCAM_E_BUFFER_TOO_SMALL);
    unsigned char *b = malloc(*len);
    ck_assert_int_eq(occam_partial_serialize(pt, b, *len, len), OCCAM_OK);
    return b;
}

static occam_partial *through_bytes(const occam_partial *pt)
{
    size_t len = 0;
    unsigned char *b = bytes_of(pt, &len);
    occam_partial *q = NULL;
    ck_assert_int_eq(occam_partial_deserialize(b, len, &q), OCCAM_OK);
    size_t len2 = 0;
    unsigned char *b2 = bytes_of(q, &len2);
    ck_assert(len2 == len && memcmp(b, b2, len) == 0); /* serialize(deserialize(bytes)) == bytes */
    free(b);
    free(b2);
    return q;
}

/* The element count of field `tag` in serialized bytes (0: absent). */
static uint64_t field_count(const unsigned char *b, size_t len, uint32_t tag)
{
    for (size_t pos = 24; pos + 16 <= len - 4;) {
        uint32_t t = 0, type = 0;
        uint64_t count = 0;
        for (int i = 3; i >= 0; i--) t = (t << 8) | b[pos + i];
        for (int i = 3; i >= 0; i--) type = (type << 8) | b[pos + 4 + i];
        for (int i = 7; i >= 0; i--) count = (count << 8) | b[pos + 8 + i];
        if (t == tag) return count;
        pos += 16 + (size_t)count * (type == 3 ? 1 : 8);
    }
    return 0;
}

enum { NPARTS = 5 };

/* CDNOW split in NPARTS shuffled-size ranges, each a forked partial fed in
 * chunks of 1, 7 or 1000, shipped as bytes, merged in four orders (left
 * fold, right fold, reversed, a tree): the four totals serialize to the same
 * bytes, and each absorbed into the stream gives the in-memory fit. */
START_TEST(test_forked_partials)
{
    cust d = cdnow();
    occam_model *a = memory_fit(&d, NULL, NULL, OCCAM_OK);
    const int64_t cut[NPARTS + 1] = {0, 1, 700, 701, 1900, 2357};
    const int64_t chunk[NPARTS] = {1, 7, 1000, 7, 1};
    unsigned char *first = NULL;
    size_t first_len = 0;
    for (int order = 0; order < 4; order++) {
        occam_model *b = NULL;
        ck_assert_int_eq(occam_pnbd_new(&b), OCCAM_OK);
        occam_stream *s = NULL;
        ck_assert_int_eq(occam_stream_new(b, NULL, 3, 0, &s), OCCAM_OK);
        int more;
        ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
        occam_partial *part[NPARTS];
        for (int k = 0; k < NPARTS; k++) {
            occam_partial *p = NULL;
            ck_assert_int_eq(occam_partial_fork(s, &p), OCCAM_OK);
            occam_partial *q = through_bytes(p); /* to a worker */
            occam_partial_free(p);
            feed(NULL, q, &d, NULL, cut[k], cut[k + 1], chunk[k]);
            part[k] = through_bytes(q); /* and back */
            occam_partial_free(q);
        }
        occam_partial *total = NULL;
        if (order == 0) { /* ((((0 1) 2) 3) 4) */
            total = part[0];
            for (int k = 1; k < NPARTS; k++) ck_assert_int_eq(occam_partial_merge(total, part[k]), OCCAM_OK);
        } else if (order == 1) { /* (0 (1 (2 (3 4)))) */
            for (int k = NPARTS - 2; k >= 0; k--) ck_assert_int_eq(occam_partial_merge(part[k], part[k + 1]), OCCAM_OK);
            total = part[0];
        } else if (order == 2) { /* 4 3 2 1 0 */
            total = part[NPARTS - 1];
            for (int k = NPARTS - 2; k >= 0; k--) ck_assert_int_eq(occam_partial_merge(total, part[k]), OCCAM_OK);
        } else { /* ((3 1) (4 (0 2))) */
            ck_assert_int_eq(occam_partial_merge(part[3], part[1]), OCCAM_OK);
            ck_assert_int_eq(occam_partial_merge(part[0], part[2]), OCCAM_OK);
            ck_assert_int_eq(occam_partial_merge(part[4], part[0]), OCCAM_OK);
            ck_assert_int_eq(occam_partial_merge(part[3], part[4]), OCCAM_OK);
            total = part[3];
        }
        int64_t rows = 0;
        ck_assert_int_eq(occam_partial_rows(total, &rows), OCCAM_OK);
        ck_assert_int_eq(rows, d.n);
        size_t len = 0;
        unsigned char *b2 = bytes_of(total, &len);
        if (order == 0) {
            first = b2;
            first_len = len;
            ck_assert_int_eq(field_count(b2, len, 301), 1016); /* distinct CDNOW patterns, counted below */
        } else {
            ck_assert_msg(len == first_len && memcmp(b2, first, len) == 0, "merge order %d: other bytes", order);
            free(b2);
        }
        ck_assert_int_eq(occam_stream_absorb(s, total), OCCAM_OK);
        for (int k = 0; k < NPARTS; k++) occam_partial_free(part[k]);
        ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
        ck_assert_int_eq(more, 0);
        ck_assert_int_eq(occam_stream_finish(s), OCCAM_OK);
        occam_stream_free(s);
        su_compare("CDNOW forked partials", a, b, 1e-10);
        check_mle(b, "cdnow_summary", "forked partials");
        occam_model_free(b);
    }
    free(first);
    occam_model_free(a);
    free(d.X);
}
END_TEST

static int cmp3(const void *pa, const void *pb)
{
    const double *a = pa, *b = pb;
    for (int j = 0; j < 3; j++)
        if (a[j] != b[j]) return a[j] < b[j] ? -1 : 1;
    return 0;
}

/* Memory O(distinct patterns): the table of CDNOW repeated 10 times holds
 * as many patterns (and serializes to as many bytes) as CDNOW once, the
 * number of distinct rows counted here by sorting. */
START_TEST(test_distinct_patterns)
{
    cust d = cdnow();
    double *r = malloc((size_t)d.n * 3 * sizeof *r);
    for (int64_t i = 0; i < d.n; i++)
        for (int j = 0; j < 3; j++) r[3 * i + j] = d.X[j * d.n + i];
    qsort(r, (size_t)d.n, 3 * sizeof *r, cmp3);
    uint64_t distinct = 0;
    for (int64_t i = 0; i < d.n; i++) distinct += i == 0 || cmp3(r + 3 * i, r + 3 * (i - 1)) != 0;
    free(r);
    size_t len[2] = {0, 0};
    for (int t = 0; t < 2; t++) {
        occam_model *m = NULL;
        ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
        occam_stream *s = NULL;
        ck_assert_int_eq(occam_stream_new(m, NULL, 3, 0, &s), OCCAM_OK);
        int more;
        ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
        occam_partial *p = NULL;
        ck_assert_int_eq(occam_partial_fork(s, &p), OCCAM_OK);
        for (int rep = 0; rep < (t ? 10 : 1); rep++) feed(NULL, p, &d, NULL, 0, d.n, 1000);
        unsigned char *b = bytes_of(p, &len[t]);
        ck_assert_uint_eq(field_count(b, len[t], 301), distinct);
        ck_assert_uint_eq(field_count(b, len[t], 304), distinct);
        free(b);
        int64_t rows = 0;
        ck_assert_int_eq(occam_partial_rows(p, &rows), OCCAM_OK);
        ck_assert_int_eq(rows, (t ? 10 : 1) * d.n);
        occam_partial_free(p);
        occam_stream_free(s);
        occam_model_free(m);
    }
    ck_assert_uint_eq(len[0], len[1]);
    free(d.X);
}
END_TEST

/* ------------------------------------------------------------ errors */

/* Bad row i of a copy of the first 40 CDNOW rows (col-major): the stream
 * (chunks of 7) fails with occam_model_fit's status and message. */
static void same_error(int col, int64_t row, double v, const double *w, const char *what)
{
    cust d = cdnow();
    cust e = {malloc(40 * 3 * sizeof(double)), 40};
    for (int j = 0; j < 3; j++) memcpy(e.X + j * 40, d.X + j * d.n, 40 * sizeof(double));
    free(d.X);
    if (col >= 0) e.X[col * 40 + row] = v;
    occam_model *m = NULL;
    ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
    int want = occam_model_fit(m, NULL, e.X, 40, 3, 40, OCCAM_COL_MAJOR, NULL, w, NULL);
    ck_assert_int_lt(want, 0);
    char msg[512];
    snprintf(msg, sizeof msg, "%s", occam_last_error());
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_stream_new(m, NULL, 3, w ? OCCAM_STREAM_WEIGHTS : 0, &s), OCCAM_OK);
    int more, rc = OCCAM_OK;
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    for (int64_t r = 0; r < 40 && rc == OCCAM_OK; r += 7)
        rc = occam_stream_update(s, e.X + r, 40 - r < 7 ? 40 - r : 7, 40, OCCAM_COL_MAJOR, NULL, w ? w + r : NULL,
                                 NULL);
    if (rc == OCCAM_OK) {
        ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
        rc = occam_stream_finish(s);
    } else {
        ck_assert_msg(strcmp(occam_last_error(), msg) == 0, "%s: \"%s\" streamed, \"%s\" in memory", what,
                      occam_last_error(), msg);
        ck_assert_int_eq(occam_stream_next(s, &more), rc); /* the stream stays failed */
    }
    ck_assert_msg(rc == want, "%s: %s streamed, %s in memory", what, occam_status_name(rc), occam_status_name(want));
    occam_stream_free(s);
    occam_model_free(m);
    free(e.X);
}

START_TEST(test_bad_rows)
{
    same_error(0, 9, 1.5, NULL, "x = 1.5");
    same_error(0, 20, -1, NULL, "x = -1");
    same_error(1, 33, 1e3, NULL, "t_x > T");
    same_error(2, 3, -2, NULL, "T < 0");
    same_error(2, 39, NAN, NULL, "T NaN");
    same_error(0, 0, INFINITY, NULL, "x Inf");
    double w[40];
    for (int i = 0; i < 40; i++) w[i] = 1;
    w[15] = -1;
    same_error(-1, 0, 0, w, "weight -1");
    w[15] = NAN;
    same_error(-1, 0, 0, w, "weight NaN");
    for (int i = 0; i < 40; i++) w[i] = 0;
    same_error(-1, 0, 0, w, "every weight 0");
    /* x = 0 with t_x > 0: CDNOW row 2 has x = 1; find a row with x = 0 */
    cust d = cdnow();
    int64_t z = 0;
    while (d.X[z] != 0) z++;
    free(d.X);
    ck_assert_int_lt(z, 40);
    same_error(1, z, 0.5, NULL, "x = 0, t_x > 0");
}
END_TEST

START_TEST(test_bad_calls)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_stream_new(m, NULL, 2, 0, &s), OCCAM_E_DIM_MISMATCH);
    ck_assert_int_eq(occam_stream_new(m, NULL, 3, OCCAM_STREAM_OFFSET, &s), OCCAM_E_INVALID_ARG);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(occam_stream_new(m, NULL, 3, 0, &s), OCCAM_OK);
    int more;
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    double X[3] = {1, 0.5, 2}, y = 1, w = 1;
    ck_assert_int_eq(occam_stream_update(s, X, 1, 3, OCCAM_ROW_MAJOR, NULL, &w, NULL), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_stream_update(s, X, 1, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_E_INVALID_ARG);
    occam_stream_free(s); /* failed by the weights it was not declared with */
    ck_assert_int_eq(occam_stream_new(m, NULL, 3, 0, &s), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    ck_assert_int_eq(occam_stream_update(s, X, 1, 3, OCCAM_ROW_MAJOR, &y, NULL, NULL), OCCAM_E_INVALID_ARG);
    ck_assert_str_eq(occam_last_error(), "Pareto/NBD fit: y must be NULL (the data are the n x 3 summaries (x, t_x, "
                                         "T) in X)");
    occam_stream_free(s);
    ck_assert_int_eq(occam_stream_new(m, NULL, 3, OCCAM_STREAM_WEIGHTS, &s), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    ck_assert_int_eq(occam_stream_update(s, X, 1, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_stream_update(s, X, 1, 3, OCCAM_ROW_MAJOR, NULL, &w, NULL), OCCAM_OK); /* not failed */
    ck_assert_int_eq(occam_stream_update(s, X, 0, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_OK); /* empty */
    /* a GLM partial is refused, the stream stays usable */
    occam_model *g = NULL;
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &g), OCCAM_OK);
    occam_stream *gs = NULL;
    ck_assert_int_eq(occam_stream_new(g, NULL, 3, OCCAM_STREAM_WEIGHTS, &gs), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(gs, &more), OCCAM_OK);
    occam_partial *gp = NULL;
    ck_assert_int_eq(occam_partial_fork(gs, &gp), OCCAM_OK);
    ck_assert_int_eq(occam_stream_absorb(s, gp), OCCAM_E_INVALID_ARG);
    occam_partial_free(gp);
    occam_stream_free(gs);
    occam_model_free(g);
    ck_assert_int_eq(occam_stream_finish(s), OCCAM_E_INVALID_ARG); /* the pass has not ended */
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    ck_assert_int_eq(more, 0);
    int rc = occam_stream_finish(s); /* one customer (weight 1, then an empty chunk): as in memory */
    occam_model *a = NULL;
    ck_assert_int_eq(occam_pnbd_new(&a), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(a, NULL, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &w, NULL), rc);
    if (rc >= 0) su_compare("one customer", a, m, 1e-10);
    occam_model_free(a);
    occam_stream_free(s);
    occam_model_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pnbd_stream");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_cdnow_chunks);
    tcase_add_test(tc, test_cdnow_days);
    tcase_add_test(tc, test_weights);
    tcase_add_test(tc, test_conditions);
    tcase_add_test(tc, test_forked_partials);
    tcase_add_test(tc, test_distinct_patterns);
    tcase_add_test(tc, test_bad_rows);
    tcase_add_test(tc, test_bad_calls);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
