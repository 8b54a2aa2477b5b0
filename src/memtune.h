/* memtune.h — how heft asks the C library and the kernel for memory, and
 * gives back what it has done with.
 *
 * A run makes and frees a few large blocks (sort buffers, claims, spans,
 * hash tables), each touched once; in fresh 4 KiB pages their page faults
 * cost more than the work done in them. */
#ifndef HEFT_MEMTUNE_H
#define HEFT_MEMTUNE_H

#include <stddef.h>

/* Called once at start: large blocks come from the heap (reused after
 * free, never returned mid-run) and the heap asks for transparent huge
 * pages. Only a hint: where the kernel declines, nothing changes. */
void memtune_init(void);

/* The pages wholly inside [p, p + len) of a private file mapping that
 * nothing has written leave memory; the next read of them maps them again
 * from the page cache. For tables read once that stay mapped (the symbol
 * table, the names once each has been read). A hint: failing costs memory. */
void memtune_release(const void *p, size_t len);

#endif
