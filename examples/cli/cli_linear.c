/*
 * cli_linear.c -- `occam fit linear` (least squares, printed as R's
 * summary.lm) and `occam model linear` (hand-coded coefficients).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char fit_usage[] =
    "Usage: occam fit linear --data FILE.csv (--y COL [--x COL,... | --exclude COL,...] |\n"
    "                        --formula 'y ~ a + b') [--weights COL]\n"
    "                        [--offset COL] [--no-intercept] [--chunk-rows N] [--threads N]\n"
    "                        [--save MODEL] [--coef-csv FILE] [--stats-csv FILE]\n"
    "\n"
    "Least-squares fit of COL on the --x columns (R's lm), printed like summary(lm(...)).\n"
    "\n"
    "  --data FILE.csv   numeric CSV with a header row of column names (required); data\n"
    "                    of more than one chunk are fitted as a stream, reading the file\n"
    "                    once per pass (memory: one chunk), which needs a file, not a pipe\n"
    "  --y COL           response column (required without --formula)\n"
    "  --x COL,...       predictor columns; default every column other than the --y,\n"
    "                    --weights and --offset columns; '' for none\n"
    "  --exclude COL,... without --x: leave these columns out of the predictors too\n"
    "  --formula F       an R model formula instead of --y/--x: 'y ~ a * b + log(x)',\n"
    "                    text columns as factors (treatment contrasts, levels sorted by\n"
    "                    bytes), factor(x), I(x^2), -1/+0, offset(); docs/cli.md\n"
    "  --weights COL     prior weights (>= 0): weighted least squares\n"
    "  --offset COL      known term added to the linear predictor\n"
    "  --no-intercept    fit without an intercept\n"
    "  --chunk-rows N    rows per chunk read (default 65536, fewer past 32 columns)\n"
    "  --threads N       threads parsing the CSV, 1 to 256 (default 1)\n"
    "  --save MODEL      save the fitted model (with its column names) to MODEL\n"
    "  --coef-csv FILE   also write the coefficient table as CSV\n"
    "  --stats-csv FILE  also write the model statistics as one CSV row (R's names:\n"
    "                    nobs, df.residual, deviance, aic, bic, logLik, ...)\n"
    "  -h, --help        show this help\n";

static const char model_usage[] =
    "Usage: occam model linear (--intercept B0 | --no-intercept) --coef B1,B2,...\n"
    "                          [--names A,B,...] --save MODEL\n"
    "\n"
    "Build a hand-coded linear model, prediction = B0 + B1*x1 + B2*x2 + ..., from given\n"
    "numbers (no data, no fit) and save it for 'occam predict'.\n"
    "\n"
    "  --intercept B0    the intercept\n"
    "  --no-intercept    no intercept term\n"
    "  --coef B1,...     the coefficients of the columns, in order ('' for none)\n"
    "  --names A,...     the column names, one per coefficient: 'occam predict' then\n"
    "                    picks CSV columns by name; without names it uses every CSV\n"
    "                    column in file order\n"
    "  --save MODEL      where to write the model (required)\n"
    "  -h, --help        show this help\n";

/* ------------------------------------------------------------ fit linear */

/* "dist ~ speed + x2", as R's formula; " - 1" without intercept. */
static void print_formula(FILE *out, const cli_fit_args *a, const cli_design *d)
{
    if (a->formula) {
        fprintf(out, "%s\n", a->formula);
        return;
    }
    fprintf(out, "%s ~ ", a->y);
    if (d->p == 0)
        fputs(a->intercept ? "1" : "0", out);
    for (int64_t j = 0; j < d->p; j++)
        fprintf(out, "%s%s", j ? " + " : "", d->xnames[j]);
    if (a->offset)
        fprintf(out, " + offset(%s)", a->offset);
    if (!a->intercept && d->p > 0)
        fputs(" - 1", out);
    fputc('\n', out);
}

static double info(const occam_model *m, int key)
{
    double v = NAN;
    if (occam_model_info(m, key, &v) < 0)
        return NAN;
    return v;
}

/* formatC(x, digits = 4): "%5.4g", with R's spelling of NaN and Inf. */
static const char *formatc4(double x, char *buf, size_t cap)
{
    if (isnan(x))
        snprintf(buf, cap, "  NaN");
    else if (isinf(x))
        snprintf(buf, cap, x > 0 ? "  Inf" : " -Inf");
    else
        snprintf(buf, cap, "%5.4g", x == 0.0 ? 0.0 : x); /* never "-0" (R's formatC would print it) */
    return buf;
}

