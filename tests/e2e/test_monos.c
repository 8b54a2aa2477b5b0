/* test_monos.c — `heft monos` on the monos fixtures (tests/fixtures/monos.mk):
 * monoapp instantiates monolib::process with 4 types, monolib::open with
 * &str, String and PathBuf, Stack<T>'s methods with u16, f32 and String, and
 * the provided method Shape::describe for Circle, Square and Tri;
 * monodyn is the same program with trait objects. Built with v0 and legacy
 * mangling, with and without debug info; plus a C++ program with templates.
 *
 * Ground truth is nm: the copies' sizes are what `nm -S -C` reports for the
 * symbols whose demangled names are the instantiations. */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_util.h"
#include "harness.h"

#define MAXC 64

static int cmp_desc(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Sizes (largest first) of the defined code symbols whose `nm -C` name
 * matches the anchored ERE re. */
static size_t nm_sizes(const char *path, const char *re, uint64_t *out)
{
    Run r = run_cmd("nm -S -C --defined-only '%s'", path);
    cr_assert_eq(r.status, 0, "nm failed on %s", path);
    regex_t rx;
    char full[512];
    snprintf(full, sizeof full, "^(%s)$", re);
    cr_assert_eq(regcomp(&rx, full, REG_EXTENDED | REG_NOSUB), 0);
    char **lines;
    size_t nl = fx_lines(r.out, &lines), n = 0;
    for (size_t i = 0; i < nl; i++) {
        unsigned long long addr, size;
        char type;
        int off = 0;
        if (sscanf(lines[i], "%llx %llx %c %n", &addr, &size, &type, &off) != 3 || !off)
            continue;
        if (!strchr("tTWi", type) || regexec(&rx, lines[i] + off, 0, NULL, 0) != 0)
            continue;
        cr_assert_lt(n, MAXC);
        out[n++] = size;
    }
    free(lines);
    regfree(&rx);
    run_free(&r);
    qsort(out, n, sizeof *out, cmp_desc);
    return n;
}

static json_t *monos_json(const char *fixture_name, const char *extra)
{
    return heft_json("monos -n 0 %s '%s'", extra, fx_need(fixture_name));
}

static json_t *group(json_t *j, const char *name)
{
    json_t *g = row_named(json_object_get(j, "rows"), name);
    cr_assert(g, "no generic %s in heft monos", name);
    return g;
}

/* The group's copies match nm's symbols: count, each size, and the totals. */
static void check_sizes(json_t *g, const char *path, const char *nm_re)
{
    uint64_t want[MAXC], got[MAXC];
    size_t n = nm_sizes(path, nm_re, want);
    json_t *inst = json_object_get(g, "instances");
    cr_assert_eq(json_array_size(inst), n, "%s: heft lists %zu copies, nm %zu", fx_str(g, "name"),
                 json_array_size(inst), n);
    cr_assert_eq(jint(g, "copies"), (int64_t)n);
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        got[i] = (uint64_t)jint(json_array_get(inst, i), "size");
        total += want[i];
    }
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(got[i], want[i], "%s: copy %zu is %llu B, nm says %llu B (largest first)", fx_str(g, "name"), i,
                     (unsigned long long)got[i], (unsigned long long)want[i]);
    cr_assert_eq((uint64_t)jint(g, "total"), total);
    cr_assert_eq((uint64_t)jint(g, "largest"), want[0]);
    cr_assert_eq((uint64_t)jint(g, "saving"), total - want[0]);
}

