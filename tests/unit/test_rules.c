/* The rule language and document-level resolution: every syntax error is located as
 * file:line; each construct matches what it should; short forms, acronym definitions and
 * repeated names resolve to one entity; context decides between readings. */
#include <stdlib.h>

#include "check.h"
#include "wiretag/tag.h"
#include "wiretag/tagger.h"

static const char lex[] = "@class title\nPresident\nMinister\nchief\n"
                          "@class title_mod\nForeign\n"
                          "@class given\nMichael\nAnna\nJohn\n"
                          "@class report_verb\nsaid\n"
                          "@class not_name\nThe\nHe\n"
                          "@class org_head\nParty\nBank\n"
                          "@class sport\nsoccer\n";

static const char gaz[] = "country:JO | Jordan | adj:Jordanian | iso2=JO\n"
                          "country:GE | Georgia | adj:Georgian | iso2=GE\n"
                          "place:georgia-us | Georgia | | kind=state\n"
                          "@prefer country:GE Georgia\n"
                          "place:leeds | Leeds | | kind=city\n"
                          "organization:leeds-united | Leeds United | Leeds | kind=club\n"
                          "@prefer place:leeds Leeds\n"
                          "country:RU | Russia | | iso2=RU\n";

static const char rules[] =
    "# test rules\n"
    "class name = cap&!not_name&!title&!title_mod&!org_head\n"
    "document sports = sport\n"
    "line numbered = number min=2\n"
    "class score = number /^\\d+-\\d+$/\n"
    "macro fullname = name name{0,2}\n"
    "rule p.title person 0.9 = <role title_mod* title> [@fullname]\n"
    "rule p.given person 0.85 = [name&given name]\n"
    "rule p.said person 0.8 = !name [name] \"said\"\n"
    "rule o.head organization 0.85 = [name{1,3} cap&org_head]\n"
    "rule o.table organization 0.8 over place = edge [name] number&numbered\n"
    "rule o.club organization 0.8 over place = [gaz_organization&gaz_place&sports]\n"
    "rule x.score none 0.9 = [score]\n";

static wt_tagger *load(const char *rules_text, wt_error *err)
{
    const char *names[] = {"t.lex", "t.gaz", "t.rules"};
    const char *bufs[] = {lex, gaz, rules_text};
    size_t lens[] = {sizeof lex - 1, sizeof gaz - 1, strlen(rules_text)};
    return wt_tagger_load_buffers(names, bufs, lens, 3, err);
}

static const char *rule_error(const char *text)
{
    static wt_error err;
    wt_tagger *t = load(text, &err);
    if (t) {
        wt_tagger_free(t);
        return "";
    }
    return err.message;
}

/* "rule r person 0.9 = [((...(cap)...))]" with `levels` levels of brackets in all. */
static const char *nested_rule(int levels)
{
    static char buf[16000];
    int n = snprintf(buf, sizeof buf, "rule r person 0.9 = [");
    for (int i = 1; i < levels; i++)
        buf[n++] = '(';
    n += snprintf(buf + n, sizeof buf - (size_t)n, "cap");
    for (int i = 1; i < levels; i++)
        buf[n++] = ')';
    snprintf(buf + n, sizeof buf - (size_t)n, "]\n");
    return buf;
}

