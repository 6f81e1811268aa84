/* The handlers: plain functions from a request to a reply, callable without a socket. */
#ifndef SRV_HANDLERS_H
#define SRV_HANDLERS_H

#include "http/request.h"

void srv_handle_tag(srv_request *rq, srv_reply *rp);
void srv_handle_health(srv_request *rq, srv_reply *rp);
void srv_handle_ready(srv_request *rq, srv_reply *rp);
void srv_handle_version(srv_request *rq, srv_reply *rp);

/* POST /v1/tag/batch: NDJSON in, NDJSON out; or {"documents": [...]} in, {"results": [...]}
 * out. One result per document in input order; a bad document gets an error object in its
 * place and does not fail the batch (batch_handler.c). */
void srv_handle_batch(srv_request *rq, srv_reply *rp);

/* GET /metrics: Prometheus text format 0.0.4 (metrics.c). */
void srv_handle_metrics(srv_request *rq, srv_reply *rp);

#endif
