/*
 * check_lsq.c -- the block least-squares accumulator (lib/lsq.c), solved by
 * lib/lsq_solve.c (its aliasing rules: check_lsq_solve.c).  Exact answers
 * are known by construction: y = X b exactly (integers), so both solvers
 * must return b to rounding (relative 1e-10) whatever the number of blocks,
 * the form the accumulator holds (its rows while there are at most k + 1,
 * then a triangle) and the order of merges.
 */
#include <math.h>
#include <stdlib.h>

#include "testutil.h"
#include "internal.h"

static const double B[4] = {1.5, -2.0, 0.25, 3.0}; /* intercept, x1..x3 */

/* n x 3 design with small integer entries (col-major), exact y = X b. */
static void make_data(int64_t n, double *X, double *y)
{
    uint64_t s = 12345;
    for (int64_t i = 0; i < n; i++) {
        y[i] = B[0];
        for (int j = 0; j < 3; j++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            X[i + j * n] = (double)((s >> 33) % 17) - 8.0;
            y[i] += B[j + 1] * X[i + j * n];
        }
    }
}

static void solve(int solver, int64_t n, const double *X, const double *y, const double *w, occam_lsq_result *res)
{
    occam_matrix M;
    ck_assert_int_eq(occam__matrix_init(&M, X, n, 3, n, OCCAM_COL_MAJOR, "X"), OCCAM_OK);
    occam_lsq *acc = NULL;
    ck_assert_int_eq(occam__lsq_new(4, solver, &acc), OCCAM_OK);
    double *sw = NULL;
    if (w) {
        sw = malloc((size_t)n * sizeof(double));
        for (int64_t i = 0; i < n; i++) sw[i] = sqrt(w[i]);
    }
    int64_t nb = occam__lsq_block_rows(acc);
    for (int64_t i0 = 0; i0 < n; i0 += nb)
        ck_assert_int_eq(occam__lsq_add_rows(acc, &M, 1, i0, n - i0 < nb ? n - i0 : nb, sw ? sw + i0 : NULL, y + i0), OCCAM_OK);
    ck_assert_int_eq(occam__lsq_solve(acc, 1e-10, res), OCCAM_OK);
    occam__lsq_free(acc);
    free(sw);
}

/* Three accumulators see disjoint row ranges (the split of
 * OCCAM_OPT_THREADS) and are merged into the first: the exact b again, with
 * both solvers, and the same rank-deficiency handling after a merge. */