/* Each copy has exactly one type argument, and together they are args[]. */
static void check_args(json_t *g, const char *const *args, size_t n, const char *from)
{
    json_t *inst = json_object_get(g, "instances");
    cr_assert_eq(json_array_size(inst), n);
    bool seen[MAXC] = {0};
    size_t i;
    json_t *c;
    json_array_foreach(inst, i, c) {
        json_t *ta = json_object_get(c, "type_args");
        cr_assert(json_is_array(ta) && json_array_size(ta) == 1, "%s: copy %zu has %zu type arguments",
                  fx_str(g, "name"), i, json_array_size(ta));
        const char *t = json_string_value(json_array_get(ta, 0));
        size_t k = 0;
        while (k < n && strcmp(args[k], t) != 0)
            k++;
        cr_assert_lt(k, n, "%s: unexpected type argument %s", fx_str(g, "name"), t);
        cr_assert(!seen[k], "%s: %s twice", fx_str(g, "name"), t);
        seen[k] = true;
        cr_assert_str_eq(fx_str(c, "type_args_from"), from);
        cr_assert(json_is_false(json_object_get(c, "same_args")), "%s: %s", fx_str(g, "name"), t);
    }
}

static json_t *suggestion_for(json_t *j, const char *name)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(j, "suggestions"), i, s) {
        if (strcmp(fx_str(s, "generic"), name) == 0)
            return s;
    }
    return NULL;
}

static const char *const PROCESS_V0[] = {"i32", "f64", "&str", "char"};
static const char *const OPEN_V0[] = {"&str", "alloc::string::String", "std::path::PathBuf"};
static const char *const STACK_V0[] = {"u16", "f32", "alloc::string::String"};

static void check_v0(const char *fx)
{
    const char *path = fx_need(fx);
    json_t *j = monos_json(fx, "");
    json_t *g = group(j, "monolib::process");
    cr_assert_str_eq(fx_str(g, "crate"), "monolib");
    cr_assert_str_eq(fx_str(g, "lang"), "rust-v0");
    check_sizes(g, path, "monolib::process::<.*>");
    check_args(g, PROCESS_V0, 4, "name");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(g, "instances"), i, c) {
        cr_assert_str_eq(fx_str(c, "instantiating_crate"), "monoapp");
    }

    g = group(j, "monolib::open");
    check_sizes(g, path, "monolib::open::<.*>");
    check_args(g, OPEN_V0, 3, "name");

    static const char *const methods[] = {"describe", "push", "new"};
    for (size_t m = 0; m < 3; m++) {
        char name[128], re[128];
        snprintf(name, sizeof name, "<monolib::Stack<_>>::%s", methods[m]);
        snprintf(re, sizeof re, "<monolib::Stack<.*>>::%s", methods[m]);
        g = group(j, name);
        check_sizes(g, path, re);
        check_args(g, STACK_V0, 3, "name");
    }
    /* Shape's provided describe, one copy per implementing type: a Y path,
     * `<monoapp::Circle as monolib::Shape>::describe`, grouped by the trait
     * with Self as the argument, and monolib's code (legacy: Shape::describe). */
    static const char *const shapes[] = {"monoapp::Circle", "monoapp::Square", "monoapp::Tri"};
    g = group(j, "<_ as monolib::Shape>::describe");
    cr_assert_str_eq(fx_str(g, "crate"), "monolib");
    check_sizes(g, path, "<monoapp::[A-Za-z]+ as monolib::Shape>::describe");
    check_args(g, shapes, 3, "name");
    cr_assert(json_is_null(json_object_get(j, "type_args_hint")));
    json_decref(j);
}

Test(monos_rust, v0_copies_sizes_and_type_args) { check_v0("monos-v0"); }
Test(monos_rust, v0_with_debug_info_same_groups) { check_v0("monos-v0-g"); }

