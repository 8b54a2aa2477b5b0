/* cli.c — command-line options shared by every view, the help text, and the
 * loader that turns a path into an accounting or a one-line error. */
#include "cli.h"

#include <elf.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "elffile.h"
#include "elfrefs.h"
#include "names.h"
#include "owners.h"
#include "snapshot.h"
#include "version.h"

static const char usage_text[] =
    "usage: heft [VIEW] [OPTIONS] FILE\n"
    "       heft COMMAND [OPTIONS] ...       (heft COMMAND --help for its options)\n"
    "       cargo heft [OPTIONS]             (build with cargo, then analyse)\n"
    "\n"
    "Where the bytes of an ELF file go: every byte of the file, and of the image\n"
    "it loads, is counted exactly once, so every view adds up to the totals.\n"
    "Works on executables, shared libraries, objects and static libraries (ar\n"
    "archives) from Rust, C and C++.\n"
    "\n"
    "Views (the options below):\n"
    "  summary      (default) totals, sections, top crates, top symbols\n"
    "  symbols      largest symbols (functions and data) and unclaimed bytes\n"
    "  crates       size per Rust crate, C++ namespace, [C], or fallback\n"
    "  sections     size per section, plus headers and padding\n"
    "  segments     size per loaded segment (PT_LOAD)\n"
    "  members      size per member of an ar archive (.a, .rlib), text/data/bss\n"
    "\n"
    "Commands (each with its own --help):\n"
    "  units        size per compile unit, from debug info\n"
    "  files        size per source file or line, from debug info\n"
    "  monos        copies of each generic function, savings, suggestions\n"
    "  dups         functions and read-only data left in identical copies\n"
    "  why          FILE NAME: the chains of references that keep NAME in FILE\n"
    "  garbage      code and data that no chain of references reaches\n"
    "  retained     per symbol (or --crates) the bytes only it keeps alive\n"
    "  diff         OLD NEW: what changed between two builds or snapshots\n"
    "  snapshot     FILE -o OUT: save FILE's rows for later diffs and checks\n"
    "  check        FILE --budget B: exit 1 when FILE breaks a size budget\n"
    "  cargo        build a cargo project and analyse it (as cargo heft);\n"
    "               cargo heft profiles: size, build time and speed of profiles\n"
    "\n"
    "Options:\n"
    "  -n N              rows to show (default 20; 10 per list in summary); 0 = all\n"
    "  --filter REGEX    only symbols whose name (or an alias) matches (POSIX ERE)\n"
    "  --crate NAME      only symbols of this crate / namespace (after the std fold)\n"
    "  --section NAME    only bytes in this section, e.g. .text or .rodata\n"
    "  --sort KEY        size (default, largest first), name, or addr\n"
    "  --full-names      keep hashes and compiler suffixes (.llvm.N, .cold, …)\n"
    "  --split-std       show core, alloc, … apart instead of folding them into std\n"
    "  --no-demangle     show raw mangled names\n"
    "  --no-owners       symbols, crates: leave unwind records, exception tables,\n"
    "                    relocations and code padding in [section …] rows (by\n"
    "                    default they count with the symbol they are there for:\n"
    "                    the symbols view's Owned column, the crate's row)\n"
    "  --refs            also give unnamed constants (strings, tables, vtables) to\n"
    "                    the code that refers to them; disassembles every\n"
    "                    function (the reference graph of heft why): slower\n"
    "  --by AXIS         crates from debug info: 'defining' (the crate whose source\n"
    "                    the code is) or 'instantiating' (the crate whose compile\n"
    "                    unit emitted it); without debug info, from symbol names\n"
    "  --matrix          crates: one row per defining <- instantiating pair\n"
    "  --debug-file PATH read the debug info from PATH (with --by, --matrix)\n"
    "  --debug-dir DIR   look for build-id and debuglink files under DIR instead\n"
    "                    of /usr/lib/debug\n"
    "  -w, --wide        never cut names to the terminal width\n"
    "  --format FMT      table (default), json, csv or tsv\n"
    "  -h, --help        this text\n"
    "  -V, --version     heft's version\n"
    "\n"
    "Sizes: File is bytes in the file, VM bytes in memory once loaded (.bss has\n"
    "VM size only; debug info and symbol tables have file size only).\n"
    "An archive's VM size is the sum of its members' allocated sections: what\n"
    "linking every member would load, before --gc-sections; its sections view\n"
    "folds .text.*, .rodata.*, .data.* ... into .text, .rodata, .data.\n"
    "Exit status: 0 success, 2 bad input or usage. JSON schema: docs/json.md.\n";

