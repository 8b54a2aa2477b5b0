/* hostile_elf.c — ELF files whose headers and tables are shaped to hit
 * heft's sorts, sweeps and lookups, or whose compressed debug sections claim
 * far more than a real one inflates to (generators for test_hostile.c). They
 * are written field by field in the gABI's little-endian ELF64 layout (not
 * <elf.h>: the suite is compiled with -Isrc, where a header of heft's could
 * shadow it). */
#include "elf_layout.h"
#include "hostile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

enum {
    ET_REL_ = 1, PT_LOAD_ = 1, PN_XNUM_ = 0xffff, SHN_XINDEX_ = 0xffff,
    SHT_PROGBITS_ = 1, SHT_SYMTAB_ = 2, SHT_STRTAB_ = 3, SHT_NOBITS_ = 8,
    SHF_WRITE_ = 1, SHF_ALLOC_ = 2, SHF_EXECINSTR_ = 4, SHF_COMPRESSED_ = 0x800,
    STT_OBJECT_ = 1, STT_FUNC_ = 2, STB_GLOBAL_ = 1, ELFCOMPRESS_ZLIB_ = 1, ELFCOMPRESS_ZSTD_ = 2,
};

static E64Ehdr exec_header(void)
{
    E64Ehdr e = {.e_ident = {0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LSB */, 1 /* version */},
              .e_type = 2 /* ET_EXEC */,
              .e_machine = 62 /* x86-64 */,
              .e_version = 1,
              .e_ehsize = sizeof(E64Ehdr),
              .e_phentsize = sizeof(E64Phdr),
              .e_shentsize = 64};
    return e;
}

/* 65,534 PT_LOAD headers of one page each (no sections): descending
 * addresses in the hostile file, ascending in its twin. An insertion sort of
 * the segments is quadratic on the first. */
bool hostile_gen_load_order(const char *path, bool hostile)
{
    enum { N = 65534 };
    size_t len = sizeof(E64Ehdr) + (size_t)N * sizeof(E64Phdr);
    unsigned char *b = calloc(1, len);
    if (!b)
        return false;
    E64Ehdr e = exec_header();
    e.e_phoff = sizeof e;
    e.e_phnum = N;
    memcpy(b, &e, sizeof e);
    for (unsigned i = 0; i < N; i++) {
        unsigned k = hostile ? N - 1 - i : i;
        E64Phdr p = {.p_type = 1 /* PT_LOAD */, .p_flags = 4 /* R */, .p_vaddr = 0x400000 + (uint64_t)k * 0x1000,
                  .p_memsz = 0x1000, .p_align = 0x1000};
        p.p_paddr = p.p_vaddr;
        memcpy(b + sizeof e + (size_t)i * sizeof p, &p, sizeof p);
    }
    bool ok = hostile_write(path, b, len);
    free(b);
    return ok;
}

/* A file being built: bytes appended at the end, the header patched last. */
typedef struct {
    unsigned char *p;
    size_t n, cap;
    bool oom;
} Buf;

/* Appends len bytes (zeros when data is NULL). */
static void append(Buf *b, const void *data, size_t len)
{
    if (b->oom || !len)
        return;
    if (b->n + len > b->cap) {
        size_t cap = (b->n + len) * 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p, b->cap = cap;
    }
    if (data)
        memcpy(b->p + b->n, data, len);
    else
        memset(b->p + b->n, 0, len);
    b->n += len;
}

/* Appends len bytes at an offset aligned to 8; returns that offset. */
static size_t put(Buf *b, const void *data, size_t len)
{
    append(b, NULL, ((b->n + 7) & ~(size_t)7) - b->n);
    size_t at = b->n;
    append(b, data, len);
    return at;
}

static bool finish(Buf *b, const char *path, const E64Ehdr *e)
{
    bool ok = !b->oom && b->n >= sizeof *e;
    if (ok) {
        memcpy(b->p, e, sizeof *e);
        ok = hostile_write(path, b->p, b->n);
    }
    free(b->p);
    return ok;
}

/* 200,000 PT_LOAD headers, counted through PN_XNUM (e_phnum 0xffff, the
 * real number in section 0's sh_info): descending addresses in the hostile
 * file, ascending in its twin. */
