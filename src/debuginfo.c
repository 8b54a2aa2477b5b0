/* debuginfo.c — reads DWARF with elfutils' libdw into address ranges tagged
 * with their compile unit, source file and line (see debuginfo.h).
 *
 * libdw parses the DWARF (versions 2 to 5, zlib-compressed sections, every
 * form it knows); heft walks what it returns, and inflates zstd-compressed
 * sections with libzstd where libelf cannot (see unzstd). The one thing heft
 * reads itself is the line programs' opcodes (read_program), because
 * dwarf_getsrclines returns the rows of all sequences sorted by address and
 * so loses where each sequence ends; the file tables still come from libdw.
 *
 * Source paths are made full (DW_AT_comp_dir joined) and given a crate and a
 * crate-qualified display form by path rules (source_path; docs/crates.md). The debug file is opened with
 * dwarf_begin_elf on a libelf handle rather than through libdwfl: dwfl would
 * find the file too, but it ties the lookup to its module and address-bias
 * model and may ask debuginfod servers over the network, while heft must stay
 * offline, say which file it used, and take --debug-dir for tests. The lookup
 * (build-id, .gnu_debuglink) is the few path rules gdb documents.
 *
 * Nothing in the DWARF is trusted: every loop is bounded by the size of the
 * debug file, compressed sections may claim only so much (inflate_bounded),
 * code ranges count only where they fall in the image's code, and whatever
 * libdw rejects becomes one warning naming the unit. */
#include "debuginfo.h"
#include "infile.h"
#include "leb128.h"
#include "progress.h"
#include "strhash.h"
#include "vec.h"

#include <ctype.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#define MAX_WARNINGS 1000
#define MAX_DEPTH 256

/* ---- paths ---- */

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return n > 0;
}

/* Lexically resolves "." and ".." in an absolute or relative path. */
static char *clean_path(Arena *a, const char *p)
{
    size_t n = strlen(p);
    char *out = arena_alloc(a, n + 2);
    size_t o = 0;
    bool abs = p[0] == '/';
    if (abs)
        out[o++] = '/';
    size_t floor = o;
    for (const char *s = p; *s;) {
        while (*s == '/')
            s++;
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 0)
            break;
        bool dot = len == 1 && s[0] == '.', dotdot = len == 2 && s[0] == '.' && s[1] == '.';
        /* ".." takes back the last component, unless that is a ".." kept
         * at the start of a relative path; at the root it is dropped. */
        bool last_dotdot = o >= floor + 2 && out[o - 1] == '.' && out[o - 2] == '.' &&
                           (o - 2 == floor || out[o - 3] == '/');
        if (dotdot && o > floor && !last_dotdot) {
            while (o > floor && out[o - 1] != '/')
                o--;
            if (o > floor)
                o--;
        } else if (!dot && !(dotdot && abs)) {
            if (o > floor)
                out[o++] = '/';
            memcpy(out + o, s, len);
            o += len;
        }
        s += len;
    }
    out[o] = '\0';
    return out;
}

/* After prefix "dir/" in path, skip n more components; NULL if absent. */
static const char *after(const char *path, const char *marker, int skip)
{
    const char *p = strstr(path, marker);
    if (!p)
        return NULL;
    p += strlen(marker);
    for (int i = 0; i < skip; i++) {
        const char *s = strchr(p, '/');
        if (!s)
            return NULL;
        p = s + 1;
    }
    return *p ? p : NULL;
}

static bool is_semver(const char *s, size_t n);

/* "/rustc/<hash>/library/…", rustup's ".../lib/rustlib/src/rust/library/…"
 * and Debian's "/usr/src/rustc-1.85.0/library/…" → "library/…". */
static const char *sysroot_rel(const char *p)
{
    if (strncmp(p, "/rustc/", 7) == 0) {
        const char *s = strchr(p + 7, '/');
        if (s && is_hex(p + 7, (size_t)(s - p - 7)))
            return s + 1;
    }
    for (const char *d = strstr(p, "/rustc-"); d; d = strstr(d + 1, "/rustc-")) {
        const char *s = strchr(d + 7, '/');
        if (s && is_semver(d + 7, (size_t)(s - d - 7)) && strncmp(s + 1, "library/", 8) == 0)
            return s + 1;
    }
    const char *r = after(p, "/lib/rustlib/src/rust/", 0);
    return r;
}

/* A crate's name as Rust spells it: '-' → '_'. */
static const char *crate_ident(Arena *a, const char *s, size_t n)
{
    char *c = arena_strndup(a, s, n);
    for (char *q = c; *q; q++)
        if (*q == '-')
            *q = '_';
    return c;
}

/* Whether s[0..n) is a semantic version: N.N.N, then -pre and/or +build. */
static bool is_semver(const char *s, size_t n)
{
    size_t i = 0;
    for (int part = 0; part < 3; part++) {
        if (part && (i >= n || s[i++] != '.'))
            return false;
        size_t d = i;
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
        if (i == d)
            return false;
    }
    return i == n || s[i] == '-' || s[i] == '+';
}

/* The length of NAME when the path component c[0..n) is "NAME-VERSION" (a
 * registry's, `cargo vendor`'s or Debian's directory of a crate), else 0.
 * Each '-' is tried, so NAME may hold '-' (regex-syntax-0.6.27). */
static size_t versioned_dir(const char *c, size_t n)
{
    for (size_t i = 1; i + 1 < n; i++)
        if (c[i] == '-' && isdigit((unsigned char)c[i + 1]) && is_semver(c + i + 1, n - i - 1))
            return i;
    return 0;
}

/* "name-<hex>" (a git checkout's directory) → the length of name, else 0. */
static size_t hashed_dir(const char *c, size_t n)
{
    const char *d = memrchr(c, '-', n);
    size_t h = d ? n - (size_t)(d - c) - 1 : 0;
    return d && d > c && h >= 7 && is_hex(d + 1, h) ? (size_t)(d - c) : 0;
}

/* The first path component of p, or NULL when p has only one. */
static const char *first_component(Arena *a, const char *p)
{
    const char *e = strchr(p, '/');
    return e && e > p ? arena_strndup(a, p, (size_t)(e - p)) : NULL;
}

/* The [package] name of dir/Cargo.toml, or NULL. Reads at most 64 KiB. */
static const char *cargo_toml_name(Arena *a, const char *dir)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/Cargo.toml", dir) >= sizeof path)
        return NULL;
    FILE *f = infile_fopen(path, NULL, NULL, 0);
    if (!f)
        return NULL;
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *pkg = strstr(buf, "[package]");
    if (!pkg)
        return NULL;
    const char *next = strstr(pkg + 9, "\n[");
    for (const char *l = pkg; l && (!next || l < next); l = strchr(l + 1, '\n')) {
        const char *s = l + (*l == '\n');
        while (*s == ' ' || *s == '\t')
            s++;
        if (strncmp(s, "name", 4) != 0)
            continue;
        s += 4;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s++ != '=')
            continue;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s != '"')
            continue;
        const char *e = strchr(s + 1, '"');
        if (!e)
            return NULL;
        return crate_ident(a, s + 1, (size_t)(e - s - 1));
    }
    return NULL;
}

/* What a cleaned absolute path says by itself: the crate directory it lies
 * in, from where heft shows it, and the crate. False when no rule matches. */
