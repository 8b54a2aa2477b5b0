/* commands.c — what main.c runs: the views (summary, symbols, crates,
 * sections, segments, members: cli.c's parser) and the table of subcommands
 * with options of their own. `cargo heft VIEW` runs the same ones on the
 * file cargo built. */
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    CommandFn fn;
} commands[] = {
    {"cargo", cmd_cargo},
    {"dups", cmd_dups},
    {"snapshot", cmd_snapshot},
    {"diff", cmd_diff},
    {"check", cmd_check},
    {"monos", cmd_monos},
    {"units", cmd_units},
    {"files", cmd_files},
    {"why", cmd_why},
    {"garbage", cmd_garbage},
    {"retained", cmd_retained},
    {NULL, NULL}, /* each subcommand adds a line above this one */
};

int cli_run_views(Arena *a, int argc, char **argv)
{
    Options o;
    cli_parse(argc, argv, &o);
    int rc = o.view == VIEW_SUMMARY ? cmd_summary(a, &o) : o.by_debug ? cmd_crates_debug(a, &o) : cmd_view(a, &o);
    pattern_free(o.re);
    return rc;
}

CommandFn cli_find_command(const char *name)
{
    for (size_t i = 0; commands[i].name; i++)
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].fn;
    return NULL;
}
