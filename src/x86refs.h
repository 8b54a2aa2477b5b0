/* x86refs.h — the addresses x86-64 code names: the targets of relative calls
 * and jumps, and the addresses of RIP-relative memory operands. */
#ifndef HEFT_X86REFS_H
#define HEFT_X86REFS_H

#include <stddef.h>
#include <stdint.h>

/* Calls fn(ctx, target) for each address the instructions in code[0..n),
 * loaded at addr, name, in order. Bytes that are no instruction are
 * skipped one at a time, as a disassembler resynchronises. O(n). */
void x86refs_scan(const uint8_t *code, size_t n, uint64_t addr, void (*fn)(void *ctx, uint64_t target), void *ctx);

#endif
