/* memtune.c — malloc's thresholds and the heap's huge pages (see memtune.h).
 *
 * glibc serves blocks of 128 KiB and more with a fresh mmap each and gives
 * them back on free, so every large buffer starts with a page fault per
 * 4 KiB; under a hypervisor each fault costs microseconds, and a large
 * file's run spent half its time in them. Raising the mmap and trim
 * thresholds keeps such blocks in the heap, where a freed one is reused.
 * Growing the heap once by HEAP_RESERVE (address space only: no page is
 * touched) and marking that stretch MADV_HUGEPAGE makes a fault per 2 MiB
 * there. glibc's glibc.malloc.hugetlb tunable would do the marking, but only
 * when set in the environment before the program starts. */
#include "memtune.h"
#include "asan.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((uintptr_t)2 << 20)
#define HEAP_RESERVE ((size_t)256 << 20)

void memtune_init(void)
{
    if (HEFT_ASAN)
        return; /* ASan's allocator is its own, and would poison the reserve */
    mallopt(M_MMAP_THRESHOLD, (int)HEAP_RESERVE);
    mallopt(M_TRIM_THRESHOLD, (int)(2 * HEAP_RESERVE));
    char *p = malloc(HEAP_RESERVE - 4096);
    if (!p)
        return; /* no room: malloc works as it did */
    uintptr_t s = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    uintptr_t e = ((uintptr_t)p + HEAP_RESERVE - 4096) & ~(HUGE_PAGE - 1);
    if (s < e)
        madvise((void *)s, e - s, MADV_HUGEPAGE); /* a hint: failing is fine */
    free(p);
}

void memtune_release(const void *p, size_t len)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t s = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t e = ((uintptr_t)p + len) & ~(page - 1);
    if (s < e)
        madvise((void *)s, e - s, MADV_DONTNEED);
}
