/* cmd_monos.c — `heft monos FILE`: the copies of each generic function
 * (monos.h), with suggestions, or per crate with --by crate. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dups.h"
#include "elffile.h"
#include "monos.h"
#include "render_monos.h"
#include "tparams.h"

static const char help_text[] =
    "usage: heft monos [OPTIONS] FILE\n"
    "\n"
    "The copies the compiler made of each generic function (Rust generics, C++\n"
    "templates), one row per generic: Saving, Total (all copies), Largest copy,\n"
    "Copies, Code% (Total as a share of the executable sections), defining Crate,\n"
    "and the generic name (the path without type arguments). Then one suggestion\n"
    "line for each of the largest groups where one applies.\n"
    "\n"
    "A group is two or more code symbols with the same generic name and type\n"
    "arguments, which differ between copies (the same arguments twice: two crates\n"
    "each made that copy; -v marks them). Rust legacy names carry no arguments:\n"
    "their copies share the path and differ by hash.\n"
    "Trait impls of one method for Vec<u8> and Vec<i32> are copies of one generic\n"
    "impl, <alloc::vec::Vec<_> as core::fmt::Debug>::fmt.\n"
    "\n"
    "Saving = Total - Largest: what outlining would save if every copy became a\n"
    "thin wrapper (about 0 B) around one shared non-generic body no larger than the\n"
    "largest copy, or what one &dyn Trait copy would save. It is an upper bound: it\n"
    "assumes the whole body is independent of the type arguments.\n"
    "\n"
    "Options:\n"
    "  -n N              generics to show (default 20); 0 = all\n"
    "  --filter REGEX    only generics whose name or a copy's name matches (ERE)\n"
    "  --crate NAME      only generics defined in this crate / namespace\n"
    "  --expand NAME     show only this generic (exact name, else every one whose\n"
    "                    name contains NAME) with its copies: size, type\n"
    "                    arguments, and the instantiating crate (Rust v0)\n"
    "  -v, --verbose     list the copies of every generic shown\n"
    "  --by crate        per crate: bytes of copies of the generics it defines, and\n"
    "                    of the copies it instantiates (Rust v0 names say; '-' when\n"
    "                    unknown: Rust legacy, C++)\n"
    "  --split-std       show core, alloc, … apart instead of folding them into std\n"
    "  --debug-file PATH read the type arguments of Rust legacy copies from PATH's\n"
    "                    DWARF (a separate debug file of a stripped build)\n"
    "  -w, --wide        never cut names to the terminal width\n"
    "  --format FMT      table (default), json, csv or tsv (schema: docs/monos.md)\n"
    "  -h, --help        this text\n"
    "\n"
    "Type arguments come from the names (Rust v0, C++); for Rust legacy symbols\n"
    "from DWARF template parameters when the file has debug info, otherwise build\n"
    "with RUSTFLAGS=\"-C symbol-mangling-version=v0\" to see them.\n";

#define MAX_SUGGESTIONS 10

enum { OPT_FILTER = 256, OPT_CRATE, OPT_EXPAND, OPT_BY, OPT_SPLIT, OPT_FORMAT, OPT_DEBUG_FILE };

/* Orders pointers to dups groups by the group's place in the result. */
static int by_group(const void *pa, const void *pb)
{
    const DupGroup *a = *(const DupGroup *const *)pa, *b = *(const DupGroup *const *)pb;
    return a < b ? -1 : a > b;
}

/* Fills the groups' identical fields from dups: copies of one shown
 * generic that are byte-identical and refer to the same addresses, which
 * the linker's identical code folding would merge as they are. Only the
 * shown groups' copies are disassembled. */
