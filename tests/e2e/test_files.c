/* test_files.c — the files heft opens and the files it writes (issue 14,
 * items 7, 8 and 12):
 *   - whatever path heft reads, a FIFO there is refused at once with one line
 *     "heft: FILE: not a regular file" (exit 2), and a FIFO where heft only
 *     looks for a file (.gnu_debuglink, build-id, .dwo, dwz's alternate) is
 *     passed over as if absent;
 *   - a file that starts with the gzip magic is inflated within a bound in
 *     bytes as well as a ratio, and memory running out is an error, never an
 *     abort (checked under `ulimit -v` where the build allows it: not under
 *     AddressSanitizer, whose shadow memory needs terabytes of address space);
 *   - `heft snapshot -o OUT` interrupted by SIGINT or SIGTERM at any point
 *     leaves an existing OUT byte-identical and no temporary file behind.
 * Every heft run here goes through `timeout`: a hang is a failure, not a
 * stuck suite. */
#include "fixture_util.h"
#include "harness.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define QUICK_S 20 /* for runs that must end at once; generous for ASan on a busy machine */

static char g_dir[] = "/tmp/heft-files-XXXXXX";

static void setup(void)
{
    cr_assert(mkdtemp(g_dir));
}

static void teardown(void)
{
    Run r = run_cmd("chmod -R u+w '%s'; rm -rf '%s'", g_dir, g_dir);
    run_free(&r);
}

TestSuite(files, .init = setup, .fini = teardown, .timeout = 900);

/* g_dir/name, malloc'd. */
static char *in_dir(const char *name)
{
    char *p;
    cr_assert(asprintf(&p, "%s/%s", g_dir, name) >= 0);
    return p;
}

static void make_fifo(const char *path)
{
    cr_assert(mkfifo(path, 0644) == 0, "mkfifo %s: %s", path, strerror(errno));
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f && fputs(text, f) >= 0 && fclose(f) == 0, "cannot write %s", path);
}

/* `timeout heft ARGS` (args shell-quoted by the caller). */
static Run heft_quick(const char *args)
{
    return run_cmd("timeout -s KILL %d '%s' %s", QUICK_S, heft_bin(), args);
}

static void expect_one_line(const Run *r, const char *args, const char *want)
{
    cr_expect_eq(r->status, 2, "heft %s: status %d (137: it hung)\n  stderr: %s", args, r->status, r->err);
    cr_expect_str_eq(r->err, want, "heft %s", args);
    cr_expect_eq(r->out_len, 0, "heft %s: wrote to stdout", args);
}

/* ------------------------------------------------------------------------ */
/* A FIFO given by name: refused before any open that could block. */

Test(files, fifo_refused_by_every_reader)
{
    char *fifo = in_dir("fifo"), *budget = in_dir("budget.toml"), *out = in_dir("out.gz");
    make_fifo(fifo);
    write_text(budget, "[total]\nfile = \"10 MiB\"\n");
    const char *good = fx_need("c-sizes");
    char refused[4200], as_debug[8400];
    snprintf(refused, sizeof refused, "heft: %s: not a regular file\n", fifo);
    snprintf(as_debug, sizeof as_debug, "heft: %s: --debug-file %s: not a regular file\n", good, fifo);
    struct {
        const char *fmt, *want; /* fmt: %1$s the FIFO, %2$s an ELF file, %3$s a budget, %4$s an output */
    } cases[] = {
        {"diff '%1$s' '%2$s'", refused},
        {"diff '%2$s' '%1$s'", refused},
        {"diff --by unit --old-debug-file '%1$s' '%2$s' '%2$s'", as_debug},
        {"check '%1$s' --budget '%3$s'", refused},
        {"check '%2$s' --budget '%1$s'", refused},
        {"check '%2$s' --budget '%3$s' --baseline '%1$s'", refused},
        {"snapshot '%1$s' -o '%4$s'", refused},
        {"snapshot --debug-file '%1$s' '%2$s' -o '%4$s'", as_debug},
        {"units --debug-file '%1$s' '%2$s'", as_debug},
        {"files --debug-file '%1$s' '%2$s'", as_debug},
        {"crates --by defining --debug-file '%1$s' '%2$s'", as_debug},
        {"monos --debug-file '%1$s' '%2$s'", refused},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *args;
        cr_assert(asprintf(&args, cases[i].fmt, fifo, good, budget, out) >= 0);
        Run r = heft_quick(args);
        expect_one_line(&r, args, cases[i].want);
        run_free(&r);
        free(args);
    }
    struct stat st;
    cr_expect(stat(out, &st) != 0, "%s was written", out);
    free(fifo);
    free(budget);
    free(out);
}

