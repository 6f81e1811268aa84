/* Files compiled into the binary: the newsroom page (web/) and the OpenAPI document
 * (docs/openapi.json), and the handler that serves them with their security headers. */
#ifndef SRV_PAGE_HANDLER_H
#define SRV_PAGE_HANDLER_H

#include <stddef.h>

#include "http/request.h"

typedef struct srv_asset {
    const char *name; /* the path under web/: "index.html" */
    const unsigned char *data;
    size_t len;
} srv_asset;

/* The embedded file called `name`, or NULL. Defined in a source generated at build time by
 * cmake/WiretagEmbed.cmake; the data is static and read-only, so this is thread-safe. */
const srv_asset *srv_asset_find(const char *name);

/* The same for the files of docs/ ("openapi.json"), generated the same way. */
const srv_asset *srv_doc_find(const char *name);

/* GET /, /app.js, /style.css and /openapi.json (rq->path picks the file): 200 with the file,
 * its Content-Type and charset, a Content-Security-Policy without inline script or style, and
 * nosniff. */
void srv_handle_page(srv_request *rq, srv_reply *rp);

#endif
