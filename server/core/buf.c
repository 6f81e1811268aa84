/* Growable buffer with sticky failure: callers check once, at the end. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wti_buf_init(wti_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

int wti_buf_reserve(wti_buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (b->cap - b->len > extra)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= extra) {
        if (cap > ((size_t)-1) / 2) {
            b->failed = 1;
            return -1;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void wti_buf_append(wti_buf *b, const void *p, size_t len)
{
    if (len == 0 || wti_buf_reserve(b, len) < 0)
        return;
    memcpy(b->data + b->len, p, len);
    b->len += len;
}

void wti_buf_putc(wti_buf *b, char c)
{
    if (wti_buf_reserve(b, 1) < 0)
        return;
    b->data[b->len++] = c;
}

void wti_buf_puts(wti_buf *b, const char *s)
{
    wti_buf_append(b, s, strlen(s));
}

void wti_buf_printf(wti_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[128];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        wti_buf_append(b, small, (size_t)n);
        return;
    }
    if (wti_buf_reserve(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void wti_buf_json_string(wti_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    /* Worst case every byte becomes \u00XX. */
    if (wti_buf_reserve(b, len * 6 + 2) < 0)
        return;
    char *o = b->data + b->len;
    *o++ = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
            case '"': *o++ = '"'; break;
            case '\\': *o++ = '\\'; break;
            case '\n': *o++ = 'n'; break;
            case '\r': *o++ = 'r'; break;
            case '\t': *o++ = 't'; break;
            case '\b': *o++ = 'b'; break;
            case '\f': *o++ = 'f'; break;
            default:
                *o++ = 'u';
                *o++ = '0';
                *o++ = '0';
                *o++ = hex[c >> 4];
                *o++ = hex[c & 15];
        }
    }
    *o++ = '"';
    b->len = (size_t)(o - b->data);
}

char *wti_buf_take(wti_buf *b, size_t *len)
{
    wti_buf_putc(b, '\0');
    if (b->failed) {
        wti_buf_release(b);
        return NULL;
    }
    char *p = b->data;
    if (len)
        *len = b->len - 1;
    wti_buf_init(b);
    return p;
}

void wti_buf_release(wti_buf *b)
{
    free(b->data);
    wti_buf_init(b);
}
