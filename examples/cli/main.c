/*
 * main.c -- the `occam` command: top-level options, subcommand dispatch.
 *
 *   occam [--help | --version]
 *   occam fit linear|glm|pnbd [options]
 *   occam model linear|pnbd [options]
 *   occam predict MODEL --data FILE.csv [options]
 *
 * Exit status: 0 success, 1 failure (data, library, I/O), 2 bad command line.
 * docs/cli.md documents every subcommand.
 */
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: occam <command> [options]\n"
    "\n"
    "Fit simple-first statistical models on CSV files (with a header row), save\n"
    "them, and predict with them.  Files are read in chunks ('--data -': standard\n"
    "input, for predict and fit pnbd, or data of one chunk).\n"
    "\n"
    "Commands and all their options:\n"
    "  fit linear   --data FILE.csv --y COL [--x COL,...] [--offset COL] [--weights COL]\n"
    "               [--exclude COL,...] [--formula 'y ~ a * b'] [--no-intercept]\n"
    "               [--chunk-rows N] [--threads N]\n"
    "               [--save MODEL] [--coef-csv FILE] [--stats-csv FILE]\n"
    "               least squares (R's lm): coefficient table and fit statistics\n"
    "  fit glm      --data FILE.csv (--y COL [--x COL,... | --exclude COL,...]\n"
    "               | --formula 'y ~ a * b') --family NAME [--link NAME]\n"
    "               [--weights COL] [--offset COL] [--no-intercept] [--start B1,...]\n"
    "               [--epsilon E] [--maxit N] [--solver auto|qr|cholesky]\n"
    "               [--halve-on-increase] [--fast] [--threads N] [--chunk-rows N] [--save MODEL]\n"
    "               [--coef-csv FILE] [--stats-csv FILE] [--keep-data]\n"
    "               generalized linear model by IRLS (R's glm)\n"
    "  fit pnbd     (--data FILE.csv [--x COL] [--tx COL] [--T COL] [--weights COL]\n"
    "                 [--unit weeks|days|other [--unit-days D]]\n"
    "               | --events FILE.csv --id COL --time COL --calibration-end VALUE\n"
    "                 [--unit weeks|days] [--merge-period P] [--summary-csv FILE]\n"
    "                 [--tracking-csv FILE] [--holdout-end VALUE [--holdout-csv FILE]])\n"
    "               [--top N] [--grad-tol G] [--maxit N] [--chunk-rows N] [--threads N]\n"
    "               [--save MODEL] [--coef-csv FILE] [--stats-csv FILE]\n"
    "               Pareto/NBD customer-base model, from customer summaries or a\n"
    "               transaction log\n"
    "  fit gg       --data FILE.csv [--x COL] [--m COL] [--weights COL] [--grad-tol G]\n"
    "               [--maxit N] [--chunk-rows N] [--save MODEL] [--coef-csv FILE]\n"
    "               [--stats-csv FILE] [--unit weeks|days|other [--unit-days D]]\n"
    "               | --events FILE.csv --id COL --time COL --value COL --calibration-end V\n"
    "               [--merge-period P] [--summary-csv FILE] ...\n"
    "               Gamma-Gamma spend model from (x, m_x) customer rows or a transaction log\n"
    "  model linear (--intercept B0 | --no-intercept) --coef B1,B2,...\n"
    "               [--names A,B,...] --save MODEL\n"
    "               hand-coded linear model from given numbers, no data needed\n"
    "  model pnbd   --r R --alpha A --s S --beta B [--save MODEL] [--coef-csv FILE]\n"
    "               [--unit weeks|days|other [--unit-days D]]\n"
    "               Pareto/NBD model from given parameters\n"
    "  predict      MODEL --data FILE.csv [--type TYPE] [--horizon T] [--discount DELTA]\n"
    "               [--offset COL] [--id COL] [--se-fit] [--output FILE] [--chunk-rows N]\n"
    "               [--threads N] [--unit weeks|days|other [--unit-days D]]\n"
    "               [--x COL] [--tx COL] [--T COL] [--m COL]\n"
    "               predictions as CSV on stdout or in FILE\n"
    "  residuals    MODEL --data FILE.csv --y COL [--type TYPE] [--weights COL]\n"
    "               [--offset COL] [--id COL] [--output FILE] [--chunk-rows N]\n"
    "               R's residuals (deviance, pearson, working, response) on a CSV\n"
    "  clv          --pnbd PNBDMODEL --gg GGMODEL --data FILE.csv\n"
    "               (--discount DELTA | --annual-discount RATE [--periods-per-year K])\n"
    "               [--margin M] [--horizon H] [--id COL] [--output FILE] [--chunk-rows N]\n"
    "               [--unit weeks|days|other [--unit-days D]]\n"
    "               customer lifetime value: P(alive), expected, DERT, spend, CLV per row\n"
    "  summary      MODEL\n"
    "               the R-style summary of a saved model (no data needed)\n"
    "  plot         tracking|holdout|palive|spend --output PREFIX [--csv FILE] ...\n"
    "               Pareto/NBD plots drawn by gnuplot (SVG, PNG) when it is on PATH\n"
    "\n"
    "Run 'occam <command> --help' (e.g. 'occam fit glm --help') for what each\n"
    "option means (and 'occam predict --help' for the prediction types).\n"
    "\n"
    "Options:\n"
    "  -h, --help      show this help and exit\n"
    "  -V, --version   show the occam version and exit\n"
    "\n"
    "Exit status: 0 on success, 1 on a data, model or I/O failure, 2 on a bad\n"
    "command line; every failure prints one line on stderr.\n";

