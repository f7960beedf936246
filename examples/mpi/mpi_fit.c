/*
 * mpi_fit.c -- the rows of `occam-mpi fit linear|glm` (cli.h's
 * cli_fit_hooks): the CSV's data bytes cut into fixed blocks of
 * --block-bytes bytes, each block the lines that start in it, the blocks
 * dealt to the ranks in order (rank r: blocks r T / K to (r + 1) T / K - 1
 * of T); every pass adds each block's rows to a fresh partial result and
 * occam_mpi_reduce_pass() merges them along the fixed tree over block
 * indices, so the fit has the same bits on any number of ranks.
 *
 * Line numbers are those of the whole file: before the first pass each
 * rank counts the line ends of its blocks and MPI_Exscan gives it the lines
 * before them.  A failure in any rank's blocks (a bad cell, a y the family
 * refuses) is agreed on by all ranks: the one in the first block in file
 * order wins, rank 0 prints its one line, and every rank returns the same
 * exit status.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mpi_cli.h"
#include "occam_mpi.h"

enum { MSG_CAP = 2048 };

int mpi_lowest(const mpi_cli *c, int has, int64_t key)
{
    int64_t mine = has ? key : INT64_MAX, low = INT64_MAX;
    MPI_Allreduce(&mine, &low, 1, MPI_INT64_T, MPI_MIN, c->comm);
    if (low == INT64_MAX)
        return -1;
    int who = mine == low ? c->rank : INT_MAX, root = INT_MAX;
    MPI_Allreduce(&who, &root, 1, MPI_INT, MPI_MIN, c->comm);
    return root;
}

int mpi_agree(const mpi_cli *c, int rc, int64_t key, const char *msg)
{
    int root = mpi_lowest(c, rc != 0, key);
    if (root < 0)
        return 0;
    struct {
        int rc;
        char msg[MSG_CAP];
    } m;
    memset(&m, 0, sizeof m);
    if (c->rank == root) {
        m.rc = rc;
        snprintf(m.msg, sizeof m.msg, "%s", msg ? msg : "");
    }
    MPI_Bcast(&m, (int)sizeof m, MPI_BYTE, root, c->comm);
    m.msg[MSG_CAP - 1] = '\0';
    if (cli_reporting() && m.msg[0])
        fprintf(stderr, "%s\n", m.msg);
    return m.rc;
}

void mpi_rows_free(mpi_rows *d)
{
    if (!d)
        return;
    free(d->start);
    free(d->line);
    free(d);
}

int mpi_plan(const mpi_cli *c, cli_reader *r, mpi_rows *d)
{
    int64_t size = 0, data0 = cli_reader_data_offset(r), B = c->block_bytes;
    int rc = cli_reader_size(r, &size);
    if (rc)
        return rc;
    int64_t bytes = size > data0 ? size - data0 : 0;
    d->total = bytes / B + (bytes % B != 0);
    if (d->total < 1)
        d->total = 1;
    d->first = c->rank * d->total / c->size;
    d->count = (c->rank + 1) * d->total / c->size - d->first;
    d->start = malloc((size_t)(d->count + 1) * sizeof *d->start);
    d->line = malloc((size_t)(d->count + 1) * sizeof *d->line);
    if (!d->start || !d->line)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    for (int64_t k = 0; k <= d->count && !rc; k++) {
        int64_t b = d->first + k;
        if (b == d->total)
            d->start[k] = size > data0 ? size : data0;
        else
            rc = cli_reader_line_start(r, data0 + b * B, &d->start[k]);
    }
    int64_t mine = 0;
    for (int64_t k = 0; k < d->count && !rc; k++) {
        int64_t n = 0;
        rc = cli_reader_count_lines(r, d->start[k], d->start[k + 1], &n);
        d->line[k] = mine;
        mine += n;
    }
    d->line[d->count] = mine; /* the line ends of all this rank's blocks */
    return rc;
}

int mpi_plan_lines(const mpi_cli *c, cli_reader *r, mpi_rows *d)
{
    int64_t mine = d->line[d->count], before = 0;
    MPI_Exscan(&mine, &before, 1, MPI_INT64_T, MPI_SUM, c->comm);
    if (c->rank == 0)
        before = 0; /* MPI_Exscan leaves rank 0's undefined */
    for (int64_t k = 0; k < d->count; k++)
        d->line[k] += cli_reader_data_line(r) + before;
    return 0;
}

