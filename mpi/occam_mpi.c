/*
 * occam_mpi.c -- the optional occam_mpi library (include/occam_mpi.h): a
 * pass of a stream reduced over an MPI communicator, along a fixed binary
 * tree over block indices, and a fit over the rows the processes hold.
 *
 * The tree: node [lo, hi) splits at mid = lo + (hi - lo) / 2; its value is
 * merge(value[lo, mid), value[mid, hi)) and lives on the process holding
 * block lo.  A process computes the nodes whose range meets its blocks, and
 * when the two halves live on different processes the right one's owner
 * sends it (serialized) to the left one's.  Both walk the tree in the same
 * depth-first order, so the messages between two processes come in the
 * order they are awaited (MPI keeps the order of messages between a pair),
 * and a process only ever waits for a higher rank: no deadlock.  A process
 * that fails on its way (out of memory) still sends every message it owes,
 * empty, so the others finish the walk; then all agree on the first error.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "occam_mpi.h"

enum { MSG_CAP = 1024, TAG = 7312 };

static _Thread_local char last_error[MSG_CAP];

const char *occam_mpi_last_error(void) { return last_error; }

static int fail(int st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(int st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return st;
}

/* Every process's status (0 or < 0) with a key ordering the failures (the
 * block index, or past every block for other failures) and its message:
 * the failure of lowest key wins on every process.  Returns its status
 * (OCCAM_OK when none failed), the message in last_error. */
static int agree(int st, int64_t key, const char *msg, MPI_Comm comm)
{
    int64_t mine = st < 0 ? key : INT64_MAX, low = INT64_MAX;
    if (MPI_Allreduce(&mine, &low, 1, MPI_INT64_T, MPI_MIN, comm) != MPI_SUCCESS)
        return fail(OCCAM_E_IO, "MPI_Allreduce failed");
    if (low == INT64_MAX)
        return OCCAM_OK;
    int rank = 0, who = INT_MAX, root = INT_MAX;
    MPI_Comm_rank(comm, &rank);
    if (mine == low)
        who = rank;
    if (MPI_Allreduce(&who, &root, 1, MPI_INT, MPI_MIN, comm) != MPI_SUCCESS)
        return fail(OCCAM_E_IO, "MPI_Allreduce failed");
    struct {
        int st;
        char msg[MSG_CAP];
    } m;
    memset(&m, 0, sizeof m);
    if (rank == root) {
        m.st = st;
        snprintf(m.msg, sizeof m.msg, "%s", msg ? msg : "");
    }
    if (MPI_Bcast(&m, (int)sizeof m, MPI_BYTE, root, comm) != MPI_SUCCESS)
        return fail(OCCAM_E_IO, "MPI_Bcast failed");
    m.msg[MSG_CAP - 1] = '\0';
    return fail(m.st, "%s", m.msg);
}

/* Serialize pt into a malloc'd buffer (*buf, *len). */
static int to_bytes(const occam_partial *pt, unsigned char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    size_t need = 0;
    int st = occam_partial_serialize(pt, NULL, 0, &need);
    if (st != OCCAM_E_BUFFER_TOO_SMALL)
        return st < 0 ? st : OCCAM_E_INTERNAL;
    if (need > (size_t)INT_MAX)
        return OCCAM_E_TOO_LARGE;
    *buf = malloc(need);
    if (!*buf)
        return OCCAM_E_NOMEM;
    st = occam_partial_serialize(pt, *buf, need, &need);
    if (st < 0) {
        free(*buf);
        *buf = NULL;
        return st;
    }
    *len = need;
    return OCCAM_OK;
}

/* The tree walk's shared state. */
typedef struct walk {
    MPI_Comm comm;
    int rank, size;
    const int64_t *first, *count; /* per rank */
    occam_partial *const *blocks;
    int64_t my_first, my_count;
    int st;         /* first local failure */
    char msg[MSG_CAP];
} walk;

