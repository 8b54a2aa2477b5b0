/* test_pattern.c — user regular expressions (pattern.h): POSIX ERE meanings
 * for the patterns people type, clear refusals, and subjects that blow up a
 * backtracking matcher answered right or refused, never hung on. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

static Pattern *must_compile(const char *src)
{
    char err[160];
    Pattern *p = pattern_compile(src, err, sizeof err);
    cr_assert(p, "'%s': %s", src, err);
    return p;
}

static void expect_match(const char *src, const char *subject, bool want)
{
    Pattern *p = must_compile(src);
    cr_expect_eq(pattern_match(p, subject), want, "'%s' on '%s'", src, subject);
    cr_expect_null(pattern_failed(p), "'%s' on '%s': %s", src, subject, pattern_failed(p));
    pattern_free(p);
}

static void expect_refused(const char *src, const char *why)
{
    char err[160] = "";
    Pattern *p = pattern_compile(src, err, sizeof err);
    cr_expect_null(p, "'%s' compiled", src);
    cr_expect(strstr(err, why), "'%s': '%s', not '%s'", src, err, why);
    pattern_free(p);
}

/* n bytes of a and b from a fixed seed. */
static char *ab(size_t n)
{
    char *s = malloc(n + 1);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        s[i] = (char)('a' + (x & 1));
    }
    s[n] = '\0';
    return s;
}

Test(pattern, posix_meanings)
{
    expect_match("^std::", "std::fmt::write", true);
    expect_match("^std::", "core::std::x", false);
    expect_match("regex|serde", "serde_json::to_string", true);
    expect_match("core::fmt::.*", "<core::fmt::Arguments as core::fmt::Display>::fmt", true);
    expect_match("^(alpha|gamma)$", "gamma", true);
    expect_match("^(alpha|gamma)$", "gammas", false);
    expect_match("[[:digit:]]+h$", "f17h", true);
    expect_match("x{2,3}", "axxb", true);
    expect_match("operator\\(\\)", "Foo::operator()(int)", true);
    /* `.` takes a newline, `$` is the very end, as in POSIX */
    expect_match("a.b", "a\nb", true);
    expect_match("a$", "a\n", false);
    expect_match("", "anything", true);
}

Test(pattern, refusals)
{
    expect_refused("(", "missing closing parenthesis (at offset 1)");
    /* wrapped for the DFA pass, this would be a valid but other pattern */
    expect_refused("a)|(b", "unmatched closing parenthesis (at offset 1)");
    expect_refused("(.*)(.*)\\2\\1x", "back-references (\\2) are not supported");
    /* glibc's regcomp took 4 GB and 20 s on it */
    expect_refused("(((a{1,1000}){1,1000}){1,1000})", "regular expression is too large");
    char *huge = malloc(70000);
    memset(huge, 'a', 69999);
    huge[69999] = '\0';
    expect_refused(huge, "longer than the limit");
    free(huge);
}

/* Subjects on which a backtracking matcher takes exponential or polynomial
 * time: the answer comes from the DFA pass, and it is the right one. */
Test(pattern, blowups_answered)
{
    char *a = malloc(4001);
    memset(a, 'a', 4000);
    a[4000] = '\0';
    expect_match("(a|aa)*[bc]", a, false);
    expect_match("(a*)*[bc]", a, false);
    expect_match("(a?){9}[bc]", a, false);
    a[3990] = 'c';
    expect_match("(a|aa)*c", a, true);
    free(a);
    char *s = ab(4000);
    expect_match("(a|b)*a(a|b){15}[cd]", s, false);
    expect_match("a.*b.*a.*b.*a.*b.*[cd]", s, false);
    expect_match("a.*b.*a.*b.*a.*b.*a", s, true);
    free(s);
}

/* A subject that neither pass can take fails the pattern: false from then on,
 * with the reason, rather than a silent no-match or a hang. */
Test(pattern, failure_is_sticky)
{
    char *a = malloc(4001);
    memset(a, 'a', 4000);
    a[4000] = '\0';
    Pattern *p = must_compile("(?=(a|aa)*[bc]).");
    cr_assert(pattern_match(p, "b"));
    cr_assert_null(pattern_failed(p));
    cr_assert_not(pattern_match(p, a));
    cr_assert(pattern_failed(p));
    cr_expect(strstr(pattern_failed(p), "too complex to match in bounded time and memory"), "%s",
              pattern_failed(p));
    cr_expect_not(pattern_match(p, "b"), "a failed pattern matches nothing more");
    pattern_free(p);
    free(a);
}
