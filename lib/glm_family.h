/*
 * glm_family.h -- private interface of glm_family.c: R's GLM families and
 * links as scalar functions (R 4.2.2 stats::family, make.link, and the
 * family$aic / family$initialize code), used by the IRLS driver, the
 * inference code and prediction.
 *
 * Every function mirrors the R function named in its comment, including R's
 * clamping constants (eps = DBL_EPSILON), so that fits match R's glm() to
 * rounding.
 */
#ifndef OCCAM_GLM_FAMILY_H
#define OCCAM_GLM_FAMILY_H

#include <stdint.h>

#include "internal.h"

/* OCCAM_OK when family is a known enum occam_family and link a known enum
 * occam_link valid for it (R's okLinks); *resolved = the link, with
 * OCCAM_LINK_DEFAULT replaced by the family's default.  Errors:
 * OCCAM_E_UNKNOWN_ENUM, OCCAM_E_BAD_LINK (message names the pair). */
int occam__glm_check_pair(int family, int link, int *resolved);

/* 1 for the binomial-type families (binomial, quasibinomial), else 0. */
int occam__glm_is_binomial(int family);
/* 1 for the poisson-type families (poisson, quasipoisson), else 0. */
int occam__glm_is_poisson(int family);
/* 1 when summary.glm fixes the dispersion at 1 (binomial, poisson). */
int occam__glm_dispersion_fixed(int family);
/* 1 when the family has no likelihood (quasi families: AIC is NA). */
int occam__glm_is_quasi(int family);
/* Extra parameters logLik.glm counts besides the rank (1 for gaussian,
 * Gamma, inverse.gaussian: the dispersion; 0 otherwise). */
int occam__glm_loglik_extra_df(int family);

/* Link functions (make.link). */
double occam__glm_linkfun(int link, double mu);  /* eta = g(mu) */
double occam__glm_linkinv(int link, double eta); /* mu = g^-1(eta), with R's clamping */
double occam__glm_mu_eta(int link, double eta);  /* d mu / d eta, with R's clamping */
/* 1 if eta is valid for the link (R's valideta, elementwise: finite and
 * != 0 for inverse, finite and > 0 for sqrt and 1/mu^2, always for others). */
int occam__glm_valideta(int link, double eta);

/* Family functions. */
double occam__glm_variance(int family, double mu);
/* R's validmu, elementwise: binomial 0 < mu < 1, poisson and Gamma mu > 0
 * (finite); gaussian and inverse.gaussian always. */
int occam__glm_validmu(int family, double mu);
/* R's dev.resids: the row's contribution to the deviance. */
double occam__glm_dev_resid(int family, double y, double mu, double wt);

/* Vector forms over rows 0..n-1, bit-identical to the scalar forms above
 * (R's family functions are vectorised the same way): mu = linkinv(eta),
 * out = mu.eta(eta), out = variance(mu) (out may alias the input), the sum
 * of dev.resids(y, mu, wt), and 1 when every row has valid eta (valideta)
 * and mu (validmu). */
void occam__glm_linkinv_n(int link, int64_t n, const double *eta, double *mu);
void occam__glm_mu_eta_n(int link, int64_t n, const double *eta, double *out);
void occam__glm_variance_n(int family, int64_t n, const double *mu, double *out);
double occam__glm_dev_resid_sum(int family, int64_t n, const double *y, const double *mu, const double *wt);
/* dev + the sum of dev.resids, the rows added one by one in order (a sum
 * over rows fed in chunks then has the bits of one call over all rows). */
double occam__glm_dev_resid_add(int family, int64_t n, const double *y, const double *mu, const double *wt,
                               double dev);
int occam__glm_valid_n(int family, int link, int64_t n, const double *eta, const double *mu);

/* R's family$initialize, on one row: the response as the fit stores it
 * (binomial: y = 0 where the prior weight is 0) ... */
double occam__glm_y_used(int family, double y, double wt);
/* ... and the starting mean mustart (binomial (wt y + 0.5)/(wt + 1),
 * poisson y + 0.1, others y). */
double occam__glm_mustart(int family, double y, double wt);

/* R's family$initialize checks over all n rows of y (prior weights wt, may
 * be NULL = 1): OCCAM_E_DOMAIN with R's message when y is invalid for the
 * family (binomial outside [0, 1] after zeroing weight-0 rows, poisson
 * negative, Gamma / inverse.gaussian <= 0), or for gaussian with the log
 * (inverse) link when y <= 0 (y == 0) and no start was given
 * (has_start = 0).  *non_integer is set to 1 when R would warn about
 * non-integer binomial successes (|wt*y - round(wt*y)| > 0.001) or
 * poisson counts (dpois's non-integer check); else 0. */
int occam__glm_check_y(int family, int link, const double *y, const double *wt, int64_t n, int has_start,
                       int *non_integer);
/* The same checks over rows numbered row0 + 1 .. row0 + n in messages;
 * *non_integer is only ever set to 1 (so blocks accumulate). */
int occam__glm_check_y_rows(int family, int link, const double *y, const double *wt, int64_t n, int has_start,
                            int64_t row0, int *non_integer);

/* R's family$aic(y, n, mu, wt, dev) over n rows (wt may be NULL = 1), without
 * the 2 * rank term; NaN for the quasi families.  y is the response as the
 * fit stores it (occam__glm_y_used). */
double occam__glm_aic(int family, const double *y, const double *mu, const double *wt, int64_t n, double dev);
/* Its pieces, for sums over rows fed in chunks: the binomial / poisson log
 * densities (wt prior weights, NULL = 1) and Gamma's at dispersion disp,
 * added row by row to s; and the AIC (without 2 rank) from n rows, the
 * deviance, the sums of w, log w and w log y over all rows, and the row
 * sum of the log densities.  NaN for the quasi families. */
double occam__glm_aic_rows(int family, int64_t n, const double *y, const double *mu, const double *wt, double s);
double occam__glm_aic_gamma_rows(int64_t n, const double *y, const double *mu, const double *wt, double disp, double s);
double occam__glm_aic_total(int family, int64_t n, double dev, double sum_w, double sum_logw, double sum_wlogy,
                            double rows);

/* log densities as R's dbinom/dpois/dgamma(log = TRUE) (Loader 2000 saddle
 * point forms), exposed for the tests. */
double occam__glm_ldbinom(double x, double size, double prob);
double occam__glm_ldpois(double x, double lambda);
double occam__glm_ldgamma(double x, double shape, double scale);

#endif /* OCCAM_GLM_FAMILY_H */
