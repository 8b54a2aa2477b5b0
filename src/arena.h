/* arena.h — bump allocation for data that lives as long as one run of heft.
 *
 * Everything heft builds while analysing a file (names, leaves, rows) has the
 * same lifetime, so it comes from an arena and is released in one call. */
#ifndef HEFT_ARENA_H
#define HEFT_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct Arena Arena;

Arena *arena_new(void);
void arena_free(Arena *a);
/* Moves everything allocated in from into a (it lives as long as a's
 * allocations now) and frees from: how per-thread arenas join the run's. */
void arena_adopt(Arena *a, Arena *from);
/* Frees p, a block from malloc, when a is freed: how a buffer that grew on
 * the heap (a Vec's) joins the run's data without a copy. */
void arena_own(Arena *a, void *p);
/* Whether p lies in one of a's chunks (not in a block it owns). */
bool arena_holds(const Arena *a, const void *p);
/* Zeroed, 16-byte aligned; aborts with a one-line message when memory runs out. */
void *arena_alloc(Arena *a, size_t n);
/* n * size with overflow check. */
void *arena_array(Arena *a, size_t n, size_t size);
char *arena_strdup(Arena *a, const char *s);
/* A copy of s[0..n), NUL-terminated, that is one pointer for the same bytes
 * however often this arena is asked: for strings that a large share of the
 * symbols repeat (their crates). The copy must not be written to. */
const char *arena_intern(Arena *a, const char *s, size_t n);
char *arena_strndup(Arena *a, const char *s, size_t n);
/* printf into the arena. */
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
