/*
 * check_clv.c -- lib/clv.c: occam_clv and occam_clv_table.
 *
 * Reference: tests/data/clv/shared.json (../shared/reference/clv, mpmath at
 * 60 digits): CLV = 0.3 x E[M | x, m_x] (Gamma-Gamma at GG_MLE12) x DERT
 * (Pareto/NBD at PNBD_MLE10 on the 2-decimal t_x, T; delta = ln(1.15)/52
 * per week) for customers 1..10, within 1e-8 relative (issue 13), in both
 * layouts; the dert and spend outputs equal the reference's factors
 * (dert 'ln(1.15)/52', cond_spend GG_MLE12) to 1e-8.  Errors: models of the
 * wrong kind, delta <= 0, NULLs, small buffers; outputs untouched.
 * occam_clv_table: its p_alive, expected, dert and spend columns are bit for
 * bit occam_model_predict()'s PALIVE, EXPECTED, DERT (Pareto/NBD) and SPEND
 * (Gamma-Gamma), its clv occam_clv()'s (the reference customers and 3000
 * generated ones: x = 0 rows, t_x = T, repeated T, both layouts, also the
 * no-dropout model s = beta = Inf); a horizon < 0 or NaN fails with the
 * outputs untouched.
 */
#include <math.h>
#include <stdint.h>
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

/* occam_clv_table against the separate predictions on rows R (n x 4, row-major). */
static void expect_table_bits(const occam_model *pn, const occam_model *gg, const double *R, int n, double delta,
                              double horizon)
{
    double *C = malloc(sizeof(double) * 4 * n), *xm = malloc(sizeof(double) * 2 * n);
    double *t = malloc(sizeof(double) * 5 * n), *u = malloc(sizeof(double) * 5 * n);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < 4; j++) C[j * n + i] = R[4 * i + j];
        xm[i] = R[4 * i], xm[n + i] = R[4 * i + 3];
    }
    ck_assert_int_eq(occam_model_predict(pn, OCCAM_PREDICT_PALIVE, 0, C, n, 3, n, OCCAM_COL_MAJOR, NULL, u, NULL, n),
                     OCCAM_OK);
    ck_assert_int_eq(occam_model_predict(pn, OCCAM_PREDICT_EXPECTED, horizon, C, n, 3, n, OCCAM_COL_MAJOR, NULL,
                                         u + n, NULL, n),
                     OCCAM_OK);
    ck_assert_int_eq(occam_model_predict(pn, OCCAM_PREDICT_DERT, delta, C, n, 3, n, OCCAM_COL_MAJOR, NULL, u + 2 * n,
                                         NULL, n),
                     OCCAM_OK);
    ck_assert_int_eq(occam_model_predict(gg, OCCAM_PREDICT_SPEND, 0, xm, n, 2, n, OCCAM_COL_MAJOR, NULL, u + 3 * n,
                                         NULL, n),
                     OCCAM_OK);
    ck_assert_int_eq(occam_clv(pn, gg, C, n, n, OCCAM_COL_MAJOR, delta, 0.3, u + 4 * n, NULL, NULL, n), OCCAM_OK);
    for (int layout = 0; layout < 2; layout++) {
        memset(t, 0, sizeof(double) * 5 * n);
        int st = layout ? occam_clv_table(pn, gg, R, n, 4, OCCAM_ROW_MAJOR, delta, 0.3, horizon, t, t + n, t + 2 * n,
                                          t + 3 * n, t + 4 * n, n)
                        : occam_clv_table(pn, gg, C, n, n, OCCAM_COL_MAJOR, delta, 0.3, horizon, t, t + n, t + 2 * n,
                                          t + 3 * n, t + 4 * n, n);
        ck_assert_int_eq(st, OCCAM_OK);
        static const char *col[5] = {"p_alive", "expected", "dert", "spend", "clv"};
        for (int k = 0; k < 5; k++)
            for (int i = 0; i < n; i++)
                ck_assert_msg(memcmp(&t[k * n + i], &u[k * n + i], sizeof(double)) == 0,
                              "row %d %s: %.17g, the prediction's %.17g (layout %d)", i + 1, col[k], t[k * n + i],
                              u[k * n + i], layout);
    }
    free(C);
    free(xm);
    free(t);
    free(u);
}

