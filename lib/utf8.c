/*
 * utf8.c -- UTF-8 validation and the rule every column name follows
 * (occam_name_check): non-empty, at most OCCAM_NAME_MAX bytes, well-formed
 * UTF-8.  Model files store names as UTF-8 (docs/format.md) and the
 * bindings decode them as such (Python's str, R's UTF-8 strings).
 *
 * Well-formed means the Unicode Standard's Table 3-7 (chapter 3, D92) and
 * RFC 3629: the shortest encoding of a scalar value U+0000..U+10FFFF that
 * is not a surrogate (U+D800..U+DFFF).  Overlong forms (C0 80 for U+0000),
 * surrogates (ED A0 80), values above U+10FFFF (F4 90 80 80), stray
 * continuation bytes and truncated sequences are rejected.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Length of the well-formed sequence at s[0..len), or 0 if there is none. */
static size_t sequence_length(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) need = 2;
    else if (c >= 0xE0 && c <= 0xEF) need = 3;
    else if (c >= 0xF0 && c <= 0xF4) need = 4;
    else return 0; /* a continuation byte, C0, C1 (overlong), F5..FF */
    if (c == 0xE0) lo = 0xA0;      /* overlong below U+0800 */
    else if (c == 0xED) hi = 0x9F; /* surrogates */
    else if (c == 0xF0) lo = 0x90; /* overlong below U+10000 */
    else if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
    if (len < need || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return need;
}

int occam__utf8_valid(const char *s, size_t len, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n = sequence_length(u + i, len - i);
        if (n == 0) {
            if (bad) *bad = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

int occam_name_check(const char *name, size_t *offset)
{
    if (name == NULL) return occam__fail(OCCAM_E_NULL, "name is NULL");
    size_t len = strlen(name), bad = 0;
    if (len == 0) {
        if (offset) *offset = 0;
        return occam__fail(OCCAM_E_INVALID_ARG, "name is empty");
    }
    if (len > OCCAM_NAME_MAX) {
        if (offset) *offset = OCCAM_NAME_MAX;
        return occam__fail(OCCAM_E_INVALID_ARG, "name is %zu bytes long, the limit is OCCAM_NAME_MAX = %d bytes",
                           len, OCCAM_NAME_MAX);
    }
    if (!occam__utf8_valid(name, len, &bad)) {
        if (offset) *offset = bad;
        return occam__fail(OCCAM_E_INVALID_ARG, "name is not valid UTF-8: byte 0x%02X at byte offset %zu",
                           (unsigned)(unsigned char)name[bad], bad);
    }
    return OCCAM_OK;
}
