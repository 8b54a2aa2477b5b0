/* render.c — tables, JSON, CSV and TSV for the core views (see render.h and
 * docs/json.md for the JSON schema). */
#include "render.h"

#include <elf.h>
#include <inttypes.h>
#include <string.h>

#include "version.h"

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RESET "\033[0m"

void render_human(char *buf, size_t len, uint64_t bytes)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) {
        snprintf(buf, len, "%" PRIu64 " B", bytes);
        return;
    }
    double v = (double)bytes / 1024;
    int u = 0;
    while (v >= 1024 && u < 3)
        v /= 1024, u++;
    snprintf(buf, len, "%.1f %s", v, units[u]);
}

static double pct(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static const char *section_type(uint32_t t)
{
    switch (t) {
    case SHT_NULL: return "NULL";
    case SHT_PROGBITS: return "PROGBITS";
    case SHT_SYMTAB: return "SYMTAB";
    case SHT_STRTAB: return "STRTAB";
    case SHT_RELA: return "RELA";
    case SHT_HASH: return "HASH";
    case SHT_DYNAMIC: return "DYNAMIC";
    case SHT_NOTE: return "NOTE";
    case SHT_NOBITS: return "NOBITS";
    case SHT_REL: return "REL";
    case SHT_DYNSYM: return "DYNSYM";
    case SHT_INIT_ARRAY: return "INIT_ARRAY";
    case SHT_FINI_ARRAY: return "FINI_ARRAY";
    case SHT_GROUP: return "GROUP";
    case SHT_GNU_HASH: return "GNU_HASH";
    case SHT_GNU_versym: return "VERSYM";
    case SHT_GNU_verneed: return "VERNEED";
    case SHT_GNU_verdef: return "VERDEF";
    default: return "OTHER";
    }
}

static const char *symbols_from(const Image *img)
{
    return img->has_symtab ? "symtab" : img->has_dynsym ? "dynsym" : "none";
}

/* Section share of a symbol row: of the section's file bytes, or of its VM
 * bytes for sections not in the file (.bss). */
static bool section_share(const Account *acct, const Row *r, double *out)
{
    if (!r->leaf || r->leaf->section == IMG_NONE)
        return false;
    const Section *s = &acct->img->sections[r->leaf->section];
    if (s->file_size)
        *out = pct(r->file_size, s->file_size);
    else if (s->vm_size)
        *out = pct(r->vm_size, s->vm_size);
    else
        return false;
    return true;
}

static const char *row_section(const Account *acct, const Row *r)
{
    if (r->leaf && r->leaf->section != IMG_NONE)
        return image_section_name(acct->img, r->leaf->section);
    return NULL;
}

static const char *row_kind(const Row *r)
{
    static const char *const kinds[] = {"symbol", "section", "header", "padding", "unmapped", "member"};
    return r->leaf ? kinds[r->leaf->kind] : NULL;
}

/* The archive member a symbols row comes from, or NULL. */
static const char *row_member(const Account *acct, const Row *r)
{
    if (!acct->img->archive || !r->leaf || r->leaf->member == IMG_NONE)
        return NULL;
    return acct->img->members[r->leaf->member].name;
}

static const char *member_kind(const Member *m)
{
    static const char *const kinds[] = {"elf", "other", "symbol index", "long names"};
    return m ? kinds[m->kind] : "archive";
}

static void flags_str(char *buf, uint32_t f)
{
    buf[0] = (f & PF_R) ? 'R' : '-';
    buf[1] = (f & PF_W) ? 'W' : '-';
    buf[2] = (f & PF_X) ? 'X' : '-';
    buf[3] = '\0';
}

/* ---- JSON ----
 *
 * Rows are written directly rather than through jansson: building a jansson
 * tree per row took twice as long as nm's whole run on a quarter million
 * symbols, and jansson refuses strings that are not UTF-8, which symbol
 * names from a hostile file need not be. Tests read it back with jansson. */

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (c >= 0xf5)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if (n == 3 && ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0)))
        return 0; /* overlong, surrogate */
    if (n == 4 && ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90)))
        return 0;
    return n;
}

