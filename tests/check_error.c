/*
 * check_error.c -- status texts and the thread-local detail message
 * (lib/error.c): every code has a name and text; a message set on one thread
 * is not seen by another.
 */
#include <pthread.h>
#include <string.h>

#include "testutil.h"
#include "internal.h"

START_TEST(test_every_status_named)
{
    for (int s = OCCAM_E_INTERNAL; s <= OCCAM__W_LAST; s++) {
        ck_assert_msg(strcmp(occam_strerror(s), "unknown status") != 0, "status %d has no text", s);
        ck_assert_msg(strncmp(occam_status_name(s), "OCCAM_", 6) == 0, "status %d has no name", s);
    }
    const int linear_warnings[] = {OCCAM_W_PERFECT_FIT, OCCAM_W_OVERFLOW};
    for (int i = 0; i < 2; i++) {
        ck_assert_msg(strcmp(occam_strerror(linear_warnings[i]), "unknown status") != 0, "no text");
        ck_assert_msg(strncmp(occam_status_name(linear_warnings[i]), "OCCAM_W_", 8) == 0, "no name");
    }
    /* R's summary.lm wording */
    ck_assert_str_eq(occam_strerror(OCCAM_W_PERFECT_FIT), "essentially perfect fit: summary may be unreliable");
    ck_assert_int_eq(OCCAM_COND_PERFECT_FIT, 1 << (OCCAM_W_PERFECT_FIT - 1));
    ck_assert_int_eq(OCCAM_COND_OVERFLOW, 1 << (OCCAM_W_OVERFLOW - 1));
    ck_assert_int_eq(OCCAM_COND_NO_DROPOUT, 1 << (OCCAM_W_NO_DROPOUT - 1));
    ck_assert_int_eq(OCCAM__W_LAST, OCCAM_W_NO_DROPOUT);
    ck_assert_str_eq(occam_status_name(OCCAM_E_NONFINITE), "OCCAM_E_NONFINITE");
    ck_assert_str_eq(occam_strerror(12345), "unknown status");
    ck_assert_str_eq(occam_status_name(-999), "OCCAM_UNKNOWN_STATUS");
}
END_TEST

/* The GLM warnings R gives word for word (R 4.2.2's glm.fit and
 * summary.glm print these texts). */
START_TEST(test_r_warning_texts)
{
    ck_assert_str_eq(occam_strerror(OCCAM_W_STEP_DIVERGENCE), "step size truncated due to divergence");
    ck_assert_str_eq(occam_strerror(OCCAM_W_STEP_OUT_OF_BOUNDS), "step size truncated: out of bounds");
    ck_assert_str_eq(occam_strerror(OCCAM_W_ZERO_WEIGHTS),
                     "observations with zero weight not used for calculating dispersion");
    ck_assert_str_eq(occam_status_name(OCCAM_W_ZERO_WEIGHTS), "OCCAM_W_ZERO_WEIGHTS");
}
END_TEST

START_TEST(test_version)
{
    ck_assert_int_eq(occam_version_number(), OCCAM_VERSION_NUMBER);
    ck_assert_str_eq(occam_version_string(), OCCAM_VERSION_STRING);
}
END_TEST

static void *other_thread(void *arg)
{
    (void)arg;
    /* a fresh thread starts with an empty message, and its failure stays its own */
    int empty = occam_last_error()[0] == '\0';
    occam__fail(OCCAM_E_DOMAIN, "message from the other thread");
    return empty ? (void *)1 : NULL;
}

START_TEST(test_thread_local_message)
{
    ck_assert_int_eq(occam__fail(OCCAM_E_NULL, "main thread %d", 7), OCCAM_E_NULL);
    pthread_t t;
    void *ret = NULL;
    ck_assert_int_eq(pthread_create(&t, NULL, other_thread, NULL), 0);
    ck_assert_int_eq(pthread_join(t, &ret), 0);
    ck_assert_ptr_eq(ret, (void *)1);
    ck_assert_str_eq(occam_last_error(), "main thread 7");
}
END_TEST

START_TEST(test_long_message_truncated)
{
    char big[2000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    occam__fail(OCCAM_E_INVALID_ARG, "%s", big);
    ck_assert_uint_lt(strlen(occam_last_error()), sizeof big - 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("status");
    tcase_add_test(tc, test_every_status_named);
    tcase_add_test(tc, test_r_warning_texts);
    tcase_add_test(tc, test_version);
    tcase_add_test(tc, test_thread_local_message);
    tcase_add_test(tc, test_long_message_truncated);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
