/* Names of the built-in token classes, as the rule files spell them. */
#include "classes.h"

static const char *const names[] = {
#define WTI_CLASS_NAME(e, name) name,
    WTI_CLASS_LIST(WTI_CLASS_NAME)
#undef WTI_CLASS_NAME
};

const char *wti_builtin_class_name(unsigned c)
{
    return c < WTI_C__BUILTIN ? names[c] : NULL;
}
