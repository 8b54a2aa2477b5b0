/* test_dups.c — `heft dups` against fixtures whose copies are known
 * (tests/fixtures/dups/): exact group membership, copy counts, sizes (=
 * readelf's st_size) and savings; the same code linked with lld's identical
 * code folding (folded copies are aliases, not duplicates); the same ground
 * truth on AArch64; Rust generic copies, identical and near-identical. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dups.h"
#include "elffile.h"
#include "fixture_util.h"
#include "harness.h"
#include "hostile.h"

static uint64_t sym_size(const FxElf *e, const char *name)
{
    for (size_t i = 0; i < e->nsyms; i++)
        if (strcmp(e->syms[i].name, name) == 0 && fx_sym_sized(&e->syms[i]))
            return e->syms[i].size;
    cr_assert_fail("no symbol %s", name);
    return 0;
}

/* The group with a copy named name, or NULL; fails if two have it. */
static json_t *group_with(json_t *j, const char *name)
{
    json_t *found = NULL, *g, *c;
    size_t i, k;
    json_array_foreach(json_object_get(j, "groups"), i, g)
        json_array_foreach(json_object_get(g, "copies"), k, c)
            if (strcmp(fx_str(c, "name"), name) == 0) {
                cr_assert(!found || found == g, "%s is in two groups", name);
                found = g;
            }
    return found;
}

/* The group has exactly these copies, by address order. */
static void expect_copies(json_t *g, const char *const *names, size_t n)
{
    json_t *copies = json_object_get(g, "copies");
    cr_assert_eq(json_array_size(copies), n);
    cr_assert_eq(jint(g, "count"), (int64_t)n);
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen |= strcmp(fx_str(json_array_get(copies, k), "name"), names[i]) == 0;
        cr_assert(seen, "%s missing from the group of %s", names[i], names[0]);
    }
    for (size_t k = 1; k < n; k++)
        cr_assert_lt(jint(json_array_get(copies, k - 1), "address"), jint(json_array_get(copies, k), "address"));
}

/* The ground truth of tests/fixtures/dups/dups.c, on any machine. */
static void check_c_fixture(const char *name)
{
    const char *path = fx_need(name);
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    json_t *j = heft_json("dups -n 0 '%s'", path);
    cr_assert_eq(json_is_true(json_object_get(j, "code_compared")), true);
    cr_assert_eq(jint(j, "groups_total"), 3, "%s", name);
    cr_assert_eq(json_array_size(json_object_get(j, "groups")), 3);

    static const char *const twins[] = {"twin_a", "twin_b", "twin_c"};
    json_t *g = group_with(j, "twin_a");
    cr_assert(g, "%s: twin_a in no group", name);
    expect_copies(g, twins, 3);
    uint64_t tsize = sym_size(&e, "twin_a");
    cr_assert_eq(sym_size(&e, "twin_b"), tsize);
    cr_assert_eq(sym_size(&e, "twin_c"), tsize);
    cr_assert_str_eq(fx_str(g, "kind"), "code");
    cr_assert_eq(jint(g, "size"), (int64_t)tsize);
    cr_assert_eq(jint(g, "saving"), (int64_t)(2 * tsize));
    cr_assert(json_is_false(json_object_get(g, "same_targets")), "twins call different callees");

    static const char *const same[] = {"same_x", "same_y"};
    json_t *s = group_with(j, "same_x");
    cr_assert(s, "%s: same_x in no group", name);
    expect_copies(s, same, 2);
    uint64_t ssize = sym_size(&e, "same_x");
    cr_assert_eq(jint(s, "size"), (int64_t)ssize);
    cr_assert_eq(jint(s, "saving"), (int64_t)ssize);
    cr_assert(json_is_true(json_object_get(s, "same_targets")));

    static const char *const tables[] = {"table_a", "table_b"};
    json_t *t = group_with(j, "table_a");
    cr_assert(t, "%s: table_a in no group", name);
    expect_copies(t, tables, 2);
    cr_assert_str_eq(fx_str(t, "kind"), "data");
    cr_assert_eq(jint(t, "size"), 64);
    cr_assert_eq(sym_size(&e, "table_a"), 64);
    cr_assert_eq(jint(t, "saving"), 64);

    static const char *const alone[] = {"lone_p", "lone_q", "table_c", "callee1", "callee2", "callee3", "main"};
    for (size_t i = 0; i < sizeof alone / sizeof *alone; i++)
        cr_assert_null(group_with(j, alone[i]), "%s: %s must be in no group", name, alone[i]);
    cr_assert_eq(jint(j, "code_saving"), (int64_t)(2 * tsize + ssize));
    cr_assert_eq(jint(j, "icf_saving"), (int64_t)ssize);
    cr_assert_eq(jint(j, "data_saving"), 64);
    json_decref(j);
    fx_elf_free(&e);
}