/* The AsRef<Path> function gets the momo suggestion, with total - largest. */
Test(monos_rust, asref_triggers_momo_suggestion)
{
    const char *path = fx_need("monos-v0");
    uint64_t s[MAXC];
    size_t n = nm_sizes(path, "monolib::open::<.*>", s);
    cr_assert_eq(n, 3);
    uint64_t saving = s[1] + s[2];
    json_t *j = monos_json("monos-v0", "");
    json_t *sg = suggestion_for(j, "monolib::open");
    cr_assert(sg, "no suggestion for monolib::open");
    cr_assert_str_eq(fx_str(sg, "kind"), "outline-conversion");
    cr_assert_eq((uint64_t)jint(sg, "saving"), saving);
    cr_assert(strstr(fx_str(sg, "text"), "momo"));
    /* String and PathBuf have one layout: those two copies are the same code,
     * which folding alone would merge (dups feeds this). */
    char icf[96];
    snprintf(icf, sizeof icf, "(--icf=all alone: %llu B, 2 copies are byte-identical)", (unsigned long long)s[1]);
    cr_assert(s[0] == s[1] && strstr(fx_str(sg, "text"), icf), "%s", fx_str(sg, "text"));
    /* process (4 copies of ~350 B, not conversion sources): the inner-fn advice. */
    sg = suggestion_for(j, "monolib::process");
    cr_assert(sg);
    cr_assert_str_eq(fx_str(sg, "kind"), "inner-fn");
    /* The standard library's generics get no advice: they are not the user's. */
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(j, "suggestions"), i, x) {
        json_t *g = group(j, fx_str(x, "generic"));
        cr_assert_str_neq(fx_str(g, "crate"), "std");
    }
    json_decref(j);

    /* all groups: std's own can outnumber the fixture's in the top 20 (Debian's
     * legacy std brings more of its generic copies) */
    Run r = run_heft("monos -n 0 '%s'", path);
    cr_assert_eq(r.status, 0);
    char want[128];
    snprintf(want, sizeof want, "saves about %llu B", (unsigned long long)saving);
    cr_assert(strstr(r.out, "Suggestions"), "%s", r.out);
    cr_assert(strstr(r.out, want), "table lacks '%s':\n%s", want, r.out);
    run_free(&r);
}

static void check_legacy_counts(const char *fx, json_t *j)
{
    const char *path = fx_need(fx);
    check_sizes(group(j, "monolib::process"), path, "monolib::process");
    check_sizes(group(j, "monolib::open"), path, "monolib::open");
    check_sizes(group(j, "monolib::Stack<_>::describe"), path, "monolib::Stack<T>::describe");
    check_sizes(group(j, "monolib::Shape::describe"), path, "monolib::Shape::describe");
    check_sizes(group(j, "monolib::Stack<_>::push"), path, "monolib::Stack<T>::push");
    cr_assert_str_eq(fx_str(group(j, "monolib::process"), "lang"), "rust-legacy");
}

/* Legacy without debug info: same groups, no type arguments, the v0 hint. */
Test(monos_rust, legacy_without_debug_info_hints_v0)
{
    json_t *j = monos_json("monos-legacy", "");
    check_legacy_counts("monos-legacy", j);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(group(j, "monolib::open"), "instances"), i, c) {
        cr_assert(json_is_null(json_object_get(c, "type_args")));
    }
    cr_assert(strstr(fx_str(j, "type_args_hint"), "-C symbol-mangling-version=v0"));
    json_decref(j);

    Run r = run_heft("monos --expand monolib::open '%s'", fx_need("monos-legacy"));
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "RUSTFLAGS=\"-C symbol-mangling-version=v0\""), "%s", r.out);
    char **lines;
    size_t n = fx_lines(r.out, &lines), hints = 0, rows = 0;
    for (size_t k = 0; k < n; k++) {
        hints += strstr(lines[k], "symbol-mangling-version") != NULL;
        rows += strstr(lines[k], "_ZN7monolib4open17h") != NULL;
    }
    cr_assert_eq(hints, 1, "the hint is one line");
    cr_assert_eq(rows, 3, "three copies listed");
    free(lines);
    run_free(&r);
}

/* Legacy with debug info: type arguments from DWARF, the template
 * parameters' types (debug = 2: short names) or the subprograms' names
 * (debug = 1, which has no template parameters: full paths). */
