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
#include "sort.h"
#include "stage.h"

/* Document-level evidence first, then the gazetteer, then rules. */
static const uint8_t source_rank[] = {[WTI_SRC_DOCUMENT] = 0, [WTI_SRC_GAZETTEER] = 1,
                                      [WTI_SRC_RULE] = 2};

/* The rank of a candidate as one sortable key: smaller keys first. */
static uint64_t rank_key(const wti_cand *c)
{
    uint64_t len = c->end - c->start;
    if (len > 0x3FFFF)
        len = 0x3FFFF;
    uint64_t conf = (uint64_t)(c->conf * 1000.0f + 0.5f);
    if (conf > 1023)
        conf = 1023;
    uint64_t k = 0x3FFFF - len;                            /* the longer span first */
    k = (k << 16) | (0xFFFF - c->layer);                   /* then the later layer */
    k = (k << 1) | (c->type < 0 ? 0 : 1);                  /* then stop phrases */
    k = (k << 2) | source_rank[c->source];                 /* then document, gazetteer, rule */
    k = (k << 1) | ((c->flags & WTI_CAND_PREFERRED) ? 0 : 1); /* then @prefer */
    k = (k << 10) | (1023 - conf);                         /* then the higher confidence */
    return k;                                              /* ties: the earlier candidate */
}

/* What the selected candidates hold. `tok` marks tokens: CLAIMED when a whole-token mention
 * takes them, PARTS when a mention of part of a token lies in them; the bytes of those parts
 * are set in one bitmap per field, so a check costs the candidate's length, not the number of
 * parts selected so far (one hyphenated token may hold thousands). */
enum { CLAIMED = 1, PARTS = 2 };

typedef struct claims {
    uint8_t *tok;
    uint64_t *bits[2]; /* by field; allocated at the first part */
    size_t nbits;      /* bytes each bitmap covers */
} claims;

static int bits_any(const uint64_t *b, uint32_t start, uint32_t end)
{
    for (uint32_t i = start; i < end;) {
        if ((i & 63) == 0 && end - i >= 64) {
            if (b[i >> 6])
                return 1;
            i += 64;
            continue;
        }
        if (b[i >> 6] >> (i & 63) & 1)
            return 1;
        i++;
    }
    return 0;
}

static void bits_set(uint64_t *b, uint32_t start, uint32_t end)
{
    for (uint32_t i = start; i < end; i++)
        b[i >> 6] |= (uint64_t)1 << (i & 63);
}

static int overlaps(const wti_cand *c, const claims *cl)
{
    int parts = 0;
    for (uint32_t k = c->tok_start; k < c->tok_end; k++) {
        if (cl->tok[k] & CLAIMED)
            return 1;
        parts |= cl->tok[k] & PARTS;
    }
    return parts && bits_any(cl->bits[c->field != 0], c->start, c->end);
}

static int claim(const wti_doc *d, const wti_cand *c, claims *cl)
{
    if (!(c->flags & WTI_CAND_PARTIAL)) {
        for (uint32_t k = c->tok_start; k < c->tok_end; k++)
            cl->tok[k] |= CLAIMED;
        return 0;
    }
    if (!cl->bits[0]) {
        for (size_t i = 0; i < d->nc; i++)
            if (d->c[i].end > cl->nbits)
                cl->nbits = d->c[i].end;
        size_t words = cl->nbits / 64 + 1;
        cl->bits[0] = calloc(words, sizeof(uint64_t));
        cl->bits[1] = calloc(words, sizeof(uint64_t));
        if (!cl->bits[0] || !cl->bits[1])
            return -1;
    }
    for (uint32_t k = c->tok_start; k < c->tok_end; k++)
        cl->tok[k] |= PARTS;
    bits_set(cl->bits[c->field != 0], c->start, c->end);
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

/* Candidates in rank order. Selection runs twice, and between the two runs candidates are only
 * added (document-level evidence), so the second run sorts the new ones and merges them into
 * the first run's order: on equal keys the earlier candidate, as a full sort would have it. */
typedef struct ranking {
    wti_keyed *v;
    size_t n;
} ranking;

static int rank_candidates(const wti_doc *d, ranking *rk)
{
    size_t old = rk->n, n = d->nc, m = n - old;
    wti_keyed *v = malloc(n * sizeof *v);
    if (!v)
        return -1;
    /* The new candidates, sorted, at the front; then merged from the back with the old order,
     * so that what is left of the new ones when the old run out is already in place. */
    for (size_t i = 0; i < m; i++) {
        v[i].key = rank_key(&d->c[old + i]);
        v[i].idx = (uint32_t)(old + i);
    }
    wti_sort_keyed(v, m);
    size_t a = old, b = m, o = n;
    while (a > 0 && b > 0) {
        const wti_keyed *x = &rk->v[a - 1], *y = &v[b - 1];
        if (y->key > x->key || (y->key == x->key && y->idx > x->idx))
            v[--o] = v[--b];
        else
            v[--o] = rk->v[--a];
    }
    while (a > 0)
        v[--o] = rk->v[--a];
    free(rk->v);
    rk->v = v;
    rk->n = n;
    return 0;
}

static int select_mentions(wti_doc *d, ranking *rk)
{
    size_t n = d->nc;
    if (n == 0)
        return 0;
    claims cl = {calloc(d->toks.n ? d->toks.n : 1, 1), {NULL, NULL}, 0};
    int rc = cl.tok ? rank_candidates(d, rk) : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        wti_cand *c = &d->c[rk->v[i].idx];
        if (c->type == WTI_TYPE_DROPPED || overlaps(c, &cl))
            continue;
        c->flags |= WTI_CAND_SELECTED;
        rc = claim(d, c, &cl);
    }
    free(cl.tok);
    free(cl.bits[0]);
    free(cl.bits[1]);
    return rc;
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
    /* Put them in reading order: the title first, then by offset, ties in candidate order
     * (document-level candidates come after the rest, so this is no near-sorted list). */
    wti_keyed *ro = malloc((nsel ? nsel : 1) * sizeof *ro);
    if (!ro)
        return -1;
    for (size_t i = 0; i < d->nc; i++) {
        const wti_cand *c = &d->c[i];
        if ((c->flags & WTI_CAND_SELECTED) && c->type >= 0) {
            ro[res->norder].key = (uint64_t)(c->field != WT_FIELD_TITLE) << 32 | c->start;
            ro[res->norder++].idx = (uint32_t)i;
        }
    }
    wti_sort_keyed(ro, res->norder);
    for (size_t i = 0; i < res->norder; i++)
        res->order[i] = ro[i].idx;
    free(ro);

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
    ranking rk = {NULL, 0};
    if (apply_overrides(d) < 0 || wti_doc_acronyms(d) < 0 || select_mentions(d, &rk) < 0 ||
        wti_doc_evidence(d) < 0) {
        free(rk.v);
        return -1;
    }
    for (size_t i = 0; i < d->nc; i++)
        d->c[i].flags &= (uint8_t)~WTI_CAND_SELECTED;
    int rc = select_mentions(d, &rk);
    free(rk.v);
    if (rc < 0)
        return -1;
    return cluster_mentions(d, res);
}

void wti_resolution_release(wti_resolution *res)
{
    free(res->cl);
    free(res->order);
    memset(res, 0, sizeof *res);
}
