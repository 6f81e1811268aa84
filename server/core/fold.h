/* Character classes and folding: the one place that decides which characters are letters and
 * what a character looks like once case, accents and typography are set aside. */
#ifndef WTI_FOLD_H
#define WTI_FOLD_H

#include <stddef.h>
#include <stdint.h>

enum {
    WTI_CH_SPACE = 1 << 0,   /* spaces, tabs, no-break spaces, ignorable controls */
    WTI_CH_NEWLINE = 1 << 1, /* line feed, line and paragraph separators */
    WTI_CH_LETTER = 1 << 2,
    WTI_CH_UPPER = 1 << 3, /* upper or title case letter */
    WTI_CH_LOWER = 1 << 4,
    WTI_CH_MARK = 1 << 5,   /* combining marks and joiners: part of the word they follow */
    WTI_CH_DIGIT = 1 << 6,
    WTI_CH_APOS = 1 << 7,   /* ' ’ ʼ */
    WTI_CH_HYPHEN = 1 << 8, /* - ‐ ‑ : joins words */
    WTI_CH_QUOTE = 1 << 9,  /* " “ ” „ « » */
    WTI_CH_DASH = 1 << 10,  /* – — − : punctuation, folds to '-' */
    WTI_CH_PERIOD = 1 << 11,
};

/* Classes and folded forms for U+0000..U+07FF, computed once at load and then read-only. */
#define WTI_FOLD_TABLE_SIZE 0x800

typedef struct wti_fold_entry {
    uint16_t cls;
    uint8_t len;  /* bytes in out */
    char out[5]; /* folded UTF-8 */
} wti_fold_entry;

typedef struct wti_fold_table {
    wti_fold_entry e[WTI_FOLD_TABLE_SIZE];
} wti_fold_table;

void wti_fold_table_init(wti_fold_table *ft);

/* The WTI_CH_* classes of a code point. */
uint16_t wti_char_class_slow(uint32_t cp);
static inline uint16_t wti_char_class(const wti_fold_table *ft, uint32_t cp)
{
    return cp < WTI_FOLD_TABLE_SIZE ? ft->e[cp].cls : wti_char_class_slow(cp);
}

/* Maximum bytes wti_fold_char writes. */
#define WTI_FOLD_MAX 16

/* Writes the folded form of cp to out and returns its length: lower case, accents stripped,
 * compatibility forms decomposed, ł ø đ æ œ ß þ ð ı and friends spelled in ASCII, typographic
 * apostrophes, quotes and dashes made plain. */
unsigned wti_fold_char_slow(uint32_t cp, char *out);
static inline unsigned wti_fold_char(const wti_fold_table *ft, uint32_t cp, char *out)
{
    if (cp < WTI_FOLD_TABLE_SIZE) {
        const wti_fold_entry *e = &ft->e[cp];
        for (unsigned i = 0; i < e->len; i++)
            out[i] = e->out[i];
        return e->len;
    }
    return wti_fold_char_slow(cp, out);
}

/* Writes the accent-free spelling of a UTF-8 string, keeping case ("Mikuláš" -> "Mikulas",
 * "Łódź" -> "Lodz"). out must hold len * WTI_FOLD_MAX bytes. Returns its length, or 0 when the
 * string has letters without an ASCII spelling (Cyrillic, Chinese ...). */
size_t wti_ascii_spelling(const char *s, size_t len, char *out);

/* Folds a whole UTF-8 string (which must be valid) into out, which must hold
 * len * WTI_FOLD_MAX bytes. Returns the folded length. */
size_t wti_fold_string(const wti_fold_table *ft, const char *s, size_t len, char *out);

#endif
