/* The HTTP service: a libmicrohttpd daemon with an internal thread pool over epoll, the loaded
 * tagger, and the service's state (ready, draining). */
#ifndef SRV_SERVER_H
#define SRV_SERVER_H

#include <pthread.h>
#include <stdatomic.h>

#include "cli/config.h"
#include "http/holder.h"
#include "http/metrics.h"
#include "http/router.h"

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
    atomic_long reloads, reload_failures; /* after the load at start: successes, failures */
    double started_at;
    srv_metrics metrics; /* counted in the completion callback, rendered by GET /metrics */
};

/* The optional routes this server has (SRV_ROUTES_ flags): admin routes with an admin token. */
static inline unsigned srv_server_routes(const srv_server *s)
{
    return s->cfg && s->cfg->admin_token ? SRV_ROUTES_ADMIN : 0;
}

/* Starts listening on cfg->listen. Returns 0, or -1 after logging why. */
int srv_server_start(srv_server *s, const srv_config *cfg);

/* Stops accepting connections (those the kernel completed already are still served), waits
 * for requests in flight and the connections they came on (at most cfg->drain seconds), and
 * stops the daemon. */
void srv_server_stop(srv_server *s);

/* Monotonic milliseconds. */
double srv_now_ms(void);

#endif
