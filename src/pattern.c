/* pattern.c — user regular expressions through PCRE2, in two passes.
 *
 * glibc's regcomp/regexec, which heft used before, have no bound at all: a
 * budget's "(((a{1,1000}){1,1000}){1,1000})" took 4 GB in regcomp, and
 * "(a|b)*a(a|b){15}c" 28 s on 2 MB of names without a back-reference. PCRE2
 * bounds the compiled size itself ("regular expression is too large") and
 * offers two matchers:
 *
 *   1. the backtracking one (JIT-compiled where the system allows), fast on
 *      ordinary patterns — 1.3 to 200 times glibc's speed on libLLVM's
 *      44,000 names — but exponential on nested repeats; its match limit, which
 *      PCRE2 counts afresh at each start position, caps its work at
 *      BT_LIMIT steps per byte of the subject;
 *   2. the DFA one, run only on the subjects that hit that cap (or the
 *      stack limit): a single pass over the subject (the pattern is anchored
 *      behind a lazy ".*") with a fixed workspace, so its work per byte is
 *      bounded by the number of states the workspace holds.
 *
 * Together: about 5 µs per byte of subject at worst (the worst pattern we
 * found, with JIT), against 0.3 to 50 ns for ordinary patterns, and no memory
 * beyond the compiled pattern, 1 MiB of backtracking stack or heap and the
 * workspace. A subject that even the DFA cannot take (too many states, or an
 * item it does not run: lookarounds, atomic groups) fails the pattern with a
 * reason. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "pattern.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Backtracking steps allowed from one start position: ordinary patterns on
 * real names need a few; "a.*b.*c.*d" on a 500-byte name a few hundred. */
#define BT_LIMIT 1000
#define BT_HEAP_KIB 1024
/* The DFA's workspace, in ints (about six per state). Its cost per byte
 * grows with the square of the states it holds: 1000 keeps it near 3 µs and
 * holds every pattern tried on libLLVM's names. */
#define DFA_WORKSPACE 1000
/* Longer than any pattern typed or kept in a budget; a bound on compile time. */
#define MAX_PATTERN_LEN 65536

/* POSIX ERE's meaning: `.` matches newlines too, `$` only at the very end. */
#define OPTIONS (PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_UTF | PCRE2_NEVER_UCP)

struct Pattern {
    pcre2_code *code;     /* as written: the backtracking pass */
    pcre2_code *anchored; /* "(?s:.*?)(?:src)", anchored: the DFA pass */
    pcre2_match_data *md;
    pcre2_match_context *bt, *dfa;
    pcre2_jit_stack *stack; /* the JIT's, as large as the interpreter's heap */
    char failed[200]; /* "" until a subject could not be matched */
    int workspace[DFA_WORKSPACE];
};

static void pcre_message(int code, char *buf, size_t len)
{
    if (pcre2_get_error_message(code, (PCRE2_UCHAR *)buf, len) < 0)
        snprintf(buf, len, "PCRE2 error %d", code);
}

static pcre2_code *compile(const char *src, size_t len, uint32_t extra, pcre2_compile_context *cc, char *err,
                           size_t errlen)
{
    int code;
    PCRE2_SIZE at;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)src, len, OPTIONS | extra, &code, &at, cc);
    if (!c) {
        char m[120];
        pcre_message(code, m, sizeof m);
        snprintf(err, errlen, "%s (at offset %zu)", m, (size_t)at);
    }
    return c;
}

/* As arena.c does: a pattern is compiled once, at the start of a run. */
static void *must(void *p)
{
    if (!p) {
        fputs("heft: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

Pattern *pattern_compile(const char *src, char *err, size_t errlen)
{
    size_t len = strlen(src);
    Pattern *p = must(calloc(1, sizeof *p));
    pcre2_compile_context *cc = must(pcre2_compile_context_create(NULL));
    pcre2_set_max_pattern_length(cc, MAX_PATTERN_LEN);
    /* The pattern alone first, so that errors give offsets in what the user
     * wrote, and so that the wrapped form below cannot change its structure
     * ("a)|(b" is an error here, another pattern there). */
    p->code = compile(src, len, 0, cc, err, errlen);
    uint32_t backrefs = 0;
    if (p->code)
        pcre2_pattern_info(p->code, PCRE2_INFO_BACKREFMAX, &backrefs);
    if (p->code && backrefs) {
        snprintf(err, errlen, "back-references (\\%u) are not supported", backrefs);
    } else if (p->code) {
        char *wrapped = must(malloc(len + 16));
        int n = snprintf(wrapped, len + 16, "(?s:.*?)(?:%s)", src);
        p->anchored = compile(wrapped, (size_t)n, PCRE2_ANCHORED, cc, err, errlen);
        free(wrapped);
    }
    pcre2_compile_context_free(cc);
    if (!p->anchored) {
        pattern_free(p);
        return NULL;
    }
    p->md = must(pcre2_match_data_create(1, NULL));
    p->bt = must(pcre2_match_context_create(NULL));
    p->dfa = must(pcre2_match_context_create(NULL));
    /* Where the system refuses executable memory, the interpreter runs the
     * same pattern with the same limits, only slower. */
    if (pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0) {
        p->stack = must(pcre2_jit_stack_create(32 * 1024, BT_HEAP_KIB * 1024, NULL));
        pcre2_jit_stack_assign(p->bt, NULL, p->stack);
    }
    pcre2_set_match_limit(p->bt, BT_LIMIT);
    pcre2_set_heap_limit(p->bt, BT_HEAP_KIB);
    /* The DFA recurses only for lookarounds and atomic groups, each a rescan
     * of the subject: none is allowed. */
    pcre2_set_match_limit(p->dfa, 1);
    pcre2_set_depth_limit(p->dfa, 1);
    return p;
}

bool pattern_match(Pattern *p, const char *s)
{
    if (p->failed[0])
        return false;
    size_t n = strlen(s);
    int rc = pcre2_match(p->code, (PCRE2_SPTR)s, n, 0, 0, p->md, p->bt);
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_JIT_STACKLIMIT)
        rc = pcre2_dfa_match(p->anchored, (PCRE2_SPTR)s, n, 0, PCRE2_DFA_SHORTEST, p->md, p->dfa, p->workspace,
                             DFA_WORKSPACE);
    if (rc >= 0)
        return true; /* 0: a match, with no room for its offsets */
    if (rc == PCRE2_ERROR_NOMATCH)
        return false;
    char m[120];
    pcre_message(rc, m, sizeof m);
    snprintf(p->failed, sizeof p->failed, "too complex to match in bounded time and memory (%s)", m);
    return false;
}

const char *pattern_failed(const Pattern *p)
{
    return p->failed[0] ? p->failed : NULL;
}

void pattern_free(Pattern *p)
{
    if (!p)
        return;
    pcre2_code_free(p->code);
    pcre2_code_free(p->anchored);
    pcre2_match_data_free(p->md);
    pcre2_match_context_free(p->bt);
    pcre2_match_context_free(p->dfa);
    pcre2_jit_stack_free(p->stack);
    free(p);
}