const char *cli_command;

void cli_usage_error(const char *fmt, const char *arg)
{
    fputs("heft: ", stderr);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see 'heft %s%s--help')\n", cli_command ? cli_command : "", cli_command ? " " : "");
    exit(EXIT_USAGE);
}

Pattern *cli_compile_filter(const char *filter)
{
    char why[160];
    Pattern *re = pattern_compile(filter, why, sizeof why);
    if (!re) {
        char msg[512]; /* an argument, not the format: the pattern may hold a '%' */
        snprintf(msg, sizeof msg, "--filter '%s': %s", filter, why);
        cli_usage_error("%s", msg);
    }
    return re;
}

void cli_check_filter(const Pattern *re, const char *filter)
{
    const char *why = re ? pattern_failed(re) : NULL;
    if (why) {
        fprintf(stderr, "heft: --filter '%s': %s\n", filter, why);
        exit(EXIT_USAGE);
    }
}

int cli_term_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
        return ws.ws_col;
    const char *cols = getenv("COLUMNS");
    return cols ? atoi(cols) : 0;
}

static bool parse_view(const char *s, ViewKind *v)
{
    for (ViewKind k = VIEW_SUMMARY; k <= VIEW_MEMBERS; k++)
        if (strcmp(s, view_name(k)) == 0) {
            *v = k;
            return true;
        }
    return false;
}

enum { OPT_FILTER = 256, OPT_CRATE, OPT_SECTION, OPT_SORT, OPT_FULL, OPT_SPLIT, OPT_NODEM, OPT_FORMAT, OPT_BY,
       OPT_MATRIX, OPT_DEBUG_FILE, OPT_DEBUG_DIR, OPT_NOOWN, OPT_REFS };

