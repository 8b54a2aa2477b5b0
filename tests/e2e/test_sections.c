/* test_sections.c — the sections view against readelf -SW (each section's
 * bytes: file size sh_size, or 0 for NOBITS; VM size sh_size if allocated,
 * else 0; .tbss takes no room), and the segments view against readelf -lW. */
#include <criterion/criterion.h>
#include <string.h>

#include "fixture_util.h"
#include "harness.h"

static void check_sections(const char *name)
{
    const char *path = fx_need(name);
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    json_t *j = heft_json("sections -n 0 '%s'", path);
    json_t *rows = json_object_get(j, "rows");
    size_t checked = 0;
    for (size_t i = 0; i < e.nsecs; i++) {
        const FxSection *s = &e.secs[i];
        if (fx_section_count(&e, s->name) != 1)
            continue;
        json_t *row = row_named(rows, s->name);
        bool nobits = strcmp(s->type, "NOBITS") == 0;
        bool alloc = strchr(s->flags, 'A') != NULL;
        bool tbss = nobits && strchr(s->flags, 'T');
        int64_t want_file = nobits ? 0 : (int64_t)s->size;
        int64_t want_vm = alloc && !tbss ? (int64_t)s->size : 0;
        if (!row && want_file == 0 && want_vm == 0)
            continue; /* no bytes: views may leave it out */
        cr_assert(row, "%s: no row for section %s", name, s->name);
        cr_assert_eq(jint(row, "file_size"), want_file, "%s: section %s: file_size %lld, readelf says %lld", name,
                     s->name, (long long)jint(row, "file_size"), (long long)want_file);
        cr_assert_eq(jint(row, "vm_size"), want_vm, "%s: section %s: vm_size %lld, expected %lld", name, s->name,
                     (long long)jint(row, "vm_size"), (long long)want_vm);
        cr_assert_eq(jint(row, "size"), (int64_t)s->size, "%s: section %s: size", name, s->name);
        cr_assert_eq(jint(row, "offset"), (int64_t)s->offset, "%s: section %s: offset", name, s->name);
        if (!e.relocatable)
            cr_assert_eq(jint(row, "address"), (int64_t)s->addr, "%s: section %s: address", name, s->name);
        const char *type = fx_str(row, "type");
        if (strcmp(type, "OTHER") != 0)
            cr_assert_str_eq(type, s->type, "%s: section %s: type %s, readelf says %s", name, s->name, type,
                             s->type);
        checked++;
    }
    cr_assert_geq(checked, 8, "%s: only %zu sections checked", name, checked);
    /* The headers are rows of their own. */
    json_t *eh = row_named(rows, "[ELF header]");
    cr_assert(eh, "%s: no [ELF header] row", name);
    bool elf32 = strstr(name, "arm32") || strstr(name, "ppc32");
    cr_assert_eq(jint(eh, "file_size"), elf32 ? 52 : 64, "%s: ELF header size", name);
    cr_assert(row_named(rows, "[section headers]"), "%s: no [section headers] row", name);
    if (!e.relocatable)
        cr_assert(row_named(rows, "[program headers]"), "%s: no [program headers] row", name);
    json_decref(j);
    fx_elf_free(&e);
}

Test(sections, c_sizes) { check_sections("c-sizes"); }
Test(sections, c_object) { check_sections("c-sizes.o"); }
Test(sections, c_stripped) { check_sections("c-sizes-stripped"); }
Test(sections, aarch64) { check_sections("c-sizes-aarch64"); }
Test(sections, arm32) { check_sections("c-sizes-arm32"); }
Test(sections, ppc32be) { check_sections("c-sizes-ppc32be"); }
Test(sections, aarch64be) { check_sections("c-sizes-aarch64be"); }
Test(sections, cxx) { check_sections("cxx-shapes"); }
Test(sections, rust_legacy) { check_sections("rust-legacy"); }

/* --section: the symbols view restricted to one section adds up to exactly
 * that section's size. */
