/*
 * check_pnbd_io.c -- lib/pnbd_io.c: Pareto/NBD models through the model file
 * format (issue 4 item 5): a fitted CDNOW model, a model with given
 * parameters and an unfitted one round-trip, and the reloaded model predicts
 * bit-identically (every prediction type on all 2,357 customers) with the
 * same coefficient table and fit statistics; corrupted Pareto/NBD fields (with
 * a valid checksum) are rejected with OCCAM_E_FORMAT.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "testutil.h"
#include "occam.h"

static double *load_cdnow(int64_t *n)
{
    char *path = tu_data_path("../../data/cdnow_summary.csv");
    FILE *f = fopen(path, "r");
    ck_assert(f != NULL);
    char line[128];
    ck_assert(fgets(line, sizeof line, f) != NULL);
    double *X = malloc(3000 * 3 * sizeof(double));
    long id;
    int64_t i = 0;
    while (i < 3000 && fscanf(f, "%ld,%lf,%lf,%lf", &id, &X[3 * i], &X[3 * i + 1], &X[3 * i + 2]) == 4) i++;
    fclose(f);
    free(path);
    *n = i;
    return X;
}

static occam_model *round_trip(const occam_model *m, unsigned char **bufp, size_t *lenp)
{
    size_t need = 0;
    ck_assert_int_eq(occam_model_serialize(m, NULL, 0, &need), OCCAM_E_BUFFER_TOO_SMALL);
    unsigned char *buf = malloc(need);
    ck_assert_int_eq(occam_model_serialize(m, buf, need, &need), OCCAM_OK);
    occam_model *m2 = NULL;
    int rc = occam_model_deserialize(buf, need, &m2);
    ck_assert_msg(rc == OCCAM_OK, "deserialize: %d %s", rc, occam_last_error());
    if (bufp) {
        *bufp = buf;
        *lenp = need;
    } else {
        free(buf);
    }
    return m2;
}

static void same_predictions(const occam_model *a, const occam_model *b, const double *X, int64_t n)
{
    const int types[5] = {OCCAM_PREDICT_PALIVE, OCCAM_PREDICT_EXPECTED, OCCAM_PREDICT_LOGLIK,
                          OCCAM_PREDICT_EXPECTED_NEW, OCCAM_PREDICT_PROB_N};
    double *pa = malloc((size_t)n * sizeof(double)), *pb = malloc((size_t)n * sizeof(double));
    for (int t = 0; t < 5; t++) {
        int64_t m = types[t] == OCCAM_PREDICT_PROB_N ? 200 : n; /* quadrature per row: a subset */
        ck_assert_int_eq(occam_model_predict(a, types[t], 39.0, X, m, 3, 3, OCCAM_ROW_MAJOR, NULL, pa, NULL, n), 0);
        ck_assert_int_eq(occam_model_predict(b, types[t], 39.0, X, m, 3, 3, OCCAM_ROW_MAJOR, NULL, pb, NULL, n), 0);
        ck_assert_msg(memcmp(pa, pb, (size_t)m * sizeof(double)) == 0, "type %d differs after the round trip", types[t]);
    }
    free(pa);
    free(pb);
}