START_TEST(test_merge_exact)
{
    int64_t n = 9000;
    double *X = malloc((size_t)(3 * n) * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
    double *sw = malloc((size_t)n * sizeof(double));
    make_data(n, X, y);
    for (int64_t i = 0; i < n; i++) sw[i] = sqrt((double)(1 + i % 3));
    occam_matrix M;
    ck_assert_int_eq(occam__matrix_init(&M, X, n, 3, n, OCCAM_COL_MAJOR, "X"), OCCAM_OK);
    const int64_t cut[4] = {0, 1000, 6500, 9000};
    for (int solver = OCCAM_SOLVER_QR; solver <= OCCAM_SOLVER_CHOLESKY; solver++) {
        occam_lsq *acc[3];
        for (int t = 0; t < 3; t++) {
            ck_assert_int_eq(occam__lsq_new(4, solver, &acc[t]), OCCAM_OK);
            int64_t nb = occam__lsq_block_rows(acc[t]);
            for (int64_t i0 = cut[t]; i0 < cut[t + 1]; i0 += nb) {
                int64_t m = cut[t + 1] - i0 < nb ? cut[t + 1] - i0 : nb;
                ck_assert_int_eq(occam__lsq_add_rows(acc[t], &M, 1, i0, m, sw + i0, y + i0), OCCAM_OK);
            }
        }
        ck_assert_int_eq(occam__lsq_merge(acc[0], acc[1]), OCCAM_OK);
        ck_assert_int_eq(occam__lsq_merge(acc[0], acc[2]), OCCAM_OK);
        occam_lsq_result res;
        ck_assert_int_eq(occam__lsq_solve(acc[0], 1e-10, &res), OCCAM_OK);
        ck_assert_int_eq(res.rank, 4);
        for (int j = 0; j < 4; j++) TU_ASSERT_REL(res.coef[j], B[j], 1e-10, "merged coefficient");
        occam__lsq_result_free(&res);
        occam_lsq *other = NULL;
        ck_assert_int_eq(occam__lsq_new(5, solver, &other), OCCAM_OK);
        ck_assert_int_eq(occam__lsq_merge(acc[0], other), OCCAM_E_INTERNAL);
        occam__lsq_free(other);
        for (int t = 0; t < 3; t++) occam__lsq_free(acc[t]);
    }
    free(X);
    free(y);
    free(sw);
}
END_TEST

START_TEST(test_exact_many_blocks)
{
    int64_t n = 150000; /* > 2 blocks of 2^18/5 rows */
    double *X = malloc((size_t)(3 * n) * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
    double *w = malloc((size_t)n * sizeof(double));
    make_data(n, X, y);
    for (int64_t i = 0; i < n; i++) w[i] = (double)(1 + i % 5);
    for (int solver = OCCAM_SOLVER_QR; solver <= OCCAM_SOLVER_CHOLESKY; solver++) {
        occam_lsq_result res;
        solve(solver, n, X, y, solver == OCCAM_SOLVER_QR ? NULL : w, &res);
        ck_assert_int_eq(res.rank, 4);
        for (int j = 0; j < 4; j++) TU_ASSERT_REL(res.coef[j], B[j], 1e-10, "coefficient");
        ck_assert_double_le(res.rss, 1e-12 * (double)n);
        occam__lsq_result_free(&res);
    }
    free(X);
    free(y);
    free(w);
}
END_TEST

/* Wide design (36 columns: the dtpqrt path of the QR accumulator), three
 * blocks, exact integer data: both solvers return the coefficients. */
START_TEST(test_exact_wide_many_blocks)
{
    const int64_t n = 20000, p = 35, k = p + 1;
    double *X = malloc((size_t)(n * p) * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
    uint64_t s = 777;
    for (int64_t i = 0; i < n; i++) {
        y[i] = 0.5;
        for (int64_t j = 0; j < p; j++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            X[i + j * n] = (double)((s >> 33) % 9) - 4.0;
            y[i] += (double)(j - 17) * 0.25 * X[i + j * n];
        }
    }
    occam_matrix M;
    ck_assert_int_eq(occam__matrix_init(&M, X, n, p, n, OCCAM_COL_MAJOR, "X"), OCCAM_OK);
    for (int solver = OCCAM_SOLVER_QR; solver <= OCCAM_SOLVER_CHOLESKY; solver++) {
        occam_lsq *acc = NULL;
        ck_assert_int_eq(occam__lsq_new(k, solver, &acc), OCCAM_OK);
        int64_t nb = occam__lsq_block_rows(acc);
        ck_assert_int_lt(nb, n / 2);
        for (int64_t i0 = 0; i0 < n; i0 += nb)
            ck_assert_int_eq(occam__lsq_add_rows(acc, &M, 1, i0, n - i0 < nb ? n - i0 : nb, NULL, y + i0), OCCAM_OK);
        occam_lsq_result res;
        ck_assert_int_eq(occam__lsq_solve(acc, 1e-10, &res), OCCAM_OK);
        ck_assert_int_eq(res.rank, k);
        TU_ASSERT_REL(res.coef[0], 0.5, 1e-10, "intercept");
        for (int64_t j = 0; j < p; j++) {
            double want = (double)(j - 17) * 0.25;
            if (want == 0.0)
                ck_assert_double_le(fabs(res.coef[j + 1]), 1e-12);
            else
                TU_ASSERT_REL(res.coef[j + 1], want, 1e-10, "coefficient");
        }
        occam__lsq_result_free(&res);
        occam__lsq_free(acc);
    }
    free(X);
    free(y);
}
END_TEST

/* The accumulator keeps the rows while it has seen at most k + 1 of them
 * (no (k+1)^2 array for a wide design), then switches to the triangle: fed
 * one row at a time across the switch, it gives the exact coefficients with
 * both solvers, as one block does. */
START_TEST(test_rows_form_then_triangle)
{
    int64_t n = 12;
    double X[36], y[12];
    make_data(n, X, y);
    occam_matrix M;
    ck_assert_int_eq(occam__matrix_init(&M, X, n, 3, n, OCCAM_COL_MAJOR, "X"), OCCAM_OK);
    for (int solver = OCCAM_SOLVER_QR; solver <= OCCAM_SOLVER_CHOLESKY; solver++) {
        occam_lsq *acc = NULL;
        ck_assert_int_eq(occam__lsq_new(4, solver, &acc), OCCAM_OK);
        for (int64_t i = 0; i < n; i++) {
            ck_assert_int_eq(occam__lsq_add_rows(acc, &M, 1, i, 1, NULL, y + i), OCCAM_OK);
            occam_lsq_view v;
            occam__lsq_view(acc, &v);
            if (i + 1 <= 5) { /* k + 1 = 5 rows or fewer: the rows themselves */
                ck_assert_int_eq(v.form, OCCAM_LSQ_ROWS);
                ck_assert_int_eq(v.m, i + 1);
                ck_assert_double_eq(v.a[i * 5 + 1], X[i]); /* row i, column x1 */
                ck_assert_double_eq(v.a[i * 5 + 4], y[i]);
            } else {
                ck_assert_int_eq(v.form, solver == OCCAM_SOLVER_QR ? OCCAM_LSQ_R : OCCAM_LSQ_GRAM);
                ck_assert_int_eq(v.m, 5);
            }
        }
        occam_lsq_result res;
        ck_assert_int_eq(occam__lsq_solve(acc, 1e-10, &res), OCCAM_OK);
        ck_assert_int_eq(res.rank, 4);
        for (int j = 0; j < 4; j++) TU_ASSERT_REL(res.coef[j], B[j], 1e-10, "coefficient across the switch");
        occam__lsq_result_free(&res);
        /* after a reset the accumulator holds rows again */
        occam__lsq_reset(acc);
        ck_assert_int_eq(occam__lsq_add_rows(acc, &M, 1, 0, 2, NULL, y), OCCAM_OK);
        occam_lsq_view v;
        occam__lsq_view(acc, &v);
        ck_assert_int_eq(v.form, OCCAM_LSQ_ROWS);
        ck_assert_int_eq(v.m, 2);
        occam__lsq_free(acc);
    }
}
END_TEST

/* Merging every pair of forms (rows into rows within k + 1, rows into rows
 * beyond it, rows into a triangle, a triangle into rows, triangles) gives
 * the exact coefficients. */
START_TEST(test_merge_forms)
{
    int64_t n = 40;
    double X[120], y[40];
    make_data(n, X, y);
    occam_matrix M;
    ck_assert_int_eq(occam__matrix_init(&M, X, n, 3, n, OCCAM_COL_MAJOR, "X"), OCCAM_OK);
    /* rows given to the first and the second accumulator */
    const int64_t split[5][3] = {{0, 2, 4}, {0, 3, 6}, {0, 2, 40}, {0, 20, 23}, {0, 20, 40}};
    for (int solver = OCCAM_SOLVER_QR; solver <= OCCAM_SOLVER_CHOLESKY; solver++)
        for (int c = 0; c < 5; c++) {
            occam_lsq *a = NULL, *b = NULL;
            ck_assert_int_eq(occam__lsq_new(4, solver, &a), OCCAM_OK);
            ck_assert_int_eq(occam__lsq_new(4, solver, &b), OCCAM_OK);
            const int64_t *s = split[c];
            ck_assert_int_eq(occam__lsq_add_rows(a, &M, 1, s[0], s[1] - s[0], NULL, y + s[0]), OCCAM_OK);
            ck_assert_int_eq(occam__lsq_add_rows(b, &M, 1, s[1], s[2] - s[1], NULL, y + s[1]), OCCAM_OK);
            ck_assert_int_eq(occam__lsq_merge(a, b), OCCAM_OK);
            occam_lsq_view v;
            occam__lsq_view(a, &v);
            ck_assert_int_eq(v.form == OCCAM_LSQ_ROWS, s[2] <= 5);
            occam_lsq_result res;
            ck_assert_int_eq(occam__lsq_solve(a, 1e-10, &res), OCCAM_OK);
            ck_assert_int_eq(res.rank, s[2] < 4 ? s[2] : 4);
            if (s[2] >= 4)
                for (int j = 0; j < 4; j++) TU_ASSERT_REL(res.coef[j], B[j], 1e-10, "coefficient after a merge");
            occam__lsq_result_free(&res);
            occam__lsq_free(a);
            occam__lsq_free(b);
        }
}
END_TEST
int main(void)
{
    Suite *s = suite_create("lsq");
    TCase *tc = tcase_create("block least squares");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_exact_many_blocks);
    tcase_add_test(tc, test_merge_exact);
    tcase_add_test(tc, test_exact_wide_many_blocks);
    tcase_add_test(tc, test_rows_form_then_triangle);
    tcase_add_test(tc, test_merge_forms);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
