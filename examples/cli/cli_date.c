/*
 * cli_date.c -- the ISO dates of a --time column, fast.  The common form
 * "YYYY-MM-DD" (exactly 10 bytes) is read here, with the checks and the
 * value of the library's occam_iso_date_days() (days since 1970-01-01 in
 * the proleptic Gregorian calendar, as a double); every other text (a time
 * of day, anything not a date) goes to occam_iso_date_days() itself, so the
 * accepted cells, their values and the error status are the library's.
 * And the way back, for messages: the text of a whole day number in that
 * form (a 10-byte date read here is exactly the text of its day).
 * Days <-> civil dates by H. Hinnant's days_from_civil / civil_from_days.
 */
#include <stdio.h>

#include "cli.h"

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i] - '0';
        if (c > 9)
            return 0;
        x = x * 10 + (int)c;
    }
    *v = x;
    return 1;
}

/* days_from_civil for years 0 to 9999, in unsigned 32-bit arithmetic (its
 * divisions by constants become multiplications): 400 years (146097 days)
 * added to keep every quantity >= 0, taken off at the end. */
static int64_t days_of_date(unsigned y, unsigned m, unsigned d)
{
    unsigned Y = y + 400 - (m <= 2), era = Y / 400, yoe = Y - era * 400;
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + (int64_t)doe - 719468 - 146097;
}

int cli_iso_date(const char *s, size_t len, double *days)
{
    int y, m, d;
    if (len == 10 && s[4] == '-' && s[7] == '-' && digits(s, 4, &y) && digits(s + 5, 2, &m) && digits(s + 8, 2, &d) &&
        m >= 1 && m <= 12 && d >= 1) {
        static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        unsigned uy = (unsigned)y;
        int leap = (uy % 4 == 0 && uy % 100 != 0) || uy % 400 == 0;
        if (d <= mdays[m - 1] && !(m == 2 && d == 29 && !leap)) {
            *days = (double)days_of_date(uy, (unsigned)m, (unsigned)d);
            return OCCAM_OK;
        }
    }
    return occam_iso_date_days(s, days); /* the other forms, and the error */
}

int cli_date_text(double days, char *buf, size_t cap)
{
    if (cap < 11 || !(days >= -719528.0 && days <= 2932896.0) || days != (double)(int64_t)days)
        return -1; /* no room, or not a whole day of 0000-01-01 .. 9999-12-31 */
    int64_t y;
    int m, d;
    civil_from_days((int64_t)days, &y, &m, &d);
    snprintf(buf, cap, "%04lld-%02d-%02d", (long long)y, m, d);
    return 0;
}
