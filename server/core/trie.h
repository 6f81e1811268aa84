/* The gazetteer trie: a trie over word ids, so that matching costs one hash probe per token
 * whatever the number of names. Edges from the root live in the vocabulary (wti_word.root);
 * the others in one open-addressing table keyed by (node, word). */
#ifndef WTI_TRIE_H
#define WTI_TRIE_H

#include <stddef.h>
#include <stdint.h>

#include "vocab.h"

/* One name or alias of an entry, attached to the trie node its last word reaches. */
typedef struct wti_alias {
    uint32_t entry;   /* index into the tagger's entries; WTI_ALIAS_STOP for stop phrases */
    uint32_t text;    /* the alias as written, in the string pool (for exact-case checks) */
    uint32_t capmask; /* bit k set: word k of the alias is capitalised */
    uint16_t layer;
    uint8_t form;     /* wt_form */
    uint8_t policy;   /* WTI_POLICY_* */
    uint8_t nwords;
    uint8_t preferred; /* chosen by @prefer among entries sharing this alias */
    int8_t type;       /* the entry's wt_type, -1 for stop phrases: matching reads no entry */
    uint8_t pad;
} wti_alias;

#define WTI_ALIAS_STOP 0xFFFFFFFFu
#define WTI_TRIE_MAX_WORDS 32

typedef struct wti_trie_node {
    uint32_t alias_first; /* aliases ending here: [alias_first, alias_first + alias_count) */
    uint32_t alias_count;
} wti_trie_node;

typedef struct wti_trie {
    wti_trie_node *nodes; /* nodes[0] is the root */
    size_t nnodes, capnodes;
    uint64_t *keys; /* (parent << 32 | word) + 1, 0 = empty */
    uint32_t *vals;
    size_t nslots, nedges;
    wti_alias *aliases; /* grouped by node after wti_trie_finish */
    size_t naliases, capaliases;
    uint32_t *alias_node; /* while building: the node of each alias */
} wti_trie;

void wti_trie_init(wti_trie *t);
void wti_trie_release(wti_trie *t);

/* Adds the path of `n` word ids (creating nodes) and attaches `a` to its last node.
 * Returns 0, or -1 when memory runs out. */
int wti_trie_add(wti_trie *t, wti_vocab *v, const uint32_t *words, size_t n, const wti_alias *a);

/* Groups aliases by node; call once after the last wti_trie_add. Returns 0 or -1. */
int wti_trie_finish(wti_trie *t);

/* Sets each word's WTI_TRIE_* flags; call after wti_trie_finish. Returns 0, or -1 when
 * memory runs out. */
int wti_trie_mark_words(const wti_trie *t, wti_vocab *v);

/* The child of `node` by `word`, or 0. */
static inline uint32_t wti_trie_step(const wti_trie *t, const wti_vocab *v, uint32_t node,
                                     uint32_t word)
{
    if (word == 0)
        return 0;
    if (node == 0)
        return wti_vocab_word(v, word)->root;
    if (t->nslots == 0)
        return 0;
    uint64_t key = (((uint64_t)node << 32) | word) + 1;
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    size_t mask = t->nslots - 1;
    for (size_t i = (size_t)(h >> 20) & mask;; i = (i + 1) & mask) {
        if (t->keys[i] == key)
            return t->vals[i];
        if (t->keys[i] == 0)
            return 0;
    }
}

/* Asks the cache for what matching from a word with trie flags `flags` followed by a word
 * with `next_flags` will read: the word's node and its step by `next`. A hint; never faults. */
static inline void wti_trie_prefetch(const wti_trie *t, const wti_vocab *v, uint32_t word,
                                     unsigned flags, uint32_t next, unsigned next_flags)
{
    if (!(flags & WTI_TRIE_STARTS))
        return;
    uint32_t node = wti_vocab_word(v, word)->root;
    if (flags & WTI_TRIE_NAME)
        __builtin_prefetch(&t->nodes[node]);
    if (!(flags & WTI_TRIE_LEADS) || !(next_flags & WTI_TRIE_CONTINUES) || t->nslots == 0)
        return;
    uint64_t key = (((uint64_t)node << 32) | next) + 1;
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (t->nslots - 1);
    __builtin_prefetch(&t->keys[i]);
    __builtin_prefetch(&t->vals[i]);
}

size_t wti_trie_memory(const wti_trie *t);

#endif
