/* test_owners.c — the bytes a symbol owns outside itself (owners.h) against
 * binutils: each FDE of `readelf --debug-dump=frames` and its 8-byte entry
 * in .eh_frame_hdr go to the symbol holding the FDE's start address, each
 * relocation of `readelf -rW` to the symbol holding the word it patches
 * (else to the one it points to), and gaps between symbols that pad to an
 * alignment to [padding]; symbols from `readelf -sW`. Checked per symbol on
 * the C fixture, per table on the Rust workspace and the toolchain's cargo,
 * and the rows still add up to the file on every machine of the fixtures. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_util.h"
#include "harness.h"

/* ---- the reference, from readelf ---- */

typedef struct Iv {
    uint64_t start, end;
    const char *name; /* the symbol's raw name */
} Iv;

static int cmp_iv(const void *a, const void *b)
{
    const Iv *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The sized symbols heft makes leaves of in loaded sections (not TLS:
 * those values are offsets), by address, with the largest end so far. A
 * FUNC without a size runs to the next symbol of its section, or its end,
 * as heft reads it (account.h). */
typedef struct Cover {
    Iv *iv;
    uint64_t *maxend;
    size_t n;
} Cover;

static Cover cover_of(const FxElf *e)
{
    Cover c = {calloc(e->nsyms + 1, sizeof(Iv)), calloc(e->nsyms + 1, sizeof(uint64_t)), 0};
    for (size_t i = 0; i < e->nsyms; i++) {
        const FxSym *s = &e->syms[i];
        const FxSection *sec = fx_section_by_index(e, s->ndx);
        if (!sec || !strchr(sec->flags, 'A') || strcmp(s->type, "TLS") == 0)
            continue;
        uint64_t end = s->value + s->size;
        if (!s->size && strcmp(s->type, "FUNC") == 0) {
            end = sec->addr + sec->size;
            for (size_t k = 0; k < e->nsyms; k++) {
                const FxSym *t = &e->syms[k];
                if (strcmp(t->ndx, s->ndx) == 0 && strcmp(t->type, "FILE") != 0 && strcmp(t->type, "SECTION") != 0 &&
                    t->value > s->value && t->value < end)
                    end = t->value;
            }
        } else if (!fx_sym_sized(s)) {
            continue;
        }
        if (end > s->value)
            c.iv[c.n++] = (Iv){s->value, end, s->name};
    }
    qsort(c.iv, c.n, sizeof *c.iv, cmp_iv);
    for (size_t i = 0; i < c.n; i++)
        c.maxend[i] = i && c.maxend[i - 1] > c.iv[i].end ? c.maxend[i - 1] : c.iv[i].end;
    return c;
}

/* The symbol (its first by address) holding x, or NULL. */
static const Iv *holder(const Cover *c, uint64_t x)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->iv[mid].start <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo || c->maxend[lo - 1] <= x)
        return NULL;
    size_t k = lo - 1;
    while (k && c->maxend[k - 1] > x) /* an earlier, longer one may hold it too */
        k--;
    for (; k < lo; k++)
        if (c->iv[k].start <= x && x < c->iv[k].end)
            return &c->iv[k];
    return NULL;
}

/* Bytes that the reference gives each symbol, and what moves per table. */
typedef struct Truth {
    Cover cover;
    uint64_t *owned;            /* per cover.iv */
    uint64_t eh, hdr, relocs;   /* bytes moved from .eh_frame, .eh_frame_hdr, the relocation tables */
    uint64_t fdes, owned_fdes;  /* FDEs in .eh_frame, those with an owner */
    uint64_t padding;           /* gaps in code sections that pad */
    char rel_tables[4][32];     /* relocation tables seen, and what moved from each */
    uint64_t rel_moved[4];
    size_t nrel;
} Truth;

static void give(Truth *t, const Iv *h, uint64_t n)
{
    t->owned[h - t->cover.iv] += n;
}

