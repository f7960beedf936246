/*
 * cli_rprint.c -- printing numbers and tables the way R does, so that
 * `occam fit` output reads like summary(lm(...)) / summary(glm(...)).
 *
 * Mirrors R 4.2 sources: formatReal() and scientific() in src/main/format.c
 * (common formatting of a numeric vector: fixed unless scientific is
 * narrower), format.pval(), printCoefmat() and print.summary.lm() in
 * src/library/stats/R/lm.R and src/library/base/R/format.R.  Quotes in the
 * significance legend are ASCII, as R prints them in the C locale.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CELL 64 /* room for one formatted number */

/* ------------------------------------------------------------ format() */

/* How formatReal() chose to print a vector: fixed with d decimals (e == 0)
 * or scientific with d mantissa decimals (e > 0). */
typedef struct rfmt {
    int d, e;
} rfmt;

/* R's scientific(): sign, decimal exponent, number of significant digits
 * (<= digits) and whether rounding to `digits` widens the fixed form. */
static void scientific(double x, int digits, int *neg, int *kpower, int *nsig, int *widens)
{
    if (x == 0.0) {
        *neg = 0;
        *kpower = 0;
        *nsig = 1;
        *widens = 0;
        return;
    }
    *neg = x < 0;
    double r = fabs(x);
    char buf[CELL];
    snprintf(buf, sizeof buf, "%.*e", digits - 1, r); /* d.ddddde+XX, correctly rounded */
    char *e = strchr(buf, 'e');
    *kpower = atoi(e + 1);
    int sig = digits;
    for (char *c = e - 1; sig > 1 && *c == '0'; c--)
        sig--;
    *nsig = sig;
    int rgt = digits - *kpower;
    rgt = rgt < 0 ? 0 : rgt > 22 ? 22 : rgt;
    double fuzz = 0.5 / pow(10.0, rgt);
    *widens = *kpower > 0 && *kpower <= 22 && r < pow(10.0, *kpower) - fuzz;
}

/* R's formatReal(): the common format of the finite values of x[0..n). */
static rfmt format_real(const double *x, int64_t n, int digits)
{
    int neg = 0, rgt = INT32_MIN, mxl = INT32_MIN, mxsl = INT32_MIN, mxns = INT32_MIN;
    int mxe = INT32_MIN, mne = INT32_MAX;
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            continue;
        int neg_i, kpower, nsig, widens;
        scientific(x[i], digits, &neg_i, &kpower, &nsig, &widens);
        int left = kpower + 1;
        if (widens)
            left--;
        int sleft = neg_i + (left <= 0 ? 1 : left);
        int right = nsig - left;
        neg |= neg_i;
        if (right > rgt) rgt = right;
        if (left > mxl) mxl = left;
        if (sleft > mxsl) mxsl = sleft;
        if (nsig > mxns) mxns = nsig;
        if (kpower > mxe) mxe = kpower;
        if (kpower < mne) mne = kpower;
    }
    rfmt f = {0, 0};
    if (mxl == INT32_MIN) /* no finite value */
        return f;
    if (mxl < 0)
        mxsl = 1 + neg;
    if (rgt < 0)
        rgt = 0;
    int wF = mxsl + rgt + (rgt != 0);
    int e = (mxe >= 100 || mne <= -99) ? 2 : 1;
    int d = mxns - 1;
    int wE = neg + (d > 0) + d + 4 + e;
    if (wF <= wE) { /* R_print.scipen = 0 */
        f.e = 0;
        f.d = rgt;
    } else {
        f.e = e;
        f.d = d;
    }
    return f;
}

/* One value in format f (no padding): "NaN", "Inf", "-Inf" for those. */
static void encode_real(double x, rfmt f, char *buf, size_t cap)
{
    if (isnan(x))
        snprintf(buf, cap, "NaN");
    else if (isinf(x))
        snprintf(buf, cap, x > 0 ? "Inf" : "-Inf");
    else {
        if (x == 0.0)
            x = 0.0; /* drop the sign of negative zero, as R does */
        snprintf(buf, cap, f.e ? "%.*e" : "%.*f", f.d, x);
    }
}