bool hostile_gen_load_xnum(const char *path, bool hostile)
{
    enum { N = 200000 };
    Buf b = {0};
    E64Ehdr e = exec_header();
    put(&b, NULL, sizeof e);
    e.e_phoff = put(&b, NULL, (size_t)N * sizeof(E64Phdr));
    for (unsigned i = 0; i < N && !b.oom; i++) {
        unsigned k = hostile ? N - 1 - i : i;
        E64Phdr p = {.p_type = PT_LOAD_, .p_flags = 4 /* R */, .p_vaddr = 0x400000 + (uint64_t)k * 0x1000,
                  .p_memsz = 0x1000, .p_align = 0x1000};
        p.p_paddr = p.p_vaddr;
        memcpy(b.p + e.e_phoff + (size_t)i * sizeof p, &p, sizeof p);
    }
    E64Shdr s0 = {.sh_info = N};
    e.e_phnum = PN_XNUM_;
    e.e_shoff = put(&b, &s0, sizeof s0);
    e.e_shnum = 1;
    return finish(&b, path, &e);
}

/* 250,000 loaded segments of .bss only (no file bytes; counted through
 * PN_XNUM), and a .bss section of 150,000 eight-byte symbols in a segment of
 * its own. In the hostile file that segment is the lowest and the others lie
 * above every symbol; in the twin it is the highest, as a linker places .bss.
 * A sweep of the symbols that starts over at the first one for each segment
 * is quadratic on the first. (Each step of it is a comparison and each
 * symbol costs heft microseconds, so it takes this many of both for the
 * hostile file to cost 20 times its twin.) */
bool hostile_gen_bss_sweep(const char *path, bool hostile)
{
    enum { NMAPS = 250000, NSYMS = 150000 };
    const uint64_t low = 0x400000, high = 0x40000000, bss_size = (uint64_t)NSYMS * 8;
    uint64_t bss = hostile ? low : high;
    Buf b = {0};
    E64Ehdr e = exec_header();
    put(&b, NULL, sizeof e);
    e.e_phnum = PN_XNUM_;
    e.e_phoff = put(&b, NULL, (size_t)NMAPS * sizeof(E64Phdr));
    for (unsigned i = 0; i < NMAPS && !b.oom; i++) {
        bool is_bss = i == (hostile ? 0 : NMAPS - 1);
        uint64_t other = hostile ? high + (uint64_t)(i - 1) * 0x1000 : low + (uint64_t)i * 0x1000;
        E64Phdr p = {.p_type = PT_LOAD_, .p_flags = 6 /* RW */, .p_vaddr = is_bss ? bss : other,
                  .p_memsz = is_bss ? bss_size : 0x1000, .p_align = 0x1000};
        p.p_paddr = p.p_vaddr;
        memcpy(b.p + e.e_phoff + (size_t)i * sizeof p, &p, sizeof p);
    }
    char *names = malloc((size_t)NSYMS * 8 + 1);
    E64Sym *syms = calloc(NSYMS + 1, sizeof *syms);
    size_t nlen = 1;
    if (!names || !syms) {
        free(names), free(syms), free(b.p);
        return false;
    }
    names[0] = '\0';
    for (unsigned i = 0; i < NSYMS; i++) {
        syms[i + 1] = (E64Sym){.st_name = (uint32_t)nlen, .st_info = STB_GLOBAL_ << 4 | STT_OBJECT_, .st_shndx = 1,
                            .st_value = bss + (uint64_t)i * 8, .st_size = 8};
        nlen += (size_t)sprintf(names + nlen, "v%u", i) + 1;
    }
    static const char shstr[] = "\0.bss\0.symtab\0.strtab\0.shstrtab";
    size_t symtab = put(&b, syms, (NSYMS + 1) * sizeof *syms), strtab = put(&b, names, nlen),
           shstrtab = put(&b, shstr, sizeof shstr);
    free(names);
    free(syms);
    E64Shdr sh[] = {
        {.sh_info = NMAPS},
        {.sh_name = 1, .sh_type = SHT_NOBITS_, .sh_flags = SHF_WRITE_ | SHF_ALLOC_, .sh_addr = bss,
         .sh_size = bss_size, .sh_addralign = 8},
        {.sh_name = 6, .sh_type = SHT_SYMTAB_, .sh_offset = symtab, .sh_size = (NSYMS + 1) * sizeof(E64Sym),
         .sh_link = 3, .sh_info = 1, .sh_addralign = 8, .sh_entsize = sizeof(E64Sym)},
        {.sh_name = 14, .sh_type = SHT_STRTAB_, .sh_offset = strtab, .sh_size = nlen, .sh_addralign = 1},
        {.sh_name = 22, .sh_type = SHT_STRTAB_, .sh_offset = shstrtab, .sh_size = sizeof shstr, .sh_addralign = 1},
    };
    e.e_shoff = put(&b, sh, sizeof sh);
    e.e_shnum = sizeof sh / sizeof *sh;
    e.e_shstrndx = 4;
    return finish(&b, path, &e);
}

