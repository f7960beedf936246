/*
 * check_linalg.c -- the BLAS/LAPACK shim (lib/linalg.c) on small matrices
 * whose answers are worked out by hand in the comments, and the 32-bit
 * dimension guard.
 */
#include <math.h>
#include <stdint.h>

#include "testutil.h"
#include "internal.h"

START_TEST(test_chol2inv)
{
    /* R = [2 1; 0 3] -> R'R = [4 2; 2 10] -> inverse = [10 -2; -2 4] / 36 */
    double r[4] = {2, 0, 1, 3};
    ck_assert_int_eq(occam__la_chol2inv(2, r, 2), OCCAM_OK);
    TU_ASSERT_REL(r[0], 10.0 / 36, 1e-15, "inv[0,0]");
    TU_ASSERT_REL(r[1], -2.0 / 36, 1e-15, "inv[1,0]");
    TU_ASSERT_REL(r[2], -2.0 / 36, 1e-15, "inv[0,1]");
    TU_ASSERT_REL(r[3], 4.0 / 36, 1e-15, "inv[1,1]");
}
END_TEST

START_TEST(test_syrk_gemv_trsv)
{
    /* A = [1 2; 3 4; 5 6] (col-major 3 x 2): A'A = [35 44; 44 56] */
    double a[6] = {1, 3, 5, 2, 4, 6}, c[4] = {0, 0, 0, 0};
    ck_assert_int_eq(occam__la_syrk_tn(2, 3, a, 3, c, 2), OCCAM_OK);
    ck_assert_double_eq(c[0], 35);
    ck_assert_double_eq(c[2], 44);
    ck_assert_double_eq(c[3], 56);
    double x[2] = {1, -1}, y[3] = {0, 0, 0};
    ck_assert_int_eq(occam__la_gemv(OCCAM_COL_MAJOR, 0, 3, 2, 1.0, a, 3, x, 0.0, y), OCCAM_OK);
    ck_assert(y[0] == -1 && y[1] == -1 && y[2] == -1);
    /* [2 1; 0 4] x = [4 8] -> x = [1 2] */
    double r[4] = {2, 0, 1, 4}, b[2] = {4, 8};
    ck_assert_int_eq(occam__la_trsv_upper(2, r, 2, b), OCCAM_OK);
    ck_assert(b[0] == 1 && b[1] == 2);
}
END_TEST

START_TEST(test_tpqrt)
{
    /* [R; B] with R = 0 (2 x 2) and B = [3 0; 4 5]: the new R has |r11| = 5,
     * |r22| = 5 * 3/5 = 3 (Householder on columns (3,4) and (0,5)), and
     * R'R = B'B = [25 20; 20 25] */
    double r[4] = {0, 0, 0, 0}, b[4] = {3, 4, 0, 5}, t[4], w[4];
    ck_assert_int_eq(occam__la_tpqrt(2, 2, 0, r, 2, b, 2, t, 2, w), OCCAM_OK);
    TU_ASSERT_REL(r[0] * r[0], 25.0, 1e-15, "R'R[0,0]");
    TU_ASSERT_REL(r[0] * r[2], 20.0, 1e-15, "R'R[0,1]");
    TU_ASSERT_REL(r[2] * r[2] + r[3] * r[3], 25.0, 1e-15, "R'R[1,1]");
}
END_TEST

START_TEST(test_too_large)
{
    double a[1] = {0};
    ck_assert_int_eq(occam__la_tpqrt((int64_t)1 << 32, 2, 0, a, 2, a, 1, a, 1, a), OCCAM_E_TOO_LARGE);
    ck_assert_int_eq(occam__la_gemv(OCCAM_COL_MAJOR, 0, (int64_t)INT32_MAX + 1, 1, 1.0, a, 1, a, 0.0, a),
                     OCCAM_E_TOO_LARGE);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linalg");
    TCase *tc = tcase_create("shim");
    tcase_add_test(tc, test_chol2inv);
    tcase_add_test(tc, test_syrk_gemv_trsv);
    tcase_add_test(tc, test_tpqrt);
    tcase_add_test(tc, test_too_large);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
