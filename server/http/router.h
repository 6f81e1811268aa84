/* Routes: method, path, handler and what the body must be. Lookup, 404/405, and the body
 * checks (411, 413, 415) are written once, here, for every route. */
#ifndef SRV_ROUTER_H
#define SRV_ROUTER_H

#include <stddef.h>

#include "http/request.h"

typedef void (*srv_handler)(srv_request *rq, srv_reply *rp);

enum { SRV_BODY_NONE, SRV_BODY_REQUIRED };

struct srv_route {
    const char *method;
    const char *path;
    srv_handler handle;
    int body;
    const char *media_types; /* accepted Content-Types, comma-separated, or NULL */
    int needs_data;          /* answers 503 while no tagger is ready */
};

/* The route for method and path; NULL with a 404 or 405 reply filled in. HEAD is accepted
 * wherever GET is. */
const srv_route *srv_route_find(const char *method, const char *path, srv_reply *rp);

/* Checks the headers of a request with a body before reading it: a length is known
 * (Content-Length or chunked), not over max_body, and a media type and charset the route
 * accepts. Returns 0, or -1 with the reply filled in. */
int srv_route_check_body(const srv_route *r, const char *content_length,
                         const char *transfer_encoding, const char *content_type,
                         size_t max_body, srv_reply *rp);

/* The media type of a Content-Type value, lower-cased, without parameters ("text/plain"). */
void srv_media_type(const char *content_type, char *out, size_t cap);

#endif
