/*
 * check_opts.c -- the options object (lib/opts.c): typed setters, getters,
 * range checks, and the "unset means the kind's default" rule documented in
 * include/occam.h.
 */
#include <math.h>

#include "testutil.h"
#include "internal.h"

START_TEST(test_set_get)
{
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    double d = -1;
    int64_t i = -1;
    int set = -1;
    ck_assert_int_eq(occam_opts_get_double(o, OCCAM_OPT_EPSILON, &d, &set), OCCAM_OK);
    ck_assert_int_eq(set, 0);
    ck_assert_double_eq(d, -1); /* untouched when unset */
    ck_assert_double_eq(occam__opt_double(o, OCCAM_OPT_EPSILON, 1e-8), 1e-8);
    ck_assert_double_eq(occam__opt_double(NULL, OCCAM_OPT_EPSILON, 1e-8), 1e-8);
    ck_assert_int_eq(occam_opts_set_double(o, OCCAM_OPT_EPSILON, 1e-10), OCCAM_OK);
    ck_assert_int_eq(occam_opts_get_double(o, OCCAM_OPT_EPSILON, &d, &set), OCCAM_OK);
    ck_assert_int_eq(set, 1);
    ck_assert_double_eq(d, 1e-10);
    ck_assert_double_eq(occam__opt_double(o, OCCAM_OPT_EPSILON, 1e-8), 1e-10);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_MAXIT, 50), OCCAM_OK);
    ck_assert_int_eq(occam_opts_get_int(o, OCCAM_OPT_MAXIT, &i, NULL), OCCAM_OK);
    ck_assert_int_eq(i, 50);
    ck_assert_int_eq(occam__opt_int(o, OCCAM_OPT_MAXIT, 25), 50);
    ck_assert_int_eq(occam__opt_int(o, OCCAM_OPT_SOLVER, OCCAM_SOLVER_QR), OCCAM_SOLVER_QR);
    occam_opts_free(o);
}
END_TEST

START_TEST(test_ranges)
{
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_double(o, OCCAM_OPT_EPSILON, 0.0), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_opts_set_double(o, OCCAM_OPT_EPSILON, NAN), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_opts_set_double(o, OCCAM_OPT_RANK_TOL, 1.0), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_MAXIT, 0), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_INTERCEPT, 2), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_COLLAPSE, -1), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_COLLAPSE, -2), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_THREADS, 0), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_THREADS, 257), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_THREADS, 256), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_EPSILON, 1), OCCAM_E_UNKNOWN_ENUM);
    ck_assert_int_eq(occam_opts_set_int(o, 0, 1), OCCAM_E_UNKNOWN_ENUM);
    /* a rejected value leaves the option unset */
    int set = 1;
    double d;
    ck_assert_int_eq(occam_opts_get_double(o, OCCAM_OPT_EPSILON, &d, &set), OCCAM_OK);
    ck_assert_int_eq(set, 0);
    occam_opts_free(o);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("opts");
    TCase *tc = tcase_create("options");
    tcase_add_test(tc, test_set_get);
    tcase_add_test(tc, test_ranges);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
