/* test_parallel.c — the names of a large file are worked out, and its
 * functions disassembled for dups, on every core (src/parallel.c); what heft prints must not depend on how many threads
 * did it. Each view's JSON under HEFT_THREADS=1 is the reference for 2 and 8
 * threads, on real inputs with more symbols than one block of work (2,048):
 * the 37-crate workspace in both Rust manglings, and the system's C++
 * runtime (its .dynsym: thousands of Itanium names). */
#include "fixture_util.h"
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Run with_threads(int threads, const char *view, const char *path)
{
    return run_cmd("HEFT_THREADS=%d '%s' %s --format json '%s'", threads, heft_bin(), view, path);
}

static void same_with_any_threads(const char *path, size_t min_symbols)
{
    static const char *const views[] = {"symbols -n 0", "crates -n 0", "summary", "monos -n 0",
                                        "symbols -n 0 --full-names", "dups -n 0"};
    for (size_t v = 0; v < sizeof views / sizeof *views; v++) {
        Run one = with_threads(1, views[v], path);
        cr_assert_eq(one.status, 0, "heft %s %s: %s", views[v], path, one.err);
        if (v == 0) {
            json_t *doc = json_loads(one.out, 0, NULL);
            cr_assert(doc);
            json_t *rows = json_object_get(doc, "rows");
            size_t symbols = 0;
            for (size_t i = 0; i < json_array_size(rows); i++)
                symbols += strcmp(json_string_value(json_object_get(json_array_get(rows, i), "kind")), "symbol") == 0;
            cr_assert_geq(symbols, min_symbols, "%s: %zu symbol rows", path, symbols);
            json_decref(doc);
        }
        for (int t = 2; t <= 8; t *= 4) {
            Run many = with_threads(t, views[v], path);
            cr_assert_eq(many.status, 0, "HEFT_THREADS=%d heft %s %s: %s", t, views[v], path, many.err);
            cr_expect(one.out_len == many.out_len && memcmp(one.out, many.out, one.out_len) == 0,
                      "heft %s %s: HEFT_THREADS=%d prints other JSON than 1 thread", views[v], path, t);
            run_free(&many);
        }
        run_free(&one);
    }
}

Test(parallel, rust_v0_workspace, .timeout = 300) { same_with_any_threads(fx_need("realworld-dev-v0"), 10000); }
Test(parallel, rust_legacy_workspace, .timeout = 300) { same_with_any_threads(fx_need("realworld-release"), 5000); }

Test(parallel, cxx_runtime, .timeout = 300)
{
    char *lib = fx_libstdcxx();
    same_with_any_threads(lib, 3000);
    free(lib);
}

/* A thread count heft cannot use is ignored, not an error. */
Test(parallel, bad_thread_counts_fall_back)
{
    const char *path = fx_need("realworld-release");
    Run ref = with_threads(1, "crates", path);
    cr_assert_eq(ref.status, 0, "%s", ref.err);
    static const char *const bad[] = {"0", "9", "-1", "two", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        Run r = run_cmd("HEFT_THREADS='%s' '%s' crates --format json '%s'", bad[i], heft_bin(), path);
        cr_expect_eq(r.status, 0, "HEFT_THREADS='%s': %s", bad[i], r.err);
        cr_expect_str_eq(r.out, ref.out, "HEFT_THREADS='%s'", bad[i]);
        cr_expect_str_eq(r.err, "", "HEFT_THREADS='%s'", bad[i]);
        run_free(&r);
    }
    run_free(&ref);
}
