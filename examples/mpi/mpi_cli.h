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

/* Every rank's rc (0 or an exit status) with key ordering the failures:
 * the failure of lowest key wins; rank 0 prints its one-line message msg
 * ("occam: ...", as cli_capture_messages() kept it) and every rank returns
 * its status (0 when no rank failed).  Collective. */
int mpi_agree(const mpi_cli *c, int rc, int64_t key, const char *msg);

/* The fit hooks of `fit linear` and `fit glm` over c (they keep pointers
 * to c and q). */
void mpi_fit_hooks(mpi_cli *c, cli_fit_hooks *h, cli_quantiles_comm *q);

#endif /* OCCAM_MPI_CLI_H */
