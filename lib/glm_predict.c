/*
 * glm_predict.c -- prediction from a fitted GLM, as R's predict.glm
 * (R 4.2.2) with newdata:
 *   link:     eta = offset + X b (aliased coefficients contribute nothing,
 *             as predict.lm uses only the pivoted, estimable columns);
 *   response: mu = linkinv(eta).
 * With se.fit = TRUE: se(eta) = sqrt(x' V x) with V = vcov() = dispersion *
 * cov.unscaled over the non-aliased coefficients (predict.lm's
 * XRinv^2 %*% res.var), and se(mu) = |mu.eta(eta)| se(eta).
 *
 * Deterministic: plain loops in a fixed order over the stored coefficients
 * and covariance, so a model and its deserialized copy predict bit-identically.
 */
#include <math.h>
#include <stdlib.h>

#include "glm_internal.h"

/* sqrt(x' V x) for row i, over the non-aliased coefficients. */
static double se_link(const occam_model *m, const occam_matrix *X, int64_t i, double *x)
{
    int64_t icpt = m->intercept;
    if (icpt) x[0] = 1.0;
    for (int64_t j = 0; j < X->p; j++) x[j + icpt] = occam__mat_at(X, i, j);
    double q = occam__coefs_xvx(&m->coefs, x);
    if (isnan(q)) return q;
    return sqrt(q > 0 ? q : 0.0);
}

int occam__glm_predict(const occam_model *m, int type, double horizon, const occam_matrix *X,
                       const double *offset, double *out, double *se)
{
    (void)horizon;
    const occam_glm_impl *g = m->impl;
    if (type != OCCAM_PREDICT_LINK && type != OCCAM_PREDICT_RESPONSE)
        return occam__fail(OCCAM_E_WRONG_MODEL, "a GLM predicts type link or response, not %d", type);
    int64_t k = m->coefs.k;
    double *b = malloc((size_t)(k > 0 ? k : 1) * sizeof(double));
    double *x = se ? malloc((size_t)(k > 0 ? k : 1) * sizeof(double)) : NULL;
    if (b == NULL || (se && x == NULL)) {
        free(b);
        free(x);
        return occam__fail(OCCAM_E_NOMEM, "out of memory in GLM predict");
    }
    for (int64_t j = 0; j < k; j++) b[j] = m->coefs.aliased[j] ? 0.0 : m->coefs.est[j];
    /* the fit's own per-row arithmetic (its last pass): predict on the training rows
     * gives the fit's eta bit for bit, as R's predict(fit) gives fit$linear.predictors */
    occam__linear_predictor_exact(X, m->intercept, b, offset, 0, X->n, out);
    for (int64_t i = 0; i < X->n; i++) {
        double eta = out[i];
        double s = se ? se_link(m, X, i, x) : 0.0;
        if (type == OCCAM_PREDICT_RESPONSE) {
            out[i] = occam__glm_linkinv(g->link, eta);
            s *= fabs(occam__glm_mu_eta(g->link, eta));
        }
        if (se) se[i] = s;
    }
    free(b);
    free(x);
    return OCCAM_OK;
}
