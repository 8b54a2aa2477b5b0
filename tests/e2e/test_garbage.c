/* test_garbage.c — heft garbage and heft retained against the linker: a
 * program built with -ffunction-sections -fdata-sections, linked with and
 * without --gc-sections; what the linker removes is what heft calls garbage.
 * On the C fixture exactly; on heft's own sources (a real program of 50
 * files and six libraries) with the one difference of granularity: heft
 * names single functions of libiberty.a, whose objects were not built with
 * -ffunction-sections, so the linker cannot drop them apart from the ones
 * used next to them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_util.h"
#include "harness.h"

/* Lines of a command's output, sorted and each once, as one string. */
static char *lines(const char *cmd)
{
    Run r = run_cmd("%s | LC_ALL=C sort -u", cmd);
    cr_assert_eq(r.status, 0, "%s: %s", cmd, r.err);
    char *s = strdup(r.out);
    run_free(&r);
    return s;
}

/* Symbols of off (with a size) that on lacks: what the linker removed (nm
 * is the given one: the target's own for a cross build). */
static char *removed_by(const char *nm, const char *off, const char *on)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s -S '%s' | awk 'NF == 4 && $2 !~ /^0+$/ { print $4 }' | LC_ALL=C sort -u > \"$T.off\" && "
             "%s '%s' | awk '{ print $NF }' | LC_ALL=C sort -u > \"$T.on\" && LC_ALL=C comm -23 \"$T.off\" \"$T.on\"; "
             "rm -f \"$T.off\" \"$T.on\"",
             nm, off, nm, on);
    char full[1200];
    snprintf(full, sizeof full, "T=$(mktemp) && %s && rm -f \"$T\"", cmd);
    return lines(full);
}

static char *removed(const char *off, const char *on)
{
    return removed_by("nm", off, on);
}

/* heft garbage's symbol names, sorted. */
static char *garbage(const char *file)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "'%s' garbage -n 0 --format tsv '%s' | awk -F'\\t' 'NR > 1 && $NF !~ /^\\[/ { print $NF }'", heft_bin(),
             file);
    return lines(cmd);
}

/* Whether text (lines, each ending in a newline) has the line name. */
static bool has_line(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = text; (p = strstr(p, name)); p++)
        if ((p == text || p[-1] == '\n') && p[n] == '\n')
            return true;
    return false;
}

/* heft garbage on off lists exactly what the linker removed to make on. */
static void exactly_what_the_linker_removes(const char *nm, const char *off, const char *on)
{
    char *want = removed_by(nm, fx_need(off), fx_need(on));
    char *got = garbage(fx_need(off));
    cr_assert(has_line(want, "unused_fn"), "the linker kept unused_fn: %s", want);
    cr_assert_str_eq(got, want, "heft garbage:\n%s\nthe linker removed:\n%s", got, want);
    free(want);
    free(got);
}

Test(garbage, c_is_what_the_linker_removes) { exactly_what_the_linker_removes("nm", "c-why-gc-off", "c-why-gc-on"); }

Test(garbage, aarch64_is_what_the_linker_removes)
{
    exactly_what_the_linker_removes("aarch64-linux-gnu-nm", "c-why-a64-gc-off", "c-why-a64-gc-on");
}

/* 32-bit Arm, position-independent: calls by BL, the table's address from
 * a literal added to the PC, main's from a GOT slot _start reads. */
Test(garbage, arm_thumb_is_what_the_linker_removes)
{
    exactly_what_the_linker_removes("arm-linux-gnueabihf-nm", "c-why-arm-gc-off", "c-why-arm-gc-on");
}

Test(garbage, arm_a32_is_what_the_linker_removes)
{
    exactly_what_the_linker_removes("arm-linux-gnueabihf-nm", "c-why-a32-gc-off", "c-why-a32-gc-on");
}

