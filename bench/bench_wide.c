/*
 * bench_wide.c -- wide least-squares and GLM fits, n << p (issue 15, point 3).
 *
 *   bench_wide [--n N] [--p P] [--model lm|poisson] [--reps R]
 *
 * Fits an N x P design (default 3 x 4000) with an intercept: lm (linear
 * least squares) or a Poisson GLM (log link).  X is uniform on [-1, 1) from
 * a fixed-seed generator, y = 1 + x1 + noise (Poisson: counts 1..5).  Prints
 * the median wall time of R fits and the rank; run it under
 * `/usr/bin/time -v` for the peak resident memory.  R's lm.fit does these
 * sizes in milliseconds (its QR costs O(n p min(n, p))); occam's solve is
 * O(n p min(n, p)) too and never allocates a (p+1)^2 array for p > n.
 * The repro sizes: 3 x 4000, 1 x 10000, 1 x 30000.
 * Timings are measured, never asserted.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "occam.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int64_t n = 3, p = 4000;
    int reps = 3, poisson = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--n") == 0) n = atoll(argv[i + 1]);
        else if (strcmp(argv[i], "--p") == 0) p = atoll(argv[i + 1]);
        else if (strcmp(argv[i], "--reps") == 0) reps = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--model") == 0) poisson = strcmp(argv[i + 1], "poisson") == 0;
        else {
            fprintf(stderr, "usage: bench_wide [--n N] [--p P] [--model lm|poisson] [--reps R]\n");
            return 2;
        }
    }
    if (n < 1 || p < 0 || reps < 1 || reps > 100) {
        fprintf(stderr, "bench_wide: bad sizes\n");
        return 2;
    }
    double *X = malloc((size_t)(n * p) * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
    double *t = malloc((size_t)reps * sizeof(double));
    if (!X || !y || !t) return 1;
    uint64_t s = 20240601;
    for (int64_t i = 0; i < n * p; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        X[i] = (double)(s >> 11) / 9007199254740992.0 * 2.0 - 1.0;
    }
    for (int64_t i = 0; i < n; i++) y[i] = poisson ? (double)(1 + i % 5) : 1.0 + (p > 0 ? X[i] : 0.0) + 0.1 * (double)(i % 3);
    double rank = 0;
    for (int r = 0; r < reps; r++) {
        occam_model *m = NULL;
        int st = poisson ? occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &m) : occam_linear_new(&m);
        double t0 = now();
        if (st >= 0) st = occam_model_fit(m, NULL, X, n, p, n, OCCAM_COL_MAJOR, y, NULL, NULL);
        t[r] = now() - t0;
        if (st < 0) {
            fprintf(stderr, "bench_wide: fit failed: %s (%s)\n", occam_status_name(st), occam_last_error());
            return 1;
        }
        occam_model_info(m, OCCAM_INFO_RANK, &rank);
        occam_model_free(m);
    }
    qsort(t, (size_t)reps, sizeof *t, cmp);
    printf("%s n = %lld, p = %lld: rank %.0f, median of %d fits %.4f s\n", poisson ? "poisson" : "lm", (long long)n,
           (long long)p, rank, reps, t[reps / 2]);
    free(X);
    free(y);
    free(t);
    return 0;
}
