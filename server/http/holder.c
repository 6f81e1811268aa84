/* Reference-counted tagger slots: acquire under a mutex, release without one. */
#include "http/holder.h"

#include <stdlib.h>
#include <time.h>

void srv_holder_init(srv_holder *h)
{
    pthread_mutex_init(&h->mu, NULL);
    h->cur = NULL;
    h->generation = 0;
}

void srv_holder_destroy(srv_holder *h)
{
    srv_tagger_release(h->cur);
    h->cur = NULL;
    pthread_mutex_destroy(&h->mu);
}

srv_tagger *srv_holder_acquire(srv_holder *h)
{
    pthread_mutex_lock(&h->mu);
    srv_tagger *st = h->cur;
    if (st)
        atomic_fetch_add(&st->refs, 1);
    pthread_mutex_unlock(&h->mu);
    return st;
}

void srv_tagger_release(srv_tagger *st)
{
    if (st && atomic_fetch_sub(&st->refs, 1) == 1) {
        wt_tagger_free(st->t);
        free(st);
    }
}

int srv_holder_swap(srv_holder *h, wt_tagger *t)
{
    srv_tagger *st = malloc(sizeof *st);
    if (!st) {
        wt_tagger_free(t);
        return -1;
    }
    st->t = t;
    atomic_init(&st->refs, 1); /* the holder's own reference */
    st->loaded_at = (double)time(NULL);
    pthread_mutex_lock(&h->mu);
    st->generation = ++h->generation;
    srv_tagger *old = h->cur;
    h->cur = st;
    pthread_mutex_unlock(&h->mu);
    srv_tagger_release(old);
    return 0;
}
