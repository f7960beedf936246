/*
 * pnbd_tracking.c -- the model's expected cumulative repeat transactions of
 * a cohort (occam_pnbd_expected_cumulative, include/occam.h): the "expected"
 * curve of Fader and Hardie's tracking plot, as BTYD's
 * pnbd.ExpectedCumulativeTransactions: at time t, the sum over the
 * customers born before t of E[X(t - birth)], the expected repeat
 * transactions of a new customer in a window of that length (Fader, Hardie
 * and Lee 2005, "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions", eq. 17; occam_model_predict's OCCAM_PREDICT_EXPECTED_NEW).
 */
#include <math.h>
#include <stdlib.h>

#include "occam.h"
#include "internal.h"

static int check_args(const occam_model *m, const double *birth, const double *count, int64_t n_births,
                      const double *t, int64_t n_t, const double *out)
{
    const char *fn = "occam_pnbd_expected_cumulative";
    if (m == NULL || birth == NULL || count == NULL || t == NULL || out == NULL)
        return occam__fail(OCCAM_E_NULL, "%s: %s is NULL", fn,
                           m == NULL ? "m" : birth == NULL ? "birth" : count == NULL ? "count" : t == NULL ? "t" : "out");
    if (occam_model_kind(m) != OCCAM_MODEL_PNBD) return occam__fail(OCCAM_E_WRONG_MODEL, "%s: not a Pareto/NBD model", fn);
    if (occam_model_is_fitted(m) != 1) return occam__fail(OCCAM_E_NOT_FITTED, "%s: the model has no parameters", fn);
    if (n_births < 0 || n_t < 0) return occam__fail(OCCAM_E_INVALID_ARG, "%s: negative length", fn);
    for (int64_t i = 0; i < n_births; i++)
        if (!isfinite(birth[i]) || !isfinite(count[i]))
            return occam__fail(OCCAM_E_NONFINITE, "%s: birth[%lld] or count[%lld] is not finite", fn, (long long)i,
                               (long long)i);
        else if (count[i] < 0)
            return occam__fail(OCCAM_E_DOMAIN, "%s: count[%lld] = %g is negative", fn, (long long)i, count[i]);
    for (int64_t k = 0; k < n_t; k++)
        if (!isfinite(t[k])) return occam__fail(OCCAM_E_NONFINITE, "%s: t[%lld] is not finite", fn, (long long)k);
    return OCCAM_OK;
}

int occam_pnbd_expected_cumulative(const occam_model *m, const double *birth, const double *count, int64_t n_births,
                                   const double *t, int64_t n_t, double *out)
{
    int rc = check_args(m, birth, count, n_births, t, n_t, out);
    if (rc != OCCAM_OK || n_t == 0) return rc;
    int64_t rows = n_births > 0 ? n_births : 1;
    double *X = calloc((size_t)rows * 3, sizeof *X), *e = malloc((size_t)rows * sizeof *e),
           *res = malloc((size_t)n_t * sizeof *res);
    if (X == NULL || e == NULL || res == NULL)
        rc = occam__fail(OCCAM_E_NOMEM, "occam_pnbd_expected_cumulative: out of memory for %lld births",
                         (long long)n_births);
    for (int64_t k = 0; rc == OCCAM_OK && k < n_t; k++) {
        int64_t n = 0; /* the births before t[k], window lengths t[k] - birth in column T */
        for (int64_t i = 0; i < n_births; i++)
            if (birth[i] < t[k]) X[3 * n++ + 2] = t[k] - birth[i];
        res[k] = 0;
        if (n == 0) continue;
        rc = occam_model_predict(m, OCCAM_PREDICT_EXPECTED_NEW, 0, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, e, NULL, n);
        for (int64_t i = 0, j = 0; rc == OCCAM_OK && i < n_births; i++)
            if (birth[i] < t[k]) res[k] += count[i] * e[j++];
    }
    for (int64_t k = 0; rc == OCCAM_OK && k < n_t; k++) out[k] = res[k]; /* out untouched on error */
    free(X);
    free(e);
    free(res);
    return rc;
}
