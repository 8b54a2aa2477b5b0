/* bloat.h — cargo-bloat's two reports, as it prints them: the largest
 * functions of one section, or the section's bytes per crate; a table for
 * people and cargo-bloat's JSON for the scripts written against it. The rows
 * come from heft's views; this module only formats them. */
#ifndef HEFT_BLOAT_H
#define HEFT_BLOAT_H

#include <stdio.h>

#include "view.h"

typedef struct BloatOpts {
    const char *section;   /* the section reported on (cargo-bloat: .text) */
    uint64_t section_size; /* its size, as its header says */
    bool nobits;           /* no bytes in the file (.bss): sizes are VM sizes */
    bool crates;           /* the view is a crates view, not a symbols view */
    bool filtered;         /* --filter was given */
    bool relative;         /* the File and section percent columns */
    bool json;
    int width;             /* cut names to this many columns; 0: never */
} BloatOpts;

void bloat_render(FILE *out, const Account *acct, const View *v, const BloatOpts *o);

/* cargo-bloat's sizes: "512B", "1.5KiB", "12.3MiB". */
void bloat_size(char *buf, size_t len, uint64_t bytes);

#endif
