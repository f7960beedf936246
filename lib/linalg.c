/*
 * linalg.c -- the only file that calls CBLAS and LAPACKE.  A build that must
 * use Fortran BLAS/LAPACK (an R package) swaps this file alone.  Every int64
 * dimension is checked to fit BLAS's 32-bit integers first.
 */
#include <cblas.h>
#include <lapacke.h>

#include "internal.h"

static int check_dims(int64_t a, int64_t b, int64_t c, const char *fn)
{
    int rc = occam__check_blas_int(a, fn);
    if (rc == OCCAM_OK) rc = occam__check_blas_int(b, fn);
    if (rc == OCCAM_OK) rc = occam__check_blas_int(c, fn);
    return rc;
}

int occam__la_tpqrt(int64_t m, int64_t n, int64_t l, double *r, int64_t ldr, double *b, int64_t ldb, double *t,
                    int64_t ib, double *work)
{
    int rc = check_dims(m, n, ldb, "tpqrt dimension");
    if (rc == OCCAM_OK) rc = occam__check_blas_int(l, "tpqrt dimension");
    if (rc == OCCAM_OK) rc = check_dims(ldr, ib, 0, "tpqrt dimension");
    if (rc != OCCAM_OK) return rc;
    /* the _work entry point: no NaN scan of the inputs, no allocation per call */
    lapack_int info = LAPACKE_dtpqrt_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, (lapack_int)l, (lapack_int)ib, r,
                                          (lapack_int)ldr, b, (lapack_int)ldb, t, (lapack_int)ib, work);
    if (info != 0) return occam__fail(OCCAM_E_LAPACK, "LAPACKE_dtpqrt failed, info = %d", (int)info);
    return OCCAM_OK;
}

int occam__la_syrk_tn(int64_t n, int64_t k, const double *a, int64_t lda, double *c, int64_t ldc)
{
    int rc = check_dims(n, k, lda, "syrk dimension");
    if (rc == OCCAM_OK) rc = occam__check_blas_int(ldc, "syrk ldc");
    if (rc != OCCAM_OK) return rc;
    /* C (n x n) += A' A, A is k x n column-major */
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)n, (int)k, 1.0, a, (int)lda, 1.0, c, (int)ldc);
    return OCCAM_OK;
}

int occam__la_gemv(int layout, int trans, int64_t m, int64_t n, double alpha, const double *a,
                   int64_t lda, const double *x, double beta, double *y)
{
    int rc = check_dims(m, n, lda, "gemv dimension");
    if (rc != OCCAM_OK) return rc;
    cblas_dgemv(layout == OCCAM_ROW_MAJOR ? CblasRowMajor : CblasColMajor, trans ? CblasTrans : CblasNoTrans,
                (int)m, (int)n, alpha, a, (int)lda, x, 1, beta, y, 1);
    return OCCAM_OK;
}

int occam__la_chol2inv(int64_t n, double *r, int64_t ldr)
{
    int rc = check_dims(n, ldr, 0, "chol2inv dimension");
    if (rc != OCCAM_OK) return rc;
    if (n == 0) return OCCAM_OK;
    lapack_int info = LAPACKE_dpotri(LAPACK_COL_MAJOR, 'U', (lapack_int)n, r, (lapack_int)ldr);
    if (info != 0) return occam__fail(OCCAM_E_LAPACK, "LAPACKE_dpotri failed, info = %d", (int)info);
    for (int64_t j = 0; j < n; j++)
        for (int64_t i = j + 1; i < n; i++) r[i + j * ldr] = r[j + i * ldr];
    return OCCAM_OK;
}

int occam__la_trsv_upper(int64_t n, const double *r, int64_t ldr, double *b)
{
    int rc = check_dims(n, ldr, 0, "trsv dimension");
    if (rc != OCCAM_OK) return rc;
    if (n == 0) return OCCAM_OK;
    cblas_dtrsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, (int)n, r, (int)ldr, b, 1);
    return OCCAM_OK;
}

int occam__la_trsv_upper_trans(int64_t n, const double *r, int64_t ldr, double *b)
{
    int rc = check_dims(n, ldr, 0, "trsv dimension");
    if (rc != OCCAM_OK) return rc;
    if (n == 0) return OCCAM_OK;
    cblas_dtrsv(CblasColMajor, CblasUpper, CblasTrans, CblasNonUnit, (int)n, r, (int)ldr, b, 1);
    return OCCAM_OK;
}

int occam__la_trcon_upper(int64_t n, const double *r, int64_t ldr, double *rcond)
{
    int rc = check_dims(n, ldr, 0, "trcon dimension");
    if (rc != OCCAM_OK) return rc;
    *rcond = 1.0;
    if (n == 0) return OCCAM_OK;
    lapack_int info = LAPACKE_dtrcon(LAPACK_COL_MAJOR, '1', 'U', 'N', (lapack_int)n, r, (lapack_int)ldr, rcond);
    if (info != 0) return occam__fail(OCCAM_E_LAPACK, "LAPACKE_dtrcon failed, info = %d", (int)info);
    return OCCAM_OK;
}
