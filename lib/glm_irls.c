/*
 * glm_irls.c -- the IRLS loop of R's glm.fit (R 4.2.2,
 * src/library/stats/R/glm.R), step for step, by blocks of rows.
 *
 * Each iteration is two passes over the rows:
 *   1. occam__glm_working_block: the working response z and square-root
 *      weights of a block, fed to the least-squares accumulator (lsq.c), which
 *      copies one weighted block at a time (X itself is never copied);
 *   2. occam__glm_eval_block: eta = offset + X b, mu and the deviance of a
 *      block at the new coefficients (repeated while step-halving).
 * Both are "one block's contribution": a streaming or distributed fit sums
 * the accumulator states and the deviances over blocks, nothing else.
 *
 * R's semantics kept here: starting values from the family (or start /
 * mustart), convergence |dev - dev_old| / (|dev| + 0.1) < epsilon,
 * step-halving after each evaluation (glm_halving.c: R's rules on a
 * non-finite deviance and on invalid eta/mu, optionally glm2's on a deviance
 * increase), and the working weights of the last solve kept for the
 * standard errors (R's stale weights).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm_internal.h"

int occam__glm_working_block(const occam_glm_problem *pb, int64_t i0, int64_t nb, const double *eta,
                             const double *mu, double *z, double *sw, int64_t *ngood)
{
    /* variance(mu) into z and mu.eta(eta) into sw first (each row reads its
     * two values before writing z and sw), except where they equal mu */
    const double *var = z, *me = sw + i0;
    if (occam__glm_is_poisson(pb->family))
        var = mu + i0; /* V(mu) = mu */
    else
        occam__glm_variance_n(pb->family, nb, mu + i0, z);
    /* log link: R's mu.eta and linkinv are both pmax(exp(eta), eps), and
     * mu = linkinv(eta) here, so reuse it (bit-identical, one exp less) */
    if (pb->link == OCCAM_LINK_LOG)
        me = mu + i0;
    else
        occam__glm_mu_eta_n(pb->link, nb, eta + i0, sw + i0);
    int64_t good = 0;
    for (int64_t b = 0; b < nb; b++) {
        int64_t i = i0 + b;
        double pw = pb->prior[i], v = var[b], m = me[b];
        z[b] = 0.0;
        sw[i] = 0.0;
        if (!(pw > 0)) continue;
        if (isnan(v)) return occam__fail(OCCAM_E_NUMERIC, "NAs in V(mu) at row %lld", (long long)i + 1);
        if (v == 0.0) return occam__fail(OCCAM_E_NUMERIC, "0s in V(mu) at row %lld", (long long)i + 1);
        if (isnan(m)) return occam__fail(OCCAM_E_NUMERIC, "NAs in d(mu)/d(eta) at row %lld", (long long)i + 1);
        if (m == 0.0) continue;
        double off = pb->offset ? pb->offset[i] : 0.0;
        z[b] = (eta[i] - off) + (pb->y[i] - mu[i]) / m;
        sw[i] = sqrt((pw * (m * m)) / v);
        good++;
    }
    *ngood += good;
    return OCCAM_OK;
}

int occam__glm_eval_block(const occam_glm_problem *pb, const double *b, int64_t i0, int64_t nb, double *eta,
                          double *mu, occam_glm_eval *ev)
{
    int rc = occam__linear_predictor(pb->X, pb->intercept, b, pb->offset, i0, nb, eta + i0);
    if (rc != OCCAM_OK) return rc;
    occam__glm_linkinv_n(pb->link, nb, eta + i0, mu + i0);
    ev->deviance += occam__glm_dev_resid_sum(pb->family, nb, pb->y + i0, mu + i0, pb->prior + i0);
    if (!occam__glm_valid_n(pb->family, pb->link, nb, eta + i0, mu + i0)) ev->valid = 0;
    return OCCAM_OK;
}

