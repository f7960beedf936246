/*
 * check_glm_io.c -- GLM serialization (lib/glm_io.c):
 *  - every reference case round-trips: coefficient table, vcov, aliased
 *    flags, every info key, every per-row result and the conditions are
 *    bit-identical after occam_model_deserialize, and link/response
 *    predictions with standard errors are bit-identical (the issue's
 *    "a round trip predicts bit-identically"); the reloaded model still
 *    matches R's deviance (1e-8);
 *  - an unfitted GLM round-trips its family and link;
 *  - an invalid family/link pair or a truncated per-row field in otherwise
 *    well-formed data (CRC recomputed) is OCCAM_E_FORMAT.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "glm_case.h"

static char *cases[GLM_MAX_CASES];
static int ncases;

static unsigned char *serialize(const occam_model *m, size_t *len)
{
    ck_assert_int_eq(occam_model_serialize(m, NULL, 0, len), OCCAM_E_BUFFER_TOO_SMALL);
    unsigned char *buf = malloc(*len);
    ck_assert_int_eq(occam_model_serialize(m, buf, *len, len), OCCAM_OK);
    return buf;
}

static void same_bits(const double *a, const double *b, int64_t n, const char *what)
{
    ck_assert_msg(memcmp(a, b, (size_t)n * sizeof(double)) == 0, "%s differs after the round trip", what);
}

START_TEST(test_round_trip)
{
    glm_case c = glm_load_case(cases[_i]);
    occam_model *m, *r;
    int rc = glm_fit_case_keep(&c, OCCAM_SOLVER_QR, 1, 1, &m); /* OCCAM_OPT_KEEP_DATA: the rows in the file */
    ck_assert_msg(rc >= 0, "%s: %s", c.id, occam_last_error());
    size_t len, len2;
    unsigned char *buf = serialize(m, &len);
    ck_assert_int_eq(occam_model_deserialize(buf, len, &r), OCCAM_OK);
    unsigned char *again = serialize(r, &len2); /* a file with rows writes them again */
    ck_assert_msg(len2 == len && memcmp(buf, again, len) == 0, "%s: serialize(deserialize(b)) != b", c.id);
    free(again);
    int64_t k, k2, p;
    ck_assert_int_eq(occam_model_dims(m, &k, &p), OCCAM_OK);
    ck_assert_int_eq(occam_model_dims(r, &k2, NULL), OCCAM_OK);
    ck_assert_int_eq(k, k2);
    double *a = malloc((size_t)(k * k + c.n + 1) * sizeof(double)), *b = malloc((size_t)(k * k + c.n + 1) * sizeof(double));
    for (int col = OCCAM_COEF_ESTIMATE; col <= OCCAM_COEF_P_VALUE; col++) {
        ck_assert_int_eq(occam_model_coef(m, col, a, k), OCCAM_OK);
        ck_assert_int_eq(occam_model_coef(r, col, b, k), OCCAM_OK);
        same_bits(a, b, k, "coefficient table");
    }
    if (k > 0) {
        ck_assert_int_eq(occam_model_vcov(m, a, k), OCCAM_OK);
        ck_assert_int_eq(occam_model_vcov(r, b, k), OCCAM_OK);
        same_bits(a, b, k * k, "vcov");
    }
    for (int key = OCCAM_INFO_NOBS; key <= OCCAM_INFO_BOUNDARY; key++) {
        double x, y;
        int r1 = occam_model_info(m, key, &x), r2 = occam_model_info(r, key, &y);
        ck_assert_int_eq(r1, r2);
        if (r1 == OCCAM_OK) ck_assert_msg(memcmp(&x, &y, sizeof x) == 0, "info %d", key);
    }
    for (int w = OCCAM_ROWS_FITTED; w <= OCCAM_ROWS_PRIOR_WEIGHTS; w++) {
        ck_assert_int_eq(occam_model_rows(m, w, a, c.n), OCCAM_OK);
        ck_assert_int_eq(occam_model_rows(r, w, b, c.n), OCCAM_OK);
        same_bits(a, b, c.n, "per-row result");
    }
    int c1, c2;
    ck_assert_int_eq(occam_model_conditions(m, &c1), OCCAM_OK);
    ck_assert_int_eq(occam_model_conditions(r, &c2), OCCAM_OK);
    ck_assert_int_eq(c1, c2);
    double *se1 = malloc((size_t)c.n * sizeof(double)), *se2 = malloc((size_t)c.n * sizeof(double));
    for (int type = OCCAM_PREDICT_RESPONSE; type <= OCCAM_PREDICT_LINK; type++) {
        ck_assert_int_eq(occam_model_predict(m, type, 0, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR,
                                             c.has_off ? c.off : NULL, a, se1, c.n), OCCAM_OK);
        ck_assert_int_eq(occam_model_predict(r, type, 0, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR,
                                             c.has_off ? c.off : NULL, b, se2, c.n), OCCAM_OK);
        same_bits(a, b, c.n, "prediction");
        same_bits(se1, se2, c.n, "prediction standard error");
    }
    double dev;
    ck_assert_int_eq(occam_model_info(r, OCCAM_INFO_DEVIANCE, &dev), OCCAM_OK);
    TU_ASSERT_REL(dev, tu_json_num(tu_json_get(c.j, "deviance")), 1e-8, "reloaded deviance vs R");
    free(a), free(b), free(se1), free(se2), free(buf);
    occam_model_free(m);
    occam_model_free(r);
    glm_case_free(&c);
}
END_TEST

