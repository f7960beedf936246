/*
 * check_cli_date.c -- examples/cli/cli_date.c, the CLI's reader of ISO
 * dates: for every text "YYYY-MM-DD" of years 0000 to 9999, months 00 to 13
 * and days 00 to 32 (valid or not), cli_iso_date() gives the status and the
 * bits of occam_iso_date_days() (its contract: the library's reading, which
 * check_pnbd_events.c checks against R's as.Date values and
 * tests/sh/test_cli_pnbd_events.sh, through the CLI, against Python's
 * datetime over the years 0001 to 9999); that there are 3,652,425 valid
 * ones (10,000 Gregorian years of 365.2425 days) checks that the loop does
 * what it says; and cli_date_text() gives every valid one back as
 * the same text; the other forms (time of day, padding, errors) go to the
 * library.  Exact equality: same status and identical doubles.
 */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "cli.h"

START_TEST(test_every_date)
{
    char s[32], back[16];
    int64_t valid = 0;
    for (int y = 0; y <= 9999; y++)
        for (int m = 0; m <= 13; m++)
            for (int d = 0; d <= 32; d++) {
                snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
                double a = -1, b = -2;
                int ra = occam_iso_date_days(s, &a), rb = cli_iso_date(s, strlen(s), &b);
                ck_assert_msg(ra == rb, "%s: status %d, the library's %d", s, rb, ra);
                if (ra != OCCAM_OK) continue;
                valid++;
                ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "%s: %.17g, the library's %.17g", s, b, a);
                ck_assert_int_eq(cli_date_text(b, back, sizeof back), 0);
                ck_assert_str_eq(back, s);
            }
    ck_assert_int_eq(valid, 3652425); /* the days of 10000 Gregorian years: 10000 * 365.2425 */
}
END_TEST

START_TEST(test_other_forms)
{
    static const char *const forms[] = {"1997-01-01T10:30", "1997-01-01 10:30:15", "1997-1-01", "1997-01-1",
                                        " 1997-01-01", "1997/01/01", "19970101", "1997-01-01x", "", "abcd-ef-gh",
                                        "1997-02-29", "2000-02-29", "1900-02-29", "+997-01-01", "1997-01-0a"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        double a = -1, b = -2;
        int ra = occam_iso_date_days(forms[i], &a), rb = cli_iso_date(forms[i], strlen(forms[i]), &b);
        ck_assert_msg(ra == rb, "'%s': status %d, the library's %d", forms[i], rb, ra);
        if (ra == OCCAM_OK) ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "'%s'", forms[i]);
    }
    char back[16];
    ck_assert_int_eq(cli_date_text(0.5, back, sizeof back), -1);       /* not a whole day */
    ck_assert_int_eq(cli_date_text(-719529.0, back, sizeof back), -1); /* before 0000-01-01 */
    ck_assert_int_eq(cli_date_text(2932897.0, back, sizeof back), -1); /* after 9999-12-31 */
    ck_assert_int_eq(cli_date_text(0.0, back, 10), -1);                /* no room for the NUL */
    ck_assert_int_eq(cli_date_text(0.0, back, sizeof back), 0);
    ck_assert_str_eq(back, "1970-01-01");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli_date");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_every_date);
    tcase_add_test(tc, test_other_forms);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
