/*
 * linear.c -- the linear baseline: hand-coded coefficients (a feature vector
 * through fixed weights) or (weighted) least squares as R's lm.fit/lm.wfit
 * and summary.lm, through the block QR of lsq.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "serialize.h"

/* Default aliasing tolerance.  R's lm uses 1e-7, which drops the x^10 column
 * of NIST's Filip benchmark although it is estimable; see docs/linear.md. */
#define LINEAR_RANK_TOL 1e-10

enum { /* serialization tags 100-199 */
       TAG_HAND_CODED = 100,
       TAG_STATS = 101,
       TAG_NSTATS = 102
};

/* Scalar results, in the order they are serialized. */
enum {
    S_NOBS, S_RANK, S_DF_RESIDUAL, S_DF_NULL, S_RSS, S_NULL_RSS, S_SIGMA, S_R2, S_ADJ_R2, S_FSTAT, S_F_NUMDF,
    S_F_DENDF, S_F_P, S_LOGLIK, S_AIC, NSTATS
};

typedef struct linear_impl {
    int hand_coded;
    double stats[NSTATS];
    /* per-row results of an in-memory fit (NULL after hand-coding or loading) */
    double *y, *w, *fitted;
} linear_impl;

static void linear_free(void *p)
{
    linear_impl *li = p;
    if (li == NULL) return;
    free(li->y);
    free(li->w);
    free(li->fitted);
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
    rc = occam__coefs_alloc(&c, p + has_intercept);
    if (rc != OCCAM_OK) return rc;
    if (has_intercept) c.est[0] = intercept;
    for (int64_t j = 0; j < p; j++) c.est[j + has_intercept] = coef[j];
    linear_impl *li = m->impl;
    free(li->y);
    free(li->w);
    free(li->fitted);
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

static int accumulate(occam_lsq *acc, const occam_matrix *X, int intercept, const double *sw, const double *z)
{
    int64_t nb = occam__lsq_block_rows(acc);
    for (int64_t i0 = 0; i0 < X->n; i0 += nb) {
        int rc = occam__lsq_add_rows(acc, X, intercept, i0, X->n - i0 < nb ? X->n - i0 : nb, sw ? sw + i0 : NULL,
                                     z + i0);
        if (rc != OCCAM_OK) return rc;
    }
    return OCCAM_OK;
}

/* Fitted values X b + offset (b with 0 for aliased coefficients). */
static int fitted_values(const occam_matrix *X, int intercept, const double *b, const double *offset, double *out)
{
    const int64_t nb = 4096;
    for (int64_t i0 = 0; i0 < X->n; i0 += nb) {
        int64_t len = X->n - i0 < nb ? X->n - i0 : nb;
        int rc = occam__linear_predictor(X, intercept, b, offset, i0, len, out + i0);
        if (rc != OCCAM_OK) return rc;
    }
    return OCCAM_OK;
}

/* summary.lm's statistics from residuals and fitted values. */
static void summary_stats(linear_impl *li, int intercept, int64_t n, const double *offset, int64_t rank)
{
    double *s = li->stats;
    double sw = 0.0, swf = 0.0, swy = 0.0, sumlogw = 0.0;
    int64_t nobs = 0;
    for (int64_t i = 0; i < n; i++) {
        double w = li->w ? li->w[i] : 1.0;
        if (w <= 0) continue;
        nobs++;
        double f = li->fitted[i]; /* R 4.2's summary.lm keeps the offset in f */
        double yo = li->y[i] - (offset ? offset[i] : 0.0);
        sw += w;
        swf += w * f;
        swy += w * yo;
        sumlogw += log(w);
    }
    double mf = swf / sw, my = swy / sw;
    double rss = 0.0, mss = 0.0, null_rss = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double w = li->w ? li->w[i] : 1.0;
        if (w <= 0) continue;
        double f = li->fitted[i];
        double yo = li->y[i] - (offset ? offset[i] : 0.0);
        double r = li->y[i] - li->fitted[i];
        rss += w * r * r;
        mss += intercept ? w * (f - mf) * (f - mf) : w * f * f;
        null_rss += intercept ? w * (yo - my) * (yo - my) : w * yo * yo;
    }
    double df = (double)(nobs - rank), dfint = intercept ? 1.0 : 0.0;
    double resvar = df > 0 ? rss / df : NAN;
    s[S_NOBS] = (double)nobs;
    s[S_RANK] = (double)rank;
    s[S_DF_RESIDUAL] = df;
    s[S_DF_NULL] = (double)nobs - dfint;
    s[S_RSS] = rss;
    s[S_NULL_RSS] = null_rss;
    s[S_SIGMA] = sqrt(resvar);
    s[S_R2] = mss / (mss + rss);
    s[S_ADJ_R2] = 1.0 - (1.0 - s[S_R2]) * (((double)nobs - dfint) / df);
    s[S_F_NUMDF] = (double)rank - dfint;
    s[S_F_DENDF] = df;
    s[S_FSTAT] = s[S_F_NUMDF] > 0 ? (mss / s[S_F_NUMDF]) / resvar : NAN;
    s[S_F_P] = s[S_F_NUMDF] > 0 ? occam__pf(s[S_FSTAT], s[S_F_NUMDF], df, 0) : NAN;
    /* logLik.lm: 0.5 * (sum(log w) - N (log(2 pi) + 1 - log N + log(sum(w r^2)))) */
    double N = (double)nobs;
    s[S_LOGLIK] = 0.5 * (sumlogw - N * (log(2.0 * 3.141592653589793238462643383279503) + 1.0 - log(N) + log(rss)));
    s[S_AIC] = -2.0 * s[S_LOGLIK] + 2.0 * ((double)rank + 1.0);
}

