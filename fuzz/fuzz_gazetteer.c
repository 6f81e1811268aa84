/* The data loader: the input as a gazetteer file over a small lexicon; then check-data and a
 * tag call on whatever loaded. */
#include <string.h>

#include "fuzz.h"
#include "wiretag/tag.h"

static void ignore(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char lex[] = "@class abbrev\nMr.\n@class common\nbank\n";
    const char *names[] = {"t.lex", "f.gaz"};
    const char *bufs[] = {lex, (const char *)data};
    size_t lens[] = {sizeof lex - 1, size};
    wt_error err;
    wt_tagger *t = wt_tagger_load_buffers(names, bufs, lens, 2, &err);
    if (!t)
        return 0;
    wt_tagger_check(t, ignore, NULL);
    const char text[] = "Mr. Smith of the Bank said Russia and NATO signed it.";
    wt_document doc = {text, sizeof text - 1, NULL, 0};
    wt_result_free(wt_tag(t, &doc, NULL, &err));
    wt_tagger_free(t);
    return 0;
}
