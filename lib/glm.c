/*
 * glm.c -- the GLM model kind on the common interface: constructor, starting
 * values, the fit (input checks, IRLS, inference, swap into the model),
 * scalar and per-row accessors, and the vtable.
 *
 * Source: R 4.2.2 glm() / glm.fit() / summary.glm().  The algorithm lives in
 * glm_stream.c (the passes) and glm_pass.c (one pass over rows), the
 * inference in glm_results.c, families in glm_family.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm_internal.h"
#include "stream_internal.h"

/* ------------------------------------------------------------ construction */

int occam__glm_impl_new(int family, int link, occam_glm_impl **out)
{
    occam_glm_impl *g = calloc(1, sizeof *g);
    if (g == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for a GLM");
    g->family = family;
    g->link = link;
    *out = g;
    return OCCAM_OK;
}

void occam__glm_impl_free(void *impl)
{
    occam_glm_impl *g = impl;
    if (g == NULL) return;
    free(g->start);
    free(g->mustart);
    occam__glm_fit_free(&g->fit);
    free(g);
}

int occam_glm_new(int family, int link, occam_model **out)
{
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_glm_new: out is NULL");
    *out = NULL;
    int resolved;
    int rc = occam__glm_check_pair(family, link, &resolved);
    if (rc != OCCAM_OK) return rc;
    occam_glm_impl *g = NULL;
    rc = occam__glm_impl_new(family, resolved, &g);
    if (rc != OCCAM_OK) return rc;
    rc = occam__model_new(&occam__glm_vtable, g, out);
    if (rc == OCCAM_OK) (*out)->intercept = 1;
    return rc;
}

static int glm_of(occam_model *m, const char *fn, occam_glm_impl **g)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "%s: model is NULL", fn);
    if (m->vt != &occam__glm_vtable) return occam__fail(OCCAM_E_WRONG_MODEL, "%s: not a GLM", fn);
    *g = m->impl;
    return OCCAM_OK;
}

/* Replace *dst (length *dlen) by a copy of src[0..len-1], or clear it. */
static int set_vector(const char *fn, const char *what, const double *src, int64_t len, double **dst,
                      int64_t *dlen)
{
    if (len < 0) return occam__fail(OCCAM_E_INVALID_ARG, "%s: length %lld < 0", fn, (long long)len);
    if (len > 0 && src == NULL) return occam__fail(OCCAM_E_NULL, "%s: %s is NULL with length %lld", fn, what, (long long)len);
    if (len == 0) {
        free(*dst);
        *dst = NULL;
        *dlen = 0;
        return OCCAM_OK;
    }
    int rc = occam__check_finite_vector(src, len, what);
    if (rc != OCCAM_OK) return rc;
    double *copy = malloc((size_t)len * sizeof(double));
    if (copy == NULL) return occam__fail(OCCAM_E_NOMEM, "%s: out of memory", fn);
    memcpy(copy, src, (size_t)len * sizeof(double));
    free(*dst);
    *dst = copy;
    *dlen = len;
    return OCCAM_OK;
}

int occam_glm_set_start(occam_model *m, const double *start, int64_t len)
{
    occam_glm_impl *g = NULL;
    int rc = glm_of(m, "occam_glm_set_start", &g);
    if (rc != OCCAM_OK) return rc;
    return set_vector("occam_glm_set_start", "start", start, len, &g->start, &g->nstart);
}

int occam_glm_set_mustart(occam_model *m, const double *mustart, int64_t n)
{
    occam_glm_impl *g = NULL;
    int rc = glm_of(m, "occam_glm_set_mustart", &g);
    if (rc != OCCAM_OK) return rc;
    return set_vector("occam_glm_set_mustart", "mustart", mustart, n, &g->mustart, &g->nmustart);
}

/* --------------------------------------------------------------------- fit */

static void sink_free(occam_glm_sink *k)
{
    free(k->y);
    free(k->prior);
    free(k->eta);
    free(k->wt);
}

/* The in-memory fit: the passes of glm_stream.c over the rows in memory,
 * keeping the per-row results (R's glm object) in the model. */