Test(dups_c, x86_64_groups_exact)
{
    check_c_fixture("dups");
}

Test(dups_c, aarch64_same_ground_truth)
{
    check_c_fixture("dups-aarch64");
}

/* lld --icf=all folded same_x and same_y (same code, same targets) into
 * aliases of one address: no longer a group. The twins call different
 * functions, so the linker cannot fold them: still a group of 3. */
Test(dups_c, icf_folded_copies_are_aliases)
{
    const char *path = fx_need("dups-icf");
    json_t *j = heft_json("dups -n 0 '%s'", path);
    cr_assert_null(group_with(j, "same_x"));
    cr_assert_null(group_with(j, "same_y"));
    json_t *g = group_with(j, "twin_b");
    cr_assert(g);
    cr_assert_eq(jint(g, "count"), 3);
    cr_assert_eq(jint(j, "icf_saving"), 0);
    json_decref(j);
    json_t *sym = heft_json("symbols -n 0 '%s'", path);
    json_t *row = fx_row_raw(json_object_get(sym, "rows"), "same_x");
    if (!row)
        row = fx_row_raw(json_object_get(sym, "rows"), "same_y");
    cr_assert(row);
    cr_assert(fx_has_alias(row, "same_x") || fx_has_alias(row, "same_y"), "folded copies are one leaf");
    json_decref(sym);
}

Test(dups_c, table_names_savings_and_hints)
{
    Run r = run_heft("dups '%s'", fx_need("dups"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "twin_a and 2 more"), "%s", r.out);
    cr_assert(strstr(r.out, "same_x and 1 more"), "%s", r.out);
    cr_assert(strstr(r.out, "table_a and 1 more") || strstr(r.out, "table_b and 1 more"), "%s", r.out);
    cr_assert(strstr(r.out, "-C link-arg=-Wl,--icf=all"), "%s", r.out);
    cr_assert(strstr(r.out, "-fmerge-all-constants"), "%s", r.out);
    cr_assert(strstr(r.out, "total: 3 groups (2 code, 1 data)"), "%s", r.out);
    run_free(&r);
    r = run_heft("dups -v --no-similar '%s'", fx_need("dups"));
    cr_assert_eq(r.status, 0);
    cr_assert_null(strstr(r.out, "and 2 more"), "%s", r.out);
    cr_assert(strstr(r.out, "twin_c\n"), "%s", r.out);
    run_free(&r);
}

Test(dups_c, filter_and_limit)
{
    json_t *j = heft_json("dups --filter '^twin_b$' '%s'", fx_need("dups"));
    cr_assert_eq(json_array_size(json_object_get(j, "groups")), 1);
    json_t *fo = json_object_get(j, "filtered_out");
    cr_assert_eq(jint(fo, "groups"), 2);
    cr_assert_eq(jint(fo, "saving"), jint(j, "code_saving") + jint(j, "data_saving") -
                                         jint(json_array_get(json_object_get(j, "groups"), 0), "saving"));
    json_decref(j);
    j = heft_json("dups -n 1 '%s'", fx_need("dups"));
    json_t *groups = json_object_get(j, "groups");
    cr_assert_eq(json_array_size(groups), 1);
    cr_assert_eq(jint(json_object_get(j, "rest"), "groups"), 2);
    /* largest saving first: the three twins */
    cr_assert_eq(jint(json_array_get(groups, 0), "count"), 3);
    json_decref(j);
}

Test(dups_c, csv_one_line_per_copy)
{
    Run r = run_heft("dups --no-similar --format csv '%s'", fx_need("dups"));
    cr_assert_eq(r.status, 0);
    size_t lines = 0;
    for (const char *p = r.out; *p; p++)
        lines += *p == '\n';
    cr_assert_eq(lines, 1 + 3 + 2 + 2, "%s", r.out);
    cr_assert(!strncmp(r.out, "group,kind,size,count,saving,same_targets,address,name\n", 55), "%s", r.out);
    cr_assert(strstr(r.out, ",twin_c\n"), "%s", r.out);
    run_free(&r);
}

