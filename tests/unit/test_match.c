/* test_match.c — the matching passes of match.h on hand-made rows. */
#include <criterion/criterion.h>
#include <string.h>

#include "match.h"

#define ROW(n, i, c, f) {(n), (i), (c), ".text", (f), (f), 0}

Test(diff_match_unit, passes_in_order)
{
    Arena *a = arena_new();
    SnapRow old[] = {
        ROW("_ZN3app3foo17h1111111111111111E", "app::foo", "app", 100), /* hash changes */
        ROW("exact", "exact", "[C]", 50),                              /* same name */
        ROW("_ZN3app1m4move17h2222222222222222E", "app::m::move", "app", 70), /* moved module */
        ROW("_ZN3app3new17h3333333333333333E", "app::a::new", "app", 10), /* two "new": no guess */
        ROW("_ZN3app3new17h4444444444444444E", "app::b::new", "app", 11),
        ROW("gone", "gone", "[C]", 5),
    };
    SnapRow new[] = {
        ROW("exact", "exact", "[C]", 60),
        ROW("_ZN3app3foo17h9999999999999999E", "app::foo", "app", 100),
        ROW("_ZN3app1n4move17h5555555555555555E", "app::n::move", "app", 72),
        ROW("_ZN3app3new17h6666666666666666E", "app::c::new", "app", 10),
        ROW("_ZN3app3new17h7777777777777777E", "app::d::new", "app", 11),
        ROW("fresh", "fresh", "[C]", 9),
    };
    Matching m;
    match_rows(a, old, 6, new, 6, MATCH_SYMBOLS, &m);
    cr_assert_eq(m.old_to_new[0], 1);
    cr_assert_eq(m.how[0], MATCH_IDENTITY);
    cr_assert_eq(m.old_to_new[1], 0);
    cr_assert_eq(m.how[1], MATCH_EXACT);
    cr_assert_eq(m.old_to_new[2], 2);
    cr_assert_eq(m.how[2], MATCH_CRATE);
    cr_assert_eq(m.old_to_new[3], MATCH_UNMATCHED, "two rows end in ::new: the crate pass must not guess");
    cr_assert_eq(m.old_to_new[4], MATCH_UNMATCHED);
    cr_assert_eq(m.old_to_new[5], MATCH_UNMATCHED);
    cr_assert_eq(m.new_to_old[5], MATCH_UNMATCHED);
    cr_assert_eq(m.matched[MATCH_EXACT], 1);
    cr_assert_eq(m.matched[MATCH_IDENTITY], 1);
    cr_assert_eq(m.matched[MATCH_CRATE], 1);

    /* Without the symbol passes only exact names match. */
    match_rows(a, old, 6, new, 6, MATCH_NAMES, &m);
    cr_assert_eq(m.matched[MATCH_EXACT], 1);
    cr_assert_eq(m.matched[MATCH_IDENTITY] + m.matched[MATCH_CRATE], 0);
    arena_free(a);
}

/* Several rows with one identity: equal sizes pair first, then by size. */
Test(diff_match_unit, ambiguous_rows_pair_by_size)
{
    Arena *a = arena_new();
    SnapRow old[] = {
        ROW("f.h1", "f", "x", 30),
        ROW("f.h2", "f", "x", 200),
        ROW("f.h3", "f", "x", 50),
    };
    SnapRow new[] = {
        ROW("f.h4", "f", "x", 50),
        ROW("f.h5", "f", "x", 40),
        ROW("f.h6", "f", "x", 210),
        ROW("f.h7", "f", "x", 5),
    };
    Matching m;
    match_rows(a, old, 3, new, 4, MATCH_SYMBOLS, &m);
    cr_assert_eq(m.old_to_new[2], 0, "50 pairs with the equal 50");
    cr_assert_eq(m.old_to_new[1], 2, "then 200 with the largest left, 210");
    cr_assert_eq(m.old_to_new[0], 1, "and 30 with 40");
    cr_assert_eq(m.new_to_old[3], MATCH_UNMATCHED, "5 is added");
    cr_assert_eq(m.matched[MATCH_IDENTITY], 3);
    arena_free(a);
}

