/*
 * threads.c -- one fitted model shared by 8 threads, as a service shares it
 * (issue 15 point 11; the calls include/occam.h lists as safe on one handle
 * from many threads): each thread makes 10^4 occam_model_predict() calls on
 * the same model (response and link scale, standard errors on every 10th),
 * reads the coefficient table on every call and, every 100th, serializes
 * the model, reads its covariance, a coefficient name, a scalar result and
 * its conditions, and provokes an error whose occam_last_error() must be its
 * own thread's message.
 *
 * References: R 4.2.2's glm() on infert (tests/data/glm/
 * infert_binomial_logit.json): coefficients relative 1e-6 and the first 10
 * fitted values relative 1e-6 (the GLM tolerances of check_glm.c); and the
 * single-threaded results taken before the threads start, which every
 * concurrent call must reproduce bit for bit (the determinism contract of
 * docs/api.md: predictions are a fixed-order C loop).
 *
 * Run in every build, and under ThreadSanitizer by tests/sh/test_tsan.sh.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glm_case.h"

enum { THREADS = 8, CALLS = 10000 };

typedef struct shared {
    const occam_model *m;
    const glm_case *c;
    int64_t k;
    const double *mu, *eta, *se; /* single-threaded references, n each */
    const double *coef;          /* k */
    const unsigned char *bytes;  /* serialized model */
    size_t nbytes;
    double deviance;
    const char *name1; /* R's name of coefficient 1 */
} shared;

typedef struct job {
    const shared *s;
    int id;
    long mismatches; /* results that differ from the references */
    long bad_status; /* calls with an unexpected status */
    char first[256]; /* the first problem */
} job;

static void note(job *j, long *counter, const char *what, int i)
{
    if (j->mismatches + j->bad_status == 0)
        snprintf(j->first, sizeof j->first, "thread %d, call %d: %s", j->id, i, what);
    (*counter)++;
}

static void *worker(void *arg)
{
    job *j = arg;
    const shared *s = j->s;
    const glm_case *c = s->c;
    int64_t n = c->n, k = s->k;
    double *out = malloc((size_t)n * sizeof *out), *se = malloc((size_t)n * sizeof *se);
    double *coef = malloc((size_t)k * sizeof *coef), *vcov = malloc((size_t)(k * k) * sizeof *vcov);
    unsigned char *bytes = malloc(s->nbytes);
    char name[64], expect[128];
    for (int i = 0; i < CALLS; i++) {
        int link = i % 2, with_se = i % 10 == 0;
        int type = link ? OCCAM_PREDICT_LINK : OCCAM_PREDICT_RESPONSE;
        int rc = occam_model_predict(s->m, type, 0.0, c->X, n, c->p, n, OCCAM_COL_MAJOR, NULL, out,
                                     with_se ? se : NULL, n);
        if (rc != OCCAM_OK) note(j, &j->bad_status, "predict status", i);
        else if (memcmp(out, link ? s->eta : s->mu, (size_t)n * sizeof *out) != 0)
            note(j, &j->mismatches, "predictions differ from the single-threaded ones", i);
        else if (with_se && !link && memcmp(se, s->se, (size_t)n * sizeof *se) != 0)
            note(j, &j->mismatches, "standard errors differ", i);
        rc = occam_model_coef(s->m, OCCAM_COEF_ESTIMATE, coef, k);
        if (rc != OCCAM_OK) note(j, &j->bad_status, "coef status", i);
        else if (memcmp(coef, s->coef, (size_t)k * sizeof *coef) != 0)
            note(j, &j->mismatches, "coefficients differ", i);
        if (i % 100 != 0) continue;
        size_t need = 0;
        rc = occam_model_serialize(s->m, bytes, s->nbytes, &need);
        if (rc != OCCAM_OK || need != s->nbytes) note(j, &j->bad_status, "serialize status", i);
        else if (memcmp(bytes, s->bytes, need) != 0) note(j, &j->mismatches, "serialized bytes differ", i);
        double dev = 0;
        int flags = -1;
        if (occam_model_vcov(s->m, vcov, k) != OCCAM_OK || occam_model_info(s->m, OCCAM_INFO_DEVIANCE, &dev) != OCCAM_OK ||
            occam_model_conditions(s->m, &flags) != OCCAM_OK ||
            occam_model_coef_name(s->m, 1, name, sizeof name, NULL) != OCCAM_OK)
            note(j, &j->bad_status, "vcov/info/conditions/coef_name status", i);
        else if (dev != s->deviance || flags != 0 || strcmp(name, s->name1) != 0)
            note(j, &j->mismatches, "deviance, conditions or coefficient name differ", i);
        /* an error of this thread's own: out_len = id + 1 < n */
        rc = occam_model_predict(s->m, type, 0.0, c->X, n, c->p, n, OCCAM_COL_MAJOR, NULL, out, NULL, j->id + 1);
        snprintf(expect, sizeof expect, "out has room for %d values, %lld needed", j->id + 1, (long long)n);
        if (rc != OCCAM_E_BUFFER_TOO_SMALL || strcmp(occam_last_error(), expect) != 0)
            note(j, &j->mismatches, "occam_last_error() is not this thread's message", i);
    }
    free(out);
    free(se);
    free(coef);
    free(vcov);
    free(bytes);
    return NULL;
}