static void read_fdes(Truth *t, const char *path)
{
    Run r = run_cmd("readelf --debug-dump=frames '%s'", path);
    cr_assert_eq(r.status, 0, "readelf --debug-dump=frames %s: %s", path, r.err);
    bool in_eh = false;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "Contents of the ", 16) == 0)
            in_eh = strncmp(line + 16, ".eh_frame section", 17) == 0;
        unsigned long long off, len, id, cie, pc;
        if (in_eh && sscanf(line, "%llx %llx %llx FDE cie=%llx pc=%llx", &off, &len, &id, &cie, &pc) == 5) {
            t->fdes++;
            const Iv *h = holder(&t->cover, pc);
            if (!h)
                continue;
            t->owned_fdes++;
            give(t, h, len + 4 + 8); /* the record with its length, and its search-table entry */
            t->eh += len + 4;
            t->hdr += 8;
        }
    }
    run_free(&r);
}

/* x86-64's RELA tables: offset, info, type, then the symbol's value, name
 * and "+ addend", or for RELATIVE the addend alone. */
static void read_relocs(Truth *t, const char *path)
{
    Run r = run_cmd("readelf -rW '%s'", path);
    cr_assert_eq(r.status, 0, "readelf -rW %s: %s", path, r.err);
    int table = -1;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
        char name[32];
        if (sscanf(line, "Relocation section '%31[^']'", name) == 1) {
            cr_assert_lt(t->nrel, 4u, "more relocation tables than expected in %s", path);
            table = (int)t->nrel++;
            snprintf(t->rel_tables[table], sizeof t->rel_tables[table], "%s", name);
            continue;
        }
        unsigned long long at, info, value;
        char type[64];
        if (table < 0 || sscanf(line, "%llx %llx %63s", &at, &info, type) != 3)
            continue;
        uint64_t to = 0;
        const char *plus = strstr(line, " + ");
        if (strcmp(type, "R_X86_64_RELATIVE") == 0 || strcmp(type, "R_X86_64_IRELATIVE") == 0) {
            const char *last = strrchr(line, ' ');
            to = strtoull(last + 1, NULL, 16);
        } else if (sscanf(line, "%llx %llx %63s %llx", &at, &info, type, &value) == 4 && value && plus) {
            to = value + strtoull(plus + 3, NULL, 16);
        }
        const Iv *h = holder(&t->cover, at);
        if (!h && to)
            h = holder(&t->cover, to);
        if (h) {
            give(t, h, 24);
            t->relocs += 24;
            t->rel_moved[table] += 24;
        }
    }
    run_free(&r);
}

/* Gaps between symbols in each code section shorter than 64 bytes whose
 * end is aligned to more than their length. */
static void read_padding(Truth *t, const FxElf *e)
{
    for (size_t k = 0; k < e->nsecs; k++) {
        const FxSection *s = &e->secs[k];
        if (!strchr(s->flags, 'X') || !strchr(s->flags, 'A') || strcmp(s->type, "NOBITS") == 0)
            continue;
        uint64_t at = s->addr, end = s->addr + s->size;
        for (size_t i = 0; i <= t->cover.n; i++) {
            uint64_t next = i < t->cover.n ? t->cover.iv[i].start : end;
            if (i < t->cover.n && (next < s->addr || next >= end))
                continue;
            if (next > at) {
                uint64_t g = next - at;
                if (g < 64 && next && (next & (~next + 1)) > g)
                    t->padding += g;
            }
            if (i < t->cover.n && t->cover.iv[i].end > at)
                at = t->cover.iv[i].end < end ? t->cover.iv[i].end : end;
        }
    }
}

static Truth truth(const char *path, FxElf *e)
{
    Truth t = {0};
    fx_elf_read(e, path, ".symtab", false);
    t.cover = cover_of(e);
    t.owned = calloc(t.cover.n + 1, sizeof *t.owned);
    read_fdes(&t, path);
    read_relocs(&t, path);
    read_padding(&t, e);
    return t;
}

