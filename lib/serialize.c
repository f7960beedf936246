/*
 * serialize.c -- the model file format v1 (specified in docs/format.md):
 *
 *   0  8 bytes  magic 0x89 'O' 'C' 'C' 'A' 'M' '\r' '\n'
 *   8  u16      format major version (1)
 *  10  u16      format minor version (2; readers accept any minor of major 1)
 *  12  u32      model kind (enum occam_model_kind)
 *  16  u32      flags (0)
 *  20  u64      payload length L in bytes
 *  28  L bytes  fields: u32 tag, u32 type (1 f64, 2 i64, 3 UTF-8 bytes),
 *               u64 count, then count elements (8 bytes each, or 1 for text)
 *  28+L u32     CRC-32 (zlib's crc32, ISO-HDLC) of bytes 0 .. 28+L-1
 *
 * All integers little-endian, doubles IEEE-754 binary64 little-endian.
 * Readers check every length before use and ignore unknown tags.
 */
#define _POSIX_C_SOURCE 200809L /* strerror_r */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "file_replace.h"
#include "serialize.h"

enum { HEADER_SIZE = 28, TRAILER_SIZE = 4, FORMAT_MAJOR = 1, FORMAT_MINOR = 2, FIELD_HEADER = 16 };
static const occam_container MODEL_CONTAINER = {{0x89, 'O', 'C', 'C', 'A', 'M', '\r', '\n'}, FORMAT_MAJOR, FORMAT_MINOR,
                                                 "model"};

/* Common field tags (1-99). */
enum {
    TAG_FITTED = 1,
    TAG_P = 2,
    TAG_INTERCEPT = 3,
    TAG_CONDITIONS = 4,
    TAG_NROWS = 5,
    TAG_NAMES = 6, /* the p names, each followed by a NUL byte */
    TAG_EST = 8,
    TAG_SE = 9,
    TAG_STAT = 10,
    TAG_PVAL = 11,
    TAG_VCOV = 12,
    TAG_ALIASED = 13,
    TAG_DESIGN = 14 /* optional: the caller's design metadata (occam_model_set_design) */
};

/* ------------------------------------------------------------ byte helpers */

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}
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
static uint64_t f64_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}
static double bits_f64(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* ------------------------------------------------------------------ writer */

static unsigned char *reserve(occam_writer *w, size_t n)
{
    unsigned char *p = NULL;
    if (w->buf != NULL && w->len + n <= w->cap) p = w->buf + w->len;
    w->len += n;
    return p;
}

static void field_header(occam_writer *w, uint32_t tag, uint32_t type, uint64_t count)
{
    unsigned char *p = reserve(w, FIELD_HEADER);
    if (p == NULL) return;
    put_u32(p, tag);
    put_u32(p + 4, type);
    put_u64(p + 8, count);
}

void occam__w_f64(occam_writer *w, uint32_t tag, const double *v, uint64_t n)
{
    field_header(w, tag, OCCAM_FT_F64, n);
    unsigned char *p = reserve(w, (size_t)n * 8);
    if (p == NULL) return;
    for (uint64_t i = 0; i < n; i++) put_u64(p + 8 * i, f64_bits(v[i]));
}

void occam__w_f64_fn(occam_writer *w, uint32_t tag, uint64_t n, double (*value)(const void *ctx, uint64_t i),
                     const void *ctx)
{
    field_header(w, tag, OCCAM_FT_F64, n);
    unsigned char *p = reserve(w, (size_t)n * 8);
    if (p == NULL) return;
    for (uint64_t i = 0; i < n; i++) put_u64(p + 8 * i, f64_bits(value(ctx, i)));
}

void occam__w_i64(occam_writer *w, uint32_t tag, const int64_t *v, uint64_t n)
{
    field_header(w, tag, OCCAM_FT_I64, n);
    unsigned char *p = reserve(w, (size_t)n * 8);
    if (p == NULL) return;
    for (uint64_t i = 0; i < n; i++) put_u64(p + 8 * i, (uint64_t)v[i]);
}

void occam__w_f64_1(occam_writer *w, uint32_t tag, double v) { occam__w_f64(w, tag, &v, 1); }

void occam__w_i64_1(occam_writer *w, uint32_t tag, int64_t v) { occam__w_i64(w, tag, &v, 1); }

static void write_bytes(occam_writer *w, uint32_t tag, const char *const *parts, int64_t nparts, int nul)
{
    uint64_t total = 0;
    for (int64_t j = 0; j < nparts; j++) total += strlen(parts[j]) + (nul ? 1 : 0);
    field_header(w, tag, OCCAM_FT_STR, total);
    for (int64_t j = 0; j < nparts; j++) {
        size_t len = strlen(parts[j]) + (nul ? 1 : 0);
        unsigned char *p = reserve(w, len);
        if (p) memcpy(p, parts[j], len);
    }
}

void occam__w_str(occam_writer *w, uint32_t tag, const char *s) { write_bytes(w, tag, &s, 1, 0); }

void occam__w_bytes(occam_writer *w, uint32_t tag, const void *bytes, uint64_t n)
{
    field_header(w, tag, OCCAM_FT_STR, n);
    unsigned char *p = reserve(w, (size_t)n);
    if (p && n) memcpy(p, bytes, (size_t)n);
}

/* ------------------------------------------------------------------ reader */

static const occam_field *find(const occam_reader *r, uint32_t tag)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].tag == tag) return &r->fields[i];
    return NULL;
}

