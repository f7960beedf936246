/*
 * check_events_tracking.c -- lib/events_tracking.c: the cohort's repeat
 * transactions per time bin (occam_events_repeat_counts).
 *
 * Reference: tests/data/clv/shared.json (../shared/reference/clv, counted
 * independently from the CDNOW log with mpmath's scripts), `tracking`:
 * actual_inc and actual_cum, the repeat transactions (customer-days after
 * the first) of the 2,357 CDNOW customers per week w = days 7(w-1) ..
 * 7w-1 after 1997-01-01, weeks 1..78; actual_cum equals BTYD's
 * cdnowSummary$cu.tracking.  Counts are integers: asserted exactly.  The
 * same counts from a state built in chunks and merged (the function reads
 * the merged state) and from text ids.  Errors: merge_period 0, edges not
 * increasing, NULLs.  occam_events_time_range: CDNOW's first and last days
 * (1997-01-01 and 1998-06-30, the data README), an empty state.
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
    double cds, sales, day0;
    ck_assert_int_eq(occam_iso_date_days("1997-01-01", &day0), OCCAM_OK);
    while (L.n < 8000 && fscanf(f, "%ld,%31[^,],%lf,%lf,%ld", &id, date, &cds, &sales, &master) == 5) {
        L.id[L.n] = id;
        ck_assert_int_eq(occam_iso_date_days(date, &L.t[L.n]), OCCAM_OK);
        L.t[L.n] -= day0;
        L.n++;
    }
    fclose(f);
    free(path);
    ck_assert_int_eq(L.n, 6919);
    return L;
}

/* The CDNOW state: calibration end 1997-09-30 (day 272), one record a
 * customer-day; in chunks of `chunk` events merged into the first. */
static occam_events *cdnow_state(const log_t *L, int64_t chunk, int text)
{
    occam_events *all = NULL;
    ck_assert_int_eq(occam_events_new(272, 1, &all), OCCAM_OK);
    for (int64_t i = 0; i < L->n; i += chunk) {
        int64_t n = i + chunk <= L->n ? chunk : L->n - i;
        occam_events *part = NULL;
        ck_assert_int_eq(occam_events_new(272, 1, &part), OCCAM_OK);
        if (text) {
            char **ids = malloc((size_t)n * sizeof *ids);
            for (int64_t k = 0; k < n; k++) {
                ids[k] = malloc(24);
                snprintf(ids[k], 24, "c%lld", (long long)L->id[i + k]);
            }
            ck_assert_int_eq(occam_events_add_text(part, (const char *const *)ids, NULL, L->t + i, n), OCCAM_OK);
            for (int64_t k = 0; k < n; k++) free(ids[k]);
            free(ids);
        } else {
            ck_assert_int_eq(occam_events_add(part, L->id + i, L->t + i, n), OCCAM_OK);
        }
        ck_assert_int_eq(occam_events_merge(all, part), OCCAM_OK);
        occam_events_free(part);
    }
    return all;
}

/* Weekly counts of 78 weeks against the reference, exactly. */
static void check_weeks(const occam_events *e)
{
    cJSON *root = tu_load_json("clv/shared.json");
    const cJSON *tr = tu_json_get(root, "tracking");
    int64_t nw = 0, nc = 0;
    double *inc = tu_json_array(tu_json_get(tr, "actual_inc"), &nw);
    double *cum = tu_json_array(tu_json_get(tr, "actual_cum"), &nc);
    ck_assert_int_eq(nw, 78);
    ck_assert_int_eq(nc, 78);
    double edges[79], got[78];
    for (int w = 0; w <= 78; w++) edges[w] = 7.0 * w;
    ck_assert_int_eq(occam_events_repeat_counts(e, edges, 78, got), OCCAM_OK);
    double run = 0;
    for (int w = 0; w < 78; w++) {
        run += got[w];
        ck_assert_msg(got[w] == inc[w], "week %d: %g repeat transactions, reference %g", w + 1, got[w], inc[w]);
        ck_assert_msg(run == cum[w], "week %d: cumulative %g, reference %g", w + 1, run, cum[w]);
    }
    double lo = 0, hi = 0;
    ck_assert_int_eq(occam_events_time_range(e, &lo, &hi), OCCAM_OK);
    ck_assert_double_eq(lo, 0);   /* 1997-01-01, the data README's first day */
    ck_assert_double_eq(hi, 545); /* 1998-06-30, its last */
    ck_assert_double_eq(cum[38], 2457); /* the README's figures: by week 39 and 78 */
    ck_assert_double_eq(cum[77], 4339);
    free(inc);
    free(cum);
    cJSON_Delete(root);
}

