/* HTML articles: the visible text of an HTML5 document (parsed the way browsers do, by
 * libgumbo), with a map from every byte of that text back to the source markup, so that mentions
 * are reported with offsets into the original HTML; and annotated copies of the source. */
#ifndef WIRETAG_HTML_H
#define WIRETAG_HTML_H

#include <stddef.h>

#include "wiretag/error.h"
#include "wiretag/tag.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wt_html wt_html;

/* Parses `len` bytes of HTML (which must be UTF-8: otherwise NULL with WT_E_HTML_NOT_UTF8 and
 * the offset of the first bad byte). Malformed markup is never an error: it is repaired as a
 * browser would. The visible text skips script, style, template, head and comments, decodes
 * character references, and puts a line break at every block element (p, div, li, h1-h6, br,
 * td, ...) so that no mention crosses one; inline elements (b, i, em, span, a ...) are
 * transparent. The source buffer must outlive the result. Caller frees with wt_html_free(). */
wt_html *wt_html_parse(const char *html, size_t len, wt_error *err);

void wt_html_free(wt_html *h);

/* The source the result was parsed from, and its length. */
const char *wt_html_source(const wt_html *h, size_t *len);

/* The visible text (valid UTF-8) and its length. */
const char *wt_html_text(const wt_html *h, size_t *len);

/* The source range [*start, *end) of the visible text's bytes [text_start, text_end), and
 * whether any of it lies inside a link (<a href>). Returns 1 when the range lies within one text
 * node (no tag inside it, so it can be wrapped in an element without breaking the markup), else
 * 0. */
int wt_html_source_range(const wt_html *h, size_t text_start, size_t text_end, size_t *start,
                         size_t *end, int *in_link);

/* How wt_html_annotate chooses mentions. */
typedef enum wt_annotate { WT_ANNOTATE_NONE, WT_ANNOTATE_FIRST, WT_ANNOTATE_ALL } wt_annotate;

/* The source with each chosen mention of `r` (tagged on wt_html_text) wrapped in
 * <span class="wt-entity" data-type="..." data-entity-id="...">, except mentions that cross a
 * tag or sit inside a link; every other byte is unchanged. WT_ANNOTATE_FIRST wraps the first
 * wrappable mention of each entity. Returns a malloc'd NUL-terminated string (caller frees) and
 * its length, or NULL when memory runs out. */
char *wt_html_annotate(const wt_html *h, const wt_result *r, wt_annotate how, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
