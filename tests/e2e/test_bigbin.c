/* test_bigbin.c — the invariant on large real binaries: the Rust toolchain's
 * cargo (~40 MB) and librustc_driver-*.so (~150 MB). The machine has them
 * (rustup's stable toolchain); if they are missing the test fails, it does not
 * skip. One or two heft runs each: under ASan these take seconds. */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_util.h"
#include "harness.h"

static char *toolchain_file(const char *pattern)
{
    const char *home = getenv("RUSTUP_HOME");
    char pat[4096];
    if (home && *home)
        snprintf(pat, sizeof pat, "%s/toolchains/stable-x86_64-unknown-linux-gnu/%s", home, pattern);
    else
        snprintf(pat, sizeof pat, "%s/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/%s",
                 getenv("HOME") ? getenv("HOME") : "/root", pattern);
    glob_t g;
    int rc = glob(pat, 0, NULL, &g);
    cr_assert(rc == 0 && g.gl_pathc >= 1,
              "no file matches %s: the big-binary tests need rustup's stable toolchain (~/.rustup)", pat);
    char *p = strdup(g.gl_pathv[0]);
    globfree(&g);
    return p;
}

static void big(const char *pattern, const char *view)
{
    char *p = toolchain_file(pattern);
    json_t *j = fx_check_adds_up(p, view, "");
    cr_assert_gt(json_array_size(json_object_get(j, "rows")), 10);
    if (strcmp(view, "crates") == 0) {
        json_t *std = row_named(json_object_get(j, "rows"), "std");
        cr_assert(std, "%s: no std row", p);
        /* It is mostly Rust: a tenth of the file is attributed to crates at all. */
        uint64_t named = 0;
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(j, "rows"), i, row) {
            if (fx_str(row, "name")[0] != '[')
                named += (uint64_t)jint(row, "file_size");
        }
        cr_assert_gt(named, (uint64_t)jint(j, "file_size") / 10, "%s: only %llu B in crates", p,
                     (unsigned long long)named);
    }
    json_decref(j);
    free(p);
}

Test(bigbin, cargo_sections, .timeout = 300) { big("bin/cargo", "sections"); }
Test(bigbin, cargo_crates, .timeout = 300) { big("bin/cargo", "crates"); }
Test(bigbin, rustc_driver_sections, .timeout = 600) { big("lib/librustc_driver-*.so", "sections"); }
Test(bigbin, rustc_driver_crates, .timeout = 600) { big("lib/librustc_driver-*.so", "crates"); }