static void legacy_args_from_dwarf(const char *fx, bool full)
{
    const char *string = full ? "alloc::string::String" : "String";
    const char *const process[] = {"i32", "f64", "&str", "char"};
    const char *const open[] = {"&str", string, full ? "std::path::PathBuf" : "PathBuf"};
    const char *const stack[] = {"u16", "f32", string};
    const char *const shapes[] = {full ? "monoapp::Circle" : "Circle", full ? "monoapp::Square" : "Square",
                                  full ? "monoapp::Tri" : "Tri"};
    json_t *j = monos_json(fx, "");
    check_legacy_counts(fx, j);
    check_args(group(j, "monolib::process"), process, 4, "dwarf");
    check_args(group(j, "monolib::open"), open, 3, "dwarf");
    check_args(group(j, "monolib::Stack<_>::describe"), stack, 3, "dwarf");
    check_args(group(j, "monolib::Shape::describe"), shapes, 3, "dwarf");
    cr_assert(json_is_null(json_object_get(j, "type_args_hint")));
    json_t *sg = suggestion_for(j, "monolib::open");
    cr_assert(sg);
    cr_assert_str_eq(fx_str(sg, "kind"), "outline-conversion");
    json_decref(j);
}

Test(monos_rust, legacy_with_debug_info_args_from_dwarf) { legacy_args_from_dwarf("monos-legacy-g", false); }

/* The debug info in a file of its own (objcopy --only-keep-debug, as
 * distributions ship it): --debug-file gives the same type arguments as the
 * unstripped file; without it, the v0 hint. A file without DWARF, or none at
 * all, is a one-line error and exit 2. */
Test(monos_rust, legacy_debug_file_gives_the_args)
{
    static const char *const process[] = {"i32", "f64", "&str", "char"};
    static const char *const shapes[] = {"Circle", "Square", "Tri"};
    const char *path = fx_need("monos-legacy-g");
    char *bare = fx_stripped_copy(path, "--strip-debug"), dbg[64];
    snprintf(dbg, sizeof dbg, "%s.debug", bare);
    Run r = run_cmd("objcopy --only-keep-debug '%s' '%s'", path, dbg);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);

    json_t *j = heft_json("monos -n 0 '%s'", bare);
    cr_assert(strstr(fx_str(j, "type_args_hint"), "symbol-mangling-version=v0"));
    json_decref(j);
    j = heft_json("monos -n 0 --debug-file '%s' '%s'", dbg, bare);
    check_legacy_counts("monos-legacy-g", j); /* nm of the original: the same symbols */
    check_args(group(j, "monolib::process"), process, 4, "dwarf");
    check_args(group(j, "monolib::Shape::describe"), shapes, 3, "dwarf");
    cr_assert(json_is_null(json_object_get(j, "type_args_hint")));
    json_decref(j);

    r = run_heft("monos --debug-file '%s' '%s'", bare, bare);
    cr_assert_eq(r.status, 2);
    char want[256];
    snprintf(want, sizeof want, "heft: --debug-file %s: no DWARF (.debug_info) in it\n", bare);
    cr_assert_str_eq(r.err, want);
    run_free(&r);
    r = run_heft("monos --debug-file /nonexistent/x.debug '%s'", bare);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "heft: /nonexistent/x.debug: ") == r.err && !strchr(r.err, '\n')[1], "%s", r.err);
    run_free(&r);
    unlink(dbg);
    unlink(bare);
    free(bare);
}

/* Limited debug info (debug = 1) has no template parameters, but the
 * subprograms' names carry the arguments (`process<&str>`, `describe<f32>`):
 * full paths, so the conversion sources of open are recognised. */
Test(monos_rust, legacy_with_limited_debug_info_args_from_dwarf_names)
{
    legacy_args_from_dwarf("monos-legacy-d1", true);
}

/* The trait-object program: one copy of each, so no monolib generic at all. */
static void check_dyn(const char *fx)
{
    json_t *j = monos_json(fx, "--crate monolib");
    cr_assert_eq(json_array_size(json_object_get(j, "rows")), 0, "%s has monolib generics", fx);
    cr_assert_eq(jint(j, "filtered_out"), jint(json_object_get(j, "all"), "generics"));
    json_decref(j);
    static const char *const fns[] = {"monolib::process_dyn", "monolib::open_dyn", "<?monolib::DynStack>?::describe"};
    for (size_t i = 0; i < 3; i++) {
        uint64_t s[MAXC];
        cr_assert_eq(nm_sizes(fx_need(fx), fns[i], s), 1, "%s: %s is one copy", fx, fns[i]);
    }
}

