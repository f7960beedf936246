/*
 * testutil.h -- helpers shared by the Check suites: fixture paths, CSV and
 * JSON fixture loading (cJSON), and relative-error assertions.
 */
#ifndef OCCAM_TESTUTIL_H
#define OCCAM_TESTUTIL_H

#include <check.h>
#include <cjson/cJSON.h>
#include <stdint.h>

/* Absolute path of a fixture under tests/data (malloc'ed; free it).  An
 * absolute relpath is returned as is. */
char *tu_data_path(const char *relpath);

/* The project's shared reference material (../shared beside the checkout),
 * or NULL when it is not there: tests read it when present, so new reference
 * cases dropped there are tested too, and fall back to the copies in
 * tests/data (a fresh clone has no ../shared). */
const char *tu_shared_dir(void);

/* Parse tests/data/<relpath> as JSON; fails the test if it cannot. */
cJSON *tu_load_json(const char *relpath);

/* A numeric CSV with a header row, stored column-major. */
typedef struct tu_csv {
    int64_t nrows, ncols;
    char **names;  /* ncols */
    double *data;  /* nrows * ncols, column-major */
} tu_csv;

/* Load tests/data/<relpath>; fails the test on error. */
tu_csv tu_load_csv(const char *relpath);
void tu_csv_free(tu_csv *c);
/* Column index by name, or -1. */
int64_t tu_csv_col(const tu_csv *c, const char *name);
/* Pointer to column j (nrows values). */
const double *tu_csv_column(const tu_csv *c, int64_t j);

/* JSON helpers: number (null -> NaN, "Inf"/"-Inf" strings -> +-inf). */
double tu_json_num(const cJSON *v);
/* Copy a JSON array of numbers into a new malloc'ed array; *n gets its length. */
double *tu_json_array(const cJSON *arr, int64_t *n);
/* Object member by key; fails the test if missing. */
const cJSON *tu_json_get(const cJSON *obj, const char *key);

/* |a - b| / max(|b|, tiny): relative error against reference b; 0 when both
 * are equal (including both infinite); inf when exactly one is NaN. */
double tu_rel_err(double a, double b);

/* Assert relative error <= tol with a message naming what is compared. */
#define TU_ASSERT_REL(got, want, tol, what)                                             \
    do {                                                                                \
        double tu_g_ = (got), tu_w_ = (want);                                           \
        double tu_e_ = tu_rel_err(tu_g_, tu_w_);                                        \
        ck_assert_msg(tu_e_ <= (tol), "%s: got %.17g want %.17g (rel err %.3g > %.3g)",  \
                      (what), tu_g_, tu_w_, tu_e_, (double)(tol));                      \
    } while (0)

/* Run one suite with CK_ENV verbosity; returns the process exit status. */
int tu_run_suite(Suite *s);

#endif
