/* cmd_view.c — `heft symbols|crates|sections|segments|members FILE`: one
 * view of the accounting, as a table or for programs. The views differ only
 * in the rollup, which view.c does, so they share this command. */
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

int cmd_view(Arena *a, const Options *o)
{
    Image img;
    Account acct;
    /* Sections and segments print no symbol, and without a filter (which
     * may match symbols' names or crates) no symbol changes their rows; only
     * the JSON head counts symbols. Placing a large file's symbols took 90%
     * of these views' time. */
    bool no_symbols = (o->view == VIEW_SECTIONS || o->view == VIEW_SEGMENTS) && o->render.format != FMT_JSON &&
                      !o->filter && !o->crate && !o->section;
    /* Owners count in the symbols and crates views only. */
    unsigned flags = o->acct_flags;
    if (o->view != VIEW_SYMBOLS && o->view != VIEW_CRATES)
        flags &= ~(CLI_OWNERS | CLI_REFS);
    cli_open(a, o->file, flags | (no_symbols ? ACCT_NO_SYMBOLS : ACCT_LAZY_NAMES), &img, &acct);
    if (o->view == VIEW_MEMBERS && !img.archive) {
        fprintf(stderr, "heft: %s: not an ar archive; the members view reads static libraries (.a, .rlib)\n",
                o->file);
        return EXIT_USAGE;
    }
    Filter f = cli_filter(o);
    View v;
    view_build(a, &acct, o->view, &f, o->sort, o->limit, &v);
    cli_check_filter(o->re, o->filter);
    render_view(stdout, &acct, &v, &o->render);
    if (o->render.format == FMT_TABLE)
        cli_hint_refs(&acct, &v);
    return 0;
}
