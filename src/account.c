/* account.c — gives every byte of the file, and of the loaded image, exactly
 * one leaf (see account.h for the rules).
 *
 * The idea is a range map, as in bloaty's: labellers claim ranges, and where
 * claims overlap the one made first wins. Claims are swept in address order
 * with a heap ordered by priority, so overlapping, nested or duplicate
 * symbols from any file give a consistent answer in O(n log n).
 *
 * The VM domain reuses the file domain wherever a loaded segment maps file
 * bytes, so a symbol's VM bytes are its file bytes; only the parts beyond a
 * segment's file size (.bss) are swept separately. */
#include "account.h"

#include "keysort.h"
#include "memtune.h"
#include "parallel.h"
#include "progress.h"
#include "strhash.h"
#include "vec.h"

#include <elf.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum { L_EHDR, L_PHDR, L_SHDR, L_PADDING, L_UNMAPPED, L_FIRST_SECTION };
_Static_assert(L_PADDING == ACCT_LEAF_PADDING && L_FIRST_SECTION == ACCT_LEAF_SECTION(0), "account.h's leaf numbers");

typedef struct Claim {
    uint64_t start, end;
    uint32_t prio, leaf;
} Claim;

typedef AcctSpan Span;

static void claim(Vec *v, uint64_t start, uint64_t end, uint32_t leaf)
{
    if (end <= start)
        return;
    Claim *c = vec_push(v);
    *c = (Claim){start, end, (uint32_t)(v->n - 1), leaf};
}

/* By start, then by priority, which is the order claims were made in. */
static void sort_claims(Vec *v)
{
    _Static_assert(offsetof(Claim, start) == 0, "keysort's key comes first");
    keysort(v->p, v->n, sizeof(Claim));
}

/* Binary min-heap of claims by priority. */
typedef struct Heap {
    const Claim **h;
    size_t n;
} Heap;

static void heap_push(Heap *hp, const Claim *c)
{
    size_t i = hp->n++;
    while (i) {
        size_t p = (i - 1) / 2;
        if (hp->h[p]->prio <= c->prio)
            break;
        hp->h[i] = hp->h[p];
        i = p;
    }
    hp->h[i] = c;
}

static void heap_pop(Heap *hp)
{
    const Claim *last = hp->h[--hp->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        const Claim *best = last;
        if (l < hp->n && hp->h[l]->prio < best->prio)
            best = hp->h[l], m = l;
        if (l + 1 < hp->n && hp->h[l + 1]->prio < best->prio)
            m = l + 1;
        if (m == i)
            break;
        hp->h[i] = hp->h[m];
        i = m;
    }
    if (hp->n)
        hp->h[i] = last;
}

typedef void (*EmitFn)(void *ctx, uint64_t start, uint64_t end, uint32_t leaf);

/* One pass over claims sorted by start, shared by the ranges swept in
 * increasing order (the file, or the loaded image's .bss parts mapping by
 * mapping): each claim enters the heap once, so the ranges cost
 * O((ranges + claims) log claims) together, not a pass over the claims each. */
typedef struct Sweep {
    const Claim *cl;
    size_t n, i; /* claims; the first not yet reached */
    Heap hp;     /* claims reached, lowest priority on top; those that ended
                    leave only when they come to the top */
} Sweep;

static void sweep_init(Sweep *sw, const Vec *claims)
{
    *sw = (Sweep){claims->p, claims->n, 0, {malloc((claims->n ? claims->n : 1) * sizeof *sw->hp.h), 0}};
    if (!sw->hp.h)
        abort();
}

/* Gives every byte of [lo, hi) to the claim of lowest priority covering it;
 * uncovered bytes go to gap, or to tail from tail_from on. lo is at or past
 * the hi of the range swept before. */
static void sweep(Sweep *sw, uint64_t lo, uint64_t hi, uint32_t gap, uint32_t tail, uint64_t tail_from, EmitFn emit,
                  void *ctx)
{
    const Claim *cl = sw->cl;
    Heap *hp = &sw->hp;
    uint64_t pos = lo;
    while (pos < hi) {
        for (; sw->i < sw->n && cl[sw->i].start <= pos; sw->i++)
            if (cl[sw->i].end > pos)
                heap_push(hp, &cl[sw->i]);
        while (hp->n && hp->h[0]->end <= pos)
            heap_pop(hp);
        uint64_t next = sw->i < sw->n && cl[sw->i].start < hi ? cl[sw->i].start : hi;
        if (!hp->n) {
            if (pos < tail_from && next > tail_from)
                next = tail_from;
            emit(ctx, pos, next, pos >= tail_from ? tail : gap);
            pos = next;
            continue;
        }
        uint64_t end = hp->h[0]->end < next ? hp->h[0]->end : next;
        emit(ctx, pos, end, hp->h[0]->leaf);
        pos = end;
    }
}

