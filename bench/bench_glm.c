/*
 * bench_glm.c -- GLM fit benchmark (issue 3).
 *
 *   bench_glm [--n N] [--reps R] [--threads T] [--no-r] [--case logistic|poisson|both]
 *
 * Synthetic data, generated here with a fixed seed: a logistic GLM with
 * n = 10^6 rows and p = 100 columns, and a Poisson GLM (log link) with
 * p = 20.  For each case it prints
 *   - the median wall time over R repetitions of occam's fit with the auto
 *     solver (the default: Cholesky while well conditioned, else R's QR),
 *     the QR solver (R's semantics always) and the Cholesky solver;
 *   - the peak resident memory of each fit (getrusage ru_maxrss of a child
 *     process that builds the same X and fits once), against the size of X;
 *   - the BLAS floor: IRLS iterations x the time of one cblas_dsyrk of X
 *     (X'X, the least work any IRLS step does), measured in the same run;
 *     with --threads T > 1 also that call with OpenBLAS running T threads
 *     (openblas_set_num_threads, found with dlsym, for the measurement
 *     only) and the stricter T-thread floor: T threads each running
 *     cblas_dsyrk on n/T rows at once (OpenBLAS's own threading does not
 *     split the long dimension of a 20-column X);
 *   - R's glm.fit on the same data in the same run (median of R
 *     repetitions, at most 3), when Rscript is installed: the data go to a
 *     binary file that bench/glm_r.R reads.
 * occam runs with OCCAM_OPT_THREADS = T (default 1); with T > 1, run
 * OpenBLAS single-threaded (OPENBLAS_NUM_THREADS=1), as docs/api.md says.
 * Ratios: occam / floor, R / occam.  Timings are measured, never asserted.
 */
#define _GNU_SOURCE /* wait4, popen, RTLD_DEFAULT */
#include <cblas.h>
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
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

