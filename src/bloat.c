/* bloat.c — cargo-bloat's table and JSON (see bloat.h). The shapes follow
 * cargo-bloat 0.12: columns right-aligned but the last, one space apart; a
 * footer for the rows beyond -n and one for the section's (or the filter's)
 * total; JSON {"file-size", "text-section-size", "functions"|"crates"}, with
 * a function's "crate" left out when it is not known. */
#include "bloat.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "render.h"

void bloat_size(char *buf, size_t len, uint64_t bytes)
{
    if (bytes >= 1024 * 1024)
        snprintf(buf, len, "%.1fMiB", (double)bytes / (1024.0 * 1024.0));
    else if (bytes >= 1024)
        snprintf(buf, len, "%.1fKiB", (double)bytes / 1024.0);
    else
        snprintf(buf, len, "%" PRIu64 "B", bytes);
}

static uint64_t row_size(const Row *r, const BloatOpts *o)
{
    return o->nobits ? r->vm_size : r->file_size;
}

static const char *row_crate(const Row *r, const BloatOpts *o)
{
    return o->crates ? r->name : r->leaf->crate;
}

static void bloat_json(FILE *out, const Account *acct, const View *v, const BloatOpts *o)
{
    json_t *root = json_object(), *items = json_array();
    json_object_set_new(root, "file-size", json_integer((json_int_t)acct->file_size));
    json_object_set_new(root, "text-section-size", json_integer((json_int_t)o->section_size));
    for (size_t i = 0; i < v->nrows; i++) {
        const Row *r = &v->rows[i];
        json_t *item = json_object();
        if (o->crates) {
            json_object_set_new(item, "name", json_string(r->name));
        } else {
            /* bytes no symbol covers ([section .text]) have no crate either */
            if (r->leaf->kind == LEAF_SYMBOL && strcmp(r->leaf->crate, "[unknown]") != 0)
                json_object_set_new(item, "crate", json_string(r->leaf->crate));
            json_object_set_new(item, "name", json_string(r->name));
        }
        json_object_set_new(item, "size", json_integer((json_int_t)row_size(r, o)));
        json_array_append_new(items, item);
    }
    json_object_set_new(root, o->crates ? "crates" : "functions", items);
    json_dumpf(root, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
}

/* ---- the table: cells first, then widths, then lines ---- */

typedef struct Table {
    char *(*cells)[5];
    size_t nrows, ncols;
} Table;

static void put_cells(Table *t, Arena *a, const char *pfile, const char *psect, const char *size,
                      const char *crate, const char *name, const BloatOpts *o)
{
    char **c = t->cells[t->nrows++];
    size_t k = 0;
    if (o->relative) {
        c[k++] = arena_strdup(a, pfile);
        c[k++] = arena_strdup(a, psect);
    }
    c[k++] = arena_strdup(a, size);
    c[k++] = arena_strdup(a, crate);
    if (!o->crates)
        c[k++] = arena_strdup(a, name);
}

static void put_row(Table *t, Arena *a, const char *pfile, const char *psect, uint64_t size, const char *crate,
                    const char *name, const BloatOpts *o)
{
    char buf[32];
    bloat_size(buf, sizeof buf, size);
    put_cells(t, a, pfile, psect, buf, crate, name, o);
}

static void pct(char *buf, size_t len, uint64_t part, uint64_t whole)
{
    snprintf(buf, len, "%.1f%%", whole ? 100.0 * (double)part / (double)whole : 0.0);
}

static void print_table(FILE *out, const Table *t, int width)
{
    size_t w[5] = {0}, fixed = 0;
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++)
            if (render_text_width(t->cells[r][c]) > w[c])
                w[c] = render_text_width(t->cells[r][c]);
    for (size_t c = 0; c + 1 < t->ncols; c++)
        fixed += w[c] + 1;
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c + 1 < t->ncols; c++) {
            fprintf(out, "%*s", (int)(w[c] - render_text_width(t->cells[r][c])), "");
            render_text(out, t->cells[r][c]);
            fputc(' ', out);
        }
        const char *last = t->cells[r][t->ncols - 1];
        size_t room = width > 0 && (size_t)width > fixed + 3 ? (size_t)width - fixed : 0;
        if (!room || render_text_width(last) <= room) {
            render_text(out, last);
            fputc('\n', out);
            continue;
        }
        /* cut to room columns, ending in "..." as cargo-bloat does */
        for (size_t col = render_text_upto(out, last, room - 3); col < room - 3; col++)
            fputc(' ', out);
        fputs("...\n", out);
    }
}

void bloat_render(FILE *out, const Account *acct, const View *v, const BloatOpts *o)
{
    if (o->json) {
        bloat_json(out, acct, v, o);
        return;
    }
    Arena *a = arena_new();
    Table t = {arena_array(a, v->nrows + 3, sizeof *t.cells), 0, (o->relative ? 2 : 0) + (o->crates ? 2 : 3)};
    put_cells(&t, a, "File", o->section, "Size", "Crate", "Name", o);
    char pf[32], ps[32], label[256], total_h[32];
    uint64_t shown = 0;
    for (size_t i = 0; i < v->nrows; i++) {
        uint64_t size = row_size(&v->rows[i], o);
        shown += size;
        pct(pf, sizeof pf, size, acct->file_size);
        pct(ps, sizeof ps, size, o->section_size);
        put_row(&t, a, pf, ps, size, row_crate(&v->rows[i], o), v->rows[i].name, o);
    }
    uint64_t rest = o->nobits ? v->rest.vm_size : v->rest.file_size;
    bloat_size(total_h, sizeof total_h, acct->file_size);
    pct(pf, sizeof pf, rest, acct->file_size);
    pct(ps, sizeof ps, rest, o->section_size);
    if (o->crates) {
        if (v->rest.rows) {
            snprintf(label, sizeof label, "And %" PRIu64 " more crates. Use -n N to show more.", v->rest.rows);
            put_row(&t, a, pf, ps, rest, label, "", o);
        }
    } else {
        snprintf(label, sizeof label, "And %" PRIu64 " smaller methods. Use -n N to show more.", v->rest.rows);
        put_row(&t, a, pf, ps, rest, "", label, o);
    }
    uint64_t total = o->filtered ? shown + rest : o->section_size;
    pct(pf, sizeof pf, total, acct->file_size);
    pct(ps, sizeof ps, total, o->section_size);
    if (o->filtered)
        snprintf(label, sizeof label, "filtered data size, the file size is %s", total_h);
    else
        snprintf(label, sizeof label, "%s section size, the file size is %s", o->section, total_h);
    if (o->crates)
        put_row(&t, a, pf, ps, total, label, "", o);
    else
        put_row(&t, a, pf, ps, total, "", label, o);
    print_table(out, &t, o->width);
    arena_free(a);
}