/* ------------------------------------------------------------------------ */
/* A FIFO where heft only looks for a file: as if nothing were there. */

/* The first line of a command's stdout, malloc'd ("" when none). */
static char *first_line(const char *fmt, const char *arg)
{
    Run r = run_cmd(fmt, arg);
    cr_assert_eq(r.status, 0, "%s: %s", fmt, r.err);
    r.out[strcspn(r.out, "\n")] = '\0';
    char *s = strdup(r.out);
    run_free(&r);
    return s;
}

Test(files, fifo_debuglink_and_build_id_candidates_skipped)
{
    const char *bin = fx_need("dwarf-stripped"), *dbg = fx_need("dwarf-stripped.debug");
    char *dir = in_dir("dl"), *nodebug = in_dir("nodebug");
    Run r = run_cmd("mkdir -p '%s/.build-id' '%s' && cp '%s' '%s' '%s/'", dir, nodebug, bin, dbg, dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *id = first_line("readelf -n '%s' | sed -n 's/.*Build ID: *//p'", bin);
    cr_assert(strlen(id) > 4, "no build-id in %s", bin);
    char *copy, *link, *byid, *args;
    cr_assert(asprintf(&copy, "%s/dwarf-stripped", dir) >= 0);
    cr_assert(asprintf(&link, "%s/dwarf-stripped.debug", dir) >= 0);
    cr_assert(asprintf(&byid, "%s/.build-id/%.2s/%s.debug", dir, id, id + 2) >= 0);
    r = run_cmd("mkdir -p \"$(dirname '%s')\"", byid);
    run_free(&r);

    /* The .gnu_debuglink candidate beside the file is a FIFO: no debug info. */
    cr_assert(unlink(link) == 0);
    make_fifo(link);
    cr_assert(asprintf(&args, "units --debug-dir '%s' '%s'", nodebug, copy) >= 0);
    r = heft_quick(args);
    cr_expect_eq(r.status, 0, "heft %s: status %d (137: it hung): %s", args, r.status, r.err);
    char want[8400];
    snprintf(want, sizeof want,
             "heft: %s: no debug info found (no .debug_info, and no debug file by build-id or .gnu_debuglink); "
             "build with -g or debug = 1, or give --debug-file\n",
             copy);
    cr_expect_str_eq(r.err, want);
    run_free(&r);
    free(args);

    /* The build-id candidate is a FIFO, the debuglink file is real: that one. */
    cr_assert(unlink(link) == 0);
    r = run_cmd("cp '%s' '%s'", dbg, link);
    run_free(&r);
    make_fifo(byid);
    cr_assert(asprintf(&args, "units --debug-dir '%s' '%s'", dir, copy) >= 0);
    r = heft_quick(args);
    cr_expect_eq(r.status, 0, "heft %s: status %d (137: it hung): %s", args, r.status, r.err);
    snprintf(want, sizeof want, "heft: %s: note: debug info from %s\n", copy, link);
    cr_expect_str_eq(r.err, want);
    cr_expect(strstr(r.out, "dwarf/c/alpha.c"), "no units read: %s", r.out);
    run_free(&r);
    free(args);
    free(id);
    free(copy);
    free(link);
    free(byid);
    free(dir);
    free(nodebug);
}

/* The rows of a view as JSON text, for comparing two runs. */
static char *rows_of(const char *args)
{
    Run r = heft_quick(args);
    cr_assert_eq(r.status, 0, "heft %s: status %d (137: it hung): %s", args, r.status, r.err);
    json_t *j = json_loads(r.out, 0, NULL);
    cr_assert(j, "heft %s: no JSON", args);
    char *s = json_dumps(json_object_get(j, "rows"), JSON_COMPACT);
    json_decref(j);
    run_free(&r);
    return s;
}

/* libdw opens the .dwo a skeleton unit names (beside the file first); heft
 * reads the skeletons only, and must not wait on a FIFO there. */
Test(files, fifo_dwo_skipped)
{
    const char *bin = fx_need("dwarf-split");
    char *dir = in_dir("split"), *copy;
    cr_assert(asprintf(&copy, "%s/dwarf-split", dir) >= 0);
    Run r = run_cmd("mkdir -p '%s' && cp '%s' '%s'", dir, bin, copy);
    run_free(&r);
    r = run_cmd("readelf --debug-dump=info '%s' | sed -n 's/.*DW_AT_\\(GNU_\\)\\{0,1\\}dwo_name.*: //p'", bin);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *names = r.out, *save = NULL;
    size_t n = 0;
    for (char *name = strtok_r(names, "\n", &save); name; name = strtok_r(NULL, "\n", &save), n++) {
        cr_assert(name[0] != '/', "the fixture's .dwo name is absolute (%s): no FIFO can stand in for it", name);
        char *p;
        cr_assert(asprintf(&p, "%s/%s", dir, name) >= 0);
        Run m = run_cmd("mkdir -p \"$(dirname '%s')\"", p);
        run_free(&m);
        make_fifo(p);
        free(p);
    }
    cr_assert(n > 0, "no DW_AT_dwo_name in %s", bin);
    run_free(&r);
    static const char *const views[] = {"units", "files", "crates --by defining"};
    for (size_t i = 0; i < sizeof views / sizeof *views; i++) {
        char *a, *b;
        cr_assert(asprintf(&a, "%s --format json -n 0 '%s'", views[i], copy) >= 0);
        cr_assert(asprintf(&b, "%s --format json -n 0 '%s'", views[i], bin) >= 0);
        char *with_fifo = rows_of(a), *plain = rows_of(b);
        cr_expect_str_eq(with_fifo, plain, "heft %s: other rows than with no FIFO", a);
        free(with_fifo);
        free(plain);
        free(a);
        free(b);
    }
    free(copy);
    free(dir);
}

/* A program whose unit name is a DW_FORM_GNU_strp_alt (dwz's form: a string
 * in the alternate file named by .gnu_debugaltlink, here "alt.debug" beside
 * it with build-id 01..14), and alternates for it: with that build-id or
 * another. */
static const char ALT_PROG_S[] =
    "\t.text\n\t.globl main\n\t.type main, @function\nmain:\n\txorl %eax, %eax\n\tret\n\t.size main, .-main\n"
    ".Lend:\n"
    "\t.section .debug_abbrev,\"\",@progbits\n.Labbrev:\n"
    "\t.uleb128 1\n\t.uleb128 0x11\n\t.byte 0\n"               /* 1: DW_TAG_compile_unit, no children */
    "\t.uleb128 0x3\n\t.uleb128 0x1f21\n"                      /* DW_AT_name, DW_FORM_GNU_strp_alt */
    "\t.uleb128 0x11\n\t.uleb128 0x1\n\t.uleb128 0x12\n\t.uleb128 0x7\n" /* low_pc addr, high_pc data8 */
    "\t.byte 0, 0\n\t.byte 0\n"
    "\t.section .debug_info,\"\",@progbits\n"
    "\t.long .Linfo_end - .Linfo_start\n.Linfo_start:\n\t.value 4\n\t.long .Labbrev\n\t.byte 8\n"
    "\t.uleb128 1\n\t.long 0\n\t.quad main\n\t.quad .Lend - main\n.Linfo_end:\n"
    "\t.section .gnu_debugaltlink,\"\",@progbits\n\t.string \"alt.debug\"\n"
    "\t.byte 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20\n"
    "\t.section .note.GNU-stack,\"\",@progbits\n";
static const char ALT_FILE_S[] =
    "\t.section .debug_str,\"MS\",@progbits,1\n\t.string \"alt-unit.c\"\n"
    "\t.section .debug_line,\"\",@progbits\n\t.byte 0\n"
    "\t.section .note.gnu.build-id,\"a\",@note\n\t.long 4, 20, 3\n\t.string \"GNU\"\n"
    "\t.byte %d,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20\n"
    "\t.section .note.GNU-stack,\"\",@progbits\n";

static void assemble(const char *src_text, const char *out, const char *flags)
{
    char *src;
    cr_assert(asprintf(&src, "%s.s", out) >= 0);
    write_text(src, src_text);
    Run r = run_cmd("cc %s -o '%s' '%s'", flags, out, src);
    cr_assert_eq(r.status, 0, "cc %s: %s", src, r.err);
    run_free(&r);
    free(src);
}

/* The name heft gives the program's one unit. */
static char *unit_name(const char *prog)
{
    char *args;
    cr_assert(asprintf(&args, "units --format json '%s'", prog) >= 0);
    Run r = heft_quick(args);
    cr_assert_eq(r.status, 0, "heft %s: status %d (137: it hung): %s", args, r.status, r.err);
    json_t *j = json_loads(r.out, 0, NULL);
    cr_assert(j, "heft %s: no JSON", args);
    char *name = NULL;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(j, "rows"), i, row) {
        const char *n = json_string_value(json_object_get(row, "name"));
        if (n && (strcmp(n, "alt-unit.c") == 0 || strcmp(n, "[unnamed unit]") == 0))
            name = strdup(n);
    }
    cr_assert(name, "heft %s: no unit row: %s", args, r.out);
    json_decref(j);
    run_free(&r);
    free(args);
    return name;
}

