/*
 * check_utf8.c -- UTF-8 validation and the column-name rule (lib/utf8.c):
 * occam__utf8_valid, occam_name_check(), occam_model_set_names() and the
 * names of model files.
 *
 * Reference: RFC 3629 section 3 and the Unicode Standard, chapter 3 (D92,
 * Table 3-7): the UTF-8 of a scalar value is its bits in the 1- to 4-byte
 * pattern of its range (0xxxxxxx, 110xxxxx 10xxxxxx, ...), written here
 * from that definition; every scalar value's encoding must be accepted, and
 * rejected: the same patterns used with more bytes than needed (overlong),
 * surrogates U+D800..U+DFFF, values above U+10FFFF, truncated sequences and
 * lone continuation or invalid bytes (0x80..0xBF, 0xC0, 0xC1, 0xF5..0xFF).
 * Exact results, no tolerance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "internal.h"
#include "testutil.h"

/* cp in the len-byte pattern of RFC 3629 (len 1..4), NUL-terminated. */
static void encode(unsigned cp, int len, char *out)
{
    unsigned char *o = (unsigned char *)out;
    static const unsigned char lead[5] = {0, 0x00, 0xC0, 0xE0, 0xF0};
    for (int i = len - 1; i > 0; i--) {
        o[i] = (unsigned char)(0x80 | (cp & 0x3F));
        cp >>= 6;
    }
    o[0] = (unsigned char)(lead[len] | cp);
    o[len] = '\0';
}

static int needed_len(unsigned cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }

/* occam__utf8_valid on "ab" + s (the exhaustive loops use the internal
 * check, which formats no message; occam_name_check adds only the message
 * and the length rule, tested below): OCCAM_OK, or OCCAM_E_INVALID_ARG with
 * *offset = 2, the start of s, for a rejected s. */
static int check_after_prefix(const char *s, size_t *offset)
{
    char buf[16];
    int len = snprintf(buf, sizeof buf, "ab%s", s);
    return occam__utf8_valid(buf, (size_t)len, offset) ? OCCAM_OK : OCCAM_E_INVALID_ARG;
}

START_TEST(test_every_scalar_value_accepted)
{
    char s[8];
    long accepted = 0;
    for (unsigned cp = 1; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        encode(cp, needed_len(cp), s);
        size_t off = 99;
        if (check_after_prefix(s, &off) != OCCAM_OK) ck_abort_msg("U+%04X rejected", cp);
        accepted++;
    }
    ck_assert_int_eq(accepted, 0x10FFFF - 2048); /* all scalar values but U+0000 */
    /* and through the public check, a sample of every length */
    const unsigned sample[] = {0x41, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF};
    for (size_t i = 0; i < sizeof sample / sizeof sample[0]; i++) {
        encode(sample[i], needed_len(sample[i]), s);
        ck_assert_msg(occam_name_check(s, NULL) == OCCAM_OK, "U+%04X rejected: %s", sample[i], occam_last_error());
    }
}
END_TEST

START_TEST(test_surrogates_overlongs_and_large_values_rejected)
{
    char s[8];
    size_t off;
    for (unsigned cp = 0xD800; cp <= 0xDFFF; cp++) { /* surrogates, ED A0..BF xx */
        encode(cp, 3, s);
        off = 99;
        if (check_after_prefix(s, &off) != OCCAM_E_INVALID_ARG || off != 2)
            ck_abort_msg("surrogate U+%04X accepted, or offset %zu", cp, off);
    }
    for (unsigned cp = 0; cp < 0x10000; cp++) { /* every overlong form */
        for (int len = needed_len(cp) + 1; len <= 4; len++) {
            if (cp == 0 && len == 1) continue;
            encode(cp, len, s);
            off = 99;
            if (check_after_prefix(s, &off) != OCCAM_E_INVALID_ARG || off != 2)
                ck_abort_msg("overlong U+%04X in %d bytes accepted, or offset %zu", cp, len, off);
        }
    }
    for (unsigned cp = 0x110000; cp <= 0x1FFFFF; cp++) { /* above U+10FFFF in the 4-byte pattern */
        encode(cp, 4, s);
        off = 99;
        if (check_after_prefix(s, &off) != OCCAM_E_INVALID_ARG || off != 2)
            ck_abort_msg("U+%X accepted, or offset %zu", cp, off);
    }
}
END_TEST

START_TEST(test_truncated_and_lone_bytes_rejected)
{
    char s[8];
    size_t off;
    const unsigned cps[] = {0x80, 0x7FF, 0x800, 0xFFFD, 0x10000, 0x10FFFF};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        int len = needed_len(cps[i]);
        for (int cut = 1; cut < len; cut++) { /* the first `cut` bytes only, then 'z' */
            encode(cps[i], len, s);
            s[cut] = 'z';
            s[cut + 1] = '\0';
            off = 99;
            ck_assert_msg(check_after_prefix(s, &off) == OCCAM_E_INVALID_ARG, "U+%X cut to %d bytes accepted", cps[i],
                          cut);
            ck_assert_uint_eq(off, 2);
        }
    }
    for (unsigned b = 0x80; b <= 0xFF; b++) {
        s[0] = (char)b;
        s[1] = '\0';
        off = 99;
        ck_assert_msg(check_after_prefix(s, &off) == OCCAM_E_INVALID_ARG, "lone byte 0x%02X accepted", b);
        ck_assert_uint_eq(off, 2);
    }
    /* the message names the byte and its offset */
    ck_assert_int_eq(occam_name_check("abc\xff", &off), OCCAM_E_INVALID_ARG);
    ck_assert_str_eq(occam_last_error(), "name is not valid UTF-8: byte 0xFF at byte offset 3");
}
END_TEST

