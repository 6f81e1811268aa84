/* Data as read from files, before compilation: entries with their layer and origin, stop
 * phrases, preferences and lexicon words. Loading parses every file into one stage; compiling
 * turns the stage into the read-only tagger; then the stage is freed. */
#ifndef WTI_STAGE_H
#define WTI_STAGE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "classes.h"
#include "wiretag/error.h"

enum { WTI_POLICY_CAP, WTI_POLICY_EXACT, WTI_POLICY_ANY };

typedef struct wti_stage_alias {
    const char *text;
    uint8_t form;   /* wt_form */
    uint8_t policy; /* WTI_POLICY_* */
} wti_stage_alias;

typedef struct wti_stage_entry {
    const char *id;
    uint8_t type; /* wt_type */
    uint8_t disabled;
    uint16_t layer;
    const char *file;
    long line;
    wti_stage_alias *aliases; /* aliases[0] is the canonical name, form WT_FORM_NAME */
    size_t naliases;
    const char **attrs; /* key, value, key, value ... */
    size_t nattrs;
} wti_stage_entry;

/* A stop phrase or a preference, with where it was written. */
typedef struct wti_stage_directive {
    const char *id;   /* @prefer: the winning entry; NULL for @stop */
    const char *text; /* the phrase or alias */
    uint8_t policy;
    uint16_t layer;
    const char *file;
    long line;
} wti_stage_directive;

typedef struct wti_stage_word {
    const char *text;
    unsigned cls; /* index into class_names */
    const char *file;
    long line;
} wti_stage_word;

typedef struct wti_stage {
    wti_arena arena; /* every string above */
    wti_stage_entry *entries;
    size_t nentries, capentries;
    uint32_t *idmap; /* open addressing over entries by id: index + 1, or 0 */
    size_t nidmap;
    wti_stage_directive *stops, *prefers;
    size_t nstops, capstops, nprefers, capprefers;
    wti_stage_word *words;
    size_t nwords, capwords;
    const char *class_names[WTI_MAX_CLASSES]; /* lexicon classes, in order of first use */
    unsigned nclasses;
} wti_stage;

void wti_stage_init(wti_stage *st);
void wti_stage_release(wti_stage *st);

/* Parses one gazetteer file of layer `layer` into the stage. `name` is used in messages.
 * Returns 0, or -1 with a "name:line: sentence" error in *err. */
int wti_gazetteer_parse(wti_stage *st, const char *name, const char *data, size_t len,
                        unsigned layer, wt_error *err);

/* Parses one lexicon file. Same conventions. */
int wti_lexicon_parse(wti_stage *st, const char *name, const char *data, size_t len,
                      wt_error *err);

/* Adds entries[index] to the id map; its id must not be there yet. Returns 0 or -1. */
int wti_stage_index(wti_stage *st, size_t index);

/* The entry with this id, or NULL. */
wti_stage_entry *wti_stage_find(const wti_stage *st, const char *id);

/* The index of a class name in st->class_names, adding it when `add` is set. Returns -1 when
 * it is unknown (and not added) or when there are too many classes. */
int wti_stage_class(wti_stage *st, const char *name, int add);

/* Grows a dynamic array: makes room for one more element. Returns 0 or -1. */
int wti_grow(void **v, size_t *cap, size_t n, size_t elem);

/* Records "name:line: sentence" in *err (first error wins). */
void wti_data_error(wt_error *err, wt_error_code code, const char *name, long line,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
