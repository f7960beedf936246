/*
 * bench_pnbd_stream.c -- a streamed Pareto/NBD fit (occam_model_fit_source:
 * one pass, rows collapsed into a table of distinct (x, t_x, T) patterns)
 * on customers the process never holds, against occam_model_fit on the
 * same rows in memory.
 *
 *   bench_pnbd_stream [--n N] [--chunk C]
 *
 * n customers (default 10^6) made on the fly from a seed per row, in chunks
 * of C rows (default 10000): a cohort of 84 first-purchase days (T = 39 to
 * 51 weeks in days / 7), x in 0..19 repeat purchases, t_x on a whole-week
 * grid: at most 84 x 20 x 52 distinct patterns whatever n (72,196 for
 * n = 10^6), as in CDNOW
 * (2,357 customers, 1,016 patterns).  Prints the wall time and the peak
 * resident memory of a child process doing one fit each way (getrusage
 * ru_maxrss), and the largest relative difference of the estimates and
 * SEs.  Measured, never asserted.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "occam.h"

static int64_t n_rows = 1000000, chunk_rows = 10000;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

/* Customer i into row r of a row-major n x 3 array. */
static void make_row(int64_t i, double *X)
{
    uint64_t h = mix((uint64_t)i + 1);
    double T = (273.0 + (double)(h % 84)) / 7.0;
    h = mix(h);
    int x = (h % 2) ? 0 : (int)(mix(h) % 20); /* about half never return */
    h = mix(h ^ 0x5bd1e995);
    double tx = x == 0 ? 0.0 : floor((double)(h % 1000) / 1000.0 * T);
    X[0] = x;
    X[1] = tx;
    X[2] = T;
}

typedef struct src {
    double *X;
    int64_t next;
} src;

static int source_fn(void *ctx, int reset, occam_chunk *c)
{
    src *s = ctx;
    if (reset) s->next = 0;
    int64_t nb = n_rows - s->next < chunk_rows ? n_rows - s->next : chunk_rows;
    for (int64_t r = 0; r < nb; r++) make_row(s->next + r, s->X + 3 * r);
    s->next += nb;
    *c = (occam_chunk){s->X, nb, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL};
    return OCCAM_OK;
}

static occam_model *fit(int streamed, double *secs)
{
    occam_model *m = NULL;
    occam_pnbd_new(&m);
    int rc;
    if (streamed) {
        src s = {malloc((size_t)chunk_rows * 3 * sizeof(double)), 0};
        double t0 = now();
        rc = occam_model_fit_source(m, NULL, 3, 0, source_fn, &s);
        *secs = now() - t0;
        free(s.X);
    } else {
        double *X = malloc((size_t)n_rows * 3 * sizeof(double));
        double t0 = now();
        for (int64_t i = 0; i < n_rows; i++) make_row(i, X + 3 * i);
        rc = occam_model_fit(m, NULL, X, n_rows, 3, 3, OCCAM_ROW_MAJOR, NULL, NULL, NULL);
        *secs = now() - t0;
        free(X);
    }
    if (rc < 0) fprintf(stderr, "%s fit: %s (%s)\n", streamed ? "streamed" : "in-memory", occam_strerror(rc),
                        occam_last_error());
    return m;
}

static double child_peak_mb(int streamed)
{
    pid_t pid = fork();
    if (pid == 0) {
        double s;
        occam_model_free(fit(streamed, &s));
        _exit(0);
    }
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

int main(int argc, char **argv)
{
    for (int a = 1; a + 1 < argc; a += 2) {
        if (strcmp(argv[a], "--n") == 0) n_rows = atoll(argv[a + 1]);
        else if (strcmp(argv[a], "--chunk") == 0) chunk_rows = atoll(argv[a + 1]);
    }
    if (n_rows < 1 || chunk_rows < 1) {
        fprintf(stderr, "usage: bench_pnbd_stream [--n N] [--chunk C]\n");
        return 2;
    }
    printf("Pareto/NBD, n = %lld customers (X = %.0f MB), stream chunks of %lld rows\n", (long long)n_rows,
           (double)n_rows * 24 / 1e6, (long long)chunk_rows);
    double mem_s = child_peak_mb(1), mem_m = child_peak_mb(0), ts, tm;
    occam_model *b = fit(1, &ts), *a = fit(0, &tm);
    double ea[4], eb[4], worst = 0, it = 0;
    for (int col = OCCAM_COEF_ESTIMATE; col <= OCCAM_COEF_STD_ERROR; col++) {
        occam_model_coef(a, col, ea, 4);
        occam_model_coef(b, col, eb, 4);
        for (int j = 0; j < 4; j++) worst = fmax(worst, fabs(eb[j] - ea[j]) / fabs(ea[j]));
    }
    occam_model_info(b, OCCAM_INFO_ITER, &it);
    printf("streamed : %.3f s (rows made in the pass), 1 pass, %.0f iterations, peak RSS %.1f MB\n", ts, it, mem_s);
    printf("in memory: %.3f s (rows made inside too), peak RSS %.1f MB\n", tm, mem_m);
    printf("largest relative difference of estimates and SEs, streamed vs in memory: %.3g\n", worst);
    occam_model_free(a);
    occam_model_free(b);
    return 0;
}
