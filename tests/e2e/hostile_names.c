/* hostile_names.c — inputs shaped to hit heft's handling of names and of
 * what it compares by name or content: symbol names that libiberty would
 * demangle in exponential time, read-only objects whose hashes collide,
 * snapshot paths of half a million components (generators for
 * test_hostile.c). */
#include "elf_layout.h"
#include "hostile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* S<i - 1 in base 36>_, or S_ for 0: an Itanium substitution. */
static void sub_ref(char *out, unsigned i)
{
    static const char DIG[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    char tmp[8];
    size_t k = 0;
    if (i > 0)
        for (unsigned v = i - 1; k == 0 || v; v /= 36)
            tmp[k++] = DIG[v % 36];
    *out++ = 'S';
    while (k)
        *out++ = tmp[--k];
    strcpy(out, "_");
}

/* A reference, or in the twin as many bytes of 'i' (int): same length, no
 * sharing. */
static void ref_or_ints(char *out, unsigned i, bool hostile)
{
    sub_ref(out, i);
    if (!hostile)
        memset(out, 'i', strlen(out));
}

/* Two functions in an x86-64 object, assembled by cc: one whose name doubles
 * at each substitution level, f(X<X, X>, Y<X<X, X>, X<X, X> >, ...), and one
 * whose pack expansion has such a pattern with its only pack last, so that
 * looking for the pack walks all of it and prints nothing. 2^26 and 2^27
 * components: seconds each, in every view that names symbols. */
bool hostile_gen_cxx_names(const char *path, bool hostile)
{
    enum { DOUBLING = 26, PACK = 27 };
    char names[2][512], r[8];

    strcpy(names[0], "_Z1f1XIS_S_E");
    for (unsigned j = 0; j < DOUBLING; j++) {
        ref_or_ints(r, 2 * j + 1, hostile);
        sprintf(names[0] + strlen(names[0]), "1YI%s%sE", r, r);
    }
    strcpy(names[1], "_Z1gIJEEvDp");
    for (unsigned j = 0; j < PACK; j++)
        strcat(names[1], "1WI");
    strcat(names[1], "1XIiE");
    for (unsigned j = 0; j + 1 < PACK; j++) {
        ref_or_ints(r, PACK + 2 + j, hostile);
        sprintf(names[1] + strlen(names[1]), "%sE", r);
    }
    strcat(names[1], "T_E");

    char *src, *cmd;
    if (asprintf(&src, "%s.s", path) < 0)
        return false;
    FILE *f = fopen(src, "w");
    bool ok = f != NULL;
    for (int i = 0; ok && i < 2; i++)
        ok = fprintf(f, "\t.text\n\t.globl %s\n\t.type %s, @function\n%s:\n\tret\n\t.size %s, .-%s\n", names[i],
                     names[i], names[i], names[i], names[i]) > 0;
    if (f && fclose(f) != 0)
        ok = false;
    if (ok && asprintf(&cmd, "cc -c -x assembler '%s' -o '%s'", src, path) >= 0) {
        ok = system(cmd) == 0;
        free(cmd);
    } else {
        ok = false;
    }
    if (!ok)
        fprintf(stderr, "hostile: cannot assemble %s\n", src);
    free(src);
    return ok;
}

/* ---- dups: read-only objects whose hashes collide ---- */

/* dups.c's mixing step, which hash_bytes applies to each 8 bytes and then
 * to a last word of zeros. It is invertible, so a second word can undo
 * whatever the first did: mix(mix(h0, w0), mix(h0, w0) ^ c) = mix(0, c)
 * whatever w0 is. */
static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}

uint64_t hostile_dups_collider(uint64_t w0)
{
    /* hash_bytes starts from 0xcbf29ce484222325 ^ the length */
    return mix(0xcbf29ce484222325ull ^ 16, w0) ^ 0x0123456789abcdefull;
}

bool hostile_write_objects16(const char *path, const uint64_t (*w)[2], size_t n)
{
    enum { SIZE = 16, NAME = 8 /* "o123456\0" */ };
    static const char shstr[] = "\0.rodata\0.symtab\0.strtab\0.shstrtab";
    size_t rodata = sizeof(E64Ehdr), symtab = rodata + n * SIZE, strtab = symtab + (n + 1) * sizeof(E64Sym),
           shstrtab = strtab + 1 + n * NAME, shoff = (shstrtab + sizeof shstr + 7) & ~(size_t)7,
           len = shoff + 5 * sizeof(E64Shdr);
    unsigned char *b = calloc(1, len);
    if (!b)
        return false;
    E64Ehdr e = {.e_ident = {0x7f, 'E', 'L', 'F', 2, 1, 1}, .e_type = 1 /* ET_REL */, .e_machine = 62,
              .e_version = 1, .e_shoff = shoff, .e_ehsize = sizeof(E64Ehdr), .e_shentsize = sizeof(E64Shdr),
              .e_shnum = 5, .e_shstrndx = 4};
    memcpy(b, &e, sizeof e);
    for (size_t i = 0; i < n; i++) {
        memcpy(b + rodata + i * SIZE, w[i], SIZE);
        E64Sym s = {.st_name = (uint32_t)(1 + i * NAME), .st_info = 0x11 /* GLOBAL OBJECT */, .st_shndx = 1,
                 .st_value = i * SIZE, .st_size = SIZE};
        memcpy(b + symtab + (i + 1) * sizeof s, &s, sizeof s);
        snprintf((char *)b + strtab + 1 + i * NAME, NAME, "o%06u", (unsigned)i);
    }
    memcpy(b + shstrtab, shstr, sizeof shstr);
    E64Shdr sh[5] = {
        {0},
        {.sh_name = 1, .sh_type = 1 /* PROGBITS */, .sh_flags = 2 /* ALLOC */, .sh_offset = rodata,
         .sh_size = n * SIZE, .sh_addralign = 16},
        {.sh_name = 9, .sh_type = 2 /* SYMTAB */, .sh_offset = symtab, .sh_size = (n + 1) * sizeof(E64Sym),
         .sh_link = 3, .sh_info = 1, .sh_addralign = 8, .sh_entsize = sizeof(E64Sym)},
        {.sh_name = 17, .sh_type = 3 /* STRTAB */, .sh_offset = strtab, .sh_size = 1 + n * NAME,
         .sh_addralign = 1},
        {.sh_name = 25, .sh_type = 3, .sh_offset = shstrtab, .sh_size = sizeof shstr, .sh_addralign = 1},
    };
    memcpy(b + shoff, sh, sizeof sh);
    bool ok = hostile_write(path, b, len);
    free(b);
    return ok;
}

