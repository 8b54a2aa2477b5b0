/* cargo.c — running cargo and rustc (never through a shell) and reading what
 * they print: cargo's JSON messages through jansson, rustc's sysroot as a
 * directory listing. See cargo.h. */
#include "cargo.h"
#include "child.h"
#include "monotime.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <jansson.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static bool executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* prog looked up on PATH, as execvp would; NULL when it is not there. */
static const char *on_path(Arena *a, const char *prog)
{
    const char *path = getenv("PATH");
    while (path && *path) {
        const char *colon = strchr(path, ':');
        size_t n = colon ? (size_t)(colon - path) : strlen(path);
        char *full = arena_printf(a, "%.*s/%s", (int)n, path, prog);
        if (n && executable(full))
            return full;
        path = colon ? colon + 1 : NULL;
    }
    return NULL;
}

const char *cargo_program(Arena *a)
{
    const char *c = getenv("CARGO");
    if (c && *c)
        return c;
    if ((c = on_path(a, "cargo")))
        return c;
    const char *home = getenv("HOME");
    return arena_printf(a, "%s/.cargo/bin/cargo", home ? home : "");
}

/* Starts argv with its stdout on a pipe whose read end is *fd, its stderr
 * and group as spawn_collect (below) says; *held and *old as child_hold left
 * them. Returns the child's pid, or -1 with errno set. */
static pid_t spawn_piped(Arena *a, char *const *argv, const char *const *env, size_t nenv, int errfd, bool group,
                         int *fd, bool *held, sigset_t *old)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (errfd == -2)
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    else if (errfd >= 0)
        posix_spawn_file_actions_adddup2(&fa, errfd, STDERR_FILENO);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    *held = group && child_hold(&at, old);
    char **envp = child_env(a, env, nenv);
    pid_t pid;
    int rc = group && !*held ? EINTR /* Ctrl-C came: start nothing */
                             : posix_spawnp(&pid, argv[0], &fa, &at, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(p[1]);
    if (*held && rc == 0)
        child_started(pid);
    if (rc != 0) {
        if (*held)
            child_release(old);
        close(p[0]);
        errno = rc;
        return -1;
    }
    *fd = p[0];
    return pid;
}

/* Reads the child's stdout from fd to its end, then reaps it: the second
 * half of spawn_collect. */
