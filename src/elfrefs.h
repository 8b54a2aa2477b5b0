/* elfrefs.h — what a linked ELF file itself records about references: the
 * pointers its dynamic relocations fill in, and the addresses the loader or
 * other modules can start from (the reference graph's roots). Code's own
 * references (calls, jumps, address operands) are found by disassembly, in
 * graph.c. */
#ifndef HEFT_ELFREFS_H
#define HEFT_ELFREFS_H

#include <gelf.h>

#include "imgaddr.h"
#include "vec.h"

/* A pointer stored in the loaded image: at address at, the address to. */
typedef struct DataRef {
    uint64_t at, to;
} DataRef;

typedef struct FileRefs {
    DataRef *ptrs; /* from SHT_RELA sections that are loaded (.rela.dyn,
                      .rela.plt): RELATIVE entries and absolute ones to a
                      symbol the file defines; sorted by at */
    size_t nptrs;
    uint64_t *roots; /* the entry point, every function an init, preinit or
                        fini array names, .init and .fini, loaded notes, the
                        personality routines .eh_frame names, and each
                        symbol the dynamic symbol table exports */
    size_t nroots;
} FileRefs;

/* One entry of a loaded relocation table (.rela.dyn, .rela.plt,
 * .rel.dyn): its table (a section index), where the entry lies in the file
 * and its size, the address it patches, and the address it stores there: 0
 * when that is not an address the file defines (an import), or of a kind
 * this reader does not know. */
typedef struct ElfReloc {
    uint32_t section;
    uint64_t offset, size, at, to;
} ElfReloc;

/* Calls fn for each entry of each loaded SHT_RELA and SHT_REL table of
 * bytes' image (a linked file), where a REL entry's addend is read. Returns 0,
 * or -1 with a one-line reason in err when libelf cannot read the file. */
int elfrefs_relocs(const ImgAddr *bytes, void (*fn)(void *ctx, const ElfReloc *r), void *ctx, char *err,
                   size_t errlen);

/* Reads img's references: of a linked ELF file (executable or shared
 * object) here; of a relocatable object or an archive, its relocation
 * sections (objrefs.h). Returns 0, or -1 with a one-line reason in err. Work
 * and memory are linear in the relocation and symbol tables' sizes (and, for
 * a file loaded at a fixed address, its loaded data's). */
int elfrefs_read(Arena *a, const Image *img, FileRefs *out, char *err, size_t errlen);

/* Entry j of a relocation table's data, REL (its addend 0) or RELA, to
 * *out; false when libelf cannot read it. */
bool elfrefs_entry(Elf_Data *d, bool rela, size_t j, GElf_Rela *out);

/* Moves ptrs (DataRef, sorted by at) and roots (uint64_t) into out, in a's
 * memory, and frees them: the last step of each reader. */
void elfrefs_keep(Arena *a, Vec *ptrs, Vec *roots, FileRefs *out);

#endif
