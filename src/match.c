/* match.c — the matching passes of match.h. Each pass sorts the rows still
 * unmatched on both sides by (hash of key, key, size, name) and walks the two
 * lists side by side, so it costs O(n log n) and its pairing is
 * deterministic. Hashing first spares most of the string compares: mangled
 * names share long prefixes. The path-ending pass sorts by one component at
 * a time instead (see its section). */
#include "match.h"
#include "strhash.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *match_pass_name(MatchPass p)
{
    static const char *const names[] = {"none", "name", "identity", "crate", "anon", "suffix"};
    return names[p];
}

typedef struct Item {
    uint64_t hash; /* of key: most comparisons end here, without strcmp */
    const char *key;
    const SnapRow *row;
    size_t index;
} Item;

static int cmp_items(const void *a, const void *b)
{
    const Item *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->row->file_size != y->row->file_size)
        return x->row->file_size > y->row->file_size ? -1 : 1;
    if (x->row->vm_size != y->row->vm_size)
        return x->row->vm_size > y->row->vm_size ? -1 : 1;
    if ((c = strcmp(x->row->name, y->row->name)) != 0)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* End of the last "::" path segment's start in id, outside <…> and (…). */
static const char *last_segment(const char *id)
{
    const char *last = id;
    int depth = 0;
    for (const char *p = id; *p; p++) {
        if (*p == '<' || *p == '(' || *p == '[')
            depth++;
        else if ((*p == '>' || *p == ')' || *p == ']') && depth > 0)
            depth--;
        else if (depth == 0 && p[0] == ':' && p[1] == ':')
            last = p + 2;
    }
    return last;
}

static const char *key_of(Arena *a, const SnapRow *r, MatchPass pass)
{
    switch (pass) {
    case MATCH_EXACT: return r->name;
    case MATCH_IDENTITY: return r->id;
    case MATCH_ANON:
        if (strncmp(r->name, "anon.", 5) != 0 && strncmp(r->name, "alloc_", 6) != 0)
            return NULL;
        return arena_printf(a, "%s\x1f%s\x1f%" PRIu64 "\x1f%" PRIu64, r->crate ? r->crate : "",
                            r->section ? r->section : "", r->file_size, r->vm_size);
    default: return arena_printf(a, "%s\x1f%s", r->crate ? r->crate : "", last_segment(r->id));
    }
}

const char *match_unit_identity(Arena *a, const char *name)
{
    const char *at = strstr(name, "/@/");
    if (!at)
        return name;
    const char *cgu = at + 3, *dot = strchr(cgu, '.');
    if (dot && strstr(dot, "-cgu."))
        return arena_printf(a, "%.*s.*", (int)(dot - name), name);
    return arena_printf(a, "%.*s*", (int)(cgu - name), name);
}

static Item *unmatched(Arena *a, const SnapRow *rows, size_t n, const size_t *other, MatchPass pass, size_t *count)
{
    Item *items = malloc((n ? n : 1) * sizeof *items);
    if (!items)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (other[i] == MATCH_UNMATCHED) {
            const char *key = key_of(a, &rows[i], pass);
            if (key)
                items[k++] = (Item){strhash(key), key, &rows[i], i};
        }
    }
    qsort(items, k, sizeof *items, cmp_items);
    *count = k;
    return items;
}

static size_t group_end(const Item *it, size_t i, size_t n)
{
    size_t j = i + 1;
    while (j < n && it[j].hash == it[i].hash && strcmp(it[j].key, it[i].key) == 0)
        j++;
    return j;
}

static bool same_size(const Item *x, const Item *y)
{
    return x->row->file_size == y->row->file_size && x->row->vm_size == y->row->vm_size;
}

static void pair(const Item *x, const Item *y, MatchPass pass, Matching *m)
{
    m->old_to_new[x->index] = y->index;
    m->new_to_old[y->index] = x->index;
    m->how[x->index] = pass;
    m->matched[pass]++;
}

/* Rows sharing a key, each side sorted by size, largest first: rows of equal
 * size pair first (an unchanged copy stays unchanged when another copy comes
 * or goes), then the rest in order. */
static void pair_group(const Item *o, size_t no, const Item *w, size_t nw, MatchPass pass, Matching *m)
{
    size_t i = 0, j = 0;
    while (i < no && j < nw) {
        if (same_size(&o[i], &w[j]))
            pair(&o[i++], &w[j++], pass, m);
        else if (o[i].row->file_size > w[j].row->file_size ||
                 (o[i].row->file_size == w[j].row->file_size && o[i].row->vm_size > w[j].row->vm_size))
            i++;
        else
            j++;
    }
    j = 0;
    for (i = 0; i < no; i++) {
        if (m->old_to_new[o[i].index] != MATCH_UNMATCHED)
            continue;
        while (j < nw && m->new_to_old[w[j].index] != MATCH_UNMATCHED)
            j++;
        if (j == nw)
            break;
        pair(&o[i], &w[j++], pass, m);
    }
}

static void run_pass(Arena *a, const SnapRow *old, size_t nold, const SnapRow *new, size_t nnew, MatchPass pass,
                     Matching *m)
{
    size_t no, nn;
    Item *o = unmatched(a, old, nold, m->old_to_new, pass, &no);
    Item *w = unmatched(a, new, nnew, m->new_to_old, pass, &nn);
    size_t i = 0, j = 0;
    while (i < no && j < nn) {
        int c = o[i].hash != w[j].hash ? (o[i].hash < w[j].hash ? -1 : 1) : strcmp(o[i].key, w[j].key);
        if (c < 0) {
            i = group_end(o, i, no);
            continue;
        }
        if (c > 0) {
            j = group_end(w, j, nn);
            continue;
        }
        size_t ie = group_end(o, i, no), je = group_end(w, j, nn);
        /* The crate pass guesses: only a unique pair is taken. */
        if (pass != MATCH_CRATE || (ie - i == 1 && je - j == 1))
            pair_group(o + i, ie - i, w + j, je - j, pass, m);
        i = ie;
        j = je;
    }
    free(o);
    free(w);
}

