/*
 * glm_internal.h -- private declarations shared by the GLM files:
 *   glm.c          the model kind: constructor, start values, fit orchestration, vtable
 *   glm_family.c   families and links (glm_family.h)
 *   glm_irls.c     the IRLS driver (R's glm.fit loop), by blocks of rows
 *   glm_halving.c  the step-halving of one iteration (R's two rules, glm2's third)
 *   glm_results.c  inference after IRLS: dispersion, df, null deviance, AIC,
 *                  conditions, coefficient table, per-row residuals
 *   glm_predict.c  prediction with standard errors (R's predict.glm)
 *   glm_io.c       serialization of the GLM fields (tags 200-299)
 */
#ifndef OCCAM_GLM_INTERNAL_H
#define OCCAM_GLM_INTERNAL_H

#include <stdint.h>

#include "glm_family.h"
#include "internal.h"

/* The data of one fit, borrowed for its duration (nothing is copied). */
typedef struct occam_glm_problem {
    const occam_matrix *X; /* n x p, no intercept column */
    int intercept;         /* 1: coefficient 0 is an intercept */
    int family, link;      /* link resolved (never OCCAM_LINK_DEFAULT) */
    const double *y;       /* n, as R's initialize leaves it (occam__glm_y_used) */
    const double *prior;   /* n prior weights (never NULL) */
    const double *offset;  /* n, or NULL for none */
    int64_t n, k;          /* rows, coefficients (p + intercept) */
} occam_glm_problem;

/* glm.control() plus occam's options. */
typedef struct occam_glm_control {
    double epsilon;        /* convergence tolerance on the deviance */
    int64_t maxit;         /* IRLS iterations (also the step-halving limit) */
    double tol;            /* rank tolerance of the pivoted solve */
    int solver;            /* enum occam_solver */
    int halve_on_increase; /* glm2's extra step-halving */
    int threads;           /* row ranges per pass run in parallel (>= 1) */
} occam_glm_control;

/* --------------------------------------------------------------- glm_irls.c */

/* What one IRLS run leaves: R's glm.fit return values before inference. */
typedef struct occam_glm_irls {
    int64_t k;
    double *coef;          /* k; aliased entries 0 (R's NA is applied later) */
    occam_lsq_result last; /* the last weighted least-squares solve: rank,
                              aliased, cov_unscaled at the stale weights */
    double *eta, *mu;      /* n: final linear predictor (offset included) and mean */
    double *wt;            /* n: working weights w^2 of the last solve (0 where unused) */
    double deviance;
    int64_t iter;
    int converged, boundary;
    int step_conditions;   /* OCCAM_COND_STEP_* of every iteration that halved (R's warnings) */
} occam_glm_irls;

/* Per-block evaluation summary; blocks combine by occam__glm_eval_merge. */
typedef struct occam_glm_eval {
    double deviance; /* sum of dev.resids */
    int valid;       /* every row has valid eta and mu (R's valideta && validmu) */
} occam_glm_eval;

/* Block contribution 1: working response z and square-root working weights
 * sw of rows i0..i0+nb-1 from the current eta and mu (R: z = (eta - offset)
 * + (y - mu)/mu.eta, w = sqrt(prior mu.eta^2 / V(mu)); rows with prior 0
 * or mu.eta 0 get sw = z = 0).  z holds the block's nb values (z[0] is row
 * i0); eta, mu and sw are indexed by global row.  *ngood counts the rows
 * used.  OCCAM_E_NUMERIC for NA or 0 variances, NA mu.eta (R's errors). */
int occam__glm_working_block(const occam_glm_problem *pb, int64_t i0, int64_t nb, const double *eta,
                             const double *mu, double *z, double *sw, int64_t *ngood);

/* Block contribution 2: eta = offset + X b, mu = linkinv(eta) of rows
 * i0..i0+nb-1 and their deviance and validity, added into *ev. */
int occam__glm_eval_block(const occam_glm_problem *pb, const double *b, int64_t i0, int64_t nb, double *eta,
                          double *mu, occam_glm_eval *ev);

/* ------------------------------------------------------------ glm_halving.c */

/* What the step-halving of one iteration works on. */
typedef struct occam_glm_step {
    const occam_glm_control *ctl;
    int64_t k;
    double *coef;          /* k: the solve's coefficients, halved in place towards coefold */
    const double *coefold; /* k: the previous iteration's (or start), NULL when there are none */
    /* eta, mu, deviance and validity at coefficients b into *ev (the run's eta and mu) */
    int (*eval)(void *ctx, const double *b, occam_glm_eval *ev);
    void *ctx;
} occam_glm_step;

