/* plot.h — `cargo heft profiles --plot`: the profiles' file size against
 * their time as an SVG picture, the Pareto frontier drawn. */
#ifndef HEFT_PLOT_H
#define HEFT_PLOT_H

#include <stdio.h>

#include "render_profiles.h"

/* One labelled point per built profile with a time, the frontier as a
 * staircase through the Pareto-optimal ones, axes with units and ticks. */
void plot_profiles_svg(FILE *out, const ProfReport *r);

#endif
