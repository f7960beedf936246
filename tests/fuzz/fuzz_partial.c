/*
 * fuzz_partial.c -- libFuzzer harness for the partial-result reader
 * (lib/partial_io.c and each kind's fields: glm_pass_io.c, linear_pass_io.c,
 * pnbd_pass_io.c):
 * any byte string must give a status, never a crash, over-read or leak; a
 * string that loads must serialize again and reload, and merge with a copy
 * of itself (same pass: the merge arithmetic runs on whatever numbers the
 * bytes held).
 *
 * Build and run (clang, Debian libclang-rt-14-dev), from the repository root:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
 *     tests/fuzz/fuzz_partial.c lib/[a-z]*.c -llapacke -lblas -lz -lm -o /tmp/fuzz_partial
 *   cp -r tests/fuzz/corpus_partial /tmp/corpus_partial   # libFuzzer adds new inputs to it
 *   /tmp/fuzz_partial -max_total_time=300 /tmp/corpus_partial
 * The seed corpus (tests/fuzz/corpus_partial) holds partials of every pass
 * kind (GLM start, iteration, final and null-refit passes, QR factor, X'WX,
 * rows form, empty; linear QR, refinement and residual passes; Pareto/NBD
 * pattern tables without and with weights, empty), written by
 * tests/check_partial_io.c with OCCAM_WRITE_PARTIAL_CORPUS=dir, which also
 * checks that every file there loads.
 * 2026-12-03: 12.4 million runs in 300 s, no crash, leak or UB report.
 * 2026-12-03, with the Pareto/NBD seeds: a 180 s run (5.35 million inputs)
 * found a signed overflow merging row counts read from bytes (partial.c,
 * now OCCAM_E_TOO_LARGE); after the fix 3.6 million runs in 90 s, no report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "occam.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void load(const uint8_t *data, size_t size);

/* Each input twice: as given, and with its CRC-32 trailer recomputed so that
 * mutations reach the field parser behind the checksum. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load(data, size);
    if (size >= 28) {
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

static void load(const uint8_t *data, size_t size)
{
    occam_partial *pt = NULL;
    if (occam_partial_deserialize(data, size, &pt) != OCCAM_OK) return;
    size_t need = 0;
    if (occam_partial_serialize(pt, NULL, 0, &need) != OCCAM_E_BUFFER_TOO_SMALL) abort();
    unsigned char *buf = malloc(need);
    if (buf == NULL || occam_partial_serialize(pt, buf, need, &need) != OCCAM_OK) abort();
    occam_partial *again = NULL;
    if (occam_partial_deserialize(buf, need, &again) != OCCAM_OK) abort();
    if (occam_partial_merge(again, pt) > 0) abort(); /* OK or an error status */
    int64_t rows = 0;
    occam_partial_rows(again, &rows);
    occam_partial_free(again);
    free(buf);
    occam_partial_free(pt);
}