static bool crate_dir(Arena *a, const char *c, const char **show, const char **crate)
{
    const char *r;
    if ((r = sysroot_rel(c))) {
        *show = r;
        *crate = strncmp(r, "library/", 8) == 0 ? first_component(a, r + 8) : NULL;
        /* library/stdarch/crates/core_arch/, library/portable-simd/crates/
         * core_simd/: submodules that core compiles as core::arch, core::simd. */
        if (*crate && strncmp(r + 8 + strlen(*crate), "/crates/", 8) == 0)
            *crate = "core";
        return true;
    }
    if ((r = after(c, "/git/checkouts/", 0))) {
        const char *e = strchr(r, '/');
        size_t n = e ? hashed_dir(r, (size_t)(e - r)) : 0;
        if (n) {
            *show = r;
            *crate = crate_ident(a, r, n);
            return true;
        }
    }
    /* The last "NAME-VERSION/" component: a registry's (~/.cargo/registry/
     * src/<index>/, /usr/share/cargo/registry/, rustc's /rust/deps/) or a
     * vendor directory's. The last, so a vendor directory inside a
     * versioned checkout names the vendored crate. */
    const char *best = NULL;
    size_t best_n = 0;
    for (const char *s = c; *s;) {
        while (*s == '/')
            s++;
        const char *e = strchr(s, '/');
        if (!e)
            break;
        size_t n = versioned_dir(s, (size_t)(e - s));
        if (n)
            best = s, best_n = n;
        s = e;
    }
    if (best) {
        *show = best;
        *crate = crate_ident(a, best, best_n);
        return true;
    }
    return false;
}

/* A compile unit's directory as the path rules need it. */
typedef struct CuDir {
    const char *dir;    /* DW_AT_comp_dir, cleaned; NULL when absent or relative */
    const char *prefix; /* its last component when it is a package's root, shown before paths under it */
} CuDir;

/* The last directory cu_dir looked at, and whether it is a package's root
 * by its Cargo.toml: units of one crate share it, so one read serves all. */
typedef struct PkgCache {
    const char *dir;
    bool pkg;
} PkgCache;

static CuDir cu_dir(Arena *a, const char *comp_dir, const char *unit_name, PkgCache *cache)
{
    CuDir d = {0};
    if (!comp_dir || comp_dir[0] != '/')
        return d;
    d.dir = clean_path(a, comp_dir);
    const char *base = strrchr(d.dir, '/');
    const char *show, *crate;
    /* A package's root: it has a [package] Cargo.toml, or the unit's
     * source is src/… under it. A workspace root is not (its members'
     * paths already start with their directory); neither is a crate
     * directory the path rules already name. */
    if (!base || !base[1] || crate_dir(a, arena_printf(a, "%s/", d.dir), &show, &crate))
        return d;
    if (!cache->dir || strcmp(cache->dir, d.dir) != 0) {
        cache->dir = d.dir;
        cache->pkg = cargo_toml_name(a, d.dir) != NULL;
    }
    if ((unit_name && strncmp(unit_name, "src/", 4) == 0) || cache->pkg)
        d.prefix = base + 1;
    return d;
}

/* Where a source file named raw (relative to the unit's directory, or
 * absolute) lives: *show, the path heft shows (crate-qualified), and
 * *crate, its crate, or NULL when no path rule says. */
static void source_path(Arena *a, const char *raw, const CuDir *cu, const char **show, const char **crate)
{
    const char *full = raw;
    if (raw[0] != '/' && cu->dir)
        full = arena_printf(a, "%s/%s", cu->dir, raw);
    char *c = clean_path(a, full);
    *crate = NULL;
    if (crate_dir(a, c, show, crate))
        return;
    size_t n = cu->dir ? strlen(cu->dir) : 0;
    const char *home = getenv("HOME");
    size_t hn = home ? strlen(home) : 0;
    if (n > 1 && strncmp(c, cu->dir, n) == 0 && c[n] == '/' && c[n + 1])
        *show = cu->prefix ? arena_printf(a, "%s/%s", cu->prefix, c + n + 1) : c + n + 1;
    else if (hn > 1 && strncmp(c, home, hn) == 0 && c[hn] == '/')
        *show = arena_printf(a, "~%s", c + hn);
    else
        *show = c;
    /* A build script's output (include!(concat!(env!("OUT_DIR"), …))). */
    const char *b = strstr(c, "/build/");
    if (b) {
        const char *s = b + 7, *e = strchr(s, '/');
        size_t k = e ? hashed_dir(s, (size_t)(e - s)) : 0;
        if (k && strncmp(e, "/out/", 5) == 0) {
            *crate = crate_ident(a, s, k);
            return;
        }
    }
    bool outside = *show == c || (*show)[0] == '~'; /* not under the unit's directory */
    if (c[0] == '/' && access(c, F_OK) == 0) {
        char *dir = arena_strdup(a, c);
        for (int i = 0; i < 64; i++) {
            char *slash = strrchr(dir, '/');
            if (!slash || slash == dir)
                break;
            *slash = '\0';
            if ((*crate = cargo_toml_name(a, dir))) {
                /* A package outside the unit's directory (a path dependency
                 * elsewhere): shown from its own directory, like the rest. */
                if (outside) {
                    const char *base = strrchr(dir, '/');
                    *show = c + (base - dir) + 1;
                }
                return;
            }
        }
    }
    /* The directory holding src/: cargo's layout for a package. */
    const char *src = strncmp(*show, "src/", 4) == 0 ? NULL : strstr(*show, "/src/");
    if (src) {
        const char *s = src;
        while (s > *show && s[-1] != '/')
            s--;
        if (s < src)
            *crate = crate_ident(a, s, (size_t)(src - s));
    }
}

void debuginfo_source(Arena *a, const char *path, const char *comp_dir, const char **show, const char **crate)
{
    if (!path || !*path) {
        *show = "[unnamed]";
        *crate = NULL;
        return;
    }
    PkgCache none = {0};
    CuDir d = cu_dir(a, comp_dir, path, &none);
    source_path(a, path, &d, show, crate);
}

/* ---- collecting ---- */

/* String → index, for units and files. A small open-addressing table; libdw
 * and libc offer none that grows. */
typedef struct Intern {
    const char **keys;
    uint32_t *ids;
    size_t cap, n;
} Intern;

/* Returns the index of key, or n (the next index) with *added set. */
static uint32_t intern(Intern *t, const char *key, bool *added)
{
    if (t->n * 2 >= t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        const char **keys = calloc(cap, sizeof *keys);
        uint32_t *ids = calloc(cap, sizeof *ids);
        if (!keys || !ids)
            abort();
        for (size_t i = 0; i < t->cap; i++)
            if (t->keys[i]) {
                size_t s = strhash(t->keys[i]) & (cap - 1);
                while (keys[s])
                    s = (s + 1) & (cap - 1);
                keys[s] = t->keys[i];
                ids[s] = t->ids[i];
            }
        free(t->keys);
        free(t->ids);
        t->keys = keys, t->ids = ids, t->cap = cap;
    }
    size_t s = strhash(key) & (t->cap - 1);
    for (; t->keys[s]; s = (s + 1) & (t->cap - 1))
        if (strcmp(t->keys[s], key) == 0) {
            *added = false;
            return t->ids[s];
        }
    t->keys[s] = key;
    t->ids[s] = (uint32_t)t->n;
    *added = true;
    return (uint32_t)t->n++;
}

typedef struct SrcPath {
    const char *show, *crate;
} SrcPath;

/* Addresses [lo, last]: inclusive, so that a section ending at 2^64 fits. */
typedef struct Extent {
    uint64_t lo, last;
} Extent;

