/* Gazetteer matching: walk the word trie from every token, checking each alias's case policy
 * against the original text; parts of hyphenated words ("US-led") are tried alone, and a
 * name may end in the first part of one ("Hong Kong-based"). */
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "fold.h"
#include "hash.h"
#include "rules.h"
#include "stage.h"
#include "utf8.h"

wti_cand *wti_doc_add(wti_doc *d)
{
    if (wti_grow((void **)&d->c, &d->capc, d->nc, sizeof *d->c) < 0)
        return NULL;
    wti_cand *c = &d->c[d->nc++];
    memset(c, 0, sizeof *c);
    c->entry = WTI_NO_ENTRY;
    c->rule = -1;
    c->cluster = -1;
    c->link = -1;
    return c;
}

/* Do the letters of `text` (length n) have the same cases as the letters of `alias`? */
static int same_case(const wt_tagger *t, const char *alias, const char *text, size_t n)
{
    const unsigned char *a = (const unsigned char *)alias;
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, j = 0, alen = strlen(alias);
    for (;;) {
        uint32_t ca = 0, cs = 0;
        uint16_t ka = 0, ks = 0;
        while (i < alen) {
            i += wti_utf8_decode(a, i, &ca);
            ka = wti_char_class(&t->fold, ca);
            if (ka & WTI_CH_LETTER)
                break;
            ka = 0;
        }
        while (j < n) {
            j += wti_utf8_decode(s, j, &cs);
            ks = wti_char_class(&t->fold, cs);
            if (ks & WTI_CH_LETTER)
                break;
            ks = 0;
        }
        if (!ka || !ks)
            return !ka && !ks;
        if ((ka & (WTI_CH_UPPER | WTI_CH_LOWER)) != (ks & (WTI_CH_UPPER | WTI_CH_LOWER)))
            return 0;
    }
}

static int policy_ok(const wti_doc *d, const wti_alias *a, uint32_t first, const char *field,
                     uint32_t start, uint32_t end)
{
    const wti_token *tok = d->toks.v;
    switch (a->policy) {
        case WTI_POLICY_ANY: return 1;
        case WTI_POLICY_EXACT:
            return same_case(d->t, wti_str(d->t, a->text), field + start, end - start);
        default:
            for (uint32_t k = 0; k < a->nwords; k++)
                if ((a->capmask >> k & 1) && !(tok[first + k].cls & WTI_BIT(WTI_C_CAP)))
                    return 0;
            return 1;
    }
}

static int add_alias_cands(wti_doc *d, const wti_trie_node *node, uint32_t first, uint32_t last,
                           uint32_t start, uint32_t end, int partial)
{
    const wt_tagger *t = d->t;
    const wti_token *tok = &d->toks.v[first];
    const char *field = wti_doc_field(d, tok->field);
    size_t before = d->nc;
    uint32_t prev_entry = WTI_NO_ENTRY - 1;
    for (uint32_t i = node->alias_first; i < node->alias_first + node->alias_count; i++) {
        const wti_alias *a = &t->trie.aliases[i];
        if (a->entry == prev_entry) /* the same entry through another alias of equal words */
            continue;
        if (!policy_ok(d, a, first, field, start, end))
            continue;
        prev_entry = a->entry;
        wti_cand *c = wti_doc_add(d);
        if (!c)
            return -1;
        c->tok_start = first;
        c->tok_end = last + 1;
        c->start = start;
        c->end = end;
        c->field = (uint8_t)tok->field;
        c->layer = a->layer;
        c->form = a->form;
        c->source = WTI_SRC_GAZETTEER;
        if (a->entry == WTI_ALIAS_STOP) {
            c->type = -1;
        } else {
            c->entry = a->entry;
            c->type = a->type;
        }
        if (a->preferred)
            c->flags |= WTI_CAND_PREFERRED;
        if (partial)
            c->flags |= WTI_CAND_PARTIAL;
    }
    /* Several entries on one span: remember the ambiguity for the resolver. */
    size_t added = d->nc - before;
    if (added > 1)
        for (size_t k = before; k < d->nc; k++)
            d->c[k].flags |= WTI_CAND_AMBIGUOUS;
    return 0;
}

/* Where the next hyphen (or dash) at or after byte oi of s[..end) is, or end when there is
 * none; *after is set past it. */
static uint32_t next_hyphen(const wt_tagger *t, const unsigned char *s, uint32_t oi, uint32_t end,
                            uint32_t *after)
{
    while (oi < end) {
        uint32_t cp;
        unsigned n = wti_utf8_decode(s, oi, &cp);
        if (wti_char_class(&t->fold, cp) & WTI_CH_HYPHEN) {
            *after = oi + n;
            return oi;
        }
        oi += n;
    }
    *after = end;
    return end;
}

