/* A growable byte buffer for building output and tables. */
#ifndef WTI_BUF_H
#define WTI_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct wti_buf {
    char *data;
    size_t len, cap;
    int failed; /* set once an allocation failed; later appends do nothing */
} wti_buf;

void wti_buf_init(wti_buf *b);

/* Makes room for `extra` more bytes. Returns 0, or -1 (and sets failed) when out of memory. */
int wti_buf_reserve(wti_buf *b, size_t extra);

void wti_buf_append(wti_buf *b, const void *p, size_t len);
void wti_buf_putc(wti_buf *b, char c);
void wti_buf_puts(wti_buf *b, const char *s);
void wti_buf_printf(wti_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends `s` as a JSON string literal with quotes, escaping as RFC 8259 requires. `s` must be
 * valid UTF-8; NUL and control bytes are written as \u escapes. */
void wti_buf_json_string(wti_buf *b, const char *s, size_t len);

/* NUL-terminates and hands the memory to the caller (free() it); the buffer is emptied.
 * Returns NULL if any append failed. */
char *wti_buf_take(wti_buf *b, size_t *len);

void wti_buf_release(wti_buf *b);

#endif
