/* HTML in: parsed the way browsers do, tagged, offsets mapped back, annotated. */
#include <stdlib.h>

#include "fuzz.h"
#include "wiretag/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const wt_tagger *t = fuzz_tagger();
    wt_html *h = wt_html_parse((const char *)data, size, NULL);
    if (!h)
        return 0;
    size_t n;
    const char *text = wt_html_text(h, &n);
    wt_document doc = {text, n, NULL, 0};
    wt_result *r = wt_tag(t, &doc, NULL, NULL);
    if (r) {
        size_t ne, len;
        const wt_entity *e = wt_result_entities(r, &ne);
        for (size_t i = 0; i < ne; i++)
            for (size_t k = 0; k < e[i].nmentions; k++) {
                size_t s, f;
                int link;
                wt_html_source_range(h, e[i].mentions[k].start, e[i].mentions[k].end, &s, &f, &link);
                if (s > f || f > size)
                    abort(); /* offsets must stay inside the source */
            }
        free(wt_html_annotate(h, r, WT_ANNOTATE_ALL, &len));
        wt_result_free(r);
    }
    wt_html_free(h);
    return 0;
}
