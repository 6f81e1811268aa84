/* Document-level evidence: what one part of a document says about another.
 *
 * - Acronym definitions: "North Atlantic Treaty Organization (NATO)" and "NATO (North Atlantic
 *   Treaty Organization)" teach the document that the two name one thing.
 * - Short forms: after "Anders Fogh Rasmussen", "Rasmussen" (and "RASMUSSEN" in a headline)
 *   names him.
 * - One sense per document: a name that rules typed once is that type wherever it recurs,
 *   headlines included.
 * - Head-word references: "the Commission" after "the European Commission". */
#include "docres.h"

#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "sort.h"
#include "stage.h"
#include "utf8.h"

#define SHORT_CONFIDENCE  0.85f
#define REPEAT_CONFIDENCE 0.80f
#define ACRONYM_CONFIDENCE 0.85f
#define ACRONYM_MAX 10

static int is_word(const wti_token *t)
{
    return (t->cls & WTI_BIT(WTI_C_WORD)) != 0;
}

static int is_capitalised(const wti_token *t)
{
    return (t->cls & (WTI_BIT(WTI_C_CAP) | WTI_BIT(WTI_C_UPPER))) != 0;
}

static int same_fold(const wti_tokens *toks, const wti_token *a, const wti_token *b)
{
    return a->fold_len == b->fold_len &&
           memcmp(wti_token_fold(toks, a), wti_token_fold(toks, b), a->fold_len) == 0;
}

static int is_punct(const wti_tokens *toks, const wti_token *t, char c)
{
    return (t->cls & WTI_BIT(WTI_C_PUNCT)) && t->fold_len == 1 && wti_token_fold(toks, t)[0] == c;
}

/* Reading-order position of a candidate: title tokens come first in the token array. */
static uint32_t position(const wti_cand *c)
{
    return c->tok_start;
}

static wti_cand *add_doc_cand(wti_doc *d, uint32_t start, uint32_t end, int type, uint32_t entry,
                              int32_t link, unsigned form, float conf)
{
    wti_cand *c = wti_doc_add(d);
    if (!c)
        return NULL;
    const wti_token *tok = d->toks.v;
    c->tok_start = start;
    c->tok_end = end;
    c->start = tok[start].start;
    c->end = tok[end - 1].end;
    c->field = (uint8_t)tok[start].field;
    c->type = (int8_t)type;
    c->entry = entry;
    c->link = link;
    c->form = (uint8_t)form;
    c->source = WTI_SRC_DOCUMENT;
    c->conf = (tok[start].cls & WTI_BIT(WTI_C_HEADLINE)) ? conf * 0.95f : conf;
    return c;
}

/* Tokens indexed by their folded form: buckets of chained entries, each with a number of the
 * caller's choosing (`cand`). */
typedef struct foldmap {
    uint32_t *bucket; /* entry + 1, 0 = empty */
    size_t mask;
    uint32_t *next, *token, *cand;
    size_t n, cap;
} foldmap;

static int foldmap_init(foldmap *m, size_t cap)
{
    size_t nb = 16;
    while (nb < cap * 2)
        nb *= 2;
    m->bucket = calloc(nb, sizeof *m->bucket);
    m->next = malloc((cap ? cap : 1) * sizeof *m->next);
    m->token = malloc((cap ? cap : 1) * sizeof *m->token);
    m->cand = malloc((cap ? cap : 1) * sizeof *m->cand);
    m->mask = nb - 1;
    m->n = 0;
    m->cap = cap;
    return m->bucket && m->next && m->token && m->cand ? 0 : -1;
}

static void foldmap_release(foldmap *m)
{
    free(m->bucket);
    free(m->next);
    free(m->token);
    free(m->cand);
}

static size_t bucket_of(const wti_doc *d, const foldmap *m, uint32_t token)
{
    const wti_token *t = &d->toks.v[token];
    return (size_t)t->hash & m->mask;
}

static void foldmap_add(const wti_doc *d, foldmap *m, uint32_t token, uint32_t cand)
{
    if (m->n == m->cap)
        return;
    size_t b = bucket_of(d, m, token);
    m->next[m->n] = m->bucket[b];
    m->token[m->n] = token;
    m->cand[m->n] = cand;
    m->bucket[b] = (uint32_t)++m->n;
}

/* ---- acronym definitions -------------------------------------------------------------- */

/* The upper-case letters of a token as written, folded to ASCII lower case; 0 when it is not
 * an acronym. */
static size_t acronym_letters(const wti_doc *d, const wti_token *t, char *out)
{
    if (!(t->cls & WTI_BIT(WTI_C_UPPER)) || (t->cls & WTI_BIT(WTI_C_NUMBER)))
        return 0;
    const char *f = wti_token_fold(&d->toks, t);
    size_t n = 0;
    for (uint32_t i = 0; i < t->fold_len; i++) {
        char c = f[i];
        if (c >= 'a' && c <= 'z') {
            if (n == ACRONYM_MAX)
                return 0;
            out[n++] = c;
        } else if (c != '.' && c != '&' && c != '-') {
            return 0;
        }
    }
    return n >= 2 ? n : 0;
}

