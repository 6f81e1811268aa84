/* Loading data into the service: at start and on reload (SIGHUP, POST /admin/reload). A new
 * tagger is built beside the old one and swapped in atomically; broken data keeps the old one
 * serving. */
#ifndef SRV_RELOAD_H
#define SRV_RELOAD_H

#include <stdint.h>

#include "http/server.h"
#include "wiretag/error.h"

/* What a successful load made current. */
typedef struct srv_loaded {
    char data[24];       /* the data identifier (wt_tagger_info.data_id) */
    uint64_t generation; /* 1 for the load at start, +1 per successful reload */
} srv_loaded;

/* Loads the configured data directories and makes them current. Reloads are serialized; `why`
 * ("start", "SIGHUP", "POST /admin/reload") goes into the log line. Returns 0 and fills
 * *loaded (may be NULL), or -1 with the located error in *err (the current tagger stays).
 * Logs what was loaded from where, or why not. Counts reloads and failures after the first
 * load for the metrics. */
int srv_reload(srv_server *s, const char *why, srv_loaded *loaded, wt_error *err);

#endif
