/*
 * events_io.c -- occam_events to bytes and back, in the model file's
 * container (lib/serialize.c: 28-byte header, tagged little-endian fields,
 * CRC-32) with its own magic 0x89 'O' 'C' 'E' 'V' 'T' '\r' '\n', format
 * 1.0, header kind = the id kind (0 none yet, 1 integer, 2 text).  Fields
 * (docs/format.md, "Event states"):
 *    1 f64   cal_end             2 f64  merge_period
 *    3 i64   customers C         4 i64  records R
 *    5 i64   C integer ids (kind 1)
 *    6 bytes the C text ids, concatenated; 7 i64 their C lengths (kind 2)
 *    8 i64   C record counts per customer (>= 1, sum R)
 *    9 f64   R times: each customer's distinct (floored) times, increasing
 *   10 i64   R event counts (merge_period 0 only; the collapsed form of
 *            events.h: first, last calibration, last holdout record)
 *   11 i64   2R value sums (valued states only, format 1.1): per record
 *            the integer part (signed) and the 64 fraction bits of its
 *            fixed-point sum (events_value.c).  A state without values is
 *            written as format 1.0, the same bytes as before 1.1.
 * Customers are written in the summary's order (increasing integer ids,
 * bytewise lexicographic text), so equal states give equal bytes, however
 * they were chunked or merged.  The reader checks every field and accepts
 * exactly what the writer produces.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "serialize.h"

static const occam_container EVENTS_CONTAINER = {{0x89, 'O', 'C', 'E', 'V', 'T', '\r', '\n'}, 1, 0, "event state"};
static const occam_container VALUED_CONTAINER = {{0x89, 'O', 'C', 'E', 'V', 'T', '\r', '\n'}, 1, 1, "event state"};

enum {
    TAG_CAL_END = 1,
    TAG_MERGE_PERIOD = 2,
    TAG_CUSTOMERS = 3,
    TAG_RECORDS = 4,
    TAG_INT_IDS = 5,
    TAG_TEXT_BYTES = 6,
    TAG_TEXT_LENS = 7,
    TAG_PER_CUSTOMER = 8,
    TAG_TIMES = 9,
    TAG_COUNTS = 10,
    TAG_VALUES = 11
};

/* The arrays to write, in the summary's order. */
typedef struct ev_image {
    const occam_events *e;
    int64_t nc, nr;
    int64_t *ids, *lens, *per, *counts, *values;
    double *times;
    char *bytes;
    size_t nbytes;
} ev_image;

static void image_free(ev_image *im)
{
    free(im->ids);
    free(im->lens);
    free(im->per);
    free(im->counts);
    free(im->values);
    free(im->times);
    free(im->bytes);
}

