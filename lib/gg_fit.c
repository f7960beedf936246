/*
 * gg_fit.c -- the Gamma-Gamma MLE (occam__gg_mle, gg.h): Newton steps on
 * u = log theta for the mean log-likelihood, the Hessian made negative
 * definite by a Levenberg-Marquardt shift when it is not, each step halved
 * until the likelihood rises; from the best of a small grid of starts.
 * Standard errors: sqrt(diag(inverse of -Hessian)) in theta at the MLE, as
 * the reference's (and CLVTools') Hessian-based errors.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "gg.h"

/* Solve the 3 x 3 symmetric positive definite A z = b by Cholesky; 0 when A
 * is not positive definite. */
static int chol3_solve(const double A[9], const double b[3], double z[3])
{
    double L[9] = {0};
    for (int j = 0; j < 3; j++) {
        double s = A[4 * j];
        for (int k = 0; k < j; k++) s -= L[3 * j + k] * L[3 * j + k];
        if (!(s > 0) || !isfinite(s)) return 0;
        L[4 * j] = sqrt(s);
        for (int i = j + 1; i < 3; i++) {
            double t = A[3 * i + j];
            for (int k = 0; k < j; k++) t -= L[3 * i + k] * L[3 * j + k];
            L[3 * i + j] = t / L[4 * j];
        }
    }
    double y[3];
    for (int i = 0; i < 3; i++) {
        double t = b[i];
        for (int k = 0; k < i; k++) t -= L[3 * i + k] * y[k];
        y[i] = t / L[4 * i];
    }
    for (int i = 2; i >= 0; i--) {
        double t = y[i];
        for (int k = i + 1; k < 3; k++) t -= L[3 * k + i] * z[k];
        z[i] = t / L[4 * i];
    }
    return 1;
}

/* Mean log-likelihood at u = log theta with its gradient and Hessian in u. */
static double mean_ll(const occam_gg_data *d, const double u[3], double gu[3], double Hu[9])
{
    double th[3] = {exp(u[0]), exp(u[1]), exp(u[2])}, G[3], H[9];
    double ll = occam__gg_loglik(d, th, gu ? G : NULL, Hu ? H : NULL);
    if (!isfinite(ll)) return NAN;
    for (int i = 0; gu && i < 3; i++) gu[i] = th[i] * G[i] / d->nobs;
    for (int i = 0; Hu && i < 3; i++)
        for (int j = 0; j < 3; j++) Hu[3 * i + j] = (th[i] * th[j] * H[3 * i + j] + (i == j ? th[i] * G[i] : 0)) / d->nobs;
    return ll / d->nobs;
}

static double max_abs(const double v[3])
{
    double a = 0;
    for (int i = 0; i < 3; i++) a = fabs(v[i]) > a ? fabs(v[i]) : a;
    return a;
}

/* One Newton step from u (f, g, H there): the LM-shifted direction, halved
 * until f rises; 0 when no step raises it.  "Rises" allows for the
 * rounding of f (a sum of terms of lgamma's size): near the maximum a
 * Newton step gains g^2 / |H|, far below that noise (a gradient of 1e-9
 * gains 1e-18), and a strict test then takes steps halved to nothing and
 * stalls above the gradient tolerance (seen on CDNOW's spend table built
 * from the log, m_x 1e-16 away from the reference's). */
static int newton_step(const occam_gg_data *d, double u[3], double *f, const double g[3], const double H[9])
{
    double A[9], z[3], lambda = 0;
    for (int tries = 0; tries < 60; tries++) {
        for (int k = 0; k < 9; k++) A[k] = -H[k] + (k % 4 == 0 ? lambda : 0);
        if (chol3_solve(A, g, z)) break;
        lambda = lambda > 0 ? 10 * lambda : 1e-6 * (1 + fabs(H[0]) + fabs(H[4]) + fabs(H[8]));
    }
    double t = 1, noise = 64 * DBL_EPSILON * fabs(*f);
    for (int h = 0; h < 60; h++, t *= 0.5) {
        double v[3] = {u[0] + t * z[0], u[1] + t * z[1], u[2] + t * z[2]};
        double fv = mean_ll(d, v, NULL, NULL);
        if (isfinite(fv) && fv >= *f - noise) {
            memcpy(u, v, sizeof v);
            *f = fv;
            return 1;
        }
    }
    return 0;
}

/* The best start of a small grid in log theta (deterministic). */
static void start(const occam_gg_data *d, double u[3])
{
    static const double grid[4] = {0.5, 1, 2, 5};
    double best = -INFINITY;
    u[0] = u[1] = u[2] = 0;
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++)
            for (int c = 0; c < 4; c++) {
                double v[3] = {log(grid[a]), log(1 + grid[b]), log(grid[c] * 10)};
                double f = mean_ll(d, v, NULL, NULL);
                if (isfinite(f) && f > best) {
                    best = f;
                    memcpy(u, v, sizeof v);
                }
            }
}

int occam__gg_mle(const occam_gg_data *d, const occam_opts *opts, occam_gg_fit_result *res)
{
    double tol = occam__opt_double(opts, OCCAM_OPT_GRAD_TOL, 1e-9);
    int64_t maxit = occam__opt_int(opts, OCCAM_OPT_MAXIT, 200);
    memset(res, 0, sizeof *res);
    double u[3], g[3], H[9];
    start(d, u);
    double f = mean_ll(d, u, g, H);
    int64_t it = 0;
    while (it < maxit && max_abs(g) >= tol) {
        it++;
        if (!newton_step(d, u, &f, g, H)) break;
        f = mean_ll(d, u, g, H);
        if (!isfinite(f)) return occam__fail(OCCAM_E_NUMERIC, "Gamma-Gamma fit: the log-likelihood is not finite");
    }
    double th[3] = {exp(u[0]), exp(u[1]), exp(u[2])}, G[3], Ht[9];
    res->loglik = occam__gg_loglik(d, th, G, Ht);
    memcpy(res->theta, th, sizeof th);
    res->grad_norm = max_abs(g);
    res->iter = it;
    res->converged = res->grad_norm < tol;
    /* vcov = inverse of -H (theta): columns solved one by one */
    double A[9];
    for (int k = 0; k < 9; k++) A[k] = -Ht[k];
    int ok = 1;
    for (int j = 0; j < 3 && ok; j++) {
        double e[3] = {j == 0, j == 1, j == 2}, z[3];
        ok = chol3_solve(A, e, z);
        for (int i = 0; ok && i < 3; i++) res->vcov[3 * i + j] = z[i];
    }
    for (int i = 0; i < 3; i++) res->se[i] = ok ? sqrt(res->vcov[4 * i]) : NAN;
    if (!ok)
        for (int k = 0; k < 9; k++) res->vcov[k] = NAN;
    return res->converged ? OCCAM_OK : OCCAM_W_NOT_CONVERGED;
}