void cli_format_num(double x, int digits, char *buf, size_t cap)
{
    encode_real(x, format_real(&x, 1, digits), buf, cap);
}

/* R's round(x, d) and signif(x, d) through correctly rounded decimal text. */
static double r_round(double x, int d)
{
    if (!isfinite(x))
        return x;
    char buf[400];
    snprintf(buf, sizeof buf, "%.*f", d, x);
    return strtod(buf, NULL);
}

static double r_signif(double x, int d)
{
    if (!isfinite(x) || x == 0.0)
        return x;
    char buf[CELL];
    snprintf(buf, sizeof buf, "%.*e", d - 1, x);
    return strtod(buf, NULL);
}

/* Format the n values of x (all finite or NaN) together into cells. */
static void format_vector(const double *x, int64_t n, int digits, char (*cells)[CELL])
{
    rfmt f = format_real(x, n, digits);
    for (int64_t i = 0; i < n; i++)
        encode_real(x[i], f, cells[i], CELL);
}

/* Right-justify every cell of cells[0..n) to the widest one (R's format()
 * returns a character vector of one common width). */
static void pad_common(char (*cells)[CELL], int64_t n)
{
    size_t w = 0;
    for (int64_t i = 0; i < n; i++)
        w = strlen(cells[i]) > w ? strlen(cells[i]) : w;
    for (int64_t i = 0; i < n; i++) {
        size_t len = strlen(cells[i]);
        if (len < w && w < CELL) {
            memmove(cells[i] + (w - len), cells[i], len + 1);
            memset(cells[i], ' ', w - len);
        }
    }
}

void cli_format_vector(const double *x, int64_t n, int digits, char *cells, size_t cap)
{
    char(*tmp)[CELL] = malloc((size_t)(n > 0 ? n : 1) * sizeof *tmp);
    if (!tmp) {
        for (int64_t i = 0; i < n; i++)
            snprintf(cells + (size_t)i * cap, cap, "%.*g", digits, x[i]);
        return;
    }
    format_vector(x, n, digits, tmp);
    pad_common(tmp, n);
    for (int64_t i = 0; i < n; i++)
        snprintf(cells + (size_t)i * cap, cap, "%s", tmp[i]);
    free(tmp);
}

/* ------------------------------------------------------------ format.pval */

/* R's format.pval(pv, digits, eps = .Machine$double.eps) on a vector; NaN
 * entries give "NA". */
static void format_pval_vec(const double *pv, int64_t n, int digits, char (*cells)[CELL])
{
    double *group = malloc((size_t)(n > 0 ? n : 1) * sizeof *group);
    int64_t *idx = malloc((size_t)(n > 0 ? n : 1) * sizeof *idx);
    char(*tmp)[CELL] = malloc((size_t)(n > 0 ? n : 1) * sizeof *tmp);
    if (!group || !idx || !tmp) {
        for (int64_t i = 0; i < n; i++)
            snprintf(cells[i], CELL, "%.*g", digits, pv[i]);
        free(group);
        free(idx);
        free(tmp);
        return;
    }
    /* Pass 0: exponent >= -3 (or -4 when digits > 1); pass 1: the others. */
    int any_rest = 0;
    size_t nc = 0;
    for (int pass = 0; pass < 2; pass++) {
        int64_t m = 0;
        for (int64_t i = 0; i < n; i++) {
            if (isnan(pv[i]) || pv[i] < DBL_EPSILON)
                continue;
            double expo = floor(log10(pv[i]));
            int fixp = expo >= -3 || (expo == -4 && digits > 1);
            if (fixp == (pass == 0)) {
                group[m] = pv[i];
                idx[m++] = i;
            }
        }
        format_vector(group, m, digits, tmp);
        for (int64_t q = 0; q < m; q++) {
            strcpy(cells[idx[q]], tmp[q]);
            size_t len = strlen(tmp[q]);
            if (len > nc)
                nc = len;
            any_rest = 1;
        }
    }
    int d0 = digits - 2 > 1 ? digits - 2 : 1;
    const char *sep;
    if (any_rest) {
        if (d0 > 1 && (size_t)d0 + 6 > nc)
            d0 = (int)nc - 7 > 1 ? (int)nc - 7 : 1;
        sep = (d0 == 1 && nc <= 6) ? "" : " ";
    } else {
        sep = d0 == 1 ? "" : " ";
    }
    char eps[24];
    cli_format_num(DBL_EPSILON, d0, eps, sizeof eps);
    for (int64_t i = 0; i < n; i++) {
        if (isnan(pv[i]))
            snprintf(cells[i], CELL, "NA");
        else if (pv[i] < DBL_EPSILON)
            snprintf(cells[i], CELL, "<%s%s", sep, eps);
    }
    free(group);
    free(idx);
    free(tmp);
}

