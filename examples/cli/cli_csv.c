/*
 * cli_csv.c -- CSV tables with a header row, parsed by libcsv.
 *
 * The file is read whole and fed to libcsv one physical line at a time (a
 * line ends with LF, CRLF or a lone CR), so every callback knows the 1-based
 * line it fires on.  Cells are kept as text (one buffer, offsets per cell)
 * with the line of each row; a column is read as numbers only when a command
 * asks for it (cli_table_numeric), and a bad cell there is reported by file,
 * line, column number and column name.  Column names go into a hash table as
 * the header is read: the duplicate check and every lookup by name cost O(1)
 * on average, so a header of 10^6 names is read in linear time.  The limits
 * of cli.h (CLI_LINE_MAX, CLI_COLUMNS_MAX, CLI_ROWS_MAX, OCCAM_NAME_MAX) are
 * checked as the file is read: the first violation stops it with one line.
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
    cli_name_index index; /* the names read so far */
    char *text;        /* data cells, NUL-terminated, one after the other */
    size_t ntext, text_cap;
    size_t *cell;      /* offset of every data cell in text, row-major */
    size_t ncell, cell_cap;
    int64_t *line_of;  /* line of every data row */
    int64_t nrows, rows_cap;
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

/* The array p (elements of `size` bytes, capacity *cap) with room for
 * `need` elements: p itself, or a larger copy (*cap updated; p freed), or
 * NULL when out of memory (p and *cap untouched). */
static void *grow(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return p;
    size_t ncap = *cap ? *cap : first;
    while (ncap < need)
        ncap *= 2;
    void *np = realloc(p, ncap * size);
    if (np)
        *cap = ncap;
    return np;
}

/* ------------------------------------------------------------ name index */

/* FNV-1a, 64 bits. */
static uint64_t name_hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Slot of `name` in the index (its column + 1 there), or of the empty slot
 * where it would go (0 there). */
static size_t index_slot(const cli_name_index *x, char *const *names, const char *name)
{
    size_t mask = x->nslots - 1, i = (size_t)name_hash(name) & mask;
    while (x->slots[i] != 0 && strcmp(names[x->slots[i] - 1], name) != 0)
        i = (i + 1) & mask;
    return i;
}

/* Add column j (names[j]) to the index, doubling it past half full.
 * Returns 0, or -1 when out of memory. */
static int index_add(cli_name_index *x, char *const *names, int64_t j)
{
    if ((size_t)(j + 1) * 2 > x->nslots) {
        size_t n = x->nslots ? x->nslots * 2 : 64;
        int64_t *slots = calloc(n, sizeof *slots);
        if (!slots)
            return -1;
        cli_name_index bigger = {slots, n};
        for (size_t i = 0; i < x->nslots; i++)
            if (x->slots[i])
                slots[index_slot(&bigger, names, names[x->slots[i] - 1])] = x->slots[i];
        free(x->slots);
        *x = bigger;
    }
    x->slots[index_slot(x, names, names[j])] = j + 1;
    return 0;
}

/* Column of `name` among names[0..), or -1. */
static int64_t index_find(const cli_name_index *x, char *const *names, const char *name)
{
    if (x->nslots == 0)
        return -1;
    int64_t v = x->slots[index_slot(x, names, name)];
    return v - 1;
}

static int push_name(struct csv_state *st, const char *s, size_t len)
{
    if (len == 0)
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld: empty column name",
                                 st->path, (long long)st->line, (long long)st->field + 1);
    if (st->field >= CLI_COLUMNS_MAX)
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld: more than %lld columns (the limit, CLI_COLUMNS_MAX)",
                                 st->path, (long long)st->line, (long long)CLI_COLUMNS_MAX);
    if (occam_name_check(s, NULL) != OCCAM_OK) /* "name is not valid UTF-8: byte 0xFF at byte offset 2" */
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld: column %s", st->path,
                                 (long long)st->line, (long long)st->field + 1, occam_last_error());
    int64_t j = index_find(&st->index, st->names, s);
    if (j >= 0)
        return st->rc = cli_fail(CLI_EXIT_FAILURE,
                                 "%s: line %lld, column %lld: duplicate column name '%s' "
                                 "(also column %lld)",
                                 st->path, (long long)st->line, (long long)st->field + 1, s, (long long)j + 1);
    size_t cap = (size_t)st->names_cap;
    char **names = grow(st->names, &cap, (size_t)st->field + 1, sizeof *names, 16);
    if (!names)
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", st->path);
    st->names = names;
    st->names_cap = (int64_t)cap;
    char *copy = malloc(len + 1);
    if (!copy)
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", st->path);
    memcpy(copy, s, len + 1);
    st->names[st->field] = copy;
    if (index_add(&st->index, st->names, st->field) != 0) {
        free(copy);
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", st->path);
    }
    return 0;
}

