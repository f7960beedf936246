/*
 * occam.h -- the whole public API of occam, a library of simple-first
 * statistical models: a linear baseline (hand-coded or least squares), a GLM
 * fitted by IRLS with R's families and links, and the Pareto/NBD customer-base
 * model.
 *
 * Conventions (see docs/api.md for the long form):
 *  - Every function returns an int status: 0 (OCCAM_OK) on success, a negative
 *    OCCAM_E_* code on error (outputs are left untouched), or a positive
 *    OCCAM_W_* code when the call completed with a warning (outputs valid).
 *    occam_strerror() gives static text for a code; occam_last_error() gives
 *    the detail message of the most recent failure or warning on the calling
 *    thread ("column 3 of X is NaN at row 17").
 *  - Matrices cross the API as (data, n, p, ld, layout) with CBLAS's layouts:
 *    element (i, j) is X[i + j*ld] for OCCAM_COL_MAJOR (ld >= n) and
 *    X[i*ld + j] for OCCAM_ROW_MAJOR (ld >= p).  R matrices are column-major,
 *    NumPy's default is row-major: both pass without copies.
 *  - The caller owns what it passes; the library copies what it keeps and
 *    never holds a caller pointer after a call returns.  Outputs go into
 *    caller buffers whose capacity is passed explicitly.
 *  - No global mutable state, no printing, no abort/exit.  Distinct models and
 *    option objects are independent; functions taking a const occam_model *
 *    may run concurrently on the same model from many threads; functions
 *    taking a non-const pointer need exclusive access to that object.
 *  - Threads, call by call (docs/api.md; tests/load/threads.c runs 8
 *    threads x 10^4 predictions on one model with concurrent reads under
 *    ThreadSanitizer, tests/sh/test_tsan.sh):
 *      safe on one model from many threads at once (read-only):
 *        occam_model_predict, occam_model_serialize, occam_model_save (the
 *        same path from two threads: each save is atomic, the last rename
 *        wins), occam_model_coef, occam_model_aliased, occam_model_vcov,
 *        occam_model_vcov_estimable, occam_model_info,
 *        occam_model_conditions, occam_model_rows, occam_model_nrows,
 *        occam_model_dims, occam_model_kind, occam_model_is_fitted,
 *        occam_model_coef_name, occam_model_column_name, occam_model_design; a shared const
 *        occam_opts may feed fits of different models at once;
 *      exclusive (no other call on that object meanwhile, reads included):
 *        occam_model_fit, occam_model_set_names, occam_model_set_design, occam_linear_set_coef,
 *        occam_glm_set_start, occam_glm_set_mustart, occam_pnbd_set_params,
 *        occam_model_free, occam_opts_set_int, occam_opts_set_double,
 *        occam_opts_free;
 *      no shared object, safe from any thread: the _new functions,
 *        occam_model_load, occam_model_deserialize, occam_pnbd_loglik,
 *        occam_pnbd_summarize_events, occam_iso_date_days, occam_name_check,
 *        the name/parse/version/status functions; occam_last_error() is
 *        per thread.
 *    To refit a model that threads are predicting with, fit a new model
 *    and swap the pointer once the readers are done (or guard it with a
 *    read-write lock).
 *  - Sizes and counts are int64_t; dimensions passed to BLAS/LAPACK must fit in
 *    32 bits, otherwise OCCAM_E_TOO_LARGE.
 *
 * The header compiles as C99, C11 and C++.
 */
#ifndef OCCAM_H_7F3A2C91
#define OCCAM_H_7F3A2C91

#include <stddef.h>
#include <stdint.h>

#if defined(OCCAM_STATIC)
#define OCCAM_API
#elif defined(_WIN32)
#if defined(OCCAM_BUILDING)
#define OCCAM_API __declspec(dllexport)
#else
#define OCCAM_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define OCCAM_API __attribute__((visibility("default")))
#else
#define OCCAM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                  */
/* ------------------------------------------------------------------------ */

#define OCCAM_VERSION_MAJOR 0
#define OCCAM_VERSION_MINOR 1
#define OCCAM_VERSION_PATCH 0
#define OCCAM_VERSION_NUMBER \
    (OCCAM_VERSION_MAJOR * 10000 + OCCAM_VERSION_MINOR * 100 + OCCAM_VERSION_PATCH)
#define OCCAM_VERSION_STRING "0.1.0"

/** Runtime version, major*10000 + minor*100 + patch.  Compare with
 *  OCCAM_VERSION_NUMBER to check that header and library agree.  Never fails. */
OCCAM_API int occam_version_number(void);
/** Runtime version as static text, e.g. "0.1.0".  Never NULL. */
OCCAM_API const char *occam_version_string(void);

/* ------------------------------------------------------------------------ */
/* Limits                                                                   */
/* ------------------------------------------------------------------------ */

/** Longest column name, in bytes of UTF-8 without the terminator: R's limit
 *  on the length of a name (R Language Definition, "Identifiers": 10000
 *  bytes).  occam_model_set_names() refuses longer names
 *  (OCCAM_E_INVALID_ARG), occam_model_deserialize() files holding them
 *  (OCCAM_E_FORMAT). */
#define OCCAM_NAME_MAX 10000

/** Largest dimension BLAS/LAPACK's 32-bit integers hold, 2^31 - 1.  Every
 *  input dimension is bounded, each check failing at once with a message
 *  naming the dimension:
 *   - linear and GLM fits: coefficients k + 1 <= OCCAM_DIM_MAX (k = p +
 *     intercept) and every dimension a fit hands to BLAS/LAPACK (GLM: rows
 *     n <= OCCAM_DIM_MAX), else OCCAM_E_TOO_LARGE;
 *   - Pareto/NBD: p = 3 columns; rows any int64_t count;
 *   - column names: p names of 1 to OCCAM_NAME_MAX bytes of well-formed
 *     UTF-8 (occam_name_check());
 *   - OCCAM_OPT_THREADS <= 256;
 *   - a serialized model <= 2^32 - 1 bytes (OCCAM_E_TOO_LARGE from
 *     occam_model_serialize(), OCCAM_E_FORMAT when reading), its p and k
 *     <= OCCAM_DIM_MAX. */
#define OCCAM_DIM_MAX 2147483647

/* ------------------------------------------------------------------------ */
/* Status codes                                                             */
/* ------------------------------------------------------------------------ */

/** Status codes.  Values are stable: new codes are appended, never renumbered.
 *  Positive codes are warnings: the call completed and its outputs are valid.
 *  A fit that meets several warning conditions returns the smallest positive
 *  code among them; occam_model_conditions() lists them all. */
enum occam_status {
    OCCAM_OK = 0,

    OCCAM_W_NOT_CONVERGED = 1,  /**< iteration limit reached (R: "algorithm did not converge") */
    OCCAM_W_BOUNDARY = 2,       /**< step-halving stopped at a boundary (R: "algorithm stopped at boundary value") */
    OCCAM_W_FITTED_01 = 3,      /**< binomial: fitted probabilities numerically 0 or 1 (separation) */
    OCCAM_W_FITTED_ZERO = 4,    /**< poisson: fitted rates numerically 0 */
    OCCAM_W_RANK_DEFICIENT = 5, /**< some coefficients are aliased (R's NA) */
    OCCAM_W_NON_INTEGER = 6,    /**< binomial successes or poisson counts not integer (R warns) */
    OCCAM_W_STEP_DIVERGENCE = 7,   /**< GLM: a step was halved because the deviance was not finite (R's glm.fit:
                                        "step size truncated due to divergence") */
    OCCAM_W_STEP_OUT_OF_BOUNDS = 8,/**< GLM: a step was halved because eta or mu left the family's valid region
                                        (R's glm.fit: "step size truncated: out of bounds") */
    OCCAM_W_ZERO_WEIGHTS = 9,      /**< GLM with an estimated dispersion: some rows have working weight 0 (prior
                                        weight 0, or d mu / d eta = 0) and do not count in it (R's summary.glm:
                                        "observations with zero weight not used for calculating dispersion") */
    OCCAM_W_PERFECT_FIT = 10,   /**< linear: essentially perfect fit, the summary may be unreliable (R's summary.lm warning) */
    OCCAM_W_OVERFLOW = 11,      /**< linear: a sum of squares, sigma^2 or a covariance exceeds the double range (stored as Inf) */
    OCCAM_W_NO_DROPOUT = 12,    /**< Pareto/NBD: no evidence of dropout (churn) in the data: the likelihood is highest in
                                     the limit s, beta -> Inf with s/beta -> 0, the NBD model without dropout; the fit
                                     reports that limit (s = beta = Inf, P(alive) = 1; docs/pnbd.md) */

    OCCAM_E_NULL = -1,             /**< a required pointer argument is NULL */
    OCCAM_E_INVALID_ARG = -2,      /**< an argument is out of range (ld, layout, option value, ...) */
    OCCAM_E_NO_DATA = -3,          /**< no observations: n = 0, or every prior weight is 0 */
    OCCAM_E_NONFINITE = -4,        /**< NaN or Inf in an input array */
    OCCAM_E_BAD_WEIGHTS = -5,      /**< a prior weight is negative */
    OCCAM_E_DOMAIN = -6,           /**< a value is outside the model's domain (y for the family, t_x > T, ...) */
    OCCAM_E_DIM_MISMATCH = -7,     /**< lengths or column counts disagree */
    OCCAM_E_UNKNOWN_ENUM = -8,     /**< unknown enum value or option key */
    OCCAM_E_NOT_FITTED = -9,       /**< the model has no coefficients yet (predict before fit) */
    OCCAM_E_WRONG_MODEL = -10,     /**< the call does not apply to this kind of model */
    OCCAM_E_NOMEM = -11,           /**< memory allocation failed */
    OCCAM_E_TOO_LARGE = -12,       /**< a dimension does not fit BLAS/LAPACK's 32-bit integers */
    OCCAM_E_BUFFER_TOO_SMALL = -13,/**< output capacity too small; the needed size is reported */
    OCCAM_E_FORMAT = -14,          /**< serialized data malformed: empty, truncated, bad magic, unknown kind, bad field */
    OCCAM_E_VERSION = -15,         /**< serialized data has an unsupported format version */
    OCCAM_E_CHECKSUM = -16,        /**< serialized data fails its CRC-32 check (corrupted) */
    OCCAM_E_IO = -17,              /**< a file could not be opened, read or written */
    OCCAM_E_NUMERIC = -18,         /**< numerical failure: no valid coefficients, non-finite deviance, ... */
    OCCAM_E_BAD_LINK = -19,        /**< the link is not valid for the family */
    OCCAM_E_LAPACK = -20,          /**< BLAS/LAPACK reported an error (info in the detail message) */
    OCCAM_E_INTERNAL = -21         /**< an internal invariant failed: a bug, please report it */
};

/** Static English text for a status ("NaN or Inf in input").  Never NULL;
 *  unknown codes give "unknown status".  Thread-safe. */
OCCAM_API const char *occam_strerror(int status);
/** Static identifier of a status ("OCCAM_E_NONFINITE").  Never NULL. */
OCCAM_API const char *occam_status_name(int status);
/** Detail message of the most recent non-OK status returned on the calling
 *  thread, or "" if there was none.  Thread-local; valid until the next call
 *  into occam on this thread that returns a non-OK status. */
OCCAM_API const char *occam_last_error(void);

/* ------------------------------------------------------------------------ */
/* Enumerations                                                             */
/* ------------------------------------------------------------------------ */

/** Matrix layouts; numerically equal to CBLAS_ORDER. */
enum occam_layout { OCCAM_ROW_MAJOR = 101, OCCAM_COL_MAJOR = 102 };

/** Model kinds, as returned by occam_model_kind() and stored in files. */
enum occam_model_kind { OCCAM_MODEL_LINEAR = 1, OCCAM_MODEL_GLM = 2, OCCAM_MODEL_PNBD = 3, OCCAM_MODEL_GG = 4 };

/** GLM families, as R's family objects. */
enum occam_family {
    OCCAM_FAMILY_GAUSSIAN = 1,
    OCCAM_FAMILY_BINOMIAL = 2,
    OCCAM_FAMILY_POISSON = 3,
    OCCAM_FAMILY_GAMMA = 4,
    OCCAM_FAMILY_INVERSE_GAUSSIAN = 5,
    OCCAM_FAMILY_QUASIBINOMIAL = 6,
    OCCAM_FAMILY_QUASIPOISSON = 7
};

/** GLM links, as R's make.link().  OCCAM_LINK_DEFAULT picks R's default link
 *  of the family (gaussian identity, binomial logit, poisson log, Gamma
 *  inverse, inverse.gaussian 1/mu^2). */
enum occam_link {
    OCCAM_LINK_DEFAULT = 0,
    OCCAM_LINK_IDENTITY = 1,
    OCCAM_LINK_LOG = 2,
    OCCAM_LINK_INVERSE = 3,
    OCCAM_LINK_LOGIT = 4,
    OCCAM_LINK_PROBIT = 5,
    OCCAM_LINK_CAUCHIT = 6,
    OCCAM_LINK_CLOGLOG = 7,
    OCCAM_LINK_SQRT = 8,
    OCCAM_LINK_INVERSE_SQUARE = 9 /**< R's "1/mu^2" */
};

/** R's name of a family ("binomial", "Gamma", "inverse.gaussian", ...), or
 *  NULL for an unknown value.  Static text. */
OCCAM_API const char *occam_family_name(int family);
/** R's name of a link ("logit", "1/mu^2", ...), or NULL for an unknown value
 *  and for OCCAM_LINK_DEFAULT (not a link of its own).  Static text. */
