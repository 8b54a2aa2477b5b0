/* test_archive.c — static libraries (ar archives) and their members, against
 * binutils: `ar tv` for member sizes, `size` for text/data/bss, `nm -S` per
 * member for symbol sizes, and the archive's own layout (8-byte magic, a
 * 60-byte header per member, the "//" table holding the long names).
 * Fixtures: tests/fixtures/archive.mk. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_util.h"
#include "harness.h"

static const char *const VIEWS[] = {"symbols", "crates", "sections", "segments", "members", "summary"};

/* Every view's rows add up to the file size and to vm_size, exactly. */
static void adds_up(const char *path, uint64_t want_vm)
{
    uint64_t fsize = file_size_of(path);
    for (size_t v = 0; v < sizeof VIEWS / sizeof *VIEWS; v++) {
        json_t *j = heft_json("%s -n 0 '%s'", VIEWS[v], path);
        FxSum s = fx_rows_sum(j);
        int64_t vm = jint(j, "vm_size");
        cr_assert_eq(jint(j, "file_size"), (int64_t)fsize, "%s %s: file_size", VIEWS[v], path);
        if (strcmp(VIEWS[v], "summary") != 0) {
            cr_assert_eq(s.file_size, fsize, "%s %s: rows sum to %llu file bytes, the file has %llu", VIEWS[v], path,
                         (unsigned long long)s.file_size, (unsigned long long)fsize);
            cr_assert_eq(s.vm_size, (uint64_t)vm, "%s %s: rows sum to %llu VM bytes, vm_size %lld", VIEWS[v], path,
                         (unsigned long long)s.vm_size, (long long)vm);
        }
        if (want_vm != UINT64_MAX)
            cr_assert_eq(vm, (int64_t)want_vm, "%s %s: vm_size %lld, size(1) says %llu", VIEWS[v], path,
                         (long long)vm, (unsigned long long)want_vm);
        json_decref(j);
    }
}

/* Total of size(1)'s dec column: every member's allocated sections. */
static uint64_t size_total(const char *path)
{
    Run r = run_cmd("size -t '%s' | tail -1", path);
    cr_assert_eq(r.status, 0, "size -t %s: %s", path, r.err);
    unsigned long long text, data, bss, dec;
    cr_assert_eq(sscanf(r.out, "%llu %llu %llu %llu", &text, &data, &bss, &dec), 4, "size -t: %s", r.out);
    run_free(&r);
    return dec;
}

Test(archive_invariant, c) { adds_up(fx_need("archive-c.a"), size_total(fx_need("archive-c.a"))); }
Test(archive_invariant, c_function_sections) { adds_up(fx_need("archive-c-fs.a"), size_total(fx_need("archive-c-fs.a"))); }
Test(archive_invariant, mixed) { adds_up(fx_need("archive-mixed.a"), size_total(fx_need("archive-obj/ar_one.o"))); }
Test(archive_invariant, rust_staticlib, .timeout = 120) { adds_up(fx_need("archive-rust.a"), UINT64_MAX); }

