/* Plain text straight into the tagger, and the response in every offset unit. */
#include <stdlib.h>

#include "fuzz.h"
#include "wiretag/v1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const wt_tagger *t = fuzz_tagger();
    /* The first byte picks the title split and the unit; the rest is text (and title). */
    unsigned sel = size ? data[0] : 0;
    const char *s = size ? (const char *)data + 1 : "";
    size_t n = size ? size - 1 : 0;
    size_t split = (sel & 1) && n ? n / 3 : 0;
    wt_request req;
    wt_request_init(&req);
    req.doc.title = split ? s : NULL;
    req.doc.title_len = split;
    req.doc.text = s + split;
    req.doc.text_len = n - split;
    req.unit = (wt_unit)((sel >> 1) % 3);
    wt_error err;
    wt_result *r = wt_tag(t, &req.doc, &req.opts, &err);
    if (r) {
        size_t len;
        free(wt_response_json(t, r, &req, &len, &err));
        wt_result_free(r);
    }
    wt_request_release(&req);
    return 0;
}
