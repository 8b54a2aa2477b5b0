/* hostile_regex.c — what users and files hand heft as text: regular
 * expressions built to blow up a matcher (a budget's symbol pattern, a
 * --filter), and names holding control characters (generators for
 * test_hostile.c and test_escape.c).
 *
 * The binaries are relocatable ELF64 objects written field by field: a .text
 * with one 16-byte function per symbol, the symbol and string tables, and any
 * extra sections asked for, so that a name may hold any byte but NUL. */
#include "elf_layout.h"
#include "hostile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FN_SIZE = 16, SEC_SIZE = 32 };

typedef struct {
    unsigned char *b;
    size_t len, cap;
} Buf;

static size_t put(Buf *o, const void *p, size_t n)
{
    if (o->len + n > o->cap) {
        o->cap = (o->len + n) * 2;
        o->b = realloc(o->b, o->cap);
    }
    memcpy(o->b + o->len, p, n);
    o->len += n;
    return o->len - n;
}

/* A relocatable x86-64 object: nsyms global functions named syms[i] in
 * .text, then nsecs allocated data sections named secs[i]. */
static bool write_object(const char *path, char *const *syms, size_t nsyms, const char *const *secs, size_t nsecs)
{
    Buf strtab = {0}, shstr = {0}, out = {0};
    put(&strtab, "", 1);
    put(&shstr, "", 1);
    size_t text_name = put(&shstr, ".text", 6), symtab_name = put(&shstr, ".symtab", 8),
           strtab_name = put(&shstr, ".strtab", 8), shstrtab_name = put(&shstr, ".shstrtab", 10);
    size_t *sec_names = malloc((nsecs + 1) * sizeof *sec_names);
    for (size_t i = 0; i < nsecs; i++)
        sec_names[i] = put(&shstr, secs[i], strlen(secs[i]) + 1);

    E64Ehdr e = {.e_ident = {0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LSB */, 1 /* version */},
              .e_type = 1 /* ET_REL */,
              .e_machine = 62 /* x86-64 */,
              .e_version = 1,
              .e_ehsize = sizeof(E64Ehdr),
              .e_shentsize = sizeof(E64Shdr),
              .e_shnum = (uint16_t)(5 + nsecs),
              .e_shstrndx = 4};
    put(&out, &e, sizeof e);
    size_t text_off = out.len;
    for (size_t i = 0; i < nsyms; i++) {
        unsigned char fn[FN_SIZE];
        memset(fn, 0x90 /* nop */, sizeof fn);
        fn[FN_SIZE - 1] = 0xc3; /* ret */
        put(&out, fn, sizeof fn);
    }
    size_t data_off = out.len;
    for (size_t i = 0; i < nsecs; i++) {
        unsigned char d[SEC_SIZE];
        memset(d, (int)i + 1, sizeof d);
        put(&out, d, sizeof d);
    }
    while (out.len % 8)
        put(&out, "", 1);
    size_t symtab_off = out.len;
    E64Sym null = {0};
    put(&out, &null, sizeof null);
    for (size_t i = 0; i < nsyms; i++) {
        E64Sym s = {.st_name = (uint32_t)put(&strtab, syms[i], strlen(syms[i]) + 1),
                 .st_info = 0x12 /* STB_GLOBAL, STT_FUNC */,
                 .st_shndx = 1,
                 .st_value = (uint64_t)i * FN_SIZE,
                 .st_size = FN_SIZE};
        put(&out, &s, sizeof s);
    }
    size_t strtab_off = put(&out, strtab.b, strtab.len);
    size_t shstr_off = put(&out, shstr.b, shstr.len);
    while (out.len % 8)
        put(&out, "", 1);
    ((E64Ehdr *)out.b)->e_shoff = out.len;
    E64Shdr sh[5] = {
        {0},
        {.sh_name = (uint32_t)text_name, .sh_type = 1 /* PROGBITS */, .sh_flags = 6 /* AX */,
         .sh_offset = text_off, .sh_size = nsyms * FN_SIZE, .sh_addralign = 16},
        {.sh_name = (uint32_t)symtab_name, .sh_type = 2 /* SYMTAB */, .sh_offset = symtab_off,
         .sh_size = (nsyms + 1) * sizeof(E64Sym), .sh_link = 3, .sh_info = 1, .sh_addralign = 8,
         .sh_entsize = sizeof(E64Sym)},
        {.sh_name = (uint32_t)strtab_name, .sh_type = 3 /* STRTAB */, .sh_offset = strtab_off,
         .sh_size = strtab.len, .sh_addralign = 1},
        {.sh_name = (uint32_t)shstrtab_name, .sh_type = 3, .sh_offset = shstr_off, .sh_size = shstr.len,
         .sh_addralign = 1},
    };
    put(&out, sh, sizeof sh);
    for (size_t i = 0; i < nsecs; i++) {
        E64Shdr d = {.sh_name = (uint32_t)sec_names[i], .sh_type = 1, .sh_flags = 2 /* A */,
                  .sh_offset = data_off + i * SEC_SIZE, .sh_size = SEC_SIZE, .sh_addralign = 1};
        put(&out, &d, sizeof d);
    }
    bool ok = hostile_write(path, out.b, out.len);
    free(sec_names);
    free(strtab.b);
    free(shstr.b);
    free(out.b);
    return ok;
}

