/*
 * cli_fit.c -- the data side of `occam fit linear` and `occam fit glm`: the
 * CSV read in chunks (cli_reader.c), the rows of the design (cli_design),
 * the fit, and the residual block of the summary.
 *
 * Data of one chunk (the default chunk is 65,536 rows) are fitted in memory
 * by occam_model_fit(), as before.  Larger data are fitted by the library's
 * stream (occam_stream_*, docs/scale.md): the file is read once per pass,
 * chunk by chunk, and only the chunk, the reader's buffer and the library's
 * O(p^2) state are held; a stream gives the fit occam_model_fit() gives on
 * the same rows.  The summary's residuals are then computed from the fitted
 * model in one more pass (occam_model_predict, occam_glm_dev_resids), their
 * quantiles exactly in O(chunk) memory (cli_quantile.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Residual values the summary may hold, per row of a chunk: 16 chunks. */
enum { RESID_CHUNKS = 16, RESID_MIN = 4096 };

/* The hooks of a fit over several processes (occam-mpi), or NULL. */
static const cli_fit_hooks *hooks;

void cli_fit_set_hooks(const cli_fit_hooks *h) { hooks = h; }

int cli_fit_open(const char *cmd, const cli_fit_args *a, const cli_read_opts *ro, cli_fit_data *f)
{
    memset(f, 0, sizeof *f);
    f->cmd = cmd;
    if (hooks && strcmp(a->data, "-") == 0) /* the same on every process */
        return cli_fail(CLI_EXIT_FAILURE,
                        "%s: --data -: the processes read byte ranges of one file: give a regular file, not standard "
                        "input",
                        cmd);
    char msg[2048];
    if (hooks) /* the processes agree on a failure here (hooks->open) */
        cli_capture_messages(msg, sizeof msg);
    int rc = cli_fit_formula_check(cmd, a, hooks != NULL);
    char *xlist = NULL;
    if (!rc)
        rc = cli_reader_open(a->data, ro, &f->r);
    if (!rc && a->formula)
        rc = cli_design_open_formula(cmd, f->r, a, &f->d);
    else if (!rc && !(rc = cli_exclude_list(cmd, f->r, a, &xlist)))
        rc = cli_design_open(cmd, f->r, a->y, xlist ? xlist : a->x, a->weights, a->offset, &f->d);
    free(xlist);
    f->d.offset_name = a->offset;
    if (hooks) {
        cli_capture_messages(NULL, 0);
        return hooks->open(hooks->ctx, f, rc, msg);
    }
    int64_t n = 0;
    if (!rc)
        rc = cli_reader_next(f->r, &n);
    if (rc)
        return rc;
    f->n = n;
    if (f->d.fm && (rc = cli_design_formula_scan(cmd, &f->d, f->r, n)) != 0)
        return rc;
    cli_design_rows(&f->d, f->r, n, &f->rows);
    if (cli_reader_at_end(f->r)) /* one chunk: in memory */
        return 0;
    f->streamed = 1;
    /* a pipe is read once: a fit that needs several passes needs a file */
    return cli_reader_seekable(f->r) ? 0 : cli_reader_rewind(f->r, cmd);
}

void cli_fit_note_weights(cli_fit_data *f, const cli_rows *x)
{
    for (int64_t i = 0; x->weights && i < x->n && !f->weighted; i++) {
        if (!f->have_w0) {
            f->w0 = x->weights[i];
            f->have_w0 = 1;
        }
        f->weighted = x->weights[i] != f->w0;
    }
}

/* Feed every row to the current pass; the first pass starts from the chunk
 * already read. */
static int feed_pass(cli_fit_data *f, occam_stream *s, int first, const char *label, int64_t *rows)
{
    int rc = 0;
    int64_t n = f->rows.n;
    if (!first && ((rc = cli_reader_rewind(f->r, f->cmd)) != 0 || (rc = cli_reader_next(f->r, &n)) != 0))
        return rc;
    *rows = 0;
    while (n > 0) {
        cli_rows x;
        cli_design_rows(&f->d, f->r, n, &x);
        if (first)
            cli_fit_note_weights(f, &x);
        int st = occam_stream_update(s, x.X, x.n, x.ld, OCCAM_COL_MAJOR, x.y, x.weights, x.offset);
        if (st < 0)
            return cli_fail_status(st, "%s", label);
        *rows += n;
        if ((rc = cli_reader_next(f->r, &n)) != 0)
            return rc;
    }
    return 0;
}

/* The streamed fit: one read of the file per pass. */
static int fit_streamed(cli_fit_data *f, occam_model *m, const occam_opts *opts, const char *label)
{
    int inputs = (f->d.wcol >= 0 ? OCCAM_STREAM_WEIGHTS : 0) | (cli_design_has_offset(&f->d) ? OCCAM_STREAM_OFFSET : 0);
    /* a stream's BLAS calls work on blocks of at most 2048 rows, where
     * OpenBLAS's threads only spin (a third of the time went to sched_yield) */
    cli_blas_single_thread();
    occam_stream *s = NULL;
    int st = occam_stream_new(m, opts, f->d.p, inputs, &s);
    if (st < 0)
        return cli_fail_status(st, "%s", label);
    int rc = 0, more = 0, first = 1;
    while (!rc) {
        if ((st = occam_stream_next(s, &more)) < 0) {
            rc = cli_fail_status(st, "%s", label);
            break;
        }
        if (!more)
            break;
        int64_t rows = 0;
        if (hooks) {
            rc = hooks->pass(hooks->ctx, f, s, first, label);
        } else {
            rc = feed_pass(f, s, first, label, &rows);
            if (first && !rc)
                f->n = rows;
        }
        first = 0;
    }
    if (!rc) {
        st = occam_stream_finish(s);
        rc = cli_fail_status(st, "%s", label); /* a warning prints and returns 0 */
    }
    occam_stream_free(s);
    return rc;
}