Test(dups_rust, identical_generic_copies)
{
    const char *path = fx_need("dups-rust");
    json_t *j = heft_json("dups -n 0 '%s'", path);
    json_t *g = group_with(j, "dupsrs::id_len::<alloc::vec::Vec<u8>>");
    cr_assert(g, "the two id_len copies are a group");
    static const char *const copies[] = {"dupsrs::id_len::<alloc::vec::Vec<u8>>",
                                         "dupsrs::id_len::<alloc::string::String>"};
    expect_copies(g, copies, 2);
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    uint64_t size = sym_size(&e, fx_str(json_array_get(json_object_get(g, "copies"), 0), "raw"));
    cr_assert_eq(jint(g, "size"), (int64_t)size);
    cr_assert_eq(jint(g, "saving"), (int64_t)size);
    fx_elf_free(&e);
    json_decref(j);
}

/* scaled::<1000003> and scaled::<1000033> differ in one imul's constant:
 * n instructions each, n-1 in common: 2(n-1)/2n, in tenths of a percent. */
Test(dups_rust, near_identical_one_instruction)
{
    const char *path = fx_need("dups-rust");
    json_t *j = heft_json("dups --similar -n 0 '%s'", path);
    json_t *sim = NULL, *s;
    size_t i;
    json_array_foreach(json_object_get(j, "similar"), i, s)
        if (strcmp(fx_str(s, "generic"), "dupsrs::scaled") == 0)
            sim = s;
    cr_assert(sim, "no near-identical group for dupsrs::scaled");
    cr_assert_eq(jint(sim, "count"), 2);
    cr_assert_null(group_with(j, "dupsrs::scaled::<1000003>"));
    json_array_foreach(json_object_get(j, "similar"), i, s)
        cr_assert_str_neq(fx_str(s, "generic"), "dupsrs::id_len", "identical copies are a group, not near-identical");
    json_t *c0 = json_array_get(json_object_get(sim, "copies"), 0);
    const char *raw = fx_str(c0, "raw");
    long long start = jint(c0, "address"), end = start + jint(c0, "size");
    Run r = run_cmd("objdump -d --no-show-raw-insn --start-address=%lld --stop-address=%lld '%s' | "
                    "grep -c '^ *[0-9a-f]*:'",
                    start, end, path);
    long n = atol(r.out);
    run_free(&r);
    cr_assert_gt(n, 4);
    cr_assert_eq(jint(sim, "similarity_permille"), 1000 * (n - 1) / n, "n = %ld", n);
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    cr_assert_eq(jint(sim, "total_size"), (int64_t)(2 * sym_size(&e, raw)));
    fx_elf_free(&e);
    json_decref(j);
    r = run_heft("dups --similar '%s'", path);
    char want[64];
    snprintf(want, sizeof want, "%ld.%ld%%", 1000 * (n - 1) / n / 10, 1000 * (n - 1) / n % 10);
    cr_assert(strstr(r.out, want) && strstr(r.out, "dupsrs::scaled"), "want %s in\n%s", want, r.out);
    run_free(&r);
}

Test(dups_cli, usage_and_bad_input)
{
    Run r = run_heft("dups");
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = run_heft("dups --min-similarity 101 '%s'", fx_need("dups"));
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = run_heft("dups --similar --no-similar '%s'", fx_need("dups"));
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = run_heft("dups /etc/hostname");
    cr_assert_eq(r.status, 2);
    cr_assert(strncmp(r.err, "heft: /etc/hostname: ", 21) == 0, "%s", r.err);
    run_free(&r);
    r = run_heft("dups --help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "usage: heft dups"));
    run_free(&r);
}

/* 32-bit ARM code is not compared; its data still is. */
Test(dups_cli, data_only_on_other_machines)
{
    json_t *j = heft_json("dups '%s'", fx_need("c-sizes-arm32"));
    cr_assert(json_is_false(json_object_get(j, "code_compared")));
    cr_assert_eq(jint(j, "functions"), 0);
    cr_assert_eq(jint(j, "code_saving"), 0);
    json_decref(j);
}

/* The API other analyses use: the group of a leaf. */
Test(dups_api, group_of_leaf)
{
    Arena *a = arena_new();
    Image img;
    Account acct;
    char err[256];
    cr_assert_eq(elffile_open(a, fx_need("dups"), &img, err, sizeof err), 0, "%s", err);
    account_build(a, &img, 0, &acct);
    DupsOpts opts = {.min_data = DUPS_MIN_DATA, .similar = false};
    DupsResult r;
    cr_assert_eq(dups_find(a, &img, &acct, &opts, &r), 0);
    size_t found = 0;
    for (uint32_t i = 0; i < acct.nleaves; i++) {
        const Leaf *l = &acct.leaves[i];
        if (l->kind != LEAF_SYMBOL)
            continue;
        const DupGroup *g = dups_group_of(&r, l);
        if (!strcmp(l->name, "twin_b") || !strcmp(l->name, "same_y") || !strcmp(l->name, "table_a")) {
            cr_assert(g, "%s has a group", l->name);
            cr_assert_eq(g->count, l->name[0] == 't' && l->name[1] == 'w' ? 3u : 2u);
            bool member = false;
            for (uint32_t c = 0; c < g->count; c++)
                member |= g->copies[c] == l;
            cr_assert(member);
            found++;
        } else if (!strcmp(l->name, "lone_p") || !strcmp(l->name, "table_c")) {
            cr_assert_null(g, "%s has no group", l->name);
            found++;
        }
    }
    cr_assert_eq(found, 5);
    arena_free(a);
}

static unsigned char *slurp_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot read %s", path);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(*len);
    cr_assert_eq(fread(b, 1, *len, f), *len);
    fclose(f);
    return b;
}