OCCAM_API const char *occam_link_name(int link);
/** Parse R's family name into *family (ASCII case-insensitive, so "gamma"
 *  reads as Gamma).  OCCAM_E_NULL, OCCAM_E_UNKNOWN_ENUM (message lists the
 *  names); *family untouched on error. */
OCCAM_API int occam_family_parse(const char *name, int *family);
/** Parse R's link name ("1/mu^2" for OCCAM_LINK_INVERSE_SQUARE) into *link,
 *  ASCII case-insensitive.  OCCAM_E_NULL, OCCAM_E_UNKNOWN_ENUM. */
OCCAM_API int occam_link_parse(const char *name, int *link);
/** R's family$dev.resids(y, mu, wt): out[i] = the deviance contribution
 *  of row i, wt[i] times the family's unit deviance at (y[i], mu[i])
 *  (gaussian (y - mu)^2; binomial and quasibinomial 2 (y log(y/mu) +
 *  (1 - y) log((1 - y)/(1 - mu))); poisson and quasipoisson
 *  2 (y log(y/mu) - (y - mu)); Gamma -2 (log(y/mu) - (y - mu)/mu);
 *  inverse.gaussian (y - mu)^2 / (y mu^2); R's family.c and family.R,
 *  y log y = 0 at y = 0).  sign(y - mu) sqrt(out[i]) is R's deviance
 *  residual, as occam_model_rows(OCCAM_ROWS_RESID_DEVIANCE) gives for the
 *  rows of a fit; this gives it for any rows, e.g. read again after a
 *  streamed fit, with mu from occam_model_predict().  wt NULL: all 1.  The
 *  values are not checked (R's neither): NaN in, NaN out.  n arrays of n
 *  values; out may be y or mu.  Returns OCCAM_OK, OCCAM_E_NULL (y, mu or
 *  out NULL with n > 0), OCCAM_E_INVALID_ARG (n < 0),
 *  OCCAM_E_UNKNOWN_ENUM (family).  Thread-safe. */
OCCAM_API int occam_glm_dev_resids(int family, const double *y, const double *mu, const double *wt, int64_t n,
                                   double *out);

/* ------------------------------------------------------------------------ */
/* Options                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct occam_opts occam_opts;

/** Option keys.  Every option has a type (int or double); an unset option takes
 *  the default of the model kind that reads it.  Options a kind does not use
 *  are ignored by it. */
enum occam_option {
    OCCAM_OPT_EPSILON = 1,     /**< double > 0. GLM: convergence tolerance on the deviance, default 1e-8
                                    (glm.control's epsilon).  Pareto/NBD: convergence is decided on the
                                    gradient (OCCAM_OPT_GRAD_TOL); epsilon (default 1e-12) only stops a
                                    search whose log-likelihood changed by less than epsilon (relative)
                                    for three iterations, reported as not converged. */
    OCCAM_OPT_MAXIT = 2,       /**< int >= 1.  GLM: IRLS iterations, default 25.  Pareto/NBD: optimizer
                                    iterations, default 200. */
    OCCAM_OPT_RANK_TOL = 3,    /**< double in [0, 1).  Column aliasing tolerance of the pivoted QR.
                                    GLM default min(1e-7, epsilon/1000) as glm.fit; linear default 1e-10
                                    (R's lm uses 1e-7, which drops estimable columns; see docs/linear.md). */
    OCCAM_OPT_SOLVER = 4,      /**< int, enum occam_solver.  Default OCCAM_SOLVER_AUTO (GLM: Cholesky while
                                    the system is well conditioned, else R's pivoted QR; linear: QR). */
    OCCAM_OPT_INTERCEPT = 5,   /**< int 0/1, default 1: the model has an intercept that X does not contain. */
    OCCAM_OPT_HALVE_ON_INCREASE = 6, /**< int 0/1, default 0.  GLM: glm2's glm.fit2 (Marschner 2011, The R
                                    Journal 3/2): after R's halving (non-finite deviance, eta/mu invalid),
                                    from the second iteration on, a step whose deviance rose,
                                    (dev - dev_old) / (|dev| + 0.1) >= epsilon, is halved until the
                                    deviance has fallen, (dev - dev_old) / (|dev| + 0.1) <= -epsilon, at
                                    most maxit times. */
    OCCAM_OPT_GRAD_TOL = 7,    /**< double > 0.  Pareto/NBD: convergence when the max-norm of the gradient of
                                    the mean log-likelihood over log-parameters is below this; default 1e-9. */
    OCCAM_OPT_COLLAPSE = 8,    /**< int -1/0/1, default -1 (auto).  Pareto/NBD: merge identical (x, t_x, T)
                                    rows into one weighted row (1 always, 0 never, -1 when it pays). */
    OCCAM_OPT_THREADS = 9,     /**< int in [1, 256], default 1.  GLM: POSIX threads for the passes over the
                                    rows of each IRLS iteration (the rows split into this many contiguous
                                    ranges, at most n; their sums are combined in row order).  A fit is
                                    deterministic for a given thread count; across thread counts results
                                    differ only by rounding.  BLAS runs inside each thread: with more than
                                    one, run OpenBLAS single-threaded (OPENBLAS_NUM_THREADS=1), or the
                                    fit gets slower.  Pareto/NBD: threads for the sums over customers
                                    (blocks of rows, added in block order: the fit is the same for
                                    every thread count).  Other model kinds ignore it. */
    OCCAM_OPT_FAST = 10        /**< int 0/1, default 0.  GLM, in-memory fits (occam_model_fit) only: the
                                    fast path of lib/glm_fast.c, NOT R's iteration path.  It fits a fixed,
                                    deterministic row subsample (every s-th row, s = n / max(n/16, 64 k,
                                    4096), at least 1) by R's IRLS, takes chord steps on all rows with the
                                    subsample's X'WX held fixed (each step one matrix-vector pass:
                                    eta = offset + X b and X'r), and ends with R's IRLS started from
                                    the result (OCCAM_OPT_SOLVER, R's aliasing), which normally converges
                                    in one iteration: one full X'WX at the MLE gives the coefficients'
                                    final step and the standard errors.  It reaches R's MLE, not R's
                                    iterates: OCCAM_INFO_ITER counts the final IRLS iterations only.
                                    Whenever anything is doubtful (a warning or error in the subsample
                                    fit -- aliased columns, non-convergence, boundary, fitted 0/1 --,
                                    mustart given, a chord step invalid or growing, a warning in the
                                    final fit) it falls back to the R-exact path from R's start;
                                    OCCAM_INFO_FAST says which path produced the fit.  A stream
                                    (occam_model_fit_source, occam_stream_*) refuses it with
                                    OCCAM_E_INVALID_ARG.  Other model kinds ignore it. */,
    OCCAM_OPT_KEEP_DATA = 11   /**< int 0/1, default 0.  GLM: occam_model_serialize() / occam_model_save()
                                    also write the fit's per-row results (5 doubles per row passed to
                                    the fit: the response as used, prior weights, eta, mu, working
                                    weights), so that occam_model_rows() and the residual summary
                                    work after a reload.  By default a model file holds no per-row
                                    training data (O(p + r^2) bytes): prediction and inspection need
                                    none.  The fit in memory keeps its rows either way (R's glm
                                    object); a model read from a file that has them writes them
                                    again.  Other model kinds ignore it (their files never hold
                                    per-row data). */
};

/** Least-squares solvers for the linear model and each IRLS step. */
enum occam_solver {
    OCCAM_SOLVER_QR = 1,       /**< Householder QR with R's limited column pivoting (dqrdc2 semantics) */
    OCCAM_SOLVER_CHOLESKY = 2, /**< Cholesky of X'WX: about twice as fast, squares the condition number */
    OCCAM_SOLVER_AUTO = 3      /**< the default.  GLM: each IRLS system is accumulated as X'WX and solved
                                    by Cholesky while it is well conditioned: no column aliased or
                                    near-collinear (the Cholesky factor's diagonal over the column norm,
                                    R's dqrdc2 criterion, at least max(1e-3, 1e4 * rank tolerance) for
                                    every column) and the LAPACK dtrcon estimate of the reciprocal
                                    1-norm condition number of the column-scaled factor at least 1e-3.
                                    Otherwise that iteration's system is accumulated again by QR (one
                                    more pass over the data) and QR is used for the rest of the fit, so
                                    aliasing is R's (dqrdc2: the same aliased set, in the same order).
                                    The decision depends only on the merged system.  OCCAM_INFO_SOLVER
                                    tells which solver solved the final system.  Linear models: QR (lm
                                    is one solve; Cholesky would lose digits on ill-conditioned data
                                    such as NIST's Filip and Wampler 4-5, see docs/linear.md). */
};

/** Create an options object with every option unset.  *out is NULL on error.
 *  Returns OCCAM_OK, OCCAM_E_NULL (out is NULL), OCCAM_E_NOMEM. */
OCCAM_API int occam_opts_new(occam_opts **out);
/** Free an options object.  NULL is a no-op. */
OCCAM_API void occam_opts_free(occam_opts *opts);
/** Set an integer option.  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_UNKNOWN_ENUM
 *  (unknown key, or key of double type), OCCAM_E_INVALID_ARG (value out of range). */
OCCAM_API int occam_opts_set_int(occam_opts *opts, int key, int64_t value);
/** Set a double option.  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_UNKNOWN_ENUM
 *  (unknown key, or key of int type), OCCAM_E_INVALID_ARG (NaN or out of range). */
OCCAM_API int occam_opts_set_double(occam_opts *opts, int key, double value);
/** Read an integer option; *is_set (may be NULL) tells whether it was set, and
 *  *value is left untouched when it was not.  OCCAM_E_NULL, OCCAM_E_UNKNOWN_ENUM. */
OCCAM_API int occam_opts_get_int(const occam_opts *opts, int key, int64_t *value, int *is_set);
/** Read a double option, as occam_opts_get_int(). */
OCCAM_API int occam_opts_get_double(const occam_opts *opts, int key, double *value, int *is_set);

/* ------------------------------------------------------------------------ */
/* Models: construction                                                     */
/* ------------------------------------------------------------------------ */

typedef struct occam_model occam_model;

/** Create an unfitted linear model (least squares, R's lm).  Fit it with
 *  occam_model_fit() or give it coefficients with occam_linear_set_coef().
 *  The fit is R's lm.fit / lm.wfit (pivoted QR with R's aliasing; with
 *  n < p + 1 at most n coefficients are estimable, the rest aliased, in
 *  O(n p min(n, p)) time) refined by one step of iterative refinement with
 *  accurate residuals, and summary.lm's statistics (docs/linear.md).  Fit
 *  warnings: OCCAM_W_RANK_DEFICIENT; OCCAM_W_PERFECT_FIT (summary.lm's
 *  "essentially perfect fit: summary may be unreliable": residual variance
 *  below 1e-30 (mean(f)^2 + var(f)), f the fitted values of all rows);
 *  OCCAM_W_OVERFLOW (the residual sum of squares, sigma^2 or a covariance
 *  exceeds the double range and is stored as Inf; the estimates, standard
 *  errors, t values, sigma, R^2 and F are computed scaled and stay finite).
 *  Fit error besides occam_model_fit()'s: OCCAM_E_NUMERIC (a coefficient
 *  exceeds the double range).
 *  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_NOMEM.  *out is NULL on error. */
OCCAM_API int occam_linear_new(occam_model **out);

/** Hand-code a linear model: prediction = intercept + sum_j coef[j] * x_j.
 *  coef has p entries (p >= 0; NULL allowed when p = 0).  has_intercept = 0
 *  means no intercept term (intercept must then be 0).  Replaces any earlier
 *  fit; the model then predicts and serializes, and reports no standard errors
 *  (NaN).  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_WRONG_MODEL (not linear),
 *  OCCAM_E_INVALID_ARG (p < 0, has_intercept not 0/1, or intercept != 0
 *  without intercept), OCCAM_E_NONFINITE, OCCAM_E_NOMEM. */
OCCAM_API int occam_linear_set_coef(occam_model *m, int has_intercept, double intercept,
                                    const double *coef, int64_t p);

/** Create an unfitted GLM with an R family and link (OCCAM_LINK_DEFAULT for
 *  the family's default).  Valid pairs are R's: gaussian (identity, log,
 *  inverse); binomial and quasibinomial (logit, probit, cauchit, log,
 *  cloglog); poisson and quasipoisson (log, identity, sqrt); Gamma (inverse,
 *  identity, log); inverse.gaussian (1/mu^2, inverse, identity, log).
 *
 *  occam_model_fit() then runs IRLS with R's glm.fit semantics (R 4.2.2):
 *  the family's starting values, convergence |dev - dev_old| / (|dev| + 0.1)
 *  < OCCAM_OPT_EPSILON, step-halving on a non-finite deviance or invalid
 *  eta/mu, pivoted QR (or OCCAM_SOLVER_CHOLESKY) with R's aliasing; standard
 *  errors and dispersion from the last solve's working weights as
 *  summary.glm; null deviance as glm() (a second IRLS with an intercept and
 *  an offset).  Binomial y is a proportion with the trials as prior
 *  weights.  Fit statuses besides occam_model_fit()'s: OCCAM_E_DOMAIN (y
 *  invalid for the family: negative counts, binomial y outside [0, 1], y <= 0
 *  for Gamma / inverse.gaussian; invalid starting values), OCCAM_E_NUMERIC (R's
 *  "no valid set of coefficients has been found", step-halving exhausted),
 *  OCCAM_E_DIM_MISMATCH (start or mustart length); warnings
 *  OCCAM_W_NOT_CONVERGED, OCCAM_W_BOUNDARY, OCCAM_W_FITTED_01,
 *  OCCAM_W_FITTED_ZERO, OCCAM_W_RANK_DEFICIENT, OCCAM_W_NON_INTEGER,
 *  OCCAM_W_STEP_DIVERGENCE, OCCAM_W_STEP_OUT_OF_BOUNDS (R's glm()
 *  warnings, including those of the null-deviance refit) and
 *  OCCAM_W_ZERO_WEIGHTS (summary.glm's, given by the fit: it computes the
 *  dispersion).  See docs/glm.md.
 *  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_UNKNOWN_ENUM (unknown family or
 *  link value), OCCAM_E_BAD_LINK (invalid pair), OCCAM_E_NOMEM.  *out is NULL
 *  on error. */
