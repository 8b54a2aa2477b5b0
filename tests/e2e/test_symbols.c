/* test_symbols.c — heft's symbol rows against readelf's symbol table: every
 * sized FUNC/OBJECT symbol that overlaps no other has a row (found by its raw
 * name) of exactly its st_size (file bytes, or VM bytes in .bss), and names on
 * the same range are one row listing the others as aliases. Run on the C
 * fixture as built for x86-64, AArch64, 32-bit ARM, big-endian PowerPC and
 * AArch64, as a relocatable object, stripped (.dynsym), and on C++ and Rust. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_util.h"
#include "harness.h"

/* Checks every accounted symbol of table in path; returns how many were
 * checked. */
static size_t check_symbol_sizes(const char *name, const char *table, bool thumb)
{
    const char *path = fx_need(name);
    FxElf e;
    fx_elf_read(&e, path, table, thumb);
    json_t *j = heft_json("symbols -n 0 '%s'", path);
    cr_assert_str_eq(fx_str(j, "symbols_from"), strcmp(table, ".symtab") == 0 ? "symtab" : "dynsym", "%s", name);
    json_t *rows = json_object_get(j, "rows");
    size_t checked = 0;
    for (size_t i = 0; i < e.nsyms; i++) {
        const FxSym *s = &e.syms[i];
        if (!fx_sym_sized(s) || (strcmp(s->type, "FUNC") != 0 && strcmp(s->type, "OBJECT") != 0))
            continue;
        if (!fx_sym_alone(&e, i))
            continue;
        /* Names on this range, readelf's order; skip names that are not unique
         * in the table (local statics of several files), a row cannot be told
         * apart by them. */
        bool unique = true;
        for (size_t k = 0; k < e.nsyms; k++)
            if (k != i && strcmp(e.syms[k].name, s->name) == 0 && fx_sym_sized(&e.syms[k]))
                unique = false;
        if (!unique)
            continue;
        json_t *row = NULL;
        size_t group = 0;
        for (size_t k = 0; k < e.nsyms; k++) {
            const FxSym *o = &e.syms[k];
            if (!fx_sym_sized(o) || strcmp(o->ndx, s->ndx) != 0 || o->value != s->value || o->size != s->size)
                continue;
            group++;
            json_t *r = fx_row_raw(rows, o->name);
            if (r) {
                cr_assert(!row || row == r, "%s: %s and its alias %s are two rows", name, s->name, o->name);
                row = r;
            }
        }
        cr_assert(row, "%s: no row has raw name %s (%s %s, %llu bytes, section %s), nor any alias", name, s->name,
                  s->bind, s->type, (unsigned long long)s->size, s->ndx);
        cr_assert_eq(fx_naliases(row), group - 1, "%s: %s shares its range with %zu other names, row %s lists %zu",
                     name, s->name, group - 1, fx_str(row, "raw"), fx_naliases(row));
        bool plain = strncmp(s->name, "_Z", 2) != 0 && strncmp(s->name, "_R", 2) != 0;
        if (strcmp(fx_str(row, "raw"), s->name) != 0 && plain) {
            /* aliases are listed as shown: without ThinLTO's ".llvm.N" */
            char shown[1024];
            snprintf(shown, sizeof shown, "%s", s->name);
            char *llvm = strstr(shown, ".llvm.");
            if (llvm && llvm[6] && strspn(llvm + 6, "0123456789") == strlen(llvm + 6))
                *llvm = '\0';
            cr_assert(fx_has_alias(row, shown), "%s: row %s does not list alias %s", name, fx_str(row, "raw"), shown);
        }
        const FxSection *sec = fx_section_by_index(&e, s->ndx);
        cr_assert(sec, "%s: %s in unknown section %s", name, s->name, s->ndx);
        cr_assert_str_eq(fx_str(row, "section"), sec->name, "%s: %s is in %s, heft says %s", name, s->name,
                         sec->name, fx_str(row, "section"));
        cr_assert_eq(jint(row, "symbol_size"), (int64_t)s->size, "%s: %s symbol_size", name, s->name);
        bool nobits = strcmp(sec->type, "NOBITS") == 0;
        bool alloc = strchr(sec->flags, 'A') != NULL;
        int64_t want_file = nobits ? 0 : (int64_t)s->size, want_vm = alloc ? (int64_t)s->size : 0;
        cr_assert_eq(jint(row, "file_size"), want_file, "%s: %s (%s): file_size %lld, readelf size %llu", name,
                     s->name, sec->name, (long long)jint(row, "file_size"), (unsigned long long)s->size);
        cr_assert_eq(jint(row, "vm_size"), want_vm, "%s: %s (%s): vm_size %lld, expected %lld", name, s->name,
                     sec->name, (long long)jint(row, "vm_size"), (long long)want_vm);
        checked++;
    }
    json_decref(j);
    fx_elf_free(&e);
    return checked;
}