/* An executable whose 20,000 functions each reach past the starts of the
 * ones after it (f_i at 50 i, 500,000 + 51 i bytes long, so that none lies
 * inside an earlier one) in 3.1 MB of code; the twin's are 50 bytes each.
 * Decoding each function over its whole st_size is quadratic here. */
bool hostile_gen_overlapping_functions(const char *path, bool hostile)
{
    enum { NSYMS = 20000, TEXT = 3100000 };
    const uint64_t base = 0x400000;
    Buf b = {0};
    E64Ehdr e = exec_header();
    put(&b, NULL, sizeof e);
    e.e_phnum = 1;
    e.e_phoff = put(&b, NULL, sizeof(E64Phdr));
    unsigned char *code = malloc(TEXT);
    char *names = malloc((size_t)NSYMS * 8 + 1);
    E64Sym *syms = calloc(NSYMS + 1, sizeof *syms);
    if (!code || !names || !syms) {
        free(code), free(names), free(syms), free(b.p);
        return false;
    }
    memset(code, 0x90, TEXT); /* nop */
    size_t text = put(&b, code, TEXT);
    free(code);
    uint64_t vaddr = base + text;
    E64Phdr ph = {.p_type = PT_LOAD_, .p_flags = 5 /* R X */, .p_offset = text, .p_vaddr = vaddr, .p_paddr = vaddr,
                  .p_filesz = TEXT, .p_memsz = TEXT, .p_align = 1};
    if (!b.oom)
        memcpy(b.p + e.e_phoff, &ph, sizeof ph);
    e.e_entry = vaddr;
    size_t nlen = 1;
    names[0] = '\0';
    for (unsigned i = 0; i < NSYMS; i++) {
        syms[i + 1] = (E64Sym){.st_name = (uint32_t)nlen, .st_info = STB_GLOBAL_ << 4 | STT_FUNC_, .st_shndx = 1,
                            .st_value = vaddr + (uint64_t)i * 50,
                            .st_size = hostile ? 500000 + (uint64_t)i * 51 : 50};
        nlen += (size_t)sprintf(names + nlen, "f%u", i) + 1;
    }
    static const char shstr[] = "\0.text\0.symtab\0.strtab\0.shstrtab";
    size_t symtab = put(&b, syms, (NSYMS + 1) * sizeof *syms), strtab = put(&b, names, nlen),
           shstrtab = put(&b, shstr, sizeof shstr);
    free(names);
    free(syms);
    E64Shdr sh[] = {
        {0},
        {.sh_name = 1, .sh_type = SHT_PROGBITS_, .sh_flags = SHF_ALLOC_ | SHF_EXECINSTR_, .sh_addr = vaddr,
         .sh_offset = text, .sh_size = TEXT, .sh_addralign = 1},
        {.sh_name = 7, .sh_type = SHT_SYMTAB_, .sh_offset = symtab, .sh_size = (NSYMS + 1) * sizeof(E64Sym),
         .sh_link = 3, .sh_info = 1, .sh_addralign = 8, .sh_entsize = sizeof(E64Sym)},
        {.sh_name = 15, .sh_type = SHT_STRTAB_, .sh_offset = strtab, .sh_size = nlen, .sh_addralign = 1},
        {.sh_name = 23, .sh_type = SHT_STRTAB_, .sh_offset = shstrtab, .sh_size = sizeof shstr, .sh_addralign = 1},
    };
    e.e_shoff = put(&b, sh, sizeof sh);
    e.e_shnum = sizeof sh / sizeof *sh;
    e.e_shstrndx = 4;
    return finish(&b, path, &e);
}

/* A relocatable object of 200,000 allocated eight-byte sections (more than
 * e_shnum holds: the count is in section 0's sh_size), as -fdata-sections
 * makes: .bss.vN without file bytes in the hostile file, so that each is a
 * stretch of the loaded image with no file bytes to sweep; .data.vN with
 * their bytes in the twin. A sweep that starts over at the first section for
 * each is quadratic here too, but as each section costs heft microseconds
 * and each step of the sweep a comparison, at this size it cost 11 times the
 * twin, not 20: the row holds the fix, but only a far bigger file would show
 * the fault by the ratio. */
