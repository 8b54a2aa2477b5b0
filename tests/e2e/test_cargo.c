/* test_cargo.c — `cargo heft` against the fixture workspace
 * tests/fixtures/cargo, built for real by cargo (offline, locked, into
 * build/cargo/heft-cargo so nothing in the source tree changes). The ground
 * truth: the #[inline(never)] functions the fixture defines, in the crates
 * it puts them in, with the sizes readelf gives them. */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture_util.h"
#include "harness.h"

static const char *ws_path(const char *fmt)
{
    static char buf[4][4096];
    static unsigned next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], fmt, fixture(".."));
    return p;
}

/* heft cargo on the fixture workspace, with args. */
static Run cargo_heft(const char *args)
{
    return run_heft("cargo --manifest-path '%s' --target-dir '%s' --offline --locked %s",
                    ws_path("%s/../tests/fixtures/cargo/Cargo.toml"), ws_path("%s/cargo/heft-cargo"), args);
}

/* The file heft analysed, from its "    Analyzing PATH" line. */
static char *analyzed(const Run *r)
{
    const char *p = strstr(r->err, "    Analyzing ");
    cr_assert(p, "no Analyzing line in: %s", r->err);
    p += strlen("    Analyzing ");
    return strndup(p, strcspn(p, "\n"));
}

static json_t *cargo_json(const char *args, char **path)
{
    Run r = cargo_heft(args);
    cr_assert_eq(r.status, 0, "cargo heft %s exited %d: %s", args, r.status, r.err);
    json_error_t e;
    json_t *j = json_loadb(r.out, r.out_len, 0, &e);
    cr_assert(j, "cargo heft %s: bad JSON (%s): %s", args, e.text, r.out);
    if (path)
        *path = analyzed(&r);
    run_free(&r);
    return j;
}

/* st_size of the one symbol whose raw name starts with prefix. */
static uint64_t sym_size(const char *path, const char *prefix)
{
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    uint64_t size = 0;
    int found = 0;
    for (size_t i = 0; i < e.nsyms; i++)
        if (strncmp(e.syms[i].name, prefix, strlen(prefix)) == 0)
            size = e.syms[i].size, found++;
    fx_elf_free(&e);
    cr_assert_eq(found, 1, "%d symbols named %s* in %s", found, prefix, path);
    return size;
}

static uint64_t section_size(const char *path, const char *name)
{
    FxElf e;
    fx_elf_read(&e, path, NULL, false);
    const FxSection *s = fx_section_named(&e, name);
    cr_assert(s, "no %s in %s", name, path);
    uint64_t size = s->size;
    fx_elf_free(&e);
    return size;
}

/* The object in arr whose "name" is name, checking it carries exactly
 * cargo-bloat's keys. */
static json_t *item(json_t *arr, const char *name)
{
    json_t *it = row_named(arr, name);
    cr_assert(it, "no %s in the JSON", name);
    return it;
}

static void check_keys(json_t *obj, const char *const *keys, size_t n)
{
    cr_assert_eq(json_object_size(obj), n, "expected %zu keys, got %zu", n, json_object_size(obj));
    for (size_t i = 0; i < n; i++)
        cr_assert(json_object_get(obj, keys[i]), "missing key %s", keys[i]);
}

static const struct {
    const char *crate, *name, *raw;
} known[] = {
    {"alpha", "alpha::alpha_checksum", "_ZN5alpha14alpha_checksum17h"},
    {"beta_util", "beta_util::beta_render", "_ZN9beta_util11beta_render17h"},
    {"gamma", "gamma::gamma_mix", "_ZN5gamma9gamma_mix17h"},
    {"app", "app::app_drive", "_ZN3app9app_drive17h"},
};

Test(cargo_json, functions_have_cargo_bloats_shape_and_readelfs_sizes)
{
    char *path;
    json_t *j = cargo_json("--release --bin app --message-format json -n 0", &path);
    static const char *const top[] = {"file-size", "text-section-size", "functions"};
    check_keys(j, top, 3);
    cr_assert_eq(jint(j, "file-size"), (int64_t)file_size_of(path));
    cr_assert_eq(jint(j, "text-section-size"), (int64_t)section_size(path, ".text"));
    json_t *fns = json_object_get(j, "functions");
    size_t i;
    json_t *f;
    json_array_foreach(fns, i, f) {
        /* "crate" is left out when it is not known, as cargo-bloat does */
        static const char *const with[] = {"crate", "name", "size"}, *const without[] = {"name", "size"};
        if (json_object_get(f, "crate"))
            check_keys(f, with, 3);
        else
            check_keys(f, without, 2);
    }
    /* the bytes between functions are counted, but belong to no crate */
    cr_assert_null(json_object_get(item(fns, "[section .text]"), "crate"));
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
        json_t *it = item(fns, known[k].name);
        cr_assert_str_eq(fx_str(it, "crate"), known[k].crate, "%s", known[k].name);
        cr_assert_eq(jint(it, "size"), (int64_t)sym_size(path, known[k].raw), "%s", known[k].name);
    }
    json_decref(j);
    free(path);
}

