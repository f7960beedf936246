/*
 * glm_family.c -- R's GLM families and links (R 4.2.2: stats::family.R,
 * make.link, src/library/stats/src/family.c), one scalar function per
 * family$ or link$ member, and the log densities family$aic needs.
 *
 * The densities follow Loader (2000), "Fast and accurate computation of
 * binomial probabilities": the saddle-point expansion with the Stirling
 * error term stirlerr() and the deviance term bd0(), as R's nmath does.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "glm_family.h"

#define GLM_EPS DBL_EPSILON
#define GLM_PI 3.141592653589793238462643383280
/* -qnorm(DBL_EPSILON) and -qcauchy(DBL_EPSILON): the clamping thresholds of
 * R's probit and cauchit linkinv (values printed by R 4.2.2 with %.17g). */
#define PROBIT_THRESH 8.125890664701906
#define CAUCHIT_THRESH 1433540284805664.8
/* logit linkinv/mu.eta thresholds of R's family.c */
#define LOGIT_THRESH 30.0
#define LOGIT_MTHRESH -30.0
#define LN_SQRT_2PI 0.918938533204672741780329736406 /* log(sqrt(2*pi)) */
#define LN_2PI 1.837877066409345483560659472811      /* log(2*pi) */

/* ------------------------------------------------------------ names, pairs */

/* ASCII case-insensitive equality (no locale). */
static int same_name(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z') ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z') cb += 'a' - 'A';
        if (ca != cb) return 0;
        if (ca == 0) return 1;
    }
}

static const char *const family_names[] = {NULL, "gaussian", "binomial", "poisson", "Gamma",
                                           "inverse.gaussian", "quasibinomial", "quasipoisson"};
static const char *const link_names[] = {NULL, "identity", "log", "inverse", "logit", "probit",
                                         "cauchit", "cloglog", "sqrt", "1/mu^2"};
enum { N_FAMILIES = 7, N_LINKS = 9 };

const char *occam_family_name(int family)
{
    return family >= 1 && family <= N_FAMILIES ? family_names[family] : NULL;
}

const char *occam_link_name(int link) { return link >= 1 && link <= N_LINKS ? link_names[link] : NULL; }

int occam_family_parse(const char *name, int *family)
{
    if (name == NULL || family == NULL) return occam__fail(OCCAM_E_NULL, "occam_family_parse: NULL argument");
    for (int f = 1; f <= N_FAMILIES; f++)
        if (same_name(name, family_names[f])) {
            *family = f;
            return OCCAM_OK;
        }
    return occam__fail(OCCAM_E_UNKNOWN_ENUM,
                       "unknown family '%s' (gaussian, binomial, poisson, Gamma, inverse.gaussian, "
                       "quasibinomial, quasipoisson)",
                       name);
}

int occam_link_parse(const char *name, int *link)
{
    if (name == NULL || link == NULL) return occam__fail(OCCAM_E_NULL, "occam_link_parse: NULL argument");
    for (int l = 1; l <= N_LINKS; l++)
        if (same_name(name, link_names[l])) {
            *link = l;
            return OCCAM_OK;
        }
    return occam__fail(OCCAM_E_UNKNOWN_ENUM,
                       "unknown link '%s' (identity, log, inverse, logit, probit, cauchit, cloglog, sqrt, "
                       "1/mu^2)",
                       name);
}

