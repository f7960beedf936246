/*
 * cli_common.c -- what every subcommand shares: one-line errors, getopt_long
 * helpers, number and list parsing, loading X/y/weights/offset from a table,
 * the --coef-csv writer and --save.  (R-style printing is in cli_rprint.c.)
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <csv.h>
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "cli.h"

/* ------------------------------------------------------------ errors */

/* The process's output settings (cli_set_reporting, cli_capture_messages):
 * the CLI program's, never the library's. */
static int reporting = 1;
static char *capture;
static size_t capture_cap;

void cli_set_reporting(int on) { reporting = on; }
int cli_reporting(void) { return reporting; }

void cli_capture_messages(char *buf, size_t cap)
{
    capture = cap > 0 ? buf : NULL;
    capture_cap = cap;
    if (capture)
        capture[0] = '\0';
}

/* Print "occam: " + the formatted message as one line on stderr. */
static void vprint_line(const char *prefix, const char *fmt, va_list ap, const char *suffix)
{
    char msg[2048];
    int len = vsnprintf(msg, sizeof msg, fmt, ap);
    if (len < 0)
        msg[0] = '\0';
    for (char *c = msg; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    if (capture) {
        if (!capture[0])
            snprintf(capture, capture_cap, "occam: %s%s%s", prefix, msg, suffix ? suffix : "");
        return;
    }
    if (reporting)
        fprintf(stderr, "occam: %s%s%s\n", prefix, msg, suffix ? suffix : "");
}

int cli_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint_line("", fmt, ap, NULL);
    va_end(ap);
    return code;
}

void cli_blas_single_thread(void)
{
    void (*set)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    if (set != NULL)
        set(1);
}

int cli_bad_option_value(const char *cmd, const char *flag)
{
    const char *why = occam_last_error();
    const char *colon = strstr(why, ": ");
    if (strncmp(why, "occam_opts_set_", 15) == 0 && colon != NULL)
        why = colon + 2;
    return cli_fail(CLI_EXIT_USAGE, "%s: %s: %s", cmd, flag, why);
}