/* Keep a data cell as text (its row's cell count is checked in on_row). */
static int push_cell(struct csv_state *st, const char *s, size_t len)
{
    if (st->field >= st->ncols)
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld: more than %lld cells (the header has %lld)",
                                 st->path, (long long)st->line, (long long)st->ncols, (long long)st->ncols);
    char *text = grow(st->text, &st->text_cap, st->ntext + len + 1, 1, 1 << 16);
    if (text)
        st->text = text;
    size_t *cell = text ? grow(st->cell, &st->cell_cap, st->ncell + 1, sizeof *cell, 1024) : NULL;
    if (!cell)
        return st->rc = cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", st->path);
    st->cell = cell;
    memcpy(st->text + st->ntext, s, len + 1);
    st->cell[st->ncell++] = st->ntext;
    st->ntext += len + 1;
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
    if (st->header_done ? push_cell(st, cell, len) : push_name(st, cell, len))
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
    } else if (st->nrows >= CLI_ROWS_MAX) {
        st->rc = cli_fail(CLI_EXIT_FAILURE, "%s: line %lld: more than %lld data rows (the limit, CLI_ROWS_MAX)",
                          st->path, (long long)st->line, (long long)CLI_ROWS_MAX);
        return;
    } else {
        size_t cap = (size_t)st->rows_cap;
        int64_t *line_of = grow(st->line_of, &cap, (size_t)st->nrows + 1, sizeof *line_of, 1024);
        if (!line_of) {
            st->rc = cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", st->path);
            return;
        }
        st->line_of = line_of;
        st->rows_cap = (int64_t)cap;
        st->line_of[st->nrows++] = st->line;
    }
    st->field = 0;
}

/* End of the line that starts at pos: the index after its LF, CRLF or lone
 * CR, or len when the buffer ends first. */
static size_t line_end(const char *buf, size_t pos, size_t len)
{
    for (size_t i = pos; i < len; i++) {
        if (buf[i] == '\n')
            return i + 1;
        if (buf[i] == '\r')
            return i + 1 < len && buf[i + 1] == '\n' ? i + 2 : i + 1;
    }
    return len;
}

/* 1-based number of the line that starts at `pos` (just after a line break). */
static int64_t line_number(const char *buf, size_t pos)
{
    int64_t line = 1;
    for (size_t at = 0; at < pos; line++)
        at = line_end(buf, at, pos);
    return line;
}

/* Read a whole file into a malloc'd buffer; stop as soon as a line is
 * longer than CLI_LINE_MAX bytes. */
