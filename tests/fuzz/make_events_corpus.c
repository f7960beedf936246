/*
 * make_events_corpus.c -- writes the seed corpus of fuzz_events.c
 * (tests/fuzz/corpus_events): small serialized event states of each kind.
 * Build and run from the repository root:
 *   cc -Iinclude tests/fuzz/make_events_corpus.c build/liboccam.a -llapacke -lblas -lz -lm -lpthread \
 *     -o /tmp/make_events_corpus && /tmp/make_events_corpus tests/fuzz/corpus_events
 */
#include <stdio.h>
#include <stdlib.h>

#include "occam.h"

static void save(const occam_events *e, const char *dir, const char *name)
{
    size_t need = 0;
    occam_events_serialize(e, NULL, 0, &need);
    unsigned char *b = malloc(need);
    if (b == NULL || occam_events_serialize(e, b, need, &need) != OCCAM_OK) exit(1);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(b, 1, need, f) != need || fclose(f) != 0) exit(1);
    free(b);
}

int main(int argc, char **argv)
{
    if (argc != 2) return 2;
    int64_t ids[8] = {7, 3, 7, 5, 7, 7, 7, -3};
    double t[8] = {4.0, 12.0, 0.0, 6.0, 2.5, 11.0, 2.7, 13.0};
    const char *txt[8] = {"seven", "three", "seven", "five", "seven", "seven", "seven", "minus three"};
    occam_events *e;
    occam_events_new(10.0, 1.0, &e);
    save(e, argv[1], "empty.occev");
    occam_events_add(e, ids, t, 8);
    save(e, argv[1], "int_period1.occev");
    occam_events_free(e);
    occam_events_new(10.0, 0.0, &e);
    occam_events_add(e, ids, t, 8);
    save(e, argv[1], "int_period0.occev");
    occam_events_free(e);
    occam_events_new(10.0, 1.0, &e);
    occam_events_add_text(e, txt, NULL, t, 8);
    save(e, argv[1], "text_period1.occev");
    occam_events_free(e);
    occam_events_new(10.0, 0.0, &e);
    occam_events_add_text(e, txt, NULL, t, 8);
    save(e, argv[1], "text_period0.occev");
    occam_events_free(e);
    return 0;
}
