/* A small tagger built from in-memory data, shared by the unit tests. The names are invented
 * or generic so that the tests do not depend on the bundled data. */
#ifndef WT_FIXTURE_H
#define WT_FIXTURE_H

#include "wiretag/tag.h"
#include "wiretag/tagger.h"

static const char fixture_lex[] =
    "# test lexicon\n"
    "@class abbrev\nMr.\nDr.\nGen.\nCorp.\nInc.\nSt.\nJr.\nJan.\n"
    "@class abbrev_prefix\nMr.\nDr.\nGen.\nSt.\n"
    "@class not_name\nThe\nHe\nShe\nIt\nThey\n"
    "@class title\nPresident\nMinister\nchief\n"
    "@class title_mod\nForeign\nPrime\n"
    "@class given\nAnders\nMaria\nJohn\n";

static const char fixture_gaz[] =
    "# test gazetteer\n"
    "country:RU | Russia | Russian Federation; adj:Russian; adj:Russians | iso2=RU\n"
    "country:TR | Turkey | T\xc3\xbcrkiye; adj:Turkish | iso2=TR\n"
    "country:US | United States | acronym:US; acronym:U.S.; United States of America; "
    "^America; adj:American | iso2=US\n"
    "country:CI | C\xc3\xb4te d'Ivoire | Ivory Coast | iso2=CI\n"
    "country:GW | Guinea-Bissau | | iso2=GW\n"
    "country:GN | Guinea | | iso2=GN\n"
    "country:JO | Jordan | | iso2=JO\n"
    "organization:nato | North Atlantic Treaty Organization | acronym:NATO | kind=alliance\n"
    "organization:ap | Associated Press | acronym:AP | kind=news-agency\n"
    "organization:example-bank | Example Bank | acronym:EB; ~examplebank | kind=company\n"
    "organization:peoples-bank | People's Bank of Examplia | | kind=central-bank\n"
    "person:mikulas-dzurinda | Mikul\xc3\xa1\xc5\xa1 Dzurinda | | country=SK\n"
    "person:recep-tayyip-erdogan | Recep Tayyip Erdo\xc4\x9f" "an | | country=TR\n"
    "treaty:new-start | New START | =START; new START | kind=arms-control\n"
    "place:lodz | \xc5\x81\xc3\xb3" "d\xc5\xba | | kind=city; country=PL\n"
    "place:moscow | Moscow | | kind=city; country=RU\n"
    "other:cold-war | Cold War | | kind=era\n"
    "@stop ^Breaking News\n";

static inline wt_tagger *fixture_tagger(void)
{
    const char *names[] = {"test.lex", "test.gaz"};
    const char *bufs[] = {fixture_lex, fixture_gaz};
    size_t lens[] = {sizeof fixture_lex - 1, sizeof fixture_gaz - 1};
    wt_error err;
    wt_tagger *t = wt_tagger_load_buffers(names, bufs, lens, 2, &err);
    if (!t)
        fprintf(stderr, "fixture: %s\n", err.message);
    return t;
}

#endif