static void truth_free(Truth *t, FxElf *e)
{
    free(t->cover.iv);
    free(t->cover.maxend);
    free(t->owned);
    fx_elf_free(e);
}

/* ---- heft's answer ---- */

static uint64_t row_file(json_t *j, const char *name)
{
    json_t *r = row_named(json_object_get(j, "rows"), name);
    return r ? (uint64_t)jint(r, "file_size") : 0;
}

/* What moved from each table, and to [padding], as heft's symbols view
 * shows against the same view with --no-owners. */
static void tables_match(const char *path)
{
    FxElf e;
    Truth t = truth(path, &e);
    cr_assert_gt(t.owned_fdes, 0u, "%s: no FDE with an owner: not a test", path);
    json_t *with = fx_check_adds_up(path, "symbols", ""), *without = fx_check_adds_up(path, "symbols", "--no-owners");
    const FxSection *eh = fx_section_named(&e, ".eh_frame"), *hdr = fx_section_named(&e, ".eh_frame_hdr");
    cr_assert(eh && hdr, "%s: no .eh_frame or .eh_frame_hdr", path);
    cr_assert_eq(hdr->size, 12 + 8 * t.fdes, "%s: .eh_frame_hdr is not a table of 8-byte entries for %" PRIu64 " FDEs",
                 path, t.fdes);
    cr_assert_eq(row_file(without, "[section .eh_frame]"), eh->size);
    cr_assert_eq(row_file(with, "[section .eh_frame]"), eh->size - t.eh, "%s: [section .eh_frame] keeps %" PRIu64
                 " B; readelf: %" PRIu64 " of %" PRIu64 " FDEs have an owner, %" PRIu64 " B",
                 path, row_file(with, "[section .eh_frame]"), t.owned_fdes, t.fdes, t.eh);
    cr_assert_eq(row_file(with, "[section .eh_frame_hdr]"), hdr->size - t.hdr);
    for (size_t i = 0; i < t.nrel; i++) {
        char row[48];
        snprintf(row, sizeof row, "[section %s]", t.rel_tables[i]);
        const FxSection *s = fx_section_named(&e, t.rel_tables[i]);
        cr_assert_eq(row_file(with, row), s->size - t.rel_moved[i], "%s: %s keeps %" PRIu64 " B, readelf says %" PRIu64,
                     path, row, row_file(with, row), s->size - t.rel_moved[i]);
    }
    cr_assert_eq(row_file(with, "[padding]") - row_file(without, "[padding]"), t.padding,
                 "%s: heft pads %" PRIu64 " B of code, nm's gaps %" PRIu64, path,
                 row_file(with, "[padding]") - row_file(without, "[padding]"), t.padding);
    cr_assert_eq((uint64_t)jint(with, "owned_size"),
                 t.eh + t.hdr + t.relocs + t.padding +
                     (row_file(without, "[section .gcc_except_table]") - row_file(with, "[section .gcc_except_table]")));
    json_decref(with);
    json_decref(without);
    truth_free(&t, &e);
}

Test(owners, c_tables_and_padding) { tables_match(fx_need("c-why")); }

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* 32-bit Arm's unwind tables, per readelf -u: each .ARM.exidx entry (8 B)
 * goes to the symbol holding the function it names, and the .ARM.extab
 * entry it points to ("@0x…", up to the next one) with it. */
