/* test_progress.c — the live line on stderr (progress.h), as a user at a
 * terminal sees it: heft runs under a pseudo-terminal made by script(1)
 * (util-linux, in every Debian), on real inputs. The line names the stage,
 * is erased before the results, never reaches a pipe or a file, and stays
 * away from runs shorter than its delay. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_util.h"
#include "harness.h"

/* What a terminal receives from `heft ARGS` (stdout and stderr together),
 * with HEFT_PROGRESS_AFTER=after, or unset when after is NULL. */
static Run at_terminal(const char *after, const char *args)
{
    char env[64] = "";
    if (after)
        snprintf(env, sizeof env, "HEFT_PROGRESS_AFTER=%s ", after);
    Run r = run_cmd("%sscript -qec \"'%s' %s\" /dev/null", env, heft_bin(), args);
    cr_assert_eq(r.status, 0, "heft %s at a terminal: exit %d: %s%s", args, r.status, r.out, r.err);
    return r;
}

/* The stage's line is drawn, and after the last line drawn comes its
 * erasing, before any newline: the results start on a clean line. */
static void shows_then_erases(const Run *r, const char *stage, const char *first_result)
{
    char line[128];
    snprintf(line, sizeof line, "\r\033[Kheft: %s", stage);
    cr_assert(strstr(r->out, line), "no \"%s\" line in: %s", stage, r->out);
    const char *last = NULL;
    for (const char *p = r->out; (p = strstr(p, "\r\033[Kheft: ")); p++)
        last = p;
    const char *erase = strstr(last + 4, "\r\033[K"), *nl = strchr(last, '\n');
    cr_assert(erase && (!nl || erase < nl), "the last line drawn is not erased: %s", last);
    const char *result = strstr(erase, first_result);
    cr_assert(result, "no %s after the line is erased: %s", first_result, erase);
}

Test(progress, dups_of_a_rust_workspace, .timeout = 300)
{
    char args[512];
    snprintf(args, sizeof args, "dups -n 1 '%s'", fx_need("realworld-release"));
    Run r = at_terminal("0", args);
    shows_then_erases(&r, "disassembling functions ", "Saving");
    cr_expect(strstr(r.out, "\r\033[Kheft: comparing copies "), "%s", r.out);
    run_free(&r);
}

Test(progress, units_with_debug_info, .timeout = 300)
{
    char args[512];
    snprintf(args, sizeof args, "units -n 1 '%s'", fx_need("realworld-dev"));
    Run r = at_terminal("0", args);
    shows_then_erases(&r, "reading debug info ", "File");
    run_free(&r);
}

/* A pipe gets no line, whatever the delay; nor does a file. */
Test(progress, never_into_a_pipe_or_a_file, .timeout = 300)
{
    const char *path = fx_need("realworld-release");
    Run r = run_cmd("HEFT_PROGRESS_AFTER=0 '%s' dups -n 1 '%s' 2>&1 | cat", heft_bin(), path);
    cr_assert_eq(r.status, 0);
    cr_expect_null(strstr(r.out, "heft: "), "%s", r.out);
    cr_expect_null(strchr(r.out, '\r'), "%s", r.out);
    run_free(&r);
    r = run_heft("dups -n 1 '%s'", path);
    cr_expect_eq(r.err_len, 0, "stderr: %s", r.err);
    run_free(&r);
}

/* Under the default delay of a second, a quick view draws nothing. */
Test(progress, none_for_a_quick_run)
{
    char args[512];
    snprintf(args, sizeof args, "sections '%s'", fx_need("realworld-release"));
    Run r = at_terminal(NULL, args);
    cr_expect_null(strstr(r.out, "heft: "), "%s", r.out);
    run_free(&r);
}
