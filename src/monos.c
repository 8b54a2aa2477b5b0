/* monos.c — groups code symbols into copies of generic functions, sums and
 * sorts them, and words the suggestions (rules and estimate in monos.h). */
#include "monos.h"

#include <elf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "generics.h"
#include "render.h"
#include "tparams.h"
#include "strhash.h"

/* A code symbol with its generic key. Candidates are sorted by the key's
 * hash first: long keys share long prefixes, and string compares were most
 * of the sort's time on a large binary. The order of groups is decided
 * later, by size and name, so it does not depend on the hash. */
typedef struct Cand {
    uint64_t hash;
    const char *key;
    const char **args;
    uint32_t nargs;
    const Leaf *leaf;
    uint64_t size;
} Cand;

static int cand_cmp(const void *pa, const void *pb)
{
    const Cand *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    int c = strcmp(a->key, b->key);
    if (c)
        return c;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    c = strcmp(a->leaf->name, b->leaf->name);
    if (c)
        return c;
    return a->leaf->addr < b->leaf->addr ? -1 : a->leaf->addr > b->leaf->addr;
}

static int group_cmp(const void *pa, const void *pb)
{
    const MonoGroup *a = pa, *b = pb;
    if (a->saving != b->saving)
        return a->saving > b->saving ? -1 : 1;
    if (a->total != b->total)
        return a->total > b->total ? -1 : 1;
    return strcmp(a->name, b->name);
}

static bool is_code(const Account *acct, const Leaf *l)
{
    if (l->kind != LEAF_SYMBOL || l->section == IMG_NONE || l->lang == NAME_C)
        return false;
    const Section *s = &acct->img->sections[l->section];
    return (s->flags & SHF_EXECINSTR) && (l->file_size || l->vm_size);
}

static bool group_matches(const MonoGroup *g, const MonoFilter *f, bool exact)
{
    if (f && f->crate && strcmp(g->crate, f->crate) != 0)
        return false;
    if (f && f->name && (exact ? strcmp(g->name, f->name) != 0 : !strstr(g->name, f->name)))
        return false;
    if (!f || !f->re)
        return true;
    if (pattern_match(f->re, g->name))
        return true;
    for (uint32_t i = 0; i < g->ncopies; i++)
        if (pattern_match(f->re, g->copies[i].leaf->name))
            return true;
    return false;
}

/* A legacy raw name without compiler suffixes: up to the "17h<16 hex>E" that
 * ends the mangling (DWARF's linkage name has no suffix). */
