/*
 * model.c -- the common model handle: construction, the dispatch of the
 * common verbs (fit, predict) to each kind's vtable, and the accessors every
 * kind shares (coefficient table, covariance, scalar info, names).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* -------------------------------------------------------- coefficient table */

int occam__coefs_alloc(occam_coefs *c, int64_t k, const int *aliased)
{
    memset(c, 0, sizeof *c);
    size_t kk = (size_t)(k > 0 ? k : 1);
    c->k = k;
    c->est = malloc(kk * sizeof(double));
    c->se = malloc(kk * sizeof(double));
    c->stat = malloc(kk * sizeof(double));
    c->pval = malloc(kk * sizeof(double));
    c->aliased = calloc(kk, sizeof(int));
    if (c->aliased && aliased) memcpy(c->aliased, aliased, (size_t)k * sizeof(int));
    for (int64_t j = 0; c->aliased && j < k; j++) c->nkept += !c->aliased[j];
    size_t nn = (size_t)(c->nkept > 0 ? c->nkept * c->nkept : 1);
    c->vcov = malloc(nn * sizeof(double));
    c->kept = malloc((size_t)(c->nkept > 0 ? c->nkept : 1) * sizeof(int64_t));
    for (int64_t j = 0, a = 0; c->kept && c->aliased && j < k; j++)
        if (!c->aliased[j]) c->kept[a++] = j;
    if (!c->est || !c->se || !c->stat || !c->pval || !c->vcov || !c->aliased || !c->kept) {
        occam__coefs_free(c);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld coefficients", (long long)k);
    }
    for (size_t j = 0; j < kk; j++) c->est[j] = c->se[j] = c->stat[j] = c->pval[j] = NAN;
    for (size_t j = 0; j < nn; j++) c->vcov[j] = NAN;
    return OCCAM_OK;
}

double occam__coefs_xvx(const occam_coefs *c, const double *x)
{
    double q = 0.0;
    int64_t r = c->nkept;
    for (int64_t a = 0; a < r; a++) {
        double s = 0.0;
        for (int64_t b = 0; b < r; b++) s += c->vcov[a + r * b] * x[c->kept[b]];
        q += x[c->kept[a]] * s;
    }
    return q;
}

void occam__coefs_free(occam_coefs *c)
{
    free(c->est);
    free(c->se);
    free(c->stat);
    free(c->pval);
    free(c->vcov);
    free(c->aliased);
    free(c->kept);
    memset(c, 0, sizeof *c);
}

void occam__coefs_tests(occam_coefs *c, double df_t)
{
    for (int64_t j = 0; j < c->k; j++) {
        c->stat[j] = c->est[j] / c->se[j];
        double a = -fabs(c->stat[j]);
        c->pval[j] = isinf(df_t) ? 2.0 * occam__pnorm(a, 1, 0) : 2.0 * occam__pt(a, df_t, 1);
    }
}

/* ------------------------------------------------------------------ handle */

const occam_vtable *occam__vtable_for_kind(int kind)
{
    switch (kind) {
    case OCCAM_MODEL_LINEAR: return &occam__linear_vtable;
    case OCCAM_MODEL_GLM: return &occam__glm_vtable;
    case OCCAM_MODEL_PNBD: return &occam__pnbd_vtable;
    case OCCAM_MODEL_GG: return &occam__gg_vtable;
    default: return NULL;
    }
}

int occam__model_new(const occam_vtable *vt, void *impl, occam_model **out)
{
    occam_model *m = calloc(1, sizeof *m);
    if (m == NULL) {
        if (vt->free_impl) vt->free_impl(impl);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for a %s model", vt->name);
    }
    m->vt = vt;
    m->impl = impl;
    occam__context_init(&m->ctx);
    *out = m;
    return OCCAM_OK;
}

static void free_names(char **names, int64_t p)
{
    if (names == NULL) return;
    for (int64_t j = 0; j < p; j++) free(names[j]);
    free(names);
}

void occam_model_free(occam_model *m)
{
    if (m == NULL) return;
    if (m->vt->free_impl) m->vt->free_impl(m->impl);
    occam__coefs_free(&m->coefs);
    free_names(m->names, m->p);
    occam__context_free(&m->ctx);
    free(m->design);
    free(m);
}