Test(monos_rust, dyn_version_has_one_copy)
{
    check_dyn("monos-dyn-v0");
    check_dyn("monos-dyn-legacy");
}

/* --by crate: defined bytes add up to all copies; instantiated bytes plus
 * the unknown ones too; monoapp instantiates exactly its v0 copies. */
Test(monos_rust, by_crate_adds_up)
{
    json_t *all = monos_json("monos-v0", "");
    json_t *j = heft_json("monos -n 0 --by crate '%s'", fx_need("monos-v0"));
    uint64_t bytes = (uint64_t)jint(j, "bytes"), def = 0, inst = 0, monoapp = 0, monolib = 0;
    cr_assert_eq(bytes, (uint64_t)jint(json_object_get(all, "all"), "total"));
    size_t i, k;
    json_t *r, *g, *c;
    json_array_foreach(json_object_get(j, "rows"), i, r) {
        def += (uint64_t)jint(r, "defined_bytes");
        inst += (uint64_t)jint(r, "instantiated_bytes");
    }
    cr_assert_eq(def, bytes);
    cr_assert_eq(inst + (uint64_t)jint(json_object_get(j, "unknown_instantiator"), "bytes"), bytes);
    json_array_foreach(json_object_get(all, "rows"), i, g) {
        if (strcmp(fx_str(g, "crate"), "monolib") == 0)
            monolib += (uint64_t)jint(g, "total");
        json_array_foreach(json_object_get(g, "instances"), k, c) {
            if (strcmp(fx_str(c, "instantiating_crate"), "monoapp") == 0)
                monoapp += (uint64_t)jint(c, "size");
        }
    }
    json_t *rows = json_object_get(j, "rows");
    cr_assert(monoapp > 0 && monolib > 0);
    cr_assert_eq((uint64_t)jint(row_named(rows, "monoapp"), "instantiated_bytes"), monoapp);
    cr_assert_eq((uint64_t)jint(row_named(rows, "monolib"), "defined_bytes"), monolib);
    json_decref(j);
    json_decref(all);

    /* Legacy: who instantiated is not in the names, and the table says '-'. */
    j = heft_json("monos -n 0 --by crate '%s'", fx_need("monos-legacy"));
    json_t *ml = row_named(json_object_get(j, "rows"), "monolib");
    cr_assert(ml);
    cr_assert_eq(jint(ml, "instantiated_copies"), 0);
    cr_assert(jint(json_object_get(j, "unknown_instantiator"), "bytes") >= jint(ml, "defined_bytes"));
    json_decref(j);
    Run t = run_heft("monos --by crate '%s'", fx_need("monos-legacy"));
    cr_assert_eq(t.status, 0);
    char **lines;
    size_t n = fx_lines(t.out, &lines);
    bool found = false;
    for (size_t l = 0; l < n; l++)
        if (strstr(lines[l], " monolib") && strstr(lines[l], " - "))
            found = true;
    cr_assert(found, "no '-' in the monolib row:\n%s", t.out);
    free(lines);
    run_free(&t);
}

Test(monos_cxx, template_groups)
{
    const char *path = fx_need("monos-cxx");
    json_t *j = monos_json("monos-cxx", "");
    static const char *const scale[] = {"float", "double", "int"};
    static const char *const box[] = {"int", "double"};
    json_t *g = group(j, "tpl::scale");
    cr_assert_str_eq(fx_str(g, "crate"), "tpl");
    cr_assert_str_eq(fx_str(g, "lang"), "c++");
    check_sizes(g, path, "void tpl::scale<.*>\\(.*\\)");
    check_args(g, scale, 3, "name");
    g = group(j, "tpl::Box<_>::total");
    check_sizes(g, path, "tpl::Box<.*>::total\\(\\) const");
    check_args(g, box, 2, "name");
    check_sizes(group(j, "std::vector<_>::_M_realloc_insert"), path, "void std::vector<.*>::_M_realloc_insert<.*");
    /* Overloads without templates are not copies of a generic. */
    cr_assert_null(row_named(json_object_get(j, "rows"), "tpl::describe"));
    json_decref(j);
}

