/* Tagging one document: text (and an optional title) in, entities with their mentions out. */
#ifndef WIRETAG_TAG_H
#define WIRETAG_TAG_H

#include <stddef.h>

#include "wiretag/error.h"
#include "wiretag/tagger.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which part of the document a mention is in. */
typedef enum wt_field { WT_FIELD_TEXT, WT_FIELD_TITLE } wt_field;

/* The input. Both parts are UTF-8, passed as (pointer, length); NUL bytes are allowed. */
typedef struct wt_document {
    const char *text;
    size_t text_len;
    const char *title; /* may be NULL */
    size_t title_len;
} wt_document;

/* Documented default for wt_options.max_text: 1 MiB of text per document. */
#define WT_DEFAULT_MAX_TEXT (1u << 20)

typedef struct wt_options {
    unsigned types;  /* bit (1 << wt_type) per type to report; 0 means all reported types */
    size_t max_text; /* largest text + title in bytes; 0 means WT_DEFAULT_MAX_TEXT */
} wt_options;

typedef struct wt_attr {
    const char *key;
    const char *value;
} wt_attr;

/* How a thing was named in a mention. */
typedef enum wt_form {
    WT_FORM_NAME,       /* its name */
    WT_FORM_ALIAS,      /* another name */
    WT_FORM_ACRONYM,    /* an acronym: NATO, U.S. */
    WT_FORM_ADJECTIVAL, /* a demonym or adjective: Russian */
    WT_FORM_SHORT,      /* a short form: Rasmussen after Anders Fogh Rasmussen */
    WT_FORM__COUNT
} wt_form;

typedef struct wt_mention {
    size_t start, end; /* byte offsets into the field, end exclusive */
    wt_field field;
    wt_form form;
    float confidence; /* in [0, 1] */
    const char *rule; /* "gazetteer", a rule name, or a document-level step such as "short" */
} wt_mention;

typedef struct wt_entity {
    const char *id; /* gazetteer id, or TYPE:text:SLUG for names no gazetteer holds */
    wt_type type;
    const char *name;
    const char *const *aliases; /* other names the gazetteer knows, with the accent-free
                                   spelling of the name */
    size_t naliases;
    const char *source; /* "gazetteer" or "rule" */
    float confidence;   /* in [0, 1] */
    float relevance;    /* in [0, 1] */
    const wt_attr *attrs;
    size_t nattrs;
    const wt_mention *mentions; /* in reading order: title first, then text, by start */
    size_t nmentions;
} wt_entity;

typedef struct wt_stats {
    size_t characters; /* code points of text and title */
    size_t tokens;
    size_t sentences;
    double elapsed_ms;
} wt_stats;

typedef struct wt_result wt_result;

/* Tags one document. Thread-safe on a shared tagger: every call allocates from its own arena.
 * Returns NULL and fills *err (may be NULL) when a field is not valid UTF-8 (err->file names
 * the field, "text" or "title", and err->offset the byte offset of the first bad byte), when
 * text and title together are larger than opts->max_text, or when memory runs out. `opts` may
 * be NULL. Caller frees the result with wt_result_free(). */
wt_result *wt_tag(const wt_tagger *t, const wt_document *doc, const wt_options *opts,
                  wt_error *err);

/* Frees a result and everything it points to. Safe with NULL. */
void wt_result_free(wt_result *r);

/* Entities ordered by relevance, then by first mention. Valid until wt_result_free(). */
const wt_entity *wt_result_entities(const wt_result *r, size_t *n);

const wt_stats *wt_result_stats(const wt_result *r);

/* The document the result was computed from (the caller's buffers, not copies). */
const wt_document *wt_result_document(const wt_result *r);

/* "name", "alias", "acronym", "adjectival", "short". */
const char *wt_form_name(wt_form form);

#ifdef __cplusplus
}
#endif
#endif
