/*
 * bench_glm.c -- GLM fit benchmark (issues 3 and 16), everything in one run.
 *
 *   bench_glm [--n N] [--reps R] [--threads T] [--r-reps K] [--no-r] [--no-py]
 *             [--case logistic|poisson|both]
 *
 * Synthetic data, generated here with a fixed seed: a logistic GLM with
 * n = 10^6 rows and p = 100 columns, and a Poisson GLM (log link) with
 * p = 20, both with an intercept.  For each case it prints one markdown
 * table with a row per path:
 *   - occam with the auto solver (the default: Cholesky while well
 *     conditioned, else R's QR), the QR solver (R's semantics always), the
 *     Cholesky solver and the fast path (OCCAM_OPT_FAST = 1, default
 *     solver), each on 1 and on T threads (OCCAM_OPT_THREADS; default
 *     T = 2); OpenBLAS runs 1 thread during the fits
 *     (openblas_set_num_threads, found with dlsym), so that occam's threads
 *     are what is measured;
 *   - R's glm.fit (bench/glm_r.R; median of K runs, default 1 for the
 *     logistic case, which takes ~25 s a fit, and min(R, 3) for Poisson),
 *     sklearn (lbfgs, no standard errors) and statsmodels' GLM (IRLS, with
 *     standard errors) (bench/glm_py.py, one process each), on the same
 *     rows written to a binary file, when Rscript and /usr/bin/python3's
 *     packages are installed (else the row says why it did not run);
 * and the columns: threads, time (median of R fits for occam), the ratio
 * to the 1-thread BLAS floor (the R-exact fit's IRLS iterations x one
 * cblas_dsyrk of X, X'X: the least work any IRLS step does), the peak RSS
 * (getrusage ru_maxrss of a child forked before this process allocates X,
 * that builds X and fits once; R's and Python's: their own process) and
 * peak / X, the max |coefficient - R glm.fit's| (without R: against occam's
 * QR on 1 thread, and the header says so), the IRLS iterations, the solver
 * of the final system (OCCAM_INFO_SOLVER) and whether the fast path
 * produced the fit (OCCAM_INFO_FAST).  Below the table: the 2-thread
 * floors (the same cblas_dsyrk with OpenBLAS on T threads; T threads each
 * running cblas_dsyrk on n/T rows at once, stricter: OpenBLAS's own
 * threads do not split the long dimension of a 20-column X), the peak RSS
 * of a child that only builds the data, and the line
 * "T threads / 1 thread: auto ..., QR ..., Cholesky ..., fast ...".
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

#ifndef OCCAM_BENCH_DIR
#define OCCAM_BENCH_DIR "bench"
#endif

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
    const char *name, *r_family; /* r_family: glm_r.R's and glm_py.py's FAMILY */
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

/* OpenBLAS's thread count (openblas_set_num_threads); 0 when the BLAS is
 * not OpenBLAS. */
static int blas_set_threads(int nthreads)
{
    void (*set)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    if (set == NULL) return 0;
    set(nthreads);
    return 1;
}

/* One row of a case's table. */
typedef struct row {
    const char *name;
    int solver, fast, threads; /* occam rows; threads 0 for R and Python (their own) */
    int ran;                   /* 0: not run, `note` says why */
    char note[96];
    double secs, peak_mb, iter, dev, solver_used, fast_used;
    double *coef; /* p + 1, intercept first */
} row;

typedef struct config {
    int64_t n;
    int reps, threads, r_reps, with_r, with_py, which;
} config;

/* One occam fit of a row: seconds, iterations, deviance, final solver,
 * fast path used and (when coef) the coefficients. */
