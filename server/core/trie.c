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
    free(t->keys);
    free(t->vals);
    free(t->aliases);
    free(t->alias_node);
    wti_trie_init(t);
}

static int grow_edges(wti_trie *t)
{
    size_t n = t->nslots ? t->nslots * 2 : 4096;
    uint64_t *keys = calloc(n, sizeof *keys);
    uint32_t *vals = malloc(n * sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < t->nslots; i++) {
        if (!t->keys[i])
            continue;
        uint64_t h = t->keys[i] * 0x9E3779B97F4A7C15ull;
        size_t j = (size_t)(h >> 20) & (n - 1);
        while (keys[j])
            j = (j + 1) & (n - 1);
        keys[j] = t->keys[i];
        vals[j] = t->vals[i];
    }
    free(t->keys);
    free(t->vals);
    t->keys = keys;
    t->vals = vals;
    t->nslots = n;
    return 0;
}

static uint32_t new_node(wti_trie *t)
{
    if (t->nnodes == t->capnodes) {
        size_t cap = t->capnodes ? t->capnodes * 2 : 4096;
        wti_trie_node *n = realloc(t->nodes, cap * sizeof *n);
        if (!n)
            return 0;
        t->nodes = n;
        t->capnodes = cap;
    }
    t->nodes[t->nnodes].alias_first = 0;
    t->nodes[t->nnodes].alias_count = 0;
    return (uint32_t)t->nnodes++;
}

/* The child of node by word, created if missing; 0 when memory runs out. */
static uint32_t child(wti_trie *t, wti_vocab *v, uint32_t node, uint32_t word)
{
    if (node == 0) {
        if (!wti_vocab_word(v, word)->root) {
            uint32_t c = new_node(t);
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
    c = new_node(t);
    if (!c)
        return 0;
    uint64_t key = (((uint64_t)node << 32) | word) + 1;
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    size_t mask = t->nslots - 1;
    size_t i = (size_t)(h >> 20) & mask;
    while (t->keys[i])
        i = (i + 1) & mask;
    t->keys[i] = key;
    t->vals[i] = c;
    t->nedges++;
    return c;
}

int wti_trie_add(wti_trie *t, wti_vocab *v, const uint32_t *words, size_t n, const wti_alias *a)
{
    if (t->nnodes == 0) {
        (void)new_node(t); /* the root, node 0 */
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

int wti_trie_finish(wti_trie *t)
{
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
    return t->capnodes * sizeof(wti_trie_node) + t->nslots * (sizeof(uint64_t) + sizeof(uint32_t)) +
           t->capaliases * sizeof(wti_alias);
}

int wti_trie_mark_words(const wti_trie *t, wti_vocab *v)
{
    /* Nodes with children, and the words that lead to a node other than from the root. */
    uint8_t *leads = calloc(t->nnodes ? t->nnodes : 1, 1);
    if (!leads)
        return -1;
    for (size_t i = 0; i < t->nslots; i++) {
        if (!t->keys[i])
            continue;
        uint64_t key = t->keys[i] - 1;
        leads[key >> 32] = 1;
        wti_vocab_word(v, (uint32_t)key)->trie |= WTI_TRIE_CONTINUES;
    }
    for (uint32_t id = wti_vocab_next(v, 0); id; id = wti_vocab_next(v, id)) {
        wti_word *w = wti_vocab_word(v, id);
        if (!w->root)
            continue;
        w->trie |= WTI_TRIE_STARTS;
        if (t->nodes[w->root].alias_count)
            w->trie |= WTI_TRIE_NAME;
        if (leads[w->root])
            w->trie |= WTI_TRIE_LEADS;
    }
    free(leads);
    return 0;
}
