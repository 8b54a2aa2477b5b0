/* test_invariant.c — every fixture, every view: with -n 0 and no filter the
 * rows add up to the file's size (stat) and to the loaded image's size (the
 * union of the PT_LOAD segments per readelf -lW), exactly. */
#include <criterion/criterion.h>
#include <string.h>

#include "fixture_util.h"
#include "harness.h"

static const char *const views[] = {"summary", "symbols", "crates", "sections", "segments"};

static void all_views(const char *name)
{
    const char *path = fx_need(name);
    for (size_t v = 0; v < sizeof views / sizeof *views; v++) {
        json_t *j = fx_check_adds_up(path, views[v], "");
        cr_assert_str_eq(fx_str(j, "schema"), "heft.view/1");
        cr_assert_str_eq(fx_str(j, "view"), views[v]);
        cr_assert_str_eq(fx_str(j, "file"), path);
        if (strcmp(views[v], "symbols") == 0) {
            /* Leaves with no bytes are not rows. */
            size_t i;
            json_t *row;
            json_array_foreach(json_object_get(j, "rows"), i, row) {
                cr_assert(jint(row, "file_size") > 0 || jint(row, "vm_size") > 0, "%s: empty row %s", name,
                          fx_str(row, "name"));
            }
        }
        json_decref(j);
    }
}

Test(invariant, c_sizes) { all_views("c-sizes"); }
Test(invariant, c_sizes_stripped) { all_views("c-sizes-stripped"); }
Test(invariant, c_sizes_object) { all_views("c-sizes.o"); }
Test(invariant, c_sizes_aarch64) { all_views("c-sizes-aarch64"); }
Test(invariant, c_sizes_arm32) { all_views("c-sizes-arm32"); }
Test(invariant, arm_static_libc) { all_views("c-why-arm-static-gc-off"); }
Test(invariant, c_sizes_ppc32be) { all_views("c-sizes-ppc32be"); }
Test(invariant, c_sizes_aarch64be) { all_views("c-sizes-aarch64be"); }
Test(invariant, cxx_shapes) { all_views("cxx-shapes"); }
Test(invariant, rust_legacy) { all_views("rust-legacy"); }
Test(invariant, rust_v0) { all_views("rust-v0"); }

/* The options that change names or grouping must not change the totals. */
Test(invariant, name_options_keep_totals)
{
    static const char *const opts[] = {"--split-std", "--full-names", "--no-demangle", "--sort name",
                                       "--sort addr"};
    const char *path = fx_need("rust-v0");
    for (size_t o = 0; o < sizeof opts / sizeof *opts; o++) {
        json_t *j = fx_check_adds_up(path, "crates", opts[o]);
        json_decref(j);
        j = fx_check_adds_up(path, "symbols", opts[o]);
        json_decref(j);
    }
}
