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

/* The realworld workspace with legacy and with v0 names: its ~3,100
 * anonymous constants (readelf) all change names with their modules' hashes.
 * They pair by crate, section and size, never across sizes: under 1% stay
 * added or removed. */
Test(diff_changes, renamed_anonymous_constants_pair_by_size)
{
    const char *a = fx_need("realworld-release"), *b = fx_need("realworld-release-v0");
    Run re = run_cmd("readelf -sW '%s' | awk '$8 ~ /^anon[.]/' | wc -l", a);
    cr_assert_eq(re.status, 0, "%s", re.err);
    long anon = atol(re.out);
    run_free(&re);
    cr_assert_gt(anon, 1000);
    json_t *j = heft_json("diff --by symbol -n 0 '%s' '%s'", a, b);
    json_t *v = view_of(j, "symbols");
    cr_assert_gt(matched(v, "anon"), anon * 9 / 10, "%lld of %ld paired", (long long)matched(v, "anon"), anon);
    size_t i, left = 0;
    json_t *row;
    json_array_foreach(json_object_get(v, "rows"), i, row) {
        if (strncmp(fx_str(row, "name"), "anon.", 5) != 0)
            continue;
        if (strcmp(fx_str(row, "match"), "anon") == 0)
            cr_assert_eq(jint(row, "old_file"), jint(row, "new_file"), "%s", fx_str(row, "name"));
        else
            left += strcmp(fx_str(row, "status"), "added") == 0 || strcmp(fx_str(row, "status"), "removed") == 0;
    }
    cr_assert_lt(left * 100, (size_t)anon, "%zu anonymous constants added or removed of %ld", left, anon);
    json_decref(j);
}

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

/* ---- generics, compile units and source files ---- */

/* The one view of a --by diff (-n 0, JSON). */
static json_t *by_view(json_t *j, const char *by)
{
    json_t *views = json_object_get(j, "views");
    cr_assert_eq(json_object_size(views), 1);
    json_t *v = json_object_get(views, by);
    cr_assert(json_is_object(v), "no view %s", by);
    return v;
}

/* No changed row, no added/removed/grown/shrunk row, and some rows same. */
static void assert_view_zero(json_t *v, const char *what)
{
    cr_assert_eq(json_array_size(json_object_get(v, "rows")), 0, "%s: %zu changed rows", what,
                 json_array_size(json_object_get(v, "rows")));
    const char *st[] = {"added", "removed", "grown", "shrunk"};
    for (size_t k = 0; k < 4; k++)
        cr_assert_eq(counted(v, st[k]), 0, "%s: %s = %lld", what, st[k], (long long)counted(v, st[k]));
    cr_assert_gt(counted(v, "same"), 0, "%s: no rows at all", what);
}

/* --by BY of old and new is zero; returns the view's matched object (borrowed from *jp). */
static json_t *zero_by(const char *old, const char *new, const char *by, json_t **jp)
{
    char extra[64];
    snprintf(extra, sizeof extra, "--by %s", by);
    json_t *j = diff_json(old, new, extra);
    const char *key = strcmp(by, "unit") == 0 ? "units" : strcmp(by, "file") == 0 ? "files" : "monos";
    char what[512];
    snprintf(what, sizeof what, "%s -> %s --by %s", old, new, by);
    json_t *v = by_view(j, key);
    assert_view_zero(v, what);
    *jp = j;
    return json_object_get(v, "matched");
}

static void zero_only(const char *old, const char *new, const char *by)
{
    json_t *j;
    zero_by(old, new, by, &j);
    json_decref(j);
}

/* The sum of the listed rows' deltas (with -n 0 and no filter: every change). */
static int64_t rows_delta(json_t *view, const char *key)
{
    int64_t s = 0;
    json_t *rows = json_object_get(view, "rows"), *r;
    size_t i;
    json_array_foreach(rows, i, r) s += jint(r, key);
    return s;
}

/* The row whose name ends with suffix; fails unless exactly one does. */
static json_t *row_ending(json_t *view, const char *suffix)
{
    json_t *rows = json_object_get(view, "rows"), *r, *found = NULL;
    size_t i, n = strlen(suffix);
    json_array_foreach(rows, i, r)
    {
        const char *name = fx_str(r, "name");
        size_t m = strlen(name);
        if (m >= n && strcmp(name + m - n, suffix) == 0) {
            cr_assert(!found, "two rows end in %s", suffix);
            found = r;
        }
    }
    cr_assert(found, "no row ends in %s", suffix);
    return found;
}

