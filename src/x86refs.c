/* x86refs.c — the addresses x86-64 instructions name (see x86refs.h).
 *
 * Written by hand, not with capstone: the reference graph reads every
 * function of the file, and capstone formats each instruction's text
 * (mnemonic and operands, through vsnprintf) whether or not it is wanted;
 * that printing was most of the graph's time (two thirds in capstone, a
 * sixth in libc's printf on librustc_driver). All that is needed here is
 * where each instruction ends, and its rel8/rel32 or RIP-relative disp32:
 * a length decoder over the opcode maps (legacy and REX prefixes, the
 * one-, two- and three-byte maps, VEX and EVEX), checked against capstone on
 * real programs by tests/unit/test_x86refs.c. */
#include "x86refs.h"

#include <stdbool.h>

enum {
    M = 1,    /* a ModRM byte (and SIB, displacement) follows */
    B = 2,    /* an 8-bit immediate */
    Z = 4,    /* a 16- or 32-bit immediate (16 with the 0x66 prefix) */
    R8 = 8,   /* an 8-bit relative target */
    R32 = 16, /* a 32-bit relative target */
    X = 32,   /* no instruction in 64-bit mode */
    S = 64,   /* handled in the code: prefixes, escapes, odd immediates */
};

/* The one-byte map. */
static const uint8_t ONE[256] = {
    /* 0x00 */ M, M, M, M, B, Z, X, X, M, M, M, M, B, Z, X, S,
    /* 0x10 */ M, M, M, M, B, Z, X, X, M, M, M, M, B, Z, X, X,
    /* 0x20 */ M, M, M, M, B, Z, S, X, M, M, M, M, B, Z, S, X,
    /* 0x30 */ M, M, M, M, B, Z, S, X, M, M, M, M, B, Z, S, X,
    /* 0x40 */ S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S,
    /* 0x50 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 0x60 */ X, X, S, M, S, S, S, S, Z, M | Z, B, M | B, 0, 0, 0, 0,
    /* 0x70 */ R8, R8, R8, R8, R8, R8, R8, R8, R8, R8, R8, R8, R8, R8, R8, R8,
    /* 0x80 */ M | B, M | Z, X, M | B, M, M, M, M, M, M, M, M, M, M, M, M,
    /* 0x90 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, X, 0, 0, 0, 0, 0,
    /* 0xa0 */ S, S, S, S, 0, 0, 0, 0, B, Z, 0, 0, 0, 0, 0, 0,
    /* 0xb0 */ B, B, B, B, B, B, B, B, S, S, S, S, S, S, S, S,
    /* 0xc0 */ M | B, M | B, S, 0, S, S, M | B, M | Z, S, 0, S, 0, 0, B, X, 0,
    /* 0xd0 */ M, M, M, M, X, X, X, 0, M, M, M, M, M, M, M, M,
    /* 0xe0 */ R8, R8, R8, R8, B, B, B, B, R32, R32, X, R8, 0, 0, 0, 0,
    /* 0xf0 */ S, 0, S, S, 0, 0, S, S, 0, 0, 0, 0, 0, 0, M, M,
};

/* The two-byte map (0x0f xx): a ModRM byte unless listed. */
static uint8_t two(uint8_t op)
{
    switch (op) {
    case 0x05: case 0x06: case 0x07: case 0x08: case 0x09: case 0x0b: case 0x0e:
    case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x37:
    case 0x77: case 0xa0: case 0xa1: case 0xa2: case 0xa8: case 0xa9: case 0xaa:
    case 0xc8: case 0xc9: case 0xca: case 0xcb: case 0xcc: case 0xcd: case 0xce: case 0xcf:
        return 0;
    case 0x04: case 0x0a: case 0x0c: case 0x36: case 0x39: case 0x3b: case 0x3c: case 0x3d: case 0x3e: case 0x3f:
    case 0xa6: /* VIA PadLock's xsha*: objdump and capstone resynchronise after it, and so do we */
        return X;
    case 0x0f: /* 3DNow!: an 8-bit opcode after the operands */
    case 0x70: case 0x71: case 0x72: case 0x73: case 0xa4: case 0xac: case 0xba:
    case 0xc2: case 0xc4: case 0xc5: case 0xc6:
        return M | B;
    default:
        return op >= 0x80 && op <= 0x8f ? R32 : M;
    }
}

/* VEX and EVEX: map 1 is the two-byte map (its imm8 forms too), map 2
 * (0f38) has no immediate, map 3 (0f3a) an imm8; maps 5 and 6 (AVX512-FP16)
 * none; XOP's 8, 9 and 10 an imm8, none and an imm32. */
static uint8_t vex(unsigned map, uint8_t op)
{
    switch (map) {
    case 1: return two(op) & R32 ? X : two(op); /* 0x77 (vzeroupper) has no ModRM */
    case 2: case 5: case 6: return M;
    case 3: return M | B;
    case 8: return M | B; /* XOP */
    case 9: return M;
    case 10: return M | Z;
    default: return X;
    }
}

