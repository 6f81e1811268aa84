/* The rule runner: derived classes on every token, then each rule's program at each token of
 * each line, on a small backtracking machine with a step limit. */
#include <stdlib.h>
#include <string.h>

#include "rules_impl.h"

struct wti_rules_scratch {
    pcre2_match_data *md;
};

wti_rules_scratch *wti_rules_scratch_new(const wti_rules *r)
{
    (void)r;
    wti_rules_scratch *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->md = pcre2_match_data_create(1, NULL);
    if (!s->md) {
        free(s);
        return NULL;
    }
    return s;
}

void wti_rules_scratch_free(wti_rules_scratch *s)
{
    if (!s)
        return;
    pcre2_match_data_free(s->md);
    free(s);
}

/* Does the token (which passed the class's test) match its regular expression? */
static int regex_passes(const wti_rules *r, const wti_derived *dc, wti_rules_scratch *s,
                        const wti_token *tok, const char *field)
{
    /* No match and the match limit alike mean: not this class. */
    return pcre2_match(dc->re, (PCRE2_SPTR)(field + tok->start), tok->end - tok->start, 0,
                       PCRE2_NO_UTF_CHECK, s->md, r->mctx) >= 0;
}

static void classify_lines(const wti_rules *r, const wti_derived *dc, wti_tokens *toks)
{
    size_t line = 0;
    while (line < toks->n) {
        size_t end = line + 1;
        while (end < toks->n && !(toks->v[end].cls & WTI_BIT(WTI_C_LINE_START)))
            end++;
        unsigned n = 0;
        for (size_t k = line; k < end && n < dc->min; k++)
            n += wti_test_pass(r, dc->test, &toks->v[k]);
        if (n >= dc->min)
            for (size_t k = line; k < end; k++)
                toks->v[k].cls |= dc->bit;
        line = end;
    }
}

static void classify_document(const wti_rules *r, const wti_derived *dc, wti_tokens *toks)
{
    /* The first line: the title's tokens when there is a title, else the text's first line. */
    int found = 0;
    for (size_t k = 0; k < toks->n && !found; k++) {
        if (k > 0 && (toks->v[k].cls & WTI_BIT(WTI_C_LINE_START)))
            break;
        found = wti_test_pass(r, dc->test, &toks->v[k]);
    }
    if (found)
        for (size_t k = 0; k < toks->n; k++)
            toks->v[k].cls |= dc->bit;
}

static unsigned mask_lowest(wti_mask m)
{
    uint64_t lo = (uint64_t)m;
    return lo ? (unsigned)__builtin_ctzll(lo) : 64 + (unsigned)__builtin_ctzll((uint64_t)(m >> 64));
}

/* A run of at most 64 token classes, token by token and class by class in order of definition
 * (a class may use the ones before it), visiting on each token only the classes whose quick
 * check it can pass: for each class bit, the set of classes (bit j = the run's j-th) that bit
 * admits; a class that sets its bit on the token admits the later ones it opens. Masks are
 * handled as two 64-bit halves: the loops here run for every token. */
static void classify_run(const wti_rules *r, wti_rules_scratch *s, wti_tokens *toks,
                         const char *text, const char *title, size_t d, size_t end)
{
    uint64_t by_bit[128], always = 0, later[64];
    wti_mask rare = 0;
    for (size_t j = d; j < end; j++)
        if (r->derived[j].quick != ~(wti_mask)0)
            rare |= r->derived[j].quick;
    for (wti_mask m = rare; m; m &= m - 1)
        by_bit[mask_lowest(m)] = 0;
    for (size_t j = d; j < end; j++) {
        wti_mask q = r->derived[j].quick;
        if (q == ~(wti_mask)0)
            always |= (uint64_t)1 << (j - d);
        else
            for (; q; q &= q - 1)
                by_bit[mask_lowest(q)] |= (uint64_t)1 << (j - d);
    }
    for (size_t j = d; j < end; j++) {
        wti_mask bit = r->derived[j].bit;
        later[j - d] = (bit & rare) ? by_bit[mask_lowest(bit)] & ~(((uint64_t)2 << (j - d)) - 1)
                                    : 0;
    }
    const uint64_t rare_lo = (uint64_t)rare, rare_hi = (uint64_t)(rare >> 64);
    const wti_derived *dv = &r->derived[d];
    for (size_t k = 0; k < toks->n; k++) {
        wti_token *tok = &toks->v[k];
        uint64_t todo = always;
        for (uint64_t m = (uint64_t)tok->cls & rare_lo; m; m &= m - 1)
            todo |= by_bit[__builtin_ctzll(m)];
        for (uint64_t m = (uint64_t)(tok->cls >> 64) & rare_hi; m; m &= m - 1)
            todo |= by_bit[64 + __builtin_ctzll(m)];
        while (todo) {
            unsigned j = (unsigned)__builtin_ctzll(todo);
            todo &= todo - 1;
            const wti_derived *c = &dv[j];
            if (!wti_test_pass(r, c->test, tok))
                continue;
            if (c->re && !regex_passes(r, c, s, tok, tok->field ? title : text))
                continue;
            tok->cls |= c->bit;
            todo |= later[j];
        }
    }
}