Test(symbols, c_sizes_vs_readelf) { cr_assert_geq(check_symbol_sizes("c-sizes", ".symtab", false), 15); }
Test(symbols, c_object_vs_readelf) { cr_assert_geq(check_symbol_sizes("c-sizes.o", ".symtab", false), 10); }
Test(symbols, aarch64_vs_readelf) { cr_assert_geq(check_symbol_sizes("c-sizes-aarch64", ".symtab", false), 15); }
Test(symbols, arm32_vs_readelf) { cr_assert_geq(check_symbol_sizes("c-sizes-arm32", ".symtab", true), 15); }
/* Debian's static libc.a for 32-bit Arm: T32 and A32 code, IFUNCs (whose Thumb bit is cleared too). */
Test(symbols, arm_static_libc_vs_readelf)
{
    cr_assert_geq(check_symbol_sizes("c-why-arm-static-gc-off", ".symtab", true), 1000);
}
Test(symbols, ppc32be_vs_readelf) { cr_assert_geq(check_symbol_sizes("c-sizes-ppc32be", ".symtab", false), 12); }
Test(symbols, aarch64be_vs_readelf) { cr_assert_geq(check_symbol_sizes("c-sizes-aarch64be", ".symtab", false), 12); }
Test(symbols, stripped_vs_dynsym) { cr_assert_geq(check_symbol_sizes("c-sizes-stripped", ".dynsym", false), 10); }
Test(symbols, cxx_vs_readelf) { cr_assert_geq(check_symbol_sizes("cxx-shapes", ".symtab", false), 20); }
Test(symbols, rust_legacy_vs_readelf) { cr_assert_geq(check_symbol_sizes("rust-legacy", ".symtab", false), 200); }
Test(symbols, rust_v0_vs_readelf) { cr_assert_geq(check_symbol_sizes("rust-v0", ".symtab", false), 200); }

/* The same check with nm -S as the reference, for the cross builds, with the
 * cross binutils (sizes only: nm has no section indexes). */
static void check_vs_nm(const char *nm, const char *name)
{
    const char *path = fx_need(name);
    Run r = run_cmd("%s -S --defined-only '%s'", nm, path);
    cr_assert_eq(r.status, 0, "%s -S %s failed: %s", nm, path, r.err);
    json_t *j = heft_json("symbols -n 0 '%s'", path);
    json_t *rows = json_object_get(j, "rows");
    static const char *const known[] = {"table", "big_bss", "greeting", "classify", "sum_data", "fill_bss",
                                        "check_value", "main", "report"};
    size_t found = 0;
    char **lines;
    size_t n = fx_lines(r.out, &lines);
    for (size_t i = 0; i < n; i++) {
        unsigned long long addr, size;
        char type, sym[256];
        if (sscanf(lines[i], "%llx %llx %c %255s", &addr, &size, &type, sym) != 4)
            continue;
        for (size_t k = 0; k < sizeof known / sizeof *known; k++) {
            if (strcmp(sym, known[k]) != 0)
                continue;
            json_t *row = fx_row_raw(rows, sym);
            cr_assert(row, "%s: no row for %s", name, sym);
            int64_t got = type == 'b' || type == 'B' ? jint(row, "vm_size") : jint(row, "file_size");
            cr_assert_eq(got, (int64_t)size, "%s: %s is %llu bytes per %s -S, heft says %lld", name, sym, size, nm,
                         (long long)got);
            found++;
        }
    }
    cr_assert_eq(found, sizeof known / sizeof *known, "%s: %s -S listed %zu of the known symbols", name, nm, found);
    free(lines);
    run_free(&r);
    json_decref(j);
}

