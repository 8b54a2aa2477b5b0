/* test_realworld_dwarf.c — crates and files from the debug info of a real
 * 37-crate workspace (tests/fixtures/realworld.mk), against ground truth
 * computed without heft: llvm-dwarfdump's decoded line tables, each row's
 * bytes running to the next row of its sequence, charged to the crate whose
 * directory the row's file lies in (a "NAME-VERSION/" directory of Debian's
 * registry, or a workspace member under the units' directory). Also: every
 * crate has its own row, `files` never merges two crates' files, and a dev
 * build's incremental codegen units are not taken for crates. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_util.h"
#include "harness.h"

/* ---- ground truth from llvm-dwarfdump ---- */

typedef struct Sum {
    char *key;
    uint64_t bytes;
} Sum;

typedef struct Sums {
    Sum *v;
    size_t n, cap;
} Sums;

static void sum_add(Sums *s, const char *key, uint64_t bytes)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].key, key) == 0) {
            s->v[i].bytes += bytes;
            return;
        }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = (Sum){strdup(key), bytes};
}

static void sums_free(Sums *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].key);
    free(s->v);
}

typedef struct Truth {
    Sums crates; /* crate name ('-' → '_') → bytes, of the crates the build compiled */
    Sums std_deps; /* the same of std's own dependencies */
    Sums dirs;   /* crate directory (NAME-VERSION, or a member's) → bytes */
    Sums files;  /* file from its crate directory on → bytes */
    char *ws;    /* the workspace's directory (the members' units' DW_AT_comp_dir) */
} Truth;

/* The crate directory of an absolute path, and where it starts in it: the
 * last component shaped NAME-VERSION, else the first under the workspace. */
static const char *crate_dir(const Truth *t, const regex_t *re, const char *path, char *dir, size_t cap)
{
    /* std's sources: rustup's /rustc/<hash>/library/ has no NAME-VERSION
     * component, Debian's /usr/src/rustc-1.85.0/library/ has one that is
     * not a crate's: neither is a crate directory of the workspace's. */
    const char *d = strstr(path, "/rustc-");
    if (d && strstr(d, "/library/"))
        return NULL;
    const char *found = NULL;
    for (const char *s = path; (s = strchr(s, '/'));) {
        s++;
        const char *e = strchr(s, '/');
        if (!e)
            break;
        char comp[256];
        size_t n = (size_t)(e - s);
        if (n < sizeof comp) {
            memcpy(comp, s, n);
            comp[n] = '\0';
            if (regexec(re, comp, 0, NULL, 0) == 0) {
                found = s;
                snprintf(dir, cap, "%s", comp);
            }
        }
    }
    if (found)
        return found;
    size_t w = strlen(t->ws);
    if (strncmp(path, t->ws, w) == 0 && path[w] == '/') {
        const char *s = path + w + 1, *e = strchr(s, '/');
        if (e && (size_t)(e - s) < cap) {
            memcpy(dir, s, (size_t)(e - s));
            dir[e - s] = '\0';
            return s;
        }
    }
    return NULL;
}

/* NAME-VERSION → name, '-' → '_'. */
static void crate_name(const char *dir, char *out, size_t cap)
{
    snprintf(out, cap, "%s", dir);
    for (char *p = out; *p; p++)
        if (*p == '-' && isdigit((unsigned char)p[1]) && strchr(p, '.')) {
            *p = '\0';
            break;
        }
    for (char *p = out; *p; p++)
        if (*p == '-')
            *p = '_';
}

static bool in_code(const FxElf *e, uint64_t a)
{
    for (size_t i = 0; i < e->nsecs; i++)
        if (strchr(e->secs[i].flags, 'X') && strchr(e->secs[i].flags, 'A') && a >= e->secs[i].addr &&
            a - e->secs[i].addr < e->secs[i].size)
            return true;
    return false;
}