/* Whether the sorted addrs[0..n) hold a. */
static bool has_addr(const uint64_t *addrs, size_t n, uint64_t a)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (addrs[mid] < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && addrs[lo] == a;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Each line of text that holds two hexadecimal numbers, as pairs. */
static size_t hex_pairs(const char *text, uint64_t (**out)[2])
{
    size_t n = 0, cap = 64;
    uint64_t(*p)[2] = malloc(cap * sizeof *p);
    for (const char *l = text; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
        unsigned long long a, b;
        if (sscanf(l, "%llx %llx", &a, &b) != 2)
            continue;
        if (n == cap)
            p = realloc(p, (cap *= 2) * sizeof *p);
        p[n][0] = a, p[n][1] = b;
        n++;
    }
    *out = p;
    return n;
}

/* 32-bit Arm linked -static against Debian's libc.a: loaded at a fixed
 * address, so no relocation records a pointer (heft reads the words of its
 * data), and its library code was built position-independent (literals
 * added to the PC or the GOT's address). Three checks against binutils:
 * every symbol the linker removes is garbage to heft (by address: a removed
 * name whose bytes a kept alias shares is not removed); what else heft calls
 * garbage is defined in libc.a, libgcc.a or libgcc_eh.a, whose objects were
 * not built with -ffunction-sections, so that the linker keeps each whole;
 * and no function objdump shows branching to a garbage function is itself
 * kept by heft. */
Test(garbage, arm_static_libc_is_what_the_linker_removes_and_libraries)
{
    const char *off = fx_need("c-why-arm-static-gc-off"), *on = fx_need("c-why-arm-static-gc-on");
    Run removed = run_cmd(
        "T=$(mktemp) && arm-linux-gnueabihf-nm '%s' | awk '{ print $NF }' | LC_ALL=C sort -u > \"$T\" && "
        "arm-linux-gnueabihf-nm -S '%s' | awk 'NF == 4 { print $4, $1, $2 }' | LC_ALL=C sort -k1,1 | "
        "LC_ALL=C join -a 1 -o 1.1,1.2,1.3,2.1 -e - - \"$T\" | "
        "awk '{ if ($4 == \"-\") { if ($3 !~ /^0+$/) rm[$2] = 1 } else kept[$2] = 1 } "
        "END { for (a in rm) if (!(a in kept)) print a, a }'; rm -f \"$T\"",
        on, off);
    cr_assert_eq(removed.status, 0, "%s", removed.err);
    Run calls = run_cmd("arm-linux-gnueabihf-objdump -d --no-show-raw-insn '%s' | awk -F'\\t' "
                        "'/^[0-9a-f]+ <[^>]+>:$/ { f = $1; sub(/ .*/, \"\", f); next } "
                        "$2 ~ /^b/ && $3 ~ /^[0-9a-f]+ <[^>+]+>$/ { split($3, o, \" \"); print f, o[1] }'",
                        off);
    cr_assert_eq(calls.status, 0, "%s", calls.err);
    Run lib = run_cmd("arm-linux-gnueabihf-nm --defined-only \"$(arm-linux-gnueabihf-gcc -print-file-name=libc.a)\" "
                      "\"$(arm-linux-gnueabihf-gcc -print-libgcc-file-name)\" "
                      "\"$(arm-linux-gnueabihf-gcc -print-file-name=libgcc_eh.a)\" 2>/dev/null | "
                      "awk 'NF == 3 { print $3 }' | LC_ALL=C sort -u");
    json_t *j = heft_json("garbage -n 0 '%s'", off), *rows = json_object_get(j, "rows");
    uint64_t *garbage = malloc((json_array_size(rows) + 1) * sizeof *garbage);
    size_t ng = 0, extra = 0;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        if (strcmp(fx_str(r, "kind"), "symbol") != 0)
            continue;
        garbage[ng++] = (uint64_t)jint(r, "address");
    }
    qsort(garbage, ng, sizeof *garbage, cmp_u64);

    uint64_t(*rm)[2], (*call)[2];
    size_t nrm = hex_pairs(removed.out, &rm), ncall = hex_pairs(calls.out, &call);
    cr_assert_geq(nrm, 20, "the linker removed only %zu symbols", nrm);
    for (size_t i = 0; i < nrm; i++)
        cr_assert(has_addr(garbage, ng, rm[i][0]), "the linker removed the symbol at %#llx, heft keeps it",
                  (unsigned long long)rm[i][0]);
    uint64_t *rma = malloc((nrm + 1) * sizeof *rma);
    for (size_t i = 0; i < nrm; i++)
        rma[i] = rm[i][0];
    qsort(rma, nrm, sizeof *rma, cmp_u64);
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        if (strcmp(fx_str(r, "kind"), "symbol") != 0 || has_addr(rma, nrm, (uint64_t)jint(r, "address")))
            continue;
        bool in_lib = has_line(lib.out, fx_str(r, "raw"));
        json_t *alias;
        size_t k;
        json_array_foreach(json_object_get(r, "aliases"), k, alias) in_lib |= has_line(lib.out, json_string_value(alias));
        cr_assert(in_lib, "heft garbage lists %s, which the linker kept and the libraries do not define",
                  fx_str(r, "raw"));
        extra++;
    }
    cr_assert_geq(ncall, 1000, "objdump shows only %zu branches", ncall);
    for (size_t i = 0; i < ncall; i++)
        cr_assert(has_addr(garbage, ng, call[i][0]) || !has_addr(garbage, ng, call[i][1]),
                  "the function at %#llx branches to %#llx: heft keeps the one, calls the other garbage",
                  (unsigned long long)call[i][0], (unsigned long long)call[i][1]);
    cr_log_info("arm static: %zu removed by the linker, %zu more in the libraries' objects, %zu branches", nrm, extra,
                ncall);
    free(rma);
    free(rm);
    free(call);
    free(garbage);
    json_decref(j);
    run_free(&removed);
    run_free(&calls);
    run_free(&lib);
}