typedef struct Loader {
    Arena *a;
    const Image *img;
    DebugInfo *out;
    Vec units, files, uranges, lranges, warnings;
    Intern unit_tab, file_tab, path_tab;
    Vec paths;                  /* SrcPath per path_tab entry */
    const unsigned char *lsec;  /* .debug_line, for the sequences (read_program) */
    size_t lsize;
    bool big_endian;
    CuDir cu;                   /* the unit being read */
    PkgCache pkg_cache;
    const char *ucrate;         /* its crate */
    uint64_t budget; /* bound on units, DIEs and ranges: the debug file's size */
    Extent *alloc, *code; /* the image's allocated and executable bytes (extents) */
    size_t nalloc, ncode;
    const char *warned; /* the unit warned about last */
    Dwarf_Off last_die; /* offset of the last unit DIE read */
} Loader;

/* One warning per unit: its first problem is the one worth reading. */
static void warn(Loader *L, const char *unit, const char *what)
{
    if (L->warnings.n >= MAX_WARNINGS || unit == L->warned)
        return;
    L->warned = unit;
    const char **w = vec_push(&L->warnings);
    *w = arena_printf(L->a, "debug info: unit %s: %s; skipped", unit, what);
}

static bool spend(Loader *L)
{
    if (!L->budget)
        return false;
    L->budget--;
    return true;
}

static int by_extent(const void *a, const void *b)
{
    const Extent *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    return x->last < y->last ? -1 : x->last > y->last;
}

/* The bytes of the image's allocated sections (executable ones if code), as
 * sorted disjoint extents: line rows and ranges come by the hundred thousand,
 * so each is looked up by binary search, not section by section. */
static Extent *extents(Arena *a, const Image *img, bool code, size_t *n)
{
    Extent *e = arena_array(a, img->nsections ? img->nsections : 1, sizeof *e);
    size_t k = 0;
    for (uint32_t i = 0; i < img->nsections; i++) {
        const Section *s = &img->sections[i];
        if ((s->flags & SHF_ALLOC) && s->size && (!code || (s->flags & SHF_EXECINSTR)))
            e[k++] = (Extent){s->addr, s->size - 1 > UINT64_MAX - s->addr ? UINT64_MAX : s->addr + (s->size - 1)};
    }
    if (k)
        qsort(e, k, sizeof *e, by_extent);
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (m && (e[m - 1].last == UINT64_MAX || e[i].lo <= e[m - 1].last + 1)) {
            if (e[i].last > e[m - 1].last)
                e[m - 1].last = e[i].last;
        } else {
            e[m++] = e[i];
        }
    }
    *n = m;
    return e;
}

