/* names.c — what a symbol's name says about it.
 *
 * For every raw ELF symbol name heft wants three things: a readable form
 * (demangled, without the noise that changes from build to build), a
 * language, and an owner: the Rust crate or C++ namespace the bytes should be
 * charged to. docs/crates.md describes the attribution rules; this file is
 * their implementation.
 *
 * The pipeline for one name is:
 *
 *   1. Strip compiler-added suffixes (.llvm.N, .cold, .part.N, ...) from the
 *      end. They only ever appear at the end, and Rust legacy names contain
 *      dots of their own ("..", "$LT$"), so we match known patterns backwards
 *      instead of cutting at the first dot.
 *   2. Classify what is left: Rust v0 (_R…), Rust legacy (_ZN…17h<hash>E),
 *      Itanium C++ (_Z…) or plain C.
 *   3. Demangle with libiberty's callbacks into a buffer on our stack and
 *      copy the result into the arena. heft sees hundreds of thousands of
 *      names, so we allocate nothing per name (only for the rare name whose
 *      demangled form does not fit the stack buffer); libiberty's component
 *      interface, which C++ names need (see the Itanium section), allocates
 *      one array per name.
 *   4. Work out the crate. For v0 we walk the mangled grammar ourselves (see
 *      the v0 section): libiberty only gives us text, and the text of
 *      `<A as B>::f` cannot say which crate holds the impl, while the mangling
 *      records it exactly. The same walk vets a v0 name before libiberty
 *      sees it (libiberty has no limits; see analyze_v0). Everything else is
 *      read off the demangled text. */
#include "names.h"

#include <libiberty/demangle.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Small string helpers. Everything here works on (pointer, length) slices,
 * because most of what we look at is a piece of a larger string. */

