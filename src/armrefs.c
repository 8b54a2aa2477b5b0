/* armrefs.c — the addresses 32-bit Arm instructions name (see armrefs.h),
 * from the encodings (Arm ARM, A5 and A6 for T32, A5 and A8 for A32). Written
 * by hand like a64refs.c, for the same reason x86refs.c gives: capstone
 * formats every instruction's text, and only a few fields are wanted.
 *
 * Position-independent code loads an offset from the literal pool (or
 * makes one with MOVW and MOVT) and adds an address to it: the PC (`ldr r3,
 * .L; add r3, pc`) or the GOT's, itself made so (`ldr r0, .L; ldr r0, [sl,
 * r0]`). So each register is followed through such pairs as holding a
 * literal word, a known address, or nothing known; an instruction that
 * writes it otherwise forgets it (the common ones, and every register a call
 * clobbers). Compilers emit each pair close together, and a pair is all
 * that is read. In a file loaded at a fixed address a literal is an
 * address, unless it was added to one: code built position-independent
 * (Debian's static libc.a) is linked into such files too. So a literal is
 * taken for an address only when it is forgotten without having been. */
#include "armrefs.h"

#include <stdbool.h>

typedef struct Out {
    void (*fn)(void *, uint64_t);
    void *ctx;
} Out;

typedef struct Regs {
    uint32_t val[16], low[16];
    uint16_t lit, addr, has_low; /* val is a literal word; val is an address; low is MOVW's */
    uint16_t pending;            /* literals not added to an address yet */
    bool absolute;               /* ARMREFS_ABSOLUTE */
    const Out *o;
} Regs;

static uint64_t sext(uint64_t v, unsigned bits)
{
    uint64_t sign = (uint64_t)1 << (bits - 1);
    return ((v & ((sign << 1) - 1)) ^ sign) - sign;
}

/* Addresses are 32 bits: what the arithmetic here carries past them wraps. */
static void emit(const Out *o, uint64_t target)
{
    o->fn(o->ctx, (uint32_t)target);
}

static void forget(Regs *r, unsigned reg)
{
    uint16_t bit = (uint16_t)(1u << reg), keep = (uint16_t)~bit;
    if (r->absolute && (r->pending & bit))
        emit(r->o, r->val[reg]);
    r->lit &= keep, r->addr &= keep, r->has_low &= keep, r->pending &= keep;
}

static void set_addr(Regs *r, unsigned reg, uint32_t v)
{
    forget(r, reg);
    r->val[reg] = v;
    r->addr |= (uint16_t)(1u << reg);
}

static void set_lit(Regs *r, unsigned reg, uint32_t v)
{
    forget(r, reg);
    r->val[reg] = v;
    r->lit |= (uint16_t)(1u << reg);
    r->pending |= (uint16_t)(1u << reg);
}

/* A literal load into rt from pool, when the pool lies in the code given. */
static void load(Regs *r, unsigned rt, const uint8_t *code, size_t n, uint64_t addr, uint64_t pool, unsigned flags)
{
    if (pool < addr || pool - addr > n || n - (pool - addr) < 4) {
        forget(r, rt);
        return;
    }
    const uint8_t *b = code + (pool - addr);
    set_lit(r, rt,
            flags & ARMREFS_BIG_DATA ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]
                                     : (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0]);
}

/* The address an address plus a literal makes, from registers a and b (15:
 * the PC, whose value is pc), or false. The literal was an offset. */
static bool sum(Regs *r, unsigned a, unsigned b, uint64_t pc, uint32_t *out)
{
    bool a_addr = a == 15 || (r->addr >> a & 1), b_addr = b == 15 || (r->addr >> b & 1);
    uint32_t va = a == 15 ? (uint32_t)pc : r->val[a], vb = b == 15 ? (uint32_t)pc : r->val[b];
    if (a_addr && b != 15 && (r->lit >> b & 1))
        r->pending &= (uint16_t) ~(1u << b);
    else if (b_addr && a != 15 && (r->lit >> a & 1))
        r->pending &= (uint16_t) ~(1u << a);
    else
        return false;
    *out = va + vb;
    return true;
}