/* The members view against ar tv (sizes) and size (text, data, bss). */
static void members_vs_binutils(const char *name)
{
    const char *path = fx_need(name);
    json_t *j = heft_json("members -n 0 '%s'", path);
    json_t *rows = json_object_get(j, "rows");
    Run ar = run_cmd("ar tv '%s'", path);
    cr_assert_eq(ar.status, 0, "ar tv: %s", ar.err);
    char **lines;
    size_t n = fx_lines(ar.out, &lines), members = 0;
    for (size_t i = 0; i < n; i++) {
        char mode[16], owner[32], mon[8], member[256];
        unsigned long long size;
        int day, year;
        char hm[8];
        if (sscanf(lines[i], "%15s %31s %llu %7s %d %7s %d %255s", mode, owner, &size, mon, &day, hm, &year,
                   member) != 8)
            continue;
        json_t *row = row_named(rows, member);
        cr_assert(row, "%s: no members row for %s", name, member);
        cr_assert_eq(jint(row, "size"), (int64_t)size, "%s: %s is %llu bytes per ar tv", name, member, size);
        cr_assert_eq(jint(row, "file_size"), (int64_t)size, "%s: %s file_size", name, member);
        cr_assert_str_eq(fx_str(row, "kind"), "elf");
        members++;
    }
    cr_assert_eq(members, 3, "%s: ar tv lists %zu members", name, members);
    free(lines);
    run_free(&ar);

    Run sz = run_cmd("size '%s'", path);
    cr_assert_eq(sz.status, 0, "size: %s", sz.err);
    n = fx_lines(sz.out, &lines);
    size_t checked = 0;
    for (size_t i = 1; i < n; i++) {
        unsigned long long text, data, bss, dec;
        char hex[32], member[256];
        if (sscanf(lines[i], "%llu %llu %llu %llu %31s %255s", &text, &data, &bss, &dec, hex, member) != 6)
            continue;
        json_t *row = row_named(rows, member);
        cr_assert(row, "%s: no members row for %s", name, member);
        cr_assert_eq(jint(row, "text"), (int64_t)text, "%s: %s text %lld, size says %llu", name, member,
                     (long long)jint(row, "text"), text);
        cr_assert_eq(jint(row, "data"), (int64_t)data, "%s: %s data", name, member);
        cr_assert_eq(jint(row, "bss"), (int64_t)bss, "%s: %s bss", name, member);
        cr_assert_eq(jint(row, "vm_size"), (int64_t)dec, "%s: %s vm_size", name, member);
        checked++;
    }
    cr_assert_eq(checked, 3);
    free(lines);
    run_free(&sz);

    /* The archive's own bytes: magic, 5 headers (3 members, "/" and "//"),
     * and the long-name table holding "a_member_with_a_long_name.o/\n" (29
     * bytes), which GNU ar pads to an even size itself, with a newline. */
    cr_assert_eq(jint(row_named(rows, "[ar magic]"), "file_size"), 8);
    cr_assert_eq(jint(row_named(rows, "[ar headers]"), "file_size"), 5 * 60);
    cr_assert_eq(jint(row_named(rows, "[ar long names]"), "file_size"), 30);
    cr_assert_null(row_named(rows, "[ar padding]"), "%s: every member has an even size", name);
    cr_assert(row_named(rows, "[ar symbol index]"));
    cr_assert_eq(json_array_size(rows), 7, "%s: 3 members and 4 rows of the archive's own", name);
    json_decref(j);
}

Test(archive_members, c_vs_ar_and_size) { members_vs_binutils("archive-c.a"); }
Test(archive_members, c_function_sections_vs_ar_and_size) { members_vs_binutils("archive-c-fs.a"); }

/* Every sized symbol nm -S lists, member by member, is a row of that member
 * with nm's size. */
static void symbols_vs_nm(const char *name)
{
    const char *path = fx_need(name);
    json_t *j = heft_json("symbols -n 0 '%s'", path);
    json_t *rows = json_object_get(j, "rows");
    Run r = run_cmd("nm -S --defined-only '%s'", path);
    cr_assert_eq(r.status, 0, "nm: %s", r.err);
    char **lines;
    size_t n = fx_lines(r.out, &lines), checked = 0;
    char member[256] = "";
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(lines[i]);
        if (len > 1 && lines[i][len - 1] == ':' && !strchr(lines[i], ' ')) {
            snprintf(member, sizeof member, "%.*s", (int)(len - 1), lines[i]);
            continue;
        }
        unsigned long long addr, size;
        char type, sym[256];
        if (sscanf(lines[i], "%llx %llx %c %255s", &addr, &size, &type, sym) != 4)
            continue;
        json_t *row = fx_row_raw(rows, sym);
        cr_assert(row, "%s: no row for %s (member %s)", name, sym, member);
        cr_assert_str_eq(fx_str(row, "member"), member, "%s: %s is in %s, heft says %s", name, sym, member,
                         fx_str(row, "member"));
        cr_assert_str_eq(fx_str(row, "crate"), "[C]");
        int64_t got = type == 'b' || type == 'B' ? jint(row, "vm_size") : jint(row, "file_size");
        cr_assert_eq(got, (int64_t)size, "%s: %s(%s) is %llu bytes per nm -S, heft says %lld", name, member, sym, size,
                     (long long)got);
        checked++;
    }
    /* one_table one_data one_bss one_sum one_fill two_buf two_name two_helper
     * two_switch two_store long_counter long_step */
    cr_assert_eq(checked, 12, "%s: %zu symbols checked", name, checked);
    free(lines);
    run_free(&r);
    json_decref(j);
}