void occam__glm_irls_free(occam_glm_irls *r)
{
    free(r->coef);
    free(r->eta);
    free(r->mu);
    free(r->wt);
    occam__lsq_result_free(&r->last);
    memset(r, 0, sizeof *r);
}

/* Working state of one run. */
typedef struct irls_state {
    const occam_glm_problem *pb;
    const occam_glm_control *ctl;
    int parts;          /* row ranges run in parallel (ctl->threads, at most n) */
    occam_lsq **acc;    /* parts accumulators; acc[0] receives the others */
    occam_glm_eval *ev; /* parts partial evaluations */
    int64_t *ngood;     /* parts counts of informative rows */
    int *spec_ok;       /* parts: the speculative accumulation of the range succeeded */
    int64_t block;      /* rows per block */
    double *z;          /* parts x block: each part's working response of one block */
    double *sw_cur;     /* n: square-root working weights of the last solve */
    double *sw_next;    /* n: those of the system being accumulated */
    double *swbuf;      /* the second of the two buffers (the first is out->wt) */
    double *coefold;    /* k */
    int have_old;
    int64_t nevals;     /* evaluation passes so far */
} irls_state;

/* What the passes over row ranges share. */
typedef struct pass_ctx {
    irls_state *s;
    occam_glm_irls *out;
    const double *b; /* evaluation pass: the coefficients */
    int speculate;   /* evaluation pass: also accumulate the next system */
} pass_ctx;

/* The working response and weights of one block at the current eta, mu,
 * added to the range's accumulator. */
static int working_rows(irls_state *s, const occam_glm_irls *out, int part, int64_t r, int64_t nb)
{
    const occam_glm_problem *pb = s->pb;
    double *z = s->z + part * s->block;
    int rc = occam__glm_working_block(pb, r, nb, out->eta, out->mu, z, s->sw_next, &s->ngood[part]);
    if (rc == OCCAM_OK) rc = occam__lsq_add_rows(s->acc[part], pb->X, pb->intercept, r, nb, s->sw_next + r, z);
    return rc;
}

/* Evaluation pass, rows [i0, i1): eta, mu and the deviance at c->b.  With
 * c->speculate, each block then also goes into the accumulator for the next
 * solve while its rows of X are in cache; a failure there only cancels the
 * speculation (the regular working pass, if it runs, reports it). */
static int eval_range(void *vctx, int part, int64_t i0, int64_t i1)
{
    const pass_ctx *c = vctx;
    irls_state *s = c->s;
    s->ev[part] = (occam_glm_eval){0.0, 1};
    s->spec_ok[part] = c->speculate;
    if (c->speculate) {
        occam__lsq_reset(s->acc[part]);
        s->ngood[part] = 0;
    }
    for (int64_t r = i0; r < i1; r += s->block) {
        int64_t nb = i1 - r < s->block ? i1 - r : s->block;
        int rc = occam__glm_eval_block(s->pb, c->b, r, nb, c->out->eta, c->out->mu, &s->ev[part]);
        if (rc != OCCAM_OK) return rc;
        if (s->spec_ok[part] && working_rows(s, c->out, part, r, nb) != OCCAM_OK) s->spec_ok[part] = 0;
    }
    return OCCAM_OK;
}

/* eta, mu and deviance over all rows at coefficients b; the ranges'
 * deviances are added in row order.  With speculate, returns in *spec
 * whether the accumulators now hold the next system (no failure); spec may
 * be NULL otherwise. */
static int eval_all(irls_state *s, const double *b, int speculate, occam_glm_irls *out, occam_glm_eval *ev,
                    int *spec)
{
    pass_ctx c = {s, out, b, speculate};
    s->nevals++;
    int rc = occam__parallel_ranges(s->parts, s->pb->n, eval_range, &c);
    if (rc != OCCAM_OK) return rc;
    ev->deviance = 0.0;
    ev->valid = 1;
    int ok = speculate;
    for (int t = 0; t < s->parts; t++) {
        ev->deviance += s->ev[t].deviance;
        if (!s->ev[t].valid) ev->valid = 0;
        if (!s->spec_ok[t]) ok = 0;
    }
    if (spec != NULL) *spec = ok;
    return OCCAM_OK;
}

