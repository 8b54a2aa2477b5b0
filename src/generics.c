/* generics.c — generic key and type arguments of a demangled name (rules in
 * generics.h).
 *
 * Hand-written because no library gives it: libiberty and rustc-demangle
 * produce text only, and their trees (where exposed at all) are private. The
 * parser works on the demangled text with bracket matching over <>, (), []
 * and {}, where "->" (Rust fn types, C++ operator->) never closes a bracket
 * and C++ operator names (operator<, operator(), …) are copied as they are.
 * Every loop advances through the input, so the cost is linear in the name
 * times its nesting depth (at most MAX_DEPTH levels are parsed; deeper text is
 * copied), and the output is bounded by twice the input. */
#include "generics.h"

#include <stdbool.h>
#include <string.h>

typedef struct Out {
    Arena *a;
    char *key;
    size_t len, cap;
    const char **args;
    uint32_t nargs, cap_args;
    bool legacy; /* Rust legacy: only the final argument list holds arguments */
    bool self_arg; /* GENERICS_SELF_ARG, until the leading <Self as Trait> is read */
    int depth;   /* of nested `<Self as Trait>`; past MAX_DEPTH they are copied as text */
} Out;

#define MAX_DEPTH 64
#define MAX_ARGS 256 /* arguments kept per name; the rest are dropped */

static bool is_ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
           (unsigned char)c >= 0x80;
}

static void put(Out *o, const char *s, size_t n)
{
    if (n > o->cap - o->len)
        n = o->cap - o->len;
    memcpy(o->key + o->len, s, n);
    o->len += n;
}

static void put_str(Out *o, const char *s) { put(o, s, strlen(s)); }

static void trim(const char **s, size_t *n)
{
    while (*n && **s == ' ')
        (*s)++, (*n)--;
    while (*n && (*s)[*n - 1] == ' ')
        (*n)--;
}

static void add_arg(Out *o, const char *s, size_t n)
{
    trim(&s, &n);
    if (!n || o->nargs == o->cap_args)
        return;
    o->args[o->nargs++] = arena_strndup(o->a, s, n);
}

static bool opener(char c) { return c == '<' || c == '(' || c == '[' || c == '{'; }

/* A closing bracket at s[i]; "->" is an arrow, not a close. */
static bool closer(const char *s, size_t i)
{
    char c = s[i];
    return c == ')' || c == ']' || c == '}' || (c == '>' && !(i > 0 && s[i - 1] == '-'));
}

/* s[i] opens a group: the index just past its matching close (n if none). */
static size_t group_end(const char *s, size_t n, size_t i)
{
    size_t depth = 0;
    for (; i < n; i++) {
        if (opener(s[i]))
            depth++;
        else if (closer(s, i) && --depth == 0)
            return i + 1;
    }
    return n;
}

/* Top-level comma-separated pieces of s[0..n) as arguments. */
static void split_args(Out *o, const char *s, size_t n)
{
    size_t depth = 0, start = 0;
    for (size_t i = 0; i < n; i++) {
        if (opener(s[i]))
            depth++;
        else if (closer(s, i) && depth)
            depth--;
        else if (s[i] == ',' && depth == 0) {
            add_arg(o, s + start, i - start);
            start = i + 1;
        }
    }
    add_arg(o, s + start, n - start);
}

/* Length of a C++ operator name's symbol after "operator" at s[i] (the
 * symbol is copied as text: "operator<" is no bracket). */
static size_t operator_len(const char *s, size_t n, size_t i)
{
    if (i + 1 < n && s[i] == '(' && s[i + 1] == ')')
        return 2;
    size_t j = i;
    while (j < n && strchr("<>=!+-*/%^&|~,[]", s[j]))
        j++;
    return j - i;
}

static void emit_path(Out *o, const char *s, size_t n, bool cxx, bool top);

/* The Self type of `<Self as Trait>`: its shape for built-in type
 * constructors, the path (with `<_>` lists) otherwise. */
