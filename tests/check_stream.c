/*
 * check_stream.c -- streamed fits (lib/stream.c: occam_stream_*,
 * occam_model_fit_source) against in-memory fits and R.
 *
 *  - every GLM reference case (R 4.2.2 glm(): tests/data/glm and
 *    ../shared/reference/glm, the extra cases of make_extra.R -- prior
 *    weights, offsets, aliased columns, step-halving, non-convergence,
 *    separation, zero weights -- and glm2's) streamed in chunks of 1, 7 and
 *    1000 rows equals occam_model_fit on the same data: estimates and
 *    standard errors relative 1e-10, the same aliased set, deviance, null
 *    deviance, AIC, dispersion and every other scalar 1e-10, iterations,
 *    df and flags exactly, the same conditions and status (issue 11's
 *    contract); and, tying the test to an independent source, the
 *    streamed estimates and SEs equal R's to 1e-6 and its deviance to 1e-8
 *    (check_glm.c's tolerances), iterations R's +-1;
 *  - the number of passes a stream reads is the documented one: 1 + R's
 *    iterations for a fit without step-halving, offset or Gamma family,
 *    + 1 for Gamma;
 *  - linear: every lm() reference case (cars, weighted cars, mtcars,
 *    LifeCycleSavings) and R's lm() for cars without intercept, with an
 *    aliased duplicated column and with an offset (tests/data/linear),
 *    streamed equals in-memory to 1e-10 and R to 1e-9 (estimates) and 1e-7
 *    (SEs, sigma, R^2: check_linear.c's tolerances);
 *  - row-major chunks; the callback form with its resets (one per pass) and
 *    a failing source; error paths: bad rows in the second or third chunk
 *    give occam_model_fit()'s status and message (rows numbered from the
 *    stream's first); a failed stream stays failed and the
 *    model keeps its earlier fit byte for byte; refusals leave the stream
 *    usable; per-row results are refused after a streamed fit, whose model
 *    saves, loads and predicts.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glm_case.h"
#include "stream_util.h"

static char *cases[GLM_MAX_CASES];
static int ncases;
static const int64_t chunks[3] = {1, 7, 1000};

static occam_opts *case_opts(const glm_case *c)
{
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_double(o, OCCAM_OPT_EPSILON, c->epsilon), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_MAXIT, c->maxit), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_INTERCEPT, c->intercept), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_HALVE_ON_INCREASE, c->halve_on_increase), OCCAM_OK);
    return o;
}

static occam_model *case_model(const glm_case *c)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_glm_new(c->family, c->link, &m), OCCAM_OK);
    if (c->start) ck_assert_int_eq(occam_glm_set_start(m, c->start, c->nstart), OCCAM_OK);
    return m;
}

static su_data case_data(const glm_case *c)
{
    su_data d = {c->X, c->n, c->p, c->y, c->has_w ? c->w : NULL, c->has_off ? c->off : NULL};
    return d;
}

/* R's estimates and SEs (an estimate below 1e-10 of its SE is zero in
 * exact arithmetic: compared absolutely to 1e-10 SE, as check_glm.c). */
