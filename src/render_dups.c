/* render_dups.c — formats what dups.c found (see render_dups.h); computes no
 * sizes of its own. */
#include "render_dups.h"

#include <elf.h>
#include <inttypes.h>
#include <string.h>

#include "version.h"

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RESET "\033[0m"

static const char *kind_name(DupKind k)
{
    return k == DUP_CODE ? "code" : "data";
}

static const char *targets_name(const DupGroup *g)
{
    return g->kind == DUP_DATA ? "-" : g->same_targets ? "same" : "differ";
}

static void pct_str(char *buf, size_t len, uint32_t tenths)
{
    snprintf(buf, len, "%u.%u%%", tenths / 10, tenths % 10);
}

/* ---- table ---- */

static void name_line(FILE *out, const char *name, uint32_t more, int room)
{
    if (!more) {
        render_cut(out, name, room);
        return;
    }
    char tail[48];
    snprintf(tail, sizeof tail, " and %" PRIu32 " more", more);
    render_cut(out, name, room > 0 ? (room > (int)strlen(tail) + 8 ? room - (int)strlen(tail) : 8) : 0);
    fputs(tail, out);
}

static void table_groups(FILE *out, const DupsResult *r, const DupsView *v, const DupsShow *show,
                         const RenderOpts *o)
{
    const int prefix = 10 + 10 + 8 + 6 + 9 + 2;
    int room = o->width ? o->width - prefix : 0;
    if (o->color)
        fputs(BOLD, out);
    fprintf(out, "%10s%10s%8s  %-4s  %-7s  %s\n", "Saving", "Size", "Copies", "Kind", "Targets", "Name");
    if (o->color)
        fputs(RESET, out);
    char s1[32], s2[32];
    for (size_t i = 0; i < v->ngroups; i++) {
        const DupGroup *g = v->groups[i];
        render_human(s1, sizeof s1, g->saving);
        render_human(s2, sizeof s2, g->size);
        fprintf(out, "%10s%10s%8" PRIu32 "  %-4s  %-7s  ", s1, s2, g->count, kind_name(g->kind), targets_name(g));
        name_line(out, g->copies[0]->name, show->verbose ? 0 : g->count - 1, room);
        fputc('\n', out);
        for (uint32_t c = 1; show->verbose && c < g->count; c++) {
            fprintf(out, "%*s", prefix, "");
            render_cut(out, g->copies[c]->name, room);
            fputc('\n', out);
        }
    }
    if (o->color)
        fputs(DIM, out);
    if (v->rest_groups) {
        render_human(s1, sizeof s1, v->rest_saving);
        fprintf(out, "%10s%*s%" PRIu64 " more group%s (-n 0 shows all)\n", s1, prefix - 10, "", v->rest_groups,
                v->rest_groups == 1 ? "" : "s");
    }
    if (v->filtered_groups) {
        render_human(s1, sizeof s1, v->filtered_saving);
        fprintf(out, "%10s%*s%" PRIu64 " group%s filtered out\n", s1, prefix - 10, "", v->filtered_groups,
                v->filtered_groups == 1 ? "" : "s");
    }
    render_human(s1, sizeof s1, r->code_saving + r->data_saving);
    size_t ncode = 0;
    for (size_t i = 0; i < r->ngroups; i++)
        ncode += r->groups[i].kind == DUP_CODE;
    fprintf(out, "%10s%*stotal: %zu group%s (%zu code, %zu data) among %" PRIu32 " functions and %" PRIu32
                 " read-only objects\n",
            s1, prefix - 10, "", r->ngroups, r->ngroups == 1 ? "" : "s", ncode, r->ngroups - ncode, r->functions,
            r->objects);
    if (r->code_saving) {
        render_human(s1, sizeof s1, r->icf_saving);
        fprintf(out, "%10s%*sof the code: groups whose Targets are the same (what --icf=all folds as they are)\n", s1,
                prefix - 10, "");
    }
    if (o->color)
        fputs(RESET, out);
    if (r->code_saving)
        fputs("\nFolding code: identical code folding in the linker merges copies whose Targets are the same\n"
              "(lld and mold also fold copies whose targets are themselves folded). Rust:\n"
              "  -C link-arg=-fuse-ld=lld -C link-arg=-Wl,--icf=all   (or mold: -C link-arg=-fuse-ld=mold)\n"
              "C/C++: -Wl,--icf=all with lld, mold or gold (-fuse-ld=lld), plus -ffunction-sections.\n"
              "Targets \"differ\": the same code calling other functions or reading other data; only\n"
              "outlining the shared body into one function saves those bytes.\n",
              out);
    if (r->data_saving)
        fputs("\nData: identical constants are merged only with options such as -fmerge-all-constants\n"
              "(C/C++), or by defining the constant once in the source (a static or const item).\n",
              out);
    if (r->undecodable)
        fprintf(out, "\n%" PRIu32 " function%s had bytes the disassembler could not decode; they were compared"
                     " as they are.\n",
                r->undecodable, r->undecodable == 1 ? "" : "s");
}

