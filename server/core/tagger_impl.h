/* The compiled tagger: everything the data says, in read-only arrays shared by all threads. */
#ifndef WTI_TAGGER_IMPL_H
#define WTI_TAGGER_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "classes.h"
#include "fold.h"
#include "token.h"
#include "trie.h"
#include "vocab.h"
#include "wiretag/tagger.h"

typedef struct wti_entry {
    uint32_t id;   /* "country:RU", in the pool */
    uint32_t name; /* canonical name, in the pool */
    uint32_t attr_first;
    uint16_t nattrs;
    uint8_t type; /* wt_type */
    uint8_t pad;
    uint16_t layer;
    uint16_t pad2;
    uint32_t file; /* the data file that defined it, in the pool */
    uint32_t line;
    uint32_t alias_first; /* its other names: alias_text[alias_first, + naliases) */
    uint32_t naliases;
} wti_entry;

typedef struct wti_attr {
    uint32_t key, value; /* in the pool */
} wti_attr;

/* Lexicon classes the C code itself relies on; 0 when the data does not define them. */
typedef struct wti_known_classes {
    wti_mask abbrev, abbrev_prefix, not_name, common, given, surname, title, title_mod,
        honorific, role, particle, org_head, org_suffix, org_lead, treaty_head, report_verb,
        month, day;
} wti_known_classes;

typedef struct wti_rules wti_rules;

struct wt_tagger {
    wti_fold_table fold;
    wti_vocab vocab;
    wti_tokenizer tz;
    wti_trie trie;
    wti_entry *entries;
    size_t nentries;
    wti_attr *attrs;
    size_t nattrs;
    char *pool; /* NUL-terminated strings */
    size_t pool_len;
    uint32_t *alias_text; /* every entry's other names, as offsets into the pool */
    size_t nalias_text;
    const char *class_names[WTI_MAX_CLASSES];
    unsigned nclasses; /* built-in ones included */
    wti_known_classes cls;
    wti_rules *rules;
    wt_tagger_info info;
};

static inline const char *wti_str(const wt_tagger *t, uint32_t off)
{
    return t->pool + off;
}

/* The bit of a class by name (built-in, lexicon or rule class), or 0. */
wti_mask wti_class_bit(const wt_tagger *t, const char *name);

#endif
