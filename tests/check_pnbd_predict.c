/*
 * check_pnbd_predict.c -- lib/pnbd_predict.c through occam_model_predict():
 *  - CDNOW customers of cdnow_reference.json (mpmath, 60 digits): P(alive)
 *    and E[X(T, T+t)] for t = 39, 52 at three parameter sets; E[X(t)] for a
 *    new customer (t = 1, 10, 39, 78): 1e-11 relative (the README's
 *    suggestion; the issue asks 1e-9);
 *  - hard_cases.json (mpmath, 50 digits): E[X(T, T+52)] for every hard
 *    class, and P(X(t) = n) (quadrature of F&H 2006's integral) with E[X(t)]:
 *    1e-8 relative;
 *  - P(X(t) = n) sums to 1 and its mean is E[X(t)] (1e-9);
 *  - every error status of the Pareto/NBD predict path.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "occam.h"

static occam_model *model_at(const cJSON *root, const char *set)
{
    const cJSON *v = tu_json_get(tu_json_get(tu_json_get(root, "parameter_sets"), set), "values");
    occam_model *m;
    ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_pnbd_set_params(m, tu_json_num(tu_json_get(v, "r")), tu_json_num(tu_json_get(v, "alpha")),
                                           tu_json_num(tu_json_get(v, "s")), tu_json_num(tu_json_get(v, "beta"))),
                     OCCAM_OK);
    return m;
}

START_TEST(test_cdnow_customers)
{
    cJSON *root = tu_load_json("pnbd/cdnow_reference.json");
    const cJSON *c;
    int n = 0;
    cJSON_ArrayForEach(c, tu_json_get(root, "customers"))
    {
        occam_model *m = model_at(root, tu_json_get(c, "params")->valuestring);
        double X[3] = {tu_json_num(tu_json_get(c, "x")), tu_json_num(tu_json_get(c, "t_x")),
                       tu_json_num(tu_json_get(c, "T"))};
        double pa, e39, e52, ll;
        ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PALIVE, 0, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &pa, NULL, 1),
                         OCCAM_OK);
        ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_EXPECTED, 39, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &e39, NULL, 1),
                         OCCAM_OK);
        ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_EXPECTED, 52, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &e52, NULL, 1),
                         OCCAM_OK);
        ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_LOGLIK, 0, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &ll, NULL, 1),
                         OCCAM_OK);
        char what[64];
        int id = tu_json_get(c, "id")->valueint;
        snprintf(what, sizeof what, "customer %d P(alive)", id);
        TU_ASSERT_REL(pa, tu_json_num(tu_json_get(c, "p_alive_str")), 1e-11, what);
        snprintf(what, sizeof what, "customer %d E[X(T,T+39)]", id);
        TU_ASSERT_REL(e39, tu_json_num(tu_json_get(tu_json_get(c, "cond_exp"), "39")), 1e-11, what);
        snprintf(what, sizeof what, "customer %d E[X(T,T+52)]", id);
        TU_ASSERT_REL(e52, tu_json_num(tu_json_get(tu_json_get(c, "cond_exp"), "52")), 1e-11, what);
        snprintf(what, sizeof what, "customer %d loglik", id);
        TU_ASSERT_REL(ll, tu_json_num(tu_json_get(c, "loglik_str")), 1e-12, what);
        occam_model_free(m);
        n++;
    }
    ck_assert_int_eq(n, 30);
    const cJSON *u;
    n = 0;
    cJSON_ArrayForEach(u, tu_json_get(root, "uncond_exp"))
    {
        occam_model *m = model_at(root, tu_json_get(u, "params")->valuestring);
        double X[3] = {0, 0, tu_json_num(tu_json_get(u, "t"))}, e;
        ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_EXPECTED_NEW, 0, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &e, NULL, 1),
                         OCCAM_OK);
        TU_ASSERT_REL(e, tu_json_num(tu_json_get(u, "value")), 1e-11, "E[X(t)]");
        occam_model_free(m);
        n++;
    }
    ck_assert_int_eq(n, 12);
    cJSON_Delete(root);
}
END_TEST

static occam_model *model_from(const cJSON *params)
{
    int64_t np;
    double *p = tu_json_array(params, &np);
    occam_model *m;
    occam_pnbd_new(&m);
    ck_assert_int_eq(occam_pnbd_set_params(m, p[0], p[1], p[2], p[3]), OCCAM_OK);
    free(p);
    return m;
}

START_TEST(test_hard_cases)
{
    cJSON *root = tu_load_json("pnbd/hard_cases.json");
    const cJSON *c;
    cJSON_ArrayForEach(c, tu_json_get(root, "customers"))
    {
        occam_model *m = model_from(tu_json_get(c, "params"));
        double X[3] = {tu_json_num(tu_json_get(c, "x")), tu_json_num(tu_json_get(c, "t_x")),
                       tu_json_num(tu_json_get(c, "T"))};
        double e;
        ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_EXPECTED, 52, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &e, NULL, 1),
                         OCCAM_OK);
        char what[96];
        snprintf(what, sizeof what, "%s: E[X(T,T+52)]", tu_json_get(c, "name")->valuestring);
        ck_assert_msg(isfinite(e), "%s not finite", what);
        TU_ASSERT_REL(e, tu_json_num(tu_json_get(c, "cond_exp_52")), 1e-8, what);
        occam_model_free(m);
    }
    int n = 0;
    cJSON_ArrayForEach(c, tu_json_get(root, "prob_n"))
    {
        occam_model *m = model_from(tu_json_get(c, "params"));
        double t = tu_json_num(tu_json_get(c, "t")), X[3] = {tu_json_num(tu_json_get(c, "n")), 0, t}, p, e;
        ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PROB_N, 0, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &p, NULL, 1),
                         OCCAM_OK);
        ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_EXPECTED_NEW, 0, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &e, NULL, 1),
                         OCCAM_OK);
        char what[96];
        snprintf(what, sizeof what, "P(X(%g) = %g)", t, X[0]);
        TU_ASSERT_REL(p, tu_json_num(tu_json_get(c, "value")), 1e-8, what);
        TU_ASSERT_REL(e, tu_json_num(tu_json_get(c, "expected_new")), 1e-8, "E[X(t)]");
        occam_model_free(m);
        n++;
    }
    ck_assert_int_ge(n, 19);
    cJSON_Delete(root);
}
END_TEST

START_TEST(test_prob_n_distribution)
{
    occam_model *m;
    occam_pnbd_new(&m);
    occam_pnbd_set_params(m, 0.5532755087, 10.57761224, 0.6062135687, 11.66791124);
    enum { N = 400 };
    double *X = calloc(3 * N, sizeof(double)), *p = malloc(N * sizeof(double)), e;
    for (int i = 0; i < N; i++) {
        X[3 * i] = i;
        X[3 * i + 2] = 39.0;
    }
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PROB_N, 0, X, N, 3, 3, OCCAM_ROW_MAJOR, NULL, p, NULL, N),
                     OCCAM_OK);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_EXPECTED_NEW, 0, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &e, NULL, 1),
                     OCCAM_OK);
    double sum = 0, mean = 0;
    for (int i = 0; i < N; i++) {
        ck_assert(p[i] >= 0 && isfinite(p[i]));
        sum += p[i];
        mean += i * p[i];
    }
    ck_assert_msg(fabs(sum - 1) <= 1e-9, "sum of P(X(39) = n) = %.17g", sum);
    TU_ASSERT_REL(mean, e, 1e-9, "mean of P(X(39) = n)");
    /* t = 0: all mass at 0 */
    double Z[6] = {0, 0, 0, 1, 0, 0}, pz[2];
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PROB_N, 0, Z, 2, 3, 3, OCCAM_ROW_MAJOR, NULL, pz, NULL, 2), 0);
    ck_assert(pz[0] == 1.0 && pz[1] == 0.0);
    free(X);
    free(p);
    occam_model_free(m);
}
END_TEST

