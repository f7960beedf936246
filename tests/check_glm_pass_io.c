/*
 * check_glm_pass_io.c -- the GLM pass contribution's fields
 * (lib/glm_pass_io.c): what a pass carries survives the round trip with
 * the same bits and the same behaviour --
 *  - a deferred R error ("0s in V(mu)", its row): reported after reading;
 *  - a non-finite deviance (eta = 800 overflows mu = exp(eta), the case
 *    R's step-halving rule 1 handles) and the invalid flag, bit for bit;
 *  - an accumulator in its rows form (2 rows) merged into one holding a QR
 *    factor gives the solve of merging the originals (relative 1e-13: the
 *    written copy has its pending block absorbed, so the blocks differ);
 * and a setup that disagrees with the header (columns) is OCCAM_E_FORMAT.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "glm_case.h"
#include "glm_internal.h"
#include "stream_internal.h"

static unsigned char *bytes_of(const occam_partial *pt, size_t *len)
{
    ck_assert_int_eq(occam_partial_serialize(pt, NULL, 0, len), OCCAM_E_BUFFER_TOO_SMALL);
    unsigned char *b = malloc(*len);
    ck_assert_int_eq(occam_partial_serialize(pt, b, *len, len), OCCAM_OK);
    return b;
}

static occam_partial *reread(const occam_partial *pt)
{
    size_t len;
    unsigned char *b = bytes_of(pt, &len);
    occam_partial *q = NULL;
    ck_assert_int_eq(occam_partial_deserialize(b, len, &q), OCCAM_OK);
    free(b);
    return q;
}

static const occam_glm_sums *sums(const occam_partial *pt) { return &((const occam_glm_part *)pt->impl)->s; }

START_TEST(test_deferred_error_and_infinite_deviance)
{
    occam_glm_setup su = {OCCAM_FAMILY_POISSON, OCCAM_LINK_IDENTITY, 1, 0, 1, OCCAM_SOLVER_QR};
    double b = 2.0, y[4] = {1, 2, 0, 3}, off[4] = {0, 0, -2, 0};
    occam_glm_passdef pd = {3, OCCAM_GLM_PASS_ITER, OCCAM_GLM_ACCUM, 1, &b, 0, NULL, 0.0, 0.0};
    occam_partial *pt = NULL;
    ck_assert_int_eq(occam__glm_part_new(&su, &pd, OCCAM_STREAM_OFFSET, &pt), OCCAM_OK);
    ck_assert_int_eq(occam_partial_add(pt, NULL, 4, 0, OCCAM_COL_MAJOR, y, NULL, off), OCCAM_OK);
    occam_partial *q = reread(pt);
    ck_assert_int_eq(sums(q)->acc_err, OCCAM__GLM_ERR_VAR_ZERO);
    ck_assert_int_eq(sums(q)->acc_err_row, 3);
    ck_assert(memcmp(sums(q), sums(pt), sizeof(occam_glm_sums)) == 0);
    occam_partial_free(pt);
    occam_partial_free(q);
    occam_glm_setup sl = {OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, 1, 0, 1, OCCAM_SOLVER_QR};
    b = 800.0;
    pd.flags = 0;
    ck_assert_int_eq(occam__glm_part_new(&sl, &pd, 0, &pt), OCCAM_OK);
    ck_assert_int_eq(occam_partial_add(pt, NULL, 4, 0, OCCAM_COL_MAJOR, y, NULL, NULL), OCCAM_OK);
    ck_assert(!isfinite(sums(pt)->deviance));
    ck_assert_int_eq(sums(pt)->valid, 0);
    q = reread(pt);
    ck_assert(memcmp(sums(q), sums(pt), sizeof(occam_glm_sums)) == 0);
    ck_assert_int_eq(sums(q)->valid, 0);
    ck_assert_int_eq(sums(q)->bad_mu, 1);
    occam_partial_free(pt);
    occam_partial_free(q);
}
END_TEST

START_TEST(test_rows_form_merges_alike)
{
    glm_case c = glm_load_case("glm/spector_binomial_logit.json");
    occam_glm_setup su = {c.family, OCCAM_LINK_LOGIT, 1, c.p, c.p + 1, OCCAM_SOLVER_QR};
    double *b = tu_json_array(tu_json_get(c.j, "coefficients"), NULL);
    occam_glm_passdef pd = {2, OCCAM_GLM_PASS_ITER, OCCAM_GLM_ACCUM, su.k, b, 0, NULL, 0.0, 0.0};
    occam_partial *big = NULL, *two = NULL;
    ck_assert_int_eq(occam__glm_part_new(&su, &pd, 0, &big), OCCAM_OK);
    ck_assert_int_eq(occam__glm_part_new(&su, &pd, 0, &two), OCCAM_OK);
    ck_assert_int_eq(occam_partial_add(big, c.X, 30, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL), OCCAM_OK);
    ck_assert_int_eq(occam_partial_add(two, c.X + 30, 2, c.n, OCCAM_COL_MAJOR, c.y + 30, NULL, NULL), OCCAM_OK);
    occam_partial *big2 = reread(big), *two2 = reread(two);
    ck_assert_int_eq(occam_partial_merge(big, two), OCCAM_OK);
    ck_assert_int_eq(occam_partial_merge(big2, two2), OCCAM_OK);
    occam_lsq_result r1, r2;
    ck_assert_int_eq(occam__lsq_solve(((occam_glm_part *)big->impl)->acc, 1e-11, &r1), OCCAM_OK);
    ck_assert_int_eq(occam__lsq_solve(((occam_glm_part *)big2->impl)->acc, 1e-11, &r2), OCCAM_OK);
    for (int64_t j = 0; j < su.k; j++) {
        TU_ASSERT_REL(r2.coef[j], r1.coef[j], 1e-13, "solve after reading");
        TU_ASSERT_REL(r2.cov_unscaled[j + j * su.k], r1.cov_unscaled[j + j * su.k], 1e-13, "cov.unscaled after reading");
    }
    occam__lsq_result_free(&r1);
    occam__lsq_result_free(&r2);
    /* a setup of other columns than the header's */
    size_t len;
    unsigned char *bytes = bytes_of(two, &len);
    for (size_t pos = 24; pos + 16 <= len - 4;) {
        uint32_t tag = (uint32_t)bytes[pos] | (uint32_t)bytes[pos + 1] << 8;
        uint64_t count = 0;
        for (int i = 7; i >= 0; i--) count = (count << 8) | bytes[pos + 8 + i];
        if (tag == 200) { /* setup p and k one larger: consistent, but not the header's p */
            bytes[pos + 16 + 3 * 8] += 1;
            bytes[pos + 16 + 4 * 8] += 1;
        }
        pos += 16 + (size_t)count * 8;
    }
    uint32_t crc = (uint32_t)crc32(0L, bytes, (uInt)(len - 4));
    for (int i = 0; i < 4; i++) bytes[len - 4 + i] = (unsigned char)(crc >> (8 * i));
    occam_partial *bad = NULL;
    ck_assert_int_eq(occam_partial_deserialize(bytes, len, &bad), OCCAM_E_FORMAT);
    ck_assert_msg(strstr(occam_last_error(), "column count") != NULL, "%s", occam_last_error());
    free(bytes);
    occam_partial_free(big);
    occam_partial_free(two);
    occam_partial_free(big2);
    occam_partial_free(two2);
    free(b);
    glm_case_free(&c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("glm_pass_io");
    TCase *tc = tcase_create("fields");
    tcase_add_test(tc, test_deferred_error_and_infinite_deviance);
    tcase_add_test(tc, test_rows_form_merges_alike);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
