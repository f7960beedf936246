/*
 * check_partial_io.c -- the serialized form of partial results
 * (lib/partial_io.c, glm_pass_io.c, linear_pass_io.c; docs/format.md
 * "Partial results") against corrupted bytes: every input gives a status,
 * never a crash, an over-read or a leak (the sanitizer build runs this).
 *
 * Seeds: partials of every kind of pass -- a GLM's first pass (QR factor),
 * its iterations, its final pass and the null-deviance refit's passes
 * (insurance: offset and intercept), a Cholesky pass (X'WX), a partial of
 * two rows (rows form) and one of none, a linear fit's three passes,
 * Pareto/NBD pattern tables (CDNOW rows without and with weights, empty).
 * For each seed:
 *  - it loads and serialize(deserialize(bytes)) == bytes;
 *  - every truncation is OCCAM_E_FORMAT (or CHECKSUM); every single-bit
 *    flip is rejected (CRC-32 detects every 1-bit error); with the CRC
 *    recomputed after the flip, the reader either rejects the bytes or
 *    gives a partial that serializes, reloads and merges with itself;
 *  - targeted edits with the CRC fixed: bad magic, another major version
 *    (OCCAM_E_VERSION), unknown or wrong kind, header flags, payload length,
 *    a field claiming 2^60 elements, a setup claiming 2^31 columns (no
 *    allocation sized by it), row counts beyond the rows, unknown pass
 *    types and flags, a NaN coefficient; Pareto/NBD: other columns, an
 *    offset input, customers beyond the rows, unsorted or repeated
 *    patterns, -0, a pattern occam_model_fit would refuse, a count that is
 *    NaN, 0 or (without weights) fractional or not summing to the
 *    customers; linear: a covariance-step flag other than 0 or 1, on a
 *    pass other than the refinement, or without its X'WX: OCCAM_E_FORMAT.
 * With OCCAM_WRITE_PARTIAL_CORPUS=dir set, the seeds are also written there
 * (how tests/fuzz/corpus_partial was made); every file of that corpus must
 * load.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "glm_case.h"
#include "stream_util.h"

enum { MAX_SEEDS = 40 };
typedef struct seed {
    unsigned char *b;
    size_t len;
    char name[64];
} seed;
static seed seeds[MAX_SEEDS];
static int nseeds;

static void add_seed(const occam_partial *pt, const char *name)
{
    ck_assert_int_lt(nseeds, MAX_SEEDS);
    seed *s = &seeds[nseeds++];
    ck_assert_int_eq(occam_partial_serialize(pt, NULL, 0, &s->len), OCCAM_E_BUFFER_TOO_SMALL);
    s->b = malloc(s->len);
    ck_assert_int_eq(occam_partial_serialize(pt, s->b, s->len, &s->len), OCCAM_OK);
    snprintf(s->name, sizeof s->name, "%s", name);
}

/* A streamed fit whose every pass is also given to a forked partial of
 * rows [r0, r1) that becomes a seed. */
static void seeds_of_fit(occam_model *m, const occam_opts *o, const su_data *d, int64_t r0, int64_t r1,
                         const char *name)
{
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_stream_new(m, o, d->p, su_inputs(d), &s), OCCAM_OK);
    int more, pass = 0;
    while (occam_stream_next(s, &more) == OCCAM_OK && more) {
        occam_partial *p = NULL;
        ck_assert_int_eq(occam_partial_fork(s, &p), OCCAM_OK);
        for (int64_t r = r0; r < r1; r++)
            ck_assert_int_eq(occam_partial_add(p, d->X + r, 1, d->n, OCCAM_COL_MAJOR, d->y + r, d->w ? d->w + r : NULL,
                                               d->off ? d->off + r : NULL), OCCAM_OK);
        char nm[64];
        snprintf(nm, sizeof nm, "%s_pass%d", name, pass++);
        add_seed(p, nm);
        occam_partial_free(p);
        su_feed(s, d, 0, d->n, 100);
    }
    ck_assert_int_ge(occam_stream_finish(s), 0);
    occam_stream_free(s);
}

