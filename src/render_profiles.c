/* render_profiles.c — the report of `cargo heft profiles` as a table for
 * people, JSON (docs/profiles.md), CSV or TSV. It prints what cmd_profiles
 * measured and profiles.c decided; it computes nothing but percentages. */
#include "render_profiles.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "render_diff.h"

/* "850 µs", "12.3 ms", "4.56 s". */
static void secs_str(char *buf, size_t len, double s)
{
    if (isnan(s))
        snprintf(buf, len, "-");
    else if (s < 1e-3)
        snprintf(buf, len, "%.0f µs", s * 1e6);
    else if (s < 1)
        snprintf(buf, len, "%.1f ms", s * 1e3);
    else
        snprintf(buf, len, "%.2f s", s);
}

static void pct_vs(char *buf, size_t len, double v, double base)
{
    if (isnan(v) || isnan(base) || base <= 0)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%+.1f%%", 100.0 * (v - base) / base);
}

static double time_of(const Profile *p, bool by_runtime)
{
    return by_runtime ? (p->benched ? p->run_median : NAN) : (p->build_known ? p->build_secs : NAN);
}

static const char *speed_name(ProfSpeed s)
{
    static const char *const names[] = {"unknown", "baseline", "faster", "slower", "noise"};
    return names[s];
}

static const char *status_name(ProfStatus s)
{
    return s == PROF_OK ? "ok" : s == PROF_FAILED ? "failed" : s == PROF_INTERRUPTED ? "interrupted" : "pending";
}

static void table_row(FILE *out, Arena *a, const ProfReport *r, const Profile *p, int namew, const RenderOpts *o)
{
    if (p->status != PROF_OK) {
        fprintf(out, "  %-*s  failed: ", namew, p->name);
        render_cut(out, p->error ? p->error : "", o->width > namew + 12 ? o->width - namew - 12 : 0);
        fputc('\n', out);
        return;
    }
    char f[24], s[24], t[24], v[24], b[32], rt[24], lo[24], hi[24], mem[24];
    render_human(f, sizeof f, p->file_size);
    render_human(s, sizeof s, p->stripped_size);
    render_human(t, sizeof t, p->text_size);
    render_human(v, sizeof v, p->vm_size);
    secs_str(b, sizeof b, p->build_known ? p->build_secs : NAN);
    fprintf(out, "%c %-*s %10s %10s %10s %10s %9s%s", p->pareto ? '*' : ' ', namew, p->name, f, s, t, v, b,
            p->cached ? " cached" : "       ");
    if (r->bench) {
        secs_str(rt, sizeof rt, p->run_median);
        secs_str(lo, sizeof lo, p->run_lo);
        secs_str(hi, sizeof hi, p->run_hi);
        if (p->peak_rss_kib >= 0)
            render_human(mem, sizeof mem, (uint64_t)p->peak_rss_kib * 1024);
        else
            snprintf(mem, sizeof mem, "-");
        char range[56], vs[16];
        snprintf(range, sizeof range, "%s–%s", lo, hi);
        const Profile *base = r->rec.baseline == SIZE_MAX ? NULL : &r->p[r->rec.baseline];
        if (p->speed == PROF_SPEED_NOISE)
            snprintf(vs, sizeof vs, "noise");
        else if ((p->speed == PROF_SPEED_FASTER || p->speed == PROF_SPEED_SLOWER) && base)
            pct_vs(vs, sizeof vs, p->run_median, base->run_median);
        else
            snprintf(vs, sizeof vs, "-");
        fprintf(out, " %9s %19s %7s %10s", rt, range, vs, mem);
    }
    fputs("  ", out);
    fputs(profiles_describe(a, p), out);
    fputc('\n', out);
}


static void recommendation(FILE *out, const ProfReport *r, const char *what, size_t i, int namew, const char *rule,
                           const char *none)
{
    const Profile *b = &r->p[r->rec.baseline];
    double tb = time_of(b, r->by_runtime);
    if (i == SIZE_MAX) {
        fprintf(out, "  %-8s  (none: %s)\n", what, isnan(tb) ? "the baseline's time is not known" : none);
        return;
    }
    const Profile *p = &r->p[i];
    char f[24], sp[16], t[24], tp[16];
    render_human(f, sizeof f, profiles_size(p));
    pct_vs(sp, sizeof sp, (double)profiles_size(p), (double)profiles_size(b));
    double tv = time_of(p, r->by_runtime);
    secs_str(t, sizeof t, tv);
    pct_vs(tp, sizeof tp, tv, tb);
    fprintf(out, "  %-8s  %-*s %10s %7s %10s %7s  %s\n", what, namew, p->name, f, sp, t, tp, rule);
}

