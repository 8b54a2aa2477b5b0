/* cmd_check.c — `heft check FILE --budget heft-budget.toml`: exit 1 when a
 * binary (or snapshot) breaks a size limit, for CI. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "render_diff.h"

static const char help[] =
    "usage: heft check FILE --budget BUDGET.toml [--baseline SNAPSHOT]\n"
    "\n"
    "Judges FILE (an ELF file or a snapshot) against the limits in BUDGET:\n"
    "total file and VM size, a section's or a crate's size, the summed size of\n"
    "the symbols matching a pattern, and growth over a baseline (a snapshot or\n"
    "a binary), in bytes or percent. The format is in the README (\"Diffs,\n"
    "snapshots and budgets\"), for example:\n"
    "\n"
    "  [total]\n"
    "  file = \"1.5 MiB\"\n"
    "  file_growth = \"+5%\"\n"
    "  [section.\".text\"]\n"
    "  file = \"800 KiB\"\n"
    "  [crate.serde_json]\n"
    "  file = \"120 KiB\"\n"
    "  [symbols.\"^core::fmt::\"]\n"
    "  file = \"64 KiB\"\n"
    "\n"
    "Options:\n"
    "  --budget PATH     the budget file (required)\n"
    "  --baseline PATH   snapshot (or binary) that growth limits compare with\n"
    "  --split-std       keep core, alloc, … apart instead of folding them into std\n"
    "  --format FMT      table (default), json, csv, tsv, or markdown\n"
    "  -h, --help        this text\n"
    "\n"
    "Exit status: 0 within budget, 1 when a limit is broken (each is listed\n"
    "with its numbers), 2 on bad input or usage.\n";

enum { OPT_BUDGET = 256, OPT_BASELINE, OPT_SPLIT, OPT_FORMAT };

int cmd_check(Arena *a, int argc, char **argv)
{
    static const struct option longs[] = {
        {"budget", required_argument, 0, OPT_BUDGET}, {"baseline", required_argument, 0, OPT_BASELINE},
        {"split-std", no_argument, 0, OPT_SPLIT},     {"format", required_argument, 0, OPT_FORMAT},
        {"help", no_argument, 0, 'h'},                {0, 0, 0, 0}};
    const char *format = "table", *budget_path = NULL, *baseline_path = NULL;
    unsigned flags = 0;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
        switch (c) {
        case OPT_BUDGET: budget_path = optarg; break;
        case OPT_BASELINE: baseline_path = optarg; break;
        case OPT_SPLIT: flags |= ACCT_SPLIT_STD; break;
        case OPT_FORMAT: format = optarg; break;
        case 'h': fputs(help, stdout); exit(0);
        case ':': cli_usage_error("option '%s' needs a value", argv[optind - 1]); break;
        default: cli_usage_error("unknown option '%s' for check", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        cli_usage_error("%s", "check takes one FILE");
    if (!budget_path)
        cli_usage_error("%s", "check needs --budget BUDGET.toml");
    RenderOpts ro = cli_render_opts_md(format, false);
    Budget b;
    char err[512];
    if (budget_load(a, budget_path, &b, err, sizeof err) != 0) {
        fprintf(stderr, "heft: %s: %s\n", budget_path, err);
        return EXIT_USAGE;
    }
    if (b.needs_baseline && !baseline_path) {
        budget_free(&b);
        fprintf(stderr, "heft: %s: growth limits need --baseline SNAPSHOT\n", budget_path);
        return EXIT_USAGE;
    }
    Snapshot s, base;
    cli_open_snapshot(a, argv[optind], flags, 0, &s);
    if (baseline_path)
        cli_open_snapshot(a, baseline_path, flags, 0, &base);
    size_t broken = budget_check(&b, &s, baseline_path ? &base : NULL);
    for (size_t i = 0; i < b.nlimits; i++) {
        const char *why = b.limits[i].re ? pattern_failed(b.limits[i].re) : NULL;
        if (why) {
            fprintf(stderr, "heft: %s: line %d: symbols pattern '%s': %s\n", budget_path, b.limits[i].line,
                    b.limits[i].what, why);
            budget_free(&b);
            return EXIT_USAGE;
        }
    }
    /* A misspelt name would hold its limit for ever: say so. */
    for (size_t i = 0; i < b.nlimits; i++)
        if (!b.limits[i].found)
            fprintf(stderr, "heft: %s: line %d: warning: nothing in %s matches %s '%s' (its size is 0)\n",
                    budget_path, b.limits[i].line, argv[optind],
                    b.limits[i].scope == SCOPE_SECTION ? "section" : b.limits[i].scope == SCOPE_CRATE ? "crate"
                                                                                                     : "symbols",
                    b.limits[i].what);
    render_check(stdout, &s, baseline_path ? &base : NULL, &b, &ro);
    budget_free(&b);
    return broken ? 1 : 0;
}
