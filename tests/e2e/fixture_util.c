/* fixture_util.c — readelf as the reference, sums over heft's rows. */
#include "fixture_util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

size_t fx_lines(char *text, char ***lines)
{
    size_t n = 0, cap = 64;
    char **v = malloc(cap * sizeof *v);
    char *save = NULL;
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (n == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        v[n++] = l;
    }
    *lines = v;
    return n;
}

static void read_symbols(FxElf *e, const char *path, const char *table, bool clear_thumb)
{
    Run r = run_cmd("readelf -W --syms '%s'", path);
    cr_assert_eq(r.status, 0, "readelf --syms %s failed: %s", path, r.err);
    char **lines;
    size_t n = fx_lines(r.out, &lines);
    size_t cap = 64;
    e->syms = malloc(cap * sizeof *e->syms);
    bool in_table = false;
    char header[64];
    snprintf(header, sizeof header, "Symbol table '%s'", table);
    for (size_t i = 0; i < n; i++) {
        const char *l = lines[i];
        if (strncmp(l, "Symbol table '", 14) == 0) {
            in_table = strncmp(l, header, strlen(header)) == 0;
            continue;
        }
        if (!in_table)
            continue;
        unsigned num;
        unsigned long long value;
        char size[32], type[16], bind[16], vis[16], ndx[16];
        int used = 0;
        if (sscanf(l, " %u: %llx %31s %15s %15s %15s %15s %n", &num, &value, size, type, bind, vis, ndx, &used) < 7)
            continue;
        const char *name = l + used;
        /* AArch64's "[VARIANT_PCS]" and the like sit between Vis and Ndx. */
        if (ndx[0] == '[') {
            char rest[16];
            int more = 0;
            if (sscanf(name, "%*[^]]] %15s %n", rest, &more) >= 1) {
                strcpy(ndx, rest);
                name += more;
            }
        }
        if (e->nsyms == cap)
            e->syms = realloc(e->syms, (cap *= 2) * sizeof *e->syms);
        FxSym *s = &e->syms[e->nsyms++];
        memset(s, 0, sizeof *s);
        s->name = strdup(name);
        char *at = strchr(s->name, ' '); /* " (2)" after a versioned name */
        if (at)
            *at = '\0';
        snprintf(s->type, sizeof s->type, "%s", type);
        snprintf(s->bind, sizeof s->bind, "%s", bind);
        snprintf(s->ndx, sizeof s->ndx, "%s", ndx);
        s->value = value;
        s->size = strtoull(size, NULL, 0);
        if (clear_thumb && (strcmp(type, "FUNC") == 0 || strcmp(type, "IFUNC") == 0))
            s->value &= ~1ull;
    }
    free(lines);
    run_free(&r);
}

static void read_sections(FxElf *e, const char *path)
{
    Run r = run_cmd("readelf -W --section-headers '%s'", path);
    cr_assert_eq(r.status, 0, "readelf -SW %s failed: %s", path, r.err);
    char **lines;
    size_t n = fx_lines(r.out, &lines);
    size_t cap = 64;
    e->secs = malloc(cap * sizeof *e->secs);
    for (size_t i = 0; i < n; i++) {
        const char *l = strstr(lines[i], "[");
        unsigned idx;
        int used = 0;
        if (!l || sscanf(l, "[%u]%n", &idx, &used) < 1 || used == 0)
            continue;
        char tok[10][256];
        int nt = sscanf(l + used, "%255s %255s %255s %255s %255s %255s %255s %255s %255s %255s", tok[0], tok[1],
                        tok[2], tok[3], tok[4], tok[5], tok[6], tok[7], tok[8], tok[9]);
        if (idx == 0)
            continue; /* the NULL section: no name */
        /* name type addr off size es [flg] lk inf al */
        cr_assert(nt == 9 || nt == 10, "cannot parse readelf line: %s", lines[i]);
        if (e->nsecs == cap)
            e->secs = realloc(e->secs, (cap *= 2) * sizeof *e->secs);
        FxSection *s = &e->secs[e->nsecs++];
        memset(s, 0, sizeof *s);
        s->index = idx;
        s->name = strdup(tok[0]);
        snprintf(s->type, sizeof s->type, "%.31s", tok[1]);
        s->addr = strtoull(tok[2], NULL, 16);
        s->offset = strtoull(tok[3], NULL, 16);
        s->size = strtoull(tok[4], NULL, 16);
        if (nt == 10)
            snprintf(s->flags, sizeof s->flags, "%.15s", tok[6]);
    }
    free(lines);
    run_free(&r);
}

