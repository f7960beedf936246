/*
 * check_lsq_solve.c -- the pivoted solve (lib/lsq_solve.c) of the
 * accumulated system (lib/lsq.c).  Aliasing follows R's dqrdc2: a column in
 * the span of EARLIER columns is aliased, not an earlier one (checked
 * against R's lm on [a, b, a+b, c]), and with fewer rows than columns only
 * the first min(n, k) independent columns are kept (lm.fit's
 * coef[-(1:rank)] <- NA).  Answers are exact by construction (y = X b with
 * small integers): relative 1e-9.
 */
#include <math.h>
#include <stdlib.h>

#include "testutil.h"
#include "internal.h"

static occam_lsq *accumulate(int solver, const double *X, int64_t n, int64_t p, const double *y)
{
    occam_matrix M;
    ck_assert_int_eq(occam__matrix_init(&M, X, n, p, n, OCCAM_COL_MAJOR, "X"), OCCAM_OK);
    occam_lsq *acc = NULL;
    ck_assert_int_eq(occam__lsq_new(p + 1, solver, &acc), OCCAM_OK);
    ck_assert_int_eq(occam__lsq_add_rows(acc, &M, 1, 0, n, NULL, y), OCCAM_OK);
    return acc;
}

START_TEST(test_dqrdc2_aliasing_order)
{
    /* columns a, b, a+b, c: R's lm(y ~ a + b + ab + c) gives NA for ab */
    int64_t n = 40;
    double X[160], y[40];
    for (int64_t i = 0; i < n; i++) {
        double a = (double)(i % 7), b = (double)((i * 3) % 11), c = (double)((i * i) % 13);
        X[i] = a;
        X[i + n] = b;
        X[i + 2 * n] = a + b;
        X[i + 3 * n] = c;
        y[i] = 2.0 + a - 0.5 * b + 0.75 * c;
    }
    for (int solver = OCCAM_SOLVER_QR; solver <= OCCAM_SOLVER_CHOLESKY; solver++) {
        occam_matrix M;
        ck_assert_int_eq(occam__matrix_init(&M, X, n, 4, n, OCCAM_COL_MAJOR, "X"), OCCAM_OK);
        occam_lsq *acc = NULL;
        ck_assert_int_eq(occam__lsq_new(5, solver, &acc), OCCAM_OK);
        ck_assert_int_eq(occam__lsq_add_rows(acc, &M, 1, 0, n, NULL, y), OCCAM_OK);
        occam_lsq_result res;
        ck_assert_int_eq(occam__lsq_solve(acc, 1e-7, &res), OCCAM_OK);
        ck_assert_int_eq(res.rank, 4);
        const int want_alias[5] = {0, 0, 0, 1, 0};
        const double want[5] = {2.0, 1.0, -0.5, 0.0, 0.75};
        for (int j = 0; j < 5; j++) {
            ck_assert_int_eq(res.aliased[j], want_alias[j]);
            TU_ASSERT_REL(res.coef[j], want[j], 1e-9, "coefficient after aliasing");
        }
        /* the covariance and the factor cover the 4 kept columns only */
        for (int j = 0; j < 16; j++) ck_assert(isfinite(res.cov_unscaled[j]) && isfinite(res.R[j]));
        occam__lsq_result_free(&res);
        occam__lsq_free(acc);
    }
}
END_TEST

