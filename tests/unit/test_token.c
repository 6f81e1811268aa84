/* The tokenizer: words, abbreviations, possessives, numbers, sentences, lines and headlines. */
#include <stdlib.h>

#include "check.h"
#include "classes.h"
#include "fixture.h"
#include "hash.h"
#include "tagger_impl.h"
#include "token.h"

static wt_tagger *t;
static wti_tokens toks;

/* wti_hash spelled out byte by byte, words read little-endian (x86-64, arm64): the tail is one
 * zero-extended word. */
static uint64_t reference_hash(const unsigned char *p, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)n * 0xff51afd7ed558ccdull);
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t v = 0;
        for (int i = 7; i >= 0; i--)
            v = v << 8 | p[i];
        h = (h ^ v) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = v << 8 | p[i];
    h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    h *= 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
    return h;
}

/* The word hash reads exactly the bytes it is given: every length of tail, whatever follows. */
static void check_hash(void)
{
    unsigned char a[40], b[40];
    for (size_t i = 0; i < sizeof a; i++) {
        a[i] = (unsigned char)(i * 37 + 11);
        b[i] = (unsigned char)~a[i];
    }
    for (size_t n = 0; n <= 24; n++) {
        memcpy(b, a, n); /* same first n bytes, different bytes after */
        CHECK(wti_hash(a, n) == reference_hash(a, n));
        CHECK(wti_hash(a, n) == wti_hash(b, n));
    }
    CHECK(wti_hash("abc", 3) != wti_hash("abd", 3));
    CHECK(wti_hash("abcde", 5) != wti_hash("abcdf", 5));
}

/* Tokenizes s and returns the tokens joined by '|' (original text). */
static const char *tok(const char *s)
{
    static char out[2048];
    toks.n = 0;
    toks.fold.len = 0;
    toks.sentences = 0;
    CHECK(wti_tokenize(&t->tz, s, strlen(s), 0, &toks) == 0);
    size_t n = 0;
    for (size_t i = 0; i < toks.n; i++) {
        if (i)
            out[n++] = '|';
        size_t k = toks.v[i].end - toks.v[i].start;
        memcpy(out + n, s + toks.v[i].start, k);
        n += k;
    }
    out[n] = '\0';
    return out;
}

static int has(size_t i, unsigned cls)
{
    return i < toks.n && (toks.v[i].cls & WTI_BIT(cls)) != 0;
}

/* ASCII words are scanned eight bytes at a time: every length, alignment, mix of cases and
 * digits, and what ends the word (space, period, end of text, a non-ASCII letter that joins
 * it, a dotted abbreviation), against a character-by-character reading. */
