/* Document-level word statistics: how each word is written elsewhere in the same document. A
 * capitalised word that also occurs in lower case is probably a common word; one that occurs
 * capitalised mid-sentence is probably a name. */
#ifndef WTI_DOCSTATS_H
#define WTI_DOCSTATS_H

#include "token.h"

/* Sets the seen_lower and seen_cap_mid classes on every word token. Returns 0 or -1. */
int wti_docstats(wti_tokens *toks);

#endif
