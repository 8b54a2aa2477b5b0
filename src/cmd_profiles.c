/* cmd_profiles.c — `cargo heft profiles`: builds the project under several
 * compile profiles (each a cargo profile of heft's own, inheriting from
 * release, defined only by --config arguments, built into a target directory
 * of heft's own), measures each artifact — sizes, build time, and with
 * --bench the runtime and peak memory of a command — and reports the
 * trade-off (profiles.h decides, render_profiles.h prints). */
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cargo.h"
#include "cli.h"
#include "plot.h"
#include "profiles.h"
#include "progress.h"
#include "render_profiles.h"
#include "child.h"
#include "measure.h"
#include "monotime.h"
#include "outfile.h"


static const char usage_text[] =
    "usage: cargo heft profiles [OPTIONS]\n"
    "       heft cargo profiles [OPTIONS]\n"
    "\n"
    "Builds the cargo project in the current directory under several compile\n"
    "profiles and measures each: file size, size with symbols stripped (a real\n"
    "strip = true build), .text and VM size, build time, and with --bench the\n"
    "runtime and peak memory of a command. Reports them sorted by size without\n"
    "symbols (whatever a profile's strip setting; strip = true is a line of its\n"
    "own) with the Pareto-optimal ones marked (no other profile is both smaller\n"
    "and faster), and recommends the smallest, the fastest (without --bench: the\n"
    "quickest to build) and a balanced one, each with its [profile.release]\n"
    "snippet.\n"
    "\n"
    "Each profile is a cargo profile heft-NAME inheriting from release, set only\n"
    "through cargo's --config, built in TARGET/heft-profiles (TARGET: the\n"
    "project's target directory, or --target-dir). Cargo.toml, .cargo/config.toml\n"
    "and target/release are never touched; a rerun reuses cargo's cache and shows\n"
    "the build time measured when the profile was built (marked cached).\n"
    "\n"
    "Which profiles (default: release, opt-level 2, s, z, codegen-units=1, thin\n"
    "LTO, fat LTO with one codegen unit, panic=abort, the size recipe and the\n"
    "speed recipe with -C target-cpu=native):\n"
    "  --axes KEY=V1,V2 [KEY=V1,V2 ...]  the cartesian product of these axes;\n"
    "                           KEY: opt-level, lto, codegen-units, panic, strip,\n"
    "                           debug, target-cpu, pgo (off,on)\n"
    "  --full                   opt-level=3,2,s,z lto=off,thin,fat\n"
    "                           codegen-units=1,16 panic=unwind,abort (48 builds)\n"
    "\n"
    "Measuring:\n"
    "  --bench 'CMD {bin} ARGS' run CMD (through /bin/sh; {bin} becomes the\n"
    "                           artifact's path, quoted) once to warm up, then\n"
    "                           --runs times; time is then its median runtime\n"
    "  --runs N                 timed runs of each (default 10), the profiles\n"
    "                           taking turns; differences whose confidence\n"
    "                           intervals overlap are reported as noise\n"
    "  PGO (axis pgo=on, or added to the default set with --bench): needs an\n"
    "  llvm-profdata of rustc's LLVM version; heft says what is missing if not.\n"
    "\n"
    "Output:\n"
    "  --format FMT             table (default), json, csv or tsv\n"
    "  --plot FILE.svg          size against time, the frontier drawn\n"
    "  -n N                     crates and functions to list as shrunk (default 8)\n"
    "  -w, --wide               never cut names\n"
    "  --clean                  remove TARGET/heft-profiles (every profile's builds,\n"
    "                           kept build times) and build nothing\n"
    "\n"
    "Passed to cargo build: --bin NAME, --example NAME, -p/--package SPEC,\n"
    "  --features F, --all-features, --no-default-features, --target TRIPLE,\n"
    "  --target-dir DIR, --manifest-path PATH, -j/--jobs N, --frozen, --locked,\n"
    "  --offline, --config KEY=VALUE\n"
    "\n"
    "Before building, heft says how many builds it will make and where; after\n"
    "the first profile, how long and how much disk the rest should take.\n"
    "Progress goes to stderr. Ctrl-C stops the running build and reports what\n"
    "finished. A profile that fails to build shows cargo's first error line.\n"
    "Exit status: 0, 2 on bad usage or when no profile built, 130 when\n"
    "interrupted. JSON schema: docs/profiles.md.\n";

enum {
    O_BENCH = 256, O_RUNS, O_AXES, O_FULL, O_FORMAT, O_PLOT, O_BIN, O_EXAMPLE, O_FEATURES, O_ALLFEAT, O_NODEF,
    O_TARGET, O_TARGETDIR, O_MANIFEST, O_FROZEN, O_LOCKED, O_OFFLINE, O_CONFIG, O_CLEAN,
};

