/* Compiling the stage into the tagger: lexicon words into the vocabulary, every name, alias and
 * stop phrase into the word trie, entries and attributes into flat arrays and one string pool. */
#include "compile.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "errors.h"
#include "hash.h"
#include "wiretag/tag.h"

/* Appends a NUL-terminated string to the pool and returns its offset, or -1. */
static int64_t pool_add(wti_buf *pool, const char *s)
{
    size_t off = pool->len;
    wti_buf_append(pool, s, strlen(s) + 1);
    if (pool->failed || off > 0xFFFFFFF0u)
        return -1;
    return (int64_t)off;
}

static wti_mask class_bit(const wt_tagger *t, const char *name)
{
    return wti_class_bit(t, name);
}

static int compile_lexicon(wt_tagger *t, const wti_stage *st, wt_error *err)
{
    char tmp[1024];
    for (size_t i = 0; i < st->nwords; i++) {
        const wti_stage_word *w = &st->words[i];
        size_t len = strlen(w->text);
        if (len * WTI_FOLD_MAX > sizeof tmp) {
            wti_data_error(err, WT_E_DATA_LIMIT, w->file, w->line, "word longer than %zu bytes",
                           sizeof tmp / WTI_FOLD_MAX);
            return -1;
        }
        size_t n = wti_fold_string(&t->fold, w->text, len, tmp);
        uint32_t id = wti_vocab_add(&t->vocab, tmp, n, wti_hash(tmp, n));
        if (!id) {
            wti_data_error(err, WT_E_NOMEM, w->file, w->line, "out of memory");
            return -1;
        }
        if (wti_vocab_add_classes(&t->vocab, id, WTI_BIT(WTI_C__BUILTIN + w->cls)) < 0) {
            if (t->vocab.nsets >= WTI_VOCAB_MAX_SETS)
                wti_data_error(err, WT_E_DATA_LIMIT, w->file, w->line,
                               "more than %u different combinations of classes among words",
                               WTI_VOCAB_MAX_SETS);
            else
                wti_data_error(err, WT_E_NOMEM, w->file, w->line, "out of memory");
            return -1;
        }
    }
    wti_known_classes *k = &t->cls;
#define KNOWN(f) k->f = class_bit(t, #f)
    KNOWN(abbrev);
    KNOWN(abbrev_prefix);
    KNOWN(not_name);
    KNOWN(common);
    KNOWN(given);
    KNOWN(surname);
    KNOWN(title);
    KNOWN(title_mod);
    KNOWN(honorific);
    KNOWN(role);
    KNOWN(particle);
    KNOWN(org_head);
    KNOWN(org_suffix);
    KNOWN(org_lead);
    KNOWN(treaty_head);
    KNOWN(report_verb);
    KNOWN(month);
    KNOWN(day);
#undef KNOWN
    t->tz.ft = &t->fold;
    t->tz.vocab = &t->vocab;
    t->tz.abbrev = k->abbrev;
    t->tz.abbrev_prefix = k->abbrev_prefix;
    t->tz.not_name = k->not_name;
    return 0;
}

int wti_phrase_words(wt_tagger *t, wti_tokens *toks, const char *text, uint32_t *words,
                     uint32_t *capmask, size_t *n)
{
    toks->n = 0;
    toks->fold.len = 0;
    toks->sentences = 0;
    if (wti_tokenize(&t->tz, text, strlen(text), 0, toks) < 0)
        return -1;
    if (toks->n == 0 || toks->n > WTI_TRIE_MAX_WORDS)
        return -2;
    *capmask = 0;
    for (size_t k = 0; k < toks->n; k++) {
        const wti_token *tok = &toks->v[k];
        const char *f = wti_token_fold(toks, tok);
        words[k] = wti_vocab_add(&t->vocab, f, tok->fold_len, wti_hash(f, tok->fold_len));
        if (!words[k])
            return -1;
        if (tok->cls & WTI_BIT(WTI_C_CAP))
            *capmask |= 1u << k;
    }
    *n = toks->n;
    return 0;
}

/* Adds one phrase to the trie for entry `entry` (or a stop phrase). `*text_off` is where the
 * text is in the pool when it is there already (not 0), else where it is put. */
