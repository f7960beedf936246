/*
 * cli_tracking.c -- `fit pnbd --events ... --tracking-csv FILE`: the
 * tracking curve of Fader and Hardie (BTYD's pnbd.PlotTrackingCum and
 * pnbd.PlotTrackingInc): per period of the model's time unit (a week, or a
 * day with --unit days), from the first purchase of the cohort to the last
 * event of the log, the cohort's actual repeat transactions
 * (occam_events_repeat_counts) and the fitted model's expected ones
 * (occam_pnbd_expected_cumulative over the customers' first purchases).
 *
 * CSV columns: period (k = 1, 2, ...: the times [origin + (k-1) u, origin +
 * k u) with u the unit and origin the cohort's first purchase, so that the
 * model's expectations are at t = k), in_calibration (1 when the period's
 * last purchase period is by the calibration end), actual_inc, actual_cum,
 * expected_inc, expected_cum.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The first purchases of the cohort of one state, appended to *b. */
static int add_births(const occam_events *e, double **b, int64_t *nb)
{
    int64_t n = 0;
    int st = occam_events_summary(e, NULL, NULL, NULL, 0, &n);
    if (st == OCCAM_E_NO_DATA) return OCCAM_OK;
    if (st != OCCAM_E_BUFFER_TOO_SMALL) return st;
    double *S = malloc((size_t)n * 3 * sizeof *S), *grown = realloc(*b, (size_t)(*nb + n) * sizeof **b);
    if (grown) *b = grown;
    st = S && grown ? occam_events_summary(e, S, *b + *nb, NULL, n, &n) : OCCAM_E_NOMEM;
    if (st == OCCAM_OK) *nb += n;
    free(S);
    return st;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Births sorted and grouped: distinct times (in periods from origin) with counts. */
static int64_t group_births(double *b, int64_t nb, double origin, double unit, double *count)
{
    qsort(b, (size_t)nb, sizeof *b, cmp_double);
    int64_t g = 0;
    for (int64_t i = 0; i < nb; i++) {
        double t = (b[i] - origin) / unit;
        if (g > 0 && b[i] == b[i - 1]) {
            count[g - 1] += 1;
            continue;
        }
        b[g] = t;
        count[g++] = 1;
    }
    return g;
}

/* The log's span over both states. */
static int span(occam_events *const st[2], double *lo, double *hi)
{
    int have = 0;
    for (int k = 0; k < 2; k++) {
        double a, z;
        if (!st[k] || occam_events_time_range(st[k], &a, &z) != OCCAM_OK) continue;
        *lo = have && *lo < a ? *lo : a;
        *hi = have && *hi > z ? *hi : z;
        have = 1;
    }
    return have;
}

static int compute(const occam_model *m, occam_events *const st[2], double unit, double merge, double cal_end, int64_t *np,
                   double **out)
{
    double lo = 0, hi = 0, *births = NULL;
    int64_t nb = 0;
    int rc = OCCAM_OK;
    for (int k = 0; k < 2 && rc == OCCAM_OK; k++)
        if (st[k]) rc = add_births(st[k], &births, &nb);
    if (rc == OCCAM_OK && (nb == 0 || !span(st, &lo, &hi))) rc = OCCAM_E_NO_DATA;
    if (rc == OCCAM_OK) lo = births[0];
    for (int64_t i = 1; rc == OCCAM_OK && i < nb; i++) lo = births[i] < lo ? births[i] : lo;
    int64_t P = rc == OCCAM_OK ? (int64_t)floor((hi - lo) / unit) + 1 : 0;
    /* columns: end, in_calibration, actual_inc, expected_cum; edges; counts */
    double *res = rc == OCCAM_OK ? calloc((size_t)P * 4, sizeof *res) : NULL, *edges = malloc((size_t)(P + 1) * sizeof *edges),
           *inc = malloc((size_t)P * sizeof *inc), *count = malloc((size_t)(nb > 0 ? nb : 1) * sizeof *count);
    if (rc == OCCAM_OK && (!res || !edges || !inc || !count)) rc = OCCAM_E_NOMEM;
    for (int64_t k = 0; rc == OCCAM_OK && k <= P; k++) edges[k] = lo + (double)k * unit;
    for (int s = 0; s < 2 && rc == OCCAM_OK; s++) {
        if (!st[s]) continue;
        rc = occam_events_repeat_counts(st[s], edges, P, inc);
        for (int64_t k = 0; rc == OCCAM_OK && k < P; k++) res[4 * k + 2] += inc[k];
    }
    int64_t g = rc == OCCAM_OK ? group_births(births, nb, lo, unit, count) : 0;
    for (int64_t k = 0; rc == OCCAM_OK && k < P; k++) {
        res[4 * k] = (double)(k + 1);
        res[4 * k + 1] = edges[k + 1] - merge <= cal_end; /* its last purchase period is by the end */
        inc[k] = (double)(k + 1);
    }
    double *cum = rc == OCCAM_OK ? malloc((size_t)P * sizeof *cum) : NULL;
    if (rc == OCCAM_OK) rc = cum ? occam_pnbd_expected_cumulative(m, births, count, g, inc, P, cum) : OCCAM_E_NOMEM;
    for (int64_t k = 0; rc == OCCAM_OK && k < P; k++) res[4 * k + 3] = cum[k];
    free(cum);
    free(births);
    free(edges);
    free(inc);
    free(count);
    if (rc != OCCAM_OK) {
        free(res);
        return rc;
    }
    *np = P;
    *out = res;
    return OCCAM_OK;
}

int cli_write_tracking_csv(const char *cmd, const occam_model *m, occam_events *const states[2], double unit,
                           double merge, double cal_end, const char *path)
{
    if (!path || !cli_reporting()) return 0;
    if (!(merge > 0))
        return cli_fail(CLI_EXIT_USAGE, "%s: --tracking-csv needs a merge period > 0 (each purchase period once)", cmd);
    int64_t P = 0;
    double *res = NULL;
    int st = compute(m, states, unit, merge, cal_end, &P, &res);
    if (st != OCCAM_OK) return cli_fail_status(st, "%s: --tracking-csv", cmd);
    char label[64];
    snprintf(label, sizeof label, "%s: --tracking-csv", cmd);
    FILE *f = NULL;
    cli_outfile *o = NULL;
    int rc = cli_outfile_open(label, path, &o, &f);
    if (!rc) {
        fputs("period,in_calibration,actual_inc,actual_cum,expected_inc,expected_cum\n", f);
        double acum = 0, prev = 0;
        for (int64_t k = 0; k < P; k++) {
            const double *r = res + 4 * k;
            acum += r[2];
            const double v[6] = {r[0], r[1], r[2], acum, r[3] - prev, r[3]};
            for (int j = 0; j < 6; j++) {
                if (j) fputc(',', f);
                cli_put_number(f, v[j]);
            }
            fputc('\n', f);
            prev = r[3];
        }
        rc = cli_outfile_commit(o);
    }
    free(res);
    return rc;
}
