/*
 * check_events_value.c -- lib/events_value.c and the valued event states
 * (occam_events_new_valued, occam_events_add_valued,
 * occam_events_add_text_valued, occam_events_spend, their merge and
 * serialization).
 *
 * Reference: tests/data/clv/cdnow_spend.csv (../shared/reference/clv: the
 * CDNOW spend table, computed with exact decimal arithmetic from the log:
 * same-day purchases merged by summing their sales, the first purchase day
 * excluded, calibration end 1997-09-30).  x is asserted exactly; m_x within
 * 4e-16 relative (the reference prints m_x exactly or to 20 digits; ours is
 * the fixed-point sum of the doubles of the log's 2-decimal sales, rounded
 * once, divided by x: two roundings away from the exact decimal value).
 * The Gamma-Gamma fit on the table built from the log gives the reference
 * MLE within 1e-6 relative, LL 1e-8, SEs 1e-4 (issue 13's tolerances).  The
 * table and the serialized bytes are the same for chunks of 6919, 13 and 1
 * events, with integer and text ids, merged in two orders.  Exactness:
 * values whose double sums depend on the order give one sum.  Errors and
 * the old (format 1.0) bytes of a state without values.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "occam.h"

typedef struct log_t {
    int64_t n;
    int64_t *id;
    double *t; /* days since 1997-01-01 */
    double *sales;
} log_t;