/* ---- path endings (pass 5) ----
 * Shortest endings first: a file's name alone pairs it when no other
 * unmatched file has that name; longer endings tell apart the rest. The
 * ending of depth d is the text after a path's d-th "/" from its end; a path
 * with fewer takes no part (the whole path was tried by the earlier passes).
 * Two endings of depth d are equal when their endings of depth d - 1 were
 * and their d-th components are, so each depth sorts the rows by (class of
 * their shorter ending, component) rather than by the whole ending: every
 * component is read once, and all depths together cost O(L log n) for paths
 * of total length L, however many components they have. A class with rows
 * on one side only can pair nothing deeper, and leaves. */

typedef struct Ending {
    Item it;          /* row and index, for pair_group */
    const char *path; /* its identity */
    const char *rest; /* path is read from the end: [path, rest) is what is left */
    const char *comp; /* this depth's component, comp_len bytes */
    size_t comp_len;
    size_t cls;  /* rows whose endings have been equal so far share it */
    size_t rank; /* order of rows within a key, as cmp_items */
    bool is_new;
} Ending;

static int cmp_rank(const void *a, const void *b)
{
    const Ending *x = a, *y = b;
    return cmp_items(&x->it, &y->it);
}

static int cmp_endings(const void *a, const void *b)
{
    const Ending *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    int c = memcmp(x->comp, y->comp, x->comp_len < y->comp_len ? x->comp_len : y->comp_len);
    if (c)
        return c;
    if (x->comp_len != y->comp_len)
        return x->comp_len < y->comp_len ? -1 : 1;
    if (x->is_new != y->is_new)
        return x->is_new ? 1 : -1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static bool same_ending(const Ending *x, const Ending *y)
{
    return x->cls == y->cls && x->comp_len == y->comp_len && memcmp(x->comp, y->comp, x->comp_len) == 0;
}

static void match_endings(const SnapRow *old, size_t nold, const SnapRow *new, size_t nnew, Matching *m)
{
    Ending *e = malloc((nold + nnew ? nold + nnew : 1) * sizeof *e);
    Item *scratch = malloc((nold + nnew ? nold + nnew : 1) * sizeof *scratch);
    if (!e || !scratch)
        abort();
    size_t n = 0;
    for (int side = 0; side < 2; side++) {
        const SnapRow *rows = side ? new : old;
        const size_t *other = side ? m->new_to_old : m->old_to_new;
        for (size_t i = 0, nrows = side ? nnew : nold; i < nrows; i++)
            if (other[i] == MATCH_UNMATCHED)
                e[n++] = (Ending){.it = {0, "", &rows[i], i}, .path = rows[i].id,
                                  .rest = rows[i].id + strlen(rows[i].id), .is_new = side};
    }
    /* Within a key, old rows pair with new ones in this order at every depth. */
    qsort(e, n, sizeof *e, cmp_rank);
    for (size_t i = 0; i < n; i++)
        e[i].rank = i;
    for (;;) {
        size_t k = 0, nnew_left = 0;
        for (size_t i = 0; i < n; i++) {
            const char *slash = e[i].rest;
            while (slash > e[i].path && slash[-1] != '/')
                slash--;
            if (slash == e[i].path)
                continue; /* no component left */
            e[k] = e[i];
            e[k].comp = slash, e[k].comp_len = (size_t)(e[i].rest - slash);
            e[k].rest = slash - 1;
            nnew_left += e[k].is_new;
            k++;
        }
        n = k;
        if (nnew_left == 0 || nnew_left == n)
            break;
        qsort(e, n, sizeof *e, cmp_endings);
        k = 0;
        for (size_t i = 0, j; i < n; i = j) {
            size_t no = 0;
            for (j = i; j < n && same_ending(&e[i], &e[j]); j++)
                no += !e[j].is_new;
            size_t nw = j - i - no;
            if (no == nw) {
                for (size_t t = 0; t < j - i; t++)
                    scratch[t] = e[i + t].it;
                pair_group(scratch, no, scratch + no, nw, MATCH_SUFFIX, m);
            } else if (no && nw) {
                for (size_t t = i; t < j; t++)
                    e[k] = e[t], e[k++].cls = i;
            }
        }
        n = k;
    }
    free(e);
    free(scratch);
}

void match_rows(Arena *a, const SnapRow *old, size_t nold, const SnapRow *new, size_t nnew, MatchKind kind,
                Matching *out)
{
    memset(out, 0, sizeof *out);
    out->old_to_new = arena_array(a, nold + 1, sizeof *out->old_to_new);
    out->new_to_old = arena_array(a, nnew + 1, sizeof *out->new_to_old);
    out->how = arena_array(a, nold + 1, sizeof *out->how);
    memset(out->old_to_new, 0xff, (nold + 1) * sizeof *out->old_to_new);
    memset(out->new_to_old, 0xff, (nnew + 1) * sizeof *out->new_to_old);
    run_pass(a, old, nold, new, nnew, MATCH_EXACT, out);
    if (kind == MATCH_NAMES)
        return;
    run_pass(a, old, nold, new, nnew, MATCH_IDENTITY, out);
    if (kind == MATCH_SYMBOLS) {
        run_pass(a, old, nold, new, nnew, MATCH_CRATE, out);
        run_pass(a, old, nold, new, nnew, MATCH_ANON, out);
        return;
    }
    match_endings(old, nold, new, nnew, out);
}
