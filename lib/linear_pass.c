/*
 * linear_pass.c -- one pass of a least-squares fit (R's lm.fit / lm.wfit
 * and summary.lm) over some rows: the value a linear occam_partial holds,
 * and its serialized fields.
 *
 *   QR      the weighted system [sqrt(w) X | sqrt(w) (y - offset)] in an
 *           occam_lsq accumulator (blocks counted from the first row: the
 *           bits do not depend on the chunking), and the sums of w, w y,
 *           w (y - offset), log w over the rows with w > 0;
 *   REFINE  the gradient X'W r of the residuals r = y - offset - X b, each
 *           r and the sum in twice the working precision (lsq_refine.c);
 *           for a small system (pd.cov) also X'WX, column j summed as the
 *           gradient X'W x_j, for the covariance step (lsq_refine_cov.c);
 *   RESID   at the final b: the accurate residuals r and fitted values
 *           f = y - r, the scaled sums of squares w r^2, w (f - cf)^2 and
 *           w (y - offset - cz)^2 with the centers of the first pass's
 *           means, sum w (f - cf), and mean and M2 of f over all rows.
 *
 * Its serialized fields: linear_pass_io.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eft.h"
#include "linear_internal.h"
#include "stream_internal.h"

enum { BLOCK_ROWS = 512 };
enum { W_SW, W_Z, W_U, W_ULO, W_TH, W_TL, W_COL, W_ONE, NWORK };

void occam__linear_part_free(void *impl)
{
    occam_linear_part *g = impl;
    if (g == NULL) return;
    free(g->pd.b);
    occam__lsq_free(g->acc);
    occam__lsq_grad_free(&g->grad);
    occam__lsq_grad_free(&g->gram);
    free(g->work);
    free(g);
}

int occam__linear_part_impl(const occam_linear_setup *su, const occam_linear_passdef *pd, occam_linear_part **out)
{
    occam_linear_part *g = calloc(1, sizeof *g);
    if (g == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for a linear pass");
    g->su = *su;
    g->pd = *pd;
    g->pd.b = NULL;
    g->block = BLOCK_ROWS;
    occam__ssq_init(&g->s.rss);
    occam__ssq_init(&g->s.mss);
    occam__ssq_init(&g->s.nul);
    int rc = OCCAM_OK;
    g->work = malloc((size_t)(NWORK * BLOCK_ROWS) * sizeof(double));
    if (pd->nb > 0) g->pd.b = malloc((size_t)pd->nb * sizeof(double));
    if (g->work == NULL || (pd->nb > 0 && g->pd.b == NULL))
        rc = occam__fail(OCCAM_E_NOMEM, "out of memory for a linear pass");
    else if (pd->nb > 0)
        memcpy(g->pd.b, pd->b, (size_t)pd->nb * sizeof(double));
    if (rc == OCCAM_OK && pd->type == OCCAM_LINEAR_PASS_QR) rc = occam__lsq_new(su->k, su->solver, &g->acc);
    if (rc == OCCAM_OK && pd->type == OCCAM_LINEAR_PASS_REFINE) rc = occam__lsq_grad_init(&g->grad, su->k);
    if (rc == OCCAM_OK && pd->type == OCCAM_LINEAR_PASS_REFINE && pd->cov)
        rc = occam__lsq_grad_init(&g->gram, su->k * (su->k + 1) / 2);
    if (rc == OCCAM_OK && pd->cov) /* gram_add's intercept column */
        for (int64_t i = 0; i < g->block; i++) g->work[W_ONE * g->block + i] = 1.0;
    if (rc != OCCAM_OK) {
        occam__linear_part_free(g);
        return rc;
    }
    *out = g;
    return OCCAM_OK;
}

int occam__linear_part_new(const occam_linear_setup *su, const occam_linear_passdef *pd, int inputs,
                           occam_partial **out)
{
    occam_linear_part *g = NULL;
    int rc = occam__linear_part_impl(su, pd, &g);
    if (rc != OCCAM_OK) return rc;
    return occam__partial_new(&occam__linear_partial_ops, su->p, inputs, g, out);
}

/* ------------------------------------------------------------ one block */

/* Rows [r, r + nb) of a chunk: the view of X, y, w, offset from row r. */
typedef struct block {
    occam_matrix X;
    const double *y, *w, *offset;
    int64_t row; /* number of the block's first row in the pass */
    double *sw, *z, *u, *ulo, *th, *tl, *col, *one;
} block;

