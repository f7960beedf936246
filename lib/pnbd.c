/*
 * pnbd.c -- the Pareto/NBD model kind on the common interface: constructor,
 * parameters given by hand, the fit entry point (input checks, then the MLE
 * of pnbd_fit.c), info keys and the vtable.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pnbd.h"
#include "serialize.h"

static void pnbd_free(void *p) { free(p); }

static const char *const pnbd_default_names[3] = {"x", "t_x", "T"};

int occam_pnbd_new(occam_model **out)
{
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_pnbd_new: out is NULL");
    *out = NULL;
    occam_pnbd_impl *pi = calloc(1, sizeof *pi);
    if (pi == NULL) return occam__fail(OCCAM_E_NOMEM, "occam_pnbd_new: out of memory");
    occam_model *m = NULL;
    int rc = occam__model_new(&occam__pnbd_vtable, pi, &m);
    if (rc != OCCAM_OK) return rc;
    rc = occam_model_set_names(m, pnbd_default_names, 3);
    if (rc != OCCAM_OK) {
        occam_model_free(m);
        return rc;
    }
    m->p = 3;
    *out = m;
    return OCCAM_OK;
}

/* Install parameters (and optionally a fit's results) into m; m unchanged on error. */
static int pnbd_install(occam_model *m, const double par[4], const double *se, const double *vcov,
                        const occam_pnbd_impl *info)
{
    occam_coefs c = {0};
    int rc = occam__coefs_alloc(&c, 4, NULL);
    if (rc != OCCAM_OK) return rc;
    for (int k = 0; k < 4; k++) {
        c.est[k] = par[k];
        if (se) c.se[k] = se[k];
    }
    if (vcov) memcpy(c.vcov, vcov, 16 * sizeof(double));
    occam_pnbd_impl *pi = m->impl;
    occam__coefs_free(&m->coefs);
    m->coefs = c;
    *pi = *info;
    m->fitted = 1;
    m->p = 3;
    m->intercept = 0;
    return OCCAM_OK;
}

int occam_pnbd_set_params(occam_model *m, double r, double alpha, double s, double beta)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "occam_pnbd_set_params: model is NULL");
    if (m->vt->kind != OCCAM_MODEL_PNBD)
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_pnbd_set_params: the model is a %s model", m->vt->name);
    const double par[4] = {r, alpha, s, beta};
    static const char *const nm[4] = {"r", "alpha", "s", "beta"};
    int nbd = isinf(s) && isinf(beta) && s > 0 && beta > 0; /* the no-dropout limit */
    for (int k = 0; k < 4; k++) {
        if (!isfinite(par[k]) && !(nbd && k >= 2))
            return occam__fail(OCCAM_E_NONFINITE, "occam_pnbd_set_params: %s = %g is not finite", nm[k], par[k]);
        if (!(par[k] > 0))
            return occam__fail(OCCAM_E_DOMAIN, "occam_pnbd_set_params: %s = %g must be > 0", nm[k], par[k]);
    }
    if (m->names != NULL && m->p != 3)
        return occam__fail(OCCAM_E_DIM_MISMATCH, "occam_pnbd_set_params: the model names %lld columns, not 3",
                           (long long)m->p);
    occam_pnbd_impl info = {0};
    int rc = pnbd_install(m, par, NULL, NULL, &info);
    if (rc == OCCAM_OK) {
        m->conditions = 0;
        m->nrows = 0;
    }
    return rc;
}

/* ---------------------------------------------------------------------- fit */

static int pnbd_fit(occam_model *m, const occam_opts *opts, const occam_matrix *X, const double *y,
                    const double *w, const double *offset)
{
    if (y != NULL || offset != NULL)
        return occam__fail(OCCAM_E_INVALID_ARG, "Pareto/NBD fit: %s must be NULL (the data are the n x 3 "
                                                "summaries (x, t_x, T) in X)",
                           y != NULL ? "y" : "offset");
    if (X->p != 3)
        return occam__fail(OCCAM_E_DIM_MISMATCH, "Pareto/NBD fit: X has %lld columns, need 3 (x, t_x, T)",
                           (long long)X->p);
    for (int64_t i = 0; i < X->n; i++) {
        int rc = occam__pnbd_check_row(occam__mat_at(X, i, 0), occam__mat_at(X, i, 1), occam__mat_at(X, i, 2), i);
        if (rc != OCCAM_OK) return rc;
    }
    int64_t collapse = occam__opt_int(opts, OCCAM_OPT_COLLAPSE, -1);
    occam_pnbd_data d;
    int rc = occam__pnbd_data_build(X, w, (int)collapse, &d);
    if (rc != OCCAM_OK) return rc;
    rc = occam__pnbd_fit_data(m, opts, &d, X->n);
    occam__pnbd_data_free(&d);
    return rc;
}

