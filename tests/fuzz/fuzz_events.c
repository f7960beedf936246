/*
 * fuzz_events.c -- libFuzzer harness for the event-state reader
 * (lib/events_io.c over lib/serialize.c's container): any byte string must
 * give a status, never a crash, over-read or leak; a string that loads must
 * serialize again, reload, re-serialize to the same bytes, summarize and
 * merge with its copy.
 *
 * Build and run (clang, Debian libclang-rt-14-dev), from the repository root:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
 *     tests/fuzz/fuzz_events.c lib/[a-z]*.c -llapacke -lblas -lz -lm -o /tmp/fuzz_events
 *   cp -r tests/fuzz/corpus_events /tmp/corpus_events   # libFuzzer adds new inputs to it
 *   /tmp/fuzz_events -max_total_time=300 /tmp/corpus_events
 * The seed corpus (tests/fuzz/corpus_events, written by make_events_corpus.c)
 * holds small states of each id kind and merge period; check_events_io.c
 * checks that it loads.
 * 2026-12-03: 19.6 million runs in 300 s (and 21.4 and 16.0 million on
 * earlier versions of the reader), no crash, leak or UB report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "occam.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void load(const uint8_t *data, size_t size);

/* Each input twice: as given, and with its CRC-32 trailer recomputed so that
 * mutations reach the field checks behind the checksum. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load(data, size);
    if (size >= 32) {
        uint8_t *copy = malloc(size);
        if (copy == NULL) return 0;
        memcpy(copy, data, size);
        uint32_t c = (uint32_t)crc32(0L, copy, (uInt)(size - 4));
        for (int i = 0; i < 4; i++) copy[size - 4 + i] = (uint8_t)(c >> (8 * i));
        load(copy, size);
        free(copy);
    }
    return 0;
}

static unsigned char *ser(const occam_events *e, size_t *n)
{
    if (occam_events_serialize(e, NULL, 0, n) != OCCAM_E_BUFFER_TOO_SMALL) abort();
    unsigned char *b = malloc(*n);
    if (b == NULL || occam_events_serialize(e, b, *n, n) != OCCAM_OK) abort();
    return b;
}

static void load(const uint8_t *data, size_t size)
{
    occam_events *e = NULL;
    if (occam_events_deserialize(data, size, &e) != OCCAM_OK) return;
    size_t n1 = 0, n2 = 0;
    unsigned char *b1 = ser(e, &n1);
    occam_events *again = NULL;
    if (occam_events_deserialize(b1, n1, &again) != OCCAM_OK) abort();
    unsigned char *b2 = ser(again, &n2);
    if (n1 != n2 || memcmp(b1, b2, n1) != 0) abort();
    /* exercise the queries and a merge on whatever loaded */
    int64_t k = 0;
    if (occam_events_summary(again, NULL, NULL, NULL, 0, &k) == OCCAM_E_BUFFER_TOO_SMALL && k > 0 && k < 100000) {
        double *S = malloc((size_t)k * 3 * sizeof(double)), *xs = malloc((size_t)k * sizeof(double));
        if (S && xs && occam_events_summary(again, S, NULL, xs, k, &k) != OCCAM_OK) abort();
        free(S);
        free(xs);
    }
    int rc = occam_events_merge(again, e); /* P = 0 counts may pass 2^53 when doubled */
    if (rc != OCCAM_OK && rc != OCCAM_E_TOO_LARGE && rc != OCCAM_E_NOMEM) abort();
    occam_events_free(again);
    free(b1);
    free(b2);
    occam_events_free(e);
}
