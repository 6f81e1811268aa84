/* Offsets in the caller's unit: the one place where byte offsets become code points or UTF-16
 * code units. */
#ifndef WTI_OFFSETS_H
#define WTI_OFFSETS_H

#include <stddef.h>

#include "wiretag/v1.h"

/* Converts n byte offsets into `text` (valid UTF-8, offsets on character boundaries, in any
 * order) to `unit`, in place, in one pass over the text. Returns 0, or -1 when memory runs
 * out. */
int wti_offsets_convert(const char *text, size_t len, wt_unit unit, size_t *offs, size_t n);

#endif
