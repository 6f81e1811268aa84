/* The operations layer without a socket: bearer tokens and their comparison, admin routes that
 * exist only with a token, route slots, the metrics (recording and exposition), the batch
 * handler in both formats, the admin reload handler, and the drain-delay setting. */
#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "cli/config.h"
#include "fixture.h"
#include "http/admin_handler.h"
#include "http/handlers.h"
#include "http/metrics.h"
#include "http/problem.h"
#include "http/router.h"
#include "http/server.h"

static void reset(srv_reply *rp)
{
    free(rp->body);
    memset(rp, 0, sizeof *rp);
}

static const char *header(const srv_reply *rp, const char *name)
{
    for (size_t i = 0; i < rp->nheaders; i++)
        if (strcmp(rp->headers[i].name, name) == 0)
            return rp->headers[i].value;
    return NULL;
}

static void tokens(void)
{
    const char *secret = "s3cret-token";
    size_t n = strlen(secret);
    CHECK(srv_equal_constant_time("s3cret-token", n, secret, n));
    CHECK(!srv_equal_constant_time("s3cret-tokeN", n, secret, n));
    CHECK(!srv_equal_constant_time("X3cret-token", n, secret, n));
    CHECK(!srv_equal_constant_time("s3cret", 6, secret, n));                    /* a prefix */
    CHECK(!srv_equal_constant_time("s3cret-token-and", 16, secret, n));         /* longer */
    CHECK(!srv_equal_constant_time("s3cret-tokens3cret-token", 24, secret, n)); /* cycled */
    CHECK(!srv_equal_constant_time("", 0, secret, n));
    CHECK(!srv_equal_constant_time("", 0, "", 0)); /* an empty secret never matches */

    srv_reply rp = {0};
    CHECK(srv_auth_check("Bearer s3cret-token", secret, &rp) == 0);
    CHECK(srv_auth_check("bearer  s3cret-token ", secret, &rp) == 0);
    CHECK(rp.body == NULL);
    const char *bad[] = {NULL,
                         "",
                         "Bearer",
                         "Bearer ",
                         "Basic s3cret-token",
                         "s3cret-token",
                         "Bearer s3cret-toke",
                         "Bearer s3cret-token2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(srv_auth_check(bad[i], secret, &rp) < 0);
        CHECK_INT(rp.status, 401);
        CHECK_CONTAINS(rp.body, "\"code\":\"unauthorized\"");
        CHECK_CONTAINS(header(&rp, "WWW-Authenticate"), "Bearer");
        reset(&rp);
    }
}

static void admin_routes(void)
{
    srv_reply rp = {0};
    /* Without the admin flag the route is answered as a path that does not exist. */
    CHECK(srv_route_find("POST", "/admin/reload", 0, &rp) == NULL);
    CHECK_INT(rp.status, 404);
    CHECK(rp.allow == NULL);
    reset(&rp);
    CHECK(srv_route_find("GET", "/admin/reload", 0, &rp) == NULL);
    CHECK_INT(rp.status, 404);
    reset(&rp);
    const srv_route *r = srv_route_find("POST", "/admin/reload", SRV_ROUTES_ADMIN, &rp);
    CHECK(r != NULL && (r->only_if & SRV_ROUTES_ADMIN));
    CHECK(srv_route_find("GET", "/admin/reload", SRV_ROUTES_ADMIN, &rp) == NULL);
    CHECK_INT(rp.status, 405);
    CHECK_STR(rp.allow, "POST");
    reset(&rp);
    CHECK(srv_route_find("POST", "/v1/tag/batch", 0, &rp) != NULL);
    CHECK(srv_route_find("GET", "/metrics", 0, &rp) != NULL);
    CHECK(srv_route_find("HEAD", "/openapi.json", 0, &rp) != NULL);

    /* Slots: one per path, the first route of it; -1 for unknown or absent paths. */
    int slot = srv_route_slot("/health", 0);
    CHECK(slot >= 0 && strcmp(srv_route_at((size_t)slot)->path, "/health") == 0);
    CHECK_INT(srv_route_slot("/nope", 0), -1);
    CHECK_INT(srv_route_slot("/admin/reload", 0), -1);
    CHECK(srv_route_slot("/admin/reload", SRV_ROUTES_ADMIN) >= 0);
    CHECK(srv_route_count() <= SRV_MAX_ROUTES);
}

