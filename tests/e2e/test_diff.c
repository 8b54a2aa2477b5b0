/* test_diff.c — `heft diff`, `heft snapshot` and `heft check` on pairs of
 * fixture builds with known differences (tests/fixtures/diff.mk). The ground
 * truth comes from nm -S and readelf on the two files. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_util.h"
#include "harness.h"

/* ---- helpers ---- */

static json_t *diff_json(const char *old, const char *new, const char *extra)
{
    Run r = run_heft("diff --format json -n 0 %s '%s' '%s'", extra, old, new);
    cr_assert_eq(r.status, 0, "heft diff %s %s exited %d: %s", old, new, r.status, r.err);
    json_error_t e;
    json_t *j = json_loadb(r.out, r.out_len, 0, &e);
    cr_assert(j, "heft diff: bad JSON at line %d: %s", e.line, e.text);
    run_free(&r);
    return j;
}

static json_t *view_of(json_t *j, const char *name)
{
    json_t *v = json_object_get(json_object_get(j, "views"), name);
    cr_assert(json_is_object(v), "diff JSON has no view %s", name);
    return v;
}

static int64_t counted(json_t *view, const char *status)
{
    return jint(json_object_get(view, "counts"), status);
}

static int64_t matched(json_t *view, const char *pass)
{
    return jint(json_object_get(view, "matched"), pass);
}

static json_t *rows_of(json_t *j, const char *view)
{
    return json_object_get(view_of(j, view), "rows");
}

/* Nothing changed anywhere: totals, and every row of every view. */
static void assert_zero_diff(json_t *j)
{
    cr_assert_eq(jint(j, "file_delta"), 0);
    cr_assert_eq(jint(j, "vm_delta"), 0);
    const char *views[] = {"sections", "crates", "symbols"};
    for (size_t i = 0; i < 3; i++) {
        json_t *v = view_of(j, views[i]);
        cr_assert_eq(json_array_size(json_object_get(v, "rows")), 0, "%s: %zu changed rows", views[i],
                     json_array_size(json_object_get(v, "rows")));
        const char *st[] = {"added", "removed", "grown", "shrunk"};
        for (size_t k = 0; k < 4; k++)
            cr_assert_eq(counted(v, st[k]), 0, "%s: %s = %lld", views[i], st[k], (long long)counted(v, st[k]));
        cr_assert_gt(counted(v, "same"), 0);
    }
}

/* Unique defined, sized symbol names in path (nm -S), one per line, sorted. */
static char *nm_names(const char *path)
{
    Run r = run_cmd("nm -S --defined-only '%s' | awk 'NF==4{print $4}' | sort -u", path);
    cr_assert_eq(r.status, 0);
    free(r.err);
    return r.out;
}

/* Lines of a not in b (both sorted, as nm_names gives). */
static size_t only_in(char *a, char *b)
{
    char **la, **lb;
    size_t na = fx_lines(a, &la), nb = fx_lines(b, &lb), n = 0, j = 0;
    for (size_t i = 0; i < na; i++) {
        while (j < nb && strcmp(lb[j], la[i]) < 0)
            j++;
        n += !(j < nb && strcmp(lb[j], la[i]) == 0);
    }
    free(la);
    free(lb);
    return n;
}

/* Sum of nm -S sizes of the symbols whose name matches the grep -E pattern. */
static uint64_t nm_size_sum(const char *path, const char *pattern)
{
    Run r = run_cmd("nm -S -t d --defined-only '%s' | awk 'NF==4' | grep -E '%s' | "
                    "awk '{s += $2} END {printf \"%%d\\n\", s}'",
                    path, pattern);
    cr_assert_eq(r.status, 0, "nm | grep %s: %s", pattern, r.err);
    uint64_t v = strtoull(r.out, NULL, 10);
    run_free(&r);
    return v;
}

/* nm -S sizes of the symbols matching pattern, ascending, into out (max n). */
static size_t nm_sizes(const char *path, const char *pattern, uint64_t *out, size_t n)
{
    Run r = run_cmd("nm -S -t d --defined-only '%s' | awk 'NF==4' | grep -E '%s' | "
                    "awk '{print $2 + 0}' | sort -n",
                    path, pattern);
    cr_assert_eq(r.status, 0);
    size_t k = 0;
    char *p = r.out;
    while (k < n && *p) {
        out[k++] = strtoull(p, &p, 10);
        while (*p == '\n')
            p++;
    }
    run_free(&r);
    return k;
}