static void arm_unwind_tables(const char *path)
{
    FxElf e;
    fx_elf_read(&e, path, ".symtab", true);
    Cover cover = cover_of(&e);
    const FxSection *exidx = fx_section_named(&e, ".ARM.exidx"), *extab = fx_section_named(&e, ".ARM.extab");
    cr_assert(exidx, "%s: no .ARM.exidx", path);
    Run r = run_cmd("readelf -u '%s'", path);
    cr_assert_eq(r.status, 0, "readelf -u %s: %s", path, r.err);
    uint64_t entries = 0, moved = 0, (*tab)[2] = malloc(sizeof *tab * (exidx->size / 8 + 1));
    size_t ntab = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned long long fn, at;
        if (sscanf(line, "0x%llx <", &fn) != 1 || !strstr(line, ">: "))
            continue;
        entries++;
        const Iv *h = holder(&cover, fn);
        moved += h ? 8 : 0;
        const char *p = strstr(line, ">: @0x");
        if (p && sscanf(p + 6, "%llx", &at) == 1)
            tab[ntab][0] = at, tab[ntab++][1] = h != NULL;
    }
    cr_assert_eq(entries * 8, exidx->size, "%s: readelf -u lists %llu entries for %llu B", path,
                 (unsigned long long)entries, (unsigned long long)exidx->size);
    uint64_t tab_moved = 0, *starts = malloc(sizeof *starts * (ntab + 1));
    for (size_t i = 0; i < ntab; i++)
        starts[i] = tab[i][0];
    qsort(starts, ntab, sizeof *starts, cmp_u64);
    for (size_t i = 0; i < ntab; i++) {
        if (!tab[i][1] || (i && tab[i][0] == tab[i - 1][0]))
            continue;
        uint64_t end = extab->addr + extab->size;
        for (size_t k = 0; k < ntab; k++)
            if (starts[k] > tab[i][0] && starts[k] < end)
                end = starts[k];
        tab_moved += end - tab[i][0];
    }
    json_t *with = fx_check_adds_up(path, "symbols", ""), *without = fx_check_adds_up(path, "symbols", "--no-owners");
    cr_assert_eq(row_file(without, "[section .ARM.exidx]"), exidx->size);
    cr_assert_gt(moved, 8 * 10, "%s: only %llu B of .ARM.exidx have an owner: not a test", path,
                 (unsigned long long)moved);
    cr_assert_eq(row_file(with, "[section .ARM.exidx]"), exidx->size - moved,
                 "%s: [section .ARM.exidx] keeps %llu B; readelf -u: %llu of its %llu B name a symbol's function", path,
                 (unsigned long long)row_file(with, "[section .ARM.exidx]"), (unsigned long long)moved,
                 (unsigned long long)exidx->size);
    if (extab)
        cr_assert_eq(row_file(with, "[section .ARM.extab]"), extab->size - tab_moved,
                     "%s: [section .ARM.extab] keeps %llu B; readelf -u: %llu of %llu B are owned entries", path,
                     (unsigned long long)row_file(with, "[section .ARM.extab]"), (unsigned long long)tab_moved,
                     (unsigned long long)extab->size);
    json_decref(with);
    json_decref(without);
    free(tab);
    free(starts);
    free(cover.iv);
    free(cover.maxend);
    fx_elf_free(&e);
    run_free(&r);
}

Test(owners, arm_unwind_tables_static_libc) { arm_unwind_tables(fx_need("c-why-arm-static-gc-off")); }

Test(owners, realworld_tables_and_padding) { tables_match(fx_need("realworld-release")); }

/* The toolchain's cargo, a 42 MB Rust program of some 250 crates, when it
 * has its symbol table (rustup's). Debian strips its toolchain, and a
 * stripped file has no symbols to own anything: there, the workspace's dev
 * build (unoptimized, 4.5 MB loaded) stands in, so that the check runs on
 * every machine on a second large real program. */
static void on_cargo(void (*check)(const char *path))
{
    char *cargo = fx_toolchain_file("cargo");
    json_t *j = heft_json("sections -n 1 '%s'", cargo);
    bool stripped = strcmp(fx_str(j, "symbols_from"), "symtab") != 0;
    json_decref(j);
    check(stripped ? fx_need("realworld-dev") : cargo);
    free(cargo);
}

