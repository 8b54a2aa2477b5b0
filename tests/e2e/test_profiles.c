/* test_profiles.c — `cargo heft profiles` building the fixture crate
 * tests/fixtures/profiles for real (offline, locked), copied into a fresh
 * temporary directory per test so its target/ starts empty and the source
 * tree is never written. The ground truth: stat(2) on the artifacts, a real
 * strip = true build, readelf, sha256sum of the user's files. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture_util.h"
#include "harness.h"

#define CARGO "\"${CARGO:-$(command -v cargo || echo \"$HOME/.cargo/bin/cargo\")}\""

/* A fresh copy of the fixture crate; the caller frees the path. */
static char *fresh_crate(void) { return fx_source_copy("profiles"); }

static void remove_tree(char *dir)
{
    Run r = run_cmd("rm -rf '%s'", dir);
    run_free(&r);
    free(dir);
}

static char *sha256(const char *path)
{
    Run r = run_cmd("sha256sum < '%s'", path);
    cr_assert_eq(r.status, 0, "sha256sum %s: %s", path, r.err);
    char *h = strndup(r.out, 64);
    run_free(&r);
    return h;
}

static Run profiles(const char *dir, const char *args)
{
    return run_heft("cargo profiles --manifest-path '%s/Cargo.toml' --offline --locked %s", dir, args);
}

static json_t *profiles_json(const char *dir, const char *args, Run *keep)
{
    Run r = profiles(dir, args);
    cr_assert_eq(r.status, 0, "cargo heft profiles %s exited %d: %s", args, r.status, r.err);
    json_error_t e;
    json_t *j = json_loadb(r.out, r.out_len, 0, &e);
    cr_assert(j, "bad JSON (%s): %s", e.text, r.out);
    if (keep)
        *keep = r;
    else
        run_free(&r);
    return j;
}

static json_t *profile_named(json_t *j, const char *name)
{
    json_t *p = row_named(json_object_get(j, "profiles"), name);
    cr_assert(p, "no profile %s", name);
    return p;
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    cr_assert(s, "no string %s", key);
    return s;
}

static uint64_t text_size(const char *path)
{
    FxElf e;
    fx_elf_read(&e, path, NULL, false);
    const FxSection *s = fx_section_named(&e, ".text");
    cr_assert(s, "no .text in %s", path);
    uint64_t n = s->size;
    fx_elf_free(&e);
    return n;
}

static const char AXES[] = "--axes opt-level=3,z panic=unwind,abort --features needs-unwind";
static const char ABORT_ERROR[] = "error: profsum's needs-unwind feature catches panics and needs panic = \"unwind\"";

/* Four profiles, two of which cargo refuses, with a --bench command; the
 * user's Cargo.toml, Cargo.lock and target/release stay byte-identical. The
 * command's peak memory is its own: dd's 32 MiB buffer and a little, in every
 * profile alike, however much heft itself holds by then. */