int occam__r_has(const occam_reader *r, uint32_t tag) { return find(r, tag) != NULL; }

int occam__r_count(const occam_reader *r, uint32_t tag, uint32_t type, uint64_t *count)
{
    const occam_field *f = find(r, tag);
    if (f == NULL) return occam__fail(OCCAM_E_FORMAT, "model data lacks field %u", (unsigned)tag);
    if (f->type != type)
        return occam__fail(OCCAM_E_FORMAT, "field %u has type %u, expected %u", (unsigned)tag,
                           (unsigned)f->type, (unsigned)type);
    *count = f->count;
    return OCCAM_OK;
}

static int get_field(const occam_reader *r, uint32_t tag, uint32_t type, uint64_t n, const occam_field **f)
{
    uint64_t count = 0;
    int rc = occam__r_count(r, tag, type, &count);
    if (rc != OCCAM_OK) return rc;
    if (count != n)
        return occam__fail(OCCAM_E_FORMAT, "field %u has %llu elements, expected %llu", (unsigned)tag,
                           (unsigned long long)count, (unsigned long long)n);
    *f = find(r, tag);
    return OCCAM_OK;
}

int occam__r_f64(const occam_reader *r, uint32_t tag, double *out, uint64_t n)
{
    const occam_field *f = NULL;
    int rc = get_field(r, tag, OCCAM_FT_F64, n, &f);
    if (rc != OCCAM_OK) return rc;
    for (uint64_t i = 0; i < n; i++) out[i] = bits_f64(get_u64(f->data + 8 * i));
    return OCCAM_OK;
}

int occam__r_i64(const occam_reader *r, uint32_t tag, int64_t *out, uint64_t n)
{
    const occam_field *f = NULL;
    int rc = get_field(r, tag, OCCAM_FT_I64, n, &f);
    if (rc != OCCAM_OK) return rc;
    for (uint64_t i = 0; i < n; i++) out[i] = (int64_t)get_u64(f->data + 8 * i);
    return OCCAM_OK;
}

int occam__r_f64_1(const occam_reader *r, uint32_t tag, double *out) { return occam__r_f64(r, tag, out, 1); }

int occam__r_i64_1(const occam_reader *r, uint32_t tag, int64_t *out) { return occam__r_i64(r, tag, out, 1); }