static int slurp(const char *path, char **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_fail(CLI_EXIT_FAILURE, "cannot open '%s': %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0, run = 0, run_start = 0; /* the bytes since the last line break */
    char *b = malloc(cap);
    int too_long = 0;
    while (b) {
        size_t got = fread(b + n, 1, cap - n, f);
        for (size_t i = n; i < n + got; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                run = 0;
                run_start = i + 1;
            } else if (++run > CLI_LINE_MAX) {
                too_long = 1;
                break;
            }
        }
        n += got;
        if (too_long || n < cap)
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
    if (too_long) {
        int64_t line = line_number(b, run_start);
        free(b);
        return cli_fail(CLI_EXIT_FAILURE, "%s: line %lld: longer than %lld bytes (the limit, CLI_LINE_MAX)", path,
                        (long long)line, (long long)CLI_LINE_MAX);
    }
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

/* Feed the buffer to libcsv line by line (a line ends after LF, CRLF or a
 * lone CR, the three conventions libcsv accepts). */
static int parse_lines(struct csv_parser *p, struct csv_state *st, const char *buf, size_t len)
{
    size_t pos = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) /* UTF-8 byte order mark */
        pos = 3;
    while (pos < len && !st->rc) {
        size_t chunk = line_end(buf, pos, len) - pos;
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
    free(st->index.slots);
    for (int64_t j = 0; st->names && j < (st->header_done ? st->ncols : st->field); j++)
        free(st->names[j]);
    free(st->names);
    free(st->text);
    free(st->cell);
    free(st->line_of);
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
    if (!rc) {
        t->path = cli_strdup(path);
        t->num = calloc((size_t)st.ncols, sizeof *t->num);
        if (!t->path || !t->num)
            rc = cli_fail(CLI_EXIT_FAILURE, "out of memory reading '%s'", path);
    }
    if (rc) {
        free(t->path);
        free(t->num);
        memset(t, 0, sizeof *t);
        state_free(&st);
        return rc;
    }
    t->nrows = st.nrows;
    t->ncols = st.ncols;
    t->names = st.names;
    t->text = st.text;
    t->cell = st.cell;
    t->line = st.line_of;
    t->index = st.index;
    return 0;
}

void cli_table_free(cli_table *t)
{
    if (!t)
        return;
    for (int64_t j = 0; t->names && j < t->ncols; j++)
        free(t->names[j]);
    for (int64_t j = 0; t->num && j < t->ncols; j++)
        free(t->num[j]);
    free(t->names);
    free(t->num);
    free(t->text);
    free(t->cell);
    free(t->line);
    free(t->path);
    free(t->index.slots);
    memset(t, 0, sizeof *t);
}

const char *cli_table_cell(const cli_table *t, int64_t i, int64_t j)
{
    return t->text + t->cell[i * t->ncols + j];
}

/* One cell as a finite double, or a one-line message and CLI_EXIT_FAILURE. */
static int cell_number(const cli_table *t, int64_t i, int64_t j, double *out)
{
    const char *s = cli_table_cell(t, i, j);
    size_t len = strlen(s);
    long long line = (long long)t->line[i], col = (long long)j + 1;
    const char *name = t->names[j];
    char excerpt[64];
    cell_excerpt(s, len, excerpt, sizeof excerpt);
    if (len == 0)
        return cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld (%s): empty cell", t->path, line, col, name);
    if (strcmp(s, "NA") == 0)
        return cli_fail(CLI_EXIT_FAILURE,
                        "%s: line %lld, column %lld (%s): missing value 'NA' (occam needs complete numeric data)",
                        t->path, line, col, name);
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || (size_t)(end - s) != len)
        return cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld (%s): not a number: '%s'", t->path, line, col,
                        name, excerpt);
    if (!isfinite(v))
        return cli_fail(CLI_EXIT_FAILURE, "%s: line %lld, column %lld (%s): not a finite number: '%s'", t->path,
                        line, col, name, excerpt);
    *out = v;
    return 0;
}

int cli_table_numeric(cli_table *t, const int64_t *cols, int64_t k)
{
    /* the columns still to read, in file order, so that the first bad cell
     * in file order (row by row, left to right) is the one reported */
    char *want = calloc((size_t)(t->ncols > 0 ? t->ncols : 1), 1);
    if (!want)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    int rc = 0;
    for (int64_t q = 0; q < k && !rc; q++) {
        int64_t j = cols[q];
        if (j < 0 || j >= t->ncols || t->num[j] || want[j])
            continue;
        want[j] = 1;
        if (!(t->num[j] = malloc((size_t)t->nrows * sizeof **t->num)))
            rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
    }
    for (int64_t i = 0; i < t->nrows && !rc; i++)
        for (int64_t j = 0; j < t->ncols && !rc; j++)
            if (want[j])
                rc = cell_number(t, i, j, &t->num[j][i]);
    for (int64_t j = 0; rc && j < t->ncols; j++) {
        if (want[j]) { /* a column is either read whole or not at all */
            free(t->num[j]);
            t->num[j] = NULL;
        }
    }
    free(want);
    return rc;
}

int64_t cli_table_find(const cli_table *t, const char *name)
{
    return index_find(&t->index, t->names, name);
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
    return t->num[j];
}
