/*
 * pnbd_boundary.c -- the Pareto/NBD fit at its no-dropout boundary.
 *
 * When the data show no churn, the likelihood has no interior maximum: it
 * rises towards the limit where the mean dropout rate s/beta goes to 0
 * (beta -> Inf, or s -> 0), whatever path s and beta take.  In that limit
 * every customer stays alive and the Pareto/NBD likelihood becomes the NBD
 * one (Fader & Hardie 2005, eq. 22 without its dropout terms):
 *
 *   L_NBD = Gamma(r+x)/Gamma(r) alpha^r (alpha+T)^-(r+x),
 *   log L_NBD = lgamma(r+x) - lgamma(r) - r log1p(T/alpha) - x log(alpha+T),
 *
 * the negative binomial model of x with exposure T (Ehrenberg's NBD; its MLE
 * is glm.nb's for x ~ offset(log T) with theta = r).  The search drifts
 * towards it forever, and where beta >> alpha + T each evaluation falls on
 * the slow quadrature branch of the 2F1 terms (docs/pnbd.md): a fit of 1200
 * such customers took 14 s and ended "not converged".
 *
 * Here:
 *  - occam__pnbd_nbd_fit: the NBD MLE (r, alpha) by Newton's method on
 *    log-parameters with the analytic Hessian (digamma, trigamma);
 *  - the dropout score D = d log L / d(s/beta) at s/beta = 0 (r, alpha at
 *    the NBD MLE).  Expanding L(lambda, mu) = lambda^x e^-(lambda+mu)T +
 *    mu lambda^x Int_{t_x}^T e^-(lambda+mu)w dw to first order in mu and
 *    averaging over lambda ~ Gamma(r, alpha), mu ~ Gamma(s, beta) gives, for
 *    any s, d log L_i / d(s/beta) = D_i with
 *      D_i = (alpha+T) [((alpha+T)/(alpha+t_x))^(r+x-1) - 1]/(r+x-1) - T
 *    (log form at r + x = 1).  D <= 0 means that no small amount of dropout
 *    raises the likelihood: the NBD limit is a maximum over the closure of
 *    the parameter space (to first order along s/beta);
 *  - occam__pnbd_watch: the test the optimizer applies after every
 *    iteration, to stop in bounded time when the search heads for the
 *    boundary (docs/pnbd.md, "No dropout"); it fits the NBD limit on first
 *    need, so a search that stays inside pays nothing.
 */
#include <math.h>
#include <string.h>

#include "pnbd.h"

enum { NBD_MAXIT = 100 };
#define NBD_PHI_MAX 25.0 /* |log r|, |log alpha| bound, as the Pareto/NBD search */

/* ((1+u)^nu - 1)/nu, the nu -> 0 limit log1p(u); u >= 0. */
static double powm1_over(double nu, double u)
{
    double L = log1p(u);
    if (nu == 0) return L;
    return expm1(nu * L) / nu;
}

double occam__pnbd_dropout_score(const occam_pnbd_data *d, double r, double alpha)
{
    double D = 0.0;
    for (int64_t i = 0; i < d->n; i++) {
        double p = r + d->x[i], A = alpha + d->tx[i];
        double Di = (alpha + d->T[i]) * powm1_over(p - 1.0, (d->T[i] - d->tx[i]) / A) - d->T[i];
        D += d->w[i] * Di;
    }
    return D;
}

/* Mean NBD log-likelihood f = loglik / W, its gradient g and Hessian H over
 * phi = log(r, alpha) (H column-major 2 x 2).  Returns 0, or -1 if not finite. */
static int nbd_eval(const occam_pnbd_data *d, const double phi[2], double *f, double g[2], double H[4])
{
    if (!(fabs(phi[0]) <= NBD_PHI_MAX && fabs(phi[1]) <= NBD_PHI_MAX)) return -1;
    double r = exp(phi[0]), alpha = exp(phi[1]);
    occam_pnbd_par pp;
    occam__pnbd_par_init(&pp, r, alpha, 1.0, 1.0); /* for lgx, dgx; s, beta unused */
    double tg_r = occam__trigamma(r);
    double ll = 0.0, gr = 0.0, ga = 0.0, hrr = 0.0, hra = 0.0, haa = 0.0;
    for (int64_t i = 0; i < d->n; i++) {
        double x = d->x[i], T = d->T[i], w = d->w[i], lgx, dgx;
        occam__pnbd_lgx(&pp, x, &lgx, &dgx);
        double AT = alpha + T, l = log1p(T / alpha);
        ll += w * (lgx - r * l - x * log(AT));
        gr += w * (dgx - l);
        ga += w * (r * T / (alpha * AT) - x / AT);
        hrr += w * (x == 0 ? 0.0 : occam__trigamma(r + x) - tg_r);
        hra += w * T / (alpha * AT);
        haa += w * (-r * T * (2.0 * alpha + T) / (alpha * alpha * AT * AT) + x / (AT * AT));
    }
    double W = d->wsum;
    *f = ll / W;
    /* chain rule to log-parameters: d/dphi = theta d/dtheta */
    g[0] = r * gr / W;
    g[1] = alpha * ga / W;
    H[0] = r * r * hrr / W + g[0];
    H[1] = H[2] = r * alpha * hra / W;
    H[3] = alpha * alpha * haa / W + g[1];
    return isfinite(*f) && isfinite(g[0]) && isfinite(g[1]) && isfinite(H[0]) && isfinite(H[1]) && isfinite(H[3])
               ? 0
               : -1;
}

