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

#include "ehframe.h"
#include "imgaddr.h"
#include "keysort.h"
#include "objrefs.h"
#include "vec.h"

/* The relocation types, per machine, that store an address: RELATIVE ones
 * (the address is the addend) and absolute ones (a symbol's address; plus
 * the addend for the first, the plain word-sized one: the loaders set the
 * GOT's slots to the symbol alone). A REL entry's addend is the word it
 * patches. Machines not listed record no pointers here. */
typedef struct RelocKinds {
    uint16_t machine;
    uint32_t relative[2], absolute[3];
} RelocKinds;

static const RelocKinds KINDS[] = {
    {EM_X86_64, {R_X86_64_RELATIVE, R_X86_64_IRELATIVE}, {R_X86_64_64, R_X86_64_GLOB_DAT, R_X86_64_JUMP_SLOT}},
    {EM_AARCH64,
     {R_AARCH64_RELATIVE, R_AARCH64_IRELATIVE},
     {R_AARCH64_ABS64, R_AARCH64_GLOB_DAT, R_AARCH64_JUMP_SLOT}},
    {EM_ARM, {R_ARM_RELATIVE, R_ARM_IRELATIVE}, {R_ARM_ABS32, R_ARM_GLOB_DAT, R_ARM_JUMP_SLOT}},
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

bool elfrefs_entry(Elf_Data *d, bool rela, size_t j, GElf_Rela *out)
{
    GElf_Rel rel;
    memset(out, 0, sizeof *out);
    if (rela)
        return gelf_getrela(d, (int)j, out) != NULL;
    if (!gelf_getrel(d, (int)j, &rel))
        return false;
    out->r_offset = rel.r_offset, out->r_info = rel.r_info;
    return true;
}

/* Each entry of the loaded relocation tables, to fn. */
static void read_relocs(Elf *e, const ImgAddr *bytes, const RelocKinds *k, void (*fn)(void *, const ElfReloc *),
                        void *ctx)
{
    const Image *img = bytes->img;
    bool is64 = img->elf_class == 64;
    uint64_t sent = is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
    for (uint32_t i = 0; i < img->nsections; i++) {
        const Section *s = &img->sections[i];
        bool rela = s->type == SHT_RELA;
        uint64_t ent = rela ? (is64 ? sizeof(Elf64_Rela) : sizeof(Elf32_Rela)) : is64 ? sizeof(Elf64_Rel) : sizeof(Elf32_Rel);
        size_t n, nsyms = 0;
        Elf_Data *d, *syms = NULL;
        if ((!rela && s->type != SHT_REL) || !(s->flags & SHF_ALLOC) || !(d = table(e, img, i, ent, &n)))
            continue;
        Elf_Scn *scn = elf_getscn(e, i);
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) && sh.sh_link && sh.sh_link < img->nsections &&
            img->sections[sh.sh_link].type == SHT_DYNSYM)
            syms = table(e, img, sh.sh_link, sent, &nsyms);
        for (size_t j = 0; j < n; j++) {
            GElf_Rela r;
            if (!elfrefs_entry(d, rela, j, &r))
                break;
            uint32_t type = (uint32_t)GELF_R_TYPE(r.r_info);
            size_t sym = GELF_R_SYM(r.r_info);
            ElfReloc out = {i, s->offset + j * ent, ent, r.r_offset, 0};
            GElf_Sym st;
            uint64_t word;
            if (!rela && k && (one_of(k->relative, 2, type) || type == k->absolute[0]) &&
                imgaddr_word(bytes, r.r_offset, is64 ? 8 : 4, &word))
                r.r_addend = (int64_t)word;
            if (!k)
                ;
            else if (one_of(k->relative, 2, type))
                out.to = (uint64_t)r.r_addend;
            else if (one_of(k->absolute, 3, type) && syms && sym && sym < nsyms && gelf_getsym(syms, (int)sym, &st) &&
                     st.st_shndx != SHN_UNDEF && st.st_shndx < SHN_LORESERVE && GELF_ST_TYPE(st.st_info) != STT_TLS)
                out.to = st.st_value + (rela || type == k->absolute[0] ? (uint64_t)r.r_addend : 0);
            fn(ctx, &out);
        }
    }
}

static void push_ptr(void *ctx, const ElfReloc *r)
{
    if (r->to)
        *(DataRef *)vec_push(ctx) = (DataRef){r->at, r->to};
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
        size_t k = keysort_upto(arrays, n, sizeof *arrays, p[j].at); /* Range starts with start */
        if (k && p[j].at < arrays[k - 1].end)
            add_root(roots, p[j].to);
    }
}

/* A file loaded at a fixed address (ET_EXEC) holds its pointers as the
 * linker wrote them, with no relocation to record them: each aligned word of
 * its loaded data that holds an address in a loaded section is taken for a
 * pointer, as a conservative garbage collector takes it (a number that looks
 * like an address keeps what it seems to point to). The unwind and
 * exception tables hold offsets, and are left out. */
static void read_fixed_words(const ImgAddr *bytes, Vec *ptrs)
{
    static const char *const tables[] = {".eh_frame", ".eh_frame_hdr", ".gcc_except_table", ".ARM.extab"};
    const Image *img = bytes->img;
    unsigned w = img->elf_class == 64 ? 8 : 4;
    for (size_t k = 0; k < bytes->n; k++) {
        const Section *s = &img->sections[bytes->secs[k].index];
        const char *name = image_section_name(img, bytes->secs[k].index);
        bool table = false;
        for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
            table |= strcmp(name, tables[t]) == 0;
        if (table || (s->flags & SHF_EXECINSTR) || (s->type != SHT_PROGBITS && !is_array(s)))
            continue;
        for (uint64_t off = (w - s->addr % w) % w; off + w <= s->file_size; off += w) {
            uint64_t v;
            if (imgaddr_word(bytes, s->addr + off, w, &v) && v && imgaddr_loaded(bytes, v))
                *(DataRef *)vec_push(ptrs) = (DataRef){s->addr + off, v};
        }
    }
}

