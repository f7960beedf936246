/*
 * pnbd.h -- private declarations shared by the Pareto/NBD files:
 *   pnbd.c          the model kind: constructor, parameters, vtable, input checks
 *   pnbd_loglik.c   per-customer log-likelihood, P(alive), analytic gradient,
 *                   block contributions
 *   pnbd_fit.c      maximum likelihood over log-parameters
 *   pnbd_predict.c  predictions (P(alive), expectations, P(X(t) = n))
 *   pnbd_events.c   event log -> (x, t_x, T)
 *   pnbd_io.c       serialization fields (tags 300-399)
 * Notation as Fader & Hardie (2005): r, alpha (purchase rate ~ Gamma(r,
 * alpha)), s, beta (dropout rate ~ Gamma(s, beta)); customer (x, t_x, T).
 */
#ifndef OCCAM_PNBD_H
#define OCCAM_PNBD_H

#include <stdint.h>

#include "internal.h"

/* x below this uses the per-parameter table of lgamma/digamma differences. */
#define OCCAM_PNBD_XTAB 256

/* Parameters with the quantities every customer needs. */
typedef struct occam_pnbd_par {
    double r, alpha, s, beta;
    double log_alpha, log_beta;
    double lgx[OCCAM_PNBD_XTAB]; /* lgamma(r + x) - lgamma(r), x = 0..XTAB-1 */
    double dgx[OCCAM_PNBD_XTAB]; /* digamma(r + x) - digamma(r) */
} occam_pnbd_par;

/* Fill pp (parameters must be > 0 and finite). */
void occam__pnbd_par_init(occam_pnbd_par *pp, double r, double alpha, double s, double beta);

/* lgamma(r + x) - lgamma(r) and digamma(r + x) - digamma(r) (x >= 0 integer). */
void occam__pnbd_lgx(const occam_pnbd_par *pp, double x, double *lgx, double *dgx);

/* One customer's log-likelihood (Fader & Hardie 2005, eq. 22, no constant
 * dropped), log P(alive at T) (eq. 18 of the same note's appendix / Schmittlein
 * et al. 1987 eq. 11) and, when grad is not NULL, the gradient of the
 * log-likelihood with respect to (log r, log alpha, log s, log beta).
 * Inputs are assumed valid (see occam__pnbd_check_row).  Returns 0, or -1 if
 * a hypergeometric term could not be evaluated (outputs NaN). */
int occam__pnbd_row(const occam_pnbd_par *pp, double x, double tx, double T, double *ll, double *log_palive,
                    double grad[4]);

/* Validate one customer row (0-based index i for messages): finite
 * (OCCAM_E_NONFINITE), x a non-negative integer, t_x >= 0, T >= 0,
 * t_x <= T, t_x = 0 when x = 0 (OCCAM_E_DOMAIN). */
int occam__pnbd_check_row(double x, double tx, double T, int64_t i);

/* --------------------------------------------------- block contributions */
/* The fit needs only sums over customers: a block's contribution is computed
 * by occam__pnbd_block and contributions are added by occam__pnbd_acc_add, so
 * blocks can come from threads, a stream or other machines. */

typedef struct occam_pnbd_acc {
    double ll;      /* sum of w_i * loglik_i */
    double ll_comp; /* Neumaier compensation of ll */
    double grad[4]; /* sum of w_i * d loglik_i / d log(theta) */
    double wsum;    /* sum of w_i */
    int64_t nrows;  /* rows with w_i > 0 */
} occam_pnbd_acc;

void occam__pnbd_acc_zero(occam_pnbd_acc *acc);
/* dst += src. */
void occam__pnbd_acc_add(occam_pnbd_acc *dst, const occam_pnbd_acc *src);
/* Total log-likelihood of an accumulator (with its compensation). */
double occam__pnbd_acc_ll(const occam_pnbd_acc *acc);

/* Contribution of nb customers given as columns x, tx, T and weights w
 * (NULL = 1; rows of weight 0 are skipped).  grad is skipped when want_grad
 * is 0.  Returns OCCAM_OK or OCCAM_E_NUMERIC (a non-finite term, with the
 * row named relative to the block). */
int occam__pnbd_block(const occam_pnbd_par *pp, const double *x, const double *tx, const double *T,
                      const double *w, int64_t nb, int want_grad, occam_pnbd_acc *out);

/* ------------------------------------------------------------------- fit */

/* Customer data prepared for the fit: columns, weights (collapsed rows carry
 * their count). */
typedef struct occam_pnbd_data {
    int64_t n;
    double *x, *tx, *T, *w; /* n each; one allocation owned by x */
    double wsum;
    int64_t nobs;           /* input rows with weight > 0 */
    int collapsed;          /* 1 if identical rows were merged */
} occam_pnbd_data;

typedef struct occam_pnbd_fit_result {
    double par[4];      /* r, alpha, s, beta */
    double se[4];
    double vcov[16];    /* column-major, natural parameters */
    double loglik;
    double grad_norm;   /* max |d mean loglik / d log theta| */
    int64_t iter;
    int converged;
    int64_t nevals;     /* log-likelihood + gradient evaluations */
} occam_pnbd_fit_result;

/* Build fit data from validated input: copy, drop weight-0 rows, collapse
 * identical rows when `collapse` is 1 (always) or -1 (when it pays). */
int occam__pnbd_data_build(const occam_matrix *X, const double *w, int collapse, occam_pnbd_data *d);
void occam__pnbd_data_free(occam_pnbd_data *d);

/* Maximize the likelihood (pnbd_fit.c).  Returns OCCAM_OK,
 * OCCAM_W_NOT_CONVERGED (res filled), OCCAM_E_NUMERIC, OCCAM_E_NOMEM. */
int occam__pnbd_mle(const occam_pnbd_data *d, const occam_opts *opts, occam_pnbd_fit_result *res);

/* --------------------------------------------------------------- the kind */

typedef struct occam_pnbd_impl {
    int has_fit;        /* 1 after a fit; 0 for parameters given by occam_pnbd_set_params */
    double loglik, grad_norm;
    int64_t iter, nobs;
    int converged;
} occam_pnbd_impl;

int occam__pnbd_predict(const occam_model *m, int type, double horizon, const occam_matrix *X,
                        const double *offset, double *out, double *se);
int occam__pnbd_write(const occam_model *m, occam_writer *w);
int occam__pnbd_read(occam_model *m, const occam_reader *r);

/* Natural parameters of a model with parameters (coefs.est). */
static inline void occam__pnbd_model_par(const occam_model *m, occam_pnbd_par *pp)
{
    occam__pnbd_par_init(pp, m->coefs.est[0], m->coefs.est[1], m->coefs.est[2], m->coefs.est[3]);
}

#endif /* OCCAM_PNBD_H */