START_TEST(test_length_limit_and_empty)
{
    char *s = malloc(OCCAM_NAME_MAX + 2);
    memset(s, 'a', OCCAM_NAME_MAX);
    s[OCCAM_NAME_MAX] = '\0';
    size_t off = 99;
    ck_assert_int_eq(occam_name_check(s, &off), OCCAM_OK);
    s[OCCAM_NAME_MAX] = 'a';
    s[OCCAM_NAME_MAX + 1] = '\0';
    ck_assert_int_eq(occam_name_check(s, &off), OCCAM_E_INVALID_ARG);
    ck_assert_uint_eq(off, OCCAM_NAME_MAX);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "10001 bytes"));
    free(s);
    ck_assert_int_eq(occam_name_check("", &off), OCCAM_E_INVALID_ARG);
    ck_assert_uint_eq(off, 0);
    ck_assert_int_eq(occam_name_check(NULL, &off), OCCAM_E_NULL);
    ck_assert_int_eq(occam_name_check("caf\xc3\xa9", NULL), OCCAM_OK); /* "café" */
}
END_TEST

START_TEST(test_set_names_rejects_bad_utf8)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    const char *good[2] = {"speed", "caf\xc3\xa9"};
    ck_assert_int_eq(occam_model_set_names(m, good, 2), OCCAM_OK);
    const char *bad[2] = {"speed", "x\xc0\x80"}; /* overlong U+0000 */
    ck_assert_int_eq(occam_model_set_names(m, bad, 2), OCCAM_E_INVALID_ARG);
    ck_assert_str_eq(occam_last_error(),
                     "occam_model_set_names: column 2 (index 1): name is not valid UTF-8: byte 0xC0 at byte offset 1");
    double coef[2] = {1, 2};
    ck_assert_int_eq(occam_linear_set_coef(m, 1, 0.5, coef, 2), OCCAM_OK);
    char buf[16];
    ck_assert_int_eq(occam_model_column_name(m, 1, buf, sizeof buf, NULL), OCCAM_OK);
    ck_assert_str_eq(buf, "caf\xc3\xa9"); /* the names before the failed call */
    occam_model_free(m);
}
END_TEST

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A model file whose name bytes are not UTF-8 (rewritten in the file, the
 * CRC-32 recomputed as docs/format.md specifies) is OCCAM_E_FORMAT. */
START_TEST(test_file_with_bad_name_rejected)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    const char *names[1] = {"qqqq"};
    ck_assert_int_eq(occam_model_set_names(m, names, 1), OCCAM_OK);
    double coef[1] = {3};
    ck_assert_int_eq(occam_linear_set_coef(m, 1, 1.0, coef, 1), OCCAM_OK);
    size_t len = 0;
    ck_assert_int_eq(occam_model_serialize(m, NULL, 0, &len), OCCAM_E_BUFFER_TOO_SMALL);
    unsigned char *buf = malloc(len);
    ck_assert_int_eq(occam_model_serialize(m, buf, len, &len), OCCAM_OK);
    unsigned char *q = NULL;
    for (size_t i = 0; i + 4 <= len && q == NULL; i++)
        if (memcmp(buf + i, "qqqq", 4) == 0) q = buf + i;
    ck_assert_ptr_nonnull(q);
    q[1] = 0xED; /* "q" ED A0 80: a surrogate */
    q[2] = 0xA0;
    q[3] = 0x80;
    uint32_t crc = (uint32_t)crc32(0L, buf, (uInt)(len - 4));
    for (int i = 0; i < 4; i++) buf[len - 4 + i] = (unsigned char)(crc >> (8 * i));
    ck_assert_uint_eq(get_u32(buf + len - 4), crc);
    occam_model *r = NULL;
    ck_assert_int_eq(occam_model_deserialize(buf, len, &r), OCCAM_E_FORMAT);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "not valid UTF-8: byte 0xED at byte offset 1"));
    free(buf);
    occam_model_free(m);
}
END_TEST

static Suite *utf8_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("names");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_every_scalar_value_accepted);
    tcase_add_test(tc, test_surrogates_overlongs_and_large_values_rejected);
    tcase_add_test(tc, test_truncated_and_lone_bytes_rejected);
    tcase_add_test(tc, test_length_limit_and_empty);
    tcase_add_test(tc, test_set_names_rejects_bad_utf8);
    tcase_add_test(tc, test_file_with_bad_name_rejected);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(utf8_suite()); }