OCCAM_API int occam_glm_new(int family, int link, occam_model **out);

/** Starting coefficients for the next GLM fits (R's glm(start =)): len =
 *  number of coefficients, intercept first when the fit has one.  The array
 *  is copied and kept until replaced (not serialized).  NULL with len 0
 *  clears it.  Returns OCCAM_OK, OCCAM_E_NULL (start NULL with len > 0),
 *  OCCAM_E_WRONG_MODEL (not a GLM), OCCAM_E_NONFINITE, OCCAM_E_INVALID_ARG
 *  (len < 0), OCCAM_E_NOMEM.  A length that does not match the fit is
 *  reported by occam_model_fit() as OCCAM_E_DIM_MISMATCH; start values whose
 *  eta or mu is invalid for the family/link as OCCAM_E_DOMAIN. */
OCCAM_API int occam_glm_set_start(occam_model *m, const double *start, int64_t len);

/** Starting fitted means for the next GLM fits (R's glm(mustart =)), one per
 *  row; copied and kept until replaced (not serialized).  NULL with n 0
 *  clears it.  Ignored when start coefficients are set.  Statuses as
 *  occam_glm_set_start(); mu outside the family's range gives
 *  OCCAM_E_DOMAIN and a length other than the fit's n OCCAM_E_DIM_MISMATCH
 *  at fit time. */
OCCAM_API int occam_glm_set_mustart(occam_model *m, const double *mustart, int64_t n);

/** Create an unfitted Pareto/NBD model (Schmittlein, Morrison & Colombo 1987;
 *  Fader & Hardie, "A Note on Deriving the Pareto/NBD Model and Related
 *  Expressions", 2005).  Its X columns are named "x", "t_x", "T" (rename with
 *  occam_model_set_names()).  Fit it with occam_model_fit() (X = n x 3
 *  summaries, see there; options OCCAM_OPT_GRAD_TOL, OCCAM_OPT_EPSILON,
 *  OCCAM_OPT_MAXIT, OCCAM_OPT_COLLAPSE) or give it parameters with
 *  occam_pnbd_set_params().  After a fit: coefficients r, alpha, s, beta with
 *  standard errors from the inverse Hessian (statistic and p-value NaN);
 *  occam_model_info() keys LOGLIK, AIC (-2 loglik + 8), ITER, CONVERGED,
 *  GRAD_NORM, NOBS.  Fit warnings: OCCAM_W_NOT_CONVERGED (also when the
 *  search runs to s, beta -> Inf at a finite s/beta, a common dropout rate:
 *  stopped at s >= 1e4, the last point kept, no standard errors);
 *  OCCAM_W_NO_DROPOUT when the data show no churn (the likelihood is highest
 *  as s/beta -> 0; the model then holds the NBD limit: r, alpha of the NBD
 *  model with their standard errors, s = beta = +Inf with NaN standard
 *  errors, LOGLIK the NBD's; predictions are the limit's: P(alive) = 1,
 *  E[X(T, T+t] | x, t_x, T] = (r+x) t / (alpha+T), E[X(t)] = r t / alpha,
 *  P(X(t) = n) negative binomial; docs/pnbd.md).  *out is NULL on error.
 *  Returns OCCAM_OK, OCCAM_E_NULL (out is NULL), OCCAM_E_NOMEM. */
OCCAM_API int occam_pnbd_new(occam_model **out);

/** Give a Pareto/NBD model parameters estimated elsewhere (r, alpha, s, beta,
 *  all > 0 and finite, or s = beta = +Inf (both) for the no-dropout limit of
 *  OCCAM_W_NO_DROPOUT; alpha and beta in the time unit of the data to be
 *  scored), e.g. a published fit; the model can then predict and serialize
 *  without a fit and reports no standard errors (NaN); occam_model_info()
 *  returns OCCAM_E_WRONG_MODEL (no fit statistics).  Replaces any earlier
 *  fit; on error the model is unchanged.  Returns OCCAM_OK, OCCAM_E_NULL,
 *  OCCAM_E_WRONG_MODEL (not a Pareto/NBD model), OCCAM_E_NONFINITE,
 *  OCCAM_E_DOMAIN (a parameter <= 0), OCCAM_E_DIM_MISMATCH (names set for
 *  other than 3 columns), OCCAM_E_NOMEM. */
OCCAM_API int occam_pnbd_set_params(occam_model *m, double r, double alpha, double s, double beta);

/** Create an unfitted Gamma-Gamma spend model (Colombo & Jiang 1999; Fader,
 *  Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves", JMR 42; Fader &
 *  Hardie 2013, "The Gamma-Gamma Model of Monetary Value"): a customer's
 *  transaction values are Gamma(p, rate nu) with nu ~ Gamma(q, rate gamma)
 *  across customers.  Data: X is n x 2, column 0 x (repeat transactions, an
 *  integer >= 0), column 1 m_x (their mean value, > 0 when x > 0; lifetimes'
 *  monetary_value), default column names "x" and "m_x"; optional weights are
 *  customers per row.  occam_model_fit() maximizes the likelihood of m_x
 *  given x (the density with no constant dropped, as lifetimes, CLVTools
 *  gg_LL and BTYD spend.LL) over the rows with x > 0 (rows with x = 0 carry
 *  no spend information and are skipped; they count in nrows, not in
 *  OCCAM_INFO_NOBS): Newton steps on log(p, q, gamma), converged when the
 *  max |gradient of the mean log-likelihood over log-parameters| is below
 *  OCCAM_OPT_GRAD_TOL (default 1e-9; OCCAM_OPT_MAXIT default 200).  The
 *  coefficients are p, q, gamma (names "p", "q", "gamma") with standard
 *  errors sqrt(diag(inverse of -Hessian)) and z tests; info keys LOGLIK,
 *  AIC, ITER, CONVERGED, GRAD_NORM, NOBS, CORRELATION.  Fit statuses: those
 *  of occam_model_fit(), OCCAM_E_DIM_MISMATCH (X not n x 2), OCCAM_E_DOMAIN
 *  (x not an integer >= 0, m_x < 0, m_x = 0 with x > 0; the row named),
 *  OCCAM_E_NO_DATA (fewer than 2 customers with x > 0), OCCAM_W_NOT_CONVERGED.
 *  Predicts OCCAM_PREDICT_SPEND.  Returns OCCAM_OK, OCCAM_E_NULL,
 *  OCCAM_E_NOMEM; *out is NULL on error. */
OCCAM_API int occam_gg_new(occam_model **out);

/** Give a Gamma-Gamma model parameters estimated elsewhere (p, q, gamma, all
 *  > 0 and finite; gamma in the money unit of m_x), e.g. a published fit;
 *  the model then predicts and serializes without a fit (no standard
 *  errors; occam_model_info() returns OCCAM_E_WRONG_MODEL).  Returns
 *  OCCAM_OK, OCCAM_E_NULL, OCCAM_E_WRONG_MODEL (not a Gamma-Gamma model),
 *  OCCAM_E_NONFINITE, OCCAM_E_DOMAIN, OCCAM_E_NOMEM; on error the model is
 *  unchanged. */
OCCAM_API int occam_gg_set_params(occam_model *m, double p, double q, double gamma);

/* ------------------------------------------------------------------------ */
/* The context of a Pareto/NBD or Gamma-Gamma model                         */
/* ------------------------------------------------------------------------ */

/* A customer model's parameters alpha and beta (Pareto/NBD) are rates per
 * time unit of its data, so a model fitted in weeks and scored on days gives
 * wrong numbers without any error.  The model therefore records its context:
 * the time unit, the calibration end, and (occam_model_set_names()) the
 * column names of its data.  The context is kept in the model file (format
 * 1.2, docs/format.md) and is not changed by fits or occam_pnbd_set_params()
 * / occam_gg_set_params(); a model read from a format 1.0 or 1.1 file has the
 * unknown context (OCCAM_UNIT_UNKNOWN, calibration end NaN, no text).
 * Predictions never read it: checking data against it is the caller's part
 * (occam_model_check_time_unit()). */

/** Time units of a model's context. */
enum occam_time_unit {
    OCCAM_UNIT_UNKNOWN = 0, /**< not recorded; its length in days is NaN */
    OCCAM_UNIT_WEEKS = 1,   /**< 7 days */
    OCCAM_UNIT_DAYS = 2,    /**< 1 day */
    OCCAM_UNIT_OTHER = 3    /**< another unit: a length in days > 0 (30.4375 for months), or NaN (not known) */
};

/** Record the time unit of a Pareto/NBD or Gamma-Gamma model's data.
 *  unit_days is the unit's length in days: ignored for OCCAM_UNIT_WEEKS (7),
 *  OCCAM_UNIT_DAYS (1) and OCCAM_UNIT_UNKNOWN (NaN); for OCCAM_UNIT_OTHER a
 *  finite number > 0, or NaN for a unit of unknown length.  Returns OCCAM_OK,
 *  OCCAM_E_NULL, OCCAM_E_WRONG_MODEL (a linear model or GLM),
 *  OCCAM_E_UNKNOWN_ENUM (unit not an OCCAM_UNIT_*), OCCAM_E_DOMAIN
 *  (OCCAM_UNIT_OTHER with unit_days <= 0 or infinite); on error the model is
 *  unchanged. */
OCCAM_API int occam_model_set_time_unit(occam_model *m, int unit, double unit_days);

/** The time unit recorded in a Pareto/NBD or Gamma-Gamma model: *unit an
 *  OCCAM_UNIT_*, *unit_days its length in days (7, 1, the OCCAM_UNIT_OTHER
 *  length, or NaN when unknown).  Either output may be NULL.  Returns
 *  OCCAM_OK, OCCAM_E_NULL (m NULL), OCCAM_E_WRONG_MODEL. */
OCCAM_API int occam_model_time_unit(const occam_model *m, int *unit, double *unit_days);

/** "weeks", "days", "other" or "unknown" for an OCCAM_UNIT_* value; NULL for
 *  another value.  The string is static.  Thread-safe. */
OCCAM_API const char *occam_time_unit_name(int unit);

/** Record the calibration end of a Pareto/NBD or Gamma-Gamma model: t on
 *  the model's time axis (in its time unit; for dates the CLI uses days
 *  since 1970-01-01 divided by the unit's length in days), NaN when unknown;
 *  text (may be NULL: none) the end as the user gave it, e.g. an ISO date
 *  "1997-09-30", copied; 1 to OCCAM_NAME_MAX bytes of well-formed UTF-8 as
 *  occam_name_check() requires ("" is taken as NULL).  Returns OCCAM_OK,
 *  OCCAM_E_NULL (m NULL), OCCAM_E_WRONG_MODEL, OCCAM_E_NONFINITE (t
 *  infinite), OCCAM_E_INVALID_ARG (text too long or not UTF-8),
 *  OCCAM_E_NOMEM; on error the model is unchanged. */
OCCAM_API int occam_model_set_calibration_end(occam_model *m, double t, const char *text);

/** The calibration end recorded in a Pareto/NBD or Gamma-Gamma model: *t
 *  (may be NULL) its time, NaN when unknown; its text NUL-terminated into
 *  buf (cap bytes; "" when none), the size needed, terminator included,
 *  into *needed (may be NULL); buf = NULL, cap = 0 queries the size (then
 *  *t is still set).  Returns OCCAM_OK, OCCAM_E_NULL (m NULL),
 *  OCCAM_E_WRONG_MODEL, OCCAM_E_BUFFER_TOO_SMALL. */
OCCAM_API int occam_model_calibration_end(const occam_model *m, double *t, char *buf, size_t cap,
                                          size_t *needed);

/** Check that data in time unit `unit` (an OCCAM_UNIT_*, unit_days as for
 *  occam_model_set_time_unit()) suit a Pareto/NBD or Gamma-Gamma model.
 *  They do when either unit is OCCAM_UNIT_UNKNOWN (nothing to compare), when
 *  both lengths in days are known and equal (weeks and "other, 7 days"
 *  match), or when both are OCCAM_UNIT_OTHER of unknown length.  Otherwise
 *  OCCAM_E_INVALID_ARG with a message that names both units ("the model's
 *  time unit is weeks (7 days per unit), the data's days (1 day per unit)").
 *  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_WRONG_MODEL, OCCAM_E_UNKNOWN_ENUM,
 *  OCCAM_E_DOMAIN (unit_days as occam_model_set_time_unit()),
 *  OCCAM_E_INVALID_ARG (the mismatch).  Thread-safe. */
OCCAM_API int occam_model_check_time_unit(const occam_model *m, int unit, double unit_days);

/** Free a model.  NULL is a no-op. */
OCCAM_API void occam_model_free(occam_model *m);

