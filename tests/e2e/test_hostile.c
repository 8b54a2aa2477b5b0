/* test_hostile.c — files built to hit heft's algorithms: every view stays
 * O(n log n) in time and linear in memory whatever the input (issue 14).
 *
 * Each row of the table names a reproducer class, its generator (hostile.h)
 * and the heft commands to run on it. Every command runs on the hostile file
 * and on its benign twin of about the same size; the hostile run must
 *   - exit 0, or 2 with exactly one stderr line "heft: ...";
 *   - use no more than RATIO times the twin's CPU time (user + system, with a
 *     floor so that a few milliseconds of noise cannot fail it) and no more
 *     than RATIO times its peak RSS (floor likewise);
 *   - finish within a generous timeout (a hang is the failure we look for).
 * The numbers come from wait4(), so they are heft's own, not the shell's.
 * Where what a user sees of a class is known exactly (a bomb's one line, the
 * rows a line table gives), a test of its own checks that too. */
#include "harness.h"
#include "hostile.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <criterion/parameterized.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define RATIO 20.0
#define CPU_FLOOR_S 0.05   /* below this, timing is noise */
#define RSS_FLOOR_KIB 32768 /* heft's own baseline, libraries mapped */
#define TIMEOUT_S 120

bool hostile_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "hostile: cannot write %s\n", path);
        return false;
    }
    return true;
}

typedef struct {
    int status;     /* exit status, or 128 + signal */
    double cpu_s;   /* user + system */
    long rss_kib;   /* peak */
    char err[4096]; /* the start of stderr */
    size_t err_len;
} Meas;

/* cmd with every "{}" replaced by path. */
static char *expand(const char *cmd, const char *path)
{
    size_t cap = strlen(cmd) * 2 + 64, n = 0;
    char *s = malloc(cap);
    for (const char *p = cmd; *p;) {
        const char *with = NULL;
        size_t skip = 1;
        if (strncmp(p, "{}", 2) == 0)
            with = path, skip = 2;
        size_t wn = with ? strlen(with) : 1;
        if (n + wn + 1 >= cap)
            s = realloc(s, cap = (n + wn + 1) * 2);
        memcpy(s + n, with ? with : p, wn);
        n += wn;
        p += skip;
    }
    s[n] = '\0';
    return s;
}

/* Runs `timeout T heft <args>` through sh, stdout to /dev/null. */
static Meas run_measured(const char *args)
{
    Meas m = {0};
    char errpath[] = "/tmp/heft-hostile-err-XXXXXX";
    int fe = mkstemp(errpath);
    cr_assert(fe >= 0);
    char *line;
    cr_assert(asprintf(&line, "exec timeout -s KILL %d '%s' %s", TIMEOUT_S, heft_bin(), args) >= 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        child_quiet_stdio(fe);
        execl("/bin/sh", "sh", "-c", line, (char *)NULL);
        _exit(127);
    }
    int st;
    struct rusage ru;
    cr_assert(wait4(pid, &st, 0, &ru) == pid);
    m.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    m.cpu_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    m.rss_kib = ru.ru_maxrss;
    ssize_t got = pread(fe, m.err, sizeof m.err - 1, 0);
    m.err_len = got > 0 ? (size_t)got : 0;
    m.err[m.err_len] = '\0';
    close(fe);
    unlink(errpath);
    free(line);
    return m;
}

typedef struct {
    const char *name;    /* the reproducer class */
    HostileGen gen;
    const char *cmds[8]; /* heft arguments; "{}" is the generated file */
} HostileCase;

