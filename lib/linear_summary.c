/*
 * linear_summary.c -- what R's summary.lm (R 4.2.2, src/library/stats/R/lm.R)
 * reports for a least-squares fit: residual standard error, R^2 and
 * adjusted R^2, the F statistic, logLik.lm and AIC, the coefficient table,
 * and its warning "essentially perfect fit: summary may be unreliable".
 *
 * The sums of squares are computed scaled: the terms sqrt(w) x are divided
 * by a power of 2 near their largest magnitude (exact; in one pass, the sum
 * so far rescaled when a larger term comes) and their squares summed with
 * error-free transformations (as Dot2, lsq_refine.c), so they are accurate
 * to a few units of rounding and cannot overflow.  A sum of
 * squares is then scale^2 * sum; sigma, R^2, F and log(RSS) are formed from
 * the scaled parts and are finite whenever the data are (y = +-1e200 gives
 * sigma ~ 1e200; its square, the RSS, is not a double and is stored as Inf
 * with OCCAM_COND_OVERFLOW).
 */
#include <float.h>
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

enum { SSQ_MIN_E = -1000 }; /* 2^-e stays finite; such terms are tiny anyway */

void occam__ssq_init(occam_ssq *q) { *q = (occam_ssq){0.0, 0.0, SSQ_MIN_E, 0, 0}; }

void occam__ssq_add(occam_ssq *q, double v)
{
    double av = fabs(v);
    if (!(av <= DBL_MAX)) { /* Inf or NaN: passed on */
        if (isnan(v)) q->nan = 1;
        else q->inf = 1;
        return;
    }
    if (av == 0.0) return;
    int e;
    frexp(av, &e);
    if (e > q->e) { /* a larger term: rescale what is summed (exact, by a power of 2) */
        q->s = ldexp(q->s, 2 * (q->e - e));
        q->c = ldexp(q->c, 2 * (q->e - e));
        q->e = e;
    }
    double t = v * ldexp(1.0, -q->e); /* exact scaling */
    occam__dot2_add(t, t, &q->s, &q->c);
}

void occam__ssq_merge(occam_ssq *dst, const occam_ssq *src)
{
    occam_ssq b = *src;
    if (b.e > dst->e) {
        dst->s = ldexp(dst->s, 2 * (dst->e - b.e));
        dst->c = ldexp(dst->c, 2 * (dst->e - b.e));
        dst->e = b.e;
    } else {
        b.s = ldexp(b.s, 2 * (b.e - dst->e));
        b.c = ldexp(b.c, 2 * (b.e - dst->e));
    }
    double q;
    occam__two_sum(dst->s, b.s, &dst->s, &q);
    dst->c += q + b.c;
    dst->inf |= b.inf;
    dst->nan |= b.nan;
}

/* The value as sum * 2^e2: Inf or NaN when such a term came (Inf first). */
static ssq ssq_of(const occam_ssq *q)
{
    ssq out = {q->s + q->c, 2 * q->e};
    if (q->inf) out = (ssq){INFINITY, 0};
    else if (q->nan) out = (ssq){NAN, 0};
    else if (out.sum == 0.0) out.e2 = 0;
    return out;
}

/* R's rule: resvar < (mean(f)^2 + var(f)) * 1e-30 with resvar finite, f the
 * fitted values of all rows (zero weights included, offset included). */
static int perfect_fit(const occam_linear_sums *t, double resvar)
{
    if (!isfinite(resvar) || t->fn < 2) return 0;
    double var = t->fm2 / (double)(t->fn - 1);
    return resvar < (t->fmean * t->fmean + var) * 1e-30;
}

int occam__linear_summary(const occam_linear_sums *t, int intercept, int64_t rank, double *s)
{
    ssq rss = ssq_of(&t->rss), mss = ssq_of(&t->mss), nul = ssq_of(&t->nul);
    if (intercept && isfinite(mss.sum) && t->sum_w > 0) { /* about the weighted mean: mss - W (mean - cf)^2 */
        double d = ldexp(t->s1 + t->s1c, -mss.e2 / 2);
        mss.sum = fmax(mss.sum - d * d / t->sum_w, 0.0);
    }
    double df = (double)(t->nobs - rank), dfint = intercept ? 1.0 : 0.0, N = (double)t->nobs;
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
    s[S_LOGLIK] = 0.5 * (t->sum_logw - N * (log(2.0 * 3.141592653589793238462643383279503) + 1.0 - log(N) + ssq_log(rss)));
    s[S_AIC] = -2.0 * s[S_LOGLIK] + 2.0 * ((double)rank + 1.0);
    int cond = perfect_fit(t, s[S_RSS] / df) ? OCCAM_COND_PERFECT_FIT : 0;
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
