/* cmd_snapshot.c — `heft snapshot FILE -o OUT.heft.json.gz`: save what a
 * later diff or budget check needs, so CI can keep a baseline without keeping
 * the binary. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "snapshot.h"

static const char help[] =
    "usage: heft snapshot FILE -o OUT.heft.json.gz\n"
    "\n"
    "Saves every row of every view of FILE (sections, segments, crates, every\n"
    "symbol with its name, normalized identity, crate and section; the generics\n"
    "heft monos groups; and, when FILE has debug info, the rows of heft units\n"
    "and heft files) with the totals and heft's version, as gzip'd JSON (schema\n"
    "heft.snapshot/2, docs/snapshot.md). 'heft diff' and 'heft check\n"
    "--baseline' take it in place of the binary; they still read snapshots of\n"
    "schema heft.snapshot/1, which hold no generics, units or files.\n"
    "\n"
    "Options:\n"
    "  -o, --output PATH  where to write the snapshot (required)\n"
    "  --split-std        keep core, alloc, … apart instead of folding them into std\n"
    "  --debug-file PATH  read the debug info (units, files) from PATH\n"
    "  --debug-dir DIR    look for build-id and .gnu_debuglink files under DIR\n"
    "                     instead of /usr/lib/debug\n"
    "  -h, --help         this text\n";

int cmd_snapshot(Arena *a, int argc, char **argv)
{
    static const struct option longs[] = {{"output", required_argument, 0, 'o'},
                                          {"split-std", no_argument, 0, 's'},
                                          {"debug-file", required_argument, 0, 'D'},
                                          {"debug-dir", required_argument, 0, 'd'},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    const char *output = NULL;
    unsigned flags = 0;
    DebugOpts dbg = {0};
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", longs, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 's': flags |= ACCT_SPLIT_STD; break;
        case 'D': dbg.debug_file = optarg; break;
        case 'd': dbg.debug_dir = optarg; break;
        case 'h': fputs(help, stdout); exit(0);
        case ':': cli_usage_error("option '%s' needs a value", argv[optind - 1]); break;
        default: cli_usage_error("unknown option '%s' for snapshot", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        cli_usage_error("%s", "snapshot takes one FILE");
    if (!output)
        cli_usage_error("%s", "snapshot needs -o OUT.heft.json.gz");
    Snapshot s;
    cli_open_snapshot_debug(a, argv[optind], flags, SNAP_WANT_MONOS | SNAP_WANT_DEBUG, &dbg, &s);
    char err[512];
    if (snapshot_save(&s, output, err, sizeof err) != 0) {
        fprintf(stderr, "heft: %s: %s\n", output, err);
        return EXIT_USAGE;
    }
    return 0;
}