typedef struct ProfOpts {
    char **build; /* for cargo build */
    size_t nbuild;
    char **meta;  /* for cargo metadata */
    size_t nmeta;
    const char *bench, *format, *plot, *target_dir, *bin, *example;
    char **axes;
    size_t naxes;
    bool full, wide, clean;
    int runs;
    size_t nshrink;
} ProfOpts;

static void parse(Arena *a, int argc, char **argv, ProfOpts *o)
{
    static const struct option longs[] = {
        {"bench", required_argument, 0, O_BENCH}, {"runs", required_argument, 0, O_RUNS},
        {"axes", required_argument, 0, O_AXES}, {"full", no_argument, 0, O_FULL},
        {"format", required_argument, 0, O_FORMAT}, {"plot", required_argument, 0, O_PLOT},
        {"bin", required_argument, 0, O_BIN}, {"example", required_argument, 0, O_EXAMPLE},
        {"package", required_argument, 0, 'p'}, {"features", required_argument, 0, O_FEATURES},
        {"all-features", no_argument, 0, O_ALLFEAT}, {"no-default-features", no_argument, 0, O_NODEF},
        {"target", required_argument, 0, O_TARGET}, {"target-dir", required_argument, 0, O_TARGETDIR},
        {"manifest-path", required_argument, 0, O_MANIFEST}, {"jobs", required_argument, 0, 'j'},
        {"frozen", no_argument, 0, O_FROZEN}, {"locked", no_argument, 0, O_LOCKED},
        {"offline", no_argument, 0, O_OFFLINE}, {"config", required_argument, 0, O_CONFIG},
        {"wide", no_argument, 0, 'w'}, {"clean", no_argument, 0, O_CLEAN}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->build = arena_array(a, (size_t)argc + 1, sizeof *o->build);
    o->meta = arena_array(a, (size_t)argc + 2, sizeof *o->meta);
    o->axes = arena_array(a, (size_t)argc + 1, sizeof *o->axes);
    o->meta[o->nmeta++] = "--offline";
    o->format = "table";
    o->runs = 10; /* the median's 97.9% interval: ranks 2 and 9 */
    o->nshrink = 8;
    opterr = 0;
    optind = 1;
    int c, idx;
    while ((c = getopt_long(argc, argv, ":p:j:n:wh", longs, &idx)) != -1) {
        switch (c) {
        case O_BENCH:
            if (!strstr(optarg, "{bin}"))
                cli_usage_error("--bench '%s' has no {bin} for the artifact's path", optarg);
            o->bench = optarg;
            break;
        case O_RUNS: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || end == optarg || n < 1 || n > 1000)
                cli_usage_error("--runs takes a count from 1 to 1000, not '%s'", optarg);
            o->runs = (int)n;
            break;
        }
        case O_AXES: o->axes[o->naxes++] = optarg; break;
        case O_FULL: o->full = true; break;
        case O_CLEAN: o->clean = true; break;
        case O_FORMAT: o->format = optarg; break;
        case O_PLOT: o->plot = optarg; break;
        case 'n': o->nshrink = cli_parse_limit(optarg); break;
        case 'w': o->wide = true; break;
        case O_BIN: case O_EXAMPLE: case 'p': case O_FEATURES: case O_TARGET: case O_TARGETDIR: case O_MANIFEST:
        case 'j': case O_CONFIG: {
            const char *name = c == 'p' ? "package" : c == 'j' ? "jobs" : longs[idx].name;
            if (c == O_TARGETDIR) {
                o->target_dir = optarg;
                break;
            }
            o->build[o->nbuild++] = arena_printf(a, "--%s=%s", name, optarg);
            if (c == O_BIN) o->bin = optarg;
            if (c == O_EXAMPLE) o->example = optarg;
            if (c == O_FEATURES || c == O_MANIFEST || c == O_CONFIG)
                o->meta[o->nmeta++] = o->build[o->nbuild - 1];
            break;
        }
        case O_ALLFEAT: case O_NODEF: case O_FROZEN: case O_LOCKED: case O_OFFLINE:
            o->build[o->nbuild++] = arena_printf(a, "--%s", longs[idx].name);
            if (c != O_OFFLINE)
                o->meta[o->nmeta++] = o->build[o->nbuild - 1];
            break;
        case 'h': fputs(usage_text, stdout); exit(0);
        case ':': cli_usage_error("option '%s' needs a value", argv[optind - 1]); break;
        default: cli_usage_error("unknown option '%s' for cargo heft profiles", argv[optind - 1]);
        }
    }
    /* --axes A B C: the words after it are axes too. */
    for (; optind < argc; optind++) {
        if (!o->naxes || !strchr(argv[optind], '='))
            cli_usage_error("unexpected argument '%s' (axes go after --axes: KEY=V1,V2)", argv[optind]);
        o->axes[o->naxes++] = argv[optind];
    }
    if (o->full && o->naxes)
        cli_usage_error("%s", "--full and --axes both choose the profiles: give one");
    if (strcmp(o->format, "table") && strcmp(o->format, "json") && strcmp(o->format, "csv") &&
        strcmp(o->format, "tsv"))
        cli_usage_error("--format takes table, json, csv or tsv, not '%s'", o->format);
}

