#define _POSIX_C_SOURCE 200809L
/*
 * check_serialize.c -- the model file format v1 (lib/serialize.c,
 * docs/format.md): round trips predict bit-identically; every corrupted
 * input (zero-length, truncated, bit-flipped, wrong magic, wrong version,
 * wrong kind) returns its format status with a message and never over-reads
 * (the suite also runs under ASan/UBSan); condition bits a later library may
 * add load and are kept; a format 1.0 file (covariance k x k) reads as its
 * 1.1 form (r x r over the estimable coefficients).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "testutil.h"
#include "occam.h"

/* A fitted linear model on R's cars data (dist ~ speed), with names. */
static occam_model *cars_model(void)
{
    tu_csv cars = tu_load_csv("../../data/glm/cars.csv");
    occam_model *m = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    const char *names[1] = {"speed"};
    ck_assert_int_eq(occam_model_set_names(m, names, 1), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, tu_csv_column(&cars, tu_csv_col(&cars, "speed")), cars.nrows, 1,
                                     cars.nrows, OCCAM_COL_MAJOR, tu_csv_column(&cars, tu_csv_col(&cars, "dist")),
                                     NULL, NULL),
                     OCCAM_OK);
    tu_csv_free(&cars);
    return m;
}

static unsigned char *serialize(const occam_model *m, size_t *len)
{
    size_t need = 0;
    ck_assert_int_eq(occam_model_serialize(m, NULL, 0, &need), OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert_uint_gt(need, 32);
    unsigned char *buf = malloc(need);
    ck_assert_int_eq(occam_model_serialize(m, buf, need - 1, len), OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert_int_eq(occam_model_serialize(m, buf, need, len), OCCAM_OK);
    ck_assert_uint_eq(*len, need);
    return buf;
}

static const double newx[5] = {4.0, 7.5, 13.0, 25.0, 31.25};

static void predict5(const occam_model *m, double *out, double *se)
{
    ck_assert_int_eq(
        occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, newx, 5, 1, 5, OCCAM_COL_MAJOR, NULL, out, se, 5),
        OCCAM_OK);
}

START_TEST(test_round_trip_bit_identical)
{
    occam_model *m = cars_model();
    size_t len;
    unsigned char *buf = serialize(m, &len);
    occam_model *r = NULL;
    ck_assert_int_eq(occam_model_deserialize(buf, len, &r), OCCAM_OK);
    double a[5], b[5], sa[5], sb[5];
    predict5(m, a, sa);
    predict5(r, b, sb);
    ck_assert_int_eq(memcmp(a, b, sizeof a), 0);
    ck_assert_int_eq(memcmp(sa, sb, sizeof sa), 0);
    /* summary values survive too */
    double v1, v2;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_R_SQUARED, &v1), OCCAM_OK);
    ck_assert_int_eq(occam_model_info(r, OCCAM_INFO_R_SQUARED, &v2), OCCAM_OK);
    ck_assert_double_eq(v1, v2);
    char name[16];
    ck_assert_int_eq(occam_model_column_name(r, 0, name, sizeof name, NULL), OCCAM_OK);
    ck_assert_str_eq(name, "speed");
    /* serializing the copy gives the same bytes */
    size_t len2;
    unsigned char *buf2 = serialize(r, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert_int_eq(memcmp(buf, buf2, len), 0);
    free(buf2);
    free(buf);
    occam_model_free(r);
    occam_model_free(m);
}
END_TEST

START_TEST(test_round_trip_hand_coded_and_unfitted)
{
    occam_model *m = NULL, *r = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    size_t len;
    unsigned char *buf = serialize(m, &len);
    ck_assert_int_eq(occam_model_deserialize(buf, len, &r), OCCAM_OK);
    ck_assert_int_eq(occam_model_is_fitted(r), 0);
    occam_model_free(r);
    free(buf);
    const double coef[1] = {3.932408759124087};
    ck_assert_int_eq(occam_linear_set_coef(m, 1, -17.579094890510934, coef, 1), OCCAM_OK);
    buf = serialize(m, &len);
    ck_assert_int_eq(occam_model_deserialize(buf, len, &r), OCCAM_OK);
    double a[5], b[5];
    predict5(m, a, NULL);
    predict5(r, b, NULL);
    ck_assert_int_eq(memcmp(a, b, sizeof a), 0);
    ck_assert_double_eq(a[0], -17.579094890510934 + 3.932408759124087 * 4.0);
    free(buf);
    occam_model_free(r);
    occam_model_free(m);
}
END_TEST

