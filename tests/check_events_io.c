/*
 * check_events_io.c -- lib/events_io.c: event states to bytes and back.
 * The layout is read here with a parser of docs/format.md written for the
 * test (header, tagged fields, CRC-32 from zlib), so that fields can be
 * located and corrupted on purpose.  Asserted: serialize(deserialize(b)) ==
 * b bit for bit for integer, text, merge period 0 and empty states; the
 * documented header and field values; every truncation and every single
 * bit flip rejected with a status (checksum intact: always; checksum
 * recomputed: never a crash, and whatever loads re-serializes to a stable
 * form); wrong magic, a model file, a newer major version, unknown kinds,
 * huge or negative counts, unsorted or duplicate ids, -0 / NaN / unsorted
 * times, uncollapsed records and missing fields rejected with
 * OCCAM_E_FORMAT or OCCAM_E_VERSION (unknown fields are skipped); the fuzz
 * corpus (tests/fuzz/corpus_events) loads.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "testutil.h"
#include "occam.h"

/* ------------------------------------------------------------ bytes */

typedef struct bytes {
    unsigned char *b;
    size_t n;
} bytes;

static bytes ser(const occam_events *e)
{
    bytes r = {NULL, 0};
    ck_assert_int_eq(occam_events_serialize(e, NULL, 0, &r.n), OCCAM_E_BUFFER_TOO_SMALL);
    r.b = malloc(r.n);
    size_t need = 0;
    ck_assert_int_eq(occam_events_serialize(e, r.b, r.n - 1, &need), OCCAM_E_BUFFER_TOO_SMALL);
    ck_assert(need == r.n);
    ck_assert_int_eq(occam_events_serialize(e, r.b, r.n, &need), OCCAM_OK);
    return r;
}