/* Pareto/NBD pattern tables of the first n CDNOW rows (weights w or none). */
static void pnbd_seed(int64_t n, const double *w, const char *name)
{
    tu_csv c = tu_load_csv("../../data/cdnow_summary.csv");
    double X[3 * 64];
    ck_assert_int_le(n, 64);
    for (int64_t i = 0; i < n; i++)
        for (int j = 0; j < 3; j++)
            X[3 * i + j] = tu_csv_column(&c, tu_csv_col(&c, j == 0 ? "x" : j == 1 ? "t_x" : "T"))[i];
    tu_csv_free(&c);
    occam_model *m = NULL;
    ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
    occam_stream *s = NULL;
    ck_assert_int_eq(occam_stream_new(m, NULL, 3, w ? OCCAM_STREAM_WEIGHTS : 0, &s), OCCAM_OK);
    int more;
    ck_assert_int_eq(occam_stream_next(s, &more), OCCAM_OK);
    occam_partial *p = NULL;
    ck_assert_int_eq(occam_partial_fork(s, &p), OCCAM_OK);
    ck_assert_int_eq(occam_partial_add(p, X, n, 3, OCCAM_ROW_MAJOR, NULL, w, NULL), OCCAM_OK);
    ck_assert_int_eq(occam_partial_add(p, X, n, 3, OCCAM_ROW_MAJOR, NULL, w, NULL), OCCAM_OK); /* repeated */
    add_seed(p, name);
    occam_partial_free(p);
    occam_stream_free(s);
    occam_model_free(m);
}

static void make_seeds(void)
{
    pnbd_seed(40, NULL, "pnbd_cdnow40");
    double w[40];
    for (int i = 0; i < 40; i++) w[i] = (i % 3) * 0.75; /* 0, 0.75, 1.5 customers */
    pnbd_seed(40, w, "pnbd_weighted");
    pnbd_seed(0, NULL, "pnbd_empty");

    glm_case c = glm_load_case("glm/insurance_poisson_log_offset.json");
    su_data d = {c.X, c.n, c.p, c.y, NULL, c.off};
    occam_model *m = NULL;
    ck_assert_int_eq(occam_glm_new(c.family, c.link, &m), OCCAM_OK);
    seeds_of_fit(m, NULL, &d, 0, c.n, "glm_offset"); /* start, iterations, final, null refit */
    occam_model_free(m);
    glm_case_free(&c);

    c = glm_load_case("glm/esoph_binomial_logit.json");
    su_data e = {c.X, c.n, c.p, c.y, c.w, NULL};
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_SOLVER, OCCAM_SOLVER_CHOLESKY), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_MAXIT, 2), OCCAM_OK);
    ck_assert_int_eq(occam_glm_new(c.family, c.link, &m), OCCAM_OK);
    seeds_of_fit(m, o, &e, 10, 60, "glm_cholesky");
    occam_model_free(m);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_SOLVER, OCCAM_SOLVER_QR), OCCAM_OK);
    ck_assert_int_eq(occam_glm_new(c.family, c.link, &m), OCCAM_OK);
    seeds_of_fit(m, o, &e, 5, 7, "glm_two_rows");
    occam_model_free(m);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_MAXIT, 1), OCCAM_OK);
    ck_assert_int_eq(occam_glm_new(c.family, c.link, &m), OCCAM_OK);
    seeds_of_fit(m, o, &e, 0, 0, "glm_empty");
    occam_model_free(m);
    occam_opts_free(o);
    glm_case_free(&c);

    c = glm_load_case("glm/cars_weighted_gaussian_identity.json");
    su_data l = {c.X, c.n, c.p, c.y, c.w, NULL};
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    seeds_of_fit(m, NULL, &l, 0, c.n, "linear_weighted"); /* QR, refinement, residuals */
    occam_model_free(m);
    glm_case_free(&c);
}

/* ------------------------------------------------------------ byte helpers */

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}
static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}
static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static void fix_crc(unsigned char *b, size_t len)
{
    put_u32(b + len - 4, (uint32_t)crc32(0L, b, (uInt)(len - 4)));
}

/* Offset of the header of the field with this tag (0: none). */
static size_t field_at(const unsigned char *b, size_t len, uint32_t tag)
{
    size_t pos = 24;
    while (pos + 16 <= len - 4) {
        uint32_t t = get_u32(b + pos), type = get_u32(b + pos + 4);
        uint64_t count = get_u64(b + pos + 8);
        if (t == tag) return pos;
        pos += 16 + (size_t)count * (type == 3 ? 1 : 8);
    }
    return 0;
}

