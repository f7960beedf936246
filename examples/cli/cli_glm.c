/*
 * cli_glm.c -- `occam fit glm`: a GLM fitted by IRLS (R's glm), printed as
 * R 4.2's print.summary.glm: call, deviance residuals, coefficient table,
 * dispersion, null and residual deviance with df, AIC, Fisher scoring
 * iterations.  Family and link names are R's ("binomial", "Gamma",
 * "inverse.gaussian", "quasipoisson", "1/mu^2", ...).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char fit_usage[] =
    "Usage: occam fit glm --family FAMILY [--link LINK] --data FILE.csv\n"
    "                     (--y COL [--x COL,... | --exclude COL,...] | --formula 'y ~ a + b')\n"
    "                     [--weights COL] [--offset COL] [--no-intercept] [--start B1,B2,...]\n"
    "                     [--epsilon E] [--maxit N] [--solver auto|qr|cholesky] [--halve-on-increase]\n"
    "                     [--fast] [--threads N] [--chunk-rows N] [--save MODEL] [--coef-csv FILE]\n"
    "                     [--stats-csv FILE] [--keep-data]\n"
    "\n"
    "Generalized linear model fitted by IRLS as R's glm(), printed like summary(glm(...)).\n"
    "\n"
    "  --family FAMILY   gaussian, binomial, poisson, Gamma, inverse.gaussian,\n"
    "                    quasibinomial or quasipoisson (required)\n"
    "  --link LINK       identity, log, inverse, logit, probit, cauchit, cloglog, sqrt or\n"
    "                    1/mu^2; default the family's (R's defaults)\n"
    "  --data FILE.csv   numeric CSV with a header row of column names (required); data\n"
    "                    of more than one chunk are fitted as a stream, reading the file\n"
    "                    once per pass (memory: one chunk), which needs a file, not a pipe\n"
    "  --y COL           response column (required without --formula); binomial:\n"
    "                    proportions of successes with --weights the numbers of trials, or 0/1\n"
    "  --x COL,...       predictor columns; default every column other than the --y,\n"
    "                    --weights and --offset columns; '' for none\n"
    "  --exclude COL,... without --x: leave these columns out of the predictors too\n"
    "  --formula F       an R model formula instead of --y/--x: 'y ~ a * b + log(x)',\n"
    "                    text columns as factors (treatment contrasts, levels sorted by\n"
    "                    bytes), factor(x), I(x^2), -1/+0, offset(log(t)); the model\n"
    "                    keeps the formula and levels for predict; docs/cli.md\n"
    "  --weights COL     prior weights (>= 0)\n"
    "  --offset COL      known term added to the linear predictor (kept in the model:\n"
    "                    predict reads the same column)\n"
    "  --no-intercept    fit without an intercept\n"
    "  --start B1,...    starting coefficients (intercept first), as glm(start =)\n"
    "  --epsilon E       convergence tolerance on the deviance (default 1e-8)\n"
    "  --maxit N         maximum IRLS iterations (default 25)\n"
    "  --solver S        auto (default: Cholesky of X'WX while well conditioned, else R's\n"
    "                    pivoted QR), qr (R's pivoted QR) or cholesky (faster, less accurate)\n"
    "  --halve-on-increase  also halve a step that increases the deviance until the deviance\n"
    "                    decreases (glm2's glm.fit2)\n"
    "  --fast            the fast path (not R's iterations, R's MLE and SEs): IRLS on a row\n"
    "                    subsample, chord steps on all rows, one final IRLS step; falls back\n"
    "                    to R's path when in doubt (a note on stderr); data of one chunk only\n"
    "  --threads N       threads parsing the CSV and splitting the rows of an in-memory\n"
    "                    fit, 1 to 256 (default 1); results differ from one thread's by\n"
    "                    rounding only; with N > 1 OpenBLAS is set to one thread for this\n"
    "                    run (its threads would compete)\n"
    "  --chunk-rows N    rows per chunk read (default 65536, fewer past 32 columns)\n"
    "  --save MODEL      save the fitted model (with its column names) to MODEL\n"
    "  --coef-csv FILE   also write the coefficient table as CSV\n"
    "  --stats-csv FILE  also write the model statistics as one CSV row (R's names:\n"
    "                    nobs, df.residual, deviance, aic, bic, logLik, ...)\n"
    "  --keep-data       --save also keeps the fit's per-row results (5 numbers per row)\n"
    "                    for 'occam summary' (residuals); default: no per-row data in the\n"
    "                    file; data of one chunk only\n"
    "  -h, --help        show this help\n";

typedef struct glm_args {
    cli_fit_args fit;
    const char *family, *link, *start, *epsilon, *maxit, *solver, *threads, *chunk_rows;
    int halve, fast, keep_data;
} glm_args;

static double info(const occam_model *m, int key)
{
    double v = NAN;
    if (occam_model_info(m, key, &v) < 0)
        return NAN;
    return v;
}

/* glm(formula = y ~ a + b, family = binomial(link = "logit"), data = f, ...) */
static void print_call(const glm_args *a, const cli_design *d, int family, int link)
{
    if (a->fit.formula)
        printf("\nCall:\nglm(formula = %s", a->fit.formula);
    else
        printf("\nCall:\nglm(formula = %s ~ ", a->fit.y);
    if (a->fit.formula)
        ;
    else if (d->p == 0)
        fputs(a->fit.intercept ? "1" : "0", stdout);
    for (int64_t j = 0; j < d->p && !a->fit.formula; j++)
        printf("%s%s", j ? " + " : "", d->xnames[j]);
    if (!a->fit.intercept && d->p > 0 && !a->fit.formula)
        fputs(" - 1", stdout);
    printf(", family = %s(link = \"%s\"), data = %s", occam_family_name(family), occam_link_name(link), a->fit.data);
    if (a->fit.weights)
        printf(", weights = %s", a->fit.weights);
    if (a->fit.offset)
        printf(", offset = %s", a->fit.offset);
    if (a->start)
        printf(", start = c(%s)", a->start);
    fputs(")\n", stdout);
}

