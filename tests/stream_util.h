/*
 * stream_util.h -- helpers shared by the streaming Check suites
 * (header-only, static): fit a model by feeding a stream in chunks, and
 * compare two fitted models (coefficient table, aliasing, every scalar of
 * occam_model_info, conditions) to a relative tolerance.
 */
#ifndef OCCAM_STREAM_UTIL_H
#define OCCAM_STREAM_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "occam.h"
#include "testutil.h"

/* Data of a fit: X n x p column-major (ld n), y, optional w and offset. */
typedef struct su_data {
    const double *X;
    int64_t n, p;
    const double *y, *w, *off;
} su_data;

static inline int su_inputs(const su_data *d)
{
    return (d->w ? OCCAM_STREAM_WEIGHTS : 0) | (d->off ? OCCAM_STREAM_OFFSET : 0);
}

/* Feed rows [r0, r1) of d to a stream in chunks of `chunk` rows. */
static inline void su_feed(occam_stream *s, const su_data *d, int64_t r0, int64_t r1, int64_t chunk)
{
    for (int64_t r = r0; r < r1; r += chunk) {
        int64_t nb = r1 - r < chunk ? r1 - r : chunk;
        int rc = occam_stream_update(s, d->X + r, nb, d->n, OCCAM_COL_MAJOR, d->y + r, d->w ? d->w + r : NULL,
                                     d->off ? d->off + r : NULL);
        ck_assert_msg(rc == OCCAM_OK, "update: %s (%s)", occam_status_name(rc), occam_last_error());
    }
}

/* Fit m by a stream fed every pass in chunks of `chunk` rows; returns
 * finish's status, *passes the passes read (may be NULL). */
static inline int su_stream_fit(occam_model *m, const occam_opts *o, const su_data *d, int64_t chunk, int64_t *passes)
{
    occam_stream *s = NULL;
    int rc = occam_stream_new(m, o, d->p, su_inputs(d), &s);
    ck_assert_msg(rc == OCCAM_OK, "stream_new: %s (%s)", occam_status_name(rc), occam_last_error());
    int more = 0;
    int64_t np = 0;
    while ((rc = occam_stream_next(s, &more)) == OCCAM_OK && more) {
        np++;
        su_feed(s, d, 0, d->n, chunk);
    }
    if (rc == OCCAM_OK) rc = occam_stream_finish(s);
    occam_stream_free(s);
    if (passes) *passes = np;
    return rc;
}

/* b's value with a as reference, relative tol (NaN = NaN). */
static inline void su_same(const char *id, const char *what, double a, double b, double tol)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s: %s", id, what);
    TU_ASSERT_REL(b, a, tol, msg);
}

/* Streamed model b against in-memory model a: estimates and standard
 * errors (relative tol), the aliased set, conditions, and every scalar
 * of occam_model_info the kind defines (iterations, df and flags exactly). */
static inline void su_compare(const char *id, const occam_model *a, const occam_model *b, double tol)
{
    int64_t ka = 0, kb = 0;
    ck_assert_int_eq(occam_model_dims(a, &ka, NULL), OCCAM_OK);
    ck_assert_int_eq(occam_model_dims(b, &kb, NULL), OCCAM_OK);
    ck_assert_int_eq(ka, kb);
    double *va = malloc((size_t)(ka + 1) * sizeof(double)), *vb = malloc((size_t)(ka + 1) * sizeof(double));
    int *aa = malloc((size_t)(ka + 1) * sizeof(int)), *ab = malloc((size_t)(ka + 1) * sizeof(int));
    const int cols[2] = {OCCAM_COEF_ESTIMATE, OCCAM_COEF_STD_ERROR};
    for (int c = 0; c < 2; c++) {
        ck_assert_int_eq(occam_model_coef(a, cols[c], va, ka), OCCAM_OK);
        ck_assert_int_eq(occam_model_coef(b, cols[c], vb, ka), OCCAM_OK);
        for (int64_t j = 0; j < ka; j++) {
            char what[64];
            snprintf(what, sizeof what, "%s[%lld]", c == 0 ? "coefficient" : "std error", (long long)j);
            su_same(id, what, va[j], vb[j], tol);
        }
    }
    ck_assert_int_eq(occam_model_aliased(a, aa, ka), OCCAM_OK);
    ck_assert_int_eq(occam_model_aliased(b, ab, ka), OCCAM_OK);
    for (int64_t j = 0; j < ka; j++) ck_assert_msg(aa[j] == ab[j], "%s: aliased[%lld]", id, (long long)j);
    int ca = -1, cb = -2;
    ck_assert_int_eq(occam_model_conditions(a, &ca), OCCAM_OK);
    ck_assert_int_eq(occam_model_conditions(b, &cb), OCCAM_OK);
    ck_assert_msg(ca == cb, "%s: conditions 0x%x in memory, 0x%x streamed", id, ca, cb);
    for (int key = OCCAM_INFO_NOBS; key <= OCCAM_INFO_BOUNDARY; key++) {
        double x = NAN, y = NAN;
        int ra = occam_model_info(a, key, &x), rb = occam_model_info(b, key, &y);
        ck_assert_int_eq(ra, rb);
        if (ra != OCCAM_OK) continue;
        int exact = key == OCCAM_INFO_NOBS || key == OCCAM_INFO_RANK || key == OCCAM_INFO_DF_RESIDUAL ||
                    key == OCCAM_INFO_DF_NULL || key == OCCAM_INFO_ITER || key == OCCAM_INFO_CONVERGED ||
                    key == OCCAM_INFO_BOUNDARY || key == OCCAM_INFO_F_NUMDF || key == OCCAM_INFO_F_DENDF;
        char what[64];
        snprintf(what, sizeof what, "info key %d", key);
        su_same(id, what, x, y, exact ? 0 : tol);
    }
    int64_t na = 0, nb = 0;
    ck_assert_int_eq(occam_model_nrows(a, &na), OCCAM_OK);
    ck_assert_int_eq(occam_model_nrows(b, &nb), OCCAM_OK);
    ck_assert_int_eq(na, nb);
    free(va);
    free(vb);
    free(aa);
    free(ab);
}

#endif