Test(cargo_json, crates_add_up_to_the_section)
{
    char *path;
    json_t *j = cargo_json("--release --bin app --crates --message-format json -n 0", &path);
    static const char *const top[] = {"file-size", "text-section-size", "crates"};
    check_keys(j, top, 3);
    json_t *crates = json_object_get(j, "crates");
    uint64_t sum = 0;
    size_t i;
    json_t *c;
    json_array_foreach(crates, i, c) {
        static const char *const keys[] = {"name", "size"};
        check_keys(c, keys, 2);
        sum += (uint64_t)jint(c, "size");
    }
    /* Every byte of .text lands in one crate row. */
    cr_assert_eq(sum, section_size(path, ".text"));
    /* The dependencies hold just the fixture's functions. */
    cr_assert_eq(jint(item(crates, "alpha"), "size"), (int64_t)sym_size(path, known[0].raw));
    cr_assert_eq(jint(item(crates, "beta_util"), "size"), (int64_t)sym_size(path, known[1].raw));
    cr_assert_eq(jint(item(crates, "gamma"), "size"), (int64_t)sym_size(path, known[2].raw));
    cr_assert(row_named(crates, "std"));
    cr_assert_null(row_named(crates, "core"), "core folds into std without --split-std");
    json_decref(j);
    free(path);
}

Test(cargo_json, split_std_shows_core)
{
    json_t *j = cargo_json("--release --bin app --crates --split-std --message-format json -n 0", NULL);
    json_t *crates = json_object_get(j, "crates");
    cr_assert(row_named(crates, "core"));
    cr_assert(row_named(crates, "alloc"));
    json_decref(j);
}

Test(cargo_json, symbols_section_reports_that_section)
{
    char *path;
    json_t *j = cargo_json("--release --bin app --symbols-section .rodata --message-format json -n 3", &path);
    cr_assert_eq(jint(j, "text-section-size"), (int64_t)section_size(path, ".rodata"));
    cr_assert_eq(json_array_size(json_object_get(j, "functions")), 3);
    json_decref(j);
    free(path);
}

static size_t lines_of(Run *r, char ***lines)
{
    return fx_lines(r->out, lines);
}

Test(cargo_table, functions_table_reads_like_cargo_bloat)
{
    Run r = cargo_heft("--release --bin app -n 5");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char **l;
    size_t n = lines_of(&r, &l);
    cr_assert_eq(n, 8, "header, 5 rows, 2 footers; got %zu:\n%s", n, r.out);
    regex_t re;
    cr_assert_eq(regcomp(&re, "^ *File +\\.text +Size +Crate +Name$", REG_EXTENDED | REG_NOSUB), 0);
    cr_assert_eq(regexec(&re, l[0], 0, NULL, 0), 0, "header: %s", l[0]);
    regfree(&re);
    cr_assert_eq(regcomp(&re, "^ *[0-9.]+% +[0-9.]+% +[0-9.]+(B|KiB|MiB) +And [0-9]+ smaller methods\\. "
                              "Use -n N to show more\\.$", REG_EXTENDED | REG_NOSUB), 0);
    cr_assert_eq(regexec(&re, l[6], 0, NULL, 0), 0, "footer: %s", l[6]);
    regfree(&re);
    cr_assert(strstr(l[7], "100.0% ") && strstr(l[7], ".text section size, the file size is "), "%s", l[7]);
    /* the release profile keeps .symtab: the user's own file, no second build */
    cr_assert_null(strstr(r.err, "strips symbols"), "%s", r.err);
    cr_assert(strstr(r.err, "Analyzing "), "%s", r.err);
    cr_assert(strstr(r.err, "/release/app\n"), "%s", r.err);
    cr_assert(strstr(r.err, "[unknown] crate: "), "%s", r.err);
    free(l);
    run_free(&r);
}

Test(cargo_table, crates_table_and_no_relative_size)
{
    Run r = cargo_heft("--release --bin app --crates -n 2");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char **l;
    size_t n = lines_of(&r, &l);
    cr_assert_eq(n, 5, "%s", r.out);
    cr_assert(strstr(l[0], "File") && strstr(l[0], ".text") && strstr(l[0], "Size") && strstr(l[0], "Crate"));
    cr_assert_null(strstr(l[0], "Name"));
    cr_assert(strstr(l[1], " std"), "std is the largest: %s", l[1]);
    cr_assert(strstr(l[3], "more crates. Use -n N to show more."), "%s", l[3]);
    free(l);
    run_free(&r);

    r = cargo_heft("--release --bin app --no-relative-size -n 1");
    cr_assert_eq(r.status, 0, "%s", r.err);
    n = lines_of(&r, &l);
    cr_assert_eq(n, 4, "%s", r.out);
    cr_assert_str_eq(l[0], "    Size Crate Name");
    cr_assert_null(strchr(r.out, '%'));
    free(l);
    run_free(&r);
}

Test(cargo_filter, renamed_dependency_and_package_names)
{
    char *path;
    json_t *j = cargo_json("--release --bin app --filter gamma_renamed --message-format json -n 0", &path);
    json_t *fns = json_object_get(j, "functions");
    cr_assert_eq(json_array_size(fns), 1, "gamma has one function");
    cr_assert_str_eq(fx_str(json_array_get(fns, 0), "name"), "gamma::gamma_mix");
    cr_assert_str_eq(fx_str(json_array_get(fns, 0), "crate"), "gamma");
    json_decref(j);
    j = cargo_json("--release --bin app --filter beta-util --message-format json -n 0", NULL);
    fns = json_object_get(j, "functions");
    cr_assert_eq(json_array_size(fns), 1);
    cr_assert_str_eq(fx_str(json_array_get(fns, 0), "name"), "beta_util::beta_render");
    json_decref(j);
    /* not a crate: a regular expression on the names */
    j = cargo_json("--release --bin app --filter '^app::' --message-format json -n 0", NULL);
    fns = json_object_get(j, "functions");
    cr_assert(row_named(fns, "app::app_drive"));
    size_t i;
    json_t *f;
    json_array_foreach(fns, i, f)
        cr_assert_eq(strncmp(fx_str(f, "name"), "app::", 5), 0, "%s", fx_str(f, "name"));
    json_decref(j);
    free(path);
}

