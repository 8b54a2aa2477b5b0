/* test_generics.c — generics_split: generic key and type arguments of
 * demangled names, with exact expected strings. The names are real: from the
 * monos fixtures (tests/fixtures/monos, Rust v0 and legacy, C++) and from
 * rustc's own librustc_driver (v0, and the C++ of LLVM's and libstdc++'s
 * templates), as `nm -C` prints them. */
#include <criterion/criterion.h>
#include <string.h>

#include "generics.h"
#include "monos.h"

static Arena *arena;
static void setup(void) { arena = arena_new(); }
static void teardown(void) { arena_free(arena); }
TestSuite(monos_generics, .init = setup, .fini = teardown);

/* args: the arguments joined with ", " ("" for none). */
static void check_flags(const char *name, NameLang lang, unsigned flags, const char *key, const char *args)
{
    GenericName g;
    memset(&g, 0x5a, sizeof g);
    generics_split(arena, name, lang, flags, &g);
    cr_expect_str_eq(g.key, key, "key of %s", name);
    cr_expect_str_eq(generics_join(arena, g.args, g.nargs), args, "args of %s", name);
    cr_expect((g.nargs == 0) == (g.args == NULL), "args pointer of %s", name);
}

static void check(const char *name, NameLang lang, const char *key, const char *args)
{
    check_flags(name, lang, 0, key, args);
}

#define V0(n, k, a) check(n, NAME_RUST_V0, k, a)
#define LEG(n, k, a) check(n, NAME_RUST_LEGACY, k, a)
#define CXX(n, k, a) check(n, NAME_CXX, k, a)

Test(monos_generics, v0_turbofish)
{
    V0("monolib::process::<i32>", "monolib::process", "i32");
    V0("monolib::process::<&str>", "monolib::process", "&str");
    V0("monolib::open::<std::path::PathBuf>", "monolib::open", "std::path::PathBuf");
    V0("core::ptr::drop_in_place::<alloc::string::String>", "core::ptr::drop_in_place", "alloc::string::String");
    V0("core::ptr::drop_in_place::<alloc::boxed::Box<rustc_ast::ast::MacCall>>", "core::ptr::drop_in_place",
       "alloc::boxed::Box<rustc_ast::ast::MacCall>");
    V0("rustc_query_impl::execution::try_execute_query::<rustc_middle::query::caches::DefaultCache<rustc_middle::"
       "ty::instance::Instance, rustc_middle::query::erase::ErasedData<[u8; 16]>>, true>",
       "rustc_query_impl::execution::try_execute_query",
       "rustc_middle::query::caches::DefaultCache<rustc_middle::ty::instance::Instance, "
       "rustc_middle::query::erase::ErasedData<[u8; 16]>>, true");
    V0("rustc_type_ir::elaborate::elaborate_component_to_clause::<rustc_middle::ty::context::TyCtxt>",
       "rustc_type_ir::elaborate::elaborate_component_to_clause", "rustc_middle::ty::context::TyCtxt");
}

/* Code written in a trait (names_v0_trait_item): the leading Self is an
 * argument; only the leading one, and never for legacy names. */
Test(monos_generics, v0_trait_item_self_is_an_argument)
{
    check_flags("<monoapp::Circle as monolib::Shape>::describe", NAME_RUST_V0, GENERICS_SELF_ARG,
                "<_ as monolib::Shape>::describe", "monoapp::Circle");
    check_flags("<&[u8] as std::io::Read>::read_to_end::<alloc::vec::Vec<u8>>", NAME_RUST_V0, GENERICS_SELF_ARG,
                "<_ as std::io::Read>::read_to_end", "&[u8], alloc::vec::Vec<u8>");
    check_flags("<a::S<u8> as a::Tr<<b::T as b::U>::X>>::f::{closure#0}", NAME_RUST_V0, GENERICS_SELF_ARG,
                "<_ as a::Tr<_>>::f::{closure#0}", "a::S<u8>, <b::T as b::U>::X");
    check_flags("a::f::<u8>", NAME_RUST_V0, GENERICS_SELF_ARG, "a::f", "u8");
    V0("<monoapp::Circle as monolib::Shape>::describe", "<monoapp::Circle as monolib::Shape>::describe", "");
    check_flags("monolib::Shape::describe", NAME_RUST_LEGACY, GENERICS_SELF_ARG, "monolib::Shape::describe", "");
}