static log_t load_cdnow_log(void)
{
    char *path = tu_data_path("../../data/cdnow_transactions.csv");
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[256], date[32];
    ck_assert(fgets(line, sizeof line, f) != NULL);
    ck_assert_str_eq(line, "id,date,cds,sales,master_id\n");
    log_t L = {0, malloc(8000 * sizeof(int64_t)), malloc(8000 * sizeof(double)), malloc(8000 * sizeof(double))};
    long id, master;
    double cds, sales, day0;
    ck_assert_int_eq(occam_iso_date_days("1997-01-01", &day0), OCCAM_OK);
    while (L.n < 8000 && fscanf(f, "%ld,%31[^,],%lf,%lf,%ld", &id, date, &cds, &sales, &master) == 5) {
        L.id[L.n] = id;
        ck_assert_int_eq(occam_iso_date_days(date, &L.t[L.n]), OCCAM_OK);
        L.t[L.n] -= day0;
        L.sales[L.n] = sales;
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
    free(L->sales);
}

/* The CDNOW valued state (calibration end 1997-09-30 = day 272, one
 * record a customer-day), in chunks of `chunk` events, merged into the
 * first (backwards: the last chunk first). */
static occam_events *cdnow_state(const log_t *L, int64_t chunk, int text, int backwards)
{
    occam_events *all = NULL;
    ck_assert_int_eq(occam_events_new_valued(272, 1, &all), OCCAM_OK);
    int64_t nchunks = (L->n + chunk - 1) / chunk;
    for (int64_t c = 0; c < nchunks; c++) {
        int64_t i = (backwards ? nchunks - 1 - c : c) * chunk;
        int64_t n = i + chunk <= L->n ? chunk : L->n - i;
        occam_events *part = NULL;
        ck_assert_int_eq(occam_events_new_valued(272, 1, &part), OCCAM_OK);
        if (text) {
            char **ids = malloc((size_t)n * sizeof *ids);
            for (int64_t k = 0; k < n; k++) {
                ids[k] = malloc(24);
                snprintf(ids[k], 24, "c%06lld", (long long)L->id[i + k]); /* bytewise order = id order */
            }
            ck_assert_int_eq(occam_events_add_text_valued(part, (const char *const *)ids, NULL, L->t + i, L->sales + i, n),
                             OCCAM_OK);
            for (int64_t k = 0; k < n; k++) free(ids[k]);
            free(ids);
        } else {
            ck_assert_int_eq(occam_events_add_valued(part, L->id + i, L->t + i, L->sales + i, n), OCCAM_OK);
        }
        ck_assert_int_eq(occam_events_merge(all, part), OCCAM_OK);
        occam_events_free(part);
    }
    return all;
}

static double *spend_of(const occam_events *e, int64_t *n)
{
    ck_assert_int_eq(occam_events_spend(e, NULL, 0, n), OCCAM_E_BUFFER_TOO_SMALL);
    double *xm = malloc((size_t)*n * 2 * sizeof *xm);
    ck_assert_int_eq(occam_events_spend(e, xm, *n, n), OCCAM_OK);
    return xm;
}

static void *bytes_of(const occam_events *e, size_t *len)
{
    ck_assert_int_eq(occam_events_serialize(e, NULL, 0, len), OCCAM_E_BUFFER_TOO_SMALL);
    void *b = malloc(*len);
    ck_assert_int_eq(occam_events_serialize(e, b, *len, len), OCCAM_OK);
    return b;
}

START_TEST(test_cdnow_spend_table)
{
    log_t L = load_cdnow_log();
    tu_csv ref = tu_load_csv("clv/cdnow_spend.csv");
    const double *rid = tu_csv_column(&ref, tu_csv_col(&ref, "id")), *rx = tu_csv_column(&ref, tu_csv_col(&ref, "x")),
                 *rm = tu_csv_column(&ref, tu_csv_col(&ref, "m_x"));
    ck_assert_int_eq(ref.nrows, 2357);
    occam_events *e0 = cdnow_state(&L, 6919, 0, 0);
    int64_t n = 0;
    double *xm = spend_of(e0, &n);
    ck_assert_int_eq(n, 2357);
    int64_t *ids = malloc((size_t)n * sizeof *ids);
    ck_assert_int_eq(occam_events_ids(e0, ids, n, &n), OCCAM_OK);
    int64_t positive = 0;
    for (int64_t i = 0; i < n; i++) {
        char what[64];
        snprintf(what, sizeof what, "m_x of id %lld", (long long)ids[i]);
        ck_assert_double_eq((double)ids[i], rid[i]);
        ck_assert_msg(xm[2 * i] == rx[i], "x of id %lld: %g, reference %g", (long long)ids[i], xm[2 * i], rx[i]);
        TU_ASSERT_REL(xm[2 * i + 1], rm[i], 4e-16, what);
        positive += xm[2 * i] > 0;
    }
    ck_assert_int_eq(positive, 946); /* the README's count */
    /* x agrees with the summary's */
    double *S = malloc((size_t)n * 3 * sizeof *S);
    ck_assert_int_eq(occam_events_summary(e0, S, NULL, NULL, n, &n), OCCAM_OK);
    for (int64_t i = 0; i < n; i++) ck_assert_double_eq(S[3 * i], xm[2 * i]);
    /* the same table and bytes whatever the chunking, merge order and id kind */
    size_t len0 = 0;
    void *b0 = bytes_of(e0, &len0);
    static const int64_t chunks[] = {13, 1, 1000};
    for (int k = 0; k < 3; k++)
        for (int text = 0; text <= 1; text++) {
            occam_events *e = cdnow_state(&L, chunks[k], text, k == 2);
            int64_t m = 0;
            double *xm2 = spend_of(e, &m);
            ck_assert_int_eq(m, n);
            ck_assert_int_eq(memcmp(xm, xm2, (size_t)n * 2 * sizeof *xm), 0);
            if (!text) {
                size_t len = 0;
                void *b = bytes_of(e, &len);
                ck_assert_uint_eq(len, len0);
                ck_assert_int_eq(memcmp(b, b0, len), 0);
                free(b);
            }
            free(xm2);
            occam_events_free(e);
        }
    /* a valued state is format 1.1 and reads back to the same table */
    ck_assert_int_eq(((unsigned char *)b0)[10], 1);
    occam_events *back = NULL;
    ck_assert_int_eq(occam_events_deserialize(b0, len0, &back), OCCAM_OK);
    int64_t m = 0;
    double *xm3 = spend_of(back, &m);
    ck_assert_int_eq(memcmp(xm, xm3, (size_t)n * 2 * sizeof *xm), 0);
    size_t len1 = 0;
    void *b1 = bytes_of(back, &len1);
    ck_assert_uint_eq(len1, len0);
    ck_assert_int_eq(memcmp(b1, b0, len0), 0);
    /* and keeps taking values */
    int64_t id1 = 1;
    double t1 = 100, v1 = 10;
    ck_assert_int_eq(occam_events_add_valued(back, &id1, &t1, &v1, 1), OCCAM_OK);
    ck_assert_int_eq(occam_events_add(back, &id1, &t1, 1), OCCAM_E_INVALID_ARG);
    free(b1);
    free(xm3);
    occam_events_free(back);
    free(b0);
    free(S);
    free(ids);
    free(xm);
    occam_events_free(e0);
    tu_csv_free(&ref);
    log_free(&L);
}
END_TEST

/* The Gamma-Gamma fit on the table built from the log. */
START_TEST(test_cdnow_gg_fit)
{
    log_t L = load_cdnow_log();
    occam_events *e = cdnow_state(&L, 500, 0, 0);
    int64_t n = 0;
    double *xm = spend_of(e, &n);
    cJSON *root = tu_load_json("clv/shared.json");
    const cJSON *mle = tu_json_get(tu_json_get(root, "gamma_gamma"), "mle");
    occam_model *m = NULL;
    ck_assert_int_eq(occam_gg_new(&m), OCCAM_OK);
    double *X = malloc((size_t)n * 2 * sizeof *X); /* column-major x, m_x */
    for (int64_t i = 0; i < n; i++) {
        X[i] = xm[2 * i];
        X[n + i] = xm[2 * i + 1];
    }
    int st = occam_model_fit(m, NULL, X, n, 2, n, OCCAM_COL_MAJOR, NULL, NULL, NULL);
    ck_assert_msg(st == OCCAM_OK, "fit: %d %s", st, occam_last_error());
    free(X);
    double est[3], se[3], v;
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 3), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, 3), OCCAM_OK);
    static const char *k[3] = {"p", "q", "gamma"};
    for (int j = 0; j < 3; j++) {
        TU_ASSERT_REL(est[j], tu_json_num(tu_json_get(tu_json_get(mle, "params"), k[j])), 1e-6, k[j]);
        TU_ASSERT_REL(se[j], tu_json_num(tu_json_get(tu_json_get(mle, "std_errors"), k[j])), 1e-4, k[j]);
    }
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_LOGLIK, &v), OCCAM_OK);
    TU_ASSERT_REL(v, tu_json_num(tu_json_get(mle, "loglik")), 1e-8, "loglik");
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_NOBS, &v), OCCAM_OK);
    ck_assert_double_eq(v, 946);
    occam_model_free(m);
    cJSON_Delete(root);
    free(xm);
    occam_events_free(e);
    log_free(&L);
}
END_TEST