int occam__r_str(const occam_reader *r, uint32_t tag, char **out)
{
    uint64_t n = 0;
    int rc = occam__r_count(r, tag, OCCAM_FT_STR, &n);
    if (rc != OCCAM_OK) return rc;
    const occam_field *f = find(r, tag);
    if (memchr(f->data, '\0', (size_t)n) != NULL)
        return occam__fail(OCCAM_E_FORMAT, "text field %u contains a NUL byte", (unsigned)tag);
    char *s = malloc((size_t)n + 1);
    if (s == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory reading field %u", (unsigned)tag);
    memcpy(s, f->data, (size_t)n);
    s[n] = '\0';
    *out = s;
    return OCCAM_OK;
}

/* Split the payload into fields, checking every length. */
int occam__parse_fields(const unsigned char *p, uint64_t len, occam_field **out, size_t *nout)
{
    size_t cap = 16, n = 0;
    occam_field *fields = malloc(cap * sizeof *fields);
    if (fields == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory parsing model data");
    uint64_t pos = 0;
    while (pos < len) {
        if (len - pos < FIELD_HEADER) {
            free(fields);
            return occam__fail(OCCAM_E_FORMAT, "truncated field header at payload byte %llu",
                               (unsigned long long)pos);
        }
        occam_field f;
        f.tag = get_u32(p + pos);
        f.type = get_u32(p + pos + 4);
        f.count = get_u64(p + pos + 8);
        uint64_t esize = f.type == OCCAM_FT_STR ? 1 : 8;
        if (f.type != OCCAM_FT_F64 && f.type != OCCAM_FT_I64 && f.type != OCCAM_FT_STR) {
            free(fields);
            return occam__fail(OCCAM_E_FORMAT, "field %u has unknown type %u", (unsigned)f.tag, (unsigned)f.type);
        }
        pos += FIELD_HEADER;
        if (f.count > (len - pos) / esize) {
            free(fields);
            return occam__fail(OCCAM_E_FORMAT, "field %u claims %llu elements, more than the data holds",
                               (unsigned)f.tag, (unsigned long long)f.count);
        }
        f.data = p + pos;
        pos += f.count * esize;
        if (n == cap) {
            occam_field *nf = realloc(fields, 2 * cap * sizeof *fields);
            if (nf == NULL) {
                free(fields);
                return occam__fail(OCCAM_E_NOMEM, "out of memory parsing model data");
            }
            fields = nf;
            cap *= 2;
        }
        fields[n++] = f;
    }
    *out = fields;
    *nout = n;
    return OCCAM_OK;
}

/* ---------------------------------------------------------- common fields */

static void write_common(const occam_model *m, occam_writer *w)
{
    occam__w_i64_1(w, TAG_FITTED, m->fitted);
    occam__w_i64_1(w, TAG_P, m->p);
    occam__w_i64_1(w, TAG_INTERCEPT, m->intercept);
    occam__w_i64_1(w, TAG_CONDITIONS, m->conditions);
    occam__w_i64_1(w, TAG_NROWS, m->nrows);
    if (m->names) write_bytes(w, TAG_NAMES, (const char *const *)m->names, m->p, 1);
    if (m->design) occam__w_str(w, TAG_DESIGN, m->design);
    if (m->fitted) {
        int64_t k = m->coefs.k;
        occam__w_f64(w, TAG_EST, m->coefs.est, (uint64_t)k);
        occam__w_f64(w, TAG_SE, m->coefs.se, (uint64_t)k);
        occam__w_f64(w, TAG_STAT, m->coefs.stat, (uint64_t)k);
        occam__w_f64(w, TAG_PVAL, m->coefs.pval, (uint64_t)k);
        occam__w_f64(w, TAG_VCOV, m->coefs.vcov, (uint64_t)(m->coefs.nkept * m->coefs.nkept));
        field_header(w, TAG_ALIASED, OCCAM_FT_I64, (uint64_t)k);
        for (int64_t j = 0; j < k; j++) {
            unsigned char *p = reserve(w, 8);
            if (p) put_u64(p, (uint64_t)m->coefs.aliased[j]);
        }
    }
}

static int read_names(occam_model *m, const occam_reader *r)
{
    if (!occam__r_has(r, TAG_NAMES)) return OCCAM_OK;
    uint64_t n = 0;
    int rc = occam__r_count(r, TAG_NAMES, OCCAM_FT_STR, &n);
    if (rc != OCCAM_OK) return rc;
    const occam_field *f = find(r, TAG_NAMES);
    int64_t nul = 0;
    for (uint64_t i = 0; i < n; i++) nul += f->data[i] == '\0';
    if (nul != m->p || n == 0 || f->data[n - 1] != '\0')
        return occam__fail(OCCAM_E_FORMAT, "names field holds %lld names, expected %lld", (long long)nul,
                           (long long)m->p);
    m->names = calloc((size_t)m->p, sizeof(char *));
    if (m->names == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory reading names");
    const unsigned char *s = f->data;
    for (int64_t j = 0; j < m->p; j++) {
        size_t len = strlen((const char *)s);
        if (occam_name_check((const char *)s, NULL) != OCCAM_OK) {
            char why[256];
            snprintf(why, sizeof why, "%s", occam_last_error());
            return occam__fail(OCCAM_E_FORMAT, "name %lld: %s", (long long)j + 1, why);
        }
        m->names[j] = malloc(len + 1);
        if (m->names[j] == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory reading names");
        memcpy(m->names[j], s, len + 1);
        s += len + 1;
    }
    return OCCAM_OK;
}

/* Tag 14 (format 1.2, optional): well-formed UTF-8 without NUL bytes. */
static int read_design(occam_model *m, const occam_reader *r)
{
    if (!occam__r_has(r, TAG_DESIGN)) return OCCAM_OK;
    char *s = NULL;
    int rc = occam__r_str(r, TAG_DESIGN, &s);
    if (rc != OCCAM_OK) return rc;
    size_t bad = 0;
    if (!occam__utf8_valid(s, strlen(s), &bad)) {
        free(s);
        return occam__fail(OCCAM_E_FORMAT, "design field is not valid UTF-8 at byte offset %zu", bad);
    }
    m->design = s;
    return OCCAM_OK;
}

int occam__r_i64_in(const occam_reader *r, uint32_t tag, int64_t lo, int64_t hi, int64_t *v)
{
    int rc = occam__r_i64_1(r, tag, v);
    if (rc == OCCAM_OK && (*v < lo || *v > hi))
        return occam__fail(OCCAM_E_FORMAT, "field %u = %lld is outside [%lld, %lld]", (unsigned)tag,
                           (long long)*v, (long long)lo, (long long)hi);
    return rc;
}

/* Tag 12: the covariance of the nkept non-aliased coefficients (format
 * 1.1), or, in a format 1.0 file, all k x k with NaN rows and columns for
 * the aliased ones (the same when none is aliased). */
static int read_vcov(occam_coefs *c, const occam_reader *r)
{
    uint64_t count = 0, k = (uint64_t)c->k, nk = (uint64_t)c->nkept;
    int rc = occam__r_count(r, TAG_VCOV, OCCAM_FT_F64, &count);
    if (rc != OCCAM_OK) return rc;
    if (count == nk * nk) return occam__r_f64(r, TAG_VCOV, c->vcov, count);
    if (count != k * k)
        return occam__fail(OCCAM_E_FORMAT, "field %u has %llu elements, expected %llu", (unsigned)TAG_VCOV,
                           (unsigned long long)count, (unsigned long long)(nk * nk));
    double *full = malloc((size_t)count * sizeof(double)); /* count elements are present in the data */
    if (full == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory reading the covariance");
    rc = occam__r_f64(r, TAG_VCOV, full, count);
    for (uint64_t j = 0, jk = 0; rc == OCCAM_OK && j < k; j++) {
        if (c->aliased[j]) continue;
        for (uint64_t i = 0, ik = 0; i < k; i++)
            if (!c->aliased[i]) c->vcov[ik++ + jk * nk] = full[i + j * k];
        jk++;
    }
    free(full);
    return rc;
}

static int read_common(occam_model *m, const occam_reader *r)
{
    int64_t fitted, p, intercept, conditions, nrows;
    int rc = occam__r_i64_in(r, TAG_FITTED, 0, 1, &fitted);
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_P, 0, INT32_MAX, &p);
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_INTERCEPT, 0, 1, &intercept);
    /* any bits: a later library may define more conditions (docs/format.md) */
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_CONDITIONS, 0, INT32_MAX, &conditions);
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_NROWS, 0, INT64_MAX, &nrows);
    if (rc != OCCAM_OK) return rc;
    m->fitted = (int)fitted;
    m->p = p;
    m->intercept = (int)intercept;
    m->conditions = (int)conditions;
    m->nrows = nrows;
    rc = read_names(m, r);
    if (rc == OCCAM_OK) rc = read_design(m, r);
    if (rc != OCCAM_OK || !m->fitted) return rc;
    uint64_t k = 0;
    rc = occam__r_count(r, TAG_EST, OCCAM_FT_F64, &k);
    if (rc != OCCAM_OK) return rc;
    if (k > (uint64_t)INT32_MAX) return occam__fail(OCCAM_E_FORMAT, "coefficient count %llu too large",
                                                    (unsigned long long)k);
    int64_t *al = malloc((size_t)(k > 0 ? k : 1) * sizeof(int64_t));
    int *flags = malloc((size_t)(k > 0 ? k : 1) * sizeof(int));
    if (al == NULL || flags == NULL) rc = occam__fail(OCCAM_E_NOMEM, "out of memory reading coefficients");
    if (rc == OCCAM_OK) rc = occam__r_i64(r, TAG_ALIASED, al, k);
    for (uint64_t j = 0; rc == OCCAM_OK && j < k; j++) {
        if (al[j] != 0 && al[j] != 1) rc = occam__fail(OCCAM_E_FORMAT, "aliased flag %llu is not 0/1",
                                                        (unsigned long long)j + 1);
        else flags[j] = (int)al[j];
    }
    if (rc == OCCAM_OK) rc = occam__coefs_alloc(&m->coefs, (int64_t)k, flags);
    free(al);
    free(flags);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_EST, m->coefs.est, k);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_SE, m->coefs.se, k);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_STAT, m->coefs.stat, k);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_PVAL, m->coefs.pval, k);
    if (rc == OCCAM_OK) rc = read_vcov(&m->coefs, r);
    return rc;
}

