/* test_arena.c — the arena's interning (one copy per distinct string,
 * through the table's growth), arena_holds, and blocks an arena owns. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

Test(arena, intern_gives_one_copy_per_string)
{
    Arena *a = arena_new();
    const char *crates[] = {"core", "alloc", "std", "regex_syntax", "serde"};
    const char *first[5];
    char text[] = "core alloc std regex_syntax serde";
    /* By length from within a longer text: the copy ends where asked. */
    first[0] = arena_intern(a, text, 4);
    cr_assert_str_eq(first[0], "core");
    cr_assert_neq(first[0], text, "a copy, not the caller's text");
    for (int i = 1; i < 5; i++)
        first[i] = arena_intern(a, crates[i], strlen(crates[i]));
    /* Enough other strings to grow the table several times over. */
    for (int i = 0; i < 5000; i++) {
        char name[32];
        int n = snprintf(name, sizeof name, "crate_%d", i);
        const char *p = arena_intern(a, name, (size_t)n);
        cr_assert_str_eq(p, name);
        cr_assert_eq(arena_intern(a, name, (size_t)n), p, "crate_%d interned twice", i);
    }
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(arena_intern(a, crates[i], strlen(crates[i])), first[i], "%s moved", crates[i]);
        cr_assert(arena_holds(a, first[i]));
    }
    /* A prefix of an interned string is a string of its own. */
    const char *reg = arena_intern(a, "regex", 5);
    cr_assert_str_eq(reg, "regex");
    cr_assert_neq(reg, first[3]);
    arena_free(a);
}

Test(arena, holds_its_chunks_only)
{
    Arena *a = arena_new(), *b = arena_new();
    char *p = arena_strdup(a, "in a");
    char *big = arena_alloc(a, 3u << 20); /* a chunk of its own */
    char *q = arena_strdup(b, "in b");
    cr_assert(arena_holds(a, p));
    cr_assert(arena_holds(a, big + (3u << 20) - 1));
    cr_assert_not(arena_holds(a, q));
    cr_assert_not(arena_holds(a, "a literal"));
    /* Adopted chunks are held by the adopter. */
    arena_adopt(a, b);
    cr_assert(arena_holds(a, q));
    arena_free(a);
}

Test(arena, owned_blocks_go_with_the_arena)
{
    /* Under the sanitizers' leak check, a block not freed fails the suite. */
    Arena *a = arena_new(), *b = arena_new();
    arena_own(a, malloc(100));
    arena_own(b, malloc(200));
    arena_adopt(a, b);
    arena_free(a);
}
