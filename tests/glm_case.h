/*
 * glm_case.h -- helpers shared by the GLM Check suites (header-only, static):
 * list the R reference cases (../shared/reference/glm when present, else
 * its copies in tests/data/glm/ *.json: the R 4.2.2 glm() references; and
 * tests/data/glm/extra/ *.json, made by
 * extra/make_extra.R in the same schema, and tests/data/glm/glm2/, the case
 * fitted with glm2's halving by the same script), load one case's X (without the
 * Intercept column), y, prior weights, offset, start and glm.control, and
 * fit it.
 */
#ifndef OCCAM_GLM_CASE_H
#define OCCAM_GLM_CASE_H

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "occam.h"
#include "testutil.h"

#define GLM_MAX_CASES 256

typedef struct glm_case {
    cJSON *j;
    const char *id;
    int family, link, intercept, has_w, has_off;
    int64_t n, p; /* p: columns of X without the intercept */
    double *X;    /* n x p column-major */
    double *y, *w, *off;
    double *start;
    int64_t nstart;
    double epsilon;
    int maxit;
    int halve_on_increase; /* extra cases fitted with glm2's rule (make_extra.R's glm.fit2) */
} glm_case;

static inline int glm_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Add the case JSONs of directory `dir` (absolute) to out as `prefix/name`,
 * skipping names already listed (the first directory listed wins). */
static inline int glm_add_cases(const char *dir, const char *prefix, char **out, int n, int cap)
{
    DIR *d = opendir(dir);
    if (d == NULL) return n;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < cap) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0) continue;
        int seen = 0;
        for (int i = 0; i < n && !seen; i++) {
            const char *base = strrchr(out[i], '/');
            seen = strcmp(base ? base + 1 : out[i], e->d_name) == 0;
        }
        if (seen) continue;
        char *rel = malloc(strlen(prefix) + len + 2);
        sprintf(rel, "%s/%s", prefix, e->d_name);
        out[n++] = rel;
    }
    closedir(d);
    return n;
}

/* Every R reference case: the project's shared references
 * (../shared/reference/glm, read directly when present so that every case
 * there is tested), then the copies and extra cases under tests/data. */
static inline int glm_list_cases(char **out, int cap)
{
    int n = 0;
    char path[4096];
    const char *shared = tu_shared_dir();
    if (shared != NULL) {
        snprintf(path, sizeof path, "%s/reference/glm", shared);
        n = glm_add_cases(path, path, out, n, cap);
    }
    const char *dirs[] = {"glm", "glm/extra", "glm/glm2"};
    for (int d = 0; d < 3; d++) {
        snprintf(path, sizeof path, "%s/%s", OCCAM_TEST_DATA, dirs[d]);
        n = glm_add_cases(path, dirs[d], out, n, cap);
    }
    qsort(out, (size_t)n, sizeof *out, glm_cmp_str);
    return n;
}

/* Where a case's CSV lives: "shared/data/glm/cases/a.csv" is read from
 * ../shared when present, else from its copy under tests/data/glm/cases;
 * "extra/cases/a.csv" is under tests/data/glm. */
static inline char *glm_csv_rel(const char *p)
{
    const char *pre = "shared/";
    const char *shared = tu_shared_dir();
    char *out = malloc(strlen(p) + (shared ? strlen(shared) : 0) + 16);
    if (strncmp(p, pre, strlen(pre)) == 0 && shared != NULL)
        sprintf(out, "%s/%s", shared, p + strlen(pre));
    else if (strncmp(p, "shared/data/", 12) == 0)
        strcpy(out, p + 12);
    else
        sprintf(out, "glm/%s", p);
    return out;
}

static inline double glm_parse_control(const char *call, const char *key, double dflt)
{
    const char *s = strstr(call, key);
    if (s == NULL) return dflt;
    s += strlen(key);
    while (*s == ' ' || *s == '=') s++;
    return strtod(s, NULL);
}

static inline glm_case glm_load_case(const char *rel)
{
    glm_case c;
    memset(&c, 0, sizeof c);
    c.j = tu_load_json(rel);
    c.id = tu_json_get(c.j, "case_id")->valuestring;
    ck_assert_int_eq(occam_family_parse(tu_json_get(c.j, "family")->valuestring, &c.family), OCCAM_OK);
    ck_assert_int_eq(occam_link_parse(tu_json_get(c.j, "link")->valuestring, &c.link), OCCAM_OK);
    c.intercept = cJSON_IsTrue(tu_json_get(c.j, "has_intercept"));
    c.has_w = cJSON_IsTrue(tu_json_get(c.j, "has_prior_weights"));
    c.has_off = cJSON_IsTrue(tu_json_get(c.j, "has_offset"));
    const char *call = tu_json_get(c.j, "r_call")->valuestring;
    c.epsilon = glm_parse_control(call, "epsilon", 1e-8);
    c.maxit = (int)glm_parse_control(call, "maxit", 25);
    const cJSON *ctl = cJSON_GetObjectItemCaseSensitive(c.j, "control");
    if (ctl) {
        c.epsilon = tu_json_num(tu_json_get(ctl, "epsilon"));
        c.maxit = (int)tu_json_num(tu_json_get(ctl, "maxit"));
    }
    const cJSON *hv = cJSON_GetObjectItemCaseSensitive(c.j, "halve_on_increase");
    c.halve_on_increase = hv != NULL && cJSON_IsTrue(hv);
    const cJSON *st = tu_json_get(c.j, "start");
    if (!cJSON_IsNull(st)) c.start = tu_json_array(st, &c.nstart);

    char *xr = glm_csv_rel(tu_json_get(c.j, "x_csv")->valuestring);
    char *yr = glm_csv_rel(tu_json_get(c.j, "y_csv")->valuestring);
    tu_csv X = tu_load_csv(xr), Y = tu_load_csv(yr);
    free(xr);
    free(yr);
    c.n = X.nrows;
    int64_t icol = tu_csv_col(&X, "Intercept");
    ck_assert_msg(c.intercept == (icol >= 0), "%s: Intercept column vs has_intercept", c.id);
    c.p = X.ncols - (icol >= 0);
    c.X = malloc((size_t)(c.n * (c.p > 0 ? c.p : 1)) * sizeof(double));
    int64_t jj = 0;
    for (int64_t j = 0; j < X.ncols; j++) {
        if (j == icol) continue;
        memcpy(c.X + jj * c.n, tu_csv_column(&X, j), (size_t)c.n * sizeof(double));
        jj++;
    }
    c.y = malloc((size_t)c.n * sizeof(double));
    c.w = malloc((size_t)c.n * sizeof(double));
    c.off = malloc((size_t)c.n * sizeof(double));
    memcpy(c.y, tu_csv_column(&Y, tu_csv_col(&Y, "y")), (size_t)c.n * sizeof(double));
    memcpy(c.w, tu_csv_column(&Y, tu_csv_col(&Y, "weights")), (size_t)c.n * sizeof(double));
    memcpy(c.off, tu_csv_column(&Y, tu_csv_col(&Y, "offset")), (size_t)c.n * sizeof(double));
    ck_assert_int_eq(Y.nrows, c.n);
    tu_csv_free(&X);
    tu_csv_free(&Y);
    return c;
}

