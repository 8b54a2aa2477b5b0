/* owners.c — who the unwind records, exception tables, relocations and
 * padding are there for (see owners.h). Each record's owner is the symbol
 * leaf at an address: the section holding the address (a binary search over
 * the loaded sections), then the span holding its file offset (a binary
 * search over the accounting's spans); .bss symbols through the VM spans. */
#include "owners.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "ehframe.h"
#include "elfrefs.h"
#include "imgaddr.h"
#include "keysort.h"
#include "memtune.h"
#include "strhash.h"
#include "vec.h"

#define NONE IMG_NONE

/* An LSDA and the owner of the FDE that names it. */
typedef struct Lsda {
    uint64_t addr; /* keysort's key */
    uint32_t owner;
} Lsda;

/* The span and section an address was last found in. */
typedef struct Hint {
    size_t span, sec;
} Hint;

typedef struct Owners {
    Account *acct;
    const Image *img;
    int32_t *shift;
    ImgAddr secs;
    uint32_t from;    /* the leaf the current table's bytes move from */
    uint32_t section; /* the table being read */
    Vec lsdas;
    uint64_t read_to; /* file offset: the table's pages before it are read */
    const Graph *g;   /* or NULL */
    uint32_t *anchor_owner;          /* per graph anchor: a leaf, or NONE */
    uint32_t first_group, group_cap; /* the leaves group_leaf adds, and room */
    uint32_t *group_tab;             /* group_leaf's hash table */
    size_t ngroup_tab;
    Hint in_order, targets;          /* lookups of addresses in order, of pointers' targets */
} Owners;

/* Section i's leaf when that leaf holds every byte of the section, each
 * loaded once (owners.h); else NONE. */
static uint32_t movable(const Owners *o, uint32_t i)
{
    const Section *s = &o->img->sections[i];
    const Leaf *l = &o->acct->leaves[ACCT_LEAF_SECTION(i)];
    bool whole = (s->flags & SHF_ALLOC) && s->type != SHT_NOBITS && s->file_size && l->file_size == s->file_size &&
                 l->vm_size == s->file_size;
    return whole ? ACCT_LEAF_SECTION(i) : NONE;
}

/* The tables are read once, front to back: their pages leave memory a
 * mebibyte at a time behind the reader (on libLLVM they are 12 MB, which
 * would otherwise stay resident to the end of the run). Not in a file of
 * the other byte order, whose relocations libelf converts in place: pages
 * given back would come again unconverted. */
