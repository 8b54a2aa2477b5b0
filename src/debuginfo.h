/* debuginfo.h — what the DWARF debug info says about a binary's loaded bytes:
 * which compile unit emitted each address range, and which source file and
 * line each range (and each global variable) was written in.
 *
 * The module is named debuginfo, not dwarf, so its header cannot shadow
 * libdw's <dwarf.h>. */
#ifndef HEFT_DEBUGINFO_H
#define HEFT_DEBUGINFO_H

#include "image.h"

typedef struct DebugOpts {
    const char *debug_file; /* --debug-file: use this file's DWARF */
    const char *debug_dir;  /* --debug-dir: instead of /usr/lib/debug */
} DebugOpts;

/* [lo, hi) of the loaded image: emitted by unit, written in file at line. */
typedef struct DebugRange {
    uint64_t lo, hi;
    uint32_t unit, file, line;
} DebugRange;

typedef struct DebugUnit {
    const char *name;       /* DW_AT_name, shown as debuginfo_source shows paths */
    const char *inst_crate; /* the crate that emitted it (see docs/crates.md) */
} DebugUnit;

typedef struct DebugFile {
    const char *name;  /* the path shown, from its crate's directory (debuginfo_source) */
    const char *crate; /* defining crate, not folded into std; the unit's when no path rule says */
} DebugFile;

typedef struct DebugInfo {
    const char *from; /* the file the DWARF was read from; NULL: none found */
    DebugUnit *units;
    uint32_t nunits;
    DebugFile *files;
    uint32_t nfiles;
    /* Disjoint, sorted by lo. unit_ranges: the units' DW_AT_ranges (or
     * low_pc/high_pc) plus their global variables; file field unused.
     * line_ranges: line-table rows plus global variables at their
     * declaration. Where ranges overlap, the one starting first keeps the
     * bytes (ties: the unit read first). */
    DebugRange *unit_ranges, *line_ranges;
    size_t nunit_ranges, nline_ranges;
    uint32_t split_units; /* skeletons of split DWARF (.dwo/.dwp not read) */
    const char **warnings; /* one line each, without the "heft: FILE: " prefix */
    uint32_t nwarnings;
} DebugInfo;

/* Finds and reads the debug info for img: --debug-file, else the file's own
 * .debug_* sections, else a build-id file (<dir>/.build-id/xx/yyyy.debug),
 * else the .gnu_debuglink file (next to the file, in its .debug/, in
 * <dir>/<file's dir>/). Returns 0 (out->from NULL if there was none), or -1
 * with a one-line reason in err when --debug-file cannot be used or the
 * debug file's compressed sections claim to inflate to more than its size
 * allows (a decompression bomb) or the machine has. Whatever libdw cannot
 * read becomes a warning and is skipped. */
int debuginfo_load(Arena *a, const Image *img, const DebugOpts *o, DebugInfo *out, char *err, size_t errlen);

/* dwz's common file of a Dwarf, named in its .gnu_debugaltlink. libdw opens
 * it itself the first time it reads a DW_FORM_GNU_*_alt form, with a
 * blocking open(2) of whatever path the file names; so heft looks first,
 * where libdw would (<debug_dir, else /usr/lib/debug>/.build-id/xx/yyyy.debug,
 * then the name, relative to from's directory), through infile_open, and
 * hands libdw what it found with dwarf_setalt, or when there is none a
 * stand-in that holds no DWARF. Call before reading any DIE of dw; NULL when
 * dw names no alternate. Release with debuginfo_alt_end after dwarf_end(dw). */
typedef struct DebugAlt DebugAlt;
struct Dwarf;
DebugAlt *debuginfo_alt_set(Arena *a, struct Dwarf *dw, const char *from, const char *debug_dir);
void debuginfo_alt_end(DebugAlt *alt);

/* A source file's path as heft shows it, and its crate (NULL when no path
 * rule says; heft then takes the compile unit's). path is relative to
 * comp_dir (which may be NULL) or absolute. Shown: "." and ".." resolved;
 * the Rust sysroot ("/rustc/<hash>/library/…", "…/lib/rustlib/src/rust/…")
 * from "library/"; a crate directory "NAME-VERSION/" (a registry's, a vendor
 * directory's, Debian's /usr/share/cargo/registry/) or a git checkout
 * "NAME-HASH/" from that directory; else relative to comp_dir, under the
 * comp_dir's own name when that is a package's root, so every path names
 * its crate's directory; else with $HOME as "~". See docs/crates.md. */
void debuginfo_source(Arena *a, const char *path, const char *comp_dir, const char **show, const char **crate);

#endif
