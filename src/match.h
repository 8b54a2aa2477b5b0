/* match.h — pairing the rows of two snapshots' views, so a diff compares each
 * function, crate or section with itself and not with its neighbour.
 *
 * Rows are matched in passes; each pass sees only the rows earlier passes
 * left unmatched:
 *   1. exact name (the raw, mangled symbol name; a section's, crate's or
 *      segment's name);
 *   2. normalized identity (symbols only): the name without the Rust legacy
 *      hash, v0 crate disambiguators and compiler suffixes (.llvm.N, .cold,
 *      .part.N, .isra.N, .constprop.N, …), as names.c's display form;
 *   3. same crate and same last path segment (symbols only), when exactly one
 *      row on each side has them: a function moved to another module;
 *   4. anonymous constants (symbols only: LLVM's anon.<module hash>.N and
 *      alloc_<hash>, whose names change whenever their module does): same
 *      crate, same section and same size; a constant of another size is
 *      not paired with it, as nothing says it is the same constant;
 *   5. same path ending (units and files only): the last 1, 2, 3, …
 *      components of the identity, when as many rows on each side have it:
 *      the same sources built in another directory, where a path outside
 *      the compile directory stays absolute and differs.
 * Units' identity (pass 2) is their name with the Rust codegen unit's hash
 * and number taken out (match_unit_identity).
 * Where several rows share a key (generic copies whose legacy names differ
 * only by hash, C statics of the same name in two files), rows of equal size
 * are paired first, then the rest in order of size, largest first, ties by
 * name: a rebuild that changes nothing diffs to zero, and a copy that comes or
 * goes leaves the others unchanged. Rows left over are added or removed. */
#ifndef HEFT_MATCH_H
#define HEFT_MATCH_H

#include "snapshot.h"

typedef enum {
    MATCH_NONE,
    MATCH_EXACT,
    MATCH_IDENTITY,
    MATCH_CRATE,
    MATCH_ANON,
    MATCH_SUFFIX,
    MATCH_NPASSES
} MatchPass;

/* Which passes a view's rows go through. */
typedef enum {
    MATCH_NAMES,   /* 1: sections, segments, crates, generics */
    MATCH_SYMBOLS, /* 1, 2, 3, 4 */
    MATCH_PATHS,   /* 1, 2, 5: units, files */
} MatchKind;

#define MATCH_UNMATCHED SIZE_MAX

typedef struct Matching {
    size_t *old_to_new, *new_to_old; /* index on the other side, or MATCH_UNMATCHED */
    MatchPass *how;                  /* per old row: the pass that matched it */
    size_t matched[MATCH_NPASSES];   /* pairs made by each pass */
} Matching;

void match_rows(Arena *a, const SnapRow *old, size_t nold, const SnapRow *new, size_t nnew, MatchKind kind,
                Matching *out);

/* A compile unit's identity across builds. rustc names a codegen unit
 * "<crate root>/@/<crate>.<hash>-cgu.<n>" (incremental builds:
 * "<crate root>/@/<hash>"); the hash follows -C metadata, and the number
 * follows the partitioning, which renumbers units when code moves between
 * them. So the identity is "<crate root>/@/<crate>.*", or "<crate root>/@/"
 * and a star for incremental names: a crate's units are one group, paired by
 * size (equal sizes first), which makes a rebuild diff to zero whatever the
 * hashes and numbers. Other units (C, C++) are their path. */
const char *match_unit_identity(Arena *a, const char *name);

const char *match_pass_name(MatchPass p);

#endif
