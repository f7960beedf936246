/*
 * check_glm_stream.c -- the GLM pass driver (lib/glm_stream.c): the passes
 * a streamed fit reads, as occam.h documents them, against R 4.2.2's
 * iteration counts:
 *  - no offset, no halving: 1 + iter (warpbreaks Poisson, budworm
 *    binomial with weights; spector's non-convergence: 1 + maxit);
 *  - Gamma: 1 + iter + 1 (R's Gamma AIC needs the final deviance);
 *  - an intercept and an offset: 1 + iter + 1 + the null refit's
 *    iterations, R's glm.fit(intercept column, mustart = fitted) counts
 *    (tests/data/stream/make_reference.R), whose deviance is the fit's
 *    null deviance (1e-8);
 *  - the empty model (no coefficients): 1 pass;
 * and the fits are R's (estimates 1e-6, deviance 1e-8).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glm_case.h"
#include "stream_util.h"

/* Stream a reference case in chunks of 5; its passes. */
static int64_t passes_of(const char *rel, occam_model **out, glm_case *c)
{
    *c = glm_load_case(rel);
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_double(o, OCCAM_OPT_EPSILON, c->epsilon), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_MAXIT, c->maxit), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_INTERCEPT, c->intercept), OCCAM_OK);
    ck_assert_int_eq(occam_glm_new(c->family, c->link, out), OCCAM_OK);
    if (c->start) ck_assert_int_eq(occam_glm_set_start(*out, c->start, c->nstart), OCCAM_OK);
    su_data d = {c->X, c->n, c->p, c->y, c->has_w ? c->w : NULL, c->has_off ? c->off : NULL};
    int64_t passes = 0;
    int rc = su_stream_fit(*out, o, &d, 5, &passes);
    ck_assert_msg(rc >= 0, "%s: %s (%s)", c->id, occam_status_name(rc), occam_last_error());
    occam_opts_free(o);
    /* the fit is R's */
    int64_t k = c->p + c->intercept;
    double *b = malloc((size_t)(k + 1) * sizeof(double)), *r = tu_json_array(tu_json_get(c->j, "coefficients"), NULL);
    ck_assert_int_eq(occam_model_coef(*out, OCCAM_COEF_ESTIMATE, b, k), OCCAM_OK);
    for (int64_t j = 0; j < k; j++) TU_ASSERT_REL(b[j], r[j], 1e-6, "coefficient vs R");
    double dev;
    ck_assert_int_eq(occam_model_info(*out, OCCAM_INFO_DEVIANCE, &dev), OCCAM_OK);
    TU_ASSERT_REL(dev, tu_json_num(tu_json_get(c->j, "deviance")), 1e-8, "deviance vs R");
    free(b);
    free(r);
    return passes;
}

static int64_t r_iter(const glm_case *c) { return (int64_t)tu_json_num(tu_json_get(c->j, "iter")); }

START_TEST(test_passes_plain)
{
    const char *files[] = {"glm/warpbreaks_poisson_log.json", "glm/budworm_binomial_logit.json",
                           "glm/extra/nonconv_maxit3_spector_binomial_logit.json"};
    for (int f = 0; f < 3; f++) {
        glm_case c;
        occam_model *m;
        int64_t passes = passes_of(files[f], &m, &c);
        ck_assert_msg(passes == 1 + r_iter(&c), "%s: %lld passes, R iter %lld", c.id, (long long)passes,
                      (long long)r_iter(&c));
        occam_model_free(m);
        glm_case_free(&c);
    }
}
END_TEST

START_TEST(test_passes_gamma)
{
    const char *files[] = {"glm/clotting_gamma_inverse.json", "glm/airquality_gamma_log.json"};
    for (int f = 0; f < 2; f++) {
        glm_case c;
        occam_model *m;
        int64_t passes = passes_of(files[f], &m, &c);
        ck_assert_msg(passes == 2 + r_iter(&c), "%s: %lld passes, R iter %lld", c.id, (long long)passes,
                      (long long)r_iter(&c));
        double aic;
        ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_AIC, &aic), OCCAM_OK);
        TU_ASSERT_REL(aic, tu_json_num(tu_json_get(c.j, "aic")), 1e-8, "Gamma AIC vs R");
        occam_model_free(m);
        glm_case_free(&c);
    }
}
END_TEST

START_TEST(test_passes_null_refit)
{
    const char *files[] = {"glm/insurance_poisson_log_offset.json", "glm/extra/offset_infert_binomial_probit.json",
                           "glm/extra/offset_cars_gaussian_log.json"};
    cJSON *ref = tu_load_json("stream/reference.json");
    for (int f = 0; f < 3; f++) {
        glm_case c;
        occam_model *m;
        int64_t passes = passes_of(files[f], &m, &c);
        const cJSON *r = tu_json_get(ref, c.id);
        int64_t iter = (int64_t)tu_json_num(tu_json_get(r, "iter")), null_iter = (int64_t)tu_json_num(tu_json_get(r, "null_iter"));
        ck_assert_int_eq(iter, r_iter(&c));
        ck_assert_msg(passes == 1 + iter + 1 + null_iter, "%s: %lld passes, R: %lld + %lld iterations", c.id,
                      (long long)passes, (long long)iter, (long long)null_iter);
        double nd;
        ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_NULL_DEVIANCE, &nd), OCCAM_OK);
        TU_ASSERT_REL(nd, tu_json_num(tu_json_get(r, "null_deviance")), 1e-8, "null deviance vs R's refit");
        occam_model_free(m);
        glm_case_free(&c);
    }
    cJSON_Delete(ref);
}
END_TEST

/* glm(y ~ 0 + offset(off), poisson) on the insurance data (R 4.2.2:
 * deviance 28027.698771795465, iter 0; check_glm_irls.c): one pass. */
START_TEST(test_passes_empty_model)
{
    glm_case c = glm_load_case("glm/insurance_poisson_log_offset.json");
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_INTERCEPT, 0), OCCAM_OK);
    occam_model *m = NULL;
    ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &m), OCCAM_OK);
    su_data d = {c.X, c.n, 0, c.y, NULL, c.off};
    int64_t passes = 0;
    ck_assert_int_eq(su_stream_fit(m, o, &d, 9, &passes), OCCAM_OK);
    ck_assert_int_eq(passes, 1);
    double v;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &v), OCCAM_OK);
    TU_ASSERT_REL(v, 28027.698771795465, 1e-8, "empty model deviance vs R");
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_NULL_DEVIANCE, &v), OCCAM_OK);
    TU_ASSERT_REL(v, 28027.698771795465, 1e-8, "empty model null deviance vs R");
    occam_opts_free(o);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("glm_stream");
    TCase *tc = tcase_create("passes");
    tcase_add_test(tc, test_passes_plain);
    tcase_add_test(tc, test_passes_gamma);
    tcase_add_test(tc, test_passes_null_refit);
    tcase_add_test(tc, test_passes_empty_model);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