/* Whether addr lies in an allocated section, executable if code. */
static bool in_image(Loader *L, uint64_t addr, bool code)
{
    const Extent *e = code ? L->code : L->alloc;
    size_t lo = 0, hi = code ? L->ncode : L->nalloc;
    while (lo < hi) { /* the first extent starting after addr */
        size_t mid = lo + (hi - lo) / 2;
        if (e[mid].lo <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && addr <= e[lo - 1].last;
}

/* The file a unit's line table or variable names: by its cleaned absolute
 * path, and when no path rule gives its crate, by the unit's crate too, so
 * that a file of no known crate is never charged to another unit's crate. */
static uint32_t file_id(Loader *L, const char *raw)
{
    const char *full = raw[0] == '/' || !L->cu.dir ? raw : arena_printf(L->a, "%s/%s", L->cu.dir, raw);
    const char *c = clean_path(L->a, full);
    bool added;
    uint32_t pi = intern(&L->path_tab, c, &added);
    if (added) {
        SrcPath *sp = vec_push(&L->paths);
        source_path(L->a, raw, &L->cu, &sp->show, &sp->crate);
    }
    const SrcPath *sp = &((SrcPath *)L->paths.p)[pi];
    const char *key = sp->crate ? c : arena_printf(L->a, "%s\n%s", c, L->ucrate);
    uint32_t id = intern(&L->file_tab, key, &added);
    if (added) {
        DebugFile *f = vec_push(&L->files);
        f->name = sp->show;
        f->crate = sp->crate ? sp->crate : L->ucrate;
    }
    return id;
}

static void add_range(Vec *v, uint64_t lo, uint64_t hi, uint32_t unit, uint32_t file, uint32_t line)
{
    DebugRange *r = vec_push(v);
    *r = (DebugRange){lo, hi, unit, file, line};
}

/* The crate a unit emits code for. rustc names its codegen units
 * "<path>/@/<crate>.<hash>-cgu.<n>", or in an incremental (dev) build
 * "<path>/@/<hash>": the crate of <path>, the crate root's source. Any other
 * unit (C from a build script, C++) takes its source's crate. */
static const char *unit_crate(Arena *a, const char *name, const CuDir *cu)
{
    const char *at = strstr(name, "/@/");
    if (at) {
        const char *s = at + 3, *e = s;
        while (*e && *e != '.' && *e != '/')
            e++;
        if (e > s && *e == '.')
            return arena_strndup(a, s, (size_t)(e - s));
    }
    const char *path = at ? arena_strndup(a, name, (size_t)(at - name)) : name;
    const char *show, *crate;
    source_path(a, path, cu, &show, &crate);
    return crate ? crate : "[no crate]";
}

/* ---- line programs ---- */

typedef struct Reader {
    const unsigned char *p, *end;
    bool bad, be;
} Reader;

static uint64_t rd_uint(Reader *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)r->p[r->be ? n - 1 - i : i] << (8 * i);
    r->p += n;
    return v;
}

static uint64_t rd_uleb(Reader *r)
{
    uint64_t v;
    r->bad |= !leb128_u(&r->p, r->end, &v);
    return v;
}

static int64_t rd_sleb(Reader *r)
{
    int64_t v;
    r->bad |= !leb128_s(&r->p, r->end, &v);
    return v;
}

/* Runs the line program at offset off of .debug_line, as DWARF 2 to 5 define
 * it, and adds a range per row: from its address to the next row's of the
 * same sequence, so a row never runs past its sequence's DW_LNE_end_sequence
 * (libdw's dwarf_getsrclines sorts the rows of all sequences by address,
 * which loses where each ends). files maps the file register to heft's file
 * ids (UINT32_MAX: not yet named, then named from libdw's file table).
 * Returns false when the program is malformed (what was read is kept). */
static bool read_program(Loader *L, uint64_t off, uint32_t unit, Dwarf_Files *files, size_t nfiles, uint32_t *map)
{
    if (!L->lsec || off >= L->lsize)
        return false;
    Reader r = {L->lsec + off, L->lsec + L->lsize, false, L->big_endian};
    uint64_t len = rd_uint(&r, 4);
    int offsz = 4;
    if (len == 0xffffffffu)
        len = rd_uint(&r, 8), offsz = 8;
    if (r.bad || len > (uint64_t)(r.end - r.p))
        return false;
    r.end = r.p + len;
    unsigned version = (unsigned)rd_uint(&r, 2);
    if (version < 2 || version > 5)
        return false;
    if (version >= 5)
        rd_uint(&r, 2); /* address_size, segment_selector_size */
    uint64_t hlen = rd_uint(&r, (size_t)offsz);
    if (r.bad || hlen > (uint64_t)(r.end - r.p))
        return false;
    const unsigned char *prog = r.p + hlen;
    unsigned min_inst = (unsigned)rd_uint(&r, 1);
    if (version >= 4)
        rd_uint(&r, 1); /* maximum_operations_per_instruction: VLIW op_index not tracked */
    bool default_stmt = rd_uint(&r, 1) != 0;
    (void)default_stmt;
    int line_base = (int)(signed char)rd_uint(&r, 1);
    unsigned line_range = (unsigned)rd_uint(&r, 1);
    unsigned opcode_base = (unsigned)rd_uint(&r, 1);
    if (r.bad || line_range == 0 || opcode_base == 0 || prog < r.p || (size_t)(prog - r.p) < opcode_base - 1)
        return false;
    const unsigned char *lengths = r.p; /* standard_opcode_lengths[opcode_base - 1] */
    r.p = prog;

    uint64_t addr = 0, file = 1, line = 1; /* line wraps as unsigned: no overflow on hostile input */
    bool pending = false; /* a row whose range ends at the next row's address */
    uint64_t p_addr = 0, p_file = 0, p_line = 0;
    while (r.p < r.end && !r.bad) {
        if (!spend(L))
            return false;
        unsigned op = *r.p++;
        bool row = false, end_seq = false;
        if (op >= opcode_base) {
            unsigned adj = op - opcode_base;
            addr += (uint64_t)(adj / line_range) * min_inst;
            line += (uint64_t)(int64_t)(line_base + (int)(adj % line_range));
            row = true;
        } else if (op == 0) {
            uint64_t n = rd_uleb(&r);
            if (r.bad || n == 0 || n > (uint64_t)(r.end - r.p))
                return false;
            const unsigned char *next = r.p + n;
            unsigned sub = *r.p++;
            if (sub == DW_LNE_end_sequence) {
                row = end_seq = true;
            } else if (sub == DW_LNE_set_address) {
                size_t w = (size_t)(n - 1);
                addr = w == 4 || w == 8 || w == 2 ? rd_uint(&r, w) : 0;
            }
            r.p = next;
        } else {
            switch (op) {
            case DW_LNS_copy: row = true; break;
            case DW_LNS_advance_pc: addr += rd_uleb(&r) * min_inst; break;
            case DW_LNS_advance_line: line += (uint64_t)rd_sleb(&r); break;
            case DW_LNS_set_file: file = rd_uleb(&r); break;
            case DW_LNS_const_add_pc: addr += (uint64_t)((255 - opcode_base) / line_range) * min_inst; break;
            case DW_LNS_fixed_advance_pc: addr += rd_uint(&r, 2); break;
            default:
                for (unsigned i = 0; i < lengths[op - 1]; i++)
                    rd_uleb(&r);
            }
        }
        if (!row || r.bad)
            continue;
        if (pending && addr > p_addr && in_image(L, p_addr, true) && p_file < nfiles) {
            if (map[p_file] == UINT32_MAX) {
                const char *src = dwarf_filesrc(files, (size_t)p_file, NULL, NULL);
                map[p_file] = file_id(L, src ? src : "[unnamed]");
            }
            add_range(&L->lranges, p_addr, addr, unit, map[p_file],
                      p_line <= UINT32_MAX ? (uint32_t)p_line : 0);
        }
        pending = !end_seq;
        p_addr = addr, p_file = file, p_line = line;
        if (end_seq) {
            addr = 0, file = 1, line = 1;
        }
    }
    return !r.bad;
}

static void read_lines(Loader *L, Dwarf_Die *cu, uint32_t unit, const char *uname)
{
    Dwarf_Attribute at;
    Dwarf_Word off;
    if (!dwarf_attr(cu, DW_AT_stmt_list, &at))
        return;
    Dwarf_Files *files;
    size_t nfiles;
    if (dwarf_formudata(&at, &off) != 0 || dwarf_getsrcfiles(cu, &files, &nfiles) != 0) {
        warn(L, uname, arena_printf(L->a, "line table: %s", dwarf_errmsg(-1)));
        return;
    }
    uint32_t *map = malloc((nfiles ? nfiles : 1) * sizeof *map);
    if (!map)
        abort();
    for (size_t i = 0; i < nfiles; i++)
        map[i] = UINT32_MAX;
    if (!read_program(L, off, unit, files, nfiles, map))
        warn(L, uname, "line table: malformed line program");
    free(map);
}

/* A global or static variable at a fixed address: its bytes belong to the
 * unit that defines it and to the file that declares it. */
static void read_variable(Loader *L, Dwarf_Die *die, uint32_t unit)
{
    Dwarf_Attribute at;
    Dwarf_Op *ops;
    size_t nops;
    if (!dwarf_attr(die, DW_AT_location, &at) || dwarf_getlocation(&at, &ops, &nops) != 0 || nops != 1)
        return;
    uint64_t addr = ops[0].number;
    Dwarf_Attribute ref;
    if (ops[0].atom == DW_OP_addrx || ops[0].atom == DW_OP_GNU_addr_index) {
        /* DWARF 5 (clang's default): an index into .debug_addr. */
        if (dwarf_getlocation_attr(&at, &ops[0], &ref) != 0 || dwarf_formaddr(&ref, &addr) != 0)
            return;
    } else if (ops[0].atom != DW_OP_addr) {
        return;
    }
    Dwarf_Die type;
    Dwarf_Word size;
    if (!dwarf_attr_integrate(die, DW_AT_type, &at) || !dwarf_formref_die(&at, &type) ||
        dwarf_aggregate_size(&type, &size) != 0 || !size || addr + size < addr || !in_image(L, addr, false))
        return;
    const char *decl = dwarf_decl_file(die);
    int line = 0;
    dwarf_decl_line(die, &line);
    add_range(&L->uranges, addr, addr + size, unit, 0, 0);
    if (decl)
        add_range(&L->lranges, addr, addr + size, unit, file_id(L, decl), line > 0 ? (uint32_t)line : 0);
}

/* Walks the scopes that can hold variables with static storage (namespaces,
 * functions, blocks), not types. Iterative, depth-bounded. */
static void read_variables(Loader *L, Dwarf_Die *cu, uint32_t unit, const char *uname)
{
    Dwarf_Die stack[MAX_DEPTH];
    int depth = 0;
    if (dwarf_child(cu, &stack[0]) != 0)
        return;
    for (;;) {
        if (!spend(L)) {
            warn(L, uname, "more DIEs than the file has bytes");
            return;
        }
        Dwarf_Die *d = &stack[depth];
        int tag = dwarf_tag(d);
        if (tag == DW_TAG_variable)
            read_variable(L, d, unit);
        bool descend = tag == DW_TAG_namespace || tag == DW_TAG_module || tag == DW_TAG_subprogram ||
                       tag == DW_TAG_lexical_block;
        if (descend && depth + 1 < MAX_DEPTH && dwarf_haschildren(d) > 0 && dwarf_child(d, &stack[depth + 1]) == 0) {
            depth++;
            continue;
        }
        int rc;
        while ((rc = dwarf_siblingof(&stack[depth], &stack[depth])) != 0) {
            if (rc < 0) {
                warn(L, uname, arena_printf(L->a, "DIE tree: %s", dwarf_errmsg(-1)));
                return;
            }
            if (depth == 0)
                return;
            depth--;
        }
    }
}

static void read_unit(Loader *L, Dwarf_Die *cu, uint8_t unit_type)
{
    Dwarf_Attribute at;
    const char *name = dwarf_diename(cu);
    if (!name) /* a split-DWARF skeleton keeps its name in the .dwo */
        name = dwarf_formstring(dwarf_attr(cu, DW_AT_dwo_name, &at));
    if (!name)
        name = dwarf_formstring(dwarf_attr(cu, DW_AT_GNU_dwo_name, &at));
    const char *comp_dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &at));
    const char *raw = name ? name : "[unnamed unit]";
    L->cu = cu_dir(L->a, comp_dir, raw, &L->pkg_cache);
    const char *norm, *crate;
    source_path(L->a, raw, &L->cu, &norm, &crate);
    bool added;
    uint32_t unit = intern(&L->unit_tab, norm, &added);
    if (added) {
        DebugUnit *u = vec_push(&L->units);
        u->name = norm;
        u->inst_crate = unit_crate(L->a, name ? name : "", &L->cu);
    }
    L->ucrate = ((DebugUnit *)L->units.p)[unit].inst_crate;
    bool split =
        unit_type == DW_UT_skeleton || dwarf_hasattr(cu, DW_AT_GNU_dwo_name) || dwarf_hasattr(cu, DW_AT_dwo_name);
    if (split)
        L->out->split_units++;

    Dwarf_Addr base, lo, hi;
    ptrdiff_t off = 0;
    while ((off = dwarf_ranges(cu, off, &base, &lo, &hi)) > 0 && spend(L))
        if (hi > lo && in_image(L, lo, true))
            add_range(&L->uranges, lo, hi, unit, 0, 0);
    if (off < 0)
        warn(L, norm, arena_printf(L->a, "address ranges: %s", dwarf_errmsg(-1)));
    read_lines(L, cu, unit, norm);
    if (!split)
        read_variables(L, cu, unit, norm);
}

