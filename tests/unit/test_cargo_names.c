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
    cr_assert_str_eq(names_fold_std("rustc_literal_escaper", 0, NAME_RUST_V0, NAME_RUST_V0), "rustc_literal_escaper");
    /* legacy names carry no disambiguator: by name, std's */
    cr_assert_str_eq(names_fold_std("hashbrown", 0, NAME_RUST_LEGACY, NAME_RUST_V0), "std");
}

Test(cargo_names, sysroot_crate_the_project_does_not_build_is_std)
{
    static const char *const deps[] = {"app", "alpha"};
    names_set_build_crates(sysroot, 6, deps, 2);
    cr_assert_str_eq(names_fold_std("rustc_literal_escaper", 0, NAME_RUST_V0, NAME_RUST_V0), "std");
    cr_assert_str_eq(names_fold_std("hashbrown", 0, NAME_RUST_LEGACY, NAME_RUST_V0), "std");
    cr_assert_str_eq(names_fold_std("core", 0, NAME_RUST_LEGACY, NAME_RUST_V0), "std");
    cr_assert_str_eq(names_fold_std("alpha", 0, NAME_RUST_LEGACY, NAME_RUST_V0), "alpha");
    cr_assert_str_eq(names_fold_std("[C]", 0, NAME_C, NAME_RUST_V0), "[C]");
}

Test(cargo_names, sysroot_crate_the_project_builds_too_stays_its_own_unless_v0)
{
    static const char *const deps[] = {"app", "hashbrown"};
    names_set_build_crates(sysroot, 6, deps, 2);
    cr_assert_str_eq(names_fold_std("hashbrown", 0, NAME_RUST_LEGACY, NAME_RUST_V0), "hashbrown");
    /* a std dependency the sysroot list lacks, which the project builds */
    static const char *const deps2[] = {"app", "memchr"};
    names_set_build_crates(sysroot, 6, deps2, 2);
    cr_assert_str_eq(names_fold_std("memchr", 0, NAME_RUST_LEGACY, NAME_RUST_V0), "memchr");
    names_set_build_crates(sysroot, 6, deps, 2);
    /* std is v0-mangled, the project's crates legacy unless it asks */
    cr_assert_str_eq(names_fold_std("hashbrown", 0, NAME_RUST_V0, NAME_RUST_V0), "std");
}

/* With the sysroot's crate ids (read from its rlibs' member names), a crate
 * the project builds too is std's exactly where the id is std's: v0 names
 * carry the id, legacy locals' objects ("memchr.<id>-cgu.N") too; without an
 * id the mangling decides as before. The ids are the realworld fixture's. */
Test(cargo_names, crate_ids_tell_std_s_copy_from_the_project_s)
{
    static const char *const deps[] = {"app", "hashbrown", "memchr"};
    static const char *const sys[] = {"alloc", "core", "hashbrown", "memchr", "std"};
    static const char *const id_crates[] = {"memchr"};
    static const uint64_t ids[] = {0x9642f0ce76a98c65};
    names_set_build_crates(sys, 5, deps, 3);
    names_set_std_crate_ids(id_crates, ids, 1);
    cr_assert_str_eq(names_fold_std("memchr", 0x9642f0ce76a98c65, NAME_RUST_V0, NAME_RUST_V0), "std");
    cr_assert_str_eq(names_fold_std("memchr", 0x107ade3ce6450a1f, NAME_RUST_V0, NAME_RUST_V0), "memchr");
    cr_assert_str_eq(names_fold_std("memchr", 0x9642f0ce76a98c65, NAME_RUST_LEGACY, NAME_RUST_LEGACY), "std");
    cr_assert_str_eq(names_fold_std("memchr", 0x107ade3ce6450a1f, NAME_RUST_LEGACY, NAME_RUST_LEGACY), "memchr");
    cr_assert_str_eq(names_fold_std("memchr", 0, NAME_RUST_LEGACY, NAME_RUST_V0), "memchr");
    /* no id of std's known for hashbrown: the mangling decides */
    cr_assert_str_eq(names_fold_std("hashbrown", 0x1234, NAME_RUST_V0, NAME_RUST_V0), "std");

    cr_assert_eq(names_unit_crate_id("memchr.9642f0ce76a98c65-cgu.0", "memchr"), 0x9642f0ce76a98c65);
    cr_assert_eq(names_unit_crate_id("memchr.9642f0ce76a98c65-cgu.12", "memchr"), 0x9642f0ce76a98c65);
    cr_assert_eq(names_unit_crate_id("memchr.9642f0ce76a98c65-cgu.0", "std"), 0);
    cr_assert_eq(names_unit_crate_id("memchr.9642f0ce76a98c6-cgu.0", "memchr"), 0);
    cr_assert_eq(names_unit_crate_id("memchr.9642f0ce76a98c6x-cgu.0", "memchr"), 0);
    cr_assert_eq(names_unit_crate_id("memchr.", "memchr"), 0);
    cr_assert_eq(names_unit_crate_id(NULL, "memchr"), 0);
}
