/* main.c — heft's entry point: parse the command line, run the view. */
#include <stdio.h>

#include "cli.h"

int main(int argc, char **argv)
{
    Options o;
    cli_parse(argc, argv, &o);
    Arena *a = arena_new();
    int rc = o.view == VIEW_SUMMARY ? cmd_summary(a, &o) : cmd_view(a, &o);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("heft: writing output");
        rc = 2;
    }
    if (o.filter)
        regfree(&o.re);
    arena_free(a);
    return rc;
}
