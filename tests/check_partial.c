/*
 * check_partial.c -- partial results (lib/partial.c, occam_partial_*): the
 * distributed form of a streamed fit.
 *
 *  - every pass of a fit split over four disjoint row ranges (one of a
 *    single row, the others uneven), each range in its own forked partial
 *    fed in chunks of 3 rows, serialized and deserialized (the round trip
 *    is bit-exact: serialize(deserialize(bytes)) == bytes, for the pieces
 *    and for the merged total), merged in three tree orders ((ab)(cd),
 *    ((ab)c)d, a(b(cd))) and absorbed: each order gives the in-memory fit
 *    (estimates, SEs and every scalar relative 1e-10, iterations, aliasing
 *    and conditions exactly) and R's (1e-6, as check_glm.c).  Cases: prior
 *    weights, an offset with an intercept (the null-deviance refit's
 *    passes), Gamma with start values and step-halving, an aliased column,
 *    linear with weights and with an offset;
 *  - partials of another pass, of another fit (other coefficients), of
 *    another kind or other inputs are refused (OCCAM_E_INVALID_ARG naming
 *    why) and the stream goes on to the right answer;
 *  - a failed partial stays failed, cannot be merged, absorbed or
 *    serialized; a pass reading the model's mustart by row cannot be forked;
 *  - a pass fed partly with occam_stream_update and partly with absorbed
 *    partials gives the same fit.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glm_case.h"
#include "stream_util.h"

/* serialize -> deserialize, asserting that writing the copy gives the same bytes. */
static occam_partial *roundtrip(const occam_partial *pt)
{
    size_t len = 0, len2 = 0;
    ck_assert_int_eq(occam_partial_serialize(pt, NULL, 0, &len), OCCAM_E_BUFFER_TOO_SMALL);
    unsigned char *a = malloc(len), *b = malloc(len + 1);
    ck_assert_int_eq(occam_partial_serialize(pt, a, len, &len), OCCAM_OK);
    occam_partial *q = NULL;
    int rc = occam_partial_deserialize(a, len, &q);
    ck_assert_msg(rc == OCCAM_OK, "deserialize: %s (%s)", occam_status_name(rc), occam_last_error());
    ck_assert_int_eq(occam_partial_serialize(q, b, len + 1, &len2), OCCAM_OK);
    ck_assert_msg(len2 == len && memcmp(a, b, len) == 0, "serialize(deserialize(bytes)) != bytes");
    int64_t r1 = -1, r2 = -2;
    ck_assert_int_eq(occam_partial_rows(pt, &r1), OCCAM_OK);
    ck_assert_int_eq(occam_partial_rows(q, &r2), OCCAM_OK);
    ck_assert_int_eq(r1, r2);
    free(a);
    free(b);
    return q;
}

static void add_rows(occam_partial *pt, const su_data *d, int64_t r0, int64_t r1, int64_t chunk)
{
    for (int64_t r = r0; r < r1; r += chunk) {
        int64_t nb = r1 - r < chunk ? r1 - r : chunk;
        int rc = occam_partial_add(pt, d->X + r, nb, d->n, OCCAM_COL_MAJOR, d->y + r, d->w ? d->w + r : NULL,
                                   d->off ? d->off + r : NULL);
        ck_assert_msg(rc == OCCAM_OK, "partial_add: %s (%s)", occam_status_name(rc), occam_last_error());
    }
}

static void merge(occam_partial *dst, const occam_partial *src)
{
    int rc = occam_partial_merge(dst, src);
    ck_assert_msg(rc == OCCAM_OK, "merge: %s (%s)", occam_status_name(rc), occam_last_error());
}