/* Working pass, rows [i0, i1): z and weights into this range's accumulator. */
static int working_range(void *vctx, int part, int64_t i0, int64_t i1)
{
    const pass_ctx *c = vctx;
    irls_state *s = c->s;
    occam__lsq_reset(s->acc[part]);
    s->ngood[part] = 0;
    for (int64_t r = i0; r < i1; r += s->block) {
        int64_t nb = i1 - r < s->block ? i1 - r : s->block;
        int rc = working_rows(s, c->out, part, r, nb);
        if (rc != OCCAM_OK) return rc;
    }
    return OCCAM_OK;
}

/* One weighted least-squares solve at the current eta, mu: the working pass
 * first unless an evaluation pass accumulated the system already. */
static int solve_step(irls_state *s, occam_glm_irls *out, int accumulated, int64_t iter)
{
    const occam_glm_problem *pb = s->pb;
    pass_ctx c = {s, out, NULL, 0};
    int rc = accumulated ? OCCAM_OK : occam__parallel_ranges(s->parts, pb->n, working_range, &c);
    if (rc != OCCAM_OK) return rc;
    int64_t ngood = s->ngood[0];
    for (int t = 1; t < s->parts; t++) {
        ngood += s->ngood[t];
        if ((rc = occam__lsq_merge(s->acc[0], s->acc[t])) != OCCAM_OK) return rc;
    }
    if (ngood == 0)
        return occam__fail(OCCAM_E_NUMERIC, "no observations informative at iteration %lld", (long long)iter);
    occam_lsq_result res;
    rc = occam__lsq_solve(s->acc[0], s->ctl->tol, &res);
    if (rc != OCCAM_OK) return rc;
    for (int64_t j = 0; j < pb->k; j++)
        if (!isfinite(res.coef[j])) {
            occam__lsq_result_free(&res);
            return occam__fail(OCCAM_E_NUMERIC, "non-finite coefficients at iteration %lld", (long long)iter);
        }
    occam__lsq_result_free(&out->last);
    out->last = res;
    memcpy(out->coef, res.coef, (size_t)pb->k * sizeof(double));
    double *t = s->sw_cur; /* these weights are now the last solve's */
    s->sw_cur = s->sw_next;
    s->sw_next = t;
    return OCCAM_OK;
}

/* The step-halving's evaluation: eta, mu and the deviance at b (ctx: a pass_ctx). */
static int eval_at(void *ctx, const double *b, occam_glm_eval *ev)
{
    const pass_ctx *c = ctx;
    return eval_all(c->s, b, 0, c->out, ev, NULL);
}

/* R's step-halving (and glm2's with the option) after iteration iter's
 * evaluation *ev (glm_halving.c). */
static int step_halving(irls_state *s, occam_glm_irls *out, occam_glm_eval *ev, double devold, int64_t iter)
{
    pass_ctx c = {s, out, NULL, 0};
    occam_glm_step st = {s->ctl, s->pb->k, out->coef, s->have_old ? s->coefold : NULL, eval_at, &c};
    return occam__glm_step_halving(&st, devold, iter, ev, &out->boundary, &out->step_conditions);
}

