/* GET /, /app.js and /style.css: the newsroom page, compiled in from web/, served with a strict
 * Content-Security-Policy so that the page runs no inline code and talks only to this origin. */
#include "http/page_handler.h"

#include <stdlib.h>
#include <string.h>

#include "http/problem.h"

/* No inline script or style anywhere; the page fetches only its own origin (POST /v1/tag). */
#define SRV_PAGE_CSP                                                                           \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "          \
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

typedef struct page_file {
    const char *path;  /* the URL path */
    const char *asset; /* the file under web/ */
    const char *content_type;
} page_file;

static const page_file page_files[] = {
    {"/", "index.html", "text/html; charset=utf-8"},
    {"/app.js", "app.js", "text/javascript; charset=utf-8"},
    {"/style.css", "style.css", "text/css; charset=utf-8"},
};

static const page_file *file_for_path(const char *path)
{
    for (size_t i = 0; i < sizeof page_files / sizeof page_files[0]; i++)
        if (strcmp(page_files[i].path, path) == 0)
            return &page_files[i];
    return NULL;
}

/* The headers every file of the page carries, errors included. */
static void security_headers(srv_reply *rp)
{
    srv_reply_header(rp, "Content-Security-Policy", SRV_PAGE_CSP);
    srv_reply_header(rp, "X-Content-Type-Options", "nosniff");
    srv_reply_header(rp, "Referrer-Policy", "no-referrer");
}

void srv_handle_page(srv_request *rq, srv_reply *rp)
{
    security_headers(rp);
    const page_file *f = rq->path ? file_for_path(rq->path) : NULL;
    const srv_asset *a = f ? srv_asset_find(f->asset) : NULL;
    if (!a) { /* a route without a file: the table and web/ disagree */
        srv_reply_problem(rp, SRV_P_NOT_FOUND, "no page file at this path");
        return;
    }
    /* The reply owns a copy: libmicrohttpd frees the body it is handed. */
    char *body = malloc(a->len ? a->len : 1);
    free(rp->body);
    rp->body = body;
    rp->len = body ? a->len : 0;
    rp->status = 200;
    rp->content_type = f->content_type;
    if (body)
        memcpy(body, a->data, a->len);
}
