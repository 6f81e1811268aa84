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

int wti_rules_classify(const wt_tagger *t, wti_rules_scratch *s, wti_tokens *toks,
                       const char *text, const char *title)
{
    const wti_rules *r = t->rules;
    if (!r || r->nderived == 0)
        return 0;
    for (size_t k = 0; k < toks->n; k++) {
        wti_token *tok = &toks->v[k];
        const char *field = tok->field ? title : text;
        for (size_t d = 0; d < r->nderived; d++) {
            const wti_derived *dc = &r->derived[d];
            if (!wti_test_pass(r, dc->test, tok))
                continue;
            if (dc->re) {
                int rc = pcre2_match(dc->re, (PCRE2_SPTR)(field + tok->start),
                                     tok->end - tok->start, 0, PCRE2_NO_UTF_CHECK, s->md,
                                     r->mctx);
                if (rc < 0) /* no match, or the match limit: either way not this class */
                    continue;
            }
            tok->cls |= dc->bit;
        }
    }
    return 0;
}

typedef struct frame {
    uint32_t pc, pos;
    uint32_t save[4];
} frame;

#define STACK 128

/* Runs one program from token `start` over tokens [0, end). On a match fills save[] and
 * returns 1. */
static int run(const wti_rules *r, const wti_token *tok, uint32_t code, uint32_t start,
               uint32_t end, uint32_t save[4])
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
                if (f.pos < end && wti_test_pass(r, in->x, &tok[f.pos])) {
                    f.pos++;
                    f.pc++;
                } else {
                    failed = 1;
                }
                break;
            case WTI_OP_SPLIT:
                if (sp < STACK) {
                    stack[sp] = f;
                    stack[sp].pc = in->y;
                    sp++;
                }
                /* A full stack drops the alternative: patterns are short, so this only bounds
                 * pathological ones. */
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

int wti_rules_run(const wt_tagger *t, const wti_tokens *toks,
                  int (*emit)(void *ctx, const wti_rule_match *m), void *ctx)
{
    const wti_rules *r = t->rules;
    if (!r || r->nrules == 0 || toks->n == 0)
        return 0;
    uint64_t anchors = 0;
    int unanchored = 0;
    for (size_t i = 0; i < r->nrules; i++) {
        if (!r->rules[i].name)
            continue;
        if (r->rules[i].anchor)
            anchors |= r->rules[i].anchor;
        else
            unanchored = 1;
    }
    uint32_t *next = malloc(r->nrules * sizeof *next); /* per rule: first allowed start */
    if (!next)
        return -1;
    const wti_token *tok = toks->v;
    uint32_t n = (uint32_t)toks->n;
    uint32_t line = 0;
    while (line < n) {
        uint32_t end = line + 1;
        while (end < n && !(tok[end].cls & WTI_BIT(WTI_C_LINE_START)))
            end++;
        memset(next, 0, r->nrules * sizeof *next);
        for (uint32_t p = line; p < end; p++) {
            if (!unanchored && !(tok[p].cls & anchors))
                continue;
            for (size_t i = 0; i < r->nrules; i++) {
                const wti_rule *rule = &r->rules[i];
                if (!rule->name || p < next[i])
                    continue;
                if (rule->anchor && (tok[p].cls & rule->anchor) != rule->anchor)
                    continue;
                if (rule->first_test >= 0 && !wti_test_pass(r, (uint32_t)rule->first_test, &tok[p]))
                    continue;
                uint32_t save[4];
                if (!run(r, tok, rule->code, p, end, save) || save[1] <= save[0])
                    continue;
                wti_rule_match m = {(uint32_t)i, save[0], save[1], save[2], save[3]};
                if (emit(ctx, &m) < 0) {
                    free(next);
                    return -1;
                }
                next[i] = save[1] > p ? save[1] : p + 1;
            }
        }
        line = end;
    }
    free(next);
    return 0;
}
