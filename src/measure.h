/* measure.h — one timed run of a shell command, with the peak memory of what
 * it ran (cargo heft profiles --bench).
 *
 * A process's peak resident size (ru_maxrss) starts at the size of the image
 * it was started from: a command heft started itself would report heft's own
 * peak (tens of MiB) whenever its own is smaller. So the command runs under
 * heft-measure, a small helper that links only libc, installed beside heft
 * (or in ../libexec/heft/), which starts it and reports its peak and time. */
#ifndef HEFT_MEASURE_H
#define HEFT_MEASURE_H

#include "arena.h"

/* Runs `sh -c line` in a process group of its own (child.h), output
 * dropped; env is one more NAME=VALUE or NULL. *secs is its wall time;
 * *peak_kib its peak resident size in KiB, -1 when heft-measure is not
 * installed. Returns its exit status (128+signal), -1 when it cannot start
 * or Ctrl-C came first. */
int measure_run(Arena *a, const char *line, const char *env, double *secs, long *peak_kib);

#endif
