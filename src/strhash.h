/* strhash.h — the one string hash heft's tables and sorts use (FNV-1a, 64
 * bits): fast on short names, and stable from run to run, so output that is
 * ordered by it is deterministic. */
#ifndef HEFT_STRHASH_H
#define HEFT_STRHASH_H

#include <stddef.h>
#include <stdint.h>

#define STRHASH_SEED 1469598103934665603ull
#define STRHASH_PRIME 1099511628211ull

static inline uint64_t strhash_mem(const char *s, size_t n)
{
    uint64_t h = STRHASH_SEED;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * STRHASH_PRIME;
    return h;
}

static inline uint64_t strhash(const char *s)
{
    uint64_t h = STRHASH_SEED;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * STRHASH_PRIME;
    return h;
}

#endif
