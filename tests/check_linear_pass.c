/*
 * check_linear_pass.c -- one pass of a least-squares fit (lib/linear_pass.c)
 * on R's weighted cars fit, lm(dist ~ speed, weights = 1/speed) (R 4.2.2,
 * tests/data/glm/cars_weighted_gaussian_identity.json):
 *  - the QR pass's solve gives R's coefficients (1e-12: a QR without
 *    refinement on a well-conditioned X);
 *  - the residual pass at R's coefficients, with the first pass's centers,
 *    gives R's residual sum of squares and null deviance, and summary.lm's
 *    sigma and R^2 (1e-12);
 *  - each pass fed one row at a time has the bits of one call with all
 *    rows; merged halves equal the whole to rounding (1e-13);
 *  - the refinement pass with the covariance step's X'WX (its cov flag)
 *    has the same chains fed row by row, and X'WX is the plain sums'
 *    (1e-13), merged or not.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm_case.h"
#include "linear_internal.h"
#include "stream_internal.h"

static const occam_linear_setup SU = {1, 1, 2, OCCAM_SOLVER_QR};

static occam_partial *pass(int type, const double *b, double cf, double cz, const glm_case *c, int64_t r0, int64_t r1,
                           int64_t chunk)
{
    occam_linear_passdef pd = {type == OCCAM_LINEAR_PASS_QR ? 0 : 1, type, type == OCCAM_LINEAR_PASS_QR ? 0 : 2,
                               (double *)b, cf, cz, type == OCCAM_LINEAR_PASS_REFINE};
    occam_partial *pt = NULL;
    ck_assert_int_eq(occam__linear_part_new(&SU, &pd, OCCAM_STREAM_WEIGHTS, &pt), OCCAM_OK);
    for (int64_t r = r0; r < r1; r += chunk) {
        int64_t nb = r1 - r < chunk ? r1 - r : chunk;
        ck_assert_int_eq(occam_partial_add(pt, c->X + r, nb, c->n, OCCAM_COL_MAJOR, c->y + r, c->w + r, NULL), OCCAM_OK);
    }
    return pt;
}

static occam_linear_part *impl(const occam_partial *pt) { return pt->impl; }

START_TEST(test_passes_against_r)
{
    glm_case c = glm_load_case("glm/cars_weighted_gaussian_identity.json");
    const cJSON *lm = tu_json_get(c.j, "lm");
    double *rb = tu_json_array(tu_json_get(lm, "coefficients"), NULL);
    occam_partial *qr = pass(OCCAM_LINEAR_PASS_QR, NULL, 0, 0, &c, 0, c.n, c.n);
    occam_lsq_result res;
    ck_assert_int_eq(occam__lsq_solve(impl(qr)->acc, 1e-10, &res), OCCAM_OK);
    for (int j = 0; j < 2; j++) TU_ASSERT_REL(res.coef[j], rb[j], 1e-12, "QR pass coefficient vs R");
    const occam_linear_sums *s = &impl(qr)->s;
    occam_partial *rp = pass(OCCAM_LINEAR_PASS_RESID, rb, s->sum_wy / s->sum_w, s->sum_wz / s->sum_w, &c, 0, c.n, 9);
    occam_linear_sums t = impl(rp)->s;
    t.sum_w = s->sum_w;
    t.sum_wy = s->sum_wy;
    t.sum_wz = s->sum_wz;
    t.sum_logw = s->sum_logw;
    double stats[NSTATS];
    ck_assert_int_eq(occam__linear_summary(&t, 1, 2, stats), 0);
    TU_ASSERT_REL(stats[S_RSS], tu_json_num(tu_json_get(lm, "rss")), 1e-12, "RSS at R's coefficients");
    TU_ASSERT_REL(stats[S_NULL_RSS], tu_json_num(tu_json_get(c.j, "null_deviance")), 1e-12, "null RSS");
    TU_ASSERT_REL(stats[S_SIGMA], tu_json_num(tu_json_get(lm, "sigma")), 1e-12, "sigma");
    TU_ASSERT_REL(stats[S_R2], tu_json_num(tu_json_get(lm, "r_squared")), 1e-12, "R^2");
    occam__lsq_result_free(&res);
    occam_partial_free(qr);
    occam_partial_free(rp);
    free(rb);
    glm_case_free(&c);
}
END_TEST

START_TEST(test_chunking_and_merging)
{
    glm_case c = glm_load_case("glm/cars_weighted_gaussian_identity.json");
    double b[2] = {-10.5, 3.5}; /* any coefficients: the passes' sums are compared with themselves */
    for (int type = OCCAM_LINEAR_PASS_QR; type <= OCCAM_LINEAR_PASS_RESID; type++) {
        occam_partial *all = pass(type, b, 40, 40, &c, 0, c.n, c.n), *ones = pass(type, b, 40, 40, &c, 0, c.n, 1);
        occam_partial *h1 = pass(type, b, 40, 40, &c, 0, 17, 5), *h2 = pass(type, b, 40, 40, &c, 17, c.n, 3);
        const occam_linear_part *a = impl(all), *o = impl(ones);
        ck_assert(memcmp(&a->s, &o->s, sizeof a->s) == 0);
        if (type == OCCAM_LINEAR_PASS_REFINE) {
            ck_assert(memcmp(a->grad.s, o->grad.s, 2 * OCCAM__GRAD_LANES * sizeof(double)) == 0);
            ck_assert(memcmp(a->grad.c, o->grad.c, 2 * OCCAM__GRAD_LANES * sizeof(double)) == 0);
            ck_assert(memcmp(a->gram.s, o->gram.s, 3 * OCCAM__GRAD_LANES * sizeof(double)) == 0);
            ck_assert(memcmp(a->gram.c, o->gram.c, 3 * OCCAM__GRAD_LANES * sizeof(double)) == 0);
        }
        ck_assert_int_eq(occam_partial_merge(h1, h2), OCCAM_OK);
        const occam_linear_sums *m = &impl(h1)->s;
        ck_assert_int_eq(m->nobs, a->s.nobs);
        TU_ASSERT_REL(m->sum_wz, a->s.sum_wz, 1e-13, "merged sum w z");
        TU_ASSERT_REL(m->rss.s + m->rss.c, a->s.rss.s + a->s.rss.c, 1e-13, "merged RSS");
        TU_ASSERT_REL(m->fm2, a->s.fm2, 1e-13, "merged M2 of the fitted values");
        if (type == OCCAM_LINEAR_PASS_QR) {
            occam_lsq_result r1, r2, r3;
            ck_assert_int_eq(occam__lsq_solve(impl(all)->acc, 1e-10, &r1), OCCAM_OK);
            ck_assert_int_eq(occam__lsq_solve(impl(ones)->acc, 1e-10, &r2), OCCAM_OK);
            ck_assert_int_eq(occam__lsq_solve(impl(h1)->acc, 1e-10, &r3), OCCAM_OK);
            ck_assert(memcmp(r1.coef, r2.coef, 2 * sizeof(double)) == 0);
            for (int j = 0; j < 2; j++) TU_ASSERT_REL(r3.coef[j], r1.coef[j], 1e-13, "merged solve");
            occam__lsq_result_free(&r1);
            occam__lsq_result_free(&r2);
            occam__lsq_result_free(&r3);
        }
        if (type == OCCAM_LINEAR_PASS_REFINE) {
            double g1[2], g2[2];
            occam__lsq_grad_value(&impl(all)->grad, g1);
            occam__lsq_grad_value(&impl(h1)->grad, g2);
            for (int j = 0; j < 2; j++) TU_ASSERT_REL(g2[j], g1[j], 1e-13, "merged gradient");
            double xwx[3] = {0, 0, 0}, A1[3], A2[3]; /* sums of w, w x, w x^2 */
            for (int64_t i = 0; i < c.n; i++) {
                xwx[0] += c.w[i];
                xwx[1] += c.w[i] * c.X[i];
                xwx[2] += c.w[i] * c.X[i] * c.X[i];
            }
            occam__lsq_grad_value(&impl(all)->gram, A1);
            occam__lsq_grad_value(&impl(h1)->gram, A2);
            for (int e = 0; e < 3; e++) {
                TU_ASSERT_REL(A1[e], xwx[e], 1e-13, "X'WX");
                TU_ASSERT_REL(A2[e], xwx[e], 1e-13, "merged X'WX");
            }
        }
        occam_partial_free(all);
        occam_partial_free(ones);
        occam_partial_free(h1);
        occam_partial_free(h2);
    }
    glm_case_free(&c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linear_pass");
    TCase *tc = tcase_create("pass");
    tcase_add_test(tc, test_passes_against_r);
    tcase_add_test(tc, test_chunking_and_merging);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