static void table_similar(FILE *out, const DupsResult *r, const DupsView *v, const DupsShow *show,
                          const RenderOpts *o)
{
    const int prefix = 9 + 8 + 22 + 10 + 2;
    int room = o->width ? o->width - prefix : 0;
    fputs("Near-identical copies of one generic (share of instructions in common, in order, with the largest):\n",
          out);
    if (o->color)
        fputs(BOLD, out);
    fprintf(out, "%9s%8s%22s%10s  %s\n", "Similar", "Copies", "Sizes", "Total", "Generic");
    if (o->color)
        fputs(RESET, out);
    char p[16], lo[32], hi[32], range[80], tot[32];
    for (size_t i = 0; i < v->nsimilar; i++) {
        const SimilarGroup *g = v->similar[i];
        pct_str(p, sizeof p, g->similarity);
        if (g->bounded)
            snprintf(p, sizeof p, ">=%u%%", g->similarity / 10);
        render_human(lo, sizeof lo, g->min_size);
        render_human(hi, sizeof hi, g->max_size);
        if (g->min_size == g->max_size)
            snprintf(range, sizeof range, "%s", hi);
        else
            snprintf(range, sizeof range, "%s-%s", lo, hi);
        render_human(tot, sizeof tot, g->total_size);
        fprintf(out, "%9s%8" PRIu32 "%22s%10s  ", p, g->count, range, tot);
        render_cut(out, g->generic, room);
        fputc('\n', out);
        for (uint32_t c = 0; show->verbose && c < g->count; c++) {
            render_human(lo, sizeof lo, g->copies[c]->sym_size);
            fprintf(out, "%*s%10s  ", prefix - 12, "", lo);
            render_cut(out, g->copies[c]->name, room);
            fputc('\n', out);
        }
    }
    if (!v->nsimilar)
        fputs("  (none)\n", out);
    if (v->rest_similar)
        fprintf(out, "%*s%" PRIu64 " more (-n 0 shows all)\n", prefix, "", v->rest_similar);
    if (r->nsimilar)
        fputs("Copies that differ a little share most of their body: a non-generic inner function taking\n"
              "the type-independent part (the outline pattern, e.g. the momo crate) or &dyn Trait keeps one.\n",
              out);
}

/* ---- JSON ---- */

static void json_names(FILE *out, const Leaf *const *copies, uint32_t n)
{
    fputs("[", out);
    for (uint32_t c = 0; c < n; c++) {
        const Leaf *l = copies[c];
        fputs(c ? ", {\"name\": " : "{\"name\": ", out);
        render_json_string(out, l->name);
        fputs(", \"raw\": ", out);
        render_json_string(out, l->raw ? l->raw : "");
        fprintf(out, ", \"address\": %" PRIu64 ", \"size\": %" PRIu64, l->addr, l->sym_size);
        if (l->naliases) {
            fputs(", \"aliases\": [", out);
            for (uint32_t i = 0; i < l->naliases; i++) {
                if (i)
                    fputs(", ", out);
                render_json_string(out, l->aliases[i]);
            }
            fputc(']', out);
        }
        fputc('}', out);
    }
    fputs("]", out);
}