/* Progress on stderr: a live line on a terminal, else a line per profile. */
typedef struct LiveLine {
    bool tty;
    size_t done, total; /* builds */
    double spent;       /* seconds of the builds that ran */
    size_t ran;
    const char *what;   /* the build in progress */
    double started;
    size_t crates;      /* of the build in progress, done */
} LiveLine;

/* The live line: the build, how many crates it has compiled (or found up
 * to date), done/total, and the time left at the average so far. */
static void live_show(LiveLine *pr)
{
    if (!pr->tty)
        return;
    char eta[32] = "", msgs[48] = "";
    if (pr->ran) {
        double left = pr->spent / (double)pr->ran * (double)(pr->total - pr->done) - (monotime_seconds() - pr->started);
        left = left < 0 ? 0 : left;
        snprintf(eta, sizeof eta, ", ETA %d:%02d", (int)left / 60, (int)left % 60);
    }
    if (pr->crates)
        snprintf(msgs, sizeof msgs, ", %zu crate%s done", pr->crates, pr->crates == 1 ? "" : "s");
    if (pr->done >= pr->total) /* the --bench rounds, after every build */
        fprintf(stderr, "\r\033[K%s", pr->what);
    else
        fprintf(stderr, "\r\033[K[%zu/%zu] building %s%s%s", pr->done + 1, pr->total, pr->what, msgs, eta);
    fflush(stderr);
}

static void live_message(void *arg, const char *line, size_t len)
{
    LiveLine *pr = arg;
    static const char artifact[] = "\"reason\":\"compiler-artifact\"";
    if (len >= sizeof artifact - 1 && memmem(line, len, artifact, sizeof artifact - 1)) {
        pr->crates++;
        live_show(pr);
    }
}

static void live_start(LiveLine *pr, const char *what)
{
    pr->what = what;
    pr->started = monotime_seconds();
    pr->crates = 0;
    live_show(pr);
}

static void live_clear(const LiveLine *pr)
{
    if (pr->tty)
        fputs("\r\033[K", stderr);
}

typedef struct Ctx {
    Arena *a;
    const char *cargo, *dir, *times_path;
    const ProfOpts *o;
    ProfTimes times;
    LiveLine pr;
    const char *old_rustflags, *old_encoded; /* the user's RUSTFLAGS / CARGO_ENCODED_RUSTFLAGS */
    const CargoMeta *meta; /* its workspace members: only their binaries count */
} Ctx;

/* The artifact of a build: the one binary (the --bin or --example asked for). */
static const CargoArtifact *artifact_of(const CargoBuild *b, const ProfOpts *o, const char **why)
{
    const CargoArtifact *pick = NULL;
    size_t n = 0;
    const char *kind = o->example ? "example" : "bin", *name = o->example ? o->example : o->bin;
    for (size_t i = 0; i < b->narts; i++)
        if (strcmp(b->arts[i].kind, kind) == 0 && (!name || strcmp(b->arts[i].target, name) == 0))
            pick = &b->arts[i], n++;
    if (n == 1)
        return pick;
    *why = n ? "cargo built several binaries: choose one with --bin NAME (or -p, --example)"
             : "cargo built no binary (profiles measures a bin or an example)";
    return NULL;
}

/* Builds variant `cargo_name` of p (extra_key=extra_value over its settings,
 * rustflags added). Returns the artifact, or NULL with p failed or
 * interrupted. */
