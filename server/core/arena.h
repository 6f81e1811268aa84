/* A bump allocator: many small allocations, one free. Each tag call owns one arena. */
#ifndef WTI_ARENA_H
#define WTI_ARENA_H

#include <stddef.h>

typedef struct wti_arena_chunk wti_arena_chunk;

typedef struct wti_arena {
    wti_arena_chunk *head; /* newest chunk first */
    char *cur, *end;       /* free space in head */
    size_t total;          /* bytes obtained from malloc */
} wti_arena;

/* An empty arena; the first allocation obtains memory. */
void wti_arena_init(wti_arena *a);

/* Returns `size` bytes aligned to 16, or NULL when memory runs out. Never frees. */
void *wti_arena_alloc(wti_arena *a, size_t size);

/* Like wti_arena_alloc, zero-filled. */
void *wti_arena_zalloc(wti_arena *a, size_t size);

/* Copies `len` bytes and appends a NUL. */
char *wti_arena_strndup(wti_arena *a, const char *s, size_t len);

/* Frees every chunk; the arena is empty again. */
void wti_arena_release(wti_arena *a);

#endif