int cli_fit_model(cli_fit_data *f, occam_model *m, const occam_opts *opts, const char *label)
{
    if (f->streamed)
        return fit_streamed(f, m, opts, label);
    const cli_rows *x = &f->rows;
    cli_fit_note_weights(f, x);
    int st = occam_model_fit(m, opts, x->X, x->n, f->d.p, x->ld > 0 ? x->ld : 1, OCCAM_COL_MAJOR, x->y, x->weights,
                             x->offset);
    return cli_fail_status(st, "%s", label); /* a warning prints and returns 0 */
}

int cli_fit_weighted(const cli_fit_data *f) { return f->weighted; }

/* The residuals `which` of a chunk's rows at the fitted model: deviance
 * residuals sign(y - mu) sqrt(dev.resids) for a GLM, sqrt(w) (y - fitted)
 * for a linear model (lm's weighted residuals). */
static int chunk_residuals(const cli_fit_data *f, const occam_model *m, const cli_rows *x, double *r)
{
    int st = occam_model_predict(m, OCCAM_PREDICT_RESPONSE, 0, x->X, x->n, f->d.p, x->ld, OCCAM_COL_MAJOR, x->offset,
                                 r, NULL, x->n);
    if (st < 0)
        return st;
    if (occam_model_kind(m) == OCCAM_MODEL_GLM) {
        double fam = 0;
        if ((st = occam_model_info(m, OCCAM_INFO_FAMILY, &fam)) < 0)
            return st;
        for (int64_t i = 0; i < x->n; i++) {
            double y = x->y[i], mu = r[i], d;
            occam_glm_dev_resids((int)fam, &y, &mu, x->weights ? &x->weights[i] : NULL, 1, &d);
            d = sqrt(fmax(d, 0.0));
            r[i] = y > mu ? d : -d;
        }
    } else {
        for (int64_t i = 0; i < x->n; i++)
            r[i] = (x->weights ? sqrt(x->weights[i]) : 1.0) * (x->y[i] - r[i]);
    }
    return OCCAM_OK;
}

/* The rows again from the first: this process's with hooks. */
static int rows_rewind(cli_fit_data *f)
{
    if (hooks)
        return hooks->rewind(hooks->ctx, f);
    return cli_reader_rewind(f->r, f->cmd);
}

static int rows_next(cli_fit_data *f, int64_t *n)
{
    if (hooks)
        return hooks->next(hooks->ctx, f, n);
    return cli_reader_next(f->r, n);
}

/* Streamed: the residuals from one more read of the file (more when there
 * are over RESID_CHUNKS chunks of them: exact quantiles by selection). */
static int print_streamed_residuals(cli_fit_data *f, const occam_model *m, double df, enum cli_resid_style style,
                                    const char *failure)
{
    int64_t chunk = cli_reader_chunk_rows(f->r);
    cli_quantiles *q = NULL;
    double *r = malloc((size_t)chunk * sizeof *r);
    /* with at most 5 residual df every residual is printed: hold them all */
    int64_t cap = df <= 5 ? f->n : RESID_CHUNKS * chunk > RESID_MIN ? RESID_CHUNKS * chunk : RESID_MIN;
    int rc = r ? cli_quantiles_new(f->n, cap, &q) : cli_fail(CLI_EXIT_FAILURE, "out of memory");
    if (!rc && hooks)
        cli_quantiles_set_comm(q, hooks->quantiles);
    for (int more = 1; !rc && more;) {
        int64_t n = 0;
        if ((rc = rows_rewind(f)) != 0 || (rc = rows_next(f, &n)) != 0)
            break;
        while (!rc && n > 0) {
            cli_rows x;
            cli_design_rows(&f->d, f->r, n, &x);
            int st = chunk_residuals(f, m, &x, r);
            if (st < 0) {
                rc = cli_fail_status(st, "%s", failure);
                break;
            }
            cli_quantiles_add(q, r, n);
            rc = rows_next(f, &n);
        }
        if (!rc)
            rc = cli_quantiles_end_pass(q, &more);
    }
    if (!rc) {
        double qs[5];
        const double *all;
        cli_quantiles_result(q, qs, &all);
        if (all) /* every residual held: exactly the in-memory block */
            cli_print_resid_summary(stdout, all, f->n, df, 4, style);
        else
            cli_print_resid_quantiles(stdout, qs, 4, style);
    }
    cli_quantiles_free(q);
    free(r);
    return rc;
}

int cli_fit_print_residuals(cli_fit_data *f, const occam_model *m, int which, double df, enum cli_resid_style style,
                            const char *failure)
{
    if (f->streamed)
        return print_streamed_residuals(f, m, df, style, failure);
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
    if (hooks && f->dist)
        hooks->close(hooks->ctx, f);
    cli_design_free(&f->d);
    cli_reader_close(f->r);
    memset(f, 0, sizeof *f);
}