static void against_r(const glm_case *c, const occam_model *m)
{
    int64_t k = c->p + c->intercept;
    double *b = malloc((size_t)(k + 1) * sizeof(double)), *se = malloc((size_t)(k + 1) * sizeof(double));
    double *rb = tu_json_array(tu_json_get(c->j, "coefficients"), NULL);
    double *rse = tu_json_array(tu_json_get(c->j, "std_errors"), NULL);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_ESTIMATE, b, k), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, k), OCCAM_OK);
    for (int64_t j = 0; j < k; j++) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s: streamed coefficient %lld vs R", c->id, (long long)j);
        if (isfinite(rse[j]) && rse[j] > 0 && fabs(rb[j]) < 1e-10 * rse[j])
            ck_assert_msg(fabs(b[j] - rb[j]) <= 1e-10 * rse[j], "%s", msg);
        else
            TU_ASSERT_REL(b[j], rb[j], 1e-6, msg);
        snprintf(msg, sizeof msg, "%s: streamed std error %lld vs R", c->id, (long long)j);
        TU_ASSERT_REL(se[j], rse[j], 1e-6, msg);
    }
    double dev, iter;
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_DEVIANCE, &dev), OCCAM_OK);
    TU_ASSERT_REL(dev, tu_json_num(tu_json_get(c->j, "deviance")), 1e-8, "streamed deviance vs R");
    ck_assert_int_eq(occam_model_info(m, OCCAM_INFO_ITER, &iter), OCCAM_OK);
    ck_assert_msg(fabs(iter - tu_json_num(tu_json_get(c->j, "iter"))) <= 1, "%s: iter %g vs R", c->id, iter);
    free(b), free(se), free(rb), free(rse);
}

START_TEST(test_glm_case)
{
    glm_case c = glm_load_case(cases[_i / 3]);
    int64_t chunk = chunks[_i % 3];
    occam_opts *o = case_opts(&c);
    su_data d = case_data(&c);
    occam_model *a = case_model(&c), *b = case_model(&c);
    int ra = occam_model_fit(a, o, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, d.y, d.w, d.off);
    ck_assert_msg(ra >= 0, "%s: in-memory fit: %s (%s)", c.id, occam_status_name(ra), occam_last_error());
    int64_t passes = 0;
    int rb = su_stream_fit(b, o, &d, chunk, &passes);
    ck_assert_msg(rb == ra, "%s, chunks of %lld: streamed status %s, in memory %s (%s)", c.id, (long long)chunk,
                  occam_status_name(rb), occam_status_name(ra), occam_last_error());
    char id[256];
    snprintf(id, sizeof id, "%s (chunks of %lld)", c.id, (long long)chunk);
    su_compare(id, a, b, 1e-10);
    against_r(&c, b);
    /* the documented number of passes, where it follows from R's iterations */
    int cond = 0;
    ck_assert_int_eq(occam_model_conditions(b, &cond), OCCAM_OK);
    int halved = (cond & (OCCAM_COND_STEP_DIVERGENCE | OCCAM_COND_STEP_OUT_OF_BOUNDS)) || c.halve_on_increase;
    int refit = c.intercept && c.has_off;
    if (!halved && !refit && c.p + c.intercept > 0) {
        double iter = tu_json_num(tu_json_get(c.j, "iter"));
        /* the default solver (auto) turning to QR re-accumulates that iteration's system once */
        double solver = 0;
        ck_assert_int_eq(occam_model_info(b, OCCAM_INFO_SOLVER, &solver), OCCAM_OK);
        int64_t want = 1 + (int64_t)iter + (c.family == OCCAM_FAMILY_GAMMA) + (solver == OCCAM_SOLVER_QR);
        ck_assert_msg(passes == want, "%s: %lld passes, R's %g iterations give %lld", c.id, (long long)passes, iter,
                      (long long)want);
    }
    double row;
    ck_assert_int_eq(occam_model_rows(b, OCCAM_ROWS_FITTED, &row, c.n), OCCAM_E_WRONG_MODEL);
    occam_model_free(a);
    occam_model_free(b);
    occam_opts_free(o);
    glm_case_free(&c);
}
END_TEST

/* ---------------------------------------------------------------- linear */

static const char *const lm_cases[] = {"glm/cars_gaussian_identity.json", "glm/cars_weighted_gaussian_identity.json",
                                       "glm/mtcars_gaussian_identity.json",
                                       "glm/lifecyclesavings_gaussian_identity.json"};

static void check_vec(const char *id, const char *what, const double *got, const cJSON *want, int64_t n, double tol)
{
    double *w = tu_json_array(want, NULL);
    for (int64_t i = 0; i < n; i++) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s: %s[%lld] vs R", id, what, (long long)i);
        TU_ASSERT_REL(got[i], w[i], tol, msg);
    }
    free(w);
}