static char tmpdir[64];

static void make_tmp(void)
{
    strcpy(tmpdir, "/tmp/heft-diff-XXXXXX");
    cr_assert(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
    Run r = run_cmd("rm -rf '%s'", tmpdir);
    run_free(&r);
}

static const char *tmp(const char *name)
{
    static char slots[4][256];
    static unsigned next;
    char *p = slots[next++ % 4];
    snprintf(p, sizeof slots[0], "%s/%s", tmpdir, name);
    return p;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

/* A bad-input run: exit 2 and one line "heft: PATH: ..." on stderr. */
static void assert_one_line_error(Run *r, const char *path, const char *what)
{
    cr_assert_eq(r->status, 2, "%s: exit %d, stderr: %s", what, r->status, r->err);
    char prefix[512];
    snprintf(prefix, sizeof prefix, "heft: %s: ", path);
    cr_assert(strncmp(r->err, prefix, strlen(prefix)) == 0, "%s: stderr '%s'", what, r->err);
    cr_assert(strchr(r->err, '\n') == r->err + r->err_len - 1, "%s: not one line: '%s'", what, r->err);
    cr_assert_eq(r->out_len, 0, "%s: printed '%s'", what, r->out);
}

/* ---- rebuilds diff to zero; renamed hashes match ---- */

static void rebuild_is_zero(const char *a, const char *b)
{
    const char *fa = fx_need(a), *fb = fx_need(b);
    json_t *j = diff_json(fa, fb, "");
    assert_zero_diff(j);
    /* The hashes really differ: exactly the names nm lists in one build and
     * not the other are matched by identity, none is added or removed. */
    char *na = nm_names(fa), *nb = nm_names(fb);
    size_t renamed = only_in(na, nb);
    free(na);
    free(nb);
    cr_assert_gt(renamed, 10, "the two builds share all names: the fixture does not test hashes");
    json_t *sym = view_of(j, "symbols");
    cr_assert_eq(matched(sym, "identity"), (int64_t)renamed, "matched by identity %lld, renamed (nm) %zu",
                 (long long)matched(sym, "identity"), renamed);
    cr_assert_eq(matched(sym, "crate"), 0);
    cr_assert_eq(matched(sym, "name") + matched(sym, "identity"), counted(sym, "same"));
    json_decref(j);
}

Test(diff_rebuild, legacy_hashes_differ_diff_is_zero)
{
    rebuild_is_zero("diff-rust-a", "diff-rust-b");
}

Test(diff_rebuild, v0_disambiguators_differ_diff_is_zero)
{
    rebuild_is_zero("diff-rust-v0a", "diff-rust-v0b");
}

Test(diff_rebuild, same_file_every_view_zero)
{
    const char *f = fx_need("diff-rust-a");
    const char *views[] = {"section", "segment", "crate", "symbol"};
    for (size_t i = 0; i < 4; i++) {
        Run r = run_heft("diff --by %s --format json '%s' '%s'", views[i], f, f);
        cr_assert_eq(r.status, 0);
        json_t *j = json_loads(r.out, 0, NULL);
        cr_assert(j);
        json_t *views_obj = json_object_get(j, "views");
        cr_assert_eq(json_object_size(views_obj), 1);
        json_t *v = json_object_iter_value(json_object_iter(views_obj));
        cr_assert_eq(json_array_size(json_object_get(v, "rows")), 0, "--by %s", views[i]);
        cr_assert_eq(counted(v, "added") + counted(v, "removed") + counted(v, "grown") + counted(v, "shrunk"), 0);
        json_decref(j);
        run_free(&r);
    }
}

Test(diff_rebuild, table_says_no_change)
{
    const char *a = fx_need("diff-rust-a"), *b = fx_need("diff-rust-b");
    Run r = run_heft("diff '%s' '%s'", a, b);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "symbols: 0 added, 0 removed, 0 grown, 0 shrunk, "), "%s", r.out);
    cr_assert(strstr(r.out, "(no change)"), "%s", r.out);
    run_free(&r);
    r = run_heft("diff --format markdown '%s' '%s'", a, b);
    cr_assert_eq(r.status, 0);
    cr_assert(strncmp(r.out, "**heft diff: no change in size**", 32) == 0, "%s", r.out);
    run_free(&r);
}

/* ---- known changes ---- */

