/*
 * cli_summary.c -- `occam summary MODEL`: the R-style summary of a saved
 * model, without the data (issue 14 point 2): what `occam fit` printed
 * after its call line -- the residual block when the model file holds the
 * fit's rows, the coefficient table, and the statistics lines of
 * print.summary.glm / print.summary.lm, or the Pareto/NBD parameter table,
 * log-likelihood and iterations.  A hand-coded model prints its
 * coefficients.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: occam summary MODEL\n"
    "\n"
    "Print the R-style summary of a saved model (no data needed): the coefficient table\n"
    "and the fit statistics that 'occam fit' printed, with the residual summary when\n"
    "the model file keeps the fit's rows.\n"
    "\n"
    "  -h, --help        show this help\n";

static double info(const occam_model *m, int key)
{
    double v = NAN;
    return occam_model_info(m, key, &v) == OCCAM_OK ? v : NAN;
}

/* The fit's per-row values `which` (all rows passed to the fit), or NULL
 * when the model file has none.  occam_model_rows() takes any room of at
 * least the fit's n rows: n (nobs plus the rows of weight 0) is the least
 * room it takes, found by doubling and then bisection. */
static double *stored_rows(const occam_model *m, int which, int64_t *n)
{
    double nobs = info(m, OCCAM_INFO_NOBS);
    int64_t lo = 0, hi = nobs >= 1 ? (int64_t)nobs : 1; /* rows(lo) fails; rows(hi) is to be tried */
    double *r = NULL;
    for (int st;;) {
        free(r);
        if (!(r = malloc((size_t)hi * sizeof *r))) return NULL;
        if ((st = occam_model_rows(m, which, r, hi)) == OCCAM_OK) break;
        if (st != OCCAM_E_BUFFER_TOO_SMALL || hi > ((int64_t)1 << 40)) {
            free(r);
            return NULL;
        }
        lo = hi;
        hi *= 2;
    }
    while (hi - lo > 1) { /* rows(hi) succeeds, rows(lo) fails */
        int64_t mid = lo + (hi - lo) / 2;
        if (occam_model_rows(m, which, r, mid) == OCCAM_OK) hi = mid;
        else lo = mid;
    }
    occam_model_rows(m, which, r, hi);
    *n = hi;
    return r;
}

static void residual_block(const occam_model *m, int glm, int weighted)
{
    int64_t n = 0;
    double *r = stored_rows(m, glm ? OCCAM_ROWS_RESID_DEVIANCE : OCCAM_ROWS_RESID_PEARSON, &n);
    if (!r) {
        printf("\n(%s not stored in the model file)\n", glm ? "Deviance residuals" : "Residuals");
        return;
    }
    printf(glm ? "\nDeviance Residuals: \n" : "\n%sResiduals:\n", weighted ? "Weighted " : "");
    /* all rows, weight-0 ones too (their residuals are 0), as the fit and R 4.2's summary.glm */
    cli_print_resid_summary(stdout, r, n, info(m, OCCAM_INFO_DF_RESIDUAL), 4, glm ? CLI_RESID_GLM : CLI_RESID_LM);
    free(r);
}

static int summarize(const char *path, const occam_model *m)
{
    int kind = occam_model_kind(m);
    int fitted = occam_model_is_fitted(m) == 1, rc = 0;
    int hand = kind != OCCAM_MODEL_PNBD && isnan(info(m, OCCAM_INFO_NOBS));
    if (kind == OCCAM_MODEL_GLM) {
        int family = (int)info(m, OCCAM_INFO_FAMILY), link = (int)info(m, OCCAM_INFO_LINK);
        printf("\nGeneralized linear model (family = %s, link = \"%s\") saved in %s\n", occam_family_name(family),
               occam_link_name(link), path);
        if (fitted) residual_block(m, 1, 0);
        if (!(rc = cli_print_coef_table(stdout, m)) && fitted) cli_print_glm_deviances(m, family);
    } else if (kind == OCCAM_MODEL_LINEAR) {
        printf("\nLinear model%s saved in %s\n", hand ? " (hand-coded coefficients)" : "", path);
        if (fitted && !hand) residual_block(m, 0, 0);
        if (!(rc = cli_print_coef_table(stdout, m)) && fitted && !hand) cli_print_lm_statistics(m);
    } else if (kind == OCCAM_MODEL_PNBD) {
        double nobs = info(m, OCCAM_INFO_NOBS);
        if (isnan(nobs)) printf("\nPareto/NBD model (given parameters) saved in %s\n", path);
        else printf("\nPareto/NBD model fitted to %.0f customers, saved in %s\n", nobs, path);
        rc = cli_print_pnbd_fit(m);
    } else if (kind == OCCAM_MODEL_GG) {
        double nobs = info(m, OCCAM_INFO_NOBS);
        if (isnan(nobs)) printf("\nGamma-Gamma spend model (given parameters) saved in %s\n", path);
        else printf("\nGamma-Gamma spend model fitted to %.0f customers with x > 0, saved in %s\n", nobs, path);
        rc = isnan(nobs) ? cli_print_coef_table(stdout, m) : cli_print_gg_fit(m);
    } else {
        rc = cli_fail(CLI_EXIT_FAILURE, "summary: '%s' holds a model of a kind this occam does not know (%d)", path, kind);
    }
    return rc;
}

int cli_summary(int argc, char **argv)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    const char *cmd = "summary";
    int c, started = 0;
    while ((c = cli_getopt(argc, argv, longopts, &started)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        }
        return cli_bad_option(cmd, c, argv);
    }
    if (optind >= argc) return cli_fail(CLI_EXIT_USAGE, "summary: missing MODEL file; see 'occam summary --help'");
    const char *path = argv[optind++];
    int rc = cli_no_operands(cmd, argc, argv);
    if (rc) return rc;
    occam_model *m = NULL;
    int st = occam_model_load(path, &m);
    if (st < 0) return cli_fail_status(st, "summary: cannot load the model '%s'", path);
    rc = summarize(path, m);
    occam_model_free(m);
    return rc;
}
