/* archive.c — the ar reader (see archive.h).
 *
 * Written by hand rather than with libelf's elf_begin/elf_next: libelf hands
 * out members (and skips the symbol index and long-name table) but does not
 * say where those tables, the headers and the padding bytes lie, and the
 * accounting needs every one of those bytes, and a precise reason when one is
 * wrong. The format itself is a magic and 60-byte text headers, small enough
 * to check field by field. Each member's bytes then go to the ELF reader like
 * a lone object's would.
 *
 * Layout: "!<arch>\n", then per member a header (name[16] date[12] uid[6]
 * gid[6] mode[8] size[10] "`\n") and size bytes of data, padded with one byte
 * to an even offset. GNU names end in '/'; "/" (or "/SYM64/") is the symbol
 * index, "//" the long-name table, "/N" a name at offset N of that table
 * ending in "/\n". BSD "#1/N" names are the first N bytes of the data. */
#include "archive.h"

#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "elffile.h"

#define AR_MAGIC "!<arch>\n"
#define AR_THIN "!<thin>\n"
#define AR_MAGIC_LEN 8
#define AR_HDR 60
#define MAX_NAME 4096 /* a long name must end within this many bytes */
#define MAX_IMAGE ((uint64_t)1 << 48) /* as in elffile.c */

typedef struct Ctx {
    Arena *a;
    const char *path;
    unsigned char *data;
    uint64_t size;
    char *err;
    size_t errlen;
    const unsigned char *names; /* the long-name table, once seen */
    uint64_t names_len;
    bool fill;                  /* second walk: keep the names */
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

bool archive_is(const unsigned char *data, uint64_t size)
{
    return size >= AR_MAGIC_LEN && (memcmp(data, AR_MAGIC, AR_MAGIC_LEN) == 0 || memcmp(data, AR_THIN, AR_MAGIC_LEN) == 0);
}

/* A decimal header field: digits, then spaces only. */
static bool parse_decimal(const unsigned char *f, size_t len, uint64_t *out)
{
    size_t i = 0;
    uint64_t v = 0;
    for (; i < len && f[i] >= '0' && f[i] <= '9'; i++)
        v = v * 10 + (uint64_t)(f[i] - '0'); /* at most 10 digits: no overflow */
    if (i == 0)
        return false;
    for (; i < len; i++)
        if (f[i] != ' ')
            return false;
    *out = v;
    return true;
}

static bool field_is(const unsigned char *f, size_t len, const char *s)
{
    size_t n = strlen(s);
    if (n > len || memcmp(f, s, n) != 0)
        return false;
    for (size_t i = n; i < len; i++)
        if (f[i] != ' ')
            return false;
    return true;
}

static const char *other_note(const Member *m, const unsigned char *d)
{
    if (m->size >= 4 && memcmp(d, "BC\xc0\xde", 4) == 0)
        return "LLVM bitcode (-flto or -C embed-bitcode): no machine code to measure yet";
    if (m->size >= 4 && memcmp(d, "\xde\xc0\x17\x0b", 4) == 0)
        return "LLVM bitcode in a wrapper: no machine code to measure yet";
    size_t n = strlen(m->name);
    if (n >= 6 && strcmp(m->name + n - 6, ".rmeta") == 0)
        return "Rust crate metadata: used by rustc, not linked";
    return "not an ELF object: counted as a whole";
}

/* Names the member whose header is at pos and sets its kind and the bounds
 * of its data (BSD names take the first bytes of it). */
static int read_name(Ctx *c, const unsigned char *h, Member *m)
{
    uint64_t pos = m->header_offset;
    if (field_is(h, 16, "/") || field_is(h, 16, "/SYM64/") || field_is(h, 16, "__.SYMDEF") ||
        field_is(h, 16, "__.SYMDEF SORTED")) {
        m->kind = MEMBER_SYMBOL_INDEX;
        m->name = "[ar symbol index]";
        return 0;
    }
    if (field_is(h, 16, "//")) {
        m->kind = MEMBER_LONG_NAMES;
        m->name = "[ar long names]";
        c->names = c->data + m->offset;
        c->names_len = m->size;
        return 0;
    }
    uint64_t n;
    if (h[0] == '/' && parse_decimal(h + 1, 15, &n)) {
        if (!c->names)
            return fail(c, "member header at offset %#llx: long name /%llu but no long-name table before it",
                        (unsigned long long)pos, (unsigned long long)n);
        if (n >= c->names_len)
            return fail(c, "member header at offset %#llx: long name /%llu points outside the long-name table "
                        "(%llu bytes)", (unsigned long long)pos, (unsigned long long)n,
                        (unsigned long long)c->names_len);
        const unsigned char *s = c->names + n;
        uint64_t room = c->names_len - n < MAX_NAME ? c->names_len - n : MAX_NAME;
        const unsigned char *end = memchr(s, '\n', (size_t)room);
        if (!end)
            return fail(c, "member header at offset %#llx: long name /%llu does not end in the long-name table",
                        (unsigned long long)pos, (unsigned long long)n);
        if (end > s && end[-1] == '/')
            end--;
        m->name = c->fill ? arena_strndup(c->a, (const char *)s, (size_t)(end - s)) : "";
        return 0;
    }
    if (memcmp(h, "#1/", 3) == 0 && parse_decimal(h + 3, 13, &n)) {
        if (n > m->size)
            return fail(c, "member header at offset %#llx: name of %llu bytes is longer than the member",
                        (unsigned long long)pos, (unsigned long long)n);
        if (n > MAX_NAME)
            return fail(c, "member header at offset %#llx: name of %llu bytes", (unsigned long long)pos,
                        (unsigned long long)n);
        m->name = c->fill ? arena_strndup(c->a, (const char *)c->data + m->offset, (size_t)n) : "";
        m->offset += n;
        m->size -= n;
        return 0;
    }
    size_t len = 16;
    const unsigned char *slash = memchr(h, '/', 16);
    if (slash)
        len = (size_t)(slash - h);
    while (len && h[len - 1] == ' ')
        len--;
    m->name = !len ? "(no name)" : c->fill ? arena_strndup(c->a, (const char *)h, len) : "";
    return 0;
}

/* Walks the members; counts them into *n, and fills out when it is given. */
static int walk(Ctx *c, Member *out, uint32_t *n)
{
    c->fill = out != NULL;
    uint64_t pos = AR_MAGIC_LEN;
    uint32_t count = 0;
    c->names = NULL;
    c->names_len = 0;
    while (pos < c->size) {
        if (c->size - pos < AR_HDR)
            return fail(c, "truncated member header at offset %#llx (%llu bytes left, a header takes 60)",
                        (unsigned long long)pos, (unsigned long long)(c->size - pos));
        const unsigned char *h = c->data + pos;
        if (h[58] != '`' || h[59] != '\n')
            return fail(c, "member header at offset %#llx does not end in \"`\\n\": not an ar member",
                        (unsigned long long)pos);
        uint64_t size;
        if (!parse_decimal(h + 48, 10, &size))
            return fail(c, "member header at offset %#llx: size field \"%.10s\" is not a decimal number",
                        (unsigned long long)pos, (const char *)h + 48);
        uint64_t off = pos + AR_HDR;
        if (size > c->size - off)
            return fail(c, "member at offset %#llx: size %llu extends past end of file (%llu bytes left)",
                        (unsigned long long)pos, (unsigned long long)size, (unsigned long long)(c->size - off));
        Member m = {.header_offset = pos, .offset = off, .size = size, .kind = MEMBER_OTHER};
        if (read_name(c, h, &m) != 0)
            return -1;
        uint64_t next = off + size;
        m.pad = (next & 1) && next < c->size ? 1 : 0;
        if (out)
            out[count] = m;
        count++;
        pos = next + m.pad;
    }
    *n = count;
    return 0;
}

/* rustc names a crate's objects "CRATE-HASH.CRATE.HASH-cgu.N.rcgu.o" (and
 * "CRATE-HASH.HASH.rcgu.o" for its allocator shim). */
static const char *rustc_crate(Arena *a, const char *name)
{
    size_t n = strlen(name), k = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
    if (n < 7 || strcmp(name + n - 7, ".rcgu.o") != 0 || k == 0 || name[k] != '-')
        return NULL;
    return arena_strndup(a, name, k);
}

/* Parses the ELF members and tells the others apart. */
static int read_members(Ctx *c, Image *img)
{
    for (uint32_t i = 0; i < img->nmembers; i++) {
        Member *m = &img->members[i];
        if (m->kind != MEMBER_OTHER)
            continue;
        unsigned char *d = c->data + m->offset;
        if (m->size < SELFMAG || memcmp(d, ELFMAG, SELFMAG) != 0) {
            m->note = other_note(m, d);
            continue;
        }
        Image *mi = arena_alloc(c->a, sizeof *mi);
        char why[384];
        const char *mpath = arena_printf(c->a, "%s(%s)", c->path, m->name);
        if (elffile_parse(c->a, mpath, d, m->size, mi, why, sizeof why) != 0)
            return fail(c, "member %s (at offset %#llx): %s", m->name, (unsigned long long)m->header_offset, why);
        m->kind = MEMBER_ELF;
        m->img = mi;
        m->crate = rustc_crate(c->a, m->name);
        size_t n = strlen(m->name);
        if (n >= 6 && strcmp(m->name + n - 6, ".rmeta") == 0)
            m->note = "Rust crate metadata in an ELF wrapper: used by rustc, not linked";
    }
    return 0;
}

/* The archive's sections, symbols and mappings: its ELF members', shifted
 * into the archive's file offsets and, member after member, into one VM
 * domain. */
static int merge(Ctx *c, Image *img)
{
    uint64_t nsec = 0, nsym = 0, nmap = 0;
    const Image *first = NULL;
    for (uint32_t i = 0; i < img->nmembers; i++) {
        const Image *mi = img->members[i].img;
        if (!mi)
            continue;
        first = first ? first : mi;
        nsec += mi->nsections;
        nsym += mi->nsymbols;
        nmap += mi->nmaps;
        img->has_symtab |= mi->has_symtab;
    }
    if (nsec > UINT32_MAX || nsym > UINT32_MAX || nmap > UINT32_MAX)
        return fail(c, "members hold more than 2^32 sections or symbols");
    if (first) {
        img->elf_class = first->elf_class;
        img->big_endian = first->big_endian;
        img->machine = first->machine;
        img->kind = ET_REL;
    }
    img->sections = arena_array(c->a, nsec, sizeof(Section));
    img->symbols = arena_array(c->a, nsym, sizeof(Symbol));
    img->maps = arena_array(c->a, nmap, sizeof(Mapping));
    uint64_t base = 0;
    for (uint32_t i = 0; i < img->nmembers; i++) {
        Member *m = &img->members[i];
        const Image *mi = m->img;
        if (!mi)
            continue;
        m->first_section = img->nsections;
        m->vm_base = base;
        for (uint32_t k = 0; k < mi->nsections; k++) {
            Section s = mi->sections[k];
            s.offset += m->offset;
            if (s.vm_size)
                s.addr += base;
            img->sections[img->nsections++] = s;
        }
        for (uint32_t k = 0; k < mi->nsymbols; k++) {
            Symbol s = mi->symbols[k];
            s.addr += base;
            s.section += m->first_section;
            img->symbols[img->nsymbols++] = s;
        }
        uint64_t extent = 0;
        for (uint32_t k = 0; k < mi->nmaps; k++) {
            Mapping p = mi->maps[k];
            if (p.vaddr + p.mem_size > extent)
                extent = p.vaddr + p.mem_size;
            p.vaddr += base;
            p.offset += m->offset;
            img->maps[img->nmaps++] = p;
        }
        base += extent;
        if (base > MAX_IMAGE)
            return fail(c, "members' allocated sections add up to more than 256 TiB");
    }
    return 0;
}

int archive_parse(Arena *a, const char *path, unsigned char *data, uint64_t size, Image *img, char *err,
                  size_t errlen)
{
    memset(img, 0, sizeof *img);
    img->path = path;
    img->data = data;
    img->size = size;
    img->archive = true;
    Ctx c = {a, path, data, size, err, errlen, NULL, 0, false};
    if (size >= AR_MAGIC_LEN && memcmp(data, AR_THIN, AR_MAGIC_LEN) == 0)
        return fail(&c, "thin archive: its members are separate files it only names; heft reads regular "
                        "archives (made by ar without T)");
    if (!archive_is(data, size))
        return fail(&c, "not an ar archive");
    uint32_t n;
    if (walk(&c, NULL, &n) != 0)
        return -1;
    img->members = arena_array(a, n, sizeof(Member));
    if (walk(&c, img->members, &img->nmembers) != 0 || read_members(&c, img) != 0)
        return -1;
    return merge(&c, img);
}