typedef struct Builder {
    Arena *a;
    const Image *img;
    Account *acct;
    Vec spans;    /* file domain, in order */
    Vec vm_spans; /* VM bytes beyond the file's, in order */
} Builder;

static void push_span(Vec *v, uint64_t start, uint64_t end, uint32_t leaf)
{
    Span *last = v->n ? (Span *)v->p + v->n - 1 : NULL;
    if (last && last->leaf == leaf && last->end == start) {
        last->end = end;
        return;
    }
    Span *s = vec_push(v);
    *s = (Span){start, end, leaf};
}

static void emit_file(void *ctx, uint64_t start, uint64_t end, uint32_t leaf)
{
    Builder *b = ctx;
    b->acct->leaves[leaf].file_size += end - start;
    push_span(&b->spans, start, end, leaf);
}

static void emit_vm(void *ctx, uint64_t start, uint64_t end, uint32_t leaf)
{
    Builder *b = ctx;
    b->acct->leaves[leaf].vm_size += end - start;
    push_span(&b->vm_spans, start, end, leaf);
}

/* The spans' buffer becomes the account's as it is: a copy into the arena
 * was, after the leaves, the largest block of a run (10 MB for libLLVM). */
static const Span *keep_spans(Arena *a, Vec *v)
{
    if (!v->n)
        return arena_alloc(a, sizeof(Span)); /* a Vec allocates on its first push */
    Span *s = realloc(v->p, v->n * sizeof *s);
    if (!s)
        s = v->p; /* shrinking failed: keep it as it is */
    arena_own(a, s);
    *v = (Vec){0};
    return s;
}

/* VM bytes [off, off+len) of the file: credit the leaves that own them. */
static void credit_file_range(Builder *b, uint64_t off, uint64_t len)
{
    const Span *sp = b->spans.p;
    size_t lo = 0, hi = b->spans.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sp[mid].end <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint64_t end = off + len;
    for (size_t i = lo; i < b->spans.n && sp[i].start < end; i++) {
        uint64_t s = sp[i].start > off ? sp[i].start : off;
        uint64_t e = sp[i].end < end ? sp[i].end : end;
        b->acct->leaves[sp[i].leaf].vm_size += e - s;
    }
}

/* ---- symbols to leaves ---- */

static const Image *sort_img; /* qsort has no context argument in C11 */

static int sym_rank(const Symbol *s)
{
    int bind = s->bind == STB_GLOBAL ? 0 : s->bind == STB_WEAK ? 1 : s->bind == STB_LOCAL ? 2 : 3;
    int type = s->type == STT_FUNC || s->type == STT_OBJECT ? 0 : 1;
    return bind * 2 + type;
}

/* Section, address, size; then which name is the best primary. */
static int by_place(const void *a, const void *b)
{
    const Symbol *x = &sort_img->symbols[*(const uint32_t *)a];
    const Symbol *y = &sort_img->symbols[*(const uint32_t *)b];
    if (x->section != y->section)
        return x->section < y->section ? -1 : 1;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    int rx = sym_rank(x), ry = sym_rank(y);
    if (rx != ry)
        return rx - ry;
    return strcmp(x->name, y->name);
}

/* order[0..n) = the symbols by_place: a stable sort by address, then by
 * section, then by_place within each run of one section and address (few
 * symbols, aliases). */
