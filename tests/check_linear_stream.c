/*
 * check_linear_stream.c -- the linear pass driver (lib/linear_stream.c):
 *  - 3 passes when the refinement step runs (R's lm(dist ~ speed) on cars:
 *    the streamed fit is R's, 1e-9 / 1e-7 as check_linear.c), 2 when it
 *    does not (two columns equal to 1e-14, eps cond(R) > 1e-3; the streamed
 *    fit equals the in-memory one, 1e-10);
 *  - OCCAM_E_NO_DATA for a first pass without rows or with only zero
 *    weights, OCCAM_E_DIM_MISMATCH for a pass with other rows,
 *    OCCAM_E_INVALID_ARG for no columns and no intercept.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm_case.h"
#include "stream_util.h"

START_TEST(test_three_passes)
{
    glm_case c = glm_load_case("glm/cars_gaussian_identity.json");
    su_data d = {c.X, c.n, c.p, c.y, NULL, NULL};
    occam_model *m = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    int64_t passes = 0;
    ck_assert_int_eq(su_stream_fit(m, NULL, &d, 4, &passes), OCCAM_OK);
    ck_assert_int_eq(passes, 3);
    double est[2], se[2], *rb = tu_json_array(tu_json_get(tu_json_get(c.j, "lm"), "coefficients"), NULL);
    double *rse = tu_json_array(tu_json_get(tu_json_get(c.j, "lm"), "std_errors"), NULL);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 2), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, 2), OCCAM_OK);
    for (int j = 0; j < 2; j++) {
        TU_ASSERT_REL(est[j], rb[j], 1e-9, "streamed lm coefficient vs R");
        TU_ASSERT_REL(se[j], rse[j], 1e-7, "streamed lm std error vs R");
    }
    free(rb);
    free(rse);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

START_TEST(test_two_passes_ill_conditioned)
{
    double X[40], y[20];
    for (int i = 0; i < 20; i++) {
        X[i] = (double)(i % 7);
        X[i + 20] = X[i] + ((i % 2) ? 1e-14 : -1e-14);
        y[i] = 1.0 + X[i] + 0.01 * (double)(i % 3);
    }
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_double(o, OCCAM_OPT_RANK_TOL, 0.0), OCCAM_OK);
    occam_model *a = NULL, *b = NULL;
    ck_assert_int_eq(occam_linear_new(&a), OCCAM_OK);
    ck_assert_int_eq(occam_linear_new(&b), OCCAM_OK);
    int ra = occam_model_fit(a, o, X, 20, 2, 20, OCCAM_COL_MAJOR, y, NULL, NULL);
    su_data d = {X, 20, 2, y, NULL, NULL};
    int64_t passes = 0;
    ck_assert_int_eq(su_stream_fit(b, o, &d, 3, &passes), ra);
    ck_assert_int_eq(passes, 2);
    su_compare("two columns 1e-14 apart", a, b, 1e-10);
    occam_opts_free(o);
    occam_model_free(a);
    occam_model_free(b);
}
END_TEST

START_TEST(test_errors)
{
    double X[6] = {1, 2, 3, 4, 5, 6}, y[6] = {1, 3, 2, 5, 4, 6}, w0[6] = {0, 0, 0, 0, 0, 0};
    occam_model *m = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    occam_stream *s = NULL;
    int more;
    /* no rows at all */
    ck_assert_int_eq(occam_stream_new(m, NULL, 1, 0, &s), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_E_NO_DATA);
    occam_stream_free(s);
    /* only zero weights */
    ck_assert_int_eq(occam_stream_new(m, NULL, 1, OCCAM_STREAM_WEIGHTS, &s), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    ck_assert_int_eq(occam_stream_update(s, X, 6, 6, OCCAM_COL_MAJOR, y, w0, NULL), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_E_NO_DATA);
    occam_stream_free(s);
    /* a second pass with fewer rows */
    ck_assert_int_eq(occam_stream_new(m, NULL, 1, 0, &s), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    ck_assert_int_eq(occam_stream_update(s, X, 6, 6, OCCAM_COL_MAJOR, y, NULL, NULL), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    ck_assert_int_eq(occam_stream_update(s, X, 5, 6, OCCAM_COL_MAJOR, y, NULL, NULL), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_E_DIM_MISMATCH);
    occam_stream_free(s);
    /* nothing to estimate */
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_INTERCEPT, 0), OCCAM_OK);
    ck_assert_int_eq(occam_stream_new(m, o, 0, 0, &s), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_model_is_fitted(m), 0);
    occam_opts_free(o);
    occam_model_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linear_stream");
    TCase *tc = tcase_create("passes");
    tcase_add_test(tc, test_three_passes);
    tcase_add_test(tc, test_two_passes_ill_conditioned);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
