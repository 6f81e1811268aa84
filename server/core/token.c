/* Tokenizer: words (with inner apostrophes, hyphens, dotted abbreviations), numbers, split-off
 * possessives and single punctuation marks; then sentences, lines and headlines. */
#include "token.h"

#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "hash.h"
#include "utf8.h"

void wti_tokens_init(wti_tokens *t)
{
    memset(t, 0, sizeof *t);
    wti_buf_init(&t->fold);
}

void wti_tokens_release(wti_tokens *t)
{
    free(t->v);
    wti_buf_release(&t->fold);
    wti_tokens_init(t);
}

/* A decoded character of the input. */
typedef struct ch {
    uint32_t cp;
    unsigned n;   /* bytes, 0 past the end */
    uint16_t cls; /* WTI_CH_* */
} ch;

typedef struct scanner {
    const wti_tokenizer *tz;
    const wti_fold_entry *ascii; /* tz->ft->e: classes and folds of U+0000..U+007F */
    const unsigned char *s;
    size_t len;
    wti_tokens *out;
} scanner;

static inline __attribute__((always_inline)) ch peek(const scanner *sc, size_t i)
{
    ch c = {0, 0, 0};
    if (i >= sc->len)
        return c;
    unsigned char b = sc->s[i];
    if (b < 0x80) { /* most news text is ASCII */
        c.cp = b;
        c.n = 1;
        c.cls = sc->ascii[b].cls;
        return c;
    }
    c.n = wti_utf8_decode(sc->s, i, &c.cp);
    c.cls = wti_char_class(sc->tz->ft, c.cp);
    return c;
}

#define ALNUM (WTI_CH_LETTER | WTI_CH_DIGIT)

/* A new token at byte `start` of the text, its folded form to begin at the end of the folded
 * text so far. */
static wti_token *push_token(scanner *sc, size_t start, unsigned field, wti_mask cls)
{
    wti_tokens *t = sc->out;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        wti_token *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return NULL;
        t->v = v;
        t->cap = cap;
    }
    wti_token *tok = &t->v[t->n++];
    *tok = (wti_token){.start = (uint32_t)start,
                       .fold = (uint32_t)t->fold.len,
                       .field = (uint16_t)field,
                       .cls = cls};
    return tok;
}

static inline void fold_append(scanner *sc, const ch *c)
{
    wti_buf *f = &sc->out->fold;
    if (c->cp < 0x80 && f->len < f->cap) {
        f->data[f->len++] = sc->ascii[c->cp].out[0];
        return;
    }
    char tmp[WTI_FOLD_MAX];
    unsigned k = wti_fold_char(sc->tz->ft, c->cp, tmp);
    wti_buf_append(f, tmp, k);
}

/* Is the folded text of the current word plus "." a known abbreviation ("mr.", "corp.")? */
static int is_abbrev(const scanner *sc, size_t fold_start)
{
    const wti_vocab *v = sc->tz->vocab;
    if (!v || !sc->tz->abbrev)
        return 0;
    wti_buf *f = &sc->out->fold;
    if (wti_buf_reserve(f, 1) < 0)
        return 0;
    f->data[f->len] = '.';
    size_t n = f->len + 1 - fold_start;
    uint32_t id = wti_vocab_find(v, f->data + fold_start, n, wti_hash(f->data + fold_start, n));
    return id && (wti_vocab_classes(v, id) & sc->tz->abbrev);
}

#define HIGH_BITS 0x8080808080808080ull
#define ONES      0x0101010101010101ull
#define LITTLE_ENDIAN_WORDS (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)

/* The high bit of each byte of x that is ASCII and in lo..hi (both below 0x80); other bits of
 * the result are 0. Adding 0x80 - c to a seven-bit byte sets its high bit exactly when the
 * byte is at least c, and carries into no other byte. */
static inline uint64_t ascii_range(uint64_t x, unsigned lo, unsigned hi)
{
    uint64_t x7 = x & ~HIGH_BITS;
    uint64_t ge_lo = x7 + ONES * (0x80 - lo), gt_hi = x7 + ONES * (0x7F - hi);
    return ge_lo & ~gt_hi & ~x & HIGH_BITS;
}

