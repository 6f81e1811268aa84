/* Recording errors: the first one wins. */
#ifndef WTI_ERRORS_H
#define WTI_ERRORS_H

#include "wiretag/error.h"

/* Records code and message in *err unless err is NULL or already holds an error. The
 * location fields are reset to -1; set them afterwards if known. Returns -1 for convenience. */
int wti_error_set(wt_error *err, wt_error_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
