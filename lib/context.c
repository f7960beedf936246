/*
 * context.c -- what a Pareto/NBD or Gamma-Gamma model knows of its data
 * (issue 13 point 3): the time unit with its length in days and the
 * calibration end (a time and its text as given).  The column names are the
 * model's common names (model.c).  Stored in the model file by the kinds
 * (pnbd_io.c tags 310-312, gg_io.c tags 410-412; docs/format.md 1.2):
 *
 *   tag0      i64     unit: 0 unknown, 1 weeks, 2 days, 3 other
 *   tag0 + 1  f64[2]  days per unit (7, 1, > 0 or NaN for other, NaN for
 *                     unknown), calibration end (finite or NaN)
 *   tag0 + 2  text    the calibration end as given (only when set)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serialize.h"

void occam__context_init(occam_context *c)
{
    c->unit = OCCAM_UNIT_UNKNOWN;
    c->unit_days = NAN;
    c->cal_end = NAN;
    c->cal_text = NULL;
}

void occam__context_free(occam_context *c)
{
    free(c->cal_text);
    occam__context_init(c);
}

const char *occam_time_unit_name(int unit)
{
    switch (unit) {
    case OCCAM_UNIT_UNKNOWN: return "unknown";
    case OCCAM_UNIT_WEEKS: return "weeks";
    case OCCAM_UNIT_DAYS: return "days";
    case OCCAM_UNIT_OTHER: return "other";
    default: return NULL;
    }
}

/* The model's context, or NULL with the status for a NULL model or a kind
 * without one. */
static int context_of(const occam_model *m, const char *fn)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "%s: model is NULL", fn);
    if (m->vt->kind != OCCAM_MODEL_PNBD && m->vt->kind != OCCAM_MODEL_GG)
        return occam__fail(OCCAM_E_WRONG_MODEL, "%s: a %s model has no time unit (Pareto/NBD and Gamma-Gamma do)",
                           fn, m->vt->name);
    return OCCAM_OK;
}

/* A unit and its length checked and normalized (*days = 7, 1, NaN or the
 * given length). */
static int unit_days_of(int unit, double unit_days, const char *fn, double *days)
{
    switch (unit) {
    case OCCAM_UNIT_UNKNOWN: *days = NAN; return OCCAM_OK;
    case OCCAM_UNIT_WEEKS: *days = 7.0; return OCCAM_OK;
    case OCCAM_UNIT_DAYS: *days = 1.0; return OCCAM_OK;
    case OCCAM_UNIT_OTHER:
        if (!isnan(unit_days) && !(unit_days > 0 && isfinite(unit_days)))
            return occam__fail(OCCAM_E_DOMAIN, "%s: a unit of %g days: the length must be > 0 and finite, or NaN "
                                               "(unknown)", fn, unit_days);
        *days = unit_days;
        return OCCAM_OK;
    default: return occam__fail(OCCAM_E_UNKNOWN_ENUM, "%s: unknown time unit %d", fn, unit);
    }
}

int occam_model_set_time_unit(occam_model *m, int unit, double unit_days)
{
    const char *fn = "occam_model_set_time_unit";
    double days = NAN;
    int rc = context_of(m, fn);
    if (rc == OCCAM_OK) rc = unit_days_of(unit, unit_days, fn, &days);
    if (rc != OCCAM_OK) return rc;
    m->ctx.unit = unit;
    m->ctx.unit_days = days;
    return OCCAM_OK;
}

int occam_model_time_unit(const occam_model *m, int *unit, double *unit_days)
{
    int rc = context_of(m, "occam_model_time_unit");
    if (rc != OCCAM_OK) return rc;
    if (unit) *unit = m->ctx.unit;
    if (unit_days) *unit_days = m->ctx.unit_days;
    return OCCAM_OK;
}

int occam_model_set_calibration_end(occam_model *m, double t, const char *text)
{
    const char *fn = "occam_model_set_calibration_end";
    int rc = context_of(m, fn);
    if (rc != OCCAM_OK) return rc;
    if (isinf(t)) return occam__fail(OCCAM_E_NONFINITE, "%s: t = %g is not finite (NaN: unknown)", fn, t);
    char *copy = NULL;
    if (text != NULL && text[0] != '\0') {
        size_t at = 0;
        if ((rc = occam_name_check(text, &at)) != OCCAM_OK) {
            char why[256];
            snprintf(why, sizeof why, "%s", occam_last_error()); /* not formatted from the buffer it replaces */
            return occam__fail(rc, "%s: the text (byte offset %zu): %s", fn, at, why);
        }
        size_t len = strlen(text) + 1;
        if ((copy = malloc(len)) == NULL) return occam__fail(OCCAM_E_NOMEM, "%s: out of memory", fn);
        memcpy(copy, text, len);
    }
    free(m->ctx.cal_text);
    m->ctx.cal_text = copy;
    m->ctx.cal_end = t;
    return OCCAM_OK;
}

