/*
 * check_hyp2f1.c -- lib/hyp2f1.c: S(e, c, z) = 2F1(1, e; c; z) and its
 * derivatives against 50-digit mpmath values (tests/data/pnbd/hard_cases.json,
 * "h2f1", made by make_hard_cases.py: mpmath hyp2f1 and mp.diff), the series
 * and the quadrature against each other where both apply, and the
 * Gauss-Kronrod integrator on integrals with closed forms.
 */
#include <math.h>
#include <stdio.h>

#include "testutil.h"
#include "hyp2f1.h"

START_TEST(test_h2f1_mpmath)
{
    cJSON *root = tu_load_json("pnbd/hard_cases.json");
    const cJSON *cases = tu_json_get(root, "h2f1"), *c;
    int n = 0;
    cJSON_ArrayForEach(c, cases)
    {
        double e = tu_json_num(tu_json_get(c, "e")), cc = tu_json_num(tu_json_get(c, "c"));
        double z = tu_json_num(tu_json_get(c, "z")), zc = tu_json_num(tu_json_get(c, "zc"));
        double out[4];
        ck_assert_int_eq(occam__h2f1_1ec(e, cc, z, zc, out), 0);
        char what[128];
        static const char *const key[4] = {"S", "dS_de", "dS_dc", "dS_dz"};
        /* value to 1e-13, derivatives to 1e-11 relative (mpmath: 50 digits) */
        for (int k = 0; k < 4; k++) {
            snprintf(what, sizeof what, "%s(e=%g, c=%.17g, z=1-%g)", key[k], e, cc, zc);
            ck_assert_msg(isfinite(out[k]), "%s not finite", what);
            TU_ASSERT_REL(out[k], tu_json_num(tu_json_get(c, key[k])), k == 0 ? 1e-13 : 1e-11, what);
        }
        n++;
    }
    ck_assert_int_ge(n, 15);
    cJSON_Delete(root);
}
END_TEST

/* occam__h2f1_1ec_d2 at every mpmath case: S and its first derivatives at
 * levels 1 and 2 to test_h2f1_mpmath's tolerances (hard_cases.json), the
 * second derivatives (hessian.json, "h2f1": mp.diff of mpmath's hyp2f1 at
 * 50 digits, made by make_hessian.py) to 1e-10 relative where the series
 * sums them (z <= OCCAM_H2F1_SERIES_ZMAX) and 1e-6 where they are central
 * differences of the quadrature (hyp2f1.h: ~1e-8).  Every case runs twice
 * through one coefficient table, which the cases' different (e, c) must
 * reset and the second pass reuses. */
START_TEST(test_d2_mpmath)
{
    cJSON *hard = tu_load_json("pnbd/hard_cases.json"), *root = tu_load_json("pnbd/hessian.json");
    const cJSON *c1 = tu_json_get(hard, "h2f1")->child, *c2 = tu_json_get(root, "h2f1")->child;
    static const char *const key1[4] = {"S", "dS_de", "dS_dc", "dS_dz"};
    static const char *const key2[6] = {"d2S_dede", "d2S_dedc", "d2S_dcdc", "d2S_dedz", "d2S_dcdz", "d2S_dzdz"};
    occam_h2_coef tab;
    tab.n = 0;
    int n = 0;
    for (; c1 != NULL && c2 != NULL; c1 = c1->next, c2 = c2->next)
        for (int pass = 0; pass < 4; pass++) {
            int level = 1 + pass % 2;
            double e = tu_json_num(tu_json_get(c2, "e")), cc = tu_json_num(tu_json_get(c2, "c"));
            double z = tu_json_num(tu_json_get(c2, "z")), zc = tu_json_num(tu_json_get(c2, "zc"));
            ck_assert(e == tu_json_num(tu_json_get(c1, "e")) && z == tu_json_num(tu_json_get(c1, "z")));
            double out[10];
            ck_assert_int_eq(occam__h2f1_1ec_d2(e, cc, z, zc, level, &tab, out), 0);
            char what[128];
            for (int k = 0; k < 4; k++) {
                snprintf(what, sizeof what, "level %d %s(e=%g, c=%.17g, z=1-%g)", level, key1[k], e, cc, zc);
                TU_ASSERT_REL(out[k], tu_json_num(tu_json_get(c1, key1[k])), k == 0 ? 1e-13 : 1e-11, what);
            }
            for (int k = 0; level == 2 && k < 6; k++) {
                snprintf(what, sizeof what, "%s(e=%g, c=%.17g, z=1-%g)", key2[k], e, cc, zc);
                double want = tu_json_num(tu_json_get(c2, key2[k]));
                TU_ASSERT_REL(out[4 + k], want, z <= OCCAM_H2F1_SERIES_ZMAX ? 1e-10 : 1e-6, what);
            }
            n++;
        }
    ck_assert_int_ge(n, 4 * 15);
    cJSON_Delete(hard);
    cJSON_Delete(root);
}
END_TEST

