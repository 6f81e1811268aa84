/* Rules: token patterns from data/rules/ files, compiled at load into small backtracking
 * programs over token classes, and derived token classes (some defined by regular
 * expressions, run with pcre2 JIT under a match limit). The language is documented at the top
 * of data/rules/person.rules. */
#ifndef WTI_RULES_H
#define WTI_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "datadir.h"
#include "tagger_impl.h"
#include "token.h"

/* A match of one rule: tokens [start, end) are the entity; [attr_start, attr_end) the
 * captured attribute (empty when attr_start == attr_end). */
typedef struct wti_rule_match {
    uint32_t rule;
    uint32_t start, end;
    uint32_t attr_start, attr_end;
} wti_rule_match;

/* Parses and compiles every *.rules file of `files`, layer by layer: a rule of a later layer
 * replaces the rule of the same name; `disable NAME` drops one. Returns 0, or -1 with a
 * file:line error. Adds derived classes and literal words to the tagger. */
int wti_rules_load(wt_tagger *t, const wti_datafiles *files, wt_error *err);

void wti_rules_free(wti_rules *r);
size_t wti_rules_count(const wti_rules *r);
size_t wti_rules_memory(const wti_rules *r);

/* Rule properties. */
const char *wti_rule_name(const wti_rules *r, uint32_t rule);
int wti_rule_type(const wti_rules *r, uint32_t rule); /* wt_type, or -1 for "none" */
float wti_rule_confidence(const wti_rules *r, uint32_t rule);
const char *wti_rule_attr(const wti_rules *r, uint32_t rule); /* attribute name or NULL */
unsigned wti_rule_over(const wti_rules *r, uint32_t rule);    /* see `over` in the language */

/* Per-call scratch space (pcre2 match data); NULL when memory runs out. */
typedef struct wti_rules_scratch wti_rules_scratch;
wti_rules_scratch *wti_rules_scratch_new(const wti_rules *r);
void wti_rules_scratch_free(wti_rules_scratch *s);

/* Sets the derived classes on every token. `text` and `title` are the field texts. Returns 0
 * or -1 (out of memory). */
int wti_rules_classify(const wt_tagger *t, wti_rules_scratch *s, wti_tokens *toks,
                       const char *text, const char *title);

/* Runs every rule at every token; calls `emit` for each match (leftmost, then greedy; matches
 * of one rule do not overlap). Returns 0, or -1 when emit fails. */
int wti_rules_run(const wt_tagger *t, const wti_tokens *toks,
                  int (*emit)(void *ctx, const wti_rule_match *m), void *ctx);

#endif
