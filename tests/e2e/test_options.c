/* test_options.c — what the options do, as a user sees it: -n and the rest
 * line, --filter / --crate / --section and filtered_out, --sort, the CSV/TSV
 * and table formats, colour, usage errors, determinism. */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_util.h"
#include "harness.h"

static size_t text_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n && s[i]; i++)
        w += ((unsigned char)s[i] & 0xc0) != 0x80;
    return w;
}

/* -n 3: the three largest rows, the rest summed in "rest". */
Test(options, limit_and_rest)
{
    const char *path = fx_need("c-sizes");
    json_t *all = heft_json("symbols -n 0 '%s'", path);
    json_t *top = heft_json("symbols -n 3 '%s'", path);
    json_t *arows = json_object_get(all, "rows"), *trows = json_object_get(top, "rows");
    cr_assert_eq(json_array_size(trows), 3);
    for (size_t i = 0; i < 3; i++)
        cr_assert(json_equal(json_array_get(trows, i), json_array_get(arows, i)), "-n 3 row %zu differs from -n 0",
                  i);
    json_t *rest = json_object_get(top, "rest");
    FxSum t = fx_rows_sum(top);
    cr_assert_eq((size_t)jint(rest, "rows"), json_array_size(arows) - 3);
    cr_assert_eq(t.file_size + fx_sum_of(rest).file_size, (uint64_t)jint(top, "file_size"));
    cr_assert_eq(t.vm_size + fx_sum_of(rest).vm_size, (uint64_t)jint(top, "vm_size"));
    cr_assert_eq(jint(json_object_get(top, "filtered_out"), "rows"), 0);
    /* Default: 20 rows. */
    json_t *def = heft_json("symbols '%s'", path);
    cr_assert_eq(json_array_size(json_object_get(def, "rows")), 20);
    json_decref(def);
    /* The table says how many rows were cut. */
    Run r = run_heft("symbols -n 3 '%s'", path);
    cr_assert_eq(r.status, 0);
    char want[64];
    snprintf(want, sizeof want, "%lld more rows not shown", (long long)jint(rest, "rows"));
    cr_assert(strstr(r.out, want), "table lacks '%s':\n%s", want, r.out);
    run_free(&r);
    json_decref(all);
    json_decref(top);
}

/* Largest first: by the larger of file and VM size. */
Test(options, sort_size)
{
    json_t *j = heft_json("symbols -n 0 '%s'", fx_need("rust-v0"));
    int64_t prev = INT64_MAX;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(j, "rows"), i, row) {
        int64_t f = jint(row, "file_size"), v = jint(row, "vm_size"), m = f > v ? f : v;
        cr_assert_leq(m, prev, "row %zu (%s) larger than the one before", i, fx_str(row, "name"));
        prev = m;
    }
    json_decref(j);
}

Test(options, sort_name)
{
    static const char *const views[] = {"symbols", "crates", "sections"};
    for (size_t v = 0; v < 3; v++) {
        json_t *j = heft_json("%s -n 0 --sort name '%s'", views[v], fx_need("rust-v0"));
        const char *prev = "";
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(j, "rows"), i, row) {
            const char *n = fx_str(row, "name");
            cr_assert_leq(strcmp(prev, n), 0, "%s --sort name: '%s' before '%s'", views[v], prev, n);
            prev = n;
        }
        cr_assert_gt(i, 10);
        json_decref(j);
    }
}