/* rd = ra + rb: an address, when one is an address and the other a literal. */
static void add(Regs *r, unsigned rd, unsigned ra, unsigned rb, uint64_t pc)
{
    uint32_t v;
    bool known = sum(r, ra, rb, pc, &v);
    if (rd == 15)
        return;
    if (known) {
        emit(r->o, v);
        set_addr(r, rd, v);
    } else
        forget(r, rd);
}

/* rt = the word at ra + rb. */
static void load_indexed(Regs *r, unsigned rt, unsigned ra, unsigned rb, uint64_t pc)
{
    uint32_t v;
    if (sum(r, ra, rb, pc, &v))
        emit(r->o, v);
    forget(r, rt);
}

static void movw(Regs *r, unsigned rd, uint32_t imm16)
{
    forget(r, rd);
    r->low[rd] = imm16;
    r->has_low |= (uint16_t)(1u << rd);
}

/* MOVT after MOVW makes a literal, as a load from the pool would. */
static void movt(Regs *r, unsigned rd, uint32_t imm16)
{
    if (r->has_low >> rd & 1)
        set_lit(r, rd, imm16 << 16 | r->low[rd]);
    else
        forget(r, rd);
}

/* A call leaves r0-r3, r12 and lr to the callee. */
static void call(Regs *r)
{
    static const unsigned clobbered[] = {0, 1, 2, 3, 12, 14};
    for (size_t i = 0; i < sizeof clobbered / sizeof *clobbered; i++)
        forget(r, clobbered[i]);
}

static void done(Regs *r)
{
    for (unsigned k = 0; k < 16; k++)
        forget(r, k);
}

/* A 32-bit T32 instruction, hw1 then hw2, at pc. */
static void t32_wide(Regs *r, unsigned hw1, unsigned hw2, uint64_t pc, const uint8_t *code, size_t n, uint64_t addr,
                     unsigned flags, const Out *o)
{
    uint64_t base = (pc + 4) & ~(uint64_t)3; /* Align(PC, 4) */
    if ((hw1 & 0xF800) == 0xF000 && (hw2 & 0x8000)) { /* branches */
        unsigned s = hw1 >> 10 & 1, j1 = hw2 >> 13 & 1, j2 = hw2 >> 11 & 1;
        if (!(hw2 & 0x5000)) { /* B<c>.W (T3) */
            if ((hw1 >> 6 & 0xF) >= 0xE)
                return; /* not a branch: the hint and system space */
            uint64_t imm = (uint64_t)s << 20 | j2 << 19 | j1 << 18 | (hw1 & 0x3F) << 12 | (hw2 & 0x7FF) << 1;
            emit(o, pc + 4 + sext(imm, 21));
            return;
        }
        unsigned i1 = !(j1 ^ s), i2 = !(j2 ^ s);
        uint64_t imm = (uint64_t)s << 24 | i1 << 23 | i2 << 22 | (hw1 & 0x3FF) << 12 | (hw2 & 0x7FF) << 1;
        if (hw2 & 0x1000) /* B.W (T4), BL */
            emit(o, pc + 4 + sext(imm, 25));
        else if (hw2 & 0x4000) /* BLX to A32: from the aligned PC */
            emit(o, base + sext(imm & ~(uint64_t)3, 25));
        if (hw2 & 0x4000)
            call(r);
        return;
    }
    unsigned rd = hw2 >> 8 & 0xF, rt = hw2 >> 12;
    uint32_t imm12 = (hw1 >> 10 & 1) << 11 | (hw2 >> 12 & 7) << 8 | (hw2 & 0xFF);
    if ((hw1 & 0xFF7F) == 0xF85F) /* LDR.W literal */
        load(r, rt, code, n, addr, (hw1 & 0x80) ? base + (hw2 & 0xFFF) : base - (hw2 & 0xFFF), flags);
    else if ((hw1 & 0xFFF0) == 0xF850 && (hw2 & 0x0FF0) == 0) /* LDR.W (register), no shift */
        load_indexed(r, rt, hw1 & 0xF, hw2 & 0xF, 0);
    else if ((hw1 & 0xFFF0) == 0xF850 || (hw1 & 0xFFF0) == 0xF8D0) /* LDR.W (immediate) */
        forget(r, rt);
    else if (hw2 & 0x8000)
        ;
    else if ((hw1 & 0xFBFF) == 0xF20F) { /* ADR.W, adding */
        emit(o, base + imm12);
        set_addr(r, rd, (uint32_t)(base + imm12));
    } else if ((hw1 & 0xFBFF) == 0xF2AF) { /* ADR.W, subtracting */
        emit(o, base - imm12);
        set_addr(r, rd, (uint32_t)(base - imm12));
    } else if ((hw1 & 0xFBF0) == 0xF240) /* MOVW */
        movw(r, rd, (hw1 & 0xF) << 12 | imm12);
    else if ((hw1 & 0xFBF0) == 0xF2C0) /* MOVT */
        movt(r, rd, (hw1 & 0xF) << 12 | imm12);
    else if ((hw1 & 0xFA00) == 0xF000 || (hw1 & 0xFE00) == 0xEA00) /* data processing: writes Rd */
        forget(r, rd);
}

