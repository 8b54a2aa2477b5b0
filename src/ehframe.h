/* ehframe.h — the unwind tables of a linked file, record by record: the CIEs
 * and FDEs of .eh_frame (an FDE per function: the code it covers and the
 * exception table, LSDA, of that code) and the lookup table of
 * .eh_frame_hdr. What is reported is where each record lies and what it
 * points to, not the unwind rules inside it. */
#ifndef HEFT_EHFRAME_H
#define HEFT_EHFRAME_H

#include <stdbool.h>
#include <stdint.h>

#include "image.h"

typedef struct EhRecord {
    uint64_t offset, size; /* within the section, the length field included */
    bool cie;
    /* An FDE: the code it covers and its LSDA's address (0: none). */
    uint64_t pc, pc_range, lsda;
    /* A CIE: its personality routine (0: none) and, when the pointer is
     * indirect, the word that holds the routine's address. */
    uint64_t personality, personality_slot;
} EhRecord;

/* Calls fn for each record of section sec (an .eh_frame), in order, up to
 * the zero terminator or the section's end. Returns false when a record is
 * damaged (runs past the section, a bad pointer encoding): the records
 * before it were reported. Work is linear in the section's size. */
bool ehframe_walk(const Image *img, uint32_t sec, void (*fn)(void *ctx, const EhRecord *r), void *ctx);

/* Calls fn for each entry of the binary search table of section sec (an
 * .eh_frame_hdr): the address of the code, and where the entry lies within
 * the section. False when the header is one this reader does not know or
 * the table runs past the section (no entry is reported then). */
bool ehframe_hdr_walk(const Image *img, uint32_t sec,
                      void (*fn)(void *ctx, uint64_t pc, uint64_t offset, uint64_t size), void *ctx);

#endif
