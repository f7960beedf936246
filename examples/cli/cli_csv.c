/*
 * cli_csv.c -- numeric CSV tables with a header row, parsed by libcsv.
 *
 * The file is read whole and fed to libcsv one physical line at a time, so
 * every callback knows the 1-based line it fires on: a bad cell is reported
 * by file, line, column number and column name.  Values are collected row by
 * row and transposed into a column-major table at the end.
 */
#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct csv_state {
    const char *path;
    int64_t line;      /* physical line being fed, 1-based */
    int64_t field;     /* cells seen so far in the current row */
    int header_done;
    int64_t ncols;
    char **names;      /* header cells, grown while the header is read */
    int64_t names_cap;
    double *vals;      /* row-major data cells */
    size_t nvals, cap;
    int64_t nrows;
    int rc;            /* 0, or the exit status of the first error (printed) */
};

/* Copy at most 40 printable characters of a cell for a message. */
static void cell_excerpt(const char *s, size_t len, char *buf, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < len && k + 4 < cap && i < 40; i++)
        buf[k++] = (s[i] >= 32 && s[i] < 127) ? s[i] : '?';
    if (len > 40 && k + 4 < cap) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
}

static int push_name(struct csv_state *st, const char *s, size_t len)
{
    if (len == 0)
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld: empty column name",
                                 st->path, (long long)st->line, (long long)st->field + 1);
    for (int64_t j = 0; j < st->field; j++) {
        if (strcmp(st->names[j], s) == 0)
            return st->rc = cli_fail(CLI_EXIT_FAILURE,
                                     "%s: line %lld, column %lld: duplicate column name '%s' "
                                     "(also column %lld)",
                                     st->path, (long long)st->line, (long long)st->field + 1, s,
                                     (long long)j + 1);
    }
    if (st->field == st->names_cap) {
        int64_t ncap = st->names_cap ? 2 * st->names_cap : 16;
        char **nn = realloc(st->names, (size_t)ncap * sizeof *nn);
        if (!nn)
            return st->rc = cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", st->path);
        st->names = nn;
        st->names_cap = ncap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", st->path);
    memcpy(copy, s, len + 1);
    st->names[st->field] = copy;
    return 0;
}

static int push_value(struct csv_state *st, const char *s, size_t len)
{
    long long line = (long long)st->line, col = (long long)st->field + 1;
    if (st->field >= st->ncols)
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld: more than %lld cells (the header has %lld)",
                                 st->path, line, (long long)st->ncols, (long long)st->ncols);
    const char *name = st->names[st->field];
    char excerpt[64];
    cell_excerpt(s, len, excerpt, sizeof excerpt);
    if (len == 0)
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld (%s): empty cell",
                                 st->path, line, col, name);
    if (strcmp(s, "NA") == 0)
        return st->rc = cli_fail(CLI_EXIT_FAILURE,
                                 "%s: line %lld, column %lld (%s): missing value 'NA' "
                                 "(occam needs complete numeric data)",
                                 st->path, line, col, name);
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || (size_t)(end - s) != len)
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld (%s): not a number: '%s'",
                                 st->path, line, col, name, excerpt);
    if (!isfinite(v))
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld (%s): not a finite number: '%s'",
                                 st->path, line, col, name, excerpt);
    if (st->nvals == st->cap) {
        size_t ncap = st->cap ? 2 * st->cap : 1024;
        double *nv = realloc(st->vals, ncap * sizeof *nv);
        if (!nv)
            return st->rc = cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", st->path);
        st->vals = nv;
        st->cap = ncap;
    }
    st->vals[st->nvals++] = v;
    return 0;
}

static void on_field(void *s, size_t len, void *data)
{
    struct csv_state *st = data;
    if (st->rc)
        return;
    /* CSV_APPEND_NULL: s is NUL-terminated (and never NULL without
     * CSV_EMPTY_IS_NULL). */
    const char *cell = s ? (const char *)s : "";
    if (s && strlen(cell) != len) {
        st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld: NUL byte in cell", st->path,
                          (long long)st->line, (long long)st->field + 1);
        return;
    }
    if (st->header_done ? push_value(st, cell, len) : push_name(st, cell, len))
        return;
    st->field++;
}

static void on_row(int c, void *data)
{
    (void)c;
    struct csv_state *st = data;
    if (st->rc)
        return;
    if (!st->header_done) {
        st->ncols = st->field;
        st->header_done = 1;
    } else if (st->field != st->ncols) {
        st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld: %lld cell%s, but the header has %lld columns",
                          st->path, (long long)st->line, (long long)st->field, st->field == 1 ? "" : "s",
                          (long long)st->ncols);
        return;
    } else {
        st->nrows++;
    }
    st->field = 0;
}

