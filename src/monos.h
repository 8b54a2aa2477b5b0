/* monos.h — the monomorphization analysis: the copies the compiler made of
 * each generic function (Rust generics, C++ templates), what they cost, what
 * rewriting them could save, and one suggestion per large group.
 *
 * What counts (README "Generics: heft monos"): code symbols (in executable
 * sections) with the same generic key (generics.h) form a group when there
 * are at least two of them and, for Rust v0 and C++, at least one carries
 * type arguments (copies with equal arguments stay in: one instantiation made
 * twice, by two crates, is duplication too; MonoCopy.same_args marks them); Rust legacy names carry none, so copies of one generic are
 * the symbols sharing the path and differing by hash. A copy's size is its
 * accounted bytes (nm -S for a symbol no other overlaps); a body that
 * identical code folding gave several names counts once, under its first name.
 *
 * The estimated saving of a group is total - largest: what outlining would
 * save if every copy became a thin wrapper (≈ 0 bytes) around one shared,
 * non-generic body no larger than the largest copy. It is an upper bound: it
 * assumes the whole body is type-independent. */
#ifndef HEFT_MONOS_H
#define HEFT_MONOS_H

#include "account.h"
#include "pattern.h"

typedef struct MonoCopy {
    const Leaf *leaf;
    const char **args; /* type arguments; nargs 0: none known */
    uint32_t nargs;
    bool args_from_dwarf;
    bool same_args;    /* another copy has the same type arguments: one instantiation made
                        * twice (by two crates, or two codegen units) */
    uint64_t size;     /* accounted file bytes (VM bytes for code not in the file) */
} MonoCopy;

typedef enum { SUGGEST_NONE, SUGGEST_OUTLINE_CONVERSION, SUGGEST_FOLD_IDENTICAL, SUGGEST_INNER_FN } SuggestKind;

typedef struct MonoGroup {
    const char *name;  /* the generic key */
    const char *crate; /* defining crate or namespace (of the largest copy, std folded per flags) */
    MonoCopy *copies;  /* largest first, then by name, then address */
    uint32_t ncopies;
    uint64_t total, largest, saving;
    bool legacy;       /* Rust legacy copies: type arguments only from DWARF */
    /* From the identical-code analysis (dups, run by cmd_monos on the shown
     * groups): how many copies are byte-identical to another copy of the
     * group, and the bytes folding them would save. 0 when not known. */
    uint32_t identical;
    uint64_t identical_saving;
    /* Set by monos_suggest for groups it has something to say about. */
    SuggestKind suggest;
    const char *suggestion;
} MonoGroup;

typedef struct MonoFilter {
    Pattern *re;       /* on the generic name or any copy's name */
    const char *crate; /* defining crate */
    const char *name;  /* the generic name; if no group has it, groups whose name contains it */
} MonoFilter;

typedef struct MonoReport {
    MonoGroup *groups; /* matching the filter, by saving, then total, then name */
    size_t ngroups;
    size_t nshown;     /* the first nshown are shown (the row limit) */
    uint64_t rest_copies, rest_total, rest_saving; /* of the groups not shown */
    size_t filtered_groups;       /* excluded by the filter */
    /* Every group, whatever the filter: */
    size_t all_groups;
    uint64_t all_copies, all_total, all_saving;
    uint64_t code_size;           /* bytes of executable sections in the file */
    uint64_t file_size;
    const char *path;
    bool missing_legacy_args;     /* a legacy group shown with no type arguments */
    bool has_debug_info;          /* .debug_info present */
    unsigned acct_flags;          /* the account's (ACCT_SPLIT_STD keeps core, alloc apart) */
    NameLang std_lang;            /* the account's: how std is mangled in the file */
} MonoReport;

/* Groups the account's code symbols. limit 0: every group. With dwarf (the
 * file itself, or its separate debug file), type arguments of legacy copies
 * are looked up in that file's DWARF (tparams.h); NULL: not looked up. */
void monos_build(Arena *a, const Account *acct, const MonoFilter *f, size_t limit, const Image *dwarf,
                 MonoReport *out);

/* Fills suggest/suggestion for at most max of the shown groups, largest saving
 * first: conversion-source type arguments (&str, String, PathBuf, …) → the
 * outline pattern / momo; identical copies (when the identical fields are set) → the
 * linker's identical code folding; many copies of a large body → a
 * non-generic inner function or &dyn Trait. One line each, with numbers. */
void monos_suggest(Arena *a, MonoReport *r, size_t max);

/* True for a type that is the usual source of a conversion (AsRef, Into):
 * &str, String, &Path, PathBuf, &OsStr, OsString, Vec<u8>, &[u8], … by short
 * or full path. */
bool monos_is_conversion_source(const char *type);

/* Per crate: bytes of copies of the generics it defines, and of the copies it
 * instantiates (Rust v0 only: other manglings do not say). */
typedef struct MonoCrateRow {
    const char *crate;
    uint64_t def_copies, def_bytes;
    uint64_t inst_copies, inst_bytes;
} MonoCrateRow;

typedef struct MonoCrates {
    MonoCrateRow *rows; /* by def_bytes + inst_bytes, then name */
    size_t nrows;
    size_t nshown;      /* the first nshown are shown (the row limit) */
    uint64_t copies, bytes;                     /* all copies of all groups */
    uint64_t unknown_inst_copies, unknown_inst_bytes; /* instantiating crate not in the name */
} MonoCrates;

/* Over every group of the report that matches its filter (shown or not);
 * limit 0: every crate. */
void monos_by_crate(Arena *a, const MonoReport *all, size_t limit, MonoCrates *out);

#endif
