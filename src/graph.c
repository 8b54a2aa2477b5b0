/* graph.c — the reference graph (see graph.h).
 *
 * Code: each function leaf's bytes are decoded (x86refs.c, a64refs.c,
 * armrefs.c), on every core, and each address an instruction names (a branch target, a
 * RIP-relative operand, an ADRP pair) outside the function becomes an edge
 * to the node holding that address. Data: each pointer the relocations record
 * becomes an edge from the leaf holding the pointer to the leaf it points
 * into. Addresses go to leaves through the accounting's spans (file bytes)
 * and VM spans (.bss), so an anonymous constant in [section .rodata] is a
 * node like any symbol.
 *
 * The edges, gathered per worker in any order, are put in order by two
 * counting sorts (by target, then stably by source) and repeated ones
 * dropped: the graph is the same whatever the thread count. */
#include "graph.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfrefs.h"
#include "keysort.h"
#include "parallel.h"
#include "vec.h"
#include "a64refs.h"
#include "armrefs.h"
#include "x86refs.h"

typedef struct Edge {
    uint32_t from, to;
} Edge;

/* A reference as the code holds it: to an address (sorted by it). */
typedef struct AddrRef {
    uint64_t addr;
    uint32_t from;
} AddrRef;

/* ---- addresses to leaves ---- */

static int cmp_map(const void *x, const void *y)
{
    const Mapping *a = x, *b = y;
    return a->vaddr < b->vaddr ? -1 : a->vaddr > b->vaddr;
}

/* The mapping holding addr, or NULL. */
static const Mapping *mapping_at(const Graph *g, uint64_t addr)
{
    size_t k = keysort_upto(g->maps, g->nmaps, sizeof *g->maps, addr); /* Mapping starts with vaddr */
    return k && addr - g->maps[k - 1].vaddr < g->maps[k - 1].mem_size ? &g->maps[k - 1] : NULL;
}

uint32_t graph_leaf_at(const Graph *g, uint64_t addr)
{
    const Mapping *m = mapping_at(g, addr);
    if (!m)
        return IMG_NONE;
    uint64_t d = addr - m->vaddr;
    if (d < m->file_size)
        return account_span_leaf(g->acct->spans, g->acct->nspans, m->offset + d);
    return account_span_leaf(g->acct->vm_spans, g->acct->nvm_spans, addr);
}

/* ---- code ---- */

typedef struct Worker {
    Vec refs; /* AddrRef */
    uint64_t bytes;
} Worker;

/* The pointers the relocations record, by address: a reference to one that
 * lies in bytes no symbol covers (a .got slot) is a reference to what it
 * points to, not to the whole section. */
typedef struct Slots {
    const DataRef *p; /* sorted by at */
    size_t n;
} Slots;

static const DataRef *slot_at(const Slots *s, uint64_t addr)
{
    size_t k = keysort_below(s->p, s->n, sizeof *s->p, addr);
    return k < s->n && s->p[k].at == addr ? &s->p[k] : NULL;
}

/* 32-bit Arm: where code switches between A32 ('a'), T32 ('t') and data
 * ('d', a literal pool), as the mapping symbols $a, $t and $d mark it. */
typedef struct ArmMark {
    uint64_t addr; /* keysort's key */
    char kind;
} ArmMark;

typedef struct Scan {
    const Graph *g;
    Slots slots;
    const uint32_t *funcs; /* leaves to disassemble */
    ArmMark *marks;        /* sorted by address */
    size_t nmarks;
    unsigned arm_flags; /* ARMREFS_ABSOLUTE, ARMREFS_BIG_DATA */
    Worker w[PARALLEL_MAX_WORKERS];
} Scan;

static bool is_slot_table(const Account *acct, uint32_t leaf);

/* The address a reference to addr stands for: what a .got slot there
 * points to, else addr itself. Only the .got's: code that names the first
 * word of an unnamed table in .data.rel.ro refers to the table, not to
 * what that word points to. */
