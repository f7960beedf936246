/*
 * glm_halving.c -- the step-halving of one IRLS iteration: each rule halves
 * the step towards the previous iteration's coefficients, b = (b + b_old) / 2,
 * and evaluates the deviance again, while its test holds.
 *
 * R's glm.fit (R 4.2.2, src/library/stats/R/glm.R), in this order:
 *   1. the deviance is not finite: "step size truncated due to divergence",
 *      an error ("inner loop 1") after maxit halvings;
 *   2. eta or mu is invalid for the link or family (valideta, validmu):
 *      "step size truncated: out of bounds", an error ("inner loop 2") after
 *      maxit halvings.
 * Either sets glm.fit's boundary flag for the iteration; without previous
 * coefficients (first iteration, no start) either is R's error "no valid set
 * of coefficients has been found".
 *
 * glm2's glm.fit2 (Marschner 2011, "glm2: Fitting generalized linear models
 * with convergence problems", The R Journal 3/2; package glm2 1.2.1) adds,
 * with OCCAM_OPT_HALVE_ON_INCREASE, after those two:
 *   3. from the second iteration on, when the deviance rose,
 *      (dev - dev_old) / (|dev| + 0.1) >= epsilon, halve until it has fallen,
 *      (dev - dev_old) / (|dev| + 0.1) <= -epsilon: the step is taken only
 *      once the deviance strictly decreases.  After maxit halvings glm2 stops
 *      halving with a warning ("inner loop 3") and keeps the step.  This
 *      rule leaves the boundary flag alone.
 */
#include <math.h>

#include "glm_internal.h"

static void halve(const occam_glm_step *st)
{
    for (int64_t j = 0; j < st->k; j++) st->coef[j] = (st->coef[j] + st->coefold[j]) / 2;
}

static int no_valid_set(void)
{
    return occam__fail(OCCAM_E_NUMERIC,
                       "no valid set of coefficients has been found: please supply starting values");
}

/* Rule 1: halve while the deviance is not finite. */
static int halve_divergence(const occam_glm_step *st, int64_t iter, occam_glm_eval *ev)
{
    if (st->coefold == NULL) return no_valid_set();
    for (int64_t ii = 1; !isfinite(ev->deviance); ii++) {
        if (ii > st->ctl->maxit)
            return occam__fail(OCCAM_E_NUMERIC, "inner loop 1; cannot correct step size (iteration %lld)",
                               (long long)iter);
        halve(st);
        int rc = st->eval(st->ctx, st->coef, ev);
        if (rc != OCCAM_OK) return rc;
    }
    return OCCAM_OK;
}

/* Rule 2: halve while eta or mu is invalid. */
static int halve_out_of_bounds(const occam_glm_step *st, int64_t iter, occam_glm_eval *ev)
{
    if (st->coefold == NULL) return no_valid_set();
    for (int64_t ii = 1; !ev->valid; ii++) {
        if (ii > st->ctl->maxit)
            return occam__fail(OCCAM_E_NUMERIC, "inner loop 2; cannot correct step size (iteration %lld)",
                               (long long)iter);
        halve(st);
        int rc = st->eval(st->ctx, st->coef, ev);
        if (rc != OCCAM_OK) return rc;
    }
    return OCCAM_OK;
}

/* glm2's relative change of the deviance. */
static double rel_change(double dev, double devold)
{
    return (dev - devold) / (0.1 + fabs(dev));
}

/* Rule 3 (glm2): halve until the deviance has fallen by epsilon (relative),
 * at most maxit times.  A non-finite deviance on the way is an error, as
 * in glm2 (R cannot compare it). */
static int halve_increase(const occam_glm_step *st, double devold, int64_t iter, occam_glm_eval *ev)
{
    if (st->coefold == NULL) return no_valid_set();
    double eps = st->ctl->epsilon;
    for (int64_t ii = 1; rel_change(ev->deviance, devold) > -eps; ii++) {
        if (ii > st->ctl->maxit) break;
        halve(st);
        int rc = st->eval(st->ctx, st->coef, ev);
        if (rc != OCCAM_OK) return rc;
        if (!isfinite(ev->deviance))
            return occam__fail(OCCAM_E_NUMERIC, "non-finite deviance while halving an increasing step "
                               "(iteration %lld)", (long long)iter);
    }
    return OCCAM_OK;
}

int occam__glm_step_halving(const occam_glm_step *st, double devold, int64_t iter, occam_glm_eval *ev,
                            int *boundary, int *conditions)
{
    int rc = OCCAM_OK;
    *boundary = 0;
    if (!isfinite(ev->deviance)) {
        *conditions |= OCCAM_COND_STEP_DIVERGENCE;
        if ((rc = halve_divergence(st, iter, ev)) != OCCAM_OK) return rc;
        *boundary = 1;
    }
    if (!ev->valid) {
        *conditions |= OCCAM_COND_STEP_OUT_OF_BOUNDS;
        if ((rc = halve_out_of_bounds(st, iter, ev)) != OCCAM_OK) return rc;
        *boundary = 1;
    }
    if (st->ctl->halve_on_increase && iter > 1 && rel_change(ev->deviance, devold) >= st->ctl->epsilon)
        rc = halve_increase(st, devold, iter, ev);
    return rc;
}
