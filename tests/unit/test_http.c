/* The HTTP layer without a socket: routing (404, 405 with Allow), body checks (411, 413, 415),
 * problem bodies, handlers called directly, and settings from flags and environment. */
#include <jansson.h>
#include <stdlib.h>

#include "check.h"
#include "cli/config.h"
#include "fixture.h"
#include "http/handlers.h"
#include "http/problem.h"
#include "http/router.h"
#include "http/server.h"

static json_t *body_json(const srv_reply *rp)
{
    json_error_t je;
    return json_loadb(rp->body, rp->len, 0, &je);
}

static void routing(void)
{
    srv_reply rp = {0};
    CHECK(srv_route_find("POST", "/v1/tag", 0, &rp) != NULL);
    CHECK(srv_route_find("GET", "/health", 0, &rp) != NULL);
    CHECK(srv_route_find("HEAD", "/health", 0, &rp) != NULL);
    CHECK(srv_route_find("GET", "/nope", 0, &rp) == NULL);
    CHECK_INT(rp.status, 404);
    CHECK_STR(rp.content_type, "application/problem+json");
    json_t *o = body_json(&rp);
    CHECK_STR(json_string_value(json_object_get(o, "code")), "not_found");
    CHECK_INT(json_integer_value(json_object_get(o, "status")), 404);
    CHECK(json_string_value(json_object_get(o, "type")) != NULL);
    CHECK(json_string_value(json_object_get(o, "detail")) != NULL);
    json_decref(o);
    free(rp.body);
    memset(&rp, 0, sizeof rp);
    CHECK(srv_route_find("GET", "/v1/tag", 0, &rp) == NULL);
    CHECK_INT(rp.status, 405);
    CHECK_STR(rp.allow, "POST");
    free(rp.body);
    memset(&rp, 0, sizeof rp);
    CHECK(srv_route_find("DELETE", "/health", 0, &rp) == NULL);
    CHECK_STR(rp.allow, "GET, HEAD");
    free(rp.body);
}

static unsigned check_body(const char *cl, const char *te, const char *ct, size_t max)
{
    srv_reply rp = {0};
    srv_reply find = {0};
    const srv_route *r = srv_route_find("POST", "/v1/tag", 0, &find);
    int rc = srv_route_check_body(r, cl, te, ct, max, &rp);
    unsigned status = rc == 0 ? 0 : rp.status;
    free(rp.body);
    return status;
}

static void body_checks(void)
{
    CHECK_INT(check_body("10", NULL, "application/json", 100), 0);
    CHECK_INT(check_body(NULL, "chunked", "text/plain; charset=utf-8", 100), 0);
    CHECK_INT(check_body(NULL, NULL, "application/json", 100), 411);
    CHECK_INT(check_body("101", NULL, "application/json", 100), 413);
    CHECK_INT(check_body("10", NULL, "application/xml", 100), 415);
    CHECK_INT(check_body("10", NULL, "text/html; charset=utf-8", 100), 0);
    CHECK_INT(check_body("10", NULL, NULL, 100), 415);
    CHECK_INT(check_body("10", NULL, "text/plain; charset=ISO-8859-1", 100), 415);
    CHECK_INT(check_body("10", NULL, "Application/JSON; Charset=\"UTF-8\"", 100), 0);
    char type[32];
    srv_media_type("  Text/Plain ; charset=utf-8", type, sizeof type);
    CHECK_STR(type, "text/plain");
}

static const char *no_args(void *cls, const char *name)
{
    (void)name;
    return (const char *)cls;
}