Test(archive_symbols, c_vs_nm) { symbols_vs_nm("archive-c.a"); }
Test(archive_symbols, c_function_sections_vs_nm) { symbols_vs_nm("archive-c-fs.a"); }

/* Data of sizes known from the source (tests/fixtures/archive/ar_one.c). */
Test(archive_symbols, known_sizes)
{
    json_t *j = heft_json("symbols -n 0 '%s'", fx_need("archive-c.a"));
    json_t *rows = json_object_get(j, "rows");
    struct {
        const char *raw, *member, *section;
        int64_t file, vm;
    } want[] = {
        {"one_table", "ar_one.o", ".rodata", 300, 300},
        {"one_data", "ar_one.o", ".data", 100, 100},
        {"one_bss", "ar_one.o", ".bss", 0, 200},
        {"two_buf", "ar_two.o", ".bss", 0, 1000},
        {"two_name", "ar_two.o", ".rodata", 40, 40},
        {"long_counter", "a_member_with_a_long_name.o", ".data", 8, 8},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        json_t *row = fx_row_raw(rows, want[i].raw);
        cr_assert(row, "no row for %s", want[i].raw);
        cr_assert_str_eq(fx_str(row, "member"), want[i].member);
        cr_assert_str_eq(fx_str(row, "section"), want[i].section);
        cr_assert_eq(jint(row, "file_size"), want[i].file, "%s file_size", want[i].raw);
        cr_assert_eq(jint(row, "vm_size"), want[i].vm, "%s vm_size", want[i].raw);
    }
    /* The archive's own leaves belong to no member. */
    json_t *hdr = row_named(rows, "[ar headers]");
    cr_assert(hdr);
    cr_assert(json_is_null(json_object_get(hdr, "member")));
    json_decref(j);
}

/* The table names the member of every symbol. */
Test(archive_symbols, table_has_member_column)
{
    Run r = run_heft("symbols -w -n 0 --filter '^two_switch$' '%s'", fx_need("archive-c.a"));
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "  Member    Name\n"), "no Member column:\n%s", r.out);
    cr_assert(strstr(r.out, "  ar_two.o  two_switch\n"), "no member on the row:\n%s", r.out);
    run_free(&r);
}

/* -ffunction-sections: the sections view folds .text.* into .text, and
 * --section .text takes the whole group. */
Test(archive_sections, function_sections_folded)
{
    const char *path = fx_need("archive-c-fs.a");
    json_t *j = heft_json("sections -n 0 '%s'", path);
    json_t *rows = json_object_get(j, "rows");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *nm = fx_str(row, "name");
        cr_assert(strncmp(nm, ".text.", 6) != 0 && strncmp(nm, ".rela.text.", 11) != 0 &&
                      strncmp(nm, ".rodata.", 8) != 0 && strncmp(nm, ".data.", 6) != 0,
                  "section %s is not folded", nm);
    }
    /* .text: every .text* section of every member, per size -A. */
    Run r = run_cmd("size -A '%s' | awk '$1 == \".text\" || $1 ~ /^\\.text\\./ { s += $2 } END { print s }'", path);
    cr_assert_eq(r.status, 0);
    int64_t want = atoll(r.out);
    run_free(&r);
    cr_assert_gt(want, 0);
    json_t *text = row_named(rows, ".text");
    cr_assert(text);
    cr_assert_eq(jint(text, "vm_size"), want, ".text is %lld, size -A says %lld", (long long)jint(text, "vm_size"),
                 (long long)want);
    cr_assert_eq(jint(text, "file_size"), want);
    json_decref(j);

    json_t *s = heft_json("symbols -n 0 --section .text '%s'", path);
    FxSum sum = fx_rows_sum(s);
    cr_assert_eq(sum.vm_size, (uint64_t)want, "--section .text adds up to %llu, not %lld",
                 (unsigned long long)sum.vm_size, (long long)want);
    json_decref(s);
}

