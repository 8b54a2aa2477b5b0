/* render_diff.c — diff and budget reports as tables, JSON (docs/diff.md),
 * CSV/TSV and Markdown (see render_diff.h). */
#include "render_diff.h"

#include <inttypes.h>
#include <string.h>

#include "version.h"

#define BOLD "\033[1m"
#define RESET "\033[0m"

void render_delta(char *buf, size_t len, int64_t delta)
{
    char h[24];
    uint64_t m = delta < 0 ? (uint64_t)0 - (uint64_t)delta : (uint64_t)delta;
    render_human(h, sizeof h, m);
    snprintf(buf, len, "%s%s", delta > 0 ? "+" : delta < 0 ? "-" : "", h);
}

/* "+12.5%", "-100.0%", "new" (nothing before), "" (no change from nothing). */
static void pct_str(char *buf, size_t len, uint64_t old, uint64_t new)
{
    double p = old ? 100.0 * (double)diff_delta(old, new) / (double)old : 0;
    if (old == 0)
        snprintf(buf, len, "%s", new ? "new" : "");
    else if (p >= 1000 || p <= -1000)
        snprintf(buf, len, "%+.0f%%", p); /* keeps the column: no decimals past 1000% */
    else
        snprintf(buf, len, "%+.1f%%", p);
}

static const char *title(SnapView k)
{
    static const char *const t[] = {"Sections", "Segments",      "Crates and namespaces", "Symbols",
                                    "Generics",  "Compile units", "Source files"};
    return t[k];
}

static void bold(FILE *out, const RenderOpts *o, const char *s)
{
    fprintf(out, "%s%s%s\n", o->color ? BOLD : "", s, o->color ? RESET : "");
}

static const char *shown_name(char *buf, size_t len, const DiffRow *r)
{
    if (!r->old_name)
        return r->name;
    snprintf(buf, len, "%s (was %s)", r->name, r->old_name);
    return buf;
}

/* ---- one-line totals ---- */

static void totals_line(FILE *out, const char *what, uint64_t old, uint64_t new)
{
    char a[32], b[32], d[32], p[16];
    render_human(a, sizeof a, old);
    render_human(b, sizeof b, new);
    render_delta(d, sizeof d, diff_delta(old, new));
    pct_str(p, sizeof p, old, new);
    fprintf(out, "%-9s %10s -> %10s  %10s %8s   (%" PRIu64 " -> %" PRIu64 " B)\n", what, a, b, d, p, old, new);
}

static void counts_line(FILE *out, const DiffView *v, const char *what)
{
    fprintf(out,
            "%s: %" PRIu64 " added, %" PRIu64 " removed, %" PRIu64 " grown, %" PRIu64 " shrunk, %" PRIu64
            " unchanged",
            what, v->count[DIFF_ADDED], v->count[DIFF_REMOVED], v->count[DIFF_GROWN], v->count[DIFF_SHRUNK],
            v->count[DIFF_SAME]);
    if (v->kind == SNAP_SYMBOLS)
        fprintf(out, " (matched by name %zu, by identity %zu, by crate %zu, anonymous constants by size %zu)",
                v->matched[MATCH_EXACT], v->matched[MATCH_IDENTITY], v->matched[MATCH_CRATE], v->matched[MATCH_ANON]);
    if (v->kind == SNAP_UNITS || v->kind == SNAP_FILES)
        fprintf(out, " (matched by name %zu, by identity %zu, by path ending %zu)", v->matched[MATCH_EXACT],
                v->matched[MATCH_IDENTITY], v->matched[MATCH_SUFFIX]);
    fputc('\n', out);
}

/* "1 -> 2", "- -> 3", "4 -> -". */
static void copies_str(char *buf, size_t len, const DiffRow *r)
{
    char a[24], b[24];
    snprintf(a, sizeof a, "%" PRIu64, r->old_copies);
    snprintf(b, sizeof b, "%" PRIu64, r->new_copies);
    snprintf(buf, len, "%s -> %s", r->old_copies ? a : "-", r->new_copies ? b : "-");
}

/* ---- tables ---- */

