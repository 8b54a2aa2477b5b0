/* debugview.c — splits the accounting's leaves by the debug info's address
 * ranges into unit, file, line and crate rows (see debugview.h for the rule).
 *
 * Rows are keyed by a pair of string ids (unit, file, crate names; a line
 * number; a fallback's name), so every range finds its row in O(1) and a
 * name is made once per row. */
#include "debugview.h"
#include "strhash.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#define NO_ID UINT32_MAX

/* Open addressing: strings to ids (strs), and id pairs to rows (keys). */
typedef struct Table {
    uint64_t *keys; /* pair key + 1; 0 = empty */
    const char **strs; /* NULL = empty */
    uint32_t *vals;
    size_t cap, n;
} Table;

static uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return k;
}

static void grow(Table *t, bool strs)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    Table nt = {strs ? NULL : calloc(cap, sizeof *nt.keys), strs ? calloc(cap, sizeof *nt.strs) : NULL,
                calloc(cap, sizeof *nt.vals), cap, t->n};
    if (!nt.vals || (strs ? !nt.strs : !nt.keys))
        abort();
    for (size_t i = 0; i < t->cap; i++) {
        if (strs ? !t->strs[i] : !t->keys[i])
            continue;
        size_t s = (strs ? strhash(t->strs[i]) : mix(t->keys[i])) & (cap - 1);
        while (strs ? nt.strs[s] != NULL : nt.keys[s] != 0)
            s = (s + 1) & (cap - 1);
        if (strs)
            nt.strs[s] = t->strs[i];
        else
            nt.keys[s] = t->keys[i];
        nt.vals[s] = t->vals[i];
    }
    free(t->keys);
    free(t->strs);
    free(t->vals);
    *t = nt;
}

static void table_free(Table *t)
{
    free(t->keys);
    free(t->strs);
    free(t->vals);
}

typedef struct Builder {
    Arena *a;
    const DebugViewOpts *o;
    Table ids, rows;
    const char **names; /* id → string */
    size_t nnames, names_cap;
    Row *out;
    size_t nout, out_cap;
    uint32_t last_leaf, last_row; /* counting leaves per row */
} Builder;

static uint32_t str_id(Builder *b, const char *s)
{
    Table *t = &b->ids;
    if (t->n * 2 >= t->cap)
        grow(t, true);
    size_t i = strhash(s) & (t->cap - 1);
    for (; t->strs[i]; i = (i + 1) & (t->cap - 1))
        if (strcmp(t->strs[i], s) == 0)
            return t->vals[i];
    if (b->nnames == b->names_cap) {
        b->names_cap = b->names_cap ? b->names_cap * 2 : 256;
        b->names = realloc(b->names, b->names_cap * sizeof *b->names);
        if (!b->names)
            abort();
    }
    b->names[b->nnames] = s;
    t->strs[i] = s;
    t->vals[i] = (uint32_t)b->nnames;
    t->n++;
    return (uint32_t)b->nnames++;
}

static Row *row_for(Builder *b, uint32_t x, uint32_t y)
{
    Table *t = &b->rows;
    if (t->n * 2 >= t->cap)
        grow(t, false);
    uint64_t key = ((uint64_t)x << 32 | y) + 1;
    size_t i = mix(key) & (t->cap - 1);
    for (; t->keys[i]; i = (i + 1) & (t->cap - 1))
        if (t->keys[i] == key)
            return &b->out[t->vals[i]];
    if (b->nout == b->out_cap) {
        b->out_cap = b->out_cap ? b->out_cap * 2 : 256;
        b->out = realloc(b->out, b->out_cap * sizeof *b->out);
        if (!b->out)
            abort();
    }
    Row *r = &b->out[b->nout];
    memset(r, 0, sizeof *r);
    if (y == NO_ID) {
        r->name = b->names[x];
    } else if (b->o->kind == DV_MATRIX) {
        r->defining = b->names[x];
        r->instantiating = b->names[y];
        r->name = arena_printf(b->a, "%s <- %s", r->defining, r->instantiating);
    } else {
        r->name = arena_printf(b->a, "%s:%u", b->names[x], y);
    }
    t->keys[i] = key;
    t->vals[i] = (uint32_t)b->nout;
    t->n++;
    return &b->out[b->nout++];
}