static int hook_open(void *ctx, cli_fit_data *f, int opened, const char *open_msg)
{
    const mpi_cli *c = ctx;
    if ((opened = mpi_agree(c, opened, c->rank, open_msg)) != 0)
        return opened;
    mpi_rows *d = calloc(1, sizeof *d);
    char msg[MSG_CAP];
    cli_capture_messages(msg, sizeof msg);
    int rc = d ? mpi_plan(c, f->r, d) : cli_fail(CLI_EXIT_FAILURE, "out of memory");
    cli_capture_messages(NULL, 0);
    if ((rc = mpi_agree(c, rc, c->rank, msg)) != 0) {
        mpi_rows_free(d);
        return rc;
    }
    mpi_plan_lines(c, f->r, d);
    f->dist = d;
    f->streamed = 1;
    return 0;
}

/* Whether the prior weights vary over all ranks' rows (lm's "Weighted"). */
static void agree_weights(const mpi_cli *c, cli_fit_data *f)
{
    double mine[3] = {f->have_w0, f->w0, f->weighted}, *all = malloc((size_t)c->size * 3 * sizeof *all);
    if (!all)
        return; /* as many ranks' notes as memory allows: only the "Weighted" label */
    MPI_Allgather(mine, 3, MPI_DOUBLE, all, 3, MPI_DOUBLE, c->comm);
    for (int r = 0; r < c->size; r++) {
        if (!all[3 * r])
            continue;
        if (!f->have_w0) {
            f->have_w0 = 1;
            f->w0 = all[3 * r + 1];
        }
        f->weighted |= all[3 * r + 2] != 0 || all[3 * r + 1] != f->w0;
    }
    free(all);
}

/* Add block k's rows to pt (the reader's range).  *lib: the failure was
 * the library's (rows numbered within the block), not the reader's. */
static int read_block(cli_fit_data *f, mpi_rows *d, int64_t k, occam_partial *pt, int first, const char *label,
                      int64_t *rows, int *lib)
{
    int rc = cli_reader_range(f->r, d->start[k], d->start[k + 1], d->line[k]);
    int64_t n = 0;
    *rows = 0;
    *lib = 0;
    while (!rc && (rc = cli_reader_next(f->r, &n)) == 0 && n > 0) {
        cli_rows x;
        cli_design_rows(&f->d, f->r, n, &x);
        if (first)
            cli_fit_note_weights(f, &x);
        int st = occam_partial_add(pt, x.X, x.n, x.ld, OCCAM_COL_MAJOR, x.y, x.weights, x.offset);
        if (st < 0) {
            *lib = 1;
            return cli_fail_status(st, "%s", label);
        }
        *rows += n;
    }
    return rc;
}

/* The library's message about block k's rows numbered among all rows: the
 * block read again into a partial whose rows start after rows_before. */
static void renumber(cli_fit_data *f, mpi_rows *d, int64_t k, occam_stream *s, int64_t rows_before,
                     const char *label, char *msg, size_t cap)
{
    occam_partial *pt = NULL;
    if (occam_partial_fork(s, &pt) != OCCAM_OK || occam_partial_set_row_base(pt, rows_before) != OCCAM_OK) {
        occam_partial_free(pt);
        return; /* the block's own numbering stays */
    }
    char again[MSG_CAP];
    int64_t n = 0;
    int lib = 0;
    cli_capture_messages(again, sizeof again);
    int rc = read_block(f, d, k, pt, 0, label, &n, &lib);
    cli_capture_messages(NULL, 0);
    if (rc && lib)
        snprintf(msg, cap, "%s", again);
    occam_partial_free(pt);
}

