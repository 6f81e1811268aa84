/* Loading data into the service: at start and on reload (SIGHUP, POST /admin/reload). A new
 * tagger is built beside the old one and swapped in atomically; broken data keeps the old one
 * serving. */
#ifndef SRV_RELOAD_H
#define SRV_RELOAD_H

#include "http/server.h"
#include "wiretag/error.h"

/* Loads the configured data directories and makes them current. Reloads are serialized.
 * Returns 0, or -1 with the located error in *err (the current tagger stays). Logs what was
 * loaded from where. */
int srv_reload(srv_server *s, wt_error *err);

#endif
