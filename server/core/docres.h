/* Document-level evidence: acronym definitions, short forms of names, one sense per document. */
#ifndef WTI_DOCRES_H
#define WTI_DOCRES_H

#include "doc.h"

/* Finds "Long Form (ACR)" and "ACR (Long Form)" and adds candidates for the long form and for
 * every occurrence of the acronym. Runs before the first selection. Returns 0 or -1. */
int wti_doc_acronyms(wti_doc *d);

/* From the mentions selected so far, adds candidates for surnames of full names and for other
 * occurrences of names that rules typed. Returns 0 or -1. */
int wti_doc_evidence(wti_doc *d);

#endif
