/* render_profiles.h — formatting what `cargo heft profiles` measured: the
 * table sorted by size with the Pareto frontier marked, the recommendations
 * with their snippets, what shrank in the smallest profile; JSON
 * (docs/profiles.md) and CSV/TSV of the raw numbers. The chart: plot.h. */
#ifndef HEFT_RENDER_PROFILES_H
#define HEFT_RENDER_PROFILES_H

#include <stdio.h>

#include "diff.h"
#include "profiles.h"
#include "render.h"

typedef struct ProfReport {
    Profile *p; /* in report order: built ones by file size, then failed ones */
    size_t n;
    bool by_runtime; /* time = the --bench command's runtime, else the build time */
    const char *bench; /* the --bench command, or NULL */
    int runs;
    double ci_level; /* coverage of the runtimes' confidence intervals (profiles_median_ci) */
    ProfRecommend rec;
    const char **notes; /* lines said before the table (PGO, rustflags) */
    size_t nnotes;
    bool interrupted;
    /* The smallest against the baseline, when both were built and differ. */
    bool shrink;
    const Snapshot *old, *new;
    DiffView crates, symbols; /* their rows that shrank most, largest drop first */
    size_t nshrink;           /* rows to show of each */
} ProfReport;

void render_profiles(FILE *out, const ProfReport *r, const RenderOpts *o);

#endif
