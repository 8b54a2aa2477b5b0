/* cmd_dups.c — `heft dups FILE`: functions and read-only data the link left
 * in more than one copy, what folding them would save and how, and
 * near-identical copies of one generic. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dups.h"
#include "render_dups.h"

static const char dups_usage[] =
    "usage: heft dups [OPTIONS] FILE\n"
    "\n"
    "Copies the link did not fold: functions whose machine code is identical once\n"
    "the operands that depend on placement are masked (call and jump targets that\n"
    "leave the function, RIP-relative displacements; on AArch64 the immediates of\n"
    "B, BL, B.cond, CBZ, TBZ, LDR literal, ADR, ADRP and the ADD/LDR/STR low 12\n"
    "bits paired with ADRP), and read-only data objects (STT_OBJECT in allocated,\n"
    "non-writable, non-executable sections, at least 16 bytes) that are\n"
    "byte-identical. One row per group, largest saving first:\n"
    "  Saving   size x (copies - 1): what folding the group into one copy saves\n"
    "  Size     st_size of each copy;  Copies  how many\n"
    "  Targets  same: the copies also call and read the same addresses (identical\n"
    "           code folding merges them); differ: same shape, other targets\n"
    "Then near-identical copies of one generic function (same name without type\n"
    "arguments): the share of instructions they have in common, in order.\n"
    "Code is compared on x86-64 and AArch64; data on every machine.\n"
    "\n"
    "Options:\n"
    "  -n N                 groups to show (default 20); 0 = all\n"
    "  --filter REGEX       only groups with a copy whose name matches (POSIX ERE)\n"
    "  --similar            only the near-identical generics (-n of them)\n"
    "  --no-similar         only the identical groups\n"
    "  --min-data N         smallest data object compared, in bytes (default 16)\n"
    "  --min-similarity P   near-identical from P percent on (default 50)\n"
    "  -v, --verbose        every copy's name (table)\n"
    "  --full-names         keep hashes and compiler suffixes\n"
    "  --no-demangle        show raw mangled names\n"
    "  -w, --wide           never cut names to the terminal width\n"
    "  --format FMT         table (default), json, csv or tsv (one line per copy)\n"
    "  -h, --help           this text\n"
    "\n"
    "JSON schema: docs/dups.md. Exit status: 0 success, 2 bad input or usage.\n";

enum { OPT_FILTER = 256, OPT_SIMILAR, OPT_NO_SIMILAR, OPT_MIN_DATA, OPT_MIN_SIM, OPT_FULL, OPT_NODEM, OPT_FORMAT };

static uint64_t parse_number(const char *arg, const char *opt, uint64_t max)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(arg, &end, 10);
    if (*arg == '\0' || *arg == '-' || *end || errno == ERANGE || n > max) {
        fprintf(stderr, "heft: %s takes a number up to %llu, not '%s' (see 'heft dups --help')\n", opt,
                (unsigned long long)max, arg);
        exit(EXIT_USAGE);
    }
    return n;
}

int cmd_dups(Arena *a, int argc, char **argv)
{
    static const struct option longs[] = {
        {"filter", required_argument, 0, OPT_FILTER}, {"similar", no_argument, 0, OPT_SIMILAR},
        {"no-similar", no_argument, 0, OPT_NO_SIMILAR}, {"min-data", required_argument, 0, OPT_MIN_DATA},
        {"min-similarity", required_argument, 0, OPT_MIN_SIM}, {"verbose", no_argument, 0, 'v'},
        {"full-names", no_argument, 0, OPT_FULL}, {"no-demangle", no_argument, 0, OPT_NODEM},
        {"wide", no_argument, 0, 'w'}, {"format", required_argument, 0, OPT_FORMAT},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    size_t limit = 20;
    bool limit_set = false, wide = false, only_similar = false, no_similar = false;
    const char *filter = NULL, *format = "table";
    unsigned acct_flags = 0;
    DupsOpts opts = {.min_data = DUPS_MIN_DATA, .similar = true, .min_similarity = DUPS_MIN_SIMILARITY};
    DupsShow show = {.groups = true, .similar = true};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":n:vwh", longs, NULL)) != -1) {
        switch (c) {
        case 'n':
            limit = cli_parse_limit(optarg);
            limit_set = true;
            break;
        case OPT_FILTER: filter = optarg; break;
        case OPT_SIMILAR: only_similar = true; break;
        case OPT_NO_SIMILAR: no_similar = true; break;
        case OPT_MIN_DATA: opts.min_data = parse_number(optarg, "--min-data", UINT32_MAX); break;
        case OPT_MIN_SIM: opts.min_similarity = (uint32_t)parse_number(optarg, "--min-similarity", 100) * 10; break;
        case 'v': show.verbose = true; break;
        case OPT_FULL: acct_flags |= ACCT_FULL_NAMES; break;
        case OPT_NODEM: acct_flags |= ACCT_NO_DEMANGLE; break;
        case 'w': wide = true; break;
        case OPT_FORMAT: format = optarg; break;
        case 'h': fputs(dups_usage, stdout); return 0;
        case ':': cli_usage_error("option '%s' needs a value", argv[optind - 1]); break;
        default: cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (only_similar && no_similar)
        cli_usage_error("%s", "--similar and --no-similar exclude each other");
    if (argc - optind != 1)
        cli_usage_error("%s", argc - optind ? "dups takes one FILE" : "no FILE given");
    if (opts.min_data == 0)
        opts.min_data = 1;
    RenderOpts ro = cli_render_opts(format, wide);
    Pattern *re = filter ? cli_compile_filter(filter) : NULL;
    show.groups = !only_similar;
    show.similar = !no_similar;
    opts.similar = show.similar;

    Image img;
    Account acct;
    cli_open(a, argv[optind], acct_flags, &img, &acct);
    DupsResult r;
    if (dups_find(a, &img, &acct, &opts, &r) != 0)
        fprintf(stderr, "heft: %s: the disassembler could not be set up; only data is compared\n", argv[optind]);
    DupsView v;
    size_t similar_limit = only_similar ? limit : limit_set ? limit : 10;
    dups_view(a, &r, re, show.groups ? limit : 0, similar_limit, &v);
    cli_check_filter(re, filter);
    render_dups(stdout, &img, &r, &v, &show, &ro);
    pattern_free(re);
    return 0;
}
