/* test_match.c — the matching passes of match.h on hand-made rows. */
#include <criterion/criterion.h>

#include "match.h"

#define ROW(n, i, c, f) {(n), (i), (c), ".text", (f), (f)}

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
    match_rows(a, old, 6, new, 6, true, &m);
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
    match_rows(a, old, 6, new, 6, false, &m);
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
    match_rows(a, old, 3, new, 4, true, &m);
    cr_assert_eq(m.old_to_new[2], 0, "50 pairs with the equal 50");
    cr_assert_eq(m.old_to_new[1], 2, "then 200 with the largest left, 210");
    cr_assert_eq(m.old_to_new[0], 1, "and 30 with 40");
    cr_assert_eq(m.new_to_old[3], MATCH_UNMATCHED, "5 is added");
    cr_assert_eq(m.matched[MATCH_IDENTITY], 3);
    arena_free(a);
}
