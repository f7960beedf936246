/*
 * glm_internal.h -- private declarations shared by the GLM files:
 *   glm.c          the model kind: constructor, start values, fit orchestration, vtable
 *   glm_family.c   families and links (glm_family.h)
 *   glm_pass.c     one pass's contribution of some rows: eta, mu, deviance,
 *                  the next weighted least-squares system and the sums the
 *                  summary needs (the GLM occam_partial)
 *   glm_pass_io.c  the serialized fields of that contribution
 *   glm_stream.c   the pass driver: R's glm.fit loop as a sequence of passes
 *   glm_halving.c  the step-halving of one iteration (R's two rules, glm2's third)
 *   glm_results.c  inference from the passes' sums: dispersion, df, null deviance, AIC,
 *                  conditions, coefficient table, per-row residuals
 *   glm_predict.c  prediction with standard errors (R's predict.glm)
 *   glm_io.c       serialization of the GLM fields (tags 200-299)
 */
#ifndef OCCAM_GLM_INTERNAL_H
#define OCCAM_GLM_INTERNAL_H

#include <stdint.h>

#include "glm_family.h"
#include "internal.h"

/* glm.control() plus occam's options. */
typedef struct occam_glm_control {
    double epsilon;        /* convergence tolerance on the deviance */
    int64_t maxit;         /* IRLS iterations (also the step-halving limit) */
    double tol;            /* rank tolerance of the pivoted solve */
    int solver;            /* enum occam_solver */
    int halve_on_increase; /* glm2's extra step-halving */
    int threads;           /* row ranges per pass run in parallel (>= 1) */
} occam_glm_control;

/* ------------------------------------------------------------ glm_halving.c */

/* Per-pass evaluation summary. */
typedef struct occam_glm_eval {
    double deviance; /* sum of dev.resids */
    int valid;       /* every row has valid eta and mu (R's valideta && validmu) */
} occam_glm_eval;

/* The step-halving of one iteration as a resumable computation (each
 * halving asks for a pass over the data): begin with the iteration's
 * evaluation; while *need is 1, evaluate at h->coef (halved in place) and
 * call next.  Rules (glm_halving.c): R's two, then glm2's with
 * ctl->halve_on_increase. */
typedef struct occam_glm_halver {
    const occam_glm_control *ctl;
    int64_t k;
    double *coef;          /* k: the solve's coefficients, halved in place towards coefold */
    const double *coefold; /* k: the previous iteration's (or start), NULL when there are none */
    double devold;
    int64_t iter;
    int rule;              /* the rule being applied */
    int64_t ii;            /* halvings by it */
    int boundary;          /* glm.fit's flag: one of R's rules halved */
    int conditions;        /* OCCAM_COND_STEP_* of each of R's rules that ran */
} occam_glm_halver;

/* Errors: OCCAM_E_NUMERIC (no previous coefficients, "inner loop 1/2;
 * cannot correct step size", a non-finite deviance in glm2's halving). */
int occam__glm_halver_begin(occam_glm_halver *h, const occam_glm_control *ctl, int64_t k, double *coef,
                            const double *coefold, double devold, int64_t iter, const occam_glm_eval *ev, int *need);
int occam__glm_halver_next(occam_glm_halver *h, const occam_glm_eval *ev, int *need);

/* The same run synchronously, evaluating with st->eval. */
typedef struct occam_glm_step {
    const occam_glm_control *ctl;
    int64_t k;
    double *coef;          /* k: the solve's coefficients, halved in place towards coefold */
    const double *coefold; /* k: the previous iteration's (or start), NULL when there are none */
    /* eta, mu, deviance and validity at coefficients b into *ev */
    int (*eval)(void *ctx, const double *b, occam_glm_eval *ev);
    void *ctx;
} occam_glm_step;

/* Sets *boundary and ORs the OCCAM_COND_STEP_* bits into *conditions;
 * errors as occam__glm_halver_next and eval's. */
int occam__glm_step_halving(const occam_glm_step *st, double devold, int64_t iter, occam_glm_eval *ev,
                            int *boundary, int *conditions);

/* -------------------------------------------------- glm_pass.c, glm_pass_io.c */

/* What every contribution to one fit shares. */
typedef struct occam_glm_setup {
    int family, link; /* link resolved (never OCCAM_LINK_DEFAULT) */
    int intercept;    /* 1: coefficient 0 is an intercept */
    int64_t p, k;     /* columns of X (no intercept column); coefficients p + intercept */
    int solver;       /* enum occam_solver of the fit (AUTO: each pass's flags choose, occam__glm_acc_solver) */
} occam_glm_setup;

