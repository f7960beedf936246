/*
 * cli_outfile.c -- the files the tool writes (--coef-csv, --summary-csv,
 * predict --output) are replaced atomically, as occam_model_save() replaces
 * model files: through the library's own lib/file_replace.c, compiled into
 * the tool (the shared library exports only its API).  A failed or killed
 * command leaves the previous file intact; a failure removes the temporary
 * file ".<name>.tmp.<pid>.<n>".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "file_replace.h"

struct cli_outfile {
    occam_replace r;
    const char *label;
};

static int report(const cli_outfile *o)
{
    const occam_replace *r = &o->r;
    return cli_fail(CLI_EXIT_FAILURE, "%s: cannot %s: %s (%s)", o->label, r->what, strerror(r->err),
                    r->renamed ? "the new file is in place, its directory entry may not be durable yet"
                               : "the file was not changed");
}

int cli_outfile_open(const char *label, const char *path, cli_outfile **out, FILE **f)
{
    *out = NULL;
    *f = NULL;
    cli_outfile *o = calloc(1, sizeof *o);
    if (!o)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    o->label = label;
    if (occam__replace_begin(&o->r, path) != 0) {
        int rc = report(o);
        free(o);
        return rc;
    }
    *out = o;
    *f = o->r.f;
    return 0;
}

int cli_outfile_commit(cli_outfile *o)
{
    int rc = occam__replace_commit(&o->r) != 0 ? report(o) : 0;
    free(o);
    return rc;
}

void cli_outfile_abort(cli_outfile *o)
{
    if (!o)
        return;
    occam__replace_abort(&o->r);
    free(o);
}
