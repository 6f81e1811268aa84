/* The libmicrohttpd glue: one request context per request, created on the first callback and
 * freed in the completion callback; bodies read with limits; replies queued with their
 * headers. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/admin_handler.h"
#include "http/log.h"
#include "http/problem.h"
#include "http/router.h"

double srv_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

#define SRV_DISCARD_FACTOR 4

/* At shutdown, idle keep-alive connections are closed once no request has started for this
 * long (milliseconds). */
#define SRV_DRAIN_QUIET_MS 250

static const char *query_arg(void *cls, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)cls, MHD_GET_ARGUMENT_KIND, name);
}

static const char *header_value(void *cls, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)cls, MHD_HEADER_KIND, name);
}

/* X-Request-Id: the client's, when it is short and plain; otherwise a random one. */
static void request_id(struct MHD_Connection *conn, char *out, size_t cap)
{
    const char *in = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    if (in) {
        size_t n = strlen(in);
        int ok = n > 0 && n < cap && n <= 64;
        for (size_t i = 0; ok && i < n; i++) {
            char c = in[i];
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == '.' || c == ':';
        }
        if (ok) {
            memcpy(out, in, n + 1);
            return;
        }
    }
    unsigned char r[8];
    if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
        uint64_t x = (uint64_t)(srv_now_ms() * 1000.0) ^ ((uint64_t)(uintptr_t)out << 16);
        memcpy(r, &x, sizeof r);
    }
    snprintf(out, cap, "%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5],
             r[6], r[7]);
}

static void remote_address(struct MHD_Connection *conn, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)cap);
}

static void free_body(void *p)
{
    free(p);
}

