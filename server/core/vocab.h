/* The vocabulary: every folded word the data knows, with its word classes. One hash lookup
 * per token of text gives the word's id (for the gazetteer trie), its classes (for the rules)
 * and the trie node it starts. Built at load, read-only afterwards.
 *
 * Layout, for few cache misses per lookup: a table of 8-byte slots (a hash tag and an id), and
 * one arena of word records, each holding its classes, its trie root and its folded text
 * inline. An id is the record's offset in 16-byte units. */
#ifndef WTI_VOCAB_H
#define WTI_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "classes.h"

typedef struct wti_word {
    wti_mask classes; /* lexicon class bits */
    uint32_t root;    /* trie node reached from the root by this word, 0 if none */
    uint32_t len;     /* bytes of text */
    char text[];      /* folded, NUL-terminated */
} wti_word;

typedef struct wti_vocab {
    char *recs; /* word records; the first 16 bytes are unused: id 0 means "not a word" */
    size_t recs_len, recs_cap;
    size_t n;        /* words */
    uint64_t *slots; /* open addressing: (tag << 32) | id, or 0 when empty */
    size_t nslots;   /* power of two */
} wti_vocab;

void wti_vocab_init(wti_vocab *v);
void wti_vocab_release(wti_vocab *v);

/* The id of a folded word, or 0. Thread-safe on a vocabulary no one modifies. */
uint32_t wti_vocab_find(const wti_vocab *v, const char *s, size_t len, uint64_t hash);

/* Adds a folded word (or finds it) and returns its id; 0 when memory runs out or the word is
 * longer than 65535 bytes. Ids stay valid; record pointers do not survive an add. */
uint32_t wti_vocab_add(wti_vocab *v, const char *s, size_t len, uint64_t hash);

static inline wti_word *wti_vocab_word(const wti_vocab *v, uint32_t id)
{
    return (wti_word *)(void *)(v->recs + (size_t)id * 16);
}

/* The next word's id after `id` (start from 0); 0 after the last. */
uint32_t wti_vocab_next(const wti_vocab *v, uint32_t id);

/* Bytes held. */
size_t wti_vocab_memory(const wti_vocab *v);

#endif
