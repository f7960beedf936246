/*
 * check_context.c -- lib/context.c (issue 13 point 3): the time unit and the
 * calibration end of Pareto/NBD and Gamma-Gamma models.  The setters check
 * their arguments and leave the model unchanged on error; fits keep the
 * context; models round-trip through format 1.2 with the context; the
 * format 1.1 files of tests/data/format_1_1 (written by the binary of commit
 * ebbd3c0, before this change) load with the unknown context and predict
 * the numbers that binary printed, bit for bit (a double printed with 17
 * significant digits reads back to itself; DERT to 1e-13 relative, its
 * Tricomi part at z < 1 being interpolated since), and bit for bit the
 * numbers of their copies re-saved in format 1.2; bad context fields, truncations
 * and bit flips of a 1.2 file are rejected.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "testutil.h"
#include "occam.h"

static occam_model *pnbd_given(void)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_pnbd_set_params(m, 0.55, 10.58, 0.61, 11.67), OCCAM_OK);
    return m;
}

/* kind 0: a Pareto/NBD model, 1: a Gamma-Gamma model, both of given parameters */
static occam_model *given_model(int kind)
{
    if (kind == 0) return pnbd_given();
    occam_model *m = NULL;
    ck_assert_int_eq(occam_gg_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_gg_set_params(m, 6.25, 3.74, 15.44), OCCAM_OK);
    return m;
}

static void expect_unit(const occam_model *m, int unit, double days)
{
    int u = -1;
    double d = 0;
    ck_assert_int_eq(occam_model_time_unit(m, &u, &d), OCCAM_OK);
    ck_assert_int_eq(u, unit);
    if (isnan(days)) ck_assert(isnan(d));
    else ck_assert(d == days);
}

