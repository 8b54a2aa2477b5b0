/* names.h — what a symbol's name says: its demangled display form, its
 * language, and the crate (Rust) or namespace (C++) it belongs to.
 *
 * The rules for crate attribution are written down in docs/crates.md; names.c
 * implements exactly those. */
#ifndef HEFT_NAMES_H
#define HEFT_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef enum {
    NAME_C,           /* not mangled */
    NAME_CXX,         /* Itanium C++ (_Z…) */
    NAME_RUST_LEGACY, /* _ZN…17h<16 hex>E */
    NAME_RUST_V0,     /* _R… */
} NameLang;

typedef struct NameInfo {
    /* Demangled, with the legacy hash, v0 disambiguators and compiler suffixes
     * (.llvm.N, .cold, .part.N, .isra.N, .constprop.N, .lto_priv.N) removed:
     * the name two builds of the same code share. */
    const char *display;
    /* Demangled, keeping hash, disambiguators and suffixes (--full-names). */
    const char *full;
    /* Defining crate (Rust), top-level namespace (C++), "[C]" for plain C
     * names, "[unknown]" when nothing can be said. Not folded into std. */
    const char *crate;
    /* Rust v0 only: the crate that instantiated this copy, when the mangling
     * carries one; NULL otherwise. */
    const char *inst_crate;
    /* Rust v0 only: the disambiguator of the crate root (rustc's
     * StableCrateId, also the hash in its objects' names,
     * "<crate>.<16 hex>-cgu.N"), telling two crates of one name apart; 0
     * when the name has none. */
    uint64_t crate_id;
    NameLang lang;
} NameInfo;

#define NAMES_NO_DEMANGLE 1u /* display and full are the raw name */
/* Only one form is made, and the other field points to it: what a caller
 * that keeps one of them asks, to spend time and memory on that one only. */
#define NAMES_NO_FULL 2u
#define NAMES_NO_DISPLAY 4u

/* Fills *out for the raw symbol name. Strings live in the arena (or are raw
 * itself). Never fails: an undemangleable name is shown raw. */
void names_analyze(Arena *a, const char *raw, unsigned flags, NameInfo *out);

/* True for a v0 name of code written in a trait, `<Self as Trait>::item`
 * outside any impl (a Y path, under generic arguments and nested items such
 * as closures): a provided method, compiled once per Self. */
bool names_v0_trait_item(const char *raw);

/* The language of a raw symbol name, as names_analyze would say, without
 * demangling it. */
NameLang names_lang(const char *raw);
/* "c", "c++", "rust-legacy" or "rust-v0", as the JSON schemas name them. */
const char *names_lang_name(NameLang lang);

/* True for the crates of Rust's sysroot (std, core, alloc, proc_macro, …). */
bool names_is_std_crate(const char *crate);

/* "std" for a sysroot crate, and for std's own dependencies (gimli,
 * hashbrown, …) by name in either Rust mangling; the crate itself where the
 * build says the project builds it too. Then the copy is std's when its
 * crate id (0: unknown) is one of std's (names_set_std_crate_ids), else
 * when it is v0 in a file whose std, std_lang, is v0 while the project's
 * crates are not. */
const char *names_fold_std(const char *crate, uint64_t id, NameLang lang, NameLang std_lang);

/* The crate id in an object's name as rustc makes it,
 * "<crate>.<16 hex>-cgu.<N>" (the STT_FILE of a Rust local symbol, an rlib's
 * member after "<crate>-<hash>."), when crate is the object's; else 0. */
uint64_t names_unit_crate_id(const char *unit, const char *crate);

/* True for the crates std links in for its own use (gimli, hashbrown, …). */
bool names_is_std_dependency(const char *crate);

/* The mangling of the precompiled std in a file (rustup's is v0, Debian's
 * legacy), from how many symbols of std's crates and of the user's crates
 * are legacy- and v0-mangled: std's generics that the user's crates
 * instantiate take the user's mangling, so std's own is the other one where
 * it appears at all. */
NameLang names_std_lang(size_t std_legacy, size_t std_v0, size_t user_legacy, size_t user_v0);

/* The build's knowledge for the std fold (cargo heft reads it from the
 * toolchain's sysroot and from `cargo metadata`): the crates the sysroot
 * ships, and the crates the project itself builds. A sysroot crate the
 * project does not build then folds into std whatever its mangling; one it
 * builds too folds only when v0-mangled. The arrays must outlive later
 * names_fold_std calls. */
void names_set_build_crates(const char *const *sysroot, size_t nsysroot, const char *const *deps, size_t ndeps);

/* The crate ids of the sysroot's own copies of crates the project builds
 * too (read from the sysroot's rlibs): crates[i] is std's where its id is
 * ids[i]. The arrays must outlive later names_fold_std calls. */
void names_set_std_crate_ids(const char *const *crates, const uint64_t *ids, size_t n);

#endif