/* R's okLinks of each family, default link first. */
static const int ok_links[N_FAMILIES + 1][6] = {
    {0},
    {OCCAM_LINK_IDENTITY, OCCAM_LINK_LOG, OCCAM_LINK_INVERSE, 0},
    {OCCAM_LINK_LOGIT, OCCAM_LINK_PROBIT, OCCAM_LINK_CLOGLOG, OCCAM_LINK_CAUCHIT, OCCAM_LINK_LOG, 0},
    {OCCAM_LINK_LOG, OCCAM_LINK_IDENTITY, OCCAM_LINK_SQRT, 0},
    {OCCAM_LINK_INVERSE, OCCAM_LINK_LOG, OCCAM_LINK_IDENTITY, 0},
    {OCCAM_LINK_INVERSE_SQUARE, OCCAM_LINK_INVERSE, OCCAM_LINK_LOG, OCCAM_LINK_IDENTITY, 0},
    {OCCAM_LINK_LOGIT, OCCAM_LINK_PROBIT, OCCAM_LINK_CLOGLOG, OCCAM_LINK_CAUCHIT, OCCAM_LINK_LOG, 0},
    {OCCAM_LINK_LOG, OCCAM_LINK_IDENTITY, OCCAM_LINK_SQRT, 0},
};

int occam__glm_check_pair(int family, int link, int *resolved)
{
    if (family < 1 || family > N_FAMILIES)
        return occam__fail(OCCAM_E_UNKNOWN_ENUM, "unknown GLM family %d", family);
    if (link < 0 || link > N_LINKS) return occam__fail(OCCAM_E_UNKNOWN_ENUM, "unknown GLM link %d", link);
    if (link == OCCAM_LINK_DEFAULT) {
        *resolved = ok_links[family][0];
        return OCCAM_OK;
    }
    for (int i = 0; ok_links[family][i] != 0; i++)
        if (ok_links[family][i] == link) {
            *resolved = link;
            return OCCAM_OK;
        }
    return occam__fail(OCCAM_E_BAD_LINK, "link \"%s\" not available for %s family", link_names[link],
                       family_names[family]);
}

int occam__glm_is_binomial(int family)
{
    return family == OCCAM_FAMILY_BINOMIAL || family == OCCAM_FAMILY_QUASIBINOMIAL;
}

int occam__glm_is_poisson(int family)
{
    return family == OCCAM_FAMILY_POISSON || family == OCCAM_FAMILY_QUASIPOISSON;
}

int occam__glm_dispersion_fixed(int family)
{
    return family == OCCAM_FAMILY_BINOMIAL || family == OCCAM_FAMILY_POISSON;
}

int occam__glm_is_quasi(int family)
{
    return family == OCCAM_FAMILY_QUASIBINOMIAL || family == OCCAM_FAMILY_QUASIPOISSON;
}

int occam__glm_loglik_extra_df(int family)
{
    return family == OCCAM_FAMILY_GAUSSIAN || family == OCCAM_FAMILY_GAMMA ||
           family == OCCAM_FAMILY_INVERSE_GAUSSIAN;
}

/* ------------------------------------------------------------------- links */

/* tan(pi x) as R's tanpi: exact at the quarter points. */
static double tanpi(double x)
{
    x = fmod(x, 1.0);
    if (x <= -0.5)
        x++;
    else if (x > 0.5)
        x--;
    if (x == 0.0) return 0.0;
    if (x == 0.5) return NAN;
    if (x == 0.25) return 1.0;
    if (x == -0.25) return -1.0;
    return tan(GLM_PI * x);
}

/* R's qcauchy(p) for location 0, scale 1, lower tail. */
static double qcauchy(double p)
{
    if (isnan(p) || p < 0 || p > 1) return NAN;
    int lower = 1;
    if (p > 0.5) {
        if (p == 1.0) return INFINITY;
        p = 1.0 - p;
        lower = 0;
    }
    if (p == 0.5) return 0.0;
    if (p == 0.0) return -INFINITY;
    return (lower ? -1.0 : 1.0) / tanpi(p);
}

/* R's pcauchy(x), lower tail. */
static double pcauchy(double x)
{
    if (isnan(x)) return x;
    if (fabs(x) > 1) {
        double y = atan(1 / x) / GLM_PI;
        return x > 0 ? (0.5 - y + 0.5) : -y;
    }
    return 0.5 + atan(x) / GLM_PI;
}

