/* fuzz.h — what heft's libFuzzer targets share (tests/fuzz/fuzz_KIND.c, one
 * per input kind: elf, ar, dwarf, names, snapshot, budget, cargo).
 *
 * Each target hands its input to the library functions the commands call
 * (never to cli.c, whose errors end the process) and then runs what the
 * matching commands run on the result, rendering into a stream that
 * discards. A parser's error is a normal outcome; a crash, a sanitizer
 * report, a leak, a timeout or an allocation past libFuzzer's limits is a
 * finding. */
#ifndef HEFT_FUZZ_H
#define HEFT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "image.h"
#include "pattern.h"

/* What each target defines, and libFuzzer calls once per input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd copy of the input with a NUL after it: heft's readers take
 * writable memory, and ASan then sees where the input really ends. */
unsigned char *fuzz_copy(const uint8_t *data, size_t size);

/* The target's own directory (made on first use, removed at exit), for
 * the APIs that take a path, and as --debug-dir. */
const char *fuzz_dir(void);

/* Writes size bytes to the file name in fuzz_dir(); returns its path (in
 * the arena). */
const char *fuzz_file(Arena *a, const char *name, const void *data, size_t size);

/* /dev/null, opened once. */
FILE *fuzz_null(void);

/* The part of data before its first NUL byte, and after it (*rest, *nrest;
 * NULL and 0 when there is none): targets that read two inputs take them
 * from one this way. */
size_t fuzz_split(const uint8_t *data, size_t size, const uint8_t **rest, size_t *nrest);

/* The --filter the targets use, "[a-z]_|::" (compiled once). */
Pattern *fuzz_filter(void);

/* What `heft`, `heft symbols|crates|sections|segments|members`, `monos`,
 * `dups`, `snapshot` and the cargo-bloat report run on a parsed image:
 * the accounting, every view in every format, the analyses, and a snapshot
 * saved and read back (heft must read what it writes: abort() if not). */
void fuzz_views(Arena *a, const Image *img);

#endif
