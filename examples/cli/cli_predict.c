/*
 * cli_predict.c -- `occam predict MODEL --data FILE.csv [--type TYPE]
 * [--horizon T] [--discount DELTA] [--offset COL] [--id COL] [--output FILE]`: predictions as
 * CSV on stdout, or in FILE (replaced atomically, cli_outfile.c).
 *
 * Columns: when the model stores column names (fits store them, hand-coded
 * models get them from --names) each is looked up by name in the CSV, which
 * may hold other columns too; otherwise every CSV column except the --offset
 * and --id columns is used in file order, and their count must equal the
 * model's.  Only the columns used (and --offset) are read as numbers; the
 * --id column is copied to the output as text.
 */
#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_formula.h"

static const char usage[] =
    "Usage: occam predict MODEL --data FILE.csv [--type TYPE] [--horizon T] [--discount DELTA]\n"
    "                     [--offset COL] [--id COL] [--se-fit] [--output FILE] [--chunk-rows N]\n"
    "                     [--x COL] [--tx COL] [--T COL] [--m COL]\n"
    "                     [--threads N] [--unit weeks|days|other [--unit-days D]]\n"
    "\n"
    "Predict with a saved model for every row of FILE.csv; writes CSV to stdout (or\n"
    "FILE): a header line 'prediction', then one value per row (17 significant digits).\n"
    "\n"
    "  --data FILE.csv   CSV with a header row (required; '-': standard input, read as\n"
    "                    it comes, predictions written chunk by chunk); the model's\n"
    "                    column names select its columns, or, for a model without\n"
    "                    names, every column (except --offset and --id) is used in\n"
    "                    order.  Only the columns used must hold numbers.  A model\n"
    "                    fitted with a formula rebuilds its columns from the formula\n"
    "                    and the stored factor levels (an unseen level fails)\n"
    "  --x COL, --tx COL, --T COL, --m COL  Pareto/NBD (x, t_x, T) and Gamma-Gamma (x,\n"
    "                    m_x): read the model's column from COL instead of the name\n"
    "                    it was fitted with\n"
    "  --type TYPE       what to predict; the types of each model kind:\n"
    "                    linear and GLM models:\n"
    "                      response      fitted value; for a GLM the mean mu (default)\n"
    "                      link          linear predictor eta (offset included)\n"
    "                    Pareto/NBD models, one customer per row with columns x\n"
    "                    (repeat transactions), t_x (time of the last one) and T\n"
    "                    (time since the first), in the model's time unit:\n"
    "                      palive        P(alive at T | x, t_x, T) (default)\n"
    "                      expected      E[transactions in (T, T + horizon] | x, t_x, T];\n"
    "                                    needs --horizon\n"
    "                      loglik        the customer's log-likelihood\n"
    "                      expected_new  E[X(t)]: the expected number of transactions\n"
    "                                    of a NEW customer in (0, t], t from column\n"
    "                                    T (columns x and t_x are not needed)\n"
    "                      prob          P(X(t) = x): the probability that a NEW\n"
    "                                    customer makes exactly x transactions in\n"
    "                                    (0, t]; x from column x (an integer >= 0),\n"
    "                                    t from column T (t_x is not needed)\n"
    "                      dert          discounted expected residual transactions\n"
    "                                    at T (Fader, Hardie & Lee 2005); needs\n"
    "                                    --discount\n"
    "                    Gamma-Gamma models, one customer per row with columns x and m_x:\n"
    "                      spend         E[M | x, m_x], the expected mean value of the\n"
    "                                    customer's transactions (default)\n"
    "  --horizon T       length of the prediction window for --type expected\n"
    "  --discount DELTA  continuous discount rate per model time unit for --type\n"
    "                    dert (> 0): a transaction u time units after T counts\n"
    "                    e^(-DELTA u); 15% a year in weeks is ln(1.15)/52 = 0.0026877\n"
    "  --offset COL      offset column added to the linear predictor (linear, GLM);\n"
    "                    default the offset column the model was fitted with\n"
    "  --id COL          copy column COL (as text) into the output: header\n"
    "                    'COL,prediction', rows 'id,value'\n"
    "  --se-fit          linear and GLM: add the column se_fit, the standard error of\n"
    "                    each prediction on the scale of --type (R's predict(...,\n"
    "                    se.fit = TRUE): for a GLM from the dispersion, on the response\n"
    "                    scale by the delta method)\n"
    "  --output FILE     write the CSV to FILE instead of stdout; FILE is replaced\n"
    "                    only once complete (a failed run leaves it as it was)\n"
    "  --chunk-rows N    rows read (and predicted, and written) at a time (default 65536)\n"
    "  --threads N       threads parsing the CSV, 1 to 256 (default 1)\n"
    "  --unit U          Pareto/NBD and Gamma-Gamma: the time unit of the data (weeks,\n"
    "                    days, or other with --unit-days D its length in days); refused\n"
    "                    when the model records another unit (a model of unknown unit\n"
    "                    takes any)\n"
    "  -h, --help        show this help\n";

