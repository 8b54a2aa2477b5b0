/* test_cargo_names.c — the std fold once the build's crates are known
 * (names_set_build_crates, which cargo heft calls with the sysroot's crate
 * list and cargo metadata's). Each test runs in its own process, so the
 * setting does not leak into other suites. */
#include <criterion/criterion.h>
#include <string.h>

#include "names.h"

static const char *const sysroot[] = {"addr2line", "alloc", "core", "hashbrown", "rustc_literal_escaper", "std"};

Test(cargo_names, unknown_before_the_build_is_known)
{
    /* rustc_literal_escaper is in Rust 1.95's sysroot but in no built-in list */
    cr_assert_str_eq(names_fold_std("rustc_literal_escaper", NAME_RUST_V0, NAME_RUST_V0), "rustc_literal_escaper");
    /* legacy names carry no disambiguator: by name, std's */
    cr_assert_str_eq(names_fold_std("hashbrown", NAME_RUST_LEGACY, NAME_RUST_V0), "std");
}

Test(cargo_names, sysroot_crate_the_project_does_not_build_is_std)
{
    static const char *const deps[] = {"app", "alpha"};
    names_set_build_crates(sysroot, 6, deps, 2);
    cr_assert_str_eq(names_fold_std("rustc_literal_escaper", NAME_RUST_V0, NAME_RUST_V0), "std");
    cr_assert_str_eq(names_fold_std("hashbrown", NAME_RUST_LEGACY, NAME_RUST_V0), "std");
    cr_assert_str_eq(names_fold_std("core", NAME_RUST_LEGACY, NAME_RUST_V0), "std");
    cr_assert_str_eq(names_fold_std("alpha", NAME_RUST_LEGACY, NAME_RUST_V0), "alpha");
    cr_assert_str_eq(names_fold_std("[C]", NAME_C, NAME_RUST_V0), "[C]");
}

Test(cargo_names, sysroot_crate_the_project_builds_too_stays_its_own_unless_v0)
{
    static const char *const deps[] = {"app", "hashbrown"};
    names_set_build_crates(sysroot, 6, deps, 2);
    cr_assert_str_eq(names_fold_std("hashbrown", NAME_RUST_LEGACY, NAME_RUST_V0), "hashbrown");
    /* a std dependency the sysroot list lacks, which the project builds */
    static const char *const deps2[] = {"app", "memchr"};
    names_set_build_crates(sysroot, 6, deps2, 2);
    cr_assert_str_eq(names_fold_std("memchr", NAME_RUST_LEGACY, NAME_RUST_V0), "memchr");
    names_set_build_crates(sysroot, 6, deps, 2);
    /* std is v0-mangled, the project's crates legacy unless it asks */
    cr_assert_str_eq(names_fold_std("hashbrown", NAME_RUST_V0, NAME_RUST_V0), "std");
}
