/* The admin routes. A token compared with memcmp or strcmp answers sooner the earlier it
 * differs, which lets a client find it byte by byte from response times; the comparison here
 * reads every byte the client sent whatever they are. POST /admin/reload reloads the data as
 * SIGHUP does, for platforms that cannot send a signal to the process (or want the outcome). */
#include "http/admin_handler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/log.h"
#include "http/problem.h"
#include "http/reload.h"
#include "http/server.h"

int srv_equal_constant_time(const char *a, size_t na, const char *b, size_t nb)
{
    /* Every byte of a is compared with a byte of b, cycling through b, so that the loop runs
     * na times and never reads past either; unequal lengths make the result nonzero without
     * a branch of their own. An empty secret never matches. */
    volatile unsigned char diff = (unsigned char)(na != nb || nb == 0);
    for (size_t i = 0; i < na && nb > 0; i++)
        diff |= (unsigned char)(a[i] ^ b[i % nb]);
    return diff == 0;
}

int srv_auth_check(const char *authorization, const char *token, srv_reply *rp)
{
    const char *given = NULL;
    if (authorization && strncasecmp(authorization, "Bearer ", 7) == 0) {
        given = authorization + 7;
        while (*given == ' ')
            given++;
    }
    size_t n = given ? strlen(given) : 0;
    while (n > 0 && (given[n - 1] == ' ' || given[n - 1] == '\t'))
        n--;
    if (given && token && srv_equal_constant_time(given, n, token, strlen(token)))
        return 0;
    srv_reply_problem(rp, SRV_P_UNAUTHORIZED,
                      given ? "the bearer token is not valid"
                            : "send Authorization: Bearer <token> (WIRETAG_ADMIN_TOKEN)");
    srv_reply_header(rp, "WWW-Authenticate", "Bearer realm=\"wiretag\"");
    return -1;
}

void srv_handle_admin_reload(srv_request *rq, srv_reply *rp)
{
    srv_server *s = rq->srv;
    srv_log_event(s, "info", "POST /admin/reload (request %s): reloading data", rq->request_id);
    wt_error err;
    wt_error_clear(&err);
    srv_loaded loaded;
    /* The load runs on this worker thread; the other workers keep serving on the old data,
     * and requests that started on it finish on it. */
    if (srv_reload(s, "POST /admin/reload", &loaded, &err) < 0) {
        if (err.code == WT_E_NOMEM)
            srv_reply_problem(rp, SRV_P_INTERNAL, "out of memory while loading the data");
        else /* a broken file: its name and line are in the problem; the old data serves */
            srv_reply_problem_at(rp, SRV_P_RELOAD_FAILED, &err);
        return;
    }
    char body[160];
    int n =
        snprintf(body, sizeof body, "{\"status\":\"reloaded\",\"data\":\"%s\",\"generation\":%llu}",
                 loaded.data, (unsigned long long)loaded.generation);
    char *copy = n > 0 ? strdup(body) : NULL;
    srv_reply_json(rp, 200, copy, copy ? (size_t)n : 0);
}
