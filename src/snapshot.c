/* snapshot.c — taking a snapshot from an accounting, and saving and loading
 * it as gzip'd JSON (the format is in docs/snapshot.md).
 *
 * Symbol rows are written as arrays, with their crate and section as indices
 * into the file's own crate and section lists: a quarter of a million symbol
 * objects would cost jansson several times the memory when loading. Writing
 * is done by hand for the reasons render.c gives (speed, names that are not
 * UTF-8); reading is jansson's, and every field is type- and range-checked,
 * since a snapshot file is input like any other. */
#include "snapshot.h"

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "debugview.h"
#include "infile.h"
#include "match.h"
#include "monos.h"
#include "outfile.h"
#include "render.h"
#include "version.h"
#include "view.h"

static const char *const VIEW_KEYS[SNAP_NVIEWS] = {"sections", "segments", "crates", "symbols",
                                                   "monos",    "units",    "files"};

const char *snapshot_view_name(SnapView v)
{
    return VIEW_KEYS[v];
}

/* ---- from an accounting ---- */

static const ViewKind VIEW_OF[SNAP_MONOS] = {VIEW_SECTIONS, VIEW_SEGMENTS, VIEW_CRATES, VIEW_SYMBOLS};

void snapshot_from_account(Arena *a, const Account *acct, Snapshot *out)
{
    memset(out, 0, sizeof *out);
    out->path = out->source = acct->img->path;
    out->tool = "heft " HEFT_VERSION;
    out->file_size = acct->file_size;
    out->vm_size = acct->vm_size;
    out->split_std = (acct->flags & ACCT_SPLIT_STD) != 0;
    Filter none = {0};
    for (SnapView k = 0; k < SNAP_MONOS; k++) {
        View v;
        /* By address: the cheapest order to sort (no string compares), and stable. */
        view_build(a, acct, VIEW_OF[k], &none, SORT_ADDR, 0, &v);
        SnapRow *rows = arena_array(a, v.nrows ? v.nrows : 1, sizeof *rows);
        for (size_t i = 0; i < v.nrows; i++) {
            const Row *r = &v.rows[i];
            SnapRow *s = &rows[i];
            s->name = s->id = r->name;
            s->file_size = r->file_size;
            s->vm_size = r->vm_size;
            if (k == SNAP_SYMBOLS) {
                const Leaf *l = r->leaf;
                if (l->raw)
                    s->name = l->raw;
                s->crate = l->crate;
                s->section = l->section != IMG_NONE ? image_section_name(acct->img, l->section) : NULL;
            }
        }
        out->rows[k] = rows;
        out->nrows[k] = v.nrows;
        out->has[k] = true;
    }
}

void snapshot_add_monos(Arena *a, const Account *acct, Snapshot *s)
{
    MonoReport r;
    monos_build(a, acct, NULL, 0, NULL, &r);
    SnapRow *rows = arena_array(a, r.ngroups ? r.ngroups : 1, sizeof *rows);
    for (size_t i = 0; i < r.ngroups; i++) {
        const MonoGroup *g = &r.groups[i];
        SnapRow *row = &rows[i];
        *row = (SnapRow){.name = g->name, .id = g->name, .crate = g->crate, .copies = g->ncopies};
        /* The leaves' bytes, as the symbols view has them: a diff adds a
         * generic's copies on the other side from there (diff.c). */
        for (uint32_t c = 0; c < g->ncopies; c++) {
            row->file_size += g->copies[c].leaf->file_size;
            row->vm_size += g->copies[c].leaf->vm_size;
        }
    }
    s->rows[SNAP_MONOS] = rows;
    s->nrows[SNAP_MONOS] = r.ngroups;
    s->has[SNAP_MONOS] = true;
    const Image *img = acct->img;
    s->code_sections = arena_array(a, img->nsections + 1, sizeof *s->code_sections);
    s->ncode_sections = 0;
    for (uint32_t i = 0; i < img->nsections; i++)
        if (img->sections[i].flags & SHF_EXECINSTR)
            s->code_sections[s->ncode_sections++] = image_section_name(img, i);
}