static bool starts(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && memcmp(s, lit, k) == 0;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

/* Identifier byte in demangled text. Bytes >= 0x80 are UTF-8 pieces of
 * Unicode identifiers (Rust allows them; punycode is decoded by libiberty). */
static bool is_ident(char c)
{
    return is_digit(c) || is_lower(c) || is_upper(c) || c == '_' || c == '$' ||
           (unsigned char)c >= 0x80;
}

/* ------------------------------------------------------------------------ */
/* Crate names. Crates of Rust's sysroot come back as string literals, so the
 * common case ("core", "alloc", "std") costs no arena space; any other crate
 * name is copied into the arena. */

#define LIT(s) {s, sizeof s - 1}
static const struct {
    const char *name;
    size_t len;
} STD_CRATES[] = {
    LIT("std"), LIT("core"), LIT("alloc"), LIT("proc_macro"), LIT("test"),
    LIT("panic_unwind"), LIT("panic_abort"), LIT("unwind"), LIT("compiler_builtins"),
    LIT("std_detect"), LIT("rustc_std_workspace_core"), LIT("rustc_std_workspace_alloc"),
    LIT("rustc_std_workspace_std"),
    /* Rust 1.95 names its runtime shims (__rust_alloc, …) under this crate. */
    LIT("__rustc"),
};
#define NSTD (sizeof STD_CRATES / sizeof STD_CRATES[0])

/* Crates std links in for its own use (backtraces, hashing, …). They are also
 * ordinary crates.io crates, so only their symbols in std's own mangling are
 * taken as std's: rustup ships std v0-mangled while user crates default to
 * legacy; Debian builds its std with legacy names. */
static const char *const SYSROOT_DEPS[] = {
    "addr2line", "gimli", "object", "miniz_oxide", "adler", "adler2", "rustc_demangle",
    "hashbrown", "memchr", "cfg_if", "libc", "getopts", "unicode_width",
};

static const char CRATE_C[] = "[C]";
static const char CRATE_CXX[] = "[C++]";
/* C++'s standard library, apart from Rust's std in a binary that has both. */
static const char CRATE_CXX_STD[] = "std (C++)";
static const char CRATE_UNKNOWN[] = "[unknown]";
static const char CRATE_ANON_NS[] = "(anonymous namespace)";

static const char *std_literal(const char *p, size_t n)
{
    for (size_t i = 0; i < NSTD; i++)
        if (STD_CRATES[i].len == n && memcmp(STD_CRATES[i].name, p, n) == 0)
            return STD_CRATES[i].name;
    return NULL;
}

static const char *crate_str(Arena *a, const char *p, size_t n)
{
    const char *lit = std_literal(p, n);
    return lit ? lit : arena_intern(a, p, n);
}

bool names_is_std_crate(const char *crate)
{
    return crate && std_literal(crate, strlen(crate)) != NULL;
}

/* What the build says (names_set_build_crates); empty until then. */
static const char *const *build_sysroot, *const *build_deps;
static size_t build_nsysroot, build_ndeps;

void names_set_build_crates(const char *const *sysroot, size_t nsysroot, const char *const *deps, size_t ndeps)
{
    build_sysroot = sysroot, build_nsysroot = nsysroot;
    build_deps = deps, build_ndeps = ndeps;
}

static const char *const *std_id_crates;
static const uint64_t *std_ids;
static size_t std_nids;

void names_set_std_crate_ids(const char *const *crates, const uint64_t *ids, size_t n)
{
    std_id_crates = crates, std_ids = ids, std_nids = n;
}

/* -1: no id of std's is known for crate; else whether id is one. */
static int std_id(const char *crate, uint64_t id)
{
    int known = -1;
    for (size_t i = 0; i < std_nids; i++)
        if (strcmp(std_id_crates[i], crate) == 0) {
            if (std_ids[i] == id)
                return 1;
            known = 0;
        }
    return known;
}

uint64_t names_unit_crate_id(const char *unit, const char *crate)
{
    size_t n = crate ? strlen(crate) : 0;
    if (!unit || !n || strncmp(unit, crate, n) != 0 || unit[n] != '.' || strnlen(unit + n + 1, 21) < 21 ||
        strncmp(unit + n + 17, "-cgu.", 5) != 0)
        return 0;
    uint64_t id = 0;
    for (const char *p = unit + n + 1; p < unit + n + 17; p++) {
        if (!is_hex(*p))
            return 0;
        id = id << 4 | (uint64_t)(is_digit(*p) ? *p - '0' : *p - 'a' + 10);
    }
    return id;
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

bool names_is_std_dependency(const char *crate)
{
    return crate && in_list(SYSROOT_DEPS, sizeof SYSROOT_DEPS / sizeof SYSROOT_DEPS[0], crate);
}

const char *names_fold_std(const char *crate, uint64_t id, NameLang lang, NameLang std_lang)
{
    /* A C++ namespace that shares a name with a sysroot crate is not it. */
    if (lang == NAME_CXX)
        return crate;
    if (names_is_std_crate(crate))
        return "std";
    /* A sysroot crate the project does not build can only be std's copy; one
     * it builds too is std's where its crate id is one of std's, else where
     * the mangling tells them apart. */
    if (crate && in_list(build_sysroot, build_nsysroot, crate)) {
        if (!in_list(build_deps, build_ndeps, crate))
            return "std";
        int by_id = id ? std_id(crate, id) : -1;
        if (by_id >= 0)
            return by_id ? "std" : crate;
        return lang == NAME_RUST_V0 && std_lang == NAME_RUST_V0 ? "std" : crate;
    }
    /* Otherwise std's dependencies are known by name, in either mangling,
     * unless the build says the project builds them too: std's generics that
     * the program instantiates take the program's mangling, and without the
     * sysroot heft cannot tell which crate ids are std's. */
    if (names_is_std_dependency(crate) && (lang == NAME_RUST_LEGACY || lang == NAME_RUST_V0) &&
        !in_list(build_deps, build_ndeps, crate))
        return "std";
    return crate;
}

NameLang names_std_lang(size_t std_legacy, size_t std_v0, size_t user_legacy, size_t user_v0)
{
    /* std's generics instantiated by the user's crates take the user's
     * mangling; only the precompiled std can have the other one. */
    if (!user_legacy && !user_v0)
        return std_legacy > std_v0 ? NAME_RUST_LEGACY : NAME_RUST_V0;
    NameLang user = user_legacy >= user_v0 ? NAME_RUST_LEGACY : NAME_RUST_V0;
    if (user == NAME_RUST_LEGACY ? std_v0 > 0 : std_legacy > 0)
        return user == NAME_RUST_LEGACY ? NAME_RUST_V0 : NAME_RUST_LEGACY;
    return user;
}

/* ------------------------------------------------------------------------ */
/* Compiler suffixes. GCC adds .part.N / .isra.N / .constprop.N / .clone.N /
 * .cold / .lto_priv.N / .localalias to the clones it makes; LLVM adds .llvm.N when
 * ThinLTO promotes a local, and .cold / .warm when a function is split. They
 * stack up ("foo.constprop.0.isra.0", "bar.llvm.123.cold"), so we strip one
 * at a time from the end until none matches. A suffix must leave a non-empty
 * name in front of it. */

static const char *const NUMBERED_SUFFIXES[] = {
    ".llvm.", ".cold.", ".warm.", ".part.", ".isra.", ".constprop.", ".clone.", ".lto_priv.",
};
static const char *const PLAIN_SUFFIXES[] = {".cold", ".warm", ".localalias"};

static bool legacy_hash_at_end(const char *s, size_t n);

static size_t strip_one_suffix(const char *s, size_t n)
{
    size_t d = n;
    while (d > 0 && is_digit(s[d - 1]))
        d--;
    if (d < n) {
        for (size_t i = 0; i < sizeof NUMBERED_SUFFIXES / sizeof *NUMBERED_SUFFIXES; i++) {
            size_t k = strlen(NUMBERED_SUFFIXES[i]);
            if (d > k && memcmp(s + d - k, NUMBERED_SUFFIXES[i], k) == 0)
                return d - k;
        }
        /* A bare ".N" after a Rust legacy name: LLVM's copies of a static
         * (_ZN3log6LOGGER17h…E.0) and fat LTO's renamed locals (….781). A
         * C name keeps it: GCC's function-local statics are "name.N". */
        if (d > 0 && s[d - 1] == '.' && legacy_hash_at_end(s, d - 1))
            return d - 1;
        return n;
    }
    for (size_t i = 0; i < sizeof PLAIN_SUFFIXES / sizeof *PLAIN_SUFFIXES; i++) {
        size_t k = strlen(PLAIN_SUFFIXES[i]);
        if (n > k && memcmp(s + n - k, PLAIN_SUFFIXES[i], k) == 0)
            return n - k;
    }
    return n;
}

static size_t strip_suffixes(const char *s, size_t n)
{
    for (;;) {
        size_t m = strip_one_suffix(s, n);
        if (m == n)
            return n;
        n = m;
    }
}

/* ------------------------------------------------------------------------ */
/* Output buffer for libiberty's callbacks: starts on the caller's stack and
 * moves to the heap only for an unusually long name. Its limit, max, stops a
 * hostile name from making us hold gigabytes; for Itanium names it also stops
 * the printer (see demangle_cxx). The v0 parser below keeps libiberty from
 * even trying on the worst Rust names. */

#define DEMANGLED_MAX (4u << 20)

typedef struct {
    char *p;
    size_t len, cap, max;
    bool heap, failed;
    jmp_buf *stop; /* where to leave the printer once max is passed, or NULL */
} Buf;

static void buf_fail(Buf *b)
{
    b->failed = true;
    if (b->stop)
        longjmp(*b->stop, 1);
}

static void buf_put(const char *s, size_t n, void *opaque)
{
    Buf *b = opaque;
    if (b->failed || n == 0) /* libiberty may pass (NULL, 0) */
        return;
    if (n >= b->max - b->len) { /* room for the NUL too */
        buf_fail(b);
        return;
    }
    if (n >= b->cap - b->len) {
        size_t want = b->len + n + 1;
        size_t cap = b->cap * 2 > want ? b->cap * 2 : want;
        char *p = b->heap ? realloc(b->p, cap) : malloc(cap);
        if (!p) {
            buf_fail(b);
            return;
        }
        if (!b->heap)
            memcpy(p, b->p, b->len);
        b->p = p;
        b->cap = cap;
        b->heap = true;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void buf_clear(Buf *b, size_t max)
{
    b->len = 0;
    b->max = max;
    b->failed = false;
    b->stop = NULL;
}

/* Rust names through libiberty into b; false when it refuses the name or its
 * output is unreasonably large. b->p is NUL-terminated on success. Both Rust
 * manglings print in time linear in what they print: legacy names have no
 * back-references, and v0 names are vetted first (analyze_v0). */
static bool demangle_rust(const char *mangled, Buf *b)
{
    buf_clear(b, DEMANGLED_MAX);
    if (!rust_demangle_callback(mangled, DMGL_VERBOSE, buf_put, b) || b->failed || b->len == 0)
        return false;
    b->p[b->len] = '\0'; /* buf_put always leaves room for this */
    return true;
}

/* ------------------------------------------------------------------------ */
/* Itanium C++. A substitution (S_, S0_, ...) names a component parsed
 * earlier, so libiberty's parse is a DAG whose printed form can be
 * exponentially larger than the name: _Z1f1XIS_S_E1YIS0_S0_E1YIS2_S2_E...
 * doubles at each level. The printer also walks subtrees without printing
 * them (d_find_pack looks for the pack of each pack expansion, Dp), so
 * capping the output alone does not bound the time. We therefore take the
 * parse tree from libiberty (cplus_demangle_v3_components), count its nodes
 * as the printer would reach them (shared subtrees once per use), refuse a
 * tree that is too large, and print the rest with the output capped.
 *
 * The limits are per byte of mangled name. Over the 170,000 C++ names that
 * libLLVM 14 and 22, libclang-cpp 14 and 22 and libstdc++ export, the
 * largest ratios are 3.6 nodes and 17.7 demangled bytes per mangled byte
 * (an _Rb_tree<string, pair<const string, vector<string>>, ...>::_M_copy);
 * the limits are several times that. A name over a limit is shown mangled,
 * as one libiberty refuses.
 *
 * Longer names than CXX_MAX_LEN libiberty's callback interface refuses
 * (DEMANGLE_RECURSION_LIMIT caps its stack arrays at 2 components per byte);
 * the component interface does not check, so we do, and such names stay
 * mangled as before. */

#define CXX_MAX_LEN (DEMANGLE_RECURSION_LIMIT / 2)
#define CXX_NODES_PER_BYTE 32u
#define CXX_OUT_PER_BYTE 64u
#define CXX_OPTS (DMGL_PARAMS | DMGL_ANSI) /* parameter lists and qualifiers, as nm -C */

typedef struct demangle_component Comp;

typedef struct {
    uintptr_t base; /* libiberty's array of components */
    size_t n;       /* its length: 2 per byte of the name */
    uint32_t *size; /* per component: 0 unknown, CXX_BUSY on the walk's path */
    uint32_t limit;
} CxxTree;

#define CXX_BUSY UINT32_MAX

static uint32_t cxx_size(CxxTree *t, const Comp *c);

/* The size of a child, limit + 1 for anything that is not one of the
 * tree's own components (libiberty makes every component in its array). */
static uint32_t cxx_child(CxxTree *t, const Comp *c)
{
    if (!c)
        return 0;
    uintptr_t at = (uintptr_t)c;
    if (at < t->base || (at - t->base) % sizeof(Comp) != 0 || (at - t->base) / sizeof(Comp) >= t->n)
        return t->limit + 1;
    return cxx_size(t, c);
}

/* Components under c, counting a shared subtree once for each parent that
 * reaches it (what a walk of the tree visits), saturating at limit + 1.
 * Memoized, so linear in the number of components; a cycle (which
 * libiberty's parser does not make) counts as too large. */
static uint32_t cxx_size(CxxTree *t, const Comp *c)
{
    uint32_t *memo = &t->size[((uintptr_t)c - t->base) / sizeof(Comp)];
    if (*memo == CXX_BUSY)
        return t->limit + 1;
    if (*memo)
        return *memo;
    *memo = CXX_BUSY;
    uint64_t n = 1;
    switch (c->type) {
    case DEMANGLE_COMPONENT_NAME:
    case DEMANGLE_COMPONENT_OPERATOR:
    case DEMANGLE_COMPONENT_BUILTIN_TYPE:
    case DEMANGLE_COMPONENT_EXTENDED_BUILTIN_TYPE:
    case DEMANGLE_COMPONENT_SUB_STD:
    case DEMANGLE_COMPONENT_TEMPLATE_PARAM:
    case DEMANGLE_COMPONENT_FUNCTION_PARAM:
    case DEMANGLE_COMPONENT_UNNAMED_TYPE:
    case DEMANGLE_COMPONENT_NUMBER:
    case DEMANGLE_COMPONENT_CHARACTER:
        break;
    case DEMANGLE_COMPONENT_EXTENDED_OPERATOR:
        n += cxx_child(t, c->u.s_extended_operator.name);
        break;
    case DEMANGLE_COMPONENT_CTOR:
        n += cxx_child(t, c->u.s_ctor.name);
        break;
    case DEMANGLE_COMPONENT_DTOR:
        n += cxx_child(t, c->u.s_dtor.name);
        break;
    case DEMANGLE_COMPONENT_FIXED_TYPE:
        n += cxx_child(t, c->u.s_fixed.length);
        break;
    case DEMANGLE_COMPONENT_LAMBDA:
    case DEMANGLE_COMPONENT_DEFAULT_ARG:
        n += cxx_child(t, c->u.s_unary_num.sub);
        break;
    default:
        n += cxx_child(t, c->u.s_binary.left);
        n += cxx_child(t, c->u.s_binary.right);
        break;
    }
    *memo = n > t->limit ? t->limit + 1 : (uint32_t)n;
    return *memo;
}

/* Prints tree, or else demangles mangled, into b. libiberty keeps all its
 * state on the stack (the component and substitution arrays of
 * d_demangle_callback and the scope and template arrays of
 * cplus_demangle_print_callback are VLAs; nothing is allocated), so once the
 * output passes b->max, buf_put jumps back here and libiberty is simply
 * abandoned. */
static bool cxx_print(Comp *tree, const char *mangled, Buf *b)
{
    jmp_buf stop;
    b->stop = &stop;
    if (setjmp(stop) != 0) {
        b->stop = NULL;
        return false;
    }
    int ok = tree ? cplus_demangle_print_callback(CXX_OPTS, tree, buf_put, b)
                  : cplus_demangle_v3_callback(mangled, CXX_OPTS, buf_put, b);
    b->stop = NULL;
    return ok && !b->failed && b->len > 0;
}

/* Whether a pack expansion (Dp, or sp in an expression) may have a
 * substitution (S_, S<seq-id>_) in its pattern: whether one follows any "Dp"
 * or "sp" in the name. Either may be part of an identifier; that only makes
 * the answer more cautious. Without substitutions a pattern is a tree, and
 * libiberty's search for its pack (d_find_pack, which prints nothing and
 * does not follow template parameters) is linear in it. */
static bool cxx_pack_may_share(const char *s, size_t n)
{
    bool pack = false, ref = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == 'p' && i > 0 && (s[i - 1] == 'D' || s[i - 1] == 's'))
            pack = true;
        if (pack && ref && c == '_')
            return true;
        ref = c == 'S' || (ref && (is_digit(c) || is_upper(c)));
    }
    return false;
}

/* The owner of a C++ name read from its parse tree, as cxx_text_crate reads
 * it from the printed name (the first scope when "::" follows it), so that a
 * view that prints few names need not print the others: printing was most of
 * the time spent on a C++ library's crates. NULL for a form this walk does
 * not follow (a pointer's typeinfo, an ABI tag, a local name outside a
 * function's parameter list, ...): the caller then prints and reads the
 * text. The walks are bounded: the parser nests components no deeper than
 * DEMANGLE_RECURSION_LIMIT, and a chain longer than 64 is left to the text. */
static const char *cxx_head_crate(Arena *a, const Comp *c)
{
    for (unsigned depth = 0; c && depth < 64; depth++) {
        switch (c->type) {
        case DEMANGLE_COMPONENT_QUAL_NAME:
        case DEMANGLE_COMPONENT_TEMPLATE: /* Foo<int>::: the identifier before the arguments */
            c = c->u.s_binary.left;
            continue;
        case DEMANGLE_COMPONENT_NAME: {
            const char *s = c->u.s_name.s;
            size_t n = (size_t)c->u.s_name.len;
            if (n == sizeof CRATE_ANON_NS - 1 && memcmp(s, CRATE_ANON_NS, n) == 0)
                return CRATE_ANON_NS;
            if (n == 3 && memcmp(s, "std", 3) == 0)
                return CRATE_CXX_STD;
            if (!n || (n == 8 && memcmp(s, "operator", 8) == 0))
                return NULL;
            for (size_t i = 0; i < n; i++)
                if (!is_ident(s[i]))
                    return NULL;
            return arena_intern(a, s, n);
        }
        case DEMANGLE_COMPONENT_SUB_STD: /* St, Sa, Ss, ...: "std", "std::allocator", ... */
            return c->u.s_string.len >= 3 && memcmp(c->u.s_string.string, "std", 3) == 0 &&
                           (c->u.s_string.len == 3 || c->u.s_string.string[3] == ':')
                       ? CRATE_CXX_STD
                       : NULL;
        default:
            return NULL;
        }
    }
    return NULL;
}

static const char *cxx_tree_crate(Arena *a, const Comp *c)
{
    for (unsigned depth = 0; c && depth < 64; depth++) {
        switch (c->type) {
        /* A function's name before its type; what a special name is for
         * ("vtable for ", "guard variable for ", "non-virtual thunk to ", a
         * clone of a function), as the printed prefix is skipped. */
        case DEMANGLE_COMPONENT_TYPED_NAME:
        case DEMANGLE_COMPONENT_VTABLE:
        case DEMANGLE_COMPONENT_VTT:
        case DEMANGLE_COMPONENT_CONSTRUCTION_VTABLE:
        case DEMANGLE_COMPONENT_TYPEINFO:
        case DEMANGLE_COMPONENT_TYPEINFO_NAME:
        case DEMANGLE_COMPONENT_TYPEINFO_FN:
        case DEMANGLE_COMPONENT_THUNK:
        case DEMANGLE_COMPONENT_VIRTUAL_THUNK:
        case DEMANGLE_COMPONENT_COVARIANT_THUNK:
        case DEMANGLE_COMPONENT_GUARD:
        case DEMANGLE_COMPONENT_TLS_INIT:
        case DEMANGLE_COMPONENT_TLS_WRAPPER:
        case DEMANGLE_COMPONENT_HIDDEN_ALIAS:
        case DEMANGLE_COMPONENT_TRANSACTION_CLONE:
        case DEMANGLE_COMPONENT_NONTRANSACTION_CLONE:
        case DEMANGLE_COMPONENT_CLONE:
            c = c->u.s_binary.left;
            continue;
        /* A local name inside a function printed with its parameters
         * ("f(int)::x"): the function's owner, as the text stops at "(". */
        case DEMANGLE_COMPONENT_LOCAL_NAME:
            if (!c->u.s_binary.left || c->u.s_binary.left->type != DEMANGLE_COMPONENT_TYPED_NAME)
                return NULL;
            c = c->u.s_binary.left;
            continue;
        case DEMANGLE_COMPONENT_QUAL_NAME:
            return cxx_head_crate(a, c->u.s_binary.left);
        case DEMANGLE_COMPONENT_TEMPLATE:
            if (c->u.s_binary.left && c->u.s_binary.left->type == DEMANGLE_COMPONENT_QUAL_NAME) {
                c = c->u.s_binary.left;
                continue;
            }
            return c->u.s_binary.left && c->u.s_binary.left->type == DEMANGLE_COMPONENT_NAME ? CRATE_CXX : NULL;
        /* Unqualified: a global function, variable or operator. */
        case DEMANGLE_COMPONENT_NAME:
        case DEMANGLE_COMPONENT_OPERATOR:
        case DEMANGLE_COMPONENT_CONVERSION:
        case DEMANGLE_COMPONENT_BUILTIN_TYPE:
            return CRATE_CXX;
        default:
            return NULL;
        }
    }
    return NULL;
}

static const char *cxx_text_crate(Arena *a, const char *text);

/* An Itanium name (n bytes) into b, in time and space linear in n, and its
 * owner into *crate; false when libiberty refuses it or it is over a limit
 * above. Without print, the name is printed only when its tree does not say
 * its owner. b->p is NUL-terminated when printed. *crate is NULL when the
 * name cannot be read; it may be set though printing failed. */
static bool demangle_cxx(Arena *a, const char *mangled, size_t n, Buf *b, bool print, const char **crate)
{
    *crate = NULL;
    if (n > CXX_MAX_LEN)
        return false;
    buf_clear(b, CXX_OUT_PER_BYTE * n);
    void *mem = NULL;
    /* libiberty's component parser (binutils 2.40) leaves unset the state
     * that says how to read an unresolved name (sr...), so such a name
     * parsed or not by what the stack held before (valgrind: a name of
     * libLLVM 15 was refused on a first call and read on the next). Only
     * the callback interface sets it: a name where "sr" occurs goes there. */
    Comp *tree = memmem(mangled, n, "sr", 2) ? NULL : cplus_demangle_v3_components(mangled, CXX_OPTS, &mem);
    bool ok;
    if (tree) {
        uint32_t size[2 * CXX_MAX_LEN];
        memset(size, 0, 2 * n * sizeof *size);
        CxxTree t = {.base = (uintptr_t)mem, .n = 2 * n, .size = size, .limit = CXX_NODES_PER_BYTE * (uint32_t)n};
        ok = cxx_child(&t, tree) <= t.limit;
        if (ok)
            *crate = cxx_tree_crate(a, tree);
        if (ok && (print || !*crate))
            ok = cxx_print(tree, NULL, b);
        free(mem);
    } else {
        /* libiberty reads an unresolved name (sr...) the current way first
         * and, where that fails, the old way (sr <type> <name>, which clang
         * still emits); only its callback interface tries the second, and
         * only it reads either the same way every time. Such names (and any
         * other with "sr" in it) are therefore demangled without a tree to
         * measure. Walks that print are bounded by the output cap; the one
         * that does not, the search for a pack, by refusing what
         * cxx_pack_may_share cannot clear (an "sp" in "Namespace" or
         * "specific" followed by a substitution). */
        ok = !cxx_pack_may_share(mangled, n) && cxx_print(NULL, mangled, b);
    }
    if (ok && b->len) {
        b->p[b->len] = '\0'; /* buf_put always leaves room for this */
        if (!*crate)
            *crate = cxx_text_crate(a, b->p);
    }
    return ok;
}

/* With NAMES_NO_FULL or NAMES_NO_DISPLAY one form was not made: it is the
 * other one. */
static void one_form(NameInfo *out)
{
    if (!out->full)
        out->full = out->display;
    if (!out->display)
        out->display = out->full;
}

/* s with the suffix appended, in the arena. */
static const char *with_suffix(Arena *a, const char *s, size_t n, const char *suf, size_t sn)
{
    char *p = arena_alloc(a, n + sn + 1);
    memcpy(p, s, n);
    memcpy(p + n, suf, sn);
    p[n + sn] = '\0';
    return p;
}

/* ------------------------------------------------------------------------ */
/* Rust v0 (RFC 2603). libiberty exposes only the demangled text, not the
 * parse tree, so this is a small hand-written walker of the mangled grammar.
 * It does not print anything; it finds
 *
 *   - the crate of the symbol's path, taking for an inherent impl (M) or trait
 *     impl (X) the crate of the *impl-path*, i.e. the crate that holds the
 *     impl block: exact, where the text `<A as B>` leaves us guessing; and
 *     for code written in a trait (Y: a provided method) the trait's crate;
 *   - the optional instantiating crate that follows the path:
 *       symbol-name = "_R" [decimal-number] path [instantiating-crate]
 *                     [vendor-specific-suffix]
 *
 * To reach the instantiating crate we must know where the path ends, so the
 * whole path is parsed, generic arguments, types and constants included.
 * The parse is linear: a back-reference (B<base-62>_) is not re-parsed, but
 * must point at a production parsed earlier, whose printed size we recorded.
 * Adding those sizes up tells us how large the demangled name would be, and a
 * name whose back-references expand exponentially (a few hundred bytes can
 * ask for gigabytes) is never handed to libiberty, which has no output limit.
 * Only the walk to the crate roots follows back-references, a bounded number
 * of steps. Depth is capped too, so hostile input can neither loop nor
 * overflow the stack. The grammar handled (tags are single characters):
 *
 *   path    = C ident | N ns path ident | M impl-path type
 *           | X impl-path type path | Y type path | I path {arg} E | backref
 *   impl-path = [s base62] path          ident = [s base62] [u] decimal [_] bytes
 *   arg     = L base62 | K const | type
 *   type    = basic (lower-case letter) | path | A type const | S type
 *           | R [L base62] type | Q [L base62] type | P type | O type
 *           | F [G base62] [U] [K (C | ident)] {type} E type
 *           | D [G base62] {path {p ident type}} E L base62 | T {type} E
 *           | backref
 *   const   = int-type [n] {hex} _ | b {hex} _ | c {hex} _ | e {hex} _ | p
 *           | R e {hex} _ | R const | Q const | A {const} E | T {const} E
 *           | V path (U | T {const} E | S {[s base62] ident const} E)
 *           | backref
 *   backref = B base62, pointing before itself (offsets count from after _R)
 */

#define V0_MAX_DEPTH 256
/* Cap on the printed size, measured in mangled bytes with back-references
 * expanded. A mangled byte prints as at most a handful of characters, so
 * this keeps libiberty's output well under DEMANGLED_MAX. */
#define V0_MAX_EXPANSION (512u << 10)

typedef struct {
    const char *s; /* the symbol after "_R" */
    size_t n, i;
    unsigned depth;
    /* exp[i]: printed size, in mangled bytes with back-references expanded,
     * of the production that starts at i; 0 where none has been parsed. */
    uint32_t *exp;
    size_t extra; /* what back-references add to n so far */
    bool consts;  /* saw a constant (verbose output then has ": type") */
} V0;

static char v0_peek(const V0 *p) { return p->i < p->n ? p->s[p->i] : '\0'; }

static char v0_next(V0 *p)
{
    return p->i < p->n ? p->s[p->i++] : '\0';
}

static bool v0_eat(V0 *p, char c)
{
    if (v0_peek(p) != c)
        return false;
    p->i++;
    return true;
}

static bool v0_enter(V0 *p)
{
    return ++p->depth <= V0_MAX_DEPTH && p->extra <= V0_MAX_EXPANSION;
}

/* base-62-number: "_" is 0, "<digits>_" is value + 1. */
static bool v0_base62(V0 *p, uint64_t *out)
{
    uint64_t x = 0;
    if (v0_eat(p, '_')) {
        *out = 0;
        return true;
    }
    for (;;) {
        char c = v0_next(p);
        int d;
        if (c == '_')
            break;
        if (is_digit(c))
            d = c - '0';
        else if (is_lower(c))
            d = 10 + (c - 'a');
        else if (is_upper(c))
            d = 36 + (c - 'A');
        else
            return false;
        if (x > (UINT64_MAX - 1 - (uint64_t)d) / 62)
            return false;
        x = x * 62 + (uint64_t)d;
    }
    *out = x + 1;
    return true;
}

/* [tag base-62-number], when only its extent matters (disambiguators,
 * binders, lifetimes). */
static bool v0_opt_base62(V0 *p, char tag)
{
    if (!v0_eat(p, tag))
        return true;
    size_t i = p->i;
    while (i < p->n && (is_digit(p->s[i]) || is_lower(p->s[i]) || is_upper(p->s[i])))
        i++;
    if (i >= p->n || p->s[i] != '_')
        return false;
    p->i = i + 1;
    return true;
}

/* undisambiguated-identifier. Punycode ("u" prefix) is left encoded: crate
 * names are ASCII in practice, and for the rest we only need the extent. */
static bool v0_ident(V0 *p, const char **id, size_t *idn)
{
    v0_eat(p, 'u');
    char c = v0_next(p);
    if (!is_digit(c))
        return false;
    size_t len = (size_t)(c - '0');
    if (c != '0')
        while (is_digit(v0_peek(p))) {
            if (len > p->n)
                return false;
            len = len * 10 + (size_t)(v0_next(p) - '0');
        }
    v0_eat(p, '_');
    if (len > p->n - p->i)
        return false;
    *id = p->s + p->i;
    *idn = len;
    p->i += len;
    return true;
}

static bool v0_skip_ident(V0 *p)
{
    const char *id;
    size_t n;
    return v0_ident(p, &id, &n);
}

static bool v0_path(V0 *p);
static bool v0_type(V0 *p);
static bool v0_const(V0 *p);

/* A back-reference: it must point at an earlier production that has been
 * parsed completely (rustc only ever refers back to those), and it prints as
 * that production does. */
static bool v0_backref(V0 *p)
{
    size_t at = p->i - 1; /* the 'B' */
    uint64_t target;
    if (!v0_base62(p, &target) || target >= at || !p->exp[target])
        return false;
    size_t own = p->i - at, size = p->exp[target];
    if (size > own)
        p->extra += size - own;
    return true;
}

/* Records the size of the production that started at start. */
static bool v0_done(V0 *p, size_t start, size_t extra0, bool ok)
{
    if (ok) {
        size_t size = p->i - start + (p->extra - extra0);
        p->exp[start] = size < UINT32_MAX ? (uint32_t)size : UINT32_MAX;
    }
    p->depth--;
    return ok;
}

/* [G base-62-number]: a binder, "for<'a, 'b, ...>". It prints one lifetime
 * per count, so a large count is a large name. */
static bool v0_binder(V0 *p)
{
    uint64_t count;
    if (!v0_eat(p, 'G'))
        return true;
    if (!v0_base62(p, &count) || count > V0_MAX_EXPANSION)
        return false;
    p->extra += (size_t)count * 4;
    return true;
}

static bool v0_hex_digits(V0 *p)
{
    while (!v0_eat(p, '_'))
        if (!is_hex(v0_next(p)))
            return false;
    return true;
}

static bool v0_generic_args(V0 *p)
{
    while (!v0_eat(p, 'E')) {
        bool ok;
        if (v0_eat(p, 'L')) {
            uint64_t lt;
            ok = v0_base62(p, &lt);
        } else if (v0_eat(p, 'K')) {
            ok = v0_const(p);
        } else {
            ok = v0_type(p);
        }
        if (!ok)
            return false;
    }
    return true;
}

static bool v0_path(V0 *p)
{
    if (!v0_enter(p))
        return false;
    size_t start = p->i, extra0 = p->extra;
    bool ok;
    switch (v0_next(p)) {
    case 'C':
        ok = v0_opt_base62(p, 's') && v0_skip_ident(p);
        break;
    case 'N': {
        char ns = v0_next(p);
        ok = (is_lower(ns) || is_upper(ns)) && v0_path(p) && v0_opt_base62(p, 's') &&
             v0_skip_ident(p);
        break;
    }
    case 'M':
        ok = v0_opt_base62(p, 's') && v0_path(p) && v0_type(p);
        break;
    case 'X':
        ok = v0_opt_base62(p, 's') && v0_path(p) && v0_type(p) && v0_path(p);
        break;
    case 'Y':
        ok = v0_type(p) && v0_path(p);
        break;
    case 'I':
        ok = v0_path(p) && v0_generic_args(p);
        break;
    case 'B':
        ok = v0_backref(p);
        break;
    default:
        ok = false;
    }
    return v0_done(p, start, extra0, ok);
}

static bool v0_type(V0 *p)
{
    if (!v0_enter(p))
        return false;
    size_t start = p->i, extra0 = p->extra;
    bool ok = true;
    char tag = v0_next(p);
    switch (tag) {
    case 'a': case 'b': case 'c': case 'd': case 'e': case 'f': case 'h':
    case 'i': case 'j': case 'l': case 'm': case 'n': case 'o': case 'p':
    case 's': case 't': case 'u': case 'v': case 'x': case 'y': case 'z':
        break; /* basic types */
    case 'R':
    case 'Q':
        ok = v0_opt_base62(p, 'L') && v0_type(p);
        break;
    case 'P':
    case 'O':
    case 'S':
        ok = v0_type(p);
        break;
    case 'A':
        ok = v0_type(p) && v0_const(p);
        break;
    case 'T':
        while (ok && !v0_eat(p, 'E'))
            ok = v0_type(p);
        break;
    case 'F':
        ok = v0_binder(p);
        if (ok) {
            v0_eat(p, 'U'); /* unsafe */
            if (v0_eat(p, 'K') && !v0_eat(p, 'C')) /* extern "abi" */
                ok = v0_skip_ident(p);
        }
        while (ok && !v0_eat(p, 'E'))
            ok = v0_type(p);
        ok = ok && v0_type(p);
        break;
    case 'D':
        ok = v0_binder(p);
        while (ok && !v0_eat(p, 'E')) {
            ok = v0_path(p);
            while (ok && v0_eat(p, 'p'))
                ok = v0_skip_ident(p) && v0_type(p);
        }
        if (ok) {
            uint64_t lt;
            ok = v0_eat(p, 'L') && v0_base62(p, &lt);
        }
        break;
    case 'B':
        ok = v0_backref(p);
        break;
    case 'C': case 'N': case 'M': case 'X': case 'Y': case 'I':
        p->i--; /* a path; let v0_path see its tag */
        ok = v0_path(p);
        break;
    default:
        ok = false;
    }
    return v0_done(p, start, extra0, ok);
}

static bool v0_const(V0 *p)
{
    if (!v0_enter(p))
        return false;
    p->consts = true;
    size_t start = p->i, extra0 = p->extra;
    bool ok = true;
    switch (v0_next(p)) {
    case 'p':
        break; /* placeholder */
    case 'a': case 's': case 'l': case 'x': case 'n': case 'i':
    case 'h': case 't': case 'm': case 'y': case 'o': case 'j':
        v0_eat(p, 'n');
        ok = v0_hex_digits(p);
        break;
    case 'b': /* bool */
    case 'c': /* char */
    case 'e': /* str, as bytes */
        ok = v0_hex_digits(p);
        break;
    case 'R':
        if (v0_eat(p, 'e')) {
            ok = v0_hex_digits(p);
            break;
        }
        ok = v0_const(p);
        break;
    case 'Q':
        ok = v0_const(p);
        break;
    case 'A':
    case 'T':
        while (ok && !v0_eat(p, 'E'))
            ok = v0_const(p);
        break;
    case 'V':
        ok = v0_path(p);
        if (!ok)
            break;
        switch (v0_next(p)) {
        case 'U':
            break;
        case 'T':
            while (ok && !v0_eat(p, 'E'))
                ok = v0_const(p);
            break;
        case 'S':
            while (ok && !v0_eat(p, 'E'))
                ok = v0_opt_base62(p, 's') && v0_skip_ident(p) && v0_const(p);
            break;
        default:
            ok = false;
        }
        break;
    case 'B':
        ok = v0_backref(p);
        break;
    default:
        ok = false;
    }
    return v0_done(p, start, extra0, ok);
}

typedef enum { V0_NONE, V0_CRATE } V0Crate;

/* The crate of the path at pos: descends through nested paths (N), generic
 * arguments (I) and impls (M, X: into the impl-path) to the crate root (C).
 * A Y path, `<T as Trait>` outside any impl, is code written in the trait
 * (a provided method, a shim): past the type T into the trait's path, the
 * crate legacy names give it too (`Trait::method`). Call it only on a
 * parsed name: skipping T relies on the back-references parse recorded.
 * Back-references may form cycles in hostile input, hence the step cap. */
static V0Crate v0_crate_at(const V0 *src, size_t pos, const char **id, size_t *idn, uint64_t *dis)
{
    V0 p = *src;
    p.i = pos;
    for (int steps = 0; steps < V0_MAX_DEPTH; steps++) {
        size_t at = p.i;
        uint64_t target;
        switch (v0_next(&p)) {
        case 'C':
            /* disambiguator = "s" base-62-number, whose value is one more */
            *dis = 0;
            if (v0_eat(&p, 's') && (!v0_base62(&p, dis) || ++*dis == 0))
                return V0_NONE;
            if (!v0_ident(&p, id, idn))
                return V0_NONE;
            return V0_CRATE;
        case 'N':
            if (!is_lower(v0_peek(&p)) && !is_upper(v0_peek(&p)))
                return V0_NONE;
            p.i++;
            break;
        case 'I':
            break;
        case 'M':
        case 'X':
            if (!v0_opt_base62(&p, 's'))
                return V0_NONE;
            break;
        case 'Y':
            if (!v0_type(&p))
                return V0_NONE;
            break;
        case 'B':
            if (!v0_base62(&p, &target) || target >= at)
                return V0_NONE;
            p.i = (size_t)target;
            break;
        default:
            return V0_NONE;
        }
    }
    return V0_NONE;
}

typedef struct {
    const char *crate, *inst;
    size_t crate_n, inst_n;
    uint64_t crate_id;
    bool consts; /* has constants, or we could not tell */
} V0Info;

static bool v0_parse(V0 *p, V0Info *out)
{
    if (!v0_path(p))
        return false;
    if (v0_crate_at(p, 0, &out->crate, &out->crate_n, &out->crate_id) != V0_CRATE)
        return false;
    if (is_upper(v0_peek(p))) {
        size_t at = p->i;
        if (!v0_path(p))
            return false;
        uint64_t inst_id;
        if (v0_crate_at(p, at, &out->inst, &out->inst_n, &inst_id) != V0_CRATE)
            out->inst = NULL;
    }
    /* Anything left must be a vendor-specific suffix. The size is checked on
     * entry to each production; the last back-reference is checked here. */
    return (p->i == p->n || p->s[p->i] == '.' || p->s[p->i] == '$') &&
           p->extra <= V0_MAX_EXPANSION;
}

bool names_v0_trait_item(const char *raw)
{
    if (strncmp(raw, "_R", 2) != 0)
        return false;
    const char *p = raw + 2;
    for (;;) {
        if (*p == 'I')
            p++;
        else if (*p == 'N' && (is_lower(p[1]) || is_upper(p[1])))
            p += 2;
        else
            return *p == 'Y';
    }
}

/* s, n: the symbol after "_R", suffixes stripped. False on any failure. */
static bool v0_analyze(const char *s, size_t n, V0Info *out)
{
    memset(out, 0, sizeof *out);
    out->consts = true;
    /* A leading decimal number would be an encoding version other than 0,
     * whose grammar we do not know. */
    if (n == 0 || is_digit(s[0]))
        return false;
    uint32_t exp_stack[2048];
    V0 p = {.s = s, .n = n, .exp = exp_stack};
    if (n > sizeof exp_stack / sizeof *exp_stack) {
        p.exp = calloc(n, sizeof *p.exp);
        if (!p.exp)
            return false;
    } else {
        memset(exp_stack, 0, n * sizeof *exp_stack);
    }
    bool ok = v0_parse(&p, out);
    out->consts = !ok || p.consts;
    if (p.exp != exp_stack)
        free(p.exp);
    return ok;
}

/* ------------------------------------------------------------------------ */
/* Crates from demangled Rust text: legacy names, whose mangling records the
 * path as text only. */

#define TEXT_MAX_DEPTH 16

typedef struct {
    const char *p;
    size_t n;
} Slice;

static Slice slice_from(const char *p, size_t n) { return (Slice){p, n}; }

static Slice slice_skip(Slice s, size_t k)
{
    return k >= s.n ? slice_from(s.p + s.n, 0) : slice_from(s.p + k, s.n - k);
}

/* Index just past the bracket group opening at s.p[0] ('<', '(', '[', '{'),
 * counting all four kinds so that `<F as Fn<(u8,)>>` balances. "->" is not a
 * closing '>'. Returns s.n when unbalanced. */
static size_t skip_group(Slice s)
{
    int depth = 0;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == '<' || c == '(' || c == '[' || c == '{') {
            depth++;
        } else if (c == '>' || c == ')' || c == ']' || c == '}') {
            if (c == '>' && i > 0 && s.p[i - 1] == '-')
                continue;
            if (--depth == 0)
                return i + 1;
        }
    }
    return s.n;
}