Test(files, fifo_dwz_alternate_skipped)
{
    char *prog = in_dir("prog"), *alt = in_dir("alt.debug"), text[2048];
    assemble(ALT_PROG_S, prog, "");
    snprintf(text, sizeof text, ALT_FILE_S, 1);
    assemble(text, alt, "-c");
    char *name = unit_name(prog);
    cr_expect_str_eq(name, "alt-unit.c", "the alternate file's string was not read");
    free(name);
    /* Another build-id: not the alternate the program names. */
    snprintf(text, sizeof text, ALT_FILE_S, 99);
    assemble(text, alt, "-c");
    name = unit_name(prog);
    cr_expect_str_eq(name, "[unnamed unit]", "an alternate with another build-id was taken");
    free(name);
    cr_assert(unlink(alt) == 0);
    make_fifo(alt);
    name = unit_name(prog);
    cr_expect_str_eq(name, "[unnamed unit]");
    free(name);
    free(prog);
    free(alt);
}

/* ------------------------------------------------------------------------ */
/* Inflating: bounded in bytes, and no abort when memory runs out. */

/* A file of size bytes (sparse: no disk blocks) that starts with the gzip
 * magic. */
static char *sparse_gzip(const char *name, long long size)
{
    char *p = in_dir(name);
    static const unsigned char magic[2] = {0x1f, 0x8b};
    FILE *f = fopen(p, "wb");
    cr_assert(f && fwrite(magic, 1, 2, f) == 2 && fclose(f) == 0);
    cr_assert(truncate(p, size) == 0, "truncate %s: %s", p, strerror(errno));
    return p;
}

