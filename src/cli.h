/* cli.h — what the commands share: the common options, loading a file into an
 * accounting, and the error conventions (exit 2 for bad input and usage). */
#ifndef HEFT_CLI_H
#define HEFT_CLI_H

#include "debugview.h"
#include "graph.h"
#include "render.h"
#include "view.h"

#define EXIT_USAGE 2 /* bad input or bad usage; 1 is kept for verdicts */

typedef struct Options {
    ViewKind view;
    const char *file;
    size_t limit;
    bool limit_set;
    const char *filter, *crate, *section;
    Pattern *re; /* --filter, compiled */
    SortKey sort;
    unsigned acct_flags; /* ACCT_* and CLI_* */
    RenderOpts render;
    /* crates from debug info: --by defining|instantiating, --matrix */
    bool by_debug, matrix;
    DebugViewKind by;
    DebugOpts debug;
} Options;

/* Helpers every command's own option parsing uses. */
/* The subcommand being run (main.c sets it), or NULL for the views. */
extern const char *cli_command;
/* Prints "heft: <fmt with arg> (see 'heft [COMMAND ]--help')" and exits 2. */
void cli_usage_error(const char *fmt, const char *arg) __attribute__((noreturn));
/* --filter REGEX (pattern.h); a bad one is a usage error (exit 2). */
Pattern *cli_compile_filter(const char *filter);
/* Exits 2 with "heft: --filter 'REGEX': why" when matching re (NULL: none)
 * hit its limits: the rows made with it are not the filter's. */
void cli_check_filter(const Pattern *re, const char *filter);
/* -n N: a row count, 0 = all; exits 2 on anything else. */
size_t cli_parse_limit(const char *arg);
/* --format table|json|csv|tsv plus colour and width for stdout; exits 2 on a bad format. */
RenderOpts cli_render_opts(const char *format, bool wide);
/* The same, also taking markdown (diff and check reports). */
RenderOpts cli_render_opts_md(const char *format, bool wide);
/* Columns of the terminal on stdout, else $COLUMNS, else 0. */
int cli_term_width(void);
/* Flags cli_open takes beside the ACCT_* ones: work out owners (owners.h),
 * and do so with the reference graph (graph.h: the unnamed data code refers
 * to gets an owner too; a file whose references heft cannot read is then a
 * usage error). */
#define CLI_OWNERS (1u << 30)
#define CLI_REFS (1u << 29)
/* Opens path and accounts for it (ACCT_* and CLI_* flags); on bad input
 * prints "heft: FILE: why" and exits 2; warns on stderr when there is no
 * .symtab. */
void cli_open(Arena *a, const char *path, unsigned acct_flags, Image *img, Account *acct);
/* cli_open, then the reference graph (graph.h); a file whose references
 * heft cannot read ends heft with its one-line reason and status 2. With
 * CLI_OWNERS, the owners of the unwind, exception and relocation tables
 * only: the graph's nodes hold the unnamed constants themselves. */
void cli_open_graph(Arena *a, const char *path, unsigned acct_flags, Image *img, Account *acct, Graph *g);
/* When a crates view with owners but without the graph leaves over 3% of
 * the loaded image in [section …] rows, says on stderr that --refs would
 * give them owners. */
void cli_hint_refs(const Account *acct, const View *v);
/* A binary's snapshot (taken now) or a saved snapshot file's (told apart by
 * the gzip magic); on bad input prints "heft: FILE: why" and exits 2. want
 * (SNAP_WANT_*): the views beyond the first four to take from a binary (a
 * file holds what it holds). */
struct Snapshot;
void cli_open_snapshot(Arena *a, const char *path, unsigned acct_flags, unsigned want, struct Snapshot *out);
/* The same, the debug info (SNAP_WANT_DEBUG) found as dbg says (--debug-file,
 * --debug-dir; NULL: the defaults); exits 2 when dbg's debug file is unusable. */
void cli_open_snapshot_debug(Arena *a, const char *path, unsigned acct_flags, unsigned want, const DebugOpts *dbg,
                             struct Snapshot *out);
/* Reads img's debug info; exits 2 when --debug-file is unusable; prints
 * libdw's complaints as "heft: FILE: …" warnings, and a note when there is no
 * debug info or only split-DWARF skeletons. */
void cli_debug_load(Arena *a, const Image *img, const DebugOpts *o, DebugInfo *di);

/* The views' parser. Parses argv; on a usage error prints it and exits 2;
 * --help and --version exit 0. */
void cli_parse(int argc, char **argv, Options *o);
/* Opens o->file and accounts for it; on bad input prints "heft: FILE: why" and exits 2. */
void cli_load(Arena *a, const Options *o, Image *img, Account *acct);
/* The same for the views of view.c (the summary too), which name only the
 * symbols they show, sort or match (ACCT_LAZY_NAMES). */
void cli_load_views(Arena *a, const Options *o, Image *img, Account *acct);
Filter cli_filter(const Options *o);

int cmd_summary(Arena *a, const Options *o);
int cmd_view(Arena *a, const Options *o);
/* crates --by / --matrix */
int cmd_crates_debug(Arena *a, const Options *o);

/* Subcommands with options of their own (git's builtin/ style): each gets
 * argv from its own name on and returns the exit status. main.c's table
 * lists them. */
typedef int (*CommandFn)(Arena *a, int argc, char **argv);
/* `heft VIEW ... FILE`: the views' parser, then the view (argv[0]: any). */
int cli_run_views(Arena *a, int argc, char **argv);
/* The subcommand called name (commands.c's table), or NULL. */
CommandFn cli_find_command(const char *name);
int cmd_snapshot(Arena *a, int argc, char **argv);
int cmd_diff(Arena *a, int argc, char **argv);
int cmd_check(Arena *a, int argc, char **argv);

int cmd_cargo(Arena *a, int argc, char **argv);
int cmd_profiles(Arena *a, int argc, char **argv); /* cargo heft profiles, through cmd_cargo */
int cmd_dups(Arena *a, int argc, char **argv);
int cmd_monos(Arena *a, int argc, char **argv);
int cmd_units(Arena *a, int argc, char **argv);
int cmd_files(Arena *a, int argc, char **argv);
int cmd_why(Arena *a, int argc, char **argv);
int cmd_garbage(Arena *a, int argc, char **argv);
int cmd_retained(Arena *a, int argc, char **argv);

#endif
