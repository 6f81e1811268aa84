/* Settings of the binary: defaults, then environment variables, then flags; one table lists
 * every setting with its flag, variable and help. */
#ifndef SRV_CONFIG_H
#define SRV_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#define SRV_MAX_DATA_DIRS 16
#define SRV_MIN_HEADERS   4096 /* the least --max-headers: room for libmicrohttpd's buffers */

typedef struct srv_config {
    const char *listen;  /* ADDR:PORT, IPv6 as [::1]:8080 */
    unsigned threads;    /* worker threads; 0 = number of CPUs */
    const char *bundled; /* the bundled data directory ("none" for none) */
    const char *data[SRV_MAX_DATA_DIRS];
    size_t ndata;
    size_t max_body;          /* bytes of a request body */
    size_t max_text;          /* bytes of text and title of one document */
    const char *log_format;   /* "text" or "json" */
    unsigned max_connections; /* connections held at once */
    size_t max_headers;       /* bytes of one connection's request line, headers and buffers */
    unsigned timeout;         /* seconds a connection may stay idle or slow */
    unsigned drain;           /* seconds in-flight requests get at shutdown */
    unsigned drain_delay;     /* seconds to keep serving, marked draining, before closing */
    size_t batch_max_docs;    /* documents in one batch request */
    const char *admin_token;  /* from WIRETAG_ADMIN_TOKEN only: enables /admin/reload */
    /* command-line tool */
    int jsonl;
    const char *types;
    const char *offsets;
    const char *file;
    int help, version;
    char env_data[4096]; /* WIRETAG_DATA, split at ':' */
} srv_config;

/* Which settings a command accepts. */
enum { SRV_FOR_SERVE = 1, SRV_FOR_TAG = 2, SRV_FOR_CHECK = 4 };

/* Fills *c from defaults, the environment and argv[0..argc) (the arguments after the command
 * name). Positional arguments go to c->file (tag) or c->data (check-data). Returns 0, or -1
 * after printing a message to stderr. */
int srv_config_parse(srv_config *c, unsigned command, int argc, char **argv);

/* Prints the settings of a command with their variables and defaults. */
void srv_config_help(FILE *out, unsigned command);

/* The data directories to load, bundled first; returns their count. */
size_t srv_config_dirs(const srv_config *c, const char **dirs, size_t max);

#endif