/* strip = true as a lever of its own: what dropping the symbols saves on
 * top of whatever profile is chosen, measured on the baseline. */
static void strip_lever(FILE *out, const Profile *b)
{
    if (!b->stripped_size || b->stripped_size >= b->file_size) {
        fputs("  Symbols   (strip = true saves nothing here: the baseline ships without symbols)\n", out);
        return;
    }
    char saved[24], pct[16];
    render_human(saved, sizeof saved, b->file_size - b->stripped_size);
    pct_vs(pct, sizeof pct, (double)b->stripped_size, (double)b->file_size);
    fprintf(out, "  Symbols   strip = true saves %s more (%s of %s's file), with any profile: add it to the "
                 "snippet unless you want symbols in the shipped file\n",
            saved, pct, b->name);
}

static void snippet(FILE *out, const char *what, const Profile *p, const Profile *base, Arena *a)
{
    fprintf(out, "\n%s (%s):\n", what, p->name);
    const char *s = profiles_snippet(a, p);
    while (*s) {
        size_t n = strcspn(s, "\n");
        fprintf(out, "    %.*s\n", (int)n, s);
        s += n + (s[n] == '\n');
    }
    size_t nc;
    const char **c = profiles_caveats(a, p, base, &nc);
    for (size_t i = 0; i < nc; i++)
        fprintf(out, "  caveat: %s\n", c[i]);
}

/* A row of the list of what shrank: a drop of code or data, what loads
 * (symbol tables and debug info have a line of their own), and in the
 * symbols view a symbol (not the "[section .x]" rest of the file). */
static bool loaded(const DiffRow *d)
{
    return d->old_vm || d->new_vm;
}

static bool shrunk_row(const DiffView *v, const DiffRow *d)
{
    return d->new_file < d->old_file && loaded(d) && (v->kind != SNAP_SYMBOLS || d->name[0] != '[');
}

static void shrunk_list(FILE *out, const DiffView *v, const char *title, size_t limit, const RenderOpts *o)
{
    /* diff rows come largest change first; the drops, in that order */
    fprintf(out, "\n%s\n", title);
    size_t shown = 0;
    for (size_t i = 0; i < v->nrows && (!limit || shown < limit); i++) {
        const DiffRow *d = &v->rows[i];
        int64_t delta = diff_delta(d->old_file, d->new_file);
        if (!shrunk_row(v, d))
            continue;
        char ds[24], os[24], ns[24];
        render_delta(ds, sizeof ds, delta);
        render_human(os, sizeof os, d->old_file);
        render_human(ns, sizeof ns, d->new_file);
        fprintf(out, "  %10s %10s -> %10s  ", ds, os, ns);
        render_cut(out, d->name, o->width > 40 ? o->width - 40 : 0);
        fputc('\n', out);
        shown++;
    }
    if (!shown)
        fputs("  (nothing shrank)\n", out);
    if (v->kind != SNAP_CRATES)
        return;
    int64_t meta = 0;
    for (size_t i = 0; i < v->nrows; i++)
        if (!loaded(&v->rows[i]))
            meta += diff_delta(v->rows[i].old_file, v->rows[i].new_file);
    char ms[24];
    render_delta(ms, sizeof ms, meta);
    fprintf(out, "  %10s  symbol tables, debug info and headers (not loaded; strip = true drops most)\n", ms);
}