/* Rust codegen units lose their hash and number; other units keep their path. */
Test(diff_match_unit, unit_identity)
{
    Arena *a = arena_new();
    cr_assert_str_eq(match_unit_identity(a, "app/src/main.rs/@/diffapp.1f2e3d4c5b6a7980-cgu.0"),
                     "app/src/main.rs/@/diffapp.*");
    cr_assert_str_eq(match_unit_identity(a, "library/compiler-builtins/compiler-builtins/src/lib.rs/@/"
                                            "compiler_builtins.4e30281dd23088d2-cgu.132"),
                     "library/compiler-builtins/compiler-builtins/src/lib.rs/@/compiler_builtins.*");
    cr_assert_str_eq(match_unit_identity(a, "src/main.rs/@/107j10vfx63dzkk3fw3sbakkh"), "src/main.rs/@/*");
    cr_assert_str_eq(match_unit_identity(a, "/tmp/t1/grow.c"), "/tmp/t1/grow.c");
    arena_free(a);
}

/* Paths that differ by their build directory pair by their shortest ending
 * that no other unmatched path shares; an ending two rows share on one side
 * and one on the other pairs nothing. */
Test(diff_match_unit, paths_pair_by_ending)
{
    Arena *a = arena_new();
    SnapRow old[] = {
        ROW("/tmp/t1/app/src/main.rs", "/tmp/t1/app/src/main.rs", NULL, 10),
        ROW("/tmp/t1/a/src/lib.rs", "/tmp/t1/a/src/lib.rs", NULL, 20),
        ROW("/tmp/t1/b/src/lib.rs", "/tmp/t1/b/src/lib.rs", NULL, 30),
        ROW("same.c", "same.c", NULL, 5),
        ROW("/x/gone/util.c", "/x/gone/util.c", NULL, 7),
    };
    SnapRow new[] = {
        ROW("same.c", "same.c", NULL, 5),
        ROW("/tmp/t2/b/src/lib.rs", "/tmp/t2/b/src/lib.rs", NULL, 31),
        ROW("/tmp/t2/a/src/lib.rs", "/tmp/t2/a/src/lib.rs", NULL, 20),
        ROW("/tmp/t2/app/src/main.rs", "/tmp/t2/app/src/main.rs", NULL, 10),
        ROW("/y/one/util.c", "/y/one/util.c", NULL, 7),
        ROW("/y/two/util.c", "/y/two/util.c", NULL, 7),
    };
    Matching m;
    match_rows(a, old, 5, new, 6, MATCH_PATHS, &m);
    cr_assert_eq(m.old_to_new[3], 0);
    cr_assert_eq(m.how[3], MATCH_EXACT);
    cr_assert_eq(m.old_to_new[0], 3, "main.rs is unique");
    cr_assert_eq(m.old_to_new[1], 2, "a/src/lib.rs");
    cr_assert_eq(m.old_to_new[2], 1, "b/src/lib.rs, though its size changed");
    cr_assert_eq(m.how[2], MATCH_SUFFIX);
    cr_assert_eq(m.old_to_new[4], MATCH_UNMATCHED, "one util.c before, two after: no guess");
    cr_assert_eq(m.matched[MATCH_SUFFIX], 3);
    arena_free(a);
}

/* Endings of 100,000 components, ambiguous (two old rows, three new) down to
 * the component that tells x, y and z apart: x and y pair there, in time
 * linear in the paths' length (every component is read once, not once per
 * depth). */
Test(diff_match_unit, deep_paths_pair_by_ending_quickly, .timeout = 10)
{
    enum { DEPTH = 100000 };
    Arena *a = arena_new();
    char *p[5];
    static const char *const head[5] = {"r1/x/", "r1/y/", "r2/x/", "r2/y/", "r2/z/"};
    for (int i = 0; i < 5; i++) {
        p[i] = arena_alloc(a, 5 + 2 * DEPTH + 4);
        memcpy(p[i], head[i], 5);
        for (size_t k = 0; k < DEPTH; k++)
            memcpy(p[i] + 5 + 2 * k, "d/", 2);
        strcpy(p[i] + 5 + 2 * DEPTH, "a.c");
    }
    SnapRow old[] = {ROW(p[0], p[0], NULL, 10), ROW(p[1], p[1], NULL, 20)};
    SnapRow new[] = {ROW(p[4], p[4], NULL, 30), ROW(p[3], p[3], NULL, 21), ROW(p[2], p[2], NULL, 10)};
    Matching m;
    match_rows(a, old, 2, new, 3, MATCH_PATHS, &m);
    cr_assert_eq(m.old_to_new[0], 2, "x");
    cr_assert_eq(m.old_to_new[1], 1, "y");
    cr_assert_eq(m.new_to_old[0], MATCH_UNMATCHED, "z is new");
    cr_assert_eq(m.how[0], MATCH_SUFFIX);
    cr_assert_eq(m.matched[MATCH_SUFFIX], 2);
    arena_free(a);
}
