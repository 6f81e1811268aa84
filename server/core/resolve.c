/* Choosing mentions and grouping them into entities.
 *
 * Overlap policy (documented in README.md): candidates are ranked and taken greedily, each
 * kept only if it overlaps no candidate kept before it. Rank: the longer span first; on equal
 * spans, a later data layer first (a newsroom's own data beats the bundled data), then stop
 * phrases, then document-level evidence (the document itself named the thing in full) before
 * gazetteer before rules, then an entry chosen by @prefer, then the higher confidence, then the
 * earlier candidate.
 *
 * Selection runs twice: what the first pass keeps is evidence for the document-level step
 * (short forms, recurring names), whose candidates then compete in the second pass. */
#include "resolve.h"

#include <stdlib.h>
#include <string.h>

#include "docres.h"
#include "hash.h"
#include "stage.h"

typedef struct ranked {
    uint32_t len;
    uint16_t layer;
    uint8_t stop;
    uint8_t source;
    uint8_t preferred;
    float conf;
    uint32_t idx;
} ranked;

/* Document-level evidence first, then the gazetteer, then rules. */
static const uint8_t source_rank[] = {[WTI_SRC_DOCUMENT] = 0, [WTI_SRC_GAZETTEER] = 1,
                                      [WTI_SRC_RULE] = 2};

static int cmp_rank(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->len != b->len)
        return a->len > b->len ? -1 : 1;
    if (a->layer != b->layer)
        return a->layer > b->layer ? -1 : 1;
    if (a->stop != b->stop)
        return a->stop ? -1 : 1;
    if (a->source != b->source)
        return source_rank[a->source] < source_rank[b->source] ? -1 : 1;
    if (a->preferred != b->preferred)
        return a->preferred ? -1 : 1;
    if (a->conf != b->conf)
        return a->conf > b->conf ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Does c overlap a selected candidate? `claimed` marks tokens taken by whole-token mentions;
 * mentions of parts of a token are compared by bytes. */
static int overlaps(const wti_doc *d, const wti_cand *c, const uint8_t *claimed,
                    const uint32_t *partials, size_t npartials)
{
    for (uint32_t k = c->tok_start; k < c->tok_end; k++)
        if (claimed[k])
            return 1;
    for (size_t i = 0; i < npartials; i++) {
        const wti_cand *o = &d->c[partials[i]];
        if (o->field == c->field && o->start < c->end && c->start < o->end)
            return 1;
    }
    return 0;
}

/* Rules that know better on their span ("over place") drop the candidates of those types
 * that cover exactly the same tokens. Candidates are bucketed by their first token. */
static int apply_overrides(wti_doc *d)
{
    size_t over = 0;
    for (size_t i = 0; i < d->nc; i++)
        over += d->c[i].over != 0;
    if (!over)
        return 0;
    size_t nt = d->toks.n;
    uint32_t *first = calloc(nt + 1, sizeof *first); /* bucket starts, by tok_start */
    uint32_t *order = malloc(d->nc * sizeof *order);
    if (!first || !order) {
        free(first);
        free(order);
        return -1;
    }
    for (size_t i = 0; i < d->nc; i++)
        first[d->c[i].tok_start + 1]++;
    for (size_t k = 1; k <= nt; k++)
        first[k] += first[k - 1];
    uint32_t *fill = calloc(nt + 1, sizeof *fill);
    if (!fill) {
        free(first);
        free(order);
        return -1;
    }
    for (size_t i = 0; i < d->nc; i++) {
        uint32_t s0 = d->c[i].tok_start;
        order[first[s0] + fill[s0]++] = (uint32_t)i;
    }
    for (size_t i = 0; i < d->nc; i++) {
        const wti_cand *r = &d->c[i];
        if (!r->over)
            continue;
        uint32_t s0 = r->tok_start;
        for (uint32_t j = first[s0]; j < first[s0] + fill[s0]; j++) {
            wti_cand *c = &d->c[order[j]];
            if (order[j] != i && c->type >= 0 && (r->over >> c->type & 1) &&
                c->tok_end == r->tok_end && !(c->flags & WTI_CAND_PARTIAL))
                c->type = WTI_TYPE_DROPPED;
        }
    }
    free(first);
    free(order);
    free(fill);
    return 0;
}

