/* The v1 wire format: parsing request objects with jansson, writing response objects by hand
 * (one pass, no intermediate tree). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "errors.h"
#include "offsets.h"
#include "tagger_impl.h"
#include "utf8.h"
#include "wiretag/v1.h"

void wt_request_init(wt_request *req)
{
    memset(req, 0, sizeof *req);
    req->doc.text = "";
    req->unit = WT_UNIT_CODEPOINT;
}

void wt_request_release(wt_request *req)
{
    wt_html_free(req->html);
    if (req->json)
        json_decref((json_t *)req->json);
    free(req->id_json);
    req->html = NULL;
    req->json = NULL;
    req->id_json = NULL;
}

int wt_request_set_html(wt_request *req, const char *html, size_t len, wt_error *err)
{
    wt_html_free(req->html);
    req->html = wt_html_parse(html, len, err);
    if (!req->html)
        return -1;
    req->doc.text = wt_html_text(req->html, &req->doc.text_len);
    return 0;
}

static int set_annotate(wt_request *req, const char *v, wt_error *err)
{
    if (strcmp(v, "first") == 0)
        req->annotate = WT_ANNOTATE_FIRST;
    else if (strcmp(v, "all") == 0)
        req->annotate = WT_ANNOTATE_ALL;
    else if (strcmp(v, "none") == 0)
        req->annotate = WT_ANNOTATE_NONE;
    else
        return wti_error_set(err, WT_E_INVALID_OPTION,
                             "\"annotate\" must be first, all or none, not '%.40s'", v);
    return 0;
}

static int bad_option(wt_error *err, const char *fmt, const char *arg)
{
    return wti_error_set(err, WT_E_INVALID_OPTION, fmt, arg);
}

static int set_types_one(wt_request *req, const char *name, size_t len, wt_error *err)
{
    int type = wt_type_from_name(name, len);
    if (type < 0 || type >= WT_TYPE__REPORTED) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.*s", (int)(len < 40 ? len : 40), name);
        return bad_option(err,
                          "unknown type '%s' in \"types\" (use person, organization, country, "
                          "treaty)",
                          tmp);
    }
    req->opts.types |= 1u << type;
    return 0;
}

static int set_offsets(wt_request *req, const char *v, wt_error *err)
{
    if (strcmp(v, "codepoint") == 0)
        req->unit = WT_UNIT_CODEPOINT;
    else if (strcmp(v, "utf16") == 0)
        req->unit = WT_UNIT_UTF16;
    else if (strcmp(v, "byte") == 0)
        req->unit = WT_UNIT_BYTE;
    else
        return bad_option(err, "\"offsets\" must be codepoint, utf16 or byte, not '%s'", v);
    return 0;
}

int wt_request_set_option(wt_request *req, const char *name, const char *value, wt_error *err)
{
    if (strcmp(name, "offsets") == 0)
        return set_offsets(req, value, err);
    if (strcmp(name, "annotate") == 0)
        return set_annotate(req, value, err);
    if (strcmp(name, "types") == 0) {
        req->opts.types = 0;
        const char *p = value;
        for (;;) {
            const char *c = strchr(p, ',');
            size_t n = c ? (size_t)(c - p) : strlen(p);
            if (set_types_one(req, p, n, err) < 0)
                return -1;
            if (!c)
                break;
            p = c + 1;
        }
        return 0;
    }
    return bad_option(err, "unknown option '%s' (use types, offsets, annotate)", name);
}

static int parse_options(wt_request *req, json_t *o, wt_error *err)
{
    if (!json_is_object(o))
        return bad_option(err, "%s", "\"options\" must be an object");
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        if (strcmp(key, "offsets") == 0) {
            if (!json_is_string(v))
                return bad_option(err, "%s", "\"offsets\" must be a string");
            if (set_offsets(req, json_string_value(v), err) < 0)
                return -1;
        } else if (strcmp(key, "types") == 0) {
            if (!json_is_array(v) || json_array_size(v) == 0)
                return bad_option(err, "%s", "\"types\" must be a non-empty array of type names");
            req->opts.types = 0;
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e)
            {
                if (!json_is_string(e))
                    return bad_option(err, "%s", "\"types\" must be an array of strings");
                if (set_types_one(req, json_string_value(e), json_string_length(e), err) < 0)
                    return -1;
            }
        } else if (strcmp(key, "annotate") == 0) {
            if (!json_is_string(v))
                return bad_option(err, "%s", "\"annotate\" must be a string");
            if (set_annotate(req, json_string_value(v), err) < 0)
                return -1;
        } else {
            return bad_option(err, "unknown option '%s' (use types, offsets, annotate)", key);
        }
    }
    return 0;
}

int wt_request_parse_json(wt_request *req, const char *body, size_t len, wt_error *err)
{
    wt_error_clear(err);
    size_t bad = wti_utf8_check(body, len);
    if (bad != len) {
        wti_error_set(err, WT_E_INVALID_UTF8, "body is not valid UTF-8: bad byte at offset %zu",
                      bad);
        if (err)
            err->offset = (long)bad;
        return -1;
    }
    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY,
                              &je);
    if (!root) {
        wti_error_set(err, WT_E_INVALID_JSON, "malformed JSON at line %d, column %d: %s",
                      je.line, je.column, je.text);
        if (err) {
            err->line = je.line;
            err->column = je.column;
            err->offset = je.position;
        }
        return -1;
    }
    req->json = root;
    if (!json_is_object(root))
        return wti_error_set(err, WT_E_INVALID_REQUEST, "the request must be a JSON object");
    /* The id first, so that an error about the rest can still name the request. */
    json_t *id = json_object_get(root, "id");
    if (id && !json_is_null(id)) {
        if (!json_is_string(id) && !json_is_integer(id))
            return wti_error_set(err, WT_E_INVALID_REQUEST,
                                 "\"id\" must be a string or an integer");
        req->id_json = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
        if (!req->id_json)
            return wti_error_set(err, WT_E_NOMEM, NULL);
    }
    json_t *text = json_object_get(root, "text");
    json_t *html = json_object_get(root, "html");
    if (text && json_is_null(text))
        text = NULL;
    if (html && json_is_null(html))
        html = NULL;
    if (text && html)
        return wti_error_set(err, WT_E_INVALID_REQUEST,
                             "give either \"text\" or \"html\", not both");
    if (!text && !html)
        return wti_error_set(err, WT_E_MISSING_TEXT,
                             "the request has no \"text\" (a string, possibly empty) or \"html\"");
    if (html) {
        if (!json_is_string(html))
            return wti_error_set(err, WT_E_INVALID_REQUEST, "\"html\" must be a string");
        if (wt_request_set_html(req, json_string_value(html), json_string_length(html), err) < 0)
            return -1;
    } else {
        if (!json_is_string(text))
            return wti_error_set(err, WT_E_INVALID_REQUEST, "\"text\" must be a string");
        req->doc.text = json_string_value(text);
        req->doc.text_len = json_string_length(text);
    }
    json_t *title = json_object_get(root, "title");
    if (title && !json_is_null(title)) {
        if (!json_is_string(title))
            return wti_error_set(err, WT_E_INVALID_REQUEST, "\"title\" must be a string");
        req->doc.title = json_string_value(title);
        req->doc.title_len = json_string_length(title);
    }
    json_t *opts = json_object_get(root, "options");
    if (opts && !json_is_null(opts) && parse_options(req, opts, err) < 0)
        return -1;
    if (req->annotate != WT_ANNOTATE_NONE && !req->html)
        return wti_error_set(err, WT_E_INVALID_OPTION,
                             "\"annotate\" applies to \"html\" input only");
    return 0;
}