/* Members that are not ELF: one leaf each, with a note, never an error. */
Test(archive_members, non_elf_members)
{
    const char *path = fx_need("archive-mixed.a");
    json_t *j = heft_json("members -n 0 '%s'", path);
    json_t *rows = json_object_get(j, "rows");
    json_t *bc = row_named(rows, "bitcode.o"), *txt = row_named(rows, "notes.txt");
    cr_assert(bc && txt);
    cr_assert_str_eq(fx_str(bc, "kind"), "other");
    cr_assert(strstr(fx_str(bc, "note"), "LLVM bitcode"), "note: %s", fx_str(bc, "note"));
    cr_assert_eq(jint(bc, "file_size"), (int64_t)file_size_of(fixture("archive-obj/bitcode.o")));
    cr_assert_eq(jint(bc, "vm_size"), 0);
    cr_assert_str_eq(fx_str(txt, "kind"), "other");
    cr_assert_eq(jint(txt, "file_size"), 71);
    /* 71 bytes: one byte of padding follows. */
    cr_assert_eq(jint(row_named(rows, "[ar padding]"), "file_size"), 1);
    json_decref(j);
    json_t *s = heft_json("symbols -n 0 '%s'", path);
    json_t *leaf = row_named(json_object_get(s, "rows"), "[member bitcode.o]");
    cr_assert(leaf);
    cr_assert_str_eq(fx_str(leaf, "kind"), "member");
    cr_assert_str_eq(fx_str(leaf, "member"), "bitcode.o");
    json_decref(s);
    Run r = run_heft("members '%s'", path);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "notes.txt (not an ELF object"), "%s", r.out);
    run_free(&r);
}

/* One line, exit 2: for a thin archive and for the members view of a lone
 * object. */
static void rejected(const char *args, const char *path, const char *why)
{
    Run r = run_heft("%s '%s'", args, path);
    cr_assert_eq(r.status, 2, "heft %s %s: status %d", args, path, r.status);
    char *prefix;
    cr_assert(asprintf(&prefix, "heft: %s: ", path) >= 0);
    cr_assert(strncmp(r.err, prefix, strlen(prefix)) == 0, "stderr: %s", r.err);
    cr_assert(strstr(r.err, why), "stderr: %s", r.err);
    cr_assert(strchr(r.err, '\n') == r.err + r.err_len - 1, "more than one line: %s", r.err);
    cr_assert_eq(r.out_len, 0);
    free(prefix);
    run_free(&r);
}

Test(archive_errors, thin_archive) { rejected("", fx_need("archive-thin.a"), "thin archive"); }
Test(archive_errors, members_of_an_object) { rejected("members", fx_need("c-sizes.o"), "not an ar archive"); }

/* The summary says what the archive is, and lists its largest members. */
Test(archive_summary, header_line)
{
    Run r = run_heft("'%s'", fx_need("archive-mixed.a"));
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "ar archive, 1 ELF object, 2 other members, ELF64 little-endian relocatable objects, x86-64"),
              "%s", r.out);
    const char *mem = strstr(r.out, "\nLargest members\n");
    cr_assert(mem, "no members list:\n%s", r.out);
    cr_assert(strstr(mem, "  bitcode.o (LLVM bitcode") && strstr(mem, "  ar_one.o\n"), "%s", mem);
    run_free(&r);
}

