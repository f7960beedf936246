/*
 * partial_io.c -- the serialized form of an occam_partial (docs/format.md,
 * "Partial results"), with the field layout and CRC of the model file
 * (serialize.c):
 *
 *   0  4 bytes  magic "OCCP"
 *   4  u16      format major version (1)
 *   6  u16      format minor version (0)
 *   8  u32      kind (1 linear pass, 2 GLM pass; enum occam_partial_kind)
 *  12  u32      flags (0)
 *  16  u64      payload length L in bytes
 *  24  L bytes  fields: u32 tag, u32 type (1 f64, 2 i64, 3 UTF-8 bytes),
 *               u64 count, then count elements (8 bytes each, or 1 for text)
 *  24+L u32     CRC-32 (zlib's crc32) of bytes 0 .. 24+L-1
 *
 * Common fields: tag 1 p (columns of X), 2 inputs (OCCAM_STREAM_* flags),
 * 3 rows; the kind's fields follow (linear 100-199, GLM 200-299).  All
 * integers little-endian, doubles IEEE-754 binary64 little-endian: the
 * bytes are the same on every machine, so partials travel between
 * processes and hosts.  The reader checks the header, the CRC, every field
 * count and every value's range before trusting it.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "serialize.h"
#include "stream_internal.h"

static const unsigned char MAGIC[4] = {'O', 'C', 'C', 'P'};
enum { HEADER_SIZE = 24, TRAILER_SIZE = 4, FORMAT_MAJOR = 1, FORMAT_MINOR = 0 };
enum { TAG_P = 1, TAG_INPUTS = 2, TAG_ROWS = 3 };

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}
static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

/* n bytes at the writer's end, or NULL when it only counts. */
static unsigned char *reserve(occam_writer *w, size_t n)
{
    unsigned char *p = NULL;
    if (w->buf != NULL && w->len + n <= w->cap) p = w->buf + w->len;
    w->len += n;
    return p;
}

static int write_partial(const occam_partial *pt, occam_writer *w)
{
    unsigned char *h = reserve(w, HEADER_SIZE);
    size_t start = w->len;
    occam__w_i64_1(w, TAG_P, pt->p);
    occam__w_i64_1(w, TAG_INPUTS, pt->inputs);
    occam__w_i64_1(w, TAG_ROWS, pt->nrows);
    int rc = pt->ops->write(pt, w);
    if (rc != OCCAM_OK) return rc;
    uint64_t payload = w->len - start;
    if (h) {
        memcpy(h, MAGIC, 4);
        h[4] = FORMAT_MAJOR & 0xff;
        h[5] = FORMAT_MAJOR >> 8;
        h[6] = FORMAT_MINOR & 0xff;
        h[7] = FORMAT_MINOR >> 8;
        put_u32(h + 8, (uint32_t)pt->ops->kind);
        put_u32(h + 12, 0);
        put_u64(h + 16, payload);
    }
    unsigned char *t = reserve(w, TRAILER_SIZE);
    if (t && h) put_u32(t, (uint32_t)crc32(0L, w->buf, (uInt)(w->len - TRAILER_SIZE)));
    return OCCAM_OK;
}

int occam_partial_serialize(const occam_partial *pt, void *buf, size_t cap, size_t *needed)
{
    if (pt == NULL || needed == NULL)
        return occam__fail(OCCAM_E_NULL, "occam_partial_serialize: %s is NULL", pt ? "needed" : "partial");
    if (pt->status != OCCAM_OK)
        return occam__fail(pt->status, "occam_partial_serialize: the partial result failed earlier (%s)",
                           occam_status_name(pt->status));
    occam_writer counter = {NULL, 0, 0};
    int rc = write_partial(pt, &counter);
    if (rc != OCCAM_OK) return rc;
    *needed = counter.len;
    if (buf == NULL || cap < counter.len)
        return occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "occam_partial_serialize: %zu bytes needed, buffer has %zu",
                           counter.len, buf ? cap : (size_t)0);
    if (counter.len > (size_t)UINT32_MAX)
        return occam__fail(OCCAM_E_TOO_LARGE, "occam_partial_serialize: %zu bytes are too many", counter.len);
    occam_writer w = {buf, cap, 0};
    return write_partial(pt, &w);
}

