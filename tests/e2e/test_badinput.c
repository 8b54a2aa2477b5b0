/* test_badinput.c — hostile input: heft must reject what it cannot read with
 * exactly one line "heft: FILE: <reason>" on stderr and status 2, never crash
 * (signal, sanitizer abort), hang, or take memory out of proportion to the
 * file; and what it accepts must still be accounted for exactly (the rows add
 * up to the file size and the VM size).
 *
 * Inputs are made at test time in a fresh temporary directory: a small C
 * program compiled with cc (and, when the cross compiler is there, for 32-bit
 * ARM), then copied and corrupted field by field, truncated, or bit-flipped
 * with a fixed seed; plus synthetic files (empty, text, garbage) and things
 * that are not regular files (directory, FIFO, devices).
 *
 * Every heft run goes through `timeout` (a hang is status 124, a failure) and,
 * when /usr/bin/time exists, has its peak RSS measured. A failing input is
 * kept as /tmp/heft-badinput-<case> so that it can be reproduced by hand. */
#include "elf_layout.h"
#include "harness.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PT_LOAD_ 1u
#define SHT_SYMTAB_ 2u
#define SHT_STRTAB_ 3u
#define SHT_NOBITS_ 8u
#define SHT_DYNSYM_ 11u
#define STT_FUNC_ 2u
#define STT_OBJECT_ 1u
#define SHN_XINDEX_ 0xffffu

/* Per-run limits. */
#define RUN_TIMEOUT 10      /* seconds per heft run */
#define RSS_LIMIT_MIB 64    /* peak RSS of heft on these (< 64 KiB) inputs,
                               generous enough for the ASan build */

static const char PROG_SRC[] =
    "#include <stdio.h>\n"
    "#include <string.h>\n"
    "static const char table[256] = \"heft bad input fixture\";\n"
    "int counter = 3;\n"
    "static char scratch[4096];\n"
    "__attribute__((noinline)) static int helper(int x) { return x * 7 + (int)table[x & 15]; }\n"
    "__attribute__((noinline)) int exported(const char *s)\n"
    "{ strncpy(scratch, s, sizeof scratch - 1); return helper((int)strlen(scratch)); }\n"
    "int main(int argc, char **argv)\n"
    "{ counter += exported(argc > 1 ? argv[1] : \"x\"); printf(\"%d\\n\", counter); return 0; }\n";

/* ------------------------------------------------------------------------ */
/* Per-test state: each Criterion test runs in its own process. */

static char g_dir[] = "/tmp/heft-badinput-XXXXXX";
static bool g_have_dir;
static int g_runs;

static void setup(void)
{
    cr_assert(mkdtemp(g_dir), "mkdtemp: %s", strerror(errno));
    g_have_dir = true;
}

static void teardown(void)
{
    if (g_have_dir) {
        Run r = run_cmd("rm -rf '%s'", g_dir);
        run_free(&r);
    }
}

TestSuite(badinput, .init = setup, .fini = teardown);

static char *path_in_dir(const char *name)
{
    char *p;
    cr_assert(asprintf(&p, "%s/%s", g_dir, name) >= 0);
    return p;
}

static unsigned char *load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot read %s: %s", path, strerror(errno));
    cr_assert(fseek(f, 0, SEEK_END) == 0);
    long n = ftell(f);
    cr_assert(n >= 0);
    rewind(f);
    unsigned char *b = malloc((size_t)n + 1);
    cr_assert(b);
    cr_assert(fread(b, 1, (size_t)n, f) == (size_t)n, "short read on %s", path);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static char *write_file(const char *name, const void *data, size_t len)
{
    char *p = path_in_dir(name);
    FILE *f = fopen(p, "wb");
    cr_assert(f, "cannot write %s: %s", p, strerror(errno));
    cr_assert(len == 0 || fwrite(data, 1, len, f) == len);
    cr_assert(fclose(f) == 0);
    return p;
}

/* Keeps a copy of an input that made heft misbehave, for the report. */
static const char *keep(const char *path, const char *label)
{
    static char kept[4096];
    snprintf(kept, sizeof kept, "/tmp/heft-badinput-%s", label);
    Run r = run_cmd("cp '%s' '%s'", path, kept);
    run_free(&r);
    return kept;
}

/* ------------------------------------------------------------------------ */
/* Base binaries, built on demand into the test's directory. */

static const char *compile(const char *cc, const char *flags, const char *name)
{
    char *src = path_in_dir("prog.c");
    if (access(src, F_OK) != 0)
        free(write_file("prog.c", PROG_SRC, sizeof PROG_SRC - 1));
    char *out = path_in_dir(name);
    Run r = run_cmd("%s %s -o '%s' '%s'", cc, flags, out, src);
    if (r.status != 0) {
        cr_log_warn("%s %s failed (%d): %s", cc, flags, r.status, r.err);
        run_free(&r);
        free(out);
        free(src);
        return NULL;
    }
    run_free(&r);
    free(src);
    return out;
}

/* A small x86-64 (host) PIE executable with .symtab; falls back to the
 * c-basic fixture when there is no working compiler. */
static const char *base_exe(void)
{
    static const char *p;
    if (!p)
        p = compile("cc", "-O1", "prog");
    if (!p && access(fixture("c-basic"), R_OK) == 0)
        p = strdup(fixture("c-basic"));
    cr_assert(p, "no C compiler and no c-basic fixture: nothing to corrupt");
    return p;
}

static const char *base_obj(void)
{
    static const char *p;
    if (!p)
        p = compile("cc", "-O1 -c", "prog.o");
    cr_assert(p, "cc -c failed");
    return p;
}

/* base_exe without .symtab: heft falls back to .dynsym. */
static const char *base_stripped(void)
{
    static char *p;
    if (!p) {
        p = path_in_dir("prog-stripped");
        Run r = run_cmd("strip -o '%s' '%s'", p, base_exe());
        cr_assert_eq(r.status, 0, "strip failed: %s", r.err);
        run_free(&r);
    }
    return p;
}

/* 32-bit ARM executable (the cross compiler is a test dependency). */
static const char *base_arm(void)
{
    static const char *p;
    static bool tried;
    if (!tried) {
        tried = true;
        Run r = run_cmd("command -v arm-linux-gnueabihf-gcc");
        if (r.status == 0)
            p = compile("arm-linux-gnueabihf-gcc", "-O1", "prog-arm");
        run_free(&r);
    }
    cr_assert(p, "arm-linux-gnueabihf-gcc is missing or failed (scripts/deps.sh installs it)");
    return p;
}

/* ------------------------------------------------------------------------ */
/* Running heft. */

typedef struct HRun {
    Run r;
    long rss_kib; /* -1 when not measured */
} HRun;

static bool have_gnu_time(void)
{
    static int have = -1;
    if (have < 0)
        have = access("/usr/bin/time", X_OK) == 0;
    return have;
}

/* Runs `timeout T $HEFT <args> 'path'` and measures its peak RSS. */
static HRun heft_on(int timeout_s, const char *path, const char *args)
{
    HRun h = {.rss_kib = -1};
    if (have_gnu_time()) {
        char *rss = NULL;
        cr_assert(asprintf(&rss, "%s/.rss-%d", g_dir, g_runs++) >= 0);
        h.r = run_cmd("/usr/bin/time -q -f '%%M' -o '%s' timeout %d '%s' %s '%s'", rss, timeout_s,
                      heft_bin(), args, path);
        FILE *f = fopen(rss, "r");
        if (f) {
            char line[256];
            while (fgets(line, sizeof line, f)) /* the number is on the last line */
                if (line[0] >= '0' && line[0] <= '9')
                    h.rss_kib = atol(line);
            fclose(f);
            unlink(rss);
        }
        free(rss);
    } else {
        h.r = run_cmd("timeout %d '%s' %s '%s'", timeout_s, heft_bin(), args, path);
    }
    return h;
}

