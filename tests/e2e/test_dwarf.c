/* test_dwarf.c — units, files and crates from debug info (tests/fixtures/dwarf.mk):
 * exact unit sizes from readelf's symbols, inline code charged to its header,
 * separate debug files (debuglink, build-id, --debug-file) giving the same
 * report as the unstripped binary, split DWARF and broken line tables handled,
 * and the defining vs instantiating split of a Rust generic. Every view adds
 * up to the file and VM sizes. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_util.h"
#include "harness.h"

#define ALPHA "tests/fixtures/dwarf/c/alpha.c"
#define BETA "tests/fixtures/dwarf/c/beta.c"
#define COMMON "tests/fixtures/dwarf/c/common.h"

/* `heft ARGS --format json -n 0 PATH`; fails unless it exits 0 with JSON. */
static json_t *dw_json(const char *args, const char *path, char **err)
{
    Run r = run_heft("%s --format json -n 0 '%s'", args, path);
    cr_assert_eq(r.status, 0, "heft %s %s exited %d: %s", args, path, r.status, r.err);
    json_error_t e;
    json_t *j = json_loadb(r.out, r.out_len, 0, &e);
    cr_assert(j, "heft %s %s: bad JSON at line %d: %s", args, path, e.line, e.text);
    if (err)
        *err = strdup(r.err);
    run_free(&r);
    return j;
}

/* The rows add up to the file's size and the loaded image's. */
static void dw_adds_up(const char *args, const char *path)
{
    json_t *j = dw_json(args, path, NULL);
    uint64_t fsize = file_size_of(path);
    cr_assert_eq((uint64_t)jint(j, "file_size"), fsize, "heft %s %s: file_size", args, path);
    FxSum s = fx_rows_sum(j);
    cr_assert_eq(s.file_size, fsize, "heft %s %s: rows sum to %llu, the file has %llu bytes", args, path,
                 (unsigned long long)s.file_size, (unsigned long long)fsize);
    cr_assert_eq(s.vm_size, (uint64_t)jint(j, "vm_size"), "heft %s %s: rows' VM sum to %llu, not %lld", args, path,
                 (unsigned long long)s.vm_size, (long long)jint(j, "vm_size"));
    FxElf e;
    fx_elf_read(&e, path, NULL, false);
    cr_assert_eq((uint64_t)jint(j, "vm_size"), fx_vm_size(&e), "heft %s %s: vm_size", args, path);
    fx_elf_free(&e);
    json_decref(j);
}

static json_t *row_of(json_t *j, const char *name)
{
    return row_named(json_object_get(j, "rows"), name);
}

static int64_t file_of(json_t *j, const char *name)
{
    json_t *r = row_of(j, name);
    cr_assert(r, "no row named %s", name);
    return jint(r, "file_size");
}

static int64_t vm_of(json_t *j, const char *name)
{
    json_t *r = row_of(j, name);
    cr_assert(r, "no row named %s", name);
    return jint(r, "vm_size");
}

static const FxSym *sym(const FxElf *e, const char *name)
{
    for (size_t i = 0; i < e->nsyms; i++)
        if (strcmp(e->syms[i].name, name) == 0)
            return &e->syms[i];
    cr_assert_fail("no symbol %s", name);
    return NULL;
}

/* Bytes from the first function's start to the last one's end: a unit's
 * address range (alignment padding between its functions included). */
static uint64_t span(const FxElf *e, const char *const *fns, size_t n)
{
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < n; i++) {
        const FxSym *s = sym(e, fns[i]);
        lo = s->value < lo ? s->value : lo;
        hi = s->value + s->size > hi ? s->value + s->size : hi;
    }
    return hi - lo;
}

static const char *const alpha_fns[] = {"alpha_one", "alpha_two"};
static const char *const beta_fns[] = {"beta_fill", "main"};

/* alpha.c: its two functions and alpha_table (.data); beta.c: its two
 * functions, and beta_buf in .bss (VM only). */