static void release(Owners *o, uint64_t upto)
{
    bool native = o->img->big_endian == (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
    if (native && o->section != NONE && upto > o->read_to)
        memtune_release(o->img->data + o->read_to, (size_t)(upto - o->read_to));
    o->read_to = upto;
}

static void begin_table(Owners *o, uint32_t i)
{
    if (o->section != NONE) {
        const Section *s = &o->img->sections[o->section];
        release(o, s->offset + s->file_size);
    }
    o->section = i;
    o->read_to = i == NONE ? 0 : o->img->sections[i].offset;
    o->from = i == NONE ? NONE : movable(o, i);
}

static void read_upto(Owners *o, uint64_t offset)
{
    if (offset - o->read_to >= 1u << 20)
        release(o, offset);
}

/* The leaf of the file span holding off, or NONE. Records come mostly in
 * address order, so the spans just after the last one found are tried
 * before a binary search (the lookups were a sixth of a view's run). */
static uint32_t file_leaf(const Owners *o, uint64_t off, Hint *h)
{
    const AcctSpan *sp = o->acct->spans;
    size_t n = o->acct->nspans;
    for (size_t k = h->span; k < n && k < h->span + 4; k++)
        if (sp[k].start <= off && off < sp[k].end) {
            h->span = k;
            return sp[k].leaf;
        }
    size_t k = account_span_from(sp, n, off);
    h->span = k < n ? k : 0;
    return k < n && sp[k].start <= off ? sp[k].leaf : NONE;
}

/* The symbol leaf holding VM address addr, or NONE. */
static uint32_t owner_at(const Owners *o, uint64_t addr, Hint *h)
{
    const Account *acct = o->acct;
    const Section *s = imgaddr_section(&o->secs, addr, &h->sec);
    uint32_t leaf = NONE;
    if (s)
        leaf = file_leaf(o, s->offset + (addr - s->addr), h);
    else
        leaf = account_span_leaf(acct->vm_spans, acct->nvm_spans, addr);
    if (leaf != NONE && acct->leaves[leaf].kind == LEAF_SYMBOL)
        return leaf;
    if (leaf != NONE && o->anchor_owner) {
        uint32_t node = graph_node_at(o->g, addr);
        if (node != IMG_NONE && node >= o->g->nleaves)
            return o->anchor_owner[node - o->g->nleaves];
    }
    return NONE;
}

static void give(Owners *o, uint32_t owner, uint64_t n)
{
    if (owner == NONE || o->from == NONE || !n)
        return;
    o->shift[o->from] -= (int32_t)n;
    o->shift[owner] += (int32_t)n;
    o->acct->shifted += n;
}

static void on_record(void *ctx, const EhRecord *r)
{
    Owners *o = ctx;
    read_upto(o, o->img->sections[o->section].offset + r->offset);
    if (r->cie)
        return;
    uint32_t owner = owner_at(o, r->pc, &o->in_order);
    if (r->lsda)
        *(Lsda *)vec_push(&o->lsdas) = (Lsda){r->lsda, owner};
    give(o, owner, r->size);
}

static void on_hdr_entry(void *ctx, uint64_t pc, uint64_t offset, uint64_t size)
{
    Owners *o = ctx;
    read_upto(o, o->img->sections[o->section].offset + offset);
    give(o, owner_at(o, pc, &o->in_order), size);
}

static void on_reloc(void *ctx, const ElfReloc *r)
{
    Owners *o = ctx;
    if (r->section != o->section)
        begin_table(o, r->section);
    read_upto(o, r->offset);
    uint32_t owner = owner_at(o, r->at, &o->in_order);
    if (owner == NONE && r->to)
        owner = owner_at(o, r->to, &o->targets);
    give(o, owner, r->size);
}

/* 32-bit Arm's unwind table (EHABI, .ARM.exidx): an 8-byte entry per
 * function, sorted; its first word a 31-bit offset from itself to the
 * function, its second the unwinding inline, 1 ("cannot unwind"), or an
 * offset from itself to the function's entry in .ARM.extab, which runs to
 * the next one there (kept with the LSDAs, as one). */
static uint64_t prel31(uint64_t at, uint64_t word)
{
    return at + (((word & 0x7FFFFFFF) ^ 0x40000000) - 0x40000000);
}

static void give_exidx(Owners *o, uint32_t i)
{
    const Section *s = &o->img->sections[i];
    for (uint64_t off = 0; off + 8 <= s->file_size; off += 8) {
        uint64_t at = s->addr + off, fn, data;
        if (!imgaddr_word(&o->secs, at, 4, &fn) || !imgaddr_word(&o->secs, at + 4, 4, &data))
            break;
        read_upto(o, s->offset + off);
        uint32_t owner = owner_at(o, (uint32_t)prel31(at, fn), &o->in_order);
        if (data != 1 && !(data & 0x80000000))
            *(Lsda *)vec_push(&o->lsdas) = (Lsda){(uint32_t)prel31(at + 4, data), owner};
        give(o, owner, 8);
    }
}

/* Each LSDA runs to the next one (or the table's end); lsdas sorted. */
static void give_lsdas(Owners *o, uint32_t i)
{
    const Section *s = &o->img->sections[i];
    const Lsda *l = o->lsdas.p;
    size_t n = o->lsdas.n, k = 0;
    while (k < n && l[k].addr < s->addr)
        k++;
    while (k < n && l[k].addr - s->addr < s->file_size) {
        size_t next = k + 1;
        while (next < n && l[next].addr == l[k].addr)
            next++;
        uint64_t end = next < n && l[next].addr - s->addr < s->file_size ? l[next].addr : s->addr + s->file_size;
        give(o, l[k].owner, end - l[k].addr);
        k = next;
    }
}

/* Alignment padding: a gap of g < 64 bytes whose end is aligned to more
 * than g, the way a linker pads up to a function's alignment. */
static void give_padding(Owners *o, uint32_t i)
{
    const Section *s = &o->img->sections[i];
    const Account *acct = o->acct;
    uint32_t leaf = ACCT_LEAF_SECTION(i);
    if (acct->leaves[leaf].vm_size != acct->leaves[leaf].file_size || s->offset > o->img->size)
        return;
    o->from = leaf;
    for (size_t k = account_span_from(acct->spans, acct->nspans, s->offset); k < acct->nspans && acct->spans[k].start < s->offset + s->file_size; k++) {
        const AcctSpan *sp = &acct->spans[k];
        uint64_t g = sp->end - sp->start, end = s->addr + (sp->end - s->offset);
        if (sp->leaf == leaf && sp->start >= s->offset && g < 64 && end && (end & (~end + 1)) > g)
            give(o, ACCT_LEAF_PADDING, g);
    }
}

/* ---- constants, from the reference graph ---- */

#define SEVERAL (NONE - 1) /* referred to by symbols of more than one crate */
#define PENDING (NONE - 2) /* referred to by an anchor not yet decided */
#define CRATE (NONE - 3)   /* by several symbols of one crate (crate[k]) */

/* What refers to anchor k decides its owner: one symbol (directly, or
 * through anchors that symbol owns); else CRATE, when all are of one crate;
 * else SEVERAL. Referrers that own nothing (a [section …] leaf, an anchor
 * nobody owns) do not count; an undecided referring anchor leaves k PENDING
 * for the next pass. */
static uint32_t decide(const Owners *o, const uint32_t *owner, const char *const *crates, uint32_t k,
                       const char **crate)
{
    const Graph *g = o->g;
    const Leaf *leaves = o->acct->leaves;
    uint32_t node = g->nleaves + k, first = NONE;
    const char *c0 = NULL;
    bool mixed = false;
    for (uint32_t e = g->in_off[node]; e < g->in_off[node + 1]; e++) {
        uint32_t src = g->in[e], w;
        const char *c;
        if (src < g->nleaves) {
            if (leaves[src].kind != LEAF_SYMBOL)
                continue;
            w = src, c = leaves[src].crate;
        } else {
            w = owner[src - g->nleaves];
            if (w == PENDING || w == SEVERAL)
                return w;
            if (w == NONE)
                continue;
            c = w == CRATE ? crates[src - g->nleaves] : leaves[w].crate;
        }
        if (!c0)
            c0 = c, first = w;
        else if (strcmp(c0, c) != 0)
            return SEVERAL;
        else if (w != first)
            mixed = true;
    }
    *crate = c0;
    return mixed ? CRATE : first;
}

/* The leaf for constants no one symbol owns: one per crate, one for those
 * crates share ("[shared]"), found through a small hash table on the name.
 * acct's leaves and the shift grow by a copy. */
static uint32_t group_leaf(Arena *a, Owners *o, const char *crate)
{
    Account *acct = o->acct;
    uint64_t h = strhash(crate);
    size_t mask = o->ngroup_tab - 1, i = o->ngroup_tab ? h & mask : 0;
    for (; o->ngroup_tab && o->group_tab[i] != NONE; i = (i + 1) & mask)
        if (strcmp(acct->leaves[o->group_tab[i]].crate, crate) == 0)
            return o->group_tab[i];
    uint32_t groups = acct->nleaves - o->first_group;
    if (2 * (groups + 1) > o->ngroup_tab) {
        size_t cap = o->ngroup_tab ? o->ngroup_tab * 2 : 64;
        uint32_t *tab = malloc(cap * sizeof *tab);
        if (!tab)
            abort();
        for (size_t j = 0; j < cap; j++)
            tab[j] = NONE;
        for (uint32_t l = o->first_group; l < acct->nleaves; l++) {
            size_t j = strhash(acct->leaves[l].crate) & (cap - 1);
            while (tab[j] != NONE)
                j = (j + 1) & (cap - 1);
            tab[j] = l;
        }
        free(o->group_tab);
        o->group_tab = tab, o->ngroup_tab = cap;
        for (i = h & (cap - 1); tab[i] != NONE; i = (i + 1) & (cap - 1))
            ;
    }
    if (acct->nleaves == o->group_cap) {
        o->group_cap = o->group_cap * 2 + 16;
        Leaf *l = arena_array(a, o->group_cap, sizeof *l);
        memcpy(l, acct->leaves, acct->nleaves * sizeof *l);
        acct->leaves = l;
        int32_t *sh = arena_array(a, o->group_cap, sizeof *sh);
        memcpy(sh, o->shift, acct->nleaves * sizeof *sh);
        o->shift = sh;
    }
    Leaf *l = &acct->leaves[acct->nleaves];
    memset(l, 0, sizeof *l);
    l->kind = LEAF_SECTION;
    l->section = l->member = IMG_NONE;
    l->crate = crate;
    l->name = strcmp(crate, "[shared]") == 0 ? "[constants of several crates]"
                                             : arena_printf(a, "[constants of %s]", crate);
    o->group_tab[i] = acct->nleaves;
    return acct->nleaves++;
}

static void own_anchors(Arena *a, Owners *o)
{
    const Graph *g = o->g;
    uint32_t n = g->nanchors;
    uint64_t *file, *vm;
    graph_sizes(a, g, &file, &vm);
    uint32_t *owner = malloc((n ? n : 1) * sizeof *owner);
    const char **crate = malloc((n ? n : 1) * sizeof *crate);
    if (!owner || !crate)
        abort();
    for (uint32_t k = 0; k < n; k++)
        owner[k] = PENDING;
    /* Chains of unnamed data (a table of string pointers) are followed a
     * few links deep; a cycle or a longer chain leaves its rest unowned. */
    for (int pass = 0; pass < 4; pass++) {
        bool left = false;
        for (uint32_t k = 0; k < n; k++)
            if (owner[k] == PENDING)
                left |= (owner[k] = decide(o, owner, crate, k, &crate[k])) == PENDING;
        if (!left)
            break;
    }
    o->first_group = o->group_cap = o->acct->nleaves;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t w = owner[k];
        if (w == PENDING || w == NONE) {
            owner[k] = NONE;
            continue;
        }
        if (w == CRATE || w == SEVERAL)
            owner[k] = w = group_leaf(a, o, w == SEVERAL ? "[shared]" : crate[k]);
        /* Code's own section keeps its bytes: its gaps are padding's. */
        const GraphAnchor *an = &g->anchors[k];
        const Section *s = &o->img->sections[o->acct->leaves[an->leaf].section];
        const Leaf *from = &o->acct->leaves[an->leaf];
        int64_t left = (int64_t)from->file_size + o->shift[an->leaf];
        if (file[g->nleaves + k] != vm[g->nleaves + k] || (s->flags & SHF_EXECINSTR) || from->vm_size != from->file_size ||
            (int64_t)file[g->nleaves + k] > left)
            continue;
        o->from = an->leaf;
        give(o, w, file[g->nleaves + k]);
    }
    free(crate);
    o->anchor_owner = owner;
}