static double info(const occam_model *m, int key)
{
    double v = NAN;
    ck_assert_int_eq(occam_model_info(m, key, &v), OCCAM_OK);
    return v;
}

/* A linear fit in memory and streamed, compared; the streamed one against
 * R's lm() summary in ref (coefficients, std_errors, sigma, r_squared). */
static void linear_case(const char *id, const su_data *d, int intercept, const cJSON *ref, int64_t chunk)
{
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_INTERCEPT, intercept), OCCAM_OK);
    occam_model *a = NULL, *b = NULL;
    ck_assert_int_eq(occam_linear_new(&a), OCCAM_OK);
    ck_assert_int_eq(occam_linear_new(&b), OCCAM_OK);
    int ra = occam_model_fit(a, o, d->X, d->n, d->p, d->n, OCCAM_COL_MAJOR, d->y, d->w, d->off);
    int64_t passes = 0;
    int rb = su_stream_fit(b, o, d, chunk, &passes);
    ck_assert_msg(ra >= 0 && rb == ra, "%s: statuses %d, %d", id, ra, rb);
    ck_assert_msg(passes == 3, "%s: %lld passes (QR, refinement, residuals expected)", id, (long long)passes);
    char name[200];
    snprintf(name, sizeof name, "%s (chunks of %lld)", id, (long long)chunk);
    su_compare(name, a, b, 1e-10);
    int64_t k = d->p + intercept;
    double est[16], se[16];
    ck_assert_int_eq(occam_model_coef(b, OCCAM_COEF_ESTIMATE, est, 16), OCCAM_OK);
    ck_assert_int_eq(occam_model_coef(b, OCCAM_COEF_STD_ERROR, se, 16), OCCAM_OK);
    check_vec(name, "coefficients", est, tu_json_get(ref, "coefficients"), k, 1e-9);
    check_vec(name, "std_errors", se, tu_json_get(ref, "std_errors"), k, 1e-7);
    TU_ASSERT_REL(info(b, OCCAM_INFO_SIGMA), tu_json_num(tu_json_get(ref, "sigma")), 1e-7, "sigma vs R");
    TU_ASSERT_REL(info(b, OCCAM_INFO_R_SQUARED), tu_json_num(tu_json_get(ref, "r_squared")), 1e-7, "R^2 vs R");
    double row;
    ck_assert_int_eq(occam_model_rows(b, OCCAM_ROWS_RESID_RESPONSE, &row, d->n), OCCAM_E_WRONG_MODEL);
    occam_model_free(a);
    occam_model_free(b);
    occam_opts_free(o);
}

START_TEST(test_linear_reference_case)
{
    glm_case c = glm_load_case(lm_cases[_i / 3]);
    su_data d = case_data(&c);
    linear_case(c.id, &d, c.intercept, tu_json_get(c.j, "lm"), chunks[_i % 3]);
    glm_case_free(&c);
}
END_TEST

/* lm(dist ~ speed - 1), lm(dist ~ speed + speed2) (speed2 = speed: aliased),
 * lm(dist ~ speed, offset = 2 speed): tests/data/linear/make_reference.R. */
START_TEST(test_linear_cars_variants)
{
    cJSON *ref = tu_load_json("linear/linear_reference.json");
    tu_csv cars = tu_load_csv("../../data/glm/cars.csv");
    int64_t n = cars.nrows;
    const double *speed = tu_csv_column(&cars, tu_csv_col(&cars, "speed"));
    const double *dist = tu_csv_column(&cars, tu_csv_col(&cars, "dist"));
    double *x = malloc((size_t)(2 * n) * sizeof(double)), *off = malloc((size_t)n * sizeof(double));
    for (int64_t i = 0; i < n; i++) {
        x[i] = x[i + n] = speed[i];
        off[i] = 2 * speed[i];
    }
    int64_t chunk = chunks[_i];
    su_data d1 = {x, n, 1, dist, NULL, NULL}, d2 = {x, n, 2, dist, NULL, NULL}, d3 = {x, n, 1, dist, NULL, off};
    linear_case("cars, no intercept", &d1, 0, tu_json_get(ref, "cars_no_intercept"), chunk);
    linear_case("cars, duplicated column", &d2, 1, tu_json_get(ref, "cars_duplicated_column"), chunk);
    linear_case("cars, offset", &d3, 1, tu_json_get(ref, "cars_offset"), chunk);
    free(x);
    free(off);
    tu_csv_free(&cars);
    cJSON_Delete(ref);
}
END_TEST

