/*
 * pnbd.h -- private declarations shared by the Pareto/NBD files:
 *   pnbd.c          the model kind: constructor, parameters, vtable, input checks
 *   pnbd_loglik.c   per-customer log-likelihood, P(alive), analytic gradient,
 *                   block contributions
 *   pnbd_fit.c      maximum likelihood over log-parameters
 *   pnbd_boundary.c the no-dropout (NBD) limit: its fit, the dropout score,
 *                   the optimizer's boundary watch
 *   pnbd_predict.c  predictions (P(alive), expectations, P(X(t) = n), DERT;
 *                   the three columns of occam_clv_table at once)
 *   pnbd_events.c   event log -> (x, t_x, T)
 *   pnbd_io.c       serialization fields (tags 300-399)
 *   pnbd_pass*.c, pnbd_stream.c  the streamed fit (pnbd_pass.h)
 * Notation as Fader & Hardie (2005): r, alpha (purchase rate ~ Gamma(r,
 * alpha)), s, beta (dropout rate ~ Gamma(s, beta)); customer (x, t_x, T).
 */
#ifndef OCCAM_PNBD_H
#define OCCAM_PNBD_H

#include <stdint.h>

#include "internal.h"

/* x below this uses the per-parameter table of lgamma/digamma differences. */
#define OCCAM_PNBD_XTAB 256

/* Parameters with the quantities every customer needs.  s = beta = +Inf
 * (both) is the no-dropout limit, the NBD model (pnbd_boundary.c): nbd = 1. */
typedef struct occam_pnbd_par {
    double r, alpha, s, beta;
    int nbd;
    double log_alpha, log_beta;
    double lgx[OCCAM_PNBD_XTAB]; /* lgamma(r + x) - lgamma(r), x = 0..XTAB-1 */
    double dgx[OCCAM_PNBD_XTAB]; /* digamma(r + x) - digamma(r) */
    double tgx[OCCAM_PNBD_XTAB]; /* trigamma(r + x) - trigamma(r) */
} occam_pnbd_par;

/* Fill pp (parameters must be > 0 and finite, or s = beta = +Inf). */
void occam__pnbd_par_init(occam_pnbd_par *pp, double r, double alpha, double s, double beta);

/* lgamma(r + x) - lgamma(r) and digamma(r + x) - digamma(r) (x >= 0 integer). */
void occam__pnbd_lgx(const occam_pnbd_par *pp, double x, double *lgx, double *dgx);
/* trigamma(r + x) - trigamma(r). */
double occam__pnbd_tgx(const occam_pnbd_par *pp, double x);

/* One customer's log-likelihood (Fader & Hardie 2005, eq. 22, no constant
 * dropped), log P(alive at T) (eq. 18 of the same note's appendix / Schmittlein
 * et al. 1987 eq. 11) and, when grad is not NULL, the gradient of the
 * log-likelihood with respect to (log r, log alpha, log s, log beta).
 * Inputs are assumed valid (see occam__pnbd_check_row).  Returns 0, or -1 if
 * a hypergeometric term could not be evaluated (outputs NaN). */
int occam__pnbd_row(const occam_pnbd_par *pp, double x, double tx, double T, double *ll, double *log_palive,
                    double grad[4]);

/* ------------------------------------------ terms and their derivatives */
/* (pnbd_terms.c)  A term's value g, gradient d and Hessian h (column-major,
 * both triangles) with respect to theta = (r, alpha, s, beta); level 0: g
 * only, 1: and d, 2: and h. */
typedef struct occam_pnbd_gval {
    double g, d[4], h[16];
} occam_pnbd_gval;

/* head = log C + log h(t_x) (pnbd_loglik.c's header) with d, H at level >= 1, 2. */
double occam__pnbd_head(const occam_pnbd_par *pp, double x, double tx, int level, double d[4], double H[16]);
/* G(u) of a customer with x repeat purchases, with the caller's table of
 * series coefficients (hyp2f1.h; NULL: none); 0, or -1 outside the 2F1's
 * domain. */
struct occam_h2_coef;
int occam__pnbd_G(const occam_pnbd_par *pp, double x, double u, int level, struct occam_h2_coef *tab,
                  occam_pnbd_gval *out);
/* Whether (x, t_x, T) takes the short-window form (no G), and its K. */
int occam__pnbd_short(const occam_pnbd_par *pp, double x, double tx, double T);
void occam__pnbd_K(const occam_pnbd_par *pp, double x, double tx, double T, int level, occam_pnbd_gval *k);

/* One customer from its terms: log-likelihood, log P(alive) (when not NULL),
 * and at level >= 1 the gradient g, at level 2 the Hessian H (4 x 4,
 * column-major) over phi = log(r, alpha, s, beta).  hd: the head (read
 * unless pp->nbd); Gt, GT: G(t_x), G(T), read only when the row takes the
 * general form (not pp->nbd, not occam__pnbd_short); all at the same level.
 * Returns 0, or -1 when a result is not finite. */