static void emit_self(Out *o, const char *s, size_t n, bool cxx)
{
    trim(&s, &n);
    static const char *const PREFIXES[] = {"&mut ", "*const ", "*mut ", "&"};
    for (size_t k = 0; k < sizeof PREFIXES / sizeof *PREFIXES; k++) {
        size_t pl = strlen(PREFIXES[k]);
        if (n > pl && memcmp(s, PREFIXES[k], pl) == 0) {
            put_str(o, PREFIXES[k]);
            put_str(o, "_");
            if (!o->legacy)
                add_arg(o, s + pl, n - pl);
            return;
        }
    }
    if (n >= 2 && (s[0] == '[' || s[0] == '(') && group_end(s, n, 0) == n) {
        if (s[0] == '(' && n == 2) { /* unit: a concrete type */
            put(o, s, n);
            return;
        }
        uint32_t before = o->nargs;
        if (s[0] == '[') {
            put_str(o, "[_]");
            if (!o->legacy)
                add_arg(o, s + 1, n - 2);
            return;
        }
        if (!o->legacy)
            split_args(o, s + 1, n - 2);
        put_str(o, "(");
        for (uint32_t k = before; k < o->nargs; k++)
            put_str(o, k > before ? ", _" : "_");
        put_str(o, ")");
        return;
    }
    if ((n > 3 && memcmp(s, "fn(", 3) == 0) || (n > 7 && memcmp(s, "unsafe ", 7) == 0) ||
        (n > 7 && memcmp(s, "extern ", 7) == 0)) {
        put_str(o, "fn(_)");
        if (!o->legacy)
            add_arg(o, s, n);
        return;
    }
    emit_path(o, s, n, cxx, false);
}

/* `<Self as Trait>` or `<Self>` (inner is the text between the brackets). */
static void emit_qself(Out *o, const char *s, size_t n, bool cxx)
{
    if (o->depth >= MAX_DEPTH) {
        put_str(o, "<");
        put(o, s, n);
        put_str(o, ">");
        return;
    }
    o->depth++;
    size_t depth = 0, as = n;
    for (size_t i = 0; i + 4 <= n; i++) {
        if (opener(s[i]))
            depth++;
        else if (closer(s, i) && depth)
            depth--;
        else if (depth == 0 && memcmp(s + i, " as ", 4) == 0) {
            as = i;
            break;
        }
    }
    put_str(o, "<");
    if (o->self_arg) {
        o->self_arg = false;
        put_str(o, "_");
        add_arg(o, s, as);
    } else {
        emit_self(o, s, as, cxx);
    }
    if (as < n) {
        put_str(o, " as ");
        emit_path(o, s + as + 4, n - as - 4, cxx, false);
    }
    put_str(o, ">");
    o->depth--;
}

/* A path: `a::b<T>::c::<U>`. Turbofish lists are removed, type argument
 * lists become `<_>`; for C++ and Rust legacy a list that ends the whole
 * name (top) is removed (function template arguments). */
static void emit_path(Out *o, const char *s, size_t n, bool cxx, bool top)
{
    size_t i = 0;
    bool after_op = false; /* `operator< <int>`: the list after an operator is arguments, */
    /* as is the list after a C++ ABI tag: `f[abi:cxx11]<int>`. */
    while (i < n) {
        char c = s[i];
        if (cxx && c == 'o' && n - i > 8 && memcmp(s + i, "operator", 8) == 0 && (i == 0 || !is_ident(s[i - 1])) &&
            !is_ident(s[i + 8])) {
            size_t k = operator_len(s, n, i + 8);
            put(o, s + i, 8 + k);
            i += 8 + k;
            if (k && i + 1 < n && s[i] == ' ' && s[i + 1] == '<')
                i++;
            after_op = k > 0;
            continue;
        }
        bool op_args = after_op;
        after_op = false;
        if (c == '<') {
            size_t e = group_end(s, n, i);
            const char *in = s + i + 1;
            size_t in_n = e > i + 1 && e <= n && s[e - 1] == '>' ? e - i - 2 : e - i - 1;
            bool final = top && e == n;
            if (i >= 2 && s[i - 1] == ':' && s[i - 2] == ':') { /* turbofish */
                o->len -= o->len >= 2 ? 2 : o->len;
                if (!o->legacy || final)
                    split_args(o, in, in_n);
            } else if (!op_args && (i == 0 || !is_ident(s[i - 1])) && !(cxx && i > 0 && s[i - 1] == ']')) {
                emit_qself(o, in, in_n, cxx);
            } else if ((cxx || o->legacy) && final) {
                split_args(o, in, in_n);
            } else {
                if (!o->legacy)
                    split_args(o, in, in_n);
                put_str(o, "<_>");
            }
            i = e;
            continue;
        }
        if (opener(c)) { /* (anonymous namespace), {closure#0}, {lambda(int)#1}, [u8] */
            size_t e = group_end(s, n, i);
            put(o, s + i, e - i);
            i = e;
            continue;
        }
        put(o, s + i, 1);
        i++;
    }
}