static const CargoArtifact *build(Ctx *c, Profile *p, const char *cargo_name, const char *extra_key,
                                  const char *extra_value, const char **rustflags, size_t nflags, CargoBuild *b)
{
    Arena *a = c->a;
    if (child_interrupted()) {
        p->status = PROF_INTERRUPTED;
        return NULL;
    }
    char **cfg;
    size_t ncfg = profiles_config_args(a, p, cargo_name, extra_key, extra_value, &cfg);
    char **args = arena_array(a, c->o->nbuild + ncfg + 6, sizeof *args);
    size_t n = 0;
    for (size_t i = 0; i < c->o->nbuild; i++)
        args[n++] = c->o->build[i];
    args[n++] = arena_printf(a, "--profile=%s", cargo_name);
    args[n++] = arena_printf(a, "--target-dir=%s", c->dir);
    for (size_t i = 0; i < ncfg; i++)
        args[n++] = cfg[i];
    /* rustflags: build.rustflags through --config, which cargo ignores when
     * RUSTFLAGS or CARGO_ENCODED_RUSTFLAGS is set: then those, extended. */
    const char *env[1];
    size_t nenv = 0;
    if (nflags) {
        char *list = "", *spaced = "", *encoded = "";
        for (size_t i = 0; i < nflags; i++) {
            list = arena_printf(a, "%s%s\"%s\"", list, i ? "," : "", rustflags[i]);
            spaced = arena_printf(a, "%s %s", spaced, rustflags[i]);
            encoded = arena_printf(a, "%s\x1f%s", encoded, rustflags[i]);
        }
        if (c->old_encoded)
            env[nenv++] = arena_printf(a, "CARGO_ENCODED_RUSTFLAGS=%s%s", c->old_encoded,
                                       *c->old_encoded ? encoded : encoded + 1);
        else if (c->old_rustflags)
            env[nenv++] = arena_printf(a, "RUSTFLAGS=%s%s", c->old_rustflags, spaced);
        else {
            args[n++] = "--config";
            args[n++] = arena_printf(a, "build.rustflags=[%s]", list);
        }
    }
    CargoBuildOpts bo = {env, nenv, true, true, c->pr.tty ? live_message : NULL, &c->pr, c->meta};
    if (!cargo_build_with(a, c->cargo, args, n, &bo, b)) {
        if (child_interrupted()) { /* before cargo could start: it never ran */
            p->status = PROF_INTERRUPTED;
            return NULL;
        }
        fprintf(stderr, "heft: cannot run %s: %s\n", c->cargo, strerror(errno));
        exit(EXIT_USAGE);
    }
    c->pr.done++;
    if (!b->fresh)
        c->pr.spent += b->seconds, c->pr.ran++;
    if (child_interrupted()) {
        p->status = PROF_INTERRUPTED;
        return NULL;
    }
    if (b->status != 0) {
        p->status = PROF_FAILED;
        p->error = b->error ? b->error : arena_printf(a, "cargo exited with status %d", b->status);
        return NULL;
    }
    const char *why = NULL;
    const CargoArtifact *art = artifact_of(b, c->o, &why);
    if (!art) {
        live_clear(&c->pr);
        fprintf(stderr, "heft: %s\n", why);
        for (size_t i = 0; i < b->narts; i++)
            fprintf(stderr, "  %-8s %s\n", b->arts[i].kind, b->arts[i].target);
        exit(EXIT_USAGE);
    }
    return art;
}

static uint64_t size_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* s in single quotes for /bin/sh. */
static const char *shell_quote(Arena *a, const char *s)
{
    char *q = arena_alloc(a, 4 * strlen(s) + 3), *o = q;
    *o++ = '\'';
    for (; *s; s++)
        if (*s == '\'')
            memcpy(o, "'\\''", 4), o += 4;
        else
            *o++ = *s;
    *o++ = '\'';
    *o = '\0';
    return q;
}

/* cmd with {bin} replaced by the path in single quotes. */
static const char *bench_command(Arena *a, const char *cmd, const char *path)
{
    const char *q = shell_quote(a, path);
    char *out = "";
    const char *s = cmd, *m;
    while ((m = strstr(s, "{bin}"))) {
        out = arena_printf(a, "%s%.*s%s", out, (int)(m - s), s, q);
        s = m + 5;
    }
    return arena_printf(a, "%s%s", out, s);
}

/* One run of the --bench command for p; false (with p->bench_error) when
 * it failed. */
static bool bench_once(Ctx *c, Profile *p, const char *line, const char *env, double *secs)
{
    long kib;
    int rc = measure_run(c->a, line, env, secs, &kib);
    if (child_interrupted())
        return false;
    if (rc != 0) {
        p->bench_error = rc < 0 ? "cannot run /bin/sh" : arena_printf(c->a, "--bench command exited with status %d", rc);
        return false;
    }
    p->peak_rss_kib = kib > p->peak_rss_kib ? kib : p->peak_rss_kib;
    return true;
}

/* --bench for every built profile, interleaved: a warm-up run of each, then
 * round after round one run of each (A B C A B C …), so that the machine's
 * drift (other load, a CPU warming up) spreads over all profiles instead of
 * favouring the ones measured first. Interrupted, the rounds every profile
 * finished still count. Returns the number of rounds; *level the coverage
 * of the runtimes' confidence intervals. */
