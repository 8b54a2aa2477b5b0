/* parallel.c — parallel_for over POSIX threads (see parallel.h).
 *
 * Blocks are handed out through one atomic counter rather than split up
 * front, because the cost of an iteration varies by orders of magnitude (a
 * C name costs nothing, a deep C++ template name thousands of times more). */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct Job {
    ParallelFn fn;
    void *ctx;
    size_t n, block;
    atomic_size_t next;
} Job;

typedef struct Worker {
    Job *job;
    unsigned id;
} Worker;

unsigned parallel_workers(void)
{
    const char *env = getenv("HEFT_THREADS");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (!*end && v >= 1 && v <= PARALLEL_MAX_WORKERS)
            return (unsigned)v;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        return 1;
    return cores > PARALLEL_MAX_WORKERS ? PARALLEL_MAX_WORKERS : (unsigned)cores;
}

static void run(Job *job, unsigned id)
{
    for (;;) {
        size_t begin = atomic_fetch_add(&job->next, job->block);
        if (begin >= job->n)
            return;
        size_t end = job->n - begin < job->block ? job->n : begin + job->block;
        job->fn(job->ctx, id, begin, end);
    }
}

static void *thread_main(void *arg)
{
    Worker *w = arg;
    run(w->job, w->id);
    return NULL;
}

void parallel_for(size_t n, size_t block, ParallelFn fn, void *ctx)
{
    if (!block)
        block = 1;
    Job job = {fn, ctx, n, block, 0};
    unsigned want = parallel_workers();
    size_t blocks = n / block + (n % block != 0);
    if (want > blocks)
        want = (unsigned)blocks;
    pthread_t threads[PARALLEL_MAX_WORKERS];
    Worker workers[PARALLEL_MAX_WORKERS];
    unsigned started = 0;
    for (unsigned i = 1; i < want; i++) {
        workers[i] = (Worker){&job, i};
        if (pthread_create(&threads[i], NULL, thread_main, &workers[i]) != 0)
            break;
        started = i;
    }
    run(&job, 0);
    for (unsigned i = 1; i <= started; i++)
        pthread_join(threads[i], NULL);
}
