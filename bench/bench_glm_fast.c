/*
 * bench_glm_fast.c -- the fast GLM path (OCCAM_OPT_FAST, issue 16 point 2)
 * against the R-exact path, R's glm.fit, sklearn and statsmodels.
 *
 *   bench_glm_fast [--n N] [--p P] [--reps R] [--no-r] [--no-py]
 *
 * Data: bench_glm.c's logistic case (same generator and seed: X standard
 * normal, n = 10^6, p = 100, an intercept).  Prints, for occam's fast path
 * (final solver QR and Cholesky) on 1 and 2 threads (OCCAM_OPT_THREADS;
 * OpenBLAS set to 1 thread with openblas_set_num_threads), and for the
 * R-exact Cholesky path on 2 threads: the median wall time over R
 * repetitions, the ratio to the floor, the peak resident memory of a
 * child that builds the data and fits once (against the size of X), and
 * the max |coefficient - R's| (R's glm.fit on the same rows, in the same
 * run, bench/glm_fast_r.R; without R: against the R-exact QR path).
 * The floor is one cblas_dsyrk of X (X'X: one full X'WX, the least any
 * path that reports SEs from X'WX at the MLE does) on the same threads.
 * bench/glm_py.py fits sklearn's LogisticRegression(penalty=None, lbfgs)
 * and statsmodels' GLM(Binomial) on the same binary file when /usr/bin/python3
 * has them (python3-sklearn, python3-statsmodels), else says so.
 * Timings are measured, never asserted.
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

/* bench_glm.c's generator (same constants: the same rows). */
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

static void make_data(int64_t n, int p, double *X, double *y)
{
    rng_state = 20240611u + (uint64_t)p;
    for (int64_t i = 0; i < n * p; i++) X[i] = normal();
    double *beta = malloc((size_t)p * sizeof(double));
    for (int j = 0; j < p; j++) beta[j] = (j % 2 ? -1.0 : 1.0) * 0.5 / sqrt((double)p) * (1 + (j % 5) / 5.0);
    for (int64_t i = 0; i < n; i++) {
        double eta = -0.5;
        for (int j = 0; j < p; j++) eta += X[i + (int64_t)j * n] * beta[j];
        y[i] = unif() < 1 / (1 + exp(-eta)) ? 1 : 0;
    }
    free(beta);
}

typedef struct method {
    const char *name;
    int fast, solver, threads;
    double secs, peak_mb, iter, used_fast, maxdiff;
    double *coef;
} method;

static int fit_once(int64_t n, int p, const double *X, const double *y, const method *mt, double *coef,
                    double *secs, double *iter, double *used_fast)
{
    occam_model *m;
    occam_opts *o;
    if (occam_glm_new(OCCAM_FAMILY_BINOMIAL, OCCAM_LINK_LOGIT, &m) != OCCAM_OK || occam_opts_new(&o) != OCCAM_OK)
        return -1;
    occam_opts_set_int(o, OCCAM_OPT_SOLVER, mt->solver);
    occam_opts_set_int(o, OCCAM_OPT_THREADS, mt->threads);
    occam_opts_set_int(o, OCCAM_OPT_FAST, mt->fast);
    double t0 = now();
    int rc = occam_model_fit(m, o, X, n, p, n, OCCAM_COL_MAJOR, y, NULL, NULL);
    *secs = now() - t0;
    if (rc < 0) fprintf(stderr, "fit failed: %s (%s)\n", occam_strerror(rc), occam_last_error());
    if (coef) occam_model_coef(m, OCCAM_COEF_ESTIMATE, coef, p + 1);
    occam_model_info(m, OCCAM_INFO_ITER, iter);
    occam_model_info(m, OCCAM_INFO_FAST, used_fast);
    occam_opts_free(o);
    occam_model_free(m);
    return rc < 0 ? -1 : 0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void blas_threads(int t)
{
    void (*set)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    if (set) set(t);
}

/* Peak RSS (MB) of a child that builds the data (and fits once when mt). */
static double child_peak_mb(int64_t n, int p, const method *mt)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        double *X = malloc((size_t)(n * p) * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
        make_data(n, p, X, y);
        double s, it, f;
        if (mt) fit_once(n, p, X, y, mt, NULL, &s, &it, &f);
        _exit(0);
    }
    int status;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) return NAN;
    return (double)ru.ru_maxrss / 1024.0;
}

