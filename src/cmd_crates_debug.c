/* cmd_crates_debug.c — `heft crates --by defining|instantiating` and
 * `--matrix`: crates from debug info, on the axis asked for. The defining
 * crate is the one whose source the code is; the instantiating crate the one
 * whose compile unit emitted (and pays for) the copy. */
#include <stdio.h>

#include "cli.h"

int cmd_crates_debug(Arena *a, const Options *o)
{
    Image img;
    Account acct;
    cli_load(a, o, &img, &acct);
    DebugInfo di;
    cli_debug_load(a, &img, &o->debug, &di);
    if (!di.from)
        fprintf(stderr, "heft: %s: note: without debug info, crates come from symbol names%s\n", img.path,
                o->by == DV_DEFINING ? "" : " (the instantiating crate where the v0 mangling carries one)");
    DebugViewOpts dv = {.kind = o->by, .split_std = (o->acct_flags & ACCT_SPLIT_STD) != 0};
    View v;
    debugview_build(a, &acct, &di, &dv, o->sort, o->limit, &v);
    render_view(stdout, &acct, &v, &o->render);
    return 0;
}
