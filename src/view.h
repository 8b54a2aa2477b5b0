/* view.h — the analyses of the core views: turn the accounting into sorted,
 * filtered rows. Views compute; renderers only format what they are given. */
#ifndef HEFT_VIEW_H
#define HEFT_VIEW_H

#include "account.h"
#include "pattern.h"

typedef enum {
    VIEW_SUMMARY,
    VIEW_SYMBOLS,
    VIEW_CRATES,
    VIEW_SECTIONS,
    VIEW_SEGMENTS,
    VIEW_MEMBERS,
    VIEW_UNITS,
    VIEW_FILES,
} ViewKind;
typedef enum { SORT_SIZE, SORT_NAME, SORT_ADDR } SortKey;

/* Leaves must match all given criteria to count in a view. */
typedef struct Filter {
    Pattern *re;         /* on the display name or any alias */
    const char *crate;   /* crate, after the std fold */
    const char *section; /* section name (in an archive, also its group: see image_section_group) */
    const uint8_t *only; /* when set, only the leaves i with only[i] != 0 */
} Filter;

typedef struct Row {
    const char *name;
    uint64_t file_size, vm_size;
    uint64_t owned;         /* symbols view with owners: bytes outside the symbol that are there for it */
    const Leaf *leaf;       /* symbols view */
    const Section *section; /* sections view (NULL for bytes in no section) */
    const Segment *segment; /* segments view */
    uint32_t index;         /* segment number */
    uint64_t count;         /* crates view: leaves rolled into the row */
    uint64_t addr;
    bool has_addr;
    const Member *member;       /* members view: NULL for the archive's own bytes */
    uint64_t text, data, bss;   /* members view: VM bytes by kind, as size(1) counts them */
    const char *defining, *instantiating; /* crates --matrix: the row's two crates */
} Row;

typedef struct Sum {
    uint64_t rows, file_size, vm_size, owned;
} Sum;

typedef struct View {
    ViewKind kind;
    /* Owners counted (account.h: shift): a crate's rows include what its
     * symbols own; a symbol's row has it apart, in owned. Not with a
     * section filter, which asks for bytes in one section. */
    bool owners;
    uint64_t unowned_vm; /* crates view with owners: VM bytes in [section …] rows */
    Row *rows; /* shown, in order */
    size_t nrows;
    Sum rest;         /* matched, but beyond the row limit */
    Sum filtered_out; /* excluded by the filter */
} View;

/* limit 0 means every row. The members view needs an archive. */
void view_build(Arena *a, const Account *acct, ViewKind kind, const Filter *f, SortKey sort, size_t limit,
                View *out);

const char *view_name(ViewKind kind);

/* Sorts rows, keeps the first limit (0: all) in v and sums the others in
 * v->rest; for analyses that make their own rows (debugview.c). */
void view_finish(View *v, Row *rows, size_t n, SortKey sort, size_t limit);

#endif