START_TEST(test_table_bits)
{
    cJSON *root = tu_load_json("clv/shared.json");
    occam_model *pn = NULL, *gg = NULL, *nbd = NULL;
    models(root, &pn, &gg);
    const cJSON *cust = tu_json_get(root, "customers");
    enum { N = 3000 };
    double *R = malloc(sizeof(double) * 4 * N);
    int n = 0;
    for (const cJSON *c = cust->child; c; c = c->next, n++) {
        R[4 * n] = tu_json_num(tu_json_get(c, "x"));
        R[4 * n + 1] = dec(c, "t_x"), R[4 * n + 2] = dec(c, "T"), R[4 * n + 3] = dec(c, "m_x_text");
    }
    uint64_t z = 12345;
    for (; n < N; n++) { /* a deterministic spread: x 0..40, T on a week grid (repeats), t_x in [0, T] */
        z = z * 6364136223846793005u + 1442695040888963407u;
        double x = (double)((z >> 33) % 41), T = 1 + (double)((z >> 13) % 78), f = (double)((z >> 40) % 1001) / 1000;
        R[4 * n] = x, R[4 * n + 2] = T, R[4 * n + 1] = x == 0 ? 0 : n % 7 == 0 ? T : f * T;
        R[4 * n + 3] = 5 + (double)((z >> 20) % 20000) / 100;
    }
    expect_table_bits(pn, gg, R, n, log(1.15) / 52, 52);
    expect_table_bits(pn, gg, R, n, 0.1, 0);
    ck_assert_int_eq(occam_pnbd_new(&nbd), OCCAM_OK);
    ck_assert_int_eq(occam_pnbd_set_params(nbd, 0.55, 10.6, INFINITY, INFINITY), OCCAM_OK);
    expect_table_bits(nbd, gg, R, n, 0.01, 39);
    free(R);
    occam_model_free(pn);
    occam_model_free(gg);
    occam_model_free(nbd);
    cJSON_Delete(root);
}
END_TEST

START_TEST(test_table_errors)
{
    cJSON *root = tu_load_json("clv/shared.json");
    occam_model *pn = NULL, *gg = NULL;
    models(root, &pn, &gg);
    double X[4] = {2, 30.43, 38.86, 22.345}, pa = -1, ex = -1, d = -1, s = -1, cl = -1;
    ck_assert_int_eq(occam_clv_table(pn, gg, X, 1, 4, OCCAM_ROW_MAJOR, 0.01, 1, -1, &pa, &ex, &d, &s, &cl, 1),
                     OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam_clv_table(pn, gg, X, 1, 4, OCCAM_ROW_MAJOR, 0.01, 1, NAN, &pa, &ex, &d, &s, &cl, 1),
                     OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_clv_table(pn, gg, X, 1, 4, OCCAM_ROW_MAJOR, 0, 1, 52, &pa, &ex, &d, &s, &cl, 1),
                     OCCAM_E_DOMAIN);
    X[1] = 40; /* t_x > T */
    ck_assert_int_eq(occam_clv_table(pn, gg, X, 1, 4, OCCAM_ROW_MAJOR, 0.01, 1, 52, &pa, &ex, &d, &s, &cl, 1),
                     OCCAM_E_DOMAIN);
    X[1] = NAN;
    ck_assert_int_eq(occam_clv_table(pn, gg, X, 1, 4, OCCAM_ROW_MAJOR, 0.01, 1, 52, &pa, &ex, &d, &s, &cl, 1),
                     OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_clv_table(pn, gg, X, 1, 4, OCCAM_ROW_MAJOR, 0.01, 1, 52, &pa, &ex, &d, &s, NULL, 1),
                     OCCAM_E_NULL);
    ck_assert(pa == -1 && ex == -1 && d == -1 && s == -1 && cl == -1);
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
    tcase_add_test(tc, test_table_bits);
    tcase_add_test(tc, test_table_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
