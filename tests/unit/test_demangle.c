/* test_demangle.c — names_analyze on the name forms real binaries hold:
 * display and full forms, language, crate attribution rules (docs/crates.md),
 * the std fold, and hostile input. */
#include <criterion/criterion.h>
#include <string.h>

#include "names.h"

static Arena *arena;
static void setup(void) { arena = arena_new(); }
static void teardown(void) { arena_free(arena); }
TestSuite(demangle, .init = setup, .fini = teardown);

static NameInfo an(const char *raw)
{
    NameInfo n;
    names_analyze(arena, raw, 0, &n);
    return n;
}

#define EXPECT(raw, disp, crate_, lang_)                                                                      \
    do {                                                                                                      \
        NameInfo n_ = an(raw);                                                                                \
        cr_expect_str_eq(n_.display, disp, "display of %s", raw);                                            \
        cr_expect_str_eq(n_.crate, crate_, "crate of %s", raw);                                              \
        cr_expect_eq(n_.lang, lang_, "lang of %s", raw);                                                      \
    } while (0)

Test(demangle, rust_legacy_hash_and_suffixes)
{
    NameInfo n = an("_ZN4core3fmt5write17h0123456789abcdefE.llvm.12345");
    cr_expect_str_eq(n.display, "core::fmt::write");
    cr_expect_str_eq(n.full, "core::fmt::write::h0123456789abcdef.llvm.12345");
    cr_expect_str_eq(n.crate, "core");
    cr_expect_eq(n.lang, NAME_RUST_LEGACY);
    cr_expect_null(n.inst_crate);
}

Test(demangle, rust_legacy_trait_impl_rule)
{
    /* A's crate ... */
    EXPECT("_ZN51_$LT$geom..Circle$u20$as$u20$core..fmt..Display$GT$3fmt17h0123456789abcdefE",
           "<geom::Circle as core::fmt::Display>::fmt", "geom", NAME_RUST_LEGACY);
    /* ... B's when A is a primitive ... */
    EXPECT("_ZN34_$LT$u8$u20$as$u20$geom..Shape$GT$4area17h0123456789abcdefE", "<u8 as geom::Shape>::area", "geom",
           NAME_RUST_LEGACY);
    /* ... or a std type while B is not; references are looked through. */
    EXPECT("_ZN56_$LT$alloc..string..String$u20$as$u20$textkit..Words$GT$5words17h0123456789abcdefE",
           "<alloc::string::String as textkit::Words>::words", "textkit", NAME_RUST_LEGACY);
    EXPECT("_ZN100_$LT$$RF$mut$u20$serde_json..ser..Serializer$LT$W$C$F$GT$$u20$as$u20$serde_core..ser..Serializer$GT$"
           "13serialize_str17h087dcf4bf24cafe9E",
           "<&mut serde_json::ser::Serializer<W,F> as serde_core::ser::Serializer>::serialize_str", "serde_json",
           NAME_RUST_LEGACY);
}

Test(demangle, rust_v0_display_full_and_instantiating_crate)
{
    NameInfo n = an("_RINvCs3MG2ofusW15_21rustc_data_structures7outlineNCINvMs3_NtNtCsdadwybgsbvk_12rustc_middle9dep_"
                    "graph5graphNtBU_12DepGraphData52assert_dep_node_not_yet_allocated_in_current_sessionNtNtCslNYArtu3"
                    "iFV_5alloc6string6StringNCINvMs1_BU_B1G_9with_taskRNtNtCsjrHSEGnQ3l9_3std4path4PathuE0E0uECs5FxD4"
                    "tM6viY_14rustc_metadata");
    cr_expect_str_eq(n.display,
                     "rustc_data_structures::outline::<<rustc_middle::dep_graph::graph::DepGraphData>::assert_dep_node_"
                     "not_yet_allocated_in_current_session<alloc::string::String, <rustc_middle::dep_graph::graph::"
                     "DepGraphData>::with_task<&std::path::Path, ()>::{closure#0}>::{closure#0}, ()>");
    cr_expect(strstr(n.full, "rustc_data_structures[2c167692117eb14d]::outline") == n.full, "full keeps "
              "disambiguators: %s", n.full);
    cr_expect_str_eq(n.crate, "rustc_data_structures");
    cr_expect_str_eq(n.inst_crate, "rustc_metadata");
    cr_expect_eq(n.lang, NAME_RUST_V0);

    n = an("_RINvCs1_4geom4areaNtCs2_3app6SquareECs2_3app");
    cr_expect_str_eq(n.display, "geom::area::<app::Square>");
    cr_expect_str_eq(n.crate, "geom");
    cr_expect_str_eq(n.inst_crate, "app", "the instantiating crate follows the path");
}

