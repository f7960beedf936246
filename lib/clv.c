/*
 * clv.c -- customer lifetime value from a Pareto/NBD and a Gamma-Gamma
 * model (occam_clv, include/occam.h): CLV = margin x E[M | x, m_x] x DERT,
 * the expected spend per transaction times the discounted expected residual
 * transactions (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value
 * Curves", JMR 42(4), eq. 2 and appendix; CLVTools' predict(CLV), lifetimes'
 * customer_lifetime_value with a continuous discount).  Both models' own
 * predictions (OCCAM_PREDICT_DERT, OCCAM_PREDICT_SPEND): no formula repeated.
 */
#include <math.h>
#include <stdlib.h>

#include "occam.h"
#include "internal.h"

int occam_clv(const occam_model *pnbd, const occam_model *gg, const double *X, int64_t n, int64_t ldx, int layout,
              double delta, double margin, double *clv, double *dert, double *spend, int64_t out_len)
{
    const char *fn = "occam_clv";
    if (pnbd == NULL || gg == NULL || X == NULL || clv == NULL)
        return occam__fail(OCCAM_E_NULL, "%s: %s is NULL", fn,
                           pnbd == NULL ? "pnbd" : gg == NULL ? "gg" : X == NULL ? "X" : "clv");
    if (occam_model_kind(pnbd) != OCCAM_MODEL_PNBD || occam_model_kind(gg) != OCCAM_MODEL_GG)
        return occam__fail(OCCAM_E_WRONG_MODEL, "%s: needs a Pareto/NBD model and a Gamma-Gamma model", fn);
    if (!isfinite(margin)) return occam__fail(OCCAM_E_NONFINITE, "%s: margin = %g is not finite", fn, margin);
    if (n < 0) return occam__fail(OCCAM_E_INVALID_ARG, "%s: n = %lld", fn, (long long)n);
    if (out_len < n)
        return occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "%s: room for %lld values, %lld rows", fn, (long long)out_len,
                           (long long)n);
    if (n == 0) return OCCAM_OK;
    if (layout != OCCAM_COL_MAJOR && layout != OCCAM_ROW_MAJOR)
        return occam__fail(OCCAM_E_INVALID_ARG, "%s: unknown layout %d", fn, layout);
    if (layout == OCCAM_COL_MAJOR ? ldx < n : ldx < 4)
        return occam__fail(OCCAM_E_INVALID_ARG, "%s: ldx = %lld too small", fn, (long long)ldx);
    /* the models read (x, t_x, T) = columns 0..2 and (x, m_x) = columns 0, 3 */
    double *xm = malloc((size_t)n * 2 * sizeof *xm), *d = malloc((size_t)n * sizeof *d), *s = malloc((size_t)n * sizeof *s);
    int rc = xm && d && s ? OCCAM_OK : occam__fail(OCCAM_E_NOMEM, "%s: out of memory for %lld rows", fn, (long long)n);
    for (int64_t i = 0; rc == OCCAM_OK && i < n; i++) {
        xm[i] = layout == OCCAM_COL_MAJOR ? X[i] : X[i * ldx];
        xm[n + i] = layout == OCCAM_COL_MAJOR ? X[3 * ldx + i] : X[i * ldx + 3];
    }
    if (rc == OCCAM_OK)
        rc = occam_model_predict(pnbd, OCCAM_PREDICT_DERT, delta, X, n, 3, ldx, layout, NULL, d, NULL, n);
    if (rc == OCCAM_OK) rc = occam_model_predict(gg, OCCAM_PREDICT_SPEND, 0, xm, n, 2, n, OCCAM_COL_MAJOR, NULL, s, NULL, n);
    for (int64_t i = 0; rc == OCCAM_OK && i < n; i++) {
        clv[i] = margin * s[i] * d[i];
        if (dert) dert[i] = d[i];
        if (spend) spend[i] = s[i];
    }
    free(xm);
    free(d);
    free(s);
    return rc;
}