/* How many high bits of bytes are set in m (a mask of HIGH_BITS only). */
static inline unsigned high_bits_count(uint64_t m)
{
    return (unsigned)(((m >> 7) * ONES) >> 56);
}

/* The ASCII letters of x (high bit of each such byte), and among them the capitals: a letter
 * with bit 5 clear. Setting bit 5 maps 'A'..'Z' onto 'a'..'z' and nothing else into them. */
static inline uint64_t ascii_letters(uint64_t x, uint64_t *upper)
{
    uint64_t letters = ascii_range(x | ONES * 0x20, 'a', 'z');
    *upper = letters & ~(x << 2);
    return letters;
}

/* What an ASCII character after a word's letters and digits does to the word: 0 ends it, 1
 * may join it to what follows (' - . &), 2 joins it only after a digit (a comma: "1,000"). */
static const uint8_t ascii_joins[128] = {['\''] = 1, ['-'] = 1, ['.'] = 1, ['&'] = 1, [','] = 2};

/* The shape classes of scan_word, from the masks of a word's letters and capitals: UPPER is
 * two capitals or more and no small letter, INITIAL a one-byte capital, MIXED a capital after
 * the first byte and a small letter. `later_caps` are the capitals after the first byte. */
static inline wti_mask short_word_classes(uint64_t first, size_t len, int lower, int two_caps,
                                          int later_caps)
{
    wti_mask cls = WTI_BIT(WTI_C_WORD);
    if (!(first & 1))
        cls |= WTI_BIT(WTI_C_NUMBER);
    else if (first & 2)
        cls |= WTI_BIT(WTI_C_CAP);
    else
        cls |= WTI_BIT(WTI_C_LOWER);
    if (two_caps && !lower)
        cls |= WTI_BIT(WTI_C_UPPER);
    if (len == 1 && (first & 2))
        cls |= WTI_BIT(WTI_C_INITIAL);
    if (later_caps && lower)
        cls |= WTI_BIT(WTI_C_MIXED);
    return cls;
}

/* The common word of news text: fewer than sixteen ASCII letters and digits, then an ASCII
 * character that cannot join them (not ' - . &, nor a comma after a digit). Scans, folds and
 * classes it as scan_word would, from one or two 8-byte loads, and returns its end with its
 * hash in *hash; returns 0 for any other word, which scan_word then reads. */
static inline size_t short_ascii_word(scanner *sc, size_t i, wti_token *tok, uint64_t *hash)
{
    wti_buf *fold = &sc->out->fold;
    size_t room = sc->len - i;
    if (!LITTLE_ENDIAN_WORDS || room < 8 || fold->cap - fold->len < 16)
        return 0;
    const unsigned char *s = sc->s + i;
    char *out = fold->data + fold->len;
    uint64_t x0, up0;
    memcpy(&x0, s, 8);
    uint64_t let0 = ascii_letters(x0, &up0);
    uint64_t stops = ~(let0 | ascii_range(x0, '0', '9')) & HIGH_BITS;
    /* The first byte: bit 0 a letter, bit 1 a capital. */
    uint64_t first = (let0 >> 7 & 1) | (up0 >> 6 & 2);
    size_t k;
    wti_mask cls;
    if (stops) { /* one word */
        k = (size_t)__builtin_ctzll(stops) / 8;
        unsigned char end = s[k];
        unsigned j = end < 0x80 ? ascii_joins[end] : 1;
        if (j && (j == 1 || !(sc->ascii[s[k - 1]].cls & WTI_CH_LETTER)))
            return 0;
        uint64_t mask = ((uint64_t)1 << (8 * k)) - 1;
        let0 &= mask;
        up0 &= mask;
        uint64_t f0 = (x0 | up0 >> 2) & mask;
        memcpy(out, &f0, 8);
        *hash = wti_hash_end(wti_hash_start(k), f0);
        cls = short_word_classes(first, k, let0 != up0, (up0 & (up0 - 1)) != 0,
                                 (up0 & ~(uint64_t)0xFF) != 0);
    } else { /* eight bytes and up to seven more */
        if (room < 16)
            return 0;
        uint64_t x1, up1;
        memcpy(&x1, s + 8, 8);
        uint64_t let1 = ascii_letters(x1, &up1);
        stops = ~(let1 | ascii_range(x1, '0', '9')) & HIGH_BITS;
        if (!stops)
            return 0;
        size_t tail = (size_t)__builtin_ctzll(stops) / 8;
        k = 8 + tail;
        unsigned char end = s[k];
        unsigned j = end < 0x80 ? ascii_joins[end] : 1;
        if (j && (j == 1 || !(sc->ascii[s[k - 1]].cls & WTI_CH_LETTER)))
            return 0;
        uint64_t mask = ((uint64_t)1 << (8 * tail)) - 1;
        let1 &= mask;
        up1 &= mask;
        uint64_t f0 = x0 | up0 >> 2, f1 = (x1 | up1 >> 2) & mask;
        memcpy(out, &f0, 8);
        memcpy(out + 8, &f1, 8);
        *hash = wti_hash_end(wti_hash_step(wti_hash_start(k), f0), f1);
        int two_caps = (up0 & (up0 - 1)) || (up0 && up1) || (up1 & (up1 - 1));
        cls = short_word_classes(first, k, ((let0 ^ up0) | (let1 ^ up1)) != 0, two_caps,
                                 ((up0 & ~(uint64_t)0xFF) | up1) != 0);
    }
    fold->len += k;
    tok->cls |= cls;
    return i + k;
}