static int bench_all(Ctx *c, Profile *p, size_t n, double *level)
{
    Arena *a = c->a;
    int runs = c->o->runs, done = 0;
    const char **line = arena_array(a, n ? n : 1, sizeof *line);
    double **t = arena_array(a, n ? n : 1, sizeof *t);
    for (size_t i = 0; i < n; i++) {
        p[i].peak_rss_kib = -1; /* unknown without heft-measure */
        if (p[i].status != PROF_OK)
            continue;
        line[i] = bench_command(a, c->o->bench, p[i].path);
        t[i] = arena_array(a, (size_t)runs, sizeof *t[i]);
    }
    for (int round = -1; round < runs && !child_interrupted(); round++) {
        for (size_t i = 0; i < n && !child_interrupted(); i++) {
            if (p[i].status != PROF_OK || p[i].bench_error)
                continue;
            live_start(&c->pr, round < 0 ? arena_printf(a, "--bench: warm-up, %s", p[i].name)
                                             : arena_printf(a, "--bench: round %d/%d, %s", round + 1, runs, p[i].name));
            double secs;
            if (bench_once(c, &p[i], line[i], NULL, &secs) && round >= 0)
                t[i][round] = secs;
        }
        if (!child_interrupted())
            done = round + 1;
    }
    live_clear(&c->pr);
    for (size_t i = 0; done > 0 && i < n; i++) {
        if (p[i].status != PROF_OK || p[i].bench_error)
            continue;
        profiles_stats(t[i], (size_t)done, &p[i].run_median, &p[i].run_min, &p[i].run_max);
        profiles_median_ci(t[i], (size_t)done, &p[i].run_lo, &p[i].run_hi, level);
        p[i].run_n = (size_t)done;
        p[i].benched = true;
    }
    return done;
}

/* Instrumented build, a bench run to collect, merge: the -Cprofile-use
 * flag for the real build, or NULL with p failed. */
static const char *pgo_collect(Ctx *c, Profile *p, const char *profdata, const char **flags, size_t nflags)
{
    Arena *a = c->a;
    const char *dir = arena_printf(a, "%s/pgo/%s", c->dir, p->name);
    const char *merged = arena_printf(a, "%s/pgo/%s.profdata", c->dir, p->name);
    /* Old profiles would be merged in: start from an empty directory. */
    const char *clean = arena_printf(a, "rm -rf %s && mkdir -p %s", shell_quote(a, dir), shell_quote(a, dir));
    double secs;
    long kib;
    if (measure_run(a, clean, NULL, &secs, &kib) != 0) {
        p->status = child_interrupted() ? PROF_INTERRUPTED : PROF_FAILED;
        p->error = arena_printf(a, "cannot make %s", dir);
        return NULL;
    }
    const char **gen = arena_array(a, nflags + 3, sizeof *gen);
    memcpy(gen, flags, nflags * sizeof *gen);
    gen[nflags] = "-C";
    gen[nflags + 1] = arena_printf(a, "profile-generate=%s", dir);
    CargoBuild b;
    live_start(&c->pr, arena_printf(a, "heft-%s-pgo-gen (instrumented)", p->name));
    const CargoArtifact *art = build(c, p, arena_printf(a, "heft-%s-pgo-gen", p->name), NULL, NULL, gen,
                                     nflags + 2, &b);
    if (!art)
        return NULL;
    Profile scratch = *p;
    const char *line = bench_command(a, c->o->bench, art->path);
    if (!bench_once(c, &scratch, line, arena_printf(a, "LLVM_PROFILE_FILE=%s/%%m.profraw", dir), &secs)) {
        p->status = child_interrupted() ? PROF_INTERRUPTED : PROF_FAILED;
        p->error = scratch.bench_error;
        return NULL;
    }
    const char *merge = arena_printf(a, "%s merge -o %s %s", shell_quote(a, profdata), shell_quote(a, merged),
                                     shell_quote(a, dir));
    if (measure_run(a, merge, NULL, &secs, &kib) != 0) {
        p->status = child_interrupted() ? PROF_INTERRUPTED : PROF_FAILED;
        p->error = arena_printf(a, "llvm-profdata merge failed: %s", merge);
        return NULL;
    }
    return arena_printf(a, "profile-use=%s", merged);
}

/* The build time of a variant: measured now, or the one kept from the run
 * that built it when cargo had nothing to do. */
static void note_time(Ctx *c, Profile *p, const CargoBuild *b, const char *key)
{
    double secs;
    if (!b->fresh) {
        p->build_secs = b->seconds, p->build_known = true;
        profiles_times_put(c->a, &c->times, key, b->seconds);
    } else if (profiles_times_get(&c->times, key, &secs)) {
        p->build_secs = secs, p->build_known = true, p->cached = true;
    } else {
        p->cached = true;
    }
}

static bool strips(const Profile *p)
{
    const char *s = profiles_get(p, "strip");
    return s && (strcmp(s, "true") == 0 || strcmp(s, "symbols") == 0);
}