static const char *status_str(int st)
{
    static char buf[64];
    if (st == 124)
        snprintf(buf, sizeof buf, "124 (timed out: hang)");
    else if (st > 128)
        snprintf(buf, sizeof buf, "%d (killed by signal %d)", st, st - 128);
    else if (st == 1 || st == 23)
        snprintf(buf, sizeof buf, "%d (sanitizer report?)", st);
    else
        snprintf(buf, sizeof buf, "%d", st);
    return buf;
}

/* The checks return NULL, or what is wrong (malloc'd), so that loops can go
 * on and report every bad input at once. */
static char *problem(const char *label, const char *args, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static char *problem(const char *label, const char *args, const char *path, const char *fmt, ...)
{
    char *what, *msg;
    va_list ap;
    va_start(ap, fmt);
    cr_assert(vasprintf(&what, fmt, ap) >= 0);
    va_end(ap);
    cr_assert(asprintf(&msg, "[%s] `heft %s %s`: %s", label, args, path, what) >= 0);
    free(what);
    return msg;
}

/* Neither a crash, nor a hang, nor a sanitizer exit, nor a memory blow-up. */
static char *survived(const HRun *h, const char *path, const char *label, const char *args)
{
    int st = h->r.status;
    if (st != 0 && st != 2)
        return problem(label, args, path, "expected status 0 or 2, got %s\n  stderr: %.3000s",
                       status_str(st), h->r.err);
    if (h->rss_kib > RSS_LIMIT_MIB * 1024L)
        return problem(label, args, path, "peak RSS %ld KiB for a %llu-byte input (limit %d MiB)",
                       h->rss_kib, (unsigned long long)file_size_of(path), RSS_LIMIT_MIB);
    return NULL;
}

/* Status 2, exactly one stderr line "heft: PATH: <reason>", nothing on
 * stdout (every run here asks for JSON: no partial document). */
static char *rejected_properly(const HRun *h, const char *path, const char *label, const char *args)
{
    const Run *r = &h->r;
    if (r->status != 2)
        return problem(label, args, path, "expected status 2, got %s\n  stderr: %.3000s",
                       status_str(r->status), r->err);
    const char *nl = memchr(r->err, '\n', r->err_len);
    if (r->err_len == 0 || nl != r->err + r->err_len - 1)
        return problem(label, args, path, "expected exactly one line on stderr, got %zu bytes:\n%.3000s",
                       r->err_len, r->err);
    char *prefix;
    cr_assert(asprintf(&prefix, "heft: %s: ", path) >= 0);
    size_t pl = strlen(prefix);
    char *p = NULL;
    if (strncmp(r->err, prefix, pl) != 0)
        p = problem(label, args, path, "stderr should start with \"%s\", got: %s", prefix, r->err);
    else if (r->err_len <= pl + 1)
        p = problem(label, args, path, "empty reason: %s", r->err);
    else if (r->out_len != 0)
        p = problem(label, args, path, "exit 2 but %zu bytes on stdout:\n%.500s", r->out_len, r->out);
    free(prefix);
    return p;
}

/* Documents are read with JSON_DECODE_INT_AS_REAL: addresses from corrupt
 * files may exceed jansson's int64, while the sizes checked here are small
 * enough (below 2^53) to be exact as doubles. */
static bool get_size(json_t *obj, const char *key, int64_t *v)
{
    json_t *j = json_object_get(obj, key);
    double d = json_number_value(j);
    if (!json_is_number(j) || d < 0 || d >= 9007199254740992.0 || d != (double)(int64_t)d)
        return false;
    *v = (int64_t)d;
    return true;
}

/* Status 0: the JSON document parses and accounts for every byte. */
static char *accounted(const HRun *h, const char *path, const char *label, const char *view,
                       const char *args)
{
    const Run *r = &h->r;
    json_error_t e;
    json_t *j = json_loadb(r->out, r->out_len, JSON_DECODE_INT_AS_REAL, &e);
    if (!j)
        return problem(label, args, path, "exit 0 but bad JSON (line %d: %s):\n%.500s", e.line,
                       e.text, r->out);
    uint64_t fsz = file_size_of(path);
    int64_t jf, jv;
    char *p = NULL;
    json_t *rows = json_object_get(j, "rows");
    if (!get_size(j, "file_size", &jf) || !get_size(j, "vm_size", &jv))
        p = problem(label, args, path, "no file_size/vm_size integers at the top level");
    else if ((uint64_t)jf != fsz)
        p = problem(label, args, path, "file_size %lld, the file has %llu bytes", (long long)jf,
                    (unsigned long long)fsz);
    else if (!json_is_array(rows))
        p = problem(label, args, path, "no rows array");
    else if (strcmp(view, "summary") != 0) {
        /* -n 0, no filter: the rows alone add up. */
        uint64_t sf = 0, sv = 0;
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row) {
            int64_t f, v;
            if (!get_size(row, "file_size", &f) || !get_size(row, "vm_size", &v)) {
                p = problem(label, args, path, "row %zu has no non-negative file_size/vm_size", i);
                break;
            }
            /* A symbol's owned bytes (owners) lie outside it, in both domains. */
            int64_t o = 0;
            if (json_object_get(row, "owned") && !get_size(row, "owned", &o)) {
                p = problem(label, args, path, "row %zu has a negative owned", i);
                break;
            }
            sf += (uint64_t)f + (uint64_t)o;
            sv += (uint64_t)v + (uint64_t)o;
        }
        if (!p && sf != fsz)
            p = problem(label, args, path, "rows add up to %llu file bytes, not %llu",
                        (unsigned long long)sf, (unsigned long long)fsz);
        else if (!p && sv != (uint64_t)jv)
            p = problem(label, args, path, "rows add up to %llu VM bytes, not vm_size %lld",
                        (unsigned long long)sv, (long long)jv);
    }
    json_decref(j);
    return p;
}

typedef struct View {
    const char *view, *args;
} View;

static const View VIEWS[] = {
    {"symbols", "symbols -n 0 --format json"},
    {"crates", "crates -n 0 --format json"},
    {"sections", "sections -n 0 --format json"},
    {"segments", "segments -n 0 --format json"},
    {"summary", "summary --format json"},
};
#define NVIEWS (sizeof VIEWS / sizeof VIEWS[0])

/* Runs one view on path. must_reject: it must be a proper rejection; else
 * status 0 with exact accounting, or a proper rejection. Returns the problem
 * (and keeps a copy of the input), or NULL; *status gets the exit status. */
static char *check_view(const char *path, const char *label, const View *v, bool must_reject,
                        int *status)
{
    HRun h = heft_on(RUN_TIMEOUT, path, v->args);
    char *p = survived(&h, path, label, v->args);
    if (!p && (must_reject || h.r.status == 2))
        p = rejected_properly(&h, path, label, v->args);
    else if (!p)
        p = accounted(&h, path, label, v->view, v->args);
    if (status)
        *status = h.r.status;
    run_free(&h.r);
    if (p)
        cr_log_error("%s\n  (input kept as %s)", p, keep(path, label));
    return p;
}

/* Problems gathered over many runs, reported by one assertion. */
typedef struct Problems {
    unsigned n;
    char *text; /* the first few */
} Problems;

