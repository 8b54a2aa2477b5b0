/* render_dups.h — `heft dups` output: the groups of copies and the
 * near-identical generics as a table, JSON (docs/dups.md), CSV or TSV. */
#ifndef HEFT_RENDER_DUPS_H
#define HEFT_RENDER_DUPS_H

#include "dups.h"
#include "render.h"

typedef struct DupsShow {
    bool groups, similar; /* which lists to print */
    bool verbose;         /* every copy's name, not "and N more" */
} DupsShow;

void render_dups(FILE *out, const Image *img, const DupsResult *r, const DupsView *v, const DupsShow *show,
                 const RenderOpts *o);

#endif