static uint64_t rng_state;
static double unif(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}
static double normal(void)
{
    double u = unif(), v = unif();
    return sqrt(-2 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

/* Poisson draw by inversion (means here stay below ~20). */
static double rpois(double mu)
{
    double u = unif(), p = exp(-mu), c = p;
    int k = 0;
    while (u > c && k < 1000) {
        k++;
        p *= mu / k;
        c += p;
    }
    return k;
}

typedef struct bench_case {
    const char *name;
    int family, p;
} bench_case;

/* X (n x p col-major) and y of a case; deterministic. */
static void make_data(const bench_case *bc, int64_t n, double *X, double *y)
{
    int p = bc->p;
    rng_state = 20240611u + (uint64_t)p;
    for (int64_t i = 0; i < n * p; i++) X[i] = normal();
    double *beta = malloc((size_t)p * sizeof(double));
    for (int j = 0; j < p; j++) beta[j] = (j % 2 ? -1.0 : 1.0) * 0.5 / sqrt((double)p) * (1 + (j % 5) / 5.0);
    for (int64_t i = 0; i < n; i++) {
        double eta = bc->family == OCCAM_FAMILY_BINOMIAL ? -0.5 : 0.7;
        for (int j = 0; j < p; j++) eta += X[i + (int64_t)j * n] * beta[j];
        y[i] = bc->family == OCCAM_FAMILY_BINOMIAL ? (unif() < 1 / (1 + exp(-eta)) ? 1 : 0) : rpois(exp(eta));
    }
    free(beta);
}

static int threads = 1; /* --threads */

static double used_solver; /* OCCAM_INFO_SOLVER of the last fit */

static int fit_once(const bench_case *bc, int64_t n, const double *X, const double *y, int solver, double *secs,
                    double *iter, double *dev)
{
    occam_model *m;
    occam_opts *o;
    if (occam_glm_new(bc->family, OCCAM_LINK_DEFAULT, &m) != OCCAM_OK || occam_opts_new(&o) != OCCAM_OK) return -1;
    occam_opts_set_int(o, OCCAM_OPT_SOLVER, solver);
    occam_opts_set_int(o, OCCAM_OPT_THREADS, threads);
    double t0 = now();
    int rc = occam_model_fit(m, o, X, n, bc->p, n, OCCAM_COL_MAJOR, y, NULL, NULL);
    *secs = now() - t0;
    if (rc < 0) fprintf(stderr, "fit failed: %s (%s)\n", occam_strerror(rc), occam_last_error());
    occam_model_info(m, OCCAM_INFO_ITER, iter);
    occam_model_info(m, OCCAM_INFO_DEVIANCE, dev);
    occam_model_info(m, OCCAM_INFO_SOLVER, &used_solver);
    occam_opts_free(o);
    occam_model_free(m);
    return rc < 0 ? -1 : 0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Peak RSS (MB) of a child that builds the data and fits once. */
static double child_peak_mb(const bench_case *bc, int64_t n, int solver)
{
    pid_t pid = fork();
    if (pid == 0) {
        double *X = malloc((size_t)(n * bc->p) * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
        make_data(bc, n, X, y);
        double s, it, d;
        _exit(fit_once(bc, n, X, y, solver, &s, &it, &d) == 0 ? 0 : 1);
    }
    int status;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) return NAN;
    return (double)ru.ru_maxrss / 1024.0;
}

/* Peak RSS (MB) of a child that only builds the data (the baseline). */
static double child_data_mb(const bench_case *bc, int64_t n)
{
    pid_t pid = fork();
    if (pid == 0) {
        double *X = malloc((size_t)(n * bc->p) * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
        make_data(bc, n, X, y);
        _exit(X[0] == 12345.678 ? 1 : 0);
    }
    int status;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) return NAN;
    return (double)ru.ru_maxrss / 1024.0;
}

/* One thread's share of the T-thread floor: X'X of rows [i0, i1). */
typedef struct syrk_job {
    const double *X;
    int64_t n, i0, i1;
    int p;
    double *C;
} syrk_job;

static void *syrk_rows(void *arg)
{
    syrk_job *j = arg;
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, j->p, (int)(j->i1 - j->i0), 1.0, j->X + j->i0, (int)j->n,
                0.0, j->C, j->p);
    return NULL;
}

/* Median seconds of X'X (upper triangle): one cblas_dsyrk call when
 * nthreads = 1, else nthreads threads on n/nthreads rows each, summed. */
static double syrk_seconds(const double *X, int64_t n, int p, int reps, int nthreads)
{
    double *C = calloc((size_t)nthreads * (size_t)p * (size_t)p, sizeof(double));
    double *t = malloc((size_t)reps * sizeof(double));
    syrk_job *jobs = malloc((size_t)nthreads * sizeof *jobs);
    pthread_t *tid = malloc((size_t)nthreads * sizeof *tid);
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        for (int k = 0; k < nthreads; k++) {
            jobs[k] = (syrk_job){X, n, n * k / nthreads, n * (k + 1) / nthreads, p, C + (size_t)k * p * p};
            if (k > 0) pthread_create(&tid[k], NULL, syrk_rows, &jobs[k]);
        }
        syrk_rows(&jobs[0]);
        for (int k = 1; k < nthreads; k++) pthread_join(tid[k], NULL);
        for (int k = 1; k < nthreads; k++)
            for (int e = 0; e < p * p; e++) C[e] += C[(size_t)k * p * p + e];
        t[r] = now() - t0;
    }
    double med = median(t, reps);
    free(C);
    free(t);
    free(jobs);
    free(tid);
    return med;
}

/* Median seconds of one cblas_dsyrk of X with OpenBLAS running nthreads
 * threads (NaN when the BLAS is not OpenBLAS); OpenBLAS's thread count is
 * restored afterwards. */
static double syrk_seconds_blas_threads(const double *X, int64_t n, int p, int reps, int nthreads)
{
    void (*set)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    int (*get)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "openblas_get_num_threads");
    if (set == NULL || get == NULL) return NAN;
    int before = get();
    set(nthreads);
    double secs = syrk_seconds(X, n, p, reps, 1);
    set(before);
    return secs;
}