/* The block after the coefficients in print.summary.glm (digits = 4). */
void cli_print_glm_deviances(const occam_model *m, int family)
{
    char buf[64];
    cli_format_num(info(m, OCCAM_INFO_DISPERSION), 7, buf, sizeof buf);
    printf("\n(Dispersion parameter for %s family taken to be %s)\n\n", occam_family_name(family), buf);
    /* R: format(c(null.deviance, deviance), digits = max(5, digits + 1)) and
     * format(c(df.null, df.residual)): each pair in one common format */
    double dev[2] = {info(m, OCCAM_INFO_NULL_DEVIANCE), info(m, OCCAM_INFO_DEVIANCE)};
    double df[2] = {info(m, OCCAM_INFO_DF_NULL), info(m, OCCAM_INFO_DF_RESIDUAL)};
    char d[2][64], f[2][64];
    cli_format_vector(dev, 2, 5, d[0], sizeof d[0]);
    cli_format_vector(df, 2, 7, f[0], sizeof f[0]);
    printf("    Null deviance: %s  on %s  degrees of freedom\n", d[0], f[0]);
    printf("Residual deviance: %s  on %s  degrees of freedom\n", d[1], f[1]);
    double aic = info(m, OCCAM_INFO_AIC);
    if (isnan(aic))
        snprintf(buf, sizeof buf, "NA");
    else
        cli_format_num(aic, 5, buf, sizeof buf);
    printf("AIC: %s\n\nNumber of Fisher Scoring iterations: %.15g\n\n", buf, info(m, OCCAM_INFO_ITER));
}

static int print_summary(const occam_model *m, const glm_args *a, cli_fit_data *f, int family, int link)
{
    print_call(a, &f->d, family, link);
    printf("\nDeviance Residuals: \n");
    int rc = cli_fit_print_residuals(f, m, OCCAM_ROWS_RESID_DEVIANCE, info(m, OCCAM_INFO_DF_RESIDUAL), CLI_RESID_GLM,
                                     "fit glm: cannot read the deviance residuals");
    if (!rc)
        rc = cli_print_coef_table(stdout, m);
    if (!rc)
        cli_print_glm_deviances(m, family);
    return rc;
}

/* "identity, log or sqrt": the links the library accepts for the family
 * (R's pairs), in enum order. */
static void family_links(int family, char *buf, size_t cap)
{
    int ok[OCCAM_LINK_INVERSE_SQUARE + 1] = {0}, n = 0, k = 0;
    for (int link = OCCAM_LINK_IDENTITY; link <= OCCAM_LINK_INVERSE_SQUARE; link++) {
        occam_model *m = NULL;
        ok[link] = occam_glm_new(family, link, &m) == OCCAM_OK;
        occam_model_free(m);
        n += ok[link];
    }
    size_t len = 0;
    buf[0] = '\0';
    for (int link = OCCAM_LINK_IDENTITY; link <= OCCAM_LINK_INVERSE_SQUARE && len < cap; link++) {
        if (!ok[link])
            continue;
        k++;
        int w = snprintf(buf + len, cap - len, "%s%s", k == 1 ? "" : k == n ? " or " : ", ", occam_link_name(link));
        len += w > 0 ? (size_t)w : 0;
    }
}

