/* Resolution: from overlapping candidates to one mention per span, and from mentions to
 * entities (one per real-world thing), with document-level evidence. */
#ifndef WTI_RESOLVE_H
#define WTI_RESOLVE_H

#include "doc.h"

typedef struct wti_cluster {
    int8_t type;
    uint8_t source;  /* WTI_SRC_GAZETTEER when an entry is known, else WTI_SRC_RULE */
    uint32_t entry;  /* gazetteer entry or WTI_NO_ENTRY */
    uint32_t name;   /* candidate whose text names the entity (the fullest mention) */
    uint32_t nmentions;
    uint32_t role;   /* candidate with a captured role, or UINT32_MAX */
} wti_cluster;

typedef struct wti_resolution {
    wti_cluster *cl;
    size_t ncl;
    uint32_t *order; /* selected candidates, by field then start */
    size_t norder;
} wti_resolution;

/* Chooses mentions among d->c (setting WTI_CAND_SELECTED and cluster) and groups them into
 * clusters. Returns 0 or -1 (out of memory). Free with wti_resolution_release. */
int wti_resolve(wti_doc *d, wti_resolution *res);

void wti_resolution_release(wti_resolution *res);

#endif