static int select_mentions(wti_doc *d)
{
    size_t n = d->nc;
    if (n == 0)
        return 0;
    ranked *rk = malloc(n * sizeof *rk);
    uint8_t *claimed = calloc(d->toks.n ? d->toks.n : 1, 1);
    uint32_t *partials = malloc(n * sizeof *partials);
    if (!rk || !claimed || !partials) {
        free(rk);
        free(claimed);
        free(partials);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const wti_cand *c = &d->c[i];
        rk[i].len = c->end - c->start;
        rk[i].layer = c->layer;
        rk[i].stop = c->type < 0;
        rk[i].source = c->source;
        rk[i].preferred = (c->flags & WTI_CAND_PREFERRED) != 0;
        rk[i].conf = c->conf;
        rk[i].idx = (uint32_t)i;
    }
    qsort(rk, n, sizeof *rk, cmp_rank);
    size_t npartials = 0;
    for (size_t i = 0; i < n; i++) {
        wti_cand *c = &d->c[rk[i].idx];
        if (c->type == WTI_TYPE_DROPPED || overlaps(d, c, claimed, partials, npartials))
            continue;
        c->flags |= WTI_CAND_SELECTED;
        if (c->flags & WTI_CAND_PARTIAL) {
            partials[npartials++] = rk[i].idx;
        } else {
            for (uint32_t k = c->tok_start; k < c->tok_end; k++)
                claimed[k] = 1;
        }
    }
    free(rk);
    free(claimed);
    free(partials);
    return 0;
}

/* Clusters of names no gazetteer holds are keyed by type and folded words. */
typedef struct keymap {
    uint64_t *hash;
    uint32_t *cluster; /* cluster + 1, 0 = empty */
    size_t n;
} keymap;

/* The candidate whose words key the entity: follow document-level links to the full name. */
static const wti_cand *root_of(const wti_doc *d, const wti_cand *c)
{
    for (int hops = 0; c->entry == WTI_NO_ENTRY && c->link >= 0 && hops < 16; hops++)
        c = &d->c[c->link];
    return c;
}

static void cand_key(const wti_doc *d, const wti_cand *c, wti_buf *b)
{
    c = root_of(d, c);
    b->len = 0;
    wti_buf_putc(b, (char)('0' + c->type));
    for (uint32_t k = c->tok_start; k < c->tok_end; k++) {
        const wti_token *tok = &d->toks.v[k];
        if (tok->cls & WTI_BIT(WTI_C_PUNCT))
            continue; /* "Smith Jr." and "Smith Jr" are one name */
        wti_buf_putc(b, ' ');
        wti_buf_append(b, wti_token_fold(&d->toks, tok), tok->fold_len);
    }
}

static int same_key(const wti_doc *d, const wti_cand *a, const wti_cand *b, wti_buf *ka,
                    wti_buf *kb)
{
    cand_key(d, a, ka);
    cand_key(d, b, kb);
    return ka->len == kb->len && memcmp(ka->data, kb->data, ka->len) == 0;
}

static int add_cluster(wti_resolution *res, size_t *cap, const wti_cand *c, uint32_t idx)
{
    if (wti_grow((void **)&res->cl, cap, res->ncl, sizeof *res->cl) < 0)
        return -1;
    wti_cluster *cl = &res->cl[res->ncl++];
    memset(cl, 0, sizeof *cl);
    cl->type = c->type;
    cl->entry = c->entry;
    cl->source = c->entry != WTI_NO_ENTRY ? WTI_SRC_GAZETTEER : WTI_SRC_RULE;
    cl->name = idx;
    cl->role = UINT32_MAX;
    return 0;
}

