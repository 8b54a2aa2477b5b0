/* dups.c — finding copies (see dups.h): mask each function's code once,
 * hash it, sort the hashes, and confirm every group byte for byte; hash each
 * read-only data object; compare copies of one generic instruction by
 * instruction.
 *
 * x86-64 instructions are decoded with capstone, whose detail gives the
 * offset and size of each instruction's displacement and immediate. AArch64
 * instructions are 32 bits wide and the fields to mask are fixed by the
 * architecture's encodings, which capstone does not expose as bit ranges, so
 * those are matched here by hand. */
#include "dups.h"
#include "generics.h"
#include "keysort.h"
#include "parallel.h"
#include "progress.h"

#include <capstone/capstone.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>

/* ---- growable scratch memory (reused across functions, freed at the end) ---- */

typedef struct Buf {
    void *p;
    size_t cap; /* elements */
} Buf;

static void *buf_need(Buf *b, size_t n, size_t elem)
{
    if (n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < n)
            cap *= 2;
        void *p = realloc(b->p, cap * elem);
        if (!p) {
            fputs("heft: out of memory\n", stderr);
            abort();
        }
        b->p = p;
        b->cap = cap;
    }
    return b->p;
}

/* ---- hashing ---- */

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}

static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = mix(h, w);
    }
    uint64_t w = 0;
    memcpy(&w, p + i, n - i);
    return mix(h, w);
}

/* ---- masking ---- */

typedef struct Masker {
    uint16_t machine;
    csh cs;
    cs_insn *insn;
    bool open;
} Masker;

static bool masker_open(Masker *m, uint16_t machine)
{
    memset(m, 0, sizeof *m);
    m->machine = machine;
    if (machine == EM_AARCH64)
        return true;
    if (machine != EM_X86_64 || cs_open(CS_ARCH_X86, CS_MODE_64, &m->cs) != CS_ERR_OK)
        return false;
    m->open = true;
    if (cs_option(m->cs, CS_OPT_DETAIL, CS_OPT_ON) != CS_ERR_OK || !(m->insn = cs_malloc(m->cs)))
        return false;
    return true;
}

static void masker_close(Masker *m)
{
    if (m->insn)
        cs_free(m->insn, 1);
    if (m->open)
        cs_close(&m->cs);
}

/* Where instructions end, when the caller wants them (NULL otherwise). */
typedef struct Ends {
    Buf buf; /* uint32_t offsets */
    size_t n;
} Ends;

static void ends_push(Ends *e, size_t off)
{
    if (!e)
        return;
    uint32_t *p = buf_need(&e->buf, e->n + 1, sizeof *p);
    p[e->n++] = (uint32_t)off;
}

static void clear(uint8_t *out, size_t off, size_t len, size_t insn_end)
{
    if (off + len <= insn_end)
        memset(out + off, 0, len);
}

static long mask_x86(Masker *m, const uint8_t *code, size_t n, uint64_t addr, uint8_t *out, uint64_t *th, Ends *ends)
{
    const uint8_t *p = code;
    size_t left = n;
    uint64_t pc = addr, end = addr + n;
    long bad = 0;
    while (left) {
        size_t off = (size_t)(p - code);
        if (!cs_disasm_iter(m->cs, &p, &left, &pc, m->insn)) {
            bad++; /* kept as it is; try again at the next byte */
            p++, left--, pc++;
            ends_push(ends, off + 1);
            continue;
        }
        const cs_detail *d = m->insn->detail;
        const cs_x86 *x = &d->x86;
        size_t iend = off + m->insn->size;
        bool rel = false;
        for (uint8_t g = 0; g < d->groups_count; g++)
            rel |= d->groups[g] == CS_GRP_BRANCH_RELATIVE;
        if (rel && x->encoding.imm_offset && x->op_count && x->operands[0].type == X86_OP_IMM) {
            uint64_t target = (uint64_t)x->operands[0].imm;
            if (target < addr || target >= end) {
                clear(out, off + x->encoding.imm_offset, x->encoding.imm_size, iend);
                *th = mix(*th, target);
            }
        }
        if (x->encoding.disp_offset)
            for (uint8_t i = 0; i < x->op_count; i++)
                if (x->operands[i].type == X86_OP_MEM && x->operands[i].mem.base == X86_REG_RIP) {
                    clear(out, off + x->encoding.disp_offset, x->encoding.disp_size, iend);
                    *th = mix(*th, pc + (uint64_t)x->operands[i].mem.disp);
                }
        ends_push(ends, iend);
    }
    return bad;
}

