/* cmd_debug.c — the views of the debug info: `heft units FILE`, size per
 * compile unit (a C/C++ translation unit; a Rust crate's codegen unit), and
 * `heft files FILE`, size per source file, directory (--depth) or line
 * (--lines) from the line tables, so inlined code counts where its source
 * is. Both have fallback rows for bytes no unit or line claims, so the rows
 * add up to the file and VM sizes. One parser serves both. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The options both commands take, and where the debug info comes from. */
#define COMMON_OPTIONS \
    "  -n N              rows to show (default 20); 0 = all\n" \
    "  --sort KEY        size (default) or name\n" \
    "  --debug-file PATH read the debug info from PATH\n" \
    "  --debug-dir DIR   look for build-id and .gnu_debuglink files under DIR\n" \
    "                    instead of /usr/lib/debug\n" \
    "  -w, --wide        never cut names to the terminal width\n" \
    "  --format FMT      table (default), json, csv or tsv\n" \
    "  -h, --help        this text\n"
#define DEBUG_SOURCES \
    "The debug info comes from --debug-file, else the file itself, else a\n" \
    "build-id file (DIR/.build-id/xx/yyyy.debug), else the .gnu_debuglink file\n" \
    "(next to FILE, in its .debug/, or DIR/<FILE's directory>/).\n"

static const char units_help[] =
    "usage: heft units [OPTIONS] FILE\n"
    "\n"
    "Size per compile unit, from the DWARF debug info: a C or C++ translation\n"
    "unit, or a Rust codegen unit (DW_AT_name, e.g. src/lib.rs/@/app.1a2b-cgu.0).\n"
    "A loaded byte belongs to the unit whose address ranges (or global\n"
    "variables) cover it. Loaded bytes of no unit are [no debug info] (or\n"
    "[ELF header], [program headers], [padding]); bytes that are not loaded\n"
    "(debug info, symbol tables, section headers) are [not loaded]. So the rows\n"
    "add up to the file and VM sizes; heft sections breaks the rest down.\n"
    "\n"
    "Options:\n"
    COMMON_OPTIONS
    "\n" DEBUG_SOURCES;

static const char files_help[] =
    "usage: heft files [OPTIONS] FILE\n"
    "\n"
    "Size per source file, from the DWARF line tables: each stretch of code is\n"
    "charged to the file (and line) the line table names for it, so inlined\n"
    "code counts in the file it was written in (a header, core/src/fmt/mod.rs),\n"
    "not the one it was inlined into. A global variable counts in the file that\n"
    "declares it. Loaded bytes no line row or variable covers are [no debug\n"
    "info] (or [ELF header], [program headers], [padding]); bytes that are not\n"
    "loaded are [not loaded]: the rows add up to the file and VM sizes.\n"
    "\n"
    "A line's bytes run to the next row of its sequence, never past the\n"
    "sequence's end.\n"
    "\n"
    "Paths start at the crate's directory, so two crates' files never share a\n"
    "row: NAME-VERSION/... for a registry, vendor or Debian crate directory,\n"
    "NAME-HASH/... for a git checkout, library/<crate>/... for the Rust sysroot;\n"
    "else relative to the compile directory (under its own name when it is a\n"
    "package's root), else absolute with $HOME as ~. --depth 1: one row per\n"
    "crate directory.\n"
    "\n"
    "Options:\n"
    "  --depth N         roll up by the first N path components (directories)\n"
    "  --lines           one row per source line: FILE:LINE\n"
    COMMON_OPTIONS
    "\n" DEBUG_SOURCES;

enum { OPT_SORT = 256, OPT_FORMAT, OPT_DEBUG_FILE, OPT_DEBUG_DIR, OPT_DEPTH, OPT_LINES };

static int debug_view(Arena *a, int argc, char **argv, DebugViewKind kind)
{
    static const struct option longs[] = {
        {"sort", required_argument, 0, OPT_SORT}, {"format", required_argument, 0, OPT_FORMAT},
        {"debug-file", required_argument, 0, OPT_DEBUG_FILE}, {"debug-dir", required_argument, 0, OPT_DEBUG_DIR},
        {"depth", required_argument, 0, OPT_DEPTH}, {"lines", no_argument, 0, OPT_LINES},
        {"wide", no_argument, 0, 'w'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    DebugOpts dopt = {0};
    DebugViewOpts dv = {.kind = kind};
    size_t limit = 20;
    SortKey sort = SORT_SIZE;
    const char *format = "table";
    bool wide = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":n:wh", longs, NULL)) != -1) {
        if ((c == OPT_DEPTH || c == OPT_LINES) && kind != DV_FILES)
            c = '?';
        switch (c) {
        case 'n': limit = cli_parse_limit(optarg); break;
        case OPT_SORT:
            if (strcmp(optarg, "size") == 0) sort = SORT_SIZE;
            else if (strcmp(optarg, "name") == 0) sort = SORT_NAME;
            else cli_usage_error("--sort takes size or name, not '%s'", optarg);
            break;
        case OPT_FORMAT: format = optarg; break;
        case OPT_DEBUG_FILE: dopt.debug_file = optarg; break;
        case OPT_DEBUG_DIR: dopt.debug_dir = optarg; break;
        case OPT_DEPTH: {
            char *end;
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (!*optarg || *end || n < 1 || n > 1000 || errno)
                cli_usage_error("files: --depth takes a number of path components (1 or more), not '%s'", optarg);
            dv.depth = (unsigned)n;
            break;
        }
        case OPT_LINES: dv.lines = true; break;
        case 'w': wide = true; break;
        case 'h': fputs(kind == DV_FILES ? files_help : units_help, stdout); exit(0);
        case ':': cli_usage_error("option '%s' needs a value", argv[optind - 1]); break;
        default: cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        cli_usage_error(argc - optind ? "%s takes one FILE" : "%s needs a FILE", kind == DV_FILES ? "files" : "units");
    if (dv.lines && dv.depth)
        cli_usage_error("%s", "files: --lines and --depth do not go together");
    RenderOpts ro = cli_render_opts(format, wide);
    Image img;
    Account acct;
    cli_open(a, argv[optind], ACCT_NO_DEMANGLE, &img, &acct); /* no symbol names needed */
    DebugInfo di;
    cli_debug_load(a, &img, &dopt, &di);
    View v;
    debugview_build(a, &acct, &di, &dv, sort, limit, &v);
    render_view(stdout, &acct, &v, &ro);
    return 0;
}

int cmd_units(Arena *a, int argc, char **argv)
{
    return debug_view(a, argc, argv, DV_UNITS);
}

int cmd_files(Arena *a, int argc, char **argv)
{
    return debug_view(a, argc, argv, DV_FILES);
}