/* Words that may sit inside a long form without giving a letter. */
static int is_filler(const wti_doc *d, const wti_token *t)
{
    static const char *const fillers[] = {"of", "and", "the", "for", "on", "in", "&", "de",
                                          "des", "du", "la", "le", "di", "del", "für", "y"};
    const char *f = wti_token_fold(&d->toks, t);
    if (t->cls & WTI_BIT(WTI_C_CAP))
        return 0;
    for (size_t i = 0; i < sizeof fillers / sizeof fillers[0]; i++)
        if (strlen(fillers[i]) == t->fold_len && memcmp(fillers[i], f, t->fold_len) == 0)
            return 1;
    return 0;
}

/* The initials a capitalised word can give: its first letter, or one per hyphenated part
 * ("Non-Proliferation" gives n and p). Returns how many letters were matched backwards from
 * acr[j] (0 if none). */
static size_t match_initials(const wti_doc *d, const wti_token *t, const char *acr, size_t j)
{
    const char *f = wti_token_fold(&d->toks, t);
    char parts[8];
    size_t np = 0;
    parts[np++] = f[0];
    for (uint32_t i = 1; i + 1 < t->fold_len && np < sizeof parts; i++)
        if (f[i] == '-')
            parts[np++] = f[i + 1];
    if (np > 1 && np <= j + 1 && memcmp(parts, acr + j + 1 - np, np) == 0)
        return np;
    return f[0] == acr[j] ? 1 : 0;
}

/* Finds the long form that ends at token `last` (inclusive) and spells acr; returns its first
 * token, or -1. Long forms do not cross lines. */
static int64_t spell_back(const wti_doc *d, int64_t last, int64_t floor, const char *acr,
                          size_t n, int filler_letters)
{
    const wti_token *tok = d->toks.v;
    int64_t i = last;
    size_t j = n;
    int64_t first = -1;
    while (i >= floor && j > 0) {
        const wti_token *t = &tok[i];
        if (is_capitalised(t) && is_word(t)) {
            size_t k = match_initials(d, t, acr, j - 1);
            if (!k)
                return -1;
            j -= k;
            first = i;
        } else if (!is_filler(d, t) || first < 0) {
            return -1;
        } else if (filler_letters && wti_token_fold(&d->toks, t)[0] == acr[j - 1]) {
            j--; /* "Law of the Sea (LOS)": some acronyms keep a small word's letter */
        }
        i--;
    }
    return j == 0 ? first : -1;
}

/* Tries without the small words' letters first, then with them; then, when the long form ends
 * in a head word such as "Association" that the acronym leaves out ("Nordic Flight Attendants
 * Association (NFA)"), without that word. The long form always keeps its last word. */
static int64_t long_form_before(const wti_doc *d, int64_t last, int64_t floor, const char *acr,
                                size_t n)
{
    int64_t first = spell_back(d, last, floor, acr, n, 0);
    if (first < 0)
        first = spell_back(d, last, floor, acr, n, 1);
    if (first < 0 && last > floor && (d->toks.v[last].cls & d->t->cls.org_head) &&
        is_capitalised(&d->toks.v[last])) {
        first = spell_back(d, last - 1, floor, acr, n, 0);
        if (first < 0)
            first = spell_back(d, last - 1, floor, acr, n, 1);
    }
    return first;
}

/* The type a long form's head words suggest. */
static int long_form_type(const wti_doc *d, uint32_t start, uint32_t end)
{
    const wt_tagger *t = d->t;
    for (uint32_t k = start; k < end; k++)
        if (d->toks.v[k].cls & t->cls.treaty_head)
            return WT_TREATY;
    return WT_ORGANIZATION;
}

/* What the acronym pass looks things up in: gazetteer candidates by first token, and the
 * all-caps words of the document by folded form, each marked once its acronym is defined. */
typedef struct acr_index {
    uint32_t *gaz_at;   /* by token: candidate + 1 of a chain, 0 = none */
    uint32_t *gaz_next; /* by candidate */
    foldmap upper;      /* cand = 1 once defined */
} acr_index;

/* A gazetteer candidate spanning exactly [start, end), or NULL. */
static const wti_cand *gazetteer_on(const wti_doc *d, const acr_index *x, uint32_t start,
                                    uint32_t end)
{
    for (uint32_t i = x->gaz_at[start]; i; i = x->gaz_next[i - 1]) {
        const wti_cand *c = &d->c[i - 1];
        if (c->type >= 0 && c->tok_end == end && !(c->flags & WTI_CAND_PARTIAL))
            return c;
    }
    return NULL;
}