START_TEST(test_fitted_round_trip)
{
    int64_t n;
    double *X = load_cdnow(&n);
    occam_model *m;
    occam_pnbd_new(&m);
    ck_assert_int_eq(occam_model_fit(m, NULL, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_OK);
    occam_model *m2 = round_trip(m, NULL, NULL);
    ck_assert_int_eq(occam_model_kind(m2), OCCAM_MODEL_PNBD);
    same_predictions(m, m2, X, n);
    for (int col = OCCAM_COEF_ESTIMATE; col <= OCCAM_COEF_STD_ERROR; col++) {
        double a[4], b[4];
        occam_model_coef(m, col, a, 4);
        occam_model_coef(m2, col, b, 4);
        ck_assert(memcmp(a, b, sizeof a) == 0);
    }
    double va[16], vb[16];
    occam_model_vcov(m, va, 4);
    occam_model_vcov(m2, vb, 4);
    ck_assert(memcmp(va, vb, sizeof va) == 0);
    const int keys[6] = {OCCAM_INFO_LOGLIK, OCCAM_INFO_ITER, OCCAM_INFO_CONVERGED, OCCAM_INFO_GRAD_NORM,
                         OCCAM_INFO_NOBS, OCCAM_INFO_AIC};
    for (int k = 0; k < 6; k++) {
        double a, b;
        ck_assert_int_eq(occam_model_info(m, keys[k], &a), OCCAM_OK);
        ck_assert_int_eq(occam_model_info(m2, keys[k], &b), OCCAM_OK);
        ck_assert(a == b);
    }
    char name[8];
    occam_model_column_name(m2, 1, name, sizeof name, NULL);
    ck_assert_str_eq(name, "t_x");
    occam_model_free(m2);
    occam_model_free(m);
    free(X);
}
END_TEST

START_TEST(test_params_and_unfitted_round_trip)
{
    int64_t n;
    double *X = load_cdnow(&n);
    occam_model *m;
    occam_pnbd_new(&m);
    occam_model *u = round_trip(m, NULL, NULL); /* unfitted */
    ck_assert_int_eq(occam_model_is_fitted(u), 0);
    char name[8];
    occam_model_column_name(u, 2, name, sizeof name, NULL);
    ck_assert_str_eq(name, "T");
    occam_pnbd_set_params(m, 0.553, 10.578, 0.606, 11.669);
    occam_model *m2 = round_trip(m, NULL, NULL);
    same_predictions(m, m2, X, n);
    double v;
    ck_assert_int_eq(occam_model_info(m2, OCCAM_INFO_LOGLIK, &v), OCCAM_E_WRONG_MODEL);
    occam_model_free(u);
    occam_model_free(m2);
    occam_model_free(m);
    free(X);
}
END_TEST

/* Find the field with tag `tag` in a serialized model; offset of its data. */
static size_t field_data(const unsigned char *b, size_t len, uint32_t tag)
{
    size_t off = 28;
    while (off + 16 <= len - 4) {
        uint32_t t = b[off] | b[off + 1] << 8 | b[off + 2] << 16 | (uint32_t)b[off + 3] << 24;
        uint32_t type = b[off + 4];
        uint64_t count = 0;
        for (int i = 7; i >= 0; i--) count = count << 8 | b[off + 8 + i];
        if (t == tag) return off + 16;
        off += 16 + (size_t)count * (type == 3 ? 1 : 8);
    }
    ck_abort_msg("tag %u not found", (unsigned)tag);
    return 0;
}

static void fix_crc(unsigned char *b, size_t len)
{
    uint32_t c = (uint32_t)crc32(0L, b, (uInt)(len - 4));
    for (int i = 0; i < 4; i++) b[len - 4 + i] = (unsigned char)(c >> (8 * i));
}

START_TEST(test_corrupt_fields)
{
    occam_model *m;
    occam_pnbd_new(&m);
    occam_pnbd_set_params(m, 0.553, 10.578, 0.606, 11.669);
    unsigned char *buf;
    size_t len;
    occam_model *m2 = round_trip(m, &buf, &len);
    occam_model_free(m2);
    unsigned char *b = malloc(len);
    /* has_fit flag = 7 */
    memcpy(b, buf, len);
    b[field_data(b, len, 300)] = 7;
    fix_crc(b, len);
    ck_assert_int_eq(occam_model_deserialize(b, len, &m2), OCCAM_E_FORMAT);
    ck_assert_ptr_null(m2);
    /* a negative parameter (estimate field, tag 8): r = -0.553 */
    memcpy(b, buf, len);
    b[field_data(b, len, 8) + 7] |= 0x80;
    fix_crc(b, len);
    ck_assert_int_eq(occam_model_deserialize(b, len, &m2), OCCAM_E_FORMAT);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "Pareto/NBD parameter 1"));
    /* without the checksum fix the CRC catches it */
    memcpy(b, buf, len);
    b[field_data(b, len, 301)] ^= 1;
    ck_assert_int_eq(occam_model_deserialize(b, len, &m2), OCCAM_E_CHECKSUM);
    free(b);
    free(buf);
    occam_model_free(m);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pnbd_io");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_fitted_round_trip);
    tcase_add_test(tc, test_params_and_unfitted_round_trip);
    tcase_add_test(tc, test_corrupt_fields);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
