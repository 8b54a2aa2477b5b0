/* measure.c — a command's time and peak memory, through heft-measure (see
 * measure.h and src/helper/heft-measure.c). */
#include "measure.h"
#include "child.h"
#include "monotime.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* heft-measure beside heft's own binary (the build tree, bin/), else in
 * ../libexec/heft/ (make install); NULL when neither is there. Looked up
 * once per process, into a buffer of its own. */
static const char *helper_path(void)
{
    static char path[PATH_MAX + 64];
    static bool looked, found;
    if (looked)
        return found ? path : NULL;
    looked = true;
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return NULL;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    static const char *const rel[] = {"heft-measure", "../libexec/heft/heft-measure"};
    for (size_t i = 0; i < sizeof rel / sizeof *rel && !found; i++) {
        snprintf(path, sizeof path, "%s/%s", self, rel[i]);
        found = access(path, X_OK) == 0;
    }
    return found ? path : NULL;
}

int measure_run(Arena *a, const char *line, const char *env, double *secs, long *peak_kib)
{
    const char *helper = helper_path();
    *peak_kib = -1;
    /* The helper's report comes on a pipe, as its descriptor 3. */
    int fds[2] = {-1, -1};
    if (helper && pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    sigset_t old;
    if (!child_hold(&at, &old)) {
        posix_spawnattr_destroy(&at);
        if (helper)
            close(fds[0]), close(fds[1]);
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    if (helper)
        posix_spawn_file_actions_adddup2(&fa, fds[1], 3);
    char **envp = child_env(a, &env, env ? 1 : 0);
    char *with_helper[] = {(char *)helper, "3", "/bin/sh", "-c", (char *)line, NULL};
    char **argv = helper ? with_helper : with_helper + 2;
    pid_t pid;
    double t0 = monotime_seconds();
    int rc = posix_spawn(&pid, argv[0], &fa, &at, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (rc == 0)
        child_started(pid);
    child_release(&old);
    if (helper)
        close(fds[1]);
    if (rc != 0) {
        if (helper)
            close(fds[0]);
        return -1;
    }
    char report[128];
    size_t got = 0;
    while (helper && got < sizeof report - 1) {
        ssize_t k = read(fds[0], report + got, sizeof report - 1 - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    report[got] = '\0';
    if (helper)
        close(fds[0]);
    int status = child_wait(pid, NULL);
    *secs = monotime_seconds() - t0;
    long kib;
    double s;
    if (helper && sscanf(report, "%ld %lf", &kib, &s) == 2) {
        *peak_kib = kib;
        *secs = s; /* without the helper's own start */
    }
    return status;
}
