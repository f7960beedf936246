/*
 * parallel.c -- run one function on contiguous ranges of rows, one POSIX
 * thread per range, and join.  The IRLS passes use it: every block of rows
 * contributes independently (glm_pass.c, lsq.c), so a pass splits into
 * ranges whose partial results are combined in range order afterwards.
 *
 * No pool and no state outside a call: threads are created and joined inside
 * occam__parallel_ranges.  Errors keep occam's contract: the status and the
 * thread-local message of the lowest-numbered failing range reach the caller.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

enum { MSG_SIZE = 512 };

typedef struct range_job {
    occam_range_fn fn;
    void *ctx;
    int part;
    int64_t i0, i1;
    int rc;
    char msg[MSG_SIZE];
} range_job;

static void run_job(range_job *job)
{
    job->rc = job->fn(job->ctx, job->part, job->i0, job->i1);
    if (job->rc < 0) snprintf(job->msg, sizeof job->msg, "%s", occam_last_error());
}

static void *thread_main(void *arg)
{
    run_job(arg);
    return NULL;
}

int occam__parallel_parts(int threads, int64_t n)
{
    if (threads < 1 || n < 1) return 1;
    return n < threads ? (int)n : threads;
}

int occam__parallel_ranges(int parts, int64_t n, occam_range_fn fn, void *ctx)
{
    parts = occam__parallel_parts(parts, n);
    if (parts == 1) return fn(ctx, 0, 0, n); /* no thread, no allocation */
    range_job *jobs = calloc((size_t)parts, sizeof *jobs);
    pthread_t *tid = calloc((size_t)parts, sizeof *tid);
    int *started = calloc((size_t)parts, sizeof *started);
    if (jobs == NULL || tid == NULL || started == NULL) {
        free(jobs);
        free(tid);
        free(started);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for %d threads", parts);
    }
    for (int t = 0; t < parts; t++) {
        jobs[t] = (range_job){fn, ctx, t, n * t / parts, n * (t + 1) / parts, OCCAM_OK, ""};
        /* part 0 runs here; a thread that cannot start runs here too, below */
        if (t > 0) started[t] = pthread_create(&tid[t], NULL, thread_main, &jobs[t]) == 0;
    }
    run_job(&jobs[0]);
    for (int t = 1; t < parts; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            run_job(&jobs[t]);
    }
    int rc = OCCAM_OK;
    for (int t = 0; t < parts && rc == OCCAM_OK; t++)
        if (jobs[t].rc < 0) rc = occam__fail(jobs[t].rc, "%s", jobs[t].msg);
    free(jobs);
    free(tid);
    free(started);
    return rc;
}