static uint64_t sext(uint64_t v, int bits)
{
    uint64_t sign = 1ull << (bits - 1);
    return (v ^ sign) - sign;
}

/* A64 encodings (Arm ARM, C4.1): the PC-relative immediates of B, BL,
 * B.cond, CBZ/CBNZ, TBZ/TBNZ, LDR (literal), ADR and ADRP, and the 12-bit
 * offsets of ADD (immediate) and LDR/STR (unsigned offset) whose base
 * register an ADRP set earlier in the function (the low half of an address
 * ADRP made). Instructions are little-endian in either data endianness. */
static long mask_a64(const uint8_t *code, size_t n, uint64_t addr, uint8_t *out, uint64_t *th, Ends *ends)
{
    uint64_t end = addr + n;
    uint32_t adrp_regs = 0;
    size_t off = 0;
    for (; off + 4 <= n; off += 4) {
        uint32_t w = (uint32_t)code[off] | (uint32_t)code[off + 1] << 8 | (uint32_t)code[off + 2] << 16 |
                     (uint32_t)code[off + 3] << 24;
        uint64_t pc = addr + off, target = 0;
        uint32_t field = 0; /* bits to clear */
        bool branch = false;
        if ((w & 0x7C000000) == 0x14000000) { /* B, BL */
            target = pc + sext(w & 0x03FFFFFF, 26) * 4, field = 0x03FFFFFF, branch = true;
        } else if ((w & 0xFF000010) == 0x54000000 || (w & 0x7E000000) == 0x34000000) { /* B.cond, CBZ/CBNZ */
            target = pc + sext((w >> 5) & 0x7FFFF, 19) * 4, field = 0x00FFFFE0, branch = true;
        } else if ((w & 0x7E000000) == 0x36000000) { /* TBZ/TBNZ */
            target = pc + sext((w >> 5) & 0x3FFF, 14) * 4, field = 0x0007FFE0, branch = true;
        } else if ((w & 0x3B000000) == 0x18000000) { /* LDR (literal) */
            target = pc + sext((w >> 5) & 0x7FFFF, 19) * 4, field = 0x00FFFFE0;
        } else if ((w & 0x1F000000) == 0x10000000) { /* ADR, ADRP */
            uint64_t imm = sext(((w >> 5) & 0x7FFFF) << 2 | ((w >> 29) & 3), 21);
            if (w & 0x80000000) {
                target = (pc & ~0xFFFull) + (imm << 12);
                adrp_regs |= 1u << (w & 31);
            } else {
                target = pc + imm;
            }
            field = 0x60FFFFE0;
        } else if (((w & 0x7F800000) == 0x11000000 || (w & 0x3B000000) == 0x39000000) &&
                   (adrp_regs >> ((w >> 5) & 31) & 1)) { /* ADD (immediate), LDR/STR (unsigned offset) */
            target = (w >> 10) & 0xFFF, field = 0x003FFC00;
        }
        if (field && !(branch && target >= addr && target < end)) {
            w &= ~field;
            *th = mix(*th, target);
            out[off] = (uint8_t)w, out[off + 1] = (uint8_t)(w >> 8);
            out[off + 2] = (uint8_t)(w >> 16), out[off + 3] = (uint8_t)(w >> 24);
        }
        ends_push(ends, off + 4);
    }
    if (off < n)
        ends_push(ends, n);
    return (long)(n - off); /* a tail shorter than an instruction */
}

static long mask_code(Masker *m, const uint8_t *code, size_t n, uint64_t addr, uint8_t *out, uint64_t *th,
                      Ends *ends)
{
    memcpy(out, code, n);
    *th = 0;
    if (ends)
        ends->n = 0;
    return m->machine == EM_AARCH64 ? mask_a64(code, n, addr, out, th, ends)
                                    : mask_x86(m, code, n, addr, out, th, ends);
}

