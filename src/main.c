/* main.c — heft's entry point: find the subcommand, run it. The views
 * (summary, symbols, crates, sections, segments) share one parser in cli.c;
 * every other subcommand parses its own options (commands.c lists them). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "memtune.h"
#include "progress.h"

int main(int argc, char **argv)
{
    memtune_init();
    CommandFn fn = cli_run_views;
    /* Installed as cargo-heft, cargo runs it as `cargo-heft heft ARGS`. */
    const char *base = strrchr(argv[0], '/');
    if (strcmp(base ? base + 1 : argv[0], "cargo-heft") == 0) {
        fn = cmd_cargo;
        cli_command = "cargo";
        if (argc > 1 && strcmp(argv[1], "heft") == 0)
            argc--, argv++;
    }
    CommandFn sub = fn == cli_run_views && argc > 1 ? cli_find_command(argv[1]) : NULL;
    if (sub) {
        fn = sub;
        cli_command = argv[1];
        argc--, argv++;
    }
    Arena *a = arena_new();
    progress_enable();
    int rc = fn(a, argc, argv);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("heft: writing output");
        rc = 2;
    }
    arena_free(a);
    return rc;
}
