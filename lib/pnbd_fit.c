/*
 * pnbd_fit.c -- maximum likelihood for the Pareto/NBD model.
 *
 *  - Data: weight-0 rows dropped; identical (x, t_x, T) rows merged into one
 *    row carrying the summed weight (OCCAM_OPT_COLLAPSE: 1 always, 0 never,
 *    -1 = when at least 1000 rows shrink by 30% or more), by the streamed
 *    fit's hash table of patterns (pnbd_pass.c), in its canonical order.
 *  - Objective: f(phi) = -loglik / W over phi = log(r, alpha, s, beta)
 *    (W = total weight), with its analytic gradient and, when asked, its
 *    analytic Hessian (pnbd_loglik.c, pnbd_terms.c, hyp2f1_d2.c) summed over
 *    blocks of PNBD_BLOCK rows (occam__pnbd_block + occam__pnbd_acc_add) on
 *    OCCAM_OPT_THREADS threads, added in block order (the same bits for any
 *    thread count).
 *  - Start: the best of (1, 1, 1, 1) (BTYD's and CLVTools' default) and two
 *    starts scaled to the data's time unit (alpha ~ mean T / mean x,
 *    beta ~ mean T), ranked by the log-likelihood of every k-th row when
 *    there are more than PNBD_START_ROWS rows.
 *  - BFGS with a weak-Wolfe bisection line search (Nocedal & Wright 2006,
 *    alg. 6.1, initial scaling eq. 6.20), steps capped at 3 in log units,
 *    until max |grad f| <= PNBD_NEWTON_G; then Newton's method with the
 *    analytic Hessian (shifted by mu I when not positive definite,
 *    Levenberg-Marquardt), Armijo backtracking, steps capped at 1; when
 *    Newton fails, BFGS again to a switch 100 times smaller (twice), then
 *    BFGS to the end.  The line search's first trial takes the Hessian too
 *    once max |grad f| <= 2 PNBD_NEWTON_G (Newton will want it there).
 *    Converged when max |grad f| <= OCCAM_OPT_GRAD_TOL (default 1e-9): the
 *    likelihood is flat along beta, so a small change in loglik alone is not
 *    taken as convergence (it only stops a stalled search).
 *  - At the optimum: up to three Newton steps polish it; standard errors
 *    from the inverse of the analytic Hessian at the final point mapped to
 *    the natural parameters (d2F/dtheta_i dtheta_j = (H_ij - delta_ij g_i) /
 *    (theta_i theta_j)).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pnbd.h"
#include "pnbd_pass.h"

enum { PNBD_BLOCK = 4096, PNBD_COLLAPSE_MIN = 1000, PNBD_START_ROWS = 16384 };
#define PNBD_PHI_MAX 25.0 /* |log theta| bound: theta in [1.4e-11, 7.2e10] */
#define PNBD_NEWTON_G 1e-2 /* max |grad f| where BFGS hands over to Newton */

/* ------------------------------------------------------------------ data */

void occam__pnbd_data_free(occam_pnbd_data *d)
{
    free(d->x);
    memset(d, 0, sizeof *d);
}

static int data_alloc(occam_pnbd_data *d, int64_t n)
{
    d->x = malloc((size_t)(n > 0 ? n : 1) * 4 * sizeof(double));
    if (d->x == NULL) return occam__fail(OCCAM_E_NOMEM, "Pareto/NBD fit: out of memory for %lld rows", (long long)n);
    d->tx = d->x + n;
    d->T = d->tx + n;
    d->w = d->T + n;
    d->n = n;
    return OCCAM_OK;
}

