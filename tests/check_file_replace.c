#define _XOPEN_SOURCE 700 /* mkdtemp, mkfifo, setrlimit, kill, nanosleep */
/*
 * check_file_replace.c -- atomic replacement of files (lib/file_replace.c)
 * through occam_model_save(): a save that fails (the file size limit hit,
 * as on a full disk) or is killed with SIGKILL at a random point leaves the
 * previous model file byte-identical and loadable; a failed save leaves no
 * temporary file; a new file gets mode 0666 & ~umask, a replaced one keeps
 * its mode; a symbolic link is followed; a FIFO is written in place.
 *
 * The reference for every byte comparison is the file as read back with
 * plain stdio before the save under test (independent of the code tested).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include "testutil.h"
#include "occam.h"

/* A small fitted model: R's cars data, dist ~ speed. */
static occam_model *small_model(void)
{
    tu_csv cars = tu_load_csv("../../data/glm/cars.csv");
    occam_model *m = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, tu_csv_column(&cars, tu_csv_col(&cars, "speed")), cars.nrows, 1,
                                     cars.nrows, OCCAM_COL_MAJOR, tu_csv_column(&cars, tu_csv_col(&cars, "dist")),
                                     NULL, NULL),
                     OCCAM_OK);
    tu_csv_free(&cars);
    return m;
}

/* A model whose file is several MiB: a wide least-squares fit (n = 16 rows,
 * p columns: the file holds 5 arrays of p + 1 values).  Fit status: the
 * rank-deficiency warning (at most n of the p + 1 coefficients are
 * estimable). */
static occam_model *big_model(int64_t p)
{
    int64_t n = 16;
    double *X = malloc((size_t)(n * p) * sizeof *X), y[16];
    uint64_t s = 12345;
    for (int64_t i = 0; i < n * p; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        X[i] = (double)(s >> 11) / 9007199254740992.0;
    }
    for (int64_t i = 0; i < n; i++) y[i] = (double)i;
    occam_model *m = NULL;
    ck_assert_int_eq(occam_linear_new(&m), OCCAM_OK);
    ck_assert_int_eq(occam_model_fit(m, NULL, X, n, p, n, OCCAM_COL_MAJOR, y, NULL, NULL), OCCAM_W_RANK_DEFICIENT);
    free(X);
    return m;
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    unsigned char *b = malloc(cap);
    for (;;) {
        n += fread(b + n, 1, cap - n, f);
        if (n < cap) break;
        b = realloc(b, cap *= 2);
    }
    fclose(f);
    *len = n;
    return b;
}

/* The file holds exactly want[0..len). */
static int same_bytes(const char *path, const unsigned char *want, size_t len)
{
    size_t got_len = 0;
    unsigned char *got = read_all(path, &got_len);
    int same = got_len == len && memcmp(got, want, len) == 0;
    free(got);
    return same;
}

/* Number of entries of dir (without . and ..); *tmp_entries those whose name
 * contains ".tmp." (the temporary files). */
static int count_entries(const char *dir, int *tmp_entries)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0, t = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        n++;
        t += strstr(e->d_name, ".tmp.") != NULL;
    }
    closedir(d);
    if (tmp_entries) *tmp_entries = t;
    return n;
}

static void remove_tmp_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".tmp.") == NULL) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static void expect_loads(const char *path)
{
    occam_model *m = NULL;
    int rc = occam_model_load(path, &m);
    ck_assert_msg(rc == OCCAM_OK, "%s does not load: %s (%s)", path, occam_strerror(rc), occam_last_error());
    occam_model_free(m);
}

START_TEST(test_new_file_mode_and_no_leftovers)
{
    char dir[] = "/tmp/occam_check_replace_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[4200];
    snprintf(path, sizeof path, "%s/model.occam", dir);
    occam_model *m = small_model();
    mode_t old = umask(027);
    ck_assert_int_eq(occam_model_save(m, path), OCCAM_OK);
    umask(old);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0640); /* 0666 & ~027 */
    int tmp = 0;
    ck_assert_int_eq(count_entries(dir, &tmp), 1);
    expect_loads(path);

    /* a replaced file keeps its permission bits */
    ck_assert_int_eq(chmod(path, 0604), 0);
    ck_assert_int_eq(occam_model_save(m, path), OCCAM_OK);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0604);
    ck_assert_int_eq(count_entries(dir, &tmp), 1);

    /* a directory that does not exist: OCCAM_E_IO, nothing created */
    char bad[4300];
    snprintf(bad, sizeof bad, "%s/no/such/dir/model.occam", dir);
    ck_assert_int_eq(occam_model_save(m, bad), OCCAM_E_IO);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "No such file or directory"));
    ck_assert_int_eq(count_entries(dir, &tmp), 1);
    /* the target is a directory */
    ck_assert_int_eq(occam_model_save(m, dir), OCCAM_E_IO);
    ck_assert_ptr_nonnull(strstr(occam_last_error(), "Is a directory"));
    ck_assert_int_eq(count_entries(dir, &tmp), 1);
    occam_model_free(m);
    remove_dir(dir);
}
END_TEST