/* A Rust staticlib: the crate's own functions under its name, in its own
 * member (tests/fixtures/archive/rust/src/lib.rs); std's code under std. */
Test(archive_rust, staticlib_crates, .timeout = 120)
{
    const char *path = fx_need("archive-rust.a");
    json_t *j = heft_json("symbols -n 0 --crate heftstatic '%s'", path);
    json_t *rows = json_object_get(j, "rows");
    /* Mangled, and #[no_mangle] ones, which only their member tells apart
     * from C. */
    static const char *const fns[] = {"heftstatic::checksum", "heftstatic::word_counts",
                                      "heftstatic::Summary::render", "heft_checksum", "heft_count_words"};
    cr_assert_eq(json_array_size(rows), 5, "the crate's rows: exactly its five functions");
    for (size_t i = 0; i < 5; i++) {
        json_t *row = row_named(rows, fns[i]);
        cr_assert(row, "no row for %s", fns[i]);
        cr_assert_str_eq(fx_str(row, "kind"), "symbol");
        cr_assert_gt(jint(row, "file_size"), 0);
        cr_assert_eq(jint(row, "file_size"), jint(row, "symbol_size"), "%s: st_size", fns[i]);
        const char *m = fx_str(row, "member");
        cr_assert(strncmp(m, "heftstatic-", 11) == 0 && strstr(m, ".rcgu.o"), "%s in member %s", fns[i], m);
    }

    json_t *c = heft_json("crates -n 0 '%s'", path);
    json_t *crows = json_object_get(c, "rows");
    json_t *std = row_named(crows, "std"), *own = row_named(crows, "heftstatic");
    cr_assert(std && own);
    cr_assert_gt(jint(std, "vm_size"), 100 * 1024, "std's code is there");
    cr_assert_gt(jint(own, "vm_size"), 0);
    cr_assert_lt(jint(own, "vm_size"), jint(std, "vm_size"));
    json_decref(c);

    /* Members: the crate's codegen unit holds at least those functions' text. */
    json_t *m = heft_json("members -n 0 '%s'", path);
    json_t *unit = row_named(json_object_get(m, "rows"), fx_str(row_named(rows, fns[0]), "member"));
    cr_assert(unit);
    int64_t fn_bytes = 0;
    for (size_t i = 0; i < 3; i++)
        fn_bytes += jint(row_named(rows, fns[i]), "vm_size");
    cr_assert_geq(jint(unit, "text"), fn_bytes);
    json_decref(m);
    json_decref(j);
}

/* compiler_builtins' unmangled functions (__adddf3, fmaf128, …: which ones
 * depends on the toolchain, so readelf picks one defined in exactly one
 * member, a compiler_builtins one) are std's, or their own crate's with
 * --split-std: their member says which crate they are. */
Test(archive_rust, unmangled_std_functions_by_member, .timeout = 120)
{
    const char *path = fx_need("archive-rust.a");
    Run pick = run_cmd("readelf -sW '%s' 2>/dev/null | awk '/^File: /{m=$2} $4==\"FUNC\" && ($5==\"GLOBAL\" || "
                       "$5==\"WEAK\") && $7!=\"UND\" && $8 ~ /^[a-z_][a-z0-9_]*$/ {n[$8]++; mm[$8]=m} "
                       "END {for (k in n) if (n[k]==1 && mm[k] ~ /[(]compiler_builtins-/) print k}' | sort | head -1",
                       path);
    pick.out[strcspn(pick.out, "\n")] = '\0';
    cr_assert(pick.status == 0 && pick.out[0], "no plain function in a compiler_builtins member: %s", pick.err);
    const char *crate[] = {"std", "compiler_builtins"};
    for (int split = 0; split < 2; split++) {
        json_t *j = heft_json("symbols -n 0 %s --filter '^%s$' '%s'", split ? "--split-std" : "", pick.out, path);
        json_t *rows = json_object_get(j, "rows");
        cr_assert_eq(json_array_size(rows), 1, "%s", pick.out);
        json_t *row = json_array_get(rows, 0);
        cr_assert_str_eq(fx_str(row, "lang"), "c");
        cr_assert_str_eq(fx_str(row, "crate"), crate[split]);
        cr_assert(strncmp(fx_str(row, "member"), "compiler_builtins-", 18) == 0, "%s", fx_str(row, "member"));
        json_decref(j);
    }
    run_free(&pick);
}