/* Adds the long form; the first definition of an acronym also adds every occurrence of it,
 * written the same way in capitals, naming the same thing. Each acronym's occurrences are
 * added once per document, so a text repeating one definition costs linear time. */
static int define_acronym(wti_doc *d, acr_index *x, uint32_t lf_start, uint32_t lf_end,
                          uint32_t acr_tok)
{
    const wti_token *tok = d->toks.v;
    const wti_cand *known = gazetteer_on(d, x, lf_start, lf_end);
    if (!known)
        known = gazetteer_on(d, x, acr_tok, acr_tok + 1);
    int type = known ? known->type : long_form_type(d, lf_start, lf_end);
    uint32_t entry = known ? known->entry : WTI_NO_ENTRY;
    if (type < 0 || type >= WT_TYPE__REPORTED)
        return 0;
    size_t lf_index = d->nc;
    if (!add_doc_cand(d, lf_start, lf_end, type, entry, -1, WT_FORM_NAME, ACRONYM_CONFIDENCE))
        return -1;
    foldmap *m = &x->upper;
    for (uint32_t e = m->bucket[bucket_of(d, m, acr_tok)]; e; e = m->next[e - 1]) {
        if (!same_fold(&d->toks, &tok[m->token[e - 1]], &tok[acr_tok]))
            continue;
        if (m->cand[e - 1])
            return 0; /* defined before */
        m->cand[e - 1] = 1;
        if (!add_doc_cand(d, m->token[e - 1], m->token[e - 1] + 1, type, entry, (int32_t)lf_index,
                          WT_FORM_ACRONYM, ACRONYM_CONFIDENCE))
            return -1;
    }
    return 0;
}

static int acr_index_init(const wti_doc *d, acr_index *x)
{
    const wti_token *tok = d->toks.v;
    size_t n = d->toks.n, upper = 0;
    for (size_t k = 0; k < n; k++)
        upper += (tok[k].cls & WTI_BIT(WTI_C_UPPER)) != 0;
    x->gaz_at = calloc(n ? n : 1, sizeof *x->gaz_at);
    x->gaz_next = malloc((d->nc ? d->nc : 1) * sizeof *x->gaz_next);
    int rc = foldmap_init(&x->upper, upper);
    if (rc < 0 || !x->gaz_at || !x->gaz_next)
        return -1;
    for (size_t i = d->nc; i-- > 0;) { /* chains in candidate order */
        const wti_cand *c = &d->c[i];
        if (c->source != WTI_SRC_GAZETTEER)
            continue;
        x->gaz_next[i] = x->gaz_at[c->tok_start];
        x->gaz_at[c->tok_start] = (uint32_t)i + 1;
    }
    /* Chains list tokens newest first; adding backwards keeps them in reading order. */
    for (size_t k = n; k-- > 0;)
        if (tok[k].cls & WTI_BIT(WTI_C_UPPER))
            foldmap_add(d, &x->upper, (uint32_t)k, 0);
    return 0;
}

static void acr_index_release(acr_index *x)
{
    free(x->gaz_at);
    free(x->gaz_next);
    foldmap_release(&x->upper);
}

int wti_doc_acronyms(wti_doc *d)
{
    const wti_token *tok = d->toks.v;
    uint32_t n = (uint32_t)d->toks.n;
    uint32_t line = 0;
    char acr[ACRONYM_MAX];
    acr_index x = {0};
    if (acr_index_init(d, &x) < 0) {
        acr_index_release(&x);
        return -1;
    }
    int rc = 0;
    for (uint32_t k = 1; rc == 0 && k + 1 < n; k++) {
        if (tok[k].cls & WTI_BIT(WTI_C_LINE_START))
            line = k;
        if (!is_punct(&d->toks, &tok[k - 1], '(') || !is_punct(&d->toks, &tok[k + 1], ')'))
            continue;
        size_t len = acronym_letters(d, &tok[k], acr);
        if (len && k >= 2) {
            /* Long Form (ACR) */
            int64_t first = long_form_before(d, (int64_t)k - 2, line, acr, len);
            if (first >= 0)
                rc = define_acronym(d, &x, (uint32_t)first, k - 1, k);
        }
    }
    /* ACR (Long Form): the long form fills the parentheses. */
    for (uint32_t k = 0; rc == 0 && k + 3 < n; k++) {
        size_t len = acronym_letters(d, &tok[k], acr);
        if (!len || !is_punct(&d->toks, &tok[k + 1], '('))
            continue;
        uint32_t close = k + 2;
        while (close < n && close < k + 2 + 2 * ACRONYM_MAX && !is_punct(&d->toks, &tok[close], ')') &&
               !(tok[close].cls & WTI_BIT(WTI_C_LINE_START)))
            close++;
        if (close >= n || !is_punct(&d->toks, &tok[close], ')') || close == k + 2)
            continue;
        if (long_form_before(d, (int64_t)close - 1, k + 2, acr, len) == (int64_t)k + 2)
            rc = define_acronym(d, &x, k + 2, close, k);
    }
    acr_index_release(&x);
    return rc;
}

