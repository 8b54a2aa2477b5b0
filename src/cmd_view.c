/* cmd_view.c — `heft symbols|crates|sections|segments FILE`: one view of the
 * accounting, as a table or for programs. The four differ only in the rollup,
 * which view.c does, so they share this command. */
#include "cli.h"

int cmd_view(Arena *a, const Options *o)
{
    Image img;
    Account acct;
    cli_load(a, o, &img, &acct);
    Filter f = cli_filter(o);
    View v;
    view_build(a, &acct, o->view, &f, o->sort, o->limit, &v);
    render_view(stdout, &acct, &v, &o->render);
    return 0;
}
