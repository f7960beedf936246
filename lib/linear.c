/*
 * linear.c -- the linear baseline: hand-coded coefficients (a feature vector
 * through fixed weights) or (weighted) least squares as R's lm.fit/lm.wfit,
 * through the block QR of lsq.c and lsq_solve.c, refined once with accurate
 * residuals (lsq_refine.c), run as the passes of linear_stream.c;
 * summary.lm's statistics in linear_summary.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linear_internal.h"
#include "serialize.h"
#include "stream_internal.h"

enum { /* serialization tags 100-199 */
       TAG_HAND_CODED = 100,
       TAG_STATS = 101,
       TAG_NSTATS = 102
};

static void linear_free(void *p)
{
    linear_impl *li = p;
    if (li == NULL) return;
    free(li->y);
    free(li->w);
    free(li->resid);
    free(li);
}

int occam_linear_new(occam_model **out)
{
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_linear_new: out is NULL");
    *out = NULL;
    linear_impl *li = calloc(1, sizeof *li);
    if (li == NULL) return occam__fail(OCCAM_E_NOMEM, "occam_linear_new: out of memory");
    return occam__model_new(&occam__linear_vtable, li, out);
}

int occam_linear_set_coef(occam_model *m, int has_intercept, double intercept, const double *coef, int64_t p)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "occam_linear_set_coef: model is NULL");
    if (m->vt->kind != OCCAM_MODEL_LINEAR)
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_linear_set_coef: the model is a %s model", m->vt->name);
    if (p < 0 || (has_intercept != 0 && has_intercept != 1))
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_linear_set_coef: p = %lld, has_intercept = %d",
                           (long long)p, has_intercept);
    if (p > 0 && coef == NULL) return occam__fail(OCCAM_E_NULL, "occam_linear_set_coef: coef is NULL");
    if (!isfinite(intercept)) return occam__fail(OCCAM_E_NONFINITE, "occam_linear_set_coef: intercept is not finite");
    if (!has_intercept && intercept != 0.0)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_linear_set_coef: intercept %g given without an intercept",
                           intercept);
    int rc = occam__check_finite_vector(coef, p, "coef");
    if (rc != OCCAM_OK) return rc;
    if (m->names != NULL && p != m->p)
        return occam__fail(OCCAM_E_DIM_MISMATCH, "occam_linear_set_coef: %lld coefficients for %lld named columns",
                           (long long)p, (long long)m->p);
    if (p + has_intercept == 0)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_linear_set_coef: a model needs at least one coefficient");
    occam_coefs c;
    rc = occam__coefs_alloc(&c, p + has_intercept, NULL);
    if (rc != OCCAM_OK) return rc;
    if (has_intercept) c.est[0] = intercept;
    for (int64_t j = 0; j < p; j++) c.est[j + has_intercept] = coef[j];
    linear_impl *li = m->impl;
    free(li->y);
    free(li->w);
    free(li->resid);
    memset(li, 0, sizeof *li);
    li->hand_coded = 1;
    for (int s = 0; s < NSTATS; s++) li->stats[s] = NAN;
    occam__coefs_free(&m->coefs);
    m->coefs = c;
    m->p = p;
    m->intercept = has_intercept;
    m->fitted = 1;
    m->conditions = 0;
    m->nrows = 0;
    return OCCAM_OK;
}

/* ---------------------------------------------------------------- fitting */

/* The in-memory fit: the passes of linear_stream.c over the rows in memory,
 * keeping y, the weights and the residuals for the per-row results. */