static void measure(Ctx *c, Profile *p, const char *profdata, const char *pgo_missing)
{
    Arena *a = c->a;
    const char **flags;
    size_t nflags = profiles_rustflags(a, p, &flags);
    const char *pgo = profiles_get(p, "pgo");
    if (pgo && strcmp(pgo, "off") != 0) {
        if (strcmp(pgo, "on") != 0) {
            p->status = PROF_FAILED, p->error = arena_printf(a, "pgo takes off or on, not '%s'", pgo);
            return;
        }
        if (!profdata || !c->o->bench) {
            p->status = PROF_FAILED;
            p->error = !c->o->bench ? "PGO needs --bench to collect a profile" : pgo_missing;
            return;
        }
        const char *use = pgo_collect(c, p, profdata, flags, nflags);
        if (!use)
            return;
        const char **more = arena_array(a, nflags + 3, sizeof *more);
        memcpy(more, flags, nflags * sizeof *more);
        more[nflags++] = "-C";
        more[nflags++] = use;
        flags = more;
    }
    const char *name = arena_printf(a, "heft-%s", p->name);
    CargoBuild b;
    live_start(&c->pr, name);
    const CargoArtifact *art = build(c, p, name, NULL, NULL, flags, nflags, &b);
    if (!art)
        return;
    char **cfg;
    size_t ncfg = profiles_config_args(a, p, name, NULL, NULL, &cfg);
    /* the key: what makes cargo build it differently */
    const char *key = name;
    for (size_t i = 0; i < c->o->nbuild; i++)
        key = arena_printf(a, "%s %s", key, c->o->build[i]);
    for (size_t i = 1; i < ncfg; i += 2)
        key = arena_printf(a, "%s %s", key, cfg[i]);
    for (size_t i = 0; i < nflags; i++)
        key = arena_printf(a, "%s %s", key, flags[i]);
    note_time(c, p, &b, key);
    p->path = art->path;
    p->file_size = size_of(art->path);
    /* The twin: with strip = true for the stripped size, or with symbols
     * kept for the analyses when the profile strips. */
    bool s = strips(p);
    const char *twin = arena_printf(a, "heft-%s-%s", p->name, s ? "symbols" : "stripped");
    live_start(&c->pr, arena_printf(a, "%s (%s)", twin, s ? "symbols kept, for the analyses" : "strip = true"));
    CargoBuild tb;
    const CargoArtifact *tart = build(c, p, twin, "strip", s ? "debuginfo" : "true", flags, nflags, &tb);
    if (!tart)
        return;
    p->sym_path = s ? tart->path : art->path;
    p->stripped_size = s ? p->file_size : size_of(tart->path);
    Image img;
    Account acct;
    cli_open(a, p->sym_path, 0, &img, &acct);
    p->vm_size = acct.vm_size;
    for (uint32_t i = 0; i < img.nsections; i++)
        if (img.sections[i].name && strcmp(img.sections[i].name, ".text") == 0)
            p->text_size = img.sections[i].size;
    p->status = PROF_OK;
}

static int cmp_report(const void *x, const void *y)
{
    const Profile *a = x, *b = y;
    bool oka = a->status == PROF_OK, okb = b->status == PROF_OK;
    if (oka != okb)
        return oka ? -1 : 1;
    if (oka && profiles_size(a) != profiles_size(b))
        return profiles_size(a) < profiles_size(b) ? -1 : 1;
    return 0;
}

/* Stable sort by size: insertion (a few dozen rows). */
static void sort_report(Profile *p, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        Profile t = p[i];
        size_t j = i;
        while (j > 0 && cmp_report(&p[j - 1], &t) > 0) {
            p[j] = p[j - 1];
            j--;
        }
        p[j] = t;
    }
}

/* Bytes a directory tree takes on disk (0 when it does not exist). nftw's
 * callback has no argument of its own: the sum is a file static. */
static uint64_t du_sum;

static int du_add(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)path, (void)flag, (void)ftw;
    du_sum += (uint64_t)st->st_blocks * 512;
    return 0;
}

static uint64_t disk_usage(const char *dir)
{
    du_sum = 0;
    nftw(dir, du_add, 16, FTW_PHYS);
    return du_sum;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)ftw;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

/* --clean: TARGET/heft-profiles and all in it. */
static int clean(const char *dir)
{
    struct stat st;
    if (lstat(dir, &st) != 0) {
        fprintf(stderr, "heft: nothing to remove: %s does not exist\n", dir);
        return 0;
    }
    char size[24];
    render_human(size, sizeof size, disk_usage(dir));
    if (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) {
        fprintf(stderr, "heft: %s: cannot remove it all: %s\n", dir, strerror(errno));
        return EXIT_USAGE;
    }
    fprintf(stderr, "heft: removed %s (%s)\n", dir, size);
    return 0;
}

