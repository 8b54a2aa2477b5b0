/* tparams.c — DWARF template parameters by linkage name (see tparams.h),
 * through elfutils' libdw: it reads every DWARF version and form, and
 * decompresses compressed sections, which no hand-written reader here should
 * repeat.
 *
 * One walk over the DIE tree of every unit. Subprograms are looked for in
 * the scopes that hold them (units, namespaces, structures, unions, enums,
 * classes); Rust puts a method's linkage name and template parameters on its
 * declaration inside the type, so the concrete DIE (DW_AT_specification) is
 * not needed. The wanted names sit in an open-addressing hash table. */
#include "tparams.h"
#include "debuginfo.h"
#include "generics.h"
#include "strhash.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <string.h>

#define MAX_DEPTH 64
#define MAX_ARGS 64

typedef struct Table {
    const char *const *names;
    size_t *slots; /* index + 1, 0 = empty */
    size_t mask;
    TParams *out;
    Arena *a;
} Table;

static size_t find(const Table *t, const char *name)
{
    for (size_t i = strhash(name) & t->mask;; i = (i + 1) & t->mask) {
        size_t k = t->slots[i];
        if (!k || strcmp(t->names[k - 1], name) == 0)
            return k;
    }
}

bool tparams_available(const Image *img)
{
    for (uint32_t i = 0; i < img->nsections; i++)
        if (img->sections[i].name && strcmp(img->sections[i].name, ".debug_info") == 0)
            return img->sections[i].file_size > 0;
    return false;
}

static void subprogram(Table *t, Dwarf_Die *die)
{
    Dwarf_Attribute at;
    const char *ln = NULL;
    if (dwarf_attr(die, DW_AT_linkage_name, &at) || dwarf_attr(die, DW_AT_MIPS_linkage_name, &at))
        ln = dwarf_formstring(&at);
    if (!ln)
        return;
    size_t k = find(t, ln);
    if (!k || t->out[k - 1].nargs)
        return;
    const char *args[MAX_ARGS];
    uint32_t n = 0;
    Dwarf_Die c, ty;
    if (dwarf_child(die, &c) == 0)
        do {
            if (dwarf_tag(&c) != DW_TAG_template_type_parameter || n == MAX_ARGS)
                continue;
            const char *name = NULL;
            if (dwarf_attr(&c, DW_AT_type, &at) && dwarf_formref_die(&at, &ty))
                name = dwarf_diename(&ty);
            args[n++] = name ? name : "?";
        } while (dwarf_siblingof(&c, &c) == 0);
    if (!n) {
        /* Limited debug info (debug = 1) has no template parameters, but
         * rustc still names the copy with its arguments: `describe<f32>`. */
        const char *dn = dwarf_diename(die);
        GenericName g;
        if (!dn || !strchr(dn, '<'))
            return;
        generics_split(t->a, dn, NAME_RUST_V0, 0, &g);
        t->out[k - 1].args = g.args;
        t->out[k - 1].nargs = g.nargs;
        return;
    }
    TParams *p = &t->out[k - 1];
    p->args = arena_array(t->a, n, sizeof *p->args);
    for (uint32_t i = 0; i < n; i++)
        p->args[i] = arena_strdup(t->a, args[i]);
    p->nargs = n;
}

static void walk(Table *t, Dwarf_Die *scope, int depth)
{
    Dwarf_Die c;
    if (depth > MAX_DEPTH || dwarf_child(scope, &c) != 0)
        return;
    do {
        switch (dwarf_tag(&c)) {
        case DW_TAG_subprogram:
            subprogram(t, &c);
            break;
        case DW_TAG_namespace:
        case DW_TAG_structure_type:
        case DW_TAG_class_type:
        case DW_TAG_union_type:
        case DW_TAG_enumeration_type:
            walk(t, &c, depth + 1);
            break;
        default:
            break;
        }
    } while (dwarf_siblingof(&c, &c) == 0);
}

void tparams_lookup(Arena *a, const Image *img, const char *const *names, size_t n, TParams *out)
{
    memset(out, 0, n * sizeof *out);
    if (!n || !tparams_available(img))
        return;
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    Table t = {names, arena_array(a, cap, sizeof(size_t)), cap - 1, out, a};
    for (size_t i = 0; i < n; i++) {
        size_t j = strhash(names[i]) & t.mask;
        while (t.slots[j] && strcmp(names[t.slots[j] - 1], names[i]) != 0)
            j = (j + 1) & t.mask;
        t.slots[j] = i + 1;
    }
    Elf *elf = elf_memory((char *)img->data, img->size);
    Dwarf *dw = elf ? dwarf_begin_elf(elf, DWARF_C_READ, NULL) : NULL;
    DebugAlt *alt = dw ? debuginfo_alt_set(a, dw, img->path, NULL) : NULL;
    if (dw) {
        Dwarf_Off off = 0, next;
        size_t hsize;
        while (dwarf_next_unit(dw, off, &next, &hsize, NULL, NULL, NULL, NULL, NULL, NULL) == 0) {
            Dwarf_Die cu;
            if (dwarf_offdie(dw, off + hsize, &cu))
                walk(&t, &cu, 0);
            off = next;
        }
        dwarf_end(dw);
        debuginfo_alt_end(alt);
    }
    if (elf)
        elf_end(elf);
    /* Duplicate names share the first one's answer. */
    for (size_t i = 0; i < n; i++) {
        size_t k = find(&t, names[i]);
        if (k && k - 1 != i)
            out[i] = out[k - 1];
    }
}