static void sort_by_place(const Image *img, uint32_t *order, uint32_t n)
{
    KeyVal *kv = malloc((n ? n : 1) * sizeof *kv);
    if (!kv)
        abort();
    for (uint32_t i = 0; i < n; i++)
        kv[i] = (KeyVal){img->symbols[i].addr, i};
    keysort(kv, n, sizeof *kv);
    for (uint32_t i = 0; i < n; i++)
        kv[i].key = img->symbols[kv[i].val].section;
    keysort(kv, n, sizeof *kv);
    for (uint32_t i = 0; i < n; i++)
        order[i] = kv[i].val;
    free(kv);
    sort_img = img;
    for (uint32_t k = 0, g; k < n; k = g) {
        const Symbol *s = &img->symbols[order[k]];
        for (g = k + 1; g < n && img->symbols[order[g]].section == s->section && img->symbols[order[g]].addr == s->addr;)
            g++;
        if (g - k > 1)
            qsort(order + k, g - k, sizeof *order, by_place);
    }
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

/* A FUNC without a size (hand-written assembly) runs to the next symbol or
 * the end of its section; other sizeless symbols are labels and own nothing. */
static uint64_t effective_size(const Image *img, const uint32_t *order, uint32_t n, uint32_t k)
{
    const Symbol *s = &img->symbols[order[k]];
    if (s->size || s->type != STT_FUNC)
        return s->size;
    const Section *sec = &img->sections[s->section];
    uint64_t end = sat_add(sec->addr, sec->size);
    for (uint32_t j = k + 1; j < n; j++) {
        const Symbol *t = &img->symbols[order[j]];
        if (t->section != s->section)
            break;
        if (t->addr > s->addr) {
            end = t->addr < end ? t->addr : end;
            break;
        }
    }
    return end > s->addr ? end - s->addr : 0;
}

static void name_leaf(Arena *a, Leaf *l, unsigned flags)
{
    NameInfo ni;
    names_analyze(a, l->raw,
                  ((flags & ACCT_NO_DEMANGLE) ? NAMES_NO_DEMANGLE : 0) |
                      ((flags & ACCT_FULL_NAMES) ? NAMES_NO_DISPLAY : NAMES_NO_FULL),
                  &ni);
    l->name = (flags & ACCT_FULL_NAMES) ? ni.full : ni.display;
    l->crate = ni.crate; /* fold_std_crates folds it once std's mangling is known */
    l->inst_crate = ni.inst_crate;
    l->crate_id = ni.crate_id;
    l->lang = ni.lang;
}

/* Naming is most of the time heft spends on a large file, and each leaf's
 * name depends on its raw name alone: the leaves are named on every core,
 * each worker into an arena of its own. */
typedef struct Naming {
    Leaf *leaves;
    unsigned flags;
    Arena *arenas[PARALLEL_MAX_WORKERS];
} Naming;

/* The display names of a leaf's aliases, raw until now. */
static void name_aliases(Arena *a, Leaf *l, unsigned flags)
{
    for (uint32_t k = 0; k < l->naliases; k++) {
        Leaf alias = {.raw = l->aliases[k]};
        name_leaf(a, &alias, flags);
        l->aliases[k] = alias.name;
    }
}

/* Lazily (ACCT_LAZY_NAMES), the crate and language only: analysed as with
 * --no-demangle, which finds the same crates without making display names. */
static void name_block(void *ctx, unsigned worker, size_t begin, size_t end)
{
    Naming *nm = ctx;
    Arena *a = nm->arenas[worker];
    bool lazy = (nm->flags & ACCT_LAZY_NAMES) && !(nm->flags & ACCT_NO_DEMANGLE);
    for (size_t i = begin; i < end; i++) {
        Leaf *l = &nm->leaves[i];
        if (lazy) {
            name_leaf(a, l, nm->flags | ACCT_NO_DEMANGLE);
            l->lazy = true;
            continue;
        }
        name_leaf(a, l, nm->flags);
        name_aliases(a, l, nm->flags);
    }
}

void account_name_leaf(const Account *acct, const Leaf *l)
{
    if (!l->lazy)
        return;
    Leaf *m = (Leaf *)l, named = {.raw = l->raw};
    name_leaf(acct->arena, &named, acct->flags);
    m->name = named.name; /* crate and language stay: the std fold has seen them */
    name_aliases(acct->arena, m, acct->flags);
    m->lazy = false;
}

static void name_leaves(Arena *a, Leaf *leaves, uint32_t n, unsigned flags)
{
    Naming nm = {.leaves = leaves, .flags = flags};
    for (unsigned w = 0; w < PARALLEL_MAX_WORKERS; w++)
        nm.arenas[w] = arena_new();
    parallel_for(n, 2048, name_block, &nm);
    for (unsigned w = 0; w < PARALLEL_MAX_WORKERS; w++)
        arena_adopt(a, nm.arenas[w]);
}

static uint32_t make_symbol_leaves(Builder *b, unsigned flags)
{
    const Image *img = b->img;
    Account *acct = b->acct;
    uint32_t n = img->nsymbols, first = acct->nleaves;
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        abort();
    sort_by_place(img, order, n);

    for (uint32_t k = 0; k < n;) {
        const Symbol *s = &img->symbols[order[k]];
        uint64_t size = effective_size(img, order, n, k);
        uint32_t g = k + 1; /* the group of symbols on exactly this range */
        while (g < n && img->symbols[order[g]].section == s->section && img->symbols[order[g]].addr == s->addr &&
               img->symbols[order[g]].size == s->size)
            g++;
        if (!size) {
            acct->zero_size_symbols += g - k;
            k = g;
            continue;
        }
        Leaf *l = &acct->leaves[acct->nleaves++];
        l->kind = LEAF_SYMBOL;
        l->section = s->section;
        l->addr = s->addr;
        l->sym_size = size;
        l->unit = s->unit;
        l->raw = s->name;
        if (g - k > 1) {
            l->aliases = arena_array(b->a, g - k - 1, sizeof *l->aliases);
            for (uint32_t j = k + 1; j < g; j++) {
                const char *raw = img->symbols[order[j]].name;
                if (strcmp(raw, img->symbols[order[j - 1]].name) == 0)
                    continue; /* the same symbol listed twice */
                l->aliases[l->naliases++] = raw;
            }
        }
        k = g;
    }
    free(order);
    progress_begin("reading symbols", 0);
    name_leaves(b->a, acct->leaves + first, acct->nleaves - first, flags);
    progress_end();
    return acct->nleaves - first;
}

/* std's mangling differs by toolchain (rustup's v0, Debian's legacy), and it
 * decides which copies of std's dependencies are std's: count it, then fold. */
static void fold_std_crates(Account *acct, uint32_t first, uint32_t n, unsigned flags)
{
    size_t legacy = 0, v0 = 0, user_legacy = 0, user_v0 = 0;
    for (uint32_t i = first; i < first + n; i++) {
        const Leaf *l = &acct->leaves[i];
        if (names_is_std_crate(l->crate))
            legacy += l->lang == NAME_RUST_LEGACY, v0 += l->lang == NAME_RUST_V0;
        else if (l->crate[0] != '[' && !names_is_std_dependency(l->crate))
            user_legacy += l->lang == NAME_RUST_LEGACY, user_v0 += l->lang == NAME_RUST_V0;
    }
    acct->std_lang = names_std_lang(legacy, v0, user_legacy, user_v0);
    if (flags & ACCT_SPLIT_STD)
        return;
    /* Crate names are interned, so a leaf's answer is that of the last leaf
     * with the same crate pointer, id and language: names_fold_std compares
     * names with every crate of the build (hundreds in a large workspace). */
    struct {
        const char *crate, *folded;
        uint64_t id;
        NameLang lang;
    } seen[64] = {0};
    for (uint32_t i = first; i < first + n; i++) {
        Leaf *l = &acct->leaves[i];
        /* A legacy name has no crate id, but a local's object has one. */
        uint64_t id = l->crate_id ? l->crate_id : names_unit_crate_id(l->unit, l->crate);
        size_t slot = (size_t)(((uintptr_t)l->crate >> 4) ^ id ^ (uint64_t)l->lang) % 64;
        if (!seen[slot].crate || seen[slot].crate != l->crate || seen[slot].id != id || seen[slot].lang != l->lang) {
            seen[slot].crate = l->crate, seen[slot].id = id, seen[slot].lang = l->lang;
            seen[slot].folded = names_fold_std(l->crate, id, l->lang, acct->std_lang);
        }
        l->crate = seen[slot].folded;
    }
}

/* LLVM's anonymous constants (anon.<module hash>.N, alloc_<hash>) name no
 * crate, but their module does. The symbol table groups a module's locals
 * after its STT_FILE entry, which rustc names "<crate>.<hash>-cgu.<N>"; ThinLTO
 * gives every local it promotes out of one module the same ".llvm.<N>"; and
 * all anon constants of a module share the module hash. So an anon constant
 * goes to the crate its object is named for, else to the crate most named
 * symbols of its object or of its ".llvm.N" belong to, else to the crate a
 * sibling anon constant went to; one whose module says nothing stays
 * [unknown]. */
typedef struct KeyCrate {
    uint64_t key;
    const char *crate;
} KeyCrate;

static int cmp_key_crate(const void *pa, const void *pb)
{
    const KeyCrate *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return strcmp(a->crate, b->crate);
}

/* The ".llvm.N" of a raw name as a number, 0 if none. */
static uint64_t llvm_key(const char *raw)
{
    const char *p = strstr(raw, ".llvm."), *q;
    while (p && (q = strstr(p + 6, ".llvm.")))
        p = q;
    return p && p[6] >= '0' && p[6] <= '9' ? strtoull(p + 6, NULL, 10) : 0;
}

/* The module hash of anon.<hex>.N as a key, 0 if raw is not one. */
static uint64_t anon_key(const char *raw)
{
    if (strncmp(raw, "anon.", 5) != 0)
        return 0;
    size_t n = strspn(raw + 5, "0123456789abcdef");
    return n && raw[5 + n] == '.' ? strhash_mem(raw + 5, n) | 1 : 0;
}

/* Sorts pairs and keeps, per key, the crate with the most pairs. */
static size_t vote(KeyCrate *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_key_crate);
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        size_t best = i, best_run = 0, j = i;
        while (j < n && v[j].key == v[i].key) {
            size_t k = j;
            while (k < n && v[k].key == v[j].key && strcmp(v[k].crate, v[j].crate) == 0)
                k++;
            if (k - j > best_run)
                best = j, best_run = k - j;
            j = k;
        }
        v[out++] = v[best];
        i = j;
    }
    return out;
}