bool hostile_gen_rel_nobits(const char *path, bool hostile)
{
    enum { N = 200000 };
    Buf b = {0};
    E64Ehdr e = exec_header();
    e.e_type = ET_REL_;
    put(&b, NULL, sizeof e);
    char *names = malloc((size_t)N * 16 + 16);
    E64Shdr *sh = calloc(N + 2, sizeof *sh);
    if (!names || !sh) {
        free(names), free(sh), free(b.p);
        return false;
    }
    size_t nlen = 1 + (size_t)sprintf(names + 1, ".shstrtab") + 1;
    names[0] = '\0';
    size_t data = hostile ? 0 : put(&b, NULL, (size_t)N * 8);
    for (unsigned i = 0; i < N; i++) {
        sh[i + 1] = (E64Shdr){.sh_name = (uint32_t)nlen, .sh_type = hostile ? SHT_NOBITS_ : SHT_PROGBITS_,
                           .sh_flags = SHF_WRITE_ | SHF_ALLOC_, .sh_offset = hostile ? 0 : data + (size_t)i * 8,
                           .sh_size = 8, .sh_addralign = 8};
        nlen += (size_t)sprintf(names + nlen, hostile ? ".bss.v%u" : ".data.v%u", i) + 1;
    }
    sh[N + 1] = (E64Shdr){.sh_name = 1, .sh_type = SHT_STRTAB_, .sh_offset = put(&b, names, nlen), .sh_size = nlen,
                       .sh_addralign = 1};
    sh[0].sh_size = N + 2;
    sh[0].sh_link = N + 1;
    e.e_shoff = put(&b, sh, (N + 2) * sizeof *sh);
    e.e_shnum = 0;
    e.e_shstrndx = SHN_XINDEX_;
    free(names);
    free(sh);
    return finish(&b, path, &e);
}

/* The whole of a file, malloc'd; NULL on error. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p = NULL;
    long n = f && fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (n > 0 && fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)n)) && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    if (f)
        fclose(f);
    *len = p ? (size_t)n : 0;
    return p;
}

/* A program built by cc -g whose line table has 180,000 rows (the
 * assembler writes one per .loc directive), with 60,000 empty section
 * headers appended to its own. In the hostile file .text has lost
 * SHF_EXECINSTR, so no row lies in code: a lookup that tries section after
 * section scans them all for every row. In the twin every row lies in .text. */
bool hostile_gen_line_lookup(const char *path, bool hostile)
{
    enum { ROWS = 180000, EXTRA = 60000 };
    char src[4096], cmd[8400];
    snprintf(src, sizeof src, "%s.s", path);
    FILE *f = fopen(src, "w");
    if (!f)
        return false;
    fprintf(f, "\t.text\n\t.globl main\n\t.type main, @function\nmain:\n\t.file 1 \"rows.c\"\n");
    for (unsigned i = 1; i <= ROWS; i++)
        fprintf(f, "\t.loc 1 %u\n\tnop\n", i);
    fprintf(f, "\t.loc 1 %u\n\txorl %%eax, %%eax\n\tret\n\t.size main, .-main\n"
               "\t.section .note.GNU-stack,\"\",@progbits\n",
            ROWS + 1);
    snprintf(cmd, sizeof cmd, "cc -g -o '%s' '%s'", path, src);
    size_t len;
    unsigned char *elf;
    if (fclose(f) != 0 || system(cmd) != 0 || !(elf = slurp(path, &len))) {
        fprintf(stderr, "hostile: %s failed\n", cmd);
        return false;
    }
    E64Ehdr e;
    memcpy(&e, elf, sizeof e);
    Buf b = {elf, len, len, false};
    const E64Shdr *sh = (const E64Shdr *)(elf + e.e_shoff);
    size_t nsh = e.e_shnum, strs = sh[e.e_shstrndx].sh_offset;
    size_t at = put(&b, NULL, (nsh + EXTRA) * sizeof(E64Shdr));
    if (!b.oom) {
        memcpy(b.p + at, b.p + e.e_shoff, nsh * sizeof(E64Shdr));
        E64Shdr *out = (E64Shdr *)(b.p + at);
        for (size_t i = 0; i < nsh; i++)
            if (hostile && strcmp((const char *)b.p + strs + out[i].sh_name, ".text") == 0)
                out[i].sh_flags &= ~(uint64_t)SHF_EXECINSTR_;
    }
    e.e_shoff = at;
    e.e_shnum = (uint16_t)(nsh + EXTRA);
    return finish(&b, path, &e);
}