int occam__pnbd_data_build(const occam_matrix *X, const double *w, int collapse, occam_pnbd_data *d)
{
    memset(d, 0, sizeof *d);
    int64_t m = 0;
    double wsum = 0.0;
    for (int64_t i = 0; i < X->n; i++)
        if (w == NULL || w[i] > 0) {
            m++;
            wsum += w ? w[i] : 1.0;
        }
    if (m == 0) return occam__fail(OCCAM_E_NO_DATA, "Pareto/NBD fit: every weight is 0");
    int try_collapse = collapse == 1 || (collapse == -1 && m >= PNBD_COLLAPSE_MIN);
    if (!try_collapse) {
        int rc = data_alloc(d, m);
        if (rc != OCCAM_OK) return rc;
        int64_t j = 0;
        for (int64_t i = 0; i < X->n; i++) {
            if (w != NULL && !(w[i] > 0)) continue;
            d->x[j] = occam__mat_at(X, i, 0);
            d->tx[j] = occam__mat_at(X, i, 1);
            d->T[j] = occam__mat_at(X, i, 2);
            d->w[j] = w ? w[i] : 1.0;
            j++;
        }
        d->nobs = m;
        d->wsum = wsum;
        return OCCAM_OK;
    }
    /* distinct rows by the hash table of the streamed fit, then sorted */
    occam_pnbd_table *t = NULL;
    int rc = occam__pnbd_table_new(&t);
    for (int64_t i = 0; rc == OCCAM_OK && i < X->n; i++) {
        if (w != NULL && !(w[i] > 0)) continue;
        rc = occam__pnbd_table_add(t, occam__mat_at(X, i, 0), occam__mat_at(X, i, 1), occam__mat_at(X, i, 2),
                                   w ? w[i] : 1.0);
    }
    int use = rc == OCCAM_OK && (collapse == 1 || (double)t->n <= 0.7 * (double)m);
    occam_pnbd_pattern *pat = NULL;
    if (use) rc = occam__pnbd_table_sorted(t, &pat);
    int64_t u = t ? t->n : 0;
    occam__pnbd_table_free(t);
    if (rc == OCCAM_OK && use) rc = data_alloc(d, u);
    for (int64_t i = 0; rc == OCCAM_OK && use && i < u; i++) {
        d->x[i] = pat[i].x;
        d->tx[i] = pat[i].tx;
        d->T[i] = pat[i].T;
        d->w[i] = pat[i].count;
    }
    free(pat);
    if (rc != OCCAM_OK) return rc;
    if (!use) return occam__pnbd_data_build(X, w, 0, d);
    d->collapsed = 1;
    d->nobs = m;
    d->wsum = wsum;
    return OCCAM_OK;
}

/* ------------------------------------------------------------- objective */

typedef struct pnbd_obj {
    const occam_pnbd_data *d;
    int64_t nevals;
    int threads;
    occam_pnbd_acc *blk;  /* one per block of PNBD_BLOCK rows, summed in block order */
    occam_pnbd_gcache **gc; /* one G cache per thread */
    const occam_pnbd_par *pp;
    int level;
    double gswitch;       /* BFGS hands over to Newton below this max |grad f| (0: never) */
    double last_phi[4];   /* the last successful evaluation with the gradient: its point, */
    double last_f, last_g[4], last_ll, last_H[16]; /* value, gradient, loglik and Hessian */
    int have_last, last_level;
} pnbd_obj;

static int64_t nblocks(const occam_pnbd_data *d) { return (d->n + PNBD_BLOCK - 1) / PNBD_BLOCK; }

/* Blocks [b0, b1) of one evaluation (a part of occam__parallel_ranges). */
static int objective_blocks(void *ctx, int part, int64_t b0, int64_t b1)
{
    pnbd_obj *ob = ctx;
    const occam_pnbd_data *d = ob->d;
    for (int64_t b = b0; b < b1; b++) {
        int64_t i0 = b * PNBD_BLOCK;
        int64_t nb = d->n - i0 < PNBD_BLOCK ? d->n - i0 : PNBD_BLOCK;
        int rc = occam__pnbd_block(ob->pp, ob->gc[part], d->x + i0, d->tx + i0, d->T + i0, d->w + i0, nb,
                                   ob->level, &ob->blk[b]);
        if (rc != OCCAM_OK) return rc;
    }
    return OCCAM_OK;
}

/* f = -loglik / W, its gradient (g not NULL) and Hessian (H not NULL, with
 * g) over phi; returns OCCAM_OK or an error.  The blocks may run on
 * ob->threads threads; their contributions are added in block order, so the
 * result does not depend on the thread count. */
