/*
 * glm_pass_io.c -- the fields of a GLM pass contribution in the
 * partial-result format (partial_io.c, docs/format.md), tags 200-299:
 *
 *   tag  type          content
 *   200  i64[6]        setup: family, link (resolved), intercept, p, k = p + intercept, solver
 *   201  i64[5]        pass: index, type (enum occam_glm_pass_type), flags, nb, nbsys
 *                      (flag 256: the auto solver's system accumulated for QR)
 *   202  f64[nb]       b, the coefficients the pass evaluates
 *   203  f64[nbsys]    bsys, those of the solved system (stale working weights)
 *   204  f64[2]        wtdmu, disp
 *   205  i64[12]       nobs, valid, bad_eta, bad_mu, non_integer, zero_wt, mu01, mu0,
 *                      null_valid, ngood, acc_err, acc_err_row
 *   206  f64[11]       deviance, sum_w, sum_wy, sum_logw, sum_wlogy, nulldev, pearson,
 *                      swr2, aic, gamma_aic, null_deviance
 *   207  i64[2]        (ACCUM only) the system's form (1 rows, 2 QR factor, 3 X'WX) and rows m
 *   208  f64[...]      (ACCUM only) its numbers: m x (k1) rows row-major, or the k1 x k1
 *                      upper triangle packed by columns (k1 = columns of the system + 1)
 *
 * The reader checks every count against the setup and every value's range
 * before it allocates anything sized by them; sums may be any double (a
 * pass can legitimately meet an infinite deviance), coefficients must be
 * finite.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm_internal.h"
#include "serialize.h"
#include "stream_internal.h"

enum {
    TAG_SETUP = 200,
    TAG_PASS = 201,
    TAG_B = 202,
    TAG_BSYS = 203,
    TAG_SCALARS = 204,
    TAG_COUNTS = 205,
    TAG_SUMS = 206,
    TAG_ACC_SHAPE = 207,
    TAG_ACC_DATA = 208
};
enum { NCOUNTS = 12, NSUMS = 11 };
#define KNOWN_FLAGS 511

int occam__glm_part_write(const occam_partial *pt, occam_writer *w)
{
    const occam_glm_part *g = pt->impl;
    const occam_glm_setup *su = &g->su;
    const occam_glm_passdef *pd = &g->pd;
    const occam_glm_sums *s = &g->s;
    int64_t setup[6] = {su->family, su->link, su->intercept, su->p, su->k, su->solver};
    int64_t pass[5] = {pd->index, pd->type, pd->flags, pd->nb, pd->nbsys};
    double scalars[2] = {pd->wtdmu, pd->disp};
    int64_t counts[NCOUNTS] = {s->nobs, s->valid, s->bad_eta, s->bad_mu, s->non_integer, s->zero_wt,
                               s->mu01, s->mu0, s->null_valid, s->ngood, s->acc_err, s->acc_err_row};
    double sums[NSUMS] = {s->deviance, s->sum_w, s->sum_wy, s->sum_logw, s->sum_wlogy, s->nulldev,
                          s->pearson, s->swr2, s->aic, s->gamma_aic, s->null_deviance};
    occam__w_i64(w, TAG_SETUP, setup, 6);
    occam__w_i64(w, TAG_PASS, pass, 5);
    occam__w_f64(w, TAG_B, pd->b, (uint64_t)pd->nb);
    occam__w_f64(w, TAG_BSYS, pd->bsys, (uint64_t)pd->nbsys);
    occam__w_f64(w, TAG_SCALARS, scalars, 2);
    occam__w_i64(w, TAG_COUNTS, counts, NCOUNTS);
    occam__w_f64(w, TAG_SUMS, sums, NSUMS);
    return g->acc ? occam__lsq_write(g->acc, w, TAG_ACC_SHAPE, TAG_ACC_DATA) : OCCAM_OK;
}

static int bad(const char *what) { return occam__fail(OCCAM_E_FORMAT, "GLM partial result: %s", what); }

static int check_setup(const int64_t *v, occam_glm_setup *su)
{
    int resolved;
    if (v[0] < 1 || v[0] > 100 || v[1] < 1 || v[1] > 100 ||
        occam__glm_check_pair((int)v[0], (int)v[1], &resolved) != OCCAM_OK || resolved != v[1])
        return bad("invalid family/link pair");
    if (v[2] != 0 && v[2] != 1) return bad("intercept flag is not 0/1");
    if (v[3] < 0 || v[3] >= INT32_MAX - 1 || v[4] != v[3] + v[2]) return bad("column counts out of range");
    if (v[5] != OCCAM_SOLVER_QR && v[5] != OCCAM_SOLVER_CHOLESKY && v[5] != OCCAM_SOLVER_AUTO)
        return bad("unknown solver");
    *su = (occam_glm_setup){(int)v[0], (int)v[1], (int)v[2], v[3], v[4], (int)v[5]};
    return OCCAM_OK;
}

static int check_pass(const int64_t *v, const occam_glm_setup *su, occam_glm_passdef *pd)
{
    int64_t k = su->k, type = v[1], flags = v[2], nb = v[3], nbsys = v[4];
    if (v[0] < 0 || v[0] > INT32_MAX) return bad("pass number out of range");
    if (type < OCCAM_GLM_PASS_START || type > OCCAM_GLM_PASS_NULL) return bad("unknown pass type");
    if (flags < 0 || (flags & ~KNOWN_FLAGS)) return bad("unknown pass flags");
    if ((flags & OCCAM_GLM_QR) && su->solver != OCCAM_SOLVER_AUTO) return bad("QR pass flag without the auto solver");
    int ok_nb = type == OCCAM_GLM_PASS_START ? nb == 0 || nb == k
                : type == OCCAM_GLM_PASS_ITER ? nb == k
                                              : nb == 1 && su->intercept;
    if (!ok_nb || (nbsys != 0 && nbsys != k)) return bad("coefficient counts do not fit the setup");
    pd->index = v[0];
    pd->type = (int)type;
    pd->flags = (int)flags;
    pd->nb = nb;
    pd->nbsys = nbsys;
    return OCCAM_OK;
}

/* A new array of exactly n finite doubles from tag. */
static int read_coefs(const occam_reader *r, uint32_t tag, int64_t n, double **out)
{
    uint64_t count = 0;
    int rc = occam__r_count(r, tag, OCCAM_FT_F64, &count);
    if (rc != OCCAM_OK) return rc;
    if (count != (uint64_t)n) return bad("coefficient vector of the wrong length");
    if (n == 0) return OCCAM_OK;
    *out = malloc((size_t)n * sizeof(double));
    if (*out == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory reading a partial result");
    rc = occam__r_f64(r, tag, *out, (uint64_t)n);
    for (int64_t j = 0; rc == OCCAM_OK && j < n; j++)
        if (!isfinite((*out)[j])) rc = bad("a coefficient is not finite");
    return rc;
}

static int check_counts(const int64_t *c, int64_t nrows, occam_glm_sums *s)
{
    for (int i = 1; i < NCOUNTS; i++)
        if (i != 2 && i != 3 && i != 9 && i != 10 && i != 11 && c[i] != 0 && c[i] != 1)
            return bad("a flag is not 0/1");
    if (c[0] < 0 || c[0] > nrows || c[9] < 0 || c[9] > nrows) return bad("row counts out of range");
    if (c[2] < 0 || c[2] > nrows || c[3] < 0 || c[3] > nrows) return bad("row numbers out of range");
    if (c[10] < 0 || c[10] > OCCAM__GLM_ERR_MU_ETA_NA || (c[10] ? c[11] < 1 || c[11] > nrows : c[11] != 0))
        return bad("deferred error out of range");
    s->nobs = c[0];
    s->valid = (int)c[1];
    s->bad_eta = c[2];
    s->bad_mu = c[3];
    s->non_integer = (int)c[4];
    s->zero_wt = (int)c[5];
    s->mu01 = (int)c[6];
    s->mu0 = (int)c[7];
    s->null_valid = (int)c[8];
    s->ngood = c[9];
    s->acc_err = (int)c[10];
    s->acc_err_row = c[11];
    return OCCAM_OK;
}

static void set_sums(const double *v, occam_glm_sums *s)
{
    s->deviance = v[0];
    s->sum_w = v[1];
    s->sum_wy = v[2];
    s->sum_logw = v[3];
    s->sum_wlogy = v[4];
    s->nulldev = v[5];
    s->pearson = v[6];
    s->swr2 = v[7];
    s->aic = v[8];
    s->gamma_aic = v[9];
    s->null_deviance = v[10];
}

/* The system of k columns (1 for the null model's passes). */
static int read_acc(const occam_reader *r, const occam_glm_part *g, occam_lsq **out)
{
    int null = g->pd.type == OCCAM_GLM_PASS_NULL || (g->pd.flags & OCCAM_GLM_NULL_START);
    return occam__lsq_read(r, TAG_ACC_SHAPE, TAG_ACC_DATA, null ? 1 : g->su.k, occam__glm_acc_solver(&g->su, &g->pd),
                           "GLM partial result", out);
}

int occam__glm_part_read(occam_partial *pt, const occam_reader *r)
{
    int64_t setup[6], pass[5], counts[NCOUNTS];
    double scalars[2], sums[NSUMS];
    occam_glm_setup su;
    occam_glm_passdef pd;
    memset(&pd, 0, sizeof pd);
    int rc = occam__r_i64(r, TAG_SETUP, setup, 6);
    if (rc == OCCAM_OK) rc = check_setup(setup, &su);
    if (rc == OCCAM_OK && su.p != pt->p) rc = bad("column count differs from the header's");
    if (rc == OCCAM_OK) rc = occam__r_i64(r, TAG_PASS, pass, 5);
    if (rc == OCCAM_OK) rc = check_pass(pass, &su, &pd);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_SCALARS, scalars, 2);
    if (rc == OCCAM_OK) rc = occam__r_i64(r, TAG_COUNTS, counts, NCOUNTS);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_SUMS, sums, NSUMS);
    if (rc == OCCAM_OK) rc = read_coefs(r, TAG_B, pd.nb, &pd.b);
    if (rc == OCCAM_OK) rc = read_coefs(r, TAG_BSYS, pd.nbsys, &pd.bsys);
    if (rc == OCCAM_OK && (!isfinite(scalars[0]) || !(scalars[1] >= 0) || !isfinite(scalars[1])))
        rc = bad("wtdmu or dispersion out of range");
    if (rc != OCCAM_OK) {
        occam__glm_passdef_free(&pd);
        return rc;
    }
    pd.wtdmu = scalars[0];
    pd.disp = scalars[1];
    int flags = pd.flags;
    pd.flags &= ~OCCAM_GLM_ACCUM; /* the accumulator is read below, sized by its own field */
    occam_glm_part *g = NULL;
    rc = occam__glm_part_impl(&su, &pd, &g);
    occam__glm_passdef_free(&pd);
    if (rc != OCCAM_OK) return rc;
    pt->impl = g;
    g->pd.flags = flags;
    rc = check_counts(counts, pt->nrows, &g->s);
    if (rc == OCCAM_OK) set_sums(sums, &g->s);
    if (rc == OCCAM_OK && (flags & OCCAM_GLM_ACCUM)) rc = read_acc(r, g, &g->acc);
    return rc;
}
