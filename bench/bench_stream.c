/*
 * bench_stream.c -- a streamed GLM fit (occam_model_fit_source) on data the
 * process never holds, against occam_model_fit on the same rows in memory.
 *
 *   bench_stream [--n N] [--p P] [--chunk C] [--reps R]
 *
 * A Poisson GLM (log link) with n rows (default 10^6) and p columns
 * (default 20): the source makes each chunk of C rows (default 10000) on
 * the fly from a seed per row, so every pass regenerates the same rows and
 * the streamed fit needs O(C p + p^2) memory.  Prints for each way: the
 * median wall time over R fits (default 3), the passes read (the source's
 * resets), the iterations, and the peak resident memory of a child process
 * that does one fit (getrusage ru_maxrss; the process alone, OpenBLAS
 * included, is the --n 1 figure), and the largest relative
 * difference of the coefficients and SEs between the two.  The generation
 * of rows is inside the streamed time (a stream reading a file parses them
 * in each pass too); the in-memory time excludes it.  Timings are measured,
 * never asserted.
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

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int64_t n_rows = 1000000, chunk_rows = 10000;
/* (the rows: x uniform with variance 1, y Poisson with log mean 0.7 + x'beta) */
static int p_cols = 20;

/* Uniform (0, 1) from a 64-bit state (splitmix64). */
static double unif(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

/* Row i: x (p values, col-major into X with leading dimension ld) and y. */
static void make_row(int64_t i, double *X, int64_t ld, int64_t r, double *y)
{
    uint64_t s = (uint64_t)i * 0x2545f4914f6cdd1dULL + 12345;
    double eta = 0.7;
    for (int j = 0; j < p_cols; j++) { /* uniform on (-sqrt 3, sqrt 3): mean 0, variance 1 */
        double x = (2 * unif(&s) - 1) * 1.7320508075688772;
        X[r + (int64_t)j * ld] = x;
        eta += x * (j % 2 ? -1.0 : 1.0) * 0.5 / sqrt((double)p_cols) * (1 + (j % 5) / 5.0);
    }
    double mu = exp(eta), u = unif(&s), q = exp(-mu), c = q;
    int k = 0;
    while (u > c && k < 1000) {
        k++;
        q *= mu / k;
        c += q;
    }
    *y = k;
}

typedef struct source {
    double *X, *y;
    int64_t pos;
    int resets;
} source;

static int source_fn(void *ctx, int reset, occam_chunk *c)
{
    source *s = ctx;
    if (reset) {
        s->pos = 0;
        s->resets++;
    }
    int64_t nb = n_rows - s->pos < chunk_rows ? n_rows - s->pos : chunk_rows;
    for (int64_t r = 0; r < nb; r++) make_row(s->pos + r, s->X, chunk_rows, r, &s->y[r]);
    *c = (occam_chunk){s->X, nb, chunk_rows, OCCAM_COL_MAJOR, s->y, NULL, NULL};
    s->pos += nb;
    return 0;
}

static occam_model *fit_streamed(double *secs, int *passes)
{
    occam_model *m = NULL;
    occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &m);
    source s = {malloc((size_t)(chunk_rows * p_cols) * sizeof(double)), malloc((size_t)chunk_rows * sizeof(double)),
                0, 0};
    double t0 = now();
    int rc = occam_model_fit_source(m, NULL, p_cols, 0, source_fn, &s);
    *secs = now() - t0;
    if (rc < 0) fprintf(stderr, "streamed fit: %s (%s)\n", occam_strerror(rc), occam_last_error());
    *passes = s.resets;
    free(s.X);
    free(s.y);
    return m;
}

static occam_model *fit_memory(double *secs)
{
    double *X = malloc((size_t)(n_rows * p_cols) * sizeof(double)), *y = malloc((size_t)n_rows * sizeof(double));
    for (int64_t i = 0; i < n_rows; i++) make_row(i, X, n_rows, i, &y[i]);
    occam_model *m = NULL;
    occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &m);
    double t0 = now();
    int rc = occam_model_fit(m, NULL, X, n_rows, p_cols, n_rows, OCCAM_COL_MAJOR, y, NULL, NULL);
    *secs = now() - t0;
    if (rc < 0) fprintf(stderr, "in-memory fit: %s (%s)\n", occam_strerror(rc), occam_last_error());
    free(X);
    free(y);
    return m;
}