START_TEST(test_save_load_file)
{
    occam_model *m = cars_model(), *r = NULL;
    char path[] = "/tmp/occam_check_serialize_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(occam_model_save(m, path), OCCAM_OK);
    ck_assert_int_eq(occam_model_load(path, &r), OCCAM_OK);
    double a[5], b[5];
    predict5(m, a, NULL);
    predict5(r, b, NULL);
    ck_assert_int_eq(memcmp(a, b, sizeof a), 0);
    remove(path);
    occam_model_free(r);
    ck_assert_int_eq(occam_model_load("/nonexistent/dir/model.occam", &r), OCCAM_E_IO);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(occam_last_error(), "cannot open '/nonexistent/dir/model.occam': No such file or directory");
    ck_assert_int_eq(occam_model_save(m, "/nonexistent/dir/model.occam"), OCCAM_E_IO);
    occam_model_free(m);
}
END_TEST

/* Corrupt a copy of a valid buffer and expect `status` with a message. */
static void expect_rejected(const unsigned char *buf, size_t len, int status, const char *what)
{
    occam_model *r = (occam_model *)(uintptr_t)1; /* must be reset to NULL */
    int rc = occam_model_deserialize(buf, len, &r);
    ck_assert_msg(rc == status, "%s: got %s, want %s (%s)", what, occam_status_name(rc), occam_status_name(status),
                  occam_last_error());
    ck_assert_ptr_null(r);
    ck_assert_msg(strlen(occam_last_error()) > 0, "%s: no detail message", what);
}

static void fix_crc(unsigned char *b, size_t len)
{
    uint32_t c = (uint32_t)crc32(0L, b, (uInt)(len - 4));
    for (int i = 0; i < 4; i++) b[len - 4 + i] = (unsigned char)(c >> (8 * i));
}

START_TEST(test_zero_length)
{
    unsigned char byte = 0;
    expect_rejected(&byte, 0, OCCAM_E_FORMAT, "zero-length");
    occam_model *r = NULL;
    ck_assert_int_eq(occam_model_deserialize(NULL, 0, &r), OCCAM_E_FORMAT);
    ck_assert_int_eq(occam_model_deserialize(NULL, 10, &r), OCCAM_E_NULL);
}
END_TEST

START_TEST(test_truncated)
{
    occam_model *m = cars_model();
    size_t len;
    unsigned char *buf = serialize(m, &len);
    /* every proper prefix, each in an exactly sized heap block so ASan sees any over-read */
    for (size_t cut = 0; cut < len; cut++) {
        unsigned char *copy = malloc(cut ? cut : 1);
        memcpy(copy, buf, cut);
        occam_model *r = NULL;
        int rc = occam_model_deserialize(copy, cut, &r);
        ck_assert_msg(rc == OCCAM_E_FORMAT, "prefix of %zu bytes: %s", cut, occam_status_name(rc));
        free(copy);
    }
    expect_rejected(buf, len - 1, OCCAM_E_FORMAT, "truncated by one byte");
    free(buf);
    occam_model_free(m);
}
END_TEST

START_TEST(test_bit_flipped)
{
    occam_model *m = cars_model();
    size_t len;
    unsigned char *buf = serialize(m, &len);
    /* flip every bit after the magic and version: each must be caught */
    for (size_t i = 12; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            buf[i] ^= (unsigned char)(1u << bit);
            occam_model *r = NULL;
            int rc = occam_model_deserialize(buf, len, &r);
            ck_assert_msg(rc == OCCAM_E_CHECKSUM || rc == OCCAM_E_FORMAT, "flip byte %zu bit %d: %s", i, bit,
                          occam_status_name(rc));
            buf[i] ^= (unsigned char)(1u << bit);
        }
    buf[len / 2] ^= 0x10;
    expect_rejected(buf, len, OCCAM_E_CHECKSUM, "bit flipped in the payload");
    free(buf);
    occam_model_free(m);
}
END_TEST

START_TEST(test_wrong_magic)
{
    occam_model *m = cars_model();
    size_t len;
    unsigned char *buf = serialize(m, &len);
    buf[1] = 'X';
    expect_rejected(buf, len, OCCAM_E_FORMAT, "wrong magic");
    const char text[] = "hello, this is not a model file at all";
    expect_rejected((const unsigned char *)text, sizeof text, OCCAM_E_FORMAT, "text file");
    free(buf);
    occam_model_free(m);
}
END_TEST

START_TEST(test_wrong_version)
{
    occam_model *m = cars_model();
    size_t len;
    unsigned char *buf = serialize(m, &len);
    buf[8] = 2; /* format major 2, checksum updated: a file from a future version */
    fix_crc(buf, len);
    expect_rejected(buf, len, OCCAM_E_VERSION, "wrong version");
    free(buf);
    occam_model_free(m);
}
END_TEST