Test(monos_names, v0_trait_items)
{
    cr_expect(names_v0_trait_item("_RINvYINtNtCshp4qbdFaFYV_10serde_json3ser8CompoundQINtNtCslNYArtu3iFV_5alloc"
                                  "3vec3VechENtB6_15PrettyFormatterENtNtCsdc9MciULset_5serde3ser12SerializeMap15"
                                  "serialize_entryeIBN_TNtCs5myK1ivLuXG_7logcore5LevelyEEECs90mZPXpcEJa_7logtool"));
    cr_expect(names_v0_trait_item("_RNSNvYNCNvCs6xxl1lAjzDf_1a4main0INtNtNtCsgEmfK2I1SDS_4core3ops8function6FnO"
                                  "nceTmEE9call_once6vtableB8_"));
    cr_expect(!names_v0_trait_item("_RNvXCs6xxl1lAjzDf_1aNtB2_1SNtB2_2Tr1f"));
    cr_expect(!names_v0_trait_item("_RNvCs6xxl1lAjzDf_1a4main"));
    cr_expect(!names_v0_trait_item("_ZN7monolib5Shape8describe17h043fc6a0131b12a7E"));
    cr_expect(!names_v0_trait_item("_RNNNNNNN"));
    cr_expect(!names_v0_trait_item("_R"));
}

Test(monos_generics, v0_not_generic)
{
    V0("monoapp::main", "monoapp::main", "");
    V0("rustc_expand::expand::parse_ast_fragment", "rustc_expand::expand::parse_ast_fragment", "");
    V0("<rustc_passes::dead::MarkSymbolVisitor as rustc_hir::intravisit::Visitor>::visit_block",
       "<rustc_passes::dead::MarkSymbolVisitor as rustc_hir::intravisit::Visitor>::visit_block", "");
    V0("<rustc_infer::infer::lexical_region_resolve::LexicalResolver>::sub_concrete_regions",
       "<rustc_infer::infer::lexical_region_resolve::LexicalResolver>::sub_concrete_regions", "");
    V0("<dyn rustc_hir_analysis::hir_ty_lowering::HirTyLowerer>::lower_ty",
       "<dyn rustc_hir_analysis::hir_ty_lowering::HirTyLowerer>::lower_ty", "");
    V0("rustc_const_eval::util::check_validity_requirement::check_validity_requirement_lax::{closure#0}",
       "rustc_const_eval::util::check_validity_requirement::check_validity_requirement_lax::{closure#0}", "");
}

Test(monos_generics, v0_inherent_impl_of_generic_type)
{
    V0("<monolib::Stack<u16>>::describe", "<monolib::Stack<_>>::describe", "u16");
    V0("<monolib::Stack<alloc::string::String>>::push", "<monolib::Stack<_>>::push", "alloc::string::String");
    V0("<alloc::raw_vec::RawVec<regex_syntax::ast::parse::GroupState>>::grow_one",
       "<alloc::raw_vec::RawVec<_>>::grow_one", "regex_syntax::ast::parse::GroupState");
    V0("<hashbrown::raw::RawTable<usize>>::reserve_rehash::<indexmap::inner::get_hash<rustc_middle::ty::predicate::"
       "Clause, ()>::{closure#0}>",
       "<hashbrown::raw::RawTable<_>>::reserve_rehash",
       "usize, indexmap::inner::get_hash<rustc_middle::ty::predicate::Clause, ()>::{closure#0}");
    V0("<smallvec::SmallVec<[rustc_middle::ty::Ty; 8]>>::try_grow", "<smallvec::SmallVec<_>>::try_grow",
       "[rustc_middle::ty::Ty; 8]");
    V0("<std::path::PathBuf>::push::<std::path::PathBuf>", "<std::path::PathBuf>::push", "std::path::PathBuf");
    V0("<rustc_next_trait_solver::solve::eval_ctxt::EvalCtxt<rustc_trait_selection::solve::delegate::"
       "SolverDelegate, rustc_middle::ty::context::TyCtxt>>::assemble_impl_candidates::<rustc_type_ir::predicate::"
       "NormalizesTo<rustc_middle::ty::context::TyCtxt>>::{closure#0}",
       "<rustc_next_trait_solver::solve::eval_ctxt::EvalCtxt<_>>::assemble_impl_candidates::{closure#0}",
       "rustc_trait_selection::solve::delegate::SolverDelegate, rustc_middle::ty::context::TyCtxt, "
       "rustc_type_ir::predicate::NormalizesTo<rustc_middle::ty::context::TyCtxt>");
}