static void render_table(FILE *out, const ProfReport *r, const RenderOpts *o)
{
    Arena *a = arena_new();
    for (size_t i = 0; i < r->nnotes; i++)
        fprintf(out, "note: %s\n", r->notes[i]);
    bool unknown = false;
    for (size_t i = 0; i < r->n; i++)
        unknown |= r->p[i].status == PROF_OK && r->p[i].cached && !r->p[i].build_known;
    if (unknown)
        fputs("note: some profiles were up to date in cargo's cache with no build time kept for these options "
              "(time -); remove TARGET/heft-profiles to measure them again\n", out);
    int namew = 7;
    for (size_t i = 0; i < r->n; i++)
        if ((int)strlen(r->p[i].name) > namew)
            namew = (int)strlen(r->p[i].name);
    char head[160];
    snprintf(head, sizeof head, "Profiles by size without symbols, the Stripped column (time: %s)",
             r->by_runtime ? "--bench runtime, median" : "build time");
    render_heading(out, head, o);
    fprintf(out, "  %-*s %10s %10s %10s %10s %9s       ", namew, "Profile", "File", "Stripped", ".text", "VM",
            "Build");
    if (r->bench)
        fprintf(out, " %9s %19s %7s %10s", "Runtime", "CI of median", "vs base", "Peak mem");
    fputs("  Settings\n", out);
    for (size_t i = 0; i < r->n; i++)
        table_row(out, a, r, &r->p[i], namew, o);
    fprintf(out,
            "* Pareto-optimal: no other profile is both smaller (without symbols) and faster (%s).\n"
            "Sizes are compared without symbols whatever a profile's strip setting: File is the artifact as the "
            "profile ships it.\n",
            r->by_runtime ? "runtime" : "build time");
    if (r->bench && r->runs == 0)
        fprintf(out, "Runtime of `%s`: no round of runs finished.\n", r->bench);
    else if (r->bench)
        fprintf(out,
                "Runtime of `%s`: median of %d runs, the profiles taking turns after one warm-up each; its "
                "%.0f%% confidence interval; faster or slower than the baseline only where the intervals do not "
                "overlap (else noise%s); peak memory is the largest resident set.\n",
                r->bench, r->runs, 100 * r->ci_level, r->runs < PROF_MIN_RUNS ? ", as with fewer than 5 runs" : "");
    if (r->rec.baseline == SIZE_MAX) {
        fputs("\nNo profile built: nothing to recommend.\n", out);
        arena_free(a);
        return;
    }
    fputc('\n', out);
    char rh[200], bs[24], bt[24];
    const Profile *base = &r->p[r->rec.baseline];
    render_human(bs, sizeof bs, profiles_size(base));
    secs_str(bt, sizeof bt, time_of(base, r->by_runtime));
    snprintf(rh, sizeof rh, "Recommendations (against %s: %s, %s %s)", base->name, bs,
             r->by_runtime ? "runtime" : "build", bt);
    render_heading(out, rh, o);
    /* Without --bench the time is the build's: never "fastest". */
    const char *quick = r->by_runtime ? "Fastest" : "Quickest";
    recommendation(out, r, "Smallest", r->rec.smallest, namew, "least size without symbols", "no profile built");
    recommendation(out, r, quick, r->rec.fastest, namew,
                   r->by_runtime ? "least median runtime, measurably faster"
                                 : "least build time (runtime: give --bench CMD)",
                   r->by_runtime ? "no profile is measurably faster than the baseline: the differences are within "
                                   "the noise"
                                 : "no build time is known");
    recommendation(out, r, "Balanced", r->rec.balanced, namew,
                   "Pareto-optimal, least (size/baseline's) x (time/baseline's)", "no Pareto-optimal profile has a time");
    strip_lever(out, base);
    const char *what[] = {"Smallest", r->by_runtime ? "Fastest" : "Quickest to build", "Balanced"};
    size_t idx[] = {r->rec.smallest, r->rec.fastest, r->rec.balanced};
    for (size_t k = 0; k < 3; k++) {
        if (idx[k] == SIZE_MAX)
            continue;
        size_t j = 0;
        while (j < k && idx[j] != idx[k])
            j++;
        if (j < k)
            fprintf(out, "\n%s (%s): as %s above.\n", what[k], r->p[idx[k]].name, what[j]);
        else
            snippet(out, what[k], &r->p[idx[k]], base, a);
    }
    if (r->shrink) {
        char title[160];
        fputc('\n', out);
        snprintf(title, sizeof title, "What shrank most: %s against %s (file bytes)", r->p[r->rec.smallest].name,
                 r->p[r->rec.baseline].name);
        render_heading(out, title, o);
        shrunk_list(out, &r->crates, "Crates", r->nshrink, o);
        shrunk_list(out, &r->symbols, "Functions and data (symbols)", r->nshrink, o);
    }
    arena_free(a);
}