static const unsigned char zeros[1 << 20];

static int deflate_into(Buf *b, z_stream *z, const unsigned char *data, size_t len, int flush)
{
    unsigned char out[1 << 16];
    int rc;
    z->next_in = (unsigned char *)data;
    z->avail_in = (unsigned)len;
    do {
        z->next_out = out;
        z->avail_out = sizeof out;
        rc = deflate(z, flush);
        append(b, out, sizeof out - z->avail_out);
    } while (z->avail_out == 0 && rc == Z_OK);
    return rc;
}

/* n bytes compressed into b in zlib's format, deflating run lengths (1030
 * to 1 on zeros, about the most deflate reaches): data, or zeros when data is
 * NULL (n a whole number of MiB). After a full flush deflate starts afresh,
 * so every MiB of zeros but the first comes out as the same bytes: they are
 * deflated once and copied, and the checksum of all the zeros (Adler-32's,
 * 1 + 65536 × (n mod 65521)) is written over the one the stream ends with. */
static bool zlib_into(Buf *b, const unsigned char *data, uint64_t n)
{
    z_stream z = {0};
    if (deflateInit2(&z, 9, Z_DEFLATED, 15, 9, Z_RLE) != Z_OK)
        return false;
    int rc;
    if (data) {
        rc = deflate_into(b, &z, data, (size_t)n, Z_FINISH);
    } else {
        deflate_into(b, &z, zeros, sizeof zeros, Z_FULL_FLUSH);
        size_t at = b->n;
        deflate_into(b, &z, zeros, sizeof zeros, Z_FULL_FLUSH);
        size_t rep = b->n - at;
        for (uint64_t i = 2; i < n / sizeof zeros && !b->oom; i++) {
            append(b, NULL, rep);
            if (!b->oom)
                memcpy(b->p + b->n - rep, b->p + at, rep);
        }
        rc = deflate_into(b, &z, NULL, 0, Z_FINISH);
        uint32_t adler = (uint32_t)(n % 65521) << 16 | 1;
        for (int i = 0; i < 4 && !b->oom; i++)
            b->p[b->n - 4 + (size_t)i] = (unsigned char)(adler >> (24 - 8 * i));
    }
    deflateEnd(&z);
    return rc == Z_STREAM_END && !b->oom;
}

/* n bytes, data[0..len) over and over, compressed into b by zstd. */
static bool zstd_repeat(Buf *b, const unsigned char *data, size_t len, uint64_t n)
{
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    size_t cap = ZSTD_CStreamOutSize();
    unsigned char *out = malloc(cap);
    bool ok = cc && out && !ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(cc, n));
    for (uint64_t done = 0; ok && done < n;) {
        size_t take = n - done < len ? (size_t)(n - done) : len, left;
        done += take;
        ZSTD_EndDirective end = done == n ? ZSTD_e_end : ZSTD_e_continue;
        ZSTD_inBuffer in = {data, take, 0};
        do {
            ZSTD_outBuffer o = {out, cap, 0};
            left = ZSTD_compressStream2(cc, &o, &in, end);
            ok = !ZSTD_isError(left);
            append(b, out, o.pos);
        } while (ok && (end == ZSTD_e_end ? left != 0 : in.pos < in.size));
    }
    ZSTD_freeCCtx(cc);
    free(out);
    return ok;
}

typedef enum { BOMB_ZSTD, BOMB_ZLIB, BOMB_ZLIB_GNU } BombKind;

/* An ELF file with a symbol table (empty) and one section of debug info,
 * .debug_info compressed as the gABI says (SHF_COMPRESSED) or .zdebug_info
 * as GNU did ("ZLIB" and the size, big-endian). The hostile section is 900
 * MiB of zeros: about 930 KB compressed, within the 1032 to 1 that libelf
 * allows zlib (zstd's far smaller frame is padded with a skippable frame to
 * pad_to bytes). The twin's holds 3 MB that compress 3 to 4 times, as real
 * debug info does: bytes of four values. Neither is DWARF that libdw reads,
 * which costs the twin less, not more. */
