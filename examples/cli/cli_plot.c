/*
 * cli_plot.c -- `occam plot tracking|holdout|palive|spend`: the plots Pareto/NBD users
 * look at, as gnuplot scripts rendered to SVG and PNG.  Each writes its
 * numbers as CSV (--csv, default PREFIX.csv) and a script PREFIX.gp; when
 * `gnuplot` is on PATH it runs it (PREFIX.svg, PREFIX.png), else it says
 * how to.  The library has no part in the drawing (docs/cli.md, "plot").
 *
 *   tracking  Fader and Hardie's tracking plot (BTYD's pnbd.PlotTrackingCum
 *             and pnbd.PlotTrackingInc): the cohort's cumulative and
 *             per-period repeat transactions, actual vs the model fitted by
 *             `fit pnbd --events` with the same options, calibration end
 *             marked (the numbers of --tracking-csv, cli_tracking.c).
 *   palive    P(alive) over frequency x and recency t_x at a fixed T, as
 *             lifetimes' plot_probability_alive_matrix.
 *   holdout   the calibration/holdout evaluation of `fit pnbd --events
 *             --holdout-end` (cli_holdout.c): mean actual vs mean predicted
 *             holdout repeat transactions by calibration frequency x = 0..6,
 *             7+ (lifetimes' plot_calibration_purchases_vs_holdout_purchases,
 *             BTYD's pnbd.PlotFreqVsConditionalExpectedFrequency).
 *   spend     the observed distribution of the customers' average
 *             transaction value m_x (x > 0), a histogram as a density, and
 *             the Gamma-Gamma model's density of m_x averaged over the
 *             customers' x (BTYD's spend.plot.average.transaction.value).
 */
#include <errno.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli.h"

extern char **environ;

static const char plot_usage[] =
    "Usage: occam plot tracking --output PREFIX [--csv FILE] <options of occam fit pnbd --events>\n"
    "       occam plot holdout --output PREFIX [--csv FILE] <options of occam fit pnbd --events>\n"
    "                          --holdout-end VALUE\n"
    "       occam plot palive --model MODEL --T T [--max-x N] [--steps K] --output PREFIX [--csv FILE]\n"
    "                         [--unit weeks|days|other [--unit-days D]]\n"
    "       occam plot spend --model GGMODEL --data FILE.csv [--x COL] [--m COL] [--bins N]\n"
    "                        --output PREFIX [--csv FILE]\n"
    "\n"
    "Draw with gnuplot (SVG and PNG) when it is on PATH; else write the script PREFIX.gp\n"
    "and its data and say how to render them.\n"
    "\n"
    "  tracking          the cohort's repeat transactions per period and cumulated, actual\n"
    "                    vs the Pareto/NBD model fitted to the log (calibration end marked)\n"
    "  holdout           mean actual vs mean predicted repeat transactions in the holdout\n"
    "                    period by calibration frequency x = 0..6, 7+, from the model fitted\n"
    "                    to the calibration period (the table of fit pnbd --holdout-end; CSV\n"
    "                    x,customers,mean_actual,mean_predicted)\n"
    "  palive            P(alive) over x (0..N, default 20) and t_x (0..T in K steps, default\n"
    "                    40) at time T since the first purchase, from a saved Pareto/NBD model;\n"
    "                    --unit (the unit of T) is refused when the model records another\n"
    "  spend             the observed distribution of m_x (customers with x > 0) against the\n"
    "                    Gamma-Gamma model's density (the mean of f(m | x) over them); --x\n"
    "                    and --m default to the columns the model was fitted on\n"
    "  --output PREFIX   write PREFIX.gp, PREFIX.svg, PREFIX.png\n"
    "  --csv FILE        the plotted numbers (default PREFIX.csv)\n"
    "  -h, --help        show this help\n";

/* Run `gnuplot script`: 0 when it drew, 1 when gnuplot is not on PATH, else
 * an exit status after a message. */
static int run_gnuplot(const char *script)
{
    char *argv[] = {"gnuplot", (char *)script, NULL};
    pid_t pid;
    int err = posix_spawnp(&pid, "gnuplot", NULL, NULL, argv, environ);
    if (err == ENOENT) return 1;
    if (err != 0) return cli_fail(CLI_EXIT_FAILURE, "plot: cannot run gnuplot: %s", strerror(err));
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) return cli_fail(CLI_EXIT_FAILURE, "plot: waiting for gnuplot: %s", strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) return 1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return cli_fail(CLI_EXIT_FAILURE, "plot: gnuplot failed on %s (exit %d)", script,
                        WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}

