/* One HTTP request as the handlers see it, and the reply they fill. Created on the first
 * libmicrohttpd callback of a request, freed only in its completion callback. */
#ifndef SRV_REQUEST_H
#define SRV_REQUEST_H

#include <stddef.h>

#include "http/holder.h"
#include "http/tagging.h"

typedef struct srv_server srv_server;
typedef struct srv_route srv_route;

/* Room for the extra headers of one reply (security headers of the page, and the like). */
#define SRV_REPLY_MAX_HEADERS 4

typedef struct srv_header {
    const char *name, *value; /* static strings: they must outlive the reply */
} srv_header;

typedef struct srv_reply {
    unsigned status;
    const char *content_type;
    char *body; /* malloc'd; handed to libmicrohttpd, which frees it */
    size_t len;
    const char *allow; /* Allow header for 405 */
    srv_header headers[SRV_REPLY_MAX_HEADERS]; /* extra headers, written by send_reply */
    size_t nheaders;
} srv_reply;

typedef struct srv_request {
    srv_server *srv;
    const srv_route *route;
    const char *method;
    const char *path;
    char content_type[160];
    char request_id[80];
    char remote[64];
    /* the body, read in full before the handler runs */
    char *body;
    size_t len, cap;
    int too_large;
    size_t discarded; /* bytes read and dropped after the body went over the limit */
    int replied; /* a reply was queued early (before the body was read) */
    /* query-string arguments and request headers: functions so that tests can call handlers
     * without a socket (both get arg_cls) */
    const char *(*arg)(void *cls, const char *name);
    const char *(*header)(void *cls, const char *name);
    void *arg_cls;
    int route_slot;     /* the metrics' route label: srv_route_slot() of the path, -1 unmatched */
    srv_tagger *tagger; /* the data this request runs on, held until completion */
    double t0;          /* monotonic ms at the first callback */
    /* what happened, for the log and the metrics */
    unsigned status;
    size_t bytes_out;
    srv_tally tally; /* documents, bytes and entities tagged */
} srv_request;

/* A query-string argument, or NULL. */
static inline const char *srv_arg(const srv_request *rq, const char *name)
{
    return rq->arg ? rq->arg(rq->arg_cls, name) : NULL;
}

/* A request header, or NULL. */
static inline const char *srv_request_header(const srv_request *rq, const char *name)
{
    return rq->header ? rq->header(rq->arg_cls, name) : NULL;
}

/* Adds an extra header to the reply; name and value must be static strings. Returns 0, or -1
 * when all SRV_REPLY_MAX_HEADERS slots are taken (a programmer's mistake: raise the limit). */
static inline int srv_reply_header(srv_reply *rp, const char *name, const char *value)
{
    if (rp->nheaders >= SRV_REPLY_MAX_HEADERS)
        return -1;
    rp->headers[rp->nheaders].name = name;
    rp->headers[rp->nheaders].value = value;
    rp->nheaders++;
    return 0;
}

/* Fills the reply with a JSON body (taking ownership of `body`). */
void srv_reply_json(srv_reply *rp, unsigned status, char *body, size_t len);

/* Fills the reply with an HTTP-layer problem. */
void srv_reply_problem(srv_reply *rp, int problem, const char *detail);

/* Fills the reply with a library error as a problem. */
struct wt_error;
void srv_reply_error(srv_reply *rp, const struct wt_error *e);

/* Fills the reply with an HTTP-layer problem whose detail and location (file, line ...) come
 * from a library error: a reload that failed on a data file. */
void srv_reply_problem_at(srv_reply *rp, int problem, const struct wt_error *e);

#endif