/* The reproducer classes of issue 14, one row each. */
bool hostile_gen_load_order(const char *path, bool hostile);
bool hostile_gen_cxx_names(const char *path, bool hostile);
bool hostile_gen_dups_collisions(const char *path, bool hostile);
bool hostile_gen_deep_paths(const char *path, bool hostile);
bool hostile_gen_load_xnum(const char *path, bool hostile);
bool hostile_gen_bss_sweep(const char *path, bool hostile);
bool hostile_gen_rel_nobits(const char *path, bool hostile);
bool hostile_gen_line_lookup(const char *path, bool hostile);
bool hostile_gen_zstd_bomb(const char *path, bool hostile);
bool hostile_gen_zlib_bomb(const char *path, bool hostile);
bool hostile_gen_zdebug_bomb(const char *path, bool hostile);
bool hostile_gen_zstd_bomb_padded(const char *path, size_t size);
bool hostile_gen_fifo(const char *path, bool hostile);
bool hostile_gen_gzip_sparse(const char *path, bool hostile);
bool hostile_gen_budget_regex(const char *path, bool hostile);
bool hostile_gen_filter_backref(const char *path, bool hostile);
bool hostile_gen_control_names(const char *path, bool hostile);
bool hostile_gen_overlapping_functions(const char *path, bool hostile);

static const HostileCase CASES[] = {
    {"PT_LOAD headers in descending address order", hostile_gen_load_order,
     {"segments -n 0 --format json {}", "sections -n 0 {}", "symbols -n 20 {}", "summary {}", "garbage {}"}},
    {"C++ names whose substitutions double at each level", hostile_gen_cxx_names,
     {"symbols {}", "crates {}", "summary {}", "monos {}", "symbols --no-demangle {}", "garbage {}"}},
    {"read-only objects whose hashes collide", hostile_gen_dups_collisions, {"dups {}", "dups --format json -n 0 {}"}},
    {"snapshot paths of 500,000 components", hostile_gen_deep_paths,
     {"diff --by file {}.old {}", "diff --by unit --format json {}.old {}"}},
    {"PT_LOAD headers in descending order, counted through PN_XNUM", hostile_gen_load_xnum,
     {"segments -n 0 --format json {}", "summary {}"}},
    {"250,000 .bss segments above 150,000 .bss symbols", hostile_gen_bss_sweep,
     {"segments {}", "symbols -n 20 {}", "summary {}", "garbage {}", "retained --crates -n 0 {}"}},
    {"an object of 200,000 allocated NOBITS sections", hostile_gen_rel_nobits,
     {"sections -n 20 {}", "segments {}", "summary {}", "garbage {}"}},
    {"line rows outside code, 60,000 section headers", hostile_gen_line_lookup,
     {"units {}", "files {}", "crates --by defining {}", "snapshot {} -o {}.heft.json.gz", "why {} main --max 0"}},
    {"zstd-compressed .debug_info of 900 MiB of zeros", hostile_gen_zstd_bomb, {"units {}", "files {}"}},
    {"zlib-compressed .debug_info of 900 MiB of zeros", hostile_gen_zlib_bomb, {"units {}", "files {}"}},
    {".zdebug_info of 900 MiB of zeros", hostile_gen_zdebug_bomb, {"units {}", "files {}"}},
    {"a FIFO where a file is read (snapshot, budget, baseline, debug file)", hostile_gen_fifo,
     {"diff {} {}.elf", "diff {}.elf {}", "check {} --budget {}.budget.toml", "check {}.elf --budget {}",
      "check {}.elf --budget {}.budget.toml --baseline {}", "snapshot {} -o {}.out.gz",
      "units --debug-file {} {}.elf", "snapshot --debug-file {} {}.elf -o {}.out.gz"}},
    {"a sparse 10 GB file starting with the gzip magic", hostile_gen_gzip_sparse,
     {"diff {} {}", "diff --by crate {}.elf {}", "check {} --budget {}.budget.toml",
      "check {}.elf --budget {}.budget.toml --baseline {}", "snapshot {} -o {}.out.gz"}},
    {"a budget's symbol pattern with nested counted repeats", hostile_gen_budget_regex,
     {"check {} --budget {}.budget.toml", "check {} --budget {}.budget.toml --format json"}},
    {"--filter with back-references on long names", hostile_gen_filter_backref,
     {"symbols -n 0 --filter \"$(cat {}.re)\" {}", "summary --filter \"$(cat {}.re)\" {}",
      "crates --filter \"$(cat {}.re)\" {}", "dups --filter \"$(cat {}.re)\" {}",
      "monos --filter \"$(cat {}.re)\" {}", "diff --by symbol --filter \"$(cat {}.re)\" {} {}"}},
    {"20,000 functions each reaching past the next ones' starts", hostile_gen_overlapping_functions,
     {"garbage {}", "why {} f5", "retained -n 5 {}", "crates --refs {}"}},
    {"control characters in symbol and section names", hostile_gen_control_names,
     {"symbols -n 0 {}", "sections -n 0 {}", "crates -n 0 {}", "summary {}", "symbols -n 0 --format tsv {}",
      "dups {}", "monos {}", "diff --by symbol {} {}"}},
};
#define NCASES (sizeof CASES / sizeof CASES[0])