/* A big real archive: the installed Rust toolchain's libstd rlib (11-24 MB:
 * the std object, its embedded bitcode and debug info, and lib.rmeta). */
Test(archive_big, libstd_rlib, .timeout = 300)
{
    char *p = fx_toolchain_file("std_rlib");
    adds_up(p, UINT64_MAX);
    json_t *j = heft_json("members -n 0 '%s'", p);
    json_t *meta = row_named(json_object_get(j, "rows"), "lib.rmeta");
    cr_assert(meta, "%s: no lib.rmeta member", p);
    cr_assert(strstr(fx_str(meta, "note"), "Rust crate metadata"));
    json_decref(j);
    free(p);
}

/* BSD names ("#1/N": the name is the first N bytes of the member's data), as
 * macOS's ar writes them: the name's bytes count with the header. */
Test(archive_members, bsd_long_name)
{
    const char *obj = fx_need("archive-obj/ar_one.o");
    uint64_t osize = file_size_of(obj);
    const char name[] = "a_bsd_style_long_member_name.o"; /* 30 bytes */
    char path[] = "/tmp/heft-archive-bsd-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    char hdr[61];
    snprintf(hdr, sizeof hdr, "%-16s%-12s%-6s%-6s%-8s%-10llu`\n", "#1/30", "0", "0", "0", "644",
             (unsigned long long)(osize + 30));
    fputs("!<arch>\n", f);
    fwrite(hdr, 1, 60, f);
    fwrite(name, 1, 30, f);
    FILE *o = fopen(obj, "rb");
    cr_assert(o);
    int ch;
    while ((ch = fgetc(o)) != EOF)
        fputc(ch, f);
    fclose(o);
    if ((osize + 30) & 1)
        fputc('\n', f);
    fclose(f);
    adds_up(path, size_total(obj));
    json_t *j = heft_json("members -n 0 '%s'", path);
    json_t *rows = json_object_get(j, "rows");
    json_t *m = row_named(rows, name);
    cr_assert(m, "no member %s", name);
    cr_assert_eq(jint(m, "size"), (int64_t)osize);
    cr_assert_eq(jint(m, "offset"), 8 + 60 + 30);
    cr_assert_eq(jint(row_named(rows, "[ar headers]"), "file_size"), 90);
    json_decref(j);
    unlink(path);
}

/* glibc's libc.a (libc6-dev, which gcc needs): 2000-odd small members. */
Test(archive_big, glibc_libc_a, .timeout = 300)
{
    const char *p = "/usr/lib/x86_64-linux-gnu/libc.a";
    cr_assert(file_size_of(p) > 1000000, "%s is missing (libc6-dev)", p);
    adds_up(p, UINT64_MAX);
    Run r = run_cmd("ar t '%s' | wc -l", p);
    cr_assert_eq(r.status, 0);
    size_t members = (size_t)atol(r.out);
    run_free(&r);
    json_t *j = heft_json("members -n 0 '%s'", p);
    size_t i, elf = 0;
    json_t *row;
    json_array_foreach(json_object_get(j, "rows"), i, row) elf += strcmp(fx_str(row, "kind"), "elf") == 0;
    cr_assert_eq(elf, members, "ar t lists %zu members, heft %zu ELF members", members, elf);
    json_decref(j);
}
