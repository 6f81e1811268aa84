/* The stage: growable arrays, the id map and error messages shared by the file parsers. */
#include "stage.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "errors.h"
#include "hash.h"

void wti_stage_init(wti_stage *st)
{
    memset(st, 0, sizeof *st);
    wti_arena_init(&st->arena);
}

void wti_stage_release(wti_stage *st)
{
    free(st->entries);
    free(st->idmap);
    free(st->stops);
    free(st->prefers);
    free(st->words);
    wti_arena_release(&st->arena);
    memset(st, 0, sizeof *st);
}

int wti_grow(void **v, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 64;
    if (c > ((size_t)-1) / elem)
        return -1;
    void *p = realloc(*v, c * elem);
    if (!p)
        return -1;
    *v = p;
    *cap = c;
    return 0;
}

void wti_data_error(wt_error *err, wt_error_code code, const char *name, long line,
                    const char *fmt, ...)
{
    if (!err || err->code != WT_E_OK)
        return;
    char sentence[240];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sentence, sizeof sentence, fmt, ap);
    va_end(ap);
    if (line > 0)
        wti_error_set(err, code, "%s:%ld: %s", name, line, sentence);
    else
        wti_error_set(err, code, "%s: %s", name, sentence);
    snprintf(err->file, sizeof err->file, "%s", name);
    err->line = line > 0 ? line : -1;
}

static size_t id_slot(const wti_stage *st, const char *id, uint64_t h)
{
    size_t mask = st->nidmap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        uint32_t k = st->idmap[i];
        if (k == 0 || strcmp(st->entries[k - 1].id, id) == 0)
            return i;
    }
}

wti_stage_entry *wti_stage_find(const wti_stage *st, const char *id)
{
    if (!st->nidmap)
        return NULL;
    uint32_t k = st->idmap[id_slot(st, id, wti_hash(id, strlen(id)))];
    return k ? &st->entries[k - 1] : NULL;
}

int wti_stage_index(wti_stage *st, size_t index)
{
    if ((st->nentries + 1) * 2 > st->nidmap) {
        size_t n = st->nidmap ? st->nidmap * 2 : 1024;
        uint32_t *m = calloc(n, sizeof *m);
        if (!m)
            return -1;
        free(st->idmap);
        st->idmap = m;
        st->nidmap = n;
        for (size_t k = 0; k < st->nentries; k++) {
            if (k == index)
                continue;
            const char *id = st->entries[k].id;
            st->idmap[id_slot(st, id, wti_hash(id, strlen(id)))] = (uint32_t)(k + 1);
        }
    }
    const char *id = st->entries[index].id;
    st->idmap[id_slot(st, id, wti_hash(id, strlen(id)))] = (uint32_t)(index + 1);
    return 0;
}

int wti_stage_class(wti_stage *st, const char *name, int add)
{
    for (unsigned c = 0; c < st->nclasses; c++)
        if (strcmp(st->class_names[c], name) == 0)
            return (int)c;
    if (!add || WTI_C__BUILTIN + st->nclasses >= WTI_MAX_CLASSES)
        return -1;
    char *copy = wti_arena_strndup(&st->arena, name, strlen(name));
    if (!copy)
        return -1;
    st->class_names[st->nclasses] = copy;
    return (int)st->nclasses++;
}
