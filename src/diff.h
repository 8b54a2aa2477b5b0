/* diff.h — the analysis behind `heft diff`: one view of two snapshots, its
 * rows matched (match.h) and compared, sorted by the size of the change. */
#ifndef HEFT_DIFF_H
#define HEFT_DIFF_H

#include <regex.h>

#include "match.h"

typedef enum { DIFF_SAME, DIFF_GROWN, DIFF_SHRUNK, DIFF_ADDED, DIFF_REMOVED } DiffStatus;

typedef struct DiffRow {
    const char *name;     /* new side's identity (old side's for a removed row) */
    const char *old_name; /* old side's identity when it differs, else NULL */
    const char *crate, *section;
    uint64_t old_file, new_file, old_vm, new_vm;
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

/* re filters on either side's identity; limit 0 = every changed row. */
void diff_build(Arena *a, const Snapshot *old, const Snapshot *new, SnapView kind, const regex_t *re, size_t limit,
                DiffView *out);

int64_t diff_delta(uint64_t old, uint64_t new);
const char *diff_status_name(DiffStatus s);

#endif
