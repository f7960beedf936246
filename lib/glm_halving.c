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

enum { RULE_DIVERGENCE = 1, RULE_BOUNDS = 2, RULE_INCREASE = 3, RULE_DONE = 4 };

static void halve(occam_glm_halver *h)
{
    for (int64_t j = 0; j < h->k; j++) h->coef[j] = (h->coef[j] + h->coefold[j]) / 2;
}

static int no_valid_set(void)
{
    return occam__fail(OCCAM_E_NUMERIC,
                       "no valid set of coefficients has been found: please supply starting values");
}

/* glm2's relative change of the deviance. */
static double rel_change(double dev, double devold)
{
    return (dev - devold) / (0.1 + fabs(dev));
}

/* Enter a rule at its first test: halve (*need = 1) or go on to the next rule. */
static int enter(occam_glm_halver *h, int rule, const occam_glm_eval *ev, int *need);

/* Rules 1 and 2: one more halving while the test holds, at most maxit. */
static int halve_while(occam_glm_halver *h, int bad, int loop, int *need)
{
    if (!bad) return 0;
    if (++h->ii > h->ctl->maxit)
        return occam__fail(OCCAM_E_NUMERIC, "inner loop %d; cannot correct step size (iteration %lld)", loop,
                           (long long)h->iter);
    halve(h);
    *need = 1;
    return 1;
}

static int enter(occam_glm_halver *h, int rule, const occam_glm_eval *ev, int *need)
{
    h->rule = rule;
    h->ii = 0;
    switch (rule) {
    case RULE_DIVERGENCE:
        if (isfinite(ev->deviance)) return enter(h, RULE_BOUNDS, ev, need);
        h->conditions |= OCCAM_COND_STEP_DIVERGENCE;
        if (h->coefold == NULL) return no_valid_set();
        return occam__glm_halver_next(h, ev, need);
    case RULE_BOUNDS:
        if (ev->valid) return enter(h, RULE_INCREASE, ev, need);
        h->conditions |= OCCAM_COND_STEP_OUT_OF_BOUNDS;
        if (h->coefold == NULL) return no_valid_set();
        return occam__glm_halver_next(h, ev, need);
    case RULE_INCREASE:
        if (!(h->ctl->halve_on_increase && h->iter > 1 && rel_change(ev->deviance, h->devold) >= h->ctl->epsilon)) {
            h->rule = RULE_DONE;
            return OCCAM_OK;
        }
        if (h->coefold == NULL) return no_valid_set();
        h->ii = 1;
        halve(h);
        *need = 1;
        return OCCAM_OK;
    default: h->rule = RULE_DONE; return OCCAM_OK;
    }
}

int occam__glm_halver_begin(occam_glm_halver *h, const occam_glm_control *ctl, int64_t k, double *coef,
                            const double *coefold, double devold, int64_t iter, const occam_glm_eval *ev, int *need)
{
    *h = (occam_glm_halver){ctl, k, coef, coefold, devold, iter, 0, 0, 0, 0};
    *need = 0;
    return enter(h, RULE_DIVERGENCE, ev, need);
}

int occam__glm_halver_next(occam_glm_halver *h, const occam_glm_eval *ev, int *need)
{
    *need = 0;
    switch (h->rule) {
    case RULE_DIVERGENCE: {
        int rc = halve_while(h, !isfinite(ev->deviance), 1, need);
        if (rc != 0) return rc < 0 ? rc : OCCAM_OK;
        h->boundary = 1;
        return enter(h, RULE_BOUNDS, ev, need);
    }
    case RULE_BOUNDS: {
        int rc = halve_while(h, !ev->valid, 2, need);
        if (rc != 0) return rc < 0 ? rc : OCCAM_OK;
        h->boundary = 1;
        return enter(h, RULE_INCREASE, ev, need);
    }
    case RULE_INCREASE:
        /* glm2: a non-finite deviance on the way is an error (it cannot be
         * compared); otherwise halve until the deviance has fallen by
         * epsilon, at most maxit times, then keep the step */
        if (!isfinite(ev->deviance))
            return occam__fail(OCCAM_E_NUMERIC, "non-finite deviance while halving an increasing step "
                               "(iteration %lld)", (long long)h->iter);
        if (rel_change(ev->deviance, h->devold) > -h->ctl->epsilon && ++h->ii <= h->ctl->maxit) {
            halve(h);
            *need = 1;
            return OCCAM_OK;
        }
        h->rule = RULE_DONE;
        return OCCAM_OK;
    default: return OCCAM_OK;
    }
}

int occam__glm_step_halving(const occam_glm_step *st, double devold, int64_t iter, occam_glm_eval *ev,
                            int *boundary, int *conditions)
{
    occam_glm_halver h;
    int need = 0;
    int rc = occam__glm_halver_begin(&h, st->ctl, st->k, st->coef, st->coefold, devold, iter, ev, &need);
    while (rc == OCCAM_OK && need) {
        rc = st->eval(st->ctx, st->coef, ev);
        if (rc == OCCAM_OK) rc = occam__glm_halver_next(&h, ev, &need);
    }
    *boundary = h.boundary;
    *conditions |= h.conditions;
    return rc;
}
