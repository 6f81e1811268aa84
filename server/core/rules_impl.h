/* Compiled rules: token tests in disjunctive normal form, derived classes, and one backtracking
 * program per rule. Shared by the rule compiler and the rule runner. */
#ifndef WTI_RULES_IMPL_H
#define WTI_RULES_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "rules.h"

/* One conjunction of a token test: all `must` bits, none of `mustnot`, and the word checks. */
typedef struct wti_conj {
    uint64_t must, mustnot;
    uint32_t word;    /* the token must be this vocabulary word (0: any) */
    uint32_t notword; /* the token must not be this word (0: none) */
} wti_conj;

/* A token test: a disjunction of conjunctions. */
typedef struct wti_test {
    uint32_t first, n; /* into wti_rules.conj */
} wti_test;

enum { WTI_OP_TEST, WTI_OP_SPLIT, WTI_OP_JMP, WTI_OP_SAVE, WTI_OP_MATCH };

typedef struct wti_inst {
    uint8_t op;
    uint8_t slot; /* SAVE: 0/1 entity span, 2/3 attribute */
    uint16_t pad;
    uint32_t x, y; /* TEST: test index; SPLIT: preferred, other; JMP: target */
} wti_inst;

typedef struct wti_rule {
    char *name;
    char *attr; /* captured attribute name, or NULL */
    int type;   /* wt_type, or -1 for "none" */
    float confidence;
    uint32_t code; /* first instruction */
    int32_t first_test; /* a test the first token must pass, or -1 */
    uint64_t anchor;    /* class bits every possible first token has (0: none known) */
    unsigned layer;
} wti_rule;

typedef struct wti_derived {
    uint64_t bit;
    uint32_t test;
    pcre2_code *re; /* or NULL */
} wti_derived;

struct wti_rules {
    wti_conj *conj;
    size_t nconj, capconj;
    wti_test *tests;
    size_t ntests, captests;
    wti_inst *code;
    size_t ncode, capcode;
    wti_rule *rules;
    size_t nrules, caprules;
    wti_derived *derived;
    size_t nderived, capderived;
    char *derived_names[64];
    pcre2_match_context *mctx;
    uint32_t max_regex_captures;
};

#define WTI_RULE_STEP_LIMIT 20000 /* backtracking steps per rule and start token */
#define WTI_REGEX_MATCH_LIMIT 10000

static inline int wti_test_pass(const wti_rules *r, uint32_t test, const wti_token *tok)
{
    const wti_test *t = &r->tests[test];
    for (uint32_t i = t->first; i < t->first + t->n; i++) {
        const wti_conj *c = &r->conj[i];
        if ((tok->cls & c->must) == c->must && !(tok->cls & c->mustnot) &&
            (!c->word || tok->word == c->word) && (!c->notword || tok->word != c->notword))
            return 1;
    }
    return 0;
}

#endif