/* A link name that is unknown, or not one of the family's: one line listing
 * the family's links. */
static int bad_link(const char *cmd, const char *name, int family, int known)
{
    char links[160];
    family_links(family, links, sizeof links);
    if (known)
        return cli_fail(CLI_EXIT_USAGE, "%s: link '%s' is not available for the %s family (use %s)", cmd, name,
                        occam_family_name(family), links);
    return cli_fail(CLI_EXIT_USAGE, "%s: unknown link '%s' for the %s family (use %s)", cmd, name,
                    occam_family_name(family), links);
}

/* Family, link and the glm.control options into a model and options. */
static int setup(const glm_args *a, occam_model **m, occam_opts **opts, int *family, int *link)
{
    const char *cmd = "fit glm";
    *link = OCCAM_LINK_DEFAULT;
    int st = occam_family_parse(a->family, family);
    if (st < 0)
        return cli_fail(CLI_EXIT_USAGE, "%s: %s", cmd, occam_last_error());
    if (a->link && (st = occam_link_parse(a->link, link)) < 0)
        return bad_link(cmd, a->link, *family, 0);
    if ((st = occam_glm_new(*family, *link, m)) == OCCAM_E_BAD_LINK)
        return bad_link(cmd, a->link, *family, 1);
    if (st < 0)
        return cli_fail(CLI_EXIT_USAGE, "%s: %s", cmd, occam_last_error());
    if ((st = occam_opts_new(opts)) < 0 ||
        (st = occam_opts_set_int(*opts, OCCAM_OPT_INTERCEPT, a->fit.intercept)) < 0)
        return cli_fail_status(st, "%s: cannot create the options", cmd);
    int rc = 0;
    if (a->epsilon) {
        double e;
        if ((rc = cli_parse_double(cmd, a->epsilon, "--epsilon", &e)) != 0)
            return rc;
        if ((st = occam_opts_set_double(*opts, OCCAM_OPT_EPSILON, e)) < 0)
            return cli_bad_option_value(cmd, "--epsilon");
    }
    if (a->maxit) {
        int64_t k;
        if ((rc = cli_parse_int64(cmd, a->maxit, "--maxit", &k)) != 0)
            return rc;
        if ((st = occam_opts_set_int(*opts, OCCAM_OPT_MAXIT, k)) < 0)
            return cli_bad_option_value(cmd, "--maxit");
    }
    if (a->solver) {
        int s = strcmp(a->solver, "qr") == 0         ? OCCAM_SOLVER_QR
                : strcmp(a->solver, "cholesky") == 0 ? OCCAM_SOLVER_CHOLESKY
                : strcmp(a->solver, "auto") == 0     ? OCCAM_SOLVER_AUTO
                                                     : 0;
        if (s == 0)
            return cli_fail(CLI_EXIT_USAGE, "%s: --solver must be auto, qr or cholesky, not '%s'", cmd, a->solver);
        occam_opts_set_int(*opts, OCCAM_OPT_SOLVER, s);
    }
    if (a->halve)
        occam_opts_set_int(*opts, OCCAM_OPT_HALVE_ON_INCREASE, 1);
    if (a->fast)
        occam_opts_set_int(*opts, OCCAM_OPT_FAST, 1);
    if (a->keep_data)
        occam_opts_set_int(*opts, OCCAM_OPT_KEEP_DATA, 1);
    if (a->threads) {
        int64_t t;
        if ((rc = cli_parse_int64(cmd, a->threads, "--threads", &t)) != 0)
            return rc;
        if ((st = occam_opts_set_int(*opts, OCCAM_OPT_THREADS, t)) < 0)
            return cli_bad_option_value(cmd, "--threads");
        if (t > 1)
            cli_blas_single_thread();
    }
    if (a->start) {
        double *b = NULL;
        int64_t k = 0;
        if ((rc = cli_parse_double_list(cmd, a->start, "--start", &b, &k)) != 0)
            return rc;
        st = occam_glm_set_start(*m, b, k);
        free(b);
        if (st < 0)
            return cli_fail_status(st, "%s: --start", cmd);
    }
    return 0;
}

