/* fuzz_snapshot.c — libFuzzer target: snapshot files (gzip'd JSON, schema
 * heft.snapshot/2 or /1) as heft diff, check and snapshot read them.
 *
 * The input is OLD, or OLD NUL NEW: two snapshots' JSON, each gzip'd here
 * before heft reads it (so that mutations reach the JSON, not only the
 * deflate stream), or taken as it is when it already starts with the gzip
 * magic. Both are loaded; then every view either holds is diffed and
 * rendered, the summary diff too, a budget with every kind of limit is
 * checked against NEW with OLD as the baseline, and NEW is saved and read
 * back, as `heft snapshot SNAPSHOT -o OUT` does (abort() if heft cannot
 * read what it wrote).
 * Reproduce a finding: build/fuzz/fuzz_snapshot FILE. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "budget.h"
#include "diff.h"
#include "fuzz.h"
#include "render_diff.h"
#include "snapshot.h"

static const char BUDGET[] = "[total]\nfile = \"1 MiB\"\nvm_growth = \"+5%\"\n"
                             "[section.\".text\"]\nfile_growth = \"+1 KiB\"\n"
                             "[crate.std]\nvm = 4096\n"
                             "[symbols.\"^main$|::\"]\nfile = 100\nfile_growth = \"+0\"\n";

static const RenderOpts FORMATS[] = {
    {FMT_TABLE, true, 60}, {FMT_JSON, false, 0}, {FMT_CSV, false, 0}, {FMT_TSV, false, 0}, {FMT_MARKDOWN, false, 0},
};
#define NFORMATS (sizeof FORMATS / sizeof *FORMATS)

/* The snapshot file heft would be given: data gzip'd, or as it is. */
static const char *snapshot_file(Arena *a, const char *name, const uint8_t *data, size_t size)
{
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
        return fuzz_file(a, name, data, size);
    const char *path = fuzz_file(a, name, "", 0);
    gzFile gz = gzopen(path, "wb1");
    if (!gz || (size && gzwrite(gz, data, (unsigned)size) != (int)size) || gzclose(gz) != Z_OK)
        abort();
    return path;
}

static void diff(Arena *a, const Snapshot *old, const Snapshot *new)
{
    FILE *out = fuzz_null();
    DiffView summary[3];
    diff_build(a, old, new, SNAP_SECTIONS, NULL, 0, &summary[0]);
    diff_build(a, old, new, SNAP_CRATES, NULL, 10, &summary[1]);
    diff_build(a, old, new, SNAP_SYMBOLS, fuzz_filter(), 10, &summary[2]);
    for (size_t i = 0; i < NFORMATS; i++)
        render_diff(out, old, new, summary, 3, true, &FORMATS[i]);
    for (SnapView k = 0; k < SNAP_NVIEWS; k++) {
        if (snapshot_missing(a, old, k) || snapshot_missing(a, new, k))
            continue;
        DiffView v;
        diff_build(a, old, new, k, NULL, 20, &v);
        for (size_t i = 0; i < NFORMATS; i++)
            render_diff(out, old, new, &v, 1, false, &FORMATS[i]);
    }
}

static void check(Arena *a, const Snapshot *s, const Snapshot *baseline)
{
    Budget b;
    char err[512];
    if (budget_parse(a, BUDGET, sizeof BUDGET - 1, &b, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz: the target's own budget: %s\n", err);
        abort();
    }
    budget_check(&b, s, baseline);
    for (size_t i = 0; i < NFORMATS; i++)
        render_check(fuzz_null(), s, baseline, &b, &FORMATS[i]);
    budget_free(&b);
}

static void round_trip(Arena *a, const Snapshot *s)
{
    char err[512];
    const char *path = fuzz_file(a, "saved.heft.json.gz", "", 0);
    Snapshot back;
    if (snapshot_save(s, path, err, sizeof err) != 0 || snapshot_load(a, path, &back, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz: heft cannot read the snapshot it wrote: %s\n", err);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *second;
    size_t nsecond;
    size_t nfirst = fuzz_split(data, size, &second, &nsecond);
    Arena *a = arena_new();
    const char *old_path = snapshot_file(a, "old.heft.json.gz", data, nfirst);
    const char *new_path = second ? snapshot_file(a, "new.heft.json.gz", second, nsecond) : old_path;
    Snapshot old, new;
    char err[512];
    /* heft refuses two snapshots of which one kept std's crates apart. */
    if (snapshot_load(a, old_path, &old, err, sizeof err) == 0 && snapshot_load(a, new_path, &new, err, sizeof err) == 0 &&
        old.split_std == new.split_std) {
        diff(a, &old, &new);
        check(a, &new, &old);
        round_trip(a, &new);
    }
    arena_free(a);
    return 0;
}
