/* fuzz_budget.c — libFuzzer target: a budget file (heft check --budget, the
 * TOML subset of toml.h) through budget_parse, as budget_load reads it, then
 * judged against two small snapshots (this one and a baseline) and every
 * limit rendered in every format of heft check.
 * Reproduce a finding: build/fuzz/fuzz_budget FILE. */
#include "budget.h"
#include "fuzz.h"
#include "render_diff.h"

/* Rows of every view a limit can name: sections, crates, symbols. */
static SnapRow sections[] = {{".text", ".text", NULL, NULL, 5000, 5000, 0},
                             {".rodata", ".rodata", NULL, NULL, 1200, 1200, 0},
                             {".bss", ".bss", NULL, NULL, 0, 800, 0}};
static SnapRow crates[] = {{"std", "std", NULL, NULL, 4000, 4000, 0},
                           {"app", "app", NULL, NULL, 1500, 1500, 0},
                           {"[C]", "[C]", NULL, NULL, 700, 1500, 0}};
static SnapRow symbols[] = {
    {"main", "main", "[C]", ".text", 300, 300, 0},
    {"_ZN4core3fmt5write17h0123456789abcdefE", "core::fmt::write", "std", ".text", 2000, 2000, 0},
    {"_RNvCs1234_3app4main", "app::main", "app", ".text", 1500, 1500, 0},
    {"counter", "counter", "[C]", ".bss", 0, 800, 0},
};

static Snapshot snapshot(uint64_t file_size)
{
    Snapshot s = {.path = "fuzz.heft.json.gz", .source = "fuzz", .tool = "heft", .file_size = file_size,
                  .vm_size = file_size + 800};
    s.rows[SNAP_SECTIONS] = sections, s.nrows[SNAP_SECTIONS] = sizeof sections / sizeof *sections;
    s.rows[SNAP_CRATES] = crates, s.nrows[SNAP_CRATES] = sizeof crates / sizeof *crates;
    s.rows[SNAP_SYMBOLS] = symbols, s.nrows[SNAP_SYMBOLS] = sizeof symbols / sizeof *symbols;
    for (SnapView k = 0; k < SNAP_MONOS; k++)
        s.has[k] = true;
    return s;
}

static const RenderOpts FORMATS[] = {
    {FMT_TABLE, true, 60}, {FMT_JSON, false, 0}, {FMT_CSV, false, 0}, {FMT_TSV, false, 0}, {FMT_MARKDOWN, false, 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena *a = arena_new();
    Budget b;
    char err[512];
    if (budget_parse(a, (const char *)data, size, &b, err, sizeof err) == 0) {
        Snapshot now = snapshot(8000), base = snapshot(7000);
        budget_check(&b, &now, b.needs_baseline ? &base : NULL);
        for (size_t i = 0; i < sizeof FORMATS / sizeof *FORMATS; i++)
            render_check(fuzz_null(), &now, b.needs_baseline ? &base : NULL, &b, &FORMATS[i]);
        for (size_t i = 0; i < b.nlimits; i++)
            budget_limit_label(a, &b.limits[i]);
        budget_free(&b);
    }
    arena_free(a);
    return 0;
}
