/* UTF-8: strict validation and decoding of text that has been validated. */
#ifndef WTI_UTF8_H
#define WTI_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Returns the byte offset of the first byte that is not part of a well-formed UTF-8 sequence
 * (overlong forms, surrogates and code points above U+10FFFF are ill-formed), or `len` when
 * the whole buffer is valid. NUL bytes are valid. */
size_t wti_utf8_check(const char *s, size_t len);

/* The number of code points in valid UTF-8: the bytes that are not continuation bytes. */
size_t wti_utf8_count(const char *s, size_t len);

/* Decodes the code point starting at s[i] of valid UTF-8; stores it in *cp and returns its
 * length in bytes (1..4). */
static inline unsigned wti_utf8_decode(const unsigned char *s, size_t i, uint32_t *cp)
{
    unsigned char c = s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xE0) {
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
        return 2;
    }
    if (c < 0xF0) {
        *cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
        return 3;
    }
    *cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[i + 1] & 0x3F) << 12) |
          ((uint32_t)(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
    return 4;
}

/* Writes the UTF-8 encoding of cp (which must be a valid scalar value) to out; returns its
 * length in bytes. */
static inline unsigned wti_utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

#endif