/* Scans one word starting at i; returns its end. Sets shape classes in *tok. */
static size_t scan_word(scanner *sc, size_t i, wti_token *tok)
{
    size_t fold_start = sc->out->fold.len;
    size_t j = i;
    unsigned letters = 0, uppers = 0, lowers = 0, chars = 0;
    int upper_after_first = 0, hyphenated = 0, dotted = 0;
    uint16_t first = peek(sc, i).cls, last = 0;

    const wti_fold_entry *ascii = sc->ascii;
    wti_buf *fold = &sc->out->fold;
    for (;;) {
        /* The common case first: a run of ASCII letters and digits, folded by table. The
         * buffer was sized for the text, so ASCII never needs more room. Locals only, and
         * counts kept as sums and an OR: the loop runs for every letter of the text. */
        {
            const unsigned char *s = sc->s;
            char *out = fold->data + fold->len;
            size_t stop = sc->len, room = fold->cap - fold->len;
            if (stop - j > room)
                stop = j + room;
            size_t j0 = j;
            unsigned lets = 0, ups = 0, any = 0;
            /* Eight bytes at a time while they are ASCII letters and digits (the first byte
             * in memory is the lowest: little-endian only). */
            while (LITTLE_ENDIAN_WORDS && stop - j >= 8) {
                uint64_t x;
                memcpy(&x, s + j, 8);
                uint64_t upper, lets8 = ascii_letters(x, &upper);
                uint64_t stops = ~(lets8 | ascii_range(x, '0', '9')) & HIGH_BITS;
                /* Every bit below the first stop: the whole bytes before it. */
                uint64_t keep = stops ? (stops & (0 - stops)) - 1 : ~(uint64_t)0;
                upper &= keep;
                lets8 &= keep;
                x |= upper >> 2; /* 'A'..'Z' to 'a'..'z' */
                memcpy(out, &x, 8);
                size_t k = stops ? (size_t)__builtin_ctzll(stops) / 8 : 8;
                out += k;
                j += k;
                ups += high_bits_count(upper);
                lets += high_bits_count(lets8);
                any |= lets8 != upper ? WTI_CH_LOWER : 0;
                if (k < 8)
                    break;
            }
            while (j < stop && s[j] < 0x80) {
                uint16_t cls = ascii[s[j]].cls;
                if (!(cls & ALNUM))
                    break;
                lets += (cls / WTI_CH_LETTER) & 1;
                ups += (cls / WTI_CH_UPPER) & 1;
                any |= cls;
                *out++ = ascii[s[j]].out[0];
                j++;
            }
            if (j > j0) {
                /* An upper-case letter after the word's first character. */
                unsigned first_up = chars == 0 && (ascii[s[j0]].cls & WTI_CH_UPPER);
                if (ups > first_up)
                    upper_after_first = 1;
                letters += lets;
                uppers += ups;
                lowers += (any & WTI_CH_LOWER) != 0;
                chars += (unsigned)(j - j0);
                last = ascii[s[j - 1]].cls;
                fold->len += j - j0;
            }
        }
        ch c = peek(sc, j);
        /* Then any other run of letters, digits and marks. */
        while (c.n && (c.cls & (ALNUM | WTI_CH_MARK))) {
            if (c.cls & WTI_CH_LETTER) {
                letters++;
                if (c.cls & WTI_CH_UPPER) {
                    uppers++;
                    if (chars > 0)
                        upper_after_first = 1;
                }
                if (c.cls & WTI_CH_LOWER)
                    lowers++;
            }
            if (!(c.cls & WTI_CH_MARK)) {
                chars++;
                last = c.cls;
            }
            fold_append(sc, &c);
            j += c.n;
            c = peek(sc, j);
        }
        /* Most words end at a space or punctuation that cannot join: decide that before
         * looking further ahead. */
        if (!c.n || (!(c.cls & (WTI_CH_APOS | WTI_CH_HYPHEN | WTI_CH_PERIOD)) && c.cp != ',' &&
                     c.cp != '&'))
            break;
        ch next = peek(sc, j + c.n);
        if (c.cls & WTI_CH_APOS) {
            if (next.n && (next.cls & WTI_CH_LETTER)) {
                /* "Russia's": the possessive is split off; "O'Brien", "d'Ivoire" stay whole. */
                if (next.cp == 's' || next.cp == 'S') {
                    ch after = peek(sc, j + c.n + next.n);
                    if (!after.n || !(after.cls & (ALNUM | WTI_CH_MARK)))
                        break;
                }
                fold_append(sc, &c);
                j += c.n;
                continue;
            }
            break;
        }
        if (c.cls & WTI_CH_HYPHEN) {
            if ((last & ALNUM) && next.n && (next.cls & ALNUM)) {
                fold_append(sc, &c);
                j += c.n;
                hyphenated = 1;
                continue;
            }
            break;
        }
        if (c.cls & WTI_CH_PERIOD) {
            ch after = next.n ? peek(sc, j + c.n + next.n) : next;
            /* U.S., U.N., U.S.A.: single letters each followed by a period. */
            if (chars == 1 && letters == 1 && next.n && (next.cls & WTI_CH_LETTER) && after.n &&
                (after.cls & WTI_CH_PERIOD)) {
                while (c.n && (c.cls & WTI_CH_PERIOD)) {
                    fold_append(sc, &c);
                    j += c.n;
                    next = peek(sc, j);
                    after = next.n ? peek(sc, j + next.n) : next;
                    if (!(next.n && (next.cls & WTI_CH_LETTER) && after.n &&
                          (after.cls & WTI_CH_PERIOD)))
                        break;
                    letters++;
                    if (next.cls & WTI_CH_UPPER)
                        uppers++;
                    if (next.cls & WTI_CH_LOWER)
                        lowers++;
                    fold_append(sc, &next);
                    j += next.n;
                    c = peek(sc, j);
                }
                dotted = 1;
                /* "U.S.-led" goes on as one hyphenated word. */
                c = peek(sc, j);
                next = c.n ? peek(sc, j + c.n) : c;
                if (c.n && (c.cls & WTI_CH_HYPHEN) && next.n && (next.cls & ALNUM)) {
                    fold_append(sc, &c);
                    j += c.n;
                    hyphenated = 1;
                    dotted = 0;
                    last = WTI_CH_LETTER;
                    continue;
                }
                break;
            }
            /* 3.5, 1.25 */
            if ((last & WTI_CH_DIGIT) && next.n && (next.cls & WTI_CH_DIGIT)) {
                fold_append(sc, &c);
                j += c.n;
                continue;
            }
            /* Mr., Corp., Jan. and initials such as the W. of George W. Bush. */
            if ((letters == 1 && chars == 1 && uppers == 1) || is_abbrev(sc, fold_start)) {
                fold_append(sc, &c);
                j += c.n;
                dotted = 1;
            }
            break;
        }
        if (c.cp == ',' && (last & WTI_CH_DIGIT)) {
            /* 1,000 and 25,000,000: a comma followed by exactly three digits. */
            /* Step by decoded length: j + 2 may fall inside a multi-byte character. */
            ch d1 = next;
            ch d2 = d1.n ? peek(sc, j + 1 + d1.n) : d1;
            ch d3 = d2.n ? peek(sc, j + 1 + d1.n + d2.n) : d2;
            ch d4 = d3.n ? peek(sc, j + 1 + d1.n + d2.n + d3.n) : d3;
            if ((d1.cls & WTI_CH_DIGIT) && (d2.cls & WTI_CH_DIGIT) && (d3.cls & WTI_CH_DIGIT) &&
                !(d4.cls & WTI_CH_DIGIT)) {
                fold_append(sc, &c);
                j += c.n;
                continue;
            }
            break;
        }
        if (c.cp == '&' && (last & WTI_CH_UPPER) && next.n && (next.cls & WTI_CH_UPPER)) {
            /* AT&T, S&P, M&A */
            fold_append(sc, &c);
            j += c.n;
            continue;
        }
        break;
    }

    wti_mask cls = WTI_BIT(WTI_C_WORD);
    if (first & WTI_CH_DIGIT)
        cls |= WTI_BIT(WTI_C_NUMBER);
    if (first & WTI_CH_UPPER)
        cls |= WTI_BIT(WTI_C_CAP);
    if (first & WTI_CH_LOWER)
        cls |= WTI_BIT(WTI_C_LOWER);
    if (letters >= 2 && lowers == 0 && uppers >= 2)
        cls |= WTI_BIT(WTI_C_UPPER);
    if (letters == 1 && uppers == 1 && chars == 1)
        cls |= WTI_BIT(WTI_C_INITIAL);
    if (upper_after_first && lowers > 0)
        cls |= WTI_BIT(WTI_C_MIXED);
    if (hyphenated)
        cls |= WTI_BIT(WTI_C_HYPHENATED);
    if (dotted)
        cls |= WTI_BIT(WTI_C_DOTTED);
    tok->cls |= cls;
    return j;
}