static int linear_fit(occam_model *m, const occam_opts *opts, const occam_matrix *X, const double *y,
                      const double *w, const double *offset)
{
    if (y == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_fit: y is NULL");
    size_t n = (size_t)X->n;
    occam_linear_sink sink = {malloc(n * sizeof(double)), w ? malloc(n * sizeof(double)) : NULL,
                              malloc(n * sizeof(double))};
    int rc = OCCAM_OK;
    if (!sink.y || !sink.resid || (w && !sink.w)) {
        rc = occam__fail(OCCAM_E_NOMEM, "occam_model_fit: out of memory (n = %lld)", (long long)X->n);
    } else {
        memcpy(sink.y, y, n * sizeof(double));
        if (w) memcpy(sink.w, w, n * sizeof(double));
        rc = occam__fit_memory(&occam__linear_fit_ops, m, opts, X, y, w, offset, 1, &sink);
    }
    free(sink.y); /* NULL after a fit: the model has them */
    free(sink.w);
    free(sink.resid);
    return rc;
}

/* ------------------------------------------------------------- prediction */

static int linear_predict(const occam_model *m, int type, double horizon, const occam_matrix *X,
                          const double *offset, double *out, double *se)
{
    (void)horizon;
    if (type != OCCAM_PREDICT_RESPONSE && type != OCCAM_PREDICT_LINK)
        return occam__fail(OCCAM_E_WRONG_MODEL, "prediction type %d is not defined for a linear model", type);
    int64_t k = m->coefs.k;
    double *b = calloc((size_t)(k > 0 ? k : 1), sizeof(double));
    double *xrow = se ? malloc((size_t)k * sizeof(double)) : NULL;
    if (b == NULL || (se && xrow == NULL)) {
        free(b);
        free(xrow);
        return occam__fail(OCCAM_E_NOMEM, "occam_model_predict: out of memory");
    }
    for (int64_t j = 0; j < k; j++) b[j] = m->coefs.aliased[j] ? 0.0 : m->coefs.est[j];
    occam__linear_predictor_exact(X, m->intercept, b, offset, 0, X->n, out);
    /* predict.lm(se.fit = TRUE): sqrt(x' V x) over the estimable coefficients */
    for (int64_t i = 0; se && i < X->n; i++) {
        if (m->intercept) xrow[0] = 1.0;
        for (int64_t j = 0; j < X->p; j++) xrow[j + m->intercept] = occam__mat_at(X, i, j);
        se[i] = sqrt(occam__coefs_xvx(&m->coefs, xrow));
    }
    free(b);
    free(xrow);
    return OCCAM_OK;
}

/* ---------------------------------------------------------------- results */

static int linear_info(const occam_model *m, int key, double *value)
{
    const linear_impl *li = m->impl;
    if (li->hand_coded)
        return occam__fail(OCCAM_E_WRONG_MODEL, "a hand-coded linear model has no fit statistics");
    const double *s = li->stats;
    switch (key) {
    case OCCAM_INFO_NOBS: *value = s[S_NOBS]; break;
    case OCCAM_INFO_RANK: *value = s[S_RANK]; break;
    case OCCAM_INFO_DF_RESIDUAL: *value = s[S_DF_RESIDUAL]; break;
    case OCCAM_INFO_DF_NULL: *value = s[S_DF_NULL]; break;
    case OCCAM_INFO_DEVIANCE: *value = s[S_RSS]; break;
    case OCCAM_INFO_NULL_DEVIANCE: *value = s[S_NULL_RSS]; break;
    case OCCAM_INFO_AIC: *value = s[S_AIC]; break;
    case OCCAM_INFO_LOGLIK: *value = s[S_LOGLIK]; break;
    case OCCAM_INFO_DISPERSION: *value = s[S_SIGMA] * s[S_SIGMA]; break;
    case OCCAM_INFO_PEARSON_CHI2: *value = s[S_RSS]; break;
    case OCCAM_INFO_SIGMA: *value = s[S_SIGMA]; break;
    case OCCAM_INFO_R_SQUARED: *value = s[S_R2]; break;
    case OCCAM_INFO_ADJ_R_SQUARED: *value = s[S_ADJ_R2]; break;
    case OCCAM_INFO_FSTATISTIC: *value = s[S_FSTAT]; break;
    case OCCAM_INFO_F_NUMDF: *value = s[S_F_NUMDF]; break;
    case OCCAM_INFO_F_DENDF: *value = s[S_F_DENDF]; break;
    case OCCAM_INFO_F_P_VALUE: *value = s[S_F_P]; break;
    case OCCAM_INFO_T_STATISTIC: *value = 1.0; break;
    case OCCAM_INFO_ITER: *value = 1.0; break;
    case OCCAM_INFO_CONVERGED: *value = 1.0; break;
    case OCCAM_INFO_SOLVER: *value = li->solver; break;
    default: return occam__fail(OCCAM_E_WRONG_MODEL, "info key %d is not defined for a linear model", key);
    }
    return OCCAM_OK;
}

static int linear_rows(const occam_model *m, int which, double *out)
{
    const linear_impl *li = m->impl;
    if (li->resid == NULL)
        return occam__fail(OCCAM_E_WRONG_MODEL, "per-row results exist only for a model fitted in memory by "
                           "occam_model_fit in this process (not loaded, hand-coded or streamed)");
    for (int64_t i = 0; i < m->nrows; i++) {
        double w = li->w ? li->w[i] : 1.0, r = li->resid[i];
        switch (which) {
        case OCCAM_ROWS_FITTED: /* lm.fit's y - residuals */
        case OCCAM_ROWS_LINEAR_PREDICTOR: out[i] = li->y[i] - r; break;
        case OCCAM_ROWS_RESID_RESPONSE:
        case OCCAM_ROWS_RESID_WORKING: out[i] = r; break;
        case OCCAM_ROWS_RESID_PEARSON:
        case OCCAM_ROWS_RESID_DEVIANCE: out[i] = sqrt(w) * r; break;
        default: out[i] = w; break; /* working and prior weights */
        }
    }
    return OCCAM_OK;
}

/* ---------------------------------------------------------- serialization */

static int linear_write(const occam_model *m, occam_writer *w)
{
    const linear_impl *li = m->impl;
    occam__w_i64_1(w, TAG_HAND_CODED, li->hand_coded);
    occam__w_i64_1(w, TAG_NSTATS, NSTATS);
    occam__w_f64(w, TAG_STATS, li->stats, NSTATS);
    return OCCAM_OK;
}

static int linear_read(occam_model *m, const occam_reader *r)
{
    linear_impl *li = calloc(1, sizeof *li);
    if (li == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory reading a linear model");
    m->impl = li;
    int64_t hand, nstats;
    int rc = occam__r_i64_1(r, TAG_HAND_CODED, &hand);
    if (rc == OCCAM_OK) rc = occam__r_i64_1(r, TAG_NSTATS, &nstats);
    if (rc != OCCAM_OK) return rc;
    if ((hand != 0 && hand != 1) || nstats != NSTATS)
        return occam__fail(OCCAM_E_FORMAT, "linear model fields out of range");
    li->hand_coded = (int)hand;
    rc = occam__r_f64(r, TAG_STATS, li->stats, NSTATS);
    if (rc != OCCAM_OK) return rc;
    if (m->fitted && m->coefs.k != m->p + m->intercept)
        return occam__fail(OCCAM_E_FORMAT, "linear model has %lld coefficients for %lld columns",
                           (long long)m->coefs.k, (long long)m->p);
    return OCCAM_OK;
}

const occam_vtable occam__linear_vtable = {
    OCCAM_MODEL_LINEAR, "linear", linear_fit, linear_predict, linear_info, linear_rows,
    linear_write,       linear_read, linear_free,
};