static int fit_once(const bench_case *bc, int64_t n, const double *X, const double *y, row *rw, double *coef,
                    double *secs)
{
    occam_model *m;
    occam_opts *o;
    if (occam_glm_new(bc->family, OCCAM_LINK_DEFAULT, &m) != OCCAM_OK) return -1;
    if (occam_opts_new(&o) != OCCAM_OK) {
        occam_model_free(m);
        return -1;
    }
    occam_opts_set_int(o, OCCAM_OPT_SOLVER, rw->solver);
    occam_opts_set_int(o, OCCAM_OPT_THREADS, rw->threads);
    occam_opts_set_int(o, OCCAM_OPT_FAST, rw->fast);
    double t0 = now();
    int rc = occam_model_fit(m, o, X, n, bc->p, n, OCCAM_COL_MAJOR, y, NULL, NULL);
    *secs = now() - t0;
    if (rc < 0) fprintf(stderr, "%s fit failed: %s (%s)\n", rw->name, occam_strerror(rc), occam_last_error());
    if (coef) occam_model_coef(m, OCCAM_COEF_ESTIMATE, coef, bc->p + 1);
    occam_model_info(m, OCCAM_INFO_ITER, &rw->iter);
    occam_model_info(m, OCCAM_INFO_DEVIANCE, &rw->dev);
    occam_model_info(m, OCCAM_INFO_SOLVER, &rw->solver_used);
    occam_model_info(m, OCCAM_INFO_FAST, &rw->fast_used);
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

/* Times an occam row: the median of reps fits; keeps the last fit's results. */
static int time_row(const bench_case *bc, int64_t n, const double *X, const double *y, row *rw, int reps)
{
    double *t = malloc((size_t)reps * sizeof(double));
    rw->coef = malloc((size_t)(bc->p + 1) * sizeof(double));
    int rc = 0;
    for (int r = 0; r < reps && rc == 0; r++) rc = fit_once(bc, n, X, y, rw, rw->coef, &t[r]);
    if (rc == 0) rw->secs = median(t, reps);
    rw->ran = rc == 0;
    if (rc != 0) snprintf(rw->note, sizeof rw->note, "fit failed");
    free(t);
    return rc;
}

/* Peak RSS (MB) of a child that builds the data and fits rw once (only
 * builds the data when rw is NULL: the baseline). */
static double child_peak_mb(const bench_case *bc, int64_t n, const row *rw)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        double *X = malloc((size_t)(n * bc->p) * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
        if (X == NULL || y == NULL) _exit(1);
        make_data(bc, n, X, y);
        row copy = rw ? *rw : (row){0};
        double s;
        _exit(rw == NULL || fit_once(bc, n, X, y, &copy, NULL, &s) == 0 ? 0 : 1);
    }
    int status;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return NAN;
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

/* The floors of a case: seconds of one X'X, 1 thread, OpenBLAS on T
 * threads (NaN when the BLAS is not OpenBLAS), T threads on n/T rows. */
typedef struct floors {
    double iter, one, blas_t, split_t;
} floors;

static floors measure_floors(const double *X, int64_t n, int p, int reps, int nthreads, double iter)
{
    int freps = reps < 5 ? 5 : reps; /* the floors are cheap: at least 5 repetitions */
    floors f = {iter, syrk_seconds(X, n, p, freps, 1), NAN, syrk_seconds(X, n, p, freps, nthreads)};
    if (blas_set_threads(nthreads)) {
        f.blas_t = syrk_seconds(X, n, p, freps, 1);
        blas_set_threads(1);
    }
    return f;
}

/* Writes X then y as little-endian doubles (glm_r.R's and glm_py.py's input). */
static int write_data(const char *path, int64_t n, int p, const double *X, const double *y)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) return -1;
    size_t ok = fwrite(X, sizeof(double), (size_t)(n * p), f) + fwrite(y, sizeof(double), (size_t)n, f);
    return fclose(f) == 0 && ok == (size_t)(n * p + n) ? 0 : -1;
}

/* Runs cmd, echoes its lines but the one "RESULT name secs peak_mb iter
 * dev coef_0 ... coef_p", which fills rw; returns 1 when it did. */
