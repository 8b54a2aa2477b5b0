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
    cr_assert(strstr(r.err, "heft: keeping symbols (CARGO_PROFILE_RELEASE_STRIP=debuginfo)"), "%s", r.err);
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
    cr_assert(strstr(r.err, "heft: keeping symbols (CARGO_PROFILE_STRIPPED_STRIP=debuginfo)"), "%s", r.err);
    path = analyzed(&r);
    cr_assert(strstr(path, "/stripped/app"), "%s", path);
    json_t *j = json_loadb(r.out, r.out_len, 0, NULL);
    cr_assert(j);
    json_t *it = item(json_object_get(j, "functions"), "alpha::alpha_checksum");
    cr_assert_eq(jint(it, "size"), (int64_t)sym_size(path, known[0].raw));
    json_decref(j);
    free(path);
    run_free(&r);
    /* a profile with debug info keeps it: strip=false, found after one relink */
    r = cargo_heft("--profile debug-stripped --bin tool -n 1");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "heft: keeping symbols (CARGO_PROFILE_DEBUG_STRIPPED_STRIP=false)"), "%s", r.err);
    path = analyzed(&r);
    cr_assert(strstr(path, "/debug-stripped/tool"), "%s", path);
    section_size(path, ".debug_info");
    cr_assert_gt(sym_size(path, "_ZN4tool9tool_only17h"), 0);
    free(path);
    run_free(&r);
    /* the dev profile keeps its debug info: strip=false */
    r = cargo_heft("--bin tool -n 1");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "heft: keeping symbols (CARGO_PROFILE_DEV_STRIP=false)"), "%s", r.err);
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