static int image_make(const occam_events *e, ev_image *im)
{
    memset(im, 0, sizeof *im);
    im->e = e;
    occam_ev_run v;
    int owned = 0;
    int64_t *start = NULL, ng = 0, *order = NULL;
    int rc = occam__ev_view(e, &v, &owned);
    if (rc == OCCAM_OK) rc = occam__ev_groups(&v, &start, &ng);
    if (rc == OCCAM_OK && e->kind == OCCAM_EV_TEXT) rc = occam__ev_text_order(e, &v, start, ng, &order);
    size_t m = (size_t)(ng > 0 ? ng : 1), mr = (size_t)(v.len > 0 ? v.len : 1);
    if (rc == OCCAM_OK) {
        im->nc = ng;
        im->nr = v.len;
        im->per = malloc(m * sizeof *im->per);
        im->times = malloc(mr * sizeof *im->times);
        im->ids = e->kind == OCCAM_EV_INT ? malloc(m * sizeof *im->ids) : NULL;
        im->lens = e->kind == OCCAM_EV_TEXT ? malloc(m * sizeof *im->lens) : NULL;
        im->counts = v.n ? malloc(mr * sizeof *im->counts) : NULL;
        im->values = e->valued ? malloc(2 * mr * sizeof *im->values) : NULL;
        if (!im->per || !im->times || (e->kind == OCCAM_EV_INT && !im->ids) || (e->kind == OCCAM_EV_TEXT && !im->lens) ||
            (v.n && !im->counts) || (e->valued && !im->values))
            rc = occam__fail(OCCAM_E_NOMEM, "out of memory serializing %lld event records", (long long)v.len);
    }
    for (int64_t g = 0; rc == OCCAM_OK && g < ng && e->kind == OCCAM_EV_TEXT; g++) {
        const unsigned char *p;
        size_t len;
        occam__ev_text_get(e->text, v.r[start[g]].id, &p, &len);
        im->nbytes += len;
    }
    if (rc == OCCAM_OK && e->kind == OCCAM_EV_TEXT && (im->bytes = malloc(im->nbytes + 1)) == NULL)
        rc = occam__fail(OCCAM_E_NOMEM, "out of memory serializing %zu bytes of ids", im->nbytes);
    size_t pos = 0;
    for (int64_t k = 0, w = 0; rc == OCCAM_OK && k < ng; k++) {
        int64_t g = order ? order[k] : k;
        im->per[k] = start[g + 1] - start[g];
        if (e->kind == OCCAM_EV_INT) {
            im->ids[k] = occam__ev_key_int(v.r[start[g]].id);
        } else {
            const unsigned char *p;
            size_t len;
            occam__ev_text_get(e->text, v.r[start[g]].id, &p, &len);
            if (len) memcpy(im->bytes + pos, p, len);
            pos += len;
            im->lens[k] = (int64_t)len;
        }
        for (int64_t i = start[g]; i < start[g + 1]; i++, w++) {
            im->times[w] = occam__ev_key_time(v.r[i].tk);
            if (v.n) im->counts[w] = v.n[i];
            if (im->values) {
                memcpy(&im->values[2 * w], &v.v[i].hi, sizeof v.v[i].hi);
                memcpy(&im->values[2 * w + 1], &v.v[i].lo, sizeof v.v[i].lo);
            }
        }
    }
    if (owned) occam__ev_run_free(&v);
    free(start);
    free(order);
    if (rc != OCCAM_OK) image_free(im);
    return rc;
}

static void write_image(const void *obj, occam_writer *w)
{
    const ev_image *im = obj;
    occam__w_f64_1(w, TAG_CAL_END, im->e->cal_end);
    occam__w_f64_1(w, TAG_MERGE_PERIOD, im->e->merge_period);
    occam__w_i64_1(w, TAG_CUSTOMERS, im->nc);
    occam__w_i64_1(w, TAG_RECORDS, im->nr);
    if (im->e->kind == OCCAM_EV_INT) occam__w_i64(w, TAG_INT_IDS, im->ids, (uint64_t)im->nc);
    if (im->e->kind == OCCAM_EV_TEXT) {
        occam__w_bytes(w, TAG_TEXT_BYTES, im->bytes, im->nbytes);
        occam__w_i64(w, TAG_TEXT_LENS, im->lens, (uint64_t)im->nc);
    }
    occam__w_i64(w, TAG_PER_CUSTOMER, im->per, (uint64_t)im->nc);
    occam__w_f64(w, TAG_TIMES, im->times, (uint64_t)im->nr);
    if (im->counts) occam__w_i64(w, TAG_COUNTS, im->counts, (uint64_t)im->nr);
    if (im->e->valued) occam__w_i64(w, TAG_VALUES, im->values, 2 * (uint64_t)im->nr);
}

int occam_events_serialize(const occam_events *e, void *buf, size_t cap, size_t *needed)
{
    if (e == NULL || needed == NULL)
        return occam__fail(OCCAM_E_NULL, "occam_events_serialize: %s is NULL", e ? "needed" : "e");
    ev_image im;
    int rc = image_make(e, &im);
    if (rc != OCCAM_OK) return rc;
    rc = occam__container_serialize(e->valued ? &VALUED_CONTAINER : &EVENTS_CONTAINER, (uint32_t)e->kind, write_image,
                                    &im, buf, cap, needed, "occam_events_serialize");
    image_free(&im);
    return rc;
}