Test(diff_changes, one_more_generic_instantiation)
{
    const char *a = fx_need("diff-rust-a"), *g = fx_need("diff-rust-gen");
    /* nm: one copy of diffapp::summarize before, two after. */
    uint64_t old_sz[4], new_sz[4];
    cr_assert_eq(nm_sizes(a, "_ZN7diffapp9summarize17h", old_sz, 4), 1);
    cr_assert_eq(nm_sizes(g, "_ZN7diffapp9summarize17h", new_sz, 4), 2);
    cr_assert(new_sz[0] == old_sz[0] || new_sz[1] == old_sz[0], "the first copy changed size");
    uint64_t added_sz = new_sz[0] == old_sz[0] ? new_sz[1] : new_sz[0];

    json_t *j = diff_json(a, g, "--filter '^diffapp::summarize$'");
    json_t *sym = view_of(j, "symbols"), *rows = json_object_get(sym, "rows");
    cr_assert_eq(counted(sym, "added"), 1);
    cr_assert_eq(counted(sym, "same"), 1, "the existing copy is matched to its equal");
    cr_assert_eq(counted(sym, "removed"), 0);
    cr_assert_eq(json_array_size(rows), 1);
    json_t *row = json_array_get(rows, 0);
    cr_assert_str_eq(fx_str(row, "status"), "added");
    cr_assert_str_eq(fx_str(row, "crate"), "diffapp");
    cr_assert_eq(jint(row, "new_file_size"), (int64_t)added_sz);
    cr_assert_eq(jint(row, "file_delta"), (int64_t)added_sz);
    json_decref(j);
}

Test(diff_changes, one_more_dependency_crate)
{
    const char *a = fx_need("diff-rust-a"), *d = fx_need("diff-rust-dep");
    uint64_t extra = nm_size_sum(d, "5extra");
    cr_assert_gt(extra, 0);
    cr_assert_eq(nm_size_sum(a, "5extra"), 0);
    json_t *j = diff_json(a, d, "--by crate");
    json_t *row = row_named(rows_of(j, "crates"), "extra");
    cr_assert(row, "no row for crate extra");
    cr_assert_str_eq(fx_str(row, "status"), "added");
    cr_assert_eq(jint(row, "old_file_size"), 0);
    cr_assert_eq(jint(row, "new_file_size"), (int64_t)extra);
    cr_assert_eq(jint(row, "file_delta"), (int64_t)extra);
    cr_assert_eq(jint(j, "file_delta"), (int64_t)(file_size_of(d) - file_size_of(a)));
    json_decref(j);

    /* The symbols the crate brings are added, with nm's sizes. */
    j = diff_json(a, d, "--by symbol --filter '^extra::'");
    json_t *sym = view_of(j, "symbols");
    cr_assert_eq(counted(sym, "removed") + counted(sym, "same") + counted(sym, "grown") + counted(sym, "shrunk"), 0);
    cr_assert_gt(counted(sym, "added"), 0);
    int64_t sum = 0;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(sym, "rows"), i, r) sum += jint(r, "new_file_size");
    cr_assert_eq(sum, (int64_t)extra);
    json_decref(j);
}

/* The feature changes the crate's hash: main is renamed and grows. It is one
 * row that grew, not a removal and an addition. */
Test(diff_changes, renamed_hash_is_a_change)
{
    const char *a = fx_need("diff-rust-a"), *d = fx_need("diff-rust-dep");
    Run ra = run_cmd("nm --defined-only '%s' | grep -o '_ZN7diffapp4main17h[0-9a-f]*E'", a);
    Run rd = run_cmd("nm --defined-only '%s' | grep -o '_ZN7diffapp4main17h[0-9a-f]*E'", d);
    cr_assert(ra.status == 0 && rd.status == 0);
    cr_assert_str_neq(ra.out, rd.out, "the hash of diffapp::main did not change");
    run_free(&ra);
    run_free(&rd);
    uint64_t old_sz[2], new_sz[2];
    cr_assert_eq(nm_sizes(a, "_ZN7diffapp4main17h", old_sz, 2), 1);
    cr_assert_eq(nm_sizes(d, "_ZN7diffapp4main17h", new_sz, 2), 1);
    cr_assert_neq(old_sz[0], new_sz[0]);
    json_t *j = diff_json(a, d, "--by symbol --filter '^diffapp::main$'");
    json_t *sym = view_of(j, "symbols"), *rows = json_object_get(sym, "rows");
    cr_assert_eq(counted(sym, "added") + counted(sym, "removed"), 0);
    cr_assert_eq(json_array_size(rows), 1);
    json_t *row = json_array_get(rows, 0);
    cr_assert_str_eq(fx_str(row, "match"), "identity");
    cr_assert_str_eq(fx_str(row, "status"), new_sz[0] > old_sz[0] ? "grown" : "shrunk");
    cr_assert_eq(jint(row, "old_file_size"), (int64_t)old_sz[0]);
    cr_assert_eq(jint(row, "new_file_size"), (int64_t)new_sz[0]);
    json_decref(j);
}