Test(cargo_select, several_binaries_need_a_choice)
{
    Run r = cargo_heft("--release");
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "heft: cargo built 4 files heft can analyse; choose one:"), "%s", r.err);
    cr_assert(strstr(r.err, "-p app --bin app "), "%s", r.err);
    cr_assert(strstr(r.err, "-p app --bin tool "), "%s", r.err);
    cr_assert(strstr(r.err, "-p cdy --lib "), "%s", r.err);
    cr_assert(strstr(r.err, "-p stat --lib "), "%s", r.err);
    cr_assert_eq(r.out_len, 0);
    run_free(&r);

    char *path;
    json_t *j = cargo_json("--release -p app --bin tool --message-format json -n 0", &path);
    cr_assert(strstr(path, "/release/tool"), "%s", path);
    cr_assert(row_named(json_object_get(j, "functions"), "tool::tool_only"));
    json_decref(j);
    free(path);

    /* --lib: only libraries; --crate-type: only that type */
    r = cargo_heft("--release --lib");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "heft: cargo built 2 files heft can analyse; choose one:"), "%s", r.err);
    cr_assert_null(strstr(r.err, "--bin"), "%s", r.err);
    run_free(&r);
    r = cargo_heft("--release --crate-type cdylib -n 1");
    cr_assert_eq(r.status, 0, "%s", r.err);
    path = analyzed(&r);
    cr_assert(strstr(path, "/release/libcdy.so"), "%s", path);
    free(path);
    run_free(&r);

    r = cargo_heft("--release -p alpha");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "heft: cargo built nothing heft can analyse"), "%s", r.err);
    run_free(&r);
}

Test(cargo_select, example_test_and_cdylib)
{
    char *path;
    json_t *j = cargo_json("--release --example demo --message-format json -n 0", &path);
    cr_assert(strstr(path, "/release/examples/demo"), "%s", path);
    json_t *it = item(json_object_get(j, "functions"), "demo::demo_example_work");
    cr_assert_eq(jint(it, "size"), (int64_t)sym_size(path, "_ZN4demo17demo_example_work17h"));
    json_decref(j);
    free(path);

    /* cargo builds the package's binaries for its tests too: --test picks the test */
    j = cargo_json("--test smoke --message-format json -n 0", &path);
    cr_assert(strstr(path, "/debug/deps/smoke-"), "%s", path);
    it = item(json_object_get(j, "functions"), "smoke::smoke_helper");
    cr_assert_str_eq(fx_str(it, "crate"), "smoke");
    cr_assert_eq(jint(it, "size"), (int64_t)sym_size(path, "_ZN5smoke12smoke_helper17h"));
    json_decref(j);
    free(path);

    j = cargo_json("--release -p cdy --message-format json -n 0", &path);
    cr_assert(strstr(path, "/release/libcdy.so"), "%s", path);
    it = item(json_object_get(j, "functions"), "cdy_checksum");
    cr_assert_eq(jint(it, "size"), (int64_t)sym_size(path, "cdy_checksum"));
    json_decref(j);
    free(path);
}

/* A staticlib (cargo-bloat refuses them) gets the same report, over the
 * .text sections of all its members. */
Test(cargo_select, staticlib_is_found_and_reported)
{
    char *path;
    json_t *j = cargo_json("--release -p stat --message-format json -n 0", &path);
    cr_assert(strstr(path, "/release/libstat.a"), "%s", path);
    Run r = run_cmd("size -A '%s' | awk '$1 ~ /^\\.text/ { s += $2 } END { print s }'", path);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(jint(j, "text-section-size"), strtoll(r.out, NULL, 10));
    cr_assert_eq(jint(j, "file-size"), (int64_t)file_size_of(path));
    run_free(&r);
    json_t *it = item(json_object_get(j, "functions"), "stat_mix");
    cr_assert_str_eq(fx_str(it, "crate"), "stat");
    r = run_cmd("nm -S '%s' 2>/dev/null | awk '$4 == \"stat_mix\" { print $2 }'", path);
    cr_assert_eq(jint(it, "size"), strtoll(r.out, NULL, 16));
    run_free(&r);
    json_decref(j);
    /* the crates add up to the member's sections */
    j = cargo_json("--release -p stat --crates --message-format json -n 0", NULL);
    json_t *crates = json_object_get(j, "crates"), *c;
    size_t i;
    int64_t sum = 0;
    json_array_foreach(crates, i, c) sum += jint(c, "size");
    cr_assert_eq(sum, jint(j, "text-section-size"));
    cr_assert(item(crates, "stat") && item(crates, "std"));
    json_decref(j);
    free(path);
    /* heft's members view of it: one row per object, the archive's own bytes too */
    Run m = cargo_heft("members --release -p stat --format csv -n 0");
    cr_assert_eq(m.status, 0, "%s", m.err);
    cr_assert(strstr(m.out, "[ar headers]"), "%s", m.out);
    cr_assert(strstr(m.out, "stat-"), "no member of the stat crate in:\n%s", m.out);
    run_free(&m);
}

