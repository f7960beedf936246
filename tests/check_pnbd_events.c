/*
 * check_pnbd_events.c -- lib/pnbd_events.c: event log -> (x, t_x, T).
 * The CDNOW transaction log (data/cdnow_transactions.csv, 6,919 records),
 * summarized with calibration end 1997-09-30 and same-day merging, must
 * reproduce data/cdnow_summary_days.csv exactly (x, t_x_days, T_days, the
 * first purchase date and the holdout count x_star; that file matches BTYD's
 * cdnowSummary and lifetimes' summary, see data/README.cdnow.md).  Also small
 * hand-worked logs, the size query, errors, and the ISO date parser against
 * known day numbers.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "occam.h"

START_TEST(test_cdnow_transactions)
{
    char *path = tu_data_path("../../data/cdnow_transactions.csv");
    FILE *f = fopen(path, "r");
    ck_assert(f != NULL);
    char line[256], date[32];
    ck_assert(fgets(line, sizeof line, f) != NULL);
    int64_t cap = 8000, n = 0, *ids = malloc((size_t)cap * sizeof(int64_t));
    double *t = malloc((size_t)cap * sizeof(double)), cds, sales;
    long id, master;
    while (n < cap && fscanf(f, "%ld,%31[^,],%lf,%lf,%ld", &id, date, &cds, &sales, &master) == 5) {
        ids[n] = id;
        ck_assert_int_eq(occam_iso_date_days(date, &t[n]), OCCAM_OK);
        n++;
    }
    fclose(f);
    free(path);
    ck_assert_int_eq(n, 6919);
    double end;
    ck_assert_int_eq(occam_iso_date_days("1997-09-30", &end), OCCAM_OK);
    int64_t k = -1;
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, n, end, 1.0, NULL, NULL, NULL, NULL, 0, &k),
                     OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert_int_eq(k, 2357);
    int64_t *cid = malloc((size_t)k * sizeof(int64_t));
    double *S = malloc((size_t)k * 3 * sizeof(double)), *first = malloc((size_t)k * sizeof(double)),
           *xs = malloc((size_t)k * sizeof(double));
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, n, end, 1.0, cid, S, first, xs, k, &k), OCCAM_OK);
    /* compare with the days summary, row by row */
    path = tu_data_path("../../data/cdnow_summary_days.csv");
    f = fopen(path, "r");
    ck_assert(fgets(line, sizeof line, f) != NULL);
    long rid, rx, rtx, rT, rxs;
    int64_t i = 0;
    while (fscanf(f, "%ld,%31[^,],%ld,%ld,%ld,%ld", &rid, date, &rx, &rtx, &rT, &rxs) == 6) {
        ck_assert_int_lt(i, k);
        double d0;
        occam_iso_date_days(date, &d0);
        ck_assert_msg(cid[i] == rid && S[3 * i] == rx && S[3 * i + 1] == rtx && S[3 * i + 2] == rT && first[i] == d0 &&
                          xs[i] == rxs,
                      "customer %ld: got (%lld, %g, %g, %g, first %g, x* %g), file (%ld, %ld, %ld, %ld, %s, %ld)", rid,
                      (long long)cid[i], S[3 * i], S[3 * i + 1], S[3 * i + 2], first[i], xs[i], rid, rx, rtx, rT, date,
                      rxs);
        i++;
    }
    ck_assert_int_eq(i, 2357);
    fclose(f);
    free(path);
    /* without merging, same-day records count separately: more transactions */
    double *S0 = malloc((size_t)k * 3 * sizeof(double));
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, n, end, 0.0, NULL, S0, NULL, NULL, k, &k), OCCAM_OK);
    double sx = 0, sx0 = 0;
    for (i = 0; i < k; i++) {
        sx += S[3 * i];
        sx0 += S0[3 * i];
    }
    ck_assert(sx == 2457); /* data/README.cdnow.md: sum of x = 2,457 */
    ck_assert(sx0 > sx);
    free(S0);
    free(cid);
    free(S);
    free(first);
    free(xs);
    free(ids);
    free(t);
}
END_TEST

