/* Building the word trie: nodes, hashed edges, and aliases grouped by node. */
#include "trie.h"

#include <stdlib.h>
#include <string.h>

void wti_trie_init(wti_trie *t)
{
    memset(t, 0, sizeof *t);
}

void wti_trie_release(wti_trie *t)
{
    free(t->nodes);
    free(t->slots);
    free(t->filter);
    free(t->aliases);
    free(t->alias_node);
    wti_trie_init(t);
}

/* Puts an edge's slot into a table of n slots (a power of two) that has room. */
static void place(uint64_t *slots, size_t n, const wti_trie_node *nodes, uint64_t slot)
{
    const wti_trie_node *c = &nodes[(uint32_t)slot];
    size_t j = (size_t)wti_trie_edge_hash(c->parent, c->word) & (n - 1);
    while (slots[j])
        j = (j + 1) & (n - 1);
    slots[j] = slot;
}

static int grow_edges(wti_trie *t)
{
    size_t n = t->nslots ? t->nslots * 2 : 4096;
    uint64_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < t->nslots; i++)
        if (t->slots[i])
            place(slots, n, t->nodes, t->slots[i]);
    free(t->slots);
    t->slots = slots;
    t->nslots = n;
    return 0;
}

static uint32_t new_node(wti_trie *t, uint32_t parent, uint32_t word)
{
    if (t->nnodes == t->capnodes) {
        size_t cap = t->capnodes ? t->capnodes * 2 : 4096;
        wti_trie_node *n = realloc(t->nodes, cap * sizeof *n);
        if (!n)
            return 0;
        t->nodes = n;
        t->capnodes = cap;
    }
    t->nodes[t->nnodes] = (wti_trie_node){0, 0, parent, word};
    return (uint32_t)t->nnodes++;
}

/* The child of node by word, created if missing; 0 when memory runs out. */
static uint32_t child(wti_trie *t, wti_vocab *v, uint32_t node, uint32_t word)
{
    if (node == 0) {
        if (!wti_vocab_word(v, word)->root) {
            uint32_t c = new_node(t, 0, word);
            if (!c)
                return 0;
            wti_vocab_word(v, word)->root = c;
        }
        return wti_vocab_word(v, word)->root;
    }
    uint32_t c = wti_trie_step(t, v, node, word);
    if (c)
        return c;
    if ((t->nedges + 1) * 4 > t->nslots * 3 && grow_edges(t) < 0) /* load at most 3/4 */
        return 0;
    c = new_node(t, node, word);
    if (!c)
        return 0;
    place(t->slots, t->nslots, t->nodes, wti_trie_edge_hash(node, word) >> 32 << 32 | c);
    t->nedges++;
    return c;
}

int wti_trie_add(wti_trie *t, wti_vocab *v, const uint32_t *words, size_t n, const wti_alias *a)
{
    if (t->nnodes == 0) {
        (void)new_node(t, 0, 0); /* the root, node 0 */
        if (t->nnodes == 0)
            return -1;
    }
    uint32_t node = 0;
    for (size_t i = 0; i < n; i++) {
        node = child(t, v, node, words[i]);
        if (!node)
            return -1;
    }
    if (t->naliases == t->capaliases) {
        size_t cap = t->capaliases ? t->capaliases * 2 : 4096;
        wti_alias *na = realloc(t->aliases, cap * sizeof *na);
        if (!na)
            return -1;
        t->aliases = na;
        uint32_t *nn = realloc(t->alias_node, cap * sizeof *nn);
        if (!nn)
            return -1;
        t->alias_node = nn;
        t->capaliases = cap;
    }
    t->aliases[t->naliases] = *a;
    t->alias_node[t->naliases] = node;
    t->naliases++;
    return 0;
}

/* The edge filter: a power of two of at least eight bits per edge. */
static int build_filter(wti_trie *t)
{
    size_t bits = 512;
    while (bits < t->nedges * 8)
        bits *= 2;
    uint64_t *f = calloc(bits / 64, sizeof *f);
    if (!f)
        return -1;
    for (size_t i = 0; i < t->nslots; i++) {
        if (!t->slots[i])
            continue;
        size_t bit = (uint32_t)(t->slots[i] >> 32) & (bits - 1); /* the tag's low bits */
        f[bit / 64] |= (uint64_t)1 << (bit % 64);
    }
    free(t->filter);
    t->filter = f;
    t->filter_mask = bits - 1;
    return 0;
}

int wti_trie_finish(wti_trie *t)
{
    if (build_filter(t) < 0)
        return -1;
    /* Counting sort of aliases by node. */
    size_t nn = t->nnodes;
    for (size_t i = 0; i < nn; i++)
        t->nodes[i].alias_count = 0;
    for (size_t i = 0; i < t->naliases; i++)
        t->nodes[t->alias_node[i]].alias_count++;
    uint32_t sum = 0;
    for (size_t i = 0; i < nn; i++) {
        t->nodes[i].alias_first = sum;
        sum += t->nodes[i].alias_count;
    }
    wti_alias *sorted = malloc((t->naliases ? t->naliases : 1) * sizeof *sorted);
    if (!sorted)
        return -1;
    for (size_t i = 0; i < nn; i++)
        t->nodes[i].alias_count = 0;
    for (size_t i = 0; i < t->naliases; i++) {
        wti_trie_node *node = &t->nodes[t->alias_node[i]];
        sorted[node->alias_first + node->alias_count++] = t->aliases[i];
    }
    free(t->aliases);
    free(t->alias_node);
    t->aliases = sorted;
    t->alias_node = NULL;
    t->capaliases = t->naliases;
    /* Give back the slack of the growable arrays. */
    if (nn) {
        wti_trie_node *shrunk = realloc(t->nodes, nn * sizeof *shrunk);
        if (shrunk) {
            t->nodes = shrunk;
            t->capnodes = nn;
        }
    }
    return 0;
}

size_t wti_trie_memory(const wti_trie *t)
{
    return t->capnodes * sizeof(wti_trie_node) + t->nslots * sizeof(uint64_t) +
           t->capaliases * sizeof(wti_alias) + (t->filter ? (t->filter_mask + 1) / 8 : 0);
}

int wti_trie_mark_words(const wti_trie *t, wti_vocab *v)
{
    /* Nodes with children, and the words that lead to a node other than from the root. */
    uint8_t *leads = calloc(t->nnodes ? t->nnodes : 1, 1);
    if (!leads)
        return -1;
    for (size_t i = 0; i < t->nslots; i++) {
        if (!t->slots[i])
            continue;
        const wti_trie_node *c = &t->nodes[(uint32_t)t->slots[i]];
        leads[c->parent] = 1;
        wti_vocab_slot_of(v, c->word)->trie |= WTI_TRIE_CONTINUES;
        const wti_trie_node *p = &t->nodes[c->parent];
        if (p->parent == 0) /* a name's first word, by its second */
            wti_vocab_slot_of(v, p->word)->trie |= (uint16_t)wti_trie_follow_bit(c->word);
    }
    for (uint32_t id = wti_vocab_next(v, 0); id; id = wti_vocab_next(v, id)) {
        const wti_word *w = wti_vocab_word(v, id);
        if (!w->root)
            continue;
        uint16_t *flags = &wti_vocab_slot_of(v, id)->trie;
        *flags |= WTI_TRIE_STARTS;
        if (t->nodes[w->root].alias_count)
            *flags |= WTI_TRIE_NAME;
        if (leads[w->root])
            *flags |= WTI_TRIE_LEADS;
    }
    free(leads);
    return 0;
}
