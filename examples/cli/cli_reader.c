/*
 * cli_reader.c -- the CLI's one CSV reader: a file, or standard input ("-")
 * and pipes, read through a fixed-size buffer and handed to the caller in
 * chunks of rows (cli.h, "CSV reader").
 *
 * Syntax and messages are those of libcsv in strict mode, which the tool
 * used before (docs/cli.md, "Input"): RFC 4180 quoting ("" inside a quoted
 * cell), LF, CRLF or lone CR line ends, blank lines skipped, spaces and
 * tabs around unquoted cells (and around the quotes of quoted ones)
 * dropped, a quote anywhere else an error.  Every message names the file,
 * the 1-based physical line (a CRLF pair is one line), the column and its
 * name, and the cell text.
 *
 * How a chunk is read:
 *  1. fill: read() appends to the buffer (BUF_SIZE bytes, grown only for a
 *     record longer than that);
 *  2. scan: find the complete records among the bytes read -- memchr over
 *     line feeds when the bytes hold no quote and no carriage return, a
 *     byte loop tracking quotes otherwise -- at most the rows still wanted,
 *     with their lines, and cut them into one part per thread at record
 *     starts (each part knows its first line and first row);
 *  3. parse: each part on its own thread writes its rows' numbers into the
 *     chunk's column-major block at their row index (so rows keep their
 *     order) and its text cells into its own arena.  A numeric cell is read
 *     by fast_float (cli_number.cc) straight from the buffer when it is a
 *     plain decimal followed by a delimiter; any other cell (quoted, padded,
 *     "NA", hex, ...) takes the careful path, which unquotes it and applies
 *     the strtod rule of docs/cli.md with its messages.  A part stops at its
 *     first error; the first failing part in file order prints it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cli.h"

enum { BUF_SIZE = 1 << 23,        /* 8 MiB of text at a time */
       THREAD_MIN_BYTES = 1 << 18, /* smaller regions are parsed on one thread */
       MSG_CAP = 512 };
#define NO_TEXT UINT64_MAX /* a converted cell whose text was not kept */
#define NONE SIZE_MAX      /* no quote or CR found */


/* What a column is read as. */
enum { COL_SKIP = 0, COL_NUMBER = 1, COL_TEXT = 2, COL_BOTH = 3, COL_CONVERT = 4 };

/* Growing byte arena (text cells of one thread, one chunk). */
typedef struct arena {
    char *p;
    size_t len, cap;
} arena;

/* One part of a region, parsed by one thread. */
typedef struct part {
    struct cli_reader *r;
    const char *p, *end; /* bytes [p, end): whole records */
    int at_eof;          /* end is the end of the input */
    int64_t line;        /* line of the first byte */
    int64_t row;         /* chunk row of the first record */
    int64_t nrec;        /* records in the part */
    int tid;             /* arena index */
    int rc;              /* 0, or CLI_EXIT_FAILURE with msg */
    char msg[MSG_CAP];
    arena scratch;       /* one unquoted cell (careful path) */
} part;

struct cli_reader {
    char *path;        /* as given ("-" for standard input) */
    const char *shown; /* the name in messages */
    int fd, own_fd, seekable;
    /* buffer: bytes [beg, end) not yet parsed; file offset of buf[0] */
    char *buf;
    size_t cap, beg, end;
    size_t checked, special; /* [.., checked) searched for '"' and CR: the first at special (NONE: none) */
    int eof;
    off_t buf_off, data_off; /* data_off: first byte after the header */
    int64_t line;            /* line of buf[beg] */
    int64_t data_line;       /* line of the first byte after the header */
    off_t range_end;         /* cli_reader_range(): end of the bytes read (-1: the whole input) */
    int in_range;            /* reading a range: an empty one is not an error */
    /* header */
    int64_t ncols;
    char **names;
    cli_name_index index;
    /* selection */
    unsigned char *kind; /* ncols: COL_* */
    int64_t *slot_of;    /* ncols: first block slot of a number column, or -1 */
    int64_t *text_of;    /* ncols: text slot, or -1 */
    int64_t nslots, *slot_col; /* slot -> column (-1: zeros) */
    int64_t ntext, *text_col;
    cli_cell_fn *conv;   /* ncols: the converter of a COL_CONVERT column */
    unsigned char *codes; /* nslots * ld: the converters' codes */
    /* chunk */
    int64_t chunk_rows, ld; /* rows asked for, capacity of the block */
    double *block;          /* nslots * ld, column-major */
    uint64_t *toff;         /* ntext * ld: arena offset << 8 | thread */
    const char **tptr;      /* ntext * ld: the cells, after a chunk is complete */
    int64_t nrows, row0, total;
    int threads;
    arena *arenas; /* one per thread */
    part *parts;
};

/* ------------------------------------------------------------ small helpers */

static int arena_reserve(arena *a, size_t more)
{
    if (a->cap - a->len >= more)
        return 0;
    size_t cap = a->cap ? a->cap : 1 << 12;
    while (cap - a->len < more)
        cap *= 2;
    char *p = realloc(a->p, cap);
    if (!p)
        return -1;
    a->p = p;
    a->cap = cap;
    return 0;
}

static void part_fail(part *pt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void part_fail(part *pt, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pt->msg, sizeof pt->msg, fmt, ap);
    va_end(ap);
    pt->rc = CLI_EXIT_FAILURE;
}

/* Copy at most 40 printable characters of a cell for a message. */
static void cell_excerpt(const char *s, size_t len, char *buf, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < len && k + 4 < cap && i < 40; i++)
        buf[k++] = (s[i] >= 32 && s[i] < 127) ? s[i] : '?';
    if (len > 40 && k + 4 < cap) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
}

/* ------------------------------------------------------------ name index */

/* FNV-1a, 64 bits. */
static uint64_t name_hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Slot of `name` in the index (its column + 1 there), or of the empty slot
 * where it would go (0 there). */
static size_t index_slot(const cli_name_index *x, char *const *names, const char *name)
{
    size_t mask = x->nslots - 1, i = (size_t)name_hash(name) & mask;
    while (x->slots[i] != 0 && strcmp(names[x->slots[i] - 1], name) != 0)
        i = (i + 1) & mask;
    return i;
}

