/* Folding: case, accents, the letters utf8proc keeps, typography; and character classes. */
#include <stdlib.h>

#include "check.h"
#include "fold.h"

static wti_fold_table ft;

static const char *fold(const char *s)
{
    static char out[1024];
    size_t n = wti_fold_string(&ft, s, strlen(s), out);
    out[n] = '\0';
    return out;
}

int main(void)
{
    wti_fold_table_init(&ft);
    CHECK_STR(fold("NATO"), "nato");
    CHECK_STR(fold("Mikul\xc3\xa1\xc5\xa1 Dzurinda"), "mikulas dzurinda");
    CHECK_STR(fold("Erdo\xc4\x9f" "an"), "erdogan");
    CHECK_STR(fold("\xc5\x81\xc3\xb3" "d\xc5\xba"), "lodz");                  /* Łódź */
    CHECK_STR(fold("C\xc3\xb4te d\xe2\x80\x99Ivoire"), "cote d'ivoire");   /* Côte d’Ivoire */
    CHECK_STR(fold("Stra\xc3\x9f" "e"), "strasse");                         /* ß */
    CHECK_STR(fold("\xc3\x86r\xc3\xb8" "e"), "aeroe");                      /* Ærøe */
    CHECK_STR(fold("\xc5\x92uvre"), "oeuvre");                              /* Œ */
    CHECK_STR(fold("\xc4\x90uki\xc4\x87"), "dukic");                        /* Đukić */
    CHECK_STR(fold("\xc3\x9e\xc3\xb3r"), "thor");                           /* Þór */
    CHECK_STR(fold("\xc4\xb1stanbul"), "istanbul");                         /* dotless ı */
    CHECK_STR(fold("\xef\xac\x81" "nance"), "finance");                     /* ﬁ ligature */
    CHECK_STR(fold("\xef\xbc\xa1\xef\xbc\xa2"), "ab");                      /* fullwidth ＡＢ */
    CHECK_STR(fold("\xe2\x80\x9cquoted\xe2\x80\x9d"), "\"quoted\"");        /* “ ” */
    CHECK_STR(fold("a\xe2\x80\x94" "b"), "a-b");                            /* em dash */
    CHECK_STR(fold("\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0"),
              "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0");            /* Москва */
    CHECK_STR(fold("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");                /* emoji stays */

    CHECK(wti_char_class(&ft, 'A') & WTI_CH_UPPER);
    CHECK(wti_char_class(&ft, 0x141) & WTI_CH_UPPER);     /* Ł */
    CHECK(wti_char_class(&ft, 0x0416) & WTI_CH_UPPER);    /* Ж */
    CHECK(wti_char_class(&ft, 0x00A0) & WTI_CH_SPACE);    /* no-break space */
    CHECK(wti_char_class(&ft, 0x202F) & WTI_CH_SPACE);    /* narrow no-break space */
    CHECK(wti_char_class(&ft, 0x2019) & WTI_CH_APOS);
    CHECK(wti_char_class(&ft, 0x2011) & WTI_CH_HYPHEN);   /* non-breaking hyphen */
    CHECK(wti_char_class(&ft, 0x2014) & WTI_CH_DASH);
    CHECK(wti_char_class(&ft, 0) & WTI_CH_SPACE);         /* NUL is a space */
    CHECK(wti_char_class(&ft, 0x7) & WTI_CH_SPACE);       /* so are other controls */
    CHECK(wti_char_class(&ft, '\n') & WTI_CH_NEWLINE);
    CHECK(wti_char_class(&ft, 0x4E2D) & WTI_CH_LETTER);   /* 中 */
    CHECK(wti_char_class(&ft, 0x0301) & WTI_CH_MARK);     /* combining acute */
    CHECK_INT(wti_char_class(&ft, 0x1F600), 0);           /* emoji: a symbol */
    return check_report("fold");
}