static void handlers(void)
{
    srv_config cfg;
    char *argv[] = {"--max-text", "1000"};
    CHECK(srv_config_parse(&cfg, SRV_FOR_SERVE, 2, argv) == 0);
    srv_server s;
    memset(&s, 0, sizeof s);
    s.cfg = &cfg;
    srv_holder_init(&s.holder);
    srv_request rq;
    memset(&rq, 0, sizeof rq);
    rq.srv = &s;
    srv_reply rp = {0};

    /* Before the data is loaded: alive, not ready. */
    srv_handle_health(&rq, &rp);
    CHECK_INT(rp.status, 200);
    CHECK_STR(rp.body, "{\"status\":\"ok\"}");
    free(rp.body);
    memset(&rp, 0, sizeof rp);
    srv_handle_ready(&rq, &rp);
    CHECK_INT(rp.status, 503);
    free(rp.body);
    memset(&rp, 0, sizeof rp);

    CHECK(srv_holder_swap(&s.holder, fixture_tagger()) == 0);
    atomic_store(&s.ready, 1);
    srv_handle_ready(&rq, &rp);
    CHECK_INT(rp.status, 200);
    CHECK_CONTAINS(rp.body, "\"status\":\"ready\"");
    free(rp.body);
    memset(&rp, 0, sizeof rp);

    /* POST /v1/tag as text/plain with options from the query string. */
    rq.tagger = srv_holder_acquire(&s.holder);
    strcpy(rq.content_type, "text/plain");
    rq.body = "Russian and NATO";
    rq.len = strlen(rq.body);
    rq.arg = no_args;
    rq.arg_cls = NULL;
    srv_handle_tag(&rq, &rp);
    CHECK_INT(rp.status, 200);
    CHECK_CONTAINS(rp.body, "\"name\":\"Russia\"");
    CHECK_INT(rq.tally.entities, 2);
    free(rp.body);
    memset(&rp, 0, sizeof rp);
    rq.arg_cls = "person,bogus"; /* every argument answers this */
    srv_handle_tag(&rq, &rp);
    CHECK_INT(rp.status, 422);
    CHECK_CONTAINS(rp.body, "\"code\":\"invalid_option\"");
    free(rp.body);
    memset(&rp, 0, sizeof rp);

    /* JSON bodies: bad UTF-8 is a 400 with the offset; too much text a 413. */
    strcpy(rq.content_type, "application/json; charset=utf-8");
    rq.body = "{\"text\": \"a\xff\"}";
    rq.len = strlen(rq.body);
    srv_handle_tag(&rq, &rp);
    CHECK_INT(rp.status, 400);
    CHECK_CONTAINS(rp.body, "\"code\":\"invalid_utf8\"");
    CHECK_CONTAINS(rp.body, "\"offset\":11");
    free(rp.body);
    memset(&rp, 0, sizeof rp);
    char big[1200];
    snprintf(big, sizeof big, "{\"text\": \"%01100d\"}", 0);
    rq.body = big;
    rq.len = strlen(big);
    srv_handle_tag(&rq, &rp);
    CHECK_INT(rp.status, 413);
    CHECK_CONTAINS(rp.body, "\"code\":\"text_too_large\"");
    free(rp.body);
    srv_tagger_release(rq.tagger);
    srv_holder_destroy(&s.holder);
}

static void settings(void)
{
    srv_config c;
    setenv("WIRETAG_LISTEN", "127.0.0.1:9999", 1);
    setenv("WIRETAG_DATA", "/a:/b", 1);
    setenv("WIRETAG_MAX_BODY", "1234", 1);
    char *argv[] = {"--max-body=99", "--data", "/c", "--log-format", "json"};
    CHECK(srv_config_parse(&c, SRV_FOR_SERVE, 5, argv) == 0);
    CHECK_STR(c.listen, "127.0.0.1:9999");
    CHECK_INT(c.max_body, 99); /* the flag wins over the variable */
    CHECK_INT(c.ndata, 3);
    CHECK_STR(c.data[0], "/a");
    CHECK_STR(c.data[2], "/c");
    CHECK_STR(c.log_format, "json");
    const char *dirs[8];
    CHECK_INT(srv_config_dirs(&c, dirs, 8), 4); /* bundled first */
    char *bad1[] = {"--threads", "many"};
    CHECK(srv_config_parse(&c, SRV_FOR_SERVE, 2, bad1) < 0);
    char *bad2[] = {"--jsonl"}; /* a tag flag is not a serve flag */
    CHECK(srv_config_parse(&c, SRV_FOR_SERVE, 1, bad2) < 0);
    char *bad3[] = {"--log-format", "xml"};
    CHECK(srv_config_parse(&c, SRV_FOR_SERVE, 2, bad3) < 0);
    unsetenv("WIRETAG_LISTEN");
    unsetenv("WIRETAG_DATA");
    unsetenv("WIRETAG_MAX_BODY");
    char *tag[] = {"--jsonl", "file.txt"};
    CHECK(srv_config_parse(&c, SRV_FOR_TAG, 2, tag) == 0);
    CHECK(c.jsonl);
    CHECK_STR(c.file, "file.txt");
}

int main(void)
{
    routing();
    body_checks();
    handlers();
    settings();
    return check_report("http");
}
