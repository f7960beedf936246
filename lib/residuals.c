/*
 * residuals.c -- residuals of a fitted linear model or GLM on given rows
 * (occam_model_residuals, include/occam.h), as R's residuals.glm /
 * residuals.lm on the training data, for any rows with their y:
 *   response  y - mu
 *   working   (y - mu) / mu.eta(eta)
 *   pearson   (y - mu) sqrt(w) / sqrt(V(mu))
 *   deviance  sign(y - mu) sqrt(max(dev.resids(y, mu, w), 0))
 * with eta = offset + X b and mu = linkinv(eta) from occam_model_predict()
 * (linear models: mu = eta, V = 1, pearson = deviance = sqrt(w) (y - mu)).
 * The family's functions are glm_family.c's, R's own (a binomial row of
 * weight 0 has y = 0, as binomial()$initialize sets it).
 */
#include <math.h>
#include <stdlib.h>

#include "occam.h"
#include "internal.h"
#include "glm_family.h"

static int check(const occam_model *m, int type, const double *y, const double *w, int64_t n, const double *out,
                 int64_t out_len)
{
    const char *fn = "occam_model_residuals";
    if (m == NULL || y == NULL || out == NULL)
        return occam__fail(OCCAM_E_NULL, "%s: %s is NULL", fn, m == NULL ? "m" : y == NULL ? "y" : "out");
    int kind = occam_model_kind(m);
    if (kind != OCCAM_MODEL_LINEAR && kind != OCCAM_MODEL_GLM)
        return occam__fail(OCCAM_E_WRONG_MODEL, "%s: residuals are for linear models and GLMs", fn);
    if (type != OCCAM_ROWS_RESID_RESPONSE && type != OCCAM_ROWS_RESID_WORKING && type != OCCAM_ROWS_RESID_PEARSON &&
        type != OCCAM_ROWS_RESID_DEVIANCE)
        return occam__fail(OCCAM_E_UNKNOWN_ENUM, "%s: type %d is not a residual type (OCCAM_ROWS_RESID_*)", fn, type);
    if (n < 0) return occam__fail(OCCAM_E_INVALID_ARG, "%s: n = %lld", fn, (long long)n);
    if (out_len < n)
        return occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "%s: room for %lld values, %lld rows", fn, (long long)out_len,
                           (long long)n);
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(y[i])) return occam__fail(OCCAM_E_NONFINITE, "%s: y is not finite at row %lld", fn, (long long)i + 1);
        if (w && !(w[i] >= 0 && isfinite(w[i])))
            return occam__fail(OCCAM_E_BAD_WEIGHTS, "%s: weight %g at row %lld (must be finite and >= 0)", fn, w[i],
                               (long long)i + 1);
    }
    return OCCAM_OK;
}

static double residual(int type, int glm, int family, int link, double y, double eta, double w)
{
    if (glm) y = occam__glm_y_used(family, y, w); /* binomial: y = 0 where the weight is 0, as R's initialize */
    double mu = glm ? occam__glm_linkinv(link, eta) : eta, r = y - mu;
    switch (type) {
    case OCCAM_ROWS_RESID_RESPONSE: return r;
    case OCCAM_ROWS_RESID_WORKING: return glm ? r / occam__glm_mu_eta(link, eta) : r;
    case OCCAM_ROWS_RESID_PEARSON: return r * sqrt(w) / (glm ? sqrt(occam__glm_variance(family, mu)) : 1.0);
    default: {
        if (!glm) return r * sqrt(w);
        double d = occam__glm_dev_resid(family, y, mu, w);
        return (r > 0 ? 1.0 : r < 0 ? -1.0 : 0.0) * sqrt(d > 0 ? d : 0.0);
    }
    }
}

int occam_model_residuals(const occam_model *m, int type, const double *X, int64_t n, int64_t p, int64_t ldx,
                          int layout, const double *y, const double *weights, const double *offset, double *out,
                          int64_t out_len)
{
    int rc = check(m, type, y, weights, n, out, out_len);
    if (rc != OCCAM_OK || n == 0) return rc;
    int glm = occam_model_kind(m) == OCCAM_MODEL_GLM;
    double fam = 0, lnk = 0;
    if (glm && ((rc = occam_model_info(m, OCCAM_INFO_FAMILY, &fam)) != OCCAM_OK ||
                (rc = occam_model_info(m, OCCAM_INFO_LINK, &lnk)) != OCCAM_OK))
        return rc;
    double *eta = malloc((size_t)n * sizeof *eta);
    if (eta == NULL) return occam__fail(OCCAM_E_NOMEM, "occam_model_residuals: out of memory for %lld rows", (long long)n);
    rc = occam_model_predict(m, OCCAM_PREDICT_LINK, 0, X, n, p, ldx, layout, offset, eta, NULL, n);
    for (int64_t i = 0; rc == OCCAM_OK && i < n; i++)
        out[i] = residual(type, glm, (int)fam, (int)lnk, y[i], eta[i], weights ? weights[i] : 1.0);
    free(eta);
    return rc;
}
