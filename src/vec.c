/* vec.c — the growable array: doubling, so pushes are amortized O(1). */
#include "vec.h"

#include <stdlib.h>

void *vec_push(Vec *v)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 256;
        void *np = realloc(v->p, v->cap * v->elem);
        if (!np)
            abort();
        v->p = np;
    }
    return (char *)v->p + v->elem * v->n++;
}
