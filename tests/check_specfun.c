/*
 * check_specfun.c -- special functions (lib/specfun.c) against R 4.2.2.
 * Reference values printed with sprintf("%.17g") from:
 *   pt, pf, pnorm, qnorm, lgamma, digamma, trigamma, pbeta (R's nmath).
 * Tolerance: relative 1e-12 (R's own algorithms differ from ours; both are
 * accurate to a few ulps in these ranges), 1e-10 for the far tails.
 */
#include <math.h>

#include "testutil.h"
#include "internal.h"

START_TEST(test_t_and_f_tails)
{
    /* 2*pt(-|t|, 48): the p-values of lm(dist ~ speed, cars) */
    TU_ASSERT_REL(2 * occam__pt(-2.601058003022254, 48, 1), 0.012318816153808856, 1e-12, "pt cars intercept");
    TU_ASSERT_REL(2 * occam__pt(-9.46398999029837, 48, 1), 1.4898364962950876e-12, 1e-10, "pt cars speed");
    TU_ASSERT_REL(occam__pt(-40, 3, 1), 1.719034039457927e-05, 1e-12, "pt(-40, 3)");
    TU_ASSERT_REL(occam__pt(1.5, 1e6, 1), 0.93319264088160359, 1e-12, "pt(1.5, 1e6)");
    TU_ASSERT_REL(occam__pf(89.5671065, 1, 48, 0), 1.4898365058733176e-12, 1e-10, "pf upper");
    TU_ASSERT_REL(occam__pf(0.5, 3, 7, 1), 0.30596361243118619, 1e-12, "pf(0.5, 3, 7)");
    TU_ASSERT_REL(occam__pf(2, 10, 1e5, 0), 0.02926403853851977, 1e-10, "pf(2, 10, 1e5) upper");
    TU_ASSERT_REL(occam__pbeta(0.3, 2.5, 7, 0), 0.35877753702827891, 1e-12, "pbeta upper");
    TU_ASSERT_REL(occam__pbeta(0.999, 500, 3, 1), 0.98551738013564083, 1e-12, "pbeta(0.999, 500, 3)");
}
END_TEST

START_TEST(test_normal)
{
    TU_ASSERT_REL(occam__pnorm(-1.96, 1, 0), 0.024997895148220428, 1e-12, "pnorm(-1.96)");
    TU_ASSERT_REL(occam__pnorm(3, 0, 0), 0.0013498980316300946, 1e-12, "pnorm(3, upper)");
    TU_ASSERT_REL(occam__pnorm(-40, 1, 1), -804.6084420137538, 1e-12, "pnorm(-40, log)");
    TU_ASSERT_REL(occam__qnorm(0.975, 1), 1.9599639845400536, 1e-12, "qnorm(0.975)");
    TU_ASSERT_REL(occam__qnorm(1e-300, 1), -37.047096299361201, 1e-12, "qnorm(1e-300)");
    TU_ASSERT_REL(occam__qnorm(0.3, 1), -0.52440051270804067, 1e-12, "qnorm(0.3)");
    TU_ASSERT_REL(occam__qnorm(1e-10, 0), 6.3613409024040557, 1e-12, "qnorm(1e-10, upper)");
    ck_assert(isnan(occam__qnorm(1.5, 1)));
}
END_TEST

START_TEST(test_gamma_family)
{
    TU_ASSERT_REL(occam__lgamma(0.5), 0.57236494292470008, 1e-12, "lgamma(0.5)");
    TU_ASSERT_REL(occam__lgamma(1e-3), 6.9071788853838534, 1e-12, "lgamma(1e-3)");
    TU_ASSERT_REL(occam__lgamma(3.7), 1.4280723266653881, 1e-12, "lgamma(3.7)");
    TU_ASSERT_REL(occam__lgamma(12345.678), 103959.91990554606, 1e-12, "lgamma(12345.678)");
    TU_ASSERT_REL(occam__lgamma(1.5), -0.12078223763524518, 1e-12, "lgamma(1.5)");
    TU_ASSERT_REL(occam__digamma(0.2), -5.2890398965921888, 1e-12, "digamma(0.2)");
    TU_ASSERT_REL(occam__digamma(7.5), 1.9467574842460871, 1e-12, "digamma(7.5)");
    TU_ASSERT_REL(occam__digamma(1e4), 9.2102903711428503, 1e-12, "digamma(1e4)");
    TU_ASSERT_REL(occam__trigamma(0.3), 12.245364546107732, 1e-12, "trigamma(0.3)");
    TU_ASSERT_REL(occam__trigamma(25), 0.040810663257225592, 1e-12, "trigamma(25)");
    ck_assert(isnan(occam__lgamma(-1.0)));
    ck_assert(isnan(occam__lgamma(NAN)));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("specfun");
    TCase *tc = tcase_create("R nmath");
    tcase_add_test(tc, test_t_and_f_tails);
    tcase_add_test(tc, test_normal);
    tcase_add_test(tc, test_gamma_family);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
