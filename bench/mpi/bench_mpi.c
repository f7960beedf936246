/*
 * bench_mpi.c -- the MPI scale figures of issue 12 (docs/scale.md, "MPI"):
 *
 *   mpirun -n K bench_mpi pass N P      one IRLS pass of a Poisson GLM over
 *                                       N rows x P columns split over the K
 *                                       ranks (rows made on the fly, not
 *                                       timed): per rank the time of adding
 *                                       its rows, then the reduction
 *   mpirun -n K bench_mpi reduce P R    R reductions (occam_mpi_reduce_pass)
 *                                       of one GLM partial of P columns per
 *                                       rank: median seconds, bytes moved,
 *                                       and one merge on one process
 *
 * Timing is wall clock (MPI_Wtime); OpenBLAS on one thread (set
 * OPENBLAS_NUM_THREADS=1).  Performance is measured here, never asserted
 * in tests.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "occam_mpi.h"

enum { CHUNK = 8192 };

/* A fixed pseudo-random value in [0, 1) of (row, column). */
static double unif(uint64_t i, uint64_t j)
{
    uint64_t z = i * 0x9E3779B97F4A7C15ULL + j * 0xBF58476D1CE4E5B9ULL + 0x94D049BB133111EBULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

/* Rows [r0, r0 + n) of the design: X column-major (ld n), y counts. */
static void make_rows(int64_t r0, int64_t n, int64_t p, double *X, double *y)
{
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = 0; i < n; i++)
            X[i + j * n] = 2 * unif((uint64_t)(r0 + i), (uint64_t)j) - 1;
    for (int64_t i = 0; i < n; i++)
        y[i] = (double)(int)(4 * unif((uint64_t)(r0 + i), 99991));
}

static int die(const char *what, int st)
{
    fprintf(stderr, "bench_mpi: %s: %s (%s %s)\n", what, occam_status_name(st), occam_last_error(),
            occam_mpi_last_error());
    MPI_Abort(MPI_COMM_WORLD, 1);
    return 1;
}

/* Add rows [r0, r1) to pt in chunks; *secs += the time of the adds. */
static void add_range(occam_partial *pt, int64_t r0, int64_t r1, int64_t p, double *X, double *y, double *secs)
{
    for (int64_t r = r0; r < r1; r += CHUNK) {
        int64_t n = r1 - r < CHUNK ? r1 - r : CHUNK;
        make_rows(r, n, p, X, y);
        double t = MPI_Wtime();
        int st = occam_partial_add(pt, X, n, n, OCCAM_COL_MAJOR, y, NULL, NULL);
        *secs += MPI_Wtime() - t;
        if (st < 0)
            die("occam_partial_add", st);
    }
}

