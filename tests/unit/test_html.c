/* HTML articles: visible text (scripts, styles, comments and attributes skipped, references
 * decoded, blocks as boundaries, inline tags transparent), offsets into the source, links, and
 * annotated output that gives back the original bytes when the spans are removed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "wiretag/html.h"
#include "wiretag/v1.h"

static wt_tagger *t;

static const char *visible(const char *html)
{
    static char out[2048];
    wt_html *h = wt_html_parse(html, strlen(html), NULL);
    if (!h)
        return "(error)";
    size_t n;
    const char *s = wt_html_text(h, &n);
    snprintf(out, sizeof out, "%.*s", (int)n, s);
    wt_html_free(h);
    return out;
}

/* "name=source-slice[link]" for every mention, in entity order. */
static const char *mentions(const char *html)
{
    static char out[2048];
    wt_html *h = wt_html_parse(html, strlen(html), NULL);
    size_t n, len = 0;
    const char *text = wt_html_text(h, &n);
    wt_document doc = {text, n, NULL, 0};
    wt_result *r = wt_tag(t, &doc, NULL, NULL);
    const wt_entity *e = wt_result_entities(r, &n);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < e[i].nmentions; k++) {
            size_t s, f;
            int link;
            wt_html_source_range(h, e[i].mentions[k].start, e[i].mentions[k].end, &s, &f, &link);
            len += (size_t)snprintf(out + len, sizeof out - len, "%s%s=%.*s%s", len ? "; " : "",
                                    e[i].name, (int)(f - s), html + s, link ? "[link]" : "");
        }
    wt_result_free(r);
    wt_html_free(h);
    return out;
}

/* Removes every <span class="wt-entity" ...> and its matching </span> inserted by annotate. */
static void strip_spans(char *s)
{
    const char *open = "<span class=\"wt-entity\"";
    char *p;
    while ((p = strstr(s, open)) != NULL) {
        char *gt = strchr(p, '>');
        memmove(p, gt + 1, strlen(gt + 1) + 1);
        char *close = strstr(p, "</span>");
        memmove(close, close + 7, strlen(close + 7) + 1);
    }
}

static void annotate_roundtrip(const char *html, wt_annotate how, const char *expect_in)
{
    wt_html *h = wt_html_parse(html, strlen(html), NULL);
    size_t n;
    const char *text = wt_html_text(h, &n);
    wt_document doc = {text, n, NULL, 0};
    wt_result *r = wt_tag(t, &doc, NULL, NULL);
    size_t len;
    char *out = wt_html_annotate(h, r, how, &len);
    CHECK(out != NULL);
    if (expect_in)
        CHECK_CONTAINS(out, expect_in);
    strip_spans(out);
    CHECK_STR(out, html);
    free(out);
    wt_result_free(r);
    wt_html_free(h);
}

/* `n` copies of `unit` after `head`, then `tail` (caller frees). */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(hl + n * ul + tl + 1);
    memcpy(s, head, hl);
    for (size_t i = 0; i < n; i++)
        memcpy(s + hl + i * ul, unit, ul);
    memcpy(s + hl + n * ul, tail, tl + 1);
    return s;
}

/* Markup built to be expensive gets a bounded answer: deep nesting within the limit parses
 * (and the walk over it needs no deep C stack), past it is refused with the offset of the tag
 * that went too deep, implicitly closed elements do not count as nesting, and formatting
 * elements re-opened over and over are cut off by the parse budget. */
static void test_guards(void)
{
    wt_error err;
    char *s = repeat("", "<div>", 9000, "Russia");
    wt_html *h = wt_html_parse(s, strlen(s), &err);
    CHECK(h != NULL);
    if (h) {
        size_t n;
        const char *text = wt_html_text(h, &n);
        CHECK_STR(text, "Russia");
        wt_html_free(h);
    }
    free(s);

    s = repeat("<p>x</p>", "<span>", 10001, "Russia");
    CHECK(wt_html_parse(s, strlen(s), &err) == NULL);
    CHECK_INT(err.code, WT_E_HTML_TOO_COMPLEX);
    CHECK_INT(err.offset, 8 + 6 * 10000);
    CHECK_CONTAINS(err.message, "more than 10000 deep");
    free(s);

    /* Closed, implicitly closed, void, raw text and comments do not nest. */
    const char *units[] = {"<b>x</b>", "<p>x", "<li>x", "<td>x", "<a href=\"/\">x", "<br>",
                           "<img src=\"a>b\">", "<script><div><div></script>", "<!-- <div> -->",
                           "<option>x", "<div/>"};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        s = repeat("", units[i], 12000, "");
        h = wt_html_parse(s, strlen(s), &err);
        CHECK(h != NULL);
        if (!h)
            fprintf(stderr, "  refused: 12000 x %s: %s\n", units[i], err.message);
        wt_html_free(h);
        free(s);
    }

    /* 2,000 distinct formatting elements left open in a paragraph are re-opened (cloned) in
     * each of the next 20,000 paragraphs: 40 million elements unless the budget stops it. */
    char *open = malloc(2000 * 16 + 16);
    size_t len = 0;
    len += (size_t)sprintf(open, "<p>");
    for (int i = 0; i < 2000; i++)
        len += (size_t)sprintf(open + len, "<b id=%d>", i);
    s = repeat(open, "</p><p>x", 20000, "");
    h = wt_html_parse(s, strlen(s), &err);
    CHECK(h == NULL);
    CHECK_INT(err.code, WT_E_HTML_TOO_COMPLEX);
    CHECK_CONTAINS(err.message, "formatting");
    wt_html_free(h);
    free(s);
    free(open);
}