int occam__pnbd_fit_data(occam_model *m, const occam_opts *opts, const occam_pnbd_data *d, int64_t nrows)
{
    occam_pnbd_fit_result res;
    int rc = occam__pnbd_mle(d, opts, &res);
    int64_t nobs = d->nobs;
    if (rc < 0) return rc;
    occam_pnbd_impl info = {1, res.loglik, res.grad_norm, res.iter, nobs, res.converged};
    int irc = pnbd_install(m, res.par, res.se, res.vcov, &info);
    if (irc != OCCAM_OK) return irc;
    m->nrows = nrows;
    if (rc == OCCAM_W_NO_DROPOUT) {
        m->conditions = OCCAM_COND_NO_DROPOUT | (res.converged ? 0 : OCCAM_COND_NOT_CONVERGED);
        return occam__fail(OCCAM_W_NO_DROPOUT,
                           "Pareto/NBD fit: %s: no customer appears to have churned; the likelihood is highest in "
                           "the limit s, beta -> Inf with s/beta -> 0, where nobody drops out (d loglik / d(s/beta) "
                           "= %.4g <= 0 there); r and alpha are the NBD estimates, P(alive) = 1",
                           occam_strerror(OCCAM_W_NO_DROPOUT),
                           res.score);
    }
    m->conditions = res.converged ? 0 : OCCAM_COND_NOT_CONVERGED;
    if (res.hit == PNBD_HIT_S_INF)
        return occam__fail(OCCAM_W_NOT_CONVERGED,
                           "Pareto/NBD fit: stopped after %lld iterations with s = %.3g, beta = %.3g running to "
                           "infinity at s/beta = %.3g: the likelihood rises as the dropout rates of all customers "
                           "approach one common rate s/beta, a limit the Pareto/NBD reaches only at s = beta = Inf; "
                           "the estimates are the last point (standard errors not available)",
                           (long long)res.iter, res.par[2], res.par[3], res.ratio);
    if (!res.converged)
        return occam__fail(OCCAM_W_NOT_CONVERGED,
                           "Pareto/NBD fit: %lld iterations without the gradient reaching the tolerance "
                           "(max |gradient| = %.3g)",
                           (long long)res.iter, res.grad_norm);
    return OCCAM_OK;
}

/* --------------------------------------------------------------------- info */

static int pnbd_info(const occam_model *m, int key, double *value)
{
    const occam_pnbd_impl *pi = m->impl;
    int fit_key = key == OCCAM_INFO_LOGLIK || key == OCCAM_INFO_ITER || key == OCCAM_INFO_CONVERGED ||
                  key == OCCAM_INFO_GRAD_NORM || key == OCCAM_INFO_NOBS || key == OCCAM_INFO_AIC;
    if (!fit_key)
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_model_info: key %d is not defined for a Pareto/NBD model",
                           key);
    if (!pi->has_fit)
        return occam__fail(OCCAM_E_WRONG_MODEL,
                           "occam_model_info: the Pareto/NBD parameters were given, not fitted (key %d)", key);
    switch (key) {
    case OCCAM_INFO_LOGLIK: *value = pi->loglik; break;
    case OCCAM_INFO_AIC: *value = -2.0 * pi->loglik + 2.0 * 4; break;
    case OCCAM_INFO_ITER: *value = (double)pi->iter; break;
    case OCCAM_INFO_CONVERGED: *value = pi->converged; break;
    case OCCAM_INFO_GRAD_NORM: *value = pi->grad_norm; break;
    default: *value = (double)pi->nobs; break;
    }
    return OCCAM_OK;
}

static int pnbd_read_vt(occam_model *m, const occam_reader *r)
{
    if (m->impl == NULL) {
        m->impl = calloc(1, sizeof(occam_pnbd_impl));
        if (m->impl == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory reading a Pareto/NBD model");
    }
    return occam__pnbd_read(m, r);
}

const occam_vtable occam__pnbd_vtable = {
    OCCAM_MODEL_PNBD, "pnbd", pnbd_fit, occam__pnbd_predict, pnbd_info, NULL, occam__pnbd_write, pnbd_read_vt,
    pnbd_free};