/* A server with the fixture tagger loaded, as the handlers see it. */
static void server_init(srv_server *s, srv_config *cfg, int argc, char **argv)
{
    CHECK(srv_config_parse(cfg, SRV_FOR_SERVE, argc, argv) == 0);
    memset(s, 0, sizeof *s);
    s->cfg = cfg;
    srv_holder_init(&s->holder);
    pthread_mutex_init(&s->reload_mu, NULL);
    CHECK(srv_holder_swap(&s->holder, fixture_tagger()) == 0);
    atomic_store(&s->ready, 1);
}

static void record(srv_server *s, const char *method, const char *path, unsigned status,
                   double seconds, size_t countries)
{
    srv_request rq;
    memset(&rq, 0, sizeof rq);
    rq.method = method;
    rq.route_slot = srv_route_slot(path, srv_server_routes(s));
    rq.status = status;
    rq.tally.documents = countries ? 1 : 0;
    rq.tally.text_bytes = countries ? 100 : 0;
    rq.tally.by_type[WT_COUNTRY] = countries;
    srv_metrics_record(&s->metrics, &rq, seconds);
}

static void metrics(void)
{
    srv_config cfg;
    srv_server s;
    server_init(&s, &cfg, 0, NULL);
    record(&s, "POST", "/v1/tag", 200, 0.0002, 2);
    record(&s, "POST", "/v1/tag", 200, 0.003, 1);
    record(&s, "POST", "/v1/tag", 422, 0.00005, 0);
    record(&s, "GET", "/nope", 404, 0.00001, 0);
    record(&s, "BREW", "/health", 418, 20.0, 0);
    size_t len = 0;
    char *text = srv_metrics_render(&s, &len);
    CHECK(text != NULL && len == strlen(text));
    CHECK_CONTAINS(text, "# TYPE wiretag_http_requests_total counter\n");
    CHECK_CONTAINS(
        text, "wiretag_http_requests_total{method=\"POST\",route=\"/v1/tag\",status=\"200\"} 2\n");
    CHECK_CONTAINS(
        text, "wiretag_http_requests_total{method=\"POST\",route=\"/v1/tag\",status=\"422\"} 1\n");
    CHECK_CONTAINS(text, "{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n");
    CHECK_CONTAINS(text, "{method=\"other\",route=\"/health\",status=\"other\"} 1\n");
    /* Buckets are cumulative; 20 s lands in +Inf only. */
    CHECK_CONTAINS(text, "_bucket{route=\"/v1/tag\",le=\"0.0001\"} 1\n");
    CHECK_CONTAINS(text, "_bucket{route=\"/v1/tag\",le=\"0.00025\"} 2\n");
    CHECK_CONTAINS(text, "_bucket{route=\"/v1/tag\",le=\"0.005\"} 3\n");
    CHECK_CONTAINS(text, "_bucket{route=\"/v1/tag\",le=\"+Inf\"} 3\n");
    CHECK_CONTAINS(text, "wiretag_http_request_duration_seconds_count{route=\"/v1/tag\"} 3\n");
    CHECK_CONTAINS(text,
                   "wiretag_http_request_duration_seconds_sum{route=\"/v1/tag\"} 0.003250000\n");
    CHECK_CONTAINS(text, "_bucket{route=\"/health\",le=\"10\"} 0\n");
    CHECK_CONTAINS(text, "_bucket{route=\"/health\",le=\"+Inf\"} 1\n");
    CHECK_CONTAINS(text, "_count{route=\"unmatched\"} 1\n");
    CHECK(!strstr(text, "route=\"/admin/reload\"")); /* no token: the route does not exist */
    CHECK_CONTAINS(text, "wiretag_documents_tagged_total 2\n");
    CHECK_CONTAINS(text, "wiretag_bytes_tagged_total 200\n");
    CHECK_CONTAINS(text, "wiretag_entities_total{type=\"country\"} 3\n");
    CHECK_CONTAINS(text, "wiretag_entities_total{type=\"person\"} 0\n");
    CHECK_CONTAINS(text, "wiretag_data_entries{type=\"country\"} 7\n");
    CHECK_CONTAINS(text, "wiretag_data_entries{type=\"other\"} 1\n");
    CHECK_CONTAINS(text, "wiretag_data_info{data=\"");
    CHECK_CONTAINS(text, "wiretag_data_generation 1\n");
    CHECK_CONTAINS(text, "wiretag_reloads_total 0\n");
    CHECK_CONTAINS(text, "wiretag_build_info{version=\"" WT_VERSION "\"} 1\n");
    CHECK_CONTAINS(text, "# TYPE process_cpu_seconds_total counter\n");
    CHECK_CONTAINS(text, "process_open_fds ");
    free(text);

    /* The handler: 200 in the text format's content type. */
    srv_request rq;
    memset(&rq, 0, sizeof rq);
    rq.srv = &s;
    srv_reply rp = {0};
    srv_handle_metrics(&rq, &rp);
    CHECK_INT(rp.status, 200);
    CHECK_STR(rp.content_type, "text/plain; version=0.0.4; charset=utf-8");
    reset(&rp);
    srv_holder_destroy(&s.holder);
}