/* Chunks given row-major with a padded leading dimension: the same fit. */
START_TEST(test_row_major_chunks)
{
    glm_case c = glm_load_case("glm/insurance_poisson_log_offset.json");
    int64_t ld = c.p + 2;
    double *xr = calloc((size_t)(c.n * ld), sizeof(double));
    for (int64_t i = 0; i < c.n; i++)
        for (int64_t j = 0; j < c.p; j++) xr[i * ld + j] = c.X[i + j * c.n];
    occam_opts *o = case_opts(&c);
    occam_model *a = case_model(&c), *b = case_model(&c);
    int ra = occam_model_fit(a, o, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, NULL, c.off);
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_stream_new(b, o, c.p, OCCAM_STREAM_OFFSET, &s), OCCAM_OK);
    int more;
    while (occam_stream_next(s, &more) == OCCAM_OK && more)
        for (int64_t r = 0; r < c.n; r += 5) {
            int64_t nb = c.n - r < 5 ? c.n - r : 5;
            ck_assert_int_eq(occam_stream_update(s, xr + r * ld, nb, ld, OCCAM_ROW_MAJOR, c.y + r, NULL, c.off + r),
                             OCCAM_OK);
        }
    ck_assert_int_eq(occam_stream_finish(s), ra);
    occam_stream_free(s);
    su_compare("insurance, row-major chunks", a, b, 1e-10);
    against_r(&c, b);
    free(xr);
    occam_model_free(a);
    occam_model_free(b);
    occam_opts_free(o);
    glm_case_free(&c);
}
END_TEST

/* ---------------------------------------------------------- callback form */

typedef struct source {
    su_data d;
    int64_t chunk, pos;
    int resets, fail_at_reset; /* fail with OCCAM_E_IO at this reset (0: never) */
} source;

static int source_fn(void *ctx, int reset, occam_chunk *c)
{
    source *s = ctx;
    if (reset) {
        s->resets++;
        s->pos = 0;
        if (s->resets == s->fail_at_reset) return OCCAM_E_IO;
    }
    int64_t nb = s->d.n - s->pos < s->chunk ? s->d.n - s->pos : s->chunk;
    c->X = s->d.X + s->pos;
    c->nrows = nb;
    c->ld = s->d.n;
    c->layout = OCCAM_COL_MAJOR;
    c->y = s->d.y + s->pos;
    c->weights = s->d.w ? s->d.w + s->pos : NULL;
    c->offset = s->d.off ? s->d.off + s->pos : NULL;
    s->pos += nb;
    return 0;
}

/* Bytes of a serialized model (malloc'ed), for "unchanged" checks. */
static unsigned char *model_bytes(const occam_model *m, size_t *len)
{
    ck_assert_int_eq(occam_model_serialize(m, NULL, 0, len), OCCAM_E_BUFFER_TOO_SMALL);
    unsigned char *b = malloc(*len);
    ck_assert_int_eq(occam_model_serialize(m, b, *len, len), OCCAM_OK);
    return b;
}

static void assert_same_bytes(const occam_model *m, const unsigned char *want, size_t len)
{
    size_t now = 0;
    unsigned char *b = model_bytes(m, &now);
    ck_assert_msg(now == len && memcmp(b, want, len) == 0, "the model changed");
    free(b);
}