/* Write PREFIX.gp: body draws once per terminal (svg, then png). */
static int write_script(const char *prefix, const char *body)
{
    char path[4096];
    snprintf(path, sizeof path, "%s.gp", prefix);
    FILE *f = NULL;
    cli_outfile *o = NULL;
    int rc = cli_outfile_open("plot: script", path, &o, &f);
    if (rc) return rc;
    fprintf(f, "# occam plot: render with `gnuplot %s`\nset datafile separator ','\nset datafile missing 'NA'\n", path);
    fprintf(f, "set terminal svg size 900,640 dynamic enhanced font 'sans,12'\nset output '%s.svg'\n%s", prefix, body);
    fprintf(f, "set terminal pngcairo size 900,640 enhanced font 'sans,11'\nset output '%s.png'\n%s", prefix, body);
    fputs("set output\n", f);
    return cli_outfile_commit(o);
}

static int render(const char *prefix, const char *csv)
{
    char path[4096];
    snprintf(path, sizeof path, "%s.gp", prefix);
    int rc = run_gnuplot(path);
    if (rc == 1) {
        printf("gnuplot is not on PATH: wrote %s and %s; render them with: gnuplot %s\n", csv, path, path);
        return 0;
    }
    if (rc == 0) printf("Plot written to %s.svg and %s.png (data %s, script %s)\n", prefix, prefix, csv, path);
    return rc;
}

/* Take --output and --csv out of argv (the rest goes to fit pnbd). */
static int take_outputs(int argc, char **argv, const char **prefix, const char **csv, int *n_rest, char **rest)
{
    *n_rest = 0;
    for (int i = 0; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--output") == 0 ? prefix : strcmp(argv[i], "--csv") == 0 ? csv : NULL;
        if (slot) {
            if (i + 1 >= argc) return cli_fail(CLI_EXIT_USAGE, "plot: %s needs a value", argv[i]);
            *slot = argv[++i];
            continue;
        }
        rest[(*n_rest)++] = argv[i];
    }
    if (!*prefix) return cli_fail(CLI_EXIT_USAGE, "plot: --output PREFIX is required");
    return 0;
}

/* The last period of the calibration in a tracking CSV (0: none). */
static double calibration_periods(const char *csv)
{
    FILE *f = fopen(csv, "r");
    if (!f) return 0;
    char line[512];
    double last = 0, period, in;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%lf,%lf", &period, &in) == 2 && in == 1) last = period;
    fclose(f);
    return last;
}

static int plot_tracking(int argc, char **argv)
{
    const char *prefix = NULL, *csv = NULL;
    char **rest = calloc((size_t)argc + 6, sizeof *rest), csvbuf[4096];
    int n = 0, rc = rest ? take_outputs(argc - 1, argv + 1, &prefix, &csv, &n, rest + 1) : CLI_EXIT_FAILURE;
    if (!rc && !csv) {
        snprintf(csvbuf, sizeof csvbuf, "%s.csv", prefix);
        csv = csvbuf;
    }
    if (!rc) {
        rest[0] = "pnbd";
        rest[n + 1] = "--top";
        rest[n + 2] = "0";
        rest[n + 3] = "--tracking-csv";
        rest[n + 4] = (char *)csv;
        rc = cli_fit_pnbd(n + 5, rest);
    }
    free(rest);
    if (rc) return rc;
    char body[12288];
    snprintf(body, sizeof body,
             "set multiplot layout 2,1 title 'Tracking: repeat transactions, actual vs Pareto/NBD'\n"
             "set key left top\nset grid\nset xlabel 'period since the first purchase'\n"
             "set arrow 1 from %g, graph 0 to %g, graph 1 nohead dt 2 lc rgb 'gray40'\n"
             "set ylabel 'cumulative'\n"
             "plot '%s' skip 1 using 1:4 with lines lw 2 lc rgb '#1f77b4' title 'actual', "
             "'' skip 1 using 1:6 with lines lw 2 dt 2 lc rgb '#d62728' title 'model'\n"
             "set ylabel 'per period'\nset key right top\n"
             "plot '%s' skip 1 using 1:3 with lines lw 2 lc rgb '#1f77b4' title 'actual', "
             "'' skip 1 using 1:5 with lines lw 2 dt 2 lc rgb '#d62728' title 'model'\n"
             "unset multiplot\nunset arrow 1\n",
             calibration_periods(csv) + 0.5, calibration_periods(csv) + 0.5, csv, csv);
    rc = write_script(prefix, body);
    return rc ? rc : render(prefix, csv);
}

