/* child.c — child processes' environment and process group (see child.h). */
#include "child.h"

#include <stdbool.h>
#include <string.h>

extern char **environ;

char **child_env(Arena *a, const char *const *add, size_t nadd)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **envp = arena_array(a, n + nadd + 1, sizeof *envp);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        bool replaced = false;
        for (size_t k = 0; k < nadd && !replaced; k++)
            replaced = strncmp(environ[i], add[k], strcspn(add[k], "=") + 1) == 0;
        if (!replaced)
            envp[m++] = environ[i];
    }
    for (size_t k = 0; k < nadd; k++)
        envp[m++] = (char *)add[k];
    envp[m] = NULL;
    return envp;
}

void child_hold(posix_spawnattr_t *at, sigset_t *old)
{
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, old);
    posix_spawnattr_setflags(at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(at, 0);
    posix_spawnattr_setsigmask(at, old);
}

void child_release(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}
