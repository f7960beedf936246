/*
 * check_events_sort.c -- lib/events_sort.c: the radix sort of event records
 * by (customer key, time key) against qsort with a plain comparison, on
 * keys that take the packed path (narrow ranges, shared trailing zeros,
 * day-valued times), the 128-bit path (full-range keys), the boundary
 * where id bits + time bits = 64, extreme values, all-equal keys and small
 * inputs.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "events.h"

static int cmp_rec(const void *pa, const void *pb)
{
    const occam_ev_rec *a = pa, *b = pb;
    if (a->id != b->id) return a->id < b->id ? -1 : 1;
    return a->tk < b->tk ? -1 : a->tk > b->tk;
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Sort a copy both ways; the radix sort must give exactly qsort's order. */
static void check(const occam_ev_rec *r, int64_t n, const char *what)
{
    occam_ev_rec *a = malloc((size_t)(n > 0 ? n : 1) * sizeof *a), *b = malloc((size_t)(n > 0 ? n : 1) * sizeof *b);
    memcpy(a, r, (size_t)n * sizeof *a);
    memcpy(b, r, (size_t)n * sizeof *b);
    occam_ev_scratch sc = {NULL, 0};
    ck_assert_int_eq(occam__ev_sort(a, n, &sc), OCCAM_OK);
    qsort(b, (size_t)n, sizeof *b, cmp_rec);
    ck_assert_msg(memcmp(a, b, (size_t)n * sizeof *a) == 0, "%s: radix order differs from qsort's", what);
    /* the scratch is reused by a second sort */
    memcpy(a, r, (size_t)n * sizeof *a);
    ck_assert_int_eq(occam__ev_sort(a, n, &sc), OCCAM_OK);
    ck_assert_msg(memcmp(a, b, (size_t)n * sizeof *a) == 0, "%s: second sort differs", what);
    free(sc.buf);
    free(a);
    free(b);
}

START_TEST(test_sort_paths)
{
    enum { N = 100000 };
    occam_ev_rec *r = malloc(N * sizeof *r);
    uint64_t s = 88172645463325252ULL;
    /* integer ids and day-valued times: the packed path */
    for (int i = 0; i < N; i++) {
        r[i].id = occam__ev_int_key((int64_t)(next(&s) % 1000000));
        r[i].tk = occam__ev_time_key(9862.0 + (double)(next(&s) % 546));
    }
    check(r, N, "ids < 10^6, days");
    /* negative ids, fractional and negative times */
    for (int i = 0; i < N; i++) {
        r[i].id = occam__ev_int_key((int64_t)(next(&s) % 2001) - 1000);
        r[i].tk = occam__ev_time_key(((double)(next(&s) % 4001) - 2000) / 8.0);
    }
    check(r, N, "signed ids and times");
    /* full 64-bit keys: the 128-bit path */
    for (int i = 0; i < N; i++) {
        r[i].id = next(&s);
        r[i].tk = next(&s);
    }
    check(r, N, "random 128-bit keys");
    /* many ties on the id, extreme values */
    for (int i = 0; i < N; i++) {
        uint64_t u = next(&s);
        r[i].id = u % 3 == 0 ? 0 : u % 3 == 1 ? UINT64_MAX : 12345;
        r[i].tk = u % 7 == 0 ? UINT64_MAX : (u % 7 == 1 ? 0 : next(&s) % 1000);
    }
    check(r, N, "extremes and ties");
    /* 64 packed bits exactly: ids over 2^20, times over 2^44 */
    for (int i = 0; i < N; i++) {
        r[i].id = next(&s) & ((1ULL << 20) - 1);
        r[i].tk = next(&s) & ((1ULL << 44) - 1);
    }
    r[0].id = 0, r[1].id = (1ULL << 20) - 1, r[0].tk = 0, r[1].tk = (1ULL << 44) - 1;
    check(r, N, "20 + 44 bits");
    /* one distinct id, times spanning all 64 bits */
    for (int i = 0; i < N; i++) {
        r[i].id = 77;
        r[i].tk = next(&s);
    }
    r[0].tk = 0, r[1].tk = UINT64_MAX;
    check(r, N, "one id, 64 time bits");
    /* all equal, and small inputs (insertion sort) */
    for (int i = 0; i < N; i++) r[i] = (occam_ev_rec){5, 6};
    check(r, N, "all equal");
    for (int n = 0; n <= 60; n++) {
        for (int i = 0; i < n; i++) r[i] = (occam_ev_rec){next(&s) % 4, next(&s) % 4};
        check(r, n, "small");
    }
    free(r);
}
END_TEST

START_TEST(test_keys)
{
    /* time keys order as the doubles, -0 as +0; integer keys order as the ids */
    static const double t[] = {-1e300, -2.5, -1.0, -5e-324, 0.0, 5e-324, 1.0, 2.5, 9862.0, 1e300};
    for (size_t i = 0; i + 1 < sizeof t / sizeof t[0]; i++) {
        ck_assert(occam__ev_time_key(t[i]) < occam__ev_time_key(t[i + 1]));
        ck_assert(occam__ev_key_time(occam__ev_time_key(t[i])) == t[i]);
    }
    ck_assert(occam__ev_time_key(-0.0) == occam__ev_time_key(0.0));
    static const int64_t id[] = {INT64_MIN, -1, 0, 1, INT64_MAX};
    for (size_t i = 0; i + 1 < sizeof id / sizeof id[0]; i++) {
        ck_assert(occam__ev_int_key(id[i]) < occam__ev_int_key(id[i + 1]));
        ck_assert(occam__ev_key_int(occam__ev_int_key(id[i])) == id[i]);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("events_sort");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_sort_paths);
    tcase_add_test(tc, test_keys);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