/* Writes a score with at most three decimals and no trailing zeros. */
static void put_score(wti_buf *b, double v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%.3f", v);
    while (n > 1 && tmp[n - 1] == '0' && tmp[n - 2] != '.')
        n--;
    wti_buf_append(b, tmp, (size_t)n);
}

static const char *unit_name(wt_unit u)
{
    return u == WT_UNIT_UTF16 ? "utf16" : u == WT_UNIT_BYTE ? "byte" : "codepoint";
}

/* Every mention offset of one field, converted to the unit in one pass. */
static size_t *convert_field(const wt_result *r, const wt_document *doc, wt_field field,
                             wt_unit unit, const wt_html *html, const char *src, size_t src_len,
                             size_t *count)
{
    size_t n = 0, ne;
    const wt_entity *e = wt_result_entities(r, &ne);
    for (size_t i = 0; i < ne; i++)
        for (size_t k = 0; k < e[i].nmentions; k++)
            n += e[i].mentions[k].field == field;
    size_t *offs = malloc((n ? n : 1) * 2 * sizeof *offs);
    if (!offs)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < ne; i++)
        for (size_t k = 0; k < e[i].nmentions; k++)
            if (e[i].mentions[k].field == field) {
                const wt_mention *m = &e[i].mentions[k];
                if (html && field == WT_FIELD_TEXT) { /* into the HTML source */
                    int link;
                    wt_html_source_range(html, m->start, m->end, &offs[j], &offs[j + 1], &link);
                    j += 2;
                } else {
                    offs[j++] = m->start;
                    offs[j++] = m->end;
                }
            }
    const char *text = field == WT_FIELD_TITLE ? doc->title : doc->text;
    size_t len = field == WT_FIELD_TITLE ? doc->title_len : doc->text_len;
    if (html && field == WT_FIELD_TEXT)
        text = src, len = src_len;
    if (wti_offsets_convert(text, len, unit, offs, j) < 0) {
        free(offs);
        return NULL;
    }
    *count = j;
    return offs;
}

