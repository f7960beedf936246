/*
 * gg.c -- the Gamma-Gamma spend model kind on the common interface (gg.h):
 * constructor, parameters given by hand, the fit entry point (input checks,
 * then the MLE of gg_fit.c), the prediction of the conditional expected
 * average transaction value, info keys and the vtable.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gg.h"
#include "serialize.h"

static void gg_free(void *p) { free(p); }

static const char *const gg_default_names[2] = {"x", "m_x"};

int occam_gg_new(occam_model **out)
{
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_gg_new: out is NULL");
    *out = NULL;
    occam_gg_impl *gi = calloc(1, sizeof *gi);
    if (gi == NULL) return occam__fail(OCCAM_E_NOMEM, "occam_gg_new: out of memory");
    occam_model *m = NULL;
    int rc = occam__model_new(&occam__gg_vtable, gi, &m);
    if (rc != OCCAM_OK) return rc;
    if ((rc = occam_model_set_names(m, gg_default_names, 2)) != OCCAM_OK) {
        occam_model_free(m);
        return rc;
    }
    m->p = 2;
    *out = m;
    return OCCAM_OK;
}

static int gg_install(occam_model *m, const double theta[3], const double *se, const double *vcov3,
                      const occam_gg_impl *info)
{
    occam_coefs c = {0};
    int rc = occam__coefs_alloc(&c, 3, NULL);
    if (rc != OCCAM_OK) return rc;
    for (int k = 0; k < 3; k++) {
        c.est[k] = theta[k];
        if (se) c.se[k] = se[k];
    }
    if (vcov3) memcpy(c.vcov, vcov3, 9 * sizeof(double));
    if (se) occam__coefs_tests(&c, INFINITY);
    occam__coefs_free(&m->coefs);
    m->coefs = c;
    *(occam_gg_impl *)m->impl = *info;
    m->fitted = 1;
    m->p = 2;
    m->intercept = 0;
    return OCCAM_OK;
}

int occam_gg_set_params(occam_model *m, double p, double q, double gamma)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "occam_gg_set_params: model is NULL");
    if (m->vt->kind != OCCAM_MODEL_GG)
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_gg_set_params: the model is a %s model", m->vt->name);
    const double th[3] = {p, q, gamma};
    static const char *const nm[3] = {"p", "q", "gamma"};
    for (int k = 0; k < 3; k++) {
        if (!isfinite(th[k])) return occam__fail(OCCAM_E_NONFINITE, "occam_gg_set_params: %s = %g is not finite", nm[k], th[k]);
        if (!(th[k] > 0)) return occam__fail(OCCAM_E_DOMAIN, "occam_gg_set_params: %s = %g must be > 0", nm[k], th[k]);
    }
    occam_gg_impl info = {0};
    info.loglik = info.grad_norm = info.corr = NAN;
    int rc = gg_install(m, th, NULL, NULL, &info);
    if (rc == OCCAM_OK) m->conditions = 0, m->nrows = 0;
    return rc;
}

/* Row i's (x, m_x): x an integer >= 0, m_x >= 0, m_x > 0 when x > 0. */
static int check_row(double x, double mx, int64_t i)
{
    if (!(x >= 0) || x != floor(x))
        return occam__fail(OCCAM_E_DOMAIN, "row %lld: x = %g must be an integer >= 0", (long long)i + 1, x);
    if (!(mx >= 0)) return occam__fail(OCCAM_E_DOMAIN, "row %lld: m_x = %g is negative", (long long)i + 1, mx);
    if (x > 0 && !(mx > 0))
        return occam__fail(OCCAM_E_DOMAIN, "row %lld: m_x = 0 with x = %g repeat transactions (their mean value must be > 0)",
                           (long long)i + 1, x);
    return OCCAM_OK;
}

