/* Compiled rules: token tests in disjunctive normal form, derived classes, and one backtracking
 * program per rule. Shared by the rule compiler and the rule runner. */
#ifndef WTI_RULES_IMPL_H
#define WTI_RULES_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "rules.h"

/* One conjunction of a token test: the class bits it looks at (`care`), which of them the
 * token must have (`must`; the others it must not have), and the word checks. */
typedef struct wti_conj {
    wti_mask must, care;
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
    unsigned over; /* types whose candidates on the matched span are dropped: bit (1 << type) */
    float confidence;
    uint32_t code; /* first instruction */
    /* The anchor: a token at a fixed offset from the start that every match has, and the class
     * bits it must carry; the runner starts the rule only where such a token is. */
    int32_t anchor_test;   /* the test that token must pass, or -1 when the rule has none */
    uint32_t anchor_lo, anchor_hi; /* its distance from the start: between lo and hi tokens */
    wti_mask anchor;       /* bits the anchor token must have */
    wti_mask lead;         /* bits the first token of every match must have */
    unsigned triggers[4];  /* the anchor bits the runner indexes the rule by: one per alternative */
    unsigned ntriggers;
    /* Bits some token of a line must have for the rule to match there, one mask per token the
     * rule cannot do without: a line that lacks one is skipped without running the rule. */
    wti_mask needs[6];
    unsigned nneeds;
    unsigned layer;
} wti_rule;

/* Where a derived class applies: to each token that passes its test; to every token of a line
 * with at least `min` tokens that pass; to every token of a document whose first line (the
 * title, or else the text's first line) has a token that passes. */
enum { WTI_SCOPE_TOKEN, WTI_SCOPE_LINE, WTI_SCOPE_DOCUMENT };

typedef struct wti_derived {
    wti_mask bit;
    wti_mask quick; /* a token with none of these bits cannot pass (a cheap first check) */
    uint32_t test;
    pcre2_code *re; /* or NULL; token scope only */
    uint8_t scope;
    uint8_t min;
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
    char *derived_names[WTI_MAX_CLASSES];
    /* How rare tokens of a rule class are, plus one (0 for other classes): 0 for the commonest
     * shapes up to 3 for lexicon classes and classes built on them. The runner anchors rules on
     * their rarest class, and the classifier checks the rarest bit first. */
    uint8_t rarity[WTI_MAX_CLASSES];
    /* Rules by trigger bit: trig[trig_first[b] .. trig_first[b + 1]) are the rules whose anchor
     * is indexed by bit b; `always` lists the rules without an anchor. Built after loading. */
    uint32_t *trig;
    uint32_t trig_first[WTI_MAX_CLASSES + 1];
    wti_mask trig_bits;
    uint32_t *always;
    size_t nalways;
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
        if ((tok->cls & c->care) == c->must &&
            (!c->word || tok->word == c->word) && (!c->notword || tok->word != c->notword))
            return 1;
    }
    return 0;
}

#endif
