/* account.h — the accounting: every byte of the file and of the loaded image
 * gets exactly one leaf.
 *
 * A leaf is a symbol (with all its aliases), or a fallback for bytes no symbol
 * claims: "[section .rodata]", "[ELF header]", "[program headers]",
 * "[section headers]", "[.symtab]" (non-loaded sections as themselves),
 * "[padding]" (gaps between the above) and "[unmapped]" (bytes past every
 * known structure). Claims are made in that order of priority; within symbols
 * the one starting first wins (ties: the larger). The leaves' file sizes add
 * up to the file size, their VM sizes to the size of the loaded image.
 *
 * An ar archive's ELF members are each accounted as a lone object would be,
 * their leaves moved to the members' places in the archive. The archive's own
 * bytes are leaves "[ar magic]", "[ar headers]" (every member's header),
 * "[ar symbol index]", "[ar long names]" and "[ar padding]"; a member that is
 * not ELF is one leaf "[member NAME]".
 *
 * Leaves with no bytes (a symbol wholly inside an earlier one, a section all
 * of whose bytes symbols claim) stay in the array with zero sizes; views skip
 * them. */
#ifndef HEFT_ACCOUNT_H
#define HEFT_ACCOUNT_H

#include <stdbool.h>

#include "image.h"
#include "names.h"

typedef enum {
    LEAF_SYMBOL,
    LEAF_SECTION, /* unclaimed bytes of a section */
    LEAF_HEADER,  /* ELF header, program or section header table */
    LEAF_PADDING,
    LEAF_UNMAPPED,
    LEAF_MEMBER,  /* an archive member that is not ELF, as a whole */
} LeafKind;

typedef struct Leaf {
    const char *name;     /* display name (see Account.flags) */
    const char *crate;    /* folded per flags; fallbacks carry their own name */
    const char *raw;      /* raw symbol name, NULL for fallbacks */
    const char *unit;     /* the object it was compiled in, if known (Symbol.unit) */
    const char *inst_crate; /* Rust v0 instantiating crate, or NULL */
    uint64_t crate_id;    /* Rust v0: NameInfo.crate_id; 0 when unknown */
    const char **aliases; /* other names on the same range (display form) */
    uint64_t addr;        /* VM address of a symbol or section, else file offset */
    uint64_t sym_size;    /* st_size for symbols */
    uint64_t file_size, vm_size; /* accounted bytes */
    uint32_t naliases;
    uint32_t section;     /* IMG_NONE for headers, padding, unmapped */
    uint32_t member;      /* archives only: index into Image.members, IMG_NONE
                             for the archive's own structures */
    /* A byte each (there is a leaf per symbol): 104 bytes a leaf, not 112. */
    LeafKind kind : 8;
    NameLang lang : 8;
    bool lazy;            /* ACCT_LAZY_NAMES: name and aliases are still raw
                             (account_name_leaf works them out) */
} Leaf;

/* A stretch of one domain owned by one leaf. */
typedef struct AcctSpan {
    uint64_t start, end;
    uint32_t leaf;
} AcctSpan;

#define ACCT_FULL_NAMES 1u
#define ACCT_SPLIT_STD 2u
#define ACCT_NO_DEMANGLE 4u
/* Symbol leaves get their crates now and their display names only when
 * account_name_leaf asks: for views that print a few rows of many, where
 * demangling every name would be most of the run. */
#define ACCT_LAZY_NAMES 8u
/* No symbol leaves: each section's bytes are one leaf, and the three symbol
 * counts stay 0. For views that print sections or segments only. */
#define ACCT_NO_SYMBOLS 16u
/* In a lone file's accounting (not an archive's): the leaf [padding], and
 * the leaf of section i's unclaimed bytes. */
#define ACCT_LEAF_PADDING 3u
#define ACCT_LEAF_SECTION(i) (5u + (uint32_t)(i))

typedef struct Account {
    const Image *img;
    Arena *arena;                /* where account_name_leaf puts names */
    Leaf *leaves;
    uint32_t nleaves;
    uint64_t file_size, vm_size; /* totals: file size, loaded image size */
    uint64_t unknown_size;       /* file bytes of symbols whose crate is [unknown] */
    uint32_t zero_size_symbols;  /* sizeless labels: they own no bytes */
    uint32_t overlapped_symbols; /* lie wholly inside an earlier symbol */
    unsigned flags;
    NameLang std_lang;           /* how std's own symbols are mangled here */
    /* Who owns what, for analyses that split leaves further (debug info):
     * the file domain as disjoint offset ranges in order, and the VM bytes
     * with no file bytes (.bss) as disjoint address ranges in order. */
    const AcctSpan *spans, *vm_spans;
    size_t nspans, nvm_spans;
    /* Per leaf, the bytes owners.h gives it (a symbol, the
     * [padding] leaf) or takes from it (negative: a [section …] leaf), the
     * same in the file and in the loaded image; they sum to 0. NULL when
     * there are none (or the file is 2 GiB or more). The leaves' own sizes and the spans stay as claimed:
     * views that roll up by symbol or crate add shift; the others need not. */
    const int32_t *shift;
    uint64_t shifted; /* the bytes moved */
    uint64_t unknown_owned; /* of them, those [unknown] symbols own */
    bool refs;        /* owners came with the reference graph */
} Account;

void account_build(Arena *a, const Image *img, unsigned flags, Account *out);

/* In spans[0..n) (sorted, disjoint: Account.spans or .vm_spans), the first
 * that ends after key; and the leaf of the one holding key, or IMG_NONE. */
size_t account_span_from(const AcctSpan *spans, size_t n, uint64_t key);
uint32_t account_span_leaf(const AcctSpan *spans, size_t n, uint64_t key);

/* Gives a lazy leaf (ACCT_LAZY_NAMES) its display name and aliases, as
 * account_build would have without the flag; other leaves are left alone.
 * The leaf is changed through the const pointer: naming is a cache. */
void account_name_leaf(const Account *acct, const Leaf *l);

#endif
