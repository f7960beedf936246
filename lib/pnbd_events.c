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

/* One chunk through the event state (lib/events.c): the same code as the
 * streamed and merged summaries. */
int occam_pnbd_summarize_events(const int64_t *ids, const double *times, int64_t n_events, double cal_end,
                                double merge_period, int64_t *cust_ids, double *summary, double *first,
                                double *x_star, int64_t cap, int64_t *n_customers)
{
    if (n_customers == NULL) return occam__fail(OCCAM_E_NULL, "occam_pnbd_summarize_events: n_customers is NULL");
    if (n_events < 0) return occam__fail(OCCAM_E_INVALID_ARG, "occam_pnbd_summarize_events: n_events < 0");
    if (n_events == 0) return occam__fail(OCCAM_E_NO_DATA, "occam_pnbd_summarize_events: no events");
    if (ids == NULL || times == NULL)
        return occam__fail(OCCAM_E_NULL, "occam_pnbd_summarize_events: %s is NULL", ids ? "times" : "ids");
    occam_events *e = NULL;
    int rc = occam_events_new(cal_end, merge_period, &e);
    if (rc == OCCAM_OK && cap < 0) rc = occam__fail(OCCAM_E_INVALID_ARG, "occam_pnbd_summarize_events: cap < 0");
    if (rc == OCCAM_OK) rc = occam_events_add(e, ids, times, n_events);
    if (rc == OCCAM_OK) rc = occam_events_compact(e);
    if (rc == OCCAM_OK) rc = occam_events_summary(e, summary, first, x_star, cap, n_customers);
    if (rc == OCCAM_OK && cust_ids) rc = occam_events_ids(e, cust_ids, cap, n_customers);
    occam_events_free(e);
    return rc;
}
