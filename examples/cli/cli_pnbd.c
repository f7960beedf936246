/* cli_pnbd.c -- `occam fit pnbd` and `occam model pnbd`.  STUB: owned by the
 * pnbd developer, who replaces it. */
#include "cli.h"

int cli_fit_pnbd(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail(CLI_EXIT_USAGE, "fit pnbd: not implemented yet");
}

int cli_model_pnbd(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail(CLI_EXIT_USAGE, "model pnbd: not implemented yet");
}
