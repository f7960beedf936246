/*
 * linear_stream.c -- the linear pass driver: R's lm.fit / lm.wfit and
 * summary.lm (R 4.2.2) as passes over the data (linear_pass.c computes a
 * pass's contribution), for a stream (stream.c) and for occam_model_fit
 * (stream_memory.c) alike:
 *
 *   pass 0   the QR (or X'WX) of [sqrt(w) X | sqrt(w) (y - offset)] and the
 *            weighted means; then the pivoted solve with R's aliasing;
 *   pass 1   when eps cond(column-scaled R) <= 1e-3 (lsq_refine.c): the
 *            gradient X'W r with accurate residuals, for one step of
 *            iterative refinement b += (R'R)^-1 X'W r; for a small system
 *            (k <= 16 coefficients, n k^2 <= 2^22) also X'WX, for one
 *            Newton step of the covariance (R'R)^-1 (lsq_refine_cov.c);
 *   last     summary.lm's sums of squares from accurate residuals of the
 *            final b.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linear_internal.h"
#include "stream_internal.h"

/* Default aliasing tolerance.  R's lm uses 1e-7, which drops the x^10 column
 * of NIST's Filip benchmark although it is estimable; see docs/linear.md. */
#define LINEAR_RANK_TOL 1e-10

enum { PH_QR, PH_REFINE, PH_RESID, PH_DONE };

typedef struct lin_driver {
    occam_linear_setup su;
    double tol;
    int inputs;
    int phase;
    int cov;         /* the refinement pass sums X'WX (the size rule) */
    int64_t next_index, n, nobs;
    double sum_w, sum_wy, sum_wz, sum_logw;
    occam_lsq_result res;
    occam_linear_sums sums; /* the last pass's, with the first pass's sums */
} lin_driver;

static void driver_free(void *vd)
{
    lin_driver *d = vd;
    if (d == NULL) return;
    occam__lsq_result_free(&d->res);
    free(d);
}

