/*
 * check_model_design.c -- design metadata (lib/model_design.c): set, read
 * back, survive a fit and a file round trip, rejected input leaves the old
 * text, and a model without it reads "" (statuses as include/occam.h).
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "internal.h"

static const double X[6] = {1, 2, 3, 4, 5, 7};
static const double Y[6] = {2.1, 3.9, 6.2, 7.8, 10.1, 14.2};

static occam_model *fitted(void)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, X, 6, 1, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_OK);
    return m;
}

static char *design_of(const occam_model *m)
{
    size_t need = 0;
    ck_assert_int_eq(occam_model_design(m, NULL, 0, &need), OCCAM_E_BUFFER_TOO_SMALL);
    char *s = malloc(need);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(occam_model_design(m, s, need, NULL), OCCAM_OK);
    return s;
}

START_TEST(test_round_trip)
{
    occam_model *m = fitted();
    char *s = design_of(m);
    ck_assert_str_eq(s, "");
    free(s);
    const char *text = "formula\ty ~ f\nlevels\tf\tA\tB\xc3\xa9\n";
    ck_assert_int_eq(occam_model_set_design(m, text), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, X, 6, 1, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_OK);
    size_t need = 0;
    ck_assert_int_eq(occam_model_serialize(m, NULL, 0, &need), OCCAM_E_BUFFER_TOO_SMALL);
    unsigned char *buf = malloc(need);
    ck_assert_int_eq(occam_model_serialize(m, buf, need, &need), OCCAM_OK);
    occam_model *m2 = NULL;
    ck_assert_int_eq(occam_model_deserialize(buf, need, &m2), OCCAM_OK);
    s = design_of(m2);
    ck_assert_str_eq(s, text);
    free(s);
    ck_assert_int_eq(occam_model_set_design(m2, NULL), OCCAM_OK);
    s = design_of(m2);
    ck_assert_str_eq(s, "");
    free(s);
    free(buf);
    occam_model_free(m2);
    occam_model_free(m);
}
END_TEST

START_TEST(test_bad_input)
{
    occam_model *m = fitted();
    ck_assert_int_eq(occam_model_set_design(NULL, "x"), OCCAM_E_NULL);
    ck_assert_int_eq(occam_model_design(NULL, NULL, 0, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_model_set_design(m, "kept"), OCCAM_OK);
    ck_assert_int_eq(occam_model_set_design(m, "a\xff"), OCCAM_E_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "byte offset 1"));
    char small[3];
    ck_assert_int_eq(occam_model_design(m, small, sizeof small, NULL), OCCAM_E_BUFFER_TOO_SMALL);
    char *s = design_of(m);
    ck_assert_str_eq(s, "kept");
    free(s);
    occam_model_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model_design");
    TCase *tc = tcase_create("design metadata");
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_bad_input);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