static char *quoted(const char *line)
{
    const char *q = strchr(line, '"');
    const char *e = q ? strrchr(line, '"') : NULL;
    cr_assert(q && e > q, "no quoted string in: %s", line);
    return strndup(q + 1, (size_t)(e - q - 1));
}

static void truth_read(Truth *t, const char *path)
{
    memset(t, 0, sizeof *t);
    FxElf e;
    fx_elf_read(&e, path, NULL, false);
    regex_t re;
    cr_assert_eq(regcomp(&re, "^.+-[0-9]+\\.[0-9]+\\.[0-9]+([-+].*)?$", REG_EXTENDED | REG_NOSUB), 0);

    /* Each unit's line table offset and directory. */
    Run r = run_cmd("llvm-dwarfdump-14 --debug-info --recurse-depth=0 '%s'", path);
    cr_assert_eq(r.status, 0, "llvm-dwarfdump --debug-info: %s", r.err);
    char **lines;
    size_t n = fx_lines(r.out, &lines);
    size_t ncu = 0;
    uint64_t *cu_off = calloc(n + 1, sizeof *cu_off);
    char **cu_dir = calloc(n + 1, sizeof *cu_dir);
    bool *ws_unit = calloc(n + 1, sizeof *ws_unit);
    for (size_t i = 0; i < n; i++) {
        if (strstr(lines[i], "DW_TAG_compile_unit"))
            cu_off[ncu] = UINT64_MAX, cu_dir[ncu++] = NULL;
        else if (ncu && strstr(lines[i], "DW_AT_stmt_list"))
            cu_off[ncu - 1] = strtoull(strchr(lines[i], '(') + 1, NULL, 16);
        else if (ncu && strstr(lines[i], "DW_AT_comp_dir"))
            cu_dir[ncu - 1] = quoted(lines[i]);
        else if (ncu && strstr(lines[i], "DW_AT_name") && strstr(lines[i], "\"logtool/src/main.rs/@/"))
            ws_unit[ncu - 1] = true; /* the workspace's: its directory comes later */
    }
    for (size_t k = 0; k < ncu && !t->ws; k++)
        if (ws_unit[k] && cu_dir[k])
            t->ws = strdup(cu_dir[k]);
    free(ws_unit);
    cr_assert(t->ws, "%s: no unit of logtool/src/main.rs with a DW_AT_comp_dir", path);
    free(lines);
    run_free(&r);

    /* The line tables: directories, files, rows. */
    r = run_cmd("llvm-dwarfdump-14 --debug-line '%s'", path);
    cr_assert_eq(r.status, 0, "llvm-dwarfdump --debug-line: %s", r.err);
    n = fx_lines(r.out, &lines);
    static char *dirs[4096], *names[65536];
    static unsigned didx[65536];
    size_t ndirs = 0, nnames = 0;
    const char *comp = NULL;
    int version = 4;
    bool have = false;
    uint64_t p_addr = 0;
    unsigned p_file = 0;
    for (size_t i = 0; i < n; i++) {
        const char *l = lines[i];
        if (strncmp(l, "debug_line[", 11) == 0) {
            uint64_t off = strtoull(l + 11, NULL, 16);
            comp = NULL;
            for (size_t k = 0; k < ncu; k++)
                if (cu_off[k] == off)
                    comp = cu_dir[k];
            for (size_t k = 0; k < ndirs; k++)
                free(dirs[k]);
            for (size_t k = 0; k < nnames; k++)
                free(names[k]);
            ndirs = nnames = 0;
            have = false;
        } else if (strstr(l, "         version: ")) {
            version = atoi(strchr(l, ':') + 1);
        } else if (strncmp(l, "include_directories[", 20) == 0) {
            unsigned k = (unsigned)atoi(l + 20);
            cr_assert_lt(k, 4096);
            while (ndirs <= k)
                dirs[ndirs++] = NULL;
            dirs[k] = quoted(l);
        } else if (strncmp(l, "file_names[", 11) == 0) {
            unsigned k = (unsigned)atoi(l + 11);
            cr_assert_lt(k, 65536);
            while (nnames <= k)
                names[nnames] = NULL, didx[nnames++] = 0;
            cr_assert(strstr(lines[i + 1], "name: "), "%s", lines[i + 1]);
            names[k] = quoted(lines[i + 1]);
            cr_assert(strstr(lines[i + 2], "dir_index: "), "%s", lines[i + 2]);
            didx[k] = (unsigned)atoi(strchr(lines[i + 2], ':') + 1);
        } else if (strncmp(l, "0x", 2) == 0 && strlen(l) > 20 && l[18] == ' ') {
            char *end;
            uint64_t addr = strtoull(l, &end, 16);
            strtoul(end, &end, 10); /* line */
            strtoul(end, &end, 10); /* column */
            unsigned file = (unsigned)strtoul(end, &end, 10);
            if (have && addr > p_addr && in_code(&e, p_addr) && p_file < nnames && names[p_file]) {
                const char *nm = names[p_file];
                char full[4096];
                if (nm[0] == '/') {
                    snprintf(full, sizeof full, "%s", nm);
                } else {
                    unsigned d = didx[p_file];
                    const char *dir = d == 0 && version < 5 ? comp : d < ndirs ? dirs[d] : NULL;
                    cr_assert(dir, "no directory %u for %s", d, nm);
                    if (dir[0] == '/')
                        snprintf(full, sizeof full, "%s/%s", dir, nm);
                    else
                        snprintf(full, sizeof full, "%s/%s/%s", comp ? comp : "", dir, nm);
                }
                char dir[256], crate[256];
                const char *from = crate_dir(t, &re, full, dir, sizeof dir);
                if (from) {
                    crate_name(dir, crate, sizeof crate);
                    /* std's own dependencies (/rust/deps/…) come precompiled
                     * with line tables that leave some of their code
                     * uncovered, which heft charges by symbol name: the
                     * crates compared are the build's own. */
                    sum_add(strncmp(full, "/rust/", 6) != 0 ? &t->crates : &t->std_deps, crate, addr - p_addr);
                    sum_add(&t->dirs, dir, addr - p_addr);
                    sum_add(&t->files, from, addr - p_addr);
                }
            }
            have = !strstr(l, "end_sequence");
            p_addr = addr, p_file = file;
        }
    }
    for (size_t k = 0; k < ndirs; k++)
        free(dirs[k]);
    for (size_t k = 0; k < nnames; k++)
        free(names[k]);
    free(lines);
    run_free(&r);
    for (size_t k = 0; k < ncu; k++)
        free(cu_dir[k]);
    free(cu_dir);
    free(cu_off);
    regfree(&re);
    fx_elf_free(&e);
    cr_assert_gt(t->crates.n, 15, "%s: only %zu crates in the line tables", path, t->crates.n);
}