Test(options, sort_addr)
{
    static const char *const views[] = {"symbols", "sections"};
    for (size_t v = 0; v < 2; v++) {
        json_t *j = heft_json("%s -n 0 --sort addr '%s'", views[v], fx_need("c-sizes"));
        int64_t prev = -1;
        size_t i, n = 0;
        json_t *row;
        json_array_foreach(json_object_get(j, "rows"), i, row) {
            json_t *a = json_object_get(row, "address");
            if (!json_is_integer(a))
                continue;
            cr_assert_geq(json_integer_value(a), prev, "%s --sort addr: %s at %lld after %lld", views[v],
                          fx_str(row, "name"), (long long)json_integer_value(a), (long long)prev);
            prev = json_integer_value(a);
            n++;
        }
        cr_assert_gt(n, 10);
        json_decref(j);
    }
    /* The functions of .text in address order, as readelf has them. */
    json_t *j = heft_json("symbols -n 0 --sort addr --section .text '%s'", fx_need("c-sizes"));
    json_t *rows = json_object_get(j, "rows");
    json_t *fill = fx_row_raw(rows, "fill_bss"), *cls = fx_row_raw(rows, "classify");
    cr_assert(fill && cls);
    size_t ifill = 0, icls = 0, i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        if (row == fill)
            ifill = i;
        if (row == cls)
            icls = i;
    }
    /* sizes.c defines fill_bss before classify and gcc keeps that order. */
    cr_assert_lt(ifill, icls);
    json_decref(j);
}

/* --filter: rows whose name or an alias matches; the others in filtered_out. */
Test(options, filter)
{
    const char *path = fx_need("c-sizes");
    json_t *all = heft_json("symbols -n 0 '%s'", path);
    json_t *j = heft_json("symbols -n 0 --filter '^check' '%s'", path);
    json_t *rows = json_object_get(j, "rows");
    regex_t re;
    cr_assert_eq(regcomp(&re, "^check", REG_EXTENDED | REG_NOSUB), 0);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        cr_assert_eq(regexec(&re, fx_str(row, "name"), 0, NULL, 0), 0, "--filter ^check gave %s",
                     fx_str(row, "name"));
    }
    regfree(&re);
    /* check_value, check_value.cold, checksum_alias */
    cr_assert_eq(json_array_size(rows), 3, "--filter ^check: %zu rows", json_array_size(rows));
    cr_assert(fx_row_raw(rows, "check_value.cold"));
    json_t *fo = json_object_get(j, "filtered_out");
    FxSum s = fx_rows_sum(j);
    cr_assert_eq(s.file_size + fx_sum_of(fo).file_size, (uint64_t)jint(j, "file_size"));
    cr_assert_eq(s.vm_size + fx_sum_of(fo).vm_size, (uint64_t)jint(j, "vm_size"));
    cr_assert_eq(s.rows + (size_t)jint(fo, "rows"), json_array_size(json_object_get(all, "rows")));
    cr_assert_eq(jint(json_object_get(j, "rest"), "rows"), 0);
    json_decref(j);
    /* An alias matching selects its row. */
    j = heft_json("symbols -n 0 --filter '^compute_checksum$' '%s'", path);
    rows = json_object_get(j, "rows");
    cr_assert_eq(json_array_size(rows), 1, "--filter on an alias: %zu rows", json_array_size(rows));
    cr_assert_str_eq(fx_str(json_array_get(rows, 0), "name"), "checksum_alias");
    json_decref(j);
    /* Nothing matches: no rows, everything filtered out. */
    j = heft_json("symbols -n 0 --filter 'no_such_symbol_xyz' '%s'", path);
    cr_assert_eq(json_array_size(json_object_get(j, "rows")), 0);
    cr_assert_eq(fx_sum_of(json_object_get(j, "filtered_out")).file_size, (uint64_t)jint(j, "file_size"));
    json_decref(j);
    /* Filters apply to leaves before grouping: crates of the matching symbols. */
    j = heft_json("crates -n 0 --filter '^textkit::join_all' '%s'", fx_need("rust-v0"));
    rows = json_object_get(j, "rows");
    cr_assert_eq(json_array_size(rows), 1);
    cr_assert_str_eq(fx_str(json_array_get(rows, 0), "name"), "textkit");
    cr_assert_eq(jint(json_array_get(rows, 0), "symbols"), 4);
    json_decref(j);
    json_decref(all);
}

