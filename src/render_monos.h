/* render_monos.h — formatting `heft monos` for people and programs: the
 * groups (optionally each copy), the suggestions, and the per-crate view.
 * JSON schemas: docs/monos.md. */
#ifndef HEFT_RENDER_MONOS_H
#define HEFT_RENDER_MONOS_H

#include <stdio.h>

#include "monos.h"
#include "render.h"

/* expand: list each shown group's copies in the table (JSON always lists
 * them). */
void render_monos(FILE *out, const MonoReport *r, bool expand, const RenderOpts *o);
void render_monos_crates(FILE *out, const MonoReport *r, const MonoCrates *c, const RenderOpts *o);

#endif
