/* Logs: one line per request and one per event (start-up, reload, shutdown), in text or JSON
 * lines on standard error. */
#ifndef SRV_LOG_H
#define SRV_LOG_H

#include "http/request.h"

struct srv_server;

void srv_log_request(const struct srv_server *s, const srv_request *rq, double ms);

void srv_log_event(const struct srv_server *s, const char *level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
