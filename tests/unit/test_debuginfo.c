/* test_debuginfo.c — debuginfo_source: how source paths are shown and which
 * crate they belong to, one rule at a time. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "debuginfo.h"

static Arena *arena;
static void setup(void)
{
    arena = arena_new();
    setenv("HOME", "/home/u", 1);
}
static void teardown(void) { arena_free(arena); }
TestSuite(dwarf_paths, .init = setup, .fini = teardown);

static const char *show_of(const char *in, const char *dir)
{
    const char *show, *crate;
    debuginfo_source(arena, in, dir, &show, &crate);
    return show;
}

static const char *crate_of(const char *in, const char *dir)
{
    const char *show, *crate;
    debuginfo_source(arena, in, dir, &show, &crate);
    return crate ? crate : "[none]";
}

#define PATH(in, dir, want) cr_assert_str_eq(show_of(in, dir), want, "path %s (dir %s)", in, dir)

Test(dwarf_paths, normalized)
{
    PATH("/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/fmt/mod.rs", "/w",
         "library/core/src/fmt/mod.rs");
    PATH("/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde_json-1.0.87/src/ser.rs", "/w",
         "serde_json-1.0.87/src/ser.rs");
    PATH("/home/u/.cargo/git/checkouts/regex-0a1b2c3d/ab12cd3/src/lib.rs", "/w", "regex-0a1b2c3d/ab12cd3/src/lib.rs");
    PATH("/rust/deps/gimli-0.32.3/src/read/dwarf.rs", "/w", "gimli-0.32.3/src/read/dwarf.rs");
    /* A package's root as the unit's directory: shown under its name. */
    PATH("src/lib.rs/@/app.1a2b3c-cgu.0", "/w/ws", "ws/src/lib.rs/@/app.1a2b3c-cgu.0");
    PATH("src/lib.rs", "/w/ws", "ws/src/lib.rs");
    /* Debian's registry, a vendor directory: from the crate's directory. */
    PATH("src/lib.rs", "/usr/share/cargo/registry/strsim-0.10.0", "strsim-0.10.0/src/lib.rs");
    PATH("src/error.rs", "/usr/share/cargo/registry/anyhow-1.0.69", "anyhow-1.0.69/src/error.rs");
    PATH("/w/ws/vendor/regex-syntax-0.6.27/src/ast/mod.rs", "/w/ws", "regex-syntax-0.6.27/src/ast/mod.rs");
    PATH("/src/proj-2.0.1/vendor/foo-1.0.0-rc.1/src/lib.rs", "/w", "foo-1.0.0-rc.1/src/lib.rs");
    PATH("logtool/src/main.rs", "/w/realworld", "logtool/src/main.rs");
    PATH("/w/ws/crates/a/./src/../src/lib.rs", "/w/ws", "crates/a/src/lib.rs");
    PATH("x.c", "/w//ws/", "x.c");
    PATH("/home/u/proj/x.c", "/elsewhere", "~/proj/x.c");
    PATH("/usr/include/stdio.h", "/w", "/usr/include/stdio.h");
    PATH("../up/x.c", NULL, "../up/x.c");
    PATH("/a/../../x.c", NULL, "/x.c");
    PATH("a/../../b/./x.c", NULL, "../b/x.c");
    PATH("", "/w", "[unnamed]");
}

#define CRATE(norm, abs, want) cr_assert_str_eq(crate_of(abs, "/w"), want, "crate of %s", abs)

Test(dwarf_paths, crates)
{
    CRATE("library/alloc/src/vec/mod.rs",
          "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/alloc/src/vec/mod.rs", "alloc");
    CRATE("serde_json-1.0.87/src/ser.rs",
          "/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde_json-1.0.87/src/ser.rs", "serde_json");
    CRATE("proc-macro2-1.0.66/src/lib.rs",
          "/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/proc-macro2-1.0.66/src/lib.rs", "proc_macro2");
    CRATE("regex-0a1b2c3d/ab12cd3/src/lib.rs", "/home/u/.cargo/git/checkouts/regex-0a1b2c3d/ab12cd3/src/lib.rs",
          "regex");
    CRATE("gimli-0.32.3/src/read/dwarf.rs", "/rust/deps/gimli-0.32.3/src/read/dwarf.rs", "gimli");
    /* No Cargo.toml on disk: the directory holding src/. */
    CRATE("crates/my-pkg/src/lib.rs", "/nonexistent/ws/crates/my-pkg/src/lib.rs", "my_pkg");
    CRATE("main.c", "/nonexistent/main.c", "[none]");
    CRATE("strsim-0.10.0/src/lib.rs", "/usr/share/cargo/registry/strsim-0.10.0/src/lib.rs", "strsim");
    CRATE("regex-syntax-0.6.27/src/lib.rs", "/usr/share/cargo/registry/regex-syntax-0.6.27/src/lib.rs",
          "regex_syntax");
    CRATE("library/stdarch/crates/core_arch/src/x86/sse2.rs",
          "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/stdarch/crates/core_arch/src/x86/sse2.rs", "core");
    CRATE("…/out/gen.rs", "/nonexistent/target/debug/build/my-app-0123456789abcdef/out/gen.rs", "my_app");
    /* Not versions: an index directory, a plain name with a dash. */
    CRATE("x", "/nonexistent/index.crates.io-6f17d22bba15001f/x.rs", "[none]");
    CRATE("x", "/nonexistent/unicode-ident/x.rs", "[none]");
}

/* On disk, the nearest Cargo.toml's [package] name wins over the layout. */
Test(dwarf_paths, cargo_toml_on_disk)
{
    char dir[] = "/tmp/heft-paths-XXXXXX";
    cr_assert(mkdtemp(dir));
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/pkg/csrc && "
             "printf '[package]\\nversion = \"1\"\\nname = \"the-pkg\"\\n[lib]\\nname = \"x\"\\n' "
             "> %s/pkg/Cargo.toml && touch %s/pkg/csrc/a.c",
             dir, dir, dir);
    cr_assert_eq(system(cmd), 0);
    char abs[256];
    snprintf(abs, sizeof abs, "%s/pkg/csrc/a.c", dir);
    CRATE("pkg/csrc/a.c", abs, "the_pkg");
    /* Outside the unit's directory (a path dependency elsewhere): shown from
     * its package's directory. */
    cr_assert_str_eq(show_of(abs, "/w"), "pkg/csrc/a.c");
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}
