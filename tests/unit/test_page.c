/* The newsroom page without a socket: the routes, the embedded files of web/, their
 * Content-Types, and the security headers on every one of them. */
#include <stdlib.h>

#include "check.h"
#include "http/page_handler.h"
#include "http/router.h"

/* The value of an extra header of the reply, or NULL. */
static const char *header(const srv_reply *rp, const char *name)
{
    for (size_t i = 0; i < rp->nheaders; i++)
        if (strcmp(rp->headers[i].name, name) == 0)
            return rp->headers[i].value;
    return NULL;
}

/* Does the body (not NUL-terminated) contain `needle`? */
static int body_has(const srv_reply *rp, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; rp->body && i + n <= rp->len; i++)
        if (memcmp(rp->body + i, needle, n) == 0)
            return 1;
    return 0;
}

static void check_security(const srv_reply *rp)
{
    const char *csp = header(rp, "Content-Security-Policy");
    CHECK_CONTAINS(csp, "default-src 'self'");
    CHECK_CONTAINS(csp, "script-src 'self';");
    CHECK_CONTAINS(csp, "style-src 'self';");
    CHECK_CONTAINS(csp, "connect-src 'self'");
    CHECK_CONTAINS(csp, "frame-ancestors 'none'");
    CHECK(csp && !strstr(csp, "unsafe-inline") && !strstr(csp, "unsafe-eval"));
    CHECK_STR(header(rp, "X-Content-Type-Options"), "nosniff");
}

/* GET path through the route table and the handler, as the dispatcher would. */
static void serve(const char *path, const char *content_type, const char *asset,
                  const char *marker)
{
    srv_reply rp = {0};
    const srv_route *r = srv_route_find("GET", path, 0, &rp);
    CHECK(r != NULL);
    CHECK(srv_route_find("HEAD", path, 0, &rp) == r);
    if (!r)
        return;
    CHECK(r->handle == srv_handle_page);
    CHECK_INT(r->body, SRV_BODY_NONE);
    CHECK_INT(r->needs_data, 0); /* the page answers while the data loads */
    srv_request rq;
    memset(&rq, 0, sizeof rq);
    rq.method = "GET";
    rq.path = path;
    r->handle(&rq, &rp);
    CHECK_INT(rp.status, 200);
    CHECK_STR(rp.content_type, content_type);
    check_security(&rp);
    const srv_asset *a = srv_asset_find(asset);
    CHECK(a != NULL);
    CHECK(a && rp.len == a->len && rp.len > 0 && memcmp(rp.body, a->data, a->len) == 0);
    CHECK(body_has(&rp, marker));
    free(rp.body);
}

static void page(void)
{
    serve("/", "text/html; charset=utf-8", "index.html", "<script src=\"/app.js\"");
    serve("/app.js", "text/javascript; charset=utf-8", "app.js", "'/v1/tag'");
    serve("/style.css", "text/css; charset=utf-8", "style.css", "@media (max-width");
    CHECK(srv_asset_find("nope.html") == NULL);
}

static void html(void)
{
    const srv_asset *a = srv_asset_find("index.html");
    srv_reply rp = {0};
    rp.body = a ? (char *)a->data : NULL; /* borrowed for body_has; not freed */
    rp.len = a ? a->len : 0;
    CHECK(body_has(&rp, "<link rel=\"stylesheet\" href=\"/style.css\">"));
    CHECK(!body_has(&rp, "<style"));
    CHECK(!body_has(&rp, " style="));
    CHECK(!body_has(&rp, "<script>"));
    CHECK(!body_has(&rp, "http://"));
    CHECK(!body_has(&rp, "https://"));
    CHECK(body_has(&rp, "aria-live="));
}

/* A path the table sends to the handler without a file behind it: a 404 problem, still with
 * the security headers. */
static void missing(void)
{
    srv_request rq;
    memset(&rq, 0, sizeof rq);
    rq.path = "/missing.js";
    srv_reply rp = {0};
    srv_handle_page(&rq, &rp);
    CHECK_INT(rp.status, 404);
    CHECK_STR(rp.content_type, "application/problem+json");
    check_security(&rp);
    free(rp.body);
}

static void headers(void)
{
    srv_reply rp = {0};
    for (int i = 0; i < SRV_REPLY_MAX_HEADERS; i++)
        CHECK_INT(srv_reply_header(&rp, "X-A", "b"), 0);
    CHECK_INT(srv_reply_header(&rp, "X-Over", "c"), -1);
    CHECK_INT(rp.nheaders, SRV_REPLY_MAX_HEADERS);
}

int main(void)
{
    page();
    html();
    missing();
    headers();
    return check_report("page");
}