int occam__conditions_status(int conditions)
{
    for (int code = OCCAM_W_NOT_CONVERGED; code <= OCCAM__W_LAST; code++)
        if (conditions & (1 << (code - 1))) return code;
    return OCCAM_OK;
}

/* ------------------------------------------------------------ common verbs */

int occam_model_fit(occam_model *m, const occam_opts *opts, const double *X, int64_t n, int64_t p,
                    int64_t ldx, int layout, const double *y, const double *weights, const double *offset)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_fit: model is NULL");
    occam_matrix Xv;
    int rc = occam__matrix_init(&Xv, X, n, p, ldx, layout, "X");
    if (rc != OCCAM_OK) return rc;
    if (m->names != NULL && p != m->p)
        return occam__fail(OCCAM_E_DIM_MISMATCH, "X has %lld columns but the model names %lld", (long long)p,
                           (long long)m->p);
    rc = occam__check_finite_matrix(&Xv, "X");
    if (rc == OCCAM_OK) rc = occam__check_finite_vector(y, n, "y");
    if (rc == OCCAM_OK) rc = occam__check_weights(weights, n);
    if (rc == OCCAM_OK) rc = occam__check_finite_vector(offset, n, "offset");
    if (rc != OCCAM_OK) return rc;
    return m->vt->fit(m, opts, &Xv, y, weights, offset);
}

int occam_model_predict(const occam_model *m, int type, double horizon, const double *X, int64_t n, int64_t p,
                        int64_t ldx, int layout, const double *offset, double *out, double *se_out,
                        int64_t out_len)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_predict: model is NULL");
    if (type < OCCAM_PREDICT_RESPONSE || type > OCCAM_PREDICT_DERT)
        return occam__fail(OCCAM_E_UNKNOWN_ENUM, "occam_model_predict: unknown prediction type %d", type);
    if (!m->fitted)
        return occam__fail(OCCAM_E_NOT_FITTED, "occam_model_predict: the %s model is not fitted", m->vt->name);
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_predict: out is NULL");
    occam_matrix Xv;
    int rc = occam__matrix_init(&Xv, X, n, p, ldx, layout, "X");
    if (rc != OCCAM_OK) return rc;
    if (p != m->p)
        return occam__fail(OCCAM_E_DIM_MISMATCH, "X has %lld columns, the model was fitted with %lld",
                           (long long)p, (long long)m->p);
    if (out_len < n)
        return occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "out has room for %lld values, %lld needed",
                           (long long)out_len, (long long)n);
    rc = occam__check_finite_matrix(&Xv, "X");
    if (rc == OCCAM_OK) rc = occam__check_finite_vector(offset, n, "offset");
    if (rc != OCCAM_OK) return rc;
    if (isnan(horizon))
        return occam__fail(OCCAM_E_NONFINITE, type == OCCAM_PREDICT_DERT
                                                  ? "occam_model_predict: the DERT discount rate (horizon) is NaN"
                                                  : "occam_model_predict: horizon is NaN");
    return m->vt->predict(m, type, horizon, &Xv, offset, out, se_out);
}

/* --------------------------------------------------------------- accessors */

int occam_model_kind(const occam_model *m)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_kind: model is NULL");
    return m->vt->kind;
}

int occam_model_is_fitted(const occam_model *m)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_is_fitted: model is NULL");
    return m->fitted;
}

static int need_fitted(const occam_model *m, const char *fn)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "%s: model is NULL", fn);
    if (!m->fitted) return occam__fail(OCCAM_E_NOT_FITTED, "%s: the %s model is not fitted", fn, m->vt->name);
    return OCCAM_OK;
}

int occam_model_dims(const occam_model *m, int64_t *k, int64_t *p)
{
    int rc = need_fitted(m, "occam_model_dims");
    if (rc != OCCAM_OK) return rc;
    if (k) *k = m->coefs.k;
    if (p) *p = m->p;
    return OCCAM_OK;
}