static void truth_free(Truth *t)
{
    sums_free(&t->crates);
    sums_free(&t->std_deps);
    sums_free(&t->dirs);
    sums_free(&t->files);
    free(t->ws);
}

static int64_t size_of(json_t *j, const char *name)
{
    json_t *r = row_named(json_object_get(j, "rows"), name);
    return r ? jint(r, "file_size") : -1;
}

/* Whether a symbol's name is in crate: a legacy Rust name's first path
 * component (A's in "<A as B>"), or a v0 name's first crate (the impl's
 * crate for an impl path). Enough for the statics heft charges by name. */
static bool name_in_crate(const char *name, const char *crate)
{
    size_t cl = strlen(crate);
    if (strncmp(name, "_ZN", 3) == 0) {
        char *end;
        unsigned long len = strtoul(name + 3, &end, 10);
        if (strncmp(end, "_$LT$", 5) == 0)
            end += 5, len = len > 5 ? len - 5 : 0;
        return len >= cl && strncmp(end, crate, cl) == 0 && (len == cl || end[cl] == '.' || end[cl] == '$');
    }
    if (strncmp(name, "_R", 2) == 0) {
        for (const char *p = name + 2; *p; p++) {
            if (*p != 'C')
                continue;
            const char *q = p + 1;
            if (*q == 's') {
                while (*q && *q != '_')
                    q++;
                if (*q)
                    q++;
            }
            char *end;
            unsigned long len = strtoul(q, &end, 10);
            if (end == q)
                continue;
            return len == cl && strncmp(end, crate, cl) == 0;
        }
    }
    return false;
}