static int driver_begin(occam_model *m, const occam_opts *opts, int64_t p, int inputs, int64_t n_memory, void **out)
{
    (void)m;
    int intercept = (int)occam__opt_int(opts, OCCAM_OPT_INTERCEPT, 1);
    int solver = (int)occam__opt_int(opts, OCCAM_OPT_SOLVER, OCCAM_SOLVER_AUTO);
    double tol = occam__opt_double(opts, OCCAM_OPT_RANK_TOL, LINEAR_RANK_TOL);
    if (intercept != 0 && intercept != 1)
        return occam__fail(OCCAM_E_INVALID_ARG, "intercept option must be 0 or 1, got %d", intercept);
    if (solver != OCCAM_SOLVER_QR && solver != OCCAM_SOLVER_CHOLESKY && solver != OCCAM_SOLVER_AUTO)
        return occam__fail(OCCAM_E_UNKNOWN_ENUM, "unknown solver %d", solver);
    /* auto is QR for lm: one solve, where Cholesky would lose digits on
     * ill-conditioned data (NIST Filip, Wampler 4-5; docs/linear.md) */
    if (solver == OCCAM_SOLVER_AUTO) solver = OCCAM_SOLVER_QR;
    if (p + intercept == 0) return occam__fail(OCCAM_E_INVALID_ARG, "occam_model_fit: no columns and no intercept");
    int rc = occam__check_blas_int(p + intercept + 1, "number of coefficients");
    if (rc == OCCAM_OK) rc = occam__check_blas_int(n_memory, "number of rows");
    if (rc != OCCAM_OK) return rc;
    lin_driver *d = calloc(1, sizeof *d);
    if (d == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for a linear fit");
    d->su = (occam_linear_setup){intercept, p, p + intercept, solver};
    d->tol = tol;
    d->inputs = inputs;
    d->phase = PH_QR;
    *out = d;
    return OCCAM_OK;
}

static int emit(lin_driver *d, int type, occam_partial **next)
{
    occam_linear_passdef pd = {d->next_index, type, type == OCCAM_LINEAR_PASS_QR ? 0 : d->su.k,
                               d->res.coef, 0.0, 0.0, type == OCCAM_LINEAR_PASS_REFINE && d->cov};
    if (type == OCCAM_LINEAR_PASS_RESID && d->su.intercept) {
        pd.cf = d->sum_wy / d->sum_w;
        pd.cz = d->sum_wz / d->sum_w;
    }
    int rc = occam__linear_part_new(&d->su, &pd, d->inputs, next);
    if (rc == OCCAM_OK) d->next_index++;
    return rc;
}

static int check_coefs(const occam_lsq_result *res)
{
    for (int64_t j = 0; j < res->k; j++)
        if (!isfinite(res->coef[j]))
            return occam__fail(OCCAM_E_NUMERIC, "the least-squares coefficient %lld exceeds the double range "
                               "(rescale y or the columns of X)", (long long)j + 1);
    return OCCAM_OK;
}

/* Rows and positive weights of a pass: the first's define the data. */
static int check_rows(lin_driver *d, const occam_partial *done)
{
    const occam_linear_part *g = done->impl;
    if (g->pd.index == 0) {
        d->n = done->nrows;
        d->nobs = g->s.nobs;
        if (d->n == 0) return occam__fail(OCCAM_E_NO_DATA, "the first pass saw no rows");
        if (d->nobs == 0) return occam__fail(OCCAM_E_NO_DATA, "all weights are 0");
        return OCCAM_OK;
    }
    if (done->nrows != d->n || g->s.nobs != d->nobs)
        return occam__fail(OCCAM_E_DIM_MISMATCH, "pass %lld saw %lld rows (%lld with positive weight), the first "
                           "pass %lld (%lld): every pass must see the same rows", (long long)g->pd.index,
                           (long long)done->nrows, (long long)g->s.nobs, (long long)d->n, (long long)d->nobs);
    return OCCAM_OK;
}

static int qr_done(lin_driver *d, occam_linear_part *g, occam_partial **next)
{
    d->sum_w = g->s.sum_w;
    d->sum_wy = g->s.sum_wy;
    d->sum_wz = g->s.sum_wz;
    d->sum_logw = g->s.sum_logw;
    int rc = occam__lsq_solve(g->acc, d->tol, &d->res);
    if (rc != OCCAM_OK) return rc;
    int applies = 0;
    rc = occam__lsq_refine_applies(&d->res, &applies);
    if (rc != OCCAM_OK) return rc;
    if (!applies && (rc = check_coefs(&d->res)) != OCCAM_OK) return rc;
    /* X'WX costs n k (k + 1) / 2 Dot2 terms: only where that is small
     * beside the fit's fixed costs (docs/linear.md, Accuracy).  Decided
     * here, in the pass definition: every chunk and rank does the same */
    int64_t k = d->su.k;
    d->cov = k <= OCCAM__LINEAR_COV_MAX_K && d->n <= OCCAM__LINEAR_COV_MAX_TERMS / (k * k);
    d->phase = applies ? PH_REFINE : PH_RESID;
    return emit(d, applies ? OCCAM_LINEAR_PASS_REFINE : OCCAM_LINEAR_PASS_RESID, next);
}

/* The covariance step from the pass's X'WX. */
static int refine_cov(lin_driver *d, const occam_linear_part *g)
{
    double *A = malloc(2 * (size_t)g->gram.k * sizeof(double));
    if (A == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory in the covariance refinement");
    occam__lsq_grad_value2(&g->gram, A, A + g->gram.k);
    int refined = 0, rc = occam__lsq_refine_cov(&d->res, A, A + g->gram.k, &refined);
    free(A);
    return rc;
}

static int refine_done(lin_driver *d, occam_linear_part *g, occam_partial **next)
{
    int64_t k = d->su.k;
    double *v = malloc(2 * (size_t)k * sizeof(double));
    if (v == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory in the least-squares refinement");
    occam__lsq_grad_value(&g->grad, v);
    int rc = occam__lsq_refine_solve(&d->res, v, v + k);
    free(v);
    if (rc == OCCAM_OK && g->pd.cov) rc = refine_cov(d, g);
    if (rc == OCCAM_OK) rc = check_coefs(&d->res);
    if (rc != OCCAM_OK) return rc;
    d->phase = PH_RESID;
    return emit(d, OCCAM_LINEAR_PASS_RESID, next);
}

static int driver_step(void *vd, occam_partial *done, occam_partial **next)
{
    lin_driver *d = vd;
    *next = NULL;
    if (done == NULL) return emit(d, OCCAM_LINEAR_PASS_QR, next);
    occam_linear_part *g = done->impl;
    int rc = check_rows(d, done);
    if (rc == OCCAM_OK) {
        switch (d->phase) {
        case PH_QR: rc = qr_done(d, g, next); break;
        case PH_REFINE: rc = refine_done(d, g, next); break;
        case PH_RESID:
            d->sums = g->s;
            d->phase = PH_DONE;
            break;
        default: rc = occam__fail(OCCAM_E_INTERNAL, "linear pass after the last");
        }
    }
    occam_partial_free(done);
    return rc;
}

/* The warning status of a fit with its condition bits, with a message
 * naming every condition (the status is the smallest code among them). */
static int fit_status(int cond, int64_t k, int64_t rank)
{
    char msg[400];
    size_t len = 0;
    msg[0] = '\0';
    if (cond & OCCAM_COND_RANK_DEFICIENT)
        len += (size_t)snprintf(msg + len, sizeof msg - len, "%lld of %lld coefficients aliased (not estimable)",
                                (long long)(k - rank), (long long)k);
    if ((cond & OCCAM_COND_PERFECT_FIT) && len < sizeof msg)
        len += (size_t)snprintf(msg + len, sizeof msg - len, "%sessentially perfect fit: summary may be unreliable",
                                len ? "; " : "");
    if ((cond & OCCAM_COND_OVERFLOW) && len < sizeof msg)
        snprintf(msg + len, sizeof msg - len,
                 "%sthe residual sum of squares, sigma^2 or the covariance are Inf; the estimates, standard errors, "
                 "t values, sigma and R^2 are finite, computed scaled",
                 len ? "; " : "");
    int status = occam__conditions_status(cond);
    return status == OCCAM_OK ? OCCAM_OK : occam__fail(status, "%s", msg);
}

static int driver_finish(void *vd, occam_model *m, void *vsink)
{
    lin_driver *d = vd;
    occam_linear_sink *sink = vsink;
    if (d->phase != PH_DONE) return occam__fail(OCCAM_E_INTERNAL, "linear fit finished before its last pass");
    linear_impl *li = calloc(1, sizeof *li);
    if (li == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for a linear fit");
    occam_linear_sums t = d->sums;
    t.sum_w = d->sum_w;
    t.sum_wy = d->sum_wy;
    t.sum_wz = d->sum_wz;
    t.sum_logw = d->sum_logw;
    int cond = occam__linear_summary(&t, d->su.intercept, d->res.rank, li->stats);
    occam_coefs c = {0};
    int rc = occam__linear_coef_table(&d->res, li->stats[S_SIGMA], li->stats[S_DF_RESIDUAL], &c, &cond);
    if (rc != OCCAM_OK) {
        free(li);
        return rc;
    }
    if (sink) { /* an in-memory fit's per-row results */
        li->y = sink->y;
        li->w = sink->w;
        li->resid = sink->resid;
        memset(sink, 0, sizeof *sink);
    }
    li->solver = d->su.solver;
    m->vt->free_impl(m->impl);
    m->impl = li;
    occam__coefs_free(&m->coefs);
    m->coefs = c;
    m->p = d->su.p;
    m->intercept = d->su.intercept;
    m->nrows = d->n;
    m->fitted = 1;
    if (d->res.rank < d->su.k) cond |= OCCAM_COND_RANK_DEFICIENT;
    m->conditions = cond;
    return fit_status(cond, d->su.k, d->res.rank);
}

const occam_fit_ops occam__linear_fit_ops = {OCCAM_MODEL_LINEAR, driver_begin, driver_step, driver_finish,
                                             driver_free};