static int run_ext(const char *cmd, int p, row *rw)
{
    fflush(stdout);
    FILE *pipe = popen(cmd, "r");
    if (pipe == NULL) return 0;
    static char line[1 << 16];
    char name[64];
    while (fgets(line, sizeof line, pipe)) {
        int used = 0;
        if (strncmp(line, "RESULT ", 7) != 0 ||
            sscanf(line + 7, "%63s %lf %lf %lf %lf%n", name, &rw->secs, &rw->peak_mb, &rw->iter, &rw->dev,
                   &used) != 5) {
            printf("  %s: %s", rw->name, line);
            continue;
        }
        rw->coef = malloc((size_t)(p + 1) * sizeof(double));
        char *s = line + 7 + used;
        for (int j = 0; j <= p; j++) rw->coef[j] = strtod(s, &s);
        rw->ran = 1;
    }
    int rc = pclose(pipe);
    if (!rw->ran) snprintf(rw->note, sizeof rw->note, "no result (exit status %d)", rc);
    return rw->ran;
}

static void run_r(const bench_case *bc, int64_t n, const char *path, int reps, row *rw)
{
    if (system("command -v Rscript > /dev/null 2>&1") != 0) {
        snprintf(rw->note, sizeof rw->note, "not run: Rscript not found");
        return;
    }
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "Rscript '%s/glm_r.R' '%s' %lld %d %s %d", OCCAM_BENCH_DIR, path, (long long)n, bc->p,
             bc->r_family, reps);
    printf("R glm.fit, median of %d run%s...\n", reps, reps > 1 ? "s" : "");
    run_ext(cmd, bc->p, rw);
}

static void run_py(const bench_case *bc, int64_t n, const char *path, const char *method, row *rw)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/glm_py.py' '%s' %lld %d %s %s", OCCAM_BENCH_DIR, path,
             (long long)n, bc->p, bc->r_family, method);
    printf("%s...\n", rw->name);
    if (!run_ext(cmd, bc->p, rw)) snprintf(rw->note, sizeof rw->note, "not run (see the line above)");
}

/* R, sklearn and statsmodels rows (ext[0..2]) on the case's rows. */
static void run_externals(const config *cf, const bench_case *bc, const double *X, const double *y, row *ext)
{
    snprintf(ext[0].note, sizeof ext[0].note, "not run (--no-r)");
    snprintf(ext[1].note, sizeof ext[1].note, "not run (--no-py)");
    snprintf(ext[2].note, sizeof ext[2].note, "not run (--no-py)");
    if (!cf->with_r && !cf->with_py) return;
    char path[256];
    snprintf(path, sizeof path, "/tmp/occam_bench_glm_%d_%s.bin", (int)getpid(), bc->name);
    if (write_data(path, cf->n, bc->p, X, y) != 0) {
        for (int i = 0; i < 3; i++) snprintf(ext[i].note, sizeof ext[i].note, "not run: cannot write %s", path);
        remove(path);
        return;
    }
    int r_reps = cf->r_reps > 0 ? cf->r_reps : bc->family == OCCAM_FAMILY_BINOMIAL ? 1 : cf->reps < 3 ? cf->reps : 3;
    if (cf->with_r) run_r(bc, cf->n, path, r_reps, &ext[0]);
    if (cf->with_py) {
        run_py(bc, cf->n, path, "sklearn", &ext[1]);
        run_py(bc, cf->n, path, "statsmodels", &ext[2]);
    }
    remove(path);
}

static double maxdiff(const double *a, const double *b, int k)
{
    double d = 0;
    for (int j = 0; j < k; j++) d = fmax(d, fabs(a[j] - b[j]));
    return d;
}

static const char *solver_label(double s)
{
    return s == OCCAM_SOLVER_QR ? "QR" : s == OCCAM_SOLVER_CHOLESKY ? "Cholesky" : "?";
}