/* By default (OCCAM_OPT_KEEP_DATA = 0) the file holds no per-row data: it
 * is exactly the 5 x 8 bytes per row smaller than with them, the reloaded
 * model has no per-row results (OCCAM_E_WRONG_MODEL) and predicts the same
 * bits; the fit in memory keeps its rows. */
START_TEST(test_no_rows_by_default)
{
    glm_case c = glm_load_case(cases[_i]);
    occam_model *m, *keep, *r;
    ck_assert_msg(glm_fit_case(&c, OCCAM_SOLVER_QR, &m) >= 0, "%s: %s", c.id, occam_last_error());
    ck_assert_msg(glm_fit_case_keep(&c, OCCAM_SOLVER_QR, 1, 1, &keep) >= 0, "%s: %s", c.id, occam_last_error());
    size_t len, len_keep;
    unsigned char *buf = serialize(m, &len), *buf_keep = serialize(keep, &len_keep);
    ck_assert_msg(len_keep - len == (size_t)c.n * 5 * sizeof(double), "%s: %zu vs %zu bytes for %lld rows", c.id, len,
                  len_keep, (long long)c.n);
    ck_assert_int_eq(occam_model_deserialize(buf, len, &r), OCCAM_OK);
    double *a = malloc((size_t)(c.n + 1) * sizeof(double)), *b = malloc((size_t)(c.n + 1) * sizeof(double));
    ck_assert_int_eq(occam_model_rows(m, OCCAM_ROWS_FITTED, a, c.n), OCCAM_OK);
    ck_assert_int_eq(occam_model_rows(r, OCCAM_ROWS_FITTED, b, c.n), OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR,
                                         c.has_off ? c.off : NULL, a, NULL, c.n), OCCAM_OK);
    ck_assert_int_eq(occam_model_predict(r, OCCAM_PREDICT_RESPONSE, 0, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR,
                                         c.has_off ? c.off : NULL, b, NULL, c.n), OCCAM_OK);
    same_bits(a, b, c.n, "prediction");
    free(a), free(b), free(buf), free(buf_keep);
    occam_model_free(m);
    occam_model_free(keep);
    occam_model_free(r);
    glm_case_free(&c);
}
END_TEST

