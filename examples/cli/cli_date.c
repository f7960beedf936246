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

/* x / 100 for 0 <= x < 43699, by a multiplication (GCC 12 keeps a div). */
static unsigned div100(unsigned x) { return (x * 5243u) >> 19; }

/* Days from 1970-01-01 to y-m-d, a valid date of years 0 to 9999: 365 a
 * year, plus the leap years 0 .. y - 1, plus the days of the months before
 * m (and February 29th of y), plus d - 1; 0000-01-01 is day -719528. */
static int64_t days_of_date(unsigned y, unsigned m, unsigned d, int leap)
{
    static const unsigned short before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    unsigned leaps = ((y + 3) >> 2) - div100(y + 99) + (div100((y + 399) >> 2));
    unsigned doy = before[m - 1] + (m > 2 && leap) + d - 1;
    return (int64_t)(365 * y + leaps + doy) - 719528;
}

int cli_iso_date(const char *s, size_t len, double *days)
{
    int y, m, d;
    if (len == 10 && s[4] == '-' && s[7] == '-' && digits(s, 4, &y) && digits(s + 5, 2, &m) && digits(s + 8, 2, &d) &&
        m >= 1 && m <= 12 && d >= 1) {
        static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        unsigned uy = (unsigned)y, c = div100(uy);
        int leap = (uy & 3) == 0 && (uy != 100 * c || (c & 3) == 0); /* by 4, not by 100 unless by 400 */
        if (d <= mdays[m - 1] && !(m == 2 && d == 29 && !leap)) {
            *days = (double)days_of_date(uy, (unsigned)m, (unsigned)d, leap);
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
