/* Bounds on what parsing one HTML document may cost: see html_guard.h. */
#include "html_guard.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- nesting depth, estimated before parsing ------------------------------------------- */

/* A tag name as read: lower case, cut at 15 bytes (no element we look for is longer), with a
 * hash of the whole name for the stack of open elements. */
typedef struct tag_name {
    char s[16];
    uint32_t hash;
} tag_name;

/* Reads the name at s[*i], advancing *i past it. */
static void read_name(const char *s, size_t len, size_t *i, tag_name *n)
{
    uint32_t h = 2166136261u;
    size_t k = 0;
    while (*i < len) {
        unsigned char c = (unsigned char)s[*i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == ':'))
            break;
        h = (h ^ c) * 16777619u;
        if (k < sizeof n->s - 1)
            n->s[k++] = (char)c;
        (*i)++;
    }
    n->s[k] = '\0';
    n->hash = h;
}

static int listed(const tag_name *n, const char *const *names, size_t count)
{
    for (size_t k = 0; k < count; k++)
        if (names[k][0] == n->s[0] && strcmp(names[k], n->s) == 0)
            return 1;
    return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Elements that never have content. */
static const char *const void_elements[] = {"area", "base", "br", "col", "embed", "hr", "img",
                                            "input", "keygen", "link", "meta", "param",
                                            "source", "track", "wbr", "image"};
/* Elements whose content is text up to their end tag. */
static const char *const raw_text[] = {"script", "style", "textarea", "title", "xmp",
                                       "iframe", "noembed", "noframes"};
/* Elements a new one of the same kind closes ("<p>a<p>b", "<li>", "<td>", "<a>"). */
static const char *const self_closing[] = {"p", "li", "dt", "dd", "tr", "td", "th", "option",
                                           "optgroup", "rb", "rt", "rp", "rtc", "thead",
                                           "tbody", "tfoot", "a", "nobr", "button", "form",
                                           "h1", "h2", "h3", "h4", "h5", "h6", "body", "html",
                                           "head", "frameset"};

/* Skips past the next `close` (a NUL-terminated string) from s[i]; returns len if none. */
static size_t skip_past(const char *s, size_t len, size_t i, const char *close)
{
    size_t n = strlen(close);
    for (; i + n <= len; i++)
        if (memcmp(s + i, close, n) == 0)
            return i + n;
    return len;
}

/* Skips the rest of a tag from s[i] (attributes, quoted values) to just past its '>'. Sets
 * *self_closed when it ends in "/>". */
static size_t skip_tag(const char *s, size_t len, size_t i, int *self_closed)
{
    char quote = 0;
    for (; i < len; i++) {
        char c = s[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            *self_closed = i > 0 && s[i - 1] == '/';
            return i + 1;
        }
    }
    return len;
}

/* Skips raw text up to its end tag "</name" (any case) from s[i]. */
static size_t skip_raw(const char *s, size_t len, size_t i, const tag_name *name)
{
    for (; i + 2 < len; i++) {
        if (s[i] != '<' || s[i + 1] != '/')
            continue;
        size_t j = i + 2;
        tag_name end;
        read_name(s, len, &j, &end);
        if (end.hash == name->hash)
            return i;
    }
    return len;
}

int wti_html_too_deep(const char *s, size_t len, size_t limit, size_t *at)
{
    uint32_t *stack = malloc((limit + 1) * sizeof *stack);
    if (!stack)
        return -1;
    size_t depth = 0;
    size_t i = 0;
    int deep = 0;
    while (i < len) {
        const char *lt = memchr(s + i, '<', len - i);
        if (!lt)
            break;
        size_t tag = (size_t)(lt - s);
        i = tag + 1;
        if (i >= len)
            break;
        char c = s[i];
        tag_name n;
        int self_closed = 0;
        if (c == '!' && i + 2 < len && s[i + 1] == '-' && s[i + 2] == '-') {
            i = skip_past(s, len, i + 3, "-->");
        } else if (c == '!' || c == '?') {
            i = skip_past(s, len, i, ">");
        } else if (c == '/') {
            size_t j = i + 1;
            read_name(s, len, &j, &n);
            if (j == i + 1)
                continue; /* "</" and no name */
            i = skip_tag(s, len, j, &self_closed);
            for (size_t k = depth; k-- > 0;)
                if (stack[k] == n.hash) {
                    depth = k;
                    break;
                }
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            read_name(s, len, &i, &n);
            i = skip_tag(s, len, i, &self_closed);
            if (listed(&n, raw_text, COUNT(raw_text))) {
                i = skip_raw(s, len, i, &n);
                continue;
            }
            if (strcmp(n.s, "plaintext") == 0)
                break;
            if (self_closed || listed(&n, void_elements, COUNT(void_elements)))
                continue;
            if (listed(&n, self_closing, COUNT(self_closing)))
                for (size_t k = depth; k-- > 0 && k + 8 >= depth;)
                    if (stack[k] == n.hash) {
                        depth = k;
                        break;
                    }
            if (depth == limit) {
                if (at)
                    *at = tag;
                deep = 1;
                break;
            }
            stack[depth++] = n.hash;
        }
    }
    free(stack);
    return deep;
}

/* ---- an allocator with a budget ---------------------------------------------------------- */

struct block {
    struct block *prev, *next;
    size_t size;
    size_t pad; /* keeps the payload 16-byte aligned */
};

void wti_html_arena_init(wti_html_arena *a, size_t html_len, jmp_buf *out)
{
    a->blocks = NULL;
    a->held = 0;
    size_t per = html_len > SIZE_MAX / WTI_HTML_BUDGET_PER_BYTE / 2
                     ? SIZE_MAX / 2
                     : html_len * WTI_HTML_BUDGET_PER_BYTE;
    a->budget = WTI_HTML_BUDGET_BASE + per;
    a->out = out;
}

void *wti_html_arena_alloc(void *arena, size_t size)
{
    wti_html_arena *a = arena;
    if (size > a->budget - a->held || a->held > a->budget)
        longjmp(*a->out, 1);
    struct block *b = malloc(sizeof *b + size);
    if (!b)
        longjmp(*a->out, 2);
    b->size = size;
    b->prev = NULL;
    b->next = a->blocks;
    if (a->blocks)
        a->blocks->prev = b;
    a->blocks = b;
    a->held += size;
    return b + 1;
}

void wti_html_arena_free(void *arena, void *p)
{
    wti_html_arena *a = arena;
    if (!p)
        return;
    struct block *b = (struct block *)p - 1;
    if (b->prev)
        b->prev->next = b->next;
    else
        a->blocks = b->next;
    if (b->next)
        b->next->prev = b->prev;
    a->held -= b->size;
    free(b);
}

void wti_html_arena_release(wti_html_arena *a)
{
    struct block *b = a->blocks;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    a->blocks = NULL;
    a->held = 0;
}
