/* render_diff.h — formatting diffs and budget verdicts: aligned tables, JSON
 * (docs/diff.md), CSV, TSV, and Markdown for pull-request comments. Like
 * render.c, it prints what the analyses computed and computes nothing. */
#ifndef HEFT_RENDER_DIFF_H
#define HEFT_RENDER_DIFF_H

#include <stdio.h>

#include "budget.h"
#include "diff.h"
#include "render.h"

/* summary: the default report (totals, then sections, crates and symbols);
 * otherwise views[0] alone. */
void render_diff(FILE *out, const Snapshot *old, const Snapshot *new, const DiffView *views, size_t nviews,
                 bool summary, const RenderOpts *o);

/* Every limit of the budget with its verdict. */
void render_check(FILE *out, const Snapshot *s, const Snapshot *baseline, const Budget *b, const RenderOpts *o);

/* "+1.5 KiB", "-512 B", "0 B". */
void render_delta(char *buf, size_t len, int64_t delta);

#endif