Test(diff_changes, larger_static_table_exact_delta)
{
    const char *a = fx_need("diff-table-1000"), *b = fx_need("diff-table-5000");
    uint64_t ta[1], tb[1];
    cr_assert_eq(nm_sizes(a, " table$", ta, 1), 1);
    cr_assert_eq(nm_sizes(b, " table$", tb, 1), 1);
    cr_assert_eq(tb[0] - ta[0], 4000);
    json_t *j = diff_json(a, b, "");
    cr_assert_eq(jint(j, "file_delta"), (int64_t)(file_size_of(b) - file_size_of(a)));
    FxElf ea, eb;
    fx_elf_read(&ea, a, ".symtab", false);
    fx_elf_read(&eb, b, ".symtab", false);
    cr_assert_eq(jint(j, "vm_delta"), (int64_t)(fx_vm_size(&eb) - fx_vm_size(&ea)));
    json_t *row = row_named(rows_of(j, "symbols"), "table");
    cr_assert(row);
    cr_assert_str_eq(fx_str(row, "status"), "grown");
    cr_assert_str_eq(fx_str(row, "match"), "name");
    cr_assert_eq(jint(row, "file_delta"), 4000);
    cr_assert_eq(jint(row, "vm_delta"), 4000);
    json_t *sec = row_named(rows_of(j, "sections"), ".rodata");
    cr_assert(sec);
    cr_assert_eq(jint(sec, "file_delta"),
                 (int64_t)(fx_section_named(&eb, ".rodata")->size - fx_section_named(&ea, ".rodata")->size));
    cr_assert(!row_named(rows_of(j, "symbols"), "sum_table"), "sum_table did not change");
    fx_elf_free(&ea);
    fx_elf_free(&eb);
    json_decref(j);
}

/* Every row's delta adds up to the totals, and every section's to readelf's. */
Test(diff_changes, opt_level_3_vs_z_adds_up)
{
    const char *a = fx_need("diff-rust-o3"), *b = fx_need("diff-rust-oz");
    json_t *j = diff_json(a, b, "");
    int64_t fd = (int64_t)file_size_of(b) - (int64_t)file_size_of(a);
    cr_assert_eq(jint(j, "file_delta"), fd);
    cr_assert_neq(fd, 0);
    FxElf ea, eb;
    fx_elf_read(&ea, a, ".symtab", false);
    fx_elf_read(&eb, b, ".symtab", false);
    cr_assert_eq(jint(j, "vm_delta"), (int64_t)fx_vm_size(&eb) - (int64_t)fx_vm_size(&ea));
    const char *views[] = {"sections", "crates", "symbols"};
    for (size_t v = 0; v < 3; v++) {
        int64_t f = 0, m = 0;
        size_t i;
        json_t *r;
        json_array_foreach(rows_of(j, views[v]), i, r) {
            f += jint(r, "file_delta");
            m += jint(r, "vm_delta");
        }
        cr_assert_eq(f, fd, "%s: rows add up to %lld, file delta %lld", views[v], (long long)f, (long long)fd);
        cr_assert_eq(m, jint(j, "vm_delta"), "%s", views[v]);
    }
    json_t *sym = view_of(j, "symbols");
    cr_assert_gt(counted(sym, "shrunk"), 0);
    for (size_t s = 0; s < ea.nsecs; s++) {
        const FxSection *x = &ea.secs[s], *y = fx_section_named(&eb, x->name);
        if (!*x->name || !y || strcmp(x->type, "NOBITS") == 0 || fx_section_count(&ea, x->name) != 1)
            continue;
        json_t *row = row_named(rows_of(j, "sections"), x->name);
        int64_t want = (int64_t)y->size - (int64_t)x->size;
        cr_assert_eq(row ? jint(row, "file_delta") : 0, want, "section %s", x->name);
    }
    fx_elf_free(&ea);
    fx_elf_free(&eb);
    json_decref(j);
}