static void walk_fail(walk *w, int st, const char *what)
{
    if (w->st == OCCAM_OK) {
        w->st = st;
        snprintf(w->msg, sizeof w->msg, "%s: %s (%s)", what, occam_status_name(st), occam_last_error());
    }
}

static int owner(const walk *w, int64_t b)
{
    for (int r = 0; r < w->size; r++)
        if (b >= w->first[r] && b < w->first[r] + w->count[r])
            return r;
    return -1; /* not reached: the blocks tile the range */
}

/* Receive the right half from rank src into *out (NULL: the sender failed). */
static void receive(walk *w, int src, occam_partial **out)
{
    *out = NULL;
    MPI_Status status;
    int len = 0;
    if (MPI_Probe(src, TAG, w->comm, &status) != MPI_SUCCESS || MPI_Get_count(&status, MPI_BYTE, &len) != MPI_SUCCESS) {
        walk_fail(w, OCCAM_E_IO, "MPI_Probe");
        return;
    }
    unsigned char *buf = malloc(len > 0 ? (size_t)len : 1);
    int rc = MPI_Recv(buf, buf ? len : 0, MPI_BYTE, src, TAG, w->comm, MPI_STATUS_IGNORE);
    if (!buf || rc != MPI_SUCCESS) {
        walk_fail(w, buf ? OCCAM_E_IO : OCCAM_E_NOMEM, "receiving a partial result");
        free(buf);
        return;
    }
    if (len == 0) { /* the sender failed: it says so at the agreement */
        free(buf);
        return;
    }
    int st = occam_partial_deserialize(buf, (size_t)len, out);
    free(buf);
    if (st < 0)
        walk_fail(w, st, "occam_partial_deserialize");
}

/* Send pt (NULL after a failure: an empty message) to rank dst. */
static void send(walk *w, const occam_partial *pt, int dst)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    if (pt && w->st == OCCAM_OK) {
        int st = to_bytes(pt, &buf, &len);
        if (st < 0)
            walk_fail(w, st, "occam_partial_serialize");
    }
    if (MPI_Send(buf, (int)len, MPI_BYTE, dst, TAG, w->comm) != MPI_SUCCESS)
        walk_fail(w, OCCAM_E_IO, "MPI_Send");
    free(buf);
}

/* The value of node [lo, hi) on this process when it owns block lo (else
 * NULL, after sending what it owes).  *owned: the value was received (free
 * it) rather than being one of the caller's blocks. */
static occam_partial *reduce(walk *w, int64_t lo, int64_t hi, int *owned)
{
    *owned = 0;
    if (!(lo < w->my_first + w->my_count && w->my_first < hi))
        return NULL; /* none of this process's blocks */
    if (hi - lo == 1)
        return w->blocks[lo - w->my_first];
    int64_t mid = lo + (hi - lo) / 2;
    int ol = owner(w, lo), or_ = owner(w, mid), lown = 0, rown = 0;
    occam_partial *left = reduce(w, lo, mid, &lown);
    occam_partial *right = reduce(w, mid, hi, &rown);
    if (ol != or_) {
        if (w->rank == or_) {
            send(w, right, ol);
            if (rown)
                occam_partial_free(right);
            return NULL;
        }
        if (w->rank != ol) /* a process holding blocks inside the right half only */
            return NULL;
        receive(w, or_, &right);
        rown = right != NULL;
    }
    if (left && right && w->st == OCCAM_OK) {
        int st = occam_partial_merge(left, right);
        if (st < 0)
            walk_fail(w, st, "occam_partial_merge");
    }
    if (rown)
        occam_partial_free(right);
    *owned = lown;
    return left;
}