static void add_problem(Problems *ps, char *p)
{
    if (!p)
        return;
    if (ps->n++ < 8) {
        char *t;
        cr_assert(asprintf(&t, "%s%s\n", ps->text ? ps->text : "", p) >= 0);
        free(ps->text);
        ps->text = t;
    }
    free(p);
}

static void assert_no_problems(const Problems *ps, const char *what)
{
    cr_assert_eq(ps->n, 0, "%s: %u problem(s); the first ones:\n%s", what, ps->n,
                 ps->text ? ps->text : "");
}

/* Every view must reject path properly. */
static void expect_rejected(const char *path, const char *label)
{
    Problems ps = {0};
    for (size_t v = 0; v < NVIEWS; v++)
        add_problem(&ps, check_view(path, label, &VIEWS[v], true, NULL));
    assert_no_problems(&ps, label);
}

/* Writes a file and expects every view to reject it. */
static void reject_new_file(const char *label, const char *name, const void *data, size_t len)
{
    char *p = write_file(name, data, len);
    expect_rejected(p, label);
    free(p);
}

/* Every view: status 0 with exact accounting, or a proper rejection. */
static void expect_sane(const char *path, const char *label)
{
    Problems ps = {0};
    unsigned accepted = 0;
    for (size_t v = 0; v < NVIEWS; v++) {
        int st;
        add_problem(&ps, check_view(path, label, &VIEWS[v], false, &st));
        if (st == 0)
            accepted |= 1u << v;
    }
    cr_log_info("[%s] %s", label,
                accepted == 0 ? "rejected by every view"
                : accepted == (1u << NVIEWS) - 1 ? "accepted by every view"
                                                 : "accepted by some views only");
    assert_no_problems(&ps, label);
}

/* Patching ELF files. The accessors read the (possibly already patched)
 * buffer, so mutators look things up before they break the headers. */

static E64Ehdr *EH(unsigned char *b) { return (E64Ehdr *)b; }
static E64Shdr *SH(unsigned char *b, unsigned i)
{
    return (E64Shdr *)(b + EH(b)->e_shoff + (size_t)i * sizeof(E64Shdr));
}
static E64Phdr *PH(unsigned char *b, unsigned i)
{
    return (E64Phdr *)(b + EH(b)->e_phoff + (size_t)i * sizeof(E64Phdr));
}

static unsigned sec_named(unsigned char *b, const char *name)
{
    E64Shdr *strs = SH(b, EH(b)->e_shstrndx);
    for (unsigned i = 0; i < EH(b)->e_shnum; i++)
        if (strcmp((char *)b + strs->sh_offset + SH(b, i)->sh_name, name) == 0)
            return i;
    cr_assert_fail("no section %s in the base binary", name);
    return 0;
}

static unsigned sec_typed(unsigned char *b, uint32_t type)
{
    for (unsigned i = 0; i < EH(b)->e_shnum; i++)
        if (SH(b, i)->sh_type == type)
            return i;
    cr_assert_fail("no section of type %u in the base binary", type);
    return 0;
}

static unsigned load_seg(unsigned char *b, unsigned nth)
{
    for (unsigned i = 0; i < EH(b)->e_phnum; i++)
        if (PH(b, i)->p_type == PT_LOAD_ && nth-- == 0)
            return i;
    cr_assert_fail("no PT_LOAD #%u in the base binary", nth);
    return 0;
}

/* Symbol table of the given type (SHT_SYMTAB or SHT_DYNSYM). */
static E64Sym *syms(unsigned char *b, uint32_t type, size_t *n)
{
    E64Shdr *s = SH(b, sec_typed(b, type));
    *n = s->sh_size / sizeof(E64Sym);
    return (E64Sym *)(b + s->sh_offset);
}

static E64Sym *sym_named(unsigned char *b, const char *name)
{
    unsigned si = sec_typed(b, SHT_SYMTAB_);
    const char *str = (char *)b + SH(b, SH(b, si)->sh_link)->sh_offset;
    size_t n;
    E64Sym *s = syms(b, SHT_SYMTAB_, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(str + s[i].st_name, name) == 0)
            return &s[i];
    cr_assert_fail("no symbol %s in the base binary", name);
    return NULL;
}

typedef void (*Mutator)(unsigned char *b, size_t len);

static char *mutate(const char *base, const char *label, Mutator m)
{
    size_t len;
    unsigned char *b = load(base, &len);
    m(b, len);
    char *p = write_file(label, b, len);
    free(b);
    return p;
}

/* A corruption case: the patched copy of BASE must be accepted with exact
 * accounting or rejected properly, by every view. */
