/*
 * cli_gg.c -- `occam fit gg --data FILE.csv [--x COL] [--m COL] [--weights
 * COL]`: the Gamma-Gamma spend model (occam_gg_new) fitted to one row per
 * customer with x, the number of repeat transactions, and m_x, their mean
 * value (the columns x and m_x by default; rows with x = 0 are read and
 * skipped by the library); prints the parameter table, log-likelihood,
 * iterations and the correlation of x and m_x, which the model assumes to
 * be near 0 (lifetimes' docs advise checking it).  The rows are read in
 * chunks into memory O(customers).  With --events the rows are built from a
 * transaction log instead (cli_gg_events.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: occam fit gg --data FILE.csv [--x COL] [--m COL] [--weights COL] [--grad-tol G]\n"
    "                    [--maxit N] [--chunk-rows N] [--save MODEL] [--coef-csv FILE]\n"
    "                    [--stats-csv FILE] [--unit weeks|days|other [--unit-days D]]\n"
    "       occam fit gg --events FILE.csv --id COL --time COL --value COL\n"
    "                    --calibration-end VALUE [--unit weeks|days] [--merge-period P]\n"
    "                    [--summary-csv FILE] [options]\n"
    "\n"
    "Gamma-Gamma spend model (Colombo & Jiang 1999; Fader, Hardie & Lee 2005) fitted by\n"
    "maximum likelihood: transaction values ~ Gamma(p, nu), nu ~ Gamma(q, gamma) across\n"
    "customers.  One row per customer; rows with x = 0 carry no spend and are skipped.\n"
    "\n"
    "Customer rows (--data)\n"
    "  --data FILE.csv   customer rows\n"
    "  --x COL           number of repeat transactions (default column 'x')\n"
    "  --m COL           mean value of the repeat transactions (default 'm_x'; the first\n"
    "                    purchase excluded, same-day purchases summed, as the reference)\n"
    "  --weights COL     customers each row stands for\n"
    "Transaction log (--events): one row per transaction, x and m_x built as fit pnbd\n"
    "counts x: the transactions of one customer in one period are one transaction whose\n"
    "value is their sum, the first one (the first purchase) is not a repeat transaction;\n"
    "x = the repeat transactions by the calibration end, m_x = the mean of their values\n"
    "  --id COL          customer id column (any text)\n"
    "  --time COL        transaction time: ISO dates YYYY-MM-DD[THH:MM[:SS]] or numbers\n"
    "  --value COL       the transaction's value (a number)\n"
    "  --calibration-end VALUE  end of the calibration period (inclusive), same kind as --time\n"
    "  --unit U          with dates: weeks (default) or days, recorded in the model with\n"
    "                    the calibration end\n"
    "  --merge-period P  one period of P time units holds one transaction (default 1 day\n"
    "                    for dates; required for numbers; > 0)\n"
    "  --summary-csv FILE  write the built rows (id,x,m_x) as CSV\n"
    "Options\n"
    "  --grad-tol G      convergence tolerance on the gradient (default 1e-9)\n"
    "  --maxit N         maximum Newton iterations (default 200)\n"
    "  --chunk-rows N    rows per chunk read (default 65536)\n"
    "  --save MODEL      save the fitted model to MODEL\n"
    "  --coef-csv FILE   write the parameter table (terms p, q, gamma) as CSV\n"
    "  --stats-csv FILE  write the fit's statistics as one CSV row\n"
    "  --unit U          the time unit of the customers' data, recorded in the model\n"
    "                    (weeks, days, or other with --unit-days D its length in days)\n"
    "  -h, --help        show this help\n";


static int grow(gg_rows *g, int64_t need, int weighted)
{
    if (need <= g->cap) return 0;
    int64_t cap = g->cap ? g->cap : 65536;
    while (cap < need) cap *= 2;
    double *x = realloc(g->x, (size_t)cap * sizeof *x), *m = x ? realloc(g->m, (size_t)cap * sizeof *m) : NULL;
    if (x) g->x = x;
    if (m) g->m = m;
    double *w = weighted && m ? realloc(g->w, (size_t)cap * sizeof *w) : g->w;
    if (weighted && w) g->w = w;
    if (!x || !m || (weighted && !w)) return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    g->cap = cap;
    return 0;
}

int cli_gg_load(const cli_fit_args *f, const char *mcol, const cli_read_opts *ro, gg_rows *g)
{
    cli_reader *r = NULL;
    int rc = cli_reader_open(f->data, ro, &r);
    int64_t col[3] = {-1, -1, -1}, n = 0, ld;
    if (!rc) rc = cli_reader_require(r, f->x ? f->x : "x", &col[0]);
    if (!rc) rc = cli_reader_require(r, mcol ? mcol : "m_x", &col[1]);
    if (!rc && f->weights) rc = cli_reader_require(r, f->weights, &col[2]);
    if (!rc) rc = cli_reader_numbers(r, col, f->weights ? 3 : 2);
    while (!rc && (rc = cli_reader_next(r, &n)) == 0 && n > 0) {
        const double *b = cli_reader_block(r, &ld);
        if ((rc = grow(g, g->n + n, f->weights != NULL)) != 0) break;
        memcpy(g->x + g->n, b, (size_t)n * sizeof(double));
        memcpy(g->m + g->n, b + ld, (size_t)n * sizeof(double));
        if (f->weights) memcpy(g->w + g->n, b + 2 * ld, (size_t)n * sizeof(double));
        g->n += n;
    }
    cli_reader_close(r);
    return rc;
}

static double info(const occam_model *m, int key)
{
    double v = NAN;
    return occam_model_info(m, key, &v) == OCCAM_OK ? v : NAN;
}

int cli_print_gg_fit(const occam_model *m)
{
    int rc = cli_print_coef_table(stdout, m);
    if (rc) return rc;
    printf("\nLog-likelihood: %.10g (df = 3)   AIC: %.10g\n", info(m, OCCAM_INFO_LOGLIK), info(m, OCCAM_INFO_AIC));
    printf("Iterations: %.0f, %s (max |gradient| of the mean log-likelihood over log-parameters: %.3g)\n",
           info(m, OCCAM_INFO_ITER), info(m, OCCAM_INFO_CONVERGED) == 1 ? "converged" : "NOT converged",
           info(m, OCCAM_INFO_GRAD_NORM));
    printf("Correlation of x and m_x: %.4f (the model assumes spend independent of frequency: near 0)\n",
           info(m, OCCAM_INFO_CORRELATION));
    cli_print_context(stdout, m);
    return 0;
}

/* The options of --events and of --data exclude each other. */
static int events_usage(const cli_fit_args *a, const cli_gg_events_args *ev, const char *mcol, const char *unit_days)
{
    const char *cmd = "fit gg";
    if (a->data || a->x || mcol || a->weights || unit_days)
        return cli_fail(CLI_EXIT_USAGE, "%s: --%s does not apply to --events (x and m_x are built from the log)", cmd,
                        a->data ? "data" : a->x ? "x" : mcol ? "m" : a->weights ? "weights" : "unit-days");
    int rc = cli_require(cmd, ev->id, "id");
    if (!rc) rc = cli_require(cmd, ev->time, "time");
    if (!rc) rc = cli_require(cmd, ev->value, "value");
    if (!rc) rc = cli_require(cmd, ev->cal_end, "calibration-end");
    return rc;
}

