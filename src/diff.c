/* diff.c — comparing one view of two snapshots (see diff.h). Unchanged rows
 * are counted but not listed; the listed rows, rest and filtered_out add up
 * to the difference of the totals whenever the view covers every byte. */
#include "diff.h"

#include <stdlib.h>
#include <string.h>

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
    return DIFF_SAME;
}

static void add_sum(DiffSum *s, const DiffRow *r)
{
    s->rows++;
    s->file += diff_delta(r->old_file, r->new_file);
    s->vm += diff_delta(r->old_vm, r->new_vm);
}

static bool keep(const regex_t *re, const DiffRow *r)
{
    return !re || regexec(re, r->name, 0, NULL, 0) == 0 || (r->old_name && regexec(re, r->old_name, 0, NULL, 0) == 0);
}

void diff_build(Arena *a, const Snapshot *old, const Snapshot *new, SnapView kind, const regex_t *re, size_t limit,
                DiffView *out)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    const SnapRow *o = old->rows[kind], *w = new->rows[kind];
    size_t no = old->nrows[kind], nn = new->nrows[kind];
    Matching m;
    match_rows(a, o, no, w, nn, kind == SNAP_SYMBOLS, &m);
    memcpy(out->matched, m.matched, sizeof m.matched);

    DiffRow *rows = arena_array(a, no + nn + 1, sizeof *rows);
    size_t n = 0;
    for (size_t i = 0; i < no + nn; i++) {
        DiffRow r = {0};
        if (i < no) {
            const SnapRow *x = &o[i];
            r = (DiffRow){.name = x->id, .crate = x->crate, .section = x->section, .old_file = x->file_size,
                          .old_vm = x->vm_size, .status = DIFF_REMOVED};
            size_t j = m.old_to_new[i];
            if (j != MATCH_UNMATCHED) {
                const SnapRow *y = &w[j];
                r.name = y->id;
                r.old_name = strcmp(x->id, y->id) != 0 ? x->id : NULL;
                r.crate = y->crate;
                r.section = y->section;
                r.new_file = y->file_size;
                r.new_vm = y->vm_size;
                r.how = m.how[i];
                r.status = status_of(&r);
            }
        } else {
            if (m.new_to_old[i - no] != MATCH_UNMATCHED)
                continue;
            const SnapRow *y = &w[i - no];
            r = (DiffRow){.name = y->id, .crate = y->crate, .section = y->section, .new_file = y->file_size,
                          .new_vm = y->vm_size, .status = DIFF_ADDED};
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
