/* test_parallel.c — parallel_for visits every iteration exactly once, in
 * blocks no larger than asked, whatever the thread count. */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "parallel.h"

typedef struct Seen {
    atomic_uint *hits;
    size_t block;
    atomic_uint workers_seen;
} Seen;

static void mark(void *ctx, unsigned worker, size_t begin, size_t end)
{
    Seen *s = ctx;
    cr_assert_lt(begin, end);
    cr_assert_leq(end - begin, s->block);
    cr_assert_lt(worker, parallel_workers());
    atomic_fetch_or(&s->workers_seen, 1u << worker);
    for (size_t i = begin; i < end; i++)
        atomic_fetch_add(&s->hits[i], 1);
}

static void visit_all(const char *threads, size_t n, size_t block)
{
    setenv("HEFT_THREADS", threads, 1);
    Seen s = {calloc(n ? n : 1, sizeof *s.hits), block, 0};
    parallel_for(n, block, mark, &s);
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(s.hits[i], 1, "HEFT_THREADS=%s n=%zu block=%zu: iteration %zu ran %u times", threads, n, block, i,
                     (unsigned)s.hits[i]);
    free(s.hits);
    unsetenv("HEFT_THREADS");
}

Test(parallel_for, every_iteration_once)
{
    static const char *const threads[] = {"1", "2", "8"};
    static const size_t sizes[] = {0, 1, 7, 2048, 2049, 100000};
    static const size_t blocks[] = {1, 3, 2048};
    for (size_t t = 0; t < 3; t++)
        for (size_t n = 0; n < 6; n++)
            for (size_t b = 0; b < 3; b++)
                visit_all(threads[t], sizes[n], blocks[b]);
}

Test(parallel_for, thread_count_from_environment)
{
    setenv("HEFT_THREADS", "3", 1);
    cr_expect_eq(parallel_workers(), 3);
    setenv("HEFT_THREADS", "9", 1); /* beyond PARALLEL_MAX_WORKERS: the cores decide */
    unsigned cores = parallel_workers();
    cr_expect(cores >= 1 && cores <= PARALLEL_MAX_WORKERS);
    setenv("HEFT_THREADS", "x", 1);
    cr_expect_eq(parallel_workers(), cores);
    unsetenv("HEFT_THREADS");
    cr_expect_eq(parallel_workers(), cores);
}

/* Small loops stay on the calling thread: no thread is worth starting. */
Test(parallel_for, one_block_runs_on_worker_zero)
{
    setenv("HEFT_THREADS", "8", 1);
    Seen s = {calloc(10, sizeof *s.hits), 16, 0};
    parallel_for(10, 16, mark, &s);
    cr_expect_eq(s.workers_seen, 1u);
    free(s.hits);
    unsetenv("HEFT_THREADS");
}
