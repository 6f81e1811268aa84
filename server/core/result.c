/* Building the public result from resolved clusters: names, ids, attributes, mentions, scores,
 * in one arena that wt_result_free() releases at once. */
#include "result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "rules.h"
#include "score.h"
#include "stage.h"

static const char *const form_names[WT_FORM__COUNT] = {
    "name", "alias", "acronym", "adjectival", "short",
};

const char *wt_form_name(wt_form form)
{
    return (unsigned)form < WT_FORM__COUNT ? form_names[form] : "name";
}

/* Copies text[start, end) with every run of whitespace made one space. */
static char *copy_text(wti_arena *a, const char *text, size_t start, size_t end)
{
    char *out = wti_arena_alloc(a, end - start + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    int space = 0;
    for (size_t i = start; i < end; i++) {
        char c = text[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = 1;
            continue;
        }
        if (space && n)
            out[n++] = ' ';
        space = 0;
        out[n++] = c;
    }
    out[n] = '\0';
    return out;
}

/* "person:text:anders-fogh-rasmussen" from the folded words of a mention. */
static char *rule_id(wti_arena *a, const wti_doc *d, const wti_cand *c)
{
    const char *type = wt_type_name((wt_type)c->type);
    size_t cap = strlen(type) + 6 + 1;
    for (uint32_t k = c->tok_start; k < c->tok_end; k++)
        cap += d->toks.v[k].fold_len + 1;
    char *out = wti_arena_alloc(a, cap);
    if (!out)
        return NULL;
    size_t n = (size_t)sprintf(out, "%s:text:", type);
    size_t base = n;
    for (uint32_t k = c->tok_start; k < c->tok_end; k++) {
        const wti_token *tok = &d->toks.v[k];
        const char *f = wti_token_fold(&d->toks, tok);
        if (n > base && out[n - 1] != '-')
            out[n++] = '-';
        for (uint32_t i = 0; i < tok->fold_len; i++) {
            unsigned char ch = (unsigned char)f[i];
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80)
                out[n++] = (char)ch;
        }
    }
    while (n > base && out[n - 1] == '-')
        n--;
    out[n] = '\0';
    return out;
}

/* Where a mention ends in the text. A name that ends in an abbreviation at the end of a line
 * ("... said Acme Widgets Corp.") shares that period with the sentence, and the mention ends
 * before it, as a reader marks it; mid-sentence ("Acme Corp. said") and in dotted acronyms
 * ("U.S.") the period is part of the name. */
static uint32_t mention_end(const wti_doc *d, const wti_cand *c)
{
    if (c->tok_end <= c->tok_start || c->tok_end > d->toks.n)
        return c->end;
    const wti_token *last = &d->toks.v[c->tok_end - 1];
    const char *text = wti_doc_field(d, c->field);
    if (c->end != last->end || last->end - last->start < 3 ||
        text[last->end - 1] != '.' ||
        memchr(text + last->start, '.', last->end - 1 - last->start))
        return c->end;
    for (size_t k = c->tok_end; k < d->toks.n; k++) {
        const wti_token *tok = &d->toks.v[k];
        if (tok->field != last->field || (tok->cls & WTI_BIT(WTI_C_LINE_START)))
            break;
        if (!(tok->cls & (WTI_BIT(WTI_C_QUOTE) | WTI_BIT(WTI_C_CLOSE))))
            return c->end;
    }
    return c->end - 1;
}

typedef struct ent_work {
    uint32_t cluster;
    uint32_t first; /* where its mentions start in the slice array */
    uint32_t count;
    float relevance;
} ent_work;

static int cmp_entities(const void *pa, const void *pb)
{
    const wt_entity *a = pa, *b = pb;
    if (a->relevance != b->relevance)
        return a->relevance > b->relevance ? -1 : 1;
    const wt_mention *ma = &a->mentions[0], *mb = &b->mentions[0];
    if (ma->field != mb->field)
        return ma->field == WT_FIELD_TITLE ? -1 : 1;
    return ma->start < mb->start ? -1 : ma->start > mb->start;
}

