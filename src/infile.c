/* infile.c — opening a file for reading without blocking (see infile.h).
 *
 * open(2) of a FIFO for reading waits for a writer, and a device may never
 * end; a stat() before the open would leave a window in which the path is
 * swapped. So the open itself is non-blocking, the check is fstat() on what
 * was opened, and only a regular file is handed back, in blocking mode again
 * so that stdio, libelf and zlib read it as they expect. */
#include "infile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static int refuse(int fd, char *err, size_t errlen, const char *why)
{
    if (err)
        snprintf(err, errlen, "%s", why);
    if (fd >= 0)
        close(fd);
    return -1;
}

int infile_open(const char *path, struct stat *st, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return refuse(-1, err, errlen, strerror(errno));
    struct stat own;
    if (!st)
        st = &own;
    if (fstat(fd, st) != 0)
        return refuse(fd, err, errlen, strerror(errno));
    if (S_ISDIR(st->st_mode))
        return refuse(fd, err, errlen, "is a directory");
    if (!S_ISREG(st->st_mode))
        return refuse(fd, err, errlen, "not a regular file");
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0)
        return refuse(fd, err, errlen, strerror(errno));
    return fd;
}

FILE *infile_fopen(const char *path, struct stat *st, char *err, size_t errlen)
{
    int fd = infile_open(path, st, err, errlen);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "rb");
    if (!f)
        refuse(fd, err, errlen, strerror(errno));
    return f;
}
