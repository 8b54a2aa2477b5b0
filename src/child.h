/* child.h — what starting a child process takes in heft (cargo, rustc, the
 * user's --bench command): its environment, and a process group of its own
 * that Ctrl-C can stop as a whole. */
#ifndef HEFT_CHILD_H
#define HEFT_CHILD_H

#include <signal.h>
#include <spawn.h>
#include <stddef.h>

#include "arena.h"

/* The current environment with each NAME=VALUE of add in place of a
 * variable of that name (or added), NULL-terminated, in the arena. */
char **child_env(Arena *a, const char *const *add, size_t nadd);

/* Sets at so that the child leads a process group of its own and starts
 * with the signal mask of now, and holds SIGINT in this process until
 * child_release(old): a handler that stops the group then never runs before
 * the caller has stored the child's id. */
void child_hold(posix_spawnattr_t *at, sigset_t *old);
void child_release(const sigset_t *old);

#endif
