/* The loaded tagger, shared by all requests, swapped atomically on reload. A request holds a
 * reference for its whole life, so a reload never frees a tagger in use. */
#ifndef SRV_HOLDER_H
#define SRV_HOLDER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "wiretag/tagger.h"

typedef struct srv_tagger {
    wt_tagger *t;
    atomic_long refs;
    uint64_t generation; /* 1 for the first load, +1 per successful reload */
    double loaded_at;    /* Unix time */
} srv_tagger;

typedef struct srv_holder {
    pthread_mutex_t mu;
    srv_tagger *cur; /* NULL until the first load */
    uint64_t generation;
} srv_holder;

void srv_holder_init(srv_holder *h);

/* Frees the current tagger; no request may hold a reference any more. */
void srv_holder_destroy(srv_holder *h);

/* The current tagger with one more reference, or NULL while nothing is loaded. */
srv_tagger *srv_holder_acquire(srv_holder *h);

/* Drops a reference; the last one frees a replaced tagger. Safe with NULL. */
void srv_tagger_release(srv_tagger *st);

/* Makes `t` current (taking ownership). Returns 0, or -1 when memory runs out (t is freed). */
int srv_holder_swap(srv_holder *h, wt_tagger *t);

#endif