#define CORRUPT(base, name, ...)                                               \
    static void mut_##name(unsigned char *b, size_t len)                      \
    {                                                                          \
        (void)b;                                                               \
        (void)len;                                                             \
        __VA_ARGS__                                                            \
    }                                                                          \
    Test(badinput, name)                                                       \
    {                                                                          \
        char *path = mutate(base(), #name, mut_##name);                        \
        expect_sane(path, #name);                                              \
        free(path);                                                            \
    }

/* ------------------------------------------------------------------------ */
/* Not ELF at all, or too short to be: must be rejected. */

Test(badinput, empty_file)
{
    reject_new_file("empty_file", "empty", "", 0);
}

Test(badinput, text_file)
{
    const char text[] = "#!/bin/sh\necho this is a shell script, not an ELF file\n";
    reject_new_file("text_file", "text", text, sizeof text - 1);
}

Test(badinput, three_bytes_of_magic)
{
    reject_new_file("three_bytes_of_magic", "elf3", "\x7f" "EL", 3);
}

Test(badinput, magic_only)
{
    reject_new_file("magic_only", "elf4", "\x7f" "ELF", 4);
}

Test(badinput, magic_then_garbage)
{
    char buf[512];
    const char junk[] = "this is not an ELF file, only its magic number is. ";
    memcpy(buf, "\x7f" "ELF", 4);
    for (size_t i = 4; i < sizeof buf; i++)
        buf[i] = junk[i % (sizeof junk - 1)];
    reject_new_file("magic_then_garbage", "elf-garbage", buf, sizeof buf);
}

/* A plausible ELF64 identification followed by 0xff: every offset and count
 * is huge. */
Test(badinput, elf64_ident_then_ff)
{
    unsigned char buf[256];
    memset(buf, 0xff, sizeof buf);
    memcpy(buf, "\x7f" "ELF\x02\x01\x01", 7);
    memset(buf + 7, 0, 9);
    reject_new_file("elf64_ident_then_ff", "elf64-ff", buf, sizeof buf);
}

Test(badinput, elf32_ident_then_ff)
{
    unsigned char buf[256];
    memset(buf, 0xff, sizeof buf);
    memcpy(buf, "\x7f" "ELF\x01\x01\x01", 7);
    memset(buf + 7, 0, 9);
    reject_new_file("elf32_ident_then_ff", "elf32-ff", buf, sizeof buf);
}

/* ------------------------------------------------------------------------ */
/* Truncated copies: the section header table is at the end of what cc makes,
 * so every prefix is missing it (or more) and must be rejected. */

static void truncations(const char *base, const char *tag, const size_t *cuts, size_t ncuts)
{
    size_t len;
    unsigned char *b = load(base, &len);
    Problems ps = {0};
    for (size_t i = 0; i < ncuts; i++) {
        size_t cut = cuts[i] == (size_t)-1 ? len - 1 : cuts[i] == (size_t)-2 ? len / 2 : cuts[i];
        if (cut >= len)
            continue;
        char label[128];
        snprintf(label, sizeof label, "%s-truncated-%zu-of-%zu", tag, cut, len);
        char *p = write_file(label, b, cut);
        for (size_t v = 0; v < NVIEWS; v++)
            add_problem(&ps, check_view(p, label, &VIEWS[v], true, NULL));
        free(p);
    }
    free(b);
    assert_no_problems(&ps, "truncated copies must be rejected");
}

Test(badinput, truncated_exe)
{
    size_t len;
    unsigned char *b = load(base_exe(), &len);
    E64Ehdr *eh = EH(b);
    /* The premise: the section header table ends the file. */
    cr_assert_eq(eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize, len,
                 "base binary does not end with its section header table");
    const size_t cuts[] = {
        1, 16, 52, 63, 64, 100, 1000,
        (size_t)(eh->e_phoff + (uint64_t)eh->e_phnum * eh->e_phentsize), /* just the headers */
        (size_t)-2,                                                       /* half */
        (size_t)eh->e_shoff,                                              /* no section headers */
        (size_t)eh->e_shoff + 100,                                        /* some of them */
        (size_t)-1,                                                       /* size - 1 */
    };
    free(b);
    truncations(base_exe(), "exe", cuts, sizeof cuts / sizeof cuts[0]);
}

Test(badinput, truncated_object)
{
    size_t len;
    unsigned char *b = load(base_obj(), &len);
    E64Ehdr *eh = EH(b);
    cr_assert_eq(eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize, len,
                 "object does not end with its section header table");
    const size_t cuts[] = {16, 64, 200, (size_t)-2, (size_t)eh->e_shoff, (size_t)-1};
    free(b);
    truncations(base_obj(), "obj", cuts, sizeof cuts / sizeof cuts[0]);
}

Test(badinput, truncated_arm32)
{
    const char *arm = base_arm();
    size_t len;
    unsigned char *b = load(arm, &len);
    E32Ehdr *eh = (E32Ehdr *)b;
    cr_assert_eq(eh->e_ident[4], 1, "not ELFCLASS32");
    cr_assert_eq(eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize, len,
                 "ARM binary does not end with its section header table");
    const size_t cuts[] = {16, 40, 52, 100, (size_t)-2, eh->e_shoff, (size_t)-1};
    free(b);
    truncations(arm, "arm32", cuts, sizeof cuts / sizeof cuts[0]);
}

/* ------------------------------------------------------------------------ */
/* ELF header corruption. */

CORRUPT(base_exe, ehdr_shoff_past_eof, EH(b)->e_shoff = len + 4096;)
CORRUPT(base_exe, ehdr_shoff_overflows, EH(b)->e_shoff = UINT64_MAX - 64;)
CORRUPT(base_exe, ehdr_shoff_misaligned, EH(b)->e_shoff -= 3;)
CORRUPT(base_exe, ehdr_shnum_ffff, EH(b)->e_shnum = 0xffff;)
CORRUPT(base_exe, ehdr_shentsize_40, EH(b)->e_shentsize = 40;)
CORRUPT(base_exe, ehdr_shentsize_0, EH(b)->e_shentsize = 0;)
CORRUPT(base_exe, ehdr_shentsize_huge, EH(b)->e_shentsize = 0xffff;)
CORRUPT(base_exe, ehdr_phoff_past_eof, EH(b)->e_phoff = len + 4096;)
CORRUPT(base_exe, ehdr_phoff_overflows, EH(b)->e_phoff = UINT64_MAX - 8;)
CORRUPT(base_exe, ehdr_phnum_ffff, EH(b)->e_phnum = 0xffff;)
CORRUPT(base_exe, ehdr_phentsize_32, EH(b)->e_phentsize = 32;)
CORRUPT(base_exe, ehdr_phentsize_0, EH(b)->e_phentsize = 0;)
CORRUPT(base_exe, ehdr_shstrndx_out_of_range, EH(b)->e_shstrndx = EH(b)->e_shnum + 3;)
CORRUPT(base_exe, ehdr_shstrndx_is_text, EH(b)->e_shstrndx = (uint16_t)sec_named(b, ".text");)
CORRUPT(base_exe, ehdr_shstrndx_is_nobits, EH(b)->e_shstrndx = (uint16_t)sec_named(b, ".bss");)
CORRUPT(base_exe, ehdr_shstrndx_zero, EH(b)->e_shstrndx = 0;)
/* Extended numbering (e_shnum = 0: the count is in section 0's sh_size;
 * e_shstrndx = SHN_XINDEX: the index is in its sh_link) with absurd values. */
CORRUPT(base_exe, ehdr_xindex_shnum_huge, SH(b, 0)->sh_size = 0xffffffffu; EH(b)->e_shnum = 0;)
CORRUPT(base_exe, ehdr_xindex_shnum_u64, SH(b, 0)->sh_size = UINT64_MAX; EH(b)->e_shnum = 0;)
CORRUPT(base_exe, ehdr_xindex_shstrndx_bad,
        SH(b, 0)->sh_link = 0xfffffff0u; EH(b)->e_shstrndx = SHN_XINDEX_;)
CORRUPT(base_exe, ehdr_xindex_phnum_huge,
        SH(b, 0)->sh_info = 0xfffffff0u; EH(b)->e_phnum = 0xffff;)
CORRUPT(base_exe, ehdr_class_invalid, EH(b)->e_ident[4] = 7;)
CORRUPT(base_exe, ehdr_data_invalid, EH(b)->e_ident[5] = 9;)
CORRUPT(base_exe, ehdr_says_big_endian, EH(b)->e_ident[5] = 2;)
CORRUPT(base_exe, ehdr_says_32_bit, EH(b)->e_ident[4] = 1;)
CORRUPT(base_exe, ehdr_ehsize_huge, EH(b)->e_ehsize = 0xffff;)

/* ------------------------------------------------------------------------ */
/* Program header corruption. */

CORRUPT(base_exe, phdr_offset_past_eof, PH(b, load_seg(b, 1))->p_offset = len + 0x1000;)
CORRUPT(base_exe, phdr_offset_overflows, PH(b, load_seg(b, 1))->p_offset = UINT64_MAX - 0x100;)
CORRUPT(base_exe, phdr_filesz_past_eof, PH(b, load_seg(b, 1))->p_filesz = (uint64_t)len * 4;)
CORRUPT(base_exe, phdr_filesz_gt_memsz,
        E64Phdr *p = PH(b, load_seg(b, 0)); p->p_filesz = p->p_memsz + 0x100;)
CORRUPT(base_exe, phdr_memsz_huge, PH(b, load_seg(b, 1))->p_memsz = UINT64_MAX;)
CORRUPT(base_exe, phdr_memsz_2_62, PH(b, load_seg(b, 1))->p_memsz = (uint64_t)1 << 62;)
CORRUPT(base_exe, phdr_vaddr_overflows, PH(b, load_seg(b, 1))->p_vaddr = UINT64_MAX - 0x10;)
CORRUPT(base_exe, phdr_all_loads_overlap,
        for (unsigned i = 0; i < EH(b)->e_phnum; i++) if (PH(b, i)->p_type == PT_LOAD_) {
            PH(b, i)->p_vaddr = 0;
            PH(b, i)->p_offset = 0;
        })

/* ------------------------------------------------------------------------ */
/* Section header corruption. */

CORRUPT(base_exe, shdr_offset_overflows, SH(b, sec_named(b, ".text"))->sh_offset = UINT64_MAX - 0x100;)
CORRUPT(base_exe, shdr_size_overflows, SH(b, sec_named(b, ".rodata"))->sh_size = UINT64_MAX;)
CORRUPT(base_exe, shdr_past_eof, SH(b, sec_named(b, ".data"))->sh_offset = len - 8;)
CORRUPT(base_exe, shdr_size_past_eof, SH(b, sec_named(b, ".comment"))->sh_size = (uint64_t)len;)
CORRUPT(base_exe, shdr_addr_overflows, SH(b, sec_named(b, ".text"))->sh_addr = UINT64_MAX - 4;)
CORRUPT(base_exe, shdr_bss_huge, SH(b, sec_named(b, ".bss"))->sh_size = (uint64_t)1 << 62;)
CORRUPT(base_exe, shdr_bss_u64, SH(b, sec_named(b, ".bss"))->sh_size = UINT64_MAX;)
CORRUPT(base_exe, shdr_all_overlap_everything,
        for (unsigned i = 1; i < EH(b)->e_shnum; i++) if (SH(b, i)->sh_type != SHT_NOBITS_ &&
                                                          i != EH(b)->e_shstrndx) {
            SH(b, i)->sh_offset = 0;
            SH(b, i)->sh_size = len;
        })
CORRUPT(base_exe, shdr_name_out_of_strtab, SH(b, sec_named(b, ".text"))->sh_name = 0xfffffff0u;)
CORRUPT(base_exe, shdr_names_at_strtab_end,
        uint64_t end = SH(b, EH(b)->e_shstrndx)->sh_size;
        for (unsigned i = 0; i < EH(b)->e_shnum; i++) SH(b, i)->sh_name = (uint32_t)end;)
CORRUPT(base_exe, shstrtab_unterminated,
        E64Shdr *s = SH(b, EH(b)->e_shstrndx); memset(b + s->sh_offset, 'A', s->sh_size);)
CORRUPT(base_exe, shstrtab_size_zero, SH(b, EH(b)->e_shstrndx)->sh_size = 0;)
CORRUPT(base_exe, shstrtab_past_eof, SH(b, EH(b)->e_shstrndx)->sh_offset = len + 100;)
CORRUPT(base_exe, sections_all_nobits_huge,
        for (unsigned i = 1; i < EH(b)->e_shnum; i++) {
            SH(b, i)->sh_type = SHT_NOBITS_;
            SH(b, i)->sh_size = UINT64_MAX / 2;
        })

/* ------------------------------------------------------------------------ */
/* Symbol table corruption. */

CORRUPT(base_exe, symtab_link_not_strtab,
        SH(b, sec_typed(b, SHT_SYMTAB_))->sh_link = sec_named(b, ".text");)
CORRUPT(base_exe, symtab_link_to_nobits,
        SH(b, sec_typed(b, SHT_SYMTAB_))->sh_link = sec_named(b, ".bss");)
CORRUPT(base_exe, symtab_link_out_of_range, SH(b, sec_typed(b, SHT_SYMTAB_))->sh_link = 0xfff0;)
CORRUPT(base_exe, symtab_link_to_itself,
        unsigned i = sec_typed(b, SHT_SYMTAB_); SH(b, i)->sh_link = i;)
CORRUPT(base_exe, symtab_entsize_0, SH(b, sec_typed(b, SHT_SYMTAB_))->sh_entsize = 0;)
CORRUPT(base_exe, symtab_entsize_7, SH(b, sec_typed(b, SHT_SYMTAB_))->sh_entsize = 7;)
CORRUPT(base_exe, symtab_entsize_huge, SH(b, sec_typed(b, SHT_SYMTAB_))->sh_entsize = UINT64_MAX;)
CORRUPT(base_exe, symtab_size_ragged, SH(b, sec_typed(b, SHT_SYMTAB_))->sh_size -= 5;)
CORRUPT(base_exe, symtab_size_overflows, SH(b, sec_typed(b, SHT_SYMTAB_))->sh_size = UINT64_MAX - 23;)
CORRUPT(base_exe, symtab_covers_whole_file,
        E64Shdr *s = SH(b, sec_typed(b, SHT_SYMTAB_));
        s->sh_offset = 0; s->sh_size = len / sizeof(E64Sym) * sizeof(E64Sym);)
CORRUPT(base_exe, symtab_info_huge, SH(b, sec_typed(b, SHT_SYMTAB_))->sh_info = 0xffffffffu;)
CORRUPT(base_exe, strtab_unterminated,
        E64Shdr *s = SH(b, SH(b, sec_typed(b, SHT_SYMTAB_))->sh_link);
        memset(b + s->sh_offset, 'x', s->sh_size);)
CORRUPT(base_exe, strtab_size_zero, SH(b, SH(b, sec_typed(b, SHT_SYMTAB_))->sh_link)->sh_size = 0;)
CORRUPT(base_exe, two_symtabs,
        unsigned si = sec_typed(b, SHT_SYMTAB_);
        SH(b, sec_named(b, ".comment"))[0] = SH(b, si)[0];)

/* A symbol in no real section, far away and enormous: may be accepted (as
 * long as everything is still accounted for exactly). */
CORRUPT(base_exe, sym_shndx_out_of_range_huge,
        E64Sym *s = sym_named(b, "exported");
        s->st_shndx = 0x7fff; s->st_value = UINT64_MAX - 16; s->st_size = UINT64_MAX / 2;)
CORRUPT(base_exe, sym_all_shndx_out_of_range,
        size_t n; E64Sym *s = syms(b, SHT_SYMTAB_, &n);
        for (size_t i = 1; i < n; i++) s[i].st_shndx = (uint16_t)(0xfe00 - i);)
CORRUPT(base_exe, sym_shndx_xindex_without_table,
        sym_named(b, "exported")->st_shndx = SHN_XINDEX_;)
CORRUPT(base_exe, sym_size_u64_max, sym_named(b, "exported")->st_size = UINT64_MAX;)
CORRUPT(base_exe, sym_value_wraps,
        E64Sym *s = sym_named(b, "main"); s->st_value = UINT64_MAX - 1; s->st_size = 64;)
CORRUPT(base_exe, sym_covers_all_text,
        E64Sym *s = sym_named(b, "exported"); E64Shdr *t = SH(b, sec_named(b, ".text"));
        s->st_value = t->sh_addr - 0x1000; s->st_size = t->sh_size + 0x100000;)
CORRUPT(base_exe, sym_in_nobits_huge,
        E64Sym *s = sym_named(b, "counter"); s->st_shndx = (uint16_t)sec_named(b, ".bss");
        s->st_size = (uint64_t)1 << 62;)
CORRUPT(base_exe, sym_all_same_range,
        size_t n; E64Sym *s = syms(b, SHT_SYMTAB_, &n); E64Sym *m = sym_named(b, "main");
        for (size_t i = 1; i < n; i++) {
            s[i].st_value = m->st_value; s[i].st_size = m->st_size; s[i].st_shndx = m->st_shndx;
            s[i].st_info = (unsigned char)((1u << 4) | STT_FUNC_);
        })
CORRUPT(base_exe, sym_name_past_strtab, sym_named(b, "exported")->st_name = 0xfffffff0u;)
CORRUPT(base_exe, sym_names_at_strtab_end,
        unsigned si = sec_typed(b, SHT_SYMTAB_);
        uint64_t end = SH(b, SH(b, si)->sh_link)->sh_size; size_t n; E64Sym *s = syms(b, SHT_SYMTAB_, &n);
        for (size_t i = 0; i < n; i++) s[i].st_name = (uint32_t)end;)
CORRUPT(base_exe, sym_types_and_binds_garbage,
        size_t n; E64Sym *s = syms(b, SHT_SYMTAB_, &n);
        for (size_t i = 0; i < n; i++) { s[i].st_info = (unsigned char)(0x9d + i * 37); s[i].st_other = 0xff; })

/* Stripped: only .dynsym. */
CORRUPT(base_stripped, dynsym_link_not_strtab,
        SH(b, sec_typed(b, SHT_DYNSYM_))->sh_link = sec_named(b, ".text");)
CORRUPT(base_stripped, dynsym_link_out_of_range, SH(b, sec_typed(b, SHT_DYNSYM_))->sh_link = 0x7fff;)
CORRUPT(base_stripped, dynsym_entsize_0, SH(b, sec_typed(b, SHT_DYNSYM_))->sh_entsize = 0;)
CORRUPT(base_stripped, dynsym_size_overflows, SH(b, sec_typed(b, SHT_DYNSYM_))->sh_size = UINT64_MAX - 7;)
CORRUPT(base_stripped, dynstr_unterminated,
        E64Shdr *s = SH(b, SH(b, sec_typed(b, SHT_DYNSYM_))->sh_link);
        memset(b + s->sh_offset, 'y', s->sh_size);)
CORRUPT(base_stripped, dynsym_names_past_dynstr,
        size_t n; E64Sym *s = syms(b, SHT_DYNSYM_, &n);
        for (size_t i = 0; i < n; i++) s[i].st_name = 0x7ffffff0u + (uint32_t)i;)

/* Relocatable object: sections have no addresses of their own. */
CORRUPT(base_obj, obj_shoff_past_eof, EH(b)->e_shoff = len;)
CORRUPT(base_obj, obj_text_past_eof, SH(b, sec_named(b, ".text"))->sh_offset = len + 1;)
CORRUPT(base_obj, obj_text_size_huge, SH(b, sec_named(b, ".text"))->sh_size = UINT64_MAX / 3;)
CORRUPT(base_obj, obj_bss_u64, SH(b, sec_named(b, ".bss"))->sh_size = UINT64_MAX;)
CORRUPT(base_obj, obj_all_alloc_sections_huge,
        for (unsigned i = 1; i < EH(b)->e_shnum; i++) if (SH(b, i)->sh_flags & 2u)
            SH(b, i)->sh_size = (uint64_t)1 << 61;)
CORRUPT(base_obj, obj_sym_shndx_out_of_range,
        E64Sym *s = sym_named(b, "exported"); s->st_shndx = 0x7fff; s->st_size = UINT64_MAX;)
CORRUPT(base_obj, obj_sym_value_past_section,
        E64Sym *s = sym_named(b, "exported"); s->st_value = UINT64_MAX - 8; s->st_size = 100;)
CORRUPT(base_obj, obj_symtab_entsize_0, SH(b, sec_typed(b, SHT_SYMTAB_))->sh_entsize = 0;)

/* 32-bit ARM. */
static E32Shdr *SH32(unsigned char *b, unsigned i)
{
    E32Ehdr *eh = (E32Ehdr *)b;
    return (E32Shdr *)(b + eh->e_shoff + (size_t)i * sizeof(E32Shdr));
}
static unsigned sec32_typed(unsigned char *b, uint32_t type)
{
    for (unsigned i = 0; i < ((E32Ehdr *)b)->e_shnum; i++)
        if (SH32(b, i)->sh_type == type)
            return i;
    cr_assert_fail("no section of type %u in the ARM binary", type);
    return 0;
}
CORRUPT(base_arm, arm32_shoff_past_eof, ((E32Ehdr *)b)->e_shoff = (uint32_t)len + 100;)
CORRUPT(base_arm, arm32_shoff_wraps, ((E32Ehdr *)b)->e_shoff = 0xfffffff0u;)
CORRUPT(base_arm, arm32_shnum_ffff, ((E32Ehdr *)b)->e_shnum = 0xffff;)
CORRUPT(base_arm, arm32_phnum_ffff, ((E32Ehdr *)b)->e_phnum = 0xffff;)
CORRUPT(base_arm, arm32_shentsize_64, ((E32Ehdr *)b)->e_shentsize = 64;)
CORRUPT(base_arm, arm32_says_64_bit, ((E32Ehdr *)b)->e_ident[4] = 2;)
CORRUPT(base_arm, arm32_section_wraps,
        E32Shdr *s = SH32(b, sec32_typed(b, SHT_STRTAB_)); s->sh_offset = 0xffffff00u; s->sh_size = 0x1000;)
CORRUPT(base_arm, arm32_symtab_entsize_0, SH32(b, sec32_typed(b, SHT_SYMTAB_))->sh_entsize = 0;)
CORRUPT(base_arm, arm32_sym_wraps,
        E32Shdr *st = SH32(b, sec32_typed(b, SHT_SYMTAB_)); E32Sym *s = (E32Sym *)(b + st->sh_offset);
        for (uint32_t i = 1; i < st->sh_size / sizeof(E32Sym); i++) {
            s[i].st_value = 0xfffffff0u; s[i].st_size = 0xffffffffu; s[i].st_name = 0xfffffff0u;
        })

/* ------------------------------------------------------------------------ */
/* Not regular files, missing files, unreadable files. */

Test(badinput, directory)
{
    char *d = path_in_dir("a-directory");
    cr_assert(mkdir(d, 0755) == 0);
    expect_rejected(d, "directory");
    free(d);
}

Test(badinput, nonexistent)
{
    char *p = path_in_dir("does-not-exist");
    expect_rejected(p, "nonexistent");
    free(p);
}

/* A file heft may not read. Root reads any file, so there heft runs as
 * nobody (setpriv, util-linux), for whom the permission applies. */
Test(badinput, unreadable)
{
    size_t len;
    unsigned char *b = load(base_exe(), &len);
    char *p = write_file("unreadable", b, len);
    free(b);
    cr_assert(chmod(p, 0) == 0, "chmod: %s", strerror(errno));
    if (geteuid() != 0) {
        expect_rejected(p, "unreadable");
    } else {
        cr_assert(chmod(g_dir, 0711) == 0, "chmod: %s", strerror(errno)); /* nobody may pass through */
        Run r = run_cmd("setpriv --reuid=65534 --regid=65534 --clear-groups '%s' symbols '%s'", heft_bin(), p);
        char want[4200];
        snprintf(want, sizeof want, "heft: %s: Permission denied\n", p);
        cr_assert_eq(r.status, 2, "status %d: %s", r.status, r.err);
        cr_assert_str_eq(r.err, want);
        cr_assert_eq(r.out_len, 0);
        run_free(&r);
    }
    free(p);
}

/* One quick run (under `timeout T`) that must be a proper rejection. */
static void expect_rejected_within(int timeout_s, const char *path, const char *label)
{
    const char *args = "symbols --format json";
    HRun h = heft_on(timeout_s, path, args);
    char *p = survived(&h, path, label, args);
    if (!p)
        p = rejected_properly(&h, path, label, args);
    cr_assert(!p, "%s", p);
    run_free(&h.r);
}

/* Opening a FIFO for reading blocks until a writer comes: heft must look
 * before it opens (or not block), and reject it. */
Test(badinput, fifo_rejected_quickly)
{
    char *p = path_in_dir("fifo");
    cr_assert(mkfifo(p, 0644) == 0, "mkfifo: %s", strerror(errno));
    expect_rejected_within(5, p, "fifo");
    free(p);
}

Test(badinput, dev_null)
{
    expect_rejected_within(5, "/dev/null", "dev_null");
}

/* Endless: reading it to the end would never finish. */
Test(badinput, dev_zero)
{
    expect_rejected_within(5, "/dev/zero", "dev_zero");
}

/* ------------------------------------------------------------------------ */
/* Usage errors: status 2, a message, nothing on stdout. */

/* args: printf format for heft's arguments, with %s for a good binary. */
static void expect_usage_error(const char *fmt)
{
    char *args;
    cr_assert(asprintf(&args, fmt, base_exe()) >= 0);
    Run r = run_cmd("timeout %d '%s' %s", RUN_TIMEOUT, heft_bin(), args);
    cr_assert_eq(r.status, 2, "`heft %s`: expected status 2, got %s\nstderr: %s", args,
                 status_str(r.status), r.err);
    cr_assert(r.err_len > 0, "`heft %s`: no message on stderr", args);
    cr_assert_eq(r.out_len, 0, "`heft %s`: usage error but stdout has: %.300s", args, r.out);
    run_free(&r);
    free(args);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
Test(badinput, usage_no_file) { expect_usage_error(""); }
Test(badinput, usage_bad_format) { expect_usage_error("--format xml '%s'"); }
Test(badinput, usage_n_not_a_number) { expect_usage_error("-n abc '%s'"); }
Test(badinput, usage_n_negative) { expect_usage_error("-n -1 '%s'"); }
Test(badinput, usage_n_out_of_range) { expect_usage_error("-n 99999999999999999999999 '%s'"); }
Test(badinput, usage_n_without_value) { expect_usage_error("'%s' -n"); }
Test(badinput, usage_unknown_option) { expect_usage_error("--no-such-option '%s'"); }
Test(badinput, usage_unknown_view) { expect_usage_error("no-such-view '%s'"); }
#pragma GCC diagnostic pop

/* ------------------------------------------------------------------------ */
/* Bit flips: copies of a binary with a few bytes changed, from a fixed seed
 * per copy (copy i of a base always gets the same flips). Half the flips land
 * in the headers and metadata (ELF header, program headers, section header
 * table, symbol and string tables), where they matter, the rest anywhere. */

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

typedef struct Range {
    uint64_t off, len;
} Range;

/* The metadata ranges of a (well-formed) little-endian ELF file. */
static size_t meta_ranges(const unsigned char *b, size_t len, Range *out, size_t max)
{
    size_t n = 0;
    if (b[4] == 2) {
        const E64Ehdr *eh = (const E64Ehdr *)b;
        out[n++] = (Range){0, 64 + (uint64_t)eh->e_phnum * eh->e_phentsize};
        out[n++] = (Range){eh->e_shoff, (uint64_t)eh->e_shnum * eh->e_shentsize};
        for (unsigned i = 0; i < eh->e_shnum && n < max; i++) {
            const E64Shdr *s = (const E64Shdr *)(b + eh->e_shoff + (size_t)i * sizeof *s);
            if (s->sh_type == SHT_SYMTAB_ || s->sh_type == SHT_DYNSYM_ || s->sh_type == SHT_STRTAB_)
                out[n++] = (Range){s->sh_offset, s->sh_size};
        }
    } else {
        const E32Ehdr *eh = (const E32Ehdr *)b;
        out[n++] = (Range){0, 52 + (uint64_t)eh->e_phnum * eh->e_phentsize};
        out[n++] = (Range){eh->e_shoff, (uint64_t)eh->e_shnum * eh->e_shentsize};
        for (unsigned i = 0; i < eh->e_shnum && n < max; i++) {
            const E32Shdr *s = (const E32Shdr *)(b + eh->e_shoff + (size_t)i * sizeof *s);
            if (s->sh_type == SHT_SYMTAB_ || s->sh_type == SHT_DYNSYM_ || s->sh_type == SHT_STRTAB_)
                out[n++] = (Range){s->sh_offset, s->sh_size};
        }
    }
    for (size_t i = 0; i < n; i++)
        cr_assert(out[i].len > 0 && out[i].off + out[i].len <= len, "bad base binary");
    return n;
}

static void bitflips(const char *base, const char *tag, uint64_t seed0, unsigned first,
                     unsigned count)
{
    size_t len;
    unsigned char *orig = load(base, &len);
    unsigned char *b = malloc(len);
    Range meta[64];
    size_t nmeta = meta_ranges(orig, len, meta, 64);
    unsigned rejected = 0;
    Problems ps = {0};
    for (unsigned c = first; c < first + count; c++) {
        uint64_t s = seed0 + c;
        memcpy(b, orig, len);
        unsigned flips = 1 + (unsigned)(splitmix(&s) % 4);
        for (unsigned k = 0; k < flips; k++) {
            uint64_t r = splitmix(&s);
            size_t at;
            if (r & 1) {
                const Range *m = &meta[(r >> 1) % nmeta];
                at = (size_t)(m->off + (r >> 16) % m->len);
            } else {
                at = (size_t)((r >> 1) % len);
            }
            uint64_t r2 = splitmix(&s);
            unsigned char mask = (r2 & 1) ? (unsigned char)(1u << ((r2 >> 1) % 8))
                                          : (unsigned char)((r2 >> 8) % 255 + 1);
            b[at] ^= mask;
        }
        char label[96];
        snprintf(label, sizeof label, "bitflip-%s-%u", tag, c);
        char *p = write_file(label, b, len);
        const View *v = (c % 2 == 0) ? &VIEWS[0] : &VIEWS[1 + (c / 2) % (NVIEWS - 1)];
        int st;
        char *prob = check_view(p, label, v, false, &st);
        if (st == 2)
            rejected++;
        add_problem(&ps, prob);
        unlink(p);
        free(p);
    }
    cr_log_info("bitflip %s %u..%u: %u rejected, %u accepted, %u bad", tag, first,
                first + count - 1, rejected, count - rejected, ps.n);
    free(b);
    free(orig);
    assert_no_problems(&ps, "bit-flipped copies");
}

#define BITFLIP_SEED 0x68656674u /* "heft" */

Test(badinput, bitflip_exe_0_99) { bitflips(base_exe(), "exe", BITFLIP_SEED, 0, 100); }
Test(badinput, bitflip_exe_100_199) { bitflips(base_exe(), "exe", BITFLIP_SEED, 100, 100); }
Test(badinput, bitflip_exe_200_299) { bitflips(base_exe(), "exe", BITFLIP_SEED, 200, 100); }
Test(badinput, bitflip_obj_0_59) { bitflips(base_obj(), "obj", BITFLIP_SEED ^ 1, 0, 60); }
Test(badinput, bitflip_arm32_0_59) { bitflips(base_arm(), "arm32", BITFLIP_SEED ^ 2, 0, 60); }

/* ------------------------------------------------------------------------ */
/* ar archives: a copy of `ar rcs` of the object and a long-named copy of it
 * (so the archive has a symbol index, a "//" long-name table and two ELF
 * members), with headers, sizes and names corrupted. Each must be rejected
 * properly or accounted exactly by every view, members included. */

TestSuite(archive_badinput, .init = setup, .fini = teardown);

static const View MEMBERS_VIEW = {"members", "members -n 0 --format json"};

static const char *base_archive(void)
{
    static char *p;
    if (!p) {
        p = path_in_dir("base.a");
        char *longname = path_in_dir("a_rather_long_member_name.o");
        Run r = run_cmd("cp '%s' '%s' && ar rcs '%s' '%s' '%s'", base_obj(), longname, p, base_obj(), longname);
        cr_assert_eq(r.status, 0, "ar failed: %s", r.err);
        run_free(&r);
        free(longname);
    }
    return p;
}

/* Offset of the k-th member header of an archive (as ar made it), or 0. */
static size_t ar_header(const unsigned char *b, size_t len, unsigned k)
{
    size_t pos = 8;
    while (pos + 60 <= len) {
        if (k-- == 0)
            return pos;
        size_t size = (size_t)strtoull((const char *)b + pos + 48, NULL, 10);
        pos += 60 + size + (size & 1);
    }
    cr_assert_fail("archive has no member header #%u", k);
    return 0;
}

static void ar_field(unsigned char *b, size_t off, size_t width, const char *text)
{
    memset(b + off, ' ', width);
    memcpy(b + off, text, strlen(text));
}

static void ar_check(const char *path, const char *label, bool must_reject)
{
    Problems ps = {0};
    for (size_t v = 0; v < NVIEWS; v++)
        add_problem(&ps, check_view(path, label, &VIEWS[v], must_reject, NULL));
    add_problem(&ps, check_view(path, label, &MEMBERS_VIEW, must_reject, NULL));
    assert_no_problems(&ps, label);
}

/* An archive case: the patched copy must be rejected (or, with must_reject
 * false, accounted exactly) by every view. */
#define AR_CASE(name, must_reject, ...)                                        \
    static void armut_##name(unsigned char *b, size_t len)                    \
    {                                                                          \
        (void)b;                                                               \
        (void)len;                                                             \
        __VA_ARGS__                                                            \
    }                                                                          \
    Test(archive_badinput, name)                                               \
    {                                                                          \
        char *path = mutate(base_archive(), #name, armut_##name);              \
        ar_check(path, #name, must_reject);                                    \
        free(path);                                                            \
    }

/* Header 0 is the symbol index, 1 the long-name table, 2 and 3 the objects. */
AR_CASE(ar_sane_copy, false, )
AR_CASE(ar_size_not_a_number, true, ar_field(b, ar_header(b, len, 2) + 48, 10, "12x4");)
AR_CASE(ar_size_negative, true, ar_field(b, ar_header(b, len, 2) + 48, 10, "-1");)
AR_CASE(ar_size_past_eof, true, ar_field(b, ar_header(b, len, 3) + 48, 10, "9999999999");)
AR_CASE(ar_size_empty, true, ar_field(b, ar_header(b, len, 0) + 48, 10, "");)
AR_CASE(ar_member_shorter, true, {
    size_t h = ar_header(b, len, 2);
    char size[16];
    snprintf(size, sizeof size, "%llu", strtoull((const char *)b + h + 48, NULL, 10) - 100);
    ar_field(b, h + 48, 10, size);
})
AR_CASE(ar_bad_terminator, true, b[ar_header(b, len, 3) + 58] = 'x';)
AR_CASE(ar_long_name_outside_table, true, ar_field(b, ar_header(b, len, 3), 16, "/99999");)
AR_CASE(ar_long_name_at_table_end, true, {
    char name[32];
    snprintf(name, sizeof name, "/%llu", strtoull((const char *)b + ar_header(b, len, 1) + 48, NULL, 10));
    ar_field(b, ar_header(b, len, 3), 16, name);
})
AR_CASE(ar_long_name_before_table, true, ar_field(b, ar_header(b, len, 0), 16, "/0");)
AR_CASE(ar_long_name_unterminated, true, {
    size_t h = ar_header(b, len, 1);
    size_t n = (size_t)strtoull((const char *)b + h + 48, NULL, 10);
    memset(b + h + 60, 'x', n);
})
AR_CASE(ar_member_elf_corrupt, true, {
    uint64_t shoff = 0xffffffffffull; /* members need not be aligned: memcpy */
    memcpy(b + ar_header(b, len, 2) + 60 + offsetof(E64Ehdr, e_shoff), &shoff, sizeof shoff);
})
AR_CASE(ar_member_not_elf, false, memset(b + ar_header(b, len, 3) + 60, 'z', 4);)
AR_CASE(ar_thin_magic, true, memcpy(b, "!<thin>\n", 8);)

/* Every prefix of the archive past the magic cuts a header or a member. */
Test(archive_badinput, ar_truncated)
{
    size_t len;
    unsigned char *b = load(base_archive(), &len);
    size_t h2 = ar_header(b, len, 2), h3 = ar_header(b, len, 3);
    const size_t cuts[] = {9, 30, 67, 68, 100, h2 + 30, h2 + 100, h3 - 1, h3 + 59, len - 1};
    Problems ps = {0};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        char label[64];
        snprintf(label, sizeof label, "ar-truncated-%zu-of-%zu", cuts[i], len);
        char *p = write_file(label, b, cuts[i]);
        for (size_t v = 0; v < NVIEWS; v++)
            add_problem(&ps, check_view(p, label, &VIEWS[v], true, NULL));
        add_problem(&ps, check_view(p, label, &MEMBERS_VIEW, true, NULL));
        free(p);
    }
    free(b);
    assert_no_problems(&ps, "truncated archives must be rejected");
}

/* The magic alone is an empty archive: 8 bytes, all accounted. */
Test(archive_badinput, ar_magic_only)
{
    char *p = write_file("magic.a", "!<arch>\n", 8);
    ar_check(p, "ar_magic_only", false);
    HRun h = heft_on(RUN_TIMEOUT, p, "members --format json");
    cr_assert_eq(h.r.status, 0, "%s", h.r.err);
    run_free(&h.r);
    free(p);
}

/* Many members: 20000 empty ones. Accepted, exactly, in bounded memory and
 * time. */
Test(archive_badinput, ar_many_members)
{
    size_t n = 20000, len = 8 + n * 60;
    unsigned char *b = malloc(len);
    memcpy(b, "!<arch>\n", 8);
    for (size_t i = 0; i < n; i++) {
        unsigned char *h = b + 8 + i * 60;
        memset(h, ' ', 60);
        memcpy(h, "empty.o/", 8);
        h[48] = '0';
        h[58] = '`';
        h[59] = '\n';
    }
    char *p = write_file("many.a", b, len);
    free(b);
    ar_check(p, "ar_many_members", false);
    free(p);
}

/* Bit flips in the archive's headers (half of them) and anywhere. */
Test(archive_badinput, ar_bitflips)
{
    size_t len;
    unsigned char *orig = load(base_archive(), &len);
    unsigned char *b = malloc(len);
    size_t hdr[4];
    for (unsigned k = 0; k < 4; k++)
        hdr[k] = ar_header(orig, len, k);
    Problems ps = {0};
    unsigned rejected = 0;
    for (unsigned c = 0; c < 60; c++) {
        uint64_t s = BITFLIP_SEED ^ 3 ^ ((uint64_t)c << 32);
        memcpy(b, orig, len);
        unsigned flips = 1 + (unsigned)(splitmix(&s) % 3);
        for (unsigned k = 0; k < flips; k++) {
            uint64_t r = splitmix(&s);
            size_t at = (r & 1) ? hdr[(r >> 1) % 4] + (size_t)((r >> 8) % 60) : (size_t)((r >> 1) % len);
            b[at] ^= (unsigned char)(1u << ((r >> 20) % 8));
        }
        char label[64];
        snprintf(label, sizeof label, "ar-bitflip-%u", c);
        char *p = write_file(label, b, len);
        const View *v = c % 3 == 0 ? &MEMBERS_VIEW : &VIEWS[c % NVIEWS];
        int st;
        add_problem(&ps, check_view(p, label, v, false, &st));
        rejected += st == 2;
        unlink(p);
        free(p);
    }
    cr_log_info("archive bit flips: %u of 60 rejected", rejected);
    free(b);
    free(orig);
    assert_no_problems(&ps, "bit-flipped archives");
}
