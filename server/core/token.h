/* The tokenizer: UTF-8 text to a stream of tokens with offsets, folded forms and classes.
 * The gazetteer matcher, the rules and document-level resolution all work on this stream. */
#ifndef WTI_TOKEN_H
#define WTI_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "classes.h"

#include "buf.h"
#include "fold.h"
#include "vocab.h"

typedef struct wti_token {
    uint32_t start, end;   /* bytes in the field's text, end exclusive */
    uint32_t fold;         /* offset of the folded form in wti_tokens.fold */
    uint32_t fold_len;
    uint32_t word;         /* vocabulary id, 0 when the word is unknown */
    uint16_t field;        /* WT_FIELD_TEXT or WT_FIELD_TITLE */
    uint16_t trie;         /* the word's WTI_TRIE_* flags */
    uint32_t hash;         /* of the folded form (low half; every token has it), for hash tables */
    uint32_t hash_hi;      /* the high half */
    wti_mask cls;          /* class bits, see classes.h */
} wti_token;

typedef struct wti_tokens {
    wti_token *v;
    size_t n, cap;
    wti_buf fold; /* folded forms of all tokens, back to back */
    size_t sentences;
} wti_tokens;

/* What the tokenizer needs to know: the fold table, the vocabulary (may be empty while data is
 * loading) and which lexicon class bits mean "abbreviation", "never ends a sentence" and
 * "function word that starts sentences". */
typedef struct wti_tokenizer {
    const wti_fold_table *ft;
    const wti_vocab *vocab;
    wti_mask abbrev, abbrev_prefix, not_name;
} wti_tokenizer;

void wti_tokens_init(wti_tokens *t);
void wti_tokens_release(wti_tokens *t);

/* Appends the tokens of s[0..len) (valid UTF-8) to *out, tagged with `field`; the first token
 * starts a line, a paragraph and a sentence. Sets every class the tokenizer knows (shape,
 * position, headline) plus the lexicon classes of known words. Returns 0, or -1 when memory
 * runs out. Thread-safe on a shared tokenizer. */
int wti_tokenize(const wti_tokenizer *tz, const char *s, size_t len, unsigned field,
                 wti_tokens *out);

static inline const char *wti_token_fold(const wti_tokens *t, const wti_token *tok)
{
    return t->fold.data + tok->fold;
}

#endif
