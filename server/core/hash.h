/* A fast, well-mixing hash for short byte strings (folded words, ids). Not for adversarial
 * keys across processes: tables that hold user text are sized and probed defensively. */
#ifndef WTI_HASH_H
#define WTI_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The n < 8 bytes at p as one little-endian, zero-extended word; with two overlapping loads
 * rather than a call to memcpy of a variable length. */
static inline uint64_t wti_tail_word(const void *data, size_t n)
{
    const unsigned char *p = data;
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + n - 4, 4);
        return (uint64_t)a | (uint64_t)b << (8 * (n - 4));
    }
    if (n > 0)
        return (uint64_t)p[0] | (uint64_t)p[n / 2] << (8 * (n / 2)) |
               (uint64_t)p[n - 1] << (8 * (n - 1));
    return 0;
}

/* wti_hash in steps, for callers that hold a string's words already: start with its length,
 * a step for each whole 8-byte word, the end with the zero-extended rest. */
static inline uint64_t wti_hash_start(size_t n)
{
    return 0x9E3779B97F4A7C15ull ^ ((uint64_t)n * 0xff51afd7ed558ccdull);
}

static inline uint64_t wti_hash_step(uint64_t h, uint64_t word)
{
    h = (h ^ word) * 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

static inline uint64_t wti_hash_end(uint64_t h, uint64_t tail)
{
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    h *= 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
    return h;
}

static inline uint64_t wti_hash(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = wti_hash_start(n);
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        h = wti_hash_step(h, v);
        p += 8;
        n -= 8;
    }
    return wti_hash_end(h, wti_tail_word(p, n));
}

#endif