START_TEST(test_unfitted)
{
    occam_model *m, *r;
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_INVERSE_GAUSSIAN, OCCAM_LINK_LOG, &m), OCCAM_OK);
    size_t len;
    unsigned char *buf = serialize(m, &len);
    ck_assert_int_eq(occam_model_deserialize(buf, len, &r), OCCAM_OK);
    ck_assert_int_eq(occam_model_kind(r), OCCAM_MODEL_GLM);
    ck_assert_int_eq(occam_model_is_fitted(r), 0);
    /* it fits like a fresh model */
    const double X[4] = {1, 2, 3, 4}, y[4] = {1, 3, 2, 5};
    ck_assert_int_eq(occam_model_fit(r, NULL, X, 4, 1, 4, OCCAM_COL_MAJOR, y, NULL, NULL), OCCAM_OK);
    double v;
    ck_assert_int_eq(occam_model_info(r, OCCAM_INFO_LINK, &v), OCCAM_OK);
    ck_assert(v == OCCAM_LINK_LOG);
    free(buf);
    occam_model_free(m);
    occam_model_free(r);
}
END_TEST

/* Find the first field with this tag in serialized data (header 28 bytes,
 * fields: u32 tag, u32 type, u64 count, payload; trailer 4-byte CRC). */
static unsigned char *find_field(unsigned char *buf, size_t len, uint32_t tag)
{
    size_t pos = 28;
    while (pos + 16 <= len - 4) {
        uint32_t t = buf[pos] | buf[pos + 1] << 8 | buf[pos + 2] << 16 | (uint32_t)buf[pos + 3] << 24;
        uint32_t type = buf[pos + 4];
        uint64_t count = 0;
        for (int b = 7; b >= 0; b--) count = count << 8 | buf[pos + 8 + b];
        if (t == tag) return buf + pos;
        pos += 16 + (type == 3 ? count : 8 * count);
    }
    return NULL;
}

static void fix_crc(unsigned char *buf, size_t len)
{
    uint32_t crc = (uint32_t)crc32(0L, buf, (uInt)(len - 4));
    for (int b = 0; b < 4; b++) buf[len - 4 + b] = (unsigned char)(crc >> (8 * b));
}

START_TEST(test_bad_fields)
{
    glm_case c = glm_load_case("glm/dobson_poisson_log.json");
    occam_model *m, *r = (occam_model *)1;
    ck_assert_int_eq(glm_fit_case(&c, OCCAM_SOLVER_QR, &m), OCCAM_OK);
    size_t len;
    unsigned char *buf = serialize(m, &len);
    unsigned char *f = find_field(buf, len, 201); /* link */
    ck_assert_ptr_nonnull(f);
    f[16] = OCCAM_LINK_LOGIT; /* poisson with logit: not a valid pair */
    fix_crc(buf, len);
    ck_assert_int_eq(occam_model_deserialize(buf, len, &r), OCCAM_E_FORMAT);
    ck_assert_ptr_null(r);
    f[16] = OCCAM_LINK_LOG;
    fix_crc(buf, len);
    ck_assert_int_eq(occam_model_deserialize(buf, len, &r), OCCAM_OK);
    occam_model_free(r);
    f = find_field(buf, len, 223); /* mu: claim one row fewer */
    ck_assert_ptr_nonnull(f);
    f[8] = 8;
    /* the now-shorter field leaves 8 unparsed bytes: the reader must reject it */
    fix_crc(buf, len);
    ck_assert_int_eq(occam_model_deserialize(buf, len, &r), OCCAM_E_FORMAT);
    free(buf);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

int main(void)
{
    ncases = glm_list_cases(cases, GLM_MAX_CASES);
    Suite *s = suite_create("glm_io");
    TCase *tc = tcase_create("io");
    tcase_add_loop_test(tc, test_round_trip, 0, ncases);
    tcase_add_loop_test(tc, test_no_rows_by_default, 0, ncases);
    tcase_add_test(tc, test_unfitted);
    tcase_add_test(tc, test_bad_fields);
    suite_add_tcase(s, tc);
    int rc = tu_run_suite(s);
    for (int i = 0; i < ncases; i++) free(cases[i]);
    return rc;
}