/* "1h05m", "12m30s", "45 s". */
static void duration_str(char *buf, size_t len, double s)
{
    long t = lround(s);
    if (t >= 3600)
        snprintf(buf, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, len, "%ld s", t);
}

/* After the first profile: what the rest should cost, at its rate. */
static void estimate(const Profile *first, size_t builds, size_t rest, double secs, uint64_t bytes)
{
    if (!rest || !builds || first->status != PROF_OK || first->cached)
        return;
    char t[32], d[24], tr[32], dr[24];
    duration_str(t, sizeof t, secs);
    render_human(d, sizeof d, bytes);
    duration_str(tr, sizeof tr, secs / (double)builds * (double)rest);
    render_human(dr, sizeof dr, bytes / builds * rest);
    fprintf(stderr, "heft: %s took %s and %s of disk for %zu builds: about %s and %s more for the other %zu\n",
            first->name, t, d, builds, tr, dr, rest);
}

/* What shrank from the baseline to the smallest. */
static void shrink(Arena *a, ProfReport *r)
{
    const Profile *base = r->rec.baseline == SIZE_MAX ? NULL : &r->p[r->rec.baseline];
    const Profile *small = r->rec.smallest == SIZE_MAX ? NULL : &r->p[r->rec.smallest];
    if (!base || !small || base == small)
        return;
    Snapshot *old = arena_alloc(a, sizeof *old), *new = arena_alloc(a, sizeof *new);
    cli_open_snapshot(a, base->sym_path, 0, 0, old);
    cli_open_snapshot(a, small->sym_path, 0, 0, new);
    r->old = old, r->new = new;
    diff_build(a, old, new, SNAP_CRATES, NULL, 0, &r->crates);
    diff_build(a, old, new, SNAP_SYMBOLS, NULL, 0, &r->symbols);
    r->shrink = true;
}

