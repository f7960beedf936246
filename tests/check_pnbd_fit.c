/*
 * check_pnbd_fit.c -- lib/pnbd_fit.c: maximum likelihood on CDNOW against
 * the mpmath MLE of tests/data/pnbd/cdnow_reference.json ("mle": Newton steps
 * at 40 digits after a multi-start search).  Issue 4 acceptance: from the
 * default start, r, alpha, s, beta to 6 significant digits (asserted: 1e-7
 * relative) and the log-likelihood to 1e-10 relative; standard errors from
 * the Hessian to 1e-6 relative.  Also: the fit on unrounded day data, the
 * row collapse (same optimum with and without it, and with counts as
 * weights), options (maxit -> OCCAM_W_NOT_CONVERGED) and the data builder.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "pnbd.h"

static double *load_cdnow(int days, int64_t *n)
{
    char *path = tu_data_path(days ? "../../data/cdnow_summary_days.csv" : "../../data/cdnow_summary.csv");
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[256], date[16];
    ck_assert(fgets(line, sizeof line, f) != NULL);
    double *X = malloc(3000 * 3 * sizeof(double)), x, tx, T;
    long id, xs;
    int64_t i = 0;
    while (i < 3000 && (days ? fscanf(f, "%ld,%10[^,],%lf,%lf,%lf,%ld", &id, date, &x, &tx, &T, &xs) == 6
                             : fscanf(f, "%ld,%lf,%lf,%lf", &id, &x, &tx, &T) == 4)) {
        X[3 * i] = x;
        X[3 * i + 1] = days ? tx / 7.0 : tx;
        X[3 * i + 2] = days ? T / 7.0 : T;
        i++;
    }
    fclose(f);
    free(path);
    *n = i;
    return X;
}

static void check_mle(const occam_model *m, const cJSON *ref, const char *what)
{
    static const char *const k[4] = {"r", "alpha", "s", "beta"};
    double est[4], se[4], v;
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 4), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, 4), OCCAM_OK);
    char msg[96];
    for (int j = 0; j < 4; j++) {
        snprintf(msg, sizeof msg, "%s: %s", what, k[j]);
        TU_ASSERT_REL(est[j], tu_json_num(tu_json_get(tu_json_get(ref, "params_str"), k[j])), 1e-7, msg);
        snprintf(msg, sizeof msg, "%s: SE(%s)", what, k[j]);
        TU_ASSERT_REL(se[j], tu_json_num(tu_json_get(tu_json_get(ref, "std_errors"), k[j])), 1e-6, msg);
    }
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_LOGLIK, &v), OCCAM_OK);
    snprintf(msg, sizeof msg, "%s: loglik", what);
    TU_ASSERT_REL(v, tu_json_num(tu_json_get(ref, "loglik_str")), 1e-10, msg);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_CONVERGED, &v), OCCAM_OK);
    ck_assert(v == 1.0);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_GRAD_NORM, &v), OCCAM_OK);
    ck_assert(v <= 1e-9);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_ITER, &v), OCCAM_OK);
    ck_assert(v >= 1 && v <= 200);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_NOBS, &v), OCCAM_OK);
    ck_assert(v == 2357);
}

START_TEST(test_cdnow_mle)
{
    cJSON *root = tu_load_json("pnbd/cdnow_reference.json");
    int64_t n;
    double *X = load_cdnow(0, &n);
    occam_model *m;
    ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
    int rc = occam_model_fit(m, NULL, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL);
    ck_assert_msg(rc == OCCAM_OK, "fit: %d %s", rc, occam_last_error());
    check_mle(m, tu_json_get(tu_json_get(root, "mle"), "cdnow_summary"), "cdnow_summary");
    /* the covariance is symmetric and its diagonal the squared SEs */
    double V[16], se[4];
    ck_assert_int_eq(occam_model_vcov(m, V, 4), OCCAM_OK);
    occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, 4);
    for (int i = 0; i < 4; i++) {
        TU_ASSERT_REL(V[i + 4 * i], se[i] * se[i], 1e-14, "vcov diagonal");
        for (int j = 0; j < 4; j++) ck_assert(V[i + 4 * j] == V[j + 4 * i]);
    }
    double st[4];
    occam_model_coef(m, OCCAM_COEF_STATISTIC, st, 4);
    for (int i = 0; i < 4; i++) ck_assert(isnan(st[i]));
    occam_model_free(m);
    free(X);
    cJSON_Delete(root);
}
END_TEST

