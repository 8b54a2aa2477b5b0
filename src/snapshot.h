/* snapshot.h — what a diff or a budget check needs to know about one binary:
 * its totals and the rows of every view (sections, segments, crates,
 * symbols; generics, and compile units and source files when there is debug
 * info), taken from a live accounting or from a saved snapshot file (gzip'd
 * JSON, schema heft.snapshot/2, see docs/snapshot.md; /1 files, which hold
 * the first four views only, are still read). */
#ifndef HEFT_SNAPSHOT_H
#define HEFT_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "debuginfo.h"

#define SNAPSHOT_SCHEMA "heft.snapshot/2"
#define SNAPSHOT_SCHEMA_V1 "heft.snapshot/1"

typedef enum {
    SNAP_SECTIONS,
    SNAP_SEGMENTS,
    SNAP_CRATES,
    SNAP_SYMBOLS,
    SNAP_MONOS, /* one row per generic that heft monos groups: key, defining crate, copies, bytes */
    SNAP_UNITS, /* compile units (heft units), with debug info only */
    SNAP_FILES, /* source files (heft files), with debug info only */
    SNAP_NVIEWS
} SnapView;

/* Views taken only when asked for (a monos pass, reading the DWARF). */
#define SNAP_WANT_MONOS 1u
#define SNAP_WANT_DEBUG 2u

typedef struct SnapRow {
    const char *name;    /* exact name: the raw symbol name, or the row's name */
    const char *id;      /* normalized identity: names.c's display form for symbols, match.h's for
                          * units; == name for the other views */
    const char *crate;   /* symbols, monos: crate after the std fold; else NULL */
    const char *section; /* symbols: section name, or NULL */
    uint64_t file_size, vm_size;
    uint64_t copies;     /* monos: copies of the generic; else 0 */
} SnapRow;

typedef struct Snapshot {
    const char *path;    /* where it was read from */
    const char *source;  /* the binary it describes, as named when it was taken */
    const char *tool;    /* "heft X.Y.Z" that took it */
    const char *schema;  /* of the file it was read from; NULL when taken now */
    uint64_t file_size, vm_size;
    bool split_std; /* crates kept apart from std (--split-std) */
    SnapRow *rows[SNAP_NVIEWS];
    size_t nrows[SNAP_NVIEWS];
    bool has[SNAP_NVIEWS]; /* views held (rows[k] may still be empty) */
    bool debug_known;      /* whether the binary had debug info is known (not in /1 files) */
    bool debug_info;       /* it had: units and files are held */
    const char **code_sections; /* names of executable sections (monos' copies live there) */
    size_t ncode_sections;
} Snapshot;

/* Every row of the sections, segments, crates and symbols views of a built
 * accounting, with no filter. */
void snapshot_from_account(Arena *a, const Account *acct, Snapshot *out);

/* Adds the generics view: heft monos' groups (two or more copies of one
 * generic key), every one, and the names of the executable sections. */
void snapshot_add_monos(Arena *a, const Account *acct, Snapshot *s);

/* Adds the units and files views from di (heft units / heft files rows,
 * adding up to the totals), or records that there is no debug info when
 * di->from is NULL. */
void snapshot_add_debug(Arena *a, const Account *acct, const DebugInfo *di, Snapshot *s);

/* Moves what s holds in from (its rows and the strings they point to) into
 * a, so that from can be freed: a file's accounting is then gone before the
 * next file is read. Strings elsewhere (the input's mapping, literals) stay. */
void snapshot_move(Arena *a, const Arena *from, Snapshot *s);

/* Writes s as gzip'd JSON, whole or not at all (outfile.h). Returns 0, or -1
 * with a one-line reason in err. */
int snapshot_save(const Snapshot *s, const char *path, char *err, size_t errlen);

/* Reads a snapshot file (schema /2, or /1 with the first four views only).
 * Returns 0, or -1 with a one-line reason in err: no regular file, not gzip,
 * corrupt, inflating to more than snapshot_inflate_cap() of its size, not
 * JSON, JSON whose values would take more memory than a snapshot's could,
 * another schema, or a field of the wrong type. Running out of memory is
 * such an error too, never an abort. */
int snapshot_load(Arena *a, const char *path, Snapshot *out, char *err, size_t errlen);

/* The most bytes a compressed file of n bytes may inflate to: 64 MiB plus
 * 100 times n, and never more than 1 GiB. */
uint64_t snapshot_inflate_cap(uint64_t n);

/* True when the file at path is a regular file that starts with the gzip
 * magic (a snapshot), false for anything else (left to the ELF reader to
 * judge and refuse). */
bool snapshot_is_snapshot_file(const char *path);

const char *snapshot_view_name(SnapView v);

/* NULL when s holds view k; else why not, in one line ("it was taken by an
 * older heft (heft.snapshot/1), which saved no units: take it again"). */
const char *snapshot_missing(Arena *a, const Snapshot *s, SnapView k);

#endif