static int collect(Arena *a, pid_t pid, int fd, bool held, const sigset_t *old,
                   void (*on_line)(void *, const char *, size_t), void *arg, char **out, size_t *outlen)
{
    /* SIGINT, held since child_hold, comes in only while ppoll waits: none
     * is missed between the check and the wait. After it the output is left
     * unread, as what the SIGTERM missed may hold the pipe open (child_wait
     * ends that). */
    size_t cap = 1 << 16, len = 0, seen = 0;
    char *buf = malloc(cap);
    while (buf && !child_interrupted()) {
        struct pollfd pfd = {fd, POLLIN, 0};
        if (ppoll(&pfd, 1, NULL, held ? old : NULL) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        ssize_t got = read(fd, buf + len, cap - len - 1);
        if (got <= 0)
            break;
        len += (size_t)got;
        char *nl;
        while (on_line && (nl = memchr(buf + seen, '\n', len - seen))) {
            on_line(arg, buf + seen, (size_t)(nl - (buf + seen)));
            seen = (size_t)(nl - buf) + 1;
        }
        if (cap - len < 2) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    if (held)
        child_release(old);
    close(fd);
    int status = child_wait(pid, NULL);
    if (!buf) {
        fputs("heft: out of memory reading cargo's output\n", stderr);
        exit(2);
    }
    *out = arena_strndup(a, buf, len);
    *outlen = len;
    free(buf);
    return status;
}

/* Runs argv; collects its stdout (NUL-terminated, in the arena). Its stderr
 * is ours (errfd -1), dropped (-2), or errfd. env adds NAME=VALUE entries,
 * each replacing a variable of the same name. With group, the child leads a
 * process group of its own that Ctrl-C stops (child.h), and after Ctrl-C its
 * output is left unread. on_line, if set, hears each line of stdout as it
 * comes. Returns the exit status (128+signal), or -1 with errno set (EINTR:
 * Ctrl-C came before it could start). */
static int spawn_collect(Arena *a, char *const *argv, const char *const *env, size_t nenv, int errfd, bool group,
                         void (*on_line)(void *, const char *, size_t), void *arg, char **out, size_t *outlen)
{
    int fd;
    bool held;
    sigset_t old;
    pid_t pid = spawn_piped(a, argv, env, nenv, errfd, group, &fd, &held, &old);
    return pid < 0 ? -1 : collect(a, pid, fd, held, &old, on_line, arg, out, outlen);
}

static int run(Arena *a, char *const *argv, const char *env, bool drop_stderr, char **out, size_t *outlen)
{
    return spawn_collect(a, argv, &env, env ? 1 : 0, drop_stderr ? -2 : -1, false, NULL, NULL, out, outlen);
}

static const char *jstr(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static bool has_str(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return true;
    return false;
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcmp(s + n - k, suf) == 0;
}

bool cargo_is_member(const CargoMeta *m, const char *package_id)
{
    if (!m || !m->nmembers)
        return true;
    for (size_t i = 0; i < m->nmembers; i++)
        if (strcmp(m->members[i], package_id) == 0)
            return true;
    return false;
}

/* The files of one compiler-artifact message that heft can analyse: never a
 * build script or a proc-macro (a compiler plug-in, not part of what the
 * project ships), and with meta only a workspace member's. */
static void add_artifacts(Arena *a, json_t *msg, const CargoMeta *meta, CargoArtifact **arts, size_t *n,
                          size_t *cap)
{
    json_t *target = json_object_get(msg, "target"), *kinds = json_object_get(target, "kind");
    json_t *profile = json_object_get(msg, "profile");
    const char *name = jstr(target, "name"), *exe = jstr(msg, "executable");
    const char *id = jstr(msg, "package_id") ? jstr(msg, "package_id") : "";
    if (!name || has_str(kinds, "custom-build") || has_str(kinds, "proc-macro") ||
        has_str(json_object_get(target, "crate_types"), "proc-macro") || !cargo_is_member(meta, id))
        return;
    int debuginfo = (int)json_integer_value(json_object_get(profile, "debuginfo"));
    if (json_is_string(json_object_get(profile, "debuginfo"))) /* "line-tables-only" and the like */
        debuginfo = 1;
    const char *found[4][2];
    size_t nf = 0;
    if (exe) {
        const char *kind = json_is_true(json_object_get(profile, "test")) || has_str(kinds, "test") ? "test"
                           : has_str(kinds, "example") ? "example"
                                                     : "bin";
        found[nf][0] = kind, found[nf++][1] = exe;
    } else {
        size_t i;
        json_t *f;
        json_array_foreach(json_object_get(msg, "filenames"), i, f) {
            const char *p = json_string_value(f);
            if (!p || nf == 4)
                continue;
            if (ends_with(p, ".a"))
                found[nf][0] = "staticlib", found[nf++][1] = p;
            else if (ends_with(p, ".so") || ends_with(p, ".dylib") || ends_with(p, ".dll"))
                found[nf][0] = has_str(kinds, "dylib") ? "dylib" : "cdylib", found[nf++][1] = p;
        }
    }
    for (size_t i = 0; i < nf; i++) {
        if (*n == *cap) {
            CargoArtifact *bigger = arena_array(a, *cap = *cap ? *cap * 2 : 8, sizeof *bigger);
            if (*n)
                memcpy(bigger, *arts, *n * sizeof *bigger);
            *arts = bigger;
        }
        (*arts)[(*n)++] = (CargoArtifact){arena_strdup(a, found[i][0]), arena_strdup(a, name),
                                          arena_strdup(a, jstr(msg, "manifest_path") ? jstr(msg, "manifest_path") : ""),
                                          arena_strdup(a, id),
                                          arena_strdup(a, found[i][1]), debuginfo};
    }
}

/* The first line of cargo's stderr that reports an error ("error: ...",
 * "error[E0463]: ..."), else its last non-empty line, else NULL. */
static const char *first_error(Arena *a, const char *text, size_t len)
{
    const char *last = NULL;
    size_t lastlen = 0;
    for (const char *line = text, *nl; line < text + len; line = nl + 1) {
        nl = memchr(line, '\n', (size_t)(text + len - line));
        if (!nl)
            nl = text + len;
        size_t n = (size_t)(nl - line);
        while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
            n--;
        if (n >= 5 && strncmp(line, "error", 5) == 0 && (line[5] == ':' || line[5] == '['))
            return arena_strndup(a, line, n);
        if (n)
            last = line, lastlen = n;
    }
    return last ? arena_strndup(a, last, lastlen) : NULL;
}

bool cargo_build_with(Arena *a, const char *cargo, char *const *args, size_t nargs, const CargoBuildOpts *o,
                      CargoBuild *out)
{
    memset(out, 0, sizeof *out);
    char **argv = arena_array(a, nargs + 4, sizeof *argv);
    argv[0] = (char *)cargo;
    argv[1] = "build";
    argv[2] = "--message-format=json-render-diagnostics";
    memcpy(argv + 3, args, nargs * sizeof *argv);
    /* A captured stderr goes to an unnamed file: no second pipe to drain. */
    FILE *errf = o->capture_stderr ? tmpfile() : NULL;
    if (o->capture_stderr && !errf)
        return false;
    char *text;
    size_t len;
    double t0 = monotime_seconds();
    out->status = spawn_collect(a, argv, o->env, o->nenv, errf ? fileno(errf) : -1, o->own_group, o->on_line, o->arg,
                                &text, &len);
    out->seconds = monotime_seconds() - t0;
    if (out->status < 0) {
        if (errf)
            fclose(errf);
        return false;
    }
    if (errf) {
        /* Its first 4 MiB: the first error is near the top. */
        rewind(errf);
        size_t max = 4u << 20;
        char *buf = malloc(max);
        out->error = buf ? first_error(a, buf, fread(buf, 1, max, errf)) : NULL;
        free(buf);
        fclose(errf);
    }
    cargo_parse_messages(a, text, len, o->meta, out);
    return true;
}

void cargo_parse_messages(Arena *a, const char *text, size_t len, const CargoMeta *meta, CargoBuild *out)
{
    /* One JSON message per line; anything else on stdout is not ours to read. */
    bool fresh = true;
    size_t seen = 0, cap = 0;
    out->arts = NULL;
    out->narts = 0;
    for (const char *line = text, *nl; line < text + len; line = nl + 1) {
        nl = memchr(line, '\n', (size_t)(text + len - line));
        if (!nl)
            nl = text + len;
        json_t *msg = json_loadb(line, (size_t)(nl - line), 0, NULL);
        const char *reason = jstr(msg, "reason");
        if (reason && strcmp(reason, "compiler-artifact") == 0) {
            add_artifacts(a, msg, meta, &out->arts, &out->narts, &cap);
            fresh = fresh && json_is_true(json_object_get(msg, "fresh"));
            seen++;
        }
        json_decref(msg);
    }
    out->fresh = seen && fresh;
}

bool cargo_build(Arena *a, const char *cargo, char *const *args, size_t nargs, const char *env, CargoBuild *out)
{
    CargoBuildOpts o = {&env, env ? 1 : 0, false, false, NULL, NULL, NULL};
    return cargo_build_with(a, cargo, args, nargs, &o, out);
}

static const char *crate_name(Arena *a, const char *s)
{
    char *c = arena_strdup(a, s);
    for (char *p = c; *p; p++)
        if (*p == '-')
            *p = '_';
    return c;
}

bool cargo_metadata(Arena *a, const char *cargo, char *const *args, size_t nargs, CargoMeta *out)
{
    memset(out, 0, sizeof *out);
    char **argv = arena_array(a, nargs + 5, sizeof *argv);
    argv[0] = (char *)cargo;
    argv[1] = "metadata";
    argv[2] = "--format-version";
    argv[3] = "1";
    memcpy(argv + 4, args, nargs * sizeof *argv);
    char *text;
    size_t len;
    return run(a, argv, NULL, true, &text, &len) == 0 && cargo_parse_metadata(a, text, len, out);
}

bool cargo_parse_metadata(Arena *a, const char *text, size_t len, CargoMeta *out)
{
    memset(out, 0, sizeof *out);
    json_t *root = json_loadb(text, len, 0, NULL);
    json_t *pkgs = json_object_get(root, "packages");
    if (!json_is_array(pkgs)) {
        json_decref(root);
        return false;
    }
    const char *s;
    if ((s = jstr(root, "workspace_root")))
        out->workspace_root = arena_strdup(a, s);
    if ((s = jstr(root, "target_directory")))
        out->target_dir = arena_strdup(a, s);
    json_t *members = json_object_get(root, "workspace_members"), *mem;
    size_t k;
    out->members = arena_array(a, json_array_size(members) + 1, sizeof *out->members);
    json_array_foreach(members, k, mem)
        if (json_is_string(mem))
            out->members[out->nmembers++] = arena_strdup(a, json_string_value(mem));
    /* Bounds for the arrays: a pass to count, then the arena. */
    size_t ntargets = 0, ndeps = 0, npkgs = json_array_size(pkgs), i, j;
    json_t *p, *t, *d;
    json_array_foreach(pkgs, i, p) {
        ntargets += json_array_size(json_object_get(p, "targets"));
        ndeps += json_array_size(json_object_get(p, "dependencies"));
    }
    out->crates = arena_array(a, ntargets + 1, sizeof *out->crates);
    out->alias = arena_array(a, ndeps + npkgs + 1, sizeof *out->alias);
    out->alias_crate = arena_array(a, ndeps + npkgs + 1, sizeof *out->alias_crate);
    out->pkg_manifest = arena_array(a, npkgs + 1, sizeof *out->pkg_manifest);
    out->pkg_name = arena_array(a, npkgs + 1, sizeof *out->pkg_name);
    json_array_foreach(pkgs, i, p) {
        const char *name = jstr(p, "name"), *lib = NULL;
        if (!name)
            continue;
        json_array_foreach(json_object_get(p, "targets"), j, t) {
            json_t *kinds = json_object_get(t, "kind");
            if (!jstr(t, "name") || has_str(kinds, "custom-build"))
                continue;
            const char *c = crate_name(a, jstr(t, "name"));
            out->crates[out->ncrates++] = c;
            if (!has_str(kinds, "bin") && !has_str(kinds, "example") && !has_str(kinds, "test") &&
                !has_str(kinds, "bench"))
                lib = c;
        }
        if ((s = jstr(p, "manifest_path"))) {
            out->pkg_manifest[out->npkgs] = arena_strdup(a, s);
            out->pkg_name[out->npkgs++] = arena_strdup(a, name);
        }
        if (lib) {
            out->alias[out->naliases] = arena_strdup(a, name);
            out->alias_crate[out->naliases++] = lib;
        }
    }
    /* A renamed dependency's crate is its package's library. */
    json_array_foreach(pkgs, i, p) {
        json_array_foreach(json_object_get(p, "dependencies"), j, d) {
            const char *rename = jstr(d, "rename"), *pkg = jstr(d, "name");
            if (!rename || !pkg)
                continue;
            for (size_t k = 0; k < out->naliases; k++)
                if (strcmp(out->alias[k], pkg) == 0) {
                    out->alias[out->naliases] = arena_strdup(a, rename);
                    out->alias_crate[out->naliases++] = out->alias_crate[k];
                    break;
                }
        }
    }
    json_decref(root);
    return true;
}

static const char *rustc_program(Arena *a, const char *cargo)
{
    const char *r = getenv("RUSTC");
    if (r && *r)
        return r;
    const char *slash = strrchr(cargo, '/');
    if (slash) {
        char *beside = arena_printf(a, "%.*s/rustc", (int)(slash - cargo), cargo);
        if (executable(beside))
            return beside;
    }
    return on_path(a, "rustc");
}

/* rustc's answer to args, trimmed, or NULL. */
static char *ask_rustc(Arena *a, const char *rustc, const char *arg1, const char *arg2)
{
    char *argv[] = {(char *)rustc, (char *)arg1, (char *)arg2, NULL};
    char *text;
    size_t len;
    if (run(a, argv, NULL, true, &text, &len) != 0)
        return NULL;
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        text[--len] = '\0';
    return text;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

void cargo_sysroot_ask(Arena *a, const char *cargo, const char *target, CargoQuestion *q)
{
    q->pid = -1;
    const char *rustc = rustc_program(a, cargo);
    char *argv[] = {(char *)rustc, "--print", "target-libdir", target ? "--target" : NULL, (char *)target, NULL};
    bool held;
    if (rustc)
        q->pid = spawn_piped(a, argv, NULL, 0, -2, false, &q->fd, &held, NULL);
}

size_t cargo_sysroot_crates(Arena *a, CargoQuestion *q, const char ***out, const char ***rlibs, size_t *nrlibs)
{
    *out = *rlibs = NULL;
    *nrlibs = 0;
    char *libdir;
    size_t len;
    int status = q->pid < 0 ? -1 : collect(a, q->pid, q->fd, false, NULL, NULL, NULL, &libdir, &len);
    q->pid = -1;
    if (status != 0)
        return 0;
    while (len && (libdir[len - 1] == '\n' || libdir[len - 1] == '\r'))
        libdir[--len] = '\0';
    DIR *dir = opendir(libdir);
    if (!dir)
        return 0;
    /* lib<crate>-<hash>.rlib; every crate once, sorted. */
    size_t n = 0, cap = 0;
    const char **names = NULL, **paths = NULL;
    struct dirent *e;
    while ((e = readdir(dir))) {
        const char *f = e->d_name, *dash = strrchr(f, '-');
        if (strncmp(f, "lib", 3) != 0 || !ends_with(f, ".rlib") || !dash || dash < f + 4)
            continue;
        if (n == cap) {
            const char **bigger = arena_array(a, cap = cap ? cap * 2 : 64, sizeof *bigger);
            const char **bigger_paths = arena_array(a, cap, sizeof *bigger_paths);
            if (n) {
                memcpy(bigger, names, n * sizeof *bigger);
                memcpy(bigger_paths, paths, n * sizeof *bigger_paths);
            }
            names = bigger;
            paths = bigger_paths;
        }
        paths[n] = arena_printf(a, "%s/%s", libdir, f);
        names[n++] = arena_strndup(a, f + 3, (size_t)(dash - f - 3));
    }
    closedir(dir);
    *rlibs = paths;
    *nrlibs = n;
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!m || strcmp(names[m - 1], names[i]) != 0)
            names[m++] = names[i];
    *out = names;
    return m;
}

static int cmp_str_desc(const void *x, const void *y)
{
    return -cmp_str(x, y);
}

/* "LLVM version: 22.1.2" (rustc -vV) or "LLVM version 14.0.6" (llvm-profdata
 * --version): the major and minor numbers, or false. */
static bool llvm_version(const char *text, int *major, int *minor)
{
    const char *v = text ? strstr(text, "LLVM version") : NULL;
    if (!v)
        return false;
    v += strlen("LLVM version");
    v += strspn(v, ": ");
    return sscanf(v, "%d.%d", major, minor) == 2;
}

const char *cargo_llvm_profdata(Arena *a, const char *cargo, const char **why)
{
    const char *rustc = rustc_program(a, cargo);
    char *vv = rustc ? ask_rustc(a, rustc, "-vV", NULL) : NULL;
    int major, minor;
    if (!llvm_version(vv, &major, &minor)) {
        *why = "cannot learn rustc's LLVM version from rustc -vV";
        return NULL;
    }
    /* Candidates: the rustup llvm-tools component's, then llvm-profdata-MAJOR
     * and llvm-profdata (and any other llvm-profdata-N, to name it) on PATH. */
    const char **cand = arena_array(a, 64, sizeof *cand);
    size_t n = 0;
    char *sysroot = ask_rustc(a, rustc, "--print", "sysroot"), *host = vv ? strstr(vv, "\nhost: ") : NULL;
    if (sysroot && host) {
        host += strlen("\nhost: ");
        cand[n++] = arena_printf(a, "%s/lib/rustlib/%.*s/bin/llvm-profdata", sysroot, (int)strcspn(host, "\n"), host);
    }
    const char *path = getenv("PATH");
    while (path && *path && n < 64) {
        const char *colon = strchr(path, ':');
        size_t len = colon ? (size_t)(colon - path) : strlen(path), from = n;
        char *dirname = arena_strndup(a, path, len);
        DIR *dir = len ? opendir(dirname) : NULL;
        struct dirent *e;
        while (dir && (e = readdir(dir)) && n < 64)
            if (strncmp(e->d_name, "llvm-profdata", 13) == 0 &&
                (!e->d_name[13] || (e->d_name[13] == '-' && strspn(e->d_name + 14, "0123456789") ==
                                                                 strlen(e->d_name + 14))))
                cand[n++] = arena_printf(a, "%s/%s", dirname, e->d_name);
        if (dir)
            closedir(dir);
        /* PATH's order, and within a directory the versioned names first */
        if (n > from + 1)
            qsort(cand + from, n - from, sizeof *cand, cmp_str_desc);
        path = colon ? colon + 1 : NULL;
    }
    char *found = "";
    const char **real = arena_array(a, n + 1, sizeof *real);
    for (size_t i = 0; i < n; i++) {
        /* each program once (llvm-profdata is often a link to llvm-profdata-N) */
        char *rp = realpath(cand[i], NULL);
        real[i] = rp ? arena_strdup(a, rp) : cand[i];
        free(rp);
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(real[j], real[i]) == 0;
        if (seen || !executable(cand[i]))
            continue;
        /* LLVM before 15 has no top-level --version; its subcommands have */
        char *argv[] = {(char *)cand[i], "--version", NULL}, *argv2[] = {(char *)cand[i], "merge", "--version", NULL};
        char *text;
        size_t len;
        int maj, min;
        if ((run(a, argv, NULL, true, &text, &len) != 0 || !llvm_version(text, &maj, &min)) &&
            (run(a, argv2, NULL, true, &text, &len) != 0 || !llvm_version(text, &maj, &min)))
            continue;
        if (maj == major)
            return cand[i];
        found = arena_printf(a, "%s%sllvm-profdata %d (%s)", found, *found ? ", " : "", maj, cand[i]);
    }
    *why = arena_printf(a, "rustc uses LLVM %d.%d; found %s; install rustup component llvm-tools, or Debian's llvm-%d",
                        major, minor, *found ? found : "no llvm-profdata", major);
    return NULL;
}
