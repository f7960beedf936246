/*
 * linear_summary.c -- what R's summary.lm (R 4.2.2, src/library/stats/R/lm.R)
 * reports for a least-squares fit: residual standard error, R^2 and
 * adjusted R^2, the F statistic, logLik.lm and AIC, the coefficient table,
 * and its warning "essentially perfect fit: summary may be unreliable".
 *
 * The sums of squares are computed scaled: the terms sqrt(w) x are divided
 * by a power of 2 near their largest magnitude (exact) and their squares
 * summed with error-free transformations (as Dot2, lsq_refine.c), so they
 * are accurate to a few units of rounding and cannot overflow.  A sum of
 * squares is then scale^2 * sum; sigma, R^2, F and log(RSS) are formed from
 * the scaled parts and are finite whenever the data are (y = +-1e200 gives
 * sigma ~ 1e200; its square, the RSS, is not a double and is stored as Inf
 * with OCCAM_COND_OVERFLOW).
 */
#include <math.h>
#include <stdlib.h>

#include "eft.h"
#include "linear_internal.h"

/* A sum of squares as sum * 2^e2 (e2 even). */
typedef struct ssq {
    double sum;
    int e2;
} ssq;

static double ssq_value(ssq s) { return ldexp(s.sum, s.e2); }
static double ssq_log(ssq s) { return log(s.sum) + (double)s.e2 * 0.693147180559945309417232121458176568; }
/* a / b, 0 or Inf where it leaves the double range */
static double ssq_ratio(ssq a, ssq b) { return ldexp(a.sum / b.sum, a.e2 - b.e2); }

/* sum over the rows with w > 0 of w (x_i - center)^2, x = a - b (b may be
 * NULL), into a scaled, compensated sum. */
static ssq weighted_ssq(const double *w, const double *a, const double *b, double center, int64_t n)
{
    double m = 0.0;
    for (int64_t i = 0; i < n; i++) {
        if (w && !(w[i] > 0)) continue;
        double v = (w ? sqrt(w[i]) : 1.0) * fabs(a[i] - (b ? b[i] : 0.0) - center);
        m = v > m ? v : m;
    }
    ssq out = {0.0, 0};
    if (!(m > 0.0) || !isfinite(m)) {
        out.sum = m > 0.0 ? m : 0.0; /* 0, or Inf/NaN passed on */
        return out;
    }
    int e;
    frexp(m, &e);
    if (e < -1000) e = -1000; /* 2^-e stays finite; such terms are tiny anyway */
    double scale = ldexp(1.0, -e), s = 0.0, c = 0.0;
    for (int64_t i = 0; i < n; i++) {
        if (w && !(w[i] > 0)) continue;
        double v = (w ? sqrt(w[i]) : 1.0) * (a[i] - (b ? b[i] : 0.0) - center) * scale; /* exact scaling */
        occam__dot2_add(v, v, &s, &c);
    }
    out.sum = s + c;
    out.e2 = 2 * e;
    return out;
}

/* R's rule: resvar < (mean(f)^2 + var(f)) * 1e-30 with resvar finite, f the
 * fitted values of all rows (zero weights included, offset included). */
static int perfect_fit(const linear_impl *li, int64_t n, double resvar)
{
    if (!isfinite(resvar) || n < 2) return 0;
    double mean = 0.0, var = 0.0;
    for (int64_t i = 0; i < n; i++) mean += li->y[i] - li->resid[i];
    mean /= (double)n;
    for (int64_t i = 0; i < n; i++) {
        double d = li->y[i] - li->resid[i] - mean;
        var += d * d;
    }
    var /= (double)(n - 1);
    return resvar < (mean * mean + var) * 1e-30;
}

/* Weighted means of the fitted values and of y - offset over the rows used. */
static void weighted_means(const linear_impl *li, int64_t n, const double *offset, double *mf, double *my,
                           double *sumlogw, int64_t *nobs)
{
    double sw = 0.0, swf = 0.0, swy = 0.0;
    *sumlogw = 0.0;
    *nobs = 0;
    for (int64_t i = 0; i < n; i++) {
        double w = li->w ? li->w[i] : 1.0;
        if (!(w > 0)) continue;
        ++*nobs;
        sw += w;
        swf += w * (li->y[i] - li->resid[i]); /* R 4.2's summary.lm keeps the offset in f */
        swy += w * (li->y[i] - (offset ? offset[i] : 0.0));
        *sumlogw += log(w);
    }
    *mf = swf / sw;
    *my = swy / sw;
}