/* One dsyrk of X (n x p) on `nt` threads (each n/nt rows into its own C). */
typedef struct syrk_job {
    const double *X;
    int64_t n, i0, i1;
    int p;
    double *C;
} syrk_job;

static void *syrk_rows(void *arg)
{
    syrk_job *j = arg;
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, j->p, (int)(j->i1 - j->i0), 1.0, j->X + j->i0, (int)j->n, 0.0,
                j->C, j->p);
    return NULL;
}

static double syrk_seconds(const double *X, int64_t n, int p, int nt, int reps)
{
    double best = INFINITY;
    for (int r = 0; r < reps; r++) {
        syrk_job jobs[8];
        pthread_t th[8];
        double t0 = now();
        for (int t = 0; t < nt; t++) {
            jobs[t] = (syrk_job){X, n, n * t / nt, n * (t + 1) / nt, p, malloc((size_t)(p * p) * sizeof(double))};
            if (t > 0) pthread_create(&th[t], NULL, syrk_rows, &jobs[t]);
        }
        syrk_rows(&jobs[0]);
        for (int t = 1; t < nt; t++) pthread_join(th[t], NULL);
        double s = now() - t0;
        for (int t = 0; t < nt; t++) free(jobs[t].C);
        if (s < best) best = s;
    }
    return best;
}

/* Run a command, echo its output, return the coefficients of the line that
 * starts with `tag` ("name coef c0 c1 ...") into out[idx] and its seconds/peak. */
typedef struct ext_result {
    char name[64];
    double secs, peak_mb, iter;
    double *coef;
} ext_result;

static int run_ext(const char *cmd, int p, ext_result *res, int max)
{
    fflush(stdout);
    FILE *pipe = popen(cmd, "r");
    if (pipe == NULL) return 0;
    int nres = 0;
    static char line[1 << 16];
    while (fgets(line, sizeof line, pipe)) {
        if (strncmp(line, "RESULT ", 7) != 0) {
            printf("  %s", line);
            continue;
        }
        if (nres >= max) continue;
        ext_result *r = &res[nres];
        int used = 0;
        if (sscanf(line + 7, "%63s %lf %lf %lf%n", r->name, &r->secs, &r->peak_mb, &r->iter, &used) != 4) continue;
        r->coef = malloc((size_t)(p + 1) * sizeof(double));
        char *s = line + 7 + used;
        for (int j = 0; j <= p; j++) r->coef[j] = strtod(s, &s);
        nres++;
    }
    pclose(pipe);
    return nres;
}

static double maxdiff(const double *a, const double *b, int k)
{
    double d = 0;
    for (int j = 0; j < k; j++) d = fmax(d, fabs(a[j] - b[j]));
    return d;
}

