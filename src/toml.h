/* toml.h — a reader for the subset of TOML that budget files use: tables
 * ([a], [a."quoted.key"]), key = value lines with string, integer, float or
 * boolean values, and comments. Arrays, inline tables, arrays of tables,
 * dotted keys, multi-line strings and dates are refused with a message. */
#ifndef HEFT_TOML_H
#define HEFT_TOML_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef enum { TOML_STRING, TOML_INT, TOML_FLOAT, TOML_BOOL } TomlType;

typedef struct TomlEntry {
    const char **table; /* the [header]'s keys, in order */
    size_t ntable;
    const char *key;
    TomlType type;
    const char *str; /* TOML_STRING */
    int64_t i;       /* TOML_INT, TOML_BOOL (0 or 1) */
    double f;        /* TOML_FLOAT */
    int line;
} TomlEntry;

/* Parses text (len bytes; NULs refused). Returns 0, or -1 with
 * "line N: what is wrong" in err. */
int toml_parse(Arena *a, const char *text, size_t len, TomlEntry **out, size_t *n, char *err, size_t errlen);

#endif
