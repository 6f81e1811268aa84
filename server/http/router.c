/* The route table and the checks every request with a body goes through. */
#include "http/router.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/admin_handler.h"
#include "http/handlers.h"
#include "http/page_handler.h"
#include "http/problem.h"

/* The service's routes. Batch and single tagging share the data check; the admin route exists
 * only with an admin token. */
static const srv_route routes[] = {
    {"POST", "/v1/tag", srv_handle_tag, SRV_BODY_REQUIRED, "application/json,text/plain,text/html",
     1, 0},
    {"POST", "/v1/tag/batch", srv_handle_batch, SRV_BODY_REQUIRED,
     "application/x-ndjson,application/json", 1, 0},
    {"GET", "/health", srv_handle_health, SRV_BODY_NONE, NULL, 0, 0},
    {"GET", "/ready", srv_handle_ready, SRV_BODY_NONE, NULL, 0, 0},
    {"GET", "/version", srv_handle_version, SRV_BODY_NONE, NULL, 0, 0},
    {"GET", "/metrics", srv_handle_metrics, SRV_BODY_NONE, NULL, 0, 0},
    {"GET", "/openapi.json", srv_handle_page, SRV_BODY_NONE, NULL, 0, 0},
    {"POST", "/admin/reload", srv_handle_admin_reload, SRV_BODY_NONE, NULL, 0, SRV_ROUTES_ADMIN},
    {"GET", "/", srv_handle_page, SRV_BODY_NONE, NULL, 0, 0},
    {"GET", "/app.js", srv_handle_page, SRV_BODY_NONE, NULL, 0, 0},
    {"GET", "/style.css", srv_handle_page, SRV_BODY_NONE, NULL, 0, 0},
};

#define NROUTES (sizeof routes / sizeof routes[0])
_Static_assert(NROUTES <= SRV_MAX_ROUTES, "raise SRV_MAX_ROUTES");

static int enabled_route(const srv_route *r, unsigned enabled)
{
    return (r->only_if & enabled) == r->only_if;
}

size_t srv_route_count(void)
{
    return NROUTES;
}

const srv_route *srv_route_at(size_t i)
{
    return i < NROUTES ? &routes[i] : NULL;
}

int srv_route_slot(const char *path, unsigned enabled)
{
    for (size_t i = 0; i < NROUTES; i++)
        if (enabled_route(&routes[i], enabled) && strcmp(routes[i].path, path) == 0)
            return (int)i;
    return -1;
}

const srv_route *srv_route_find(const char *method, const char *path, unsigned enabled,
                                srv_reply *rp)
{
    char allow[64] = "";
    int path_known = 0;
    int head = strcmp(method, "HEAD") == 0;
    for (size_t i = 0; i < NROUTES; i++) {
        const srv_route *r = &routes[i];
        if (!enabled_route(r, enabled) || strcmp(r->path, path) != 0)
            continue;
        path_known = 1;
        if (strcmp(r->method, method) == 0 || (head && strcmp(r->method, "GET") == 0))
            return r;
        if (allow[0])
            strcat(allow, ", ");
        strcat(allow, r->method);
        if (strcmp(r->method, "GET") == 0)
            strcat(allow, ", HEAD");
    }
    char detail[200];
    if (!path_known) {
        snprintf(detail, sizeof detail, "no resource at this path; see GET /openapi.json");
        srv_reply_problem(rp, SRV_P_NOT_FOUND, detail);
        return NULL;
    }
    snprintf(detail, sizeof detail, "this resource accepts %s", allow);
    srv_reply_problem(rp, SRV_P_METHOD_NOT_ALLOWED, detail);
    /* The Allow value must outlive this call: pick it from the table again. */
    for (size_t i = 0; i < NROUTES; i++)
        if (enabled_route(&routes[i], enabled) && strcmp(routes[i].path, path) == 0) {
            rp->allow = strcmp(routes[i].method, "GET") == 0 ? "GET, HEAD" : routes[i].method;
            break;
        }
    return NULL;
}

void srv_media_type(const char *ct, char *out, size_t cap)
{
    size_t n = 0;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    while (*ct && *ct != ';' && *ct != ' ' && *ct != '\t' && n + 1 < cap)
        out[n++] = (char)tolower((unsigned char)*ct++);
    out[n] = '\0';
}

/* The charset parameter of a Content-Type, lower-cased, or "" when absent. */
static void charset_of(const char *ct, char *out, size_t cap)
{
    out[0] = '\0';
    const char *p = ct;
    while ((p = strchr(p, ';')) != NULL) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, "charset", 7) != 0)
            continue;
        p += 7;
        while (*p == ' ')
            p++;
        if (*p != '=')
            continue;
        p++;
        while (*p == ' ')
            p++;
        int quoted = *p == '"';
        p += quoted;
        size_t n = 0;
        while (*p && *p != ';' && *p != '"' && *p != ' ' && n + 1 < cap)
            out[n++] = (char)tolower((unsigned char)*p++);
        out[n] = '\0';
        return;
    }
}

static int media_accepted(const char *list, const char *type)
{
    size_t n = strlen(type);
    for (const char *p = list; p && *p;) {
        const char *c = strchr(p, ',');
        size_t k = c ? (size_t)(c - p) : strlen(p);
        if (k == n && strncmp(p, type, n) == 0)
            return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}

/* Does the comma-separated header value list contain `token` (case-insensitive)? */
static int has_token(const char *list, const char *token)
{
    size_t n = strlen(token);
    for (const char *p = list; p && *p; p++)
        if (strncasecmp(p, token, n) == 0)
            return 1;
    return 0;
}

int srv_route_check_body(const srv_route *r, const char *content_length,
                         const char *transfer_encoding, const char *content_type,
                         size_t max_body, srv_reply *rp)
{
    char detail[240];
    int chunked = transfer_encoding && has_token(transfer_encoding, "chunked");
    if (!content_length && !chunked) {
        srv_reply_problem(rp, SRV_P_LENGTH_REQUIRED,
                          "send the body with a Content-Length header or chunked");
        return -1;
    }
    if (content_length) {
        char *end;
        unsigned long long n = strtoull(content_length, &end, 10);
        if (end != content_length && n > max_body) {
            snprintf(detail, sizeof detail,
                     "the body is %llu bytes; the limit is %zu bytes (--max-body)", n, max_body);
            srv_reply_problem(rp, SRV_P_BODY_TOO_LARGE, detail);
            return -1;
        }
    }
    if (r->media_types) {
        char type[80], charset[40];
        srv_media_type(content_type ? content_type : "", type, sizeof type);
        charset_of(content_type ? content_type : "", charset, sizeof charset);
        if (!type[0] || !media_accepted(r->media_types, type)) {
            snprintf(detail, sizeof detail, "Content-Type '%s' is not accepted here; use %s",
                     type[0] ? type : "(none)", r->media_types);
            srv_reply_problem(rp, SRV_P_UNSUPPORTED_MEDIA_TYPE, detail);
            return -1;
        }
        if (charset[0] && strcmp(charset, "utf-8") != 0 && strcmp(charset, "utf8") != 0) {
            snprintf(detail, sizeof detail, "charset '%s' is not supported; send UTF-8",
                     charset);
            srv_reply_problem(rp, SRV_P_UNSUPPORTED_MEDIA_TYPE, detail);
            return -1;
        }
    }
    return 0;
}
