/* test_why.c — heft why: the chains of references from the roots to a
 * symbol, on a C program with known references (tests/fixtures/c/why.c) and
 * on the realistic Rust workspace (35 crates). Each hop of a chain is
 * checked against objdump's disassembly (a call, jump or address operand of
 * the one function that names the next) or readelf's relocations (a pointer
 * in data), never against heft itself. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_util.h"
#include "harness.h"

static json_t *why(const char *file, const char *name, const char *opts)
{
    return heft_json("why '%s' '%s' %s", file, name, opts);
}

/* The one symbol row of why's JSON. */
static json_t *only_symbol(json_t *j)
{
    json_t *syms = json_object_get(j, "symbols");
    cr_assert_eq(json_array_size(syms), 1, "why matched %zu symbols", json_array_size(syms));
    return json_array_get(syms, 0);
}

static const char *hop_name(json_t *chain, size_t i)
{
    return json_string_value(json_object_get(json_array_get(chain, i), "name"));
}

static uint64_t hop_addr(json_t *chain, size_t i)
{
    return (uint64_t)json_integer_value(json_object_get(json_array_get(chain, i), "address"));
}

/* Whether a chain is exactly the given names. */
static bool chain_is(json_t *chain, const char *const *names, size_t n)
{
    if (json_array_size(chain) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(hop_name(chain, i), names[i]) != 0)
            return false;
    return true;
}

/* The size nm -S gives the symbol at addr (0 when none). */
static uint64_t nm_size(const char *file, uint64_t addr)
{
    Run r = run_cmd("nm -S --defined-only '%s' | awk '$1 == \"%016" PRIx64 "\" && NF >= 4 { print $2; exit }'", file,
                    addr);
    uint64_t size = strtoull(r.out, NULL, 16);
    run_free(&r);
    return size;
}

/* Whether readelf lists a RELATIVE relocation at an address in
 * [at, at + size) whose addend is to: a pointer from that data to to. */
static bool data_refers(const char *file, uint64_t at, uint64_t size, uint64_t to)
{
    Run r = run_cmd("readelf -rW '%s'", file);
    bool yes = false;
    char *save;
    for (char *line = strtok_r(r.out, "\n", &save); line && !yes; line = strtok_r(NULL, "\n", &save)) {
        uint64_t off, info, addend;
        char type[64];
        yes = sscanf(line, "%" SCNx64 " %" SCNx64 " %63s %" SCNx64, &off, &info, type, &addend) == 4 &&
              strcmp(type, "R_X86_64_RELATIVE") == 0 && off >= at && off < at + size && addend == to;
    }
    run_free(&r);
    return yes;
}

/* Whether objdump's disassembly of the function at from names address to:
 * a call or jump target, or a RIP-relative operand's address; or a .got slot
 * (an operand's address) whose relocation points to to. */
static bool code_refers(const char *file, uint64_t from, uint64_t to)
{
    uint64_t size = nm_size(file, from);
    if (!size)
        return false;
    Run r = run_cmd("objdump -d --no-show-raw-insn --start-address=%#" PRIx64 " --stop-address=%#" PRIx64 " '%s'",
                    from, from + size, file);
    char direct[64], slot[64];
    snprintf(direct, sizeof direct, " %" PRIx64 " <", to);
    bool yes = false;
    char *save;
    for (char *line = strtok_r(r.out, "\n", &save); line && !yes; line = strtok_r(NULL, "\n", &save)) {
        char *p = strstr(line, direct);
        yes = p && (strstr(line, "call") || strstr(line, "jmp") || strstr(line, "# ") || line[1] == 'j');
        uint64_t at;
        char *hash = strstr(line, "# ");
        if (!yes && hash && sscanf(hash, "# %" SCNx64 " %63s", &at, slot) == 2 && slot[0] == '<')
            yes = data_refers(file, at, 8, to); /* a .got slot, whatever objdump names it after */
    }
    run_free(&r);
    return yes;
}

