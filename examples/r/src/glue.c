/*
 * glue.c -- .Call wrappers between R and liboccam (include/occam.h).
 *
 * Models live behind external pointers (tag "occam_model") with a C
 * finalizer calling occam_model_free, so a handle is released by R's garbage
 * collector whatever happens.  R matrices are column-major doubles: they are
 * passed in place as (REAL(X), n, p, ld = n, OCCAM_COL_MAJOR).
 *
 * Errors: a negative status becomes an R condition of class
 * c("occam_error", "error", "condition") with fields status and name, raised
 * through base::stop() (a longjmp): every C resource (options object) is
 * freed before that.  Positive (warning) statuses are returned to the R code,
 * which raises R warnings (never Rf_warning here: options(warn = 2) would
 * turn it into a longjmp too).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <R.h>
#include <Rinternals.h>
#include <occam.h>

#include "glue.h"

/* ------------------------------------------------------------ helpers */

static SEXP model_tag(void)
{
    return install("occam_model");
}

static void finalize(SEXP ptr)
{
    occam_model *m = R_ExternalPtrAddr(ptr);
    if (m != NULL) {
        occam_model_free(m);
        R_ClearExternalPtr(ptr);
    }
}

static SEXP wrap(occam_model *m)
{
    SEXP ptr = PROTECT(R_MakeExternalPtr(m, model_tag(), R_NilValue));
    R_RegisterCFinalizerEx(ptr, finalize, TRUE);
    UNPROTECT(1);
    return ptr;
}

static occam_model *model(SEXP ptr)
{
    if (TYPEOF(ptr) != EXTPTRSXP || R_ExternalPtrTag(ptr) != model_tag())
        error("not an occam model handle");
    occam_model *m = R_ExternalPtrAddr(ptr);
    if (m == NULL)
        error("the occam model handle is empty (restore it from the model's saved bytes)");
    return m;
}

/* Raise an occam_error condition for a negative status (does not return). */
static void fail(int status, const char *what)
{
    char msg[2048];
    const char *detail = occam_last_error();
    int has = detail != NULL && detail[0] != '\0';
    snprintf(msg, sizeof msg, "%s: %s: %s%s%s%s", what, occam_status_name(status), occam_strerror(status),
             has ? " (" : "", has ? detail : "", has ? ")" : "");
    SEXP cond = PROTECT(allocVector(VECSXP, 4));
    SET_VECTOR_ELT(cond, 0, mkString(msg));
    SET_VECTOR_ELT(cond, 1, R_NilValue);
    SET_VECTOR_ELT(cond, 2, ScalarInteger(status));
    SET_VECTOR_ELT(cond, 3, mkString(occam_status_name(status)));
    SEXP names = PROTECT(allocVector(STRSXP, 4));
    SET_STRING_ELT(names, 0, mkChar("message"));
    SET_STRING_ELT(names, 1, mkChar("call"));
    SET_STRING_ELT(names, 2, mkChar("status"));
    SET_STRING_ELT(names, 3, mkChar("name"));
    setAttrib(cond, R_NamesSymbol, names);
    SEXP cls = PROTECT(allocVector(STRSXP, 3));
    SET_STRING_ELT(cls, 0, mkChar("occam_error"));
    SET_STRING_ELT(cls, 1, mkChar("error"));
    SET_STRING_ELT(cls, 2, mkChar("condition"));
    setAttrib(cond, R_ClassSymbol, cls);
    SEXP call = PROTECT(lang2(install("stop"), cond));
    eval(call, R_BaseEnv);
    UNPROTECT(4); /* not reached */
}

static int check(int status, const char *what)
{
    if (status < 0)
        fail(status, what);
    return status;
}

/* A status with the detail text of a warning, for the R side. */
static SEXP status_result(int status)
{
    SEXP out = PROTECT(ScalarInteger(status));
    if (status > 0)
        setAttrib(out, install("detail"), mkString(occam_last_error()));
    UNPROTECT(1);
    return out;
}