Test(cargo_strip, stripping_profile_keeps_symbols_and_says_so)
{
    char *path;
    Run r = cargo_heft("--profile stripped --bin app --message-format json -n 0");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "heft: the profile strips symbols; keeping them (CARGO_PROFILE_STRIPPED_STRIP=debuginfo) "
                            "in "), "%s", r.err);
    path = analyzed(&r);
    cr_assert(strstr(path, "/heft-symbols/stripped/app"), "heft's own target directory: %s", path);
    json_t *j = json_loadb(r.out, r.out_len, 0, NULL);
    cr_assert(j);
    json_t *it = item(json_object_get(j, "functions"), "alpha::alpha_checksum");
    cr_assert_eq(jint(it, "size"), (int64_t)sym_size(path, known[0].raw));
    json_decref(j);
    free(path);
    run_free(&r);
    /* a profile with debug info keeps it: strip=false */
    r = cargo_heft("--profile debug-stripped --bin tool -n 1");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "heft: the profile strips symbols; keeping them (CARGO_PROFILE_DEBUG_STRIPPED_STRIP=false)"),
              "%s", r.err);
    path = analyzed(&r);
    cr_assert(strstr(path, "/heft-symbols/debug-stripped/tool"), "%s", path);
    section_size(path, ".debug_info");
    cr_assert_gt(sym_size(path, "_ZN4tool9tool_only17h"), 0);
    free(path);
    run_free(&r);
    /* the dev profile keeps its symbols: its own build is analysed */
    r = cargo_heft("--bin tool -n 1");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strstr(r.err, "strips symbols"), "%s", r.err);
    path = analyzed(&r);
    cr_assert(strstr(path, "/debug/tool") && !strstr(path, "heft-symbols"), "%s", path);
    free(path);
    run_free(&r);
}

Test(cargo_build, failed_build_shows_cargos_error_and_status)
{
    Run r = cargo_heft("--release --bin app --features broken");
    cr_assert_eq(r.status, 101, "cargo's status, got %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "heft fixture: broken on purpose"), "%s", r.err);
    cr_assert(strstr(r.err, "heft: cargo build failed (exit status 101)"), "%s", r.err);
    cr_assert_eq(r.out_len, 0);
    run_free(&r);
}

Test(cargo_views, heft_views_of_the_artifact)
{
    char *path;
    json_t *j = cargo_json("symbols --release --bin tool --format json -n 0", &path);
    cr_assert_str_eq(fx_str(j, "schema"), "heft.view/1");
    cr_assert_str_eq(fx_str(j, "view"), "symbols");
    cr_assert_eq(jint(j, "file_size"), (int64_t)file_size_of(path));
    json_t *row = row_named(json_object_get(j, "rows"), "tool::tool_only");
    cr_assert(row);
    cr_assert_eq(jint(row, "file_size"), (int64_t)sym_size(path, "_ZN4tool9tool_only17h"));
    json_decref(j);
    free(path);
    /* --format alone: heft's summary */
    j = cargo_json("--release --bin tool --format json", NULL);
    cr_assert_str_eq(fx_str(j, "view"), "summary");
    json_decref(j);
    /* --filter names a crate here too */
    j = cargo_json("symbols --release --bin app --filter gamma_renamed --format json -n 0", NULL);
    cr_assert_eq(json_array_size(json_object_get(j, "rows")), 1);
    cr_assert(row_named(json_object_get(j, "rows"), "gamma::gamma_mix"));
    json_decref(j);
}

Test(cargo_usage, bad_options_exit_2)
{
    static const char *const bad[] = {"--bogus", "--message-format xml", "symbols --crates", "--sort name",
                                      "--crate-type rlib", "-n x", "nosuchview"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Run r = run_heft("cargo %s", bad[i]);
        cr_assert_eq(r.status, 2, "heft cargo %s: %d", bad[i], r.status);
        cr_assert(strncmp(r.err, "heft: ", 6) == 0, "%s", r.err);
        cr_assert_eq(r.out_len, 0);
        run_free(&r);
    }
    Run r = run_heft("cargo --help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "usage: cargo heft [VIEW] [OPTIONS]"));
    run_free(&r);
}

/* Installed as cargo-heft on PATH, cargo runs it for `cargo heft`. */
Test(cargo_usage, runs_as_a_cargo_subcommand)
{
    const char *cargo = getenv("CARGO");
    char home_cargo[4096];
    snprintf(home_cargo, sizeof home_cargo, "%s/.cargo/bin/cargo", getenv("HOME") ? getenv("HOME") : "");
    Run which = run_cmd("command -v cargo");
    if (!cargo || !*cargo)
        cargo = which.status == 0 ? strtok(which.out, "\n") : home_cargo;
    char dir[] = "/tmp/heft-cargo-XXXXXX";
    cr_assert(mkdtemp(dir));
    const char *heft = getenv("HEFT");
    Run r = run_cmd("ln -s \"$(realpath '%s')\" %s/cargo-heft && PATH=%s:$PATH '%s' heft --manifest-path '%s' "
                    "--target-dir '%s' --offline --release --bin tool --message-format json -n 1",
                    heft && *heft ? heft : "build/heft", dir, dir, cargo,
                    ws_path("%s/../tests/fixtures/cargo/Cargo.toml"), ws_path("%s/cargo/heft-cargo"));
    Run rm = run_cmd("rm -rf %s", dir);
    run_free(&rm);
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_t *j = json_loadb(r.out, r.out_len, 0, NULL);
    cr_assert(j, "%s", r.out);
    cr_assert_eq(json_array_size(json_object_get(j, "functions")), 1);
    json_decref(j);
    run_free(&r);
    run_free(&which);
}

/* ---- tests/fixtures/realworld: a workspace as projects have them ----
 * A fresh copy per test (its .cargo/config.toml reads Debian's packaged
 * crates, offline), built with CARGO_TARGET_DIR unset so target/ is the
 * copy's own. A release build of it takes minutes here: each test builds
 * once and asks everything of that build. */

#define RW_CARGO "\"${CARGO:-$(command -v cargo || echo \"$HOME/.cargo/bin/cargo\")}\""

/* The crates that only the compiler runs: proc-macros and build scripts. */
static const char *const host_only[] = {"serde_derive", "clap_derive", "thiserror_impl", "proc_macro_error_attr",
                                        "build_script_build"};

static char *rw_fresh(void) { return fx_source_copy("realworld"); }

static void rw_remove(char *dir)
{
    Run r = run_cmd("rm -rf '%s'", dir);
    run_free(&r);
    free(dir);
}

/* `heft cargo ARGS` in dir, with target/ its own. */
static Run rw_heft(const char *dir, const char *args)
{
    const char *heft = getenv("HEFT");
    char *abs = realpath(heft && *heft ? heft : "build/heft", NULL);
    cr_assert(abs, "no heft binary");
    Run r = run_cmd("cd '%s' && env -u CARGO_TARGET_DIR '%s' cargo %s", dir, abs, args);
    free(abs);
    return r;
}

/* heft's own lines on stderr (its messages and the choices it lists; not
 * cargo's progress, which names every crate it compiles) hold no host-only
 * crate. */
static void no_host_only_listed(const Run *r)
{
    char *err = strdup(r->err), *save = NULL;
    for (char *line = strtok_r(err, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "heft: ", 6) != 0 && strncmp(line, "  -p ", 5) != 0 && !strstr(line, "Analyzing"))
            continue;
        for (size_t i = 0; i < sizeof host_only / sizeof *host_only; i++) {
            char dashed[64];
            snprintf(dashed, sizeof dashed, "%s", host_only[i]);
            for (char *p = dashed; *p; p++)
                *p = *p == '_' ? '-' : *p;
            cr_assert(!strstr(line, host_only[i]) && !strstr(line, dashed), "%s listed: %s", host_only[i], line);
        }
    }
    free(err);
}

static json_t *rw_json(const char *dir, const char *args, Run *keep)
{
    Run r = rw_heft(dir, args);
    cr_assert_eq(r.status, 0, "heft cargo %s exited %d: %s", args, r.status, r.err);
    no_host_only_listed(&r);
    json_error_t e;
    json_t *j = json_loadb(r.out, r.out_len, 0, &e);
    cr_assert(j, "heft cargo %s: bad JSON (%s): %s", args, e.text, r.out);
    if (keep)
        *keep = r;
    else
        run_free(&r);
    return j;
}

static char *rw_sha256(const char *dir, const char *rel)
{
    Run r = run_cmd("sha256sum < '%s/%s'", dir, rel);
    cr_assert_eq(r.status, 0, "sha256sum %s/%s: %s", dir, rel, r.err);
    char *h = strndup(r.out, 64);
    run_free(&r);
    return h;
}

/* The package whose id is id in cargo metadata's packages. */
static json_t *package_by_id(json_t *meta, const char *id)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(meta, "packages"), i, p)
        if (strcmp(fx_str(p, "id"), id) == 0)
            return p;
    cr_assert_fail("no package %s in cargo metadata", id);
    return NULL;
}

