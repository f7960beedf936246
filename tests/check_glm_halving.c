/*
 * check_glm_halving.c -- lib/glm_halving.c, the step-halving rules of one
 * IRLS iteration (synchronous, and in the resumable form a stream drives
 * one pass per halving), on a one-coefficient toy whose deviance is a function the
 * test chooses.  The expected steps follow by hand from the rules of R's
 * glm.fit (R 4.2.2: halve while the deviance is not finite, then while eta/mu
 * are invalid; an error after maxit halvings or without previous
 * coefficients) and of glm2's glm.fit2 (Marschner 2011; glm2 1.2.1: from the
 * second iteration, a step whose deviance rose by epsilon (relative) is
 * halved until the deviance has fallen by epsilon, at most maxit times).
 * Halving is exact in binary, so every coefficient is compared exactly.
 * The fits these rules give on real data are compared with R and glm2 in
 * check_glm_irls.c and check_glm.c.
 */
#include <math.h>
#include <string.h>

#include "glm_internal.h"
#include "testutil.h"

/* The toy: deviance dev(b) (INFINITY where it is not finite), valid where b
 * < valid_below; counts the evaluations. */
typedef struct toy {
    double (*dev)(double b);
    double valid_below;
    int evals;
} toy;

static int toy_eval(void *ctx, const double *b, occam_glm_eval *ev)
{
    toy *t = ctx;
    t->evals++;
    ev->deviance = t->dev(b[0]);
    ev->valid = b[0] < t->valid_below;
    return OCCAM_OK;
}

static double dev_finite_below_1(double b) { return b <= 1 ? (b - 0.5) * (b - 0.5) : INFINITY; }
static double dev_always_inf(double b)
{
    (void)b;
    return INFINITY;
}
static double dev_bowl(double b) { return (b - 1) * (b - 1); }
static double dev_rising(double b) { return 10 + b; }
static double dev_inf_below_2(double b) { return b < 2 ? INFINITY : (b - 1) * (b - 1); }

/* Run the halving of iteration iter from coefficient b (previous 0, or none). */
static int run(toy *t, double *b, int have_old, double devold, int64_t iter, int halve_on_increase, int64_t maxit,
               int *boundary, int *cond)
{
    occam_glm_control ctl = {1e-8, maxit, 1e-11, OCCAM_SOLVER_QR, halve_on_increase, 1};
    static const double zero = 0.0;
    occam_glm_step st = {&ctl, 1, b, have_old ? &zero : NULL, toy_eval, t};
    occam_glm_eval ev;
    ck_assert_int_eq(toy_eval(t, b, &ev), OCCAM_OK); /* the iteration's own evaluation */
    t->evals = 0;
    *cond = 0;
    *boundary = -1;
    return occam__glm_step_halving(&st, devold, iter, &ev, boundary, cond);
}

/* glm.fit's first rule: 4 -> 2 (deviance still infinite) -> 1 (finite):
 * two halvings, boundary, "step size truncated due to divergence". */
START_TEST(test_divergence)
{
    toy t = {dev_finite_below_1, INFINITY, 0};
    double b = 4;
    int boundary, cond;
    ck_assert_int_eq(run(&t, &b, 1, 0.25, 3, 0, 25, &boundary, &cond), OCCAM_OK);
    ck_assert(b == 1.0);
    ck_assert_int_eq(t.evals, 2);
    ck_assert_int_eq(boundary, 1);
    ck_assert_int_eq(cond, OCCAM_COND_STEP_DIVERGENCE);
}
END_TEST

/* glm.fit's second rule: valid below 1.5, 4 -> 2 -> 1; "step size truncated:
 * out of bounds", boundary. */
START_TEST(test_out_of_bounds)
{
    toy t = {dev_bowl, 1.5, 0};
    double b = 4;
    int boundary, cond;
    ck_assert_int_eq(run(&t, &b, 1, 1.0, 3, 0, 25, &boundary, &cond), OCCAM_OK);
    ck_assert(b == 1.0);
    ck_assert_int_eq(t.evals, 2);
    ck_assert_int_eq(boundary, 1);
    ck_assert_int_eq(cond, OCCAM_COND_STEP_OUT_OF_BOUNDS);
}
END_TEST

