/* objrefs.c — an object's relocations as references (see objrefs.h).
 *
 * Each member (or the lone object) is read through libelf over its own
 * bytes, its tables' entry counts checked against their sections. An entry
 * of a relocation section whose target section is loaded patches the word
 * at that section's address in heft's model (objects' sections are laid end
 * to end there) plus r_offset, and names the symbol S plus the addend A:
 *   - in code, x86-64's and i386's PC-relative types count A from the end
 *     of their 4-byte field, where the compiler puts the next instruction's
 *     start less 4, so the address is S + A + 4 (off by the immediate's size
 *     in the few forms with one after the displacement); in data (.eh_frame,
 *     jump tables) A is what it says;
 *   - REL entries (32-bit Arm, i386) keep A in the patched bytes: read from
 *     the word for the plain word-sized types, else (A in an instruction's
 *     bits) S alone;
 *   - any other RELA entry names S + A.
 * The unwind tables' entries are not read: they name every function, and
 * a linked file's are not references either (owners.h gives them to their
 * functions). Only the types that name an address are read (not TLS offsets, sizes or
 * markers). A named S's address is kept inside its section even when the
 * addend would leave it. An undefined S is looked up by name among the
 * globals the archive's members define. */
#include "objrefs.h"

#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keysort.h"
#include "vec.h"

/* The globals defined anywhere in the image, sorted by name, a strong
 * definition before a weak one of the same name (the one a linker picks):
 * a sort rather than a hash table, whose chains names built to collide
 * could make quadratic. */
typedef struct Globals {
    const Symbol **by_name;
    size_t n;
} Globals;

static int cmp_global(const void *x, const void *y)
{
    const Symbol *a = *(const Symbol *const *)x, *b = *(const Symbol *const *)y;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    if (a->bind != b->bind)
        return a->bind == STB_GLOBAL ? -1 : 1;
    return a < b ? -1 : a > b; /* the image's order: the first definition */
}

static void globals_build(const Image *img, Globals *g)
{
    g->by_name = malloc((img->nsymbols ? img->nsymbols : 1) * sizeof *g->by_name);
    if (!g->by_name)
        abort();
    g->n = 0;
    for (uint32_t i = 0; i < img->nsymbols; i++)
        if (img->symbols[i].bind == STB_GLOBAL || img->symbols[i].bind == STB_WEAK)
            g->by_name[g->n++] = &img->symbols[i];
    qsort(g->by_name, g->n, sizeof *g->by_name, cmp_global);
}