long dups_mask(uint16_t machine, const uint8_t *code, size_t n, uint64_t addr, uint8_t *out)
{
    Masker m;
    if (!masker_open(&m, machine)) {
        masker_close(&m);
        return -1;
    }
    uint64_t th;
    long bad = mask_code(&m, code, n, addr, out, &th, NULL);
    masker_close(&m);
    return bad;
}

/* ---- generic names ---- */

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

const char *dups_generic_key(Arena *a, const char *name, NameLang lang)
{
    size_t n = strlen(name);
    if (lang == NAME_RUST_LEGACY && n > 19 && memcmp(name + n - 19, "::h", 3) == 0 && is_hex(name + n - 16, 16))
        name = arena_strndup(a, name, n - 19); /* the legacy hash (--full-names) */
    GenericName g;
    generics_split(a, name, lang, 0, &g);
    /* Legacy Rust names carry no type arguments: copies share the name. */
    return g.nargs || (lang == NAME_RUST_LEGACY && *g.key) ? g.key : NULL;
}

/* ---- collecting what to compare ---- */

typedef struct Entry {
    uint64_t hash, thash, size;
    const uint8_t *bytes;
    const Leaf *leaf;
    uint32_t kind;
    bool alone; /* no other entry of its kind has its size: never hashed */
    const uint8_t *masked; /* code masked when hashed, kept for confirm_run, or NULL */
} Entry;

static const Image *sort_img; /* qsort has no context argument in C11 */

static int sym_by_place(const void *pa, const void *pb)
{
    const Symbol *x = &sort_img->symbols[*(const uint32_t *)pa], *y = &sort_img->symbols[*(const uint32_t *)pb];
    if (x->section != y->section)
        return x->section < y->section ? -1 : 1;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return 0;
}

/* STT_FUNC / STT_OBJECT if any symbol on the leaf's address has that type. */
static int leaf_type(const Image *img, const uint32_t *order, uint32_t n, const Leaf *l)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const Symbol *s = &img->symbols[order[mid]];
        if (s->section < l->section || (s->section == l->section && s->addr < l->addr))
            lo = mid + 1;
        else
            hi = mid;
    }
    int type = -1;
    for (; lo < n; lo++) {
        const Symbol *s = &img->symbols[order[lo]];
        if (s->section != l->section || s->addr != l->addr)
            break;
        if (s->type == STT_FUNC)
            return STT_FUNC;
        if (s->type == STT_OBJECT)
            type = STT_OBJECT;
    }
    return type;
}

/* The leaf's bytes in the file, or NULL when they are not wholly there. */
static const uint8_t *leaf_bytes(const Image *img, const Leaf *l)
{
    const Section *s = &img->sections[l->section];
    if (s->type == SHT_NOBITS || l->addr < s->addr || l->addr - s->addr > s->file_size ||
        l->sym_size > s->file_size - (l->addr - s->addr))
        return NULL;
    uint64_t off = s->offset + (l->addr - s->addr);
    if (off < s->offset || off > img->size || l->sym_size > img->size - off)
        return NULL;
    return img->data + off;
}

static int entry_cmp(const void *pa, const void *pb)
{
    const Entry *x = pa, *y = pb;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->size != y->size)
        return x->size < y->size ? -1 : 1;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    if (x->leaf->addr != y->leaf->addr)
        return x->leaf->addr < y->leaf->addr ? -1 : 1;
    return x->leaf->section < y->leaf->section ? -1 : x->leaf->section > y->leaf->section;
}

static int group_cmp(const void *pa, const void *pb)
{
    const DupGroup *x = pa, *y = pb;
    if (x->saving != y->saving)
        return x->saving > y->saving ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->copies[0]->addr != y->copies[0]->addr)
        return x->copies[0]->addr < y->copies[0]->addr ? -1 : 1;
    return 0;
}

/* ---- near-identical copies ---- */

typedef struct Keyed {
    const char *key;
    const Entry *e;
    uint32_t group; /* dup group, or UINT32_MAX */
} Keyed;

static int keyed_cmp(const void *pa, const void *pb)
{
    const Keyed *x = pa, *y = pb;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->e->size != y->e->size)
        return x->e->size > y->e->size ? -1 : 1;
    return x->e->leaf->addr < y->e->leaf->addr ? -1 : x->e->leaf->addr > y->e->leaf->addr;
}