static int objective(pnbd_obj *ob, const double phi[4], double *f, double g[4], double H[16], double *loglik)
{
    for (int k = 0; k < 4; k++)
        if (!(fabs(phi[k]) <= PNBD_PHI_MAX)) return OCCAM_E_NUMERIC;
    occam_pnbd_par pp;
    occam__pnbd_par_init(&pp, exp(phi[0]), exp(phi[1]), exp(phi[2]), exp(phi[3]));
    const occam_pnbd_data *d = ob->d;
    occam_pnbd_acc tot;
    occam__pnbd_acc_zero(&tot);
    ob->nevals++;
    ob->pp = &pp;
    ob->level = H ? 2 : g ? 1 : 0;
    int64_t nbk = nblocks(d);
    int rc = occam__parallel_ranges(ob->threads, nbk, objective_blocks, ob);
    ob->pp = NULL;
    if (rc != OCCAM_OK) return rc;
    for (int64_t b = 0; b < nbk; b++) occam__pnbd_acc_add(&tot, &ob->blk[b]);
    double ll = occam__pnbd_acc_ll(&tot);
    if (!isfinite(ll)) return OCCAM_E_NUMERIC;
    *f = -ll / d->wsum;
    if (loglik) *loglik = ll;
    if (g) {
        for (int k = 0; k < 4; k++) {
            g[k] = -tot.grad[k] / d->wsum;
            if (!isfinite(g[k])) return OCCAM_E_NUMERIC;
        }
        for (int k = 0; H && k < 16; k++) {
            H[k] = -tot.hess[k] / d->wsum;
            if (!isfinite(H[k])) return OCCAM_E_NUMERIC;
        }
        memcpy(ob->last_phi, phi, sizeof ob->last_phi);
        memcpy(ob->last_g, g, sizeof ob->last_g);
        if (H) memcpy(ob->last_H, H, sizeof ob->last_H);
        ob->last_f = *f;
        ob->last_ll = ll;
        ob->have_last = 1;
        ob->last_level = ob->level;
    }
    return OCCAM_OK;
}

/* objective() with the gradient (and the Hessian when H is not NULL),
 * reusing the last evaluation when it was at phi with what is asked. */
static int objective_at(pnbd_obj *ob, const double phi[4], double *f, double g[4], double H[16], double *loglik)
{
    if (ob->have_last && memcmp(phi, ob->last_phi, sizeof ob->last_phi) == 0 && (H == NULL || ob->last_level == 2)) {
        *f = ob->last_f;
        memcpy(g, ob->last_g, sizeof ob->last_g);
        if (H) memcpy(H, ob->last_H, sizeof ob->last_H);
        if (loglik) *loglik = ob->last_ll;
        return OCCAM_OK;
    }
    return objective(ob, phi, f, g, H, loglik);
}

static double max_abs(const double v[4])
{
    double m = 0.0;
    for (int k = 0; k < 4; k++)
        if (fabs(v[k]) > m) m = fabs(v[k]);
    return m;
}

static double dot4(const double a[4], const double b[4])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3];
}

/* ------------------------------------------------------------- start */

/* Every k-th row of d (views into its columns, stride k through a copy):
 * the rows on which the start candidates are ranked when d is large. */
static int subsample(const occam_pnbd_data *d, int64_t k, occam_pnbd_data *sub)
{
    int64_t m = (d->n + k - 1) / k;
    int rc = data_alloc(sub, m);
    if (rc != OCCAM_OK) return rc;
    sub->wsum = 0.0;
    for (int64_t i = 0; i < m; i++) {
        sub->x[i] = d->x[i * k];
        sub->tx[i] = d->tx[i * k];
        sub->T[i] = d->T[i * k];
        sub->w[i] = d->w[i * k];
        sub->wsum += sub->w[i];
    }
    sub->nobs = m;
    return OCCAM_OK;
}

/* The best of three candidates (BTYD's and CLVTools' (1, 1, 1, 1) and two
 * scaled to the data's time unit) by the log-likelihood, ranked on every
 * k-th row when there are more than PNBD_START_ROWS rows (k chosen to leave
 * about that many: a fixed subsample, the same for any thread count); then
 * the chosen one's value and gradient on every row. */