static int cluster_mentions(wti_doc *d, wti_resolution *res)
{
    size_t cap = 0;
    size_t nsel = 0;
    for (size_t i = 0; i < d->nc; i++)
        nsel += (d->c[i].flags & WTI_CAND_SELECTED) && d->c[i].type >= 0;
    res->order = malloc((nsel ? nsel : 1) * sizeof *res->order);
    if (!res->order)
        return -1;
    /* Candidates were appended token by token; put them in reading order. */
    for (size_t i = 0; i < d->nc; i++)
        if ((d->c[i].flags & WTI_CAND_SELECTED) && d->c[i].type >= 0)
            res->order[res->norder++] = (uint32_t)i;
    for (size_t i = 1; i < res->norder; i++) { /* insertion sort: nearly sorted already */
        uint32_t x = res->order[i];
        size_t j = i;
        while (j > 0) {
            const wti_cand *a = &d->c[res->order[j - 1]], *b = &d->c[x];
            if (wti_cand_before(a, b))
                break;
            res->order[j] = res->order[j - 1];
            j--;
        }
        res->order[j] = x;
    }

    /* Entries map to clusters through a small open-addressing table; so do rule keys. */
    size_t nslots = 16;
    while (nslots < res->norder * 2)
        nslots *= 2;
    uint64_t *keys = calloc(nslots, sizeof *keys);
    uint32_t *vals = calloc(nslots, sizeof *vals);
    wti_buf ka, kb;
    wti_buf_init(&ka);
    wti_buf_init(&kb);
    int rc = 0;
    if (!keys || !vals)
        rc = -1;
    for (size_t o = 0; rc == 0 && o < res->norder; o++) {
        uint32_t idx = res->order[o];
        wti_cand *c = &d->c[idx];
        if (c->entry == WTI_NO_ENTRY)
            c->entry = root_of(d, c)->entry;
        uint64_t h;
        if (c->entry != WTI_NO_ENTRY) {
            h = wti_hash(&c->entry, sizeof c->entry) | 1;
        } else {
            cand_key(d, c, &ka);
            if (ka.failed) {
                rc = -1;
                break;
            }
            h = wti_hash(ka.data, ka.len) & ~(uint64_t)1;
            h = h ? h : 2;
        }
        size_t s = (size_t)h & (nslots - 1);
        int32_t found = -1;
        while (keys[s]) {
            if (keys[s] == h) {
                const wti_cluster *cl = &res->cl[vals[s] - 1];
                const wti_cand *first = &d->c[cl->name];
                if (c->entry != WTI_NO_ENTRY ? cl->entry == c->entry
                                             : (cl->entry == WTI_NO_ENTRY &&
                                                same_key(d, first, c, &ka, &kb))) {
                    found = (int32_t)(vals[s] - 1);
                    break;
                }
            }
            s = (s + 1) & (nslots - 1);
        }
        if (found < 0) {
            if (add_cluster(res, &cap, c, idx) < 0) {
                rc = -1;
                break;
            }
            found = (int32_t)(res->ncl - 1);
            keys[s] = h;
            vals[s] = (uint32_t)res->ncl;
        }
        wti_cluster *cl = &res->cl[found];
        c->cluster = found;
        cl->nmentions++;
        const wti_cand *best = &d->c[cl->name];
        /* The fullest mention in the text names the entity. */
        if ((c->field == WT_FIELD_TEXT && best->field != WT_FIELD_TEXT) ||
            (c->field == best->field && c->tok_end - c->tok_start > best->tok_end - best->tok_start))
            cl->name = idx;
        if (c->attr_end > c->attr_start && cl->role == UINT32_MAX)
            cl->role = idx;
    }
    free(keys);
    free(vals);
    wti_buf_release(&ka);
    wti_buf_release(&kb);
    return rc;
}

int wti_resolve(wti_doc *d, wti_resolution *res)
{
    memset(res, 0, sizeof *res);
    if (apply_overrides(d) < 0 || wti_doc_acronyms(d) < 0 || select_mentions(d) < 0 || wti_doc_evidence(d) < 0)
        return -1;
    for (size_t i = 0; i < d->nc; i++)
        d->c[i].flags &= (uint8_t)~WTI_CAND_SELECTED;
    if (select_mentions(d) < 0)
        return -1;
    return cluster_mentions(d, res);
}

void wti_resolution_release(wti_resolution *res)
{
    free(res->cl);
    free(res->order);
    memset(res, 0, sizeof *res);
}