static void check_ascii_words(void)
{
    static const char *const ends[] = {"", " x", ".", "\xc3\xa9", ",", "\xc2\xa0x",
                                       ".b. and the rest", " and the rest", ") and the rest",
                                       "\xc3\xa9 and the rest", "-x and the rest",
                                       ", and the rest", ",123 and the rest"};
    char text[64], want_fold[64];
    for (size_t len = 1; len <= 20; len++)
        for (unsigned pattern = 0; pattern < 6; pattern++)
            for (size_t lead = 0; lead < 8; lead += 3)
                for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++) {
                    char word[32];
                    unsigned uppers = 0, lowers = 0, later_upper = 0;
                    for (size_t k = 0; k < len; k++) {
                        char c = (char)('a' + (k * 7 + pattern) % 26);
                        if (pattern == 1 || (pattern == 2 && k == 0) || (pattern == 3 && k % 3 == 1))
                            c = (char)(c - 32);
                        if (pattern == 4 && k % 4 == 2)
                            c = (char)('0' + k % 10);
                        if (pattern == 5)
                            c = (char)('0' + k % 10);
                        word[k] = c;
                        want_fold[k] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
                        uppers += c >= 'A' && c <= 'Z';
                        lowers += c >= 'a' && c <= 'z';
                        later_upper += k > 0 && c >= 'A' && c <= 'Z';
                    }
                    int joins = e == 3 || e == 9; /* the é is part of the word */
                    int hyphen = e == 10;         /* "abc-x" is one word */
                    /* "0123,123" and "ab2,123" are one number */
                    int thousands = e == 12 && word[len - 1] >= '0' && word[len - 1] <= '9';
                    snprintf(text, sizeof text, "%*s%.*s%s", (int)lead, "", (int)len, word, ends[e]);
                    tok(text);
                    CHECK(toks.n >= 1);
                    if (toks.n < 1)
                        continue;
                    const wti_token *w = &toks.v[0];
                    size_t want_end = lead + len + (joins ? 2 : 0);
                    int initial = e == 2 && len == 1 && uppers == 1; /* "W." keeps its period */
                    if (e == 6 && len > 1)
                        continue; /* "ab." may be an abbreviation of the data */
                    int dotted = e == 6 && uppers + lowers == 1; /* "e.g.", "U.S." */
                    want_end += (size_t)initial + (dotted ? 3 : 0) + (hyphen ? 2 : 0) +
                                (thousands ? 4 : 0);
                    CHECK_INT(w->start, (long)lead);
                    CHECK_INT(w->end, (long)want_end);
                    CHECK_INT(w->fold_len, (long)(len + joins + initial + (dotted ? 3 : 0) +
                                                  (hyphen ? 2 : 0) + (thousands ? 4 : 0)));
                    CHECK(memcmp(wti_token_fold(&toks, w), want_fold, len) == 0);
                    if (joins)
                        CHECK(wti_token_fold(&toks, w)[len] == 'e');
                    if (joins || hyphen)
                        lowers++; /* é, x */
                    CHECK(w->hash == (uint32_t)wti_hash(wti_token_fold(&toks, w), w->fold_len));
                    CHECK(has(0, WTI_C_HYPHENATED) == hyphen);
                    CHECK(has(0, WTI_C_INITIAL) ==
                          (len == 1 && uppers == 1 && !joins && !hyphen && !dotted));
                    unsigned letters = uppers + lowers;
                    CHECK(has(0, WTI_C_CAP) == (word[0] >= 'A' && word[0] <= 'Z'));
                    CHECK(has(0, WTI_C_NUMBER) == (word[0] >= '0' && word[0] <= '9'));
                    CHECK(has(0, WTI_C_UPPER) == (letters >= 2 && lowers == 0 && uppers >= 2));
                    CHECK(has(0, WTI_C_MIXED) == (later_upper > 0 && lowers > 0));
                }
}