/* The prediction types, the model kinds that define them, and (Pareto/NBD)
 * which of the model's columns x, t_x, T they read (bit j: column j). */
#define KIND(k) (1u << (k))
#define ALL_COLUMNS 0u
static const struct predict_type {
    const char *name;
    int type;
    unsigned kinds;
    unsigned columns; /* ALL_COLUMNS, or a bit mask of the model's columns */
} types[] = {
    {"response", OCCAM_PREDICT_RESPONSE, KIND(OCCAM_MODEL_LINEAR) | KIND(OCCAM_MODEL_GLM), ALL_COLUMNS},
    {"link", OCCAM_PREDICT_LINK, KIND(OCCAM_MODEL_LINEAR) | KIND(OCCAM_MODEL_GLM), ALL_COLUMNS},
    {"palive", OCCAM_PREDICT_PALIVE, KIND(OCCAM_MODEL_PNBD), ALL_COLUMNS},
    {"expected", OCCAM_PREDICT_EXPECTED, KIND(OCCAM_MODEL_PNBD), ALL_COLUMNS},
    {"loglik", OCCAM_PREDICT_LOGLIK, KIND(OCCAM_MODEL_PNBD) | KIND(OCCAM_MODEL_GG), ALL_COLUMNS},
    {"expected_new", OCCAM_PREDICT_EXPECTED_NEW, KIND(OCCAM_MODEL_PNBD), 1u << 2},   /* T */
    {"prob", OCCAM_PREDICT_PROB_N, KIND(OCCAM_MODEL_PNBD), (1u << 0) | (1u << 2)}, /* x, T */
    {"spend", OCCAM_PREDICT_SPEND, KIND(OCCAM_MODEL_GG), ALL_COLUMNS},
    {"dert", OCCAM_PREDICT_DERT, KIND(OCCAM_MODEL_PNBD), ALL_COLUMNS},
};
#define N_TYPES (sizeof types / sizeof types[0])

static int parse_type(const char *name, const struct predict_type **type)
{
    for (size_t i = 0; i < N_TYPES; i++) {
        if (strcmp(types[i].name, name) == 0) {
            *type = &types[i];
            return 0;
        }
    }
    return cli_fail(CLI_EXIT_USAGE,
                    "predict: unknown --type '%s' (response, link, palive, expected, loglik, expected_new, prob, dert, spend)",
                    name);
}

static const char *kind_name(int kind)
{
    return kind == OCCAM_MODEL_LINEAR ? "a linear model"
           : kind == OCCAM_MODEL_GLM  ? "a GLM"
           : kind == OCCAM_MODEL_GG   ? "a Gamma-Gamma model"
                                      : "a Pareto/NBD model";
}

/* The type for this model: --type (which the kind must define) or the
 * kind's default.  A type the kind does not define fails with the list of
 * those it does ("use palive, expected, loglik, expected_new or prob"). */