Test(profiles_build, sizes_failures_bench_and_untouched_files, .timeout = 600)
{
    char *dir = fresh_crate();
    Run r = run_cmd("cd '%s' && " CARGO " build --release --offline --locked --quiet", dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char toml[4200], lock[4200], rel[4200];
    snprintf(toml, sizeof toml, "%s/Cargo.toml", dir);
    snprintf(lock, sizeof lock, "%s/Cargo.lock", dir);
    snprintf(rel, sizeof rel, "%s/target/release/profsum", dir);
    char *h_toml = sha256(toml), *h_lock = sha256(lock), *h_rel = sha256(rel);

    char args[4800];
    snprintf(args, sizeof args,
             "%s --bench 'dd if=/dev/zero of=/dev/null bs=32M count=1 2>/dev/null; echo {bin} >> %s/order; {bin} 20000' "
             "--runs 3 --format json",
             AXES, dir);
    Run first;
    json_t *j = profiles_json(dir, args, &first);
    cr_assert_eq(json_array_size(json_object_get(j, "profiles")), 4);
    cr_assert_str_eq(str(j, "time"), "runtime");
    /* non-terminal stderr: the plan, the estimate after the first profile, a
     * line per finished profile */
    char plan[4400];
    snprintf(plan, sizeof plan,
             "heft: 4 profiles, 8 builds, in %s/target/heft-profiles (cargo heft profiles --clean removes it)\n", dir);
    cr_assert(strstr(first.err, plan) == first.err, "%s", first.err);
    cr_assert(strstr(first.err, "heft: o3-unwind took ") && strstr(first.err, " for 2 builds: about ") &&
                  strstr(first.err, " more for the other 6\n"),
              "%s", first.err);
    cr_assert(strstr(first.err, "heft: [2/4] o3-abort: failed: " "error: profsum's"), "%s", first.err);
    run_free(&first);
    /* the profiles took turns: a warm-up of each, then three rounds */
    Run ord = run_cmd("sed 's|.*/heft-\\([a-z0-9-]*\\)/profsum$|\\1|' '%s/order' | tr '\\n' ' '", dir);
    cr_assert_str_eq(ord.out, "o3-unwind oz-unwind o3-unwind oz-unwind o3-unwind oz-unwind o3-unwind oz-unwind ");
    run_free(&ord);

    const char *ok[] = {"o3-unwind", "oz-unwind"}, *bad[] = {"o3-abort", "oz-abort"};
    for (int i = 0; i < 2; i++) {
        json_t *p = profile_named(j, bad[i]);
        cr_assert_str_eq(str(p, "status"), "failed");
        cr_assert_str_eq(str(p, "error"), ABORT_ERROR);
    }
    for (int i = 0; i < 2; i++) {
        json_t *p = profile_named(j, ok[i]);
        cr_assert_str_eq(str(p, "status"), "ok");
        char want[4200];
        snprintf(want, sizeof want, "%s/target/heft-profiles/heft-%s/profsum", dir, ok[i]);
        cr_assert_str_eq(str(p, "artifact"), want, "heft's own target dir");
        cr_assert_eq(jint(p, "file_size"), (int64_t)file_size_of(want));
        cr_assert_eq(jint(p, "text_size"), (int64_t)text_size(want));
        /* the VM size is heft's accounting's, the loaded image's as readelf has it */
        FxElf e;
        fx_elf_read(&e, want, NULL, false);
        cr_assert_eq(jint(p, "vm_size"), (int64_t)fx_vm_size(&e));
        fx_elf_free(&e);
        json_t *rt = json_object_get(p, "runtime");
        double med = json_number_value(json_object_get(rt, "median")), lo = json_number_value(json_object_get(rt, "min")),
               hi = json_number_value(json_object_get(rt, "max"));
        cr_assert(lo > 0 && lo <= med && med <= hi, "%g %g %g", lo, med, hi);
        /* three runs: the interval is min–max, and too few runs to call a winner */
        cr_assert_eq(json_number_value(json_object_get(rt, "ci_low")), lo);
        cr_assert_eq(json_number_value(json_object_get(rt, "ci_high")), hi);
        cr_assert_eq(jint(rt, "runs"), 3);
        cr_assert_str_eq(str(rt, "speed"), i == 0 ? "baseline" : "noise");
        int64_t peak = jint(p, "peak_rss_kib");
        cr_assert(peak >= 32 * 1024 && peak < 40 * 1024, "%s: peak %lld KiB, dd's buffer alone is 32 MiB", ok[i],
                  (long long)peak);
        cr_assert(json_number_value(json_object_get(p, "build_seconds")) > 0);
        cr_assert(json_is_false(json_object_get(p, "cached")));
    }
    /* The stripped size is that of a real strip = true build: opt-level 3
     * and unwinding are the fixture's release settings. */
    r = run_cmd("cd '%s' && " CARGO " build --release --offline --locked --quiet --features needs-unwind "
                "--config profile.release.strip=true --target-dir strip-check",
                dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char stripped[4200];
    snprintf(stripped, sizeof stripped, "%s/strip-check/release/profsum", dir);
    cr_assert_eq(jint(profile_named(j, "o3-unwind"), "stripped_size"), (int64_t)file_size_of(stripped));
    cr_assert_lt(jint(profile_named(j, "o3-unwind"), "stripped_size"), jint(profile_named(j, "o3-unwind"), "file_size"));
    /* the baseline is the first profile of the set */
    cr_assert_str_eq(str(json_object_get(j, "recommendations"), "baseline"), "o3-unwind");

    char *a_toml = sha256(toml), *a_lock = sha256(lock), *a_rel = sha256(rel);
    cr_assert_str_eq(a_toml, h_toml, "Cargo.toml changed");
    cr_assert_str_eq(a_lock, h_lock, "Cargo.lock changed");
    cr_assert_str_eq(a_rel, h_rel, "target/release/profsum changed");
    struct stat st;
    char cfg[4200];
    snprintf(cfg, sizeof cfg, "%s/.cargo", dir);
    cr_assert_neq(stat(cfg, &st), 0, ".cargo/ was created");

    /* A second run rebuilds nothing: cached, with the first run's build times. */
    snprintf(args, sizeof args, "%s --format json", AXES);
    json_t *k = profiles_json(dir, args, NULL);
    for (int i = 0; i < 2; i++) {
        json_t *p = profile_named(k, ok[i]), *q = profile_named(j, ok[i]);
        cr_assert(json_is_true(json_object_get(p, "cached")), "%s not cached", ok[i]);
        cr_assert_eq(json_number_value(json_object_get(p, "build_seconds")),
                     json_number_value(json_object_get(q, "build_seconds")));
        cr_assert_eq(jint(p, "file_size"), jint(q, "file_size"));
    }
    json_decref(k);
    Run t = profiles(dir, AXES);
    cr_assert_eq(t.status, 0, "%s", t.err);
    cr_assert(strstr(t.err, "heft: [1/4] o3-unwind: "), "%s", t.err);
    cr_assert(strstr(t.err, " (cached)\n"), "%s", t.err);
    cr_assert(strstr(t.out, "  o3-abort   failed: " "error: profsum's needs-unwind"), "%s", t.out);
    cr_assert(strstr(t.out, "* Pareto-optimal: no other profile is both smaller (without symbols) and faster (build "
                            "time)."),
              "%s", t.out);
    /* without --bench the time is the build's, and says so */
    cr_assert(strstr(t.out, "  Quickest  "), "%s", t.out);
    cr_assert_null(strstr(t.out, "Fastest"), "%s", t.out);
    cr_assert(strstr(t.out, "  Symbols   strip = true saves "), "%s", t.out);
    /* no estimate when the first profile came from cargo's cache */
    cr_assert_null(strstr(t.err, " more for the other "), "%s", t.err);
    run_free(&t);

    /* --clean removes heft's directory and builds nothing; then there is nothing to remove */
    char hp[4200];
    snprintf(hp, sizeof hp, "%s/target/heft-profiles", dir);
    r = profiles(dir, "--clean");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char removed[4400];
    snprintf(removed, sizeof removed, "heft: removed %s (", hp);
    cr_assert(strstr(r.err, removed) == r.err && !strchr(r.err, '\n')[1], "%s", r.err);
    cr_assert_eq(r.out_len, 0);
    cr_assert_neq(stat(hp, &st), 0, "%s is still there", hp);
    char *c_rel = sha256(rel);
    cr_assert_str_eq(c_rel, h_rel, "--clean touched target/release");
    free(c_rel);
    run_free(&r);
    r = profiles(dir, "--clean");
    cr_assert_eq(r.status, 0, "%s", r.err);
    snprintf(removed, sizeof removed, "heft: nothing to remove: %s does not exist\n", hp);
    cr_assert_str_eq(r.err, removed);
    run_free(&r);
    free(h_toml), free(h_lock), free(h_rel), free(a_toml), free(a_lock), free(a_rel);
    json_decref(j);
    remove_tree(dir);
}

/* --plot: a well-formed SVG with a point and a label per built profile. */
Test(profiles_build, plot_is_well_formed_svg, .timeout = 600)
{
    char *dir = fresh_crate();
    char svg[4200];
    snprintf(svg, sizeof svg, "%s/p.svg", dir);
    char args[4400];
    snprintf(args, sizeof args, "--axes opt-level=3,z --plot '%s' --format csv", svg);
    Run r = profiles(dir, args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "profile,status,file_size,stripped_size,text_size,vm_size,build_seconds,cached,"), "%s",
              r.out);
    /* The time axis's unit follows the slowest build (ms under 2 s, s above:
     * a busy machine's builds can take either). */
    double slowest = 0;
    char **lines;
    size_t nl = fx_lines(r.out, &lines);
    for (size_t i = 1; i < nl; i++) {
        double secs;
        if (sscanf(lines[i], "%*[^,],%*[^,],%*[^,],%*[^,],%*[^,],%*[^,],%lf", &secs) == 1 && secs > slowest)
            slowest = secs;
    }
    free(lines);
    cr_assert_gt(slowest, 0, "no build time in the CSV");
    const char *unit = slowest < 2e-3 ? "µs" : slowest < 2 ? "ms" : "s";
    run_free(&r);
    Run x = run_cmd("xmllint --noout '%s'", svg); /* scripts/deps.sh installs it for the tests */
    cr_assert_eq(x.status, 0, "xmllint: %s", x.err);
    run_free(&x);
    Run c = run_cmd("grep -c 'class=\"point\"' '%s'; grep -c '<text class=\"label\"' '%s'; tail -c 7 '%s'", svg, svg,
                    svg);
    cr_assert_str_eq(c.out, "2\n2\n</svg>\n");
    run_free(&c);
    Run l = run_cmd("grep -o '>o3<\\|>oz<\\|size without symbols (KiB)\\|build time ([^)]*)\\|<polyline' '%s' | sort", svg);
    char want[256];
    snprintf(want, sizeof want, "<polyline\n>o3<\n>oz<\nbuild time (%s)\nsize without symbols (KiB)\n", unit);
    cr_assert_str_eq(l.out, want);
    run_free(&l);
    remove_tree(dir);
}

/* The environment of the PGO test, the same on every machine whatever LLVM
 * tools are installed: DIR/bin first on PATH, every PATH directory that holds
 * an llvm-profdata replaced by a copy of it in links without one, and RUSTC a
 * wrapper of the real rustc whose `--print sysroot` (heft's question; cargo
 * asks with --print=sysroot among others) is an empty DIR/sysroot, where
 * rustup's llvm-tools or Debian's rust-web-llvm would put theirs. */
static void pgo_environment(const char *dir)
{
    Run r = run_cmd("cd '%s' && mkdir -p bin sysroot shadow && c=" CARGO "; real=\"${RUSTC:-$(dirname \"$c\")/rustc}\" && "
                    "printf '#!/bin/sh\\nif [ $# = 2 ] && [ \"$1\" = --print ] && [ \"$2\" = sysroot ]; then "
                    "echo \"%%s\"; exit 0; fi\\nexec \"%%s\" \"$@\"\\n' \"$PWD/sysroot\" \"$real\" > bin/rustc-wrap && "
                    "chmod +x bin/rustc-wrap && p=\"$PWD/bin\" && n=0 && IFS=: && for d in $PATH; do "
                    "  if [ -n \"$d\" ] && ls \"$d\"/llvm-profdata* >/dev/null 2>&1; then n=$((n+1)); "
                    "    mkdir \"shadow/$n\" && cp -rs \"$d\"/. \"shadow/$n/\" 2>/dev/null; rm -f \"shadow/$n\"/llvm-profdata*; "
                    "    d=\"$PWD/shadow/$n\"; fi; p=\"$p:$d\"; done && "
                    "echo \"export PATH='$p' RUSTC='$PWD/bin/rustc-wrap'\" > env",
                    dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}

/* PGO: with no llvm-profdata of rustc's LLVM version, heft says what is
 * missing and goes on; with one (a fake that logs its arguments), it builds
 * instrumented, runs the --bench command to collect, and merges. */
Test(profiles_build, pgo_detection_and_flow, .timeout = 600)
{
    char *dir = fresh_crate();
    /* rustc as heft finds it: $RUSTC, else the one beside cargo */
    Run v = run_cmd("c=" CARGO "; \"${RUSTC:-$(dirname \"$c\")/rustc}\" -vV | sed -n "
                    "'s/^LLVM version: \\([0-9]*\\)\\.\\([0-9]*\\).*/\\1 \\2/p'");
    cr_assert_eq(v.status, 0, "%s", v.err);
    int major = 0, minor = 0;
    cr_assert_eq(sscanf(v.out, "%d %d", &major, &minor), 2, "rustc -vV: %s", v.out);
    run_free(&v);
    pgo_environment(dir);
    /* A fake of another version, first on PATH, that (as LLVM 14 does) has
     * no top-level --version, only its subcommands'. */
    Run f = run_cmd("printf '#!/bin/sh\\n[ \"$1\" = merge ] || exit 1\\necho \"LLVM version 9.0.1\"\\n' "
                    "> '%s/bin/llvm-profdata-9' "
                    "&& chmod +x '%s/bin/llvm-profdata-9'",
                    dir, dir);
    cr_assert_eq(f.status, 0, "%s", f.err);
    run_free(&f);
    Run m = run_cmd("cd '%s' && . ./env && $HEFT cargo profiles --offline --locked --axes pgo=on "
                    "--bench '{bin} 1000' --runs 1 --format json",
                    dir);
    char want[512];
    snprintf(want, sizeof want, "PGO left out: rustc uses LLVM %d.%d; found llvm-profdata 9 (%s/bin/llvm-profdata-9); "
             "install rustup component llvm-tools, or Debian's llvm-%d", major, minor, dir, major);
    cr_assert(strstr(m.out, want), "%s\nwanted: %s", m.out, want);
    cr_assert(strstr(m.out, "\"status\": \"failed\""), "%s", m.out);
    run_free(&m);

    /* A fake of rustc's version: heft uses it. It logs its arguments and
     * writes no profile, so the final build is refused by rustc. */
    f = run_cmd("printf '#!/bin/sh\\nif [ \"$1\" = --version ]; then echo \"LLVM version %d.%d.0\"; exit 0; fi\\n"
                "echo \"$@\" >> \"%s/profdata.log\"\\n: > \"$3\"\\n' > '%s/bin/llvm-profdata-%d' "
                "&& chmod +x '%s/bin/llvm-profdata-%d'",
                major, minor, dir, dir, major, dir, major);
    cr_assert_eq(f.status, 0, "%s", f.err);
    run_free(&f);
    m = run_cmd("cd '%s' && . ./env && $HEFT cargo profiles --offline --locked --axes pgo=on "
                "--bench '{bin} 1000' --runs 1 --format json",
                dir);
    cr_assert(!strstr(m.out, "PGO left out"), "%s", m.out);
    run_free(&m);
    Run log = run_cmd("cat '%s/profdata.log'; ls '%s/target/heft-profiles/pgo/pgoon/' | grep -c 'profraw$'", dir, dir);
    char merge[8600];
    snprintf(merge, sizeof merge, "merge -o %s/target/heft-profiles/pgo/pgoon.profdata %s/target/heft-profiles/pgo/pgoon\n1\n",
             dir, dir);
    cr_assert_str_eq(log.out, merge);
    run_free(&log);
    remove_tree(dir);
}

/* Ctrl-C (here sent to heft, its grandparent, by the --bench command of the
 * second profile in the second round: heft-measure runs it) stops the
 * running benchmark; the round every profile finished counts, so the three
 * built profiles are reported with one run each, too few to call a winner;
 * exit status 130 and one line about the interruption. */
Test(profiles_build, interrupt_reports_what_finished, .timeout = 600)
{
    char *dir = fresh_crate();
    char args[4800];
    snprintf(args, sizeof args,
             "--axes opt-level=3,z,s --runs 3 --format json --bench 'case {bin} in *oz*) "
             "n=$(cat %s/count 2>/dev/null || echo 0); echo $((n + 1)) > %s/count; "
             "[ $n -ge 2 ] && kill -INT $(awk \"{print \\$4}\" /proc/$PPID/stat) && sleep 5;; esac; {bin} 100'",
             dir, dir);
    Run r = profiles(dir, args);
    cr_assert_eq(r.status, 130, "%s", r.err);
    static const char line[] = "heft: interrupted: reporting the profiles that finished\n";
    const char *once = strstr(r.err, line);
    cr_assert(once && !strstr(once + strlen(line), "interrupted"), "one line about the interruption: %s", r.err);
    json_error_t e;
    json_t *j = json_loadb(r.out, r.out_len, 0, &e);
    cr_assert(j, "bad JSON (%s): %s", e.text, r.out);
    cr_assert(json_is_true(json_object_get(j, "interrupted")));
    cr_assert_eq(jint(j, "runs"), 1);
    json_t *ps = json_object_get(j, "profiles");
    cr_assert_eq(json_array_size(ps), 3);
    size_t i;
    json_t *p;
    json_array_foreach(ps, i, p) {
        cr_assert_str_eq(str(p, "status"), "ok");
        json_t *rt = json_object_get(p, "runtime");
        cr_assert_eq(jint(rt, "runs"), 1, "%s", str(p, "name"));
        cr_assert(strcmp(str(rt, "speed"), "noise") == 0 || strcmp(str(rt, "speed"), "baseline") == 0);
    }
    cr_assert(json_is_null(json_object_get(json_object_get(j, "recommendations"), "fastest")));
    json_decref(j);
    run_free(&r);
    remove_tree(dir);
}

/* Ctrl-C during a build: a cargo stand-in that, for the second profile,
 * starts a process that SIGTERM does not stop (it ignores it; in a real
 * build, a rustc that cargo was starting with signals blocked misses it),
 * interrupts heft and sleeps. heft stops the stand-in's whole process group,
 * waits for none of it (both sleeps hold heft's pipe) and reports the first
 * profile. The stand-in writes down its group's id, which it leads; the test
 * reaps what is left of the group once the stand-in has gone (init may take
 * seconds), so kill(-group, 0) sees only the living. */
Test(profiles_build, interrupt_stops_the_running_build, .timeout = 600)
{
    char *dir = fresh_crate();
    Run c = run_cmd("printf %%s " CARGO);
    cr_assert_eq(c.status, 0, "%s", c.err);
    char path[4200];
    snprintf(path, sizeof path, "%s/cargo-stand-in", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(f,
            "#!/bin/sh\n"
            "case \"$*\" in *heft-oz*)\n"
            "    kill -0 -$$ && echo $$ > '%s/group'\n"
            "    trap '' TERM; sleep 60 & trap - TERM\n"
            "    kill -INT $PPID; sleep 60; exit 1;;\n"
            "esac\n"
            "exec '%s' \"$@\"\n",
            dir, c.out);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(chmod(path, 0755), 0);
    run_free(&c);
    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0, "%s", strerror(errno));
    Run r = run_cmd("cd '%s' && start=$(date +%%s) && CARGO='%s' \"${HEFT:-build/heft}\" cargo profiles "
                    "--offline --locked --axes opt-level=3,z --format csv; echo \"status $? after $(( $(date +%%s) - start )) s\"",
                    dir, path);
    char gpath[4200];
    snprintf(gpath, sizeof gpath, "%s/group", dir);
    FILE *g = fopen(gpath, "r");
    int group = 0;
    cr_assert(g && fscanf(g, "%d", &group) == 1 && group > 1, "the stand-in led no process group: %s", r.err);
    fclose(g);
    bool gone = false;
    for (int i = 0; i < 200 && !gone; i++) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        gone = kill(-group, 0) == -1 && errno == ESRCH;
        if (!gone)
            usleep(10000);
    }
    if (!gone)
        kill(-group, SIGKILL); /* not left for the tests after */
    cr_assert(gone, "left running: process group %d, 2 s after heft exited", group);
    int status = -1, secs = -1;
    const char *tail = strstr(r.out, "status ");
    cr_assert(tail && sscanf(tail, "status %d after %d s", &status, &secs) == 2, "%s", r.out);
    cr_assert_eq(status, 130, "%s", r.err);
    cr_assert_lt(secs, 30, "heft waited for the build's sleep: %d s", secs);
    cr_assert(strstr(r.out, "\no3,ok,"), "%s", r.out);
    cr_assert(!strstr(r.out, "\noz,"), "%s", r.out);
    run_free(&r);
    remove_tree(dir);
}

/* target-cpu reaches rustc together with the user's own rustflags, from
 * RUSTFLAGS (heft adds to it, and says so) or from --config build.rustflags
 * (cargo merges the arrays): the fixture refuses --cfg heft_probe with AVX2. */
Test(profiles_build, target_cpu_joins_the_users_rustflags, .timeout = 600)
{
    char *dir = fresh_crate();
    const char *how[] = {"RUSTFLAGS='--cfg heft_probe' ", ""};
    const char *cfg[] = {"", "--config 'build.rustflags=[\"--cfg\",\"heft_probe\"]'"};
    for (int k = 0; k < 2; k++) {
        Run r = run_cmd("%s\"${HEFT:-build/heft}\" cargo profiles --manifest-path '%s/Cargo.toml' --offline --locked "
                        "--axes target-cpu=x86-64,haswell --format json %s",
                        how[k], dir, cfg[k]);
        cr_assert_eq(r.status, 0, "%s", r.err);
        json_t *j = json_loadb(r.out, r.out_len, 0, NULL);
        cr_assert(j, "%s", r.out);
        cr_assert_str_eq(str(profile_named(j, "cpux86-64"), "status"), "ok");
        cr_assert_str_eq(str(profile_named(j, "cpuhaswell"), "error"),
                         "error: profsum built with --cfg heft_probe and AVX2");
        json_t *notes = json_object_get(j, "notes");
        if (k == 0)
            cr_assert_str_eq(json_string_value(json_array_get(notes, 0)),
                             "target-cpu goes into RUSTFLAGS (added to yours), which cargo prefers to build.rustflags");
        else
            cr_assert_eq(json_array_size(notes), 0);
        json_decref(j);
        run_free(&r);
    }
    remove_tree(dir);
}

Test(profiles_usage, bad_axes_and_bench)
{
    Run r = run_heft("cargo profiles --axes colour=red");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "heft: --axes: axis 'colour=red' is not KEY=V1,V2,... with KEY opt-level, lto,"), "%s",
              r.err);
    run_free(&r);
    r = run_heft("cargo profiles --axes 'opt-level=3,s;rm'");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "heft: --axes: axis opt-level: value 's;rm' is not letters, digits, '-' and '_'"), "%s",
              r.err);
    run_free(&r);
    r = run_heft("cargo profiles --bench 'true'");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "heft: --bench 'true' has no {bin} for the artifact's path"), "%s", r.err);
    run_free(&r);
    r = run_heft("cargo profiles --full --axes lto=off,fat");
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = run_heft("cargo profiles --help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "usage: cargo heft profiles [OPTIONS]"));
    run_free(&r);
}