static int similar_cmp(const void *pa, const void *pb)
{
    const SimilarGroup *x = pa, *y = pb;
    if (x->total_size != y->total_size)
        return x->total_size > y->total_size ? -1 : 1;
    return strcmp(x->generic, y->generic);
}

/* Copies compared per generic, largest first; size ratio and comparison
 * budget that keep the work bounded on binaries with 100k functions. */
#define SIM_MAX_COPIES 64
#define SIM_MAX_CELLS 1000000ull     /* per pair, after the common prefix and suffix */
#define SIM_BUDGET 400000000ull      /* for the whole run */

typedef struct SimState {
    Masker *m;
    Buf code;           /* masked bytes */
    Ends ends;
    Buf ref, other;     /* uint32_t instruction hashes */
    Buf row0, row1;     /* LCS rows */
    uint64_t budget;
} SimState;

static size_t insn_hashes(SimState *st, const Entry *e, Buf *out)
{
    uint8_t *code = buf_need(&st->code, e->size, 1);
    uint64_t th;
    mask_code(st->m, e->bytes, e->size, e->leaf->addr, code, &th, &st->ends);
    uint32_t *h = buf_need(out, st->ends.n ? st->ends.n : 1, sizeof *h);
    const uint32_t *ends = st->ends.buf.p;
    for (size_t i = 0, start = 0; i < st->ends.n; start = ends[i++])
        h[i] = (uint32_t)hash_bytes(code + start, ends[i] - start);
    return st->ends.n;
}

/* Tenths of a percent of instructions in common, in order. */
static uint32_t similarity(SimState *st, const uint32_t *a, size_t n, const uint32_t *b, size_t m, bool *bounded)
{
    if (!n && !m)
        return 1000;
    size_t pre = 0, suf = 0;
    while (pre < n && pre < m && a[pre] == b[pre])
        pre++;
    while (suf < n - pre && suf < m - pre && a[n - 1 - suf] == b[m - 1 - suf])
        suf++;
    size_t n2 = n - pre - suf, m2 = m - pre - suf, lcs = 0;
    const uint32_t *a2 = a + pre, *b2 = b + pre;
    uint64_t cells = (uint64_t)n2 * m2;
    if (cells > SIM_MAX_CELLS || cells > st->budget) {
        *bounded = true;
    } else if (cells) {
        st->budget -= cells;
        uint32_t *prev = buf_need(&st->row0, m2 + 1, sizeof *prev);
        uint32_t *cur = buf_need(&st->row1, m2 + 1, sizeof *cur);
        memset(prev, 0, (m2 + 1) * sizeof *prev);
        for (size_t i = 1; i <= n2; i++) {
            cur[0] = 0;
            for (size_t j = 1; j <= m2; j++)
                cur[j] = a2[i - 1] == b2[j - 1] ? prev[j - 1] + 1 : cur[j - 1] > prev[j] ? cur[j - 1] : prev[j];
            uint32_t *t = prev;
            prev = cur, cur = t;
        }
        lcs = prev[m2];
    }
    return (uint32_t)(2000 * (uint64_t)(pre + suf + lcs) / (n + m));
}