/* Same-period values summed, the first period excluded, holdout periods
 * excluded; x = 0 gives m_x = 0; the customer born after the end is not
 * reported. */
START_TEST(test_definitions)
{
    occam_events *e = NULL;
    ck_assert_int_eq(occam_events_new_valued(10, 1, &e), OCCAM_OK);
    /* customer 1: born day 2 (5 + 1), repeats day 3 (2 + 4: one period of
     * 6), day 5.5 (3), holdout day 12 (100); customer 2: day 4 only;
     * customer 3: born day 11, after the end */
    int64_t ids[] = {1, 1, 1, 1, 1, 1, 2, 3};
    double t[] = {2.1, 2.9, 3.2, 3.7, 5.5, 12, 4, 11}, v[] = {5, 1, 2, 4, 3, 100, 7, 9};
    ck_assert_int_eq(occam_events_add_valued(e, ids, t, v, 8), OCCAM_OK);
    double xm[4] = {-1, -1, -1, -1};
    int64_t n = 0;
    ck_assert_int_eq(occam_events_spend(e, xm, 2, &n), OCCAM_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_double_eq(xm[0], 2);
    ck_assert_double_eq(xm[1], 4.5); /* (6 + 3) / 2 */
    ck_assert_double_eq(xm[2], 0);
    ck_assert_double_eq(xm[3], 0);
    occam_events_free(e);
}
END_TEST

/* Sums are exact: values whose double sum depends on the order give one
 * result in any chunking; tiny values keep 64 fractional bits. */
START_TEST(test_exact_sums)
{
    /* the birth (5), then one repeat period of 8 events */
    double v[] = {5, 1e15, 0.1, -1e15, 0.2, 3e-3, 1e15, -1e15, 0.7};
    int64_t ids[9];
    double t[9];
    for (int i = 0; i < 9; i++) {
        ids[i] = 1;
        t[i] = i == 0 ? 0 : 5;
    }
    double first = -1;
    for (int order = 0; order < 4; order++) {
        occam_events *e = NULL;
        ck_assert_int_eq(occam_events_new_valued(10, 1, &e), OCCAM_OK);
        int perm[9];
        for (int i = 0; i < 9; i++) perm[i] = order % 2 ? (i == 0 ? 0 : 9 - i) : i;
        for (int i = 0; i < 9; i++) {
            int j = perm[i];
            if (order >= 2) { /* one state per event, merged */
                occam_events *p = NULL;
                ck_assert_int_eq(occam_events_new_valued(10, 1, &p), OCCAM_OK);
                ck_assert_int_eq(occam_events_add_valued(p, &ids[j], &t[j], &v[j], 1), OCCAM_OK);
                ck_assert_int_eq(occam_events_merge(e, p), OCCAM_OK);
                occam_events_free(p);
            } else {
                ck_assert_int_eq(occam_events_add_valued(e, &ids[j], &t[j], &v[j], 1), OCCAM_OK);
            }
        }
        double xm[2];
        int64_t n = 0;
        ck_assert_int_eq(occam_events_spend(e, xm, 1, &n), OCCAM_OK);
        ck_assert_double_eq(xm[0], 1);
        if (order == 0) first = xm[1];
        ck_assert_msg(xm[1] == first, "order %d: %.17g vs %.17g", order, xm[1], first);
        occam_events_free(e);
    }
    /* the exact sum of the doubles 0.1 + 0.2 + 3e-3 + 0.7 (the 1e15 cancel),
     * rounded once: 1.003 to double precision */
    ck_assert_msg(fabs(first - 1.003) <= 2.3e-16, "%.17g", first);
    /* a tiny value keeps its bits down to 2^-64; one below 2^-65 rounds to 0 */
    occam_events *e = NULL;
    ck_assert_int_eq(occam_events_new_valued(10, 1, &e), OCCAM_OK);
    int64_t id2[] = {1, 1, 2, 2};
    double t2[] = {0, 1, 0, 1}, v2[] = {1, ldexp(3, -64), 1, ldexp(1, -66)}, xm[4];
    ck_assert_int_eq(occam_events_add_valued(e, id2, t2, v2, 4), OCCAM_OK);
    int64_t n = 0;
    ck_assert_int_eq(occam_events_spend(e, xm, 2, &n), OCCAM_OK);
    ck_assert_double_eq(xm[1], ldexp(3, -64));
    ck_assert_double_eq(xm[3], 0);
    occam_events_free(e);
}
END_TEST

START_TEST(test_errors)
{
    occam_events *e = NULL, *plain = NULL, *out = (occam_events *)1;
    ck_assert_int_eq(occam_events_new_valued(10, 0, &out), OCCAM_E_INVALID_ARG);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(occam_events_new_valued(NAN, 1, &out), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_events_new_valued(10, 1, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_new_valued(10, 1, &e), OCCAM_OK);
    ck_assert_int_eq(occam_events_new(10, 1, &plain), OCCAM_OK);
    int64_t id = 1;
    double t = 1, v = 2, nan = NAN, huge = ldexp(1, 62);
    const char *tid = "a";
    ck_assert_int_eq(occam_events_add(e, &id, &t, 1), OCCAM_E_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "holds values"));
    ck_assert_int_eq(occam_events_add_text(e, &tid, NULL, &t, 1), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_add_valued(plain, &id, &t, &v, 1), OCCAM_E_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "holds no values"));
    ck_assert_int_eq(occam_events_add_text_valued(plain, &tid, NULL, &t, &v, 1), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_add_valued(e, &id, &t, NULL, 1), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_add_valued(e, &id, &t, &nan, 1), OCCAM_E_NONFINITE);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "value of event 1"));
    ck_assert_int_eq(occam_events_add_valued(e, &id, &t, &huge, 1), OCCAM_E_TOO_LARGE);
    int64_t n = -1;
    double xm[2];
    ck_assert_int_eq(occam_events_spend(e, xm, 1, &n), OCCAM_E_NO_DATA); /* nothing was added */
    ck_assert_int_eq(occam_events_spend(plain, xm, 1, &n), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_spend(NULL, xm, 1, &n), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_spend(e, xm, -1, &n), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_merge(e, plain), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_merge(plain, e), OCCAM_E_INVALID_ARG);
    /* the bound across merges */
    double big = ldexp(1, 61) * 1.5;
    occam_events *b1 = NULL, *b2 = NULL;
    ck_assert_int_eq(occam_events_new_valued(10, 1, &b1), OCCAM_OK);
    ck_assert_int_eq(occam_events_new_valued(10, 1, &b2), OCCAM_OK);
    ck_assert_int_eq(occam_events_add_valued(b1, &id, &t, &big, 1), OCCAM_OK);
    ck_assert_int_eq(occam_events_add_valued(b2, &id, &t, &big, 1), OCCAM_OK);
    ck_assert_int_eq(occam_events_merge(b1, b2), OCCAM_E_TOO_LARGE);
    ck_assert_int_eq(occam_events_add_valued(b1, &id, &t, &big, 1), OCCAM_E_TOO_LARGE);
    /* a state without values is still written as format 1.0 */
    ck_assert_int_eq(occam_events_add(plain, &id, &t, 1), OCCAM_OK);
    size_t len = 0;
    void *b = bytes_of(plain, &len);
    ck_assert_int_eq(((unsigned char *)b)[10], 0);
    free(b);
    /* an empty valued state round-trips as valued */
    b = bytes_of(e, &len);
    occam_events *back = NULL;
    ck_assert_int_eq(occam_events_deserialize(b, len, &back), OCCAM_OK);
    ck_assert_int_eq(occam_events_add_valued(back, &id, &t, &v, 1), OCCAM_OK);
    ck_assert_int_eq(occam_events_merge(back, plain), OCCAM_E_INVALID_ARG);
    free(b);
    occam_events_free(back);
    occam_events_free(b1);
    occam_events_free(b2);
    occam_events_free(e);
    occam_events_free(plain);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("events_value");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_cdnow_spend_table);
    tcase_add_test(tc, test_cdnow_gg_fit);
    tcase_add_test(tc, test_definitions);
    tcase_add_test(tc, test_exact_sums);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