Test(why, c_chains_are_the_calls_and_the_table)
{
    const char *f = fx_need("c-why");
    json_t *j = why(f, "leaf_c", "-n 0");
    json_t *s = only_symbol(j);
    cr_assert_str_eq(json_string_value(json_object_get(s, "name")), "leaf_c");
    cr_assert(json_is_true(json_object_get(s, "reached")));
    cr_assert_eq(jint(s, "referrers"), 2, "mid_b calls leaf_c and table points to it");
    json_t *chains = json_object_get(s, "chains");
    cr_assert_eq(json_array_size(chains), 2);
    static const char *const by_table[] = {"_start", "main", "table", "leaf_c"};
    static const char *const by_calls[] = {"_start", "main", "top_a", "mid_b", "leaf_c"};
    cr_assert(chain_is(json_array_get(chains, 0), by_table, 4), "first chain: %s", json_dumps(chains, 0));
    cr_assert(chain_is(json_array_get(chains, 1), by_calls, 5), "second chain: %s", json_dumps(chains, 0));
    /* Each code hop is in objdump's disassembly, the table's in readelf's relocations. */
    json_t *calls = json_array_get(chains, 1);
    for (size_t i = 0; i + 1 < json_array_size(calls); i++)
        cr_assert(code_refers(f, hop_addr(calls, i), hop_addr(calls, i + 1)), "objdump: %s does not refer to %s",
                  hop_name(calls, i), hop_name(calls, i + 1));
    json_t *tab = json_array_get(chains, 0);
    cr_assert(code_refers(f, hop_addr(tab, 1), hop_addr(tab, 2)), "objdump: main does not refer to table");
    cr_assert(data_refers(f, hop_addr(tab, 2), 16, hop_addr(tab, 3)), "readelf -r: table holds no pointer to leaf_c");
    json_decref(j);
}

Test(why, c_unreferenced_function_has_no_chain)
{
    const char *f = fx_need("c-why");
    json_t *j = why(f, "unused_fn", "");
    json_t *s = only_symbol(j);
    cr_assert_eq(jint(s, "referrers"), 0);
    cr_assert(json_is_false(json_object_get(s, "reached")));
    cr_assert_eq(json_array_size(json_object_get(s, "chains")), 0);
    json_decref(j);
    Run r = run_heft("why '%s' unused_fn", f);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "nothing refers to it"), "%s", r.out);
    run_free(&r);
    /* objdump agrees: no instruction names it. */
    Run o = run_cmd("objdump -d '%s' | grep -c '<unused_fn>$'", f);
    cr_assert_eq(atoi(o.out), 0, "objdump: something refers to unused_fn");
    run_free(&o);
}

Test(why, c_root_and_data)
{
    const char *f = fx_need("c-why");
    json_t *j = why(f, "_start", "");
    cr_assert(json_is_true(json_object_get(only_symbol(j), "root")), "the entry point is a root");
    json_decref(j);
    j = why(f, "greeting", "");
    json_t *chain = json_array_get(json_object_get(only_symbol(j), "chains"), 0);
    static const char *const want[] = {"_start", "main", "greeting"};
    cr_assert(chain_is(chain, want, 3), "%s", json_dumps(chain, 0));
    json_decref(j);
}

Test(why, c_usage_errors)
{
    const char *f = fx_need("c-why");
    Run r = run_heft("why '%s'", f);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "heft why takes a FILE and a NAME"), "%s", r.err);
    run_free(&r);
    r = run_heft("why '%s' no_such_symbol_anywhere", f);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "no symbol is named 'no_such_symbol_anywhere'"), "%s", r.err);
    run_free(&r);
    /* An object is read too: its globals are roots. */
    r = run_heft("why '%s' main", fx_need("c-sizes.o"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "a root"), "%s", r.out);
    run_free(&r);
}

/* The realistic workspace: regex's compiler is kept by the program's own
 * parser, through regex::Regex::new; every hop is an instruction objdump
 * shows. */
Test(why, realworld_chain_to_a_dependency)
{
    const char *f = fx_need("realworld-release");
    json_t *j = why(f, "regex::exec::ExecBuilder::build", "-n 1");
    json_t *s = only_symbol(j);
    cr_assert(json_is_true(json_object_get(s, "reached")));
    json_t *chain = json_array_get(json_object_get(s, "chains"), 0);
    size_t n = json_array_size(chain);
    cr_assert_geq(n, 4, "%s", json_dumps(chain, 0));
    cr_assert_str_eq(hop_name(chain, 0), "_start");
    cr_assert_str_eq(hop_name(chain, n - 1), "regex::exec::ExecBuilder::build");
    cr_assert_str_eq(hop_name(chain, n - 2), "regex::re_unicode::Regex::new");
    bool from_program = false;
    for (size_t i = 0; i < n; i++)
        from_program |= strcmp(json_string_value(json_object_get(json_array_get(chain, i), "crate")), "logcore") == 0;
    cr_assert(from_program, "the chain passes through the program's own crate: %s", json_dumps(chain, 0));
    for (size_t i = 0; i + 1 < n; i++)
        cr_assert(code_refers(f, hop_addr(chain, i), hop_addr(chain, i + 1)), "objdump: %s does not refer to %s",
                  hop_name(chain, i), hop_name(chain, i + 1));
    json_decref(j);
}

