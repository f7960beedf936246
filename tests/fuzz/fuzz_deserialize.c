/*
 * fuzz_deserialize.c -- libFuzzer harness for the model file reader
 * (lib/serialize.c and each kind's read()): any byte string must give a
 * status, never a crash, over-read or leak; a string that loads must
 * serialize again and reload.
 *
 * Build and run (clang, Debian libclang-rt-14-dev), from the repository root:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
 *     tests/fuzz/fuzz_deserialize.c lib/[a-z]*.c -llapacke -lblas -lz -lm -o /tmp/fuzz_deserialize
 *   cp -r tests/fuzz/corpus /tmp/corpus   # libFuzzer adds new inputs to it
 *   /tmp/fuzz_deserialize -max_total_time=300 /tmp/corpus
 * The seed corpus (tests/fuzz/corpus) holds saved models of each kind.
 * 2026-11-29: 23.2 million runs in 300 s, no crash, leak or UB report.
 * 2026-12-03 (format 1.2, seeds pnbd_context.occam and gg_context.occam added):
 * 7.7 million runs in 120 s, no crash, leak or UB report.
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

static void load(const uint8_t *data, size_t size)
{
    occam_model *m = NULL;
    if (occam_model_deserialize(data, size, &m) != OCCAM_OK) return;
    size_t need = 0;
    if (occam_model_serialize(m, NULL, 0, &need) != OCCAM_E_BUFFER_TOO_SMALL) abort();
    unsigned char *buf = malloc(need);
    if (buf == NULL || occam_model_serialize(m, buf, need, &need) != OCCAM_OK) abort();
    occam_model *again = NULL;
    if (occam_model_deserialize(buf, need, &again) != OCCAM_OK) abort();
    /* exercise the accessors on whatever loaded */
    int64_t k = 0, p = 0;
    if (occam_model_dims(again, &k, &p) == OCCAM_OK && k > 0 && k < 4096) {
        double *v = malloc((size_t)(k * k) * sizeof(double));
        if (v) {
            occam_model_coef(again, OCCAM_COEF_ESTIMATE, v, k);
            occam_model_vcov(again, v, k);
            free(v);
        }
    }
    occam_model_free(again);
    free(buf);
    occam_model_free(m);
}
