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
 *  - NaN outside the domain (z <= 0, non-finite);
 *  - occam__tricomi_table (interpolation cells for z < 1): 1e-13 on every
 *    row and on the "cell_rows" (z log-uniform in (1e-6, 1)); its values
 *    depend on (s, z) only: the same bits whatever other z the table saw
 *    before, in any order; within 1e-13 of the quadrature on a dense grid.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* the table's log g at each row of list (rows or cell_rows) vs mpmath */
static void check_table_rows(const char *list)
{
    cJSON *root = tu_load_json("clv/tricomi_u.json");
    const cJSON *row;
    int n = 0;
    cJSON_ArrayForEach(row, tu_json_get(root, list))
    {
        double s = tu_json_num(tu_json_get(row, "s")), z = tu_json_num(tu_json_get(row, "z"));
        double want = tu_json_num(tu_json_get(row, "log_g"));
        occam__tricomi_table *t = occam__tricomi_table_new(s);
        ck_assert_ptr_nonnull(t);
        double got = occam__tricomi_table_log_g(t, z), err = fabs(expm1(got - want));
        ck_assert_msg(err <= 1e-13, "table %s s=%g z=%.17g: log g %.17g want %.17g (rel err %.3g > 1e-13)", list, s, z,
                      got, want, err);
        occam__tricomi_table_free(t);
        n++;
    }
    ck_assert_int_ge(n, 150);
    cJSON_Delete(root);
}

START_TEST(test_table_rows) { check_table_rows("rows"); }
END_TEST

START_TEST(test_table_cell_rows) { check_table_rows("cell_rows"); }
END_TEST

/* 4000 z log-spaced over (1e-5, 1.5) for s = 0.606 and 2.5: one table
 * forwards, one backwards give the same bits; both agree with the direct
 * evaluation to 1e-13; every cell interpolates (none fell back to the
 * direct evaluation, which would pass the accuracy test trivially). */
START_TEST(test_table_order_and_grid)
{
    enum { N = 4000 };
    static const double svals[2] = {0.606, 2.5};
    static double fwd[N];
    for (int k = 0; k < 2; k++) {
        double s = svals[k];
        occam__tricomi_table *a = occam__tricomi_table_new(s), *b = occam__tricomi_table_new(s);
        ck_assert(a != NULL && b != NULL);
        for (int i = 0; i < N; i++) fwd[i] = occam__tricomi_table_log_g(a, 1e-5 * pow(1.5e5, (i + 0.37) / N));
        for (int i = N - 1; i >= 0; i--) {
            double z = 1e-5 * pow(1.5e5, (i + 0.37) / N), back = occam__tricomi_table_log_g(b, z);
            ck_assert_msg(memcmp(&back, &fwd[i], sizeof back) == 0, "s=%g z=%.17g: %.17g then %.17g", s, z, fwd[i],
                          back);
            double direct = occam__tricomi_log_g(s, z), err = fabs(expm1(back - direct));
            ck_assert_msg(err <= 1e-13, "s=%g z=%.17g: table %.17g direct %.17g (rel err %.3g)", s, z, back, direct,
                          err);
        }
        size_t cells, direct;
        occam__tricomi_table_counts(a, &cells, &direct);
        /* log(1e-5) * 32 = -368.4: cells -369 .. -1 */
        ck_assert_msg(cells == 369 && direct == 0, "s=%g: %zu cells, %zu direct (want 369, 0: interpolated)", s, cells,
                      direct);
        occam__tricomi_table_free(a);
        occam__tricomi_table_free(b);
    }
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
    tcase_add_test(tc, test_table_rows);
    tcase_add_test(tc, test_table_cell_rows);
    tcase_add_test(tc, test_table_order_and_grid);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
