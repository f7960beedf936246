/*
 * cli_clv.c -- `occam clv --pnbd PNBDMODEL --gg GGMODEL --data FILE.csv
 * [--discount DELTA | --annual-discount RATE] [--margin M] [--horizon H]`:
 * one CSV row per customer, in input order, of what a customer is worth:
 * id, P(alive), expected transactions in the next H time units, DERT,
 * expected spend per transaction and CLV = margin x spend x DERT
 * (occam_clv_table; Fader, Hardie & Lee 2005).  The customers' columns x, t_x, T
 * (the Pareto/NBD model's time unit) and m_x are read in chunks and each
 * chunk's rows are written before the next is read: memory O(chunk).
 */
#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: occam clv --pnbd PNBDMODEL --gg GGMODEL --data FILE.csv\n"
    "                 (--discount DELTA | --annual-discount RATE [--periods-per-year K])\n"
    "                 [--margin M] [--horizon H] [--id COL] [--output FILE] [--chunk-rows N]\n"
    "                 [--unit weeks|days|other [--unit-days D]]\n"
    "\n"
    "Customer lifetime value: one CSV row per customer of FILE.csv, in input order:\n"
    "id,p_alive,expected,dert,spend,clv (17 significant digits), with\n"
    "clv = margin x spend x dert (Fader, Hardie & Lee 2005).\n"
    "\n"
    "  --pnbd MODEL      a saved Pareto/NBD model (purchases and dropout)\n"
    "  --gg MODEL        a saved Gamma-Gamma model (spend per transaction)\n"
    "  --data FILE.csv   one row per customer with columns x, t_x, T (in the Pareto/NBD\n"
    "                    model's time unit) and m_x (mean value of the repeat purchases),\n"
    "                    or the columns the models were fitted on (their saved names)\n"
    "  --discount DELTA  continuous discount rate per model time unit (> 0)\n"
    "  --annual-discount RATE  yearly rate, as DELTA = ln(1 + RATE) / K\n"
    "  --periods-per-year K  model time units per year for --annual-discount (default\n"
    "                    from the Pareto/NBD model's unit: 365 for days, else 52; needed\n"
    "                    for a unit 'other')\n"
    "  --margin M        share of spend that is profit (default 1: revenue)\n"
    "  --horizon H       the expected column: transactions in (T, T + H] (default 52)\n"
    "  --id COL          the id column (default 'id' when the file has one, else row numbers)\n"
    "  --output FILE     write the CSV to FILE (replaced once complete) instead of stdout\n"
    "  --chunk-rows N    rows read at a time (default 65536)\n"
    "  --unit U          the time unit of the data (weeks, days, or other with --unit-days\n"
    "                    D); refused when the Pareto/NBD model records another, as are\n"
    "                    two models of different units\n"
    "  -h, --help        show this help\n";

struct clv_args {
    const char *pnbd, *gg, *data, *discount, *annual, *ppy, *margin, *horizon, *id, *output, *chunk_rows, *unit,
        *unit_days;
};

static int load_model(const char *path, int kind, const char *what, occam_model **m)
{
    int st = occam_model_load(path, m);
    if (st < 0) return cli_fail_status(st, "clv: cannot load the %s model '%s'", what, path);
    if (occam_model_kind(*m) != kind) return cli_fail(CLI_EXIT_USAGE, "clv: '%s' is not a %s model", path, what);
    return 0;
}