static const double *matrix_arg(SEXP X, int64_t *n, int64_t *p)
{
    if (!isReal(X) || !isMatrix(X))
        error("X must be a numeric (double) matrix");
    *n = nrows(X);
    *p = ncols(X);
    return REAL(X);
}

static const double *vector_arg(SEXP v, int64_t n, const char *name)
{
    if (isNull(v))
        return NULL;
    if (!isReal(v) || XLENGTH(v) != n)
        error("%s must be a double vector of length %lld", name, (long long)n);
    return REAL(v);
}

/* ------------------------------------------------------------ constants */

SEXP occamr_version(void)
{
    return mkString(occam_version_string());
}

struct named_int {
    const char *name;
    int value;
};

static SEXP named_ints(const struct named_int *v, int n)
{
    SEXP out = PROTECT(allocVector(INTSXP, n));
    SEXP names = PROTECT(allocVector(STRSXP, n));
    for (int i = 0; i < n; i++) {
        INTEGER(out)[i] = v[i].value;
        SET_STRING_ELT(names, i, mkChar(v[i].name));
    }
    setAttrib(out, R_NamesSymbol, names);
    UNPROTECT(2);
    return out;
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

SEXP occamr_constants(void)
{
    static const struct named_int info[] = {
        {"nobs", OCCAM_INFO_NOBS}, {"rank", OCCAM_INFO_RANK}, {"df.residual", OCCAM_INFO_DF_RESIDUAL},
        {"df.null", OCCAM_INFO_DF_NULL}, {"deviance", OCCAM_INFO_DEVIANCE},
        {"null.deviance", OCCAM_INFO_NULL_DEVIANCE}, {"aic", OCCAM_INFO_AIC}, {"loglik", OCCAM_INFO_LOGLIK},
        {"dispersion", OCCAM_INFO_DISPERSION}, {"iter", OCCAM_INFO_ITER}, {"converged", OCCAM_INFO_CONVERGED},
        {"pearson.chi2", OCCAM_INFO_PEARSON_CHI2}, {"sigma", OCCAM_INFO_SIGMA},
        {"r.squared", OCCAM_INFO_R_SQUARED}, {"adj.r.squared", OCCAM_INFO_ADJ_R_SQUARED},
        {"fstatistic", OCCAM_INFO_FSTATISTIC}, {"f.numdf", OCCAM_INFO_F_NUMDF},
        {"f.dendf", OCCAM_INFO_F_DENDF}, {"f.p.value", OCCAM_INFO_F_P_VALUE},
        {"t.statistic", OCCAM_INFO_T_STATISTIC}, {"intercept", OCCAM_INFO_INTERCEPT},
        {"family", OCCAM_INFO_FAMILY}, {"link", OCCAM_INFO_LINK}, {"boundary", OCCAM_INFO_BOUNDARY},
        {"grad.norm", OCCAM_INFO_GRAD_NORM}, {"correlation", OCCAM_INFO_CORRELATION},
        {"fast", OCCAM_INFO_FAST}};
    static const struct named_int rows[] = {
        {"fitted", OCCAM_ROWS_FITTED}, {"linear.predictors", OCCAM_ROWS_LINEAR_PREDICTOR},
        {"response", OCCAM_ROWS_RESID_RESPONSE}, {"working", OCCAM_ROWS_RESID_WORKING},
        {"pearson", OCCAM_ROWS_RESID_PEARSON}, {"deviance", OCCAM_ROWS_RESID_DEVIANCE},
        {"weights", OCCAM_ROWS_WORKING_WEIGHTS}, {"prior.weights", OCCAM_ROWS_PRIOR_WEIGHTS}};
    static const struct named_int predict[] = {
        {"response", OCCAM_PREDICT_RESPONSE}, {"link", OCCAM_PREDICT_LINK}, {"palive", OCCAM_PREDICT_PALIVE},
        {"expected", OCCAM_PREDICT_EXPECTED}, {"loglik", OCCAM_PREDICT_LOGLIK},
        {"expected.new", OCCAM_PREDICT_EXPECTED_NEW}, {"pmf", OCCAM_PREDICT_PROB_N},
        {"spend", OCCAM_PREDICT_SPEND}, {"dert", OCCAM_PREDICT_DERT}};
    static const struct named_int coef[] = {
        {"estimate", OCCAM_COEF_ESTIMATE}, {"std.error", OCCAM_COEF_STD_ERROR},
        {"statistic", OCCAM_COEF_STATISTIC}, {"p.value", OCCAM_COEF_P_VALUE}};
    static const struct named_int cond[] = {
        {"not.converged", OCCAM_COND_NOT_CONVERGED}, {"boundary", OCCAM_COND_BOUNDARY},
        {"fitted.01", OCCAM_COND_FITTED_01}, {"fitted.zero", OCCAM_COND_FITTED_ZERO},
        {"rank.deficient", OCCAM_COND_RANK_DEFICIENT}, {"non.integer", OCCAM_COND_NON_INTEGER},
        {"step.divergence", OCCAM_COND_STEP_DIVERGENCE}, {"step.out.of.bounds", OCCAM_COND_STEP_OUT_OF_BOUNDS},
        {"zero.weights", OCCAM_COND_ZERO_WEIGHTS}, {"perfect.fit", OCCAM_COND_PERFECT_FIT},
        {"overflow", OCCAM_COND_OVERFLOW}, {"no.dropout", OCCAM_COND_NO_DROPOUT}};
    static const struct named_int kind[] = {
        {"linear", OCCAM_MODEL_LINEAR}, {"glm", OCCAM_MODEL_GLM}, {"pnbd", OCCAM_MODEL_PNBD}, {"gg", OCCAM_MODEL_GG}};
    static const struct named_int unit[] = {
        {"unknown", OCCAM_UNIT_UNKNOWN}, {"weeks", OCCAM_UNIT_WEEKS}, {"days", OCCAM_UNIT_DAYS},
        {"other", OCCAM_UNIT_OTHER}};
    SEXP out = PROTECT(allocVector(VECSXP, 7));
    SET_VECTOR_ELT(out, 0, named_ints(info, N(info)));
    SET_VECTOR_ELT(out, 1, named_ints(rows, N(rows)));
    SET_VECTOR_ELT(out, 2, named_ints(predict, N(predict)));
    SET_VECTOR_ELT(out, 3, named_ints(coef, N(coef)));
    SET_VECTOR_ELT(out, 4, named_ints(cond, N(cond)));
    SET_VECTOR_ELT(out, 5, named_ints(kind, N(kind)));
    SET_VECTOR_ELT(out, 6, named_ints(unit, N(unit)));
    SEXP names = PROTECT(allocVector(STRSXP, 7));
    const char *nm[7] = {"info", "rows", "predict", "coef", "conditions", "kind", "unit"};
    for (int i = 0; i < 7; i++)
        SET_STRING_ELT(names, i, mkChar(nm[i]));
    setAttrib(out, R_NamesSymbol, names);
    UNPROTECT(2);
    return out;
}

SEXP occamr_status_text(SEXP status)
{
    int s = asInteger(status);
    SEXP out = PROTECT(allocVector(STRSXP, 2));
    SET_STRING_ELT(out, 0, mkChar(occam_status_name(s)));
    SET_STRING_ELT(out, 1, mkChar(occam_strerror(s)));
    UNPROTECT(1);
    return out;
}

/* ------------------------------------------------------------ models */

SEXP occamr_new(SEXP kind, SEXP family, SEXP link)
{
    const char *k = CHAR(asChar(kind));
    occam_model *m = NULL;
    int rc;
    if (strcmp(k, "linear") == 0)
        rc = occam_linear_new(&m);
    else if (strcmp(k, "pnbd") == 0)
        rc = occam_pnbd_new(&m);
    else if (strcmp(k, "gg") == 0)
        rc = occam_gg_new(&m);
    else if (strcmp(k, "glm") == 0) {
        int fam = 0, lnk = OCCAM_LINK_DEFAULT;
        check(occam_family_parse(CHAR(asChar(family)), &fam), "family");
        if (!isNull(link))
            check(occam_link_parse(CHAR(asChar(link)), &lnk), "link");
        rc = occam_glm_new(fam, lnk, &m);
    } else
        error("unknown model kind '%s'", k);
    check(rc, "new model");
    return wrap(m);
}

static const struct option_name {
    const char *name;
    int key, is_double;
} option_names[] = {
    {"epsilon", OCCAM_OPT_EPSILON, 1},     {"maxit", OCCAM_OPT_MAXIT, 0},
    {"rank_tol", OCCAM_OPT_RANK_TOL, 1},   {"solver", OCCAM_OPT_SOLVER, 0},
    {"intercept", OCCAM_OPT_INTERCEPT, 0}, {"halve_on_increase", OCCAM_OPT_HALVE_ON_INCREASE, 0},
    {"grad_tol", OCCAM_OPT_GRAD_TOL, 1},   {"collapse", OCCAM_OPT_COLLAPSE, 0},
    {"threads", OCCAM_OPT_THREADS, 0},     {"fast", OCCAM_OPT_FAST, 0}};

SEXP occamr_fit(SEXP ptr, SEXP X, SEXP y, SEXP weights, SEXP offset, SEXP options)
{
    occam_model *m = model(ptr);
    int64_t n, p;
    const double *x = matrix_arg(X, &n, &p);
    const double *yv = vector_arg(y, n, "y");
    const double *wv = vector_arg(weights, n, "weights");
    const double *ov = vector_arg(offset, n, "offset");
    /* validate the options before anything is allocated */
    int nopt = isNull(options) ? 0 : length(options);
    SEXP onames = getAttrib(options, R_NamesSymbol);
    int keys[16], dbl[16];
    double vals[16];
    if (nopt > 16)
        error("too many options");
    for (int i = 0; i < nopt; i++) {
        const char *name = CHAR(STRING_ELT(onames, i));
        int found = -1;
        for (int j = 0; j < N(option_names); j++)
            if (strcmp(option_names[j].name, name) == 0)
                found = j;
        if (found < 0)
            error("unknown option '%s'", name);
        keys[i] = option_names[found].key;
        dbl[i] = option_names[found].is_double;
        SEXP v = VECTOR_ELT(options, i);
        if (!(isReal(v) || isInteger(v) || isLogical(v)) || XLENGTH(v) != 1)
            error("option '%s' must be a single number", name);
        vals[i] = asReal(v);
        if (!dbl[i] && !(isfinite(vals[i]) && vals[i] == floor(vals[i])))
            error("option '%s' must be an integer", name);
    }
    occam_opts *opts = NULL;
    int rc = nopt ? occam_opts_new(&opts) : OCCAM_OK;
    const char *what = "options";
    for (int i = 0; i < nopt && rc >= 0; i++)
        rc = dbl[i] ? occam_opts_set_double(opts, keys[i], vals[i])
                    : occam_opts_set_int(opts, keys[i], (int64_t)vals[i]);
    if (rc >= 0) {
        what = "occam_model_fit";
        rc = occam_model_fit(m, opts, x, n, p, n > 0 ? n : 1, OCCAM_COL_MAJOR, yv, wv, ov);
    }
    occam_opts_free(opts);
    check(rc, what);
    return status_result(rc);
}

SEXP occamr_glm_set_start(SEXP ptr, SEXP start)
{
    occam_model *m = model(ptr);
    if (isNull(start))
        check(occam_glm_set_start(m, NULL, 0), "start");
    else {
        if (!isReal(start))
            error("start must be a double vector");
        check(occam_glm_set_start(m, REAL(start), XLENGTH(start)), "start");
    }
    return R_NilValue;
}

SEXP occamr_linear_set_coef(SEXP ptr, SEXP has_intercept, SEXP intercept, SEXP coef)
{
    occam_model *m = model(ptr);
    if (!isReal(coef))
        error("coef must be a double vector");
    check(occam_linear_set_coef(m, asLogical(has_intercept) == TRUE, asReal(intercept), REAL(coef), XLENGTH(coef)),
          "occam_linear_set_coef");
    return R_NilValue;
}

SEXP occamr_pnbd_set_params(SEXP ptr, SEXP params)
{
    occam_model *m = model(ptr);
    if (!isReal(params) || XLENGTH(params) != 4)
        error("params must be 4 numbers (r, alpha, s, beta)");
    const double *v = REAL(params);
    check(occam_pnbd_set_params(m, v[0], v[1], v[2], v[3]), "occam_pnbd_set_params");
    return R_NilValue;
}

SEXP occamr_gg_set_params(SEXP ptr, SEXP params)
{
    occam_model *m = model(ptr);
    if (!isReal(params) || XLENGTH(params) != 3)
        error("params must be 3 numbers (p, q, gamma)");
    const double *v = REAL(params);
    check(occam_gg_set_params(m, v[0], v[1], v[2]), "occam_gg_set_params");
    return R_NilValue;
}

SEXP occamr_set_names(SEXP ptr, SEXP names)
{
    occam_model *m = model(ptr);
    if (!isString(names))
        error("names must be a character vector");
    R_xlen_t p = XLENGTH(names);
    const char **v = (const char **)R_alloc(p > 0 ? (size_t)p : 1, sizeof(char *));
    for (R_xlen_t j = 0; j < p; j++)
        v[j] = translateCharUTF8(STRING_ELT(names, j));
    check(occam_model_set_names(m, p ? v : NULL, p), "occam_model_set_names");
    return R_NilValue;
}

SEXP occamr_predict(SEXP ptr, SEXP type, SEXP horizon, SEXP X, SEXP offset, SEXP se_fit)
{
    occam_model *m = model(ptr);
    int64_t n, p;
    const double *x = matrix_arg(X, &n, &p);
    const double *ov = vector_arg(offset, n, "offset");
    int se = asLogical(se_fit) == TRUE;
    SEXP fit = PROTECT(allocVector(REALSXP, n));
    SEXP sev = PROTECT(se ? allocVector(REALSXP, n) : R_NilValue);
    check(occam_model_predict(m, asInteger(type), asReal(horizon), x, n, p, n > 0 ? n : 1, OCCAM_COL_MAJOR, ov,
                              REAL(fit), se ? REAL(sev) : NULL, n),
          "occam_model_predict");
    SEXP out = PROTECT(allocVector(VECSXP, 2));
    SET_VECTOR_ELT(out, 0, fit);
    SET_VECTOR_ELT(out, 1, sev);
    UNPROTECT(3);
    return out;
}

/* ------------------------------------------------------------ results */

static int64_t n_coef(occam_model *m)
{
    int64_t k = 0;
    check(occam_model_dims(m, &k, NULL), "occam_model_dims");
    return k;
}

SEXP occamr_coef(SEXP ptr, SEXP column)
{
    occam_model *m = model(ptr);
    int64_t k = n_coef(m);
    SEXP out = PROTECT(allocVector(REALSXP, k));
    check(occam_model_coef(m, asInteger(column), REAL(out), k), "occam_model_coef");
    UNPROTECT(1);
    return out;
}

/* A character vector of n names read with one of occam's name functions
 * (size query, then the copy). */
typedef int (*name_fn)(const occam_model *, int64_t, char *, size_t, size_t *);

static SEXP names_vector(occam_model *m, int64_t n, name_fn fn, const char *what)
{
    SEXP out = PROTECT(allocVector(STRSXP, n));
    for (int64_t j = 0; j < n; j++) {
        size_t need = 0;
        fn(m, j, NULL, 0, &need);
        char *buf = R_alloc(need ? need : 1, 1);
        check(fn(m, j, buf, need ? need : 1, NULL), what);
        SET_STRING_ELT(out, j, mkCharCE(buf, CE_UTF8));
    }
    UNPROTECT(1);
    return out;
}

SEXP occamr_coef_names(SEXP ptr)
{
    occam_model *m = model(ptr);
    return names_vector(m, n_coef(m), occam_model_coef_name, "occam_model_coef_name");
}

SEXP occamr_column_names(SEXP ptr)
{
    occam_model *m = model(ptr);
    int64_t p = 0, k = 0;
    check(occam_model_dims(m, &k, &p), "occam_model_dims");
    return names_vector(m, p, occam_model_column_name, "occam_model_column_name");
}

/* The context of a Pareto/NBD or Gamma-Gamma model: list(time_unit,
 * unit_days, calibration_end, calibration_end_text (NA when none)). */
SEXP occamr_context(SEXP ptr)
{
    occam_model *m = model(ptr);
    int unit = 0;
    double days = 0, t = 0;
    size_t need = 0;
    check(occam_model_time_unit(m, &unit, &days), "occam_model_time_unit");
    occam_model_calibration_end(m, &t, NULL, 0, &need);
    char *buf = R_alloc(need ? need : 1, 1);
    check(occam_model_calibration_end(m, &t, buf, need ? need : 1, NULL), "occam_model_calibration_end");
    SEXP out = PROTECT(allocVector(VECSXP, 4)), nm = PROTECT(allocVector(STRSXP, 4));
    SET_VECTOR_ELT(out, 0, mkString(occam_time_unit_name(unit)));
    SET_VECTOR_ELT(out, 1, ScalarReal(isnan(days) ? NA_REAL : days));
    SET_VECTOR_ELT(out, 2, ScalarReal(isnan(t) ? NA_REAL : t));
    SET_VECTOR_ELT(out, 3, buf[0] ? ScalarString(mkCharCE(buf, CE_UTF8)) : ScalarString(NA_STRING));
    const char *names[4] = {"time_unit", "unit_days", "calibration_end", "calibration_end_text"};
    for (int j = 0; j < 4; j++) SET_STRING_ELT(nm, j, mkChar(names[j]));
    setAttrib(out, R_NamesSymbol, nm);
    UNPROTECT(2);
    return out;
}

SEXP occamr_aliased(SEXP ptr)
{
    occam_model *m = model(ptr);
    int64_t k = n_coef(m);
    int *flags = (int *)R_alloc(k ? (size_t)k : 1, sizeof(int));
    check(occam_model_aliased(m, flags, k), "occam_model_aliased");
    SEXP out = PROTECT(allocVector(LGLSXP, k));
    for (int64_t j = 0; j < k; j++)
        LOGICAL(out)[j] = flags[j] != 0;
    UNPROTECT(1);
    return out;
}

SEXP occamr_vcov(SEXP ptr)
{
    occam_model *m = model(ptr);
    int64_t k = n_coef(m);
    SEXP out = PROTECT(allocMatrix(REALSXP, (int)k, (int)k));
    check(occam_model_vcov(m, REAL(out), k > 0 ? k : 1), "occam_model_vcov");
    UNPROTECT(1);
    return out;
}

/* The covariance of the non-aliased coefficients only (r x r): no k x k
 * matrix for a wide fit. */
SEXP occamr_vcov_estimable(SEXP ptr)
{
    occam_model *m = model(ptr);
    int64_t k = n_coef(m), r = 0;
    int *flags = (int *)R_alloc(k ? (size_t)k : 1, sizeof(int));
    check(occam_model_aliased(m, flags, k), "occam_model_aliased");
    for (int64_t j = 0; j < k; j++)
        r += !flags[j];
    SEXP out = PROTECT(allocMatrix(REALSXP, (int)r, (int)r));
    check(occam_model_vcov_estimable(m, REAL(out), r > 0 ? r : 1), "occam_model_vcov_estimable");
    UNPROTECT(1);
    return out;
}

SEXP occamr_info(SEXP ptr, SEXP key)
{
    occam_model *m = model(ptr);
    double v = NA_REAL;
    int rc = occam_model_info(m, asInteger(key), &v);
    if (rc == OCCAM_E_WRONG_MODEL || rc == OCCAM_E_NOT_FITTED)
        return ScalarReal(NA_REAL); /* not defined for this model: R's NA */
    check(rc, "occam_model_info");
    return ScalarReal(v);
}

SEXP occamr_rows(SEXP ptr, SEXP which)
{
    occam_model *m = model(ptr);
    int64_t n = 0;
    check(occam_model_nrows(m, &n), "occam_model_nrows");
    SEXP out = PROTECT(allocVector(REALSXP, n));
    int rc = occam_model_rows(m, asInteger(which), REAL(out), n);
    UNPROTECT(1);
    if (rc == OCCAM_E_WRONG_MODEL || rc == OCCAM_E_NOT_FITTED)
        return R_NilValue; /* no per-row results (hand-coded, loaded, Pareto/NBD) */
    check(rc, "occam_model_rows");
    return out;
}

SEXP occamr_glm_names(SEXP ptr)
{
    occam_model *m = model(ptr);
    double fam = 0, lnk = 0;
    check(occam_model_info(m, OCCAM_INFO_FAMILY, &fam), "family");
    check(occam_model_info(m, OCCAM_INFO_LINK, &lnk), "link");
    const char *f = occam_family_name((int)fam), *l = occam_link_name((int)lnk);
    SEXP out = PROTECT(allocVector(STRSXP, 2));
    SET_STRING_ELT(out, 0, mkChar(f ? f : ""));
    SET_STRING_ELT(out, 1, mkChar(l ? l : ""));
    UNPROTECT(1);
    return out;
}

SEXP occamr_conditions(SEXP ptr)
{
    int flags = 0;
    check(occam_model_conditions(model(ptr), &flags), "occam_model_conditions");
    return ScalarInteger(flags);
}

SEXP occamr_kind(SEXP ptr)
{
    return ScalarInteger(check(occam_model_kind(model(ptr)), "occam_model_kind"));
}

SEXP occamr_is_null(SEXP ptr)
{
    return ScalarLogical(TYPEOF(ptr) != EXTPTRSXP || R_ExternalPtrAddr(ptr) == NULL);
}

SEXP occamr_serialize(SEXP ptr)
{
    occam_model *m = model(ptr);
    size_t need = 0;
    int rc = occam_model_serialize(m, NULL, 0, &need);
    if (rc != OCCAM_E_BUFFER_TOO_SMALL)
        check(rc, "occam_model_serialize");
    SEXP out = PROTECT(allocVector(RAWSXP, (R_xlen_t)need));
    check(occam_model_serialize(m, RAW(out), need, &need), "occam_model_serialize");
    UNPROTECT(1);
    return out;
}

SEXP occamr_deserialize(SEXP raw)
{
    if (TYPEOF(raw) != RAWSXP)
        error("a raw vector is needed");
    occam_model *m = NULL;
    check(occam_model_deserialize(RAW(raw), (size_t)XLENGTH(raw), &m), "occam_model_deserialize");
    return wrap(m);
}

SEXP occamr_save(SEXP ptr, SEXP path)
{
    check(occam_model_save(model(ptr), translateCharUTF8(asChar(path))), "occam_model_save");
    return R_NilValue;
}

SEXP occamr_load(SEXP path)
{
    occam_model *m = NULL;
    check(occam_model_load(translateCharUTF8(asChar(path)), &m), "occam_model_load");
    return wrap(m);
}

/* ------------------------------------------------------------ event logs */

SEXP occamr_pnbd_summarize(SEXP ids, SEXP times, SEXP cal_end, SEXP merge_period)
{
    if (!isReal(ids) || !isReal(times) || XLENGTH(ids) != XLENGTH(times))
        error("ids and times must be double vectors of the same length");
    R_xlen_t n = XLENGTH(ids);
    int64_t *id = (int64_t *)R_alloc(n > 0 ? (size_t)n : 1, sizeof(int64_t));
    for (R_xlen_t i = 0; i < n; i++) {
        double v = REAL(ids)[i];
        if (!(isfinite(v) && v == floor(v) && fabs(v) < 9007199254740992.0))
            error("customer ids must be whole numbers (row %lld)", (long long)i + 1);
        id[i] = (int64_t)v;
    }
    double end = asReal(cal_end), merge = asReal(merge_period);
    int64_t k = 0;
    int rc = occam_pnbd_summarize_events(id, REAL(times), n, end, merge, NULL, NULL, NULL, NULL, 0, &k);
    if (rc != OCCAM_E_BUFFER_TOO_SMALL)
        check(rc, "occam_pnbd_summarize_events");
    double *S = (double *)R_alloc(k > 0 ? (size_t)(3 * k) : 1, sizeof(double));
    int64_t *cid = (int64_t *)R_alloc(k > 0 ? (size_t)k : 1, sizeof(int64_t));
    SEXP out = PROTECT(allocVector(VECSXP, 6));
    SEXP vid = PROTECT(allocVector(REALSXP, k)), x = PROTECT(allocVector(REALSXP, k));
    SEXP tx = PROTECT(allocVector(REALSXP, k)), T = PROTECT(allocVector(REALSXP, k));
    SEXP first = PROTECT(allocVector(REALSXP, k)), xs = PROTECT(allocVector(REALSXP, k));
    check(occam_pnbd_summarize_events(id, REAL(times), n, end, merge, cid, S, REAL(first), REAL(xs), k, &k),
          "occam_pnbd_summarize_events");
    for (int64_t i = 0; i < k; i++) {
        REAL(vid)[i] = (double)cid[i];
        REAL(x)[i] = S[3 * i];
        REAL(tx)[i] = S[3 * i + 1];
        REAL(T)[i] = S[3 * i + 2];
    }
    SEXP cols[6] = {vid, x, tx, T, first, xs};
    for (int j = 0; j < 6; j++)
        SET_VECTOR_ELT(out, j, cols[j]);
    UNPROTECT(7);
    return out;
}

/* ------------------------------------------------------------ CLV */

/* Record time unit `unit` (an OCCAM_UNIT_* number) of unit_days days (NA:
 * not known) in the model: the R side calls it on a fresh handle only (a
 * copy from the model's bytes), so R objects stay values. */
SEXP occamr_set_time_unit(SEXP ptr, SEXP unit, SEXP unit_days)
{
    double days = asReal(unit_days);
    check(occam_model_set_time_unit(model(ptr), asInteger(unit), ISNA(days) ? NAN : days),
          "occam_model_set_time_unit");
    return R_NilValue;
}

/* occam_clv_table: X is n x 4 (x, t_x, T, m_x); a list of the five
 * columns p_alive, expected, dert, spend, clv.  As the CLI's occam clv,
 * models recorded in different time units are refused. */
SEXP occamr_clv(SEXP pnbd, SEXP gg, SEXP X, SEXP delta, SEXP margin, SEXP horizon)
{
    occam_model *mp = model(pnbd), *mg = model(gg);
    int unit = 0;
    double days = 0;
    check(occam_model_time_unit(mg, &unit, &days), "occam_model_time_unit");
    check(occam_model_check_time_unit(mp, unit, days), "clv: the Gamma-Gamma model's time unit");
    int64_t n, p;
    const double *x = matrix_arg(X, &n, &p);
    if (p != 4)
        error("X must have 4 columns (x, t.x, T.cal, m.x)");
    SEXP out = PROTECT(allocVector(VECSXP, 5));
    for (int j = 0; j < 5; j++)
        SET_VECTOR_ELT(out, j, allocVector(REALSXP, n));
    double *c[5];
    for (int j = 0; j < 5; j++)
        c[j] = REAL(VECTOR_ELT(out, j));
    check(occam_clv_table(mp, mg, x, n, n > 0 ? n : 1, OCCAM_COL_MAJOR, asReal(delta), asReal(margin), asReal(horizon),
                          c[0], c[1], c[2], c[3], c[4], n),
          "occam_clv_table");
    UNPROTECT(1);
    return out;
}