static int start_point(pnbd_obj *ob, double phi[4], double *f, double g[4])
{
    const occam_pnbd_data *d = ob->d;
    double sx = 0.0, sT = 0.0;
    for (int64_t i = 0; i < d->n; i++) {
        sx += d->w[i] * d->x[i];
        sT += d->w[i] * d->T[i];
    }
    double mx = sx / d->wsum, mT = sT / d->wsum;
    if (!(mT > 0)) mT = 1.0;
    double a0 = mT / fmax(mx, 0.01);
    double cand[3][4] = {{1.0, 1.0, 1.0, 1.0}, {1.0, a0, 1.0, mT}, {0.5, 0.5 * a0, 0.5, 0.5 * mT}};
    occam_pnbd_data sub;
    int64_t k = d->n / PNBD_START_ROWS;
    int use_sub = k >= 2 && subsample(d, k, &sub) == OCCAM_OK;
    pnbd_obj rank = *ob; /* the ranking's evaluations: not counted, not kept as the last one */
    if (use_sub) rank.d = &sub;
    int best = -1;
    double fbest = 0.0;
    for (int c = 0; c < 3; c++) {
        double p[4], fc;
        for (int j = 0; j < 4; j++) p[j] = log(fmin(fmax(cand[c][j], 1e-6), 1e6));
        if (objective(&rank, p, &fc, NULL, NULL, NULL) != OCCAM_OK) continue;
        if (best < 0 || fc < fbest) {
            best = c;
            fbest = fc;
            memcpy(phi, p, sizeof p);
        }
    }
    if (use_sub) occam__pnbd_data_free(&sub);
    if (!use_sub) ob->nevals = rank.nevals;
    if (best >= 0 && objective(ob, phi, f, g, NULL, NULL) != OCCAM_OK) best = -1;
    if (best < 0)
        return occam__fail(OCCAM_E_NUMERIC, "Pareto/NBD fit: the log-likelihood is not finite at any starting point");
    return OCCAM_OK;
}

/* ---------------------------------------------------------- line search */

/* Weak Wolfe by bisection (c1 = 1e-4, c2 = 0.9).  On success phi, f, g hold
 * the new point; returns 0, or -1 if no acceptable step was found. */
static int line_search(pnbd_obj *ob, double phi[4], double *f, double g[4], const double dir[4], int want_h)
{
    const double c1 = 1e-4, c2 = 0.9;
    double f0 = *f, d0 = dot4(g, dir);
    if (!(d0 < 0)) return -1;
    double lo = 0.0, hi = INFINITY, t = 1.0;
    double best_t = 0.0, best_f = f0, best_g[4];
    for (int it = 0; it < 40; it++) {
        double p[4], ft, gt[4], Ht[16];
        for (int k = 0; k < 4; k++) p[k] = phi[k] + t * dir[k];
        /* the first trial with the Hessian when Newton may take over there (kept in ob->last_H) */
        int rc = objective(ob, p, &ft, gt, want_h && it == 0 ? Ht : NULL, NULL);
        if (rc != OCCAM_OK || ft > f0 + c1 * t * d0) {
            hi = t;
        } else {
            if (ft < best_f) {
                best_f = ft;
                best_t = t;
                memcpy(best_g, gt, sizeof gt);
            }
            if (dot4(gt, dir) < c2 * d0) {
                lo = t;
            } else {
                memcpy(phi, p, sizeof p);
                *f = ft;
                memcpy(g, gt, sizeof gt);
                return 0;
            }
        }
        t = isinf(hi) ? 2.0 * lo : 0.5 * (lo + hi);
    }
    if (best_t > 0) { /* Armijo holds but not the curvature condition: take it */
        for (int k = 0; k < 4; k++) phi[k] += best_t * dir[k];
        *f = best_f;
        memcpy(g, best_g, sizeof best_g);
        return 0;
    }
    return -1;
}

/* ----------------------------------------------------------- linear algebra */

