/*
 * gg.h -- private parts of the Gamma-Gamma spend model (Colombo and Jiang
 * 1999; Fader, Hardie and Lee 2005, "RFM and CLV: Using Iso-Value Curves",
 * JMR; Fader and Hardie, "The Gamma-Gamma Model of Monetary Value", 2013).
 *
 * A customer's transaction values are Gamma(p, rate nu), nu ~ Gamma(q, rate
 * gamma); a customer with x > 0 repeat transactions of mean value m_x has
 * the density of m_x (no constant dropped, as lifetimes, CLVTools gg_LL and
 * BTYD spend.LL):
 *   log f(m_x | x) = lnG(px + q) - lnG(px) - lnG(q) + q ln gamma
 *                    + (px - 1) ln m_x + px ln x - (px + q) ln(gamma + m_x x)
 * and conditional expected average value E[M | x, m_x] = p (gamma + m_x x)
 * / (p x + q - 1).
 */
#ifndef OCCAM_GG_H
#define OCCAM_GG_H

#include "internal.h"

/* The kind's state (m->impl). */
typedef struct occam_gg_impl {
    int has_fit;      /* 0: parameters given (occam_gg_set_params), 1: fitted */
    double loglik;    /* at the MLE */
    double grad_norm; /* max |d mean loglik / d log theta| at the end */
    double corr;      /* Pearson correlation of x and m_x over the fitted customers */
    int64_t iter, nobs;
    int converged;
} occam_gg_impl;

/* The customers of a fit: x > 0, m_x > 0, weights (counts). */
typedef struct occam_gg_data {
    int64_t n;
    double *x, *m, *w;
    double nobs; /* sum of weights */
} occam_gg_data;

/* Total log-likelihood at theta = (p, q, gamma); grad (3, may be NULL) and
 * hess (3 x 3 row-major, may be NULL) of it in theta.  NaN for a theta
 * outside (0, Inf)^3. */
double occam__gg_loglik(const occam_gg_data *d, const double theta[3], double *grad, double *hess);

/* The MLE (gg_fit.c): Newton on log theta with a Levenberg-Marquardt shift
 * and backtracking, from a start found on a small grid; converged when the
 * max |gradient of the mean log-likelihood over log theta| < grad_tol.
 * vcov = inverse of -Hessian in theta at the MLE. */
typedef struct occam_gg_fit_result {
    double theta[3], se[3], vcov[9], loglik, grad_norm;
    int64_t iter;
    int converged;
} occam_gg_fit_result;
int occam__gg_mle(const occam_gg_data *d, const occam_opts *opts, occam_gg_fit_result *res);

/* gg_io.c: the kind's model-file fields. */
int occam__gg_write(const occam_model *m, occam_writer *w);
int occam__gg_read(occam_model *m, const occam_reader *r);

#endif /* OCCAM_GG_H */
