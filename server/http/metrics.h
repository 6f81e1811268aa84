/* The service's counters for GET /metrics: requests by method, route and status, request
 * durations by route, documents, bytes and entities tagged. They live in the server (no
 * globals), are plain atomics, and are updated once per request in the completion callback. */
#ifndef SRV_METRICS_H
#define SRV_METRICS_H

#include <stdatomic.h>
#include <stddef.h>

#include "http/request.h"
#include "http/router.h"

/* Label values are bounded so that a client cannot grow the series without limit: methods
 * outside the list count as "other", and so do statuses the service never answers with. */
#define SRV_METRICS_METHODS  8  /* GET HEAD POST PUT DELETE PATCH OPTIONS other */
#define SRV_METRICS_STATUSES 15 /* the statuses of metrics.c's table, then "other" */
#define SRV_METRICS_ROUTES   (SRV_MAX_ROUTES + 1) /* route slots, then "unmatched" */
#define SRV_METRICS_BUCKETS  17 /* upper bounds of metrics.c's table, then +Inf */

typedef struct srv_histogram {
    /* Observations per bucket, not cumulative: one increment per request, and the exposition
     * adds them up, so `+Inf` and `_count` come from the same reads and always agree. */
    atomic_ulong bucket[SRV_METRICS_BUCKETS];
    atomic_ullong sum_ns; /* nanoseconds: atomics on doubles would need a CAS loop */
} srv_histogram;

typedef struct srv_metrics {
    atomic_ulong requests[SRV_METRICS_ROUTES][SRV_METRICS_METHODS][SRV_METRICS_STATUSES];
    srv_histogram duration[SRV_METRICS_ROUTES];
    atomic_ulong documents;   /* documents tagged (each document of a batch counts) */
    atomic_ulong text_bytes;  /* bytes of text and title of those documents */
    atomic_ulong entities[4]; /* entities reported, by wt_type */
} srv_metrics;

/* Counts one finished request: its route slot, method, status, duration and what it tagged.
 * Thread-safe; lock-free. `m` must be zeroed before first use (the server is memset). */
void srv_metrics_record(srv_metrics *m, const srv_request *rq, double seconds);

struct srv_server;

/* The Prometheus text exposition (format 0.0.4) of a server's metrics, process figures
 * included. Returns a malloc'd buffer and its length, or NULL when memory runs out. */
char *srv_metrics_render(struct srv_server *s, size_t *len);

#endif
