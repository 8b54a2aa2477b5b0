/* elffile.c — the ELF reader: turns an ELF file (32/64-bit, either endianness,
 * any machine) into an Image.
 *
 * libelf does the decoding; this file's job is to never trust it blindly.
 * Every range the headers name is checked against the file before it is
 * used, so that what comes out (sections, segments, symbols) can be
 * accounted for without further checks. */
#include "elffile.h"
#include "memtune.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "infile.h"

typedef struct Ctx {
    Arena *a;
    Elf *e;
    Image *img;
    char *err;
    size_t errlen;
} Ctx;

static int fail(Ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(Ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* No real program loads more than a 48-bit address space holds; a file
 * that claims to is corrupt, and its sizes would not even fit exactly in
 * the doubles many JSON readers use. */
#define MAX_IMAGE ((uint64_t)1 << 48)

/* [off, off+len) lies inside [0, size), without overflow. */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

const char *image_section_name(const Image *img, uint32_t idx)
{
    if (idx < img->nsections && img->sections[idx].name)
        return img->sections[idx].name;
    return "?";
}

size_t image_section_group(const char *name)
{
    static const char *const groups[] = {".text", ".rodata", ".data.rel.ro", ".data", ".bss", ".tdata", ".tbss",
                                         ".gcc_except_table", ".init_array", ".fini_array", ".ldata", ".lrodata",
                                         ".lbss"};
    size_t skip = strncmp(name, ".rela.", 6) == 0 ? 5 : strncmp(name, ".rel.", 5) == 0 ? 4 : 0;
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++) {
        size_t n = strlen(groups[i]);
        if (strcmp(name + skip, groups[i]) == 0)
            break; /* a group's own name, such as .data.rel.ro */
        if (strncmp(name + skip, groups[i], n) == 0 && name[skip + n] == '.')
            return skip + n;
    }
    return strlen(name);
}

static int read_header(Ctx *c)
{
    Image *img = c->img;
    GElf_Ehdr eh;
    if (!gelf_getehdr(c->e, &eh))
        return fail(c, "bad ELF header: %s", elf_errmsg(-1));
    img->elf_class = eh.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : 32;
    img->big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
    img->machine = eh.e_machine;
    img->kind = eh.e_type;

    uint64_t min_eh = img->elf_class == 64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    img->ehdr_size = eh.e_ehsize >= min_eh && eh.e_ehsize <= img->size ? eh.e_ehsize : min_eh;

    /* libelf reports 0 entries for a table that lies past the end of the
     * file, which would pass a truncated file off as a stripped one: check
     * the header's own numbers first. */
    size_t phnum = 0, shnum = 0;
    uint64_t phent = img->elf_class == 64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
    uint64_t shent = img->elf_class == 64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
    if (eh.e_shoff) {
        if (eh.e_shentsize != shent)
            return fail(c, "section header entry size is %u, expected %u", eh.e_shentsize, (unsigned)shent);
        if (!in_file(eh.e_shoff, shent, img->size))
            return fail(c, "section header table at offset %#llx extends past end of file",
                        (unsigned long long)eh.e_shoff);
        if (elf_getshdrnum(c->e, &shnum) != 0 || (eh.e_shnum && shnum != eh.e_shnum))
            return fail(c, "section header table (%u entries at offset %#llx) extends past end of file",
                        eh.e_shnum, (unsigned long long)eh.e_shoff);
        if (shnum > img->size / shent || !in_file(eh.e_shoff, shnum * shent, img->size))
            return fail(c, "section header table (%zu entries at offset %#llx) extends past end of file",
                        shnum, (unsigned long long)eh.e_shoff);
        img->shdr_off = eh.e_shoff;
        img->shdr_size = shnum * shent;
    }
    if (eh.e_phnum) {
        if (eh.e_phentsize != phent)
            return fail(c, "program header entry size is %u, expected %u", eh.e_phentsize, (unsigned)phent);
        if (elf_getphdrnum(c->e, &phnum) != 0 || phnum == 0 || (eh.e_phnum != PN_XNUM && phnum != eh.e_phnum) ||
            phnum > img->size / phent || !in_file(eh.e_phoff, phnum * phent, img->size))
            return fail(c, "program header table (%u entries at offset %#llx) extends past end of file",
                        eh.e_phnum, (unsigned long long)eh.e_phoff);
        img->phdr_off = eh.e_phoff;
        img->phdr_size = phnum * phent;
    }
    img->nsegments = (uint32_t)phnum;
    img->nsections = (uint32_t)shnum;
    return 0;
}

static int read_segments(Ctx *c)
{
    Image *img = c->img;
    uint64_t loaded = 0;
    img->segments = arena_array(c->a, img->nsegments, sizeof(Segment));
    for (uint32_t i = 0; i < img->nsegments; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(c->e, (int)i, &ph))
            return fail(c, "program header %u: %s", i, elf_errmsg(-1));
        Segment *s = &img->segments[i];
        *s = (Segment){ph.p_type, ph.p_flags, ph.p_offset, ph.p_filesz, ph.p_vaddr, ph.p_memsz};
        if (ph.p_type != PT_LOAD)
            continue;
        if (!in_file(ph.p_offset, ph.p_filesz, img->size))
            return fail(c, "segment %u (LOAD) extends past end of file", i);
        if (ph.p_filesz > ph.p_memsz)
            return fail(c, "segment %u (LOAD) has more bytes in the file than in memory", i);
        if (ph.p_vaddr + ph.p_memsz < ph.p_vaddr)
            return fail(c, "segment %u (LOAD) wraps around the address space", i);
        loaded += ph.p_memsz;
        if (ph.p_memsz > MAX_IMAGE || loaded > MAX_IMAGE)
            return fail(c, "segment %u (LOAD): loaded segments add up to more than 256 TiB", i);
    }
    return 0;
}