Test(files, gzip_magic_on_sparse_10g)
{
    char *p = sparse_gzip("sparse.gz", 10ll << 30), *args, want[4200];
    const char *good = fx_need("c-sizes");
    snprintf(want, sizeof want, "heft: %s: corrupt gzip data (unknown compression method)\n", p);
    cr_assert(asprintf(&args, "diff '%s' '%s'", p, good) >= 0);
    Run r = heft_quick(args);
    expect_one_line(&r, args, want);
    run_free(&r);
    free(args);
    free(p);
}

Test(files, gzip_magic_on_1g_under_ulimit)
{
    if (!heft_starts_under(4000000))
        cr_skip_test("heft does not start under ulimit -v 4000000 (a sanitizer build): the plain build's pass runs it");
    char *p = sparse_gzip("big.gz", 1ll << 30), want[4200];
    const char *good = fx_need("c-sizes");
    snprintf(want, sizeof want, "heft: %s: corrupt gzip data (unknown compression method)\n", p);
    Run r = run_cmd("ulimit -v 4000000; exec timeout -s KILL %d '%s' diff '%s' '%s'", QUICK_S, heft_bin(), p, good);
    expect_one_line(&r, "diff (ulimit -v 4000000)", want);
    run_free(&r);
    free(p);
}

/* gzip of `mib` MiB of zeros: one deflate block of a MiB of zeros (ended by
 * a full flush, so that it decodes by itself) written mib times, then an
 * empty last block and the trailer. About 1 KiB a MiB, made in no time. */