static const Symbol *globals_find(const Globals *g, const char *name)
{
    size_t lo = 0, hi = g->n; /* the first not before name */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(g->by_name[mid]->name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->n && strcmp(g->by_name[lo]->name, name) == 0 ? g->by_name[lo] : NULL;
}

/* How a machine's relocation type names its address. */
typedef enum { NAMES_NONE, NAMES_S_A, NAMES_S_A_PC4, NAMES_S_WORD, NAMES_S_WORD_PC4, NAMES_S } Names;

static Names names(uint16_t machine, uint32_t type)
{
    switch (machine) {
    case EM_X86_64:
        switch (type) {
        case R_X86_64_64: case R_X86_64_32: case R_X86_64_32S: return NAMES_S_A;
        case R_X86_64_PC32: case R_X86_64_PLT32: case R_X86_64_GOTPCREL: case R_X86_64_GOTPCRELX:
        case R_X86_64_REX_GOTPCRELX: case R_X86_64_PC64: return NAMES_S_A_PC4;
        default: return NAMES_NONE;
        }
    case EM_AARCH64: /* every static relocation but the TLS ones (512 on) names S + A */
        return type && type < 512 ? NAMES_S_A : NAMES_NONE;
    case EM_ARM:
        switch (type) {
        case R_ARM_ABS32: case R_ARM_TARGET1: return NAMES_S_WORD;
        case R_ARM_CALL: case R_ARM_JUMP24: case R_ARM_THM_PC22: case R_ARM_THM_JUMP24: case R_ARM_PC24:
        case R_ARM_MOVW_ABS_NC: case R_ARM_MOVT_ABS: case R_ARM_THM_MOVW_ABS_NC: case R_ARM_THM_MOVT_ABS:
        case R_ARM_REL32: case R_ARM_PREL31: case R_ARM_GOT32: case R_ARM_GOTOFF: case R_ARM_GOT_PREL:
            return NAMES_S;
        default: return NAMES_NONE;
        }
    case EM_386:
        switch (type) {
        case R_386_32: case R_386_GOTOFF: return NAMES_S_WORD;
        case R_386_PC32: case R_386_PLT32: return NAMES_S_WORD_PC4;
        case R_386_GOT32: case R_386_GOT32X: return NAMES_S;
        default: return NAMES_NONE;
        }
    default:
        return NAMES_S_A; /* RELA elsewhere: S + A; REL reads as S below */
    }
}

/* One object: its sections are img's from first on, its loaded bytes at
 * base in img's model. */
typedef struct Object {
    const Image *img; /* the whole (archive or lone object) */
    const Image *own; /* the member's own */
    uint32_t first;
    const Globals *globals;
    const ImgAddr *bytes; /* the whole's loaded bytes by address */
    Vec *ptrs;
    Elf_Data *xndx; /* SHT_SYMTAB_SHNDX: the section indexes past 65,279, or NULL */
} Object;

/* The signed 32-bit word at addr in the model, or 0. */
static uint64_t word32(const Object *o, uint64_t addr)
{
    uint64_t v;
    return imgaddr_word(o->bytes, addr, 4, &v) ? (uint64_t)(int64_t)(int32_t)v : 0;
}

/* The model's address of symbol index sym, or 0 (undefined elsewhere too,
 * absolute, common). *named: S is a named symbol, not a section's. */
static uint64_t symbol_addr(const Object *o, Elf_Data *syms, size_t nsyms, uint32_t strtab, Elf *e, size_t sym,
                            bool *named, uint32_t *section)
{
    GElf_Sym st;
    Elf32_Word xndx = 0;
    if (!sym || sym >= nsyms || !gelf_getsymshndx(syms, o->xndx, (int)sym, &st, &xndx))
        return 0;
    *named = GELF_ST_TYPE(st.st_info) != STT_SECTION;
    uint64_t shndx = st.st_shndx == SHN_XINDEX ? xndx : st.st_shndx;
    if (st.st_shndx == SHN_UNDEF) {
        const char *name = elf_strptr(e, strtab, st.st_name);
        const Symbol *def = name && *name ? globals_find(o->globals, name) : NULL;
        if (!def)
            return 0;
        *section = def->section;
        return def->addr;
    }
    if ((st.st_shndx >= SHN_LORESERVE && st.st_shndx != SHN_XINDEX) || shndx >= o->own->nsections)
        return 0;
    const Section *s = &o->img->sections[o->first + shndx];
    if (!s->vm_size)
        return 0;
    *section = o->first + (uint32_t)shndx;
    return s->addr + st.st_value;
}

static void read_table(const Object *o, Elf *e, uint32_t i)
{
    const Image *own = o->own;
    const Section *rs = &own->sections[i];
    bool rela = rs->type == SHT_RELA, is64 = own->elf_class == 64;
    Elf_Scn *scn = elf_getscn(e, i);
    GElf_Shdr sh, symsh;
    Elf_Data *d, *syms;
    if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_info >= own->nsections || sh.sh_link >= own->nsections ||
        !o->img->sections[o->first + sh.sh_info].vm_size)
        return;
    uint64_t ent = rela ? (is64 ? sizeof(Elf64_Rela) : sizeof(Elf32_Rela)) : is64 ? sizeof(Elf64_Rel) : sizeof(Elf32_Rel);
    Elf_Scn *symscn = elf_getscn(e, sh.sh_link);
    if (sh.sh_entsize != ent || sh.sh_size > own->size || !(d = elf_getdata(scn, NULL)) || !symscn ||
        !gelf_getshdr(symscn, &symsh) || symsh.sh_type != SHT_SYMTAB || !(syms = elf_getdata(symscn, NULL)) ||
        symsh.sh_entsize != (is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym)))
        return;
    size_t n = d->d_size / ent, nsyms = syms->d_size / symsh.sh_entsize;
    const Section *target = &o->img->sections[o->first + sh.sh_info];
    const char *tname = image_section_name(own, (uint32_t)sh.sh_info);
    if (strcmp(tname, ".eh_frame") == 0 || strcmp(tname, ".ARM.extab") == 0 || target->type == SHT_ARM_EXIDX)
        return; /* unwind tables name every function: no use keeps it */
    bool code = (target->flags & SHF_EXECINSTR) != 0;
    for (size_t j = 0; j < n; j++) {
        GElf_Rela r;
        if (!elfrefs_entry(d, rela, j, &r))
            break;
        if (r.r_offset >= target->vm_size)
            continue;
        Names how = names(own->machine, (uint32_t)GELF_R_TYPE(r.r_info));
        bool named = false;
        uint32_t section = 0;
        uint64_t s = how == NAMES_NONE ? 0
                                       : symbol_addr(o, syms, nsyms, (uint32_t)symsh.sh_link, e, GELF_R_SYM(r.r_info),
                                                     &named, &section);
        if (!s && !section)
            continue;
        uint64_t to = s;
        if (rela && how == NAMES_S_A)
            to = s + (uint64_t)r.r_addend;
        else if (rela && how == NAMES_S_A_PC4)
            to = s + (uint64_t)r.r_addend + (code ? 4 : 0);
        else if (!rela && (how == NAMES_S_WORD || how == NAMES_S_WORD_PC4))
            to = s + word32(o, target->addr + r.r_offset) + (how == NAMES_S_WORD_PC4 && code ? 4 : 0);
        const Section *ss = &o->img->sections[section];
        if (named && (to < ss->addr || to - ss->addr >= ss->vm_size))
            to = s; /* an addend past the symbol's section: the symbol is what is named */
        *(DataRef *)vec_push(o->ptrs) = (DataRef){target->addr + r.r_offset, to};
    }
}

