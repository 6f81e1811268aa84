/* Data checks beyond syntax: shared names without a deliberate resolution, and any-case aliases
 * that are ordinary words. */
#include <stdio.h>
#include <string.h>

#include "stage.h"
#include "tagger_impl.h"
#include "wiretag/tagger.h"

/* Can aliases a and b (same words after folding) match the same text? */
static int may_overlap(const wt_tagger *t, const wti_alias *a, const wti_alias *b)
{
    if (a->policy == WTI_POLICY_EXACT && b->policy == WTI_POLICY_EXACT)
        return strcmp(wti_str(t, a->text), wti_str(t, b->text)) == 0;
    const wti_alias *exact = a->policy == WTI_POLICY_EXACT ? a : b->policy == WTI_POLICY_EXACT ? b : NULL;
    const wti_alias *cap = a->policy == WTI_POLICY_CAP ? a : b->policy == WTI_POLICY_CAP ? b : NULL;
    if (exact && cap && exact != cap) {
        /* An exact alias whose word starts in lower case where the other wants a capital. */
        uint32_t need = cap->capmask & ~exact->capmask;
        return need == 0;
    }
    return 1;
}

static void where(const wt_tagger *t, uint32_t entry, char *out, size_t cap)
{
    const wti_entry *e = &t->entries[entry];
    snprintf(out, cap, "%s:%u", wti_str(t, e->file), e->line);
}

size_t wt_tagger_check(const wt_tagger *t, void (*report)(void *ctx, const char *msg), void *ctx)
{
    size_t findings = 0;
    char msg[1024], loc[300], loc2[300];
    for (size_t n = 1; n < t->trie.nnodes; n++) {
        const wti_trie_node *node = &t->trie.nodes[n];
        const wti_alias *al = &t->trie.aliases[node->alias_first];
        for (uint32_t i = 0; i < node->alias_count; i++) {
            const wti_alias *a = &al[i];
            if (a->entry == WTI_ALIAS_STOP)
                continue;
            if (a->policy == WTI_POLICY_ANY && a->nwords == 1 && t->cls.common) {
                /* the folded word of a one-word alias is the word the trie node hangs on */
                for (uint32_t w = wti_vocab_next(&t->vocab, 0); w; w = wti_vocab_next(&t->vocab, w))
                    if (wti_vocab_word(&t->vocab, w)->root == n) {
                        if (wti_vocab_classes(&t->vocab, w) & t->cls.common) {
                            where(t, a->entry, loc, sizeof loc);
                            snprintf(msg, sizeof msg,
                                     "%s: alias '%s' of %s matches any case (~) but is a common "
                                     "lowercase word; use ^ (capitalised) or = (exact case)",
                                     loc, wti_str(t, a->text), wti_str(t, t->entries[a->entry].id));
                            report(ctx, msg);
                            findings++;
                        }
                        break;
                    }
            }
        }
        /* Entries sharing this name: resolved by @prefer, a stop phrase, or disjoint policies. */
        int stop = 0, preferred = 0;
        for (uint32_t i = 0; i < node->alias_count; i++) {
            stop |= al[i].entry == WTI_ALIAS_STOP;
            preferred |= al[i].preferred;
        }
        if (stop || preferred)
            continue;
        for (uint32_t i = 0; i < node->alias_count; i++) {
            for (uint32_t k = i + 1; k < node->alias_count; k++) {
                if (al[i].entry == al[k].entry || !may_overlap(t, &al[i], &al[k]))
                    continue;
                where(t, al[i].entry, loc, sizeof loc);
                where(t, al[k].entry, loc2, sizeof loc2);
                snprintf(msg, sizeof msg,
                         "%s: '%s' names both %s and %s (%s); add @prefer ID ALIAS, a case "
                         "policy that separates them, or a stop phrase",
                         loc, wti_str(t, al[i].text), wti_str(t, t->entries[al[i].entry].id),
                         wti_str(t, t->entries[al[k].entry].id), loc2);
                report(ctx, msg);
                findings++;
                i = node->alias_count; /* one finding per shared name */
                break;
            }
        }
    }
    return findings;
}