static char *zero_bomb(const char *name, unsigned mib)
{
    static unsigned char zeros[1 << 20];
    unsigned char block[8192];
    z_stream z = {0};
    cr_assert(deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY) == Z_OK);
    z.next_in = zeros;
    z.avail_in = sizeof zeros;
    z.next_out = block;
    z.avail_out = sizeof block;
    cr_assert(deflate(&z, Z_FULL_FLUSH) == Z_OK && z.avail_in == 0 && z.avail_out > 0);
    size_t blen = sizeof block - z.avail_out;
    deflateEnd(&z);
    char *p = in_dir(name);
    FILE *f = fopen(p, "wb");
    cr_assert(f);
    static const unsigned char head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    static const unsigned char last[5] = {1, 0, 0, 0xff, 0xff}; /* final stored block, empty */
    fwrite(head, 1, sizeof head, f);
    uLong crc = crc32(0, Z_NULL, 0), one = crc32(crc, zeros, sizeof zeros);
    for (unsigned i = 0; i < mib; i++) {
        fwrite(block, 1, blen, f);
        crc = crc32_combine(crc, one, sizeof zeros);
    }
    fwrite(last, 1, sizeof last, f);
    uint32_t isize = (uint32_t)((uint64_t)mib << 20);
    unsigned char tail[8];
    for (int i = 0; i < 4; i++)
        tail[i] = (unsigned char)(crc >> (8 * i)), tail[4 + i] = (unsigned char)(isize >> (8 * i));
    fwrite(tail, 1, sizeof tail, f);
    cr_assert(fclose(f) == 0);
    return p;
}

/* 12 GiB of zeros in 12 MB: 100 times the input would be 1.2 GB; the bound
 * in bytes, 1 GiB, stops it first. Under ulimit -v 3 GB where possible: the
 * buffer grows to that bound and no further. */
Test(files, gzip_bomb_stops_at_1gib)
{
    char *p = zero_bomb("bomb.gz", 12 * 1024), want[4200];
    const char *good = fx_need("c-sizes");
    snprintf(want, sizeof want, "heft: %s: inflates to more than 1073741824 bytes (a gzip bomb?)\n", p);
    bool limit = heft_starts_under(3000000);
    Run r = run_cmd("%s exec timeout -s KILL 600 '%s' diff '%s' '%s'", limit ? "ulimit -v 3000000;" : "",
                    heft_bin(), good, p);
    expect_one_line(&r, "diff GOOD BOMB", want);
    run_free(&r);
    free(p);
}