static void mark_identical(Arena *a, const Image *img, const Account *acct, MonoReport *r)
{
    uint8_t *only = arena_array(a, acct->nleaves ? acct->nleaves : 1, 1);
    memset(only, 0, acct->nleaves);
    for (size_t i = 0; i < r->nshown; i++)
        for (uint32_t c = 0; c < r->groups[i].ncopies; c++)
            only[r->groups[i].copies[c].leaf - acct->leaves] = 1;
    DupsOpts opts = {.only = only};
    DupsResult d;
    dups_find(a, img, acct, &opts, &d);
    for (size_t i = 0; i < r->nshown; i++) {
        MonoGroup *g = &r->groups[i];
        /* The copies' dups groups, sorted so each group's copies are a run. */
        const DupGroup **of = arena_array(a, g->ncopies ? g->ncopies : 1, sizeof *of);
        uint32_t n = 0;
        for (uint32_t c = 0; c < g->ncopies; c++) {
            const DupGroup *dg = dups_group_of(&d, g->copies[c].leaf);
            if (dg && dg->kind == DUP_CODE && dg->same_targets)
                of[n++] = dg;
        }
        qsort(of, n, sizeof *of, by_group);
        for (uint32_t j = 0, k; j < n; j = k) {
            for (k = j + 1; k < n && of[k] == of[j]; k++)
                ;
            if (k - j >= 2) {
                g->identical += k - j;
                g->identical_saving += of[j]->size * (k - j - 1);
            }
        }
    }
}

int cmd_monos(Arena *a, int argc, char **argv)
{
    static const struct option longs[] = {
        {"filter", required_argument, 0, OPT_FILTER}, {"crate", required_argument, 0, OPT_CRATE},
        {"expand", required_argument, 0, OPT_EXPAND}, {"verbose", no_argument, 0, 'v'},
        {"by", required_argument, 0, OPT_BY},         {"split-std", no_argument, 0, OPT_SPLIT},
        {"wide", no_argument, 0, 'w'},                {"format", required_argument, 0, OPT_FORMAT},
        {"debug-file", required_argument, 0, OPT_DEBUG_FILE}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    size_t limit = 20;
    const char *filter = NULL, *expand = NULL, *format = "table", *debug_file = NULL;
    MonoFilter f = {0};
    bool wide = false, by_crate = false;
    unsigned flags = 0;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":n:vwh", longs, NULL)) != -1) {
        switch (c) {
        case 'n': limit = cli_parse_limit(optarg); break;
        case OPT_FILTER: filter = optarg; break;
        case OPT_CRATE: f.crate = optarg; break;
        case OPT_EXPAND: expand = f.name = optarg; break;
        case 'v': expand = ""; break;
        case OPT_BY:
            if (strcmp(optarg, "crate") == 0) by_crate = true;
            else if (strcmp(optarg, "generic") != 0) cli_usage_error("--by takes crate or generic, not '%s'", optarg);
            break;
        case OPT_SPLIT: flags |= ACCT_SPLIT_STD; break;
        case 'w': wide = true; break;
        case OPT_FORMAT: format = optarg; break;
        case OPT_DEBUG_FILE: debug_file = optarg; break;
        case 'h': fputs(help_text, stdout); exit(0);
        case ':': cli_usage_error("option '%s' needs a value", argv[optind - 1]); break;
        default: cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        cli_usage_error("%s", argc - optind ? "monos takes one FILE" : "no FILE given");
    RenderOpts ro = cli_render_opts(format, wide);
    f.re = filter ? cli_compile_filter(filter) : NULL;

    Image img, dbg;
    Account acct;
    cli_open(a, argv[optind], flags, &img, &acct);
    const Image *dwarf = &img;
    if (debug_file) {
        char err[512];
        if (elffile_open(a, debug_file, &dbg, err, sizeof err) != 0) {
            fprintf(stderr, "heft: %s: %s\n", debug_file, err);
            exit(EXIT_USAGE);
        }
        if (!tparams_available(&dbg)) {
            fprintf(stderr, "heft: --debug-file %s: no DWARF (.debug_info) in it\n", debug_file);
            exit(EXIT_USAGE);
        }
        dwarf = &dbg;
    }
    MonoReport r;
    if (by_crate) {
        monos_build(a, &acct, &f, 0, NULL, &r);
        cli_check_filter(f.re, filter);
        MonoCrates mc;
        monos_by_crate(a, &r, limit, &mc);
        render_monos_crates(stdout, &r, &mc, &ro);
    } else {
        monos_build(a, &acct, &f, limit, dwarf, &r);
        cli_check_filter(f.re, filter);
        mark_identical(a, &img, &acct, &r);
        monos_suggest(a, &r, MAX_SUGGESTIONS);
        render_monos(stdout, &r, expand != NULL, &ro);
    }
    pattern_free(f.re);
    return 0;
}
