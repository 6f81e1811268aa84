/* POST /v1/tag/batch: many documents in one request, answered in input order. NDJSON (one v1
 * request object per line, as `wiretag tag --jsonl` reads) is answered with NDJSON; a JSON
 * envelope {"documents": [...]} with {"results": [...]}. A bad document gets an error object in
 * its place and the others are tagged; only a body that is not a batch at all fails whole. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/problem.h"
#include "http/router.h"
#include "http/server.h"
#include "http/tagging.h"
#include "wiretag/v1.h"

/* The answers, one after another, in a memory stream. */
typedef struct batch_out {
    FILE *f;
    char *buf;
    size_t len;
    int oom;
} batch_out;

/* One line of the body without its line break, or none: blank lines carry no request. */
static int is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return 0;
    return 1;
}

/* Calls each(line, len, lineno, ctx) for every non-blank line of the body, numbering lines
 * from 1 as an editor would; returns how many there were. `each` may be NULL (counting). */
static size_t each_line(const char *body, size_t len,
                        void (*each)(const char *, size_t, long, void *), void *ctx)
{
    size_t docs = 0;
    long lineno = 0;
    for (size_t start = 0; start < len;) {
        const char *nl = memchr(body + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - body) : len;
        lineno++;
        size_t n = end - start;
        while (n > 0 && body[start + n - 1] == '\r')
            n--;
        if (!is_blank(body + start, n)) {
            docs++;
            if (each)
                each(body + start, n, lineno, ctx);
        }
        start = end + 1;
    }
    return docs;
}

typedef struct batch_ctx {
    srv_request *rq;
    batch_out *out;
    int first; /* no separator before the first result of a JSON envelope */
} batch_ctx;

/* Parses and tags one v1 request object and appends its answer (terminated by a newline in
 * NDJSON, preceded by a comma after the first in an envelope). */
static void tag_one(batch_ctx *c, const char *json, size_t n, long lineno, int ndjson)
{
    srv_request *rq = c->rq;
    wt_request req;
    wt_request_init(&req);
    wt_error err;
    wt_error_clear(&err);
    wt_request_parse_json(&req, json, n, &err);
    req.opts.max_text = rq->srv->cfg->max_text;
    size_t len = 0;
    int ok;
    char *line = srv_tag_line(rq->tagger->t, &req, &err, lineno, &len, &ok, &rq->tally);
    wt_request_release(&req);
    if (!line) {
        c->out->oom = 1;
        return;
    }
    if (!ndjson && !c->first)
        fputc(',', c->out->f);
    c->first = 0;
    fwrite(line, 1, len, c->out->f);
    if (ndjson)
        fputc('\n', c->out->f);
    free(line);
}

static void tag_ndjson_line(const char *line, size_t n, long lineno, void *ctx)
{
    tag_one(ctx, line, n, lineno, 1);
}

static void too_many(srv_reply *rp, size_t docs, size_t max)
{
    char detail[160];
    snprintf(detail, sizeof detail,
             "the batch has %zu documents; the limit is %zu (--batch-max-docs)", docs, max);
    srv_reply_problem(rp, SRV_P_TOO_MANY_DOCUMENTS, detail);
}

static void run_ndjson(srv_request *rq, srv_reply *rp, batch_out *out)
{
    const char *body = rq->body ? rq->body : "";
    size_t docs = each_line(body, rq->len, NULL, NULL);
    if (docs > rq->srv->cfg->batch_max_docs) {
        too_many(rp, docs, rq->srv->cfg->batch_max_docs);
        return;
    }
    batch_ctx c = {rq, out, 1};
    each_line(body, rq->len, tag_ndjson_line, &c);
    rp->status = 200;
    rp->content_type = "application/x-ndjson";
}

/* A body that is not JSON at all: described by the library's own parser, so that the problem
 * reads exactly as it would for POST /v1/tag (line, column, offset of bad UTF-8). */
static void reply_not_json(srv_request *rq, srv_reply *rp, const json_error_t *je)
{
    wt_request req;
    wt_request_init(&req);
    wt_error err;
    wt_error_clear(&err);
    if (wt_request_parse_json(&req, rq->body ? rq->body : "", rq->len, &err) == 0 ||
        (err.code != WT_E_INVALID_JSON && err.code != WT_E_INVALID_UTF8)) {
        /* jansson and the library disagree (they should not): report jansson's words */
        wt_error_clear(&err);
        err.code = WT_E_INVALID_JSON;
        err.line = je->line;
        err.column = je->column;
        snprintf(err.message, sizeof err.message, "malformed JSON at line %d, column %d: %s",
                 je->line, je->column, je->text);
    }
    wt_request_release(&req);
    srv_reply_error(rp, &err);
}

static void run_envelope(srv_request *rq, srv_reply *rp, batch_out *out)
{
    json_error_t je;
    /* The same flags as the library's request parser: a document that is fine alone is fine in
     * a batch. */
    json_t *root = json_loadb(rq->body ? rq->body : "", rq->len,
                              JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY, &je);
    if (!root) {
        reply_not_json(rq, rp, &je);
        return;
    }
    json_t *docs = json_is_object(root) ? json_object_get(root, "documents") : NULL;
    if (!json_is_array(docs)) {
        wt_error err;
        wt_error_clear(&err);
        err.code = WT_E_INVALID_REQUEST;
        snprintf(err.message, sizeof err.message,
                 "a JSON batch is an object with a \"documents\" array of v1 request objects");
        srv_reply_error(rp, &err);
        json_decref(root);
        return;
    }
    size_t n = json_array_size(docs);
    if (n > rq->srv->cfg->batch_max_docs) {
        too_many(rp, n, rq->srv->cfg->batch_max_docs);
        json_decref(root);
        return;
    }
    batch_ctx c = {rq, out, 1};
    fputs("{\"results\":[", out->f);
    for (size_t i = 0; i < n && !out->oom; i++) {
        /* Each document goes through the library's parser as the JSON it was, so that the
         * v1 contract is checked in one place only. */
        char *doc = json_dumps(json_array_get(docs, i), JSON_COMPACT | JSON_ENCODE_ANY);
        if (!doc) {
            out->oom = 1;
            break;
        }
        tag_one(&c, doc, strlen(doc), 0, 0);
        free(doc);
    }
    fputs("]}", out->f);
    json_decref(root);
    rp->status = 200;
    rp->content_type = "application/json";
}

void srv_handle_batch(srv_request *rq, srv_reply *rp)
{
    batch_out out = {NULL, NULL, 0, 0};
    out.f = open_memstream(&out.buf, &out.len);
    if (!out.f) {
        srv_reply_problem(rp, SRV_P_INTERNAL, "out of memory");
        return;
    }
    char type[80];
    srv_media_type(rq->content_type, type, sizeof type);
    if (strcmp(type, "application/json") == 0)
        run_envelope(rq, rp, &out);
    else
        run_ndjson(rq, rp, &out);
    int failed = fclose(out.f) != 0 || out.oom;
    if (rp->status != 200) { /* the whole request failed: rp holds the problem */
        free(out.buf);
        return;
    }
    if (failed) {
        free(out.buf);
        srv_reply_problem(rp, SRV_P_INTERNAL, "out of memory");
        return;
    }
    free(rp->body);
    rp->body = out.buf;
    rp->len = out.len;
}