static void add(Builder *b, Row *r, uint32_t leaf, uint64_t file, uint64_t vm)
{
    uint32_t ri = (uint32_t)(r - b->out);
    if (leaf != b->last_leaf || ri != b->last_row)
        r->count++;
    b->last_leaf = leaf, b->last_row = ri;
    r->file_size += file;
    r->vm_size += vm;
}

static const char *fold(const DebugViewOpts *o, const char *crate)
{
    return o->split_std ? crate : names_fold_std(crate, 0, NAME_RUST_LEGACY, NAME_RUST_V0);
}

/* "a/b/c/d.c" cut to depth components: "a/b" for 2. */
static const char *cut_path(Arena *a, const char *p, unsigned depth)
{
    if (!depth)
        return p;
    const char *s = p + (p[0] == '/');
    for (unsigned i = 0; i < depth; i++) {
        const char *n = strchr(s, '/');
        if (!n)
            return p;
        s = n + 1;
    }
    return arena_strndup(a, p, (size_t)(s - 1 - p));
}

typedef struct Keys {
    uint32_t *unit, *file; /* first id of a range's row, per unit / per file */
    bool by_line;          /* second id is the line */
    bool by_unit2;         /* second id is the unit's (matrix) */
    uint32_t *unit2;
} Keys;

static Row *range_row(Builder *b, const Keys *k, const DebugRange *r)
{
    uint32_t x = k->unit ? k->unit[r->unit] : k->file[r->file];
    uint32_t y = k->by_line ? r->line : k->by_unit2 ? k->unit2[r->unit] : NO_ID;
    return row_for(b, x, y);
}

typedef struct Given {
    uint64_t file, vm;
} Given;

/* Charges [lo, hi) of leaf li to the ranges covering it: file bytes if
 * file, VM bytes if vm (at most what the leaf has left). */
static void charge(Builder *b, const Keys *k, const DebugRange *rs, size_t n, const Leaf *leaf, uint32_t li,
                   Given *g, uint64_t lo, uint64_t hi, bool file, bool vm)
{
    size_t l = 0, h = n;
    while (l < h) {
        size_t m = (l + h) / 2;
        if (rs[m].hi <= lo)
            l = m + 1;
        else
            h = m;
    }
    for (size_t i = l; i < n && rs[i].lo < hi; i++) {
        uint64_t s = rs[i].lo > lo ? rs[i].lo : lo, e = rs[i].hi < hi ? rs[i].hi : hi;
        if (s >= e)
            continue;
        uint64_t f = file ? e - s : 0, v = 0;
        if (vm) {
            uint64_t left = leaf->vm_size - g->vm;
            v = e - s < left ? e - s : left;
        }
        if (!f && !v)
            continue;
        g->file += f;
        g->vm += v;
        add(b, range_row(b, k, &rs[i]), li, f, v);
    }
}

static const char *fallback(const Builder *b, const Account *acct, const Leaf *l)
{
    const DebugViewOpts *o = b->o;
    if (o->kind == DV_UNITS || o->kind == DV_FILES) {
        if (!l->vm_size)
            return "[not loaded]";
        bool alloc = l->section != IMG_NONE && (acct->img->sections[l->section].flags & SHF_ALLOC);
        return alloc ? "[no debug info]" : l->name;
    }
    if (o->kind == DV_INSTANTIATING && l->inst_crate)
        return fold(o, l->inst_crate);
    return l->crate;
}

