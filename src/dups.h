/* dups.h — copies the link left in a binary: functions whose machine code is
 * identical once the operands that depend on placement are masked (call and
 * jump targets leaving the function, PC-relative data addresses), read-only
 * data objects that are byte-identical, and near-identical copies of one
 * generic function.
 *
 * Code is compared on x86-64 and AArch64 only; data on every machine.
 * Aliases (several names on one address) are one leaf of the accounting, so
 * what the linker already folded is never a duplicate. */
#ifndef HEFT_DUPS_H
#define HEFT_DUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "pattern.h"

typedef enum { DUP_CODE, DUP_DATA } DupKind;

typedef struct DupGroup {
    DupKind kind;
    uint64_t size;       /* bytes of each copy (st_size) */
    uint64_t saving;     /* size * (count - 1): what folding them into one would save */
    const Leaf **copies; /* by address */
    uint32_t count;
    /* Code: every copy also refers to the same addresses (calls the same
     * functions, reads the same data), so identical code folding can merge
     * them as they are. False when only the shape is the same. Always true
     * for data. Unknown (false) in relocatable objects. */
    bool same_targets;
} DupGroup;

typedef struct SimilarGroup {
    const char *generic;  /* the name without type arguments */
    const Leaf **copies;  /* largest first; copies[0] is the reference */
    uint32_t count;
    uint64_t min_size, max_size, total_size;
    /* Lowest similarity of a copy to the reference, in tenths of a percent:
     * 2 * (instructions in common, in order) / (instructions of both). */
    uint32_t similarity;
    /* Some pair was too large for the full comparison; its similarity is
     * only the common prefix and suffix, a lower bound. */
    bool bounded;
} SimilarGroup;

typedef struct DupsOpts {
    uint64_t min_data; /* smallest data object compared, in bytes (DUPS_MIN_DATA by default) */
    bool similar;      /* also look for near-identical copies of a generic */
    uint32_t min_similarity; /* tenths of a percent; groups below are dropped */
    /* Compare only the leaves whose entry is non-zero (indexed like
     * acct->leaves), e.g. the copies of the generics another view shows;
     * NULL compares every leaf. With only (and without similar), a function
     * no other selected one matches in size is not disassembled: its bytes
     * cannot be another's, and undecodable counts the rest. */
    const uint8_t *only;
} DupsOpts;

#define DUPS_MIN_DATA 16
#define DUPS_MIN_SIMILARITY 500

typedef struct DupsResult {
    DupGroup *groups; /* largest saving first; ties by kind, then address */
    size_t ngroups;
    SimilarGroup *similar; /* largest total size first */
    size_t nsimilar;
    uint64_t code_saving, data_saving;
    uint64_t icf_saving; /* of code_saving: groups with the same targets */
    uint32_t functions;   /* functions compared */
    uint32_t objects;     /* read-only data objects compared */
    uint32_t undecodable; /* functions with bytes the disassembler rejected (compared raw there) */
    bool code_supported;  /* the machine's code can be compared */
    /* Sorted leaf → group index, for dups_group_of. */
    const Leaf **index_leaf;
    uint32_t *index_group;
    size_t nindex;
} DupsResult;

/* Finds the groups. Returns 0, or -1 when the disassembler cannot be set up
 * (then *out holds the data groups only). */
int dups_find(Arena *a, const Image *img, const Account *acct, const DupsOpts *opts, DupsResult *out);

/* What a command shows: the groups and near-identical generics that pass a
 * filter (a regex on any copy's name or alias), cut to limits (0 = all). */
typedef struct DupsView {
    const DupGroup **groups;
    size_t ngroups;
    const SimilarGroup **similar;
    size_t nsimilar;
    uint64_t rest_groups, rest_saving;         /* matched, beyond the limit */
    uint64_t filtered_groups, filtered_saving; /* excluded by the filter */
    uint64_t rest_similar, filtered_similar;
} DupsView;

void dups_view(Arena *a, const DupsResult *r, Pattern *re, size_t limit, size_t similar_limit, DupsView *out);

/* The group a leaf belongs to, or NULL: for "N identical copies" elsewhere. */
const DupGroup *dups_group_of(const DupsResult *r, const Leaf *leaf);

/* Masks the placement-dependent operands of code (machine EM_X86_64 or
 * EM_AARCH64) that sits at addr: writes n bytes to out, with masked bits
 * zero. Relative branches whose target lies inside [addr, addr+n) are kept.
 * Returns how many bytes could not be decoded (kept as they are), or -1 for
 * an unsupported machine. */
long dups_mask(uint16_t machine, const uint8_t *code, size_t n, uint64_t addr, uint8_t *out);

/* The generic key of generics.c (the name without its type arguments), the
 * Rust legacy hash also dropped, or NULL when the name has no type arguments (except for legacy Rust
 * names, whose copies all share one name without them). */
const char *dups_generic_key(Arena *a, const char *name, NameLang lang);

#endif