static double clamp(double v, double lo, double hi) { return v < lo ? lo : (v > hi ? hi : v); }

/* The hot cases, shared by the scalar and the vector (_n) forms below so
 * that both give bit-identical values. */
static inline double linkinv_log(double eta) { return fmax(exp(eta), GLM_EPS); }
static inline double linkinv_logit(double eta)
{
    double t = eta < LOGIT_MTHRESH ? GLM_EPS : (eta > LOGIT_THRESH ? 1.0 / GLM_EPS : exp(eta));
    return t / (1.0 + t);
}
static inline double mu_eta_logit(double eta)
{
    double opexp = 1.0 + exp(eta);
    return (eta > LOGIT_THRESH || eta < LOGIT_MTHRESH) ? GLM_EPS : exp(eta) / (opexp * opexp);
}

double occam__glm_linkfun(int link, double mu)
{
    switch (link) {
    case OCCAM_LINK_IDENTITY: return mu;
    case OCCAM_LINK_LOG: return log(mu);
    case OCCAM_LINK_INVERSE: return 1.0 / mu;
    case OCCAM_LINK_LOGIT: return log(mu / (1.0 - mu));
    case OCCAM_LINK_PROBIT: return occam__qnorm(mu, 1);
    case OCCAM_LINK_CAUCHIT: return qcauchy(mu);
    case OCCAM_LINK_CLOGLOG: return log(-log(1.0 - mu));
    case OCCAM_LINK_SQRT: return sqrt(mu);
    case OCCAM_LINK_INVERSE_SQUARE: return 1.0 / (mu * mu);
    default: return NAN;
    }
}

double occam__glm_linkinv(int link, double eta)
{
    switch (link) {
    case OCCAM_LINK_IDENTITY: return eta;
    case OCCAM_LINK_LOG: return linkinv_log(eta);
    case OCCAM_LINK_INVERSE: return 1.0 / eta;
    case OCCAM_LINK_LOGIT: return linkinv_logit(eta);
    case OCCAM_LINK_PROBIT:
        if (isnan(eta)) return eta;
        return occam__pnorm(clamp(eta, -PROBIT_THRESH, PROBIT_THRESH), 1, 0);
    case OCCAM_LINK_CAUCHIT:
        if (isnan(eta)) return eta;
        return pcauchy(clamp(eta, -CAUCHIT_THRESH, CAUCHIT_THRESH));
    case OCCAM_LINK_CLOGLOG:
        if (isnan(eta)) return eta;
        return fmax(fmin(-expm1(-exp(eta)), 1.0 - GLM_EPS), GLM_EPS);
    case OCCAM_LINK_SQRT: return eta * eta;
    case OCCAM_LINK_INVERSE_SQUARE: return 1.0 / sqrt(eta);
    default: return NAN;
    }
}

double occam__glm_mu_eta(int link, double eta)
{
    switch (link) {
    case OCCAM_LINK_IDENTITY: return 1.0;
    case OCCAM_LINK_LOG: return linkinv_log(eta);
    case OCCAM_LINK_INVERSE: return -1.0 / (eta * eta);
    case OCCAM_LINK_LOGIT: return mu_eta_logit(eta);
    case OCCAM_LINK_PROBIT: return isnan(eta) ? eta : fmax(occam__dnorm(eta), GLM_EPS);
    case OCCAM_LINK_CAUCHIT: return isnan(eta) ? eta : fmax(1.0 / (GLM_PI * (1.0 + eta * eta)), GLM_EPS);
    case OCCAM_LINK_CLOGLOG: {
        if (isnan(eta)) return eta;
        double e = fmin(eta, 700.0);
        return fmax(exp(e) * exp(-exp(e)), GLM_EPS);
    }
    case OCCAM_LINK_SQRT: return 2.0 * eta;
    case OCCAM_LINK_INVERSE_SQUARE: return -1.0 / (2.0 * pow(eta, 1.5));
    default: return NAN;
    }
}

