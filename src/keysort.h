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

/* A key and what it orders, for sorting indices. */
typedef struct KeyVal {
    uint64_t key;
    uint32_t val;
} KeyVal;

/* Sorts n records of size bytes each, each beginning with its uint64_t key
 * (a struct whose first member is the key), stably. Aborts when memory runs
 * out. */
void keysort(void *base, size_t n, size_t size);

#endif
