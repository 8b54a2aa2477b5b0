/* elfrefs.c — the references a linked ELF file records (see elfrefs.h):
 * dynamic relocations through libelf's gelf_getrela, the entry point, the
 * init and fini arrays, and the dynamic symbol table's exports. Every table
 * is read through libelf with its entry count checked against the section's
 * size, and every section against the file. */
#include "elfrefs.h"

#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keysort.h"
#include "leb128.h"
#include "vec.h"

/* The relocation types, per machine, that store an address: RELATIVE ones
 * (the address is the addend) and absolute ones (a symbol's address plus the
 * addend). Machines not listed record no pointers here. */
typedef struct RelocKinds {
    uint16_t machine;
    uint32_t relative[2], absolute[3];
} RelocKinds;

static const RelocKinds KINDS[] = {
    {EM_X86_64, {R_X86_64_RELATIVE, R_X86_64_IRELATIVE}, {R_X86_64_64, R_X86_64_GLOB_DAT, R_X86_64_JUMP_SLOT}},
    {EM_AARCH64,
     {R_AARCH64_RELATIVE, R_AARCH64_IRELATIVE},
     {R_AARCH64_ABS64, R_AARCH64_GLOB_DAT, R_AARCH64_JUMP_SLOT}},
};

static bool one_of(const uint32_t *types, size_t n, uint32_t t)
{
    for (size_t i = 0; i < n; i++)
        if (types[i] == t && t)
            return true;
    return false;
}

/* The section's table through libelf, if its entries are of size ent and
 * it lies in the file. */
static Elf_Data *table(Elf *e, const Image *img, uint32_t i, uint64_t ent, size_t *n)
{
    const Section *s = &img->sections[i];
    Elf_Scn *scn = elf_getscn(e, i);
    GElf_Shdr sh;
    Elf_Data *d;
    if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_entsize != ent || s->file_size != sh.sh_size ||
        s->offset > img->size || sh.sh_size > img->size - s->offset || !(d = elf_getdata(scn, NULL)))
        return NULL;
    *n = d->d_size / ent;
    return d;
}

static void add_root(Vec *roots, uint64_t addr)
{
    if (addr)
        *(uint64_t *)vec_push(roots) = addr;
}

static void read_relocs(Elf *e, const Image *img, const RelocKinds *k, Vec *ptrs)
{
    uint64_t ent = img->elf_class == 64 ? sizeof(Elf64_Rela) : sizeof(Elf32_Rela);
    uint64_t sent = img->elf_class == 64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
    for (uint32_t i = 0; k && i < img->nsections; i++) {
        const Section *s = &img->sections[i];
        size_t n, nsyms = 0;
        Elf_Data *d, *syms = NULL;
        if (s->type != SHT_RELA || !(s->flags & SHF_ALLOC) || !(d = table(e, img, i, ent, &n)))
            continue;
        Elf_Scn *scn = elf_getscn(e, i);
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) && sh.sh_link && sh.sh_link < img->nsections &&
            img->sections[sh.sh_link].type == SHT_DYNSYM)
            syms = table(e, img, sh.sh_link, sent, &nsyms);
        for (size_t j = 0; j < n; j++) {
            GElf_Rela r;
            if (!gelf_getrela(d, (int)j, &r))
                break;
            uint32_t type = (uint32_t)GELF_R_TYPE(r.r_info);
            size_t sym = GELF_R_SYM(r.r_info);
            uint64_t to = 0;
            GElf_Sym st;
            if (one_of(k->relative, 2, type))
                to = (uint64_t)r.r_addend;
            else if (one_of(k->absolute, 3, type) && syms && sym && sym < nsyms && gelf_getsym(syms, (int)sym, &st) &&
                     st.st_shndx != SHN_UNDEF && st.st_shndx < SHN_LORESERVE && GELF_ST_TYPE(st.st_info) != STT_TLS)
                to = st.st_value + (uint64_t)r.r_addend;
            if (to)
                *(DataRef *)vec_push(ptrs) = (DataRef){r.r_offset, to};
        }
    }
}

/* The dynamic symbol table's defined, visible functions and objects. */
static void read_exports(Elf *e, const Image *img, Vec *roots)
{
    uint64_t ent = img->elf_class == 64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
    for (uint32_t i = 0; i < img->nsections; i++) {
        size_t n;
        Elf_Data *d;
        if (img->sections[i].type != SHT_DYNSYM || !(d = table(e, img, i, ent, &n)))
            continue;
        for (size_t j = 1; j < n; j++) {
            GElf_Sym st;
            if (!gelf_getsym(d, (int)j, &st))
                break;
            int bind = GELF_ST_BIND(st.st_info), type = GELF_ST_TYPE(st.st_info), vis = GELF_ST_VISIBILITY(st.st_other);
            if (st.st_shndx != SHN_UNDEF && st.st_shndx < SHN_LORESERVE && bind != STB_LOCAL &&
                (vis == STV_DEFAULT || vis == STV_PROTECTED) &&
                (type == STT_FUNC || type == STT_OBJECT || type == STT_GNU_IFUNC || type == STT_NOTYPE))
                add_root(roots, st.st_value);
        }
    }
}