/* Add column j (names[j]) to the index, doubling it past half full.
 * Returns 0, or -1 when out of memory. */
static int index_add(cli_name_index *x, char *const *names, int64_t j)
{
    if ((size_t)(j + 1) * 2 > x->nslots) {
        size_t n = x->nslots ? x->nslots * 2 : 64;
        int64_t *slots = calloc(n, sizeof *slots);
        if (!slots)
            return -1;
        cli_name_index bigger = {slots, n};
        for (size_t i = 0; i < x->nslots; i++)
            if (x->slots[i])
                slots[index_slot(&bigger, names, names[x->slots[i] - 1])] = x->slots[i];
        free(x->slots);
        *x = bigger;
    }
    x->slots[index_slot(x, names, names[j])] = j + 1;
    return 0;
}

static int64_t index_find(const cli_name_index *x, char *const *names, const char *name)
{
    if (x->nslots == 0)
        return -1;
    return x->slots[index_slot(x, names, name)] - 1;
}

/* ------------------------------------------------------------ input */

/* Read until the buffer is full or the input ends; compacts first. */
static int fill(cli_reader *r)
{
    if (r->beg > 0) {
        memmove(r->buf, r->buf + r->beg, r->end - r->beg);
        r->checked = r->checked > r->beg ? r->checked - r->beg : 0;
        r->special = r->special != NONE && r->special >= r->beg ? r->special - r->beg : NONE;
        r->buf_off += (off_t)r->beg;
        r->end -= r->beg;
        r->beg = 0;
    }
    while (r->end < r->cap && !r->eof) {
        size_t want = r->cap - r->end;
        if (r->range_end >= 0) { /* a range ends like the input */
            off_t left = r->range_end - (r->buf_off + (off_t)r->end);
            if (left <= 0) {
                r->eof = 1;
                break;
            }
            if ((off_t)want > left)
                want = (size_t)left;
        }
        ssize_t got = read(r->fd, r->buf + r->end, want);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return cli_fail(CLI_EXIT_FAILURE, "cannot read '%s': %s", r->path, strerror(errno));
        if (got == 0)
            r->eof = 1;
        r->end += (size_t)got;
    }
    r->buf[r->end] = '\0'; /* a sentinel (never read as data: bounds are explicit) */
    return 0;
}

/* Double the buffer (a record does not fit). */
static int grow_buffer(cli_reader *r)
{
    size_t cap = r->cap * 2;
    char *b = realloc(r->buf, cap + 1);
    if (!b)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", r->shown);
    r->buf = b;
    r->cap = cap;
    return 0;
}

/* ------------------------------------------------------------ scanning */

/* Complete records at the start of [p, p + len): stops after max records or
 * before the first incomplete one (unless at_eof).  Sets *nrec, *nlines
 * (lines of the bytes taken, counting the last line break) and returns the
 * bytes taken.  splits (nsplit >= 1 entries, may be 1): each part gets about
 * len / nsplit bytes; split k > 0 records its byte offset, line offset and
 * record count at the first record start after k * len / nsplit. */
typedef struct split {
    size_t off;
    int64_t lines, recs;
} split;

static int is_blank(unsigned char c) { return c == ' ' || c == '\t'; }

/* Index of the lowest set bit of m != 0. */
static int low_bit(uint64_t m)
{
#if defined(__GNUC__)
    return __builtin_ctzll(m);
#else
    int i = 0;
    while (!(m & 1)) {
        m >>= 1;
        i++;
    }
    return i;
#endif
}

/* The line feeds of p[at .. at + 64), bit i for byte at + i (none past
 * len: the tail byte by byte). */
static uint64_t lf_mask(const char *p, size_t at, size_t len)
{
    uint64_t m = 0;
#if defined(__SSE2__)
    if (len - at >= 64) {
        const __m128i lf = _mm_set1_epi8('\n');
        for (int k = 0; k < 4; k++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + at + 16 * k));
            m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf)) << (16 * k);
        }
        return m;
    }
#endif
    for (size_t i = 0; i < 64 && at + i < len; i++)
        m |= (uint64_t)(p[at + i] == '\n') << i;
    return m;
}

/* Fast scan: no quote and no carriage return in the bytes.  The line feeds
 * come from a 64-byte mask (lf_mask) rather than a memchr per line. */
static size_t scan_plain(const char *p, size_t len, int at_eof, int64_t max, int64_t *nrec, int64_t *nlines,
                         split *sp, int nsplit)
{
    size_t pos = 0, blk = 0;
    uint64_t mask = len > 0 ? lf_mask(p, 0, len) : 0; /* line feeds of [blk, blk + 64) not yet passed */
    int64_t recs = 0, lines = 0;
    int k = 1;
    size_t step = len / (size_t)nsplit + 1;
    while (pos < len && recs < max) {
        if (k < nsplit && pos >= step * (size_t)k) {
            sp[k++] = (split){pos, lines, recs};
            continue;
        }
        const char *nl = NULL; /* the first line feed at or after pos */
        for (;;) {
            while (mask && blk + (size_t)low_bit(mask) < pos)
                mask &= mask - 1;
            if (mask) {
                nl = p + blk + (size_t)low_bit(mask);
                break;
            }
            blk = blk + 64 > pos ? blk + 64 : pos;
            if (blk >= len)
                break;
            mask = lf_mask(p, blk, len);
        }
        size_t stop = nl ? (size_t)(nl - p) : len;
        if (!nl && !at_eof)
            break;
        size_t q = pos;
        while (q < stop && is_blank((unsigned char)p[q]))
            q++;
        recs += q < stop; /* a blank line is not a record */
        lines += nl != NULL;
        pos = nl ? stop + 1 : len;
    }
    for (; k < nsplit; k++)
        sp[k] = (split){pos, lines, recs};
    *nrec = recs;
    *nlines = lines;
    return pos;
}

/* Careful scan: quotes (a line break inside one is inside the record) and
 * CR line ends.  Stops before a record that is not complete. */
