/*
 * gg_loglik.c -- the Gamma-Gamma log-likelihood (gg.h) with its gradient
 * and Hessian in theta = (p, q, gamma), summed over customers in row order.
 * Derivatives by hand from the per-customer density:
 *   d/dp     = x [psi(px+q) - psi(px) + ln m + ln x - ln(gamma + m x)]
 *   d/dq     = psi(px+q) - psi(q) + ln gamma - ln(gamma + m x)
 *   d/dgamma = q / gamma - (px+q) / (gamma + m x)
 *   d2/dp2 = x^2 [psi'(px+q) - psi'(px)],  d2/dpdq = x psi'(px+q),
 *   d2/dpdgamma = -x / (gamma + m x),  d2/dq2 = psi'(px+q) - psi'(q),
 *   d2/dqdgamma = 1/gamma - 1/(gamma + m x),
 *   d2/dgamma2 = -q/gamma^2 + (px+q)/(gamma + m x)^2.
 */
#include <math.h>
#include <string.h>

#include "gg.h"

double occam__gg_loglik(const occam_gg_data *d, const double theta[3], double *grad, double *hess)
{
    double p = theta[0], q = theta[1], g = theta[2];
    if (!(p > 0 && q > 0 && g > 0 && isfinite(p) && isfinite(q) && isfinite(g))) return NAN;
    double ll = 0, G[3] = {0, 0, 0}, H[9] = {0};
    double lgq = occam__lgamma(q), psiq = grad || hess ? occam__digamma(q) : 0, tq = hess ? occam__trigamma(q) : 0;
    double lng = log(g);
    for (int64_t i = 0; i < d->n; i++) {
        double x = d->x[i], m = d->m[i], w = d->w ? d->w[i] : 1.0, px = p * x, a = px + q, b = g + m * x;
        double lb = log(b);
        ll += w * (occam__lgamma(a) - occam__lgamma(px) - lgq + q * lng + (px - 1) * log(m) + px * log(x) - a * lb);
        if (grad || hess) {
            double pa = occam__digamma(a), ppx = occam__digamma(px);
            G[0] += w * x * (pa - ppx + log(m) + log(x) - lb);
            G[1] += w * (pa - psiq + lng - lb);
            G[2] += w * (q / g - a / b);
            if (hess) {
                double ta = occam__trigamma(a), tpx = occam__trigamma(px);
                H[0] += w * x * x * (ta - tpx);
                H[1] += w * x * ta;
                H[2] += w * (-x / b);
                H[4] += w * (ta - tq);
                H[5] += w * (1 / g - 1 / b);
                H[8] += w * (-q / (g * g) + a / (b * b));
            }
        }
    }
    if (grad) memcpy(grad, G, sizeof G);
    if (hess) {
        H[3] = H[1];
        H[6] = H[2];
        H[7] = H[5];
        memcpy(hess, H, sizeof H);
    }
    return ll;
}