int occam_model_coef(const occam_model *m, int column, double *out, int64_t len)
{
    int rc = need_fitted(m, "occam_model_coef");
    if (rc != OCCAM_OK) return rc;
    const double *src;
    switch (column) {
    case OCCAM_COEF_ESTIMATE: src = m->coefs.est; break;
    case OCCAM_COEF_STD_ERROR: src = m->coefs.se; break;
    case OCCAM_COEF_STATISTIC: src = m->coefs.stat; break;
    case OCCAM_COEF_P_VALUE: src = m->coefs.pval; break;
    default: return occam__fail(OCCAM_E_UNKNOWN_ENUM, "occam_model_coef: unknown column %d", column);
    }
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_coef: out is NULL");
    if (len < m->coefs.k)
        return occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "occam_model_coef: room for %lld, %lld needed",
                           (long long)len, (long long)m->coefs.k);
    memcpy(out, src, (size_t)m->coefs.k * sizeof(double));
    return OCCAM_OK;
}

int occam_model_aliased(const occam_model *m, int *out, int64_t len)
{
    int rc = need_fitted(m, "occam_model_aliased");
    if (rc != OCCAM_OK) return rc;
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_aliased: out is NULL");
    if (len < m->coefs.k)
        return occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "occam_model_aliased: room for %lld, %lld needed",
                           (long long)len, (long long)m->coefs.k);
    memcpy(out, m->coefs.aliased, (size_t)m->coefs.k * sizeof(int));
    return OCCAM_OK;
}

int occam_model_vcov(const occam_model *m, double *out, int64_t ld)
{
    int rc = need_fitted(m, "occam_model_vcov");
    if (rc != OCCAM_OK) return rc;
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_vcov: out is NULL");
    int64_t k = m->coefs.k;
    if (ld < k || ld < 1)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_model_vcov: ld = %lld < k = %lld", (long long)ld,
                           (long long)k);
    const occam_coefs *c = &m->coefs;
    for (int64_t j = 0, jk = 0; j < k; j++) {
        for (int64_t i = 0, ik = 0; i < k; i++)
            out[i + j * ld] = c->aliased[i] || c->aliased[j] ? NAN : c->vcov[ik++ + jk * c->nkept];
        jk += !c->aliased[j];
    }
    return OCCAM_OK;
}

int occam_model_vcov_estimable(const occam_model *m, double *out, int64_t ld)
{
    int rc = need_fitted(m, "occam_model_vcov_estimable");
    if (rc != OCCAM_OK) return rc;
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_vcov_estimable: out is NULL");
    int64_t r = m->coefs.nkept;
    if (ld < r || ld < 1)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_model_vcov_estimable: ld = %lld < r = %lld", (long long)ld,
                           (long long)r);
    for (int64_t j = 0; j < r; j++)
        for (int64_t i = 0; i < r; i++) out[i + j * ld] = m->coefs.vcov[i + j * r];
    return OCCAM_OK;
}

int occam_model_info(const occam_model *m, int key, double *value)
{
    int rc = need_fitted(m, "occam_model_info");
    if (rc != OCCAM_OK) return rc;
    if (value == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_info: value is NULL");
    if (key < OCCAM_INFO_NOBS ||
        (key > OCCAM_INFO_GRAD_NORM && key != OCCAM_INFO_SOLVER && key != OCCAM_INFO_CORRELATION &&
         key != OCCAM_INFO_FAST))
        return occam__fail(OCCAM_E_UNKNOWN_ENUM, "occam_model_info: unknown key %d", key);
    if (key == OCCAM_INFO_INTERCEPT) {
        *value = m->intercept;
        return OCCAM_OK;
    }
    if (m->vt->info == NULL)
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_model_info: key %d not available for a %s model", key,
                           m->vt->name);
    return m->vt->info(m, key, value);
}

int occam_model_conditions(const occam_model *m, int *flags)
{
    if (m == NULL || flags == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_conditions: NULL argument");
    *flags = m->conditions;
    return OCCAM_OK;
}

int occam_model_rows(const occam_model *m, int which, double *out, int64_t len)
{
    int rc = need_fitted(m, "occam_model_rows");
    if (rc != OCCAM_OK) return rc;
    if (which < OCCAM_ROWS_FITTED || which > OCCAM_ROWS_PRIOR_WEIGHTS)
        return occam__fail(OCCAM_E_UNKNOWN_ENUM, "occam_model_rows: unknown selector %d", which);
    if (m->vt->rows == NULL || m->nrows == 0)
        return occam__fail(OCCAM_E_WRONG_MODEL, "occam_model_rows: no per-row results for this %s model",
                           m->vt->name);
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_rows: out is NULL");
    if (len < m->nrows)
        return occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "occam_model_rows: room for %lld, %lld needed",
                           (long long)len, (long long)m->nrows);
    return m->vt->rows(m, which, out);
}