static size_t scan_quoted(const char *p, size_t len, int at_eof, int64_t max, int64_t *nrec, int64_t *nlines,
                          split *sp, int nsplit)
{
    size_t pos = 0, taken = 0;
    int64_t recs = 0, lines = 0, lines_taken = 0;
    int inq = 0, started = 0, k = 1;
    size_t step = len / (size_t)nsplit + 1;
    while (pos < len && recs < max) {
        if (!started && k < nsplit && pos >= step * (size_t)k && pos == taken) {
            sp[k++] = (split){pos, lines, recs};
            continue;
        }
        char c = p[pos];
        if (c == '"') {
            inq = !inq;
            started = 1;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r') {
                if (pos + 1 == len && !at_eof)
                    break; /* a CR at the end: a LF may follow */
                if (pos + 1 < len && p[pos + 1] == '\n')
                    pos++;
            }
            lines++;
            if (!inq) {
                recs += started;
                started = 0;
                taken = pos + 1;
                lines_taken = lines;
            }
        } else if (!is_blank((unsigned char)c)) {
            started = 1;
        }
        pos++;
    }
    if (pos == len && at_eof && recs < max && (started || inq)) { /* the last record, no line break */
        recs++;
        taken = len;
        lines_taken = lines;
    }
    for (; k < nsplit; k++)
        sp[k] = (split){taken, lines_taken, recs};
    for (int q = 1; q < nsplit; q++) /* a split past the records taken is empty */
        if (sp[q].off > taken)
            sp[q] = (split){taken, lines_taken, recs};
    *nrec = recs;
    *nlines = lines_taken;
    return taken;
}

/* ------------------------------------------------------------ parsing */

static int is_end(const part *pt, const char *q) { return q == pt->end; }

/* Bytes that end an unquoted cell or need the careful path. */
static const unsigned char special[256] = {[','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1, ['\0'] = 1};

/* The first special byte in [s, end), or end: 16 bytes at a time (SSE2,
 * never reading past end), the rest byte by byte. */
static const char *cell_end(const char *s, const char *end)
{
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                  quote = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
    while (end - s >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                                 _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, quote)),
                                              _mm_cmpeq_epi8(v, zero)));
        int bits = _mm_movemask_epi8(m);
        if (bits)
            return s + low_bit((unsigned)bits);
        s += 16;
    }
#endif
    while (s < end && !special[(unsigned char)*s])
        s++;
    return s;
}

/* One cell by libcsv's strict rules, unquoted into pt->scratch (NUL
 * terminated).  *q: the delimiter, line break or end after it.  Counts the
 * line breaks inside quotes.  Sets *nul when the cell holds a NUL byte.
 * Returns 0, or -1 for malformed CSV (message set). */
static int careful_cell(part *pt, const char **q, int64_t *line, size_t *len, int *nul)
{
    const char *s = *q, *end = pt->end;
    arena *a = &pt->scratch;
    a->len = 0;
    *nul = 0;
    while (s < end && is_blank((unsigned char)*s))
        s++;
    if (s < end && *s == '"') {
        s++;
        for (;;) {
            if (s == end) { /* never closed: csv_fini's error, on the last line */
                int after_break = s > pt->p && (s[-1] == '\n' || s[-1] == '\r');
                part_fail(pt, "%s: line %lld: malformed CSV (a quote character out of place, or a quoted cell "
                              "never closed)",
                          pt->r->shown, (long long)(*line - after_break));
                return -1;
            }
            char c = *s;
            if (c == '"') {
                if (s + 1 < end && s[1] == '"') {
                    s += 2;
                } else { /* closing quote: then blanks, then a delimiter */
                    s++;
                    while (s < end && is_blank((unsigned char)*s))
                        s++;
                    if (s < end && *s != ',' && *s != '\n' && *s != '\r') {
                        part_fail(pt, "%s: line %lld: malformed CSV (a quote character out of place, or a quoted "
                                      "cell never closed)",
                                  pt->r->shown, (long long)*line);
                        return -1;
                    }
                    break;
                }
            } else {
                if (c == '\n' || (c == '\r' && !(s + 1 < end && s[1] == '\n')))
                    (*line)++;
                s++;
            }
            if (arena_reserve(a, 2) != 0) {
                part_fail(pt, "out of memory reading %s", pt->r->shown);
                return -1;
            }
            a->p[a->len++] = c;
            *nul |= c == '\0';
        }
    } else {
        const char *t = s;
        while (t < end && *t != ',' && *t != '\n' && *t != '\r') {
            if (*t == '"') {
                part_fail(pt, "%s: line %lld: malformed CSV (a quote character out of place, or a quoted cell "
                              "never closed)",
                          pt->r->shown, (long long)*line);
                return -1;
            }
            t++;
        }
        const char *e = t;
        while (e > s && is_blank((unsigned char)e[-1]))
            e--;
        size_t n = (size_t)(e - s);
        if (arena_reserve(a, n + 1) != 0) {
            part_fail(pt, "out of memory reading %s", pt->r->shown);
            return -1;
        }
        memcpy(a->p, s, n);
        a->len = n;
        *nul = memchr(s, '\0', n) != NULL;
        s = t;
    }
    a->p[a->len] = '\0';
    *len = a->len;
    *q = s;
    return 0;
}

/* The strtod rule of docs/cli.md for one cell's text: 0 and *v, or 1 and
 * the message (without the place) in why. */
static int text_number(const char *s, size_t len, double *v, char *why, size_t cap)
{
    char excerpt[64];
    cell_excerpt(s, len, excerpt, sizeof excerpt);
    if (len == 0) {
        snprintf(why, cap, "empty cell");
        return 1;
    }
    if (strcmp(s, "NA") == 0) {
        snprintf(why, cap, "missing value 'NA' (occam needs complete numeric data)");
        return 1;
    }
    char *end = NULL;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || (size_t)(end - s) != len) {
        snprintf(why, cap, "not a number: '%s'", excerpt);
        return 1;
    }
    if (!isfinite(x)) {
        snprintf(why, cap, "not a finite number: '%s'", excerpt);
        return 1;
    }
    *v = x;
    return 0;
}

/* Store a text cell of chunk row `row`. */
static int put_text(part *pt, int64_t slot, int64_t row, const char *s, size_t len)
{
    cli_reader *r = pt->r;
    arena *a = &r->arenas[pt->tid];
    if (arena_reserve(a, len + 1) != 0) {
        part_fail(pt, "out of memory reading %s", r->shown);
        return -1;
    }
    memcpy(a->p + a->len, s, len);
    a->p[a->len + len] = '\0';
    r->toff[slot * r->ld + row] = (uint64_t)a->len << 8 | (uint64_t)pt->tid;
    a->len += len + 1;
    return 0;
}