static int add_phrase(wt_tagger *t, wti_buf *pool, wti_tokens *toks, const char *text,
                      uint32_t entry, uint8_t form, uint8_t policy, uint16_t layer,
                      const char *file, long line, uint32_t *text_off, wt_error *err)
{
    uint32_t words[WTI_TRIE_MAX_WORDS];
    wti_alias a;
    memset(&a, 0, sizeof a);
    size_t n;
    int rc = wti_phrase_words(t, toks, text, words, &a.capmask, &n);
    if (rc == -2) {
        wti_data_error(err, WT_E_DATA_LIMIT, file, line,
                       "'%s' must have between 1 and %d words", text, WTI_TRIE_MAX_WORDS);
        return -1;
    }
    int64_t off = rc != 0 ? -1 : text_off && *text_off ? (int64_t)*text_off : pool_add(pool, text);
    if (off < 0) {
        wti_data_error(err, WT_E_NOMEM, file, line, "out of memory");
        return -1;
    }
    a.entry = entry;
    a.type = entry == WTI_ALIAS_STOP ? -1 : (int8_t)t->entries[entry].type;
    a.text = (uint32_t)off;
    if (text_off)
        *text_off = (uint32_t)off;
    a.layer = layer;
    a.form = form;
    a.policy = policy;
    a.nwords = (uint8_t)n;
    if (wti_trie_add(&t->trie, &t->vocab, words, n, &a) < 0) {
        wti_data_error(err, WT_E_NOMEM, file, line, "out of memory");
        return -1;
    }
    return 0;
}

static int add_alias_text(uint32_t **offs, size_t *n, size_t *cap, uint32_t off)
{
    if (wti_grow((void **)offs, cap, *n, sizeof **offs) < 0)
        return -1;
    (*offs)[(*n)++] = off;
    return 0;
}

static int compile_entries(wt_tagger *t, const wti_stage *st, wti_buf *pool, wti_tokens *toks,
                           uint32_t **alias_offs, size_t *nalias, size_t *capalias, wt_error *err)
{
    size_t nattrs = 0, nentries = 0;
    for (size_t i = 0; i < st->nentries; i++)
        if (!st->entries[i].disabled) {
            nentries++;
            nattrs += st->entries[i].nattrs / 2;
        }
    t->entries = calloc(nentries ? nentries : 1, sizeof *t->entries);
    t->attrs = calloc(nattrs ? nattrs : 1, sizeof *t->attrs);
    if (!t->entries || !t->attrs)
        return wti_error_set(err, WT_E_NOMEM, NULL);
    const char *last_file = NULL;
    int64_t file_off = 0;
    for (size_t i = 0; i < st->nentries; i++) {
        const wti_stage_entry *se = &st->entries[i];
        if (se->disabled)
            continue;
        wti_entry *e = &t->entries[t->nentries];
        if (se->file != last_file) { /* entries of one file come together */
            file_off = pool_add(pool, se->file);
            last_file = se->file;
            if (file_off < 0)
                return wti_error_set(err, WT_E_NOMEM, NULL);
        }
        e->file = (uint32_t)file_off;
        e->line = (uint32_t)se->line;
        int64_t id = pool_add(pool, se->id);
        int64_t name = pool_add(pool, se->aliases[0].text);
        if (id < 0 || name < 0)
            return wti_error_set(err, WT_E_NOMEM, NULL);
        e->id = (uint32_t)id;
        e->name = (uint32_t)name;
        e->type = se->type;
        e->layer = se->layer;
        e->attr_first = (uint32_t)t->nattrs;
        for (size_t k = 0; k + 1 < se->nattrs; k += 2) {
            int64_t key = pool_add(pool, se->attrs[k]);
            int64_t val = pool_add(pool, se->attrs[k + 1]);
            if (key < 0 || val < 0)
                return wti_error_set(err, WT_E_NOMEM, NULL);
            t->attrs[t->nattrs].key = (uint32_t)key;
            t->attrs[t->nattrs].value = (uint32_t)val;
            t->nattrs++;
        }
        e->nattrs = (uint16_t)(t->nattrs - e->attr_first);
        e->alias_first = (uint32_t)*nalias;
        for (size_t k = 0; k < se->naliases; k++) {
            const wti_stage_alias *a = &se->aliases[k];
            uint32_t off = k == 0 ? e->name : 0; /* the name is in the pool already */
            if (add_phrase(t, pool, toks, a->text, (uint32_t)t->nentries, a->form, a->policy,
                           se->layer, se->file, se->line, &off, err) < 0)
                return -1;
            int seen = k == 0; /* the canonical name is not one of its aliases */
            for (size_t j = 0; !seen && j < k; j++)
                seen = strcmp(se->aliases[j].text, a->text) == 0;
            if (!seen && add_alias_text(alias_offs, nalias, capalias, off) < 0)
                return wti_error_set(err, WT_E_NOMEM, NULL);
        }
        /* The accent-free spelling of the name, for clients that index plain ASCII. */
        char ascii[1024];
        const char *name_text = se->aliases[0].text;
        size_t nlen = strlen(name_text);
        size_t alen = nlen * WTI_FOLD_MAX < sizeof ascii ? wti_ascii_spelling(name_text, nlen, ascii) : 0;
        if (alen && (alen != nlen || memcmp(ascii, name_text, nlen) != 0)) {
            ascii[alen] = '\0';
            int seen = 0;
            for (size_t j = 1; !seen && j < se->naliases; j++)
                seen = strcmp(se->aliases[j].text, ascii) == 0;
            int64_t off = seen ? 0 : pool_add(pool, ascii);
            if (off < 0 || (!seen && add_alias_text(alias_offs, nalias, capalias, (uint32_t)off) < 0))
                return wti_error_set(err, WT_E_NOMEM, NULL);
        }
        e->naliases = (uint32_t)(*nalias - e->alias_first);
        t->info.entries[se->type]++;
        t->nentries++;
    }
    for (size_t i = 0; i < st->nstops; i++) {
        const wti_stage_directive *d = &st->stops[i];
        if (add_phrase(t, pool, toks, d->text, WTI_ALIAS_STOP, WT_FORM_NAME, d->policy, d->layer,
                       d->file, d->line, NULL, err) < 0)
            return -1;
    }
    return 0;
}

