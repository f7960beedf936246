/*
 * check_lsq_refine_cov.c -- the Newton step for the unscaled covariance
 * (lib/lsq_refine_cov.c) and the refinement pass that sums X'WX for it
 * (lib/linear_pass.c, lib/linear_stream.c):
 *  - the step alone: from C0 = A^-1 (1 + 1e-9 errors), A = [4 2; 2 3],
 *    C1 is A^-1 exactly; an aliased column's entries of A (NaN here) are
 *    not read; a step that would not contract (A three times too large,
 *    or Inf) leaves C0 bit for bit; rank 0 is a no-op;
 *  - NIST's Wampler4 design (x = 0..20, degree 5; integer data, so X'X
 *    is exact in doubles): the unscaled covariance vcov / sigma^2 of lm
 *    fits matches the exact (X'X)^-1 (tests/data/nist/xtx_inverse.py) to
 *    1e-14 relative on the diagonal and 1e-14 sqrt(C_ii C_jj) off it,
 *    whatever the BLAS kernel (the QR's own C0 is 3e-14 to 8e-14 off on
 *    OpenBLAS's Haswell and Prescott kernels): in memory in either
 *    layout, streamed in chunks of 5 rows, with prior weights 1 + (i mod
 *    3) against (X'WX)^-1, and with a duplicated column (aliased: the
 *    kept columns' covariance);
 *  - the size rule: the refinement pass sums X'WX (its definition's cov
 *    flag, as every chunk and rank sees it) for k = 8 coefficients and n =
 *    65536 rows (n k^2 = 2^22) and for k = 16, not for n = 65537 or k = 17;
 *    the fit above the limit finishes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linear_internal.h"
#include "stream_internal.h"
#include "stream_util.h"

/* ------------------------------------------------------------ the step alone */

static const double AINV[4] = {0.375, -0.25, -0.25, 0.5}; /* [4 2; 2 3]^-1 */

static void result_2x2(occam_lsq_result *res, int64_t k, int *aliased, double *cov)
{
    memset(res, 0, sizeof *res);
    res->k = k;
    res->rank = 2;
    res->aliased = aliased;
    res->cov_unscaled = cov;
    for (int e = 0; e < 4; e++) cov[e] = AINV[e] * (1.0 + 1e-9 * (e + 1));
    cov[2] = cov[1]; /* symmetric, as (R'R)^-1 */
}

START_TEST(test_step)
{
    const double A[3] = {4, 2, 3}, zero[6] = {0};
    int aliased[2] = {0, 0}, refined = 0;
    double cov[4];
    occam_lsq_result res;
    result_2x2(&res, 2, aliased, cov);
    ck_assert_int_eq(occam__lsq_refine_cov(&res, A, zero, &refined), OCCAM_OK);
    ck_assert_int_eq(refined, 1);
    for (int e = 0; e < 4; e++) ck_assert_double_eq(cov[e], AINV[e]);
}
END_TEST

START_TEST(test_aliased_skipped)
{
    /* k = 3, column 1 aliased: its entries (0,1), (1,1), (1,2) are NaN */
    const double A[6] = {4, NAN, NAN, 2, NAN, 3}, zero[6] = {0};
    int aliased[3] = {0, 1, 0}, refined = 0;
    double cov[4];
    occam_lsq_result res;
    result_2x2(&res, 3, aliased, cov);
    ck_assert_int_eq(occam__lsq_refine_cov(&res, A, zero, &refined), OCCAM_OK);
    ck_assert_int_eq(refined, 1);
    for (int e = 0; e < 4; e++) ck_assert_double_eq(cov[e], AINV[e]);
}
END_TEST

START_TEST(test_no_contraction)
{
    const double bad[2][3] = {{12, 6, 9}, {4, 2, INFINITY}}, zero[6] = {0};
    for (int t = 0; t < 2; t++) {
        int aliased[2] = {0, 0}, refined = 1;
        double cov[4], before[4];
        occam_lsq_result res;
        result_2x2(&res, 2, aliased, cov);
        memcpy(before, cov, sizeof cov);
        ck_assert_int_eq(occam__lsq_refine_cov(&res, bad[t], zero, &refined), OCCAM_OK);
        ck_assert_int_eq(refined, 0);
        ck_assert(memcmp(cov, before, sizeof cov) == 0);
    }
    occam_lsq_result none;
    memset(&none, 0, sizeof none);
    none.k = 1;
    int refined = 1;
    ck_assert_int_eq(occam__lsq_refine_cov(&none, zero, zero, &refined), OCCAM_OK);
    ck_assert_int_eq(refined, 0);
}
END_TEST

/* ------------------------------------------------------------ Wampler4 fits */

enum { WN = 21, WP = 5, WK = 6 };

/* The design as tests/check_linear.c builds it, with column `dup` (0-based
 * among x .. x^5) repeated after itself when dup >= 0; y from the file. */
static int64_t wampler4(int dup, double *X, double *y)
{
    tu_csv d = tu_load_csv("nist/wampler4.csv");
    ck_assert_int_eq(d.nrows, WN);
    int64_t p = dup >= 0 ? WP + 1 : WP;
    for (int64_t i = 0; i < WN; i++) {
        double v = 1.0, x = tu_csv_column(&d, 1)[i];
        y[i] = tu_csv_column(&d, 0)[i];
        for (int64_t j = 0, c = 0; j < WP; j++) {
            v *= x;
            X[i + c++ * WN] = v;
            if (j == dup) X[i + c++ * WN] = v;
        }
    }
    tu_csv_free(&d);
    return p;
}

