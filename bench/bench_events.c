/*
 * bench_events.c -- the event-log state (occam_events) on a transaction log.
 *
 *   bench_events [EVENTS_CSV] [REPS]
 *     EVENTS_CSV  an id,date[,...] log with integer ids and ISO dates, e.g. the
 *                 file of `bench/ingest/gen_data.py events` (2.8 M transactions,
 *                 10^6 customers); without it, a synthetic log of that size
 *                 (ids 1..10^6, days 0..545, 2.8 events per customer)
 *     REPS        repetitions (default 3); the median is reported
 *
 * The file is parsed before any timing (this measures the library, not CSV
 * reading).  Timed, each with calibration end 1998-06-30 and same-day
 * merging (P = 1 day), as `occam fit pnbd --events` does:
 *   add     all events into one state in chunks of 65,536 (the CLI's way),
 *           then occam_events_compact
 *   add1    all events in one occam_events_add call, then compact
 *   query   occam_events_summary + occam_events_ids on the compacted state
 *   text    the same events with the ids as decimal text (add_text + compact)
 *   merge   two states of the halves merged (after compacting both)
 *   ser     serialize the whole state / deserialize it
 * Prints median seconds, M events/s and the peak RSS (getrusage).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "occam.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void check(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "bench_events: %s: %s (%s)\n", what, occam_status_name(rc), occam_last_error());
        exit(1);
    }
}

typedef struct logdata {
    int64_t n;
    int64_t *id;
    double *t;
    char **txt;
} logdata;

static logdata read_log(const char *path)
{
    logdata L = {0, NULL, NULL, NULL};
    int64_t cap = 1 << 20;
    L.id = malloc((size_t)cap * sizeof *L.id);
    L.t = malloc((size_t)cap * sizeof *L.t);
    if (path) {
        FILE *f = fopen(path, "r");
        if (!f) {
            fprintf(stderr, "bench_events: cannot open %s\n", path);
            exit(1);
        }
        char line[512];
        if (!fgets(line, sizeof line, f)) exit(1);
        while (fgets(line, sizeof line, f)) {
            if (L.n == cap) {
                cap *= 2;
                L.id = realloc(L.id, (size_t)cap * sizeof *L.id);
                L.t = realloc(L.t, (size_t)cap * sizeof *L.t);
            }
            char *comma = strchr(line, ','), date[11];
            if (!comma) continue;
            L.id[L.n] = strtoll(line, NULL, 10);
            memcpy(date, comma + 1, 10);
            date[10] = '\0';
            check(occam_iso_date_days(date, &L.t[L.n]), "date");
            L.n++;
        }
        fclose(f);
    } else {
        uint64_t s = 20261203;
        for (int64_t c = 1; c <= 1000000; c++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            int k = 1 + (int)((s >> 33) % 4) + ((s >> 20) % 10 == 0 ? 3 : 0);
            for (int j = 0; j < k; j++) {
                if (L.n == cap) {
                    cap *= 2;
                    L.id = realloc(L.id, (size_t)cap * sizeof *L.id);
                    L.t = realloc(L.t, (size_t)cap * sizeof *L.t);
                }
                s = s * 6364136223846793005ULL + 1442695040888963407ULL;
                L.id[L.n] = c;
                L.t[L.n] = 9862.0 + (double)((s >> 33) % 546);
                L.n++;
            }
        }
        /* shuffle: a log is in time order, not by customer */
        for (int64_t i = L.n - 1; i > 0; i--) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            int64_t j = (int64_t)((s >> 11) % (uint64_t)(i + 1)), a = L.id[i];
            double b = L.t[i];
            L.id[i] = L.id[j], L.t[i] = L.t[j];
            L.id[j] = a, L.t[j] = b;
        }
    }
    L.txt = malloc((size_t)L.n * sizeof *L.txt);
    for (int64_t i = 0; i < L.n; i++) {
        L.txt[i] = malloc(24);
        snprintf(L.txt[i], 24, "%lld", (long long)L.id[i]);
    }
    return L;
}

