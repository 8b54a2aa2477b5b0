/* imgaddr.c — sections by address (see imgaddr.h): a sorted array of the
 * loaded sections' start addresses and a binary search for the last one
 * starting at or before an address. Overlapping sections (a hostile file's)
 * resolve to the one starting last, which is enough: each lookup either
 * finds file bytes that hold the address or says none do. */
#include "imgaddr.h"

#include <elf.h>

#include "keysort.h"

void imgaddr_init(Arena *a, ImgAddr *m, const Image *img)
{
    m->img = img;
    m->secs = arena_array(a, img->nsections ? img->nsections : 1, sizeof *m->secs);
    m->loaded = arena_array(a, img->nsections ? img->nsections : 1, sizeof *m->loaded);
    m->n = m->nloaded = 0;
    for (uint32_t i = 0; i < img->nsections; i++) {
        const Section *s = &img->sections[i];
        if ((s->flags & SHF_ALLOC) && s->file_size && s->offset <= img->size && s->file_size <= img->size - s->offset)
            m->secs[m->n++] = (ImgAddrSec){s->addr, i};
        if ((s->flags & SHF_ALLOC) && s->vm_size)
            m->loaded[m->nloaded++] = (ImgAddrSec){s->addr, i};
    }
    keysort(m->secs, m->n, sizeof *m->secs);
    keysort(m->loaded, m->nloaded, sizeof *m->loaded);
}

bool imgaddr_loaded(const ImgAddr *m, uint64_t addr)
{
    size_t k = keysort_upto(m->loaded, m->nloaded, sizeof *m->loaded, addr);
    const Section *s = k ? &m->img->sections[m->loaded[k - 1].index] : NULL;
    return s && addr - s->addr < s->vm_size;
}

static bool holds(const Section *s, uint64_t addr)
{
    return s->addr <= addr && addr - s->addr < s->file_size;
}

const Section *imgaddr_section(const ImgAddr *m, uint64_t addr, size_t *hint)
{
    if (!m->n)
        return NULL;
    size_t h = *hint < m->n ? *hint : 0;
    const Section *s = &m->img->sections[m->secs[h].index];
    if (holds(s, addr))
        return s;
    if (h + 1 < m->n && (s = &m->img->sections[m->secs[h + 1].index], holds(s, addr))) {
        *hint = h + 1;
        return s;
    }
    size_t lo = keysort_upto(m->secs, m->n, sizeof *m->secs, addr);
    if (!lo)
        return NULL;
    *hint = lo - 1;
    s = &m->img->sections[m->secs[lo - 1].index];
    return holds(s, addr) ? s : NULL;
}

bool imgaddr_word(const ImgAddr *m, uint64_t addr, unsigned size, uint64_t *out)
{
    size_t hint = 0;
    const Section *s = imgaddr_section(m, addr, &hint);
    if (!s || size < 1 || size > 8 || s->file_size - (addr - s->addr) < size)
        return false;
    const unsigned char *b = m->img->data + s->offset + (addr - s->addr);
    uint64_t v = 0;
    for (unsigned k = 0; k < size; k++)
        v = v << 8 | b[m->img->big_endian ? k : size - 1 - k];
    *out = v;
    return true;
}