void snapshot_add_debug(Arena *a, const Account *acct, const DebugInfo *di, Snapshot *s)
{
    s->debug_known = true;
    s->debug_info = di->from != NULL;
    if (!s->debug_info)
        return;
    for (SnapView k = SNAP_UNITS; k <= SNAP_FILES; k++) {
        DebugViewOpts o = {.kind = k == SNAP_UNITS ? DV_UNITS : DV_FILES};
        View v;
        debugview_build(a, acct, di, &o, SORT_NAME, 0, &v);
        SnapRow *rows = arena_array(a, v.nrows ? v.nrows : 1, sizeof *rows);
        for (size_t i = 0; i < v.nrows; i++)
            rows[i] = (SnapRow){.name = v.rows[i].name,
                                .id = k == SNAP_UNITS ? match_unit_identity(a, v.rows[i].name) : v.rows[i].name,
                                .file_size = v.rows[i].file_size,
                                .vm_size = v.rows[i].vm_size};
        s->rows[k] = rows;
        s->nrows[k] = v.nrows;
        s->has[k] = true;
    }
}

static const char *moved(Arena *a, const Arena *from, const char *str, bool shared)
{
    if (!str || !arena_holds(from, str))
        return str;
    return shared ? arena_intern(a, str, strlen(str)) : arena_strdup(a, str);
}

void snapshot_move(Arena *a, const Arena *from, Snapshot *s)
{
    for (SnapView k = 0; k < SNAP_NVIEWS; k++) {
        SnapRow *rows = arena_array(a, s->nrows[k] ? s->nrows[k] : 1, sizeof *rows);
        for (size_t i = 0; i < s->nrows[k]; i++) {
            SnapRow r = s->rows[k][i];
            const char *name = moved(a, from, r.name, false);
            r.id = r.id == r.name ? name : moved(a, from, r.id, false);
            r.name = name;
            r.crate = moved(a, from, r.crate, true); /* a crate or section recurs on many rows */
            r.section = moved(a, from, r.section, true);
            rows[i] = r;
        }
        s->rows[k] = rows;
    }
    const char **code = arena_array(a, s->ncode_sections ? s->ncode_sections : 1, sizeof *code);
    for (size_t i = 0; i < s->ncode_sections; i++)
        code[i] = moved(a, from, s->code_sections[i], true);
    s->code_sections = code;
    s->path = moved(a, from, s->path, false);
    s->source = moved(a, from, s->source, false);
}

const char *snapshot_missing(Arena *a, const Snapshot *s, SnapView k)
{
    if (s->has[k])
        return NULL;
    const char *what = k == SNAP_MONOS ? "generics (monos)" : VIEW_KEYS[k];
    if (k >= SNAP_UNITS && s->debug_known && !s->debug_info)
        return arena_printf(a, "no debug info, so no %s: build with -g (or debug = 1 in the cargo profile)", what);
    if (s->schema && strcmp(s->schema, SNAPSHOT_SCHEMA_V1) == 0)
        return arena_printf(a, "snapshot taken by an older heft (" SNAPSHOT_SCHEMA_V1 "), which saved no %s: "
                               "take it again with this heft",
                            what);
    return arena_printf(a, "no %s", what);
}

/* ---- saving ---- */

/* The rows of a view as indices sorted by name, to look names up by bsearch
 * when writing a symbol's crate and section as indices. */
typedef struct NameIndex {
    const SnapRow *rows;
    size_t *idx, n;
} NameIndex;

static int cmp_idx(const void *a, const void *b, void *ctx)
{
    const SnapRow *rows = ctx;
    return strcmp(rows[*(const size_t *)a].name, rows[*(const size_t *)b].name);
}

static int cmp_by_id(const void *a, const void *b, void *ctx)
{
    const SnapRow *rows = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(rows[i].id, rows[j].id);
    if (c == 0)
        c = strcmp(rows[i].name, rows[j].name);
    return c ? c : i < j ? -1 : i > j;
}

/* ni.idx is NULL when memory runs out. */
static NameIndex name_index(const Snapshot *s, SnapView k)
{
    NameIndex ni = {s->rows[k], malloc((s->nrows[k] + 1) * sizeof(size_t)), s->nrows[k]};
    if (!ni.idx)
        return ni;
    for (size_t i = 0; i < ni.n; i++)
        ni.idx[i] = i;
    qsort_r(ni.idx, ni.n, sizeof *ni.idx, cmp_idx, (void *)ni.rows);
    return ni;
}

