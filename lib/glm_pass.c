/*
 * glm_pass.c -- one GLM pass's contribution of some rows: the value an
 * occam_partial of a GLM fit holds, built chunk by chunk (add) and combined
 * with the contributions of other rows (merge).
 *
 * Per row, as R's glm.fit (R 4.2.2) computes it at the pass's eta:
 *   mu = linkinv(eta), the deviance sum(dev.resids), valideta && validmu;
 *   with OCCAM_GLM_ACCUM the weighted least-squares system of the next
 *   iteration, z = (eta - offset) + (y - mu) / mu.eta, w = sqrt(prior
 *   mu.eta^2 / V(mu)) over the rows with prior > 0 and mu.eta != 0, in an
 *   occam_lsq accumulator (R's errors on NA or 0 variances and NA mu.eta
 *   are kept with their row and reported only if the system is solved: a
 *   pass whose step is halved afterwards never needs it);
 *   with OCCAM_GLM_SUMMARY what summary.glm and glm() read at the final
 *   eta: the Pearson chi-squared, sum(wt r_working^2) with wt the working
 *   weights of the solved system (R's stale weights: recomputed here from
 *   that system's coefficients bsys), the fitted-0/1 checks, the family's
 *   AIC log densities;
 *   and in the first pass (OCCAM_GLM_FIRST) R's initialize checks of y and
 *   the sums of the prior weights.
 * Every sum is a running sum over the rows in order and the accumulator's
 * blocks are counted from its first row, so a pass fed in chunks of any
 * size has the bits of one call with all its rows; merged contributions
 * differ from that only by the rounding of the additions.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glm_internal.h"
#include "stream_internal.h"

enum { BLOCK_ROWS = 2048 };
/* scratch arrays of BLOCK_ROWS rows */
enum { W_YU, W_PW, W_ETA, W_MU, W_Z, W_SW, W_T1, W_T2, W_T3, NWORK };

/* ------------------------------------------------------------ pass values */

void occam__glm_passdef_free(occam_glm_passdef *pd)
{
    free(pd->b);
    free(pd->bsys);
    pd->b = pd->bsys = NULL;
}

