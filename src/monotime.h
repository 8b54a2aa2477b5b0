/* monotime.h — seconds on the monotonic clock, for durations and for
 * deciding when to redraw a line (build times, bench runs, progress). */
#ifndef HEFT_MONOTIME_H
#define HEFT_MONOTIME_H

/* Seconds since an arbitrary fixed point; only differences mean anything. */
double monotime_seconds(void);

#endif
