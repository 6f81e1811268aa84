/* GET /metrics: the server's counters, the loaded data and the process, in the Prometheus text
 * exposition format 0.0.4. Counting happens in srv_metrics_record (once per request, from the
 * completion callback); this file also renders. */
#include "http/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/procstat.h"
#include "http/server.h"
#include "wiretag/tagger.h"

/* Methods with a label of their own; any other counts as "other". */
static const char *const methods[SRV_METRICS_METHODS - 1] = {"GET",    "HEAD",  "POST",   "PUT",
                                                             "DELETE", "PATCH", "OPTIONS"};

/* Every status the service answers with (the problem table, 200, and 408/499 for clients that
 * went away); a status outside it counts as "other". */
static const unsigned statuses[SRV_METRICS_STATUSES - 1] = {200, 400, 401, 404, 405, 408, 411,
                                                            413, 415, 422, 431, 499, 500, 503};

/* Upper bounds of the duration buckets in seconds: a tag of a short article takes a tenth of a
 * millisecond, a megabyte several hundred milliseconds, a slow client up to the timeout. */
static const double bounds[SRV_METRICS_BUCKETS - 1] = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};

static size_t method_index(const char *m)
{
    for (size_t i = 0; m && i < SRV_METRICS_METHODS - 1; i++)
        if (strcmp(methods[i], m) == 0)
            return i;
    return SRV_METRICS_METHODS - 1;
}

static size_t status_index(unsigned st)
{
    for (size_t i = 0; i < SRV_METRICS_STATUSES - 1; i++)
        if (statuses[i] == st)
            return i;
    return SRV_METRICS_STATUSES - 1;
}

static size_t bucket_index(double seconds)
{
    size_t i = 0;
    while (i < SRV_METRICS_BUCKETS - 1 && seconds > bounds[i])
        i++;
    return i;
}

#define ADD(counter, n) atomic_fetch_add_explicit(&(counter), (n), memory_order_relaxed)
#define GET(counter)    atomic_load_explicit(&(counter), memory_order_relaxed)

void srv_metrics_record(srv_metrics *m, const srv_request *rq, double seconds)
{
    size_t r = rq->route_slot >= 0 && rq->route_slot < SRV_MAX_ROUTES ? (size_t)rq->route_slot
                                                                      : SRV_METRICS_ROUTES - 1;
    if (seconds < 0)
        seconds = 0;
    ADD(m->requests[r][method_index(rq->method)][status_index(rq->status)], 1);
    srv_histogram *h = &m->duration[r];
    ADD(h->bucket[bucket_index(seconds)], 1);
    ADD(h->sum_ns, (unsigned long long)(seconds * 1e9));
    if (rq->tally.documents) {
        ADD(m->documents, rq->tally.documents);
        ADD(m->text_bytes, rq->tally.text_bytes);
    }
    for (size_t t = 0; t < 4; t++)
        if (rq->tally.by_type[t])
            ADD(m->entities[t], rq->tally.by_type[t]);
}

static void family(FILE *f, const char *name, const char *type, const char *help)
{
    fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value with \, " and newline escaped, as the text format wants. */
static void label_value(FILE *f, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\' || *v == '"')
            fputc('\\', f);
        if (*v == '\n')
            fputs("\\n", f);
        else
            fputc(*v, f);
    }
}

/* The label of a route slot, or NULL when the slot is not the first enabled route of its path
 * (its requests are counted under that first one). The last slot is "unmatched". */
static const char *route_label(size_t slot, unsigned enabled)
{
    if (slot == SRV_METRICS_ROUTES - 1)
        return "unmatched";
    const srv_route *r = srv_route_at(slot);
    return r && srv_route_slot(r->path, enabled) == (int)slot ? r->path : NULL;
}

static void render_requests(FILE *f, srv_metrics *m, unsigned enabled)
{
    family(f, "wiretag_http_requests_total", "counter",
           "HTTP requests answered, by method, route (the route table's path, or unmatched) "
           "and status.");
    for (size_t r = 0; r < SRV_METRICS_ROUTES; r++) {
        const char *route = route_label(r, enabled);
        for (size_t k = 0; route && k < SRV_METRICS_METHODS; k++)
            for (size_t s = 0; s < SRV_METRICS_STATUSES; s++) {
                unsigned long n = GET(m->requests[r][k][s]);
                if (!n)
                    continue;
                char status[16];
                if (s < SRV_METRICS_STATUSES - 1)
                    snprintf(status, sizeof status, "%u", statuses[s]);
                else
                    snprintf(status, sizeof status, "other");
                fprintf(
                    f,
                    "wiretag_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %lu\n",
                    k < SRV_METRICS_METHODS - 1 ? methods[k] : "other", route, status, n);
            }
    }
    family(f, "wiretag_http_request_duration_seconds", "histogram",
           "Time from the first byte of a request to the end of its reply, by route.");
    for (size_t r = 0; r < SRV_METRICS_ROUTES; r++) {
        const char *route = route_label(r, enabled);
        if (!route)
            continue;
        srv_histogram *h = &m->duration[r];
        unsigned long cum = 0;
        for (size_t b = 0; b < SRV_METRICS_BUCKETS; b++) {
            cum += GET(h->bucket[b]);
            if (b < SRV_METRICS_BUCKETS - 1)
                fprintf(
                    f, "wiretag_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n",
                    route, bounds[b], cum);
            else
                fprintf(
                    f,
                    "wiretag_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n",
                    route, cum);
        }
        fprintf(f, "wiretag_http_request_duration_seconds_sum{route=\"%s\"} %.9f\n", route,
                (double)GET(h->sum_ns) / 1e9);
        fprintf(f, "wiretag_http_request_duration_seconds_count{route=\"%s\"} %lu\n", route, cum);
    }
}