/* Where a pass's eta comes from. */
enum occam_glm_pass_type {
    OCCAM_GLM_PASS_START = 1, /* starting values: eta = offset + X b with start coefficients (nb = k),
                                 else linkfun(mustart) (the family's, or the fit's with OCCAM_GLM_MUSTART) */
    OCCAM_GLM_PASS_ITER = 2,  /* eta = offset + X b (nb = k; k = 0 is glm.fit's empty model) */
    OCCAM_GLM_PASS_NULL = 3   /* the intercept-only model of glm()'s null deviance: eta = b[0] + offset */
};

/* What a pass computes besides eta, mu, the deviance and validity. */
enum occam_glm_pass_flags {
    OCCAM_GLM_FIRST = 1,       /* R's initialize checks on y, row counts, prior-weight sums */
    OCCAM_GLM_ACCUM = 2,       /* the weighted least-squares system at this eta (1 column for the null model) */
    OCCAM_GLM_SUMMARY = 4,     /* summary.glm's sums at this eta, with the working weights of bsys */
    OCCAM_GLM_NULLDEV = 8,     /* the null deviance at wtdmu (intercept) or linkinv(offset) */
    OCCAM_GLM_GAMMA_AIC = 16,  /* Gamma's AIC sum at dispersion disp (it needs the final deviance) */
    OCCAM_GLM_NULL_START = 32, /* the null model's start linkfun(mu): deviance, validity, (ACCUM) its system */
    OCCAM_GLM_HAS_START = 64,  /* start or mustart given (R's gaussian initialize then takes any y) */
    OCCAM_GLM_MUSTART = 128,   /* starting means: the fit's mustart, by row (START, and SUMMARY with nbsys 0) */
    OCCAM_GLM_QR = 256         /* OCCAM_SOLVER_AUTO: accumulate the system for QR (else X'WX for Cholesky) */
};

/* One pass: the same for every contribution to it (serialized with them). */
typedef struct occam_glm_passdef {
    int64_t index;      /* pass number, from 0 */
    int type, flags;    /* enum occam_glm_pass_type, OR of enum occam_glm_pass_flags */
    int64_t nb;         /* entries of b: k, 1 (NULL), 0 (START from means, the empty model) */
    double *b;          /* coefficients evaluated */
    int64_t nbsys;      /* SUMMARY: k, or 0 when the solved system was accumulated at the starting means */
    double *bsys;       /* coefficients of the pass that accumulated the solved system */
    double wtdmu;       /* NULLDEV with an intercept: sum(w y) / sum(w) */
    double disp;        /* GAMMA_AIC: deviance / sum(w) */
} occam_glm_passdef;

/* A contribution's sums.  Rows are numbered 1.. among the contribution's
 * own (merged ones after dst's); 0 = none. */
typedef struct occam_glm_sums {
    int64_t nobs;          /* rows with prior weight != 0 */
    double deviance;       /* sum of dev.resids at eta (ITER with NULL_START: of the full model) */
    int valid;             /* every row has valid eta and mu */
    int64_t bad_eta, bad_mu; /* first rows with invalid eta, mu */
    /* FIRST */
    double sum_w, sum_wy, sum_logw, sum_wlogy; /* sums of w, w y, log w, w log y over all rows */
    int non_integer;       /* R's non-integer warning */
    /* NULLDEV */
    double nulldev;
    /* SUMMARY */
    double pearson;        /* sum w (y - mu)^2 / V(mu) */
    double swr2;           /* sum over working weight > 0 of wt r_working^2 (estimated dispersion) */
    double aic;            /* binomial, poisson: sum of the family's log densities (AIC = -2 aic) */
    int zero_wt;           /* some working weight is 0 */
    int mu01, mu0;         /* binomial mu within 10 eps of 0 or 1; poisson mu below 10 eps */
    /* GAMMA_AIC */
    double gamma_aic;      /* sum w log dgamma(y, 1/disp, mu disp) */
    /* NULL_START */
    double null_deviance;
    int null_valid;
    /* ACCUM */
    int64_t ngood;         /* rows in the system (working weight > 0) */
    int acc_err;           /* first failure of the system: OCCAM__GLM_ERR_* (R's errors), 0 none */
    int64_t acc_err_row;
} occam_glm_sums;

/* R's errors while forming the working weights (deferred: a pass whose
 * step is then halved never needs its system). */
enum { OCCAM__GLM_ERR_VAR_NA = 1, OCCAM__GLM_ERR_VAR_ZERO = 2, OCCAM__GLM_ERR_MU_ETA_NA = 3 };

/* The GLM occam_partial's impl. */
typedef struct occam_glm_part {
    occam_glm_setup su;
    occam_glm_passdef pd;  /* owns b, bsys */
    occam_glm_sums s;
    occam_lsq *acc;        /* ACCUM: the system (k columns, 1 for the null model) */
    const double *mustart; /* MUSTART: the fit's starting means (borrowed), NULL in a fork or a copy */
    int64_t nmustart;
    double *work;          /* block-row scratch (OCCAM__GLM_NWORK arrays of `block` rows) */
    int64_t block;
} occam_glm_part;