/* The crate name of a package: its library's, else its first target's. */
static char *crate_of(json_t *pkg, bool *proc_macro)
{
    json_t *targets = json_object_get(pkg, "targets"), *t, *k;
    const char *name = NULL;
    size_t i, j;
    *proc_macro = false;
    json_array_foreach(targets, i, t) {
        json_array_foreach(json_object_get(t, "kind"), j, k) {
            const char *kind = json_string_value(k);
            if (strcmp(kind, "proc-macro") == 0)
                *proc_macro = true;
            if (strcmp(kind, "lib") == 0 || strcmp(kind, "rlib") == 0 || strcmp(kind, "proc-macro") == 0)
                name = fx_str(t, "name");
        }
    }
    if (!name)
        name = fx_str(json_array_get(targets, 0), "name");
    char *c = strdup(name);
    for (char *p = c; *p; p++)
        *p = *p == '-' ? '_' : *p;
    return c;
}

/* Whether the file defines a code symbol of crate (legacy mangling: its
 * name starts _ZN<len><crate> and goes on with a path), per nm. */
static bool has_code_of(const char *nm_out, const char *crate)
{
    char prefix[128];
    snprintf(prefix, sizeof prefix, " _ZN%zu%s", strlen(crate), crate);
    for (const char *p = nm_out; (p = strstr(p, prefix)); p++) {
        const char *after = p + strlen(prefix);
        char type = p >= nm_out + 2 ? p[-1] : 0;
        if ((*after >= '0' && *after <= '9') && (type == 't' || type == 'T'))
            return true;
    }
    return false;
}

/* The crates --crates shows, checked against cargo metadata's resolved
 * graph (read here, not by heft): every crate the workspace's members reach
 * through normal dependencies (never into a proc-macro) that has code in the
 * file has a row; the others (proc-macros, their dependencies, build
 * dependencies) have none. */