/* The realworld workspace (serde, clap and thiserror derives, regex, anyhow,
 * a build script, a path dependency: Debian's packaged crates): two profiles
 * of it, each built as it is and stripped, with a --bench command. Sizes and
 * .text are the files' (stat, readelf); stripping saves something in each;
 * the smallest is the least size without symbols; what shrank is code and
 * data only. */
Test(profiles_realworld, two_profiles_of_a_workspace_with_proc_macros, .timeout = 1800)
{
    char *dir = fx_source_copy("realworld");
    /* from inside the workspace: cargo reads its .cargo/config.toml (the
     * Debian crates' directory source) from the current directory */
    Run r = run_cmd("cd '%s' && \"$HEFT\" cargo profiles --offline --locked --axes opt-level=1,s "
                    "--bench '{bin} --help' --runs 5 -n 50 --format json",
                    dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_error_t e;
    json_t *j = json_loadb(r.out, r.out_len, 0, &e);
    cr_assert(j, "bad JSON (%s): %s", e.text, r.out);
    run_free(&r);
    static const char *const names[] = {"o1", "os"};
    uint64_t stripped[2];
    for (int i = 0; i < 2; i++) {
        json_t *p = profile_named(j, names[i]);
        cr_assert_str_eq(str(p, "status"), "ok", "%s: %s", names[i], fx_str(p, "error"));
        char want[4200];
        snprintf(want, sizeof want, "%s/target/heft-profiles/heft-%s/logtool", dir, names[i]);
        cr_assert_str_eq(str(p, "artifact"), want, "the workspace's binary, not a proc-macro");
        cr_assert_eq(jint(p, "file_size"), (int64_t)file_size_of(want));
        cr_assert_eq(jint(p, "text_size"), (int64_t)text_size(want));
        stripped[i] = (uint64_t)jint(p, "stripped_size");
        cr_assert(stripped[i] > 0 && stripped[i] < (uint64_t)jint(p, "file_size"), "%s: stripped %llu", names[i],
                  (unsigned long long)stripped[i]);
        json_t *rt = json_object_get(p, "runtime");
        cr_assert_eq(jint(rt, "runs"), 5);
        int64_t peak = jint(p, "peak_rss_kib");
        cr_assert(peak > 0 && peak < 64 * 1024, "%s: peak %lld KiB for --help", names[i], (long long)peak);
    }
    cr_assert(strstr(json_string_value(json_array_get(json_object_get(profile_named(j, "os"), "caveats"), 0)),
                     "opt-level = \"s\""));
    json_t *rec = json_object_get(j, "recommendations");
    cr_assert_str_eq(str(rec, "smallest"), stripped[1] < stripped[0] ? "os" : "o1");
    json_t *sh = json_object_get(j, "shrunk");
    cr_assert(json_is_object(sh), "nothing shrank from o1 to os");
    for (int k = 0; k < 2; k++) {
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(sh, k ? "symbols" : "crates"), i, row) {
            const char *name = str(row, "name");
            cr_assert(strncmp(name, "[.", 2) != 0 && strcmp(name, "[section headers]") != 0,
                      "%s in what shrank: not loaded", name);
            cr_assert_lt(jint(row, "new_file"), jint(row, "old_file"), "%s", name);
        }
    }
    json_decref(j);
    remove_tree(dir);
}
