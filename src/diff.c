/* diff.c — comparing one view of two snapshots (see diff.h). Unchanged rows
 * are counted but not listed; the listed rows, rest and filtered_out add up
 * to the difference of the totals whenever the view covers every byte. */
#include "diff.h"

#include <stdlib.h>
#include <string.h>

#include "generics.h"
#include "strhash.h"

int64_t diff_delta(uint64_t old, uint64_t new)
{
    return new >= old ? (int64_t)(new - old) : -(int64_t)(old - new);
}

const char *diff_status_name(DiffStatus s)
{
    static const char *const names[] = {"same", "grown", "shrunk", "added", "removed"};
    return names[s];
}

static uint64_t mag(int64_t d)
{
    return d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
}

static int cmp_diff(const void *a, const void *b)
{
    const DiffRow *x = a, *y = b;
    uint64_t fx = mag(diff_delta(x->old_file, x->new_file)), fy = mag(diff_delta(y->old_file, y->new_file));
    if (fx != fy)
        return fx > fy ? -1 : 1;
    uint64_t vx = mag(diff_delta(x->old_vm, x->new_vm)), vy = mag(diff_delta(y->old_vm, y->new_vm));
    if (vx != vy)
        return vx > vy ? -1 : 1;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    if (x->status != y->status)
        return x->status < y->status ? -1 : 1;
    if (x->old_file != y->old_file)
        return x->old_file > y->old_file ? -1 : 1;
    return x->old_vm > y->old_vm ? -1 : x->old_vm < y->old_vm;
}

static DiffStatus status_of(const DiffRow *r)
{
    int64_t df = diff_delta(r->old_file, r->new_file), dv = diff_delta(r->old_vm, r->new_vm);
    if (df > 0 || (df == 0 && dv > 0))
        return DIFF_GROWN;
    if (df < 0 || dv < 0)
        return DIFF_SHRUNK;
    if (r->new_copies != r->old_copies)
        return r->new_copies > r->old_copies ? DIFF_GROWN : DIFF_SHRUNK;
    return DIFF_SAME;
}

/* ---- generics on the side where they are no group ---- */

typedef struct Keyed {
    uint64_t hash;
    const char *key;
    uint64_t file, vm;
} Keyed;

typedef struct KeyIndex {
    Keyed *k;
    size_t n;
} KeyIndex;

