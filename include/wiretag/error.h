/* Errors of the wiretag library: a code, a sentence and where it happened. */
#ifndef WIRETAG_ERROR_H
#define WIRETAG_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One list defines every code, its machine-readable name and its default sentence, so that
 * the three cannot drift apart. X(ENUM, "name", "sentence"). */
#define WT_ERROR_LIST(X)                                                                        \
    X(OK, "ok", "no error")                                                                     \
    X(NOMEM, "out_of_memory", "out of memory")                                                  \
    X(INVALID_UTF8, "invalid_utf8", "text is not valid UTF-8")                                  \
    X(HTML_NOT_UTF8, "html_not_utf8", "the HTML is not UTF-8")                                  \
    X(HTML_TOO_COMPLEX, "html_too_complex", "HTML nests or repeats beyond the limits")          \
    X(TEXT_TOO_LARGE, "text_too_large", "text is larger than the per-document limit")           \
    X(INVALID_JSON, "invalid_json", "body is not valid JSON")                                   \
    X(INVALID_REQUEST, "invalid_request", "request does not follow the v1 contract")            \
    X(MISSING_TEXT, "missing_text", "request has no \"text\"")                                  \
    X(INVALID_OPTION, "invalid_option", "an option has an unknown or ill-typed value")          \
    X(DATA_IO, "data_io", "data could not be read")                                             \
    X(DATA_SYNTAX, "data_syntax", "data file has a syntax error")                               \
    X(DATA_CONFLICT, "data_conflict", "data files contradict each other")                       \
    X(DATA_LIMIT, "data_limit", "data exceeds a built-in limit")

typedef enum wt_error_code {
#define WT_ERROR_ENUM(e, name, msg) WT_E_##e,
    WT_ERROR_LIST(WT_ERROR_ENUM)
#undef WT_ERROR_ENUM
        WT_E__COUNT
} wt_error_code;

/* Filled by library calls that can fail. The caller owns it and may pass NULL. The first error
 * recorded wins; later ones are ignored until wt_error_clear(). Location fields are -1 when
 * unknown: `line`/`column` (1-based) point into a data file or a JSON body, `offset` is a byte
 * offset into the text or body. */
typedef struct wt_error {
    wt_error_code code;
    char message[320];
    char file[256];
    long line;
    long column;
    long offset;
} wt_error;

/* Resets *err to "no error". Safe with NULL. */
void wt_error_clear(wt_error *err);

/* The machine-readable name of a code ("invalid_utf8"); never NULL. */
const char *wt_error_name(wt_error_code code);

/* The default sentence of a code; never NULL. */
const char *wt_error_default_message(wt_error_code code);

#ifdef __cplusplus
}
#endif
#endif
