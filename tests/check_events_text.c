/*
 * check_events_text.c -- lib/events_text.c: the table of text customer ids.
 * Ids are equal only when their bytes are: distinct ids given the SAME hash
 * (forced through occam__ev_text_intern_hashed) stay distinct customers;
 * equal bytes always find the same index, across table growth (100,000
 * ids); NUL bytes, the empty id and long ids are ordinary ids; the order
 * (occam__ev_text_cmp) is memcmp's with a proper prefix first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "events.h"

START_TEST(test_exact_ids)
{
    occam_ev_text *t;
    ck_assert_int_eq(occam__ev_text_new(&t), OCCAM_OK);
    /* colliding hashes: every id distinct, found again by its bytes */
    uint64_t idx[50], again;
    char buf[32];
    for (int i = 0; i < 50; i++) {
        size_t len = (size_t)snprintf(buf, sizeof buf, "id%d", i);
        ck_assert_int_eq(occam__ev_text_intern_hashed(t, buf, len, 42, &idx[i]), OCCAM_OK);
        for (int j = 0; j < i; j++) ck_assert(idx[j] != idx[i]);
    }
    for (int i = 0; i < 50; i++) {
        size_t len = (size_t)snprintf(buf, sizeof buf, "id%d", i);
        ck_assert_int_eq(occam__ev_text_intern_hashed(t, buf, len, 42, &again), OCCAM_OK);
        ck_assert(again == idx[i]);
        const unsigned char *p;
        size_t l;
        occam__ev_text_get(t, idx[i], &p, &l);
        ck_assert(l == len && memcmp(p, buf, len) == 0);
    }
    /* NULs, the empty id, a prefix of another */
    uint64_t a, b, c, d, e;
    ck_assert_int_eq(occam__ev_text_intern(t, "a\0b", 3, &a), OCCAM_OK);
    ck_assert_int_eq(occam__ev_text_intern(t, "a\0c", 3, &b), OCCAM_OK);
    ck_assert_int_eq(occam__ev_text_intern(t, "a", 1, &c), OCCAM_OK);
    ck_assert_int_eq(occam__ev_text_intern(t, "", 0, &d), OCCAM_OK);
    ck_assert_int_eq(occam__ev_text_intern(t, "a\0b", 3, &e), OCCAM_OK);
    ck_assert(a != b && a != c && b != c && d != a && e == a);
    ck_assert(occam__ev_text_cmp(t, c, a) < 0 && occam__ev_text_cmp(t, a, b) < 0 && occam__ev_text_cmp(t, d, c) < 0);
    ck_assert(occam__ev_text_cmp(t, a, a) == 0);
    occam__ev_text_free(t);
}
END_TEST

START_TEST(test_growth)
{
    enum { N = 100000 };
    occam_ev_text *t;
    ck_assert_int_eq(occam__ev_text_new(&t), OCCAM_OK);
    uint64_t *idx = malloc(N * sizeof *idx);
    char buf[64];
    for (int i = 0; i < N; i++) {
        size_t len = (size_t)snprintf(buf, sizeof buf, "customer-%d-%s", i, i % 3 ? "x" : "a-longer-suffix");
        ck_assert_int_eq(occam__ev_text_intern(t, buf, len, &idx[i]), OCCAM_OK);
        ck_assert(idx[i] == (uint64_t)i); /* dense, first-seen order */
    }
    for (int i = N - 1; i >= 0; i -= 7) {
        size_t len = (size_t)snprintf(buf, sizeof buf, "customer-%d-%s", i, i % 3 ? "x" : "a-longer-suffix");
        uint64_t k;
        ck_assert_int_eq(occam__ev_text_intern(t, buf, len, &k), OCCAM_OK);
        ck_assert(k == idx[i]);
    }
    free(idx);
    occam__ev_text_free(t);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("events_text");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_exact_ids);
    tcase_add_test(tc, test_growth);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