/* ------------------------------------------------------------- public API */

static void write_container(const occam_container *c, uint32_t kind, occam_body_fn body, const void *obj,
                            occam_writer *w)
{
    unsigned char *h = reserve(w, HEADER_SIZE);
    size_t start = w->len;
    body(obj, w);
    uint64_t payload = w->len - start;
    if (h) {
        memcpy(h, c->magic, 8);
        h[8] = (unsigned char)(c->major & 0xff);
        h[9] = (unsigned char)(c->major >> 8);
        h[10] = (unsigned char)(c->minor & 0xff);
        h[11] = (unsigned char)(c->minor >> 8);
        put_u32(h + 12, kind);
        put_u32(h + 16, 0);
        put_u64(h + 20, payload);
    }
    unsigned char *t = reserve(w, TRAILER_SIZE);
    if (t && h) put_u32(t, (uint32_t)crc32(0L, w->buf, (uInt)(w->len - TRAILER_SIZE)));
}

static void model_body(const void *obj, occam_writer *w)
{
    const occam_model *m = obj;
    write_common(m, w);
    m->vt->write(m, w);
}

static void write_model(const occam_model *m, occam_writer *w)
{
    write_container(&MODEL_CONTAINER, (uint32_t)m->vt->kind, model_body, m, w);
}