/* A trait object: a method of aho_corasick's Box<dyn Prefilter>, reached
 * through a vtable (an anchor in .data.rel.ro that the code refers to and
 * whose relocations point to the method). */
Test(why, realworld_vtable_hop)
{
    const char *f = fx_need("realworld-release");
    json_t *j =
        why(f, "<aho_corasick::prefilter::RareBytesTwo as aho_corasick::prefilter::Prefilter>::next_candidate", "-n 0");
    json_t *s = only_symbol(j);
    cr_assert(json_is_true(json_object_get(s, "reached")));
    json_t *chains = json_object_get(s, "chains");
    size_t checked = 0;
    for (size_t c = 0; c < json_array_size(chains); c++) {
        json_t *chain = json_array_get(chains, c);
        for (size_t i = 1; i + 1 < json_array_size(chain); i++) {
            const char *name = hop_name(chain, i);
            if (strncmp(name, "[.data.rel.ro at ", 17) != 0)
                continue;
            cr_assert(code_refers(f, hop_addr(chain, i - 1), hop_addr(chain, i)), "objdump: %s does not refer to %s",
                      hop_name(chain, i - 1), name);
            cr_assert(data_refers(f, hop_addr(chain, i), 256, hop_addr(chain, i + 1)),
                      "readelf -r: no pointer from %s to %s", name, hop_name(chain, i + 1));
            checked++;
        }
    }
    cr_assert_geq(checked, 1, "no chain through a vtable: %s", json_dumps(chains, 0));
    json_decref(j);
}

/* What keeps a crate: aho_corasick is entered only from regex (its code),
 * each reference an instruction objdump shows, and the chain to the first
 * one starts at the entry point. */
Test(why, realworld_crate_entries)
{
    const char *f = fx_need("realworld-release");
    json_t *j = heft_json("why '%s' --crate aho_corasick --max 0", f);
    json_t *edges = json_object_get(j, "edges");
    size_t calls = 0;
    for (size_t i = 0; i < json_array_size(edges); i++) {
        json_t *e = json_array_get(edges, i), *from = json_object_get(e, "from"), *to = json_object_get(e, "to");
        const char *fc = json_string_value(json_object_get(from, "crate"));
        cr_assert_str_neq(fc, "aho_corasick", "an edge from inside the crate");
        cr_assert_str_eq(json_string_value(json_object_get(to, "crate")), "aho_corasick");
        if (strcmp(fc, "regex") != 0)
            continue; /* data (vtables, merged constants) and std's */
        uint64_t a = (uint64_t)json_integer_value(json_object_get(from, "address"));
        uint64_t b = (uint64_t)json_integer_value(json_object_get(to, "address"));
        if (calls < 5)
            cr_assert(code_refers(f, a, b), "objdump: %s does not refer to %s",
                      json_string_value(json_object_get(from, "name")), json_string_value(json_object_get(to, "name")));
        calls++;
    }
    cr_assert_geq(calls, 3, "regex's references into aho_corasick: %zu", calls);
    json_t *chain = json_object_get(j, "chain");
    size_t n = json_array_size(chain);
    cr_assert_geq(n, 3);
    cr_assert_str_eq(hop_name(chain, 0), "_start");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(chain, n - 1), "crate")), "aho_corasick");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(chain, n - 2), "crate")), "regex");
    json_decref(j);
}

/* The two chains to leaf_c, each call hop a branch the target's objdump
 * shows. */
static void chains_to_leaf_c(const char *fixture, const char *objdump)
{
    const char *f = fx_need(fixture);
    json_t *j = why(f, "leaf_c", "-n 0");
    json_t *chains = json_object_get(only_symbol(j), "chains");
    static const char *const by_table[] = {"_start", "main", "table", "leaf_c"};
    static const char *const by_calls[] = {"_start", "main", "top_a", "mid_b", "leaf_c"};
    cr_assert_eq(json_array_size(chains), 2, "%s", json_dumps(chains, 0));
    cr_assert(chain_is(json_array_get(chains, 0), by_table, 4), "%s", json_dumps(chains, 0));
    cr_assert(chain_is(json_array_get(chains, 1), by_calls, 5), "%s", json_dumps(chains, 0));
    json_t *calls = json_array_get(chains, 1);
    for (size_t i = 1; i + 1 < json_array_size(calls); i++) {
        Run r = run_cmd("%s -d '%s' | awk '/^[0-9a-f]+ <%s>:$/ { on = 1; next } /^$/ { on = 0 } "
                        "on' | grep -cE 'bl?\\s+%" PRIx64 " <%s>'",
                        objdump, f, hop_name(calls, i), hop_addr(calls, i + 1), hop_name(calls, i + 1));
        cr_assert_gt(atoi(r.out), 0, "objdump: %s has no branch to %s", hop_name(calls, i), hop_name(calls, i + 1));
        run_free(&r);
    }
    json_decref(j);
}