static void qr_sums(occam_linear_sums *s, const block *bk)
{
    for (int64_t i = 0; i < bk->X.n; i++) {
        double w = bk->w ? bk->w[i] : 1.0;
        if (!(w > 0)) continue;
        s->sum_w += w;
        s->sum_wy += w * bk->y[i];
        s->sum_wz += w * (bk->y[i] - (bk->offset ? bk->offset[i] : 0.0));
        s->sum_logw += log(w);
    }
}

static void resid_sums(occam_linear_part *g, const block *bk, double *sink_resid)
{
    occam_linear_sums *s = &g->s;
    double cf = g->pd.cf, cz = g->pd.cz;
    for (int64_t i = 0; i < bk->X.n; i++) {
        double w = bk->w ? bk->w[i] : 1.0, r = bk->u[i], f = bk->y[i] - r;
        double delta = f - s->fmean; /* Welford, all rows */
        s->fn++;
        s->fmean += delta / (double)s->fn;
        s->fm2 += delta * (f - s->fmean);
        if (!(w > 0)) continue;
        double sw = sqrt(w), q;
        occam__ssq_add(&s->rss, sw * r);
        occam__ssq_add(&s->mss, sw * (f - cf));
        occam__ssq_add(&s->nul, sw * (bk->z[i] - cz));
        occam__two_sum(s->s1, w * (f - cf), &s->s1, &q);
        s->s1c += q;
    }
    if (sink_resid) memcpy(sink_resid + bk->row, bk->u, (size_t)bk->X.n * sizeof(double));
}

/* Column j of X'WX, entries 0..j (the coefficient order, the intercept
 * first): the "gradient" X'W x_j of the first j + 1 columns, in its chains
 * of the packed upper triangle. */
static void gram_add(occam_linear_part *g, const block *bk)
{
    const int L = OCCAM__GRAD_LANES, ic = g->su.intercept;
    const occam_matrix *X = &bk->X;
    for (int64_t j = 0; j < g->su.k; j++) {
        const double *u = bk->one;
        if (j >= ic && X->layout == OCCAM_COL_MAJOR) {
            u = X->data + (j - ic) * X->ld;
        } else if (j >= ic) {
            for (int64_t i = 0; i < X->n; i++) bk->col[i] = X->data[i * X->ld + (j - ic)];
            u = bk->col;
        }
        int64_t at = j * (j + 1) / 2 * L;
        occam_lsq_grad col = {j + 1, g->gram.s + at, g->gram.c + at};
        occam_matrix Xj = *X;
        Xj.p = j + 1 - ic; /* the columns up to j */
        occam__lsq_grad_add(&col, &Xj, ic, bk->w, u, NULL, bk->row, bk->th, bk->tl);
    }
}

static int add_block(occam_linear_part *g, const block *bk, occam_linear_sink *sink)
{
    int64_t nb = bk->X.n;
    for (int64_t i = 0; i < nb; i++) {
        double w = bk->w ? bk->w[i] : 1.0;
        bk->sw[i] = bk->w ? sqrt(w) : 1.0;
        bk->z[i] = bk->y[i] - (bk->offset ? bk->offset[i] : 0.0);
        g->s.nobs += w > 0;
    }
    switch (g->pd.type) {
    case OCCAM_LINEAR_PASS_QR:
        qr_sums(&g->s, bk);
        return occam__lsq_add_rows(g->acc, &bk->X, g->su.intercept, 0, nb, bk->sw, bk->z);
    case OCCAM_LINEAR_PASS_REFINE:
        occam__lsq_residuals(&bk->X, g->su.intercept, g->pd.b, bk->z, bk->u, bk->ulo);
        occam__lsq_grad_add(&g->grad, &bk->X, g->su.intercept, bk->w, bk->u, bk->ulo, bk->row, bk->th, bk->tl);
        if (g->pd.cov) gram_add(g, bk);
        return OCCAM_OK;
    default:
        occam__lsq_residuals(&bk->X, g->su.intercept, g->pd.b, bk->z, bk->u, NULL);
        resid_sums(g, bk, sink ? sink->resid : NULL);
        return OCCAM_OK;
    }
}

