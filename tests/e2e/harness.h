/* harness.h — what the end-to-end tests share: run heft (or any command),
 * capture its output and status, and read heft's JSON. */
#ifndef HEFT_TEST_HARNESS_H
#define HEFT_TEST_HARNESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Run {
    char *out, *err; /* NUL-terminated, malloc'd */
    size_t out_len, err_len;
    int status;      /* exit status, or 128+signal */
} Run;

/* Runs a shell command line; never fails the test by itself. */
Run run_cmd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The heft under test: $HEFT, else build/heft. */
const char *heft_bin(void);
/* Whether heft starts at all under an address-space limit (ulimit -v) of
 * kib KiB: a sanitizer build, which reserves terabytes for its shadow
 * memory, does not. The runs that need the limit then skip (cr_skip_test):
 * the plain build's pass of the suite makes them. */
bool heft_starts_under(unsigned long kib);
/* In a forked child about to exec: stdin and stdout to /dev/null, stderr to
 * err_fd (-1: /dev/null too). */
void child_quiet_stdio(int err_fd);
/* Runs "$HEFT <args>" (args is a shell-quoted string). */
Run run_heft(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void run_free(Run *r);

/* Path of a built fixture: "$FIXTURES/<name>". Static buffer per call slot. */
const char *fixture(const char *name);
/* Runs heft with --format json and parses stdout; fails the test if heft
 * exits non-zero or prints invalid JSON. */
json_t *heft_json(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Integer field of an object; fails the test if missing. */
int64_t jint(json_t *obj, const char *key);
/* The row in rows whose "name" equals name, or NULL. */
json_t *row_named(json_t *rows, const char *name);
/* Size in bytes of a file. */
uint64_t file_size_of(const char *path);

#endif
