/*
 * pnbd_pass.h -- private declarations of the streamed Pareto/NBD fit:
 *   pnbd_pass.c     the pattern table: distinct (x, t_x, T) rows with the
 *                   summed weight of the rows that had them (CLVTools'
 *                   collapsed likelihood), as an occam_partial kind
 *   pnbd_pass_io.c  its serialized fields (tags 300-399 of the partial format)
 *   pnbd_stream.c   the fit driver: one pass, then the MLE on the table
 */
#ifndef OCCAM_PNBD_PASS_H
#define OCCAM_PNBD_PASS_H

#include <stdint.h>

#include "pnbd.h"
#include "stream_internal.h"

typedef struct occam_pnbd_pattern {
    double x, tx, T; /* -0.0 stored as +0.0 */
    double count;    /* summed weight (customers) of the rows with this pattern, > 0 */
} occam_pnbd_pattern;

/* Distinct patterns in insertion order, found by an open-addressing hash on
 * the bits of (x, t_x, T).  Memory: 32 bytes per pattern plus a slot array
 * of 8 bytes per slot (at most 4 slots per pattern). */
typedef struct occam_pnbd_table {
    occam_pnbd_pattern *pat;
    int64_t n, cap;  /* patterns held, room for */
    int64_t *slot;   /* nslot entries: index + 1 into pat, 0 = empty */
    int64_t nslot;   /* a power of two >= 2 cap, or 0 */
    int64_t nobs;    /* rows added with weight > 0 (merged ones included) */
} occam_pnbd_table;

int occam__pnbd_table_new(occam_pnbd_table **out);
void occam__pnbd_table_free(void *t);
/* Add count (> 0) to the pattern (x, tx, T) (validated), new or not. */
int occam__pnbd_table_add(occam_pnbd_table *t, double x, double tx, double T, double count);
/* The canonical order: by x, then t_x, then T (the order of the in-memory
 * collapse, pnbd_fit.c). */
int occam__pnbd_pattern_cmp(const void *a, const void *b);
/* A copy of the patterns in canonical order (free with free()). */
int occam__pnbd_table_sorted(const occam_pnbd_table *t, occam_pnbd_pattern **out);

/* pnbd_pass_io.c: the kind's write and read (occam_partial_ops). */
int occam__pnbd_table_write(const occam_partial *pt, occam_writer *w);
int occam__pnbd_table_read(occam_partial *pt, const occam_reader *r);

#endif /* OCCAM_PNBD_PASS_H */
