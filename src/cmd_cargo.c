/* cmd_cargo.c — `cargo heft` (also `heft cargo`): builds a cargo project,
 * finds the file it made from cargo's messages (a workspace member's bin,
 * example, test, cdylib, dylib or staticlib; never a proc-macro, a build
 * script or a dependency's), and shows either cargo-bloat's reports, with
 * cargo-bloat's options and output, or any of heft's views of it: the views
 * through cli.c's parser, monos, dups, units, files and diff through the
 * subcommands' table (commands.c). */
#include <errno.h>
#include <inttypes.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bloat.h"
#include "cargo.h"
#include "cli.h"
#include "elffile.h"
#include "version.h"

static const char usage_text[] =
    "usage: cargo heft [VIEW] [OPTIONS]\n"
    "       heft cargo [VIEW] [OPTIONS]\n"
    "       cargo heft profiles [OPTIONS]   (see cargo heft profiles --help)\n"
    "\n"
    "Builds the cargo project in the current directory and shows where the bytes\n"
    "of what it built go. Without a VIEW it reads like cargo-bloat, with the same\n"
    "options and output: the largest functions of .text, or with --crates the\n"
    "bytes of .text per crate. With a VIEW, or --format, it shows heft's own view\n"
    "of the file instead, exactly as `heft VIEW ... FILE` would:\n"
    "  summary, symbols, crates, sections, segments, members (of a staticlib)\n"
    "  monos, dups, units, files   with their own options (heft monos --help, ...)\n"
    "  diff SNAPSHOT               a saved snapshot (heft snapshot) against the\n"
    "                              fresh build, with heft diff's options\n"
    "For a staticlib, .text is that of all its members (.text.* included), what\n"
    "linking all of it would bring in.\n"
    "\n"
    "The file: what the selected packages of the workspace build (a bin, example,\n"
    "test, cdylib, dylib or staticlib of a workspace member), never a proc-macro,\n"
    "a build script or a dependency's own artifact. When that is several files,\n"
    "heft lists them with the options that choose each, and exits 2.\n"
    "\n"
    "What to build (passed to cargo build; cargo-bloat's meaning):\n"
    "  --bin NAME, --example NAME, --test NAME, --lib, -p/--package SPEC\n"
    "  --release, --profile NAME, --features F, --all-features,\n"
    "  --no-default-features, --target TRIPLE, --target-dir DIR,\n"
    "  --manifest-path PATH, -j/--jobs N, --frozen, --locked, --offline,\n"
    "  --config KEY=VALUE, -Z FLAG, -v/--verbose (cargo's, but in monos, dups,\n"
    "  units, files and diff, where -v is the view's)\n"
    "  --crate-type TYPE  when one target makes several files: bin, example, test,\n"
    "                     cdylib, dylib or staticlib\n"
    "\n"
    "cargo-bloat's report:\n"
    "  --crates                 bytes per crate instead of per function\n"
    "  --filter CRATE|REGEX     only this crate (a crate, package or renamed\n"
    "                           dependency name), else names matching the POSIX ERE\n"
    "  --split-std              show core, alloc, ... apart from std\n"
    "  --symbols-section NAME   the section to report on (default .text)\n"
    "  --no-relative-size       drop the File and section percent columns\n"
    "  --full-fn                names with their hashes\n"
    "  -n N                     rows to show (default 20); 0 = all\n"
    "  -w, --wide               never cut names to the terminal width\n"
    "  --message-format FMT     table (default) or json (cargo-bloat's JSON)\n"
    "\n"
    "heft's views summary ... members (see heft --help): -n, --filter, --split-std,\n"
    "  --full-fn, -w as above, and --crate NAME, --section NAME, --sort KEY,\n"
    "  --full-names, --no-demangle, --format table|json|csv|tsv (alone: summary)\n"
    "\n"
    "Symbols are kept even when the profile strips them. heft analyses the file\n"
    "cargo build makes; when it has no .symtab, heft builds again into\n"
    "TARGET/heft-symbols with CARGO_PROFILE_<PROFILE>_STRIP set (to debuginfo, or\n"
    "false when the profile keeps debug info) and says so: the first time, that\n"
    "rebuilds the dependencies there; target/PROFILE stays as cargo built it.\n"
    "heft never edits the project's files.\n"
    "Cargo's own output goes to stderr; when the build fails heft exits with\n"
    "cargo's status. Otherwise: 0 success, 2 bad usage or nothing to analyse.\n"
    "The cargo run is $CARGO, else cargo on PATH, else ~/.cargo/bin/cargo.\n";