/* ------------------------------------------------------------------------ */
/* Models: the common verbs                                                 */
/* ------------------------------------------------------------------------ */

/** Fit a model to data.
 *
 *  Linear and GLM: X is the n x p design matrix (data, n, p, ldx, layout)
 *  WITHOUT an intercept column (OCCAM_OPT_INTERCEPT adds one, default on);
 *  y has n responses; weights (NULL = all 1) are R's prior weights, >= 0
 *  (rows of weight 0 are kept in fitted values but do not count in the fit or
 *  its degrees of freedom, as in R); offset (NULL = all 0) is added to the
 *  linear predictor.  For binomial, y is a proportion in [0, 1] and the
 *  weight is the number of trials (R's cbind(successes, failures) maps to
 *  y = successes/(successes + failures), weights = successes + failures).
 *  Source: R's lm.fit/lm.wfit and glm.fit (R 4.2).
 *
 *  Pareto/NBD: X is the n x 3 matrix of customer summaries with columns
 *  (x, t_x, T): x = number of repeat transactions (integer >= 0), t_x = time
 *  of the last repeat transaction, T = time since the first transaction, in
 *  one time unit of the caller's choice, 0 <= t_x <= T, t_x = 0 when x = 0.
 *  weights (NULL = 1) are row counts (>= 0, integer or not); y and offset
 *  must be NULL.  Source: Schmittlein, Morrison & Colombo (1987); Fader &
 *  Hardie, "A Note on Deriving the Pareto/NBD Model and Related Expressions".
 *
 *  opts may be NULL (all defaults).  The data are copied where the model needs
 *  them (fitted values, residuals); X is read only during the call.
 *
 *  Returns OCCAM_OK or a warning OCCAM_W_* (fit usable, see
 *  occam_model_conditions()); errors: OCCAM_E_NULL (m, X or y NULL when
 *  required), OCCAM_E_INVALID_ARG (bad ld or layout, y/offset given to
 *  Pareto/NBD), OCCAM_E_NO_DATA (n = 0 or all weights 0), OCCAM_E_NONFINITE,
 *  OCCAM_E_BAD_WEIGHTS, OCCAM_E_DOMAIN, OCCAM_E_DIM_MISMATCH (p != 3 for
 *  Pareto/NBD; start of the wrong length), OCCAM_E_TOO_LARGE, OCCAM_E_NOMEM,
 *  OCCAM_E_NUMERIC, OCCAM_E_LAPACK.  On error the model keeps its earlier state. */
OCCAM_API int occam_model_fit(occam_model *m, const occam_opts *opts,
                              const double *X, int64_t n, int64_t p, int64_t ldx, int layout,
                              const double *y, const double *weights, const double *offset);

/** What occam_model_predict() computes. */
enum occam_predict_type {
    OCCAM_PREDICT_RESPONSE = 1, /**< linear: fitted value; GLM: mu = linkinv(eta) (R type = "response") */
    OCCAM_PREDICT_LINK = 2,     /**< GLM and linear: eta = offset + X b (R type = "link") */
    OCCAM_PREDICT_PALIVE = 3,   /**< Pareto/NBD: P(alive at T | x, t_x, T) */
    OCCAM_PREDICT_EXPECTED = 4, /**< Pareto/NBD: E[transactions in (T, T + horizon] | x, t_x, T] */
    OCCAM_PREDICT_LOGLIK = 5,   /**< Pareto/NBD: the customer's log-likelihood at the model's parameters;
                                     Gamma-Gamma: log f(m_x | x), the density of the mean value m_x of
                                     x > 0 transactions (gg.h's formula, no constant dropped) */
    OCCAM_PREDICT_EXPECTED_NEW = 6, /**< Pareto/NBD: E[X(t)] for a new customer; t = column T of X, horizon unused */
    OCCAM_PREDICT_PROB_N = 7,   /**< Pareto/NBD: P(X(t) = x) for a new customer; x and t = columns x and T of X */
    OCCAM_PREDICT_SPEND = 8,    /**< Gamma-Gamma: E[M | x, m_x] = p (gamma + m_x x) / (p x + q - 1), the
                                     conditional expected average transaction value (Fader, Hardie & Lee
                                     2005; lifetimes' conditional_expected_average_profit); +Inf where
                                     p x + q <= 1 (an infinite mean); at x = 0 the population mean
                                     p gamma / (q - 1) */
    OCCAM_PREDICT_DERT = 9      /**< Pareto/NBD: discounted expected residual transactions at T, continuous
                                     discount rate delta = horizon per unit of T (Fader, Hardie & Lee 2005,
                                     "RFM and CLV", JMR 42(4), appendix; BTYD pnbd.DERT) */
};

/** Predict for n new rows.
 *
 *  X: (data, n, p, ldx, layout) with the same p columns as the fit (without
 *  intercept) for linear and GLM, or the n x 3 (x, t_x, T) summaries for
 *  Pareto/NBD.  offset (NULL = 0) applies to linear and GLM.  horizon is the
 *  length t of the prediction window for OCCAM_PREDICT_EXPECTED, in the unit
 *  of T; for OCCAM_PREDICT_DERT it carries the discount rate delta > 0 per
 *  unit of T (continuous: a cash flow at time u after T is worth e^(-delta u);
 *  an annual rate R compounded yearly with T in weeks is delta = ln(1 + R) / 52):
 *      DERT = P(alive) (r+x)/(alpha+T) (beta+T)^s delta^(s-1) U(s, s; delta (beta+T)),
 *  U Tricomi's confluent hypergeometric function, computed without Gamma(1-s)
 *  and without overflow for any beta and s (finite for beta = 1e6, s = 1); the
 *  no-dropout model gives (r+x)/((alpha+T) delta).  Other types ignore
 *  horizon.  out receives n values (out_len >= n).  se_out
 *  (NULL to skip; n values) receives standard errors on the scale of `type`
 *  for linear and GLM (R's predict(se.fit = TRUE): for GLM, sqrt(dispersion)
 *  based, the response scale via the delta method); not available for
 *  Pareto/NBD (OCCAM_E_WRONG_MODEL if se_out is not NULL).
 *
 *  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_NOT_FITTED, OCCAM_E_UNKNOWN_ENUM
 *  (type unknown), OCCAM_E_WRONG_MODEL (type not for this kind),
 *  OCCAM_E_DIM_MISMATCH (p differs from the fit's), OCCAM_E_INVALID_ARG,
 *  OCCAM_E_NONFINITE, OCCAM_E_DOMAIN (also a DERT delta <= 0; a non-finite
 *  one is OCCAM_E_NONFINITE), OCCAM_E_BUFFER_TOO_SMALL (out_len < n),
 *  OCCAM_E_NUMERIC (a Pareto/NBD value that is not finite),
 *  OCCAM_E_NOMEM.  Deterministic: a model and its deserialized copy give
 *  bit-identical predictions. */
OCCAM_API int occam_model_predict(const occam_model *m, int type, double horizon,
                                  const double *X, int64_t n, int64_t p, int64_t ldx, int layout,
                                  const double *offset, double *out, double *se_out, int64_t out_len);

/** Customer lifetime value from a Pareto/NBD model (purchases and dropout)
 *  and a Gamma-Gamma model (spend): clv[i] = margin x E[M | x, m_x] x DERT,
 *  the expected value of a transaction (OCCAM_PREDICT_SPEND of gg) times the
 *  discounted expected residual transactions at T (OCCAM_PREDICT_DERT of
 *  pnbd, continuous discount rate delta per time unit of T, > 0) (Fader,
 *  Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves", JMR 42(4);
 *  CLVTools' predict(..., CLV), lifetimes' customer_lifetime_value with a
 *  continuous discount).  X: n x 4 (x, t_x, T, m_x), layout as
 *  occam_model_predict() (ldx >= n column-major, >= 4 row-major); t_x and T
 *  in the Pareto/NBD model's time unit, m_x in money.  margin: the share of
 *  spend that is profit (1 for revenue).  dert and spend (NULL to skip)
 *  receive the two factors.  Each output holds n values (out_len >= n).
 *  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_WRONG_MODEL (not a Pareto/NBD
 *  and a Gamma-Gamma model), OCCAM_E_NOT_FITTED, OCCAM_E_INVALID_ARG,
 *  OCCAM_E_NONFINITE, OCCAM_E_DOMAIN (a row, or delta <= 0), and the
 *  statuses of the two predictions, OCCAM_E_BUFFER_TOO_SMALL,
 *  OCCAM_E_NOMEM.  Thread-safe. */
OCCAM_API int occam_clv(const occam_model *pnbd, const occam_model *gg, const double *X, int64_t n, int64_t ldx,
                        int layout, double delta, double margin, double *clv, double *dert, double *spend,
                        int64_t out_len);

/** The table of `occam clv` in one call: per customer P(alive at T), the
 *  expected transactions in (T, T + horizon], DERT, the expected spend per
 *  transaction and CLV, as occam_clv() with two more columns.  Each
 *  customer's Pareto/NBD terms are evaluated once for the first three,
 *  which equal bit for bit occam_model_predict()'s OCCAM_PREDICT_PALIVE,
 *  OCCAM_PREDICT_EXPECTED (horizon) and OCCAM_PREDICT_DERT (delta) of pnbd
 *  on columns 0..2 of X (about a third of the time of the three calls).
 *  X, n, ldx, layout, delta, margin as occam_clv(); horizon in the
 *  Pareto/NBD model's time unit, finite and >= 0.  p_alive, expected,
 *  dert and spend (NULL to skip) and clv (required) receive n values each
 *  (out_len >= n); on error none of them is changed.
 *  Returns the statuses of occam_clv(), OCCAM_E_NONFINITE or OCCAM_E_DOMAIN
 *  also for a horizon that is not finite or < 0.  Thread-safe. */
OCCAM_API int occam_clv_table(const occam_model *pnbd, const occam_model *gg, const double *X, int64_t n,
                              int64_t ldx, int layout, double delta, double margin, double horizon, double *p_alive,
                              double *expected, double *dert, double *spend, double *clv, int64_t out_len);

/** Serialize a model (fitted, hand-coded or unfitted) into buf, format v1
 *  (docs/format.md): magic, format version, kind, little-endian tagged
 *  fields, CRC-32.  Size query: buf = NULL, cap = 0 sets *needed and returns
 *  OCCAM_E_BUFFER_TOO_SMALL; so does any cap < *needed.  needed must not be
 *  NULL.  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_BUFFER_TOO_SMALL, OCCAM_E_NOMEM. */
OCCAM_API int occam_model_serialize(const occam_model *m, void *buf, size_t cap, size_t *needed);

/** Rebuild a model from occam_model_serialize() output.  Every byte is
 *  validated before it is trusted; hostile input never over-reads.
 *  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_FORMAT (empty, truncated, bad
 *  magic, unknown model kind, missing or malformed field),
 *  OCCAM_E_VERSION (format major version not 1), OCCAM_E_CHECKSUM,
 *  OCCAM_E_NOMEM.  *out is NULL on error. */
OCCAM_API int occam_model_deserialize(const void *buf, size_t len, occam_model **out);

/** occam_model_serialize() into a file (UTF-8 path), replaced atomically:
 *  the bytes go to a temporary file in the same directory, which is
 *  flushed, fsync'ed and renamed over `path`, and the directory is fsync'ed.
 *  A failed save (full disk, I/O error) or one killed at any point leaves
 *  the previous file byte-identical (or the complete new one, once renamed).
 *  The temporary file is ".<name>.tmp.<pid>.<n>" beside the target; every
 *  failure removes it, only a killed process leaves one behind.  A new file
 *  gets mode 0666 less the umask, a replaced one keeps its permission bits
 *  (not its owner); a symbolic link is followed (its target is replaced); a
 *  path that is not a regular file (a FIFO) or lies under /dev or /proc
 *  (/dev/stdout) is written in place; an existing file the caller may not
 *  write is refused.  Returns OCCAM_OK,
 *  OCCAM_E_NULL, OCCAM_E_IO (the step, the file and the system's reason in
 *  occam_last_error(), e.g. "cannot write '.m.occam.tmp.42.0': No space
 *  left on device (the file was not changed)"), OCCAM_E_NOMEM.
 *  Thread-safe; concurrent saves to one path each complete, the last wins. */
OCCAM_API int occam_model_save(const occam_model *m, const char *path);

/** occam_model_deserialize() from a file.  Returns the statuses of
 *  occam_model_deserialize() plus OCCAM_E_IO (cannot open or read). */
OCCAM_API int occam_model_load(const char *path, occam_model **out);

/* ------------------------------------------------------------------------ */
/* Models: results                                                          */
/* ------------------------------------------------------------------------ */

/** The model's kind (enum occam_model_kind), or OCCAM_E_NULL. */
OCCAM_API int occam_model_kind(const occam_model *m);

/** 1 if the model can predict (fitted, hand-coded or given parameters), 0 if
 *  not, OCCAM_E_NULL if m is NULL. */
OCCAM_API int occam_model_is_fitted(const occam_model *m);

/** Number of coefficients k: p + 1 with an intercept, p without (linear, GLM);
 *  4 for Pareto/NBD (r, alpha, s, beta).  Also *p (may be NULL) = number of
 *  columns X must have (3 for Pareto/NBD).  Returns OCCAM_OK, OCCAM_E_NULL,
 *  OCCAM_E_NOT_FITTED. */
OCCAM_API int occam_model_dims(const occam_model *m, int64_t *k, int64_t *p);