/* Both methods on a grid where both are accurate: they share no code. */
START_TEST(test_series_equals_quadrature)
{
    const double es[] = {1e-3, 0.3, 1.0, 2.5, 40.0, 1e4};
    const double gaps[] = {1e-3, 0.5, 1.0, 3.0, 100.0, 1e4}; /* c - e */
    const double zcs[] = {0.5, 0.25, 0.125, 0.1};
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++)
            for (int k = 0; k < 4; k++) {
                double e = es[i], c = es[i] + gaps[j], zc = zcs[k], z = 1.0 - zc;
                if (!(c > 1)) continue;
                double a[4], b[4];
                ck_assert_int_eq(occam__h2f1_1ec_series(e, c, z, a), 0);
                ck_assert_int_eq(occam__h2f1_1ec_quad(e, c, zc, b), 0);
                for (int m = 0; m < 4; m++) {
                    char what[96];
                    snprintf(what, sizeof what, "component %d at e=%g c=%g z=%g", m, e, c, z);
                    TU_ASSERT_REL(b[m], a[m], m == 0 ? 1e-13 : 1e-11, what);
                }
            }
}
END_TEST

START_TEST(test_h2f1_limits)
{
    double out[4];
    /* z = 0: S = 1, dS/dz = e/c, parameter derivatives 0 */
    ck_assert_int_eq(occam__h2f1_1ec(0.7, 3.2, 0.0, 1.0, out), 0);
    ck_assert(out[0] == 1.0 && out[1] == 0.0 && out[2] == 0.0);
    TU_ASSERT_REL(out[3], 0.7 / 3.2, 1e-15, "dS/dz at 0");
    /* e = 1, c = 2: 2F1(1, 1; 2; z) = -log(1 - z)/z (A&S 15.1.3) */
    const double zs[] = {0.1, 0.5, 0.9, 0.99, 1.0 - 0x1p-30};
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(occam__h2f1_1ec(1.0, 2.0, zs[i], 1.0 - zs[i], out), 0);
        TU_ASSERT_REL(out[0], -log1p(-zs[i]) / zs[i], 2e-15, "2F1(1,1;2;z)");
    }
    /* e = 1, c = 3: 2F1(1, 1; 3; z) = 2 [z + (1 - z) log(1 - z)] / z^2 */
    for (int i = 0; i < 4; i++) {
        double z = zs[i];
        ck_assert_int_eq(occam__h2f1_1ec(1.0, 3.0, z, 1.0 - z, out), 0);
        TU_ASSERT_REL(out[0], 2.0 * (z + (1.0 - z) * log1p(-z)) / (z * z), 1e-13, "2F1(1,1;3;z)");
    }
}
END_TEST

START_TEST(test_h2f1_domain)
{
    double out[4];
    ck_assert_int_eq(occam__h2f1_1ec(0.0, 2.0, 0.5, 0.5, out), -1); /* e = 0 */
    ck_assert(isnan(out[0]));
    ck_assert_int_eq(occam__h2f1_1ec(2.0, 2.0, 0.5, 0.5, out), -1);  /* c = e */
    ck_assert_int_eq(occam__h2f1_1ec(0.5, 0.9, 0.5, 0.5, out), -1);  /* c <= 1 */
    ck_assert_int_eq(occam__h2f1_1ec(0.5, 2.0, 1.0, 0.0, out), -1);  /* z = 1 */
    ck_assert_int_eq(occam__h2f1_1ec(0.5, 2.0, -0.1, 1.1, out), -1); /* z < 0 */
    ck_assert_int_eq(occam__h2f1_1ec(NAN, 2.0, 0.5, 0.5, out), -1);
}
END_TEST

static void f_poly(double y, void *ctx, double *v)
{
    (void)ctx;
    v[0] = y * y * y * y * y * y * y * y * y * y; /* y^10 */
    v[1] = sin(y);
    v[2] = exp(-y);
}

static void f_sqrt(double y, void *ctx, double *v)
{
    (void)ctx;
    v[0] = sqrt(y); /* endpoint singularity in the derivative: needs bisection */
}

START_TEST(test_quad_gk)
{
    double b[3] = {0.0, 1.0, 50.0}, r[3];
    ck_assert_int_eq(occam__quad_gk(f_poly, NULL, 3, (double[]){0.0, 1.0}, 2, 1e-14, r), 0);
    TU_ASSERT_REL(r[0], 1.0 / 11.0, 1e-15, "int_0^1 y^10");
    TU_ASSERT_REL(r[1], 1.0 - cos(1.0), 1e-15, "int_0^1 sin");
    TU_ASSERT_REL(r[2], -expm1(-1.0), 1e-15, "int_0^1 exp(-y)");
    ck_assert_int_eq(occam__quad_gk(f_poly, NULL, 3, b, 3, 1e-13, r), 0);
    TU_ASSERT_REL(r[2], -expm1(-50.0), 1e-14, "int_0^50 exp(-y)");
    TU_ASSERT_REL(r[1], 1.0 - cos(50.0), 1e-13, "int_0^50 sin");
    ck_assert_int_eq(occam__quad_gk(f_sqrt, NULL, 1, (double[]){0.0, 4.0}, 2, 1e-12, r), 0);
    TU_ASSERT_REL(r[0], 16.0 / 3.0, 1e-12, "int_0^4 sqrt");
    ck_assert_int_eq(occam__quad_gk(f_sqrt, NULL, 0, b, 3, 1e-12, r), -1);
    ck_assert_int_eq(occam__quad_gk(f_sqrt, NULL, 1, b, 1, 1e-12, r), -1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("hyp2f1");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_h2f1_mpmath);
    tcase_add_test(tc, test_series_equals_quadrature);
    tcase_add_test(tc, test_d2_mpmath);
    tcase_add_test(tc, test_h2f1_limits);
    tcase_add_test(tc, test_h2f1_domain);
    tcase_add_test(tc, test_quad_gk);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
