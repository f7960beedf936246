/*
 * check_tricomi_u.c -- lib/tricomi_u.c: g(s, z) = z^(s-1) U(s, s, z)
 * against 50-digit mpmath values (tests/data/clv/tricomi_u.json, made by
 * make_tricomi_u.py: mpmath.hyperu checked against the defining integral
 * or e^z z^(s-1) Gamma(1-s, z)), over s in 0.01 .. 30 (including s = 1,
 * 1 +- 1e-9 and 2, Gamma(1-s)'s poles) and z in 1e-12 .. 1e9:
 *  - occam__tricomi_log_g: |g / g_ref - 1| <= 1e-13 (the quadrature's
 *    1e-14 target with margin; the continued fraction reaches 1e-15);
 *  - each branch on its own where it applies (the continued fraction for
 *    z >= 1, the quadrature for z <= 1e3): 1e-13;
 *  - log U(s, s, z): 1e-13 relative on U, plus 4e-16 |log U| (the
 *    rounding of a double log U of magnitude up to 622 alone is 1e-13);
 *  - NaN outside the domain (z <= 0, non-finite).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"
#include "tricomi_u.h"

static void check_rows(int which)
{
    cJSON *root = tu_load_json("clv/tricomi_u.json");
    const cJSON *row;
    int n = 0;
    cJSON_ArrayForEach(row, tu_json_get(root, "rows"))
    {
        double s = tu_json_num(tu_json_get(row, "s")), z = tu_json_num(tu_json_get(row, "z"));
        double want = tu_json_num(tu_json_get(row, "log_g"));
        double got;
        if (which == 0) got = occam__tricomi_log_g(s, z);
        else if (which == 1) {
            if (z < 1) continue;
            got = occam__tricomi_log_g_cf(s, z);
        } else if (which == 2) {
            if (z > 1e3) continue;
            got = occam__tricomi_log_g_quad(s, z);
        } else {
            got = occam__tricomi_log_u_ss(s, z);
            want = tu_json_num(tu_json_get(row, "log_u_ss"));
        }
        /* relative error of g (or U) = |exp(got - want) - 1| */
        double err = fabs(expm1(got - want)), tol = which == 3 ? 1e-13 + 4e-16 * fabs(want) : 1e-13;
        ck_assert_msg(err <= tol, "branch %d s=%g z=%g: log g %.17g want %.17g (rel err %.3g > %.3g)",
                      which, s, z, got, want, err, tol);
        n++;
    }
    ck_assert_int_ge(n, 40);
    cJSON_Delete(root);
}

START_TEST(test_log_g) { check_rows(0); }
END_TEST

START_TEST(test_cf_branch) { check_rows(1); }
END_TEST

START_TEST(test_quad_branch) { check_rows(2); }
END_TEST

START_TEST(test_log_u_ss) { check_rows(3); }
END_TEST

START_TEST(test_domain)
{
    ck_assert(isnan(occam__tricomi_log_g(0.5, 0)));
    ck_assert(isnan(occam__tricomi_log_g(0.5, -1)));
    ck_assert(isnan(occam__tricomi_log_g(NAN, 1)));
    ck_assert(isnan(occam__tricomi_log_g(0.5, INFINITY)));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("tricomi_u");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_log_g);
    tcase_add_test(tc, test_cf_branch);
    tcase_add_test(tc, test_quad_branch);
    tcase_add_test(tc, test_log_u_ss);
    tcase_add_test(tc, test_domain);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