Test(symbols, aarch64_vs_cross_nm) { check_vs_nm("aarch64-linux-gnu-nm", "c-sizes-aarch64"); }
Test(symbols, arm32_vs_cross_nm) { check_vs_nm("arm-linux-gnueabihf-nm", "c-sizes-arm32"); }

/* The fixture's objects have sizes known from the source (tests/fixtures/c/sizes.c). */
static void known_c_sizes(const char *name)
{
    const char *path = fx_need(name);
    json_t *j = heft_json("symbols -n 0 '%s'", path);
    json_t *rows = json_object_get(j, "rows");
    struct {
        const char *raw, *section;
        int64_t file, vm;
    } want[] = {
        {"table", ".rodata", 4096, 4096},
        {"greeting", ".rodata", 64, 64},
        {"big_bss", ".bss", 0, 40000},
    };
    bool stripped = strstr(name, "stripped") != NULL;
    for (size_t i = stripped; i < sizeof want / sizeof *want; i++) { /* table is static: not in .dynsym */
        json_t *row = fx_row_raw(rows, want[i].raw);
        cr_assert(row, "%s: no row for %s", name, want[i].raw);
        cr_assert_str_eq(fx_str(row, "name"), want[i].raw);
        cr_assert_str_eq(fx_str(row, "kind"), "symbol");
        cr_assert_str_eq(fx_str(row, "lang"), "c");
        cr_assert_str_eq(fx_str(row, "crate"), "[C]");
        cr_assert_str_eq(fx_str(row, "section"), want[i].section, "%s: %s in %s", name, want[i].raw,
                         fx_str(row, "section"));
        cr_assert_eq(jint(row, "file_size"), want[i].file, "%s: %s file_size", name, want[i].raw);
        cr_assert_eq(jint(row, "vm_size"), want[i].vm, "%s: %s vm_size", name, want[i].raw);
    }
    /* data_arr and data_alias: both global, one row named by the first name. */
    json_t *d = row_named(rows, "data_alias");
    cr_assert(d, "%s: no row data_alias", name);
    cr_assert(fx_has_alias(d, "data_arr"), "%s: data_alias does not list data_arr", name);
    cr_assert_eq(fx_naliases(d), 1);
    cr_assert_null(row_named(rows, "data_arr"), "%s: data_arr is a row of its own", name);
    cr_assert_eq(jint(d, "file_size"), 1024);
    cr_assert_str_eq(fx_str(d, "section"), ".data");
    json_decref(j);
}

Test(symbols, known_sizes_x86_64) { known_c_sizes("c-sizes"); }
Test(symbols, known_sizes_object) { known_c_sizes("c-sizes.o"); }
Test(symbols, known_sizes_aarch64) { known_c_sizes("c-sizes-aarch64"); }
Test(symbols, known_sizes_arm32) { known_c_sizes("c-sizes-arm32"); }
Test(symbols, known_sizes_ppc32be) { known_c_sizes("c-sizes-ppc32be"); }
Test(symbols, known_sizes_aarch64be) { known_c_sizes("c-sizes-aarch64be"); }
Test(symbols, known_sizes_stripped) { known_c_sizes("c-sizes-stripped"); }

/* compute_checksum has four names: checksum_alias and compute_checksum
 * (global), a_weak_checksum (weak), a_local_checksum (local). The primary is
 * global first, then by name. */
static void alias_primary(const char *name, bool has_local)
{
    json_t *j = heft_json("symbols -n 0 '%s'", fx_need(name));
    json_t *rows = json_object_get(j, "rows");
    json_t *row = row_named(rows, "checksum_alias");
    cr_assert(row, "%s: no row named checksum_alias (the global first by name)", name);
    cr_assert_str_eq(fx_str(row, "raw"), "checksum_alias");
    cr_assert(fx_has_alias(row, "compute_checksum"), "%s: compute_checksum not an alias", name);
    cr_assert(fx_has_alias(row, "a_weak_checksum"), "%s: a_weak_checksum not an alias", name);
    if (has_local)
        cr_assert(fx_has_alias(row, "a_local_checksum"), "%s: a_local_checksum not an alias", name);
    cr_assert_eq(fx_naliases(row), has_local ? 3u : 2u);
    cr_assert_null(row_named(rows, "compute_checksum"));
    cr_assert_null(row_named(rows, "a_weak_checksum"));
    cr_assert_null(row_named(rows, "a_local_checksum"));
    json_decref(j);
    /* The table says so too. */
    Run r = run_heft("symbols -n 0 --wide '%s'", fx_need(name));
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, has_local ? "checksum_alias (+3 aliases)" : "checksum_alias (+2 aliases)"),
              "%s: table lacks 'checksum_alias (+N aliases)':\n%s", name, r.out);
    run_free(&r);
}