int occam__glm_valideta(int link, double eta)
{
    switch (link) {
    case OCCAM_LINK_INVERSE: return isfinite(eta) && eta != 0.0;
    case OCCAM_LINK_SQRT:
    case OCCAM_LINK_INVERSE_SQUARE: return isfinite(eta) && eta > 0.0;
    default: return 1;
    }
}

/* ---------------------------------------------------------------- families */

double occam__glm_variance(int family, double mu)
{
    switch (family) {
    case OCCAM_FAMILY_GAUSSIAN: return 1.0;
    case OCCAM_FAMILY_BINOMIAL:
    case OCCAM_FAMILY_QUASIBINOMIAL: return mu * (1.0 - mu);
    case OCCAM_FAMILY_POISSON:
    case OCCAM_FAMILY_QUASIPOISSON: return mu;
    case OCCAM_FAMILY_GAMMA: return mu * mu;
    case OCCAM_FAMILY_INVERSE_GAUSSIAN: return pow(mu, 3.0);
    default: return NAN;
    }
}

static inline int validmu_binomial(double mu) { return isfinite(mu) && mu > 0.0 && mu < 1.0; }
static inline int validmu_positive(double mu) { return isfinite(mu) && mu > 0.0; }

int occam__glm_validmu(int family, double mu)
{
    switch (family) {
    case OCCAM_FAMILY_BINOMIAL:
    case OCCAM_FAMILY_QUASIBINOMIAL: return validmu_binomial(mu);
    case OCCAM_FAMILY_POISSON:
    case OCCAM_FAMILY_QUASIPOISSON:
    case OCCAM_FAMILY_GAMMA: return validmu_positive(mu);
    default: return 1;
    }
}

/* y log(y / mu), 0 when y == 0 (R's family.c y_log_y). */
static inline double y_log_y(double y, double mu) { return y != 0.0 ? y * log(y / mu) : 0.0; }
static inline double dev_resid_binomial(double y, double mu, double wt)
{
    return 2.0 * wt * (y_log_y(y, mu) + y_log_y(1.0 - y, 1.0 - mu));
}
static inline double dev_resid_poisson(double y, double mu, double wt)
{
    return 2.0 * (y > 0 ? wt * (y * log(y / mu) - (y - mu)) : mu * wt);
}

double occam__glm_dev_resid(int family, double y, double mu, double wt)
{
    switch (family) {
    case OCCAM_FAMILY_GAUSSIAN: return wt * ((y - mu) * (y - mu));
    case OCCAM_FAMILY_BINOMIAL:
    case OCCAM_FAMILY_QUASIBINOMIAL: return dev_resid_binomial(y, mu, wt);
    case OCCAM_FAMILY_POISSON:
    case OCCAM_FAMILY_QUASIPOISSON: return dev_resid_poisson(y, mu, wt);
    case OCCAM_FAMILY_GAMMA: return -2.0 * wt * (log(y == 0.0 ? 1.0 : y / mu) - (y - mu) / mu);
    case OCCAM_FAMILY_INVERSE_GAUSSIAN: return wt * ((y - mu) * (y - mu)) / (y * (mu * mu));
    default: return NAN;
    }
}

int occam_glm_dev_resids(int family, const double *y, const double *mu, const double *wt, int64_t n, double *out)
{
    if (family < OCCAM_FAMILY_GAUSSIAN || family > OCCAM_FAMILY_QUASIPOISSON)
        return occam__fail(OCCAM_E_UNKNOWN_ENUM, "occam_glm_dev_resids: unknown family %d", family);
    if (n < 0)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_glm_dev_resids: n = %lld < 0", (long long)n);
    if (n > 0 && (y == NULL || mu == NULL || out == NULL))
        return occam__fail(OCCAM_E_NULL, "occam_glm_dev_resids: y, mu and out must not be NULL");
    for (int64_t i = 0; i < n; i++)
        out[i] = occam__glm_dev_resid(family, y[i], mu[i], wt ? wt[i] : 1.0);
    return OCCAM_OK;
}