/* The customers with x > 0 (and weight > 0); the correlation of x and m_x. */
static int gg_data(const occam_matrix *X, const double *w, occam_gg_data *d, double *corr)
{
    memset(d, 0, sizeof *d);
    d->x = malloc((size_t)(X->n > 0 ? X->n : 1) * sizeof(double));
    d->m = malloc((size_t)(X->n > 0 ? X->n : 1) * sizeof(double));
    d->w = w ? malloc((size_t)(X->n > 0 ? X->n : 1) * sizeof(double)) : NULL;
    if (!d->x || !d->m || (w && !d->w)) return occam__fail(OCCAM_E_NOMEM, "Gamma-Gamma fit: out of memory");
    double sw = 0, sx = 0, sm = 0, sxx = 0, smm = 0, sxm = 0;
    for (int64_t i = 0; i < X->n; i++) {
        double x = occam__mat_at(X, i, 0), mx = occam__mat_at(X, i, 1), wi = w ? w[i] : 1.0;
        int rc = check_row(x, mx, i);
        if (rc != OCCAM_OK) return rc;
        if (x == 0 || !(wi > 0)) continue; /* no repeat transaction: no spend information */
        d->x[d->n] = x, d->m[d->n] = mx;
        if (d->w) d->w[d->n] = wi;
        d->n++;
        sw += wi, sx += wi * x, sm += wi * mx;
    }
    d->nobs = sw;
    if (d->n < 2) return occam__fail(OCCAM_E_NO_DATA, "Gamma-Gamma fit: %lld customers with x > 0, need at least 2", (long long)d->n);
    double mx_ = sx / sw, mm_ = sm / sw;
    for (int64_t i = 0; i < d->n; i++) {
        double wi = d->w ? d->w[i] : 1.0, a = d->x[i] - mx_, b = d->m[i] - mm_;
        sxx += wi * a * a, smm += wi * b * b, sxm += wi * a * b;
    }
    *corr = sxm / sqrt(sxx * smm);
    return OCCAM_OK;
}

static void gg_data_free(occam_gg_data *d)
{
    free(d->x);
    free(d->m);
    free(d->w);
}

static int gg_fit(occam_model *m, const occam_opts *opts, const occam_matrix *X, const double *y, const double *w,
                  const double *offset)
{
    if (y != NULL || offset != NULL)
        return occam__fail(OCCAM_E_INVALID_ARG, "Gamma-Gamma fit: %s must be NULL (the data are the n x 2 (x, m_x) in X)",
                           y != NULL ? "y" : "offset");
    if (X->p != 2)
        return occam__fail(OCCAM_E_DIM_MISMATCH, "Gamma-Gamma fit: X has %lld columns, need 2 (x, m_x)", (long long)X->p);
    occam_gg_data d;
    double corr = NAN;
    int rc = gg_data(X, w, &d, &corr);
    occam_gg_fit_result res;
    if (rc == OCCAM_OK) rc = occam__gg_mle(&d, opts, &res);
    if (rc < 0) {
        gg_data_free(&d);
        return rc;
    }
    occam_gg_impl info = {1, res.loglik, res.grad_norm, corr, res.iter, (int64_t)d.nobs, res.converged};
    gg_data_free(&d);
    int irc = gg_install(m, res.theta, res.se, res.vcov, &info);
    if (irc != OCCAM_OK) return irc;
    m->nrows = X->n;
    m->conditions = res.converged ? 0 : OCCAM_COND_NOT_CONVERGED;
    if (!res.converged)
        return occam__fail(OCCAM_W_NOT_CONVERGED, "Gamma-Gamma fit: %lld iterations without the gradient reaching the "
                                                  "tolerance (max |gradient| = %.3g)",
                           (long long)res.iter, res.grad_norm);
    return OCCAM_OK;
}