/* Cholesky of a 4x4 SPD matrix (column-major) in place (lower); 0 or -1. */
static int chol4(double a[16])
{
    for (int j = 0; j < 4; j++) {
        double s = a[j + 4 * j];
        for (int k = 0; k < j; k++) s -= a[j + 4 * k] * a[j + 4 * k];
        if (!(s > 0)) return -1;
        a[j + 4 * j] = sqrt(s);
        for (int i = j + 1; i < 4; i++) {
            double t = a[i + 4 * j];
            for (int k = 0; k < j; k++) t -= a[i + 4 * k] * a[j + 4 * k];
            a[i + 4 * j] = t / a[j + 4 * j];
        }
    }
    return 0;
}

/* Solve L L' x = b with the factor of chol4. */
static void chol4_solve(const double l[16], double b[4])
{
    for (int i = 0; i < 4; i++) {
        double s = b[i];
        for (int k = 0; k < i; k++) s -= l[i + 4 * k] * b[k];
        b[i] = s / l[i + 4 * i];
    }
    for (int i = 3; i >= 0; i--) {
        double s = b[i];
        for (int k = i + 1; k < 4; k++) s -= l[k + 4 * i] * b[k];
        b[i] = s / l[i + 4 * i];
    }
}

/* ------------------------------------------------------------------- MLE */

static void bfgs_update(double Hi[16], const double s[4], const double y[4])
{
    double sy = dot4(s, y);
    double Hy[4];
    for (int i = 0; i < 4; i++) {
        Hy[i] = 0;
        for (int k = 0; k < 4; k++) Hy[i] += Hi[i + 4 * k] * y[k];
    }
    double yHy = dot4(y, Hy);
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < 4; i++)
            Hi[i + 4 * j] += (sy + yHy) * s[i] * s[j] / (sy * sy) - (Hy[i] * s[j] + s[i] * Hy[j]) / sy;
}

static void set_identity(double Hi[16], double scale)
{
    for (int k = 0; k < 16; k++) Hi[k] = 0.0;
    for (int k = 0; k < 4; k++) Hi[k + 4 * k] = scale;
}

/* BFGS on the mean negative log-likelihood over log-parameters phi, until the
 * gradient max-norm is below gtol (or maxit, or a stall of three iterations
 * with relative change below eps).  phi, f, g are updated in place. */
static void bfgs(pnbd_obj *ob, occam_pnbd_watch *wt, double gtol, double eps, int64_t maxit, double *phi, double *f,
                 double *g, int64_t *iter)
{
    gtol = fmax(gtol, ob->gswitch);
    double Hi[16];
    set_identity(Hi, 1.0);
    int first = 1, stalls = 0, resets = 0;
    while (*iter < maxit && max_abs(g) > gtol) {
        double dir[4];
        for (int i = 0; i < 4; i++) {
            dir[i] = 0;
            for (int k = 0; k < 4; k++) dir[i] -= Hi[i + 4 * k] * g[k];
        }
        if (!(dot4(dir, g) < 0)) { /* not a descent direction: restart */
            set_identity(Hi, 1.0);
            first = 1;
            for (int i = 0; i < 4; i++) dir[i] = -g[i];
        }
        double big = max_abs(dir), cap = first ? 1.0 : 3.0;
        if (big > cap)
            for (int i = 0; i < 4; i++) dir[i] *= cap / big;
        double phi0[4], g0[4], f0 = *f;
        memcpy(phi0, phi, sizeof phi0);
        memcpy(g0, g, sizeof g0);
        if (line_search(ob, phi, f, g, dir, ob->gswitch > 0 && max_abs(g) <= 2.0 * ob->gswitch) != 0) {
            if (resets++ < 2 && !first) {
                set_identity(Hi, 1.0);
                first = 1;
                continue;
            }
            break;
        }
        (*iter)++;
        double s[4], y[4];
        for (int i = 0; i < 4; i++) {
            s[i] = phi[i] - phi0[i];
            y[i] = g[i] - g0[i];
        }
        double sy = dot4(s, y);
        if (sy > 1e-14 * sqrt(dot4(s, s) * dot4(y, y))) {
            if (first) set_identity(Hi, sy / dot4(y, y)); /* N&W eq. 6.20 */
            bfgs_update(Hi, s, y);
            first = 0;
        }
        stalls = fabs(*f - f0) <= eps * fabs(f0) ? stalls + 1 : 0;
        if (stalls >= 3) break;
        if (occam__pnbd_watch(wt, phi, -*f * ob->d->wsum) != PNBD_HIT_NONE) break;
    }
}

