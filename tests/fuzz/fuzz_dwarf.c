/* fuzz_dwarf.c — libFuzzer target: the DWARF of a linked ELF file (units,
 * line tables and variables through libdw, and heft's own line-program
 * reader), as heft units, files and crates --by|--matrix read it, then the
 * rollups and the snapshot's units and files; and the template parameters
 * heft monos reads (tparams). The image is parsed from memory (elffile_open
 * would leave a mapping per input); the debug info is read from the same
 * bytes written to a file of the target's directory, as libdw reads files,
 * with that directory as --debug-dir so that build-id and debuglink
 * lookups stay inside it.
 * Reproduce a finding: build/fuzz/fuzz_dwarf FILE. */
#include <stdlib.h>

#include "debuginfo.h"
#include "debugview.h"
#include "elffile.h"
#include "fuzz.h"
#include "render.h"
#include "snapshot.h"
#include "tparams.h"

/* heft units, files (whole paths, --depth 1, --lines), crates --by
 * defining|instantiating (--split-std) and --matrix. */
static const DebugViewOpts VIEWS[] = {
    {.kind = DV_UNITS},
    {.kind = DV_FILES},
    {.kind = DV_FILES, .depth = 1},
    {.kind = DV_FILES, .lines = true},
    {.kind = DV_DEFINING},
    {.kind = DV_INSTANTIATING, .split_std = true},
    {.kind = DV_MATRIX},
};

static void template_params(Arena *a, const Image *img)
{
    if (!tparams_available(img) || !img->nsymbols)
        return;
    const char **names = arena_array(a, img->nsymbols, sizeof *names);
    for (uint32_t i = 0; i < img->nsymbols; i++)
        names[i] = img->symbols[i].name;
    TParams *out = arena_array(a, img->nsymbols, sizeof *out);
    tparams_lookup(a, img, names, img->nsymbols, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *copy = fuzz_copy(data, size);
    Arena *a = arena_new();
    const char *path = fuzz_file(a, "fuzz-dwarf", data, size);
    Image img;
    char err[512];
    if (elffile_parse(a, path, copy, size, &img, err, sizeof err) == 0) {
        Account acct;
        account_build(a, &img, ACCT_NO_DEMANGLE, &acct);
        DebugOpts o = {NULL, fuzz_dir()};
        DebugInfo di;
        if (debuginfo_load(a, &img, &o, &di, err, sizeof err) == 0) {
            const RenderOpts table = {FMT_TABLE, false, 60}, json = {FMT_JSON, false, 0};
            for (size_t i = 0; i < sizeof VIEWS / sizeof *VIEWS; i++) {
                View v;
                debugview_build(a, &acct, &di, &VIEWS[i], i % 2 ? SORT_NAME : SORT_SIZE, 20, &v);
                render_view(fuzz_null(), &acct, &v, &table);
                render_view(fuzz_null(), &acct, &v, &json);
            }
            Snapshot s;
            snapshot_from_account(a, &acct, &s);
            snapshot_add_debug(a, &acct, &di, &s);
        }
        template_params(a, &img);
    }
    arena_free(a);
    free(copy);
    return 0;
}
