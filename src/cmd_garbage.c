/* cmd_garbage.c — `heft garbage FILE`: the symbols no chain of references
 * from the file's roots reaches (graph.h), as the symbols view lists them. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help_text[] =
    "usage: heft garbage [OPTIONS] FILE\n"
    "\n"
    "The functions and data that no chain of references from a root reaches\n"
    "(roots and references as heft why --help describes them): code the linker\n"
    "kept although nothing calls it, largest first, in the columns of heft\n"
    "symbols, then their total. Caveat: an address the code computes (a table\n"
    "indexed at run time, an address built in registers) is no reference heft\n"
    "sees, so a listed symbol may still be used that way; and symbols of\n"
    "sections the linker was told to keep (KEEP, .init_array) are roots only\n"
    "where the file says so. In an object or archive every global is a root:\n"
    "what is left is local code and data nothing in it refers to.\n"
    "\n"
    "Options:\n"
    "  -n N             rows to show (default 20); 0 = all\n"
    "  --crate NAME     only symbols of this crate / namespace\n"
    "  -w, --wide       never cut names to the terminal width\n"
    "  --format FMT     table (default), json, csv or tsv (heft symbols' columns)\n"
    "  -h, --help       this text\n";

enum { OPT_CRATE = 256, OPT_FORMAT };

int cmd_garbage(Arena *a, int argc, char **argv)
{
    static const struct option longs[] = {{"crate", required_argument, 0, OPT_CRATE},
                                          {"wide", no_argument, 0, 'w'},
                                          {"format", required_argument, 0, OPT_FORMAT},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    size_t limit = 20;
    const char *format = "table", *crate = NULL;
    bool wide = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":n:wh", longs, NULL)) != -1) {
        switch (c) {
        case 'n': limit = cli_parse_limit(optarg); break;
        case OPT_CRATE: crate = optarg; break;
        case 'w': wide = true; break;
        case OPT_FORMAT: format = optarg; break;
        case 'h': fputs(help_text, stdout); exit(0);
        case ':': cli_usage_error("option '%s' needs a value", argv[optind - 1]); break;
        default: cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    RenderOpts ro = cli_render_opts(format, wide);
    if (argc - optind != 1)
        cli_usage_error("%s", "heft garbage takes one FILE (heft garbage --help)");
    Image img;
    Account acct;
    Graph g;
    cli_open_graph(a, argv[optind], CLI_OWNERS, &img, &acct, &g); /* Owned: what each would also take */
    if (!g.code) {
        fprintf(stderr,
                "heft: %s: references are read from x86-64, AArch64 and 32-bit Arm code only, not yet from this file's machine\n",
                argv[optind]);
        return EXIT_USAGE;
    }
    uint32_t *depth, *parent;
    graph_reach(a, &g, NULL, &depth, &parent);
    /* Symbols only: the bytes no symbol covers ([section .text] padding,
     * headers) are nobody's garbage. */
    uint8_t *only = arena_array(a, acct.nleaves ? acct.nleaves : 1, 1);
    for (uint32_t i = 0; i < acct.nleaves; i++)
        only[i] = acct.leaves[i].kind == LEAF_SYMBOL && depth[i] == GRAPH_UNREACHED;
    Filter f = {NULL, crate, NULL, only};
    View v;
    view_build(a, &acct, VIEW_SYMBOLS, &f, SORT_SIZE, limit, &v);
    render_view(stdout, &acct, &v, &ro);
    return 0;
}