/* A save that runs out of space: RLIMIT_FSIZE in a forked child, SIGXFSZ
 * ignored, so write() fails with EFBIG as it fails with ENOSPC on a full
 * disk.  The old file must stay byte-identical and loadable, and no
 * temporary file may remain. */
START_TEST(test_full_disk_keeps_old_file)
{
    char dir[] = "/tmp/occam_check_replace_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[4200];
    snprintf(path, sizeof path, "%s/model.occam", dir);
    occam_model *a = small_model(), *b = big_model(40000); /* about 1.6 MB */
    ck_assert_int_eq(occam_model_save(a, path), OCCAM_OK);
    size_t len = 0;
    unsigned char *old = read_all(path, &len);
    ck_assert_uint_lt(len, 24576);

    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {24576, 24576}; /* bytes per file: the old file fits, the new one does not */
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(10);
        int rc = occam_model_save(b, path);
        if (rc != OCCAM_E_IO) _exit(11);
        if (strstr(occam_last_error(), "File too large") == NULL) _exit(12);
        if (strstr(occam_last_error(), "the file was not changed") == NULL) _exit(13);
        _exit(0);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(same_bytes(path, old, len), "the old model file changed after a failed save");
    expect_loads(path);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "child: exit %d (11: save did not return OCCAM_E_IO, 12/13: message)", WEXITSTATUS(status));
    int tmp = 0;
    ck_assert_int_eq(count_entries(dir, &tmp), 1);
    ck_assert_int_eq(tmp, 0);
    free(old);
    occam_model_free(a);
    occam_model_free(b);
    remove_dir(dir);
}
END_TEST

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* kill -9 at random points of saves: a child saves the big model B over the
 * file again and again; after each SIGKILL the file must be byte-identical
 * to the old model A (killed before the first rename) or to B (a save that
 * completed), and load.  A killed save may leave its temporary file (named
 * .model.occam.tmp.<pid>.<n>); it never replaces the target. */