static void print_row(const row *rw, const bench_case *bc, const double *ref, double floor1, double xmb)
{
    char thr[16] = "own";
    if (rw->threads) snprintf(thr, sizeof thr, "%d", rw->threads);
    if (!rw->ran) {
        printf("| %s | %s | %s | | | | | | | | |\n", rw->name, thr, rw->note);
        return;
    }
    char solver[16] = "-", fast[8] = "-", peak[32] = "? | ?", ratio[16] = "?";
    if (rw->threads) {
        snprintf(solver, sizeof solver, "%s", solver_label(rw->solver_used));
        snprintf(fast, sizeof fast, "%s", rw->fast_used == 1 ? "yes" : "no");
    }
    if (!isnan(rw->peak_mb)) snprintf(peak, sizeof peak, "%.0f | %.2f", rw->peak_mb, rw->peak_mb / xmb);
    if (floor1 > 0) snprintf(ratio, sizeof ratio, "%.2f", rw->secs / floor1);
    printf("| %s | %s | %.3f | %s | %s | %.2g | %g | %.12g | %s | %s |\n", rw->name, thr, rw->secs, ratio, peak,
           ref ? maxdiff(rw->coef, ref, bc->p + 1) : NAN, rw->iter, rw->dev, solver, fast);
}

/* The occam rows: each solver (and the fast path) on 1 and T threads. */
enum { NPATHS = 4, NOCCAM = 2 * NPATHS, NEXT = 3 };
static const char *const PATH_NAMES[NPATHS] = {"auto (default)", "QR", "Cholesky", "fast (OCCAM_OPT_FAST)"};
static const char *const PATH_SHORT[NPATHS] = {"auto", "QR", "Cholesky", "fast"};
static const int PATH_SOLVER[NPATHS] = {OCCAM_SOLVER_AUTO, OCCAM_SOLVER_QR, OCCAM_SOLVER_CHOLESKY,
                                         OCCAM_SOLVER_AUTO};
static const int PATH_FAST[NPATHS] = {0, 0, 0, 1};

static void init_rows(row *rows, int nthreads)
{
    for (int k = 0; k < NOCCAM; k++) {
        int path = k / 2;
        rows[k] = (row){.name = PATH_NAMES[path], .solver = PATH_SOLVER[path], .fast = PATH_FAST[path],
                        .threads = k % 2 ? nthreads : 1};
    }
    rows[NOCCAM] = (row){.name = "R glm.fit"};
    rows[NOCCAM + 1] = (row){.name = "sklearn lbfgs (no SEs)"};
    rows[NOCCAM + 2] = (row){.name = "statsmodels GLM"};
}

