/* The data loader: every error path reports file:line and a sentence; layers override, add
 * and disable entries. */
#include <stdlib.h>

#include "check.h"
#include "fixture.h"
#include "tagger_impl.h"

/* Loads one file and returns the error message ("" on success). */
static const char *load_error(const char *name, const char *data)
{
    static wt_error err;
    const char *names[] = {name};
    const char *bufs[] = {data};
    size_t lens[] = {strlen(data)};
    wt_tagger *t = wt_tagger_load_buffers(names, bufs, lens, 1, &err);
    if (t) {
        wt_tagger_free(t);
        return "";
    }
    return err.message;
}

/* Words with 32,768 different combinations of 15 classes: one more than the vocabulary keeps
 * (the empty combination is one of them). The error names the line that went over. */
static void too_many_class_sets(void)
{
    enum { CLASSES = 15, WORDS = 1 << CLASSES };
    char *lex = malloc((size_t)WORDS * CLASSES * 8 + 1024);
    size_t n = 0;
    for (int c = 0; c < CLASSES; c++) {
        n += (size_t)sprintf(lex + n, "@class k%d\n", c);
        for (int w = 1; w < WORDS; w++)
            if (w >> c & 1)
                n += (size_t)sprintf(lex + n, "w%x\n", (unsigned)w);
    }
    const char *names[] = {"many.lex"};
    const char *bufs[] = {lex};
    size_t lens[] = {n};
    wt_error err;
    wt_tagger *t = wt_tagger_load_buffers(names, bufs, lens, 1, &err);
    CHECK(t == NULL);
    if (t)
        wt_tagger_free(t);
    CHECK_CONTAINS(err.message, "more than 32767 different combinations of classes among words");
    CHECK_CONTAINS(err.message, "many.lex:");
    CHECK_INT(err.code, WT_E_DATA_LIMIT);
    /* Without the last word ("w7fff", the only one with all fifteen) it is exactly the limit. */
    CHECK(n > 6 && memcmp(lex + n - 6, "w7fff\n", 6) == 0);
    lens[0] = n - 6;
    t = wt_tagger_load_buffers(names, bufs, lens, 1, &err);
    CHECK(t != NULL);
    if (t)
        wt_tagger_free(t);
    /* At the limit, a rule file's class of literal words makes one combination more. */
    static const char rules[] = "class extra = \"w1\"\n";
    const char *names2[] = {"many.lex", "extra.rules"};
    const char *bufs2[] = {lex, rules};
    size_t lens2[] = {n - 6, strlen(rules)};
    t = wt_tagger_load_buffers(names2, bufs2, lens2, 2, &err);
    CHECK(t == NULL);
    if (t)
        wt_tagger_free(t);
    CHECK_STR(err.message,
              "extra.rules:1: more than 32767 different combinations of classes among words");
    free(lex);
}

static void syntax_errors(void)
{
    CHECK_STR(load_error("a.gaz", "country:XX | Xland\n"), "");
    CHECK_STR(load_error("a.gaz", "# c\n\ncontry:XX | Xland\n"),
              "a.gaz:3: invalid id 'contry:XX' (expected TYPE:KEY with TYPE person, "
              "organization, country, treaty, place or other, and KEY of A-Z a-z 0-9 . _ -)");
    CHECK_CONTAINS(load_error("a.gaz", "country:X X | Xland\n"), "a.gaz:1: invalid id");
    CHECK_STR(load_error("a.gaz", "country:XX\n"), "a.gaz:1: entry 'country:XX' has no canonical name");
    CHECK_STR(load_error("a.gaz", "country:XX |  \n"),
              "a.gaz:1: entry 'country:XX' has an empty canonical name");
    CHECK_STR(load_error("a.gaz", "country:XX | Xland | Ex;; Why\n"), "a.gaz:1: empty alias");
    CHECK_STR(load_error("a.gaz", "country:XX | Xland | acronim:XL\n"),
              "a.gaz:1: unknown alias form 'acronim' (use alias, name, acronym, adj or short)");
    CHECK_STR(load_error("a.gaz", "country:XX | Xland | | iso2\n"),
              "a.gaz:1: attribute 'iso2' is not key=value");
    CHECK_STR(load_error("a.gaz", "country:XX | Xland | | ISO2=XX\n"),
              "a.gaz:1: attribute key 'ISO2' is not of a-z 0-9 _");
    CHECK_STR(load_error("a.gaz", "country:XX | Xland | | iso2=\n"),
              "a.gaz:1: attribute 'iso2' has an empty value");
    CHECK_STR(load_error("a.gaz", "country:XX | X | Y | iso2=XX | extra\n"),
              "a.gaz:1: more than four fields (escape a literal | as \\|)");
    CHECK_STR(load_error("a.gaz", "country:XX | X\ncountry:XX | Y\n"),
              "a.gaz:2: duplicate id 'country:XX' (first defined at a.gaz:1)");
    CHECK_STR(load_error("a.gaz", "@frob x\n"),
              "a.gaz:1: unknown directive '@frob' (use @disable, @stop or @prefer)");
    CHECK_STR(load_error("a.gaz", "@disable country:ZZ\n"),
              "a.gaz:1: @disable names unknown id 'country:ZZ'");
    CHECK_STR(load_error("a.gaz", "@stop\n"), "a.gaz:1: @stop needs a phrase");
    CHECK_STR(load_error("a.gaz", "@prefer country:XX\n"), "a.gaz:1: @prefer needs an id and an alias");
    CHECK_STR(load_error("a.gaz", "country:XX | X\n@prefer country:XX Why\n"),
              "a.gaz:2: @prefer: no entry 'country:XX' with the alias 'Why'");
    CHECK_CONTAINS(load_error("a.gaz", "country:XX | X\xff\n"), "a.gaz:1: invalid UTF-8 at byte 14 of the file");
    CHECK_STR(load_error("a.lex", "Word\n"), "a.lex:1: word before any @class line");
    CHECK_STR(load_error("a.lex", "@class given\nTwo Words\n"),
              "a.lex:2: a lexicon word is a single token; 'Two Words' has a space");
    CHECK_STR(load_error("a.lex", "@class cap\n"),
              "a.lex:1: class 'cap' is built in and cannot be listed");
    CHECK_STR(load_error("a.lex", "@class Bad-Name\n"),
              "a.lex:1: @class needs one name of a-z 0-9 _ (at most 40 characters)");
    CHECK_STR(load_error("a.lex", "@klass x\n"), "a.lex:1: unknown directive (a lexicon knows only @class)");
    CHECK_STR(load_error("a.txt", "x"), "a.txt: not a data file (.gaz, .lex or .rules)");
    /* Escapes: a literal | and ; inside names. */
    CHECK_STR(load_error("a.gaz", "organization:x | A \\| B | C\\; D\n"), "");
}

