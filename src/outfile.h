/* outfile.h — writing a file whole or not at all: heft writes every output
 * file (snapshot -o, --plot, the profiles' build times) to a temporary file
 * beside the target and renames it into place only when it is complete, so
 * that an interrupted or failed write leaves the old file byte-identical.
 *
 *     OutFile o;
 *     if (outfile_open(&o, path, err, sizeof err) != 0) ...
 *     fprintf(o.f, ...);
 *     if (outfile_commit(&o, err, sizeof err) != 0) ...
 *
 * While one is open, SIGINT, SIGTERM and SIGHUP (where they would end heft)
 * and exit() remove the temporary file first. One OutFile at a time. */
#ifndef HEFT_OUTFILE_H
#define HEFT_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

typedef struct OutFile {
    FILE *f;         /* write here */
    const char *tmp; /* the temporary's name, or NULL when writing to the target itself */
} OutFile;

/* Creates the temporary ".NAME.heft-XXXXXX" in path's directory (the
 * directory of the file a symbolic link at path points to), with the
 * target's permissions if it exists, else 0666 less the umask, as fopen
 * would. A target that exists but is no regular file (/dev/stdout, a FIFO)
 * is written directly. Returns 0, or -1 with a one-line reason in err. */
int outfile_open(OutFile *o, const char *path, char *err, size_t errlen);

/* Flushes and syncs the data, then renames the temporary over the target.
 * Returns 0, or -1 with a one-line reason in err, the temporary removed and
 * the target untouched. */
int outfile_commit(OutFile *o, char *err, size_t errlen);

/* Closes and removes the temporary; the target is untouched. */
void outfile_abort(OutFile *o);

#endif