static int rates(const struct clv_args *a, const occam_model *pn, double *delta, double *margin, double *horizon)
{
    const char *cmd = "clv";
    int rc = 0;
    if (!a->discount == !a->annual)
        return cli_fail(CLI_EXIT_USAGE, "clv: give --discount DELTA or --annual-discount RATE (one of them)");
    if (a->discount) rc = cli_parse_double(cmd, a->discount, "--discount", delta);
    else {
        double r = 0, k = 52;
        if (!a->ppy) rc = cli_periods_per_year(cmd, pn, &k); /* from the model's unit: 52 weeks, 365 days */
        if (!rc && !(rc = cli_parse_double(cmd, a->annual, "--annual-discount", &r)) && a->ppy)
            rc = cli_parse_double(cmd, a->ppy, "--periods-per-year", &k);
        if (!rc && !(r > -1 && k > 0))
            rc = cli_fail(CLI_EXIT_USAGE, "clv: --annual-discount must be > -1 and --periods-per-year > 0");
        *delta = log1p(r) / k;
    }
    if (!rc && !(*delta > 0 && isfinite(*delta)))
        rc = cli_fail(CLI_EXIT_USAGE, "clv: the discount rate must be > 0 (got %g per time unit)", *delta);
    *margin = 1;
    *horizon = 52;
    if (!rc && a->margin) rc = cli_parse_double(cmd, a->margin, "--margin", margin);
    if (!rc && a->horizon) rc = cli_parse_double(cmd, a->horizon, "--horizon", horizon);
    if (!rc && !(*horizon >= 0)) rc = cli_fail(CLI_EXIT_USAGE, "clv: --horizon must be >= 0");
    return rc;
}

static void put_text(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n")) csv_fwrite(f, s, strlen(s));
    else fputs(s, f);
}

static int run(const struct clv_args *a)
{
    double delta = 0, margin = 1, horizon = 52;
    occam_model *pn = NULL, *gg = NULL;
    int rc = rates(a, NULL, &delta, &margin, &horizon);
    if (!rc) rc = load_model(a->pnbd, OCCAM_MODEL_PNBD, "Pareto/NBD", &pn);
    if (!rc) rc = load_model(a->gg, OCCAM_MODEL_GG, "Gamma-Gamma", &gg);
    if (!rc && a->annual && !a->ppy) rc = rates(a, pn, &delta, &margin, &horizon); /* K from the model's unit */
    /* the models' units against each other and --unit; the columns they were fitted on */
    if (!rc) rc = cli_context_pair("clv", pn, gg);
    if (!rc && (a->unit || a->unit_days)) rc = cli_context_check("clv", pn, a->unit, a->unit_days);
    char *names[4] = {NULL, NULL, NULL, NULL};
    for (int j = 0; !rc && j < 4; j++) rc = cli_column_name(j < 3 ? pn : gg, j < 3 ? j : 1, &names[j]);
    cli_read_opts ro;
    cli_reader *r = NULL;
    if (!rc) rc = cli_read_options("clv", a->chunk_rows, NULL, 1, &ro);
    if (!rc) rc = cli_reader_open(a->data, &ro, &r);
    int64_t col[4], id_col = -1, n = 0, ld;
    for (int j = 0; !rc && j < 4; j++) rc = cli_reader_require(r, names[j], &col[j]);
    for (int j = 0; j < 4; j++) free(names[j]);
    if (!rc) rc = cli_reader_numbers(r, col, 4);
    if (!rc && a->id) rc = cli_reader_require(r, a->id, &id_col);
    else if (!rc) id_col = cli_reader_find(r, "id");
    if (!rc && id_col >= 0) rc = cli_reader_text(r, id_col);
    int64_t cap = rc ? 0 : cli_reader_chunk_rows(r);
    double *out = rc ? NULL : malloc((size_t)cap * 5 * sizeof *out);
    if (!rc && !out) rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
    cli_outfile *o = NULL;
    FILE *f = NULL;
    while (!rc && (rc = cli_reader_next(r, &n)) == 0 && n > 0) {
        const double *B = cli_reader_block(r, &ld);
        double *pa = out, *ex = out + cap, *cl = out + 2 * cap, *de = out + 3 * cap, *sp = out + 4 * cap;
        int st = occam_clv_table(pn, gg, B, n, ld, OCCAM_COL_MAJOR, delta, margin, horizon, pa, ex, de, sp, cl, n);
        if ((rc = cli_fail_status(st, "clv: %s (rows from %lld)", a->data, (long long)cli_reader_row0(r) + 1)) != 0)
            break;
        if (!f) {
            f = stdout;
            if (a->output && (rc = cli_outfile_open("clv: --output", a->output, &o, &f)) != 0) break;
            fputs("id,p_alive,expected,dert,spend,clv\n", f);
        }
        for (int64_t i = 0; i < n; i++) {
            if (id_col >= 0) put_text(f, cli_reader_cell(r, i, id_col));
            else fprintf(f, "%lld", (long long)(cli_reader_row0(r) + i + 1));
            const double v[5] = {pa[i], ex[i], de[i], sp[i], cl[i]};
            char line[5 * (CLI_NUMBER_CHARS + 1) + 1];
            size_t k = 0;
            for (int j = 0; j < 5; j++) {
                line[k++] = ',';
                k += cli_number_format(line + k, v[j]); /* as cli_put_number */
            }
            line[k++] = '\n';
            fwrite(line, 1, k, f);
        }
    }
    if (rc) cli_outfile_abort(o);
    else if (o) rc = cli_outfile_commit(o);
    free(out);
    cli_reader_close(r);
    occam_model_free(pn);
    occam_model_free(gg);
    return rc;
}

