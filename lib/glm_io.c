/*
 * glm_io.c -- the GLM's fields in the model file format v1 (tags 200-299;
 * the common fields -- coefficient table, vcov, aliased flags, names, p,
 * intercept, conditions, nrows -- are written by serialize.c).
 *
 *   tag  type        content
 *   200  i64         family (enum occam_family)
 *   201  i64         link (enum occam_link, resolved: never 0)
 *   --- only when the model is fitted:
 *   202  f64         deviance
 *   203  f64         null deviance
 *   204  f64         AIC (NaN for quasi families)
 *   205  f64         log-likelihood (NaN for quasi families)
 *   206  f64         dispersion
 *   207  f64         Pearson chi-squared
 *   208  f64         residual df
 *   209  f64         null df
 *   210  i64         number of observations with prior weight > 0
 *   211  i64         rank
 *   212  i64         IRLS iterations
 *   213  i64         converged (0/1)
 *   214  i64         boundary (0/1)
 *   215  i64         dispersion estimated (0/1: t or z statistics)
 *   220  f64[nrows]  response as used (binomial: 0 where the prior weight is 0)
 *   221  f64[nrows]  prior weights
 *   222  f64[nrows]  linear predictor eta (offset included)
 *   223  f64[nrows]  fitted means mu = linkinv(eta) (written for other readers;
 *                        occam recomputes mu from eta and ignores this field)
 *   224  f64[nrows]  working weights of the last IRLS iteration
 *
 * The per-row vectors (5 doubles per fitted row, against p doubles per row
 * of X) are written only when the fit asked for them (OCCAM_OPT_KEEP_DATA):
 * they make every residual type available after a reload, as R keeps them
 * in its glm object.  By default, and for a streamed fit, they have 0
 * elements each: prediction and the summary need only the scalars and the
 * common coefficient table.  Starting values (occam_glm_set_start /
 * set_mustart) are fit settings and are not stored.
 */
#include <stdlib.h>

#include "glm_internal.h"
#include "serialize.h"

enum {
    TAG_FAMILY = 200,
    TAG_LINK = 201,
    TAG_DEVIANCE = 202,
    TAG_NULL_DEVIANCE = 203,
    TAG_AIC = 204,
    TAG_LOGLIK = 205,
    TAG_DISPERSION = 206,
    TAG_PEARSON = 207,
    TAG_DF_RESIDUAL = 208,
    TAG_DF_NULL = 209,
    TAG_NOBS = 210,
    TAG_RANK = 211,
    TAG_ITER = 212,
    TAG_CONVERGED = 213,
    TAG_BOUNDARY = 214,
    TAG_EST_DISP = 215,
    TAG_Y = 220,
    TAG_PRIOR = 221,
    TAG_ETA = 222,
    TAG_MU = 223,
    TAG_WT = 224
};

/* The per-row fields the model does not hold as arrays: prior weights of 1
 * (an unweighted fit) and mu = linkinv(eta), written as R's glm keeps them. */
typedef struct glm_rows_ctx {
    const occam_glm_fit *f;
    int link;
} glm_rows_ctx;

static double row_prior(const void *ctx, uint64_t i)
{
    const occam_glm_fit *f = ((const glm_rows_ctx *)ctx)->f;
    return f->prior ? f->prior[i] : 1.0;
}

static double row_mu(const void *ctx, uint64_t i)
{
    const glm_rows_ctx *c = ctx;
    return occam__glm_linkinv(c->link, c->f->eta[i]);
}

int occam__glm_write(const occam_model *m, occam_writer *w)
{
    const occam_glm_impl *g = m->impl;
    const occam_glm_fit *f = &g->fit;
    occam__w_i64_1(w, TAG_FAMILY, g->family);
    occam__w_i64_1(w, TAG_LINK, g->link);
    if (!m->fitted) return OCCAM_OK;
    occam__w_f64_1(w, TAG_DEVIANCE, f->deviance);
    occam__w_f64_1(w, TAG_NULL_DEVIANCE, f->null_deviance);
    occam__w_f64_1(w, TAG_AIC, f->aic);
    occam__w_f64_1(w, TAG_LOGLIK, f->loglik);
    occam__w_f64_1(w, TAG_DISPERSION, f->dispersion);
    occam__w_f64_1(w, TAG_PEARSON, f->pearson_chi2);
    occam__w_f64_1(w, TAG_DF_RESIDUAL, f->df_residual);
    occam__w_f64_1(w, TAG_DF_NULL, f->df_null);
    occam__w_i64_1(w, TAG_NOBS, f->nobs);
    occam__w_i64_1(w, TAG_RANK, f->rank);
    occam__w_i64_1(w, TAG_ITER, f->iter);
    occam__w_i64_1(w, TAG_CONVERGED, f->converged);
    occam__w_i64_1(w, TAG_BOUNDARY, f->boundary);
    occam__w_i64_1(w, TAG_EST_DISP, f->est_disp);
    uint64_t n = g->keep_data ? (uint64_t)f->n : 0; /* OCCAM_OPT_KEEP_DATA */
    glm_rows_ctx ctx = {f, g->link};
    occam__w_f64(w, TAG_Y, f->y, n);
    occam__w_f64_fn(w, TAG_PRIOR, n, row_prior, &ctx);
    occam__w_f64(w, TAG_ETA, f->eta, n);
    occam__w_f64_fn(w, TAG_MU, n, row_mu, &ctx); /* for readers of the file; occam recomputes it from eta */
    occam__w_f64(w, TAG_WT, f->wt, n);
    return OCCAM_OK;
}

