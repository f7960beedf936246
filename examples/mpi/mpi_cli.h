/*
 * mpi_cli.h -- the shared interface of the occam-mpi program (examples/mpi/):
 * the CLI's subcommands (examples/cli/) run on every rank of
 * MPI_COMM_WORLD with the hooks of mpi_fit.c (rows) and mpi_pnbd.c.
 */
#ifndef OCCAM_MPI_CLI_H
#define OCCAM_MPI_CLI_H

#include <mpi.h>

#include "cli.h"

/* The run: communicator, this rank, the block size of the data files. */
typedef struct mpi_cli {
    MPI_Comm comm;
    int rank, size;
    int64_t block_bytes; /* --block-bytes: bytes of the data area per block */
} mpi_cli;

/* This rank's blocks of a file (mpi_plan). */
typedef struct mpi_rows {
    int64_t total;  /* T blocks in all */
    int64_t first;  /* this rank's first block */
    int64_t count;  /* and their number */
    int64_t *start; /* count + 1 byte offsets: block k is [start[k], start[k + 1]) */
    int64_t *line;  /* count: physical line of start[k] */
    int64_t cur;    /* the block being read again (rewind / next) */
    double t0, cpu0; /* OCCAM_CLI_TIMING: wall and CPU seconds when the reading of the blocks began */
} mpi_rows;

/* Cut r's data bytes into blocks of c->block_bytes (each the lines that
 * start in it; T = their number, at least 1), deal them to the ranks in
 * order (rank r: blocks r T / K .. (r + 1) T / K - 1), and find this rank's
 * cuts and line counts; then (collective) mpi_plan_lines() numbers their
 * first lines in the file.  mpi_plan: 0 or an exit status (kept message). */
int mpi_plan(const mpi_cli *c, cli_reader *r, mpi_rows *d);
int mpi_plan_lines(const mpi_cli *c, cli_reader *r, mpi_rows *d);
void mpi_rows_free(mpi_rows *d);

/* The rank of lowest key among those that have one (has != 0; the lowest
 * rank on a tie), or -1 when none has.  Collective. */
int mpi_lowest(const mpi_cli *c, int has, int64_t key);

/* Every rank's rc (0 or an exit status) with key ordering the failures:
 * the failure of lowest key wins; rank 0 prints its one-line message msg
 * ("occam: ...", as cli_capture_messages() kept it) and every rank returns
 * its status (0 when no rank failed).  Collective. */
int mpi_agree(const mpi_cli *c, int rc, int64_t key, const char *msg);

/* The fit hooks of `fit linear` and `fit glm` over c (they keep pointers
 * to c and q). */
void mpi_fit_hooks(mpi_cli *c, cli_fit_hooks *h, cli_quantiles_comm *q);

/* The event-log hooks of `fit pnbd --events` over c (mpi_pnbd.c). */
void mpi_events_hooks(mpi_cli *c, cli_events_hooks *h);

#endif /* OCCAM_MPI_CLI_H */