void cli_format_pval(double p, int digits, char *buf, size_t cap)
{
    char cell[1][CELL];
    format_pval_vec(&p, 1, digits, cell);
    snprintf(buf, cap, "%s", cell[0]);
}

/* ------------------------------------------------------------ printCoefmat */

/* Display width of UTF-8 text (code points). */
static int text_width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void put_padded(FILE *out, const char *s, int width, int right)
{
    int pad = width - text_width(s);
    if (right)
        fprintf(out, "%*s%s", pad > 0 ? pad : 0, "", s);
    else
        fprintf(out, "%s%*s", s, pad > 0 ? pad : 0, "");
}

static const char *stars(double p)
{
    if (isnan(p)) return "";
    if (p <= 0.001) return "***";
    if (p <= 0.01) return "**";
    if (p <= 0.05) return "*";
    if (p <= 0.1) return ".";
    return " ";
}

/* The formatted table: k rows of up to 5 cells (estimate, std. error,
 * statistic, p-value, stars). */
struct coefmat {
    int64_t k;
    int ncol;            /* 2 (estimate, SE) or 4 */
    int show_stars;
    double *v;           /* 4*k values, column c at v + c*k; NaN = NA */
    char (*cell)[CELL];  /* 5*k cells, column c at cell + c*k */
    char **rownames;     /* k names */
    int *aliased;        /* k flags */
};

/* Columns 0-1 (printCoefmat's cs.ind): rounded to a common number of
 * decimals from the smallest magnitude, then formatted together. */
static void format_coef_se(struct coefmat *t, int digits)
{
    int64_t k = t->k, m = 0;
    double amin = INFINITY;
    int any_finite = 0;
    for (int64_t i = 0; i < 2 * k; i++) {
        double a = fabs(t->v[i]);
        if (!isfinite(a))
            continue;
        any_finite = 1;
        if (a != 0 && a < amin)
            amin = a;
    }
    if (!any_finite)
        return;
    int digmin = 1 + (isfinite(amin) ? (int)floor(log10(amin)) : 0);
    int rnd = digits - digmin > 1 ? digits - digmin : 1;
    double *r = malloc((size_t)(2 * k) * sizeof *r);
    char(*tmp)[CELL] = malloc((size_t)(2 * k) * sizeof *tmp);
    if (!r || !tmp) {
        free(r);
        free(tmp);
        return;
    }
    for (int64_t i = 0; i < 2 * k; i++)
        r[i] = r_round(t->v[i], rnd);
    /* format() of the estimate and SE matrix: one format and one width for
     * both columns (so a wide SE widens the Estimate column, as in R) */
    format_vector(r, 2 * k, digits, t->cell);
    pad_common(t->cell, 2 * k);
    /* Nonzero values that print as zero are redone with digits - 1 (together). */
    double *redo = r;
    int64_t *where = malloc((size_t)(2 * k) * sizeof *where);
    if (where) {
        for (int64_t i = 0; i < 2 * k; i++) {
            if (isnan(t->v[i]))
                continue;
            if ((t->v[i] == 0) != (strtod(t->cell[i], NULL) == 0)) {
                redo[m] = t->v[i];
                where[m++] = i;
            }
        }
        format_vector(redo, m, digits - 1 > 1 ? digits - 1 : 1, tmp);
        pad_common(tmp, m);
        for (int64_t q = 0; q < m; q++)
            strcpy(t->cell[where[q]], tmp[q]);
        free(where);
    }
    free(r);
    free(tmp);
}