/* CDNOW four times over, not collapsed (9428 rows = 3 blocks of the fit's
 * sums), on 1, 2 and 3 threads: the mpmath MLE of CDNOW (parameters to 1e-7
 * as check_mle), loglik 4 times CDNOW's (1e-10), SEs half CDNOW's (1e-6);
 * and the same fit bitwise for every thread count (block sums are added in
 * block order). */
START_TEST(test_threads_same_fit)
{
    cJSON *root = tu_load_json("pnbd/cdnow_reference.json");
    const cJSON *ref = tu_json_get(tu_json_get(root, "mle"), "cdnow_summary");
    static const char *const k[4] = {"r", "alpha", "s", "beta"};
    int64_t n;
    double *X1 = load_cdnow(0, &n);
    double *X = malloc((size_t)(4 * n * 3) * sizeof(double));
    for (int rep = 0; rep < 4; rep++) memcpy(X + 3 * n * rep, X1, (size_t)(3 * n) * sizeof(double));
    double est[3][4], se[3][4], ll[3];
    for (int th = 1; th <= 3; th++) {
        occam_opts *o;
        ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
        occam_opts_set_int(o, OCCAM_OPT_THREADS, th);
        occam_opts_set_int(o, OCCAM_OPT_COLLAPSE, 0);
        occam_model *m;
        ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
        int rc = occam_model_fit(m, o, X, 4 * n, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL);
        ck_assert_msg(rc == OCCAM_OK, "fit on %d threads: %d %s", th, rc, occam_last_error());
        occam_model_coef(m, OCCAM_COEF_ESTIMATE, est[th - 1], 4);
        occam_model_coef(m, OCCAM_COEF_STD_ERROR, se[th - 1], 4);
        occam_model_info(m, OCCAM_INFO_LOGLIK, &ll[th - 1]);
        for (int j = 0; j < 4; j++) {
            TU_ASSERT_REL(est[th - 1][j], tu_json_num(tu_json_get(tu_json_get(ref, "params_str"), k[j])), 1e-7, k[j]);
            TU_ASSERT_REL(se[th - 1][j], 0.5 * tu_json_num(tu_json_get(tu_json_get(ref, "std_errors"), k[j])), 1e-6,
                          k[j]);
            ck_assert(est[th - 1][j] == est[0][j] && se[th - 1][j] == se[0][j]);
        }
        TU_ASSERT_REL(ll[th - 1], 4.0 * tu_json_num(tu_json_get(ref, "loglik_str")), 1e-10, "loglik");
        ck_assert(ll[th - 1] == ll[0]);
        occam_model_free(m);
        occam_opts_free(o);
    }
    free(X);
    free(X1);
    cJSON_Delete(root);
}
END_TEST

START_TEST(test_cdnow_days_mle)
{
    cJSON *root = tu_load_json("pnbd/cdnow_reference.json");
    int64_t n;
    double *X = load_cdnow(1, &n);
    occam_model *m;
    ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
    int rc = occam_model_fit(m, NULL, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL);
    ck_assert_msg(rc == OCCAM_OK, "fit: %d %s", rc, occam_last_error());
    check_mle(m, tu_json_get(tu_json_get(root, "mle"), "cdnow_summary_days"), "cdnow_summary_days");
    occam_model_free(m);
    free(X);
    cJSON_Delete(root);
}
END_TEST

/* OCCAM_OPT_THREADS: CDNOW three times over (7071 rows, collapse off: two
 * blocks of 4096 rows) fitted on 1 and 3 threads gives the same bits
 * (blocks added in block order), at the mpmath MLE of CDNOW (the same
 * parameters: the log-likelihood triples; 1e-7 relative as above, the
 * log-likelihood 3 x the reference's to 1e-10). */
START_TEST(test_threads_same_bits)
{
    cJSON *root = tu_load_json("pnbd/cdnow_reference.json");
    const cJSON *ref = tu_json_get(tu_json_get(root, "mle"), "cdnow_summary");
    int64_t n;
    double *X1 = load_cdnow(0, &n), *X = malloc((size_t)(3 * n) * 3 * sizeof(double));
    for (int r = 0; r < 3; r++) memcpy(X + 3 * n * r, X1, (size_t)n * 3 * sizeof(double));
    double est[2][4], se[2][4], ll[2];
    for (int t = 0; t < 2; t++) {
        occam_model *m;
        occam_opts *o;
        ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
        ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
        ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_COLLAPSE, 0), OCCAM_OK);
        ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_THREADS, t ? 3 : 1), OCCAM_OK);
        int rc = occam_model_fit(m, o, X, 3 * n, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL);
        ck_assert_msg(rc == OCCAM_OK, "fit: %d %s", rc, occam_last_error());
        occam_model_coef(m, OCCAM_COEF_ESTIMATE, est[t], 4);
        occam_model_coef(m, OCCAM_COEF_STD_ERROR, se[t], 4);
        occam_model_info(m, OCCAM_INFO_LOGLIK, &ll[t]);
        occam_model_free(m);
        occam_opts_free(o);
    }
    static const char *const k[4] = {"r", "alpha", "s", "beta"};
    for (int j = 0; j < 4; j++) {
        ck_assert_msg(est[0][j] == est[1][j] && se[0][j] == se[1][j], "%s: 1 and 3 threads differ", k[j]);
        TU_ASSERT_REL(est[1][j], tu_json_num(tu_json_get(tu_json_get(ref, "params_str"), k[j])), 1e-7, k[j]);
    }
    ck_assert(ll[0] == ll[1]);
    TU_ASSERT_REL(ll[1], 3 * tu_json_num(tu_json_get(ref, "loglik_str")), 1e-10, "loglik of 3 copies");
    free(X);
    free(X1);
    cJSON_Delete(root);
}
END_TEST