static int no_events_usage(const cli_fit_args *a, const cli_gg_events_args *ev)
{
    const char *flag = ev->id ? "id" : ev->time ? "time" : ev->value ? "value" : ev->cal_end ? "calibration-end"
                     : ev->merge ? "merge-period" : ev->summary_csv ? "summary-csv" : NULL;
    if (flag) return cli_fail(CLI_EXIT_USAGE, "fit gg: --%s applies to --events only", flag);
    return cli_require("fit gg", a->data, "data");
}

static int make_opts(const char *grad_tol, const char *maxit, occam_opts **o)
{
    const char *cmd = "fit gg";
    int st = occam_opts_new(o), rc = st == OCCAM_OK ? 0 : cli_fail_status(st, "%s", cmd);
    double g = 0;
    int64_t k = 0;
    if (!rc && grad_tol && !(rc = cli_parse_double(cmd, grad_tol, "--grad-tol", &g)) &&
        (st = occam_opts_set_double(*o, OCCAM_OPT_GRAD_TOL, g)) != OCCAM_OK)
        rc = cli_fail_status(st, "%s: --grad-tol %s", cmd, grad_tol);
    if (!rc && maxit && !(rc = cli_parse_int64(cmd, maxit, "--maxit", &k)) &&
        (st = occam_opts_set_int(*o, OCCAM_OPT_MAXIT, k)) != OCCAM_OK)
        rc = cli_fail_status(st, "%s: --maxit %s", cmd, maxit);
    return rc;
}