/* Tags text and returns "type:name" of each entity joined by ", ". */
static const char *entities(const wt_tagger *t, const char *text)
{
    static char out[1024];
    wt_document doc = {text, strlen(text), NULL, 0};
    wt_result *r = wt_tag(t, &doc, NULL, NULL);
    out[0] = '\0';
    if (!r)
        return "(error)";
    size_t n;
    const wt_entity *e = wt_result_entities(r, &n);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, sizeof out - len, "%s%s:%s", i ? ", " : "", wt_type_name(e[i].type),
                 e[i].name);
    }
    wt_result_free(r);
    return out;
}

static void layering(void)
{
    const char *bundled = "country:XL | Xland | Ex Land\norganization:acme | Acme Group\n"
                          "organization:zeta | Zeta Corp\n";
    const char *user = "country:XL | Republic of Xland | Xland\n"   /* override by id */
                       "@disable organization:zeta\n"                 /* disable */
                       "organization:omega | Omega Works\n";          /* add */
    const char *names[] = {"bundled.gaz", "user.gaz"};
    const char *bufs[] = {bundled, user};
    size_t lens[] = {strlen(bundled), strlen(user)};
    /* One layer: the same id twice is an error. */
    wt_error err;
    CHECK(wt_tagger_load_buffers(names, bufs, lens, 2, &err) == NULL);
    CHECK_CONTAINS(err.message, "user.gaz:1: duplicate id 'country:XL'");

    /* Two layers through directories. */
    const char *base = getenv("WIRETAG_SOURCE_DIR");
    char d1[512], d2[512];
    snprintf(d1, sizeof d1, "%s/tests/data/layer-bundled", base ? base : ".");
    snprintf(d2, sizeof d2, "%s/tests/data/layer-user", base ? base : ".");
    const char *dirs[] = {d1, d2};
    wt_tagger *t = wt_tagger_load(dirs, 2, &err);
    CHECK(t != NULL);
    if (!t) {
        fprintf(stderr, "%s\n", err.message);
        return;
    }
    CHECK_STR(entities(t, "Xland and Ex Land and Zeta Corp and Omega Works and Acme Group."),
              "country:Republic of Xland, organization:Omega Works, organization:Acme Group");
    wt_tagger_info info;
    wt_tagger_get_info(t, &info);
    CHECK_INT(info.files, 2);
    CHECK_INT(info.entries[WT_COUNTRY], 1);
    CHECK_INT(info.entries[WT_ORGANIZATION], 2);
    CHECK_INT(strlen(info.data_id), 16);
    wt_tagger_free(t);

    const char *missing[] = {"/nonexistent/wiretag-data"};
    CHECK(wt_tagger_load(missing, 1, &err) == NULL);
    CHECK_CONTAINS(err.message, "/nonexistent/wiretag-data: cannot open data directory");
    CHECK_INT(err.code, WT_E_DATA_IO);
}

int main(void)
{
    syntax_errors();
    layering();
    too_many_class_sets();
    return check_report("loader");
}