static void table_view(FILE *out, const DiffView *v, const RenderOpts *o)
{
    bool sym = v->kind == SNAP_SYMBOLS || v->kind == SNAP_MONOS, monos = v->kind == SNAP_MONOS;
    size_t crate_w = 5;
    for (size_t i = 0; sym && i < v->nrows; i++) {
        size_t w = v->rows[i].crate ? render_text_width(v->rows[i].crate) : 0;
        crate_w = w > crate_w ? (w > 20 ? 20 : w) : crate_w;
    }
    if (o->color)
        fputs(BOLD, out);
    fprintf(out, "%10s%10s%11s%10s%11s  %-7s", "Old", "New", "Delta", "%", "VM Delta", "Status");
    if (monos)
        fprintf(out, "  %13s", "Copies");
    if (sym)
        fprintf(out, "  %-*s", (int)crate_w, "Crate");
    fprintf(out, "  Name%s\n", o->color ? RESET : "");
    char a[32], b[32], d[32], dv[32], p[16], nb[1024], cp[64];
    int room = o->width ? o->width - (10 + 10 + 11 + 10 + 11 + 9 + (monos ? 15 : 0) + (sym ? 2 + (int)crate_w : 0) + 2)
                        : 0;
    if (o->width && room < 20)
        room = 20;
    for (size_t i = 0; i < v->nrows; i++) {
        const DiffRow *r = &v->rows[i];
        render_human(a, sizeof a, r->old_file);
        render_human(b, sizeof b, r->new_file);
        render_delta(d, sizeof d, diff_delta(r->old_file, r->new_file));
        render_delta(dv, sizeof dv, diff_delta(r->old_vm, r->new_vm));
        pct_str(p, sizeof p, r->old_file, r->new_file);
        fprintf(out, "%10s%10s%11s%10s%11s  %-7s", r->status == DIFF_ADDED ? "-" : a,
                r->status == DIFF_REMOVED ? "-" : b, d, p, dv, diff_status_name(r->status));
        if (monos) {
            copies_str(cp, sizeof cp, r);
            fprintf(out, "  %13s", cp);
        }
        if (sym) {
            const char *c = r->crate ? r->crate : "";
            fputs("  ", out);
            render_cut(out, c, (int)crate_w);
            for (size_t w = render_text_width(c); w < crate_w; w++)
                fputc(' ', out);
        }
        fputs("  ", out);
        render_cut(out, shown_name(nb, sizeof nb, r), room);
        fputc('\n', out);
    }
    if (v->rest.rows) {
        render_delta(d, sizeof d, v->rest.file);
        render_delta(dv, sizeof dv, v->rest.vm);
        fprintf(out, "%20s%11s%10s%11s  %" PRIu64 " more changed row%s not shown (-n 0 shows all)\n", "", d, "", dv,
                v->rest.rows, v->rest.rows == 1 ? "" : "s");
    }
    if (v->filtered_out.rows) {
        render_delta(d, sizeof d, v->filtered_out.file);
        render_delta(dv, sizeof dv, v->filtered_out.vm);
        fprintf(out, "%20s%11s%10s%11s  %" PRIu64 " row%s filtered out\n", "", d, "", dv, v->filtered_out.rows,
                v->filtered_out.rows == 1 ? "" : "s");
    }
    if (!v->nrows && !v->rest.rows)
        fputs("  (no change)\n", out);
}

static void table_diff(FILE *out, const Snapshot *old, const Snapshot *new, const DiffView *views, size_t nviews,
                       const RenderOpts *o)
{
    fputs(o->color ? BOLD : "", out);
    render_text(out, old->path);
    fputs(" -> ", out);
    render_text(out, new->path);
    fprintf(out, "%s\n", o->color ? RESET : "");
    totals_line(out, "file size", old->file_size, new->file_size);
    totals_line(out, "VM size", old->vm_size, new->vm_size);
    for (size_t i = 0; i < nviews; i++)
        if (views[i].kind == SNAP_SYMBOLS || views[i].kind >= SNAP_MONOS)
            counts_line(out, &views[i], views[i].kind == SNAP_MONOS ? "generics" : snapshot_view_name(views[i].kind));
    for (size_t i = 0; i < nviews; i++) {
        fputc('\n', out);
        bold(out, o, title(views[i].kind));
        table_view(out, &views[i], o);
    }
}

/* ---- Markdown ---- */

static void md_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (strchr("|`*_<[]\\", *s)) /* ">" is harmless but at a line start */
            fputc('\\', out);
        fputc(*s == '\n' ? ' ' : *s, out);
    }
}

static void md_totals_row(FILE *out, const char *what, uint64_t old, uint64_t new)
{
    char a[32], b[32], d[32], p[16];
    render_human(a, sizeof a, old);
    render_human(b, sizeof b, new);
    render_delta(d, sizeof d, diff_delta(old, new));
    pct_str(p, sizeof p, old, new);
    fprintf(out, "| %s | %s | %s | %s | %s |\n", what, a, b, d, p);
}