START_TEST(test_small_logs)
{
    /* customer 7: 0, 2.5, 2.7 (same period as 2.5 when P = 1), 4, 11 (holdout);
     * customer 3: first at 12 > end: left out; customer 5: one event */
    int64_t ids[8] = {7, 3, 7, 5, 7, 7, 7, 3};
    double t[8] = {4.0, 12.0, 0.0, 6.0, 2.5, 11.0, 2.7, 13.0}, end = 10.0;
    int64_t cid[4], k;
    double S[12], first[4], xs[4];
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, 8, end, 0.0, cid, S, first, xs, 4, &k), OCCAM_OK);
    ck_assert_int_eq(k, 2);
    ck_assert(cid[0] == 5 && S[0] == 0 && S[1] == 0 && S[2] == 4.0 && first[0] == 6.0 && xs[0] == 0);
    ck_assert(cid[1] == 7 && S[3] == 3 && S[4] == 4.0 && S[5] == 10.0 && first[1] == 0.0 && xs[1] == 1);
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, 8, end, 1.0, cid, S, first, xs, 4, &k), OCCAM_OK);
    ck_assert(cid[1] == 7 && S[3] == 2 && S[4] == 4.0 && S[5] == 10.0 && xs[1] == 1);
    /* merge period 7: times floor to 0, 0, 0, 0, 7 and the end to 7, so the
     * event at 11 falls in the calibration's last period: x = 1 at t_x = 7;
     * customer 3's first event (12) floors to 7 too, so they now count */
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, 8, end, 7.0, cid, S, first, xs, 4, &k), OCCAM_OK);
    ck_assert_int_eq(k, 3);
    ck_assert(cid[0] == 3 && S[0] == 0 && S[2] == 0 && first[0] == 7.0);
    ck_assert(cid[2] == 7 && S[6] == 1 && S[7] == 7.0 && S[8] == 7.0 && xs[2] == 0);
    /* capacity too small: nothing written, count reported */
    S[0] = -1;
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, 8, end, 0.0, cid, S, NULL, NULL, 1, &k),
                     OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert(k == 2 && S[0] == -1);
}
END_TEST

START_TEST(test_event_errors)
{
    int64_t ids[2] = {1, 1}, k;
    double t[2] = {0, 1}, S[6];
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, 2, 5, 0, NULL, S, NULL, NULL, 2, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_pnbd_summarize_events(NULL, t, 2, 5, 0, NULL, S, NULL, NULL, 2, &k), OCCAM_E_NULL);
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, 0, 5, 0, NULL, S, NULL, NULL, 2, &k), OCCAM_E_NO_DATA);
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, -1, 5, 0, NULL, S, NULL, NULL, 2, &k), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, 2, NAN, 0, NULL, S, NULL, NULL, 2, &k), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, 2, 5, -1, NULL, S, NULL, NULL, 2, &k), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, 2, -1, 0, NULL, S, NULL, NULL, 2, &k), OCCAM_E_NO_DATA);
    t[1] = INFINITY;
    ck_assert_int_eq(occam_pnbd_summarize_events(ids, t, 2, 5, 0, NULL, S, NULL, NULL, 2, &k), OCCAM_E_NONFINITE);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "event 2"));
}
END_TEST

START_TEST(test_iso_dates)
{
    double d;
    /* day numbers from 1970-01-01 (e.g. R: as.numeric(as.Date("1997-01-01")) = 9862) */
    ck_assert_int_eq(occam_iso_date_days("1970-01-01", &d), OCCAM_OK);
    ck_assert(d == 0);
    ck_assert_int_eq(occam_iso_date_days("1997-01-01", &d), OCCAM_OK);
    ck_assert(d == 9862);
    ck_assert_int_eq(occam_iso_date_days("1997-09-30", &d), OCCAM_OK);
    ck_assert(d == 9862 + 272);
    ck_assert_int_eq(occam_iso_date_days("2000-02-29", &d), OCCAM_OK);
    ck_assert(d == 11016);
    ck_assert_int_eq(occam_iso_date_days("1969-12-31", &d), OCCAM_OK);
    ck_assert(d == -1);
    ck_assert_int_eq(occam_iso_date_days("1997-01-01T12:00", &d), OCCAM_OK);
    ck_assert(d == 9862.5);
    ck_assert_int_eq(occam_iso_date_days("1997-01-01 06:00:00", &d), OCCAM_OK);
    ck_assert(d == 9862.25);
    const char *bad[] = {"1997-02-29", "1900-02-29", "1997-13-01", "1997-00-10", "1997-04-31", "97-01-01",
                         "1997/01/01", "1997-01-01x", "1997-01-01T25:00", "", "1997-1-1"};
    for (int i = 0; i < (int)(sizeof bad / sizeof bad[0]); i++)
        ck_assert_msg(occam_iso_date_days(bad[i], &d) == OCCAM_E_INVALID_ARG, "'%s' accepted", bad[i]);
    ck_assert_int_eq(occam_iso_date_days(NULL, &d), OCCAM_E_NULL);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pnbd_events");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_cdnow_transactions);
    tcase_add_test(tc, test_small_logs);
    tcase_add_test(tc, test_event_errors);
    tcase_add_test(tc, test_iso_dates);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