static inline uint64_t token_hash(const wti_token *tok)
{
    return (uint64_t)tok->hash_hi << 32 | tok->hash;
}

static int is_sentence_end(const wti_tokens *t, const wti_token *tok)
{
    if (!(tok->cls & WTI_BIT(WTI_C_PUNCT)) || tok->fold_len != 1)
        return 0;
    char c = t->fold.data[tok->fold];
    return c == '.' || c == '!' || c == '?';
}

/* A token's word in the vocabulary: its id, its classes and its trie flags. The folded text
 * has room for reading 8 bytes from any token's form. Looking a token up twice changes
 * nothing. */
static inline void look_up(const wti_vocab *v, const char *fold, wti_token *tok)
{
    const wti_mask looked_up =
        WTI_BIT(WTI_C_WORD) | WTI_BIT(WTI_C_PUNCT) | WTI_BIT(WTI_C_POSSESSIVE);
    if (!(tok->cls & looked_up))
        return;
    const char *f = fold + tok->fold;
    uint16_t long_bit;
    uint64_t key = wti_vocab_key_padded(f, tok->fold_len, token_hash(tok), &long_bit);
    const wti_vocab_slot *sl =
        wti_vocab_lookup_key(v, key, long_bit, f, tok->fold_len, token_hash(tok));
    if (sl) {
        tok->word = sl->id;
        tok->cls |= wti_vocab_slot_classes(v, sl);
        tok->trie = sl->trie;
    }
}