START_TEST(test_more_columns_than_rows)
{
    /* 3 rows, intercept + 3 columns: rank 3, the last column aliased (as lm) */
    double X[9] = {1, 2, 4, 3, 1, 0, 5, 5, 7}, y[3] = {1, 2, 3};
    occam_matrix M;
    ck_assert_int_eq(occam__matrix_init(&M, X, 3, 3, 3, OCCAM_COL_MAJOR, "X"), OCCAM_OK);
    occam_lsq *acc = NULL;
    ck_assert_int_eq(occam__lsq_new(4, OCCAM_SOLVER_QR, &acc), OCCAM_OK);
    ck_assert_int_eq(occam__lsq_add_rows(acc, &M, 1, 0, 3, NULL, y), OCCAM_OK);
    occam_lsq_result res;
    ck_assert_int_eq(occam__lsq_solve(acc, 1e-7, &res), OCCAM_OK);
    ck_assert_int_eq(res.rank, 3);
    ck_assert_int_eq(res.aliased[3], 1);
    ck_assert_double_le(res.rss, 1e-20);
    occam__lsq_result_free(&res);
    occam__lsq_free(acc);
}
END_TEST

/* A wide design, 3 rows and 200 000 columns (the size that made the
 * k x k arrays of the old solver fail with OCCAM_E_NOMEM: 320 GB): column 2
 * is twice column 1 and column 3 is zero, so R's dqrdc2 keeps the
 * intercept, x1 and x4 and aliases every other column.  y = 1 + 2 x1 - x4
 * exactly: the kept coefficients are exact, the residual 0. */
START_TEST(test_wide_keeps_first_independent_columns)
{
    const int64_t n = 3, p = 200000;
    double *X = calloc((size_t)(n * p), sizeof(double)), y[3];
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = 0; i < n; i++) X[i + j * n] = (double)((i * 37 + j * 101 + i * j * 7) % 199) - 99.0;
    for (int64_t i = 0; i < n; i++) {
        X[i + n] = 2.0 * X[i];
        X[i + 2 * n] = 0.0;
        y[i] = 1.0 + 2.0 * X[i] - X[i + 3 * n];
    }
    for (int solver = OCCAM_SOLVER_QR; solver <= OCCAM_SOLVER_CHOLESKY; solver++) {
        occam_lsq *acc = accumulate(solver, X, n, p, y);
        occam_lsq_result res;
        ck_assert_int_eq(occam__lsq_solve(acc, 1e-7, &res), OCCAM_OK);
        ck_assert_int_eq(res.rank, 3);
        for (int64_t j = 0; j < p + 1; j++) ck_assert_int_eq(res.aliased[j], !(j == 0 || j == 1 || j == 4));
        TU_ASSERT_REL(res.coef[0], 1.0, 1e-9, "intercept");
        TU_ASSERT_REL(res.coef[1], 2.0, 1e-9, "x1");
        TU_ASSERT_REL(res.coef[4], -1.0, 1e-9, "x4");
        ck_assert_double_le(res.rss, 1e-18);
        for (int j = 0; j < 9; j++) ck_assert(isfinite(res.cov_unscaled[j]));
        occam__lsq_result_free(&res);
        occam__lsq_free(acc);
    }
    free(X);
}
END_TEST

/* One row: only the intercept is estimable (R: lm on one observation). */
START_TEST(test_one_row)
{
    double X[4] = {3, 0, 5, 7}, y[1] = {2.5};
    occam_lsq *acc = accumulate(OCCAM_SOLVER_QR, X, 1, 4, y);
    occam_lsq_result res;
    ck_assert_int_eq(occam__lsq_solve(acc, 1e-7, &res), OCCAM_OK);
    ck_assert_int_eq(res.rank, 1);
    ck_assert_int_eq(res.aliased[0], 0);
    for (int j = 1; j < 5; j++) ck_assert_int_eq(res.aliased[j], 1);
    ck_assert_double_eq(res.coef[0], 2.5);
    ck_assert_double_eq(res.cov_unscaled[0], 1.0);
    occam__lsq_result_free(&res);
    occam__lsq_free(acc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lsq_solve");
    TCase *tc = tcase_create("pivoted solve");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_dqrdc2_aliasing_order);
    tcase_add_test(tc, test_more_columns_than_rows);
    tcase_add_test(tc, test_wide_keeps_first_independent_columns);
    tcase_add_test(tc, test_one_row);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