/* --crate and --section combine; the crates view of one section. */
Test(options, crate_and_section)
{
    const char *path = fx_need("rust-legacy");
    json_t *j = heft_json("symbols -n 0 --crate textkit --section .rodata '%s'", path);
    json_t *rows = json_object_get(j, "rows");
    cr_assert_eq(json_array_size(rows), 1, "textkit in .rodata: %zu rows", json_array_size(rows));
    cr_assert_str_eq(fx_str(json_array_get(rows, 0), "name"), "textkit::CASE_TABLE");
    cr_assert_eq(jint(json_array_get(rows, 0), "file_size"), 4096);
    json_decref(j);
    j = heft_json("crates -n 0 --section .text '%s'", path);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(j, "rows"), i, row) {
        cr_assert_eq(jint(row, "vm_size"), jint(row, "file_size"), "crate %s in .text: file != VM",
                     fx_str(row, "name"));
    }
    cr_assert(row_named(json_object_get(j, "rows"), "geom"));
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    FxSum s = fx_rows_sum(j);
    cr_assert_eq(s.file_size, fx_section_named(&e, ".text")->size, "crates --section .text sum to %llu",
                 (unsigned long long)s.file_size);
    fx_elf_free(&e);
    json_decref(j);
    /* No such crate: nothing, and that is not an error. */
    j = heft_json("symbols -n 0 --crate no_such_crate '%s'", path);
    cr_assert_eq(json_array_size(json_object_get(j, "rows")), 0);
    json_decref(j);
}

/* Splits one CSV line (RFC 4180 quoting) into at most max fields. */
static size_t csv_split(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        char *out = p;
        f[n++] = p;
        if (*p == '"') {
            char *q = p + 1;
            for (;;) {
                if (*q == '"' && q[1] == '"') {
                    *out++ = '"';
                    q += 2;
                } else if (*q == '"') {
                    q++;
                    break;
                } else if (!*q) {
                    break;
                } else {
                    *out++ = *q++;
                }
            }
            p = q;
        } else {
            while (*p && *p != ',')
                *out++ = *p++;
        }
        char c = *p;
        *out = '\0';
        if (c != ',')
            break;
        p++;
    }
    return n;
}

static void sv_matches_json(const char *format, const char *view, const char *name)
{
    const char *path = fx_need(name);
    json_t *j = heft_json("%s -n 0 '%s'", view, path);
    json_t *rows = json_object_get(j, "rows");
    Run r = run_heft("--format %s %s -n 0 '%s'", format, view, path);
    cr_assert_eq(r.status, 0);
    bool tsv = strcmp(format, "tsv") == 0;
    char **lines;
    size_t n = fx_lines(r.out, &lines);
    cr_assert_gt(n, 0);
    cr_assert_str_eq(lines[0], tsv ? "file_size\tvm_size\tsection\tcrate\tname" : "file_size,vm_size,section,crate,name",
                     "%s header: %s", format, lines[0]);
    cr_assert_eq(n - 1, json_array_size(rows), "%s %s: %zu lines for %zu rows", format, view, n - 1,
                 json_array_size(rows));
    for (size_t i = 1; i < n; i++) {
        char *f[5];
        size_t nf;
        if (tsv) {
            nf = 0;
            char *p = lines[i];
            /* empty fields: split by hand */
            for (char *t = p;; t++) {
                if (*t == '\t' || *t == '\0') {
                    char c = *t;
                    *t = '\0';
                    if (nf < 5)
                        f[nf++] = p;
                    p = t + 1;
                    if (!c)
                        break;
                }
            }
        } else {
            nf = csv_split(lines[i], f, 5);
        }
        cr_assert_eq(nf, 5, "%s line %zu: %zu fields", format, i, nf);
        json_t *row = json_array_get(rows, i - 1);
        cr_assert_eq(strtoll(f[0], NULL, 10), jint(row, "file_size"), "%s line %zu file_size", format, i);
        cr_assert_eq(strtoll(f[1], NULL, 10), jint(row, "vm_size"), "%s line %zu vm_size", format, i);
        cr_assert_str_eq(f[4], fx_str(row, "name"), "%s line %zu name", format, i);
        if (strcmp(view, "symbols") == 0) {
            cr_assert_str_eq(f[2], fx_str(row, "section"), "%s line %zu section", format, i);
            cr_assert_str_eq(f[3], fx_str(row, "crate"), "%s line %zu crate", format, i);
        }
    }
    free(lines);
    run_free(&r);
    json_decref(j);
}