/** Which coefficient column occam_model_coef() reads (R's coefficient table). */
enum occam_coef_column {
    OCCAM_COEF_ESTIMATE = 1,   /**< estimates; NaN for aliased (R's NA) */
    OCCAM_COEF_STD_ERROR = 2,  /**< standard errors (NaN when unknown, e.g. hand-coded) */
    OCCAM_COEF_STATISTIC = 3,  /**< estimate / std. error: t value or z value (see OCCAM_INFO_T_STATISTIC) */
    OCCAM_COEF_P_VALUE = 4     /**< two-sided p-value: 2 pt(-|t|, df.residual) or 2 pnorm(-|z|) */
};

/** Copy one column of the coefficient table (k values, intercept first;
 *  Pareto/NBD: r, alpha, s, beta with their standard errors from the inverse
 *  Hessian; statistic and p-value are NaN there).  Mirrors the matrix
 *  R's summary.lm / summary.glm print ($coefficients).  Returns OCCAM_OK,
 *  OCCAM_E_NULL, OCCAM_E_NOT_FITTED, OCCAM_E_UNKNOWN_ENUM,
 *  OCCAM_E_BUFFER_TOO_SMALL (len < k). */
OCCAM_API int occam_model_coef(const occam_model *m, int column, double *out, int64_t len);

/** out[j] = 1 if coefficient j is aliased (R's NA in coef(), summary's
 *  $aliased), else 0; k values.  Statuses as occam_model_coef(). */
OCCAM_API int occam_model_aliased(const occam_model *m, int *out, int64_t len);

/** Covariance matrix of the coefficients (k x k, column-major with leading
 *  dimension ld >= k; symmetric so the layout does not matter).  Linear and
 *  GLM: R's vcov() = dispersion * cov.unscaled (sigma^2 for linear); rows
 *  and columns of aliased coefficients are NaN (the model stores only the
 *  estimable block, so a wide fit stays O(k); the caller's k x k buffer is
 *  the only O(k^2) array).  Pareto/NBD: inverse of the Hessian of -loglik in (r, alpha, s, beta).
 *  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_NOT_FITTED, OCCAM_E_INVALID_ARG (ld < k). */
OCCAM_API int occam_model_vcov(const occam_model *m, double *out, int64_t ld);

/** The covariance of the r non-aliased coefficients only (r = k minus the
 *  aliased ones of occam_model_aliased(), in coefficient order; r x r
 *  column-major with leading dimension ld >= max(r, 1)): what
 *  occam_model_vcov() holds outside its NaN rows and columns, without a
 *  k x k array (R's summary()$cov.unscaled scale, for a wide fit O(n^2)
 *  instead of O(p^2)).  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_NOT_FITTED,
 *  OCCAM_E_INVALID_ARG (ld < r). */
OCCAM_API int occam_model_vcov_estimable(const occam_model *m, double *out, int64_t ld);

/** Scalar results read by occam_model_info(). */
enum occam_info {
    OCCAM_INFO_NOBS = 1,          /**< rows used (prior weight > 0) */
    OCCAM_INFO_RANK = 2,          /**< rank of X (including the intercept) */
    OCCAM_INFO_DF_RESIDUAL = 3,   /**< residual degrees of freedom */
    OCCAM_INFO_DF_NULL = 4,       /**< null degrees of freedom */
    OCCAM_INFO_DEVIANCE = 5,      /**< deviance (linear: weighted residual sum of squares) */
    OCCAM_INFO_NULL_DEVIANCE = 6, /**< null deviance (with the offset, as glm()) */
    OCCAM_INFO_AIC = 7,           /**< AIC as R's; NaN for quasi families */
    OCCAM_INFO_LOGLIK = 8,        /**< log-likelihood as R's logLik(); Pareto/NBD total log-likelihood */
    OCCAM_INFO_DISPERSION = 9,    /**< dispersion used for standard errors (1 for binomial, poisson) */
    OCCAM_INFO_ITER = 10,         /**< iterations (IRLS solves; optimizer iterations) */
    OCCAM_INFO_CONVERGED = 11,    /**< 1 or 0 */
    OCCAM_INFO_PEARSON_CHI2 = 12, /**< sum of prior * (y - mu)^2 / V(mu) */
    OCCAM_INFO_SIGMA = 13,        /**< linear: residual standard error */
    OCCAM_INFO_R_SQUARED = 14,    /**< linear: multiple R^2 */
    OCCAM_INFO_ADJ_R_SQUARED = 15,/**< linear: adjusted R^2 */
    OCCAM_INFO_FSTATISTIC = 16,   /**< linear: F statistic */
    OCCAM_INFO_F_NUMDF = 17,      /**< linear: F numerator df */
    OCCAM_INFO_F_DENDF = 18,      /**< linear: F denominator df */
    OCCAM_INFO_F_P_VALUE = 19,    /**< linear: p-value of the F statistic */
    OCCAM_INFO_T_STATISTIC = 20,  /**< 1 if the coefficient statistic is a t value, 0 if z */
    OCCAM_INFO_INTERCEPT = 21,    /**< 1 if coefficient 0 is an intercept */
    OCCAM_INFO_FAMILY = 22,       /**< GLM family (enum occam_family) */
    OCCAM_INFO_LINK = 23,         /**< GLM link (enum occam_link) */
    OCCAM_INFO_BOUNDARY = 24,     /**< GLM: 1 if the fit stopped at a boundary */
    OCCAM_INFO_GRAD_NORM = 25,    /**< Pareto/NBD, Gamma-Gamma: max-norm of the final gradient (log-parameters) */
    OCCAM_INFO_SOLVER = 26,       /**< GLM, linear: the solver (enum occam_solver, QR or CHOLESKY) that
                                       solved the final system; OCCAM_SOLVER_QR when it held at most
                                       k + 1 rows (solved by QR of the rows).  0 for a model read from a
                                       file (not stored). */
    OCCAM_INFO_CORRELATION = 27,  /**< Gamma-Gamma: Pearson correlation of x and m_x over the fitted customers
                                       (weighted); the model assumes spend independent of frequency, so a
                                       value far from 0 (lifetimes' docs: check it) questions the model */
    OCCAM_INFO_FAST = 28          /**< GLM: 1 if the fast path (OCCAM_OPT_FAST) produced the fit, 0 if the
                                       R-exact path did (not asked for, or the fast path fell back).
                                       Not serialized: 0 after occam_model_read. */
};

/** Read a scalar result into *value (NaN where R gives NA); the values of
 *  R's lm/glm objects and their summaries (deviance(), df.residual(), AIC(),
 *  logLik(), summary()$dispersion, $r.squared, $fstatistic, $iter,
 *  $converged, $boundary).  Returns OCCAM_OK,
 *  OCCAM_E_NULL, OCCAM_E_NOT_FITTED, OCCAM_E_UNKNOWN_ENUM (unknown key),
 *  OCCAM_E_WRONG_MODEL (key not defined for this kind, or a hand-coded model). */
OCCAM_API int occam_model_info(const occam_model *m, int key, double *value);

/** Bit flags of occam_model_conditions(): bit (code - 1) for each OCCAM_W_* code. */
enum occam_condition {
    OCCAM_COND_NOT_CONVERGED = 1 << 0,
    OCCAM_COND_BOUNDARY = 1 << 1,
    OCCAM_COND_FITTED_01 = 1 << 2,
    OCCAM_COND_FITTED_ZERO = 1 << 3,
    OCCAM_COND_RANK_DEFICIENT = 1 << 4,
    OCCAM_COND_NON_INTEGER = 1 << 5,
    OCCAM_COND_STEP_DIVERGENCE = 1 << 6,
    OCCAM_COND_STEP_OUT_OF_BOUNDS = 1 << 7,
    OCCAM_COND_ZERO_WEIGHTS = 1 << 8,
    OCCAM_COND_PERFECT_FIT = 1 << 9,
    OCCAM_COND_OVERFLOW = 1 << 10,
    OCCAM_COND_NO_DROPOUT = 1 << 11
};

/** Warning conditions met by the last fit (R's glm.fit warnings: "algorithm
 *  did not converge", "algorithm stopped at boundary value", "fitted
 *  probabilities numerically 0 or 1 occurred", "fitted rates numerically 0
 *  occurred", non-integer successes/counts, "step size truncated due to
 *  divergence", "step size truncated: out of bounds"; summary.glm's
 *  "observations with zero weight not used for calculating dispersion";
 *  summary.lm's "essentially perfect fit: summary may be unreliable"; plus
 *  aliased coefficients, results overflowing the double range and a
 *  Pareto/NBD fit at its no-dropout limit), as OCCAM_COND_* bits in *flags; 0 when none;
 *  kept in model files.  The step-halving bits say that some iteration
 *  halved its step (R warns once per such iteration), while
 *  OCCAM_COND_BOUNDARY, as glm.fit's boundary flag, says that the last one
 *  did.  A model read from a file written by a later library may carry bits
 *  this header does not name.  Returns OCCAM_OK, OCCAM_E_NULL. */
OCCAM_API int occam_model_conditions(const occam_model *m, int *flags);

/** Per-observation results read by occam_model_rows() (R's names in brackets). */
enum occam_rows {
    OCCAM_ROWS_FITTED = 1,          /**< fitted values mu [fitted.values] */
    OCCAM_ROWS_LINEAR_PREDICTOR = 2,/**< eta, offset included [linear.predictors] */
    OCCAM_ROWS_RESID_RESPONSE = 3,  /**< y - mu */
    OCCAM_ROWS_RESID_WORKING = 4,   /**< (y - mu) / mu.eta(eta) */
    OCCAM_ROWS_RESID_PEARSON = 5,   /**< (y - mu) sqrt(prior) / sqrt(V(mu)) */
    OCCAM_ROWS_RESID_DEVIANCE = 6,  /**< sign(y - mu) sqrt(dev.resids) */
    OCCAM_ROWS_WORKING_WEIGHTS = 7, /**< working weights of the last IRLS iteration [weights] */
    OCCAM_ROWS_PRIOR_WEIGHTS = 8    /**< prior weights [prior.weights] */
};

/** Copy n per-row results of the fit (n = OCCAM_INFO_NOBS plus rows of weight
 *  0: all rows passed to the fit) into out, as R's fitted(), predict(type =
 *  "link"), residuals(type = "response" | "working" | "pearson" |
 *  "deviance"), $weights and $prior.weights.  Per-row results belong to the
 *  fit in memory: a deserialized linear model has none (OCCAM_E_WRONG_MODEL;
 *  a GLM keeps its rows in the file).  Linear: fitted, linear predictor,
 *  response/working/pearson/deviance residuals (all y - fitted, pearson and
 *  deviance scaled by sqrt(weight)), weights.  Not for Pareto/NBD or
 *  hand-coded models.  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_NOT_FITTED,
 *  OCCAM_E_UNKNOWN_ENUM, OCCAM_E_WRONG_MODEL, OCCAM_E_BUFFER_TOO_SMALL. */
OCCAM_API int occam_model_rows(const occam_model *m, int which, double *out, int64_t len);

/** Residuals of a fitted linear model or GLM on n given rows with their
 *  responses, as R's residuals.glm / residuals.lm of a fit on those rows:
 *  type OCCAM_ROWS_RESID_RESPONSE (y - mu), _WORKING ((y - mu) /
 *  mu.eta(eta)), _PEARSON ((y - mu) sqrt(w) / sqrt(V(mu))) or _DEVIANCE
 *  (sign(y - mu) sqrt(dev.resids(y, mu, w))), where eta = offset + X b and
 *  mu = linkinv(eta) as occam_model_predict() computes them (aliased
 *  coefficients contribute nothing); linear models: mu = eta, V = 1.
 *  X: (data, n, p, ldx, layout) as occam_model_predict(); y: n responses
 *  (binomial: proportions, with the trials as weights, as glm()); weights:
 *  n prior weights (NULL = 1); offset: n values (NULL = 0).  On the
 *  training rows these are the fit's occam_model_rows() values; on other
 *  rows, the same formulas (out-of-sample residuals).  out receives n values
 *  (out_len >= n).  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_NOT_FITTED,
 *  OCCAM_E_WRONG_MODEL (not linear or GLM), OCCAM_E_UNKNOWN_ENUM (type),
 *  OCCAM_E_INVALID_ARG (n < 0, bad ldx or layout), OCCAM_E_DIM_MISMATCH,
 *  OCCAM_E_NONFINITE (y, X or offset), OCCAM_E_BAD_WEIGHTS (a weight < 0
 *  or not finite), OCCAM_E_BUFFER_TOO_SMALL, OCCAM_E_NOMEM.  Thread-safe. */
OCCAM_API int occam_model_residuals(const occam_model *m, int type, const double *X, int64_t n, int64_t p,
                                    int64_t ldx, int layout, const double *y, const double *weights,
                                    const double *offset, double *out, int64_t out_len);

/** Number of rows passed to the last fit (0 for hand-coded models).
 *  Returns OCCAM_OK, OCCAM_E_NULL. */
OCCAM_API int occam_model_nrows(const occam_model *m, int64_t *n);

/** Name the p columns of X (copied; stored in files).  Each name must pass
 *  occam_name_check(): 1 to OCCAM_NAME_MAX bytes of well-formed UTF-8.
 *  Names are what the CLI matches CSV columns against; coefficient names
 *  are "(Intercept)" followed by these.  p must equal the model's column
 *  count once fitted.  NULL with p = 0 removes the names.  Returns
 *  OCCAM_OK, OCCAM_E_NULL, OCCAM_E_DIM_MISMATCH, OCCAM_E_INVALID_ARG (a
 *  name empty, too long or not UTF-8: occam_last_error() names the column,
 *  1-based and as a 0-based index, and the byte offset), OCCAM_E_NOMEM; on
 *  error the model keeps its names. */
