/* Folding by utf8proc (case fold, decomposition, mark stripping), plus the letters it does not
 * decompose and the typographic variants of ASCII punctuation. */
#include "fold.h"

#include <utf8proc.h>

#include "utf8.h"

/* Letters without a canonical decomposition that readers still see as accented Latin. */
static const char *special_letter(uint32_t cp)
{
    switch (cp) {
        case 0x0141: case 0x0142: return "l";  /* Ł ł */
        case 0x00D8: case 0x00F8: return "o";  /* Ø ø */
        case 0x0110: case 0x0111: return "d";  /* Đ đ */
        case 0x00D0: case 0x00F0: return "d";  /* Ð ð */
        case 0x00DE: case 0x00FE: return "th"; /* Þ þ */
        case 0x00C6: case 0x00E6: return "ae"; /* Æ æ */
        case 0x0152: case 0x0153: return "oe"; /* Œ œ */
        case 0x00DF: case 0x1E9E: return "ss"; /* ß ẞ */
        case 0x0131: return "i";               /* ı */
        case 0x0126: case 0x0127: return "h";  /* Ħ ħ */
        case 0x0166: case 0x0167: return "t";  /* Ŧ ŧ */
        case 0x013F: case 0x0140: return "l";  /* Ŀ ŀ */
        case 0x0138: return "k";               /* ĸ */
        case 0x017F: return "s";               /* ſ */
        case 0x0189: return "d";               /* Ɖ */
        case 0x0190: case 0x025B: return "e";  /* Ɛ ɛ */
        case 0x0186: case 0x0254: return "o";  /* Ɔ ɔ */
        default: return NULL;
    }
}

/* Typographic stand-ins for ASCII, and characters whose role is not their Unicode category. */
static int typographic(uint32_t cp, uint16_t *cls, char *out)
{
    switch (cp) {
        case '\'': case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0x2032:
            *cls = WTI_CH_APOS;
            out[0] = '\'';
            return 1;
        case '"': case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB:
        case 0x2033:
            *cls = WTI_CH_QUOTE;
            out[0] = '"';
            return 1;
        case '-': case 0x2010: case 0x2011: case 0x00AD:
            *cls = WTI_CH_HYPHEN;
            out[0] = '-';
            return 1;
        case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212: case 0xFE58: case 0xFE63:
        case 0xFF0D:
            *cls = WTI_CH_DASH;
            out[0] = '-';
            return 1;
        case '.':
            *cls = WTI_CH_PERIOD;
            out[0] = '.';
            return 1;
        case '\n': case 0x2028: case 0x2029: case 0x85:
            *cls = WTI_CH_NEWLINE;
            out[0] = '\n';
            return 1;
        case 0x200B: case 0xFEFF: case 0x2060: /* zero-width space, BOM, word joiner */
            *cls = WTI_CH_SPACE;
            out[0] = ' ';
            return 1;
        case 0x200C: case 0x200D: /* joiners stay inside words and vanish */
            *cls = WTI_CH_MARK;
            return 0;
        default:
            return -1;
    }
}

static uint16_t category_class(uint32_t cp)
{
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LT: return WTI_CH_LETTER | WTI_CH_UPPER;
        case UTF8PROC_CATEGORY_LL: return WTI_CH_LETTER | WTI_CH_LOWER;
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO: return WTI_CH_LETTER;
        case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC:
        case UTF8PROC_CATEGORY_ME: return WTI_CH_MARK;
        case UTF8PROC_CATEGORY_ND: return WTI_CH_DIGIT;
        case UTF8PROC_CATEGORY_ZS: return WTI_CH_SPACE;
        case UTF8PROC_CATEGORY_ZL:
        case UTF8PROC_CATEGORY_ZP: return WTI_CH_NEWLINE;
        case UTF8PROC_CATEGORY_CC: return WTI_CH_SPACE; /* tabs, CR and other controls */
        case UTF8PROC_CATEGORY_CF: return WTI_CH_MARK;  /* soft hyphens and the like */
        default: return 0;                              /* punctuation and symbols */
    }
}