static const char *lookup(const KeyCrate *v, size_t n, uint64_t key)
{
    KeyCrate want = {key, ""};
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].key < want.key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].key == key ? v[lo].crate : NULL;
}

/* "regex_syntax" of "regex_syntax.fa46c44a9fad2ef1-cgu.09", or NULL. */
static const char *unit_crate(Arena *a, const char *unit)
{
    const char *dot = unit ? strchr(unit, '.') : NULL;
    if (!dot || dot == unit)
        return NULL;
    size_t h = strspn(dot + 1, "0123456789abcdef");
    if (!h || strncmp(dot + 1 + h, "-cgu.", 5) != 0)
        return NULL;
    for (const char *p = unit; p < dot; p++)
        if (!(*p == '_' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            return NULL;
    return arena_strndup(a, unit, (size_t)(dot - unit));
}

static bool is_anon_constant(const Leaf *l)
{
    return strcmp(l->crate, "[unknown]") == 0 && l->raw &&
           (strncmp(l->raw, "anon.", 5) == 0 || strncmp(l->raw, "alloc_", 6) == 0);
}

static void attribute_anon_constants(Arena *a, Account *acct, uint32_t first, uint32_t n, unsigned flags)
{
    KeyCrate *byllvm = malloc((n ? n : 1) * sizeof *byllvm), *byanon = malloc((n ? n : 1) * sizeof *byanon),
             *byunit = malloc((n ? n : 1) * sizeof *byunit);
    if (!byllvm || !byanon || !byunit)
        abort();
    size_t nl = 0, na = 0, nu = 0;
    for (uint32_t i = first; i < first + n; i++) {
        const Leaf *l = &acct->leaves[i];
        if (!l->raw || l->crate[0] == '[')
            continue;
        uint64_t k = llvm_key(l->raw);
        if (k)
            byllvm[nl++] = (KeyCrate){k, l->crate};
        if (l->unit)
            byunit[nu++] = (KeyCrate){strhash(l->unit) | 1, l->crate};
    }
    nl = vote(byllvm, nl);
    nu = vote(byunit, nu);
    for (uint32_t i = first; i < first + n; i++) {
        Leaf *l = &acct->leaves[i];
        if (!is_anon_constant(l))
            continue;
        const char *c = unit_crate(a, l->unit);
        if (c && !(flags & ACCT_SPLIT_STD))
            c = names_fold_std(c, names_unit_crate_id(l->unit, c), acct->std_lang, acct->std_lang);
        if (!c && l->unit)
            c = lookup(byunit, nu, strhash(l->unit) | 1);
        if (!c)
            c = lookup(byllvm, nl, llvm_key(l->raw));
        uint64_t ak = anon_key(l->raw);
        if (c) {
            l->crate = c;
            if (ak)
                byanon[na++] = (KeyCrate){ak, c};
        }
    }
    na = vote(byanon, na);
    for (uint32_t i = first; i < first + n; i++) {
        Leaf *l = &acct->leaves[i];
        const char *c = is_anon_constant(l) ? lookup(byanon, na, anon_key(l->raw)) : NULL;
        if (c)
            l->crate = c;
    }
    free(byllvm);
    free(byanon);
    free(byunit);
}

/* Every name has been read for its crate: the string table's pages leave
 * memory until a row prints a name (strings are never converted in place).
 * On libLLVM that is 18 MB, which the claims and spans made next need. */
static void release_names(const Image *img)
{
    if (img->mapped && img->names_size)
        memtune_release(img->data + img->names_off, img->names_size);
}

/* ---- claims ---- */

static void claim_symbols(Builder *b, Vec *file, Vec *vm, uint32_t first, uint32_t count)
{
    const Image *img = b->img;
    Leaf *leaves = b->acct->leaves;
    /* Among symbols, the one starting first wins, then the larger: that is
     * the order claims get their priorities in (leaves come larger first). */
    KeyVal *order = malloc((count ? count : 1) * sizeof *order);
    if (!order)
        abort();
    for (uint32_t i = 0; i < count; i++)
        order[i] = (KeyVal){leaves[first + i].addr, first + i};
    keysort(order, count, sizeof *order);
    for (uint32_t i = 0; i < count; i++) {
        const Leaf *l = &leaves[order[i].val];
        const Section *s = &img->sections[l->section];
        uint64_t start = l->addr, end = sat_add(l->addr, l->sym_size);
        uint64_t lo = start > s->addr ? start : s->addr;
        if (s->file_size) {
            uint64_t hi = end < sat_add(s->addr, s->file_size) ? end : s->addr + s->file_size;
            if (lo < hi)
                claim(file, s->offset + (lo - s->addr), s->offset + (hi - s->addr), order[i].val);
        } else if (s->vm_size) {
            uint64_t hi = end < s->addr + s->vm_size ? end : s->addr + s->vm_size;
            claim(vm, lo, hi, order[i].val);
        }
    }
    free(order);
}

static void add_fallbacks(Builder *b)
{
    Account *acct = b->acct;
    static const char *const fixed[] = {"[ELF header]", "[program headers]", "[section headers]", "[padding]",
                                        "[unmapped]"};
    for (uint32_t i = 0; i < L_FIRST_SECTION; i++) {
        Leaf *l = &acct->leaves[acct->nleaves++];
        l->name = l->crate = fixed[i];
        l->kind = i == L_PADDING ? LEAF_PADDING : i == L_UNMAPPED ? LEAF_UNMAPPED : LEAF_HEADER;
        l->section = IMG_NONE;
    }
    acct->leaves[L_EHDR].addr = 0;
    acct->leaves[L_PHDR].addr = b->img->phdr_off;
    acct->leaves[L_SHDR].addr = b->img->shdr_off;
    for (uint32_t i = 0; i < b->img->nsections; i++) {
        const Section *s = &b->img->sections[i];
        Leaf *l = &acct->leaves[acct->nleaves++];
        l->kind = LEAF_SECTION;
        l->section = i;
        l->addr = s->addr;
        l->name = l->crate =
            (s->flags & SHF_ALLOC) ? arena_printf(b->a, "[section %s]", s->name) : arena_printf(b->a, "[%s]", s->name);
    }
}

static Leaf *archive_leaf(Account *out, const char *name, LeafKind kind, uint64_t addr, uint64_t file_size)
{
    Leaf *l = &out->leaves[out->nleaves++];
    l->name = l->crate = name;
    l->kind = kind;
    l->section = l->member = IMG_NONE;
    l->addr = addr;
    l->file_size = file_size;
    return l;
}

static void account_file(Arena *a, const Image *img, unsigned flags, Account *out, Leaf *leaves);

/* Room for the leaves of a lone file. */
static uint64_t leaf_cap(const Image *img, unsigned flags)
{
    return (uint64_t)L_FIRST_SECTION + img->nsections + ((flags & ACCT_NO_SYMBOLS) ? 0 : img->nsymbols) +
           (img->nsections <= 1 ? img->nsegments : 0);
}

/* An archive: each ELF member is accounted on its own, exactly as a lone
 * object would be, straight into the archive's leaves, which are then moved
 * (with their spans) to the member's file offsets and VM range; the
 * archive's own structures are leaves of their own, in no span. */
static void account_archive(Arena *a, const Image *img, unsigned flags, Account *out)
{
    uint64_t n = 5;
    for (uint32_t i = 0; i < img->nmembers; i++) {
        const Member *m = &img->members[i];
        n += m->kind == MEMBER_ELF ? leaf_cap(m->img, flags) : m->kind == MEMBER_OTHER;
    }
    out->leaves = arena_array(a, n, sizeof(Leaf));
    Vec spans = {.elem = sizeof(Span)}, vm_spans = {.elem = sizeof(Span)};
    /* The archive's own leaves; addresses are where each kind first occurs. */
    archive_leaf(out, "[ar magic]", LEAF_HEADER, 0, img->size < 8 ? img->size : 8);
    Leaf *own[] = {archive_leaf(out, "[ar headers]", LEAF_HEADER, 0, 0),
                   archive_leaf(out, "[ar symbol index]", LEAF_HEADER, 0, 0),
                   archive_leaf(out, "[ar long names]", LEAF_HEADER, 0, 0),
                   archive_leaf(out, "[ar padding]", LEAF_PADDING, 0, 0)};
    for (uint32_t i = 0; i < img->nmembers; i++) {
        const Member *m = &img->members[i];
        uint64_t part[][2] = {{m->header_offset, m->offset - m->header_offset},
                              {m->offset, m->kind == MEMBER_SYMBOL_INDEX ? m->size : 0},
                              {m->offset, m->kind == MEMBER_LONG_NAMES ? m->size : 0},
                              {m->offset + m->size, m->pad}};
        for (size_t k = 0; k < 4; k++) {
            if (part[k][1] && !own[k]->file_size)
                own[k]->addr = part[k][0];
            own[k]->file_size += part[k][1];
        }
    }
    for (uint32_t i = 0; i < img->nmembers; i++) {
        const Member *m = &img->members[i];
        if (m->kind == MEMBER_OTHER) {
            Leaf *l = archive_leaf(out, arena_printf(a, "[member %s]", m->name), LEAF_MEMBER, m->offset, m->size);
            l->crate = "[non-ELF members]";
            l->member = i;
            continue;
        }
        if (m->kind != MEMBER_ELF)
            continue;
        Account part;
        uint32_t first = out->nleaves;
        account_file(a, m->img, flags, &part, out->leaves + out->nleaves);
        for (size_t k = 0; k < part.nspans; k++)
            push_span(&spans, part.spans[k].start + m->offset, part.spans[k].end + m->offset,
                      first + part.spans[k].leaf);
        for (size_t k = 0; k < part.nvm_spans; k++)
            push_span(&vm_spans, part.vm_spans[k].start + m->vm_base, part.vm_spans[k].end + m->vm_base,
                      first + part.vm_spans[k].leaf);
        /* An unmangled (#[no_mangle], extern "C") symbol in a Rust crate's
         * object is that crate's code, not C's. */
        const char *crate = m->crate ? (flags & ACCT_SPLIT_STD) ? m->crate : names_fold_std(m->crate, 0, NAME_C, out->std_lang)
                                     : NULL;
        for (uint32_t k = 0; k < part.nleaves; k++) {
            Leaf *l = &out->leaves[out->nleaves++];
            l->member = i;
            if (crate && l->kind == LEAF_SYMBOL && l->lang == NAME_C && strcmp(l->crate, "[C]") == 0)
                l->crate = crate;
            if (l->section != IMG_NONE)
                l->section += m->first_section;
            if (l->kind == LEAF_SECTION && l->section != IMG_NONE) {
                const Section *sec = &img->sections[l->section];
                l->addr = sec->addr;
                /* Crates view: a section's leftover bytes by group, not one
                 * row per function section. */
                size_t g = image_section_group(sec->name);
                if (sec->name[g])
                    l->crate = arena_printf(a, (sec->flags & SHF_ALLOC) ? "[section %.*s]" : "[%.*s]", (int)g,
                                            sec->name);
            } else if (l->kind == LEAF_SYMBOL || l->kind == LEAF_SECTION)
                l->addr += m->vm_base; /* VM addresses */
            else
                l->addr += m->offset;  /* file offsets */
        }
        out->vm_size += part.vm_size;
        out->unknown_size += part.unknown_size;
        out->zero_size_symbols += part.zero_size_symbols;
        out->overlapped_symbols += part.overlapped_symbols;
    }
    /* The members' spans, moved as their leaves were: in file order, and in
     * VM order, since each member's range follows the one before. */
    out->nspans = spans.n;
    out->spans = keep_spans(a, &spans);
    out->nvm_spans = vm_spans.n;
    out->vm_spans = keep_spans(a, &vm_spans);
}

typedef struct RankedMap {
    Mapping m;
    uint32_t index; /* in Image.maps: among equal addresses, the file's order */
} RankedMap;

static int by_vaddr(const void *a, const void *b)
{
    const RankedMap *x = a, *y = b;
    if (x->m.vaddr != y->m.vaddr)
        return x->m.vaddr < y->m.vaddr ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The mappings by address, malloc'd. */
static RankedMap *sorted_maps(const Image *img)
{
    RankedMap *maps = malloc((img->nmaps ? img->nmaps : 1) * sizeof *maps);
    if (!maps)
        abort();
    for (uint32_t i = 0; i < img->nmaps; i++)
        maps[i] = (RankedMap){img->maps[i], i};
    if (img->nmaps)
        qsort(maps, img->nmaps, sizeof *maps, by_vaddr);
    return maps;
}

/* Accounts a lone ELF file into leaves, which has room for leaf_cap(img). */
static void account_file(Arena *a, const Image *img, unsigned flags, Account *out, Leaf *leaves)
{
    memset(out, 0, sizeof *out);
    out->img = img;
    out->arena = a;
    out->flags = flags;
    out->file_size = img->size;
    bool no_sections = img->nsections <= 1;
    out->leaves = leaves;
    Builder b = {a, img, out, {.elem = sizeof(Span)}, {.elem = sizeof(Span)}};

    add_fallbacks(&b);
    uint32_t seg_leaves = out->nleaves;
    if (no_sections)
        for (uint32_t i = 0; i < img->nsegments; i++) {
            Leaf *l = &out->leaves[out->nleaves++];
            l->kind = LEAF_SECTION;
            l->section = IMG_NONE;
            l->addr = img->segments[i].vaddr;
            l->name = l->crate = arena_printf(a, "[segment %u]", i);
        }
    uint32_t first_sym = out->nleaves;
    uint32_t nsym = (flags & ACCT_NO_SYMBOLS) ? 0 : make_symbol_leaves(&b, flags);
    fold_std_crates(out, first_sym, nsym, flags);
    attribute_anon_constants(a, out, first_sym, nsym, flags);
    release_names(img);

    Vec file = {.elem = sizeof(Claim)}, vm = {.elem = sizeof(Claim)};
    claim(&file, 0, img->ehdr_size, L_EHDR);
    claim(&file, img->phdr_off, img->phdr_off + img->phdr_size, L_PHDR);
    claim(&file, img->shdr_off, img->shdr_off + img->shdr_size, L_SHDR);
    claim_symbols(&b, &file, &vm, first_sym, nsym);
    for (uint32_t i = 0; i < img->nsections; i++) {
        const Section *s = &img->sections[i];
        claim(&file, s->offset, s->offset + s->file_size, L_FIRST_SECTION + i);
        if (!s->file_size)
            claim(&vm, s->addr, s->addr + s->vm_size, L_FIRST_SECTION + i);
    }
    if (no_sections)
        for (uint32_t i = 0; i < img->nsegments; i++) {
            const Segment *s = &img->segments[i];
            if (s->type == PT_LOAD)
                claim(&file, s->offset, s->offset + s->file_size, seg_leaves + i);
        }

    uint64_t last = 0;
    for (size_t i = 0; i < file.n; i++)
        if (((Claim *)file.p)[i].end > last)
            last = ((Claim *)file.p)[i].end;
    sort_claims(&file);
    Sweep sw;
    sweep_init(&sw, &file);
    sweep(&sw, 0, img->size, L_PADDING, L_UNMAPPED, last, emit_file, &b);
    free(sw.hp.h);

    /* The loaded image: the union of the mappings, in address order. */
    RankedMap *maps = sorted_maps(img);
    sort_claims(&vm);
    sweep_init(&sw, &vm);
    uint64_t cursor = 0;
    for (uint32_t i = 0; i < img->nmaps; i++) {
        const Mapping *m = &maps[i].m;
        uint64_t s = i && cursor > m->vaddr ? cursor : m->vaddr, e = m->vaddr + m->mem_size;
        if (e <= s)
            continue;
        uint64_t fend = m->vaddr + m->file_size;
        if (s < fend)
            credit_file_range(&b, m->offset + (s - m->vaddr), (e < fend ? e : fend) - s);
        uint64_t bss = s > fend ? s : fend;
        if (bss < e)
            sweep(&sw, bss, e, L_PADDING, L_PADDING, UINT64_MAX, emit_vm, &b);
        out->vm_size += e - s;
        cursor = e;
    }
    free(sw.hp.h);
    free(maps);
    free(file.p);
    free(vm.p);
    out->nspans = b.spans.n;
    out->spans = keep_spans(a, &b.spans);
    out->nvm_spans = b.vm_spans.n;
    out->vm_spans = keep_spans(a, &b.vm_spans);

    for (uint32_t i = first_sym; i < first_sym + nsym; i++) {
        const Leaf *l = &out->leaves[i];
        if (!l->file_size && !l->vm_size)
            out->overlapped_symbols++;
        if (strcmp(l->crate, "[unknown]") == 0)
            out->unknown_size += l->file_size;
    }
}

void account_build(Arena *a, const Image *img, unsigned flags, Account *out)
{
    if (!img->archive) {
        account_file(a, img, flags, out, arena_array(a, leaf_cap(img, flags), sizeof(Leaf)));
        return;
    }
    memset(out, 0, sizeof *out);
    out->img = img;
    out->arena = a;
    out->flags = flags;
    out->file_size = img->size;
    account_archive(a, img, flags, out);
}

size_t account_span_from(const AcctSpan *spans, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (spans[mid].end <= key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

uint32_t account_span_leaf(const AcctSpan *spans, size_t n, uint64_t key)
{
    size_t i = account_span_from(spans, n, key);
    return i < n && spans[i].start <= key ? spans[i].leaf : IMG_NONE;
}
