/* diff.h — the analysis behind `heft diff`: one view of two snapshots, its
 * rows matched (match.h) and compared, sorted by the size of the change.
 *
 * Generics (SNAP_MONOS) are the groups heft monos makes, on either side. A
 * generic that is a group on one side only is looked up on the other side
 * among the symbols in code sections with the same generic key (generics.h),
 * so one that goes from one copy to two shows copies 1 -> 2 and grows by the
 * new copy's size, not as added. A change in copies alone (same bytes) counts
 * as grown or shrunk. */
#ifndef HEFT_DIFF_H
#define HEFT_DIFF_H

#include "match.h"
#include "pattern.h"

typedef enum { DIFF_SAME, DIFF_GROWN, DIFF_SHRUNK, DIFF_ADDED, DIFF_REMOVED } DiffStatus;

typedef struct DiffRow {
    const char *name;     /* new side's identity (old side's for a removed row); units and
                           * files: the path as heft units / heft files show it */
    const char *old_name; /* old side's identity (path) when it differs, else NULL */
    const char *crate, *section;
    uint64_t old_file, new_file, old_vm, new_vm;
    uint64_t old_copies, new_copies; /* generics */
    DiffStatus status;
    MatchPass how;
} DiffRow;

typedef struct DiffSum {
    uint64_t rows;
    int64_t file, vm; /* deltas */
} DiffSum;

typedef struct DiffView {
    SnapView kind;
    DiffRow *rows; /* changed rows shown, largest change first */
    size_t nrows;
    uint64_t count[DIFF_REMOVED + 1]; /* rows by status (after the filter) */
    size_t matched[MATCH_NPASSES];
    DiffSum rest;         /* changed rows beyond the limit */
    DiffSum filtered_out; /* rows the filter excluded */
} DiffView;

/* re filters on either side's identity; limit 0 = every changed row. Both
 * snapshots must hold the view (snapshot_missing). */
void diff_build(Arena *a, const Snapshot *old, const Snapshot *new, SnapView kind, Pattern *re, size_t limit,
                DiffView *out);

int64_t diff_delta(uint64_t old, uint64_t new);
const char *diff_status_name(DiffStatus s);

#endif
