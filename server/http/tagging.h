/* Tagging one parsed v1 request and writing its answer: the one place where a request becomes
 * a response line, shared by POST /v1/tag, POST /v1/tag/batch and `wiretag tag --jsonl`, so
 * that all three answer a document exactly alike. */
#ifndef SRV_TAGGING_H
#define SRV_TAGGING_H

#include <stddef.h>

#include "wiretag/v1.h"

/* What was tagged, for the request log and the metrics. */
typedef struct srv_tally {
    size_t documents;  /* documents tagged successfully */
    size_t failed;     /* documents answered with an error (batch and JSON lines) */
    size_t text_bytes; /* bytes of text and title of the documents tagged */
    size_t entities;   /* entities reported */
    size_t by_type[4]; /* the same, by wt_type (reported types only) */
} srv_tally;

/* Tags `req` (parsed already) on `t` and writes its v1 response. Returns the malloc'd JSON (no
 * trailing newline; caller frees) and its length, or NULL with *err filled. Adds what was
 * tagged to *tally (may be NULL). Thread-safe on a shared tagger. */
char *srv_tag_respond(const wt_tagger *t, const wt_request *req, size_t *len, wt_error *err,
                      srv_tally *tally);

/* The JSON-lines form: the response, or when parsing failed (`parse_err` holds an error; may
 * be NULL) or tagging failed, the per-line error object {"id":…,"error":{"code":…,"detail":…,
 * "line":N,…}} with the request's id and `line` (the input line, or 0 for none). Returns the
 * malloc'd line without its newline and its length, with *ok set to 1 for a response and 0
 * for an error object; NULL only when memory runs out. Counts the document in *tally (may be
 * NULL) either way. */
char *srv_tag_line(const wt_tagger *t, const wt_request *req, const wt_error *parse_err, long line,
                   size_t *len, int *ok, srv_tally *tally);

#endif
