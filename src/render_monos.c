/* render_monos.c — tables, JSON, CSV and TSV for `heft monos` (see
 * render_monos.h; JSON schema in docs/monos.md). */
#include "render_monos.h"

#include <inttypes.h>
#include <string.h>

#include "generics.h"
#include "version.h"

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RESET "\033[0m"

static const char V0_HINT[] =
    "type arguments: Rust legacy names carry only a hash, and the debug info does not list them; build "
    "with RUSTFLAGS=\"-C symbol-mangling-version=v0\" (or with debug = 1 or 2) to see them";

static double pct(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static const char *kind_name(SuggestKind k)
{
    static const char *const names[] = {"none", "outline-conversion", "fold-identical", "inner-fn"};
    return names[k];
}

/* ---- JSON ---- */

static void json_key_str(FILE *out, const char *key, const char *val)
{
    fprintf(out, ", \"%s\": ", key);
    if (val)
        render_json_string(out, val);
    else
        fputs("null", out);
}

static void json_copy(FILE *out, const MonoCopy *c)
{
    fputs("{\"name\": ", out);
    render_json_string(out, c->leaf->name);
    json_key_str(out, "raw", c->leaf->raw);
    fprintf(out, ", \"size\": %" PRIu64 ", \"address\": %" PRIu64, c->size, c->leaf->addr);
    fputs(", \"type_args\": ", out);
    if (c->nargs) {
        fputc('[', out);
        for (uint32_t i = 0; i < c->nargs; i++) {
            if (i)
                fputs(", ", out);
            render_json_string(out, c->args[i]);
        }
        fputc(']', out);
    } else {
        fputs("null", out);
    }
    json_key_str(out, "type_args_from", c->nargs ? (c->args_from_dwarf ? "dwarf" : "name") : NULL);
    json_key_str(out, "instantiating_crate", c->leaf->inst_crate);
    fprintf(out, ", \"same_args\": %s}", c->same_args ? "true" : "false");
}

static void json_group(FILE *out, const MonoGroup *g)
{
    fputs("{\"name\": ", out);
    render_json_string(out, g->name);
    json_key_str(out, "crate", g->crate);
    json_key_str(out, "lang", names_lang_name(g->copies[0].leaf->lang));
    fprintf(out, ", \"copies\": %u, \"total\": %" PRIu64 ", \"largest\": %" PRIu64 ", \"saving\": %" PRIu64,
            g->ncopies, g->total, g->largest, g->saving);
    json_key_str(out, "suggestion", g->suggestion);
    fputs(", \"instances\": [", out);
    for (uint32_t i = 0; i < g->ncopies; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        json_copy(out, &g->copies[i]);
    }
    fputs("]}", out);
}

static void json_head(FILE *out, const MonoReport *r, const char *view)
{
    fputs("{\"schema\": \"heft.monos/1\"", out);
    json_key_str(out, "heft_version", HEFT_VERSION);
    json_key_str(out, "file", r->path);
    json_key_str(out, "view", view);
    fprintf(out, ", \"file_size\": %" PRIu64 ", \"code_size\": %" PRIu64, r->file_size, r->code_size);
    fprintf(out,
            ", \"all\": {\"generics\": %zu, \"copies\": %" PRIu64 ", \"total\": %" PRIu64 ", \"saving\": %" PRIu64
            "}",
            r->all_groups, r->all_copies, r->all_total, r->all_saving);
}

static void json_monos(FILE *out, const MonoReport *r)
{
    json_head(out, r, "generics");
    fputs(", \"estimate\": \"total - largest\"", out);
    fprintf(out,
            ", \"rest\": {\"generics\": %zu, \"copies\": %" PRIu64 ", \"total\": %" PRIu64 ", \"saving\": %" PRIu64
            "}, \"filtered_out\": %zu",
            r->ngroups - r->nshown, r->rest_copies, r->rest_total, r->rest_saving, r->filtered_groups);
    json_key_str(out, "type_args_hint", r->missing_legacy_args ? V0_HINT : NULL);
    fputs(", \"suggestions\": [", out);
    bool first = true;
    for (size_t i = 0; i < r->nshown; i++) {
        const MonoGroup *g = &r->groups[i];
        if (!g->suggestion)
            continue;
        fputs(first ? "\n  " : ",\n  ", out);
        first = false;
        fputs("{\"generic\": ", out);
        render_json_string(out, g->name);
        json_key_str(out, "kind", kind_name(g->suggest));
        fprintf(out, ", \"saving\": %" PRIu64,
                g->suggest == SUGGEST_FOLD_IDENTICAL ? g->identical_saving : g->saving);
        json_key_str(out, "text", g->suggestion);
        fputc('}', out);
    }
    fputs(first ? "]" : "\n]", out);
    fputs(", \"rows\": [", out);
    for (size_t i = 0; i < r->nshown; i++) {
        fputs(i ? ",\n  " : "\n  ", out);
        json_group(out, &r->groups[i]);
    }
    fputs(r->nshown ? "\n]}\n" : "]}\n", out);
}

/* ---- CSV / TSV ---- */

static void sv_monos(FILE *out, const MonoReport *r, Format f)
{
    char sep = f == FMT_TSV ? '\t' : ',';
    fprintf(out, "saving%ctotal%clargest%ccopies%ccrate%cname\n", sep, sep, sep, sep, sep);
    for (size_t i = 0; i < r->nshown; i++) {
        const MonoGroup *g = &r->groups[i];
        fprintf(out, "%" PRIu64 "%c%" PRIu64 "%c%" PRIu64 "%c%u%c", g->saving, sep, g->total, sep, g->largest, sep,
                g->ncopies, sep);
        render_sv_field(out, g->crate, f);
        fputc(sep, out);
        render_sv_field(out, g->name, f);
        fputc('\n', out);
    }
}

/* ---- tables ---- */

static void put_padded(FILE *out, const char *s, size_t width)
{
    render_cut(out, s, (int)width);
    for (size_t w = render_text_width(s); w < width; w++)
        fputc(' ', out);
}

static const char *hsize(char *buf, size_t len, uint64_t b)
{
    render_human(buf, len, b);
    return buf;
}

#define PREFIX_W (10 + 10 + 10 + 8 + 7) /* Saving Total Largest Copies Code% */

static void table_monos(FILE *out, const MonoReport *r, bool expand, const RenderOpts *o)
{
    size_t crate_w = strlen("Crate");
    for (size_t i = 0; i < r->nshown; i++) {
        size_t w = render_text_width(r->groups[i].crate);
        crate_w = w > crate_w ? (w > 24 ? 24 : w) : crate_w;
    }
    int room = o->width ? o->width - PREFIX_W - 2 - (int)crate_w - 2 : 0;
    if (o->width && room < 20)
        room = 20;
    int arg_room = o->width ? o->width - 32 : 0; /* a copy's line: 32 columns, then its arguments */
    if (o->width && arg_room < 20)
        arg_room = 20;
    char a[32], b[32], c[32];
    if (o->color)
        fputs(BOLD, out);
    fprintf(out, "%10s%10s%10s%8s%7s  ", "Saving", "Total", "Largest", "Copies", "Code%");
    put_padded(out, "Crate", crate_w);
    fputs("  Generic\n", out);
    if (o->color)
        fputs(RESET, out);
    for (size_t i = 0; i < r->nshown; i++) {
        const MonoGroup *g = &r->groups[i];
        fprintf(out, "%10s%10s%10s%8u%6.1f%%  ", hsize(a, sizeof a, g->saving), hsize(b, sizeof b, g->total),
                hsize(c, sizeof c, g->largest), g->ncopies, pct(g->total, r->code_size));
        put_padded(out, g->crate, crate_w);
        fputs("  ", out);
        render_cut(out, g->name, room);
        fputc('\n', out);
        if (!expand)
            continue;
        for (uint32_t k = 0; k < g->ncopies; k++) {
            const MonoCopy *cp = &g->copies[k];
            if (o->color)
                fputs(DIM, out);
            fprintf(out, "%20s%10s  ", "", hsize(a, sizeof a, cp->size));
            if (cp->nargs) {
                /* Joined into a bounded buffer so a long list can be cut to the
                 * terminal like names are. */
                char list[4096];
                size_t len = 0;
                for (uint32_t j = 0; j < cp->nargs && len < sizeof list; j++)
                    len += (size_t)snprintf(list + len, sizeof list - len, "%s%s%s", j ? ", " : "<", cp->args[j],
                                            j + 1 == cp->nargs ? ">" : "");
                render_cut(out, list, arg_room);
            } else {
                fputs("<?>", out);
            }
            if (cp->leaf->inst_crate) {
                fputs("  instantiated in ", out);
                render_text(out, cp->leaf->inst_crate);
            }
            if (cp->same_args)
                fputs("  (another copy has these type arguments)", out);
            if (!cp->nargs) {
                fputs("  ", out);
                render_text(out, cp->leaf->raw);
            }
            if (o->color)
                fputs(RESET, out);
            fputc('\n', out);
        }
    }
    if (o->color)
        fputs(DIM, out);
    if (r->ngroups > r->nshown)
        fprintf(out, "%10s%10s%10s%8" PRIu64 "%6.1f%%  %zu more generic%s not shown (-n 0 shows all)\n",
                hsize(a, sizeof a, r->rest_saving), hsize(b, sizeof b, r->rest_total), "", r->rest_copies,
                pct(r->rest_total, r->code_size), r->ngroups - r->nshown, r->ngroups - r->nshown == 1 ? "" : "s");
    if (r->filtered_groups)
        fprintf(out, "%45s  %zu generic%s filtered out\n", "", r->filtered_groups, r->filtered_groups == 1 ? "" : "s");
    fprintf(out,
            "%10s%10s%10s%8" PRIu64 "%6.1f%%  all: %zu generic%s with copies; %.1f%% of the file (%" PRIu64
            " B), %.1f%% of code (%" PRIu64 " B)\n",
            hsize(a, sizeof a, r->all_saving), hsize(b, sizeof b, r->all_total), "", r->all_copies,
            pct(r->all_total, r->code_size), r->all_groups, r->all_groups == 1 ? "" : "s",
            pct(r->all_total, r->file_size), r->all_total, pct(r->all_total, r->code_size), r->code_size);
    if (o->color)
        fputs(RESET, out);
    if (r->missing_legacy_args && expand)
        fprintf(out, "\n%s\n", V0_HINT);
    bool title = false;
    for (size_t i = 0; i < r->nshown; i++) {
        const MonoGroup *g = &r->groups[i];
        if (!g->suggestion)
            continue;
        if (!title)
            fprintf(out, "\n%sSuggestions%s (savings are estimates: total - largest copy, see --help)\n",
                    o->color ? BOLD : "", o->color ? RESET : "");
        title = true;
        fputs("  - ", out);
        render_text(out, g->suggestion);
        fputc('\n', out);
    }
}

void render_monos(FILE *out, const MonoReport *r, bool expand, const RenderOpts *o)
{
    switch (o->format) {
    case FMT_JSON: json_monos(out, r); break;
    case FMT_CSV:
    case FMT_TSV: sv_monos(out, r, o->format); break;
    case FMT_MARKDOWN: /* monos' parser does not offer it */
    case FMT_TABLE: table_monos(out, r, expand, o); break;
    }
}

/* ---- by crate ---- */

void render_monos_crates(FILE *out, const MonoReport *r, const MonoCrates *c, const RenderOpts *o)
{
    if (o->format == FMT_JSON) {
        json_head(out, r, "crates");
        fprintf(out,
                ", \"copies\": %" PRIu64 ", \"bytes\": %" PRIu64 ", \"unknown_instantiator\": {\"copies\": %" PRIu64
                ", \"bytes\": %" PRIu64 "}, \"rest_crates\": %zu, \"rows\": [",
                c->copies, c->bytes, c->unknown_inst_copies, c->unknown_inst_bytes, c->nrows - c->nshown);
        for (size_t i = 0; i < c->nshown; i++) {
            const MonoCrateRow *w = &c->rows[i];
            fputs(i ? ",\n  " : "\n  ", out);
            fputs("{\"name\": ", out);
            render_json_string(out, w->crate);
            fprintf(out, ", \"defined_copies\": %" PRIu64 ", \"defined_bytes\": %" PRIu64
                         ", \"instantiated_copies\": %" PRIu64 ", \"instantiated_bytes\": %" PRIu64 "}",
                    w->def_copies, w->def_bytes, w->inst_copies, w->inst_bytes);
        }
        fputs(c->nshown ? "\n]}\n" : "]}\n", out);
        return;
    }
    if (o->format != FMT_TABLE) {
        char sep = o->format == FMT_TSV ? '\t' : ',';
        fprintf(out, "defined_bytes%cdefined_copies%cinstantiated_bytes%cinstantiated_copies%ccrate\n", sep, sep, sep,
                sep);
        for (size_t i = 0; i < c->nshown; i++) {
            const MonoCrateRow *w = &c->rows[i];
            fprintf(out, "%" PRIu64 "%c%" PRIu64 "%c%" PRIu64 "%c%" PRIu64 "%c", w->def_bytes, sep, w->def_copies, sep,
                    w->inst_bytes, sep, w->inst_copies, sep);
            render_sv_field(out, w->crate, o->format);
            fputc('\n', out);
        }
        return;
    }
    char a[32], b[32];
    if (o->color)
        fputs(BOLD, out);
    fprintf(out, "%10s%8s%13s%8s  %s\n", "Defines", "Copies", "Instantiates", "Copies", "Crate");
    if (o->color)
        fputs(RESET, out);
    for (size_t i = 0; i < c->nshown; i++) {
        const MonoCrateRow *w = &c->rows[i];
        if (w->inst_copies)
            fprintf(out, "%10s%8" PRIu64 "%13s%8" PRIu64 "  ", hsize(a, sizeof a, w->def_bytes), w->def_copies,
                    hsize(b, sizeof b, w->inst_bytes), w->inst_copies);
        else
            fprintf(out, "%10s%8" PRIu64 "%13s%8s  ", hsize(a, sizeof a, w->def_bytes), w->def_copies, "-", "-");
        render_cut(out, w->crate, o->width ? o->width - 41 : 0);
        fputc('\n', out);
    }
    if (o->color)
        fputs(DIM, out);
    if (c->nrows > c->nshown)
        fprintf(out, "%39s  %zu more crate%s not shown (-n 0 shows all)\n", "", c->nrows - c->nshown,
                c->nrows - c->nshown == 1 ? "" : "s");
    if (c->unknown_inst_copies)
        fprintf(out, "%18s%13s%8" PRIu64 "  instantiating crate not in the names (always for Rust legacy and C++)\n", "",
                hsize(b, sizeof b, c->unknown_inst_bytes), c->unknown_inst_copies);
    fprintf(out, "%10s%8" PRIu64 "%13s%8" PRIu64 "  total: copies of %zu generic%s\n", hsize(a, sizeof a, c->bytes),
            c->copies, hsize(b, sizeof b, c->bytes), c->copies, r->ngroups, r->ngroups == 1 ? "" : "s");
    if (o->color)
        fputs(RESET, out);
}