/* The Cholesky factor of H + mu I with the smallest mu in 0, 1e-6, 1e-5,
 * ... times max |H_ii| that makes it positive definite (Levenberg-Marquardt:
 * away from the optimum the Hessian may be indefinite; the shift turns the
 * step towards steepest descent).  0, or -1 when no shift up to max |H_ii|
 * does. */
static int shifted_chol(const double H[16], double L[16])
{
    double dmax = 0.0;
    for (int k = 0; k < 4; k++) dmax = fmax(dmax, fabs(H[5 * k]));
    if (!(dmax > 0) || !isfinite(dmax)) return -1;
    for (double mu = 0.0; mu <= dmax; mu = mu == 0.0 ? 1e-6 * dmax : 10.0 * mu) {
        memcpy(L, H, 16 * sizeof *L);
        for (int k = 0; k < 4; k++) L[5 * k] += mu;
        if (chol4(L) == 0) return 0;
    }
    return -1;
}

/* Newton's method with the analytic Hessian from a point where BFGS hands
 * over (max |g| <= ob->gswitch), with Armijo backtracking (c1 = 1e-4) and
 * steps capped at 1 in log units.  Until max |g| <= gtol; returns 0, or -1
 * when a Hessian is not positive definite or a step fails (phi, f, g then
 * hold the last accepted point and BFGS takes over again).  Iterations
 * count in *iter; the watch as in bfgs. */
static int newton_phase(pnbd_obj *ob, occam_pnbd_watch *wt, double gtol, int64_t maxit, double *phi, double *f,
                        double *g, int64_t *iter)
{
    double H[16], L[16];
    if (objective_at(ob, phi, f, g, H, NULL) != OCCAM_OK) return -1;
    for (int it = 0; it < 30 && *iter < maxit && max_abs(g) > gtol; it++) {
        if (shifted_chol(H, L) != 0) return -1;
        double step[4] = {-g[0], -g[1], -g[2], -g[3]};
        chol4_solve(L, step);
        double big = max_abs(step);
        if (big > 1.0)
            for (int k = 0; k < 4; k++) step[k] /= big;
        double d0 = dot4(g, step), t = 1.0, p[4], fn, gn[4], Hn[16];
        if (!(d0 < 0)) return -1;
        int ok = 0;
        for (int ls = 0; ls < 20 && !ok; ls++, t *= 0.5) {
            for (int k = 0; k < 4; k++) p[k] = phi[k] + t * step[k];
            ok = objective(ob, p, &fn, gn, Hn, NULL) == OCCAM_OK && fn <= *f + 1e-4 * t * d0;
        }
        if (!ok) {
            /* at the optimum to rounding f cannot fall: accept a step that lowers the gradient */
            for (int k = 0; k < 4; k++) p[k] = phi[k] + step[k];
            if (objective(ob, p, &fn, gn, Hn, NULL) != OCCAM_OK || !(max_abs(gn) < max_abs(g)) ||
                fn > *f + 1e-15 * fabs(*f))
                return -1;
        }
        memcpy(phi, p, 4 * sizeof *phi);
        memcpy(g, gn, 4 * sizeof *g);
        memcpy(H, Hn, sizeof H);
        *f = fn;
        (*iter)++;
        if (occam__pnbd_watch(wt, phi, -*f * ob->d->wsum) != PNBD_HIT_NONE) return 0;
    }
    return max_abs(g) <= gtol ? 0 : -1;
}

/* Up to three Newton steps once in the quadratic region, each kept only if
 * it lowers the gradient and not the objective; H (the Hessian at phi) is
 * kept the Hessian at the returned phi. */
