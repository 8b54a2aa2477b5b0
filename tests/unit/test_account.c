/* test_account.c — the accounting rules on synthetic images whose answers
 * are worked out by hand: overlaps, aliases, sizeless symbols, .bss, gaps,
 * relocatable layout. */
#include <criterion/criterion.h>
#include <elf.h>
#include <string.h>

#include "account.h"
#include "view.h"

static Arena *arena;

static void setup(void) { arena = arena_new(); }
static void teardown(void) { arena_free(arena); }

TestSuite(account, .init = setup, .fini = teardown);

/* A 4096-byte linked file: ELF header, one PT_LOAD mapping [0, 0x600) of the
 * file at VM 0x1000 with 0x400 more bytes of .bss, and three sections. */
static Image base_image(Symbol *syms, uint32_t nsyms)
{
    static Section secs[4];
    static Segment segs[1];
    static Mapping maps[1];
    memset(secs, 0, sizeof secs);
    secs[1] = (Section){".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 0x100, 0x300, 0x1100, 0x300, 0x300};
    secs[2] = (Section){".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 0x600, 0, 0x1600, 0x400, 0x400};
    secs[3] = (Section){".symtab", SHT_SYMTAB, 0, 0x800, 0x200, 0, 0, 0x200};
    segs[0] = (Segment){PT_LOAD, PF_R | PF_X, 0, 0x600, 0x1000, 0xa00};
    maps[0] = (Mapping){0x1000, 0xa00, 0, 0x600};
    Image img = {0};
    img.path = "synthetic";
    img.size = 4096;
    img.elf_class = 64;
    img.kind = ET_DYN;
    img.ehdr_size = 64;
    img.phdr_off = 64;
    img.phdr_size = 56;
    img.shdr_off = 0xc00;
    img.shdr_size = 4 * 64;
    img.sections = secs;
    img.nsections = 4;
    img.segments = segs;
    img.nsegments = 1;
    img.maps = maps;
    img.nmaps = 1;
    img.symbols = syms;
    img.nsymbols = nsyms;
    img.has_symtab = true;
    return img;
}

static const Leaf *leaf_named(const Account *a, const char *name)
{
    for (uint32_t i = 0; i < a->nleaves; i++)
        if (strcmp(a->leaves[i].name, name) == 0)
            return &a->leaves[i];
    cr_assert_fail("no leaf named %s", name);
    return NULL;
}

static void assert_sums(const Account *a)
{
    uint64_t f = 0, v = 0;
    for (uint32_t i = 0; i < a->nleaves; i++)
        f += a->leaves[i].file_size, v += a->leaves[i].vm_size;
    cr_assert_eq(f, a->file_size);
    cr_assert_eq(v, a->vm_size);
}

Test(account, fallbacks_cover_every_byte)
{
    Image img = base_image(NULL, 0);
    Account a;
    account_build(arena, &img, 0, &a);
    cr_assert_eq(a.file_size, 4096);
    cr_assert_eq(a.vm_size, 0xa00);
    cr_assert_eq(leaf_named(&a, "[ELF header]")->file_size, 64);
    cr_assert_eq(leaf_named(&a, "[ELF header]")->vm_size, 64, "mapped header bytes are in the image too");
    cr_assert_eq(leaf_named(&a, "[program headers]")->file_size, 56);
    cr_assert_eq(leaf_named(&a, "[section .text]")->file_size, 0x300);
    cr_assert_eq(leaf_named(&a, "[section .text]")->vm_size, 0x300);
    cr_assert_eq(leaf_named(&a, "[section .bss]")->file_size, 0);
    cr_assert_eq(leaf_named(&a, "[section .bss]")->vm_size, 0x400);
    cr_assert_eq(leaf_named(&a, "[.symtab]")->file_size, 0x200);
    cr_assert_eq(leaf_named(&a, "[.symtab]")->vm_size, 0);
    cr_assert_eq(leaf_named(&a, "[section headers]")->file_size, 256);
    /* gaps: [120,0x100) and [0x400,0x800) and [0xa00,0xc00) */
    cr_assert_eq(leaf_named(&a, "[padding]")->file_size, (0x100 - 120) + 0x400 + 0x200);
    cr_assert_eq(leaf_named(&a, "[unmapped]")->file_size, 4096 - 0xd00);
    assert_sums(&a);
}

Test(account, symbols_claim_their_bytes_and_first_start_wins)
{
    Symbol syms[] = {
        {"f", 0x1100, 0x100, 1, STT_FUNC, STB_GLOBAL, NULL},
        {"g", 0x1180, 0x100, 1, STT_FUNC, STB_GLOBAL, NULL}, /* overlaps f by 0x80 */
        {"inner", 0x1110, 0x10, 1, STT_FUNC, STB_LOCAL, NULL}, /* wholly inside f */
        {"big", 0x1600, 0x200, 2, STT_OBJECT, STB_GLOBAL, NULL},
    };
    Image img = base_image(syms, 4);
    Account a;
    account_build(arena, &img, 0, &a);
    cr_assert_eq(leaf_named(&a, "f")->file_size, 0x100);
    cr_assert_eq(leaf_named(&a, "g")->file_size, 0x80);
    cr_assert_eq(leaf_named(&a, "inner")->file_size, 0);
    cr_assert_eq(a.overlapped_symbols, 1);
    cr_assert_eq(leaf_named(&a, "[section .text]")->file_size, 0x300 - 0x180);
    cr_assert_eq(leaf_named(&a, "big")->file_size, 0);
    cr_assert_eq(leaf_named(&a, "big")->vm_size, 0x200);
    cr_assert_eq(leaf_named(&a, "[section .bss]")->vm_size, 0x200);
    assert_sums(&a);
}

Test(account, aliases_are_one_leaf_with_every_name)
{
    Symbol syms[] = {
        {"local_name", 0x1100, 0x40, 1, STT_FUNC, STB_LOCAL, NULL},
        {"global_name", 0x1100, 0x40, 1, STT_FUNC, STB_GLOBAL, NULL},
        {"weak_name", 0x1100, 0x40, 1, STT_FUNC, STB_WEAK, NULL},
    };
    Image img = base_image(syms, 3);
    Account a;
    account_build(arena, &img, 0, &a);
    const Leaf *l = leaf_named(&a, "global_name");
    cr_assert_eq(l->file_size, 0x40);
    cr_assert_eq(l->naliases, 2);
    cr_assert_str_eq(l->aliases[0], "weak_name");
    cr_assert_str_eq(l->aliases[1], "local_name");
    uint32_t named = 0;
    for (uint32_t i = 0; i < a.nleaves; i++)
        named += a.leaves[i].kind == LEAF_SYMBOL;
    cr_assert_eq(named, 1, "three names on one range are one leaf");
    assert_sums(&a);
}

Test(account, sizeless_function_runs_to_next_symbol_labels_own_nothing)
{
    Symbol syms[] = {
        {"asm_func", 0x1100, 0, 1, STT_FUNC, STB_GLOBAL, NULL},
        {"label", 0x1150, 0, 1, STT_NOTYPE, STB_GLOBAL, NULL},
        {"next", 0x1200, 0x20, 1, STT_FUNC, STB_GLOBAL, NULL},
        {"tail_asm", 0x1300, 0, 1, STT_FUNC, STB_GLOBAL, NULL},
    };
    Image img = base_image(syms, 4);
    Account a;
    account_build(arena, &img, 0, &a);
    cr_assert_eq(leaf_named(&a, "asm_func")->file_size, 0x50, "up to the next symbol, even a label");
    cr_assert_eq(leaf_named(&a, "tail_asm")->file_size, 0x100, "up to the end of .text");
    cr_assert_eq(a.zero_size_symbols, 1);
    assert_sums(&a);
}

Test(account, symbols_are_clipped_to_their_section)
{
    Symbol syms[] = {{"runaway", 0x1300, 0x10000, 1, STT_OBJECT, STB_GLOBAL, NULL},
                     {"huge", UINT64_MAX - 4, UINT64_MAX, 1, STT_OBJECT, STB_GLOBAL, NULL}};
    Image img = base_image(syms, 2);
    Account a;
    account_build(arena, &img, 0, &a);
    cr_assert_eq(leaf_named(&a, "runaway")->file_size, 0x100);
    cr_assert_eq(leaf_named(&a, "huge")->file_size, 0);
    assert_sums(&a);
}

Test(account, overlapping_segments_count_once)
{
    Image img = base_image(NULL, 0);
    Mapping maps[2] = {{0x1000, 0xa00, 0, 0x600}, {0x1400, 0x200, 0x400, 0x200}};
    img.maps = maps;
    img.nmaps = 2;
    Account a;
    account_build(arena, &img, 0, &a);
    cr_assert_eq(a.vm_size, 0xa00);
    assert_sums(&a);
}

Test(account, views_add_up_with_limits_and_filters)
{
    Symbol syms[] = {
        {"alpha", 0x1100, 0x100, 1, STT_FUNC, STB_GLOBAL, NULL},
        {"beta", 0x1200, 0x80, 1, STT_FUNC, STB_GLOBAL, NULL},
        {"gamma", 0x1600, 0x10, 2, STT_OBJECT, STB_GLOBAL, NULL},
    };
    Image img = base_image(syms, 3);
    Account a;
    account_build(arena, &img, 0, &a);
    char err[160];
    Pattern *re = pattern_compile("^(alpha|gamma)$", err, sizeof err);
    cr_assert(re, "%s", err);
    Filter f = {re, NULL, NULL, NULL};
    for (ViewKind k = VIEW_SYMBOLS; k <= VIEW_SECTIONS; k++) {
        View v;
        view_build(arena, &a, k, &f, SORT_SIZE, 1, &v);
        uint64_t fs = v.rest.file_size + v.filtered_out.file_size, vs = v.rest.vm_size + v.filtered_out.vm_size;
        for (size_t i = 0; i < v.nrows; i++)
            fs += v.rows[i].file_size, vs += v.rows[i].vm_size;
        cr_assert_eq(fs, a.file_size, "view %s", view_name(k));
        cr_assert_eq(vs, a.vm_size, "view %s", view_name(k));
        cr_assert_eq(v.nrows, 1);
    }
    View v;
    view_build(arena, &a, VIEW_SYMBOLS, &f, SORT_NAME, 0, &v);
    cr_assert_eq(v.nrows, 2);
    cr_assert_str_eq(v.rows[0].name, "alpha");
    cr_assert_str_eq(v.rows[1].name, "gamma");
    pattern_free(re);
    Filter sec = {NULL, NULL, ".bss", NULL};
    view_build(arena, &a, VIEW_SYMBOLS, &sec, SORT_SIZE, 0, &v);
    cr_assert_eq(v.nrows, 2, "gamma and the rest of .bss");
    cr_assert_str_eq(v.rows[0].name, "[section .bss]");
    cr_assert_eq(v.rows[0].vm_size, 0x3f0);
}

Test(account, segments_view_counts_each_byte_once)
{
    Image img = base_image(NULL, 0);
    Account a;
    account_build(arena, &img, 0, &a);
    View v;
    view_build(arena, &a, VIEW_SEGMENTS, &(Filter){0}, SORT_ADDR, 0, &v);
    cr_assert_eq(v.nrows, 2);
    cr_assert_str_eq(v.rows[0].name, "LOAD #0");
    cr_assert_eq(v.rows[0].file_size, 0x600);
    cr_assert_eq(v.rows[0].vm_size, 0xa00);
    cr_assert_str_eq(v.rows[1].name, "[not loaded]");
    cr_assert_eq(v.rows[1].file_size, 4096 - 0x600);
    cr_assert_eq(v.rows[1].vm_size, 0);
}