typedef int (*cli_entry)(int argc, char **argv);

struct cli_command {
    const char *verb;  /* "fit", "model", "predict", "residuals", "summary", "clv", "plot" */
    const char *kind;  /* "linear", ... or NULL when the verb takes no kind */
    cli_entry entry;
};

static const struct cli_command commands[] = {
    {"fit", "linear", cli_fit_linear},
    {"fit", "glm", cli_fit_glm},
    {"fit", "pnbd", cli_fit_pnbd},
    {"fit", "gg", cli_fit_gg},
    {"model", "linear", cli_model_linear},
    {"model", "pnbd", cli_model_pnbd},
    {"predict", NULL, cli_predict},
    {"summary", NULL, cli_summary},
    {"clv", NULL, cli_clv},
    {"residuals", NULL, cli_residuals},
    {"plot", NULL, cli_plot},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* Dispatch argv[0] (and argv[1] for verbs that take a model kind). */
static int dispatch(int argc, char **argv)
{
    const char *verb = argv[0];
    int known_verb = 0;
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const struct cli_command *c = &commands[i];
        if (strcmp(c->verb, verb) != 0)
            continue;
        known_verb = 1;
        if (c->kind == NULL)
            return c->entry(argc, argv);
        if (argc < 2 || argv[1][0] == '-')
            break;
        if (strcmp(c->kind, argv[1]) == 0)
            return c->entry(argc - 1, argv + 1);
    }
    if (!known_verb)
        return cli_fail(CLI_EXIT_USAGE, "unknown command '%s'; see 'occam --help'", verb);
    if (argc < 2 || argv[1][0] == '-')
        return cli_fail(CLI_EXIT_USAGE, "'%s' needs a model kind (linear, glm, pnbd, gg); see 'occam --help'",
                        verb);
    return cli_fail(CLI_EXIT_USAGE, "unknown model kind '%s' for '%s'; see 'occam --help'", argv[1], verb);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {0, 0, 0, 0},
    };
    opterr = 0;
    int c;
    /* "+": stop at the first operand, so the subcommand's options are left
     * for the subcommand's own parser. */
    while ((c = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        case 'V':
            printf("occam %s\n", occam_version_string());
            return CLI_EXIT_OK;
        default:
            return cli_bad_option(NULL, c, argv);
        }
    }
    if (optind >= argc)
        return cli_fail(CLI_EXIT_USAGE, "missing command; see 'occam --help'");
    if (strcmp(argv[optind], "help") == 0) {
        fputs(usage_text, stdout);
        return CLI_EXIT_OK;
    }
    int rc = dispatch(argc - optind, argv + optind);
    if (rc == CLI_EXIT_OK && (fflush(stdout) != 0 || ferror(stdout)))
        return cli_fail(CLI_EXIT_FAILURE, "error writing to standard output");
    return rc;
}
