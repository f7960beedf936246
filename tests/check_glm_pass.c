/*
 * check_glm_pass.c -- one GLM pass's contribution (lib/glm_pass.c):
 *  - a pass at R's final coefficients over R's reference cases gives R's
 *    deviance, Pearson chi-squared, AIC and null deviance (R 4.2.2 glm():
 *    relative 1e-10; the formulas are R's, the coefficients R's printed
 *    doubles, so only the rounding of the sums differs);
 *  - the same pass fed one row at a time, in chunks of 7 or all at once
 *    has the same bits (sums and the accumulated system's solve);
 *  - two halves merged equal the whole to rounding (1e-13 relative; the
 *    solve 1e-12);
 *  - R's errors while forming the working weights ("0s in V(mu)" at a
 *    row with mu = 0, here a Poisson identity fit) are kept with their row
 *    and reported only when the system is used.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm_case.h"
#include "glm_internal.h"
#include "stream_internal.h"

static occam_glm_setup setup_of(const glm_case *c)
{
    int link;
    ck_assert_int_eq(occam__glm_check_pair(c->family, c->link, &link), OCCAM_OK);
    return (occam_glm_setup){c->family, link, c->intercept, c->p, c->p + c->intercept, OCCAM_SOLVER_QR};
}

static int inputs_of(const glm_case *c)
{
    return (c->has_w ? OCCAM_STREAM_WEIGHTS : 0) | (c->has_off ? OCCAM_STREAM_OFFSET : 0);
}

/* Add rows [r0, r1) in chunks of `chunk` through the public path. */
static void add(occam_partial *pt, const glm_case *c, int64_t r0, int64_t r1, int64_t chunk)
{
    for (int64_t r = r0; r < r1; r += chunk) {
        int64_t nb = r1 - r < chunk ? r1 - r : chunk;
        int rc = occam_partial_add(pt, c->X + r, nb, c->n, OCCAM_COL_MAJOR, c->y + r, c->has_w ? c->w + r : NULL,
                                   c->has_off ? c->off + r : NULL);
        ck_assert_msg(rc == OCCAM_OK, "%s (%s)", occam_status_name(rc), occam_last_error());
    }
}

/* A pass at R's coefficients with flags, over all rows in chunks. */
static occam_partial *pass_with(const glm_case *c, int flags, double wtdmu, double disp, int64_t chunk)
{
    occam_glm_setup su = setup_of(c);
    double *b = tu_json_array(tu_json_get(c->j, "coefficients"), NULL);
    for (int64_t j = 0; j < su.k; j++)
        if (isnan(b[j])) b[j] = 0.0; /* aliased: R's NA is no term */
    occam_glm_passdef pd = {1, OCCAM_GLM_PASS_ITER, flags, su.k, b, su.k, b, wtdmu, disp};
    occam_partial *pt = NULL;
    ck_assert_int_eq(occam__glm_part_new(&su, &pd, inputs_of(c), &pt), OCCAM_OK);
    add(pt, c, 0, c->n, chunk);
    free(b);
    return pt;
}

static occam_partial *pass_at_r(const glm_case *c, int flags, double wtdmu, int64_t chunk)
{
    return pass_with(c, flags, wtdmu, 0.0, chunk);
}

static const occam_glm_sums *sums(const occam_partial *pt) { return &((const occam_glm_part *)pt->impl)->s; }

START_TEST(test_sums_at_r_coefficients)
{
    const char *files[] = {"glm/esoph_binomial_logit.json", "glm/insurance_poisson_log_offset.json",
                           "glm/airquality_gamma_log.json", "glm/cars_weighted_gaussian_identity.json"};
    for (int f = 0; f < 4; f++) {
        glm_case c = glm_load_case(files[f]);
        occam_partial *first = pass_at_r(&c, OCCAM_GLM_FIRST | OCCAM_GLM_SUMMARY, 0.0, 1000);
        const occam_glm_sums *s = sums(first);
        TU_ASSERT_REL(s->deviance, tu_json_num(tu_json_get(c.j, "deviance")), 1e-10, "deviance at R's coefficients");
        TU_ASSERT_REL(s->pearson, tu_json_num(tu_json_get(c.j, "pearson_chi2")), 1e-10, "Pearson chi2");
        ck_assert_int_eq(s->nobs, (int64_t)tu_json_num(tu_json_get(c.j, "df_null")) + c.intercept);
        int64_t rank = (int64_t)tu_json_num(tu_json_get(c.j, "rank"));
        double disp = s->deviance / s->sum_w, rows = s->aic;
        if (c.family == OCCAM_FAMILY_GAMMA) { /* R's Gamma AIC at dispersion deviance / sum(w) */
            occam_partial *g = pass_with(&c, OCCAM_GLM_GAMMA_AIC, 0.0, disp, 1000);
            rows = sums(g)->gamma_aic;
            occam_partial_free(g);
        }
        double aic = occam__glm_aic_total(c.family, c.n, s->deviance, s->sum_w, s->sum_logw, s->sum_wlogy, rows) +
                     2.0 * (double)rank;
        TU_ASSERT_REL(aic, tu_json_num(tu_json_get(c.j, "aic")), 1e-10, "AIC at R's coefficients");
        if (c.intercept && !c.has_off) { /* glm.fit's null deviance at the weighted mean */
            occam_partial *nd = pass_at_r(&c, OCCAM_GLM_NULLDEV, s->sum_wy / s->sum_w, 1000);
            TU_ASSERT_REL(sums(nd)->nulldev, tu_json_num(tu_json_get(c.j, "null_deviance")), 1e-10, "null deviance");
            occam_partial_free(nd);
        }
        occam_partial_free(first);
        glm_case_free(&c);
    }
}
END_TEST