int occam__glm_fit_exact(occam_model *m, const occam_opts *opts, const occam_matrix *X, const double *y,
                         const double *w, const double *offset)
{
    occam_glm_impl *g = m->impl;
    if (y == NULL) return occam__fail(OCCAM_E_NULL, "glm fit: y is NULL");
    size_t n = (size_t)X->n;
    occam_glm_sink sink = {malloc(n * sizeof(double)), w ? malloc(n * sizeof(double)) : NULL,
                           malloc(n * sizeof(double)), malloc(n * sizeof(double))};
    if (!sink.y || (w && !sink.prior) || !sink.eta || !sink.wt) {
        sink_free(&sink);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for a GLM fit (n = %lld)", (long long)X->n);
    }
    for (size_t i = 0; i < n; i++) sink.y[i] = occam__glm_y_used(g->family, y[i], w ? w[i] : 1.0);
    if (w) memcpy(sink.prior, w, n * sizeof(double));
    int threads = (int)occam__opt_int(opts, OCCAM_OPT_THREADS, 1);
    int rc = occam__fit_memory(&occam__glm_fit_ops, m, opts, X, y, w, offset, threads, &sink);
    sink_free(&sink); /* NULL after a fit: the model has them */
    if (rc >= 0) g->fast = 0;
    return rc;
}

static int glm_fit(occam_model *m, const occam_opts *opts, const occam_matrix *X, const double *y, const double *w,
                   const double *offset)
{
    int rc = occam__opt_int(opts, OCCAM_OPT_FAST, 0) ? occam__glm_fit_fast(m, opts, X, y, w, offset)
                                                      : occam__glm_fit_exact(m, opts, X, y, w, offset);
    if (rc >= 0) ((occam_glm_impl *)m->impl)->keep_data = (int)occam__opt_int(opts, OCCAM_OPT_KEEP_DATA, 0);
    return rc;
}

/* --------------------------------------------------------------- accessors */

static int glm_info(const occam_model *m, int key, double *value)
{
    const occam_glm_impl *g = m->impl;
    const occam_glm_fit *f = &g->fit;
    switch (key) {
    case OCCAM_INFO_NOBS: *value = (double)f->nobs; break;
    case OCCAM_INFO_RANK: *value = (double)f->rank; break;
    case OCCAM_INFO_DF_RESIDUAL: *value = f->df_residual; break;
    case OCCAM_INFO_DF_NULL: *value = f->df_null; break;
    case OCCAM_INFO_DEVIANCE: *value = f->deviance; break;
    case OCCAM_INFO_NULL_DEVIANCE: *value = f->null_deviance; break;
    case OCCAM_INFO_AIC: *value = f->aic; break;
    case OCCAM_INFO_LOGLIK: *value = f->loglik; break;
    case OCCAM_INFO_DISPERSION: *value = f->dispersion; break;
    case OCCAM_INFO_ITER: *value = (double)f->iter; break;
    case OCCAM_INFO_CONVERGED: *value = f->converged; break;
    case OCCAM_INFO_PEARSON_CHI2: *value = f->pearson_chi2; break;
    case OCCAM_INFO_T_STATISTIC: *value = f->est_disp; break;
    case OCCAM_INFO_FAMILY: *value = g->family; break;
    case OCCAM_INFO_LINK: *value = g->link; break;
    case OCCAM_INFO_BOUNDARY: *value = f->boundary; break;
    case OCCAM_INFO_FAST: *value = g->fast; break;
    case OCCAM_INFO_SOLVER: *value = g->solver; break;
    default:
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_model_info: key %d is not defined for a GLM", key);
    }
    return OCCAM_OK;
}

static int glm_rows(const occam_model *m, int which, double *out)
{
    const occam_glm_impl *g = m->impl;
    if (g->fit.n != m->nrows || g->fit.y == NULL)
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_model_rows: this GLM has no per-row results (they exist "
                           "after occam_model_fit, and in a model loaded from a file saved with "
                           "OCCAM_OPT_KEEP_DATA; not after a streamed fit)");
    return occam__glm_rows(&g->fit, g->family, g->link, which, out);
}

const occam_vtable occam__glm_vtable = {OCCAM_MODEL_GLM, "glm",          glm_fit,         occam__glm_predict,
                                        glm_info,        glm_rows,       occam__glm_write, occam__glm_read,
                                        occam__glm_impl_free};