static long find_name(const NameIndex *ni, const char *name)
{
    if (!name)
        return -1;
    size_t lo = 0, hi = ni->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ni->rows[ni->idx[mid]].name, name);
        if (c == 0)
            return (long)ni->idx[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* A snapshot read from a /1 file (`heft snapshot OLD -o NEW`) has only the
 * first four views, and is written as /1 again: a /2 file must hold the
 * generics, which nothing here knows. False when memory runs out. */
static bool write_json(FILE *f, const Snapshot *s)
{
    bool v1 = !s->has[SNAP_MONOS];
    fprintf(f, "{\"schema\": \"%s\", \"tool\": ", v1 ? SNAPSHOT_SCHEMA_V1 : SNAPSHOT_SCHEMA);
    render_json_string(f, s->tool);
    fputs(", \"source\": ", f);
    render_json_string(f, s->source ? s->source : "");
    fprintf(f, ", \"file_size\": %" PRIu64 ", \"vm_size\": %" PRIu64 ", \"split_std\": %s", s->file_size, s->vm_size,
            s->split_std ? "true" : "false");
    if (!v1) {
        fprintf(f, ", \"debug_info\": %s", s->debug_info ? "true" : "false");
        fputs(", \"code_sections\": [", f);
        for (size_t i = 0; i < s->ncode_sections; i++) {
            fputs(i ? ", " : "", f);
            render_json_string(f, s->code_sections[i]);
        }
        fputc(']', f);
    }
    for (SnapView k = 0; k < SNAP_NVIEWS; k++) {
        if (k == SNAP_SYMBOLS || !s->has[k])
            continue;
        fprintf(f, ",\n\"%s\": [", VIEW_KEYS[k]);
        for (size_t i = 0; i < s->nrows[k]; i++) {
            const SnapRow *r = &s->rows[k][i];
            fputs(i ? ",\n [" : "\n [", f);
            render_json_string(f, r->name);
            if (k == SNAP_MONOS) {
                fputs(", ", f);
                render_json_string(f, r->crate ? r->crate : "");
                fprintf(f, ", %" PRIu64, r->copies);
            }
            fprintf(f, ", %" PRIu64 ", %" PRIu64 "]", r->file_size, r->vm_size);
        }
        fputs("]", f);
    }
    NameIndex crates = name_index(s, SNAP_CRATES), sections = name_index(s, SNAP_SECTIONS);
    /* Symbols in name order: neighbours share prefixes, so the file is a
     * third smaller than in address order, and quicker to compress. */
    size_t nsym = s->nrows[SNAP_SYMBOLS], *order = malloc((nsym + 1) * sizeof *order);
    if (!crates.idx || !sections.idx || !order) {
        free(crates.idx);
        free(sections.idx);
        free(order);
        return false;
    }
    for (size_t i = 0; i < nsym; i++)
        order[i] = i;
    qsort_r(order, nsym, sizeof *order, cmp_by_id, (void *)s->rows[SNAP_SYMBOLS]);
    fputs(",\n\"symbols\": [", f);
    for (size_t i = 0; i < nsym; i++) {
        const SnapRow *r = &s->rows[SNAP_SYMBOLS][order[i]];
        fputs(i ? ",\n [" : "\n [", f);
        render_json_string(f, r->id);
        fputs(", ", f);
        if (strcmp(r->name, r->id) != 0)
            render_json_string(f, r->name);
        else
            fputs("null", f);
        fprintf(f, ", %ld, %ld, %" PRIu64 ", %" PRIu64 "]", find_name(&crates, r->crate),
                find_name(&sections, r->section), r->file_size, r->vm_size);
    }
    fputs("]}\n", f);
    free(crates.idx);
    free(sections.idx);
    free(order);
    return true;
}

int snapshot_save(const Snapshot *s, const char *path, char *err, size_t errlen)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    bool built = mem && write_json(mem, s);
    if ((mem && fclose(mem) != 0) || !built) {
        free(buf);
        snprintf(err, errlen, "out of memory writing the snapshot");
        return -1;
    }
    OutFile out;
    if (outfile_open(&out, path, err, errlen) != 0) {
        free(buf);
        return -1;
    }
    /* zlib closes the descriptor it is given: a copy of the outfile's. */
    int fd = dup(fileno(out.f));
    gzFile gz = fd >= 0 ? gzdopen(fd, "wb6") : NULL;
    if (!gz) {
        int e = errno ? errno : ENOMEM;
        if (fd >= 0)
            close(fd);
        outfile_abort(&out);
        free(buf);
        snprintf(err, errlen, "cannot write: %s", strerror(e));
        return -1;
    }
    size_t off = 0;
    while (off < len) {
        unsigned chunk = len - off > (1u << 30) ? 1u << 30 : (unsigned)(len - off);
        if (gzwrite(gz, buf + off, chunk) != (int)chunk)
            break;
        off += chunk;
    }
    int rc = gzclose(gz);
    free(buf);
    if (off < len || rc != Z_OK) {
        int e = errno ? errno : EIO;
        outfile_abort(&out);
        snprintf(err, errlen, "cannot write: %s", strerror(e));
        return -1;
    }
    return outfile_commit(&out, err, errlen);
}