/* ---- short forms and repeats ---------------------------------------------------------- */

/* Which selected candidate covers each token (index + 1), whole-token mentions only. */
static uint32_t *coverage(const wti_doc *d)
{
    uint32_t *cover = calloc(d->toks.n ? d->toks.n : 1, sizeof *cover);
    if (!cover)
        return NULL;
    for (size_t i = 0; i < d->nc; i++) {
        const wti_cand *c = &d->c[i];
        if (!(c->flags & WTI_CAND_SELECTED) || (c->flags & WTI_CAND_PARTIAL))
            continue;
        for (uint32_t k = c->tok_start; k < c->tok_end; k++)
            cover[k] = (uint32_t)i + 1;
    }
    return cover;
}

/* How many lower-case particles ("von der", "bin", "de") stand right before token `sur` inside
 * the mention, which belong to the surname. */
static uint32_t particles_before(const wti_doc *d, const wti_cand *c, uint32_t sur)
{
    uint32_t n = 0;
    while (sur - n > c->tok_start + 1 && (d->toks.v[sur - n - 1].cls & d->t->cls.particle) &&
           (d->toks.v[sur - n - 1].cls & WTI_BIT(WTI_C_LOWER)))
        n++;
    return n;
}

/* Is the mention initials followed by one surname ("P. Simmons")? */
static int initials_and_surname(const wti_doc *d, const wti_cand *c)
{
    if (c->tok_end - c->tok_start < 2)
        return 0;
    for (uint32_t k = c->tok_start; k + 1 < c->tok_end; k++)
        if (!(d->toks.v[k].cls & WTI_BIT(WTI_C_INITIAL)))
            return 0;
    return 1;
}

/* The surname token of a person mention: its last word, when it has two words or more, or
 * initials before it ("K. Farrowby"). */
static int64_t surname_of(const wti_doc *d, const wti_cand *c)
{
    const wti_token *tok = d->toks.v;
    unsigned words = 0;
    int64_t last = -1;
    for (uint32_t k = c->tok_start; k < c->tok_end; k++) {
        if (!is_word(&tok[k]) || (tok[k].cls & WTI_BIT(WTI_C_INITIAL)))
            continue;
        words++;
        last = k;
    }
    return words >= 2 || (words == 1 && last > (int64_t)c->tok_start) ? last : -1;
}

/* May a person mention lend its surname to the rest of the document? A guess from a weak rule
 * whose last word is a known place or body is not evidence enough. */
static int lends_surname(const wti_doc *d, const wti_cand *c, uint32_t sur)
{
    if (c->source == WTI_SRC_GAZETTEER || c->conf >= 0.85f)
        return 1;
    const wti_mask known = WTI_BIT(WTI_C_GAZ_PLACE) | WTI_BIT(WTI_C_GAZ_COUNTRY) |
                           WTI_BIT(WTI_C_GAZ_ORGANIZATION) | WTI_BIT(WTI_C_GAZ_OTHER);
    return !(d->toks.v[sur].cls & known);
}

/* The full names that lend a surname, grouped by the surname's folded form, each group in
 * reading order with a cursor on the last one before the token being looked at. The scan moves
 * forward, so the cursors only move forward: linear time however often a name recurs. */
typedef struct lenders {
    foldmap groups;   /* token = a surname token of the group, cand = group */
    uint32_t *cand;   /* by lender, in reading order */
    uint32_t *next;   /* by lender: the next lender of its group, UINT32_MAX = none */
    uint32_t *head;   /* by group: its first lender */
    uint32_t *tail;   /* by group: its last lender */
    uint32_t *cur;    /* by group: lender + 1 of the last one before the scan, 0 = none yet */
    uint32_t n, ngroups;
} lenders;

static void lenders_release(lenders *l)
{
    foldmap_release(&l->groups);
    free(l->cand);
    free(l->next);
    free(l->head);
    free(l->tail);
    free(l->cur);
}

/* The group of token k's folded form, or UINT32_MAX. */
static uint32_t group_of(const wti_doc *d, const lenders *l, uint32_t k)
{
    const foldmap *m = &l->groups;
    for (uint32_t e = m->bucket[bucket_of(d, m, k)]; e; e = m->next[e - 1])
        if (same_fold(&d->toks, &d->toks.v[m->token[e - 1]], &d->toks.v[k]))
            return m->cand[e - 1];
    return UINT32_MAX;
}