static int type_for_kind(const char *name, int kind, const struct predict_type **type)
{
    if (!name) {
        *type = &types[kind == OCCAM_MODEL_PNBD ? 2 : kind == OCCAM_MODEL_GG ? 7 : 0];
        return 0;
    }
    int rc = parse_type(name, type);
    if (rc || ((*type)->kinds & KIND(kind)))
        return rc;
    char list[256] = "";
    size_t len = 0, n = 0, k = 0;
    for (size_t i = 0; i < N_TYPES; i++)
        n += (types[i].kinds & KIND(kind)) != 0;
    for (size_t i = 0; i < N_TYPES && len < sizeof list; i++) {
        if (!(types[i].kinds & KIND(kind)))
            continue;
        k++;
        int w = snprintf(list + len, sizeof list - len, "%s%s", k == 1 ? "" : k == n ? " or " : ", ",
                         types[i].name);
        len += w > 0 ? (size_t)w : 0;
    }
    return cli_fail(CLI_EXIT_USAGE, "predict: type '%s' is not defined for %s (use %s)", name, kind_name(kind),
                    list);
}

/* Name of model column j into buf ("" when the model has no names). */
static int column_name(const occam_model *m, int64_t j, char **out)
{
    size_t need = 0;
    int st = occam_model_column_name(m, j, NULL, 0, &need);
    if (st < 0 && st != OCCAM_E_BUFFER_TOO_SMALL)
        return cli_fail_status(st, "predict: cannot read the model's column names");
    *out = malloc(need ? need : 1);
    if (!*out)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    (*out)[0] = '\0';
    if (need && (st = occam_model_column_name(m, j, *out, need, NULL)) < 0) {
        free(*out);
        *out = NULL;
        return cli_fail_status(st, "predict: cannot read the model's column names");
    }
    return 0;
}

/* Table column of each of the model's p columns; with names, -1 for the
 * columns the prediction type does not read (`columns` mask). */
static int map_columns(const occam_model *m, const cli_reader *t, int64_t p, unsigned columns, int64_t offset_col,
                       int64_t id_col, const char *const *rename, int64_t *cols)
{
    char *name = NULL;
    int rc = p > 0 ? column_name(m, 0, &name) : 0;
    int named = !rc && name && name[0];
    for (int64_t j = 0; named && !rc && j < p; j++) {
        if (j > 0) {
            free(name);
            name = NULL;
            if ((rc = column_name(m, j, &name)) != 0)
                break;
        }
        cols[j] = -1;
        if (columns == ALL_COLUMNS || (j < 32 && (columns >> j) & 1u))
            rc = cli_reader_require(t, j < 3 && rename[j] ? rename[j] : name, &cols[j]);
    }
    free(name);
    if (rc || named)
        return rc;
    int64_t ncols = cli_reader_ncols(t);
    int64_t avail = ncols - (offset_col >= 0) - (id_col >= 0 && id_col != offset_col);
    const char *besides = offset_col >= 0 && id_col >= 0 ? " besides the offset and the id"
                          : offset_col >= 0              ? " besides the offset"
                          : id_col >= 0                  ? " besides the id"
                                                         : "";
    if (avail != p && p > 0)
        return cli_fail(CLI_EXIT_FAILURE,
                        "predict: the model has no column names and needs %lld columns, but %s has %lld%s", (long long)p,
                        cli_reader_path(t), (long long)avail, besides);
    for (int64_t j = 0, k = 0; j < ncols && k < p; j++)
        if (j != offset_col && j != id_col)
            cols[k++] = j;
    return 0;
}

struct predict_args {
    const char *model, *data, *type, *horizon, *discount, *offset, *id, *output, *chunk_rows, *threads, *unit,
        *unit_days;
    const char *rename[3]; /* --x, --tx / --m, --T: other names for the model's columns 0, 1, 2 */
    int se_fit; /* --se-fit */
    int tx_given, m_given;
};

/* A CSV cell or name, quoted (RFC 4180) when it holds a comma, a quote or a
 * line break. */