static int read_sections(Ctx *c)
{
    Image *img = c->img;
    size_t shstrndx = 0;
    bool have_names = img->nsections && elf_getshdrstrndx(c->e, &shstrndx) == 0 && shstrndx < img->nsections;
    img->sections = arena_array(c->a, img->nsections, sizeof(Section));
    for (uint32_t i = 0; i < img->nsections; i++) {
        Elf_Scn *scn = elf_getscn(c->e, i);
        GElf_Shdr sh;
        if (!scn || !gelf_getshdr(scn, &sh))
            return fail(c, "section header %u: %s", i, elf_errmsg(-1));
        Section *s = &img->sections[i];
        const char *name = have_names ? elf_strptr(c->e, shstrndx, sh.sh_name) : NULL;
        s->name = name ? arena_strdup(c->a, name) : arena_printf(c->a, "#%u", i);
        s->type = sh.sh_type;
        s->flags = sh.sh_flags;
        s->size = sh.sh_size;
        s->offset = sh.sh_offset;
        s->addr = sh.sh_addr;
        /* Section 0 may carry the extended section count in sh_size. */
        if (i == 0 || sh.sh_type == SHT_NULL || sh.sh_type == SHT_NOBITS)
            s->file_size = 0;
        else
            s->file_size = sh.sh_size;
        if (s->file_size && !in_file(sh.sh_offset, sh.sh_size, img->size))
            return fail(c, "section %u (%s) extends past end of file", i, s->name);
        bool tbss = sh.sh_type == SHT_NOBITS && (sh.sh_flags & SHF_TLS);
        if (i != 0 && sh.sh_type != SHT_NULL && (sh.sh_flags & SHF_ALLOC) && !tbss)
            s->vm_size = sh.sh_size;
        if (s->addr + s->vm_size < s->addr)
            return fail(c, "section %u (%s) wraps around the address space", i, s->name);
        if (s->vm_size > MAX_IMAGE)
            return fail(c, "section %u (%s) claims more than 256 TiB of memory", i, s->name);
    }
    return 0;
}

/* The loaded image. A relocatable object has no addresses yet, so its
 * allocated sections are laid end to end from 0, in section order. */
static int build_maps(Ctx *c)
{
    Image *img = c->img;
    uint32_t n = 0;
    for (uint32_t i = 0; i < img->nsegments; i++)
        n += img->segments[i].type == PT_LOAD && img->segments[i].mem_size;
    if (n || img->kind != ET_REL) {
        img->maps = arena_array(c->a, n, sizeof(Mapping));
        for (uint32_t i = 0; i < img->nsegments; i++) {
            const Segment *s = &img->segments[i];
            if (s->type == PT_LOAD && s->mem_size)
                img->maps[img->nmaps++] = (Mapping){s->vaddr, s->mem_size, s->offset, s->file_size};
        }
        return 0;
    }
    img->maps = arena_array(c->a, img->nsections, sizeof(Mapping));
    uint64_t cursor = 0;
    for (uint32_t i = 0; i < img->nsections; i++) {
        Section *s = &img->sections[i];
        if (!s->vm_size)
            continue;
        s->addr = cursor;
        img->maps[img->nmaps++] = (Mapping){cursor, s->vm_size, s->offset, s->file_size};
        cursor += s->vm_size;
        if (cursor > MAX_IMAGE)
            return fail(c, "allocated sections add up to more than 256 TiB");
    }
    return 0;
}