static void print_table(const bench_case *bc, int64_t n, const row *rows, const floors *f, double xmb)
{
    const row *r_row = &rows[NOCCAM], *qr1 = &rows[2];
    const double *ref = r_row->ran ? r_row->coef : qr1->ran ? qr1->coef : NULL;
    double floor1 = f->iter * f->one;
    printf("\n== %s: n = %lld, p = %d (+ intercept), X = %.0f MB; floor = %g iterations (auto, 1 thread) x "
           "%.4f s (one cblas_dsyrk of X, 1 thread) = %.3f s\n\n",
           bc->name, (long long)n, bc->p, xmb, f->iter, f->one, floor1);
    printf("| path | threads | time (s) | / floor | peak RSS (MB) | peak / X | max abs(coef - %s) | iterations "
           "| deviance | final solver | fast path used |\n",
           r_row->ran ? "R glm.fit" : "occam QR 1 thread; R not run");
    printf("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (int k = 0; k < NOCCAM + NEXT; k++) print_row(&rows[k], bc, ref, floor1, xmb);
}

static void print_floors_and_ratios(const row *rows, const floors *f, double xmb, double base_mb, int nthreads)
{
    printf("\n%d-thread floors: OpenBLAS on %d threads %g x ", nthreads, nthreads, f->iter);
    if (isnan(f->blas_t)) printf("? (the BLAS is not OpenBLAS)");
    else printf("%.4f s = %.3f s", f->blas_t, f->iter * f->blas_t);
    printf("; %d threads each running cblas_dsyrk on n/%d rows %g x %.4f s = %.3f s\n", nthreads, nthreads, f->iter,
           f->split_t, f->iter * f->split_t);
    printf("data alone (a child that only builds X and y): peak RSS %.0f MB = %.2f x X (X = %.0f MB)\n", base_mb,
           base_mb / xmb, xmb);
    printf("%d threads / 1 thread:", nthreads);
    for (int path = 0; path < NPATHS; path++) {
        const row *one = &rows[2 * path], *many = &rows[2 * path + 1];
        if (one->ran && many->ran) printf("%s %s %.2f", path ? "," : "", PATH_SHORT[path], many->secs / one->secs);
        else printf("%s %s ?", path ? "," : "", PATH_SHORT[path]);
    }
    printf("\n");
}

/* One case: memory (children first, before X is allocated here), the
 * occam rows, the floors, R and Python, the table. */
static int run_case(const config *cf, const bench_case *bc)
{
    int64_t n = cf->n;
    double xmb = (double)(n * bc->p) * 8 / 1048576.0;
    row rows[NOCCAM + NEXT];
    init_rows(rows, cf->threads);
    printf("\n%s: peak RSS of the occam rows (one forked child each)...\n", bc->name);
    double base_mb = child_peak_mb(bc, n, NULL);
    for (int k = 0; k < NOCCAM; k++) rows[k].peak_mb = child_peak_mb(bc, n, &rows[k]);
    double *X = malloc((size_t)(n * bc->p) * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
    if (X == NULL || y == NULL) return -1;
    make_data(bc, n, X, y);
    printf("%s: timing the occam rows (median of %d)...\n", bc->name, cf->reps);
    for (int k = 0; k < NOCCAM; k++) time_row(bc, n, X, y, &rows[k], cf->reps);
    floors f = measure_floors(X, n, bc->p, cf->reps, cf->threads, rows[0].iter);
    run_externals(cf, bc, X, y, &rows[NOCCAM]);
    free(X);
    free(y);
    print_table(bc, n, rows, &f, xmb);
    print_floors_and_ratios(rows, &f, xmb, base_mb, cf->threads);
    for (int k = 0; k < NOCCAM + NEXT; k++) free(rows[k].coef);
    return 0;
}

static int parse_args(int argc, char **argv, config *cf)
{
    *cf = (config){.n = 1000000, .reps = 3, .threads = 2, .r_reps = 0, .with_r = 1, .with_py = 1, .which = 3};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--no-r") == 0) cf->with_r = 0;
        else if (strcmp(a, "--no-py") == 0) cf->with_py = 0;
        else if (v == NULL) return -1;
        else if (strcmp(a, "--n") == 0) cf->n = atoll(v), i++;
        else if (strcmp(a, "--reps") == 0) cf->reps = atoi(v), i++;
        else if (strcmp(a, "--threads") == 0) cf->threads = atoi(v), i++;
        else if (strcmp(a, "--r-reps") == 0) cf->r_reps = atoi(v), i++;
        else if (strcmp(a, "--case") == 0) {
            cf->which = strcmp(v, "logistic") == 0 ? 1 : strcmp(v, "poisson") == 0 ? 2 : strcmp(v, "both") == 0 ? 3 : 0;
            i++;
        } else return -1;
    }
    return cf->n > 0 && cf->reps > 0 && cf->threads > 0 && cf->which != 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    config cf;
    if (parse_args(argc, argv, &cf) != 0) {
        fprintf(stderr,
                "usage: %s [--n N] [--reps R] [--threads T] [--r-reps K] [--no-r] [--no-py] "
                "[--case logistic|poisson|both]\n",
                argv[0]);
        return 2;
    }
    int openblas = blas_set_threads(1); /* occam's threads are what is measured */
    printf("occam GLM benchmark: n = %lld, median of %d, occam on 1 and %d threads, OpenBLAS %s\n",
           (long long)cf.n, cf.reps, cf.threads,
           openblas ? "set to 1 thread for the fits" : "not found (set OPENBLAS_NUM_THREADS=1 yourself)");
    const bench_case cases[2] = {{"logistic", "binomial", OCCAM_FAMILY_BINOMIAL, 100},
                                 {"poisson", "poisson", OCCAM_FAMILY_POISSON, 20}};
    for (int c = 0; c < 2; c++)
        if ((cf.which & (1 << c)) && run_case(&cf, &cases[c]) != 0) return 1;
    return 0;
}