/* Allocate and read one per-row vector of exactly n doubles. */
static int read_rows(const occam_reader *r, uint32_t tag, int64_t n, double **out)
{
    uint64_t count;
    int rc = occam__r_count(r, tag, OCCAM_FT_F64, &count);
    if (rc != OCCAM_OK) return rc;
    if (count != (uint64_t)n)
        return occam__fail(OCCAM_E_FORMAT, "GLM field %u has %llu rows, the model %lld", (unsigned)tag,
                           (unsigned long long)count, (long long)n);
    *out = malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
    if (*out == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory reading a GLM");
    return occam__r_f64(r, tag, *out, (uint64_t)n);
}

static int read_fit(occam_model *m, const occam_reader *r, occam_glm_fit *f)
{
    int64_t conv, bound, est;
    int rc = occam__r_f64_1(r, TAG_DEVIANCE, &f->deviance);
    if (rc == OCCAM_OK) rc = occam__r_f64_1(r, TAG_NULL_DEVIANCE, &f->null_deviance);
    if (rc == OCCAM_OK) rc = occam__r_f64_1(r, TAG_AIC, &f->aic);
    if (rc == OCCAM_OK) rc = occam__r_f64_1(r, TAG_LOGLIK, &f->loglik);
    if (rc == OCCAM_OK) rc = occam__r_f64_1(r, TAG_DISPERSION, &f->dispersion);
    if (rc == OCCAM_OK) rc = occam__r_f64_1(r, TAG_PEARSON, &f->pearson_chi2);
    if (rc == OCCAM_OK) rc = occam__r_f64_1(r, TAG_DF_RESIDUAL, &f->df_residual);
    if (rc == OCCAM_OK) rc = occam__r_f64_1(r, TAG_DF_NULL, &f->df_null);
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_NOBS, 0, m->nrows, &f->nobs);
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_RANK, 0, m->coefs.k, &f->rank);
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_ITER, 0, INT32_MAX, &f->iter);
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_CONVERGED, 0, 1, &conv);
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_BOUNDARY, 0, 1, &bound);
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_EST_DISP, 0, 1, &est);
    if (rc != OCCAM_OK) return rc;
    f->converged = (int)conv;
    f->boundary = (int)bound;
    f->est_disp = (int)est;
    /* a streamed fit has no per-row vectors: 0 elements each */
    uint64_t ny = 0;
    rc = occam__r_count(r, TAG_Y, OCCAM_FT_F64, &ny);
    if (rc != OCCAM_OK) return rc;
    f->n = ny == 0 ? 0 : m->nrows;
    rc = read_rows(r, TAG_Y, f->n, &f->y);
    if (rc == OCCAM_OK) rc = read_rows(r, TAG_PRIOR, f->n, &f->prior);
    if (rc == OCCAM_OK) rc = read_rows(r, TAG_ETA, f->n, &f->eta);
    if (rc == OCCAM_OK) rc = read_rows(r, TAG_WT, f->n, &f->wt);
    return rc;
}

int occam__glm_read(occam_model *m, const occam_reader *r)
{
    int64_t family, link;
    int rc = occam__r_i64_1(r, TAG_FAMILY, &family);
    if (rc == OCCAM_OK) rc = occam__r_i64_1(r, TAG_LINK, &link);
    if (rc != OCCAM_OK) return rc;
    int resolved;
    if (family < 1 || family > 100 || link < 1 || link > 100 ||
        occam__glm_check_pair((int)family, (int)link, &resolved) != OCCAM_OK)
        return occam__fail(OCCAM_E_FORMAT, "GLM data has an invalid family/link pair (%lld, %lld)",
                           (long long)family, (long long)link);
    occam_glm_impl *g = NULL;
    rc = occam__glm_impl_new((int)family, resolved, &g);
    if (rc != OCCAM_OK) return rc;
    m->impl = g;
    if (!m->fitted) return OCCAM_OK;
    if (m->coefs.k != m->p + m->intercept)
        return occam__fail(OCCAM_E_FORMAT, "GLM has %lld coefficients for %lld columns%s", (long long)m->coefs.k,
                           (long long)m->p, m->intercept ? " and an intercept" : "");
    rc = read_fit(m, r, &g->fit);
    g->keep_data = g->fit.n > 0; /* a file with rows writes them again: serialize(deserialize(b)) == b */
    return rc;
}