int wti_result_build(wt_result *r, wti_doc *d, const wti_resolution *res, const wt_options *opts)
{
    wti_arena *a = &r->arena;
    const wt_tagger *t = d->t;
    unsigned types = opts && opts->types ? opts->types : WT_TYPES_ALL;
    wti_score_mentions(d, res);

    /* The lead: the text up to the start of its third sentence. */
    size_t lead_end = d->in->text_len, sentences = 0;
    for (size_t k = 0; k < d->toks.n; k++) {
        const wti_token *tok = &d->toks.v[k];
        if (tok->field == WT_FIELD_TEXT && (tok->cls & WTI_BIT(WTI_C_SENT_START)) &&
            ++sentences == 3) {
            lead_end = tok->start;
            break;
        }
    }

    /* Each cluster's mentions, in reading order, as one slice of `by`: w[i].first is where
     * cluster i's slice starts. */
    ent_work *w = calloc(res->ncl ? res->ncl : 1, sizeof *w);
    uint32_t *by = malloc((res->norder ? res->norder : 1) * sizeof *by);
    if (!w || !by) {
        free(w);
        free(by);
        return -1;
    }
    size_t max_mentions = 0;
    for (size_t o = 0; o < res->norder; o++) {
        ent_work *e = &w[d->c[res->order[o]].cluster];
        e->count++;
        if (e->count > max_mentions)
            max_mentions = e->count;
    }
    uint32_t at = 0;
    for (size_t i = 0; i < res->ncl; i++) {
        w[i].first = at;
        at += w[i].count;
        w[i].count = 0;
    }
    for (size_t o = 0; o < res->norder; o++) {
        ent_work *e = &w[d->c[res->order[o]].cluster];
        by[e->first + e->count++] = res->order[o];
    }

    size_t nent = 0;
    for (size_t i = 0; i < res->ncl; i++)
        if (res->cl[i].type >= 0 && res->cl[i].type < WT_TYPE__REPORTED &&
            (types >> res->cl[i].type & 1))
            nent++;
    r->entities = wti_arena_zalloc(a, (nent ? nent : 1) * sizeof *r->entities);
    if (!r->entities) {
        free(w);
        free(by);
        return -1;
    }

    for (size_t i = 0; i < res->ncl; i++) {
        const wti_cluster *cl = &res->cl[i];
        if (cl->type < 0 || cl->type >= WT_TYPE__REPORTED || !(types >> cl->type & 1))
            continue;
        wt_entity *e = &r->entities[r->nentities++];
        wt_mention *m = wti_arena_alloc(a, w[i].count * sizeof *m);
        if (!m)
            goto oom;
        size_t nm = 0;
        float max_conf = 0.0f;
        int in_title = 0, in_lead = 0;
        double first_pos = -1.0;
        for (size_t o = w[i].first; o < w[i].first + w[i].count; o++) {
            const wti_cand *c = &d->c[by[o]];
            m[nm].start = c->start;
            m[nm].end = mention_end(d, c);
            m[nm].field = (wt_field)c->field;
            m[nm].form = (wt_form)c->form;
            m[nm].confidence = c->conf;
            m[nm].rule = c->rule >= 0 ? wti_rule_name(t->rules, (uint32_t)c->rule)
                         : c->source == WTI_SRC_DOCUMENT ? wt_form_name((wt_form)c->form)
                                                         : "gazetteer";
            if (c->conf > max_conf)
                max_conf = c->conf;
            if (c->field == WT_FIELD_TITLE) {
                in_title = 1;
            } else {
                if (first_pos < 0.0)
                    first_pos = d->in->text_len ? (double)c->start / (double)d->in->text_len : 0;
                if (c->start < lead_end)
                    in_lead = 1;
            }
            nm++;
        }
        e->mentions = m;
        e->nmentions = nm;
        e->type = (wt_type)cl->type;
        e->confidence = wti_score_entity_confidence(max_conf, nm);
        e->relevance = wti_score_relevance(nm, max_mentions, first_pos, in_title, in_lead);
        const wti_cand *named = &d->c[cl->name];
        size_t nattrs = 0;
        if (cl->entry != WTI_NO_ENTRY) {
            const wti_entry *en = &t->entries[cl->entry];
            e->id = wti_str(t, en->id);
            e->name = wti_str(t, en->name);
            const char **al = wti_arena_alloc(a, (en->naliases ? en->naliases : 1) * sizeof *al);
            if (!al)
                goto oom;
            for (uint32_t k = 0; k < en->naliases; k++)
                al[k] = wti_str(t, t->alias_text[en->alias_first + k]);
            e->aliases = al;
            e->naliases = en->naliases;
            e->source = "gazetteer";
            nattrs = en->nattrs;
        } else {
            e->id = rule_id(a, d, named);
            e->name = copy_text(a, wti_doc_field(d, named->field), named->start,
                              mention_end(d, named));
            e->source = "rule";
            if (!e->id || !e->name)
                goto oom;
        }
        const wti_cand *rc = cl->role != UINT32_MAX ? &d->c[cl->role] : NULL;
        wt_attr *attrs = wti_arena_alloc(a, (nattrs + 1) * sizeof *attrs);
        if (!attrs)
            goto oom;
        if (cl->entry != WTI_NO_ENTRY) {
            const wti_entry *en = &t->entries[cl->entry];
            for (size_t k = 0; k < nattrs; k++) {
                attrs[k].key = wti_str(t, t->attrs[en->attr_first + k].key);
                attrs[k].value = wti_str(t, t->attrs[en->attr_first + k].value);
            }
        }
        if (rc) {
            const char *field = wti_doc_field(d, rc->field);
            const wti_token *tok = d->toks.v;
            attrs[nattrs].key = wti_rule_attr(t->rules, (uint32_t)rc->rule);
            attrs[nattrs].value = copy_text(a, field, tok[rc->attr_start].start,
                                            tok[rc->attr_end - 1].end);
            if (!attrs[nattrs].value)
                goto oom;
            if (attrs[nattrs].key)
                nattrs++;
        }
        e->attrs = attrs;
        e->nattrs = nattrs;
    }
    free(w);
    free(by);
    if (r->nentities > 1)
        qsort(r->entities, r->nentities, sizeof *r->entities, cmp_entities);
    return 0;
oom:
    free(w);
    free(by);
    return -1;
}
