/* Routes: method, path, handler and what the body must be. Lookup, 404/405, and the body
 * checks (411, 413, 415) are written once, here, for every route. */
#ifndef SRV_ROUTER_H
#define SRV_ROUTER_H

#include <stddef.h>

#include "http/request.h"

typedef void (*srv_handler)(srv_request *rq, srv_reply *rp);

enum { SRV_BODY_NONE, SRV_BODY_REQUIRED };

/* Routes that exist only when enabled: the admin routes need WIRETAG_ADMIN_TOKEN. */
enum { SRV_ROUTES_ADMIN = 1 };

/* The most routes the table may hold (the metrics keep a fixed array per route). */
#define SRV_MAX_ROUTES 16

struct srv_route {
    const char *method;
    const char *path;
    srv_handler handle;
    int body;
    const char *media_types; /* accepted Content-Types, comma-separated, or NULL */
    int needs_data;          /* answers 503 while no tagger is ready */
    unsigned only_if;        /* 0, or the SRV_ROUTES_ flag without which the route is absent */
};

/* The route for method and path among the routes `enabled` (SRV_ROUTES_ flags) allows; NULL
 * with a 404 or 405 reply filled in. HEAD is accepted wherever GET is. A route that is not
 * enabled is answered exactly as a path that does not exist. */
const srv_route *srv_route_find(const char *method, const char *path, unsigned enabled,
                                srv_reply *rp);

/* The number of routes in the table, and route i (0 <= i < srv_route_count()). */
size_t srv_route_count(void);
const srv_route *srv_route_at(size_t i);

/* The route slot of a path: the index of the first enabled route with this path, so that
 * every method of one path shares it (a 405 still counts under its path), or -1 for a path
 * no enabled route has. The metrics label requests with it. */
int srv_route_slot(const char *path, unsigned enabled);

/* Checks the headers of a request with a body before reading it: a length is known
 * (Content-Length or chunked), not over max_body, and a media type and charset the route
 * accepts. Returns 0, or -1 with the reply filled in. */
int srv_route_check_body(const srv_route *r, const char *content_length,
                         const char *transfer_encoding, const char *content_type,
                         size_t max_body, srv_reply *rp);

/* The media type of a Content-Type value, lower-cased, without parameters ("text/plain"). */
void srv_media_type(const char *content_type, char *out, size_t cap);

#endif