static void spill(const char *path, const unsigned char *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(b, 1, len, f), len);
    fclose(f);
}

/* Garbage where the code is (every function undecodable or nonsense) and
 * bytes flipped anywhere: heft dups answers (0) or rejects the file in one
 * line (2), never crashes. */
static void hostile(const char *name)
{
    const char *path = fx_need(name);
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    const FxSection *text = fx_section_named(&e, ".text");
    cr_assert(text);
    size_t len;
    unsigned char *orig = slurp_file(path, &len), *b = malloc(len);
    char tmp[] = "/tmp/heft-dups-hostile-XXXXXX";
    int fd = mkstemp(tmp);
    cr_assert(fd >= 0);
    close(fd);
    uint32_t seed = 12345;
    for (int round = 0; round < 24; round++) {
        memcpy(b, orig, len);
        if (round < 4) { /* the whole of .text: 0xff, 0x0f, random */
            for (uint64_t i = 0; i < text->size && text->offset + i < len; i++) {
                seed = seed * 1103515245u + 12345u;
                b[text->offset + i] = round == 0 ? 0xff : round == 1 ? 0x0f : (unsigned char)(seed >> 16);
            }
        } else {
            for (int k = 0; k < 64; k++) {
                seed = seed * 1103515245u + 12345u;
                size_t at = (seed >> 8) % len;
                seed = seed * 1103515245u + 12345u;
                b[at] ^= (unsigned char)(1u << (seed >> 16) % 8);
            }
        }
        spill(tmp, b, len);
        Run r = run_heft("dups -n 0 -v --format json '%s'", tmp);
        cr_assert(r.status == 0 || r.status == 2, "%s round %d: status %d: %s", name, round, r.status, r.err);
        if (round < 4)
            cr_assert_eq(r.status, 0, "%s round %d: %s", name, round, r.err);
        run_free(&r);
        r = run_heft("dups -n 0 -v '%s'", tmp);
        cr_assert(r.status == 0 || r.status == 2, "%s round %d: status %d: %s", name, round, r.status, r.err);
        run_free(&r);
    }
    unlink(tmp);
    free(orig);
    free(b);
    fx_elf_free(&e);
}

Test(dups_hostile, x86_64) { hostile("dups"); }
Test(dups_hostile, aarch64) { hostile("dups-aarch64"); }

/* Objects whose hashes all collide, some of them identical: the copies are
 * still told apart from the rest, byte for byte (dups sorts a run of equal
 * hashes by content rather than comparing every pair). */
Test(dups_hostile, colliding_hashes_group_exact_copies)
{
    static const uint64_t first[] = {1, 2, 1, 3, 2, 1, 4};
    uint64_t w[7][2];
    for (size_t i = 0; i < 7; i++)
        w[i][0] = first[i], w[i][1] = hostile_dups_collider(first[i]);
    char path[] = "/tmp/heft-dups-collide-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert(hostile_write_objects16(path, (const uint64_t(*)[2])w, 7));
    Run r = run_heft("dups -n 0 -v --format tsv '%s'", path);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, "group\tkind\tsize\tcount\tsaving\tsame_targets\taddress\tname\n"
                            "1\tdata\t16\t3\t32\ttrue\t0\to000000\n"
                            "1\tdata\t16\t3\t32\ttrue\t32\to000002\n"
                            "1\tdata\t16\t3\t32\ttrue\t80\to000005\n"
                            "2\tdata\t16\t2\t16\ttrue\t16\to000001\n"
                            "2\tdata\t16\t2\t16\ttrue\t64\to000004\n\n"
                            "generic\tsimilarity_permille\tcount\tsize\taddress\tname\n");
    run_free(&r);
    unlink(path);
}