Test(garbage, real_program_is_what_the_linker_removes_and_libiberty)
{
    char *want = removed(fx_need("heft-gc-off"), fx_need("heft-gc-on"));
    char *got = garbage(fx_need("heft-gc-off"));
    Run lib = run_cmd("nm --defined-only \"$(gcc -print-file-name=libiberty.a)\" | awk 'NF == 3 { print $3 }' | "
                      "LC_ALL=C sort -u");
    size_t nwant = 0;
    for (char *p = want, *nl; (nl = strchr(p, '\n')); p = nl + 1, nwant++) {
        *nl = '\0';
        cr_assert(has_line(got, p), "the linker removed %s, heft garbage does not list it", p);
        *nl = '\n';
    }
    cr_assert_geq(nwant, 3, "the linker removed only %zu symbols: %s", nwant, want);
    for (char *p = got, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
        *nl = '\0';
        cr_assert(has_line(want, p) || has_line(lib.out, p),
                  "heft garbage lists %s, which the linker kept and libiberty.a does not define", p);
        *nl = '\n';
    }
    run_free(&lib);
    free(want);
    free(got);
}

/* top_a dominates mid_b (nothing else calls it) but not leaf_c, which the
 * table also reaches: its retained size is its own and mid_b's, per nm,
 * with what each owns (its unwind record and search-table entry: the
 * symbols view's Owned, which test_owners.c checks against readelf). */
Test(retained, c_dominator_subtree)
{
    const char *f = fx_need("c-why");
    Run a = run_cmd("nm -S '%s' | awk '$4 == \"top_a\" { print $2 }'", f);
    Run b = run_cmd("nm -S '%s' | awk '$4 == \"mid_b\" { print $2 }'", f);
    json_t *sym = heft_json("symbols -n 0 '%s'", f);
    json_t *ta = fx_row_raw(json_object_get(sym, "rows"), "top_a"), *mb = fx_row_raw(json_object_get(sym, "rows"), "mid_b");
    cr_assert(ta && mb && jint(ta, "owned") > 0 && jint(mb, "owned") > 0, "top_a and mid_b own their FDEs");
    long want = strtol(a.out, NULL, 16) + strtol(b.out, NULL, 16) + (long)jint(ta, "owned") + (long)jint(mb, "owned");
    json_decref(sym);
    run_free(&a);
    run_free(&b);
    cr_assert_gt(want, 0);
    json_t *j = heft_json("retained -n 0 '%s'", f);
    json_t *rows = json_object_get(j, "rows");
    bool seen = false;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        if (strcmp(json_string_value(json_object_get(r, "name")), "top_a") == 0) {
            cr_assert_eq(jint(r, "retained"), want, "top_a retains %lld B, nm says top_a + mid_b = %ld B",
                         (long long)jint(r, "retained"), want);
            seen = true;
        }
        if (strcmp(json_string_value(json_object_get(r, "name")), "leaf_c") == 0)
            cr_assert_eq(jint(r, "retained"), jint(r, "own"), "leaf_c dominates nothing");
    }
    cr_assert(seen, "no row for top_a");
    json_decref(j);
}

/* Per crate, on the realistic workspace: a crate's saving is at least its own
 * reached bytes, and regex's includes regex_syntax's and aho_corasick's,
 * which only regex uses. */
