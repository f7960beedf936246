/*
 * glm.c -- the GLM model kind on the common interface: constructor, starting
 * values, the fit (input checks, IRLS, inference, swap into the model),
 * scalar and per-row accessors, and the vtable.
 *
 * Source: R 4.2.2 glm() / glm.fit() / summary.glm().  The algorithm lives in
 * glm_irls.c, the inference in glm_results.c, families in glm_family.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm_internal.h"

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

static int read_control(const occam_opts *opts, occam_glm_control *ctl, int *intercept)
{
    ctl->epsilon = occam__opt_double(opts, OCCAM_OPT_EPSILON, 1e-8);
    ctl->maxit = occam__opt_int(opts, OCCAM_OPT_MAXIT, 25);
    ctl->tol = occam__opt_double(opts, OCCAM_OPT_RANK_TOL, fmin(1e-7, ctl->epsilon / 1000));
    ctl->solver = (int)occam__opt_int(opts, OCCAM_OPT_SOLVER, OCCAM_SOLVER_QR);
    ctl->halve_on_increase = (int)occam__opt_int(opts, OCCAM_OPT_HALVE_ON_INCREASE, 0);
    ctl->threads = (int)occam__opt_int(opts, OCCAM_OPT_THREADS, 1);
    *intercept = (int)occam__opt_int(opts, OCCAM_OPT_INTERCEPT, 1);
    if (!(ctl->epsilon > 0) || !isfinite(ctl->epsilon))
        return occam__fail(OCCAM_E_INVALID_ARG, "epsilon must be > 0, got %g", ctl->epsilon);
    if (ctl->maxit < 1) return occam__fail(OCCAM_E_INVALID_ARG, "maxit must be >= 1, got %lld", (long long)ctl->maxit);
    if (!(ctl->tol >= 0 && ctl->tol < 1))
        return occam__fail(OCCAM_E_INVALID_ARG, "rank tolerance must be in [0, 1), got %g", ctl->tol);
    if (ctl->solver != OCCAM_SOLVER_QR && ctl->solver != OCCAM_SOLVER_CHOLESKY)
        return occam__fail(OCCAM_E_UNKNOWN_ENUM, "unknown solver %d", ctl->solver);
    if (*intercept != 0 && *intercept != 1)
        return occam__fail(OCCAM_E_INVALID_ARG, "intercept option must be 0 or 1, got %d", *intercept);
    if (ctl->halve_on_increase != 0 && ctl->halve_on_increase != 1)
        return occam__fail(OCCAM_E_INVALID_ARG, "halve-on-increase option must be 0 or 1, got %d",
                           ctl->halve_on_increase);
    return OCCAM_OK;
}

static int check_inputs(const occam_glm_impl *g, const occam_matrix *X, int intercept, const double *y)
{
    if (y == NULL) return occam__fail(OCCAM_E_NULL, "glm fit: y is NULL");
    int64_t k = X->p + intercept;
    if (g->start != NULL && g->nstart != k)
        return occam__fail(OCCAM_E_DIM_MISMATCH,
                           "length of 'start' should equal %lld (%s%lld columns of X) but is %lld", (long long)k,
                           intercept ? "intercept + " : "", (long long)X->p, (long long)g->nstart);
    if (g->start == NULL && g->mustart != NULL && g->nmustart != X->n)
        return occam__fail(OCCAM_E_DIM_MISMATCH, "length of 'mustart' should equal n = %lld but is %lld",
                           (long long)X->n, (long long)g->nmustart);
    int rc = occam__check_blas_int(X->n, "number of rows");
    if (rc == OCCAM_OK) rc = occam__check_blas_int(k + 1, "number of coefficients");
    return rc;
}

static void install(occam_model *m, occam_glm_impl *g, const occam_matrix *X, int intercept, occam_glm_fit *fit,
                    occam_coefs *coefs, int conditions)
{
    occam__glm_fit_free(&g->fit);
    g->fit = *fit;
    occam__coefs_free(&m->coefs);
    m->coefs = *coefs;
    m->fitted = 1;
    m->p = X->p;
    m->intercept = intercept;
    m->nrows = X->n;
    m->conditions = conditions;
}

static int glm_fit(occam_model *m, const occam_opts *opts, const occam_matrix *X, const double *y, const double *w,
                   const double *offset)
{
    occam_glm_impl *g = m->impl;
    occam_glm_control ctl;
    int intercept;
    int rc = read_control(opts, &ctl, &intercept);
    if (rc == OCCAM_OK) rc = check_inputs(g, X, intercept, y);
    int non_integer = 0;
    if (rc == OCCAM_OK)
        rc = occam__glm_check_y(g->family, g->link, y, w, X->n, g->start != NULL || g->mustart != NULL,
                                &non_integer);
    if (rc != OCCAM_OK) return rc;

    size_t n = (size_t)X->n;
    double *yu = malloc(n * sizeof(double)), *prior = malloc(n * sizeof(double));
    if (yu == NULL || prior == NULL) {
        free(yu);
        free(prior);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for a GLM fit (n = %lld)", (long long)X->n);
    }
    for (size_t i = 0; i < n; i++) {
        prior[i] = w ? w[i] : 1.0;
        yu[i] = occam__glm_y_used(g->family, y[i], prior[i]);
    }
    occam_glm_problem pb = {X, intercept, g->family, g->link, yu, prior, offset, X->n, X->p + intercept};
    occam_glm_irls irls;
    occam_glm_fit fit;
    occam_coefs coefs;
    int conditions = 0;
    rc = occam__glm_irls_run(&pb, &ctl, g->start, g->start ? NULL : g->mustart, &irls);
    if (rc == OCCAM_OK) {
        rc = occam__glm_results(&pb, &ctl, &irls, non_integer, &yu, &prior, &fit, &coefs, &conditions);
        occam__glm_irls_free(&irls);
    }
    free(yu);
    free(prior);
    if (rc != OCCAM_OK) return rc;
    install(m, g, X, intercept, &fit, &coefs, conditions);
    int status = occam__conditions_status(conditions);
    if (status != OCCAM_OK) {
        char msg[512];
        occam__glm_conditions_text(conditions, msg, sizeof msg);
        return occam__fail(status, "%s", msg);
    }
    return OCCAM_OK;
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
    default:
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_model_info: key %d is not defined for a GLM", key);
    }
    return OCCAM_OK;
}

static int glm_rows(const occam_model *m, int which, double *out)
{
    const occam_glm_impl *g = m->impl;
    if (g->fit.n != m->nrows || g->fit.y == NULL)
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_model_rows: this GLM has no per-row results");
    return occam__glm_rows(&g->fit, g->family, g->link, which, out);
}

const occam_vtable occam__glm_vtable = {OCCAM_MODEL_GLM, "glm",          glm_fit,         occam__glm_predict,
                                        glm_info,        glm_rows,       occam__glm_write, occam__glm_read,
                                        occam__glm_impl_free};