/* One pass of s over four forked, serialized partials merged in `order`. */
static void distributed_pass(occam_stream *s, const su_data *d, int order)
{
    int64_t n = d->n, cut[5] = {0, n / 7, n / 2, n / 2 + 1, n};
    occam_partial *q[4];
    for (int t = 0; t < 4; t++) {
        occam_partial *p = NULL;
        ck_assert_int_eq(occam_partial_fork(s, &p), OCCAM_OK);
        add_rows(p, d, cut[t], cut[t + 1], 3);
        q[t] = roundtrip(p);
        occam_partial_free(p);
    }
    if (order == 0) { /* (ab)(cd) */
        merge(q[0], q[1]);
        merge(q[2], q[3]);
        merge(q[0], q[2]);
    } else if (order == 1) { /* ((ab)c)d */
        merge(q[0], q[1]);
        merge(q[0], q[2]);
        merge(q[0], q[3]);
    } else { /* a(b(cd)) */
        merge(q[2], q[3]);
        merge(q[1], q[2]);
        merge(q[0], q[1]);
    }
    occam_partial *total = roundtrip(q[0]);
    int rc = occam_stream_absorb(s, total);
    ck_assert_msg(rc == OCCAM_OK, "absorb: %s (%s)", occam_status_name(rc), occam_last_error());
    occam_partial_free(total);
    for (int t = 0; t < 4; t++) occam_partial_free(q[t]);
}

/* The fit of m through distributed passes; finish's status. */
static int distributed_fit(occam_model *m, const occam_opts *o, const su_data *d, int order)
{
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_stream_new(m, o, d->p, su_inputs(d), &s), OCCAM_OK);
    int more, rc;
    while ((rc = occam_stream_next(s, &more)) == OCCAM_OK && more) distributed_pass(s, d, order);
    ck_assert_msg(rc == OCCAM_OK, "next: %s (%s)", occam_status_name(rc), occam_last_error());
    rc = occam_stream_finish(s);
    occam_stream_free(s);
    return rc;
}

static const char *const glm_cases[] = {
    "glm/esoph_binomial_logit.json",              /* prior weights */
    "glm/insurance_poisson_log_offset.json",      /* offset and intercept: the null refit's passes */
    "glm/extra/start_clotting_gamma_inverse.json",/* Gamma, start values, step-halving */
    "glm/extra/rankdef_middle_infert_binomial_logit.json", /* an aliased column */
    "glm/extra/offset_infert_binomial_probit.json",
};

static occam_opts *case_opts(const glm_case *c)
{
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_double(o, OCCAM_OPT_EPSILON, c->epsilon), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_MAXIT, c->maxit), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_INTERCEPT, c->intercept), OCCAM_OK);
    return o;
}

static occam_model *case_model(const glm_case *c)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_glm_new(c->family, c->link, &m), OCCAM_OK);
    if (c->start) ck_assert_int_eq(occam_glm_set_start(m, c->start, c->nstart), OCCAM_OK);
    return m;
}

START_TEST(test_glm_merge_trees)
{
    glm_case c = glm_load_case(glm_cases[_i / 3]);
    int order = _i % 3;
    occam_opts *o = case_opts(&c);
    su_data d = {c.X, c.n, c.p, c.y, c.has_w ? c.w : NULL, c.has_off ? c.off : NULL};
    occam_model *a = case_model(&c), *b = case_model(&c);
    int ra = occam_model_fit(a, o, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, d.y, d.w, d.off);
    ck_assert_msg(ra >= 0, "%s: %s", c.id, occam_last_error());
    int rb = distributed_fit(b, o, &d, order);
    ck_assert_int_eq(rb, ra);
    char id[200];
    snprintf(id, sizeof id, "%s, merge order %d", c.id, order);
    su_compare(id, a, b, 1e-10);
    /* and R's estimates (an aliased one is NaN in both) */
    int64_t k = c.p + c.intercept;
    double *est = malloc((size_t)k * sizeof(double)), *r = tu_json_array(tu_json_get(c.j, "coefficients"), NULL);
    ck_assert_int_eq(occam_model_coef(b, OCCAM_COEF_ESTIMATE, est, k), OCCAM_OK);
    for (int64_t j = 0; j < k; j++) TU_ASSERT_REL(est[j], r[j], 1e-6, "merged fit vs R");
    free(est);
    free(r);
    occam_model_free(a);
    occam_model_free(b);
    occam_opts_free(o);
    glm_case_free(&c);
}
END_TEST

