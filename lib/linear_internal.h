/*
 * linear_internal.h -- private declarations shared by the linear files:
 *   linear.c          the model kind: hand-coded coefficients, the in-memory
 *                     fit, prediction, results, serialization
 *   linear_pass.c     one pass's contribution of some rows (the linear occam_partial)
 *   linear_pass_io.c  its serialized fields
 *   linear_stream.c   the pass driver: lm.fit / lm.wfit as passes over the data
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
    int solver; /* OCCAM_INFO_SOLVER: the solver of the fit (0 after hand-coding or loading) */
} linear_impl;

/* A sum of squares of terms v, accumulated in one pass: sum (v 2^-e)^2
 * compensated (s + c, Dot2), e the exponent of the largest |v| so far (at
 * least -1000; the sum is rescaled by a power of 2, exactly, when a larger
 * term comes), so it cannot overflow and has the bits of the two-pass
 * form (scale by the largest term first).  Non-finite terms are counted. */
typedef struct occam_ssq {
    double s, c;
    int e;
    int inf, nan;
} occam_ssq;
void occam__ssq_init(occam_ssq *q);
void occam__ssq_add(occam_ssq *q, double v);
void occam__ssq_merge(occam_ssq *dst, const occam_ssq *src);

/* What summary.lm needs, summed over the passes (rows with weight > 0
 * unless said otherwise). */
typedef struct occam_linear_sums {
    int64_t nobs;                    /* rows with weight > 0 */
    double sum_w, sum_wy, sum_wz;    /* first pass: sums of w, w y, w (y - offset) */
    double sum_logw;                 /* first pass: sum of log w */
    occam_ssq rss;                   /* last pass: w r^2, r = y - offset - X b */
    occam_ssq mss;                   /* last pass: w (f - cf)^2, f = y - r the fitted values */
    double s1, s1c;                  /* last pass: sum w (f - cf), compensated */
    occam_ssq nul;                   /* last pass: w (y - offset - cz)^2 */
    int64_t fn;                      /* last pass, all rows: count, mean and M2 (Welford) of f */
    double fmean, fm2;
} occam_linear_sums;

/* summary.lm's statistics of a fit with `rank` coefficients from the sums
 * into stats (NSTATS); intercept: the sums of squares are about the
 * weighted means (mss corrected by s1 for its center cf).  Sums of squares
 * are accumulated scaled, so sigma, R^2, F and the log-likelihood stay
 * finite when the residual sum of squares itself exceeds the double range
 * (it is then stored as Inf).  Returns the condition bits
 * OCCAM_COND_PERFECT_FIT (R's rule: residual variance below 1e-30
 * (mean(f)^2 + var(f)) over all rows) and OCCAM_COND_OVERFLOW (RSS or null
 * RSS Inf). */
int occam__linear_summary(const occam_linear_sums *t, int intercept, int64_t rank, double *stats);

/* ---------------------------------------------------- linear_pass.c */

typedef struct occam_linear_setup {
    int intercept;
    int64_t p, k; /* columns of X; coefficients p + intercept */
    int solver;
} occam_linear_setup;

enum occam_linear_pass_type {
    OCCAM_LINEAR_PASS_QR = 1,     /* the QR (or X'WX) of [sqrt(w) X | sqrt(w) (y - offset)], the weighted means */
    OCCAM_LINEAR_PASS_REFINE = 2, /* X'W(y - offset - X b) summed in twice the precision, at b */
    OCCAM_LINEAR_PASS_RESID = 3   /* the sums of squares of summary.lm, at the final b */
};

typedef struct occam_linear_passdef {
    int64_t index, type;
    int64_t nb;      /* k for REFINE and RESID, else 0 */
    double *b;
    double cf, cz;   /* RESID: the centers of the fitted values and of y - offset (0 without intercept) */
    int64_t cov;     /* REFINE: 1 when the pass also sums X'WX for the covariance step (small systems) */
} occam_linear_passdef;

typedef struct occam_linear_part {
    occam_linear_setup su;
    occam_linear_passdef pd; /* owns b */
    occam_linear_sums s;
    occam_lsq *acc;          /* QR */
    occam_lsq_grad grad;     /* REFINE */
    occam_lsq_grad gram;     /* REFINE with pd.cov: X'WX, k (k + 1) / 2 columns, packed upper by columns */
    double *work;            /* block-row scratch */
    int64_t block;
} occam_linear_part;

/* The covariance step's size rule (linear_stream.c): a refinement pass
 * sums X'WX when k <= 16 and n k^2 <= 2^22 (n rows of the fit). */
enum { OCCAM__LINEAR_COV_MAX_K = 16, OCCAM__LINEAR_COV_MAX_TERMS = 1 << 22 };

/* Per-row results of an in-memory fit (owned by the model after it):
 * copies of y and of the weights (NULL = none), the residuals (RESID pass). */
typedef struct occam_linear_sink {
    double *y, *w, *resid;
} occam_linear_sink;

int occam__linear_part_new(const occam_linear_setup *su, const occam_linear_passdef *pd, int inputs,
                           occam_partial **out);
int occam__linear_part_impl(const occam_linear_setup *su, const occam_linear_passdef *pd, occam_linear_part **out);
void occam__linear_part_free(void *impl);
/* Serialized fields (linear_pass_io.c). */
int occam__linear_part_write(const occam_partial *pt, occam_writer *w);
int occam__linear_part_read(occam_partial *pt, const occam_reader *r);

/* The coefficient table from the solve and sigma: se = sigma sqrt(diag
 * (R'R)^-1), vcov = sigma^2 (R'R)^-1, t tests on df.  Returns
 * OCCAM_COND_OVERFLOW in *conditions when a standard error or a covariance
 * exceeds the double range.  OCCAM_E_NOMEM. */
int occam__linear_coef_table(const occam_lsq_result *res, double sigma, double df, occam_coefs *c, int *conditions);

#endif /* OCCAM_LINEAR_INTERNAL_H */