/* The step-halving of iteration iter (see glm_halving.c): R's rules, then
 * glm2's with ctl->halve_on_increase, given *ev evaluated at st->coef and
 * the previous deviance devold.  Updates st->coef and *ev; sets *boundary
 * (glm.fit's flag: one of R's rules halved) and ORs into *conditions the
 * OCCAM_COND_STEP_* bit of each of R's rules that ran.  Errors:
 * OCCAM_E_NUMERIC (no previous coefficients, "inner loop 1/2; cannot correct
 * step size", a non-finite deviance in glm2's halving) and eval's. */
int occam__glm_step_halving(const occam_glm_step *st, double devold, int64_t iter, occam_glm_eval *ev,
                            int *boundary, int *conditions);

/* Run glm.fit's loop.  start (k values) or mustart (n values) may be NULL.
 * On success *out owns its arrays (free with occam__glm_irls_free); on error
 * *out is zeroed.  Errors: OCCAM_E_DOMAIN (no valid starting values),
 * OCCAM_E_NUMERIC (no valid set of coefficients, step halving failed,
 * non-finite coefficients, no informative observation), OCCAM_E_NOMEM,
 * OCCAM_E_TOO_LARGE, OCCAM_E_LAPACK. */
int occam__glm_irls_run(const occam_glm_problem *pb, const occam_glm_control *ctl, const double *start,
                        const double *mustart, occam_glm_irls *out);
void occam__glm_irls_free(occam_glm_irls *r);

/* ------------------------------------------------------------ glm_results.c */

/* The fitted state a GLM model keeps (and serializes). */
typedef struct occam_glm_fit {
    double deviance, null_deviance, aic, loglik, dispersion, pearson_chi2;
    double df_residual, df_null;
    int64_t nobs, rank, iter;
    int converged, boundary;
    int est_disp; /* 1: dispersion estimated (t statistics) */
    int64_t n;    /* rows of the per-row arrays */
    double *y, *prior, *eta, *mu, *wt; /* n each: response used, prior and working weights, eta, mu */
} occam_glm_fit;

void occam__glm_fit_free(occam_glm_fit *f);

/* Inference after an IRLS run (summary.glm and glm()'s extras): fills *fit,
 * the coefficient table *coefs (k entries) and the condition bits.  On
 * success *fit takes ownership of irls->eta, mu, wt and of the malloc'ed
 * arrays *y and *prior (pb->y, pb->prior), which are set to NULL.  May run
 * a second IRLS for the null deviance (intercept and offset).  On error
 * *fit and *coefs are freed/zeroed and nothing changes hands. */
int occam__glm_results(const occam_glm_problem *pb, const occam_glm_control *ctl, occam_glm_irls *irls,
                       int non_integer, double **y, double **prior, occam_glm_fit *fit, occam_coefs *coefs,
                       int *conditions);

/* Per-row results (enum occam_rows) of a fit into out (fit->n values). */
int occam__glm_rows(const occam_glm_fit *fit, int family, int link, int which, double *out);

/* Text of the condition bits, R's warnings joined by "; " (static buffer
 * not used: writes into buf of size cap). */
void occam__glm_conditions_text(int conditions, char *buf, size_t cap);

/* ------------------------------------------------------------------ glm.c */

/* The GLM kind's state (m->impl). */
typedef struct occam_glm_impl {
    int family, link;        /* link resolved */
    double *start;           /* starting coefficients for the next fit, or NULL */
    int64_t nstart;
    double *mustart;         /* starting means for the next fit, or NULL */
    int64_t nmustart;
    occam_glm_fit fit;       /* valid when the model is fitted */
} occam_glm_impl;

/* Allocate an impl for a validated family and resolved link. */
int occam__glm_impl_new(int family, int link, occam_glm_impl **out);
void occam__glm_impl_free(void *impl);

/* ------------------------------------------------------ glm_predict.c, glm_io.c */

int occam__glm_predict(const occam_model *m, int type, double horizon, const occam_matrix *X,
                       const double *offset, double *out, double *se);
int occam__glm_write(const occam_model *m, occam_writer *w);
int occam__glm_read(occam_model *m, const occam_reader *r);

#endif /* OCCAM_GLM_INTERNAL_H */
