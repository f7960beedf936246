/*
 * linear_pass_io.c -- the fields of a linear pass contribution
 * (linear_pass.c) in the partial-result format (partial_io.c,
 * docs/format.md), tags 100-199:
 *
 *   100 i64[4]   setup: intercept, p, k, solver
 *   101 i64[3]   pass: index, type (1 QR, 2 refinement, 3 residual sums), nb
 *   102 f64[nb]  the coefficients of the pass
 *   103 f64[2]   the centers cf, cz of the residual pass
 *   104 i64[2]   rows with positive weight, rows in the mean of the fitted values
 *   105 f64[9]   sums of w, w y, w (y - offset), log w; s1, s1c; mean and M2
 *                of the fitted values; 0
 *   106 f64[6]   the three scaled sums of squares (RSS, model, null): s, c each
 *   107 i64[9]   their exponents and infinite / NaN flags
 *   108 i64[2]   (QR) the system's form and rows, 109 f64[...] its numbers
 *                (rows row-major, or the packed upper triangle)
 *   110 f64[2 k lanes]  (refinement) the gradient's chains, s then c
 *   111 i64[1]   (refinement, optional) 1: the pass sums X'WX for the
 *                covariance step (k <= 16); absent (files before it) or 0: not
 *   112 f64[2 k (k + 1) / 2 lanes]  (with 111 = 1) X'WX's chains, packed upper
 *                by columns, s then c
 *
 * Every count is checked against the setup before anything sized by it is
 * allocated.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linear_internal.h"
#include "serialize.h"
#include "stream_internal.h"

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
    TAG_GRAD = 110,
    TAG_COV = 111,
    TAG_GRAM = 112
};

/* A gradient's chains as one array, s then c. */
static int write_chains(occam_writer *w, uint32_t tag, const occam_lsq_grad *g)
{
    int64_t n = g->k * OCCAM__GRAD_LANES;
    double *chains = malloc((size_t)(2 * (n > 0 ? n : 1)) * sizeof(double));
    if (chains == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory writing a partial result");
    memcpy(chains, g->s, (size_t)n * sizeof(double));
    memcpy(chains + n, g->c, (size_t)n * sizeof(double));
    occam__w_f64(w, tag, chains, (uint64_t)(2 * n));
    free(chains);
    return OCCAM_OK;
}

int occam__linear_part_write(const occam_partial *pt, occam_writer *w)
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
    int rc = g->pd.type == OCCAM_LINEAR_PASS_REFINE ? write_chains(w, TAG_GRAD, &g->grad) : OCCAM_OK;
    if (rc == OCCAM_OK && g->pd.cov) { /* written only when set: other passes keep their bytes */
        int64_t one = 1;
        occam__w_i64(w, TAG_COV, &one, 1);
        rc = write_chains(w, TAG_GRAM, &g->gram);
    }
    if (rc != OCCAM_OK) return rc;
    return g->acc ? occam__lsq_write(g->acc, w, TAG_ACC_SHAPE, TAG_ACC_DATA) : OCCAM_OK;
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
    pd->cov = 0;
    if (occam__r_has(r, TAG_COV)) {
        rc = occam__r_i64_in(r, TAG_COV, 0, 1, &pd->cov);
        if (rc != OCCAM_OK) return rc;
        if (pd->cov && (pd->type != OCCAM_LINEAR_PASS_REFINE || su->k > OCCAM__LINEAR_COV_MAX_K))
            return bad("covariance step out of range (a refinement pass of at most 16 coefficients)");
    }
    uint64_t count = 0;
    rc = occam__r_count(r, TAG_B, OCCAM_FT_F64, &count);
    if (rc == OCCAM_OK && count != (uint64_t)pd->nb) rc = bad("coefficient vector of the wrong length");
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

/* Chains of k columns written by write_chains into a new g. */
static int read_chains(const occam_reader *r, uint32_t tag, int64_t k, const char *wrong_size, occam_lsq_grad *g)
{
    uint64_t n = (uint64_t)(k * OCCAM__GRAD_LANES), count = 0;
    int rc = occam__r_count(r, tag, OCCAM_FT_F64, &count);
    if (rc == OCCAM_OK && count != 2 * n) rc = bad(wrong_size);
    if (rc == OCCAM_OK) rc = occam__lsq_grad_init(g, k);
    double *chains = rc == OCCAM_OK ? malloc((size_t)(2 * n) * sizeof(double)) : NULL;
    if (rc == OCCAM_OK && chains == NULL) rc = occam__fail(OCCAM_E_NOMEM, "out of memory reading a partial result");
    if (rc == OCCAM_OK) rc = occam__r_f64(r, tag, chains, 2 * n);
    if (rc == OCCAM_OK) {
        memcpy(g->s, chains, (size_t)n * sizeof(double));
        memcpy(g->c, chains + n, (size_t)n * sizeof(double));
    }
    free(chains);
    return rc;
}

int occam__linear_part_read(occam_partial *pt, const occam_reader *r)
{
    occam_linear_setup su;
    occam_linear_passdef pd = {0, 0, 0, NULL, 0.0, 0.0, 0};
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
    if (rc == OCCAM_OK && type == OCCAM_LINEAR_PASS_QR) rc = occam__lsq_read(r, TAG_ACC_SHAPE, TAG_ACC_DATA, g->su.k, g->su.solver, "linear partial result",
                             &g->acc);
    if (rc == OCCAM_OK && type == OCCAM_LINEAR_PASS_REFINE)
        rc = read_chains(r, TAG_GRAD, su.k, "gradient of the wrong size", &g->grad);
    if (rc == OCCAM_OK && g->pd.cov)
        rc = read_chains(r, TAG_GRAM, su.k * (su.k + 1) / 2, "X'WX of the wrong size", &g->gram);
    return rc;
}