void debugview_build(Arena *a, const Account *acct, const DebugInfo *di, const DebugViewOpts *o, SortKey sort,
                     size_t limit, View *out)
{
    memset(out, 0, sizeof *out);
    out->kind = o->kind == DV_UNITS ? VIEW_UNITS : o->kind == DV_FILES ? VIEW_FILES : VIEW_CRATES;
    Builder b = {.a = a, .o = o, .last_leaf = NO_ID, .last_row = NO_ID};
    Keys k = {0};
    const DebugRange *rs = o->kind == DV_UNITS ? di->unit_ranges : di->line_ranges;
    size_t nrs = o->kind == DV_UNITS ? di->nunit_ranges : di->nline_ranges;
    uint32_t *ukeys = arena_array(a, di->nunits + 1, sizeof *ukeys);
    uint32_t *fkeys = arena_array(a, di->nfiles + 1, sizeof *fkeys);
    for (uint32_t i = 0; i < di->nunits; i++)
        ukeys[i] = str_id(&b, o->kind == DV_UNITS ? di->units[i].name : fold(o, di->units[i].inst_crate));
    for (uint32_t i = 0; i < di->nfiles; i++)
        fkeys[i] = str_id(&b, o->kind == DV_FILES ? cut_path(a, di->files[i].name, o->depth)
                                                  : fold(o, di->files[i].crate));
    if (o->kind == DV_UNITS || o->kind == DV_INSTANTIATING)
        k.unit = ukeys;
    else
        k.file = fkeys;
    k.by_line = o->kind == DV_FILES && o->lines;
    k.by_unit2 = o->kind == DV_MATRIX;
    k.unit2 = ukeys;

    const Image *img = acct->img;
    Given *given = calloc(acct->nleaves ? acct->nleaves : 1, sizeof *given);
    if (!given)
        abort();
    for (size_t i = 0; i < acct->nspans; i++) {
        const AcctSpan *sp = &acct->spans[i];
        const Leaf *l = &acct->leaves[sp->leaf];
        if (l->section == IMG_NONE)
            continue;
        const Section *s = &img->sections[l->section];
        if (!(s->flags & SHF_ALLOC) || !s->file_size)
            continue;
        uint64_t lo = sp->start > s->offset ? sp->start : s->offset;
        uint64_t hi = sp->end < s->offset + s->file_size ? sp->end : s->offset + s->file_size;
        if (lo < hi)
            charge(&b, &k, rs, nrs, l, sp->leaf, &given[sp->leaf], s->addr + (lo - s->offset),
                   s->addr + (hi - s->offset), true, s->vm_size > 0);
    }
    for (size_t i = 0; i < acct->nvm_spans; i++) {
        const AcctSpan *sp = &acct->vm_spans[i];
        const Leaf *l = &acct->leaves[sp->leaf];
        if (l->section != IMG_NONE)
            charge(&b, &k, rs, nrs, l, sp->leaf, &given[sp->leaf], sp->start, sp->end, false, true);
    }
    for (uint32_t i = 0; i < acct->nleaves; i++) {
        const Leaf *l = &acct->leaves[i];
        uint64_t f = l->file_size - given[i].file, v = l->vm_size - given[i].vm;
        if (!f && !v)
            continue;
        uint32_t x = str_id(&b, fallback(&b, acct, l));
        /* Matrix fallbacks keep both axes by the symbol rule; a fallback
         * that is no crate ("[section .text]") is one name, not a pair. */
        uint32_t y = NO_ID;
        if (o->kind == DV_MATRIX) {
            b.o = &(DebugViewOpts){.kind = DV_INSTANTIATING, .split_std = o->split_std};
            y = str_id(&b, fallback(&b, acct, l));
            b.o = o;
            if (y == x && l->kind != LEAF_SYMBOL)
                y = NO_ID;
        }
        add(&b, row_for(&b, x, y), i, f, v);
    }
    free(given);

    Row *rows = arena_array(a, b.nout ? b.nout : 1, sizeof *rows);
    if (b.nout)
        memcpy(rows, b.out, b.nout * sizeof *rows);
    view_finish(out, rows, b.nout, sort, limit);
    free(b.out);
    free(b.names);
    table_free(&b.ids);
    table_free(&b.rows);
}
