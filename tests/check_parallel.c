/*
 * check_parallel.c -- the row-range runner (lib/parallel.c): the ranges
 * tile [0, n) in order as documented (part t is [n t / parts,
 * n (t + 1) / parts)), parts beyond n are dropped, parts other than 0 run on
 * other threads, and the lowest failing part's status and message reach
 * the caller's occam_last_error().
 */
#include <pthread.h>
#include <string.h>

#include "testutil.h"
#include "internal.h"

enum { MAXP = 8 };

typedef struct record {
    int calls[MAXP];
    int64_t i0[MAXP], i1[MAXP];
    pthread_t who[MAXP];
    int fail_from; /* parts >= this fail with a message naming the part */
} record;

static int note(void *ctx, int part, int64_t i0, int64_t i1)
{
    record *r = ctx;
    r->calls[part]++;
    r->i0[part] = i0;
    r->i1[part] = i1;
    r->who[part] = pthread_self();
    if (part >= r->fail_from) return occam__fail(OCCAM_E_NUMERIC, "part %d failed", part);
    return OCCAM_OK;
}

static record fresh(int fail_from)
{
    record r;
    memset(&r, 0, sizeof r);
    r.fail_from = fail_from;
    return r;
}

START_TEST(test_ranges_tile_rows)
{
    record r = fresh(MAXP);
    ck_assert_int_eq(occam__parallel_ranges(3, 10, note, &r), OCCAM_OK);
    /* 10 rows in 3 parts: [0, 3), [3, 6), [6, 10) */
    const int64_t lo[3] = {0, 3, 6}, hi[3] = {3, 6, 10};
    for (int t = 0; t < 3; t++) {
        ck_assert_int_eq(r.calls[t], 1);
        ck_assert_int_eq(r.i0[t], lo[t]);
        ck_assert_int_eq(r.i1[t], hi[t]);
    }
    ck_assert_int_eq(r.calls[3], 0);
    ck_assert(pthread_equal(r.who[0], pthread_self()));
    ck_assert(!pthread_equal(r.who[1], pthread_self()));
    ck_assert(!pthread_equal(r.who[2], pthread_self()));
}
END_TEST

START_TEST(test_more_parts_than_rows)
{
    record r = fresh(MAXP);
    ck_assert_int_eq(occam__parallel_ranges(5, 2, note, &r), OCCAM_OK);
    ck_assert_int_eq(r.calls[0] + r.calls[1], 2);
    ck_assert_int_eq(r.calls[2] + r.calls[3] + r.calls[4], 0);
    ck_assert_int_eq(r.i1[0] - r.i0[0], 1);
    ck_assert_int_eq(r.i1[1] - r.i0[1], 1);
}
END_TEST

START_TEST(test_one_part_runs_here)
{
    record r = fresh(MAXP);
    ck_assert_int_eq(occam__parallel_ranges(1, 7, note, &r), OCCAM_OK);
    ck_assert_int_eq(r.calls[0], 1);
    ck_assert_int_eq(r.i1[0], 7);
    ck_assert(pthread_equal(r.who[0], pthread_self()));
}
END_TEST

START_TEST(test_lowest_failure_reported)
{
    record r = fresh(2); /* parts 2 and 3 of 4 fail, on other threads */
    occam__fail(OCCAM_OK, "stale");
    ck_assert_int_eq(occam__parallel_ranges(4, 100, note, &r), OCCAM_E_NUMERIC);
    ck_assert_str_eq(occam_last_error(), "part 2 failed");
    for (int t = 0; t < 4; t++) ck_assert_int_eq(r.calls[t], 1); /* every part ran and was joined */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parallel");
    TCase *tc = tcase_create("ranges");
    tcase_add_test(tc, test_ranges_tile_rows);
    tcase_add_test(tc, test_more_parts_than_rows);
    tcase_add_test(tc, test_one_part_runs_here);
    tcase_add_test(tc, test_lowest_failure_reported);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