static void md_view(FILE *out, const DiffView *v)
{
    fprintf(out, "\n### %s\n\n", title(v->kind));
    if (!v->nrows) {
        fputs("No change.\n", out);
        return;
    }
    bool monos = v->kind == SNAP_MONOS;
    fputs(monos ? "| Delta | % | Old | New | Copies | Name |\n|---:|---:|---:|---:|---:|---|\n"
                : "| Delta | % | Old | New | Name |\n|---:|---:|---:|---:|---|\n",
          out);
    char a[32], b[32], d[32], p[16], nb[1024], cp[64];
    for (size_t i = 0; i < v->nrows; i++) {
        const DiffRow *r = &v->rows[i];
        render_human(a, sizeof a, r->old_file);
        render_human(b, sizeof b, r->new_file);
        render_delta(d, sizeof d, diff_delta(r->old_file, r->new_file));
        pct_str(p, sizeof p, r->old_file, r->new_file);
        fprintf(out, "| %s | %s | %s | %s | ", d, p, r->status == DIFF_ADDED ? "-" : a,
                r->status == DIFF_REMOVED ? "-" : b);
        if (monos) {
            copies_str(cp, sizeof cp, r);
            fprintf(out, "%s | ", cp);
        }
        md_text(out, shown_name(nb, sizeof nb, r));
        fputs(" |\n", out);
    }
    if (v->rest.rows) {
        render_delta(d, sizeof d, v->rest.file);
        fprintf(out, "| %s | | | |%s %" PRIu64 " more changed rows |\n", d, monos ? " |" : "", v->rest.rows);
    }
}

static void md_diff(FILE *out, const Snapshot *old, const Snapshot *new, const DiffView *views, size_t nviews)
{
    int64_t df = diff_delta(old->file_size, new->file_size), dv = diff_delta(old->vm_size, new->vm_size);
    char d[32], e[32], p[16];
    render_delta(d, sizeof d, df);
    render_delta(e, sizeof e, dv);
    pct_str(p, sizeof p, old->file_size, new->file_size);
    if (df == 0 && dv == 0)
        fputs("**heft diff: no change in size**", out);
    else
        fprintf(out, "**heft diff: file size %s (%s), VM size %s**", d, p, e);
    for (size_t i = 0; i < nviews; i++)
        if (views[i].kind == SNAP_SYMBOLS)
            fprintf(out,
                    " · symbols: %" PRIu64 " added, %" PRIu64 " removed, %" PRIu64 " grown, %" PRIu64 " shrunk",
                    views[i].count[DIFF_ADDED], views[i].count[DIFF_REMOVED], views[i].count[DIFF_GROWN],
                    views[i].count[DIFF_SHRUNK]);
    fputs("\n\n| | Old | New | Delta | % |\n|---|---:|---:|---:|---:|\n", out);
    md_totals_row(out, "File size", old->file_size, new->file_size);
    md_totals_row(out, "VM size", old->vm_size, new->vm_size);
    for (size_t i = 0; i < nviews; i++)
        md_view(out, &views[i]);
}

/* ---- JSON ---- */

static void json_sum(FILE *out, const char *key, const DiffSum *s)
{
    fprintf(out, ", \"%s\": {\"rows\": %" PRIu64 ", \"file_delta\": %" PRId64 ", \"vm_delta\": %" PRId64 "}", key,
            s->rows, s->file, s->vm);
}

static void json_opt_str(FILE *out, const char *key, const char *v)
{
    fprintf(out, ", \"%s\": ", key);
    if (v)
        render_json_string(out, v);
    else
        fputs("null", out);
}

static void json_side(FILE *out, const char *key, const Snapshot *s)
{
    fprintf(out, ", \"%s\": {\"path\": ", key);
    render_json_string(out, s->path);
    fputs(", \"tool\": ", out);
    render_json_string(out, s->tool);
    fprintf(out, ", \"file_size\": %" PRIu64 ", \"vm_size\": %" PRIu64 "}", s->file_size, s->vm_size);
}

