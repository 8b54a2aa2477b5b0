/* arena.c — chunked bump allocator (see arena.h). */
#include "arena.h"
#include "asan.h"
#include "strhash.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Under AddressSanitizer every allocation is fenced: the rest of a
 * chunk stays poisoned and a redzone follows each allocation, so that a read
 * or write past one is reported as it would be past a malloc'd block. Chunks
 * are then small and do not grow, as ASan serves those from its size classes
 * instead of a fresh mapping each (which made a fuzzer's run per input 50
 * times slower). */
#if HEFT_ASAN
#include <sanitizer/asan_interface.h>
#define REDZONE 16u
#define CHUNK_MIN (1u << 16)
#define CHUNK_MAX ((size_t)CHUNK_MIN)
#else
#define ASAN_POISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define REDZONE 0u
#define CHUNK_MIN (1u << 20)
#endif
/* Each new chunk twice the last, up to CHUNK_MAX; those of 2 MiB and more are
 * aligned and offered to the kernel as huge pages (where transparent huge
 * pages are on for madvise): a large file's names and leaves take tens of
 * thousands of page faults in 4 KiB pages, a fifth of the run. */
#ifndef CHUNK_MAX
#define CHUNK_MAX ((size_t)64 << 20)
#endif
#define HUGE_PAGE ((size_t)2 << 20)

typedef struct Chunk {
    struct Chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char mem[];
} Chunk;

/* A block from malloc that the arena frees; the node lives in a chunk. */
typedef struct Owned {
    struct Owned *next;
    void *p;
} Owned;

struct Arena {
    Chunk *head;
    size_t next_cap;
    Owned *owned;
    const char **interned; /* arena_intern's table: open addressing, a power of two */
    size_t ninterned, interned_cap;
};

static void out_of_memory(void)
{
    fputs("heft: out of memory\n", stderr);
    exit(2);
}

Arena *arena_new(void)
{
    Arena *a = calloc(1, sizeof *a);
    if (!a)
        out_of_memory();
    return a;
}

void arena_free(Arena *a)
{
    if (!a)
        return;
    for (Owned *o = a->owned; o; o = o->next)
        free(o->p);
    free(a->interned);
    for (Chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        ASAN_UNPOISON_MEMORY_REGION(c->mem, c->cap);
        free(c);
    }
    free(a);
}

static Chunk *new_chunk(size_t cap)
{
    void *p = NULL;
    if (REDZONE == 0 && cap >= HUGE_PAGE) {
        cap = (cap + sizeof(Chunk) + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE - sizeof(Chunk);
        if (posix_memalign(&p, HUGE_PAGE, sizeof(Chunk) + cap) == 0)
            madvise(p, sizeof(Chunk) + cap, MADV_HUGEPAGE); /* a hint: failing is fine */
        else
            p = NULL;
    } else {
        p = malloc(sizeof(Chunk) + cap);
    }
    if (!p)
        out_of_memory();
    Chunk *c = p;
    c->cap = cap;
    return c;
}

void arena_adopt(Arena *a, Arena *from)
{
    if (from->owned) {
        Owned *last = from->owned;
        while (last->next)
            last = last->next;
        last->next = a->owned;
        a->owned = from->owned;
    }
    free(from->interned); /* the strings stay; a asks anew */
    Chunk *tail = from->head;
    if (tail) {
        while (tail->next)
            tail = tail->next;
        /* Behind a's current chunk, which keeps taking allocations. */
        if (a->head) {
            tail->next = a->head->next;
            a->head->next = from->head;
        } else {
            a->head = from->head;
        }
    }
    free(from);
}

void *arena_alloc(Arena *a, size_t size)
{
    if (size > SIZE_MAX - 32 - REDZONE)
        out_of_memory();
    size_t n = ((size + 15) & ~(size_t)15) + REDZONE;
    Chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t want = a->next_cap ? a->next_cap : CHUNK_MIN;
        size_t cap = n > want ? n : want;
        a->next_cap = want < CHUNK_MAX ? want * 2 : CHUNK_MAX;
        c = new_chunk(cap);
        ASAN_POISON_MEMORY_REGION(c->mem, c->cap);
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->mem + c->used;
    c->used += n;
    ASAN_UNPOISON_MEMORY_REGION(p, size);
    memset(p, 0, size);
    return p;
}

bool arena_holds(const Arena *a, const void *p)
{
    for (const Chunk *c = a->head; c; c = c->next)
        if ((const unsigned char *)p >= c->mem && (const unsigned char *)p < c->mem + c->cap)
            return true;
    return false;
}

void arena_own(Arena *a, void *p)
{
    Owned *o = arena_alloc(a, sizeof *o);
    o->p = p;
    o->next = a->owned;
    a->owned = o;
}

void *arena_array(Arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        out_of_memory();
    return arena_alloc(a, n * size);
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

const char *arena_intern(Arena *a, const char *s, size_t n)
{
    if ((a->ninterned + 1) * 2 > a->interned_cap) {
        size_t cap = a->interned_cap ? a->interned_cap * 2 : 256;
        const char **tab = calloc(cap, sizeof *tab);
        if (!tab)
            out_of_memory();
        for (size_t i = 0; i < a->interned_cap; i++)
            if (a->interned[i]) {
                size_t slot = strhash(a->interned[i]) & (cap - 1);
                while (tab[slot])
                    slot = (slot + 1) & (cap - 1);
                tab[slot] = a->interned[i];
            }
        free(a->interned);
        a->interned = tab;
        a->interned_cap = cap;
    }
    size_t slot = strhash_mem(s, n) & (a->interned_cap - 1);
    for (; a->interned[slot]; slot = (slot + 1) & (a->interned_cap - 1))
        if (strncmp(a->interned[slot], s, n) == 0 && a->interned[slot][n] == '\0')
            return a->interned[slot];
    a->ninterned++;
    return a->interned[slot] = arena_strndup(a, s, n);
}

char *arena_strdup(Arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
    char small[256];
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        out_of_memory();
    char *p = arena_alloc(a, (size_t)n + 1);
    if ((size_t)n < sizeof small)
        memcpy(p, small, (size_t)n + 1);
    else
        vsnprintf(p, (size_t)n + 1, fmt, again);
    va_end(again);
    return p;
}