static void check_c_units(const char *name, bool variables)
{
    const char *path = fx_need(name);
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    uint64_t table = variables ? sym(&e, "alpha_table")->size : 0, buf = variables ? sym(&e, "beta_buf")->size : 0;
    uint64_t a = span(&e, alpha_fns, 2), b = span(&e, beta_fns, 2);
    fx_elf_free(&e);
    cr_assert_eq(table, variables ? 256 : 0);
    json_t *j = dw_json("units", path, NULL);
    const char *an = variables ? ALPHA : "build/fixtures/dwarf-split-alpha.dwo";
    const char *bn = variables ? BETA : "build/fixtures/dwarf-split-beta.dwo";
    cr_assert_eq(file_of(j, an), (int64_t)(a + table), "%s: unit alpha.c", name);
    cr_assert_eq(vm_of(j, an), (int64_t)(a + table), "%s: unit alpha.c VM", name);
    cr_assert_eq(file_of(j, bn), (int64_t)b, "%s: unit beta.c", name);
    cr_assert_eq(vm_of(j, bn), (int64_t)(b + buf), "%s: unit beta.c VM", name);
    json_decref(j);
    dw_adds_up("units", path);
    dw_adds_up("files", path);
    dw_adds_up("files --lines", path);
    dw_adds_up("files --depth 2", path);
}

Test(dwarf_units, gcc_dwarf5_exact) { check_c_units("dwarf-c5", true); }
Test(dwarf_units, gcc_dwarf4_exact) { check_c_units("dwarf-c4", true); }
Test(dwarf_units, gcc_zlib_compressed_exact) { check_c_units("dwarf-cz", true); }
Test(dwarf_units, clang_dwarf5_addrx_exact) { check_c_units("dwarf-clang", true); }

/* zstd: libelf 0.188 (Debian 12) cannot inflate it, heft does with libzstd.
 * A frame that does not decompress: one warning, and the views add up. */
Test(dwarf_units, zstd_compressed_exact) { check_c_units("dwarf-zstd", true); }

Test(dwarf_bad, zstd_frame_broken_warns_once)
{
    const char *path = fx_need("dwarf-zstd-bad");
    char *err;
    json_t *j = dw_json("units", path, &err);
    cr_assert(strstr(err, "warning: debug info in ") && strstr(err, "zstd-compressed sections that do not decompress"),
              "%s", err);
    cr_assert_eq(strchr(err, '\n'), err + strlen(err) - 1, "more than one line: %s", err);
    cr_assert_null(row_of(j, ALPHA));
    free(err);
    json_decref(j);
    dw_adds_up("units", path);
    dw_adds_up("files", path);
}

/* [not loaded] is the non-allocated sections (debug info, symbol tables,
 * .comment) and the section header table, as readelf lists them. */
Test(dwarf_units, not_loaded_row_exact)
{
    const char *path = fx_need("dwarf-c5");
    FxElf e;
    fx_elf_read(&e, path, NULL, false);
    uint64_t want = 0, nheaders = 1; /* the null section's header */
    for (size_t i = 0; i < e.nsecs; i++) {
        nheaders = e.secs[i].index + 1 > nheaders ? e.secs[i].index + 1 : nheaders;
        if (!strchr(e.secs[i].flags, 'A') && strcmp(e.secs[i].type, "NOBITS") != 0)
            want += e.secs[i].size;
    }
    want += nheaders * 64; /* ELF64 section headers */
    fx_elf_free(&e);
    json_t *j = dw_json("units", path, NULL);
    cr_assert_eq(file_of(j, "[not loaded]"), (int64_t)want, "[not loaded] %lld, want %llu",
                 (long long)file_of(j, "[not loaded]"), (unsigned long long)want);
    cr_assert_eq(vm_of(j, "[not loaded]"), 0);
    cr_assert_null(row_of(j, "[.debug_info]"));
    json_decref(j);
}

/* The inline function from common.h is charged to the header; the files of
 * the two units hold exactly the units' bytes. */
