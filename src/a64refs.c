/* a64refs.c — the addresses A64 instructions name (see a64refs.h), from the
 * encodings (Arm ARM, C4.1); instructions are 4 bytes, little-endian in
 * either data endianness. An ADRP sets a register to a 4 KiB page; the ADD
 * (immediate) or load/store (unsigned offset) that then uses that register
 * as its base completes the address, which is what the code names (the
 * page alone is not). A register's page is forgotten when an instruction
 * other than those writes it, as far as this reader can tell: any write to
 * Rd in the data-processing forms it does not follow. */
#include "a64refs.h"

#include <stdbool.h>

static uint64_t sext(uint64_t v, unsigned bits)
{
    uint64_t sign = (uint64_t)1 << (bits - 1);
    return (v ^ sign) - sign;
}

void a64refs_scan(const uint8_t *code, size_t n, uint64_t addr, void (*fn)(void *ctx, uint64_t target), void *ctx)
{
    uint64_t page[32];
    uint32_t known = 0; /* registers holding an ADRP page */
    for (size_t off = 0; off + 4 <= n; off += 4) {
        uint32_t w = (uint32_t)code[off] | (uint32_t)code[off + 1] << 8 | (uint32_t)code[off + 2] << 16 |
                     (uint32_t)code[off + 3] << 24;
        uint64_t pc = addr + off;
        unsigned rd = w & 31, rn = (w >> 5) & 31;
        if ((w & 0x7C000000) == 0x14000000) { /* B, BL */
            fn(ctx, pc + sext(w & 0x03FFFFFF, 26) * 4);
        } else if ((w & 0xFF000010) == 0x54000000 || (w & 0x7E000000) == 0x34000000) { /* B.cond, CBZ/CBNZ */
            fn(ctx, pc + sext((w >> 5) & 0x7FFFF, 19) * 4);
        } else if ((w & 0x7E000000) == 0x36000000) { /* TBZ/TBNZ */
            fn(ctx, pc + sext((w >> 5) & 0x3FFF, 14) * 4);
        } else if ((w & 0x3B000000) == 0x18000000) { /* LDR (literal) */
            fn(ctx, pc + sext((w >> 5) & 0x7FFFF, 19) * 4);
        } else if ((w & 0x1F000000) == 0x10000000) { /* ADR, ADRP */
            uint64_t imm = sext(((w >> 5) & 0x7FFFF) << 2 | ((w >> 29) & 3), 21);
            if (w & 0x80000000) {
                page[rd] = (pc & ~(uint64_t)0xFFF) + (imm << 12);
                known |= 1u << rd;
            } else {
                fn(ctx, pc + imm);
                known &= ~(1u << rd);
            }
        } else if ((w & 0x7F800000) == 0x11000000 && (known >> rn & 1)) { /* ADD (immediate), 64-bit */
            uint64_t imm = (w >> 10) & 0xFFF;
            fn(ctx, page[rn] + (w & 0x00400000 ? imm << 12 : imm));
            if (rd != rn)
                known &= ~(1u << rd);
        } else if ((w & 0x3B000000) == 0x39000000 && (known >> rn & 1)) { /* LDR/STR (unsigned offset) */
            unsigned size = w >> 30, scale = (w & 0x04800000) == 0x04800000 ? 4 : size; /* 128-bit Q form */
            fn(ctx, page[rn] + (((w >> 10) & 0xFFF) << scale));
            if (w & 0x00400000) /* a load writes Rt */
                known &= ~(1u << rd);
        } else if ((w & 0x1C000000) == 0x10000000 || (w & 0x0E000000) == 0x0A000000) {
            known &= ~(1u << rd); /* other data processing writes Rd */
        }
    }
}
