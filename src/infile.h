/* infile.h — opening a file heft reads: every path heft opens for reading
 * (inputs, snapshots, budgets, debug files and the candidates it probes for
 * them) goes through here, so that a FIFO, a device or a directory is
 * refused with one line instead of blocking or being read for ever. */
#ifndef HEFT_INFILE_H
#define HEFT_INFILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

/* Opens path read-only (close-on-exec) when it is a regular file, without
 * blocking on the way: returns the descriptor, in blocking mode, with its
 * status in *st (st may be NULL). Else -1, and err (may be NULL) says why in
 * a few words: strerror's text, "is a directory" or "not a regular file". */
int infile_open(const char *path, struct stat *st, char *err, size_t errlen);

/* The same as a stdio stream ("rb"), or NULL with err set. */
FILE *infile_fopen(const char *path, struct stat *st, char *err, size_t errlen);

#endif