static void crates_match_metadata(const char *dir, json_t *crates, const char *path)
{
    Run m = run_cmd("cd '%s' && env -u CARGO_TARGET_DIR " RW_CARGO " metadata --format-version 1 --offline", dir);
    cr_assert_eq(m.status, 0, "cargo metadata: %s", m.err);
    json_t *meta = json_loadb(m.out, m.out_len, 0, NULL);
    cr_assert(meta);
    Run nm = run_cmd("nm --defined-only '%s'", path);
    cr_assert_eq(nm.status, 0, "nm: %s", nm.err);

    json_t *nodes = json_object_get(json_object_get(meta, "resolve"), "nodes"), *node;
    size_t nn = json_array_size(nodes), i, j, k;
    bool *runtime = calloc(nn, sizeof *runtime);
    /* The members, then a fixed point over normal dependency edges. */
    json_t *members = json_object_get(meta, "workspace_members"), *mem;
    json_array_foreach(nodes, i, node) {
        json_array_foreach(members, j, mem)
            runtime[i] |= strcmp(fx_str(node, "id"), json_string_value(mem)) == 0;
    }
    for (bool grew = true; grew;) {
        grew = false;
        json_array_foreach(nodes, i, node) {
            bool pm;
            free(crate_of(package_by_id(meta, fx_str(node, "id")), &pm));
            if (!runtime[i] || pm)
                continue;
            json_t *d, *dk;
            json_array_foreach(json_object_get(node, "deps"), j, d) {
                bool normal = false;
                json_array_foreach(json_object_get(d, "dep_kinds"), k, dk)
                    normal |= json_is_null(json_object_get(dk, "kind"));
                if (!normal)
                    continue;
                size_t x;
                json_t *other;
                json_array_foreach(nodes, x, other)
                    if (!runtime[x] && strcmp(fx_str(other, "id"), fx_str(d, "pkg")) == 0)
                        runtime[x] = grew = true;
            }
        }
    }
    size_t nrun = 0, nhost = 0, ncode = 0;
    json_array_foreach(nodes, i, node) {
        bool pm;
        char *crate = crate_of(package_by_id(meta, fx_str(node, "id")), &pm);
        if (runtime[i] && !pm) {
            nrun++;
            if (has_code_of(nm.out, crate)) {
                ncode++;
                cr_assert(row_named(crates, crate), "%s has code in %s but no row in --crates", crate, path);
            }
        } else {
            nhost++;
            cr_assert_null(row_named(crates, crate), "%s is only run by the compiler, yet has a row", crate);
        }
        free(crate);
    }
    /* the graph is the one the fixture describes */
    cr_assert_geq(nrun, 15, "%zu crates in the program", nrun);
    cr_assert_geq(ncode, 10, "%zu crates with code", ncode);
    cr_assert_geq(nhost, 8, "%zu crates only the compiler runs", nhost);
    for (size_t h = 0; h < sizeof host_only / sizeof *host_only; h++)
        cr_assert_null(row_named(crates, host_only[h]), "%s", host_only[h]);
    free(runtime);
    json_decref(meta);
    run_free(&m);
    run_free(&nm);
}

/* memchr is in std and in the project (regex's), two crates of one name.
 * Their crate ids come from the rlibs' member names
 * ("memchr-<hash>.memchr.<id>-cgu.0.rcgu.o": the sysroot's, the project's
 * target/release/deps), and readelf says which object each local symbol came
 * from (its STT_FILE, "memchr.<id>-cgu.N"): of the locals that are memchr's
 * own items (readelf -C: memchr::…, <memchr::…>), std's are std, the
 * project's memchr. An object also holds other crates' generics it
 * instantiated (<&T as core::fmt::Debug>::fmt), which are not checked. */
static char *rlib_crate_id(const char *glob)
{
    Run r = run_cmd("for f in %s; do ar t \"$f\"; done | "
                    "sed -n 's/^memchr-[0-9a-f]*[.]memchr[.]\\([0-9a-f]\\{16\\}\\)-cgu[.].*/\\1/p' | sort -u",
                    glob);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char **lines;
    size_t n = fx_lines(r.out, &lines);
    cr_assert_eq(n, 1, "crate ids of memchr in %s: %s", glob, r.out);
    char *id = strdup(lines[0]);
    free(lines);
    run_free(&r);
    return id;
}

static void memchr_by_crate_id(const char *dir, const char *path)
{
    char glob[4200];
    snprintf(glob, sizeof glob, "'%s'/target/release/deps/libmemchr-*.rlib", dir);
    char *own = rlib_crate_id(glob), *std = rlib_crate_id("\"$(rustc --print target-libdir)\"/libmemchr-*.rlib");
    cr_assert_str_neq(own, std);
    /* raw and demangled, line for line */
    static const char awk[] = "awk '$4==\"FILE\" {f=$8} $5==\"LOCAL\" && $3>0 && ($4==\"FUNC\" || $4==\"OBJECT\") "
                              "{n=$8; for (i=9; i<=NF; i++) n=n \" \" $i; print f, n}'";
    Run re = run_cmd("readelf -sW '%s' | %s", path, awk), rd = run_cmd("readelf -sW -C '%s' | %s", path, awk);
    cr_assert(re.status == 0 && rd.status == 0, "%s%s", re.err, rd.err);
    char **dem;
    size_t nd = fx_lines(rd.out, &dem);
    json_t *j = rw_json(dir, "symbols --release --format json -n 0", NULL);
    json_t *rows = json_object_get(j, "rows");
    char **lines;
    size_t n = fx_lines(re.out, &lines), checked[2] = {0, 0};
    cr_assert_eq(n, nd, "readelf -sW and -sW -C list %zu and %zu locals", n, nd);
    for (size_t i = 0; i < n; i++) {
        char unit[256], sym[1024];
        const char *name = strchr(dem[i], ' ');
        if (sscanf(lines[i], "%255s %1023s", unit, sym) != 2 || strncmp(unit, "memchr.", 7) != 0 || !name ||
            (strncmp(name + 1, "memchr::", 8) != 0 && strncmp(name + 1, "<memchr::", 9) != 0))
            continue;
        int is_std = strncmp(unit + 7, std, 16) == 0;
        if (!is_std && strncmp(unit + 7, own, 16) != 0)
            continue;
        json_t *row = fx_row_raw(rows, sym);
        if (!row)
            continue; /* an alias of another row */
        cr_assert_str_eq(fx_str(row, "crate"), is_std ? "std" : "memchr", "%s (from %s)", sym, unit);
        checked[is_std]++;
    }
    cr_assert_gt(checked[0], 0, "no local symbol of the project's memchr (%s) checked", own);
    free(lines);
    free(dem);
    run_free(&re);
    run_free(&rd);
    json_decref(j);
    free(own);
    free(std);
}

