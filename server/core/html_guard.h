/* Bounds on what parsing one HTML document may cost. libgumbo has none: its tree construction
 * slows with the square of the nesting depth, and re-opening formatting elements ("reconstruct
 * the active formatting elements") can build a number of nodes that grows with the square of
 * the input. Two guards keep a request's cost in proportion to its size:
 *
 * - a cheap scan before parsing estimates how deep elements nest (start tags push, end tags pop
 *   to their element, void elements and the elements a browser closes implicitly -- p, li, td,
 *   option, a ... -- do not pile up) and refuses a document deeper than WTI_HTML_MAX_DEPTH;
 * - an allocator for libgumbo that counts what it holds and, past a budget proportional to the
 *   input, abandons the parse (longjmp) and frees everything it handed out. */
#ifndef WTI_HTML_GUARD_H
#define WTI_HTML_GUARD_H

#include <setjmp.h>
#include <stddef.h>

/* Far deeper than any article (Chromium's parser flattens below 512 levels), and shallow enough
 * that libgumbo builds the tree in a fraction of a second. */
#define WTI_HTML_MAX_DEPTH 10000

/* Returns 0 when no element of s[0..len) nests deeper than `limit` by the estimate above;
 * 1, with *at set to the byte offset of the start tag that went past it, when one does; -1 when
 * memory runs out. */
int wti_html_too_deep(const char *s, size_t len, size_t limit, size_t *at);

/* Allocation budget for one parse: fixed part plus this many bytes per byte of HTML. */
#define WTI_HTML_BUDGET_BASE (16u << 20)
#define WTI_HTML_BUDGET_PER_BYTE 48u

typedef struct wti_html_arena {
    struct block *blocks; /* every live block, doubly linked */
    size_t held, budget;
    jmp_buf *out;         /* where to go when the budget is spent */
} wti_html_arena;

void wti_html_arena_init(wti_html_arena *a, size_t html_len, jmp_buf *out);

/* libgumbo's allocator and deallocator; userdata is the arena. */
void *wti_html_arena_alloc(void *arena, size_t size);
void wti_html_arena_free(void *arena, void *p);

/* Frees every block still held (after an abandoned parse). */
void wti_html_arena_release(wti_html_arena *a);

#endif