/* ---- loading ---- */

bool snapshot_is_snapshot_file(const char *path)
{
    unsigned char m[2];
    int fd = infile_open(path, NULL, NULL, 0);
    if (fd < 0)
        return false;
    bool gz = read(fd, m, 2) == 2 && m[0] == 0x1f && m[1] == 0x8b;
    close(fd);
    return gz;
}

/* Real snapshots inflate by 5 to 15 times (symbol names repeat a lot); a
 * gzip bomb by up to 1032 times. 64 MiB plus 100 times the input leaves room
 * for any real one and stops a bomb long before it costs much memory; and
 * never more than 1 GiB, whatever the input's size: the snapshot of
 * librustc_driver (150 MB, 113,000 symbols) is 34 MB of JSON. */
#define SNAPSHOT_MAX_JSON (1ull << 30)

uint64_t snapshot_inflate_cap(uint64_t n)
{
    return n < (SNAPSHOT_MAX_JSON - (64ull << 20)) / 100 ? (64ull << 20) + 100 * n : SNAPSHOT_MAX_JSON;
}

static int fail(char *err, size_t errlen, const char *fmt, const char *arg)
{
    snprintf(err, errlen, fmt, arg);
    return -1;
}

/* Inflates the gzip data read from fd into a malloc'd, NUL-terminated buffer
 * of at most cap bytes, grown as the data comes: nothing in the input says
 * how large it will be. It starts small, as most snapshots are, and a fresh
 * 1 MiB block made every load of a small one a mapping and its page faults. */
static int inflate_fd(int fd, uint64_t cap, char **out, size_t *outlen, char *err, size_t errlen)
{
    z_stream z = {0};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return fail(err, errlen, "%s", "out of memory inflating it");
    unsigned char in[1 << 16];
    char *buf = NULL, m[96];
    size_t size = 0, len = 0;
    const char *why = NULL;
    int rc = Z_OK;
    while (rc != Z_STREAM_END && !why) {
        if (z.avail_in == 0) {
            ssize_t got = read(fd, in, sizeof in);
            if (got <= 0) {
                why = got < 0 ? strerror(errno) : "truncated gzip data";
                break;
            }
            z.next_in = in;
            z.avail_in = (unsigned)got;
        }
        if (len == size) {
            if (size >= cap) {
                snprintf(m, sizeof m, "inflates to more than %" PRIu64 " bytes (a gzip bomb?)", cap);
                why = m;
                break;
            }
            size_t grow = size ? 2 * size : 1u << 16;
            grow = grow < cap ? grow : (size_t)cap;
            char *bigger = realloc(buf, grow + 1);
            if (!bigger) {
                snprintf(m, sizeof m, "out of memory inflating it (at %zu bytes)", size);
                why = m;
                break;
            }
            buf = bigger;
            size = grow;
        }
        z.next_out = (unsigned char *)buf + len;
        z.avail_out = size - len > UINT32_MAX ? UINT32_MAX : (unsigned)(size - len);
        rc = inflate(&z, Z_NO_FLUSH);
        len = (size_t)((char *)z.next_out - buf);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
            snprintf(m, sizeof m, "corrupt gzip data (%.60s)", z.msg ? z.msg : "inflate failed");
            why = m;
        }
    }
    inflateEnd(&z);
    if (why) {
        free(buf);
        return fail(err, errlen, "%s", why);
    }
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return 0;
}

/* jansson's allocations while a snapshot is read, counted: its values take
 * 2 to 3 times the JSON's bytes in Rust snapshots, up to 8 times in a C
 * program's (short names, several numbers a row), 25 times in an array of
 * small numbers. 64 MiB plus 16 times the JSON, but never more than 4 GiB,
 * holds any real one; past that an allocation fails, which jansson reports
 * as an error, as it does when memory runs out. */
#define JSON_BUDGET(n) ((n) < ((4ull << 30) - (64u << 20)) / 16 ? (64u << 20) + 16 * (size_t)(n) : (size_t)4 << 30)

static struct {
    size_t used, budget;
    bool over, out;
} g_json;

