/*
 * glm_results.c -- inference after the IRLS loop, as R's glm() and
 * summary.glm() (R 4.2.2) compute it:
 *  - coefficients with NA (NaN) for aliased columns;
 *  - dispersion: 1 for binomial and poisson, otherwise
 *    sum(wt * r_working^2)[wt > 0] / df.residual with the working weights of
 *    the last solve (stale by one iteration, as R);
 *  - vcov = dispersion * cov.unscaled from the last solve; z or t tests;
 *  - df.residual = n.ok - rank, df.null = n.ok - intercept;
 *  - null deviance at the weighted mean (intercept), at linkinv(offset) (no
 *    intercept), or by a second IRLS of the intercept-only model with the
 *    offset (intercept and offset, as glm() does);
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
    free(f->mu);
    free(f->wt);
    memset(f, 0, sizeof *f);
}

/* Null deviance (glm.fit's wtdmu, or glm()'s intercept-only refit, whose
 * warnings R gives too: its conditions, non-convergence and step-halving,
 * go into *refit_conditions). */
static int null_deviance(const occam_glm_problem *pb, const occam_glm_control *ctl, const double *mu,
                         double *nulldev, int *refit_conditions)
{
    *refit_conditions = 0;
    if (pb->intercept && pb->offset != NULL) {
        occam_matrix X0 = *pb->X;
        X0.p = 0;
        occam_glm_problem p0 = *pb;
        p0.X = &X0;
        p0.k = 1;
        occam_glm_irls r0;
        int rc = occam__glm_irls_run(&p0, ctl, NULL, mu, &r0);
        if (rc != OCCAM_OK) return rc;
        *nulldev = r0.deviance;
        *refit_conditions = r0.step_conditions | (r0.converged ? 0 : OCCAM_COND_NOT_CONVERGED);
        occam__glm_irls_free(&r0);
        return OCCAM_OK;
    }
    double wtdmu = 0.0;
    if (pb->intercept) {
        double swy = 0.0, sw = 0.0;
        for (int64_t i = 0; i < pb->n; i++) {
            swy += pb->prior[i] * pb->y[i];
            sw += pb->prior[i];
        }
        wtdmu = swy / sw;
    }
    double d = 0.0;
    for (int64_t i = 0; i < pb->n; i++) {
        double m0 = pb->intercept ? wtdmu : occam__glm_linkinv(pb->link, pb->offset ? pb->offset[i] : 0.0);
        d += occam__glm_dev_resid(pb->family, pb->y[i], m0, pb->prior[i]);
    }
    *nulldev = d;
    return OCCAM_OK;
}

/* summary.glm's dispersion and the Pearson chi-squared. */
static void dispersion(const occam_glm_problem *pb, const occam_glm_irls *r, occam_glm_fit *f)
{
    double pearson = 0.0, swr2 = 0.0;
    int fixed = occam__glm_dispersion_fixed(pb->family);
    for (int64_t i = 0; i < pb->n; i++) {
        double res = pb->y[i] - r->mu[i];
        pearson += (res * res) * pb->prior[i] / occam__glm_variance(pb->family, r->mu[i]); /* squared Pearson residual */
        if (!fixed && r->wt[i] > 0) { /* the working residuals are only needed for an estimated dispersion */
            double rw = res / occam__glm_mu_eta(pb->link, r->eta[i]);
            swr2 += r->wt[i] * (rw * rw);
        }
    }
    f->pearson_chi2 = pearson;
    if (fixed) {
        f->est_disp = 0;
        f->dispersion = 1.0;
    } else {
        f->est_disp = 1;
        f->dispersion = f->df_residual > 0 ? swr2 / f->df_residual : NAN;
    }
}

/* summary.glm's note: the dispersion is estimated (df.residual > 0) and
 * some working weight is 0, so those rows do not count in it. */
static int zero_weights(const occam_glm_problem *pb, const occam_glm_irls *r, const occam_glm_fit *f)
{
    if (!f->est_disp || !(f->df_residual > 0)) return 0;
    for (int64_t i = 0; i < pb->n; i++)
        if (r->wt[i] == 0.0) return 1;
    return 0;
}

/* The condition bits of a fit; `more` holds those found before (the
 * non-integer check, the null-deviance refit's). */
static int conditions_of(const occam_glm_problem *pb, const occam_glm_irls *r, const occam_glm_fit *f, int more)
{
    int c = more | r->step_conditions;
    if (!r->converged) c |= OCCAM_COND_NOT_CONVERGED;
    if (r->boundary && pb->k > 0) c |= OCCAM_COND_BOUNDARY;
    double eps = 10 * DBL_EPSILON;
    if (pb->family == OCCAM_FAMILY_BINOMIAL) {
        for (int64_t i = 0; i < pb->n; i++)
            if (r->mu[i] > 1 - eps || r->mu[i] < eps) {
                c |= OCCAM_COND_FITTED_01;
                break;
            }
    }
    if (pb->family == OCCAM_FAMILY_POISSON) {
        for (int64_t i = 0; i < pb->n; i++)
            if (r->mu[i] < eps) {
                c |= OCCAM_COND_FITTED_ZERO;
                break;
            }
    }
    if (r->last.rank < pb->k) c |= OCCAM_COND_RANK_DEFICIENT;
    if (zero_weights(pb, r, f)) c |= OCCAM_COND_ZERO_WEIGHTS;
    return c;
}

