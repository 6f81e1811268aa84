/* Shared by the fuzz targets: one tagger, loaded once per process from the bundled data (or a
 * small built-in set when the data cannot be found), read-only afterwards. */
#ifndef WT_FUZZ_H
#define WT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "wiretag/tagger.h"

#ifndef WIRETAG_SOURCE_DIR
#define WIRETAG_SOURCE_DIR "."
#endif

static inline const wt_tagger *fuzz_tagger(void)
{
    static wt_tagger *t;
    if (!t) {
        const char *dir = getenv("WIRETAG_FUZZ_DATA");
        const char *dirs[] = {dir ? dir : WIRETAG_SOURCE_DIR "/data"};
        wt_error err;
        t = wt_tagger_load(dirs, 1, &err);
        if (!t) {
            fprintf(stderr, "fuzz: cannot load %s: %s\n", dirs[0], err.message);
            abort();
        }
    }
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