static void syntax(void)
{
    CHECK_STR(rule_error(rules), "");
    CHECK_STR(rule_error("\n\nfrob x\n"),
              "t.rules:3: unknown statement 'frob' (class, line, document, macro, rule, disable)");
    CHECK_STR(rule_error("class Bad = cap\n"), "t.rules:1: class name 'Bad' must be of a-z 0-9 _");
    CHECK_STR(rule_error("class x = cap\nclass x = lower\n"), "t.rules:2: class 'x' is already defined");
    CHECK_STR(rule_error("class x = capp\n"), "t.rules:1: unknown class 'capp'");
    CHECK_CONTAINS(rule_error("class x = number /(/\n"), "t.rules:1: bad regular expression:");
    CHECK_STR(rule_error("class x = number /a/g\n"), "t.rules:1: unknown regex flag (only i)");
    CHECK_STR(rule_error("line x = cap min=0\n"), "t.rules:1: expected: line NAME = TEST [min=N]");
    CHECK_STR(rule_error("rule r person 0.9 = cap\n"), "t.rules:1: rule 'r' has no [ ] entity span");
    CHECK_STR(rule_error("rule r person 0.9 = [cap] [cap]\n"),
              "t.rules:1: a rule has exactly one [ ] entity span");
    CHECK_STR(rule_error("rule r person 0.9 = [cap\n"), "t.rules:1: missing ']'");
    CHECK_STR(rule_error("rule r person 0.9 = ([cap]\n"), "t.rules:1: missing ')'");
    CHECK_STR(rule_error("rule r person 0.9 = [cap]{2}\n"), "t.rules:1: unexpected '{' in pattern");
    /* Nesting is bounded (the parser recurses per level): 32 levels load, 33 do not, and
     * 5,000 fail cleanly instead of exhausting the stack. */
    CHECK_STR(rule_error(nested_rule(32)), "");
    CHECK_STR(rule_error(nested_rule(33)), "t.rules:1: groups nested deeper than 32");
    CHECK_STR(rule_error(nested_rule(5000)), "t.rules:1: groups nested deeper than 32");
    CHECK_STR(rule_error("rule r person 0.9 = [cap{17}]\n"),
              "t.rules:1: bad repetition {m,n} (0 <= m <= n <= 16, n > 0)");
    CHECK_STR(rule_error("rule r city 0.9 = [cap]\n"),
              "t.rules:1: unknown type 'city' (person, organization, country, treaty, place, "
              "other, none)");
    CHECK_STR(rule_error("rule r person 1.5 = [cap]\n"),
              "t.rules:1: confidence '1.5' must be a number in (0, 1]");
    CHECK_STR(rule_error("rule r person 0.5 over town = [cap]\n"),
              "t.rules:1: unknown type 'town' after over");
    CHECK_STR(rule_error("rule r person 0.9 = [@nope]\n"), "t.rules:1: unknown macro '@nope'");
    CHECK_STR(rule_error("rule r person 0.9 = [cap]\nrule r person 0.9 = [lower]\n"),
              "t.rules:2: rule 'r' is defined twice");
    CHECK_STR(rule_error("disable nothing\n"), "t.rules:1: disable names unknown rule 'nothing'");
    CHECK_STR(rule_error("rule r person 0.9 = [cap \\\n"),
              "t.rules:1: file ends inside a continued line");
    CHECK_STR(rule_error("rule r person 0.9 = [cap&\"of\"&\"in\"]\n"),
              "t.rules:1: two different literals in 'cap&\"of\"&\"in\"'");
    CHECK_STR(rule_error("rule r person 0.9 = [cap&lower&!cap]\n"),
              "t.rules:1: a class both required and excluded never matches in 'cap&lower&!cap'");
    /* A continued line is one statement; comments are cut. */
    CHECK_STR(rule_error("rule r person 0.9 = [cap \\\n  cap] # two words\n"), "");
}

/* "type:name=mention|mention ..." of every entity, in entity order; attributes by request. */
static const char *tag(wt_tagger *t, const char *title, const char *text)
{
    static char out[4096];
    wt_document doc = {text, strlen(text), title, title ? strlen(title) : 0};
    static wt_error err;
    wt_result *r = wt_tag(t, &doc, NULL, &err);
    if (!r)
        return err.message;
    size_t n, len = 0;
    out[0] = '\0';
    const wt_entity *e = wt_result_entities(r, &n);
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s:%s=", i ? "; " : "",
                                wt_type_name(e[i].type), e[i].name);
        for (size_t k = 0; k < e[i].nmentions; k++) {
            const wt_mention *m = &e[i].mentions[k];
            const char *f = m->field == WT_FIELD_TITLE ? title : text;
            len += (size_t)snprintf(out + len, sizeof out - len, "%s%.*s/%s", k ? "|" : "",
                                    (int)(m->end - m->start), f + m->start, wt_form_name(m->form));
        }
        for (size_t k = 0; k < e[i].nattrs; k++)
            if (strcmp(e[i].attrs[k].key, "role") == 0)
                len += (size_t)snprintf(out + len, sizeof out - len, " role=%s", e[i].attrs[k].value);
    }
    wt_result_free(r);
    return out;
}

