/* a64refs.h — the addresses AArch64 code names: the targets of branches
 * (B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ), literal loads, ADR, and the full
 * addresses ADRP pairs with a following ADD or load/store make. */
#ifndef HEFT_A64REFS_H
#define HEFT_A64REFS_H

#include <stddef.h>
#include <stdint.h>

/* Calls fn(ctx, target) for each address the instructions in code[0..n),
 * loaded at addr, name, in order. O(n). */
void a64refs_scan(const uint8_t *code, size_t n, uint64_t addr, void (*fn)(void *ctx, uint64_t target), void *ctx);

#endif