int occam_model_serialize(const occam_model *m, void *buf, size_t cap, size_t *needed)
{
    if (m == NULL || needed == NULL)
        return occam__fail(OCCAM_E_NULL, "occam_model_serialize: %s is NULL", m ? "needed" : "model");
    occam_writer counter = {NULL, 0, 0};
    write_model(m, &counter);
    *needed = counter.len;
    if (buf == NULL || cap < counter.len)
        return occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "occam_model_serialize: %zu bytes needed, buffer has %zu",
                           counter.len, buf ? cap : (size_t)0);
    if (counter.len > (size_t)UINT32_MAX)
        return occam__fail(OCCAM_E_TOO_LARGE, "occam_model_serialize: model of %zu bytes too large",
                           counter.len);
    occam_writer w = {buf, cap, 0};
    write_model(m, &w);
    return OCCAM_OK;
}

static int check_header(const occam_container *c, const unsigned char *b, size_t len, uint64_t *payload)
{
    const char *what = c->what;
    if (len == 0) return occam__fail(OCCAM_E_FORMAT, "%s data is empty (0 bytes)", what);
    if (len < 8 || memcmp(b, c->magic, 8) != 0)
        return occam__fail(OCCAM_E_FORMAT, "not an occam %s: bad magic bytes", what);
    if (len < HEADER_SIZE + TRAILER_SIZE)
        return occam__fail(OCCAM_E_FORMAT, "%s data truncated: %zu bytes, header alone needs %d", what, len,
                           HEADER_SIZE + TRAILER_SIZE);
    unsigned major = (unsigned)b[8] | ((unsigned)b[9] << 8);
    if (major != c->major)
        return occam__fail(OCCAM_E_VERSION, "%s format version %u is not supported (this library reads %u)", what,
                           major, c->major);
    *payload = get_u64(b + 20);
    if (*payload != len - HEADER_SIZE - TRAILER_SIZE)
        return occam__fail(OCCAM_E_FORMAT, "%s data %s: header announces %llu payload bytes, %zu present", what,
                           *payload > len - HEADER_SIZE - TRAILER_SIZE ? "truncated" : "has trailing bytes",
                           (unsigned long long)*payload, len - HEADER_SIZE - TRAILER_SIZE);
    if (len > (size_t)UINT32_MAX) return occam__fail(OCCAM_E_FORMAT, "%s data too large", what);
    uint32_t want = get_u32(b + len - TRAILER_SIZE);
    uint32_t got = (uint32_t)crc32(0L, b, (uInt)(len - TRAILER_SIZE));
    if (want != got)
        return occam__fail(OCCAM_E_CHECKSUM, "%s data corrupted: CRC-32 %08x, stored %08x", what, (unsigned)got,
                           (unsigned)want);
    return OCCAM_OK;
}