/* JSON that takes 35 times its bytes in jansson's values (an array of empty
 * arrays): refused when it passes 64 MiB + 16 times the JSON. */
Test(files, json_values_bounded)
{
    enum { N = 5000000 };
    char *p = in_dir("arrays.gz");
    gzFile gz = gzopen(p, "wb1");
    cr_assert(gz);
    gzputc(gz, '[');
    for (unsigned i = 0; i < N; i++)
        gzputs(gz, i ? ",[]" : "[]");
    gzputc(gz, ']');
    cr_assert(gzclose(gz) == Z_OK);
    unsigned long long len = 2 + 2ull * N + (N - 1);
    char want[4200];
    snprintf(want, sizeof want, "heft: %s: its JSON would take more than %llu bytes to hold: not a heft snapshot\n",
             p, (64ull << 20) + 16 * len);
    char *args;
    cr_assert(asprintf(&args, "diff '%s' '%s'", p, fx_need("c-sizes")) >= 0);
    Run r = run_cmd("exec timeout -s KILL 600 '%s' %s", heft_bin(), args);
    expect_one_line(&r, args, want);
    run_free(&r);
    free(args);
    free(p);
}

/* ------------------------------------------------------------------------ */
/* Writing: the old file stays whole until the new one is complete. */

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot read %s", path);
    struct stat st;
    cr_assert(fstat(fileno(f), &st) == 0);
    unsigned char *b = malloc((size_t)st.st_size + 1);
    cr_assert(fread(b, 1, (size_t)st.st_size, f) == (size_t)st.st_size);
    fclose(f);
    *len = (size_t)st.st_size;
    return b;
}

/* Names in dir that look like heft's temporaries (".NAME.heft-XXXXXX"). */
static size_t temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] == '.' && strstr(e->d_name, ".heft-") != NULL;
    closedir(d);
    return n;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Starts `heft snapshot --split-std big -o out` with the signals' default
 * actions (whatever the test runner set), stdout and stderr to /dev/null. */
