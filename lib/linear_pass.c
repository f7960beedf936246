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
 *   RESID   at the final b: the accurate residuals r and fitted values
 *           f = y - r, the scaled sums of squares w r^2, w (f - cf)^2 and
 *           w (y - offset - cz)^2 with the centers of the first pass's
 *           means, sum w (f - cf), and mean and M2 of f over all rows.
 *
 * Fields (partial_io.c; tags 100-199): 100 i64[4] setup (intercept, p, k,
 * solver); 101 i64[3] pass (index, type, nb); 102 f64[nb] b; 103 f64[2]
 * centers (cf, cz); 104 i64[2] (nobs, fn); 105 f64[9] (sum_w, sum_wy,
 * sum_wz, sum_logw, s1, s1c, fmean, fm2, 0); 106 f64[6] + 107 i64[9]: the
 * three scaled sums (s, c each; e, inf, nan each); QR: 108 i64[2] the
 * system's form and rows, 109 f64[...] its numbers (as the GLM's 207/208);
 * REFINE: 110 f64[2 k lanes] the gradient's chains.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eft.h"
#include "linear_internal.h"
#include "serialize.h"
#include "stream_internal.h"

enum { BLOCK_ROWS = 512 };
enum { W_SW, W_Z, W_U, W_ULO, W_TH, W_TL, NWORK };

