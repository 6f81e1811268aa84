/* The result of one tag call, and how it is built from resolved mentions. */
#ifndef WTI_RESULT_H
#define WTI_RESULT_H

#include "arena.h"
#include "doc.h"
#include "resolve.h"
#include "wiretag/tag.h"

struct wt_result {
    wti_arena arena; /* owns every entity, mention, attribute and string below */
    wt_document doc;
    wt_entity *entities;
    size_t nentities;
    wt_stats stats;
};

/* Fills r->entities from the resolution, keeping the types `opts` asks for, ordered by
 * relevance then first mention. Returns 0 or -1 (out of memory). */
int wti_result_build(wt_result *r, wti_doc *d, const wti_resolution *res, const wt_options *opts);

#endif
