/*
 * glm_results.c -- inference after the IRLS passes, from their sums
 * (glm_pass.c), as R's glm() and summary.glm() (R 4.2.2) compute it:
 *  - coefficients with NA (NaN) for aliased columns;
 *  - dispersion: 1 for binomial and poisson, otherwise
 *    sum(wt * r_working^2)[wt > 0] / df.residual with the working weights of
 *    the last solve (stale by one iteration, as R);
 *  - vcov = dispersion * cov.unscaled from the last solve; z or t tests;
 *  - df.residual = n.ok - rank, df.null = n.ok - intercept;
 *  - null deviance at the weighted mean (intercept), at linkinv(offset) (no
 *    intercept), or by a second IRLS of the intercept-only model with the
 *    offset (intercept and offset, as glm() does; the passes of
 *    glm_stream.c);
 *  - AIC = family$aic + 2 rank, logLik = rank (+1 for a dispersion) - AIC/2;
 *  - the warnings of glm() (glm.fit's, the null-deviance refit's) and
 *    summary.glm's zero-weight note as condition bits;
 *  - per-row residuals (residuals.glm).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glm_internal.h"

void occam__glm_fit_free(occam_glm_fit *f)
{
    free(f->y);
    free(f->prior);
    free(f->eta);
    free(f->wt);
    memset(f, 0, sizeof *f);
}

/* summary.glm's dispersion and the Pearson chi-squared. */
static void dispersion(const occam_glm_setup *su, const occam_glm_sums *s, occam_glm_fit *f)
{
    f->pearson_chi2 = s->pearson;
    if (occam__glm_dispersion_fixed(su->family)) {
        f->est_disp = 0;
        f->dispersion = 1.0;
    } else {
        f->est_disp = 1;
        f->dispersion = f->df_residual > 0 ? s->swr2 / f->df_residual : NAN;
    }
}

/* The condition bits of a fit (t->conditions: those found before). */
static int conditions_of(const occam_glm_setup *su, const occam_glm_totals *t, const occam_glm_fit *f)
{
    const occam_glm_sums *s = t->summary;
    int c = t->conditions;
    if (!t->converged) c |= OCCAM_COND_NOT_CONVERGED;
    if (t->boundary && su->k > 0) c |= OCCAM_COND_BOUNDARY;
    if (su->family == OCCAM_FAMILY_BINOMIAL && s->mu01) c |= OCCAM_COND_FITTED_01;
    if (su->family == OCCAM_FAMILY_POISSON && s->mu0) c |= OCCAM_COND_FITTED_ZERO;
    if (t->last->rank < su->k) c |= OCCAM_COND_RANK_DEFICIENT;
    /* summary.glm's note: the dispersion is estimated (df.residual > 0) and
     * some working weight is 0, so those rows do not count in it */
    if (f->est_disp && f->df_residual > 0 && s->zero_wt) c |= OCCAM_COND_ZERO_WEIGHTS;
    return c;
}

static int coef_table(const occam_glm_setup *su, const occam_glm_totals *t, const occam_glm_fit *f, occam_coefs *c)
{
    int64_t k = su->k;
    int rc = occam__coefs_alloc(c, k, t->last->aliased);
    if (rc != OCCAM_OK) return rc;
    int64_t nk = c->nkept;
    for (int64_t j = 0; j < nk * nk; j++) c->vcov[j] = f->dispersion * t->last->cov_unscaled[j];
    for (int64_t j = 0, a = 0; j < k; j++) {
        c->est[j] = c->aliased[j] ? NAN : t->coef[j];
        if (!c->aliased[j]) c->se[j] = sqrt(c->vcov[a + a * nk]), a++;
    }
    occam__coefs_tests(c, f->est_disp ? f->df_residual : INFINITY);
    if (f->est_disp && !(f->df_residual > 0)) /* summary.glm: NaN columns when df.residual = 0 */
        for (int64_t j = 0; j < k; j++) c->se[j] = c->stat[j] = c->pval[j] = NAN;
    return OCCAM_OK;
}