uint16_t wti_char_class_slow(uint32_t cp)
{
    uint16_t cls;
    char tmp[4];
    if (typographic(cp, &cls, tmp) >= 0)
        return cls;
    return category_class(cp);
}

unsigned wti_fold_char_slow(uint32_t cp, char *out)
{
    uint16_t cls;
    int n = typographic(cp, &cls, out);
    if (n >= 0)
        return (unsigned)n;
    const char *sp = special_letter(cp);
    if (sp) {
        unsigned k = 0;
        while (sp[k]) {
            out[k] = sp[k];
            k++;
        }
        return k;
    }
    if (cp < 0x80) {
        out[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        return 1;
    }
    utf8proc_int32_t dec[8];
    int last = 0;
    utf8proc_ssize_t nd = utf8proc_decompose_char(
        (utf8proc_int32_t)cp, dec, 8,
        UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK, &last);
    /* Long compatibility expansions (ligature words, "㍱") keep the character itself. */
    if (nd <= 0 || nd > 3) {
        return wti_utf8_encode(cp, out);
    }
    unsigned k = 0;
    for (utf8proc_ssize_t i = 0; i < nd; i++) {
        uint32_t d = (uint32_t)dec[i];
        const char *s2 = special_letter(d);
        if (s2) {
            while (*s2)
                out[k++] = *s2++;
        } else {
            k += wti_utf8_encode(d, out + k);
        }
    }
    return k;
}

void wti_fold_table_init(wti_fold_table *ft)
{
    for (uint32_t cp = 0; cp < WTI_FOLD_TABLE_SIZE; cp++) {
        wti_fold_entry *e = &ft->e[cp];
        char tmp[WTI_FOLD_MAX];
        unsigned n = wti_fold_char_slow(cp, tmp);
        e->cls = wti_char_class_slow(cp);
        if (n > sizeof e->out) { /* cannot happen below U+0800, but stay safe */
            n = wti_utf8_encode(cp, tmp);
        }
        e->len = (uint8_t)n;
        for (unsigned i = 0; i < n; i++)
            e->out[i] = tmp[i];
    }
}

size_t wti_fold_string(const wti_fold_table *ft, const char *s, size_t len, char *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += wti_utf8_decode(u, i, &cp);
        o += wti_fold_char(ft, cp, out + o);
    }
    return o;
}

/* Upper-case forms of the special letters, for spellings that keep case. */
static const char *special_upper(uint32_t cp)
{
    switch (cp) {
        case 0x0141: return "L";
        case 0x00D8: return "O";
        case 0x0110: case 0x00D0: return "D";
        case 0x00DE: return "Th";
        case 0x00C6: return "Ae";
        case 0x0152: return "Oe";
        case 0x0126: return "H";
        case 0x0166: return "T";
        default: return NULL;
    }
}

size_t wti_ascii_spelling(const char *str, size_t len, char *out)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += wti_utf8_decode(s, i, &cp);
        if (cp < 0x80) {
            out[o++] = (char)cp;
            continue;
        }
        uint16_t cls;
        char tmp[4];
        if (typographic(cp, &cls, tmp) >= 0) {
            out[o++] = cls & WTI_CH_SPACE ? ' ' : tmp[0];
            continue;
        }
        const char *sp = special_upper(cp);
        if (!sp)
            sp = special_letter(cp);
        if (sp) {
            while (*sp)
                out[o++] = *sp++;
            continue;
        }
        utf8proc_int32_t dec[8];
        int last = 0;
        utf8proc_ssize_t nd = utf8proc_decompose_char((utf8proc_int32_t)cp, dec, 8,
                                                      UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK,
                                                      &last);
        if (nd <= 0 || nd > 3)
            return 0;
        for (utf8proc_ssize_t k = 0; k < nd; k++) {
            if (dec[k] >= 0x80)
                return 0;
            out[o++] = (char)dec[k];
        }
    }
    return o;
}