/* Rust names hold commas and quotes-free generics: CSV must quote them. */
Test(options, csv_like_json) { sv_matches_json("csv", "symbols", "rust-v0"); }
Test(options, csv_crates_like_json) { sv_matches_json("csv", "crates", "rust-legacy"); }
Test(options, tsv_like_json) { sv_matches_json("tsv", "symbols", "cxx-shapes"); }
Test(options, tsv_sections_like_json) { sv_matches_json("tsv", "sections", "c-sizes"); }

/* The table: a header, rows whose Name column starts where the header's does,
 * sizes right-aligned, and a total line with the exact byte counts. */
static void table_aligned(const char *view, const char *name)
{
    const char *path = fx_need(name);
    json_t *j = heft_json("%s -n 15 '%s'", view, path);
    Run r = run_heft("%s -n 15 '%s'", view, path);
    cr_assert_eq(r.status, 0);
    cr_assert_null(strchr(r.out, '\033'), "escape codes when not on a terminal");
    char **lines;
    size_t n = fx_lines(r.out, &lines);
    cr_assert_geq(n, 15 + 3, "%s: %zu lines", view, n);
    const char *hdr = lines[0];
    const char *name_col = strstr(hdr, "Name");
    cr_assert(name_col && strcmp(name_col, "Name") == 0, "header does not end in Name: %s", hdr);
    cr_assert(strstr(hdr, "File") && strstr(hdr, "VM"), "header: %s", hdr);
    size_t col = text_width(hdr, (size_t)(name_col - hdr));
    json_t *rows = json_object_get(j, "rows");
    for (size_t i = 1; i <= 15; i++) {
        const char *l = lines[i];
        /* find the byte offset of display column col */
        size_t w = 0, b = 0;
        while (l[b] && w < col) {
            b++;
            while (((unsigned char)l[b] & 0xc0) == 0x80)
                b++;
            w++;
        }
        cr_assert_eq(w, col, "%s line %zu shorter than the Name column: %s", view, i, l);
        cr_assert(b >= 2 && l[b - 1] == ' ' && l[b - 2] == ' ' && l[b] != ' ',
                  "%s line %zu: Name column not at %zu: '%s'", view, i, col, l);
        const char *want = fx_str(json_array_get(rows, i - 1), "name");
        cr_assert(strncmp(l + b, want, strlen(want)) == 0, "%s line %zu: name '%s', JSON row '%s'", view, i, l + b,
                  want);
        /* sizes: right-aligned, 10 wide, unit last */
        cr_assert(l[9] == 'B', "%s line %zu: file size column not right-aligned: '%s'", view, i, l);
        cr_assert(l[19] == 'B', "%s line %zu: VM size column not right-aligned: '%s'", view, i, l);
    }
    char total[128];
    snprintf(total, sizeof total, "total: file %lld B, VM %lld B", (long long)jint(j, "file_size"),
             (long long)jint(j, "vm_size"));
    cr_assert(strstr(lines[n - 1], total), "%s: last line '%s' lacks '%s'", view, lines[n - 1], total);
    cr_assert(strstr(lines[n - 1], "100.0%"), "%s: total line is not 100%%: %s", view, lines[n - 1]);
    free(lines);
    run_free(&r);
    json_decref(j);
}

