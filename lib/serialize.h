/*
 * serialize.h -- private helpers for the model file format v1
 * (docs/format.md).  A kind's write() emits tagged fields with the occam__w_*
 * functions; its read() looks them up with the occam__r_* functions, which
 * check type and count before copying anything.
 *
 * Tag ranges: 1-99 common fields (serialize.c), 100-199 linear, 200-299 GLM,
 * 300-399 Pareto/NBD, 400-499 Gamma-Gamma.  Readers ignore tags they do
 * not know.
 */
#ifndef OCCAM_SERIALIZE_H
#define OCCAM_SERIALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

enum occam_field_type { OCCAM_FT_F64 = 1, OCCAM_FT_I64 = 2, OCCAM_FT_STR = 3 };

/* Writer: with buf == NULL (or once full) it only counts bytes. */
struct occam_writer {
    unsigned char *buf;
    size_t cap;
    size_t len;
};

void occam__w_f64(occam_writer *w, uint32_t tag, const double *v, uint64_t n);
void occam__w_i64(occam_writer *w, uint32_t tag, const int64_t *v, uint64_t n);
/* n doubles computed on the way out: element i is value(ctx, i) (not called
 * while the writer only counts). */
void occam__w_f64_fn(occam_writer *w, uint32_t tag, uint64_t n, double (*value)(const void *ctx, uint64_t i),
                     const void *ctx);
void occam__w_f64_1(occam_writer *w, uint32_t tag, double v);
void occam__w_i64_1(occam_writer *w, uint32_t tag, int64_t v);
void occam__w_str(occam_writer *w, uint32_t tag, const char *s); /* UTF-8 bytes, no NUL */
void occam__w_bytes(occam_writer *w, uint32_t tag, const void *bytes, uint64_t n); /* any n bytes, as a text field */

typedef struct occam_field {
    uint32_t tag, type;
    uint64_t count;            /* elements (bytes for strings) */
    const unsigned char *data; /* inside the caller's buffer, bounds checked */
} occam_field;

struct occam_reader {
    const occam_field *fields;
    size_t nfields;
};

/* 1 if a field with this tag exists. */
int occam__r_has(const occam_reader *r, uint32_t tag);
/* Element count of an f64/i64/str field (OCCAM_E_FORMAT if missing or wrong type). */
int occam__r_count(const occam_reader *r, uint32_t tag, uint32_t type, uint64_t *count);
/* Copy exactly n elements (OCCAM_E_FORMAT if missing, wrong type or count). */
int occam__r_f64(const occam_reader *r, uint32_t tag, double *out, uint64_t n);
int occam__r_i64(const occam_reader *r, uint32_t tag, int64_t *out, uint64_t n);
int occam__r_f64_1(const occam_reader *r, uint32_t tag, double *out);
int occam__r_i64_1(const occam_reader *r, uint32_t tag, int64_t *out);
/* One i64 that must lie in [lo, hi] (OCCAM_E_FORMAT naming the field otherwise). */
int occam__r_i64_in(const occam_reader *r, uint32_t tag, int64_t lo, int64_t hi, int64_t *v);
/* Split a payload of len bytes into fields (*out: a new array of *nout
 * fields pointing into p, free it with free()), checking every length:
 * OCCAM_E_FORMAT (truncated header, unknown type, a count beyond the data),
 * OCCAM_E_NOMEM.  Also the reader of the partial-result format (partial_io.c). */
int occam__parse_fields(const unsigned char *p, uint64_t len, occam_field **out, size_t *nout);

/* Newly allocated NUL-terminated copy (free with free()); rejects embedded NULs. */
int occam__r_str(const occam_reader *r, uint32_t tag, char **out);

/* The raw bytes of a text field (any bytes, NULs included), pointing into
 * the caller's buffer (OCCAM_E_FORMAT if missing or of another type). */
int occam__r_bytes(const occam_reader *r, uint32_t tag, const unsigned char **data, uint64_t *n);

/* The model file's container (28-byte header, tagged fields, CRC-32
 * trailer; docs/format.md) for other serialized data, each with its own
 * 8-byte magic: event states (events_io.c).  `what` names the data in
 * messages ("not an occam <what>: bad magic bytes"). */
typedef struct occam_container {
    unsigned char magic[8];
    unsigned major, minor; /* written; a reader accepts this major version only */
    const char *what;
} occam_container;

typedef void (*occam_body_fn)(const void *obj, occam_writer *w);

/* Write header, body(obj, w)'s fields and CRC with `kind` in header bytes
 * 12-15; the size query and statuses of occam_model_serialize (fn names the
 * public function in messages). */
int occam__container_serialize(const occam_container *c, uint32_t kind, occam_body_fn body, const void *obj,
                               void *buf, size_t cap, size_t *needed, const char *fn);
/* Check magic, major version, payload length and CRC (the statuses of
 * occam_model_deserialize), set *kind and split the fields into r (free
 * with occam__reader_free, also after a failure). */
int occam__container_open(const occam_container *c, const void *buf, size_t len, uint32_t *kind, occam_reader *r);
void occam__reader_free(occam_reader *r);

/* context.c: a Pareto/NBD or Gamma-Gamma model's context (m->ctx) as the
 * fields tag0 (i64: unit), tag0 + 1 (f64[2]: days per unit, calibration
 * end) and tag0 + 2 (text: the calibration end as given, only when set).
 * Read: no field tag0 (a format 1.0/1.1 file) leaves the context unknown;
 * a bad value is OCCAM_E_FORMAT naming the field; OCCAM_E_NOMEM. */
void occam__context_write(const occam_model *m, occam_writer *w, uint32_t tag0);
int occam__context_read(occam_model *m, const occam_reader *r, uint32_t tag0);

/* lsq_io.c: an accumulator's state as the fields tag_shape (i64[2]: form,
 * rows m) and tag_data (f64: m rows of k + 1 values, or the (k+1) x (k+1)
 * upper triangle packed by columns) of a partial result.  Write: pending
 * rows are absorbed in a copy (acc is unchanged); OCCAM_E_NOMEM.  Read: an
 * accumulator of k columns for solver into *out; a shape or size that k
 * does not allow is OCCAM_E_FORMAT, its message prefixed by `what`
 * ("GLM partial result"); the reader's statuses, OCCAM_E_NOMEM. */
int occam__lsq_write(const occam_lsq *acc, occam_writer *w, uint32_t tag_shape, uint32_t tag_data);
int occam__lsq_read(const occam_reader *r, uint32_t tag_shape, uint32_t tag_data, int64_t k, int solver,
                    const char *what, occam_lsq **out);

#endif /* OCCAM_SERIALIZE_H */