OCCAM_API int occam_model_set_names(occam_model *m, const char *const *names, int64_t p);

/** Largest design metadata text, in bytes (occam_model_set_design). */
#define OCCAM_DESIGN_MAX (1 << 24)

/** Attach design metadata to a model: any text of at most OCCAM_DESIGN_MAX
 *  bytes of well-formed UTF-8 (NUL-terminated, copied), which the library
 *  stores in model files (common field 14, docs/format.md) and returns with
 *  occam_model_design() but never interprets.  The occam CLI stores there
 *  how the columns of X were built from a data file (a formula, factor
 *  levels, the offset column), so that prediction rebuilds them; other
 *  callers may store their own.  Fitting keeps it.  NULL removes it.
 *  Returns OCCAM_OK, OCCAM_E_NULL (m), OCCAM_E_INVALID_ARG (too long, or not
 *  UTF-8: occam_last_error() gives the byte offset), OCCAM_E_NOMEM; on error
 *  the model keeps its metadata. */
OCCAM_API int occam_model_set_design(occam_model *m, const char *text);

/** The design metadata of occam_model_set_design() ("" when none): writes
 *  it NUL-terminated into buf (cap bytes) and the size needed, terminator
 *  included, into *needed (may be NULL); buf = NULL, cap = 0 is a size
 *  query.  Returns OCCAM_OK, OCCAM_E_NULL (m), OCCAM_E_BUFFER_TOO_SMALL. */
OCCAM_API int occam_model_design(const occam_model *m, char *buf, size_t cap, size_t *needed);

/** Check a column name (NUL-terminated) against the rule of
 *  occam_model_set_names() and the model file format: non-empty, at most
 *  OCCAM_NAME_MAX bytes, well-formed UTF-8 as the Unicode Standard's
 *  Table 3-7 and RFC 3629 define it (no overlong form, no surrogate
 *  U+D800..U+DFFF, nothing above U+10FFFF, no stray or missing continuation
 *  byte).  On failure *offset (may be NULL) = byte offset of the problem (0
 *  for an empty name, OCCAM_NAME_MAX for a long one, the first byte of the
 *  ill-formed sequence) and occam_last_error() says which ("name is not
 *  valid UTF-8: byte 0xFF at byte offset 3").  The occam CLI checks CSV
 *  headers with it.  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_INVALID_ARG.
 *  Thread-safe. */
OCCAM_API int occam_name_check(const char *name, size_t *offset);

/** Name of coefficient j (0-based, 0 <= j < k): "(Intercept)", a column name,
 *  "x1", "x2"... when no names were set, or r, alpha, s, beta for Pareto/NBD.
 *  Writes a NUL-terminated string into buf (cap bytes) and the needed size,
 *  terminator included, into *needed (may be NULL).  buf = NULL, cap = 0 is a
 *  size query.  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_NOT_FITTED,
 *  OCCAM_E_INVALID_ARG (j out of range), OCCAM_E_BUFFER_TOO_SMALL. */
OCCAM_API int occam_model_coef_name(const occam_model *m, int64_t j, char *buf, size_t cap,
                                    size_t *needed);

/** Name of column j of X (0 <= j < p) as set by occam_model_set_names(), or
 *  "" if none were set.  Buffer protocol and statuses as occam_model_coef_name(). */
OCCAM_API int occam_model_column_name(const occam_model *m, int64_t j, char *buf, size_t cap,
                                      size_t *needed);

/* ------------------------------------------------------------------------ */
/* Streaming and partial results                                            */
/* ------------------------------------------------------------------------ */

/* Fitting a linear model or a GLM to data the caller never holds at once
 * (docs/scale.md): the data are read in passes, each pass feeding every row
 * once, in chunks of any size, read in place.  Memory: O(chunk x p) for the
 * caller's chunk, O(p^2) in the library (the (k+1) x (k+1) triangle of a
 * tall-skinny QR, or X'WX with OCCAM_SOLVER_CHOLESKY, one block of at most
 * 2048 weighted rows being folded into it -- Cholesky: 2^16 / (k + 1) rows,
 * at least 1024 -- and the coefficients), never O(n).  This is R's biglm /
 * bigglm (bigglm(data = function(reset))) and fastglm's fastglm_streaming,
 * with the results of lm / glm.fit / summary.glm: a streamed fit equals
 * occam_model_fit() on the same rows (the same passes run inside it), to the
 * last bit when the rows come in the same order on one thread, whatever the
 * chunk sizes, and to rounding (about 1e-13 relative on the tests, more for
 * an ill-conditioned X) when partials are merged.
 *
 * Passes of a fit (k = p + intercept coefficients):
 *  - GLM: 1 (the starting values: R's initialize checks on y and the first
 *    system) + 1 per IRLS iteration (OCCAM_INFO_ITER; each evaluates eta,
 *    mu and the deviance at the new coefficients and accumulates the next
 *    system in the same read) + 1 per step-halving (R's "step size
 *    truncated", and glm2's with OCCAM_OPT_HALVE_ON_INCREASE; a halving
 *    re-evaluates), then + 1 when the family is Gamma (R's Gamma AIC needs
 *    the final deviance) or the model has an intercept and an offset (the
 *    start of glm()'s null-deviance refit), and with an intercept and an
 *    offset + 1 per iteration and halving of that intercept-only refit.
 *    Example: a Poisson fit without offset that converges in 5 iterations
 *    reads the data 6 times.  A stream accumulates the next system and
 *    takes summary.glm's sums in every iteration's pass (any pass may be the
 *    last); occam_model_fit() guesses the last iteration to save work, with
 *    the same results.
 *  - Linear (lm): 1 (the QR of [sqrt(w) X | sqrt(w) (y - offset)] and the
 *    weighted means) + 1 when the step of iterative refinement runs (eps
 *    cond(R) <= 1e-3, which is almost always: its gradient X'W(y - X b) is
 *    summed in twice the working precision) + 1 for summary.lm's sums of
 *    squares from accurate residuals of the final coefficients: 3 passes,
 *    2 for an ill-conditioned X.  (The residual sums need the final
 *    coefficients, known only after the QR pass.)
 * A source must give the same rows in the same order in every pass (each
 * pass's row count and count of non-zero weights are checked).  A GLM's
 * mustart (occam_glm_set_mustart) is copied, O(n), and read by row number:
 * the passes that read it (the first and those of iteration 1) must be fed
 * in order by occam_stream_update.  OCCAM_OPT_THREADS does not split a
 * stream: fork partials per thread.
 *
 * Per-row results (occam_model_rows: eta, mu, residuals, working weights)
 * exist only after occam_model_fit(), which holds the rows: after a
 * streamed fit occam_model_rows() returns OCCAM_E_WRONG_MODEL, and a GLM
 * saved from it has no per-row vectors (docs/format.md).
 *
 * Errors: an error caused by the data or the fit (bad values, a numerical
 * failure, out of memory, a pass whose rows differ) makes the stream
 * failed: every later call returns the first error's status and the model
 * stays as it was.  Calls refused before they touch the stream (a NULL
 * argument, a call out of order, a partial of another pass or fit) return
 * their status and leave it as it was.
 *
 * Pareto/NBD (docs/scale.md, "Pareto/NBD"): p = 3 columns (x, t_x, T) as in
 * occam_model_fit(), y and offset NULL, OCCAM_STREAM_WEIGHTS allowed
 * (customers per row, >= 0; weight-0 rows are rows but not customers).
 * 1 pass: every chunk's rows are validated as occam_model_fit() validates
 * them (same statuses and messages, rows numbered from the stream's first)
 * and collapse into a table of the distinct (x, t_x, T) patterns with the
 * summed weight of their rows -- the collapsed likelihood of CLVTools, and
 * of occam_model_fit() itself (OCCAM_OPT_COLLAPSE).  The key is the exact
 * bits of the three doubles (-0.0 taken as +0.0); the table is kept in the
 * canonical order x, then t_x, then T for the fit and in the serialized
 * form, so its bytes and the fit depend only on the patterns and counts:
 * with integer weights (or none) any merge order gives the same bytes, with
 * fractional weights the counts' sums round as any change of order does.
 * occam_stream_finish() runs occam_model_fit()'s maximum likelihood on the
 * table with weights = counts: the same estimates, standard errors,
 * log-likelihood, iterations, conditions and warnings (identical to the last
 * bit when occam_model_fit() collapses too, which it does by default on
 * 1000+ rows that shrink by 30%; within 1e-10 relative otherwise).  Memory:
 * O(u) for u distinct patterns (about 48 bytes each at most, plus a sorted
 * copy of 32 bytes each at finish and when serializing), independent of the
 * number of rows; OCCAM_OPT_COLLAPSE does not apply (a stream always
 * collapses). */

typedef struct occam_stream occam_stream;   /**< a fit in progress over data the caller streams */
typedef struct occam_partial occam_partial; /**< one pass's contribution of some rows: mergeable, serializable */

/** Optional per-row inputs every chunk of a stream carries (flags for occam_stream_new's `inputs`). */
enum occam_stream_input {
    OCCAM_STREAM_WEIGHTS = 1, /**< prior weights (R's weights, >= 0) */
    OCCAM_STREAM_OFFSET = 2   /**< an offset added to the linear predictor */
};

/** Begin a streamed fit of m (linear, GLM or Pareto/NBD) with p columns of X (no
 *  intercept column; OCCAM_OPT_INTERCEPT adds one as in occam_model_fit()),
 *  options opts (NULL = defaults; copied, the options object may be freed)
 *  and the optional inputs every chunk will carry (OR of OCCAM_STREAM_*;
 *  glm()'s null deviance is that of an intercept-only refit when there is
 *  an offset, so the offset must be declared here).  The GLM's start
 *  coefficients (occam_glm_set_start) and mustart are copied now.  The
 *  stream holds m and stores the fit there at occam_stream_finish(): m must
 *  outlive the stream and must not be used meanwhile.  Then call
 *  occam_stream_next().  *out is NULL on error.
 *  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_INVALID_ARG (p < 0,
 *  unknown input flags, an option out of range, no columns and no
 *  intercept; an offset declared for Pareto/NBD), OCCAM_E_UNKNOWN_ENUM
 *  (solver), OCCAM_E_DIM_MISMATCH (start of the wrong length; names set for
 *  another p; Pareto/NBD with p != 3), OCCAM_E_TOO_LARGE,
 *  OCCAM_E_NOMEM. */
OCCAM_API int occam_stream_new(occam_model *m, const occam_opts *opts, int64_t p, int inputs, occam_stream **out);

/** Begin the next pass: *more = 1 when the fit needs (another) pass over
 *  all rows, 0 when it is complete (call occam_stream_finish()).  The caller
 *  then feeds every row once (occam_stream_update, any chunking; or forks
 *  partials and absorbs them) and calls occam_stream_next() again, which
 *  ends that pass: the solve, convergence test and step-halving of R's
 *  glm.fit happen here.  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_INVALID_ARG
 *  (after finish), the fit's errors (as occam_model_fit: OCCAM_E_NO_DATA
 *  when the first pass saw no row or only zero weights, OCCAM_E_DOMAIN,
 *  OCCAM_E_NUMERIC, OCCAM_E_LAPACK, OCCAM_E_NOMEM...), OCCAM_E_DIM_MISMATCH
 *  (this pass saw another number of rows, or of non-zero weights, than the
 *  first), or the status of an earlier failure. */
OCCAM_API int occam_stream_next(occam_stream *s, int *more);

/** Feed nrows rows (nrows >= 0; 0 adds nothing) to the current pass: X is
 *  nrows x p with leading dimension ld and layout as in occam_model_fit()
 *  (read during the call only), y nrows responses, weights and offset
 *  nrows values each exactly when declared at occam_stream_new() (NULL
 *  otherwise).  Returns OCCAM_OK, OCCAM_E_NULL (s, X or y, or a declared
 *  input, NULL), OCCAM_E_INVALID_ARG (no pass in progress, bad ld or
 *  layout, an undeclared input given), OCCAM_E_NONFINITE, OCCAM_E_BAD_WEIGHTS,
 *  OCCAM_E_DOMAIN (y outside the family's range, first pass),
 *  OCCAM_E_DIM_MISMATCH (more rows than the model's mustart),
 *  OCCAM_E_LAPACK, OCCAM_E_NOMEM (folding a block of rows into the factor),
 *  or an earlier failure's status.  Pareto/NBD: y must be NULL
 *  (OCCAM_E_INVALID_ARG, also for a non-NULL offset), OCCAM_E_NONFINITE,
 *  OCCAM_E_DOMAIN (x not a non-negative integer, t_x or T negative,
 *  t_x > T, t_x != 0 with x = 0), OCCAM_E_BAD_WEIGHTS, OCCAM_E_NOMEM (a new
 *  pattern), OCCAM_E_TOO_LARGE (a pattern's summed weight overflows). */
OCCAM_API int occam_stream_update(occam_stream *s, const double *X, int64_t nrows, int64_t ld, int layout,
                                  const double *y, const double *weights, const double *offset);