/* ------------------------------------------------------------ reader */

static int bad(const char *what) { return occam__fail(OCCAM_E_FORMAT, "event state: %s", what); }

/* An i64 array field of exactly n elements, allocated (n checked against
 * the data before allocating). */
static int read_i64s(const occam_reader *r, uint32_t tag, int64_t n, int64_t **out)
{
    uint64_t count = 0;
    int rc = occam__r_count(r, tag, OCCAM_FT_I64, &count);
    if (rc != OCCAM_OK) return rc;
    if (count != (uint64_t)n)
        return occam__fail(OCCAM_E_FORMAT, "event state: field %u has %llu elements, expected %lld", (unsigned)tag,
                           (unsigned long long)count, (long long)n);
    *out = malloc((size_t)(n > 0 ? n : 1) * sizeof **out);
    if (*out == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory reading an event state");
    return occam__r_i64(r, tag, *out, (uint64_t)n);
}

static int read_f64s(const occam_reader *r, uint32_t tag, int64_t n, double **out)
{
    uint64_t count = 0;
    int rc = occam__r_count(r, tag, OCCAM_FT_F64, &count);
    if (rc != OCCAM_OK) return rc;
    if (count != (uint64_t)n)
        return occam__fail(OCCAM_E_FORMAT, "event state: field %u has %llu elements, expected %lld", (unsigned)tag,
                           (unsigned long long)count, (long long)n);
    *out = malloc((size_t)(n > 0 ? n : 1) * sizeof **out);
    if (*out == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory reading an event state");
    return occam__r_f64(r, tag, *out, (uint64_t)n);
}

static int bytes_cmp(const unsigned char *a, size_t la, const unsigned char *b, size_t lb)
{
    size_t m = la < lb ? la : lb;
    int c = m ? memcmp(a, b, m) : 0;
    return c ? c : (la < lb ? -1 : la > lb);
}

/* Every customer's records: counts >= 1 summing to R, times finite, not -0,
 * strictly increasing, multiples of P (P > 0; checked while |t / P| < 2^52,
 * where P round(t / P) reproduces a floored time exactly); P = 0: counts in
 * [1, 2^53] and the collapsed form (after the first record at most one
 * calibration and one holdout record). */
static int on_grid(double P, double t)
{
    if (P == 0) return 1;
    double k = nearbyint(t / P);
    return !(fabs(k) < 4503599627370496.0) || P * k == t;
}

static int check_records(const occam_events *e, int64_t nc, int64_t nr, const int64_t *per, const double *t,
                         const int64_t *cnt)
{
    int64_t pos = 0;
    for (int64_t c = 0; c < nc; c++) {
        if (per[c] < 1 || per[c] > nr - pos) return bad("record counts per customer do not add up");
        int ncal = 0, nhold = 0;
        for (int64_t j = pos; j < pos + per[c]; j++) {
            if (!isfinite(t[j]) || (t[j] == 0 && signbit(t[j])) || !on_grid(e->merge_period, t[j]))
                return bad("a time is not finite, is -0, or is not a multiple of the merge period");
            if (j > pos && !(t[j] > t[j - 1])) return bad("a customer's times are not increasing");
            if (cnt && (cnt[j] < 1 || cnt[j] > OCCAM_EV_MAX_COUNT)) return bad("an event count is outside [1, 2^53]");
            if (cnt && j > pos) {
                ncal += t[j] <= e->end;
                nhold += t[j] > e->end;
            }
        }
        if (ncal > 1 || nhold > 1) return bad("merge period 0 records are not collapsed");
        pos += per[c];
    }
    if (pos != nr) return bad("record counts per customer do not add up");
    return OCCAM_OK;
}

/* The customer keys (C entries) from the id fields, checking the order. */
static int read_ids(occam_events *e, const occam_reader *r, int64_t nc, uint64_t *key)
{
    int64_t *v = NULL;
    int rc;
    if (e->kind == OCCAM_EV_INT) {
        if (occam__r_has(r, TAG_TEXT_BYTES) || occam__r_has(r, TAG_TEXT_LENS)) return bad("integer ids with text fields");
        rc = read_i64s(r, TAG_INT_IDS, nc, &v);
        for (int64_t c = 0; rc == OCCAM_OK && c < nc; c++) {
            if (c > 0 && !(v[c] > v[c - 1])) rc = bad("integer ids are not increasing");
            key[c] = occam__ev_int_key(v[c]);
        }
        free(v);
        return rc;
    }
    if (occam__r_has(r, TAG_INT_IDS)) return bad("text ids with an integer id field");
    const unsigned char *b = NULL;
    uint64_t nb = 0, pos = 0;
    rc = occam__r_bytes(r, TAG_TEXT_BYTES, &b, &nb);
    if (rc == OCCAM_OK) rc = read_i64s(r, TAG_TEXT_LENS, nc, &v);
    for (int64_t c = 0; rc == OCCAM_OK && c < nc; c++) {
        if (v[c] < 0 || (uint64_t)v[c] > nb - pos) {
            rc = bad("text id lengths do not match the id bytes");
            break;
        }
        if (c > 0 && bytes_cmp(b + pos - v[c - 1], (size_t)v[c - 1], b + pos, (size_t)v[c]) >= 0)
            rc = bad("text ids are not in increasing bytewise order");
        if (rc == OCCAM_OK) rc = occam__ev_text_intern(e->text, b + pos, (size_t)v[c], &key[c]);
        pos += (uint64_t)v[c];
    }
    if (rc == OCCAM_OK && pos != nb) rc = bad("text id lengths do not match the id bytes");
    free(v);
    return rc;
}

/* The value sums of a valued state's nr records into e->main.v (e->valued
 * set): their magnitudes must add up to less than 2^62, the state's bound. */
static int read_values(occam_events *e, const occam_reader *r, int64_t nr)
{
    if (nr > INT64_MAX / 2) return bad("too many records");
    int64_t *w = NULL;
    int rc = read_i64s(r, TAG_VALUES, 2 * nr, &w);
    if (rc == OCCAM_OK && (e->main.v = malloc((size_t)(nr > 0 ? nr : 1) * sizeof *e->main.v)) == NULL)
        rc = occam__fail(OCCAM_E_NOMEM, "out of memory reading an event state");
    double bound = 0;
    for (int64_t j = 0; rc == OCCAM_OK && j < nr; j++) {
        memcpy(&e->main.v[j].hi, &w[2 * j], sizeof e->main.v[j].hi);
        memcpy(&e->main.v[j].lo, &w[2 * j + 1], sizeof e->main.v[j].lo);
        bound += fabs(occam__ev_val_double(e->main.v[j]));
    }
    if (rc == OCCAM_OK && !(bound < OCCAM_EV_MAX_VALUE)) rc = bad("the value sums' magnitudes reach 2^62");
    e->valued = 1;
    e->vbound = bound;
    free(w);
    return rc;
}

/* OCCAM_E_FORMAT naming the first of the tags that is missing. */
static int require(const occam_reader *r, const uint32_t *tags, int n)
{
    for (int i = 0; i < n; i++)
        if (!occam__r_has(r, tags[i]))
            return occam__fail(OCCAM_E_FORMAT, "event state: field %u is missing", (unsigned)tags[i]);
    return OCCAM_OK;
}

static int read_state(const occam_reader *r, uint32_t kind, occam_events **out)
{
    static const uint32_t always[] = {TAG_CAL_END, TAG_MERGE_PERIOD, TAG_CUSTOMERS, TAG_RECORDS, TAG_PER_CUSTOMER, TAG_TIMES};
    static const uint32_t ints[] = {TAG_INT_IDS}, texts[] = {TAG_TEXT_BYTES, TAG_TEXT_LENS}, counts[] = {TAG_COUNTS};
    double cal_end, P;
    int64_t nc, nr;
    int rc = require(r, always, 6);
    if (rc == OCCAM_OK && kind == OCCAM_EV_INT) rc = require(r, ints, 1);
    if (rc == OCCAM_OK && kind == OCCAM_EV_TEXT) rc = require(r, texts, 2);
    if (rc != OCCAM_OK) return rc;
    rc = occam__r_f64_1(r, TAG_CAL_END, &cal_end);
    if (rc == OCCAM_OK) rc = occam__r_f64_1(r, TAG_MERGE_PERIOD, &P);
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_CUSTOMERS, 0, INT64_MAX, &nc);
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_RECORDS, 0, INT64_MAX, &nr);
    if (rc != OCCAM_OK) return rc;
    if (kind > OCCAM_EV_TEXT) return occam__fail(OCCAM_E_FORMAT, "event state: unknown id kind %u", (unsigned)kind);
    if (!isfinite(cal_end) || !(P >= 0) || !isfinite(P) || (P > 0 && !isfinite(P * floor(cal_end / P))))
        return bad("cal_end or merge_period out of range");
    if (nr < nc || (kind == OCCAM_EV_NONE && nc != 0)) return bad("customer and record counts disagree");
    if (P > 0 && occam__r_has(r, TAG_COUNTS)) return bad("event counts with a merge period");
    int valued = occam__r_has(r, TAG_VALUES);
    if (valued && P == 0) return bad("value sums without a merge period");
    if (P == 0 && (rc = require(r, counts, 1)) != OCCAM_OK) return rc;
    occam_events *e = NULL;
    if ((rc = occam__ev_new_like(cal_end, P, (int)kind, &e)) != OCCAM_OK) return rc;
    int64_t *per = NULL, *cnt = NULL;
    double *t = NULL;
    uint64_t *key = NULL;
    rc = read_i64s(r, TAG_PER_CUSTOMER, nc, &per);
    if (rc == OCCAM_OK) rc = read_f64s(r, TAG_TIMES, nr, &t);
    if (rc == OCCAM_OK && P == 0) rc = read_i64s(r, TAG_COUNTS, nr, &cnt);
    if (rc == OCCAM_OK) rc = check_records(e, nc, nr, per, t, cnt);
    if (rc == OCCAM_OK && valued) rc = read_values(e, r, nr);
    if (rc == OCCAM_OK && kind != OCCAM_EV_NONE) {
        if ((key = malloc((size_t)(nc > 0 ? nc : 1) * sizeof *key)) == NULL)
            rc = occam__fail(OCCAM_E_NOMEM, "out of memory reading an event state");
        if (rc == OCCAM_OK) rc = read_ids(e, r, nc, key);
    }
    if (rc == OCCAM_OK && nr > 0) {
        e->main.r = malloc((size_t)nr * sizeof *e->main.r);
        if (cnt) {
            e->main.n = cnt;
            cnt = NULL;
        }
        if (e->main.r == NULL) rc = occam__fail(OCCAM_E_NOMEM, "out of memory reading an event state");
        for (int64_t c = 0, j = 0; rc == OCCAM_OK && c < nc; c++)
            for (int64_t k = 0; k < per[c]; k++, j++) {
                e->main.r[j].id = key[c];
                e->main.r[j].tk = occam__ev_time_key(t[j]);
            }
        e->main.len = nr;
    }
    free(per);
    free(cnt);
    free(t);
    free(key);
    if (rc != OCCAM_OK) {
        occam_events_free(e);
        return rc;
    }
    *out = e;
    return OCCAM_OK;
}

int occam_events_deserialize(const void *buf, size_t len, occam_events **out)
{
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_events_deserialize: out is NULL");
    *out = NULL;
    if (buf == NULL && len > 0) return occam__fail(OCCAM_E_NULL, "occam_events_deserialize: buf is NULL");
    occam_reader r;
    uint32_t kind = 0;
    int rc = occam__container_open(&EVENTS_CONTAINER, buf, len, &kind, &r);
    if (rc == OCCAM_OK) rc = read_state(&r, kind, out);
    occam__reader_free(&r);
    return rc;
}
