/* `wiretag serve`: start listening, load the data (/ready says 503 meanwhile), then wait for
 * signals: SIGHUP reloads, SIGTERM and SIGINT drain and stop. */
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "http/log.h"
#include "http/reload.h"
#include "http/server.h"

int srv_serve_main(int argc, char **argv)
{
    srv_config cfg;
    if (srv_config_parse(&cfg, SRV_FOR_SERVE, argc, argv) < 0)
        return 1;
    if (cfg.help) {
        printf("usage: wiretag serve [options]\n"
               "Runs the HTTP service. Every option can also be set by the environment variable "
               "in brackets;\nflags win over variables.\n\n");
        srv_config_help(stdout, SRV_FOR_SERVE);
        printf("  %-28s %s\n", "", "[WIRETAG_ADMIN_TOKEN] enables POST /admin/reload");
        return 0;
    }
    json_object_seed(0);

    /* Signals are taken by sigwait() in this thread only: block them before any thread starts. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    srv_server s;
    memset(&s, 0, sizeof s);
    s.cfg = &cfg;
    srv_holder_init(&s.holder);
    pthread_mutex_init(&s.reload_mu, NULL);
    s.started_at = srv_now_ms();
    if (srv_server_start(&s, &cfg) < 0) {
        srv_holder_destroy(&s.holder);
        return 1;
    }
    srv_log_event(&s, "info", "wiretag %s listening on %s (port %u), loading data", WT_VERSION,
                  cfg.listen, s.port);
    wt_error err;
    if (srv_reload(&s, &err) < 0) {
        srv_server_stop(&s);
        srv_holder_destroy(&s.holder);
        return 1;
    }
    srv_log_event(&s, "info", "ready in %.0f ms", srv_now_ms() - s.started_at);

    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            srv_log_event(&s, "info", "SIGHUP: reloading data");
            srv_reload(&s, &err); /* logs either way; the old data keeps serving on failure */
            continue;
        }
        break;
    }
    atomic_store(&s.draining, 1);
    srv_log_event(&s, "info", "shutting down: draining requests in flight (at most %u s)",
                  cfg.drain);
    srv_server_stop(&s);
    srv_holder_destroy(&s.holder);
    pthread_mutex_destroy(&s.reload_mu);
    srv_log_event(&s, "info", "stopped");
    return 0;
}
