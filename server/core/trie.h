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
    uint32_t parent, word; /* the edge that reaches the node, which the edge table checks */
} wti_trie_node;

typedef struct wti_trie {
    wti_trie_node *nodes; /* nodes[0] is the root */
    size_t nnodes, capnodes;
    /* Edges other than the root's, open addressing by (parent, word): the high half of a slot
     * is a tag from the edge's hash, the low half the child; 0 is empty. A tag that agrees is
     * confirmed by the child's own parent and word, which a step reads anyway. */
    uint64_t *slots;
    size_t nslots, nedges;
    /* One bit per hash of an edge, about eight bits per edge, set for every edge: a step whose
     * bit is clear is no edge, which the filter (a sixteenth of the table's size, so mostly in
     * cache) says without a look at the table. Built by wti_trie_finish. */
    uint64_t *filter;
    size_t filter_mask; /* bits - 1 */
    wti_alias *aliases; /* grouped by node after wti_trie_finish */
    size_t naliases, capaliases;
    uint32_t *alias_node; /* while building: the node of each alias */
} wti_trie;

/* The hash of the edge from node by word: its slot is hash & (nslots - 1), its tag the high
 * half (never 0). Every bit depends on both halves of the key: with the middle bits of a plain
 * product, the edges of one word ("of" after many nodes) fell into a few long runs of slots. */
static inline uint64_t wti_trie_edge_hash(uint32_t node, uint32_t word)
{
    uint64_t h = (((uint64_t)node << 32) | word) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 32;
    return h | (uint64_t)1 << 63;
}

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
    uint64_t h = wti_trie_edge_hash(node, word);
    uint32_t tag = (uint32_t)(h >> 32);
    size_t bit = tag & t->filter_mask;
    if (t->filter && !(t->filter[bit / 64] >> (bit % 64) & 1))
        return 0;
    size_t mask = t->nslots - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        uint64_t slot = t->slots[i];
        if (slot == 0)
            return 0;
        if ((uint32_t)(slot >> 32) == tag) {
            uint32_t child = (uint32_t)slot;
            if (t->nodes[child].parent == node && t->nodes[child].word == word)
                return child;
        }
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
    if (!(flags & WTI_TRIE_LEADS) || !(next_flags & WTI_TRIE_CONTINUES) ||
        !(flags & wti_trie_follow_bit(next)) || t->nslots == 0)
        return;
    uint64_t h = wti_trie_edge_hash(node, next);
    if (t->filter)
        __builtin_prefetch(&t->filter[((h >> 32) & t->filter_mask) / 64]);
    __builtin_prefetch(&t->slots[(size_t)h & (t->nslots - 1)]);
}

size_t wti_trie_memory(const wti_trie *t);

#endif