static uint64_t through_slot(const Graph *g, const Slots *slots, uint64_t addr)
{
    uint32_t l = graph_leaf_at(g, addr);
    const DataRef *slot;
    if (l != IMG_NONE && is_slot_table(g->acct, l) && (slot = slot_at(slots, addr)))
        return slot->to;
    return addr;
}

/* The bytes of leaf l's function: [addr, addr + st_size) within its section's
 * file bytes, and no more than the leaf holds: symbols that overlap one
 * another (each reaching past the next one's start) would otherwise be read
 * again and again, quadratic in a file built so. */
static const uint8_t *func_bytes(const Image *img, const Leaf *l, size_t *n)
{
    const Section *s = &img->sections[l->section];
    if (l->addr < s->addr || l->addr - s->addr >= s->file_size || s->offset > img->size ||
        s->file_size > img->size - s->offset)
        return NULL;
    uint64_t off = l->addr - s->addr, len = l->sym_size < l->file_size ? l->sym_size : l->file_size;
    if (len > s->file_size - off)
        len = s->file_size - off;
    *n = (size_t)len;
    return img->data + s->offset + off;
}

/* One function's (or stub's) references, as the decoders find them. */
typedef struct FuncScan {
    Vec *refs;
    const Graph *g;
    const Slots *slots;
    uint32_t from;
    uint64_t start, end; /* its own range: jumps inside it are no references */
} FuncScan;

static void on_target(void *ctx, uint64_t target)
{
    FuncScan *f = ctx;
    if (target < f->start || target >= f->end)
        *(AddrRef *)vec_push(f->refs) = (AddrRef){target, f->from};
}

static int cmp_addr(const void *x, const void *y)
{
    uint64_t a = ((const AddrRef *)x)->addr, b = ((const AddrRef *)y)->addr;
    return a < b ? -1 : a > b;
}

/* code[0..n) at addr, 32-bit Arm, in the states the marks say, leaving out
 * its literal pools. Without a mark before it, code is T32: GCC's default
 * for Arm Linux, and the only state M-profile cores have. Literal words are
 * read from anywhere in the section: an assembler function's pool may
 * follow its symbol's end (glibc's _start). */
static void scan_arm(const Scan *s, const uint8_t *code, size_t n, uint64_t addr, FuncScan *f)
{
    const Graph *g = s->g;
    uint32_t leaf = f->from < g->nleaves ? f->from : g->anchors[f->from - g->nleaves].leaf;
    const Section *sec = &g->acct->img->sections[g->acct->leaves[leaf].section];
    const uint8_t *bytes = code - (addr - sec->addr); /* the callers found code in sec's file bytes */
    size_t lo = keysort_upto(s->marks, s->nmarks, sizeof *s->marks, addr); /* the first mark after addr */
    char kind = lo ? s->marks[lo - 1].kind : 't';
    for (uint64_t at = addr, end = addr + n; at < end; kind = s->marks[lo++].kind) {
        uint64_t next = lo < s->nmarks && s->marks[lo].addr < end ? s->marks[lo].addr : end;
        if (kind != 'd' && next > at)
            armrefs_scan(bytes, (size_t)sec->file_size, sec->addr, (size_t)(at - sec->addr),
                         (size_t)(next - sec->addr), s->arm_flags | (kind == 't' ? ARMREFS_THUMB : 0), on_target, f);
        at = next;
        if (next == end)
            break;
    }
}