static char g_dir[] = "/tmp/heft-hostile-XXXXXX";

static void setup(void)
{
    cr_assert(mkdtemp(g_dir));
}

static void teardown(void)
{
    char *rm;
    if (asprintf(&rm, "rm -rf '%s'", g_dir) >= 0) {
        if (system(rm) != 0)
            cr_log_warn("could not remove %s", g_dir);
        free(rm);
    }
}

TestSuite(hostile, .init = setup, .fini = teardown, .timeout = 1200);

/* Status 0, or 2 with one stderr line from heft; else what is wrong. */
static const char *bad_exit(const Meas *m)
{
    if (m->status == 0)
        return NULL;
    if (m->status != 2)
        return m->status == 137 ? "killed (timed out)" : "neither 0 nor 2";
    const char *nl = memchr(m->err, '\n', m->err_len);
    if (strncmp(m->err, "heft: ", 6) != 0 || !nl || nl != m->err + m->err_len - 1)
        return "status 2 without exactly one 'heft: ...' line";
    return NULL;
}

static void check_case(const HostileCase *c, unsigned idx)
{
    char *hostile, *benign;
    cr_assert(asprintf(&hostile, "%s/case%u-hostile", g_dir, idx) >= 0);
    cr_assert(asprintf(&benign, "%s/case%u-benign", g_dir, idx) >= 0);
    cr_assert(c->gen(hostile, true) && c->gen(benign, false), "[%s] generator failed", c->name);
    for (unsigned i = 0; i < 8 && c->cmds[i]; i++) {
        char *ha = expand(c->cmds[i], hostile), *ba = expand(c->cmds[i], benign);
        Meas b = run_measured(ba), h = run_measured(ha);
        cr_log_info("[%s] heft %s: %.3f s / %ld KiB (benign twin %.3f s / %ld KiB)", c->name, c->cmds[i],
                    h.cpu_s, h.rss_kib, b.cpu_s, b.rss_kib);
        const char *why = bad_exit(&h);
        cr_expect(!why, "[%s] `heft %s`: %s (status %d)\n  stderr: %s", c->name, ha, why, h.status, h.err);
        cr_expect(!bad_exit(&b), "[%s] benign twin: `heft %s`: status %d\n  stderr: %s", c->name, ba, b.status,
                  b.err);
        double tb = b.cpu_s > CPU_FLOOR_S ? b.cpu_s : CPU_FLOOR_S;
        cr_expect(h.cpu_s <= RATIO * tb, "[%s] `heft %s`: %.3f s of CPU, more than %.0f× the twin's %.3f s",
                  c->name, ha, h.cpu_s, RATIO, b.cpu_s);
        long rb = b.rss_kib > RSS_FLOOR_KIB ? b.rss_kib : RSS_FLOOR_KIB;
        cr_expect(h.rss_kib <= RATIO * rb, "[%s] `heft %s`: peak %ld KiB, more than %.0f× the twin's %ld KiB",
                  c->name, ha, h.rss_kib, RATIO, b.rss_kib);
        free(ha);
        free(ba);
    }
    free(hostile);
    free(benign);
}

