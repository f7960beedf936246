/*
 * cli_residuals.c -- `occam residuals MODEL --data FILE.csv --y COL
 * [--type deviance|pearson|working|response] [--weights COL] [--offset COL]
 * [--id COL] [--output FILE]`: R's residuals.glm / residuals.lm of a saved
 * linear model or GLM on the rows of a CSV (occam_model_residuals), one
 * value per row, chunk by chunk as `occam predict` writes.  The model's
 * columns are found by their names.
 */
#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_formula.h"

static const char usage[] =
    "Usage: occam residuals MODEL --data FILE.csv --y COL [--type TYPE] [--weights COL]\n"
    "                       [--offset COL] [--id COL] [--output FILE] [--chunk-rows N]\n"
    "\n"
    "Residuals of a saved linear model or GLM on the rows of FILE.csv, as R's\n"
    "residuals(fit, type) of a fit on them: CSV with the header 'residual' (17 significant\n"
    "digits).  The model's columns are read by name (a model fitted with a formula\n"
    "builds them from its formula and factor levels, as predict).\n"
    "\n"
    "  --data FILE.csv   the rows (required)\n"
    "  --y COL           the response column (required, unless the model's formula names\n"
    "                    it; binomial: proportions, with the trials as --weights)\n"
    "  --type TYPE       deviance (default), pearson, working or response\n"
    "  --weights COL     prior weights (default 1)\n"
    "  --offset COL      offset column added to the linear predictor (default the\n"
    "                    offset column the model was fitted with)\n"
    "  --id COL          copy column COL (as text) in front: header 'COL,residual'\n"
    "  --output FILE     write the CSV to FILE (replaced once complete) instead of stdout\n"
    "  --chunk-rows N    rows read at a time (default 65536)\n"
    "  -h, --help        show this help\n";

struct resid_args {
    const char *model, *data, *y, *type, *weights, *offset, *id, *output, *chunk_rows;
};

static int parse_type(const char *name, int *type)
{
    static const struct { const char *name; int type; } t[] = {
        {"deviance", OCCAM_ROWS_RESID_DEVIANCE}, {"pearson", OCCAM_ROWS_RESID_PEARSON},
        {"working", OCCAM_ROWS_RESID_WORKING},   {"response", OCCAM_ROWS_RESID_RESPONSE}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(name, t[i].name) == 0) {
            *type = t[i].type;
            return 0;
        }
    return cli_fail(CLI_EXIT_USAGE, "residuals: unknown --type '%s' (deviance, pearson, working, response)", name);
}

/* Block columns: the model's p columns by name, then y, weights, offset. */
static int plan_columns(const struct resid_args *a, const occam_model *m, cli_reader *r, int64_t p, int64_t *cols)
{
    int rc = 0;
    for (int64_t j = 0; !rc && j < p; j++) {
        size_t need = 0;
        int st = occam_model_column_name(m, j, NULL, 0, &need);
        char *name = need > 1 ? malloc(need) : NULL;
        if (st < 0 && st != OCCAM_E_BUFFER_TOO_SMALL) rc = cli_fail_status(st, "residuals: the model's column names");
        else if (!name) rc = cli_fail(CLI_EXIT_FAILURE, "residuals: the model '%s' has no column names", a->model);
        else if ((st = occam_model_column_name(m, j, name, need, NULL)) < 0)
            rc = cli_fail_status(st, "residuals: the model's column names");
        else rc = cli_reader_require(r, name, &cols[j]);
        free(name);
    }
    cols[p + 1] = cols[p + 2] = -1;
    if (!rc) rc = cli_reader_require(r, a->y, &cols[p]);
    if (!rc && a->weights) rc = cli_reader_require(r, a->weights, &cols[p + 1]);
    if (!rc && a->offset) rc = cli_reader_require(r, a->offset, &cols[p + 2]);
    return rc ? rc : cli_reader_numbers(r, cols, p + 3);
}

static void put_text(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n")) csv_fwrite(f, s, strlen(s));
    else fputs(s, f);
}

/* A formula model: its columns as text; --y, --weights, --offset numbers
 * (block columns in that order). */
static int plan_formula(const struct resid_args *a, cli_formula *fm, cli_reader *r)
{
    int rc = cli_formula_bind("residuals", fm, r);
    const char *names[3] = {a->y, a->weights, a->offset};
    for (int q = 0; q < 3 && !rc; q++) {
        int64_t col;
        if (names[q] && !(rc = cli_reader_require(r, names[q], &col)))
            rc = cli_reader_numbers(r, &col, 1);
    }
    return rc;
}

