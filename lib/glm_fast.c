/*
 * glm_fast.c -- the opt-in fast GLM fit (OCCAM_OPT_FAST): R's maximum
 * likelihood estimate and R's inference with fewer full products X'WX
 * than R's IRLS.  NOT R's iteration path (R's iterates are not reproduced,
 * only their limit).
 *
 *   1. subsample: every s-th row, s = floor(n / max(n / 16, 64 k, 4096)) (at
 *      least 1; a fixed, deterministic choice), fitted by R's IRLS (the
 *      exact in-memory path on the copied rows, the model's start if any);
 *   2. chord steps on all rows: b += H^-1 U(b), where U(b) = X' r with
 *      r = prior (y - mu) mu.eta(eta) / V(mu) is the score (times the
 *      dispersion) and H = X_s' W_s X_s sum(prior) / sum(prior_s) the
 *      subsample's information, scaled to n rows, held fixed (the chord
 *      method, Ortega & Rheinboldt 1970, 7.1).  Each step is one pass over
 *      the rows in blocks: eta = offset + X b, then X' r (two
 *      matrix-vector products on a block held in cache).  The steps stop
 *      when the step, or the error it leaves (step rho / (1 - rho), rho the
 *      ratio of the last two steps: the chord converges linearly), is below
 *      CHORD_TOL = 1e-10 times max(|b_j|, se_j) (se_j from H^-1) in every
 *      coefficient; 1e-6 with the family's canonical link, where step 3's
 *      IRLS step is a Newton step and squares the error left.  After CHORD_MAX steps, a growing step or an invalid
 *      eta/mu they fall back (no MLE nearby, e.g. separation) unless that
 *      error is below CHORD_FLOOR (a slow rate: non-canonical links, whose
 *      observed information differs from the expected one; rounding);
 *   3. R's IRLS (occam__glm_fit_exact: R's solver, aliasing and inference)
 *      started from the chord's coefficients, expecting the first
 *      iteration to be the last: one full X'WX, whose solve is the final
 *      Newton step and whose inverse gives the standard errors.
 * Fallback to the R-exact fit from R's own start (OCCAM_INFO_FAST = 0):
 * k = 0, mustart given, any warning or error of the subsample fit
 * (aliasing, non-convergence, boundary, fitted 0/1, ...), a non-finite or
 * non-positive dispersion, chord steps that do not converge, or any warning
 * or error of step 3.  In memory only (glm_stream.c refuses
 * the option for a stream).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm_internal.h"

enum { CHORD_MAX = 16, SCORE_BLOCK = 512 };
#define CHORD_TOL 1e-10   /* converged: the error left below this times max(|b_j|, se_j) */
#define CHORD_TOL_CANONICAL 1e-6 /* the same with a canonical link: the final IRLS step is then Newton's
                                    (expected = observed information), which squares the error left */
#define CHORD_FLOOR 1e-9  /* accepted: the error left below this after CHORD_MAX steps, or a
                             step below it that no longer shrinks (rounding) */

/* The score pass: shared inputs and per-part outputs. */
typedef struct score_ctx {
    const occam_matrix *X;
    const double *y, *w, *offset;
    int family, link, intercept;
    int64_t k;
    const double *b;  /* k */
    double *u;        /* parts x k: each part's X' r */
    int *valid;       /* parts */
} score_ctx;

