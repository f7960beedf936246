/*
 * gg_io.c -- Gamma-Gamma fields of the model file (tags 400-499, see
 * docs/format.md).  The parameters travel in the common coefficient table
 * (estimates p, q, gamma; standard errors; vcov).
 *
 *   400  i64[4]  has_fit (0 parameters given, 1 fitted), iterations, nobs, converged (0/1)
 *   401  f64[3]  log-likelihood, max |gradient|, correlation of x and m_x (NaN when not fitted)
 *   410  i64     time unit (format 1.2; absent in 1.0/1.1 files: unknown), context.c
 *   411  f64[2]  days per unit, calibration end
 *   412  text    the calibration end as given (when set)
 */
#include <math.h>

#include "gg.h"
#include "serialize.h"

enum { TAG_GG_FLAGS = 400, TAG_GG_STATS = 401, TAG_GG_CONTEXT = 410 };

int occam__gg_write(const occam_model *m, occam_writer *w)
{
    const occam_gg_impl *gi = m->impl;
    int64_t flags[4] = {gi->has_fit, gi->iter, gi->nobs, gi->converged};
    double stats[3] = {gi->has_fit ? gi->loglik : NAN, gi->has_fit ? gi->grad_norm : NAN, gi->has_fit ? gi->corr : NAN};
    occam__w_i64(w, TAG_GG_FLAGS, flags, 4);
    occam__w_f64(w, TAG_GG_STATS, stats, 3);
    occam__context_write(m, w, TAG_GG_CONTEXT);
    return OCCAM_OK;
}

int occam__gg_read(occam_model *m, const occam_reader *r)
{
    occam_gg_impl *gi = m->impl;
    int64_t flags[4];
    double stats[3];
    int rc = occam__r_i64(r, TAG_GG_FLAGS, flags, 4);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_GG_STATS, stats, 3);
    if (rc == OCCAM_OK) rc = occam__context_read(m, r, TAG_GG_CONTEXT);
    if (rc != OCCAM_OK) return rc;
    if ((flags[0] != 0 && flags[0] != 1) || flags[1] < 0 || flags[2] < 0 || (flags[3] != 0 && flags[3] != 1))
        return occam__fail(OCCAM_E_FORMAT, "Gamma-Gamma model fields out of range");
    if (m->p != 2 && (m->fitted || m->names != NULL))
        return occam__fail(OCCAM_E_FORMAT, "Gamma-Gamma model has %lld columns, expected 2", (long long)m->p);
    if (m->fitted) {
        if (m->coefs.k != 3)
            return occam__fail(OCCAM_E_FORMAT, "Gamma-Gamma model has %lld parameters, expected 3", (long long)m->coefs.k);
        for (int k = 0; k < 3; k++)
            if (!(m->coefs.est[k] > 0) || !isfinite(m->coefs.est[k]))
                return occam__fail(OCCAM_E_FORMAT, "Gamma-Gamma parameter %d is %g, expected a positive number", k + 1,
                                   m->coefs.est[k]);
    } else if (flags[0] != 0) {
        return occam__fail(OCCAM_E_FORMAT, "Gamma-Gamma model marked fitted without parameters");
    }
    gi->has_fit = (int)flags[0];
    gi->iter = flags[1];
    gi->nobs = flags[2];
    gi->converged = (int)flags[3];
    gi->loglik = stats[0];
    gi->grad_norm = stats[1];
    gi->corr = stats[2];
    m->p = 2;
    return OCCAM_OK;
}
