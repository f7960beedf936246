/*
 * check_clv.c -- lib/clv.c: occam_clv.
 *
 * Reference: tests/data/clv/shared.json (../shared/reference/clv, mpmath at
 * 60 digits): CLV = 0.3 x E[M | x, m_x] (Gamma-Gamma at GG_MLE12) x DERT
 * (Pareto/NBD at PNBD_MLE10 on the 2-decimal t_x, T; delta = ln(1.15)/52
 * per week) for customers 1..10, within 1e-8 relative (issue 13), in both
 * layouts; the dert and spend outputs equal the reference's factors
 * (dert 'ln(1.15)/52', cond_spend GG_MLE12) to 1e-8.  Errors: models of the
 * wrong kind, delta <= 0, NULLs, small buffers; outputs untouched.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "occam.h"

static double dec(const cJSON *o, const char *k) { return strtod(tu_json_get(o, k)->valuestring, NULL); }

static void models(const cJSON *root, occam_model **pn, occam_model **gg)
{
    const cJSON *sets = tu_json_get(root, "parameter_sets");
    const cJSON *a = tu_json_get(tu_json_get(sets, "PNBD_MLE10"), "exact_decimal");
    const cJSON *b = tu_json_get(tu_json_get(sets, "GG_MLE12"), "exact_decimal");
    ck_assert_int_eq(occam_pnbd_new(pn), OCCAM_OK);
    ck_assert_int_eq(occam_pnbd_set_params(*pn, dec(a, "r"), dec(a, "alpha"), dec(a, "s"), dec(a, "beta")), OCCAM_OK);
    ck_assert_int_eq(occam_gg_new(gg), OCCAM_OK);
    ck_assert_int_eq(occam_gg_set_params(*gg, dec(b, "p"), dec(b, "q"), dec(b, "gamma")), OCCAM_OK);
}

START_TEST(test_cdnow_clv)
{
    cJSON *root = tu_load_json("clv/shared.json");
    occam_model *pn = NULL, *gg = NULL;
    models(root, &pn, &gg);
    const cJSON *cust = tu_json_get(root, "customers");
    int n = cJSON_GetArraySize(cust), i = 0;
    ck_assert_int_eq(n, 10);
    double R[40], C[40], clv[10], d[10], s[10];
    for (const cJSON *c = cust->child; c; c = c->next, i++) {
        double v[4] = {tu_json_num(tu_json_get(c, "x")), dec(c, "t_x"), dec(c, "T"), dec(c, "m_x_text")};
        for (int j = 0; j < 4; j++) R[4 * i + j] = v[j], C[j * n + i] = v[j];
    }
    const double delta = log(1.15) / 52;
    for (int layout = 0; layout < 2; layout++) {
        int st = layout ? occam_clv(pn, gg, R, n, 4, OCCAM_ROW_MAJOR, delta, 0.3, clv, d, s, n)
                        : occam_clv(pn, gg, C, n, n, OCCAM_COL_MAJOR, delta, 0.3, clv, d, s, n);
        ck_assert_int_eq(st, OCCAM_OK);
        i = 0;
        for (const cJSON *c = cust->child; c; c = c->next, i++) {
            char what[64];
            snprintf(what, sizeof what, "id %d CLV (layout %d)", i + 1, layout);
            TU_ASSERT_REL(clv[i], tu_json_num(tu_json_get(c, "clv")), 1e-8, what);
            TU_ASSERT_REL(d[i], tu_json_num(tu_json_get(tu_json_get(c, "dert"), "ln(1.15)/52")), 1e-8, "DERT");
            TU_ASSERT_REL(s[i], tu_json_num(tu_json_get(tu_json_get(c, "cond_spend"), "GG_MLE12")), 1e-8, "spend");
        }
    }
    occam_model_free(pn);
    occam_model_free(gg);
    cJSON_Delete(root);
}
END_TEST

START_TEST(test_errors)
{
    cJSON *root = tu_load_json("clv/shared.json");
    occam_model *pn = NULL, *gg = NULL;
    models(root, &pn, &gg);
    double X[4] = {2, 30.43, 38.86, 22.345}, out = -1;
    ck_assert_int_eq(occam_clv(gg, pn, X, 1, 4, OCCAM_ROW_MAJOR, 0.01, 1, &out, NULL, NULL, 1), OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_clv(pn, gg, X, 1, 4, OCCAM_ROW_MAJOR, 0, 1, &out, NULL, NULL, 1), OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam_clv(pn, gg, X, 1, 4, OCCAM_ROW_MAJOR, 0.01, NAN, &out, NULL, NULL, 1), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_clv(pn, gg, NULL, 1, 4, OCCAM_ROW_MAJOR, 0.01, 1, &out, NULL, NULL, 1), OCCAM_E_NULL);
    ck_assert_int_eq(occam_clv(pn, gg, X, 1, 4, OCCAM_ROW_MAJOR, 0.01, 1, &out, NULL, NULL, 0), OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert_int_eq(occam_clv(pn, gg, X, 1, 3, OCCAM_ROW_MAJOR, 0.01, 1, &out, NULL, NULL, 1), OCCAM_E_INVALID_ARG);
    ck_assert_double_eq(out, -1);
    occam_model_free(pn);
    occam_model_free(gg);
    cJSON_Delete(root);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("clv");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_cdnow_clv);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
