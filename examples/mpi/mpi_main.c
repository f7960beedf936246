/*
 * mpi_main.c -- the occam-mpi program: `mpirun -n K occam-mpi fit glm|linear
 * <the options of occam fit>` fits one CSV file whose rows the K ranks
 * share (docs/scale.md, "MPI"); rank 0 prints what `occam fit` prints and
 * writes the --save model and --coef-csv, the other ranks print nothing.
 *
 * Each rank runs the CLI's own subcommand (examples/cli/) with the hooks of
 * mpi_fit.c: same options, same messages, same output code.
 */
#include <stdlib.h>
#include <string.h>

#include "mpi_cli.h"

static const char usage_text[] =
    "Usage: mpirun -n K occam-mpi [--block-bytes N] fit linear|glm <options of occam fit>\n"
    "       mpirun -n K occam-mpi [--block-bytes N] fit pnbd --events FILE.csv <options of occam fit pnbd>\n"
    "\n"
    "Fit a linear model or a GLM to one CSV file with the K ranks of an MPI run: the\n"
    "file's data bytes are cut into blocks of N bytes (at line starts), dealt to the\n"
    "ranks in order; every pass each block's rows make a partial result, merged along\n"
    "a fixed tree over the blocks, so the digits are the same on any number of ranks.\n"
    "Rank 0 prints what 'occam fit' prints and writes --save and --coef-csv.  A\n"
    "transaction log (fit pnbd --events) is read the same way into per-customer states,\n"
    "merged over the ranks: the summaries and the fit are those of one process.\n"
    "\n"
    "  --block-bytes N  bytes per block (default 67108864, 64 MiB); the same N gives\n"
    "                   the same bits for any K; a line break inside a quoted cell is\n"
    "                   not allowed in the file\n"
    "  -h, --help       show this help\n"
    "  -V, --version    show the occam version\n"
    "\n"
    "'occam fit glm --help' and 'occam fit linear --help' describe the fit options.\n";

enum { DEFAULT_BLOCK_BYTES = 1 << 26 };

/* fit pnbd --data (customer summaries) is not split over the ranks: say so
 * rather than have every rank read the whole file. */
static int summaries_refused(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--data") == 0 || strncmp(argv[i], "--data=", 7) == 0) {
            cli_fail(CLI_EXIT_USAGE, "occam-mpi: fit pnbd --data (customer summaries) is not split over ranks: "
                                     "use 'occam fit pnbd --data', or give the transactions with --events");
            return 1;
        }
    return 0;
}

static int run(mpi_cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"block-bytes", required_argument, NULL, 'B'},
        {0, 0, 0, 0},
    };
    opterr = 0;
    int o;
    while ((o = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
        switch (o) {
        case 'h': fputs(usage_text, stdout); return CLI_EXIT_OK;
        case 'V': printf("occam-mpi %s\n", occam_version_string()); return CLI_EXIT_OK;
        case 'B': {
            int64_t b = 0;
            int rc = cli_parse_int64("occam-mpi", optarg, "--block-bytes", &b);
            if (rc)
                return rc;
            if (b < 1)
                return cli_fail(CLI_EXIT_USAGE, "occam-mpi: --block-bytes must be at least 1, not %lld", (long long)b);
            c->block_bytes = b;
            break;
        }
        default: return cli_bad_option(NULL, o, argv);
        }
    }
    if (optind >= argc)
        return cli_fail(CLI_EXIT_USAGE, "missing command; see 'occam-mpi --help'");
    argc -= optind;
    argv += optind;
    if (strcmp(argv[0], "fit") != 0)
        return cli_fail(CLI_EXIT_USAGE, "unknown command '%s'; occam-mpi runs 'fit linear' and 'fit glm'", argv[0]);
    if (argc < 2)
        return cli_fail(CLI_EXIT_USAGE, "'fit' needs a model kind (linear, glm); see 'occam-mpi --help'");
    cli_fit_hooks h;
    cli_quantiles_comm q;
    cli_events_hooks e;
    mpi_fit_hooks(c, &h, &q);
    mpi_events_hooks(c, &e);
    int rc;
    cli_fit_set_hooks(&h);
    cli_pnbd_set_events_hooks(&e);
    if (strcmp(argv[1], "linear") == 0)
        rc = cli_fit_linear(argc - 1, argv + 1);
    else if (strcmp(argv[1], "glm") == 0)
        rc = cli_fit_glm(argc - 1, argv + 1);
    else if (strcmp(argv[1], "pnbd") == 0)
        rc = summaries_refused(argc - 1, argv + 1) ? CLI_EXIT_USAGE : cli_fit_pnbd(argc - 1, argv + 1);
    else
        rc = cli_fail(CLI_EXIT_USAGE, "unknown model kind '%s' for 'fit'; occam-mpi fits linear, glm and pnbd",
                      argv[1]);
    cli_fit_set_hooks(NULL);
    cli_pnbd_set_events_hooks(NULL);
    return rc;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    mpi_cli c = {.comm = MPI_COMM_WORLD, .block_bytes = DEFAULT_BLOCK_BYTES};
    MPI_Comm_rank(c.comm, &c.rank);
    MPI_Comm_size(c.comm, &c.size);
    if (c.rank != 0) { /* rank 0 reports */
        cli_set_reporting(0);
        if (!freopen("/dev/null", "w", stdout))
            fclose(stdout);
    }
    int rc = run(&c, argc, argv);
    fflush(stdout);
    MPI_Finalize();
    return rc;
}