/* Marks the alias records that @prefer lines choose. Runs after wti_trie_finish. */
static int apply_prefers(wt_tagger *t, const wti_stage *st, wti_tokens *toks, wt_error *err)
{
    for (size_t i = 0; i < st->nprefers; i++) {
        const wti_stage_directive *d = &st->prefers[i];
        uint32_t words[WTI_TRIE_MAX_WORDS], capmask;
        size_t n;
        int rc = wti_phrase_words(t, toks, d->text, words, &capmask, &n);
        if (rc == -1)
            return wti_error_set(err, WT_E_NOMEM, NULL);
        uint32_t node = 0;
        for (size_t k = 0; rc == 0 && k < n && (k == 0 || node); k++)
            node = wti_trie_step(&t->trie, &t->vocab, node, words[k]);
        int found = 0;
        if (rc == 0 && node) {
            const wti_trie_node *tn = &t->trie.nodes[node];
            for (uint32_t a = tn->alias_first; a < tn->alias_first + tn->alias_count; a++) {
                wti_alias *al = &t->trie.aliases[a];
                if (al->entry != WTI_ALIAS_STOP &&
                    strcmp(wti_str(t, t->entries[al->entry].id), d->id) == 0) {
                    al->preferred = 1;
                    found = 1;
                }
            }
        }
        if (!found) {
            wti_data_error(err, WT_E_DATA_CONFLICT, d->file, d->line,
                           "@prefer: no entry '%s' with the alias '%s'", d->id, d->text);
            return -1;
        }
    }
    return 0;
}

int wti_compile(wt_tagger *t, const wti_stage *st, wt_error *err)
{
    wti_fold_table_init(&t->fold);
    t->nclasses = WTI_C__BUILTIN;
    for (unsigned c = 0; c < WTI_C__BUILTIN; c++)
        t->class_names[c] = wti_builtin_class_name(c);
    for (unsigned c = 0; c < st->nclasses; c++)
        t->class_names[t->nclasses++] = st->class_names[c]; /* re-pointed into the pool below */
    if (compile_lexicon(t, st, err) < 0)
        return -1;

    wti_buf pool;
    wti_buf_init(&pool);
    wti_buf_putc(&pool, '\0'); /* offset 0 is the empty string */
    uint32_t class_off[WTI_MAX_CLASSES];
    for (unsigned c = WTI_C__BUILTIN; c < t->nclasses; c++) {
        int64_t off = pool_add(&pool, t->class_names[c]);
        if (off < 0) {
            wti_buf_release(&pool);
            return wti_error_set(err, WT_E_NOMEM, NULL);
        }
        class_off[c] = (uint32_t)off;
    }
    wti_tokens toks;
    wti_tokens_init(&toks);
    uint32_t *alias_offs = NULL;
    size_t nalias = 0, capalias = 0;
    int rc = compile_entries(t, st, &pool, &toks, &alias_offs, &nalias, &capalias, err);
    if (rc == 0 && (wti_trie_finish(&t->trie) < 0 || wti_trie_mark_words(&t->trie, &t->vocab) < 0))
        rc = wti_error_set(err, WT_E_NOMEM, NULL);
    if (rc == 0) {
        t->pool_len = pool.len;
        t->pool = wti_buf_take(&pool, NULL);
        if (!t->pool)
            rc = wti_error_set(err, WT_E_NOMEM, NULL);
    }
    wti_buf_release(&pool);
    if (rc == 0) {
        t->alias_text = alias_offs;
        t->nalias_text = nalias;
        alias_offs = NULL;
    }
    free(alias_offs);
    if (rc == 0)
        rc = apply_prefers(t, st, &toks, err);
    wti_tokens_release(&toks);
    if (rc < 0)
        return -1;
    for (unsigned c = WTI_C__BUILTIN; c < t->nclasses; c++)
        t->class_names[c] = t->pool + class_off[c];
    t->info.aliases = t->trie.naliases - st->nstops;
    t->info.stop_phrases = st->nstops;
    t->info.lexicon_words = st->nwords;
    return 0;
}