/* `<Vec<u8> as Debug>::fmt` and `<Vec<i32> as Debug>::fmt` are copies of one
 * generic impl; `<u8 as Debug>` and `<u16 as Debug>` are separate impls. */
Test(monos_generics, v0_trait_impls)
{
    V0("<alloc::vec::Vec<u8> as core::fmt::Debug>::fmt", "<alloc::vec::Vec<_> as core::fmt::Debug>::fmt", "u8");
    V0("<alloc::vec::Vec<i32> as core::fmt::Debug>::fmt", "<alloc::vec::Vec<_> as core::fmt::Debug>::fmt", "i32");
    V0("<u8 as core::fmt::Debug>::fmt", "<u8 as core::fmt::Debug>::fmt", "");
    V0("<&rustc_pattern_analysis::constructor::IntRange as core::fmt::Debug>::fmt", "<&_ as core::fmt::Debug>::fmt",
       "rustc_pattern_analysis::constructor::IntRange");
    V0("<&&[rustc_span::span_encoding::Span] as core::fmt::Debug>::fmt", "<&_ as core::fmt::Debug>::fmt",
       "&[rustc_span::span_encoding::Span]");
    V0("<&mut serde_json::de::Deserializer<serde_json::read::StrRead> as serde_core::de::Deserializer>::"
       "deserialize_str::<V>",
       "<&mut _ as serde_core::de::Deserializer>::deserialize_str",
       "serde_json::de::Deserializer<serde_json::read::StrRead>, V");
    V0("<[u8] as core::fmt::Debug>::fmt", "<[_] as core::fmt::Debug>::fmt", "u8");
    V0("<(u32, alloc::string::String) as core::clone::Clone>::clone", "<(_, _) as core::clone::Clone>::clone",
       "u32, alloc::string::String");
    V0("<() as core::fmt::Debug>::fmt", "<() as core::fmt::Debug>::fmt", "");
    V0("<*const u8 as core::fmt::Pointer>::fmt", "<*const _ as core::fmt::Pointer>::fmt", "u8");
    V0("<fn(&u8) -> bool as core::ops::function::FnOnce<(&u8,)>>::call_once",
       "<fn(_) as core::ops::function::FnOnce<_>>::call_once", "fn(&u8) -> bool, (&u8,)");
    V0("<rustc_ast::ast::Variant as rustc_ast::visit::Walkable<rustc_lint::early::EarlyContextAndPass<rustc_lint::"
       "BuiltinCombinedPreExpansionLintPass>>>::walk_ref",
       "<rustc_ast::ast::Variant as rustc_ast::visit::Walkable<_>>::walk_ref",
       "rustc_lint::early::EarlyContextAndPass<rustc_lint::BuiltinCombinedPreExpansionLintPass>");
    V0("<indexmap::map::IndexMap<rustc_span::def_id::CrateNum, alloc::vec::Vec<rustc_codegen_ssa::NativeLib>, "
       "rustc_hash::FxBuildHasher> as core::ops::index::Index<&rustc_span::def_id::CrateNum>>::index",
       "<indexmap::map::IndexMap<_> as core::ops::index::Index<_>>::index",
       "rustc_span::def_id::CrateNum, alloc::vec::Vec<rustc_codegen_ssa::NativeLib>, rustc_hash::FxBuildHasher, "
       "&rustc_span::def_id::CrateNum");
    /* A qualified path inside an argument stays whole. */
    V0("<rustc_ast::ast::Pat as rustc_ast::visit::Walkable<<rustc_expand::expand::MacroExpander>::gate_proc_macro_"
       "input::GateProcMacroInput>>::walk_ref",
       "<rustc_ast::ast::Pat as rustc_ast::visit::Walkable<_>>::walk_ref",
       "<rustc_expand::expand::MacroExpander>::gate_proc_macro_input::GateProcMacroInput");
}

/* Legacy names: only a list that ends the name holds arguments; the rest are
 * the impl's parameter names. */