static Slice rust_path_crate(Slice s, int depth);

/* The crate of a type as written in `<A as B>`: the first path segment once
 * references, pointers, slices, tuples and `dyn` are peeled off. A segment
 * that is not followed by "::" is a primitive or a generic parameter (u8,
 * str, T): no crate. */
static Slice rust_type_crate(Slice s, int depth)
{
    static const char *const PEEL[] = {"&", "mut ", "*const ", "*mut ", "[", "(", "dyn ",
                                       "unsafe ", "impl "};
    for (bool again = true; again && s.n;) {
        again = false;
        for (size_t i = 0; i < sizeof PEEL / sizeof *PEEL; i++)
            if (starts(s.p, s.n, PEEL[i])) {
                s = slice_skip(s, strlen(PEEL[i]));
                again = true;
            }
        if (s.n && s.p[0] == '\'') { /* lifetime after '&' */
            const char *sp = memchr(s.p, ' ', s.n);
            s = sp ? slice_skip(s, (size_t)(sp - s.p) + 1) : slice_from(s.p, 0);
            again = true;
        }
        if (starts(s.p, s.n, "for<")) { /* higher-ranked: for<'a> */
            s = slice_skip(s, 3 + skip_group(slice_skip(s, 3)));
            if (s.n && s.p[0] == ' ')
                s = slice_skip(s, 1);
            again = true;
        }
    }
    if (s.n && s.p[0] == '<')
        return rust_path_crate(s, depth + 1);
    size_t k = 0;
    while (k < s.n && is_ident(s.p[k]))
        k++;
    if (k > 0 && starts(s.p + k, s.n - k, "::"))
        return slice_from(s.p, k);
    return slice_from(s.p, 0);
}

