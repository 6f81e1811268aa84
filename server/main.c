/* wiretag: one binary, two faces — `wiretag serve` (the service) and `wiretag tag` (the CLI). */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "wiretag/tagger.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: wiretag COMMAND [options]\n\n"
            "commands:\n"
            "  serve                 run the HTTP service (see wiretag serve --help)\n"
            "  tag [FILE]            tag one article, or JSON lines with --jsonl\n"
            "  check-data [DIR...]   check data directories for errors and conflicts\n"
            "  health URL            exit 0 when GET URL answers 2xx (container health checks)\n"
            "  --version             print the version\n"
            "  --help                print this help\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("wiretag %s\n", WT_VERSION);
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "serve") == 0)
        return srv_serve_main(argc - 2, argv + 2);
    if (strcmp(cmd, "tag") == 0)
        return srv_tag_main(argc - 2, argv + 2);
    if (strcmp(cmd, "check-data") == 0)
        return srv_check_data_main(argc - 2, argv + 2);
    if (strcmp(cmd, "health") == 0)
        return srv_health_main(argc - 2, argv + 2);
    fprintf(stderr, "wiretag: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return 1;
}
