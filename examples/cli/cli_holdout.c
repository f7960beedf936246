/*
 * cli_holdout.c -- `occam fit pnbd --events ... --holdout-end H`: how well
 * the model fitted on the calibration period predicts each customer's
 * repeat transactions in the holdout period (Fader & Hardie's CDNOW
 * validation; lifetimes' calibration_and_holdout_data with
 * plot_calibration_purchases_vs_holdout_purchases, BTYD's
 * pnbd.PlotFreqVsConditionalExpectedFrequency with censor 7).
 *
 * Per customer: actual = x_star, the holdout repeat transactions counted as
 * the calibration ones (same-period purchases merged), predicted =
 * E[X(T, T + horizon] | x, t_x, T] (occam_model_predict,
 * OCCAM_PREDICT_EXPECTED).  Printed: the sums, MAE = mean |actual -
 * predicted|, RMSE = sqrt(mean (actual - predicted)^2), Pearson's
 * correlation of actual and predicted, and per calibration frequency
 * x = 0, 1, ..., 6 and 7+ the customers, mean actual, mean predicted.
 * The customers are those born by the calibration end; the CLI counts the
 * others (first purchase after the calibration end, by the holdout end)
 * and the transactions after the holdout end, and says so.
 */
#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { HO_BUCKETS = 8 }; /* x = 0..6, 7+ */

typedef struct ho_stats {
    double sum_a, sum_p, sum_abs, sum_sq;
    double n_b[HO_BUCKETS], a_b[HO_BUCKETS], p_b[HO_BUCKETS];
    double pearson;
} ho_stats;

/* Pearson's r by the two-pass formula (means first: no cancellation). */
static double pearson(const double *a, const double *p, int64_t n, double ma, double mp)
{
    double saa = 0, spp = 0, sap = 0;
    for (int64_t i = 0; i < n; i++) {
        double da = a[i] - ma, dp = p[i] - mp;
        saa += da * da;
        spp += dp * dp;
        sap += da * dp;
    }
    return saa > 0 && spp > 0 ? sap / sqrt(saa * spp) : NAN;
}

static void ho_compute(const double *X, const double *xs, const double *pred, int64_t n, ho_stats *s)
{
    memset(s, 0, sizeof *s);
    for (int64_t i = 0; i < n; i++) {
        double d = xs[i] - pred[i];
        s->sum_a += xs[i];
        s->sum_p += pred[i];
        s->sum_abs += fabs(d);
        s->sum_sq += d * d;
        int b = X[i] >= HO_BUCKETS - 1 ? HO_BUCKETS - 1 : (int)X[i];
        s->n_b[b] += 1;
        s->a_b[b] += xs[i];
        s->p_b[b] += pred[i];
    }
    s->pearson = pearson(xs, pred, n, s->sum_a / (double)n, s->sum_p / (double)n);
}

static void ho_print(const ho_stats *s, int64_t n, const char *window, int64_t n_late, int64_t n_after)
{
    printf("\nHoldout evaluation (%s), %lld customers:\n", window, (long long)n);
    printf("  repeat transactions in the holdout: actual %.10g, predicted %.10g\n", s->sum_a, s->sum_p);
    printf("  per customer: MAE %.10g, RMSE %.10g, correlation %.10g\n", s->sum_abs / (double)n,
           sqrt(s->sum_sq / (double)n), s->pearson);
    printf("  by calibration frequency (as lifetimes' plot_calibration_purchases_vs_holdout_purchases):\n");
    printf("  %6s %10s %16s %16s\n", "x", "customers", "mean actual", "mean predicted");
    for (int b = 0; b < HO_BUCKETS; b++) {
        char lab[8];
        snprintf(lab, sizeof lab, b == HO_BUCKETS - 1 ? "%d+" : "%d", b);
        if (s->n_b[b] == 0)
            printf("  %6s %10d %16s %16s\n", lab, 0, "-", "-");
        else
            printf("  %6s %10.0f %16.10g %16.10g\n", lab, s->n_b[b], s->a_b[b] / s->n_b[b], s->p_b[b] / s->n_b[b]);
    }
    if (n_late > 0)
        printf("  Note: %lld customer(s) whose first purchase falls after the calibration end excluded\n"
               "  (no calibration history to predict from).\n",
               (long long)n_late);
    if (n_after > 0)
        printf("  Note: %lld transaction(s) after the holdout end ignored.\n", (long long)n_after);
}

static int ho_write_csv(const char *path, const double *X, const double *xs, const double *pred, int64_t n,
                        cli_label_fn label, const void *ctx)
{
    if (!path || !cli_reporting())
        return 0;
    FILE *f = NULL;
    cli_outfile *o = NULL;
    int rc = cli_outfile_open("fit pnbd: --holdout-csv", path, &o, &f);
    if (rc)
        return rc;
    fputs("id,x,t_x,T,x_star,predicted\n", f);
    for (int64_t i = 0; i < n; i++) {
        char buf[32];
        const char *id = label(ctx, i, buf, sizeof buf);
        if (strpbrk(id, ",\"\r\n"))
            csv_fwrite(f, id, strlen(id));
        else
            fputs(id, f);
        const double v[5] = {X[i], X[i + n], X[i + 2 * n], xs[i], pred[i]};
        for (int j = 0; j < 5; j++) {
            fputc(',', f);
            cli_put_number(f, v[j]);
        }
        fputc('\n', f);
    }
    return cli_outfile_commit(o);
}

int cli_holdout_report(const occam_model *m, const double *X, const double *x_star, int64_t n, double horizon,
                       const char *window, int64_t n_late, int64_t n_after, const char *csv_path,
                       cli_label_fn label, const void *label_ctx)
{
    double *pred = malloc((size_t)(n > 0 ? n : 1) * sizeof *pred);
    if (!pred)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    int st = occam_model_predict(m, OCCAM_PREDICT_EXPECTED, horizon, X, n, 3, n, OCCAM_COL_MAJOR, NULL, pred, NULL, n);
    int rc = cli_fail_status(st, "fit pnbd: the holdout predictions");
    if (!rc) {
        ho_stats s;
        ho_compute(X, x_star, pred, n, &s);
        if (cli_reporting())
            ho_print(&s, n, window, n_late, n_after);
        rc = ho_write_csv(csv_path, X, x_star, pred, n, label, label_ctx);
    }
    free(pred);
    return rc;
}