int cli_fail_status(int status, const char *fmt, ...)
{
    if (status == OCCAM_OK)
        return CLI_EXIT_OK;
    char suffix[1024];
    const char *detail = occam_last_error(), *what = occam_strerror(status);
    if (detail && detail[0] && strstr(detail, what)) /* the detail says it all */
        snprintf(suffix, sizeof suffix, ": %s", detail);
    else if (detail && detail[0])
        snprintf(suffix, sizeof suffix, ": %s (%s)", what, detail);
    else
        snprintf(suffix, sizeof suffix, ": %s", what);
    for (char *c = suffix; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    va_list ap;
    va_start(ap, fmt);
    vprint_line(status > 0 ? "warning: " : "", fmt, ap, suffix);
    va_end(ap);
    return status > 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}

char *cli_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

/* ------------------------------------------------------------ options */

void cli_fit_args_init(cli_fit_args *a)
{
    memset(a, 0, sizeof *a);
    a->intercept = 1;
}

int cli_fit_args_take(cli_fit_args *a, int code, const char *arg)
{
    switch (code) {
    case CLI_OPT_DATA: a->data = arg; return 1;
    case CLI_OPT_Y: a->y = arg; return 1;
    case CLI_OPT_X: a->x = arg; return 1;
    case CLI_OPT_WEIGHTS: a->weights = arg; return 1;
    case CLI_OPT_OFFSET: a->offset = arg; return 1;
    case CLI_OPT_NO_INTERCEPT: a->intercept = 0; return 1;
    case CLI_OPT_SAVE: a->save = arg; return 1;
    case CLI_OPT_COEF_CSV: a->coef_csv = arg; return 1;
    case CLI_OPT_STATS_CSV: a->stats_csv = arg; return 1;
    case CLI_OPT_FORMULA: a->formula = arg; return 1;
    case CLI_OPT_EXCLUDE: a->exclude = arg; return 1;
    default: return 0;
    }
}

int cli_getopt(int argc, char **argv, const struct option *longopts, int *started)
{
    if (!*started) {
        optind = 0; /* glibc: full re-initialisation of getopt's state */
        opterr = 0; /* we print our own one-line messages */
        *started = 1;
    }
    /* Leading ':' makes a missing option argument return ':' instead of '?'. */
    return getopt_long(argc, argv, ":h", longopts, NULL);
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    /* "fit linear: " and "occam fit linear --help", or "" and "occam --help" */
    const char *pre = cmd ? cmd : "", *colon = cmd ? ": " : "", *sp = cmd ? " " : "";
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    char shortopt[3] = {'-', (char)(optopt > 0 && optopt < 128 ? optopt : '?'), '\0'};
    int is_long = arg[0] == '-' && arg[1] == '-';
    char name[256];
    snprintf(name, sizeof name, "%s", is_long ? arg : shortopt);
    if (is_long && strchr(name, '='))
        *strchr(name, '=') = '\0';
    if (c == ':')
        return cli_fail(CLI_EXIT_USAGE, "%s%soption '%s' needs a value; see 'occam %s%s--help'", pre, colon, name,
                        pre, sp);
    if (c == '?' && is_long && strchr(arg, '=') && optopt != 0)
        return cli_fail(CLI_EXIT_USAGE, "%s%soption '%s' takes no value; see 'occam %s%s--help'", pre, colon, name,
                        pre, sp);
    if (c == '?')
        return cli_fail(CLI_EXIT_USAGE, "%s%sunknown option '%s'; see 'occam %s%s--help'", pre, colon,
                        is_long ? arg : shortopt, pre, sp);
    return cli_fail(CLI_EXIT_USAGE, "%s%soption '%s' is not handled here; see 'occam %s%s--help'", pre, colon,
                    is_long ? name : arg, pre, sp);
}

int cli_no_operands(const char *cmd, int argc, char **argv)
{
    if (optind < argc)
        return cli_fail(CLI_EXIT_USAGE, "%s: unexpected argument '%s'; see 'occam %s --help'", cmd, argv[optind],
                        cmd);
    return 0;
}

int cli_require(const char *cmd, const char *value, const char *name)
{
    if (value == NULL)
        return cli_fail(CLI_EXIT_USAGE, "%s: missing required option --%s; see 'occam %s --help'", cmd, name, cmd);
    return 0;
}

int cli_parse_double(const char *cmd, const char *s, const char *what, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        return cli_fail(CLI_EXIT_USAGE, "%s: %s: not a number: '%s'", cmd, what, s);
    if (!isfinite(v))
        return cli_fail(CLI_EXIT_USAGE, "%s: %s: not a finite number: '%s'", cmd, what, s);
    *out = v;
    return 0;
}

int cli_parse_int64(const char *cmd, const char *s, const char *what, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0')
        return cli_fail(CLI_EXIT_USAGE, "%s: %s: not an integer: '%s'", cmd, what, s);
    if (errno == ERANGE)
        return cli_fail(CLI_EXIT_USAGE, "%s: %s: integer out of range: '%s'", cmd, what, s);
    *out = (int64_t)v;
    return 0;
}

void cli_strings_free(char **items, int64_t n)
{
    for (int64_t i = 0; items && i < n; i++)
        free(items[i]);
    free(items);
}

int cli_split_list(const char *cmd, const char *s, const char *what, char ***items, int64_t *n)
{
    *items = NULL;
    *n = 0;
    if (s[0] == '\0')
        return 0;
    int64_t count = 1;
    for (const char *c = s; *c; c++)
        count += *c == ',';
    char **out = calloc((size_t)count, sizeof *out);
    if (!out)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    const char *start = s;
    for (int64_t i = 0; i < count; i++) {
        const char *comma = strchr(start, ',');
        size_t len = comma ? (size_t)(comma - start) : strlen(start);
        if (len == 0) {
            cli_strings_free(out, count);
            return cli_fail(CLI_EXIT_USAGE, "%s: %s: empty item %lld in list '%s'", cmd, what, (long long)i + 1, s);
        }
        out[i] = malloc(len + 1);
        if (!out[i]) {
            cli_strings_free(out, count);
            return cli_fail(CLI_EXIT_FAILURE, "out of memory");
        }
        memcpy(out[i], start, len);
        out[i][len] = '\0';
        start = comma ? comma + 1 : start + len;
    }
    *items = out;
    *n = count;
    return 0;
}

int cli_parse_double_list(const char *cmd, const char *s, const char *what, double **vals, int64_t *n)
{
    char **items = NULL;
    int64_t count = 0;
    *vals = NULL;
    *n = 0;
    int rc = cli_split_list(cmd, s, what, &items, &count);
    if (rc || count == 0)
        return rc;
    double *v = malloc((size_t)count * sizeof *v);
    if (!v) {
        cli_strings_free(items, count);
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    }
    for (int64_t i = 0; i < count && !rc; i++)
        rc = cli_parse_double(cmd, items[i], what, &v[i]);
    cli_strings_free(items, count);
    if (rc) {
        free(v);
        return rc;
    }
    *vals = v;
    *n = count;
    return 0;
}

/* ------------------------------------------------------------ design */

/* Index of column `name` in *col (NULL name: *col = -1). */
static int find_column(const cli_reader *r, const char *name, int64_t *col)
{
    *col = -1;
    return name ? cli_reader_require(r, name, col) : 0;
}

/* Column indices of X: from the list, or every column not in `used` (y,
 * weights, offset).  A listed column that is also in `used` is an error: a
 * response among its own predictors fits perfectly (R^2 = 1) and tells
 * nothing. */
static int x_columns(const char *cmd, const cli_reader *r, const char *xlist, const int64_t used[3], int64_t **cols,
                     int64_t *p)
{
    static const char *const role[3] = {"the response (--y)", "the prior weights (--weights)",
                                        "the offset (--offset)"};
    int64_t ncols = cli_reader_ncols(r);
    *cols = malloc((size_t)(ncols + 3) * sizeof **cols); /* + 3: room for y, weights, offset */
    if (!*cols)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    *p = 0;
    if (!xlist) {
        for (int64_t j = 0; j < ncols; j++)
            if (j != used[0] && j != used[1] && j != used[2])
                (*cols)[(*p)++] = j;
        return 0;
    }
    char **names = NULL;
    int64_t k = 0;
    int rc = cli_split_list(cmd, xlist, "--x", &names, &k);
    if (!rc && k > ncols)
        rc = cli_fail(CLI_EXIT_USAGE, "%s: --x: %lld columns named but %s has %lld", cmd, (long long)k,
                      cli_reader_path(r), (long long)ncols);
    char *seen = rc ? NULL : calloc((size_t)(ncols > 0 ? ncols : 1), 1); /* columns named so far */
    if (!rc && !seen)
        rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
    for (int64_t i = 0; i < k && !rc; i++) {
        int64_t j;
        rc = cli_reader_require(r, names[i], &j);
        if (!rc && seen[j]++)
            rc = cli_fail(CLI_EXIT_USAGE, "%s: --x: column '%s' named twice", cmd, names[i]);
        for (int q = 0; q < 3 && !rc; q++)
            if (used[q] == j)
                rc = cli_fail(CLI_EXIT_USAGE, "%s: column '%s' is %s and cannot also be a predictor (--x)", cmd,
                              names[i], role[q]);
        if (!rc)
            (*cols)[i] = j;
    }
    cli_strings_free(names, k);
    free(seen);
    if (rc) {
        free(*cols);
        *cols = NULL;
        return rc;
    }
    *p = k;
    return 0;
}

int cli_design_open(const char *cmd, cli_reader *r, const char *y, const char *xlist, const char *weights,
                    const char *offset, cli_design *d)
{
    memset(d, 0, sizeof *d);
    int64_t used[3]; /* y, weights, offset */
    int rc = find_column(r, y, &used[0]);
    if (!rc)
        rc = find_column(r, weights, &used[1]);
    if (!rc)
        rc = find_column(r, offset, &used[2]);
    if (!rc)
        rc = x_columns(cmd, r, xlist, used, &d->xcols, &d->p);
    d->ycol = used[0];
    d->wcol = used[1];
    d->ocol = used[2];
    /* only the columns used are read as numbers: X, then y, weights, offset */
    if (!rc)
        rc = cli_reader_numbers(r, d->xcols, d->p);
    for (int q = 0; q < 3 && !rc; q++)
        if (used[q] >= 0)
            rc = cli_reader_numbers(r, &used[q], 1);
    if (!rc && !(d->xnames = calloc((size_t)(d->p > 0 ? d->p : 1), sizeof *d->xnames)))
        rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
    for (int64_t j = 0; !rc && j < d->p; j++)
        if (!(d->xnames[j] = cli_strdup(cli_reader_name(r, d->xcols[j]))))
            rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
    if (rc)
        cli_design_free(d);
    return rc;
}

void cli_design_rows(const cli_design *d, const cli_reader *r, int64_t n, cli_rows *rows)
{
    if (d->fm) {
        cli_formula_design_rows(d, r, n, rows);
        return;
    }
    int64_t ld;
    const double *b = cli_reader_block(r, &ld);
    int64_t s = d->p;
    rows->n = n;
    rows->ld = ld;
    rows->X = b;
    rows->y = d->ycol >= 0 ? b + (s++) * ld : NULL;
    rows->weights = d->wcol >= 0 ? b + (s++) * ld : NULL;
    rows->offset = d->ocol >= 0 ? b + (s++) * ld : NULL;
}

void cli_design_free(cli_design *d)
{
    if (!d)
        return;
    free(d->xcols);
    cli_strings_free(d->xnames, d->xnames ? d->p : 0);
    cli_formula_free(d->fm);
    memset(d, 0, sizeof *d);
}

int cli_design_name_model(occam_model *m, const cli_design *d)
{
    int st = occam_model_set_names(m, d->p > 0 ? (const char *const *)d->xnames : NULL, d->p);
    if (st < 0)
        return cli_fail_status(st, "cannot store the column names in the model");
    return cli_design_store(m, d);
}

/* ------------------------------------------------------------ output files */

/* Coefficient name j into a malloc'd string. */
static int coef_name(const occam_model *m, int64_t j, char **out)
{
    size_t need = 0;
    int st = occam_model_coef_name(m, j, NULL, 0, &need);
    if (st < 0 && st != OCCAM_E_BUFFER_TOO_SMALL)
        return cli_fail_status(st, "cannot read the name of coefficient %lld", (long long)j + 1);
    *out = malloc(need ? need : 1);
    if (!*out)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    st = occam_model_coef_name(m, j, *out, need ? need : 1, NULL);
    if (st < 0) {
        free(*out);
        *out = NULL;
        return cli_fail_status(st, "cannot read the name of coefficient %lld", (long long)j + 1);
    }
    return 0;
}

void cli_put_number(FILE *f, double v)
{
    char b[CLI_NUMBER_CHARS];
    fwrite(b, 1, cli_number_format(b, v), f);
}

static void put_number(FILE *f, double v) { cli_put_number(f, v); }

int cli_write_coef_csv(const char *cmd, const occam_model *m, const char *path)
{
    if (!path || !reporting)
        return 0;
    int64_t k = 0;
    int st = occam_model_dims(m, &k, NULL);
    if (st < 0)
        return cli_fail_status(st, "%s: --coef-csv: cannot read the coefficients", cmd);
    double *tab = malloc((size_t)(4 * (k > 0 ? k : 1)) * sizeof *tab);
    int *aliased = malloc((size_t)(k > 0 ? k : 1) * sizeof *aliased);
    if (!tab || !aliased) {
        free(tab);
        free(aliased);
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    }
    int rc = 0;
    static const int columns[4] = {OCCAM_COEF_ESTIMATE, OCCAM_COEF_STD_ERROR, OCCAM_COEF_STATISTIC,
                                   OCCAM_COEF_P_VALUE};
    for (int c = 0; c < 4 && !rc; c++)
        if ((st = occam_model_coef(m, columns[c], tab + c * k, k)) < 0)
            rc = cli_fail_status(st, "%s: --coef-csv: cannot read the coefficient table", cmd);
    if (!rc && (st = occam_model_aliased(m, aliased, k)) < 0)
        rc = cli_fail_status(st, "%s: --coef-csv: cannot read the aliased coefficients", cmd);
    char label[256];
    snprintf(label, sizeof label, "%s: --coef-csv", cmd);
    FILE *f = NULL;
    cli_outfile *o = NULL;
    if (!rc)
        rc = cli_outfile_open(label, path, &o, &f);
    if (!rc) {
        fputs("term,estimate,std_error,statistic,p_value\n", f);
        for (int64_t j = 0; j < k && !rc; j++) {
            char *name = NULL;
            if ((rc = coef_name(m, j, &name)) != 0)
                break;
            if (strpbrk(name, ",\"\r\n"))
                csv_fwrite(f, name, strlen(name)); /* quoted, "" for " */
            else
                fputs(name, f);
            free(name);
            for (int c = 0; c < 4; c++) {
                fputc(',', f);
                put_number(f, aliased[j] ? NAN : tab[c * k + j]);
            }
            fputc('\n', f);
        }
        if (rc)
            cli_outfile_abort(o);
        else
            rc = cli_outfile_commit(o);
    }
    free(tab);
    free(aliased);
    return rc;
}

int cli_save_model(const char *cmd, const occam_model *m, const char *path)
{
    if (!path || !reporting)
        return 0;
    int st = occam_model_save(m, path);
    if (st < 0)
        return cli_fail_status(st, "%s: cannot save the model to '%s'", cmd, path);
    printf("Model saved to %s\n", path);
    return 0;
}

/* ------------------------------------------------------------ reading options */

int cli_read_options(const char *cmd, const char *chunk_rows, const char *threads, int strict_threads,
                     cli_read_opts *ro)
{
    ro->chunk_rows = 0;
    ro->threads = 1;
    int rc = 0;
    if (chunk_rows) {
        int64_t k = 0;
        if ((rc = cli_parse_int64(cmd, chunk_rows, "--chunk-rows", &k)) != 0)
            return rc;
        if (k < 1 || k > CLI_ROWS_MAX)
            return cli_fail(CLI_EXIT_USAGE, "%s: --chunk-rows must be 1 to %lld, not %lld", cmd,
                            (long long)CLI_ROWS_MAX, (long long)k);
        ro->chunk_rows = k;
    }
    if (threads) {
        int64_t t = 1;
        char *end = NULL;
        long long v = strtoll(threads, &end, 10);
        int ok = end != threads && *end == '\0';
        if (strict_threads) {
            if ((rc = cli_parse_int64(cmd, threads, "--threads", &t)) != 0)
                return rc;
            if (t < 1 || t > 256)
                return cli_fail(CLI_EXIT_USAGE, "%s: --threads must be 1 to 256, not %lld", cmd, (long long)t);
        } else if (ok && v >= 1 && v <= 256) { /* else the fit's options report it */
            t = v;
        }
        ro->threads = (int)t;
    }
    return 0;
}

double cli_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_cpu_seconds(double *user, double *sys)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) {
        *user = *sys = 0;
        return;
    }
    *user = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec;
    *sys = (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}
