/* leb128.c — LEB128 numbers (see leb128.h), for the line-program reader
 * and the .eh_frame reader alike. */
#include "leb128.h"

#include <stddef.h>

/* Returns the number of bits read (a multiple of 7), 0 on overrun. */
static unsigned read_bits(const unsigned char **p, const unsigned char *end, uint64_t *out, unsigned char *last)
{
    uint64_t v = 0;
    unsigned shift = 0;
    unsigned char b;
    do {
        if (*p >= end) {
            *out = 0;
            return 0;
        }
        b = *(*p)++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    *out = v;
    *last = b;
    return shift;
}

bool leb128_u(const unsigned char **p, const unsigned char *end, uint64_t *out)
{
    unsigned char last;
    return read_bits(p, end, out, &last) != 0;
}

bool leb128_s(const unsigned char **p, const unsigned char *end, int64_t *out)
{
    uint64_t v;
    unsigned char last;
    unsigned shift = read_bits(p, end, &v, &last);
    if (shift && shift < 64 && (last & 0x40))
        v |= ~(uint64_t)0 << shift;
    *out = (int64_t)v;
    return shift != 0;
}