START_TEST(test_wrong_kind)
{
    occam_model *m = cars_model();
    size_t len;
    unsigned char *buf = serialize(m, &len);
    buf[12] = 99; /* unknown kind, checksum updated */
    fix_crc(buf, len);
    expect_rejected(buf, len, OCCAM_E_FORMAT, "unknown kind");
    buf[12] = OCCAM_MODEL_PNBD; /* a known kind whose fields are missing */
    fix_crc(buf, len);
    expect_rejected(buf, len, OCCAM_E_FORMAT, "linear payload labelled Pareto/NBD");
    free(buf);
    occam_model_free(m);
}
END_TEST

/* Hostile field headers with a valid checksum: huge counts, unknown types. */
START_TEST(test_hostile_fields)
{
    occam_model *m = cars_model();
    size_t len;
    unsigned char *buf = serialize(m, &len);
    /* first field header at byte 28: tag u32, type u32, count u64 */
    unsigned char *h = malloc(len);
    memcpy(h, buf, len);
    for (int i = 0; i < 8; i++) h[36 + i] = 0xff; /* count = 2^64 - 1 */
    fix_crc(h, len);
    expect_rejected(h, len, OCCAM_E_FORMAT, "huge field count");
    memcpy(h, buf, len);
    h[32] = 77; /* unknown field type */
    fix_crc(h, len);
    expect_rejected(h, len, OCCAM_E_FORMAT, "unknown field type");
    memcpy(h, buf, len);
    for (int i = 0; i < 8; i++) h[20 + i] = 0xee; /* payload length lies */
    fix_crc(h, len);
    expect_rejected(h, len, OCCAM_E_FORMAT, "payload length");
    free(h);
    free(buf);
    occam_model_free(m);
}
END_TEST

/* The conditions field (tag 4): a file from a later library may carry
 * condition bits this one does not define; it loads and keeps them
 * (docs/format.md).  A negative value is malformed. */
static unsigned char *field_value(unsigned char *buf, size_t len, uint32_t tag)
{
    size_t pos = 28;
    while (pos + 16 <= len - 4) {
        uint32_t t = buf[pos] | buf[pos + 1] << 8 | buf[pos + 2] << 16 | (uint32_t)buf[pos + 3] << 24;
        uint64_t count = 0;
        for (int b = 7; b >= 0; b--) count = count << 8 | buf[pos + 8 + b];
        if (t == tag) return buf + pos + 16;
        pos += 16 + (buf[pos + 4] == 3 ? count : 8 * count);
    }
    return NULL;
}

START_TEST(test_conditions_field)
{
    occam_model *m = cars_model(), *r = NULL;
    size_t len;
    unsigned char *buf = serialize(m, &len);
    unsigned char *v = field_value(buf, len, 4);
    ck_assert_ptr_nonnull(v);
    const int64_t later = (int64_t)1 << 20 | OCCAM_COND_STEP_OUT_OF_BOUNDS;
    for (int b = 0; b < 8; b++) v[b] = (unsigned char)(later >> (8 * b));
    fix_crc(buf, len);
    ck_assert_int_eq(occam_model_deserialize(buf, len, &r), OCCAM_OK);
    int flags = 0;
    ck_assert_int_eq(occam_model_conditions(r, &flags), OCCAM_OK);
    ck_assert_int_eq(flags, (int)later);
    occam_model_free(r);
    for (int b = 0; b < 8; b++) v[b] = 0xff; /* -1 */
    fix_crc(buf, len);
    expect_rejected(buf, len, OCCAM_E_FORMAT, "negative conditions");
    free(buf);
    occam_model_free(m);
}
END_TEST

/* Format 1.1 stores the covariance of the non-aliased coefficients only
 * (field 12, r x r); a format 1.0 file, which stored k x k with NaN rows and
 * columns for the aliased ones, still reads to the same model.  The 1.0
 * file is made from the 1.1 one by rewriting field 12 (and the minor
 * version, payload length and CRC) as docs/format.md describes 1.0. */