static void batch(void)
{
    srv_config cfg;
    srv_server s;
    char *argv[] = {"--batch-max-docs", "3", "--max-text", "40"};
    server_init(&s, &cfg, 4, argv);
    srv_request rq;
    memset(&rq, 0, sizeof rq);
    rq.srv = &s;
    rq.tagger = srv_holder_acquire(&s.holder);
    srv_reply rp = {0};

    strcpy(rq.content_type, "application/x-ndjson");
    rq.body = "{\"id\":1,\"text\":\"Russian and NATO\"}\r\n\n{\"id\":2}\n{\"text\": \"" /* line 4 */
              "Turkey and Jordan and Turkey and Jordan and Turkey\"}";
    rq.len = strlen(rq.body);
    srv_handle_batch(&rq, &rp);
    CHECK_INT(rp.status, 200);
    CHECK_STR(rp.content_type, "application/x-ndjson");
    CHECK(rp.body && strncmp(rp.body, "{\"id\":1,\"offsets\"", 17) == 0);
    CHECK_CONTAINS(rp.body, "}\n{\"id\":2,\"error\":{\"code\":\"missing_text\"");
    CHECK_CONTAINS(rp.body, "\"line\":3}}\n{\"id\":null,\"error\":{\"code\":\"text_too_large\"");
    CHECK_CONTAINS(rp.body, "\"line\":4}}\n");
    CHECK_INT(rq.tally.documents, 1);
    CHECK_INT(rq.tally.failed, 2);
    CHECK_INT(rq.tally.entities, 2);
    CHECK_INT(rq.tally.text_bytes, 16);
    reset(&rp);

    strcpy(rq.content_type, "application/json");
    rq.body = "{\"documents\": [{\"text\": \"Turkey\", \"id\": \"t\"}, 5, {\"text\": \"\"}]}";
    rq.len = strlen(rq.body);
    srv_handle_batch(&rq, &rp);
    CHECK_INT(rp.status, 200);
    CHECK_STR(rp.content_type, "application/json");
    json_error_t je;
    json_t *o = json_loadb(rp.body, rp.len, 0, &je);
    json_t *res = json_object_get(o, "results");
    CHECK_INT(json_array_size(res), 3);
    CHECK_STR(json_string_value(json_object_get(json_array_get(res, 0), "id")), "t");
    CHECK_STR(json_string_value(
                  json_object_get(json_object_get(json_array_get(res, 1), "error"), "code")),
              "invalid_request");
    CHECK(json_is_array(json_object_get(json_array_get(res, 2), "entities")));
    json_decref(o);
    reset(&rp);

    /* Whole-request errors. */
    struct {
        const char *type, *body;
        unsigned status;
        const char *code;
    } bad[] = {
        {"application/json", "{\"documents\": [", 400, "invalid_json"},
        {"application/json", "{\"documents\": {}}", 422, "invalid_request"},
        {"application/json", "[]", 422, "invalid_request"},
        {"application/json", "{\"documents\": [1, 2, 3, 4]}", 413, "too_many_documents"},
        {"application/x-ndjson", "{}\n{}\n\n{}\n{}\n", 413, "too_many_documents"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        strcpy(rq.content_type, bad[i].type);
        rq.body = (char *)bad[i].body;
        rq.len = strlen(rq.body);
        srv_handle_batch(&rq, &rp);
        CHECK_INT(rp.status, bad[i].status);
        CHECK_STR(rp.content_type, "application/problem+json");
        char want[64];
        snprintf(want, sizeof want, "\"code\":\"%s\"", bad[i].code);
        CHECK_CONTAINS(rp.body, want);
        reset(&rp);
    }
    srv_tagger_release(rq.tagger);
    srv_holder_destroy(&s.holder);
}

static void admin_reload(void)
{
    char dir[] = "/tmp/wiretag-ops-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char file[128];
    snprintf(file, sizeof file, "%s/a.gaz", dir);
    FILE *f = fopen(file, "w");
    fputs("# test\ncountry:XA | Examplia\n", f);
    fclose(f);
    srv_config cfg;
    char *argv[] = {"--bundled-data", "none", "--data", dir, "--log-format", "json"};
    CHECK(srv_config_parse(&cfg, SRV_FOR_SERVE, 6, argv) == 0);
    srv_server s;
    memset(&s, 0, sizeof s);
    s.cfg = &cfg;
    srv_holder_init(&s.holder);
    pthread_mutex_init(&s.reload_mu, NULL);
    srv_request rq;
    memset(&rq, 0, sizeof rq);
    rq.srv = &s;
    srv_reply rp = {0};
    srv_handle_admin_reload(&rq, &rp); /* the first load, then a reload */
    reset(&rp);
    srv_handle_admin_reload(&rq, &rp);
    CHECK_INT(rp.status, 200);
    CHECK_CONTAINS(rp.body, "{\"status\":\"reloaded\",\"data\":\"");
    CHECK_CONTAINS(rp.body, "\"generation\":2}");
    reset(&rp);
    f = fopen(file, "a");
    fputs("nonsense without a type\n", f);
    fclose(f);
    srv_handle_admin_reload(&rq, &rp);
    CHECK_INT(rp.status, 422);
    CHECK_CONTAINS(rp.body, "\"code\":\"reload_failed\"");
    CHECK_CONTAINS(rp.body, "\"line\":3");
    CHECK_CONTAINS(rp.body, "\"file\":\"/tmp/wiretag-ops-");
    reset(&rp);
    CHECK_INT(atomic_load(&s.reloads), 1);
    CHECK_INT(atomic_load(&s.reload_failures), 1);
    srv_tagger *st = srv_holder_acquire(&s.holder);
    CHECK(st && st->generation == 2); /* the data loaded before still serves */
    srv_tagger_release(st);
    srv_holder_destroy(&s.holder);
    unlink(file);
    rmdir(dir);
}

static void settings(void)
{
    srv_config c;
    CHECK(srv_config_parse(&c, SRV_FOR_SERVE, 0, NULL) == 0);
    CHECK_INT(c.drain_delay, 0);
    CHECK_INT(c.batch_max_docs, 1000);
    setenv("WIRETAG_DRAIN_DELAY", "7", 1);
    CHECK(srv_config_parse(&c, SRV_FOR_SERVE, 0, NULL) == 0);
    CHECK_INT(c.drain_delay, 7);
    char *argv[] = {"--drain-delay", "3", "--batch-max-docs=9"};
    CHECK(srv_config_parse(&c, SRV_FOR_SERVE, 3, argv) == 0);
    CHECK_INT(c.drain_delay, 3);
    CHECK_INT(c.batch_max_docs, 9);
    unsetenv("WIRETAG_DRAIN_DELAY");
    char *zero[] = {"--batch-max-docs", "0"};
    CHECK(srv_config_parse(&c, SRV_FOR_SERVE, 2, zero) < 0);
    setenv("WIRETAG_ADMIN_TOKEN", "t", 1);
    CHECK(srv_config_parse(&c, SRV_FOR_SERVE, 0, NULL) == 0);
    CHECK_STR(c.admin_token, "t");
    unsetenv("WIRETAG_ADMIN_TOKEN");
}

int main(void)
{
    json_object_seed(0);
    tokens();
    admin_routes();
    metrics();
    batch();
    admin_reload();
    settings();
    return check_report("ops");
}