static pid_t start_snapshot(const char *big, const char *out)
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        child_quiet_stdio(-1);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execl(heft_bin(), heft_bin(), "snapshot", "--split-std", big, "-o", out, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static int wait_status(pid_t pid)
{
    int st;
    cr_assert(waitpid(pid, &st, 0) == pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* True once a temporary is in dir or out is no longer what it was. */
static bool writing_began(const char *dir, const char *out, const struct stat *before)
{
    struct stat st;
    return temporaries(dir) > 0 || stat(out, &st) != 0 || st.st_size != before->st_size ||
           st.st_mtim.tv_sec != before->st_mtim.tv_sec || st.st_mtim.tv_nsec != before->st_mtim.tv_nsec;
}

/* A CI baseline: the snapshot of the toolchain's librustc_driver (2.4 MB
 * from rustup's 150 MB library; 0.47 MB from Debian's, whose 95 MB keep only
 * .dynsym), replaced by a snapshot of the same binary taken with --split-std
 * (other bytes, so that a replacement shows) that is interrupted at several
 * points: while it reads the binary, and once it has begun to write. */
Test(files, snapshot_interrupted_keeps_old_output)
{
    char *big = fx_toolchain_file("rustc_driver");
    char *dir = in_dir("out"), *out;
    cr_assert(mkdir(dir, 0755) == 0);
    cr_assert(asprintf(&out, "%s/base.heft.json.gz", dir) >= 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    Run r = run_cmd("timeout -s KILL 600 '%s' snapshot '%s' -o '%s'", heft_bin(), big, out);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cr_assert_eq(r.status, 0, "the baseline: %s", r.err);
    /* How long a whole run takes here: the kills after a delay come at
     * fractions of it, while heft still reads (rustup's library takes
     * seconds, Debian's a few hundred ms). */
    long run_ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    run_free(&r);
    cr_assert(chmod(out, 0640) == 0);
    size_t len;
    unsigned char *before = slurp(out, &len);
    /* Large enough that compressing it takes a window the kills can hit. */
    cr_assert(len > 300000, "the baseline is only %zu bytes", len);
    struct stat st0;
    cr_assert(stat(out, &st0) == 0);

    const struct {
        long ms; /* -1: when writing has begun */
        int sig;
    } kills[] = {{run_ms / 50, SIGINT}, {run_ms / 10, SIGINT}, {run_ms / 4, SIGINT},
                 {run_ms / 2, SIGINT},  {-1, SIGINT},          {-1, SIGTERM}};
    size_t untouched = 0; /* runs the signal ended before they replaced the file */
    for (size_t i = 0; i < sizeof kills / sizeof *kills; i++) {
        pid_t pid = start_snapshot(big, out);
        bool began = false;
        if (kills[i].ms >= 0) {
            sleep_ms(kills[i].ms);
        } else {
            /* Polled every 0.2 ms: the window is the compression of the JSON. */
            while (!(began = writing_began(dir, out, &st0)) && waitpid(pid, NULL, WNOHANG) == 0)
                usleep(200);
        }
        kill(pid, kills[i].sig);
        int status = wait_status(pid);
        const char *when = kills[i].ms >= 0 ? "after a delay" : "once writing began";
        cr_expect(kills[i].ms >= 0 || began, "kill %zu: heft ended before it began to write", i);
        cr_expect(status == 128 + kills[i].sig || status == 0, "kill %zu (%s, %ld ms): status %d, neither the "
                  "signal's nor 0", i, when, kills[i].ms, status);
        size_t now_len;
        unsigned char *now = slurp(out, &now_len);
        bool same = now_len == len && memcmp(now, before, len) == 0;
        free(now);
        /* On a busy machine heft can finish, or put the new file in place,
         * before the signal comes: then the file must be whole, and the
         * baseline goes back for the next kill. Either way, never a part. */
        untouched += same && status == 128 + kills[i].sig;
        if (!same) {
            Run d = run_cmd("timeout -s KILL 600 '%s' diff --split-std '%s' '%s' --format json", heft_bin(), out, out);
            cr_expect_eq(d.status, 0, "kill %zu (signal %d %s, %ld ms, status %d): %s was replaced by a file that "
                         "does not load: %s", i, kills[i].sig, when, kills[i].ms, status, out, d.err);
            run_free(&d);
            FILE *f = fopen(out, "wb");
            cr_assert(f && fwrite(before, 1, len, f) == len && fclose(f) == 0);
            cr_assert(stat(out, &st0) == 0);
        }
        cr_expect_eq(temporaries(dir), 0, "kill %zu: a temporary file was left in %s", i, dir);
    }
    /* The early kills (a fiftieth and a tenth of a run in) interrupt it. */
    cr_expect_geq(untouched, 2, "only %zu of the kills interrupted heft before it wrote", untouched);

    /* Run to the end, it replaces the baseline, keeping its permissions. */
    r = run_cmd("timeout -s KILL 600 '%s' snapshot --split-std '%s' -o '%s'", heft_bin(), big, out);
    cr_expect_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    size_t new_len;
    unsigned char *after = slurp(out, &new_len);
    cr_expect(new_len != len || memcmp(after, before, len) != 0, "a complete run left the old file");
    free(after);
    struct stat st;
    cr_assert(stat(out, &st) == 0);
    cr_expect_eq(st.st_mode & 0777, 0640, "mode %o", st.st_mode & 0777);
    cr_expect_eq(temporaries(dir), 0);
    r = run_cmd("timeout -s KILL 600 '%s' diff --split-std '%s' '%s' --format json", heft_bin(), out, out);
    cr_expect_eq(r.status, 0, "the new snapshot does not load: %s", r.err);
    run_free(&r);
    free(before);
    free(out);
    free(dir);
    free(big);
}

Test(files, output_where_it_cannot_be_written)
{
    const char *small = fx_need("c-sizes");
    char *dir = in_dir("locked"), *out, *missing = in_dir("no-such-dir/s.gz"), want[4200];
    cr_assert(mkdir(dir, 0755) == 0);
    cr_assert(asprintf(&out, "%s/s.gz", dir) >= 0);
    write_text(out, "the old file\n");
    cr_assert(chmod(out, 0666) == 0 && chmod(dir, 0555) == 0);
    /* Root writes anywhere: there, heft runs as nobody (setpriv, util-linux),
     * from copies of itself and its input here, since nobody may not reach
     * the build tree (under /root, mode 0700, on a fresh install). */
    bool root = geteuid() == 0;
    char *bin = root ? in_dir("heft") : strdup(heft_bin()), *input = root ? in_dir("c-sizes") : strdup(small);
    if (root) {
        cr_assert(chmod(g_dir, 0755) == 0);
        Run cp = run_cmd("cp '%s' '%s' && cp '%s' '%s' && chmod 0755 '%s' && chmod 0644 '%s'", heft_bin(), bin, small,
                         input, bin, input);
        cr_assert_eq(cp.status, 0, "%s", cp.err);
        run_free(&cp);
    }
    Run r = run_cmd("%stimeout -s KILL %d '%s' snapshot '%s' -o '%s'",
                    root ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "", QUICK_S, bin, input, out);
    free(bin);
    free(input);
    snprintf(want, sizeof want, "heft: %s: cannot create: Permission denied\n", out);
    expect_one_line(&r, "snapshot -o LOCKED/s.gz", want);
    run_free(&r);
    size_t len;
    unsigned char *b = slurp(out, &len);
    cr_expect(len == 13 && memcmp(b, "the old file\n", 13) == 0, "the old file changed");
    free(b);
    cr_expect_eq(temporaries(dir), 0);

    char *args;
    cr_assert(asprintf(&args, "snapshot '%s' -o '%s'", small, missing) >= 0);
    r = heft_quick(args);
    snprintf(want, sizeof want, "heft: %s: cannot create: No such file or directory\n", missing);
    expect_one_line(&r, args, want);
    run_free(&r);
    free(args);
    cr_assert(asprintf(&args, "snapshot '%s' -o '%s'", small, g_dir) >= 0);
    r = heft_quick(args);
    snprintf(want, sizeof want, "heft: %s: cannot create: Is a directory\n", g_dir);
    expect_one_line(&r, args, want);
    run_free(&r);
    free(args);
    free(out);
    free(dir);
    free(missing);
}

/* A new file has 0666 less the umask, as fopen would give it; a target that
 * is no regular file (/dev/null, /dev/stdout) is written directly. */
Test(files, output_modes_and_devices)
{
    const char *small = fx_need("c-sizes");
    char *out = in_dir("new.gz");
    Run r = run_cmd("umask 027; exec '%s' snapshot '%s' -o '%s'", heft_bin(), small, out);
    cr_expect_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    struct stat st;
    cr_assert(stat(out, &st) == 0);
    cr_expect_eq(st.st_mode & 0777, 0640, "mode %o", st.st_mode & 0777);
    r = run_cmd("'%s' snapshot '%s' -o /dev/null", heft_bin(), small);
    cr_expect_eq(r.status, 0, "-o /dev/null: %s", r.err);
    run_free(&r);
    r = run_cmd("'%s' snapshot '%s' -o /dev/stdout | gzip -dc | head -c 29", heft_bin(), small);
    cr_expect_str_eq(r.out, "{\"schema\": \"heft.snapshot/2\",", "-o /dev/stdout: %s", r.err);
    run_free(&r);
    cr_expect_eq(temporaries(g_dir), 0);
    free(out);
}