static int fit_and_report(const glm_args *a, cli_fit_data *f)
{
    occam_model *m = NULL;
    occam_opts *opts = NULL;
    int family = 0, link = 0;
    int rc = setup(a, &m, &opts, &family, &link);
    if (!rc && a->fast && f->streamed)
        rc = cli_fail(CLI_EXIT_USAGE, "fit glm: --fast fits data held in memory only, and %s is more than "
                      "one chunk: raise --chunk-rows to at least its number of rows, or drop --fast",
                      a->fit.data);
    if (!rc && a->keep_data && f->streamed)
        rc = cli_fail(CLI_EXIT_USAGE, "fit glm: --keep-data keeps the rows of data held in memory only, and %s is "
                      "more than one chunk (a streamed fit has no per-row results): raise --chunk-rows to at least "
                      "its number of rows, or drop --keep-data", a->fit.data);
    if (!rc) {
        /* a warning (not converged, fitted 0/1, ...) prints on stderr and goes on */
        char label[1100];
        snprintf(label, sizeof label, "fit glm on %s", a->fit.data);
        rc = cli_fit_model(f, m, opts, label);
        link = (int)info(m, OCCAM_INFO_LINK);
        if (!rc && a->fast && info(m, OCCAM_INFO_FAST) != 1)
            fprintf(stderr, "occam: fit glm: note: --fast fell back to R's IRLS path (a warning, aliased "
                            "columns, mustart, or no converging chord steps)\n");
    }
    if (!rc)
        rc = cli_design_name_model(m, &f->d);
    if (!rc)
        rc = print_summary(m, a, f, family, link);
    if (!rc)
        rc = cli_write_coef_csv("fit glm", m, a->fit.coef_csv);
    if (!rc)
        rc = cli_write_stats_csv("fit glm", m, a->fit.stats_csv);
    if (!rc)
        rc = cli_save_model("fit glm", m, a->fit.save);
    occam_opts_free(opts);
    occam_model_free(m);
    return rc;
}

int cli_fit_glm(int argc, char **argv)
{
    enum { OPT_FAMILY = CLI_OPT_CUSTOM, OPT_LINK, OPT_START, OPT_EPSILON, OPT_MAXIT, OPT_SOLVER, OPT_HALVE, OPT_THREADS,
           OPT_CHUNK_ROWS, OPT_FAST, OPT_KEEP_DATA };
    static const struct option longopts[] = {
        CLI_FIT_LONG_OPTIONS,
        CLI_FORMULA_LONG_OPTIONS,
        {"family", required_argument, NULL, OPT_FAMILY},
        {"link", required_argument, NULL, OPT_LINK},
        {"start", required_argument, NULL, OPT_START},
        {"epsilon", required_argument, NULL, OPT_EPSILON},
        {"maxit", required_argument, NULL, OPT_MAXIT},
        {"solver", required_argument, NULL, OPT_SOLVER},
        {"halve-on-increase", no_argument, NULL, OPT_HALVE},
        {"fast", no_argument, NULL, OPT_FAST},
        {"keep-data", no_argument, NULL, OPT_KEEP_DATA},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"chunk-rows", required_argument, NULL, OPT_CHUNK_ROWS},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *cmd = "fit glm";
    glm_args a;
    memset(&a, 0, sizeof a);
    cli_fit_args_init(&a.fit);
    int c, started = 0;
    while ((c = cli_getopt(argc, argv, longopts, &started)) != -1) {
        switch (c) {
        case 'h': fputs(fit_usage, stdout); return CLI_EXIT_OK;
        case OPT_FAMILY: a.family = optarg; break;
        case OPT_LINK: a.link = optarg; break;
        case OPT_START: a.start = optarg; break;
        case OPT_EPSILON: a.epsilon = optarg; break;
        case OPT_MAXIT: a.maxit = optarg; break;
        case OPT_SOLVER: a.solver = optarg; break;
        case OPT_HALVE: a.halve = 1; break;
        case OPT_FAST: a.fast = 1; break;
        case OPT_KEEP_DATA: a.keep_data = 1; break;
        case OPT_THREADS: a.threads = optarg; break;
        case OPT_CHUNK_ROWS: a.chunk_rows = optarg; break;
        default:
            if (!cli_fit_args_take(&a.fit, c, optarg))
                return cli_bad_option(cmd, c, argv);
        }
    }
    int rc = cli_no_operands(cmd, argc, argv);
    if (!rc)
        rc = cli_require(cmd, a.family, "family");
    if (!rc)
        rc = cli_require(cmd, a.fit.data, "data");
    if (rc)
        return rc;
    cli_read_opts ro = {0, 1};
    if ((rc = cli_read_options(cmd, a.chunk_rows, a.threads, 0, &ro)) != 0)
        return rc;
    cli_fit_data f;
    if ((rc = cli_fit_open(cmd, &a.fit, &ro, &f)) == 0) {
        a.fit.intercept = cli_design_intercept(&f.d, a.fit.intercept);
        rc = fit_and_report(&a, &f);
    }
    cli_fit_close(&f);
    return rc;
}
