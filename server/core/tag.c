/* wt_tag(): validate, tokenize, match the gazetteer, run the rules, resolve, build the result.
 * Every allocation of the call is freed here or owned by the result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doc.h"
#include "docstats.h"
#include "errors.h"
#include "resolve.h"
#include "result.h"
#include "rules.h"
#include "stage.h"
#include "utf8.h"
#include "wiretag/tag.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int check_field(const char *s, size_t len, const char *name, wt_error *err)
{
    size_t bad = wti_utf8_check(s, len);
    if (bad == len)
        return 0;
    wti_error_set(err, WT_E_INVALID_UTF8, "%s is not valid UTF-8: bad byte at offset %zu", name,
                  bad);
    if (err) {
        snprintf(err->file, sizeof err->file, "%s", name);
        err->offset = (long)bad;
    }
    return -1;
}

static int pipeline(const wt_tagger *t, wti_doc *d, wt_result *r, const wt_options *opts)
{
    const wt_document *doc = d->in;
    if (doc->title_len && wti_tokenize(&t->tz, doc->title, doc->title_len, WT_FIELD_TITLE,
                                       &d->toks) < 0)
        return -1;
    if (wti_tokenize(&t->tz, doc->text, doc->text_len, WT_FIELD_TEXT, &d->toks) < 0)
        return -1;
    if (wti_docstats(&d->toks) < 0 || wti_match_gazetteer(d) < 0)
        return -1;
    if (t->rules) {
        wti_rules_scratch *s = wti_rules_scratch_new(t->rules);
        int rc = s ? wti_rules_classify(t, s, &d->toks, doc->text, doc->title) : -1;
        wti_rules_scratch_free(s);
        if (rc < 0)
            return -1;
    }
    if (wti_match_rules(d) < 0)
        return -1;
    wti_resolution res;
    int rc = wti_resolve(d, &res);
    if (rc == 0)
        rc = wti_result_build(r, d, &res, opts);
    wti_resolution_release(&res);
    return rc;
}

wt_result *wt_tag(const wt_tagger *t, const wt_document *doc, const wt_options *opts,
                  wt_error *err)
{
    wt_error_clear(err);
    double t0 = now_ms();
    size_t max = opts && opts->max_text ? opts->max_text : WT_DEFAULT_MAX_TEXT;
    size_t title_len = doc->title ? doc->title_len : 0;
    if (doc->text_len > max || title_len > max - doc->text_len) {
        wti_error_set(err, WT_E_TEXT_TOO_LARGE,
                      "text and title are %zu bytes; the limit is %zu bytes per document",
                      doc->text_len + title_len, max);
        return NULL;
    }
    if (check_field(doc->text ? doc->text : "", doc->text_len, "text", err) < 0 ||
        check_field(doc->title ? doc->title : "", title_len, "title", err) < 0)
        return NULL;

    wt_result *r = calloc(1, sizeof *r);
    if (!r) {
        wti_error_set(err, WT_E_NOMEM, NULL);
        return NULL;
    }
    wti_arena_init(&r->arena);
    r->doc = *doc;
    if (!r->doc.text)
        r->doc.text = "";
    r->doc.title_len = title_len;
    if (!r->doc.title)
        r->doc.title = "";

    wti_doc d;
    memset(&d, 0, sizeof d);
    d.t = t;
    d.in = &r->doc;
    wti_tokens_init(&d.toks);
    int rc = pipeline(t, &d, r, opts);
    r->stats.characters = wti_utf8_count(r->doc.text, r->doc.text_len) +
                          wti_utf8_count(r->doc.title, r->doc.title_len);
    r->stats.tokens = d.toks.n;
    r->stats.sentences = d.toks.sentences;
    wti_tokens_release(&d.toks);
    free(d.c);
    if (rc < 0) {
        wt_result_free(r);
        wti_error_set(err, WT_E_NOMEM, NULL);
        return NULL;
    }
    r->stats.elapsed_ms = now_ms() - t0;
    return r;
}

void wt_result_free(wt_result *r)
{
    if (!r)
        return;
    wti_arena_release(&r->arena);
    free(r);
}

const wt_entity *wt_result_entities(const wt_result *r, size_t *n)
{
    *n = r->nentities;
    return r->entities;
}

const wt_stats *wt_result_stats(const wt_result *r)
{
    return &r->stats;
}

const wt_document *wt_result_document(const wt_result *r)
{
    return &r->doc;
}
