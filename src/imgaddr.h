/* imgaddr.h — a loaded image's file bytes by address: the allocated section
 * whose file bytes hold an address, and the word stored there. What the
 * readers of references (elfrefs.c), the owners (owners.c) and the
 * reference graph look addresses up with. */
#ifndef HEFT_IMGADDR_H
#define HEFT_IMGADDR_H

#include "image.h"

typedef struct ImgAddrSec {
    uint64_t addr; /* keysort's key */
    uint32_t index;
} ImgAddrSec;

typedef struct ImgAddr {
    const Image *img;
    ImgAddrSec *secs; /* allocated sections with file bytes inside the file, by address */
    size_t n;
    ImgAddrSec *loaded; /* every section with loaded bytes (.bss too), by address */
    size_t nloaded;
} ImgAddr;

/* Indexes img's sections, in a's memory. O(n log n) in the sections. */
void imgaddr_init(Arena *a, ImgAddr *m, const Image *img);

/* The section whose file bytes hold addr, or NULL. hint (0 at first) keeps
 * where the last address was found: addresses looked up in order cost a
 * comparison each, any other a binary search. */
const Section *imgaddr_section(const ImgAddr *m, uint64_t addr, size_t *hint);

/* Whether addr lies in a section's loaded bytes (file bytes or .bss). */
bool imgaddr_loaded(const ImgAddr *m, uint64_t addr);

/* The size-byte word (1 to 8) at addr, in the file's byte order, to *out;
 * false when its bytes are not all file bytes of one section. */
bool imgaddr_word(const ImgAddr *m, uint64_t addr, unsigned size, uint64_t *out);

#endif