void occam__linear_part_free(void *impl)
{
    occam_linear_part *g = impl;
    if (g == NULL) return;
    free(g->pd.b);
    occam__lsq_free(g->acc);
    occam__lsq_grad_free(&g->grad);
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
    double *sw, *z, *u, *ulo, *th, *tl;
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
    double **arr[NWORK] = {&bk.sw, &bk.z, &bk.u, &bk.ulo, &bk.th, &bk.tl};
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
    if (a->pd.type != b->pd.type || a->pd.nb != b->pd.nb ||
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

/* ------------------------------------------------------------ fields */

enum {
    TAG_SETUP = 100,
    TAG_PASS = 101,
    TAG_B = 102,
    TAG_CENTERS = 103,
    TAG_COUNTS = 104,
    TAG_SUMS = 105,
    TAG_SSQ_F = 106,
    TAG_SSQ_I = 107,
    TAG_ACC_SHAPE = 108,
    TAG_ACC_DATA = 109,
    TAG_GRAD = 110
};

static int write_acc(const occam_lsq *acc, occam_writer *w)
{
    occam_lsq *copy = NULL;
    if (occam__lsq_pending(acc)) {
        int rc = occam__lsq_clone(acc, &copy);
        if (rc == OCCAM_OK) rc = occam__lsq_flush(copy);
        if (rc != OCCAM_OK) {
            occam__lsq_free(copy);
            return rc;
        }
        acc = copy;
    }
    occam_lsq_view v;
    occam__lsq_view(acc, &v);
    int64_t k1 = v.k + 1, shape[2] = {v.form, v.m};
    occam__w_i64(w, TAG_ACC_SHAPE, shape, 2);
    int rc = OCCAM_OK;
    if (v.form == OCCAM_LSQ_ROWS) {
        occam__w_f64(w, TAG_ACC_DATA, v.a, (uint64_t)(v.m * k1));
    } else {
        int64_t n = k1 * (k1 + 1) / 2;
        double *packed = malloc((size_t)n * sizeof(double));
        if (packed == NULL) {
            rc = occam__fail(OCCAM_E_NOMEM, "out of memory writing a partial result");
        } else {
            for (int64_t j = 0, e = 0; j < k1; j++)
                for (int64_t i = 0; i <= j; i++) packed[e++] = v.a[i + j * k1];
            occam__w_f64(w, TAG_ACC_DATA, packed, (uint64_t)n);
            free(packed);
        }
    }
    occam__lsq_free(copy);
    return rc;
}

static int linear_write(const occam_partial *pt, occam_writer *w)
{
    const occam_linear_part *g = pt->impl;
    const occam_linear_sums *s = &g->s;
    int64_t setup[4] = {g->su.intercept, g->su.p, g->su.k, g->su.solver};
    int64_t pass[3] = {g->pd.index, g->pd.type, g->pd.nb};
    double centers[2] = {g->pd.cf, g->pd.cz};
    int64_t counts[2] = {s->nobs, s->fn};
    double sums[9] = {s->sum_w, s->sum_wy, s->sum_wz, s->sum_logw, s->s1, s->s1c, s->fmean, s->fm2, 0.0};
    const occam_ssq *q[3] = {&s->rss, &s->mss, &s->nul};
    double qf[6];
    int64_t qi[9];
    for (int t = 0; t < 3; t++) {
        qf[2 * t] = q[t]->s;
        qf[2 * t + 1] = q[t]->c;
        qi[3 * t] = q[t]->e;
        qi[3 * t + 1] = q[t]->inf;
        qi[3 * t + 2] = q[t]->nan;
    }
    occam__w_i64(w, TAG_SETUP, setup, 4);
    occam__w_i64(w, TAG_PASS, pass, 3);
    occam__w_f64(w, TAG_B, g->pd.b, (uint64_t)g->pd.nb);
    occam__w_f64(w, TAG_CENTERS, centers, 2);
    occam__w_i64(w, TAG_COUNTS, counts, 2);
    occam__w_f64(w, TAG_SUMS, sums, 9);
    occam__w_f64(w, TAG_SSQ_F, qf, 6);
    occam__w_i64(w, TAG_SSQ_I, qi, 9);
    if (g->pd.type == OCCAM_LINEAR_PASS_REFINE) {
        int64_t n = g->su.k * OCCAM__GRAD_LANES;
        double *chains = malloc((size_t)(2 * (n > 0 ? n : 1)) * sizeof(double));
        if (chains == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory writing a partial result");
        memcpy(chains, g->grad.s, (size_t)n * sizeof(double));
        memcpy(chains + n, g->grad.c, (size_t)n * sizeof(double));
        occam__w_f64(w, TAG_GRAD, chains, (uint64_t)(2 * n));
        free(chains);
    }
    return g->acc ? write_acc(g->acc, w) : OCCAM_OK;
}

static int bad(const char *what) { return occam__fail(OCCAM_E_FORMAT, "linear partial result: %s", what); }

/* The setup and pass fields, checked. */
static int read_def(const occam_partial *pt, const occam_reader *r, occam_linear_setup *su, occam_linear_passdef *pd)
{
    int64_t setup[4], pass[3];
    int rc = occam__r_i64(r, TAG_SETUP, setup, 4);
    if (rc == OCCAM_OK) rc = occam__r_i64(r, TAG_PASS, pass, 3);
    if (rc != OCCAM_OK) return rc;
    if ((setup[0] != 0 && setup[0] != 1) || setup[1] != pt->p || setup[2] != setup[1] + setup[0] || setup[2] < 1 ||
        (setup[3] != OCCAM_SOLVER_QR && setup[3] != OCCAM_SOLVER_CHOLESKY))
        return bad("setup out of range");
    *su = (occam_linear_setup){(int)setup[0], setup[1], setup[2], (int)setup[3]};
    int ok = pass[1] == OCCAM_LINEAR_PASS_QR       ? pass[0] == 0
             : pass[1] == OCCAM_LINEAR_PASS_REFINE ? pass[0] == 1
             : pass[1] == OCCAM_LINEAR_PASS_RESID  ? pass[0] == 1 || pass[0] == 2
                                                   : 0;
    if (!ok || pass[2] != (pass[1] == OCCAM_LINEAR_PASS_QR ? 0 : su->k)) return bad("pass out of range");
    pd->index = pass[0];
    pd->type = pass[1];
    pd->nb = pass[2];
    uint64_t count = 0;
    rc = occam__r_count(r, TAG_B, OCCAM_FT_F64, &count);
    if (rc == OCCAM_OK && count != (uint64_t)pd->nb) rc = bad("coefficient vector of the wrong length");
    return rc;
}

static int read_acc(const occam_reader *r, occam_linear_part *g)
{
    int64_t shape[2];
    int rc = occam__r_i64(r, TAG_ACC_SHAPE, shape, 2);
    if (rc != OCCAM_OK) return rc;
    int64_t k1 = g->su.k + 1;
    uint64_t count = 0, want;
    if (shape[0] == OCCAM_LSQ_ROWS && shape[1] >= 0 && shape[1] <= k1)
        want = (uint64_t)(shape[1] * k1);
    else if ((shape[0] == OCCAM_LSQ_R || shape[0] == OCCAM_LSQ_GRAM) && shape[1] == k1)
        want = (uint64_t)(k1 * (k1 + 1) / 2);
    else
        return bad("least-squares state of an unknown shape");
    rc = occam__r_count(r, TAG_ACC_DATA, OCCAM_FT_F64, &count);
    if (rc != OCCAM_OK) return rc;
    if (count != want) return bad("least-squares state of the wrong size");
    double *a = malloc((size_t)(want > 0 ? want : 1) * sizeof(double));
    if (a == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory reading a partial result");
    rc = occam__r_f64(r, TAG_ACC_DATA, a, want);
    if (rc == OCCAM_OK) rc = occam__lsq_import(g->su.k, g->su.solver, (int)shape[0], shape[1], a, &g->acc);
    free(a);
    return rc;
}

static int read_sums(const occam_partial *pt, const occam_reader *r, occam_linear_part *g)
{
    occam_linear_sums *s = &g->s;
    double centers[2], sums[9], qf[6];
    int64_t counts[2], qi[9];
    int rc = occam__r_f64(r, TAG_CENTERS, centers, 2);
    if (rc == OCCAM_OK) rc = occam__r_i64(r, TAG_COUNTS, counts, 2);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_SUMS, sums, 9);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_SSQ_F, qf, 6);
    if (rc == OCCAM_OK) rc = occam__r_i64(r, TAG_SSQ_I, qi, 9);
    if (rc != OCCAM_OK) return rc;
    if (!isfinite(centers[0]) || !isfinite(centers[1])) return bad("centers not finite");
    if (counts[0] < 0 || counts[0] > pt->nrows || counts[1] < 0 || counts[1] > pt->nrows) return bad("counts out of range");
    for (int t = 0; t < 3; t++)
        if (qi[3 * t] < -1000 || qi[3 * t] > 1100 || (qi[3 * t + 1] & ~1) || (qi[3 * t + 2] & ~1))
            return bad("scaled sum out of range");
    g->pd.cf = centers[0];
    g->pd.cz = centers[1];
    s->nobs = counts[0];
    s->fn = counts[1];
    s->sum_w = sums[0];
    s->sum_wy = sums[1];
    s->sum_wz = sums[2];
    s->sum_logw = sums[3];
    s->s1 = sums[4];
    s->s1c = sums[5];
    s->fmean = sums[6];
    s->fm2 = sums[7];
    occam_ssq *q[3] = {&s->rss, &s->mss, &s->nul};
    for (int t = 0; t < 3; t++)
        *q[t] = (occam_ssq){qf[2 * t], qf[2 * t + 1], (int)qi[3 * t], (int)qi[3 * t + 1], (int)qi[3 * t + 2]};
    return OCCAM_OK;
}

static int linear_read(occam_partial *pt, const occam_reader *r)
{
    occam_linear_setup su;
    occam_linear_passdef pd = {0, 0, 0, NULL, 0.0, 0.0};
    int rc = read_def(pt, r, &su, &pd);
    if (rc != OCCAM_OK) return rc;
    int type = (int)pd.type;
    pd.type = OCCAM_LINEAR_PASS_RESID; /* no accumulator or gradient yet: they are read below */
    pd.nb = 0;
    occam_linear_part *g = NULL;
    rc = occam__linear_part_impl(&su, &pd, &g);
    if (rc != OCCAM_OK) return rc;
    pt->impl = g;
    g->pd.type = type;
    g->pd.nb = type == OCCAM_LINEAR_PASS_QR ? 0 : su.k;
    if (g->pd.nb > 0) {
        g->pd.b = malloc((size_t)g->pd.nb * sizeof(double));
        if (g->pd.b == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory reading a partial result");
        rc = occam__r_f64(r, TAG_B, g->pd.b, (uint64_t)g->pd.nb);
        for (int64_t j = 0; rc == OCCAM_OK && j < g->pd.nb; j++)
            if (!isfinite(g->pd.b[j])) rc = bad("a coefficient is not finite");
    }
    if (rc == OCCAM_OK) rc = read_sums(pt, r, g);
    if (rc == OCCAM_OK && type == OCCAM_LINEAR_PASS_QR) rc = read_acc(r, g);
    if (rc == OCCAM_OK && type == OCCAM_LINEAR_PASS_REFINE) {
        uint64_t n = (uint64_t)(su.k * OCCAM__GRAD_LANES), count = 0;
        rc = occam__r_count(r, TAG_GRAD, OCCAM_FT_F64, &count);
        if (rc == OCCAM_OK && count != 2 * n) rc = bad("gradient of the wrong size");
        if (rc == OCCAM_OK) rc = occam__lsq_grad_init(&g->grad, su.k);
        double *chains = rc == OCCAM_OK ? malloc((size_t)(2 * n) * sizeof(double)) : NULL;
        if (rc == OCCAM_OK && chains == NULL) rc = occam__fail(OCCAM_E_NOMEM, "out of memory reading a partial result");
        if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_GRAD, chains, 2 * n);
        if (rc == OCCAM_OK) {
            memcpy(g->grad.s, chains, (size_t)n * sizeof(double));
            memcpy(g->grad.c, chains + n, (size_t)n * sizeof(double));
        }
        free(chains);
    }
    return rc;
}

const occam_partial_ops occam__linear_partial_ops = {
    OCCAM__PARTIAL_LINEAR, "linear", linear_add, linear_merge, linear_same_pass, linear_can_fork, linear_fork,
    linear_write,          linear_read, occam__linear_part_free,
};