START_TEST(test_kill9_keeps_a_complete_file)
{
    char dir[] = "/tmp/occam_check_replace_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[4200];
    snprintf(path, sizeof path, "%s/model.occam", dir);
    occam_model *a = small_model(), *b = big_model(100000); /* about 4 MB */
    ck_assert_int_eq(occam_model_save(b, path), OCCAM_OK);
    size_t len_b = 0, len_a = 0;
    unsigned char *bytes_b = read_all(path, &len_b);
    /* a save serializes in memory (t_ser), then writes, syncs and renames:
     * the kills aim at the writing, where a non-atomic save breaks the file */
    double t0 = now_s();
    ck_assert_int_eq(occam_model_save(b, path), OCCAM_OK);
    double save_time = now_s() - t0;
    size_t need = 0;
    ck_assert_int_eq(occam_model_serialize(b, NULL, 0, &need), OCCAM_E_BUFFER_TOO_SMALL);
    unsigned char *scratch = malloc(need);
    t0 = now_s();
    ck_assert_int_eq(occam_model_serialize(b, scratch, need, &need), OCCAM_OK);
    double t_ser = now_s() - t0, t_write = save_time > t_ser ? save_time - t_ser : 0.1 * save_time;
    free(scratch);
    ck_assert_int_eq(occam_model_save(a, path), OCCAM_OK);
    unsigned char *bytes_a = read_all(path, &len_a);

    /* at least 20 trials, and on until 3 kills landed while a temporary
     * file existed (a kill inside the write), at most 400 */
    int trials = 0, still_a = 0, now_b = 0, with_tmp = 0;
    unsigned seed = 2024;
    for (int t = 0; t < 400 && (t < 20 || with_tmp < 3); t++, trials++) {
        fflush(NULL);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            for (;;)
                if (occam_model_save(b, path) != OCCAM_OK) _exit(1);
        }
        /* a random point from half-way through the first serialization
         * to half a write past the first save */
        seed = seed * 1103515245u + 12345u;
        double u = (double)(seed >> 8) / 16777216.0;
        double delay = 0.5 * t_ser + u * (0.5 * t_ser + 1.5 * t_write);
        struct timespec ts = {(time_t)delay, (long)((delay - (double)(time_t)delay) * 1e9)};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status = 0;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFSIGNALED(status), "the saving child ended by itself (status %d)", status);
        int is_a = same_bytes(path, bytes_a, len_a), is_b = same_bytes(path, bytes_b, len_b);
        ck_assert_msg(is_a || is_b, "trial %d (killed after %.1f ms): the model file is neither the old one nor "
                      "a complete new one", t, 1e3 * delay);
        expect_loads(path);
        still_a += is_a;
        now_b += is_b;
        int tmp = 0;
        count_entries(dir, &tmp);
        with_tmp += tmp > 0;
        remove_tmp_files(dir);
        ck_assert_int_eq(occam_model_save(a, path), OCCAM_OK); /* the old model again */
    }
    fprintf(stderr,
            "kill -9: %d trials (one save %.1f ms, %.1f of them serializing): %d left the old file, %d the new one, "
            "%d a temporary file\n",
            trials, 1e3 * save_time, 1e3 * t_ser, still_a, now_b, with_tmp);
    ck_assert_msg(with_tmp >= 3, "only %d of %d kills landed inside a write: the test did not exercise the window",
                  with_tmp, trials);
    free(bytes_a);
    free(bytes_b);
    occam_model_free(a);
    occam_model_free(b);
    remove_dir(dir);
}
END_TEST

START_TEST(test_symlink_followed)
{
    char dir[] = "/tmp/occam_check_replace_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char real[4200], link[4200];
    snprintf(real, sizeof real, "%s/real.occam", dir);
    snprintf(link, sizeof link, "%s/link.occam", dir);
    FILE *f = fopen(real, "wb");
    fputs("old", f);
    fclose(f);
    ck_assert_int_eq(symlink("real.occam", link), 0);
    occam_model *m = small_model();
    ck_assert_int_eq(occam_model_save(m, link), OCCAM_OK);
    struct stat st;
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert_msg(S_ISLNK(st.st_mode), "the symbolic link was replaced by a file");
    expect_loads(real);
    int tmp = 0;
    ck_assert_int_eq(count_entries(dir, &tmp), 2);
    occam_model_free(m);
    remove_dir(dir);
}
END_TEST

/* Something that is not a regular file is written in place: a FIFO gets
 * the model's bytes and stays a FIFO. */
START_TEST(test_fifo_written_in_place)
{
    char dir[] = "/tmp/occam_check_replace_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char fifo[4200], file[4200];
    snprintf(fifo, sizeof fifo, "%s/pipe", dir);
    snprintf(file, sizeof file, "%s/model.occam", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    int rd = open(fifo, O_RDONLY | O_NONBLOCK);
    ck_assert_int_ge(rd, 0);
    occam_model *m = small_model();
    ck_assert_int_eq(occam_model_save(m, fifo), OCCAM_OK);
    unsigned char got[65536];
    ssize_t n = read(rd, got, sizeof got);
    close(rd);
    ck_assert_int_eq(occam_model_save(m, file), OCCAM_OK);
    ck_assert_msg(n > 0 && same_bytes(file, got, (size_t)n), "the FIFO did not receive the model file's bytes");
    struct stat st;
    ck_assert_int_eq(lstat(fifo, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    occam_model_free(m);
    remove_dir(dir);
}
END_TEST

static Suite *file_replace_suite(void)
{
    Suite *s = suite_create("file_replace");
    TCase *tc = tcase_create("atomic save");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_new_file_mode_and_no_leftovers);
    tcase_add_test(tc, test_full_disk_keeps_old_file);
    tcase_add_test(tc, test_kill9_keeps_a_complete_file);
    tcase_add_test(tc, test_symlink_followed);
    tcase_add_test(tc, test_fifo_written_in_place);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(file_replace_suite()); }