static void newton_polish(pnbd_obj *ob, double *H, double gtol, double *phi, double *f, double *g, int64_t *iter)
{
    double L[16];
    for (int it = 0; it < 3 && max_abs(g) > 1e-3 * gtol; it++) {
        memcpy(L, H, sizeof L);
        if (chol4(L) != 0) break;
        double step[4] = {-g[0], -g[1], -g[2], -g[3]};
        chol4_solve(L, step);
        if (max_abs(step) > 0.1) break; /* not in the quadratic region */
        double p[4], fn, gn[4], Hn[16];
        for (int k = 0; k < 4; k++) p[k] = phi[k] + step[k];
        if (objective(ob, p, &fn, gn, Hn, NULL) != OCCAM_OK) break;
        if (!(max_abs(gn) < max_abs(g)) || fn > *f + 1e-15 * fabs(*f)) break;
        memcpy(phi, p, 4 * sizeof *phi);
        memcpy(g, gn, 4 * sizeof *g);
        memcpy(H, Hn, sizeof Hn);
        *f = fn;
        (*iter)++;
    }
}

/* Covariance and standard errors of (r, alpha, s, beta): the inverse of the
 * Hessian of -loglik in the natural parameters, from H (mean objective over
 * log-parameters) and its gradient g; NaN when it is not positive definite. */
static void standard_errors(const occam_pnbd_data *d, const double *H, const double *g, occam_pnbd_fit_result *res)
{
    double Hn[16], L[16];
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < 4; i++)
            Hn[i + 4 * j] = d->wsum * (H[i + 4 * j] - (i == j ? g[i] : 0.0)) / (res->par[i] * res->par[j]);
    memcpy(L, Hn, sizeof L);
    if (chol4(L) != 0) return;
    for (int j = 0; j < 4; j++) {
        double e[4] = {0, 0, 0, 0};
        e[j] = 1.0;
        chol4_solve(L, e);
        for (int i = 0; i < 4; i++) res->vcov[i + 4 * j] = e[i];
    }
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < j; i++)
            res->vcov[i + 4 * j] = res->vcov[j + 4 * i] = 0.5 * (res->vcov[i + 4 * j] + res->vcov[j + 4 * i]);
    for (int k = 0; k < 4; k++) res->se[k] = sqrt(res->vcov[k + 4 * k]);
}

/* The fit at the no-dropout limit: the NBD estimates, s = beta = Inf. */
static int no_dropout(const occam_pnbd_nbd *nb, int64_t iter, occam_pnbd_fit_result *res)
{
    res->par[0] = nb->r;
    res->par[1] = nb->alpha;
    res->par[2] = res->par[3] = INFINITY;
    for (int k = 0; k < 16; k++) res->vcov[k] = NAN;
    for (int j = 0; j < 2; j++)
        for (int i = 0; i < 2; i++) res->vcov[i + 4 * j] = nb->vcov[i + 2 * j];
    res->se[0] = sqrt(nb->vcov[0]);
    res->se[1] = sqrt(nb->vcov[3]);
    res->se[2] = res->se[3] = NAN;
    res->loglik = nb->loglik;
    res->grad_norm = nb->grad_norm;
    res->iter = iter + nb->iter;
    res->converged = nb->converged;
    res->hit = PNBD_HIT_NO_DROPOUT;
    res->ratio = 0.0;
    return OCCAM_W_NO_DROPOUT;
}

static int mle_run(pnbd_obj *ob, double gtol, double eps, int64_t maxit, occam_pnbd_fit_result *res);

int occam__pnbd_mle(const occam_pnbd_data *d, const occam_opts *opts, occam_pnbd_fit_result *res)
{
    memset(res, 0, sizeof *res);
    const double gtol = occam__opt_double(opts, OCCAM_OPT_GRAD_TOL, 1e-9);
    const double eps = occam__opt_double(opts, OCCAM_OPT_EPSILON, 1e-12);
    const int64_t maxit = occam__opt_int(opts, OCCAM_OPT_MAXIT, 200);
    pnbd_obj ob;
    memset(&ob, 0, sizeof ob);
    ob.d = d;
    ob.threads = (int)occam__opt_int(opts, OCCAM_OPT_THREADS, 1);
    if (ob.threads < 1) ob.threads = 1;
    ob.gswitch = PNBD_NEWTON_G;
    ob.blk = malloc((size_t)(nblocks(d) > 0 ? nblocks(d) : 1) * sizeof *ob.blk);
    ob.gc = calloc((size_t)ob.threads, sizeof *ob.gc);
    int rc = ob.blk && ob.gc ? OCCAM_OK : OCCAM_E_NOMEM;
    for (int t = 0; rc == OCCAM_OK && t < ob.threads; t++)
        if ((ob.gc[t] = occam__pnbd_gcache_new()) == NULL) rc = OCCAM_E_NOMEM;
    if (rc == OCCAM_OK)
        rc = mle_run(&ob, gtol, eps, maxit, res);
    else
        occam__fail(rc, "Pareto/NBD fit: out of memory for the block sums");
    for (int t = 0; ob.gc && t < ob.threads; t++) occam__pnbd_gcache_free(ob.gc[t]);
    free(ob.gc);
    free(ob.blk);
    return rc;
}