Test(owners, cargo_tables_and_padding) { on_cargo(tables_match); }

/* Per symbol: its Owned column is exactly its FDEs, their table entries and
 * its relocations (C has no exception tables). */
Test(owners, c_each_symbol_owns_its_records)
{
    const char *path = fx_need("c-why");
    FxElf e;
    Truth t = truth(path, &e);
    cr_assert_null(fx_section_named(&e, ".gcc_except_table"));
    json_t *j = heft_json("symbols -n 0 '%s'", path), *rows = json_object_get(j, "rows");
    size_t checked = 0;
    cr_assert_gt(t.relocs, 0u, "no relocation has an owner: the table of function pointers should");
    for (size_t i = 0; i < t.cover.n; i++) {
        json_t *row = fx_row_raw(rows, t.cover.iv[i].name);
        if (!row || fx_naliases(row) || (i + 1 < t.cover.n && t.cover.iv[i + 1].start < t.cover.iv[i].end) ||
            (i && t.cover.maxend[i - 1] > t.cover.iv[i].start))
            continue; /* aliases and overlaps: the reference would give their bytes twice */
        cr_assert_eq((uint64_t)jint(row, "owned"), t.owned[i], "%s owns %" PRId64 " B, readelf says %" PRIu64,
                     t.cover.iv[i].name, jint(row, "owned"), t.owned[i]);
        checked++;
    }
    cr_assert_geq(checked, 10u, "only %zu symbols checked", checked);
    json_decref(j);
    truth_free(&t, &e);
}

/* Every FDE of the workspace has an owner, so every LSDA an FDE names goes
 * to a function; what stays is one LSDA of 12 bytes at the table's start
 * that no FDE names (the code it was for is gone). */
Test(owners, rust_exception_tables_go_to_functions)
{
    const char *path = fx_need("realworld-release");
    json_t *with = heft_json("symbols -n 0 '%s'", path), *without = heft_json("symbols -n 0 --no-owners '%s'", path);
    cr_assert_gt(row_file(without, "[section .gcc_except_table]"), 10000u);
    cr_assert_leq(row_file(with, "[section .gcc_except_table]"), 12u,
                  "every LSDA's FDE has an owner, yet %" PRIu64 " B stay", row_file(with, "[section .gcc_except_table]"));
    json_decref(with);
    json_decref(without);
}

/* The crates view counts owned bytes with the crate, and still adds up. */
Test(owners, crates_add_up_with_owners)
{
    static const char *const files[] = {"realworld-release", "c-why", "c-why-a64-gc-off", "c-sizes-arm32",
                                        "c-sizes-ppc32be", "cxx-shapes", "monos-v0"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        const char *path = fx_need(files[i]);
        json_decref(fx_check_adds_up(path, "crates", ""));
        json_decref(fx_check_adds_up(path, "symbols", ""));
        json_decref(fx_check_adds_up(path, "summary", ""));
    }
    const char *path = fx_need("realworld-release");
    json_t *with = heft_json("crates -n 0 '%s'", path), *without = heft_json("crates -n 0 --no-owners '%s'", path);
    json_t *r1 = row_named(json_object_get(with, "rows"), "regex_syntax"),
           *r0 = row_named(json_object_get(without, "rows"), "regex_syntax");
    cr_assert(r1 && r0);
    cr_assert_gt(jint(r1, "file_size"), jint(r0, "file_size"), "regex_syntax owns no unwind record");
    json_decref(with);
    json_decref(without);
}

/* A section filter asks for bytes in that section: no owners then. */
Test(owners, section_filter_counts_the_section)
{
    const char *path = fx_need("realworld-release");
    json_t *j = heft_json("symbols -n 0 --section .eh_frame '%s'", path);
    FxElf e;
    fx_elf_read(&e, path, NULL, false);
    cr_assert_eq(row_file(j, "[section .eh_frame]"), fx_section_named(&e, ".eh_frame")->size);
    fx_elf_free(&e);
    json_decref(j);
}

