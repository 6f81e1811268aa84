/* Byte offsets to code points or UTF-16 code units: sort the offsets, then walk the text once. */
#include "offsets.h"

#include <stdlib.h>

typedef struct pos {
    size_t byte;
    size_t idx;
} pos;

static int cmp_pos(const void *a, const void *b)
{
    const pos *x = a, *y = b;
    return x->byte < y->byte ? -1 : x->byte > y->byte;
}

int wti_offsets_convert(const char *text, size_t len, wt_unit unit, size_t *offs, size_t n)
{
    if (unit == WT_UNIT_BYTE || n == 0)
        return 0;
    pos *p = malloc(n * sizeof *p);
    if (!p)
        return -1;
    for (size_t i = 0; i < n; i++) {
        p[i].byte = offs[i] <= len ? offs[i] : len;
        p[i].idx = i;
    }
    qsort(p, n, sizeof *p, cmp_pos);
    const unsigned char *s = (const unsigned char *)text;
    size_t b = 0, units = 0;
    for (size_t i = 0; i < n; i++) {
        for (; b < p[i].byte; b++) {
            unsigned char c = s[b];
            if ((c & 0xC0) != 0x80)
                units++; /* a new code point */
            if (unit == WT_UNIT_UTF16 && c >= 0xF0)
                units++; /* outside the BMP: a surrogate pair */
        }
        offs[p[i].idx] = units;
    }
    free(p);
    return 0;
}