/* A converted cell: the converter's 8 bytes into the block, its code; the
 * text too when the code asks for it (CLI_CELL_KEEP_TEXT). */
static int convert_cell(part *pt, int64_t field, int64_t row, const char *s, size_t len)
{
    cli_reader *r = pt->r;
    const char *cell = s;
    char *at = NULL, saved = 0;
    if (cell != pt->scratch.p) { /* a cell in the buffer: NUL-terminated in place for the call */
        at = r->buf + (s - r->buf) + len; /* its delimiter (this part's), or the sentinel at the end */
        saved = *at;
        *at = '\0';
    }
    int64_t slot = r->slot_of[field];
    int code = r->conv[field](cell, len, &r->block[slot * r->ld + row]);
    if (at)
        *at = saved;
    r->codes[slot * r->ld + row] = (unsigned char)(code & 0xFF);
    if (!(code & CLI_CELL_KEEP_TEXT))
        r->toff[r->text_of[field] * r->ld + row] = NO_TEXT;
    else if (put_text(pt, r->text_of[field], row, cell, len) != 0)
        return -1;
    return 0;
}

/* Parse the part's records into the chunk. */
static void parse_part(part *pt)
{
    cli_reader *r = pt->r;
    const char *q = pt->p;
    int64_t line = pt->line, ncols = r->ncols, ld = r->ld;
    for (int64_t rec = 0; rec < pt->nrec; rec++) {
        /* blank lines and blanks before the first cell */
        for (;;) {
            while (q < pt->end && is_blank((unsigned char)*q))
                q++;
            if (q < pt->end && *q == '\n') {
                q++;
                line++;
            } else if (q < pt->end && *q == '\r') {
                q += q + 1 < pt->end && q[1] == '\n' ? 2 : 1;
                line++;
            } else {
                break;
            }
        }
        int64_t row = pt->row + rec, field = 0;
        int64_t bad_col = -1; /* the first bad number of the row, reported at its end */
        char bad_why[160];
        for (;;) {
            int kind = field < ncols ? r->kind[field] : COL_SKIP;
            const char *s = q;
            int done = 0;
            if (field >= ncols) {
                /* an extra cell: libcsv submits it at its end */
                size_t len;
                int nul;
                if (careful_cell(pt, &q, &line, &len, &nul) != 0)
                    return;
                part_fail(pt, "%s: line %lld: more than %lld cells (the header has %lld)", r->shown,
                          (long long)line, (long long)ncols, (long long)ncols);
                return;
            }
            if (kind == COL_NUMBER) { /* fast path: a plain decimal then a delimiter */
                double v;
                const char *e = cli_number_scan(s, pt->end, &v);
                if (e && (is_end(pt, e) || *e == ',' || *e == '\n' || *e == '\r')) {
                    r->block[r->slot_of[field] * ld + row] = v;
                    q = e;
                    done = 1;
                }
            } else if (kind == COL_SKIP || kind == COL_TEXT) { /* fast path: unquoted, no NUL */
                const char *e = cell_end(s, pt->end);
                if (is_end(pt, e) || (*e != '"' && *e != '\0')) {
                    if (kind == COL_SKIP) {
                        q = e;
                        done = 1;
                    } else if (e == s || (!is_blank((unsigned char)*s) && !is_blank((unsigned char)e[-1]))) {
                        if (put_text(pt, r->text_of[field], row, s, (size_t)(e - s)) != 0)
                            return;
                        q = e;
                        done = 1;
                    }
                }
            }
            if (!done && (kind & COL_CONVERT)) { /* fast path: unquoted and unpadded, converted here */
                const char *e = cell_end(s, pt->end);
                if ((is_end(pt, e) || (*e != '"' && *e != '\0')) &&
                    (e == s || (!is_blank((unsigned char)*s) && !is_blank((unsigned char)e[-1])))) {
                    if (convert_cell(pt, field, row, s, (size_t)(e - s)) != 0)
                        return;
                    q = e;
                    done = 1;
                }
            }
            if (!done) {
                size_t len;
                int nul;
                if (careful_cell(pt, &q, &line, &len, &nul) != 0)
                    return;
                if (nul) {
                    part_fail(pt, "%s: line %lld, column %lld: NUL byte in cell", r->shown, (long long)line,
                              (long long)field + 1);
                    return;
                }
                const char *cell = pt->scratch.p;
                if ((kind & COL_NUMBER) && bad_col < 0) {
                    double v;
                    if (text_number(cell, len, &v, bad_why, sizeof bad_why) != 0)
                        bad_col = field;
                    else
                        r->block[r->slot_of[field] * ld + row] = v;
                }
                if ((kind & COL_CONVERT) && convert_cell(pt, field, row, cell, len) != 0)
                    return;
                else if (!(kind & COL_CONVERT) && (kind & COL_TEXT) && put_text(pt, r->text_of[field], row, cell, len) != 0)
                    return;
            }
            field++;
            if (!is_end(pt, q) && *q == ',') {
                q++;
                continue;
            }
            break;
        }
        if (field != ncols) {
            part_fail(pt, "%s: line %lld: %lld cell%s, but the header has %lld columns", r->shown, (long long)line,
                      (long long)field, field == 1 ? "" : "s", (long long)ncols);
            return;
        }
        if (bad_col >= 0) {
            part_fail(pt, "%s: line %lld, column %lld (%s): %s", r->shown, (long long)line, (long long)bad_col + 1,
                      r->names[bad_col], bad_why);
            return;
        }
        if (!is_end(pt, q)) { /* the line break */
            q += *q == '\r' && q + 1 < pt->end && q[1] == '\n' ? 2 : 1;
            line++;
        }
    }
}

static void *parse_thread(void *arg)
{
    parse_part(arg);
    return NULL;
}

/* ------------------------------------------------------------ header */