int main(void)
{
    t = fixture_tagger();
    if (!t)
        return 1;
    wti_tokens_init(&toks);
    check_hash();
    check_ascii_words();

    CHECK_STR(tok("O'Brien met al-Assad in Guinea-Bissau."), "O'Brien|met|al-Assad|in|Guinea-Bissau|.");
    CHECK_STR(tok("O\xe2\x80\x99" "Brien"), "O\xe2\x80\x99" "Brien");      /* curly apostrophe */
    CHECK_STR(tok("U.S. officials and the U.N."), "U.S.|officials|and|the|U.N.");
    CHECK(has(0, WTI_C_DOTTED));
    CHECK_STR(tok("U.S.-led forces"), "U.S.-led|forces");
    CHECK(has(0, WTI_C_HYPHENATED));
    CHECK_STR(tok("Mr. Smith and Gen. Jones of Acme Corp. said"),
              "Mr.|Smith|and|Gen.|Jones|of|Acme|Corp.|said");
    CHECK_STR(tok("George W. Bush"), "George|W.|Bush");
    CHECK(has(1, WTI_C_INITIAL));
    CHECK_STR(tok("Russia's army"), "Russia|'s|army");
    CHECK(has(1, WTI_C_POSSESSIVE));
    CHECK_STR(tok("NATO\xe2\x80\x99s chief"), "NATO|\xe2\x80\x99s|chief");
    CHECK_STR(tok("the Russians' view"), "the|Russians|'|view");
    CHECK(has(2, WTI_C_POSSESSIVE));
    CHECK_STR(tok("It's 1,000 or 3.5 or 1996-08-30"), "It|'s|1,000|or|3.5|or|1996-08-30");
    CHECK(has(2, WTI_C_NUMBER));
    CHECK_STR(tok("AT&T and S&P rose 5%."), "AT&T|and|S&P|rose|5|%|.");
    CHECK_STR(tok("\"Yes,\" he said (twice)."), "\"|Yes|,|\"|he|said|(|twice|)|.");
    CHECK(has(0, WTI_C_QUOTE));
    CHECK(has(6, WTI_C_OPEN));
    CHECK_STR(tok("a\xe2\x80\x94" "b"), "a|\xe2\x80\x94|b");                 /* em dash splits */
    CHECK_STR(tok("no\xc2\xa0" "break"), "no|break");                       /* NBSP is a space */
    CHECK_STR(tok("nul\0byte"), "nul");                                      /* strlen stops */

    /* NUL and control characters inside the buffer are spaces. */
    const char ctl[] = "a\0b\x01" "c";
    toks.n = 0;
    CHECK(wti_tokenize(&t->tz, ctl, sizeof ctl - 1, 0, &toks) == 0);
    CHECK_INT(toks.n, 3);

    /* Shapes. */
    tok("NATO Nato nato McCain iPhone X");
    CHECK(has(0, WTI_C_UPPER) && has(0, WTI_C_CAP));
    CHECK(has(1, WTI_C_CAP) && !has(1, WTI_C_UPPER));
    CHECK(has(2, WTI_C_LOWER));
    CHECK(has(3, WTI_C_MIXED));
    CHECK(has(4, WTI_C_LOWER) && has(4, WTI_C_MIXED));
    CHECK(has(5, WTI_C_INITIAL));

    /* Sentences: not after Mr. or inside "U.S. officials"; after "Inc." before "The". */
    tok("Mr. Smith left. He came back! U.S. officials said so. Acme Inc. The end");
    CHECK_INT(toks.sentences, 5);
    CHECK(has(0, WTI_C_SENT_START));
    CHECK(!has(1, WTI_C_SENT_START));
    CHECK(has(4, WTI_C_SENT_START));            /* He */
    CHECK(has(8, WTI_C_SENT_START));            /* U.S. */
    CHECK(!has(9, WTI_C_SENT_START));           /* officials */
    CHECK(has(15, WTI_C_SENT_START));           /* The */

    /* Lines, paragraphs and headlines. */
    tok("SOCCER - JAPAN GET LUCKY WIN\nLONDON 1996-08-30\nJapan won the match.\n\nNext line");
    CHECK(has(0, WTI_C_HEADLINE) && has(3, WTI_C_HEADLINE));
    CHECK(has(6, WTI_C_LINE_START) && has(6, WTI_C_HEADLINE));  /* LONDON: a dateline */
    CHECK(has(8, WTI_C_LINE_START) && !has(8, WTI_C_HEADLINE)); /* Japan won ... */
    CHECK(has(7, WTI_C_LINE_END));
    CHECK(has(13, WTI_C_LINE_START) && has(13, WTI_C_SENT_START));

    /* Known words get their lexicon classes; folded forms drop accents. */
    tok("President Maria Dvo\xc5\x99\xc3\xa1k");
    CHECK(toks.v[0].cls & t->cls.title);
    CHECK(toks.v[1].cls & t->cls.given);
    CHECK(toks.v[2].fold_len == 6 && memcmp(wti_token_fold(&toks, &toks.v[2]), "dvorak", 6) == 0);

    wti_tokens_release(&toks);
    wt_tagger_free(t);
    return check_report("token");
}