/* Collapsing identical rows, never/always/auto, and the same data given as
 * unique rows with counts as weights, reach the same optimum. */
START_TEST(test_collapse_same_optimum)
{
    int64_t n;
    double *X = load_cdnow(1, &n);
    double est[3][4], ll[3];
    for (int mode = 0; mode < 3; mode++) {
        occam_opts *o;
        occam_opts_new(&o);
        occam_opts_set_int(o, OCCAM_OPT_COLLAPSE, mode - 1);
        occam_model *m;
        occam_pnbd_new(&m);
        ck_assert_int_eq(occam_model_fit(m, o, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_OK);
        occam_model_coef(m, OCCAM_COEF_ESTIMATE, est[mode], 4);
        occam_model_info(m, OCCAM_INFO_LOGLIK, &ll[mode]);
        occam_model_free(m);
        occam_opts_free(o);
    }
    for (int mode = 1; mode < 3; mode++) {
        TU_ASSERT_REL(ll[mode], ll[0], 1e-12, "loglik with collapse");
        for (int k = 0; k < 4; k++) TU_ASSERT_REL(est[mode][k], est[0][k], 1e-7, "estimate with collapse");
    }
    /* unique rows + counts */
    occam_pnbd_data d;
    occam_matrix Xv;
    ck_assert_int_eq(occam__matrix_init(&Xv, X, n, 3, 3, OCCAM_ROW_MAJOR, "X"), OCCAM_OK);
    ck_assert_int_eq(occam__pnbd_data_build(&Xv, NULL, 1, &d), OCCAM_OK);
    ck_assert(d.collapsed == 1 && d.n < n && d.wsum == (double)n && d.nobs == n);
    double *U = malloc((size_t)d.n * 3 * sizeof(double));
    for (int64_t i = 0; i < d.n; i++) {
        U[i] = d.x[i];
        U[i + d.n] = d.tx[i];
        U[i + 2 * d.n] = d.T[i];
    }
    occam_model *m;
    occam_pnbd_new(&m);
    ck_assert_int_eq(occam_model_fit(m, NULL, U, d.n, 3, d.n, OCCAM_COL_MAJOR, NULL, d.w, NULL), OCCAM_OK);
    double e[4], l;
    occam_model_coef(m, OCCAM_COEF_ESTIMATE, e, 4);
    occam_model_info(m, OCCAM_INFO_LOGLIK, &l);
    TU_ASSERT_REL(l, ll[0], 1e-12, "loglik with counts as weights");
    for (int k = 0; k < 4; k++) TU_ASSERT_REL(e[k], est[0][k], 1e-7, "estimate with counts");
    double nobs;
    occam_model_info(m, OCCAM_INFO_NOBS, &nobs);
    ck_assert(nobs == (double)d.n);
    occam_model_free(m);
    occam__pnbd_data_free(&d);
    free(U);
    free(X);
}
END_TEST

START_TEST(test_data_build)
{
    double X[12] = {1, 2, 3, 0, 0, 5, 1, 2, 3, 4, 1, 6}; /* rows 0 and 2 equal */
    double w[4] = {1, 2, 0.5, 0};
    occam_matrix Xv;
    occam__matrix_init(&Xv, X, 4, 3, 3, OCCAM_ROW_MAJOR, "X");
    occam_pnbd_data d;
    ck_assert_int_eq(occam__pnbd_data_build(&Xv, w, 1, &d), OCCAM_OK);
    ck_assert_int_eq(d.n, 2); /* weight-0 row dropped, two rows merged */
    ck_assert_int_eq(d.nobs, 3);
    ck_assert(d.wsum == 3.5);
    ck_assert(d.x[0] == 0 && d.w[0] == 2.0 && d.x[1] == 1 && d.w[1] == 1.5);
    occam__pnbd_data_free(&d);
    ck_assert_int_eq(occam__pnbd_data_build(&Xv, w, 0, &d), OCCAM_OK);
    ck_assert_int_eq(d.n, 3);
    ck_assert(d.collapsed == 0);
    occam__pnbd_data_free(&d);
    double z[4] = {0, 0, 0, 0};
    ck_assert_int_eq(occam__pnbd_data_build(&Xv, z, -1, &d), OCCAM_E_NO_DATA);
}
END_TEST

START_TEST(test_maxit_warning)
{
    int64_t n;
    double *X = load_cdnow(0, &n);
    occam_opts *o;
    occam_opts_new(&o);
    occam_opts_set_int(o, OCCAM_OPT_MAXIT, 2);
    occam_model *m;
    occam_pnbd_new(&m);
    ck_assert_int_eq(occam_model_fit(m, o, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_W_NOT_CONVERGED);
    double v;
    int flags;
    occam_model_info(m, OCCAM_INFO_CONVERGED, &v);
    ck_assert(v == 0.0);
    occam_model_conditions(m, &flags);
    ck_assert(flags == OCCAM_COND_NOT_CONVERGED);
    /* a looser gradient tolerance converges in fewer iterations */
    double it_tight, it_loose;
    occam_opts_set_int(o, OCCAM_OPT_MAXIT, 200);
    ck_assert_int_eq(occam_model_fit(m, o, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_OK);
    occam_model_info(m, OCCAM_INFO_ITER, &it_tight);
    occam_opts_set_double(o, OCCAM_OPT_GRAD_TOL, 1e-3);
    ck_assert_int_eq(occam_model_fit(m, o, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_OK);
    occam_model_info(m, OCCAM_INFO_ITER, &it_loose);
    occam_model_info(m, OCCAM_INFO_GRAD_NORM, &v);
    ck_assert(v <= 1e-3);
    ck_assert(it_loose < it_tight);
    occam_model_free(m);
    occam_opts_free(o);
    free(X);
}
END_TEST

/* Simulated customers from known parameters: the fit recovers them within
 * a few standard errors (a statistical check; the seed is fixed). */
static uint64_t rs;
static double unif(void)
{
    uint64_t z = (rs += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}
static double rgamma(double a) /* Marsaglia-Tsang, rate 1 */
{
    if (a < 1) return rgamma(a + 1) * pow(unif(), 1.0 / a);
    double d = a - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double u1 = unif(), u2 = unif(), x = sqrt(-2 * log(1 - u1)) * cos(6.283185307179586 * u2), v = 1 + c * x;
        if (v <= 0) continue;
        v = v * v * v;
        double u = unif();
        if (log(1 - u) < 0.5 * x * x + d - d * v + d * log(v)) return d * v;
    }
}

START_TEST(test_recovers_simulated)
{
    rs = 7;
    const double truth[4] = {0.8, 8.0, 1.2, 15.0};
    int64_t n = 20000;
    double *X = malloc((size_t)n * 3 * sizeof(double));
    for (int64_t i = 0; i < n; i++) {
        double lam = rgamma(truth[0]) / truth[1], mu = rgamma(truth[2]) / truth[3];
        double T = 20 + 20 * unif(), life = -log(1 - unif()) / mu, end = fmin(life, T), t = 0, last = 0;
        int x = 0;
        for (;;) {
            t += -log(1 - unif()) / lam;
            if (t > end) break;
            x++;
            last = t;
        }
        X[3 * i] = x;
        X[3 * i + 1] = last;
        X[3 * i + 2] = T;
    }
    occam_model *m;
    occam_pnbd_new(&m);
    ck_assert_int_eq(occam_model_fit(m, NULL, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL), OCCAM_OK);
    double est[4], se[4];
    occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 4);
    occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, 4);
    for (int k = 0; k < 4; k++)
        ck_assert_msg(fabs(est[k] - truth[k]) <= 4 * se[k], "parameter %d: %g (SE %g), truth %g", k, est[k], se[k],
                      truth[k]);
    occam_model_free(m);
    free(X);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pnbd_fit");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_cdnow_mle);
    tcase_add_test(tc, test_cdnow_days_mle);
    tcase_add_test(tc, test_threads_same_fit);
    tcase_add_test(tc, test_threads_same_bits);
    tcase_add_test(tc, test_collapse_same_optimum);
    tcase_add_test(tc, test_data_build);
    tcase_add_test(tc, test_maxit_warning);
    tcase_add_test(tc, test_recovers_simulated);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