static int by_lo(const void *a, const void *b)
{
    const DebugRange *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    if (x->hi != y->hi)
        return x->hi > y->hi ? -1 : 1;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Sorts and clips so each address has one range: the earliest start wins. */
static DebugRange *disjoint(Arena *a, Vec *v, size_t *n)
{
    if (v->n)
        qsort(v->p, v->n, sizeof(DebugRange), by_lo);
    DebugRange *out = arena_array(a, v->n ? v->n : 1, sizeof *out);
    size_t k = 0;
    uint64_t until = 0;
    for (size_t i = 0; i < v->n; i++) {
        DebugRange r = ((DebugRange *)v->p)[i];
        if (k && r.hi <= until)
            continue;
        if (k && r.lo < until)
            r.lo = until;
        if (k && out[k - 1].hi == r.lo && out[k - 1].unit == r.unit && out[k - 1].file == r.file &&
            out[k - 1].line == r.line)
            out[k - 1].hi = r.hi;
        else
            out[k++] = r;
        until = r.hi;
    }
    *n = k;
    free(v->p);
    return out;
}

/* ---- finding the debug file ---- */

typedef struct Cand {
    int fd;
    Elf *elf;
    unsigned char *plain; /* the decompressed copy elf reads, if any (see unzstd) */
} Cand;

static void cand_close(Cand *c)
{
    if (c->elf)
        elf_end(c->elf);
    if (c->fd >= 0)
        close(c->fd);
    free(c->plain);
    c->elf = NULL;
    c->fd = -1;
    c->plain = NULL;
}

/* A candidate that is no regular file (a FIFO would block, a device never
 * end) is passed over as if absent; why (may be NULL) says what was wrong
 * with it when it could not be opened at all. */
static bool cand_open(Cand *c, const char *path, char *why, size_t whylen)
{
    c->elf = NULL;
    c->plain = NULL;
    c->fd = infile_open(path, NULL, why, whylen);
    if (c->fd < 0)
        return false;
    c->elf = elf_begin(c->fd, ELF_C_READ_MMAP, NULL);
    if (!c->elf || elf_kind(c->elf) != ELF_K_ELF) {
        cand_close(c);
        return false;
    }
    return true;
}

static Elf_Scn *find_section(Elf *elf, const char *name)
{
    size_t shstrndx;
    if (elf_getshdrstrndx(elf, &shstrndx) != 0)
        return NULL;
    for (Elf_Scn *s = elf_nextscn(elf, NULL); s; s = elf_nextscn(elf, s)) {
        GElf_Shdr sh;
        const char *n;
        if (gelf_getshdr(s, &sh) && (n = elf_strptr(elf, shstrndx, sh.sh_name)) && strcmp(n, name) == 0)
            return s;
    }
    return NULL;
}

static bool has_dwarf(Elf *elf)
{
    Elf_Scn *s = find_section(elf, ".debug_info");
    if (!s)
        s = find_section(elf, ".zdebug_info");
    GElf_Shdr sh;
    return s && gelf_getshdr(s, &sh) && sh.sh_type != SHT_NOBITS && sh.sh_size > 0;
}

#ifndef ELFCOMPRESS_ZSTD
#define ELFCOMPRESS_ZSTD 2 /* gABI; elf.h of glibc 2.36 lacks it */
#endif

/* What the compressed sections of a debug file may inflate to, in all.
 * Measured with objcopy --compress-debug-sections (zlib, zstd), real debug
 * info inflates 1.1 to 4.8 times (a cc -g program 1.1 to 1.6, heft itself
 * 2.1, g++ -g with the STL 3.7, Rust debug builds 3.6 to 4.8), to at most 3.2
 * times the whole file; Debian's libc6-dbg files go furthest: 25 times, 13
 * times the file (one .debug_abbrev alone 83). A bomb claims up to 1032
 * times (zlib's limit, which libelf holds it to) or more (zstd). 64 MiB plus
 * 100 times the file is far beyond any real file and far below a bomb; and
 * since that still lets a big file ask for more than the machine has, the
 * claims may not pass half its memory or of the address space limit either. */
#define INFLATE_FLOOR (64ull << 20)
#define INFLATE_RATIO 100

/* Half the physical memory, or of RLIMIT_AS if that is less; *what names it. */
static uint64_t memory_cap(const char **what)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    uint64_t cap = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page / 2 : UINT64_MAX;
    *what = "this machine's memory";
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur / 2 < cap) {
        cap = rl.rlim_cur / 2;
        *what = "the address space limit (ulimit -v)";
    }
    return cap;
}

/* The size a compressed section claims to inflate to: SHF_COMPRESSED ones in
 * their compression header, .zdebug_* after GNU's "ZLIB" (big-endian); 0 for
 * others. */
static uint64_t claimed_size(Elf *elf, Elf_Scn *s, size_t shstrndx, const unsigned char *raw, size_t fsize)
{
    GElf_Shdr sh;
    GElf_Chdr ch;
    if (!gelf_getshdr(s, &sh) || sh.sh_type == SHT_NOBITS)
        return 0;
    if (sh.sh_flags & SHF_COMPRESSED)
        return gelf_getchdr(s, &ch) ? ch.ch_size : 0;
    const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
    if (!name || strncmp(name, ".zdebug", 7) != 0 || sh.sh_offset > fsize || fsize - sh.sh_offset < 12 ||
        sh.sh_size < 12 || memcmp(raw + sh.sh_offset, "ZLIB", 4) != 0)
        return 0;
    uint64_t n = 0;
    for (int i = 0; i < 8; i++)
        n = n << 8 | raw[sh.sh_offset + 4 + (size_t)i];
    return n;
}

/* libelf inflates a zlib-compressed section when libdw first reads it, and
 * unzstd a zstd one, each into one allocation of the size it claims: so
 * before either, the claims are held to the bounds above. False, with a
 * reason in err, when they break one. */
