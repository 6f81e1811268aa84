/* POST /v1/tag: a v1 request as JSON, or the article itself as text/plain or text/html with
 * options in the query string. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/problem.h"
#include "http/router.h"
#include "http/server.h"
#include "http/tagging.h"
#include "wiretag/v1.h"

static int annotate_needs_html(wt_error *err)
{
    wt_error_clear(err);
    err->code = WT_E_INVALID_OPTION;
    snprintf(err->message, sizeof err->message, "annotate applies to text/html input only");
    return -1;
}

/* Options of a text/plain or text/html request come from the query string. */
static int query_options(srv_request *rq, wt_request *req, wt_error *err)
{
    static const char *const names[] = {"types", "offsets", "annotate"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = srv_arg(rq, names[i]);
        if (v && wt_request_set_option(req, names[i], v, err) < 0)
            return -1;
    }
    return 0;
}

void srv_handle_tag(srv_request *rq, srv_reply *rp)
{
    const wt_tagger *t = rq->tagger->t;
    wt_request req;
    wt_request_init(&req);
    wt_error err;
    wt_error_clear(&err);
    char type[80];
    srv_media_type(rq->content_type, type, sizeof type);
    int rc;
    if (strcmp(type, "application/json") == 0) {
        rc = wt_request_parse_json(&req, rq->body ? rq->body : "", rq->len, &err);
    } else if (strcmp(type, "text/html") == 0) {
        rc = wt_request_set_html(&req, rq->body ? rq->body : "", rq->len, &err);
        if (rc == 0)
            rc = query_options(rq, &req, &err);
    } else {
        req.doc.text = rq->body ? rq->body : "";
        req.doc.text_len = rq->len;
        rc = query_options(rq, &req, &err);
        if (rc == 0 && req.annotate != WT_ANNOTATE_NONE)
            rc = annotate_needs_html(&err);
    }
    if (rc == 0) {
        req.opts.max_text = rq->srv->cfg->max_text;
        size_t len;
        char *json = srv_tag_respond(t, &req, &len, &err, &rq->tally);
        if (json)
            srv_reply_json(rp, 200, json, len);
    }
    if (err.code != WT_E_OK)
        srv_reply_error(rp, &err);
    wt_request_release(&req);
}