static int bench_pass(int rank, int size, int64_t N, int64_t p)
{
    occam_model *m = NULL;
    occam_stream *s = NULL;
    if (occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &m) < 0 || occam_stream_new(m, NULL, p, 0, &s) < 0)
        return die("setup", OCCAM_E_INVALID_ARG);
    double *X = malloc((size_t)CHUNK * (size_t)p * sizeof *X), *y = malloc(CHUNK * sizeof *y);
    int64_t r0 = rank * N / size, r1 = (rank + 1) * N / size;
    int more = 0;
    for (int pass = 0; pass < 2; pass++) { /* the start pass, then one IRLS iteration's pass (timed) */
        int st = occam_stream_next(s, &more);
        if (st < 0 || !more)
            return die("occam_stream_next", st);
        occam_partial *pt = NULL;
        if ((st = occam_partial_fork(s, &pt)) < 0)
            return die("occam_partial_fork", st);
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime(), add = 0;
        add_range(pt, r0, r1, p, X, y, &add);
        double t1 = MPI_Wtime();
        MPI_Barrier(MPI_COMM_WORLD); /* the slowest rank's adds */
        double t2 = MPI_Wtime();
        st = occam_mpi_reduce_pass(s, &pt, 1, rank, size, MPI_COMM_WORLD);
        double t3 = MPI_Wtime();
        if (st < 0)
            return die("occam_mpi_reduce_pass", st);
        occam_partial_free(pt);
        if (pass == 1) {
            double mine[2] = {add, t3 - t2}, *all = malloc((size_t)size * 2 * sizeof *all);
            MPI_Gather(mine, 2, MPI_DOUBLE, all, 2, MPI_DOUBLE, 0, MPI_COMM_WORLD);
            if (rank == 0) {
                printf("pass: n = %lld, p = %lld, K = %d ranks (%lld rows each)\n", (long long)N, (long long)p, size,
                       (long long)(r1 - r0));
                for (int r = 0; r < size; r++)
                    printf("  rank %d: adding its rows %.3f s (%.2f M rows/s), reduction %.4f s\n", r, all[2 * r],
                           (double)(N / size) / all[2 * r] / 1e6, all[2 * r + 1]);
                printf("  pass wall time (slowest rank's adds + reduction): %.3f s\n", (t2 - t0) + (t3 - t2));
            }
            free(all);
        }
        (void)t1;
    }
    free(X);
    free(y);
    occam_stream_free(s);
    occam_model_free(m);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int bench_reduce(int rank, int size, int64_t p, int reps)
{
    occam_model *m = NULL;
    occam_stream *s = NULL;
    if (occam_glm_new(OCCAM_FAMILY_POISSON, OCCAM_LINK_LOG, &m) < 0 || occam_stream_new(m, NULL, p, 0, &s) < 0)
        return die("setup", OCCAM_E_INVALID_ARG);
    int more = 0;
    int st = occam_stream_next(s, &more);
    if (st < 0)
        return die("occam_stream_next", st);
    int64_t rows = 2 * p + 16; /* a full triangle */
    double *X = malloc((size_t)CHUNK * (size_t)p * sizeof *X), *y = malloc(CHUNK * sizeof *y), *t = malloc((size_t)reps * sizeof *t);
    double add = 0, merge = 0;
    size_t bytes = 0;
    for (int k = 0; k < reps; k++) {
        occam_partial *pt = NULL;
        if ((st = occam_partial_fork(s, &pt)) < 0)
            return die("occam_partial_fork", st);
        add_range(pt, (int64_t)(k * size + rank) * rows, (int64_t)(k * size + rank + 1) * rows, p, X, y, &add);
        if (k == 0 && rank == 0) { /* one merge and the bytes, on one process */
            occam_partial *q = NULL;
            occam_partial_fork(s, &q);
            add_range(q, 0, rows, p, X, y, &add);
            occam_partial_serialize(pt, NULL, 0, &bytes);
            double t0 = MPI_Wtime();
            if ((st = occam_partial_merge(q, pt)) < 0)
                return die("occam_partial_merge", st);
            merge = MPI_Wtime() - t0;
            occam_partial_free(q);
        }
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        if ((st = occam_mpi_reduce_pass(s, &pt, 1, rank, size, MPI_COMM_WORLD)) < 0)
            return die("occam_mpi_reduce_pass", st);
        t[k] = MPI_Wtime() - t0;
        occam_partial_free(pt);
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    if (rank == 0)
        printf("reduce: p = %lld, K = %d ranks: one reduction %.4f s (median of %d; min %.4f), partial %zu bytes, "
               "one merge on one process %.4f s\n",
               (long long)p, size, t[reps / 2], reps, t[0], bytes, merge);
    free(X);
    free(y);
    free(t);
    occam_stream_free(s);
    occam_model_free(m);
    return 0;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int rc = 0;
    if (argc == 4 && strcmp(argv[1], "pass") == 0)
        rc = bench_pass(rank, size, atoll(argv[2]), atoll(argv[3]));
    else if (argc == 4 && strcmp(argv[1], "reduce") == 0)
        rc = bench_reduce(rank, size, atoll(argv[2]), atoi(argv[3]));
    else {
        if (rank == 0)
            fprintf(stderr, "usage: mpirun -n K bench_mpi pass N P | reduce P REPS\n");
        rc = 2;
    }
    MPI_Finalize();
    return rc;
}
