/*
 * pnbd_events.c -- from an event log (customer id, time) to the Pareto/NBD
 * summaries (x, t_x, T) per customer, with the usual conventions (Fader &
 * Hardie's CDNOW preparation; BTYD's dc.ElogToCbsCbt, lifetimes'
 * summary_data_from_transaction_data):
 *   - a customer's first event is time 0 ("birth") and is not counted in x;
 *   - x = number of later events up to and including the calibration end,
 *     t_x = time of the last of them (0 when x = 0), T = calibration end
 *     minus the first event; customers whose first event is after the
 *     calibration end are left out;
 *   - optional merging: with merge_period P > 0 every time is floored to a
 *     multiple of P (as lifetimes does with its `freq`), and events of one
 *     customer in the same period count once (P = 1 with times in days:
 *     several purchases on one day are one transaction);
 *   - x_star (optional) counts the (merged) events after the calibration end
 *     (the holdout period, BTYD's x.star).
 * Also the ISO 8601 date parser behind the CLI's --time columns.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pnbd.h"

/* ------------------------------------------------------------- ISO dates */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int read_digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9') return -1;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

int occam_iso_date_days(const char *s, double *days)
{
    if (s == NULL || days == NULL) return occam__fail(OCCAM_E_NULL, "occam_iso_date_days: NULL argument");
    const char *p = s;
    int y, mo, d, hh = 0, mi = 0, ss = 0;
    if (read_digits(&p, 4, &y) || *p++ != '-' || read_digits(&p, 2, &mo) || *p++ != '-' || read_digits(&p, 2, &d))
        return occam__fail(OCCAM_E_INVALID_ARG, "'%.40s' is not a date YYYY-MM-DD", s);
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap))
        return occam__fail(OCCAM_E_INVALID_ARG, "'%.40s' is not a valid calendar date", s);
    if (*p == 'T' || *p == ' ') {
        p++;
        if (read_digits(&p, 2, &hh) || *p++ != ':' || read_digits(&p, 2, &mi))
            return occam__fail(OCCAM_E_INVALID_ARG, "'%.40s': time of day must be HH:MM[:SS]", s);
        if (*p == ':') {
            p++;
            if (read_digits(&p, 2, &ss)) return occam__fail(OCCAM_E_INVALID_ARG, "'%.40s': bad seconds", s);
        }
        if (hh > 23 || mi > 59 || ss > 60)
            return occam__fail(OCCAM_E_INVALID_ARG, "'%.40s': time of day out of range", s);
    }
    if (*p != '\0') return occam__fail(OCCAM_E_INVALID_ARG, "'%.40s': unexpected text after the date", s);
    *days = (double)days_from_civil(y, mo, d) + (hh * 3600.0 + mi * 60.0 + ss) / 86400.0;
    return OCCAM_OK;
}

/* ------------------------------------------------------------ summaries */

typedef struct ev {
    int64_t id;
    double t;
} ev;

static int ev_cmp(const void *pa, const void *pb)
{
    const ev *a = pa, *b = pb;
    if (a->id != b->id) return a->id < b->id ? -1 : 1;
    if (a->t != b->t) return a->t < b->t ? -1 : 1;
    return 0;
}

int occam_pnbd_summarize_events(const int64_t *ids, const double *times, int64_t n_events, double cal_end,
                                double merge_period, int64_t *cust_ids, double *summary, double *first,
                                double *x_star, int64_t cap, int64_t *n_customers)
{
    if (n_customers == NULL) return occam__fail(OCCAM_E_NULL, "occam_pnbd_summarize_events: n_customers is NULL");
    if (n_events < 0) return occam__fail(OCCAM_E_INVALID_ARG, "occam_pnbd_summarize_events: n_events < 0");
    if (n_events == 0) return occam__fail(OCCAM_E_NO_DATA, "occam_pnbd_summarize_events: no events");
    if (ids == NULL || times == NULL)
        return occam__fail(OCCAM_E_NULL, "occam_pnbd_summarize_events: %s is NULL", ids ? "times" : "ids");
    if (!isfinite(cal_end)) return occam__fail(OCCAM_E_NONFINITE, "occam_pnbd_summarize_events: cal_end is not finite");
    if (!(merge_period >= 0) || !isfinite(merge_period))
        return occam__fail(OCCAM_E_INVALID_ARG, "occam_pnbd_summarize_events: merge_period = %g must be >= 0",
                           merge_period);
    if (cap < 0) return occam__fail(OCCAM_E_INVALID_ARG, "occam_pnbd_summarize_events: cap < 0");
    for (int64_t i = 0; i < n_events; i++)
        if (!isfinite(times[i]))
            return occam__fail(OCCAM_E_NONFINITE, "occam_pnbd_summarize_events: time of event %lld is not finite",
                               (long long)i + 1);
    ev *e = malloc((size_t)n_events * sizeof *e);
    if (e == NULL) return occam__fail(OCCAM_E_NOMEM, "occam_pnbd_summarize_events: out of memory");
    double P = merge_period, end = P > 0 ? P * floor(cal_end / P) : cal_end;
    for (int64_t i = 0; i < n_events; i++) {
        e[i].id = ids[i];
        e[i].t = P > 0 ? P * floor(times[i] / P) : times[i];
    }
    qsort(e, (size_t)n_events, sizeof *e, ev_cmp);
    /* pass 0 counts customers, pass 1 writes them */
    int64_t count = 0;
    for (int pass = 0; pass < 2; pass++) {
        int64_t k = 0;
        for (int64_t i = 0; i < n_events;) {
            int64_t j = i;
            double t0 = e[i].t, last = t0;
            int64_t x = 0, xs = 0;
            for (j = i + 1; j < n_events && e[j].id == e[i].id; j++) {
                if (P > 0 && e[j].t == e[j - 1].t) continue; /* same period: merged */
                if (e[j].t <= end) {
                    x++;
                    last = e[j].t;
                } else {
                    xs++;
                }
            }
            if (t0 <= end) {
                if (pass == 1) {
                    if (cust_ids) cust_ids[k] = e[i].id;
                    summary[3 * k] = (double)x;
                    summary[3 * k + 1] = x > 0 ? last - t0 : 0.0;
                    summary[3 * k + 2] = end - t0;
                    if (first) first[k] = t0;
                    if (x_star) x_star[k] = (double)xs;
                }
                k++;
            }
            i = j;
        }
        if (pass == 0) {
            count = k;
            *n_customers = count;
            if (count == 0) {
                free(e);
                return occam__fail(OCCAM_E_NO_DATA,
                                   "occam_pnbd_summarize_events: no customer has an event before the calibration end");
            }
            if (summary == NULL || cap < count) {
                free(e);
                return occam__fail(OCCAM_E_BUFFER_TOO_SMALL,
                                   "occam_pnbd_summarize_events: %lld customers, room for %lld", (long long)count,
                                   (long long)(summary ? cap : 0));
            }
        }
    }
    free(e);
    return OCCAM_OK;
}
