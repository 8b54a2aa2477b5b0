/* test_patterns.c — what a user sees when a --filter or a budget's symbol
 * pattern is one heft will not run: one line, exit 2, at once (issue 14,
 * item 6; the time and memory bounds are test_hostile.c's rows). */
#include "harness.h"
#include "hostile.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

/* hostile_regex.c: 160 names of 200 random a and b; {}.re beside it. */
bool hostile_gen_filter_backref(const char *path, bool hostile);

static char g_dir[] = "/tmp/heft-patterns-XXXXXX";
static char g_file[64];

static void setup(void)
{
    cr_assert(mkdtemp(g_dir));
    snprintf(g_file, sizeof g_file, "%s/ab.o", g_dir);
    cr_assert(hostile_gen_filter_backref(g_file, false));
}

static void teardown(void)
{
    Run r = run_cmd("rm -rf '%s'", g_dir);
    run_free(&r);
}

TestSuite(patterns, .init = setup, .fini = teardown);

static void expect_error(Run *r, const char *line)
{
    cr_expect_eq(r->status, 2, "status %d; stderr: %s", r->status, r->err);
    cr_expect_str_eq(r->err, line);
    cr_expect_eq(r->out_len, 0, "stdout: %s", r->out);
    run_free(r);
}

static const char *budget(const char *name, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f && fputs(text, f) >= 0 && fclose(f) == 0);
    return path;
}

Test(patterns, refused_when_compiled)
{
    Run r = run_heft("symbols --filter '(.*)(.*)\\2\\1x' '%s'", g_file);
    expect_error(&r, "heft: --filter '(.*)(.*)\\2\\1x': back-references (\\2) are not supported (see 'heft "
                     "--help')\n");
    r = run_heft("dups --filter 'a)|(b' '%s'", g_file);
    expect_error(&r, "heft: --filter 'a)|(b': unmatched closing parenthesis (at offset 1) (see 'heft dups "
                     "--help')\n");
    const char *b = budget("nested.toml", "[symbols.\"(((a{1,1000}){1,1000}){1,1000})\"]\nfile = \"1 MiB\"\n");
    r = run_heft("check '%s' --budget '%s'", g_file, b);
    char want[512];
    snprintf(want, sizeof want, "heft: %s: line 2: bad symbol pattern: regular expression is too large (at offset "
                                "31)\n", b);
    expect_error(&r, want);
}

/* Lookarounds are PCRE2's, not ERE's: they work until a name needs the
 * bounded fallback, which does not run them; then the command says so. */
Test(patterns, refused_when_matched)
{
    const char *re = "(?=(a|ab|b|ba)*[cd]).";
    Run r = run_heft("symbols --filter '%s' '%s'", re, g_file);
    char want[512];
    snprintf(want, sizeof want, "heft: --filter '%s': too complex to match in bounded time and memory (match "
                                "limit exceeded)\n", re);
    expect_error(&r, want);
    const char *b = budget("lookahead.toml", "[total]\nfile = \"1 GiB\"\n[symbols.\"(?=(a|ab|b|ba)*[cd]).\"]\n"
                                             "file = \"1 MiB\"\n");
    r = run_heft("check '%s' --budget '%s'", g_file, b);
    snprintf(want, sizeof want, "heft: %s: line 4: symbols pattern '%s': too complex to match in bounded time and "
                                "memory (match limit exceeded)\n", b, re);
    expect_error(&r, want);
}