static int build_coefmat(const occam_model *m, struct coefmat *t, int digits)
{
    int64_t k = 0;
    int st = occam_model_dims(m, &k, NULL);
    if (st < 0)
        return cli_fail_status(st, "cannot read the coefficients");
    t->k = k;
    t->v = malloc((size_t)(4 * (k ? k : 1)) * sizeof *t->v);
    t->cell = calloc((size_t)(5 * (k ? k : 1)), sizeof *t->cell);
    t->rownames = calloc((size_t)(k ? k : 1), sizeof *t->rownames);
    int *aliased = malloc((size_t)(k ? k : 1) * sizeof *aliased);
    t->aliased = aliased;
    if (!t->v || !t->cell || !t->rownames || !aliased)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    static const int columns[4] = {OCCAM_COEF_ESTIMATE, OCCAM_COEF_STD_ERROR, OCCAM_COEF_STATISTIC,
                                   OCCAM_COEF_P_VALUE};
    for (int c = 0; c < 4 && st >= 0; c++)
        st = occam_model_coef(m, columns[c], t->v + c * k, k);
    if (st >= 0)
        st = occam_model_aliased(m, aliased, k);
    if (st < 0)
        return cli_fail_status(st, "cannot read the coefficient table");
    for (int64_t j = 0; j < k; j++)
        if (aliased[j])
            for (int c = 0; c < 4; c++)
                t->v[c * k + j] = NAN;
    for (int64_t j = 0; j < k; j++) {
        size_t need = 0;
        occam_model_coef_name(m, j, NULL, 0, &need);
        t->rownames[j] = malloc(need ? need : 1);
        if (!t->rownames[j])
            return cli_fail(CLI_EXIT_FAILURE, "out of memory");
        if ((st = occam_model_coef_name(m, j, t->rownames[j], need ? need : 1, NULL)) < 0)
            return cli_fail_status(st, "cannot read the coefficient names");
    }
    t->ncol = occam_model_kind(m) == OCCAM_MODEL_PNBD ? 2 : 4;

    format_coef_se(t, digits);
    if (t->ncol == 4) {
        int dig_tst = digits - 1 < 5 ? (digits - 1 > 1 ? digits - 1 : 1) : 5;
        double *r = malloc((size_t)(k ? k : 1) * sizeof *r);
        if (!r)
            return cli_fail(CLI_EXIT_FAILURE, "out of memory");
        for (int64_t j = 0; j < k; j++)
            r[j] = r_round(t->v[2 * k + j], dig_tst);
        format_vector(r, k, digits, t->cell + 2 * k);
        free(r);
        format_pval_vec(t->v + 3 * k, k, dig_tst, t->cell + 3 * k);
        for (int64_t j = 0; j < k; j++)
            t->show_stars |= t->v[3 * k + j] < 0.1;
        for (int64_t j = 0; j < k && t->show_stars; j++)
            snprintf(t->cell[4 * k + j], CELL, "%s", stars(t->v[3 * k + j]));
    }
    /* R: NA for aliased coefficients, NaN for other NaN values */
    for (int64_t i = 0; i < 4 * k; i++)
        if (isnan(t->v[i]))
            snprintf(t->cell[i], CELL, "%s", t->aliased[i % k] ? "NA" : "NaN");
    return 0;
}

static void free_coefmat(struct coefmat *t)
{
    for (int64_t j = 0; t->rownames && j < t->k; j++)
        free(t->rownames[j]);
    free(t->rownames);
    free(t->aliased);
    free(t->v);
    free(t->cell);
}