Test(dwarf_files, inline_code_charged_to_header)
{
    json_t *u = dw_json("units", fx_need("dwarf-c5"), NULL);
    json_t *f = dw_json("files", fx_need("dwarf-c5"), NULL);
    cr_assert_gt(file_of(f, COMMON), 0, "common.h has no bytes");
    cr_assert_lt(file_of(f, ALPHA), file_of(u, ALPHA), "alpha.c's inlined mix() not taken out");
    cr_assert_eq(file_of(f, ALPHA) + file_of(f, BETA) + file_of(f, COMMON), file_of(u, ALPHA) + file_of(u, BETA));
    cr_assert_eq(vm_of(f, ALPHA) + vm_of(f, BETA) + vm_of(f, COMMON), vm_of(u, ALPHA) + vm_of(u, BETA));
    json_t *d = dw_json("files --depth 3", fx_need("dwarf-c5"), NULL);
    cr_assert_eq(file_of(d, "tests/fixtures/dwarf"), file_of(f, ALPHA) + file_of(f, BETA) + file_of(f, COMMON));
    cr_assert_null(row_of(d, ALPHA), "--depth 3 left a whole path");
    json_decref(u);
    json_decref(f);
    json_decref(d);
}

/* --lines: alpha_table (declared on line 4) is the line's 256 bytes, and
 * alpha.c's lines add up to the file's row. */
Test(dwarf_files, lines_add_up_to_file)
{
    json_t *f = dw_json("files", fx_need("dwarf-c5"), NULL);
    json_t *l = dw_json("files --lines", fx_need("dwarf-c5"), NULL);
    cr_assert_eq(file_of(l, ALPHA ":4"), 256);
    int64_t sum = 0;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(l, "rows"), i, r)
    {
        if (strncmp(fx_str(r, "name"), ALPHA ":", strlen(ALPHA) + 1) == 0)
            sum += jint(r, "file_size");
    }
    cr_assert_eq(sum, file_of(f, ALPHA));
    json_decref(f);
    json_decref(l);
}

/* The named rows (units, files) of a and b are the same. */
static void same_named_rows(const char *args, const char *a, const char *b, const char *b_extra)
{
    char *ab;
    if (asprintf(&ab, "%s %s", args, b_extra) < 0)
        abort();
    json_t *x = dw_json(args, a, NULL), *y = dw_json(ab, b, NULL);
    size_t i, named = 0;
    json_t *r;
    json_array_foreach(json_object_get(x, "rows"), i, r)
    {
        const char *n = fx_str(r, "name");
        if (n[0] == '[')
            continue;
        named++;
        json_t *o = row_of(y, n);
        cr_assert(o, "heft %s: %s has row %s, %s has not", args, a, n, b);
        cr_assert_eq(jint(o, "file_size"), jint(r, "file_size"), "heft %s: row %s differs", args, n);
        cr_assert_eq(jint(o, "vm_size"), jint(r, "vm_size"), "heft %s: row %s VM differs", args, n);
    }
    json_array_foreach(json_object_get(y, "rows"), i, r)
    {
        const char *n = fx_str(r, "name");
        cr_assert(n[0] == '[' || row_of(x, n), "heft %s: %s has an extra row %s", args, b, n);
    }
    cr_assert_geq(named, 2);
    json_decref(x);
    json_decref(y);
    free(ab);
}

Test(dwarf_debugfile, debuglink_gives_same_report)
{
    same_named_rows("units", fx_need("dwarf-c5"), fx_need("dwarf-stripped"), "");
    same_named_rows("files --lines", fx_need("dwarf-c5"), fx_need("dwarf-stripped"), "");
    char *err;
    json_decref(dw_json("units", fx_need("dwarf-stripped"), &err));
    cr_assert(strstr(err, "debug info from ") && strstr(err, "dwarf-stripped.debug"), "no note: %s", err);
    free(err);
    dw_adds_up("units", fx_need("dwarf-stripped"));
    dw_adds_up("files", fx_need("dwarf-stripped"));
}

