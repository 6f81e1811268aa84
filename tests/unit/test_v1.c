/* The v1 contract: request parsing (every error class), options, id echo, and responses whose
 * text always equals the slice of the input at the offsets. */
#include <jansson.h>
#include <stdlib.h>

#include "check.h"
#include "fixture.h"
#include "wiretag/v1.h"

static wt_error_code parse(const char *body, wt_request *req, wt_error *err)
{
    wt_request_init(req);
    wt_request_parse_json(req, body, strlen(body), err);
    return err->code;
}

static void requests(void)
{
    wt_request req;
    wt_error err;
    CHECK_INT(parse("{\"text\": \"Russia\"}", &req, &err), WT_E_OK);
    CHECK_INT(req.doc.text_len, 6);
    CHECK(req.id_json == NULL);
    wt_request_release(&req);

    CHECK_INT(parse("{\"text\": \"a\", \"id\": \"a1\", \"title\": \"T\", \"extra\": [1],"
                    " \"options\": {\"types\": [\"person\", \"country\"], \"offsets\": \"utf16\"}}",
                    &req, &err),
              WT_E_OK);
    CHECK_STR(req.id_json, "\"a1\"");
    CHECK_INT(req.opts.types, (1u << WT_PERSON) | (1u << WT_COUNTRY));
    CHECK_INT(req.unit, WT_UNIT_UTF16);
    CHECK_INT(req.doc.title_len, 1);
    wt_request_release(&req);

    CHECK_INT(parse("{\"text\": \"a\", \"id\": 42}", &req, &err), WT_E_OK);
    CHECK_STR(req.id_json, "42");
    wt_request_release(&req);

    CHECK_INT(parse("{\"text\": \"a\\u0000b\"}", &req, &err), WT_E_OK); /* NUL in text */
    CHECK_INT(req.doc.text_len, 3);
    wt_request_release(&req);

    CHECK_INT(parse("{\"text\": \"x\"", &req, &err), WT_E_INVALID_JSON);
    CHECK_INT(err.line, 1);
    CHECK_INT(err.column, 12);
    wt_request_release(&req);
    CHECK_INT(parse("{\"text\": \"x\"} trailing", &req, &err), WT_E_INVALID_JSON);
    wt_request_release(&req);
    CHECK_INT(parse("{\"text\": \"x\", \"text\": \"y\"}", &req, &err), WT_E_INVALID_JSON);
    wt_request_release(&req);
    CHECK_INT(parse("{\"text\": \"\\ud800\"}", &req, &err), WT_E_INVALID_JSON);
    wt_request_release(&req);
    CHECK_INT(parse("{\"text\": \"\xc3\x28\"}", &req, &err), WT_E_INVALID_UTF8);
    CHECK_INT(err.offset, 10);
    wt_request_release(&req);
    CHECK_INT(parse("", &req, &err), WT_E_INVALID_JSON);
    wt_request_release(&req);
    CHECK_INT(parse("[\"text\"]", &req, &err), WT_E_INVALID_REQUEST);
    wt_request_release(&req);
    CHECK_INT(parse("{\"title\": \"x\"}", &req, &err), WT_E_MISSING_TEXT);
    wt_request_release(&req);
    CHECK_INT(parse("{\"text\": 5}", &req, &err), WT_E_INVALID_REQUEST);
    wt_request_release(&req);
    CHECK_INT(parse("{\"text\": \"\", \"title\": 1}", &req, &err), WT_E_INVALID_REQUEST);
    wt_request_release(&req);
    CHECK_INT(parse("{\"text\": \"\", \"id\": [1]}", &req, &err), WT_E_INVALID_REQUEST);
    wt_request_release(&req);
    CHECK_INT(parse("{\"text\": \"\", \"options\": 3}", &req, &err), WT_E_INVALID_OPTION);
    wt_request_release(&req);
    CHECK_INT(parse("{\"text\": \"\", \"options\": {\"types\": [\"city\"]}}", &req, &err),
              WT_E_INVALID_OPTION);
    CHECK_CONTAINS(err.message, "unknown type 'city'");
    wt_request_release(&req);
    CHECK_INT(parse("{\"text\": \"\", \"options\": {\"types\": []}}", &req, &err),
              WT_E_INVALID_OPTION);
    wt_request_release(&req);
    CHECK_INT(parse("{\"text\": \"\", \"options\": {\"offsets\": \"chars\"}}", &req, &err),
              WT_E_INVALID_OPTION);
    wt_request_release(&req);
    CHECK_INT(parse("{\"text\": \"\", \"options\": {\"colour\": 1}}", &req, &err),
              WT_E_INVALID_OPTION);
    CHECK_CONTAINS(err.message, "unknown option 'colour'");
    wt_request_release(&req);

    /* Options as text, as in a query string. */
    wt_request_init(&req);
    CHECK(wt_request_set_option(&req, "types", "person,treaty", &err) == 0);
    CHECK_INT(req.opts.types, (1u << WT_PERSON) | (1u << WT_TREATY));
    CHECK(wt_request_set_option(&req, "offsets", "byte", &err) == 0);
    CHECK(wt_request_set_option(&req, "types", "person,,", &err) < 0);
    CHECK(wt_request_set_option(&req, "speed", "fast", &err) < 0);
    wt_request_release(&req);
}