/* "US-led", "Russian-made", "U.S.-based": tries each part of a hyphenated word as a
 * one-word name. Parts are found in the original text, where hyphens sit one-to-one with
 * the folded ones. */
static int match_parts(wti_doc *d, uint32_t k)
{
    const wt_tagger *t = d->t;
    const wti_token *tok = &d->toks.v[k];
    const char *field = wti_doc_field(d, tok->field);
    const unsigned char *s = (const unsigned char *)field;
    const char *f = wti_token_fold(&d->toks, tok);
    uint32_t fb = 0, ob = tok->start;
    for (uint32_t fi = 0, oi = tok->start; fi <= tok->fold_len;) {
        int at_end = fi == tok->fold_len;
        if (!at_end && f[fi] != '-') {
            fi++;
            continue;
        }
        /* Find the matching hyphen (or the end) in the original. */
        uint32_t oe = at_end ? tok->end : next_hyphen(t, s, oi, tok->end, &oi);
        if (fi > fb && oe > ob) {
            uint32_t id = wti_vocab_find(&t->vocab, f + fb, fi - fb, wti_hash(f + fb, fi - fb));
            uint32_t node = id ? wti_vocab_word(&t->vocab, id)->root : 0;
            if (node && t->trie.nodes[node].alias_count) {
                /* Capitalisation of the part, for the cap policy. */
                uint32_t cp;
                wti_utf8_decode(s, ob, &cp);
                int cap = (wti_char_class(&t->fold, cp) & WTI_CH_UPPER) != 0;
                const wti_trie_node *tn = &t->trie.nodes[node];
                size_t before = d->nc;
                for (uint32_t i = tn->alias_first; i < tn->alias_first + tn->alias_count; i++) {
                    const wti_alias *a = &t->trie.aliases[i];
                    if (a->nwords != 1 || a->entry == WTI_ALIAS_STOP)
                        continue;
                    if (a->policy == WTI_POLICY_CAP && (a->capmask & 1) && !cap)
                        continue;
                    if (a->policy == WTI_POLICY_EXACT &&
                        !same_case(t, wti_str(t, a->text), field + ob, oe - ob))
                        continue;
                    wti_cand *c = wti_doc_add(d);
                    if (!c)
                        return -1;
                    c->tok_start = k;
                    c->tok_end = k + 1;
                    c->start = ob;
                    c->end = oe;
                    c->field = (uint8_t)tok->field;
                    c->layer = a->layer;
                    c->form = a->form;
                    c->source = WTI_SRC_GAZETTEER;
                    c->entry = a->entry;
                    c->type = a->type;
                    c->flags = WTI_CAND_PARTIAL | (a->preferred ? WTI_CAND_PREFERRED : 0);
                }
                if (d->nc - before > 1)
                    for (size_t q = before; q < d->nc; q++)
                        d->c[q].flags |= WTI_CAND_AMBIGUOUS;
            }
        }
        if (at_end)
            break;
        fi++;
        fb = fi;
        ob = oi;
    }
    return 0;
}

/* The first part of hyphenated token k ("Kong" of "Kong-based"): its vocabulary id (0 when the
 * part is no known word) and, in *end, where it ends in the original text. */
static uint32_t first_part(const wti_doc *d, uint32_t k, uint32_t *end)
{
    const wt_tagger *t = d->t;
    const wti_token *tok = &d->toks.v[k];
    const char *f = wti_token_fold(&d->toks, tok);
    const char *h = memchr(f, '-', tok->fold_len);
    if (!h || h == f)
        return 0;
    const unsigned char *s = (const unsigned char *)wti_doc_field(d, tok->field);
    uint32_t after;
    *end = next_hyphen(t, s, tok->start, tok->end, &after);
    if (*end == tok->start || *end == tok->end)
        return 0;
    size_t len = (size_t)(h - f);
    return wti_vocab_find(&t->vocab, f, len, wti_hash(f, len));
}

static const wti_mask type_class[WT_TYPE__COUNT] = {
    WTI_BIT(WTI_C_GAZ_PERSON),  WTI_BIT(WTI_C_GAZ_ORGANIZATION), WTI_BIT(WTI_C_GAZ_COUNTRY),
    WTI_BIT(WTI_C_GAZ_TREATY),  WTI_BIT(WTI_C_GAZ_PLACE),        WTI_BIT(WTI_C_GAZ_OTHER),
};