void cli_parse(int argc, char **argv, Options *o)
{
    static const struct option longs[] = {
        {"filter", required_argument, 0, OPT_FILTER}, {"crate", required_argument, 0, OPT_CRATE},
        {"section", required_argument, 0, OPT_SECTION}, {"sort", required_argument, 0, OPT_SORT},
        {"full-names", no_argument, 0, OPT_FULL}, {"split-std", no_argument, 0, OPT_SPLIT},
        {"no-demangle", no_argument, 0, OPT_NODEM}, {"wide", no_argument, 0, 'w'},
        {"format", required_argument, 0, OPT_FORMAT}, {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'}, {"by", required_argument, 0, OPT_BY},
        {"matrix", no_argument, 0, OPT_MATRIX}, {"debug-file", required_argument, 0, OPT_DEBUG_FILE},
        {"debug-dir", required_argument, 0, OPT_DEBUG_DIR}, {"no-owners", no_argument, 0, OPT_NOOWN},
        {"refs", no_argument, 0, OPT_REFS},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->acct_flags = CLI_OWNERS;
    bool debug_opts = false;
    bool wide = false;
    const char *format = "table";
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":n:whV", longs, NULL)) != -1) {
        switch (c) {
        case 'n':
            o->limit = cli_parse_limit(optarg);
            o->limit_set = true;
            break;
        case OPT_FILTER: o->filter = optarg; break;
        case OPT_CRATE: o->crate = optarg; break;
        case OPT_SECTION: o->section = optarg; break;
        case OPT_SORT:
            if (strcmp(optarg, "size") == 0) o->sort = SORT_SIZE;
            else if (strcmp(optarg, "name") == 0) o->sort = SORT_NAME;
            else if (strcmp(optarg, "addr") == 0) o->sort = SORT_ADDR;
            else cli_usage_error("--sort takes size, name or addr, not '%s'", optarg);
            break;
        case OPT_FULL: o->acct_flags |= ACCT_FULL_NAMES; break;
        case OPT_SPLIT: o->acct_flags |= ACCT_SPLIT_STD; break;
        case OPT_NODEM: o->acct_flags |= ACCT_NO_DEMANGLE; break;
        case OPT_NOOWN: o->acct_flags &= ~CLI_OWNERS; break;
        case OPT_REFS: o->acct_flags |= CLI_REFS; break;
        case 'w': wide = true; break;
        case OPT_FORMAT: format = optarg; break;
        case OPT_BY:
            if (strcmp(optarg, "defining") == 0) o->by = DV_DEFINING;
            else if (strcmp(optarg, "instantiating") == 0) o->by = DV_INSTANTIATING;
            else cli_usage_error("--by takes defining or instantiating, not '%s'", optarg);
            o->by_debug = true;
            break;
        case OPT_MATRIX: o->matrix = o->by_debug = true; break;
        case OPT_DEBUG_FILE: o->debug.debug_file = optarg; debug_opts = true; break;
        case OPT_DEBUG_DIR: o->debug.debug_dir = optarg; debug_opts = true; break;
        case 'h': fputs(usage_text, stdout); exit(0);
        case 'V': printf("heft %s\n", HEFT_VERSION); exit(0);
        case ':': cli_usage_error("option '%s' needs a value", argv[optind - 1]); break;
        default: cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    int left = argc - optind;
    if (left == 2) {
        if (!parse_view(argv[optind], &o->view))
            cli_usage_error("unknown view '%s'; views are summary, symbols, crates, sections, segments, members",
                        argv[optind]);
        o->file = argv[optind + 1];
    } else if (left == 1) {
        if (parse_view(argv[optind], &o->view))
            cli_usage_error("the %s view needs a FILE", argv[optind]);
        o->file = argv[optind];
    } else if (left == 0) {
        cli_usage_error("%s", "no FILE given");
    } else {
        cli_usage_error("too many arguments starting at '%s'", argv[optind + 2]);
    }

    o->render = cli_render_opts(format, wide);

    if (o->filter)
        o->re = cli_compile_filter(o->filter);
    if (o->view == VIEW_SEGMENTS && (o->filter || o->crate || o->section))
        cli_usage_error("%s", "--filter, --crate and --section do not apply to the segments view");
    if ((o->by_debug || debug_opts) && o->view != VIEW_CRATES)
        cli_usage_error("%s", "--by, --matrix, --debug-file and --debug-dir apply to the crates view only (and "
                              "--debug-file, --debug-dir to heft units, files, snapshot and diff)");
    if (debug_opts && !o->by_debug)
        cli_usage_error("%s", "--debug-file and --debug-dir need --by or --matrix");
    if (o->by_debug && (o->filter || o->crate || o->section))
        cli_usage_error("%s", "--filter, --crate and --section do not apply with --by or --matrix");
    if (o->matrix)
        o->by = DV_MATRIX;
    if (!o->limit_set)
        o->limit = o->view == VIEW_SUMMARY ? 10 : 20;
}

size_t cli_parse_limit(const char *arg)
{
    char *end;
    errno = 0;
    long long n = strtoll(arg, &end, 10);
    if (*arg == '\0' || *end || n < 0 || errno == ERANGE)
        cli_usage_error("-n takes a number of rows (0 = all), not '%s'", arg);
    return (size_t)n;
}

RenderOpts cli_render_opts(const char *format, bool wide)
{
    RenderOpts r = {0};
    if (strcmp(format, "table") == 0) r.format = FMT_TABLE;
    else if (strcmp(format, "json") == 0) r.format = FMT_JSON;
    else if (strcmp(format, "csv") == 0) r.format = FMT_CSV;
    else if (strcmp(format, "tsv") == 0) r.format = FMT_TSV;
    else cli_usage_error("--format takes table, json, csv or tsv, not '%s'", format);
    const char *nc = getenv("NO_COLOR");
    r.color = r.format == FMT_TABLE && isatty(STDOUT_FILENO) && !(nc && *nc);
    r.width = wide ? 0 : cli_term_width();
    return r;
}

Filter cli_filter(const Options *o)
{
    return (Filter){o->re, o->crate, o->section, NULL};
}

/* Reads the debug info and prints libdw's complaints; exits 2 when
 * --debug-file is unusable or the debug info would inflate beyond bounds. */
static void debug_load_warn(Arena *a, const Image *img, const DebugOpts *o, DebugInfo *di)
{
    char err[512];
    if (debuginfo_load(a, img, o, di, err, sizeof err) != 0) {
        fprintf(stderr, "heft: %s: %s\n", img->path, err);
        exit(EXIT_USAGE);
    }
    uint32_t shown = di->nwarnings < 10 ? di->nwarnings : 10;
    for (uint32_t i = 0; i < shown; i++)
        fprintf(stderr, "heft: %s: warning: %s\n", img->path, di->warnings[i]);
    if (di->nwarnings > shown)
        fprintf(stderr, "heft: %s: warning: %u more warnings about its debug info\n", img->path,
                di->nwarnings - shown);
}

void cli_debug_load(Arena *a, const Image *img, const DebugOpts *o, DebugInfo *di)
{
    debug_load_warn(a, img, o, di);
    if (!di->from && img->kind != ET_REL)
        fprintf(stderr,
                "heft: %s: no debug info found (no .debug_info, and no debug file by build-id or .gnu_debuglink); "
                "build with -g or debug = 1, or give --debug-file\n",
                img->path);
    else if (di->from && strcmp(di->from, img->path) != 0)
        fprintf(stderr, "heft: %s: note: debug info from %s\n", img->path, di->from);
    if (di->split_units)
        fprintf(stderr,
                "heft: %s: note: %u unit%s use%s split DWARF (-gsplit-dwarf): heft reads their address ranges and "
                "line tables from the skeletons here, not the .dwo/.dwp files (no variables from those)\n",
                img->path, di->split_units, di->split_units == 1 ? "" : "s", di->split_units == 1 ? "s" : "");
}

void cli_load(Arena *a, const Options *o, Image *img, Account *acct)
{
    cli_open(a, o->file, o->acct_flags, img, acct);
}

void cli_load_views(Arena *a, const Options *o, Image *img, Account *acct)
{
    cli_open(a, o->file, o->acct_flags | ACCT_LAZY_NAMES, img, acct);
}

/* True when a file is (mostly) Rust, even stripped: a Rust-mangled symbol, the
 * .rustc section of a dylib, rustc in .comment, or core's panic locations in
 * .rodata, which every Rust program links. Only the stripped-file hint asks. */
static bool looks_like_rust(const Image *img)
{
    for (uint32_t i = 0; i < img->nsymbols; i++) {
        NameLang l = names_lang(img->symbols[i].name);
        if (l == NAME_RUST_LEGACY || l == NAME_RUST_V0)
            return true;
    }
    static const struct {
        const char *section, *needle;
    } marks[] = {{".rustc", ""}, {".comment", "rustc version"}, {".rodata", "library/core/src/"}};
    for (uint32_t i = 0; i < img->nsections; i++) {
        const Section *s = &img->sections[i];
        for (size_t k = 0; k < sizeof marks / sizeof *marks; k++)
            if (s->name && strcmp(s->name, marks[k].section) == 0 && s->file_size &&
                s->offset <= img->size && s->file_size <= img->size - s->offset &&
                memmem(img->data + s->offset, s->file_size, marks[k].needle, strlen(marks[k].needle)))
                return true;
    }
    return false;
}

static void open_image(Arena *a, const char *path, Image *img)
{
    char err[512];
    if (elffile_open(a, path, img, err, sizeof err) != 0) {
        fprintf(stderr, "heft: %s: %s\n", path, err);
        exit(EXIT_USAGE);
    }
}

static void account(Arena *a, const char *path, unsigned acct_flags, Image *img, Account *acct)
{
    if (!img->has_symtab && !(img->archive && !img->elf_class)) /* an archive with no ELF member has none to strip */
        fprintf(stderr, "heft: %s: no .symtab (stripped)%s; %s\n", path,
                img->has_dynsym ? ", only exported symbols from .dynsym" : "",
                looks_like_rust(img) ? "keep symbols with strip = false in the cargo profile"
                                     : "keep symbols by linking without -s and not running strip");
    account_build(a, img, acct_flags, acct);
}

/* Owners are a linked file's: an object's tables name no addresses yet.
 * Said before the stripped warning. */
static void refuse_unlinked(const Image *img, const char *path)
{
    if (img->archive || img->kind == ET_REL) {
        fprintf(stderr,
                "heft: %s: --refs gives constants to code in linked files (executables and shared objects), not in "
                "relocatable objects or archives; heft why, retained and garbage read those\n",
                path);
        exit(EXIT_USAGE);
    }
}

static void graph(Arena *a, const char *path, const Account *acct, Graph *g)
{
    char err[256];
    if (graph_build(a, acct, g, err, sizeof err) != 0) {
        fprintf(stderr, "heft: %s: %s\n", path, err);
        exit(EXIT_USAGE);
    }
}

void cli_open(Arena *a, const char *path, unsigned acct_flags, Image *img, Account *acct)
{
    open_image(a, path, img);
    bool refs = acct_flags & CLI_REFS;
    if (refs)
        refuse_unlinked(img, path);
    account(a, path, acct_flags & ~(CLI_OWNERS | CLI_REFS), img, acct);
    Graph g;
    if (refs)
        graph(a, path, acct, &g);
    if ((acct_flags & (CLI_OWNERS | CLI_REFS)) && !(acct_flags & ACCT_NO_SYMBOLS))
        owners_build(a, acct, refs ? &g : NULL);
}

void cli_hint_refs(const Account *acct, const View *v)
{
    if (v->owners && !acct->refs && v->unowned_vm > acct->vm_size / 100 * 3)
        fprintf(stderr,
                "heft: %s: note: [section …] rows hold %.1f%% of the loaded image; --refs gives the unnamed "
                "constants among them to the code that refers to them\n",
                acct->img->path, 100.0 * (double)v->unowned_vm / (double)acct->vm_size);
}

void cli_open_graph(Arena *a, const char *path, unsigned acct_flags, Image *img, Account *acct, Graph *g)
{
    open_image(a, path, img);
    account(a, path, acct_flags & ~(CLI_OWNERS | CLI_REFS), img, acct);
    graph(a, path, acct, g);
    /* The graph's nodes keep the unnamed constants: the owners of the
     * tables (unwind, exceptions, relocations) only. */
    if (acct_flags & CLI_OWNERS)
        owners_build(a, acct, NULL);
}

void cli_open_snapshot(Arena *a, const char *path, unsigned acct_flags, unsigned want, Snapshot *out)
{
    cli_open_snapshot_debug(a, path, acct_flags, want, NULL, out);
}

void cli_open_snapshot_debug(Arena *a, const char *path, unsigned acct_flags, unsigned want, const DebugOpts *dbg,
                             Snapshot *out)
{
    if (snapshot_is_snapshot_file(path)) {
        char err[512];
        if (snapshot_load(a, path, out, err, sizeof err) != 0) {
            fprintf(stderr, "heft: %s: %s\n", path, err);
            exit(EXIT_USAGE);
        }
        /* Its crates would not line up with the other side's. */
        if (out->split_std != ((acct_flags & ACCT_SPLIT_STD) != 0)) {
            fprintf(stderr, "heft: %s: snapshot taken %s --split-std; run with%s it\n", path,
                    out->split_std ? "with" : "without", out->split_std ? "" : "out");
            exit(EXIT_USAGE);
        }
        return;
    }
    /* The accounting lives in an arena of its own, freed once the rows are
     * taken: a diff then holds one file's accounting at a time. */
    Arena *tmp = arena_new();
    Image *img = arena_alloc(tmp, sizeof *img);
    Account *acct = arena_alloc(tmp, sizeof *acct);
    cli_open(tmp, path, acct_flags, img, acct);
    snapshot_from_account(tmp, acct, out);
    if (want & SNAP_WANT_MONOS)
        snapshot_add_monos(tmp, acct, out);
    if (want & SNAP_WANT_DEBUG) {
        /* Quietly none when there is none: the snapshot records it. */
        DebugOpts none = {0};
        DebugInfo di;
        debug_load_warn(tmp, img, dbg ? dbg : &none, &di);
        if (di.from && strcmp(di.from, img->path) != 0)
            fprintf(stderr, "heft: %s: note: debug info from %s\n", img->path, di.from);
        snapshot_add_debug(tmp, acct, &di, out);
    }
    snapshot_move(a, tmp, out);
    arena_free(tmp);
}

RenderOpts cli_render_opts_md(const char *format, bool wide)
{
    if (strcmp(format, "markdown") == 0)
        return (RenderOpts){.format = FMT_MARKDOWN};
    if (strcmp(format, "table") && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "tsv"))
        cli_usage_error("--format takes table, json, csv, tsv or markdown, not '%s'", format);
    return cli_render_opts(format, wide);
}