static void json_dups(FILE *out, const Image *img, const DupsResult *r, const DupsView *v)
{
    fputs("{\"schema\": \"heft.dups/1\", \"heft_version\": ", out);
    render_json_string(out, HEFT_VERSION);
    fputs(", \"file\": ", out);
    render_json_string(out, img->path);
    fprintf(out,
            ", \"code_compared\": %s, \"functions\": %" PRIu32 ", \"objects\": %" PRIu32
            ", \"undecodable\": %" PRIu32 ", \"code_saving\": %" PRIu64 ", \"icf_saving\": %" PRIu64
            ", \"data_saving\": %" PRIu64 ", \"groups_total\": %zu",
            r->code_supported ? "true" : "false", r->functions, r->objects, r->undecodable, r->code_saving,
            r->icf_saving, r->data_saving, r->ngroups);
    fprintf(out, ", \"rest\": {\"groups\": %" PRIu64 ", \"saving\": %" PRIu64 "}", v->rest_groups, v->rest_saving);
    fprintf(out, ", \"filtered_out\": {\"groups\": %" PRIu64 ", \"saving\": %" PRIu64 "}", v->filtered_groups,
            v->filtered_saving);
    fputs(", \"groups\": [", out);
    for (size_t i = 0; i < v->ngroups; i++) {
        const DupGroup *g = v->groups[i];
        fprintf(out,
                "%s\n{\"kind\": \"%s\", \"size\": %" PRIu64 ", \"count\": %" PRIu32 ", \"saving\": %" PRIu64
                ", \"same_targets\": %s, \"copies\": ",
                i ? "," : "", kind_name(g->kind), g->size, g->count, g->saving, g->same_targets ? "true" : "false");
        json_names(out, g->copies, g->count);
        fputc('}', out);
    }
    fputs("], \"similar\": [", out);
    for (size_t i = 0; i < v->nsimilar; i++) {
        const SimilarGroup *g = v->similar[i];
        fputs(i ? ",\n{\"generic\": " : "\n{\"generic\": ", out);
        render_json_string(out, g->generic);
        fprintf(out,
                ", \"count\": %" PRIu32 ", \"similarity_permille\": %" PRIu32 ", \"bounded\": %s"
                ", \"min_size\": %" PRIu64 ", \"max_size\": %" PRIu64 ", \"total_size\": %" PRIu64 ", \"copies\": ",
                g->count, g->similarity, g->bounded ? "true" : "false", g->min_size, g->max_size, g->total_size);
        json_names(out, g->copies, g->count);
        fputc('}', out);
    }
    fputs("]}\n", out);
}

/* ---- CSV / TSV: one line per copy ---- */

static void sv_dups(FILE *out, const DupsView *v, const DupsShow *show, Format f)
{
    char sep = f == FMT_TSV ? '\t' : ',';
    if (show->groups) {
        fprintf(out, "group%ckind%csize%ccount%csaving%csame_targets%caddress%cname\n", sep, sep, sep, sep, sep, sep,
                sep);
        for (size_t i = 0; i < v->ngroups; i++) {
            const DupGroup *g = v->groups[i];
            for (uint32_t c = 0; c < g->count; c++) {
                fprintf(out, "%zu%c%s%c%" PRIu64 "%c%" PRIu32 "%c%" PRIu64 "%c%s%c%" PRIu64 "%c", i + 1, sep,
                        kind_name(g->kind), sep, g->size, sep, g->count, sep, g->saving, sep,
                        g->same_targets ? "true" : "false", sep, g->copies[c]->addr, sep);
                render_sv_field(out, g->copies[c]->name, f);
                fputc('\n', out);
            }
        }
    }
    if (show->similar) {
        if (show->groups)
            fputc('\n', out);
        fprintf(out, "generic%csimilarity_permille%ccount%csize%caddress%cname\n", sep, sep, sep, sep, sep);
        for (size_t i = 0; i < v->nsimilar; i++) {
            const SimilarGroup *g = v->similar[i];
            for (uint32_t c = 0; c < g->count; c++) {
                render_sv_field(out, g->generic, f);
                fprintf(out, "%c%" PRIu32 "%c%" PRIu32 "%c%" PRIu64 "%c%" PRIu64 "%c", sep, g->similarity, sep,
                        g->count, sep, g->copies[c]->sym_size, sep, g->copies[c]->addr, sep);
                render_sv_field(out, g->copies[c]->name, f);
                fputc('\n', out);
            }
        }
    }
}

void render_dups(FILE *out, const Image *img, const DupsResult *r, const DupsView *v, const DupsShow *show,
                 const RenderOpts *o)
{
    if (o->format == FMT_JSON) {
        json_dups(out, img, r, v);
        return;
    }
    if (o->format != FMT_TABLE) {
        sv_dups(out, v, show, o->format);
        return;
    }
    if (!r->code_supported)
        fprintf(out, "Code is compared on x86-64 and AArch64 only (this file: e_machine %u); data only here.\n\n",
                img->machine);
    if (show->groups)
        table_groups(out, r, v, show, o);
    /* Beside the groups, the near-identical list appears only when there is one. */
    bool similar = show->similar && (!show->groups || r->nsimilar);
    if (show->groups && similar)
        fputc('\n', out);
    if (similar)
        table_similar(out, r, v, show, o);
}
