/* cmd_units.c — `heft units FILE`: size per compile unit from the debug info
 * (a C/C++ translation unit; a Rust crate's codegen unit), with fallback rows
 * for bytes no unit claims, so the rows add up to the file and VM sizes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
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
    "  -n N              rows to show (default 20); 0 = all\n"
    "  --sort KEY        size (default) or name\n"
    "  --debug-file PATH read the debug info from PATH\n"
    "  --debug-dir DIR   look for build-id and .gnu_debuglink files under DIR\n"
    "                    instead of /usr/lib/debug\n"
    "  -w, --wide        never cut names to the terminal width\n"
    "  --format FMT      table (default), json, csv or tsv\n"
    "  -h, --help        this text\n"
    "\n"
    "The debug info comes from --debug-file, else the file itself, else a\n"
    "build-id file (DIR/.build-id/xx/yyyy.debug), else the .gnu_debuglink file\n"
    "(next to FILE, in its .debug/, or DIR/<FILE's directory>/).\n";

enum { OPT_SORT = 256, OPT_FORMAT, OPT_DEBUG_FILE, OPT_DEBUG_DIR };

int cmd_units(Arena *a, int argc, char **argv)
{
    static const struct option longs[] = {
        {"sort", required_argument, 0, OPT_SORT}, {"format", required_argument, 0, OPT_FORMAT},
        {"debug-file", required_argument, 0, OPT_DEBUG_FILE}, {"debug-dir", required_argument, 0, OPT_DEBUG_DIR},
        {"wide", no_argument, 0, 'w'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    DebugOpts dopt = {0};
    size_t limit = 20;
    SortKey sort = SORT_SIZE;
    const char *format = "table";
    bool wide = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":n:wh", longs, NULL)) != -1) {
        switch (c) {
        case 'n': limit = cli_parse_limit(optarg); break;
        case OPT_SORT:
            if (strcmp(optarg, "size") == 0) sort = SORT_SIZE;
            else if (strcmp(optarg, "name") == 0) sort = SORT_NAME;
            else cli_usage_error("units: --sort takes size or name, not '%s'", optarg);
            break;
        case OPT_FORMAT: format = optarg; break;
        case OPT_DEBUG_FILE: dopt.debug_file = optarg; break;
        case OPT_DEBUG_DIR: dopt.debug_dir = optarg; break;
        case 'w': wide = true; break;
        case 'h': fputs(help, stdout); exit(0);
        case ':': cli_usage_error("option '%s' needs a value", argv[optind - 1]); break;
        default: cli_usage_error("units: unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        cli_usage_error("%s", argc - optind ? "units takes one FILE" : "units needs a FILE");
    RenderOpts ro = cli_render_opts(format, wide);
    Image img;
    Account acct;
    cli_open(a, argv[optind], ACCT_NO_DEMANGLE, &img, &acct); /* units need no symbol names */
    DebugInfo di;
    cli_debug_load(a, &img, &dopt, &di);
    DebugViewOpts dv = {.kind = DV_UNITS};
    View v;
    debugview_build(a, &acct, &di, &dv, sort, limit, &v);
    render_view(stdout, &acct, &v, &ro);
    return 0;
}