Test(diff_changes, table_and_markdown_show_the_change)
{
    const char *a = fx_need("diff-table-1000"), *b = fx_need("diff-table-5000");
    Run r = run_heft("diff --by symbol -n 1 '%s' '%s'", a, b);
    cr_assert_eq(r.status, 0);
    char line[160];
    snprintf(line, sizeof line, "(%llu -> %llu B)\n", (unsigned long long)file_size_of(a),
             (unsigned long long)file_size_of(b));
    cr_assert(strstr(r.out, line), "want '%s' in %s", line, r.out);
    cr_assert(strstr(r.out, "\n    1000 B   4.9 KiB   +3.9 KiB   +400.0%   +3.9 KiB  grown    [C]    table\n"), "%s",
              r.out);
    cr_assert(strstr(r.out, "1 more changed row not shown (-n 0 shows all)\n"), "%s", r.out);
    run_free(&r);
    r = run_heft("diff --format markdown '%s' '%s'", a, b);
    cr_assert_eq(r.status, 0);
    char want[128];
    char d[64];
    uint64_t fd = file_size_of(b) - file_size_of(a);
    snprintf(d, sizeof d, "%.1f KiB", fd / 1024.0);
    snprintf(want, sizeof want, "**heft diff: file size +%s", d);
    cr_assert(strncmp(r.out, want, strlen(want)) == 0, "want '%s', got %s", want, r.out);
    cr_assert(strstr(r.out, "| File size |"), "%s", r.out);
    cr_assert(strstr(r.out, "### Symbols"), "%s", r.out);
    cr_assert(strstr(r.out, "| table |"), "%s", r.out);
    run_free(&r);
}

Test(diff_changes, csv_rows)
{
    const char *a = fx_need("diff-table-1000"), *b = fx_need("diff-table-5000");
    Run r = run_heft("diff --by symbol --format csv '%s' '%s'", a, b);
    cr_assert_eq(r.status, 0);
    cr_assert(strncmp(r.out, "status,old_file_size,new_file_size,file_delta,", 46) == 0, "%s", r.out);
    cr_assert(strstr(r.out, "\ngrown,1000,5000,4000,1000,5000,4000,[C],table\n"), "%s", r.out);
    run_free(&r);
}

/* ---- snapshots ---- */

Test(diff_snapshot, round_trip, .init = make_tmp, .fini = rm_tmp)
{
    const char *a = fx_need("diff-rust-a"), *g = fx_need("diff-rust-gen"), *snap = tmp("a.heft.json.gz");
    Run r = run_heft("snapshot '%s' -o '%s'", a, snap);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    /* gzip, and far smaller than the JSON it holds. */
    r = run_cmd("gzip -t '%s' && zcat '%s' | head -c 40", snap, snap);
    cr_assert_eq(r.status, 0);
    cr_assert(strncmp(r.out, "{\"schema\": \"heft.snapshot/2\"", 28) == 0, "%s", r.out);
    run_free(&r);

    json_t *j = diff_json(a, snap, "");
    assert_zero_diff(j);
    cr_assert_eq(matched(view_of(j, "symbols"), "name"), counted(view_of(j, "symbols"), "same"));
    json_decref(j);

    /* A snapshot on either side gives what the binary gives. */
    json_t *bin = diff_json(a, g, ""), *s1 = diff_json(snap, g, "");
    cr_assert(json_equal(json_object_get(bin, "views"), json_object_get(s1, "views")));
    cr_assert_eq(jint(bin, "file_delta"), jint(s1, "file_delta"));
    cr_assert_eq(jint(bin, "vm_delta"), jint(s1, "vm_delta"));
    json_t *rev = diff_json(g, a, ""), *s2 = diff_json(g, snap, "");
    cr_assert(json_equal(json_object_get(rev, "views"), json_object_get(s2, "views")));
    json_decref(bin);
    json_decref(s1);
    json_decref(rev);
    json_decref(s2);
}