/* The crate of a demangled Rust path: its first segment; for `<A as B>::f`
 * A's crate unless A has none, or A's is a sysroot crate and B's is not (the
 * orphan rule puts the impl in one of the two); for `<A>::f` A's crate. */
static Slice rust_path_crate(Slice s, int depth)
{
    if (depth > TEXT_MAX_DEPTH)
        return slice_from(s.p, 0);
    if (!s.n || s.p[0] != '<') {
        size_t k = 0;
        while (k < s.n && is_ident(s.p[k]))
            k++;
        return slice_from(s.p, k);
    }
    /* Find " as " and the closing '>' at the top level of the <...>. */
    size_t end = skip_group(s);
    Slice inner = slice_from(s.p + 1, end > 1 ? end - 2 : 0);
    Slice a = inner, b = slice_from(s.p, 0);
    for (size_t i = 0; i < inner.n;) {
        char c = inner.p[i];
        if (c == '<' || c == '(' || c == '[' || c == '{') {
            i += skip_group(slice_skip(inner, i));
        } else if (starts(inner.p + i, inner.n - i, " as ")) {
            a = slice_from(inner.p, i);
            b = slice_skip(inner, i + 4);
            break;
        } else {
            i++;
        }
    }
    Slice ca = rust_type_crate(a, depth);
    if (!b.p || !b.n)
        return ca;
    Slice cb = rust_type_crate(b, depth);
    if (!ca.n)
        return cb;
    if (cb.n && std_literal(ca.p, ca.n) && !std_literal(cb.p, cb.n))
        return cb;
    return ca;
}