static inline void glm_case_free(glm_case *c)
{
    cJSON_Delete(c->j);
    free(c->X);
    free(c->y);
    free(c->w);
    free(c->off);
    free(c->start);
}

/* Fit a case with the given solver; returns the fit status, *out the model. */
/* Fit a case with a solver over `threads` row ranges (OCCAM_OPT_THREADS). */
/* Fit case c (solver, threads; keep_data: OCCAM_OPT_KEEP_DATA, per-row
 * results in the model file). */
static inline int glm_fit_case_keep(const glm_case *c, int solver, int threads, int keep_data, occam_model **out)
{
    occam_model *m = NULL;
    ck_assert_int_eq(occam_glm_new(c->family, c->link, &m), OCCAM_OK);
    if (c->start) ck_assert_int_eq(occam_glm_set_start(m, c->start, c->nstart), OCCAM_OK);
    occam_opts *o = NULL;
    ck_assert_int_eq(occam_opts_new(&o), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_double(o, OCCAM_OPT_EPSILON, c->epsilon), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_MAXIT, c->maxit), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_INTERCEPT, c->intercept), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_SOLVER, solver), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_HALVE_ON_INCREASE, c->halve_on_increase), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_THREADS, threads), OCCAM_OK);
    ck_assert_int_eq(occam_opts_set_int(o, OCCAM_OPT_KEEP_DATA, keep_data), OCCAM_OK);
    int rc = occam_model_fit(m, o, c->X, c->n, c->p, c->n, OCCAM_COL_MAJOR, c->y, c->has_w ? c->w : NULL,
                             c->has_off ? c->off : NULL);
    occam_opts_free(o);
    *out = m;
    return rc;
}

static inline int glm_fit_case_threads(const glm_case *c, int solver, int threads, occam_model **out)
{
    return glm_fit_case_keep(c, solver, threads, 0, out);
}

static inline int glm_fit_case(const glm_case *c, int solver, occam_model **out)
{
    return glm_fit_case_threads(c, solver, 1, out);
}

/* Expected condition bits from R's warnings (glm()'s "warnings" and, where
 * the case records them, summary()'s "summary_warnings") and the aliased
 * pattern. */
static inline int glm_expected_conditions(const glm_case *c)
{
    int cond = 0;
    const cJSON *w;
    cJSON_ArrayForEach(w, tu_json_get(c->j, "warnings"))
    {
        const char *s = w->valuestring;
        if (strstr(s, "did not converge")) cond |= OCCAM_COND_NOT_CONVERGED;
        if (strstr(s, "stopped at boundary value")) cond |= OCCAM_COND_BOUNDARY;
        if (strstr(s, "fitted probabilities numerically 0 or 1")) cond |= OCCAM_COND_FITTED_01;
        if (strstr(s, "fitted rates numerically 0")) cond |= OCCAM_COND_FITTED_ZERO;
        if (strstr(s, "non-integer")) cond |= OCCAM_COND_NON_INTEGER;
        if (strcmp(s, "step size truncated due to divergence") == 0) cond |= OCCAM_COND_STEP_DIVERGENCE;
        if (strcmp(s, "step size truncated: out of bounds") == 0) cond |= OCCAM_COND_STEP_OUT_OF_BOUNDS;
    }
    const cJSON *sw = cJSON_GetObjectItemCaseSensitive(c->j, "summary_warnings");
    cJSON_ArrayForEach(w, sw)
    {
        if (strcmp(w->valuestring, "observations with zero weight not used for calculating dispersion") == 0)
            cond |= OCCAM_COND_ZERO_WEIGHTS;
    }
    const cJSON *a;
    cJSON_ArrayForEach(a, tu_json_get(c->j, "aliased"))
    {
        if (cJSON_IsTrue(a)) cond |= OCCAM_COND_RANK_DEFICIENT;
    }
    return cond;
}

/* The status a fit with these condition bits returns: the smallest warning
 * code among them (bit code - 1), OCCAM_OK for none. */
static inline int glm_expected_status(int cond)
{
    for (int b = 0; b < 31; b++)
        if (cond & (1 << b)) return b + 1;
    return OCCAM_OK;
}

#endif