/* ------------------------------------------------------------ holdout */

enum { HO_BINS = 8 }; /* x = 0..6, 7+ (as cli_holdout.c) */

/* The frequency table from the per-customer rows of --holdout-csv (x,
 * x_star, predicted; read back exactly: %.17g), summed in row order as the
 * printed table (cli_holdout.c). */
static int holdout_table(const char *rows, double n[HO_BINS], double act[HO_BINS], double pred[HO_BINS])
{
    cli_reader *r = NULL;
    cli_read_opts ro = {0, 1};
    int64_t col[3] = {-1, -1, -1}, k = 0, ld;
    for (int b = 0; b < HO_BINS; b++) n[b] = act[b] = pred[b] = 0;
    int rc = cli_reader_open(rows, &ro, &r);
    static const char *names[3] = {"x", "x_star", "predicted"};
    for (int j = 0; j < 3 && !rc; j++) rc = cli_reader_require(r, names[j], &col[j]);
    if (!rc) rc = cli_reader_numbers(r, col, 3);
    while (!rc && (rc = cli_reader_next(r, &k)) == 0 && k > 0) {
        const double *v = cli_reader_block(r, &ld);
        for (int64_t i = 0; i < k; i++) {
            int b = v[i] >= HO_BINS - 1 ? HO_BINS - 1 : (int)v[i];
            n[b] += 1;
            act[b] += v[ld + i];
            pred[b] += v[2 * ld + i];
        }
    }
    cli_reader_close(r);
    return rc;
}

static int write_holdout_csv(const char *rows, const char *csv)
{
    double n[HO_BINS], act[HO_BINS], pred[HO_BINS];
    int rc = holdout_table(rows, n, act, pred);
    FILE *f = NULL;
    cli_outfile *o = NULL;
    if (!rc) rc = cli_outfile_open("plot holdout: --csv", csv, &o, &f);
    if (rc) return rc;
    fputs("x,customers,mean_actual,mean_predicted\n", f);
    for (int b = 0; b < HO_BINS; b++) {
        fprintf(f, b == HO_BINS - 1 ? "%d+," : "%d,", b);
        cli_put_number(f, n[b]);
        fputc(',', f);
        cli_put_number(f, n[b] > 0 ? act[b] / n[b] : NAN);
        fputc(',', f);
        cli_put_number(f, n[b] > 0 ? pred[b] / n[b] : NAN);
        fputc('\n', f);
    }
    return cli_outfile_commit(o);
}

/* The value of option `name` in argv (NULL when not given). */
static const char *option_value(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0) return argv[i + 1];
    return NULL;
}

static int plot_holdout(int argc, char **argv)
{
    const char *prefix = NULL, *csv = NULL;
    char **rest = calloc((size_t)argc + 6, sizeof *rest), csvbuf[4096], rowsbuf[4096];
    int n = 0, rc = rest ? take_outputs(argc - 1, argv + 1, &prefix, &csv, &n, rest + 1) : CLI_EXIT_FAILURE;
    if (!rc && !option_value(n, rest + 1, "--holdout-end"))
        rc = cli_fail(CLI_EXIT_USAGE, "plot holdout: --holdout-end VALUE is required (the end of the holdout period)");
    /* the per-customer rows: the --holdout-csv given, else a file removed after */
    const char *rows = rc ? NULL : option_value(n, rest + 1, "--holdout-csv");
    int own_rows = !rc && !rows;
    if (!rc && !csv) {
        snprintf(csvbuf, sizeof csvbuf, "%s.csv", prefix);
        csv = csvbuf;
    }
    if (own_rows) {
        snprintf(rowsbuf, sizeof rowsbuf, "%s.customers.csv", prefix);
        rows = rowsbuf;
    }
    if (!rc) {
        rest[0] = "pnbd";
        rest[n + 1] = "--top";
        rest[n + 2] = "0";
        if (own_rows) {
            rest[n + 3] = "--holdout-csv";
            rest[n + 4] = (char *)rows;
        }
        rc = cli_fit_pnbd(n + (own_rows ? 5 : 3), rest);
    }
    free(rest);
    if (!rc) rc = write_holdout_csv(rows, csv);
    if (own_rows && rows) remove(rows);
    if (rc) return rc;
    char body[12288];
    snprintf(body, sizeof body,
             "set title 'Holdout: repeat transactions by calibration frequency, actual vs Pareto/NBD'\n"
             "set xlabel 'repeat transactions in the calibration period (x)'\n"
             "set ylabel 'mean repeat transactions in the holdout period'\n"
             "set grid\nset key left top\nset xrange [-0.5:7.5]\nset yrange [0:*]\n"
             "plot '%s' skip 1 using 0:3:xtic(1) with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'actual', "
             "'' skip 1 using 0:4 with linespoints lw 2 dt 2 pt 5 lc rgb '#d62728' title 'model'\n",
             csv);
    rc = write_script(prefix, body);
    return rc ? rc : render(prefix, csv);
}

