/* debugview.h — the rollups that debug info makes possible: size per compile
 * unit, per source file (or line), and per crate by the defining or the
 * instantiating axis. Like every view they add up to the file and VM totals:
 * they split the accounting's leaves, never count beside them. */
#ifndef HEFT_DEBUGVIEW_H
#define HEFT_DEBUGVIEW_H

#include "debuginfo.h"
#include "view.h"

typedef enum {
    DV_UNITS,
    DV_FILES,
    DV_DEFINING,      /* crates by the file the code was written in */
    DV_INSTANTIATING, /* crates by the unit that emitted the code */
    DV_MATRIX,        /* defining x instantiating */
} DebugViewKind;

typedef struct DebugViewOpts {
    DebugViewKind kind;
    unsigned depth; /* files: keep this many leading path components; 0 = whole path */
    bool lines;     /* files: one row per file and line */
    bool split_std; /* crates: keep core, alloc, … apart from std */
} DebugViewOpts;

/* Rule: each byte of a leaf in an allocated section goes to the range of di
 * that covers its address (units: the unit's ranges and variables; files and
 * crates: the line-table rows and variables), VM bytes with it when the
 * section is loaded. Bytes no range covers stay with their leaf: in units and
 * files as "[not loaded]" (leaves with no VM bytes: debug info, symbol tables,
 * section headers), "[no debug info]" (other leaves in allocated sections) or
 * the leaf's own name (loaded headers, padding); in crates as the leaf's
 * symbol-name crate. */
void debugview_build(Arena *a, const Account *acct, const DebugInfo *di, const DebugViewOpts *o, SortKey sort,
                     size_t limit, View *out);

#endif
