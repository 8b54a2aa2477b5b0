/* snapshot.h — what a diff or a budget check needs to know about one binary:
 * its totals and the rows of every view (sections, segments, crates,
 * symbols), taken from a live accounting or from a saved snapshot file
 * (gzip'd JSON, schema heft.snapshot/1, see docs/snapshot.md). */
#ifndef HEFT_SNAPSHOT_H
#define HEFT_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "account.h"

#define SNAPSHOT_SCHEMA "heft.snapshot/1"

typedef enum { SNAP_SECTIONS, SNAP_SEGMENTS, SNAP_CRATES, SNAP_SYMBOLS, SNAP_NVIEWS } SnapView;

typedef struct SnapRow {
    const char *name;    /* exact name: the raw symbol name, or the row's name */
    const char *id;      /* normalized identity (names.c's display form); == name for non-symbols */
    const char *crate;   /* symbols: crate after the std fold; else NULL */
    const char *section; /* symbols: section name, or NULL */
    uint64_t file_size, vm_size;
} SnapRow;

typedef struct Snapshot {
    const char *path;    /* where it was read from */
    const char *source;  /* the binary it describes, as named when it was taken */
    const char *tool;    /* "heft X.Y.Z" that took it */
    uint64_t file_size, vm_size;
    bool split_std; /* crates kept apart from std (--split-std) */
    SnapRow *rows[SNAP_NVIEWS];
    size_t nrows[SNAP_NVIEWS];
} Snapshot;

/* Every row of every view of a built accounting, with no filter. */
void snapshot_from_account(Arena *a, const Account *acct, Snapshot *out);

/* Writes s as gzip'd JSON. Returns 0, or -1 with a one-line reason in err. */
int snapshot_save(const Snapshot *s, const char *path, char *err, size_t errlen);

/* Reads a snapshot file. Returns 0, or -1 with a one-line reason in err: not
 * gzip, corrupt, inflating to more than snapshot_inflate_cap() of its size, not
 * JSON, another schema, or a field of the wrong type. */
int snapshot_load(Arena *a, const char *path, Snapshot *out, char *err, size_t errlen);

/* The most bytes a compressed file of n bytes may inflate to. */
uint64_t snapshot_inflate_cap(uint64_t n);

/* True when the file at path starts with the gzip magic (a snapshot), false
 * for anything else (left to the ELF reader to judge). */
bool snapshot_is_snapshot_file(const char *path);

const char *snapshot_view_name(SnapView v);

#endif
