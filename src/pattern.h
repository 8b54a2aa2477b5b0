/* pattern.h — the regular expressions users give heft (--filter, a budget's
 * [symbols."REGEX"]), matched in time linear in the subject's length and in
 * fixed memory, whatever the pattern.
 *
 * The syntax is POSIX extended (ERE) as PCRE2 reads it; README.md ("Regular
 * expressions") lists where that differs from glibc's regcomp. `.` matches
 * any byte, `$` only the end; back-references are refused. */
#ifndef HEFT_PATTERN_H
#define HEFT_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct Pattern Pattern;

/* Compiles src; NULL with the reason in err when it is not a pattern heft
 * takes (a syntax error, a back-reference, too large). */
Pattern *pattern_compile(const char *src, char *err, size_t errlen);

/* Whether s contains a match. A subject that cannot be matched within the
 * limits makes the pattern fail: this call and every later one return false,
 * and pattern_failed says why. */
bool pattern_match(Pattern *p, const char *s);

/* NULL, or why some subject could not be matched; whoever gets a result made
 * with a failed pattern must report this instead of the result. */
const char *pattern_failed(const Pattern *p);

void pattern_free(Pattern *p);

#endif