static uint64_t get_le(const unsigned char *p, int nbytes)
{
    uint64_t v = 0;
    for (int i = nbytes - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static void put_le(unsigned char *p, uint64_t v, int nbytes)
{
    for (int i = 0; i < nbytes; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static void fix_crc(bytes *x)
{
    put_le(x->b + x->n - 4, (uint32_t)crc32(0L, x->b, (uInt)(x->n - 4)), 4);
}

/* Offset of the data of field `tag` (its element count in *count), or 0. */
static size_t field_at(const bytes *x, uint32_t tag, uint64_t *count)
{
    size_t pos = 28, end = x->n - 4;
    while (pos + 16 <= end) {
        uint32_t t = (uint32_t)get_le(x->b + pos, 4), type = (uint32_t)get_le(x->b + pos + 4, 4);
        uint64_t c = get_le(x->b + pos + 8, 8);
        if (t == tag) {
            if (count) *count = c;
            return pos + 16;
        }
        pos += 16 + (size_t)c * (type == 3 ? 1 : 8);
    }
    return 0;
}

static double get_f64(const unsigned char *p)
{
    uint64_t u = get_le(p, 8);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* ------------------------------------------------------------ states */

static occam_events *int_state(double P, int64_t n, uint64_t seed)
{
    occam_events *e;
    ck_assert_int_eq(occam_events_new(30.0, P, &e), OCCAM_OK);
    for (int64_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        int64_t id = (int64_t)(seed >> 40) % 40 - 7;
        double t = (double)((seed >> 20) % 4000) / 100.0;
        ck_assert_int_eq(occam_events_add(e, &id, &t, 1), OCCAM_OK);
    }
    return e;
}

static occam_events *text_state(double P, int64_t n, uint64_t seed)
{
    occam_events *e;
    ck_assert_int_eq(occam_events_new(30.0, P, &e), OCCAM_OK);
    for (int64_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        char id[16];
        size_t len = (size_t)snprintf(id, sizeof id, "c%llu", (unsigned long long)((seed >> 40) % 30));
        if (seed % 5 == 0) id[len - 1] = '\0'; /* an id with a NUL byte */
        const char *p = id;
        double t = (double)((seed >> 20) % 4000) / 100.0;
        ck_assert_int_eq(occam_events_add_text(e, &p, &len, &t, 1), OCCAM_OK);
    }
    return e;
}

/* serialize(deserialize(b)) == b, and the copy reports the same summary */
static void check_roundtrip(const occam_events *e, const char *what)
{
    bytes a = ser(e);
    occam_events *d = NULL;
    ck_assert_msg(occam_events_deserialize(a.b, a.n, &d) == OCCAM_OK, "%s: %s", what, occam_last_error());
    bytes b = ser(d);
    ck_assert_msg(a.n == b.n && memcmp(a.b, b.b, a.n) == 0, "%s: bytes differ after a round trip", what);
    int64_t n1 = 0, n2 = 0;
    int s1 = occam_events_summary(e, NULL, NULL, NULL, 0, &n1), s2 = occam_events_summary(d, NULL, NULL, NULL, 0, &n2);
    ck_assert(s1 == s2 && n1 == n2);
    if (n1 > 0) {
        double *S1 = malloc((size_t)n1 * 3 * sizeof(double)), *S2 = malloc((size_t)n1 * 3 * sizeof(double));
        double *x1 = malloc((size_t)n1 * sizeof(double)), *x2 = malloc((size_t)n1 * sizeof(double));
        ck_assert_int_eq(occam_events_summary(e, S1, NULL, x1, n1, &n1), OCCAM_OK);
        ck_assert_int_eq(occam_events_summary(d, S2, NULL, x2, n1, &n2), OCCAM_OK);
        ck_assert(memcmp(S1, S2, (size_t)n1 * 3 * sizeof(double)) == 0 && memcmp(x1, x2, (size_t)n1 * sizeof(double)) == 0);
        free(S1);
        free(S2);
        free(x1);
        free(x2);
    }
    occam_events_free(d);
    free(a.b);
    free(b.b);
}

START_TEST(test_roundtrip)
{
    occam_events *e = int_state(1.0, 500, 1);
    check_roundtrip(e, "integer ids, P = 1");
    occam_events_free(e);
    e = int_state(0.0, 500, 2);
    check_roundtrip(e, "integer ids, P = 0");
    occam_events_free(e);
    e = text_state(0.25, 500, 3);
    check_roundtrip(e, "text ids, P = 0.25");
    occam_events_free(e);
    e = text_state(0.0, 500, 4);
    check_roundtrip(e, "text ids, P = 0");
    occam_events_free(e);
    ck_assert_int_eq(occam_events_new(-3.5, 2.0, &e), OCCAM_OK);
    check_roundtrip(e, "empty");
    /* an empty state merges into anything with the same settings */
    occam_events *f = int_state(0.0, 10, 5), *g = NULL;
    ck_assert_int_eq(occam_events_new(30.0, 0.0, &g), OCCAM_OK);
    ck_assert_int_eq(occam_events_merge(f, g), OCCAM_OK);
    ck_assert_int_eq(occam_events_merge(g, f), OCCAM_OK);
    bytes a = ser(f), b = ser(g);
    ck_assert(a.n == b.n && memcmp(a.b, b.b, a.n) == 0);
    free(a.b);
    free(b.b);
    occam_events_free(e);
    occam_events_free(f);
    occam_events_free(g);
}
END_TEST

START_TEST(test_layout)
{
    /* customers 2 (times 0, 3) and -1 (time 1.5 twice: merged, P = 0.5) */
    int64_t ids[4] = {2, -1, 2, -1};
    double t[4] = {3.2, 1.5, 0.1, 1.7};
    occam_events *e;
    ck_assert_int_eq(occam_events_new(2.0, 0.5, &e), OCCAM_OK);
    ck_assert_int_eq(occam_events_add(e, ids, t, 4), OCCAM_OK);
    bytes x = ser(e);
    static const unsigned char magic[8] = {0x89, 'O', 'C', 'E', 'V', 'T', '\r', '\n'};
    ck_assert(memcmp(x.b, magic, 8) == 0);
    ck_assert(get_le(x.b + 8, 2) == 1 && get_le(x.b + 10, 2) == 0); /* format 1.0 */
    ck_assert(get_le(x.b + 12, 4) == 1);                            /* integer ids */
    ck_assert(get_le(x.b + 20, 8) == x.n - 32);
    ck_assert(get_le(x.b + x.n - 4, 4) == (uint32_t)crc32(0L, x.b, (uInt)(x.n - 4)));
    uint64_t c;
    size_t p = field_at(&x, 1, &c);
    ck_assert(p && c == 1 && get_f64(x.b + p) == 2.0);
    p = field_at(&x, 2, &c);
    ck_assert(p && c == 1 && get_f64(x.b + p) == 0.5);
    p = field_at(&x, 3, &c);
    ck_assert(p && get_le(x.b + p, 8) == 2);
    p = field_at(&x, 4, &c);
    ck_assert(p && get_le(x.b + p, 8) == 3);
    p = field_at(&x, 5, &c);
    ck_assert(p && c == 2 && (int64_t)get_le(x.b + p, 8) == -1 && get_le(x.b + p + 8, 8) == 2);
    p = field_at(&x, 8, &c);
    ck_assert(p && c == 2 && get_le(x.b + p, 8) == 1 && get_le(x.b + p + 8, 8) == 2);
    p = field_at(&x, 9, &c);
    ck_assert(p && c == 3 && get_f64(x.b + p) == 1.5 && get_f64(x.b + p + 8) == 0.0 && get_f64(x.b + p + 16) == 3.0);
    ck_assert(field_at(&x, 10, NULL) == 0); /* no counts with a merge period */
    free(x.b);
    occam_events_free(e);
}
END_TEST

/* ------------------------------------------------------------ corruption */

static int load(const bytes *x)
{
    occam_events *d = (occam_events *)1;
    int rc = occam_events_deserialize(x->b, x->n, &d);
    if (rc != OCCAM_OK) {
        ck_assert(d == NULL);
        return rc;
    }
    bytes a = ser(d);
    occam_events *d2 = NULL;
    ck_assert_int_eq(occam_events_deserialize(a.b, a.n, &d2), OCCAM_OK);
    bytes b = ser(d2);
    ck_assert(a.n == b.n && memcmp(a.b, b.b, a.n) == 0);
    int64_t k;
    double S[3];
    occam_events_summary(d2, S, NULL, NULL, 1, &k);
    free(a.b);
    free(b.b);
    occam_events_free(d);
    occam_events_free(d2);
    return rc;
}

static void check_corruptions(const occam_events *e, const char *what)
{
    bytes x = ser(e);
    bytes y = {malloc(x.n), x.n};
    /* every truncation */
    for (size_t len = 0; len < x.n; len++) {
        bytes t = {x.b, len};
        ck_assert_msg(load(&t) == OCCAM_E_FORMAT, "%s: truncation to %zu bytes: %s", what, len, occam_last_error());
    }
    /* trailing bytes */
    bytes longer = {malloc(x.n + 1), x.n + 1};
    memcpy(longer.b, x.b, x.n);
    longer.b[x.n] = 0;
    ck_assert_int_eq(load(&longer), OCCAM_E_FORMAT);
    free(longer.b);
    /* every single bit flip: caught by the checksum (or the header checks) */
    for (size_t i = 0; i < x.n; i++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(y.b, x.b, x.n);
            y.b[i] ^= (unsigned char)(1u << bit);
            int rc = load(&y);
            ck_assert_msg(rc < 0, "%s: flip of byte %zu bit %d accepted", what, i, bit);
            if (i >= 28 && i < x.n - 4) ck_assert_int_eq(rc, OCCAM_E_CHECKSUM);
            /* and with the checksum made to match: a status or a valid state, never a crash */
            if (i < x.n - 4) {
                fix_crc(&y);
                rc = load(&y);
                ck_assert(rc == OCCAM_OK || rc == OCCAM_E_FORMAT || rc == OCCAM_E_VERSION || rc == OCCAM_E_NOMEM);
            }
        }
    free(x.b);
    free(y.b);
}

START_TEST(test_corruptions)
{
    occam_events *e = int_state(1.0, 40, 11);
    check_corruptions(e, "integer ids, P = 1");
    occam_events_free(e);
    e = int_state(0.0, 40, 12);
    check_corruptions(e, "integer ids, P = 0");
    occam_events_free(e);
    e = text_state(0.5, 40, 13);
    check_corruptions(e, "text ids");
    occam_events_free(e);
}
END_TEST

/* Set field `tag`'s element `i` (8 bytes) to v, recompute the CRC, load. */
static int load_with(const bytes *x, uint32_t tag, uint64_t i, uint64_t v)
{
    bytes y = {malloc(x->n), x->n};
    memcpy(y.b, x->b, x->n);
    uint64_t c;
    size_t p = field_at(&y, tag, &c);
    ck_assert_msg(p && i < c, "field %u", (unsigned)tag);
    put_le(y.b + p + 8 * i, v, 8);
    fix_crc(&y);
    int rc = load(&y);
    free(y.b);
    return rc;
}

static uint64_t f64_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

START_TEST(test_hostile_fields)
{
    occam_events *e = int_state(1.0, 200, 21), *z = int_state(0.0, 200, 22), *tx = text_state(1.0, 200, 23);
    bytes x = ser(e), x0 = ser(z), xt = ser(tx);
    uint64_t nc, nr;
    field_at(&x, 3, NULL);
    ck_assert(field_at(&x, 5, &nc) && field_at(&x, 9, &nr));
    ck_assert_int_eq(load(&x), OCCAM_OK);
    /* header: magic, version, kind, flags */
    bytes y = {malloc(x.n), x.n};
    memcpy(y.b, x.b, x.n);
    y.b[4] = 'X';
    fix_crc(&y);
    ck_assert_int_eq(load(&y), OCCAM_E_FORMAT);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "bad magic"));
    memcpy(y.b, x.b, x.n);
    put_le(y.b + 8, 2, 2);
    fix_crc(&y);
    ck_assert_int_eq(load(&y), OCCAM_E_VERSION);
    memcpy(y.b, x.b, x.n);
    put_le(y.b + 10, 9, 2); /* a newer minor version reads */
    fix_crc(&y);
    ck_assert_int_eq(load(&y), OCCAM_OK);
    memcpy(y.b, x.b, x.n);
    put_le(y.b + 12, 3, 4);
    fix_crc(&y);
    ck_assert_int_eq(load(&y), OCCAM_E_FORMAT);
    memcpy(y.b, x.b, x.n);
    put_le(y.b + 12, 2, 4); /* integer ids under the text kind */
    fix_crc(&y);
    ck_assert_int_eq(load(&y), OCCAM_E_FORMAT);
    memcpy(y.b, x.b, x.n);
    put_le(y.b + 12, 0, 4); /* customers under the empty kind */
    fix_crc(&y);
    ck_assert_int_eq(load(&y), OCCAM_E_FORMAT);
    free(y.b);
    /* counts: huge, negative, inconsistent */
    ck_assert_int_eq(load_with(&x, 3, 0, (uint64_t)1 << 62), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x, 3, 0, (uint64_t)-1), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x, 3, 0, nc - 1), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x, 4, 0, (uint64_t)1 << 62), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x, 4, 0, nr + 1), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x, 8, 0, (uint64_t)1 << 62), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x, 8, 0, 0), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x, 8, 0, (uint64_t)-5), OCCAM_E_FORMAT);
    /* ids: not increasing, duplicated */
    {
        size_t p = field_at(&x, 5, NULL);
        ck_assert_int_eq(load_with(&x, 5, 0, get_le(x.b + p + 8, 8)), OCCAM_E_FORMAT);
        ck_assert_int_eq(load_with(&x, 5, 0, (uint64_t)INT64_MAX), OCCAM_E_FORMAT);
    }
    /* times: NaN, Inf, -0, out of order, off the merge period's grid */
    ck_assert_int_eq(load_with(&x, 9, 0, f64_bits(NAN)), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x, 9, 0, f64_bits(-INFINITY)), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x, 9, 0, f64_bits(0.5)), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x0, 9, 0, f64_bits(-0.0)), OCCAM_E_FORMAT);
    /* settings */
    ck_assert_int_eq(load_with(&x, 1, 0, f64_bits(INFINITY)), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x, 2, 0, f64_bits(-1.0)), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x, 2, 0, f64_bits(NAN)), OCCAM_E_FORMAT);
    /* P = 0: counts in [1, 2^53], records collapsed */
    ck_assert_int_eq(load_with(&x0, 10, 0, 0), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x0, 10, 0, ((uint64_t)1 << 53) + 1), OCCAM_E_FORMAT);
    ck_assert_int_eq(load_with(&x0, 10, 0, (uint64_t)1 << 53), OCCAM_OK);
    {
        /* move the second of a customer's 3 records to the calibration side of
         * the third: two calibration records after the first */
        uint64_t c;
        size_t per = field_at(&x0, 8, &c), tp = field_at(&x0, 9, NULL);
        size_t j = 0;
        uint64_t k = 0;
        for (; k < c && get_le(x0.b + per + 8 * k, 8) != 3; k++) j += get_le(x0.b + per + 8 * k, 8);
        ck_assert(k < c);
        double t1 = get_f64(x0.b + tp + 8 * (j + 1)), t2 = get_f64(x0.b + tp + 8 * (j + 2));
        ck_assert(t1 <= 30.0 && t2 > 30.0);
        ck_assert_int_eq(load_with(&x0, 9, j + 2, f64_bits(t1 + (30.0 - t1) / 2)), OCCAM_E_FORMAT);
        (void)t2;
    }
    /* text ids: lengths beyond the bytes, not in order */
    {
        uint64_t c, nb;
        size_t lp = field_at(&xt, 7, &c), bp = field_at(&xt, 6, &nb);
        ck_assert(lp && bp && c >= 2);
        ck_assert_int_eq(load_with(&xt, 7, 0, nb + 1), OCCAM_E_FORMAT);
        ck_assert_int_eq(load_with(&xt, 7, 0, (uint64_t)1 << 62), OCCAM_E_FORMAT);
        ck_assert_int_eq(load_with(&xt, 7, 0, (uint64_t)-1), OCCAM_E_FORMAT);
        bytes y2 = {malloc(xt.n), xt.n};
        memcpy(y2.b, xt.b, xt.n);
        unsigned char tmp = y2.b[bp];
        y2.b[bp] = 0xff; /* the first id now sorts last */
        fix_crc(&y2);
        ck_assert_int_eq(load(&y2), OCCAM_E_FORMAT);
        y2.b[bp] = tmp;
        fix_crc(&y2);
        ck_assert_int_eq(load(&y2), OCCAM_OK);
        free(y2.b);
    }
    /* a required field renamed to an unknown tag: missing */
    static const uint32_t required[] = {1, 2, 3, 4, 5, 8, 9};
    for (size_t q = 0; q < sizeof required / sizeof required[0]; q++) {
        bytes y3 = {malloc(x.n), x.n};
        memcpy(y3.b, x.b, x.n);
        size_t p = field_at(&y3, required[q], NULL);
        ck_assert(p);
        put_le(y3.b + p - 16, 999, 4);
        fix_crc(&y3);
        ck_assert_int_eq(load(&y3), OCCAM_E_FORMAT);
        char want[64];
        snprintf(want, sizeof want, "field %u is missing", (unsigned)required[q]);
        ck_assert_ptr_nonnull(strstr(occam_last_error(), want));
        free(y3.b);
    }
    {
        bytes y3 = {malloc(x0.n), x0.n};
        memcpy(y3.b, x0.b, x0.n);
        put_le(y3.b + field_at(&y3, 10, NULL) - 16, 999, 4);
        fix_crc(&y3);
        ck_assert_int_eq(load(&y3), OCCAM_E_FORMAT); /* P = 0 needs its counts */
        free(y3.b);
    }
    {
        /* an unknown field (a later minor version's) is skipped */
        bytes y4 = {malloc(x.n + 24), x.n + 24};
        memcpy(y4.b, x.b, x.n - 4);
        unsigned char *f = y4.b + x.n - 4;
        put_le(f, 500, 4);
        put_le(f + 4, 2, 4);
        put_le(f + 8, 1, 8);
        put_le(f + 16, 12345, 8);
        put_le(y4.b + 20, get_le(x.b + 20, 8) + 24, 8);
        fix_crc(&y4);
        ck_assert_int_eq(load(&y4), OCCAM_OK);
        free(y4.b);
    }
    /* a model file is not an event state, and an event state not a model */
    occam_model *m = NULL;
    ck_assert_int_eq(occam_pnbd_new(&m), OCCAM_OK);
    size_t need;
    ck_assert_int_eq(occam_model_serialize(m, NULL, 0, &need), OCCAM_E_BUFFER_TOO_SMALL);
    bytes mb = {malloc(need), need};
    ck_assert_int_eq(occam_model_serialize(m, mb.b, need, &need), OCCAM_OK);
    ck_assert_int_eq(load(&mb), OCCAM_E_FORMAT);
    occam_model *m2 = NULL;
    ck_assert_int_eq(occam_model_deserialize(x.b, x.n, &m2), OCCAM_E_FORMAT);
    occam_model_free(m);
    free(mb.b);
    /* NULL arguments */
    occam_events *d = NULL;
    ck_assert_int_eq(occam_events_deserialize(x.b, x.n, NULL), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_deserialize(NULL, 10, &d), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_deserialize(NULL, 0, &d), OCCAM_E_FORMAT);
    ck_assert_int_eq(occam_events_serialize(NULL, NULL, 0, &need), OCCAM_E_NULL);
    ck_assert_int_eq(occam_events_serialize(e, NULL, 0, NULL), OCCAM_E_NULL);
    free(x.b);
    free(x0.b);
    free(xt.b);
    occam_events_free(e);
    occam_events_free(z);
    occam_events_free(tx);
}
END_TEST

/* The fuzz harness's seed corpus stays loadable. */
START_TEST(test_fuzz_corpus)
{
    char *dir = tu_data_path("../fuzz/corpus_events");
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "no %s", dir);
    int files = 0;
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        if (de->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        ck_assert(f != NULL);
        bytes x = {malloc(1 << 20), 0};
        x.n = fread(x.b, 1, 1 << 20, f);
        fclose(f);
        ck_assert_msg(load(&x) == OCCAM_OK, "%s: %s", de->d_name, occam_last_error());
        free(x.b);
        files++;
    }
    closedir(d);
    free(dir);
    ck_assert_int_ge(files, 4);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("events_io");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_roundtrip);
    tcase_add_test(tc, test_layout);
    tcase_add_test(tc, test_corruptions);
    tcase_add_test(tc, test_hostile_fields);
    tcase_add_test(tc, test_fuzz_corpus);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(suite()); }