/* Every process takes the total broadcast by rank root. */
static int broadcast_absorb(occam_stream *s, const occam_partial *total, int root, MPI_Comm comm, int rank)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    int st = OCCAM_OK;
    if (rank == root)
        st = to_bytes(total, &buf, &len);
    char msg[MSG_CAP] = "";
    if (st < 0)
        snprintf(msg, sizeof msg, "occam_partial_serialize: %s (%s)", occam_status_name(st), occam_last_error());
    if ((st = agree(st, 0, msg, comm)) != OCCAM_OK) {
        free(buf);
        return st;
    }
    int64_t n = (int64_t)len;
    if (MPI_Bcast(&n, 1, MPI_INT64_T, root, comm) != MPI_SUCCESS) {
        free(buf);
        return fail(OCCAM_E_IO, "MPI_Bcast failed");
    }
    if (rank != root)
        buf = malloc(n > 0 ? (size_t)n : 1);
    int ok = buf != NULL;
    int all = 0;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm);
    if (!all) {
        free(buf);
        return fail(OCCAM_E_NOMEM, "out of memory receiving the total of a pass");
    }
    if (MPI_Bcast(buf, (int)n, MPI_BYTE, root, comm) != MPI_SUCCESS) {
        free(buf);
        return fail(OCCAM_E_IO, "MPI_Bcast failed");
    }
    occam_partial *copy = NULL;
    st = occam_partial_deserialize(buf, (size_t)n, &copy);
    free(buf);
    if (st == OCCAM_OK)
        st = occam_stream_absorb(s, copy);
    occam_partial_free(copy);
    msg[0] = '\0';
    if (st < 0)
        snprintf(msg, sizeof msg, "occam_stream_absorb: %s (%s)", occam_status_name(st), occam_last_error());
    return agree(st, rank, msg, comm);
}

int occam_mpi_reduce_pass(occam_stream *s, occam_partial *const *blocks, int64_t nblocks, int64_t first,
                          int64_t nblocks_total, MPI_Comm comm)
{
    last_error[0] = '\0';
    walk w;
    memset(&w, 0, sizeof w);
    w.comm = comm;
    MPI_Comm_rank(comm, &w.rank);
    MPI_Comm_size(comm, &w.size);
    int64_t mine[2] = {first, nblocks};
    int64_t *all = malloc((size_t)w.size * 2 * sizeof *all);
    int st = OCCAM_OK;
    char msg[MSG_CAP] = "";
    if (!s || (nblocks > 0 && !blocks))
        st = fail(OCCAM_E_NULL, "occam_mpi_reduce_pass: %s is NULL", s ? "blocks" : "the stream");
    if (!all)
        st = fail(OCCAM_E_NOMEM, "occam_mpi_reduce_pass: out of memory");
    for (int64_t b = 0; st == OCCAM_OK && b < nblocks; b++)
        if (!blocks[b])
            st = fail(OCCAM_E_NULL, "occam_mpi_reduce_pass: block %lld is NULL", (long long)(first + b));
    snprintf(msg, sizeof msg, "%s", last_error);
    if ((st = agree(st, w.rank, msg, comm)) != OCCAM_OK) {
        free(all);
        return st;
    }
    if (MPI_Allgather(mine, 2, MPI_INT64_T, all, 2, MPI_INT64_T, comm) != MPI_SUCCESS) {
        free(all);
        return fail(OCCAM_E_IO, "MPI_Allgather failed");
    }
    int64_t *firsts = malloc((size_t)w.size * sizeof *firsts), *counts = malloc((size_t)w.size * sizeof *counts);
    int64_t next = 0;
    int tiled = firsts && counts && nblocks_total > 0;
    for (int r = 0; tiled && r < w.size; r++) {
        firsts[r] = all[2 * r];
        counts[r] = all[2 * r + 1];
        if (counts[r] < 0 || (counts[r] > 0 && firsts[r] != next))
            tiled = 0;
        next += counts[r] > 0 ? counts[r] : 0;
    }
    free(all);
    tiled = tiled && next == nblocks_total;
    if (!tiled) { /* the same on every process: the counts are everyone's */
        free(firsts);
        free(counts);
        return fail(firsts && counts ? OCCAM_E_INVALID_ARG : OCCAM_E_NOMEM,
                    "occam_mpi_reduce_pass: the processes' blocks do not tile 0 .. %lld in rank order",
                    (long long)nblocks_total - 1);
    }
    /* a failed block (bad rows) fails the pass: the first in block order */
    int64_t bad = INT64_MAX;
    for (int64_t b = 0; b < nblocks && bad == INT64_MAX; b++) {
        size_t need = 0;
        int k = occam_partial_serialize(blocks[b], NULL, 0, &need);
        if (k != OCCAM_E_BUFFER_TOO_SMALL && k < 0) {
            st = k;
            bad = first + b;
            snprintf(msg, sizeof msg, "block %lld of the pass failed: %s", (long long)bad, occam_status_name(k));
        }
    }
    if ((st = agree(st, bad, msg, comm)) != OCCAM_OK) {
        free(firsts);
        free(counts);
        return st;
    }
    w.first = firsts;
    w.count = counts;
    w.blocks = blocks;
    w.my_first = first;
    w.my_count = nblocks;
    int owned = 0;
    occam_partial *total = reduce(&w, 0, nblocks_total, &owned);
    int root = owner(&w, 0);
    free(firsts);
    free(counts);
    if ((st = agree(w.st, nblocks_total + w.rank, w.msg, comm)) == OCCAM_OK)
        st = broadcast_absorb(s, total, root, comm, w.rank);
    if (owned)
        occam_partial_free(total);
    return st;
}