int wti_match_gazetteer(wti_doc *d)
{
    const wt_tagger *t = d->t;
    wti_token *tok = d->toks.v;
    uint32_t n = (uint32_t)d->toks.n;
    enum { AHEAD = 8 }; /* tokens: the trie is megabytes, each step a likely cache miss */
    for (uint32_t i = 0; i < n; i++) {
        if (i + AHEAD + 1 < n)
            wti_trie_prefetch(&t->trie, &t->vocab, tok[i + AHEAD].word, tok[i + AHEAD].trie,
                              tok[i + AHEAD + 1].word, tok[i + AHEAD + 1].trie);
        /* The tokens' trie flags say where a name can start, end and go on, so that most
         * tokens cost no look-up at all. */
        if (!(tok[i].trie & WTI_TRIE_STARTS)) {
            if ((tok[i].cls & WTI_BIT(WTI_C_HYPHENATED)) && match_parts(d, i) < 0)
                return -1;
            continue;
        }
        size_t before = d->nc;
        uint32_t node = 0;
        for (uint32_t j = i; j < n; j++) {
            if (j > i && (tok[j].cls & WTI_BIT(WTI_C_LINE_START)))
                break; /* names do not cross lines */
            if (j > i && (tok[j].cls & WTI_BIT(WTI_C_HYPHENATED))) {
                /* "Hong Kong-based", "New York-listed": a name may end in the first part of
                 * a hyphenated word. */
                uint32_t end = 0, part = first_part(d, j, &end);
                uint32_t pn = part ? wti_trie_step(&t->trie, &t->vocab, node, part) : 0;
                if (pn && t->trie.nodes[pn].alias_count &&
                    add_alias_cands(d, &t->trie.nodes[pn], i, j, tok[i].start, end, 1) < 0)
                    return -1;
            }
            if (j > i && !(tok[j].trie & WTI_TRIE_CONTINUES))
                break;
            if (j == i + 1 && !(tok[i].trie & wti_trie_follow_bit(tok[j].word)))
                break;
            node = wti_trie_step(&t->trie, &t->vocab, node, tok[j].word);
            if (!node)
                break;
            const wti_trie_node *tn = &t->trie.nodes[node];
            if ((j > i || (tok[i].trie & WTI_TRIE_NAME)) && tn->alias_count &&
                add_alias_cands(d, tn, i, j, tok[i].start, tok[j].end, 0) < 0)
                return -1;
            if (j == i && !(tok[i].trie & WTI_TRIE_LEADS))
                break;
        }
        if (d->nc == before && (tok[i].cls & WTI_BIT(WTI_C_HYPHENATED)) &&
            match_parts(d, i) < 0)
            return -1;
    }
    /* Mark the classes of what was found, for the rules. */
    for (size_t k = 0; k < d->nc; k++) {
        const wti_cand *c = &d->c[k];
        wti_mask bits = c->type < 0 ? WTI_BIT(WTI_C_GAZ_STOP) : type_class[c->type];
        if (c->form == WT_FORM_ADJECTIVAL && c->type == WT_COUNTRY)
            bits = WTI_BIT(WTI_C_GAZ_ADJ);
        for (uint32_t j = c->tok_start; j < c->tok_end; j++)
            tok[j].cls |= bits;
        if (!(c->flags & WTI_CAND_PARTIAL)) {
            tok[c->tok_start].cls |= WTI_BIT(WTI_C_GAZ_START);
            tok[c->tok_end - 1].cls |= WTI_BIT(WTI_C_GAZ_END);
        }
    }
    return 0;
}

static int emit_rule(void *ctx, const wti_rule_match *m)
{
    wti_doc *d = ctx;
    const wti_rules *r = d->t->rules;
    const wti_token *tok = d->toks.v;
    wti_cand *c = wti_doc_add(d);
    if (!c)
        return -1;
    c->tok_start = m->start;
    c->tok_end = m->end;
    c->start = tok[m->start].start;
    c->end = tok[m->end - 1].end;
    c->field = (uint8_t)tok[m->start].field;
    c->rule = (int32_t)m->rule;
    c->attr_start = m->attr_start;
    c->attr_end = m->attr_end;
    c->type = (int8_t)wti_rule_type(r, m->rule);
    c->conf = wti_rule_confidence(r, m->rule);
    c->over = (uint8_t)wti_rule_over(r, m->rule);
    c->form = WT_FORM_NAME;
    c->source = WTI_SRC_RULE;
    c->layer = 0;
    return 0;
}

int wti_match_rules(wti_doc *d)
{
    return wti_rules_run(d->t, &d->toks, emit_rule, d);
}
