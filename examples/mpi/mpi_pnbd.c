/*
 * mpi_pnbd.c -- the rows of `occam-mpi fit pnbd --events` (cli.h's
 * cli_events_hooks): each rank reads its blocks of the transaction log (as
 * mpi_fit.c cuts a file) into its own per-customer event states
 * (occam_events), the settings (dates or numbers) fixed by the file's first
 * data row, which every rank reads first; then the states of all ranks are
 * gathered as bytes (occam_events_serialize) and merged on every rank in
 * rank order (occam_events_merge: a customer's purchase periods are a set,
 * so the merged state is the one a single process builds), and every rank
 * fits the same summaries; rank 0 prints.  A customer's rows may be on
 * several ranks: the merge joins them (no hashing of customers to ranks).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi_cli.h"

enum { MSG_CAP = 2048 };

static int ev_open(void *ctx, cli_reader *r, int rc, const char *msg, int64_t slot, int *has, int *code, void **rows)
{
    const mpi_cli *c = ctx;
    *rows = NULL;
    *has = 0;
    *code = 0;
    if ((rc = mpi_agree(c, rc, c->rank, msg)) != 0)
        return rc;
    mpi_rows *d = calloc(1, sizeof *d);
    char keep[MSG_CAP];
    cli_capture_messages(keep, sizeof keep);
    rc = d ? mpi_plan(c, r, d) : cli_fail(CLI_EXIT_FAILURE, "out of memory");
    /* the file's first data row: every rank reads the first chunk */
    int64_t n = 0;
    if (!rc)
        rc = cli_reader_range(r, cli_reader_data_offset(r), -1, cli_reader_data_line(r));
    if (!rc)
        rc = cli_reader_next(r, &n);
    if (!rc && n > 0) {
        *has = 1;
        *code = cli_reader_codes(r, slot)[0];
    }
    cli_capture_messages(NULL, 0);
    if ((rc = mpi_agree(c, rc, c->rank, keep)) != 0) {
        mpi_rows_free(d);
        return rc;
    }
    mpi_plan_lines(c, r, d);
    d->cur = 0;
    double user, sys;
    cli_cpu_seconds(&user, &sys);
    d->t0 = cli_seconds();
    d->cpu0 = user + sys;
    if (d->count > 0)
        rc = cli_reader_range(r, d->start[0], d->start[1], d->line[0]);
    *rows = d;
    return rc;
}

static int ev_next(void *ctx, cli_reader *r, void *rows, int64_t *n)
{
    (void)ctx;
    mpi_rows *d = rows;
    *n = 0;
    while (d->cur < d->count) {
        int rc = cli_reader_next(r, n);
        if (rc || *n > 0)
            return rc;
        if (++d->cur < d->count && (rc = cli_reader_range(r, d->start[d->cur], d->start[d->cur + 1],
                                                           d->line[d->cur])) != 0)
            return rc;
    }
    return 0;
}

/* The first bad time in the file: its row (the rows of the ranks before
 * this one added) and text, from the rank that has it. */
static void agree_bad_time(const mpi_cli *c, int64_t before, cli_events_result *e)
{
    int root = mpi_lowest(c, e->err_kind != 0, before + e->err_row);
    if (root < 0)
        return;
    struct {
        int kind;
        int64_t row;
        char text[MSG_CAP];
    } m;
    memset(&m, 0, sizeof m);
    if (c->rank == root) {
        m.kind = e->err_kind;
        m.row = before + e->err_row;
        snprintf(m.text, sizeof m.text, "%s", e->err_text ? e->err_text : "");
    }
    MPI_Bcast(&m, (int)sizeof m, MPI_BYTE, root, c->comm);
    m.text[MSG_CAP - 1] = '\0';
    free(e->err_text);
    e->err_text = cli_strdup(m.text);
    e->err_kind = m.kind;
    e->err_row = m.row;
}