Test(diff_monos, one_more_instantiation_is_one_more_copy)
{
    const char *a = fx_need("diff-rust-a"), *g = fx_need("diff-rust-gen");
    uint64_t old_sz[4], new_sz[4];
    cr_assert_eq(nm_sizes(a, "_ZN7diffapp9summarize17h", old_sz, 4), 1);
    cr_assert_eq(nm_sizes(g, "_ZN7diffapp9summarize17h", new_sz, 4), 2);
    uint64_t added_sz = new_sz[0] == old_sz[0] ? new_sz[1] : new_sz[0];

    /* One copy before is no group for heft monos: the diff still counts it. */
    json_t *j = diff_json(a, g, "--by monos --filter '^diffapp::summarize$'");
    json_t *v = by_view(j, "monos"), *rows = json_object_get(v, "rows");
    cr_assert_eq(json_array_size(rows), 1);
    cr_assert_eq(counted(v, "grown"), 1);
    cr_assert_eq(counted(v, "added") + counted(v, "removed"), 0);
    json_t *row = json_array_get(rows, 0);
    cr_assert_str_eq(fx_str(row, "name"), "diffapp::summarize");
    cr_assert_str_eq(fx_str(row, "status"), "grown");
    cr_assert_str_eq(fx_str(row, "crate"), "diffapp");
    cr_assert_eq(jint(row, "old_copies"), 1);
    cr_assert_eq(jint(row, "new_copies"), 2);
    cr_assert_eq(jint(row, "copies_delta"), 1);
    cr_assert_eq(jint(row, "old_file_size"), (int64_t)old_sz[0]);
    cr_assert_eq(jint(row, "file_delta"), (int64_t)added_sz);
    cr_assert_eq(jint(row, "vm_delta"), (int64_t)added_sz);
    json_decref(j);

    Run r = run_heft("diff --by monos --filter '^diffapp::summarize$' -w '%s' '%s'", a, g);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "generics: 0 added, 0 removed, 1 grown, 0 shrunk, "), "%s", r.out);
    cr_assert(strstr(r.out, "  1 -> 2  diffapp  diffapp::summarize\n"), "%s", r.out);
    run_free(&r);
    r = run_heft("diff --by monos --filter '^diffapp::summarize$' --format csv '%s' '%s'", a, g);
    cr_assert_eq(r.status, 0);
    char want[256];
    snprintf(want, sizeof want, "grown,1,2,%llu,%llu,%llu,", (unsigned long long)old_sz[0],
             (unsigned long long)(old_sz[0] + added_sz), (unsigned long long)added_sz);
    const char *head = "status,old_copies,new_copies,old_file_size,";
    cr_assert(strncmp(r.out, head, strlen(head)) == 0, "%s", r.out);
    cr_assert(strstr(r.out, want), "want %s in %s", want, r.out);
    run_free(&r);
    r = run_heft("diff --by monos --filter '^diffapp::summarize$' --format markdown '%s' '%s'", a, g);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "### Generics\n\n| Delta | % | Old | New | Copies | Name |"), "%s", r.out);
    cr_assert(strstr(r.out, "| 1 -> 2 | diffapp::summarize |"), "%s", r.out);
    run_free(&r);
}

Test(diff_monos, rebuilds_are_zero)
{
    const char *pairs[][2] = {{"diff-rust-a", "diff-rust-b"},
                              {"diff-rust-v0a", "diff-rust-v0b"},
                              {"diff-rust-dbg1", "diff-rust-dbgm"}};
    for (size_t i = 0; i < 3; i++) {
        json_t *j;
        json_t *m = zero_by(fx_need(pairs[i][0]), fx_need(pairs[i][1]), "monos", &j);
        cr_assert_gt(jint(m, "name"), 5, "%s: too few generics to test", pairs[i][0]);
        json_decref(j);
    }
}

