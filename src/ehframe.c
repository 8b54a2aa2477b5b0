/* ehframe.c — .eh_frame and .eh_frame_hdr read record by record (see
 * ehframe.h). Written by hand: libdw's CFI reader (dwarf_cfi_addrframe)
 * answers "how to unwind at this address" and does not hand out where a
 * record lies or how long it is, which is what accounting needs. Every read
 * goes through a cursor that stops at its bounds; a CIE is parsed again
 * only when it is not among the last few used (an FDE names its CIE, and a
 * file has a handful), and its augmentation string is read to at most
 * eight characters, so a hostile file costs a bounded amount per record. */
#include "ehframe.h"

#include <string.h>

#include "leb128.h"

typedef struct Cur {
    const unsigned char *p, *start, *end;
    uint64_t addr; /* VM address of start */
    bool big, ok;
    unsigned ptr; /* bytes of an address */
} Cur;

static uint64_t get(Cur *c, unsigned n)
{
    if (!c->ok || (size_t)(c->end - c->p) < n) {
        c->ok = false;
        return 0;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)c->p[c->big ? i : n - 1 - i] << (8 * (n - 1 - i));
    c->p += n;
    return v;
}

static uint64_t leb(Cur *c, bool is_signed)
{
    uint64_t u = 0;
    int64_t v = 0;
    if (c->ok)
        c->ok = is_signed ? leb128_s(&c->p, c->end, &v) : leb128_u(&c->p, c->end, &u);
    return is_signed ? (uint64_t)v : u;
}

/* A DW_EH_PE-encoded value: the low nibble its form; *raw the value as
 * stored. The result applies the base (0x10 pc-relative, 0x30 relative to
 * data_base); 0 for other bases, which linked files do not use here. */
static uint64_t eh_value(Cur *c, unsigned enc, uint64_t data_base, uint64_t *raw)
{
    uint64_t here = c->addr + (uint64_t)(c->p - c->start), v;
    switch (enc & 0x0f) {
    case 0x00: v = get(c, c->ptr); break;
    case 0x01: v = leb(c, false); break;
    case 0x02: v = get(c, 2); break;
    case 0x03: v = get(c, 4); break;
    case 0x04: v = get(c, 8); break;
    case 0x09: v = leb(c, true); break;
    case 0x0a: v = (uint64_t)(int64_t)(int16_t)get(c, 2); break;
    case 0x0b: v = (uint64_t)(int64_t)(int32_t)get(c, 4); break;
    case 0x0c: v = get(c, 8); break;
    default: c->ok = false; return 0;
    }
    if (raw)
        *raw = v;
    switch (enc & 0x70) {
    case 0x00: return v;
    case 0x10: return here + v;
    case 0x30: return data_base + v;
    default: return 0;
    }
}

/* What an FDE needs from its CIE. */
typedef struct Cie {
    uint64_t offset; /* within the section; UINT64_MAX for an empty slot */
    bool ok, z;      /* parsed; has a "z" augmentation (data length) */
    unsigned fde_enc, lsda_enc;
    bool has_lsda;
    uint64_t personality, personality_slot;
} Cie;

/* Parses the CIE whose body (after the length) is [body, end). */
static Cie parse_cie(const Cur *sec, const unsigned char *body, const unsigned char *end)
{
    Cie k = {.offset = (uint64_t)(body - sec->start), .fde_enc = 0};
    Cur e = {body, sec->start, end, sec->addr, sec->big, true, sec->ptr};
    if (get(&e, 4) != 0) /* the CIE id */
        return k;
    unsigned version = (unsigned)get(&e, 1);
    char aug[9] = "";
    size_t naug = 0;
    while (e.p < e.end && *e.p) {
        if (naug == 8)
            return k; /* no augmentation string in use is this long */
        aug[naug++] = (char)*e.p++;
    }
    if (e.p >= e.end)
        return k;
    e.p++;
    if (naug && aug[0] != 'z')
        return k; /* "eh" and older forms: FDEs without a length to skip by */
    leb(&e, false); /* code alignment */
    leb(&e, true);  /* data alignment */
    if (version == 1)
        get(&e, 1);
    else
        leb(&e, false);
    k.z = naug > 0;
    if (k.z)
        leb(&e, false); /* augmentation data length */
    for (size_t i = 1; i < naug && e.ok; i++) {
        if (aug[i] == 'L') {
            k.lsda_enc = (unsigned)get(&e, 1);
            k.has_lsda = k.lsda_enc != 0xff;
        } else if (aug[i] == 'R') {
            k.fde_enc = (unsigned)get(&e, 1);
        } else if (aug[i] == 'P') {
            unsigned enc = (unsigned)get(&e, 1);
            uint64_t p = eh_value(&e, enc, 0, NULL);
            if (enc & 0x80)
                k.personality_slot = p;
            else
                k.personality = p;
        } else if (aug[i] != 'S' && aug[i] != 'B') {
            return k;
        }
    }
    k.ok = e.ok && k.fde_enc != 0xff;
    return k;
}