enum {
    O_BIN = 256, O_EXAMPLE, O_TEST, O_LIB, O_RELEASE, O_PROFILE, O_FEATURES, O_ALLFEAT, O_NODEF, O_TARGET,
    O_TARGETDIR, O_MANIFEST, O_FROZEN, O_LOCKED, O_OFFLINE, O_CONFIG, O_CRATETYPE, O_CRATES, O_FILTER, O_SPLIT,
    O_SYMSEC, O_NOREL, O_FULLFN, O_MSGFMT, O_FORMAT, O_CRATE, O_SECTION, O_SORT, O_FULLNAMES, O_NODEM,
};

typedef struct CargoOpts {
    char **build;     /* arguments for cargo build */
    size_t nbuild;
    char **meta;      /* arguments for cargo metadata */
    size_t nmeta;
    const char *profile, *target, *crate_type;
    const char *want; /* the kind --bin, --example, --test or --lib asks for */
    const char *view; /* heft view, or NULL for cargo-bloat's report */
    const char *command; /* or a subcommand of heft's (monos, dups, ...), */
    char **cmd_argv;     /* run with these arguments and the built file */
    int cmd_argc;
    const char *target_dir; /* --target-dir's value, or NULL */
    size_t target_dir_at;   /* its place in build */
    const char *filter, *symsec, *msgfmt, *format, *crate, *section, *sort;
    bool crates, split, norel, fullfn, fullnames, nodem, wide, limit_set;
    const char *limit;
} CargoOpts;

static const struct option longs[] = {
    {"bin", required_argument, 0, O_BIN}, {"example", required_argument, 0, O_EXAMPLE},
    {"test", required_argument, 0, O_TEST}, {"lib", no_argument, 0, O_LIB},
    {"package", required_argument, 0, 'p'}, {"release", no_argument, 0, O_RELEASE},
    {"profile", required_argument, 0, O_PROFILE}, {"features", required_argument, 0, O_FEATURES},
    {"all-features", no_argument, 0, O_ALLFEAT}, {"no-default-features", no_argument, 0, O_NODEF},
    {"target", required_argument, 0, O_TARGET}, {"target-dir", required_argument, 0, O_TARGETDIR},
    {"manifest-path", required_argument, 0, O_MANIFEST}, {"jobs", required_argument, 0, 'j'},
    {"frozen", no_argument, 0, O_FROZEN}, {"locked", no_argument, 0, O_LOCKED},
    {"offline", no_argument, 0, O_OFFLINE}, {"config", required_argument, 0, O_CONFIG},
    {"verbose", no_argument, 0, 'v'}, {"crate-type", required_argument, 0, O_CRATETYPE},
    {"crates", no_argument, 0, O_CRATES}, {"filter", required_argument, 0, O_FILTER},
    {"split-std", no_argument, 0, O_SPLIT}, {"symbols-section", required_argument, 0, O_SYMSEC},
    {"no-relative-size", no_argument, 0, O_NOREL}, {"full-fn", no_argument, 0, O_FULLFN},
    {"wide", no_argument, 0, 'w'}, {"message-format", required_argument, 0, O_MSGFMT},
    {"format", required_argument, 0, O_FORMAT}, {"crate", required_argument, 0, O_CRATE},
    {"section", required_argument, 0, O_SECTION}, {"sort", required_argument, 0, O_SORT},
    {"full-names", no_argument, 0, O_FULLNAMES}, {"no-demangle", no_argument, 0, O_NODEM},
    {"help", no_argument, 0, 'h'}, {"version", no_argument, 0, 'V'}, {0, 0, 0, 0}};