int occam_model_deserialize(const void *buf, size_t len, occam_model **out)
{
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_deserialize: out is NULL");
    *out = NULL;
    if (buf == NULL && len > 0) return occam__fail(OCCAM_E_NULL, "occam_model_deserialize: buf is NULL");
    const unsigned char *b = buf;
    uint64_t payload = 0;
    int rc = check_header(&MODEL_CONTAINER, b, len, &payload);
    if (rc != OCCAM_OK) return rc;
    uint32_t kind = get_u32(b + 12);
    const occam_vtable *vt = occam__vtable_for_kind((int)kind);
    if (vt == NULL || vt->read == NULL)
        return occam__fail(OCCAM_E_FORMAT, "unknown model kind %u in model data", (unsigned)kind);
    occam_reader r = {NULL, 0};
    occam_field *fields = NULL;
    rc = occam__parse_fields(b + HEADER_SIZE, payload, &fields, &r.nfields);
    if (rc != OCCAM_OK) return rc;
    r.fields = fields;
    occam_model *m = NULL;
    rc = occam__model_new(vt, NULL, &m);
    if (rc == OCCAM_OK) rc = read_common(m, &r);
    if (rc == OCCAM_OK) rc = vt->read(m, &r);
    free(fields);
    if (rc != OCCAM_OK) {
        occam_model_free(m);
        return rc;
    }
    *out = m;
    return OCCAM_OK;
}

/* OCCAM_E_IO with the system's reason ("No such file or directory"). */
static int io_error(const char *what, const char *path)
{
    char reason[128] = "unknown error";
    int err = errno;
    if (strerror_r(err, reason, sizeof reason) != 0) snprintf(reason, sizeof reason, "errno %d", err);
    return occam__fail(OCCAM_E_IO, "cannot %s '%s': %s", what, path, reason);
}

/* OCCAM_E_IO for a failed replacement (file_replace.h): the step, the file
 * and the system's reason, and whether the old file is intact. */