static bool gen_bomb(const char *path, bool hostile, BombKind kind, size_t pad_to)
{
    enum { TWIN = 3000000 };
    uint64_t plain = hostile ? 900ull << 20 : TWIN;
    unsigned char *twin = hostile ? NULL : malloc(TWIN);
    if (!hostile && !twin)
        return false;
    for (uint64_t i = 0, x = 1; !hostile && i < TWIN; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        twin[i] = "abcd"[x >> 62];
    }
    Buf b = {0};
    E64Ehdr e = exec_header();
    put(&b, NULL, sizeof e);
    size_t sec = put(&b, NULL, 0);
    if (kind == BOMB_ZLIB_GNU) {
        unsigned char h[12] = {'Z', 'L', 'I', 'B'};
        for (int i = 0; i < 8; i++)
            h[4 + i] = (unsigned char)(plain >> (56 - 8 * i));
        append(&b, h, sizeof h);
    } else {
        E64Chdr ch = {kind == BOMB_ZSTD ? ELFCOMPRESS_ZSTD_ : ELFCOMPRESS_ZLIB_, 0, plain, 1};
        append(&b, &ch, sizeof ch);
    }
    size_t start = b.n;
    bool ok = kind == BOMB_ZSTD ? zstd_repeat(&b, hostile ? zeros : twin, hostile ? sizeof zeros : TWIN, plain)
                                : zlib_into(&b, twin, plain);
    free(twin);
    if (ok && kind == BOMB_ZSTD && b.n - start + 8 <= pad_to) {
        uint32_t skip = (uint32_t)(pad_to - (b.n - start) - 8);
        unsigned char h[8] = {0x50, 0x2a, 0x4d, 0x18, (unsigned char)skip, (unsigned char)(skip >> 8),
                              (unsigned char)(skip >> 16), (unsigned char)(skip >> 24)};
        append(&b, h, sizeof h);
        append(&b, NULL, skip);
    }
    size_t size = b.n - sec;
    static const char gabi[] = "\0.symtab\0.strtab\0.shstrtab\0.debug_info",
                      gnu[] = "\0.symtab\0.strtab\0.shstrtab\0.zdebug_info";
    const char *shstr = kind == BOMB_ZLIB_GNU ? gnu : gabi;
    size_t shlen = kind == BOMB_ZLIB_GNU ? sizeof gnu : sizeof gabi;
    E64Sym null = {0};
    E64Shdr sh[] = {
        {0},
        {.sh_name = 27, .sh_type = SHT_PROGBITS_, .sh_flags = kind == BOMB_ZLIB_GNU ? 0 : SHF_COMPRESSED_,
         .sh_offset = sec, .sh_size = size, .sh_addralign = kind == BOMB_ZLIB_GNU ? 1 : 8},
        {.sh_name = 1, .sh_type = SHT_SYMTAB_, .sh_offset = put(&b, &null, sizeof null), .sh_size = sizeof null,
         .sh_link = 3, .sh_info = 1, .sh_addralign = 8, .sh_entsize = sizeof null},
        {.sh_name = 9, .sh_type = SHT_STRTAB_, .sh_offset = put(&b, "", 1), .sh_size = 1, .sh_addralign = 1},
        {.sh_name = 17, .sh_type = SHT_STRTAB_, .sh_offset = put(&b, shstr, shlen), .sh_size = shlen,
         .sh_addralign = 1},
    };
    e.e_shoff = put(&b, sh, sizeof sh);
    e.e_shnum = sizeof sh / sizeof *sh;
    e.e_shstrndx = 4;
    if (!ok)
        b.oom = true;
    return finish(&b, path, &e);
}

bool hostile_gen_zstd_bomb(const char *path, bool hostile)
{
    return gen_bomb(path, hostile, BOMB_ZSTD, 960000);
}

bool hostile_gen_zlib_bomb(const char *path, bool hostile)
{
    return gen_bomb(path, hostile, BOMB_ZLIB, 0);
}

bool hostile_gen_zdebug_bomb(const char *path, bool hostile)
{
    return gen_bomb(path, hostile, BOMB_ZLIB_GNU, 0);
}

/* The hostile zstd file of hostile_gen_zstd_bomb padded to size bytes of
 * section: big enough that its claim is within the bound by ratio, so that
 * only a bound in bytes stops it. */
bool hostile_gen_zstd_bomb_padded(const char *path, size_t size)
{
    return gen_bomb(path, true, BOMB_ZSTD, size);
}