static int lenders_init(wti_doc *d, lenders *l, size_t persons)
{
    wti_keyed *order = malloc(persons * sizeof *order);
    uint32_t *sur = malloc(persons * sizeof *sur);
    l->cand = malloc(persons * sizeof *l->cand);
    l->next = malloc(persons * sizeof *l->next);
    l->head = malloc(persons * sizeof *l->head);
    l->tail = malloc(persons * sizeof *l->tail);
    l->cur = calloc(persons, sizeof *l->cur);
    int rc = foldmap_init(&l->groups, persons);
    if (rc < 0 || !order || !sur || !l->cand || !l->next || !l->head || !l->tail || !l->cur) {
        free(order);
        free(sur);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < d->nc; i++) {
        const wti_cand *c = &d->c[i];
        if (!(c->flags & WTI_CAND_SELECTED) || c->type != WT_PERSON)
            continue;
        int64_t s = surname_of(d, c);
        if (s < 0 || !lends_surname(d, c, (uint32_t)s))
            continue;
        order[n].key = position(c);
        order[n].idx = (uint32_t)i;
        sur[n++] = (uint32_t)s;
    }
    /* sur[] follows candidate order; keep it with its candidate through the sort. */
    for (size_t j = 0; j < n; j++)
        order[j].key = order[j].key << 32 | j;
    wti_sort_keyed(order, n);
    for (size_t j = 0; j < n; j++) {
        uint32_t s = sur[order[j].key & 0xFFFFFFFFu];
        uint32_t id = (uint32_t)j;
        l->cand[id] = order[j].idx;
        l->next[id] = UINT32_MAX;
        uint32_t g = group_of(d, l, s);
        if (g == UINT32_MAX) {
            g = l->ngroups++;
            foldmap_add(d, &l->groups, s, g);
            l->head[g] = id;
        } else {
            l->next[l->tail[g]] = id;
        }
        l->tail[g] = id;
    }
    l->n = (uint32_t)n;
    free(order);
    free(sur);
    return 0;
}

/* The nearest full name before token k with k's surname, else the first after; -1 if none. */
static int64_t lender_for(const wti_doc *d, lenders *l, uint32_t k)
{
    uint32_t g = group_of(d, l, k);
    if (g == UINT32_MAX)
        return -1;
    uint32_t nx = l->cur[g] ? l->next[l->cur[g] - 1] : l->head[g];
    while (nx != UINT32_MAX && position(&d->c[l->cand[nx]]) < k) {
        l->cur[g] = nx + 1;
        nx = l->next[nx];
    }
    return l->cand[l->cur[g] ? l->cur[g] - 1 : l->head[g]];
}

static int add_short_forms(wti_doc *d, const uint32_t *cover)
{
    const wti_token *tok = d->toks.v;
    size_t persons = 0;
    for (size_t i = 0; i < d->nc; i++)
        persons += (d->c[i].flags & WTI_CAND_SELECTED) && d->c[i].type == WT_PERSON;
    if (!persons)
        return 0;
    lenders l = {0};
    if (lenders_init(d, &l, persons) < 0) {
        lenders_release(&l);
        return -1;
    }
    int rc = 0;
    for (uint32_t k = 0; rc == 0 && l.n && k < d->toks.n; k++) {
        /* A token inside a longer mention is left alone, unless that mention is initials and
         * this surname ("P. Simmons" names Paul Simmons). */
        const wti_cand *in = cover[k] ? &d->c[cover[k] - 1] : NULL;
        int initials = in && in->type == WT_PERSON && in->tok_end == k + 1 &&
                       initials_and_surname(d, in);
        if (in && in->tok_end - in->tok_start > 1 && !initials)
            continue;
        if (!is_word(&tok[k]) || !is_capitalised(&tok[k]))
            continue;
        int64_t best = lender_for(d, &l, k);
        if (best < 0)
            continue;
        const wti_cand *full = &d->c[best];
        uint32_t start = k;
        if (initials) {
            /* The initials must be the full name's: "P. Simmons" is not Mark Simmons. */
            char a = wti_token_fold(&d->toks, &tok[in->tok_start])[0];
            char b = wti_token_fold(&d->toks, &tok[full->tok_start])[0];
            if (a != b || full == in)
                continue;
            start = in->tok_start;
        } else {
            /* "von der Leyen" after "Ursula von der Leyen": the particles come along. */
            int64_t sur = surname_of(d, full);
            uint32_t np = particles_before(d, full, (uint32_t)sur);
            uint32_t j = 0;
            while (j < np && k >= j + 1 && !cover[k - j - 1] &&
                   same_fold(&d->toks, &tok[k - j - 1], &tok[sur - j - 1]))
                j++;
            if (j == np)
                start = k - np;
        }
        if (!add_doc_cand(d, start, k + 1, WT_PERSON, full->entry, (int32_t)best, WT_FORM_SHORT,
                          SHORT_CONFIDENCE))
            rc = -1;
    }
    lenders_release(&l);
    return rc;
}

/* Is token k a connector or punctuation that a short form does not end with ("&", "and",
 * "of", ",")? */
