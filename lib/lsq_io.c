/*
 * lsq_io.c -- a least-squares accumulator's state as two fields of a
 * serialized partial result (docs/format.md: the GLM pass's tags 207-208,
 * the linear pass's 108-109): its shape (form, rows m), then exactly the
 * numbers that shape implies -- m weighted rows of k + 1 values, row-major,
 * or the (k+1) x (k+1) upper triangle packed by columns.
 */
#include <stdlib.h>

#include "serialize.h"

int occam__lsq_write(const occam_lsq *acc, occam_writer *w, uint32_t tag_shape, uint32_t tag_data)
{
    occam_lsq *copy = NULL; /* pending rows are absorbed in a copy: acc is const */
    if (occam__lsq_pending(acc)) {
        int rc = occam__lsq_clone(acc, &copy);
        if (rc == OCCAM_OK) rc = occam__lsq_flush(copy);
        if (rc != OCCAM_OK) {
            occam__lsq_free(copy);
            return rc;
        }
        acc = copy;
    }
    occam_lsq_view v;
    occam__lsq_view(acc, &v);
    int64_t k1 = v.k + 1, shape[2] = {v.form, v.m};
    occam__w_i64(w, tag_shape, shape, 2);
    int rc = OCCAM_OK;
    if (v.form == OCCAM_LSQ_ROWS) {
        occam__w_f64(w, tag_data, v.a, (uint64_t)(v.m * k1));
    } else {
        int64_t n = k1 * (k1 + 1) / 2;
        double *packed = malloc((size_t)n * sizeof(double));
        if (packed == NULL) {
            rc = occam__fail(OCCAM_E_NOMEM, "out of memory writing a partial result");
        } else {
            for (int64_t j = 0, e = 0; j < k1; j++)
                for (int64_t i = 0; i <= j; i++) packed[e++] = v.a[i + j * k1];
            occam__w_f64(w, tag_data, packed, (uint64_t)n);
            free(packed);
        }
    }
    occam__lsq_free(copy);
    return rc;
}

int occam__lsq_read(const occam_reader *r, uint32_t tag_shape, uint32_t tag_data, int64_t k, int solver,
                    const char *what, occam_lsq **out)
{
    int64_t shape[2];
    int rc = occam__r_i64(r, tag_shape, shape, 2);
    if (rc != OCCAM_OK) return rc;
    int64_t k1 = k + 1;
    uint64_t count = 0, want;
    if (shape[0] == OCCAM_LSQ_ROWS && shape[1] >= 0 && shape[1] <= k1)
        want = (uint64_t)(shape[1] * k1);
    else if ((shape[0] == OCCAM_LSQ_R || shape[0] == OCCAM_LSQ_GRAM) && shape[1] == k1)
        want = (uint64_t)(k1 * (k1 + 1) / 2);
    else
        return occam__fail(OCCAM_E_FORMAT, "%s: least-squares state of an unknown shape", what);
    rc = occam__r_count(r, tag_data, OCCAM_FT_F64, &count);
    if (rc != OCCAM_OK) return rc;
    if (count != want) return occam__fail(OCCAM_E_FORMAT, "%s: least-squares state of the wrong size", what);
    double *a = malloc((size_t)(want > 0 ? want : 1) * sizeof(double));
    if (a == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory reading a partial result");
    rc = occam__r_f64(r, tag_data, a, want);
    if (rc == OCCAM_OK) rc = occam__lsq_import(k, solver, (int)shape[0], shape[1], a, out);
    free(a);
    return rc;
}