/* lm(dist ~ speed, weights = 1/speed) and lm(dist ~ speed, offset = 2 speed). */
START_TEST(test_linear_merge_trees)
{
    glm_case c = glm_load_case("glm/cars_weighted_gaussian_identity.json");
    double *off = malloc((size_t)c.n * sizeof(double));
    for (int64_t i = 0; i < c.n; i++) off[i] = 2 * c.X[i];
    cJSON *ref = tu_load_json("linear/linear_reference.json");
    for (int variant = 0; variant < 2; variant++) {
        su_data d = {c.X, c.n, c.p, c.y, variant == 0 ? c.w : NULL, variant == 1 ? off : NULL};
        const cJSON *want = variant == 0 ? tu_json_get(tu_json_get(c.j, "lm"), "coefficients")
                                         : tu_json_get(tu_json_get(ref, "cars_offset"), "coefficients");
        for (int order = 0; order < 3; order++) {
            occam_model *a = NULL, *b = NULL;
            ck_assert_int_eq(occam_linear_new(&a), OCCAM_OK);
            ck_assert_int_eq(occam_linear_new(&b), OCCAM_OK);
            ck_assert_int_eq(occam_model_fit(a, NULL, d.X, d.n, d.p, d.n, OCCAM_COL_MAJOR, d.y, d.w, d.off), OCCAM_OK);
            ck_assert_int_eq(distributed_fit(b, NULL, &d, order), OCCAM_OK);
            char id[100];
            snprintf(id, sizeof id, "cars %s, merge order %d", variant ? "offset" : "weighted", order);
            su_compare(id, a, b, 1e-10);
            double est[2], *r = tu_json_array(want, NULL);
            ck_assert_int_eq(occam_model_coef(b, OCCAM_COEF_ESTIMATE, est, 2), OCCAM_OK);
            for (int j = 0; j < 2; j++) TU_ASSERT_REL(est[j], r[j], 1e-9, "merged linear fit vs R");
            free(r);
            occam_model_free(a);
            occam_model_free(b);
        }
    }
    cJSON_Delete(ref);
    free(off);
    glm_case_free(&c);
}
END_TEST

/* A pass fed partly by update, partly by an absorbed partial. */
START_TEST(test_update_and_absorb)
{
    glm_case c = glm_load_case("glm/warpbreaks_poisson_log.json");
    su_data d = {c.X, c.n, c.p, c.y, NULL, NULL};
    occam_model *a = case_model(&c), *b = case_model(&c);
    ck_assert_int_eq(occam_model_fit(a, NULL, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL), OCCAM_OK);
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_stream_new(b, NULL, c.p, 0, &s), OCCAM_OK);
    int more;
    while (occam_stream_next(s, &more) == OCCAM_OK && more) {
        occam_partial *p = NULL;
        ck_assert_int_eq(occam_partial_fork(s, &p), OCCAM_OK);
        su_feed(s, &d, 0, 20, 6);
        add_rows(p, &d, 20, c.n, 11);
        ck_assert_int_eq(occam_stream_absorb(s, p), OCCAM_OK);
        occam_partial_free(p);
    }
    ck_assert_int_eq(occam_stream_finish(s), OCCAM_OK);
    occam_stream_free(s);
    su_compare("warpbreaks, update + absorb", a, b, 1e-10);
    occam_model_free(a);
    occam_model_free(b);
    glm_case_free(&c);
}
END_TEST

/* ------------------------------------------------------------ refusals */