/* The sums and the system of a pass do not depend on its chunks. */
START_TEST(test_chunking_same_bits)
{
    glm_case c = glm_load_case("glm/star98_binomial_logit.json");
    int flags = OCCAM_GLM_FIRST | OCCAM_GLM_SUMMARY | OCCAM_GLM_ACCUM;
    occam_partial *all = pass_at_r(&c, flags, 0.0, c.n), *ones = pass_at_r(&c, flags, 0.0, 1);
    occam_partial *sevens = pass_at_r(&c, flags, 0.0, 7);
    occam_lsq_result ra, r1, r7;
    ck_assert_int_eq(occam__lsq_solve(((occam_glm_part *)all->impl)->acc, 1e-11, &ra), OCCAM_OK);
    ck_assert_int_eq(occam__lsq_solve(((occam_glm_part *)ones->impl)->acc, 1e-11, &r1), OCCAM_OK);
    ck_assert_int_eq(occam__lsq_solve(((occam_glm_part *)sevens->impl)->acc, 1e-11, &r7), OCCAM_OK);
    ck_assert(memcmp(sums(all), sums(ones), sizeof(occam_glm_sums)) == 0);
    ck_assert(memcmp(sums(all), sums(sevens), sizeof(occam_glm_sums)) == 0);
    ck_assert(memcmp(ra.coef, r1.coef, (size_t)ra.k * sizeof(double)) == 0);
    ck_assert(memcmp(ra.coef, r7.coef, (size_t)ra.k * sizeof(double)) == 0);
    ck_assert(memcmp(ra.cov_unscaled, r7.cov_unscaled, (size_t)(ra.rank * ra.rank) * sizeof(double)) == 0);
    /* halves merged: the same to rounding */
    occam_glm_setup su = setup_of(&c);
    occam_partial *h1 = NULL, *h2 = NULL;
    ck_assert_int_eq(occam__partial_fork(all, &h1), OCCAM_OK);
    ck_assert_int_eq(occam__partial_fork(all, &h2), OCCAM_OK);
    add(h1, &c, 0, 150, 150);
    add(h2, &c, 150, c.n, 13);
    ck_assert_int_eq(occam_partial_merge(h1, h2), OCCAM_OK);
    const occam_glm_sums *a = sums(all), *m = sums(h1);
    ck_assert_int_eq(m->nobs, a->nobs);
    ck_assert_int_eq(m->ngood, a->ngood);
    TU_ASSERT_REL(m->deviance, a->deviance, 1e-13, "merged deviance");
    TU_ASSERT_REL(m->pearson, a->pearson, 1e-13, "merged Pearson");
    TU_ASSERT_REL(m->aic, a->aic, 1e-13, "merged AIC rows");
    TU_ASSERT_REL(m->sum_w, a->sum_w, 1e-13, "merged sum of weights");
    occam_lsq_result rm;
    ck_assert_int_eq(occam__lsq_solve(((occam_glm_part *)h1->impl)->acc, 1e-11, &rm), OCCAM_OK);
    for (int64_t j = 0; j < su.k; j++) TU_ASSERT_REL(rm.coef[j], ra.coef[j], 1e-12, "merged system's solve");
    occam__lsq_result_free(&ra);
    occam__lsq_result_free(&r1);
    occam__lsq_result_free(&r7);
    occam__lsq_result_free(&rm);
    occam_partial_free(all);
    occam_partial_free(ones);
    occam_partial_free(sevens);
    occam_partial_free(h1);
    occam_partial_free(h2);
    glm_case_free(&c);
}
END_TEST

/* poisson(identity), intercept only, offset -2: eta = b0 - 2 = 0 at b0 = 2
 * gives mu = 0, so V(mu) = 0: R's glm.fit stops with "0s in V(mu)".  Here
 * the row is kept and the message made when the system would be solved. */
START_TEST(test_deferred_error)
{
    occam_glm_setup su = {OCCAM_FAMILY_POISSON, OCCAM_LINK_IDENTITY, 1, 0, 1, OCCAM_SOLVER_QR};
    double b = 2.0, y[4] = {1, 2, 0, 3}, off[4] = {0, 0, -2, 0};
    occam_glm_passdef pd = {3, OCCAM_GLM_PASS_ITER, OCCAM_GLM_ACCUM, 1, &b, 0, NULL, 0.0, 0.0};
    occam_partial *pt = NULL;
    ck_assert_int_eq(occam__glm_part_new(&su, &pd, OCCAM_STREAM_OFFSET, &pt), OCCAM_OK);
    ck_assert_int_eq(occam_partial_add(pt, NULL, 2, 0, OCCAM_COL_MAJOR, y, NULL, off), OCCAM_OK);
    ck_assert_int_eq(occam_partial_add(pt, NULL, 2, 0, OCCAM_COL_MAJOR, y + 2, NULL, off + 2), OCCAM_OK);
    const occam_glm_sums *s = sums(pt);
    ck_assert_int_eq(s->valid, 0); /* mu = 0 is not a valid Poisson mean: the step would be halved */
    ck_assert_int_eq(s->bad_mu, 3);
    ck_assert_int_eq(s->acc_err, OCCAM__GLM_ERR_VAR_ZERO);
    ck_assert_int_eq(s->acc_err_row, 3);
    ck_assert_int_eq(occam__glm_acc_error(s->acc_err, s->acc_err_row, 4), OCCAM_E_NUMERIC);
    ck_assert_str_eq(occam_last_error(), "0s in V(mu) at row 3 (iteration 4)");
    occam_partial_free(pt);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("glm_pass");
    TCase *tc = tcase_create("pass");
    tcase_add_test(tc, test_sums_at_r_coefficients);
    tcase_add_test(tc, test_chunking_same_bits);
    tcase_add_test(tc, test_deferred_error);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
