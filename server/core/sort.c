/* Quicksort (median of three) down to runs of 16, then one insertion-sort pass; a part that
 * recurses too deep (adversarial input) is heapsorted instead, so the worst case stays
 * O(n log n). */
#include "sort.h"

static inline int less(const wti_keyed *a, const wti_keyed *b)
{
    return a->key < b->key || (a->key == b->key && a->idx < b->idx);
}

static inline void swap(wti_keyed *a, wti_keyed *b)
{
    wti_keyed t = *a;
    *a = *b;
    *b = t;
}

static void sift(wti_keyed *v, size_t root, size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && less(&v[child], &v[child + 1]))
            child++;
        if (!less(&v[root], &v[child]))
            return;
        swap(&v[root], &v[child]);
        root = child;
    }
}

static void heapsort(wti_keyed *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift(v, i, n);
    for (size_t i = n; i-- > 1;) {
        swap(&v[0], &v[i]);
        sift(v, 0, i);
    }
}

static void quick(wti_keyed *v, size_t lo, size_t hi, int depth)
{
    while (hi - lo > 16 && depth-- > 0) {
        size_t mid = lo + (hi - lo) / 2;
        if (less(&v[mid], &v[lo]))
            swap(&v[mid], &v[lo]);
        if (less(&v[hi - 1], &v[lo]))
            swap(&v[hi - 1], &v[lo]);
        if (less(&v[hi - 1], &v[mid]))
            swap(&v[hi - 1], &v[mid]);
        wti_keyed pivot = v[mid];
        size_t i = lo, j = hi - 1;
        for (;;) {
            while (less(&v[i], &pivot))
                i++;
            while (less(&pivot, &v[j]))
                j--;
            if (i >= j)
                break;
            swap(&v[i], &v[j]);
            i++;
            j--;
        }
        /* Recurse into the smaller side, loop on the larger. */
        if (j + 1 - lo < hi - (j + 1)) {
            quick(v, lo, j + 1, depth);
            lo = j + 1;
        } else {
            quick(v, j + 1, hi, depth);
            hi = j + 1;
        }
    }
    if (hi - lo > 16 && depth <= 0)
        heapsort(v + lo, hi - lo);
}

void wti_sort_keyed(wti_keyed *v, size_t n)
{
    if (n < 2)
        return;
    quick(v, 0, n, 64);
    for (size_t i = 1; i < n; i++) {
        wti_keyed x = v[i];
        size_t j = i;
        while (j > 0 && less(&x, &v[j - 1])) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}