static void scan_t32(const uint8_t *code, size_t n, uint64_t addr, size_t begin, size_t end, unsigned flags,
                     const Out *o)
{
    Regs r = {.absolute = flags & ARMREFS_ABSOLUTE, .o = o};
    for (size_t off = begin; off + 2 <= end;) {
        unsigned hw = code[off] | (unsigned)code[off + 1] << 8;
        uint64_t pc = addr + off, base = (pc + 4) & ~(uint64_t)3;
        if (hw >> 11 >= 0x1D) { /* 32 bits */
            if (off + 4 > end)
                break;
            unsigned hw2 = code[off + 2] | (unsigned)code[off + 3] << 8;
            t32_wide(&r, hw, hw2, pc, code, n, addr, flags, o);
            off += 4;
            continue;
        }
        unsigned lo3 = hw & 7, hi8 = hw >> 8 & 7, dn = (hw >> 4 & 8) | (hw & 7);
        if ((hw & 0xF000) == 0xD000 && (hw >> 8 & 0xF) < 0xE) /* B<c> */
            emit(o, pc + 4 + sext((hw & 0xFF) << 1, 9));
        else if ((hw & 0xF800) == 0xE000) /* B */
            emit(o, pc + 4 + sext((hw & 0x7FF) << 1, 12));
        else if ((hw & 0xF500) == 0xB100) /* CBZ, CBNZ */
            emit(o, pc + 4 + ((hw >> 9 & 1) << 6 | (hw >> 3 & 0x1F) << 1));
        else if ((hw & 0xF800) == 0x4800) /* LDR literal */
            load(&r, hi8, code, n, addr, base + (hw & 0xFF) * 4, flags);
        else if ((hw & 0xF800) == 0xA000) { /* ADR */
            emit(o, base + (hw & 0xFF) * 4);
            set_addr(&r, hi8, (uint32_t)(base + (hw & 0xFF) * 4));
        } else if ((hw & 0xFF00) == 0x4400) /* ADD Rdn, Rm (PC included) */
            add(&r, dn, dn, hw >> 3 & 0xF, pc + 4);
        else if ((hw & 0xFE00) == 0x1800) /* ADDS Rd, Rn, Rm */
            add(&r, lo3, hw >> 3 & 7, hw >> 6 & 7, pc + 4);
        else if ((hw & 0xFE00) == 0x5800) /* LDR Rt, [Rn, Rm] */
            load_indexed(&r, lo3, hw >> 3 & 7, hw >> 6 & 7, pc + 4);
        else if ((hw & 0xFF80) == 0x4780) /* BLX Rm */
            call(&r);
        else if ((hw & 0xFF00) == 0x4600) /* MOV Rd, Rm */
            forget(&r, dn);
        else if ((hw & 0xE000) == 0x2000 || (hw & 0xE000) == 0x0000 || (hw & 0xF000) == 0x6000 ||
                 (hw & 0xF800) == 0x9800) /* shifts, add/sub, MOV/CMP/ADD/SUB imm, LDR imm, LDR SP */
            forget(&r, (hw & 0xF800) == 0x9800 || (hw & 0xE000) == 0x2000 ? hi8 : lo3);
        else if ((hw & 0xFE00) == 0xBC00) /* POP */
            for (unsigned k = 0; k < 8; k++)
                if (hw >> k & 1)
                    forget(&r, k);
        off += 2;
    }
    done(&r);
}

