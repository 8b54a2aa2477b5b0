/* keysort.c — least-significant-digit radix sort, a byte per pass.
 *
 * No library we use sorts without a comparison callback; this is the usual
 * counting sort per byte, with the passes skipped whose byte is the same in
 * every key (addresses share their high bytes), so a sort costs a few linear
 * passes, and it is stable by construction. */
#include "keysort.h"

#include <stdlib.h>
#include <string.h>

static uint64_t key_at(const unsigned char *p)
{
    uint64_t k;
    memcpy(&k, p, sizeof k);
    return k;
}

/* Copies of a size the compiler knows are a few moves; a call to memcpy per
 * record was half the sort. */
static void move(unsigned char *to, const unsigned char *from, size_t size)
{
    if (size == 16)
        memcpy(to, from, 16);
    else if (size == 24)
        memcpy(to, from, 24);
    else
        memcpy(to, from, size);
}

void keysort(void *base, size_t n, size_t size)
{
    if (n < 2)
        return;
    size_t (*count)[256] = calloc(8, sizeof *count);
    unsigned char *tmp = malloc(n * size);
    if (!count || !tmp)
        abort();
    unsigned char *src = base, *dst = tmp;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key_at(src + i * size);
        for (unsigned d = 0; d < 8; d++)
            count[d][(k >> (8 * d)) & 0xff]++;
    }
    for (unsigned d = 0; d < 8; d++) {
        size_t *c = count[d];
        if (c[(key_at(src) >> (8 * d)) & 0xff] == n)
            continue; /* every key has this byte */
        size_t at = 0;
        for (unsigned b = 0; b < 256; b++) {
            size_t k = c[b];
            c[b] = at;
            at += k;
        }
        for (size_t i = 0; i < n; i++) {
            const unsigned char *from = src + i * size;
            move(dst + c[(key_at(from) >> (8 * d)) & 0xff]++ * size, from, size);
        }
        unsigned char *t = src;
        src = dst;
        dst = t;
    }
    if (src != base)
        memcpy(base, src, n * size);
    free(tmp);
    free(count);
}
