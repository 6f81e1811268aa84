/* The scoring formulas, in one place. */
#include "score.h"

#include <math.h>

#include "classes.h"
#include "stage.h"

/* Base confidence of a gazetteer mention by the form of the name that matched. */
static float form_confidence(unsigned form)
{
    switch (form) {
        case WT_FORM_NAME: return 0.95f;
        case WT_FORM_ALIAS: return 0.92f;
        case WT_FORM_ACRONYM: return 0.90f;
        case WT_FORM_ADJECTIVAL: return 0.90f;
        default: return 0.85f;
    }
}

void wti_score_mentions(wti_doc *d, const wti_resolution *res)
{
    for (size_t o = 0; o < res->norder; o++) {
        wti_cand *c = &d->c[res->order[o]];
        if (c->source != WTI_SRC_GAZETTEER)
            continue;
        float conf = form_confidence(c->form);
        /* Another entry shares the name and @prefer did not choose this one. */
        if ((c->flags & WTI_CAND_AMBIGUOUS) && !(c->flags & WTI_CAND_PREFERRED))
            conf *= 0.8f;
        /* In an all-capitals line case says nothing. */
        if (d->toks.v[c->tok_start].cls & WTI_BIT(WTI_C_HEADLINE))
            conf *= 0.95f;
        c->conf = conf;
    }
}

float wti_score_entity_confidence(float max_conf, size_t mentions)
{
    float c = 1.0f - (1.0f - max_conf) * powf(0.85f, (float)(mentions ? mentions - 1 : 0));
    return c > 1.0f ? 1.0f : c;
}

float wti_score_relevance(size_t mentions, size_t max_mentions, double first_pos, int in_title,
                          int in_lead)
{
    double count = max_mentions ? log1p((double)mentions) / log1p((double)max_mentions) : 0.0;
    double pos = first_pos < 0.0 ? 0.0 : 1.0 - (first_pos > 1.0 ? 1.0 : first_pos);
    double r = 0.45 * count + 0.25 * pos + 0.20 * (in_title != 0) + 0.10 * (in_lead != 0);
    return (float)(r < 0.0 ? 0.0 : r > 1.0 ? 1.0 : r);
}