START_TEST(test_callback_source)
{
    glm_case c = glm_load_case("glm/cars_weighted_gaussian_identity.json");
    occam_opts *o = case_opts(&c);
    occam_model *a = case_model(&c), *b = case_model(&c);
    su_data d = case_data(&c);
    int ra = occam_model_fit(a, o, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, d.y, d.w, d.off);
    source src = {d, 7, 0, 0, 0};
    ck_assert_int_eq(occam_model_fit_source(b, o, c.p, su_inputs(&d), source_fn, &src), ra);
    su_compare("cars weighted, callback", a, b, 1e-10);
    against_r(&c, b);
    double iter = info(b, OCCAM_INFO_ITER);
    ck_assert_int_eq(src.resets, 1 + (int)iter); /* one reset per pass: start + iterations */
    /* a source failing in the second pass: its status, and b keeps its fit */
    size_t len;
    unsigned char *before = model_bytes(b, &len);
    source bad = {d, 7, 0, 0, 2};
    ck_assert_int_eq(occam_model_fit_source(b, o, c.p, su_inputs(&d), source_fn, &bad), OCCAM_E_IO);
    ck_assert_msg(strstr(occam_last_error(), "data source") != NULL, "%s", occam_last_error());
    assert_same_bytes(b, before, len);
    ck_assert_int_eq(occam_model_fit_source(b, o, c.p, 0, NULL, NULL), OCCAM_E_NULL);
    free(before);
    occam_model_free(a);
    occam_model_free(b);
    occam_opts_free(o);
    glm_case_free(&c);
}
END_TEST

/* ------------------------------------------------------------ error paths */

/* A stream of a Poisson fit with its pass loop stepped by hand. */
typedef struct fixture {
    glm_case c;
    su_data d;
    occam_model *m;
    occam_stream *s;
    unsigned char *bytes; /* m after an in-memory fit */
    size_t len;
} fixture;

static void fixture_open(fixture *f)
{
    f->c = glm_load_case("glm/warpbreaks_poisson_log.json");
    f->d = case_data(&f->c);
    f->m = case_model(&f->c);
    ck_assert_int_eq(occam_model_fit(f->m, NULL, f->c.X, f->c.n, f->c.p, f->c.n, OCCAM_COL_MAJOR, f->c.y, NULL, NULL),
                     OCCAM_OK);
    f->bytes = model_bytes(f->m, &f->len);
    ck_assert_int_eq(occam_stream_new(f->m, NULL, f->c.p, 0, &f->s), OCCAM_OK);
}

static void fixture_close(fixture *f)
{
    assert_same_bytes(f->m, f->bytes, f->len); /* never changed by a failed stream */
    occam_stream_free(f->s);
    occam_model_free(f->m);
    free(f->bytes);
    glm_case_free(&f->c);
}

/* Bad data in a chunk fails the stream: every later call says so. */
START_TEST(test_failed_stream_stays_failed)
{
    fixture f;
    fixture_open(&f);
    int more;
    ck_assert_int_eq(occam_stream_next(f.s, &more), OCCAM_OK);
    su_feed(f.s, &f.d, 0, 10, 10);
    double *y = malloc((size_t)f.c.n * sizeof(double));
    memcpy(y, f.c.y, (size_t)f.c.n * sizeof(double));
    y[12] = NAN;
    ck_assert_int_eq(occam_stream_update(f.s, f.c.X + 10, 10, f.c.n, OCCAM_COL_MAJOR, y + 10, NULL, NULL),
                     OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_stream_update(f.s, f.c.X + 20, 10, f.c.n, OCCAM_COL_MAJOR, f.c.y + 20, NULL, NULL),
                     OCCAM_E_NONFINITE);
    ck_assert_msg(strstr(occam_last_error(), "failed earlier") != NULL, "%s", occam_last_error());
    ck_assert_int_eq(occam_stream_next(f.s, &more), OCCAM_E_NONFINITE);
    ck_assert_int_eq(occam_stream_finish(f.s), OCCAM_E_NONFINITE);
    occam_partial *pt = NULL;
    ck_assert_int_eq(occam_partial_fork(f.s, &pt), OCCAM_E_NONFINITE);
    ck_assert_ptr_null(pt);
    free(y);
    fixture_close(&f);
}
END_TEST

