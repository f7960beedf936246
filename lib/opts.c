/*
 * opts.c -- the opaque options object: enum-keyed, typed setters with range
 * checks.  Unset options take the default of the model kind that reads them.
 */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

enum { OPT_MAX_KEY = OCCAM_OPT_KEEP_DATA };
enum { OPT_TYPE_INT = 1, OPT_TYPE_DOUBLE = 2 };

struct occam_opts {
    int is_set[OPT_MAX_KEY + 1];
    int64_t ival[OPT_MAX_KEY + 1];
    double dval[OPT_MAX_KEY + 1];
};

typedef struct opt_spec {
    int type;
    const char *name;
    double lo, hi; /* inclusive bounds */
} opt_spec;

static const opt_spec *spec_of(int key)
{
    static const opt_spec specs[OPT_MAX_KEY + 1] = {
        [OCCAM_OPT_EPSILON] = {OPT_TYPE_DOUBLE, "epsilon", 1e-300, 1.0},
        [OCCAM_OPT_MAXIT] = {OPT_TYPE_INT, "maxit", 1, 1e9},
        [OCCAM_OPT_RANK_TOL] = {OPT_TYPE_DOUBLE, "rank tolerance", 0.0, 0.999999},
        [OCCAM_OPT_SOLVER] = {OPT_TYPE_INT, "solver", OCCAM_SOLVER_QR, OCCAM_SOLVER_AUTO},
        [OCCAM_OPT_INTERCEPT] = {OPT_TYPE_INT, "intercept", 0, 1},
        [OCCAM_OPT_HALVE_ON_INCREASE] = {OPT_TYPE_INT, "halve on increase", 0, 1},
        [OCCAM_OPT_GRAD_TOL] = {OPT_TYPE_DOUBLE, "gradient tolerance", 1e-300, 1.0},
        [OCCAM_OPT_COLLAPSE] = {OPT_TYPE_INT, "collapse", -1, 1},
        [OCCAM_OPT_THREADS] = {OPT_TYPE_INT, "threads", 1, 256},
        [OCCAM_OPT_FAST] = {OPT_TYPE_INT, "fast", 0, 1},
        [OCCAM_OPT_KEEP_DATA] = {OPT_TYPE_INT, "keep data", 0, 1},
    };
    if (key < 1 || key > OPT_MAX_KEY || specs[key].type == 0) return NULL;
    return &specs[key];
}

int occam_opts_new(occam_opts **out)
{
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_opts_new: out is NULL");
    *out = calloc(1, sizeof **out);
    if (*out == NULL) return occam__fail(OCCAM_E_NOMEM, "occam_opts_new: out of memory");
    return OCCAM_OK;
}

void occam_opts_free(occam_opts *opts) { free(opts); }

int occam__opts_clone(const occam_opts *opts, occam_opts **out)
{
    *out = NULL;
    if (opts == NULL) return OCCAM_OK;
    *out = malloc(sizeof **out);
    if (*out == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory copying the options");
    **out = *opts;
    return OCCAM_OK;
}

static int lookup(const occam_opts *opts, int key, int type, const char *fn, const opt_spec **spec)
{
    if (opts == NULL) return occam__fail(OCCAM_E_NULL, "%s: opts is NULL", fn);
    *spec = spec_of(key);
    if (*spec == NULL) return occam__fail(OCCAM_E_UNKNOWN_ENUM, "%s: unknown option key %d", fn, key);
    if ((*spec)->type != type)
        return occam__fail(OCCAM_E_UNKNOWN_ENUM, "%s: option '%s' (key %d) is not of %s type", fn,
                           (*spec)->name, key, type == OPT_TYPE_INT ? "int" : "double");
    return OCCAM_OK;
}

int occam_opts_set_int(occam_opts *opts, int key, int64_t value)
{
    const opt_spec *spec = NULL;
    int rc = lookup(opts, key, OPT_TYPE_INT, "occam_opts_set_int", &spec);
    if (rc != OCCAM_OK) return rc;
    if ((double)value < spec->lo || (double)value > spec->hi)
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_opts_set_int: %s = %lld is outside [%g, %g]",
                           spec->name, (long long)value, spec->lo, spec->hi);
    opts->ival[key] = value;
    opts->is_set[key] = 1;
    return OCCAM_OK;
}

int occam_opts_set_double(occam_opts *opts, int key, double value)
{
    const opt_spec *spec = NULL;
    int rc = lookup(opts, key, OPT_TYPE_DOUBLE, "occam_opts_set_double", &spec);
    if (rc != OCCAM_OK) return rc;
    if (!(value >= spec->lo && value <= spec->hi))
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_opts_set_double: %s = %g is outside [%g, %g]",
                           spec->name, value, spec->lo, spec->hi);
    opts->dval[key] = value;
    opts->is_set[key] = 1;
    return OCCAM_OK;
}

int occam_opts_get_int(const occam_opts *opts, int key, int64_t *value, int *is_set)
{
    const opt_spec *spec = NULL;
    int rc = lookup(opts, key, OPT_TYPE_INT, "occam_opts_get_int", &spec);
    if (rc != OCCAM_OK) return rc;
    if (value == NULL) return occam__fail(OCCAM_E_NULL, "occam_opts_get_int: value is NULL");
    if (opts->is_set[key]) *value = opts->ival[key];
    if (is_set) *is_set = opts->is_set[key];
    return OCCAM_OK;
}

int occam_opts_get_double(const occam_opts *opts, int key, double *value, int *is_set)
{
    const opt_spec *spec = NULL;
    int rc = lookup(opts, key, OPT_TYPE_DOUBLE, "occam_opts_get_double", &spec);
    if (rc != OCCAM_OK) return rc;
    if (value == NULL) return occam__fail(OCCAM_E_NULL, "occam_opts_get_double: value is NULL");
    if (opts->is_set[key]) *value = opts->dval[key];
    if (is_set) *is_set = opts->is_set[key];
    return OCCAM_OK;
}

double occam__opt_double(const occam_opts *opts, int key, double dflt)
{
    const opt_spec *spec = spec_of(key);
    if (opts == NULL || spec == NULL || spec->type != OPT_TYPE_DOUBLE || !opts->is_set[key]) return dflt;
    return opts->dval[key];
}

int64_t occam__opt_int(const occam_opts *opts, int key, int64_t dflt)
{
    const opt_spec *spec = spec_of(key);
    if (opts == NULL || spec == NULL || spec->type != OPT_TYPE_INT || !opts->is_set[key]) return dflt;
    return opts->ival[key];
}