static void put_text(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n"))
        csv_fwrite(f, s, strlen(s));
    else
        fputs(s, f);
}

/* The predictions of one chunk (and their standard errors, se != NULL). */
static void put_rows(FILE *f, const cli_reader *r, int64_t n, int64_t id_col, const double *out, const double *se)
{
    for (int64_t i = 0; i < n; i++) {
        if (id_col >= 0) {
            put_text(f, cli_reader_cell(r, i, id_col));
            fputc(',', f);
        }
        cli_put_number(f, out[i]);
        if (se) {
            fputc(',', f);
            cli_put_number(f, se[i]);
        }
        fputc('\n', f);
    }
}

/* The output: stdout, or `output` replaced atomically once complete.
 * Opened after the first chunk is predicted, so that a failure there leaves
 * nothing behind; the header line goes first. */
static int open_output(const struct predict_args *a, const cli_reader *r, int64_t id_col, cli_outfile **o,
                       FILE **f)
{
    *o = NULL;
    *f = stdout;
    if (a->output) {
        int rc = cli_outfile_open("predict: --output", a->output, o, f);
        if (rc)
            return rc;
    }
    if (id_col >= 0) {
        put_text(*f, cli_reader_name(r, id_col));
        fputc(',', *f);
    }
    fputs(a->se_fit ? "prediction,se_fit\n" : "prediction\n", *f);
    return 0;
}

/* Read the data chunk by chunk and write each chunk's predictions before
 * the next is read: memory O(chunk), whatever the file's size. */
static int predict_stream(const struct predict_args *a, const occam_model *m, const struct predict_type *type,
                          double horizon, int64_t p, cli_reader *r, int64_t offset_col, int64_t id_col,
                          cli_formula *fm)
{
    int64_t *cols = malloc((size_t)(p + 1) * sizeof *cols); /* + 1: room for the offset */
    if (!cols)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    int rc = 0;
    if (fm) { /* the formula's columns as text, the offset column as numbers */
        rc = cli_formula_bind("predict", fm, r);
        if (!rc && offset_col >= 0)
            rc = cli_reader_numbers(r, &offset_col, 1);
    } else if (!(rc = map_columns(m, r, p, type->columns, offset_col, id_col, a->rename, cols))) {
        /* only the model's columns and the offset must hold numbers */
        cols[p] = offset_col;
        rc = cli_reader_numbers(r, cols, offset_col >= 0 ? p + 1 : p);
    }
    if (!rc && id_col >= 0)
        rc = cli_reader_text(r, id_col);
    free(cols);
    double *out = rc ? NULL : malloc((size_t)cli_reader_chunk_rows(r) * sizeof *out);
    double *se = rc || !a->se_fit ? NULL : malloc((size_t)cli_reader_chunk_rows(r) * sizeof *se);
    if (!rc && (!out || (a->se_fit && !se)))
        rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
    cli_outfile *o = NULL;
    FILE *f = NULL;
    int64_t n = 0;
    while (!rc && (rc = cli_reader_next(r, &n)) == 0 && n > 0) {
        int64_t ld;
        const double *X = cli_reader_block(r, &ld);
        const double *off = offset_col >= 0 ? X + (fm ? 0 : p) * ld : NULL;
        if (fm && (rc = cli_formula_rows("predict", fm, r, n, off, &X, NULL, &off)) != 0)
            break;
        if (fm)
            ld = n;
        int st = occam_model_predict(m, type->type, horizon, X, n, p, ld, OCCAM_COL_MAJOR, off, out, se, n);
        if ((rc = cli_fail_status(st, "predict: model '%s' on %s", a->model, a->data)) != 0)
            break;
        if (!f && (rc = open_output(a, r, id_col, &o, &f)) != 0)
            break;
        put_rows(f, r, n, id_col, out, se);
    }
    free(out);
    free(se);
    if (rc)
        cli_outfile_abort(o);
    else if (o)
        rc = cli_outfile_commit(o);
    return rc;
}