Test(diff_snapshot, bad_snapshots_exit_2_one_line, .init = make_tmp, .fini = rm_tmp)
{
    const char *a = fx_need("diff-rust-a");
    Run r = run_heft("snapshot '%s' -o '%s'", a, tmp("good.gz"));
    cr_assert_eq(r.status, 0);
    run_free(&r);
    struct {
        const char *name, *make, *why;
    } cases[] = {
        /* 100 MB of zeros: about 100 KB of gzip, over the inflate cap */
        {"bomb.gz", "head -c 100000000 /dev/zero | gzip -9 >", "gzip bomb"},
        {"trunc.gz", "head -c 2000 good.gz >", "truncated gzip data"},
        {"corrupt.gz", "(head -c 200 good.gz; head -c 3000 /dev/zero; tail -c +3201 good.gz) >", "corrupt gzip"},
        {"schema.gz", "echo '{\"schema\": \"heft.snapshot/9\"}' | gzip >", "snapshot schema"},
        {"notjson.gz", "echo 'hello' | gzip >", "not valid JSON"},
        {"badrow.gz",
         "printf '{\"schema\":\"heft.snapshot/1\",\"tool\":\"x\",\"source\":\"x\",\"file_size\":1,\"vm_size\":1,"
         "\"split_std\":false,\"sections\":[[\"s\",1,1]],\"segments\":[[\"g\",1,1]],\"crates\":[[\"c\",1,1]],"
         "\"symbols\":[[\"f\",null,7,-1,1,1]]}' | gzip >",
         "malformed symbols row"},
        {"empty.gz", "echo '{}' | gzip >", "no \"schema\""},
        {"sums.gz",
         "printf '{\"schema\":\"heft.snapshot/1\",\"tool\":\"x\",\"source\":\"x\",\"file_size\":10,\"vm_size\":0,"
         "\"split_std\":false,\"sections\":[[\"a\",9223372036854775807,0],[\"b\",9223372036854775807,0]],"
         "\"segments\":[],\"crates\":[],\"symbols\":[]}' | gzip >",
         "the sections rows add up to more than the totals"},
        {"short.gz",
         "printf '{\"schema\":\"heft.snapshot/1\",\"tool\":\"x\",\"source\":\"x\",\"file_size\":10,\"vm_size\":0,"
         "\"split_std\":false,\"sections\":[[\"a\",9,0]],\"segments\":[],\"crates\":[],\"symbols\":[]}' | gzip >",
         "the sections rows do not add up to the totals"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        r = run_cmd("cd '%s' && %s %s", tmpdir, cases[i].make, cases[i].name);
        cr_assert_eq(r.status, 0, "making %s: %s", cases[i].name, r.err);
        run_free(&r);
        const char *p = tmp(cases[i].name);
        r = run_heft("diff '%s' '%s'", p, a);
        assert_one_line_error(&r, p, cases[i].name);
        cr_assert(strstr(r.err, cases[i].why), "%s: '%s'", cases[i].name, r.err);
        run_free(&r);
    }
    r = run_heft("diff --split-std '%s' '%s'", tmp("good.gz"), a);
    assert_one_line_error(&r, tmp("good.gz"), "split-std mismatch");
    cr_assert(strstr(r.err, "snapshot taken without --split-std; run without it"), "%s", r.err);
    run_free(&r);
    r = run_heft("diff '%s' '%s'", a, tmp("bomb.gz"));
    assert_one_line_error(&r, tmp("bomb.gz"), "bomb on the new side");
    cr_assert(strstr(r.err, "inflates to more than"), "%s", r.err);
    run_free(&r);
}

Test(diff_snapshot, usage_errors_exit_2)
{
    const char *a = fx_need("diff-rust-a");
    const char *bad[] = {"diff", "diff a", "diff --by unit a a", "diff --format html a a", "snapshot a",
                         "diff --filter '(' a a"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        Run r = run_heft("%s", bad[i]);
        cr_assert_eq(r.status, 2, "heft %s: %d", bad[i], r.status);
        cr_assert(strncmp(r.err, "heft: ", 6) == 0, "%s", r.err);
        run_free(&r);
    }
    Run r = run_heft("diff '%s' /nonexistent/x", a);
    assert_one_line_error(&r, "/nonexistent/x", "missing file");
    run_free(&r);
}

/* ---- budgets ---- */

static Run check(const char *file, const char *budget_text, const char *extra)
{
    write_file(tmp("budget.toml"), budget_text);
    return run_heft("check '%s' --budget '%s' %s", file, tmp("budget.toml"), extra);
}

/* The budget passes with limit = actual and fails with limit = actual - 1. */
static void limit_at_edge(const char *file, const char *table, const char *key, uint64_t actual, const char *extra)
{
    char text[512];
    snprintf(text, sizeof text, "# edge\n%s\n%s = %llu\n", table, key, (unsigned long long)actual);
    Run r = check(file, text, extra);
    cr_assert_eq(r.status, 0, "%s %s = %llu: exit %d\n%s%s", table, key, (unsigned long long)actual, r.status,
                 r.out, r.err);
    cr_assert(strstr(r.out, "within budget (1 limits)"), "%s", r.out);
    run_free(&r);
    snprintf(text, sizeof text, "%s\n%s = %llu # one byte less\n", table, key, (unsigned long long)actual - 1);
    r = check(file, text, extra);
    cr_assert_eq(r.status, 1, "%s %s = %llu: exit %d\n%s%s", table, key, (unsigned long long)actual - 1, r.status,
                 r.out, r.err);
    char want[64];
    snprintf(want, sizeof want, "(%llu B), limit", (unsigned long long)actual);
    cr_assert(strncmp(r.out, "BROKEN ", 7) == 0, "%s", r.out);
    if (!strstr(key, "growth"))
        cr_assert(strstr(r.out, want), "want '%s' in %s", want, r.out);
    cr_assert(strstr(r.out, "1 of 1 size limits broken"), "%s", r.out);
    run_free(&r);
}

Test(diff_check, total_section_crate_symbols_limits, .init = make_tmp, .fini = rm_tmp)
{
    const char *c = fx_need("diff-table-5000"), *d = fx_need("diff-rust-dep");
    FxElf e;
    fx_elf_read(&e, c, ".symtab", false);
    limit_at_edge(c, "[total]", "file", file_size_of(c), "");
    limit_at_edge(c, "[total]", "vm", fx_vm_size(&e), "");
    limit_at_edge(c, "[section.\".rodata\"]", "file", fx_section_named(&e, ".rodata")->size, "");
    fx_elf_free(&e);
    limit_at_edge(d, "[crate.extra]", "file", nm_size_sum(d, "5extra"), "");
    limit_at_edge(c, "[symbols.\"^(table|sum_table)$\"]", "file", nm_size_sum(c, " (table|sum_table)$"), "");
}

Test(diff_check, growth_limits_against_a_baseline, .init = make_tmp, .fini = rm_tmp)
{
    const char *a = fx_need("diff-table-1000"), *b = fx_need("diff-table-5000"), *snap = tmp("base.heft.json.gz");
    Run r = run_heft("snapshot '%s' -o '%s'", a, snap);
    cr_assert_eq(r.status, 0);
    run_free(&r);
    char base[300];
    snprintf(base, sizeof base, "--baseline '%s'", snap);
    limit_at_edge(b, "[total]", "file_growth", file_size_of(b) - file_size_of(a), base);
    limit_at_edge(b, "[symbols.\"^table$\"]", "file_growth", 4000, base);

    /* Percent: the table grew by exactly 400%. */
    r = check(b, "[symbols.\"^table$\"]\nfile_growth = \"+400%\"\n", base);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    run_free(&r);
    r = check(b, "[symbols.\"^table$\"]\nfile_growth = \"+399.9%\"\n", base);
    cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "1000 B -> 4.9 KiB: +3.9 KiB (+400.0%), limit +399.9%"), "%s", r.out);
    run_free(&r);
    /* Growth in units, and a binary as the baseline. */
    r = check(b, "[section.\".rodata\"]\nfile_growth = \"+3.9 KiB\"\nvm_growth = \"+4 KiB\"\n", "");
    cr_assert_eq(r.status, 2, "growth limits need --baseline: %s", r.err);
    cr_assert(strstr(r.err, "growth limits need --baseline"), "%s", r.err);
    run_free(&r);
    snprintf(base, sizeof base, "--baseline '%s'", a);
    r = check(b, "[section.\".rodata\"]\nfile_growth = \"+3.9 KiB\"\nvm_growth = \"+4 KiB\"\n", base);
    cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_assert(strncmp(r.out, "BROKEN section .rodata file growth", 34) == 0, "%s", r.out);
    cr_assert(strstr(r.out, "\nok     section .rodata VM growth"), "%s", r.out);
    run_free(&r);
}