static int trailing_joint(const wti_doc *d, uint32_t k)
{
    const wti_token *t = &d->toks.v[k];
    if (t->cls & WTI_BIT(WTI_C_PUNCT))
        return 1;
    const char *f = wti_token_fold(&d->toks, t);
    return (t->fold_len == 3 && memcmp(f, "and", 3) == 0) ||
           (t->fold_len == 2 && memcmp(f, "of", 2) == 0);
}

/* May a company's name without its legal form (level 1), or without its head words as well
 * (level 2), stand for it? Returns the short form's end token, or c->tok_start when it may not.
 * "Magna International Inc": "Magna International", then "Magna". One word alone must be a
 * capitalised name word the document never writes in lower case and no known name of another
 * kind ("American" of "American Co" stays a demonym). */
static uint32_t company_short_end(const wti_doc *d, const wti_cand *c, int level)
{
    const wti_token *tok = d->toks.v;
    const wti_known_classes *k = &d->t->cls;
    uint32_t end = c->tok_end;
    if (c->type != WT_ORGANIZATION || (c->flags & WTI_CAND_PARTIAL) || end - c->tok_start < 2 ||
        !(tok[end - 1].cls & k->org_suffix))
        return c->tok_start;
    end--;
    while (end > c->tok_start && trailing_joint(d, end - 1))
        end--;
    if (level == 2) {
        uint32_t e = end;
        while (e > c->tok_start + 1 && (tok[e - 1].cls & k->org_head))
            e--;
        while (e > c->tok_start && trailing_joint(d, e - 1))
            e--;
        if (e == end)
            return c->tok_start;
        end = e;
    }
    if (end == c->tok_start || !is_word(&tok[c->tok_start]) || !is_capitalised(&tok[c->tok_start]))
        return c->tok_start;
    if (end - c->tok_start == 1) {
        const wti_mask other = WTI_BIT(WTI_C_GAZ_PERSON) | WTI_BIT(WTI_C_GAZ_COUNTRY) |
                               WTI_BIT(WTI_C_GAZ_PLACE) | WTI_BIT(WTI_C_GAZ_ADJ) |
                               WTI_BIT(WTI_C_SEEN_LOWER) | WTI_BIT(WTI_C_INITIAL) |
                               WTI_BIT(WTI_C_NUMBER) | k->not_name | k->title | k->month |
                               k->day | k->org_head | k->org_suffix;
        if (tok[c->tok_start].cls & other)
            return c->tok_start;
    }
    return end;
}

/* Rule-typed names and company short forms up to this many tokens recur (longer ones are not
 * looked for). */
#define REPEAT_MAX_TOKENS 64

/* The folded words of a span as one hash, built token by token. */
static uint64_t span_hash_step(const wti_doc *d, uint64_t h, uint32_t k)
{
    const wti_token *t = &d->toks.v[k];
    return (h ^ t->hash) * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
}

/* Spans that recur: each is the first `len` tokens of candidate `cand`, kept in a table keyed by
 * the hash of its words and its length (of candidates with the same words, the one with the
 * higher confidence, else the later one, stays). */
typedef struct spans {
    uint64_t *key;
    uint32_t *cand; /* candidate + 1, 0 = empty */
    uint32_t *len;
    size_t mask;
    uint64_t lengths; /* bit L-1: some span has L tokens */
} spans;

static void spans_add(const wti_doc *d, spans *m, uint32_t cand, uint32_t len)
{
    const wti_cand *c = &d->c[cand];
    if (len == 0 || len > REPEAT_MAX_TOKENS)
        return;
    uint64_t h = 0;
    for (uint32_t k = c->tok_start; k < c->tok_start + len; k++)
        h = span_hash_step(d, h, k);
    h |= 1; /* never 0, the empty key */
    size_t b = (size_t)h & m->mask;
    while (m->cand[b] && !(m->key[b] == h && m->len[b] == len))
        b = (b + 1) & m->mask;
    /* Of two readings of the same words, the surer one stands ("Quenbrex" of "Quenbrex S.A."
     * over a guess from "Quenbrex said"). */
    if (m->cand[b] && d->c[m->cand[b] - 1].conf > c->conf)
        return;
    m->key[b] = h;
    m->cand[b] = cand + 1;
    m->len[b] = len;
    m->lengths |= (uint64_t)1 << (len - 1);
}

/* May a recurring name starting at token k take token j? When nothing claimed it, or a rule's
 * guess that starts inside the name did ("Densmore said" within "Harrow & Densmore said"): the
 * longer name outranks the guess in the second selection, provided the guess lies wholly
 * inside it and is shorter or of another type (checked once the name's length is known; on
 * equal spans document-level evidence outranks a rule). */
static int passable(const wti_doc *d, const uint32_t *cover, uint32_t k, uint32_t j)
{
    if (!cover[j])
        return 1;
    const wti_cand *in = &d->c[cover[j] - 1];
    return in->source == WTI_SRC_RULE && in->tok_start >= k;
}

