/* Bump allocation in chunks that grow geometrically, so a request makes few malloc calls. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct wti_arena_chunk {
    wti_arena_chunk *next;
    size_t size;
    max_align_t data[];
};

#define ARENA_FIRST_CHUNK 16384

void wti_arena_init(wti_arena *a)
{
    a->head = NULL;
    a->cur = a->end = NULL;
    a->total = 0;
}

void *wti_arena_alloc(wti_arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size == 0)
        size = 16;
    if ((size_t)(a->end - a->cur) < size) {
        size_t want = a->head ? a->head->size * 2 : ARENA_FIRST_CHUNK;
        if (want < size)
            want = size;
        if (want > SIZE_MAX - sizeof(wti_arena_chunk))
            return NULL;
        wti_arena_chunk *c = malloc(sizeof(*c) + want);
        if (!c)
            return NULL;
        c->next = a->head;
        c->size = want;
        a->head = c;
        a->cur = (char *)c->data;
        a->end = a->cur + want;
        a->total += want;
    }
    void *p = a->cur;
    a->cur += size;
    return p;
}

void *wti_arena_zalloc(wti_arena *a, size_t size)
{
    void *p = wti_arena_alloc(a, size);
    if (p)
        memset(p, 0, size);
    return p;
}

char *wti_arena_strndup(wti_arena *a, const char *s, size_t len)
{
    char *p = wti_arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void wti_arena_release(wti_arena *a)
{
    wti_arena_chunk *c = a->head;
    while (c) {
        wti_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    wti_arena_init(a);
}