START_TEST(test_cdnow_weeks)
{
    log_t L = load_cdnow_log();
    static const int64_t chunks[] = {6919, 13, 1};
    for (int k = 0; k < 3; k++)
        for (int text = 0; text <= 1; text++) {
            occam_events *e = cdnow_state(&L, chunks[k], text);
            check_weeks(e);
            occam_events_free(e);
        }
    free(L.id);
    free(L.t);
}
END_TEST

/* Only the cohort counts (first event by the calibration end), only repeat
 * events, only inside the edges; each period once. */
START_TEST(test_definitions)
{
    occam_events *e = NULL;
    ck_assert_int_eq(occam_events_new(10, 1, &e), OCCAM_OK);
    /* customer 1: born 2, repeats at days 3 (twice: one period), 5.5, 12;
     * customer 2: born 11, after the calibration end: not in the cohort */
    int64_t ids[] = {1, 1, 1, 1, 1, 2, 2};
    double t[] = {2, 3.2, 3.7, 5.5, 12, 11, 13};
    ck_assert_int_eq(occam_events_add(e, ids, t, 7), OCCAM_OK);
    double edges[] = {0, 4, 8, 12.5}, got[3];
    ck_assert_int_eq(occam_events_repeat_counts(e, edges, 3, got), OCCAM_OK);
    ck_assert_double_eq(got[0], 1); /* day 3 (3.2 and 3.7 floored: one period); day 2 is the birth */
    ck_assert_double_eq(got[1], 1); /* day 5 */
    ck_assert_double_eq(got[2], 1); /* day 12 (holdout events count too) */
    double edges2[] = {4, 8};
    ck_assert_int_eq(occam_events_repeat_counts(e, edges2, 1, got), OCCAM_OK);
    ck_assert_double_eq(got[0], 1);
    occam_events_free(e);
}
END_TEST

START_TEST(test_errors)
{
    occam_events *e = NULL, *e0 = NULL;
    ck_assert_int_eq(occam_events_new(10, 1, &e), OCCAM_OK);
    ck_assert_int_eq(occam_events_new(10, 0, &e0), OCCAM_OK);
    double edges[] = {0, 4, 4}, bad[] = {0, NAN}, ok[] = {0, 1}, got[2] = {-1, -1};
    ck_assert_int_eq(occam_events_repeat_counts(NULL, ok, 1, got), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_repeat_counts(e, NULL, 1, got), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_repeat_counts(e, ok, 1, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_repeat_counts(e, ok, 0, got), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_events_repeat_counts(e, edges, 2, got), OCCAM_E_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "edges must increase"));
    ck_assert_int_eq(occam_events_repeat_counts(e, bad, 1, got), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_events_repeat_counts(e0, ok, 1, got), OCCAM_E_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "merge_period"));
    ck_assert_double_eq(got[0], -1); /* untouched on error */
    double lo = -1, hi = -1;
    ck_assert_int_eq(occam_events_time_range(e, &lo, &hi), OCCAM_E_NO_DATA);
    ck_assert_int_eq(occam_events_time_range(e, NULL, &hi), OCCAM_E_NULL);
    ck_assert_double_eq(lo, -1);
    occam_events_free(e);
    occam_events_free(e0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("events_tracking");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_cdnow_weeks);
    tcase_add_test(tc, test_definitions);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
