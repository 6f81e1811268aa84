/* Parser of lexicon files (*.lex): "@class NAME" starts a list of single-token words. */
#include <string.h>

#include "classes.h"
#include "stage.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int valid_class_name(const char *s, size_t n)
{
    if (n == 0 || n > 40)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

int wti_lexicon_parse(wti_stage *st, const char *name, const char *data, size_t len,
                      wt_error *err)
{
    const char *p = data, *end = data + len;
    long line = 0;
    int cls = -1;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        line++;
        const char *b = p;
        while (b < e && is_space(*b))
            b++;
        while (e > b && is_space(e[-1]))
            e--;
        p = nl ? nl + 1 : end;
        if (b == e || *b == '#')
            continue;
        size_t n = (size_t)(e - b);
        if (memchr(b, '\0', n)) {
            wti_data_error(err, WT_E_DATA_SYNTAX, name, line, "NUL byte in line");
            return -1;
        }
        if (n >= 6 && strncmp(b, "@class", 6) == 0 && (n == 6 || is_space(b[6]))) {
            const char *c = b + 6;
            while (c < e && is_space(*c))
                c++;
            if (!valid_class_name(c, (size_t)(e - c))) {
                wti_data_error(err, WT_E_DATA_SYNTAX, name, line,
                               "@class needs one name of a-z 0-9 _ (at most 40 characters)");
                return -1;
            }
            char cname[48];
            memcpy(cname, c, (size_t)(e - c));
            cname[e - c] = '\0';
            for (unsigned k = 0; k < WTI_C__BUILTIN; k++)
                if (strcmp(wti_builtin_class_name(k), cname) == 0) {
                    wti_data_error(err, WT_E_DATA_SYNTAX, name, line,
                                   "class '%s' is built in and cannot be listed", cname);
                    return -1;
                }
            cls = wti_stage_class(st, cname, 1);
            if (cls < 0) {
                wti_data_error(err, WT_E_DATA_LIMIT, name, line,
                               "too many classes (at most %d with the built-in ones)",
                               WTI_MAX_CLASSES);
                return -1;
            }
            continue;
        }
        if (*b == '@') {
            wti_data_error(err, WT_E_DATA_SYNTAX, name, line,
                           "unknown directive (a lexicon knows only @class)");
            return -1;
        }
        if (cls < 0) {
            wti_data_error(err, WT_E_DATA_SYNTAX, name, line,
                           "word before any @class line");
            return -1;
        }
        for (const char *q = b; q < e; q++)
            if (is_space(*q)) {
                wti_data_error(err, WT_E_DATA_SYNTAX, name, line,
                               "a lexicon word is a single token; '%.*s' has a space", (int)n,
                               b);
                return -1;
            }
        wti_stage_word w = {wti_arena_strndup(&st->arena, b, n), (unsigned)cls, name, line};
        if (!w.text || wti_grow((void **)&st->words, &st->capwords, st->nwords, sizeof w) < 0) {
            wti_data_error(err, WT_E_NOMEM, name, line, "out of memory");
            return -1;
        }
        st->words[st->nwords++] = w;
    }
    return 0;
}