Test(options, table_symbols) { table_aligned("symbols", "rust-v0"); }
Test(options, table_crates) { table_aligned("crates", "rust-legacy"); }
Test(options, table_sections) { table_aligned("sections", "cxx-shapes"); }

/* The summary table: the totals in bytes, then sections, crates, symbols. */
Test(options, summary_table)
{
    const char *path = fx_need("c-sizes");
    Run r = run_heft("'%s'", path);
    cr_assert_eq(r.status, 0);
    char want[128];
    snprintf(want, sizeof want, "(%llu B)", (unsigned long long)file_size_of(path));
    cr_assert(strstr(r.out, want), "summary lacks the file size %s:\n%s", want, r.out);
    cr_assert(strstr(r.out, "Sections") && strstr(r.out, "Largest symbols"), "summary:\n%s", r.out);
    cr_assert(strstr(r.out, "big_bss"), "summary lacks the largest symbol big_bss");
    run_free(&r);
    json_t *j = heft_json("'%s'", path);
    cr_assert_str_eq(fx_str(j, "view"), "summary");
    cr_assert_eq(json_array_size(json_object_get(j, "symbols")), 10);
    cr_assert(json_is_array(json_object_get(j, "crates")));
    cr_assert_str_eq(fx_str(json_array_get(json_object_get(j, "symbols"), 0), "name"), "big_bss");
    json_decref(j);
}

/* Colour only on a terminal, never with NO_COLOR. script(1) gives a tty. */
Test(options, color)
{
    const char *path = fx_need("c-sizes");
    const char *heft = getenv("HEFT") && *getenv("HEFT") ? getenv("HEFT") : "build/heft";
    Run r = run_heft("symbols '%s'", path);
    cr_assert_null(memchr(r.out, '\033', r.out_len), "escape codes on a pipe");
    run_free(&r);
    r = run_cmd("NO_COLOR= script -qec \"'%s' symbols '%s'\" /dev/null", heft, path);
    cr_assert_eq(r.status, 0, "script: %s", r.err);
    cr_assert(memchr(r.out, '\033', r.out_len), "no colour on a terminal:\n%s", r.out);
    run_free(&r);
    r = run_cmd("NO_COLOR=1 script -qec \"'%s' symbols '%s'\" /dev/null", heft, path);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "big_bss"), "script ran nothing: %s", r.out);
    cr_assert_null(memchr(r.out, '\033', r.out_len), "escape codes with NO_COLOR=1");
    run_free(&r);
    r = run_cmd("NO_COLOR= script -qec \"'%s' --format json symbols '%s'\" /dev/null", heft, path);
    cr_assert_null(memchr(r.out, '\033', r.out_len), "escape codes in JSON on a terminal");
    run_free(&r);
}

/* Usage errors: status 2, one line on stderr starting "heft: " with a hint,
 * nothing on stdout. */
static void usage_error(const char *args, const char *what)
{
    Run r = run_heft("%s", args);
    cr_assert_eq(r.status, 2, "heft %s: status %d", args, r.status);
    cr_assert_eq(r.out_len, 0, "heft %s: stdout '%s'", args, r.out);
    cr_assert(strncmp(r.err, "heft: ", 6) == 0, "heft %s: stderr '%s'", args, r.err);
    char *nl = strchr(r.err, '\n');
    cr_assert(nl && nl[1] == '\0', "heft %s: not one line: '%s'", args, r.err);
    cr_assert(strstr(r.err, "--help"), "heft %s: no hint: '%s'", args, r.err);
    cr_assert(strstr(r.err, what), "heft %s: '%s' does not mention %s", args, r.err, what);
    run_free(&r);
}

