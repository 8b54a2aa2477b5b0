/* test_lazy.c — the views demangle only the symbols they show, sort by name
 * or match (ACCT_LAZY_NAMES), and pick the rows they show with a bounded
 * heap instead of a full sort. Neither may change a row: `-n K` must print
 * exactly the first K rows of the full listing made with every name worked
 * out first (names, aliases, crates, sizes), and the rest must add up to what
 * that listing leaves out, on real inputs where many symbols share a size
 * and the cut falls inside a run of equal sizes. The sections and segments
 * tables place no symbol at all (ACCT_NO_SYMBOLS): their rows must be those
 * of the JSON, whose head counts symbols and so places every one. */
#include "fixture_util.h"
#include "harness.h"

#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* heft VIEW OPTS -n K against the first K rows of -n 0 --filter '^': a
 * pattern names every leaf before any row is made, as heft did before names
 * were lazy, so that the reference does not share the lazy path. */
static void prefixes_match(const char *view, const char *opts, const char *path)
{
    bool filtered = strstr(opts, "--filter") != NULL;
    json_t *all = heft_json("%s %s -n 0 %s '%s'", view, opts, filtered ? "" : "--filter '^'", path);
    json_t *rows = json_object_get(all, "rows");
    size_t n = json_array_size(rows);
    cr_assert_gt(n, 3, "%s %s %s: %zu rows", view, opts, path, n);
    static const size_t ks[] = {1, 2, 3, 7, 20, 64, 100, 1000, 3000};
    bool cut_in_a_tie = false;
    for (size_t i = 0; i < sizeof ks / sizeof *ks && ks[i] < n; i++) {
        size_t k = ks[i];
        json_t *some = heft_json("%s %s -n %zu '%s'", view, opts, k, path);
        json_t *got = json_object_get(some, "rows");
        cr_assert_eq(json_array_size(got), k, "%s %s -n %zu: %zu rows", view, opts, k, json_array_size(got));
        for (size_t r = 0; r < k; r++)
            cr_expect(json_equal(json_array_get(got, r), json_array_get(rows, r)),
                      "%s %s -n %zu %s: row %zu differs from the full listing's", view, opts, k, path, r);
        uint64_t rest = 0;
        for (size_t r = k; r < n; r++)
            rest += (uint64_t)jint(json_array_get(rows, r), "file_size");
        cr_expect_eq((uint64_t)jint(json_object_get(some, "rest"), "file_size"), rest, "%s %s -n %zu: rest", view,
                     opts, k);
        cr_expect_eq((uint64_t)jint(json_object_get(some, "rest"), "rows"), n - k, "%s %s -n %zu: rest rows", view,
                     opts, k);
        cut_in_a_tie |= jint(json_array_get(rows, k - 1), "file_size") == jint(json_array_get(rows, k), "file_size");
        json_decref(some);
    }
    /* Sorted by size, some cut must fall between two rows of one size, where
     * only names decide (the case the lazy naming has to get right). */
    if (!*opts)
        cr_expect(cut_in_a_tie, "%s %s: no cut fell inside a run of equal sizes; pick other K", view, path);
    json_decref(all);
}

static void every_order(const char *path)
{
    prefixes_match("symbols", "", path);
    prefixes_match("symbols", "--sort name", path);
    prefixes_match("symbols", "--sort addr", path);
    prefixes_match("symbols", "--full-names", path);
    prefixes_match("symbols", "--filter 'a.*e'", path);
    prefixes_match("crates", "--sort name", path);
}

Test(lazy, rust_v0_workspace, .timeout = 300) { every_order(fx_need("realworld-dev-v0")); }
Test(lazy, rust_legacy_workspace, .timeout = 300) { every_order(fx_need("realworld-release")); }

Test(lazy, cxx_runtime, .timeout = 300)
{
    char *lib = fx_libstdcxx();
    every_order(lib);
    free(lib);
}

/* The TSV rows of `heft VIEW -n 0 FILE` (file_size, vm_size, section, crate,
 * name) against the JSON rows of the same view, in order. */
static void tsv_rows_match_json(const char *view, const char *path)
{
    json_t *j = heft_json("%s -n 0 '%s'", view, path);
    json_t *rows = json_object_get(j, "rows");
    Run r = run_heft("%s -n 0 --format tsv '%s'", view, path);
    cr_assert_eq(r.status, 0, "%s %s: %s", view, path, r.err);
    char *save = NULL, *line = strtok_r(r.out, "\n", &save);
    cr_assert_str_eq(line, "file_size\tvm_size\tsection\tcrate\tname");
    size_t n = 0;
    uint64_t file = 0, vm = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        json_t *row = json_array_get(rows, n);
        cr_assert(row, "%s %s: the table has more rows than the JSON's %zu", view, path, json_array_size(rows));
        uint64_t f, v;
        cr_assert_eq(sscanf(line, "%" SCNu64 "\t%" SCNu64, &f, &v), 2, "%s %s: row %zu: %s", view, path, n, line);
        const char *name = strrchr(line, '\t') + 1;
        cr_expect_str_eq(name, fx_str(row, "name"), "%s %s: row %zu", view, path, n);
        cr_expect_eq(f, (uint64_t)jint(row, "file_size"), "%s %s: row %zu (%s)", view, path, n, name);
        cr_expect_eq(v, (uint64_t)jint(row, "vm_size"), "%s %s: row %zu (%s)", view, path, n, name);
        file += f, vm += v, n++;
    }
    cr_expect_eq(n, json_array_size(rows), "%s %s: rows", view, path);
    cr_expect_eq(file, file_size_of(path), "%s %s: the rows add up to the file", view, path);
    cr_expect_eq(vm, (uint64_t)jint(j, "vm_size"), "%s %s: the rows add up to the image", view, path);
    run_free(&r);
    json_decref(j);
}

static void sections_and_segments(const char *path)
{
    tsv_rows_match_json("sections", path);
    tsv_rows_match_json("segments", path);
}

Test(lazy, sections_of_a_rust_workspace) { sections_and_segments(fx_need("realworld-release")); }
Test(lazy, sections_of_an_archive) { sections_and_segments(fx_need("archive-rust.a")); }
Test(lazy, sections_of_an_object) { sections_and_segments(fx_need("c-sizes.o")); }

Test(lazy, sections_of_rustc_driver, .timeout = 300)
{
    char *lib = fx_toolchain_file("rustc_driver");
    sections_and_segments(lib);
    free(lib);
}
