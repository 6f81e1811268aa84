/* Building a tagger from the configured directories and swapping it in. */
#include "http/reload.h"

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "http/log.h"

int srv_reload(srv_server *s, const char *why, srv_loaded *loaded, wt_error *err)
{
    pthread_mutex_lock(&s->reload_mu);
    /* Only srv_reload swaps, under reload_mu: the generation is stable here. */
    int first = s->holder.generation == 0;
    const char *dirs[SRV_MAX_DATA_DIRS + 1];
    size_t n = srv_config_dirs(s->cfg, dirs, SRV_MAX_DATA_DIRS + 1);
    char from[1024] = "";
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(from);
        snprintf(from + len, sizeof from - len, "%s%s", i ? ", " : "", dirs[i]);
    }
    wt_tagger *t = wt_tagger_load(dirs, n, err);
    int rc = -1;
    if (!t) {
        if (!first)
            atomic_fetch_add(&s->reload_failures, 1);
        srv_log_event(s, "error", "%s: data not loaded from %s: %s%s", why,
                      from[0] ? from : "(nothing)", err->message,
                      first ? "" : "; the data loaded before keeps serving");
    } else {
        wt_tagger_info info;
        wt_tagger_get_info(t, &info);
        if (srv_holder_swap(&s->holder, t) == 0) {
            /* The old tagger is freed now or when its last request ends; give its pages back. */
            malloc_trim(0);
            rc = 0;
            if (!first)
                atomic_fetch_add(&s->reloads, 1);
            atomic_store(&s->ready, 1);
            uint64_t gen = s->holder.generation;
            if (loaded) {
                snprintf(loaded->data, sizeof loaded->data, "%s", info.data_id);
                loaded->generation = gen;
            }
            srv_log_event(s, "info",
                          "%s: data %s (generation %llu) loaded from %s: %zu files, %zu persons, "
                          "%zu organizations, %zu countries, %zu treaties, %zu places, %zu "
                          "others, %zu aliases, %zu lexicon words, %zu rules, %.1f MB, %.0f ms",
                          why, info.data_id, (unsigned long long)gen, from, info.files,
                          info.entries[0], info.entries[1], info.entries[2], info.entries[3],
                          info.entries[4], info.entries[5], info.aliases, info.lexicon_words,
                          info.rules, info.memory / 1e6, info.load_ms);
        } else {
            wt_error_clear(err);
            err->code = WT_E_NOMEM;
            snprintf(err->message, sizeof err->message, "out of memory");
            if (!first)
                atomic_fetch_add(&s->reload_failures, 1);
        }
    }
    pthread_mutex_unlock(&s->reload_mu);
    return rc;
}
