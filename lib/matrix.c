/*
 * matrix.c -- validation of caller matrices and vectors: the (data, n, p,
 * ld, layout) view, NaN/Inf scans, prior weights, BLAS integer limits.
 */
#include <math.h>

#include "internal.h"

int occam__matrix_init(occam_matrix *X, const double *data, int64_t n, int64_t p, int64_t ld,
                       int layout, const char *name)
{
    if (n == 0) return occam__fail(OCCAM_E_NO_DATA, "%s has no rows (n = 0)", name);
    if (n < 0 || p < 0)
        return occam__fail(OCCAM_E_INVALID_ARG, "%s: negative dimension (n = %lld, p = %lld)", name,
                           (long long)n, (long long)p);
    if (layout != OCCAM_COL_MAJOR && layout != OCCAM_ROW_MAJOR)
        return occam__fail(OCCAM_E_UNKNOWN_ENUM,
                           "%s: unknown layout %d (use OCCAM_COL_MAJOR = 102 or OCCAM_ROW_MAJOR = 101)",
                           name, layout);
    if (p > 0 && data == NULL) return occam__fail(OCCAM_E_NULL, "%s is NULL", name);
    int64_t min_ld = layout == OCCAM_COL_MAJOR ? n : p;
    if (p > 0 && ld < min_ld)
        return occam__fail(OCCAM_E_INVALID_ARG, "%s: leading dimension %lld < %lld (%s layout)", name,
                           (long long)ld, (long long)min_ld,
                           layout == OCCAM_COL_MAJOR ? "column-major" : "row-major");
    X->data = data;
    X->n = n;
    X->p = p;
    X->ld = ld;
    X->layout = layout;
    return OCCAM_OK;
}

/* 0 * v is NaN exactly when v is NaN or Inf: a branch-free sum the compiler
 * vectorizes, so the scan of a large X runs at memory speed. */
static int all_finite(const double *v, int64_t n)
{
    double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0; /* four chains: no add latency stall */
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
        a0 += 0.0 * v[i];
        a1 += 0.0 * v[i + 1];
        a2 += 0.0 * v[i + 2];
        a3 += 0.0 * v[i + 3];
    }
    for (; i < n; i++) a0 += 0.0 * v[i];
    return (a0 + a1) + (a2 + a3) == 0.0;
}

int occam__check_finite_matrix(const occam_matrix *X, const char *name)
{
    return occam__check_finite_matrix_at(X, name, 0);
}

int occam__check_finite_matrix_at(const occam_matrix *X, const char *name, int64_t row0)
{
    int64_t lines = X->layout == OCCAM_COL_MAJOR ? X->p : X->n;
    int64_t len = X->layout == OCCAM_COL_MAJOR ? X->n : X->p;
    int ok = 1;
    for (int64_t l = 0; l < lines && ok; l++) ok = all_finite(X->data + l * X->ld, len);
    if (ok) return OCCAM_OK;
    for (int64_t j = 0; j < X->p; j++) /* name the first bad cell, column by column */
        for (int64_t i = 0; i < X->n; i++) {
            double v = occam__mat_at(X, i, j);
            if (!isfinite(v))
                return occam__fail(OCCAM_E_NONFINITE, "column %lld of %s is %s at row %lld",
                                   (long long)j + 1, name, isnan(v) ? "NaN" : "Inf", (long long)(row0 + i + 1));
        }
    return OCCAM_OK;
}

int occam__check_finite_vector(const double *v, int64_t n, const char *name)
{
    return occam__check_finite_vector_at(v, n, name, 0);
}

int occam__check_finite_vector_at(const double *v, int64_t n, const char *name, int64_t row0)
{
    if (v == NULL) return OCCAM_OK;
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return occam__fail(OCCAM_E_NONFINITE, "%s is %s at row %lld", name, isnan(v[i]) ? "NaN" : "Inf",
                               (long long)(row0 + i + 1));
    return OCCAM_OK;
}

int occam__check_weights(const double *w, int64_t n)
{
    if (w == NULL) return OCCAM_OK;
    int rc = occam__check_finite_vector(w, n, "weights");
    if (rc != OCCAM_OK) return rc;
    int any_positive = 0;
    for (int64_t i = 0; i < n; i++) {
        if (w[i] < 0)
            return occam__fail(OCCAM_E_BAD_WEIGHTS, "weights must be >= 0: weight %g at row %lld", w[i],
                               (long long)i + 1);
        if (w[i] > 0) any_positive = 1;
    }
    if (!any_positive) return occam__fail(OCCAM_E_NO_DATA, "every weight is 0: no observations to fit");
    return OCCAM_OK;
}

int occam__check_blas_int(int64_t v, const char *what)
{
    if (v < 0 || v > INT32_MAX)
        return occam__fail(OCCAM_E_TOO_LARGE, "%s = %lld does not fit BLAS/LAPACK's 32-bit integers", what,
                           (long long)v);
    return OCCAM_OK;
}