static unsigned char *copy_of(const seed *s)
{
    unsigned char *b = malloc(s->len);
    memcpy(b, s->b, s->len);
    return b;
}

/* A partial that loaded must write, reload and merge with its own copy
 * (a status, never a crash). */
static void exercise(occam_partial *pt)
{
    size_t len = 0;
    if (occam_partial_serialize(pt, NULL, 0, &len) != OCCAM_E_BUFFER_TOO_SMALL) return;
    unsigned char *b = malloc(len);
    ck_assert_int_eq(occam_partial_serialize(pt, b, len, &len), OCCAM_OK);
    occam_partial *again = NULL;
    ck_assert_int_eq(occam_partial_deserialize(b, len, &again), OCCAM_OK);
    int rc = occam_partial_merge(again, pt);
    ck_assert_int_le(rc, OCCAM_OK);
    occam_partial_free(again);
    free(b);
}

/* Load bytes: the status; a partial that loads is exercised and freed. */
static int load(const unsigned char *b, size_t len)
{
    occam_partial *pt = NULL;
    int rc = occam_partial_deserialize(b, len, &pt);
    if (rc == OCCAM_OK) {
        ck_assert_ptr_nonnull(pt);
        exercise(pt);
        occam_partial_free(pt);
    } else {
        ck_assert_int_lt(rc, 0);
        ck_assert_ptr_null(pt);
    }
    return rc;
}

/* ------------------------------------------------------------ tests */

START_TEST(test_seeds_round_trip)
{
    ck_assert_int_ge(nseeds, 15);
    for (int i = 0; i < nseeds; i++) {
        occam_partial *pt = NULL;
        int rc = occam_partial_deserialize(seeds[i].b, seeds[i].len, &pt);
        ck_assert_msg(rc == OCCAM_OK, "%s: %s (%s)", seeds[i].name, occam_status_name(rc), occam_last_error());
        size_t len = 0;
        unsigned char *b = malloc(seeds[i].len);
        ck_assert_int_eq(occam_partial_serialize(pt, b, seeds[i].len, &len), OCCAM_OK);
        ck_assert_msg(len == seeds[i].len && memcmp(b, seeds[i].b, len) == 0, "%s: not bit-exact", seeds[i].name);
        free(b);
        occam_partial_free(pt);
    }
}
END_TEST

START_TEST(test_truncations)
{
    if (_i >= nseeds) return;
    const seed *s = &seeds[_i];
    for (size_t len = 0; len < s->len; len++) {
        int rc = load(s->b, len);
        ck_assert_msg(rc == OCCAM_E_FORMAT || rc == OCCAM_E_CHECKSUM, "%s cut to %zu bytes: %s", s->name, len,
                      occam_status_name(rc));
    }
    unsigned char *longer = malloc(s->len + 1);
    memcpy(longer, s->b, s->len);
    longer[s->len] = 0;
    ck_assert_int_eq(load(longer, s->len + 1), OCCAM_E_FORMAT); /* trailing byte */
    free(longer);
}
END_TEST

START_TEST(test_bit_flips)
{
    if (_i >= nseeds) return;
    const seed *s = &seeds[_i];
    unsigned char *b = copy_of(s);
    for (size_t pos = 0; pos < s->len; pos++) {
        unsigned char bit = (unsigned char)(1u << (pos % 8));
        b[pos] ^= bit;
        int rc = load(b, s->len);
        ck_assert_msg(rc < 0, "%s: flipped bit %zu.%zu accepted", s->name, pos, pos % 8);
        if (pos < s->len - 4) { /* with the checksum made to fit: the fields' own checks */
            fix_crc(b, s->len);
            load(b, s->len);
        }
        memcpy(b, s->b, s->len);
    }
    free(b);
}
END_TEST

/* Edit one i64 element of a field, fix the CRC, expect want. */
static void edit_i64(const seed *s, uint32_t tag, int idx, int64_t v, int want, const char *what)
{
    unsigned char *b = copy_of(s);
    size_t at = field_at(b, s->len, tag);
    if (at == 0) { /* the seed lacks this field */
        free(b);
        return;
    }
    if ((int64_t)get_u64(b + at + 8) > idx) {
        put_u64(b + at + 16 + 8 * (size_t)idx, (uint64_t)v);
        fix_crc(b, s->len);
        int rc = load(b, s->len);
        ck_assert_msg(rc == want, "%s: %s gives %s (%s)", s->name, what, occam_status_name(rc), occam_last_error());
    }
    free(b);
}

