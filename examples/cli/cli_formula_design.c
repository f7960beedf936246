/*
 * cli_formula_design.c -- the design text the CLI stores in a model
 * (occam_model_set_design, docs/format.md field 14) and reads back in
 * `occam predict`.  Lines of tab-separated fields, each field with \\, \t,
 * \n and \r escaped:
 *   occam-design <TAB> 1
 *   formula <TAB> TEXT                       the --formula as given
 *   numeric <TAB> COL                        a column read as numbers
 *   levels <TAB> VAR <TAB> text|number <TAB> L1 <TAB> L2 ...   a factor
 *   offset <TAB> COL                         the --offset column
 * Unknown line keys are skipped (a later CLI may add some).
 */
#include <stdlib.h>
#include <string.h>

#include "cli_formula.h"

typedef struct tbuf {
    char *s;
    size_t len, cap;
    int oom;
} tbuf;

static void put_raw(tbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2 + 64;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* A field, escaped, preceded by a tab unless first on its line. */
static void field(tbuf *b, const char *s, int first)
{
    if (!first)
        put_raw(b, "\t", 1);
    for (; *s; s++) {
        const char *e = *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : *s == '\r' ? "\\r" : NULL;
        if (e)
            put_raw(b, e, 2);
        else
            put_raw(b, s, 1);
    }
}

char *cli_formula_design_text(const cli_formula *f, const char *offset_col)
{
    tbuf b = {NULL, 0, 0, 0};
    put_raw(&b, "occam-design\t1\n", 15);
    if (f) {
        field(&b, "formula", 1);
        field(&b, f->text, 0);
        put_raw(&b, "\n", 1);
        for (int j = 0; j < f->ncols; j++) {
            if (!f->cols[j].numeric)
                continue;
            field(&b, "numeric", 1);
            field(&b, f->cols[j].name, 0);
            put_raw(&b, "\n", 1);
        }
        for (int v = 0; v < f->nvars; v++) {
            const fvar *fv = &f->vars[v];
            if (!fv->factor)
                continue;
            field(&b, "levels", 1);
            field(&b, fv->label, 0);
            field(&b, fv->numeric_levels ? "number" : "text", 0);
            for (int64_t k = 0; k < fv->nlev; k++)
                field(&b, fv->levels[k], 0);
            put_raw(&b, "\n", 1);
        }
    }
    if (offset_col) {
        field(&b, "offset", 1);
        field(&b, offset_col, 0);
        put_raw(&b, "\n", 1);
    }
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* Split line [s, e) into unescaped fields (malloc'd array of malloc'd
 * strings). */
static int split_line(const char *s, const char *e, char ***out, int64_t *n)
{
    *out = NULL;
    *n = 0;
    int64_t cap = 1;
    for (const char *c = s; c < e; c++)
        cap += *c == '\t';
    char **fs = calloc((size_t)cap, sizeof *fs);
    if (!fs)
        return -1;
    for (int64_t k = 0; k < cap; k++) {
        const char *end = s;
        while (end < e && *end != '\t')
            end++;
        char *d = malloc((size_t)(end - s) + 1), *w = d;
        if (!d) {
            cli_strings_free(fs, k);
            return -1;
        }
        for (const char *c = s; c < end; c++) {
            if (*c == '\\' && c + 1 < end) {
                c++;
                *w++ = *c == 't' ? '\t' : *c == 'n' ? '\n' : *c == 'r' ? '\r' : *c;
            } else {
                *w++ = *c;
            }
        }
        *w = '\0';
        fs[k] = d;
        s = end + 1;
    }
    *out = fs;
    *n = cap;
    return 0;
}

/* Apply one line of the design to f (and the offset column). */
static int apply_line(const char *cmd, cli_formula **f, char **fs, int64_t n, char **offset_col, int keep_response)
{
    if (strcmp(fs[0], "formula") == 0 && n == 2) /* predictions need no response */
        return cli_formula_parse(cmd, fs[1], keep_response ? 2 : 0, f);
    if (strcmp(fs[0], "offset") == 0 && n == 2)
        return (*offset_col = cli_strdup(fs[1])) ? 0 : cli_fail(CLI_EXIT_FAILURE, "out of memory");
    if (!*f)
        return 0;
    if (strcmp(fs[0], "numeric") == 0 && n == 2) {
        for (int j = 0; j < (*f)->ncols; j++)
            if (strcmp((*f)->cols[j].name, fs[1]) == 0)
                (*f)->cols[j].numeric = 1;
        return 0;
    }
    if (strcmp(fs[0], "levels") != 0 || n < 3)
        return 0;
    for (int v = 0; v < (*f)->nvars; v++) {
        fvar *fv = &(*f)->vars[v];
        if (strcmp(fv->label, fs[1]) != 0)
            continue;
        fv->factor = 1;
        fv->numeric_levels = strcmp(fs[2], "number") == 0;
        fv->nlev = n - 3;
        fv->levels = calloc((size_t)(n - 3 > 0 ? n - 3 : 1), sizeof *fv->levels);
        fv->lnum = calloc((size_t)(n - 3 > 0 ? n - 3 : 1), sizeof *fv->lnum);
        if (!fv->levels || !fv->lnum)
            return cli_fail(CLI_EXIT_FAILURE, "out of memory");
        for (int64_t k = 0; k < n - 3; k++) {
            if (!(fv->levels[k] = cli_strdup(fs[k + 3])))
                return cli_fail(CLI_EXIT_FAILURE, "out of memory");
            fv->lnum[k] = strtod(fs[k + 3], NULL);
        }
    }
    return 0;
}

int cli_formula_from_model(const char *cmd, const occam_model *m, int keep_response, cli_formula **f,
                           char **offset_col)
{
    *f = NULL;
    *offset_col = NULL;
    size_t need = 0;
    int st = occam_model_design(m, NULL, 0, &need);
    if (st < 0 && st != OCCAM_E_BUFFER_TOO_SMALL)
        return cli_fail_status(st, "%s: cannot read the model's design", cmd);
    char *text = malloc(need ? need : 1);
    if (!text)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    text[0] = '\0';
    if (need && (st = occam_model_design(m, text, need, NULL)) < 0) {
        free(text);
        return cli_fail_status(st, "%s: cannot read the model's design", cmd);
    }
    int rc = 0;
    for (const char *s = text; *s && !rc;) {
        const char *e = strchr(s, '\n');
        if (!e)
            e = s + strlen(s);
        char **fs = NULL;
        int64_t n = 0;
        if (split_line(s, e, &fs, &n) != 0)
            rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
        else
            rc = apply_line(cmd, f, fs, n, offset_col, keep_response);
        cli_strings_free(fs, n);
        s = *e ? e + 1 : e;
    }
    free(text);
    if (!rc && *f)
        rc = cli_formula_layout(cmd, *f);
    if (rc) {
        cli_formula_free(*f);
        *f = NULL;
        free(*offset_col);
        *offset_col = NULL;
    }
    return rc;
}
