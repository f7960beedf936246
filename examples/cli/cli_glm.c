/* cli_glm.c -- `occam fit glm`.  STUB: owned by the glm developer, who
 * replaces it. */
#include "cli.h"

int cli_fit_glm(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail(CLI_EXIT_USAGE, "fit glm: not implemented yet");
}
