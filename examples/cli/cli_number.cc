/*
 * cli_number.cc -- the one C++ file of the occam CLI: decimal numbers parsed
 * by fast_float (Debian libfast-float-dev, header-only, MIT / Apache-2.0;
 * Lemire's Eisel-Lemire algorithm, correctly rounded like glibc's strtod).
 * The library never sees it: it stays C.
 *
 * cli_number_scan() is the fast path of cli_reader.c: it reads the longest
 * decimal number at the start of [first, last) ([-]digits[.digits][e[+-]digits],
 * also ".5" and "5.", the forms strtod reads the same way) and says where it
 * stopped.  Anything else -- a leading '+' or blank, hex, "inf", "nan", an
 * overflow -- returns NULL, and the caller goes to its strtod path, so the
 * accepted cells and their values are exactly those of strtod.
 */
#include <cmath>

#include <fast_float/fast_float.h>

extern "C" const char *cli_number_scan(const char *first, const char *last, double *value);

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
