#define _XOPEN_SOURCE 700 /* mkdtemp, setrlimit */
/*
 * soak.c -- fit, save, load and predict for a fixed number of rounds under
 * a low address-space limit (issue 15 point 11), checking every status:
 *
 *  1. a forked child sets RLIMIT_AS (ulimit -v) to its current size plus
 *     256 MiB and runs 100 rounds: a GLM fit on 49,600 rows, set_names,
 *     save, load, predict, serialize, free.  A model leaked per round
 *     (about 4 MiB) would exhaust the limit within the rounds and turn into
 *     OCCAM_E_NOMEM, which fails the test;
 *  2. then it lowers the limit to its size plus 1 MiB, where a fit, a save
 *     and a load of that model cannot get their memory: each must return
 *     OCCAM_E_NOMEM (not crash), the model must keep its earlier state and
 *     the model file its bytes.
 * ASan reserves terabytes of shadow address space, so the sanitize build
 * runs the rounds without the limit and skips part 2 (LeakSanitizer checks
 * the rounds for leaks at the child's exit instead).
 *
 * References: R 4.2.2's glm() on infert (tests/data/glm/
 * infert_binomial_logit.json), its 248 rows each repeated 200 times: the
 * maximum-likelihood estimates are R's (relative 1e-6, check_glm.c's
 * tolerance), the standard errors R's divided by sqrt(200) (the information
 * matrix is 200 times R's; 1e-6), the fitted values R's (1e-6); a loaded
 * model predicts bit-identically to the model saved (docs/api.md).
 */
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "glm_case.h"

enum { REPEAT = 200, ROUNDS = 100 };

#if defined(__SANITIZE_ADDRESS__)
#define SOAK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SOAK_ASAN 1
#endif
#endif
#ifndef SOAK_ASAN
#define SOAK_ASAN 0
#endif

static int report_fd = -1;

/* In the child: report the first failed check on the pipe and exit 1. */
static void require(int ok, const char *fmt, ...)
{
    if (ok) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (len > 0 && write(report_fd, msg, (size_t)len < sizeof msg ? (size_t)len : sizeof msg - 1) < 0) _exit(3);
    _exit(1);
}

static void require_status(int got, int want, const char *call, int round)
{
    require(got == want, "round %d: %s returned %s, expected %s (%s)", round, call, occam_status_name(got),
            occam_status_name(want), occam_last_error());
}

static size_t address_space(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    require(f != NULL && fscanf(f, "%lu", &pages) == 1, "cannot read /proc/self/statm");
    fclose(f);
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* The soft limit only, so that it can be raised again. */
static void limit_address_space(rlim_t bytes)
{
    struct rlimit rl;
    require(getrlimit(RLIMIT_AS, &rl) == 0, "getrlimit(RLIMIT_AS) failed");
    rl.rlim_cur = bytes;
    require(setrlimit(RLIMIT_AS, &rl) == 0, "setrlimit(RLIMIT_AS) failed");
}

static unsigned char *read_file(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    require(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)*size);
    require(b != NULL && fread(b, 1, (size_t)*size, f) == (size_t)*size, "cannot read %s", path);
    fclose(f);
    return b;
}

typedef struct data {
    int64_t n, p;
    double *X, *y, *w;
    const char *names[8];
    double coef[8], se[8], mu_head[16];
    int64_t k, nhead;
    const glm_case *c;
} data;

static occam_model *fit(const data *d, int round, int want)
{
    occam_model *m = NULL;
    require_status(occam_glm_new(d->c->family, d->c->link, &m), OCCAM_OK, "occam_glm_new", round);
    require_status(occam_model_set_names(m, d->names, d->p), OCCAM_OK, "occam_model_set_names", round);
    /* the files keep the fit's rows (OCCAM_OPT_KEEP_DATA, 5 doubles per row): large enough that a save or
     * load with 1 MiB to spare must fail */
    occam_opts *o = NULL;
    require_status(occam_opts_new(&o), OCCAM_OK, "occam_opts_new", round);
    require_status(occam_opts_set_int(o, OCCAM_OPT_KEEP_DATA, 1), OCCAM_OK, "occam_opts_set_int", round);
    int rc = occam_model_fit(m, o, d->X, d->n, d->p, d->n, OCCAM_COL_MAJOR, d->y, NULL, NULL);
    occam_opts_free(o);
    require_status(rc, want, "occam_model_fit", round);
    return m;
}