typedef struct Range {
    uint64_t start, end;
} Range;

static int cmp_range(const void *x, const void *y)
{
    const Range *a = x, *b = y;
    return a->start < b->start ? -1 : a->start > b->start;
}

static bool is_array(const Section *s)
{
    return s->type == SHT_INIT_ARRAY || s->type == SHT_FINI_ARRAY || s->type == SHT_PREINIT_ARRAY;
}

/* What the init, preinit and fini arrays hold: the pointers relocations put
 * there (a position-independent file), and the words as the file has them
 * (one that is not); and the code of .init and .fini. */
static void read_arrays(Arena *a, const Image *img, const Vec *ptrs, Vec *roots)
{
    Range *arrays = arena_array(a, img->nsections ? img->nsections : 1, sizeof *arrays);
    size_t n = 0;
    unsigned w = img->elf_class == 64 ? 8 : 4;
    for (uint32_t i = 0; i < img->nsections; i++) {
        const Section *s = &img->sections[i];
        const char *name = image_section_name(img, i);
        if ((s->flags & SHF_EXECINSTR) && (!strcmp(name, ".init") || !strcmp(name, ".fini")))
            add_root(roots, s->addr);
        /* Loaded notes are read by the loader and tools (ABI tag, build id). */
        if (s->type == SHT_NOTE && (s->flags & SHF_ALLOC))
            add_root(roots, s->addr);
        if (!is_array(s))
            continue;
        arrays[n++] = (Range){s->addr, s->addr + s->vm_size};
        if (s->offset > img->size || s->file_size > img->size - s->offset)
            continue;
        for (uint64_t off = 0; off + w <= s->file_size; off += w) {
            const unsigned char *b = img->data + s->offset + off;
            uint64_t v = 0;
            for (unsigned k = 0; k < w; k++)
                v = v << 8 | b[img->big_endian ? k : w - 1 - k];
            if (v != (w == 8 ? UINT64_MAX : UINT32_MAX))
                add_root(roots, v);
        }
    }
    /* Sorted, so that each pointer costs a binary search, not a pass. */
    qsort(arrays, n, sizeof *arrays, cmp_range);
    const DataRef *p = ptrs->p;
    for (size_t j = 0; n && j < ptrs->n; j++) {
        size_t lo = 0, hi = n; /* the last array starting at or before p[j].at */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (arrays[mid].start <= p[j].at)
                lo = mid;
            else
                hi = mid;
        }
        if (p[j].at >= arrays[lo].start && p[j].at < arrays[lo].end)
            add_root(roots, p[j].to);
    }
}

/* ---- .eh_frame: the personality routines its CIEs name ---- */

/* A cursor over [p, end) of a section loaded at addr (for pc-relative
 * pointers); every read is bounds-checked and fails the cursor. */
