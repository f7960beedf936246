/*
 * linear_internal.h -- private declarations shared by the linear files:
 *   linear.c          the model kind: hand-coded coefficients, the least-squares
 *                     fit (lm.fit/lm.wfit), prediction, results, serialization
 *   linear_summary.c  summary.lm's statistics, coefficient table and warnings
 */
#ifndef OCCAM_LINEAR_INTERNAL_H
#define OCCAM_LINEAR_INTERNAL_H

#include "internal.h"

/* Scalar results, in the order they are serialized. */
enum {
    S_NOBS, S_RANK, S_DF_RESIDUAL, S_DF_NULL, S_RSS, S_NULL_RSS, S_SIGMA, S_R2, S_ADJ_R2, S_FSTAT, S_F_NUMDF,
    S_F_DENDF, S_F_P, S_LOGLIK, S_AIC, NSTATS
};

/* The linear kind's state (m->impl). */
typedef struct linear_impl {
    int hand_coded;
    double stats[NSTATS];
    /* per-row results of an in-memory fit (NULL after hand-coding or loading):
     * the response, prior weights (NULL = 1) and residuals y - offset - X b;
     * the fitted values are y - resid, as lm.fit's */
    double *y, *w, *resid;
} linear_impl;

/* summary.lm's statistics of a fit with `rank` coefficients from li->y,
 * li->w, li->resid (n rows) and the offset (NULL = 0) into li->stats.  Sums
 * of squares are accumulated scaled, so sigma, R^2, F and the
 * log-likelihood stay finite when the residual sum of squares itself
 * exceeds the double range (it is then stored as Inf).  Returns the
 * condition bits OCCAM_COND_PERFECT_FIT (R's rule, see the function) and
 * OCCAM_COND_OVERFLOW (RSS or null RSS Inf). */
int occam__linear_summary(linear_impl *li, int intercept, int64_t n, const double *offset, int64_t rank);

/* The coefficient table from the solve and sigma: se = sigma sqrt(diag
 * (R'R)^-1), vcov = sigma^2 (R'R)^-1, t tests on df.  Returns
 * OCCAM_COND_OVERFLOW in *conditions when a standard error or a covariance
 * exceeds the double range.  OCCAM_E_NOMEM. */
int occam__linear_coef_table(const occam_lsq_result *res, double sigma, double df, occam_coefs *c, int *conditions);

#endif /* OCCAM_LINEAR_INTERNAL_H */
