/* hostile_elf.c — ELF files whose headers and tables are shaped to hit
 * heft's sorts, sweeps and lookups (generators for test_hostile.c). They are
 * written field by field in the gABI's little-endian ELF64 layout. */
#include "hostile.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char e_ident[16];
    uint16_t e_type, e_machine;
    uint32_t e_version;
    uint64_t e_entry, e_phoff, e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Ehdr;
typedef struct {
    uint32_t p_type, p_flags;
    uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Phdr;
_Static_assert(sizeof(Ehdr) == 64 && sizeof(Phdr) == 56, "ELF64 layout");

static Ehdr exec_header(void)
{
    Ehdr e = {.e_ident = {0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LSB */, 1 /* version */},
              .e_type = 2 /* ET_EXEC */,
              .e_machine = 62 /* x86-64 */,
              .e_version = 1,
              .e_ehsize = sizeof(Ehdr),
              .e_phentsize = sizeof(Phdr),
              .e_shentsize = 64};
    return e;
}

/* 65,534 PT_LOAD headers of one page each (no sections): descending
 * addresses in the hostile file, ascending in its twin. An insertion sort of
 * the segments is quadratic on the first. */
bool hostile_gen_load_order(const char *path, bool hostile)
{
    enum { N = 65534 };
    size_t len = sizeof(Ehdr) + (size_t)N * sizeof(Phdr);
    unsigned char *b = calloc(1, len);
    if (!b)
        return false;
    Ehdr e = exec_header();
    e.e_phoff = sizeof e;
    e.e_phnum = N;
    memcpy(b, &e, sizeof e);
    for (unsigned i = 0; i < N; i++) {
        unsigned k = hostile ? N - 1 - i : i;
        Phdr p = {.p_type = 1 /* PT_LOAD */, .p_flags = 4 /* R */, .p_vaddr = 0x400000 + (uint64_t)k * 0x1000,
                  .p_memsz = 0x1000, .p_align = 0x1000};
        p.p_paddr = p.p_vaddr;
        memcpy(b + sizeof e + (size_t)i * sizeof p, &p, sizeof p);
    }
    bool ok = hostile_write(path, b, len);
    free(b);
    return ok;
}