/* Queues the reply; the body goes to libmicrohttpd, which frees it. */
static enum MHD_Result send_reply(struct MHD_Connection *conn, srv_request *rq, srv_reply *rp)
{
    if (!rp->body) { /* a handler ran out of memory */
        rp->status = 500;
        rp->content_type = "application/problem+json";
        rp->body = strdup("{\"type\":\"urn:wiretag:problem:internal_error\",\"title\":\"Internal "
                          "Server Error\",\"status\":500,\"detail\":\"out of memory\",\"code\":"
                          "\"internal_error\"}");
        rp->len = rp->body ? strlen(rp->body) : 0;
        if (!rp->body)
            return MHD_NO;
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback(rp->len, rp->body, free_body);
    if (!resp) {
        free(rp->body);
        rp->body = NULL;
        return MHD_NO;
    }
    rp->body = NULL;
    MHD_add_response_header(resp, "Content-Type", rp->content_type);
    MHD_add_response_header(resp, "X-Request-Id", rq->request_id);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (rp->allow)
        MHD_add_response_header(resp, "Allow", rp->allow);
    for (size_t i = 0; i < rp->nheaders && i < SRV_REPLY_MAX_HEADERS; i++)
        MHD_add_response_header(resp, rp->headers[i].name, rp->headers[i].value);
    if (atomic_load(&rq->srv->draining))
        MHD_add_response_header(resp, "Connection", "close");
    rq->status = rp->status;
    rq->bytes_out = rp->len;
    enum MHD_Result ret = MHD_queue_response(conn, rp->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* Counts the Content-Length headers and whether any differs from the first. */
typedef struct lengths {
    const char *first;
    unsigned n, differ;
} lengths;

static enum MHD_Result count_length(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    lengths *l = cls;
    if (strcasecmp(key, "Content-Length") != 0)
        return MHD_YES;
    if (l->n++ == 0)
        l->first = value;
    else if (strcmp(l->first, value ? value : "") != 0)
        l->differ = 1;
    return MHD_YES;
}

/* A request whose length can be read two ways (RFC 9112 6.3: Content-Length together with
 * Transfer-Encoding, or Content-Lengths that disagree) is refused, and the connection closed,
 * so that no proxy in front reads the rest of it as another request. */
static int ambiguous_length(struct MHD_Connection *conn, srv_reply *rp)
{
    lengths l = {NULL, 0, 0};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, count_length, &l);
    if (l.differ) {
        srv_reply_problem(rp, SRV_P_AMBIGUOUS_LENGTH,
                          "the request has Content-Length headers that disagree; send one");
        return 1;
    }
    if (l.n && MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding")) {
        srv_reply_problem(rp, SRV_P_AMBIGUOUS_LENGTH,
                          "the request has both Content-Length and Transfer-Encoding; send one");
        return 1;
    }
    return 0;
}

/* The first callback of a request: route it and check its headers. Returns 1 when a reply was
 * queued already. */
static int begin(srv_server *s, struct MHD_Connection *conn, srv_request *rq, srv_reply *rp)
{
    if (ambiguous_length(conn, rp))
        return 1;
    rq->route = srv_route_find(rq->method, rq->path, srv_server_routes(s), rp);
    if (!rq->route)
        return 1;
    /* Admin routes: the token is checked before the body is read or anything else runs. */
    if ((rq->route->only_if & SRV_ROUTES_ADMIN) &&
        srv_auth_check(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"),
                       s->cfg->admin_token, rp) < 0)
        return 1;
    if (rq->route->needs_data) {
        if (atomic_load(&s->draining) && !atomic_load(&s->ready)) {
            srv_reply_problem(rp, SRV_P_SHUTTING_DOWN, "the service is shutting down");
            return 1;
        }
        rq->tagger = srv_holder_acquire(&s->holder);
        if (!rq->tagger || !atomic_load(&s->ready)) {
            srv_reply_problem(rp, SRV_P_NOT_READY, "the data is still loading; retry shortly");
            return 1;
        }
    }
    if (rq->route->body == SRV_BODY_REQUIRED) {
        const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
        snprintf(rq->content_type, sizeof rq->content_type, "%s", ct ? ct : "");
        if (srv_route_check_body(
                rq->route, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length"),
                MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding"), ct,
                s->cfg->max_body, rp) < 0)
            return 1;
    }
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    srv_server *s = cls;
    srv_request *rq = *con_cls;
    srv_reply rp;
    memset(&rp, 0, sizeof rp);
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        *con_cls = rq;
        atomic_fetch_add(&s->in_flight, 1);
        rq->srv = s;
        rq->t0 = srv_now_ms();
        rq->method = method;
        rq->path = url;
        rq->arg = query_arg;
        rq->header = header_value;
        rq->arg_cls = conn;
        rq->route_slot = srv_route_slot(url, srv_server_routes(s));
        request_id(conn, rq->request_id, sizeof rq->request_id);
        remote_address(conn, rq->remote, sizeof rq->remote);
        if (begin(s, conn, rq, &rp)) {
            rq->replied = 1;
            return send_reply(conn, rq, &rp);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (rq->replied)
            return MHD_YES;
        if (rq->too_large) {
            /* libmicrohttpd cannot answer in the middle of a body: the rest is read and
             * dropped, and the 413 goes out when the body ends. A body that goes on past
             * SRV_DISCARD_FACTOR times the limit is cut off instead. */
            rq->discarded += n;
            return rq->discarded > s->cfg->max_body * SRV_DISCARD_FACTOR ? MHD_NO : MHD_YES;
        }
        if (n > s->cfg->max_body - rq->len) {
            /* Over the limit while reading (a chunked body): keep nothing more. */
            rq->too_large = 1;
            rq->discarded = rq->len + n;
            free(rq->body);
            rq->body = NULL;
            rq->len = rq->cap = 0;
            return MHD_YES;
        }
        if (rq->len + n > rq->cap) {
            size_t cap = rq->cap ? rq->cap : 4096;
            while (cap < rq->len + n)
                cap *= 2;
            char *b = realloc(rq->body, cap);
            if (!b)
                return MHD_NO;
            rq->body = b;
            rq->cap = cap;
        }
        memcpy(rq->body + rq->len, upload_data, n);
        rq->len += n;
        return MHD_YES;
    }
    (void)version;
    if (rq->replied)
        return MHD_YES;
    if (rq->too_large) {
        char detail[160];
        snprintf(detail, sizeof detail, "the body is larger than %zu bytes (--max-body)",
                 s->cfg->max_body);
        srv_reply_problem(&rp, SRV_P_BODY_TOO_LARGE, detail);
    } else {
        rq->route->handle(rq, &rp);
    }
    rq->replied = 1;
    return send_reply(conn, rq, &rp);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    srv_server *s = cls;
    srv_request *rq = *con_cls;
    (void)conn;
    if (!rq)
        return;
    *con_cls = NULL;
    if (!rq->status) /* the client went away before a reply */
        rq->status = toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? 408 : 499;
    double ms = srv_now_ms() - rq->t0;
    srv_metrics_record(&s->metrics, rq, ms / 1e3);
    srv_log_request(s, rq, ms);
    srv_tagger_release(rq->tagger);
    free(rq->body);
    free(rq);
    atomic_fetch_sub(&s->in_flight, 1);
}

/* Parses "127.0.0.1:8080", "[::1]:8080", ":8080" or "localhost:8080". */
static int parse_listen(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
    char host[128];
    const char *colon;
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof host)
            return -1;
        memcpy(host, spec + 1, (size_t)(close - spec - 1));
        host[close - spec - 1] = '\0';
        colon = close + 1;
    } else {
        colon = strrchr(spec, ':');
        if (!colon || (size_t)(colon - spec) >= sizeof host)
            return -1;
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = '\0';
    }
    char *end;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (*end || end == colon + 1 || port > 65535)
        return -1;
    memset(ss, 0, sizeof *ss);
    if (!host[0] || strcmp(host, "localhost") == 0)
        strcpy(host, host[0] ? "127.0.0.1" : "0.0.0.0");
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *len = sizeof *in4;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *len = sizeof *in6;
        return 0;
    }
    return -1;
}