static int hook_pass(void *ctx, cli_fit_data *f, occam_stream *s, int first, const char *label)
{
    const mpi_cli *c = ctx;
    mpi_rows *d = f->dist;
    int64_t nb = d->count > 0 ? d->count : 1;
    occam_partial **parts = calloc((size_t)nb, sizeof *parts);
    int64_t *nrows = calloc((size_t)nb, sizeof *nrows);
    char msg[MSG_CAP];
    int rc = parts && nrows ? 0 : cli_fail(CLI_EXIT_FAILURE, "out of memory"), lib = 0;
    int64_t key = c->rank, rows = 0;
    cli_capture_messages(msg, sizeof msg);
    for (int64_t k = 0; k < d->count && !rc; k++) {
        int st = occam_partial_fork(s, &parts[k]);
        rc = st < 0 ? cli_fail_status(st, "%s", label) : read_block(f, d, k, parts[k], first, label, &nrows[k], &lib);
        key = d->first + k;
        rows += nrows[k];
    }
    cli_capture_messages(NULL, 0);
    /* the first failing block in file order: a library message about its
     * rows numbers them among all rows (those of the blocks before it) */
    int64_t mine = rc ? key : INT64_MAX, low = INT64_MAX;
    MPI_Allreduce(&mine, &low, 1, MPI_INT64_T, MPI_MIN, c->comm);
    if (low != INT64_MAX) {
        int64_t before = 0, all = 0;
        for (int64_t k = 0; parts && nrows && k < d->count && d->first + k < low; k++)
            before += nrows[k];
        MPI_Allreduce(&before, &all, 1, MPI_INT64_T, MPI_SUM, c->comm);
        if (rc && mine == low && lib)
            renumber(f, d, low - d->first, s, all, label, msg, sizeof msg);
    }
    rc = mpi_agree(c, rc, key, msg);
    if (!rc && first) {
        int64_t all = 0;
        MPI_Allreduce(&rows, &all, 1, MPI_INT64_T, MPI_SUM, c->comm);
        if (all == 0)
            rc = cli_fail(CLI_EXIT_FAILURE, "%s: no data rows after the header", cli_reader_path(f->r));
    }
    if (!rc) {
        int st = occam_mpi_reduce_pass(s, parts, d->count, d->first, d->total, c->comm);
        if (st < 0)
            rc = cli_fail(CLI_EXIT_FAILURE, "%s: %s", label, occam_mpi_last_error());
    }
    if (!rc && first) {
        occam_stream_pass(s, NULL, &f->n);
        agree_weights(c, f);
    }
    for (int64_t k = 0; parts && k < d->count; k++)
        occam_partial_free(parts[k]);
    free(parts);
    free(nrows);
    return rc;
}

static int hook_rewind(void *ctx, cli_fit_data *f)
{
    (void)ctx;
    mpi_rows *d = f->dist;
    d->cur = 0;
    return d->count > 0 ? cli_reader_range(f->r, d->start[0], d->start[1], d->line[0]) : 0;
}

static int hook_next(void *ctx, cli_fit_data *f, int64_t *n)
{
    (void)ctx;
    mpi_rows *d = f->dist;
    *n = 0;
    while (d->cur < d->count) {
        int rc = cli_reader_next(f->r, n);
        if (rc || *n > 0)
            return rc;
        if (++d->cur < d->count && (rc = cli_reader_range(f->r, d->start[d->cur], d->start[d->cur + 1],
                                                           d->line[d->cur])) != 0)
            return rc;
    }
    return 0;
}

static void hook_close(void *ctx, cli_fit_data *f)
{
    (void)ctx;
    mpi_rows_free(f->dist);
    f->dist = NULL;
}

static int q_sum(void *ctx, uint32_t *counts, int64_t k)
{
    const mpi_cli *c = ctx;
    MPI_Allreduce(MPI_IN_PLACE, counts, (int)k, MPI_UINT32_T, MPI_SUM, c->comm);
    return 0;
}

static int q_gather(void *ctx, const double *v, int64_t m, double *all, int64_t cap, int64_t *total)
{
    const mpi_cli *c = ctx;
    int *counts = malloc((size_t)c->size * sizeof *counts), *displs = malloc((size_t)c->size * sizeof *displs);
    int mine = (int)m, ok = counts && displs;
    int every = 0;
    MPI_Allreduce(&ok, &every, 1, MPI_INT, MPI_MIN, c->comm);
    if (!every) {
        free(counts);
        free(displs);
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    }
    MPI_Allgather(&mine, 1, MPI_INT, counts, 1, MPI_INT, c->comm);
    int64_t sum = 0;
    for (int r = 0; r < c->size; r++) {
        displs[r] = (int)sum;
        sum += counts[r];
    }
    int rc = 0;
    if (sum > cap || sum > INT_MAX)
        rc = cli_fail(CLI_EXIT_FAILURE, "residuals: %lld values where %lld were expected", (long long)sum,
                      (long long)cap);
    else
        MPI_Allgatherv(v, mine, MPI_DOUBLE, all, counts, displs, MPI_DOUBLE, c->comm);
    *total = sum;
    free(counts);
    free(displs);
    return rc;
}

void mpi_fit_hooks(mpi_cli *c, cli_fit_hooks *h, cli_quantiles_comm *q)
{
    *q = (cli_quantiles_comm){.ctx = c, .sum = q_sum, .gather = q_gather};
    *h = (cli_fit_hooks){.ctx = c,
                         .open = hook_open,
                         .pass = hook_pass,
                         .rewind = hook_rewind,
                         .next = hook_next,
                         .close = hook_close,
                         .quantiles = q};
}
