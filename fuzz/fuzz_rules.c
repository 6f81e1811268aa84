/* The rule compiler: the input as a rule file over a small lexicon and gazetteer; then a tag
 * call that runs whatever compiled. */
#include "fuzz.h"
#include "wiretag/tag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char lex[] = "@class title\nPresident\n@class given\nAnna\n@class org_head\nBank\n";
    static const char gaz[] = "country:RU | Russia | adj:Russian\nplace:moscow | Moscow\n";
    const char *names[] = {"t.lex", "t.gaz", "f.rules"};
    const char *bufs[] = {lex, gaz, (const char *)data};
    size_t lens[] = {sizeof lex - 1, sizeof gaz - 1, size};
    wt_error err;
    wt_tagger *t = wt_tagger_load_buffers(names, bufs, lens, 3, &err);
    if (!t)
        return 0;
    const char text[] = "President Anna Kovac of the Baltic Bank met Russian officials in Moscow "
                        "6-3 on Monday.\nLEEDS 3 HULL 2\nThe Foo Bar (FB) said.";
    wt_document doc = {text, sizeof text - 1, "ANNA KOVAC", 10};
    wt_result_free(wt_tag(t, &doc, NULL, &err));
    wt_tagger_free(t);
    return 0;
}
