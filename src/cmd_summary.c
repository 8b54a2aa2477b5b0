/* cmd_summary.c — `heft FILE`: the totals, every section, and the top crates
 * and symbols (and members, for an archive), so one command answers "where do
 * the bytes go?". */
#include "cli.h"

int cmd_summary(Arena *a, const Options *o)
{
    Image img;
    Account acct;
    cli_load_views(a, o, &img, &acct);
    Filter f = cli_filter(o);
    View sections, crates, symbols;
    /* JSON lists every section; the table keeps to the top ones. */
    view_build(a, &acct, VIEW_SECTIONS, &f, o->sort, o->render.format == FMT_JSON ? 0 : o->limit, &sections);
    view_build(a, &acct, VIEW_CRATES, &f, o->sort, o->limit, &crates);
    view_build(a, &acct, VIEW_SYMBOLS, &f, o->sort, o->limit, &symbols);
    /* An archive's table also names its largest members. */
    bool members_table = img.archive && o->render.format == FMT_TABLE;
    View members;
    if (members_table)
        view_build(a, &acct, VIEW_MEMBERS, &f, o->sort, o->limit, &members);
    cli_check_filter(o->re, o->filter);
    render_summary(stdout, &acct, &sections, &crates, &symbols, &o->render);
    if (o->render.format == FMT_TABLE)
        cli_hint_refs(&acct, &crates);
    if (members_table) {
        fputc('\n', stdout);
        render_heading(stdout, "Largest members", &o->render);
        render_view(stdout, &acct, &members, &o->render);
    }
    return 0;
}