static double child_peak_mb(int streamed)
{
    pid_t pid = fork();
    if (pid == 0) {
        double s;
        int passes;
        occam_model *m = streamed ? fit_streamed(&s, &passes) : fit_memory(&s);
        occam_model_free(m);
        _exit(0);
    }
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int reps = 3;
    for (int a = 1; a + 1 < argc; a += 2) {
        if (strcmp(argv[a], "--n") == 0) n_rows = atoll(argv[a + 1]);
        else if (strcmp(argv[a], "--p") == 0) p_cols = atoi(argv[a + 1]);
        else if (strcmp(argv[a], "--chunk") == 0) chunk_rows = atoll(argv[a + 1]);
        else if (strcmp(argv[a], "--reps") == 0) reps = atoi(argv[a + 1]);
    }
    if (n_rows < 1 || p_cols < 1 || chunk_rows < 1 || reps < 1 || reps > 50) {
        fprintf(stderr, "usage: bench_stream [--n N] [--p P] [--chunk C] [--reps R]\n");
        return 2;
    }
    printf("Poisson GLM, n = %lld, p = %d (+ intercept), X = %.0f MB; stream chunks of %lld rows\n",
           (long long)n_rows, p_cols, (double)n_rows * p_cols * 8 / 1e6, (long long)chunk_rows);
    /* peak memory first, from children of a process holding nothing yet */
    double mem_s = child_peak_mb(1), mem_m = child_peak_mb(0);
    double ts[50], tm[50], s;
    int passes = 0;
    occam_model *a = NULL, *b = NULL;
    for (int r = 0; r < reps; r++) {
        occam_model_free(b);
        b = fit_streamed(&ts[r], &passes);
        occam_model_free(a);
        a = fit_memory(&tm[r]);
    }
    /* the cost of making the rows of one pass, for the streamed time */
    double *X1 = malloc((size_t)(chunk_rows * p_cols) * sizeof(double)), *y1 = malloc((size_t)chunk_rows * sizeof(double));
    double t0 = now();
    for (int64_t i = 0; i < n_rows; i++) make_row(i, X1, chunk_rows, i % chunk_rows, &y1[i % chunk_rows]);
    double gen = now() - t0;
    free(X1);
    free(y1);
    qsort(ts, (size_t)reps, sizeof *ts, cmp_d);
    qsort(tm, (size_t)reps, sizeof *tm, cmp_d);
    double iter = 0;
    occam_model_info(b, OCCAM_INFO_ITER, &iter);
    int64_t k = p_cols + 1;
    double *ea = malloc((size_t)k * sizeof(double)), *eb = malloc((size_t)k * sizeof(double)), worst = 0;
    for (int col = OCCAM_COEF_ESTIMATE; col <= OCCAM_COEF_STD_ERROR; col++) {
        occam_model_coef(a, col, ea, k);
        occam_model_coef(b, col, eb, k);
        for (int64_t j = 0; j < k; j++) worst = fmax(worst, fabs(eb[j] - ea[j]) / fabs(ea[j]));
    }
    (void)s;
    printf("streamed : median %.3f s over %d fits (rows made in every pass), %d passes, %.0f iterations, "
           "peak RSS %.1f MB\n", ts[reps / 2], reps, passes, iter, mem_s);
    printf("           of which making the rows: %d passes x %.3f s = %.3f s\n", passes, gen, passes * gen);
    printf("in memory: median %.3f s over %d fits (rows made before), peak RSS %.1f MB\n", tm[reps / 2], reps, mem_m);
    printf("largest relative difference of estimates and SEs, streamed vs in memory: %.3g\n", worst);
    free(ea);
    free(eb);
    occam_model_free(a);
    occam_model_free(b);
    return 0;
}