/* Both rules in one iteration: deviance infinite above 1, valid below 0.75:
 * 4 -> 2 -> 1 (finite, invalid) -> 0.5 (valid). */
START_TEST(test_both_rules)
{
    toy t = {dev_finite_below_1, 0.75, 0};
    double b = 4;
    int boundary, cond;
    ck_assert_int_eq(run(&t, &b, 1, 0.25, 3, 0, 25, &boundary, &cond), OCCAM_OK);
    ck_assert(b == 0.5);
    ck_assert_int_eq(t.evals, 3);
    ck_assert_int_eq(boundary, 1);
    ck_assert_int_eq(cond, OCCAM_COND_STEP_DIVERGENCE | OCCAM_COND_STEP_OUT_OF_BOUNDS);
}
END_TEST

/* Nothing to halve: no evaluation, boundary 0, no condition. */
START_TEST(test_no_halving)
{
    toy t = {dev_bowl, INFINITY, 0};
    double b = 1.25;
    int boundary, cond;
    ck_assert_int_eq(run(&t, &b, 1, 1.0, 3, 1, 25, &boundary, &cond), OCCAM_OK);
    ck_assert(b == 1.25);
    ck_assert_int_eq(t.evals, 0);
    ck_assert_int_eq(boundary, 0);
    ck_assert_int_eq(cond, 0);
}
END_TEST

/* R's errors: "inner loop 1" after maxit halvings, "inner loop 2" likewise,
 * "no valid set of coefficients" without previous coefficients. */
START_TEST(test_errors)
{
    int boundary, cond;
    toy t = {dev_always_inf, INFINITY, 0};
    double b = 4;
    ck_assert_int_eq(run(&t, &b, 1, 1.0, 3, 0, 3, &boundary, &cond), OCCAM_E_NUMERIC);
    ck_assert_int_eq(t.evals, 3);
    ck_assert_msg(strstr(occam_last_error(), "inner loop 1") != NULL, "%s", occam_last_error());
    toy t2 = {dev_bowl, -1.0, 0};
    b = 4;
    ck_assert_int_eq(run(&t2, &b, 1, 1.0, 3, 0, 3, &boundary, &cond), OCCAM_E_NUMERIC);
    ck_assert_int_eq(t2.evals, 3);
    ck_assert_msg(strstr(occam_last_error(), "inner loop 2") != NULL, "%s", occam_last_error());
    toy t3 = {dev_finite_below_1, INFINITY, 0};
    b = 4;
    ck_assert_int_eq(run(&t3, &b, 0, 1.0, 1, 0, 25, &boundary, &cond), OCCAM_E_NUMERIC);
    ck_assert_int_eq(t3.evals, 0);
    ck_assert_msg(strstr(occam_last_error(), "no valid set of coefficients") != NULL, "%s", occam_last_error());
}
END_TEST

/* glm2's rule halves until the deviance has fallen: dev(b) = (b - 1)^2,
 * previous b = 0 (dev_old = 1), step to 4 (dev 9): 4 -> 2 gives dev 1 =
 * dev_old, not a decrease, so glm2 halves again to 1 (dev 0).  (A rule that
 * stops once the increase is below epsilon keeps 2.)  No condition: R's
 * glm.fit has no such warning; glm2's own is "step size truncated due to
 * increasing deviance".  boundary stays 0. */
START_TEST(test_glm2_strict_decrease)
{
    toy t = {dev_bowl, INFINITY, 0};
    double b = 4;
    int boundary, cond;
    ck_assert_int_eq(run(&t, &b, 1, 1.0, 2, 1, 25, &boundary, &cond), OCCAM_OK);
    ck_assert(b == 1.0);
    ck_assert_int_eq(t.evals, 2);
    ck_assert_int_eq(boundary, 0);
    ck_assert_int_eq(cond, 0);
    /* without the option, or in the first iteration, the step stays */
    b = 4;
    ck_assert_int_eq(run(&t, &b, 1, 1.0, 2, 0, 25, &boundary, &cond), OCCAM_OK);
    ck_assert(b == 4.0 && t.evals == 0);
    ck_assert_int_eq(run(&t, &b, 1, 1.0, 1, 1, 25, &boundary, &cond), OCCAM_OK);
    ck_assert(b == 4.0 && t.evals == 0);
}
END_TEST

