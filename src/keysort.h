/* keysort.h — a stable sort of records that start with a 64-bit key.
 *
 * For the sorts over every symbol of a file (by address, by file offset),
 * where qsort's call per comparison was more than a quarter of a large
 * file's run. Equal keys keep their order, so a second sort by another key
 * orders by that key first and this one second. */
#ifndef HEFT_KEYSORT_H
#define HEFT_KEYSORT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A key and what it orders, for sorting indices. */
typedef struct KeyVal {
    uint64_t key;
    uint32_t val;
} KeyVal;

/* Sorts n records of size bytes each, each beginning with its uint64_t key
 * (a struct whose first member is the key), stably. Aborts when memory runs
 * out. */
void keysort(void *base, size_t n, size_t size);

/* In n records so sorted (size bytes each, each beginning with its key),
 * how many have a key at or below key: the last of them, if any, is the one
 * before that index. A binary search. */
static inline size_t keysort_upto(const void *base, size_t n, size_t size, uint64_t key)
{
    const unsigned char *b = base;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t k;
        memcpy(&k, b + mid * size, sizeof k);
        if (k <= key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* How many have a key below key: the index of the first with key itself,
 * if there is one. */
static inline size_t keysort_below(const void *base, size_t n, size_t size, uint64_t key)
{
    return key ? keysort_upto(base, n, size, key - 1) : 0;
}

#endif