/* Starting eta and mu: X start + offset, or linkfun(mustart). */
static int start_values(irls_state *s, const double *start, const double *mustart, occam_glm_irls *out,
                        occam_glm_eval *ev)
{
    const occam_glm_problem *pb = s->pb;
    if (start != NULL) {
        int rc = eval_all(s, start, 0, out, ev, NULL);
        if (rc != OCCAM_OK) return rc;
    } else {
        ev->deviance = 0.0;
        ev->valid = 1;
        for (int64_t i = 0; i < pb->n; i++) {
            double m0 = mustart ? mustart[i] : occam__glm_mustart(pb->family, pb->y[i], pb->prior[i]);
            out->eta[i] = occam__glm_linkfun(pb->link, m0);
            out->mu[i] = occam__glm_linkinv(pb->link, out->eta[i]);
            ev->deviance += occam__glm_dev_resid(pb->family, pb->y[i], out->mu[i], pb->prior[i]);
            if (!occam__glm_valideta(pb->link, out->eta[i]) || !occam__glm_validmu(pb->family, out->mu[i]))
                ev->valid = 0;
        }
    }
    if (!ev->valid)
        return occam__fail(OCCAM_E_DOMAIN, "cannot find valid starting values: please specify some (%s start)",
                           start ? "the given coefficients give an invalid" : "the family's or given mu");
    return OCCAM_OK;
}

/* The empty model (no coefficients): eta = offset, no iteration (glm.fit's EMPTY branch). */
static int run_empty(const occam_glm_problem *pb, occam_glm_irls *out)
{
    occam_glm_eval ev = {0.0, 1};
    int rc = occam__glm_eval_block(pb, NULL, 0, pb->n, out->eta, out->mu, &ev);
    if (rc != OCCAM_OK) return rc;
    for (int64_t i = 0; i < pb->n; i++) {
        if (!occam__glm_valideta(pb->link, out->eta[i]))
            return occam__fail(OCCAM_E_DOMAIN, "invalid linear predictor values in empty model (row %lld)",
                               (long long)i + 1);
        if (!occam__glm_validmu(pb->family, out->mu[i]))
            return occam__fail(OCCAM_E_DOMAIN, "invalid fitted means in empty model (row %lld)", (long long)i + 1);
        double me = occam__glm_mu_eta(pb->link, out->eta[i]);
        out->wt[i] = (pb->prior[i] * (me * me)) / occam__glm_variance(pb->family, out->mu[i]);
    }
    out->last.k = 0;
    out->last.rank = 0;
    out->last.coef = malloc(sizeof(double));
    out->last.aliased = malloc(sizeof(int));
    out->last.cov_unscaled = malloc(sizeof(double));
    if (!out->last.coef || !out->last.aliased || !out->last.cov_unscaled)
        return occam__fail(OCCAM_E_NOMEM, "out of memory in the empty GLM");
    out->deviance = ev.deviance;
    out->iter = 0;
    out->converged = out->boundary = 1;
    return OCCAM_OK;
}

static int irls_loop(irls_state *s, const double *start, const double *mustart, occam_glm_irls *out)
{
    const occam_glm_problem *pb = s->pb;
    const occam_glm_control *ctl = s->ctl;
    occam_glm_eval ev;
    int rc = start_values(s, start, mustart, out, &ev);
    if (rc != OCCAM_OK) return rc;
    if (start != NULL) {
        memcpy(s->coefold, start, (size_t)pb->k * sizeof(double));
        s->have_old = 1;
    }
    double devold = ev.deviance, change = INFINITY;
    int accumulated = 0;
    out->converged = out->boundary = 0;
    for (int64_t iter = 1; iter <= ctl->maxit; iter++) {
        out->iter = iter;
        if ((rc = solve_step(s, out, accumulated, iter)) != OCCAM_OK) return rc;
        /* Accumulate the next system during the evaluation pass unless this
         * iteration is expected to be the last (IRLS converges about
         * quadratically: a relative change below sqrt(epsilon) is followed
         * by one below epsilon).  A wrong guess costs time, never results. */
        int speculate = iter < ctl->maxit && !(change < sqrt(ctl->epsilon));
        if ((rc = eval_all(s, out->coef, speculate, out, &ev, &accumulated)) != OCCAM_OK) return rc;
        int64_t nevals = s->nevals;
        if ((rc = step_halving(s, out, &ev, devold, iter)) != OCCAM_OK) return rc;
        if (s->nevals != nevals) accumulated = 0; /* eta moved: the speculation is stale */
        out->deviance = ev.deviance;
        change = fabs(ev.deviance - devold) / (0.1 + fabs(ev.deviance));
        if (change < ctl->epsilon) {
            out->converged = 1;
            break;
        }
        devold = ev.deviance;
        memcpy(s->coefold, out->coef, (size_t)pb->k * sizeof(double));
        s->have_old = 1;
    }
    /* the working weights of the last solve (R's fit$weights) */
    for (int64_t i = 0; i < pb->n; i++) out->wt[i] = s->sw_cur[i] * s->sw_cur[i];
    return OCCAM_OK;
}

