/*
 * check_model.c -- the common model handle (lib/model.c): every bad-input
 * row of issue 2 returns its specific status and a detail message, and
 * leaves an earlier fit intact; accessors' buffer protocols.
 * Expected statuses are the contract documented in include/occam.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "internal.h"

/* 6 x 2 column-major design and response from y = 1 + 2 x1 - x2 + noise. */
static const double X[12] = {1, 2, 3, 4, 5, 6, 0.5, -1, 2, 0, 1.5, 3};
static const double Y[6] = {2.6, 6.9, 5.1, 9.2, 9.4, 10.1};

static occam_model *fresh(void)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    return m;
}

/* Expect `status`, a non-empty detail message mentioning `needle`. */
#define EXPECT(call, status, needle)                                                                    \
    do {                                                                                                \
        int rc_ = (call);                                                                               \
        ck_assert_msg(rc_ == (status), "%s: got %s want %s (%s)", #call, occam_status_name(rc_),        \
                      occam_status_name(status), occam_last_error());                                   \
        ck_assert_msg(strstr(occam_last_error(), (needle)) != NULL, "message '%s' lacks '%s'",           \
                      occam_last_error(), (needle));                                                    \
    } while (0)

START_TEST(test_null_pointers)
{
    occam_model *m = fresh();
    double out[6];
    EXPECT(occam_linear_new(NULL), OCCAM_E_NULL, "out");
    EXPECT(occam_model_fit(NULL, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_E_NULL, "model");
    EXPECT(occam_model_fit(m, NULL, NULL, 6, 2, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_E_NULL, "X");
    EXPECT(occam_model_fit(m, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, NULL, NULL, NULL), OCCAM_E_NULL, "y");
    ck_assert_int_eq(occam_model_fit(m, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_OK);
    EXPECT(occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, X, 6, 2, 6, OCCAM_COL_MAJOR, NULL, NULL, NULL, 6),
           OCCAM_E_NULL, "out");
    EXPECT(occam_model_predict(NULL, OCCAM_PREDICT_RESPONSE, 0, X, 6, 2, 6, OCCAM_COL_MAJOR, NULL, out, NULL, 6),
           OCCAM_E_NULL, "model");
    EXPECT(occam_model_coef(m, OCCAM_COEF_ESTIMATE, NULL, 3), OCCAM_E_NULL, "out");
    EXPECT(occam_model_serialize(m, NULL, 0, NULL), OCCAM_E_NULL, "needed");
    EXPECT(occam_model_deserialize(X, 8, NULL), OCCAM_E_NULL, "out");
    EXPECT(occam_model_info(m, OCCAM_INFO_AIC, NULL), OCCAM_E_NULL, "value");
    EXPECT(occam_opts_set_int(NULL, OCCAM_OPT_MAXIT, 3), OCCAM_E_NULL, "opts");
    EXPECT(occam_model_save(m, NULL), OCCAM_E_NULL, "path");
    ck_assert_int_eq(occam_model_kind(NULL), OCCAM_E_NULL);
    occam_model_free(NULL); /* no-op */
    occam_opts_free(NULL);
    occam_model_free(m);
}
END_TEST

START_TEST(test_no_rows)
{
    occam_model *m = fresh();
    EXPECT(occam_model_fit(m, NULL, X, 0, 2, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_E_NO_DATA, "n = 0");
    const double zero_w[6] = {0, 0, 0, 0, 0, 0};
    EXPECT(occam_model_fit(m, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, Y, zero_w, NULL), OCCAM_E_NO_DATA, "every weight");
    occam_model_free(m);
}
END_TEST

START_TEST(test_nonfinite_inputs)
{
    occam_model *m = fresh();
    double Xb[12], Yb[6], W[6] = {1, 1, 1, 1, 1, 1}, O[6] = {0, 0, 0, 0, 0, 0};
    memcpy(Xb, X, sizeof Xb);
    memcpy(Yb, Y, sizeof Yb);
    Xb[8] = NAN; /* row 3, column 2 */
    EXPECT(occam_model_fit(m, NULL, Xb, 6, 2, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_E_NONFINITE,
           "column 2 of X is NaN at row 3");
    Xb[8] = INFINITY;
    EXPECT(occam_model_fit(m, NULL, Xb, 6, 2, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_E_NONFINITE, "Inf");
    Yb[4] = -INFINITY;
    EXPECT(occam_model_fit(m, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, Yb, NULL, NULL), OCCAM_E_NONFINITE, "y is Inf at row 5");
    W[1] = NAN;
    EXPECT(occam_model_fit(m, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, Y, W, NULL), OCCAM_E_NONFINITE, "weights is NaN");
    O[0] = NAN;
    EXPECT(occam_model_fit(m, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, Y, NULL, O), OCCAM_E_NONFINITE, "offset is NaN");
    ck_assert_int_eq(occam_model_is_fitted(m), 0);
    occam_model_free(m);
}
END_TEST

START_TEST(test_negative_weights)
{
    occam_model *m = fresh();
    const double W[6] = {1, 1, -0.5, 1, 1, 1};
    EXPECT(occam_model_fit(m, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, Y, W, NULL), OCCAM_E_BAD_WEIGHTS,
           "weight -0.5 at row 3");
    occam_model_free(m);
}
END_TEST

START_TEST(test_mismatched_lengths)
{
    occam_model *m = fresh();
    double out[6];
    EXPECT(occam_model_fit(m, NULL, X, 6, 2, 5, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_E_INVALID_ARG,
           "leading dimension 5 < 6");
    ck_assert_int_eq(occam_model_fit(m, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_OK);
    EXPECT(occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, X, 4, 3, 4, OCCAM_COL_MAJOR, NULL, out, NULL, 6),
           OCCAM_E_DIM_MISMATCH, "3 columns");
    EXPECT(occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, X, 6, 2, 6, OCCAM_COL_MAJOR, NULL, out, NULL, 5),
           OCCAM_E_BUFFER_TOO_SMALL, "room for 5");
    const char *names[3] = {"a", "b", "c"};
    EXPECT(occam_model_set_names(m, names, 3), OCCAM_E_DIM_MISMATCH, "3 names for 2 columns");
    double coef[2];
    EXPECT(occam_model_coef(m, OCCAM_COEF_ESTIMATE, coef, 2), OCCAM_E_BUFFER_TOO_SMALL, "3 needed");
    /* names fix the column count before the fit */
    occam_model *m2 = fresh();
    ck_assert_int_eq(occam_model_set_names(m2, names, 3), OCCAM_OK);
    EXPECT(occam_model_fit(m2, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_E_DIM_MISMATCH,
           "model names 3");
    occam_model_free(m2);
    occam_model_free(m);
}
END_TEST

START_TEST(test_unknown_enums)
{
    occam_model *m = fresh();
    occam_opts *o = NULL;
    double out[6], v;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    EXPECT(occam_model_fit(m, NULL, X, 6, 2, 6, 103, Y, NULL, NULL), OCCAM_E_UNKNOWN_ENUM, "unknown layout 103");
    EXPECT(occam_opts_set_int(o, 999, 1), OCCAM_E_UNKNOWN_ENUM, "unknown option key 999");
    EXPECT(occam_opts_set_double(o, OCCAM_OPT_MAXIT, 1.0), OCCAM_E_UNKNOWN_ENUM, "not of double type");
    ck_assert_int_eq(occam_model_fit(m, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_OK);
    EXPECT(occam_model_predict(m, 42, 0, X, 6, 2, 6, OCCAM_COL_MAJOR, NULL, out, NULL, 6), OCCAM_E_UNKNOWN_ENUM,
           "unknown prediction type 42");
    EXPECT(occam_model_predict(m, OCCAM_PREDICT_PALIVE, 0, X, 6, 2, 6, OCCAM_COL_MAJOR, NULL, out, NULL, 6),
           OCCAM_E_WRONG_MODEL, "not defined for a linear model");
    EXPECT(occam_model_info(m, 0, &v), OCCAM_E_UNKNOWN_ENUM, "unknown key 0");
    EXPECT(occam_model_coef(m, 9, out, 6), OCCAM_E_UNKNOWN_ENUM, "unknown column 9");
    EXPECT(occam_model_rows(m, 77, out, 6), OCCAM_E_UNKNOWN_ENUM, "unknown selector 77");
    EXPECT(occam_opts_set_int(o, OCCAM_OPT_SOLVER, 7), OCCAM_E_INVALID_ARG, "solver = 7");
    occam_opts_free(o);
    occam_model_free(m);
}
END_TEST

START_TEST(test_predict_before_fit)
{
    occam_model *m = fresh();
    double out[6], v;
    EXPECT(occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, X, 6, 2, 6, OCCAM_COL_MAJOR, NULL, out, NULL, 6),
           OCCAM_E_NOT_FITTED, "not fitted");
    EXPECT(occam_model_coef(m, OCCAM_COEF_ESTIMATE, out, 6), OCCAM_E_NOT_FITTED, "not fitted");
    EXPECT(occam_model_info(m, OCCAM_INFO_AIC, &v), OCCAM_E_NOT_FITTED, "not fitted");
    occam_model_free(m);
}
END_TEST

/* A failed refit leaves the earlier fit untouched (nothing lost). */
START_TEST(test_failed_refit_keeps_model)
{
    occam_model *m = fresh();
    ck_assert_int_eq(occam_model_fit(m, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_OK);
    double before[3], after[3];
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, before, 3), OCCAM_OK);
    double Yb[6];
    memcpy(Yb, Y, sizeof Yb);
    Yb[0] = NAN;
    ck_assert_int_eq(occam_model_fit(m, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, Yb, NULL, NULL), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, after, 3), OCCAM_OK);
    ck_assert_int_eq(memcmp(before, after, sizeof before), 0);
    occam_model_free(m);
}
END_TEST

/* Covariance accessors: occam_model_vcov() is k x k with NaN rows and
 * columns for aliased coefficients, occam_model_vcov_estimable() its
 * r x r block over the others (column 3 duplicates column 1 here). */
START_TEST(test_vcov_estimable)
{
    double X3[18];
    memcpy(X3, X, sizeof X);
    memcpy(X3 + 12, X, 6 * sizeof(double));
    occam_model *m = fresh();
    ck_assert_int_eq(occam_model_fit(m, NULL, X3, 6, 3, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_W_RANK_DEFICIENT);
    double full[16], kept[9], big[16];
    ck_assert_int_eq(occam_model_vcov(m, full, 4), OCCAM_OK);
    ck_assert_int_eq(occam_model_vcov_estimable(m, kept, 2), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_model_vcov_estimable(m, NULL, 3), OCCAM_E_NULL);
    ck_assert_int_eq(occam_model_vcov_estimable(m, kept, 3), OCCAM_OK);
    ck_assert_int_eq(occam_model_vcov_estimable(m, big, 4), OCCAM_OK); /* ld > r */
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < 3; i++) {
            ck_assert(kept[i + 3 * j] == full[i + 4 * j]);
            ck_assert(big[i + 4 * j] == full[i + 4 * j]);
        }
    for (int i = 0; i < 4; i++) ck_assert(isnan(full[3 + 4 * i]) && isnan(full[i + 4 * 3]));
    occam_model *u = fresh();
    ck_assert_int_eq(occam_model_vcov_estimable(u, kept, 3), OCCAM_E_NOT_FITTED);
    occam_model_free(u);
    occam_model_free(m);
}
END_TEST

START_TEST(test_name_buffers)
{
    occam_model *m = fresh();
    const char *names[2] = {"speed", "weight_kg"};
    ck_assert_int_eq(occam_model_set_names(m, names, 2), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, X, 6, 2, 6, OCCAM_COL_MAJOR, Y, NULL, NULL), OCCAM_OK);
    size_t need = 0;
    ck_assert_int_eq(occam_model_coef_name(m, 2, NULL, 0, &need), OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(need, strlen("weight_kg") + 1);
    char buf[16];
    ck_assert_int_eq(occam_model_coef_name(m, 2, buf, need, &need), OCCAM_OK);
    ck_assert_str_eq(buf, "weight_kg");
    ck_assert_int_eq(occam_model_coef_name(m, 3, buf, sizeof buf, NULL), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_model_column_name(m, 0, buf, sizeof buf, NULL), OCCAM_OK);
    ck_assert_str_eq(buf, "speed");
    const char *bad[2] = {"ok", ""};
    EXPECT(occam_model_set_names(m, bad, 2), OCCAM_E_INVALID_ARG, "empty");
    ck_assert_int_eq(occam_model_kind(m), OCCAM_MODEL_LINEAR);
    occam_model_free(m);
}
END_TEST

/* The fit status of a set of conditions is the smallest warning code among
 * them (include/occam.h), the new GLM codes included; bits no code defines
 * (a file from a later library) give no status. */
START_TEST(test_conditions_status)
{
    ck_assert_int_eq(occam__conditions_status(0), OCCAM_OK);
    ck_assert_int_eq(occam__conditions_status(OCCAM_COND_ZERO_WEIGHTS), OCCAM_W_ZERO_WEIGHTS);
    ck_assert_int_eq(occam__conditions_status(OCCAM_COND_ZERO_WEIGHTS | OCCAM_COND_STEP_DIVERGENCE),
                     OCCAM_W_STEP_DIVERGENCE);
    ck_assert_int_eq(occam__conditions_status(OCCAM_COND_STEP_OUT_OF_BOUNDS | OCCAM_COND_NON_INTEGER),
                     OCCAM_W_NON_INTEGER);
    ck_assert_int_eq(occam__conditions_status(OCCAM_COND_STEP_OUT_OF_BOUNDS | OCCAM_COND_BOUNDARY), OCCAM_W_BOUNDARY);
    ck_assert_int_eq(occam__conditions_status(1 << 30), OCCAM_OK);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("bad input");
    tcase_add_test(tc, test_null_pointers);
    tcase_add_test(tc, test_no_rows);
    tcase_add_test(tc, test_nonfinite_inputs);
    tcase_add_test(tc, test_negative_weights);
    tcase_add_test(tc, test_mismatched_lengths);
    tcase_add_test(tc, test_unknown_enums);
    tcase_add_test(tc, test_predict_before_fit);
    tcase_add_test(tc, test_failed_refit_keeps_model);
    tcase_add_test(tc, test_name_buffers);
    tcase_add_test(tc, test_conditions_status);
    tcase_add_test(tc, test_vcov_estimable);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