static void responses(wt_tagger *t)
{
    /* An emoji before the entities: offsets must count it right in every unit. */
    const char *body = "{\"id\": \"d7\", \"title\": \"RUSSIA\", \"text\": \"\xf0\x9f\x98\x80 "
                       "Russia\xe2\x80\x99s NATO envoy \\\"quoted\\\".\"}";
    const char *units[] = {"codepoint", "utf16", "byte"};
    const long starts[] = {2, 3, 5};
    for (int u = 0; u < 3; u++) {
        wt_request req;
        wt_error err;
        wt_request_init(&req);
        CHECK(wt_request_parse_json(&req, body, strlen(body), &err) == 0);
        wt_request_set_option(&req, "offsets", units[u], &err);
        wt_result *r = wt_tag(t, &req.doc, &req.opts, &err);
        size_t len;
        char *json = wt_response_json(t, r, &req, &len, &err);
        CHECK(json != NULL);
        json_error_t je;
        json_t *o = json_loadb(json, len, 0, &je);
        CHECK(o != NULL);
        CHECK_STR(json_string_value(json_object_get(o, "id")), "d7");
        CHECK_STR(json_string_value(json_object_get(o, "offsets")), units[u]);
        json_t *ents = json_object_get(o, "entities");
        CHECK_INT(json_array_size(ents), 2);
        json_t *ru = json_array_get(ents, 0);
        CHECK_STR(json_string_value(json_object_get(ru, "id")), "country:RU");
        CHECK_STR(json_string_value(json_object_get(ru, "source")), "gazetteer");
        CHECK_STR(json_string_value(json_object_get(json_object_get(ru, "attributes"), "iso2")), "RU");
        json_t *ms = json_object_get(ru, "mentions");
        CHECK_INT(json_array_size(ms), 2);
        json_t *m0 = json_array_get(ms, 0), *m1 = json_array_get(ms, 1);
        CHECK_STR(json_string_value(json_object_get(m0, "field")), "title");
        CHECK_INT(json_integer_value(json_object_get(m0, "start")), 0);
        CHECK_STR(json_string_value(json_object_get(m1, "field")), "text");
        CHECK_STR(json_string_value(json_object_get(m1, "text")), "Russia");
        CHECK_INT(json_integer_value(json_object_get(m1, "start")), starts[u]);
        CHECK_INT(json_integer_value(json_object_get(m1, "end")), starts[u] + 6);
        CHECK_STR(json_string_value(json_object_get(m1, "form")), "name");
        CHECK_STR(json_string_value(json_object_get(m1, "rule")), "gazetteer");
        json_t *stats = json_object_get(o, "stats");
        CHECK(json_integer_value(json_object_get(stats, "tokens")) > 5);
        CHECK(json_is_real(json_object_get(stats, "elapsed_ms")));
        CHECK_STR(json_string_value(json_object_get(json_object_get(o, "tagger"), "version")), WT_VERSION);
        json_decref(o);
        free(json);
        wt_result_free(r);
        wt_request_release(&req);
    }

    /* An error object for the JSON-lines mode. */
    wt_error e;
    wt_error_clear(&e);
    e.code = WT_E_MISSING_TEXT;
    strcpy(e.message, "no text");
    size_t len;
    char *line = wt_error_json(&e, "\"x9\"", 3, &len);
    CHECK_STR(line, "{\"id\":\"x9\",\"error\":{\"code\":\"missing_text\",\"detail\":\"no text\",\"line\":3}}");
    free(line);
}

int main(void)
{
    requests();
    wt_tagger *t = fixture_tagger();
    if (!t)
        return 1;
    responses(t);
    wt_tagger_free(t);
    return check_report("v1");
}
