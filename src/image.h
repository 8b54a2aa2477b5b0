/* image.h — the format-independent model of a binary that readers produce and
 * everything after them consumes: sections, loaded segments and symbols, each
 * with its place in the file and in the loaded image (the "VM" domain). */
#ifndef HEFT_IMAGE_H
#define HEFT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

#define IMG_NONE UINT32_MAX

typedef struct Section {
    const char *name;
    uint32_t type;      /* ELF sh_type */
    uint64_t flags;     /* ELF sh_flags */
    uint64_t offset;    /* file offset */
    uint64_t file_size; /* bytes in the file (0 for NOBITS) */
    uint64_t addr;      /* start in the VM domain */
    uint64_t vm_size;   /* bytes in the loaded image (0 if not loaded, or TLS .tbss) */
    uint64_t size;      /* sh_size as the header says */
} Section;

typedef struct Segment {
    uint32_t type, flags;
    uint64_t offset, file_size; /* file range */
    uint64_t vaddr, mem_size;   /* VM range */
} Segment;

typedef struct Symbol {
    const char *name;   /* raw (mangled) */
    uint64_t addr;      /* start in the VM domain */
    uint64_t size;      /* st_size */
    uint32_t section;   /* index into Image.sections */
    uint8_t type, bind; /* ELF STT_*, STB_* */
    /* The object a local symbol was compiled in, where the file says (ELF:
     * the STT_FILE entry before it, as "regex_syntax.fa46c4…-cgu.09"), or
     * NULL. It places what is named for no crate, as anonymous constants. */
    const char *unit;
} Symbol;

/* One stretch of the loaded image: VM [vaddr, vaddr+mem_size) whose first
 * file_size bytes come from the file at offset. Linked files get one per
 * PT_LOAD; relocatable objects one per allocated section, laid end to end,
 * since they have no addresses of their own yet. */
typedef struct Mapping {
    uint64_t vaddr, mem_size, offset, file_size;
} Mapping;

/* One member of an ar archive. ELF members are parsed into an Image of their
 * own, whose sections and symbols also appear, shifted, in the archive's. */
typedef enum {
    MEMBER_ELF,          /* an ELF object */
    MEMBER_OTHER,        /* anything else (rustc metadata, LLVM bitcode): one leaf */
    MEMBER_SYMBOL_INDEX, /* "/" or "/SYM64/": the linker's symbol lookup table */
    MEMBER_LONG_NAMES,   /* "//": names longer than the header holds */
} MemberKind;

typedef struct Member {
    const char *name;
    MemberKind kind;
    uint64_t header_offset;   /* its 60-byte ar header */
    uint64_t offset, size;    /* its bytes in the archive */
    uint64_t pad;             /* 0 or 1 byte of padding after it */
    const char *note;         /* what a MEMBER_OTHER holds, for people */
    const char *crate;        /* the Rust crate rustc named it for ("CRATE-HASH.*.rcgu.o"), or NULL */
    const struct Image *img;  /* MEMBER_ELF only */
    uint32_t first_section;   /* its sections' index in the archive's Image */
    uint64_t vm_base;         /* its allocated sections' start in the archive's VM domain */
} Member;

typedef struct Image {
    const char *path;
    const unsigned char *data;
    uint64_t size;

    int elf_class;    /* 32 or 64 */
    bool big_endian;
    uint16_t machine; /* e_machine */
    uint16_t kind;    /* e_type */

    /* Header tables, as file ranges. */
    uint64_t ehdr_size, phdr_off, phdr_size, shdr_off, shdr_size;

    Section *sections;
    uint32_t nsections;
    Segment *segments; /* every program header */
    uint32_t nsegments;
    Mapping *maps;
    uint32_t nmaps;
    Symbol *symbols;
    uint32_t nsymbols;

    bool has_symtab;  /* .symtab present */
    bool has_dynsym;  /* symbols came from .dynsym (stripped) */
    /* data is a private mapping of the file (elffile_open), whose pages can
     * leave memory and be read again; names_off and names_size are where the
     * symbols' names lie in it (0 and 0 when unknown). */
    bool mapped;
    uint64_t names_off, names_size;

    /* An ar archive: the members in file order. Its sections, symbols and
     * mappings are those of its ELF members, shifted into the archive's file
     * offsets and laid end to end in the VM domain (as a relocatable
     * object's sections are); it has no ELF headers of its own. */
    bool archive;
    Member *members;
    uint32_t nmembers;
} Image;

/* Section's name with a safe fallback for a missing one. */
const char *image_section_name(const Image *img, uint32_t idx);

/* Length of the group a section name belongs to, the output section a linker
 * script merges it into: ".text.foo" -> ".text", ".rodata.str1.1" ->
 * ".rodata", ".rela.data.rel.ro.x" -> ".rela.data.rel.ro"; any other name is
 * its own group. Archives (of -ffunction-sections objects above all) are
 * shown by group. */
size_t image_section_group(const char *name);

#endif
