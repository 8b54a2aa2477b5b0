/* cargo.h — what heft asks of cargo and rustc: building a project and learning
 * from cargo's JSON messages which files it produced, the project's crates
 * from `cargo metadata`, and the sysroot's crates from rustc. */
#ifndef HEFT_CARGO_H
#define HEFT_CARGO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "arena.h"

/* A file cargo built that heft can analyse. */
typedef struct CargoArtifact {
    const char *kind;    /* "bin", "example", "test", "cdylib", "dylib" or "staticlib" */
    const char *target;  /* the target's name, as cargo reports it */
    const char *manifest; /* its package's Cargo.toml */
    const char *package_id; /* cargo's id of its package ("" when not reported) */
    const char *path;
    int debuginfo;       /* the profile's debuginfo level (0: none) */
} CargoArtifact;

/* A build's artifacts never include proc-macros (compiler plug-ins) or build
 * scripts; with CargoBuildOpts.meta, only workspace members' artifacts. */
typedef struct CargoBuild {
    CargoArtifact *arts;
    size_t narts;
    int status; /* cargo's exit status; 0 when it built */
    double seconds;    /* wall clock of the cargo run */
    bool fresh;        /* cargo rebuilt nothing: every artifact was up to date */
    const char *error; /* cargo_build_with's capture_stderr: its first error line, or NULL */
} CargoBuild;

/* How cargo_build_with runs cargo. */
typedef struct CargoBuildOpts {
    const char *const *env; /* NAME=VALUE each, set in cargo's environment */
    size_t nenv;
    bool capture_stderr;    /* keep cargo's stderr to itself (CargoBuild.error) */
    bool own_group;         /* cargo leads a process group of its own, which
                               Ctrl-C stops as a whole (child.h) */
    void (*on_line)(void *arg, const char *line, size_t len); /* if set: each of cargo's
                               JSON messages as it comes (for progress) */
    void *arg;
    const struct CargoMeta *meta; /* if set (and it knows the workspace's members):
                               only the artifacts of workspace members are kept,
                               never a dependency's own cdylib, staticlib, ... */
} CargoBuildOpts;

typedef struct CargoMeta {
    const char *workspace_root, *target_dir;
    const char **members; /* workspace_members: package ids */
    size_t nmembers;
    const char **crates; /* crate names of every package's targets (- as _) */
    size_t ncrates;
    /* package name or dependency rename → crate name, for --filter */
    const char **alias, **alias_crate;
    size_t naliases;
    /* manifest path → package name, for naming artifacts */
    const char **pkg_manifest, **pkg_name;
    size_t npkgs;
} CargoMeta;

/* The cargo to run: $CARGO, else cargo on PATH, else ~/.cargo/bin/cargo. */
const char *cargo_program(Arena *a);

/* Runs `cargo build --message-format=json-render-diagnostics ARGS` with
 * NAME=VALUE set in its environment; cargo's stderr goes to ours so its
 * progress and errors show. Returns false (errno set) when cargo cannot be
 * started. */
bool cargo_build(Arena *a, const char *cargo, char *const *args, size_t nargs, const char *env, CargoBuild *out);

/* Whether package_id is one of m's workspace members (true when m does not
 * know them). */
bool cargo_is_member(const struct CargoMeta *m, const char *package_id);

/* cargo_build with more control: several variables, stderr captured, its
 * own process group. Returns false (errno set) when cargo cannot be started
 * (EINTR: with own_group, Ctrl-C came first). */
bool cargo_build_with(Arena *a, const char *cargo, char *const *args, size_t nargs, const CargoBuildOpts *o,
                      CargoBuild *out);

/* `cargo metadata --format-version 1 ARGS`; false when it fails (its stderr
 * is dropped: the build that follows reports the same problem). */
bool cargo_metadata(Arena *a, const char *cargo, char *const *args, size_t nargs, CargoMeta *out);

/* What the two above read from cargo's output, for output already in
 * memory: the artifacts and freshness of len bytes of JSON messages (one a
 * line; other lines are skipped) into out's arts, narts and fresh; and the
 * metadata JSON, false when it has no packages array. */
void cargo_parse_messages(Arena *a, const char *text, size_t len, const CargoMeta *meta, CargoBuild *out);
bool cargo_parse_metadata(Arena *a, const char *text, size_t len, CargoMeta *out);

/* The sysroot's libraries for target (NULL: the host), from `rustc --print
 * target-libdir`; the rustc is $RUSTC, else the one beside cargo, else rustc
 * on PATH. cargo_sysroot_ask starts rustc, cargo_sysroot_crates reads its
 * answer: cargo can run in between, while rustc loads its driver (75 ms here,
 * twice that through rustup's proxy). */
typedef struct CargoQuestion {
    pid_t pid; /* -1: rustc did not start, or has answered */
    int fd;
} CargoQuestion;
void cargo_sysroot_ask(Arena *a, const char *cargo, const char *target, CargoQuestion *q);
/* The crate names, sorted and each once; returns how many, 0 when rustc
 * cannot say. *rlibs gets the paths of those libraries
 * (lib<crate>-<hash>.rlib), one per file, *nrlibs how many. */
size_t cargo_sysroot_crates(Arena *a, CargoQuestion *q, const char ***out, const char ***rlibs, size_t *nrlibs);

/* An llvm-profdata whose LLVM major version is rustc's (rustc -vV): the
 * rustup llvm-tools component's, else llvm-profdata-N or llvm-profdata on
 * PATH. NULL when there is none, with *why saying what is missing. */
const char *cargo_llvm_profdata(Arena *a, const char *cargo, const char **why);

#endif
