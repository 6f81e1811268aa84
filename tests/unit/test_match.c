/* Gazetteer matching: longest match, case policies, accents, possessives, punctuation,
 * headlines, hyphenated compounds, stop phrases, overlap policy, offsets. */
#include <stdlib.h>

#include "check.h"
#include "fixture.h"
#include "hash.h"
#include "tagger_impl.h"

static wt_tagger *t;

/* "type:name=mention|mention; ..." for a text, in entity order. */
static const char *tag(const char *text)
{
    static char out[2048];
    wt_document doc = {text, strlen(text), NULL, 0};
    static wt_error err;
    wt_result *r = wt_tag(t, &doc, NULL, &err);
    out[0] = '\0';
    if (!r)
        return err.message;
    size_t n, len = 0;
    const wt_entity *e = wt_result_entities(r, &n);
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s:%s=", i ? "; " : "",
                                wt_type_name(e[i].type), e[i].name);
        for (size_t k = 0; k < e[i].nmentions; k++) {
            const wt_mention *m = &e[i].mentions[k];
            len += (size_t)snprintf(out + len, sizeof out - len, "%s%.*s", k ? "|" : "",
                                    (int)(m->end - m->start), text + m->start);
        }
    }
    wt_result_free(r);
    return out;
}

static uint32_t word_id(const char *folded)
{
    size_t n = strlen(folded);
    return wti_vocab_find(&t->vocab, folded, n, wti_hash(folded, n));
}

/* The trie flags of a folded word: what names it starts, is, leads or continues. */
static unsigned trie_flags(const char *folded)
{
    uint32_t id = word_id(folded);
    return id ? wti_vocab_trie(&t->vocab, id) & ~WTI_TRIE_FOLLOWERS : 0;
}

/* The signature of the words that follow a folded word in some name. */
static unsigned followers(const char *folded)
{
    uint32_t id = word_id(folded);
    return id ? wti_vocab_trie(&t->vocab, id) & WTI_TRIE_FOLLOWERS : 0;
}

static void check_trie_flags(void)
{
    CHECK_INT(trie_flags("russia"), WTI_TRIE_STARTS | WTI_TRIE_NAME);
    CHECK_INT(trie_flags("russian"), WTI_TRIE_STARTS | WTI_TRIE_NAME | WTI_TRIE_LEADS);
    CHECK_INT(trie_flags("united"), WTI_TRIE_STARTS | WTI_TRIE_LEADS);
    CHECK_INT(trie_flags("states"), WTI_TRIE_CONTINUES);
    CHECK_INT(trie_flags("of"), WTI_TRIE_CONTINUES);
    CHECK_INT(trie_flags("guinea"), WTI_TRIE_STARTS | WTI_TRIE_NAME);
    CHECK_INT(trie_flags("guinea-bissau"), WTI_TRIE_STARTS | WTI_TRIE_NAME);
    CHECK_INT(trie_flags("start"), WTI_TRIE_STARTS | WTI_TRIE_NAME | WTI_TRIE_CONTINUES);
    CHECK_INT(trie_flags("nowhere"), 0);
    /* "States" follows "United" in a name; nothing follows a word that leads none. */
    CHECK(followers("united") & wti_trie_follow_bit(word_id("states")));
    CHECK(followers("united") != 0 && (followers("united") & ~WTI_TRIE_FOLLOWERS) == 0);
    CHECK_INT(followers("russia"), 0);
    CHECK_INT(followers("states"), 0);
}

/* The edge filter has at least eight bits per edge and every edge's bit, so that a step it
 * refuses is really no edge: each edge of the table is still found through the filter. */
static void check_edge_filter(void)
{
    const wti_trie *tr = &t->trie;
    CHECK(tr->filter != NULL && tr->nedges > 0);
    CHECK(tr->filter_mask + 1 >= tr->nedges * 8);
    size_t edges = 0, found = 0;
    for (size_t i = 0; i < tr->nslots; i++) {
        if (!tr->slots[i])
            continue;
        uint32_t child = (uint32_t)tr->slots[i];
        const wti_trie_node *c = &tr->nodes[child];
        edges++;
        found += wti_trie_step(tr, &t->vocab, c->parent, c->word) == child;
    }
    CHECK_INT(edges, tr->nedges);
    CHECK_INT(found, edges);
    /* "United States" is an edge; "States United" is none. */
    uint32_t united = word_id("united"), states = word_id("states");
    uint32_t node = wti_trie_step(tr, &t->vocab, 0, united);
    CHECK(node && wti_trie_step(tr, &t->vocab, node, states));
    uint32_t snode = wti_trie_step(tr, &t->vocab, 0, states);
    CHECK(!snode || !wti_trie_step(tr, &t->vocab, snode, united));
}