int wti_rules_classify(const wt_tagger *t, wti_rules_scratch *s, wti_tokens *toks,
                       const char *text, const char *title)
{
    const wti_rules *r = t->rules;
    if (!r)
        return 0;
    /* In order of definition, so that a class can build on the ones before it. Runs of token
     * classes are evaluated together, token by token; line and document classes between them
     * take their own pass. */
    size_t d = 0;
    while (d < r->nderived) {
        const wti_derived *dc = &r->derived[d];
        if (dc->scope == WTI_SCOPE_LINE) {
            classify_lines(r, dc, toks);
            d++;
            continue;
        }
        if (dc->scope == WTI_SCOPE_DOCUMENT) {
            classify_document(r, dc, toks);
            d++;
            continue;
        }
        size_t end = d;
        while (end < r->nderived && r->derived[end].scope == WTI_SCOPE_TOKEN)
            end++;
        /* Chunks of 64: a class depends only on the ones defined before it. */
        while (d < end) {
            size_t stop = end - d > 64 ? d + 64 : end;
            classify_run(r, s, toks, text, title, d, stop);
            d = stop;
        }
    }
    return 0;
}

/* The virtual token on each side of a line: it has only the `edge` class, so that "not
 * preceded by a capitalised word" also holds at the start of a line. */
static const wti_token edge_token = {.cls = WTI_BIT(WTI_C_EDGE)};

/* One line as the machine sees it. Positions are token indices plus one: position `first` is
 * the edge before the line, `first + 1 .. last - 1` its tokens, `last` the edge after. */
typedef struct line_view {
    const wti_token *tok;
    uint32_t first, last;
} line_view;

static inline const wti_token *token_at(const line_view *lv, uint32_t pos)
{
    return pos == lv->first || pos == lv->last ? &edge_token : &lv->tok[pos - 1];
}

typedef struct frame {
    uint32_t pc, pos;
    uint32_t save[4];
} frame;

#define STACK 128

/* Runs one program from position `start`. On a match fills save[] (positions) and returns 1. */
static int run(const wti_rules *r, const line_view *lv, uint32_t code, uint32_t start,
               uint32_t save[4])
{
    frame stack[STACK];
    int sp = 0;
    frame f = {code, start, {start, start, start, start}};
    unsigned steps = 0;
    for (;;) {
        const wti_inst *in = &r->code[f.pc];
        if (++steps > WTI_RULE_STEP_LIMIT)
            return 0;
        int failed = 0;
        switch (in->op) {
            case WTI_OP_TEST:
                if (f.pos <= lv->last && wti_test_pass(r, in->x, token_at(lv, f.pos))) {
                    f.pos++;
                    f.pc++;
                } else {
                    failed = 1;
                }
                break;
            case WTI_OP_SPLIT:
                /* A full stack drops the alternative: patterns are short, so this only bounds
                 * pathological ones. */
                if (sp < STACK) {
                    stack[sp] = f;
                    stack[sp].pc = in->y;
                    sp++;
                }
                f.pc = in->x;
                break;
            case WTI_OP_JMP: f.pc = in->x; break;
            case WTI_OP_SAVE:
                f.save[in->slot] = f.pos;
                f.pc++;
                break;
            case WTI_OP_MATCH: memcpy(save, f.save, sizeof f.save); return 1;
            default: failed = 1;
        }
        if (failed) {
            if (sp == 0)
                return 0;
            f = stack[--sp];
        }
    }
}

/* Tries rule i from position p unless p is before *next; emits a match and moves *next past
 * it. Returns -1 when emit fails, else 0. */
