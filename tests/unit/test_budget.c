/* test_budget.c — budget sizes and the TOML subset, without a binary. */
#include <criterion/criterion.h>
#include <string.h>

#include "budget.h"
#include "toml.h"

Test(diff_budget_unit, sizes)
{
    struct {
        const char *s;
        uint64_t want;
    } ok[] = {{"500000", 500000}, {"500000 B", 500000}, {"800 KiB", 819200}, {"1.5 MiB", 1572864},
              {"2 GiB", 2147483648ull}, {"2 MB", 2000000}, {"64kB", 64000}, {" 1 kib ", 1024}};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        uint64_t v = 0;
        cr_assert(budget_parse_size(ok[i].s, &v), "%s", ok[i].s);
        cr_assert_eq(v, ok[i].want, "%s: %llu", ok[i].s, (unsigned long long)v);
    }
    const char *bad[] = {"", "KiB", "-1", "1.5 XB", "1e400", "nan", "+5%", "1 KiB 2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        uint64_t v;
        cr_assert(!budget_parse_size(bad[i], &v), "'%s' accepted", bad[i]);
    }
}

Test(diff_budget_unit, growth)
{
    uint64_t b = 0;
    double p = 0;
    bool pct = false;
    cr_assert(budget_parse_growth("+5%", &b, &p, &pct) && pct && p == 5.0);
    cr_assert(budget_parse_growth("+2.5 %", &b, &p, &pct) && pct && p == 2.5);
    cr_assert(budget_parse_growth("+64 KiB", &b, &p, &pct) && !pct && b == 65536);
    cr_assert(budget_parse_growth("0", &b, &p, &pct) && !pct && b == 0);
    cr_assert(!budget_parse_growth("-5%", &b, &p, &pct));
    cr_assert(!budget_parse_growth("%", &b, &p, &pct));
    cr_assert(!budget_parse_growth("+5%%", &b, &p, &pct));
}

Test(diff_budget_unit, toml_subset)
{
    Arena *a = arena_new();
    const char *text = "# budget\n\n[total]  # the whole file\nfile = \"1.5 MiB\"\nvm=2_000\n"
                       "[section.\".text\"]\n'file' = 'a\\b'\n[symbols.\"^core::fmt::\\u00e9\"]\nx = 1.5\ny = true\n";
    TomlEntry *e;
    size_t n;
    char err[128];
    cr_assert_eq(toml_parse(a, text, strlen(text), &e, &n, err, sizeof err), 0, "%s", err);
    cr_assert_eq(n, 5);
    cr_assert_str_eq(e[0].table[0], "total");
    cr_assert_str_eq(e[0].key, "file");
    cr_assert_str_eq(e[0].str, "1.5 MiB");
    cr_assert_eq(e[0].line, 4);
    cr_assert_eq(e[1].type, TOML_INT);
    cr_assert_eq(e[1].i, 2000);
    cr_assert_eq(e[2].ntable, 2);
    cr_assert_str_eq(e[2].table[1], ".text");
    cr_assert_str_eq(e[2].str, "a\\b", "literal strings keep backslashes");
    cr_assert_str_eq(e[3].table[1], "^core::fmt::\xc3\xa9");
    cr_assert_eq(e[3].type, TOML_FLOAT);
    cr_assert_eq(e[3].f, 1.5);
    cr_assert_eq(e[4].type, TOML_BOOL);
    cr_assert_eq(e[4].line, 10);

    const char *bad[] = {"a.b = 1\n", "a = \"x\n", "a = \"\"\"x\"\"\"\n", "[a]\n[a]\n", "a = 01\n", "a = 1__0\n",
                         "a = \"\\q\"\n", "a = {}\n", "a = \"\\ud800\"\n", "= 1\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_eq(toml_parse(a, bad[i], strlen(bad[i]), &e, &n, err, sizeof err), -1, "accepted: %s", bad[i]);
    cr_assert_eq(toml_parse(a, "a = 1\0", 6, &e, &n, err, sizeof err), -1);
    arena_free(a);
}
