/* The vocabulary: every folded word the data knows, with its word classes. One hash lookup
 * per token of text gives the word's id (for the gazetteer trie), its classes (for the rules)
 * and the trie node it starts. Built at load, read-only afterwards. */
#ifndef WTI_VOCAB_H
#define WTI_VOCAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct wti_word {
    uint32_t off; /* folded text in the pool */
    uint32_t len;
    uint64_t classes; /* lexicon class bits */
    uint32_t root;    /* trie node reached from the root by this word, 0 if none */
    uint32_t hash32;
} wti_word;

typedef struct wti_vocab {
    char *pool;
    size_t pool_len, pool_cap;
    wti_word *words; /* words[0] is unused: id 0 means "not a known word" */
    size_t n, cap;
    uint32_t *slots; /* open addressing: word id or 0 */
    size_t nslots;   /* power of two */
} wti_vocab;

void wti_vocab_init(wti_vocab *v);
void wti_vocab_release(wti_vocab *v);

/* The id of a folded word, or 0. Thread-safe on a vocabulary no one modifies. */
uint32_t wti_vocab_find(const wti_vocab *v, const char *s, size_t len, uint64_t hash);

/* Adds a folded word (or finds it) and returns its id; 0 when memory runs out or the word is
 * longer than 65535 bytes. */
uint32_t wti_vocab_add(wti_vocab *v, const char *s, size_t len, uint64_t hash);

static inline const char *wti_vocab_text(const wti_vocab *v, uint32_t id)
{
    return v->pool + v->words[id].off;
}

/* Bytes held. */
size_t wti_vocab_memory(const wti_vocab *v);

#endif
