/* debuginfo.c — reads DWARF with elfutils' libdw into address ranges tagged
 * with their compile unit, source file and line (see debuginfo.h).
 *
 * libdw parses the DWARF (versions 2 to 5, zlib-compressed sections, every
 * form it knows); heft only walks what it returns, and inflates zstd-compressed
 * sections with libzstd where libelf cannot (see unzstd). The debug file is opened with
 * dwarf_begin_elf on a libelf handle rather than through libdwfl: dwfl would
 * find the file too, but it ties the lookup to its module and address-bias
 * model and may ask debuginfod servers over the network, while heft must stay
 * offline, say which file it used, and take --debug-dir for tests. The lookup
 * (build-id, .gnu_debuglink) is the few path rules gdb documents.
 *
 * Nothing in the DWARF is trusted: every loop is bounded by the size of the
 * debug file, code ranges count only where they fall in the image's code,
 * and whatever libdw rejects becomes one warning naming the unit. */
#include "debuginfo.h"
#include "vec.h"
#include "strhash.h"

#include <ctype.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* "/rustc/<hash>/library/…" → "library/…". */
static const char *sysroot_rel(const char *p)
{
    if (strncmp(p, "/rustc/", 7) == 0) {
        const char *s = strchr(p + 7, '/');
        if (s && is_hex(p + 7, (size_t)(s - p - 7)))
            return s + 1;
    }
    const char *r = after(p, "/lib/rustlib/src/rust/", 0);
    return r;
}

const char *debuginfo_path(Arena *a, const char *path, const char *comp_dir)
{
    if (!path || !*path)
        return "[unnamed]";
    const char *full = path;
    if (path[0] != '/' && comp_dir && comp_dir[0] == '/')
        full = arena_printf(a, "%s/%s", comp_dir, path);
    char *c = clean_path(a, full);
    const char *r;
    if ((r = sysroot_rel(c)))
        return r;
    if ((r = after(c, "/.cargo/registry/src/", 1)))
        return r;
    if ((r = after(c, "/.cargo/git/checkouts/", 0)))
        return r;
    if ((r = after(c, "/rust/deps/", 0))) /* std's own dependencies, as rustc's builders have them */
        return r;
    if (comp_dir && comp_dir[0] == '/') {
        const char *cd = clean_path(a, comp_dir);
        size_t n = strlen(cd);
        if (n > 1 && strncmp(c, cd, n) == 0 && c[n] == '/' && c[n + 1])
            return c + n + 1;
    }
    const char *home = getenv("HOME");
    size_t hn = home ? strlen(home) : 0;
    if (hn > 1 && strncmp(c, home, hn) == 0 && c[hn] == '/')
        return arena_printf(a, "~%s", c + hn);
    return c;
}

/* "name-1.2.3" → "name"; "name-<hash>" (git checkout) → "name". */
static const char *strip_version(Arena *a, const char *comp, size_t len)
{
    size_t cut = len;
    for (size_t i = len; i-- > 1;)
        if (comp[i - 1] == '-' && (isdigit((unsigned char)comp[i]) || is_hex(comp + i, len - i))) {
            cut = i - 1;
            break;
        }
    char *s = arena_strndup(a, comp, cut);
    for (char *q = s; *q; q++)
        if (*q == '-')
            *q = '_';
    return s;
}

static const char *first_component(Arena *a, const char *p, bool versioned)
{
    const char *e = strchr(p, '/');
    if (!e)
        return NULL;
    return versioned ? strip_version(a, p, (size_t)(e - p)) : arena_strndup(a, p, (size_t)(e - p));
}

/* The [package] name of dir/Cargo.toml, or NULL. Reads at most 64 KiB. */
static const char *cargo_toml_name(Arena *a, const char *dir)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/Cargo.toml", dir) >= sizeof path)
        return NULL;
    FILE *f = fopen(path, "r");
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
        return strip_version(a, s + 1, (size_t)(e - s - 1));
    }
    return NULL;
}