static int gg_predict(const occam_model *m, int type, double horizon, const occam_matrix *X, const double *offset,
                      double *out, double *se)
{
    (void)horizon;
    if (se != NULL) return occam__fail(OCCAM_E_WRONG_MODEL, "occam_model_predict: no standard errors for Gamma-Gamma predictions");
    if (offset != NULL) return occam__fail(OCCAM_E_INVALID_ARG, "occam_model_predict: a Gamma-Gamma model takes no offset");
    if (type != OCCAM_PREDICT_SPEND && type != OCCAM_PREDICT_LOGLIK)
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_model_predict: type %d is not a Gamma-Gamma prediction", type);
    for (int64_t i = 0; type == OCCAM_PREDICT_LOGLIK && i < X->n; i++)
        if (!(occam__mat_at(X, i, 0) > 0))
            return occam__fail(OCCAM_E_DOMAIN, "row %lld: the density of m_x needs x > 0 repeat transactions",
                               (long long)i + 1);
    for (int64_t i = 0; i < X->n; i++) {
        int rc = check_row(occam__mat_at(X, i, 0), occam__mat_at(X, i, 1), i);
        if (rc != OCCAM_OK) return rc;
    }
    double p = m->coefs.est[0], q = m->coefs.est[1], g = m->coefs.est[2];
    if (type == OCCAM_PREDICT_LOGLIK) {
        for (int64_t i = 0; i < X->n; i++) {
            occam_gg_data one = {1, NULL, NULL, NULL, 1};
            double x = occam__mat_at(X, i, 0), mx = occam__mat_at(X, i, 1);
            one.x = &x, one.m = &mx;
            out[i] = occam__gg_loglik(&one, m->coefs.est, NULL, NULL);
        }
        return OCCAM_OK;
    }
    for (int64_t i = 0; i < X->n; i++) {
        double x = occam__mat_at(X, i, 0), mx = occam__mat_at(X, i, 1), den = p * x + q - 1;
        out[i] = den > 0 ? p * (g + mx * x) / den : INFINITY; /* the mean is infinite for px + q <= 1 */
    }
    return OCCAM_OK;
}

static int gg_info(const occam_model *m, int key, double *value)
{
    const occam_gg_impl *gi = m->impl;
    if (key == OCCAM_INFO_T_STATISTIC) { /* maximum likelihood: Wald z tests */
        *value = 0;
        return OCCAM_OK;
    }
    int fit_key = key == OCCAM_INFO_LOGLIK || key == OCCAM_INFO_ITER || key == OCCAM_INFO_CONVERGED ||
                  key == OCCAM_INFO_GRAD_NORM || key == OCCAM_INFO_NOBS || key == OCCAM_INFO_AIC ||
                  key == OCCAM_INFO_CORRELATION;
    if (!fit_key) return occam__fail(OCCAM_E_WRONG_MODEL, "occam_model_info: key %d is not defined for a Gamma-Gamma model", key);
    if (!gi->has_fit)
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_model_info: the Gamma-Gamma parameters were given, not fitted (key %d)", key);
    switch (key) {
    case OCCAM_INFO_LOGLIK: *value = gi->loglik; break;
    case OCCAM_INFO_AIC: *value = -2.0 * gi->loglik + 2.0 * 3; break;
    case OCCAM_INFO_ITER: *value = (double)gi->iter; break;
    case OCCAM_INFO_CONVERGED: *value = gi->converged; break;
    case OCCAM_INFO_GRAD_NORM: *value = gi->grad_norm; break;
    case OCCAM_INFO_CORRELATION: *value = gi->corr; break;
    default: *value = (double)gi->nobs; break;
    }
    return OCCAM_OK;
}

static int gg_read_vt(occam_model *m, const occam_reader *r)
{
    if (m->impl == NULL && (m->impl = calloc(1, sizeof(occam_gg_impl))) == NULL)
        return occam__fail(OCCAM_E_NOMEM, "out of memory reading a Gamma-Gamma model");
    return occam__gg_read(m, r);
}

const occam_vtable occam__gg_vtable = {OCCAM_MODEL_GG, "gg", gg_fit, gg_predict, gg_info, NULL, occam__gg_write,
                                      gg_read_vt, gg_free};
