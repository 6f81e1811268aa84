/* The vocabulary: every folded word the data knows, with its word classes. One hash lookup
 * per token of text gives the word's id (for the gazetteer trie), its classes (for the rules)
 * and the trie node it starts. Built at load, read-only afterwards.
 *
 * Layout, for few cache misses per lookup and little memory: a table of 8-byte slots (a hash
 * tag and an id), and one arena of small word records holding the trie root, the index of the
 * word's class set, and the folded text inline. Distinct class sets are few, so each is stored
 * once. An id is the record's offset in 8-byte units. */
#ifndef WTI_VOCAB_H
#define WTI_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "classes.h"

/* What the gazetteer trie holds for a word (wti_word.trie, copied onto its tokens), so that
 * matching touches the trie only where a name can be. */
enum {
    WTI_TRIE_STARTS = 1 << 0,    /* some name starts with the word */
    WTI_TRIE_NAME = 1 << 1,      /* the word alone is a name */
    WTI_TRIE_LEADS = 1 << 2,     /* some name goes on after the word as its first */
    WTI_TRIE_CONTINUES = 1 << 3, /* the word is a later word of some name */
    /* The other twelve bits, on a word that leads: a signature of the words that can follow it
     * in a name, each word setting one bit (wti_trie_follow_bit). A word whose bit is not set
     * follows in no name, and the matcher does not look the pair up. */
    WTI_TRIE_FOLLOWERS = 0xFFF0,
};

/* The signature bit of a word id among WTI_TRIE_FOLLOWERS. */
static inline unsigned wti_trie_follow_bit(uint32_t word)
{
    return 1u << (4 + ((word * 0x9E3779B1u) >> 16) % 12);
}

typedef struct wti_word {
    uint32_t root; /* trie node reached from the root by this word, 0 if none */
    uint32_t set;  /* index of its class set; 0 is the empty set */
    uint16_t len;  /* bytes of text (words are at most 65535 bytes) */
    uint16_t trie; /* WTI_TRIE_* */
    char text[];   /* folded, NUL-terminated */
} wti_word;

typedef struct wti_vocab {
    char *recs; /* word records; the first 8 bytes are unused: id 0 means "not a word" */
    size_t recs_len, recs_cap;
    size_t n;        /* words */
    uint64_t *slots; /* open addressing: (tag << 32) | id, or 0 when empty */
    size_t nslots;   /* power of two */
    wti_mask *sets;  /* distinct class sets; sets[0] is empty */
    size_t nsets, capsets;
    uint32_t *set_index; /* while loading: open addressing over sets (index + 1) */
    size_t nset_index;
} wti_vocab;

void wti_vocab_init(wti_vocab *v);
void wti_vocab_release(wti_vocab *v);

/* The id of a folded word, or 0. Thread-safe on a vocabulary no one modifies. */
uint32_t wti_vocab_find(const wti_vocab *v, const char *s, size_t len, uint64_t hash);

/* Look-ups miss the cache (the tables take megabytes): a caller with many words to find asks
 * for the slot early (prefetch_slot), then for the word record once the slot has arrived
 * (prefetch_word), and finds the word when both are in cache. Hints only; never fault. */
static inline void wti_vocab_prefetch_slot(const wti_vocab *v, uint64_t hash)
{
    if (v->nslots)
        __builtin_prefetch(&v->slots[hash & (v->nslots - 1)]);
}

static inline void wti_vocab_prefetch_word(const wti_vocab *v, uint64_t hash)
{
    if (!v->nslots)
        return;
    uint64_t slot = v->slots[hash & (v->nslots - 1)];
    if (slot)
        __builtin_prefetch(v->recs + (size_t)(uint32_t)slot * 8);
}

/* Adds a folded word (or finds it) and returns its id; 0 when memory runs out or the word is
 * longer than 65535 bytes. Ids stay valid; record pointers do not survive an add. */
uint32_t wti_vocab_add(wti_vocab *v, const char *s, size_t len, uint64_t hash);

static inline wti_word *wti_vocab_word(const wti_vocab *v, uint32_t id)
{
    return (wti_word *)(void *)(v->recs + (size_t)id * 8);
}

/* The classes of a word. */
static inline wti_mask wti_vocab_classes(const wti_vocab *v, uint32_t id)
{
    return v->sets[wti_vocab_word(v, id)->set];
}

/* Adds class bits to a word. Returns 0, or -1 when memory runs out. Load time only. */
int wti_vocab_add_classes(wti_vocab *v, uint32_t id, wti_mask bits);

/* Drops what only loading needs. */
void wti_vocab_freeze(wti_vocab *v);

/* The next word's id after `id` (start from 0); 0 after the last. */
uint32_t wti_vocab_next(const wti_vocab *v, uint32_t id);

/* Bytes held. */
size_t wti_vocab_memory(const wti_vocab *v);

#endif
