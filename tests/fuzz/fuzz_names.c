/* fuzz_names.c — libFuzzer target: one symbol name (the input up to its
 * first NUL, as a string table holds it) through everything that reads
 * names: demangling and crate attribution (Rust legacy, v0, Itanium C++,
 * plain C) with and without --no-demangle, the generic key and type
 * arguments of monos and dups, the std fold, unit names and source paths
 * as debug info gives them, and the renderers' escaping and cutting. The
 * owner found without the text (what the views find for the rows they do
 * not show) must be the owner found with it: abort() if not.
 * Reproduce a finding: build/fuzz/fuzz_names FILE. */
#include <stdlib.h>
#include <string.h>

#include "debuginfo.h"
#include "dups.h"
#include "fuzz.h"
#include "generics.h"
#include "match.h"
#include "monos.h"
#include "names.h"
#include "render.h"

static void split(Arena *a, const NameInfo *n, unsigned flags)
{
    GenericName g;
    generics_split(a, n->display, n->lang, flags, &g);
    generics_join(a, g.args, g.nargs);
    for (uint32_t i = 0; i < g.nargs; i++)
        monos_is_conversion_source(g.args[i]);
}

static void show(const char *s)
{
    FILE *out = fuzz_null();
    render_json_string(out, s);
    render_sv_field(out, s, FMT_CSV);
    render_sv_field(out, s, FMT_TSV);
    render_cut(out, s, 40);
    render_text_width(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *raw = (char *)fuzz_copy(data, size);
    Arena *a = arena_new();
    NameInfo n, plain;
    names_lang(raw);
    names_analyze(a, raw, 0, &n);
    names_analyze(a, raw, NAMES_NO_DEMANGLE, &plain);
    if (strcmp(n.crate, plain.crate) != 0 || n.lang != plain.lang) {
        fprintf(stderr, "fuzz: %s: owner %s with the text, %s without\n", raw, n.crate, plain.crate);
        abort();
    }
    names_v0_trait_item(raw);
    split(a, &n, 0);
    split(a, &n, GENERICS_SELF_ARG);
    dups_generic_key(a, n.display, n.lang);
    names_fold_std(n.crate, n.crate_id, n.lang, NAME_RUST_V0);
    names_fold_std(n.crate, n.crate_id, n.lang, NAME_RUST_LEGACY);
    names_unit_crate_id(raw, n.crate);
    match_unit_identity(a, raw);
    const char *path, *crate;
    debuginfo_source(a, raw, NULL, &path, &crate);
    show(n.display);
    show(n.full);
    show(path);
    arena_free(a);
    free(raw);
    return 0;
}