Test(dwarf_debugfile, explicit_debug_file)
{
    char extra[4200];
    snprintf(extra, sizeof extra, "--debug-file '%s'", fx_need("dwarf-stripped.debug"));
    same_named_rows("units", fx_need("dwarf-c5"), fx_need("dwarf-nolink"), extra);
    /* The unstripped binary serves as a debug file too. */
    snprintf(extra, sizeof extra, "--debug-file '%s'", fx_need("dwarf-c5"));
    same_named_rows("files", fx_need("dwarf-c5"), fx_need("dwarf-nolink"), extra);
    /* All symbols stripped: the units come from addresses alone. */
    char *tmp = fx_stripped_copy(fx_need("dwarf-c5"), "-s");
    snprintf(extra, sizeof extra, "--debug-file '%s'", fx_need("dwarf-stripped.debug"));
    same_named_rows("units", fx_need("dwarf-c5"), tmp, extra);
    same_named_rows("files --lines", fx_need("dwarf-c5"), tmp, extra);
    unlink(tmp);
    free(tmp);
    /* Another binary's debug info: used as asked, with a warning. */
    Run r = run_heft("units --debug-file '%s' '%s'", fx_need("dwarf-rust-d1"), fx_need("dwarf-nolink"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "has another build-id than the file"), "%s", r.err);
    run_free(&r);
    r = run_heft("units --debug-file '%s/../../tests/fixtures/dwarf/c/alpha.c' '%s'", getenv("FIXTURES"),
                 fx_need("dwarf-nolink"));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--debug-file") && strchr(r.err, '\n') == r.err + r.err_len - 1, "%s", r.err);
    run_free(&r);
}

/* --debug-file serves every view that reads debug info: a snapshot of the
 * stripped file holds the units and files the unstripped one has, and diff
 * takes each side's debug file. */
Test(dwarf_debugfile, snapshot_and_diff_take_a_debug_file)
{
    char snap[] = "/tmp/heft-dwarf-snap-XXXXXX";
    int fd = mkstemp(snap);
    cr_assert(fd >= 0);
    close(fd);
    const char *dbg = fx_need("dwarf-stripped.debug"), *bare = fx_need("dwarf-nolink"), *full = fx_need("dwarf-c5");
    Run r = run_heft("snapshot --debug-file '%s' '%s' -o '%s'", dbg, bare, snap);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    static const char *const by[] = {"unit", "file"}, *const view[] = {"units", "files"};
    for (size_t i = 0; i < 2; i++)
        for (int old_dbg = 0; old_dbg < 2; old_dbg++) {
            /* Against the unstripped build: the same units and files, only
             * the unloaded bytes (the debug sections) differ. */
            json_t *j = old_dbg ? heft_json("diff --by %s --old-debug-file '%s' --format json -n 0 '%s' '%s'", by[i],
                                            dbg, bare, full)
                                : heft_json("diff --by %s --format json -n 0 '%s' '%s'", by[i], full, snap);
            json_t *v = json_object_get(json_object_get(j, "views"), view[i]);
            cr_assert(v, "--by %s: no %s view", by[i], view[i]);
            json_t *counts = json_object_get(v, "counts");
            cr_assert(jint(counts, "added") == 0 && jint(counts, "removed") == 0 && jint(counts, "same") >= 4,
                      "--by %s (%d): %s", by[i], old_dbg, json_dumps(counts, 0));
            size_t k;
            json_t *row;
            json_array_foreach(json_object_get(v, "rows"), k, row)
            {
                const char *n = fx_str(row, "name");
                cr_assert(n[0] == '[' && jint(row, "vm_delta") == 0, "--by %s (%d): %s changed", by[i], old_dbg, n);
            }
            json_decref(j);
        }
    /* Without it, the stripped side has no units to diff. */
    r = run_heft("diff --by unit '%s' '%s'", bare, full);
    cr_assert_eq(r.status, 2, "%s", r.err);
    run_free(&r);
    r = run_heft("snapshot --debug-file /nonexistent '%s' -o '%s'", bare, snap);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "--debug-file"), "%s", r.err);
    run_free(&r);
    unlink(snap);
}

Test(dwarf_debugfile, build_id_layout_in_debug_dir)
{
    char dir[] = "/tmp/heft-dwarf-XXXXXX";
    cr_assert(mkdtemp(dir));
    Run r = run_cmd("id=$(readelf -n '%s' | awk '/Build ID/ {print $3}') && test -n \"$id\" && "
                    "mkdir -p '%s/.build-id/'$(echo $id | cut -c1-2) && "
                    "cp '%s' '%s/.build-id/'$(echo $id | cut -c1-2)/$(echo $id | cut -c3-).debug",
                    fx_need("dwarf-nolink"), dir, fx_need("dwarf-stripped.debug"), dir);
    cr_assert_eq(r.status, 0, "making the build-id layout: %s", r.err);
    run_free(&r);
    char extra[64];
    snprintf(extra, sizeof extra, "--debug-dir %s", dir);
    same_named_rows("units", fx_need("dwarf-c5"), fx_need("dwarf-nolink"), extra);
    same_named_rows("files", fx_need("dwarf-c5"), fx_need("dwarf-nolink"), extra);
    /* Without the directory there is nothing, and heft says so. */
    char *err;
    json_t *j = dw_json("units --debug-dir /nonexistent", fx_need("dwarf-nolink"), &err);
    cr_assert_null(row_of(j, ALPHA));
    cr_assert(strstr(err, "no debug info found"), "%s", err);
    free(err);
    json_decref(j);
    r = run_cmd("rm -rf '%s'", dir);
    run_free(&r);
}