int occam__pnbd_nbd_fit(const occam_pnbd_data *d, double gtol, occam_pnbd_nbd *nb)
{
    memset(nb, 0, sizeof *nb);
    /* start: the method of moments' mean rate r/alpha = sum x / sum T with r = 1 */
    double sx = 0.0, sT = 0.0;
    for (int64_t i = 0; i < d->n; i++) {
        sx += d->w[i] * d->x[i];
        sT += d->w[i] * d->T[i];
    }
    if (!(sx > 0 && sT > 0)) return -1; /* no purchases or no time: no NBD MLE */
    double phi[2] = {0.0, log(sT / sx)}, f, g[2], H[4];
    if (nbd_eval(d, phi, &f, g, H) != 0) return -1;
    int64_t it = 0;
    while (it < NBD_MAXIT && fmax(fabs(g[0]), fabs(g[1])) > gtol) {
        /* Newton on the concave side (H negative definite), else gradient ascent */
        double det = H[0] * H[3] - H[1] * H[2], step[2];
        int newton = H[0] < 0 && det > 0;
        if (newton) {
            step[0] = -(H[3] * g[0] - H[1] * g[1]) / det;
            step[1] = -(-H[2] * g[0] + H[0] * g[1]) / det;
        } else {
            step[0] = g[0];
            step[1] = g[1];
        }
        double big = fmax(fabs(step[0]), fabs(step[1]));
        if (big > 2.0) {
            step[0] *= 2.0 / big;
            step[1] *= 2.0 / big;
        }
        /* a Newton step in the quadratic region (|step| <= 1e-3) is taken as
         * it is: the rise of f it brings (~|g| |step|) can be below the
         * rounding of a sum over many rows, so f cannot judge it */
        double t = 1.0, fn = f, gn[2], Hn[4], pn[2];
        int ok = 0, quad = newton && big <= 1e-3;
        for (int k = 0; k < 40 && !ok; k++, t *= 0.5) {
            pn[0] = phi[0] + t * step[0];
            pn[1] = phi[1] + t * step[1];
            ok = nbd_eval(d, pn, &fn, gn, Hn) == 0 && (quad || fn >= f - 1e-15 * fabs(f));
        }
        if (!ok || (quad && !(fmax(fabs(gn[0]), fabs(gn[1])) < fmax(fabs(g[0]), fabs(g[1]))))) break;
        memcpy(phi, pn, sizeof phi);
        memcpy(g, gn, sizeof g);
        memcpy(H, Hn, sizeof H);
        f = fn;
        it++;
    }
    nb->r = exp(phi[0]);
    nb->alpha = exp(phi[1]);
    nb->loglik = f * d->wsum;
    nb->grad_norm = fmax(fabs(g[0]), fabs(g[1]));
    nb->converged = nb->grad_norm <= gtol;
    nb->iter = it;
    /* covariance of (r, alpha): inverse of -Hessian in the natural parameters */
    double th[2] = {nb->r, nb->alpha}, Hn[4];
    for (int j = 0; j < 2; j++)
        for (int i = 0; i < 2; i++)
            Hn[i + 2 * j] = -d->wsum * (H[i + 2 * j] - (i == j ? g[i] : 0.0)) / (th[i] * th[j]);
    double det = Hn[0] * Hn[3] - Hn[1] * Hn[2];
    if (Hn[0] > 0 && det > 0) {
        nb->vcov[0] = Hn[3] / det;
        nb->vcov[3] = Hn[0] / det;
        nb->vcov[1] = nb->vcov[2] = -Hn[1] / det;
    } else {
        for (int k = 0; k < 4; k++) nb->vcov[k] = NAN;
    }
    nb->score = occam__pnbd_dropout_score(d, nb->r, nb->alpha);
    return 0;
}

/* ------------------------------------------------------------- the watch */

void occam__pnbd_watch_init(occam_pnbd_watch *wt, const occam_pnbd_data *d, double gtol)
{
    memset(wt, 0, sizeof *wt);
    wt->d = d;
    wt->gtol = gtol;
    double Tmax = 0.0;
    for (int64_t i = 0; i < d->n; i++) Tmax = fmax(Tmax, d->T[i]);
    wt->Tmax = Tmax;
}

/* The NBD limit is at least as likely as the search's point ll, and no small
 * dropout improves on it.  The NBD is fitted on first need: a search that
 * never comes near the boundary does not pay for it. */
static int nbd_wins(occam_pnbd_watch *wt, double ll)
{
    if (!wt->tried) {
        wt->tried = 1;
        wt->have_nbd = occam__pnbd_nbd_fit(wt->d, wt->gtol, &wt->nbd) == 0 && wt->nbd.converged;
    }
    return wt->have_nbd && wt->nbd.score <= 0 &&
           ll <= wt->nbd.loglik + PNBD_NBD_LL_TOL * fmax(1.0, fabs(wt->nbd.loglik));
}

int occam__pnbd_watch(occam_pnbd_watch *wt, const double phi[4], double ll)
{
    double s = exp(phi[2]), m = exp(phi[2] - phi[3]);
    /* heading for s/beta -> 0: the expected share of customers lost within
     * the longest observation window is below PNBD_DROPOUT_MIN */
    if (m * wt->Tmax <= PNBD_DROPOUT_MIN && nbd_wins(wt, ll)) return wt->hit = PNBD_HIT_NO_DROPOUT;
    /* heading for s, beta -> Inf at a finite s/beta: stop (the dropout rates
     * of all customers become one); the NBD limit wins if it is better */
    if (s >= PNBD_S_MAX) return wt->hit = nbd_wins(wt, ll) ? PNBD_HIT_NO_DROPOUT : PNBD_HIT_S_INF;
    return PNBD_HIT_NONE;
}

int occam__pnbd_nbd_beats(occam_pnbd_watch *wt, double ll) { return nbd_wins(wt, ll); }
