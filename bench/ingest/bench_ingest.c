/*
 * bench_ingest.c -- the CLI's CSV reader alone (examples/cli/cli_reader.c,
 * the same objects as the occam tool): time to read a file into chunks.
 *
 *   bench_ingest glm FILE [THREADS [CHUNK_ROWS]]    every column as numbers
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

int main(int argc, char **argv)
{
    if (argc < 3 || strcmp(argv[1], "glm") != 0) {
        fprintf(stderr, "usage: bench_ingest glm FILE [THREADS [CHUNK_ROWS]]\n");
        return 2;
    }
    cli_read_opts ro = {argc > 4 ? atoll(argv[4]) : 0, argc > 3 ? atoi(argv[3]) : 1};
    struct stat st;
    if (stat(argv[2], &st) != 0) {
        perror(argv[2]);
        return 1;
    }
    double t0 = now();
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
