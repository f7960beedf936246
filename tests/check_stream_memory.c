/*
 * check_stream_memory.c -- occam_model_fit run as passes over row ranges
 * (lib/stream_memory.c):
 *  - the per-row results it keeps (the sink the passes write) are R's:
 *    fitted values, linear predictors and working weights of the first 10
 *    rows (R 4.2.2 glm(), relative 1e-6 as check_glm.c);
 *  - split over 3 threads (OCCAM_OPT_THREADS) the fit equals the 1-thread
 *    fit to 1e-10 (the ranges' sums are merged in order), also for a fit
 *    from mustart, whose first passes read it by row number in each range
 *    (R's fit from its own starting means: 1e-6).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm_case.h"
#include "stream_util.h"

static occam_model *fit(const glm_case *c, int threads, const double *mustart)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_glm_new(c->family, c->link, &m), OCCAM_OK);
    if (mustart) ck_assert_int_eq(occam_glm_set_mustart(m, mustart, c->n), OCCAM_OK);
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_THREADS, threads), OCCAM_OK);
    int rc = occam_model_fit(m, o, c->X, c->n, c->p, c->n, OCCAM_COL_MAJOR, c->y, c->has_w ? c->w : NULL,
                             c->has_off ? c->off : NULL);
    ck_assert_msg(rc >= 0, "%s: %s", c->id, occam_last_error());
    occam_opts_free(o);
    return m;
}

static void rows_vs_r(const glm_case *c, const occam_model *m, int which, const char *key)
{
    double *v = malloc((size_t)c->n * sizeof(double)), *r = tu_json_array(tu_json_get(c->j, key), NULL);
    ck_assert_int_eq(occam_model_rows(m, which, v, c->n), OCCAM_OK);
    for (int64_t i = 0; i < 10 && i < c->n; i++) TU_ASSERT_REL(v[i], r[i], 1e-6, key);
    free(v);
    free(r);
}

START_TEST(test_rows_and_threads)
{
    const char *files[] = {"glm/insurance_poisson_log_offset.json", "glm/esoph_binomial_logit.json",
                           "glm/clotting_gamma_inverse.json"};
    for (int f = 0; f < 3; f++) {
        glm_case c = glm_load_case(files[f]);
        occam_model *one = fit(&c, 1, NULL), *three = fit(&c, 3, NULL);
        rows_vs_r(&c, one, OCCAM_ROWS_FITTED, "fitted_values_head");
        rows_vs_r(&c, three, OCCAM_ROWS_LINEAR_PREDICTOR, "linear_predictors_head");
        rows_vs_r(&c, three, OCCAM_ROWS_WORKING_WEIGHTS, "working_weights_head");
        su_compare(c.id, one, three, 1e-10);
        occam_model_free(one);
        occam_model_free(three);
        glm_case_free(&c);
    }
}
END_TEST

START_TEST(test_mustart_over_threads)
{
    glm_case c = glm_load_case("glm/warpbreaks_poisson_log.json");
    double *mus = malloc((size_t)c.n * sizeof(double));
    for (int64_t i = 0; i < c.n; i++) mus[i] = c.y[i] + 0.1; /* R's poisson initialize */
    occam_model *one = fit(&c, 1, mus), *three = fit(&c, 3, mus);
    su_compare("warpbreaks from mustart, 3 threads", one, three, 1e-10);
    double est[4], *r = tu_json_array(tu_json_get(c.j, "coefficients"), NULL);
    ck_assert_int_eq(occam_model_coef(three, OCCAM_COEF_ESTIMATE, est, 4), OCCAM_OK);
    for (int j = 0; j < 4; j++) TU_ASSERT_REL(est[j], r[j], 1e-6, "mustart fit on 3 threads vs R");
    free(r);
    free(mus);
    occam_model_free(one);
    occam_model_free(three);
    glm_case_free(&c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stream_memory");
    TCase *tc = tcase_create("memory");
    tcase_add_test(tc, test_rows_and_threads);
    tcase_add_test(tc, test_mustart_over_threads);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