static void json_num(FILE *out, const char *key, double v, bool comma)
{
    if (isnan(v))
        fprintf(out, "\"%s\": null%s", key, comma ? ", " : "");
    else
        fprintf(out, "\"%s\": %.6f%s", key, v, comma ? ", " : "");
}

static void json_name_or_null(FILE *out, const ProfReport *r, size_t i)
{
    if (i == SIZE_MAX)
        fputs("null", out);
    else
        render_json_string(out, r->p[i].name);
}

static void render_json(FILE *out, const ProfReport *r)
{
    Arena *a = arena_new();
    fprintf(out, "{\"schema\": \"heft.profiles/1\", \"time\": \"%s\", \"bench\": ", r->by_runtime ? "runtime" : "build");
    if (r->bench)
        render_json_string(out, r->bench);
    else
        fputs("null", out);
    fprintf(out, ", \"runs\": %d, \"interrupted\": %s, \"notes\": [", r->bench ? r->runs : 0,
            r->interrupted ? "true" : "false");
    for (size_t i = 0; i < r->nnotes; i++) {
        fputs(i ? ", " : "", out);
        render_json_string(out, r->notes[i]);
    }
    fputs("],\n \"profiles\": [", out);
    for (size_t i = 0; i < r->n; i++) {
        const Profile *p = &r->p[i];
        fputs(i ? ",\n  {" : "\n  {", out);
        fputs("\"name\": ", out);
        render_json_string(out, p->name);
        fprintf(out, ", \"cargo_profile\": \"heft-%s\", \"status\": \"%s\", \"settings\": {", p->name,
                status_name(p->status));
        for (size_t s = 0; s < p->nset; s++) {
            fputs(s ? ", " : "", out);
            render_json_string(out, p->set[s].key);
            fputs(": ", out);
            render_json_string(out, p->set[s].value);
        }
        fputs("}, \"error\": ", out);
        if (p->status == PROF_OK || !p->error)
            fputs("null", out);
        else
            render_json_string(out, p->error);
        if (p->status == PROF_OK) {
            fputs(", \"artifact\": ", out);
            render_json_string(out, p->path);
            fprintf(out,
                    ", \"file_size\": %" PRIu64 ", \"stripped_size\": %" PRIu64 ", \"text_size\": %" PRIu64
                    ", \"vm_size\": %" PRIu64 ", ",
                    p->file_size, p->stripped_size, p->text_size, p->vm_size);
            json_num(out, "build_seconds", p->build_known ? p->build_secs : NAN, true);
            fprintf(out, "\"cached\": %s, ", p->cached ? "true" : "false");
            if (p->benched) {
                fputs("\"runtime\": {", out);
                json_num(out, "median", p->run_median, true);
                json_num(out, "min", p->run_min, true);
                json_num(out, "max", p->run_max, true);
                json_num(out, "ci_low", p->run_lo, true);
                json_num(out, "ci_high", p->run_hi, true);
                fprintf(out, "\"runs\": %zu, \"speed\": \"%s\"", p->run_n, speed_name(p->speed));
                if (p->peak_rss_kib >= 0)
                    fprintf(out, "}, \"peak_rss_kib\": %ld, ", p->peak_rss_kib);
                else
                    fputs("}, \"peak_rss_kib\": null, ", out);
            } else {
                fputs("\"runtime\": null, \"peak_rss_kib\": null, ", out);
            }
            fprintf(out, "\"pareto\": %s, \"snippet\": ", p->pareto ? "true" : "false");
            render_json_string(out, profiles_snippet(a, p));
            size_t nc;
            const char **cv = profiles_caveats(a, p, r->rec.baseline == SIZE_MAX ? NULL : &r->p[r->rec.baseline], &nc);
            fputs(", \"caveats\": [", out);
            for (size_t k = 0; k < nc; k++) {
                fputs(k ? ", " : "", out);
                render_json_string(out, cv[k]);
            }
            fputc(']', out);
        }
        fputs("}", out);
    }
    fputs("\n ],\n \"recommendations\": {\"baseline\": ", out);
    json_name_or_null(out, r, r->rec.baseline);
    fputs(", \"smallest\": ", out);
    json_name_or_null(out, r, r->rec.smallest);
    fputs(", \"fastest\": ", out);
    json_name_or_null(out, r, r->rec.fastest);
    fputs(", \"balanced\": ", out);
    json_name_or_null(out, r, r->rec.balanced);
    fputs("},\n \"shrunk\": ", out);
    if (!r->shrink) {
        fputs("null}\n", out);
        arena_free(a);
        return;
    }
    const DiffView *views[] = {&r->crates, &r->symbols};
    const char *keys[] = {"crates", "symbols"};
    fputs("{", out);
    for (size_t k = 0; k < 2; k++) {
        fprintf(out, "%s\"%s\": [", k ? ", " : "", keys[k]);
        size_t shown = 0;
        for (size_t i = 0; i < views[k]->nrows && (!r->nshrink || shown < r->nshrink); i++) {
            const DiffRow *d = &views[k]->rows[i];
            if (!shrunk_row(views[k], d))
                continue;
            fputs(shown++ ? ", " : "", out);
            fputs("{\"name\": ", out);
            render_json_string(out, d->name);
            fprintf(out, ", \"old_file\": %" PRIu64 ", \"new_file\": %" PRIu64 "}", d->old_file, d->new_file);
        }
        fputs("]", out);
    }
    fputs("}}\n", out);
    arena_free(a);
}

