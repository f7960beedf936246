/*
 * cli_formula_fit.c -- the fit side of --formula and --exclude for `occam
 * fit linear` and `occam fit glm`: the design of a formula in cli_design
 * (its X, y and offset built chunk by chunk by cli_formula.c, --weights and
 * --offset columns read as numbers), the --x list of --exclude, and the
 * design text stored in the model (cli_formula_design.c).
 */
#include <stdlib.h>
#include <string.h>

#include "cli_formula.h"

int cli_design_open_formula(const char *cmd, cli_reader *r, const cli_fit_args *a, cli_design *d)
{
    memset(d, 0, sizeof *d);
    d->ycol = d->wcol = d->ocol = -1;
    d->offset_name = a->offset;
    int rc = cli_formula_parse(cmd, a->formula, 1, &d->fm);
    if (!rc)
        rc = cli_formula_bind(cmd, d->fm, r);
    if (!rc && a->weights && !(rc = cli_reader_require(r, a->weights, &d->wcol)))
        rc = cli_reader_numbers(r, &d->wcol, 1);
    if (!rc && a->offset && !(rc = cli_reader_require(r, a->offset, &d->ocol)))
        rc = cli_reader_numbers(r, &d->ocol, 1);
    if (rc)
        cli_design_free(d);
    return rc;
}

/* Every column but y, weights, offset and the excluded, as an --x list. */
int cli_exclude_list(const char *cmd, const cli_reader *r, const cli_fit_args *a, char **xlist)
{
    *xlist = NULL;
    if (!a->exclude)
        return 0;
    char **ex = NULL;
    int64_t nex = 0, ncols = cli_reader_ncols(r);
    int rc = cli_split_list(cmd, a->exclude, "--exclude", &ex, &nex);
    for (int64_t k = 0; !rc && k < nex; k++) {
        int64_t j;
        rc = cli_reader_require(r, ex[k], &j);
    }
    size_t len = 1;
    for (int64_t j = 0; !rc && j < ncols; j++)
        len += strlen(cli_reader_name(r, j)) + 1;
    char *s = rc ? NULL : malloc(len);
    if (!rc && !s)
        rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
    if (s)
        s[0] = '\0';
    for (int64_t j = 0; !rc && j < ncols; j++) {
        const char *name = cli_reader_name(r, j);
        int skip = (a->y && strcmp(name, a->y) == 0) || (a->weights && strcmp(name, a->weights) == 0) ||
                   (a->offset && strcmp(name, a->offset) == 0);
        for (int64_t k = 0; k < nex && !skip; k++)
            skip = strcmp(name, ex[k]) == 0;
        if (skip)
            continue;
        if (strchr(name, ','))
            rc = cli_fail(CLI_EXIT_USAGE, "%s: --exclude: column '%s' has a comma in its name: use --x", cmd, name);
        else {
            if (s[0])
                strcat(s, ",");
            strcat(s, name);
        }
    }
    cli_strings_free(ex, nex);
    if (rc)
        free(s);
    else
        *xlist = s;
    return rc;
}

void cli_formula_design_rows(const cli_design *d, const cli_reader *r, int64_t n, cli_rows *rows)
{
    int64_t ld;
    const double *b = cli_reader_block(r, &ld);
    int64_t s = 0;
    rows->n = n;
    rows->weights = d->wcol >= 0 ? b + (s++) * ld : NULL;
    const double *extra = d->ocol >= 0 ? b + (s++) * ld : NULL;
    /* the columns were typed and the levels collected from every row:
     * nothing can fail here but memory, reserved by the first chunk */
    if (cli_formula_rows("fit", d->fm, r, n, extra, &rows->X, &rows->y, &rows->offset) != 0) {
        rows->X = NULL;
        rows->n = 0;
    }
    rows->ld = n > 0 ? n : 1;
}

int cli_design_store(occam_model *m, const cli_design *d)
{
    if (!d->fm && !d->offset_name)
        return 0;
    char *text = cli_formula_design_text(d->fm, d->offset_name);
    if (!text)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    int st = occam_model_set_design(m, text);
    free(text);
    if (st < 0)
        return cli_fail_status(st, "cannot store the formula in the model");
    return 0;
}

int cli_fit_formula_check(const char *cmd, const cli_fit_args *a, int distributed)
{
    if (a->formula && (a->y || a->x || a->exclude))
        return cli_fail(CLI_EXIT_USAGE, "%s: --formula replaces --y, --x and --exclude: give one or the other", cmd);
    if (a->formula && !a->intercept)
        return cli_fail(CLI_EXIT_USAGE, "%s: with --formula, drop the intercept in the formula ('- 1' or '+ 0'), "
                        "not with --no-intercept", cmd);
    if (a->exclude && a->x)
        return cli_fail(CLI_EXIT_USAGE, "%s: --exclude applies without --x (every other column)", cmd);
    if (!a->formula && !a->y)
        return cli_fail(CLI_EXIT_USAGE, "%s: missing required option --y (or --formula)", cmd);
    if (a->formula && distributed)
        return cli_fail(CLI_EXIT_USAGE, "%s: --formula is not available in occam-mpi: give --y and --x", cmd);
    return 0;
}

int cli_design_intercept(const cli_design *d, int intercept) { return d->fm ? d->fm->intercept : intercept; }

int cli_design_formula_scan(const char *cmd, cli_design *d, cli_reader *r, int64_t n)
{
    int rc = cli_formula_scan(cmd, d->fm, r, n, cli_reader_at_end(r));
    if (rc)
        return rc;
    d->p = d->fm->p;
    if (!(d->xnames = calloc((size_t)(d->p > 0 ? d->p : 1), sizeof *d->xnames)))
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    for (int64_t j = 0; j < d->p; j++)
        if (!(d->xnames[j] = cli_strdup(d->fm->xnames[j])))
            return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    return 0;
}

int cli_design_has_offset(const cli_design *d) { return d->ocol >= 0 || (d->fm && d->fm->noffsets > 0); }
