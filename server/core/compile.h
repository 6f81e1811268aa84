/* Turning the stage (data as read) into the compiled tagger. */
#ifndef WTI_COMPILE_H
#define WTI_COMPILE_H

#include <stddef.h>
#include <stdint.h>

#include "stage.h"
#include "tagger_impl.h"

/* Compiles lexicon words, entries, stop phrases and preferences of `st` into `t` (which must be
 * zeroed). Returns 0, or -1 with a located error in *err. */
int wti_compile(wt_tagger *t, const wti_stage *st, wt_error *err);

/* Tokenizes a phrase as text would be tokenized and adds its words to the vocabulary: fills
 * words[] (at most WTI_TRIE_MAX_WORDS), the capitalised-word mask and *n. `toks` is scratch.
 * Returns 0, -1 when memory runs out, -2 when the phrase has no words or too many. */
int wti_phrase_words(wt_tagger *t, wti_tokens *toks, const char *text, uint32_t *words,
                     uint32_t *capmask, size_t *n);

#endif
