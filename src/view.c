/* view.c — rollups of the accounting by symbol, crate, section and segment
 * (see view.h). Every leaf lands in exactly one row, rest or filtered_out, so
 * a view adds up to the file and VM totals whatever the options. */
#include "view.h"
#include "strhash.h"
#include "vec.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

const char *view_name(ViewKind kind)
{
    static const char *const names[] = {"summary",  "symbols", "crates", "sections",
                                        "segments", "members", "units",  "files"};
    return names[kind];
}

static bool section_matches(const Account *acct, uint32_t section, const char *want)
{
    if (section == IMG_NONE)
        return false;
    const char *name = image_section_name(acct->img, section);
    if (strcmp(name, want) == 0)
        return true;
    if (!acct->img->archive)
        return false;
    size_t n = image_section_group(name);
    return strlen(want) == n && strncmp(name, want, n) == 0;
}

static bool leaf_matches(const Account *acct, const Leaf *l, const Filter *f)
{
    if (f->only && !f->only[l - acct->leaves])
        return false;
    if (f->crate && strcmp(l->crate, f->crate) != 0)
        return false;
    if (f->section && !section_matches(acct, l->section, f->section))
        return false;
    if (f->re) {
        account_name_leaf(acct, l);
        if (pattern_match(f->re, l->name))
            return true;
        for (uint32_t i = 0; i < l->naliases; i++)
            if (pattern_match(f->re, l->aliases[i]))
                return true;
        return false;
    }
    return true;
}

/* A leaf's bytes in view v: as claimed, with the owners' shift when v
 * counts them. A symbol's owned bytes stay apart in the symbols view and
 * join its own in the others (its crate's row). */
static Sum leaf_sum(const Account *acct, const Leaf *l, const View *v)
{
    Sum s = {1, l->file_size, l->vm_size, 0};
    int64_t d = v->owners ? acct->shift[l - acct->leaves] : 0;
    if (d > 0 && l->kind == LEAF_SYMBOL && v->kind == VIEW_SYMBOLS)
        s.owned = (uint64_t)d;
    else
        s.file_size += (uint64_t)d, s.vm_size += (uint64_t)d; /* a negative shift never exceeds the leaf */
    return s;
}

static void sum_add(Sum *to, const Sum *s)
{
    to->rows += s->rows, to->file_size += s->file_size, to->vm_size += s->vm_size, to->owned += s->owned;
}

/* Whether a leaf goes into the view's rows; leaves with no bytes are left
 * out, and those the filter excludes are summed in filtered_out. */
static bool selected(const Account *acct, const Leaf *l, const Filter *f, View *v, Sum *sizes)
{
    *sizes = leaf_sum(acct, l, v);
    if (!sizes->file_size && !sizes->vm_size && !sizes->owned)
        return false;
    if (leaf_matches(acct, l, f))
        return true;
    sum_add(&v->filtered_out, sizes);
    return false;
}

/* ---- ordering ---- */

static SortKey sort_key;
/* The account whose lazy leaves (ACCT_LAZY_NAMES) the comparison names when
 * it needs their names; NULL outside view_build. */
static const Account *sort_acct;

/* A row's name, worked out first if its leaf's is still raw. */
static const char *row_name(Row *r)
{
    if (r->leaf && r->leaf->lazy) {
        account_name_leaf(sort_acct, r->leaf);
        r->name = r->leaf->name;
    }
    return r->name;
}

static uint64_t bigger(const Row *r)
{
    return r->file_size > r->vm_size ? r->file_size : r->vm_size;
}