/* ---- --refs: unnamed constants go to the code that refers to them ---- */

/* main is the one function of why.c that reads its format string, an
 * unnamed constant in .rodata: with --refs main owns it, from the address
 * objdump shows main loading up to the next symbol. */
Test(owners, refs_string_goes_to_its_one_reader)
{
    const char *path = fx_need("c-why");
    unsigned long long fmt = 0;
    Run t = run_cmd("objdump -d --no-show-raw-insn '%s' | awk '/<main>:/ { m = 1; next } /^$/ { m = 0 } "
                    "m && /lea/ && /<_IO_stdin_used\\+0x/ { print $(NF - 1) }'",
                    path);
    cr_assert(sscanf(t.out, "%llx", &fmt) == 1, "main loads no unnamed .rodata address: %s", t.out);
    run_free(&t);
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    uint64_t next = UINT64_MAX;
    for (size_t i = 0; i < e.nsyms; i++)
        if (e.syms[i].value > fmt && e.syms[i].value < next && fx_section_by_index(&e, e.syms[i].ndx))
            next = e.syms[i].value;
    const FxSection *ro = fx_section_named(&e, ".rodata");
    if (next > ro->addr + ro->size)
        next = ro->addr + ro->size;
    fx_elf_free(&e);
    json_t *plain = heft_json("symbols -n 0 '%s'", path), *refs = heft_json("symbols -n 0 --refs '%s'", path);
    json_t *m0 = fx_row_raw(json_object_get(plain, "rows"), "main"), *m1 = fx_row_raw(json_object_get(refs, "rows"), "main");
    cr_assert(m0 && m1);
    cr_assert_eq(jint(m1, "owned") - jint(m0, "owned"), (int64_t)(next - fmt),
                 "main gains %lld B with --refs; its string runs %llu B from %#llx", (long long)(jint(m1, "owned") - jint(m0, "owned")),
                 (unsigned long long)(next - fmt), fmt);
    json_decref(plain);
    json_decref(refs);
}

/* The figure: with --refs, [section …] rows hold under 3% of the
 * loaded image of the Rust workspace and of cargo (without: 20% and 8%),
 * and the rows still add up. */
static double section_share(const char *path, const char *opts)
{
    json_t *j = fx_check_adds_up(path, "crates", opts);
    uint64_t in_sections = 0;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(j, "rows"), i, row) {
        if (strncmp(fx_str(row, "name"), "[section ", 9) == 0)
            in_sections += (uint64_t)jint(row, "vm_size");
    }
    double share = 100.0 * (double)in_sections / (double)jint(j, "vm_size");
    json_decref(j);
    return share;
}

static void under_three_percent(const char *path)
{
    double plain = section_share(path, ""), refs = section_share(path, "--refs");
    cr_assert_gt(plain, 3.0, "%s: %.2f%% in [section …] rows even without --refs: not a test", path, plain);
    cr_assert_lt(refs, 3.0, "%s: %.2f%% of the loaded image in [section …] rows with --refs", path, refs);
    json_decref(fx_check_adds_up(path, "symbols", "--refs"));
}

Test(owners, refs_realworld_under_three_percent) { under_three_percent(fx_need("realworld-release")); }

Test(owners, refs_cargo_under_three_percent) { on_cargo(under_three_percent); }

Test(owners, refs_aarch64_adds_up)
{
    const char *path = fx_need("c-why-a64-gc-off");
    json_decref(fx_check_adds_up(path, "crates", "--refs"));
    json_decref(fx_check_adds_up(path, "symbols", "--refs"));
}

/* Files whose references heft cannot read say so with --refs. */
Test(owners, refs_refuses_archives)
{
    Run r = run_heft("crates --refs '%s'", fx_need("archive-c.a"));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "not in relocatable objects or archives"), "%s", r.err);
    run_free(&r);
}