/* Per-row results of an in-memory fit (n each, by row of the fit): the
 * response as used and the prior weights (filled by the caller; prior NULL
 * when every prior weight is 1), and eta and R's working weights
 * (fit$weights), written by SUMMARY passes.  mu is not kept: it is
 * linkinv(eta), recomputed bit for bit when asked for (occam__glm_rows). */
typedef struct occam_glm_sink {
    double *y, *prior, *eta, *wt;
} occam_glm_sink;

/* A new empty contribution to pass pd (copied): the impl, and the partial. */
int occam__glm_part_impl(const occam_glm_setup *su, const occam_glm_passdef *pd, occam_glm_part **out);
void occam__glm_part_free(void *impl);
int occam__glm_part_new(const occam_glm_setup *su, const occam_glm_passdef *pd, int inputs, occam_partial **out);
/* The solver of a pass's accumulator: the setup's, or with OCCAM_SOLVER_AUTO
 * QR when the pass has OCCAM_GLM_QR, else Cholesky. */
int occam__glm_acc_solver(const occam_glm_setup *su, const occam_glm_passdef *pd);
/* Text of a deferred error. */
int occam__glm_acc_error(int err, int64_t row, int64_t iter);
void occam__glm_passdef_free(occam_glm_passdef *pd);
int occam__glm_passdef_copy(occam_glm_passdef *dst, const occam_glm_passdef *src);
/* Serialized fields (glm_pass_io.c). */
int occam__glm_part_write(const occam_partial *pt, occam_writer *w);
int occam__glm_part_read(occam_partial *pt, const occam_reader *r);

/* ------------------------------------------------------------- glm_stream.c */

/* The control and the starting values of a fit, checked: OCCAM_E_INVALID_ARG,
 * OCCAM_E_UNKNOWN_ENUM. */
int occam__glm_read_control(const occam_opts *opts, occam_glm_control *ctl, int *intercept);

/* ------------------------------------------------------------ glm_results.c */

/* The fitted state a GLM model keeps (and serializes). */
typedef struct occam_glm_fit {
    double deviance, null_deviance, aic, loglik, dispersion, pearson_chi2;
    double df_residual, df_null;
    int64_t nobs, rank, iter;
    int converged, boundary;
    int est_disp; /* 1: dispersion estimated (t statistics) */
    int64_t n;    /* rows of the per-row arrays */
    double *y, *prior, *eta, *wt; /* n each: response used, prior weights (NULL: all 1), eta, working
                                     weights; mu = linkinv(eta) is computed from eta when asked for */
} occam_glm_fit;

void occam__glm_fit_free(occam_glm_fit *f);

/* What the passes of a fit leave for the inference. */
typedef struct occam_glm_totals {
    int64_t n, nobs;            /* rows, rows with prior weight != 0 */
    int64_t iter;
    int converged, boundary;
    int conditions;             /* step-halving bits of the fit and the null refit's, the null refit's
                                   non-convergence, non-integer y */
    double deviance, null_deviance;
    double sum_w, sum_logw, sum_wlogy; /* the first pass's sums (AIC) */
    const occam_glm_sums *summary;     /* the SUMMARY sums at the final coefficients */
    double gamma_aic;
    const double *coef;         /* k; aliased entries 0 */
    const occam_lsq_result *last; /* the last solve: rank, aliased, cov_unscaled */
} occam_glm_totals;

/* Inference (summary.glm and glm()'s extras): fills *fit (without per-row
 * arrays), the coefficient table *coefs (k entries) and the condition
 * bits.  On error *fit and *coefs are freed/zeroed. */
int occam__glm_results(const occam_glm_setup *su, const occam_glm_totals *t, occam_glm_fit *fit, occam_coefs *coefs,
                       int *conditions);

/* ----------------------------------------------------- glm.c, glm_fast.c */

/* The R-exact in-memory fit (the passes of glm_stream.c over the rows in
 * memory), and the fast path of OCCAM_OPT_FAST (glm_fast.c), which ends
 * with the former or falls back to it.  Statuses as occam_model_fit. */
int occam__glm_fit_exact(occam_model *m, const occam_opts *opts, const occam_matrix *X, const double *y,
                         const double *w, const double *offset);
int occam__glm_fit_fast(occam_model *m, const occam_opts *opts, const occam_matrix *X, const double *y,
                        const double *w, const double *offset);

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
    int guess_last;          /* glm_fast.c's final fit: expect the first iteration to be the last
                                (in-memory only; a wrong guess repeats a pass, same results) */
    int fast;                /* OCCAM_INFO_FAST of the fit */
    int keep_data;           /* OCCAM_OPT_KEEP_DATA: the model file holds the per-row results */
    int solver;              /* OCCAM_INFO_SOLVER of the fit: the last solve's (0: read from a file) */
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