/* Second pass over the tokens of one field: each token's word in the vocabulary (the
 * tokenizer asked for its slot as it finished the word), and sentences. */
static void annotate(const wti_tokenizer *tz, wti_tokens *t, size_t first)
{
    /* Locals for what the loop reads: stores to tokens could otherwise be taken for stores
     * to the array's own fields. */
    wti_token *tv = t->v;
    const size_t n = t->n;
    const char *fold = t->fold.data;
    const wti_vocab *v = tz->vocab && tz->vocab->n ? tz->vocab : NULL;
    const wti_mask abbrev_prefix = tz->abbrev_prefix, not_name = tz->not_name;
    /* Sentences: after . ! ? (quotes and brackets in between), at line starts, and after an
     * abbreviation that cannot precede a name when a sentence-opening word follows. */
    int pending = 1;
    size_t sentences = 0;
    for (size_t k = first; k < n; k++) {
        wti_token *tok = &tv[k];
        if (v)
            look_up(v, fold, tok);
        wti_mask c = tok->cls;
        if (c & WTI_BIT(WTI_C_LINE_START))
            pending = 1;
        if (pending && (c & WTI_BIT(WTI_C_WORD))) {
            c |= WTI_BIT(WTI_C_SENT_START);
            sentences++;
            pending = 0;
        }
        if (is_sentence_end(t, tok)) {
            pending = 1;
        } else if ((c & WTI_BIT(WTI_C_DOTTED)) && !(c & abbrev_prefix) &&
                   !(c & WTI_BIT(WTI_C_INITIAL)) && k + 1 < n) {
            wti_token *nx = &tv[k + 1];
            if (v)
                look_up(v, fold, nx); /* (its classes are needed now) */
            if ((nx->cls & WTI_BIT(WTI_C_CAP)) && (nx->cls & not_name))
                pending = 1;
        }
        tok->cls = c;
    }
    t->sentences += sentences;
}

