/*
 * cli_fit.c -- the data side of `occam fit linear` and `occam fit glm`: the
 * CSV read in chunks (cli_reader.c), the rows of the design (cli_design),
 * the fit, and the residual block of the summary.
 *
 * Data of one chunk (the default chunk is 65,536 rows) are fitted in memory
 * by occam_model_fit(), as before.  Larger data are fitted by the library's
 * stream (occam_stream_*, docs/scale.md): the file is read once per pass,
 * chunk by chunk, and only the chunk, the reader's buffer and the library's
 * O(p^2) state are held.  A stream gives the same fit as occam_model_fit()
 * on the same rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int cli_fit_collect(cli_fit_data *f);

int cli_fit_open(const char *cmd, const cli_fit_args *a, const cli_read_opts *ro, cli_fit_data *f)
{
    memset(f, 0, sizeof *f);
    f->cmd = cmd;
    int rc = cli_reader_open(a->data, ro, &f->r);
    if (!rc)
        rc = cli_design_open(cmd, f->r, a->y, a->x, a->weights, a->offset, &f->d);
    int64_t n = 0;
    if (!rc)
        rc = cli_reader_next(f->r, &n);
    if (rc)
        return rc;
    f->n = n;
    if (cli_reader_at_end(f->r)) { /* one chunk: in memory */
        cli_design_rows(&f->d, f->r, n, &f->rows);
        return 0;
    }
    return cli_fit_collect(f);
}

/* Interim: the remaining chunks appended to arrays held in memory. */
static int cli_fit_collect(cli_fit_data *f)
{
    int64_t k = f->d.p + (f->d.ycol >= 0) + (f->d.wcol >= 0) + (f->d.ocol >= 0);
    int64_t cap = 0, n = 0, m = f->n;
    double *all = NULL;
    int rc = 0;
    while (m > 0) {
        if (n + m > cap) {
            int64_t nc = cap ? cap : 1 << 16;
            while (nc < n + m)
                nc *= 2;
            double *b = malloc((size_t)(nc * k > 0 ? nc * k : 1) * sizeof *b);
            if (!b) {
                free(all);
                return cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", cli_reader_path(f->r));
            }
            for (int64_t s = 0; s < k; s++)
                memcpy(b + s * nc, all + s * cap, (size_t)n * sizeof *b);
            free(all);
            all = b;
            cap = nc;
        }
        int64_t ld;
        const double *blk = cli_reader_block(f->r, &ld);
        for (int64_t s = 0; s < k; s++)
            memcpy(all + s * cap + n, blk + s * ld, (size_t)m * sizeof *all);
        n += m;
        if ((rc = cli_reader_next(f->r, &m)) != 0) {
            free(all);
            return rc;
        }
    }
    f->owned = all;
    f->n = n;
    int64_t s = f->d.p;
    f->rows = (cli_rows){n, cap > 0 ? cap : 1, all, NULL, NULL, NULL};
    f->rows.y = f->d.ycol >= 0 ? all + (s++) * cap : NULL;
    f->rows.weights = f->d.wcol >= 0 ? all + (s++) * cap : NULL;
    f->rows.offset = f->d.ocol >= 0 ? all + (s++) * cap : NULL;
    return 0;
}

int cli_fit_model(cli_fit_data *f, occam_model *m, const occam_opts *opts)
{
    const cli_rows *x = &f->rows;
    return occam_model_fit(m, opts, x->X, x->n, f->d.p, x->ld > 0 ? x->ld : 1, OCCAM_COL_MAJOR, x->y, x->weights,
                           x->offset);
}

int cli_fit_weighted(const cli_fit_data *f)
{
    const double *w = f->rows.weights;
    for (int64_t i = 1; w && i < f->n; i++)
        if (w[i] != w[0])
            return 1;
    return 0;
}

int cli_fit_print_residuals(cli_fit_data *f, const occam_model *m, int which, double df, enum cli_resid_style style,
                            const char *failure)
{
    int64_t n = f->n;
    double *r = malloc((size_t)(n > 0 ? n : 1) * sizeof *r);
    if (!r)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    int st = occam_model_rows(m, which, r, n);
    if (st < 0) {
        free(r);
        return cli_fail_status(st, "%s", failure);
    }
    cli_print_resid_summary(stdout, r, n, df, 4, style);
    free(r);
    return 0;
}

void cli_fit_close(cli_fit_data *f)
{
    cli_design_free(&f->d);
    cli_reader_close(f->r);
    free(f->owned);
    memset(f, 0, sizeof *f);
}
