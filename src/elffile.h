/* elffile.h — the ELF reader: maps a file and fills an Image from it. */
#ifndef HEFT_ELFFILE_H
#define HEFT_ELFFILE_H

#include "image.h"

/* Opens and parses path (an ar archive goes to archive_parse). Returns 0, or
 * -1 with a one-line reason in err (without the "heft: FILE:" prefix). The
 * mapping lives until exit. */
int elffile_open(Arena *a, const char *path, Image *img, char *err, size_t errlen);

/* Whether path is an ELF file without a symbol table (.symtab), from its
 * section headers alone: no symbol is read. False for anything else (an
 * archive, a file that cannot be read). */
bool elffile_stripped(const char *path);

/* Parses an ELF image already in memory (tests use this on synthetic data).
 * data must be writable: libelf may convert foreign-endian tables in place. */
int elffile_parse(Arena *a, const char *path, unsigned char *data, uint64_t size,
              Image *img, char *err, size_t errlen);

#endif