static int save_error(const occam_replace *r)
{
    char reason[128] = "unknown error";
    if (strerror_r(r->err, reason, sizeof reason) != 0) snprintf(reason, sizeof reason, "errno %d", r->err);
    return occam__fail(OCCAM_E_IO, "cannot %s: %s (%s)", r->what, reason,
                       r->renamed ? "the new file is in place, its directory entry may not be durable yet"
                                  : "the file was not changed");
}

int occam_model_save(const occam_model *m, const char *path)
{
    if (m == NULL || path == NULL)
        return occam__fail(OCCAM_E_NULL, "occam_model_save: %s is NULL", m ? "path" : "model");
    size_t need = 0;
    int rc = occam_model_serialize(m, NULL, 0, &need);
    if (rc != OCCAM_E_BUFFER_TOO_SMALL) return rc;
    unsigned char *buf = malloc(need);
    if (buf == NULL) return occam__fail(OCCAM_E_NOMEM, "occam_model_save: out of memory");
    rc = occam_model_serialize(m, buf, need, &need);
    if (rc == OCCAM_OK) {
        occam_replace r;
        if (occam__replace_begin(&r, path) != 0) {
            rc = save_error(&r);
        } else {
            fwrite(buf, 1, need, r.f); /* a short write is reported by the commit */
            if (occam__replace_commit(&r) != 0) rc = save_error(&r);
        }
    }
    free(buf);
    return rc;
}

int occam_model_load(const char *path, occam_model **out)
{
    if (out == NULL || path == NULL)
        return occam__fail(OCCAM_E_NULL, "occam_model_load: %s is NULL", out ? "path" : "out");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) return io_error("open", path);
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = malloc(cap);
    int rc = OCCAM_OK;
    while (buf != NULL) {
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap) break;
        unsigned char *nb = cap > ((size_t)1 << 40) ? NULL : realloc(buf, cap * 2);
        if (nb == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf == NULL) rc = occam__fail(OCCAM_E_NOMEM, "out of memory reading '%s'", path);
    else if (ferror(f)) rc = io_error("read", path);
    fclose(f);
    if (rc == OCCAM_OK) rc = occam_model_deserialize(buf, len, out);
    free(buf);
    return rc;
}

/* ------------------------------------------------- other serialized data */

int occam__r_bytes(const occam_reader *r, uint32_t tag, const unsigned char **data, uint64_t *n)
{
    int rc = occam__r_count(r, tag, OCCAM_FT_STR, n);
    if (rc == OCCAM_OK) *data = find(r, tag)->data;
    return rc;
}

int occam__container_serialize(const occam_container *c, uint32_t kind, occam_body_fn body, const void *obj,
                               void *buf, size_t cap, size_t *needed, const char *fn)
{
    occam_writer counter = {NULL, 0, 0};
    write_container(c, kind, body, obj, &counter);
    *needed = counter.len;
    if (buf == NULL || cap < counter.len)
        return occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "%s: %zu bytes needed, buffer has %zu", fn, counter.len,
                           buf ? cap : (size_t)0);
    if (counter.len > (size_t)UINT32_MAX)
        return occam__fail(OCCAM_E_TOO_LARGE, "%s: %s of %zu bytes too large", fn, c->what, counter.len);
    occam_writer w = {buf, cap, 0};
    write_container(c, kind, body, obj, &w);
    return OCCAM_OK;
}

int occam__container_open(const occam_container *c, const void *buf, size_t len, uint32_t *kind, occam_reader *r)
{
    const unsigned char *b = buf;
    uint64_t payload = 0;
    r->fields = NULL;
    r->nfields = 0;
    int rc = check_header(c, b, len, &payload);
    if (rc != OCCAM_OK) return rc;
    *kind = get_u32(b + 12);
    occam_field *fields = NULL;
    rc = occam__parse_fields(b + HEADER_SIZE, payload, &fields, &r->nfields);
    if (rc == OCCAM_OK) r->fields = fields;
    return rc;
}

void occam__reader_free(occam_reader *r)
{
    free((void *)r->fields);
    r->fields = NULL;
    r->nfields = 0;
}