int main(int argc, char **argv)
{
    int64_t n = 1000000;
    int p = 100, reps = 3, with_r = 1, with_py = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--n") == 0 && i + 1 < argc) n = atoll(argv[++i]);
        else if (strcmp(argv[i], "--p") == 0 && i + 1 < argc) p = atoi(argv[++i]);
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--no-r") == 0) with_r = 0;
        else if (strcmp(argv[i], "--no-py") == 0) with_py = 0;
        else {
            fprintf(stderr, "usage: %s [--n N] [--p P] [--reps R] [--no-r] [--no-py]\n", argv[0]);
            return 2;
        }
    }
    blas_threads(1);
    double xmb = (double)n * p * 8 / 1048576.0;
    printf("bench_glm_fast: logistic n = %lld, p = %d (+ intercept), X = %.0f MB, median of %d\n", (long long)n, p,
           xmb, reps);
    method ms[] = {
        {"occam exact QR", 0, OCCAM_SOLVER_QR, 1},      {"occam exact Cholesky", 0, OCCAM_SOLVER_CHOLESKY, 2},
        {"occam fast QR", 1, OCCAM_SOLVER_QR, 1},       {"occam fast QR", 1, OCCAM_SOLVER_QR, 2},
        {"occam fast Cholesky", 1, OCCAM_SOLVER_CHOLESKY, 1}, {"occam fast Cholesky", 1, OCCAM_SOLVER_CHOLESKY, 2},
    };
    int nm = (int)(sizeof ms / sizeof ms[0]);
    /* peak memory first, in children forked before this process holds X */
    double base_mb = child_peak_mb(n, p, NULL);
    for (int i = 0; i < nm; i++) ms[i].peak_mb = child_peak_mb(n, p, &ms[i]);
    double *X = malloc((size_t)(n * p) * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
    if (!X || !y) return 1;
    make_data(n, p, X, y);
    double floor1 = syrk_seconds(X, n, p, 1, reps), floor2 = syrk_seconds(X, n, p, 2, reps);
    printf("floor: one dsyrk of X: %.3f s on 1 thread, %.3f s on 2 threads\n", floor1, floor2);

    for (int i = 0; i < nm; i++) {
        method *mt = &ms[i];
        mt->coef = malloc((size_t)(p + 1) * sizeof(double));
        int r = mt->fast ? reps : 1; /* the exact paths once: they are the slow reference */
        double *t = malloc((size_t)r * sizeof(double));
        for (int k = 0; k < r; k++)
            if (fit_once(n, p, X, y, mt, mt->coef, &t[k], &mt->iter, &mt->used_fast) != 0) return 1;
        qsort(t, (size_t)r, sizeof *t, cmp_d);
        mt->secs = t[r / 2];
        free(t);
        printf("  %-22s %d thread%s: %.3f s (fast path used: %g, final IRLS iterations %g)\n", mt->name, mt->threads,
               mt->threads > 1 ? "s" : "", mt->secs, mt->used_fast, mt->iter);
    }

    ext_result ext[4];
    int next = 0;
    const double *ref = ms[0].coef;
    const char *refname = "occam exact QR (no R run)";
    char path[256];
    snprintf(path, sizeof path, "/tmp/occam_bench_glm_fast_%d.bin", (int)getpid());
    if (with_r || with_py) {
        FILE *f = fopen(path, "wb");
        if (f == NULL) return 1;
        fwrite(X, sizeof(double), (size_t)(n * p), f);
        fwrite(y, sizeof(double), (size_t)n, f);
        fclose(f);
    }
    char cmd[1024];
    if (with_r && system("command -v Rscript > /dev/null 2>&1") == 0) {
        snprintf(cmd, sizeof cmd, "Rscript '%s/glm_fast_r.R' '%s' %lld %d", OCCAM_BENCH_DIR, path, (long long)n, p);
        printf("R glm.fit on the same rows (slow: about a minute)...\n");
        int got = run_ext(cmd, p, ext + next, 4 - next);
        if (got > 0) {
            ref = ext[next].coef;
            refname = "R glm.fit";
        }
        next += got;
    } else if (with_r) {
        printf("Rscript not found: coefficients compared with occam's exact QR path\n");
    }
    if (with_py) {
        snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/glm_py.py' '%s' %lld %d", OCCAM_BENCH_DIR, path, (long long)n,
                 p);
        next += run_ext(cmd, p, ext + next, 4 - next);
    }
    remove(path);

    printf("\n| method | threads | time (s) | ratio to floor (1 dsyrk, same threads) | peak RSS (MB) | peak / X "
           "| max abs(coef - %s) |\n|---|---|---|---|---|---|---|\n", refname);
    for (int i = 0; i < nm; i++) {
        method *mt = &ms[i];
        double fl = mt->threads > 1 ? floor2 : floor1;
        printf("| %s%s | %d | %.3f | %.2f | %.0f | %.2f | %.2g |\n", mt->name, mt->fast && !mt->used_fast ?
               " (fell back)" : "", mt->threads, mt->secs, mt->secs / fl, mt->peak_mb, mt->peak_mb / xmb,
               maxdiff(mt->coef, ref, p + 1));
    }
    for (int i = 0; i < next; i++)
        printf("| %s | %s | %.3f | %.2f | %.0f | %.2f | %.2g |\n", ext[i].name, "(own)", ext[i].secs,
               ext[i].secs / floor1, ext[i].peak_mb, ext[i].peak_mb / xmb, maxdiff(ext[i].coef, ref, p + 1));
    printf("(data alone: peak %.0f MB; floor 1 thread %.3f s, 2 threads %.3f s)\n", base_mb, floor1, floor2);
    free(X);
    free(y);
    return 0;
}