Test(cargo_realworld, picks_the_bin_and_runs_every_view, .timeout = 1200)
{
    char *dir = rw_fresh();
    char path[4200];
    snprintf(path, sizeof path, "%s/target/release/logtool", dir);

    /* proc-macros, build scripts and dependencies are no choice: logtool */
    Run r;
    json_t *j = rw_json(dir, "--release --crates --message-format json -n 0", &r);
    char *shown = analyzed(&r);
    cr_assert_str_eq(shown, "target/release/logtool");
    free(shown);
    cr_assert_null(strstr(r.err, "choose one"), "%s", r.err);
    run_free(&r);
    crates_match_metadata(dir, json_object_get(j, "crates"), path);
    json_decref(j);
    memchr_by_crate_id(dir, path);

    /* heft's subcommands on the built file, as `heft COMMAND FILE` */
    static const char *const cmds[] = {"monos", "dups", "units", "files"};
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        char args[128];
        snprintf(args, sizeof args, "%s --release --format json -n 3", cmds[i]);
        j = rw_json(dir, args, NULL);
        cr_assert_str_eq(fx_str(j, "file"), path, "cargo heft %s", cmds[i]);
        json_decref(j);
    }
    /* diff: a saved snapshot against the fresh build */
    Run s = run_heft("snapshot '%s' -o '%s/base.heft.json.gz'", path, dir);
    cr_assert_eq(s.status, 0, "%s", s.err);
    run_free(&s);
    char args[4400];
    snprintf(args, sizeof args, "diff '%s/base.heft.json.gz' --release --format json", dir);
    j = rw_json(dir, args, NULL);
    cr_assert_str_eq(fx_str(json_object_get(j, "new"), "path"), path);
    cr_assert_eq(jint(j, "file_delta"), 0);
    json_decref(j);

    /* two binaries of the workspace: still a choice, of those two only */
    Run w = run_cmd("mkdir -p '%s/logtool/src/bin' && echo 'fn main() { println!(\"extra\"); }' > "
                    "'%s/logtool/src/bin/extra.rs'", dir, dir);
    cr_assert_eq(w.status, 0, "%s", w.err);
    run_free(&w);
    r = rw_heft(dir, "--release");
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "heft: cargo built 2 files heft can analyse; choose one:"), "%s", r.err);
    cr_assert(strstr(r.err, "  -p logtool --bin logtool "), "%s", r.err);
    cr_assert(strstr(r.err, "  -p logtool --bin extra "), "%s", r.err);
    no_host_only_listed(&r);
    run_free(&r);
    rw_remove(dir);
}

/* A strip = true profile: heft keeps the symbols in a build of its own and
 * leaves the file the user ships, and cargo's view of it, as they were. */
Test(cargo_realworld, strip_true_leaves_target_release_alone, .timeout = 1200)
{
    char *dir = rw_fresh();
    Run r = run_cmd("cd '%s' && printf 'strip = true\\n' >> Cargo.toml && env -u CARGO_TARGET_DIR " RW_CARGO
                    " build --release --offline --locked --quiet", dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *before = rw_sha256(dir, "target/release/logtool");
    Run t0 = run_cmd("stat -c %%Y.%%i '%s/target/release/logtool'", dir);

    json_t *j = rw_json(dir, "--release --message-format json -n 0", &r);
    cr_assert(strstr(r.err, "heft: the profile strips symbols; keeping them "
                            "(CARGO_PROFILE_RELEASE_STRIP=debuginfo) in "), "%s", r.err);
    char *shown = analyzed(&r);
    cr_assert_str_eq(shown, "target/heft-symbols/release/logtool");
    free(shown);
    run_free(&r);
    /* the analysis saw symbols: the workspace's own crates have functions */
    size_t i;
    json_t *fn;
    bool logcore = false;
    json_array_foreach(json_object_get(j, "functions"), i, fn)
        logcore |= json_object_get(fn, "crate") && strcmp(fx_str(fn, "crate"), "logcore") == 0;
    cr_assert(logcore, "no logcore function: were the symbols kept?");
    json_decref(j);

    char *after = rw_sha256(dir, "target/release/logtool");
    cr_assert_str_eq(after, before, "target/release/logtool changed");
    Run t1 = run_cmd("stat -c %%Y.%%i '%s/target/release/logtool'", dir);
    cr_assert_str_eq(t1.out, t0.out, "target/release/logtool was rewritten");
    /* cargo finds its own build as fresh as it left it */
    r = run_cmd("cd '%s' && env -u CARGO_TARGET_DIR " RW_CARGO " build --release --offline --locked 2>&1", dir);
    cr_assert_eq(r.status, 0, "%s", r.out);
    cr_assert_null(strstr(r.out, "Compiling"), "cargo rebuilt after heft:\n%s", r.out);
    run_free(&r);
    free(after);
    after = rw_sha256(dir, "target/release/logtool");
    cr_assert_str_eq(after, before);
    /* a second run reuses heft's build */
    r = rw_heft(dir, "--release -n 1");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strstr(r.err, "Compiling"), "%s", r.err);
    run_free(&r);
    free(before);
    free(after);
    run_free(&t0);
    run_free(&t1);
    rw_remove(dir);
}

