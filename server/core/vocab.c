/* Open-addressing hash table of folded words over one arena of inline records. */
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

static inline size_t rec_size(size_t len)
{
    return (sizeof(wti_word) + len + 1 + 7) & ~(size_t)7;
}

void wti_vocab_init(wti_vocab *v)
{
    memset(v, 0, sizeof *v);
}

void wti_vocab_release(wti_vocab *v)
{
    free(v->recs);
    free(v->slots);
    free(v->sets);
    free(v->set_index);
    wti_vocab_init(v);
}

static uint64_t mask_hash(wti_mask m)
{
    uint64_t lo = (uint64_t)m, hi = (uint64_t)(m >> 64);
    return wti_hash(&lo, 8) ^ (wti_hash(&hi, 8) * 31);
}

/* The index of a class set, added when new. Returns -1 when memory runs out. */
static int64_t set_of(wti_vocab *v, wti_mask m)
{
    if (!v->nsets) {
        v->sets = calloc(64, sizeof *v->sets);
        if (!v->sets)
            return -1;
        v->capsets = 64;
        v->nsets = 1; /* the empty set */
    }
    if (m == 0)
        return 0;
    if (v->nsets > WTI_VOCAB_MAX_SETS)
        return -1;
    if ((v->nsets + 1) * 2 > v->nset_index) {
        size_t n = v->nset_index ? v->nset_index * 2 : 256;
        uint32_t *ix = calloc(n, sizeof *ix);
        if (!ix)
            return -1;
        for (size_t k = 1; k < v->nsets; k++) {
            size_t i = (size_t)mask_hash(v->sets[k]) & (n - 1);
            while (ix[i])
                i = (i + 1) & (n - 1);
            ix[i] = (uint32_t)k + 1;
        }
        free(v->set_index);
        v->set_index = ix;
        v->nset_index = n;
    }
    size_t mask = v->nset_index - 1;
    size_t i = (size_t)mask_hash(m) & mask;
    for (; v->set_index[i]; i = (i + 1) & mask)
        if (v->sets[v->set_index[i] - 1] == m)
            return v->set_index[i] - 1;
    if (v->nsets == WTI_VOCAB_MAX_SETS)
        return -1;
    if (v->nsets == v->capsets) {
        wti_mask *ns = realloc(v->sets, v->capsets * 2 * sizeof *ns);
        if (!ns)
            return -1;
        v->sets = ns;
        v->capsets *= 2;
    }
    v->sets[v->nsets] = m;
    v->set_index[i] = (uint32_t)v->nsets + 1;
    return (int64_t)v->nsets++;
}

int wti_vocab_add_classes(wti_vocab *v, uint32_t id, wti_mask bits)
{
    wti_vocab_slot *sl = wti_vocab_slot_of(v, id);
    int64_t s = set_of(v, wti_vocab_slot_classes(v, sl) | bits);
    if (s < 0)
        return -1;
    sl->set = (uint16_t)((sl->set & WTI_VOCAB_LONG) | (uint16_t)s);
    return 0;
}

void wti_vocab_freeze(wti_vocab *v)
{
    free(v->set_index);
    v->set_index = NULL;
    v->nset_index = 0;
    if (v->recs_len && v->recs_len < v->recs_cap) {
        char *p = realloc(v->recs, v->recs_len);
        if (p) {
            v->recs = p;
            v->recs_cap = v->recs_len;
        }
    }
}

uint32_t wti_vocab_next(const wti_vocab *v, uint32_t id)
{
    size_t off = id ? (size_t)id * 8 + rec_size(wti_vocab_word(v, id)->len) : 8;
    return off < v->recs_len ? (uint32_t)(off / 8) : 0;
}

/* Puts a word's slot into a table of n slots (a power of two) that has room; the word's
 * record learns where. */
static void place(wti_vocab *v, wti_vocab_slot *slots, size_t n, uint64_t hash,
                  const wti_vocab_slot *slot)
{
    size_t i = (size_t)hash & (n - 1);
    while (slots[i].id)
        i = (i + 1) & (n - 1);
    slots[i] = *slot;
    wti_vocab_word(v, slot->id)->slot = (uint32_t)i;
}

static int grow_slots(wti_vocab *v)
{
    size_t n = v->nslots ? v->nslots * 2 : 1024;
    wti_vocab_slot *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < v->nslots; i++) {
        const wti_vocab_slot *sl = &v->slots[i];
        if (!sl->id)
            continue;
        const wti_word *w = wti_vocab_word(v, sl->id);
        place(v, slots, n, wti_hash(w->text, w->len), sl);
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
        v->recs_len = 8; /* reserve id 0 */
    if (!v->nsets && set_of(v, 0) < 0)
        return 0;
    /* Keep the load factor at or below three quarters. */
    if ((v->n + 1) * 4 > v->nslots * 3 && grow_slots(v) < 0)
        return 0;
    size_t size = rec_size(len);
    if (v->recs_len + size > v->recs_cap) {
        size_t cap = v->recs_cap ? v->recs_cap * 2 : 65536;
        while (cap < v->recs_len + size)
            cap *= 2;
        if (cap / 8 > 0xFFFFFFFFu)
            return 0;
        char *p = realloc(v->recs, cap);
        if (!p)
            return 0;
        v->recs = p;
        v->recs_cap = cap;
    }
    id = (uint32_t)(v->recs_len / 8);
    wti_word *w = wti_vocab_word(v, id);
    memset(w, 0, sizeof *w);
    w->len = (uint16_t)len;
    memcpy(w->text, s, len);
    w->text[len] = '\0';
    v->recs_len += size;
    v->n++;
    wti_vocab_slot slot = {0, id, 0, 0};
    slot.key = wti_vocab_key(s, len, hash, &slot.set);
    place(v, v->slots, v->nslots, hash, &slot);
    return id;
}

size_t wti_vocab_memory(const wti_vocab *v)
{
    return v->recs_cap + v->nslots * sizeof(wti_vocab_slot) + v->capsets * sizeof(wti_mask) +
           v->nset_index * sizeof(uint32_t);
}
