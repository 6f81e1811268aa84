/* Sorting (key, index) pairs by key: an in-place quicksort with insertion sort for short runs,
 * used where qsort's indirect comparator calls showed in profiles. */
#ifndef WTI_SORT_H
#define WTI_SORT_H

#include <stddef.h>
#include <stdint.h>

typedef struct wti_keyed {
    uint64_t key;
    uint32_t idx;
} wti_keyed;

/* Sorts v[0..n) by key, ties by idx (so the order is total and deterministic). */
void wti_sort_keyed(wti_keyed *v, size_t n);

#endif