static void matching(void)
{
    wt_error err;
    wt_tagger *t = load(rules, &err);
    CHECK(t != NULL);
    if (!t) {
        fprintf(stderr, "%s\n", err.message);
        return;
    }
    /* A title before a name: the span excludes the title, which becomes the role. */
    CHECK_STR(tag(t, NULL, "Foreign Minister Anna Kovac arrived."),
              "person:Anna Kovac=Anna Kovac/name role=Foreign Minister");
    /* Short forms after the full name, in the text and in an all-capitals title. */
    CHECK_STR(tag(t, "KOVAC ARRIVES", "Foreign Minister Anna Kovac arrived. Later Kovac left."),
              "person:Anna Kovac=KOVAC/short|Anna Kovac/name|Kovac/short role=Foreign Minister");
    /* Context rules and one sense per document: once "Belov said" typed Belov, it stays. */
    CHECK_STR(tag(t, NULL, "Officials met and Belov said no. Belov left."),
              "person:Belov=Belov/name|Belov/name");
    /* Head words. */
    CHECK_STR(tag(t, NULL, "the Green Valley Party won"), "organization:Green Valley Party=Green Valley Party/name");
    /* Michael Jordan the person, and Jordan the country. */
    CHECK_STR(tag(t, NULL, "Michael Jordan scored. Jordan won the game."),
              "person:Michael Jordan=Michael Jordan/name|Jordan/short");
    CHECK_STR(tag(t, NULL, "Jordan and Russia signed."), "country:Jordan=Jordan/name; country:Russia=Russia/name");
    /* Georgia: the country by @prefer. */
    CHECK_STR(tag(t, NULL, "talks in Georgia"), "country:Georgia=Georgia/name");
    /* Leeds: the city in general news, the club in a soccer document and in a results table. */
    CHECK_STR(tag(t, NULL, "a meeting in Leeds"), "");
    CHECK_STR(tag(t, "Soccer results", "Leeds beat Hull."), "organization:Leeds United=Leeds/alias");
    CHECK_STR(tag(t, NULL, "Leeds 3 4"), "organization:Leeds United=Leeds/alias");
    CHECK_STR(tag(t, NULL, "Hullbury 3 4"), "organization:Hullbury=Hullbury/name");
    /* A regular-expression class: a score is claimed by a "none" rule, so nothing is reported. */
    CHECK_STR(tag(t, NULL, "Anna Kovac won 6-3"), "person:Anna Kovac=Anna Kovac/name");
    wt_tagger_free(t);

    /* A pathological pattern stops at the step limit instead of hanging. */
    t = load("rule slow person 0.5 = [(cap* cap*)* lower]\n", &err);
    CHECK(t != NULL);
    char text[4000];
    size_t n = 0;
    for (int i = 0; i < 600; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "Ab ");
    CHECK_STR(tag(t, NULL, text), "");
    wt_tagger_free(t);

    /* A run of 80 token classes, each built on the one before: classes are evaluated in
     * chunks of 64, and a class still sees the bits its predecessors set in earlier chunks. */
    static char many[8000];
    n = (size_t)snprintf(many, sizeof many, "class c0 = cap&!not_name\n");
    for (int i = 1; i < 80; i++)
        n += (size_t)snprintf(many + n, sizeof many - n, "class c%d = c%d\n", i, i - 1);
    snprintf(many + n, sizeof many - n, "rule deep person 0.9 = [c79 c79] \"left\"\n");
    t = load(many, &err);
    CHECK(t != NULL);
    if (!t)
        fprintf(stderr, "%s\n", err.message);
    if (t) {
        CHECK_STR(tag(t, NULL, "Then Quill Marbo left."), "person:Quill Marbo=Quill Marbo/name");
        wt_tagger_free(t);
    }
}

static void acronyms(void)
{
    wt_error err;
    wt_tagger *t = load(rules, &err);
    if (!t)
        return;
    CHECK_STR(tag(t, NULL, "The Baltic Fishing Authority (BFA) said. The BFA met."),
              "organization:Baltic Fishing Authority=Baltic Fishing Authority/name|BFA/acronym|BFA/acronym");
    CHECK_STR(tag(t, NULL, "The BFA (Baltic Fishing Authority) met."),
              "organization:Baltic Fishing Authority=BFA/acronym|Baltic Fishing Authority/name");
    /* Hyphenated words give one letter per part; small words give none. */
    CHECK_STR(tag(t, NULL, "the Non-Proliferation Treaty (NPT) and the Law of the Sea (LOS)"),
              "organization:Non-Proliferation Treaty=Non-Proliferation Treaty/name|NPT/acronym; "
              "organization:Law of the Sea=Law of the Sea/name|LOS/acronym");
    /* Letters that do not spell the acronym define nothing. */
    CHECK_STR(tag(t, NULL, "The Baltic Fishing Authority (XYZ) met."), "");
    wt_tagger_free(t);
}

int main(void)
{
    syntax();
    matching();
    acronyms();
    return check_report("rules");
}