int cli_clv(int argc, char **argv)
{
    enum { OPT_PNBD = CLI_OPT_CUSTOM, OPT_GG, OPT_DISCOUNT, OPT_ANNUAL, OPT_PPY, OPT_MARGIN, OPT_HORIZON, OPT_ID,
           OPT_OUTPUT, OPT_CHUNK_ROWS, OPT_UNIT, OPT_UNIT_DAYS };
    static const struct option longopts[] = {{"pnbd", required_argument, NULL, OPT_PNBD},
                                             {"gg", required_argument, NULL, OPT_GG},
                                             {"data", required_argument, NULL, CLI_OPT_DATA},
                                             {"discount", required_argument, NULL, OPT_DISCOUNT},
                                             {"annual-discount", required_argument, NULL, OPT_ANNUAL},
                                             {"periods-per-year", required_argument, NULL, OPT_PPY},
                                             {"margin", required_argument, NULL, OPT_MARGIN},
                                             {"horizon", required_argument, NULL, OPT_HORIZON},
                                             {"id", required_argument, NULL, OPT_ID},
                                             {"output", required_argument, NULL, OPT_OUTPUT},
                                             {"chunk-rows", required_argument, NULL, OPT_CHUNK_ROWS},
                                             {"unit", required_argument, NULL, OPT_UNIT},
                                             {"unit-days", required_argument, NULL, OPT_UNIT_DAYS},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    const char *cmd = "clv";
    struct clv_args a = {0};
    int c, started = 0;
    while ((c = cli_getopt(argc, argv, longopts, &started)) != -1) {
        switch (c) {
        case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
        case OPT_PNBD: a.pnbd = optarg; break;
        case OPT_GG: a.gg = optarg; break;
        case CLI_OPT_DATA: a.data = optarg; break;
        case OPT_DISCOUNT: a.discount = optarg; break;
        case OPT_ANNUAL: a.annual = optarg; break;
        case OPT_PPY: a.ppy = optarg; break;
        case OPT_MARGIN: a.margin = optarg; break;
        case OPT_HORIZON: a.horizon = optarg; break;
        case OPT_ID: a.id = optarg; break;
        case OPT_OUTPUT: a.output = optarg; break;
        case OPT_CHUNK_ROWS: a.chunk_rows = optarg; break;
        case OPT_UNIT: a.unit = optarg; break;
        case OPT_UNIT_DAYS: a.unit_days = optarg; break;
        default: return cli_bad_option(cmd, c, argv);
        }
    }
    int rc = cli_no_operands(cmd, argc, argv);
    if (!rc) rc = cli_require(cmd, a.pnbd, "pnbd");
    if (!rc) rc = cli_require(cmd, a.gg, "gg");
    if (!rc) rc = cli_require(cmd, a.data, "data");
    return rc ? rc : run(&a);
}