int occam__linear_summary(linear_impl *li, int intercept, int64_t n, const double *offset, int64_t rank)
{
    double *s = li->stats, mf, my, sumlogw;
    int64_t nobs;
    weighted_means(li, n, offset, &mf, &my, &sumlogw, &nobs);
    double *f = malloc((size_t)n * sizeof(double));
    if (f == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for the fit summary (n = %lld)", (long long)n);
    for (int64_t i = 0; i < n; i++) f[i] = li->y[i] - li->resid[i];
    ssq rss = weighted_ssq(li->w, li->resid, NULL, 0.0, n);
    ssq mss = weighted_ssq(li->w, f, NULL, intercept ? mf : 0.0, n);
    ssq nul = weighted_ssq(li->w, li->y, offset, intercept ? my : 0.0, n);
    free(f);
    double df = (double)(nobs - rank), dfint = intercept ? 1.0 : 0.0, N = (double)nobs;
    s[S_NOBS] = N;
    s[S_RANK] = (double)rank;
    s[S_DF_RESIDUAL] = df;
    s[S_DF_NULL] = N - dfint;
    s[S_RSS] = ssq_value(rss);
    s[S_NULL_RSS] = ssq_value(nul);
    s[S_SIGMA] = df > 0 ? ldexp(sqrt(rss.sum / df), rss.e2 / 2) : NAN;
    s[S_R2] = 1.0 / (1.0 + ssq_ratio(rss, mss)); /* mss / (mss + rss) */
    s[S_ADJ_R2] = 1.0 - (1.0 - s[S_R2]) * ((N - dfint) / df);
    s[S_F_NUMDF] = (double)rank - dfint;
    s[S_F_DENDF] = df;
    /* (mss / numdf) / (rss / df) */
    s[S_FSTAT] = s[S_F_NUMDF] > 0 && df > 0 ? (df / s[S_F_NUMDF]) / ssq_ratio(rss, mss) : NAN;
    s[S_F_P] = s[S_F_NUMDF] > 0 ? occam__pf(s[S_FSTAT], s[S_F_NUMDF], df, 0) : NAN;
    /* logLik.lm: 0.5 * (sum(log w) - N (log(2 pi) + 1 - log N + log(sum(w r^2)))) */
    s[S_LOGLIK] = 0.5 * (sumlogw - N * (log(2.0 * 3.141592653589793238462643383279503) + 1.0 - log(N) + ssq_log(rss)));
    s[S_AIC] = -2.0 * s[S_LOGLIK] + 2.0 * ((double)rank + 1.0);
    int cond = perfect_fit(li, n, s[S_RSS] / df) ? OCCAM_COND_PERFECT_FIT : 0;
    if ((isinf(s[S_RSS]) && isfinite(rss.sum)) || (isinf(s[S_NULL_RSS]) && isfinite(nul.sum)))
        cond |= OCCAM_COND_OVERFLOW;
    return cond;
}

int occam__linear_coef_table(const occam_lsq_result *res, double sigma, double df, occam_coefs *c, int *conditions)
{
    int rc = occam__coefs_alloc(c, res->k, res->aliased);
    if (rc != OCCAM_OK) return rc;
    int64_t k = res->k, r = res->rank;
    double resvar = sigma * sigma;
    for (int64_t j = 0, a = 0; j < k; j++) {
        c->est[j] = res->aliased[j] ? NAN : res->coef[j];
        if (res->aliased[j]) continue;
        c->se[j] = sigma * sqrt(res->cov_unscaled[a + a * r]);
        if (isinf(c->se[j])) *conditions |= OCCAM_COND_OVERFLOW;
        a++;
    }
    for (int64_t j = 0; j < r * r; j++) {
        c->vcov[j] = resvar * res->cov_unscaled[j];
        if (isinf(c->vcov[j])) *conditions |= OCCAM_COND_OVERFLOW;
    }
    occam__coefs_tests(c, df);
    return OCCAM_OK;
}