/* A negative count (R's poisson initialize error) in the first pass. */
START_TEST(test_domain_error_in_first_pass)
{
    fixture f;
    fixture_open(&f);
    double y[3] = {1, -2, 3};
    int more;
    ck_assert_int_eq(occam_stream_next(f.s, &more), OCCAM_OK);
    ck_assert_int_eq(occam_stream_update(f.s, f.c.X, 3, f.c.n, OCCAM_COL_MAJOR, y, NULL, NULL), OCCAM_E_DOMAIN);
    ck_assert_msg(strstr(occam_last_error(), "row 2") != NULL, "%s", occam_last_error());
    ck_assert_int_eq(occam_stream_next(f.s, &more), OCCAM_E_DOMAIN);
    fixture_close(&f);
}
END_TEST

/* Bad rows fed in chunks of 2 give occam_model_fit()'s status and message
 * for the same rows, rows numbered from the stream's first (the message
 * texts are model.c's and matrix.c's: "column 1 of X is NaN at row 4",
 * "y is Inf at row 5", "weights must be >= 0: weight -2 at row 3"). */
START_TEST(test_chunked_errors_name_the_row)
{
    static const char *want[3] = {"column 1 of X is NaN at row 4", "y is Inf at row 5",
                                  "weights must be >= 0: weight -2 at row 3"};
    for (int k = 0; k < 3; k++) {
        double X[6] = {1, 2, 3, 4, 5, 6}, y[6] = {1, 0, 2, 1, 3, 2}, w[6] = {1, 1, 1, 1, 1, 1};
        if (k == 0) X[3] = NAN;
        if (k == 1) y[4] = INFINITY;
        if (k == 2) w[2] = -2;
        occam_model *m = NULL;
        ck_assert_int_eq(occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &m), OCCAM_OK);
        int ra = occam_model_fit(m, NULL, X, 6, 1, 6, OCCAM_COL_MAJOR, y, w, NULL);
        char in_memory[512];
        snprintf(in_memory, sizeof in_memory, "%s", occam_last_error());
        ck_assert_msg(strcmp(in_memory, want[k]) == 0, "in memory: %s", in_memory);
        occam_stream *s = NULL;
        ck_assert_int_eq(occam_stream_new(m, NULL, 1, OCCAM_STREAM_WEIGHTS, &s), OCCAM_OK);
        int more, rb = OCCAM_OK;
        ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
        for (int r = 0; r < 6 && rb == OCCAM_OK; r += 2)
            rb = occam_stream_update(s, X + r, 2, 2, OCCAM_COL_MAJOR, y + r, w + r, NULL);
        ck_assert_int_eq(rb, ra);
        ck_assert_msg(strcmp(occam_last_error(), in_memory) == 0, "streamed: %s, in memory: %s", occam_last_error(),
                      in_memory);
        occam_stream_free(s);
        occam_model_free(m);
    }
}
END_TEST

/* A pass that misses a row: the stream fails when the pass ends. */
START_TEST(test_pass_with_other_rows)
{
    fixture f;
    fixture_open(&f);
    int more;
    ck_assert_int_eq(occam_stream_next(f.s, &more), OCCAM_OK);
    su_feed(f.s, &f.d, 0, f.c.n, 7);
    ck_assert_int_eq(occam_stream_next(f.s, &more), OCCAM_OK);
    ck_assert_int_eq(more, 1);
    su_feed(f.s, &f.d, 0, f.c.n - 1, 7);
    ck_assert_int_eq(occam_stream_next(f.s, &more), OCCAM_E_DIM_MISMATCH);
    ck_assert_msg(strstr(occam_last_error(), "same rows") != NULL, "%s", occam_last_error());
    ck_assert_int_eq(occam_stream_finish(f.s), OCCAM_E_DIM_MISMATCH);
    fixture_close(&f);
}
END_TEST