/* AArch64: BL for the calls, ADRP+ADD for the table's address. */
Test(why, aarch64_chains) { chains_to_leaf_c("c-why-a64-gc-off", "aarch64-linux-gnu-objdump"); }

/* 32-bit Arm, T32 and A32: BL for the calls; the table's address a literal
 * added to the PC; main's a GOT slot that _start reads at the GOT's address
 * plus a literal (a relocation fills the slot). */
Test(why, arm_thumb_chains) { chains_to_leaf_c("c-why-arm-gc-off", "arm-linux-gnueabihf-objdump"); }
Test(why, arm_a32_chains) { chains_to_leaf_c("c-why-a32-gc-off", "arm-linux-gnueabihf-objdump"); }

/* Linked -static: no relocations; the table's pointers and main's GOT slot
 * are words the linker wrote. */
Test(why, arm_static_chains) { chains_to_leaf_c("c-why-arm-static-gc-off", "arm-linux-gnueabihf-objdump"); }

/* ---- relocatable objects and archives: the relocations are the references ---- */

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* One reference objdump -r shows: the symbol it names (without the addend),
 * and the member and section it patches. */
typedef struct Reloc {
    char *sym, *where; /* where: "MEMBER\tSECTION" */
} Reloc;

/* Each distinct reference of file, per objdump -r, but those from the unwind
 * tables and from debug info (not loaded). */
static Reloc *object_relocs(const char *file, size_t *n, char **buf)
{
    Run r = run_cmd("objdump -r '%s' | awk '/file format/ { m = $1 } "
                    "/^RELOCATION RECORDS FOR \\[/ { sec = $4; sub(/^\\[/, \"\", sec); sub(/\\]:$/, \"\", sec); next } "
                    "NF == 3 && $1 ~ /^[0-9a-f]+$/ && sec != \".eh_frame\" && sec !~ /^\\.debug/ { "
                    "v = $3; sub(/[-+]0x[0-9a-f]+$/, \"\", v); print v \"\\t\" m \"\\t\" sec }' | LC_ALL=C sort -u",
                    file);
    cr_assert_eq(r.status, 0, "objdump -r %s: %s", file, r.err);
    char **lines;
    *n = fx_lines(r.out, &lines);
    Reloc *rel = malloc((*n + 1) * sizeof *rel);
    for (size_t i = 0; i < *n; i++) {
        char *tab = strchr(lines[i], '\t');
        cr_assert(tab);
        *tab = '\0';
        rel[i] = (Reloc){lines[i], tab + 1};
    }
    free(lines);
    *buf = r.out; /* the lines point into it */
    r.out = NULL;
    run_free(&r);
    return rel;
}

/* For each symbol whose name contains one of subs (heft why's matching, up
 * to --max 200 each), heft's count of referrers equals the number of
 * places (member and section) whose relocations name it, or its section
 * (a section symbol), other than its own section. Names shown twice (local
 * symbols of several members) are left out: why cannot tell them apart. */