char *wt_response_json(const wt_tagger *t, const wt_result *r, const wt_request *req, size_t *len,
                       wt_error *err)
{
    wti_buf b;
    wti_buf_init(&b);
    const wt_document *doc = wt_result_document(r);
    size_t ntext = 0, ntitle = 0;
    size_t src_len = 0;
    const char *src = req->html ? wt_html_source(req->html, &src_len) : NULL;
    size_t *otext = convert_field(r, doc, WT_FIELD_TEXT, req->unit, req->html, src, src_len,
                                  &ntext);
    size_t *otitle = convert_field(r, doc, WT_FIELD_TITLE, req->unit, NULL, NULL, 0, &ntitle);
    if (!otext || !otitle) {
        free(otext);
        free(otitle);
        wti_error_set(err, WT_E_NOMEM, NULL);
        return NULL;
    }
    size_t jt = 0, jl = 0;
    wti_buf_putc(&b, '{');
    if (req->id_json) {
        wti_buf_puts(&b, "\"id\":");
        wti_buf_puts(&b, req->id_json);
        wti_buf_putc(&b, ',');
    }
    wti_buf_printf(&b, "\"offsets\":\"%s\",\"entities\":[", unit_name(req->unit));
    size_t ne;
    const wt_entity *e = wt_result_entities(r, &ne);
    for (size_t i = 0; i < ne; i++) {
        const wt_entity *en = &e[i];
        if (i)
            wti_buf_putc(&b, ',');
        wti_buf_puts(&b, "{\"id\":");
        wti_buf_json_string(&b, en->id, strlen(en->id));
        wti_buf_printf(&b, ",\"type\":\"%s\",\"name\":", wt_type_name(en->type));
        wti_buf_json_string(&b, en->name, strlen(en->name));
        if (en->naliases) {
            wti_buf_puts(&b, ",\"aliases\":[");
            for (size_t k = 0; k < en->naliases; k++) {
                if (k)
                    wti_buf_putc(&b, ',');
                wti_buf_json_string(&b, en->aliases[k], strlen(en->aliases[k]));
            }
            wti_buf_putc(&b, ']');
        }
        wti_buf_printf(&b, ",\"source\":\"%s\",\"confidence\":", en->source);
        put_score(&b, en->confidence);
        wti_buf_puts(&b, ",\"relevance\":");
        put_score(&b, en->relevance);
        wti_buf_puts(&b, ",\"attributes\":{");
        for (size_t k = 0; k < en->nattrs; k++) {
            if (k)
                wti_buf_putc(&b, ',');
            wti_buf_json_string(&b, en->attrs[k].key, strlen(en->attrs[k].key));
            wti_buf_putc(&b, ':');
            wti_buf_json_string(&b, en->attrs[k].value, strlen(en->attrs[k].value));
        }
        wti_buf_puts(&b, "},\"mentions\":[");
        for (size_t k = 0; k < en->nmentions; k++) {
            const wt_mention *m = &en->mentions[k];
            int title = m->field == WT_FIELD_TITLE;
            size_t *o = title ? &otitle[jl] : &otext[jt];
            const char *field = title ? doc->title : doc->text;
            if (title)
                jl += 2;
            else
                jt += 2;
            if (k)
                wti_buf_putc(&b, ',');
            wti_buf_printf(&b, "{\"start\":%zu,\"end\":%zu,\"text\":", o[0], o[1]);
            wti_buf_json_string(&b, field + m->start, m->end - m->start);
            wti_buf_printf(&b, ",\"field\":\"%s\",\"form\":\"%s\",",
                           title ? "title" : "text", wt_form_name(m->form));
            if (req->html && !title) {
                size_t hs, he;
                int link;
                wt_html_source_range(req->html, m->start, m->end, &hs, &he, &link);
                if (link)
                    wti_buf_puts(&b, "\"in_link\":true,");
            }
            wti_buf_puts(&b, "\"confidence\":");
            put_score(&b, m->confidence);
            wti_buf_puts(&b, ",\"rule\":");
            wti_buf_json_string(&b, m->rule, strlen(m->rule));
            wti_buf_putc(&b, '}');
        }
        wti_buf_puts(&b, "]}");
    }
    wti_buf_putc(&b, ']');
    if (req->html && req->annotate != WT_ANNOTATE_NONE) {
        size_t alen;
        char *annotated = wt_html_annotate(req->html, r, req->annotate, &alen);
        if (!annotated) {
            wti_buf_release(&b);
            free(otext);
            free(otitle);
            wti_error_set(err, WT_E_NOMEM, NULL);
            return NULL;
        }
        wti_buf_puts(&b, ",\"html\":");
        wti_buf_json_string(&b, annotated, alen);
        free(annotated);
    }
    const wt_stats *st = wt_result_stats(r);
    wti_buf_printf(&b,
                   ",\"stats\":{\"characters\":%zu,\"tokens\":%zu,\"sentences\":%zu,"
                   "\"elapsed_ms\":%.3f},\"tagger\":{\"version\":\"%s\",\"data\":\"%s\"}}",
                   st->characters, st->tokens, st->sentences, st->elapsed_ms, WT_VERSION,
                   t->info.data_id);
    free(otext);
    free(otitle);
    char *out = wti_buf_take(&b, len);
    if (!out)
        wti_error_set(err, WT_E_NOMEM, NULL);
    return out;
}

char *wt_error_json(const wt_error *e, const char *id_json, long input_line, size_t *len)
{
    wti_buf b;
    wti_buf_init(&b);
    wti_buf_puts(&b, "{\"id\":");
    wti_buf_puts(&b, id_json ? id_json : "null");
    wti_buf_printf(&b, ",\"error\":{\"code\":\"%s\",\"detail\":", wt_error_name(e->code));
    wti_buf_json_string(&b, e->message, strlen(e->message));
    if (input_line > 0)
        wti_buf_printf(&b, ",\"line\":%ld", input_line);
    if (e->column > 0)
        wti_buf_printf(&b, ",\"column\":%ld", e->column);
    if (e->offset >= 0)
        wti_buf_printf(&b, ",\"offset\":%ld", e->offset);
    wti_buf_puts(&b, "}}");
    return wti_buf_take(&b, len);
}