/* The line of tokens [line, end) is complete: its last token ends the line, and the whole
 * line is a headline (or a dateline) when its cased words are (nearly) all in capitals:
 * `cased` words begin with a letter, `caps` of them are all capitals or an initial. */
static void end_line(wti_tokens *t, size_t line, size_t end, unsigned cased, unsigned caps)
{
    if (end == line)
        return;
    t->v[end - 1].cls |= WTI_BIT(WTI_C_LINE_END);
    int headline = (cased >= 2 && caps * 10 >= cased * 8) ||
                   (cased == 1 && caps == 1 && end - line >= 2);
    if (headline)
        for (size_t k = line; k < end; k++)
            t->v[k].cls |= WTI_BIT(WTI_C_HEADLINE);
}

int wti_tokenize(const wti_tokenizer *tz, const char *text, size_t len, unsigned field,
                 wti_tokens *out)
{
    scanner sc = {tz, tz->ft->e, (const unsigned char *)text, len, out};
    size_t first = out->n;
    /* Folded ASCII takes as many bytes as the text; other text grows the buffer as needed. */
    if (wti_buf_reserve(&out->fold, len + 64) < 0)
        return -1;
    /* Tokens: about one per five bytes of news text; the array grows if needed. */
    if (out->cap < out->n + len / 5 + 16) {
        size_t cap = out->n + len / 5 + 16;
        wti_token *v = realloc(out->v, cap * sizeof *v);
        if (!v)
            return -1;
        out->v = v;
        out->cap = cap;
    }
    /* Each word's vocabulary slot is asked for as the word ends (a table of one slot will do
     * while the vocabulary is empty). */
    static const wti_vocab_slot no_slots[1];
    const wti_vocab_slot *slots = tz->vocab && tz->vocab->nslots ? tz->vocab->slots : no_slots;
    uint64_t slot_mask = tz->vocab && tz->vocab->nslots ? tz->vocab->nslots - 1 : 0;
    wti_mask pending = WTI_BIT(WTI_C_LINE_START);
    size_t line = first; /* the current line's first token */
    unsigned cased = 0, caps = 0;
    size_t i = 0;
    const unsigned char *s = sc.s;
    while (i < len) {
        if (s[i] == ' ') { /* most often, one space between words */
            pending |= WTI_BIT(WTI_C_SPACE_BEFORE);
            if (++i == len)
                break;
        }
        ch c = peek(&sc, i);
        if (c.cls & WTI_CH_NEWLINE) {
            pending |= WTI_BIT(WTI_C_LINE_START) | WTI_BIT(WTI_C_SPACE_BEFORE);
            i += c.n;
            continue;
        }
        if (c.cls & WTI_CH_SPACE) {
            pending |= WTI_BIT(WTI_C_SPACE_BEFORE);
            i += c.n;
            continue;
        }
        if (pending & WTI_BIT(WTI_C_LINE_START)) {
            end_line(out, line, out->n, cased, caps);
            line = out->n;
            cased = caps = 0;
        }
        wti_token *tok = push_token(&sc, i, field, pending);
        if (!tok)
            return -1;
        pending = 0;
        uint64_t h = 0;
        size_t short_end;
        if ((c.cls & ALNUM) && (short_end = short_ascii_word(&sc, i, tok, &h)) != 0) {
            i = short_end;
        } else if (c.cls & (ALNUM | WTI_CH_MARK)) {
            i = scan_word(&sc, i, tok);
            h = 0;
        } else if ((c.cls & WTI_CH_APOS) && out->n - 1 > first && tok[-1].end == i &&
                   (tok[-1].cls & WTI_BIT(WTI_C_WORD))) {
            const wti_token *prev = tok - 1;
            /* A possessive split off the word before: 's, or ' after a plural in s. */
            ch next = peek(&sc, i + c.n);
            /* (A word of marks alone, such as a zero-width joiner, folds to nothing.) */
            char last = prev->fold_len ? out->fold.data[prev->fold + prev->fold_len - 1] : 0;
            if (next.n && (next.cp == 's' || next.cp == 'S')) {
                fold_append(&sc, &c);
                fold_append(&sc, &next);
                i += c.n + next.n;
                tok->cls |= WTI_BIT(WTI_C_POSSESSIVE);
            } else {
                fold_append(&sc, &c);
                i += c.n;
                tok->cls |= WTI_BIT(WTI_C_PUNCT);
                if (last == 's')
                    tok->cls |= WTI_BIT(WTI_C_POSSESSIVE);
            }
        } else {
            fold_append(&sc, &c);
            i += c.n;
            tok->cls |= WTI_BIT(WTI_C_PUNCT);
            if (c.cls & (WTI_CH_QUOTE | WTI_CH_APOS))
                tok->cls |= WTI_BIT(WTI_C_QUOTE);
            else if (c.cp == '(' || c.cp == '[' || c.cp == '{')
                tok->cls |= WTI_BIT(WTI_C_OPEN);
            else if (c.cp == ')' || c.cp == ']' || c.cp == '}')
                tok->cls |= WTI_BIT(WTI_C_CLOSE);
        }
        tok->end = (uint32_t)i;
        tok->fold_len = (uint32_t)(out->fold.len - tok->fold);
        if (!h) /* (the short word's hash is in hand; 0 stands for "not yet") */
            h = wti_hash(out->fold.data + tok->fold, tok->fold_len);
        tok->hash = (uint32_t)h;
        tok->hash_hi = (uint32_t)(h >> 32);
        __builtin_prefetch(&slots[h & slot_mask]);
        if (tok->cls & (WTI_BIT(WTI_C_CAP) | WTI_BIT(WTI_C_LOWER))) {
            cased++;
            caps += (tok->cls & (WTI_BIT(WTI_C_UPPER) | WTI_BIT(WTI_C_INITIAL))) != 0;
        }
    }
    end_line(out, line, out->n, cased, caps);
    if (out->fold.failed) /* (a fold that ran out of memory wrote nothing) */
        return -1;
    /* Room to read 8 bytes from the last token's folded form (annotate). */
    if (wti_buf_reserve(&out->fold, 8) < 0)
        return -1;
    if (out->n > first)
        annotate(tz, out, first);
    return out->fold.failed ? -1 : 0;
}