int occam_model_calibration_end(const occam_model *m, double *t, char *buf, size_t cap, size_t *needed)
{
    int rc = context_of(m, "occam_model_calibration_end");
    if (rc != OCCAM_OK) return rc;
    if (t) *t = m->ctx.cal_end;
    const char *s = m->ctx.cal_text ? m->ctx.cal_text : "";
    size_t len = strlen(s) + 1;
    if (needed) *needed = len;
    if (buf == NULL || cap < len)
        return occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "occam_model_calibration_end: the text needs %zu bytes, "
                                                     "buffer has %zu", len, buf ? cap : (size_t)0);
    memcpy(buf, s, len);
    return OCCAM_OK;
}

/* "weeks (7 days per unit)", "days (1 day per unit)", "other (30.4375 days
 * per unit)", "other (length unknown)", "unknown". */
static void describe(int unit, double days, char *buf, size_t cap)
{
    if (unit == OCCAM_UNIT_UNKNOWN) snprintf(buf, cap, "unknown");
    else if (isnan(days)) snprintf(buf, cap, "%s (length unknown)", occam_time_unit_name(unit));
    else snprintf(buf, cap, "%s (%.10g day%s per unit)", occam_time_unit_name(unit), days, days == 1 ? "" : "s");
}

int occam_model_check_time_unit(const occam_model *m, int unit, double unit_days)
{
    const char *fn = "occam_model_check_time_unit";
    double days = NAN;
    int rc = context_of(m, fn);
    if (rc == OCCAM_OK) rc = unit_days_of(unit, unit_days, fn, &days);
    if (rc != OCCAM_OK) return rc;
    const occam_context *c = &m->ctx;
    if (c->unit == OCCAM_UNIT_UNKNOWN || unit == OCCAM_UNIT_UNKNOWN) return OCCAM_OK;
    int same = !isnan(days) && !isnan(c->unit_days) ? days == c->unit_days
                                                    : isnan(days) && isnan(c->unit_days) && unit == c->unit;
    if (same) return OCCAM_OK;
    char a[64], b[64];
    describe(c->unit, c->unit_days, a, sizeof a);
    describe(unit, days, b, sizeof b);
    return occam__fail(OCCAM_E_INVALID_ARG, "the model's time unit is %s, the data's %s", a, b);
}

/* ------------------------------------------------------------ model file */

void occam__context_write(const occam_model *m, occam_writer *w, uint32_t tag0)
{
    const occam_context *c = &m->ctx;
    const double v[2] = {c->unit_days, c->cal_end};
    occam__w_i64_1(w, tag0, c->unit);
    occam__w_f64(w, tag0 + 1, v, 2);
    if (c->cal_text) occam__w_str(w, tag0 + 2, c->cal_text);
}

int occam__context_read(occam_model *m, const occam_reader *r, uint32_t tag0)
{
    if (!occam__r_has(r, tag0)) return OCCAM_OK; /* format 1.0 / 1.1: unknown */
    int64_t unit;
    double v[2];
    int rc = occam__r_i64_in(r, tag0, OCCAM_UNIT_UNKNOWN, OCCAM_UNIT_OTHER, &unit);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, tag0 + 1, v, 2);
    if (rc != OCCAM_OK) return rc;
    double want = unit == OCCAM_UNIT_WEEKS ? 7.0 : unit == OCCAM_UNIT_DAYS ? 1.0 : NAN;
    int days_ok = unit == OCCAM_UNIT_OTHER ? isnan(v[0]) || (v[0] > 0 && isfinite(v[0]))
                  : isnan(want)            ? isnan(v[0])
                                           : v[0] == want;
    if (!days_ok)
        return occam__fail(OCCAM_E_FORMAT, "field %u: %g days per unit for the unit '%s'", (unsigned)tag0 + 1, v[0],
                           occam_time_unit_name((int)unit));
    if (isinf(v[1]))
        return occam__fail(OCCAM_E_FORMAT, "field %u: calibration end %g is not finite", (unsigned)tag0 + 1, v[1]);
    char *text = NULL;
    if (occam__r_has(r, tag0 + 2)) {
        if ((rc = occam__r_str(r, tag0 + 2, &text)) != OCCAM_OK) return rc;
        if (occam_name_check(text, NULL) != OCCAM_OK) {
            free(text);
            return occam__fail(OCCAM_E_FORMAT, "field %u: the calibration end's text is empty, too long or not "
                                               "UTF-8", (unsigned)tag0 + 2);
        }
    }
    free(m->ctx.cal_text);
    m->ctx = (occam_context){(int)unit, v[0], v[1], text};
    return OCCAM_OK;
}
