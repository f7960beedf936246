/*
 * bench_ingest.c -- the CLI's CSV reader alone (examples/cli/cli_reader.c,
 * the same objects as the occam tool): time to read a file into chunks.
 *
 *   bench_ingest glm FILE [THREADS [CHUNK_ROWS]]    every column as numbers
 *   bench_ingest events FILE [THREADS]              columns id (integers) and
 *       date (ISO dates) into the library's per-customer event state
 *       (occam_events, calibration end 1998-06-30, same-day purchases
 *       merged), then its summaries: what `fit pnbd --events` reads
 *
 * Prints "occam-ingest <what> <seconds> <rows> <MB/s>" (wall time from open
 * to the last chunk; MB = 10^6 bytes of the file) and a checksum of the
 * numbers read, so that nothing is optimized away.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Converters run on the reader's threads, as fit pnbd --events' do. */
static int id_cell(const char *s, size_t len, void *out)
{
    int64_t v = 0; /* a plain decimal integer, as the CLI's canonical ids */
    if (len == 0 || len > 18)
        return 2;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 2;
        v = v * 10 + (s[i] - '0');
    }
    memcpy(out, &v, sizeof v);
    return 1;
}

static int date_cell(const char *s, size_t len, void *out)
{
    double d = 0;
    int ok = cli_iso_date(s, len, &d) == OCCAM_OK;
    memcpy(out, &d, sizeof d);
    return ok ? 1 : 2;
}

/* The id,date log into an event state and its summaries. */
static int events(const char *path, const cli_read_opts *ro, int64_t *rows, int64_t *customers)
{
    cli_reader *r = NULL;
    if (cli_reader_open(path, ro, &r) != 0)
        return 1;
    int64_t id = -1, date = -1, n = 0, m = 0;
    if (cli_reader_require(r, "id", &id) || cli_reader_require(r, "date", &date) ||
        cli_reader_convert(r, id, id_cell) || cli_reader_convert(r, date, date_cell))
        return 1;
    double end;
    occam_iso_date_days("1998-06-30", &end);
    occam_events *e = NULL;
    int64_t *ids = malloc(CLI_CHUNK_ROWS * sizeof *ids);
    double *t = malloc(CLI_CHUNK_ROWS * sizeof *t);
    if (occam_events_new(end, 1.0, &e) != OCCAM_OK || !ids || !t)
        return 1;
    *rows = 0;
    while (cli_reader_next(r, &n) == 0 && n > 0) {
        int64_t ld;
        const double *b = cli_reader_block(r, &ld);
        const unsigned char *ic = cli_reader_codes(r, 0), *dc = cli_reader_codes(r, 1);
        for (int64_t i = 0; i < n; i++) {
            if (ic[i] != 1 || dc[i] != 1)
                return 1;
            memcpy(&ids[i], &b[i], sizeof ids[i]);
            t[i] = b[ld + i];
        }
        if (occam_events_add(e, ids, t, n) != OCCAM_OK)
            return 1;
        *rows += n;
    }
    if (occam_events_compact(e) != OCCAM_OK ||
        occam_events_summary(e, NULL, NULL, NULL, 0, &m) != OCCAM_E_BUFFER_TOO_SMALL)
        return 1;
    double *S = malloc((size_t)m * 3 * sizeof *S);
    if (!S || occam_events_summary(e, S, NULL, NULL, m, &m) != OCCAM_OK)
        return 1;
    *customers = m;
    free(S);
    free(ids);
    free(t);
    occam_events_free(e);
    cli_reader_close(r);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "glm") != 0 && strcmp(argv[1], "events") != 0)) {
        fprintf(stderr, "usage: bench_ingest glm|events FILE [THREADS [CHUNK_ROWS]]\n");
        return 2;
    }
    cli_read_opts ro = {argc > 4 ? atoll(argv[4]) : 0, argc > 3 ? atoi(argv[3]) : 1};
    struct stat st;
    if (stat(argv[2], &st) != 0) {
        perror(argv[2]);
        return 1;
    }
    double t0 = now();
    if (strcmp(argv[1], "events") == 0) {
        int64_t rows = 0, customers = 0;
        if (events(argv[2], &ro, &rows, &customers) != 0) {
            fprintf(stderr, "bench_ingest: events failed: %s\n", occam_last_error());
            return 1;
        }
        double sec = now() - t0;
        printf("occam-ingest events %.3f %lld %.1f (%lld customers)\n", sec, (long long)rows,
               (double)st.st_size / 1e6 / sec, (long long)customers);
        return 0;
    }
    cli_reader *r = NULL;
    if (cli_reader_open(argv[2], &ro, &r) != 0)
        return 1;
    int64_t k = cli_reader_ncols(r), n = 0, rows = 0, ld;
    int64_t *cols = malloc((size_t)k * sizeof *cols);
    for (int64_t j = 0; j < k; j++)
        cols[j] = j;
    if (cli_reader_numbers(r, cols, k) != 0)
        return 1;
    double sum = 0;
    while (cli_reader_next(r, &n) == 0 && n > 0) {
        const double *b = cli_reader_block(r, &ld);
        for (int64_t j = 0; j < k; j++)
            sum += b[j * ld + n - 1];
        rows += n;
    }
    double sec = now() - t0;
    printf("occam-ingest glm %.3f %lld %.1f (checksum %.6g)\n", sec, (long long)rows, (double)st.st_size / 1e6 / sec,
           sum);
    cli_reader_close(r);
    free(cols);
    return 0;
}