/* Rows [i0, i1): part `part`'s X' r at b, in blocks of SCORE_BLOCK rows. */
static int score_range(void *vctx, int part, int64_t i0, int64_t i1)
{
    const score_ctx *c = vctx;
    const occam_matrix *X = c->X;
    int64_t p = X->p, k = c->k;
    double *u = c->u + (size_t)part * (size_t)k;
    double *eta = malloc(4 * SCORE_BLOCK * sizeof(double));
    if (eta == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for the fast GLM path");
    double *mu = eta + SCORE_BLOCK, *me = mu + SCORE_BLOCK, *r = me + SCORE_BLOCK;
    const double *bx = c->b + c->intercept;
    int valid = 1, rc = OCCAM_OK;
    memset(u, 0, (size_t)k * sizeof(double));
    for (int64_t a = i0; a < i1 && rc == OCCAM_OK; a += SCORE_BLOCK) {
        int64_t nb = i1 - a < SCORE_BLOCK ? i1 - a : SCORE_BLOCK;
        const double *xa = X->layout == OCCAM_COL_MAJOR ? X->data + a : X->data + a * X->ld;
        for (int64_t i = 0; i < nb; i++)
            eta[i] = (c->offset ? c->offset[a + i] : 0.0) + (c->intercept ? c->b[0] : 0.0);
        if (p > 0) rc = occam__la_gemv(X->layout, 0, nb, p, 1.0, xa, X->ld, bx, 1.0, eta);
        if (rc != OCCAM_OK) break;
        occam__glm_linkinv_n(c->link, nb, eta, mu);
        valid = valid && occam__glm_valid_n(c->family, c->link, nb, eta, mu);
        occam__glm_mu_eta_n(c->link, nb, eta, me);
        double s0 = 0;
        for (int64_t i = 0; i < nb; i++) {
            double pw = c->w ? c->w[a + i] : 1.0;
            double yi = occam__glm_y_used(c->family, c->y[a + i], pw);
            double v = occam__glm_variance(c->family, mu[i]);
            r[i] = pw == 0 ? 0.0 : pw * (yi - mu[i]) * me[i] / v;
            s0 += r[i];
        }
        if (c->intercept) u[0] += s0;
        if (p > 0) rc = occam__la_gemv(X->layout, 1, nb, p, 1.0, xa, X->ld, r, 1.0, u + c->intercept);
    }
    free(eta);
    c->valid[part] = valid;
    return rc;
}

/* U(b) = X' r over all rows into u (k), summed in part order; *valid = every
 * row has valid eta, mu and a finite score. */
static int score(score_ctx *c, int threads, double *u, int *valid)
{
    int parts = occam__parallel_parts(threads, c->X->n);
    c->u = malloc((size_t)parts * (size_t)c->k * sizeof(double));
    c->valid = malloc((size_t)parts * sizeof(int));
    int rc = c->u && c->valid ? OCCAM_OK : occam__fail(OCCAM_E_NOMEM, "out of memory for the fast GLM path");
    if (rc == OCCAM_OK) rc = occam__parallel_ranges(parts, c->X->n, score_range, c);
    if (rc == OCCAM_OK) {
        *valid = 1;
        memset(u, 0, (size_t)c->k * sizeof(double));
        for (int t = 0; t < parts; t++) {
            *valid = *valid && c->valid[t];
            for (int64_t j = 0; j < c->k; j++) u[j] += c->u[(size_t)t * (size_t)c->k + j];
        }
        for (int64_t j = 0; j < c->k; j++) *valid = *valid && isfinite(u[j]);
    }
    free(c->u);
    free(c->valid);
    c->u = NULL;
    c->valid = NULL;
    return rc;
}

/* The subsample: every s-th row copied (column-major, ld = its rows). */
typedef struct subsample {
    int64_t m;
    double *X, *y, *w, *offset;
} subsample;

static void subsample_free(subsample *s)
{
    free(s->X);
    free(s->y);
    free(s->w);
    free(s->offset);
}

static int64_t stride_of(int64_t n, int64_t k)
{
    int64_t target = n / 16;
    if (target < 64 * k) target = 64 * k;
    if (target < 4096) target = 4096;
    int64_t s = n / target;
    return s < 1 ? 1 : s;
}

static int subsample_take(const occam_matrix *X, const double *y, const double *w, const double *offset,
                          int64_t s, subsample *out)
{
    int64_t m = (X->n + s - 1) / s, p = X->p;
    memset(out, 0, sizeof *out);
    out->m = m;
    out->X = malloc((size_t)(m * (p > 0 ? p : 1)) * sizeof(double));
    out->y = malloc((size_t)m * sizeof(double));
    if (w) out->w = malloc((size_t)m * sizeof(double));
    if (offset) out->offset = malloc((size_t)m * sizeof(double));
    if (!out->X || !out->y || (w && !out->w) || (offset && !out->offset)) {
        subsample_free(out);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for the fast GLM path's subsample (%lld rows)",
                           (long long)m);
    }
    for (int64_t j = 0; j < p; j++)
        for (int64_t r = 0; r < m; r++) out->X[r + j * m] = occam__mat_at(X, r * s, j);
    for (int64_t r = 0; r < m; r++) {
        out->y[r] = y[r * s];
        if (w) out->w[r] = w[r * s];
        if (offset) out->offset[r] = offset[r * s];
    }
    return OCCAM_OK;
}