/* The kept columns' vcov / sigma^2 of a fitted model. */
static void unscaled(const occam_model *m, double *C)
{
    double sigma = 0;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_SIGMA, &sigma), OCCAM_OK);
    ck_assert_int_eq(occam_model_vcov_estimable(m, C, WK), OCCAM_OK);
    for (int e = 0; e < WK * WK; e++) C[e] /= sigma * sigma;
}

static void assert_exact(const char *what, const double *C, const char *ref)
{
    tu_csv x = tu_load_csv(ref);
    ck_assert_int_eq(x.nrows, WK);
    ck_assert_int_eq(x.ncols, WK);
    for (int j = 0; j < WK; j++)
        for (int i = 0; i < WK; i++) {
            double want = tu_csv_column(&x, j)[i];
            double scale = sqrt(tu_csv_column(&x, i)[i] * tu_csv_column(&x, j)[j]);
            double err = fabs(C[i + j * WK] - want) / scale;
            ck_assert_msg(err <= 1e-14, "%s: unscaled covariance (%d, %d) = %.17g, exact %.17g (error %.2g of "
                          "sqrt(C_ii C_jj))", what, i, j, C[i + j * WK], want, err);
        }
    tu_csv_free(&x);
}

/* Variants: 0 in memory, column-major; 1 row-major; 2 streamed in chunks of
 * 5; 3 weighted; 4 a duplicated (aliased) column x^2. */
START_TEST(test_wampler4_exact)
{
    double X[WN * (WP + 1)], Xr[WN * (WP + 1)], y[WN], w[WN], C[WK * WK];
    int64_t p = wampler4(_i == 4 ? 1 : -1, X, y);
    for (int64_t i = 0; i < WN; i++) w[i] = 1.0 + (double)(i % 3);
    occam_model *m = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    int rc;
    if (_i == 1) {
        for (int64_t i = 0; i < WN; i++)
            for (int64_t j = 0; j < p; j++) Xr[i * p + j] = X[i + j * WN];
        rc = occam_model_fit(m, NULL, Xr, WN, p, p, OCCAM_ROW_MAJOR, y, NULL, NULL);
    } else if (_i == 2) {
        su_data d = {X, WN, p, y, NULL, NULL};
        int64_t passes = 0;
        rc = su_stream_fit(m, NULL, &d, 5, &passes);
        ck_assert_int_eq(passes, 3);
    } else {
        rc = occam_model_fit(m, NULL, X, WN, p, WN, OCCAM_COL_MAJOR, y, _i == 3 ? w : NULL, NULL);
    }
    ck_assert_msg(rc == (_i == 4 ? OCCAM_W_RANK_DEFICIENT : OCCAM_OK), "fit %d: %s (%s)", _i, occam_status_name(rc),
                  occam_last_error());
    unscaled(m, C);
    const char *what[5] = {"in memory", "row-major", "streamed", "weighted", "aliased column"};
    assert_exact(what[_i], C, _i == 3 ? "nist/wampler4_xtwx_inverse.csv" : "nist/wampler4_xtx_inverse.csv");
    occam_model_free(m);
}
END_TEST

/* ------------------------------------------------------------ the size rule */

/* Rows of a well-conditioned design (a fixed pseudo-random sequence). */
static void random_design(int64_t n, int64_t p, double *X, double *y)
{
    uint64_t s = 88172645463325252ULL;
    for (int64_t e = 0; e < n * p + n; e++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        double u = (double)(s >> 11) * 0x1p-53 - 0.5;
        if (e < n * p)
            X[e] = u;
        else
            y[e - n * p] = u;
    }
}

/* The cov flag of the second pass of a streamed fit of n rows and p
 * columns (plus the intercept), which must be the refinement. */
static int64_t second_pass_cov(int64_t n, int64_t p)
{
    double *X = malloc((size_t)(n * p) * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
    random_design(n, p, X, y);
    su_data d = {X, n, p, y, NULL, NULL};
    occam_model *m = NULL;
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_stream_new(m, NULL, p, 0, &s), OCCAM_OK);
    int more = 0;
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    su_feed(s, &d, 0, n, 4096);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    ck_assert_int_eq(more, 1);
    occam_partial *pt = NULL;
    ck_assert_int_eq(occam_partial_fork(s, &pt), OCCAM_OK);
    const occam_linear_part *g = pt->impl;
    ck_assert_int_eq(g->pd.type, OCCAM_LINEAR_PASS_REFINE);
    int64_t cov = g->pd.cov;
    ck_assert_int_eq(g->gram.s != NULL, cov);
    occam_partial_free(pt);
    while (more) { /* the fit finishes either way */
        su_feed(s, &d, 0, n, 4096);
        ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    }
    ck_assert_int_eq(occam_stream_finish(s), OCCAM_OK);
    occam_stream_free(s);
    occam_model_free(m);
    free(X);
    free(y);
    return cov;
}

START_TEST(test_size_rule)
{
    ck_assert_int_eq(second_pass_cov(65536, 7), 1);  /* k = 8: n k^2 = 2^22 */
    ck_assert_int_eq(second_pass_cov(65537, 7), 0);  /* above */
    ck_assert_int_eq(second_pass_cov(100, 15), 1);   /* k = 16 */
    ck_assert_int_eq(second_pass_cov(100, 16), 0);   /* k = 17 */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lsq_refine_cov");
    TCase *tc = tcase_create("newton");
    tcase_add_test(tc, test_step);
    tcase_add_test(tc, test_aliased_skipped);
    tcase_add_test(tc, test_no_contraction);
    tcase_add_loop_test(tc, test_wampler4_exact, 0, 5);
    tcase_add_test(tc, test_size_rule);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
