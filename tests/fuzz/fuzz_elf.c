/* fuzz_elf.c — libFuzzer target: an ELF image (executable, shared library or
 * object) through the ELF reader, the accounting and names, and everything
 * the views, monos, dups, the reference graph and snapshot run on it
 * (fuzz_views).
 * Reproduce a finding: build/fuzz/fuzz_elf FILE. */
#include <stdlib.h>

#include "elffile.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *copy = fuzz_copy(data, size);
    Arena *a = arena_new();
    Image img;
    char err[512];
    if (elffile_parse(a, "fuzz.elf", copy, size, &img, err, sizeof err) == 0)
        fuzz_views(a, &img);
    arena_free(a);
    free(copy);
    return 0;
}