Test(monos_options, limit_filter_crate_formats)
{
    const char *path = fx_need("monos-v0");
    json_t *all = heft_json("monos -n 0 '%s'", path);
    size_t ng = json_array_size(json_object_get(all, "rows"));
    cr_assert_gt(ng, 3);
    json_t *one = heft_json("monos -n 1 '%s'", path);
    cr_assert_eq(json_array_size(json_object_get(one, "rows")), 1);
    cr_assert_eq(jint(json_object_get(one, "rest"), "generics"), (int64_t)ng - 1);
    cr_assert_str_eq(fx_str(json_array_get(json_object_get(one, "rows"), 0), "name"),
                     fx_str(json_array_get(json_object_get(all, "rows"), 0), "name"));
    json_decref(one);

    json_t *f = heft_json("monos -n 0 --filter '^monolib::(open|process)$' '%s'", path);
    cr_assert_eq(json_array_size(json_object_get(f, "rows")), 2);
    cr_assert_eq(jint(f, "filtered_out"), (int64_t)ng - 2);
    json_decref(f);

    json_t *c = heft_json("monos -n 0 --crate monolib '%s'", path);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(c, "rows"), i, r) {
        cr_assert_str_eq(fx_str(r, "crate"), "monolib");
    }
    cr_assert_eq(json_array_size(json_object_get(c, "rows")), 6); /* process, open, Stack's 3 methods, Shape::describe */
    json_decref(c);

    Run csv = run_heft("monos -n 0 --format csv '%s'", path);
    cr_assert_eq(csv.status, 0);
    char **lines;
    size_t n = fx_lines(csv.out, &lines);
    cr_assert_eq(n, ng + 1);
    cr_assert_str_eq(lines[0], "saving,total,largest,copies,crate,name");
    free(lines);
    run_free(&csv);
    Run tsv = run_heft("monos -n 0 --format tsv '%s'", path);
    cr_assert_eq(tsv.status, 0);
    cr_assert(strstr(tsv.out, "\tmonolib\tmonolib::open\n"));
    run_free(&tsv);

    /* The table and the JSON list the same groups, in the same order. */
    Run t = run_heft("monos -n 0 -w '%s'", path);
    cr_assert_eq(t.status, 0);
    const char *p = t.out;
    json_array_foreach(json_object_get(all, "rows"), i, r) {
        const char *at = strstr(p, fx_str(r, "name"));
        cr_assert(at, "table lacks %s (or out of order)", fx_str(r, "name"));
        p = at;
    }
    run_free(&t);
    json_decref(all);
}

