/* GET /, /app.js and /style.css: the newsroom page, compiled in from web/, served with a strict
 * Content-Security-Policy so that the page runs no inline code and talks only to this origin;
 * and GET /openapi.json, the service's description, compiled in from docs/. */
#include "http/page_handler.h"

#include <stdlib.h>
#include <string.h>

#include "http/problem.h"

/* No inline script anywhere, and no inline style but one fixed block; the page fetches only its
 * own origin (POST /v1/tag).
 *
 * The one hash, in style-src-elem, is that of PREVIEW_CSS in web/app.js: the style block of the
 * rendered preview of an HTML article, an <iframe sandbox=""> whose srcdoc is the service's
 * annotated HTML. A srcdoc document inherits this policy, so without the hash its style block
 * is refused (checked in Chromium). style-src-elem governs <style> and <link> elements only, so
 * that exact text is the only inline style allowed, here or in the frame; style="" attributes
 * stay under style-src 'self' (blocked), as does the pasted article's own <style>. Never
 * 'unsafe-inline' or 'unsafe-hashes'. The inherited policy also keeps the frame from loading
 * anything from elsewhere (img-src, style-src-elem) and from using a <base>. frame-src needs
 * nothing: srcdoc is not fetched, and default-src 'self' still refuses the frame any other site
 * (a link clicked in the preview). Scripts in the frame are off by the sandbox, which also gives
 * it an opaque origin. tests/page/test_page.js checks that the hash matches the block. */
#define SRV_PAGE_CSP                                                                           \
    "default-src 'self'; script-src 'self'; style-src 'self'; "                                \
    "style-src-elem 'self' 'sha256-AyfeF9f6Mn+criUES9lf56J5bNdJDn+mg8uc87G2o1k='; "            \
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "          \
    "frame-ancestors 'none'"

typedef struct page_file {
    const char *path;  /* the URL path */
    const char *asset; /* the file under web/ or docs/ */
    const char *content_type;
    const srv_asset *(*find)(const char *name); /* srv_asset_find (web/) or srv_doc_find */
} page_file;

static const page_file page_files[] = {
    {"/", "index.html", "text/html; charset=utf-8", srv_asset_find},
    {"/app.js", "app.js", "text/javascript; charset=utf-8", srv_asset_find},
    {"/style.css", "style.css", "text/css; charset=utf-8", srv_asset_find},
    {"/openapi.json", "openapi.json", "application/json", srv_doc_find},
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
    const srv_asset *a = f ? f->find(f->asset) : NULL;
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