void owners_build(Arena *a, Account *acct, const Graph *g)
{
    const Image *img = acct->img;
    if (img->archive || img->kind == ET_REL || !img->nsections)
        return;
    /* A shift is at most the bytes of the tables and code sections: 32
     * bits hold it in any file below 2 GiB. */
    if (img->size >= (uint64_t)INT32_MAX)
        return;
    Owners o = {acct, img, arena_array(a, acct->nleaves, sizeof(int32_t)), {0}, NONE, NONE, {.elem = sizeof(Lsda)},
                0, g, NULL, 0, 0, NULL, 0, {0, 0}, {0, 0}};
    imgaddr_init(a, &o.secs, img);
    for (uint32_t i = 0; i < img->nsections; i++) {
        const char *name = image_section_name(img, i);
        bool eh = strcmp(name, ".eh_frame") == 0, hdr = strcmp(name, ".eh_frame_hdr") == 0;
        bool exidx = img->machine == EM_ARM && img->sections[i].type == SHT_ARM_EXIDX;
        if (!eh && !hdr && !exidx)
            continue;
        begin_table(&o, i);
        if (eh) /* walked whether or not its bytes move: its LSDAs' owners */
            ehframe_walk(img, i, on_record, &o);
        else if (exidx)
            give_exidx(&o, i);
        else if (o.from != NONE)
            ehframe_hdr_walk(img, i, on_hdr_entry, &o);
    }
    begin_table(&o, NONE);
    keysort(o.lsdas.p, o.lsdas.n, sizeof(Lsda));
    for (uint32_t i = 0; i < img->nsections; i++) {
        const char *name = image_section_name(img, i);
        if ((strcmp(name, ".gcc_except_table") == 0 || (img->machine == EM_ARM && strcmp(name, ".ARM.extab") == 0)) &&
            (o.from = movable(&o, i)) != NONE)
            give_lsdas(&o, i);
    }
    if (g)
        own_anchors(a, &o); /* before the relocations, which follow the constants they patch */
    char err[256];
    elfrefs_relocs(&o.secs, on_reloc, &o, err, sizeof err); /* a file libelf cannot read keeps its tables as sections */
    begin_table(&o, NONE);
    for (uint32_t i = 0; i < img->nsections; i++) {
        const Section *s = &img->sections[i];
        if ((s->flags & SHF_EXECINSTR) && (s->flags & SHF_ALLOC) && s->type != SHT_NOBITS)
            give_padding(&o, i);
    }
    free(o.lsdas.p);
    free(o.anchor_owner);
    free(o.group_tab);
    for (uint32_t i = 0; acct->shifted && i < acct->nleaves; i++)
        if (o.shift[i] > 0 && acct->leaves[i].kind == LEAF_SYMBOL && strcmp(acct->leaves[i].crate, "[unknown]") == 0)
            acct->unknown_owned += (uint64_t)o.shift[i];
    if (acct->shifted)
        acct->shift = o.shift;
    acct->refs = g != NULL;
}
