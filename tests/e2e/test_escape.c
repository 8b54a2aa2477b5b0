/* test_escape.c — names from a file never reach the terminal raw: every view
 * and command, as a table and as TSV, on symbol and section names holding
 * ESC, BEL, CR, LF, DEL, TAB and a C1 CSI (issue 14, item 11). Each control
 * byte is shown as \xHH, and the columns are laid out on that form. */
#include "harness.h"
#include "hostile.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* hostile_regex.c: symbols "esc\x1b[2Jcleared0", "bel\x07rang1", …, and
 * sections ".data.\x1b]0;title\x07", ".rodata.\r\n"; twin: no control bytes. */
bool hostile_gen_control_names(const char *path, bool hostile);

static char g_dir[] = "/tmp/heft-escape-XXXXXX";
static char g_file[64], g_twin[64];

static void setup(void)
{
    cr_assert(mkdtemp(g_dir));
    snprintf(g_file, sizeof g_file, "%s/names.o", g_dir);
    snprintf(g_twin, sizeof g_twin, "%s/twin.o", g_dir);
    cr_assert(hostile_gen_control_names(g_file, true) && hostile_gen_control_names(g_twin, false));
}

static void teardown(void)
{
    Run r = run_cmd("rm -rf '%s'", g_dir);
    run_free(&r);
}

TestSuite(escape, .init = setup, .fini = teardown);

/* The first byte of out that a terminal would act on, or -1: below 0x20 but
 * a newline (or a tab, in TSV), DEL, and the C1 CSI 0x9b (which no UTF-8
 * heft writes holds). */
static int raw_control(const Run *r, bool tsv)
{
    for (size_t i = 0; i < r->out_len; i++) {
        unsigned char c = (unsigned char)r->out[i];
        if ((c < 0x20 && c != '\n' && !(tsv && c == '\t')) || c == 0x7f || c == 0x9b)
            return c;
    }
    return -1;
}

/* heft ARGS on the file (diff: from the twin to the file) as a table and as
 * TSV: exit 0, no raw control byte, and, when names is set, escapes shown. */
static void check_escaped(const char *args, bool diff, bool names)
{
    static const char *const formats[] = {"table", "tsv"};
    for (int f = 0; f < 2; f++) {
        Run r = run_heft("%s -w --format %s %s%s%s '%s'", args, formats[f], diff ? "'" : "", diff ? g_twin : "",
                         diff ? "'" : "", g_file);
        cr_assert_eq(r.status, 0, "heft %s --format %s: status %d: %s", args, formats[f], r.status, r.err);
        int c = raw_control(&r, f == 1);
        cr_expect_eq(c, -1, "heft %s --format %s wrote byte 0x%02x raw", args, formats[f], c);
        if (names)
            cr_expect(strstr(r.out, "\\x1b"), "heft %s --format %s: no \\x1b shown:\n%s", args, formats[f], r.out);
        run_free(&r);
    }
}

Test(escape, views)
{
    check_escaped("symbols -n 0", false, true);
    check_escaped("sections -n 0", false, true);
    check_escaped("crates -n 0", false, true);
    check_escaped("summary -n 0", false, true);
    check_escaped("segments", false, false);
}

Test(escape, commands)
{
    check_escaped("dups -n 0", false, true);
    check_escaped("monos -n 0", false, false);
    check_escaped("diff --by symbol -n 0", true, true);
    check_escaped("diff --by section -n 0", true, true);
    check_escaped("diff -n 0", true, true);
}

/* What a user sees: one row of each view, exactly. */
Test(escape, rows)
{
    Run r = run_heft("symbols -n 0 --format tsv '%s'", g_file);
    cr_assert_eq(r.status, 0);
    cr_expect(strstr(r.out, "\n16\t16\t.text\t[C]\tesc\\x1b[2Jcleared0\n"), "%s", r.out);
    cr_expect(strstr(r.out, "\n16\t16\t.text\t[C]\tlf\\x0aforged row3\n"), "%s", r.out);
    cr_expect(strstr(r.out, "\n16\t16\t.text\t[C]\ttab\\x09here5\n"), "%s", r.out);
    cr_expect(strstr(r.out, "\n16\t16\t.text\t[C]\tcsi\\x9b31m6\n"), "%s", r.out);
    run_free(&r);
    r = run_heft("sections -w '%s'", g_file);
    cr_assert_eq(r.status, 0);
    cr_expect(strstr(r.out, "\n      32 B      32 B   0.0%   0.1%  .data.\\x1b]0;title\\x07\n"
                            "      32 B      32 B   0.0%   0.1%  .rodata.\\x0d\\x0a\n"),
              "%s", r.out);
    run_free(&r);
    /* The Section column is as wide as the widest escaped name (up to 20),
     * and a name cut to it ends in "…" after the escapes that fit. */
    r = run_heft("symbols -w -n 0 --section '.data.\x1b]0;title\x07' '%s'", g_file);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "\n      32 B      32 B   0.0% 100.0%  .data.\\x1b]0;title …  "
                            "[section .data.\\x1b]0;t…  [section .data.\\x1b]0;title\\x07]\n"),
              "%s", r.out);
    run_free(&r);
}
