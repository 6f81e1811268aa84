/* The tagger: data loaded once, compiled into one immutable structure, shared by all threads. */
#ifndef WIRETAG_TAGGER_H
#define WIRETAG_TAGGER_H

#include <stddef.h>

#include "wiretag/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WT_VERSION "0.1.0"

/* Entity types. The first four are reported; `place` and `other` are known names that are
 * never reported but claim their text ("Moscow", "Cold War"). */
typedef enum wt_type {
    WT_PERSON,
    WT_ORGANIZATION,
    WT_COUNTRY,
    WT_TREATY,
    WT_PLACE,
    WT_OTHER,
    WT_TYPE__COUNT
} wt_type;

#define WT_TYPE__REPORTED 4
#define WT_TYPES_ALL      ((1u << WT_TYPE__REPORTED) - 1)

typedef struct wt_tagger wt_tagger;

typedef struct wt_tagger_info {
    size_t entries[WT_TYPE__COUNT]; /* gazetteer entries by type */
    size_t aliases;                 /* names and aliases matched, after layering */
    size_t stop_phrases;
    size_t lexicon_words;
    size_t rules;
    size_t files;       /* data files read */
    size_t memory;      /* bytes held by the compiled tagger */
    double load_ms;     /* wall time of wt_tagger_load */
    char data_id[24];   /* identifier of the loaded data: a hash of every file's path and bytes */
} wt_tagger_info;

/* Loads every data directory in `dirs` in order (later layers override earlier ones, see
 * data/README.md) and compiles them. Returns NULL on failure and fills *err (may be NULL) with
 * the first error, located as file and line. Caller frees with wt_tagger_free(). */
wt_tagger *wt_tagger_load(const char *const *dirs, size_t ndirs, wt_error *err);

/* Like wt_tagger_load(), but from in-memory files: names[i] is shown in errors and decides the
 * kind by its extension (.gaz, .lex, .rules); all belong to one layer. For tests and fuzzers. */
wt_tagger *wt_tagger_load_buffers(const char *const *names, const char *const *bufs,
                                  const size_t *lens, size_t n, wt_error *err);

/* Frees a tagger. No wt_tag() call may be running on it. Safe with NULL. */
void wt_tagger_free(wt_tagger *t);

/* Fills *info. Thread-safe. */
void wt_tagger_get_info(const wt_tagger *t, wt_tagger_info *info);

/* Checks loaded data for what a curator should resolve deliberately: a name shared by several
 * entries that no @prefer line or case policy separates, and an any-case (~) alias that is a
 * common lowercase word (lexicon class `common`). Calls report(ctx, "file:line: sentence") once
 * per finding and returns the number of findings. */
size_t wt_tagger_check(const wt_tagger *t, void (*report)(void *ctx, const char *msg), void *ctx);

/* "person", "organization", ...; NULL for an out-of-range value. */
const char *wt_type_name(wt_type type);

/* The type named by `name` (length `len`), or -1. */
int wt_type_from_name(const char *name, size_t len);

#ifdef __cplusplus
}
#endif
#endif