static int read_object(Object *o, char *err, size_t errlen)
{
    Elf *e = elf_memory((char *)o->own->data, o->own->size);
    GElf_Ehdr eh;
    if (!e || !gelf_getehdr(e, &eh)) {
        snprintf(err, errlen, "%s: cannot read ELF: %s", o->own->path, elf_errmsg(-1));
        elf_end(e);
        return -1;
    }
    for (uint32_t i = 0; i < o->own->nsections && !o->xndx; i++) {
        Elf_Scn *scn = o->own->sections[i].type == SHT_SYMTAB_SHNDX ? elf_getscn(e, i) : NULL;
        o->xndx = scn ? elf_getdata(scn, NULL) : NULL;
    }
    for (uint32_t i = 0; i < o->own->nsections; i++)
        if (o->own->sections[i].type == SHT_RELA || o->own->sections[i].type == SHT_REL)
            read_table(o, e, i);
    elf_end(e);
    return 0;
}

int objrefs_read(Arena *a, const Image *img, FileRefs *out, char *err, size_t errlen)
{
    elf_version(EV_CURRENT);
    memset(out, 0, sizeof *out);
    Globals g;
    globals_build(img, &g);
    ImgAddr bytes;
    imgaddr_init(a, &bytes, img);
    Vec ptrs = {.elem = sizeof(DataRef)}, roots = {.elem = sizeof(uint64_t)};
    int rc = 0;
    if (img->archive) {
        for (uint32_t m = 0; m < img->nmembers && rc == 0; m++) {
            const Member *mb = &img->members[m];
            Object o = {img, mb->img, mb->first_section, &g, &bytes, &ptrs, NULL};
            if (mb->kind == MEMBER_ELF && mb->img)
                rc = read_object(&o, err, errlen);
        }
    } else {
        Object o = {img, img, 0, &g, &bytes, &ptrs, NULL};
        rc = read_object(&o, err, errlen);
    }
    free(g.by_name);
    if (rc != 0) {
        free(ptrs.p);
        return -1;
    }
    for (uint32_t i = 0; i < img->nsymbols; i++) {
        const Symbol *s = &img->symbols[i];
        if ((s->bind == STB_GLOBAL || s->bind == STB_WEAK) && s->section < img->nsections &&
            img->sections[s->section].vm_size)
            *(uint64_t *)vec_push(&roots) = s->addr;
    }
    keysort(ptrs.p, ptrs.n, sizeof(DataRef));
    elfrefs_keep(a, &ptrs, &roots, out);
    return 0;
}