static bool inflate_bounded(Elf *elf, const char *path, char *err, size_t errlen)
{
    size_t fsize, shstrndx;
    const unsigned char *raw = (const unsigned char *)elf_rawfile(elf, &fsize);
    if (!raw || elf_getshdrstrndx(elf, &shstrndx) != 0)
        return true;
    uint64_t total = 0;
    for (Elf_Scn *s = elf_nextscn(elf, NULL); s; s = elf_nextscn(elf, s)) {
        uint64_t n = claimed_size(elf, s, shstrndx, raw, fsize);
        total = total + n < total ? UINT64_MAX : total + n;
    }
    const char *what;
    uint64_t mem = memory_cap(&what), ratio = INFLATE_FLOOR + (uint64_t)fsize * INFLATE_RATIO;
    if (total > ratio)
        snprintf(err, errlen, "debug info in %s: compressed sections claim to inflate to %llu bytes, more than %llu MiB "
                              "plus %d times the file's %zu (a decompression bomb?)",
                 path, (unsigned long long)total, INFLATE_FLOOR >> 20, INFLATE_RATIO, fsize);
    else if (total > mem)
        snprintf(err, errlen, "debug info in %s: compressed sections claim to inflate to %llu bytes, more than half "
                              "of %s",
                 path, (unsigned long long)total, what);
    else
        return true;
    return false;
}

/* Whether the section is compressed with zstd; its header in *sh. */
static bool zstd_section(Elf_Scn *s, GElf_Shdr *sh, GElf_Chdr *ch)
{
    return gelf_getshdr(s, sh) && (sh->sh_flags & SHF_COMPRESSED) && sh->sh_type != SHT_NOBITS &&
           gelf_getchdr(s, ch) && ch->ch_type == ELFCOMPRESS_ZSTD;
}

static bool zstd_compressed(Elf *elf)
{
    for (Elf_Scn *s = elf_nextscn(elf, NULL); s; s = elf_nextscn(elf, s)) {
        GElf_Shdr sh;
        GElf_Chdr ch;
        if (zstd_section(s, &sh, &ch))
            return true;
    }
    return false;
}