/* Step 1: R's IRLS on the subsample.  *ok = 0 (not an error) when its fit
 * warned or failed: the caller falls back.  On *ok = 1: b (k) its
 * coefficients, hinv (k x k) its cov.unscaled scaled to all rows. */
static int fit_subsample(const occam_glm_impl *g, const occam_opts *opts, const occam_matrix *X, const double *y,
                         const double *w, const double *offset, int64_t k, double *b, double *hinv, int *ok)
{
    *ok = 0;
    int64_t s = stride_of(X->n, k);
    subsample sub;
    int rc = subsample_take(X, y, w, offset, s, &sub);
    if (rc != OCCAM_OK) return rc;
    occam_model *t = NULL;
    occam_opts *o = NULL;
    rc = occam_glm_new(g->family, g->link, &t);
    if (rc == OCCAM_OK) rc = occam__opts_clone(opts, &o);
    if (rc == OCCAM_OK && o == NULL) rc = occam_opts_new(&o);
    if (rc == OCCAM_OK) rc = occam_opts_set_int(o, OCCAM_OPT_FAST, 0);
    if (rc == OCCAM_OK && g->start) rc = occam_glm_set_start(t, g->start, g->nstart);
    if (rc != OCCAM_OK) goto done;
    int fit = occam_model_fit(t, o, sub.X, sub.m, X->p, sub.m, OCCAM_COL_MAJOR, sub.y, sub.w, sub.offset);
    if (fit != OCCAM_OK) goto done; /* a warning or an error: doubtful, fall back */
    double disp = NAN;
    rc = occam_model_coef(t, OCCAM_COEF_ESTIMATE, b, k);
    if (rc == OCCAM_OK) rc = occam_model_vcov(t, hinv, k);
    if (rc == OCCAM_OK) rc = occam_model_info(t, OCCAM_INFO_DISPERSION, &disp);
    if (rc != OCCAM_OK) goto done;
    double sw = 0, sws = 0;
    for (int64_t i = 0; i < X->n; i++) sw += w ? w[i] : 1.0;
    for (int64_t i = 0; i < sub.m; i++) sws += sub.w ? sub.w[i] : 1.0;
    double scale = sws / (sw * disp);
    if (!(disp > 0) || !isfinite(scale)) goto done;
    for (int64_t j = 0; j < k * k; j++) hinv[j] *= scale;
    *ok = 1;
    for (int64_t j = 0; j < k && *ok; j++) *ok = isfinite(b[j]) && hinv[j + j * k] > 0;
done:
    occam_opts_free(o);
    occam_model_free(t);
    subsample_free(&sub);
    return rc;
}

/* 1 when the link is the family's canonical one (Fisher scoring = Newton). */
static int canonical(int family, int link)
{
    switch (family) {
    case OCCAM_FAMILY_GAUSSIAN: return link == OCCAM_LINK_IDENTITY;
    case OCCAM_FAMILY_BINOMIAL:
    case OCCAM_FAMILY_QUASIBINOMIAL: return link == OCCAM_LINK_LOGIT;
    case OCCAM_FAMILY_POISSON:
    case OCCAM_FAMILY_QUASIPOISSON: return link == OCCAM_LINK_LOG;
    case OCCAM_FAMILY_GAMMA: return link == OCCAM_LINK_INVERSE;
    case OCCAM_FAMILY_INVERSE_GAUSSIAN: return link == OCCAM_LINK_INVERSE_SQUARE;
    default: return 0;
    }
}

/* Step 2: chord steps from b (updated in place).  *ok = 1 when they
 * converged (a step below CHORD_TOL standard errors), 0 otherwise (an
 * invalid score, a growing step, CHORD_MAX steps: no MLE nearby, e.g.
 * separation, or a subsample too unlike the rows). */
