/*
 * check_linear_pass_io.c -- the fields of a linear pass contribution
 * (lib/linear_pass_io.c): each pass of R's weighted cars fit (tests/data/glm/
 * cars_weighted_gaussian_identity.json) written and read back keeps its
 * sums bit for bit (the scaled sums of squares with their exponents, the
 * gradient's chains), and a copy read back merges like the original:
 *  - the refinement pass's gradient after merging two read copies equals
 *    that of merging the originals, bit for bit (chains have no pending
 *    state);
 *  - the QR pass gives R's coefficients (1e-12) after the round trip;
 * and the pass number must fit the pass type (the residual pass is the
 * second or the third; the refinement the second): otherwise
 * OCCAM_E_FORMAT.  The refinement pass carries the covariance step's
 * X'WX chains (tags 111-112) bit for bit; one written before them
 * (tests/data/linear/refine_pass_before_cov.occp, the fuzz seed of that
 * time) reads without the step and writes the same bytes again; the step
 * on more than 16 coefficients is OCCAM_E_FORMAT.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "glm_case.h"
#include "linear_internal.h"
#include "stream_internal.h"

static const occam_linear_setup SU = {1, 1, 2, OCCAM_SOLVER_QR};

static occam_partial *pass(int64_t index, int type, const double *b, const glm_case *c, int64_t r0, int64_t r1)
{
    occam_linear_passdef pd = {index, type, type == OCCAM_LINEAR_PASS_QR ? 0 : 2, (double *)b, 40.0, 41.0,
                               type == OCCAM_LINEAR_PASS_REFINE};
    occam_partial *pt = NULL;
    ck_assert_int_eq(occam__linear_part_new(&SU, &pd, OCCAM_STREAM_WEIGHTS, &pt), OCCAM_OK);
    ck_assert_int_eq(occam_partial_add(pt, c->X + r0, r1 - r0, c->n, OCCAM_COL_MAJOR, c->y + r0, c->w + r0, NULL),
                     OCCAM_OK);
    return pt;
}

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

static const occam_linear_part *impl(const occam_partial *pt) { return pt->impl; }

START_TEST(test_round_trips)
{
    glm_case c = glm_load_case("glm/cars_weighted_gaussian_identity.json");
    double *rb = tu_json_array(tu_json_get(tu_json_get(c.j, "lm"), "coefficients"), NULL);
    const int64_t index[3] = {0, 1, 2};
    for (int type = OCCAM_LINEAR_PASS_QR; type <= OCCAM_LINEAR_PASS_RESID; type++) {
        occam_partial *a = pass(index[type - 1], type, rb, &c, 0, 20), *b = pass(index[type - 1], type, rb, &c, 20, c.n);
        occam_partial *a2 = reread(a), *b2 = reread(b);
        ck_assert(memcmp(&impl(a)->s, &impl(a2)->s, sizeof(occam_linear_sums)) == 0);
        ck_assert_int_eq(occam_partial_merge(a, b), OCCAM_OK);
        ck_assert_int_eq(occam_partial_merge(a2, b2), OCCAM_OK);
        if (type == OCCAM_LINEAR_PASS_REFINE) {
            ck_assert(memcmp(impl(a)->grad.s, impl(a2)->grad.s, 2 * OCCAM__GRAD_LANES * sizeof(double)) == 0);
            ck_assert(memcmp(impl(a)->grad.c, impl(a2)->grad.c, 2 * OCCAM__GRAD_LANES * sizeof(double)) == 0);
            ck_assert_int_eq(impl(a2)->pd.cov, 1);
            ck_assert(memcmp(impl(a)->gram.s, impl(a2)->gram.s, 3 * OCCAM__GRAD_LANES * sizeof(double)) == 0);
            ck_assert(memcmp(impl(a)->gram.c, impl(a2)->gram.c, 3 * OCCAM__GRAD_LANES * sizeof(double)) == 0);
        }
        if (type == OCCAM_LINEAR_PASS_RESID)
            ck_assert(memcmp(&impl(a)->s, &impl(a2)->s, sizeof(occam_linear_sums)) == 0);
        if (type == OCCAM_LINEAR_PASS_QR) {
            occam_lsq_result r;
            ck_assert_int_eq(occam__lsq_solve(impl(a2)->acc, 1e-10, &r), OCCAM_OK);
            for (int j = 0; j < 2; j++) TU_ASSERT_REL(r.coef[j], rb[j], 1e-12, "QR pass read back vs R");
            occam__lsq_result_free(&r);
        }
        occam_partial_free(a);
        occam_partial_free(b);
        occam_partial_free(a2);
        occam_partial_free(b2);
    }
    free(rb);
    glm_case_free(&c);
}
END_TEST

/* Pass numbers that do not fit the type. */
START_TEST(test_pass_numbers)
{
    glm_case c = glm_load_case("glm/cars_weighted_gaussian_identity.json");
    double b[2] = {1, 2};
    const struct {
        int64_t index;
        int type, ok;
    } cases[] = {{0, OCCAM_LINEAR_PASS_QR, 1}, {1, OCCAM_LINEAR_PASS_QR, 0}, {1, OCCAM_LINEAR_PASS_REFINE, 1},
                 {2, OCCAM_LINEAR_PASS_REFINE, 0}, {1, OCCAM_LINEAR_PASS_RESID, 1}, {2, OCCAM_LINEAR_PASS_RESID, 1},
                 {3, OCCAM_LINEAR_PASS_RESID, 0}, {0, OCCAM_LINEAR_PASS_RESID, 0}};
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        occam_partial *pt = pass(cases[t].index, cases[t].type, b, &c, 0, 5), *q = NULL;
        size_t len;
        unsigned char *bytes = bytes_of(pt, &len);
        int rc = occam_partial_deserialize(bytes, len, &q);
        ck_assert_msg(rc == (cases[t].ok ? OCCAM_OK : OCCAM_E_FORMAT), "pass %lld of type %d: %s",
                      (long long)cases[t].index, cases[t].type, occam_status_name(rc));
        free(bytes);
        occam_partial_free(pt);
        occam_partial_free(q);
    }
    glm_case_free(&c);
}
END_TEST

