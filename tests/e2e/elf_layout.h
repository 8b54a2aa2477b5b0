/* elf_layout.h — the gABI's ELF32 and ELF64 structures, for the tests that
 * write or patch ELF files byte by byte. */
#ifndef HEFT_TEST_ELF_LAYOUT_H
#define HEFT_TEST_ELF_LAYOUT_H

#include <stdint.h>

/* Not <elf.h>: the suite is compiled with -Isrc,
 * and a header of heft's named elf.h there would shadow the system one. These
 * are the gABI layouts (little-endian: the compilers we use make LSB files). */
typedef struct {
    unsigned char e_ident[16];
    uint16_t e_type, e_machine;
    uint32_t e_version;
    uint64_t e_entry, e_phoff, e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} E64Ehdr;
typedef struct {
    uint32_t sh_name, sh_type;
    uint64_t sh_flags, sh_addr, sh_offset, sh_size;
    uint32_t sh_link, sh_info;
    uint64_t sh_addralign, sh_entsize;
} E64Shdr;
typedef struct {
    uint32_t p_type, p_flags;
    uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} E64Phdr;
typedef struct {
    uint32_t st_name;
    unsigned char st_info, st_other;
    uint16_t st_shndx;
    uint64_t st_value, st_size;
} E64Sym;
typedef struct {
    unsigned char e_ident[16];
    uint16_t e_type, e_machine;
    uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} E32Ehdr;
typedef struct {
    uint32_t sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size;
    uint32_t sh_link, sh_info, sh_addralign, sh_entsize;
} E32Shdr;
typedef struct {
    uint32_t st_name, st_value, st_size;
    unsigned char st_info, st_other;
    uint16_t st_shndx;
} E32Sym;
typedef struct {
    uint32_t ch_type, ch_reserved;
    uint64_t ch_size, ch_addralign;
} E64Chdr;
_Static_assert(sizeof(E64Ehdr) == 64 && sizeof(E64Shdr) == 64 && sizeof(E64Chdr) == 24, "ELF64 layout");
_Static_assert(sizeof(E64Phdr) == 56 && sizeof(E64Sym) == 24, "ELF64 layout");
_Static_assert(sizeof(E32Ehdr) == 52 && sizeof(E32Shdr) == 40 && sizeof(E32Sym) == 16, "ELF32 layout");

#endif
