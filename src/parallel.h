/* parallel.h — a loop's iterations spread over the machine's cores.
 *
 * For the per-symbol work that dominates large inputs (demangling), where
 * each iteration writes only its own element. Results never depend on how
 * many threads ran: callers keep per-worker state (an arena each) and merge
 * it in worker order, or write into disjoint slots. */
#ifndef HEFT_PARALLEL_H
#define HEFT_PARALLEL_H

#include <stddef.h>

enum { PARALLEL_MAX_WORKERS = 8 };

/* Handles iterations [begin, end) on the thread numbered worker
 * (0 .. parallel_workers() - 1; one thread never runs two calls at once). */
typedef void (*ParallelFn)(void *ctx, unsigned worker, size_t begin, size_t end);

/* How many threads parallel_for uses: the online cores (at most
 * PARALLEL_MAX_WORKERS), or HEFT_THREADS when set to 1..PARALLEL_MAX_WORKERS. */
unsigned parallel_workers(void);

/* Calls fn over [0, n) in blocks of `block` iterations, which the workers
 * take in turn until none is left; returns when all are done. Runs on the
 * calling thread alone (as worker 0) when n fits in one block, with one
 * worker, or when a thread cannot be started. */
void parallel_for(size_t n, size_t block, ParallelFn fn, void *ctx);

#endif