static void referrers_are_relocations(const char *fixture, const char *const *subs, size_t nsubs, size_t at_least)
{
    const char *f = fx_need(fixture);
    size_t nrel;
    char *buf;
    Reloc *rel = object_relocs(f, &nrel, &buf);
    json_t *syms = heft_json("symbols -n 0 '%s'", f), *rows = json_object_get(syms, "rows");
    size_t checked = 0;
    for (size_t k = 0; k < nsubs; k++) {
        json_t *j = heft_json("why '%s' '%s' --max 200", f, subs[k]), *found = json_object_get(j, "symbols");
        for (size_t i = 0; i < json_array_size(found); i++) {
            json_t *s = json_array_get(found, i);
            const char *name = json_string_value(json_object_get(s, "name"));
            json_t *row = NULL;
            size_t same = 0;
            for (size_t r = 0; r < json_array_size(rows); r++)
                if (strcmp(fx_str(json_array_get(rows, r), "name"), name) == 0)
                    row = json_array_get(rows, r), same++;
            if (same != 1 || strcmp(fx_str(row, "kind"), "symbol") != 0)
                continue;
            const char *raw = fx_str(row, "raw"), *sec = fx_str(row, "section");
            /* Places, each once (by its name and by its section's). */
            const char **at = malloc((nrel + 1) * sizeof *at);
            size_t nat = 0, want = 0;
            for (size_t r = 0; r < nrel; r++)
                if ((strcmp(rel[r].sym, raw) == 0 || strcmp(rel[r].sym, sec) == 0) &&
                    strcmp(strchr(rel[r].where, '\t') + 1, sec) != 0)
                    at[nat++] = rel[r].where;
            qsort(at, nat, sizeof *at, cmp_str);
            for (size_t r = 0; r < nat; r++)
                want += !r || strcmp(at[r], at[r - 1]) != 0;
            free(at);
            cr_assert_eq(jint(s, "referrers"), (int64_t)want, "%s: %s (%s): heft counts %lld referrers, objdump -r %zu",
                         fixture, name, raw, (long long)jint(s, "referrers"), want);
            checked++;
        }
        json_decref(j);
    }
    cr_assert_geq(checked, at_least, "%s: only %zu symbols checked", fixture, checked);
    cr_log_info("%s: %zu symbols' referrers as objdump -r says", fixture, checked);
    json_decref(syms);
    free(rel);
    free(buf);
}

/* An object built with -ffunction-sections: calls by name, the table by its
 * section's symbol. Every global is a root, as a linker may start anywhere. */
Test(why, object_referrers_are_its_relocations)
{
    static const char *const subs[] = {"leaf_c", "mid_b", "top_a", "via_table", "table", "greeting", "main"};
    referrers_are_relocations("c-why.o", subs, sizeof subs / sizeof *subs, 7);
    json_t *j = why(fx_need("c-why.o"), "table", "-n 0");
    static const char *const chain[] = {"main", "table"};
    cr_assert(chain_is(json_array_get(json_object_get(only_symbol(j), "chains"), 0), chain, 2), "%s",
              json_dumps(j, 0));
    json_decref(j);
}

/* A Rust staticlib (the crate and std's objects): references across
 * members, an undefined name in one being the global another defines. */
Test(why, staticlib_referrers_are_its_relocations)
{
    static const char *const subs[] = {"heftstatic", "heft_", "core::panicking", "alloc::raw_vec", "core::fmt::write",
                                       "std::io::stdio"};
    referrers_are_relocations("archive-rust.a", subs, sizeof subs / sizeof *subs, 40);
    json_t *j = why(fx_need("archive-rust.a"), "heftstatic::word_counts", "-n 0");
    static const char *const chain[] = {"heft_count_words", "heftstatic::word_counts"};
    cr_assert(chain_is(json_array_get(json_object_get(only_symbol(j), "chains"), 0), chain, 2), "%s",
              json_dumps(j, 0));
    json_decref(j);
}

/* An object of more than 65,279 sections (assembled here: one per
 * function, as -ffunction-sections makes for a large crate), whose symbols
 * past that name their section through SHT_SYMTAB_SHNDX: a call to one is a
 * reference like any other. */
Test(why, object_of_many_sections)
{
    char dir[] = "/tmp/heft-why-XXXXXX";
    cr_assert(mkdtemp(dir));
    Run r = run_cmd("cd '%s' && awk 'BEGIN { for (i = 0; i < 66000; i++) printf \".section .text.f%%d,\\\"ax\\\",@progbits\\n"
                    ".globl f%%d\\n.type f%%d,@function\\nf%%d:\\nret\\n.size f%%d,1\\n\", i, i, i, i, i; "
                    "print \".section .text.g,\\\"ax\\\",@progbits\\n.globl g\\n.type g,@function\\ng:\\n"
                    "call f65990\\ncall f5\\nret\\n.size g,11\" }' > big.s && as -o big.o big.s && "
                    "readelf -h big.o | awk '/Number of section headers/ { print $NF }'",
                    dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "(66010)"), "not an object of 66,010 sections: %s", r.out);
    run_free(&r);
    char path[64];
    snprintf(path, sizeof path, "%s/big.o", dir);
    static const char *const called[] = {"f65990", "f5"};
    for (size_t i = 0; i < 2; i++) {
        json_t *j = why(path, called[i], "-n 0");
        cr_assert_eq(jint(only_symbol(j), "referrers"), 1, "%s: %s", called[i], json_dumps(j, 0));
        json_decref(j);
    }
    r = run_cmd("rm -rf '%s'", dir);
    run_free(&r);
}
