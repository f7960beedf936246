/*
 * glm_stream.c -- the GLM pass driver: R's glm.fit loop (R 4.2.2,
 * src/library/stats/R/glm.R) and glm()'s extras as a sequence of passes
 * over the data, each pass one read of every row (glm_pass.c computes a
 * pass's contribution).  The same driver runs a stream (stream.c) and an
 * in-memory fit (stream_memory.c).
 *
 * Passes:
 *   0      the starting values (R's initialize: start coefficients, mustart
 *          or the family's mustart): deviance, validity, R's checks of y,
 *          the first weighted least-squares system;
 *   then per IRLS iteration: solve the system; one pass at the new
 *          coefficients evaluating eta, mu, the deviance and validity and
 *          accumulating the next system; step-halving (glm_halving.c) asks
 *          for one more such pass per halving; convergence |dev - dev_old| /
 *          (|dev| + 0.1) < epsilon as R;
 *   final  when the family is Gamma (R's Gamma AIC uses dispersion =
 *          deviance / sum(w), known only once the fit has converged), the
 *          model has an intercept and an offset (glm() then refits the
 *          intercept-only model from mustart = the fitted values for the
 *          null deviance: this pass forms its start), or -- in-memory only
 *          -- the sums summary.glm needs were not taken during the last
 *          iteration;
 *   null   the intercept-only refit's iterations and halvings (eta = b0 + offset).
 * A stream accumulates the next system and takes the summary's sums in
 * every iteration's pass (any pass may be the last), so it reads the data
 * 1 + iterations + halvings (+ final) (+ null) times.  An in-memory fit,
 * where a pass is cheap to repeat, skips the accumulation of a pass
 * expected to be the last (relative change below sqrt(epsilon), or
 * maxit) and takes the summary's sums there instead, and repeats a pass
 * when the guess was wrong: the results are the same either way.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm_internal.h"
#include "stream_internal.h"

enum { PH_START, PH_ITER, PH_ACCUM, PH_FINAL, PH_NULL, PH_NULL_ACCUM, PH_REDO, PH_NULL_REDO, PH_DONE };

/* One IRLS loop: the fit's, or the null model's. */
typedef struct glm_run {
    int64_t k;
    int64_t iter;
    double *coef, *coefold;  /* k */
    int have_old;
    double devold, dev, change;
    int converged, boundary, conditions;
    occam_lsq_result last;   /* the last solve */
    occam_glm_halver hv;
    int halving;             /* a step-halving is in progress */
    occam_partial *sys;      /* the pass whose system is solved next (owned), or NULL */
    double *bsys;            /* k: the coefficients of the pass that accumulated the solved system */
    int64_t nbsys;           /* k, or 0: that pass evaluated the starting means */
    int qr;                  /* OCCAM_SOLVER_AUTO: a system failed the Cholesky test, QR from then on */
    int last_solver;         /* the solver of the last solve (OCCAM_INFO_SOLVER) */
} glm_run;

typedef struct glm_driver {
    occam_glm_setup su;
    occam_glm_control ctl;
    int inputs;
    int memory;              /* an in-memory fit: guess the last iteration */
    double *start;           /* k starting coefficients, or NULL */
    double *mustart;         /* the model's mustart (copied), or NULL */
    int64_t nmustart;
    int phase;
    int64_t next_index;      /* number of the next pass */
    /* the first pass */
    int64_t n, nobs;
    double sum_w, sum_wy, sum_logw, sum_wlogy;
    int non_integer;
    double nulldev;
    int have_nulldev;
    glm_run run, nul;
    occam_glm_sums summary;  /* the SUMMARY sums of the last accepted pass */
    int have_summary;
    double gamma_aic;
    int null_conditions;
} glm_driver;

/* ------------------------------------------------------------ control */

