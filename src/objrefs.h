/* objrefs.h — the references a relocatable object or an archive of them
 * records: its relocation sections, each entry a reference from the bytes it
 * patches to the address it names, exactly, with no code to decode. What a
 * linker would resolve is resolved too: a symbol one member leaves undefined
 * is the global of that name another member defines. */
#ifndef HEFT_OBJREFS_H
#define HEFT_OBJREFS_H

#include "elfrefs.h"

/* Reads img's references (ET_REL, or an archive of ELF members) into out:
 * the pointers, sorted by where they lie, and the roots (every global symbol
 * a member defines, as a linker may start from any). Returns 0, or -1 with a
 * one-line reason in err when libelf cannot read a member. Work is linear in
 * the relocation and symbol tables' sizes. */
int objrefs_read(Arena *a, const Image *img, FileRefs *out, char *err, size_t errlen);

#endif