int cli_fit_gg(int argc, char **argv)
{
    enum { OPT_M = CLI_OPT_CUSTOM, OPT_GRAD_TOL, OPT_MAXIT, OPT_CHUNK_ROWS, OPT_UNIT, OPT_UNIT_DAYS, OPT_EVENTS, OPT_ID,
           OPT_TIME, OPT_VALUE, OPT_CAL_END, OPT_MERGE, OPT_SUMMARY_CSV };
    static const struct option longopts[] = {CLI_FIT_LONG_OPTIONS,
                                             {"m", required_argument, NULL, OPT_M},
                                             {"grad-tol", required_argument, NULL, OPT_GRAD_TOL},
                                             {"maxit", required_argument, NULL, OPT_MAXIT},
                                             {"chunk-rows", required_argument, NULL, OPT_CHUNK_ROWS},
                                             {"unit", required_argument, NULL, OPT_UNIT},
                                             {"unit-days", required_argument, NULL, OPT_UNIT_DAYS},
                                             {"events", required_argument, NULL, OPT_EVENTS},
                                             {"id", required_argument, NULL, OPT_ID},
                                             {"time", required_argument, NULL, OPT_TIME},
                                             {"value", required_argument, NULL, OPT_VALUE},
                                             {"calibration-end", required_argument, NULL, OPT_CAL_END},
                                             {"merge-period", required_argument, NULL, OPT_MERGE},
                                             {"summary-csv", required_argument, NULL, OPT_SUMMARY_CSV},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    const char *cmd = "fit gg", *mcol = NULL, *grad_tol = NULL, *maxit = NULL, *chunk_rows = NULL, *unit = NULL,
               *unit_days = NULL;
    cli_fit_args a;
    cli_fit_args_init(&a);
    cli_gg_events_args ev = {0};
    int c, started = 0;
    while ((c = cli_getopt(argc, argv, longopts, &started)) != -1) {
        switch (c) {
        case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
        case OPT_M: mcol = optarg; break;
        case OPT_GRAD_TOL: grad_tol = optarg; break;
        case OPT_MAXIT: maxit = optarg; break;
        case OPT_CHUNK_ROWS: chunk_rows = optarg; break;
        case OPT_UNIT: unit = optarg; break;
        case OPT_UNIT_DAYS: unit_days = optarg; break;
        case OPT_EVENTS: ev.events = optarg; break;
        case OPT_ID: ev.id = optarg; break;
        case OPT_TIME: ev.time = optarg; break;
        case OPT_VALUE: ev.value = optarg; break;
        case OPT_CAL_END: ev.cal_end = optarg; break;
        case OPT_MERGE: ev.merge = optarg; break;
        case OPT_SUMMARY_CSV: ev.summary_csv = optarg; break;
        default:
            if (!cli_fit_args_take(&a, c, optarg)) return cli_bad_option(cmd, c, argv);
        }
    }
    int rc = cli_no_operands(cmd, argc, argv);
    if (!rc) rc = ev.events ? events_usage(&a, &ev, mcol, unit_days) : no_events_usage(&a, &ev);
    if (!rc && (a.y || a.offset || !a.intercept))
        rc = cli_fail(CLI_EXIT_USAGE, "%s: --%s does not apply to a Gamma-Gamma model", cmd,
                      a.y ? "y" : a.offset ? "offset" : "no-intercept");
    int ctx_unit = OCCAM_UNIT_UNKNOWN;
    double ctx_days = NAN;
    if (!rc && !ev.events) rc = cli_parse_unit(cmd, unit, unit_days, &ctx_unit, &ctx_days);
    cli_read_opts ro;
    if (!rc) rc = cli_read_options(cmd, chunk_rows, NULL, 1, &ro);
    gg_rows g = {0};
    occam_opts *o = NULL;
    occam_model *m = NULL;
    cli_gg_events_info evi = {0};
    ev.unit = unit;
    if (!rc) rc = ev.events ? cli_gg_events_load(&ev, &ro, &g, &evi) : cli_gg_load(&a, mcol, &ro, &g);
    if (!rc && ev.events && evi.dates) ctx_unit = evi.unit == 7.0 ? OCCAM_UNIT_WEEKS : OCCAM_UNIT_DAYS;
    if (!rc && ev.events && evi.dates) ctx_days = evi.unit;
    if (!rc) rc = make_opts(grad_tol, maxit, &o);
    if (!rc) {
        double *X = malloc((size_t)(g.n > 0 ? g.n : 1) * 2 * sizeof *X);
        int st = X ? occam_gg_new(&m) : OCCAM_E_NOMEM;
        if (X) memcpy(X, g.x, (size_t)g.n * sizeof *X), memcpy(X + g.n, g.m, (size_t)g.n * sizeof *X);
        if (st == OCCAM_OK) st = occam_model_fit(m, o, X, g.n, 2, g.n, OCCAM_COL_MAJOR, NULL, g.w, NULL);
        free(X);
        const char *src = ev.events ? ev.events : a.data;
        if (st < 0) rc = cli_fail_status(st, "%s on %s", cmd, src);
        else if (st > 0) cli_fail_status(st, "%s on %s", cmd, src);
    }
    if (!rc && !ev.events) { /* the context: the unit given, the columns fitted (no calibration end in --data) */
        const char *names[2] = {a.x ? a.x : "x", mcol ? mcol : "m_x"};
        rc = cli_context_store(cmd, m, ctx_unit, ctx_days, NAN, NULL, names, 2);
    } else if (!rc) { /* the unit of the dates and the calibration end */
        rc = cli_context_store(cmd, m, ctx_unit, ctx_days, evi.cal_end, ev.cal_end, NULL, 2);
    }
    if (!rc && !ev.events) {
        printf("\nGamma-Gamma spend model fitted to %.0f customers with x > 0 (%lld rows in %s)\n",
               info(m, OCCAM_INFO_NOBS), (long long)g.n, a.data);
    } else if (!rc) {
        printf("\nGamma-Gamma spend model fitted to %.0f customers with x > 0, from %lld transactions in %s\n"
               "(calibration end %s%s): %lld customers by the calibration end, %lld with x = 0 skipped",
               info(m, OCCAM_INFO_NOBS), (long long)evi.n_events, ev.events, ev.cal_end,
               evi.dates && evi.merge == 1 ? ", same-day transactions merged, values summed"
                                             : ", same-period transactions merged, values summed",
               (long long)g.n, (long long)evi.n_zero);
        if (evi.n_late > 0) printf(", %lld born after it not counted", (long long)evi.n_late);
        printf("\n");
    }
    if (!rc) rc = cli_print_gg_fit(m);
    if (!rc) rc = cli_write_coef_csv(cmd, m, a.coef_csv);
    if (!rc) rc = cli_write_stats_csv(cmd, m, a.stats_csv);
    if (!rc) rc = cli_save_model(cmd, m, a.save);
    occam_model_free(m);
    occam_opts_free(o);
    free(g.x), free(g.m), free(g.w);
    return rc;
}