int occam__glm_read_control(const occam_opts *opts, occam_glm_control *ctl, int *intercept)
{
    ctl->epsilon = occam__opt_double(opts, OCCAM_OPT_EPSILON, 1e-8);
    ctl->maxit = occam__opt_int(opts, OCCAM_OPT_MAXIT, 25);
    ctl->tol = occam__opt_double(opts, OCCAM_OPT_RANK_TOL, fmin(1e-7, ctl->epsilon / 1000));
    ctl->solver = (int)occam__opt_int(opts, OCCAM_OPT_SOLVER, OCCAM_SOLVER_AUTO);
    ctl->halve_on_increase = (int)occam__opt_int(opts, OCCAM_OPT_HALVE_ON_INCREASE, 0);
    ctl->threads = (int)occam__opt_int(opts, OCCAM_OPT_THREADS, 1);
    *intercept = (int)occam__opt_int(opts, OCCAM_OPT_INTERCEPT, 1);
    if (!(ctl->epsilon > 0) || !isfinite(ctl->epsilon))
        return occam__fail(OCCAM_E_INVALID_ARG, "epsilon must be > 0, got %g", ctl->epsilon);
    if (ctl->maxit < 1) return occam__fail(OCCAM_E_INVALID_ARG, "maxit must be >= 1, got %lld", (long long)ctl->maxit);
    if (!(ctl->tol >= 0 && ctl->tol < 1))
        return occam__fail(OCCAM_E_INVALID_ARG, "rank tolerance must be in [0, 1), got %g", ctl->tol);
    if (ctl->solver != OCCAM_SOLVER_QR && ctl->solver != OCCAM_SOLVER_CHOLESKY && ctl->solver != OCCAM_SOLVER_AUTO)
        return occam__fail(OCCAM_E_UNKNOWN_ENUM, "unknown solver %d", ctl->solver);
    if (*intercept != 0 && *intercept != 1)
        return occam__fail(OCCAM_E_INVALID_ARG, "intercept option must be 0 or 1, got %d", *intercept);
    if (ctl->halve_on_increase != 0 && ctl->halve_on_increase != 1)
        return occam__fail(OCCAM_E_INVALID_ARG, "halve-on-increase option must be 0 or 1, got %d",
                           ctl->halve_on_increase);
    return OCCAM_OK;
}

/* ------------------------------------------------------------ lifetime */

static void run_free(glm_run *r)
{
    free(r->coef);
    free(r->coefold);
    free(r->bsys);
    occam__lsq_result_free(&r->last);
    occam_partial_free(r->sys);
    memset(r, 0, sizeof *r);
}

static int run_init(glm_run *r, int64_t k)
{
    memset(r, 0, sizeof *r);
    size_t kk = (size_t)(k > 0 ? k : 1);
    r->k = k;
    r->coef = calloc(kk, sizeof(double));
    r->coefold = calloc(kk, sizeof(double));
    r->bsys = calloc(kk, sizeof(double));
    r->change = INFINITY;
    if (!r->coef || !r->coefold || !r->bsys) return occam__fail(OCCAM_E_NOMEM, "out of memory for a GLM fit");
    return OCCAM_OK;
}

static void driver_free(void *vd)
{
    glm_driver *d = vd;
    if (d == NULL) return;
    free(d->start);
    free(d->mustart);
    run_free(&d->run);
    run_free(&d->nul);
    free(d);
}

