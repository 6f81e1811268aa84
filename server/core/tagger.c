/* Loading and freeing the tagger: read every layer, parse, compile, then share read-only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compile.h"
#include "datadir.h"
#include "errors.h"
#include "hash.h"
#include "rules.h"
#include "stage.h"
#include "tagger_impl.h"
#include "wiretag/tagger.h"

static const char *const type_names[WT_TYPE__COUNT] = {
    "person", "organization", "country", "treaty", "place", "other",
};

const char *wt_type_name(wt_type type)
{
    return (unsigned)type < WT_TYPE__COUNT ? type_names[type] : NULL;
}

int wt_type_from_name(const char *name, size_t len)
{
    for (int i = 0; i < WT_TYPE__COUNT; i++)
        if (strlen(type_names[i]) == len && memcmp(type_names[i], name, len) == 0)
            return i;
    return -1;
}

wti_mask wti_class_bit(const wt_tagger *t, const char *name)
{
    for (unsigned c = 0; c < t->nclasses; c++)
        if (t->class_names[c] && strcmp(t->class_names[c], name) == 0)
            return WTI_BIT(c);
    return 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The data identifier: a hash of every file's name and bytes, in load order. */
static void data_id(const wti_datafiles *files, char out[24])
{
    uint64_t h = 0x5bd1e995u;
    for (size_t i = 0; i < files->n; i++) {
        const wti_datafile *f = &files->v[i];
        const char *base = strrchr(f->name, '/');
        base = base ? base + 1 : f->name;
        h = wti_hash(&h, sizeof h) ^ wti_hash(base, strlen(base));
        h = wti_hash(&h, sizeof h) ^ wti_hash(f->data, f->len);
        h ^= f->layer;
    }
    snprintf(out, 24, "%016llx", (unsigned long long)h);
}

static size_t tagger_memory(const wt_tagger *t)
{
    return sizeof *t + wti_vocab_memory(&t->vocab) + wti_trie_memory(&t->trie) +
           t->nentries * sizeof(wti_entry) + t->nattrs * sizeof(wti_attr) + t->pool_len +
           t->nalias_text * sizeof(uint32_t) +
           wti_rules_memory(t->rules);
}

static wt_tagger *build(const wti_datafiles *files, double t0, wt_error *err)
{
    wt_tagger *t = calloc(1, sizeof *t);
    if (!t) {
        wti_error_set(err, WT_E_NOMEM, NULL);
        return NULL;
    }
    wti_vocab_init(&t->vocab);
    wti_trie_init(&t->trie);
    wti_stage st;
    wti_stage_init(&st);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < files->n; i++)
        if (files->v[i].kind == WTI_FILE_LEX)
            rc = wti_lexicon_parse(&st, files->v[i].name, files->v[i].data, files->v[i].len, err);
    for (size_t i = 0; rc == 0 && i < files->n; i++)
        if (files->v[i].kind == WTI_FILE_GAZ)
            rc = wti_gazetteer_parse(&st, files->v[i].name, files->v[i].data, files->v[i].len,
                                     files->v[i].layer, err);
    if (rc == 0)
        rc = wti_compile(t, &st, err);
    wti_stage_release(&st);
    if (rc == 0)
        rc = wti_rules_load(t, files, err);
    if (rc == 0)
        wti_vocab_freeze(&t->vocab);
    if (rc < 0) {
        wt_tagger_free(t);
        return NULL;
    }
    t->info.files = files->n;
    data_id(files, t->info.data_id);
    t->info.rules = wti_rules_count(t->rules);
    t->info.memory = tagger_memory(t);
    t->info.load_ms = now_ms() - t0;
    return t;
}

wt_tagger *wt_tagger_load(const char *const *dirs, size_t ndirs, wt_error *err)
{
    wt_error_clear(err);
    double t0 = now_ms();
    wti_datafiles files = {0};
    for (size_t i = 0; i < ndirs; i++) {
        if (wti_datadir_read(&files, dirs[i], (unsigned)i, err) < 0) {
            wti_datafiles_release(&files);
            return NULL;
        }
    }
    wt_tagger *t = build(&files, t0, err);
    wti_datafiles_release(&files);
    return t;
}

wt_tagger *wt_tagger_load_buffers(const char *const *names, const char *const *bufs,
                                  const size_t *lens, size_t n, wt_error *err)
{
    wt_error_clear(err);
    double t0 = now_ms();
    wti_datafiles files = {0};
    for (size_t i = 0; i < n; i++) {
        if (wti_datafiles_add(&files, names[i], bufs[i], lens[i], 0, err) < 0) {
            wti_datafiles_release(&files);
            return NULL;
        }
    }
    wt_tagger *t = build(&files, t0, err);
    wti_datafiles_release(&files);
    return t;
}

void wt_tagger_free(wt_tagger *t)
{
    if (!t)
        return;
    wti_rules_free(t->rules);
    wti_vocab_release(&t->vocab);
    wti_trie_release(&t->trie);
    free(t->entries);
    free(t->attrs);
    free(t->pool);
    free(t->alias_text);
    free(t);
}

void wt_tagger_get_info(const wt_tagger *t, wt_tagger_info *info)
{
    *info = t->info;
}