/* n names of len bytes, from a fixed seed: letters a and b only, so that
 * no pattern ending in x or [cd] can match them. */
static char **ab_names(size_t n, size_t len)
{
    char **names = malloc(n * sizeof *names);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        names[i] = malloc(len + 1);
        for (size_t k = 0; k < len; k++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            names[i][k] = (char)('a' + (x & 1));
        }
        names[i][len] = '\0';
    }
    return names;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static bool write_text(const char *path, const char *suffix, const char *text)
{
    char *p;
    if (asprintf(&p, "%s%s", path, suffix) < 0)
        return false;
    bool ok = hostile_write(p, text, strlen(text));
    free(p);
    return ok;
}

/* A budget whose symbol pattern nests counted repeats: glibc's regcomp
 * expands them to 10^9 copies (1.4 GB after 7 s and growing; killed at the
 * timeout). Twin: a pattern of the same length that alternates instead. The
 * binary is the same for both. */
bool hostile_gen_budget_regex(const char *path, bool hostile)
{
    enum { N = 2000, LEN = 40 };
    char **names = ab_names(N, LEN);
    bool ok = write_object(path, names, N, NULL, 0);
    free_names(names, N);
    const char *re = hostile ? "(((a{1,1000}){1,1000}){1,1000})" : "(((abc|defgh)|(ijk|lmn))|opqrst)";
    char budget[256];
    snprintf(budget, sizeof budget, "[symbols.\"%s\"]\nfile = \"1 GiB\"\n", re);
    return ok && write_text(path, ".budget.toml", budget);
}

/* --filter with back-references, read from {}.re: glibc's regexec tries
 * every way to split each name into five captures (past the 120 s timeout on
 * these 160 names of 200 bytes). Twin: five plain groups and literals, of the
 * same length. */
bool hostile_gen_filter_backref(const char *path, bool hostile)
{
    enum { N = 160, LEN = 200 };
    char **names = ab_names(N, LEN);
    bool ok = write_object(path, names, N, NULL, 0);
    free_names(names, N);
    return ok && write_text(path, ".re", hostile ? "(.*)(.*)(.*)(.*)(.*)\\5\\4\\3\\2\\1x" : "(ab)(ba)(bb)(aa)(ab)cdefghijklx");
}

/* Every control character a terminal acts on (ESC starts a sequence, here
 * one that clears the screen or sets the window title; BEL rings; CR and LF
 * move the cursor and forge rows; DEL; TAB), and a C1 CSI that is not UTF-8. */
static const char *const CONTROL_SYMBOLS[] = {
    "esc\x1b[2Jcleared", "bel\x07rang", "cr\rover", "lf\nforged row", "del\x7fgone", "tab\there", "csi\x9b" "31m",
};
static const char *const CONTROL_SECTIONS[] = {".data.\x1b]0;title\x07", ".rodata.\r\n"};
enum { NCONTROL = sizeof CONTROL_SYMBOLS / sizeof *CONTROL_SYMBOLS };

static void defang(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            *s = 'c';
}

/* 2000 symbols named as above with their number appended ("esc\x1b[2J
 * cleared0"), and the two sections; twin: the same with every control byte
 * made a 'c'. */
bool hostile_gen_control_names(const char *path, bool hostile)
{
    enum { N = 2000 };
    char *names[N], *secs[2];
    for (size_t i = 0; i < N; i++) {
        if (asprintf(&names[i], "%s%zu", CONTROL_SYMBOLS[i % NCONTROL], i) < 0)
            return false;
        if (!hostile)
            defang(names[i]);
    }
    for (size_t i = 0; i < 2; i++) {
        secs[i] = strdup(CONTROL_SECTIONS[i]);
        if (!hostile)
            defang(secs[i]);
    }
    bool ok = write_object(path, names, N, (const char *const *)secs, 2);
    for (size_t i = 0; i < N; i++)
        free(names[i]);
    free(secs[0]);
    free(secs[1]);
    return ok;
}
