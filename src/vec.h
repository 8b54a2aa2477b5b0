/* vec.h — a growable array on the heap, for per-run lists whose length is
 * known only at the end (claims, spans, units). The arena cannot grow a block
 * in place, so these live apart and are freed (free(v.p)) when copied out. */
#ifndef HEFT_VEC_H
#define HEFT_VEC_H

#include <stddef.h>

typedef struct Vec {
    void *p;
    size_t n, cap, elem; /* set elem (the element size) before the first push */
} Vec;

/* Room for one more element at the end; aborts when memory runs out. */
void *vec_push(Vec *v);

#endif