START_TEST(test_refused_merges)
{
    glm_case c = glm_load_case("glm/warpbreaks_poisson_log.json");
    su_data d = {c.X, c.n, c.p, c.y, NULL, NULL};
    double *y2 = malloc((size_t)c.n * sizeof(double));
    for (int64_t i = 0; i < c.n; i++) y2[i] = c.y[i] + (double)(i % 3);
    su_data d2 = {c.X, c.n, c.p, y2, NULL, NULL};
    occam_model *m = case_model(&c), *m2 = case_model(&c), *lin = NULL;
    ck_assert_int_eq(occam_linear_new(&lin), OCCAM_OK);
    occam_stream *s = NULL, *s2 = NULL, *sl = NULL, *sw = NULL;
    ck_assert_int_eq(occam_stream_new(m, NULL, c.p, 0, &s), OCCAM_OK);
    ck_assert_int_eq(occam_stream_new(m2, NULL, c.p, 0, &s2), OCCAM_OK);
    ck_assert_int_eq(occam_stream_new(lin, NULL, c.p, 0, &sl), OCCAM_OK);
    ck_assert_int_eq(occam_stream_new(m2, NULL, c.p, OCCAM_STREAM_WEIGHTS, &sw), OCCAM_OK);
    int more;
    occam_partial *p0 = NULL, *p1 = NULL, *other = NULL, *plin = NULL, *pw = NULL;
    ck_assert_int_eq(occam_partial_fork(s, &p0), OCCAM_E_INVALID_ARG); /* no pass yet */
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(s2, &more), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(sl, &more), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(sw, &more), OCCAM_OK);
    ck_assert_int_eq(occam_partial_fork(s, &p0), OCCAM_OK);
    ck_assert_int_eq(occam_partial_fork(sl, &plin), OCCAM_OK);
    ck_assert_int_eq(occam_partial_fork(sw, &pw), OCCAM_OK);
    add_rows(p0, &d, 0, 10, 10);
    su_feed(s, &d, 0, c.n, 50);
    su_feed(s2, &d2, 0, c.n, 50);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);  /* pass 1: coefficients of the data */
    ck_assert_int_eq(occam_stream_next(s2, &more), OCCAM_OK); /* pass 1: those of other data */
    ck_assert_int_eq(occam_partial_fork(s, &p1), OCCAM_OK);
    ck_assert_int_eq(occam_partial_fork(s2, &other), OCCAM_OK);
    ck_assert_int_eq(occam_partial_merge(p1, p0), OCCAM_E_INVALID_ARG);
    ck_assert_msg(strstr(occam_last_error(), "different passes") != NULL, "%s", occam_last_error());
    ck_assert_int_eq(occam_partial_merge(p1, other), OCCAM_E_INVALID_ARG);
    ck_assert_msg(strstr(occam_last_error(), "other coefficients") != NULL, "%s", occam_last_error());
    ck_assert_int_eq(occam_partial_merge(p0, plin), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_partial_merge(p0, pw), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_partial_merge(p1, p1), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_partial_merge(NULL, p1), OCCAM_E_NULL);
    ck_assert_int_eq(occam_stream_absorb(s, p0), OCCAM_E_INVALID_ARG);   /* the last pass's */
    ck_assert_int_eq(occam_stream_absorb(s, other), OCCAM_E_INVALID_ARG); /* another fit's */
    /* refused partials leave s as it was: it completes R's fit */
    do su_feed(s, &d, 0, c.n, 50);
    while (occam_stream_next(s, &more) == OCCAM_OK && more);
    ck_assert_int_eq(occam_stream_finish(s), OCCAM_OK);
    double est[4], *r = tu_json_array(tu_json_get(c.j, "coefficients"), NULL);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 4), OCCAM_OK);
    for (int j = 0; j < 4; j++) TU_ASSERT_REL(est[j], r[j], 1e-6, "fit after refusals vs R");
    free(r);
    occam_partial_free(p0);
    occam_partial_free(p1);
    occam_partial_free(other);
    occam_partial_free(plin);
    occam_partial_free(pw);
    occam_stream_free(s);
    occam_stream_free(s2);
    occam_stream_free(sl);
    occam_stream_free(sw);
    occam_model_free(m);
    occam_model_free(m2);
    occam_model_free(lin);
    free(y2);
    glm_case_free(&c);
}
END_TEST

