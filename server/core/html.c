/* HTML in: libgumbo parses (HTML5 error recovery included); we walk the tree in document order,
 * keep the visible text, and map every byte of it back to the source, aligning each text node's
 * decoded text with its original markup (character references, CR LF, NUL). HTML out: the
 * source with mentions wrapped in spans. */
#include "wiretag/html.h"

#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "errors.h"
#include "html_guard.h"
#include "stage.h"
#include "utf8.h"

/* Where a byte of visible text comes from. */
typedef struct span {
    uint32_t start, end; /* source bytes */
    int32_t node;        /* text node number; -1 for the break a block element makes */
    uint8_t in_link;
} span;

struct wt_html {
    const char *src;
    size_t src_len;
    wti_buf text;
    span *map; /* one per byte of text */
    size_t nmap, capmap;
    int32_t nodes;
    int failed;
};

static void put(wt_html *h, const char *bytes, size_t n, uint32_t start, uint32_t end,
                int32_t node, int in_link)
{
    if (h->failed)
        return;
    if (h->nmap + n > h->capmap) {
        size_t cap = h->capmap ? h->capmap * 2 : 4096;
        while (cap < h->nmap + n)
            cap *= 2;
        span *m = realloc(h->map, cap * sizeof *m);
        if (!m) {
            h->failed = 1;
            return;
        }
        h->map = m;
        h->capmap = cap;
    }
    wti_buf_append(&h->text, bytes, n);
    if (h->text.failed) {
        h->failed = 1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        h->map[h->nmap++] = (span){start, end, node, (uint8_t)in_link};
}

/* A line break for a block boundary, unless the text already ends with one. */
static void block_break(wt_html *h, uint32_t at)
{
    if (h->text.len && h->text.data[h->text.len - 1] != '\n')
        put(h, "\n", 1, at, at, -1, 0);
}

static int is_block(GumboTag tag)
{
    switch (tag) {
        case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
        case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_BODY: case GUMBO_TAG_BR: case GUMBO_TAG_CAPTION:
        case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS:
        case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET:
        case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER:
        case GUMBO_TAG_FORM: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
        case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_HEADER:
        case GUMBO_TAG_HGROUP: case GUMBO_TAG_HR: case GUMBO_TAG_LI: case GUMBO_TAG_MAIN:
        case GUMBO_TAG_MENU: case GUMBO_TAG_NAV: case GUMBO_TAG_OL: case GUMBO_TAG_P:
        case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TABLE:
        case GUMBO_TAG_TBODY: case GUMBO_TAG_TD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_TH:
        case GUMBO_TAG_THEAD: case GUMBO_TAG_TR: case GUMBO_TAG_UL: case GUMBO_TAG_LEGEND:
        case GUMBO_TAG_IMG: case GUMBO_TAG_VIDEO: case GUMBO_TAG_AUDIO:
            return 1;
        default: return 0;
    }
}

static int is_skipped(GumboTag tag)
{
    switch (tag) {
        case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TEMPLATE:
        case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE:
        case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
        case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_SELECT: case GUMBO_TAG_BUTTON:
            return 1;
        default: return 0;
    }
}

/* The end of the character reference at orig[i] == '&', or i when there is none. */
static size_t reference_end(const char *o, size_t n, size_t i)
{
    size_t k = i + 1;
    if (k < n && o[k] == '#') {
        k++;
        int hex = k < n && (o[k] == 'x' || o[k] == 'X');
        k += hex;
        size_t d = k;
        while (k < n && ((o[k] >= '0' && o[k] <= '9') ||
                         (hex && ((o[k] >= 'a' && o[k] <= 'f') || (o[k] >= 'A' && o[k] <= 'F')))))
            k++;
        if (k == d)
            return i;
    } else {
        size_t d = k;
        while (k < n && ((o[k] >= 'a' && o[k] <= 'z') || (o[k] >= 'A' && o[k] <= 'Z') ||
                         (o[k] >= '0' && o[k] <= '9')))
            k++;
        if (k == d)
            return i;
    }
    if (k < n && o[k] == ';')
        k++;
    return k;
}

/* Do the source and the decoded text continue alike for a few bytes (or both end)? */
static int runs_on(const char *o, size_t on, const char *d, size_t dn)
{
    size_t n = on < dn ? on : dn;
    if (n > 4)
        n = 4;
    if (n == 0)
        return on == dn || (on && o[0] == '<');
    if (o[0] == '&' || o[0] == '\r' || o[0] == '\0') /* another reference or a CR: trust it */
        return 1;
    return memcmp(o, d, n) == 0;
}

/* Appends one text node's decoded text, each byte mapped to the markup that produced it. In
 * running text a line break is a space (only block elements end lines). */
static void add_text(wt_html *h, const GumboText *t, int in_link)
{
    const char *o = t->original_text.data;
    size_t on = t->original_text.length;
    const char *dec = t->text;
    size_t dn = strlen(dec);
    uint32_t base = (uint32_t)(o - h->src);
    int32_t node = h->nodes++;
    size_t i = 0, j = 0;
    while (j < dn) {
        if (i >= on) { /* cannot align any more: the rest maps to the end of the node */
            for (; j < dn; j++)
                put(h, dec[j] == '\n' ? " " : &dec[j], 1, base + (uint32_t)on, base + (uint32_t)on,
                    node, in_link);
            break;
        }
        unsigned char lead = (unsigned char)dec[j];
        size_t cl = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        if (j + cl > dn)
            cl = dn - j;
        if (o[i] == '&') {
            size_t k = reference_end(o, on, i);
            /* An unknown reference stays as written: then the decoded text repeats it. */
            int literal = k == i || (dn - j >= k - i && memcmp(dec + j, o + i, k - i) == 0);
            if (!literal) {
                /* One decoded character (two for a few named references), and the reference
                 * may be shorter than it looks ("&notit;" is "¬" then "it;"): choose the split
                 * after which the source and the decoded text run on together. */
                size_t take = cl, end = k;
                unsigned char l2 = j + cl < dn ? (unsigned char)dec[j + cl] : 0;
                size_t c2 = l2 < 0x80 ? 1 : l2 < 0xE0 ? 2 : l2 < 0xF0 ? 3 : 4;
                int found = 0;
                for (int two = 0; two < 2 && !found; two++) {
                    size_t tk = two ? cl + c2 : cl;
                    if (j + tk > dn)
                        break;
                    for (size_t kk = k; kk >= i + 2 && !found; kk--) {
                        if (runs_on(o + kk, on - kk, dec + j + tk, dn - j - tk)) {
                            take = tk;
                            end = kk;
                            found = 1;
                        }
                    }
                }
                put(h, dec + j, take, base + (uint32_t)i, base + (uint32_t)end, node, in_link);
                i = end;
                j += take;
                continue;
            }
        }
        if (o[i] == '\r') {
            if (i + 1 < on && o[i + 1] == '\n') {
                i++;
                continue;
            }
            put(h, " ", 1, base + (uint32_t)i, base + (uint32_t)i + 1, node, in_link); /* CR alone */
            i++;
            j++;
            continue;
        }
        if (o[i] == '\0') { /* NUL became U+FFFD */
            put(h, " ", 1, base + (uint32_t)i, base + (uint32_t)i + 1, node, in_link);
            i++;
            j += cl;
            continue;
        }
        unsigned char ol = (unsigned char)o[i];
        size_t ocl = ol < 0x80 ? 1 : ol < 0xE0 ? 2 : ol < 0xF0 ? 3 : 4;
        if (i + ocl > on)
            ocl = on - i;
        const char *bytes = dec + j;
        if (cl == 1 && (dec[j] == '\n' || dec[j] == '\t' || dec[j] == '\f'))
            bytes = " ";
        put(h, bytes, cl, base + (uint32_t)i, base + (uint32_t)(i + ocl), node, in_link);
        i += ocl;
        j += cl;
    }
}

/* Where the walk is: an element and the next of its children to visit. */
typedef struct frame {
    const GumboNode *node;
    unsigned next;
    int in_link;
} frame;

/* Visits the tree in document order with a stack of its own (the tree may be as deep as the
 * guard allows, and a worker thread's stack is small). Returns -1 when memory runs out. */
static int walk(wt_html *h, const GumboNode *root)
{
    size_t n = 0, cap = 64;
    frame *st = malloc(cap * sizeof *st);
    if (!st)
        return -1;
    st[n++] = (frame){root, 0, 0};
    while (n) {
        frame *f = &st[n - 1];
        const GumboNode *node = f->node;
        const GumboVector *kids = node->type == GUMBO_NODE_DOCUMENT ? &node->v.document.children
                                                                    : &node->v.element.children;
        if (f->next == kids->length) {
            if (node->type == GUMBO_NODE_ELEMENT && is_block(node->v.element.tag)) {
                const GumboElement *e = &node->v.element;
                block_break(h, e->original_end_tag.length ? e->end_pos.offset
                                                          : e->start_pos.offset);
            }
            n--;
            continue;
        }
        const GumboNode *kid = kids->data[f->next++];
        int in_link = f->in_link;
        switch (kid->type) {
            case GUMBO_NODE_TEXT:
            case GUMBO_NODE_WHITESPACE:
            case GUMBO_NODE_CDATA: add_text(h, &kid->v.text, in_link); continue;
            case GUMBO_NODE_COMMENT:
            case GUMBO_NODE_TEMPLATE:
            case GUMBO_NODE_DOCUMENT: continue;
            case GUMBO_NODE_ELEMENT: break;
        }
        const GumboElement *e = &kid->v.element;
        if (is_skipped(e->tag))
            continue;
        if (is_block(e->tag))
            block_break(h, e->start_pos.offset);
        if (e->tag == GUMBO_TAG_A && gumbo_get_attribute(&e->attributes, "href"))
            in_link = 1;
        if (n == cap) {
            frame *grown = realloc(st, 2 * cap * sizeof *st);
            if (!grown) {
                free(st);
                return -1;
            }
            st = grown;
            cap *= 2;
        }
        st[n++] = (frame){kid, 0, in_link};
    }
    free(st);
    return 0;
}

/* libgumbo, within the guard's budget. Returns the output, or NULL with *err set. The arena
 * holds what the output uses until gumbo_destroy_output and wti_html_arena_release. */
static GumboOutput *parse_guarded(const char *html, size_t len, GumboOptions *opts,
                                  wti_html_arena *arena, jmp_buf *out, wt_error *err)
{
    if (setjmp(*out)) {
        wti_html_arena_release(arena);
        wti_error_set(err, WT_E_HTML_TOO_COMPLEX,
                      "the HTML repeats formatting markup that would take more than %zu MB to "
                      "parse; close the elements (<b>, <i>, <font> ...) it opens",
                      arena->budget >> 20);
        return NULL;
    }
    GumboOutput *o = gumbo_parse_with_options(opts, html, len);
    if (!o)
        wti_error_set(err, WT_E_NOMEM, NULL);
    return o;
}

wt_html *wt_html_parse(const char *html, size_t len, wt_error *err)
{
    wt_error_clear(err);
    size_t bad = wti_utf8_check(html, len);
    if (bad != len) {
        wti_error_set(err, WT_E_HTML_NOT_UTF8,
                      "the HTML is not UTF-8: bad byte at offset %zu; send UTF-8", bad);
        if (err)
            err->offset = (long)bad;
        return NULL;
    }
    if (len > 0xFFFFFFF0u) {
        wti_error_set(err, WT_E_TEXT_TOO_LARGE, "HTML larger than 4 GB");
        return NULL;
    }
    size_t at = 0;
    int deep = wti_html_too_deep(html, len, WTI_HTML_MAX_DEPTH, &at);
    if (deep) {
        if (deep < 0)
            return wti_error_set(err, WT_E_NOMEM, NULL), NULL;
        wti_error_set(err, WT_E_HTML_TOO_COMPLEX,
                      "the HTML nests elements more than %d deep (at byte %zu); close them",
                      WTI_HTML_MAX_DEPTH, at);
        if (err)
            err->offset = (long)at;
        return NULL;
    }
    wt_html *h = calloc(1, sizeof *h);
    if (!h) {
        wti_error_set(err, WT_E_NOMEM, NULL);
        return NULL;
    }
    h->src = html;
    h->src_len = len;
    wti_buf_init(&h->text);
    jmp_buf jb;
    wti_html_arena arena;
    wti_html_arena_init(&arena, len, &jb);
    GumboOptions opts = kGumboDefaultOptions;
    opts.max_errors = 0; /* wiretag never reads them, and each copies the open elements */
    opts.allocator = wti_html_arena_alloc;
    opts.deallocator = wti_html_arena_free;
    opts.userdata = &arena;
    GumboOutput *out = parse_guarded(html, len, &opts, &arena, &jb, err);
    if (!out) {
        free(h);
        return NULL;
    }
    if (walk(h, out->document) < 0)
        h->failed = 1;
    gumbo_destroy_output(&opts, out);
    wti_html_arena_release(&arena);
    /* Trim the trailing break; keep the buffer NUL-terminated for convenience. */
    while (h->nmap && h->map[h->nmap - 1].node < 0) {
        h->nmap--;
        h->text.len--;
    }
    wti_buf_putc(&h->text, '\0');
    h->text.len--;
    if (h->failed || h->text.failed) {
        wt_html_free(h);
        wti_error_set(err, WT_E_NOMEM, NULL);
        return NULL;
    }
    return h;
}

void wt_html_free(wt_html *h)
{
    if (!h)
        return;
    wti_buf_release(&h->text);
    free(h->map);
    free(h);
}

const char *wt_html_source(const wt_html *h, size_t *len)
{
    *len = h->src_len;
    return h->src;
}

const char *wt_html_text(const wt_html *h, size_t *len)
{
    *len = h->text.len;
    return h->text.data ? h->text.data : "";
}

int wt_html_source_range(const wt_html *h, size_t text_start, size_t text_end, size_t *start,
                         size_t *end, int *in_link)
{
    if (text_end <= text_start || text_end > h->nmap) {
        *start = *end = text_start < h->nmap ? h->map[text_start].start : h->src_len;
        *in_link = 0;
        return 0;
    }
    *start = h->map[text_start].start;
    *end = h->map[text_end - 1].end;
    int one = 1, link = 0;
    for (size_t i = text_start; i < text_end; i++) {
        link |= h->map[i].in_link;
        one &= h->map[i].node == h->map[text_start].node && h->map[i].node >= 0;
    }
    *in_link = link;
    return one;
}

typedef struct wrap {
    size_t start, end;
    const wt_entity *e;
} wrap;

static int cmp_wrap(const void *a, const void *b)
{
    const wrap *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static void put_attr(wti_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
            case '&': wti_buf_puts(b, "&amp;"); break;
            case '"': wti_buf_puts(b, "&quot;"); break;
            case '<': wti_buf_puts(b, "&lt;"); break;
            case '>': wti_buf_puts(b, "&gt;"); break;
            default: wti_buf_putc(b, *s);
        }
    }
}