static void scan_code(Worker *w, const Scan *s, uint32_t from, const uint8_t *code, size_t n, uint64_t addr)
{
    size_t first = w->refs.n;
    FuncScan f = {&w->refs, s->g, &s->slots, from, addr, addr + n};
    uint16_t machine = s->g->acct->img->machine;
    if (machine == EM_AARCH64)
        a64refs_scan(code, n, addr, on_target, &f);
    else if (machine == EM_ARM)
        scan_arm(s, code, n, addr, &f);
    else
        x86refs_scan(code, n, addr, on_target, &f);
    /* A function may name an address again and again (a callee, a
     * constant): each once is enough for the graph. */
    size_t k = w->refs.n - first, m = 0;
    if (k < 2)
        return;
    AddrRef *r = (AddrRef *)w->refs.p + first;
    qsort(r, k, sizeof *r, cmp_addr);
    for (size_t i = 0; i < k; i++)
        if (!m || r[m - 1].addr != r[i].addr)
            r[m++] = r[i];
    w->refs.n = first + m;
}

static void scan_block(void *ctx, unsigned worker, size_t begin, size_t end)
{
    Scan *s = ctx;
    Worker *w = &s->w[worker];
    const Account *acct = s->g->acct;
    for (size_t i = begin; i < end; i++) {
        const Leaf *l = &acct->leaves[s->funcs[i]];
        size_t n;
        const uint8_t *code = func_bytes(acct->img, l, &n);
        if (code) {
            scan_code(w, s, s->funcs[i], code, n, l->addr);
            w->bytes += n;
        }
    }
}

/* Code no symbol covers that code refers to, such as the stubs of .plt and
 * .plt.sec: a call through one is a call to what its .got slot holds. Each
 * such anchor is read up to the next anchor or its section's end. */
static void scan_stubs(const Scan *sc, Vec *out)
{
    const Graph *g = sc->g;
    const Account *acct = g->acct;
    const Image *img = acct->img;
    Worker w = {.refs = {.elem = sizeof(AddrRef)}};
    for (uint32_t k = 0; k < g->nanchors; k++) {
        const GraphAnchor *an = &g->anchors[k];
        const Section *s = &img->sections[acct->leaves[an->leaf].section];
        if (!(s->flags & SHF_EXECINSTR) || an->addr < s->addr || an->addr - s->addr >= s->file_size ||
            s->offset > img->size || s->file_size > img->size - s->offset)
            continue;
        uint64_t end = s->addr + s->file_size, off = s->offset + (an->addr - s->addr);
        if (k + 1 < g->nanchors && g->anchors[k + 1].addr < end)
            end = g->anchors[k + 1].addr;
        size_t sp = account_span_from(acct->spans, acct->nspans, off); /* not into the symbols after it */
        if (sp < acct->nspans && acct->spans[sp].start <= off && acct->spans[sp].end - off < end - an->addr)
            end = an->addr + (acct->spans[sp].end - off);
        scan_code(&w, sc, g->nleaves + k, img->data + off, (size_t)(end - an->addr), an->addr);
    }
    *out = w.refs;
}

/* The mapping symbols of a 32-bit Arm file ($a, $t, $d, each with an
 * optional ".suffix"), and how its literal words are read. */
static void arm_marks(Arena *a, const Image *img, Scan *s)
{
    s->marks = arena_array(a, img->nsymbols ? img->nsymbols : 1, sizeof *s->marks);
    s->nmarks = 0;
    for (size_t i = 0; i < img->nsymbols; i++) {
        const char *n = img->symbols[i].name;
        if (n[0] == '$' && (n[1] == 'a' || n[1] == 't' || n[1] == 'd') && (n[2] == '\0' || n[2] == '.'))
            s->marks[s->nmarks++] = (ArmMark){img->symbols[i].addr, n[1]};
    }
    keysort(s->marks, s->nmarks, sizeof *s->marks);
    s->arm_flags = (img->kind == ET_EXEC ? ARMREFS_ABSOLUTE : 0) | (img->big_endian ? ARMREFS_BIG_DATA : 0);
}