static int run(const struct predict_args *a)
{
    const struct predict_type *type = NULL;
    int rc = 0;
    double horizon = 0;
    occam_model *m = NULL;
    cli_reader *r = NULL;
    int64_t k = 0, p = 0, offset_col = -1, id_col = -1;
    cli_read_opts ro;

    if (a->type && (rc = parse_type(a->type, &type)) != 0) /* an unknown name, before the model is read */
        return rc;
    if (a->horizon && (rc = cli_parse_double("predict", a->horizon, "--horizon", &horizon)) != 0)
        return rc;
    if (a->discount && (rc = cli_parse_double("predict", a->discount, "--discount", &horizon)) != 0)
        return rc;
    if ((rc = cli_read_options("predict", a->chunk_rows, a->threads, 1, &ro)) != 0)
        return rc;
    int st = occam_model_load(a->model, &m);
    if (st < 0)
        return cli_fail_status(st, "predict: cannot load the model '%s'", a->model);
    /* the type against the model kind first, before any data is read */
    rc = type_for_kind(a->type, occam_model_kind(m), &type);
    if (!rc && type->type == OCCAM_PREDICT_EXPECTED && !a->horizon)
        rc = cli_fail(CLI_EXIT_USAGE, "predict: --type expected needs --horizon T");
    else if (!rc && type->type != OCCAM_PREDICT_EXPECTED && a->horizon)
        rc = cli_fail(CLI_EXIT_USAGE, "predict: --horizon applies only to --type expected");
    int kind = occam_model_kind(m);
    if (!rc && a->se_fit && kind != OCCAM_MODEL_LINEAR && kind != OCCAM_MODEL_GLM)
        rc = cli_fail(CLI_EXIT_USAGE, "predict: --se-fit applies to linear models and GLMs (Pareto/NBD and "
                                      "Gamma-Gamma predictions have no standard errors)");
    else if (!rc && type->type == OCCAM_PREDICT_DERT && !a->discount)
        rc = cli_fail(CLI_EXIT_USAGE, "predict: --type dert needs --discount DELTA (per model time unit)");
    else if (!rc && type->type != OCCAM_PREDICT_DERT && a->discount)
        rc = cli_fail(CLI_EXIT_USAGE, "predict: --discount applies only to --type dert");
    if (!rc && (a->rename[0] || a->rename[1] || a->rename[2]) && kind != OCCAM_MODEL_PNBD && kind != OCCAM_MODEL_GG)
        rc = cli_fail(CLI_EXIT_USAGE, "predict: --x, --tx, --T and --m apply to Pareto/NBD and Gamma-Gamma models");
    else if (!rc && kind == OCCAM_MODEL_GG && a->rename[2])
        rc = cli_fail(CLI_EXIT_USAGE, "predict: --T applies to Pareto/NBD models (a Gamma-Gamma model reads x and m_x)");
    else if (!rc && kind == OCCAM_MODEL_PNBD && a->m_given)
        rc = cli_fail(CLI_EXIT_USAGE, "predict: --m applies to Gamma-Gamma models (use --tx for t_x)");
    else if (!rc && kind == OCCAM_MODEL_GG && a->tx_given)
        rc = cli_fail(CLI_EXIT_USAGE, "predict: --tx applies to Pareto/NBD models (use --m for m_x)");
    if (!rc && (a->unit || a->unit_days)) /* a model of another time unit: refused before any data is read */
        rc = cli_context_check("predict", m, a->unit, a->unit_days);
    if (!rc && (st = occam_model_dims(m, &k, &p)) < 0)
        rc = cli_fail_status(st, "predict: the model '%s' cannot predict", a->model);
    cli_formula *fm = NULL;
    char *stored = NULL; /* the --offset column of the fit */
    if (!rc)
        rc = cli_formula_from_model("predict", m, 0, &fm, &stored);
    if (!rc && fm && fm->p != p)
        rc = cli_fail(CLI_EXIT_FAILURE, "predict: the model's formula gives %lld columns, the model has %lld",
                      (long long)fm->p, (long long)p);
    if (!rc)
        rc = cli_reader_open(a->data, &ro, &r);
    if (!rc && !a->offset && stored && cli_reader_find(r, stored) < 0)
        rc = cli_fail(CLI_EXIT_FAILURE, "predict: the model was fitted with the offset column '%s' (--offset), "
                      "which %s lacks: add it, or name another with --offset COL", stored, cli_reader_path(r));
    if (!rc && (a->offset || stored))
        rc = cli_reader_require(r, a->offset ? a->offset : stored, &offset_col);
    if (!rc && a->id)
        rc = cli_reader_require(r, a->id, &id_col);
    if (!rc)
        rc = predict_stream(a, m, type, horizon, p, r, offset_col, id_col, fm);
    cli_formula_free(fm);
    free(stored);
    cli_reader_close(r);
    occam_model_free(m);
    return rc;
}