/* ------------------------------------------------------------ vector forms */

/* R's family functions act on whole vectors; these do too, with the switch
 * outside the loop, for the IRLS passes over a block of rows.  The common
 * cases have their own loops; the others call the scalar form.  (Poisson's
 * V(mu) = mu and the log link's mu.eta = mu are not computed at all: the
 * IRLS working pass reads mu itself.) */

void occam__glm_linkinv_n(int link, int64_t n, const double *eta, double *mu)
{
    switch (link) {
    case OCCAM_LINK_IDENTITY: memmove(mu, eta, (size_t)n * sizeof(double)); break;
    case OCCAM_LINK_LOG:
        for (int64_t i = 0; i < n; i++) mu[i] = linkinv_log(eta[i]);
        break;
    case OCCAM_LINK_LOGIT:
        for (int64_t i = 0; i < n; i++) mu[i] = linkinv_logit(eta[i]);
        break;
    default:
        for (int64_t i = 0; i < n; i++) mu[i] = occam__glm_linkinv(link, eta[i]);
    }
}

void occam__glm_mu_eta_n(int link, int64_t n, const double *eta, double *out)
{
    switch (link) {
    case OCCAM_LINK_IDENTITY:
        for (int64_t i = 0; i < n; i++) out[i] = 1.0;
        break;
    case OCCAM_LINK_LOGIT:
        for (int64_t i = 0; i < n; i++) out[i] = mu_eta_logit(eta[i]);
        break;
    default:
        for (int64_t i = 0; i < n; i++) out[i] = occam__glm_mu_eta(link, eta[i]);
    }
}

void occam__glm_variance_n(int family, int64_t n, const double *mu, double *out)
{
    switch (family) {
    case OCCAM_FAMILY_BINOMIAL:
    case OCCAM_FAMILY_QUASIBINOMIAL:
        for (int64_t i = 0; i < n; i++) out[i] = mu[i] * (1.0 - mu[i]);
        break;
    default:
        for (int64_t i = 0; i < n; i++) out[i] = occam__glm_variance(family, mu[i]);
    }
}

double occam__glm_dev_resid_add(int family, int64_t n, const double *y, const double *mu, const double *wt,
                               double dev)
{
    switch (family) {
    case OCCAM_FAMILY_BINOMIAL:
    case OCCAM_FAMILY_QUASIBINOMIAL:
        for (int64_t i = 0; i < n; i++) dev += dev_resid_binomial(y[i], mu[i], wt[i]);
        break;
    case OCCAM_FAMILY_POISSON:
    case OCCAM_FAMILY_QUASIPOISSON:
        for (int64_t i = 0; i < n; i++) dev += dev_resid_poisson(y[i], mu[i], wt[i]);
        break;
    default:
        for (int64_t i = 0; i < n; i++) dev += occam__glm_dev_resid(family, y[i], mu[i], wt[i]);
    }
    return dev;
}

double occam__glm_dev_resid_sum(int family, int64_t n, const double *y, const double *mu, const double *wt)
{
    return occam__glm_dev_resid_add(family, n, y, mu, wt, 0.0);
}

int occam__glm_valid_n(int family, int link, int64_t n, const double *eta, const double *mu)
{
    int ok = 1;
    if (link == OCCAM_LINK_INVERSE || link == OCCAM_LINK_SQRT || link == OCCAM_LINK_INVERSE_SQUARE)
        for (int64_t i = 0; i < n; i++) ok &= occam__glm_valideta(link, eta[i]);
    switch (family) {
    case OCCAM_FAMILY_BINOMIAL:
    case OCCAM_FAMILY_QUASIBINOMIAL:
        for (int64_t i = 0; i < n; i++) ok &= validmu_binomial(mu[i]);
        break;
    case OCCAM_FAMILY_POISSON:
    case OCCAM_FAMILY_QUASIPOISSON:
    case OCCAM_FAMILY_GAMMA:
        for (int64_t i = 0; i < n; i++) ok &= validmu_positive(mu[i]);
        break;
    default: break;
    }
    return ok;
}

