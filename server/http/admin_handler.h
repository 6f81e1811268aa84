/* The admin routes (POST /admin/reload): who may call them, a bearer token compared with
 * WIRETAG_ADMIN_TOKEN in constant time, checked by the dispatcher before anything else runs;
 * and what they do. They exist only when the token is set. */
#ifndef SRV_ADMIN_HANDLER_H
#define SRV_ADMIN_HANDLER_H

#include <stddef.h>

#include "http/request.h"

/* 1 when a and b (lengths na, nb) are equal, else 0. The time taken depends on na only, never
 * on the contents of either or on nb: there is no early exit on the first differing byte, and
 * a length mismatch is folded into the same result. Pass the secret as b. */
int srv_equal_constant_time(const char *a, size_t na, const char *b, size_t nb);

/* Checks "Authorization: Bearer <token>" (the scheme in any case) against `token`. Returns 0,
 * or -1 with a 401 unauthorized problem carrying WWW-Authenticate: Bearer in *rp. */
int srv_auth_check(const char *authorization, const char *token, srv_reply *rp);

/* POST /admin/reload: reloads the data, like SIGHUP, and says what is loaded now: 200
 * {"status":"reloaded","data":…,"generation":N}, or 422 reload_failed with the file and line
 * of the data error (the data loaded before keeps serving). */
void srv_handle_admin_reload(srv_request *rq, srv_reply *rp);

#endif