static void find_similar(Arena *a, Masker *m, const Entry *entries, size_t nentries, const uint32_t *entry_group,
                         const DupsOpts *opts, DupsResult *out)
{
    Keyed *keyed = malloc((nentries ? nentries : 1) * sizeof *keyed);
    if (!keyed)
        abort();
    size_t nk = 0;
    for (size_t i = 0; i < nentries; i++) {
        if (entries[i].kind != DUP_CODE)
            continue;
        const char *key = dups_generic_key(a, entries[i].leaf->name, entries[i].leaf->lang);
        if (key)
            keyed[nk++] = (Keyed){key, &entries[i], entry_group[i]};
    }
    qsort(keyed, nk, sizeof *keyed, keyed_cmp);

    SimState st = {.m = m, .budget = SIM_BUDGET};
    size_t cap = 0;
    for (size_t i = 0; i < nk;) {
        size_t j = i + 1;
        while (j < nk && strcmp(keyed[j].key, keyed[i].key) == 0)
            j++;
        size_t run = j - i < SIM_MAX_COPIES ? j - i : SIM_MAX_COPIES;
        if (run < 2) {
            i = j;
            continue;
        }
        const Entry *ref = keyed[i].e;
        size_t nref = insn_hashes(&st, ref, &st.ref);
        SimilarGroup g = {.generic = keyed[i].key, .min_size = ref->size, .max_size = ref->size,
                          .total_size = ref->size, .similarity = 1000};
        g.copies = arena_array(a, run, sizeof *g.copies);
        g.copies[g.count++] = ref->leaf;
        bool all_folded = true; /* every copy identical to the reference: a dups group already */
        for (size_t k = i + 1; k < i + run; k++) {
            const Entry *e = keyed[k].e;
            if (e->size * 4 < ref->size * 3)
                break; /* by size, largest first: the rest are smaller still */
            uint32_t sim = 1000;
            bool bounded = false;
            bool folded = keyed[k].group != UINT32_MAX && keyed[k].group == keyed[i].group;
            if (!folded) {
                size_t n = insn_hashes(&st, e, &st.other);
                sim = similarity(&st, st.ref.p, nref, st.other.p, n, &bounded);
            }
            if (sim < opts->min_similarity)
                continue;
            all_folded &= folded;
            g.copies[g.count++] = e->leaf;
            g.similarity = sim < g.similarity ? sim : g.similarity;
            g.bounded |= bounded;
            g.min_size = e->size;
            g.total_size += e->size;
        }
        if (g.count >= 2 && !all_folded) {
            if (out->nsimilar == cap) {
                cap = cap ? cap * 2 : 64;
                SimilarGroup *grown = arena_array(a, cap, sizeof *grown);
                if (out->nsimilar)
                    memcpy(grown, out->similar, out->nsimilar * sizeof *grown);
                out->similar = grown;
            }
            out->similar[out->nsimilar++] = g;
        }
        i = j;
    }
    if (out->nsimilar)
        qsort(out->similar, out->nsimilar, sizeof *out->similar, similar_cmp);
    free(keyed);
    free(st.code.p), free(st.ends.buf.p), free(st.ref.p), free(st.other.p), free(st.row0.p), free(st.row1.p);
}

/* ---- the groups ---- */

typedef struct IndexPair {
    const Leaf *leaf;
    uint32_t group;
} IndexPair;

static int index_cmp(const void *pa, const void *pb)
{
    const Leaf *x = ((const IndexPair *)pa)->leaf, *y = ((const IndexPair *)pb)->leaf;
    return x < y ? -1 : x > y;
}

/* Scratch memory of confirm_run, reused from run to run. */
typedef struct RunScratch {
    Buf masked; /* the run's code, masked */
    Buf bytes;  /* per entry: its bytes as compared */
    Buf idx;    /* uint32_t: the entries in order of their bytes, then lead and end */
} RunScratch;

/* The bytes of one run's entries, as confirm_run compares them. */
static const uint8_t *const *run_bytes; /* qsort has no context argument */
static size_t run_size;

static int by_bytes(const void *pa, const void *pb)
{
    uint32_t x = *(const uint32_t *)pa, y = *(const uint32_t *)pb;
    int c = memcmp(run_bytes[x], run_bytes[y], run_size);
    return c ? c : x < y ? -1 : x > y;
}

/* Splits a run of n entries of one kind, size and hash into groups of
 * identical copies: the entries (masked, for code) sorted by their bytes,
 * equal neighbours grouped. Groups come out in the order of their first
 * copy in the run, copies in run order, as comparing each entry with those
 * after it would give them. */