int occam__pnbd_row2(const occam_pnbd_par *pp, double x, double tx, double T, const occam_pnbd_gval *hd,
                     const occam_pnbd_gval *Gt, const occam_pnbd_gval *GT, int level, double *ll, double *log_palive,
                     double g[4], double H[16]);

/* -------------------------------------------------------------- G cache */
/* (pnbd_gcache.c)  G(u) depends on the customer only through (x, u), and u
 * is t_x or T: customers share it (rows sorted by x, many T values repeat).
 * A direct-mapped cache of one parameter set and level, owned by one
 * thread; occam__pnbd_gcache_begin() invalidates it (O(1)). */
enum { OCCAM_PNBD_GCACHE = 1024 };
typedef struct occam_pnbd_gslot {
    double x, u;
    uint64_t gen;
    int rc;
    occam_pnbd_gval v;
} occam_pnbd_gslot;
typedef struct occam_pnbd_gcache {
    uint64_t gen;
    int level;
    const occam_pnbd_par *pp;
    struct occam_h2_coef *tab; /* the 2F1 series coefficients of the last x */
    occam_pnbd_gslot slot[OCCAM_PNBD_GCACHE];
} occam_pnbd_gcache;

/* A cache (NULL when out of memory); free it with occam__pnbd_gcache_free. */
occam_pnbd_gcache *occam__pnbd_gcache_new(void);
void occam__pnbd_gcache_free(occam_pnbd_gcache *gc);
/* Start using gc for parameters pp at level. */
void occam__pnbd_gcache_begin(occam_pnbd_gcache *gc, const occam_pnbd_par *pp, int level);
/* G(x, u) through the cache: a pointer into it (valid until the next
 * lookup), or NULL when occam__pnbd_G fails. */
const occam_pnbd_gval *occam__pnbd_gcache_get(occam_pnbd_gcache *gc, double x, double u);

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
    double hess[16]; /* sum of w_i * d2 loglik_i / d log(theta)^2 (level 2) */
    double wsum;    /* sum of w_i */
    int64_t nrows;  /* rows with w_i > 0 */
} occam_pnbd_acc;

void occam__pnbd_acc_zero(occam_pnbd_acc *acc);
/* dst += src. */
void occam__pnbd_acc_add(occam_pnbd_acc *dst, const occam_pnbd_acc *src);
/* Total log-likelihood of an accumulator (with its compensation). */
double occam__pnbd_acc_ll(const occam_pnbd_acc *acc);

/* Contribution of nb customers given as columns x, tx, T and weights w
 * (NULL = 1; rows of weight 0 are skipped) at level 0 (loglik), 1 (and
 * grad) or 2 (and hess), with the G cache gc (begun here).  Returns OCCAM_OK
 * or OCCAM_E_NUMERIC (a non-finite term, with the row named relative to the
 * block). */
int occam__pnbd_block(const occam_pnbd_par *pp, occam_pnbd_gcache *gc, const double *x, const double *tx,
                      const double *T, const double *w, int64_t nb, int level, occam_pnbd_acc *out);

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
    double par[4];      /* r, alpha, s, beta (s = beta = Inf at the no-dropout limit) */
    double se[4];
    double vcov[16];    /* column-major, natural parameters */
    double loglik;
    double grad_norm;   /* max |d mean loglik / d log theta| */
    int64_t iter;
    int converged;
    int64_t nevals;     /* log-likelihood + gradient evaluations */
    int hit;            /* PNBD_HIT_*: why the search stopped at a boundary, or 0 */
    double score;       /* dropout score D at the NBD limit (NaN when not computed) */
    double ratio;       /* s/beta of the search's last point */
} occam_pnbd_fit_result;

/* Build fit data from validated input: copy, drop weight-0 rows, collapse
 * identical rows when `collapse` is 1 (always) or -1 (when it pays). */
int occam__pnbd_data_build(const occam_matrix *X, const double *w, int collapse, occam_pnbd_data *d);
void occam__pnbd_data_free(occam_pnbd_data *d);

/* Maximize the likelihood (pnbd_fit.c).  Returns OCCAM_OK,
 * OCCAM_W_NOT_CONVERGED (res filled; res->hit = PNBD_HIT_S_INF when the
 * search was stopped running to s, beta -> Inf), OCCAM_W_NO_DROPOUT (res
 * holds the NBD limit: par = (r, alpha, Inf, Inf)), OCCAM_E_NUMERIC,
 * OCCAM_E_NOMEM. */
int occam__pnbd_mle(const occam_pnbd_data *d, const occam_opts *opts, occam_pnbd_fit_result *res);

/* Fit m on prepared data (the MLE, then the parameters, statistics,
 * conditions and warning of occam_model_fit; nrows: the input rows, weight-0
 * ones included).  Used by occam_model_fit (pnbd.c) and by a stream's
 * pattern table (pnbd_stream.c).  m unchanged on error. */