static int mle_run(pnbd_obj *ob, double gtol, double eps, int64_t maxit, occam_pnbd_fit_result *res)
{
    const occam_pnbd_data *d = ob->d;
    double phi[4], f, g[4];
    int rc = start_point(ob, phi, &f, g);
    if (rc != OCCAM_OK)
        return rc == OCCAM_E_NUMERIC ? occam__fail(rc, "Pareto/NBD fit: non-finite log-likelihood at the start")
                                     : rc;
    /* the watch stops the search at the no-dropout boundary (fitting the NBD
     * limit when the search first comes near it) */
    occam_pnbd_watch wt;
    occam__pnbd_watch_init(&wt, d, gtol);
    int64_t iter = 0;
    /* BFGS until max |g| <= gswitch, then Newton; when Newton fails (a
     * Hessian not positive definite, a step that does not descend), BFGS
     * again to a switch 100 times smaller, twice; then BFGS to the end */
    for (int round = 0; round < 3 && wt.hit == PNBD_HIT_NONE && max_abs(g) > gtol; round++, ob->gswitch *= 1e-2) {
        bfgs(ob, &wt, gtol, eps, maxit, phi, &f, g, &iter);
        if (wt.hit != PNBD_HIT_NONE || max_abs(g) <= gtol || max_abs(g) > ob->gswitch) break;
        if (newton_phase(ob, &wt, gtol, maxit, phi, &f, g, &iter) == 0) break;
    }
    if (wt.hit == PNBD_HIT_NONE && max_abs(g) > gtol) {
        ob->gswitch = 0.0; /* Newton did not get there (or BFGS stopped early): BFGS to the end */
        bfgs(ob, &wt, gtol, eps, maxit, phi, &f, g, &iter);
    }
    res->ratio = exp(phi[2] - phi[3]);
    res->nevals = ob->nevals;
    res->score = wt.have_nbd ? wt.nbd.score : NAN;
    if (wt.hit == PNBD_HIT_NO_DROPOUT) return no_dropout(&wt.nbd, iter, res);
    double H[16], ll;
    int have_h = wt.hit == PNBD_HIT_NONE && objective_at(ob, phi, &f, g, H, NULL) == OCCAM_OK;
    if (have_h) newton_polish(ob, H, gtol, phi, &f, g, &iter);
    rc = objective_at(ob, phi, &f, g, NULL, &ll);
    if (rc != OCCAM_OK)
        return occam__fail(OCCAM_E_NUMERIC, "Pareto/NBD fit: non-finite log-likelihood at the final point");
    res->nevals = ob->nevals;
    /* a search that ended elsewhere without converging loses to the NBD limit
     * when the limit is better and no small dropout improves on it */
    if (max_abs(g) > gtol && occam__pnbd_nbd_beats(&wt, ll)) {
        res->score = wt.nbd.score;
        return no_dropout(&wt.nbd, iter, res);
    }
    for (int k = 0; k < 4; k++) {
        res->par[k] = exp(phi[k]);
        res->se[k] = NAN;
    }
    for (int k = 0; k < 16; k++) res->vcov[k] = NAN;
    if (have_h) standard_errors(d, H, g, res);
    res->loglik = ll;
    res->grad_norm = max_abs(g);
    res->iter = iter;
    res->converged = wt.hit == PNBD_HIT_NONE && res->grad_norm <= gtol;
    res->hit = wt.hit;
    res->ratio = exp(phi[2] - phi[3]);
    return res->converged ? OCCAM_OK : OCCAM_W_NOT_CONVERGED;
}