/* The calibration end's time and text ("" when none). */
static void expect_cal_end(const occam_model *m, double t, const char *text)
{
    double got = 0;
    size_t need = 0;
    ck_assert_int_eq(occam_model_calibration_end(m, &got, NULL, 0, &need), OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(need, strlen(text) + 1);
    char *buf = malloc(need);
    ck_assert_int_eq(occam_model_calibration_end(m, &got, buf, need, NULL), OCCAM_OK);
    ck_assert_str_eq(buf, text);
    free(buf);
    if (isnan(t)) ck_assert(isnan(got));
    else ck_assert(got == t);
}

START_TEST(test_set_get)
{
    occam_model *m = pnbd_given();
    expect_unit(m, OCCAM_UNIT_UNKNOWN, NAN);
    expect_cal_end(m, NAN, "");
    ck_assert_int_eq(occam_model_set_time_unit(m, OCCAM_UNIT_WEEKS, 123), OCCAM_OK); /* length ignored */
    expect_unit(m, OCCAM_UNIT_WEEKS, 7);
    ck_assert_int_eq(occam_model_set_time_unit(m, OCCAM_UNIT_DAYS, NAN), OCCAM_OK);
    expect_unit(m, OCCAM_UNIT_DAYS, 1);
    ck_assert_int_eq(occam_model_set_time_unit(m, OCCAM_UNIT_OTHER, 30.4375), OCCAM_OK);
    expect_unit(m, OCCAM_UNIT_OTHER, 30.4375);
    ck_assert_int_eq(occam_model_set_time_unit(m, OCCAM_UNIT_OTHER, NAN), OCCAM_OK);
    expect_unit(m, OCCAM_UNIT_OTHER, NAN);
    /* bad values: the status, and the unit unchanged */
    ck_assert_int_eq(occam_model_set_time_unit(m, OCCAM_UNIT_WEEKS, 0), OCCAM_OK);
    const double bad[3] = {0.0, -7.0, INFINITY};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(occam_model_set_time_unit(m, OCCAM_UNIT_OTHER, bad[i]), OCCAM_E_DOMAIN);
        ck_assert(strstr(occam_last_error(), "days") != NULL);
    }
    ck_assert_int_eq(occam_model_set_time_unit(m, 4, 1), OCCAM_E_UNKNOWN_ENUM);
    ck_assert_int_eq(occam_model_set_time_unit(m, -1, 1), OCCAM_E_UNKNOWN_ENUM);
    expect_unit(m, OCCAM_UNIT_WEEKS, 7);
    ck_assert_int_eq(occam_model_set_time_unit(NULL, OCCAM_UNIT_WEEKS, 7), OCCAM_E_NULL);
    ck_assert_int_eq(occam_model_time_unit(NULL, NULL, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_model_time_unit(m, NULL, NULL), OCCAM_OK);

    ck_assert_int_eq(occam_model_set_calibration_end(m, 1447.7142857142858, "1997-09-30"), OCCAM_OK);
    expect_cal_end(m, 1447.7142857142858, "1997-09-30");
    char small[4];
    ck_assert_int_eq(occam_model_calibration_end(m, NULL, small, sizeof small, NULL), OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert_int_eq(occam_model_set_calibration_end(m, INFINITY, "x"), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_model_set_calibration_end(m, 1, "bad \xff byte"), OCCAM_E_INVALID_ARG);
    ck_assert(strstr(occam_last_error(), "UTF-8") != NULL);
    char *longer = malloc(OCCAM_NAME_MAX + 2);
    memset(longer, 'a', OCCAM_NAME_MAX + 1);
    longer[OCCAM_NAME_MAX + 1] = '\0';
    ck_assert_int_eq(occam_model_set_calibration_end(m, 1, longer), OCCAM_E_INVALID_ARG);
    free(longer);
    expect_cal_end(m, 1447.7142857142858, "1997-09-30"); /* unchanged */
    ck_assert_int_eq(occam_model_set_calibration_end(m, 39, ""), OCCAM_OK); /* "" is no text */
    expect_cal_end(m, 39, "");
    ck_assert_int_eq(occam_model_set_calibration_end(m, NAN, NULL), OCCAM_OK);
    expect_cal_end(m, NAN, "");
    ck_assert_int_eq(occam_model_set_calibration_end(NULL, 1, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_model_calibration_end(NULL, NULL, NULL, 0, NULL), OCCAM_E_NULL);

    ck_assert_str_eq(occam_time_unit_name(OCCAM_UNIT_WEEKS), "weeks");
    ck_assert_str_eq(occam_time_unit_name(OCCAM_UNIT_DAYS), "days");
    ck_assert_str_eq(occam_time_unit_name(OCCAM_UNIT_OTHER), "other");
    ck_assert_str_eq(occam_time_unit_name(OCCAM_UNIT_UNKNOWN), "unknown");
    ck_assert_ptr_null(occam_time_unit_name(9));
    occam_model_free(m);

    /* linear models and GLMs have no context */
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_model_set_time_unit(m, OCCAM_UNIT_WEEKS, 7), OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_model_time_unit(m, NULL, NULL), OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_model_set_calibration_end(m, 1, NULL), OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_model_calibration_end(m, NULL, NULL, 0, NULL), OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_model_check_time_unit(m, OCCAM_UNIT_WEEKS, 7), OCCAM_E_WRONG_MODEL);
    occam_model_free(m);
}
END_TEST

START_TEST(test_check_time_unit)
{
    occam_model *m = pnbd_given();
    ck_assert_int_eq(occam_model_check_time_unit(m, OCCAM_UNIT_DAYS, 1), OCCAM_OK); /* model unit unknown */
    ck_assert_int_eq(occam_model_set_time_unit(m, OCCAM_UNIT_WEEKS, 7), OCCAM_OK);
    ck_assert_int_eq(occam_model_check_time_unit(m, OCCAM_UNIT_WEEKS, NAN), OCCAM_OK);
    ck_assert_int_eq(occam_model_check_time_unit(m, OCCAM_UNIT_UNKNOWN, NAN), OCCAM_OK);
    ck_assert_int_eq(occam_model_check_time_unit(m, OCCAM_UNIT_OTHER, 7), OCCAM_OK); /* the same length */
    ck_assert_int_eq(occam_model_check_time_unit(m, OCCAM_UNIT_DAYS, NAN), OCCAM_E_INVALID_ARG);
    ck_assert_str_eq(occam_last_error(), "the model's time unit is weeks (7 days per unit), the data's days "
                                         "(1 day per unit)");
    ck_assert_int_eq(occam_model_check_time_unit(m, OCCAM_UNIT_OTHER, 30.4375), OCCAM_E_INVALID_ARG);
    ck_assert(strstr(occam_last_error(), "other (30.4375 days per unit)") != NULL);
    ck_assert_int_eq(occam_model_check_time_unit(m, OCCAM_UNIT_OTHER, NAN), OCCAM_E_INVALID_ARG);
    ck_assert(strstr(occam_last_error(), "other (length unknown)") != NULL);
    ck_assert_int_eq(occam_model_check_time_unit(m, OCCAM_UNIT_OTHER, -1), OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam_model_check_time_unit(m, 7, 1), OCCAM_E_UNKNOWN_ENUM);
    ck_assert_int_eq(occam_model_set_time_unit(m, OCCAM_UNIT_OTHER, NAN), OCCAM_OK);
    ck_assert_int_eq(occam_model_check_time_unit(m, OCCAM_UNIT_OTHER, NAN), OCCAM_OK);
    ck_assert_int_eq(occam_model_check_time_unit(m, OCCAM_UNIT_WEEKS, NAN), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_model_check_time_unit(NULL, OCCAM_UNIT_WEEKS, NAN), OCCAM_E_NULL);
    occam_model_free(m);
}
END_TEST

/* Fits and given parameters keep the context (it describes the data, not the fit). */
START_TEST(test_fit_keeps_context)
{
    tu_csv s = tu_load_csv("format_1_1/summary.csv");
    double *X = malloc((size_t)(3 * s.nrows) * sizeof(double));
    for (int j = 0; j < 3; j++)
        memcpy(X + j * s.nrows, tu_csv_column(&s, j + 1), (size_t)s.nrows * sizeof(double));
    occam_model *m = NULL;
    ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_model_set_time_unit(m, OCCAM_UNIT_WEEKS, 7), OCCAM_OK);
    ck_assert_int_eq(occam_model_set_calibration_end(m, 39, "week 39"), OCCAM_OK);
    ck_assert_int_ge(occam_model_fit(m, NULL, X, s.nrows, 3, s.nrows, OCCAM_COL_MAJOR, NULL, NULL, NULL), 0);
    expect_unit(m, OCCAM_UNIT_WEEKS, 7);
    expect_cal_end(m, 39, "week 39");
    ck_assert_int_eq(occam_pnbd_set_params(m, 1, 2, 3, 4), OCCAM_OK);
    expect_unit(m, OCCAM_UNIT_WEEKS, 7);
    occam_model_free(m);
    ck_assert_int_eq(occam_gg_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_model_set_time_unit(m, OCCAM_UNIT_DAYS, 1), OCCAM_OK);
    ck_assert_int_eq(occam_gg_set_params(m, 6.25, 3.74, 15.44), OCCAM_OK);
    expect_unit(m, OCCAM_UNIT_DAYS, 1);
    occam_model_free(m);
    free(X);
    tu_csv_free(&s);
}
END_TEST

static unsigned char *serialize(const occam_model *m, size_t *len)
{
    size_t need = 0;
    ck_assert_int_eq(occam_model_serialize(m, NULL, 0, &need), OCCAM_E_BUFFER_TOO_SMALL);
    unsigned char *buf = malloc(need);
    ck_assert_int_eq(occam_model_serialize(m, buf, need, len), OCCAM_OK);
    return buf;
}

static occam_model *deserialize(const unsigned char *buf, size_t len)
{
    occam_model *r = NULL;
    int rc = occam_model_deserialize(buf, len, &r);
    ck_assert_msg(rc == OCCAM_OK, "deserialize: %s", occam_last_error());
    return r;
}

START_TEST(test_round_trip)
{
    const int units[4] = {OCCAM_UNIT_WEEKS, OCCAM_UNIT_DAYS, OCCAM_UNIT_OTHER, OCCAM_UNIT_OTHER};
    const double days[4] = {7, 1, 30.4375, NAN};
    for (int kind = 0; kind < 2; kind++)
        for (int i = 0; i < 4; i++) {
            occam_model *m = given_model(kind);
            ck_assert_int_eq(occam_model_set_time_unit(m, units[i], days[i]), OCCAM_OK);
            if (i != 1) ck_assert_int_eq(occam_model_set_calibration_end(m, 1447.25 + i, i == 3 ? NULL : "1997-09-30 \xc3\xa9"),
                                         OCCAM_OK);
            size_t len;
            unsigned char *buf = serialize(m, &len);
            ck_assert_int_eq(buf[8] | buf[9] << 8, 1);
            ck_assert_int_eq(buf[10] | buf[11] << 8, 2); /* format 1.2 */
            occam_model *r = deserialize(buf, len);
            expect_unit(r, units[i], days[i]);
            expect_cal_end(r, i == 1 ? NAN : 1447.25 + i, i == 1 || i == 3 ? "" : "1997-09-30 \xc3\xa9");
            size_t len2;
            unsigned char *buf2 = serialize(r, &len2);
            ck_assert(len2 == len && memcmp(buf, buf2, len) == 0);
            free(buf2);
            free(buf);
            occam_model_free(r);
            occam_model_free(m);
        }
    /* the unknown context round-trips as unknown */
    occam_model *m = pnbd_given();
    size_t len;
    unsigned char *buf = serialize(m, &len);
    occam_model *r = deserialize(buf, len);
    expect_unit(r, OCCAM_UNIT_UNKNOWN, NAN);
    expect_cal_end(r, NAN, "");
    occam_model_free(r);
    occam_model_free(m);
    free(buf);
}
END_TEST

/* ------------------------------------------------ the format 1.1 fixtures */

static occam_model *load_fixture(const char *name)
{
    char rel[128];
    snprintf(rel, sizeof rel, "format_1_1/%s", name);
    char *path = tu_data_path(rel);
    occam_model *m = NULL;
    int rc = occam_model_load(path, &m);
    ck_assert_msg(rc == OCCAM_OK, "%s: %s", path, occam_last_error());
    free(path);
    expect_unit(m, OCCAM_UNIT_UNKNOWN, NAN);
    expect_cal_end(m, NAN, "");
    return m;
}

/* The predictions (type, arg) of m on the fixture input, whose columns
 * named cols are X; n rows.  The caller frees the result. */
static double *predict_fixture(const occam_model *m, const char *input, const char *const *cols, int p, int type,
                               double arg, int64_t *n)
{
    char rel[128];
    snprintf(rel, sizeof rel, "format_1_1/%s", input);
    tu_csv in = tu_load_csv(rel);
    ck_assert_int_eq(in.nrows, 300);
    double *X = malloc((size_t)(p * in.nrows) * sizeof(double)), *out = malloc((size_t)in.nrows * sizeof(double));
    for (int j = 0; j < p; j++) {
        int64_t c = tu_csv_col(&in, cols[j]);
        ck_assert_int_ge(c, 0);
        memcpy(X + j * in.nrows, tu_csv_column(&in, c), (size_t)in.nrows * sizeof(double));
    }
    ck_assert_int_eq(occam_model_predict(m, type, arg, X, in.nrows, p, in.nrows, OCCAM_COL_MAJOR, NULL, out, NULL,
                                         in.nrows),
                     OCCAM_OK);
    *n = in.nrows;
    free(X);
    tu_csv_free(&in);
    return out;
}

/* Predictions of the fixture model on the fixture input (columns named
 * cols) against the CSV the format 1.1 binary wrote: bit-identical, except
 * DERT (rel_tol > 0): its Tricomi part at z < 1 is interpolated since
 * the format 1.1 binary (tricomi_u.h; check_tricomi_u asserts 1e-13 vs
 * mpmath), so it agrees to rel_tol = 1e-13.  The file format's part of the
 * promise, the same model whichever format it was read from, is checked
 * bitwise by expect_resaved_same. */
static void expect_same(const occam_model *m, const char *input, const char *const *cols, int p, int type,
                        double arg, const char *expected, double rel_tol)
{
    int64_t n;
    double *out = predict_fixture(m, input, cols, p, type, arg, &n);
    char rel[128];
    snprintf(rel, sizeof rel, "format_1_1/%s", expected);
    tu_csv ex = tu_load_csv(rel);
    ck_assert_int_eq(ex.nrows, n);
    const double *want = tu_csv_column(&ex, tu_csv_col(&ex, "prediction"));
    for (int64_t i = 0; i < n; i++)
        if (rel_tol > 0)
            ck_assert_msg(fabs(out[i] - want[i]) <= rel_tol * fabs(want[i]),
                          "%s row %lld: %.17g, the 1.1 binary %.17g (rel tol %g)", expected, (long long)i + 1,
                          out[i], want[i], rel_tol);
        else
            ck_assert_msg(memcmp(&out[i], &want[i], sizeof out[i]) == 0, "%s row %lld: %.17g, the 1.1 binary %.17g",
                          expected, (long long)i + 1, out[i], want[i]);
    free(out);
    tu_csv_free(&ex);
}

/* The format 1.1 model and its copy written in the current format predict
 * bit for bit the same. */
static void expect_resaved_same(const occam_model *m, const char *input, const char *const *cols, int p, int type,
                                double arg)
{
    size_t len;
    unsigned char *buf = serialize(m, &len);
    occam_model *r = deserialize(buf, len);
    int64_t n, n2;
    double *a = predict_fixture(m, input, cols, p, type, arg, &n), *b = predict_fixture(r, input, cols, p, type, arg, &n2);
    ck_assert_int_eq(n, n2);
    for (int64_t i = 0; i < n; i++)
        ck_assert_msg(memcmp(&a[i], &b[i], sizeof a[i]) == 0, "%s row %lld: the 1.1 file %.17g, re-saved %.17g", input,
                      (long long)i + 1, a[i], b[i]);
    free(a);
    free(b);
    free(buf);
    occam_model_free(r);
}

START_TEST(test_format_1_1_fixtures)
{
    static const char *const pn[3] = {"x", "t_x", "T"}, *const gg[2] = {"x", "m_x"};
    static const char *const models[2] = {"pnbd_summary", "pnbd_events"}, *const inputs[2] = {"summary.csv",
                                                                                               "events_summary.csv"};
    for (int k = 0; k < 2; k++) {
        char file[64], ex[64];
        snprintf(file, sizeof file, "%s.occam", models[k]);
        occam_model *m = load_fixture(file);
        snprintf(ex, sizeof ex, "%s_palive.csv", models[k]);
        expect_same(m, inputs[k], pn, 3, OCCAM_PREDICT_PALIVE, 0, ex, 0);
        snprintf(ex, sizeof ex, "%s_expected52.csv", models[k]);
        expect_same(m, inputs[k], pn, 3, OCCAM_PREDICT_EXPECTED, 52, ex, 0);
        snprintf(ex, sizeof ex, "%s_dert.csv", models[k]);
        expect_same(m, inputs[k], pn, 3, OCCAM_PREDICT_DERT, 0.0026877, ex, 1e-13);
        expect_resaved_same(m, inputs[k], pn, 3, OCCAM_PREDICT_DERT, 0.0026877);
        occam_model_free(m);
    }
    occam_model *m = load_fixture("gg_spend.occam");
    expect_same(m, "spend.csv", gg, 2, OCCAM_PREDICT_SPEND, 0, "gg_spend_spend.csv", 0);
    occam_model_free(m);
}
END_TEST

/* ------------------------------------------------- bad context fields */

static void fix_crc(unsigned char *b, size_t len)
{
    uint32_t c = (uint32_t)crc32(0L, b, (uInt)(len - 4));
    for (int i = 0; i < 4; i++) b[len - 4 + i] = (unsigned char)(c >> (8 * i));
}

/* Offset of field `tag`'s data in a model file (fails when absent). */
static size_t field_data(const unsigned char *b, size_t len, uint32_t tag)
{
    size_t at = 28;
    while (at + 16 <= len - 4) {
        uint32_t t = 0, type = b[at + 4];
        uint64_t count = 0;
        for (int i = 3; i >= 0; i--) t = t << 8 | b[at + i];
        for (int i = 7; i >= 0; i--) count = count << 8 | b[at + 8 + i];
        if (t == tag) return at + 16;
        at += 16 + (type == 3 ? count : 8 * count);
    }
    ck_abort_msg("no field %u", (unsigned)tag);
    return 0;
}

static void expect_format_error(const unsigned char *orig, size_t len, uint32_t tag, size_t at, const void *bytes,
                                size_t n, const char *what)
{
    unsigned char *b = malloc(len);
    memcpy(b, orig, len);
    memcpy(b + field_data(b, len, tag) + at, bytes, n);
    fix_crc(b, len);
    occam_model *r = NULL;
    int rc = occam_model_deserialize(b, len, &r);
    ck_assert_msg(rc == OCCAM_E_FORMAT, "%s: %s", what, occam_status_name(rc));
    ck_assert_ptr_null(r);
    ck_assert(strstr(occam_last_error(), "field") != NULL);
    free(b);
}

START_TEST(test_bad_values_rejected)
{
    for (int kind = 0; kind < 2; kind++) {
        occam_model *m = given_model(kind);
        uint32_t t0 = kind == 0 ? 310 : 410;
        ck_assert_int_eq(occam_model_set_time_unit(m, OCCAM_UNIT_WEEKS, 7), OCCAM_OK);
        ck_assert_int_eq(occam_model_set_calibration_end(m, 1447.5, "1997-09-30"), OCCAM_OK);
        size_t len;
        unsigned char *buf = serialize(m, &len);
        const int64_t unit4 = 4, unitm1 = -1, other = OCCAM_UNIT_OTHER, unknown = OCCAM_UNIT_UNKNOWN;
        const double three = 3, zero = 0, inf = INFINITY;
        expect_format_error(buf, len, t0, 0, &unit4, 8, "unit 4");
        expect_format_error(buf, len, t0, 0, &unitm1, 8, "unit -1");
        expect_format_error(buf, len, t0 + 1, 0, &three, 8, "weeks of 3 days");
        expect_format_error(buf, len, t0 + 1, 8, &inf, 8, "calibration end +Inf");
        expect_format_error(buf, len, t0, 0, &unknown, 8, "unknown unit of 7 days");
        expect_format_error(buf, len, t0 + 2, 3, "\xff", 1, "text not UTF-8");
        expect_format_error(buf, len, t0 + 2, 3, "", 1, "text with a NUL");
        /* other: 7 days is fine, 0 days is not */
        unsigned char *b = malloc(len);
        memcpy(b, buf, len);
        memcpy(b + field_data(b, len, t0), &other, 8);
        fix_crc(b, len);
        occam_model *r = deserialize(b, len);
        expect_unit(r, OCCAM_UNIT_OTHER, 7);
        occam_model_free(r);
        expect_format_error(b, len, t0 + 1, 0, &zero, 8, "other of 0 days");
        free(b);
        /* a field of the wrong type or count */
        const int64_t f64type = 1;
        expect_format_error(buf, len, t0, -16 + 4, &f64type, 4, "unit as f64");
        /* every proper prefix is rejected; every bit flip after the version is caught */
        for (size_t cut = 0; cut < len; cut++) {
            unsigned char *copy = malloc(cut ? cut : 1);
            memcpy(copy, buf, cut);
            occam_model *x = NULL;
            ck_assert_int_eq(occam_model_deserialize(copy, cut, &x), OCCAM_E_FORMAT);
            free(copy);
        }
        for (size_t i = 12; i < len; i++)
            for (int bit = 0; bit < 8; bit++) {
                buf[i] ^= (unsigned char)(1u << bit);
                occam_model *x = NULL;
                int rc = occam_model_deserialize(buf, len, &x);
                ck_assert_msg(rc == OCCAM_E_CHECKSUM || rc == OCCAM_E_FORMAT, "byte %zu bit %d", i, bit);
                buf[i] ^= (unsigned char)(1u << bit);
            }
        free(buf);
        occam_model_free(m);
    }
}
END_TEST

static Suite *context_suite(void)
{
    Suite *s = suite_create("context");
    TCase *tc = tcase_create("time unit and calibration end");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_set_get);
    tcase_add_test(tc, test_check_time_unit);
    tcase_add_test(tc, test_fit_keeps_context);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_format_1_1_fixtures);
    tcase_add_test(tc, test_bad_values_rejected);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(context_suite()); }
