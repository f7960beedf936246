/*
 * cli_context.c -- the context of a Pareto/NBD or Gamma-Gamma model on the
 * command line (issue 13 point 3): `--unit weeks|days|other [--unit-days D]`
 * parsed for the fits, which store it with the calibration end and the
 * column names (occam_model_set_time_unit, occam_model_set_calibration_end,
 * occam_model_set_names); checked by predict, clv and plot palive against
 * the model's; printed by the fits and `occam summary`.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_parse_unit(const char *cmd, const char *unit, const char *unit_days, int *u, double *days)
{
    *u = OCCAM_UNIT_UNKNOWN;
    *days = NAN;
    if (!unit) {
        if (unit_days)
            return cli_fail(CLI_EXIT_USAGE, "%s: --unit-days needs --unit other", cmd);
        return 0;
    }
    if (strcmp(unit, "weeks") == 0)
        *u = OCCAM_UNIT_WEEKS, *days = 7.0;
    else if (strcmp(unit, "days") == 0)
        *u = OCCAM_UNIT_DAYS, *days = 1.0;
    else if (strcmp(unit, "other") == 0)
        *u = OCCAM_UNIT_OTHER;
    else
        return cli_fail(CLI_EXIT_USAGE, "%s: --unit must be weeks, days or other, not '%s'", cmd, unit);
    if (unit_days && *u != OCCAM_UNIT_OTHER)
        return cli_fail(CLI_EXIT_USAGE, "%s: --unit-days applies to --unit other (%s are %g day%s)", cmd, unit,
                        *days, *days == 1 ? "" : "s");
    if (unit_days) {
        int rc = cli_parse_double(cmd, unit_days, "--unit-days", days);
        if (rc)
            return rc;
        if (!(*days > 0) || !isfinite(*days))
            return cli_fail(CLI_EXIT_USAGE, "%s: --unit-days must be a number of days > 0, not '%s'", cmd,
                            unit_days);
    }
    return 0;
}

int cli_context_store(const char *cmd, occam_model *m, int unit, double days, double cal_end, const char *cal_text,
                      const char *const *names, int64_t p)
{
    int st = occam_model_set_time_unit(m, unit, days);
    if (st == OCCAM_OK)
        st = occam_model_set_calibration_end(m, cal_end, cal_text);
    if (st == OCCAM_OK && names)
        st = occam_model_set_names(m, names, p);
    return st == OCCAM_OK ? 0 : cli_fail_status(st, "%s: cannot record the model's context", cmd);
}

/* "weeks (7 days per unit)", "other (30.4375 days per unit)", "other (length
 * unknown)", "unknown". */
static void describe(int unit, double days, char *buf, size_t cap)
{
    const char *name = occam_time_unit_name(unit);
    if (unit == OCCAM_UNIT_UNKNOWN || !name)
        snprintf(buf, cap, "unknown");
    else if (isnan(days))
        snprintf(buf, cap, "%s (length unknown)", name);
    else
        snprintf(buf, cap, "%s (%.10g day%s per unit)", name, days, days == 1 ? "" : "s");
}

int cli_context_check(const char *cmd, const occam_model *m, const char *unit, const char *unit_days)
{
    int u, mu;
    double days, mdays;
    int rc = cli_parse_unit(cmd, unit, unit_days, &u, &days);
    if (rc || !unit)
        return rc;
    int st = occam_model_time_unit(m, &mu, &mdays);
    if (st == OCCAM_E_WRONG_MODEL)
        return cli_fail(CLI_EXIT_USAGE, "%s: --unit applies to Pareto/NBD and Gamma-Gamma models", cmd);
    if (st == OCCAM_OK)
        st = occam_model_check_time_unit(m, u, days);
    if (st == OCCAM_E_INVALID_ARG) {
        char a[64], b[64];
        describe(mu, mdays, a, sizeof a);
        describe(u, days, b, sizeof b);
        return cli_fail(CLI_EXIT_FAILURE, "%s: the model was fitted in %s but --unit says %s: convert the data or "
                                          "refit", cmd, a, b);
    }
    return st == OCCAM_OK ? 0 : cli_fail_status(st, "%s: the model's time unit", cmd);
}

void cli_print_context(FILE *f, const occam_model *m)
{
    int unit;
    double days, t;
    char what[64], text[256] = "";
    size_t need = 0;
    if (occam_model_time_unit(m, &unit, &days) != OCCAM_OK)
        return;
    describe(unit, days, what, sizeof what);
    if (occam_model_calibration_end(m, &t, NULL, 0, &need) != OCCAM_OK && need <= sizeof text)
        occam_model_calibration_end(m, &t, text, sizeof text, NULL);
    fprintf(f, "Time unit: %s; calibration end: ", what);
    if (text[0])
        fprintf(f, "%s\n", text);
    else if (!isnan(t))
        fprintf(f, "%.10g\n", t);
    else
        fputs("unknown\n", f);
}

int cli_periods_per_year(const char *cmd, const occam_model *m, double *k)
{
    int unit = OCCAM_UNIT_UNKNOWN;
    double days = NAN;
    *k = 52;
    if (m && occam_model_time_unit(m, &unit, &days) == OCCAM_OK && unit == OCCAM_UNIT_DAYS)
        *k = 365;
    if (unit == OCCAM_UNIT_OTHER)
        return cli_fail(CLI_EXIT_USAGE, "%s: the model's time unit is 'other': give --periods-per-year K", cmd);
    return 0;
}

int cli_context_pair(const char *cmd, const occam_model *a, const occam_model *b)
{
    int ua, ub;
    double da, db;
    if (occam_model_time_unit(a, &ua, &da) != OCCAM_OK || occam_model_time_unit(b, &ub, &db) != OCCAM_OK ||
        occam_model_check_time_unit(a, ub, db) == OCCAM_OK)
        return 0;
    char x[64], y[64];
    describe(ua, da, x, sizeof x);
    describe(ub, db, y, sizeof y);
    return cli_fail(CLI_EXIT_FAILURE, "%s: the Pareto/NBD model was fitted in %s but the Gamma-Gamma model in %s: "
                                      "refit one of them", cmd, x, y);
}

int cli_column_name(const occam_model *m, int64_t j, char **out)
{
    size_t need = 0;
    *out = NULL;
    int st = occam_model_column_name(m, j, NULL, 0, &need);
    if (st == OCCAM_E_BUFFER_TOO_SMALL && (*out = malloc(need)) == NULL)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    if (*out)
        st = occam_model_column_name(m, j, *out, need, NULL);
    if (st != OCCAM_OK) {
        free(*out);
        *out = NULL;
        return cli_fail_status(st, "cannot read the model's column names");
    }
    return 0;
}