/* C++: the name part of `[return type ]name[<args>](params)[ qualifiers]`. */
static void cxx_name(const char *s, size_t n, size_t *start, size_t *end)
{
    /* The parameter list is the last top-level (…) group followed only by
     * qualifiers (" const", " &", " volatile", " noexcept"). */
    size_t depth = 0, params = n;
    for (size_t i = 0; i < n; i++) {
        if (n - i > 8 && memcmp(s + i, "operator", 8) == 0 && (i == 0 || !is_ident(s[i - 1])) &&
            !is_ident(s[i + 8])) {
            i += 8 + operator_len(s, n, i + 8) - 1;
            continue;
        }
        if (s[i] == '(' && depth == 0) {
            size_t e = group_end(s, n, i);
            bool quals = true;
            for (size_t j = e; j < n; j++)
                if (!strchr(" &", s[j]) && !is_ident(s[j]))
                    quals = false;
            if (quals && i > 0) {
                params = i;
                break;
            }
            i = e - 1;
            continue;
        }
        if (opener(s[i]))
            depth++;
        else if (closer(s, i) && depth)
            depth--;
    }
    /* The return type ends at the last top-level space before the name; a
     * space inside "operator new" or "operator bool" belongs to the name. */
    size_t begin = 0;
    depth = 0;
    for (size_t i = 0; i < params; i++) {
        if (params - i > 8 && memcmp(s + i, "operator", 8) == 0 && (i == 0 || !is_ident(s[i - 1])) &&
            !is_ident(s[i + 8]) && depth == 0)
            break;
        if (opener(s[i]))
            depth++;
        else if (closer(s, i) && depth)
            depth--;
        else if (s[i] == ' ' && depth == 0)
            begin = i + 1;
    }
    *start = begin;
    *end = params;
}

void generics_split(Arena *a, const char *display, NameLang lang, unsigned flags, GenericName *out)
{
    size_t n = strlen(display);
    if (lang == NAME_C) {
        *out = (GenericName){display, NULL, 0};
        return;
    }
    /* Work in stack buffers (the arena gets only the result): heft splits
     * every code symbol's name, a hundred thousand in a large binary. */
    char key_stack[8192];
    const char *args_stack[MAX_ARGS];
    Out o = {.a = a, .cap = 2 * n + 16, .legacy = lang == NAME_RUST_LEGACY};
    o.self_arg = (flags & GENERICS_SELF_ARG) && !o.legacy && display[0] == '<';
    o.key = o.cap < sizeof key_stack ? key_stack : arena_alloc(a, o.cap + 1);
    o.cap_args = MAX_ARGS;
    o.args = args_stack;
    if (lang == NAME_CXX) {
        size_t b, e;
        cxx_name(display, n, &b, &e);
        emit_path(&o, display + b, e - b, true, true);
    } else {
        emit_path(&o, display, n, false, true);
    }
    const char *key = o.len == n && memcmp(o.key, display, n) == 0 ? display
                      : o.key == key_stack                          ? arena_strndup(a, o.key, o.len)
                                                                    : (o.key[o.len] = '\0', o.key);
    const char **args = NULL;
    if (o.nargs) {
        args = arena_array(a, o.nargs, sizeof *args);
        memcpy(args, o.args, o.nargs * sizeof *args);
    }
    *out = (GenericName){key, args, o.nargs};
}

const char *generics_join(Arena *a, const char *const *args, uint32_t nargs)
{
    size_t n = 1;
    for (uint32_t i = 0; i < nargs; i++)
        n += strlen(args[i]) + 2;
    char *s = arena_alloc(a, n), *p = s;
    for (uint32_t i = 0; i < nargs; i++) {
        if (i)
            *p++ = ',', *p++ = ' ';
        size_t k = strlen(args[i]);
        memcpy(p, args[i], k);
        p += k;
    }
    *p = '\0';
    return s;
}