Test(monos_generics, legacy)
{
    LEG("monolib::process", "monolib::process", "");
    LEG("monolib::Stack<T>::describe", "monolib::Stack<_>::describe", "");
    LEG("core::ptr::drop_in_place<monolib::Stack<alloc::string::String>>", "core::ptr::drop_in_place",
        "monolib::Stack<alloc::string::String>");
    LEG("<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop", "<alloc::vec::Vec<_> as core::ops::drop::Drop>::drop",
        "");
    LEG("<&T as core::fmt::Display>::fmt", "<&_ as core::fmt::Display>::fmt", "");
    LEG("<monolib::Stack<T> as core::default::Default>::default",
        "<monolib::Stack<_> as core::default::Default>::default", "");
    LEG("app::main::{{closure}}", "app::main::{{closure}}", "");
}

Test(monos_generics, cxx_functions)
{
    CXX("void tpl::scale<float>(float*, int, float)", "tpl::scale", "float");
    CXX("void tpl::scale<int>(int*, int, int)", "tpl::scale", "int");
    CXX("tpl::Box<double>::total() const", "tpl::Box<_>::total", "double");
    CXX("tpl::describe(int)", "tpl::describe", "");
    CXX("std::_Vector_base<int, std::allocator<int> >::~_Vector_base()", "std::_Vector_base<_>::~_Vector_base",
        "int, std::allocator<int>");
    CXX("void std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>(__gnu_cxx::__normal_iterator<"
        "int*, std::vector<int, std::allocator<int> > >, int const&)",
        "std::vector<_>::_M_realloc_insert", "int, std::allocator<int>, int const&");
    CXX("std::num_put<char, std::ostreambuf_iterator<char, std::char_traits<char> > > const& std::use_facet<std::"
        "num_put<char, std::ostreambuf_iterator<char, std::char_traits<char> > > >(std::locale const&)",
        "std::use_facet", "std::num_put<char, std::ostreambuf_iterator<char, std::char_traits<char> > >");
    CXX("std::moneypunct_byname<wchar_t, false>::~moneypunct_byname()", "std::moneypunct_byname<_>::~moneypunct_byname",
        "wchar_t, false");
    CXX("unsigned long foo::bar<unsigned long, 3>(unsigned long)", "foo::bar", "unsigned long, 3");
    CXX("std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_create[abi:cxx11]("
        "unsigned long&, unsigned long)",
        "std::__cxx11::basic_string<_>::_M_create[abi:cxx11]", "char, std::char_traits<char>, std::allocator<char>");
    CXX("std::string fmt::format[abi:cxx11]<int>(int)", "fmt::format[abi:cxx11]", "int");
    CXX("std::__facet_shims::(anonymous namespace)::time_get_shim<char>::do_date_order() const",
        "std::__facet_shims::(anonymous namespace)::time_get_shim<_>::do_date_order", "char");
}

Test(monos_generics, cxx_operators)
{
    CXX("bool std::operator< <int>(std::vector<int> const&, std::vector<int> const&)", "std::operator<", "int");
    CXX("std::ostream& std::operator<< <std::char_traits<char> >(std::ostream&, char const*)", "std::operator<<",
        "std::char_traits<char>");
    CXX("X::operator<(X const&) const", "X::operator<", "");
    CXX("X::operator->() const", "X::operator->", "");
    CXX("geo::Foo::operator bool() const", "geo::Foo::operator bool", "");
    CXX("operator new(unsigned long)", "operator new", "");
    CXX("std::function<void (int)>::operator()(int) const", "std::function<_>::operator()", "void (int)");
    CXX("std::vector<int, std::allocator<int> >::operator[](unsigned long)", "std::vector<_>::operator[]",
        "int, std::allocator<int>");
    CXX("void (anonymous namespace)::run<int>(int)::{lambda(int)#1}::operator()(int) const",
        "(anonymous namespace)::run<_>(int)::{lambda(int)#1}::operator()", "int");
}

Test(monos_generics, c_and_hostile)
{
    check("memcpy", NAME_C, "memcpy", "");
    /* Unbalanced or odd text never crashes and gives a bounded key. */
    V0("a::<b<c", "a", "b<c");
    V0(">>>::<<<", ">>>", "<<");
    V0("<<<<", "<<<<>>>>", "");
    CXX("(((", "(((", "");
    CXX("f<", "f", "");
    V0("", "", "");
    CXX("", "", "");
    /* 100000 nested `<`: bounded recursion, and the key stays within twice the name. */
    size_t n = 100000;
    char *deep = arena_alloc(arena, n + 1);
    memset(deep, '<', n);
    GenericName g;
    generics_split(arena, deep, NAME_RUST_V0, 0, &g);
    cr_expect(strlen(g.key) <= 2 * n + 16);
    cr_expect(strncmp(g.key, deep, 64) == 0);
}