static const char *rust_text_crate(Arena *a, const char *text)
{
    Slice c = rust_path_crate(slice_from(text, strlen(text)), 0);
    return c.n ? crate_str(a, c.p, c.n) : CRATE_UNKNOWN;
}

/* ------------------------------------------------------------------------ */
/* C++: the top-level namespace of the demangled name. */

static const char *cxx_text_crate(Arena *a, const char *text)
{
    Slice s = slice_from(text, strlen(text));
    /* The qualified name starts after the last top-level space before the
     * parameter list (or the operator keyword). That skips a template
     * function's return type ("void ns::f<int>(int)") and the prefixes of
     * special names ("vtable for ", "guard variable for ", "non-virtual
     * thunk to ", ...), which name the namespace of what follows them. */
    size_t start = 0;
    for (size_t i = 0; i < s.n;) {
        char c = s.p[i];
        if (starts(s.p + i, s.n - i, CRATE_ANON_NS)) {
            i += sizeof CRATE_ANON_NS - 1;
        } else if (starts(s.p + i, s.n - i, "operator") &&
                   (i == 0 || s.p[i - 1] == ':' || s.p[i - 1] == ' ') &&
                   !(i + 8 < s.n && (is_ident(s.p[i + 8])))) {
            break;
        } else if (c == '<' || c == '{' || c == '[') {
            i += skip_group(slice_skip(s, i));
        } else if (c == '(') {
            break;
        } else {
            if (c == ' ')
                start = i + 1;
            i++;
        }
    }
    s = slice_skip(s, start);
    if (starts(s.p, s.n, CRATE_ANON_NS))
        return CRATE_ANON_NS;
    size_t k = 0;
    while (k < s.n && is_ident(s.p[k]))
        k++;
    size_t j = k;
    if (j < s.n && s.p[j] == '<')
        j += skip_group(slice_skip(s, j));
    if (k > 0 && starts(s.p + j, s.n - j, "::") && !(k == 8 && starts(s.p, k, "operator")))
        return k == 3 && starts(s.p, k, "std") ? CRATE_CXX_STD : arena_intern(a, s.p, k);
    return CRATE_CXX;
}