double occam__glm_y_used(int family, double y, double wt)
{
    return occam__glm_is_binomial(family) && wt == 0.0 ? 0.0 : y;
}

double occam__glm_mustart(int family, double y, double wt)
{
    if (occam__glm_is_binomial(family)) return (wt * y + 0.5) / (wt + 1.0);
    if (occam__glm_is_poisson(family)) return y + 0.1;
    return y;
}

/* R's R_nonint(): x is not an integer to relative 1e-7. */
static int r_nonint(double x) { return fabs(x - nearbyint(x)) > 1e-7 * fmax(1.0, fabs(x)); }

int occam__glm_check_y(int family, int link, const double *y, const double *wt, int64_t n, int has_start,
                       int *non_integer)
{
    *non_integer = 0;
    return occam__glm_check_y_rows(family, link, y, wt, n, has_start, 0, non_integer);
}

int occam__glm_check_y_rows(int family, int link, const double *y, const double *wt, int64_t n, int has_start,
                            int64_t row0, int *non_integer)
{
    for (int64_t i = 0; i < n; i++) {
        double w = wt ? wt[i] : 1.0;
        double yi = occam__glm_y_used(family, y[i], w);
        switch (family) {
        case OCCAM_FAMILY_BINOMIAL:
        case OCCAM_FAMILY_QUASIBINOMIAL:
            if (yi < 0 || yi > 1)
                return occam__fail(OCCAM_E_DOMAIN, "y values must be 0 <= y <= 1 (%s): y = %g at row %lld",
                                   family_names[family], yi, (long long)(row0 + i + 1));
            if (family == OCCAM_FAMILY_BINOMIAL && fabs(w * yi - nearbyint(w * yi)) > 0.001) *non_integer = 1;
            break;
        case OCCAM_FAMILY_POISSON:
        case OCCAM_FAMILY_QUASIPOISSON:
            if (yi < 0)
                return occam__fail(OCCAM_E_DOMAIN, "negative values not allowed for the '%s' family: y = %g at row %lld",
                                   family == OCCAM_FAMILY_POISSON ? "Poisson" : "quasiPoisson", yi,
                                   (long long)(row0 + i + 1));
            if (family == OCCAM_FAMILY_POISSON && r_nonint(yi)) *non_integer = 1;
            break;
        case OCCAM_FAMILY_GAMMA:
            if (yi <= 0)
                return occam__fail(OCCAM_E_DOMAIN,
                                   "non-positive values not allowed for the 'Gamma' family: y = %g at row %lld", yi,
                                   (long long)(row0 + i + 1));
            break;
        case OCCAM_FAMILY_INVERSE_GAUSSIAN:
            if (yi <= 0)
                return occam__fail(OCCAM_E_DOMAIN,
                                   "positive values only are allowed for the 'inverse.gaussian' family: y = %g at "
                                   "row %lld",
                                   yi, (long long)(row0 + i + 1));
            break;
        case OCCAM_FAMILY_GAUSSIAN:
            if (!has_start && ((link == OCCAM_LINK_INVERSE && yi == 0) || (link == OCCAM_LINK_LOG && yi <= 0)))
                return occam__fail(OCCAM_E_DOMAIN,
                                   "cannot find valid starting values: please specify some (gaussian family, "
                                   "%s link, y = %g at row %lld)",
                                   link_names[link], yi, (long long)(row0 + i + 1));
            break;
        default: return occam__fail(OCCAM_E_UNKNOWN_ENUM, "unknown GLM family %d", family);
        }
    }
    return OCCAM_OK;
}

/* ---------------------------------------------------- densities (Loader) */

