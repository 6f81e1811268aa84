/* GET /health, /ready and /version. /health never touches the data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/problem.h"
#include "http/server.h"
#include "wiretag/tagger.h"

static void reply_text(srv_reply *rp, unsigned status, const char *json)
{
    char *body = strdup(json);
    srv_reply_json(rp, status, body, body ? strlen(body) : 0);
}

void srv_handle_health(srv_request *rq, srv_reply *rp)
{
    (void)rq;
    reply_text(rp, 200, "{\"status\":\"ok\"}");
}

void srv_handle_ready(srv_request *rq, srv_reply *rp)
{
    srv_server *s = rq->srv;
    if (atomic_load(&s->draining)) {
        srv_reply_problem(rp, SRV_P_SHUTTING_DOWN, "the service is shutting down");
        return;
    }
    srv_tagger *st = srv_holder_acquire(&s->holder);
    if (!st || !atomic_load(&s->ready)) {
        srv_tagger_release(st);
        srv_reply_problem(rp, SRV_P_NOT_READY, "the data is still loading");
        return;
    }
    wt_tagger_info info;
    wt_tagger_get_info(st->t, &info);
    char body[200];
    snprintf(body, sizeof body, "{\"status\":\"ready\",\"data\":\"%s\",\"generation\":%llu}",
             info.data_id, (unsigned long long)st->generation);
    srv_tagger_release(st);
    reply_text(rp, 200, body);
}

void srv_handle_version(srv_request *rq, srv_reply *rp)
{
    char body[256];
    srv_tagger *st = srv_holder_acquire(&rq->srv->holder);
    if (st) {
        wt_tagger_info info;
        wt_tagger_get_info(st->t, &info);
        snprintf(body, sizeof body, "{\"version\":\"%s\",\"api\":\"v1\",\"data\":\"%s\"}",
                 WT_VERSION, info.data_id);
    } else {
        snprintf(body, sizeof body, "{\"version\":\"%s\",\"api\":\"v1\",\"data\":null}",
                 WT_VERSION);
    }
    srv_tagger_release(st);
    reply_text(rp, 200, body);
}