static int stream(const struct resid_args *a, const occam_model *m, int type, int64_t p, cli_reader *r,
                  cli_formula *fm)
{
    int64_t *cols = malloc((size_t)(p + 3) * sizeof *cols), id_col = -1;
    int rc = !cols ? cli_fail(CLI_EXIT_FAILURE, "out of memory") : fm ? plan_formula(a, fm, r)
                                                                      : plan_columns(a, m, r, p, cols);
    free(cols);
    if (!rc && a->id && !(rc = cli_reader_require(r, a->id, &id_col))) rc = cli_reader_text(r, id_col);
    double *out = rc ? NULL : malloc((size_t)cli_reader_chunk_rows(r) * sizeof *out);
    if (!rc && !out) rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
    cli_outfile *o = NULL;
    FILE *f = NULL;
    int64_t n = 0;
    while (!rc && (rc = cli_reader_next(r, &n)) == 0 && n > 0) {
        int64_t ld;
        const double *B = cli_reader_block(r, &ld), *X = B, *y = B + p * ld;
        const double *w = a->weights ? B + (p + 1) * ld : NULL, *off = a->offset ? B + (p + 2) * ld : NULL;
        if (fm) { /* block: --y, --weights, --offset */
            int64_t s = 0;
            const double *ycol = a->y ? B + (s++) * ld : NULL;
            w = a->weights ? B + (s++) * ld : NULL;
            off = a->offset ? B + (s++) * ld : NULL;
            if ((rc = cli_formula_rows("residuals", fm, r, n, off, &X, &y, &off)) != 0)
                break;
            y = ycol ? ycol : y;
            ld = n;
        }
        int st = occam_model_residuals(m, type, X, n, p, ld, OCCAM_COL_MAJOR, y, w, off, out, n);
        if ((rc = cli_fail_status(st, "residuals: model '%s' on %s", a->model, a->data)) != 0) break;
        if (!f) {
            f = stdout;
            if (a->output && (rc = cli_outfile_open("residuals: --output", a->output, &o, &f)) != 0) break;
            if (id_col >= 0) {
                put_text(f, cli_reader_name(r, id_col));
                fputc(',', f);
            }
            fputs("residual\n", f);
        }
        for (int64_t i = 0; i < n; i++) {
            if (id_col >= 0) {
                put_text(f, cli_reader_cell(r, i, id_col));
                fputc(',', f);
            }
            cli_put_number(f, out[i]);
            fputc('\n', f);
        }
    }
    free(out);
    if (rc) cli_outfile_abort(o);
    else if (o) rc = cli_outfile_commit(o);
    return rc;
}

static int run(const struct resid_args *a)
{
    int type = OCCAM_ROWS_RESID_DEVIANCE, rc = a->type ? parse_type(a->type, &type) : 0;
    cli_read_opts ro;
    if (rc || (rc = cli_read_options("residuals", a->chunk_rows, NULL, 1, &ro)) != 0) return rc;
    occam_model *m = NULL;
    int st = occam_model_load(a->model, &m);
    if (st < 0) return cli_fail_status(st, "residuals: cannot load the model '%s'", a->model);
    int kind = occam_model_kind(m);
    int64_t k = 0, p = 0;
    if (kind != OCCAM_MODEL_LINEAR && kind != OCCAM_MODEL_GLM)
        rc = cli_fail(CLI_EXIT_USAGE, "residuals: '%s' is not a linear model or GLM", a->model);
    if (!rc && (st = occam_model_dims(m, &k, &p)) < 0) rc = cli_fail_status(st, "residuals: the model '%s'", a->model);
    cli_formula *fm = NULL;
    char *stored = NULL; /* the --offset column of the fit */
    if (!rc) rc = cli_formula_from_model("residuals", m, 1, &fm, &stored);
    if (!rc && !a->y && !(fm && fm->response))
        rc = cli_require("residuals", NULL, "y");
    struct resid_args b = *a;
    cli_reader *r = NULL;
    if (!rc) rc = cli_reader_open(a->data, &ro, &r);
    if (!rc && !a->offset && stored && cli_reader_find(r, stored) < 0)
        rc = cli_fail(CLI_EXIT_FAILURE, "residuals: the model was fitted with the offset column '%s' (--offset), "
                      "which %s lacks: add it, or name another with --offset COL", stored, cli_reader_path(r));
    if (!b.offset) b.offset = stored;
    if (!rc) rc = stream(&b, m, type, p, r, fm);
    cli_formula_free(fm);
    free(stored);
    cli_reader_close(r);
    occam_model_free(m);
    return rc;
}

int cli_residuals(int argc, char **argv)
{
    enum { OPT_TYPE = CLI_OPT_CUSTOM, OPT_ID, OPT_OUTPUT, OPT_CHUNK_ROWS };
    static const struct option longopts[] = {{"data", required_argument, NULL, CLI_OPT_DATA},
                                             {"y", required_argument, NULL, CLI_OPT_Y},
                                             {"type", required_argument, NULL, OPT_TYPE},
                                             {"weights", required_argument, NULL, CLI_OPT_WEIGHTS},
                                             {"offset", required_argument, NULL, CLI_OPT_OFFSET},
                                             {"id", required_argument, NULL, OPT_ID},
                                             {"output", required_argument, NULL, OPT_OUTPUT},
                                             {"chunk-rows", required_argument, NULL, OPT_CHUNK_ROWS},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    const char *cmd = "residuals";
    struct resid_args a = {0};
    int c, started = 0;
    while ((c = cli_getopt(argc, argv, longopts, &started)) != -1) {
        switch (c) {
        case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
        case CLI_OPT_DATA: a.data = optarg; break;
        case CLI_OPT_Y: a.y = optarg; break;
        case OPT_TYPE: a.type = optarg; break;
        case CLI_OPT_WEIGHTS: a.weights = optarg; break;
        case CLI_OPT_OFFSET: a.offset = optarg; break;
        case OPT_ID: a.id = optarg; break;
        case OPT_OUTPUT: a.output = optarg; break;
        case OPT_CHUNK_ROWS: a.chunk_rows = optarg; break;
        default: return cli_bad_option(cmd, c, argv);
        }
    }
    if (optind >= argc) return cli_fail(CLI_EXIT_USAGE, "residuals: missing MODEL file; see 'occam residuals --help'");
    a.model = argv[optind++];
    int rc = cli_no_operands(cmd, argc, argv);
    if (!rc) rc = cli_require(cmd, a.data, "data");
    return rc ? rc : run(&a);
}