/* Read a whole file into a malloc'd buffer. */
static int slurp(const char *path, char **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_fail(CLI_EXIT_FAILURE, "cannot open '%s': %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *nb = realloc(b, cap * 2);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        cap *= 2;
    }
    int err = ferror(f);
    fclose(f);
    if (!b)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory reading '%s'", path);
    if (err) {
        free(b);
        return cli_fail(CLI_EXIT_FAILURE, "cannot read '%s'", path);
    }
    *buf = b;
    *len = n;
    return 0;
}

static const char *csv_problem(struct csv_parser *p)
{
    if (csv_error(p) == CSV_EPARSE)
        return "a quote character out of place, or a quoted cell never closed";
    return csv_strerror(csv_error(p));
}

/* Feed the buffer to libcsv line by line (a line ends after '\n'). */
static int parse_lines(struct csv_parser *p, struct csv_state *st, const char *buf, size_t len)
{
    size_t pos = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) /* UTF-8 byte order mark */
        pos = 3;
    while (pos < len && !st->rc) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t chunk = nl ? (size_t)(nl - (buf + pos)) + 1 : len - pos;
        st->line++;
        if (csv_parse(p, buf + pos, chunk, on_field, on_row, st) != chunk && !st->rc)
            return st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld: malformed CSV (%s)", st->path,
                                     (long long)st->line, csv_problem(p));
        pos += chunk;
    }
    if (!st->rc && csv_fini(p, on_field, on_row, st) != 0 && !st->rc)
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld: malformed CSV (%s)", st->path,
                                 (long long)st->line, csv_problem(p));
    return st->rc;
}

static void state_free(struct csv_state *st)
{
    for (int64_t j = 0; st->names && j < (st->header_done ? st->ncols : st->field); j++)
        free(st->names[j]);
    free(st->names);
    free(st->vals);
}

int cli_table_read(const char *path, cli_table *t)
{
    memset(t, 0, sizeof *t);
    char *buf = NULL;
    size_t len = 0;
    int rc = slurp(path, &buf, &len);
    if (rc)
        return rc;

    struct csv_state st = {.path = path};
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(buf);
        return cli_fail(CLI_EXIT_FAILURE, "cannot initialise the CSV parser");
    }
    rc = parse_lines(&p, &st, buf, len);
    csv_free(&p);
    free(buf);
    if (!rc && !st.header_done)
        rc = cli_fail(CLI_EXIT_FAILURE, "%s: empty file (a header row of column names is needed)", path);
    if (!rc && st.nrows == 0)
        rc = cli_fail(CLI_EXIT_FAILURE, "%s: no data rows after the header", path);

    double *data = NULL;
    char *pathcopy = NULL;
    if (!rc) {
        data = malloc((size_t)(st.nrows * st.ncols) * sizeof *data);
        pathcopy = cli_strdup(path);
        if (!data || !pathcopy)
            rc = cli_fail(CLI_EXIT_FAILURE, "out of memory reading '%s'", path);
    }
    if (rc) {
        free(data);
        free(pathcopy);
        state_free(&st);
        return rc;
    }
    for (int64_t i = 0; i < st.nrows; i++)
        for (int64_t j = 0; j < st.ncols; j++)
            data[i + j * st.nrows] = st.vals[i * st.ncols + j];
    free(st.vals);
    t->nrows = st.nrows;
    t->ncols = st.ncols;
    t->names = st.names;
    t->data = data;
    t->path = pathcopy;
    return 0;
}

void cli_table_free(cli_table *t)
{
    if (!t)
        return;
    for (int64_t j = 0; t->names && j < t->ncols; j++)
        free(t->names[j]);
    free(t->names);
    free(t->data);
    free(t->path);
    memset(t, 0, sizeof *t);
}

int64_t cli_table_find(const cli_table *t, const char *name)
{
    for (int64_t j = 0; j < t->ncols; j++)
        if (strcmp(t->names[j], name) == 0)
            return j;
    return -1;
}

int cli_table_require(const cli_table *t, const char *name, int64_t *col)
{
    int64_t j = cli_table_find(t, name);
    if (j >= 0) {
        *col = j;
        return 0;
    }
    /* List the available columns (shortened if very many). */
    char list[512];
    size_t k = 0;
    list[0] = '\0';
    for (int64_t c = 0; c < t->ncols; c++) {
        int w = snprintf(list + k, sizeof list - k, "%s%s", c ? ", " : "", t->names[c]);
        if (w < 0 || (size_t)w >= sizeof list - k) {
            snprintf(list + (k < sizeof list - 6 ? k : sizeof list - 6), 6, ", ...");
            break;
        }
        k += (size_t)w;
    }
    return cli_fail(CLI_EXIT_FAILURE, "%s: no column named '%s' (columns: %s)", t->path, name, list);
}

const double *cli_table_column(const cli_table *t, int64_t j)
{
    return t->data + j * t->nrows;
}