int srv_server_start(srv_server *s, const srv_config *cfg)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    if (parse_listen(cfg->listen, &ss, &sslen) < 0) {
        srv_log_event(s, "error", "cannot parse --listen '%s' (expected ADDR:PORT)", cfg->listen);
        return -1;
    }
    unsigned threads = cfg->threads;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0, MHD_OPTION_CONNECTION_TIMEOUT,
        cfg->timeout, MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->max_headers, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, s, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, MHD_OPTION_END);
    if (!s->daemon) {
        srv_log_event(s, "error", "cannot listen on %s (address in use or not permitted?)",
                      cfg->listen);
        return -1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    return 0;
}

/* Connections the kernel had completed but the daemon had not accepted when it stopped
 * listening: closing the listening socket would reset them, so they are accepted here and
 * handed to the daemon, which serves their requests like any other. */
static void adopt_backlog(struct MHD_Daemon *d, MHD_socket fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return;
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int c = accept(fd, (struct sockaddr *)&ss, &len);
        if (c < 0 && errno == EINTR)
            continue;
        if (c < 0)
            return; /* EAGAIN: the backlog is empty */
        MHD_add_connection(d, c, (struct sockaddr *)&ss, len); /* closes c if it cannot */
    }
}

static unsigned open_connections(struct MHD_Daemon *d)
{
    /* With a thread pool the daemon adds up its workers' counts without a lock; a count that
     * is off by one for a moment only delays the next look by a tick. */
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return di ? di->num_connections : 0;
}

void srv_server_stop(srv_server *s)
{
    if (!s->daemon)
        return;
    /* No new connections; those already made get served. */
    MHD_socket fd = MHD_quiesce_daemon(s->daemon);
    if (fd != MHD_INVALID_SOCKET) {
        adopt_backlog(s->daemon, fd);
        /* Refuse what comes next. The daemon's threads may still hold the socket in their
         * poll sets, so it is closed only after MHD_stop_daemon. */
        shutdown(fd, SHUT_RDWR);
    }
    /* Requests in flight get cfg->drain seconds. Every reply now carries Connection: close, so
     * busy connections close after their current request. Waiting for in_flight to reach 0 is
     * not enough: a keep-alive client may have sent its next request a moment ago, unread yet,
     * and stopping now would drop it. So the wait goes on until no connection is left, or
     * until no request has started for SRV_DRAIN_QUIET_MS (the connections left are idle
     * keep-alive ones that send nothing). */
    double deadline = srv_now_ms() + s->cfg->drain * 1000.0;
    double idle_since = -1;
    for (;;) {
        long busy = atomic_load(&s->in_flight);
        if (busy == 0 && open_connections(s->daemon) == 0)
            break;
        double now = srv_now_ms();
        if (busy > 0)
            idle_since = -1;
        else if (idle_since < 0)
            idle_since = now;
        else if (now - idle_since >= SRV_DRAIN_QUIET_MS)
            break;
        if (now >= deadline)
            break;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    long left = atomic_load(&s->in_flight);
    if (left > 0)
        srv_log_event(s, "warn", "%ld request(s) still in flight after %u s; closing", left,
                      s->cfg->drain);
    MHD_stop_daemon(s->daemon);
    s->daemon = NULL;
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
}
