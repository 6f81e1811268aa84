/* The v1 wire format: request objects in, response objects out (JSON). Shared by the HTTP
 * service and the command-line tool so that both speak exactly the same contract. */
#ifndef WIRETAG_V1_H
#define WIRETAG_V1_H

#include <stddef.h>

#include "wiretag/error.h"
#include "wiretag/html.h"
#include "wiretag/tag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Units of the offsets in a response. */
typedef enum wt_unit { WT_UNIT_CODEPOINT, WT_UNIT_UTF16, WT_UNIT_BYTE } wt_unit;

/* A parsed v1 request. Strings point into storage owned by the request. */
typedef struct wt_request {
    wt_document doc; /* for HTML input, doc.text is the visible text of `html` */
    wt_options opts;
    wt_unit unit;
    wt_html *html;        /* HTML input, or NULL: offsets then point into the HTML source */
    wt_annotate annotate; /* options.annotate: "first" or "all" (HTML input only) */
    char *id_json; /* the "id" member re-encoded as JSON (a string or a number), or NULL */
    void *json;    /* private: the parsed body */
} wt_request;

/* Sets *req to an empty request: no text, all types, code points. */
void wt_request_init(wt_request *req);

/* Parses a v1 request object from a JSON body of `len` bytes (NUL bytes in the body are
 * errors). On failure returns -1 and fills *err: WT_E_INVALID_JSON with line and column for
 * malformed JSON; WT_E_INVALID_UTF8 with the byte offset; WT_E_MISSING_TEXT,
 * WT_E_INVALID_REQUEST or WT_E_INVALID_OPTION (message names the member) for valid JSON that
 * breaks the contract. Unknown top-level members are ignored. On success returns 0; release
 * the request with wt_request_release() either way. */
int wt_request_parse_json(wt_request *req, const char *body, size_t len, wt_error *err);

/* Applies one option given as text, as in a query string: name "types" (comma-separated type
 * names), "offsets" ("codepoint", "utf16", "byte") or "annotate" ("first", "all"; HTML only).
 * Returns 0, or -1 with WT_E_INVALID_OPTION in *err for an unknown name or value. */
int wt_request_set_option(wt_request *req, const char *name, const char *value, wt_error *err);

/* Makes `html` (len bytes, which must outlive the request) the request's input: parses it and
 * sets doc.text to its visible text. Returns 0, or -1 with WT_E_HTML_NOT_UTF8 or WT_E_NOMEM. */
int wt_request_set_html(wt_request *req, const char *html, size_t len, wt_error *err);

/* Frees what the request owns (not the caller's text buffers). Safe to call twice. */
void wt_request_release(wt_request *req);

/* Writes the v1 response for `r` as one line of JSON (no trailing newline), with offsets in
 * `unit` and the request's id echoed. For HTML input, text offsets point into the HTML source,
 * mentions inside links carry "in_link": true, and with options.annotate the response carries
 * the annotated HTML as "html". Returns a malloc'd, NUL-terminated buffer the caller
 * frees with free(), and its length in *len; NULL with WT_E_NOMEM on failure. */
char *wt_response_json(const wt_tagger *t, const wt_result *r, const wt_request *req, size_t *len,
                       wt_error *err);

/* Writes a v1 per-line error object for the JSON-lines mode:
 * {"id":…,"error":{"code":…,"message":…,"line":N,…}}. `id_json` may be NULL. Caller frees. */
char *wt_error_json(const wt_error *e, const char *id_json, long input_line, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