/* A refinement pass written before the covariance step. */
START_TEST(test_before_cov)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/linear/refine_pass_before_cov.occp", OCCAM_TEST_DATA);
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    unsigned char buf[4096];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    occam_partial *pt = NULL;
    ck_assert_int_eq(occam_partial_deserialize(buf, len, &pt), OCCAM_OK);
    ck_assert_int_eq(impl(pt)->pd.type, OCCAM_LINEAR_PASS_REFINE);
    ck_assert_int_eq(impl(pt)->pd.cov, 0);
    ck_assert_ptr_null(impl(pt)->gram.s);
    size_t len2;
    unsigned char *again = bytes_of(pt, &len2);
    ck_assert_uint_eq(len2, len);
    ck_assert(memcmp(again, buf, len) == 0);
    free(again);
    occam_partial_free(pt);
}
END_TEST

/* The covariance step's flag on 17 coefficients. */
START_TEST(test_cov_too_many_columns)
{
    const occam_linear_setup su = {1, 16, 17, OCCAM_SOLVER_QR};
    double b[17] = {0};
    occam_linear_passdef pd = {1, OCCAM_LINEAR_PASS_REFINE, 17, b, 0.0, 0.0, 1};
    occam_partial *pt = NULL, *q = NULL;
    ck_assert_int_eq(occam__linear_part_new(&su, &pd, 0, &pt), OCCAM_OK);
    size_t len;
    unsigned char *bytes = bytes_of(pt, &len);
    ck_assert_int_eq(occam_partial_deserialize(bytes, len, &q), OCCAM_E_FORMAT);
    ck_assert_msg(strstr(occam_last_error(), "covariance step") != NULL, "%s", occam_last_error());
    ck_assert_ptr_null(q);
    free(bytes);
    occam_partial_free(pt);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linear_pass_io");
    TCase *tc = tcase_create("fields");
    tcase_add_test(tc, test_round_trips);
    tcase_add_test(tc, test_pass_numbers);
    tcase_add_test(tc, test_before_cov);
    tcase_add_test(tc, test_cov_too_many_columns);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
