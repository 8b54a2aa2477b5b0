/* tparams.h — type arguments of functions from DWARF template parameters:
 * for a symbol (by linkage name), the types of the DW_TAG_template_type_param
 * children of the subprogram DIE carrying that DW_AT_linkage_name. This is
 * how `heft monos` shows the type arguments of Rust legacy symbols, whose
 * names carry only a hash.
 *
 * Deliberately minimal and self-contained (one pass over .debug_info, names
 * only); the general DWARF module (units, files, lines) is separate. */
#ifndef HEFT_TPARAMS_H
#define HEFT_TPARAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "image.h"

typedef struct TParams {
    const char **args; /* type names as DWARF gives them ("String", "&str", "f64") */
    uint32_t nargs;    /* 0: not found */
} TParams;

/* True when the file has a .debug_info section. */
bool tparams_available(const Image *img);

/* For each of the n linkage names, fills out[i] (zeroed when not found).
 * Unreadable DWARF gives no arguments, never an error. */
void tparams_lookup(Arena *a, const Image *img, const char *const *names, size_t n, TParams *out);

#endif