/* ------------------------------------------------------------------------ */
/* Plain names. */

static bool all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_hex(s[i]))
            return false;
    return true;
}

/* s, n: the name with its suffixes stripped. */
static const char *c_crate(const char *s, size_t n)
{
    /* Assembler-local labels and the compiler's exception tables: any
     * language or crate may have made them. */
    if (starts(s, n, ".L") || starts(s, n, "GCC_except_table"))
        return CRATE_UNKNOWN;
    /* A pointer to a personality routine belongs with the routine. */
    while (starts(s, n, "DW.ref."))
        s += 7, n -= 7;
    /* The Rust runtime's unmangled entry points: allocator shims (__rust_*,
     * __rdl_*, __rg_*), panic and unwinding glue. */
    if (starts(s, n, "__rust_") || starts(s, n, "__rdl_") || starts(s, n, "__rg_"))
        return "std";
    static const char *const RUNTIME[] = {"rust_eh_personality", "rust_begin_unwind",
                                          "rust_panic"};
    for (size_t i = 0; i < sizeof RUNTIME / sizeof *RUNTIME; i++)
        if (strlen(RUNTIME[i]) == n && memcmp(RUNTIME[i], s, n) == 0)
            return "std";
    /* rustc's private constants: anon.<hex>.<n> and alloc_<hex>. Any crate may
     * have made them. alloc_ needs a long run of hex so that C functions such
     * as alloc_bad stay [C]. */
    if (starts(s, n, "anon.")) {
        const char *dot = memchr(s + 5, '.', n - 5);
        if (dot && dot > s + 5 && all_hex(s + 5, (size_t)(dot - s) - 5)) {
            size_t rest = n - (size_t)(dot + 1 - s);
            bool digits = rest > 0;
            for (size_t i = 0; i < rest; i++)
                digits = digits && is_digit(dot[1 + i]);
            if (digits)
                return CRATE_UNKNOWN;
        }
    }
    if (starts(s, n, "alloc_") && n >= 6 + 16 && all_hex(s + 6, n - 6))
        return CRATE_UNKNOWN;
    return CRATE_C;
}