Test(diff_debug, c_function_grows_in_its_unit_and_file)
{
    const char *a = fx_need("diff-units-a"), *g = fx_need("diff-units-grow");
    uint64_t before[2], after[2], stay_a[2], stay_g[2];
    cr_assert_eq(nm_sizes(a, " grow_me$", before, 2), 1);
    cr_assert_eq(nm_sizes(g, " grow_me$", after, 2), 1);
    cr_assert_eq(nm_sizes(a, " stay_put$", stay_a, 2), 1);
    cr_assert_eq(nm_sizes(g, " stay_put$", stay_g, 2), 1);
    cr_assert_gt(after[0], before[0] + 10, "-DGROW did not grow grow_me");
    cr_assert_eq(stay_a[0], stay_g[0]);
    int64_t grew = (int64_t)(after[0] - before[0]);
    const char *by[] = {"unit", "file"}, *key[] = {"units", "files"};
    for (size_t i = 0; i < 2; i++) {
        char extra[32];
        snprintf(extra, sizeof extra, "--by %s", by[i]);
        json_t *j = diff_json(a, g, extra), *v = by_view(j, key[i]);
        /* Built from another copy of the sources: grow.c matched by its path's ending. */
        json_t *row = row_ending(v, "/build/diff-units-g/grow.c");
        cr_assert_str_eq(fx_str(row, "status"), "grown");
        cr_assert_str_eq(fx_str(row, "match"), "suffix");
        const char *was = fx_str(row, "old_name");
        cr_assert(strstr(was, "/build/diff-units-a/grow.c"), "%s", was);
        cr_assert_eq(jint(row, "old_file_size"), (int64_t)(before[0] + stay_a[0]), "grow.c's code: both functions");
        cr_assert_eq(jint(row, "file_delta"), grew, "--by %s: %lld, nm: %lld", by[i],
                     (long long)jint(row, "file_delta"), (long long)grew);
        cr_assert_eq(jint(row, "vm_delta"), grew);
        json_t *rows = json_object_get(v, "rows"), *r;
        size_t k;
        json_array_foreach(rows, k, r) cr_assert(!strstr(fx_str(r, "name"), "main.c"), "main.c changed");
        cr_assert_eq(counted(v, "added") + counted(v, "removed"), 0);
        cr_assert_eq(rows_delta(v, "file_delta"), jint(j, "file_delta"));
        cr_assert_eq(rows_delta(v, "vm_delta"), jint(j, "vm_delta"));
        json_decref(j);
    }
}

Test(diff_debug, rebuilds_are_zero)
{
    /* C from two directories by absolute path: units and files pair by ending. */
    const char *a = fx_need("diff-units-a"), *b = fx_need("diff-units-b");
    json_t *j;
    json_t *m = zero_by(a, b, "unit", &j);
    cr_assert_eq(jint(m, "suffix"), 2, "grow.c and main.c");
    json_decref(j);
    m = zero_by(a, b, "file", &j);
    cr_assert_eq(jint(m, "suffix"), 2);
    json_decref(j);
    /* Rust with 4 codegen units in two target directories. */
    const char *ra = fx_need("diff-rust-dbga"), *rb = fx_need("diff-rust-dbgb");
    m = zero_by(ra, rb, "unit", &j);
    cr_assert_gt(jint(m, "name"), 4);
    json_decref(j);
    zero_only(ra, rb, "file");
    /* Two copies of the workspace, one with -C metadata: other unit hashes. */
    const char *r1 = fx_need("diff-rust-dbg1"), *rm = fx_need("diff-rust-dbgm");
    m = zero_by(r1, rm, "unit", &j);
    cr_assert_eq(jint(m, "identity"), 1, "diffapp's one codegen unit, by its name without hash");
    json_decref(j);
    m = zero_by(r1, rm, "file", &j);
    cr_assert_gt(jint(m, "name"), 100);
    json_decref(j);
}

Test(diff_debug, no_debug_info_exits_2_one_line)
{
    const char *a = fx_need("diff-rust-a"), *d = fx_need("diff-units-a");
    Run r = run_heft("diff --by unit '%s' '%s'", d, a);
    assert_one_line_error(&r, a, "no debug info");
    cr_assert(strstr(r.err, "no debug info, so no units"), "%s", r.err);
    run_free(&r);
    r = run_heft("diff --by file '%s' '%s'", a, d);
    assert_one_line_error(&r, a, "no debug info");
    cr_assert(strstr(r.err, "no debug info, so no files"), "%s", r.err);
    run_free(&r);
}

Test(diff_snapshot, new_views_round_trip, .init = make_tmp, .fini = rm_tmp)
{
    const char *d = fx_need("diff-units-a"), *rs = fx_need("diff-rust-dbg1"), *a = fx_need("diff-rust-a"),
               *g = fx_need("diff-rust-gen");
    const char *sd = tmp("d.gz"), *sr = tmp("r.gz"), *sa = tmp("a.gz");
    const char *files[][2] = {{d, sd}, {rs, sr}, {a, sa}};
    for (size_t i = 0; i < 3; i++) {
        Run r = run_heft("snapshot '%s' -o '%s'", files[i][0], files[i][1]);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert_eq(r.err_len, 0, "%s", r.err);
        run_free(&r);
    }
    const char *views[] = {"unit", "file", "monos"};
    json_t *j;
    for (size_t i = 0; i < 3; i++) {
        json_t *m = zero_by(rs, sr, views[i], &j);
        cr_assert_eq(jint(m, "identity") + jint(m, "suffix"), 0, "the same names: matched by name");
        json_decref(j);
        zero_only(sr, rs, views[i]);
    }
    zero_only(d, sd, "unit");
    zero_only(d, sd, "file");
    /* A snapshot on either side gives what the binary gives. */
    json_t *bin = diff_json(a, g, "--by monos"), *snap = diff_json(sa, g, "--by monos");
    cr_assert(json_equal(json_object_get(bin, "views"), json_object_get(snap, "views")));
    json_decref(bin);
    json_decref(snap);
    /* The file says whether there was debug info; with none, no units. */
    Run r = run_cmd("zcat '%s' | head -c 200", sa);
    cr_assert(strstr(r.out, "\"debug_info\": false"), "%s", r.out);
    run_free(&r);
    r = run_heft("diff --by unit '%s' '%s'", sa, d);
    assert_one_line_error(&r, sa, "snapshot without debug info");
    cr_assert(strstr(r.err, "no debug info, so no units"), "%s", r.err);
    run_free(&r);
}