static int copy_vec(double **dst, const double *src, int64_t n)
{
    *dst = NULL;
    if (n <= 0) return OCCAM_OK;
    *dst = malloc((size_t)n * sizeof(double));
    if (*dst == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for a GLM pass");
    memcpy(*dst, src, (size_t)n * sizeof(double));
    return OCCAM_OK;
}

int occam__glm_passdef_copy(occam_glm_passdef *dst, const occam_glm_passdef *src)
{
    *dst = *src;
    dst->b = dst->bsys = NULL;
    int rc = copy_vec(&dst->b, src->b, src->nb);
    if (rc == OCCAM_OK) rc = copy_vec(&dst->bsys, src->bsys, src->nbsys);
    if (rc != OCCAM_OK) occam__glm_passdef_free(dst);
    return rc;
}

int occam__glm_acc_error(int err, int64_t row, int64_t iter)
{
    const char *what = err == OCCAM__GLM_ERR_VAR_NA     ? "NAs in V(mu)"
                       : err == OCCAM__GLM_ERR_VAR_ZERO ? "0s in V(mu)"
                                                        : "NAs in d(mu)/d(eta)";
    return occam__fail(OCCAM_E_NUMERIC, "%s at row %lld (iteration %lld)", what, (long long)row, (long long)iter);
}

int occam__glm_acc_solver(const occam_glm_setup *su, const occam_glm_passdef *pd)
{
    if (su->solver != OCCAM_SOLVER_AUTO) return su->solver;
    return (pd->flags & OCCAM_GLM_QR) ? OCCAM_SOLVER_QR : OCCAM_SOLVER_CHOLESKY;
}

/* Columns of the pass's system: the null model's intercept, or all k. */
static int64_t system_k(const occam_glm_part *g)
{
    return g->pd.type == OCCAM_GLM_PASS_NULL || (g->pd.flags & OCCAM_GLM_NULL_START) ? 1 : g->su.k;
}

void occam__glm_part_free(void *impl)
{
    occam_glm_part *g = impl;
    if (g == NULL) return;
    occam__glm_passdef_free(&g->pd);
    occam__lsq_free(g->acc);
    free(g->work);
    free(g);
}

int occam__glm_part_impl(const occam_glm_setup *su, const occam_glm_passdef *pd, occam_glm_part **out)
{
    occam_glm_part *g = calloc(1, sizeof *g);
    if (g == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for a GLM pass");
    g->su = *su;
    int rc = occam__glm_passdef_copy(&g->pd, pd);
    if (rc == OCCAM_OK && (pd->flags & OCCAM_GLM_ACCUM)) rc = occam__lsq_new(system_k(g), occam__glm_acc_solver(su, pd), &g->acc);
    /* blocks of the accumulator's size: each block's rows of X are still in
     * cache when they are weighted into it */
    g->block = g->acc ? occam__lsq_block_rows(g->acc) : BLOCK_ROWS;
    g->work = rc == OCCAM_OK ? malloc((size_t)(NWORK * g->block) * sizeof(double)) : NULL;
    if (rc == OCCAM_OK && g->work == NULL) rc = occam__fail(OCCAM_E_NOMEM, "out of memory for a GLM pass");
    g->s.valid = 1;
    g->s.null_valid = 1;
    if (rc != OCCAM_OK) {
        occam__glm_part_free(g);
        return rc;
    }
    *out = g;
    return OCCAM_OK;
}

int occam__glm_part_new(const occam_glm_setup *su, const occam_glm_passdef *pd, int inputs, occam_partial **out)
{
    occam_glm_part *g = NULL;
    int rc = occam__glm_part_impl(su, pd, &g);
    if (rc != OCCAM_OK) return rc;
    return occam__partial_new(&occam__glm_partial_ops, su->p, inputs, g, out);
}

/* ------------------------------------------------------------ one block */

/* What one block of rows [r, r + nb) of a chunk works on. */
typedef struct block {
    occam_glm_part *g;
    const occam_rowset *rows;
    occam_glm_sink *sink;
    int64_t r, nb;
    double *yu, *pw, *eta, *mu, *z, *sw, *t1, *t2, *t3;
} block;

/* Row i of the block as numbered among the partial's rows (0-based). */
static int64_t row_of(const block *bk, int64_t i) { return bk->rows->row0 + bk->r + i; }

/* eta = linkfun(mustart) of the block's rows into out: the fit's starting
 * means, or the family's from y and the prior weights. */
static int start_eta(const block *bk, double *out)
{
    const occam_glm_part *g = bk->g;
    for (int64_t i = 0; i < bk->nb; i++) {
        double m0;
        if (g->pd.flags & OCCAM_GLM_MUSTART) {
            int64_t row = row_of(bk, i);
            if (g->mustart == NULL || row >= g->nmustart)
                return occam__fail(OCCAM_E_DIM_MISMATCH, "length of 'mustart' is %lld, row %lld needs more",
                                   (long long)g->nmustart, (long long)row + 1);
            m0 = g->mustart[row];
        } else {
            m0 = occam__glm_mustart(g->su.family, bk->yu[i], bk->pw[i]);
        }
        out[i] = occam__glm_linkfun(g->su.link, m0);
    }
    return OCCAM_OK;
}

/* eta of the pass at coefficients b (nb entries) into out. */
static int linear_eta(const block *bk, const double *b, double *out)
{
    const occam_glm_part *g = bk->g;
    const occam_rowset *rw = bk->rows;
    if (g->pd.type == OCCAM_GLM_PASS_NULL) {
        for (int64_t i = 0; i < bk->nb; i++) out[i] = b[0] + (rw->offset ? rw->offset[bk->r + i] : 0.0);
        return OCCAM_OK;
    }
    occam__linear_predictor_exact(&rw->X, g->su.intercept, b, rw->offset, bk->r, bk->nb, out);
    return OCCAM_OK;
}

static int pass_eta(const block *bk)
{
    const occam_glm_part *g = bk->g;
    if (g->pd.type == OCCAM_GLM_PASS_START && g->pd.nb == 0) return start_eta(bk, bk->eta);
    return linear_eta(bk, g->pd.b, bk->eta);
}

/* The first invalid row of the block, for messages. */
static void note_invalid(const block *bk, const double *eta, const double *mu, occam_glm_sums *s)
{
    const occam_glm_setup *su = &bk->g->su;
    for (int64_t i = 0; i < bk->nb; i++) {
        if (s->bad_eta == 0 && !occam__glm_valideta(su->link, eta[i])) s->bad_eta = row_of(bk, i) + 1;
        if (s->bad_mu == 0 && !occam__glm_validmu(su->family, mu[i])) s->bad_mu = row_of(bk, i) + 1;
    }
}

/* R's initialize checks, the row counts' and prior weights' sums. */
static int first_sums(const block *bk, occam_glm_sums *s)
{
    const occam_glm_setup *su = &bk->g->su;
    const occam_rowset *rw = bk->rows;
    int rc = occam__glm_check_y_rows(su->family, su->link, rw->y + bk->r, rw->w ? rw->w + bk->r : NULL, bk->nb,
                                     (bk->g->pd.flags & OCCAM_GLM_HAS_START) != 0, bk->rows->shown0 + bk->r,
                                     &s->non_integer);
    if (rc != OCCAM_OK) return rc;
    for (int64_t i = 0; i < bk->nb; i++) {
        double pw = bk->pw[i], yu = bk->yu[i];
        s->sum_wy += pw * yu;
        s->sum_w += pw;
        if (su->family == OCCAM_FAMILY_GAUSSIAN) s->sum_logw += log(pw);
        if (su->family == OCCAM_FAMILY_INVERSE_GAUSSIAN) s->sum_wlogy += log(yu) * pw;
    }
    return OCCAM_OK;
}

static void null_deviance(const block *bk, occam_glm_sums *s)
{
    const occam_glm_part *g = bk->g;
    const occam_rowset *rw = bk->rows;
    for (int64_t i = 0; i < bk->nb; i++) {
        double m0 = g->su.intercept ? g->pd.wtdmu
                                    : occam__glm_linkinv(g->su.link, rw->offset ? rw->offset[bk->r + i] : 0.0);
        s->nulldev += occam__glm_dev_resid(g->su.family, bk->yu[i], m0, bk->pw[i]);
    }
}

/* The working response z and square-root weights sw at eta, mu (R's
 * glm.fit loop head); the first failure is kept in s and ends the system. */
static void working(const block *bk, const double *eta, const double *mu, occam_glm_sums *s)
{
    const occam_glm_setup *su = &bk->g->su;
    const occam_rowset *rw = bk->rows;
    double *var = bk->z, *me = bk->sw;
    /* variance(mu) into z and mu.eta(eta) into sw first (each row reads its
     * two values before writing z and sw), except where they equal mu */
    if (occam__glm_is_poisson(su->family))
        var = (double *)mu; /* V(mu) = mu; only read */
    else
        occam__glm_variance_n(su->family, bk->nb, mu, bk->z);
    /* log link: R's mu.eta and linkinv are both pmax(exp(eta), eps), and
     * mu = linkinv(eta) here, so reuse it (bit-identical, one exp less) */
    if (su->link == OCCAM_LINK_LOG)
        me = (double *)mu;
    else
        occam__glm_mu_eta_n(su->link, bk->nb, eta, bk->sw);
    int64_t good = 0;
    for (int64_t i = 0; i < bk->nb; i++) {
        double pw = bk->pw[i], v = var[i], m = me[i];
        bk->z[i] = 0.0;
        bk->sw[i] = 0.0;
        if (!(pw > 0)) continue;
        int err = isnan(v) ? OCCAM__GLM_ERR_VAR_NA
                  : v == 0.0 ? OCCAM__GLM_ERR_VAR_ZERO
                  : isnan(m) ? OCCAM__GLM_ERR_MU_ETA_NA
                             : 0;
        if (err) {
            s->acc_err = err;
            s->acc_err_row = row_of(bk, i) + 1;
            return;
        }
        if (m == 0.0) continue;
        double off = rw->offset ? rw->offset[bk->r + i] : 0.0;
        bk->z[i] = (eta[i] - off) + (bk->yu[i] - mu[i]) / m;
        bk->sw[i] = sqrt((pw * (m * m)) / v);
        good++;
    }
    s->ngood += good;
}

/* Add the block's system (at eta, mu) to the accumulator. */
static int accumulate(const block *bk, const double *eta, const double *mu, occam_glm_sums *s)
{
    occam_glm_part *g = bk->g;
    if (s->acc_err) return OCCAM_OK;
    working(bk, eta, mu, s);
    if (s->acc_err) return OCCAM_OK;
    occam_matrix X = bk->rows->X;
    int intercept = g->su.intercept;
    if (g->pd.type == OCCAM_GLM_PASS_NULL || (g->pd.flags & OCCAM_GLM_NULL_START)) {
        X.p = 0; /* the null model: the intercept alone */
        intercept = 1;
    }
    return occam__lsq_add_rows(g->acc, &X, intercept, bk->r, bk->nb, bk->sw, bk->z);
}

/* R's working weights wt = w^2 of the solved system, at its eta (bsys, or
 * the starting means; the empty model's at eta itself) into t1. */
static int stale_weights(const block *bk)
{
    const occam_glm_part *g = bk->g;
    double *etas = bk->t1, *mus = bk->t2, *mes = bk->t3;
    int rc = OCCAM_OK;
    if (g->su.k == 0)
        memcpy(etas, bk->eta, (size_t)bk->nb * sizeof(double));
    else if (g->pd.nbsys == 0)
        rc = start_eta(bk, etas);
    else
        rc = linear_eta(bk, g->pd.bsys, etas);
    if (rc != OCCAM_OK) return rc;
    occam__glm_linkinv_n(g->su.link, bk->nb, etas, mus);
    occam__glm_mu_eta_n(g->su.link, bk->nb, etas, mes);
    occam__glm_variance_n(g->su.family, bk->nb, mus, mus);
    for (int64_t i = 0; i < bk->nb; i++) {
        double pw = bk->pw[i], m = mes[i], sw = pw > 0 && m != 0.0 ? sqrt((pw * (m * m)) / mus[i]) : 0.0;
        etas[i] = sw * sw;
    }
    return OCCAM_OK;
}

/* summary.glm's and glm()'s sums at the block's eta, mu. */
static int summary_sums(const block *bk, occam_glm_sums *s)
{
    const occam_glm_setup *su = &bk->g->su;
    int est = !occam__glm_dispersion_fixed(su->family);
    int rc = est || bk->sink ? stale_weights(bk) : OCCAM_OK;
    if (rc != OCCAM_OK) return rc;
    const double *wt = bk->t1;
    double eps = 10 * DBL_EPSILON;
    for (int64_t i = 0; i < bk->nb; i++) {
        double mu = bk->mu[i], res = bk->yu[i] - mu;
        s->pearson += (res * res) * bk->pw[i] / occam__glm_variance(su->family, mu); /* squared Pearson residual */
        if (est) {
            if (wt[i] > 0) { /* the working residuals are only needed for an estimated dispersion */
                double rw = res / occam__glm_mu_eta(su->link, bk->eta[i]);
                s->swr2 += wt[i] * (rw * rw);
            }
            if (wt[i] == 0.0) s->zero_wt = 1;
        }
        if (su->family == OCCAM_FAMILY_BINOMIAL && (mu > 1 - eps || mu < eps)) s->mu01 = 1;
        if (su->family == OCCAM_FAMILY_POISSON && mu < eps) s->mu0 = 1;
    }
    s->aic = occam__glm_aic_rows(su->family, bk->nb, bk->yu, bk->mu, bk->pw, s->aic);
    if (bk->sink) {
        int64_t g0 = row_of(bk, 0);
        memcpy(bk->sink->eta + g0, bk->eta, (size_t)bk->nb * sizeof(double));
        memcpy(bk->sink->wt + g0, wt, (size_t)bk->nb * sizeof(double));
    }
    return OCCAM_OK;
}

/* The null model's start (glm()'s refit with mustart = fitted values):
 * eta0 = linkfun(mu), its deviance, validity and (ACCUM) system. */
static int null_start(const block *bk, occam_glm_sums *s)
{
    occam_glm_part *g = bk->g;
    double *eta0 = bk->t1, *mu0 = bk->t2;
    for (int64_t i = 0; i < bk->nb; i++) eta0[i] = occam__glm_linkfun(g->su.link, bk->mu[i]);
    occam__glm_linkinv_n(g->su.link, bk->nb, eta0, mu0);
    s->null_deviance = occam__glm_dev_resid_add(g->su.family, bk->nb, bk->yu, mu0, bk->pw, s->null_deviance);
    if (!occam__glm_valid_n(g->su.family, g->su.link, bk->nb, eta0, mu0)) s->null_valid = 0;
    return g->acc ? accumulate(bk, eta0, mu0, s) : OCCAM_OK;
}

static int add_block(block *bk)
{
    occam_glm_part *g = bk->g;
    occam_glm_sums *s = &g->s;
    const occam_rowset *rw = bk->rows;
    const occam_glm_setup *su = &g->su;
    int flags = g->pd.flags;
    for (int64_t i = 0; i < bk->nb; i++) {
        double pw = rw->w ? rw->w[bk->r + i] : 1.0;
        bk->pw[i] = pw;
        bk->yu[i] = occam__glm_y_used(su->family, rw->y[bk->r + i], pw);
        s->nobs += pw != 0.0;
    }
    int rc = (flags & OCCAM_GLM_FIRST) ? first_sums(bk, s) : OCCAM_OK;
    if (rc == OCCAM_OK) rc = pass_eta(bk);
    if (rc != OCCAM_OK) return rc;
    occam__glm_linkinv_n(su->link, bk->nb, bk->eta, bk->mu);
    s->deviance = occam__glm_dev_resid_add(su->family, bk->nb, bk->yu, bk->mu, bk->pw, s->deviance);
    if (!occam__glm_valid_n(su->family, su->link, bk->nb, bk->eta, bk->mu)) {
        s->valid = 0;
        note_invalid(bk, bk->eta, bk->mu, s);
    }
    if (flags & OCCAM_GLM_NULLDEV) null_deviance(bk, s);
    if (flags & OCCAM_GLM_GAMMA_AIC)
        s->gamma_aic = occam__glm_aic_gamma_rows(bk->nb, bk->yu, bk->mu, bk->pw, g->pd.disp, s->gamma_aic);
    if (flags & OCCAM_GLM_SUMMARY) rc = summary_sums(bk, s);
    if (rc == OCCAM_OK && (flags & OCCAM_GLM_NULL_START)) return null_start(bk, s);
    if (rc == OCCAM_OK && g->acc) rc = accumulate(bk, bk->eta, bk->mu, s);
    return rc;
}

static int glm_add(occam_partial *pt, const occam_rowset *rows)
{
    occam_glm_part *g = pt->impl;
    block bk;
    bk.g = g;
    bk.rows = rows;
    bk.sink = pt->sink;
    double **arr[NWORK] = {&bk.yu, &bk.pw, &bk.eta, &bk.mu, &bk.z, &bk.sw, &bk.t1, &bk.t2, &bk.t3};
    for (int a = 0; a < NWORK; a++) *arr[a] = g->work + a * g->block;
    int64_t n = rows->X.n;
    for (int64_t r = 0; r < n; r += g->block) {
        bk.r = r;
        bk.nb = n - r < g->block ? n - r : g->block;
        int rc = add_block(&bk);
        if (rc != OCCAM_OK) return rc;
    }
    return OCCAM_OK;
}

/* ------------------------------------------------------------ merging */

/* dst's first flagged row, else src's after dst's rows. */
static int64_t first_row(int64_t d, int64_t s, int64_t drows) { return d ? d : s ? drows + s : 0; }

static int glm_merge(occam_partial *dst, const occam_partial *src)
{
    occam_glm_part *d = dst->impl;
    const occam_glm_part *s = src->impl;
    occam_glm_sums *a = &d->s;
    const occam_glm_sums *b = &s->s;
    int64_t rows = dst->nrows;
    a->nobs += b->nobs;
    a->deviance += b->deviance;
    a->valid = a->valid && b->valid;
    a->bad_eta = first_row(a->bad_eta, b->bad_eta, rows);
    a->bad_mu = first_row(a->bad_mu, b->bad_mu, rows);
    a->sum_w += b->sum_w;
    a->sum_wy += b->sum_wy;
    a->sum_logw += b->sum_logw;
    a->sum_wlogy += b->sum_wlogy;
    a->non_integer |= b->non_integer;
    a->nulldev += b->nulldev;
    a->pearson += b->pearson;
    a->swr2 += b->swr2;
    a->aic += b->aic;
    a->zero_wt |= b->zero_wt;
    a->mu01 |= b->mu01;
    a->mu0 |= b->mu0;
    a->gamma_aic += b->gamma_aic;
    a->null_deviance += b->null_deviance;
    a->null_valid = a->null_valid && b->null_valid;
    a->ngood += b->ngood;
    if (!a->acc_err && b->acc_err) {
        a->acc_err = b->acc_err;
        a->acc_err_row = rows + b->acc_err_row;
    }
    if (d->acc == NULL || a->acc_err) return OCCAM_OK;
    occam_lsq *copy = NULL;
    int rc = occam__lsq_clone(s->acc, &copy);
    if (rc == OCCAM_OK) rc = occam__lsq_merge(d->acc, copy);
    occam__lsq_free(copy);
    return rc;
}

static int same_bits(const double *a, const double *b, int64_t n)
{
    return n <= 0 || memcmp(a, b, (size_t)n * sizeof(double)) == 0;
}

static int glm_same_pass(const occam_partial *pa, const occam_partial *pb, char *why, size_t cap)
{
    const occam_glm_part *a = pa->impl, *b = pb->impl;
    const occam_glm_setup *x = &a->su, *y = &b->su;
    if (x->family != y->family || x->link != y->link || x->intercept != y->intercept || x->p != y->p ||
        x->k != y->k || x->solver != y->solver) {
        snprintf(why, cap, "the partials belong to different GLM fits (family, link, intercept, columns or solver)");
        return 0;
    }
    const occam_glm_passdef *p = &a->pd, *q = &b->pd;
    if (p->index != q->index) {
        snprintf(why, cap, "the partials belong to different passes (%lld and %lld)", (long long)p->index,
                 (long long)q->index);
        return 0;
    }
    if (p->type != q->type || p->flags != q->flags || p->nb != q->nb || p->nbsys != q->nbsys ||
        !same_bits(p->b, q->b, p->nb) || !same_bits(p->bsys, q->bsys, p->nbsys) ||
        !same_bits(&p->wtdmu, &q->wtdmu, 1) || !same_bits(&p->disp, &q->disp, 1)) {
        snprintf(why, cap, "the partials belong to different fits: pass %lld evaluates other coefficients",
                 (long long)p->index);
        return 0;
    }
    return 1;
}

/* The passes that read the fit's mustart by row number cannot be split. */
static int reads_mustart(const occam_glm_part *g)
{
    if (!(g->pd.flags & OCCAM_GLM_MUSTART)) return 0;
    return (g->pd.type == OCCAM_GLM_PASS_START && g->pd.nb == 0) ||
           ((g->pd.flags & OCCAM_GLM_SUMMARY) && g->pd.nbsys == 0 && g->su.k > 0);
}

static int glm_can_fork(const occam_partial *pt)
{
    if (reads_mustart(pt->impl))
        return occam__fail(OCCAM_E_INVALID_ARG, "pass %lld reads the model's mustart by row number: it cannot be "
                           "split into partials (use start coefficients, or feed it with occam_stream_update)",
                           (long long)((const occam_glm_part *)pt->impl)->pd.index);
    return OCCAM_OK;
}

static int glm_fork(const occam_partial *pt, void **impl)
{
    const occam_glm_part *g = pt->impl;
    occam_glm_part *f = NULL;
    int rc = occam__glm_part_impl(&g->su, &g->pd, &f);
    if (rc != OCCAM_OK) return rc;
    if (reads_mustart(g)) { /* an in-memory fit's row ranges (public forks are refused) */
        f->mustart = g->mustart;
        f->nmustart = g->nmustart;
    }
    *impl = f;
    return OCCAM_OK;
}

const occam_partial_ops occam__glm_partial_ops = {
    OCCAM__PARTIAL_GLM, "glm",    glm_add, glm_merge, glm_same_pass, glm_can_fork, glm_fork, occam__glm_part_write,
    occam__glm_part_read, occam__glm_part_free, NULL,
};