/* Runs R; returns R's glm.fit seconds (NaN when it failed). */
static double run_r(const bench_case *bc, int64_t n, const double *X, const double *y, const char *script,
                    int reps)
{
    char path[256];
    snprintf(path, sizeof path, "/tmp/occam_bench_glm_%d_%s.bin", (int)getpid(), bc->name);
    FILE *f = fopen(path, "wb");
    if (f == NULL) return NAN;
    size_t ok = fwrite(X, sizeof(double), (size_t)(n * bc->p), f) + fwrite(y, sizeof(double), (size_t)n, f);
    fclose(f);
    if (ok != (size_t)(n * bc->p + n)) {
        remove(path);
        return NAN;
    }
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "Rscript '%s' '%s' %lld %d %s %d", script, path, (long long)n, bc->p,
             bc->family == OCCAM_FAMILY_BINOMIAL ? "binomial" : "poisson", reps);
    fflush(stdout);
    double t0 = now(), secs = NAN;
    FILE *pipe = popen(cmd, "r");
    char line[512];
    while (pipe && fgets(line, sizeof line, pipe)) {
        printf("  %s", line);
        const char *s = strstr(line, "seconds ");
        if (s) secs = strtod(s + 8, NULL);
    }
    int rc = pipe ? pclose(pipe) : -1;
    printf("  (Rscript wall time including reading the data: %.1f s, exit %d)\n", now() - t0, rc);
    remove(path);
    return secs;
}

/* The solvers timed, the default first. */
static const int SOLVERS[] = {OCCAM_SOLVER_AUTO, OCCAM_SOLVER_QR, OCCAM_SOLVER_CHOLESKY};
enum { NSOLVERS = 3 };

static const char *solver_name(int solver)
{
    return solver == OCCAM_SOLVER_AUTO ? "auto (default)" : solver == OCCAM_SOLVER_QR ? "QR" : "Cholesky";
}