static void confirm_run(Arena *a, const Image *img, Masker *m, const Entry *run, size_t n, uint32_t *entry_group,
                        RunScratch *sc, size_t *gcap, DupsResult *out)
{
    size_t size = run[0].size;
    const uint8_t **bytes = buf_need(&sc->bytes, n, sizeof *bytes);
    uint8_t *masked = run[0].kind == DUP_CODE ? buf_need(&sc->masked, n * size, 1) : NULL;
    for (size_t k = 0; k < n; k++) {
        if (masked && run[k].masked) {
            bytes[k] = run[k].masked;
        } else if (masked) {
            uint64_t th;
            mask_code(m, run[k].bytes, size, run[k].leaf->addr, masked + k * size, &th, NULL);
            bytes[k] = masked + k * size;
        } else {
            bytes[k] = run[k].bytes;
        }
    }
    uint32_t *idx = buf_need(&sc->idx, 3 * n, sizeof *idx);
    for (size_t k = 0; k < n; k++)
        idx[k] = (uint32_t)k;
    run_bytes = bytes, run_size = size;
    qsort(idx, n, sizeof *idx, by_bytes);

    /* lead[k]: where in idx the group led by entry k starts, or UINT32_MAX;
     * end[s]: where the group that starts at s ends */
    uint32_t *lead = idx + n, *end = idx + 2 * n;
    for (size_t k = 0; k < n; k++)
        lead[k] = UINT32_MAX;
    for (size_t s = 0, e; s < n; s = e) {
        for (e = s + 1; e < n && memcmp(bytes[idx[s]], bytes[idx[e]], size) == 0; e++)
            ;
        if (e - s >= 2)
            lead[idx[s]] = (uint32_t)s, end[s] = (uint32_t)e;
    }
    for (size_t r = 0; r < n; r++) {
        if (lead[r] == UINT32_MAX)
            continue;
        size_t s = lead[r], count = end[s] - s;
        const Entry *rep = &run[r];
        if (out->ngroups == *gcap) {
            *gcap = *gcap ? *gcap * 2 : 64;
            DupGroup *grown = arena_array(a, *gcap, sizeof *grown);
            if (out->ngroups)
                memcpy(grown, out->groups, out->ngroups * sizeof *grown);
            out->groups = grown;
        }
        DupGroup *g = &out->groups[out->ngroups];
        *g = (DupGroup){.kind = rep->kind, .size = size, .count = (uint32_t)count, .saving = size * (count - 1),
                        .same_targets = rep->kind == DUP_DATA || img->kind != ET_REL};
        g->copies = arena_array(a, count, sizeof *g->copies);
        for (size_t c = 0; c < count; c++) {
            uint32_t k = idx[s + c];
            entry_group[k] = (uint32_t)out->ngroups;
            g->same_targets &= run[k].thash == rep->thash;
            g->copies[c] = run[k].leaf;
        }
        out->ngroups++;
        if (g->kind == DUP_CODE)
            out->code_saving += g->saving, out->icf_saving += g->same_targets ? g->saving : 0;
        else
            out->data_saving += g->saving;
    }
}

/* Flags the entries whose kind and size no other entry has: a group needs
 * two of one size, so these need no hash (nor disassembly). */
static void mark_alone(Entry *entries, size_t ne)
{
    KeyVal *by_size = malloc((ne ? ne : 1) * sizeof *by_size);
    if (!by_size)
        abort();
    for (size_t i = 0; i < ne; i++) /* sizes are below 2^63: they fit in a file */
        by_size[i] = (KeyVal){entries[i].size << 1 | (entries[i].kind == DUP_CODE), (uint32_t)i};
    keysort(by_size, ne, sizeof *by_size);
    for (size_t i = 0, j; i < ne; i = j) {
        for (j = i + 1; j < ne && by_size[j].key == by_size[i].key; j++)
            ;
        if (j - i == 1)
            entries[by_size[i].val].alone = true;
    }
    free(by_size);
}

/* Disassembly is most of dups' time and each entry's hash depends on its
 * bytes alone: the entries are hashed on every core, each worker with a
 * capstone handle and a buffer of its own. */
typedef struct Hashing {
    Entry *entries;
    uint16_t machine;
    Masker maskers[PARALLEL_MAX_WORKERS];
    int8_t masker_state[PARALLEL_MAX_WORKERS]; /* 0 not opened yet, 1 open, -1 failed to open */
    Buf bufs[PARALLEL_MAX_WORKERS];
    long undecodable[PARALLEL_MAX_WORKERS];
    /* With only, the few entries' masked code is kept (an arena a worker) so
     * that confirming a run does not disassemble it again. */
    bool keep;
    Arena *kept[PARALLEL_MAX_WORKERS];
} Hashing;