typedef struct Cur {
    const unsigned char *p, *start, *end;
    uint64_t addr; /* VM address of start */
    bool big, ok;
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

/* A DW_EH_PE-encoded pointer (the low nibble its form, 0x10 pc-relative);
 * 0 for forms and bases this reader does not resolve. */
static uint64_t eh_pointer(Cur *c, unsigned enc, unsigned ptr_size)
{
    uint64_t here = c->addr + (uint64_t)(c->p - c->start), v;
    switch (enc & 0x0f) {
    case 0x00: v = get(c, ptr_size); break;
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
    switch (enc & 0x70) {
    case 0x00: return v;
    case 0x10: return here + v;
    default: return 0; /* text-, data- or function-relative: not in CIEs we know */
    }
}

/* The loaded sections with file bytes, by address, for word_at's binary
 * search (a scan per CIE would be quadratic in a file of many of both). */
typedef struct ByAddr {
    uint64_t addr; /* keysort's key */
    uint32_t index;
} ByAddr;

static ByAddr *sections_by_addr(Arena *a, const Image *img, size_t *n)
{
    ByAddr *s = arena_array(a, img->nsections ? img->nsections : 1, sizeof *s);
    *n = 0;
    for (uint32_t i = 0; i < img->nsections; i++) {
        const Section *sec = &img->sections[i];
        if ((sec->flags & SHF_ALLOC) && sec->file_size && sec->offset <= img->size &&
            sec->file_size <= img->size - sec->offset)
            s[(*n)++] = (ByAddr){sec->addr, i};
    }
    keysort(s, *n, sizeof *s);
    return s;
}

/* What the word at addr holds: a relocation's pointer (ptrs sorted by at),
 * else the file's bytes (secs: sections_by_addr); 0 when neither says. */
static uint64_t word_at(const Image *img, const Vec *ptrs, const ByAddr *secs, size_t nsecs, uint64_t addr)
{
    const DataRef *p = ptrs->p;
    size_t lo = 0, hi = ptrs->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p[mid].at < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ptrs->n && p[lo].at == addr)
        return p[lo].to;
    unsigned w = img->elf_class == 64 ? 8 : 4;
    lo = 0, hi = nsecs; /* the last section starting at or before addr */
    if (!nsecs || secs[0].addr > addr)
        return 0;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (secs[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    const Section *s = &img->sections[secs[lo].index];
    if (addr - s->addr + w > s->file_size)
        return 0;
    Cur c = {img->data + s->offset + (addr - s->addr), NULL, img->data + s->offset + s->file_size, 0, img->big_endian,
             true};
    return get(&c, w);
}

/* Each CIE's personality routine ('P' in a "z" augmentation): called by the
 * unwinder, named by no instruction. An indirect pointer (0x80) names a
 * word (DW.ref.*) that holds the routine's address: both are roots. */
static void read_personalities(Arena *a, const Image *img, const Vec *ptrs, Vec *roots)
{
    unsigned ptr_size = img->elf_class == 64 ? 8 : 4;
    size_t nsecs;
    const ByAddr *secs = sections_by_addr(a, img, &nsecs);
    for (uint32_t i = 0; i < img->nsections; i++) {
        const Section *s = &img->sections[i];
        if (strcmp(image_section_name(img, i), ".eh_frame") != 0 || !s->file_size || s->offset > img->size ||
            s->file_size > img->size - s->offset)
            continue;
        const unsigned char *base = img->data + s->offset;
        Cur c = {base, base, base + s->file_size, s->addr, img->big_endian, true};
        while (c.ok && c.p < c.end) {
            uint64_t len = get(&c, 4);
            if (!c.ok || len == 0)
                break;
            if (len == 0xffffffff)
                len = get(&c, 8);
            if (!c.ok || len > (uint64_t)(c.end - c.p))
                break;
            Cur e = {c.p, c.start, c.p + len, c.addr, c.big, true};
            c.p += len;
            if (get(&e, 4) != 0) /* an FDE */
                continue;
            unsigned version = (unsigned)get(&e, 1);
            const unsigned char *aug = e.p;
            while (e.p < e.end && *e.p)
                e.p++;
            if (e.p >= e.end || *aug != 'z')
                continue;
            size_t naug = (size_t)(e.p - aug);
            e.p++;
            leb(&e, false); /* code alignment */
            leb(&e, true);  /* data alignment */
            if (version == 1)
                get(&e, 1);
            else
                leb(&e, false);
            leb(&e, false); /* augmentation data length */
            for (size_t k = 1; k < naug && e.ok; k++) {
                if (aug[k] == 'L' || aug[k] == 'R') {
                    get(&e, 1);
                } else if (aug[k] == 'P') {
                    unsigned enc = (unsigned)get(&e, 1);
                    uint64_t p = eh_pointer(&e, enc, ptr_size);
                    if (e.ok && p && (enc & 0x80)) /* the word (DW.ref.*) and what it holds */
                        add_root(roots, word_at(img, ptrs, secs, nsecs, p));
                    if (e.ok && p)
                        add_root(roots, p);
                    break;
                } else if (aug[k] != 'S' && aug[k] != 'B') {
                    break;
                }
            }
        }
    }
}

const char *elfrefs_unsupported(const Image *img)
{
    return img->archive || img->kind == ET_REL ? "references are read from linked files (executables and shared "
                                                 "objects), not from relocatable objects or archives yet"
                                               : NULL;
}

int elfrefs_read(Arena *a, const Image *img, FileRefs *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (elfrefs_unsupported(img)) {
        snprintf(err, errlen, "%s", elfrefs_unsupported(img));
        return -1;
    }
    elf_version(EV_CURRENT);
    Elf *e = elf_memory((char *)img->data, img->size);
    GElf_Ehdr eh;
    if (!e || !gelf_getehdr(e, &eh)) {
        snprintf(err, errlen, "cannot read ELF: %s", elf_errmsg(-1));
        elf_end(e);
        return -1;
    }
    const RelocKinds *k = NULL;
    for (size_t i = 0; i < sizeof KINDS / sizeof *KINDS; i++)
        if (KINDS[i].machine == img->machine)
            k = &KINDS[i];
    Vec ptrs = {.elem = sizeof(DataRef)}, roots = {.elem = sizeof(uint64_t)};
    read_relocs(e, img, k, &ptrs);
    add_root(&roots, eh.e_entry);
    read_exports(e, img, &roots);
    keysort(ptrs.p, ptrs.n, sizeof(DataRef));
    read_arrays(a, img, &ptrs, &roots);
    read_personalities(a, img, &ptrs, &roots);
    elf_end(e);
    out->ptrs = arena_array(a, ptrs.n ? ptrs.n : 1, sizeof *out->ptrs);
    if (ptrs.n)
        memcpy(out->ptrs, ptrs.p, ptrs.n * sizeof *out->ptrs);
    out->nptrs = ptrs.n;
    out->roots = arena_array(a, roots.n ? roots.n : 1, sizeof *out->roots);
    if (roots.n)
        memcpy(out->roots, roots.p, roots.n * sizeof *out->roots);
    out->nroots = roots.n;
    free(ptrs.p);
    free(roots.p);
    return 0;
}
