/*
 * cli_formula.c -- the design of a formula on a CSV (cli_formula.h): the
 * columns read as text, typed by a scan (a column whose every cell is a
 * number is numeric, else it is a factor where it stands alone in a
 * term), the factor levels collected, R's model.matrix() columns and
 * names laid out, and each chunk's X, y and offset built.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_formula.h"

/* A whole cell as a finite number. */
static int cell_number(const char *s, double *v)
{
    char *end;
    if (!*s)
        return 0;
    *v = strtod(s, &end);
    return *end == '\0' && isfinite(*v);
}

/* Mark the columns expression e reads as numbers. */
static void need_numbers(cli_formula *f, const fnode *e, int *need)
{
    if (!e)
        return;
    if (e->kind == FN_COL)
        need[e->col] = 1;
    need_numbers(f, e->a, need);
    need_numbers(f, e->b, need);
}

/* Columns the response (with_response), the offsets and the variables
 * read; need_num: those that must be numbers whatever the data. */
static void columns_used(cli_formula *f, int with_response, int *used, int *need_num)
{
    memset(used, 0, (size_t)f->ncols * sizeof *used);
    memset(need_num, 0, (size_t)f->ncols * sizeof *need_num);
    if (with_response)
        need_numbers(f, f->response, need_num);
    for (int k = 0; k < f->noffsets; k++)
        need_numbers(f, f->offsets[k], need_num);
    for (int v = 0; v < f->nvars; v++) {
        const fnode *e = f->vars[v].e;
        if (e->kind == FN_COL)
            used[e->col] = 1;
        else
            need_numbers(f, e, need_num);
    }
    for (int j = 0; j < f->ncols; j++)
        used[j] |= need_num[j];
}

int cli_formula_bind(const char *cmd, cli_formula *f, cli_reader *r)
{
    (void)cmd;
    int used[CLI_FORMULA_MAX_VARS * 4 + 64], need[CLI_FORMULA_MAX_VARS * 4 + 64];
    if (f->ncols > (int)(sizeof used / sizeof used[0]))
        return cli_fail(CLI_EXIT_USAGE, "%s: --formula: too many columns", cmd);
    columns_used(f, f->response != NULL, used, need);
    int rc = 0;
    for (int j = 0; j < f->ncols && !rc; j++) {
        f->cols[j].rcol = -1;
        if (!used[j])
            continue;
        rc = cli_reader_require(r, f->cols[j].name, &f->cols[j].rcol);
        if (!rc)
            rc = cli_reader_text(r, f->cols[j].rcol);
    }
    return rc;
}

/* ------------------------------------------------------------ levels */