Test(retained, realworld_crates)
{
    json_t *j = heft_json("retained --crates -n 0 '%s'", fx_need("realworld-release"));
    json_t *rows = json_object_get(j, "rows");
    int64_t regex = -1, syntax = -1, aho = -1;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        const char *name = json_string_value(json_object_get(r, "name"));
        cr_assert_geq(jint(r, "saving"), jint(r, "own"), "%s saves less than its own bytes", name);
        if (strcmp(name, "regex") == 0)
            regex = jint(r, "saving");
        if (strcmp(name, "regex_syntax") == 0)
            syntax = jint(r, "own");
        if (strcmp(name, "aho_corasick") == 0)
            aho = jint(r, "own");
    }
    cr_assert(regex > 0 && syntax > 0 && aho > 0, "rows for regex, regex_syntax and aho_corasick");
    cr_assert_geq(regex, syntax + aho, "regex's saving %lld < regex_syntax %lld + aho_corasick %lld", (long long)regex,
                  (long long)syntax, (long long)aho);
    json_decref(j);
}

/* The figure against a second build: the workspace built without
 * its default feature "regex" (logcore then parses by hand) loads fewer
 * bytes; heft retained --crates on the build with it says what removing
 * regex would save. The two agree within 15% (the hand-written parser and
 * the segments' page alignment differ between the builds too). */
Test(retained, realworld_saving_is_the_second_build)
{
    const char *with = fx_need("realworld-release"), *without = fx_need("realworld-release-noregex");
    FxElf a, b;
    fx_elf_read(&a, with, NULL, false);
    fx_elf_read(&b, without, NULL, false);
    int64_t real = (int64_t)fx_vm_size(&a) - (int64_t)fx_vm_size(&b);
    fx_elf_free(&a);
    fx_elf_free(&b);
    Run nm = run_cmd("nm '%s' | grep -c regex", without);
    cr_assert_eq(atoi(nm.out), 0, "the build without the feature still has regex symbols");
    run_free(&nm);
    json_t *j = heft_json("retained --crates -n 0 '%s'", with);
    json_t *rows = json_object_get(j, "rows");
    int64_t saving = -1;
    for (size_t i = 0; i < json_array_size(rows); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(rows, i), "name")), "regex") == 0)
            saving = jint(json_array_get(rows, i), "saving");
    cr_assert_gt(real, 100000, "the feature brings only %lld B", (long long)real);
    int64_t d = saving > real ? saving - real : real - saving;
    cr_assert_leq(d * 100, real * 15, "heft says removing regex saves %lld B; the build without it loads %lld B less",
                  (long long)saving, (long long)real);
    json_decref(j);
}

/* The unwinder calls the personality routine .eh_frame's CIEs name (Rust:
 * "zPLR", 0x9b: indirect, pc-relative, through DW.ref.rust_eh_personality,
 * a word a RELATIVE relocation fills): a root, never garbage. */
Test(garbage, personality_routine_is_a_root)
{
    const char *f = fx_need("realworld-release");
    Run cie = run_cmd("readelf --debug-dump=frames '%s' 2>/dev/null | grep -A5 'Augmentation: *\"zPLR\"' | "
                      "grep -c 'Augmentation data: *9b '",
                      f);
    cr_assert_gt(atoi(cie.out), 0, "readelf: no zPLR CIE with an indirect pc-relative personality");
    run_free(&cie);
    Run ref = run_cmd("r=$(nm '%s' | awk '$3 == \"DW.ref.rust_eh_personality\" { print $1 }' | sed 's/^0*//'); "
                      "p=$(nm '%s' | awk '$3 == \"rust_eh_personality\" { print $1 }' | sed 's/^0*//'); "
                      "readelf -rW '%s' | grep -c \"^0*$r .*R_X86_64_RELATIVE *$p$\"",
                      f, f, f);
    cr_assert_eq(atoi(ref.out), 1, "readelf -r: DW.ref.rust_eh_personality does not point to rust_eh_personality");
    run_free(&ref);
    json_t *j = heft_json("why '%s' rust_eh_personality", f);
    json_t *s = json_array_get(json_object_get(j, "symbols"), 0);
    cr_assert(json_is_true(json_object_get(s, "root")), "rust_eh_personality is no root");
    json_decref(j);
    char *got = garbage(f);
    cr_assert(!has_line(got, "rust_eh_personality"), "heft garbage lists rust_eh_personality");
    cr_assert(!has_line(got, "DW.ref.rust_eh_personality"), "heft garbage lists the word .eh_frame names");
    free(got);
}
