/* cmd_diff.c — `heft diff OLD NEW`: what changed between two builds, each
 * given as a binary or a saved snapshot, in one view or as a summary. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "render_diff.h"

static const char help[] =
    "usage: heft diff [OPTIONS] OLD NEW\n"
    "\n"
    "What changed in size between two builds. OLD and NEW are ELF files or\n"
    "snapshots saved by 'heft snapshot' (told apart by their first bytes).\n"
    "Rows are matched by exact name, then by normalized identity (no Rust hash,\n"
    "no v0 crate disambiguator, no .llvm.N/.cold/.part.N/... suffix), then by\n"
    "crate and last path segment when unique: a rebuild with no code change\n"
    "diffs to zero, and a changed hash is a change, not an add and a remove.\n"
    "Rows with no change are counted, not listed; rows are sorted by the size\n"
    "of their change in the file, largest first.\n"
    "\n"
    "Options:\n"
    "  --by VIEW         section, segment, crate, symbol, monos, unit or file\n"
    "                    (default: a summary of the totals, sections, crates and\n"
    "                    symbols)\n"
    "  -n N              changed rows to show (default 20; 10 per list in the\n"
    "                    summary); 0 = all\n"
    "  --filter REGEX    only rows whose name (old or new) matches (POSIX ERE)\n"
    "  --split-std       keep core, alloc, … apart instead of folding them into std\n"
    "  --old-debug-file PATH, --new-debug-file PATH\n"
    "                    read OLD's / NEW's debug info from PATH (--by unit, file)\n"
    "  --debug-dir DIR   look for build-id and .gnu_debuglink files under DIR\n"
    "                    instead of /usr/lib/debug (--by unit, file)\n"
    "  -w, --wide        never cut names\n"
    "  --format FMT      table (default), json, csv, tsv, or markdown (a pull-\n"
    "                    request comment: verdict, totals, top rows)\n"
    "  -h, --help        this text\n"
    "\n"
    "Columns: Old and New file sizes, Delta (file), % of Old, VM Delta, Status\n"
    "(added, removed, grown, shrunk). Exit status: 0, or 2 on bad input.\n"
    "JSON schema: docs/diff.md.\n"
    "\n"
    "--by monos: the generics heft monos groups (two or more copies) on either\n"
    "side, matched by generic key, with their copies (Copies: old -> new); on\n"
    "the side where a generic is no group, its single copy (if any) is counted.\n"
    "--by unit / --by file: heft units / heft files rows, from the DWARF debug\n"
    "info, which both sides need. Units match by name with the Rust codegen\n"
    "unit's hash and number taken out (a crate's units pair by size), files by\n"
    "path; paths that still differ (sources built in another directory) pair\n"
    "by their last components. Snapshots taken by heft before heft.snapshot/2\n"
    "hold none of these three views.\n";

static const struct {
    const char *name;
    SnapView view;
} BY[] = {{"section", SNAP_SECTIONS}, {"sections", SNAP_SECTIONS}, {"segment", SNAP_SEGMENTS},
          {"segments", SNAP_SEGMENTS}, {"crate", SNAP_CRATES},     {"crates", SNAP_CRATES},
          {"symbol", SNAP_SYMBOLS},    {"symbols", SNAP_SYMBOLS},   {"monos", SNAP_MONOS},
          {"generic", SNAP_MONOS},     {"generics", SNAP_MONOS},    {"unit", SNAP_UNITS},
          {"units", SNAP_UNITS},       {"file", SNAP_FILES},        {"files", SNAP_FILES}};

enum { OPT_BY = 256, OPT_FILTER, OPT_SPLIT, OPT_FORMAT, OPT_OLD_DEBUG, OPT_NEW_DEBUG, OPT_DEBUG_DIR };

int cmd_diff(Arena *a, int argc, char **argv)
{
    static const struct option longs[] = {
        {"by", required_argument, 0, OPT_BY},         {"filter", required_argument, 0, OPT_FILTER},
        {"split-std", no_argument, 0, OPT_SPLIT},     {"wide", no_argument, 0, 'w'},
        {"format", required_argument, 0, OPT_FORMAT}, {"help", no_argument, 0, 'h'},
        {"old-debug-file", required_argument, 0, OPT_OLD_DEBUG}, {"new-debug-file", required_argument, 0, OPT_NEW_DEBUG},
        {"debug-dir", required_argument, 0, OPT_DEBUG_DIR}, {0, 0, 0, 0}};
    DebugOpts dbg[2] = {{0}, {0}};
    const char *format = "table", *filter = NULL;
    bool wide = false, summary = true, limit_set = false;
    SnapView by = SNAP_SYMBOLS;
    size_t limit = 0;
    unsigned flags = 0;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":n:wh", longs, NULL)) != -1) {
        switch (c) {
        case 'n':
            limit = cli_parse_limit(optarg);
            limit_set = true;
            break;
        case OPT_BY: {
            size_t i = 0;
            while (i < sizeof BY / sizeof *BY && strcmp(BY[i].name, optarg) != 0)
                i++;
            if (i == sizeof BY / sizeof *BY)
                cli_usage_error("--by takes section, segment, crate, symbol, monos, unit or file, not '%s'", optarg);
            by = BY[i].view;
            summary = false;
            break;
        }
        case OPT_FILTER: filter = optarg; break;
        case OPT_SPLIT: flags |= ACCT_SPLIT_STD; break;
        case 'w': wide = true; break;
        case OPT_FORMAT: format = optarg; break;
        case OPT_OLD_DEBUG: dbg[0].debug_file = optarg; break;
        case OPT_NEW_DEBUG: dbg[1].debug_file = optarg; break;
        case OPT_DEBUG_DIR: dbg[0].debug_dir = dbg[1].debug_dir = optarg; break;
        case 'h': fputs(help, stdout); exit(0);
        case ':': cli_usage_error("option '%s' needs a value", argv[optind - 1]); break;
        default: cli_usage_error("unknown option '%s' for diff", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        cli_usage_error("%s", "diff takes two files: OLD NEW");
    RenderOpts ro = cli_render_opts_md(format, wide);
    if (!limit_set)
        limit = summary ? 10 : 20;
    Pattern *re = filter ? cli_compile_filter(filter) : NULL;
    unsigned want = summary ? 0 : by == SNAP_MONOS ? SNAP_WANT_MONOS : by >= SNAP_UNITS ? SNAP_WANT_DEBUG : 0;
    if ((dbg[0].debug_file || dbg[1].debug_file || dbg[0].debug_dir) && !(want & SNAP_WANT_DEBUG))
        cli_usage_error("%s", "--old-debug-file, --new-debug-file and --debug-dir apply with --by unit or file");
    Snapshot old, new;
    cli_open_snapshot_debug(a, argv[optind], flags, want, &dbg[0], &old);
    cli_open_snapshot_debug(a, argv[optind + 1], flags, want, &dbg[1], &new);
    for (int side = 0; !summary && side < 2; side++) {
        const char *why = snapshot_missing(a, side ? &new : &old, by);
        if (why) {
            fprintf(stderr, "heft: %s: %s\n", argv[optind + side], why);
            return EXIT_USAGE;
        }
    }
    DiffView views[3];
    size_t nviews = 0;
    if (summary) {
        /* The sections list is short and says where the change is: all of it. */
        diff_build(a, &old, &new, SNAP_SECTIONS, re, limit_set ? limit : 0, &views[nviews++]);
        diff_build(a, &old, &new, SNAP_CRATES, re, limit, &views[nviews++]);
        diff_build(a, &old, &new, SNAP_SYMBOLS, re, limit, &views[nviews++]);
    } else {
        diff_build(a, &old, &new, by, re, limit, &views[nviews++]);
    }
    cli_check_filter(re, filter);
    render_diff(stdout, &old, &new, views, nviews, summary, &ro);
    pattern_free(re);
    return 0;
}