/* Names recur with their type: other occurrences of the same words, written with capitals
 * (headlines included), that nothing else claimed. Three kinds: names a rule typed; companies
 * named by a legal form, whose short forms ("Magna" after "Magna International Inc") name them
 * too; and people's given names used alone ("Ricky" after "Ricky Ponting"). Each token costs
 * one look-up per length of span. */
static int add_repeats(wti_doc *d, const uint32_t *cover)
{
    const wti_token *tok = d->toks.v;
    size_t selected = 0;
    for (size_t i = 0; i < d->nc; i++)
        selected += (d->c[i].flags & WTI_CAND_SELECTED) != 0;
    if (!selected)
        return 0;
    size_t nb = 16;
    while (nb < selected * 6)
        nb *= 2;
    spans m = {calloc(nb, sizeof(uint64_t)), calloc(nb, sizeof(uint32_t)),
               calloc(nb, sizeof(uint32_t)), nb - 1, 0};
    int rc = m.key && m.cand && m.len ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < d->nc; i++) {
        const wti_cand *c = &d->c[i];
        if (!(c->flags & WTI_CAND_SELECTED) || c->type < 0 || c->type >= WT_TYPE__REPORTED)
            continue;
        if (c->source == WTI_SRC_RULE)
            spans_add(d, &m, (uint32_t)i, c->tok_end - c->tok_start);
        /* "Ricky" after "Ricky Ponting": a known given name alone names the person. */
        if (c->type == WT_PERSON && c->tok_end - c->tok_start >= 2 &&
            (tok[c->tok_start].cls & d->t->cls.given) && is_capitalised(&tok[c->tok_start]))
            spans_add(d, &m, (uint32_t)i, 1);
        for (int level = 1; level <= 2; level++)
            spans_add(d, &m, (uint32_t)i, company_short_end(d, c, level) - c->tok_start);
    }
    for (uint32_t k = 0; rc == 0 && k < d->toks.n; k++) {
        if (!passable(d, cover, k, k) || !is_word(&tok[k]) || !is_capitalised(&tok[k]))
            continue;
        /* The longest span these words could be; of equals, the candidate added last. */
        uint32_t found = 0, flen = 0;
        uint64_t h = 0;
        for (uint32_t len = 1; len <= REPEAT_MAX_TOKENS && m.lengths >> (len - 1); len++) {
            uint32_t j = k + len - 1;
            if (j >= d->toks.n || !passable(d, cover, k, j) ||
                (len > 1 && (tok[j].cls & WTI_BIT(WTI_C_LINE_START))))
                break;
            h = span_hash_step(d, h, j);
            if (!(m.lengths >> (len - 1) & 1))
                continue;
            uint64_t hk = h | 1;
            for (size_t b = (size_t)hk & m.mask; m.cand[b]; b = (b + 1) & m.mask)
                if (m.key[b] == hk && m.len[b] == len && (len > flen || m.cand[b] > found)) {
                    found = m.cand[b];
                    flen = len;
                }
        }
        if (!found)
            continue;
        const wti_cand *c = &d->c[found - 1];
        int ok = k != c->tok_start;
        for (uint32_t j = 0; ok && j < flen; j++) {
            const wti_token *a = &tok[k + j], *b = &tok[c->tok_start + j];
            const wti_cand *in = cover[k + j] ? &d->c[cover[k + j] - 1] : NULL;
            ok = same_fold(&d->toks, a, b) && (!is_word(a) || is_capitalised(a)) &&
                 (!in || (in->tok_end <= k + flen && (in->tok_end - in->tok_start < flen ||
                                                      in->type != c->type)));
        }
        unsigned form = flen < c->tok_end - c->tok_start ? WT_FORM_SHORT : WT_FORM_NAME;
        if (ok && !add_doc_cand(d, k, k + flen, c->type, c->entry, (int32_t)(found - 1), form,
                                REPEAT_CONFIDENCE))
            rc = -1;
    }
    free(m.key);
    free(m.cand);
    free(m.len);
    return rc;
}

/* ---- head-word references ------------------------------------------------------------ */

/* Is token k a head word standing alone for an organization, as in "the Commission said",
 * "Commission spokesman" or "the next Commission meeting"? Capitalised (not in a headline),
 * unclaimed, with no capitalised word next to it on its line but "the"; at the start of a
 * sentence only when the document also writes it capitalised mid-sentence. */