/* ------------------------------------------------------------------------ */

static bool legacy_hash_at_end(const char *s, size_t n)
{
    /* ...17h<16 hex>E */
    if (n < 3 + 20 + 1 || s[n - 1] != 'E' || memcmp(s + n - 20, "17h", 3) != 0)
        return false;
    return all_hex(s + n - 17, 16);
}

static NameLang classify(const char *s, size_t n)
{
    if (starts(s, n, "_R") && (n == 2 || is_upper(s[2]) || is_digit(s[2])))
        return NAME_RUST_V0;
    if (starts(s, n, "_ZN") && legacy_hash_at_end(s, n))
        return NAME_RUST_LEGACY;
    if (starts(s, n, "_Z"))
        return NAME_CXX;
    return NAME_C;
}

/* A mangled-looking name we cannot read: shown raw, owner unknown. */
static void undemangled(const char *raw, NameInfo *out)
{
    out->display = out->full = raw;
    out->crate = CRATE_UNKNOWN;
    out->inst_crate = NULL;
}

/* libiberty's verbose v0 output differs from its plain output in two ways:
 * a crate name is followed by its disambiguator ("core[c1f1a4ba060b9bfa]"),
 * and a constant by its type ("8: usize", "true: bool"). Removing both from
 * the verbose text, in place, gives the plain text and spares us demangling
 * every v0 name twice, which would be most of the cost. */

/* Length of verbose-only text at s[i], 0 if there is none. prev is the
 * character written before it. An array or slice type also starts with '[',
 * but never right after an identifier. */
static size_t verbose_extra(const char *s, size_t n, size_t i, char prev)
{
    static const char *const CONST_TYPES[] = {
        "bool", "char", "usize", "isize", "u8", "u16", "u32", "u64", "u128",
        "i8", "i16", "i32", "i64", "i128",
    };
    if (s[i] == '[' && is_ident(prev)) {
        size_t j = i + 1;
        while (j < n && is_hex(s[j]))
            j++;
        return j > i + 1 && j < n && s[j] == ']' ? j + 1 - i : 0;
    }
    if (s[i] == ':' && i + 1 < n && s[i + 1] == ' ') {
        for (size_t t = 0; t < sizeof CONST_TYPES / sizeof *CONST_TYPES; t++) {
            size_t k = strlen(CONST_TYPES[t]), e = i + 2 + k;
            if (e <= n && memcmp(s + i + 2, CONST_TYPES[t], k) == 0 &&
                (e == n || !is_ident(s[e])))
                return 2 + k;
        }
    }
    return 0;
}