Test(sections, section_filter_adds_up_to_section)
{
    const char *path = fx_need("c-sizes");
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    static const char *const names[] = {".rodata", ".text", ".data", ".bss"};
    for (size_t k = 0; k < 4; k++) {
        const FxSection *s = fx_section_named(&e, names[k]);
        cr_assert(s);
        json_t *j = heft_json("symbols -n 0 --section %s '%s'", names[k], path);
        FxSum sum = fx_rows_sum(j);
        bool nobits = strcmp(s->type, "NOBITS") == 0;
        cr_assert_eq(sum.file_size, nobits ? 0 : s->size, "--section %s: rows' file bytes %llu, section has %llu",
                     names[k], (unsigned long long)sum.file_size, (unsigned long long)s->size);
        cr_assert_eq(sum.vm_size, s->size, "--section %s: rows' VM bytes %llu, section has %llu", names[k],
                     (unsigned long long)sum.vm_size, (unsigned long long)s->size);
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(j, "rows"), i, row) {
            cr_assert_str_eq(fx_str(row, "section"), names[k], "--section %s gave a row of %s: %s", names[k],
                             fx_str(row, "section"), fx_str(row, "name"));
        }
        json_t *fo = json_object_get(j, "filtered_out");
        cr_assert_eq(sum.file_size + (uint64_t)jint(fo, "file_size"), (uint64_t)jint(j, "file_size"));
        cr_assert_eq(sum.vm_size + (uint64_t)jint(fo, "vm_size"), (uint64_t)jint(j, "vm_size"));
        json_decref(j);
    }
    fx_elf_free(&e);
}

static void check_segments(const char *name)
{
    const char *path = fx_need(name);
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    json_t *j = heft_json("segments -n 0 '%s'", path);
    json_t *rows = json_object_get(j, "rows");
    cr_assert_eq(json_array_size(rows), e.nloads + 1, "%s: %zu rows for %zu PT_LOAD", name, json_array_size(rows),
                 e.nloads);
    /* Rows are named "LOAD #<program header index>"; find them by place. */
    for (size_t i = 0; i < e.nloads; i++) {
        json_t *row = NULL, *r;
        size_t k;
        json_array_foreach(rows, k, r) {
            if (strncmp(fx_str(r, "name"), "LOAD #", 6) == 0 && jint(r, "offset") == (int64_t)e.loads[i].offset &&
                jint(r, "address") == (int64_t)e.loads[i].vaddr)
                row = r;
        }
        cr_assert(row, "%s: no LOAD row at offset %#llx address %#llx", name, (unsigned long long)e.loads[i].offset,
                  (unsigned long long)e.loads[i].vaddr);
        const char *want = fx_str(row, "name");
        cr_assert_eq(jint(row, "segment_file_size"), (int64_t)e.loads[i].filesz, "%s: %s p_filesz", name, want);
        cr_assert_eq(jint(row, "segment_mem_size"), (int64_t)e.loads[i].memsz, "%s: %s p_memsz", name, want);
        if (i == 0) /* nothing is before the first: it holds all its bytes */
            cr_assert_eq(jint(row, "vm_size"), (int64_t)e.loads[i].memsz, "%s: %s vm_size", name, want);
    }
    json_t *nl = row_named(rows, "[not loaded]");
    cr_assert(nl, "%s: no [not loaded] row", name);
    uint64_t fsize = file_size_of(path);
    cr_assert_eq((uint64_t)jint(nl, "file_size"), fx_unloaded_file_bytes(&e, fsize),
                 "%s: [not loaded] has %lld file bytes, readelf -lW leaves %llu", name,
                 (long long)jint(nl, "file_size"), (unsigned long long)fx_unloaded_file_bytes(&e, fsize));
    cr_assert_eq(jint(nl, "vm_size"), 0);
    json_decref(j);
    fx_elf_free(&e);
}

Test(segments, c_sizes) { check_segments("c-sizes"); }
Test(segments, arm32) { check_segments("c-sizes-arm32"); }
Test(segments, ppc32be) { check_segments("c-sizes-ppc32be"); }
Test(segments, rust_v0) { check_segments("rust-v0"); }