/** After occam_stream_next() gave *more = 0: store the fit in the model, as
 *  occam_model_fit() would (the same coefficient table, statistics,
 *  conditions and return status: OCCAM_OK or an OCCAM_W_* warning), except
 *  per-row results.  The stream may then only be freed.  Returns the fit's
 *  status, OCCAM_E_NULL, OCCAM_E_INVALID_ARG (passes remain, or finished
 *  already), OCCAM_E_NOMEM, or an earlier failure's status (the model
 *  unchanged).  Pareto/NBD: the maximum likelihood runs here, on the
 *  pattern table (OCCAM_OK, OCCAM_W_NOT_CONVERGED, OCCAM_W_NO_DROPOUT,
 *  OCCAM_E_NO_DATA when no row had a positive weight, OCCAM_E_NUMERIC,
 *  OCCAM_E_NOMEM, as occam_model_fit()). */
OCCAM_API int occam_stream_finish(occam_stream *s);

/** Free a stream (the model keeps what finish stored; a stream that did not
 *  finish leaves it as it was).  NULL is a no-op. */
OCCAM_API void occam_stream_free(occam_stream *s);

/** The number of the current pass (0 = the first) into *pass and of the
 *  rows it has seen into *nrows (either may be NULL).  Returns OCCAM_OK,
 *  OCCAM_E_NULL, OCCAM_E_INVALID_ARG (no pass begun). */
OCCAM_API int occam_stream_pass(const occam_stream *s, int64_t *pass, int64_t *nrows);

/** Distributed form of a pass: an empty partial result of s's current pass
 *  into *out (it carries what the pass evaluates: the model's setup, the
 *  pass number and its coefficients, so it can be serialized and filled by
 *  another process that holds only the partial).  Fill it with
 *  occam_partial_add(), combine with occam_partial_merge(), and give the
 *  total (or each piece) to occam_stream_absorb() of the same stream and
 *  pass.  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_INVALID_ARG (no pass in
 *  progress; a pass that reads the model's mustart by row number cannot be
 *  split), OCCAM_E_NOMEM, or an earlier failure's status. */
OCCAM_API int occam_partial_fork(const occam_stream *s, occam_partial **out);

/** Add nrows rows to a partial, as occam_stream_update() does to its
 *  stream (rows are numbered within the partial in messages).  An error
 *  from the rows makes the partial failed (every later call gives that
 *  status).  Statuses as occam_stream_update(). */
OCCAM_API int occam_partial_add(occam_partial *pt, const double *X, int64_t nrows, int64_t ld, int layout,
                                const double *y, const double *weights, const double *offset);

/** dst += src: dst then holds the contribution of its rows followed by
 *  src's, as if one partial had seen them all (the same sums, up to the
 *  rounding of the additions: merging is associative to rounding, so any
 *  tree of merges gives the same fit within about 1e-13 relative).  src is
 *  unchanged.  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_INVALID_ARG (dst ==
 *  src; another kind, columns, inputs, fit or pass: the message says which),
 *  a failed partial's status (dst unchanged), OCCAM_E_LAPACK, OCCAM_E_NOMEM
 *  (dst then failed), OCCAM_E_TOO_LARGE (Pareto/NBD: more than 2^63 rows,
 *  or a pattern's summed weight overflows; dst then failed).  Pareto/NBD
 *  tables merge by adding the counts of equal patterns: exactly
 *  associative and order-independent with integer weights. */
OCCAM_API int occam_partial_merge(occam_partial *dst, const occam_partial *src);

/** Merge pt into s's current pass (as occam_partial_merge into the stream's
 *  own total, its rows after those seen so far; pt is unchanged).  Returns
 *  OCCAM_OK, OCCAM_E_NULL, OCCAM_E_INVALID_ARG (no pass in progress, pt of
 *  another kind, fit or pass, or of a pass that reads mustart by row: the
 *  stream is as it was), pt's status when pt failed (the pass has lost
 *  rows: the stream fails), OCCAM_E_LAPACK, OCCAM_E_NOMEM, or an earlier
 *  failure's status. */
OCCAM_API int occam_stream_absorb(occam_stream *s, const occam_partial *pt);

/** Number pt's rows in the messages of occam_partial_add() from
 *  rows_before + 1 (default 0: from 1), as a stream numbers its rows from
 *  its first: give the rows that come before pt's in the whole data (other
 *  processes' blocks), so that "y = -3 at row 40" names the row of the
 *  whole data.  Only messages change: sums, merges and the serialized form
 *  do not.  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_INVALID_ARG
 *  (rows_before < 0). */
OCCAM_API int occam_partial_set_row_base(occam_partial *pt, int64_t rows_before);

/** Rows a partial holds (merged ones included) into *nrows.  Returns
 *  OCCAM_OK, OCCAM_E_NULL. */
OCCAM_API int occam_partial_rows(const occam_partial *pt, int64_t *nrows);

/** Serialize a partial into buf (docs/format.md, "Partial results": magic
 *  "OCCP", format version 1.0, kind, little-endian tagged fields, CRC-32;
 *  the same bytes on every machine).  Protocol as occam_model_serialize():
 *  buf = NULL, cap = 0 sets *needed and returns OCCAM_E_BUFFER_TOO_SMALL.
 *  A block of rows the partial has not yet absorbed into its factor is
 *  absorbed in the written copy (the partial itself is not changed), so
 *  serialize(deserialize(bytes)) == bytes.  Returns OCCAM_OK, OCCAM_E_NULL,
 *  OCCAM_E_BUFFER_TOO_SMALL, OCCAM_E_TOO_LARGE, OCCAM_E_LAPACK,
 *  OCCAM_E_NOMEM, or the status of a failed partial. */
OCCAM_API int occam_partial_serialize(const occam_partial *pt, void *buf, size_t cap, size_t *needed);

/** Rebuild a partial from occam_partial_serialize() output; every byte is
 *  validated (sizes, ranges, finite coefficients; a Pareto/NBD table's
 *  patterns as occam_model_fit() checks rows, distinct and in canonical
 *  order, counts finite and > 0, whole and summing to the customers without
 *  weights) before it is trusted.
 *  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_FORMAT (empty, truncated, bad
 *  magic, unknown kind, missing or malformed field), OCCAM_E_VERSION
 *  (format major version not 1), OCCAM_E_CHECKSUM, OCCAM_E_NOMEM.  *out is
 *  NULL on error. */
OCCAM_API int occam_partial_deserialize(const void *buf, size_t len, occam_partial **out);

/** Free a partial.  NULL is a no-op. */
OCCAM_API void occam_partial_free(occam_partial *pt);

/** One chunk of rows a source gives (see occam_model_fit_source()); the
 *  arrays must stay valid until the source is called again. */
typedef struct occam_chunk {
    const double *X;       /**< nrows x p, leading dimension ld, layout */
    int64_t nrows, ld;     /**< nrows = 0: the pass's rows are over */
    int layout;            /**< OCCAM_COL_MAJOR or OCCAM_ROW_MAJOR */
    const double *y;       /**< nrows responses */
    const double *weights; /**< nrows prior weights when declared, else NULL */
    const double *offset;  /**< nrows offsets when declared, else NULL */
} occam_chunk;

/** A data source: fill *chunk with the next rows.  reset = 1 (at the start
 *  of every pass, the first included) asks to restart from the first row.
 *  Return 0, or a negative occam status (e.g. OCCAM_E_IO) to stop the fit
 *  with it. */
typedef int (*occam_source_fn)(void *ctx, int reset, occam_chunk *chunk);

/** Fit m from a source of chunks, occam driving the passes (fastglm's
 *  fastglm_streaming, biglm's bigglm(data = function(reset))): a stream
 *  (occam_stream_new with m, opts, p, inputs) fed with every chunk of every
 *  pass and finished.  Returns what occam_stream_finish() returns on
 *  success, the first error otherwise (the source's negative status as it
 *  gave it; a positive source return is OCCAM_E_INVALID_ARG); the model is
 *  unchanged on error. */
OCCAM_API int occam_model_fit_source(occam_model *m, const occam_opts *opts, int64_t p, int inputs,
                                     occam_source_fn source, void *ctx);

/* ------------------------------------------------------------------------ */
/* Pareto/NBD                                                               */
/* ------------------------------------------------------------------------ */

/** Expected cumulative repeat transactions of a cohort at times t[0..n_t):
 *  out[k] = sum over i with birth[i] < t[k] of count[i] E[X(t[k] - birth[i])],
 *  where count[i] customers were born (made their first purchase) at time
 *  birth[i] and E[X(u)] is the model's expected number of repeat
 *  transactions of a new customer in a window of length u
 *  (OCCAM_PREDICT_EXPECTED_NEW; Fader, Hardie and Lee 2005 note, eq. 17).
 *  Times in the model's unit.  BTYD's pnbd.ExpectedCumulativeTransactions
 *  (there with births per day and t in weeks).  Cost O(n_births x n_t).
 *  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_WRONG_MODEL (not Pareto/NBD),
 *  OCCAM_E_NOT_FITTED, OCCAM_E_INVALID_ARG (negative length),
 *  OCCAM_E_NONFINITE, OCCAM_E_DOMAIN (a negative count), OCCAM_E_NOMEM;
 *  out is unchanged on error. */
OCCAM_API int occam_pnbd_expected_cumulative(const occam_model *m, const double *birth, const double *count,
                                             int64_t n_births, const double *t, int64_t n_t, double *out);

/** Total log-likelihood of n customers under the Pareto/NBD model with
 *  parameters (r, alpha, s, beta) (all > 0, finite) and its gradient: the
 *  quantity the fit maximizes, exposed so a caller can evaluate published
 *  parameters or add up contributions of row blocks computed elsewhere
 *  (threads, a stream, other machines: totals and gradients add).
 *
 *  X: n x 3 summaries (x, t_x, T) as (X, n, 3, ldx, layout), the same rows
 *  occam_model_fit() takes: x repeat transactions (integer >= 0), t_x time of
 *  the last one, T time since the first transaction, one time unit of the
 *  caller's choice (alpha and beta are in that unit), 0 <= t_x <= T,
 *  t_x = 0 when x = 0.  weights: n row counts >= 0 (NULL = 1).
 *  *loglik (not NULL) = sum_i w_i log L_i with no constant dropped (as BTYD,
 *  lifetimes and CLVTools), Fader & Hardie (2005) eq. 22 computed in log
 *  space (docs/pnbd.md).  grad (NULL to skip; 4 values) = d loglik /
 *  d(r, alpha, s, beta).  Outputs are written only on success.
 *
 *  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_INVALID_ARG (bad ld or layout),
 *  OCCAM_E_NO_DATA (n = 0), OCCAM_E_NONFINITE (NaN/Inf in X, weights or a
 *  parameter), OCCAM_E_DOMAIN (a parameter <= 0; x negative or not an
 *  integer, t_x or T negative, t_x > T, or x = 0 with t_x > 0, the row named
 *  in occam_last_error()), OCCAM_E_BAD_WEIGHTS (a negative weight),
 *  OCCAM_E_NUMERIC, OCCAM_E_NOMEM.  Thread-safe. */
OCCAM_API int occam_pnbd_loglik(double r, double alpha, double s, double beta, const double *X, int64_t n,
                                int64_t ldx, int layout, const double *weights, double *loglik, double *grad);

/** Turn an event log into Pareto/NBD summaries, one row per customer, with
 *  the usual conventions (Fader & Hardie's CDNOW preparation, BTYD's
 *  dc.ElogToCbsCbt, lifetimes' summary_data_from_transaction_data):
 *  a customer's first event is time 0 and is not counted; x = number of later
 *  events with time <= cal_end; t_x = time of the last of them after the
 *  first (0 when x = 0); T = cal_end - time of the first event.  Customers
 *  whose first event is after cal_end are left out.
 *
 *  ids, times: n_events customer ids and event times (any order; times in one
 *  unit of the caller's choice, e.g. days from occam_iso_date_days(); results
 *  are in that unit).  merge_period: 0 counts every event; P > 0 first floors
 *  every time and cal_end to a multiple of P and counts the events of one
 *  customer within one period once (P = 1 with times in days: several
 *  purchases on one day are one transaction, as in CDNOW).
 *
 *  Outputs, customers in increasing id order, capacity cap customers each:
 *  summary (cap x 3, row-major, ld 3: x, t_x, T; pass it to occam_model_fit()
 *  with OCCAM_ROW_MAJOR), cust_ids (NULL to skip), first (time of the first
 *  event, NULL to skip), x_star (number of (merged) events after cal_end,
 *  the holdout count, NULL to skip).  *n_customers receives the number of
 *  customers.  Size query: summary = NULL or cap < *n_customers returns
 *  OCCAM_E_BUFFER_TOO_SMALL with *n_customers set and nothing written.
 *
 *  Returns OCCAM_OK, OCCAM_E_NULL (n_customers, ids or times NULL),
 *  OCCAM_E_INVALID_ARG (n_events < 0, cap < 0, merge_period < 0 or not
 *  finite), OCCAM_E_NO_DATA (no events, or no customer starts by cal_end),
 *  OCCAM_E_NONFINITE (a time or cal_end is NaN/Inf), OCCAM_E_BUFFER_TOO_SMALL,
 *  OCCAM_E_NOMEM.  Thread-safe.  One chunk through occam_events below (the
 *  same code as a log summarized in chunks): time O(n_events), memory
 *  O(n_events) while it runs. */
OCCAM_API int occam_pnbd_summarize_events(const int64_t *ids, const double *times, int64_t n_events,
                                          double cal_end, double merge_period, int64_t *cust_ids,
                                          double *summary, double *first, double *x_star, int64_t cap,
                                          int64_t *n_customers);

/** Parse an ISO 8601 calendar date "YYYY-MM-DD", optionally followed by 'T'
 *  or ' ' and a time "HH:MM" or "HH:MM:SS", into *days = days since
 *  1970-01-01 (proleptic Gregorian calendar, no time zone; the time of day
 *  adds a fraction).  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_INVALID_ARG
 *  (not such a date, or an impossible one such as 1997-02-29). */
