/*
 * cli_stats.c -- `--stats-csv FILE` of every `occam fit`: one row of the
 * model's statistics under R's names (issue 14 point 2), for a table of
 * many fits without parsing the printed summary.
 *
 * Columns (NA where the kind does not define one):
 *   nobs, df.residual, df.null, deviance, null.deviance, aic, bic, logLik,
 *   dispersion, iter, converged       R's nobs(), df.residual(), $df.null,
 *                                     deviance(), $null.deviance, AIC(),
 *                                     BIC(), logLik(), summary()$dispersion,
 *                                     $iter, $converged (TRUE/FALSE)
 *   sigma, r.squared, adj.r.squared,  summary.lm's (linear models)
 *   fstatistic, f.numdf, f.dendf
 *   conditions                        the fit's warning conditions
 *                                     (OCCAM_COND_*), ';'-separated names,
 *                                     or "none"
 * BIC = -2 logLik + log(nobs) df, with df the logLik's degrees of freedom
 * (R's attr(logLik, "df")), found from AIC = -2 logLik + 2 df.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static double info(const occam_model *m, int key)
{
    double v = NAN;
    return occam_model_info(m, key, &v) == OCCAM_OK ? v : NAN;
}

static const char *const cond_names[] = {"not_converged", "boundary", "fitted_01", "fitted_zero",
                                         "rank_deficient", "non_integer", "step_divergence",
                                         "step_out_of_bounds", "zero_weights", "perfect_fit",
                                         "overflow", "no_dropout"};

static void put_conditions(FILE *f, int flags)
{
    if (flags == 0) {
        fputs("none", f);
        return;
    }
    int first = 1;
    for (int b = 0; b < 31; b++) {
        if (!(flags & (1 << b))) continue;
        if (!first) fputc(';', f);
        first = 0;
        if ((size_t)b < sizeof cond_names / sizeof cond_names[0]) fputs(cond_names[b], f);
        else fprintf(f, "bit%d", b);
    }
}

int cli_write_stats_csv(const char *cmd, const occam_model *m, const char *path)
{
    if (!path || !cli_reporting()) return 0;
    static const int keys[] = {OCCAM_INFO_NOBS,      OCCAM_INFO_DF_RESIDUAL, OCCAM_INFO_DF_NULL,
                               OCCAM_INFO_DEVIANCE,  OCCAM_INFO_NULL_DEVIANCE, OCCAM_INFO_AIC,
                               0 /* bic */,          OCCAM_INFO_LOGLIK,      OCCAM_INFO_DISPERSION,
                               OCCAM_INFO_ITER,      OCCAM_INFO_CONVERGED,   OCCAM_INFO_SIGMA,
                               OCCAM_INFO_R_SQUARED, OCCAM_INFO_ADJ_R_SQUARED, OCCAM_INFO_FSTATISTIC,
                               OCCAM_INFO_F_NUMDF,   OCCAM_INFO_F_DENDF};
    enum { NK = sizeof keys / sizeof keys[0] };
    double v[NK];
    for (int j = 0; j < NK; j++) v[j] = keys[j] ? info(m, keys[j]) : NAN;
    double df = (v[5] + 2 * v[7]) / 2; /* AIC = -2 logLik + 2 df */
    v[6] = -2 * v[7] + log(v[0]) * df;
    int flags = 0;
    occam_model_conditions(m, &flags);
    char label[256];
    snprintf(label, sizeof label, "%s: --stats-csv", cmd);
    FILE *f = NULL;
    cli_outfile *o = NULL;
    int rc = cli_outfile_open(label, path, &o, &f);
    if (rc) return rc;
    fputs("nobs,df.residual,df.null,deviance,null.deviance,aic,bic,logLik,dispersion,iter,converged,sigma,"
          "r.squared,adj.r.squared,fstatistic,f.numdf,f.dendf,conditions\n", f);
    for (int j = 0; j < NK; j++) {
        if (keys[j] == OCCAM_INFO_CONVERGED) fputs(isnan(v[j]) ? "NA" : v[j] != 0 ? "TRUE" : "FALSE", f);
        else cli_put_number(f, v[j]);
        fputc(',', f);
    }
    put_conditions(f, flags);
    fputc('\n', f);
    return cli_outfile_commit(o);
}