static void *json_counted_malloc(size_t n)
{
    if (n > g_json.budget - g_json.used) {
        g_json.over = true;
        return NULL;
    }
    void *p = malloc(n);
    if (!p) {
        g_json.out = true;
        return NULL;
    }
    g_json.used += malloc_usable_size(p);
    return p;
}

static void json_counted_free(void *p)
{
    g_json.used -= malloc_usable_size(p);
    free(p);
}

static bool get_size(json_t *v, uint64_t *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return false;
    *out = (uint64_t)json_integer_value(v);
    return true;
}

static const char *get_str(Arena *a, json_t *v)
{
    return json_is_string(v) ? arena_strndup(a, json_string_value(v), json_string_length(v)) : NULL;
}

/* Fills view k from its array; symbols refer to crates and sections, which
 * are read first. */
static int read_view(Arena *a, json_t *root, SnapView k, Snapshot *s, char *err, size_t errlen)
{
    json_t *arr = json_object_get(root, VIEW_KEYS[k]);
    if (!json_is_array(arr))
        return fail(err, errlen, "snapshot has no \"%s\" array", VIEW_KEYS[k]);
    size_t n = json_array_size(arr);
    SnapRow *rows = arena_array(a, n ? n : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        SnapRow *r = &rows[i];
        bool ok;
        if (k == SNAP_MONOS) {
            ok = json_is_array(e) && json_array_size(e) == 5 && (r->name = get_str(a, json_array_get(e, 0))) &&
                 (r->crate = get_str(a, json_array_get(e, 1))) && get_size(json_array_get(e, 2), &r->copies) &&
                 get_size(json_array_get(e, 3), &r->file_size) && get_size(json_array_get(e, 4), &r->vm_size) &&
                 r->copies >= 2 && r->copies <= s->file_size + s->vm_size;
            r->id = r->name;
        } else if (k != SNAP_SYMBOLS) {
            ok = json_is_array(e) && json_array_size(e) == 3 && (r->name = get_str(a, json_array_get(e, 0))) &&
                 get_size(json_array_get(e, 1), &r->file_size) && get_size(json_array_get(e, 2), &r->vm_size);
            r->id = ok && k == SNAP_UNITS ? match_unit_identity(a, r->name) : r->name;
        } else {
            json_t *crate = json_array_get(e, 2), *sec = json_array_get(e, 3), *raw = json_array_get(e, 1);
            ok = json_is_array(e) && json_array_size(e) == 6 && (r->id = get_str(a, json_array_get(e, 0))) &&
                 (json_is_null(raw) || json_is_string(raw)) && json_is_integer(crate) && json_is_integer(sec) &&
                 get_size(json_array_get(e, 4), &r->file_size) && get_size(json_array_get(e, 5), &r->vm_size);
            if (ok) {
                r->name = json_is_null(raw) ? r->id : get_str(a, raw);
                json_int_t c = json_integer_value(crate), x = json_integer_value(sec);
                ok = c >= -1 && c < (json_int_t)s->nrows[SNAP_CRATES] && x >= -1 &&
                     x < (json_int_t)s->nrows[SNAP_SECTIONS];
                if (ok) {
                    r->crate = c >= 0 ? s->rows[SNAP_CRATES][c].name : NULL;
                    r->section = x >= 0 ? s->rows[SNAP_SECTIONS][x].name : NULL;
                }
            }
        }
        if (!ok) {
            char m[64];
            snprintf(m, sizeof m, "%s row %zu", VIEW_KEYS[k], i);
            return fail(err, errlen, "snapshot: malformed %s", m);
        }
    }
    /* Every view adds up to the totals, as in any accounting; holding a
     * snapshot to that also bounds every sum and delta a diff computes.
     * Generics are some of the code only: they add up to no more. */
    uint64_t file = 0, vm = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].file_size > s->file_size - file || rows[i].vm_size > s->vm_size - vm)
            return fail(err, errlen, "snapshot: the %s rows add up to more than the totals", VIEW_KEYS[k]);
        file += rows[i].file_size;
        vm += rows[i].vm_size;
    }
    if (k != SNAP_MONOS && (file != s->file_size || vm != s->vm_size))
        return fail(err, errlen, "snapshot: the %s rows do not add up to the totals", VIEW_KEYS[k]);
    s->rows[k] = rows;
    s->nrows[k] = n;
    s->has[k] = true;
    return 0;
}

/* Totals beyond this are not real files, and deltas between two of them
 * could not be held in an int64_t. */
#define SNAPSHOT_MAX_SIZE (1ull << 62)

