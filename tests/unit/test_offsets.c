/* Offsets in code points, UTF-16 code units and bytes, converted in one place. */
#include "check.h"
#include "offsets.h"

int main(void)
{
    /* "😀 Łódź é": the emoji is 4 bytes, 1 code point, 2 UTF-16 units. */
    const char *s = "\xf0\x9f\x98\x80 \xc5\x81\xc3\xb3" "d\xc5\xba \xc3\xa9";
    size_t len = strlen(s);
    size_t offs[4];
    size_t bytes[4] = {5, 12, 13, 15}; /* Łódź starts at 5 and ends at 12; é at 13..15 */
    memcpy(offs, bytes, sizeof offs);
    CHECK(wti_offsets_convert(s, len, WT_UNIT_CODEPOINT, offs, 4) == 0);
    CHECK_INT(offs[0], 2);
    CHECK_INT(offs[1], 6);
    CHECK_INT(offs[2], 7);
    CHECK_INT(offs[3], 8);
    memcpy(offs, bytes, sizeof offs);
    CHECK(wti_offsets_convert(s, len, WT_UNIT_UTF16, offs, 4) == 0);
    CHECK_INT(offs[0], 3);
    CHECK_INT(offs[1], 7);
    CHECK_INT(offs[3], 9);
    memcpy(offs, bytes, sizeof offs);
    CHECK(wti_offsets_convert(s, len, WT_UNIT_BYTE, offs, 4) == 0);
    CHECK_INT(offs[1], 12);
    /* Any order in, the same answers out. */
    size_t rev[2] = {12, 5};
    CHECK(wti_offsets_convert(s, len, WT_UNIT_CODEPOINT, rev, 2) == 0);
    CHECK_INT(rev[0], 6);
    CHECK_INT(rev[1], 2);
    return check_report("offsets");
}
