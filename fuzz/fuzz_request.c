/* The whole JSON path: a v1 request body parsed, tagged and answered (text or HTML input). */
#include <stdlib.h>

#include "fuzz.h"
#include "wiretag/v1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const wt_tagger *t = fuzz_tagger();
    wt_request req;
    wt_error err;
    wt_request_init(&req);
    if (wt_request_parse_json(&req, (const char *)data, size, &err) == 0) {
        wt_result *r = wt_tag(t, &req.doc, &req.opts, &err);
        if (r) {
            size_t len;
            free(wt_response_json(t, r, &req, &len, &err));
            wt_result_free(r);
        }
    } else {
        size_t len;
        free(wt_error_json(&err, req.id_json, 1, &len));
    }
    wt_request_release(&req);
    return 0;
}
