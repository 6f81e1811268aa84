/* The subcommands of the wiretag binary. Each returns the process exit status. */
#ifndef SRV_COMMANDS_H
#define SRV_COMMANDS_H

#include "cli/config.h"
#include "wiretag/tagger.h"

/* wiretag tag [FILE] | tag --jsonl: exit 0 on success, 2 when some JSON lines failed, 1 on a
 * fatal error (data, input). */
int srv_tag_main(int argc, char **argv);

/* wiretag serve: exit 0 after a graceful shutdown, 1 when start-up fails. */
int srv_serve_main(int argc, char **argv);

/* wiretag check-data DIR...: exit 0 when the data is clean, 1 otherwise. */
int srv_check_data_main(int argc, char **argv);

/* wiretag health [--timeout SECONDS] URL: exit 0 when a GET of URL answers 2xx, 1 otherwise. */
int srv_health_main(int argc, char **argv);

/* Loads the tagger for a configuration, printing the error to stderr on failure. */
wt_tagger *srv_load_tagger(const srv_config *c);

#endif