static const char *legacy_linkage(Arena *a, const char *raw)
{
    size_t n = strlen(raw);
    for (size_t e = n; e >= 20; e--) {
        const char *p = raw + e - 20;
        if (p[19] != 'E' || memcmp(p, "17h", 3) != 0)
            continue;
        bool hex = true;
        for (int i = 3; i < 19 && hex; i++)
            hex = (p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f');
        if (hex)
            return e == n ? raw : arena_strndup(a, raw, e);
    }
    return raw;
}

/* Type arguments of the shown legacy copies, from DWARF. */
static void legacy_args(Arena *a, const Image *dwarf, MonoReport *r)
{
    size_t n = 0;
    for (size_t g = 0; g < r->nshown; g++)
        if (r->groups[g].legacy)
            n += r->groups[g].ncopies;
    if (!n)
        return;
    const char **names = arena_array(a, n, sizeof *names);
    TParams *tp = arena_array(a, n, sizeof *tp);
    size_t k = 0;
    for (size_t g = 0; g < r->nshown; g++)
        for (uint32_t i = 0; r->groups[g].legacy && i < r->groups[g].ncopies; i++)
            names[k++] = legacy_linkage(a, r->groups[g].copies[i].leaf->raw);
    tparams_lookup(a, dwarf, names, n, tp);
    k = 0;
    for (size_t g = 0; g < r->nshown; g++)
        for (uint32_t i = 0; r->groups[g].legacy && i < r->groups[g].ncopies; i++, k++) {
            MonoCopy *c = &r->groups[g].copies[i];
            if (!c->nargs && tp[k].nargs) {
                c->args = tp[k].args;
                c->nargs = tp[k].nargs;
                c->args_from_dwarf = true;
            }
        }
}

typedef struct ArgsRef {
    uint64_t hash;
    uint32_t copy;
} ArgsRef;

static int args_cmp(const MonoCopy *a, const MonoCopy *b)
{
    for (uint32_t i = 0; i < a->nargs && i < b->nargs; i++) {
        int c = strcmp(a->args[i], b->args[i]);
        if (c)
            return c;
    }
    return (a->nargs > b->nargs) - (a->nargs < b->nargs);
}

/* By hash, then by the arguments themselves: equal lists end up adjacent. */
static int args_ref_cmp(const void *pa, const void *pb, void *group)
{
    const ArgsRef *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    const MonoGroup *g = group;
    int c = args_cmp(&g->copies[a->copy], &g->copies[b->copy]);
    return c ? c : (a->copy > b->copy) - (a->copy < b->copy);
}

/* Marks the copies of a group whose type arguments another copy shares:
 * sorted by a hash of the arguments, so equal lists are neighbours. */
static void mark_same_args(Arena *a, MonoGroup *g)
{
    ArgsRef *r = arena_array(a, g->ncopies, sizeof *r);
    uint32_t n = 0;
    for (uint32_t i = 0; i < g->ncopies; i++) {
        if (!g->copies[i].nargs)
            continue;
        uint64_t h = STRHASH_SEED;
        for (uint32_t k = 0; k < g->copies[i].nargs; k++)
            h = (strhash(g->copies[i].args[k]) ^ h) * STRHASH_PRIME;
        r[n++] = (ArgsRef){h, i};
    }
    qsort_r(r, n, sizeof *r, args_ref_cmp, g);
    for (uint32_t i = 0; i + 1 < n; i++)
        if (r[i].hash == r[i + 1].hash && args_cmp(&g->copies[r[i].copy], &g->copies[r[i + 1].copy]) == 0)
            g->copies[r[i].copy].same_args = g->copies[r[i + 1].copy].same_args = true;
}

void monos_build(Arena *a, const Account *acct, const MonoFilter *f, size_t limit, const Image *dwarf,
                 MonoReport *out)
{
    memset(out, 0, sizeof *out);
    out->file_size = acct->file_size;
    out->path = acct->img->path;
    out->acct_flags = acct->flags;
    out->std_lang = acct->std_lang;
    out->has_debug_info = tparams_available(dwarf ? dwarf : acct->img);
    for (uint32_t i = 0; i < acct->img->nsections; i++) {
        const Section *s = &acct->img->sections[i];
        if ((s->flags & SHF_EXECINSTR) && (s->flags & SHF_ALLOC))
            out->code_size += s->file_size;
    }

    size_t n = 0;
    for (uint32_t i = 0; i < acct->nleaves; i++)
        n += is_code(acct, &acct->leaves[i]);
    Cand *c = arena_array(a, n ? n : 1, sizeof *c);
    n = 0;
    for (uint32_t i = 0; i < acct->nleaves; i++) {
        const Leaf *l = &acct->leaves[i];
        if (!is_code(acct, l))
            continue;
        GenericName gn;
        generics_split(a, l->name, l->lang, names_v0_trait_item(l->raw) ? GENERICS_SELF_ARG : 0, &gn);
        c[n++] = (Cand){strhash(gn.key), gn.key, gn.args, gn.nargs, l, l->file_size ? l->file_size : l->vm_size};
    }
    qsort(c, n, sizeof *c, cand_cmp);

    /* Runs of one key with at least two copies, and type arguments unless
     * the mangling (legacy) cannot carry them. */
    size_t ng = 0;
    MonoGroup *groups = arena_array(a, n / 2 + 1, sizeof *groups);
    for (size_t i = 0, j; i < n; i = j) {
        bool args = false, legacy = false;
        for (j = i; j < n && c[j].hash == c[i].hash && strcmp(c[j].key, c[i].key) == 0; j++) {
            args |= c[j].nargs > 0;
            legacy |= c[j].leaf->lang == NAME_RUST_LEGACY;
        }
        if (j - i < 2 || !(args || legacy))
            continue;
        MonoGroup *g = &groups[ng++];
        g->name = c[i].key;
        g->crate = c[i].leaf->crate;
        g->legacy = legacy;
        g->ncopies = (uint32_t)(j - i);
        g->copies = arena_array(a, g->ncopies, sizeof *g->copies);
        for (size_t k = i; k < j; k++) {
            g->copies[k - i] = (MonoCopy){c[k].leaf, c[k].args, c[k].nargs, false, false, c[k].size};
            g->total += c[k].size;
        }
        g->largest = c[i].size;
        g->saving = g->total - g->largest;
        out->all_groups++;
        out->all_copies += g->ncopies;
        out->all_total += g->total;
        out->all_saving += g->saving;
    }
    qsort(groups, ng, sizeof *groups, group_cmp);

    bool exact = false;
    for (size_t i = 0; f && f->name && i < ng && !exact; i++)
        exact = strcmp(groups[i].name, f->name) == 0;
    size_t m = 0;
    for (size_t i = 0; i < ng; i++) {
        if (group_matches(&groups[i], f, exact))
            groups[m++] = groups[i];
        else
            out->filtered_groups++;
    }
    out->groups = groups;
    out->ngroups = m;
    out->nshown = limit && limit < m ? limit : m;
    for (size_t i = out->nshown; i < m; i++) {
        out->rest_copies += groups[i].ncopies;
        out->rest_total += groups[i].total;
        out->rest_saving += groups[i].saving;
    }
    if (dwarf && out->has_debug_info)
        legacy_args(a, dwarf, out);
    for (size_t g = 0; g < out->nshown; g++) {
        mark_same_args(a, &groups[g]);
        bool any = false;
        for (uint32_t i = 0; i < groups[g].ncopies; i++)
            any |= groups[g].copies[i].nargs > 0;
        /* Only the user's generics: std's precompiled copies keep the
         * mangling the toolchain gave them (legacy in Debian's), which no
         * option of the user's build changes. */
        if (groups[g].legacy && !any && !names_is_std_crate(groups[g].crate))
            out->missing_legacy_args = true;
    }
}

/* ---- suggestions ---- */

bool monos_is_conversion_source(const char *type)
{
    static const char *const SHORT[] = {
        "str", "String", "Path", "PathBuf", "OsStr", "OsString", "[u8]", "CStr", "CString",
        "Box<str>", "Box<Path>", "Box<OsStr>", "Box<[u8]>", "Arc<str>", "Rc<str>",
    };
    const char *t = type;
    while (*t == '&' || *t == ' ')
        t++;
    if (strncmp(t, "mut ", 4) == 0)
        t += 4;
    /* Drop the path in front of the type's own name (not inside <…>). */
    const char *name = t;
    for (const char *p = t; *p && *p != '<' && *p != '['; p++)
        if (p[0] == ':' && p[1] == ':')
            name = p + 2;
    for (size_t i = 0; i < sizeof SHORT / sizeof *SHORT; i++)
        if (strcmp(name, SHORT[i]) == 0)
            return true;
    if (strncmp(name, "Vec<u8", 6) == 0 && (name[6] == '>' || name[6] == ','))
        return true;
    if (strncmp(name, "Cow<", 4) == 0)
        return strstr(name, "str") || strstr(name, "Path") || strstr(name, "[u8]");
    return false;
}

/* "886 B", or "9.9 KiB (10139 B)". */
static const char *human(Arena *a, uint64_t bytes)
{
    char buf[32];
    render_human(buf, sizeof buf, bytes);
    return bytes < 1024 ? arena_strdup(a, buf) : arena_printf(a, "%s (%" PRIu64 " B)", buf, bytes);
}

/* Distinct conversion-source arguments of the copies whose arguments are all
 * conversion sources, joined; *count is the number of such copies. */
static const char *conversion_args(Arena *a, const MonoGroup *g, uint32_t *count)
{
    const char *seen[16];
    uint32_t n = 0;
    *count = 0;
    for (uint32_t i = 0; i < g->ncopies; i++) {
        bool all = g->copies[i].nargs > 0;
        for (uint32_t k = 0; k < g->copies[i].nargs && all; k++)
            all = monos_is_conversion_source(g->copies[i].args[k]);
        if (!all)
            continue;
        ++*count;
        for (uint32_t k = 0; k < g->copies[i].nargs && n < 16; k++) {
            const char *t = g->copies[i].args[k];
            if (!monos_is_conversion_source(t))
                continue;
            bool dup = false;
            for (uint32_t j = 0; j < n && !dup; j++)
                dup = strcmp(seen[j], t) == 0;
            if (!dup)
                seen[n++] = t;
        }
    }
    return generics_join(a, seen, n);
}

void monos_suggest(Arena *a, MonoReport *r, size_t max)
{
    size_t made = 0;
    for (size_t i = 0; i < r->nshown && made < max; i++) {
        MonoGroup *g = &r->groups[i];
        /* The standard library's generics are not the user's to rewrite. */
        if (strcmp(g->crate, "std") == 0 || names_is_std_crate(g->crate))
            continue;
        uint32_t nconv;
        const char *conv = conversion_args(a, g, &nconv);
        bool rust = g->legacy || g->copies[0].leaf->lang == NAME_RUST_V0;
        /* Folding needs no change to the code: it is the advice unless a
         * rewrite saves more, and then the rewrite's line says what folding
         * alone would save. */
        bool outline = rust && nconv >= 2 && 2 * nconv >= g->ncopies;
        bool inner = !outline && g->ncopies >= 3 && g->largest >= 256;
        bool fold = g->identical >= 2;
        const char *also = "";
        if (fold && (outline || inner) && g->saving > g->identical_saving)
            fold = false, also = arena_printf(a, " (--icf=all alone: %s, %u copies are byte-identical)",
                                              human(a, g->identical_saving), g->identical);
        if (fold) {
            g->suggest = SUGGEST_FOLD_IDENTICAL;
            g->suggestion = arena_printf(
                a,
                "%s: %u of %u copies are byte-identical: let the linker fold them "
                "(-C link-arg=-Wl,--icf=all with lld or mold; -Wl,--icf=all for C++); saves %s",
                g->name, g->identical, g->ncopies, human(a, g->identical_saving));
        } else if (outline) {
            g->suggest = SUGGEST_OUTLINE_CONVERSION;
            g->suggestion = arena_printf(
                a,
                "%s: %u copies for %s (conversion sources): make it a thin generic wrapper calling a "
                "non-generic fn on the converted value (the outline pattern, or #[momo]); saves about %s%s",
                g->name, g->ncopies, conv, human(a, g->saving), also);
        } else if (inner) {
            g->suggest = SUGGEST_INNER_FN;
            g->suggestion = arena_printf(
                a,
                "%s: %u copies of up to %s: move the type-independent part into a non-generic inner fn, "
                "or take %s where the call is not hot; saves up to %s%s",
                g->name, g->ncopies, human(a, g->largest), rust ? "&dyn Trait" : "a type-erased parameter",
                human(a, g->saving), also);
        } else {
            continue;
        }
        made++;
    }
}

/* ---- by crate ---- */

static MonoCrateRow *crate_row(Arena *a, MonoCrates *c, size_t *cap, const char *crate)
{
    for (size_t i = 0; i < c->nrows; i++)
        if (strcmp(c->rows[i].crate, crate) == 0)
            return &c->rows[i];
    if (c->nrows == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        MonoCrateRow *rows = arena_array(a, ncap, sizeof *rows);
        if (c->nrows)
            memcpy(rows, c->rows, c->nrows * sizeof *rows);
        c->rows = rows;
        *cap = ncap;
    }
    MonoCrateRow *r = &c->rows[c->nrows++];
    r->crate = crate;
    return r;
}

static int crate_cmp(const void *pa, const void *pb)
{
    const MonoCrateRow *a = pa, *b = pb;
    uint64_t x = a->def_bytes + a->inst_bytes, y = b->def_bytes + b->inst_bytes;
    if (x != y)
        return x > y ? -1 : 1;
    return strcmp(a->crate, b->crate);
}

void monos_by_crate(Arena *a, const MonoReport *r, size_t limit, MonoCrates *out)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    for (size_t i = 0; i < r->ngroups; i++) {
        const MonoGroup *g = &r->groups[i];
        for (uint32_t k = 0; k < g->ncopies; k++) {
            const MonoCopy *cp = &g->copies[k];
            MonoCrateRow *d = crate_row(a, out, &cap, g->crate);
            d->def_copies++;
            d->def_bytes += cp->size;
            out->copies++;
            out->bytes += cp->size;
            const char *inst = cp->leaf->inst_crate;
            if (inst && !(r->acct_flags & ACCT_SPLIT_STD))
                inst = names_fold_std(inst, 0, cp->leaf->lang, r->std_lang);
            if (inst && cp->leaf->lang == NAME_RUST_V0) {
                MonoCrateRow *ir = crate_row(a, out, &cap, inst);
                ir->inst_copies++;
                ir->inst_bytes += cp->size;
            } else {
                out->unknown_inst_copies++;
                out->unknown_inst_bytes += cp->size;
            }
        }
    }
    if (out->nrows)
        qsort(out->rows, out->nrows, sizeof *out->rows, crate_cmp);
    out->nshown = limit && limit < out->nrows ? limit : out->nrows;
}
