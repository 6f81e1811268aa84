/* Log lines, each written with one call so that lines from different threads never mix. */
#include "http/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "http/server.h"

static void timestamp(char *out, size_t cap)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    size_t n = strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, cap - n, ".%03ldZ", (long)(tv.tv_usec / 1000));
}

static int json_format(const struct srv_server *s)
{
    return s && s->cfg && strcmp(s->cfg->log_format, "json") == 0;
}

/* Writes a JSON object as one line. */
static void emit_json(json_t *o)
{
    char *line = json_dumps(o, JSON_COMPACT);
    if (line) {
        fprintf(stderr, "%s\n", line);
        free(line);
    }
    json_decref(o);
}

void srv_log_request(const struct srv_server *s, const srv_request *rq, double ms)
{
    char ts[40];
    timestamp(ts, sizeof ts);
    size_t in = rq->len;
    if (json_format(s)) {
        json_t *o = json_object();
        json_object_set_new(o, "ts", json_string(ts));
        json_object_set_new(o, "level", json_string("info"));
        json_object_set_new(o, "event", json_string("request"));
        json_object_set_new(o, "remote", json_string(rq->remote));
        json_object_set_new(o, "method", json_string(rq->method));
        json_t *path = json_string(rq->path);
        json_object_set_new(o, "path", path ? path : json_string("(not UTF-8)"));
        json_object_set_new(o, "status", json_integer(rq->status));
        json_object_set_new(o, "bytes_in", json_integer((json_int_t)in));
        json_object_set_new(o, "bytes_out", json_integer((json_int_t)rq->bytes_out));
        json_object_set_new(o, "duration_ms", json_real(ms));
        json_object_set_new(o, "entities", json_integer((json_int_t)rq->tally.entities));
        json_object_set_new(o, "request_id", json_string(rq->request_id));
        emit_json(o);
        return;
    }
    /* The path is printed up to 200 bytes with control characters escaped. */
    char path[256];
    size_t n = 0;
    for (const char *p = rq->path; *p && n < 200; p++)
        n += (unsigned char)*p < 0x20 || *p == 0x7f
                 ? (size_t)snprintf(path + n, sizeof path - n, "\\x%02x", (unsigned char)*p)
                 : (size_t)(path[n] = *p, 1);
    path[n] = '\0';
    fprintf(stderr,
            "%s info request remote=%s method=%s path=%s status=%u in=%zu out=%zu ms=%.3f "
            "entities=%zu id=%s\n",
            ts, rq->remote[0] ? rq->remote : "-", rq->method, path, rq->status, in,
            rq->bytes_out, ms, rq->tally.entities, rq->request_id);
}

void srv_log_event(const struct srv_server *s, const char *level, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char ts[40];
    timestamp(ts, sizeof ts);
    if (json_format(s)) {
        json_t *o = json_object();
        json_object_set_new(o, "ts", json_string(ts));
        json_object_set_new(o, "level", json_string(level));
        json_object_set_new(o, "event", json_string("message"));
        json_t *m = json_string(msg);
        json_object_set_new(o, "message", m ? m : json_string("(not UTF-8)"));
        emit_json(o);
        return;
    }
    fprintf(stderr, "%s %s %s\n", ts, level, msg);
}