static const Segment *tls_segment(const Image *img)
{
    for (uint32_t i = 0; i < img->nsegments; i++)
        if (img->segments[i].type == PT_TLS)
            return &img->segments[i];
    return NULL;
}

static int read_symbols(Ctx *c)
{
    Image *img = c->img;
    uint32_t symidx = IMG_NONE, shndx_idx = IMG_NONE;
    for (uint32_t i = 0; i < img->nsections; i++) {
        if (img->sections[i].type == SHT_SYMTAB && symidx == IMG_NONE)
            symidx = i;
        if (img->sections[i].type == SHT_SYMTAB_SHNDX && shndx_idx == IMG_NONE)
            shndx_idx = i;
    }
    img->has_symtab = symidx != IMG_NONE;
    if (symidx == IMG_NONE) {
        for (uint32_t i = 0; i < img->nsections && symidx == IMG_NONE; i++)
            if (img->sections[i].type == SHT_DYNSYM)
                symidx = i;
        img->has_dynsym = symidx != IMG_NONE;
        shndx_idx = IMG_NONE;
    }
    if (symidx == IMG_NONE)
        return 0;

    Elf_Scn *scn = elf_getscn(c->e, symidx);
    GElf_Shdr sh;
    if (!scn || !gelf_getshdr(scn, &sh))
        return fail(c, "symbol table: %s", elf_errmsg(-1));
    uint64_t ent = img->elf_class == 64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
    if (sh.sh_entsize != ent)
        return fail(c, "symbol table (section %u) has entry size %llu, expected %llu", symidx,
                    (unsigned long long)sh.sh_entsize, (unsigned long long)ent);
    if (sh.sh_link >= img->nsections || img->sections[sh.sh_link].type != SHT_STRTAB)
        return fail(c, "symbol table (section %u) links to section %u, which is not a string table", symidx,
                    sh.sh_link);
    Elf_Data *data = elf_getdata(scn, NULL);
    if (!data)
        return fail(c, "symbol table (section %u): %s", symidx, elf_errmsg(-1));
    Elf_Data *xdata = NULL;
    if (shndx_idx != IMG_NONE)
        xdata = elf_getdata(elf_getscn(c->e, shndx_idx), NULL);

    const Section *names = &img->sections[sh.sh_link];
    if (names->offset <= img->size && names->file_size <= img->size - names->offset)
        img->names_off = names->offset, img->names_size = names->file_size;
    uint64_t count = data->d_size / ent;
    const Segment *tls = tls_segment(img);
    img->symbols = arena_array(c->a, count, sizeof(Symbol));
    const char *unit = NULL; /* the last STT_FILE's name: locals follow their file's */
    for (uint64_t i = 1; i < count; i++) {
        GElf_Sym sym;
        Elf32_Word xndx = 0;
        if (!gelf_getsymshndx(data, xdata, (int)i, &sym, &xndx))
            return fail(c, "symbol %llu: %s", (unsigned long long)i, elf_errmsg(-1));
        unsigned type = GELF_ST_TYPE(sym.st_info);
        if (type == STT_FILE) {
            const char *f = sym.st_name ? elf_strptr(c->e, sh.sh_link, sym.st_name) : NULL;
            unit = f && f >= (const char *)img->data && f < (const char *)img->data + img->size ? f : NULL;
            continue;
        }
        if (GELF_ST_BIND(sym.st_info) != STB_LOCAL)
            unit = NULL; /* globals come after every file's locals */
        if (type == STT_SECTION || sym.st_name == 0)
            continue;
        uint32_t sec = sym.st_shndx == SHN_XINDEX ? xndx : sym.st_shndx;
        if (sec == SHN_UNDEF || (sym.st_shndx >= SHN_LORESERVE && sym.st_shndx != SHN_XINDEX))
            continue; /* undefined, absolute, common: no bytes of their own */
        if (sec >= img->nsections || img->sections[sec].type == SHT_NULL)
            continue;
        const char *name = elf_strptr(c->e, sh.sh_link, sym.st_name);
        if (!name)
            return fail(c, "symbol %llu: name offset %u is outside the string table", (unsigned long long)i,
                        sym.st_name);
        /* String tables are never converted, so names point into the
         * mapping and outlive elf_end; copy any that do not. */
        if (name < (const char *)img->data || name >= (const char *)img->data + img->size)
            name = arena_strdup(c->a, name);
        const Section *s = &img->sections[sec];
        uint64_t addr = sym.st_value;
        if (img->machine == EM_ARM && (type == STT_FUNC || type == STT_GNU_IFUNC))
            addr &= ~(uint64_t)1; /* the Thumb bit is not part of the address (an IFUNC's resolver is code too) */
        if (img->kind == ET_REL)
            addr += s->addr;
        else if (type == STT_TLS) {
            if (!tls)
                continue;
            addr += tls->vaddr; /* TLS symbols are offsets into the TLS template */
        }
        img->symbols[img->nsymbols++] = (Symbol){name, addr, sym.st_size, sec, (uint8_t)type,
                                                 (uint8_t)GELF_ST_BIND(sym.st_info), unit};
    }
    return 0;
}