/* Element idx of the f64 field `tag` of a seed (the seed has it). */
static double get_f64(const seed *s, uint32_t tag, int idx)
{
    size_t at = field_at(s->b, s->len, tag);
    ck_assert_uint_gt(at, 0);
    uint64_t u = get_u64(s->b + at + 16 + 8 * (size_t)idx);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* Edit one f64 element of a field, fix the CRC, expect want. */
static void edit_f64(const seed *s, uint32_t tag, int idx, double v, int want, const char *what)
{
    unsigned char *b = copy_of(s);
    size_t at = field_at(b, s->len, tag);
    if (at != 0 && (int64_t)get_u64(b + at + 8) > idx) {
        uint64_t u;
        memcpy(&u, &v, sizeof u);
        put_u64(b + at + 16 + 8 * (size_t)idx, u);
        fix_crc(b, s->len);
        int rc = load(b, s->len);
        ck_assert_msg(rc == want, "%s: %s gives %s (%s)", s->name, what, occam_status_name(rc), occam_last_error());
    }
    free(b);
}

START_TEST(test_targeted_edits)
{
    if (_i >= nseeds) return;
    const seed *s = &seeds[_i];
    int glm = get_u32(s->b + 8) == 2, pnbd = get_u32(s->b + 8) == 3;
    unsigned char *b = copy_of(s);
    b[0] = 'X';
    ck_assert_int_eq(load(b, s->len), OCCAM_E_FORMAT); /* magic */
    memcpy(b, s->b, s->len);
    b[4] = 2;
    fix_crc(b, s->len);
    ck_assert_int_eq(load(b, s->len), OCCAM_E_VERSION);
    memcpy(b, s->b, s->len);
    b[6] = 7; /* a later minor version reads */
    fix_crc(b, s->len);
    ck_assert_int_eq(load(b, s->len), OCCAM_OK);
    const uint32_t kinds[4] = {0, 4, 99, glm ? 1u : pnbd ? 1u : 2u};
    for (int k = 0; k < 4; k++) {
        memcpy(b, s->b, s->len);
        put_u32(b + 8, kinds[k]);
        fix_crc(b, s->len);
        ck_assert_int_eq(load(b, s->len), OCCAM_E_FORMAT);
    }
    memcpy(b, s->b, s->len);
    put_u32(b + 12, 1); /* header flags */
    fix_crc(b, s->len);
    ck_assert_int_eq(load(b, s->len), OCCAM_E_FORMAT);
    memcpy(b, s->b, s->len);
    put_u64(b + 16, get_u64(b + 16) + 8); /* payload length */
    fix_crc(b, s->len);
    ck_assert_int_eq(load(b, s->len), OCCAM_E_FORMAT);
    /* a field claiming 2^60 elements, for every field */
    for (size_t pos = 24; pos + 16 <= s->len - 4;) {
        uint32_t type = get_u32(s->b + pos + 4);
        uint64_t count = get_u64(s->b + pos + 8);
        memcpy(b, s->b, s->len);
        put_u64(b + pos + 8, (uint64_t)1 << 60);
        fix_crc(b, s->len);
        ck_assert_int_eq(load(b, s->len), OCCAM_E_FORMAT);
        pos += 16 + (size_t)count * (type == 3 ? 1 : 8);
    }
    free(b);
    edit_i64(s, 1, 0, (int64_t)1 << 31, OCCAM_E_FORMAT, "p = 2^31");
    edit_i64(s, 1, 0, -1, OCCAM_E_FORMAT, "p = -1");
    edit_i64(s, 2, 0, 4, OCCAM_E_FORMAT, "inputs = 4");
    edit_i64(s, 3, 0, -1, OCCAM_E_FORMAT, "rows = -1");
    if (pnbd) {
        edit_i64(s, 1, 0, 4, OCCAM_E_FORMAT, "p = 4");
        edit_i64(s, 2, 0, OCCAM_STREAM_OFFSET, OCCAM_E_FORMAT, "an offset input");
        edit_i64(s, 300, 0, (int64_t)1 << 40, OCCAM_E_FORMAT, "customers beyond the rows");
        edit_i64(s, 300, 0, -1, OCCAM_E_FORMAT, "customers -1");
        int weighted = (int)get_u64(s->b + field_at(s->b, s->len, 2) + 16) & OCCAM_STREAM_WEIGHTS;
        if (!weighted) edit_i64(s, 300, 0, (int64_t)get_u64(s->b + field_at(s->b, s->len, 300) + 16) - 1,
                                OCCAM_E_FORMAT, "counts not summing to the customers");
        edit_f64(s, 301, 0, 1.5, OCCAM_E_FORMAT, "x = 1.5");
        edit_f64(s, 301, 0, 1000.0, OCCAM_E_FORMAT, "patterns out of order"); /* pattern 0: (0, 0, T) */
        edit_f64(s, 302, 0, -0.0, OCCAM_E_FORMAT, "t_x = -0");
        edit_f64(s, 303, 0, -1.0, OCCAM_E_FORMAT, "T = -1");
        edit_f64(s, 303, 1, get_f64(s, 303, 0), OCCAM_E_FORMAT, "a repeated pattern"); /* patterns 0, 1: x = 0 */
        edit_f64(s, 304, 0, NAN, OCCAM_E_FORMAT, "count NaN");
        edit_f64(s, 304, 0, 0.0, OCCAM_E_FORMAT, "count 0");
        edit_f64(s, 304, 0, INFINITY, OCCAM_E_FORMAT, "count Inf");
        if (!weighted) edit_f64(s, 304, 0, 1.5, OCCAM_E_FORMAT, "count 1.5 without weights");
        /* 2^62 rows load; merged with themselves they are too many (no overflow) */
        unsigned char *c = copy_of(s);
        put_u64(c + field_at(c, s->len, 3) + 16, (uint64_t)1 << 62);
        fix_crc(c, s->len);
        occam_partial *p1 = NULL, *p2 = NULL;
        ck_assert_int_eq(occam_partial_deserialize(c, s->len, &p1), OCCAM_OK);
        ck_assert_int_eq(occam_partial_deserialize(c, s->len, &p2), OCCAM_OK);
        ck_assert_int_eq(occam_partial_merge(p1, p2), OCCAM_E_TOO_LARGE);
        occam_partial_free(p1);
        occam_partial_free(p2);
        free(c);
    } else if (glm) {
        edit_i64(s, 200, 3, INT32_MAX - 3, OCCAM_E_FORMAT, "setup p = 2^31 - 4");
        edit_i64(s, 200, 4, 0, OCCAM_E_FORMAT, "setup k = 0");
        edit_i64(s, 200, 1, 99, OCCAM_E_FORMAT, "link 99");
        edit_i64(s, 201, 1, 7, OCCAM_E_FORMAT, "pass type 7");
        edit_i64(s, 201, 2, 1 << 12, OCCAM_E_FORMAT, "unknown pass flags");
        edit_i64(s, 201, 3, 5, OCCAM_E_FORMAT, "nb = 5");
        edit_i64(s, 205, 0, (int64_t)1 << 40, OCCAM_E_FORMAT, "nobs beyond the rows");
        edit_i64(s, 205, 1, 2, OCCAM_E_FORMAT, "a flag of 2");
        edit_i64(s, 205, 10, 9, OCCAM_E_FORMAT, "deferred error 9");
        edit_i64(s, 207, 0, 9, OCCAM_E_FORMAT, "least-squares form 9");
        edit_i64(s, 207, 1, (int64_t)1 << 40, OCCAM_E_FORMAT, "least-squares rows 2^40");
        unsigned char *c = copy_of(s);
        size_t at = field_at(c, s->len, 202);
        if (at && get_u64(c + at + 8) > 0) { /* a NaN coefficient */
            put_u64(c + at + 16, 0x7ff8000000000000ULL);
            fix_crc(c, s->len);
            ck_assert_int_eq(load(c, s->len), OCCAM_E_FORMAT);
        }
        free(c);
    } else {
        edit_i64(s, 100, 1, (int64_t)1 << 31, OCCAM_E_FORMAT, "setup p = 2^31");
        edit_i64(s, 101, 1, 9, OCCAM_E_FORMAT, "pass type 9");
        edit_i64(s, 104, 0, (int64_t)1 << 40, OCCAM_E_FORMAT, "nobs beyond the rows");
        edit_i64(s, 107, 0, 5000, OCCAM_E_FORMAT, "a scaled sum's exponent");
        edit_i64(s, 108, 0, 9, OCCAM_E_FORMAT, "least-squares form 9");
        edit_i64(s, 111, 0, 2, OCCAM_E_FORMAT, "covariance step flag 2");
        if (field_at(s->b, s->len, 111)) { /* the refinement pass with X'WX */
            edit_i64(s, 101, 1, 3, OCCAM_E_FORMAT, "the covariance step on a residual pass");
            unsigned char *c = copy_of(s); /* X'WX missing: its tag made unknown */
            put_u32(c + field_at(c, s->len, 112), 199);
            fix_crc(c, s->len);
            ck_assert_int_eq(load(c, s->len), OCCAM_E_FORMAT);
            free(c);
        }
    }
}
END_TEST

START_TEST(test_other_bytes)
{
    occam_partial *pt = (occam_partial *)1;
    ck_assert_int_eq(occam_partial_deserialize(NULL, 0, &pt), OCCAM_E_FORMAT);
    ck_assert_ptr_null(pt);
    ck_assert_int_eq(occam_partial_deserialize(NULL, 5, &pt), OCCAM_E_NULL);
    ck_assert_int_eq(occam_partial_deserialize(seeds[0].b, seeds[0].len, NULL), OCCAM_E_NULL);
    /* a model file is not a partial, and a partial not a model */
    occam_model *m = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    size_t len = 0;
    ck_assert_int_eq(occam_model_serialize(m, NULL, 0, &len), OCCAM_E_BUFFER_TOO_SMALL);
    unsigned char *b = malloc(len);
    ck_assert_int_eq(occam_model_serialize(m, b, len, &len), OCCAM_OK);
    ck_assert_int_eq(load(b, len), OCCAM_E_FORMAT);
    free(b);
    occam_model_free(m);
    ck_assert_int_eq(occam_model_deserialize(seeds[0].b, seeds[0].len, &m), OCCAM_E_FORMAT);
    size_t need = 0;
    ck_assert_int_eq(occam_partial_serialize(NULL, NULL, 0, &need), OCCAM_E_NULL);
}
END_TEST

/* The fuzzer's seed corpus loads (and is written here on request). */
START_TEST(test_corpus)
{
    const char *out = getenv("OCCAM_WRITE_PARTIAL_CORPUS");
    for (int i = 0; out && i < nseeds; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.occp", out, seeds[i].name);
        FILE *f = fopen(path, "wb");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fwrite(seeds[i].b, 1, seeds[i].len, f), seeds[i].len);
        fclose(f);
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/../fuzz/corpus_partial", OCCAM_TEST_DATA);
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "no corpus at %s", dir);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".occp") == NULL) continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        ck_assert_ptr_nonnull(f);
        unsigned char buf[1 << 16];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        ck_assert_msg(load(buf, len) == OCCAM_OK, "corpus file %s: %s", e->d_name, occam_last_error());
        files++;
    }
    closedir(d);
    ck_assert_int_ge(files, 10);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("partial_io");
    TCase *tc = tcase_create("corruption");
    tcase_set_timeout(tc, 600);
    /* the seeds are made once, before the tests (an unchecked fixture);
     * loop indices beyond the seeds made have nothing to test */
    tcase_add_unchecked_fixture(tc, make_seeds, NULL);
    tcase_add_test(tc, test_seeds_round_trip);
    tcase_add_loop_test(tc, test_truncations, 0, MAX_SEEDS);
    tcase_add_loop_test(tc, test_bit_flips, 0, MAX_SEEDS);
    tcase_add_loop_test(tc, test_targeted_edits, 0, MAX_SEEDS);
    tcase_add_test(tc, test_other_bytes);
    tcase_add_test(tc, test_corpus);
    suite_add_tcase(s, tc);
    int rc = tu_run_suite(s);
    for (int i = 0; i < nseeds; i++) free(seeds[i].b);
    return rc;
}
