/* `wiretag serve`: start listening, load the data (/ready says 503 meanwhile), then wait for
 * signals: SIGHUP reloads, SIGTERM and SIGINT drain and stop. */
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "http/log.h"
#include "http/reload.h"
#include "http/server.h"

/* The drain delay: marked draining (/ready answers 503, replies close their connections) but
 * still accepting and serving, so that load balancers see the replica fail its checks and stop
 * sending to it before its listener closes. A second SIGTERM or SIGINT cuts the wait short. */
static void drain_delay(srv_server *s, const sigset_t *set, unsigned seconds)
{
    srv_log_event(s, "info",
                  "draining: /ready answers 503; still serving for %u s before closing the "
                  "listener (--drain-delay)",
                  seconds);
    double deadline = srv_now_ms() + seconds * 1000.0;
    for (;;) {
        double left = deadline - srv_now_ms();
        if (left <= 0)
            return;
        long ms = (long)left + 1;
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
        int sig = sigtimedwait(set, NULL, &ts);
        if (sig == SIGTERM || sig == SIGINT) {
            srv_log_event(s, "info", "second signal: closing the listener now");
            return;
        }
        if (sig == SIGHUP)
            srv_log_event(s, "info", "SIGHUP ignored: the service is draining");
        else if (sig < 0 && errno != EINTR && errno != EAGAIN)
            return;
    }
}

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
    if (srv_reload(&s, "start", NULL, &err) < 0) {
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
            /* logs either way; the old data keeps serving on failure */
            srv_reload(&s, "SIGHUP", NULL, &err);
            continue;
        }
        break;
    }
    atomic_store(&s.draining, 1);
    if (cfg.drain_delay)
        drain_delay(&s, &set, cfg.drain_delay);
    srv_log_event(&s, "info", "shutting down: draining requests in flight (at most %u s)",
                  cfg.drain);
    srv_server_stop(&s);
    srv_holder_destroy(&s.holder);
    pthread_mutex_destroy(&s.reload_mu);
    srv_log_event(&s, "info", "stopped");
    return 0;
}
