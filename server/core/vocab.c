/* Open-addressing hash table of folded words over one string pool. */
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

void wti_vocab_init(wti_vocab *v)
{
    memset(v, 0, sizeof *v);
}

void wti_vocab_release(wti_vocab *v)
{
    free(v->pool);
    free(v->words);
    free(v->slots);
    wti_vocab_init(v);
}

uint32_t wti_vocab_find(const wti_vocab *v, const char *s, size_t len, uint64_t hash)
{
    if (v->nslots == 0)
        return 0;
    size_t mask = v->nslots - 1;
    uint32_t h32 = (uint32_t)(hash >> 32);
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        uint32_t id = v->slots[i];
        if (id == 0)
            return 0;
        const wti_word *w = &v->words[id];
        if (w->hash32 == h32 && w->len == len && memcmp(v->pool + w->off, s, len) == 0)
            return id;
    }
}

static int grow_slots(wti_vocab *v)
{
    size_t n = v->nslots ? v->nslots * 2 : 1024;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t id = 1; id < v->n; id++) {
        const wti_word *w = &v->words[id];
        uint64_t h = wti_hash(v->pool + w->off, w->len);
        size_t i = (size_t)h & (n - 1);
        while (slots[i])
            i = (i + 1) & (n - 1);
        slots[i] = (uint32_t)id;
    }
    free(v->slots);
    v->slots = slots;
    v->nslots = n;
    return 0;
}

uint32_t wti_vocab_add(wti_vocab *v, const char *s, size_t len, uint64_t hash)
{
    uint32_t id = wti_vocab_find(v, s, len, hash);
    if (id)
        return id;
    if (len > 0xFFFF || v->n >= 0x7FFFFFFF)
        return 0;
    if (v->n == 0)
        v->n = 1; /* reserve id 0 */
    /* Keep the load factor at or below one half. */
    if ((v->n + 1) * 2 > v->nslots && grow_slots(v) < 0)
        return 0;
    if (v->n >= v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 1024;
        wti_word *w = realloc(v->words, cap * sizeof *w);
        if (!w)
            return 0;
        v->words = w;
        v->cap = cap;
    }
    if (v->pool_len + len + 1 > v->pool_cap) {
        size_t cap = v->pool_cap ? v->pool_cap * 2 : 16384;
        while (cap < v->pool_len + len + 1)
            cap *= 2;
        char *p = realloc(v->pool, cap);
        if (!p)
            return 0;
        v->pool = p;
        v->pool_cap = cap;
    }
    if (v->pool_len > 0xFFFFFFFFu - len - 1)
        return 0;
    memcpy(v->pool + v->pool_len, s, len);
    v->pool[v->pool_len + len] = '\0';
    id = (uint32_t)v->n++;
    wti_word *w = &v->words[id];
    w->off = (uint32_t)v->pool_len;
    w->len = (uint32_t)len;
    w->classes = 0;
    w->root = 0;
    w->hash32 = (uint32_t)(hash >> 32);
    v->pool_len += len + 1;
    size_t mask = v->nslots - 1;
    size_t i = (size_t)hash & mask;
    while (v->slots[i])
        i = (i + 1) & mask;
    v->slots[i] = id;
    return id;
}

size_t wti_vocab_memory(const wti_vocab *v)
{
    return v->pool_cap + v->cap * sizeof(wti_word) + v->nslots * sizeof(uint32_t);
}