static void parse(Arena *a, int argc, char **argv, CargoOpts *o)
{
    memset(o, 0, sizeof *o);
    o->build = arena_array(a, (size_t)argc * 2 + 1, sizeof *o->build);
    o->meta = arena_array(a, (size_t)argc * 2 + 2, sizeof *o->meta);
    /* metadata is a nicety: it must never be what downloads anything */
    o->meta[o->nmeta++] = "--offline";
    opterr = 0;
    int c, idx;
    while ((c = getopt_long(argc, argv, ":p:j:Z:vn:whV", longs, &idx)) != -1) {
        /* Build options go to cargo as --name=value, or as they came. */
        const char *opt = c >= O_BIN && c < O_CRATETYPE ? longs[idx].name : NULL;
        switch (c) {
        case O_BIN: case O_EXAMPLE: case O_TEST: case O_FEATURES: case O_TARGETDIR: case 'p': case 'j':
        case O_TARGET: case O_PROFILE: case O_MANIFEST: case O_CONFIG:
            opt = c == 'p' ? "package" : c == 'j' ? "jobs" : opt;
            o->build[o->nbuild++] = arena_printf(a, "--%s=%s", opt, optarg);
            if (c == O_PROFILE) o->profile = optarg;
            if (c == O_TARGET) o->target = optarg;
            if (c == O_TARGETDIR) o->target_dir = optarg, o->target_dir_at = o->nbuild - 1;
            if (c == O_BIN || c == O_EXAMPLE || c == O_TEST) o->want = opt;
            if (c == O_FEATURES || c == O_MANIFEST || c == O_CONFIG)
                o->meta[o->nmeta++] = o->build[o->nbuild - 1];
            break;
        case O_LIB: case O_ALLFEAT: case O_NODEF: case O_FROZEN: case O_LOCKED: case O_OFFLINE:
            o->build[o->nbuild++] = arena_printf(a, "--%s", opt);
            if (c == O_LIB)
                o->want = "lib";
            else if (c != O_OFFLINE)
                o->meta[o->nmeta++] = o->build[o->nbuild - 1];
            break;
        case O_RELEASE:
            o->build[o->nbuild++] = "--release";
            o->profile = "release";
            break;
        case 'Z':
            o->build[o->nbuild++] = o->meta[o->nmeta++] = "-Z";
            o->build[o->nbuild++] = o->meta[o->nmeta++] = optarg;
            break;
        case 'v': o->build[o->nbuild++] = "-v"; break;
        case O_CRATETYPE: o->crate_type = optarg; break;
        case O_CRATES: o->crates = true; break;
        case O_FILTER: o->filter = optarg; break;
        case O_SPLIT: o->split = true; break;
        case O_SYMSEC: o->symsec = optarg; break;
        case O_NOREL: o->norel = true; break;
        case O_FULLFN: o->fullfn = true; break;
        case 'n': o->limit = optarg; o->limit_set = true; cli_parse_limit(optarg); break;
        case 'w': o->wide = true; break;
        case O_MSGFMT: o->msgfmt = optarg; break;
        case O_FORMAT: o->format = optarg; break;
        case O_CRATE: o->crate = optarg; break;
        case O_SECTION: o->section = optarg; break;
        case O_SORT: o->sort = optarg; break;
        case O_FULLNAMES: o->fullnames = true; break;
        case O_NODEM: o->nodem = true; break;
        case 'h': fputs(usage_text, stdout); exit(0);
        case 'V': printf("cargo-heft %s\n", HEFT_VERSION); exit(0);
        case ':': cli_usage_error("option '%s' needs a value", argv[optind - 1]); break;
        default: cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        static const char *const views[] = {"summary", "symbols", "crates", "sections", "segments", "members"};
        for (size_t i = 0; i < sizeof views / sizeof *views && !o->view; i++)
            if (strcmp(argv[optind], views[i]) == 0)
                o->view = views[i];
        if (!o->view)
            cli_usage_error("unknown view '%s'; views are summary, symbols, crates, sections, segments, members, "
                            "monos, dups, units, files, diff SNAPSHOT, profiles",
                            argv[optind]);
        if (optind + 1 < argc)
            cli_usage_error("too many arguments starting at '%s'", argv[optind + 1]);
    }
    if (!o->view && o->format)
        o->view = "summary";
    if (o->view && (o->crates || o->symsec || o->norel || o->msgfmt))
        cli_usage_error("%s", "--crates, --symbols-section, --no-relative-size and --message-format are "
                              "cargo-bloat's report options; a view takes --format, --section, ...");
    if (!o->view && (o->crate || o->section || o->sort || o->fullnames || o->nodem))
        cli_usage_error("%s", "--crate, --section, --sort, --full-names and --no-demangle need a view, "
                              "e.g. cargo heft symbols --section .rodata");
    if (o->msgfmt && strcmp(o->msgfmt, "table") != 0 && strcmp(o->msgfmt, "json") != 0)
        cli_usage_error("--message-format takes table or json, not '%s'", o->msgfmt);
    static const char *const types[] = {"bin", "example", "test", "cdylib", "dylib", "staticlib"};
    bool type_ok = !o->crate_type;
    for (size_t i = 0; i < 6 && !type_ok; i++)
        type_ok = strcmp(o->crate_type, types[i]) == 0;
    if (!type_ok)
        cli_usage_error("--crate-type takes bin, example, test, cdylib, dylib or staticlib, not '%s'",
                        o->crate_type);
}

/* heft's subcommands that cargo heft runs on the file it built. */
static const char *const commands[] = {"monos", "dups", "units", "files", "diff"};

/* `cargo heft COMMAND ARGS`: the options that say what to build (cargo
 * heft's build options and --crate-type, as in its table) go to parse();
 * everything else, positional arguments too (diff's SNAPSHOT), to the
 * command, which gets the built file as its last argument. -v and
 * --verbose are the command's here (monos, dups: list the copies). */
static void split_command(Arena *a, int argc, char **argv, CargoOpts *o)
{
    char **bargv = arena_array(a, (size_t)argc + 1, sizeof *bargv);
    int nb = 0;
    bargv[nb++] = argv[0];
    char **cargv = arena_array(a, (size_t)argc + 2, sizeof *cargv);
    int nc = 0;
    cargv[nc++] = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        bool build = false, takes_value = false;
        if (strcmp(arg, "--") == 0) {
            while (i < argc)
                cargv[nc++] = argv[i++];
            break;
        }
        if (strncmp(arg, "--", 2) == 0) {
            size_t len = strcspn(arg + 2, "=");
            for (const struct option *l = longs; l->name && !build; l++)
                if (strlen(l->name) == len && strncmp(arg + 2, l->name, len) == 0 &&
                    ((l->val >= O_BIN && l->val <= O_CRATETYPE) || l->val == 'p' || l->val == 'j'))
                    build = true, takes_value = l->has_arg == required_argument && !arg[2 + len];
        } else if (arg[0] == '-' && arg[1] && strchr("pjZ", arg[1])) {
            build = true, takes_value = !arg[2];
        }
        if (!build) {
            /* the subcommand's help needs no build */
            if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
                char *help[] = {argv[1], "--help", NULL};
                cli_command = argv[1];
                optind = 0;
                exit(cli_find_command(argv[1])(a, 2, help));
            }
            cargv[nc++] = argv[i];
            continue;
        }
        bargv[nb++] = argv[i];
        if (takes_value && i + 1 < argc)
            bargv[nb++] = argv[++i];
    }
    bargv[nb] = NULL;
    parse(a, nb, bargv, o);
    o->command = argv[1];
    o->cmd_argv = cargv;
    o->cmd_argc = nc;
}