static int chord(const occam_glm_impl *g, int intercept, int threads, const occam_matrix *X, const double *y,
                 const double *w, const double *offset, int64_t k, double *b, const double *hinv, int *ok)
{
    double *u = malloc((size_t)k * sizeof(double)), *d = malloc((size_t)k * sizeof(double));
    if (!u || !d) {
        free(u);
        free(d);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for the fast GLM path");
    }
    score_ctx c = {X, y, w, offset, g->family, g->link, intercept, k, b, NULL, NULL};
    double prev = INFINITY, tol = canonical(g->family, g->link) ? CHORD_TOL_CANONICAL : CHORD_TOL;
    int rc = OCCAM_OK;
    *ok = 0;
    for (int t = 0; t < CHORD_MAX; t++) {
        int valid = 0;
        rc = score(&c, threads, u, &valid);
        if (rc != OCCAM_OK) break;
        if (!valid) break;
        double step = 0;
        for (int64_t i = 0; i < k; i++) {
            double s = 0;
            for (int64_t j = 0; j < k; j++) s += hinv[i + j * k] * u[j];
            d[i] = s;
            double z = fabs(s) / fmax(fabs(b[i]), sqrt(hinv[i + i * k]));
            if (!(z <= step)) step = z; /* NaN propagates */
        }
            if (!(step < prev)) { /* growing (or NaN): not taken */
            *ok = prev < CHORD_FLOOR;
            break;
        }
        for (int64_t i = 0; i < k; i++) b[i] += d[i];
        /* the error left after a linearly converging step: step rho / (1 - rho) */
        double rho = isfinite(prev) ? step / prev : 1.0;
        double left = rho < 1 ? step * rho / (1 - rho) : INFINITY;
        prev = step;
        if (step < tol || left < tol) {
            *ok = 1;
            break;
        }
        *ok = left < CHORD_FLOOR; /* kept if CHORD_MAX ends the loop here */
    }
    free(u);
    free(d);
    return rc;
}

int occam__glm_fit_fast(occam_model *m, const occam_opts *opts, const occam_matrix *X, const double *y,
                        const double *w, const double *offset)
{
    occam_glm_impl *g = m->impl;
    if (y == NULL) return occam__fail(OCCAM_E_NULL, "glm fit: y is NULL");
    int intercept = (int)occam__opt_int(opts, OCCAM_OPT_INTERCEPT, 1);
    int threads = (int)occam__opt_int(opts, OCCAM_OPT_THREADS, 1);
    if (intercept != 0 && intercept != 1) return occam__glm_fit_exact(m, opts, X, y, w, offset); /* its error */
    int64_t k = X->p + intercept;
    int doubtful = k == 0 || (g->mustart != NULL && g->start == NULL) || (g->start != NULL && g->nstart != k);
    if (doubtful) return occam__glm_fit_exact(m, opts, X, y, w, offset);
    double *b = malloc((size_t)k * sizeof(double)), *hinv = malloc((size_t)(k * k) * sizeof(double));
    if (!b || !hinv) {
        free(b);
        free(hinv);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for the fast GLM path (k = %lld)", (long long)k);
    }
    int ok = 0;
    int rc = fit_subsample(g, opts, X, y, w, offset, k, b, hinv, &ok);
    if (rc == OCCAM_OK && ok) rc = chord(g, intercept, threads, X, y, w, offset, k, b, hinv, &ok);
    free(hinv);
    if (rc != OCCAM_OK || !ok) {
        free(b);
        return rc != OCCAM_OK ? rc : occam__glm_fit_exact(m, opts, X, y, w, offset);
    }
    /* step 3: R's IRLS from b, the model's own start set aside */
    double *start = g->start;
    int64_t nstart = g->nstart;
    g->start = b;
    g->nstart = k;
    g->guess_last = 1;
    rc = occam__glm_fit_exact(m, opts, X, y, w, offset);
    g->start = start;
    g->nstart = nstart;
    g->guess_last = 0;
    free(b);
    if (rc == OCCAM_OK) {
        g->fast = 1;
        return OCCAM_OK;
    }
    return occam__glm_fit_exact(m, opts, X, y, w, offset);
}