char *wt_html_annotate(const wt_html *h, const wt_result *r, wt_annotate how, size_t *len)
{
    size_t ne, total = 0;
    const wt_entity *ents = wt_result_entities(r, &ne);
    for (size_t i = 0; i < ne; i++)
        total += ents[i].nmentions;
    wrap *w = malloc((total ? total : 1) * sizeof *w);
    if (!w)
        return NULL;
    size_t nw = 0;
    for (size_t i = 0; how != WT_ANNOTATE_NONE && i < ne; i++) {
        for (size_t k = 0; k < ents[i].nmentions; k++) {
            const wt_mention *m = &ents[i].mentions[k];
            size_t s, e;
            int link;
            if (m->field != WT_FIELD_TEXT || !wt_html_source_range(h, m->start, m->end, &s, &e, &link) ||
                link)
                continue;
            w[nw++] = (wrap){s, e, &ents[i]};
            if (how == WT_ANNOTATE_FIRST)
                break;
        }
    }
    qsort(w, nw, sizeof *w, cmp_wrap);
    wti_buf b;
    wti_buf_init(&b);
    size_t at = 0;
    for (size_t i = 0; i < nw; i++) {
        if (w[i].start < at) /* never nest or overlap */
            continue;
        wti_buf_append(&b, h->src + at, w[i].start - at);
        wti_buf_puts(&b, "<span class=\"wt-entity\" data-type=\"");
        wti_buf_puts(&b, wt_type_name(w[i].e->type));
        wti_buf_puts(&b, "\" data-entity-id=\"");
        put_attr(&b, w[i].e->id);
        wti_buf_puts(&b, "\">");
        wti_buf_append(&b, h->src + w[i].start, w[i].end - w[i].start);
        wti_buf_puts(&b, "</span>");
        at = w[i].end;
    }
    wti_buf_append(&b, h->src + at, h->src_len - at);
    free(w);
    return wti_buf_take(&b, len);
}
