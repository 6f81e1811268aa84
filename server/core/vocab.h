/* The vocabulary: every folded word the data knows, with its word classes. One hash lookup
 * per token of text gives the word's id (for the gazetteer trie), its classes (for the rules)
 * and its trie flags. Built at load, read-only afterwards.
 *
 * Layout, for one cache miss per lookup of most words: a table of 16-byte slots, each holding
 * the word itself when it has at most 8 bytes (else its hash), its id, the index of its class
 * set and its trie flags; and one arena of word records holding the trie root, the slot and
 * the folded text. Most words of news text are short, so most look-ups read one slot and no
 * record. Distinct class sets are few, so each is stored once. An id is the record's offset
 * in 8-byte units. */
#ifndef WTI_VOCAB_H
#define WTI_VOCAB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "classes.h"
#include "hash.h"

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
    uint32_t slot; /* its slot in wti_vocab.slots */
    uint16_t len;  /* bytes of text (words are at most 65535 bytes) */
    char text[];   /* folded, NUL-terminated */
} wti_word;

/* A slot's set field: the index of the class set, and whether the word is long. */
#define WTI_VOCAB_LONG     0x8000u
#define WTI_VOCAB_MAX_SETS 0x7FFFu

typedef struct wti_vocab_slot {
    uint64_t key;  /* a word of at most 8 bytes, zero-extended (words hold no NUL); a longer
                      word's hash */
    uint32_t id;   /* 0 when the slot is empty */
    uint16_t set;  /* class set index, | WTI_VOCAB_LONG for a word of more than 8 bytes */
    uint16_t trie; /* WTI_TRIE_* */
} wti_vocab_slot;

typedef struct wti_vocab {
    char *recs; /* word records; the first 8 bytes are unused: id 0 means "not a word" */
    size_t recs_len, recs_cap;
    size_t n;              /* words */
    wti_vocab_slot *slots; /* open addressing by hash */
    size_t nslots;         /* power of two */
    wti_mask *sets;        /* distinct class sets; sets[0] is empty */
    size_t nsets, capsets;
    uint32_t *set_index; /* while loading: open addressing over sets (index + 1) */
    size_t nset_index;
} wti_vocab;

void wti_vocab_init(wti_vocab *v);
void wti_vocab_release(wti_vocab *v);

/* The key a word has in its slot, and the set bits its slot must show. */
static inline uint64_t wti_vocab_key(const char *s, size_t len, uint64_t hash, uint16_t *long_bit)
{
    if (len > 8) {
        *long_bit = WTI_VOCAB_LONG;
        return hash;
    }
    *long_bit = 0;
    if (len == 8) {
        uint64_t k;
        memcpy(&k, s, 8);
        return k;
    }
    return wti_tail_word(s, len);
}

/* wti_vocab_key for a word whose bytes may be read up to s + 8 whatever its length: one load
 * and a mask. */
static inline uint64_t wti_vocab_key_padded(const char *s, size_t len, uint64_t hash,
                                            uint16_t *long_bit)
{
    if (len > 8) {
        *long_bit = WTI_VOCAB_LONG;
        return hash;
    }
    *long_bit = 0;
    uint64_t k;
    memcpy(&k, s, 8);
    return len == 8 ? k : k & (((uint64_t)1 << (8 * len)) - 1);
}

/* The slot of a folded word whose key is known, or NULL. */
static inline const wti_vocab_slot *wti_vocab_lookup_key(const wti_vocab *v, uint64_t key,
                                                         uint16_t long_bit, const char *s,
                                                         size_t len, uint64_t hash)
{
    if (v->nslots == 0)
        return NULL;
    size_t mask = v->nslots - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        const wti_vocab_slot *sl = &v->slots[i];
        if (sl->id == 0)
            return NULL;
        if (sl->key != key || (sl->set & WTI_VOCAB_LONG) != long_bit)
            continue;
        if (!long_bit)
            return sl;
        const wti_word *w = (const wti_word *)(const void *)(v->recs + (size_t)sl->id * 8);
        if (w->len == len && memcmp(w->text, s, len) == 0)
            return sl;
    }
}

/* The slot of a folded word, or NULL. Thread-safe on a vocabulary no one modifies. */
static inline const wti_vocab_slot *wti_vocab_lookup(const wti_vocab *v, const char *s, size_t len,
                                                     uint64_t hash)
{
    uint16_t long_bit;
    uint64_t key = wti_vocab_key(s, len, hash, &long_bit);
    return wti_vocab_lookup_key(v, key, long_bit, s, len, hash);
}

/* The id of a folded word, or 0. */
static inline uint32_t wti_vocab_find(const wti_vocab *v, const char *s, size_t len, uint64_t hash)
{
    const wti_vocab_slot *sl = wti_vocab_lookup(v, s, len, hash);
    return sl ? sl->id : 0;
}

/* Look-ups miss the cache (the table takes megabytes): a caller with many words to find asks
 * for the slot early, and finds the word once it has arrived. A hint only; never faults. */
static inline void wti_vocab_prefetch_slot(const wti_vocab *v, uint64_t hash)
{
    if (v->nslots)
        __builtin_prefetch(&v->slots[hash & (v->nslots - 1)]);
}

/* The classes of a slot's word. */
static inline wti_mask wti_vocab_slot_classes(const wti_vocab *v, const wti_vocab_slot *sl)
{
    return v->sets[sl->set & ~WTI_VOCAB_LONG];
}

/* Adds a folded word (or finds it) and returns its id; 0 when memory runs out or the word is
 * longer than 65535 bytes. Ids stay valid; record pointers do not survive an add. */
uint32_t wti_vocab_add(wti_vocab *v, const char *s, size_t len, uint64_t hash);

static inline wti_word *wti_vocab_word(const wti_vocab *v, uint32_t id)
{
    return (wti_word *)(void *)(v->recs + (size_t)id * 8);
}

/* A word's slot. */
static inline wti_vocab_slot *wti_vocab_slot_of(const wti_vocab *v, uint32_t id)
{
    return &v->slots[wti_vocab_word(v, id)->slot];
}

/* The classes of a word. */
static inline wti_mask wti_vocab_classes(const wti_vocab *v, uint32_t id)
{
    return wti_vocab_slot_classes(v, wti_vocab_slot_of(v, id));
}

/* A word's WTI_TRIE_* flags. */
static inline unsigned wti_vocab_trie(const wti_vocab *v, uint32_t id)
{
    return wti_vocab_slot_of(v, id)->trie;
}

/* Adds class bits to a word. Returns 0, or -1 when memory runs out or there would be more
 * than WTI_VOCAB_MAX_SETS distinct class sets. Load time only. */
int wti_vocab_add_classes(wti_vocab *v, uint32_t id, wti_mask bits);

/* Drops what only loading needs. */
void wti_vocab_freeze(wti_vocab *v);

/* The next word's id after `id` (start from 0); 0 after the last. */
uint32_t wti_vocab_next(const wti_vocab *v, uint32_t id);

/* Bytes held. */
size_t wti_vocab_memory(const wti_vocab *v);

#endif
