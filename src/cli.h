/* cli.h — what the commands share: the common options, loading a file into an
 * accounting, and the error conventions (exit 2 for bad input and usage). */
#ifndef HEFT_CLI_H
#define HEFT_CLI_H

#include "render.h"
#include "view.h"

#define EXIT_USAGE 2 /* bad input or bad usage; 1 is kept for verdicts */

typedef struct Options {
    ViewKind view;
    const char *file;
    size_t limit;
    bool limit_set;
    const char *filter, *crate, *section;
    regex_t re;
    SortKey sort;
    unsigned acct_flags;
    RenderOpts render;
} Options;

/* Parses argv; on a usage error prints it and exits 2; --help and --version exit 0. */
void cli_parse(int argc, char **argv, Options *o);
/* Opens o->file and accounts for it; on bad input prints "heft: FILE: why" and exits 2. */
void cli_load(Arena *a, const Options *o, Image *img, Account *acct);
Filter cli_filter(const Options *o);

int cmd_summary(Arena *a, const Options *o);
int cmd_view(Arena *a, const Options *o);

#endif
