/* The HTTP service: a libmicrohttpd daemon with an internal thread pool over epoll, the loaded
 * tagger, and the service's state (ready, draining). */
#ifndef SRV_SERVER_H
#define SRV_SERVER_H

#include <pthread.h>
#include <stdatomic.h>

#include "cli/config.h"
#include "http/holder.h"

struct MHD_Daemon;

typedef struct srv_server srv_server;

struct srv_server {
    const srv_config *cfg;
    srv_holder holder;
    atomic_int ready;    /* data loaded and accepting work */
    atomic_int draining; /* shutting down: /ready says 503 */
    atomic_long in_flight;
    struct MHD_Daemon *daemon;
    unsigned port; /* the bound port (useful with port 0) */
    pthread_mutex_t reload_mu;
    atomic_long reloads, reload_failures; /* successful loads (the first included), failures */
    double started_at;
};

/* Starts listening on cfg->listen. Returns 0, or -1 after logging why. */
int srv_server_start(srv_server *s, const srv_config *cfg);

/* Stops accepting connections, waits for in-flight requests (at most cfg->drain seconds), and
 * stops the daemon. */
void srv_server_stop(srv_server *s);

/* Monotonic milliseconds. */
double srv_now_ms(void);

#endif