Test(monos_generics, conversion_sources)
{
    static const char *const yes[] = {
        "&str", "alloc::string::String", "String", "std::path::PathBuf", "&std::path::Path", "&Path",
        "&std::ffi::os_str::OsStr", "std::ffi::os_str::OsString", "alloc::vec::Vec<u8>",
        "alloc::vec::Vec<u8, alloc::alloc::Global>", "&[u8]", "&alloc::string::String",
        "alloc::borrow::Cow<str>", "alloc::boxed::Box<str>",
    };
    static const char *const no[] = {"i32", "char", "f64", "alloc::vec::Vec<u16>", "&[u16]", "monolib::Stack<u8>",
                                     "core::option::Option<alloc::string::String>"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        cr_expect(monos_is_conversion_source(yes[i]), "%s is a conversion source", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        cr_expect(!monos_is_conversion_source(no[i]), "%s is not a conversion source", no[i]);
}

/* The hook for the identical-code analysis: a group whose identical fields
 * are set gets the fold suggestion (unless a conversion one applies), with
 * the bytes given; unset, the same small group gets none. */
Test(monos_generics, identical_copies_hook)
{
    static const char *const args[3][1] = {{"u16"}, {"f32"}, {"alloc::string::String"}};
    Leaf leaves[3];
    MonoCopy copies[3];
    memset(leaves, 0, sizeof leaves);
    for (int i = 0; i < 3; i++) {
        leaves[i].name = "<monolib::Stack<_>>::new";
        leaves[i].lang = NAME_RUST_V0;
        copies[i] = (MonoCopy){.leaf = &leaves[i], .args = (const char **)args[i], .nargs = 1, .size = 27};
    }
    MonoGroup g = {.name = "<monolib::Stack<_>>::new", .crate = "monolib", .copies = copies, .ncopies = 3,
                   .total = 81, .largest = 27, .saving = 54};
    MonoReport r = {.groups = &g, .ngroups = 1, .nshown = 1};
    monos_suggest(arena, &r, 10);
    cr_expect_eq(g.suggest, SUGGEST_NONE);
    cr_expect_null(g.suggestion);

    g.identical = 3;
    g.identical_saving = 54;
    monos_suggest(arena, &r, 10);
    cr_expect_eq(g.suggest, SUGGEST_FOLD_IDENTICAL);
    cr_expect_str_eq(g.suggestion, "<monolib::Stack<_>>::new: 3 of 3 copies are byte-identical: let the linker fold "
                                   "them (-C link-arg=-Wl,--icf=all with lld or mold; -Wl,--icf=all for C++); "
                                   "saves 54 B");
}

/* monos_build on a hand-made account: which symbols form groups, the sums,
 * the order, and copies that share their type arguments. */
Test(monos_generics, build_groups_from_leaves)
{
    static const struct {
        const char *name, *inst;
        NameLang lang;
        uint64_t size;
        uint32_t section;
    } syms[] = {
        {"app::process::<i32>", "app", NAME_RUST_V0, 300, 0},
        {"app::process::<u8>", "app", NAME_RUST_V0, 280, 0},
        {"app::process::<u8>", "lib", NAME_RUST_V0, 270, 0}, /* the same instantiation, another crate */
        {"app::main", NULL, NAME_RUST_V0, 900, 0},            /* not generic */
        {"<alloc::vec::Vec<u8> as core::fmt::Debug>::fmt", "app", NAME_RUST_V0, 40, 0},
        {"<alloc::vec::Vec<i32> as core::fmt::Debug>::fmt", "app", NAME_RUST_V0, 60, 0},
        {"<u8 as core::fmt::Debug>::fmt", NULL, NAME_RUST_V0, 50, 0}, /* separate impls: no group */
        {"<u16 as core::fmt::Debug>::fmt", NULL, NAME_RUST_V0, 50, 0},
        {"app::legacy", NULL, NAME_RUST_LEGACY, 100, 0}, /* legacy: same path, other hash */
        {"app::legacy", NULL, NAME_RUST_LEGACY, 100, 0},
        {"tpl::describe(int)", NULL, NAME_CXX, 30, 0}, /* overloads: no group */
        {"tpl::describe(double)", NULL, NAME_CXX, 30, 0},
        {"memcpy", NULL, NAME_C, 10, 0},
        {"memcpy", NULL, NAME_C, 10, 0},          /* C: never a group */
        {"app::data::<u8>", NULL, NAME_RUST_V0, 64, 1}, /* not code */
        {"app::data::<u16>", NULL, NAME_RUST_V0, 64, 1},
    };
    enum { N = sizeof syms / sizeof *syms };
    Section secs[2] = {{.name = ".text", .flags = 0x6, .file_size = 10000},
                       {.name = ".rodata", .flags = 0x2, .file_size = 500}};
    Image img = {.path = "synthetic", .sections = secs, .nsections = 2};
    Leaf leaves[N];
    memset(leaves, 0, sizeof leaves);
    for (int i = 0; i < N; i++) {
        leaves[i].name = syms[i].name;
        leaves[i].raw = syms[i].name;
        leaves[i].crate = syms[i].lang == NAME_CXX ? "tpl" : strncmp(syms[i].name, "app", 3) == 0 ? "app" : "std";
        leaves[i].inst_crate = syms[i].inst;
        leaves[i].lang = syms[i].lang;
        leaves[i].section = syms[i].section;
        leaves[i].addr = 0x1000 + 0x400 * (uint64_t)i;
        leaves[i].file_size = leaves[i].vm_size = leaves[i].sym_size = syms[i].size;
    }
    Account acct = {.img = &img, .leaves = leaves, .nleaves = N, .file_size = 20000};
    MonoReport r;
    monos_build(arena, &acct, NULL, 0, false, &r);

    cr_assert_eq(r.ngroups, 3);
    cr_assert_eq(r.code_size, 10000);
    /* By saving: process (850 - 300 = 550), legacy (100), Vec's fmt (40). */
    cr_assert_str_eq(r.groups[0].name, "app::process");
    cr_assert_eq(r.groups[0].ncopies, 3);
    cr_assert_eq(r.groups[0].total, 850);
    cr_assert_eq(r.groups[0].largest, 300);
    cr_assert_eq(r.groups[0].saving, 550);
    cr_assert_str_eq(r.groups[0].copies[0].args[0], "i32");
    cr_assert(!r.groups[0].copies[0].same_args);
    cr_assert(r.groups[0].copies[1].same_args && r.groups[0].copies[2].same_args);
    cr_assert_str_eq(r.groups[1].name, "app::legacy");
    cr_assert(r.groups[1].legacy);
    cr_assert_eq(r.groups[1].saving, 100);
    cr_assert_str_eq(r.groups[2].name, "<alloc::vec::Vec<_> as core::fmt::Debug>::fmt");
    cr_assert_eq(r.groups[2].copies[0].size, 60);
    cr_assert_eq(r.all_copies, 7);
    cr_assert_eq(r.all_total, 850 + 200 + 100);
    cr_assert(r.missing_legacy_args);

    /* By crate: app defines process and legacy (1050 B), std Vec's fmt (100 B);
     * app instantiated four copies (300 + 280 + 60 + 40), lib one, and who
     * instantiated the legacy two is unknown. */
    MonoCrates mc;
    monos_by_crate(arena, &r, 0, &mc);
    cr_assert_eq(mc.bytes, 1150);
    cr_assert_eq(mc.unknown_inst_bytes, 200);
    cr_assert_eq(mc.nrows, 3);
    cr_assert_str_eq(mc.rows[0].crate, "app");
    cr_assert_eq(mc.rows[0].def_bytes, 1050);
    cr_assert_eq(mc.rows[0].inst_bytes, 680);
    cr_assert_str_eq(mc.rows[1].crate, "lib");
    cr_assert_eq(mc.rows[1].def_bytes, 0);
    cr_assert_eq(mc.rows[1].inst_bytes, 270);
    cr_assert_str_eq(mc.rows[2].crate, "std");
    cr_assert_eq(mc.rows[2].def_bytes, 100);
    cr_assert_eq(mc.rows[2].inst_copies, 0);

    /* -n 1 keeps the rest's sums. */
    monos_build(arena, &acct, NULL, 1, false, &r);
    cr_assert_eq(r.nshown, 1);
    cr_assert_eq(r.rest_copies, 4);
    cr_assert_eq(r.rest_total, 300);
    cr_assert_eq(r.rest_saving, 140);
}