/* A partial given bad rows stays failed and spreads no numbers. */
START_TEST(test_failed_partial)
{
    glm_case c = glm_load_case("glm/warpbreaks_poisson_log.json");
    su_data d = {c.X, c.n, c.p, c.y, NULL, NULL};
    occam_model *m = case_model(&c);
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_stream_new(m, NULL, c.p, 0, &s), OCCAM_OK);
    int more;
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    occam_partial *good = NULL, *bad = NULL;
    ck_assert_int_eq(occam_partial_fork(s, &good), OCCAM_OK);
    ck_assert_int_eq(occam_partial_fork(s, &bad), OCCAM_OK);
    add_rows(good, &d, 0, 10, 10);
    double y[2] = {3, -1}; /* a negative count: R's poisson error */
    ck_assert_int_eq(occam_partial_add(bad, c.X, 2, c.n, OCCAM_COL_MAJOR, y, NULL, NULL), OCCAM_E_DOMAIN);
    ck_assert_msg(strstr(occam_last_error(), "row 2") != NULL, "%s", occam_last_error());
    ck_assert_int_eq(occam_partial_add(bad, c.X, 2, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL), OCCAM_E_DOMAIN);
    size_t len = 0;
    ck_assert_int_eq(occam_partial_serialize(bad, NULL, 0, &len), OCCAM_E_DOMAIN);
    ck_assert_int_eq(occam_partial_merge(good, bad), OCCAM_E_DOMAIN);
    int64_t rows = 0;
    ck_assert_int_eq(occam_partial_rows(good, &rows), OCCAM_OK);
    ck_assert_int_eq(rows, 10); /* unchanged */
    ck_assert_int_eq(occam_partial_merge(bad, good), OCCAM_E_DOMAIN);
    double nan_x = NAN;
    occam_partial *bad2 = NULL;
    ck_assert_int_eq(occam_partial_fork(s, &bad2), OCCAM_OK);
    ck_assert_int_eq(occam_partial_add(bad2, c.X, 1, c.n, OCCAM_COL_MAJOR, NULL, NULL, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_partial_add(bad2, c.X, 1, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL), OCCAM_OK); /* not failed */
    ck_assert_int_eq(occam_partial_add(bad2, &nan_x, 1, 1, OCCAM_ROW_MAJOR, c.y, NULL, NULL), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_partial_add(bad2, c.X, 1, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_stream_absorb(s, bad), OCCAM_E_DOMAIN); /* the pass lost rows: the stream fails */
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_E_DOMAIN);
    occam_partial_free(good);
    occam_partial_free(bad);
    occam_partial_free(bad2);
    occam_stream_free(s);
    ck_assert_int_eq(occam_model_is_fitted(m), 0);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

/* occam_partial_set_row_base: a partial holding rows 101.. of the data
 * names its bad rows by their number in the data (the fact of the input:
 * the negative count is its 12th row, 2nd of the second chunk after a
 * base of 100 and a first chunk of 10 rows), and the sums are those of a
 * partial without a base: the same serialized bytes. */
START_TEST(test_row_base)
{
    glm_case c = glm_load_case("glm/warpbreaks_poisson_log.json");
    su_data d = {c.X, c.n, c.p, c.y, NULL, NULL};
    occam_model *m = case_model(&c);
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_stream_new(m, NULL, c.p, 0, &s), OCCAM_OK);
    int more;
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    occam_partial *based = NULL, *plain = NULL;
    ck_assert_int_eq(occam_partial_fork(s, &based), OCCAM_OK);
    ck_assert_int_eq(occam_partial_fork(s, &plain), OCCAM_OK);
    ck_assert_int_eq(occam_partial_set_row_base(based, -1), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_partial_set_row_base(NULL, 1), OCCAM_E_NULL);
    ck_assert_int_eq(occam_partial_set_row_base(based, 100), OCCAM_OK);
    add_rows(based, &d, 0, 10, 10);
    add_rows(plain, &d, 0, 10, 10);
    size_t la = 0, lb = 0;
    ck_assert_int_eq(occam_partial_serialize(based, NULL, 0, &la), OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert_int_eq(occam_partial_serialize(plain, NULL, 0, &lb), OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(la, lb);
    unsigned char *ba = malloc(la), *bb = malloc(lb);
    ck_assert_int_eq(occam_partial_serialize(based, ba, la, &la), OCCAM_OK);
    ck_assert_int_eq(occam_partial_serialize(plain, bb, lb, &lb), OCCAM_OK);
    ck_assert_int_eq(memcmp(ba, bb, la), 0);
    free(ba);
    free(bb);
    double y[2] = {3, -1};
    ck_assert_int_eq(occam_partial_add(based, c.X, 2, c.n, OCCAM_COL_MAJOR, y, NULL, NULL), OCCAM_E_DOMAIN);
    ck_assert_msg(strstr(occam_last_error(), "at row 112") != NULL, "%s", occam_last_error());
    occam_partial_free(based);
    occam_partial_free(plain);
    occam_stream_free(s);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

/* R's glm(mustart =) is indexed by row: the passes that read it (the
 * first, and iteration 1's whose working weights come from it) cannot be
 * split; from iteration 2 on they can, and the fit is R's. */
START_TEST(test_mustart_passes_not_forked)
{
    glm_case c = glm_load_case("glm/warpbreaks_poisson_log.json");
    su_data d = {c.X, c.n, c.p, c.y, NULL, NULL};
    occam_model *m = case_model(&c);
    double *mus = malloc((size_t)c.n * sizeof(double));
    for (int64_t i = 0; i < c.n; i++) mus[i] = c.y[i] + 0.1; /* poisson initialize: R's own start */
    ck_assert_int_eq(occam_glm_set_mustart(m, mus, c.n), OCCAM_OK);
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_stream_new(m, NULL, c.p, 0, &s), OCCAM_OK);
    int more, pass = 0;
    while (occam_stream_next(s, &more) == OCCAM_OK && more) {
        occam_partial *p = NULL;
        int rc = occam_partial_fork(s, &p);
        if (pass < 2) {
            ck_assert_int_eq(rc, OCCAM_E_INVALID_ARG);
            ck_assert_msg(strstr(occam_last_error(), "mustart") != NULL, "%s", occam_last_error());
            su_feed(s, &d, 0, c.n, 10);
        } else {
            ck_assert_int_eq(rc, OCCAM_OK);
            add_rows(p, &d, 0, c.n, 10);
            ck_assert_int_eq(occam_stream_absorb(s, p), OCCAM_OK);
        }
        occam_partial_free(p);
        pass++;
    }
    ck_assert_int_eq(occam_stream_finish(s), OCCAM_OK);
    double est[4], *r = tu_json_array(tu_json_get(c.j, "coefficients"), NULL);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, 4), OCCAM_OK);
    for (int j = 0; j < 4; j++) TU_ASSERT_REL(est[j], r[j], 1e-6, "mustart fit vs R");
    free(r);
    free(mus);
    occam_stream_free(s);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("partial");
    TCase *tc = tcase_create("merge");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_glm_merge_trees, 0, 3 * (int)(sizeof glm_cases / sizeof glm_cases[0]));
    tcase_add_test(tc, test_linear_merge_trees);
    tcase_add_test(tc, test_update_and_absorb);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("refusals");
    tcase_add_test(tr, test_refused_merges);
    tcase_add_test(tr, test_failed_partial);
    tcase_add_test(tr, test_row_base);
    tcase_add_test(tr, test_mustart_passes_not_forked);
    suite_add_tcase(s, tr);
    return tu_run_suite(s);
}