static void read_loads(FxElf *e, const char *path)
{
    Run r = run_cmd("readelf -W --file-header --program-headers '%s'", path);
    cr_assert_eq(r.status, 0, "readelf -lW %s failed: %s", path, r.err);
    e->relocatable = strstr(r.out, "REL (Relocatable file)") != NULL;
    char **lines;
    size_t n = fx_lines(r.out, &lines);
    e->loads = malloc((n + 1) * sizeof *e->loads);
    for (size_t i = 0; i < n; i++) {
        char type[32];
        unsigned long long off, va, pa, fs, ms;
        if (sscanf(lines[i], " %31s %llx %llx %llx %llx %llx", type, &off, &va, &pa, &fs, &ms) == 6 &&
            strcmp(type, "LOAD") == 0)
            e->loads[e->nloads++] = (FxLoad){off, va, fs, ms};
    }
    free(lines);
    run_free(&r);
}

void fx_elf_read(FxElf *e, const char *path, const char *table, bool clear_thumb)
{
    memset(e, 0, sizeof *e);
    if (table)
        read_symbols(e, path, table, clear_thumb);
    else
        e->syms = malloc(sizeof *e->syms);
    read_sections(e, path);
    read_loads(e, path);
}

void fx_elf_free(FxElf *e)
{
    for (size_t i = 0; i < e->nsyms; i++)
        free(e->syms[i].name);
    for (size_t i = 0; i < e->nsecs; i++)
        free(e->secs[i].name);
    free(e->syms);
    free(e->secs);
    free(e->loads);
    memset(e, 0, sizeof *e);
}

const FxSection *fx_section_by_index(const FxElf *e, const char *ndx)
{
    char *end;
    unsigned long i = strtoul(ndx, &end, 10);
    if (*end)
        return NULL;
    for (size_t k = 0; k < e->nsecs; k++)
        if (e->secs[k].index == i)
            return &e->secs[k];
    return NULL;
}

const FxSection *fx_section_named(const FxElf *e, const char *name)
{
    for (size_t k = 0; k < e->nsecs; k++)
        if (strcmp(e->secs[k].name, name) == 0)
            return &e->secs[k];
    return NULL;
}

size_t fx_section_count(const FxElf *e, const char *name)
{
    size_t n = 0;
    for (size_t k = 0; k < e->nsecs; k++)
        n += strcmp(e->secs[k].name, name) == 0;
    return n;
}

typedef struct Span {
    uint64_t lo, hi;
} Span;

static int span_cmp(const void *a, const void *b)
{
    const Span *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static uint64_t union_len(Span *s, size_t n)
{
    qsort(s, n, sizeof *s, span_cmp);
    uint64_t total = 0, cur_lo = 0, cur_hi = 0;
    bool open = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i].hi <= s[i].lo)
            continue;
        if (open && s[i].lo <= cur_hi) {
            if (s[i].hi > cur_hi)
                cur_hi = s[i].hi;
            continue;
        }
        if (open)
            total += cur_hi - cur_lo;
        cur_lo = s[i].lo, cur_hi = s[i].hi, open = true;
    }
    if (open)
        total += cur_hi - cur_lo;
    return total;
}

uint64_t fx_vm_size(const FxElf *e)
{
    if (e->relocatable && e->nloads == 0) {
        uint64_t t = 0;
        for (size_t i = 0; i < e->nsecs; i++)
            if (strchr(e->secs[i].flags, 'A') && !(strcmp(e->secs[i].type, "NOBITS") == 0 && strchr(e->secs[i].flags, 'T')))
                t += e->secs[i].size;
        return t;
    }
    Span *s = malloc((e->nloads + 1) * sizeof *s);
    for (size_t i = 0; i < e->nloads; i++)
        s[i] = (Span){e->loads[i].vaddr, e->loads[i].vaddr + e->loads[i].memsz};
    uint64_t t = union_len(s, e->nloads);
    free(s);
    return t;
}

