/*
 * heft-measure.c — the helper measure_run (src/measure.c) starts commands
 * through:
 *
 *     heft-measure FD PROGRAM [ARG...]
 *
 * starts PROGRAM, waits for it, writes "<peak KiB> <seconds>\n" to file
 * descriptor FD and exits with PROGRAM's exit status (128+signal when a
 * signal ended it).
 *
 * Why a program of its own: a process's ru_maxrss counts the image it was
 * started from. Started from heft, a small command would report heft's size;
 * started from this helper, which links nothing but libc, it reports its own
 * (plus about a MiB, as /usr/bin/time does). Keep it that small.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    char *end;
    long fd = argc > 2 ? strtol(argv[1], &end, 10) : -1;
    if (argc < 3 || *end || fd < 0 || fcntl((int)fd, F_SETFD, FD_CLOEXEC) != 0) {
        fputs("usage: heft-measure FD PROGRAM [ARG...] (a helper of heft)\n", stderr);
        return 125;
    }
    pid_t pid;
    double t0 = now();
    int rc = posix_spawn(&pid, argv[2], NULL, NULL, argv + 2, environ);
    if (rc != 0)
        return 126;
    int st;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0)
        if (errno != EINTR)
            return 126;
    double secs = now() - t0;
    dprintf((int)fd, "%ld %.9f\n", ru.ru_maxrss, secs);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