int cli_predict(int argc, char **argv)
{
    enum { OPT_TYPE = CLI_OPT_CUSTOM, OPT_HORIZON, OPT_DISCOUNT, OPT_ID, OPT_OUTPUT, OPT_CHUNK_ROWS, OPT_THREADS, OPT_SE_FIT, OPT_UNIT,
           OPT_UNIT_DAYS, OPT_TX, OPT_T, OPT_M };
    static const struct option longopts[] = {
        {"data", required_argument, NULL, CLI_OPT_DATA},
        {"type", required_argument, NULL, OPT_TYPE},
        {"horizon", required_argument, NULL, OPT_HORIZON},
        {"discount", required_argument, NULL, OPT_DISCOUNT},
        {"offset", required_argument, NULL, CLI_OPT_OFFSET},
        {"id", required_argument, NULL, OPT_ID},
        {"output", required_argument, NULL, OPT_OUTPUT},
        {"chunk-rows", required_argument, NULL, OPT_CHUNK_ROWS},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"se-fit", no_argument, NULL, OPT_SE_FIT},
        {"unit", required_argument, NULL, OPT_UNIT},
        {"unit-days", required_argument, NULL, OPT_UNIT_DAYS},
        {"x", required_argument, NULL, CLI_OPT_X},
        {"tx", required_argument, NULL, OPT_TX},
        {"T", required_argument, NULL, OPT_T},
        {"m", required_argument, NULL, OPT_M},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *cmd = "predict";
    struct predict_args a = {0};
    int c, started = 0;
    while ((c = cli_getopt(argc, argv, longopts, &started)) != -1) {
        switch (c) {
        case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
        case CLI_OPT_DATA: a.data = optarg; break;
        case OPT_TYPE: a.type = optarg; break;
        case OPT_HORIZON: a.horizon = optarg; break;
        case OPT_DISCOUNT: a.discount = optarg; break;
        case CLI_OPT_OFFSET: a.offset = optarg; break;
        case OPT_ID: a.id = optarg; break;
        case OPT_OUTPUT: a.output = optarg; break;
        case OPT_CHUNK_ROWS: a.chunk_rows = optarg; break;
        case OPT_THREADS: a.threads = optarg; break;
        case OPT_SE_FIT: a.se_fit = 1; break;
        case OPT_UNIT: a.unit = optarg; break;
        case OPT_UNIT_DAYS: a.unit_days = optarg; break;
        case CLI_OPT_X: a.rename[0] = optarg; break;
        case OPT_TX: a.rename[1] = optarg, a.tx_given = 1; break;
        case OPT_T: a.rename[2] = optarg; break;
        case OPT_M: a.rename[1] = optarg, a.m_given = 1; break;
        default: return cli_bad_option(cmd, c, argv);
        }
    }
    if (optind >= argc)
        return cli_fail(CLI_EXIT_USAGE, "predict: missing MODEL file; see 'occam predict --help'");
    a.model = argv[optind++];
    int rc = cli_no_operands(cmd, argc, argv);
    if (!rc)
        rc = cli_require(cmd, a.data, "data");
    return rc ? rc : run(&a);
}