static void render_tagging(FILE *f, srv_metrics *m)
{
    family(f, "wiretag_documents_tagged_total", "counter",
           "Documents tagged successfully (each document of a batch counts).");
    fprintf(f, "wiretag_documents_tagged_total %lu\n", GET(m->documents));
    family(f, "wiretag_bytes_tagged_total", "counter",
           "Bytes of text and title of the documents tagged (the visible text of HTML).");
    fprintf(f, "wiretag_bytes_tagged_total %lu\n", GET(m->text_bytes));
    family(f, "wiretag_entities_total", "counter", "Entities reported, by type.");
    for (size_t t = 0; t < 4; t++)
        fprintf(f, "wiretag_entities_total{type=\"%s\"} %lu\n", wt_type_name((wt_type)t),
                GET(m->entities[t]));
}

static void render_data(FILE *f, srv_server *s)
{
    srv_tagger *st = srv_holder_acquire(&s->holder);
    if (st) { /* nothing is loaded yet while the first load runs */
        wt_tagger_info info;
        wt_tagger_get_info(st->t, &info);
        family(
            f, "wiretag_data_entries", "gauge",
            "Gazetteer entries of the loaded data, by type (place and other are never reported).");
        for (size_t t = 0; t < WT_TYPE__COUNT; t++)
            fprintf(f, "wiretag_data_entries{type=\"%s\"} %zu\n", wt_type_name((wt_type)t),
                    info.entries[t]);
        family(f, "wiretag_data_aliases", "gauge", "Names and aliases of the loaded data.");
        fprintf(f, "wiretag_data_aliases %zu\n", info.aliases);
        family(f, "wiretag_data_info", "gauge", "The identifier of the loaded data; always 1.");
        fputs("wiretag_data_info{data=\"", f);
        label_value(f, info.data_id);
        fputs("\"} 1\n", f);
        family(f, "wiretag_data_generation", "gauge",
               "1 for the data loaded at start, one more for each successful reload.");
        fprintf(f, "wiretag_data_generation %llu\n", (unsigned long long)st->generation);
        family(f, "wiretag_data_loaded_timestamp_seconds", "gauge",
               "When the loaded data was loaded, in seconds since the Unix epoch.");
        fprintf(f, "wiretag_data_loaded_timestamp_seconds %.3f\n", st->loaded_at);
        srv_tagger_release(st);
    }
    family(f, "wiretag_reloads_total", "counter",
           "Successful data reloads (SIGHUP or POST /admin/reload), the load at start excluded.");
    fprintf(f, "wiretag_reloads_total %ld\n", atomic_load(&s->reloads));
    family(f, "wiretag_reload_failures_total", "counter",
           "Reloads that failed; the data loaded before kept serving.");
    fprintf(f, "wiretag_reload_failures_total %ld\n", atomic_load(&s->reload_failures));
}

static void render_process(FILE *f, srv_server *s)
{
    family(f, "wiretag_http_requests_in_flight", "gauge",
           "Requests received and not yet completed (this one included).");
    fprintf(f, "wiretag_http_requests_in_flight %ld\n", atomic_load(&s->in_flight));
    family(f, "wiretag_build_info", "gauge", "The version of wiretag; always 1.");
    fprintf(f, "wiretag_build_info{version=\"%s\"} 1\n", WT_VERSION);
    srv_procstat p;
    if (srv_procstat_read(&p) < 0)
        return;
    family(f, "process_cpu_seconds_total", "counter", "User and system CPU time in seconds.");
    fprintf(f, "process_cpu_seconds_total %.2f\n", p.cpu_seconds);
    family(f, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    fprintf(f, "process_resident_memory_bytes %.0f\n", p.resident_bytes);
    family(f, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
    fprintf(f, "process_virtual_memory_bytes %.0f\n", p.virtual_bytes);
    family(f, "process_start_time_seconds", "gauge",
           "Start time of the process since the Unix epoch in seconds.");
    fprintf(f, "process_start_time_seconds %.2f\n", p.start_time_seconds);
    if (p.open_fds >= 0) {
        family(f, "process_open_fds", "gauge", "Number of open file descriptors.");
        fprintf(f, "process_open_fds %.0f\n", p.open_fds);
    }
    if (p.max_fds >= 0) {
        family(f, "process_max_fds", "gauge", "Maximum number of open file descriptors.");
        fprintf(f, "process_max_fds %.0f\n", p.max_fds);
    }
}

char *srv_metrics_render(srv_server *s, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return NULL;
    render_requests(f, &s->metrics, srv_server_routes(s));
    render_tagging(f, &s->metrics);
    render_data(f, s);
    render_process(f, s);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

void srv_handle_metrics(srv_request *rq, srv_reply *rp)
{
    size_t len = 0;
    char *body = srv_metrics_render(rq->srv, &len);
    free(rp->body);
    rp->status = 200;
    rp->content_type = "text/plain; version=0.0.4; charset=utf-8";
    rp->body = body; /* NULL: send_reply answers 500 out of memory */
    rp->len = body ? len : 0;
}