static void render_sv(FILE *out, const ProfReport *r, Format f)
{
    Arena *a = arena_new();
    char sep = f == FMT_CSV ? ',' : '\t';
    static const char *const cols[] = {"profile", "status", "file_size", "stripped_size", "text_size", "vm_size",
                                       "build_seconds", "cached", "runtime_median", "runtime_min", "runtime_max",
                                       "runtime_ci_low", "runtime_ci_high", "speed", "peak_rss_kib", "pareto",
                                       "settings", "error"};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
        fprintf(out, "%s%s", i ? (sep == ',' ? "," : "\t") : "", cols[i]);
    fputc('\n', out);
    for (size_t i = 0; i < r->n; i++) {
        const Profile *p = &r->p[i];
        render_sv_field(out, p->name, f);
        fprintf(out, "%c%s", sep, status_name(p->status));
        if (p->status == PROF_OK) {
            fprintf(out, "%c%" PRIu64 "%c%" PRIu64 "%c%" PRIu64 "%c%" PRIu64, sep, p->file_size, sep,
                    p->stripped_size, sep, p->text_size, sep, p->vm_size);
            if (p->build_known)
                fprintf(out, "%c%.6f", sep, p->build_secs);
            else
                fputc(sep, out);
            fprintf(out, "%c%s", sep, p->cached ? "true" : "false");
            if (p->benched) {
                fprintf(out, "%c%.6f%c%.6f%c%.6f%c%.6f%c%.6f%c%s%c", sep, p->run_median, sep, p->run_min, sep,
                        p->run_max, sep, p->run_lo, sep, p->run_hi, sep, speed_name(p->speed), sep);
                if (p->peak_rss_kib >= 0)
                    fprintf(out, "%ld", p->peak_rss_kib);
            } else
                fprintf(out, "%c%c%c%c%c%c%c", sep, sep, sep, sep, sep, sep, sep);
            fprintf(out, "%c%s", sep, p->pareto ? "true" : "false");
        } else {
            for (int k = 0; k < 14; k++)
                fputc(sep, out);
        }
        fputc(sep, out);
        render_sv_field(out, profiles_describe(a, p), f);
        fputc(sep, out);
        render_sv_field(out, p->status == PROF_OK || !p->error ? "" : p->error, f);
        fputc('\n', out);
    }
    arena_free(a);
}

void render_profiles(FILE *out, const ProfReport *r, const RenderOpts *o)
{
    if (o->format == FMT_JSON)
        render_json(out, r);
    else if (o->format == FMT_CSV || o->format == FMT_TSV)
        render_sv(out, r, o->format);
    else
        render_table(out, r, o);
}
