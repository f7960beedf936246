/*
 * check_cli_number.c -- cli_number_format() (examples/cli/cli_number.cc),
 * the numbers of the CSV files the CLI writes, against their contract and
 * independent source: the bytes of glibc's printf("%.17g") (what the CLI
 * wrote before, and what every CLI test's expected text holds), with "NA"
 * for NaN and +-Inf and "0" for -0.  Exact byte equality on: the special
 * values; the edges of the %g format (the switch to an exponent at 1e-5 and
 * 1e17, both sides by one ulp); subnormals and the extremes; 2^0 .. 2^1023
 * and their negatives; 10^k for k = -323 .. 308; 500,000 doubles of
 * uniformly random bits (fixed seed, NaNs included) and 250,000 random
 * decimals of 1 to 17 digits at random decades (ties of the 17-digit
 * rounding are among them).  Each one also reads back by strtod as the
 * same double (the round trip the CLI relies on).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cli.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next_u64(void) /* xorshift64* */
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1Du;
}

static void expect_same(double v)
{
    char want[64], got[CLI_NUMBER_CHARS + 1];
    if (!isfinite(v)) strcpy(want, "NA");
    else snprintf(want, sizeof want, "%.17g", v == 0.0 ? 0.0 : v);
    size_t k = cli_number_format(got, v);
    ck_assert_msg(k > 0 && k <= CLI_NUMBER_CHARS, "%a: length %zu", v, k);
    got[k] = '\0';
    ck_assert_msg(strcmp(got, want) == 0, "%a: \"%s\", printf's \"%s\"", v, got, want);
    if (isfinite(v)) {
        double back = strtod(got, NULL);
        ck_assert_msg(back == v, "%a: \"%s\" reads back as %a", v, got, back);
    }
}

static double from_bits(uint64_t u)
{
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

START_TEST(test_special)
{
    const double v[] = {NAN, -NAN, INFINITY, -INFINITY, 0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3, 2.0 / 3, 0.5,
                        DBL_MIN, -DBL_MIN, DBL_MAX, -DBL_MAX, DBL_EPSILON, DBL_TRUE_MIN, -DBL_TRUE_MIN,
                        DBL_MIN - DBL_TRUE_MIN, 1e-5, 1e-4, 1e16, 1e17, 99999999999999999.0, 123456789012345678.0,
                        9.999999999999999e-5, 0.00010000000000000001, 1e300, 1e-300, 4503599627370496.5,
                        9007199254740993.0, 5e-324, 2.2250738585072009e-308, 1.7976931348623157e308};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) expect_same(v[i]);
    char b[CLI_NUMBER_CHARS];
    ck_assert_int_eq(cli_number_format(b, -0.0), 1);
    ck_assert_int_eq(b[0], '0');
    ck_assert_int_eq(cli_number_format(b, NAN), 2);
    ck_assert_int_eq(memcmp(b, "NA", 2), 0);
}
END_TEST

START_TEST(test_format_edges)
{
    const double edge[] = {1e-5, 1e-4, 1e15, 1e16, 1e17, 1e18};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        for (int s = -1; s <= 1; s += 2) {
            double v = s * edge[i];
            expect_same(v);
            expect_same(nextafter(v, 0));
            expect_same(nextafter(v, s * INFINITY));
        }
    for (int e = -1074; e <= 1023; e++) {
        expect_same(ldexp(1.0, e));
        expect_same(-ldexp(1.0, e));
    }
    for (int k = -323; k <= 308; k++) {
        char t[16];
        snprintf(t, sizeof t, "1e%d", k);
        expect_same(strtod(t, NULL));
    }
}
END_TEST

START_TEST(test_random_bits)
{
    for (int i = 0; i < 500000; i++) expect_same(from_bits(next_u64()));
}
END_TEST

START_TEST(test_random_decimals)
{
    for (int i = 0; i < 250000; i++) {
        int digits = 1 + (int)(next_u64() % 17), e = (int)(next_u64() % 80) - 40;
        uint64_t m = next_u64() % 100000000000000000u;
        char t[64];
        snprintf(t, sizeof t, "%s%.*llue%d", next_u64() & 1 ? "-" : "", digits,
                 (unsigned long long)(m % (uint64_t)pow(10, digits)), e);
        expect_same(strtod(t, NULL));
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli_number");
    TCase *tc = tcase_create("format");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_special);
    tcase_add_test(tc, test_format_edges);
    tcase_add_test(tc, test_random_bits);
    tcase_add_test(tc, test_random_decimals);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
