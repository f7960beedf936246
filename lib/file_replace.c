/*
 * file_replace.c -- atomic replacement of a file (see file_replace.h):
 * temporary file beside the target, fflush + fsync, rename, fsync of the
 * directory; the temporary file is removed on every error path.
 */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 with XSI: fdopen, fsync, realpath, fchmod, O_CLOEXEC, O_DIRECTORY */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_replace.h"

enum { BASE_MAX = 200, TRIES = 1000 };

/* Record a failure: r->what = "<verb> '<file>'<tail>", r->err = err (EIO for 0). */
static int failed(occam_replace *r, int err, const char *verb, const char *file, const char *tail)
{
    snprintf(r->what, sizeof r->what, "%s '%s'%s", verb, file ? file : "", tail);
    r->err = err ? err : EIO;
    return r->err;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c) memcpy(c, s, n);
    return c;
}

static void release(occam_replace *r)
{
    free(r->target);
    free(r->tmp);
    r->target = r->tmp = NULL;
    r->f = NULL;
}

/* The file to replace: `path`, or what it names when it is a symbolic link
 * that resolves. */
static char *resolve(const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (real) return real;
    }
    return dup_str(path);
}

/* Create the temporary file beside r->target: fd, or -1 with errno. */
static int create_tmp(occam_replace *r, mode_t mode, int keep_mode)
{
    const char *slash = strrchr(r->target, '/');
    size_t dirlen = slash ? (size_t)(slash - r->target) + 1 : 0;
    const char *base = r->target + dirlen;
    size_t blen = strlen(base) < BASE_MAX ? strlen(base) : BASE_MAX;
    size_t cap = dirlen + blen + 64;
    r->tmp = malloc(cap);
    if (r->tmp == NULL) return errno = ENOMEM, -1;
    for (int n = 0; n < TRIES; n++) {
        snprintf(r->tmp, cap, "%.*s.%.*s.tmp.%ld.%d", (int)dirlen, r->target, (int)blen, base, (long)getpid(), n);
        int fd = open(r->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            if (keep_mode && fchmod(fd, mode) != 0) {
                int e = errno;
                close(fd);
                unlink(r->tmp);
                return errno = e, -1;
            }
            return fd;
        }
        if (errno != EEXIST) return -1;
    }
    return errno = EEXIST, -1;
}

int occam__replace_begin(occam_replace *r, const char *path)
{
    memset(r, 0, sizeof *r);
    if (path == NULL || path[0] == '\0') return failed(r, ENOENT, "open", "", " for writing");
    r->target = resolve(path);
    if (r->target == NULL) return failed(r, ENOMEM, "open", path, " for writing");
    struct stat st;
    int exists = stat(r->target, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        failed(r, EISDIR, "open", path, " for writing");
        release(r);
        return r->err;
    }
    /* a device, a FIFO, or a path under /dev or /proc (/dev/stdout names
     * the caller's standard output, which may be a regular file): written
     * in place */
    int special = strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0;
    if (exists && (!S_ISREG(st.st_mode) || special)) {
        r->f = fopen(r->target, "wb");
        if (r->f == NULL) {
            failed(r, errno, "open", path, " for writing");
            release(r);
            return r->err;
        }
        return 0;
    }
    if (exists && access(r->target, W_OK) != 0) {
        failed(r, errno, "open", path, " for writing");
        release(r);
        return r->err;
    }
    int fd = create_tmp(r, st.st_mode & 07777, exists);
    if (fd < 0) {
        failed(r, errno, "open", path, " for writing");
        release(r);
        return r->err;
    }
    r->f = fdopen(fd, "wb");
    if (r->f == NULL) {
        failed(r, errno, "open", path, " for writing");
        close(fd);
        unlink(r->tmp);
        release(r);
        return r->err;
    }
    return 0;
}

/* fflush and report a write error since begin (errno of the failed write,
 * which a retried flush of the unwritten buffer reports again). */
static int flush_stream(FILE *f)
{
    int had_error = ferror(f);
    int saved = errno;
    clearerr(f);
    if (fflush(f) != 0) return errno ? errno : EIO;
    if (had_error) return saved ? saved : EIO;
    return 0;
}

/* fsync the directory holding `file`. */
static int sync_dir(const char *file)
{
    const char *slash = strrchr(file, '/');
    char *dir = NULL;
    if (slash == NULL) {
        dir = dup_str(".");
    } else {
        size_t len = slash == file ? 1 : (size_t)(slash - file);
        dir = malloc(len + 1);
        if (dir) {
            memcpy(dir, file, len);
            dir[len] = '\0';
        }
    }
    if (dir == NULL) return ENOMEM;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int err = fd < 0 ? errno : 0;
    if (fd >= 0 && fsync(fd) != 0 && errno != EINVAL) err = errno;
    if (fd >= 0) close(fd);
    free(dir);
    return err;
}

int occam__replace_commit(occam_replace *r)
{
    if (r->f == NULL) return failed(r, EBADF, "write", r->target, "");
    int err = flush_stream(r->f);
    if (r->tmp == NULL) { /* in place: no sync of a device or FIFO */
        if (fclose(r->f) != 0 && err == 0) err = errno;
        if (err) failed(r, err, "write", r->target, "");
        release(r);
        return err;
    }
    const char *what = "write";
    if (err == 0 && fsync(fileno(r->f)) != 0) {
        err = errno;
        what = "sync";
    }
    if (fclose(r->f) != 0 && err == 0) err = errno;
    r->f = NULL;
    if (err == 0 && rename(r->tmp, r->target) != 0) {
        failed(r, errno, "rename", r->tmp, "");
        size_t len = strlen(r->what);
        snprintf(r->what + len, sizeof r->what - len, " to '%s'", r->target);
        unlink(r->tmp);
        release(r);
        return r->err;
    }
    if (err) {
        failed(r, err, what, r->tmp, "");
        unlink(r->tmp);
        release(r);
        return r->err;
    }
    r->renamed = 1;
    err = sync_dir(r->target);
    if (err) failed(r, err, "sync the directory of", r->target, "");
    release(r);
    return err;
}

void occam__replace_abort(occam_replace *r)
{
    if (r->f) {
        fclose(r->f);
        if (r->tmp) unlink(r->tmp);
    }
    release(r);
}