/* Which of cargo's artifacts are candidates, read from canned messages (a
 * stand-in cargo, as $CARGO): members' bins only, never a proc-macro, a
 * build script or a dependency's cdylib or staticlib; without cargo
 * metadata's members, still never a proc-macro or build script. */
Test(cargo_select, only_workspace_members_artifacts_are_candidates)
{
    char dir[] = "/tmp/heft-fakecargo-XXXXXX";
    cr_assert(mkdtemp(dir));
    char path[4200];
    snprintf(path, sizeof path, "%s/metadata.json", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("{\"packages\":["
          "{\"name\":\"app\",\"id\":\"path+file:///w/app#0.1.0\",\"manifest_path\":\"/w/app/Cargo.toml\","
          "\"targets\":[{\"kind\":[\"bin\"],\"name\":\"app\"}],\"dependencies\":[]},"
          "{\"name\":\"tool\",\"id\":\"path+file:///w/tool#0.1.0\",\"manifest_path\":\"/w/tool/Cargo.toml\","
          "\"targets\":[{\"kind\":[\"bin\"],\"name\":\"tool\"}],\"dependencies\":[]}],"
          "\"workspace_members\":[\"path+file:///w/app#0.1.0\",\"path+file:///w/tool#0.1.0\"],"
          "\"workspace_root\":\"/w\",\"target_directory\":\"/w/target\"}\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/build.json", dir);
    f = fopen(path, "w");
    cr_assert(f);
#define MSG(id, manifest, kind, ctype, name, file, exe)                                                    \
    "{\"reason\":\"compiler-artifact\",\"package_id\":\"" id "\",\"manifest_path\":\"" manifest "\","   \
    "\"target\":{\"kind\":[\"" kind "\"],\"crate_types\":[\"" ctype "\"],\"name\":\"" name "\"},"        \
    "\"profile\":{\"debuginfo\":0,\"test\":false},\"filenames\":[\"" file "\"],\"executable\":" exe ","  \
    "\"fresh\":true}\n"
    fputs(MSG("registry+https://github.com/rust-lang/crates.io-index#serde_derive@1.0.0",
              "/reg/serde_derive/Cargo.toml", "proc-macro", "proc-macro", "serde_derive",
              "/w/target/release/deps/libserde_derive-1.so", "null")
          MSG("path+file:///w/app#0.1.0", "/w/app/Cargo.toml", "custom-build", "bin", "build-script-build",
              "/w/target/release/build/app-1/build-script-build",
              "\"/w/target/release/build/app-1/build-script-build\"")
          MSG("registry+https://github.com/rust-lang/crates.io-index#depcdy@1.0.0", "/reg/depcdy/Cargo.toml",
              "cdylib", "cdylib", "depcdy", "/w/target/release/deps/libdepcdy.so", "null")
          MSG("registry+https://github.com/rust-lang/crates.io-index#depstat@1.0.0", "/reg/depstat/Cargo.toml",
              "staticlib", "staticlib", "depstat", "/w/target/release/deps/libdepstat.a", "null")
          MSG("path+file:///w/app#0.1.0", "/w/app/Cargo.toml", "bin", "bin", "app", "/w/target/release/app",
              "\"/w/target/release/app\"")
          MSG("path+file:///w/tool#0.1.0", "/w/tool/Cargo.toml", "bin", "bin", "tool", "/w/target/release/tool",
              "\"/w/target/release/tool\""), f);
#undef MSG
    fclose(f);
    snprintf(path, sizeof path, "%s/cargo", dir);
    f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "#!/bin/sh\ncase \"$1\" in\nmetadata) [ -e '%s/no-metadata' ] && exit 1; cat '%s/metadata.json';;\n"
               "build) cat '%s/build.json';;\nesac\n", dir, dir, dir);
    fclose(f);
    cr_assert_eq(chmod(path, 0755), 0);

    Run r = run_cmd("CARGO='%s' '%s' cargo --release", path, getenv("HEFT") && *getenv("HEFT") ? getenv("HEFT")
                                                                                           : "build/heft");
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "heft: cargo built 2 files heft can analyse; choose one:"), "%s", r.err);
    cr_assert(strstr(r.err, "  -p app --bin app "), "%s", r.err);
    cr_assert(strstr(r.err, "  -p tool --bin tool "), "%s", r.err);
    cr_assert_null(strstr(r.err, "serde_derive"), "%s", r.err);
    cr_assert_null(strstr(r.err, "build-script"), "%s", r.err);
    cr_assert_null(strstr(r.err, "depcdy"), "a dependency's cdylib: %s", r.err);
    cr_assert_null(strstr(r.err, "depstat"), "a dependency's staticlib: %s", r.err);
    run_free(&r);

    /* cargo metadata fails: members unknown, every other artifact a candidate */
    Run t = run_cmd("touch '%s/no-metadata'", dir);
    run_free(&t);
    r = run_cmd("CARGO='%s' '%s' cargo --release", path, getenv("HEFT") && *getenv("HEFT") ? getenv("HEFT")
                                                                                           : "build/heft");
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "heft: cargo built 4 files heft can analyse; choose one:"), "%s", r.err);
    cr_assert_null(strstr(r.err, "serde_derive"), "%s", r.err);
    cr_assert_null(strstr(r.err, "build-script"), "%s", r.err);
    run_free(&r);
    t = run_cmd("rm -rf '%s'", dir);
    run_free(&t);
}