START_TEST(test_shared_model_many_threads)
{
    glm_case c = glm_load_case("glm/infert_binomial_logit.json");
    occam_model *m = NULL;
    ck_assert_int_eq(glm_fit_case(&c, OCCAM_SOLVER_QR, &m), OCCAM_OK);
    int64_t n = c.n, k = 0;
    ck_assert_int_eq(occam_model_dims(m, &k, NULL), OCCAM_OK);
    const cJSON *r_names = tu_json_get(c.j, "coef_names");
    const char *names[8];
    ck_assert_int_eq(cJSON_GetArraySize(r_names), k);
    for (int64_t j = 1; j < k; j++) names[j - 1] = cJSON_GetArrayItem(r_names, (int)j)->valuestring;
    ck_assert_int_eq(occam_model_set_names(m, names, k - 1), OCCAM_OK);

    shared s = {.m = m, .c = &c, .k = k, .name1 = names[0]};
    double *mu = malloc((size_t)n * sizeof *mu), *eta = malloc((size_t)n * sizeof *eta);
    double *se = malloc((size_t)n * sizeof *se), *coef = malloc((size_t)k * sizeof *coef);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, c.X, n, c.p, n, OCCAM_COL_MAJOR, NULL, mu, se, n),
                     OCCAM_OK);
    ck_assert_int_eq(occam_model_predict(m, OCCAM_PREDICT_LINK, 0, c.X, n, c.p, n, OCCAM_COL_MAJOR, NULL, eta, NULL, n),
                     OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, coef, k), OCCAM_OK);
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &s.deviance), OCCAM_OK);
    /* the references against R */
    int64_t nh = 0, nc = 0;
    double *r_mu = tu_json_array(tu_json_get(c.j, "fitted_values_head"), &nh);
    double *r_coef = tu_json_array(tu_json_get(c.j, "coefficients"), &nc);
    ck_assert_int_eq(nc, k);
    for (int64_t i = 0; i < nh; i++) TU_ASSERT_REL(mu[i], r_mu[i], 1e-6, "fitted value vs R");
    for (int64_t i = 0; i < k; i++) TU_ASSERT_REL(coef[i], r_coef[i], 1e-6, "coefficient vs R");
    size_t nbytes = 0;
    ck_assert_int_eq(occam_model_serialize(m, NULL, 0, &nbytes), OCCAM_E_BUFFER_TOO_SMALL);
    unsigned char *bytes = malloc(nbytes);
    ck_assert_int_eq(occam_model_serialize(m, bytes, nbytes, &nbytes), OCCAM_OK);
    s.mu = mu;
    s.eta = eta;
    s.se = se;
    s.coef = coef;
    s.bytes = bytes;
    s.nbytes = nbytes;

    pthread_t th[THREADS];
    job jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (job){.s = &s, .id = t};
        ck_assert_int_eq(pthread_create(&th[t], NULL, worker, &jobs[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) ck_assert_int_eq(pthread_join(th[t], NULL), 0);
    for (int t = 0; t < THREADS; t++)
        ck_assert_msg(jobs[t].mismatches == 0 && jobs[t].bad_status == 0, "%ld mismatches, %ld bad statuses; %s",
                      jobs[t].mismatches, jobs[t].bad_status, jobs[t].first);
    free(r_mu);
    free(r_coef);
    free(mu);
    free(eta);
    free(se);
    free(coef);
    free(bytes);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

static Suite *threads_suite(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("one model, 8 threads");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_shared_model_many_threads);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(threads_suite()); }
