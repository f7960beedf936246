/*
 * error.c -- status codes: static texts, identifiers, and the thread-local
 * detail message of the last non-OK status (occam_last_error).
 */
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"

#if defined(_MSC_VER)
#define OCCAM_THREAD_LOCAL __declspec(thread)
#else
#define OCCAM_THREAD_LOCAL _Thread_local
#endif

enum { OCCAM_ERRMSG_SIZE = 512 };
static OCCAM_THREAD_LOCAL char occam_errmsg[OCCAM_ERRMSG_SIZE];

typedef struct status_entry {
    int status;
    const char *name;
    const char *text;
} status_entry;

static const status_entry status_table[] = {
    {OCCAM_OK, "OCCAM_OK", "success"},
    {OCCAM_W_NOT_CONVERGED, "OCCAM_W_NOT_CONVERGED", "algorithm did not converge"},
    {OCCAM_W_BOUNDARY, "OCCAM_W_BOUNDARY", "algorithm stopped at boundary value"},
    {OCCAM_W_FITTED_01, "OCCAM_W_FITTED_01", "fitted probabilities numerically 0 or 1 occurred"},
    {OCCAM_W_FITTED_ZERO, "OCCAM_W_FITTED_ZERO", "fitted rates numerically 0 occurred"},
    {OCCAM_W_RANK_DEFICIENT, "OCCAM_W_RANK_DEFICIENT", "rank-deficient fit: some coefficients are aliased"},
    {OCCAM_W_NON_INTEGER, "OCCAM_W_NON_INTEGER", "non-integer counts or successes"},
    {OCCAM_W_STEP_DIVERGENCE, "OCCAM_W_STEP_DIVERGENCE", "step size truncated due to divergence"},
    {OCCAM_W_STEP_OUT_OF_BOUNDS, "OCCAM_W_STEP_OUT_OF_BOUNDS", "step size truncated: out of bounds"},
    {OCCAM_W_ZERO_WEIGHTS, "OCCAM_W_ZERO_WEIGHTS", "observations with zero weight not used for calculating dispersion"},
    {OCCAM_W_PERFECT_FIT, "OCCAM_W_PERFECT_FIT", "essentially perfect fit: summary may be unreliable"},
    {OCCAM_W_OVERFLOW, "OCCAM_W_OVERFLOW", "a result exceeds the double range (stored as Inf)"},
    {OCCAM_W_NO_DROPOUT, "OCCAM_W_NO_DROPOUT",
     "no evidence of dropout in these data: the fit is the NBD limit without dropout (s = beta = Inf)"},
    {OCCAM_E_NULL, "OCCAM_E_NULL", "required pointer argument is NULL"},
    {OCCAM_E_INVALID_ARG, "OCCAM_E_INVALID_ARG", "invalid argument"},
    {OCCAM_E_NO_DATA, "OCCAM_E_NO_DATA", "no observations"},
    {OCCAM_E_NONFINITE, "OCCAM_E_NONFINITE", "NaN or Inf in input"},
    {OCCAM_E_BAD_WEIGHTS, "OCCAM_E_BAD_WEIGHTS", "negative weights"},
    {OCCAM_E_DOMAIN, "OCCAM_E_DOMAIN", "value outside the model's domain"},
    {OCCAM_E_DIM_MISMATCH, "OCCAM_E_DIM_MISMATCH", "dimensions or lengths do not match"},
    {OCCAM_E_UNKNOWN_ENUM, "OCCAM_E_UNKNOWN_ENUM", "unknown enum value or option key"},
    {OCCAM_E_NOT_FITTED, "OCCAM_E_NOT_FITTED", "model is not fitted"},
    {OCCAM_E_WRONG_MODEL, "OCCAM_E_WRONG_MODEL", "operation not available for this kind of model"},
    {OCCAM_E_NOMEM, "OCCAM_E_NOMEM", "out of memory"},
    {OCCAM_E_TOO_LARGE, "OCCAM_E_TOO_LARGE", "dimension too large for BLAS/LAPACK"},
    {OCCAM_E_BUFFER_TOO_SMALL, "OCCAM_E_BUFFER_TOO_SMALL", "output buffer too small"},
    {OCCAM_E_FORMAT, "OCCAM_E_FORMAT", "malformed serialized model"},
    {OCCAM_E_VERSION, "OCCAM_E_VERSION", "unsupported serialized format version"},
    {OCCAM_E_CHECKSUM, "OCCAM_E_CHECKSUM", "serialized model checksum mismatch"},
    {OCCAM_E_IO, "OCCAM_E_IO", "file input/output error"},
    {OCCAM_E_NUMERIC, "OCCAM_E_NUMERIC", "numerical failure"},
    {OCCAM_E_BAD_LINK, "OCCAM_E_BAD_LINK", "link not valid for this family"},
    {OCCAM_E_LAPACK, "OCCAM_E_LAPACK", "BLAS/LAPACK error"},
    {OCCAM_E_INTERNAL, "OCCAM_E_INTERNAL", "internal error"},
};

static const status_entry *find_status(int status)
{
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++)
        if (status_table[i].status == status) return &status_table[i];
    return NULL;
}

const char *occam_strerror(int status)
{
    const status_entry *e = find_status(status);
    return e ? e->text : "unknown status";
}

const char *occam_status_name(int status)
{
    const status_entry *e = find_status(status);
    return e ? e->name : "OCCAM_UNKNOWN_STATUS";
}

const char *occam_last_error(void) { return occam_errmsg; }

int occam__fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(occam_errmsg, sizeof occam_errmsg, fmt, ap);
    va_end(ap);
    return status;
}

int occam_version_number(void) { return OCCAM_VERSION_NUMBER; }

const char *occam_version_string(void) { return OCCAM_VERSION_STRING; }