/* The lines after the coefficient table in print.summary.lm (digits = 4). */
void cli_print_lm_statistics(const occam_model *m)
{
    char a[64], b[64];
    cli_format_num(cli_signif(info(m, OCCAM_INFO_SIGMA), 4), 7, a, sizeof a);
    printf("\nResidual standard error: %s on %.7g degrees of freedom\n", a, info(m, OCCAM_INFO_DF_RESIDUAL));
    double numdf = info(m, OCCAM_INFO_F_NUMDF);
    if (!(numdf > 0)) /* intercept only, or no coefficients: R prints no F line */
        return;
    printf("Multiple R-squared:  %s,", formatc4(info(m, OCCAM_INFO_R_SQUARED), a, sizeof a));
    printf("\tAdjusted R-squared:  %s \n", formatc4(info(m, OCCAM_INFO_ADJ_R_SQUARED), a, sizeof a));
    cli_format_pval(info(m, OCCAM_INFO_F_P_VALUE), 4, b, sizeof b);
    printf("F-statistic: %s on %.7g and %.7g DF,  p-value: %s\n", formatc4(info(m, OCCAM_INFO_FSTATISTIC), a, sizeof a),
           numdf, info(m, OCCAM_INFO_F_DENDF), b);
}

static int print_summary(const occam_model *m, const cli_fit_args *a, cli_fit_data *f)
{
    fputs("Linear model (least squares, R's lm): ", stdout);
    print_formula(stdout, a, &f->d);
    printf("Data: %s, %lld rows%s%s\n", a->data, (long long)f->n, a->weights ? ", weights " : "",
           a->weights ? a->weights : "");
    /* print.summary.lm's residual block, from the sqrt(w)-scaled residuals */
    printf("\n%sResiduals:\n", cli_fit_weighted(f) ? "Weighted " : "");
    int rc = cli_fit_print_residuals(f, m, OCCAM_ROWS_RESID_PEARSON, info(m, OCCAM_INFO_DF_RESIDUAL), CLI_RESID_LM,
                                     "cannot read the residuals");
    if (!rc)
        rc = cli_print_coef_table(stdout, m);
    if (!rc) {
        cli_print_lm_statistics(m);
        fputc('\n', stdout);
    }
    return rc;
}

static int fit_and_report(const cli_fit_args *a, cli_fit_data *f)
{
    occam_model *m = NULL;
    occam_opts *opts = NULL;
    int st = occam_linear_new(&m);
    if (st >= 0)
        st = occam_opts_new(&opts);
    if (st >= 0)
        st = occam_opts_set_int(opts, OCCAM_OPT_INTERCEPT, a->intercept);
    int rc = st < 0 ? cli_fail_status(st, "fit linear: cannot create the model") : 0;
    if (!rc) {
        char label[1100];
        snprintf(label, sizeof label, "fit linear on %s", a->data);
        rc = cli_fit_model(f, m, opts, label); /* a warning prints and returns 0 */
    }
    if (!rc)
        rc = cli_design_name_model(m, &f->d);
    if (!rc)
        rc = print_summary(m, a, f);
    if (!rc)
        rc = cli_write_coef_csv("fit linear", m, a->coef_csv);
    if (!rc)
        rc = cli_write_stats_csv("fit linear", m, a->stats_csv);
    if (!rc)
        rc = cli_save_model("fit linear", m, a->save);
    occam_opts_free(opts);
    occam_model_free(m);
    return rc;
}