Test(demangle, rust_v0_impl_crate_comes_from_the_mangling)
{
    /* The text rule would say "other" (A is std, B is not); the mangling says
     * the impl lives in implcrate. */
    EXPECT("_RNvXCs1_9implcrateNtNtCs2_4core3fmt5ErrorNtCs3_5other5Trait1f", "<core::fmt::Error as other::Trait>::f",
           "implcrate", NAME_RUST_V0);
    EXPECT("_RNvXCs7GcKhkb6nlg_9rustc_abiNtB2_9ReprFlagsNtNtCsgEmfK2I1SDS_4core3fmt5Debug3fmt",
           "<rustc_abi::ReprFlags as core::fmt::Debug>::fmt", "rustc_abi", NAME_RUST_V0);
}

Test(demangle, cxx_namespaces)
{
    EXPECT("_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector<int, std::allocator<int> >::push_back(int const&)", "std (C++)",
           NAME_CXX);
    EXPECT("_ZN3geo6CircleC2Ed", "geo::Circle::Circle(double)", "geo", NAME_CXX);
    EXPECT("_ZTVN3net6SocketE", "vtable for net::Socket", "net", NAME_CXX);
    EXPECT("_ZTSN3geo6CircleE", "typeinfo name for geo::Circle", "geo", NAME_CXX);
    EXPECT("_ZGVZN3foo3barEvE1x", "guard variable for foo::bar()::x", "foo", NAME_CXX);
    EXPECT("_ZThn8_N3net6Socket4sendEv", "non-virtual thunk to net::Socket::send()", "net", NAME_CXX);
    EXPECT("_Z3fooi", "foo(int)", "[C++]", NAME_CXX);
    EXPECT("_ZN12_GLOBAL__N_13fooEv", "(anonymous namespace)::foo()", "(anonymous namespace)", NAME_CXX);
}

Test(demangle, c_names_and_gcc_suffixes)
{
    EXPECT("main", "main", "[C]", NAME_C);
    NameInfo n = an("scale.constprop.0.isra.0");
    cr_expect_str_eq(n.display, "scale");
    cr_expect_str_eq(n.full, "scale.constprop.0.isra.0");
    EXPECT("check_value.cold", "check_value", "[C]", NAME_C);
}

Test(demangle, runtime_and_anonymous_names)
{
    EXPECT("__rust_alloc", "__rust_alloc", "std", NAME_C);
    EXPECT("anon.0123abcd.3.llvm.99", "anon.0123abcd.3", "[unknown]", NAME_C);
    EXPECT("alloc_0123456789abcdef0123456789abcdef", "alloc_0123456789abcdef0123456789abcdef", "[unknown]", NAME_C);
    EXPECT("alloc_bad", "alloc_bad", "[C]", NAME_C);
    EXPECT(".Ltmp0", ".Ltmp0", "[unknown]", NAME_C);
    EXPECT("GCC_except_table42", "GCC_except_table42", "[unknown]", NAME_C);
    EXPECT("DW.ref.rust_eh_personality", "DW.ref.rust_eh_personality", "std", NAME_C);
    EXPECT("DW.ref.__gxx_personality_v0", "DW.ref.__gxx_personality_v0", "[C]", NAME_C);
}

