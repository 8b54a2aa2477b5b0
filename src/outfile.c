/* outfile.c — a temporary file beside the target, renamed into place when
 * complete (see outfile.h).
 *
 * The signal handler may only call async-signal-safe functions, so the
 * temporary's name lives in a static buffer that the handler unlinks, and
 * the signals are held while the file is created and while it is renamed:
 * no moment exists at which a Ctrl-C would leave the temporary behind or
 * remove the file just committed. A handler is installed only where the
 * signal would end heft anyway (SIG_DFL): an ignored SIGINT (a background
 * job) stays ignored, and a command's own handler stays its own. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const int SIGS[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIGS (sizeof SIGS / sizeof *SIGS)

static char g_tmp[PATH_MAX], g_target[PATH_MAX];
static volatile sig_atomic_t g_armed;
static struct sigaction g_old[NSIGS];
static bool g_installed[NSIGS];

static void on_signal(int sig)
{
    if (g_armed)
        unlink(g_tmp);
    signal(sig, SIG_DFL);
    raise(sig); /* delivered when the handler returns: heft ends as the signal says */
}

static void on_exit_path(void)
{
    if (g_armed)
        unlink(g_tmp);
}

static void hold(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < NSIGS; i++)
        sigaddset(&set, SIGS[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void install(void)
{
    static bool registered;
    if (!registered)
        registered = atexit(on_exit_path) == 0;
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NSIGS; i++)
        sigaddset(&sa.sa_mask, SIGS[i]);
    for (size_t i = 0; i < NSIGS; i++)
        g_installed[i] = sigaction(SIGS[i], NULL, &g_old[i]) == 0 && g_old[i].sa_handler == SIG_DFL &&
                         sigaction(SIGS[i], &sa, NULL) == 0;
}

static void uninstall(void)
{
    for (size_t i = 0; i < NSIGS; i++)
        if (g_installed[i])
            sigaction(SIGS[i], &g_old[i], NULL);
}

/* Removes the temporary and forgets it, the signals held meanwhile. */
static void disarm(void)
{
    sigset_t old;
    hold(&old);
    unlink(g_tmp);
    g_armed = 0;
    uninstall();
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static int fail(char *err, size_t errlen, const char *what, int e)
{
    snprintf(err, errlen, "%s: %s", what, strerror(e));
    return -1;
}

int outfile_open(OutFile *o, const char *path, char *err, size_t errlen)
{
    *o = (OutFile){0};
    /* Through a symbolic link, the file it points to is the one replaced. */
    struct stat st;
    const char *target = path;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && realpath(path, g_target))
        target = g_target;
    bool exists = stat(target, &st) == 0;
    if (exists && S_ISDIR(st.st_mode))
        return fail(err, errlen, "cannot create", EISDIR);
    if (exists && !S_ISREG(st.st_mode)) {
        if (!(o->f = fopen(target, "wb")))
            return fail(err, errlen, "cannot create", errno);
        return 0;
    }
    if (target != g_target && (size_t)snprintf(g_target, sizeof g_target, "%s", path) >= sizeof g_target)
        return fail(err, errlen, "cannot create", ENAMETOOLONG);
    mode_t mask = umask(0);
    umask(mask);
    mode_t mode = exists ? st.st_mode & 0777 : 0666 & ~mask;
    const char *slash = strrchr(g_target, '/');
    int dirlen = slash ? (int)(slash - g_target) + 1 : 0;
    if ((size_t)snprintf(g_tmp, sizeof g_tmp, "%.*s.%s.heft-XXXXXX", dirlen, g_target, g_target + dirlen) >=
        sizeof g_tmp)
        return fail(err, errlen, "cannot create", ENAMETOOLONG);
    install();
    sigset_t old;
    hold(&old);
    int fd = mkostemp(g_tmp, O_CLOEXEC);
    int e = errno;
    g_armed = fd >= 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        uninstall();
        return fail(err, errlen, "cannot create", e);
    }
    o->tmp = g_tmp;
    if (fchmod(fd, mode) != 0 || !(o->f = fdopen(fd, "wb"))) {
        e = errno;
        close(fd);
        disarm();
        return fail(err, errlen, "cannot create", e);
    }
    return 0;
}

int outfile_commit(OutFile *o, char *err, size_t errlen)
{
    if (!o->tmp)
        return fclose(o->f) == 0 ? 0 : fail(err, errlen, "cannot write", errno);
    bool ok = fflush(o->f) == 0 && fsync(fileno(o->f)) == 0;
    int e = errno;
    if (fclose(o->f) != 0 && ok)
        ok = false, e = errno;
    o->f = NULL;
    o->tmp = NULL;
    sigset_t old;
    hold(&old);
    if (ok && rename(g_tmp, g_target) != 0)
        ok = false, e = errno;
    if (!ok)
        unlink(g_tmp);
    g_armed = 0;
    uninstall();
    sigprocmask(SIG_SETMASK, &old, NULL);
    return ok ? 0 : fail(err, errlen, "cannot write", e);
}

void outfile_abort(OutFile *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp)
        disarm();
    o->tmp = NULL;
}
