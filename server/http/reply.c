/* Filling replies: JSON bodies and problem details. */
#include <stdlib.h>
#include <string.h>

#include "http/problem.h"
#include "http/request.h"

void srv_reply_json(srv_reply *rp, unsigned status, char *body, size_t len)
{
    free(rp->body);
    rp->status = status;
    rp->content_type = "application/json";
    rp->body = body;
    rp->len = len;
}

static void set_problem(srv_reply *rp, unsigned status, char *body, size_t len)
{
    free(rp->body);
    rp->status = status;
    rp->content_type = "application/problem+json";
    rp->body = body;
    rp->len = body ? len : 0;
    if (!body)
        rp->status = 500;
}

void srv_reply_problem(srv_reply *rp, int problem, const char *detail)
{
    unsigned status;
    size_t len = 0;
    char *body = srv_problem_body((srv_problem)problem, detail, &status, &len);
    set_problem(rp, status, body, len);
}

void srv_reply_error(srv_reply *rp, const struct wt_error *e)
{
    unsigned status;
    size_t len = 0;
    char *body = srv_problem_from_error(e, &status, &len);
    set_problem(rp, status, body, len);
}

void srv_reply_problem_at(srv_reply *rp, int problem, const struct wt_error *e)
{
    unsigned status;
    size_t len = 0;
    char *body = srv_problem_at((srv_problem)problem, e, &status, &len);
    set_problem(rp, status, body, len);
}