/* P(alive) on the grid x = 0..max_x, t_x = T k / steps (k = 0..steps); NA
 * where no customer can be (x = 0 with t_x > 0). */
static int write_palive_csv(const occam_model *m, double T, int64_t max_x, int64_t steps, const char *csv)
{
    int64_t n = (max_x + 1) * (steps + 1);
    double *X = malloc((size_t)n * 3 * sizeof *X), *p = malloc((size_t)n * sizeof *p);
    if (!X || !p) {
        free(X);
        free(p);
        return cli_fail(CLI_EXIT_FAILURE, "plot palive: out of memory");
    }
    for (int64_t x = 0, i = 0; x <= max_x; x++)
        for (int64_t k = 0; k <= steps; k++, i++) {
            X[3 * i] = (double)x;
            X[3 * i + 1] = x == 0 ? 0 : T * (double)k / (double)steps;
            X[3 * i + 2] = T;
        }
    int st = occam_model_predict(m, OCCAM_PREDICT_PALIVE, 0, X, n, 3, 3, OCCAM_ROW_MAJOR, NULL, p, NULL, n);
    int rc = st == OCCAM_OK ? 0 : cli_fail_status(st, "plot palive: P(alive)");
    FILE *f = NULL;
    cli_outfile *o = NULL;
    if (!rc) rc = cli_outfile_open("plot palive: --csv", csv, &o, &f);
    if (!rc) {
        fputs("x,t_x,T,p_alive\n", f);
        for (int64_t x = 0, i = 0; x <= max_x; x++)
            for (int64_t k = 0; k <= steps; k++, i++) {
                double v[4] = {(double)x, T * (double)k / (double)steps, T, x == 0 && k > 0 ? NAN : p[i]};
                for (int j = 0; j < 4; j++) {
                    if (j) fputc(',', f);
                    cli_put_number(f, v[j]);
                }
                fputc('\n', f);
            }
        rc = cli_outfile_commit(o);
    }
    free(X);
    free(p);
    return rc;
}