Test(symbols, alias_primary_x86_64) { alias_primary("c-sizes", true); }
Test(symbols, alias_primary_arm32) { alias_primary("c-sizes-arm32", true); }
Test(symbols, alias_primary_stripped) { alias_primary("c-sizes-stripped", false); }

/* gcc's split-off cold part and constprop clone: display names drop the
 * suffix, --full-names keeps it. */
Test(symbols, compiler_suffixes)
{
    const char *path = fx_need("c-sizes");
    json_t *j = heft_json("symbols -n 0 '%s'", path);
    json_t *rows = json_object_get(j, "rows");
    json_t *cold = fx_row_raw(rows, "check_value.cold");
    cr_assert(cold, "no row for check_value.cold");
    cr_assert_str_eq(fx_str(cold, "name"), "check_value");
    json_t *cp = fx_row_raw(rows, "scale.constprop.0");
    cr_assert(cp, "no row for scale.constprop.0");
    cr_assert_str_eq(fx_str(cp, "name"), "scale");
    cr_assert_str_eq(fx_str(cold, "section"), ".text");
    json_decref(j);
    j = heft_json("symbols -n 0 --full-names '%s'", path);
    rows = json_object_get(j, "rows");
    cr_assert(row_named(rows, "check_value.cold"), "--full-names: no row named check_value.cold");
    cr_assert(row_named(rows, "scale.constprop.0"), "--full-names: no row named scale.constprop.0");
    json_decref(j);
}

/* Stripped: only .dynsym; a one-line hint on stderr says how to keep symbols;
 * still everything adds up. */
Test(symbols, stripped_hint)
{
    const char *path = fx_need("c-sizes-stripped");
    Run r = run_heft("symbols '%s'", path);
    cr_assert_eq(r.status, 0, "status %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "strip"), "no hint mentioning strip on stderr: '%s'", r.err);
    char *nl = strchr(r.err, '\n');
    cr_assert(nl && nl[1] == '\0', "the hint is not one line: '%s'", r.err);
    cr_assert(strncmp(r.err, "heft: ", 6) == 0, "hint does not start with 'heft: ': %s", r.err);
    run_free(&r);
    r = run_heft("symbols '%s'", fx_need("c-sizes"));
    cr_assert_eq(r.err_len, 0, "unstripped file: unexpected stderr '%s'", r.err);
    run_free(&r);
    json_t *j = fx_check_adds_up(path, "symbols", "");
    cr_assert_str_eq(fx_str(j, "symbols_from"), "dynsym");
    /* No .symtab leaf: it is not there. */
    cr_assert_null(row_named(json_object_get(j, "rows"), "[.symtab]"));
    json_decref(j);
}

Test(symbols, overlap_and_label_counts)
{
    json_t *j = heft_json("symbols -n 0 '%s'", fx_need("c-sizes"));
    /* The C fixture has no overlapping symbols; its sizeless labels
     * (_DYNAMIC, __dso_handle, __TMC_END__, ...) are counted. */
    cr_assert_eq(jint(j, "overlapped_symbols"), 0);
    cr_assert_gt(jint(j, "zero_size_symbols"), 0);
    cr_assert_eq(jint(j, "unknown_size"), 0);
    json_decref(j);
}

/* The relocatable object and the x86-64 build against binutils' nm -S. */
Test(symbols, object_vs_nm) { check_vs_nm("nm", "c-sizes.o"); }
Test(symbols, x86_64_vs_nm) { check_vs_nm("nm", "c-sizes"); }