int occam_mpi_fit(occam_model *m, const occam_opts *opts, const double *X, int64_t nrows, int64_t p, int64_t ld,
                  int layout, const double *y, const double *weights, const double *offset, MPI_Comm comm)
{
    last_error[0] = '\0';
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    /* the inputs: those of the processes that have rows */
    int mine = nrows > 0 ? (weights ? OCCAM_STREAM_WEIGHTS : 0) | (offset ? OCCAM_STREAM_OFFSET : 0) : 0, any = 0,
        every = 0, had = nrows > 0 ? mine : OCCAM_STREAM_WEIGHTS | OCCAM_STREAM_OFFSET;
    MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_BOR, comm);
    MPI_Allreduce(&had, &every, 1, MPI_INT, MPI_BAND, comm);
    if (any != every)
        return fail(OCCAM_E_INVALID_ARG, "occam_mpi_fit: some processes give %s and others do not",
                    (any ^ every) & OCCAM_STREAM_WEIGHTS ? "weights" : "an offset");
    occam_stream *s = NULL;
    int st = occam_stream_new(m, opts, p, any, &s);
    char msg[MSG_CAP] = "";
    if (st < 0)
        snprintf(msg, sizeof msg, "occam_stream_new: %s (%s)", occam_status_name(st), occam_last_error());
    if ((st = agree(st, rank, msg, comm)) != OCCAM_OK) {
        occam_stream_free(s);
        return st;
    }
    int more = 0;
    while ((st = occam_stream_next(s, &more)) == OCCAM_OK && more) {
        occam_partial *pt = NULL;
        st = occam_partial_fork(s, &pt);
        if (st == OCCAM_OK && nrows > 0)
            st = occam_partial_add(pt, X, nrows, ld, layout, y, (any & OCCAM_STREAM_WEIGHTS) ? weights : NULL,
                                   (any & OCCAM_STREAM_OFFSET) ? offset : NULL);
        msg[0] = '\0';
        if (st < 0)
            snprintf(msg, sizeof msg, "rows of process %d: %s (%s)", rank, occam_status_name(st), occam_last_error());
        st = agree(st, rank, msg, comm);
        if (st == OCCAM_OK)
            st = occam_mpi_reduce_pass(s, &pt, 1, rank, size, comm);
        occam_partial_free(pt);
        if (st != OCCAM_OK)
            break;
    }
    if (st < 0 && last_error[0] == '\0') /* the stream's own failure: the same on every process */
        fail(st, "%s", occam_last_error());
    if (st == OCCAM_OK) {
        st = occam_stream_finish(s);
        if (st != OCCAM_OK)
            fail(st, "%s", occam_last_error());
    }
    occam_stream_free(s);
    return st;
}
