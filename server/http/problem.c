/* Problem details (RFC 9457) for every error the service answers with. */
#include "http/problem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static const struct {
    const char *code;
    unsigned status;
    const char *title;
} problems[] = {
#define SRV_PROBLEM_ROW(e, code, status, title) {code, status, title},
    SRV_PROBLEM_LIST(SRV_PROBLEM_ROW)
#undef SRV_PROBLEM_ROW
};

/* Library codes to HTTP statuses, in the order of WT_ERROR_LIST. */
static const unsigned error_status[WT_E__COUNT] = {
    [WT_E_OK] = 200,
    [WT_E_NOMEM] = 500,
    [WT_E_INVALID_UTF8] = 400,
    [WT_E_HTML_NOT_UTF8] = 415,
    [WT_E_HTML_TOO_COMPLEX] = 422,
    [WT_E_TEXT_TOO_LARGE] = 413,
    [WT_E_INVALID_JSON] = 400,
    [WT_E_INVALID_REQUEST] = 422,
    [WT_E_MISSING_TEXT] = 422,
    [WT_E_INVALID_OPTION] = 422,
    [WT_E_DATA_IO] = 422,
    [WT_E_DATA_SYNTAX] = 422,
    [WT_E_DATA_CONFLICT] = 422,
    [WT_E_DATA_LIMIT] = 422,
};

unsigned srv_status_of_error(wt_error_code code)
{
    return (unsigned)code < WT_E__COUNT && error_status[code] ? error_status[code] : 500;
}

const char *srv_status_title(unsigned status)
{
    switch (status) {
        case 200: return "OK";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 411: return "Length Required";
        case 413: return "Content Too Large";
        case 415: return "Unsupported Media Type";
        case 422: return "Unprocessable Content";
        case 503: return "Service Unavailable";
        default: return "Internal Server Error";
    }
}

/* jansson wants valid UTF-8; a detail quoting bad input is cleaned first. */
static json_t *safe_string(const char *s)
{
    json_t *j = json_string(s);
    if (j)
        return j;
    char clean[512];
    size_t n = 0;
    for (; *s && n < sizeof clean - 1; s++)
        clean[n++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
    clean[n] = '\0';
    return json_string(clean);
}

static char *render(const char *code, unsigned status, const char *title, const char *detail,
                    const wt_error *e, size_t *len)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    char type[96];
    snprintf(type, sizeof type, "urn:wiretag:problem:%s", code);
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, "title", json_string(title));
    json_object_set_new(o, "status", json_integer(status));
    json_object_set_new(o, "detail", safe_string(detail));
    json_object_set_new(o, "code", json_string(code));
    if (e) {
        if (e->line > 0)
            json_object_set_new(o, "line", json_integer(e->line));
        if (e->column > 0)
            json_object_set_new(o, "column", json_integer(e->column));
        if (e->offset >= 0)
            json_object_set_new(o, "offset", json_integer(e->offset));
        if (e->file[0]) {
            int data = e->code >= WT_E_DATA_IO && e->code <= WT_E_DATA_LIMIT;
            json_object_set_new(o, data ? "file" : "field", safe_string(e->file));
        }
    }
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (s && len)
        *len = strlen(s);
    return s;
}

char *srv_problem_from_error(const wt_error *e, unsigned *status, size_t *len)
{
    *status = srv_status_of_error(e->code);
    const char *detail = e->message[0] ? e->message : wt_error_default_message(e->code);
    return render(wt_error_name(e->code), *status, srv_status_title(*status), detail, e, len);
}

char *srv_problem_body(srv_problem p, const char *detail, unsigned *status, size_t *len)
{
    *status = problems[p].status;
    return render(problems[p].code, problems[p].status, problems[p].title, detail, NULL, len);
}

char *srv_problem_at(srv_problem p, const wt_error *e, unsigned *status, size_t *len)
{
    *status = problems[p].status;
    const char *detail = e->message[0] ? e->message : wt_error_default_message(e->code);
    return render(problems[p].code, problems[p].status, problems[p].title, detail, e, len);
}