/* Coefficient table from the least-squares solution and sigma^2. */
static int coef_table(const occam_lsq_result *res, double resvar, double df, occam_coefs *c)
{
    int rc = occam__coefs_alloc(c, res->k);
    if (rc != OCCAM_OK) return rc;
    int64_t k = res->k;
    for (int64_t j = 0; j < k; j++) {
        c->aliased[j] = res->aliased[j];
        c->est[j] = res->aliased[j] ? NAN : res->coef[j];
        c->se[j] = res->aliased[j] ? NAN : sqrt(resvar * res->cov_unscaled[j + j * k]);
    }
    for (int64_t j = 0; j < k * k; j++) c->vcov[j] = resvar * res->cov_unscaled[j];
    occam__coefs_tests(c, df);
    return OCCAM_OK;
}

static int linear_fit(occam_model *m, const occam_opts *opts, const occam_matrix *X, const double *y,
                      const double *w, const double *offset)
{
    if (y == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_fit: y is NULL");
    int intercept = (int)occam__opt_int(opts, OCCAM_OPT_INTERCEPT, 1);
    int solver = (int)occam__opt_int(opts, OCCAM_OPT_SOLVER, OCCAM_SOLVER_QR);
    double tol = occam__opt_double(opts, OCCAM_OPT_RANK_TOL, LINEAR_RANK_TOL);
    int64_t n = X->n, k = X->p + intercept;
    if (k == 0) return occam__fail(OCCAM_E_INVALID_ARG, "occam_model_fit: no columns and no intercept");

    linear_impl *li = calloc(1, sizeof *li);
    double *sw = malloc((size_t)n * sizeof(double));
    double *z = malloc((size_t)n * sizeof(double));
    if (li) {
        li->y = malloc((size_t)n * sizeof(double));
        li->fitted = malloc((size_t)n * sizeof(double));
        li->w = w ? malloc((size_t)n * sizeof(double)) : NULL;
    }
    occam_lsq *acc = NULL;
    occam_lsq_result res = {0, 0, NULL, NULL, NULL, 0.0};
    occam_coefs c = {0, NULL, NULL, NULL, NULL, NULL, NULL};
    int rc = OCCAM_OK;
    if (!li || !sw || !z || !li->y || !li->fitted || (w && !li->w))
        rc = occam__fail(OCCAM_E_NOMEM, "occam_model_fit: out of memory (n = %lld)", (long long)n);
    if (rc == OCCAM_OK) {
        memcpy(li->y, y, (size_t)n * sizeof(double));
        if (w) memcpy(li->w, w, (size_t)n * sizeof(double));
        for (int64_t i = 0; i < n; i++) {
            sw[i] = w ? sqrt(w[i]) : 1.0;
            z[i] = y[i] - (offset ? offset[i] : 0.0);
        }
        rc = occam__lsq_new(k, solver, &acc);
    }
    if (rc == OCCAM_OK) rc = accumulate(acc, X, intercept, sw, z);
    if (rc == OCCAM_OK) rc = occam__lsq_solve(acc, tol, &res);
    if (rc == OCCAM_OK) rc = fitted_values(X, intercept, res.coef, offset, li->fitted);
    if (rc == OCCAM_OK) {
        summary_stats(li, intercept, n, offset, res.rank);
        double df = li->stats[S_DF_RESIDUAL];
        rc = coef_table(&res, df > 0 ? li->stats[S_RSS] / df : NAN, df, &c);
    }
    occam__lsq_free(acc);
    occam__lsq_result_free(&res);
    free(sw);
    free(z);
    if (rc != OCCAM_OK) {
        linear_free(li);
        return rc;
    }
    linear_free(m->impl);
    m->impl = li;
    occam__coefs_free(&m->coefs);
    m->coefs = c;
    m->p = X->p;
    m->intercept = intercept;
    m->nrows = n;
    m->fitted = 1;
    m->conditions = li->stats[S_RANK] < (double)k ? OCCAM_COND_RANK_DEFICIENT : 0;
    if (m->conditions)
        return occam__fail(OCCAM_W_RANK_DEFICIENT, "%lld of %lld coefficients aliased (not estimable)",
                           (long long)(k - (int64_t)li->stats[S_RANK]), (long long)k);
    return OCCAM_OK;
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
        double q = 0.0;
        for (int64_t a = 0; a < k; a++) {
            if (m->coefs.aliased[a]) continue;
            for (int64_t c = 0; c < k; c++)
                if (!m->coefs.aliased[c]) q += xrow[a] * m->coefs.vcov[a + c * k] * xrow[c];
        }
        se[i] = sqrt(q);
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
    default: return occam__fail(OCCAM_E_WRONG_MODEL, "info key %d is not defined for a linear model", key);
    }
    return OCCAM_OK;
}

static int linear_rows(const occam_model *m, int which, double *out)
{
    const linear_impl *li = m->impl;
    if (li->fitted == NULL)
        return occam__fail(OCCAM_E_WRONG_MODEL, "per-row results exist only for a model fitted in this process");
    for (int64_t i = 0; i < m->nrows; i++) {
        double w = li->w ? li->w[i] : 1.0, r = li->y[i] - li->fitted[i];
        switch (which) {
        case OCCAM_ROWS_FITTED:
        case OCCAM_ROWS_LINEAR_PREDICTOR: out[i] = li->fitted[i]; break;
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