/* glm2's trigger is a rise of at least epsilon relative to |dev| + 0.1: a
 * rise of half that keeps the step. */
START_TEST(test_glm2_threshold)
{
    toy t = {dev_bowl, INFINITY, 0};
    double b = 3; /* dev 4 */
    int boundary, cond;
    double devold = 4 - 0.5e-8 * 4.1;
    ck_assert_int_eq(run(&t, &b, 1, devold, 2, 1, 25, &boundary, &cond), OCCAM_OK);
    ck_assert(b == 3.0 && t.evals == 0);
    devold = 4 - 2e-8 * 4.1;
    ck_assert_int_eq(run(&t, &b, 1, devold, 2, 1, 25, &boundary, &cond), OCCAM_OK);
    ck_assert(b == 1.5 && t.evals == 1); /* dev 0.25, well below dev_old */
}
END_TEST

/* glm2 stops halving after maxit halvings and keeps the step (its warning
 * "inner loop 3; cannot correct step size"); a non-finite deviance on the
 * way is an error (glm2 cannot compare it). */
START_TEST(test_glm2_limits)
{
    toy t = {dev_rising, INFINITY, 0};
    double b = 4; /* dev 14; 12, 11, 10.5 after halvings: above dev_old = 10 */
    int boundary, cond;
    ck_assert_int_eq(run(&t, &b, 1, 10.0, 2, 1, 3, &boundary, &cond), OCCAM_OK);
    ck_assert(b == 0.5);
    ck_assert_int_eq(t.evals, 3);
    toy t2 = {dev_inf_below_2, INFINITY, 0};
    b = 6; /* dev 25, dev_old 1: halve to 3 (dev 4), 1.5 (infinite) */
    ck_assert_int_eq(run(&t2, &b, 1, 1.0, 2, 1, 25, &boundary, &cond), OCCAM_E_NUMERIC);
    ck_assert_int_eq(t2.evals, 2);
}
END_TEST

/* The resumable form a stream uses: each halving is one more pass.  R's
 * rule 1 from b = 4: the caller evaluates 2 (still infinite), then 1. */
START_TEST(test_resumable)
{
    occam_glm_control ctl = {1e-8, 25, 1e-11, OCCAM_SOLVER_QR, 0, 1};
    double b = 4, zero = 0.0;
    toy t = {dev_finite_below_1, INFINITY, 0};
    occam_glm_eval ev;
    toy_eval(&t, &b, &ev);
    occam_glm_halver h;
    int need = -1;
    ck_assert_int_eq(occam__glm_halver_begin(&h, &ctl, 1, &b, &zero, 0.25, 3, &ev, &need), OCCAM_OK);
    ck_assert(need == 1 && b == 2.0);
    toy_eval(&t, &b, &ev);
    ck_assert_int_eq(occam__glm_halver_next(&h, &ev, &need), OCCAM_OK);
    ck_assert(need == 1 && b == 1.0);
    toy_eval(&t, &b, &ev);
    ck_assert_int_eq(occam__glm_halver_next(&h, &ev, &need), OCCAM_OK);
    ck_assert_int_eq(need, 0);
    ck_assert_int_eq(h.boundary, 1);
    ck_assert_int_eq(h.conditions, OCCAM_COND_STEP_DIVERGENCE);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("glm_halving");
    TCase *tc = tcase_create("halving");
    tcase_add_test(tc, test_divergence);
    tcase_add_test(tc, test_out_of_bounds);
    tcase_add_test(tc, test_both_rules);
    tcase_add_test(tc, test_no_halving);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_glm2_strict_decrease);
    tcase_add_test(tc, test_glm2_threshold);
    tcase_add_test(tc, test_glm2_limits);
    tcase_add_test(tc, test_resumable);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