/* print.default(quote = FALSE, right = TRUE) of the character matrix. */
static void print_coefmat(FILE *out, const struct coefmat *t, int z)
{
    const char *head[5] = {"Estimate", "Std. Error", z ? "z value" : "t value", z ? "Pr(>|z|)" : "Pr(>|t|)", ""};
    int ncol = t->ncol + t->show_stars;
    int width[5] = {0};
    int rw = 0;
    for (int64_t j = 0; j < t->k; j++) {
        int w = text_width(t->rownames[j]);
        rw = w > rw ? w : rw;
    }
    for (int c = 0; c < ncol; c++) {
        width[c] = text_width(head[c]);
        for (int64_t j = 0; j < t->k; j++) {
            int w = text_width(t->cell[c * t->k + j]);
            width[c] = w > width[c] ? w : width[c];
        }
    }
    fprintf(out, "%*s", rw, "");
    for (int c = 0; c < ncol; c++) {
        fputc(' ', out);
        put_padded(out, head[c], width[c], 1);
    }
    fputc('\n', out);
    for (int64_t j = 0; j < t->k; j++) {
        put_padded(out, t->rownames[j], rw, 0);
        for (int c = 0; c < ncol; c++) {
            fputc(' ', out);
            /* the stars column is left-justified by format() */
            put_padded(out, t->cell[c * t->k + j], width[c], c < 4);
        }
        fputc('\n', out);
    }
    if (t->show_stars)
        fputs("---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n", out);
}

/* R prints NaN standard errors without a word when no residual degrees of
 * freedom are left to estimate the dispersion (a saturated fit); occam
 * says why under the table (issue 14: a deliberate addition to R's text). */
static int undefined_se(const occam_model *m, const struct coefmat *t)
{
    double df = NAN;
    if (occam_model_info(m, OCCAM_INFO_DF_RESIDUAL, &df) < 0 || df != 0)
        return 0;
    for (int64_t j = 0; j < t->k; j++)
        if (!t->aliased[j] && isnan(t->v[t->k + j]))
            return 1;
    return 0;
}

int cli_print_coef_table(FILE *out, const occam_model *m)
{
    struct coefmat t = {0};
    int rc = build_coefmat(m, &t, 4);
    if (rc) {
        free_coefmat(&t);
        return rc;
    }
    int64_t n_aliased = 0;
    for (int64_t j = 0; j < t.k; j++)
        n_aliased += t.aliased[j] != 0;
    double tstat = 1;
    if (occam_model_info(m, OCCAM_INFO_T_STATISTIC, &tstat) < 0)
        tstat = 1;
    if (t.k == 0)
        fputs("\nNo Coefficients\n", out);
    else {
        if (n_aliased)
            fprintf(out, "\nCoefficients: (%lld not defined because of singularities)\n", (long long)n_aliased);
        else
            fputs("\nCoefficients:\n", out);
        print_coefmat(out, &t, tstat == 0);
        if (undefined_se(m, &t))
            fputs("(residual df = 0: standard errors are undefined)\n", out);
    }
    free_coefmat(&t);
    return 0;
}

/* ------------------------------------------------------------ residuals */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* print.default(digits) of a named numeric vector: each entry right-justified
 * in the common width, followed by `gap` spaces; lines of at most 80 chars. */
static void print_named(FILE *out, char (*names)[CELL], const double *x, int64_t n, int digits, int gap)
{
    char(*cells)[CELL] = malloc((size_t)(n ? n : 1) * sizeof *cells);
    if (!cells)
        return;
    format_vector(x, n, digits, cells);
    int w = 0;
    for (int64_t i = 0; i < n; i++) {
        int a = text_width(cells[i]), b = text_width(names[i]);
        w = a > w ? a : w;
        w = b > w ? b : w;
    }
    int64_t perline = 80 / (w + gap);
    if (perline < 1)
        perline = 1;
    for (int64_t start = 0; start < n; start += perline) {
        int64_t end = start + perline < n ? start + perline : n;
        for (int64_t i = start; i < end; i++)
            fprintf(out, "%*s%*s", w, names[i], gap, "");
        fputc('\n', out);
        for (int64_t i = start; i < end; i++)
            fprintf(out, "%*s%*s", w, cells[i], gap, "");
        fputc('\n', out);
    }
    free(cells);
}