static int push_name(cli_reader *r, const char *s, size_t len, int64_t line, int64_t field, int64_t *cap)
{
    if (len == 0)
        return cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld: empty column name", r->shown,
                        (long long)line, (long long)field + 1);
    if (field >= CLI_COLUMNS_MAX)
        return cli_fail(CLI_EXIT_FAILURE, "%s: line %lld: more than %lld columns (the limit, CLI_COLUMNS_MAX)",
                        r->shown, (long long)line, (long long)CLI_COLUMNS_MAX);
    if (occam_name_check(s, NULL) != OCCAM_OK) /* "name is not valid UTF-8: byte 0xFF at byte offset 2" */
        return cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld: column %s", r->shown, (long long)line,
                        (long long)field + 1, occam_last_error());
    int64_t j = index_find(&r->index, r->names, s);
    if (j >= 0)
        return cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld: duplicate column name '%s' (also column %lld)",
                        r->shown, (long long)line, (long long)field + 1, s, (long long)j + 1);
    if (field >= *cap) {
        int64_t nc = *cap ? 2 * *cap : 16;
        char **names = realloc(r->names, (size_t)nc * sizeof *names);
        if (!names)
            return cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", r->shown);
        r->names = names;
        *cap = nc;
    }
    if (!(r->names[field] = malloc(len + 1)))
        return cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", r->shown);
    memcpy(r->names[field], s, len + 1);
    r->ncols = field + 1;
    if (index_add(&r->index, r->names, field) != 0)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", r->shown);
    return 0;
}

/* A physical line of more than CLI_LINE_MAX bytes among [from, to) of the
 * buffer, whose first byte is on line `line`: its message, or 0. */
static int check_line_lengths(cli_reader *r, size_t from, size_t to, int64_t line)
{
    size_t run = 0;
    for (size_t i = from; i < to; i++) {
        char c = r->buf[i];
        if (c == '\n' || c == '\r') {
            run = 0;
            if (!(c == '\r' && i + 1 < r->end && r->buf[i + 1] == '\n'))
                line++;
        } else if (++run > (size_t)CLI_LINE_MAX) {
            return cli_fail(CLI_EXIT_FAILURE, "%s: line %lld: longer than %lld bytes (the limit, CLI_LINE_MAX)",
                            r->shown, (long long)line, (long long)CLI_LINE_MAX);
        }
    }
    return 0;
}

/* Make sure [beg, end) holds a complete record (or the input's rest):
 * reads and grows the buffer as needed.  *nrec, *nlines, *taken from the
 * scan of at most max records (split into nsplit parts). */
static int take_records(cli_reader *r, int64_t max, split *sp, int nsplit, int64_t *nrec, int64_t *nlines,
                        size_t *taken)
{
    for (;;) {
        const char *p = r->buf + r->beg;
        size_t len = r->end - r->beg;
        /* quotes or CRs in the bytes read? (each byte searched once) */
        if (r->special != NONE && r->special < r->beg)
            r->special = NONE, r->checked = r->beg;
        if (r->special == NONE && r->checked < r->end) {
            size_t from = r->checked > r->beg ? r->checked : r->beg;
            const char *q = memchr(r->buf + from, '"', r->end - from), *c = memchr(r->buf + from, '\r', r->end - from);
            if (q || c)
                r->special = (size_t)(((q && (!c || q < c)) ? q : c) - r->buf);
            r->checked = r->end;
        }
        int plain = r->special == NONE;
        sp[0] = (split){0, 0, 0};
        *taken = plain ? scan_plain(p, len, r->eof, max, nrec, nlines, sp, nsplit)
                       : scan_quoted(p, len, r->eof, max, nrec, nlines, sp, nsplit);
        if (r->cap > (size_t)CLI_LINE_MAX) { /* a buffer this big may hold a line beyond the limit */
            int rc = check_line_lengths(r, r->beg, r->beg + (*nrec ? *taken : len), r->line);
            if (rc)
                return rc;
        }
        if (*nrec > 0 || r->eof)
            return 0;
        /* no complete record yet: read more, growing the buffer when full */
        if (r->beg == 0 && r->end == r->cap) {
            size_t run = 0; /* the line being read so far */
            for (size_t i = r->end; i > 0 && r->buf[i - 1] != '\n' && r->buf[i - 1] != '\r'; i--)
                run++;
            if (run > (size_t)CLI_LINE_MAX) {
                int64_t line = r->line;
                for (size_t i = 0; i + run < r->end; i++)
                    if (r->buf[i] == '\n' || (r->buf[i] == '\r' && r->buf[i + 1] != '\n'))
                        line++;
                return cli_fail(CLI_EXIT_FAILURE, "%s: line %lld: longer than %lld bytes (the limit, CLI_LINE_MAX)",
                                r->shown, (long long)line, (long long)CLI_LINE_MAX);
            }
            int rc = grow_buffer(r);
            if (rc)
                return rc;
        }
        int rc = fill(r);
        if (rc)
            return rc;
    }
}

/* The header row: names checked and indexed. */
static int read_header(cli_reader *r)
{
    int rc = fill(r);
    if (rc)
        return rc;
    if (r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) /* UTF-8 byte order mark */
        r->beg = 3;
    split sp[1];
    int64_t nrec = 0, nlines = 0;
    size_t taken = 0;
    if ((rc = take_records(r, 1, sp, 1, &nrec, &nlines, &taken)) != 0)
        return rc;
    if (nrec == 0)
        return cli_fail(CLI_EXIT_FAILURE, "%s: empty file (a header row of column names is needed)", r->shown);
    part pt = {.r = r, .p = r->buf + r->beg, .end = r->buf + r->beg + taken, .at_eof = r->eof,
               .line = r->line};
    const char *q = pt.p;
    int64_t line = r->line, field = 0, cap = 0;
    /* blank lines before the header */
    for (;;) {
        while (q < pt.end && is_blank((unsigned char)*q))
            q++;
        if (q < pt.end && (*q == '\n' || *q == '\r')) {
            q += *q == '\r' && q + 1 < pt.end && q[1] == '\n' ? 2 : 1;
            line++;
        } else {
            break;
        }
    }
    for (rc = 0; !rc;) {
        size_t len;
        int nul;
        if (careful_cell(&pt, &q, &line, &len, &nul) != 0) {
            rc = cli_fail(CLI_EXIT_FAILURE, "%s", pt.msg);
            break;
        }
        if (nul) {
            rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld: NUL byte in cell", r->shown,
                          (long long)line, (long long)field + 1);
            break;
        }
        if ((rc = push_name(r, pt.scratch.p, len, line, field, &cap)) != 0)
            break;
        field++;
        if (q < pt.end && *q == ',') {
            q++;
            continue;
        }
        break;
    }
    free(pt.scratch.p);
    if (rc)
        return rc;
    if (q < pt.end) {
        q += *q == '\r' && q + 1 < pt.end && q[1] == '\n' ? 2 : 1;
        line++;
    }
    r->beg += (size_t)(q - (r->buf + r->beg));
    r->line = line;
    r->data_off = r->buf_off + (off_t)r->beg;
    r->data_line = line;
    return 0;
}