static void json_view(FILE *out, const DiffView *v)
{
    fprintf(out, "\"%s\": {\"counts\": {", snapshot_view_name(v->kind));
    for (DiffStatus s = DIFF_SAME; s <= DIFF_REMOVED; s++)
        fprintf(out, "%s\"%s\": %" PRIu64, s ? ", " : "", diff_status_name(s), v->count[s]);
    fputs("}, \"matched\": {", out);
    for (MatchPass p = MATCH_EXACT; p < MATCH_NPASSES; p++)
        fprintf(out, "%s\"%s\": %zu", p > MATCH_EXACT ? ", " : "", match_pass_name(p), v->matched[p]);
    fputc('}', out);
    json_sum(out, "rest", &v->rest);
    json_sum(out, "filtered_out", &v->filtered_out);
    fputs(", \"rows\": [", out);
    for (size_t i = 0; i < v->nrows; i++) {
        const DiffRow *r = &v->rows[i];
        fputs(i ? ",\n  {\"name\": " : "\n  {\"name\": ", out);
        render_json_string(out, r->name);
        json_opt_str(out, "old_name", r->old_name);
        fprintf(out, ", \"status\": \"%s\", \"match\": \"%s\"", diff_status_name(r->status), match_pass_name(r->how));
        if (v->kind == SNAP_SYMBOLS) {
            json_opt_str(out, "crate", r->crate);
            json_opt_str(out, "section", r->section);
        }
        if (v->kind == SNAP_MONOS) {
            json_opt_str(out, "crate", r->crate);
            fprintf(out, ", \"old_copies\": %" PRIu64 ", \"new_copies\": %" PRIu64 ", \"copies_delta\": %" PRId64,
                    r->old_copies, r->new_copies, diff_delta(r->old_copies, r->new_copies));
        }
        fprintf(out,
                ", \"old_file_size\": %" PRIu64 ", \"new_file_size\": %" PRIu64 ", \"file_delta\": %" PRId64
                ", \"old_vm_size\": %" PRIu64 ", \"new_vm_size\": %" PRIu64 ", \"vm_delta\": %" PRId64 "}",
                r->old_file, r->new_file, diff_delta(r->old_file, r->new_file), r->old_vm, r->new_vm,
                diff_delta(r->old_vm, r->new_vm));
    }
    fputs(v->nrows ? "\n]}" : "]}", out);
}

static void json_diff(FILE *out, const Snapshot *old, const Snapshot *new, const DiffView *views, size_t nviews)
{
    fputs("{\"schema\": \"heft.diff/1\", \"heft_version\": \"" HEFT_VERSION "\"", out);
    json_side(out, "old", old);
    json_side(out, "new", new);
    fprintf(out, ", \"file_delta\": %" PRId64 ", \"vm_delta\": %" PRId64 ", \"views\": {",
            diff_delta(old->file_size, new->file_size), diff_delta(old->vm_size, new->vm_size));
    for (size_t i = 0; i < nviews; i++) {
        fputs(i ? ",\n" : "\n", out);
        json_view(out, &views[i]);
    }
    fputs("}}\n", out);
}

/* ---- CSV / TSV ---- */

static void sv_diff(FILE *out, const DiffView *v, Format f)
{
    char sep = f == FMT_TSV ? '\t' : ',';
    bool monos = v->kind == SNAP_MONOS;
    fprintf(out, "status%c", sep);
    if (monos)
        fprintf(out, "old_copies%cnew_copies%c", sep, sep);
    fprintf(out, "old_file_size%cnew_file_size%cfile_delta%cold_vm_size%cnew_vm_size%cvm_delta%ccrate%cname\n", sep,
            sep, sep, sep, sep, sep, sep);
    for (size_t i = 0; i < v->nrows; i++) {
        const DiffRow *r = &v->rows[i];
        fprintf(out, "%s%c", diff_status_name(r->status), sep);
        if (monos)
            fprintf(out, "%" PRIu64 "%c%" PRIu64 "%c", r->old_copies, sep, r->new_copies, sep);
        fprintf(out, "%" PRIu64 "%c%" PRIu64 "%c%" PRId64 "%c%" PRIu64 "%c%" PRIu64 "%c%" PRId64 "%c",
                r->old_file, sep, r->new_file, sep,
                diff_delta(r->old_file, r->new_file), sep, r->old_vm, sep, r->new_vm, sep,
                diff_delta(r->old_vm, r->new_vm), sep);
        render_sv_field(out, r->crate ? r->crate : "", f);
        fputc(sep, out);
        render_sv_field(out, r->name, f);
        fputc('\n', out);
    }
}

void render_diff(FILE *out, const Snapshot *old, const Snapshot *new, const DiffView *views, size_t nviews,
                 bool summary, const RenderOpts *o)
{
    switch (o->format) {
    case FMT_JSON: json_diff(out, old, new, views, nviews); break;
    case FMT_MARKDOWN: md_diff(out, old, new, views, nviews); break;
    case FMT_CSV:
    case FMT_TSV: sv_diff(out, &views[summary ? nviews - 1 : 0], o->format); break;
    case FMT_TABLE: table_diff(out, old, new, views, nviews, o); break;
    }
}

/* ---- budget verdicts ---- */

