/* harness.c — running commands and reading heft's JSON for the e2e tests. */
#include "harness.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot read %s", path);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static Run run_line(const char *line)
{
    char out[] = "/tmp/heft-test-out-XXXXXX", err[] = "/tmp/heft-test-err-XXXXXX";
    int fo = mkstemp(out), fe = mkstemp(err);
    cr_assert(fo >= 0 && fe >= 0);
    close(fo);
    close(fe);
    size_t len = strlen(line) + 2 * sizeof out + 32;
    char *cmd = malloc(len);
    snprintf(cmd, len, "( %s ) >%s 2>%s </dev/null", line, out, err);
    int st = system(cmd);
    free(cmd);
    Run r = {0};
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.out = slurp(out, &r.out_len);
    r.err = slurp(err, &r.err_len);
    unlink(out);
    unlink(err);
    return r;
}

Run run_cmd(const char *fmt, ...)
{
    char *line;
    va_list ap;
    va_start(ap, fmt);
    cr_assert(vasprintf(&line, fmt, ap) >= 0);
    va_end(ap);
    Run r = run_line(line);
    free(line);
    return r;
}

const char *heft_bin(void)
{
    const char *h = getenv("HEFT");
    return h && *h ? h : "build/heft";
}

void child_quiet_stdio(int err_fd)
{
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(err_fd >= 0 ? err_fd : null, 2);
}

bool heft_starts_under(unsigned long kib)
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        struct rlimit rl = {(rlim_t)kib * 1024, (rlim_t)kib * 1024};
        child_quiet_stdio(-1);
        if (setrlimit(RLIMIT_AS, &rl) == 0)
            execl(heft_bin(), heft_bin(), "--version", (char *)NULL);
        _exit(127);
    }
    int st;
    cr_assert(waitpid(pid, &st, 0) == pid);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static Run run_heft_v(const char *fmt, va_list ap)
{
    char *args, *line;
    cr_assert(vasprintf(&args, fmt, ap) >= 0);
    cr_assert(asprintf(&line, "%s %s", heft_bin(), args) >= 0);
    Run r = run_line(line);
    free(args);
    free(line);
    return r;
}

Run run_heft(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Run r = run_heft_v(fmt, ap);
    va_end(ap);
    return r;
}

void run_free(Run *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

const char *fixture(const char *name)
{
    static char slots[8][4096];
    static unsigned next;
    char *p = slots[next++ % 8];
    const char *dir = getenv("FIXTURES");
    snprintf(p, sizeof slots[0], "%s/%s", dir && *dir ? dir : "build/fixtures", name);
    return p;
}

json_t *heft_json(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *args;
    cr_assert(vasprintf(&args, fmt, ap) >= 0);
    va_end(ap);
    /* After the arguments: a subcommand's name must come first. */
    Run r = run_heft("%s --format json", args);
    cr_assert_eq(r.status, 0, "heft %s --format json exited %d: %s", args, r.status, r.err);
    json_error_t e;
    json_t *j = json_loadb(r.out, r.out_len, 0, &e);
    cr_assert(j, "heft %s: bad JSON at line %d: %s", args, e.line, e.text);
    free(args);
    run_free(&r);
    return j;
}

int64_t jint(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    cr_assert(json_is_integer(v), "missing integer field '%s'", key);
    return json_integer_value(v);
}

json_t *row_named(json_t *rows, const char *name)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *n = json_string_value(json_object_get(row, "name"));
        if (n && strcmp(n, name) == 0)
            return row;
    }
    return NULL;
}

uint64_t file_size_of(const char *path)
{
    struct stat st;
    cr_assert(stat(path, &st) == 0, "cannot stat %s", path);
    return (uint64_t)st.st_size;
}