static void put(unsigned char *p, uint64_t v, int n, bool big_endian)
{
    for (int i = 0; i < n; i++)
        p[big_endian ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* elfutils' libelf reads zstd-compressed sections only when built with zstd
 * (0.189 on; Debian 12 has 0.188). So heft inflates them with libzstd into a
 * copy of the file, the plain bytes appended at its end and the section
 * headers pointed at them, and reads the copy instead; what they claim is
 * already bounded (inflate_bounded). False when that cannot be done (c is
 * then unchanged). */
static bool unzstd(Cand *c)
{
    size_t fsize;
    const unsigned char *raw = (const unsigned char *)elf_rawfile(c->elf, &fsize);
    GElf_Ehdr eh;
    if (!raw || !gelf_getehdr(c->elf, &eh))
        return false;
    bool is64 = eh.e_ident[EI_CLASS] == ELFCLASS64, be = eh.e_ident[EI_DATA] == ELFDATA2MSB;
    uint64_t chdr = is64 ? sizeof(Elf64_Chdr) : sizeof(Elf32_Chdr), shdr = is64 ? 64 : 40;
    uint64_t total = (fsize + 7) & ~7ull;
    for (Elf_Scn *s = elf_nextscn(c->elf, NULL); s; s = elf_nextscn(c->elf, s)) {
        GElf_Shdr sh;
        GElf_Chdr ch;
        if (!zstd_section(s, &sh, &ch))
            continue;
        uint64_t idx = elf_ndxscn(s);
        if (sh.sh_offset > fsize || sh.sh_size > fsize - sh.sh_offset || sh.sh_size < chdr || eh.e_shoff > fsize ||
            idx > (fsize - eh.e_shoff) / shdr || eh.e_shoff + (idx + 1) * shdr > fsize)
            return false;
        total += (ch.ch_size + 7) & ~7ull;
    }
    if (total > SIZE_MAX)
        return false;
    unsigned char *buf = malloc(total ? total : 1);
    if (!buf)
        return false;
    memcpy(buf, raw, fsize);
    uint64_t pos = (fsize + 7) & ~7ull;
    for (Elf_Scn *s = elf_nextscn(c->elf, NULL); s; s = elf_nextscn(c->elf, s)) {
        GElf_Shdr sh;
        GElf_Chdr ch;
        if (!zstd_section(s, &sh, &ch))
            continue;
        size_t got = ZSTD_decompress(buf + pos, ch.ch_size, raw + sh.sh_offset + chdr, sh.sh_size - chdr);
        if (ZSTD_isError(got) || got != ch.ch_size) {
            free(buf);
            return false;
        }
        unsigned char *h = buf + eh.e_shoff + elf_ndxscn(s) * shdr;
        int w = is64 ? 8 : 4; /* sh_flags, sh_offset, sh_size follow sh_name and sh_type */
        put(h + 8, sh.sh_flags & ~(uint64_t)SHF_COMPRESSED, w, be);
        put(h + 8 + 2 * w, pos, w, be);
        put(h + 8 + 3 * w, ch.ch_size, w, be);
        pos += (ch.ch_size + 7) & ~7ull;
    }
    Elf *e = elf_memory((char *)buf, total);
    if (!e || elf_kind(e) != ELF_K_ELF) {
        if (e)
            elf_end(e);
        free(buf);
        return false;
    }
    elf_end(c->elf);
    c->elf = e;
    c->plain = buf;
    return true;
}

/* The GNU build-id note's bytes, or 0. */
static size_t build_id(Elf *elf, unsigned char *id, size_t cap)
{
    for (Elf_Scn *s = elf_nextscn(elf, NULL); s; s = elf_nextscn(elf, s)) {
        GElf_Shdr sh;
        Elf_Data *d;
        if (!gelf_getshdr(s, &sh) || sh.sh_type != SHT_NOTE || !(d = elf_getdata(s, NULL)))
            continue;
        GElf_Nhdr nh;
        size_t off = 0, no, dd;
        for (size_t next; (next = gelf_getnote(d, off, &nh, &no, &dd)) > off; off = next)
            if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && memcmp((char *)d->d_buf + no, "GNU", 4) == 0 &&
                nh.n_descsz <= cap && nh.n_descsz > 0) {
                memcpy(id, (char *)d->d_buf + dd, nh.n_descsz);
                return nh.n_descsz;
            }
    }
    return 0;
}

static const char *debuglink(Arena *a, Elf *elf)
{
    Elf_Scn *s = find_section(elf, ".gnu_debuglink");
    Elf_Data *d = s ? elf_getdata(s, NULL) : NULL;
    if (!d || !d->d_buf || !d->d_size)
        return NULL;
    size_t n = strnlen(d->d_buf, d->d_size);
    if (n == 0 || n == d->d_size || memchr(d->d_buf, '/', n))
        return NULL;
    return arena_strndup(a, d->d_buf, n);
}

/* A candidate is taken when it has DWARF and, if both carry a build-id, the
 * same one: a stale debug file describes other addresses. */
static bool try_cand(Cand *c, const char *path, const unsigned char *id, size_t idlen)
{
    if (!cand_open(c, path, NULL, 0))
        return false;
    unsigned char cid[64];
    size_t clen = build_id(c->elf, cid, sizeof cid);
    if (!has_dwarf(c->elf) || (idlen && clen && (clen != idlen || memcmp(cid, id, idlen) != 0))) {
        cand_close(c);
        return false;
    }
    return true;
}

/* <dir>/.build-id/xx/yyyy.debug for a build-id of 2 to 64 bytes, else NULL. */
static const char *build_id_path(Arena *a, const char *dir, const unsigned char *id, size_t idlen)
{
    if (idlen < 2 || idlen > 64)
        return NULL;
    char hex[129];
    for (size_t i = 0; i < idlen; i++)
        snprintf(hex + 2 * i, 3, "%02x", id[i]);
    return arena_printf(a, "%s/.build-id/%.2s/%s.debug", dir, hex, hex + 2);
}

static const char *find_debug(Arena *a, const Image *img, const DebugOpts *o, Cand *main, Cand *dbg)
{
    if (has_dwarf(main->elf)) {
        *dbg = *main;
        main->fd = -1, main->elf = NULL, main->plain = NULL;
        return img->path;
    }
    const char *dir = o->debug_dir ? o->debug_dir : "/usr/lib/debug";
    unsigned char id[64];
    size_t idlen = build_id(main->elf, id, sizeof id);
    const char *p = build_id_path(a, dir, id, idlen);
    if (p && try_cand(dbg, p, id, idlen))
        return p;
    const char *link = debuglink(a, main->elf);
    if (link) {
        char *d = arena_strdup(a, img->path);
        char *slash = strrchr(d, '/');
        const char *fdir = slash ? (*slash = '\0', d[0] ? d : "/") : ".";
        char real[4096];
        const char *absdir = realpath(fdir, real) ? arena_strdup(a, real) : fdir;
        const char *cands[] = {arena_printf(a, "%s/%s", fdir, link), arena_printf(a, "%s/.debug/%s", fdir, link),
                               arena_printf(a, "%s%s/%s", dir, absdir, link)};
        for (size_t i = 0; i < sizeof cands / sizeof *cands; i++)
            if (strcmp(cands[i], img->path) != 0 && try_cand(dbg, cands[i], id, idlen))
                return cands[i];
    }
    return NULL;
}

struct DebugAlt {
    Cand file; /* the alternate file, or the stand-in for none */
    Dwarf *dw;
};

/* An ELF file whose only DWARF is one byte of .debug_line: enough for libdw
 * to take it as a Dwarf, which holds no string and no DIE. */
static bool empty_dwarf_file(Cand *c)
{
    struct Stub {
        Elf64_Ehdr eh;
        Elf64_Shdr sh[3];
        char names[24];
        char line[8];
    } *f = calloc(1, sizeof *f);
    if (!f)
        return false;
    static const char names[] = "\0.shstrtab\0.debug_line";
    const uint16_t one = 1;
    memcpy(f->eh.e_ident, ELFMAG, SELFMAG);
    f->eh.e_ident[EI_CLASS] = ELFCLASS64;
    f->eh.e_ident[EI_DATA] = *(const unsigned char *)&one ? ELFDATA2LSB : ELFDATA2MSB;
    f->eh.e_ident[EI_VERSION] = EV_CURRENT;
    f->eh.e_type = ET_EXEC;
    f->eh.e_version = EV_CURRENT;
    f->eh.e_shoff = offsetof(struct Stub, sh);
    f->eh.e_ehsize = sizeof f->eh;
    f->eh.e_shentsize = sizeof f->sh[0];
    f->eh.e_shnum = 3;
    f->eh.e_shstrndx = 1;
    memcpy(f->names, names, sizeof names);
    f->sh[1] = (Elf64_Shdr){.sh_name = 1, .sh_type = SHT_STRTAB, .sh_offset = offsetof(struct Stub, names),
                            .sh_size = sizeof names, .sh_addralign = 1};
    f->sh[2] = (Elf64_Shdr){.sh_name = 11, .sh_type = SHT_PROGBITS, .sh_offset = offsetof(struct Stub, line),
                            .sh_size = 1, .sh_addralign = 1};
    c->fd = -1;
    c->plain = (unsigned char *)f;
    c->elf = elf_memory((char *)f, sizeof *f);
    if (!c->elf) {
        cand_close(c);
        return false;
    }
    return true;
}

/* A candidate alternate: an ELF file with the build-id asked for, when it
 * has one (dwz always writes it). */
static bool try_alt(Cand *c, const char *path, const unsigned char *id, size_t idlen)
{
    if (!path || !cand_open(c, path, NULL, 0))
        return false;
    unsigned char cid[64];
    size_t clen = build_id(c->elf, cid, sizeof cid);
    if (clen && (clen != idlen || memcmp(cid, id, idlen) != 0)) {
        cand_close(c);
        return false;
    }
    return true;
}

DebugAlt *debuginfo_alt_set(Arena *a, Dwarf *dw, const char *from, const char *debug_dir)
{
    const char *name;
    const void *idp;
    ssize_t n = dwelf_dwarf_gnu_debugaltlink(dw, &name, &idp);
    if (n <= 0)
        return NULL;
    const unsigned char *id = idp;
    size_t idlen = (size_t)n;
    const char *slash = strrchr(from, '/');
    const char *cands[] = {
        build_id_path(a, debug_dir ? debug_dir : "/usr/lib/debug", id, idlen),
        name[0] == '/' || !slash ? name : arena_printf(a, "%.*s/%s", (int)(slash - from), from, name)};
    DebugAlt *alt = arena_alloc(a, sizeof *alt);
    alt->file = (Cand){-1, NULL, NULL};
    for (size_t i = 0; i < sizeof cands / sizeof *cands && !alt->dw; i++)
        if (try_alt(&alt->file, cands[i], id, idlen) &&
            !(alt->dw = dwarf_begin_elf(alt->file.elf, DWARF_C_READ, NULL)))
            cand_close(&alt->file);
    if (!alt->dw && empty_dwarf_file(&alt->file) &&
        !(alt->dw = dwarf_begin_elf(alt->file.elf, DWARF_C_READ, NULL)))
        cand_close(&alt->file);
    if (!alt->dw)
        return NULL;
    dwarf_setalt(dw, alt->dw);
    return alt;
}

void debuginfo_alt_end(DebugAlt *alt)
{
    if (!alt)
        return;
    dwarf_end(alt->dw);
    cand_close(&alt->file);
}

/* libdw ends the walk quietly at a unit whose length runs past the section:
 * find where the chain of unit headers stops, and say what is left unread
 * (unless it is zero padding). */
static void check_tail(Loader *L, Dwarf *dw, Elf *elf)
{
    Elf_Scn *s = find_section(elf, ".debug_info");
    Elf_Data *d = s ? elf_getdata(s, NULL) : NULL;
    if (!d || !d->d_buf)
        return;
    Dwarf_Off off = 0, next;
    size_t hsize;
    while (off < d->d_size && spend(L) &&
           dwarf_next_unit(dw, off, &next, &hsize, NULL, NULL, NULL, NULL, NULL, NULL) == 0 && next > off &&
           next <= d->d_size)
        off = next;
    const unsigned char *p = d->d_buf;
    size_t nz = off;
    while (nz < d->d_size && !p[nz])
        nz++;
    if (nz >= d->d_size || L->warnings.n >= MAX_WARNINGS)
        return;
    const char **w = vec_push(&L->warnings);
    const char *last = L->units.n ? ((DebugUnit *)L->units.p)[L->units.n - 1].name : NULL;
    if (last && L->last_die > off)
        *w = arena_printf(L->a, "debug info: unit %s (at offset %#llx of .debug_info) runs past the section's end; "
                          "what libdw read of it is used", last, (unsigned long long)off);
    else
        *w = arena_printf(L->a, "debug info: the unit at offset %#llx of .debug_info%s%s%s is truncated or corrupt; "
                          "it and the %llu bytes after it skipped", (unsigned long long)off,
                          last ? " (after " : "", last ? last : "", last ? ")" : "",
                          (unsigned long long)(d->d_size - off));
}

int debuginfo_load(Arena *a, const Image *img, const DebugOpts *o, DebugInfo *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    Cand main = {-1, NULL, NULL}, dbg = {-1, NULL, NULL};
    const char *mismatch = NULL;
    elf_version(EV_CURRENT);
    if (img->kind == ET_REL) {
        const char **w = arena_alloc(a, sizeof *w);
        *w = "debug info of a relocatable object is not attributed (its addresses are not yet relocated)";
        out->warnings = w;
        out->nwarnings = 1;
        return 0;
    }
    if (o->debug_file) {
        char why[128] = "cannot read it as ELF";
        if (!cand_open(&dbg, o->debug_file, why, sizeof why)) {
            snprintf(err, errlen, "--debug-file %s: %s", o->debug_file, why);
            return -1;
        }
        if (!has_dwarf(dbg.elf)) {
            cand_close(&dbg);
            snprintf(err, errlen, "--debug-file %s: no DWARF (.debug_info) in it", o->debug_file);
            return -1;
        }
        out->from = o->debug_file;
        unsigned char id[64], did[64];
        size_t idlen = cand_open(&main, img->path, NULL, 0) ? build_id(main.elf, id, sizeof id) : 0;
        size_t didlen = build_id(dbg.elf, did, sizeof did);
        cand_close(&main);
        if (idlen && didlen && (idlen != didlen || memcmp(id, did, idlen) != 0))
            mismatch = arena_printf(a, "--debug-file %s has another build-id than the file: it may describe other "
                                       "addresses", o->debug_file);
    } else {
        if (!cand_open(&main, img->path, NULL, 0))
            return 0;
        out->from = find_debug(a, img, o, &main, &dbg);
        cand_close(&main);
        if (!out->from)
            return 0;
    }
    if (!inflate_bounded(dbg.elf, out->from, err, errlen)) {
        cand_close(&dbg);
        return -1;
    }
    Loader L = {.a = a, .img = img, .out = out};
    L.alloc = extents(a, img, false, &L.nalloc);
    L.code = extents(a, img, true, &L.ncode);
    L.warnings.elem = sizeof(const char *);
    if (mismatch)
        *(const char **)vec_push(&L.warnings) = mismatch;
    L.units.elem = sizeof(DebugUnit);
    L.files.elem = sizeof(DebugFile);
    L.uranges.elem = L.lranges.elem = sizeof(DebugRange);
    L.paths.elem = sizeof(SrcPath);
    struct stat st;
    L.budget = fstat(dbg.fd, &st) == 0 && st.st_size > 0 ? (uint64_t)st.st_size : 0;

    bool zstd_failed = zstd_compressed(dbg.elf) && !unzstd(&dbg);
    Dwarf *dw = dwarf_begin_elf(dbg.elf, DWARF_C_READ, NULL);
    DebugAlt *alt = dw ? debuginfo_alt_set(a, dw, out->from, o->debug_dir) : NULL;
    if (!dw) {
        const char **w = vec_push(&L.warnings);
        *w = zstd_failed ? arena_printf(a, "debug info in %s: zstd-compressed sections that do not decompress; "
                                           "no units or files", out->from)
                         : arena_printf(a, "debug info in %s unreadable: %s; no units or files", out->from,
                                        dwarf_errmsg(-1));
    } else {
        /* The line programs, read directly for their sequences (read_program).
         * libdw has already inflated a compressed section in place. */
        Elf_Scn *ls = find_section(dbg.elf, ".debug_line");
        if (!ls)
            ls = find_section(dbg.elf, ".zdebug_line");
        GElf_Shdr lsh;
        if (ls && gelf_getshdr(ls, &lsh) && (lsh.sh_flags & SHF_COMPRESSED))
            elf_compress(ls, 0, 0);
        Elf_Data *ld = ls ? elf_getdata(ls, NULL) : NULL;
        GElf_Ehdr eh;
        if (ld && ld->d_buf && (!gelf_getshdr(ls, &lsh) || !(lsh.sh_flags & SHF_COMPRESSED))) {
            L.lsec = ld->d_buf;
            L.lsize = ld->d_size;
        }
        L.big_endian = gelf_getehdr(dbg.elf, &eh) && eh.e_ident[EI_DATA] == ELFDATA2MSB;
        Dwarf_CU *cu = NULL, *next;
        Dwarf_Half version;
        uint8_t unit_type;
        Dwarf_Die cudie;
        int rc;
        /* No split unit asked for: libdw would open the .dwo a skeleton
         * names itself, with a blocking open(2); heft reads skeletons only. */
        Elf_Scn *is = find_section(dbg.elf, ".debug_info");
        GElf_Shdr ish;
        progress_begin("reading debug info", is && gelf_getshdr(is, &ish) ? ish.sh_size : 0);
        while ((rc = dwarf_get_units(dw, cu, &next, &version, &unit_type, &cudie, NULL)) == 0 && spend(&L)) {
            cu = next;
            if (unit_type == DW_UT_type || unit_type == DW_UT_split_type)
                continue;
            L.last_die = dwarf_dieoffset(&cudie);
            progress_step(L.last_die);
            read_unit(&L, &cudie, unit_type);
        }
        progress_end();
        if (rc > 0)
            check_tail(&L, dw, dbg.elf);
        if (rc < 0 && L.warnings.n < MAX_WARNINGS) {
            const char **w = vec_push(&L.warnings);
            *w = L.units.n ? arena_printf(a, "debug info: the units after %s: %s; skipped",
                                          ((DebugUnit *)L.units.p)[L.units.n - 1].name, dwarf_errmsg(-1))
                           : arena_printf(a, "debug info: the first unit: %s; no units read", dwarf_errmsg(-1));
        }
        dwarf_end(dw);
        debuginfo_alt_end(alt);
    }
    cand_close(&dbg);

    out->units = arena_array(a, L.units.n ? L.units.n : 1, sizeof(DebugUnit));
    if (L.units.n)
        memcpy(out->units, L.units.p, L.units.n * sizeof(DebugUnit));
    out->nunits = (uint32_t)L.units.n;
    out->files = arena_array(a, L.files.n ? L.files.n : 1, sizeof(DebugFile));
    if (L.files.n)
        memcpy(out->files, L.files.p, L.files.n * sizeof(DebugFile));
    out->nfiles = (uint32_t)L.files.n;
    out->warnings = arena_array(a, L.warnings.n ? L.warnings.n : 1, sizeof(const char *));
    if (L.warnings.n)
        memcpy(out->warnings, L.warnings.p, L.warnings.n * sizeof(const char *));
    out->nwarnings = (uint32_t)L.warnings.n;
    out->unit_ranges = disjoint(a, &L.uranges, &out->nunit_ranges);
    out->line_ranges = disjoint(a, &L.lranges, &out->nline_ranges);
    free(L.units.p);
    free(L.files.p);
    free(L.warnings.p);
    free(L.unit_tab.keys);
    free(L.unit_tab.ids);
    free(L.file_tab.keys);
    free(L.file_tab.ids);
    free(L.path_tab.keys);
    free(L.path_tab.ids);
    free(L.paths.p);
    return 0;
}