Test(diff_check, several_broken_listed_and_markdown_json, .init = make_tmp, .fini = rm_tmp)
{
    const char *c = fx_need("diff-table-5000");
    const char *budget = "[total]\nfile = \"1 KiB\"\nvm = \"1.5 MiB\"\n[symbols.'^table$']\nfile = 4999\n";
    Run r = check(c, budget, "");
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.out, "BROKEN total file size"), "%s", r.out);
    cr_assert(strstr(r.out, "ok     total VM size"), "%s", r.out);
    cr_assert(strstr(r.out, "BROKEN symbols /^table$/ file size: 4.9 KiB (5000 B), limit 4999 B"), "%s", r.out);
    cr_assert(strstr(r.out, "2 of 3 size limits broken"), "%s", r.out);
    run_free(&r);
    r = check(c, budget, "--format markdown");
    cr_assert_eq(r.status, 1);
    cr_assert(strncmp(r.out, "**heft check: 2 of 3 size limits broken**", 41) == 0, "%s", r.out);
    cr_assert(strstr(r.out, "| ❌ | total file size |"), "%s", r.out);
    run_free(&r);
    r = check(c, budget, "--format json");
    cr_assert_eq(r.status, 1);
    json_t *j = json_loads(r.out, 0, NULL);
    cr_assert(j, "%s", r.out);
    cr_assert(json_is_false(json_object_get(j, "ok")));
    cr_assert_eq(jint(j, "broken"), 2);
    json_t *l = json_array_get(json_object_get(j, "limits"), 2);
    cr_assert_eq(jint(l, "actual"), 5000);
    cr_assert_eq(jint(l, "limit_bytes"), 4999);
    cr_assert_eq(jint(l, "line"), 5);
    json_decref(j);
    run_free(&r);
    r = check(c, "[total]\nfile = \"1 GiB\"\n", "--format markdown");
    cr_assert_eq(r.status, 0);
    cr_assert(strncmp(r.out, "**heft check: within budget**", 29) == 0, "%s", r.out);
    run_free(&r);
}

