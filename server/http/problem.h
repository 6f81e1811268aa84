/* Error replies: RFC 9457 problem details with a machine-readable code. One list defines the
 * HTTP layer's own codes; one table maps the library's codes to statuses. */
#ifndef SRV_PROBLEM_H
#define SRV_PROBLEM_H

#include "wiretag/error.h"

/* X(ENUM, "code", status, "title") */
#define SRV_PROBLEM_LIST(X)                                                                    \
    X(NOT_FOUND, "not_found", 404, "Not Found")                                                \
    X(METHOD_NOT_ALLOWED, "method_not_allowed", 405, "Method Not Allowed")                     \
    X(LENGTH_REQUIRED, "length_required", 411, "Length Required")                              \
    X(AMBIGUOUS_LENGTH, "ambiguous_length", 400, "Bad Request")                                \
    X(BODY_TOO_LARGE, "body_too_large", 413, "Content Too Large")                              \
    X(UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", 415, "Unsupported Media Type")         \
    X(UNAUTHORIZED, "unauthorized", 401, "Unauthorized")                                       \
    X(NOT_READY, "not_ready", 503, "Service Unavailable")                                      \
    X(SHUTTING_DOWN, "shutting_down", 503, "Service Unavailable")                              \
    X(TOO_MANY_DOCUMENTS, "too_many_documents", 413, "Content Too Large")                      \
    X(RELOAD_FAILED, "reload_failed", 422, "Unprocessable Content")                            \
    X(INTERNAL, "internal_error", 500, "Internal Server Error")

typedef enum srv_problem {
#define SRV_PROBLEM_ENUM(e, code, status, title) SRV_P_##e,
    SRV_PROBLEM_LIST(SRV_PROBLEM_ENUM)
#undef SRV_PROBLEM_ENUM
        SRV_P__COUNT
} srv_problem;

/* The HTTP status for a library error code (400, 413, 415, 422, 500 ...). */
unsigned srv_status_of_error(wt_error_code code);

/* "Bad Request" and friends. */
const char *srv_status_title(unsigned status);

/* A problem+json body for a library error (status from the table); caller frees. */
char *srv_problem_from_error(const wt_error *e, unsigned *status, size_t *len);

/* A problem+json body for an HTTP-layer problem with a detail sentence; caller frees. */
char *srv_problem_body(srv_problem p, const char *detail, unsigned *status, size_t *len);

/* A problem+json body for an HTTP-layer problem caused by a library error: the detail is the
 * error's sentence, and its location (file and line of a data file, ...) is carried along.
 * Caller frees. */
char *srv_problem_at(srv_problem p, const wt_error *e, unsigned *status, size_t *len);

#endif
