/* hostile.h — generators of files built to hit heft's algorithms (issue 14).
 *
 * Each generator writes, at path, either the hostile file or its benign twin:
 * a file of about the same size and shape that takes the ordinary path (the
 * same symbols in ascending order, names that do not nest, distinct hashes).
 * test_hostile.c runs heft on both and bounds the hostile run's CPU time by a
 * multiple of the twin's: a ratio, never a wall-clock bound. A generator may
 * write helper files beside path (path + a suffix, e.g. ".budget.toml"), which
 * the commands of its row name as "{}.budget.toml". Returns false (and says
 * why on stderr) when it cannot write the files. */
#ifndef HEFT_TEST_HOSTILE_H
#define HEFT_TEST_HOSTILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef bool (*HostileGen)(const char *path, bool hostile);

/* Writes len bytes to path; false on error (reported on stderr). */
bool hostile_write(const char *path, const void *data, size_t len);

/* An x86-64 relocatable object whose .rodata holds n 16-byte STT_OBJECTs
 * "o000000", "o000001", ..., object i being the little-endian words w[i]. */
bool hostile_write_objects16(const char *path, const uint64_t (*w)[2], size_t n);
/* The second word that gives the object {w0, it} the one hash_bytes() value
 * (dups.c) that all such objects share. */
uint64_t hostile_dups_collider(uint64_t w0);

#endif