static int read_snapshot(Arena *a, json_t *root, Snapshot *s, char *err, size_t errlen)
{
    if (!json_is_object(root))
        return fail(err, errlen, "%s", "snapshot is not a JSON object");
    json_t *schema = json_object_get(root, "schema");
    if (!json_is_string(schema))
        return fail(err, errlen, "%s", "not a heft snapshot (no \"schema\")");
    bool v1 = strcmp(json_string_value(schema), SNAPSHOT_SCHEMA_V1) == 0;
    if (!v1 && strcmp(json_string_value(schema), SNAPSHOT_SCHEMA) != 0) {
        char m[200];
        snprintf(m, sizeof m, "snapshot schema is '%.100s'; this heft reads %s and /1", json_string_value(schema),
                 SNAPSHOT_SCHEMA);
        return fail(err, errlen, "%s", m);
    }
    s->schema = v1 ? SNAPSHOT_SCHEMA_V1 : SNAPSHOT_SCHEMA;
    s->tool = get_str(a, json_object_get(root, "tool"));
    s->source = get_str(a, json_object_get(root, "source"));
    json_t *split = json_object_get(root, "split_std");
    if (!s->tool || !s->source || !get_size(json_object_get(root, "file_size"), &s->file_size) ||
        !get_size(json_object_get(root, "vm_size"), &s->vm_size) || !json_is_boolean(split))
        return fail(err, errlen, "%s", "snapshot: tool, source, file_size, vm_size or split_std missing or malformed");
    if (s->file_size > SNAPSHOT_MAX_SIZE || s->vm_size > SNAPSHOT_MAX_SIZE)
        return fail(err, errlen, "%s", "snapshot: file_size or vm_size beyond 2^62");
    s->split_std = json_is_true(split);
    for (SnapView k = 0; k < SNAP_MONOS; k++)
        if (read_view(a, root, k, s, err, errlen) != 0)
            return -1;
    if (v1)
        return 0;
    json_t *dbg = json_object_get(root, "debug_info"), *code = json_object_get(root, "code_sections");
    if (!json_is_boolean(dbg) || !json_is_array(code))
        return fail(err, errlen, "%s", "snapshot: debug_info or code_sections missing or malformed");
    s->debug_known = true;
    s->debug_info = json_is_true(dbg);
    s->ncode_sections = json_array_size(code);
    s->code_sections = arena_array(a, s->ncode_sections + 1, sizeof *s->code_sections);
    for (size_t i = 0; i < s->ncode_sections; i++)
        if (!(s->code_sections[i] = get_str(a, json_array_get(code, i))))
            return fail(err, errlen, "%s", "snapshot: a code_sections entry is not a string");
    if (read_view(a, root, SNAP_MONOS, s, err, errlen) != 0)
        return -1;
    for (SnapView k = SNAP_UNITS; s->debug_info && k <= SNAP_FILES; k++)
        if (read_view(a, root, k, s, err, errlen) != 0)
            return -1;
    return 0;
}

int snapshot_load(Arena *a, const char *path, Snapshot *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->path = path;
    struct stat st;
    int fd = infile_open(path, &st, err, errlen);
    if (fd < 0)
        return -1;
    char *text;
    size_t len;
    int rc = inflate_fd(fd, snapshot_inflate_cap((uint64_t)st.st_size), &text, &len, err, errlen);
    close(fd);
    if (rc != 0)
        return -1;
    json_malloc_t old_malloc;
    json_free_t old_free;
    json_get_alloc_funcs(&old_malloc, &old_free);
    g_json.used = 0;
    g_json.budget = JSON_BUDGET(len);
    g_json.over = g_json.out = false;
    json_set_alloc_funcs(json_counted_malloc, json_counted_free);
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    free(text);
    if (root)
        rc = read_snapshot(a, root, out, err, errlen);
    json_decref(root);
    json_set_alloc_funcs(old_malloc, old_free);
    if (!root && (g_json.over || g_json.out)) {
        char m[160];
        snprintf(m, sizeof m, g_json.out ? "out of memory reading its JSON"
                                         : "its JSON would take more than %zu bytes to hold: not a heft snapshot",
                 g_json.budget);
        return fail(err, errlen, "%s", m);
    }
    if (!root) {
        char m[200];
        snprintf(m, sizeof m, "line %d: %.150s", je.line, je.text);
        return fail(err, errlen, "snapshot is not valid JSON: %s", m);
    }
    out->path = path;
    return rc;
}
