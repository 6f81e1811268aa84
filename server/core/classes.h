/* Token classes: the bits rules test. The built-in ones are computed by the tokenizer and the
 * gazetteer matcher; the data adds its own (lexicon classes, regex classes) above them. */
#ifndef WTI_CLASSES_H
#define WTI_CLASSES_H

#include <stddef.h>
#include <stdint.h>

#define WTI_CLASS_LIST(X)                                                                       \
    X(CAP, "cap")                       /* first character is an upper-case letter */          \
    X(UPPER, "upper")                   /* two or more letters, all upper case */              \
    X(LOWER, "lower")                   /* first character is a lower-case letter */           \
    X(INITIAL, "initial")               /* one upper-case letter, with or without a period */  \
    X(NUMBER, "number")                 /* starts with a digit */                              \
    X(WORD, "word")                     /* has a letter or a digit */                          \
    X(PUNCT, "punct")                   /* punctuation or symbol */                            \
    X(HYPHENATED, "hyphenated")         /* word with an inner hyphen */                        \
    X(DOTTED, "dotted")                 /* word that ends with its period: U.S., Mr., Corp. */ \
    X(MIXED, "mixed")                   /* upper case after the first letter: McCain, iPhone */\
    X(POSSESSIVE, "possessive")         /* 's or ' split off a word */                          \
    X(QUOTE, "quote")                   /* a quotation mark */                                  \
    X(OPEN, "open")                     /* ( [ { */                                             \
    X(CLOSE, "close")                   /* ) ] } */                                             \
    X(SENT_START, "sentence_start")     /* first token of a sentence */                        \
    X(LINE_START, "line_start")         /* first token of a line */                             \
    X(LINE_END, "line_end")             /* last token of a line */                              \
    X(HEADLINE, "headline")             /* in an all-capitals line: case is no evidence */     \
    X(SPACE_BEFORE, "space_before")     /* whitespace precedes the token */                    \
    X(GAZ_PERSON, "gaz_person")         /* inside a gazetteer match of type person */          \
    X(GAZ_ORGANIZATION, "gaz_organization")                                                     \
    X(GAZ_COUNTRY, "gaz_country")                                                               \
    X(GAZ_TREATY, "gaz_treaty")                                                                 \
    X(GAZ_PLACE, "gaz_place")                                                                   \
    X(GAZ_OTHER, "gaz_other")                                                                   \
    X(GAZ_ADJ, "gaz_adj")               /* a demonym or adjective of a country */              \
    X(GAZ_STOP, "gaz_stop")             /* inside a stop phrase */                              \
    X(GAZ_START, "gaz_start")           /* first token of a gazetteer match */                 \
    X(GAZ_END, "gaz_end")               /* last token of a gazetteer match */                  \
    X(SEEN_LOWER, "seen_lower")         /* the word also occurs in lower case in the document */\
    X(SEEN_CAP_MID, "seen_cap_mid")     /* it occurs capitalised mid-sentence in the document */\
    X(EDGE, "edge")                     /* the virtual token before and after every line */

enum {
#define WTI_CLASS_ENUM(e, name) WTI_C_##e,
    WTI_CLASS_LIST(WTI_CLASS_ENUM)
#undef WTI_CLASS_ENUM
        WTI_C__BUILTIN
};

/* Class sets: one bit per class, built-in ones first. */
__extension__ typedef unsigned __int128 wti_mask;

#define WTI_BIT(c)      ((wti_mask)1 << (c))
#define WTI_MAX_CLASSES 128

/* Name of a built-in class, or NULL. */
const char *wti_builtin_class_name(unsigned c);

#endif