/* The per-part arrays and accumulators of s (s->parts set). */
static int state_alloc(irls_state *s, int64_t n, int64_t k)
{
    s->acc = calloc((size_t)s->parts, sizeof *s->acc);
    s->ev = calloc((size_t)s->parts, sizeof *s->ev);
    s->ngood = calloc((size_t)s->parts, sizeof *s->ngood);
    s->spec_ok = calloc((size_t)s->parts, sizeof *s->spec_ok);
    s->swbuf = malloc((size_t)n * sizeof(double));
    s->sw_next = s->swbuf;
    s->coefold = calloc((size_t)k, sizeof(double));
    if (!s->acc || !s->ev || !s->ngood || !s->spec_ok || !s->swbuf || !s->coefold)
        return occam__fail(OCCAM_E_NOMEM, "out of memory for the IRLS vectors (n = %lld)", (long long)n);
    for (int t = 0; t < s->parts; t++) {
        int rc = occam__lsq_new(k, s->ctl->solver, &s->acc[t]);
        if (rc != OCCAM_OK) return rc;
    }
    s->block = occam__lsq_block_rows(s->acc[0]);
    s->z = malloc((size_t)(s->parts * s->block) * sizeof(double));
    if (s->z == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for the IRLS working response");
    return OCCAM_OK;
}

static void state_free(irls_state *s)
{
    for (int t = 0; s->acc && t < s->parts; t++) occam__lsq_free(s->acc[t]);
    free(s->acc);
    free(s->ev);
    free(s->ngood);
    free(s->spec_ok);
    free(s->swbuf);
    free(s->z);
    free(s->coefold);
}

int occam__glm_irls_run(const occam_glm_problem *pb, const occam_glm_control *ctl, const double *start,
                        const double *mustart, occam_glm_irls *out)
{
    memset(out, 0, sizeof *out);
    size_t n = (size_t)pb->n, k = (size_t)(pb->k > 0 ? pb->k : 1);
    out->k = pb->k;
    out->coef = calloc(k, sizeof(double));
    out->eta = malloc(n * sizeof(double));
    out->mu = malloc(n * sizeof(double));
    out->wt = malloc(n * sizeof(double));
    irls_state s;
    memset(&s, 0, sizeof s);
    s.pb = pb;
    s.ctl = ctl;
    s.parts = occam__parallel_parts(ctl->threads, pb->n);
    s.sw_cur = out->wt; /* sqrt working weights, squared into out->wt at the end */
    int rc = OCCAM_OK;
    if (!out->coef || !out->eta || !out->mu || !out->wt) {
        rc = occam__fail(OCCAM_E_NOMEM, "out of memory for the IRLS vectors (n = %lld)", (long long)pb->n);
    } else if (pb->k == 0) {
        rc = run_empty(pb, out);
    } else {
        rc = state_alloc(&s, pb->n, (int64_t)k);
        if (rc == OCCAM_OK) rc = irls_loop(&s, start, mustart, out);
    }
    state_free(&s);
    if (rc != OCCAM_OK) occam__glm_irls_free(out);
    return rc;
}