static int64_t sext(uint64_t v, unsigned bits)
{
    uint64_t sign = (uint64_t)1 << (bits - 1);
    return (int64_t)((v ^ sign) - sign);
}

static uint64_t le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

/* Decodes one instruction at code[0..left): returns its length (0: none
 * fits), with *target set and *has true when it names an address. */
static size_t decode(const uint8_t *c, size_t left, uint64_t pc, uint64_t *target, bool *has)
{
    size_t max = left < 15 ? left : 15, i = 0;
    bool op16 = false, addr32 = false, rexw = false;
    *has = false;
    for (;; i++) {
        if (i >= max)
            return 0;
        uint8_t b = c[i];
        if (b == 0x66)
            op16 = true;
        else if (b == 0x67)
            addr32 = true;
        else if (!(b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 || b == 0xf0 ||
                   b == 0xf2 || b == 0xf3))
            break;
    }
    if ((c[i] & 0xf0) == 0x40) {
        rexw = c[i] & 8;
        if (++i >= max)
            return 0;
    }
    uint8_t op = c[i++], flags;
    if (op == 0x0f) {
        if (i >= max)
            return 0;
        uint8_t op2 = c[i++];
        if (op2 == 0x38 || op2 == 0x3a) {
            if (i >= max)
                return 0;
            i++;
            flags = op2 == 0x38 ? M : M | B;
        } else {
            flags = two(op2);
        }
    } else if (op == 0xc5 || op == 0xc4 || op == 0x62 || (op == 0x8f && i < max && (c[i] & 0x1f) >= 8)) {
        /* VEX (c5, c4), EVEX (62), AMD's XOP (8f with a map of 8 or more;
         * pop r/m has 0 there) */
        size_t payload = op == 0xc5 ? 1 : op == 0x62 ? 3 : 2;
        if (i + payload >= max)
            return 0;
        unsigned map = op == 0xc5 ? 1 : op == 0x62 ? c[i] & 0x07 : c[i] & 0x1f;
        i += payload;
        flags = vex(map, c[i++]);
    } else {
        flags = ONE[op];
    }
    if (flags & X)
        return 0;
    unsigned imm = 0;
    if (flags & S) {
        if (op >= 0xa0 && op <= 0xa3)
            imm = addr32 ? 4 : 8; /* a memory offset */
        else if (op >= 0xb8 && op <= 0xbf)
            imm = rexw ? 8 : op16 ? 2 : 4;
        else if (op == 0xc2 || op == 0xca)
            imm = 2;
        else if (op == 0xc8)
            imm = 3;
        else if (op == 0xf6 || op == 0xf7)
            flags = M; /* the immediate depends on ModRM.reg, below */
        else
            return 0; /* a prefix or escape out of place */
    }
    bool rip = false;
    size_t disp_at = 0;
    if (flags & M) {
        if (i >= max)
            return 0;
        uint8_t modrm = c[i++];
        unsigned mod = modrm >> 6, rm = modrm & 7, reg = (modrm >> 3) & 7;
        if (mod != 3 && rm == 4) {
            if (i >= max)
                return 0;
            uint8_t sib = c[i++];
            if (mod == 0 && (sib & 7) == 5)
                i += 4;
        } else if (mod == 0 && rm == 5) {
            rip = true;
            disp_at = i;
            i += 4;
        }
        i += mod == 1 ? 1 : mod == 2 ? 4 : 0;
        if ((op == 0xf6 || op == 0xf7) && reg < 2) /* test r/m, imm */
            imm = op == 0xf6 ? 1 : op16 ? 2 : 4;
    }
    if (flags & B)
        imm += 1;
    if (flags & Z)
        imm += op16 ? 2 : 4;
    size_t rel_at = i;
    unsigned rel = flags & R8 ? 1 : flags & R32 ? 4 : 0;
    i += imm + rel;
    if (i > max)
        return 0;
    uint64_t next = pc + i;
    if (rel) {
        *target = next + (uint64_t)sext(le(c + rel_at, rel), 8 * rel);
        *has = true;
    } else if (rip) {
        *target = next + (uint64_t)sext(le(c + disp_at, 4), 32);
        *has = true;
    }
    return i;
}

void x86refs_scan(const uint8_t *code, size_t n, uint64_t addr, void (*fn)(void *ctx, uint64_t target), void *ctx)
{
    size_t i = 0;
    while (i < n) {
        uint64_t target;
        bool has;
        size_t len = decode(code + i, n - i, addr + i, &target, &has);
        if (!len) {
            i++; /* not an instruction: go on at the next byte */
            continue;
        }
        if (has)
            fn(ctx, target);
        i += len;
    }
}