/* ------------------------------------------------------------ public */

int cli_reader_open(const char *path, const cli_read_opts *o, cli_reader **out)
{
    *out = NULL;
    cli_reader *r = calloc(1, sizeof *r);
    if (!r)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    r->fd = -1;
    r->path = cli_strdup(path);
    r->threads = o && o->threads > 1 ? o->threads : 1;
    r->chunk_rows = o && o->chunk_rows > 0 ? o->chunk_rows : 0;
    r->cap = BUF_SIZE;
    r->special = NONE;
    r->buf = malloc(r->cap + 1);
    r->arenas = calloc((size_t)r->threads, sizeof *r->arenas);
    r->parts = calloc((size_t)r->threads, sizeof *r->parts);
    r->line = 1;
    r->range_end = -1;
    if (!r->path || !r->buf || !r->arenas || !r->parts) {
        cli_reader_close(r);
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    }
    if (strcmp(path, "-") == 0) {
        r->fd = 0;
        r->shown = CLI_STDIN_NAME;
    } else {
        r->shown = r->path;
        r->fd = open(path, O_RDONLY | O_CLOEXEC);
        r->own_fd = 1;
        if (r->fd < 0) {
            int e = errno;
            cli_reader_close(r);
            return cli_fail(CLI_EXIT_FAILURE, "cannot open '%s': %s", path, strerror(e));
        }
    }
    struct stat st;
    r->seekable = fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode) && lseek(r->fd, 0, SEEK_CUR) >= 0;
    r->buf_off = r->seekable ? lseek(r->fd, 0, SEEK_CUR) : 0;
    int rc = read_header(r);
    if (!rc) {
        r->kind = calloc((size_t)r->ncols, 1);
        r->slot_of = malloc((size_t)r->ncols * sizeof *r->slot_of);
        r->text_of = malloc((size_t)r->ncols * sizeof *r->text_of);
        if (!r->kind || !r->slot_of || !r->text_of)
            rc = cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", r->shown);
        for (int64_t j = 0; !rc && j < r->ncols; j++)
            r->slot_of[j] = r->text_of[j] = -1;
    }
    if (rc) {
        cli_reader_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

void cli_reader_close(cli_reader *r)
{
    if (!r)
        return;
    if (r->own_fd && r->fd >= 0)
        close(r->fd);
    for (int64_t j = 0; r->names && j < r->ncols; j++)
        free(r->names[j]);
    free(r->names);
    free(r->index.slots);
    free(r->kind);
    free(r->slot_of);
    free(r->text_of);
    free(r->slot_col);
    free(r->text_col);
    free(r->block);
    free(r->toff);
    free(r->tptr);
    free(r->conv);
    free(r->codes);
    for (int t = 0; r->arenas && t < r->threads; t++)
        free(r->arenas[t].p);
    for (int t = 0; r->parts && t < r->threads; t++)
        free(r->parts[t].scratch.p);
    free(r->arenas);
    free(r->parts);
    free(r->buf);
    free(r->path);
    free(r);
}

const char *cli_reader_path(const cli_reader *r) { return r->shown; }
int64_t cli_reader_ncols(const cli_reader *r) { return r->ncols; }
const char *cli_reader_name(const cli_reader *r, int64_t j) { return r->names[j]; }
int cli_reader_seekable(const cli_reader *r) { return r->seekable; }
int64_t cli_reader_find(const cli_reader *r, const char *name) { return index_find(&r->index, r->names, name); }

int cli_reader_require(const cli_reader *r, const char *name, int64_t *col)
{
    int64_t j = cli_reader_find(r, name);
    if (j >= 0) {
        *col = j;
        return 0;
    }
    /* List the available columns (shortened if very many). */
    char list[512];
    size_t k = 0;
    list[0] = '\0';
    for (int64_t c = 0; c < r->ncols; c++) {
        int w = snprintf(list + k, sizeof list - k, "%s%s", c ? ", " : "", r->names[c]);
        if (w < 0 || (size_t)w >= sizeof list - k) {
            snprintf(list + (k < sizeof list - 6 ? k : sizeof list - 6), 6, ", ...");
            break;
        }
        k += (size_t)w;
    }
    return cli_fail(CLI_EXIT_FAILURE, "%s: no column named '%s' (columns: %s)", r->shown, name, list);
}

int cli_reader_numbers(cli_reader *r, const int64_t *cols, int64_t k)
{
    int64_t *sc = realloc(r->slot_col, (size_t)(r->nslots + k + 1) * sizeof *sc);
    if (!sc)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    r->slot_col = sc;
    for (int64_t q = 0; q < k; q++) {
        int64_t j = cols[q];
        sc[r->nslots++] = j;
        if (j >= 0 && r->slot_of[j] < 0) {
            r->slot_of[j] = r->nslots - 1;
            r->kind[j] |= COL_NUMBER;
        }
    }
    return 0;
}

int cli_reader_text(cli_reader *r, int64_t col)
{
    if (r->text_of[col] >= 0)
        return 0;
    int64_t *tc = realloc(r->text_col, (size_t)(r->ntext + 1) * sizeof *tc);
    if (!tc)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    r->text_col = tc;
    tc[r->ntext] = col;
    r->text_of[col] = r->ntext++;
    r->kind[col] |= COL_TEXT;
    return 0;
}

int cli_reader_convert(cli_reader *r, int64_t col, cli_cell_fn fn)
{
    if (!r->conv && !(r->conv = calloc((size_t)r->ncols, sizeof *r->conv)))
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    int rc = cli_reader_numbers(r, &col, 1);
    if (!rc)
        rc = cli_reader_text(r, col);
    if (rc)
        return rc;
    r->kind[col] = COL_CONVERT | COL_TEXT;
    r->conv[col] = fn;
    return 0;
}

const unsigned char *cli_reader_codes(const cli_reader *r, int64_t slot) { return r->codes + slot * r->ld; }

int64_t cli_reader_chunk_rows(const cli_reader *r)
{
    if (r->chunk_rows > 0)
        return r->chunk_rows;
    int64_t per = r->nslots > 0 ? CLI_CHUNK_CELLS / r->nslots : CLI_CHUNK_ROWS;
    return per < 1 ? 1 : per < CLI_CHUNK_ROWS ? per : CLI_CHUNK_ROWS;
}

/* Allocate the chunk's block at the first next(). */
static int chunk_alloc(cli_reader *r)
{
    r->ld = cli_reader_chunk_rows(r);
    size_t cells = (size_t)r->ld * (size_t)(r->nslots > 0 ? r->nslots : 1);
    r->block = calloc(cells, sizeof *r->block); /* zeros: slots of column -1 */
    r->toff = r->ntext ? malloc((size_t)r->ld * (size_t)r->ntext * sizeof *r->toff) : NULL;
    r->tptr = r->ntext ? malloc((size_t)r->ld * (size_t)r->ntext * sizeof *r->tptr) : NULL;
    r->codes = r->conv ? calloc(cells, 1) : NULL;
    if (!r->block || (r->ntext && (!r->toff || !r->tptr)) || (r->conv && !r->codes))
        return cli_fail(CLI_EXIT_FAILURE, "out of memory: a chunk of %lld rows (--chunk-rows)", (long long)r->ld);
    return 0;
}

/* Parse up to `want` rows from the buffer into the chunk from row r->nrows. */
static int parse_some(cli_reader *r, int64_t want)
{
    int nt = r->threads;
    split sp[256];
    int64_t nrec = 0, nlines = 0;
    size_t taken = 0;
    if (nt > 1 && !r->eof && r->end - r->beg < (size_t)THREAD_MIN_BYTES * (size_t)nt) {
        int rc = fill(r); /* a full buffer to split between the threads */
        if (rc)
            return rc;
    }
    size_t avail = r->end - r->beg;
    int nsplit = nt > 1 && avail >= (size_t)THREAD_MIN_BYTES * (size_t)nt ? nt : 1;
    int rc = take_records(r, want, sp, nsplit, &nrec, &nlines, &taken);
    if (rc || nrec == 0)
        return rc;
    if (r->total + r->nrows + nrec > CLI_ROWS_MAX)
        return cli_fail(CLI_EXIT_FAILURE, "%s: line %lld: more than %lld data rows (the limit, CLI_ROWS_MAX)",
                        r->shown, (long long)r->line, (long long)CLI_ROWS_MAX);
    sp[nsplit] = (split){taken, nlines, nrec};
    const char *base = r->buf + r->beg;
    pthread_t th[256];
    int started[256] = {0};
    for (int k = 0; k < nsplit; k++) {
        part *pt = &r->parts[k];
        arena keep = pt->scratch;
        *pt = (part){.r = r, .p = base + sp[k].off, .end = base + sp[k + 1].off,
                     .at_eof = r->eof && k == nsplit - 1, .line = r->line + sp[k].lines,
                     .row = r->nrows + sp[k].recs, .nrec = sp[k + 1].recs - sp[k].recs, .tid = k, .scratch = keep};
        if (k > 0 && pt->nrec > 0)
            started[k] = pthread_create(&th[k], NULL, parse_thread, pt) == 0;
        else if (k > 0)
            started[k] = 0;
    }
    for (int k = 1; k < nsplit; k++)
        if (r->parts[k].nrec > 0 && !started[k])
            parse_part(&r->parts[k]); /* no thread: parse here */
    parse_part(&r->parts[0]);
    for (int k = 1; k < nsplit; k++)
        if (started[k])
            pthread_join(th[k], NULL);
    for (int k = 0; k < nsplit; k++)
        if (r->parts[k].rc)
            return cli_fail(r->parts[k].rc, "%s", r->parts[k].msg);
    r->nrows += nrec;
    r->beg += taken;
    r->line += nlines;
    return 0;
}

int cli_reader_next(cli_reader *r, int64_t *nrows)
{
    *nrows = 0;
    if (!r->block) {
        int rc = chunk_alloc(r);
        if (rc)
            return rc;
    }
    r->total += r->nrows;
    r->row0 = r->total;
    r->nrows = 0;
    for (int t = 0; t < r->threads; t++)
        r->arenas[t].len = 0;
    while (r->nrows < r->ld) {
        if (r->beg == r->end && r->eof)
            break;
        int64_t before = r->nrows;
        int rc = parse_some(r, r->ld - r->nrows);
        if (rc)
            return rc;
        if (r->nrows == before && r->eof) {
            /* only blank lines were left */
            r->beg = r->end;
            break;
        }
        if (r->nrows == before && (rc = fill(r)) != 0)
            return rc;
    }
    if (r->total == 0 && r->nrows == 0 && !r->in_range)
        return cli_fail(CLI_EXIT_FAILURE, "%s: no data rows after the header", r->shown);
    /* numbers of a column used twice, text pointers */
    for (int64_t s = 0; s < r->nslots; s++) {
        int64_t j = r->slot_col[s];
        if (j >= 0 && r->slot_of[j] != s)
            memcpy(r->block + s * r->ld, r->block + r->slot_of[j] * r->ld, (size_t)r->nrows * sizeof *r->block);
    }
    for (int64_t t = 0; t < r->ntext; t++)
        for (int64_t i = 0; i < r->nrows; i++) {
            uint64_t v = r->toff[t * r->ld + i];
            r->tptr[t * r->ld + i] = v == NO_TEXT ? NULL : r->arenas[v & 0xFF].p + (v >> 8);
        }
    *nrows = r->nrows;
    return 0;
}

const double *cli_reader_block(const cli_reader *r, int64_t *ld)
{
    *ld = r->ld;
    return r->block;
}

const char *cli_reader_cell(const cli_reader *r, int64_t i, int64_t col)
{
    return r->tptr[r->text_of[col] * r->ld + i];
}

int64_t cli_reader_row0(const cli_reader *r) { return r->row0; }

int cli_reader_rewind(cli_reader *r, const char *cmd)
{
    if (!r->seekable)
        return cli_fail(CLI_EXIT_FAILURE,
                        "%s: %s has more than %lld rows (one chunk, --chunk-rows) and this fit reads its data several "
                        "times: give a file, not standard input or a pipe",
                        cmd, r->shown, (long long)r->ld);
    if (lseek(r->fd, r->data_off, SEEK_SET) < 0)
        return cli_fail(CLI_EXIT_FAILURE, "cannot read '%s': %s", r->path, strerror(errno));
    r->buf_off = r->data_off;
    r->beg = r->end = 0;
    r->checked = 0;
    r->special = NONE;
    r->eof = 0;
    r->line = r->data_line;
    r->total = r->nrows = r->row0 = 0;
    r->range_end = -1;
    r->in_range = 0;
    return 0;
}

/* ------------------------------------------------------------ byte ranges */

int64_t cli_reader_data_offset(const cli_reader *r) { return (int64_t)r->data_off; }
int64_t cli_reader_data_line(const cli_reader *r) { return r->data_line; }

int cli_reader_size(const cli_reader *r, int64_t *size)
{
    struct stat st;
    if (!r->seekable || fstat(r->fd, &st) != 0)
        return cli_fail(CLI_EXIT_FAILURE, "%s: cannot read a byte range of it: give a regular file", r->shown);
    *size = (int64_t)st.st_size;
    return 0;
}

/* pread() all of [off, off + len) that the file has; *got bytes read. */
static int pread_all(const cli_reader *r, char *buf, size_t len, int64_t off, size_t *got)
{
    *got = 0;
    while (*got < len) {
        ssize_t k = pread(r->fd, buf + *got, len - *got, (off_t)off + (off_t)*got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return cli_fail(CLI_EXIT_FAILURE, "cannot read '%s': %s", r->path, strerror(errno));
        if (k == 0)
            break;
        *got += (size_t)k;
    }
    return 0;
}

int cli_reader_line_start(const cli_reader *r, int64_t off, int64_t *start)
{
    int64_t size = 0;
    int rc = cli_reader_size(r, &size);
    if (rc)
        return rc;
    if (off <= r->data_off || off >= size) {
        *start = off <= r->data_off ? (int64_t)r->data_off : size;
        return 0;
    }
    enum { STEP = 1 << 16 };
    char buf[STEP + 1];
    int64_t pos = off - 1; /* a line starts at off when the byte before ends a line */
    for (;;) {
        size_t got;
        if ((rc = pread_all(r, buf, STEP, pos, &got)) != 0)
            return rc;
        for (size_t i = 0; i < got; i++) {
            if (buf[i] == '\n') {
                *start = pos + (int64_t)i + 1;
                return 0;
            }
            if (buf[i] == '\r') {
                if (i + 1 == got && got == STEP) { /* a CR at the end of the step: look at the next byte */
                    pos += (int64_t)i;
                    goto next;
                }
                *start = pos + (int64_t)i + 1 + (i + 1 < got && buf[i + 1] == '\n');
                return 0;
            }
        }
        if (got < STEP) {
            *start = size;
            return 0;
        }
        pos += STEP;
    next:;
    }
}

int cli_reader_count_lines(const cli_reader *r, int64_t from, int64_t to, int64_t *lines)
{
    enum { STEP = 1 << 20 };
    char *buf = malloc(STEP + 1);
    if (!buf)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", r->shown);
    int64_t n = 0;
    int rc = 0;
    int cr = 0; /* the previous step ended with a CR */
    for (int64_t pos = from; pos < to && !rc;) {
        size_t want = to - pos < STEP ? (size_t)(to - pos) : STEP, got;
        if ((rc = pread_all(r, buf, want, pos, &got)) != 0 || got == 0)
            break;
        size_t i = 0;
        if (cr && buf[0] == '\n')
            i = 1; /* the LF of a CRLF pair counted at its CR */
        cr = 0;
        if (!memchr(buf, '\r', got)) {
            for (const char *q = buf + i, *e = buf + got; (q = memchr(q, '\n', (size_t)(e - q))) != NULL; q++)
                n++;
        } else {
            for (; i < got; i++) {
                if (buf[i] == '\n')
                    n++;
                else if (buf[i] == '\r') {
                    n++;
                    if (i + 1 < got && buf[i + 1] == '\n')
                        i++;
                    else if (i + 1 == got)
                        cr = 1;
                }
            }
        }
        pos += (int64_t)got;
    }
    free(buf);
    *lines = n;
    return rc;
}

int cli_reader_range(cli_reader *r, int64_t start, int64_t end, int64_t line)
{
    if (lseek(r->fd, (off_t)start, SEEK_SET) < 0)
        return cli_fail(CLI_EXIT_FAILURE, "cannot read '%s': %s", r->path, strerror(errno));
    r->buf_off = (off_t)start;
    r->beg = r->end = 0;
    r->checked = 0;
    r->special = NONE;
    r->eof = 0;
    r->line = line;
    r->total = r->nrows = r->row0 = 0;
    r->range_end = (off_t)end;
    r->in_range = 1;
    return 0;
}

int cli_reader_at_end(cli_reader *r)
{
    for (;;) {
        for (size_t i = r->beg; i < r->end; i++) {
            char c = r->buf[i];
            if (!(is_blank((unsigned char)c) || c == '\n' || c == '\r'))
                return 0;
        }
        if (r->eof)
            return 1;
        /* only blank bytes so far: read on (they are not data) */
        if (r->end - r->beg == r->cap) {
            /* a buffer full of blank lines: count them as read */
            for (size_t i = r->beg; i < r->end; i++)
                if (r->buf[i] == '\n' || (r->buf[i] == '\r' && !(i + 1 < r->end && r->buf[i + 1] == '\n')))
                    r->line++;
            if (r->buf[r->end - 1] == '\r') { /* keep a CR whose LF may follow */
                r->line--;
                r->beg = r->end - 1;
            } else {
                r->beg = r->end;
            }
        }
        if (fill(r) != 0)
            return 0; /* the next read reports it */
    }
}
