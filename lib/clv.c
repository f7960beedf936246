/*
 * clv.c -- customer lifetime value from a Pareto/NBD and a Gamma-Gamma
 * model (occam_clv, occam_clv_table, include/occam.h): CLV = margin x
 * E[M | x, m_x] x DERT, the expected spend per transaction times the
 * discounted expected residual transactions (Fader, Hardie & Lee 2005, "RFM
 * and CLV: Using Iso-Value Curves", JMR 42(4), eq. 2 and appendix; CLVTools'
 * predict(CLV), lifetimes' customer_lifetime_value with a continuous
 * discount).  The models' own predictions, no formula repeated: the spend is
 * OCCAM_PREDICT_SPEND of the Gamma-Gamma model; P(alive), the conditional
 * expectation and DERT come from occam__pnbd_clv_terms (pnbd_predict.c),
 * which evaluates each customer's Pareto/NBD terms once for the three and
 * gives the values of OCCAM_PREDICT_PALIVE, _EXPECTED and _DERT bit for bit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "occam.h"
#include "internal.h"
#include "pnbd.h"

static int check_args(const char *fn, const occam_model *pnbd, const occam_model *gg, const double *X, int64_t n,
                      int64_t ldx, int layout, double margin, const double *clv, int64_t out_len)
{
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
    if (!occam_model_is_fitted(pnbd) || !occam_model_is_fitted(gg))
        return occam__fail(OCCAM_E_NOT_FITTED, "%s: the %s model is not fitted", fn,
                           occam_model_is_fitted(pnbd) ? "Gamma-Gamma" : "Pareto/NBD");
    return OCCAM_OK;
}

/* The Pareto/NBD columns pa, ex, d of the n rows (x, t_x, T = columns 0..2). */
static int pnbd_columns(const occam_model *pnbd, const double *X, int64_t n, int64_t ldx, int layout, double delta,
                        double horizon, double *pa, double *ex, double *d)
{
    occam_matrix Xv;
    int rc = occam__matrix_init(&Xv, X, n, 3, ldx, layout, "X");
    if (rc == OCCAM_OK) rc = occam__check_finite_matrix(&Xv, "X");
    if (rc == OCCAM_OK) rc = occam__pnbd_clv_terms(pnbd, horizon, delta, &Xv, pa, ex, d);
    return rc;
}

/* The Gamma-Gamma spend s of the n rows (x, m_x = columns 0 and 3). */
static int gg_column(const occam_model *gg, const double *X, int64_t n, int64_t ldx, int layout, double *xm, double *s)
{
    for (int64_t i = 0; i < n; i++) {
        xm[i] = layout == OCCAM_COL_MAJOR ? X[i] : X[i * ldx];
        xm[n + i] = layout == OCCAM_COL_MAJOR ? X[3 * ldx + i] : X[i * ldx + 3];
    }
    return occam_model_predict(gg, OCCAM_PREDICT_SPEND, 0, xm, n, 2, n, OCCAM_COL_MAJOR, NULL, s, NULL, n);
}

static void put(double *dst, const double *src, int64_t n)
{
    if (dst) memcpy(dst, src, (size_t)n * sizeof *dst);
}

int occam_clv_table(const occam_model *pnbd, const occam_model *gg, const double *X, int64_t n, int64_t ldx,
                    int layout, double delta, double margin, double horizon, double *p_alive, double *expected,
                    double *dert, double *spend, double *clv, int64_t out_len)
{
    const char *fn = "occam_clv";
    int rc = check_args(fn, pnbd, gg, X, n, ldx, layout, margin, clv, out_len);
    if (rc != OCCAM_OK || n == 0) return rc;
    /* scratch: outputs change only on success */
    double *w = malloc((size_t)n * 6 * sizeof *w);
    if (w == NULL) return occam__fail(OCCAM_E_NOMEM, "%s: out of memory for %lld rows", fn, (long long)n);
    double *pa = w, *ex = w + n, *d = w + 2 * n, *s = w + 3 * n, *xm = w + 4 * n;
    rc = pnbd_columns(pnbd, X, n, ldx, layout, delta, horizon, pa, ex, d);
    if (rc == OCCAM_OK) rc = gg_column(gg, X, n, ldx, layout, xm, s);
    if (rc == OCCAM_OK) {
        for (int64_t i = 0; i < n; i++) clv[i] = margin * s[i] * d[i];
        put(p_alive, pa, n);
        put(expected, ex, n);
        put(dert, d, n);
        put(spend, s, n);
    }
    free(w);
    return rc;
}

int occam_clv(const occam_model *pnbd, const occam_model *gg, const double *X, int64_t n, int64_t ldx, int layout,
              double delta, double margin, double *clv, double *dert, double *spend, int64_t out_len)
{
    return occam_clv_table(pnbd, gg, X, n, ldx, layout, delta, margin, 0, NULL, NULL, dert, spend, clv, out_len);
}