int cmd_profiles(Arena *a, int argc, char **argv)
{
    ProfOpts o;
    progress_disable(); /* the builds' own live line */
    parse(a, argc, argv, &o);
    RenderOpts ro = cli_render_opts(o.format, o.wide);
    Ctx c = {.a = a, .o = &o};
    c.cargo = cargo_program(a);
    c.old_rustflags = getenv("RUSTFLAGS");
    c.old_encoded = getenv("CARGO_ENCODED_RUSTFLAGS");

    Profile *p;
    size_t n;
    char err[256];
    if (o.full || o.naxes) {
        n = o.full ? profiles_axes(a, (char *const *)profiles_full_axes, profiles_nfull_axes, &p, err, sizeof err)
                   : profiles_axes(a, o.axes, o.naxes, &p, err, sizeof err);
        if (!n)
            cli_usage_error("--axes: %s", err);
    } else {
        n = profiles_default(a, &p);
    }
    const char **notes = arena_array(a, 4, sizeof *notes);
    size_t nnotes = 0;
    bool want_pgo = false;
    for (size_t i = 0; i < n; i++)
        want_pgo |= profiles_get(&p[i], "pgo") && strcmp(profiles_get(&p[i], "pgo"), "off") != 0;
    const char *pgo_missing = NULL;
    const char *profdata = NULL;
    if (want_pgo || (!o.full && !o.naxes && o.bench)) {
        profdata = cargo_llvm_profdata(a, c.cargo, &pgo_missing);
        if (!profdata)
            notes[nnotes++] = arena_printf(a, "PGO left out: %s", pgo_missing);
        else if (!o.naxes && !o.full) {
            /* the default set gains the speed recipe with PGO */
            Profile *more = arena_array(a, n + 1, sizeof *more);
            memcpy(more, p, n * sizeof *p);
            more[n] = p[n - 1];
            more[n].name = "speed-pgo";
            more[n].order = n;
            more[n].set[more[n].nset++] = (ProfSetting){"pgo", "on"};
            p = more, n++;
        }
    }
    bool native = false;
    for (size_t i = 0; i < n; i++)
        native |= profiles_get(&p[i], "target-cpu") != NULL;
    if (native && (c.old_rustflags || c.old_encoded))
        notes[nnotes++] = arena_printf(a, "target-cpu goes into %s (added to yours), which cargo prefers to "
                                          "build.rustflags", c.old_encoded ? "CARGO_ENCODED_RUSTFLAGS" : "RUSTFLAGS");

    CargoMeta meta;
    if (!cargo_metadata(a, c.cargo, o.meta, o.nmeta, &meta) || !meta.target_dir) {
        fprintf(stderr, "heft: cargo metadata failed: is there a Cargo.toml here (or --manifest-path)?\n");
        return EXIT_USAGE;
    }
    c.meta = &meta;
    c.dir = arena_printf(a, "%s/heft-profiles", o.target_dir ? o.target_dir : meta.target_dir);
    c.times_path = arena_printf(a, "%s/heft-times.json", c.dir);
    if (o.clean)
        return clean(c.dir);
    profiles_times_load(a, c.times_path, &c.times);

    /* Ctrl-C: stop the running build or benchmark (its whole process group)
     * and report what finished. */
    struct sigaction sa = {0}, old_sa;
    sa.sa_handler = child_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_sa);
    c.pr.tty = isatty(STDERR_FILENO);
    /* Two builds per profile (the profile and its twin), one more with PGO. */
    size_t *planned = arena_array(a, n, sizeof *planned);
    for (size_t i = 0; i < n; i++) {
        bool pgo = profiles_get(&p[i], "pgo") && strcmp(profiles_get(&p[i], "pgo"), "on") == 0;
        c.pr.total += planned[i] = pgo && profdata && o.bench ? 3 : 2;
    }
    size_t planned_done = 0;
    fprintf(stderr, "heft: %zu profiles, %zu builds, in %s (cargo heft profiles --clean removes it)\n", n,
            c.pr.total, c.dir);
    uint64_t disk0 = disk_usage(c.dir);
    double t0 = monotime_seconds();
    for (size_t i = 0; i < n && !child_interrupted(); i++) {
        measure(&c, &p[i], profdata, pgo_missing);
        if (i == 0 && !child_interrupted()) {
            uint64_t disk1 = disk_usage(c.dir);
            estimate(&p[0], planned[0], c.pr.total - planned[0], monotime_seconds() - t0,
                     disk1 > disk0 ? disk1 - disk0 : 0);
        }
        /* a failed build skips the rest of its profile's */
        c.pr.done = planned_done += planned[i];
        if (p[i].status == PROF_FAILED || p[i].status == PROF_OK) {
            live_clear(&c.pr);
            if (!c.pr.tty) {
                if (p[i].status == PROF_OK && p[i].build_known)
                    fprintf(stderr, "heft: [%zu/%zu] %s: %" PRIu64 " bytes, built in %.1f s%s\n", i + 1, n,
                            p[i].name, p[i].file_size, p[i].build_secs, p[i].cached ? " (cached)" : "");
                else if (p[i].status == PROF_OK)
                    fprintf(stderr, "heft: [%zu/%zu] %s: %" PRIu64 " bytes, built earlier (cached)\n", i + 1, n,
                            p[i].name, p[i].file_size);
                else
                    fprintf(stderr, "heft: [%zu/%zu] %s: failed: %s\n", i + 1, n, p[i].name, p[i].error);
            }
        }
    }
    live_clear(&c.pr);
    double ci_level = NAN;
    int rounds = o.bench && !child_interrupted() ? bench_all(&c, p, n, &ci_level) : 0;
    sigaction(SIGINT, &old_sa, NULL);
    if (!profiles_times_save(&c.times, c.times_path))
        fprintf(stderr, "heft: cannot write %s: build times will not be kept\n", c.times_path);
    if (child_interrupted())
        fprintf(stderr, "heft: interrupted: reporting the profiles that finished\n");

    ProfReport r = {.by_runtime = o.bench != NULL, .bench = o.bench, .runs = rounds, .ci_level = ci_level, .notes = notes,
                    .nnotes = nnotes, .interrupted = child_interrupted(), .nshrink = o.nshrink};
    /* Interrupted profiles are not reported: they were not measured. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i].status == PROF_OK || p[i].status == PROF_FAILED)
            p[m++] = p[i];
    sort_report(p, m);
    r.p = p, r.n = m;
    /* With --bench, a profile whose command failed has no time: report it as
     * failed. One interrupted before a round of runs ended keeps its sizes. */
    for (size_t i = 0; i < m; i++)
        if (p[i].status == PROF_OK && o.bench && p[i].bench_error) {
            p[i].status = PROF_FAILED;
            p[i].error = p[i].bench_error;
        }
    sort_report(p, m);
    profiles_pareto(p, m, r.by_runtime);
    profiles_recommend(p, m, r.by_runtime, &r.rec);
    shrink(a, &r);
    /* Interrupted before any profile finished: the one line above says all
     * a person needs (JSON still says it to a program). */
    if (m || !r.interrupted || ro.format != FMT_TABLE)
        render_profiles(stdout, &r, &ro);
    if (o.plot) {
        OutFile out;
        char err[512];
        int rc = outfile_open(&out, o.plot, err, sizeof err);
        if (rc == 0) {
            plot_profiles_svg(out.f, &r);
            rc = outfile_commit(&out, err, sizeof err);
        }
        if (rc != 0) {
            fprintf(stderr, "heft: %s: %s\n", o.plot, err);
            return EXIT_USAGE;
        }
    }
    if (child_interrupted())
        return 130;
    return r.rec.baseline == SIZE_MAX ? EXIT_USAGE : 0;
}