static int cmp_rows(const void *a, const void *b)
{
    Row *x = (Row *)a, *y = (Row *)b; /* row_name may fill in a name */
    int c = 0;
    if (sort_key == SORT_ADDR && x->has_addr != y->has_addr)
        return x->has_addr ? -1 : 1;
    if (sort_key == SORT_ADDR && x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    if (sort_key == SORT_SIZE && bigger(x) != bigger(y))
        return bigger(x) > bigger(y) ? -1 : 1;
    if ((c = strcmp(row_name(x), row_name(y))) != 0)
        return c;
    if (bigger(x) != bigger(y))
        return bigger(x) > bigger(y) ? -1 : 1;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Swaps two elements of size bytes (at most a Row's). */
static void swap_elems(unsigned char *a, unsigned char *b, size_t size)
{
    unsigned char t[sizeof(Row)];
    memcpy(t, a, size);
    memcpy(a, b, size);
    memcpy(b, t, size);
}

/* Restores the max-heap (by cmp) of the n elements at base below element i. */
static void sift_down(unsigned char *base, size_t size, size_t n, size_t i, int (*cmp)(const void *, const void *))
{
    for (;;) {
        size_t top = i, l = 2 * i + 1, r = l + 1;
        if (l < n && cmp(base + l * size, base + top * size) > 0)
            top = l;
        if (r < n && cmp(base + r * size, base + top * size) > 0)
            top = r;
        if (top == i)
            return;
        swap_elems(base + i * size, base + top * size, size);
        i = top;
    }
}

/* Moves the k first of n elements in cmp order to the front, in no
 * particular order: a max-heap of the k best so far, which an element enters
 * only by beating the worst of them. O(n log k), where sorting everything to
 * show 20 rows would compare (mostly equal sizes, so names) n log n times. */
static void select_first(void *elems, size_t n, size_t k, size_t size, int (*cmp)(const void *, const void *))
{
    unsigned char *base = elems;
    for (size_t i = k / 2; i-- > 0;)
        sift_down(base, size, k, i, cmp);
    for (size_t i = k; i < n; i++)
        if (cmp(base + i * size, base) < 0) {
            swap_elems(base + i * size, base, size);
            sift_down(base, size, k, 0, cmp);
        }
}

/* Sorts rows already numbered (Row.index, the last tie-break), keeps the
 * first limit (0: all) in v and sums the others in v->rest. */
static void order(View *v, Row *rows, size_t n, SortKey sort, size_t limit)
{
    sort_key = sort;
    size_t shown = limit && limit < n ? limit : n;
    /* cmp_rows is a total order (the index breaks every tie), so the rows
     * shown are the same whichever way they are found. */
    if (shown < n)
        select_first(rows, n, shown, sizeof *rows, cmp_rows);
    for (size_t i = 0; i < shown; i++)
        row_name(&rows[i]);
    if (shown)
        qsort(rows, shown, sizeof *rows, cmp_rows);
    for (size_t i = shown; i < n; i++) {
        v->rest.rows++;
        v->rest.file_size += rows[i].file_size;
        v->rest.vm_size += rows[i].vm_size;
    }
    v->rows = rows;
    v->nrows = shown;
}

static void finish(View *v, Row *rows, size_t n, SortKey sort, size_t limit)
{
    for (size_t i = 0; i < n; i++)
        rows[i].index = rows[i].segment ? rows[i].index : (uint32_t)i; /* last tie-break: stable */
    order(v, rows, n, sort, limit);
}

/* ---- grouping by string key (crates) ---- */

/* A small open-addressing table; no library of ours offers one. It grows
 * with the groups, not with the leaves: a summary of 250,000 symbols makes a
 * few hundred crate rows, and rows and table sized for every leaf were a
 * fifth of its run (35 MB of zeroed pages). */
typedef struct Group {
    const char *key;
    uint64_t hash;
    size_t row; /* index into the rows made so far */
} Group;

typedef struct Groups {
    Group *tab;
    size_t cap; /* a power of two, at least twice the rows */
    Vec rows;
} Groups;

static void groups_grow(Groups *g)
{
    size_t cap = g->cap ? g->cap * 2 : 64;
    Group *tab = calloc(cap, sizeof *tab);
    if (!tab)
        abort();
    for (size_t i = 0; i < g->cap; i++)
        if (g->tab[i].key) {
            size_t slot = g->tab[i].hash & (cap - 1);
            while (tab[slot].key)
                slot = (slot + 1) & (cap - 1);
            tab[slot] = g->tab[i];
        }
    free(g->tab);
    g->tab = tab;
    g->cap = cap;
}

/* The row for key: found by hash and same(), else a new zeroed row. */
static Row *groups_row(Groups *g, const char *key, uint64_t hash, bool (*same)(const Row *, const char *, const void *),
                       const void *ctx)
{
    if ((g->rows.n + 1) * 2 > g->cap)
        groups_grow(g);
    size_t slot = hash & (g->cap - 1);
    for (; g->tab[slot].key; slot = (slot + 1) & (g->cap - 1)) {
        Row *r = (Row *)g->rows.p + g->tab[slot].row;
        if (g->tab[slot].hash == hash && same(r, g->tab[slot].key, ctx))
            return r;
    }
    Row *r = vec_push(&g->rows);
    *r = (Row){0};
    g->tab[slot] = (Group){key, hash, g->rows.n - 1};
    return r;
}

/* Archive sections by the group of their name (a row is named for its group). */
typedef struct NamePrefix {
    const char *name;
    size_t len;
} NamePrefix;

static bool same_prefix(const Row *r, const char *key, const void *ctx)
{
    (void)key;
    const NamePrefix *p = ctx;
    return strncmp(r->name, p->name, p->len) == 0 && r->name[p->len] == '\0';
}

static bool same_name(const Row *r, const char *key, const void *ctx)
{
    return !r->section && strcmp(key, ctx) == 0;
}

static bool same_section(const Row *r, const char *key, const void *ctx)
{
    (void)key;
    return r->section == ctx;
}

static size_t group_rows(Arena *a, const Account *acct, const Filter *f, View *v, Row **out, bool by_crate)
{
    Groups g = {.rows = {.elem = sizeof(Row)}};
    /* An archive's sections come from many members: they group by name,
     * and sections of one kind (.text.*) by their group. */
    bool by_name = acct->img->archive;
    for (uint32_t i = 0; i < acct->nleaves; i++) {
        const Leaf *l = &acct->leaves[i];
        Sum sz;
        if (!selected(acct, l, f, v, &sz))
            continue;
        const Section *sec = l->section != IMG_NONE ? &acct->img->sections[l->section] : NULL;
        Row *r;
        if (!by_crate && sec && by_name) {
            NamePrefix p = {sec->name, image_section_group(sec->name)};
            r = groups_row(&g, sec->name, strhash_mem(p.name, p.len), same_prefix, &p);
            if (!r->name)
                r->name = sec->name[p.len] ? arena_strndup(a, sec->name, p.len) : sec->name;
        } else if (by_crate || !sec) {
            const char *key = by_crate ? l->crate : l->name;
            r = groups_row(&g, key, strhash(key), same_name, key);
            if (!r->name) {
                r->name = key;
                if (!by_crate) {
                    r->addr = l->addr;
                    r->has_addr = true;
                }
            }
        } else {
            /* Sections group by index: two sections may share a name. */
            r = groups_row(&g, sec->name, l->section * 0x9e3779b97f4a7c15ull + 1, same_section, sec);
            if (!r->name) {
                r->name = sec->name;
                r->section = sec;
                r->addr = sec->addr;
                r->has_addr = true;
            }
        }
        r->file_size += sz.file_size;
        r->vm_size += sz.vm_size;
        r->count++;
    }
    free(g.tab);
    Row *rows = arena_array(a, g.rows.n ? g.rows.n : 1, sizeof *rows);
    if (g.rows.n)
        memcpy(rows, g.rows.p, g.rows.n * sizeof *rows);
    free(g.rows.p);
    *out = rows;
    return g.rows.n;
}

static Row symbol_row(const Account *acct, const View *v, const Leaf *l, uint32_t index)
{
    Sum s = leaf_sum(acct, l, v);
    return (Row){.name = l->name, .file_size = s.file_size, .vm_size = s.vm_size, .owned = s.owned, .leaf = l,
                 .addr = l->addr, .has_addr = true, .count = 1, .index = index};
}

/* A symbol leaf in the running for a row: 16 bytes where a Row takes 136,
 * so that showing the first rows of 300,000 symbols makes only those rows. */
typedef struct Cand {
    const Leaf *leaf;
    uint32_t index;
} Cand;

static const View *cand_view; /* the view being built, for cmp_cands */

static int cmp_cands(const void *a, const void *b)
{
    const Cand *x = a, *y = b;
    Row rx = symbol_row(sort_acct, cand_view, x->leaf, x->index), ry = symbol_row(sort_acct, cand_view, y->leaf, y->index);
    return cmp_rows(&rx, &ry);
}

static void symbols_view(Arena *a, const Account *acct, const Filter *f, SortKey sort, size_t limit, View *v)
{
    Cand *cands = malloc((acct->nleaves ? acct->nleaves : 1) * sizeof *cands);
    if (!cands)
        abort();
    size_t n = 0;
    Sum all = {0};
    for (uint32_t i = 0; i < acct->nleaves; i++) {
        const Leaf *l = &acct->leaves[i];
        Sum sz;
        if (!selected(acct, l, f, v, &sz))
            continue;
        cands[n] = (Cand){l, (uint32_t)n}; /* as finish numbers rows */
        n++;
        sum_add(&all, &sz);
    }
    size_t shown = limit && limit < n ? limit : n;
    sort_key = sort;
    cand_view = v;
    if (shown < n)
        select_first(cands, n, shown, sizeof *cands, cmp_cands);
    Row *rows = arena_array(a, shown ? shown : 1, sizeof *rows);
    for (size_t i = 0; i < shown; i++)
        rows[i] = symbol_row(acct, v, cands[i].leaf, cands[i].index);
    free(cands);
    cand_view = NULL;
    order(v, rows, shown, sort, 0);
    for (size_t i = 0; i < shown; i++)
        all.rows--, all.file_size -= rows[i].file_size, all.vm_size -= rows[i].vm_size, all.owned -= rows[i].owned;
    v->rest = all;
}

/* Each PT_LOAD holds the bytes no earlier one holds, in the file and in
 * memory, so overlapping segments are not counted twice. */
static uint64_t fresh_bytes(uint64_t lo, uint64_t hi, const uint64_t (*seen)[2], size_t nseen)
{
    uint64_t n = hi - lo;
    /* seen is disjoint and sorted; subtract its overlap with [lo, hi). */
    for (size_t i = 0; i < nseen; i++) {
        uint64_t s = seen[i][0] > lo ? seen[i][0] : lo, e = seen[i][1] < hi ? seen[i][1] : hi;
        if (s < e)
            n -= e - s;
    }
    return n;
}

static size_t add_range(uint64_t (*seen)[2], size_t n, uint64_t lo, uint64_t hi)
{
    if (lo >= hi)
        return n;
    seen[n][0] = lo;
    seen[n][1] = hi;
    n++;
    /* keep sorted and merged: few segments, so simple passes do */
    for (size_t i = n - 1; i > 0 && seen[i][0] < seen[i - 1][0]; i--) {
        uint64_t t0 = seen[i][0], t1 = seen[i][1];
        seen[i][0] = seen[i - 1][0], seen[i][1] = seen[i - 1][1];
        seen[i - 1][0] = t0, seen[i - 1][1] = t1;
    }
    size_t m = 0;
    for (size_t i = 1; i < n; i++) {
        if (seen[i][0] <= seen[m][1]) {
            if (seen[i][1] > seen[m][1])
                seen[m][1] = seen[i][1];
        } else {
            m++;
            seen[m][0] = seen[i][0], seen[m][1] = seen[i][1];
        }
    }
    return m + 1;
}

static void segments_view(Arena *a, const Account *acct, SortKey sort, size_t limit, View *v)
{
    const Image *img = acct->img;
    Row *rows = arena_array(a, img->nsegments + 1, sizeof *rows);
    uint64_t (*fseen)[2] = arena_array(a, img->nsegments + 1, sizeof *fseen);
    uint64_t (*vseen)[2] = arena_array(a, img->nsegments + 1, sizeof *vseen);
    size_t n = 0, nf = 0, nv = 0;
    uint64_t file = 0, vm = 0;
    for (uint32_t i = 0; i < img->nsegments; i++) {
        const Segment *s = &img->segments[i];
        if (s->type != PT_LOAD)
            continue;
        Row *r = &rows[n++];
        r->name = arena_printf(a, "LOAD #%u", i);
        r->segment = s;
        r->index = i;
        r->addr = s->vaddr;
        r->has_addr = true;
        r->file_size = fresh_bytes(s->offset, s->offset + s->file_size, (const uint64_t(*)[2])fseen, nf);
        r->vm_size = fresh_bytes(s->vaddr, s->vaddr + s->mem_size, (const uint64_t(*)[2])vseen, nv);
        nf = add_range(fseen, nf, s->offset, s->offset + s->file_size);
        nv = add_range(vseen, nv, s->vaddr, s->vaddr + s->mem_size);
        file += r->file_size;
        vm += r->vm_size;
    }
    /* A relocatable object has no segments; its image is its allocated sections. */
    Row *r = &rows[n++];
    r->name = n == 1 && img->kind == ET_REL ? "[no segments: relocatable]" : "[not loaded]";
    r->file_size = acct->file_size - file;
    r->vm_size = acct->vm_size - vm;
    r->index = UINT32_MAX;
    finish(v, rows, n, sort, limit);
}

/* One row per archive member, one per structure of the archive's own. Text,
 * data and bss follow size(1)'s Berkeley rule: allocated bytes of code or
 * read-only sections are text, of other sections with contents data, the
 * rest bss. */
static void members_view(Arena *a, const Account *acct, const Filter *f, SortKey sort, size_t limit, View *v)
{
    const Image *img = acct->img;
    Row **slot = arena_array(a, img->nmembers, sizeof *slot);
    Row *rows = arena_array(a, (size_t)img->nmembers + acct->nleaves, sizeof *rows);
    size_t n = 0;
    for (uint32_t i = 0; i < acct->nleaves; i++) {
        const Leaf *l = &acct->leaves[i];
        Sum sz;
        if (!selected(acct, l, f, v, &sz))
            continue;
        Row *r;
        uint32_t m = img->archive ? l->member : IMG_NONE; /* only archives have members */
        if (m == IMG_NONE) {
            r = &rows[n++];
            r->name = l->name;
            r->addr = l->addr;
        } else if (!(r = slot[m])) {
            r = slot[m] = &rows[n++];
            r->member = &img->members[m];
            r->name = r->member->name;
            r->addr = r->member->header_offset;
        }
        r->has_addr = true;
        r->file_size += l->file_size;
        r->vm_size += l->vm_size;
        r->count += l->kind == LEAF_SYMBOL;
        if (l->vm_size && l->section != IMG_NONE) {
            const Section *sec = &img->sections[l->section];
            if (sec->type == SHT_NOBITS)
                r->bss += l->vm_size;
            else if ((sec->flags & SHF_EXECINSTR) || !(sec->flags & SHF_WRITE))
                r->text += l->vm_size;
            else
                r->data += l->vm_size;
        }
    }
    finish(v, rows, n, sort, limit);
}

void view_build(Arena *a, const Account *acct, ViewKind kind, const Filter *f, SortKey sort, size_t limit,
                View *out)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    out->owners = acct->shift && !f->section && (kind == VIEW_SYMBOLS || kind == VIEW_CRATES);
    sort_acct = acct;
    Row *rows;
    size_t n;
    switch (kind) {
    case VIEW_SYMBOLS:
        symbols_view(a, acct, f, sort, limit, out);
        break;
    case VIEW_CRATES:
    case VIEW_SECTIONS:
        n = group_rows(a, acct, f, out, &rows, kind == VIEW_CRATES);
        for (size_t i = 0; out->owners && i < n; i++)
            if (strncmp(rows[i].name, "[section ", 9) == 0)
                out->unowned_vm += rows[i].vm_size;
        finish(out, rows, n, sort, limit);
        break;
    case VIEW_SEGMENTS:
        segments_view(a, acct, sort, limit, out);
        break;
    case VIEW_MEMBERS:
        members_view(a, acct, f, sort, limit, out);
        break;
    case VIEW_SUMMARY:
    case VIEW_UNITS:
    case VIEW_FILES:
        break;
    }
    sort_acct = NULL;
}

void view_finish(View *v, Row *rows, size_t n, SortKey sort, size_t limit)
{
    finish(v, rows, n, sort, limit);
}