/* A heft.snapshot/1 file (before generics, units and files were saved) is
 * still read, and a view it lacks is a one-line error naming the view. */
Test(diff_snapshot, v1_snapshot_lacks_new_views, .init = make_tmp, .fini = rm_tmp)
{
    Run r = run_cmd("printf '{\"schema\":\"heft.snapshot/1\",\"tool\":\"heft 0.1.0\",\"source\":\"x\",\"file_size\":10,"
                    "\"vm_size\":4,\"split_std\":false,\"sections\":[[\".text\",10,4]],\"segments\":[[\"LOAD #0\",10,4]],"
                    "\"crates\":[[\"[C]\",10,4]],\"symbols\":[[\"main\",null,0,0,10,4]]}' | gzip > '%s'",
                    tmp("v1.gz"));
    cr_assert_eq(r.status, 0);
    run_free(&r);
    const char *v1 = tmp("v1.gz");
    json_t *j = diff_json(v1, v1, "--by section");
    cr_assert_eq(counted(by_view(j, "sections"), "same"), 1);
    json_decref(j);
    const char *by[] = {"unit", "file", "monos"}, *named[] = {"saved no units", "saved no files",
                                                                "saved no generics (monos)"};
    for (size_t i = 0; i < 3; i++) {
        r = run_heft("diff --by %s '%s' '%s'", by[i], v1, v1);
        assert_one_line_error(&r, v1, by[i]);
        cr_assert(strstr(r.err, "snapshot taken by an older heft (heft.snapshot/1), which "), "%s", r.err);
        cr_assert(strstr(r.err, named[i]), "%s", r.err);
        cr_assert(strstr(r.err, "take it again with this heft"), "%s", r.err);
        run_free(&r);
    }
}

Test(diff_snapshot, bad_v2_views_exit_2_one_line, .init = make_tmp, .fini = rm_tmp)
{
    const char *head = "{\"schema\":\"heft.snapshot/2\",\"tool\":\"x\",\"source\":\"x\",\"file_size\":10,\"vm_size\":4,"
                       "\"split_std\":false,\"sections\":[[\".text\",10,4]],\"segments\":[[\"L\",10,4]],"
                       "\"crates\":[[\"a\",10,4]],\"symbols\":[[\"f\",null,0,0,10,4]]";
    struct {
        const char *name, *tail, *why;
    } cases[] = {
        {"nodbg.gz", ",\"code_sections\":[],\"monos\":[]}", "debug_info or code_sections missing"},
        {"monos1.gz", ",\"debug_info\":false,\"code_sections\":[],\"monos\":[[\"g\",\"a\",1,5,2]]}",
         "malformed monos row 0"},
        {"monosbig.gz", ",\"debug_info\":false,\"code_sections\":[],\"monos\":[[\"g\",\"a\",2,11,2]]}",
         "the monos rows add up to more than the totals"},
        {"nounits.gz", ",\"debug_info\":true,\"code_sections\":[\".text\"],\"monos\":[]}", "no \"units\" array"},
        {"units.gz",
         ",\"debug_info\":true,\"code_sections\":[\".text\"],\"monos\":[],\"units\":[[\"u\",9,4]],\"files\":[]}",
         "the units rows do not add up to the totals"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *p = tmp(cases[i].name);
        Run r = run_cmd("printf '%%s' '%s%s' | gzip > '%s'", head, cases[i].tail, p);
        cr_assert_eq(r.status, 0);
        run_free(&r);
        r = run_heft("diff --by section '%s' '%s'", p, p);
        assert_one_line_error(&r, p, cases[i].name);
        cr_assert(strstr(r.err, cases[i].why), "%s: '%s'", cases[i].name, r.err);
        run_free(&r);
    }
}