const char *debuginfo_path_crate(Arena *a, const char *norm, const char *abs)
{
    const char *r, *c;
    if (abs && (r = sysroot_rel(abs)) && strncmp(r, "library/", 8) == 0 && (c = first_component(a, r + 8, false)))
        return c;
    if (abs && (r = after(abs, "/registry/src/", 1)) && (c = first_component(a, r, true)))
        return c;
    if (abs && (r = after(abs, "/git/checkouts/", 0)) && (c = first_component(a, r, true)))
        return c;
    if (abs && (r = after(abs, "/rust/deps/", 0)) && (c = first_component(a, r, true)))
        return c;
    if (abs && abs[0] == '/' && access(abs, F_OK) == 0) {
        char *dir = arena_strdup(a, abs);
        for (int i = 0; i < 64; i++) {
            char *slash = strrchr(dir, '/');
            if (!slash || slash == dir)
                break;
            *slash = '\0';
            if ((c = cargo_toml_name(a, dir)))
                return c;
        }
    }
    /* The directory holding src/: cargo's layout for a package. */
    const char *src = strstr(norm, "/src/");
    if (src) {
        const char *s = src;
        while (s > norm && s[-1] != '/')
            s--;
        if (s < src)
            return strip_version(a, s, (size_t)(src - s));
    }
    return "[no crate]";
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

typedef struct Loader {
    Arena *a;
    const Image *img;
    DebugInfo *out;
    Vec units, files, uranges, lranges, warnings;
    Intern unit_tab, file_tab;
    uint64_t budget; /* bound on units, DIEs and ranges: the debug file's size */
    uint32_t last_sec;
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

/* Whether addr lies in an allocated section, executable if code. */
static bool in_image(Loader *L, uint64_t addr, bool code)
{
    const Image *img = L->img;
    for (uint32_t k = 0; k < img->nsections; k++) {
        uint32_t i = (L->last_sec + k) % img->nsections;
        const Section *s = &img->sections[i];
        if (!(s->flags & SHF_ALLOC) || addr < s->addr || addr - s->addr >= s->size)
            continue;
        if (code && !(s->flags & SHF_EXECINSTR))
            continue;
        L->last_sec = i;
        return true;
    }
    return false;
}

static uint32_t file_id(Loader *L, const char *raw, const char *comp_dir)
{
    const char *abs = raw[0] == '/' || !comp_dir ? raw : arena_printf(L->a, "%s/%s", comp_dir, raw);
    const char *norm = debuginfo_path(L->a, raw, comp_dir);
    bool added;
    uint32_t id = intern(&L->file_tab, norm, &added);
    if (added) {
        DebugFile *f = vec_push(&L->files);
        f->name = norm;
        f->crate = debuginfo_path_crate(L->a, norm, clean_path(L->a, abs));
    }
    return id;
}

static void add_range(Vec *v, uint64_t lo, uint64_t hi, uint32_t unit, uint32_t file, uint32_t line)
{
    DebugRange *r = vec_push(v);
    *r = (DebugRange){lo, hi, unit, file, line};
}

/* The crate a unit's name says emitted it: rustc names codegen units
 * "<path>/@/<crate>.<hash>-cgu.<n>"; other units take their source's crate. */
static const char *unit_crate(Arena *a, const char *name, const char *norm, const char *comp_dir)
{
    const char *at = strstr(name, "/@/");
    if (at) {
        const char *s = at + 3, *e = s;
        while (*e && *e != '.' && *e != '/')
            e++;
        if (e > s)
            return arena_strndup(a, s, (size_t)(e - s));
    }
    const char *abs = name[0] == '/' || !comp_dir ? name : arena_printf(a, "%s/%s", comp_dir, name);
    return debuginfo_path_crate(a, norm, clean_path(a, abs));
}

static void read_lines(Loader *L, Dwarf_Die *cu, uint32_t unit, const char *uname, const char *comp_dir)
{
    Dwarf_Attribute at;
    if (!dwarf_attr(cu, DW_AT_stmt_list, &at))
        return;
    Dwarf_Lines *lines;
    size_t n;
    Dwarf_Files *files;
    size_t nfiles;
    if (dwarf_getsrclines(cu, &lines, &n) != 0 || dwarf_getsrcfiles(cu, &files, &nfiles) != 0) {
        warn(L, uname, arena_printf(L->a, "line table: %s", dwarf_errmsg(-1)));
        return;
    }
    uint32_t *map = malloc((nfiles ? nfiles : 1) * sizeof *map);
    if (!map)
        abort();
    for (size_t i = 0; i < nfiles; i++)
        map[i] = UINT32_MAX;
    for (size_t i = 0; i + 1 < n && spend(L); i++) {
        Dwarf_Line *ln = dwarf_onesrcline(lines, i), *nx = dwarf_onesrcline(lines, i + 1);
        bool end;
        Dwarf_Addr lo, hi;
        Dwarf_Files *lf;
        size_t idx;
        int lineno;
        if (!ln || !nx || dwarf_lineendsequence(ln, &end) != 0 || end || dwarf_lineaddr(ln, &lo) != 0 ||
            dwarf_lineaddr(nx, &hi) != 0 || hi <= lo || !in_image(L, lo, true))
            continue;
        if (dwarf_line_file(ln, &lf, &idx) != 0 || lf != files || idx >= nfiles || dwarf_lineno(ln, &lineno) != 0)
            continue;
        if (map[idx] == UINT32_MAX) {
            const char *src = dwarf_filesrc(files, idx, NULL, NULL);
            map[idx] = file_id(L, src ? src : "[unnamed]", comp_dir);
        }
        add_range(&L->lranges, lo, hi, unit, map[idx], lineno > 0 ? (uint32_t)lineno : 0);
    }
    free(map);
}

/* A global or static variable at a fixed address: its bytes belong to the
 * unit that defines it and to the file that declares it. */
static void read_variable(Loader *L, Dwarf_Die *die, uint32_t unit, const char *comp_dir)
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
        add_range(&L->lranges, addr, addr + size, unit, file_id(L, decl, comp_dir), line > 0 ? (uint32_t)line : 0);
}

/* Walks the scopes that can hold variables with static storage (namespaces,
 * functions, blocks), not types. Iterative, depth-bounded. */
static void read_variables(Loader *L, Dwarf_Die *cu, uint32_t unit, const char *uname, const char *comp_dir)
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
            read_variable(L, d, unit, comp_dir);
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
    const char *norm = debuginfo_path(L->a, name ? name : "[unnamed unit]", comp_dir);
    if (comp_dir)
        comp_dir = arena_strdup(L->a, comp_dir);
    bool added;
    uint32_t unit = intern(&L->unit_tab, norm, &added);
    if (added) {
        DebugUnit *u = vec_push(&L->units);
        u->name = norm;
        u->inst_crate = unit_crate(L->a, name ? name : "", norm, comp_dir);
    }
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
    read_lines(L, cu, unit, norm, comp_dir);
    if (!split)
        read_variables(L, cu, unit, norm, comp_dir);
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

static bool cand_open(Cand *c, const char *path)
{
    c->elf = NULL;
    c->plain = NULL;
    c->fd = open(path, O_RDONLY | O_CLOEXEC);
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

#define MAX_ZSTD_RATIO 1024 /* bounds what a section may claim to inflate to */

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
 * headers pointed at them, and reads the copy instead. False when that cannot
 * be done (c is then unchanged). */
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
        if (sh.sh_offset > fsize || sh.sh_size > fsize - sh.sh_offset || sh.sh_size < chdr ||
            ch.ch_size > sh.sh_size * MAX_ZSTD_RATIO || eh.e_shoff > fsize || idx > (fsize - eh.e_shoff) / shdr ||
            eh.e_shoff + (idx + 1) * shdr > fsize)
            return false;
        total += (ch.ch_size + 7) & ~7ull;
    }
    if (total > (uint64_t)fsize * MAX_ZSTD_RATIO || total > SIZE_MAX)
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
    if (!cand_open(c, path))
        return false;
    unsigned char cid[64];
    size_t clen = build_id(c->elf, cid, sizeof cid);
    if (!has_dwarf(c->elf) || (idlen && clen && (clen != idlen || memcmp(cid, id, idlen) != 0))) {
        cand_close(c);
        return false;
    }
    return true;
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
    if (idlen >= 2) {
        char hex[129];
        for (size_t i = 0; i < idlen; i++)
            snprintf(hex + 2 * i, 3, "%02x", id[i]);
        const char *p = arena_printf(a, "%s/.build-id/%.2s/%s.debug", dir, hex, hex + 2);
        if (try_cand(dbg, p, id, idlen))
            return p;
    }
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
        if (!cand_open(&dbg, o->debug_file)) {
            snprintf(err, errlen, "--debug-file %s: cannot read it as ELF", o->debug_file);
            return -1;
        }
        if (!has_dwarf(dbg.elf)) {
            cand_close(&dbg);
            snprintf(err, errlen, "--debug-file %s: no DWARF (.debug_info) in it", o->debug_file);
            return -1;
        }
        out->from = o->debug_file;
        unsigned char id[64], did[64];
        size_t idlen = cand_open(&main, img->path) ? build_id(main.elf, id, sizeof id) : 0;
        size_t didlen = build_id(dbg.elf, did, sizeof did);
        cand_close(&main);
        if (idlen && didlen && (idlen != didlen || memcmp(id, did, idlen) != 0))
            mismatch = arena_printf(a, "--debug-file %s has another build-id than the file: it may describe other "
                                       "addresses", o->debug_file);
    } else {
        if (!cand_open(&main, img->path))
            return 0;
        out->from = find_debug(a, img, o, &main, &dbg);
        cand_close(&main);
        if (!out->from)
            return 0;
    }
    Loader L = {.a = a, .img = img, .out = out};
    L.warnings.elem = sizeof(const char *);
    if (mismatch)
        *(const char **)vec_push(&L.warnings) = mismatch;
    L.units.elem = sizeof(DebugUnit);
    L.files.elem = sizeof(DebugFile);
    L.uranges.elem = L.lranges.elem = sizeof(DebugRange);
    struct stat st;
    L.budget = fstat(dbg.fd, &st) == 0 && st.st_size > 0 ? (uint64_t)st.st_size : 0;

    bool zstd_failed = zstd_compressed(dbg.elf) && !unzstd(&dbg);
    Dwarf *dw = dwarf_begin_elf(dbg.elf, DWARF_C_READ, NULL);
    if (!dw) {
        const char **w = vec_push(&L.warnings);
        *w = zstd_failed ? arena_printf(a, "debug info in %s: zstd-compressed sections that do not decompress; "
                                           "no units or files", out->from)
                         : arena_printf(a, "debug info in %s unreadable: %s; no units or files", out->from,
                                        dwarf_errmsg(-1));
    } else {
        Dwarf_CU *cu = NULL, *next;
        Dwarf_Half version;
        uint8_t unit_type;
        Dwarf_Die cudie, subdie;
        int rc;
        while ((rc = dwarf_get_units(dw, cu, &next, &version, &unit_type, &cudie, &subdie)) == 0 && spend(&L)) {
            cu = next;
            if (unit_type == DW_UT_type || unit_type == DW_UT_split_type)
                continue;
            L.last_die = dwarf_dieoffset(&cudie);
            read_unit(&L, &cudie, unit_type);
        }
        if (rc > 0)
            check_tail(&L, dw, dbg.elf);
        if (rc < 0 && L.warnings.n < MAX_WARNINGS) {
            const char **w = vec_push(&L.warnings);
            *w = L.units.n ? arena_printf(a, "debug info: the units after %s: %s; skipped",
                                          ((DebugUnit *)L.units.p)[L.units.n - 1].name, dwarf_errmsg(-1))
                           : arena_printf(a, "debug info: the first unit: %s; no units read", dwarf_errmsg(-1));
        }
        dwarf_end(dw);
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
    return 0;
}
