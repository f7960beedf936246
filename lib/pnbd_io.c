/*
 * pnbd_io.c -- Pareto/NBD fields of the model file (tags 300-399, see
 * docs/format.md).  The parameters themselves travel in the common
 * coefficient table (estimates r, alpha, s, beta; standard errors; vcov).
 *
 *   300  i64[4]  has_fit (0 parameters given, 1 fitted), iterations, nobs, converged (0/1)
 *   301  f64[2]  log-likelihood, max |gradient| (NaN when not fitted)
 *   310  i64     time unit (format 1.2; absent in 1.0/1.1 files: unknown), context.c
 *   311  f64[2]  days per unit, calibration end
 *   312  text    the calibration end as given (when set)
 *
 * The reader also checks what predictions rely on: a fitted model has p = 3
 * columns and 4 finite, positive parameters, or finite r, alpha with
 * s = beta = +Inf (the no-dropout limit, OCCAM_W_NO_DROPOUT).
 */
#include <math.h>

#include "pnbd.h"
#include "serialize.h"

enum { TAG_PNBD_FLAGS = 300, TAG_PNBD_STATS = 301, TAG_PNBD_CONTEXT = 310 };

int occam__pnbd_write(const occam_model *m, occam_writer *w)
{
    const occam_pnbd_impl *pi = m->impl;
    int64_t flags[4] = {pi->has_fit, pi->iter, pi->nobs, pi->converged};
    double stats[2] = {pi->has_fit ? pi->loglik : NAN, pi->has_fit ? pi->grad_norm : NAN};
    occam__w_i64(w, TAG_PNBD_FLAGS, flags, 4);
    occam__w_f64(w, TAG_PNBD_STATS, stats, 2);
    occam__context_write(m, w, TAG_PNBD_CONTEXT);
    return OCCAM_OK;
}

int occam__pnbd_read(occam_model *m, const occam_reader *r)
{
    occam_pnbd_impl *pi = m->impl;
    int64_t flags[4];
    double stats[2];
    int rc = occam__r_i64(r, TAG_PNBD_FLAGS, flags, 4);
    if (rc == OCCAM_OK) rc = occam__r_f64(r, TAG_PNBD_STATS, stats, 2);
    if (rc == OCCAM_OK) rc = occam__context_read(m, r, TAG_PNBD_CONTEXT);
    if (rc != OCCAM_OK) return rc;
    if ((flags[0] != 0 && flags[0] != 1) || flags[1] < 0 || flags[2] < 0 || (flags[3] != 0 && flags[3] != 1))
        return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD model fields out of range");
    if (m->p != 3 && (m->fitted || m->names != NULL))
        return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD model has %lld columns, expected 3", (long long)m->p);
    if (m->fitted) {
        if (m->coefs.k != 4)
            return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD model has %lld parameters, expected 4",
                               (long long)m->coefs.k);
        /* s = beta = +Inf (both) is the no-dropout limit of a fit */
        int nbd = isinf(m->coefs.est[2]) && isinf(m->coefs.est[3]) && m->coefs.est[2] > 0 && m->coefs.est[3] > 0;
        for (int k = 0; k < 4; k++)
            if (!(m->coefs.est[k] > 0) || (!isfinite(m->coefs.est[k]) && !(nbd && k >= 2)))
                return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD parameter %d is %g, expected a positive number",
                                   k + 1, m->coefs.est[k]);
    } else if (flags[0] != 0) {
        return occam__fail(OCCAM_E_FORMAT, "Pareto/NBD model marked fitted without parameters");
    }
    pi->has_fit = (int)flags[0];
    pi->iter = flags[1];
    pi->nobs = flags[2];
    pi->converged = (int)flags[3];
    pi->loglik = stats[0];
    pi->grad_norm = stats[1];
    m->p = 3;
    return OCCAM_OK;
}