/* R's zapsmall(x, digits). */
static void zapsmall(double *x, int64_t n, int digits)
{
    double mx = 0;
    for (int64_t i = 0; i < n; i++)
        if (isfinite(x[i]) && fabs(x[i]) > mx)
            mx = fabs(x[i]);
    int d = digits;
    if (mx > 0) { /* round() takes the nearest integer number of digits */
        double dd = digits - log10(mx);
        d = dd > 0 ? (int)floor(dd + 0.5) : 0;
    }
    for (int64_t i = 0; i < n; i++)
        x[i] = r_round(x[i], d);
}

void cli_quantiles_of_sorted(const double *s, int64_t n, double q[5])
{
    for (int i = 0; i < 5; i++) { /* quantile type 7 */
        int64_t lo, hi;
        double frac;
        cli_quantile_ranks(n, i, &lo, &hi, &frac);
        q[i] = (frac > 0 && s[hi] != s[lo]) ? (1 - frac) * s[lo] + frac * s[hi] : s[lo];
    }
}

void cli_quantile_ranks(int64_t n, int i, int64_t *lo, int64_t *hi, double *frac)
{
    double h = (double)(n - 1) * (0.25 * i);
    *lo = (int64_t)floor(h);
    *hi = *lo + 1 < n ? *lo + 1 : *lo;
    *frac = h - (double)*lo;
}

void cli_print_resid_quantiles(FILE *out, const double quantiles[5], int digits, enum cli_resid_style style)
{
    int gap = style == CLI_RESID_GLM ? 2 : 1;
    double q[5];
    memcpy(q, quantiles, sizeof q);
    zapsmall(q, 5, digits + 1);
    char names[5][CELL] = {"Min", "1Q", "Median", "3Q", "Max"};
    print_named(out, names, q, 5, digits, gap);
}

void cli_print_resid_summary(FILE *out, const double *resid, int64_t n, double df_residual, int digits,
                             enum cli_resid_style style)
{
    int gap = style == CLI_RESID_GLM ? 2 : 1;
    if (style == CLI_RESID_GLM && !(df_residual > 0) && n > 0)
        df_residual = 0.5; /* summary.glm prints the residuals even then */
    if (!(df_residual > 0)) {
        fprintf(out, "ALL %lld residuals are 0: no residual degrees of freedom!\n", (long long)n);
        return;
    }
    if (df_residual > 5) {
        double *s = malloc((size_t)n * sizeof *s);
        if (!s || n == 0) {
            free(s);
            return;
        }
        memcpy(s, resid, (size_t)n * sizeof *s);
        qsort(s, (size_t)n, sizeof *s, cmp_double);
        double q[5];
        cli_quantiles_of_sorted(s, n, q);
        free(s);
        cli_print_resid_quantiles(out, q, digits, style);
        return;
    }
    char(*names)[CELL] = malloc((size_t)(n ? n : 1) * sizeof *names);
    double *x = malloc((size_t)(n ? n : 1) * sizeof *x);
    if (names && x) {
        for (int64_t i = 0; i < n; i++)
            snprintf(names[i], CELL, "%lld", (long long)i + 1);
        memcpy(x, resid, (size_t)n * sizeof *x);
        if (style == CLI_RESID_GLM)
            zapsmall(x, n, digits + 1);
        print_named(out, names, x, n, digits, gap);
    }
    free(names);
    free(x);
}

/* Exposed for the summary lines of the fit subcommands. */
double cli_signif(double x, int digits)
{
    return r_signif(x, digits);
}
