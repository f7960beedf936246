/*
 * cli_number.cc -- the one C++ file of the occam CLI: decimal numbers parsed
 * by fast_float (Debian libfast-float-dev, header-only, MIT / Apache-2.0;
 * Lemire's Eisel-Lemire algorithm, correctly rounded like glibc's strtod).
 * The library never sees it: it stays C.
 *
 * cli_number_format() writes a number of a CSV the tool writes: the digits
 * of printf's "%.17g" (C++17 std::to_chars with chars_format::general and
 * precision 17, which the standard defines as printf's %.17g in the "C"
 * locale; libstdc++ computes it exactly, without printf's multi-precision
 * arithmetic and format parsing), "NA" when the value is not finite, "0"
 * for -0.
 *
 * cli_number_scan() is the fast path of cli_reader.c: it reads the longest
 * decimal number at the start of [first, last) ([-]digits[.digits][e[+-]digits],
 * also ".5" and "5.", the forms strtod reads the same way) and says where it
 * stopped.  Anything else -- a leading '+' or blank, hex, "inf", "nan", an
 * overflow -- returns NULL, and the caller goes to its strtod path, so the
 * accepted cells and their values are exactly those of strtod.
 */
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstring>

#include <fast_float/fast_float.h>

extern "C" const char *cli_number_scan(const char *first, const char *last, double *value);
extern "C" size_t cli_number_format(char *buf, double v);

enum { CLI_NUMBER_CHARS = 32 }; /* as cli.h */

extern "C" const char *cli_number_scan(const char *first, const char *last, double *value)
{
    double v = 0;
    if (first == last)
        return nullptr;
    char c = *first;
    if (!((c >= '0' && c <= '9') || c == '-' || c == '.')) /* "inf", "nan", "+1", " 1": strtod decides */
        return nullptr;
    fast_float::from_chars_result r = fast_float::from_chars(first, last, v);
    if (r.ec != std::errc() || !std::isfinite(v))
        return nullptr;
    *value = v;
    return r.ptr;
}

extern "C" size_t cli_number_format(char *buf, double v)
{
    if (!std::isfinite(v)) {
        std::memcpy(buf, "NA", 2);
        return 2;
    }
    if (v == 0.0) /* never "-0" */
        v = 0.0;
    /* %.17g needs at most 24 characters ("-1.2345678901234567e-308") */
    std::to_chars_result r = std::to_chars(buf, buf + CLI_NUMBER_CHARS, v, std::chars_format::general, 17);
    return r.ec == std::errc() ? static_cast<size_t>(r.ptr - buf) : 0;
}