int occam_model_nrows(const occam_model *m, int64_t *n)
{
    if (m == NULL || n == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_nrows: NULL argument");
    *n = m->nrows;
    return OCCAM_OK;
}

/* ------------------------------------------------------------------- names */

int occam_model_set_names(occam_model *m, const char *const *names, int64_t p)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_set_names: model is NULL");
    if (p < 0) return occam__fail(OCCAM_E_INVALID_ARG, "occam_model_set_names: p = %lld < 0", (long long)p);
    if (p > 0 && names == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_set_names: names is NULL");
    if (m->fitted && p != 0 && p != m->p)
        return occam__fail(OCCAM_E_DIM_MISMATCH, "occam_model_set_names: %lld names for %lld columns",
                           (long long)p, (long long)m->p);
    char **copy = NULL;
    if (p > 0) {
        copy = calloc((size_t)p, sizeof(char *));
        if (copy == NULL) return occam__fail(OCCAM_E_NOMEM, "occam_model_set_names: out of memory");
        for (int64_t j = 0; j < p; j++) {
            int rc = occam_name_check(names[j], NULL);
            if (rc != OCCAM_OK) {
                char why[256];
                snprintf(why, sizeof why, "%s", occam_last_error());
                free_names(copy, p);
                return occam__fail(rc, "occam_model_set_names: column %lld (index %lld): %s", (long long)j + 1,
                                   (long long)j, why);
            }
            copy[j] = malloc(strlen(names[j]) + 1);
            if (copy[j] == NULL) {
                free_names(copy, p);
                return occam__fail(OCCAM_E_NOMEM, "occam_model_set_names: out of memory");
            }
            strcpy(copy[j], names[j]);
        }
    }
    free_names(m->names, m->p);
    m->names = copy;
    if (!m->fitted) m->p = p;
    return OCCAM_OK;
}

static int copy_name(const char *s, char *buf, size_t cap, size_t *needed)
{
    size_t len = strlen(s) + 1;
    if (needed) *needed = len;
    if (buf == NULL || cap < len)
        return occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "name needs %zu bytes, buffer has %zu", len, cap);
    memcpy(buf, s, len);
    return OCCAM_OK;
}

static const char *const pnbd_coef_names[4] = {"r", "alpha", "s", "beta"};
static const char *const gg_coef_names[3] = {"p", "q", "gamma"};

int occam_model_coef_name(const occam_model *m, int64_t j, char *buf, size_t cap, size_t *needed)
{
    int rc = need_fitted(m, "occam_model_coef_name");
    if (rc != OCCAM_OK) return rc;
    if (j < 0 || j >= m->coefs.k)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_model_coef_name: index %lld outside 0..%lld",
                           (long long)j, (long long)m->coefs.k - 1);
    if (m->vt->kind == OCCAM_MODEL_PNBD) return copy_name(pnbd_coef_names[j], buf, cap, needed);
    if (m->vt->kind == OCCAM_MODEL_GG) return copy_name(gg_coef_names[j], buf, cap, needed);
    if (m->intercept && j == 0) return copy_name("(Intercept)", buf, cap, needed);
    int64_t col = j - m->intercept;
    if (m->names) return copy_name(m->names[col], buf, cap, needed);
    char tmp[32];
    snprintf(tmp, sizeof tmp, "x%lld", (long long)col + 1);
    return copy_name(tmp, buf, cap, needed);
}

int occam_model_column_name(const occam_model *m, int64_t j, char *buf, size_t cap, size_t *needed)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_column_name: model is NULL");
    if (j < 0 || j >= m->p)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_model_column_name: index %lld outside 0..%lld",
                           (long long)j, (long long)m->p - 1);
    return copy_name(m->names ? m->names[j] : "", buf, cap, needed);
}