int elffile_parse(Arena *a, const char *path, unsigned char *data, uint64_t size, Image *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    img->path = path;
    img->data = data;
    img->size = size;
    Ctx c = {a, NULL, img, err, errlen};
    if (size < 4 || memcmp(data, ELFMAG, SELFMAG) != 0)
        return fail(&c, size ? "not an ELF file" : "empty file, not an ELF file");
    if (size < EI_NIDENT || (data[EI_CLASS] != ELFCLASS32 && data[EI_CLASS] != ELFCLASS64))
        return fail(&c, "truncated or unknown ELF class");
    if (data[EI_DATA] != ELFDATA2LSB && data[EI_DATA] != ELFDATA2MSB)
        return fail(&c, "unknown ELF data encoding %u", data[EI_DATA]);
    uint64_t min_eh = data[EI_CLASS] == ELFCLASS64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    if (size < min_eh)
        return fail(&c, "truncated ELF header (%llu bytes)", (unsigned long long)size);

    elf_version(EV_CURRENT);
    c.e = elf_memory((char *)data, size);
    if (!c.e)
        return fail(&c, "cannot read ELF: %s", elf_errmsg(-1));
    int rc = -1;
    if (elf_kind(c.e) != ELF_K_ELF)
        fail(&c, "not an ELF object");
    else if (read_header(&c) == 0 && read_segments(&c) == 0 && read_sections(&c) == 0 && build_maps(&c) == 0)
        rc = read_symbols(&c);
    elf_end(c.e);
    return rc;
}

bool elffile_stripped(const char *path)
{
    struct stat st;
    char err[256];
    int fd = infile_open(path, &st, err, sizeof err);
    if (fd < 0)
        return false;
    elf_version(EV_CURRENT);
    Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
    size_t nsec = 0;
    bool elf = e && elf_kind(e) == ELF_K_ELF && elf_getshdrnum(e, &nsec) == 0, symtab = false;
    if (elf)
        for (Elf_Scn *scn = NULL; !symtab && (scn = elf_nextscn(e, scn));) {
            GElf_Shdr sh;
            symtab = gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB;
        }
    elf_end(e);
    close(fd);
    return elf && !symtab;
}

int elffile_open(Arena *a, const char *path, Image *img, char *err, size_t errlen)
{
    struct stat st;
    int fd = infile_open(path, &st, err, errlen);
    if (fd < 0)
        return -1;
    if (st.st_size == 0) {
        close(fd);
        snprintf(err, errlen, "empty file, not an ELF file");
        return -1;
    }
    /* Private and writable: libelf may byte-swap foreign-endian tables in
     * place; nothing reaches the file. */
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        snprintf(err, errlen, "cannot map: %s", strerror(errno));
        return -1;
    }
    if (archive_is(p, (uint64_t)st.st_size))
        return archive_parse(a, path, p, (uint64_t)st.st_size, img, err, errlen);
    int rc = elffile_parse(a, path, p, (uint64_t)st.st_size, img, err, errlen);
    img->mapped = true;
    /* The symbol table is copied into img->symbols: its pages can go, unless
     * libelf converted it in place (a byte order not the host's). */
    bool host_big = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
    for (uint32_t i = 0; rc == 0 && img->big_endian == host_big && i < img->nsections; i++) {
        const Section *s = &img->sections[i];
        if (s->type == (img->has_symtab ? SHT_SYMTAB : SHT_DYNSYM) && s->file_size)
            memtune_release(img->data + s->offset, s->file_size);
    }
    return rc;
}