/* 150,000 distinct objects (hostile_write_objects16): in the hostile file
 * all with one hash_bytes() value, in the twin each with its own. A dups
 * that compares every pair of a hash group makes 10^10 comparisons of the
 * first. */
bool hostile_gen_dups_collisions(const char *path, bool hostile)
{
    enum { N = 150000 };
    uint64_t(*w)[2] = malloc(N * sizeof *w);
    if (!w)
        return false;
    for (uint64_t i = 0; i < N; i++)
        w[i][0] = i, w[i][1] = hostile_dups_collider(i) ^ (hostile ? 0 : i);
    bool ok = hostile_write_objects16(path, (const uint64_t(*)[2])w, N);
    free(w);
    return ok;
}

/* ---- diff: paths of many components ---- */

/* A heft.snapshot/2 (docs/snapshot.md) whose files and units are the given
 * rows, each of file_size 1000 (vm_size 0), gzip'd. */
static bool write_paths_snapshot(const char *path, const char *const *rows, size_t n)
{
    gzFile gz = gzopen(path, "wb");
    if (!gz)
        return false;
    unsigned long long total = 1000ull * n;
    bool ok = gzprintf(gz,
                       "{\"schema\":\"heft.snapshot/2\",\"tool\":\"heft\",\"source\":\"x\",\"file_size\":%llu,"
                       "\"vm_size\":0,\"split_std\":false,\"debug_info\":true,\"code_sections\":[],"
                       "\"sections\":[[\".debug_info\",%llu,0]],\"segments\":[[\"[not loaded]\",%llu,0]],"
                       "\"crates\":[[\"[C]\",%llu,0]],\"symbols\":[[\"f\",null,0,0,%llu,0]],\"monos\":[]",
                       total, total, total, total, total) > 0;
    for (int list = 0; ok && list < 2; list++) {
        ok = gzprintf(gz, ",\"%s\":[", list ? "files" : "units") > 0;
        for (size_t i = 0; ok && i < n; i++)
            ok = gzprintf(gz, "%s[\"", i ? "," : "") > 0 && gzputs(gz, rows[i]) >= 0 && gzputs(gz, "\",1000,0]") >= 0;
        ok = ok && gzputs(gz, "]") >= 0;
    }
    ok = ok && gzputs(gz, "}") >= 0;
    return gzclose(gz) == Z_OK && ok;
}

/* Old: x/a/a/.../a.c and y/a/a/.../a.c; new: z/a/a/.../a.c, 500,000
 * components each. Every ending but the whole path is two rows against one,
 * so diff --by file or unit tries every depth. In the twin, the paths are as
 * long but of three components (x/aaa...a/a.c). */
bool hostile_gen_deep_paths(const char *path, bool hostile)
{
    enum { COMPONENTS = 500000 };
    size_t len = 2 * COMPONENTS + 1;
    char *rows[3] = {malloc(len + 1), malloc(len + 1), malloc(len + 1)}, *old = NULL;
    bool ok = rows[0] && rows[1] && rows[2] && asprintf(&old, "%s.old", path) >= 0;
    for (int r = 0; ok && r < 3; r++) {
        memset(rows[r], hostile ? 0 : 'a', len);
        rows[r][0] = "xyz"[r];
        for (size_t i = 1; hostile && i < len; i += 2)
            rows[r][i] = '/', rows[r][i + 1] = 'a';
        if (!hostile)
            rows[r][1] = '/', rows[r][len - 4] = '/';
        memcpy(rows[r] + len - 2, ".c", 3);
    }
    ok = ok && write_paths_snapshot(old, (const char *const *)rows, 2) &&
         write_paths_snapshot(path, (const char *const *)rows + 2, 1);
    if (!ok)
        fprintf(stderr, "hostile: cannot write %s\n", path);
    free(old), free(rows[0]), free(rows[1]), free(rows[2]);
    return ok;
}
