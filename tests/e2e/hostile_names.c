/* hostile_names.c — inputs shaped to hit heft's handling of names: symbol
 * names that libiberty would demangle in exponential time (generators for
 * test_hostile.c). */
#include "hostile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