static double rel(double a, double b) { return fabs(a - b) / fmax(fabs(b), 1e-300); }

static void check_fit(const data *d, const occam_model *m, int round)
{
    double est[8], se[8];
    require_status(occam_model_coef(m, OCCAM_COEF_ESTIMATE, est, d->k), OCCAM_OK, "occam_model_coef", round);
    require_status(occam_model_coef(m, OCCAM_COEF_STD_ERROR, se, d->k), OCCAM_OK, "occam_model_coef", round);
    for (int64_t j = 0; j < d->k; j++) {
        require(rel(est[j], d->coef[j]) <= 1e-6, "round %d: coefficient %lld %.17g, R %.17g", round, (long long)j,
                est[j], d->coef[j]);
        require(rel(se[j], d->se[j]) <= 1e-6, "round %d: std. error %lld %.17g, R / sqrt(%d) %.17g", round,
                (long long)j, se[j], REPEAT, d->se[j]);
    }
}

static void rounds(const data *d, const char *path, double *mu, double *mu2)
{
    for (int r = 0; r < ROUNDS; r++) {
        occam_model *m = fit(d, r, OCCAM_OK), *back = NULL;
        check_fit(d, m, r);
        require_status(occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, d->X, d->n, d->p, d->n, OCCAM_COL_MAJOR,
                                           NULL, mu, NULL, d->n),
                       OCCAM_OK, "occam_model_predict", r);
        for (int64_t i = 0; i < d->nhead; i++)
            require(rel(mu[i], d->mu_head[i]) <= 1e-6, "round %d: fitted value %lld %.17g, R %.17g", r,
                    (long long)i, mu[i], d->mu_head[i]);
        require_status(occam_model_save(m, path), OCCAM_OK, "occam_model_save", r);
        require_status(occam_model_load(path, &back), OCCAM_OK, "occam_model_load", r);
        require_status(occam_model_predict(back, OCCAM_PREDICT_RESPONSE, 0, d->X, d->n, d->p, d->n,
                                           OCCAM_COL_MAJOR, NULL, mu2, NULL, d->n),
                       OCCAM_OK, "occam_model_predict (loaded)", r);
        require(memcmp(mu, mu2, (size_t)d->n * sizeof *mu) == 0, "round %d: the loaded model predicts differently", r);
        check_fit(d, back, r);
        size_t need = 0;
        require_status(occam_model_serialize(back, NULL, 0, &need), OCCAM_E_BUFFER_TOO_SMALL,
                       "occam_model_serialize (size)", r);
        occam_model_free(back);
        occam_model_free(m);
    }
}

/* Part 2: with 1 MiB to spare, fit, save and load fail cleanly. */
static void starved(const data *d, const char *path)
{
    occam_model *m = NULL;
    require_status(occam_model_load(path, &m), OCCAM_OK, "occam_model_load", -1);
    long size = 0, size2 = 0;
    unsigned char *before = read_file(path, &size);
    occam_model *fresh = NULL;
    require_status(occam_glm_new(d->c->family, d->c->link, &fresh), OCCAM_OK, "occam_glm_new", -1);
    limit_address_space((rlim_t)(address_space() + ((size_t)1 << 20)));
    require_status(occam_model_fit(fresh, NULL, d->X, d->n, d->p, d->n, OCCAM_COL_MAJOR, d->y, NULL, NULL),
                   OCCAM_E_NOMEM, "occam_model_fit (starved)", -1);
    require(occam_model_is_fitted(fresh) == 0, "a failed fit left the model fitted");
    require_status(occam_model_save(m, path), OCCAM_E_NOMEM, "occam_model_save (starved)", -1);
    occam_model *back = NULL;
    require_status(occam_model_load(path, &back), OCCAM_E_NOMEM, "occam_model_load (starved)", -1);
    require(back == NULL, "a failed load returned a model");
    limit_address_space(RLIM_INFINITY);
    unsigned char *after = read_file(path, &size2);
    require(size2 == size && memcmp(before, after, (size_t)size) == 0, "the model file changed after a failed save");
    free(before);
    free(after);
    require_status(occam_model_load(path, &back), OCCAM_OK, "occam_model_load (after)", -1);
    check_fit(d, back, -1);
    occam_model_free(back);
    occam_model_free(fresh);
    occam_model_free(m);
}

