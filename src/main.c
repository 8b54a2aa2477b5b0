/* main.c — heft's entry point: find the subcommand, run it. The views
 * (summary, symbols, crates, sections, segments) share one parser in cli.c;
 * every other subcommand parses its own options. */
#include <stdio.h>
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
    {NULL, NULL}, /* each subcommand adds a line above this one */
};

static int run_views(Arena *a, int argc, char **argv)
{
    Options o;
    cli_parse(argc, argv, &o);
    int rc = o.view == VIEW_SUMMARY ? cmd_summary(a, &o) : o.by_debug ? cmd_crates_debug(a, &o) : cmd_view(a, &o);
    if (o.filter)
        regfree(&o.re);
    return rc;
}

int main(int argc, char **argv)
{
    CommandFn fn = run_views;
    /* Installed as cargo-heft, cargo runs it as `cargo-heft heft ARGS`. */
    const char *base = strrchr(argv[0], '/');
    if (strcmp(base ? base + 1 : argv[0], "cargo-heft") == 0) {
        fn = cmd_cargo;
        cli_command = "cargo";
        if (argc > 1 && strcmp(argv[1], "heft") == 0)
            argc--, argv++;
    }
    for (size_t i = 0; fn == run_views && argc > 1 && commands[i].name; i++)
        if (strcmp(argv[1], commands[i].name) == 0) {
            fn = commands[i].fn;
            cli_command = commands[i].name;
            argc--, argv++;
            break;
        }
    Arena *a = arena_new();
    int rc = fn(a, argc, argv);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("heft: writing output");
        rc = 2;
    }
    arena_free(a);
    return rc;
}