/* The debuglink file under DIR/<the binary's directory>/, as in /usr/lib/debug. */
Test(dwarf_debugfile, debuglink_in_debug_dir)
{
    char dir[] = "/tmp/heft-dwarf-XXXXXX";
    cr_assert(mkdtemp(dir));
    Run r = run_cmd("mkdir -p '%s/bin' '%s/dbg%s/bin' && cp '%s' '%s/bin/prog' && cp '%s' '%s/dbg%s/bin/'", dir, dir,
                    dir, fx_need("dwarf-stripped"), dir, fx_need("dwarf-stripped.debug"), dir, dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char prog[64], extra[64];
    snprintf(prog, sizeof prog, "%s/bin/prog", dir);
    snprintf(extra, sizeof extra, "--debug-dir %s/dbg", dir);
    same_named_rows("units", fx_need("dwarf-c5"), prog, extra);
    r = run_cmd("rm -rf '%s'", dir);
    run_free(&r);
}

Test(dwarf_split, skeletons_recognized)
{
    char *err;
    json_decref(dw_json("files", fx_need("dwarf-split"), &err));
    cr_assert(strstr(err, "2 units use split DWARF (-gsplit-dwarf)"), "no split-DWARF note: %s", err);
    free(err);
    check_c_units("dwarf-split", false);
}

/* A unit whose line table libdw rejects: one warning naming it; its address
 * ranges still count in units; everything still adds up. */
Test(dwarf_bad, broken_line_table_warns_once)
{
    const char *path = fx_need("dwarf-badline");
    char *err;
    json_t *f = dw_json("files", path, &err);
    cr_assert(strstr(err, "warning: debug info: unit " ALPHA ": line table:"), "%s", err);
    cr_assert_eq(strchr(err, '\n'), err + strlen(err) - 1, "more than one line: %s", err);
    cr_assert_null(row_of(f, ALPHA));
    cr_assert_gt(file_of(f, BETA), 0);
    free(err);
    json_decref(f);
    check_c_units("dwarf-badline", true);
}

/* A unit libdw cannot parse (unknown version): one warning naming the unit
 * before it; the units before it count exactly; everything adds up. */
Test(dwarf_bad, broken_unit_warns_once)
{
    const char *path = fx_need("dwarf-badinfo");
    char *err;
    json_t *u = dw_json("units", path, &err);
    cr_assert(strstr(err, "warning: debug info: the units after " ALPHA ": "), "%s", err);
    cr_assert_eq(strchr(err, '\n'), err + strlen(err) - 1, "more than one line: %s", err);
    cr_assert_null(row_of(u, BETA));
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    cr_assert_eq(file_of(u, ALPHA), (int64_t)(span(&e, alpha_fns, 2) + sym(&e, "alpha_table")->size));
    fx_elf_free(&e);
    free(err);
    json_decref(u);
    dw_adds_up("units", path);
    dw_adds_up("files --lines", path);
    dw_adds_up("crates --matrix", path);
}

/* dwgen's generic is written in dwgen and instantiated (emitted) by dwapp;
 * dw_plain is dwgen's own; dwcsys's Rust and C are dwcsys's on both axes. */
static void check_rust(const char *name)
{
    const char *path = fx_need(name);
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    uint64_t generic = 0, plain = 0, csys = 0;
    int ngeneric = 0;
    for (size_t i = 0; i < e.nsyms; i++) {
        const char *n = e.syms[i].name;
        if (strstr(n, "5dwgen10dw_sum_all17h"))
            generic += e.syms[i].size, ngeneric++;
        else if (strstr(n, "5dwgen8dw_plain17h"))
            plain += e.syms[i].size;
        else if (strstr(n, "6dwcsys8checksum17h") || strcmp(n, "dw_c_checksum") == 0)
            csys += e.syms[i].size;
    }
    fx_elf_free(&e);
    cr_assert_eq(ngeneric, 2, "%s: %d copies of dw_sum_all", name, ngeneric);
    cr_assert(generic && plain && csys);

    json_t *m = dw_json("crates --matrix", path, NULL);
    cr_assert_eq(file_of(m, "dwgen <- dwapp"), (int64_t)generic, "%s: dwgen's generic emitted by dwapp", name);
    cr_assert_eq(file_of(m, "dwgen <- dwgen"), (int64_t)plain, "%s", name);
    cr_assert_eq(file_of(m, "dwcsys <- dwcsys"), (int64_t)csys, "%s: Rust + C of dwcsys", name);
    cr_assert(row_of(m, "[section .rodata]") && !row_of(m, "[section .rodata] <- [section .rodata]"), "%s", name);
    json_t *row = row_of(m, "dwgen <- dwapp");
    cr_assert_str_eq(fx_str(row, "defining"), "dwgen");
    cr_assert_str_eq(fx_str(row, "instantiating"), "dwapp");
    json_decref(m);

    json_t *d = dw_json("crates --by defining", path, NULL);
    json_t *i = dw_json("crates --by instantiating", path, NULL);
    cr_assert_eq(file_of(d, "dwgen"), (int64_t)(generic + plain), "%s: --by defining", name);
    cr_assert_eq(file_of(i, "dwgen"), (int64_t)plain, "%s: --by instantiating", name);
    cr_assert_eq(file_of(d, "dwcsys"), (int64_t)csys);
    cr_assert_eq(file_of(i, "dwcsys"), (int64_t)csys);
    cr_assert_gt(file_of(i, "dwapp"), file_of(d, "dwapp") + (int64_t)generic - 1, "%s", name);
    json_t *split = dw_json("crates --by defining --split-std", path, NULL);
    cr_assert_null(row_of(d, "core"), "%s: core not folded into std", name);
    cr_assert_gt(file_of(split, "core"), 0, "%s: --split-std shows core", name);
    cr_assert_lt(file_of(split, "std"), file_of(d, "std"), "%s", name);
    json_decref(split);
    json_decref(d);
    json_decref(i);

    json_t *f = dw_json("files", path, NULL);
    cr_assert_eq(file_of(f, "dwgen/src/lib.rs"), (int64_t)(generic + plain), "%s: files", name);
    /* build.rs ran cc in dwcsys/, a package's root: the C file is shown under it. */
    cr_assert_eq(file_of(f, "dwcsys/csrc/cside.c") + file_of(f, "dwcsys/src/lib.rs"), (int64_t)csys);
    cr_assert_gt(file_of(f, "library/std/src/rt.rs"), 0, "%s: sysroot paths", name);
    json_decref(f);

    json_t *u = dw_json("units", path, NULL);
    size_t k, app_units = 0;
    json_t *r;
    json_array_foreach(json_object_get(u, "rows"), k, r)
    {
        if (strncmp(fx_str(r, "name"), "dwapp/src/main.rs/@/dwapp.", 26) == 0)
            app_units++;
    }
    cr_assert_eq(app_units, 1, "%s: dwapp's codegen unit", name);
    json_decref(u);

    dw_adds_up("units", path);
    dw_adds_up("files", path);
    dw_adds_up("files --lines", path);
    dw_adds_up("crates --by defining", path);
    dw_adds_up("crates --by instantiating --split-std", path);
    dw_adds_up("crates --matrix", path);
}

Test(dwarf_rust, debug1_defining_vs_instantiating, .timeout = 60) { check_rust("dwarf-rust-d1"); }
Test(dwarf_rust, debug2_defining_vs_instantiating, .timeout = 60) { check_rust("dwarf-rust-d2"); }

/* A line row's bytes end where its sequence ends: seq_a's last row (line 43)
 * is at its sequence's end and covers nothing, and seq_gap, code with no row,
 * is no line's (libdw sorts that row after the end marker at its address, so
 * it used to run on to seq_b's first row: 1001 bytes). */
Test(dwarf_files, lines_end_at_their_sequence)
{
    const char *path = fx_need("dwarf-seq");
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    uint64_t a = sym(&e, "seq_a")->size, b = sym(&e, "seq_b")->size, m = sym(&e, "main")->size;
    uint64_t gap = sym(&e, "seq_gap")->size;
    fx_elf_free(&e);
    cr_assert_eq(a, 7);
    cr_assert_eq(b, 3);
    cr_assert_eq(gap, 1001);
    json_t *j = dw_json("files --lines", path, NULL);
    const char *f = "tests/fixtures/dwarf/c/seq.c";
    char name[256];
    snprintf(name, sizeof name, "%s:40", f);
    cr_assert_eq(file_of(j, name), 4, "4 nops");
    snprintf(name, sizeof name, "%s:41", f);
    cr_assert_eq(file_of(j, name), 3, "xor, ret");
    snprintf(name, sizeof name, "%s:43", f);
    cr_assert_null(row_of(j, name), "the row at seq_a's sequence end has bytes");
    snprintf(name, sizeof name, "%s:50", f);
    cr_assert_eq(file_of(j, name), 3);
    /* All the lines of seq.c: main, seq_a and seq_b, exactly. */
    int64_t lines = 0;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(j, "rows"), i, r)
    {
        if (strncmp(fx_str(r, "name"), f, strlen(f)) == 0)
            lines += jint(r, "file_size");
    }
    cr_assert_eq(lines, (int64_t)(a + b + m), "seq.c's lines: %lld bytes", (long long)lines);
    json_decref(j);
    json_t *fl = dw_json("files", path, NULL);
    cr_assert_eq(file_of(fl, f), (int64_t)(a + b + m));
    json_decref(fl);
    dw_adds_up("files --lines", path);
    dw_adds_up("units", path);
}

