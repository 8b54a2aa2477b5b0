/* child.h — what starting a child process takes in heft (cargo, rustc, the
 * user's --bench command): its environment, and a process group of its own
 * that Ctrl-C can stop as a whole. */
#ifndef HEFT_CHILD_H
#define HEFT_CHILD_H

#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "arena.h"

/* The current environment with each NAME=VALUE of add in place of a
 * variable of that name (or added), NULL-terminated, in the arena. */
char **child_env(Arena *a, const char *const *add, size_t nadd);

/* Ctrl-C for children run one at a time, each in a group of its own
 * (child_hold ... child_wait): child_sigint, as the SIGINT handler, stops the
 * running child's group (SIGTERM), and from then on child_hold starts
 * nothing; child_interrupted says whether it ran. */
void child_sigint(int sig);
bool child_interrupted(void);

/* Before posix_spawn: holds SIGINT in this process and sets at so that the
 * child leads a process group of its own and starts with the signal mask of
 * now. False, holding nothing, when Ctrl-C has come: start no child. */
bool child_hold(posix_spawnattr_t *at, sigset_t *old);
/* After posix_spawn succeeded: pid's group is the one Ctrl-C stops. */
void child_started(pid_t pid);
/* Lets SIGINT in again: child_hold's, once the group is recorded. */
void child_release(const sigset_t *old);

/* Waits for child pid to end and reaps it; when it leads the group Ctrl-C
 * stops and Ctrl-C came, first kills what is left of that group. ru, if set,
 * gets its resource usage. Returns its exit status, or 128+signal. */
int child_wait(pid_t pid, struct rusage *ru);

#endif