int main(int argc, char **argv)
{
    int64_t n = 1000000;
    int reps = 3, with_r = 1, which = 3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--n") == 0 && i + 1 < argc) n = atoll(argv[++i]);
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--no-r") == 0) with_r = 0;
        else if (strcmp(argv[i], "--case") == 0 && i + 1 < argc) {
            i++;
            which = strcmp(argv[i], "logistic") == 0 ? 1 : strcmp(argv[i], "poisson") == 0 ? 2 : 3;
        } else {
            fprintf(stderr, "usage: %s [--n N] [--reps R] [--threads T] [--no-r] [--case logistic|poisson|both]\n",
                    argv[0]);
            return 2;
        }
    }
    /* glm_r.R sits next to this source file */
    char script[1024];
    snprintf(script, sizeof script, "%s", __FILE__);
    char *slash = strrchr(script, '/');
    snprintf(slash ? slash + 1 : script, sizeof script - (size_t)(slash ? slash + 1 - script : 0), "glm_r.R");
    if (with_r && (access(script, R_OK) != 0 || system("command -v Rscript > /dev/null 2>&1") != 0)) with_r = 0;
    const char *thr = getenv("OPENBLAS_NUM_THREADS");
    if (threads < 1) threads = 1;
    printf("occam GLM benchmark: n = %lld, %d repetitions, occam threads %d, OPENBLAS_NUM_THREADS=%s\n",
           (long long)n, reps, threads, thr ? thr : "(unset)");
    const bench_case cases[2] = {{"logistic", OCCAM_FAMILY_BINOMIAL, 100}, {"poisson", OCCAM_FAMILY_POISSON, 20}};
    for (int c = 0; c < 2; c++) {
        if (!(which & (1 << c))) continue;
        const bench_case *bc = &cases[c];
        /* memory first, in children forked while this process holds no data */
        double xmb = (double)(n * bc->p) * 8 / 1048576.0;
        double base = child_data_mb(bc, n), peak[4];
        for (int s = 0; s < NSOLVERS; s++) peak[SOLVERS[s]] = child_peak_mb(bc, n, SOLVERS[s]);
        double *X = malloc((size_t)(n * bc->p) * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
        if (!X || !y) return 1;
        make_data(bc, n, X, y);
        printf("\n== %s: n = %lld, p = %d (+ intercept), X = %.0f MB\n", bc->name, (long long)n, bc->p, xmb);
        double med[4] = {0}, iters = 0, dev = 0;
        for (int s = 0; s < NSOLVERS; s++) {
            int solver = SOLVERS[s];
            double *t = malloc((size_t)reps * sizeof(double));
            for (int r = 0; r < reps; r++)
                if (fit_once(bc, n, X, y, solver, &t[r], &iters, &dev) != 0) return 1;
            med[solver] = median(t, reps);
            free(t);
            printf("occam %-14s: median %.3f s over %d runs, %g iterations, deviance %.10g, final solve %s\n",
                   solver_name(solver), med[solver], reps, iters, dev, used_solver == OCCAM_SOLVER_QR ? "QR" : "Cholesky");
        }
        int A = OCCAM_SOLVER_AUTO, Q = OCCAM_SOLVER_QR, C = OCCAM_SOLVER_CHOLESKY;
        int freps = reps < 5 ? 5 : reps; /* the floors are cheap: at least 5 repetitions */
        double ts = syrk_seconds(X, n, bc->p, freps, 1);
        double floor = iters * ts;
        printf("BLAS floor: %g iterations x %.4f s (one cblas_dsyrk of X) = %.3f s\n", iters, ts, floor);
        printf("ratio to floor: auto (default) %.2fx, QR %.2fx, Cholesky %.2fx\n", med[A] / floor, med[Q] / floor,
               med[C] / floor);
        if (threads > 1) {
            double tb = syrk_seconds_blas_threads(X, n, bc->p, freps, threads), fb = iters * tb;
            printf("BLAS floor with OpenBLAS on %d threads: %g iterations x %.4f s = %.3f s\n", threads, iters, tb,
                   fb);
            printf("ratio to that floor: auto %.2fx, QR %.2fx, Cholesky %.2fx\n", med[A] / fb, med[Q] / fb,
                   med[C] / fb);
            double tt = syrk_seconds(X, n, bc->p, freps, threads), ft = iters * tt;
            printf("%d-thread BLAS floor: %g iterations x %.4f s (%d cblas_dsyrk on n/%d rows at once) = %.3f s\n",
                   threads, iters, tt, threads, threads, ft);
            printf("ratio to the %d-thread floor: auto %.2fx, QR %.2fx, Cholesky %.2fx\n", threads, med[A] / ft,
                   med[Q] / ft, med[C] / ft);
        }
        for (int s = 0; s < NSOLVERS; s++) {
            double pk = peak[SOLVERS[s]];
            printf("peak RSS %-14s: %.0f MB = %.2f x X (data alone %.0f MB; fit adds %.0f MB)\n",
                   solver_name(SOLVERS[s]), pk, pk / xmb, base, pk - base);
        }
        if (with_r) {
            int rreps = reps < 3 ? reps : 3;
            printf("R's glm.fit on the same data (median of %d runs):\n", rreps);
            double rs = run_r(bc, n, X, y, script, rreps);
            printf("ratio R glm.fit / occam: auto %.1fx, QR %.1fx, Cholesky %.1fx\n", rs / med[A], rs / med[Q],
                   rs / med[C]);
        }
        free(X);
        free(y);
    }
    return 0;
}