/* A cursor over section sec's bytes, if they lie in the file. */
static bool section_cursor(const Image *img, uint32_t sec, Cur *c)
{
    const Section *s = &img->sections[sec];
    if (s->offset > img->size || s->file_size > img->size - s->offset)
        return false;
    const unsigned char *base = img->data + s->offset;
    *c = (Cur){base, base, base + s->file_size, s->addr, img->big_endian, true, img->elf_class == 64 ? 8 : 4};
    return true;
}

bool ehframe_walk(const Image *img, uint32_t sec, void (*fn)(void *ctx, const EhRecord *r), void *ctx)
{
    Cur c;
    if (!section_cursor(img, sec, &c))
        return false;
    const unsigned char *base = c.start;
    /* Direct-mapped by offset: a file has few CIEs, each FDE names one. */
    Cie cache[16];
    for (size_t i = 0; i < 16; i++)
        cache[i].offset = UINT64_MAX;
    while (c.p < c.end) {
        const unsigned char *rec = c.p;
        uint64_t len = get(&c, 4);
        if (!c.ok)
            return false;
        if (len == 0)
            return true; /* the terminator */
        if (len == 0xffffffff)
            len = get(&c, 8);
        if (!c.ok || len > (uint64_t)(c.end - c.p) || len < 4)
            return false;
        const unsigned char *body = c.p, *end = c.p + len;
        c.p = end;
        EhRecord r = {.offset = (uint64_t)(rec - base), .size = (uint64_t)(end - rec)};
        Cur e = {body, base, end, c.addr, c.big, true, c.ptr};
        uint64_t id = get(&e, 4);
        if (id == 0) {
            Cie k = parse_cie(&c, body, end);
            r.cie = true;
            r.personality = k.personality;
            r.personality_slot = k.personality_slot;
            fn(ctx, &r);
            continue;
        }
        /* The CIE pointer counts back from its own field. */
        uint64_t field = (uint64_t)(body - base);
        if (id > field)
            return false;
        uint64_t cie_off = field - id;
        Cie *k = &cache[(cie_off >> 2) & 15];
        if (k->offset != cie_off + 4) {
            const unsigned char *cp = base + cie_off;
            Cur h = {cp, base, c.end, c.addr, c.big, true, c.ptr};
            uint64_t clen = get(&h, 4);
            if (!h.ok || clen == 0 || clen == 0xffffffff || clen > (uint64_t)(h.end - h.p))
                return false;
            *k = parse_cie(&c, h.p, h.p + clen);
        }
        if (!k->ok)
            return false;
        r.pc = eh_value(&e, k->fde_enc, 0, NULL);
        r.pc_range = eh_value(&e, k->fde_enc & 0x0f, 0, NULL);
        if (k->z) {
            uint64_t n = leb(&e, false);
            const unsigned char *after = e.p;
            uint64_t raw = 0;
            if (k->has_lsda) {
                uint64_t lsda = eh_value(&e, k->lsda_enc, 0, &raw);
                r.lsda = raw ? lsda : 0;
            }
            if (e.ok && n > (uint64_t)(e.end - after))
                e.ok = false;
        }
        if (!e.ok)
            return false;
        fn(ctx, &r);
    }
    return true;
}

bool ehframe_hdr_walk(const Image *img, uint32_t sec,
                      void (*fn)(void *ctx, uint64_t pc, uint64_t offset, uint64_t size), void *ctx)
{
    Cur c;
    if (!section_cursor(img, sec, &c))
        return false;
    const unsigned char *base = c.start;
    unsigned version = (unsigned)get(&c, 1), ptr_enc = (unsigned)get(&c, 1), count_enc = (unsigned)get(&c, 1),
             table_enc = (unsigned)get(&c, 1);
    if (!c.ok || version != 1 || ptr_enc == 0xff || count_enc == 0xff || table_enc == 0xff)
        return false;
    eh_value(&c, ptr_enc, c.addr, NULL);
    uint64_t count = eh_value(&c, count_enc & 0x0f, 0, NULL);
    /* Entries of fixed size only: a binary search table needs them. */
    static const unsigned char sizes[16] = {[0x02] = 2, [0x03] = 4, [0x04] = 8, [0x0a] = 2, [0x0b] = 4, [0x0c] = 8};
    unsigned form = table_enc & 0x0f, w = form == 0 ? c.ptr : sizes[form];
    if (!c.ok || !w)
        return false;
    uint64_t at = (uint64_t)(c.p - base), room = (uint64_t)(c.end - c.p);
    if (count > room / (2 * w))
        return false;
    for (uint64_t i = 0; i < count; i++) {
        uint64_t pc = eh_value(&c, table_enc, c.addr, NULL);
        eh_value(&c, table_enc, c.addr, NULL);
        fn(ctx, pc, at + i * 2 * w, 2 * w);
    }
    return c.ok;
}