int main(void)
{
    t = fixture_tagger();
    if (!t)
        return 1;
    check_trie_flags();
    check_edge_filter();
    /* Longest match wins: Guinea-Bissau is not Guinea; United States of America is one. */
    CHECK_STR(tag("Guinea-Bissau and Guinea"), "country:Guinea-Bissau=Guinea-Bissau; country:Guinea=Guinea");
    CHECK_STR(tag("the United States of America"), "country:United States=United States of America");
    /* Capitalised-only: Turkey the country, not the bird. */
    CHECK_STR(tag("a turkey for Turkey"), "country:Turkey=Turkey");
    CHECK_STR(tag("TURKEY WINS"), "country:Turkey=TURKEY");
    /* Exact case: START but not start or Start. */
    CHECK_STR(tag("They start talks on START."), "treaty:New START=START");
    CHECK_STR(tag("Start here"), "");
    CHECK_STR(tag("the new START treaty"), "treaty:New START=new START");
    CHECK_STR(tag("AP reported, said the ap"), "organization:Associated Press=AP");
    /* Any case. */
    CHECK_STR(tag("EXAMPLEBANK and examplebank"), "organization:Example Bank=EXAMPLEBANK|examplebank");
    /* Accents and typography are folded both ways. */
    CHECK_STR(tag("Mikulas Dzurinda met Recep Tayyip Erdogan"),
              "person:Mikul\xc3\xa1\xc5\xa1 Dzurinda=Mikulas Dzurinda; "
              "person:Recep Tayyip Erdo\xc4\x9f" "an=Recep Tayyip Erdogan");
    CHECK_STR(tag("Cote d\xe2\x80\x99Ivoire and C\xc3\xb4te d'Ivoire"),
              "country:C\xc3\xb4te d'Ivoire=Cote d\xe2\x80\x99Ivoire|C\xc3\xb4te d'Ivoire");
    /* Possessives and punctuation stay outside the span. */
    CHECK_STR(tag("Russia's army (NATO), \"Russia\""), "country:Russia=Russia|Russia; organization:North Atlantic Treaty Organization=NATO");
    /* A name with a possessive inside it. */
    CHECK_STR(tag("the People\xe2\x80\x99s Bank of Examplia said"),
              "organization:People's Bank of Examplia=People\xe2\x80\x99s Bank of Examplia");
    /* Adjectival forms, and compounds with a hyphen. */
    CHECK_STR(tag("Russian troops"), "country:Russia=Russian");
    CHECK_STR(tag("the US-led and Russian-made"), "country:United States=US; country:Russia=Russian");
    CHECK_STR(tag("U.S.-based firms"), "country:United States=U.S.");
    /* Places and others claim their text but are not reported. */
    CHECK_STR(tag("Moscow warned of a new Cold War"), "");
    /* Stop phrases are never tagged. */
    CHECK_STR(tag("Breaking News: Russia"), "country:Russia=Russia");
    /* A name does not run across a line break. */
    CHECK_STR(tag("Ivory\nCoast"), "");
    /* Emoji and other text never break matching. */
    CHECK_STR(tag("\xf0\x9f\x98\x80 Russia"), "country:Russia=Russia");

    /* Invalid UTF-8 is an error with the byte offset. */
    wt_error err;
    wt_document bad = {"ok \xc3(", 5, NULL, 0};
    CHECK(wt_tag(t, &bad, NULL, &err) == NULL);
    CHECK_INT(err.code, WT_E_INVALID_UTF8);
    CHECK_INT(err.offset, 3);
    CHECK_STR(err.file, "text");
    /* Text over the per-document limit. */
    wt_options o = {0, 4};
    wt_document big = {"Russia", 6, NULL, 0};
    CHECK(wt_tag(t, &big, &o, &err) == NULL);
    CHECK_INT(err.code, WT_E_TEXT_TOO_LARGE);
    /* Empty text is valid and finds nothing. */
    wt_document empty = {"", 0, NULL, 0};
    wt_result *r = wt_tag(t, &empty, NULL, &err);
    CHECK(r != NULL);
    size_t n;
    wt_result_entities(r, &n);
    CHECK_INT(n, 0);
    wt_result_free(r);

    /* Types filter, and title mentions carry their field. */
    wt_document doc = {"Russia and NATO", 15, "TURKEY AND RUSSIA", 17};
    wt_options only = {1u << WT_COUNTRY, 0};
    r = wt_tag(t, &doc, &only, &err);
    const wt_entity *e = wt_result_entities(r, &n);
    CHECK_INT(n, 2);
    CHECK_STR(e[0].name, "Russia");
    CHECK_INT(e[0].nmentions, 2);
    CHECK_INT(e[0].mentions[0].field, WT_FIELD_TITLE);
    CHECK_INT(e[0].mentions[1].field, WT_FIELD_TEXT);
    CHECK(e[0].relevance > e[1].relevance);
    CHECK(e[0].confidence > 0.0f && e[0].confidence <= 1.0f);
    wt_result_free(r);

    wt_tagger_free(t);
    return check_report("match");
}