Test(diff_check, absent_section_warns, .init = make_tmp, .fini = rm_tmp)
{
    const char *c = fx_need("diff-table-5000");
    Run r = check(c, "[total]\nfile = \"1 GiB\"\n[section.text]  # meant .text\nfile = 1\n", "");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char want[512];
    snprintf(want, sizeof want,
             "heft: %s: line 4: warning: nothing in %s matches section 'text' (its size is 0)\n", tmp("budget.toml"), c);
    cr_assert_str_eq(r.err, want);
    cr_assert(strstr(r.out, "ok     section text file size: 0 B (0 B), limit 1 B\n"), "%s", r.out);
    run_free(&r);
}

Test(diff_check, bad_budgets_exit_2, .init = make_tmp, .fini = rm_tmp)
{
    const char *c = fx_need("diff-table-5000");
    struct {
        const char *text, *why;
    } cases[] = {
        {"[total]\nfile = \"1.5 XB\"\n", "line 2: '1.5 XB' is not a size"},
        {"[total]\nsize = 100\n", "line 2: unknown key 'size'"},
        {"file = 100\n", "line 1: 'file' is not in a budget table"},
        {"[crates.foo]\nfile = 1\n", "line 2: 'file' is not in a budget table"},
        {"[total]\nfile = 100\nfile = 200\n", "line 3: key 'file' is defined twice"},
        {"[total\nfile = 1\n", "line 1: expected '.' or ']'"},
        {"[total]\nfile = [1, 2]\n", "line 2: arrays and inline tables are not supported"},
        {"[total]\nfile = \"1 MiB\" x\n", "line 2: unexpected 'x'"},
        {"[total]\nfile_growth = \"5 percent\"\n", "line 2: '5 percent' is not a growth"},
        {"[total]\nfile = -5\n", "line 2: 'file' takes a string"},
        {"[symbols.\"(\"]\nfile = 1\n", "line 2: bad symbol pattern"},
        {"[[total]]\n", "line 1: arrays of tables"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        Run r = check(c, cases[i].text, "");
        assert_one_line_error(&r, tmp("budget.toml"), cases[i].text);
        cr_assert(strstr(r.err, cases[i].why), "want '%s', got '%s'", cases[i].why, r.err);
        run_free(&r);
    }
    Run r = run_heft("check '%s' --budget /nonexistent/b.toml", c);
    assert_one_line_error(&r, "/nonexistent/b.toml", "missing budget");
    run_free(&r);
    r = run_heft("check '%s'", c);
    cr_assert_eq(r.status, 2);
    run_free(&r);
}