/* What the word at addr holds: a relocation's pointer (ptrs sorted by at),
 * else the file's bytes; 0 when neither says. */
static uint64_t word_at(const ImgAddr *bytes, const Vec *ptrs, uint64_t addr)
{
    const DataRef *p = ptrs->p;
    size_t k = keysort_below(p, ptrs->n, sizeof *p, addr);
    if (k < ptrs->n && p[k].at == addr)
        return p[k].to;
    uint64_t v;
    return imgaddr_word(bytes, addr, bytes->img->elf_class == 64 ? 8 : 4, &v) ? v : 0;
}

/* Each CIE's personality routine ('P' in a "z" augmentation): called by the
 * unwinder, named by no instruction. An indirect pointer names a word
 * (DW.ref.*) that holds the routine's address: both are roots. */
typedef struct Personalities {
    const ImgAddr *bytes;
    const Vec *ptrs;
    Vec *roots;
} Personalities;

static void add_personality(void *ctx, const EhRecord *r)
{
    Personalities *p = ctx;
    add_root(p->roots, r->personality);
    if (r->personality_slot) {
        add_root(p->roots, r->personality_slot);
        add_root(p->roots, word_at(p->bytes, p->ptrs, r->personality_slot));
    }
}

static void read_personalities(const ImgAddr *bytes, const Vec *ptrs, Vec *roots)
{
    const Image *img = bytes->img;
    Personalities p = {bytes, ptrs, roots};
    for (uint32_t i = 0; i < img->nsections; i++)
        if (strcmp(image_section_name(img, i), ".eh_frame") == 0)
            ehframe_walk(img, i, add_personality, &p);
}

/* libelf over the mapped file, or NULL with the reason in err. */
static Elf *open_elf(const Image *img, GElf_Ehdr *eh, char *err, size_t errlen)
{
    elf_version(EV_CURRENT);
    Elf *e = elf_memory((char *)img->data, img->size);
    if (!e || !gelf_getehdr(e, eh)) {
        snprintf(err, errlen, "cannot read ELF: %s", elf_errmsg(-1));
        elf_end(e);
        return NULL;
    }
    return e;
}

static const RelocKinds *kinds(const Image *img)
{
    for (size_t i = 0; i < sizeof KINDS / sizeof *KINDS; i++)
        if (KINDS[i].machine == img->machine)
            return &KINDS[i];
    return NULL;
}

int elfrefs_relocs(const ImgAddr *bytes, void (*fn)(void *ctx, const ElfReloc *r), void *ctx, char *err,
                   size_t errlen)
{
    const Image *img = bytes->img;
    GElf_Ehdr eh;
    Elf *e = open_elf(img, &eh, err, errlen);
    if (!e)
        return -1;
    read_relocs(e, bytes, kinds(img), fn, ctx);
    elf_end(e);
    return 0;
}

void elfrefs_keep(Arena *a, Vec *ptrs, Vec *roots, FileRefs *out)
{
    out->ptrs = arena_array(a, ptrs->n ? ptrs->n : 1, sizeof *out->ptrs);
    if (ptrs->n)
        memcpy(out->ptrs, ptrs->p, ptrs->n * sizeof *out->ptrs);
    out->nptrs = ptrs->n;
    out->roots = arena_array(a, roots->n ? roots->n : 1, sizeof *out->roots);
    if (roots->n)
        memcpy(out->roots, roots->p, roots->n * sizeof *out->roots);
    out->nroots = roots->n;
    free(ptrs->p);
    free(roots->p);
    *ptrs = *roots = (Vec){0};
}

int elfrefs_read(Arena *a, const Image *img, FileRefs *out, char *err, size_t errlen)
{
    if (img->archive || img->kind == ET_REL)
        return objrefs_read(a, img, out, err, errlen);
    memset(out, 0, sizeof *out);
    GElf_Ehdr eh;
    Elf *e = open_elf(img, &eh, err, errlen);
    if (!e)
        return -1;
    Vec ptrs = {.elem = sizeof(DataRef)}, roots = {.elem = sizeof(uint64_t)};
    ImgAddr bytes;
    imgaddr_init(a, &bytes, img);
    read_relocs(e, &bytes, kinds(img), push_ptr, &ptrs);
    size_t relocated = ptrs.n;
    if (img->kind == ET_EXEC)
        read_fixed_words(&bytes, &ptrs);
    add_root(&roots, eh.e_entry);
    read_exports(e, img, &roots);
    keysort(ptrs.p, ptrs.n, sizeof(DataRef));
    if (ptrs.n > relocated) { /* each word once: a relocation's (sorted first, stably) over the file's */
        DataRef *p = ptrs.p;
        size_t m = 0;
        for (size_t i = 0; i < ptrs.n; i++)
            if (!m || p[m - 1].at != p[i].at)
                p[m++] = p[i];
        ptrs.n = m;
    }
    read_arrays(a, img, &ptrs, &roots);
    read_personalities(&bytes, &ptrs, &roots);
    elf_end(e);
    elfrefs_keep(a, &ptrs, &roots, out);
    return 0;
}
