/*
 * check_lsq_refine.c -- accurate residuals and iterative refinement
 * (lib/lsq_refine.c).  Exact answers by construction:
 *  - a residual whose plain dot product cancels to 0 (1e16 + 1 - 1e16) is
 *    -1 exactly, with either layout, and its low part is exact;
 *  - Wampler1's degree-5 polynomial (integer data, y = sum x^j exactly,
 *    NIST StRD): the QR solution has about 10 correct digits, the refined
 *    one at least 14 (relative 1e-14), weighted or not, and its residuals
 *    are below 1e-7 (they are 0 exactly at the solution);
 *  - the step is skipped when eps cond(X) > 1e-3 (two columns equal to 1e-14
 *    kept with tolerance 0): the coefficients are those of the solve, bit
 *    for bit.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "internal.h"

START_TEST(test_residual_cancellation)
{
    /* one row: x = (1e16, 1, -1e16), b = (1, 1, 1), z = 0: u = -1 */
    const double Xc[3] = {1e16, 1, -1e16}, b[3] = {1, 1, 1}, z[1] = {0};
    for (int layout = OCCAM_ROW_MAJOR; layout <= OCCAM_COL_MAJOR; layout++) {
        occam_matrix M;
        ck_assert_int_eq(occam__matrix_init(&M, Xc, 1, 3, layout == OCCAM_ROW_MAJOR ? 3 : 1, layout, "X"), OCCAM_OK);
        double u = 99, lo = 99;
        occam__lsq_residuals(&M, 0, b, z, &u, &lo);
        ck_assert_double_eq(u, -1.0);
        ck_assert_double_eq(lo, 0.0);
        occam__lsq_residuals(&M, 0, b, z, &u, NULL);
        ck_assert_double_eq(u, -1.0);
    }
    /* the intercept term: z = 1e16 + 2, b0 = 1e16, x = 1, b1 = 1: u = 1 */
    const double x1[1] = {1}, b2[2] = {1e16, 1}, z2[1] = {1e16 + 2};
    occam_matrix M;
    ck_assert_int_eq(occam__matrix_init(&M, x1, 1, 1, 1, OCCAM_COL_MAJOR, "X"), OCCAM_OK);
    double u = 0;
    occam__lsq_residuals(&M, 1, b2, z2, &u, NULL);
    ck_assert_double_eq(u, 1.0);
}
END_TEST

/* Wampler1: x = 0..20, columns x .. x^5, y = 1 + x + ... + x^5 (exact integers). */
static void wampler1(double *X, double *y)
{
    for (int i = 0; i <= 20; i++) {
        double v = 1.0;
        y[i] = 1.0;
        for (int j = 0; j < 5; j++) {
            v *= i;
            X[i + 21 * j] = v;
            y[i] += v;
        }
    }
}

static double max_rel_err(const double *b, int64_t k)
{
    double e = 0.0;
    for (int64_t j = 0; j < k; j++) e = fmax(e, fabs(b[j] - 1.0));
    return e;
}

START_TEST(test_refine_wampler1)
{
    double X[105], y[21], w[21], sw[21], u[21];
    wampler1(X, y);
    for (int i = 0; i < 21; i++) {
        w[i] = _i ? (double)(1 + i % 3) : 1.0;
        sw[i] = sqrt(w[i]);
    }
    occam_matrix M;
    ck_assert_int_eq(occam__matrix_init(&M, X, 21, 5, 21, OCCAM_COL_MAJOR, "X"), OCCAM_OK);
    occam_lsq *acc = NULL;
    ck_assert_int_eq(occam__lsq_new(6, OCCAM_SOLVER_QR, &acc), OCCAM_OK);
    ck_assert_int_eq(occam__lsq_add_rows(acc, &M, 1, 0, 21, sw, y), OCCAM_OK);
    occam_lsq_result res;
    ck_assert_int_eq(occam__lsq_solve(acc, 1e-10, &res), OCCAM_OK);
    double before = max_rel_err(res.coef, 6);
    ck_assert_double_gt(before, 1e-13); /* the QR solution alone: about 10 digits */
    ck_assert_int_eq(occam__lsq_refine(&M, 1, _i ? w : NULL, y, &res, u), OCCAM_OK);
    double after = max_rel_err(res.coef, 6);
    ck_assert_msg(after <= 1e-14, "refined error %.3g (QR %.3g)", after, before);
    for (int i = 0; i < 21; i++) ck_assert_double_le(fabs(u[i]), 1e-7);
    occam__lsq_result_free(&res);
    occam__lsq_free(acc);
}
END_TEST

START_TEST(test_refine_skipped_when_ill_conditioned)
{
    double X[40], y[20], u[20];
    for (int i = 0; i < 20; i++) {
        X[i] = (double)(i % 7);
        X[i + 20] = X[i] + ((i % 2) ? 1e-14 : -1e-14);
        y[i] = 1.0 + X[i] + 0.01 * (double)(i % 3);
    }
    occam_matrix M;
    ck_assert_int_eq(occam__matrix_init(&M, X, 20, 2, 20, OCCAM_COL_MAJOR, "X"), OCCAM_OK);
    occam_lsq *acc = NULL;
    ck_assert_int_eq(occam__lsq_new(3, OCCAM_SOLVER_QR, &acc), OCCAM_OK);
    ck_assert_int_eq(occam__lsq_add_rows(acc, &M, 1, 0, 20, NULL, y), OCCAM_OK);
    occam_lsq_result res;
    ck_assert_int_eq(occam__lsq_solve(acc, 0.0, &res), OCCAM_OK);
    ck_assert_int_eq(res.rank, 3);
    double b[3];
    memcpy(b, res.coef, sizeof b);
    ck_assert_int_eq(occam__lsq_refine(&M, 1, NULL, y, &res, u), OCCAM_OK);
    for (int j = 0; j < 3; j++) ck_assert(res.coef[j] == b[j]);
    occam__lsq_result_free(&res);
    occam__lsq_free(acc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lsq_refine");
    TCase *tc = tcase_create("refinement");
    tcase_add_test(tc, test_residual_cancellation);
    tcase_add_loop_test(tc, test_refine_wampler1, 0, 2);
    tcase_add_test(tc, test_refine_skipped_when_ill_conditioned);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
