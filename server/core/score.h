/* Confidence and relevance: the documented formulas (README.md, "Scores"). */
#ifndef WTI_SCORE_H
#define WTI_SCORE_H

#include "doc.h"
#include "resolve.h"

/* Sets the confidence of every selected candidate of gazetteer origin (rules and
 * document-level steps set their own). */
void wti_score_mentions(wti_doc *d, const wti_resolution *res);

/* Entity confidence from its mentions' confidences: 1 - (1 - max) * 0.85^(mentions - 1). */
float wti_score_entity_confidence(float max_conf, size_t mentions);

/* Relevance in [0, 1]:
 *   0.45 * ln(1 + mentions) / ln(1 + most mentions of any entity)
 * + 0.25 * (1 - offset of the first mention in the text / text length)
 * + 0.20 * (named in the title)
 * + 0.10 * (named in the lead: the first two sentences of the text). */
float wti_score_relevance(size_t mentions, size_t max_mentions, double first_pos, int in_title,
                          int in_lead);

#endif
