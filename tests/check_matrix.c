/*
 * check_matrix.c -- matrix views and input scans (lib/matrix.c): layouts and
 * leading dimensions address the same elements; scans name the first bad
 * cell (1-based, as R reports rows).
 */
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "internal.h"

START_TEST(test_layouts_address_same_elements)
{
    /* 2 x 3 matrix [[1 2 3] [4 5 6]] stored three ways */
    const double col[6] = {1, 4, 2, 5, 3, 6};
    const double colpad[9] = {1, 4, -1, 2, 5, -1, 3, 6, -1};
    const double row[8] = {1, 2, 3, -1, 4, 5, 6, -1};
    occam_matrix a, b, c;
    ck_assert_int_eq(occam__matrix_init(&a, col, 2, 3, 2, OCCAM_COL_MAJOR, "A"), OCCAM_OK);
    ck_assert_int_eq(occam__matrix_init(&b, colpad, 2, 3, 3, OCCAM_COL_MAJOR, "B"), OCCAM_OK);
    ck_assert_int_eq(occam__matrix_init(&c, row, 2, 3, 4, OCCAM_ROW_MAJOR, "C"), OCCAM_OK);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++) {
            double want = 1 + 3 * i + j;
            ck_assert_double_eq(occam__mat_at(&a, i, j), want);
            ck_assert_double_eq(occam__mat_at(&b, i, j), want);
            ck_assert_double_eq(occam__mat_at(&c, i, j), want);
        }
    ck_assert_int_eq(occam__matrix_init(&c, row, 2, 3, 2, OCCAM_ROW_MAJOR, "C"), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam__matrix_init(&c, row, -1, 3, 4, OCCAM_ROW_MAJOR, "C"), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam__matrix_init(&c, NULL, 2, 0, 0, OCCAM_ROW_MAJOR, "C"), OCCAM_OK);
}
END_TEST

START_TEST(test_scans)
{
    double v[4] = {1, 2, NAN, 4};
    ck_assert_int_eq(occam__check_finite_vector(v, 4, "y"), OCCAM_E_NONFINITE);
    ck_assert_str_eq(occam_last_error(), "y is NaN at row 3");
    ck_assert_int_eq(occam__check_finite_vector(NULL, 4, "y"), OCCAM_OK);
    double w[3] = {1, 0, 2};
    ck_assert_int_eq(occam__check_weights(w, 3), OCCAM_OK);
    ck_assert_int_eq(occam__check_blas_int(INT32_MAX, "n"), OCCAM_OK);
    ck_assert_int_eq(occam__check_blas_int((int64_t)INT32_MAX + 1, "n"), OCCAM_E_TOO_LARGE);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "32-bit"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("matrix");
    TCase *tc = tcase_create("views");
    tcase_add_test(tc, test_layouts_address_same_elements);
    tcase_add_test(tc, test_scans);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