/* Every function leaf with bytes in an executable section. */
static uint32_t *functions(Arena *a, const Account *acct, size_t *n)
{
    uint32_t *f = arena_array(a, acct->nleaves ? acct->nleaves : 1, sizeof *f);
    *n = 0;
    for (uint32_t i = 0; i < acct->nleaves; i++) {
        const Leaf *l = &acct->leaves[i];
        if (l->kind == LEAF_SYMBOL && l->file_size && l->section < acct->img->nsections &&
            (acct->img->sections[l->section].flags & SHF_EXECINSTR))
            f[(*n)++] = i;
    }
    return f;
}

/* The unnamed bytes of .got or .got.plt: slots that code reaches one by one
 * (slot_at), not a table anything holds whole. */
static bool is_slot_table(const Account *acct, uint32_t leaf)
{
    const Leaf *l = &acct->leaves[leaf];
    if (l->kind != LEAF_SECTION)
        return false;
    const char *name = image_section_name(acct->img, l->section);
    return strcmp(name, ".got") == 0 || strcmp(name, ".got.plt") == 0;
}

/* ---- anchors: the unnamed data code refers to ---- */

/* Each address code refers to in bytes no symbol covers (outside the .got)
 * starts a node of its own, up to the next such address in the same leaf:
 * a vtable or table of pointers in [section .data.rel.ro] is one node, not
 * the whole section, which would join everything that refers to one of its
 * tables to everything any table points to. code is sorted by address. */
static bool is_anchor(const Graph *g, uint32_t l)
{
    return l != IMG_NONE && g->acct->leaves[l].kind == LEAF_SECTION && !is_slot_table(g->acct, l);
}

/* Replaces each address of code[0..n) (sorted by address) by the one it
 * stands for (through a .got slot), looking each distinct address up once;
 * with anchors set, adds there each one that starts an anchor. */
static void resolve(const Graph *g, const Slots *slots, AddrRef *code, size_t n, Vec *anchors)
{
    for (size_t i = 0, j; i < n; i = j) {
        uint64_t raw = code[i].addr, to = through_slot(g, slots, raw);
        for (j = i; j < n && code[j].addr == raw; j++)
            code[j].addr = to;
        uint32_t l;
        if (anchors && is_anchor(g, l = graph_leaf_at(g, to)))
            *(GraphAnchor *)vec_push(anchors) = (GraphAnchor){to, l};
    }
}

/* The anchors, sorted, each once. */
static void set_anchors(Arena *a, Graph *g, Vec *cand)
{
    keysort(cand->p, cand->n, sizeof(GraphAnchor));
    const GraphAnchor *c = cand->p;
    g->anchors = arena_array(a, cand->n ? cand->n : 1, sizeof *g->anchors);
    g->nanchors = 0;
    for (size_t i = 0; i < cand->n; i++)
        if (!g->nanchors || g->anchors[g->nanchors - 1].addr != c[i].addr)
            g->anchors[g->nanchors++] = c[i];
    g->n = g->nleaves + g->nanchors;
    free(cand->p);
}

uint32_t graph_node_at(const Graph *g, uint64_t addr)
{
    uint32_t l = graph_leaf_at(g, addr);
    if (l == IMG_NONE || g->acct->leaves[l].kind != LEAF_SECTION)
        return l;
    size_t k = keysort_upto(g->anchors, g->nanchors, sizeof *g->anchors, addr); /* the last anchor at or before addr */
    return k && g->anchors[k - 1].leaf == l ? g->nleaves + (uint32_t)(k - 1) : l;
}

/* ---- the tables ---- */

/* Edges sorted by (from, to), each once: a counting sort by to, then a
 * stable one by from. Returns how many are left. */