ParameterizedTestParameters(hostile, classes)
{
    static unsigned idx[NCASES];
    for (unsigned i = 0; i < NCASES; i++)
        idx[i] = i;
    return cr_make_param_array(unsigned, idx, NCASES);
}

ParameterizedTest(unsigned *i, hostile, classes)
{
    check_case(&CASES[*i], *i);
}

/* What a user sees of the line rows: in the twin every row lies in .text, so
 * its 180,000 nops and the xor and ret after them are rows.c's; in the
 * hostile file no row lies in code, so none is. */
Test(hostile, line_rows_in_code)
{
    for (int hostile = 0; hostile < 2; hostile++) {
        char *path;
        cr_assert(asprintf(&path, "%s/rows%d", g_dir, hostile) >= 0);
        cr_assert(hostile_gen_line_lookup(path, hostile));
        json_t *j = heft_json("units --format json '%s'", path);
        json_t *row = row_named(json_object_get(j, "rows"), "rows.c");
        if (hostile)
            cr_expect(!row, "%s: a row of rows.c outside code", path);
        else
            cr_expect(row && jint(row, "vm_size") == 180003 && jint(row, "file_size") == 180003,
                      "%s: rows.c is not the 180,003 bytes of main", path);
        json_decref(j);
        free(path);
    }
}

/* What a user sees of a decompression bomb, whichever the compression: one
 * line with the size it claims and the bound it breaks. */
Test(hostile, inflate_bomb_message)
{
    static const HostileGen gens[] = {hostile_gen_zstd_bomb, hostile_gen_zlib_bomb, hostile_gen_zdebug_bomb};
    for (unsigned i = 0; i < sizeof gens / sizeof *gens; i++) {
        char *path, *want;
        cr_assert(asprintf(&path, "%s/bomb%u", g_dir, i) >= 0);
        cr_assert(gens[i](path, true));
        cr_assert(asprintf(&want,
                           "heft: %s: debug info in %s: compressed sections claim to inflate to 943718400 bytes, "
                           "more than 64 MiB plus 100 times the file's %llu (a decompression bomb?)\n",
                           path, path, (unsigned long long)file_size_of(path)) >= 0);
        for (unsigned k = 0; k < 2; k++) {
            Run r = run_heft("%s '%s'", k ? "files" : "units", path);
            cr_expect_eq(r.status, 2, "heft %s %s: status %d", k ? "files" : "units", path, r.status);
            cr_expect_str_eq(r.err, want);
            run_free(&r);
        }
        free(path);
        free(want);
    }
}

/* A bomb whose claim the ratio bound lets through (a 9 MB file may inflate
 * to 964 MB) meets the bound in bytes: here half of a 1.5 GB address space
 * limit. */
Test(hostile, inflate_bound_in_bytes)
{
    enum { LIMIT_KIB = 1500000 };
    if (!heft_starts_under(LIMIT_KIB))
        cr_skip_test("heft does not start under ulimit -v %d (a sanitizer build): the plain build's pass runs it",
                     LIMIT_KIB);
    char *path, *want;
    cr_assert(asprintf(&path, "%s/bomb-big", g_dir) >= 0);
    cr_assert(hostile_gen_zstd_bomb_padded(path, 9000000));
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    bool machine = (double)pages * page < LIMIT_KIB * 1024.0;
    cr_assert(asprintf(&want,
                       "heft: %s: debug info in %s: compressed sections claim to inflate to 943718400 bytes, more than "
                       "half of %s\n",
                       path, path, machine ? "this machine's memory" : "the address space limit (ulimit -v)") >= 0);
    Run r = run_cmd("ulimit -v %d && '%s' units '%s'", LIMIT_KIB, heft_bin(), path);
    cr_expect_eq(r.status, 2, "status %d", r.status);
    cr_expect_str_eq(r.err, want);
    run_free(&r);
    free(path);
    free(want);
}
