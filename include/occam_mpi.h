/*
 * occam_mpi.h -- occam's fits over rows spread across the processes of an
 * MPI communicator (the optional occam_mpi library; docs/scale.md, "MPI").
 *
 * Every process of the communicator holds the same stream (occam_stream_new
 * with the same model setup and options): for each pass each process adds
 * its rows to partial results of the pass (occam_partial_fork/add), the
 * partials are merged along a fixed binary tree over their block indices,
 * and the total is broadcast as bytes (occam_partial_serialize) and
 * absorbed by every process's stream.  The streams then take the same
 * steps, so every process ends with the same model.  The reduction of a
 * pass moves one serialized partial (O(p^2) bytes) per tree edge that joins
 * two processes, and one broadcast.
 *
 * The library occam itself never links MPI; this header needs <mpi.h> and
 * the program links occam_mpi (CMake: occam::occam_mpi, built with
 * -DOCCAM_MPI=ON or AUTO when MPI is found).  Every function here is
 * collective: all processes of comm call it with matching arguments.
 */
#ifndef OCCAM_MPI_H
#define OCCAM_MPI_H

#include <mpi.h>
#include <stdint.h>

#include "occam.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Reduce one pass of stream s over comm.  The pass's rows are cut into
 *  `nblocks_total` blocks numbered 0, 1, ... in row order; this process
 *  holds the `nblocks` consecutive blocks from block `first`, as partials of
 *  s's current pass (occam_partial_fork(s), filled with occam_partial_add),
 *  and the processes' blocks are in rank order (rank 0 the first ones; a
 *  process may hold none: nblocks = 0).  The partials are merged along the
 *  fixed binary tree over block indices that splits [lo, hi) at
 *  lo + (hi - lo) / 2, each merge putting the right half's rows after the
 *  left's, so the total -- and the fit -- depends on the blocks only, not
 *  on how many processes hold them: the same blocks give the same bits on
 *  1, 2 or 4 processes.  The total is absorbed by every process's s
 *  (occam_stream_absorb; then call occam_stream_next as usual).  The
 *  partials in blocks may be changed (merged into); the caller frees them.
 *
 *  A failed partial anywhere (bad rows) fails the call on every process with
 *  the status of the failed block of lowest index, and its message in
 *  occam_mpi_last_error() (on every process; rows numbered within that
 *  block).  Returns OCCAM_OK, OCCAM_E_NULL, OCCAM_E_INVALID_ARG (counts that
 *  do not tile [0, nblocks_total) in rank order), a failed partial's status,
 *  the statuses of occam_partial_merge / serialize / deserialize /
 *  occam_stream_absorb, OCCAM_E_TOO_LARGE (a partial of 2^31 bytes or more,
 *  MPI's count), OCCAM_E_IO (an MPI call failed). */
int occam_mpi_reduce_pass(occam_stream *s, occam_partial *const *blocks, int64_t nblocks, int64_t first,
                          int64_t nblocks_total, MPI_Comm comm);

/** Fit m (linear or GLM; Pareto/NBD with p = 3 as occam_model_fit) on the
 *  rows of all processes of comm, in rank order: this process's nrows rows
 *  X (nrows x p, ld, layout as occam_model_fit), y, weights and offset
 *  (NULL when not used; a process without rows passes nrows = 0 and NULLs;
 *  whether weights and offset are given must be the same on every
 *  process, as must m's setup, opts and p).  Every process ends with the
 *  fit in its m, as occam_model_fit() stores it except the per-row results
 *  (a streamed fit's, docs/scale.md), equal to occam_model_fit() on all the
 *  rows to rounding (1e-13 relative on the tests).  Each process's rows are
 *  one block of occam_mpi_reduce_pass(): the digits depend on how the rows
 *  are spread (for identical bits on any number of processes cut the rows
 *  into fixed blocks and call occam_mpi_reduce_pass, as occam-mpi does).
 *  Returns what occam_stream_finish() returns (OCCAM_OK or a warning), or
 *  the first error: occam_stream_* statuses, those of
 *  occam_mpi_reduce_pass(), OCCAM_E_INVALID_ARG (inputs that differ between
 *  processes); the same on every process, with the message in
 *  occam_mpi_last_error().  m is unchanged on error. */
int occam_mpi_fit(occam_model *m, const occam_opts *opts, const double *X, int64_t nrows, int64_t p, int64_t ld,
                  int layout, const double *y, const double *weights, const double *offset, MPI_Comm comm);

/** The message of the last failed occam_mpi_* call of this thread (the same
 *  on every process of the call), or "". */
const char *occam_mpi_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* OCCAM_MPI_H */