/* Whether a local follows the STT_FILE entry of one of crate's objects,
 * which rustc names "<crate>.<hash>-cgu.<N>". */
static bool file_of_crate(const char *file, const char *crate)
{
    size_t cl = strlen(crate);
    return file && strncmp(file, crate, cl) == 0 && file[cl] == '.' && strstr(file + cl, "-cgu.");
}

/* Bytes of data (symbols in loaded sections that are not code) heft may
 * charge to crate by their names, their DWARF variables, or (anonymous
 * constants) the object they were compiled in. */
static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static uint64_t data_of(const FxElf *e, const char *crate)
{
    /* the ".llvm.N" of crate's own symbols: ThinLTO promoted an anonymous
     * constant with the same N out of one of crate's modules */
    const char **mods = malloc((e->nsyms + 1) * sizeof *mods);
    cr_assert(mods);
    size_t nmods = 0;
    for (size_t i = 0; i < e->nsyms; i++) {
        const char *suf = strstr(e->syms[i].name, ".llvm.");
        if (suf && strncmp(e->syms[i].name, "anon.", 5) != 0 && name_in_crate(e->syms[i].name, crate))
            mods[nmods++] = suf;
    }
    qsort(mods, nmods, sizeof *mods, cmp_cstr);
    uint64_t sum = 0;
    const char *file = NULL;
    for (size_t i = 0; i < e->nsyms; i++) {
        const FxSym *s = &e->syms[i];
        if (strcmp(s->type, "FILE") == 0)
            file = s->name;
        bool anon = strncmp(s->name, "anon.", 5) == 0 &&
                    ((strcmp(s->bind, "LOCAL") == 0 && file_of_crate(file, crate)) ||
                     (strcmp(s->type, "OBJECT") == 0 && s->size && strstr(s->name, ".llvm.") &&
                      bsearch(&(const char *){strstr(s->name, ".llvm.")}, mods, nmods, sizeof *mods, cmp_cstr)));
        if (strcmp(s->type, "OBJECT") || !s->size || !(anon || name_in_crate(s->name, crate)))
            continue;
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = e->syms[k].value == s->value && e->syms[k].size && strcmp(e->syms[k].type, "OBJECT") == 0 &&
                  name_in_crate(e->syms[k].name, crate);
        if (!dup)
            sum += s->size;
    }
    free(mods);
    return sum;
}

/* heft's rows against the truth: a row for every key that has bytes; for
 * every key over 1 KiB (but those in skip), within 2% of its lines' bytes,
 * or above them by at most its crate's data (statics, tables: heft charges
 * them by their DWARF variable or their name) and 2%. */
static void compare(const char *what, json_t *j, const Sums *s, const FxElf *e, const Sums *skip)
{
    char msg[8192] = "";
    size_t o = 0;
    for (size_t i = 0; i < s->n; i++) {
        int64_t got = size_of(j, s->v[i].key), want = (int64_t)s->v[i].bytes;
        cr_assert_geq(got, 0, "%s: no row for %s (%lld bytes of lines)", what, s->v[i].key, (long long)want);
        bool skipped = false;
        for (size_t k = 0; skip && k < skip->n; k++)
            skipped |= strcmp(skip->v[k].key, s->v[i].key) == 0;
        if (want <= 1024 || skipped)
            continue;
        /* The crate of a key: the crate itself, or that of its directory. */
        char dir[256], crate[256];
        snprintf(dir, sizeof dir, "%s", s->v[i].key);
        if (strchr(dir, '/'))
            *strchr(dir, '/') = '\0';
        crate_name(dir, crate, sizeof crate);
        int64_t data = (int64_t)data_of(e, crate);
        if (got * 50 < want * 49 || got * 50 > (want + data) * 51)
            o += (size_t)snprintf(msg + o, o < sizeof msg ? sizeof msg - o : 0, "\n  %s: %lld bytes, lines %lld, data %lld",
                                  s->v[i].key, (long long)got, (long long)want, (long long)data);
        if (o >= sizeof msg)
            o = sizeof msg - 1;
    }
    cr_assert(!msg[0], "%s: off by more than 2%%:%s", what, msg);
}