Test(options, usage_errors)
{
    char buf[4200];
    const char *p = fx_need("c-sizes");
    snprintf(buf, sizeof buf, "--bogus '%s'", p);
    usage_error(buf, "--bogus");
    snprintf(buf, sizeof buf, "-n abc '%s'", p);
    usage_error(buf, "abc");
    snprintf(buf, sizeof buf, "-n -1 '%s'", p);
    usage_error(buf, "-1");
    snprintf(buf, sizeof buf, "--sort weight '%s'", p);
    usage_error(buf, "weight");
    snprintf(buf, sizeof buf, "--format xml '%s'", p);
    usage_error(buf, "xml");
    snprintf(buf, sizeof buf, "symbls '%s'", p);
    usage_error(buf, "symbls");
    snprintf(buf, sizeof buf, "--filter '(' '%s'", p);
    usage_error(buf, "(");
    snprintf(buf, sizeof buf, "symbols '%s' extra", p);
    usage_error(buf, "extra");
    usage_error("", "FILE");
    usage_error("symbols", "FILE");
    usage_error("symbols -n", "-n");
}

/* A file that is not there: "heft: FILE: why", status 2. */
Test(options, missing_file)
{
    Run r = run_heft("symbols /nonexistent/heft-no-such-file");
    cr_assert_eq(r.status, 2);
    cr_assert_eq(r.out_len, 0);
    cr_assert(strncmp(r.err, "heft: /nonexistent/heft-no-such-file: ", 38) == 0, "stderr: '%s'", r.err);
    char *nl = strchr(r.err, '\n');
    cr_assert(nl && nl[1] == '\0', "not one line: '%s'", r.err);
    run_free(&r);
}

Test(options, help_and_version)
{
    Run r = run_heft("--help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "usage: heft"), "%s", r.out);
    run_free(&r);
    r = run_heft("--version");
    cr_assert_eq(r.status, 0);
    cr_assert(strncmp(r.out, "heft ", 5) == 0, "%s", r.out);
    run_free(&r);
}

/* Same command twice: the same bytes. */
Test(options, deterministic)
{
    static const char *const cmds[] = {"symbols -n 0", "crates -n 0", "sections -n 0 --format csv", "--format json",
                                       "symbols -n 0 --sort name --format tsv"};
    static const char *const files[] = {"rust-v0", "cxx-shapes", "c-sizes-arm32"};
    for (size_t f = 0; f < 3; f++)
        for (size_t c = 0; c < 5; c++) {
            const char *p = fx_need(files[f]);
            Run a = run_heft("%s '%s'", cmds[c], p), b = run_heft("%s '%s'", cmds[c], p);
            cr_assert_eq(a.status, 0);
            cr_assert(a.out_len == b.out_len && memcmp(a.out, b.out, a.out_len) == 0,
                      "heft %s %s: two runs differ", cmds[c], files[f]);
            run_free(&a);
            run_free(&b);
        }
}

/* A stripped file gets a hint on keeping symbols, in the words of what built
 * it: cargo's profile for Rust (here stripped by binutils, which also drops
 * the symbols' names), the linker and strip for C. */
Test(options, stripped_hint)
{
    const char *c = fx_need("c-sizes-stripped");
    Run r = run_heft("symbols -n 1 '%s'", c);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char want[4096];
    snprintf(want, sizeof want,
             "heft: %s: no .symtab (stripped), only exported symbols from .dynsym; keep symbols by linking "
             "without -s and not running strip\n",
             c);
    cr_assert_str_eq(r.err, want);
    run_free(&r);

    char *rs = fx_stripped_copy(fx_need("rust-legacy"), "");
    r = run_heft("symbols -n 1 '%s'", rs);
    cr_assert_eq(r.status, 0, "%s", r.err);
    snprintf(want, sizeof want,
             "heft: %s: no .symtab (stripped), only exported symbols from .dynsym; keep symbols with "
             "strip = false in the cargo profile\n",
             rs);
    cr_assert_str_eq(r.err, want);
    run_free(&r);
    unlink(rs);
    free(rs);
}
