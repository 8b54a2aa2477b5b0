/* leb128.h — LEB128 numbers, as DWARF and .eh_frame store them: seven bits
 * a byte, low bits first, the top bit set on every byte but the last. */
#ifndef HEFT_LEB128_H
#define HEFT_LEB128_H

#include <stdbool.h>
#include <stdint.h>

/* Reads one number from *p, which must stay below end, and moves *p past
 * it; bits past the 64th are dropped. False, with *p at end and *out 0,
 * when the number runs past end. The signed form sign-extends its last
 * byte's bit 6. */
bool leb128_u(const unsigned char **p, const unsigned char *end, uint64_t *out);
bool leb128_s(const unsigned char **p, const unsigned char *end, int64_t *out);

#endif