START_TEST(test_reads_format_1_0_covariance)
{
    tu_csv cars = tu_load_csv("../../data/glm/cars.csv");
    int64_t n = cars.nrows;
    double *X = malloc((size_t)(2 * n) * sizeof(double));
    memcpy(X, tu_csv_column(&cars, tu_csv_col(&cars, "speed")), (size_t)n * sizeof(double));
    memcpy(X + n, X, (size_t)n * sizeof(double)); /* speed twice: the second is aliased */
    occam_model *m = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, X, n, 2, n, OCCAM_COL_MAJOR,
                                     tu_csv_column(&cars, tu_csv_col(&cars, "dist")), NULL, NULL),
                     OCCAM_W_RANK_DEFICIENT);
    size_t len;
    unsigned char *buf = serialize(m, &len);
    ck_assert_int_eq(buf[10] | buf[11] << 8, 2); /* minor version 2 (1.2 kept the 1.1 covariance) */
    /* find field 12 */
    size_t at = 28, end = len - 4;
    while (at < end && !(buf[at] == 12 && buf[at + 1] == 0 && buf[at + 2] == 0 && buf[at + 3] == 0)) {
        uint64_t count = 0;
        for (int i = 7; i >= 0; i--) count = count << 8 | buf[at + 8 + i];
        at += 16 + (buf[at + 4] == 3 ? count : 8 * count);
    }
    ck_assert_uint_lt(at, end);
    ck_assert_int_eq(buf[at + 8], 4); /* r x r = 2 x 2 */
    const int k = 3, kept[3] = {1, 1, 0};
    double V[4], full[9];
    memcpy(V, buf + at + 16, sizeof V); /* little-endian doubles, as on this machine (checked by the round trip) */
    for (int j = 0, jk = 0; j < k; j++) {
        for (int i = 0, ik = 0; i < k; i++) {
            full[i + 3 * j] = kept[i] && kept[j] ? V[ik + 2 * jk] : NAN;
            ik += kept[i];
        }
        jk += kept[j];
    }
    size_t len0 = len + 8 * 5;
    unsigned char *old = malloc(len0);
    memcpy(old, buf, at + 16);
    old[10] = 0;
    old[at + 8] = 9;
    memcpy(old + at + 16, full, sizeof full);
    memcpy(old + at + 16 + sizeof full, buf + at + 16 + sizeof V, len - (at + 16 + sizeof V));
    uint64_t payload = len0 - 32;
    for (int i = 0; i < 8; i++) old[20 + i] = (unsigned char)(payload >> (8 * i));
    fix_crc(old, len0);
    occam_model *r = NULL;
    ck_assert_msg(occam_model_deserialize(old, len0, &r) == OCCAM_OK, "%s", occam_last_error());
    double a[9], b[9], pa[5], pb[5], sa[5], sb[5];
    ck_assert_int_eq(occam_model_vcov(m, a, 3), OCCAM_OK);
    ck_assert_int_eq(occam_model_vcov(r, b, 3), OCCAM_OK);
    for (int j = 0; j < 9; j++) ck_assert(memcmp(&a[j], &b[j], sizeof a[j]) == 0 || (isnan(a[j]) && isnan(b[j])));
    ck_assert(isnan(a[2]) && isnan(a[6]) && isfinite(a[0]) && isfinite(a[4]));
    double x2[10];
    memcpy(x2, newx, sizeof newx);
    memcpy(x2 + 5, newx, sizeof newx);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, x2, 5, 2, 5, OCCAM_COL_MAJOR, NULL, pa, sa, 5),
                     OCCAM_OK);
    ck_assert_int_eq(occam_model_predict(r, OCCAM_PREDICT_RESPONSE, 0, x2, 5, 2, 5, OCCAM_COL_MAJOR, NULL, pb, sb, 5),
                     OCCAM_OK);
    ck_assert(memcmp(pa, pb, sizeof pa) == 0 && memcmp(sa, sb, sizeof sa) == 0);
    /* a count that is neither r x r nor k x k is an error */
    old[at + 8] = 5;
    fix_crc(old, len0);
    occam_model *bad = NULL;
    ck_assert_int_ne(occam_model_deserialize(old, len0, &bad), OCCAM_OK);
    ck_assert_ptr_null(bad);
    occam_model_free(r);
    occam_model_free(m);
    free(old);
    free(buf);
    free(X);
    tu_csv_free(&cars);
}
END_TEST

static Suite *serialize_suite(void)
{
    Suite *s = suite_create("serialize");
    TCase *tc = tcase_create("format v1");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_round_trip_bit_identical);
    tcase_add_test(tc, test_round_trip_hand_coded_and_unfitted);
    tcase_add_test(tc, test_save_load_file);
    tcase_add_test(tc, test_zero_length);
    tcase_add_test(tc, test_truncated);
    tcase_add_test(tc, test_bit_flipped);
    tcase_add_test(tc, test_wrong_magic);
    tcase_add_test(tc, test_wrong_version);
    tcase_add_test(tc, test_wrong_kind);
    tcase_add_test(tc, test_hostile_fields);
    tcase_add_test(tc, test_conditions_field);
    tcase_add_test(tc, test_reads_format_1_0_covariance);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(serialize_suite()); }