uint64_t fx_unloaded_file_bytes(const FxElf *e, uint64_t file_size)
{
    Span *s = malloc((e->nloads + 1) * sizeof *s);
    for (size_t i = 0; i < e->nloads; i++) {
        uint64_t hi = e->loads[i].offset + e->loads[i].filesz;
        s[i] = (Span){e->loads[i].offset, hi > file_size ? file_size : hi};
    }
    uint64_t t = union_len(s, e->nloads);
    free(s);
    return file_size - t;
}

bool fx_sym_sized(const FxSym *s)
{
    return s->size > 0 && strcmp(s->ndx, "UND") != 0 && strcmp(s->ndx, "ABS") != 0 && strcmp(s->ndx, "COM") != 0 &&
           strcmp(s->type, "SECTION") != 0 && strcmp(s->type, "FILE") != 0;
}

bool fx_sym_alone(const FxElf *e, size_t i)
{
    const FxSym *a = &e->syms[i];
    for (size_t k = 0; k < e->nsyms; k++) {
        const FxSym *b = &e->syms[k];
        if (k == i || !fx_sym_sized(b) || strcmp(a->ndx, b->ndx) != 0)
            continue;
        if (a->value == b->value && a->size == b->size)
            continue; /* an alias */
        if (a->value < b->value + b->size && b->value < a->value + a->size)
            return false;
    }
    return true;
}

FxSum fx_rows_sum(json_t *j)
{
    FxSum s = {0};
    json_t *rows = json_object_get(j, "rows");
    cr_assert(json_is_array(rows), "no rows array");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        /* A symbol's owned bytes (owners) lie outside it, in both domains. */
        json_t *owned = json_object_get(row, "owned");
        uint64_t o = owned ? (uint64_t)json_integer_value(owned) : 0;
        s.file_size += (uint64_t)jint(row, "file_size") + o;
        s.vm_size += (uint64_t)jint(row, "vm_size") + o;
        s.rows++;
    }
    return s;
}

FxSum fx_sum_of(json_t *sum)
{
    json_t *owned = json_object_get(sum, "owned");
    uint64_t o = owned ? (uint64_t)json_integer_value(owned) : 0;
    return (FxSum){(uint64_t)jint(sum, "file_size") + o, (uint64_t)jint(sum, "vm_size") + o, (size_t)jint(sum, "rows")};
}

json_t *fx_row_raw(json_t *rows, const char *raw)
{
    size_t i;
    json_t *row, *found = NULL;
    json_array_foreach(rows, i, row) {
        const char *r = json_string_value(json_object_get(row, "raw"));
        if (r && strcmp(r, raw) == 0) {
            cr_assert(!found, "two rows have raw name %s", raw);
            found = row;
        }
    }
    return found;
}

const char *fx_str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

bool fx_has_alias(json_t *row, const char *name)
{
    json_t *a = json_object_get(row, "aliases");
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        if (json_is_string(v) && strcmp(json_string_value(v), name) == 0)
            return true;
    }
    return false;
}

size_t fx_naliases(json_t *row)
{
    json_t *a = json_object_get(row, "aliases");
    return json_is_array(a) ? json_array_size(a) : 0;
}

const char *fx_need(const char *name)
{
    const char *p = fixture(name);
    struct stat st;
    cr_assert(stat(p, &st) == 0, "fixture %s is missing (run `make fixtures`; FIXTURES=%s)", p,
              getenv("FIXTURES") ? getenv("FIXTURES") : "(unset)");
    return p;
}

char *fx_source_copy(const char *dir)
{
    char tmpl[] = "/tmp/heft-src-XXXXXX";
    cr_assert(mkdtemp(tmpl));
    Run r = run_cmd("cp -r '%s/../tests/fixtures/%s/.' '%s/'", fixture(".."), dir, tmpl);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *real = realpath(tmpl, NULL);
    cr_assert(real);
    return real;
}

