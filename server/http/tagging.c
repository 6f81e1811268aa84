/* One v1 request to one v1 answer, with the library's own request and response functions. */
#include "http/tagging.h"

#include <stdlib.h>

#include "wiretag/tag.h"

static void count(srv_tally *tally, const wt_request *req, const wt_result *r)
{
    size_t n;
    const wt_entity *e = wt_result_entities(r, &n);
    tally->documents++;
    tally->text_bytes += req->doc.text_len + (req->doc.title ? req->doc.title_len : 0);
    tally->entities += n;
    for (size_t i = 0; i < n; i++)
        if ((unsigned)e[i].type < 4)
            tally->by_type[e[i].type]++;
}

char *srv_tag_respond(const wt_tagger *t, const wt_request *req, size_t *len, wt_error *err,
                      srv_tally *tally)
{
    wt_result *r = wt_tag(t, &req->doc, &req->opts, err);
    if (!r)
        return NULL;
    char *json = wt_response_json(t, r, req, len, err);
    if (json && tally)
        count(tally, req, r);
    wt_result_free(r);
    return json;
}

char *srv_tag_line(const wt_tagger *t, const wt_request *req, const wt_error *parse_err, long line,
                   size_t *len, int *ok, srv_tally *tally)
{
    wt_error err;
    wt_error_clear(&err);
    char *json = NULL;
    if (parse_err && parse_err->code != WT_E_OK)
        err = *parse_err;
    else
        json = srv_tag_respond(t, req, len, &err, tally);
    *ok = json != NULL;
    if (json)
        return json;
    if (tally)
        tally->failed++;
    return wt_error_json(&err, req->id_json, line, len);
}