int main(void)
{
    t = fixture_tagger();
    if (!t)
        return 1;
    /* Visible text. */
    CHECK_STR(visible("<p>Russia <!-- Turkey --> and <script>var x = 'Turkey';</script>NATO</p>"),
              "Russia  and NATO");
    CHECK_STR(visible("<style>p{}</style><template><p>Turkey</p></template><p title=\"Turkey\">x</p>"), "x");
    CHECK_STR(visible("<p>a &amp; b &#8217; c&nbsp;d &lt;e&gt;</p>"), "a & b \xe2\x80\x99 c\xc2\xa0" "d <e>");
    CHECK_STR(visible("<ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr></table>"),
              "one\ntwo\na\nb");
    CHECK_STR(visible("<p>line\none</p>"), "line one"); /* a source line break is a space */
    CHECK_STR(visible("<p>a<br>b</p>"), "a\nb");
    CHECK_STR(visible("<p>unclosed <b>bold <i>both</p>after"), "unclosed bold both\nafter");

    /* Mentions map to the source; inline tags are transparent, blocks are boundaries. */
    CHECK_STR(mentions("<p><b>Mikul&aacute;&scaron;</b> Dzurinda met <em>Turkey</em>.</p>"),
              "Mikul\xc3\xa1\xc5\xa1 Dzurinda=Mikul&aacute;&scaron;</b> Dzurinda; Turkey=Turkey");
    CHECK_STR(mentions("<p>Ivory<br>Coast</p>"), "");
    CHECK_STR(mentions("<p>The <a href=\"/ru\">Russian Federation</a> said</p>"),
              "Russia=Russian Federation[link]");
    CHECK_STR(mentions("<table><tr><td>Turkey</td><td>Russia</td></tr></table>"),
              "Turkey=Turkey; Russia=Russia");
    CHECK_STR(mentions("<p>C&ocirc;te d&rsquo;Ivoire</p>"), "C\xc3\xb4te d'Ivoire=C&ocirc;te d&rsquo;Ivoire");

    /* Annotation: wraps what it can, never inside a link or across a tag; all other bytes stay. */
    annotate_roundtrip("<p>Russia and <a href=\"/t\">Turkey</a> and <b>Russian</b> Federation</p>",
                       WT_ANNOTATE_ALL,
                       "<span class=\"wt-entity\" data-type=\"country\" data-entity-id=\"country:RU\">Russia</span>");
    annotate_roundtrip("<div>NATO, NATO &amp; NATO</div>", WT_ANNOTATE_FIRST, NULL);
    annotate_roundtrip("<p>no entities &amp; odd <markup</p>", WT_ANNOTATE_ALL, NULL);

    /* Not UTF-8: an error with the offset. */
    wt_error err;
    CHECK(wt_html_parse("<p>\xe9t\xe9</p>", 9, &err) == NULL);
    CHECK_INT(err.code, WT_E_HTML_NOT_UTF8);
    CHECK_INT(err.offset, 3);

    /* Through the v1 format: exactly one of text and html; annotate needs html. */
    wt_request req;
    wt_request_init(&req);
    const char *both = "{\"text\": \"a\", \"html\": \"<p>a</p>\"}";
    CHECK(wt_request_parse_json(&req, both, strlen(both), &err) < 0);
    CHECK_INT(err.code, WT_E_INVALID_REQUEST);
    wt_request_release(&req);
    wt_request_init(&req);
    const char *ann = "{\"text\": \"a\", \"options\": {\"annotate\": \"all\"}}";
    CHECK(wt_request_parse_json(&req, ann, strlen(ann), &err) < 0);
    CHECK_INT(err.code, WT_E_INVALID_OPTION);
    wt_request_release(&req);
    wt_request_init(&req);
    const char *ok = "{\"html\": \"<p>\\u00e9 Russia</p>\", \"options\": {\"annotate\": \"first\", "
                     "\"offsets\": \"byte\"}}";
    CHECK(wt_request_parse_json(&req, ok, strlen(ok), &err) == 0);
    wt_result *r = wt_tag(t, &req.doc, &req.opts, &err);
    size_t len;
    char *json = wt_response_json(t, r, &req, &len, &err);
    CHECK_CONTAINS(json, "\"start\":6,\"end\":12,\"text\":\"Russia\"");
    CHECK_CONTAINS(json, "\"html\":\"<p>\xc3\xa9 <span class=\\\"wt-entity\\\"");
    free(json);
    wt_result_free(r);
    wt_request_release(&req);
    wt_tagger_free(t);
    test_guards();
    return check_report("html");
}