static void hash_block(void *ctx, unsigned worker, size_t begin, size_t end)
{
    Hashing *hs = ctx;
    Masker *m = &hs->maskers[worker];
    if (worker == 0)
        progress_step(begin); /* the main thread: the line is drawn from there only */
    for (size_t i = begin; i < end; i++) {
        Entry *e = &hs->entries[i];
        if (e->alone)
            continue;
        if (e->kind != DUP_CODE) {
            e->hash = hash_bytes(e->bytes, e->size);
            continue;
        }
        if (!hs->masker_state[worker])
            hs->masker_state[worker] = masker_open(m, hs->machine) ? 1 : -1;
        if (hs->masker_state[worker] < 0) { /* out of memory in capstone: compared raw, as undecodable code is */
            hs->undecodable[worker]++;
            e->hash = hash_bytes(e->bytes, e->size);
            continue;
        }
        uint8_t *buf;
        if (hs->keep) {
            if (!hs->kept[worker])
                hs->kept[worker] = arena_new();
            buf = arena_alloc(hs->kept[worker], e->size);
            e->masked = buf;
        } else {
            buf = buf_need(&hs->bufs[worker], e->size, 1);
        }
        hs->undecodable[worker] += mask_code(m, e->bytes, e->size, e->leaf->addr, buf, &e->thash, NULL) > 0;
        e->hash = hash_bytes(buf, e->size);
    }
}

int dups_find(Arena *a, const Image *img, const Account *acct, const DupsOpts *opts, DupsResult *out)
{
    memset(out, 0, sizeof *out);
    uint64_t min_data = opts->min_data ? opts->min_data : DUPS_MIN_DATA;
    Masker m;
    out->code_supported = masker_open(&m, img->machine);
    int rc = out->code_supported || (img->machine != EM_X86_64 && img->machine != EM_AARCH64) ? 0 : -1;

    uint32_t ns = 0;
    uint32_t *order = malloc((img->nsymbols ? img->nsymbols : 1) * sizeof *order);
    Entry *entries = malloc((acct->nleaves ? acct->nleaves : 1) * sizeof *entries);
    if (!order || !entries)
        abort();
    for (uint32_t i = 0; i < img->nsymbols; i++)
        if (img->symbols[i].type == STT_FUNC || img->symbols[i].type == STT_OBJECT)
            order[ns++] = i;
    sort_img = img;
    qsort(order, ns, sizeof *order, sym_by_place);

    /* Every function and object once; hashing them (disassembling the
     * functions) follows on every core. */
    size_t ne = 0;
    for (uint32_t i = 0; i < acct->nleaves; i++) {
        const Leaf *l = &acct->leaves[i];
        if (l->kind != LEAF_SYMBOL || !l->sym_size || l->file_size != l->sym_size || l->section >= img->nsections ||
            (opts->only && !opts->only[i]))
            continue;
        const Section *s = &img->sections[l->section];
        if (!(s->flags & SHF_ALLOC))
            continue;
        bool exec = s->flags & SHF_EXECINSTR;
        if (exec ? !out->code_supported : (s->flags & SHF_WRITE) || l->sym_size < min_data)
            continue;
        int type = leaf_type(img, order, ns, l);
        if (type != (exec ? STT_FUNC : STT_OBJECT))
            continue;
        const uint8_t *bytes = leaf_bytes(img, l);
        if (!bytes)
            continue;
        entries[ne++] = (Entry){.size = l->sym_size, .bytes = bytes, .leaf = l, .kind = exec ? DUP_CODE : DUP_DATA};
        if (exec)
            out->functions++;
        else
            out->objects++;
    }
    if (opts->only && !opts->similar)
        mark_alone(entries, ne);
    Hashing hs = {.entries = entries, .machine = img->machine, .keep = opts->only && !opts->similar};
    progress_begin("disassembling functions", ne);
    parallel_for(ne, 64, hash_block, &hs);
    progress_end();
    for (unsigned w = 0; w < PARALLEL_MAX_WORKERS; w++) {
        out->undecodable += hs.undecodable[w];
        if (hs.masker_state[w])
            masker_close(&hs.maskers[w]);
        free(hs.bufs[w].p);
        if (hs.kept[w])
            arena_adopt(a, hs.kept[w]);
    }
    qsort(entries, ne, sizeof *entries, entry_cmp);

    /* Runs of equal hashes, confirmed byte for byte: a run is sorted by its
     * (masked) bytes, so that copies are neighbours whatever the hashes do
     * (a run of distinct objects that share a hash, which a file can be made
     * of, costs a sort rather than a comparison of every pair). */
    uint32_t *entry_group = malloc((ne ? ne : 1) * sizeof *entry_group);
    if (!entry_group)
        abort();
    RunScratch sc = {0};
    size_t gcap = 0;
    for (size_t i = 0; i < ne; i++)
        entry_group[i] = UINT32_MAX;
    progress_begin("comparing copies", ne);
    for (size_t i = 0; i < ne;) {
        progress_step(i);
        size_t j = i + 1;
        while (j < ne && entries[j].kind == entries[i].kind && entries[j].size == entries[i].size &&
               entries[j].hash == entries[i].hash)
            j++;
        if (j - i >= 2)
            confirm_run(a, img, &m, entries + i, j - i, entry_group + i, &sc, &gcap, out);
        i = j;
    }
    progress_end();
    free(sc.masked.p), free(sc.bytes.p), free(sc.idx.p);

    if (opts->similar && out->code_supported) {
        progress_begin("comparing near-identical copies", 0);
        find_similar(a, &m, entries, ne, entry_group, opts, out);
        progress_end();
    }

    /* Group order is by saving; the leaf index is built after sorting. */
    if (out->ngroups)
        qsort(out->groups, out->ngroups, sizeof *out->groups, group_cmp);
    for (size_t g = 0; g < out->ngroups; g++)
        out->nindex += out->groups[g].count;
    IndexPair *pairs = arena_array(a, out->nindex ? out->nindex : 1, sizeof *pairs);
    size_t k = 0;
    for (size_t g = 0; g < out->ngroups; g++)
        for (uint32_t c = 0; c < out->groups[g].count; c++)
            pairs[k++] = (IndexPair){out->groups[g].copies[c], (uint32_t)g};
    qsort(pairs, out->nindex, sizeof *pairs, index_cmp);
    out->index_leaf = arena_array(a, out->nindex ? out->nindex : 1, sizeof *out->index_leaf);
    out->index_group = arena_array(a, out->nindex ? out->nindex : 1, sizeof *out->index_group);
    for (size_t i = 0; i < out->nindex; i++)
        out->index_leaf[i] = pairs[i].leaf, out->index_group[i] = pairs[i].group;

    free(order), free(entries), free(entry_group);
    masker_close(&m);
    return rc;
}