int occam__glm_results(const occam_glm_setup *su, const occam_glm_totals *t, occam_glm_fit *fit, occam_coefs *coefs,
                       int *conditions)
{
    memset(fit, 0, sizeof *fit);
    memset(coefs, 0, sizeof *coefs);
    fit->nobs = t->nobs;
    fit->rank = t->last->rank;
    fit->df_residual = (double)(t->nobs - fit->rank);
    fit->df_null = (double)(t->nobs - su->intercept);
    fit->deviance = t->deviance;
    fit->null_deviance = t->null_deviance;
    fit->iter = t->iter;
    fit->converged = t->converged;
    fit->boundary = t->boundary;
    dispersion(su, t->summary, fit);
    if (occam__glm_is_quasi(su->family)) {
        fit->aic = fit->loglik = NAN;
    } else {
        double rows = su->family == OCCAM_FAMILY_GAMMA ? t->gamma_aic : t->summary->aic;
        fit->aic = occam__glm_aic_total(su->family, t->n, t->deviance, t->sum_w, t->sum_logw, t->sum_wlogy, rows) +
                   2.0 * (double)fit->rank;
        fit->loglik = (double)(fit->rank + occam__glm_loglik_extra_df(su->family)) - fit->aic / 2;
    }
    int rc = coef_table(su, t, fit, coefs);
    if (rc != OCCAM_OK) {
        occam__glm_fit_free(fit);
        occam__coefs_free(coefs);
        return rc;
    }
    *conditions = conditions_of(su, t, fit);
    return OCCAM_OK;
}

int occam__glm_rows(const occam_glm_fit *f, int family, int link, int which, double *out)
{
    for (int64_t i = 0; i < f->n; i++) {
        double y = f->y[i], mu = occam__glm_linkinv(link, f->eta[i]), res = y - mu;
        double prior = f->prior ? f->prior[i] : 1.0;
        switch (which) {
        case OCCAM_ROWS_FITTED: out[i] = mu; break;
        case OCCAM_ROWS_LINEAR_PREDICTOR: out[i] = f->eta[i]; break;
        case OCCAM_ROWS_RESID_RESPONSE: out[i] = res; break;
        case OCCAM_ROWS_RESID_WORKING: out[i] = res / occam__glm_mu_eta(link, f->eta[i]); break;
        case OCCAM_ROWS_RESID_PEARSON:
            out[i] = res * sqrt(prior) / sqrt(occam__glm_variance(family, mu));
            break;
        case OCCAM_ROWS_RESID_DEVIANCE: {
            double d = sqrt(fmax(occam__glm_dev_resid(family, y, mu, prior), 0.0));
            out[i] = y > mu ? d : -d;
            break;
        }
        case OCCAM_ROWS_WORKING_WEIGHTS: out[i] = f->wt[i]; break;
        case OCCAM_ROWS_PRIOR_WEIGHTS: out[i] = prior; break;
        default: return occam__fail(OCCAM_E_UNKNOWN_ENUM, "unknown per-row result %d", which);
        }
    }
    return OCCAM_OK;
}

void occam__glm_conditions_text(int conditions, char *buf, size_t cap)
{
    /* R's texts, in the order R gives them: the iterations' step-halving,
     * glm.fit's warnings after the loop, occam's aliasing note, the
     * family's, summary.glm's */
    static const struct {
        int bit;
        const char *text;
    } table[] = {
        {OCCAM_COND_STEP_DIVERGENCE, "step size truncated due to divergence"},
        {OCCAM_COND_STEP_OUT_OF_BOUNDS, "step size truncated: out of bounds"},
        {OCCAM_COND_NOT_CONVERGED, "glm.fit: algorithm did not converge"},
        {OCCAM_COND_BOUNDARY, "glm.fit: algorithm stopped at boundary value"},
        {OCCAM_COND_FITTED_01, "glm.fit: fitted probabilities numerically 0 or 1 occurred"},
        {OCCAM_COND_FITTED_ZERO, "glm.fit: fitted rates numerically 0 occurred"},
        {OCCAM_COND_RANK_DEFICIENT, "glm.fit: rank-deficient fit: some coefficients are aliased (NA)"},
        {OCCAM_COND_NON_INTEGER,
         "glm.fit: non-integer #successes in a binomial glm, or non-integer counts in a poisson glm"},
        {OCCAM_COND_ZERO_WEIGHTS, "observations with zero weight not used for calculating dispersion"},
    };
    size_t len = 0;
    if (cap == 0) return;
    buf[0] = '\0';
    for (size_t b = 0; b < sizeof table / sizeof table[0]; b++) {
        if (!(conditions & table[b].bit)) continue;
        int w = snprintf(buf + len, cap - len, "%s%s", len ? "; " : "", table[b].text);
        if (w < 0 || (size_t)w >= cap - len) return;
        len += (size_t)w;
    }
}
