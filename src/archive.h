/* archive.h — the ar reader: turns a static library (GNU/System V ar, as `ar
 * rcs` and rustc's staticlibs and rlibs make it) into an Image whose members
 * are listed in file order, with every ELF member parsed by the ELF reader. */
#ifndef HEFT_ARCHIVE_H
#define HEFT_ARCHIVE_H

#include "image.h"

/* Whether data starts with an ar magic ("!<arch>\n", or "!<thin>\n"). */
bool archive_is(const unsigned char *data, uint64_t size);

/* Parses the archive in data (writable, as elffile_parse needs it for the
 * members). Returns 0, or -1 with a one-line reason in err (without the
 * "heft: FILE:" prefix). Thin archives are rejected: their members are other
 * files. */
int archive_parse(Arena *a, const char *path, unsigned char *data, uint64_t size, Image *img, char *err,
                  size_t errlen);

#endif
