/* test_bigbin.c — the invariant on large real binaries: the cargo (~30-40 MB)
 * and librustc_driver-*.so (~90-150 MB) of the Rust toolchain that is
 * installed, rustup's (with symbol tables) or Debian's (stripped). If they are
 * missing the test fails, it does not skip. One or two heft runs each: under
 * ASan these take seconds. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_util.h"
#include "harness.h"

static void big(const char *what, const char *view)
{
    char *p = fx_toolchain_file(what);
    json_t *j = fx_check_adds_up(p, view, "");
    cr_assert_gt(json_array_size(json_object_get(j, "rows")), 10);
    if (strcmp(view, "crates") == 0) {
        uint64_t named = 0, unknown = 0;
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(j, "rows"), i, row) {
            const char *name = fx_str(row, "name");
            if (name[0] != '[')
                named += (uint64_t)jint(row, "file_size");
            else if (strcmp(name, "[unknown]") == 0)
                unknown += (uint64_t)jint(row, "file_size");
        }
        /* Of the bytes symbols claim, nearly all have a crate. */
        cr_assert_geq(named * 100, (named + unknown) * 95, "%s: %llu B in crates, %llu B [unknown]", p,
                      (unsigned long long)named, (unsigned long long)unknown);
        if (strcmp(fx_str(j, "symbols_from"), "symtab") == 0) {
            cr_assert(row_named(json_object_get(j, "rows"), "std"), "%s: no std row", p);
            /* It is mostly Rust: a tenth of the file is attributed to crates at all. */
            cr_assert_gt(named, (uint64_t)jint(j, "file_size") / 10, "%s: only %llu B in crates", p,
                         (unsigned long long)named);
        } else {
            /* Debian strips its toolchain: what is left to say is how to keep symbols,
             * in cargo's words since the file is Rust. A library still exports std. */
            Run r = run_heft("crates -n 1 '%s'", p);
            cr_assert(strstr(r.err, "no .symtab (stripped)") &&
                          strstr(r.err, "keep symbols with strip = false in the cargo profile"),
                      "%s", r.err);
            run_free(&r);
            if (strcmp(what, "rustc_driver") == 0)
                cr_assert(row_named(json_object_get(j, "rows"), "std"), "%s: no std row", p);
        }
    }
    json_decref(j);
    free(p);
}

Test(bigbin, cargo_sections, .timeout = 300) { big("cargo", "sections"); }
Test(bigbin, cargo_crates, .timeout = 300) { big("cargo", "crates"); }
Test(bigbin, rustc_driver_sections, .timeout = 600) { big("rustc_driver", "sections"); }
Test(bigbin, rustc_driver_crates, .timeout = 600) { big("rustc_driver", "crates"); }