/* Every rank's state *s gathered and merged in rank order into *s. */
static int merge_states(const mpi_cli *c, occam_events **s, const char *label)
{
    if (c->size == 1) /* one rank: its state is the merge (and a round trip through bytes is exact) */
        return 0;
    unsigned char *mine = NULL;
    size_t len = 0;
    int st = OCCAM_OK;
    if (*s) {
        st = occam_events_serialize(*s, NULL, 0, &len);
        if (st == OCCAM_E_BUFFER_TOO_SMALL)
            st = (mine = malloc(len)) ? occam_events_serialize(*s, mine, len, &len) : OCCAM_E_NOMEM;
        if (st == OCCAM_OK && len > (size_t)INT_MAX)
            st = OCCAM_E_TOO_LARGE;
    }
    char msg[MSG_CAP] = "";
    int rc = 0;
    if (st != OCCAM_OK) {
        cli_capture_messages(msg, sizeof msg);
        rc = cli_fail_status(st, "%s", label);
        cli_capture_messages(NULL, 0);
    }
    if ((rc = mpi_agree(c, rc, c->rank, msg)) != 0) {
        free(mine);
        return rc;
    }
    int n = (int)len, *counts = malloc((size_t)c->size * sizeof *counts), *displs = malloc((size_t)c->size * sizeof *displs);
    MPI_Allgather(&n, 1, MPI_INT, counts, 1, MPI_INT, c->comm);
    int64_t total = 0;
    for (int r = 0; r < c->size; r++) {
        displs[r] = (int)total;
        total += counts[r];
    }
    unsigned char *all = total > INT_MAX ? NULL : malloc(total > 0 ? (size_t)total : 1);
    int ok = all != NULL, every = 0;
    MPI_Allreduce(&ok, &every, 1, MPI_INT, MPI_MIN, c->comm);
    if (!every) {
        free(mine);
        free(all);
        free(counts);
        free(displs);
        return cli_fail(CLI_EXIT_FAILURE, "%s: the ranks' customer states (%lld bytes) do not fit one gather",
                        label, (long long)total);
    }
    MPI_Allgatherv(mine, n, MPI_BYTE, all, counts, displs, MPI_BYTE, c->comm);
    free(mine);
    occam_events *merged = NULL;
    for (int r = 0; r < c->size && st == OCCAM_OK; r++) {
        if (counts[r] == 0)
            continue;
        occam_events *one = NULL;
        st = occam_events_deserialize(all + displs[r], (size_t)counts[r], &one);
        if (st == OCCAM_OK && !merged) {
            merged = one;
            continue;
        }
        if (st == OCCAM_OK)
            st = occam_events_merge(merged, one);
        occam_events_free(one);
    }
    free(all);
    free(counts);
    free(displs);
    if (st != OCCAM_OK) { /* the same bytes and steps on every rank: the same failure */
        occam_events_free(merged);
        return cli_fail_status(st, "%s", label);
    }
    occam_events_free(*s);
    *s = merged;
    return 0;
}

/* OCCAM_CLI_TIMING (docs/scale.md's per-rank figures): this rank's reading of
 * its blocks (wall, CPU) and the gather and merge of the states, on stderr. */
static void print_timing(const mpi_cli *c, const mpi_rows *d, double t_read, double cpu_read, double t_merged)
{
    if (!getenv("OCCAM_CLI_TIMING") || d == NULL)
        return;
    long long bytes = d->count > 0 ? (long long)(d->start[d->count] - d->start[0]) : 0;
    fprintf(stderr,
            "occam-mpi: timing: rank %d: its %lld blocks (%lld bytes) read in %.3f s (%.3f s CPU, %.0f MB/s "
            "per CPU second); states gathered and merged in %.3f s\n",
            c->rank, (long long)d->count, bytes, t_read - d->t0, cpu_read - d->cpu0,
            cpu_read > d->cpu0 ? bytes / 1e6 / (cpu_read - d->cpu0) : 0.0, t_merged - t_read);
}

static int ev_done(void *ctx, cli_reader *r, void *rows, int rc, const char *msg, cli_events_result *e)
{
    const mpi_cli *c = ctx;
    double user, sys, t_read = cli_seconds();
    cli_cpu_seconds(&user, &sys);
    /* the ranks' blocks are in file order: the lowest failing rank's is the first */
    if ((rc = mpi_agree(c, rc, c->rank, msg)) != 0)
        return rc;
    int64_t before = 0, total = 0;
    MPI_Exscan(&e->n, &before, 1, MPI_INT64_T, MPI_SUM, c->comm);
    if (c->rank == 0)
        before = 0;
    MPI_Allreduce(&e->n, &total, 1, MPI_INT64_T, MPI_SUM, c->comm);
    if (total == 0)
        return cli_fail(CLI_EXIT_FAILURE, "%s: no data rows after the header", cli_reader_path(r));
    e->n = total;
    agree_bad_time(c, before, e);
    char label[1200];
    snprintf(label, sizeof label, "fit pnbd: cannot summarize %s", cli_reader_path(r));
    if ((rc = merge_states(c, &e->ie, label)) == 0)
        rc = merge_states(c, &e->te, label);
    print_timing(c, rows, t_read, user + sys, cli_seconds());
    return rc;
}

static void ev_close(void *ctx, void *rows)
{
    (void)ctx;
    mpi_rows_free(rows);
}

void mpi_events_hooks(mpi_cli *c, cli_events_hooks *h)
{
    *h = (cli_events_hooks){.ctx = c, .open = ev_open, .next = ev_next, .done = ev_done, .close = ev_close};
}
