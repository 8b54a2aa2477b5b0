/* child.c — child processes' environment and process group (see child.h). */
#include "child.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

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

static volatile sig_atomic_t interrupted;
static volatile pid_t running; /* the group Ctrl-C stops, 0: none */

void child_sigint(int sig)
{
    (void)sig;
    int saved = errno; /* kill's ESRCH is not for the code interrupted */
    interrupted = 1;
    pid_t pg = running;
    if (pg > 0)
        kill(-pg, SIGTERM);
    errno = saved;
}

bool child_interrupted(void)
{
    return interrupted;
}

static void hold_sigint(sigset_t *old)
{
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, old);
}

bool child_hold(posix_spawnattr_t *at, sigset_t *old)
{
    hold_sigint(old);
    /* Checked with SIGINT held: a Ctrl-C that comes later finds the group
     * recorded, one that came before starts nothing. */
    if (interrupted) {
        child_release(old);
        return false;
    }
    posix_spawnattr_setflags(at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(at, 0);
    posix_spawnattr_setsigmask(at, old);
    return true;
}

void child_started(pid_t pid)
{
    running = pid;
}

void child_release(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

int child_wait(pid_t pid, struct rusage *ru)
{
    /* Ended but not reaped: its zombie keeps its id, the group's, from
     * being reused until the group is dealt with. */
    siginfo_t si;
    while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
        ;
    if (running == pid) {
        sigset_t old;
        hold_sigint(&old); /* a Ctrl-C after this finds no group */
        /* What the SIGTERM missed: a process its parent was starting with
         * every signal blocked (glibc's posix_spawn, dash) as it came, or
         * one that ignores SIGTERM. SIGKILL cannot be blocked, and a
         * process it is pending for starts no other. */
        if (interrupted)
            kill(-pid, SIGKILL);
        running = 0;
        child_release(&old);
    }
    int st;
    while (wait4(pid, &st, 0, ru) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