static int plot_palive(int argc, char **argv)
{
    enum { OPT_MODEL = CLI_OPT_CUSTOM, OPT_T, OPT_MAX_X, OPT_STEPS, OPT_OUTPUT, OPT_CSV, OPT_UNIT, OPT_UNIT_DAYS };
    static const struct option longopts[] = {{"model", required_argument, NULL, OPT_MODEL},
                                             {"T", required_argument, NULL, OPT_T},
                                             {"unit", required_argument, NULL, OPT_UNIT},
                                             {"unit-days", required_argument, NULL, OPT_UNIT_DAYS},
                                             {"max-x", required_argument, NULL, OPT_MAX_X},
                                             {"steps", required_argument, NULL, OPT_STEPS},
                                             {"output", required_argument, NULL, OPT_OUTPUT},
                                             {"csv", required_argument, NULL, OPT_CSV},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    const char *cmd = "plot palive", *model = NULL, *Ts = NULL, *mx = NULL, *ks = NULL, *prefix = NULL, *csv = NULL;
    const char *unit = NULL, *unit_days = NULL;
    int c, started = 0;
    while ((c = cli_getopt(argc, argv, longopts, &started)) != -1) {
        switch (c) {
        case 'h': fputs(plot_usage, stdout); return CLI_EXIT_OK;
        case OPT_MODEL: model = optarg; break;
        case OPT_T: Ts = optarg; break;
        case OPT_MAX_X: mx = optarg; break;
        case OPT_STEPS: ks = optarg; break;
        case OPT_OUTPUT: prefix = optarg; break;
        case OPT_CSV: csv = optarg; break;
        case OPT_UNIT: unit = optarg; break;
        case OPT_UNIT_DAYS: unit_days = optarg; break;
        default: return cli_bad_option(cmd, c, argv);
        }
    }
    int rc = cli_no_operands(cmd, argc, argv);
    if (!rc) rc = cli_require(cmd, model, "model");
    if (!rc) rc = cli_require(cmd, Ts, "T");
    if (!rc) rc = cli_require(cmd, prefix, "output");
    double T = 0;
    int64_t max_x = 20, steps = 40;
    if (!rc) rc = cli_parse_double(cmd, Ts, "--T", &T);
    if (!rc && !(T > 0 && isfinite(T))) rc = cli_fail(CLI_EXIT_USAGE, "%s: --T must be > 0", cmd);
    if (!rc && mx) rc = cli_parse_int64(cmd, mx, "--max-x", &max_x);
    if (!rc && ks) rc = cli_parse_int64(cmd, ks, "--steps", &steps);
    if (!rc && (max_x < 0 || max_x > 10000 || steps < 1 || steps > 10000))
        rc = cli_fail(CLI_EXIT_USAGE, "%s: --max-x must be 0..10000 and --steps 1..10000", cmd);
    if (rc) return rc;
    occam_model *m = NULL;
    int st = occam_model_load(model, &m);
    if (st != OCCAM_OK) return cli_fail_status(st, "%s: cannot load '%s'", cmd, model);
    if (occam_model_kind(m) != OCCAM_MODEL_PNBD) {
        occam_model_free(m);
        return cli_fail(CLI_EXIT_USAGE, "%s: '%s' is not a Pareto/NBD model", cmd, model);
    }
    if ((unit || unit_days) && (rc = cli_context_check(cmd, m, unit, unit_days)) != 0) {
        occam_model_free(m);
        return rc;
    }
    char csvbuf[4096];
    if (!csv) {
        snprintf(csvbuf, sizeof csvbuf, "%s.csv", prefix);
        csv = csvbuf;
    }
    rc = write_palive_csv(m, T, max_x, steps, csv);
    occam_model_free(m);
    if (rc) return rc;
    char body[12288];
    snprintf(body, sizeof body,
             "set title 'P(alive) at T = %g by frequency x and recency t_x'\n"
             "set xlabel 'recency t_x (time of the last repeat purchase)'\nset ylabel 'frequency x'\n"
             "set cblabel 'P(alive)'\nset cbrange [0:1]\nset palette rgbformulae 33,13,10\n"
             "set xrange [-%g:%g]\nset yrange [-0.5:%g]\n"
             "set style fill solid noborder\n"
             "plot '%s' skip 1 using 2:1:(%.17g):(0.5):4 with boxxyerror lc palette notitle\n",
             T, T / (2.0 * (double)steps), T + T / (2.0 * (double)steps), (double)max_x + 0.5, csv,
             T / (2.0 * (double)steps));
    rc = write_script(prefix, body);
    return rc ? rc : render(prefix, csv);
}

/* ------------------------------------------------------------ spend */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The model's density of m_x over the customers with x > 0: the mean of
 * f(m | x_i) over them, grouped by x (counts), at each grid point. */
static int model_density(const occam_model *m, const double *xs, const double *cnt, int64_t nx, double total,
                         const double *grid, int64_t ng, double *dens)
{
    double *X = malloc((size_t)nx * 2 * sizeof *X), *ll = malloc((size_t)nx * sizeof *ll);
    int rc = X && ll ? 0 : cli_fail(CLI_EXIT_FAILURE, "plot spend: out of memory");
    for (int64_t j = 0; !rc && j < ng; j++) {
        for (int64_t k = 0; k < nx; k++) X[2 * k] = xs[k], X[2 * k + 1] = grid[j];
        int st = occam_model_predict(m, OCCAM_PREDICT_LOGLIK, 0, X, nx, 2, 2, OCCAM_ROW_MAJOR, NULL, ll, NULL, nx);
        if (st != OCCAM_OK) rc = cli_fail_status(st, "plot spend: the model's density");
        double d = 0;
        for (int64_t k = 0; !rc && k < nx; k++) d += cnt[k] * exp(ll[k]);
        dens[j] = d / total;
    }
    free(X);
    free(ll);
    return rc;
}

/* Histogram of the observed m_x (x > 0) on [0, hi) in `bins` bins, as a
 * density, with the model's density at the bin midpoints. */
static int write_spend_csv(const occam_model *m, const gg_rows *g, int64_t bins, const char *csv)
{
    int64_t n = 0;
    double *obs = malloc((size_t)(g->n > 0 ? g->n : 1) * sizeof *obs), *xs = malloc((size_t)(g->n > 0 ? g->n : 1) * sizeof *xs);
    if (!obs || !xs) {
        free(obs), free(xs);
        return cli_fail(CLI_EXIT_FAILURE, "plot spend: out of memory");
    }
    for (int64_t i = 0; i < g->n; i++)
        if (g->x[i] > 0) obs[n] = g->m[i], xs[n++] = g->x[i];
    if (n == 0) {
        free(obs), free(xs);
        return cli_fail(CLI_EXIT_FAILURE, "plot spend: no customer with x > 0");
    }
    qsort(obs, (size_t)n, sizeof *obs, cmp_double);
    double hi = obs[(int64_t)floor(0.99 * (double)(n - 1))] * 1.05, width = hi / (double)bins;
    qsort(xs, (size_t)n, sizeof *xs, cmp_double); /* distinct x with counts */
    int64_t nx = 0;
    double *cnt = malloc((size_t)n * sizeof *cnt), *hist = calloc((size_t)bins, sizeof *hist),
           *mid = malloc((size_t)bins * sizeof *mid), *dens = malloc((size_t)bins * sizeof *dens);
    int rc = cnt && hist && mid && dens ? 0 : cli_fail(CLI_EXIT_FAILURE, "plot spend: out of memory");
    for (int64_t i = 0; !rc && i < n; i++) {
        if (nx > 0 && xs[i] == xs[nx - 1]) cnt[nx - 1] += 1;
        else xs[nx] = xs[i], cnt[nx++] = 1;
    }
    for (int64_t i = 0; !rc && i < n; i++) {
        int64_t b = (int64_t)(obs[i] / width);
        if (b < bins) hist[b] += 1;
    }
    for (int64_t b = 0; !rc && b < bins; b++) mid[b] = (b + 0.5) * width;
    if (!rc) rc = model_density(m, xs, cnt, nx, (double)n, mid, bins, dens);
    FILE *f = NULL;
    cli_outfile *o = NULL;
    if (!rc) rc = cli_outfile_open("plot spend: --csv", csv, &o, &f);
    if (!rc) {
        fputs("bin_low,bin_high,m_mid,observed_density,model_density\n", f);
        for (int64_t b = 0; b < bins; b++) {
            double v[5] = {b * width, (b + 1) * width, mid[b], hist[b] / ((double)n * width), dens[b]};
            for (int j = 0; j < 5; j++) {
                if (j) fputc(',', f);
                cli_put_number(f, v[j]);
            }
            fputc('\n', f);
        }
        rc = cli_outfile_commit(o);
    }
    free(obs), free(xs), free(cnt), free(hist), free(mid), free(dens);
    return rc;
}

static int plot_spend(int argc, char **argv)
{
    enum { OPT_MODEL = CLI_OPT_CUSTOM, OPT_M, OPT_BINS, OPT_OUTPUT, OPT_CSV };
    static const struct option longopts[] = {{"model", required_argument, NULL, OPT_MODEL},
                                             {"data", required_argument, NULL, CLI_OPT_DATA},
                                             {"x", required_argument, NULL, CLI_OPT_X},
                                             {"m", required_argument, NULL, OPT_M},
                                             {"bins", required_argument, NULL, OPT_BINS},
                                             {"output", required_argument, NULL, OPT_OUTPUT},
                                             {"csv", required_argument, NULL, OPT_CSV},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    const char *cmd = "plot spend", *model = NULL, *mcol = NULL, *bins_s = NULL, *prefix = NULL, *csv = NULL;
    cli_fit_args a;
    cli_fit_args_init(&a);
    int c, started = 0;
    while ((c = cli_getopt(argc, argv, longopts, &started)) != -1) {
        switch (c) {
        case 'h': fputs(plot_usage, stdout); return CLI_EXIT_OK;
        case OPT_MODEL: model = optarg; break;
        case OPT_M: mcol = optarg; break;
        case OPT_BINS: bins_s = optarg; break;
        case OPT_OUTPUT: prefix = optarg; break;
        case OPT_CSV: csv = optarg; break;
        default:
            if (c != CLI_OPT_DATA && c != CLI_OPT_X) return cli_bad_option(cmd, c, argv);
            cli_fit_args_take(&a, c, optarg);
        }
    }
    int rc = cli_no_operands(cmd, argc, argv);
    if (!rc) rc = cli_require(cmd, model, "model");
    if (!rc) rc = cli_require(cmd, a.data, "data");
    if (!rc) rc = cli_require(cmd, prefix, "output");
    int64_t bins = 40;
    if (!rc && bins_s) rc = cli_parse_int64(cmd, bins_s, "--bins", &bins);
    if (!rc && (bins < 2 || bins > 10000)) rc = cli_fail(CLI_EXIT_USAGE, "%s: --bins must be 2..10000", cmd);
    if (rc) return rc;
    occam_model *m = NULL;
    int st = occam_model_load(model, &m);
    if (st != OCCAM_OK) return cli_fail_status(st, "%s: cannot load '%s'", cmd, model);
    if (occam_model_kind(m) != OCCAM_MODEL_GG) {
        occam_model_free(m);
        return cli_fail(CLI_EXIT_USAGE, "%s: '%s' is not a Gamma-Gamma model", cmd, model);
    }
    char *fitted[2] = {NULL, NULL}; /* the columns the model was fitted on, unless --x / --m */
    for (int j = 0; j < 2 && !rc; j++) rc = cli_column_name(m, j, &fitted[j]);
    if (!rc && !a.x && fitted[0][0]) a.x = fitted[0];
    if (!rc && !mcol && fitted[1][0]) mcol = fitted[1];
    char csvbuf[4096];
    if (!csv) {
        snprintf(csvbuf, sizeof csvbuf, "%s.csv", prefix);
        csv = csvbuf;
    }
    cli_read_opts ro;
    gg_rows g = {0};
    if (!rc) rc = cli_read_options(cmd, NULL, NULL, 1, &ro);
    if (!rc) rc = cli_gg_load(&a, mcol, &ro, &g);
    if (!rc) rc = write_spend_csv(m, &g, bins, csv);
    free(g.x), free(g.m), free(g.w);
    free(fitted[0]), free(fitted[1]);
    occam_model_free(m);
    if (rc) return rc;
    char body[12288];
    snprintf(body, sizeof body,
             "set title 'Average transaction value m_x of the customers with x > 0: observed vs Gamma-Gamma'\n"
             "set xlabel 'm_x'\nset ylabel 'density'\nset grid\nset key right top\nset style fill solid 0.4 noborder\n"
             "plot '%s' skip 1 using 3:4 with boxes lc rgb '#1f77b4' title 'observed', "
             "'' skip 1 using 3:5 with lines lw 2 lc rgb '#d62728' title 'model'\n",
             csv);
    rc = write_script(prefix, body);
    return rc ? rc : render(prefix, csv);
}

int cli_plot(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        if (argc >= 2) {
            fputs(plot_usage, stdout);
            return CLI_EXIT_OK;
        }
        return cli_fail(CLI_EXIT_USAGE, "plot needs a kind (tracking, holdout, palive, spend); see 'occam plot --help'");
    }
    if (strcmp(argv[1], "tracking") == 0) return plot_tracking(argc - 1, argv + 1);
    if (strcmp(argv[1], "holdout") == 0) return plot_holdout(argc - 1, argv + 1);
    if (strcmp(argv[1], "palive") == 0) return plot_palive(argc - 1, argv + 1);
    if (strcmp(argv[1], "spend") == 0) return plot_spend(argc - 1, argv + 1);
    return cli_fail(CLI_EXIT_USAGE, "unknown plot '%s' (tracking, holdout, palive, spend); see 'occam plot --help'",
                    argv[1]);
}