static int head_reference(const wti_doc *d, const uint32_t *cover, uint32_t k)
{
    const wti_token *tok = d->toks.v;
    const wti_mask no = WTI_BIT(WTI_C_HEADLINE) | WTI_BIT(WTI_C_UPPER);
    if (cover[k] || !is_word(&tok[k]) || !(tok[k].cls & WTI_BIT(WTI_C_CAP)) ||
        (tok[k].cls & no) || !(tok[k].cls & d->t->cls.org_head))
        return 0;
    if ((tok[k].cls & WTI_BIT(WTI_C_SENT_START)) && !(tok[k].cls & WTI_BIT(WTI_C_SEEN_CAP_MID)))
        return 0;
    if (k > 0 && !(tok[k].cls & WTI_BIT(WTI_C_LINE_START))) {
        const wti_token *p = &tok[k - 1];
        int the = p->fold_len == 3 && memcmp(wti_token_fold(&d->toks, p), "the", 3) == 0;
        if (is_word(p) && is_capitalised(p) && !the)
            return 0;
    }
    return k + 1 == d->toks.n || (tok[k + 1].cls & WTI_BIT(WTI_C_LINE_START)) ||
           !is_word(&tok[k + 1]) || !is_capitalised(&tok[k + 1]);
}

/* The head word of a selected organization's name of two words or more: its last word when
 * that is a head word ("Finance Ministry"), or its first before "of" ("Ministry of Finance");
 * -1 when it has none. */
static int64_t head_of(const wti_doc *d, const wti_cand *c)
{
    const wti_token *tok = d->toks.v;
    const wti_known_classes *k = &d->t->cls;
    if (!(c->flags & WTI_CAND_SELECTED) || c->type != WT_ORGANIZATION ||
        c->tok_end - c->tok_start < 2)
        return -1;
    if (tok[c->tok_end - 1].cls & k->org_head)
        return c->tok_end - 1;
    const wti_token *of = &tok[c->tok_start + 1];
    if ((tok[c->tok_start].cls & k->org_lead) && of->fold_len == 2 &&
        memcmp(wti_token_fold(&d->toks, of), "of", 2) == 0)
        return c->tok_start;
    return -1;
}

/* Head words remembered at once by add_head_references (more are not looked for). */
#define HEADS_MAX 64

typedef struct heads {
    size_t n;
    uint32_t tok[HEADS_MAX];   /* a token with the head word */
    uint32_t first[HEADS_MAX]; /* the first organization in the document with it */
    uint32_t last[HEADS_MAX];  /* the latest one so far */
} heads;

/* The slot of the head word at token t, or n when it has none. */
static size_t heads_find(const wti_doc *d, const heads *h, uint32_t t)
{
    size_t i = 0;
    while (i < h->n && !same_fold(&d->toks, &d->toks.v[h->tok[i]], &d->toks.v[t]))
        i++;
    return i;
}

/* "the Commission" after "the European Commission", "the Ministry" after "the Finance
 * Ministry" or "the Ministry of Finance": a head word standing alone names the nearest
 * organization before it with that head word, else the first one after it. */
static int add_head_references(wti_doc *d, const uint32_t *cover)
{
    size_t n = 0;
    for (size_t i = 0; i < d->nc; i++)
        n += head_of(d, &d->c[i]) >= 0;
    if (!n)
        return 0;
    wti_keyed *ends = malloc(n * sizeof *ends);
    if (!ends)
        return -1;
    n = 0;
    for (size_t i = 0; i < d->nc; i++)
        if (head_of(d, &d->c[i]) >= 0)
            ends[n++] = (wti_keyed){d->c[i].tok_end, (uint32_t)i};
    wti_sort_keyed(ends, n);
    heads h = {0};
    for (size_t e = 0; e < n; e++) {
        uint32_t head = (uint32_t)head_of(d, &d->c[ends[e].idx]);
        size_t i = heads_find(d, &h, head);
        if (i == h.n && h.n < HEADS_MAX) {
            h.tok[h.n] = head;
            h.first[h.n] = ends[e].idx;
            h.last[h.n++] = UINT32_MAX;
        }
    }
    size_t next = 0;
    int rc = 0;
    for (uint32_t k = 0; rc == 0 && k < d->toks.n; k++) {
        for (; next < n && ends[next].key <= k; next++) {
            size_t i = heads_find(d, &h, (uint32_t)head_of(d, &d->c[ends[next].idx]));
            if (i < h.n)
                h.last[i] = ends[next].idx;
        }
        if (!head_reference(d, cover, k))
            continue;
        size_t i = heads_find(d, &h, k);
        if (i == h.n)
            continue;
        uint32_t cand = h.last[i] != UINT32_MAX ? h.last[i] : h.first[i];
        const wti_cand *c = &d->c[cand];
        if (k >= c->tok_start && k < c->tok_end)
            continue;
        if (!add_doc_cand(d, k, k + 1, WT_ORGANIZATION, c->entry, (int32_t)cand, WT_FORM_SHORT,
                          SHORT_CONFIDENCE))
            rc = -1;
    }
    free(ends);
    return rc;
}

int wti_doc_evidence(wti_doc *d)
{
    uint32_t *cover = coverage(d);
    if (!cover)
        return -1;
    int rc = add_short_forms(d, cover);
    if (rc == 0)
        rc = add_repeats(d, cover);
    if (rc == 0)
        rc = add_head_references(d, cover);
    free(cover);
    return rc;
}