/* stirlerr(n) = log(n!) - log(sqrt(2 pi n) (n/e)^n) at n = k/2, k = 0..30
 * (computed with mpmath to 20 digits; stirlerr(0) = 0 by convention). */
static const double sferr_halves[31] = {
    0.0,                    0.15342640972002734529, 0.08106146679532725822,  0.054814121051917653896,
    0.041340695955409294094, 0.033162873519936287485, 0.027677925684998339149, 0.023746163656297495971,
    0.020790672103765093112, 0.018488450532673185231, 0.016644691189821192163, 0.015134973221917378874,
    0.013876128823070747999, 0.012810465242920226924, 0.011896709945891770095, 0.011104559758206917327,
    0.010411265261972096497, 0.0097994161261588032984, 0.0092554621827127329177, 0.008768700134139385463,
    0.0083305634333628712565, 0.0079341145643140205472, 0.007573675487951840795, 0.0072445543013203831795,
    0.0069428401072095298657, 0.0066652470327076824424, 0.0064089941880042070684, 0.0061717122630394576475,
    0.0059513701127588477356, 0.005746216513010115682,  0.005554733551962801371};

static double stirlerr(double n)
{
    const double S0 = 1.0 / 12, S1 = 1.0 / 360, S2 = 1.0 / 1260, S3 = 1.0 / 1680, S4 = 1.0 / 1188;
    if (n <= 15.0) {
        double nn = n + n;
        if (nn == (int)nn) return sferr_halves[(int)nn];
        return occam__lgamma(n + 1.0) - (n + 0.5) * log(n) + n - LN_SQRT_2PI;
    }
    double nn = n * n;
    if (n > 500) return (S0 - S1 / nn) / n;
    if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
    if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
    return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/* bd0(x, np) = x log(x/np) + np - x, by a series when x is close to np. */
static double bd0(double x, double np)
{
    if (!isfinite(x) || !isfinite(np) || np == 0.0) return NAN;
    if (fabs(x - np) < 0.1 * (x + np)) {
        double v = (x - np) / (x + np);
        double s = (x - np) * v;
        if (fabs(s) < DBL_MIN) return s;
        double ej = 2 * x * v;
        v *= v;
        for (int j = 1; j < 1000; j++) {
            ej *= v;
            double s1 = s + ej / ((j << 1) + 1);
            if (s1 == s) return s1;
            s = s1;
        }
    }
    return x * log(x / np) + np - x;
}

/* log of the Poisson density at real x >= 0 (R's dpois_raw, log scale). */
static double ldpois_raw(double x, double lambda)
{
    if (lambda == 0) return x == 0 ? 0.0 : -INFINITY;
    if (!isfinite(lambda) || x < 0) return -INFINITY;
    if (x <= lambda * DBL_MIN) return -lambda;
    if (lambda < x * DBL_MIN) {
        if (!isfinite(x)) return -INFINITY;
        return -lambda + x * log(lambda) - occam__lgamma(x + 1);
    }
    return -0.5 * log(2 * GLM_PI * x) + (-stirlerr(x) - bd0(x, lambda));
}

double occam__glm_ldpois(double x, double lambda)
{
    if (isnan(x) || isnan(lambda)) return x + lambda;
    if (lambda < 0) return NAN;
    if (r_nonint(x)) return -INFINITY;
    if (x < 0 || !isfinite(x)) return -INFINITY;
    return ldpois_raw(nearbyint(x), lambda);
}

double occam__glm_ldbinom(double x, double size, double p)
{
    if (isnan(x) || isnan(size) || isnan(p)) return x + size + p;
    if (p < 0 || p > 1 || size < 0 || r_nonint(size)) return NAN;
    if (r_nonint(x) || x < 0 || !isfinite(x)) return -INFINITY;
    double n = nearbyint(size);
    x = nearbyint(x);
    double q = 1.0 - p;
    if (p == 0) return x == 0 ? 0.0 : -INFINITY;
    if (q == 0) return x == n ? 0.0 : -INFINITY;
    if (x == 0) {
        if (n == 0) return 0.0;
        return p < 0.1 ? -bd0(n, n * q) - n * p : n * log(q);
    }
    if (x == n) return q < 0.1 ? -bd0(n, n * p) - n * q : n * log(p);
    if (x > n) return -INFINITY;
    double lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
    double lf = LN_2PI + log(x) + log1p(-x / n);
    return lc - 0.5 * lf;
}

double occam__glm_ldgamma(double x, double shape, double scale)
{
    if (isnan(x) || isnan(shape) || isnan(scale)) return x + shape + scale;
    if (shape < 0 || scale <= 0) return NAN;
    if (x < 0) return -INFINITY;
    if (shape == 0) return x == 0 ? INFINITY : -INFINITY;
    if (x == 0) {
        if (shape < 1) return INFINITY;
        if (shape > 1) return -INFINITY;
        return -log(scale);
    }
    if (shape < 1) {
        double pr = ldpois_raw(shape, x / scale);
        return pr + (isfinite(shape / x) ? log(shape / x) : log(shape) - log(x));
    }
    return ldpois_raw(shape - 1, x / scale) - log(scale);
}

/* ------------------------------------------------------------------- aic */

double occam__glm_aic_rows(int family, int64_t n, const double *y, const double *mu, const double *wt, double s)
{
    switch (family) {
    case OCCAM_FAMILY_BINOMIAL:
        for (int64_t i = 0; i < n; i++) {
            double m = wt ? wt[i] : 1.0;
            double f = m > 0 ? (wt ? wt[i] : 1.0) / m : 0.0;
            s += f * occam__glm_ldbinom(nearbyint(m * y[i]), nearbyint(m), mu[i]);
        }
        return s;
    case OCCAM_FAMILY_POISSON:
        for (int64_t i = 0; i < n; i++) s += occam__glm_ldpois(y[i], mu[i]) * (wt ? wt[i] : 1.0);
        return s;
    default: return s;
    }
}

double occam__glm_aic_gamma_rows(int64_t n, const double *y, const double *mu, const double *wt, double disp, double s)
{
    for (int64_t i = 0; i < n; i++) s += occam__glm_ldgamma(y[i], 1 / disp, mu[i] * disp) * (wt ? wt[i] : 1.0);
    return s;
}

double occam__glm_aic_total(int family, int64_t n, double dev, double sum_w, double sum_logw, double sum_wlogy,
                            double rows)
{
    switch (family) {
    case OCCAM_FAMILY_GAUSSIAN: return (double)n * (log(dev / (double)n * 2 * GLM_PI) + 1) + 2 - sum_logw;
    case OCCAM_FAMILY_BINOMIAL:
    case OCCAM_FAMILY_POISSON: return -2 * rows;
    case OCCAM_FAMILY_GAMMA: return -2 * rows + 2;
    case OCCAM_FAMILY_INVERSE_GAUSSIAN: return sum_w * (1 + log(dev / sum_w * 2 * GLM_PI)) + 3 * sum_wlogy + 2;
    default: return NAN;
    }
}

double occam__glm_aic(int family, const double *y, const double *mu, const double *wt, int64_t n, double dev)
{
    double sw = 0.0, slw = 0.0, swly = 0.0, rows = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double w = wt ? wt[i] : 1.0;
        sw += w;
        slw += log(w);
        if (family == OCCAM_FAMILY_INVERSE_GAUSSIAN) swly += log(y[i]) * w;
    }
    if (family == OCCAM_FAMILY_GAMMA)
        rows = occam__glm_aic_gamma_rows(n, y, mu, wt, dev / sw, 0.0);
    else
        rows = occam__glm_aic_rows(family, n, y, mu, wt, 0.0);
    return occam__glm_aic_total(family, n, dev, sw, slw, swly, rows);
}
