/* armrefs.h — the addresses 32-bit Arm code names, in either instruction
 * set: the targets of branches and calls (B, BL, BLX, CBZ/CBNZ), ADR, MOVW
 * with MOVT, and the words of literal pools: an absolute address (code not
 * built position-independent), or an offset that an ADD of the PC then turns
 * into one (position-independent code). */
#ifndef HEFT_ARMREFS_H
#define HEFT_ARMREFS_H

#include <stddef.h>
#include <stdint.h>

enum {
    ARMREFS_THUMB = 1,    /* T32 code, else A32 */
    ARMREFS_ABSOLUTE = 2, /* a literal word no ADD of the PC uses is itself an
                             address (a file loaded at a fixed address,
                             whose literals are not relocated) */
    ARMREFS_BIG_DATA = 4, /* literal words are big-endian (BE8) */
};

/* Calls fn(ctx, target) for each address the instructions in
 * code[begin..end) name, as flags (ARMREFS_*) say; code[0..n), loaded at
 * addr, is where the literal words they load may lie (the section holding
 * them). Instructions are read little-endian,
 * as both byte orders of Armv6 and later store them. A target's low bit
 * (Thumb state) is kept. O(end - begin). */
void armrefs_scan(const uint8_t *code, size_t n, uint64_t addr, size_t begin, size_t end, unsigned flags,
                  void (*fn)(void *ctx, uint64_t target), void *ctx);

#endif