Test(demangle, no_demangle_keeps_raw_but_attributes)
{
    NameInfo n;
    names_analyze(arena, "_ZN4core3fmt5write17h0123456789abcdefE", NAMES_NO_DEMANGLE, &n);
    cr_expect_str_eq(n.display, "_ZN4core3fmt5write17h0123456789abcdefE");
    cr_expect_str_eq(n.crate, "core");
}

Test(demangle, std_fold)
{
    cr_expect_str_eq(names_fold_std("core", 0, NAME_RUST_LEGACY, NAME_RUST_V0), "std");
    cr_expect_str_eq(names_fold_std("alloc", 0, NAME_RUST_V0, NAME_RUST_V0), "std");
    cr_expect_str_eq(names_fold_std("__rustc", 0, NAME_RUST_V0, NAME_RUST_V0), "std");
    cr_expect_str_eq(names_fold_std("gimli", 0, NAME_RUST_V0, NAME_RUST_V0), "std", "std's own dependency, v0 as std is");
    cr_expect_str_eq(names_fold_std("gimli", 0, NAME_RUST_LEGACY, NAME_RUST_V0), "std",
                     "a legacy name has no disambiguator: std's dependency by name");
    cr_expect_str_eq(names_fold_std("geom", 0, NAME_RUST_V0, NAME_RUST_V0), "geom");
    cr_expect(!names_is_std_crate("hashbrown"));
    /* Debian's std is legacy-mangled: std's gimli generics instantiated by a
     * v0 program are v0, and std's all the same. */
    cr_expect_str_eq(names_fold_std("gimli", 0, NAME_RUST_LEGACY, NAME_RUST_LEGACY), "std");
    cr_expect_str_eq(names_fold_std("gimli", 0, NAME_RUST_V0, NAME_RUST_LEGACY), "std");
    cr_expect_str_eq(names_fold_std("gimli", 0, NAME_C, NAME_RUST_LEGACY), "gimli");
    cr_expect_str_eq(names_fold_std("geom", 0, NAME_RUST_LEGACY, NAME_RUST_LEGACY), "geom");
    /* rustup's v0 std in a legacy program: the user's instantiations of core's
     * generics are legacy, but only std itself can be v0 */
    cr_expect_eq(names_std_lang(900, 100, 50, 0), NAME_RUST_V0);
    /* Debian's legacy std in a v0 program */
    cr_expect_eq(names_std_lang(100, 900, 0, 50), NAME_RUST_LEGACY);
    /* Debian's legacy std in a legacy program, rustup's v0 std in a v0 one */
    cr_expect_eq(names_std_lang(900, 0, 50, 0), NAME_RUST_LEGACY);
    cr_expect_eq(names_std_lang(0, 900, 0, 50), NAME_RUST_V0);
    /* std alone (a Rust staticlib's std objects), and nothing */
    cr_expect_eq(names_std_lang(10, 2, 0, 0), NAME_RUST_LEGACY);
    cr_expect_eq(names_std_lang(0, 0, 0, 0), NAME_RUST_V0);
}

Test(demangle, hostile_names_do_not_crash_or_hang)
{
    static const char *const bad[] = {"_ZN", "_R", "_RNvC", "_RNvB0_1f", "_RNvB_1f", "_RINvCs1_", "_ZN4core3fmt",
                                      "_R" "NvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNvNv", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        NameInfo n = an(bad[i]);
        cr_expect_not_null(n.display, "%s", bad[i]);
        cr_expect_not_null(n.crate, "%s", bad[i]);
    }
    cr_expect_str_eq(an("_RNvC").crate, "[unknown]");
    /* Deep nesting: a long chain of generic arguments is cut off, not recursed into forever. */
    static char deep[20000];
    strcpy(deep, "_RIN");
    for (size_t i = 4; i < sizeof deep - 1; i++)
        deep[i] = 'I';
    NameInfo n = an(deep);
    cr_expect_not_null(n.display);
}