/* CARGO_PROFILE_<NAME>_STRIP for the profile the build uses. */
static const char *strip_var(Arena *a, const char *profile, const char *value)
{
    char *name = arena_strdup(a, profile ? profile : "dev");
    for (char *p = name; *p; p++)
        *p = *p == '-' ? '_' : (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    return arena_printf(a, "CARGO_PROFILE_%s_STRIP=%s", name, value);
}

static const char *package_of(const CargoMeta *m, const CargoArtifact *art)
{
    for (size_t i = 0; i < m->npkgs; i++)
        if (strcmp(m->pkg_manifest[i], art->manifest) == 0)
            return m->pkg_name[i];
    return art->target;
}

static bool is_program(const CargoArtifact *x)
{
    return strcmp(x->kind, "bin") == 0 || strcmp(x->kind, "example") == 0 || strcmp(x->kind, "test") == 0;
}

/* Whether x is of the kind asked for: --crate-type's, else the one the
 * target flag implies (cargo builds a package's binaries for its
 * integration tests too). */
static bool wanted(const CargoArtifact *x, const CargoOpts *o)
{
    if (o->crate_type)
        return strcmp(x->kind, o->crate_type) == 0;
    if (o->want && strcmp(o->want, "lib") == 0)
        return !is_program(x);
    return !o->want || strcmp(x->kind, o->want) == 0;
}

/* The one artifact to analyse; several or none end the run (exit 2) with
 * what to choose from. */
static int cmp_artifact(const void *x, const void *y)
{
    const CargoArtifact *a = x, *b = y;
    int c = strcmp(a->kind, b->kind);
    return c ? c : (c = strcmp(a->target, b->target)) ? c : strcmp(a->path, b->path);
}

static const CargoArtifact *choose(CargoBuild *b, const CargoMeta *m, const CargoOpts *o)
{
    /* cargo reports artifacts as they finish; list them in a stable order */
    if (b->narts)
        qsort(b->arts, b->narts, sizeof *b->arts, cmp_artifact);
    const char *crate_type = o->crate_type;
    const CargoArtifact *pick = NULL;
    size_t n = 0;
    for (size_t i = 0; i < b->narts; i++)
        if (wanted(&b->arts[i], o))
            pick = &b->arts[i], n++;
    if (n == 1)
        return pick;
    if (n == 0) {
        fprintf(stderr, "heft: cargo built %s%s heft can analyse (an rlib is not one: choose a bin, "
                        "example or test, or a cdylib, dylib or staticlib crate type)\n",
                crate_type ? "no " : "nothing", crate_type ? crate_type : "");
        exit(EXIT_USAGE);
    }
    fprintf(stderr, "heft: cargo built %zu files heft can analyse; choose one:\n", n);
    for (size_t i = 0; i < b->narts; i++) {
        const CargoArtifact *x = &b->arts[i];
        if (!wanted(x, o))
            continue;
        const char *pkg = package_of(m, x);
        /* --crate-type only when the target made more than this file */
        bool alone = true;
        for (size_t j = 0; j < b->narts; j++)
            alone &= j == i || strcmp(b->arts[j].manifest, x->manifest) != 0 ||
                     strcmp(b->arts[j].target, x->target) != 0 || is_program(&b->arts[j]);
        char how[512];
        if (is_program(x))
            snprintf(how, sizeof how, "-p %s --%s %s", pkg, x->kind, x->target);
        else
            snprintf(how, sizeof how, "-p %s --lib%s%s", pkg, alone ? "" : " --crate-type ", alone ? "" : x->kind);
        fprintf(stderr, "  %-40s %s\n", how, x->path);
    }
    exit(EXIT_USAGE);
}

/* --filter: a crate when it names one (a crate, package or renamed
 * dependency), else a regular expression, as cargo-bloat decides. */
static const char *filter_crate(const Account *acct, const CargoMeta *m, const char **sysroot, size_t nsys,
                                const char *text)
{
    for (size_t i = 0; i < m->naliases; i++)
        if (strcmp(m->alias[i], text) == 0)
            return m->alias_crate[i];
    for (size_t i = 0; i < m->ncrates; i++)
        if (strcmp(m->crates[i], text) == 0)
            return text;
    for (size_t i = 0; i < nsys; i++)
        if (strcmp(sysroot[i], text) == 0)
            return text;
    for (uint32_t i = 0; i < acct->nleaves; i++)
        if (strcmp(acct->leaves[i].crate, text) == 0)
            return text;
    return NULL;
}

/* The reported section's size: in an archive (a staticlib), the sum over
 * its members of the sections a linker would merge into it (.text.* into
 * .text), as the views' --section does. False when there is none. */
static bool section_size(const Image *img, const char *name, uint64_t *size, bool *nobits)
{
    bool found = false;
    *size = 0;
    *nobits = true;
    for (uint32_t i = 0; i < img->nsections; i++) {
        const Section *s = &img->sections[i];
        if (!s->name)
            continue;
        size_t len = img->archive ? image_section_group(s->name) : strlen(s->name);
        if (len != strlen(name) || strncmp(s->name, name, len) != 0)
            continue;
        found = true;
        *size += s->size;
        *nobits = *nobits && !s->file_size && s->vm_size;
    }
    return found;
}

static int bloat_report(Arena *a, const CargoOpts *o, const CargoMeta *m, const char **sysroot, size_t nsys,
                        const char *path)
{
    Image img;
    Account acct;
    unsigned flags = ACCT_LAZY_NAMES | (o->split ? ACCT_SPLIT_STD : 0) | (o->fullfn ? ACCT_FULL_NAMES : 0);
    cli_open(a, path, flags, &img, &acct);
    const char *secname = o->symsec ? o->symsec : ".text";
    uint64_t secsize;
    bool nobits;
    if (!section_size(&img, secname, &secsize, &nobits)) {
        fprintf(stderr, "heft: %s: no section %s\n", path, secname);
        exit(EXIT_USAGE);
    }
    Filter f = {NULL, NULL, secname, NULL};
    if (o->filter && !(f.crate = filter_crate(&acct, m, sysroot, nsys, o->filter))) {
        char why[160];
        if (!(f.re = pattern_compile(o->filter, why, sizeof why))) {
            fprintf(stderr, "heft: --filter '%s' is no crate of this build, nor a regular expression: %s\n",
                    o->filter, why);
            exit(EXIT_USAGE);
        }
    }
    View v, crates;
    view_build(a, &acct, o->crates ? VIEW_CRATES : VIEW_SYMBOLS, &f, SORT_SIZE,
               o->limit_set ? cli_parse_limit(o->limit) : 20, &v);
    cli_check_filter(f.re, o->filter);
    /* The section's bytes no crate could be given to. */
    Filter all = {NULL, NULL, secname, NULL};
    view_build(a, &acct, VIEW_CRATES, &all, SORT_SIZE, 0, &crates);
    uint64_t unknown = 0;
    for (size_t i = 0; i < crates.nrows; i++)
        if (strcmp(crates.rows[i].name, "[unknown]") == 0)
            unknown = nobits ? crates.rows[i].vm_size : crates.rows[i].file_size;
    fprintf(stderr, "    [unknown] crate: %" PRIu64 " B of %s (%.1f%%)\n\n", unknown, secname,
            secsize ? 100.0 * (double)unknown / (double)secsize : 0.0);
    BloatOpts bo = {secname, secsize, nobits, o->crates, o->filter != NULL, !o->norel,
                    o->msgfmt && strcmp(o->msgfmt, "json") == 0, o->wide ? 0 : cli_term_width()};
    bloat_render(stdout, &acct, &v, &bo);
    pattern_free(f.re);
    return 0;
}

/* heft's own view, through the views' parser, as `heft VIEW ... FILE`. */
static int view_report(Arena *a, const CargoOpts *o, const CargoMeta *m, const char **sysroot, size_t nsys,
                       const char *path)
{
    char **argv = arena_array(a, 24, sizeof *argv);
    int n = 0;
    argv[n++] = "heft";
    argv[n++] = (char *)o->view;
    if (o->limit_set) argv[n++] = "-n", argv[n++] = (char *)o->limit;
    if (o->crate) argv[n++] = "--crate", argv[n++] = (char *)o->crate;
    if (o->section) argv[n++] = "--section", argv[n++] = (char *)o->section;
    if (o->sort) argv[n++] = "--sort", argv[n++] = (char *)o->sort;
    if (o->format) argv[n++] = "--format", argv[n++] = (char *)o->format;
    if (o->fullnames || o->fullfn) argv[n++] = "--full-names";
    if (o->split) argv[n++] = "--split-std";
    if (o->nodem) argv[n++] = "--no-demangle";
    if (o->wide) argv[n++] = "--wide";
    if (o->filter) {
        /* Without an accounting yet, a crate is one the build knows of. */
        Account none = {0};
        const char *crate = filter_crate(&none, m, sysroot, nsys, o->filter);
        argv[n++] = crate ? "--crate" : "--filter";
        argv[n++] = (char *)(crate ? crate : o->filter);
    }
    argv[n++] = "--";
    argv[n++] = (char *)path;
    argv[n] = NULL;
    optind = 0;
    return cli_run_views(a, n, argv);
}

/* heft's subcommand (monos, dups, units, files, diff) on the built file, as
 * `heft COMMAND ARGS FILE` runs it. */
static int command_report(Arena *a, CargoOpts *o, const char *path)
{
    o->cmd_argv[o->cmd_argc++] = (char *)path;
    o->cmd_argv[o->cmd_argc] = NULL;
    cli_command = o->command;
    optind = 0;
    return cli_find_command(o->command)(a, o->cmd_argc, o->cmd_argv);
}

/* Runs cargo build with args (env: NAME=VALUE or NULL) and picks the file
 * to analyse; a build that fails ends heft with cargo's status. */
static const CargoArtifact *build(Arena *a, const char *cargo, char **args, size_t nargs, const char *env,
                                  const CargoMeta *meta, const CargoOpts *o)
{
    CargoBuildOpts bo = {&env, env ? 1 : 0, false, NULL, NULL, NULL, meta};
    CargoBuild *b = arena_array(a, 1, sizeof *b);
    if (!cargo_build_with(a, cargo, args, nargs, &bo, b)) {
        fprintf(stderr, "heft: cannot run %s: %s\n", cargo, strerror(errno));
        exit(EXIT_USAGE);
    }
    if (b->status != 0) {
        fprintf(stderr, "heft: cargo build failed (exit status %d)\n", b->status);
        exit(b->status);
    }
    return choose(b, meta, o);
}

/* std's own copies of crates the project builds too (memchr, hashbrown):
 * their crate ids, read from the member names of the sysroot's rlibs
 * ("memchr-<hash>.memchr.<id>-cgu.0.rcgu.o"), tell them apart from the
 * project's copies, in v0 names and in legacy locals' objects. Only those
 * few rlibs are opened. */
static void std_crate_ids(Arena *a, const char *const *rlibs, size_t nrlibs, const CargoMeta *meta)
{
    size_t n = 0, cap = 0;
    const char **crates = NULL;
    uint64_t *ids = NULL;
    for (size_t i = 0; i < nrlibs; i++) {
        const char *base = strrchr(rlibs[i], '/'), *dash = base ? strrchr(base, '-') : NULL;
        if (!dash || dash < base + 5)
            continue;
        const char *crate = arena_strndup(a, base + 4, (size_t)(dash - base - 4));
        bool built = false;
        for (size_t k = 0; k < meta->ncrates && !built; k++)
            built = strcmp(meta->crates[k], crate) == 0;
        Image img;
        char err[256];
        if (!built || elffile_open(a, rlibs[i], &img, err, sizeof err) != 0)
            continue;
        for (uint32_t m = 0; m < img.nmembers; m++) {
            const char *dot = img.members[m].name ? strchr(img.members[m].name, '.') : NULL;
            uint64_t id = dot ? names_unit_crate_id(dot + 1, crate) : 0;
            if (!id || (n && ids[n - 1] == id && strcmp(crates[n - 1], crate) == 0))
                continue;
            if (n == cap) {
                const char **c2 = arena_array(a, cap = cap ? cap * 2 : 8, sizeof *c2);
                uint64_t *i2 = arena_array(a, cap, sizeof *i2);
                if (n) {
                    memcpy(c2, crates, n * sizeof *c2);
                    memcpy(i2, ids, n * sizeof *i2);
                }
                crates = c2, ids = i2;
            }
            crates[n] = crate;
            ids[n++] = id;
        }
    }
    names_set_std_crate_ids(crates, ids, n);
}

int cmd_cargo(Arena *a, int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "profiles") == 0)
        return cmd_profiles(a, argc - 1, argv + 1);
    CargoOpts o;
    bool command = false;
    for (size_t i = 0; argc > 1 && i < sizeof commands / sizeof *commands; i++)
        command |= strcmp(argv[1], commands[i]) == 0;
    if (command)
        split_command(a, argc, argv, &o);
    else
        parse(a, argc, argv, &o);
    const char *cargo = cargo_program(a);
    CargoQuestion libdir;
    cargo_sysroot_ask(a, cargo, o.target, &libdir);

    CargoMeta meta;
    if (!cargo_metadata(a, cargo, o.meta, o.nmeta, &meta))
        memset(&meta, 0, sizeof meta);

    /* The build the user's own `cargo build` makes (after one, it is
     * fresh). When its profile strips the symbols, a second build keeps
     * them, in a target directory of heft's own: strip is part of every
     * crate's hash, so it would rebuild the dependencies anyway (once), and
     * the user's target/PROFILE is never written with a file they do not
     * ship. "debuginfo" is what cargo does for a profile without debug
     * info; a profile with debug info keeps it (false). */
    const CargoArtifact *art = build(a, cargo, o.build, o.nbuild, NULL, &meta, &o);
    if (elffile_stripped(art->path)) {
        const char *dir = o.target_dir ? o.target_dir : meta.target_dir;
        if (!dir) {
            fprintf(stderr, "heft: %s has no symbols, and cargo metadata did not say where the target "
                            "directory is to build one with them: give --target-dir\n", art->path);
            return EXIT_USAGE;
        }
        char **args = arena_array(a, o.nbuild + 1, sizeof *args);
        memcpy(args, o.build, o.nbuild * sizeof *args);
        size_t nargs = o.nbuild;
        const char *own = arena_printf(a, "--target-dir=%s/heft-symbols", dir);
        if (o.target_dir)
            args[o.target_dir_at] = (char *)own;
        else
            args[nargs++] = (char *)own;
        const char *env = strip_var(a, o.profile, art->debuginfo > 0 ? "false" : "debuginfo");
        fprintf(stderr, "heft: the profile strips symbols; keeping them (%s) in %s/heft-symbols\n", env, dir);
        art = build(a, cargo, args, nargs, env, &meta, &o);
    }
    const char **sysroot, **rlibs;
    size_t nrlibs, nsys = cargo_sysroot_crates(a, &libdir, &sysroot, &rlibs, &nrlibs);
    names_set_build_crates(sysroot, nsys, meta.crates, meta.ncrates);
    std_crate_ids(a, rlibs, nrlibs, &meta);
    const char *shown = art->path;
    size_t rootlen = meta.workspace_root ? strlen(meta.workspace_root) : 0;
    if (rootlen && strncmp(shown, meta.workspace_root, rootlen) == 0 && shown[rootlen] == '/')
        shown += rootlen + 1;
    fprintf(stderr, "    Analyzing %s\n", shown);
    if (o.command)
        return command_report(a, &o, art->path);
    return o.view ? view_report(a, &o, &meta, sysroot, nsys, art->path)
                  : bloat_report(a, &o, &meta, sysroot, nsys, art->path);
}