static int cmp_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Insert s into the sorted levels of v unless there. */
static int add_text_level(fvar *v, const char *s)
{
    int64_t lo = 0, hi = v->nlev;
    while (lo < hi) {
        int64_t mid = (lo + hi) / 2, c = strcmp(v->levels[mid], s);
        if (c == 0)
            return 0;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    char **nl = realloc(v->levels, (size_t)(v->nlev + 1) * sizeof *nl);
    if (!nl)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    v->levels = nl;
    char *copy = cli_strdup(s);
    if (!copy)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    memmove(&nl[lo + 1], &nl[lo], (size_t)(v->nlev - lo) * sizeof *nl);
    nl[lo] = copy;
    v->nlev++;
    return 0;
}

static int add_number_level(fvar *v, double x)
{
    int64_t lo = 0, hi = v->nlev;
    while (lo < hi) {
        int64_t mid = (lo + hi) / 2;
        if (v->lnum[mid] == x)
            return 0;
        if (v->lnum[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    double *nl = realloc(v->lnum, (size_t)(v->nlev + 1) * sizeof *nl);
    if (!nl)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    v->lnum = nl;
    memmove(&nl[lo + 1], &nl[lo], (size_t)(v->nlev - lo) * sizeof *nl);
    nl[lo] = x;
    v->nlev++;
    return 0;
}

/* Index of level s of factor v, or -1. */
static int64_t find_level(const fvar *v, const char *s)
{
    if (v->numeric_levels) {
        double x;
        if (!cell_number(s, &x))
            return -1;
        int64_t lo = 0, hi = v->nlev;
        while (lo < hi) {
            int64_t mid = (lo + hi) / 2;
            if (v->lnum[mid] == x)
                return mid;
            if (v->lnum[mid] < x)
                lo = mid + 1;
            else
                hi = mid;
        }
        return -1;
    }
    char *const *hit = bsearch(&s, v->levels, (size_t)v->nlev, sizeof *v->levels, cmp_text);
    return hit ? hit - v->levels : -1;
}

/* The labels of numeric levels as R prints them (15 significant digits). */
static int number_labels(fvar *v)
{
    if (!(v->levels = calloc((size_t)(v->nlev > 0 ? v->nlev : 1), sizeof *v->levels)))
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    for (int64_t k = 0; k < v->nlev; k++) {
        char buf[40];
        snprintf(buf, sizeof buf, "%.15g", v->lnum[k]);
        if (!(v->levels[k] = cli_strdup(buf)))
            return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    }
    return 0;
}

/* ------------------------------------------------------------ scan */

typedef struct scan_state {
    int64_t bad_row[CLI_FORMULA_MAX_VARS * 4 + 64]; /* first row of a non-number, -1 */
    char *bad_text[CLI_FORMULA_MAX_VARS * 4 + 64];
} scan_state;

/* Phase 0: which columns hold only numbers; phase 1: the levels. */
static int scan_chunk(cli_formula *f, const cli_reader *r, int64_t n, int phase, scan_state *s)
{
    int64_t row0 = cli_reader_row0(r);
    for (int j = 0; phase == 0 && j < f->ncols; j++) {
        if (f->cols[j].rcol < 0 || s->bad_row[j] >= 0)
            continue;
        for (int64_t i = 0; i < n; i++) {
            double x;
            const char *c = cli_reader_cell(r, i, f->cols[j].rcol);
            if (!cell_number(c, &x)) {
                s->bad_row[j] = row0 + i;
                if (!(s->bad_text[j] = cli_strdup(c)))
                    return cli_fail(CLI_EXIT_FAILURE, "out of memory");
                break;
            }
        }
    }
    for (int v = 0; phase == 1 && v < f->nvars; v++) {
        fvar *fv = &f->vars[v];
        if (!fv->factor)
            continue;
        int64_t col = f->cols[fv->e->col].rcol;
        for (int64_t i = 0; i < n; i++) {
            const char *c = cli_reader_cell(r, i, col);
            double x = 0;
            int rc = fv->numeric_levels ? (cell_number(c, &x), add_number_level(fv, x)) : add_text_level(fv, c);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* Every chunk of the file for one phase (rewinding before a later one). */
static int scan_file(cli_formula *f, cli_reader *r, const char *cmd, int phase, scan_state *s)
{
    int64_t n = 0;
    int rc = cli_reader_rewind(r, cmd);
    while (!rc && (rc = cli_reader_next(r, &n)) == 0 && n > 0)
        rc = scan_chunk(f, r, n, phase, s);
    return rc;
}

/* The types after phase 0: numeric columns, factors, and the columns that
 * must be numbers but are not (an error naming the cell). */
static int type_columns(const char *cmd, cli_formula *f, const cli_reader *r, const scan_state *s)
{
    int used[CLI_FORMULA_MAX_VARS * 4 + 64], need[CLI_FORMULA_MAX_VARS * 4 + 64];
    columns_used(f, 1, used, need);
    for (int j = 0; j < f->ncols; j++) {
        f->cols[j].numeric = used[j] && s->bad_row[j] < 0;
        if (need[j] && !f->cols[j].numeric)
            return cli_fail(CLI_EXIT_FAILURE, "%s: %s: data row %lld, column '%s': not a number: '%s' (the formula "
                            "computes with it)", cmd, cli_reader_path(r), (long long)s->bad_row[j] + 1,
                            f->cols[j].name, s->bad_text[j]);
    }
    for (int v = 0; v < f->nvars; v++) {
        fvar *fv = &f->vars[v];
        if (fv->e->kind != FN_COL)
            continue;
        int numeric = f->cols[fv->e->col].numeric;
        fv->factor = fv->explicit_factor || !numeric;
        fv->numeric_levels = fv->factor && numeric;
    }
    return 0;
}

int cli_formula_scan(const char *cmd, cli_formula *f, cli_reader *r, int64_t first_n, int at_end)
{
    scan_state s;
    for (int j = 0; j < CLI_FORMULA_MAX_VARS * 4 + 64; j++) {
        s.bad_row[j] = -1;
        s.bad_text[j] = NULL;
    }
    int rc = at_end ? scan_chunk(f, r, first_n, 0, &s) : scan_file(f, r, cmd, 0, &s);
    if (!rc)
        rc = type_columns(cmd, f, r, &s);
    if (!rc)
        rc = at_end ? scan_chunk(f, r, first_n, 1, &s) : scan_file(f, r, cmd, 1, &s);
    for (int v = 0; !rc && v < f->nvars; v++)
        if (f->vars[v].numeric_levels)
            rc = number_labels(&f->vars[v]);
    if (!rc && !at_end) { /* back to the first chunk */
        int64_t n = 0;
        rc = cli_reader_rewind(r, cmd);
        if (!rc)
            rc = cli_reader_next(r, &n);
    }
    for (int j = 0; j < CLI_FORMULA_MAX_VARS * 4 + 64; j++)
        free(s.bad_text[j]);
    return rc ? rc : cli_formula_layout(cmd, f);
}

/* ------------------------------------------------------------ layout */

/* R's TermCode: 1 when the term without variable v came earlier (the
 * empty term always counts), else 2. */
static int term_code(const cli_formula *f, int t, int v)
{
    uint64_t rest = f->terms[t] & ~((uint64_t)1 << v);
    if (!rest)
        return 1;
    for (int u = 0; u < t; u++)
        if (f->terms[u] == rest)
            return 1;
    return 2;
}

/* Columns of variable v in term t (code: 1 levels 2..L, 2 all). */
static int64_t choices(const cli_formula *f, int t, int v)
{
    const fvar *fv = &f->vars[v];
    if (!fv->factor)
        return 1;
    return f->code[t * f->nvars + v] == 1 ? fv->nlev - 1 : fv->nlev;
}

/* Name of the term-t column with level choices idx[] of its variables. */
static char *column_name(const cli_formula *f, int t, const int64_t *idx)
{
    size_t len = 1;
    for (int v = 0; v < f->nvars; v++) {
        if (!(f->terms[t] >> v & 1))
            continue;
        const fvar *fv = &f->vars[v];
        len += strlen(fv->label) + 1;
        if (fv->factor)
            len += strlen(fv->levels[idx[v] + (f->code[t * f->nvars + v] == 1)]);
    }
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (int v = 0; v < f->nvars; v++) {
        if (!(f->terms[t] >> v & 1))
            continue;
        const fvar *fv = &f->vars[v];
        if (s[0])
            strcat(s, ":");
        strcat(s, fv->label);
        if (fv->factor)
            strcat(s, fv->levels[idx[v] + (f->code[t * f->nvars + v] == 1)]);
    }
    return s;
}

/* Advance idx over term t's choices, first variable fastest; 0 at the end. */
static int next_choice(const cli_formula *f, int t, int64_t *idx)
{
    for (int v = 0; v < f->nvars; v++) {
        if (!(f->terms[t] >> v & 1))
            continue;
        if (++idx[v] < choices(f, t, v))
            return 1;
        idx[v] = 0;
    }
    return 0;
}

static int set_codes(const char *cmd, cli_formula *f)
{
    if (!(f->code = calloc((size_t)(f->nterms * f->nvars + 1), sizeof *f->code)))
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    for (int t = 0; t < f->nterms; t++)
        for (int v = 0; v < f->nvars; v++)
            if (f->terms[t] >> v & 1)
                f->code[t * f->nvars + v] = term_code(f, t, v);
    /* model.matrix(): without an intercept, the first factor gets all levels */
    for (int t = 0, done = f->intercept; t < f->nterms && !done; t++)
        for (int v = 0; v < f->nvars && !done; v++)
            if ((f->terms[t] >> v & 1) && f->vars[v].factor && f->vars[v].nlev > 1) {
                f->code[t * f->nvars + v] = 2;
                done = 1;
            }
    for (int t = 0; t < f->nterms; t++)
        for (int v = 0; v < f->nvars; v++)
            if ((f->terms[t] >> v & 1) && f->vars[v].factor && f->vars[v].nlev < 2 && f->code[t * f->nvars + v] == 1)
                return cli_fail(CLI_EXIT_FAILURE, "%s: --formula: factor %s has %lld level%s: contrasts need 2 or "
                                "more", cmd, f->vars[v].label, (long long)f->vars[v].nlev,
                                f->vars[v].nlev == 1 ? "" : "s");
    return 0;
}

int cli_formula_layout(const char *cmd, cli_formula *f)
{
    int rc = set_codes(cmd, f);
    int64_t p = 0, idx[CLI_FORMULA_MAX_VARS];
    for (int t = 0; !rc && t < f->nterms; t++) {
        int64_t k = 1;
        for (int v = 0; v < f->nvars; v++)
            if (f->terms[t] >> v & 1)
                k *= choices(f, t, v);
        p += k;
    }
    if (!rc && !(f->xnames = calloc((size_t)(p > 0 ? p : 1), sizeof *f->xnames)))
        rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
    f->p = rc ? 0 : p;
    for (int t = 0, j = 0; !rc && t < f->nterms; t++) {
        memset(idx, 0, sizeof idx);
        int64_t k = 1;
        for (int v = 0; v < f->nvars; v++)
            if (f->terms[t] >> v & 1)
                k *= choices(f, t, v);
        for (int64_t c = 0; c < k && !rc; c++, next_choice(f, t, idx))
            if (!(f->xnames[j++] = column_name(f, t, idx)))
                rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
    }
    return rc;
}

/* ------------------------------------------------------------ rows */

static int grow(cli_formula *f, int64_t n)
{
    if (n <= f->cap)
        return 0;
    free(f->X);
    free(f->y);
    free(f->offset);
    f->X = malloc((size_t)(n * (f->p > 0 ? f->p : 1)) * sizeof *f->X);
    f->y = malloc((size_t)n * sizeof *f->y);
    f->offset = malloc((size_t)n * sizeof *f->offset);
    int ok = f->X && f->y && f->offset;
    for (int j = 0; j < f->ncols && ok; j++) {
        free(f->cols[j].val);
        ok = (f->cols[j].val = malloc((size_t)n * sizeof(double))) != NULL;
    }
    for (int v = 0; v < f->nvars && ok; v++) {
        free(f->vars[v].val);
        ok = (f->vars[v].val = malloc((size_t)n * sizeof(double))) != NULL;
    }
    f->cap = ok ? n : 0;
    return ok ? 0 : cli_fail(CLI_EXIT_FAILURE, "out of memory");
}

/* The numbers of the numeric columns and the level indices of the factors. */
static int read_cells(const char *cmd, cli_formula *f, const cli_reader *r, int64_t n)
{
    for (int j = 0; j < f->ncols; j++) {
        fcol *c = &f->cols[j];
        for (int64_t i = 0; c->rcol >= 0 && c->numeric && i < n; i++) {
            const char *s = cli_reader_cell(r, i, c->rcol);
            if (!cell_number(s, &c->val[i]))
                return cli_fail(CLI_EXIT_FAILURE, "%s: %s: data row %lld, column '%s': not a number: '%s'", cmd,
                                cli_reader_path(r), (long long)(cli_reader_row0(r) + i + 1), c->name, s);
        }
    }
    for (int v = 0; v < f->nvars; v++) {
        fvar *fv = &f->vars[v];
        for (int64_t i = 0; i < n; i++) {
            if (!fv->factor) {
                fv->val[i] = cli_formula_eval(f, fv->e, i);
                continue;
            }
            const char *s = cli_reader_cell(r, i, f->cols[fv->e->col].rcol);
            int64_t k = find_level(fv, s);
            if (k < 0)
                return cli_fail(CLI_EXIT_FAILURE, "%s: %s: data row %lld, column '%s': level '%s' was not in the "
                                "fitted data (levels of %s: %lld, first '%s')", cmd, cli_reader_path(r),
                                (long long)(cli_reader_row0(r) + i + 1), f->cols[fv->e->col].name, s, fv->label,
                                (long long)fv->nlev, fv->nlev ? fv->levels[0] : "");
            fv->val[i] = (double)k;
        }
    }
    return 0;
}

/* X's columns of term t from column j on. */
static int64_t term_columns(cli_formula *f, int t, int64_t j, int64_t n)
{
    int64_t idx[CLI_FORMULA_MAX_VARS] = {0}, k = 1;
    for (int v = 0; v < f->nvars; v++)
        if (f->terms[t] >> v & 1)
            k *= choices(f, t, v);
    for (int64_t c = 0; c < k; c++, j++, next_choice(f, t, idx)) {
        double *x = f->X + j * n;
        for (int64_t i = 0; i < n; i++)
            x[i] = 1.0;
        for (int v = 0; v < f->nvars; v++) {
            if (!(f->terms[t] >> v & 1))
                continue;
            const fvar *fv = &f->vars[v];
            double level = (double)(idx[v] + (fv->factor && f->code[t * f->nvars + v] == 1));
            for (int64_t i = 0; i < n; i++)
                x[i] *= fv->factor ? (fv->val[i] == level) : fv->val[i];
        }
    }
    return j;
}

int cli_formula_rows(const char *cmd, cli_formula *f, const cli_reader *r, int64_t n, const double *extra,
                     const double **X, const double **y, const double **offset)
{
    int rc = grow(f, n > 0 ? n : 1);
    if (!rc)
        rc = read_cells(cmd, f, r, n);
    if (rc)
        return rc;
    for (int t = 0, j = 0; t < f->nterms; t++)
        j = (int)term_columns(f, t, j, n);
    *X = f->X;
    if (y) {
        for (int64_t i = 0; f->response && i < n; i++)
            f->y[i] = cli_formula_eval(f, f->response, i);
        *y = f->response ? f->y : NULL;
    }
    *offset = extra;
    if (f->noffsets > 0) {
        for (int64_t i = 0; i < n; i++) {
            double o = extra ? extra[i] : 0.0;
            for (int k = 0; k < f->noffsets; k++)
                o += cli_formula_eval(f, f->offsets[k], i);
            f->offset[i] = o;
        }
        *offset = f->offset;
    }
    return 0;
}