static int copy_of(const double *src, int64_t n, double **out)
{
    *out = NULL;
    if (src == NULL) return OCCAM_OK;
    *out = malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
    if (*out == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for the starting values");
    memcpy(*out, src, (size_t)n * sizeof(double));
    return OCCAM_OK;
}

static int driver_begin(occam_model *m, const occam_opts *opts, int64_t p, int inputs, int64_t n_memory, void **out)
{
    const occam_glm_impl *g = m->impl;
    occam_glm_control ctl;
    int intercept;
    int rc = occam__glm_read_control(opts, &ctl, &intercept);
    if (rc != OCCAM_OK) return rc;
    int64_t k = p + intercept;
    if (g->start != NULL && g->nstart != k)
        return occam__fail(OCCAM_E_DIM_MISMATCH,
                           "length of 'start' should equal %lld (%s%lld columns of X) but is %lld", (long long)k,
                           intercept ? "intercept + " : "", (long long)p, (long long)g->nstart);
    if (g->start == NULL && g->mustart != NULL && n_memory > 0 && g->nmustart != n_memory)
        return occam__fail(OCCAM_E_DIM_MISMATCH, "length of 'mustart' should equal n = %lld but is %lld",
                           (long long)n_memory, (long long)g->nmustart);
    if (n_memory == 0 && occam__opt_int(opts, OCCAM_OPT_FAST, 0))
        return occam__fail(OCCAM_E_INVALID_ARG, "the fast GLM path (OCCAM_OPT_FAST) is for in-memory fits "
                           "(occam_model_fit) only: a stream or partial fit runs R's IRLS; unset it");
    rc = occam__check_blas_int(n_memory, "number of rows");
    if (rc == OCCAM_OK) rc = occam__check_blas_int(k + 1, "number of coefficients");
    if (rc != OCCAM_OK) return rc;
    glm_driver *d = calloc(1, sizeof *d);
    if (d == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for a GLM fit");
    d->su = (occam_glm_setup){g->family, g->link, intercept, p, k, ctl.solver};
    d->ctl = ctl;
    d->inputs = inputs;
    d->memory = n_memory > 0;
    rc = copy_of(g->start, g->nstart, &d->start);
    if (rc == OCCAM_OK && g->start == NULL) {
        rc = copy_of(g->mustart, g->nmustart, &d->mustart);
        d->nmustart = g->mustart ? g->nmustart : 0;
    }
    if (rc == OCCAM_OK) rc = run_init(&d->run, k);
    if (rc == OCCAM_OK) rc = run_init(&d->nul, 1);
    if (rc != OCCAM_OK) {
        driver_free(d);
        return rc;
    }
    if (g->guess_last && d->memory) d->run.change = 0; /* glm_fast.c: started at the MLE */
    d->phase = PH_START;
    *out = d;
    return OCCAM_OK;
}

/* ------------------------------------------------------------ passes */

/* A new pass: its number, type, flags and coefficients. */
static int emit(glm_driver *d, int type, int flags, const double *b, int64_t nb, const glm_run *r,
                occam_partial **next)
{
    occam_glm_passdef pd;
    memset(&pd, 0, sizeof pd);
    pd.index = d->next_index;
    pd.type = type;
    pd.flags = flags | (d->start || d->mustart ? OCCAM_GLM_HAS_START : 0) | (d->mustart ? OCCAM_GLM_MUSTART : 0);
    pd.nb = nb;
    pd.b = (double *)b;
    if (r != NULL && (flags & OCCAM_GLM_SUMMARY)) {
        pd.nbsys = r->nbsys;
        pd.bsys = r->bsys;
    }
    if (flags & OCCAM_GLM_NULLDEV) pd.wtdmu = d->su.intercept ? d->sum_wy / d->sum_w : 0.0;
    if (flags & OCCAM_GLM_GAMMA_AIC) pd.disp = d->run.dev / d->sum_w;
    int rc = occam__glm_part_new(&d->su, &pd, d->inputs, next);
    if (rc != OCCAM_OK) return rc;
    occam_glm_part *g = (*next)->impl;
    g->mustart = d->mustart;
    g->nmustart = d->nmustart;
    d->next_index++;
    return OCCAM_OK;
}

/* OCCAM_SOLVER_AUTO: the pass flag of run r's systems once it uses QR. */
static int qr_flag(const glm_run *r) { return r->qr ? OCCAM_GLM_QR : 0; }

/* The flags of the passes of an iteration, by the policy (see the top). */
static int iter_flags(const glm_driver *d, const glm_run *r, int main)
{
    int last = r->iter >= d->ctl.maxit;
    int accum = !last && (!d->memory || !(r->change < sqrt(d->ctl.epsilon)));
    int flags = accum ? OCCAM_GLM_ACCUM | qr_flag(r) : 0;
    if (main && (!d->memory || !accum)) flags |= OCCAM_GLM_SUMMARY;
    if (main && !d->have_nulldev && d->su.intercept && !(d->inputs & OCCAM_STREAM_OFFSET)) flags |= OCCAM_GLM_NULLDEV;
    return flags;
}

/* The pass evaluating r's current coefficients. */
static int emit_eval(glm_driver *d, glm_run *r, int main, occam_partial **next)
{
    if (main) return emit(d, OCCAM_GLM_PASS_ITER, iter_flags(d, r, 1), r->coef, r->k, r, next);
    return emit(d, OCCAM_GLM_PASS_NULL, iter_flags(d, r, 0), r->coef, 1, NULL, next);
}

/* Solve the system of r->sys: iteration r->iter + 1's coefficients.  With
 * OCCAM_SOLVER_AUTO, a Cholesky system failing occam__lsq_auto_ok is not
 * solved: r->qr is set and r->sys kept for solve_next to accumulate again. */
static int solve(glm_driver *d, glm_run *r)
{
    occam_glm_part *g = r->sys->impl;
    r->iter++;
    if (g->s.acc_err) return occam__glm_acc_error(g->s.acc_err, g->s.acc_err_row, r->iter);
    if (g->s.ngood == 0)
        return occam__fail(OCCAM_E_NUMERIC, "no observations informative at iteration %lld", (long long)r->iter);
    occam_lsq_result res;
    int rc = occam__lsq_solve(g->acc, d->ctl.tol, &res);
    if (rc != OCCAM_OK) return rc;
    int solver = occam__lsq_solver(g->acc), ok = 1;
    occam_lsq_view v;
    occam__lsq_view(g->acc, &v);
    if (v.form == OCCAM_LSQ_ROWS) solver = OCCAM_SOLVER_QR; /* rows are solved by QR */
    if (d->su.solver == OCCAM_SOLVER_AUTO && solver == OCCAM_SOLVER_CHOLESKY)
        rc = occam__lsq_auto_ok(g->acc, &res, d->ctl.tol, &ok);
    if (rc != OCCAM_OK || !ok) { /* the caller accumulates this system again, for QR */
        occam__lsq_result_free(&res);
        r->iter--;
        r->qr = 1;
        return rc;
    }
    r->last_solver = solver;
    for (int64_t j = 0; j < r->k; j++)
        if (!isfinite(res.coef[j])) {
            occam__lsq_result_free(&res);
            return occam__fail(OCCAM_E_NUMERIC, "non-finite coefficients at iteration %lld", (long long)r->iter);
        }
    occam__lsq_result_free(&r->last);
    r->last = res;
    memcpy(r->coef, res.coef, (size_t)r->k * sizeof(double));
    /* the solved system's eta: that of the pass that accumulated it */
    r->nbsys = g->pd.nb == r->k ? r->k : 0; /* (the null model's stale weights are not needed) */
    if (r->nbsys > 0) memcpy(r->bsys, g->pd.b, (size_t)r->k * sizeof(double));
    occam_partial_free(r->sys);
    r->sys = NULL;
    return OCCAM_OK;
}

/* Solve r->sys, then evaluate the new coefficients (phase PH_ITER or
 * PH_NULL); or, when the auto solver turned to QR, first accumulate the
 * same system for QR (phase PH_REDO or PH_NULL_REDO: one more pass). */
static int solve_next(glm_driver *d, glm_run *r, int main, occam_partial **next)
{
    int rc = solve(d, r);
    if (rc != OCCAM_OK) return rc;
    if (r->sys != NULL) {
        const occam_glm_part *g = r->sys->impl;
        int flags = OCCAM_GLM_ACCUM | OCCAM_GLM_QR | (g->pd.flags & OCCAM_GLM_NULL_START);
        d->phase = main ? PH_REDO : PH_NULL_REDO;
        rc = emit(d, g->pd.type, flags, g->pd.b, g->pd.nb, NULL, next);
        occam_partial_free(r->sys);
        r->sys = NULL;
        return rc;
    }
    d->phase = main ? PH_ITER : PH_NULL;
    return emit_eval(d, r, main, next);
}

/* Rows and non-zero weights of a pass: the first's define the data. */
static int check_rows(glm_driver *d, const occam_partial *done)
{
    const occam_glm_part *g = done->impl;
    if (g->pd.index == 0) {
        d->n = done->nrows;
        d->nobs = g->s.nobs;
        if (d->n == 0) return occam__fail(OCCAM_E_NO_DATA, "the first pass saw no rows");
        if (d->nobs == 0) return occam__fail(OCCAM_E_NO_DATA, "all prior weights are 0");
        return OCCAM_OK;
    }
    if (done->nrows != d->n || g->s.nobs != d->nobs)
        return occam__fail(OCCAM_E_DIM_MISMATCH, "pass %lld saw %lld rows (%lld with non-zero weight), the first "
                           "pass %lld (%lld): every pass must see the same rows", (long long)g->pd.index,
                           (long long)done->nrows, (long long)g->s.nobs, (long long)d->n, (long long)d->nobs);
    return OCCAM_OK;
}

/* The empty model (no coefficients): glm.fit's EMPTY branch, one pass. */
static int empty_done(glm_driver *d, const occam_glm_sums *s)
{
    if (s->bad_eta)
        return occam__fail(OCCAM_E_DOMAIN, "invalid linear predictor values in empty model (row %lld)",
                           (long long)s->bad_eta);
    if (s->bad_mu)
        return occam__fail(OCCAM_E_DOMAIN, "invalid fitted means in empty model (row %lld)", (long long)s->bad_mu);
    glm_run *r = &d->run;
    r->dev = s->deviance;
    r->converged = r->boundary = 1;
    r->last.k = 0;
    r->last.coef = malloc(sizeof(double));
    r->last.aliased = malloc(sizeof(int));
    r->last.cov_unscaled = malloc(sizeof(double));
    if (!r->last.coef || !r->last.aliased || !r->last.cov_unscaled)
        return occam__fail(OCCAM_E_NOMEM, "out of memory in the empty GLM");
    d->summary = *s;
    d->have_summary = 1;
    d->phase = PH_DONE;
    return OCCAM_OK;
}

/* After the first pass: R's start checks, then iteration 1. */
static int start_done(glm_driver *d, occam_partial *done, occam_partial **next)
{
    occam_glm_part *g = done->impl;
    const occam_glm_sums *s = &g->s;
    d->sum_w = s->sum_w;
    d->sum_wy = s->sum_wy;
    d->sum_logw = s->sum_logw;
    d->sum_wlogy = s->sum_wlogy;
    d->non_integer = s->non_integer;
    if (g->pd.flags & OCCAM_GLM_NULLDEV) {
        d->nulldev = s->nulldev;
        d->have_nulldev = 1;
    }
    int rc = OCCAM_OK;
    if (d->mustart && d->nmustart != d->n)
        rc = occam__fail(OCCAM_E_DIM_MISMATCH, "length of 'mustart' should equal n = %lld but is %lld",
                         (long long)d->n, (long long)d->nmustart);
    else if (d->su.k == 0)
        rc = empty_done(d, s);
    else if (!s->valid)
        rc = occam__fail(OCCAM_E_DOMAIN, "cannot find valid starting values: please specify some (%s start)",
                         d->start ? "the given coefficients give an invalid" : "the family's or given mu");
    if (rc != OCCAM_OK || d->su.k == 0) {
        occam_partial_free(done);
        return rc;
    }
    glm_run *r = &d->run;
    r->devold = s->deviance;
    if (d->start) {
        memcpy(r->coefold, d->start, (size_t)r->k * sizeof(double));
        r->have_old = 1;
    }
    r->sys = done;
    return solve_next(d, r, 1, next);
}

/* The last pass of the fit (the final one, or none). */
static int main_done(glm_driver *d, occam_partial **next)
{
    int gamma = d->su.family == OCCAM_FAMILY_GAMMA;
    int refit = d->su.intercept && (d->inputs & OCCAM_STREAM_OFFSET);
    if (d->have_summary && !gamma && !refit) {
        d->phase = PH_DONE;
        return OCCAM_OK;
    }
    int flags = (d->have_summary ? 0 : OCCAM_GLM_SUMMARY) | (gamma ? OCCAM_GLM_GAMMA_AIC : 0) |
                (refit ? OCCAM_GLM_NULL_START | OCCAM_GLM_ACCUM : 0);
    d->phase = PH_FINAL;
    return emit(d, OCCAM_GLM_PASS_ITER, flags, d->run.coef, d->run.k, &d->run, next);
}

/* The null refit is over: glm()'s null deviance and its warnings. */
static void null_done(glm_driver *d)
{
    d->nulldev = d->nul.dev;
    d->have_nulldev = 1;
    d->null_conditions = d->nul.conditions | (d->nul.converged ? 0 : OCCAM_COND_NOT_CONVERGED);
    d->phase = PH_DONE;
}

/* An evaluation pass of run r is done: halve, test convergence, go on. */
static int eval_done(glm_driver *d, glm_run *r, int main, occam_partial *done, occam_partial **next)
{
    occam_glm_part *g = done->impl;
    const occam_glm_sums *s = &g->s;
    occam_glm_eval ev = {s->deviance, s->valid};
    if (g->pd.flags & OCCAM_GLM_NULLDEV) {
        d->nulldev = s->nulldev;
        d->have_nulldev = 1;
    }
    int need = 0, rc;
    if (!r->halving)
        rc = occam__glm_halver_begin(&r->hv, &d->ctl, r->k, r->coef, r->have_old ? r->coefold : NULL, r->devold,
                                     r->iter, &ev, &need);
    else
        rc = occam__glm_halver_next(&r->hv, &ev, &need);
    if (rc != OCCAM_OK) {
        occam_partial_free(done);
        return rc;
    }
    r->halving = need;
    if (need) { /* evaluate the halved step */
        occam_partial_free(done);
        return emit_eval(d, r, main, next);
    }
    r->boundary = r->hv.boundary;
    r->conditions |= r->hv.conditions;
    r->dev = ev.deviance;
    if (main) {
        d->have_summary = (g->pd.flags & OCCAM_GLM_SUMMARY) != 0;
        if (d->have_summary) d->summary = *s;
    }
    r->change = fabs(ev.deviance - r->devold) / (0.1 + fabs(ev.deviance));
    if (r->change < d->ctl.epsilon || r->iter >= d->ctl.maxit) {
        r->converged = r->change < d->ctl.epsilon;
        occam_partial_free(done);
        if (main) return main_done(d, next);
        null_done(d);
        return OCCAM_OK;
    }
    r->devold = ev.deviance;
    memcpy(r->coefold, r->coef, (size_t)r->k * sizeof(double));
    r->have_old = 1;
    if (!(g->pd.flags & OCCAM_GLM_ACCUM)) { /* the guess of a last iteration was wrong: accumulate now */
        occam_partial_free(done);
        d->phase = main ? PH_ACCUM : PH_NULL_ACCUM;
        return emit(d, main ? OCCAM_GLM_PASS_ITER : OCCAM_GLM_PASS_NULL, OCCAM_GLM_ACCUM | qr_flag(r), r->coef,
                    main ? r->k : 1, NULL, next);
    }
    r->sys = done;
    return solve_next(d, r, main, next);
}

/* The accumulate-only pass is done: solve it. */
static int accum_done(glm_driver *d, glm_run *r, int main, occam_partial *done, occam_partial **next)
{
    r->sys = done;
    return solve_next(d, r, main, next);
}

/* The final pass is done: its sums; the null refit's start. */
static int final_done(glm_driver *d, occam_partial *done, occam_partial **next)
{
    occam_glm_part *g = done->impl;
    const occam_glm_sums *s = &g->s;
    if (g->pd.flags & OCCAM_GLM_SUMMARY) {
        d->summary = *s;
        d->have_summary = 1;
    }
    if (g->pd.flags & OCCAM_GLM_GAMMA_AIC) d->gamma_aic = s->gamma_aic;
    if (!(g->pd.flags & OCCAM_GLM_NULL_START)) {
        occam_partial_free(done);
        d->phase = PH_DONE;
        return OCCAM_OK;
    }
    if (!s->null_valid) {
        occam_partial_free(done);
        return occam__fail(OCCAM_E_DOMAIN, "cannot find valid starting values for the null deviance's "
                           "intercept-only refit: please specify some");
    }
    glm_run *r = &d->nul;
    r->devold = s->null_deviance;
    r->sys = done;
    return solve_next(d, r, 0, next);
}

static int driver_step(void *vd, occam_partial *done, occam_partial **next)
{
    glm_driver *d = vd;
    *next = NULL;
    if (done == NULL) {
        if (d->phase != PH_START || d->next_index != 0) return occam__fail(OCCAM_E_INTERNAL, "GLM pass order");
        int flags = OCCAM_GLM_FIRST | (d->su.k > 0 ? OCCAM_GLM_ACCUM : OCCAM_GLM_SUMMARY) |
                    (d->su.intercept ? 0 : OCCAM_GLM_NULLDEV);
        if (d->su.k == 0) return emit(d, OCCAM_GLM_PASS_ITER, flags, NULL, 0, &d->run, next);
        return emit(d, OCCAM_GLM_PASS_START, flags, d->start, d->start ? d->su.k : 0, NULL, next);
    }
    int rc = check_rows(d, done);
    if (rc != OCCAM_OK) {
        occam_partial_free(done);
        return rc;
    }
    switch (d->phase) {
    case PH_START: rc = start_done(d, done, next); break;
    case PH_ITER: rc = eval_done(d, &d->run, 1, done, next); break;
    case PH_ACCUM: rc = accum_done(d, &d->run, 1, done, next); break;
    case PH_FINAL: rc = final_done(d, done, next); break;
    case PH_NULL: rc = eval_done(d, &d->nul, 0, done, next); break;
    case PH_NULL_ACCUM: rc = accum_done(d, &d->nul, 0, done, next); break;
    case PH_REDO: rc = accum_done(d, &d->run, 1, done, next); break;
    case PH_NULL_REDO: rc = accum_done(d, &d->nul, 0, done, next); break;
    default: occam_partial_free(done); rc = occam__fail(OCCAM_E_INTERNAL, "GLM pass after the last");
    }
    return rc;
}

/* ------------------------------------------------------------ results */

static void install(occam_model *m, const glm_driver *d, occam_glm_fit *fit, occam_coefs *coefs, int conditions)
{
    occam_glm_impl *g = m->impl;
    occam__glm_fit_free(&g->fit);
    g->fit = *fit;
    occam__coefs_free(&m->coefs);
    m->coefs = *coefs;
    m->fitted = 1;
    m->p = d->su.p;
    m->intercept = d->su.intercept;
    m->nrows = d->n;
    m->conditions = conditions;
    g->solver = d->run.last_solver;
}

static int driver_finish(void *vd, occam_model *m, void *vsink)
{
    glm_driver *d = vd;
    occam_glm_sink *sink = vsink;
    if (d->phase != PH_DONE) return occam__fail(OCCAM_E_INTERNAL, "GLM fit finished before its last pass");
    const glm_run *r = &d->run;
    occam_glm_totals t = {d->n, d->nobs, r->iter, r->converged, r->boundary,
                          r->conditions | d->null_conditions | (d->non_integer ? OCCAM_COND_NON_INTEGER : 0),
                          r->dev, d->nulldev, d->sum_w, d->sum_logw, d->sum_wlogy, &d->summary, d->gamma_aic,
                          r->coef, &r->last};
    occam_glm_fit fit;
    occam_coefs coefs;
    int conditions = 0;
    int rc = occam__glm_results(&d->su, &t, &fit, &coefs, &conditions);
    if (rc != OCCAM_OK) return rc;
    if (sink) { /* an in-memory fit's per-row results */
        fit.n = d->n;
        fit.y = sink->y;
        fit.prior = sink->prior;
        fit.eta = sink->eta;
        fit.wt = sink->wt;
        memset(sink, 0, sizeof *sink);
    }
    install(m, d, &fit, &coefs, conditions);
    int status = occam__conditions_status(conditions);
    if (status != OCCAM_OK) {
        char msg[512];
        occam__glm_conditions_text(conditions, msg, sizeof msg);
        return occam__fail(status, "%s", msg);
    }
    return OCCAM_OK;
}

const occam_fit_ops occam__glm_fit_ops = {OCCAM_MODEL_GLM, driver_begin, driver_step, driver_finish, driver_free};