static int check_header(const unsigned char *b, size_t len, uint64_t *payload)
{
    if (len == 0) return occam__fail(OCCAM_E_FORMAT, "partial result is empty (0 bytes)");
    if (len < 4 || memcmp(b, MAGIC, 4) != 0)
        return occam__fail(OCCAM_E_FORMAT, "not an occam partial result: bad magic bytes");
    if (len < HEADER_SIZE + TRAILER_SIZE)
        return occam__fail(OCCAM_E_FORMAT, "partial result truncated: %zu bytes, the header alone needs %d", len,
                           HEADER_SIZE + TRAILER_SIZE);
    unsigned major = (unsigned)b[4] | ((unsigned)b[5] << 8);
    if (major != FORMAT_MAJOR)
        return occam__fail(OCCAM_E_VERSION, "partial result format version %u is not supported (this library "
                           "reads %d)", major, FORMAT_MAJOR);
    if (len > (size_t)UINT32_MAX) return occam__fail(OCCAM_E_FORMAT, "partial result too large");
    *payload = get_u64(b + 16);
    if (*payload != len - HEADER_SIZE - TRAILER_SIZE)
        return occam__fail(OCCAM_E_FORMAT, "partial result %s: the header announces %llu payload bytes, %zu present",
                           *payload > len - HEADER_SIZE - TRAILER_SIZE ? "truncated" : "has trailing bytes",
                           (unsigned long long)*payload, len - HEADER_SIZE - TRAILER_SIZE);
    uint32_t want = get_u32(b + len - TRAILER_SIZE);
    uint32_t got = (uint32_t)crc32(0L, b, (uInt)(len - TRAILER_SIZE));
    if (want != got)
        return occam__fail(OCCAM_E_CHECKSUM, "partial result corrupted: CRC-32 %08x, stored %08x", (unsigned)got,
                           (unsigned)want);
    if (get_u32(b + 12) != 0) return occam__fail(OCCAM_E_FORMAT, "partial result has unknown header flags");
    return OCCAM_OK;
}

static int read_common(occam_partial *pt, const occam_reader *r)
{
    int64_t p, inputs, rows;
    int rc = occam__r_i64_in(r, TAG_P, 0, INT32_MAX - 2, &p);
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_INPUTS, 0, OCCAM_STREAM_WEIGHTS | OCCAM_STREAM_OFFSET, &inputs);
    if (rc == OCCAM_OK) rc = occam__r_i64_in(r, TAG_ROWS, 0, INT64_MAX, &rows);
    if (rc != OCCAM_OK) return rc;
    pt->p = p;
    pt->inputs = (int)inputs;
    pt->nrows = rows;
    return OCCAM_OK;
}

int occam_partial_deserialize(const void *buf, size_t len, occam_partial **out)
{
    if (out == NULL) return occam__fail(OCCAM_E_NULL, "occam_partial_deserialize: out is NULL");
    *out = NULL;
    if (buf == NULL && len > 0) return occam__fail(OCCAM_E_NULL, "occam_partial_deserialize: buf is NULL");
    const unsigned char *b = buf;
    uint64_t payload = 0;
    int rc = check_header(b, len, &payload);
    if (rc != OCCAM_OK) return rc;
    uint32_t kind = get_u32(b + 8);
    const occam_partial_ops *ops = occam__partial_ops_for_kind((int)kind);
    if (ops == NULL) return occam__fail(OCCAM_E_FORMAT, "unknown partial result kind %u", (unsigned)kind);
    occam_reader r = {NULL, 0};
    occam_field *fields = NULL;
    rc = occam__parse_fields(b + HEADER_SIZE, payload, &fields, &r.nfields);
    if (rc != OCCAM_OK) return rc;
    r.fields = fields;
    occam_partial *pt = calloc(1, sizeof *pt);
    if (pt == NULL) rc = occam__fail(OCCAM_E_NOMEM, "out of memory reading a partial result");
    if (rc == OCCAM_OK) {
        pt->ops = ops;
        rc = read_common(pt, &r);
    }
    if (rc == OCCAM_OK) rc = ops->read(pt, &r);
    free(fields);
    if (rc != OCCAM_OK) {
        occam_partial_free(pt);
        return rc;
    }
    *out = pt;
    return OCCAM_OK;
}
