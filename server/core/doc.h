/* The state of one tag call: the document's tokens and every candidate mention found in it.
 * Created and freed by wt_tag(); nothing here outlives the call except the result. */
#ifndef WTI_DOC_H
#define WTI_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "tagger_impl.h"
#include "token.h"
#include "wiretag/tag.h"

enum { WTI_SRC_GAZETTEER, WTI_SRC_RULE, WTI_SRC_DOCUMENT };

enum {
    WTI_CAND_PREFERRED = 1 << 0, /* chosen by @prefer among entries sharing the alias */
    WTI_CAND_PARTIAL = 1 << 1,   /* covers part of a hyphenated token: "US" in "US-led" */
    WTI_CAND_AMBIGUOUS = 1 << 2, /* other entries share this span */
    WTI_CAND_SELECTED = 1 << 3,
};

#define WTI_NO_ENTRY     0xFFFFFFFFu
#define WTI_TYPE_DROPPED (-2)

typedef struct wti_cand {
    uint32_t tok_start, tok_end;   /* tokens [tok_start, tok_end) */
    uint32_t start, end;           /* bytes in the field, end exclusive */
    uint32_t entry;                /* gazetteer entry, or WTI_NO_ENTRY */
    int32_t rule;                  /* rule index, or -1 */
    uint32_t attr_start, attr_end; /* tokens of a captured attribute (role) */
    float conf;
    uint16_t layer;
    uint8_t field;
    int8_t type;  /* wt_type, -1 for text claimed by a stop phrase or a "none" rule, or
                     WTI_TYPE_DROPPED when a rule overruled this candidate */
    uint8_t form; /* wt_form */
    uint8_t source;
    uint8_t flags;
    uint8_t over; /* rules: types this candidate drops on its span (bit 1 << type) */
    int32_t cluster; /* entity index once resolved, or -1 */
    int32_t link;    /* document-level evidence: the candidate whose entity this one names */
} wti_cand;

typedef struct wti_doc {
    const wt_tagger *t;
    const wt_document *in;
    wti_tokens toks;
    wti_cand *c;
    size_t nc, capc;
} wti_doc;

/* The text of a field. */
static inline const char *wti_doc_field(const wti_doc *d, unsigned field)
{
    return field == WT_FIELD_TITLE ? d->in->title : d->in->text;
}

/* Reading order: the title before the text, then by offset. */
static inline int wti_cand_before(const wti_cand *a, const wti_cand *b)
{
    if (a->field != b->field)
        return a->field == WT_FIELD_TITLE;
    return a->start <= b->start;
}

/* Appends a candidate; returns it, or NULL when memory runs out. */
wti_cand *wti_doc_add(wti_doc *d);

/* Finds every gazetteer name, alias and stop phrase in the tokens (all of them, overlapping
 * ones included, each with its evidence) and marks the gaz_* classes on the tokens they
 * cover. Returns 0 or -1. */
int wti_match_gazetteer(wti_doc *d);

/* Runs the rules and adds their matches as candidates. Returns 0 or -1. */
int wti_match_rules(wti_doc *d);

#endif