static int try_rule(const wti_rules *r, const line_view *lv, uint32_t i, uint32_t p, uint32_t *next,
                    int (*emit)(void *ctx, const wti_rule_match *m), void *ctx)
{
    const wti_rule *rule = &r->rules[i];
    if (p < *next) /* also how a rule the line cannot satisfy is switched off */
        return 0;
    if ((token_at(lv, p)->cls & rule->lead) != rule->lead)
        return 0;
    uint32_t save[4];
    if (!run(r, lv, rule->code, p, save))
        return 0;
    /* The span must hold real tokens, not the edges. */
    if (save[1] <= save[0] || save[0] <= lv->first || save[1] > lv->last)
        return 0;
    uint32_t a0 = save[2], a1 = save[3];
    if (a1 <= a0 || a0 <= lv->first || a1 > lv->last)
        a0 = a1 = save[0];
    wti_rule_match m = {i, save[0] - 1, save[1] - 1, a0 - 1, a1 - 1};
    if (emit(ctx, &m) < 0)
        return -1;
    *next = save[1] > p ? save[1] : p + 1;
    return 0;
}

/* Per rule and line: the first start allowed (after its last match; UINT32_MAX when the line
 * cannot satisfy the rule), the first start not yet tried, and the line these belong to. A rule
 * is set up for a line the first time one of its triggers is met there. */
typedef struct rule_state {
    uint32_t next, tried, line;
} rule_state;

static inline rule_state *rule_on_line(const wti_rules *r, rule_state *st, uint32_t i,
                                       uint32_t line, wti_mask line_or)
{
    rule_state *rs = &st[i];
    if (rs->line == line)
        return rs;
    const wti_rule *rule = &r->rules[i];
    rs->line = line;
    rs->next = rs->tried = 0;
    for (unsigned k = 0; k < rule->nneeds; k++)
        if ((line_or & rule->needs[k]) != rule->needs[k])
            rs->next = UINT32_MAX;
    return rs;
}

int wti_rules_run(const wt_tagger *t, const wti_tokens *toks,
                  int (*emit)(void *ctx, const wti_rule_match *m), void *ctx)
{
    const wti_rules *r = t->rules;
    if (!r || r->nrules == 0 || toks->n == 0)
        return 0;
    rule_state *st = malloc(r->nrules * sizeof *st);
    if (!st)
        return -1;
    for (size_t i = 0; i < r->nrules; i++)
        st[i].line = UINT32_MAX;
    const wti_token *tok = toks->v;
    uint32_t n = (uint32_t)toks->n;
    uint32_t line = 0;
    int rc = 0;
    while (line < n && rc == 0) {
        uint32_t end = line + 1;
        wti_mask line_or = WTI_BIT(WTI_C_EDGE) | tok[line].cls;
        while (end < n && !(tok[end].cls & WTI_BIT(WTI_C_LINE_START)))
            line_or |= tok[end++].cls;
        line_view lv = {tok, line, end + 1};
        /* A line with no trigger bit at all is skipped outright. */
        wti_mask active = line_or & r->trig_bits;
        if (!active && !r->nalways) {
            line = end;
            continue;
        }
        /* Each position that carries a trigger bit starts the rules indexed by it, at their
         * anchor's offset back; a token without trigger bits costs one test. */
        for (uint32_t q = lv.first; q <= lv.last && rc == 0; q++) {
            const wti_token *at = token_at(&lv, q);
            wti_mask m = at->cls & active;
            while (m && rc == 0) {
                unsigned b = 0;
                uint64_t lo = (uint64_t)m, hi = (uint64_t)(m >> 64);
                b = lo ? (unsigned)__builtin_ctzll(lo) : 64 + (unsigned)__builtin_ctzll(hi);
                m &= m - 1;
                for (uint32_t k = r->trig_first[b]; k < r->trig_first[b + 1] && rc == 0; k++) {
                    uint32_t i = r->trig[k];
                    const wti_rule *rule = &r->rules[i];
                    if (q < lv.first + rule->anchor_lo || (at->cls & rule->anchor) != rule->anchor)
                        continue;
                    rule_state *rs = rule_on_line(r, st, i, line, line_or);
                    if (rs->next == UINT32_MAX ||
                        !wti_test_pass(r, (uint32_t)rule->anchor_test, at))
                        continue;
                    /* Starts from which the anchor could be this token, in increasing order and
                     * never twice. */
                    uint32_t p = q >= lv.first + rule->anchor_hi ? q - rule->anchor_hi : lv.first;
                    if (p < rs->tried)
                        p = rs->tried;
                    for (; p <= q - rule->anchor_lo && rc == 0; p++)
                        rc = try_rule(r, &lv, i, p, &rs->next, emit, ctx);
                    rs->tried = p;
                }
            }
            for (size_t k = 0; k < r->nalways && rc == 0 && q < lv.last; k++) {
                uint32_t i = r->always[k];
                rule_state *rs = rule_on_line(r, st, i, line, line_or);
                if (rs->next != UINT32_MAX)
                    rc = try_rule(r, &lv, i, q, &rs->next, emit, ctx);
            }
        }
        line = end;
    }
    free(st);
    return rc;
}