START_TEST(test_soak_low_address_space)
{
    glm_case c = glm_load_case("glm/infert_binomial_logit.json");
    ck_assert_int_eq(c.has_w, 0);
    data d = {.n = c.n * REPEAT, .p = c.p, .c = &c};
    d.X = malloc((size_t)(d.n * d.p) * sizeof *d.X);
    d.y = malloc((size_t)d.n * sizeof *d.y);
    for (int64_t rep = 0; rep < REPEAT; rep++)
        for (int64_t i = 0; i < c.n; i++) {
            d.y[rep * c.n + i] = c.y[i];
            for (int64_t j = 0; j < c.p; j++) d.X[j * d.n + rep * c.n + i] = c.X[j * c.n + i];
        }
    const cJSON *names = tu_json_get(c.j, "coef_names");
    int64_t k = 0, nh = 0;
    double *coef = tu_json_array(tu_json_get(c.j, "coefficients"), &k);
    double *se = tu_json_array(tu_json_get(c.j, "std_errors"), &k);
    double *head = tu_json_array(tu_json_get(c.j, "fitted_values_head"), &nh);
    ck_assert_int_eq(k, c.p + 1);
    d.k = k;
    d.nhead = nh < 16 ? nh : 16;
    for (int64_t j = 0; j < k; j++) {
        d.coef[j] = coef[j];
        d.se[j] = se[j] / sqrt((double)REPEAT);
        if (j > 0) d.names[j - 1] = cJSON_GetArrayItem(names, (int)j)->valuestring;
    }
    for (int64_t i = 0; i < d.nhead; i++) d.mu_head[i] = head[i];
    char dir[] = "/tmp/occam_soak_XXXXXX", path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/model.occam", dir);
    double *mu = malloc((size_t)d.n * sizeof *mu), *mu2 = malloc((size_t)d.n * sizeof *mu2);

    int pipefd[2];
    ck_assert_int_eq(pipe(pipefd), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(pipefd[0]);
        report_fd = pipefd[1];
        if (!SOAK_ASAN) limit_address_space((rlim_t)(address_space() + ((size_t)256 << 20)));
        rounds(&d, path, mu, mu2);
        if (!SOAK_ASAN) starved(&d, path);
        exit(0); /* exit, not _exit: LeakSanitizer runs at exit in the sanitize build */
    }
    close(pipefd[1]);
    char msg[512] = "";
    ssize_t got = read(pipefd[0], msg, sizeof msg - 1);
    msg[got > 0 ? got : 0] = '\0';
    close(pipefd[0]);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "soak child: %s (status %d)",
                  msg[0] ? msg : "no message (a crash, or LeakSanitizer found a leak)", status);
    fprintf(stderr, "soak: %d rounds of fit/save/load/predict on %lld rows%s\n", ROUNDS, (long long)d.n,
            SOAK_ASAN ? " (ASan: no address-space limit, leaks checked by LeakSanitizer)"
                      : " under RLIMIT_AS = size + 256 MiB; fit/save/load with 1 MiB to spare: OCCAM_E_NOMEM");
    unlink(path);
    rmdir(dir);
    free(mu);
    free(mu2);
    free(coef);
    free(se);
    free(head);
    free(d.X);
    free(d.y);
    glm_case_free(&c);
}
END_TEST

static Suite *soak_suite(void)
{
    Suite *s = suite_create("soak");
    TCase *tc = tcase_create("fit/save/load/predict");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_soak_low_address_space);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(soak_suite()); }