static void json_str(FILE *out, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    fputc('"', out);
    while (*s) {
        const unsigned char *run = s;
        while (*s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
            s++;
        fwrite(run, 1, (size_t)(s - run), out);
        if (!*s)
            break;
        if (*s == '"' || *s == '\\') {
            fputc('\\', out);
            fputc(*s++, out);
        } else if (*s < 0x20) {
            fprintf(out, "\\u%04x", *s++);
        } else {
            size_t n = utf8_len(s);
            if (n) {
                fwrite(s, 1, n, out);
                s += n;
            } else {
                fputs("\\ufffd", out); /* not UTF-8 */
                s++;
            }
        }
    }
    fputc('"', out);
}

static void json_key_str(FILE *out, const char *key, const char *val)
{
    fprintf(out, ", \"%s\": ", key);
    if (val)
        json_str(out, val);
    else
        fputs("null", out);
}

static void json_key_int(FILE *out, const char *key, uint64_t v)
{
    fprintf(out, ", \"%s\": %" PRIu64, key, v);
}

static void json_sum(FILE *out, const char *key, const Sum *s, bool owned)
{
    fprintf(out, ", \"%s\": {\"rows\": %" PRIu64 ", \"file_size\": %" PRIu64 ", \"vm_size\": %" PRIu64, key,
            s->rows, s->file_size, s->vm_size);
    if (owned)
        fprintf(out, ", \"owned\": %" PRIu64, s->owned);
    fputc('}', out);
}

static void json_row(FILE *out, const Account *acct, const View *v, const Row *r)
{
    ViewKind kind = v->kind;
    fputs("{\"name\": ", out);
    json_str(out, r->name);
    json_key_int(out, "file_size", r->file_size);
    json_key_int(out, "vm_size", r->vm_size);
    if (kind == VIEW_SYMBOLS) {
        const Leaf *l = r->leaf;
        json_key_str(out, "kind", row_kind(r));
        json_key_str(out, "section", row_section(acct, r));
        json_key_str(out, "crate", l->crate);
        json_key_int(out, "address", l->addr);
        if (acct->img->archive)
            json_key_str(out, "member", row_member(acct, r));
        if (l->kind == LEAF_SYMBOL) {
            json_key_int(out, "symbol_size", l->sym_size);
            if (v->owners)
                json_key_int(out, "owned", r->owned);
            json_key_str(out, "raw", l->raw);
            json_key_str(out, "lang", names_lang_name(l->lang));
            if (l->inst_crate)
                json_key_str(out, "instantiating_crate", l->inst_crate);
            if (l->naliases) {
                fputs(", \"aliases\": [", out);
                for (uint32_t i = 0; i < l->naliases; i++) {
                    if (i)
                        fputs(", ", out);
                    json_str(out, l->aliases[i]);
                }
                fputc(']', out);
            }
        }
    } else if (kind == VIEW_CRATES) {
        json_key_int(out, "symbols", r->count);
        if (r->defining) {
            json_key_str(out, "defining", r->defining);
            json_key_str(out, "instantiating", r->instantiating);
        }
    } else if (kind == VIEW_SECTIONS && r->section) {
        json_key_str(out, "type", section_type(r->section->type));
        json_key_int(out, "address", r->section->addr);
        json_key_int(out, "offset", r->section->offset);
        json_key_int(out, "size", r->section->size);
    } else if (kind == VIEW_MEMBERS) {
        json_key_str(out, "kind", member_kind(r->member));
        json_key_int(out, "offset", r->member ? r->member->offset : r->addr);
        if (r->member) {
            json_key_int(out, "header_offset", r->member->header_offset);
            json_key_int(out, "size", r->member->size);
            json_key_int(out, "text", r->text);
            json_key_int(out, "data", r->data);
            json_key_int(out, "bss", r->bss);
            json_key_int(out, "symbols", r->count);
            if (r->member->note)
                json_key_str(out, "note", r->member->note);
        }
    } else if (kind == VIEW_SEGMENTS && r->segment) {
        char fl[4];
        flags_str(fl, r->segment->flags);
        json_key_str(out, "flags", fl);
        json_key_int(out, "offset", r->segment->offset);
        json_key_int(out, "address", r->segment->vaddr);
        json_key_int(out, "segment_file_size", r->segment->file_size);
        json_key_int(out, "segment_mem_size", r->segment->mem_size);
    }
    fputc('}', out);
}

static void json_rows(FILE *out, const Account *acct, const View *v)
{
    fputc('[', out);
    for (size_t i = 0; i < v->nrows; i++) {
        fputs(i ? ",\n  " : "\n  ", out);
        json_row(out, acct, v, &v->rows[i]);
    }
    fputs(v->nrows ? "\n]" : "]", out);
}

/* unknown_size: the [unknown] symbols' bytes, with what they own when the
 * view counts owners, as their crates row does. */
static uint64_t unknown_size(const Account *acct, bool owners)
{
    return acct->unknown_size + (owners ? acct->unknown_owned : 0);
}

static void json_head(FILE *out, const Account *acct, ViewKind kind, bool owners)
{
    fprintf(out, "{\"schema\": \"heft.view/1\"");
    json_key_str(out, "heft_version", HEFT_VERSION);
    json_key_str(out, "file", acct->img->path);
    json_key_str(out, "view", view_name(kind));
    json_key_int(out, "file_size", acct->file_size);
    json_key_int(out, "vm_size", acct->vm_size);
    json_key_str(out, "symbols_from", symbols_from(acct->img));
    json_key_int(out, "unknown_size", unknown_size(acct, owners));
    json_key_int(out, "zero_size_symbols", acct->zero_size_symbols);
    json_key_int(out, "overlapped_symbols", acct->overlapped_symbols);
    if (acct->img->archive)
        json_key_int(out, "members", acct->img->nmembers);
}

static void json_view(FILE *out, const Account *acct, const View *v)
{
    json_head(out, acct, v->kind, v->owners);
    bool owned = v->owners && v->kind == VIEW_SYMBOLS;
    if (v->owners)
        json_key_int(out, "owned_size", acct->shifted);
    json_sum(out, "rest", &v->rest, owned);
    json_sum(out, "filtered_out", &v->filtered_out, owned);
    fputs(", \"rows\": ", out);
    json_rows(out, acct, v);
    fputs("}\n", out);
}

/* ---- names as text ----
 *
 * Names are bytes from the file. In tables and TSV, every byte that is not
 * part of printable UTF-8 (C0 controls, DEL, C1 controls whether a lone byte
 * or encoded, bytes outside a valid sequence) is written as \xHH: a name must
 * not move the cursor, recolour or retitle the terminal, or forge a row.
 * Widths are those of the escaped form. */

/* Bytes of the character at s; *escaped: it is written as \xHH, byte by byte. */
static size_t text_char(const unsigned char *s, bool *escaped)
{
    size_t n = *s >= 0x80 ? utf8_len(s) : 1;
    *escaped = *s < 0x20 || *s == 0x7f || n == 0 || (n == 2 && s[0] == 0xc2 && s[1] < 0xa0);
    return n ? n : 1;
}

/* Display width (code points, each escaped byte 4; names are rarely wider). */
static size_t text_width(const char *str)
{
    size_t w = 0;
    for (const unsigned char *s = (const unsigned char *)str; *s;) {
        bool esc;
        size_t n = text_char(s, &esc);
        w += esc ? 4 * n : 1;
        s += n;
    }
    return w;
}

/* Writes as much of str as fits in room columns; returns the columns written. */
static size_t put_text_upto(FILE *out, const char *str, size_t room)
{
    size_t w = 0;
    const unsigned char *s = (const unsigned char *)str;
    while (*s && w < room) {
        const unsigned char *run = s; /* printable ASCII, the common case, in one write */
        while (*s >= 0x20 && *s < 0x7f && w + (size_t)(s - run) < room)
            s++;
        fwrite(run, 1, (size_t)(s - run), out);
        w += (size_t)(s - run);
        if (!*s || w == room)
            break;
        bool esc;
        size_t n = text_char(s, &esc), cw = esc ? 4 * n : 1;
        if (w + cw > room)
            break;
        if (esc)
            for (size_t i = 0; i < n; i++)
                fprintf(out, "\\x%02x", s[i]);
        else
            fwrite(s, 1, n, out);
        w += cw;
        s += n;
    }
    return w;
}

static void put_text(FILE *out, const char *s)
{
    put_text_upto(out, s, SIZE_MAX);
}

/* s in room columns (0: all), ending in "…" when cut. */
static void put_cut(FILE *out, const char *s, int room)
{
    if (room <= 0 || text_width(s) <= (size_t)room) {
        put_text(out, s);
        return;
    }
    for (size_t w = put_text_upto(out, s, (size_t)room - 1); w < (size_t)room - 1; w++)
        fputc(' ', out); /* an escape that did not fit */
    fputs("…", out);
}

/* ---- CSV / TSV ---- */

static void sv_field(FILE *out, const char *s, Format f)
{
    if (f == FMT_TSV) { /* no quoting in TSV: a tab or newline would split the row */
        put_text(out, s);
        return;
    }
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void sv_view(FILE *out, const Account *acct, const View *v, Format f)
{
    char sep = f == FMT_TSV ? '\t' : ',';
    fprintf(out, "file_size%cvm_size%csection%ccrate%cname\n", sep, sep, sep, sep);
    for (size_t i = 0; i < v->nrows; i++) {
        const Row *r = &v->rows[i];
        const char *sec = v->kind == VIEW_SYMBOLS ? row_section(acct, r) : NULL;
        const char *crate = v->kind == VIEW_SYMBOLS ? r->leaf->crate : "";
        fprintf(out, "%" PRIu64 "%c%" PRIu64 "%c", r->file_size, sep, r->vm_size, sep);
        sv_field(out, sec ? sec : "", f);
        fputc(sep, out);
        sv_field(out, crate, f);
        fputc(sep, out);
        sv_field(out, r->name, f);
        fputc('\n', out);
    }
}

/* ---- tables ---- */

static void put_padded(FILE *out, const char *s, size_t width)
{
    put_text(out, s);
    for (size_t w = text_width(s); w < width; w++)
        fputc(' ', out);
}

typedef struct Cols {
    bool owned; /* the symbols view's Owned column */
    bool sect_pct, section, crate, count, vm_pct, seg, member, tdb;
    size_t section_w, crate_w, member_w;
} Cols;

static int table_prefix_width(const Cols *c)
{
    int w = 10 + 10 + 7;
    if (c->owned)
        w += 10;
    if (c->vm_pct)
        w += 7;
    if (c->sect_pct)
        w += 7;
    if (c->seg)
        w += 5 + 12 + 20;
    if (c->count)
        w += 9;
    if (c->section)
        w += 2 + (int)c->section_w;
    if (c->crate)
        w += 2 + (int)c->crate_w;
    if (c->member)
        w += 2 + (int)c->member_w;
    if (c->tdb)
        w += 3 * 10 + 9;
    return w + 2;
}

static void table_header(FILE *out, const Cols *c, const RenderOpts *o)
{
    if (o->color)
        fputs(BOLD, out);
    fprintf(out, "%10s%10s", "File", "VM");
    if (c->owned)
        fprintf(out, "%10s", "Owned");
    fprintf(out, "%7s", "File%");
    if (c->vm_pct)
        fprintf(out, "%7s", "VM%");
    if (c->sect_pct)
        fprintf(out, "%7s", "Sect%");
    if (c->seg)
        fprintf(out, "  %-3s%12s%20s", "RWX", "Offset", "Address");
    if (c->count)
        fprintf(out, "%9s", "Symbols");
    if (c->section) {
        fputs("  ", out);
        put_padded(out, "Section", c->section_w);
    }
    if (c->crate) {
        fputs("  ", out);
        put_padded(out, "Crate", c->crate_w);
    }
    if (c->member) {
        fputs("  ", out);
        put_padded(out, "Member", c->member_w);
    }
    if (c->tdb)
        fprintf(out, "%10s%10s%10s%9s", "Text", "Data", "Bss", "Symbols");
    fputs("  Name", out);
    if (o->color)
        fputs(RESET, out);
    fputc('\n', out);
}

static void table_sizes(FILE *out, const Sum *s, const Account *acct, const Cols *c)
{
    char a[32], b[32];
    render_human(a, sizeof a, s->file_size);
    render_human(b, sizeof b, s->vm_size);
    fprintf(out, "%10s%10s", a, b);
    if (c->owned) {
        render_human(a, sizeof a, s->owned);
        fprintf(out, "%10s", s->owned ? a : "");
    }
    fprintf(out, "%6.1f%%", pct(s->file_size, acct->file_size));
    if (c->vm_pct)
        fprintf(out, "%6.1f%%", pct(s->vm_size, acct->vm_size));
}

/* A footer line: the sizes in the table's columns, then its label. */
static void table_footer(FILE *out, const Account *acct, const Cols *c, const Sum *s, const char *label,
                         const RenderOpts *o)
{
    if (o->color)
        fputs(DIM, out);
    table_sizes(out, s, acct, c);
    for (int pad = table_prefix_width(c) - 27 - (c->vm_pct ? 7 : 0) - (c->owned ? 10 : 0); pad > 0; pad--)
        fputc(' ', out);
    fputs(label, out);
    if (o->color)
        fputs(RESET, out);
    fputc('\n', out);
}

static void table_view(FILE *out, const Account *acct, const View *v, const RenderOpts *o)
{
    Cols c = {0};
    c.sect_pct = c.section = c.crate = v->kind == VIEW_SYMBOLS;
    c.owned = v->owners && v->kind == VIEW_SYMBOLS;
    c.count = v->kind == VIEW_CRATES;
    c.vm_pct = v->kind == VIEW_SECTIONS || v->kind == VIEW_SEGMENTS || v->kind == VIEW_UNITS || v->kind == VIEW_FILES;
    c.seg = v->kind == VIEW_SEGMENTS;
    c.member = c.section && acct->img->archive;
    c.tdb = v->kind == VIEW_MEMBERS;
    c.section_w = strlen("Section");
    c.crate_w = strlen("Crate");
    c.member_w = strlen("Member");
    for (size_t i = 0; i < v->nrows && c.section; i++) {
        const char *sec = row_section(acct, &v->rows[i]);
        size_t w = sec ? text_width(sec) : 0;
        size_t cw = text_width(v->rows[i].leaf->crate);
        const char *mem = row_member(acct, &v->rows[i]);
        size_t mw = mem ? text_width(mem) : 0;
        c.section_w = w > c.section_w ? (w > 20 ? 20 : w) : c.section_w;
        c.crate_w = cw > c.crate_w ? (cw > 24 ? 24 : cw) : c.crate_w;
        c.member_w = mw > c.member_w ? (mw > 24 ? 24 : mw) : c.member_w;
    }
    table_header(out, &c, o);
    int room = o->width ? o->width - table_prefix_width(&c) : 0;
    if (o->width && room < 20)
        room = 20;
    for (size_t i = 0; i < v->nrows; i++) {
        const Row *r = &v->rows[i];
        Sum rs = {1, r->file_size, r->vm_size, r->owned};
        table_sizes(out, &rs, acct, &c);
        if (c.sect_pct) {
            double p;
            if (section_share(acct, r, &p))
                fprintf(out, "%6.1f%%", p);
            else
                fprintf(out, "%7s", "");
        }
        if (c.seg) {
            char fl[4] = "";
            if (r->segment)
                flags_str(fl, r->segment->flags);
            if (r->segment)
                fprintf(out, "  %-3s%#12" PRIx64 "%#20" PRIx64, fl, r->segment->offset, r->segment->vaddr);
            else
                fprintf(out, "  %-3s%12s%20s", "", "", "");
        }
        if (c.count)
            fprintf(out, "%9" PRIu64, r->count);
        if (c.section) {
            const char *sec = row_section(acct, r);
            fputs("  ", out);
            put_cut(out, sec ? sec : "", (int)c.section_w);
            for (size_t w = text_width(sec ? sec : ""); w < c.section_w; w++)
                fputc(' ', out);
        }
        if (c.crate) {
            fputs("  ", out);
            put_cut(out, r->leaf->crate, (int)c.crate_w);
            for (size_t w = text_width(r->leaf->crate); w < c.crate_w; w++)
                fputc(' ', out);
        }
        if (c.member) {
            const char *mem = row_member(acct, r);
            fputs("  ", out);
            put_cut(out, mem ? mem : "", (int)c.member_w);
            for (size_t w = text_width(mem ? mem : ""); w < c.member_w; w++)
                fputc(' ', out);
        }
        if (c.tdb && r->member) {
            char t[32], d[32], b[32];
            render_human(t, sizeof t, r->text);
            render_human(d, sizeof d, r->data);
            render_human(b, sizeof b, r->bss);
            fprintf(out, "%10s%10s%10s%9" PRIu64, t, d, b, r->count);
        } else if (c.tdb) {
            fprintf(out, "%39s", "");
        }
        fputs("  ", out);
        put_cut(out, r->name, room);
        if (c.tdb && r->member && r->member->note)
            fprintf(out, " (%s)", r->member->note);
        if (r->leaf && r->leaf->naliases)
            fprintf(out, " (+%u alias%s)", r->leaf->naliases, r->leaf->naliases == 1 ? "" : "es");
        fputc('\n', out);
    }
    char label[128];
    if (v->rest.rows) {
        snprintf(label, sizeof label, "%" PRIu64 " more row%s not shown (-n 0 shows all)", v->rest.rows,
                 v->rest.rows == 1 ? "" : "s");
        table_footer(out, acct, &c, &v->rest, label, o);
    }
    if (v->filtered_out.rows) {
        snprintf(label, sizeof label, "%" PRIu64 " row%s filtered out", v->filtered_out.rows,
                 v->filtered_out.rows == 1 ? "" : "s");
        table_footer(out, acct, &c, &v->filtered_out, label, o);
    }
    /* The totals are the file's and the image's: the rows' File and VM
     * plus their Owned, whose own total is in its column. */
    Sum total = {0, acct->file_size, acct->vm_size, v->rest.owned + v->filtered_out.owned};
    for (size_t i = 0; c.owned && i < v->nrows; i++)
        total.owned += v->rows[i].owned;
    snprintf(label, sizeof label, "total: file %" PRIu64 " B, VM %" PRIu64 " B%s", acct->file_size, acct->vm_size,
             c.owned ? " (Owned included)" : "");
    table_footer(out, acct, &c, &total, label, o);
}

void render_view(FILE *out, const Account *acct, const View *v, const RenderOpts *o)
{
    switch (o->format) {
    case FMT_JSON:
        json_view(out, acct, v);
        break;
    case FMT_CSV:
    case FMT_TSV:
        sv_view(out, acct, v, o->format);
        break;
    case FMT_TABLE:
    case FMT_MARKDOWN: /* only diff and check take it; views are tables */
        table_view(out, acct, v, o);
        break;
    }
}

void render_heading(FILE *out, const char *title, const RenderOpts *o)
{
    fprintf(out, "%s%s%s\n", o->color ? BOLD : "", title, o->color ? RESET : "");
}

static const char *machine_name(uint16_t m)
{
    switch (m) {
    case EM_X86_64: return "x86-64";
    case EM_386: return "x86";
    case EM_AARCH64: return "AArch64";
    case EM_ARM: return "ARM";
    case EM_RISCV: return "RISC-V";
    case EM_PPC: return "PowerPC";
    case EM_PPC64: return "PowerPC64";
    case EM_MIPS: return "MIPS";
    case EM_S390: return "s390";
    case EM_SPARCV9: return "SPARC V9";
    default: return NULL;
    }
}

static const char *elf_kind_name(uint16_t k)
{
    switch (k) {
    case ET_REL: return "relocatable object";
    case ET_EXEC: return "executable";
    case ET_DYN: return "shared object / PIE executable";
    case ET_CORE: return "core dump";
    default: return "ELF file";
    }
}

void render_summary(FILE *out, const Account *acct, const View *sections, const View *crates, const View *symbols,
                    const RenderOpts *o)
{
    const Image *img = acct->img;
    if (o->format == FMT_JSON) {
        json_head(out, acct, VIEW_SUMMARY, crates->owners);
        fputs(", \"rows\": ", out);
        json_rows(out, acct, sections);
        fputs(", \"crates\": ", out);
        json_rows(out, acct, crates);
        fputs(", \"symbols\": ", out);
        json_rows(out, acct, symbols);
        fputs("}\n", out);
        return;
    }
    if (o->format != FMT_TABLE) {
        render_view(out, acct, sections, o);
        return;
    }
    char f[32], v[32], u[32];
    render_human(f, sizeof f, acct->file_size);
    render_human(v, sizeof v, acct->vm_size);
    render_human(u, sizeof u, unknown_size(acct, crates->owners));
    const char *mach = machine_name(img->machine);
    fputs(o->color ? BOLD : "", out);
    put_text(out, img->path);
    fprintf(out, "%s: ", o->color ? RESET : "");
    if (img->archive) {
        uint32_t elf = 0, other = 0;
        for (uint32_t i = 0; i < img->nmembers; i++) {
            elf += img->members[i].kind == MEMBER_ELF;
            other += img->members[i].kind == MEMBER_OTHER;
        }
        fprintf(out, "ar archive, %u ELF object%s, %u other member%s%s", elf, elf == 1 ? "" : "s", other,
                other == 1 ? "" : "s", elf ? ", " : "");
    }
    if (!img->archive || img->elf_class) { /* an archive without ELF members has no machine */
        fprintf(out, "ELF%d %s-endian %s, ", img->elf_class, img->big_endian ? "big" : "little",
                img->archive ? "relocatable objects" : elf_kind_name(img->kind));
        if (mach)
            fputs(mach, out);
        else
            fprintf(out, "machine %u", img->machine);
    }
    fputc('\n', out);
    fprintf(out, "file size %s (%" PRIu64 " B), VM size %s (%" PRIu64 " B), %u symbols from %s, [unknown] %s\n\n", f,
            acct->file_size, v, acct->vm_size, img->nsymbols, symbols_from(img), u);
    fprintf(out, "%sSections%s\n", o->color ? BOLD : "", o->color ? RESET : "");
    table_view(out, acct, sections, o);
    fprintf(out, "\n%sCrates and namespaces%s\n", o->color ? BOLD : "", o->color ? RESET : "");
    table_view(out, acct, crates, o);
    fprintf(out, "\n%sLargest symbols%s\n", o->color ? BOLD : "", o->color ? RESET : "");
    table_view(out, acct, symbols, o);
}

void render_json_string(FILE *out, const char *s)
{
    json_str(out, s);
}

void render_sv_field(FILE *out, const char *s, Format f)
{
    sv_field(out, s, f);
}

void render_text(FILE *out, const char *s)
{
    put_text(out, s);
}

void render_cut(FILE *out, const char *s, int room)
{
    put_cut(out, s, room);
}

size_t render_text_upto(FILE *out, const char *s, size_t room)
{
    return put_text_upto(out, s, room);
}

size_t render_text_width(const char *s)
{
    return text_width(s);
}