/* Without debug info --by falls back to the symbol-name rule, with a note. */
Test(dwarf_crates, no_debug_info_falls_back_to_names)
{
    const char *path = fx_need("c-sizes");
    char *err;
    json_t *d = dw_json("crates --by defining", path, &err);
    cr_assert(strstr(err, "without debug info, crates come from symbol names"), "%s", err);
    free(err);
    /* The rows of --by count each leaf's own bytes, as --no-owners does. */
    json_t *c = heft_json("crates -n 0 --no-owners '%s'", path);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(c, "rows"), i, r)
    {
        cr_assert_eq(file_of(d, fx_str(r, "name")), jint(r, "file_size"), "row %s", fx_str(r, "name"));
    }
    cr_assert_eq(json_array_size(json_object_get(c, "rows")), json_array_size(json_object_get(d, "rows")));
    json_decref(c);
    json_decref(d);
    dw_adds_up("crates --matrix", path);
}

Test(dwarf_cli, usage_errors)
{
    static const char *const bad[] = {"units", "files --depth 0 x", "files --lines --depth 2 x",
                                      "crates --by nothing x", "symbols --by defining x",
                                      "crates --debug-dir /tmp x", "crates --by defining --crate std x",
                                      "units --sort addr x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        Run r = run_heft("%s", bad[i]);
        cr_assert_eq(r.status, 2, "heft %s exited %d", bad[i], r.status);
        cr_assert(strncmp(r.err, "heft: ", 6) == 0 && strchr(r.err, '\n') == r.err + r.err_len - 1,
                  "heft %s: %s", bad[i], r.err);
        run_free(&r);
    }
    Run r = run_heft("units --help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "compile unit"));
    run_free(&r);
    r = run_heft("files --help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "--depth") && strstr(r.out, "--lines"));
    run_free(&r);
}

/* Every other fixture (no debug info, other machines, a relocatable object):
 * the views still add up. */
Test(dwarf_units, every_fixture_adds_up, .timeout = 120)
{
    static const char *const all[] = {"c-sizes", "c-sizes-stripped", "c-sizes.o", "c-sizes-aarch64",
                                      "c-sizes-arm32", "c-sizes-ppc32be", "c-sizes-aarch64be", "cxx-shapes",
                                      "rust-legacy", "rust-v0"};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        const char *path = fx_need(all[i]);
        dw_adds_up("units", path);
        dw_adds_up("files --lines", path);
        dw_adds_up("crates --matrix", path);
    }
}