static occam_events *build(const logdata *L, int64_t a, int64_t b, int64_t chunk, int text, double end)
{
    occam_events *e;
    check(occam_events_new(end, 1.0, &e), "new");
    for (int64_t i = a; i < b; i += chunk) {
        int64_t m = b - i < chunk ? b - i : chunk;
        if (text)
            check(occam_events_add_text(e, (const char *const *)L->txt + i, NULL, L->t + i, m), "add_text");
        else
            check(occam_events_add(e, L->id + i, L->t + i, m), "add");
    }
    check(occam_events_compact(e), "compact");
    return e;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 && strcmp(argv[1], "-") != 0 ? argv[1] : NULL;
    int reps = argc > 2 ? atoi(argv[2]) : 3;
    if (reps < 1) reps = 1;
    logdata L = read_log(path);
    double end;
    check(occam_iso_date_days("1998-06-30", &end), "date");
    enum { ADD, ADD1, QUERY, TEXT, MERGE, SER, DESER, NT };
    static const char *const names[NT] = {"add (chunks of 65536) + compact", "add (one call) + compact",
                                          "summary + ids", "add_text (chunks of 65536) + compact",
                                          "merge of two halves", "serialize", "deserialize"};
    double *tm[NT];
    for (int k = 0; k < NT; k++) tm[k] = malloc((size_t)reps * sizeof(double));
    int64_t ncust = 0;
    size_t nbytes = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        occam_events *e = build(&L, 0, L.n, 65536, 0, end);
        tm[ADD][r] = now() - t0;
        t0 = now();
        occam_events *e1 = build(&L, 0, L.n, L.n, 0, end);
        tm[ADD1][r] = now() - t0;
        occam_events_free(e1);
        t0 = now();
        if (occam_events_summary(e, NULL, NULL, NULL, 0, &ncust) != OCCAM_E_BUFFER_TOO_SMALL) check(-21, "summary size");
        double *S = malloc((size_t)ncust * 3 * sizeof(double)), *xs = malloc((size_t)ncust * sizeof(double));
        int64_t *ids = malloc((size_t)ncust * sizeof(int64_t));
        check(occam_events_summary(e, S, NULL, xs, ncust, &ncust), "summary");
        check(occam_events_ids(e, ids, ncust, &ncust), "ids");
        tm[QUERY][r] = now() - t0;
        free(S);
        free(xs);
        free(ids);
        t0 = now();
        occam_events *et = build(&L, 0, L.n, 65536, 1, end);
        tm[TEXT][r] = now() - t0;
        occam_events_free(et);
        occam_events *h1 = build(&L, 0, L.n / 2, 65536, 0, end), *h2 = build(&L, L.n / 2, L.n, 65536, 0, end);
        t0 = now();
        check(occam_events_merge(h1, h2), "merge");
        tm[MERGE][r] = now() - t0;
        occam_events_free(h1);
        occam_events_free(h2);
        t0 = now();
        if (occam_events_serialize(e, NULL, 0, &nbytes) != OCCAM_E_BUFFER_TOO_SMALL) check(-21, "serialize size");
        unsigned char *buf = malloc(nbytes);
        check(occam_events_serialize(e, buf, nbytes, &nbytes), "serialize");
        tm[SER][r] = now() - t0;
        t0 = now();
        occam_events *d;
        check(occam_events_deserialize(buf, nbytes, &d), "deserialize");
        tm[DESER][r] = now() - t0;
        occam_events_free(d);
        free(buf);
        occam_events_free(e);
    }
    printf("occam_events on %s: %lld events, %lld customers, serialized state %.1f MB\n",
           path ? path : "a synthetic log", (long long)L.n, (long long)ncust, (double)nbytes / 1e6);
    for (int k = 0; k < NT; k++) {
        qsort(tm[k], (size_t)reps, sizeof(double), cmp_double);
        double med = tm[k][reps / 2];
        printf("  %-38s %8.3f s  %7.1f M events/s\n", names[k], med, (double)L.n / med / 1e6);
        free(tm[k]);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("  peak RSS %.0f MB (the log's arrays and text ids included)\n", (double)ru.ru_maxrss / 1024.0);
    for (int64_t i = 0; i < L.n; i++) free(L.txt[i]);
    free(L.txt);
    free(L.id);
    free(L.t);
    return 0;
}