const DupGroup *dups_group_of(const DupsResult *r, const Leaf *leaf)
{
    size_t lo = 0, hi = r->nindex;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->index_leaf[mid] < leaf)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->nindex && r->index_leaf[lo] == leaf ? &r->groups[r->index_group[lo]] : NULL;
}

static bool leaf_matches(Pattern *re, const Leaf *l)
{
    if (pattern_match(re, l->name))
        return true;
    for (uint32_t i = 0; i < l->naliases; i++)
        if (pattern_match(re, l->aliases[i]))
            return true;
    return false;
}

static bool copies_match(Pattern *re, const Leaf *const *copies, uint32_t n)
{
    if (!re)
        return true;
    for (uint32_t i = 0; i < n; i++)
        if (leaf_matches(re, copies[i]))
            return true;
    return false;
}

void dups_view(Arena *a, const DupsResult *r, Pattern *re, size_t limit, size_t similar_limit, DupsView *out)
{
    memset(out, 0, sizeof *out);
    out->groups = arena_array(a, r->ngroups ? r->ngroups : 1, sizeof *out->groups);
    for (size_t i = 0; i < r->ngroups; i++) {
        const DupGroup *g = &r->groups[i];
        if (!copies_match(re, g->copies, g->count)) {
            out->filtered_groups++, out->filtered_saving += g->saving;
        } else if (limit && out->ngroups == limit) {
            out->rest_groups++, out->rest_saving += g->saving;
        } else {
            out->groups[out->ngroups++] = g;
        }
    }
    out->similar = arena_array(a, r->nsimilar ? r->nsimilar : 1, sizeof *out->similar);
    for (size_t i = 0; i < r->nsimilar; i++) {
        const SimilarGroup *g = &r->similar[i];
        if (!copies_match(re, g->copies, g->count))
            out->filtered_similar++;
        else if (similar_limit && out->nsimilar == similar_limit)
            out->rest_similar++;
        else
            out->similar[out->nsimilar++] = g;
    }
}