START_TEST(test_predict_errors)
{
    occam_model *m;
    occam_pnbd_new(&m);
    double X[3] = {2, 30.43, 38.86}, out = -7, se;
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PALIVE, 0, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &out, NULL, 1),
                     OCCAM_E_NOT_FITTED);
    occam_pnbd_set_params(m, 0.55, 10.6, 0.61, 11.7);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PALIVE, 0, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &out, &se, 1),
                     OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &out, NULL, 1),
                     OCCAM_E_WRONG_MODEL);
    ck_assert_int_eq(occam_model_predict(m, 99, 0, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &out, NULL, 1), OCCAM_E_UNKNOWN_ENUM);
    double off = 0;
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PALIVE, 0, X, 1, 3, 3, OCCAM_ROW_MAJOR, &off, &out, NULL, 1),
                     OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_EXPECTED, -1, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &out, NULL, 1),
                     OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_EXPECTED, INFINITY, X, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &out, NULL, 1),
                     OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PALIVE, 0, X, 1, 2, 2, OCCAM_ROW_MAJOR, NULL, &out, NULL, 1),
                     OCCAM_E_DIM_MISMATCH);
    double bad[3] = {2, 40, 38.86}; /* t_x > T */
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PALIVE, 0, bad, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &out, NULL, 1),
                     OCCAM_E_DOMAIN);
    double nan_row[3] = {2, NAN, 38.86};
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PALIVE, 0, nan_row, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &out, NULL, 1),
                     OCCAM_E_NONFINITE);
    double frac[3] = {1.5, 0, 10};
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_PROB_N, 0, frac, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &out, NULL, 1),
                     OCCAM_E_DOMAIN);
    double negt[3] = {0, 0, -1};
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_EXPECTED_NEW, 0, negt, 1, 3, 3, OCCAM_ROW_MAJOR, NULL, &out, NULL, 1),
                     OCCAM_E_DOMAIN);
    ck_assert(out == -7); /* untouched by every failure */
    occam_model_free(m);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pnbd_predict");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_cdnow_customers);
    tcase_add_test(tc, test_hard_cases);
    tcase_add_test(tc, test_prob_n_distribution);
    tcase_add_test(tc, test_predict_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