static void limit_numbers(char *buf, size_t len, const Limit *l)
{
    char a[32], b[32];
    render_human(a, sizeof a, l->actual);
    if (!l->growth) {
        snprintf(buf, len, "%s (%" PRIu64 " B), limit %s", a, l->actual, l->text);
        return;
    }
    char d[32], p[16];
    render_human(b, sizeof b, l->base);
    render_delta(d, sizeof d, diff_delta(l->base, l->actual));
    pct_str(p, sizeof p, l->base, l->actual);
    snprintf(buf, len, "%s -> %s: %s (%s), limit %s", b, a, d, *p ? p : "0", l->text);
}

static size_t broken_count(const Budget *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->nlimits; i++)
        n += b->limits[i].broken;
    return n;
}

void render_check(FILE *out, const Snapshot *s, const Snapshot *baseline, const Budget *b, const RenderOpts *o)
{
    size_t broken = broken_count(b);
    Arena *a = arena_new();
    char nums[256];
    if (o->format == FMT_JSON) {
        fprintf(out, "{\"schema\": \"heft.check/1\", \"heft_version\": \"" HEFT_VERSION "\", \"file\": ");
        render_json_string(out, s->path);
        json_opt_str(out, "baseline", baseline ? baseline->path : NULL);
        fputs(", \"budget\": ", out);
        render_json_string(out, b->path ? b->path : "");
        fprintf(out, ", \"ok\": %s, \"broken\": %zu, \"limits\": [", broken ? "false" : "true", broken);
        for (size_t i = 0; i < b->nlimits; i++) {
            const Limit *l = &b->limits[i];
            fputs(i ? ",\n  {\"limit\": " : "\n  {\"limit\": ", out);
            render_json_string(out, budget_limit_label(a, l));
            fputs(", \"as_written\": ", out);
            render_json_string(out, l->text);
            fprintf(out, ", \"line\": %d, \"broken\": %s, \"actual\": %" PRIu64, l->line, l->broken ? "true" : "false",
                    l->actual);
            if (l->growth)
                fprintf(out, ", \"baseline\": %" PRIu64, l->base);
            if (l->percent)
                fprintf(out, ", \"limit_percent\": %g}", l->pct);
            else
                fprintf(out, ", \"limit_bytes\": %" PRIu64 "}", l->bytes);
        }
        fputs(b->nlimits ? "\n]}\n" : "]}\n", out);
    } else if (o->format == FMT_MARKDOWN) {
        if (broken)
            fprintf(out, "**heft check: %zu of %zu size limits broken** (%s)\n\n", broken, b->nlimits, s->path);
        else
            fprintf(out, "**heft check: within budget** (%zu limits, %s)\n\n", b->nlimits, s->path);
        char f[32], v[32];
        render_human(f, sizeof f, s->file_size);
        render_human(v, sizeof v, s->vm_size);
        fprintf(out, "File size %s, VM size %s.\n\n| | Limit | Numbers |\n|---|---|---|\n", f, v);
        for (size_t i = 0; i < b->nlimits; i++) {
            const Limit *l = &b->limits[i];
            limit_numbers(nums, sizeof nums, l);
            fprintf(out, "| %s | ", l->broken ? "❌" : "✅");
            md_text(out, budget_limit_label(a, l));
            fputs(" | ", out);
            md_text(out, nums);
            fputs(" |\n", out);
        }
    } else if (o->format == FMT_CSV || o->format == FMT_TSV) {
        char sep = o->format == FMT_TSV ? '\t' : ',';
        fprintf(out, "status%cactual%cbaseline%climit%clabel\n", sep, sep, sep, sep);
        for (size_t i = 0; i < b->nlimits; i++) {
            const Limit *l = &b->limits[i];
            fprintf(out, "%s%c%" PRIu64 "%c", l->broken ? "broken" : "ok", sep, l->actual, sep);
            if (l->growth)
                fprintf(out, "%" PRIu64, l->base);
            fputc(sep, out);
            render_sv_field(out, l->text, o->format);
            fputc(sep, out);
            render_sv_field(out, budget_limit_label(a, l), o->format);
            fputc('\n', out);
        }
    } else {
        for (size_t i = 0; i < b->nlimits; i++) {
            const Limit *l = &b->limits[i];
            limit_numbers(nums, sizeof nums, l);
            fprintf(out, "%s%-6s%s ", o->color && l->broken ? BOLD : "", l->broken ? "BROKEN" : "ok",
                    o->color && l->broken ? RESET : "");
            render_text(out, budget_limit_label(a, l));
            fprintf(out, ": %s\n", nums);
        }
        render_text(out, s->path);
        if (broken)
            fprintf(out, ": %zu of %zu size limits broken\n", broken, b->nlimits);
        else
            fprintf(out, ": within budget (%zu limits)\n", b->nlimits);
    }
    arena_free(a);
}
