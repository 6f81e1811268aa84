/* The handlers: plain functions from a request to a reply, callable without a socket. */
#ifndef SRV_HANDLERS_H
#define SRV_HANDLERS_H

#include "http/request.h"

void srv_handle_tag(srv_request *rq, srv_reply *rp);
void srv_handle_health(srv_request *rq, srv_reply *rp);
void srv_handle_ready(srv_request *rq, srv_reply *rp);
void srv_handle_version(srv_request *rq, srv_reply *rp);

#endif
