/* match.c — the matching passes of match.h. Each pass sorts the rows still
 * unmatched on both sides by (hash of key, key, size, name) and walks the two
 * lists side by side, so it costs O(n log n) and its pairing is
 * deterministic. Hashing first spares most of the string compares: mangled
 * names share long prefixes. */
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

/* The last n "/"-separated components of path, or NULL when it has fewer
 * than n + 1 (the whole path was tried by the earlier passes). */
static const char *last_components(const char *path, unsigned n)
{
    const char *p = path + strlen(path);
    while (p > path) {
        if (p[-1] == '/' && --n == 0)
            return p;
        p--;
    }
    return NULL;
}

static const char *key_of(Arena *a, const SnapRow *r, MatchPass pass, unsigned depth)
{
    switch (pass) {
    case MATCH_EXACT: return r->name;
    case MATCH_IDENTITY: return r->id;
    case MATCH_SUFFIX: return last_components(r->id, depth);
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

static Item *unmatched(Arena *a, const SnapRow *rows, size_t n, const size_t *other, MatchPass pass, unsigned depth,
                       size_t *count)
{
    Item *items = malloc((n ? n : 1) * sizeof *items);
    if (!items)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (other[i] == MATCH_UNMATCHED) {
            const char *key = key_of(a, &rows[i], pass, depth);
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

/* Returns the number of rows that had a key on either side. */
static size_t run_pass(Arena *a, const SnapRow *old, size_t nold, const SnapRow *new, size_t nnew, MatchPass pass,
                       unsigned depth, Matching *m)
{
    size_t no, nn;
    Item *o = unmatched(a, old, nold, m->old_to_new, pass, depth, &no);
    Item *w = unmatched(a, new, nnew, m->new_to_old, pass, depth, &nn);
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
        /* The crate pass guesses: only a unique pair is taken; the suffix
         * pass, only groups of one size on both sides. */
        if ((pass != MATCH_CRATE || (ie - i == 1 && je - j == 1)) && (pass != MATCH_SUFFIX || ie - i == je - j))
            pair_group(o + i, ie - i, w + j, je - j, pass, m);
        i = ie;
        j = je;
    }
    free(o);
    free(w);
    return no + nn;
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
    run_pass(a, old, nold, new, nnew, MATCH_EXACT, 0, out);
    if (kind == MATCH_NAMES)
        return;
    run_pass(a, old, nold, new, nnew, MATCH_IDENTITY, 0, out);
    if (kind == MATCH_SYMBOLS) {
        run_pass(a, old, nold, new, nnew, MATCH_CRATE, 0, out);
        run_pass(a, old, nold, new, nnew, MATCH_ANON, 0, out);
        return;
    }
    /* Shortest endings first: a file's name alone pairs it when no other
     * unmatched file has that name; longer endings tell apart the rest. Stops
     * when no unmatched row on either side has that many components. */
    for (unsigned depth = 1; run_pass(a, old, nold, new, nnew, MATCH_SUFFIX, depth, out) > 0; depth++)
        continue;
}