static int cmp_keyed(const void *a, const void *b)
{
    const Keyed *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* The generic key of every symbol that heft monos would consider: in a code
 * section, and mangled (plain C names are never generics). */
static KeyIndex key_index(Arena *a, const Snapshot *s)
{
    KeyIndex ki = {arena_array(a, s->nrows[SNAP_SYMBOLS] + 1, sizeof *ki.k), 0};
    for (size_t i = 0; i < s->nrows[SNAP_SYMBOLS]; i++) {
        const SnapRow *r = &s->rows[SNAP_SYMBOLS][i];
        bool code = false;
        for (size_t c = 0; r->section && c < s->ncode_sections && !code; c++)
            code = strcmp(r->section, s->code_sections[c]) == 0;
        NameLang lang = code ? names_lang(r->name) : NAME_C;
        if (lang == NAME_C)
            continue;
        GenericName g;
        generics_split(a, r->id, lang, 0, &g);
        ki.k[ki.n++] = (Keyed){strhash(g.key), g.key, r->file_size, r->vm_size};
    }
    qsort(ki.k, ki.n, sizeof *ki.k, cmp_keyed);
    return ki;
}

/* The copies of key in the index: how many, and their bytes. */
static uint64_t lookup(const KeyIndex *ki, const char *key, uint64_t *file, uint64_t *vm)
{
    Keyed want = {strhash(key), key, 0, 0};
    size_t lo = 0, hi = ki->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_keyed(&ki->k[mid], &want) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint64_t n = 0;
    *file = *vm = 0;
    for (; lo < ki->n && cmp_keyed(&ki->k[lo], &want) == 0; lo++, n++) {
        *file += ki->k[lo].file;
        *vm += ki->k[lo].vm;
    }
    return n;
}

static void add_sum(DiffSum *s, const DiffRow *r)
{
    s->rows++;
    s->file += diff_delta(r->old_file, r->new_file);
    s->vm += diff_delta(r->old_vm, r->new_vm);
}

static bool keep(Pattern *re, const DiffRow *r)
{
    return !re || pattern_match(re, r->name) || (r->old_name && pattern_match(re, r->old_name));
}

void diff_build(Arena *a, const Snapshot *old, const Snapshot *new, SnapView kind, Pattern *re, size_t limit,
                DiffView *out)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    const SnapRow *o = old->rows[kind], *w = new->rows[kind];
    size_t no = old->nrows[kind], nn = new->nrows[kind];
    Matching m;
    match_rows(a, o, no, w, nn,
               kind == SNAP_SYMBOLS                         ? MATCH_SYMBOLS
               : kind == SNAP_UNITS || kind == SNAP_FILES ? MATCH_PATHS
                                                            : MATCH_NAMES,
               &m);
    memcpy(out->matched, m.matched, sizeof m.matched);
    /* Units and files are shown by path, as heft units and heft files show
     * them; the identity only pairs them. */
    bool paths = kind == SNAP_UNITS || kind == SNAP_FILES;
    KeyIndex old_keys = {0}, new_keys = {0};
    bool keyed = false;

    DiffRow *rows = arena_array(a, no + nn + 1, sizeof *rows);
    size_t n = 0;
    for (size_t i = 0; i < no + nn; i++) {
        DiffRow r = {0};
        if (i < no) {
            const SnapRow *x = &o[i];
            const char *xn = paths ? x->name : x->id;
            r = (DiffRow){.name = xn, .crate = x->crate, .section = x->section, .old_file = x->file_size,
                          .old_vm = x->vm_size, .old_copies = x->copies, .status = DIFF_REMOVED};
            size_t j = m.old_to_new[i];
            if (j != MATCH_UNMATCHED) {
                const SnapRow *y = &w[j];
                r.name = paths ? y->name : y->id;
                r.old_name = strcmp(xn, r.name) != 0 ? xn : NULL;
                r.crate = y->crate;
                r.section = y->section;
                r.new_file = y->file_size;
                r.new_vm = y->vm_size;
                r.new_copies = y->copies;
                r.how = m.how[i];
                r.status = status_of(&r);
            }
        } else {
            if (m.new_to_old[i - no] != MATCH_UNMATCHED)
                continue;
            const SnapRow *y = &w[i - no];
            r = (DiffRow){.name = paths ? y->name : y->id, .crate = y->crate, .section = y->section,
                          .new_file = y->file_size, .new_vm = y->vm_size, .new_copies = y->copies,
                          .status = DIFF_ADDED};
        }
        if (kind == SNAP_MONOS && (r.status == DIFF_ADDED || r.status == DIFF_REMOVED)) {
            if (!keyed) {
                old_keys = key_index(a, old);
                new_keys = key_index(a, new);
                keyed = true;
            }
            if (r.status == DIFF_ADDED)
                r.old_copies = lookup(&old_keys, r.name, &r.old_file, &r.old_vm);
            else
                r.new_copies = lookup(&new_keys, r.name, &r.new_file, &r.new_vm);
            if (r.old_copies && r.new_copies) {
                r.how = MATCH_EXACT;
                r.status = status_of(&r);
            }
        }
        if (!keep(re, &r)) {
            add_sum(&out->filtered_out, &r);
            continue;
        }
        out->count[r.status]++;
        if (r.status != DIFF_SAME)
            rows[n++] = r;
    }
    if (n)
        qsort(rows, n, sizeof *rows, cmp_diff);
    size_t shown = limit && limit < n ? limit : n;
    for (size_t i = shown; i < n; i++)
        add_sum(&out->rest, &rows[i]);
    out->rows = rows;
    out->nrows = shown;
}