/* A32's modified immediate: 8 bits rotated right by twice 4. */
static uint32_t expand_imm(uint32_t imm12)
{
    uint32_t v = imm12 & 0xFF, rot = (imm12 >> 8) * 2;
    return rot ? v >> rot | v << (32 - rot) : v;
}

static void scan_a32(const uint8_t *code, size_t n, uint64_t addr, size_t begin, size_t end, unsigned flags,
                     const Out *o)
{
    Regs r = {.absolute = flags & ARMREFS_ABSOLUTE, .o = o};
    for (size_t off = begin; off + 4 <= end; off += 4) {
        uint32_t w = (uint32_t)code[off] | (uint32_t)code[off + 1] << 8 | (uint32_t)code[off + 2] << 16 |
                     (uint32_t)code[off + 3] << 24;
        uint64_t pc = addr + off, p8 = pc + 8;
        unsigned rd = w >> 12 & 0xF, rn = w >> 16 & 0xF, rm = w & 0xF;
        if ((w & 0xFE000000) == 0xFA000000) { /* BLX to T32 */
            emit(o, p8 + sext((w & 0xFFFFFF) << 2 | (w >> 24 & 1) << 1, 26));
            call(&r);
        } else if (w >> 28 == 0xF)
            ; /* the unconditional space holds nothing else read here */
        else if ((w & 0x0E000000) == 0x0A000000) { /* B, BL */
            emit(o, p8 + sext((w & 0xFFFFFF) << 2, 26));
            if (w & 0x01000000)
                call(&r);
        } else if ((w & 0x0FFFFFF0) == 0x012FFF30) /* BLX Rm */
            call(&r);
        else if ((w & 0x0F7F0000) == 0x051F0000) /* LDR literal */
            load(&r, rd, code, n, addr, (w & 0x00800000) ? p8 + (w & 0xFFF) : p8 - (w & 0xFFF), flags);
        else if ((w & 0x0FE00FF0) == 0x00800000) /* ADD Rd, Rn, Rm */
            add(&r, rd, rn, rm, p8);
        else if ((w & 0x0FF00FF0) == 0x07900000) /* LDR Rt, [Rn, Rm] */
            load_indexed(&r, rd, rn, rm, p8);
        else if ((w & 0x0FFF0000) == 0x028F0000) { /* ADR, adding */
            emit(o, p8 + expand_imm(w & 0xFFF));
            set_addr(&r, rd, (uint32_t)(p8 + expand_imm(w & 0xFFF)));
        } else if ((w & 0x0FFF0000) == 0x024F0000) { /* ADR, subtracting */
            emit(o, p8 - expand_imm(w & 0xFFF));
            set_addr(&r, rd, (uint32_t)(p8 - expand_imm(w & 0xFFF)));
        } else if ((w & 0x0FF00000) == 0x03000000) /* MOVW */
            movw(&r, rd, (w >> 4 & 0xF000) | (w & 0xFFF));
        else if ((w & 0x0FF00000) == 0x03400000) /* MOVT */
            movt(&r, rd, (w >> 4 & 0xF000) | (w & 0xFFF));
        else if ((w & 0x0C000000) == 0 || (w & 0x0C100000) == 0x04100000) /* data processing, loads: write Rd */
            forget(&r, rd);
    }
    done(&r);
}

void armrefs_scan(const uint8_t *code, size_t n, uint64_t addr, size_t begin, size_t end, unsigned flags,
                  void (*fn)(void *ctx, uint64_t target), void *ctx)
{
    Out o = {fn, ctx};
    if (end > n)
        end = n;
    if (flags & ARMREFS_THUMB)
        scan_t32(code, n, addr, begin, end, flags, &o);
    else
        scan_a32(code, n, addr, begin, end, flags, &o);
}
