/* fuzz_ar.c — libFuzzer target: an ar archive (a static library, an rlib)
 * through the archive reader, which parses each ELF member, then what the
 * views and analyses run on it (fuzz_views), the members view included.
 * Reproduce a finding: build/fuzz/fuzz_ar FILE. */
#include <stdlib.h>

#include "archive.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *copy = fuzz_copy(data, size);
    Arena *a = arena_new();
    Image img;
    char err[512];
    if (archive_parse(a, "fuzz.a", copy, size, &img, err, sizeof err) == 0)
        fuzz_views(a, &img);
    arena_free(a);
    free(copy);
    return 0;
}