static size_t sort_edges(Edge *e, size_t n, uint32_t nodes)
{
    Edge *tmp = malloc((n ? n : 1) * sizeof *tmp);
    uint32_t *count = calloc((size_t)nodes + 1, sizeof *count);
    if (!tmp || !count)
        abort();
    for (int pass = 0; pass < 2; pass++) {
        memset(count, 0, ((size_t)nodes + 1) * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(pass ? e[i].from : e[i].to) + 1]++;
        for (uint32_t k = 0; k < nodes; k++)
            count[k + 1] += count[k];
        for (size_t i = 0; i < n; i++)
            tmp[count[pass ? e[i].from : e[i].to]++] = e[i];
        memcpy(e, tmp, n * sizeof *e);
    }
    free(tmp);
    free(count);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!m || e[m - 1].from != e[i].from || e[m - 1].to != e[i].to)
            e[m++] = e[i];
    return m;
}

static void adjacency(Arena *a, const Edge *e, size_t n, uint32_t nodes, bool by_from, uint32_t **off_out,
                      uint32_t **list_out)
{
    uint32_t *off = arena_array(a, (size_t)nodes + 1, sizeof *off);
    uint32_t *list = arena_array(a, n ? n : 1, sizeof *list);
    memset(off, 0, ((size_t)nodes + 1) * sizeof *off);
    for (size_t i = 0; i < n; i++)
        off[(by_from ? e[i].from : e[i].to) + 1]++;
    for (uint32_t k = 0; k < nodes; k++)
        off[k + 1] += off[k];
    uint32_t *next = malloc(((size_t)nodes + 1) * sizeof *next);
    if (!next)
        abort();
    memcpy(next, off, ((size_t)nodes + 1) * sizeof *next);
    /* e is sorted by (from, to): both lists come out sorted. */
    for (size_t i = 0; i < n; i++)
        list[next[by_from ? e[i].from : e[i].to]++] = by_from ? e[i].to : e[i].from;
    free(next);
    *off_out = off;
    *list_out = list;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

int graph_build(Arena *a, const Account *acct, Graph *g, char *err, size_t errlen)
{
    memset(g, 0, sizeof *g);
    const Image *img = acct->img;
    FileRefs refs;
    if (elfrefs_read(a, img, &refs, err, errlen) != 0)
        return -1;
    g->acct = acct;
    g->n = g->nleaves = acct->nleaves;
    g->nmaps = img->nmaps;
    g->maps = arena_array(a, img->nmaps ? img->nmaps : 1, sizeof *g->maps);
    if (img->nmaps)
        memcpy(g->maps, img->maps, img->nmaps * sizeof *g->maps);
    qsort(g->maps, g->nmaps, sizeof *g->maps, cmp_map);

    Scan s = {.g = g, .slots = {refs.ptrs, refs.nptrs}};
    for (unsigned i = 0; i < PARALLEL_MAX_WORKERS; i++)
        s.w[i].refs.elem = sizeof(AddrRef);
    /* An object's relocations name every reference its code makes: no code
     * to decode (objrefs.c). */
    bool relocatable = img->archive || img->kind == ET_REL;
    bool decode = !relocatable && ((img->elf_class == 64 && (img->machine == EM_X86_64 || img->machine == EM_AARCH64)) ||
                                   (img->elf_class == 32 && img->machine == EM_ARM));
    g->code = decode || relocatable;
    if (decode && img->machine == EM_ARM)
        arm_marks(a, img, &s);
    if (decode) {
        size_t nf;
        s.funcs = functions(a, acct, &nf);
        parallel_for(nf, 256, scan_block, &s);
    }
    size_t total = 0;
    for (unsigned i = 0; i < PARALLEL_MAX_WORKERS; i++)
        total += s.w[i].refs.n;
    AddrRef *code = malloc((total ? total : 1) * sizeof *code);
    if (!code)
        abort();
    size_t ncode = 0;
    for (unsigned i = 0; i < PARALLEL_MAX_WORKERS; i++) {
        Worker *w = &s.w[i];
        g->code_bytes += w->bytes;
        if (w->refs.n)
            memcpy(code + ncode, w->refs.p, w->refs.n * sizeof *code);
        ncode += w->refs.n;
        free(w->refs.p);
    }
    keysort(code, ncode, sizeof *code);
    Vec cand = {.elem = sizeof(GraphAnchor)};
    resolve(g, &s.slots, code, ncode, &cand);
    /* What data points to starts a node too: a table of string pointers is
     * one node and each string another, so that each string goes with
     * whoever holds the table rather than with the data before it. */
    for (size_t i = 0; i < refs.nptrs; i++) {
        uint64_t to = through_slot(g, &s.slots, refs.ptrs[i].to);
        uint32_t l = graph_leaf_at(g, to);
        if (is_anchor(g, l))
            *(GraphAnchor *)vec_push(&cand) = (GraphAnchor){to, l};
    }
    set_anchors(a, g, &cand);
    if (decode) {
        Vec stubs;
        scan_stubs(&s, &stubs);
        keysort(stubs.p, stubs.n, sizeof(AddrRef));
        resolve(g, &s.slots, stubs.p, stubs.n, NULL);
        if (stubs.n) {
            AddrRef *more = realloc(code, (ncode + stubs.n) * sizeof *code);
            if (!more)
                abort();
            code = more;
            memcpy(code + ncode, stubs.p, stubs.n * sizeof *code);
            ncode += stubs.n;
        }
        free(stubs.p);
    }

    Edge *all = malloc((ncode + refs.nptrs + 1) * sizeof *all);
    if (!all)
        abort();
    size_t n = 0;
    uint64_t last = 0;
    uint32_t last_to = IMG_NONE;
    for (size_t i = 0; i < ncode; i++) {
        /* Equal addresses are runs: one lookup each. */
        if (!i || code[i].addr != last)
            last = code[i].addr, last_to = graph_node_at(g, last);
        if (last_to != IMG_NONE && last_to != code[i].from)
            all[n++] = (Edge){code[i].from, last_to};
    }
    free(code);
    for (size_t i = 0; i < refs.nptrs; i++) {
        uint32_t from = graph_node_at(g, refs.ptrs[i].at);
        uint32_t to = graph_node_at(g, through_slot(g, &s.slots, refs.ptrs[i].to));
        if (from != IMG_NONE && to != IMG_NONE && from != to && !(from < g->nleaves && is_slot_table(acct, from)))
            all[n++] = (Edge){from, to};
    }
    g->nedges = sort_edges(all, n, g->n);
    if (g->nedges > UINT32_MAX) {
        free(all);
        snprintf(err, errlen, "more than 2^32 references");
        return -1;
    }
    adjacency(a, all, g->nedges, g->n, true, &g->out_off, &g->out);
    adjacency(a, all, g->nedges, g->n, false, &g->in_off, &g->in);
    free(all);

    g->roots = arena_array(a, refs.nroots ? refs.nroots : 1, sizeof *g->roots);
    for (size_t i = 0; i < refs.nroots; i++) {
        uint32_t l = graph_node_at(g, refs.roots[i]);
        if (l != IMG_NONE)
            g->roots[g->nroots++] = l;
    }
    qsort(g->roots, g->nroots, sizeof *g->roots, cmp_u32);
    uint32_t m = 0;
    for (uint32_t i = 0; i < g->nroots; i++)
        if (!m || g->roots[m - 1] != g->roots[i])
            g->roots[m++] = g->roots[i];
    g->nroots = m;
    return 0;
}

void graph_reach(Arena *a, const Graph *g, const uint8_t *skip, uint32_t **depth_out, uint32_t **parent_out)
{
    uint32_t *depth = arena_array(a, g->n ? g->n : 1, sizeof *depth);
    uint32_t *parent = arena_array(a, g->n ? g->n : 1, sizeof *parent);
    uint32_t *queue = arena_array(a, g->n ? g->n : 1, sizeof *queue);
    for (uint32_t i = 0; i < g->n; i++)
        depth[i] = parent[i] = GRAPH_UNREACHED;
    size_t head = 0, tail = 0;
    for (uint32_t i = 0; i < g->nroots; i++) {
        uint32_t r = g->roots[i];
        if (skip && skip[r])
            continue;
        depth[r] = 0;
        parent[r] = r;
        queue[tail++] = r;
    }
    while (head < tail) {
        uint32_t v = queue[head++];
        for (uint32_t k = g->out_off[v]; k < g->out_off[v + 1]; k++) {
            uint32_t t = g->out[k];
            if (depth[t] == GRAPH_UNREACHED && !(skip && skip[t])) {
                depth[t] = depth[v] + 1;
                parent[t] = v;
                queue[tail++] = t;
            }
        }
    }
    *depth_out = depth;
    *parent_out = parent;
}

/* ---- sizes ---- */

/* The bytes of leaf l in file offsets [from, to) (spans sorted by offset). */
static uint64_t leaf_bytes(const AcctSpan *spans, size_t n, uint32_t l, uint64_t from, uint64_t to)
{
    uint64_t sum = 0;
    for (size_t i = account_span_from(spans, n, from); i < n && spans[i].start < to; i++)
        if (spans[i].leaf == l) {
            uint64_t s = spans[i].start > from ? spans[i].start : from, e = spans[i].end < to ? spans[i].end : to;
            sum += e - s;
        }
    return sum;
}

void graph_sizes(Arena *a, const Graph *g, uint64_t **file_out, uint64_t **vm_out)
{
    uint64_t *file = arena_array(a, g->n ? g->n : 1, sizeof *file);
    uint64_t *vm = arena_array(a, g->n ? g->n : 1, sizeof *vm);
    const Account *acct = g->acct;
    for (uint32_t i = 0; i < g->nleaves; i++)
        file[i] = acct->leaves[i].file_size, vm[i] = acct->leaves[i].vm_size;
    /* Anchors are in address order and their ranges do not overlap, so
     * every span is read about once. */
    for (uint32_t k = 0; k < g->nanchors; k++) {
        const GraphAnchor *an = &g->anchors[k];
        const Mapping *m = mapping_at(g, an->addr);
        uint64_t f = 0, v = 0;
        if (m) {
            uint64_t end = m->vaddr + m->mem_size;
            if (k + 1 < g->nanchors && g->anchors[k + 1].addr < end)
                end = g->anchors[k + 1].addr;
            uint64_t file_end = m->vaddr + m->file_size;
            if (an->addr < file_end) { /* bytes from the file: VM size is file size */
                uint64_t to = end < file_end ? end : file_end;
                f = v = leaf_bytes(acct->spans, acct->nspans, an->leaf, m->offset + (an->addr - m->vaddr),
                                   m->offset + (to - m->vaddr));
            }
            if (end > file_end)
                v += leaf_bytes(acct->vm_spans, acct->nvm_spans, an->leaf, an->addr > file_end ? an->addr : file_end,
                                end);
        }
        f = f < file[an->leaf] ? f : file[an->leaf];
        v = v < vm[an->leaf] ? v : vm[an->leaf];
        file[g->nleaves + k] = f, vm[g->nleaves + k] = v;
        file[an->leaf] -= f, vm[an->leaf] -= v;
    }
    *file_out = file;
    *vm_out = vm;
}

/* ---- dominators ---- */

typedef struct Dom {
    uint32_t *dfn, *vertex, *parent, *semi, *ancestor, *best, *samedom, *idom, *bucket, *next, *path;
} Dom;

/* Lengauer and Tarjan's EVAL with path compression, without recursion (a
 * file can make the paths as long as it has nodes). */
static uint32_t eval(Dom *d, uint32_t v)
{
    if (d->ancestor[v] == GRAPH_UNREACHED)
        return v;
    size_t n = 0;
    for (uint32_t u = v; d->ancestor[d->ancestor[u]] != GRAPH_UNREACHED; u = d->ancestor[u])
        d->path[n++] = u;
    while (n-- > 0) {
        uint32_t u = d->path[n], an = d->ancestor[u];
        if (d->dfn[d->semi[d->best[an]]] < d->dfn[d->semi[d->best[u]]])
            d->best[u] = d->best[an];
        d->ancestor[u] = d->ancestor[an];
    }
    return d->best[v];
}

void graph_dominators(Arena *a, const Graph *g, uint32_t **idom_out, uint32_t **order_out, uint32_t *nout)
{
    /* Node g->n is a virtual root with an edge to every root. */
    uint32_t N = g->n + 1, top = g->n;
    Dom d;
    uint32_t **arrays[] = {&d.dfn,  &d.vertex,  &d.parent, &d.semi, &d.ancestor, &d.best,
                           &d.samedom, &d.idom, &d.bucket, &d.next, &d.path};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) {
        *arrays[i] = arena_array(a, N, sizeof(uint32_t));
        memset(*arrays[i], 0xff, (size_t)N * sizeof(uint32_t)); /* GRAPH_UNREACHED */
    }
    /* Depth-first numbering from the virtual root, with an explicit stack of
     * (node, next edge). */
    uint32_t *stack = arena_array(a, N, sizeof *stack), *edge = arena_array(a, N, sizeof *edge);
    uint32_t count = 0, sp = 0;
    d.dfn[top] = count, d.vertex[count++] = top;
    stack[sp] = top, edge[sp++] = 0;
    while (sp) {
        uint32_t v = stack[sp - 1], k = edge[sp - 1]++;
        uint32_t deg = v == top ? g->nroots : g->out_off[v + 1] - g->out_off[v];
        if (k >= deg) {
            sp--;
            continue;
        }
        uint32_t w = v == top ? g->roots[k] : g->out[g->out_off[v] + k];
        if (d.dfn[w] != GRAPH_UNREACHED)
            continue;
        d.dfn[w] = count, d.vertex[count++] = w, d.parent[w] = v;
        stack[sp] = w, edge[sp++] = 0;
    }
    for (uint32_t i = 0; i < N; i++)
        d.semi[i] = d.best[i] = i;
    for (uint32_t i = count; i-- > 1;) {
        uint32_t w = d.vertex[i], p = d.parent[w], s = p;
        for (uint32_t k = g->in_off[w]; k < g->in_off[w + 1]; k++) {
            uint32_t v = g->in[k];
            if (d.dfn[v] == GRAPH_UNREACHED)
                continue;
            uint32_t s2 = d.dfn[v] <= d.dfn[w] ? v : d.semi[eval(&d, v)];
            if (d.dfn[s2] < d.dfn[s])
                s = s2;
        }
        /* An edge from the virtual root: w is a root (roots are sorted). */
        if (bsearch(&w, g->roots, g->nroots, sizeof *g->roots, cmp_u32))
            s = top;
        d.semi[w] = s;
        d.next[w] = d.bucket[s], d.bucket[s] = w;
        d.ancestor[w] = p;
        for (uint32_t v = d.bucket[p]; v != GRAPH_UNREACHED; v = d.next[v]) {
            uint32_t y = eval(&d, v);
            if (d.semi[y] == d.semi[v])
                d.idom[v] = p;
            else
                d.samedom[v] = y;
        }
        d.bucket[p] = GRAPH_UNREACHED;
    }
    uint32_t *order = arena_array(a, count ? count : 1, sizeof *order);
    for (uint32_t i = 1; i < count; i++) {
        uint32_t w = d.vertex[i];
        if (d.samedom[w] != GRAPH_UNREACHED)
            d.idom[w] = d.idom[d.samedom[w]];
        order[i - 1] = w;
    }
    for (uint32_t i = 0; i < g->n; i++)
        if (d.idom[i] == top)
            d.idom[i] = GRAPH_ROOTS;
    *idom_out = d.idom;
    *order_out = order;
    *nout = count ? count - 1 : 0;
}