static int linear_add(occam_partial *pt, const occam_rowset *rows)
{
    occam_linear_part *g = pt->impl;
    occam_linear_sink *sink = pt->sink;
    block bk;
    double **arr[NWORK] = {&bk.sw, &bk.z, &bk.u, &bk.ulo, &bk.th, &bk.tl, &bk.col, &bk.one};
    for (int a = 0; a < NWORK; a++) *arr[a] = g->work + a * g->block;
    const occam_matrix *X = &rows->X;
    for (int64_t r = 0; r < X->n; r += g->block) {
        bk.X = *X;
        bk.X.n = X->n - r < g->block ? X->n - r : g->block;
        bk.X.data = X->layout == OCCAM_COL_MAJOR ? X->data + r : X->data + r * X->ld;
        bk.y = rows->y + r;
        bk.w = rows->w ? rows->w + r : NULL;
        bk.offset = rows->offset ? rows->offset + r : NULL;
        bk.row = rows->row0 + r;
        int rc = add_block(g, &bk, sink);
        if (rc != OCCAM_OK) return rc;
    }
    return OCCAM_OK;
}

/* ------------------------------------------------------------ merging */

static int linear_merge(occam_partial *dst, const occam_partial *src)
{
    occam_linear_part *d = dst->impl;
    const occam_linear_part *s = src->impl;
    occam_linear_sums *a = &d->s;
    const occam_linear_sums *b = &s->s;
    a->nobs += b->nobs;
    a->sum_w += b->sum_w;
    a->sum_wy += b->sum_wy;
    a->sum_wz += b->sum_wz;
    a->sum_logw += b->sum_logw;
    occam__ssq_merge(&a->rss, &b->rss);
    occam__ssq_merge(&a->mss, &b->mss);
    occam__ssq_merge(&a->nul, &b->nul);
    double q;
    occam__two_sum(a->s1, b->s1, &a->s1, &q);
    a->s1c += q + b->s1c;
    if (b->fn > 0) { /* Chan et al.'s combination of means and M2 */
        double n = (double)(a->fn + b->fn), delta = b->fmean - a->fmean;
        a->fm2 += b->fm2 + delta * delta * ((double)a->fn * (double)b->fn / n);
        a->fmean += delta * ((double)b->fn / n);
        a->fn += b->fn;
    }
    if (d->grad.s) occam__lsq_grad_merge(&d->grad, &s->grad);
    if (d->gram.s) occam__lsq_grad_merge(&d->gram, &s->gram);
    if (d->acc == NULL) return OCCAM_OK;
    occam_lsq *copy = NULL;
    int rc = occam__lsq_clone(s->acc, &copy);
    if (rc == OCCAM_OK) rc = occam__lsq_merge(d->acc, copy);
    occam__lsq_free(copy);
    return rc;
}

static int linear_same_pass(const occam_partial *pa, const occam_partial *pb, char *why, size_t cap)
{
    const occam_linear_part *a = pa->impl, *b = pb->impl;
    if (a->su.intercept != b->su.intercept || a->su.p != b->su.p || a->su.solver != b->su.solver) {
        snprintf(why, cap, "the partials belong to different linear fits (intercept, columns or solver)");
        return 0;
    }
    if (a->pd.index != b->pd.index) {
        snprintf(why, cap, "the partials belong to different passes (%lld and %lld)", (long long)a->pd.index,
                 (long long)b->pd.index);
        return 0;
    }
    if (a->pd.type != b->pd.type || a->pd.nb != b->pd.nb || a->pd.cov != b->pd.cov ||
        (a->pd.nb > 0 && memcmp(a->pd.b, b->pd.b, (size_t)a->pd.nb * sizeof(double)) != 0) ||
        memcmp(&a->pd.cf, &b->pd.cf, sizeof(double)) != 0 || memcmp(&a->pd.cz, &b->pd.cz, sizeof(double)) != 0) {
        snprintf(why, cap, "the partials belong to different fits: pass %lld evaluates other coefficients",
                 (long long)a->pd.index);
        return 0;
    }
    return 1;
}

static int linear_can_fork(const occam_partial *pt)
{
    (void)pt;
    return OCCAM_OK;
}

static int linear_fork(const occam_partial *pt, void **impl)
{
    const occam_linear_part *g = pt->impl;
    occam_linear_part *f = NULL;
    int rc = occam__linear_part_impl(&g->su, &g->pd, &f);
    if (rc == OCCAM_OK) *impl = f;
    return rc;
}

const occam_partial_ops occam__linear_partial_ops = {
    OCCAM__PARTIAL_LINEAR, "linear", linear_add, linear_merge, linear_same_pass, linear_can_fork, linear_fork,
    occam__linear_part_write, occam__linear_part_read, occam__linear_part_free, NULL,
};