static int coef_table(const occam_glm_problem *pb, const occam_glm_irls *r, const occam_glm_fit *f,
                      occam_coefs *c)
{
    int64_t k = pb->k;
    int rc = occam__coefs_alloc(c, k, r->last.aliased);
    if (rc != OCCAM_OK) return rc;
    int64_t nk = c->nkept;
    for (int64_t j = 0; j < nk * nk; j++) c->vcov[j] = f->dispersion * r->last.cov_unscaled[j];
    for (int64_t j = 0, a = 0; j < k; j++) {
        c->est[j] = c->aliased[j] ? NAN : r->coef[j];
        if (!c->aliased[j]) c->se[j] = sqrt(c->vcov[a + a * nk]), a++;
    }
    occam__coefs_tests(c, f->est_disp ? f->df_residual : INFINITY);
    if (f->est_disp && !(f->df_residual > 0)) /* summary.glm: NaN columns when df.residual = 0 */
        for (int64_t j = 0; j < k; j++) c->se[j] = c->stat[j] = c->pval[j] = NAN;
    return OCCAM_OK;
}

int occam__glm_results(const occam_glm_problem *pb, const occam_glm_control *ctl, occam_glm_irls *irls,
                       int non_integer, double **y, double **prior, occam_glm_fit *fit, occam_coefs *coefs,
                       int *conditions)
{
    memset(fit, 0, sizeof *fit);
    memset(coefs, 0, sizeof *coefs);
    fit->n = pb->n;

    int64_t nok = 0;
    for (int64_t i = 0; i < pb->n; i++) nok += pb->prior[i] != 0.0;
    fit->nobs = nok;
    fit->rank = irls->last.rank;
    fit->df_residual = (double)(nok - fit->rank);
    fit->df_null = (double)(nok - pb->intercept);
    fit->deviance = irls->deviance;
    fit->iter = irls->iter;
    fit->converged = irls->converged;
    fit->boundary = irls->boundary;
    dispersion(pb, irls, fit);

    int more = non_integer ? OCCAM_COND_NON_INTEGER : 0, refit = 0;
    int rc = null_deviance(pb, ctl, irls->mu, &fit->null_deviance, &refit);
    if (rc == OCCAM_OK) {
        if (occam__glm_is_quasi(pb->family)) {
            fit->aic = fit->loglik = NAN;
        } else {
            fit->aic = occam__glm_aic(pb->family, pb->y, irls->mu, pb->prior, pb->n, irls->deviance) +
                       2.0 * (double)fit->rank;
            fit->loglik = (double)(fit->rank + occam__glm_loglik_extra_df(pb->family)) - fit->aic / 2;
        }
        rc = coef_table(pb, irls, fit, coefs);
    }
    if (rc != OCCAM_OK) {
        occam__glm_fit_free(fit);
        occam__coefs_free(coefs);
        return rc;
    }
    *conditions = conditions_of(pb, irls, fit, more | refit);
    fit->y = *y;
    fit->prior = *prior;
    *y = *prior = NULL;
    fit->eta = irls->eta;
    fit->mu = irls->mu;
    fit->wt = irls->wt;
    irls->eta = irls->mu = irls->wt = NULL;
    return OCCAM_OK;
}

int occam__glm_rows(const occam_glm_fit *f, int family, int link, int which, double *out)
{
    for (int64_t i = 0; i < f->n; i++) {
        double y = f->y[i], mu = f->mu[i], res = y - mu;
        switch (which) {
        case OCCAM_ROWS_FITTED: out[i] = mu; break;
        case OCCAM_ROWS_LINEAR_PREDICTOR: out[i] = f->eta[i]; break;
        case OCCAM_ROWS_RESID_RESPONSE: out[i] = res; break;
        case OCCAM_ROWS_RESID_WORKING: out[i] = res / occam__glm_mu_eta(link, f->eta[i]); break;
        case OCCAM_ROWS_RESID_PEARSON:
            out[i] = res * sqrt(f->prior[i]) / sqrt(occam__glm_variance(family, mu));
            break;
        case OCCAM_ROWS_RESID_DEVIANCE: {
            double d = sqrt(fmax(occam__glm_dev_resid(family, y, mu, f->prior[i]), 0.0));
            out[i] = y > mu ? d : -d;
            break;
        }
        case OCCAM_ROWS_WORKING_WEIGHTS: out[i] = f->wt[i]; break;
        case OCCAM_ROWS_PRIOR_WEIGHTS: out[i] = f->prior[i]; break;
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
