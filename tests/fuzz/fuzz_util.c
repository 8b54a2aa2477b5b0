/* fuzz_util.c — the targets' shared helpers (fuzz.h): the private
 * directory, the discarding stream, and the pipeline of the views. */
#include "fuzz.h"

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "bloat.h"
#include "diff.h"
#include "dups.h"
#include "graph.h"
#include "monos.h"
#include "owners.h"
#include "render.h"
#include "render_diff.h"
#include "render_dups.h"
#include "render_monos.h"
#include "snapshot.h"
#include "view.h"

static char dir[4096];

static void remove_dir(void)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                unlinkat(dirfd(d), e->d_name, 0);
        closedir(d);
    }
    rmdir(dir);
}

const char *fuzz_dir(void)
{
    if (!dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/heft-fuzz-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(dir)) {
            perror("fuzz: mkdtemp");
            abort();
        }
        atexit(remove_dir);
    }
    return dir;
}

const char *fuzz_file(Arena *a, const char *name, const void *data, size_t size)
{
    const char *path = arena_printf(a, "%s/%s", fuzz_dir(), name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const char *p = data;
    ssize_t n = 0;
    while (fd >= 0 && size && (n = write(fd, p, size)) > 0)
        p += n, size -= (size_t)n;
    /* The fuzzer's own disk failing is no finding about heft. */
    if (fd < 0 || size || close(fd) != 0) {
        perror(path);
        abort();
    }
    return path;
}

unsigned char *fuzz_copy(const uint8_t *data, size_t size)
{
    unsigned char *p = malloc(size + 1);
    if (!p)
        abort();
    if (size)
        memcpy(p, data, size);
    p[size] = '\0';
    return p;
}

FILE *fuzz_null(void)
{
    static FILE *null;
    if (!null && !(null = fopen("/dev/null", "w")))
        abort();
    return null;
}

size_t fuzz_split(const uint8_t *data, size_t size, const uint8_t **rest, size_t *nrest)
{
    const uint8_t *nul = size ? memchr(data, 0, size) : NULL;
    *rest = nul ? nul + 1 : NULL;
    *nrest = nul ? size - (size_t)(nul + 1 - data) : 0;
    return nul ? (size_t)(nul - data) : size;
}

Pattern *fuzz_filter(void)
{
    static Pattern *re;
    char err[128];
    if (!re && !(re = pattern_compile("[a-z]_|::", err, sizeof err)))
        abort();
    return re;
}

/* Every format the views print, the table both cut to a terminal and wide. */
static const RenderOpts FORMATS[] = {
    {FMT_TABLE, true, 60}, {FMT_TABLE, false, 0}, {FMT_JSON, false, 0}, {FMT_CSV, false, 0}, {FMT_TSV, false, 0},
};
#define NFORMATS (sizeof FORMATS / sizeof *FORMATS)

/* `heft FILE` and the five views, with each sort order and filter: every
 * format of the rows by size, one format (by input) of each other order, as
 * rendering the same rows five ways took a quarter of the time an input
 * got. */
static void views(Arena *a, const Account *acct)
{
    FILE *out = fuzz_null();
    Filter none = {0};
    View sections, crates, symbols, v;
    view_build(a, acct, VIEW_SECTIONS, &none, SORT_SIZE, 0, &sections);
    view_build(a, acct, VIEW_CRATES, &none, SORT_SIZE, 10, &crates);
    view_build(a, acct, VIEW_SYMBOLS, &none, SORT_SIZE, 10, &symbols);
    for (size_t i = 0; i < NFORMATS; i++)
        render_summary(out, acct, &sections, &crates, &symbols, &FORMATS[i]);
    for (ViewKind k = VIEW_SYMBOLS; k <= (acct->img->archive ? VIEW_MEMBERS : VIEW_SEGMENTS); k++)
        for (SortKey s = SORT_SIZE; s <= SORT_ADDR; s++) {
            view_build(a, acct, k, &none, s, s == SORT_SIZE ? 20 : 0, &v);
            for (size_t i = 0; i < NFORMATS; i++)
                if (s == SORT_SIZE || i == (acct->img->size + k + s) % NFORMATS)
                    render_view(out, acct, &v, &FORMATS[i]);
        }
    const Filter filters[] = {{fuzz_filter(), NULL, ".text", NULL}, {NULL, "std", NULL, NULL}, {NULL, "[C]", ".data", NULL}};
    for (size_t i = 0; i < sizeof filters / sizeof *filters; i++) {
        view_build(a, acct, i ? VIEW_CRATES : VIEW_SYMBOLS, &filters[i], SORT_SIZE, 5, &v);
        render_view(out, acct, &v, &FORMATS[0]);
    }
}

/* cargo heft bloat's report on .text, when there is one. */
static void bloat(Arena *a, const Account *acct)
{
    const Image *img = acct->img;
    for (uint32_t i = 0; i < img->nsections; i++) {
        const Section *s = &img->sections[i];
        if (!s->name || strcmp(s->name, ".text") != 0)
            continue;
        Filter f = {NULL, NULL, ".text", NULL};
        for (int crates = 0; crates < 2; crates++) {
            View v;
            view_build(a, acct, crates ? VIEW_CRATES : VIEW_SYMBOLS, &f, SORT_SIZE, 20, &v);
            for (int json = 0; json < 2; json++) {
                BloatOpts o = {".text", s->size, s->type == SHT_NOBITS, crates, false, true, json, 60};
                bloat_render(fuzz_null(), acct, &v, &o);
            }
        }
        return;
    }
}

/* heft monos (both reports) and heft dups. */
static void analyses(Arena *a, const Account *acct)
{
    FILE *out = fuzz_null();
    MonoReport r, all;
    monos_build(a, acct, NULL, 20, acct->img, &r);
    monos_suggest(a, &r, 5);
    monos_build(a, acct, NULL, 0, NULL, &all);
    MonoCrates mc;
    monos_by_crate(a, &all, 20, &mc);
    for (size_t i = 0; i < NFORMATS; i++) {
        render_monos(out, &r, i == 0, &FORMATS[i]);
        render_monos_crates(out, &all, &mc, &FORMATS[i]);
    }
    DupsOpts o = {.min_data = DUPS_MIN_DATA, .similar = true, .min_similarity = DUPS_MIN_SIMILARITY};
    DupsResult d;
    dups_find(a, acct->img, acct, &o, &d);
    DupsView dv;
    dups_view(a, &d, NULL, 20, 10, &dv);
    DupsShow show = {true, true, true};
    for (size_t i = 0; i < NFORMATS; i++)
        render_dups(out, acct->img, &d, &dv, &show, &FORMATS[i]);
}

/* heft snapshot, read back as heft diff and heft check would read it, and
 * the diff of the binary with its own snapshot. */
static void snapshot(Arena *a, const Account *acct)
{
    Snapshot s, back;
    snapshot_from_account(a, acct, &s);
    snapshot_add_monos(a, acct, &s);
    DebugInfo none = {0};
    snapshot_add_debug(a, acct, &none, &s);
    const char *path = arena_printf(a, "%s/snapshot.heft.json.gz", fuzz_dir());
    char err[512];
    if (snapshot_save(&s, path, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz: cannot save the snapshot: %s\n", err);
        abort();
    }
    if (snapshot_load(a, path, &back, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz: heft cannot read the snapshot it wrote: %s\n", err);
        abort();
    }
    for (SnapView k = 0; k <= SNAP_MONOS; k++) {
        if (back.nrows[k] != s.nrows[k]) {
            fprintf(stderr, "fuzz: the snapshot's %s: %zu rows written, %zu read\n", snapshot_view_name(k),
                    s.nrows[k], back.nrows[k]);
            abort();
        }
        DiffView dv;
        diff_build(a, &back, &s, k, NULL, 20, &dv);
        render_diff(fuzz_null(), &back, &s, &dv, 1, false, &FORMATS[0]);
    }
}

/* The reference graph of heft why, retained and garbage: its nodes' sizes
 * add up to the leaves', and each node the roots reach comes after its
 * dominator in the order graph_dominators gives. */
static void graph(Arena *a, const Account *acct)
{
    Graph g;
    char err[256];
    if (graph_build(a, acct, &g, err, sizeof err) != 0)
        return;
    uint32_t *depth, *parent, *idom, *order, n;
    graph_reach(a, &g, NULL, &depth, &parent);
    uint64_t *file, *vm, nodes = 0, leaves = 0;
    graph_sizes(a, &g, &file, &vm);
    for (uint32_t i = 0; i < g.n; i++)
        nodes += file[i];
    for (uint32_t i = 0; i < acct->nleaves; i++)
        leaves += acct->leaves[i].file_size;
    if (nodes != leaves) {
        fprintf(stderr, "fuzz: the graph's nodes hold %llu bytes, the leaves %llu\n", (unsigned long long)nodes,
                (unsigned long long)leaves);
        abort();
    }
    graph_dominators(a, &g, &idom, &order, &n);
    uint8_t *seen = arena_array(a, g.n ? g.n : 1, 1);
    memset(seen, 0, g.n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v = order[i];
        if (idom[v] < g.n && !seen[idom[v]]) {
            fprintf(stderr, "fuzz: node %u comes before its dominator %u\n", v, idom[v]);
            abort();
        }
        seen[v] = 1;
    }
}

/* Owners (owners.h), without the reference graph and with it: the shifts
 * sum to 0, leave no leaf below 0 bytes, and the crates and symbols views
 * (-n 0) still add up to the file and the loaded image. */
static void owners(Arena *a, const Image *img, bool with_graph)
{
    Account acct;
    account_build(a, img, ACCT_LAZY_NAMES, &acct);
    Graph g;
    char err[256];
    if (with_graph && graph_build(a, &acct, &g, err, sizeof err) != 0)
        return;
    owners_build(a, &acct, with_graph ? &g : NULL);
    int64_t total = 0;
    for (uint32_t i = 0; acct.shift && i < acct.nleaves; i++) {
        const Leaf *l = &acct.leaves[i];
        int64_t d = acct.shift[i];
        total += d;
        if (d < 0 && ((int64_t)l->file_size + d < 0 || (int64_t)l->vm_size + d < 0)) {
            fprintf(stderr, "fuzz: owners take %lld bytes from %s, which has %llu\n", (long long)-d, l->name,
                    (unsigned long long)l->file_size);
            abort();
        }
    }
    if (total != 0) {
        fprintf(stderr, "fuzz: owners' shifts sum to %lld\n", (long long)total);
        abort();
    }
    Filter none = {0};
    for (ViewKind k = VIEW_SYMBOLS; k <= VIEW_CRATES; k++) {
        View v;
        view_build(a, &acct, k, &none, SORT_SIZE, 0, &v);
        uint64_t file = 0, vm = 0;
        for (size_t i = 0; i < v.nrows; i++)
            file += v.rows[i].file_size + v.rows[i].owned, vm += v.rows[i].vm_size + v.rows[i].owned;
        if (file != acct.file_size || vm != acct.vm_size) {
            fprintf(stderr, "fuzz: with owners the %s view holds %llu/%llu bytes of %llu/%llu\n", view_name(k),
                    (unsigned long long)file, (unsigned long long)vm, (unsigned long long)acct.file_size,
                    (unsigned long long)acct.vm_size);
            abort();
        }
        render_view(fuzz_null(), &acct, &v, &FORMATS[(img->size + k) % NFORMATS]);
    }
}

/* The symbols view's JSON (20 rows by size, all by name) must not depend on
 * whether names were worked out up front or as rows needed them. */
static void same_symbols(Arena *a, const Account *eager, const Account *lazy)
{
    for (SortKey s = SORT_SIZE; s <= SORT_NAME; s++) {
        char *text[2];
        size_t len[2];
        for (int k = 0; k < 2; k++) {
            FILE *f = open_memstream(&text[k], &len[k]);
            if (!f)
                abort();
            View v;
            Filter none = {0};
            view_build(a, k ? lazy : eager, VIEW_SYMBOLS, &none, s, s == SORT_SIZE ? 20 : 0, &v);
            render_view(f, k ? lazy : eager, &v, &FORMATS[2]);
            fclose(f);
        }
        if (len[0] != len[1] || memcmp(text[0], text[1], len[0]) != 0)
            abort();
        free(text[0]);
        free(text[1]);
    }
}

void fuzz_views(Arena *a, const Image *img)
{
    /* A third of the inputs (by size) as with --split-std --full-names; the
     * views of another third also as the commands run them, naming lazily;
     * the last third also saved as a snapshot and read back, which costs as
     * much as everything else together. */
    Account acct;
    account_build(a, img, img->size % 3 == 0 ? ACCT_SPLIT_STD | ACCT_FULL_NAMES : 0, &acct);
    views(a, &acct);
    if (img->size % 3 == 1) {
        Account lazy;
        account_build(a, img, ACCT_LAZY_NAMES, &lazy);
        same_symbols(a, &acct, &lazy); /* first: a view leaves the rows it shows named */
        views(a, &lazy);
    }
    bloat(a, &acct);
    analyses(a, &acct);
    graph(a, &acct);
    owners(a, img, img->size % 3 == 0);
    if (img->size % 3 == 2)
        snapshot(a, &acct);
}