Test(monos_options, usage_errors_and_help)
{
    Run r = run_heft("monos --by nothing '%s'", fx_need("monos-v0"));
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = run_heft("monos");
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = run_heft("monos /nonexistent/file");
    cr_assert_eq(r.status, 2);
    cr_assert(strncmp(r.err, "heft: /nonexistent/file: ", 25) == 0, "%s", r.err);
    cr_assert_eq(strchr(r.err, '\n'), r.err + r.err_len - 1, "one line: %s", r.err);
    run_free(&r);
    r = run_heft("monos --filter '(' '%s'", fx_need("monos-v0"));
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = run_heft("monos --help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "Saving = Total - Largest"));
    run_free(&r);
}

Test(monos_options, deterministic)
{
    Run a = run_heft("monos -n 0 -v '%s'", fx_need("monos-v0"));
    Run b = run_heft("monos -n 0 -v '%s'", fx_need("monos-v0"));
    cr_assert_eq(a.status, 0);
    cr_assert_str_eq(a.out, b.out);
    run_free(&a);
    run_free(&b);
}

/* Hostile input: truncated copies of the debug-info fixture, and copies with
 * bytes of .debug_info overwritten (what libdw and tparams.c read). heft monos
 * -v must finish with 0, or 2 and one line on stderr; never crash or hang. */
static void monos_survives(const char *path, const char *what)
{
    Run r = run_cmd("timeout 60 \"$HEFT\" monos -n 0 -v '%s' >/dev/null", path);
    cr_assert(r.status == 0 || r.status == 2, "%s: heft monos exited %d: %s", what, r.status, r.err);
    if (r.status == 2) {
        cr_assert_gt(r.err_len, 0);
        cr_assert_eq(strchr(r.err, '\n'), r.err + r.err_len - 1, "%s: not one line: %s", what, r.err);
    }
    run_free(&r);
}

Test(monos_hostile, truncated_and_corrupt_debug_info, .timeout = 600)
{
    const char *src = fx_need("monos-legacy-g");
    FxElf e;
    fx_elf_read(&e, src, ".symtab", false);
    const FxSection *di = fx_section_named(&e, ".debug_info");
    cr_assert(di && di->size > 4096, "the fixture has .debug_info");
    uint64_t off = di->offset, size = di->size;
    fx_elf_free(&e);

    FILE *f = fopen(src, "rb");
    cr_assert(f);
    uint64_t len = file_size_of(src);
    unsigned char *data = malloc(len);
    cr_assert(data && fread(data, 1, len, f) == len);
    fclose(f);
    char dir[] = "/tmp/heft-monos-XXXXXX";
    cr_assert(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/f", dir);

    /* Cut inside .debug_info and at fractions of the file. */
    uint64_t cuts[] = {off + 11, off + size / 3, off + size - 1, len / 2, len - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        f = fopen(path, "wb");
        cr_assert(f && fwrite(data, 1, cuts[i], f) == cuts[i]);
        fclose(f);
        char what[64];
        snprintf(what, sizeof what, "truncated at %llu", (unsigned long long)cuts[i]);
        monos_survives(path, what);
    }
    /* 12 copies, each with 64 bytes of .debug_info set to pseudo-random values. */
    uint64_t seed = 0x6d6f6e6f73ull;
    unsigned char *copy = malloc(len);
    cr_assert(copy);
    for (int round = 0; round < 12; round++) {
        memcpy(copy, data, len);
        for (int k = 0; k < 64; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            copy[off + (seed >> 20) % size] = (unsigned char)(seed >> 56);
        }
        f = fopen(path, "wb");
        cr_assert(f && fwrite(copy, 1, len, f) == len);
        fclose(f);
        char what[64];
        snprintf(what, sizeof what, "corrupt .debug_info, round %d", round);
        monos_survives(path, what);
    }
    free(copy);
    free(data);
    unlink(path);
    rmdir(dir);
}

/* dups feeds monos: id_len::<Vec<u8>> and id_len::<String> compile to the
 * same code calling the same functions (tests/fixtures/dups/rust), so the
 * advice is to let the linker fold them, saving one copy's size. */
Test(monos_rust, identical_copies_advise_linker_folding)
{
    const char *path = fx_need("dups-rust");
    uint64_t s[MAXC];
    cr_assert_eq(nm_sizes(path, "dupsrs::id_len::<.*>", s), 2);
    cr_assert_eq(s[0], s[1]);
    json_t *j = monos_json("dups-rust", "");
    json_t *sg = suggestion_for(j, "dupsrs::id_len");
    cr_assert(sg, "no suggestion for dupsrs::id_len");
    cr_assert_str_eq(fx_str(sg, "kind"), "fold-identical");
    cr_assert_eq((uint64_t)jint(sg, "saving"), s[0]);
    cr_assert(strstr(fx_str(sg, "text"), "2 of 2 copies are byte-identical"), "%s", fx_str(sg, "text"));
    cr_assert(strstr(fx_str(sg, "text"), "--icf=all"));
    json_decref(j);
}