int cli_fit_linear(int argc, char **argv)
{
    enum { OPT_CHUNK_ROWS = CLI_OPT_CUSTOM, OPT_THREADS };
    static const struct option longopts[] = {
        CLI_FIT_LONG_OPTIONS,
        CLI_FORMULA_LONG_OPTIONS,
        {"chunk-rows", required_argument, NULL, OPT_CHUNK_ROWS},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *cmd = "fit linear", *chunk_rows = NULL, *threads = NULL;
    cli_fit_args a;
    cli_fit_args_init(&a);
    int c, started = 0;
    while ((c = cli_getopt(argc, argv, longopts, &started)) != -1) {
        if (c == 'h') {
            fputs(fit_usage, stdout);
            return CLI_EXIT_OK;
        }
        if (c == OPT_CHUNK_ROWS)
            chunk_rows = optarg;
        else if (c == OPT_THREADS)
            threads = optarg;
        else if (!cli_fit_args_take(&a, c, optarg))
            return cli_bad_option(cmd, c, argv);
    }
    int rc = cli_no_operands(cmd, argc, argv);
    if (!rc)
        rc = cli_require(cmd, a.data, "data");
    if (rc)
        return rc;

    cli_read_opts ro;
    if ((rc = cli_read_options(cmd, chunk_rows, threads, 1, &ro)) != 0)
        return rc;
    cli_fit_data f;
    if ((rc = cli_fit_open(cmd, &a, &ro, &f)) == 0) {
        a.intercept = cli_design_intercept(&f.d, a.intercept);
        rc = fit_and_report(&a, &f);
    }
    cli_fit_close(&f);
    return rc;
}

/* ------------------------------------------------------------ model linear */

struct model_args {
    const char *intercept, *coef, *names, *save;
    int no_intercept;
};

static int build_and_save(const struct model_args *a)
{
    const char *cmd = "model linear";
    double b0 = 0, *coef = NULL;
    int64_t p = 0, nn = 0;
    char **names = NULL;
    occam_model *m = NULL;
    int rc = a->intercept ? cli_parse_double(cmd, a->intercept, "--intercept", &b0) : 0;
    if (!rc)
        rc = cli_parse_double_list(cmd, a->coef, "--coef", &coef, &p);
    if (!rc && a->names)
        rc = cli_split_list(cmd, a->names, "--names", &names, &nn);
    if (!rc && a->names && nn != p)
        rc = cli_fail(CLI_EXIT_USAGE, "%s: --names has %lld names but --coef has %lld coefficients", cmd,
                      (long long)nn, (long long)p);
    int st = OCCAM_OK;
    if (!rc && (st = occam_linear_new(&m)) >= 0)
        st = occam_linear_set_coef(m, !a->no_intercept, b0, coef, p);
    if (!rc && st >= 0 && a->names)
        st = occam_model_set_names(m, nn ? (const char *const *)names : NULL, nn);
    if (!rc && st < 0)
        rc = cli_fail_status(st, "%s: cannot build the model", cmd);
    if (!rc)
        rc = cli_save_model(cmd, m, a->save);
    occam_model_free(m);
    cli_strings_free(names, nn);
    free(coef);
    return rc;
}

int cli_model_linear(int argc, char **argv)
{
    enum { OPT_INTERCEPT = CLI_OPT_CUSTOM, OPT_COEF, OPT_NAMES };
    static const struct option longopts[] = {
        {"intercept", required_argument, NULL, OPT_INTERCEPT},
        {"no-intercept", no_argument, NULL, CLI_OPT_NO_INTERCEPT},
        {"coef", required_argument, NULL, OPT_COEF},
        {"names", required_argument, NULL, OPT_NAMES},
        {"save", required_argument, NULL, CLI_OPT_SAVE},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *cmd = "model linear";
    struct model_args a = {0};
    int c, started = 0;
    while ((c = cli_getopt(argc, argv, longopts, &started)) != -1) {
        switch (c) {
        case 'h': fputs(model_usage, stdout); return CLI_EXIT_OK;
        case OPT_INTERCEPT: a.intercept = optarg; break;
        case CLI_OPT_NO_INTERCEPT: a.no_intercept = 1; break;
        case OPT_COEF: a.coef = optarg; break;
        case OPT_NAMES: a.names = optarg; break;
        case CLI_OPT_SAVE: a.save = optarg; break;
        default: return cli_bad_option(cmd, c, argv);
        }
    }
    int rc = cli_no_operands(cmd, argc, argv);
    if (!rc && !a.intercept && !a.no_intercept)
        rc = cli_fail(CLI_EXIT_USAGE, "%s: give --intercept B0 or --no-intercept; see 'occam %s --help'", cmd, cmd);
    if (!rc && a.intercept && a.no_intercept)
        rc = cli_fail(CLI_EXIT_USAGE, "%s: --intercept and --no-intercept exclude each other", cmd);
    if (!rc)
        rc = cli_require(cmd, a.coef, "coef");
    if (!rc)
        rc = cli_require(cmd, a.save, "save");
    return rc ? rc : build_and_save(&a);
}
