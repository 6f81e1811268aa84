/* One pass to collect how each folded word is written, one pass to mark the tokens. */
#include "docstats.h"

#include <stdlib.h>
#include <string.h>

#include "classes.h"

typedef struct slot {
    uint32_t token; /* a token with this folded form, + 1; 0 = empty */
    uint32_t hash;
    uint8_t seen;   /* 1: lower case somewhere, 2: capitalised mid-sentence somewhere */
} slot;

static slot *find(slot *tab, size_t mask, const wti_tokens *t, const wti_token *tok, uint32_t h)
{
    const char *f = wti_token_fold(t, tok);
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        slot *s = &tab[i];
        if (!s->token)
            return s;
        const wti_token *o = &t->v[s->token - 1];
        if (s->hash != h || o->fold_len != tok->fold_len)
            continue;
        if (o->word && tok->word ? o->word == tok->word
                                 : memcmp(wti_token_fold(t, o), f, tok->fold_len) == 0)
            return s;
    }
}

int wti_docstats(wti_tokens *t)
{
    size_t words = 0;
    for (size_t k = 0; k < t->n; k++)
        words += (t->v[k].cls & WTI_BIT(WTI_C_WORD)) != 0;
    if (!words)
        return 0;
    size_t n = 16;
    while (n < words * 2)
        n *= 2;
    slot *tab = calloc(n, sizeof *tab);
    uint32_t *where = malloc(t->n * sizeof *where); /* each word token's slot */
    if (!tab || !where) {
        free(tab);
        free(where);
        return -1;
    }
    const wti_mask mid_cap_not = WTI_BIT(WTI_C_SENT_START) | WTI_BIT(WTI_C_LINE_START) |
                                 WTI_BIT(WTI_C_HEADLINE);
    for (size_t k = 0; k < t->n; k++) {
        const wti_token *tok = &t->v[k];
        if (!(tok->cls & WTI_BIT(WTI_C_WORD)))
            continue;
        uint32_t h = tok->hash;
        slot *s = find(tab, n - 1, t, tok, h);
        if (!s->token) {
            s->token = (uint32_t)k + 1;
            s->hash = h;
        }
        where[k] = (uint32_t)(s - tab);
        if (tok->cls & WTI_BIT(WTI_C_LOWER))
            s->seen |= 1;
        else if ((tok->cls & WTI_BIT(WTI_C_CAP)) && !(tok->cls & mid_cap_not))
            s->seen |= 2;
    }
    for (size_t k = 0; k < t->n; k++) {
        wti_token *tok = &t->v[k];
        if (!(tok->cls & WTI_BIT(WTI_C_WORD)))
            continue;
        uint8_t seen = tab[where[k]].seen;
        if (seen & 1)
            tok->cls |= WTI_BIT(WTI_C_SEEN_LOWER);
        if (seen & 2)
            tok->cls |= WTI_BIT(WTI_C_SEEN_CAP_MID);
    }
    free(tab);
    free(where);
    return 0;
}