char *fx_stripped_copy(const char *path, const char *options)
{
    char tmp[] = "/tmp/heft-stripped-XXXXXX";
    int fd = mkstemp(tmp);
    cr_assert(fd >= 0);
    close(fd);
    Run r = run_cmd("strip %s -o '%s' '%s'", options, tmp, path);
    cr_assert_eq(r.status, 0, "strip %s %s: %s", options, path, r.err);
    run_free(&r);
    return strdup(tmp);
}

/* The first line of a command's output, or fail. */
static char *first_line_of(const char *what, const char *cmd)
{
    Run r = run_cmd("%s", cmd);
    char *nl = strchr(r.out, '\n');
    if (nl)
        *nl = '\0';
    cr_assert(r.status == 0 && r.out[0], "%s: `%s` found nothing (status %d): %s", what, cmd, r.status, r.err);
    char *line = strdup(r.out);
    run_free(&r);
    return line;
}

char *fx_toolchain_file(const char *what)
{
    char cmd[1024];
    if (strcmp(what, "cargo") == 0)
        snprintf(cmd, sizeof cmd, "c=\"$(rustc --print sysroot)/bin/cargo\"; "
                                  "if [ -x \"$c\" ]; then echo \"$c\"; else command -v cargo; fi");
    else if (strcmp(what, "rustc_driver") == 0)
        snprintf(cmd, sizeof cmd, "ldd \"$(rustc --print sysroot)/bin/rustc\" | "
                                  "sed -n 's/.*librustc_driver.* => \\(.*\\) (0x.*/\\1/p'");
    else if (strcmp(what, "std_rlib") == 0)
        snprintf(cmd, sizeof cmd, "ls \"$(rustc --print target-libdir)\"/libstd-*.rlib");
    else
        cr_assert_fail("no toolchain file '%s'", what);
    char *p = first_line_of(what, cmd);
    struct stat st;
    cr_assert(stat(p, &st) == 0 && S_ISREG(st.st_mode), "%s: %s is not a file", what, p);
    return p;
}

json_t *fx_check_adds_up(const char *path, const char *view, const char *extra)
{
    json_t *j = heft_json("%s -n 0 %s '%s'", view, extra, path);
    uint64_t fsize = file_size_of(path);
    cr_assert_eq((uint64_t)jint(j, "file_size"), fsize, "heft %s %s: file_size %lld, but the file has %llu bytes",
                 view, path, (long long)jint(j, "file_size"), (unsigned long long)fsize);
    FxSum s = fx_rows_sum(j);
    cr_assert_eq(s.file_size, fsize, "heft %s %s %s: rows' file_size sum to %llu, file is %llu bytes", view, extra,
                 path, (unsigned long long)s.file_size, (unsigned long long)fsize);
    uint64_t vm = (uint64_t)jint(j, "vm_size");
    cr_assert_eq(s.vm_size, vm, "heft %s %s %s: rows' vm_size sum to %llu, vm_size is %llu", view, extra, path,
                 (unsigned long long)s.vm_size, (unsigned long long)vm);
    if (strcmp(view, "summary") != 0) {
        json_t *rest = json_object_get(j, "rest"), *fo = json_object_get(j, "filtered_out");
        cr_assert(json_is_object(rest) && json_is_object(fo), "heft %s %s: no rest/filtered_out", view, path);
        cr_assert_eq(jint(rest, "rows") + jint(fo, "rows"), 0, "heft %s -n 0 %s: rest/filtered_out not empty", view,
                     path);
    }
    FxElf e;
    fx_elf_read(&e, path, NULL, false);
    uint64_t want_vm = fx_vm_size(&e);
    fx_elf_free(&e);
    cr_assert_eq(vm, want_vm, "heft %s %s: vm_size %llu, readelf's PT_LOAD union is %llu", view, path,
                 (unsigned long long)vm, (unsigned long long)want_vm);
    return j;
}

char *fx_libstdcxx(void)
{
    Run r = run_cmd("g++ -print-file-name=libstdc++.so.6");
    cr_assert_eq(r.status, 0, "g++ -print-file-name failed: %s", r.err);
    r.out[strcspn(r.out, "\n")] = '\0';
    char *path = realpath(r.out, NULL);
    cr_assert(path, "libstdc++.so.6 not found (%s)", r.out);
    run_free(&r);
    return path;
}