OCCAM_API int occam_iso_date_days(const char *s, double *days);

/* ------------------------------------------------------------------------ */
/* Pareto/NBD: event logs in chunks (mergeable per-customer state)          */
/* ------------------------------------------------------------------------ */

/** An event log summarized in pieces: each chunk of (customer id, time)
 *  events is added to a state, states of different chunks (threads,
 *  processes, machines) merge, and the summary of the merged state is
 *  exactly (bit for bit) occam_pnbd_summarize_events() of the whole log,
 *  whatever the chunking, the order of the events and the order of the
 *  merges.  The events of one customer may lie in any chunks.
 *
 *  A state keeps, per customer, the distinct (floored) times of its events
 *  when merge_period > 0 (the distinct purchase periods, needed to count
 *  one period once across chunks), or three (time, count) records when
 *  merge_period = 0 (first event, last calibration event, last holdout
 *  event, with counts): memory O(distinct (customer, period) pairs), resp.
 *  O(customers), plus the text of text ids.  Events added since the last
 *  compaction are kept raw (16 bytes each) until they reach half the
 *  state's size; then they are sorted (radix sort) and folded in, so
 *  adding n events costs O(n) amortized time.  docs/pnbd.md, "Event logs
 *  in chunks".
 *
 *  Customer ids are either all integers (occam_events_add) or all byte
 *  strings (occam_events_add_text, compared byte for byte: two ids are one
 *  customer only when their bytes are equal); the first add fixes the kind.
 *  Customers are reported in increasing integer id, or in bytewise
 *  lexicographic order of the text ids (a proper prefix first, as memcmp
 *  and then the length), so results never depend on how the log was cut.
 *
 *  Threads: functions taking a const occam_events * may run concurrently on
 *  one state; the others need exclusive access to the state they change. */
typedef struct occam_events occam_events;

/** Create an empty state with the conventions of occam_pnbd_summarize_events():
 *  calibration end cal_end and merge_period P (0: every event counts; P > 0:
 *  times floored to multiples of P, one customer's events in one period
 *  count once), both in the unit of the times to be added.  Free with
 *  occam_events_free().  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_NONFINITE
 *  (cal_end NaN/Inf), OCCAM_E_INVALID_ARG (P < 0 or not finite, or
 *  cal_end / P overflows), OCCAM_E_NOMEM; *out is NULL on error. */
OCCAM_API int occam_events_new(double cal_end, double merge_period, occam_events **out);

/** Free a state.  NULL is a no-op. */
OCCAM_API void occam_events_free(occam_events *e);

/** Add n events with integer customer ids: ids[i] bought at times[i] (any
 *  order; n = 0 is a no-op).  Returns OCCAM_OK, OCCAM_E_NULL (e, or ids or
 *  times when n > 0), OCCAM_E_INVALID_ARG (n < 0; the state holds text ids;
 *  a time / P overflows), OCCAM_E_NONFINITE (a time is NaN/Inf; the event is
 *  named), OCCAM_E_NOMEM, OCCAM_E_TOO_LARGE (more than 2^53 events of one
 *  customer).  On error the state is unchanged. */
OCCAM_API int occam_events_add(occam_events *e, const int64_t *ids, const double *times, int64_t n);

/** Add n events with text customer ids: event i has the id of lens[i] bytes
 *  at ids[i] (any bytes, NUL included; lens = NULL: every ids[i] is a
 *  NUL-terminated string) and time times[i].  The bytes are copied.
 *  Returns the statuses of occam_events_add() (OCCAM_E_NULL also for a NULL
 *  ids[i] of nonzero length; OCCAM_E_INVALID_ARG when the state holds
 *  integer ids).  On error the state's summary is unchanged. */
OCCAM_API int occam_events_add_text(occam_events *e, const char *const *ids, const size_t *lens,
                                    const double *times, int64_t n);

/** Merge src into dst: dst then holds the events of both (src is
 *  unchanged).  Merging is associative and commutative; cost O(size of dst
 *  + size of src).  Both must have the same cal_end and merge_period (bit
 *  for bit) and the same id kind (an empty state takes the other's).
 *  Valued states (occam_events_new_valued) merge only with valued states.
 *  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_INVALID_ARG (different cal_end,
 *  merge_period, id kind or one state valued and not the other; dst ==
 *  src), OCCAM_E_NOMEM, OCCAM_E_TOO_LARGE (also: the valued states'
 *  magnitudes add up to 2^62 or more).
 *  On error dst's summary is unchanged. */
OCCAM_API int occam_events_merge(occam_events *dst, const occam_events *src);

/** Optional: sort and fold the events added since the last compaction now,
 *  and release the buffers adding uses, so that the queries below
 *  (summary, ids, serialize, and merge from this state) copy and sort
 *  nothing extra and the state takes no more memory than its records.  The
 *  results are the same without it.  Returns OCCAM_OK, OCCAM_E_NULL,
 *  OCCAM_E_NOMEM, OCCAM_E_TOO_LARGE (state unchanged on error). */
OCCAM_API int occam_events_compact(occam_events *e);

/** The Pareto/NBD summaries of the customers whose first event is at or
 *  before the calibration end, as occam_pnbd_summarize_events() computes
 *  them from all events of the state: summary (cap x 3, row-major: x, t_x,
 *  T), first (time of the first event, floored when P > 0; NULL to skip),
 *  x_star (number of (merged) events after the calibration end; NULL to
 *  skip), customers in the state's order (increasing integer id, or
 *  bytewise lexicographic text).  *n_customers receives the count.  Size
 *  query: summary = NULL or cap < *n_customers returns
 *  OCCAM_E_BUFFER_TOO_SMALL with *n_customers set and nothing written.
 *  Returns OCCAM_OK, OCCAM_E_NULL (e or n_customers), OCCAM_E_INVALID_ARG
 *  (cap < 0), OCCAM_E_NO_DATA (no customer starts by cal_end; *n_customers
 *  = 0), OCCAM_E_BUFFER_TOO_SMALL, OCCAM_E_NOMEM. */
OCCAM_API int occam_events_summary(const occam_events *e, double *summary, double *first, double *x_star,
                                   int64_t cap, int64_t *n_customers);

/** The cohort's repeat transactions per time bin: for the customers of
 *  occam_events_summary() (first event by the calibration end), the number
 *  of their repeat events (each (floored) purchase period after the first)
 *  whose time falls in [edges[k], edges[k + 1]), written to counts[k] for k
 *  = 0 .. n_bins - 1; events outside [edges[0], edges[n_bins]) are not
 *  counted.  edges: n_bins + 1 increasing finite times in the state's unit.
 *  The "actual" curve of the tracking plot (Fader and Hardie; BTYD's
 *  cu.tracking is the cumulative sum over weeks).  Needs merge_period > 0
 *  (a state with merge_period = 0 keeps only each customer's first and
 *  last events).  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_INVALID_ARG
 *  (n_bins < 1, edges not increasing, merge_period = 0), OCCAM_E_NONFINITE
 *  (an edge), OCCAM_E_NOMEM. */
OCCAM_API int occam_events_repeat_counts(const occam_events *e, const double *edges, int64_t n_bins, double *counts);

/** The earliest and the latest (floored) event times of the state, every
 *  customer's (the calibration end plays no part), in the unit of the
 *  times.  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_NO_DATA (no events),
 *  OCCAM_E_NOMEM. */
OCCAM_API int occam_events_time_range(const occam_events *e, double *first, double *last);


/** Customer counts of a state: *n_all = every customer with an event,
 *  *n_by_end = those whose first event is at or before the calibration end
 *  (the customers occam_events_summary() reports; the others, born after
 *  it, are the difference).  Returns OCCAM_OK (also for an empty state:
 *  both 0), OCCAM_E_NULL, OCCAM_E_NOMEM. */
OCCAM_API int occam_events_customers(const occam_events *e, int64_t *n_all, int64_t *n_by_end);

/** The integer ids of the customers of occam_events_summary(), in the same
 *  order, into ids (cap entries).  Returns the statuses of
 *  occam_events_summary() (size query: ids = NULL or cap too small), and
 *  OCCAM_E_INVALID_ARG when the state holds text ids. */
OCCAM_API int occam_events_ids(const occam_events *e, int64_t *ids, int64_t cap, int64_t *n_customers);

/** The text ids of the customers of occam_events_summary(), in the same
 *  order: their bytes concatenated into bytes (bytes_cap bytes; not
 *  NUL-terminated) and their lengths into lens (cap entries).  Sets
 *  *bytes_needed and *n_customers; size query: bytes = NULL (with bytes
 *  needed), bytes_cap < *bytes_needed, lens = NULL or cap < *n_customers
 *  returns OCCAM_E_BUFFER_TOO_SMALL with both set and nothing written.
 *  Returns the statuses of occam_events_summary(), OCCAM_E_NULL also for
 *  bytes_needed, and OCCAM_E_INVALID_ARG when the state holds integer ids. */
OCCAM_API int occam_events_text_ids(const occam_events *e, char *bytes, size_t bytes_cap, size_t *lens,
                                    int64_t cap, size_t *bytes_needed, int64_t *n_customers);

/* ------------------------------------------------------------------------ */
/* Event states with values (the Gamma-Gamma spend model's m_x)             */
/* ------------------------------------------------------------------------ */

/** Create an empty valued state: as occam_events_new(), and each event
 *  also carries a value (the amount spent), summed per (customer, period).
 *  Add to it with occam_events_add_valued() / occam_events_add_text_valued()
 *  only; it merges only with valued states; every query above works on it
 *  as on a state without values.  Values are summed exactly in fixed point
 *  (64 fractional bits: each value is rounded to the nearest multiple of
 *  2^-64, which leaves every |value| >= 2^-12, e.g. any amount in cents,
 *  unchanged), so the sums are the same bit for bit whatever the chunking
 *  and merge order; the magnitudes of all the values of a state must add
 *  up to less than 2^62.  merge_period must be > 0 (P = 1 with times in
 *  days: one day's purchases are one transaction whose value is their
 *  sum).  Returns the statuses of occam_events_new(), and
 *  OCCAM_E_INVALID_ARG for merge_period = 0. */
OCCAM_API int occam_events_new_valued(double cal_end, double merge_period, occam_events **out);

/** Add n events with integer ids, times and values (values[i] is what
 *  event i spent; any sign).  Returns the statuses of occam_events_add(),
 *  OCCAM_E_NULL also for values NULL when n > 0, OCCAM_E_INVALID_ARG also
 *  for a state without values, OCCAM_E_NONFINITE for a NaN/Inf value (the
 *  event is named), OCCAM_E_TOO_LARGE when the state's magnitudes would
 *  reach 2^62.  On error the state is unchanged.  occam_events_add() and
 *  occam_events_add_text() on a valued state return OCCAM_E_INVALID_ARG. */
OCCAM_API int occam_events_add_valued(occam_events *e, const int64_t *ids, const double *times, const double *values,
                                      int64_t n);

/** The same with text ids (as occam_events_add_text()). */
OCCAM_API int occam_events_add_text_valued(occam_events *e, const char *const *ids, const size_t *lens,
                                           const double *times, const double *values, int64_t n);

/** The Gamma-Gamma inputs of the customers of occam_events_summary(), in
 *  the same order: xm (cap x 2, row-major: x, m_x), where x is the
 *  summary's x (the repeat purchase periods by the calibration end: the
 *  distinct floored times after the first) and m_x the mean value of those
 *  x periods, each period's value the sum of its events' values (the
 *  first period, the first purchase, excluded); m_x = 0 when x = 0 (the
 *  Gamma-Gamma fit uses the customers with x > 0 only).  m_x is the sum,
 *  correctly rounded to a double, divided by x.  Size query and statuses
 *  of occam_events_summary(), and OCCAM_E_INVALID_ARG for a state without
 *  values. */
OCCAM_API int occam_events_spend(const occam_events *e, double *xm, int64_t cap, int64_t *n_customers);

/** Serialize a state (to ship it to another process or keep it): the model
 *  file's container (docs/format.md, "Event states") with its own magic,
 *  format version 1.0 (1.1 for a valued state, with its value sums),
 *  CRC-32; customers in the state's order, so states
 *  with the same events give the same bytes however they were built, and
 *  serialize(deserialize(b)) == b.  Size query as occam_model_serialize():
 *  buf = NULL or cap < *needed returns OCCAM_E_BUFFER_TOO_SMALL with
 *  *needed set.  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_BUFFER_TOO_SMALL,
 *  OCCAM_E_TOO_LARGE (over 4 GiB), OCCAM_E_NOMEM. */
OCCAM_API int occam_events_serialize(const occam_events *e, void *buf, size_t cap, size_t *needed);

/** Rebuild a state from occam_events_serialize() output.  Every byte is
 *  validated (lengths, counts, orders, finiteness) before it is trusted;
 *  hostile input never over-reads.  Returns OCCAM_OK, OCCAM_E_NULL,
 *  OCCAM_E_FORMAT (empty, truncated, bad magic, a missing or malformed
 *  field), OCCAM_E_VERSION (major version not 1), OCCAM_E_CHECKSUM,
 *  OCCAM_E_NOMEM.  *out is NULL on error. */
OCCAM_API int occam_events_deserialize(const void *buf, size_t len, occam_events **out);

#ifdef __cplusplus
}
#endif

#endif /* OCCAM_H_7F3A2C91 */
