/* Error codes, their names and sentences, and recording the first error. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"

static const char *const names[] = {
#define WT_ERROR_NAME(e, name, msg) name,
    WT_ERROR_LIST(WT_ERROR_NAME)
#undef WT_ERROR_NAME
};

static const char *const messages[] = {
#define WT_ERROR_MSG(e, name, msg) msg,
    WT_ERROR_LIST(WT_ERROR_MSG)
#undef WT_ERROR_MSG
};

void wt_error_clear(wt_error *err)
{
    if (!err)
        return;
    err->code = WT_E_OK;
    err->message[0] = '\0';
    err->file[0] = '\0';
    err->line = err->column = err->offset = -1;
}

const char *wt_error_name(wt_error_code code)
{
    return (unsigned)code < WT_E__COUNT ? names[code] : "unknown";
}

const char *wt_error_default_message(wt_error_code code)
{
    return (unsigned)code < WT_E__COUNT ? messages[code] : "unknown error";
}

int wti_error_set(wt_error *err, wt_error_code code, const char *fmt, ...)
{
    if (!err || err->code != WT_E_OK)
        return -1;
    wt_error_clear(err);
    err->code = code;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    } else {
        snprintf(err->message, sizeof err->message, "%s", messages[code]);
    }
    return -1;
}