/* Calls out of order and NULL arguments are refused without harm: the
 * stream then completes the same fit. */
START_TEST(test_refusals_leave_the_stream)
{
    fixture f;
    fixture_open(&f);
    int more;
    int64_t pass = -1, rows = -1;
    ck_assert_int_eq(occam_stream_update(f.s, f.c.X, 1, f.c.n, OCCAM_COL_MAJOR, f.c.y, NULL, NULL),
                     OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_stream_pass(f.s, &pass, &rows), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_stream_finish(f.s), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_stream_next(f.s, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_stream_next(f.s, &more), OCCAM_OK);
    ck_assert_int_eq(occam_stream_update(f.s, NULL, 1, f.c.n, OCCAM_COL_MAJOR, f.c.y, NULL, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_stream_update(f.s, f.c.X, 1, f.c.n, OCCAM_COL_MAJOR, NULL, NULL, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_stream_update(f.s, f.c.X, 0, f.c.n, OCCAM_COL_MAJOR, f.c.y, NULL, NULL), OCCAM_OK);
    ck_assert_int_eq(occam_stream_finish(f.s), OCCAM_E_INVALID_ARG);
    int64_t passes = 1;
    do {
        su_feed(f.s, &f.d, 0, f.c.n, 9);
        ck_assert_int_eq(occam_stream_pass(f.s, &pass, &rows), OCCAM_OK);
        ck_assert_int_eq(pass, passes - 1);
        ck_assert_int_eq(rows, f.c.n);
        ck_assert_int_eq(occam_stream_next(f.s, &more), OCCAM_OK);
        passes += more;
    } while (more);
    ck_assert_int_eq(occam_stream_next(f.s, &more), OCCAM_OK); /* done: stays done */
    ck_assert_int_eq(more, 0);
    ck_assert_int_eq(occam_stream_update(f.s, f.c.X, 1, f.c.n, OCCAM_COL_MAJOR, f.c.y, NULL, NULL),
                     OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_stream_finish(f.s), OCCAM_OK);
    ck_assert_int_eq(occam_stream_finish(f.s), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_stream_next(f.s, &more), OCCAM_E_INVALID_ARG);
    /* the streamed fit has R's coefficients (and the model changed legitimately) */
    against_r(&f.c, f.m);
    free(f.bytes);
    f.bytes = model_bytes(f.m, &f.len);
    fixture_close(&f);
}
END_TEST

/* Declared inputs must come, undeclared ones must not. */
START_TEST(test_inputs_as_declared)
{
    glm_case c = glm_load_case("glm/insurance_poisson_log_offset.json");
    occam_model *m = case_model(&c);
    occam_stream *s = NULL;
    int more;
    ck_assert_int_eq(occam_stream_new(m, NULL, c.p, OCCAM_STREAM_OFFSET, &s), OCCAM_OK);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    ck_assert_int_eq(occam_stream_update(s, c.X, 3, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_stream_update(s, c.X, 3, c.n, OCCAM_COL_MAJOR, c.y, c.w, c.off), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_E_INVALID_ARG); /* data given wrongly: failed */
    occam_stream_free(s);
    ck_assert_int_eq(occam_stream_new(m, NULL, c.p, 4, &s), OCCAM_E_INVALID_ARG);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(occam_stream_new(m, NULL, -1, 0, &s), OCCAM_E_INVALID_ARG);
    ck_assert_int_eq(occam_stream_new(NULL, NULL, 1, 0, &s), OCCAM_E_NULL);
    ck_assert_int_eq(occam_stream_new(m, NULL, 1, 0, NULL), OCCAM_E_NULL);
    double start[3] = {0, 0, 0};
    ck_assert_int_eq(occam_glm_set_start(m, start, 3), OCCAM_OK);
    ck_assert_int_eq(occam_stream_new(m, NULL, c.p, 0, &s), OCCAM_E_DIM_MISMATCH);
    occam_model *pnbd = NULL;
    ck_assert_int_eq(occam_pnbd_new(&pnbd), OCCAM_OK);
    ck_assert_int_eq(occam_stream_new(pnbd, NULL, 2, 0, &s), OCCAM_E_DIM_MISMATCH); /* streams: check_pnbd_stream.c */
    occam_model_free(pnbd);
    occam_model_free(m);
    glm_case_free(&c);
}
END_TEST

/* A streamed GLM saves (without per-row vectors), loads and predicts as
 * the in-memory one. */
START_TEST(test_streamed_model_saves)
{
    glm_case c = glm_load_case("glm/birthwt_binomial_logit.json");
    occam_model *a = case_model(&c), *b = case_model(&c), *r = NULL;
    ck_assert_int_eq(occam_model_fit(a, NULL, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, c.y, NULL, NULL), OCCAM_OK);
    su_data d = case_data(&c);
    ck_assert_int_eq(su_stream_fit(b, NULL, &d, 13, NULL), OCCAM_OK);
    size_t len;
    unsigned char *bytes = model_bytes(b, &len);
    ck_assert_int_eq(occam_model_deserialize(bytes, len, &r), OCCAM_OK);
    su_compare("birthwt, streamed and reloaded", a, r, 1e-10);
    double *pa = malloc((size_t)c.n * sizeof(double)), *pr = malloc((size_t)c.n * sizeof(double));
    ck_assert_int_eq(occam_model_predict(a, OCCAM_PREDICT_RESPONSE, 0, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, NULL, pa,
                                         NULL, c.n), OCCAM_OK);
    ck_assert_int_eq(occam_model_predict(r, OCCAM_PREDICT_RESPONSE, 0, c.X, c.n, c.p, c.n, OCCAM_COL_MAJOR, NULL, pr,
                                         NULL, c.n), OCCAM_OK);
    for (int64_t i = 0; i < c.n; i++) TU_ASSERT_REL(pr[i], pa[i], 1e-10, "prediction of the reloaded streamed fit");
    ck_assert_int_eq(occam_model_rows(r, OCCAM_ROWS_FITTED, pr, c.n), OCCAM_E_WRONG_MODEL);
    free(pa), free(pr), free(bytes);
    occam_model_free(a);
    occam_model_free(b);
    occam_model_free(r);
    glm_case_free(&c);
}
END_TEST

int main(void)
{
    ncases = glm_list_cases(cases, GLM_MAX_CASES);
    Suite *s = suite_create("stream");
    TCase *tc = tcase_create("glm");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_glm_case, 0, 3 * ncases);
    suite_add_tcase(s, tc);
    TCase *tl = tcase_create("linear");
    tcase_add_loop_test(tl, test_linear_reference_case, 0, 3 * (int)(sizeof lm_cases / sizeof lm_cases[0]));
    tcase_add_loop_test(tl, test_linear_cars_variants, 0, 3);
    suite_add_tcase(s, tl);
    TCase *te = tcase_create("api");
    tcase_add_test(te, test_row_major_chunks);
    tcase_add_test(te, test_callback_source);
    tcase_add_test(te, test_failed_stream_stays_failed);
    tcase_add_test(te, test_domain_error_in_first_pass);
    tcase_add_test(te, test_chunked_errors_name_the_row);
    tcase_add_test(te, test_pass_with_other_rows);
    tcase_add_test(te, test_refusals_leave_the_stream);
    tcase_add_test(te, test_inputs_as_declared);
    tcase_add_test(te, test_streamed_model_saves);
    suite_add_tcase(s, te);
    int rc = tu_run_suite(s);
    for (int i = 0; i < ncases; i++) free(cases[i]);
    return rc;
}
