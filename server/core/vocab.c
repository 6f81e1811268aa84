/* Open-addressing hash table of folded words over one arena of inline records. */
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

/* The slot tag: 24 bits of hash and the length (capped), so that most misses end at the slot. */
static inline uint32_t tag_of(uint64_t hash, size_t len)
{
    return ((uint32_t)(hash >> 32) & 0xFFFFFF00u) | (uint32_t)(len < 255 ? len : 255);
}

static inline size_t rec_size(size_t len)
{
    return (sizeof(wti_word) + len + 1 + 15) & ~(size_t)15;
}

void wti_vocab_init(wti_vocab *v)
{
    memset(v, 0, sizeof *v);
}

void wti_vocab_release(wti_vocab *v)
{
    free(v->recs);
    free(v->slots);
    wti_vocab_init(v);
}

/* memcmp for the short strings words are, without a library call. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
    while (n >= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return 0;
        a += 8;
        b += 8;
        n -= 8;
    }
    while (n--)
        if (*a++ != *b++)
            return 0;
    return 1;
}

uint32_t wti_vocab_find(const wti_vocab *v, const char *s, size_t len, uint64_t hash)
{
    if (v->nslots == 0)
        return 0;
    size_t mask = v->nslots - 1;
    uint32_t tag = tag_of(hash, len);
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        uint64_t slot = v->slots[i];
        if (slot == 0)
            return 0;
        if ((uint32_t)(slot >> 32) != tag)
            continue;
        uint32_t id = (uint32_t)slot;
        const wti_word *w = wti_vocab_word(v, id);
        if (w->len == len && same_bytes(w->text, s, len))
            return id;
    }
}

uint32_t wti_vocab_next(const wti_vocab *v, uint32_t id)
{
    size_t off = id ? (size_t)id * 16 + rec_size(wti_vocab_word(v, id)->len) : 16;
    return off < v->recs_len ? (uint32_t)(off / 16) : 0;
}

static void insert(uint64_t *slots, size_t n, uint64_t hash, size_t len, uint32_t id)
{
    size_t i = (size_t)hash & (n - 1);
    while (slots[i])
        i = (i + 1) & (n - 1);
    slots[i] = ((uint64_t)tag_of(hash, len) << 32) | id;
}

static int grow_slots(wti_vocab *v)
{
    size_t n = v->nslots ? v->nslots * 2 : 1024;
    uint64_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (uint32_t id = wti_vocab_next(v, 0); id; id = wti_vocab_next(v, id)) {
        const wti_word *w = wti_vocab_word(v, id);
        insert(slots, n, wti_hash(w->text, w->len), w->len, id);
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
    if (len > 0xFFFF)
        return 0;
    if (v->recs_len == 0)
        v->recs_len = 16; /* reserve id 0 */
    /* Keep the load factor at or below one half. */
    if ((v->n + 1) * 2 > v->nslots && grow_slots(v) < 0)
        return 0;
    size_t size = rec_size(len);
    if (v->recs_len + size > v->recs_cap) {
        size_t cap = v->recs_cap ? v->recs_cap * 2 : 65536;
        while (cap < v->recs_len + size)
            cap *= 2;
        if (cap / 16 > 0xFFFFFFFFu)
            return 0;
        char *p = realloc(v->recs, cap);
        if (!p)
            return 0;
        v->recs = p;
        v->recs_cap = cap;
    }
    id = (uint32_t)(v->recs_len / 16);
    wti_word *w = wti_vocab_word(v, id);
    memset(w, 0, sizeof *w);
    w->len = (uint32_t)len;
    memcpy(w->text, s, len);
    w->text[len] = '\0';
    v->recs_len += size;
    v->n++;
    insert(v->slots, v->nslots, hash, len, id);
    return id;
}

size_t wti_vocab_memory(const wti_vocab *v)
{
    return v->recs_cap + v->nslots * sizeof(uint64_t);
}
