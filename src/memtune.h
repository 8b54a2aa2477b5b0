/* memtune.h — how heft asks the C library and the kernel for memory.
 *
 * A run makes and frees a few large blocks (sort buffers, claims, spans,
 * hash tables), each touched once; in fresh 4 KiB pages their page faults
 * cost more than the work done in them. */
#ifndef HEFT_MEMTUNE_H
#define HEFT_MEMTUNE_H

/* Called once at start: large blocks come from the heap (reused after
 * free, never returned mid-run) and the heap asks for transparent huge
 * pages. Only a hint: where the kernel declines, nothing changes. */
void memtune_init(void);

#endif