static void check_realworld(const char *name)
{
    const char *path = fx_need(name);
    Truth t;
    truth_read(&t, path);
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);

    json_t *d = heft_json("crates --by defining --split-std --format json -n 0 '%s'", path);
    /* A crate also among std's dependencies (memchr) has their bytes too. */
    compare("crates --by defining", d, &t.crates, &e, &t.std_deps);
    static const char *const own[] = {"strsim", "atty", "ryu", "logcore", "logtool", "serde_json", "anyhow"};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++) {
        bool lines = false;
        for (size_t k = 0; k < t.crates.n; k++)
            lines |= strcmp(t.crates.v[k].key, own[i]) == 0;
        cr_assert(!lines || size_of(d, own[i]) > 0, "%s: no row of its own for %s", name, own[i]);
    }
    cr_assert_gt(size_of(d, "strsim"), 0, "%s: strsim", name);
    cr_assert_gt(size_of(d, "logtool"), 0, "%s: logtool", name);
    cr_assert_gt(size_of(d, "logcore"), 0, "%s: logcore", name);
    json_decref(d);

    /* files --depth 1: a row per crate directory, never a bare src. */
    json_t *f1 = heft_json("files --depth 1 --format json -n 0 '%s'", path);
    compare("files --depth 1", f1, &t.dirs, &e, NULL);
    cr_assert_lt(size_of(f1, "src"), 0, "%s: a bare src row", name);
    json_decref(f1);

    /* files: every file under its crate's directory, so two crates' src/lib.rs
     * are two rows, each with its own crate's bytes. */
    json_t *f = heft_json("files --format json -n 0 '%s'", path);
    compare("files", f, &t.files, &e, NULL);
    size_t i, libs = 0;
    json_t *r;
    json_array_foreach(json_object_get(f, "rows"), i, r)
    {
        const char *n = fx_str(r, "name");
        cr_assert(strncmp(n, "src/", 4) != 0, "%s: %s names no crate", name, n);
        libs += strstr(n, "/src/lib.rs") && strlen(strstr(n, "/src/lib.rs")) == 11;
    }
    cr_assert_gt(libs, 10, "%s: %zu crates' src/lib.rs", name, libs);
    json_decref(f);
    truth_free(&t);
    fx_elf_free(&e);

    /* --by instantiating: the crates whose units emitted the code; a dev
     * build's incremental units (<path>/@/<hash>) are their crate's. */
    json_t *in = heft_json("crates --by instantiating --format json -n 0 '%s'", path);
    cr_assert_gt(size_of(in, "logtool"), 1024, "%s: logtool's units", name);
    json_array_foreach(json_object_get(in, "rows"), i, r)
    {
        const char *n = fx_str(r, "name");
        size_t len = strlen(n), alnum = strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789");
        cr_assert(!(len >= 20 && alnum == len), "%s: a codegen unit's hash taken for a crate: %s", name, n);
    }
    json_decref(in);
}

Test(realworld_dwarf, release_g_crates_and_files, .timeout = 300) { check_realworld("realworld-release-g"); }
Test(realworld_dwarf, dev_crates_and_files, .timeout = 300) { check_realworld("realworld-dev"); }
Test(realworld_dwarf, dev_v0_crates_and_files, .timeout = 300)
{
    if (access(fixture("realworld-dev-v0"), R_OK) != 0)
        cr_skip_test("realworld-dev-v0 not built");
    check_realworld("realworld-dev-v0");
}