/* One pass over s dropping what verbose_extra finds at each '[' (hashes) or
 * each ": " (constant types), found with memchr / memmem: the text between
 * them is mostly long runs to be copied. */
static size_t drop_verbose(char *s, size_t n, bool colon)
{
    size_t w = 0, i = 0;
    for (;;) {
        const char *hit = colon ? memmem(s + i, n - i, ": ", 2) : memchr(s + i, '[', n - i);
        size_t j = hit ? (size_t)(hit - s) : n;
        memmove(s + w, s + i, j - i);
        w += j - i;
        i = j;
        if (!hit)
            break;
        size_t k = verbose_extra(s, n, i, w ? s[w - 1] : '\0');
        if (k)
            i += k;
        else
            s[w++] = s[i++];
    }
    s[w] = '\0';
    return w;
}

static size_t v0_unverbose(char *s, size_t n, bool consts)
{
    if (!consts)
        return drop_verbose(s, n, false);
    if (!memchr(s, '"', n))
        return drop_verbose(s, drop_verbose(s, n, false), true);
    /* A string constant may contain anything: walk the text, copying
     * constants verbatim. */
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        size_t k = verbose_extra(s, n, i, w ? s[w - 1] : '\0');
        if (k) {
            i += k;
            continue;
        }
        char c = s[w++] = s[i++];
        if (c == '"')
            while (i < n) {
                char d = s[w++] = s[i++];
                if (d == '\\' && i < n)
                    s[w++] = s[i++];
                else if (d == '"')
                    break;
            }
    }
    s[w] = '\0';
    return w;
}

/* A v0 name goes to libiberty only once our parser has accepted it. Where
 * the parser says no, libiberty is more lenient (it does not check
 * back-references it skips) and can be made to count to 2^64 printing
 * "for<'a, ...>" lifetimes; and no real symbol we have seen is accepted by
 * libiberty but not by the parser (none of 230k from rustc's own library).
 * So a rejected name is shown raw, owner unknown. */
static void analyze_v0(Arena *a, const char *raw, const char *base, size_t bn,
                       const char *suf, size_t sn, unsigned forms, Buf *b, NameInfo *out)
{
    bool text = !(forms & NAMES_NO_DEMANGLE);
    V0Info vi;
    if (!v0_analyze(base + 2, bn - 2, &vi)) {
        undemangled(raw, out);
        return;
    }
    out->display = out->full = raw;
    if (text) {
        if (demangle_rust(base, b)) {
            /* libiberty drops a vendor suffix we do not know (".foo"); v0
             * mangling has no dots, so full keeps all from the first one. */
            const char *dot = memchr(base, '.', bn);
            if (dot) {
                suf = raw + (dot - base);
                sn += bn - (size_t)(dot - base);
            }
            out->full = forms & NAMES_NO_FULL ? NULL : with_suffix(a, b->p, b->len, suf, sn);
            out->display = NULL;
            if (!(forms & NAMES_NO_DISPLAY)) {
                b->len = v0_unverbose(b->p, b->len, vi.consts);
                out->display = arena_strndup(a, b->p, b->len);
            }
            one_form(out);
        } else {
            /* The parser vouches for the crate even when libiberty cannot
             * print the name (a construct newer than the installed copy). */
            undemangled(raw, out);
        }
    }
    out->crate = crate_str(a, vi.crate, vi.crate_n);
    out->crate_id = vi.crate_id;
    out->inst_crate = vi.inst ? crate_str(a, vi.inst, vi.inst_n) : NULL;
}

static void analyze_cxx(Arena *a, const char *raw, const char *base, size_t bn, const char *suf,
                        size_t sn, unsigned forms, Buf *b, NameInfo *out);

static void analyze_legacy(Arena *a, const char *raw, const char *base, size_t bn, const char *suf,
                           size_t sn, unsigned forms, Buf *b, NameInfo *out)
{
    bool text = !(forms & NAMES_NO_DEMANGLE);
    /* Verbose output keeps the hash as a last "::h<16 hex>" segment, so one
     * call gives both forms. A name the Rust demangler refuses may still be
     * valid Itanium C++ (as nm -C, try that next). */
    if (!demangle_rust(base, b)) {
        out->lang = NAME_CXX;
        analyze_cxx(a, raw, base, bn, suf, sn, forms, b, out);
        return;
    }
    size_t dn = b->len;
    if (dn > 19 && memcmp(b->p + dn - 19, "::h", 3) == 0 && all_hex(b->p + dn - 16, 16))
        dn -= 19;
    if (text) {
        out->full = forms & NAMES_NO_FULL ? NULL : with_suffix(a, b->p, b->len, suf, sn);
        out->display = forms & NAMES_NO_DISPLAY ? NULL : arena_strndup(a, b->p, dn);
        one_form(out);
    } else {
        out->display = out->full = raw;
    }
    b->p[dn] = '\0';
    out->crate = rust_text_crate(a, b->p);
}

static void analyze_cxx(Arena *a, const char *raw, const char *base, size_t bn, const char *suf,
                        size_t sn, unsigned forms, Buf *b, NameInfo *out)
{
    bool text = !(forms & NAMES_NO_DEMANGLE);
    const char *crate;
    if (!demangle_cxx(a, base, bn, b, text, &crate)) {
        /* A tree whose owner is plain but which does not print keeps that
         * owner, as it would where only the owner was asked for. */
        undemangled(raw, out);
        if (crate)
            out->crate = crate;
        return;
    }
    if (text) {
        /* Without a suffix the two forms are one string. */
        out->full = sn && (forms & NAMES_NO_FULL) ? NULL : with_suffix(a, b->p, b->len, suf, sn);
        out->display = !sn ? out->full : forms & NAMES_NO_DISPLAY ? NULL : arena_strndup(a, b->p, b->len);
        one_form(out);
    } else {
        out->display = out->full = raw;
    }
    out->crate = crate;
}

const char *names_lang_name(NameLang lang)
{
    static const char *const names[] = {"c", "c++", "rust-legacy", "rust-v0"};
    return names[lang];
}

NameLang names_lang(const char *raw)
{
    return classify(raw, strip_suffixes(raw, strlen(raw)));
}

void names_analyze(Arena *a, const char *raw, unsigned flags, NameInfo *out)
{
    size_t n = strlen(raw);
    size_t bn = strip_suffixes(raw, n);
    const char *suf = raw + bn;
    size_t sn = n - bn;
    bool text = !(flags & NAMES_NO_DEMANGLE);

    out->inst_crate = NULL;
    out->crate_id = 0;
    out->lang = classify(raw, bn);

    if (out->lang == NAME_C) {
        out->full = raw;
        out->display = text && sn && !(flags & NAMES_NO_DISPLAY) ? arena_strndup(a, raw, bn) : raw;
        if (flags & NAMES_NO_FULL)
            out->full = out->display;
        out->crate = c_crate(raw, bn);
        return;
    }

    /* libiberty wants a NUL-terminated string: copy the name without its
     * suffixes when there are any. */
    char base_stack[1024], *base = (char *)raw;
    if (sn) {
        base = bn < sizeof base_stack ? base_stack : malloc(bn + 1);
        if (!base) {
            undemangled(raw, out);
            return;
        }
        memcpy(base, raw, bn);
        base[bn] = '\0';
    }

    char out_stack[16384];
    Buf b = {.p = out_stack, .cap = sizeof out_stack};

    switch (out->lang) {
    case NAME_RUST_V0:
        analyze_v0(a, raw, base, bn, suf, sn, flags, &b, out);
        break;
    case NAME_RUST_LEGACY:
        analyze_legacy(a, raw, base, bn, suf, sn, flags, &b, out);
        break;
    default:
        analyze_cxx(a, raw, base, bn, suf, sn, flags, &b, out);
        break;
    }

    if (b.heap)
        free(b.p);
    if (base != raw && base != base_stack)
        free(base);
}
