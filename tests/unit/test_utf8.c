/* UTF-8 validation: well-formed input passes, every kind of ill-formed input is located. */
#include "check.h"
#include "utf8.h"

static size_t chk(const char *s, size_t n)
{
    return wti_utf8_check(s, n);
}

/* Code points counted byte by byte. */
static size_t slow_count(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* The eight-bytes-at-a-time count agrees at every length and alignment. */
static void check_counting(void)
{
    static const char text[] = "Mikul\xc3\xa1\xc5\xa1 Dzurinda \xe2\x80\x99s \xf0\x9f\x98\x80 "
                               "\xc5\x81\xc3\xb3" "d\xc5\xba, plain ASCII and more \xe2\x80\x94 end";
    size_t n = sizeof text - 1;
    for (size_t a = 0; a < n; a++)
        for (size_t b = a; b <= n; b++)
            if (wti_utf8_check(text + a, b - a) == b - a) /* whole code points only */
                CHECK_INT(wti_utf8_count(text + a, b - a), slow_count(text + a, b - a));
    CHECK_INT(wti_utf8_count("", 0), 0);
    CHECK_INT(wti_utf8_count("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 8), 2);
    CHECK_INT(wti_utf8_count("abcdefgh\xc3\xa1", 10), 9);
}

int main(void)
{
    check_counting();
    CHECK_INT(chk("", 0), 0);
    CHECK_INT(chk("plain ASCII text, long enough to use the fast path", 51), 51);
    CHECK_INT(chk("Mikul\xc3\xa1\xc5\xa1", 9), 9);                  /* 2-byte */
    CHECK_INT(chk("\xe2\x80\x99", 3), 3);                           /* 3-byte ’ */
    CHECK_INT(chk("\xf0\x9f\x98\x80", 4), 4);                       /* 4-byte emoji */
    CHECK_INT(chk("a\0b", 3), 3);                                   /* NUL is valid */
    CHECK_INT(chk("abc\x80", 4), 3);                                /* lone continuation */
    CHECK_INT(chk("ab\xc0\x80", 4), 2);                             /* overlong NUL */
    CHECK_INT(chk("\xc1\xbf", 2), 0);                               /* overlong */
    CHECK_INT(chk("x\xe0\x80\xaf", 4), 1);                          /* overlong 3-byte */
    CHECK_INT(chk("\xf0\x80\x80\xaf", 4), 0);                       /* overlong 4-byte */
    CHECK_INT(chk("xy\xed\xa0\x80", 5), 2);                         /* surrogate D800 */
    CHECK_INT(chk("\xf4\x90\x80\x80", 4), 0);                       /* above U+10FFFF */
    CHECK_INT(chk("\xf5\x80\x80\x80", 4), 0);                       /* invalid lead */
    CHECK_INT(chk("abcdefgh\xc3", 9), 8);                           /* truncated at end */
    CHECK_INT(chk("\xe2\x80", 2), 0);                               /* truncated 3-byte */
    CHECK_INT(chk("\xe2\x28\xa1", 3), 0);                           /* bad continuation */
    CHECK_INT(chk("0123456789abcdef\xff", 17), 16);                 /* after the fast path */

    uint32_t cp;
    const unsigned char *s = (const unsigned char *)"\xc5\x81\xf0\x9f\x98\x80";
    CHECK_INT(wti_utf8_decode(s, 0, &cp), 2);
    CHECK_INT(cp, 0x141);
    CHECK_INT(wti_utf8_decode(s, 2, &cp), 4);
    CHECK_INT(cp, 0x1F600);
    char out[4];
    CHECK_INT(wti_utf8_encode(0x1F600, out), 4);
    CHECK(memcmp(out, "\xf0\x9f\x98\x80", 4) == 0);
    return check_report("utf8");
}