int occam__pnbd_fit_data(occam_model *m, const occam_opts *opts, const occam_pnbd_data *d, int64_t nrows);

/* ------------------------------------------------- no-dropout boundary */

/* The NBD limit's MLE (pnbd_boundary.c). */
typedef struct occam_pnbd_nbd {
    double r, alpha;
    double loglik;      /* total NBD log-likelihood = the Pareto/NBD limit's */
    double vcov[4];     /* of (r, alpha), column-major; NaN if not positive definite */
    double grad_norm;   /* max |d mean loglik / d log(r, alpha)| */
    double score;       /* dropout score D = d loglik / d(s/beta) at s/beta = 0 */
    int64_t iter;
    int converged;
} occam_pnbd_nbd;

/* Fit the NBD limit by Newton's method; gradient tolerance gtol on the mean
 * log-likelihood over log(r, alpha).  Returns 0, or -1 when there is no fit
 * (no purchases; non-finite values). */
int occam__pnbd_nbd_fit(const occam_pnbd_data *d, double gtol, occam_pnbd_nbd *nb);

/* D = sum_i w_i d log L_i / d(s/beta) at s/beta = 0, for any s. */
double occam__pnbd_dropout_score(const occam_pnbd_data *d, double r, double alpha);

/* The search stops at the boundary when (occam__pnbd_watch):
 *  - the expected share of customers lost within the longest window,
 *    s/beta * max T, is <= PNBD_DROPOUT_MIN, and the NBD limit wins
 *    (score <= 0 and its loglik >= the search's - PNBD_NBD_LL_TOL relative);
 *  - or s >= PNBD_S_MAX (s, beta -> Inf at finite s/beta: dropout rates the
 *    same for everyone); then the NBD limit is taken if it wins, otherwise
 *    the search's point is reported as not converged. */
#define PNBD_DROPOUT_MIN 1e-3
#define PNBD_S_MAX 1e4
#define PNBD_NBD_LL_TOL 1e-10
enum { PNBD_HIT_NONE = 0, PNBD_HIT_NO_DROPOUT = 1, PNBD_HIT_S_INF = 2 };

typedef struct occam_pnbd_watch {
    const occam_pnbd_data *d;
    double gtol;
    int tried;          /* the NBD fit was run */
    int have_nbd;       /* and converged */
    occam_pnbd_nbd nbd;
    double Tmax;
    int hit;            /* PNBD_HIT_* */
} occam_pnbd_watch;

void occam__pnbd_watch_init(occam_pnbd_watch *wt, const occam_pnbd_data *d, double gtol);
/* After each iteration at log-parameters phi with total loglik ll: a
 * PNBD_HIT_* code (also kept in wt->hit), nonzero = stop the search. */
int occam__pnbd_watch(occam_pnbd_watch *wt, const double phi[4], double ll);
/* Whether the NBD limit wins against a point of total loglik ll (fits the
 * NBD limit on first call). */
int occam__pnbd_nbd_beats(occam_pnbd_watch *wt, double ll);

/* --------------------------------------------------------------- the kind */

typedef struct occam_pnbd_impl {
    int has_fit;        /* 1 after a fit; 0 for parameters given by occam_pnbd_set_params */
    double loglik, grad_norm;
    int64_t iter, nobs;
    int converged;
} occam_pnbd_impl;

int occam__pnbd_predict(const occam_model *m, int type, double horizon, const occam_matrix *X,
                        const double *offset, double *out, double *se);
/* The Pareto/NBD columns of occam_clv_table (clv.c) from one evaluation of
 * each row's likelihood terms: P(alive), E[X(T, T + horizon] | x, t_x, T]
 * and DERT at the discount rate delta, bit-identical to occam__pnbd_predict's
 * OCCAM_PREDICT_PALIVE, _EXPECTED and _DERT.  X: n x 3 (x, t_x, T), finite;
 * each output n values (not NULL), written in part on error.  Returns
 * OCCAM_OK, OCCAM_E_NONFINITE / OCCAM_E_DOMAIN (horizon, delta, a row),
 * OCCAM_E_NUMERIC, OCCAM_E_NOMEM. */
int occam__pnbd_clv_terms(const occam_model *m, double horizon, double delta, const occam_matrix *X,
                          double *p_alive, double *expected, double *dert);
int occam__pnbd_write(const occam_model *m, occam_writer *w);
int occam__pnbd_read(occam_model *m, const occam_reader *r);

/* Natural parameters of a model with parameters (coefs.est). */
static inline void occam__pnbd_model_par(const occam_model *m, occam_pnbd_par *pp)
{
    occam__pnbd_par_init(pp, m->coefs.est[0], m->coefs.est[1], m->coefs.est[2], m->coefs.est[3]);
}

#endif /* OCCAM_PNBD_H */
