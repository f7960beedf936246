/*
 * file_replace.h -- replace a file atomically: the new content goes to a
 * temporary file in the target's directory, which is flushed, fsync'ed and
 * renamed over the target, and the directory is fsync'ed.  Until the rename
 * the old file is untouched, so a full disk, a write error or a crash (kill
 * -9, power loss) leaves either the complete old file or the complete new
 * one, never a mixture (SQLite's and every database's promise).
 *
 * The temporary file is ".<base>.tmp.<pid>.<n>" beside the target (<base>
 * its file name, at most 200 bytes of it; <pid> the writing process; <n>
 * the first of 0, 1, 2, ... not taken), created with O_EXCL and mode 0666
 * less the umask; when the target exists it takes the target's permission
 * bits instead.  Every failure removes it; only a process killed between
 * begin and commit leaves one behind (delete ".*.tmp.*" files of dead
 * processes).  A symbolic link is followed (the file it names is replaced,
 * the link stays); a target that exists but is not a regular file (a device
 * such as /dev/null, a FIFO), and any path under /dev or /proc (/dev/stdout
 * may name a regular file the caller's standard output goes to), is written
 * in place, as there is no earlier content to keep.  A target that exists but that the caller may not write
 * (access(W_OK)) is refused with EACCES, as opening it for writing would be.
 *
 * Self-contained (C and POSIX only, no other occam internal): the library
 * uses it in occam_model_save(), and the occam CLI compiles this same file
 * into its executable for the CSV files it writes (examples/cli/
 * cli_outfile.c), so both follow one rule and the shared library exports no
 * symbol outside its API.  No global state: concurrent replacements from
 * many threads or processes get distinct temporary files (O_EXCL), and the
 * last rename wins.
 */
#ifndef OCCAM_FILE_REPLACE_H
#define OCCAM_FILE_REPLACE_H

#include <stdio.h>

typedef struct occam_replace {
    FILE *f;          /* write the new content here between begin and commit */
    char *target;     /* the file being replaced (a symbolic link resolved) */
    char *tmp;        /* the temporary file; NULL when writing in place */
    int err;          /* after a failure: the errno value returned */
    int renamed;      /* 1 once the new content is in place (a failure after it: the directory sync) */
    /* after a failure: what failed, with its file, for "cannot <what>: <strerror(err)>":
     * "open 'out.csv' for writing", "write '.out.csv.tmp.42.0'", "sync ...",
     * "rename '.out.csv.tmp.42.0' to 'out.csv'", "sync the directory of 'out.csv'" */
    char what[8300];
} occam_replace;

/* Start replacing `path`: r->f is open for writing.  Returns 0, or an errno
 * value (r->what, r->err set; nothing created, nothing to free). */
int occam__replace_begin(occam_replace *r, const char *path);

/* Finish: flush (a write error since begin fails here), fsync, close,
 * rename over the target, fsync its directory (EINVAL, a file system that
 * cannot sync directories, is not an error).  Returns 0, or an errno value
 * with r->what, r->err set: the temporary file is removed and the
 * target is as before, unless r->renamed (the new content is in place but
 * the directory sync failed).  Releases r either way. */
int occam__replace_commit(occam_replace *r);

/* Give up: close and remove the temporary file; the target is untouched.
 * Releases r.  Safe after a failed begin. */
void occam__replace_abort(occam_replace *r);

#endif /* OCCAM_FILE_REPLACE_H */
