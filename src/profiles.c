/* profiles.c — the profiles `cargo heft profiles` builds and what their
 * measurements say (see profiles.h). Settings become cargo --config
 * arguments on a profile of heft's own that inherits from release, so the
 * user's files are never edited. */
#include "profiles.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "infile.h"
#include "outfile.h"

static const char *const KEYS[] = {"opt-level", "lto", "codegen-units", "panic", "strip", "debug", "target-cpu", "pgo"};
#define NKEYS (sizeof KEYS / sizeof *KEYS)

/* Short forms for the names of --axes profiles: o3-ltofat-cgu1-abort. */
static const char *const SHORT[] = {"o", "lto", "cgu", "", "strip", "debug", "cpu", "pgo"};

const char *const profiles_full_axes[] = {"opt-level=3,2,s,z", "lto=off,thin,fat", "codegen-units=1,16",
                                          "panic=unwind,abort"};
const size_t profiles_nfull_axes = sizeof profiles_full_axes / sizeof *profiles_full_axes;

size_t profiles_default(Arena *a, Profile **out)
{
    static const char *const DEF[][2] = {
        {"release", ""},
        {"opt-2", "opt-level=2"},
        {"opt-s", "opt-level=s"},
        {"opt-z", "opt-level=z"},
        {"cgu1", "codegen-units=1"},
        {"lto-thin", "lto=thin"},
        {"lto-fat-cgu1", "lto=fat codegen-units=1"},
        {"panic-abort", "panic=abort"},
        {"size", "opt-level=z lto=fat codegen-units=1 panic=abort strip=true"},
        {"speed", "opt-level=3 lto=fat codegen-units=1 target-cpu=native"},
    };
    size_t n = sizeof DEF / sizeof *DEF;
    Profile *p = arena_array(a, n, sizeof *p);
    for (size_t i = 0; i < n; i++) {
        memset(&p[i], 0, sizeof p[i]);
        p[i].name = DEF[i][0];
        p[i].order = i;
        /* "key=value key=value": every key is one of KEYS */
        for (const char *s = DEF[i][1]; *s;) {
            size_t len = strcspn(s, " "), klen = strcspn(s, "=");
            for (size_t k = 0; k < NKEYS; k++)
                if (strlen(KEYS[k]) == klen && strncmp(KEYS[k], s, klen) == 0)
                    p[i].set[p[i].nset].key = KEYS[k];
            p[i].set[p[i].nset++].value = arena_strndup(a, s + klen + 1, len - klen - 1);
            s += len + (s[len] == ' ');
        }
    }
    *out = p;
    return n;
}

static bool value_ok(const char *v)
{
    if (!*v)
        return false;
    for (; *v; v++)
        if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') || (*v >= '0' && *v <= '9') || *v == '_' ||
              *v == '-'))
            return false;
    return true;
}

size_t profiles_axes(Arena *a, char *const *axes, size_t naxes, Profile **out, char *err, size_t errlen)
{
    if (naxes > PROF_MAXSET) {
        snprintf(err, errlen, "at most %d axes", PROF_MAXSET);
        return 0;
    }
    size_t key[PROF_MAXSET], nval[PROF_MAXSET], total = 1;
    const char **vals[PROF_MAXSET];
    for (size_t i = 0; i < naxes; i++) {
        const char *eq = strchr(axes[i], '=');
        size_t klen = eq ? (size_t)(eq - axes[i]) : strlen(axes[i]);
        key[i] = NKEYS;
        for (size_t k = 0; k < NKEYS; k++)
            if (strlen(KEYS[k]) == klen && strncmp(KEYS[k], axes[i], klen) == 0)
                key[i] = k;
        if (key[i] == NKEYS || !eq) {
            snprintf(err, errlen,
                     "axis '%.60s' is not KEY=V1,V2,... with KEY opt-level, lto, codegen-units, panic, strip, "
                     "debug, target-cpu or pgo",
                     axes[i]);
            return 0;
        }
        for (size_t j = 0; j < i; j++)
            if (key[j] == key[i]) {
                snprintf(err, errlen, "axis %s given twice", KEYS[key[i]]);
                return 0;
            }
        size_t cnt = 1;
        for (const char *c = eq + 1; *c; c++)
            cnt += *c == ',';
        vals[i] = arena_array(a, cnt, sizeof *vals[i]);
        nval[i] = 0;
        for (const char *c = eq + 1;;) {
            size_t len = strcspn(c, ",");
            const char *v = arena_strndup(a, c, len);
            if (!value_ok(v)) {
                snprintf(err, errlen, "axis %s: value '%.40s' is not letters, digits, '-' and '_'", KEYS[key[i]],
                         v);
                return 0;
            }
            vals[i][nval[i]++] = v;
            if (!c[len])
                break;
            c += len + 1;
        }
        total *= nval[i];
        if (total > 4096) {
            snprintf(err, errlen, "%s", "the axes make more than 4096 profiles");
            return 0;
        }
    }
    if (!naxes) {
        snprintf(err, errlen, "%s", "no axes");
        return 0;
    }
    Profile *p = arena_array(a, total, sizeof *p);
    for (size_t n = 0; n < total; n++) {
        Profile *q = &p[n];
        memset(q, 0, sizeof *q);
        q->order = n;
        size_t rest = n;
        char name[256];
        size_t off = 0;
        for (size_t i = naxes; i-- > 0;) {
            q->set[i] = (ProfSetting){KEYS[key[i]], vals[i][rest % nval[i]]};
            rest /= nval[i];
        }
        q->nset = naxes;
        for (size_t i = 0; i < naxes && off < sizeof name; i++)
            off += (size_t)snprintf(name + off, sizeof name - off, "%s%s%s", i ? "-" : "", SHORT[key[i]],
                                    q->set[i].value);
        q->name = arena_strdup(a, name);
    }
    *out = p;
    return total;
}

const char *profiles_get(const Profile *p, const char *key)
{
    for (size_t i = 0; i < p->nset; i++)
        if (strcmp(p->set[i].key, key) == 0)
            return p->set[i].value;
    return NULL;
}

static bool is_number(const char *v)
{
    if (!*v)
        return false;
    for (; *v; v++)
        if (*v < '0' || *v > '9')
            return false;
    return true;
}

/* A value as TOML: a number, a boolean, else a string (values are
 * [A-Za-z0-9_-] only, so quoting needs no escapes). */
static const char *toml_value(Arena *a, const char *v)
{
    if (is_number(v) || strcmp(v, "true") == 0 || strcmp(v, "false") == 0)
        return v;
    return arena_printf(a, "\"%s\"", v);
}

static bool is_profile_key(const char *key)
{
    return strcmp(key, "target-cpu") != 0 && strcmp(key, "pgo") != 0;
}

size_t profiles_config_args(Arena *a, const Profile *p, const char *cargo_name, const char *extra_key,
                            const char *extra_value, char ***out)
{
    char **v = arena_array(a, 2 * (p->nset + 2), sizeof *v);
    size_t n = 0;
    v[n++] = "--config";
    v[n++] = arena_printf(a, "profile.%s.inherits=\"release\"", cargo_name);
    for (size_t i = 0; i < p->nset; i++) {
        if (!is_profile_key(p->set[i].key) || (extra_key && strcmp(p->set[i].key, extra_key) == 0))
            continue;
        v[n++] = "--config";
        v[n++] = arena_printf(a, "profile.%s.%s=%s", cargo_name, p->set[i].key, toml_value(a, p->set[i].value));
    }
    if (extra_key) {
        v[n++] = "--config";
        v[n++] = arena_printf(a, "profile.%s.%s=%s", cargo_name, extra_key, toml_value(a, extra_value));
    }
    *out = v;
    return n;
}

size_t profiles_rustflags(Arena *a, const Profile *p, const char ***out)
{
    const char **v = arena_array(a, 3, sizeof *v);
    size_t n = 0;
    const char *cpu = profiles_get(p, "target-cpu");
    if (cpu) {
        v[n++] = "-C";
        v[n++] = arena_printf(a, "target-cpu=%s", cpu);
    }
    v[n] = NULL;
    *out = v;
    return n;
}

uint64_t profiles_size(const Profile *p)
{
    return p->stripped_size ? p->stripped_size : p->file_size;
}

static double time_of(const Profile *p, bool by_runtime)
{
    if (by_runtime)
        return p->benched ? p->run_median : NAN;
    return p->build_known ? p->build_secs : NAN;
}

void profiles_pareto(Profile *p, size_t n, bool by_runtime)
{
    bool any_time = false;
    for (size_t i = 0; i < n; i++)
        any_time |= p[i].status == PROF_OK && !isnan(time_of(&p[i], by_runtime));
    for (size_t i = 0; i < n; i++) {
        p[i].pareto = false;
        double ti = time_of(&p[i], by_runtime);
        if (p[i].status != PROF_OK || (any_time && isnan(ti)))
            continue;
        bool dominated = false;
        for (size_t j = 0; j < n && !dominated; j++) {
            double tj = time_of(&p[j], by_runtime);
            if (j == i || p[j].status != PROF_OK || (any_time && isnan(tj)))
                continue;
            uint64_t si = profiles_size(&p[i]), sj = profiles_size(&p[j]);
            bool le_size = sj <= si, lt_size = sj < si;
            bool le_time = !any_time || tj <= ti, lt_time = any_time && tj < ti;
            dominated = le_size && le_time && (lt_size || lt_time);
        }
        p[i].pareto = !dominated;
    }
}

static ProfSpeed speed_against(const Profile *p, const Profile *b)
{
    if (!p->benched || !b->benched)
        return PROF_SPEED_UNKNOWN;
    if (p == b)
        return PROF_SPEED_BASELINE;
    if (p->run_n < PROF_MIN_RUNS || b->run_n < PROF_MIN_RUNS)
        return PROF_SPEED_NOISE;
    if (p->run_hi < b->run_lo)
        return PROF_SPEED_FASTER;
    if (p->run_lo > b->run_hi)
        return PROF_SPEED_SLOWER;
    return PROF_SPEED_NOISE;
}

void profiles_recommend(Profile *p, size_t n, bool by_runtime, ProfRecommend *out)
{
    out->smallest = out->fastest = out->balanced = out->baseline = SIZE_MAX;
    /* The baseline: a profile of no settings (release itself), else the
     * first built in the set's order. */
    for (size_t i = 0; i < n; i++) {
        if (p[i].status != PROF_OK)
            continue;
        size_t b = out->baseline;
        if (b == SIZE_MAX || (p[b].nset && (!p[i].nset || p[i].order < p[b].order)))
            out->baseline = i;
    }
    if (out->baseline == SIZE_MAX)
        return;
    const Profile *b = &p[out->baseline];
    double bt = time_of(b, by_runtime), best = INFINITY;
    for (size_t i = 0; i < n; i++)
        p[i].speed = by_runtime && p[i].status == PROF_OK ? speed_against(&p[i], b) : PROF_SPEED_UNKNOWN;
    for (size_t i = 0; i < n; i++) {
        if (p[i].status != PROF_OK)
            continue;
        double t = time_of(&p[i], by_runtime);
        if (out->smallest == SIZE_MAX || profiles_size(&p[i]) < profiles_size(&p[out->smallest]))
            out->smallest = i;
        /* by runtime, a difference within the noise is no difference */
        if (by_runtime && p[i].speed == PROF_SPEED_NOISE)
            t = bt;
        if (!isnan(t) && (!by_runtime || p[i].speed == PROF_SPEED_FASTER) &&
            (out->fastest == SIZE_MAX || t < time_of(&p[out->fastest], by_runtime)))
            out->fastest = i;
        if (!p[i].pareto || isnan(t) || isnan(bt) || bt <= 0 || !profiles_size(b))
            continue;
        double score = ((double)profiles_size(&p[i]) / (double)profiles_size(b)) * (t / bt);
        if (score < best)
            best = score, out->balanced = i;
    }
}

const char *profiles_snippet(Arena *a, const Profile *p)
{
    char *s = arena_strdup(a, "[profile.release]\n");
    bool any = false;
    for (size_t i = 0; i < p->nset; i++) {
        const char *k = p->set[i].key, *v = p->set[i].value;
        if (is_profile_key(k))
            s = arena_printf(a, "%s%s = %s\n", s, k, toml_value(a, v)), any = true;
    }
    if (!any)
        s = arena_printf(a, "%s# the release defaults: nothing to change\n", s);
    const char *cpu = profiles_get(p, "target-cpu");
    if (cpu)
        s = arena_printf(a,
                         "%s# and in .cargo/config.toml (only for machines like this one):\n"
                         "# [build]\n# rustflags = [\"-C\", \"target-cpu=%s\"]\n",
                         s, cpu);
    const char *pgo = profiles_get(p, "pgo");
    if (pgo && strcmp(pgo, "on") == 0)
        s = arena_printf(a, "%s# plus profile-guided optimization (-Cprofile-use), which a profile cannot say\n", s);
    return s;
}

static bool is_value(const Profile *p, const char *key, const char *const *values)
{
    const char *v = profiles_get(p, key);
    for (size_t i = 0; v && values[i]; i++)
        if (strcmp(v, values[i]) == 0)
            return true;
    return false;
}

const char **profiles_caveats(Arena *a, const Profile *p, const Profile *base, size_t *n)
{
    static const char *const abort_[] = {"abort", NULL}, *const lto[] = {"fat", "thin", "true", NULL},
                             *const one[] = {"1", NULL}, *const small[] = {"s", "z", NULL},
                             *const yes[] = {"true", "symbols", NULL}, *const on[] = {"on", NULL};
    const char **c = arena_array(a, 8, sizeof *c);
    size_t k = 0;
    if (is_value(p, "panic", abort_))
        c[k++] = "panic = \"abort\": a panic ends the process at once; catch_unwind no longer catches it and "
                 "destructors do not run (threads, servers and plugins that recover from panics break)";
    if (is_value(p, "lto", lto) || is_value(p, "codegen-units", one)) {
        const char *what = is_value(p, "lto", lto) && is_value(p, "codegen-units", one) ? "LTO and one codegen unit"
                           : is_value(p, "lto", lto)                                      ? "LTO"
                                                                                          : "one codegen unit";
        if (base && p->build_known && base->build_known && base->build_secs > 0)
            c[k++] = arena_printf(a, "%s: every release build takes longer (here %.1fx %s's: %.1f s against %.1f s)",
                                  what, p->build_secs / base->build_secs, base->name, p->build_secs, base->build_secs);
        else
            c[k++] = arena_printf(a, "%s: every release build takes longer", what);
    }
    if (profiles_get(p, "target-cpu"))
        c[k++] = arena_printf(a, "target-cpu = %s: the binary may not run on other machines (older CPUs); ship it "
                                 "only where they are like this one",
                              profiles_get(p, "target-cpu"));
    if (is_value(p, "opt-level", small))
        c[k++] = arena_printf(a, "opt-level = \"%s\": compute-heavy loops can be much slower (less inlining, "
                                 "no unrolling); measure them with --bench",
                              profiles_get(p, "opt-level"));
    if (is_value(p, "strip", yes))
        c[k++] = "strip: no symbols in the shipped file; panics' backtraces show addresses, and profilers (heft "
                 "too) need a build that keeps them";
    if (is_value(p, "pgo", on))
        c[k++] = "PGO: the profile data must come from a workload like production's and be collected again "
                 "as the code changes";
    c[k] = NULL;
    *n = k;
    return c;
}

const char *profiles_describe(Arena *a, const Profile *p)
{
    if (!p->nset)
        return "(release)";
    char *s = "";
    for (size_t i = 0; i < p->nset; i++)
        s = arena_printf(a, "%s%s%s=%s", s, i ? " " : "", p->set[i].key, p->set[i].value);
    return s;
}

/* More than a times file holds: one is left unread, as if there were none. */
#define TIMES_MAX_BYTES (16u << 20)

void profiles_times_load(Arena *a, const char *path, ProfTimes *t)
{
    memset(t, 0, sizeof *t);
    struct stat st;
    FILE *f = infile_fopen(path, &st, NULL, 0);
    json_t *root = f && st.st_size <= TIMES_MAX_BYTES ? json_loadf(f, 0, NULL) : NULL;
    if (f)
        fclose(f);
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(root, "build_seconds"), k, v)
        if (json_is_number(v))
            profiles_times_put(a, t, k, json_number_value(v));
    json_decref(root);
}

bool profiles_times_save(const ProfTimes *t, const char *path)
{
    json_t *root = json_object(), *times = json_object();
    json_object_set_new(root, "schema", json_string("heft.profile-times/1"));
    for (size_t i = 0; i < t->n; i++)
        json_object_set_new(times, t->key[i], json_real(t->secs[i]));
    json_object_set_new(root, "build_seconds", times);
    OutFile out;
    char err[256];
    bool ok = outfile_open(&out, path, err, sizeof err) == 0;
    if (ok && json_dumpf(root, out.f, JSON_INDENT(1) | JSON_SORT_KEYS) != 0) {
        outfile_abort(&out);
        ok = false;
    }
    ok = ok && outfile_commit(&out, err, sizeof err) == 0;
    json_decref(root);
    return ok;
}

bool profiles_times_get(const ProfTimes *t, const char *key, double *secs)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->key[i], key) == 0) {
            *secs = t->secs[i];
            return true;
        }
    return false;
}

void profiles_times_put(Arena *a, ProfTimes *t, const char *key, double secs)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->key[i], key) == 0) {
            t->secs[i] = secs;
            return;
        }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        const char **k = arena_array(a, cap, sizeof *k);
        double *s = arena_array(a, cap, sizeof *s);
        if (t->n) {
            memcpy(k, t->key, t->n * sizeof *k);
            memcpy(s, t->secs, t->n * sizeof *s);
        }
        t->key = k, t->secs = s, t->cap = cap;
    }
    t->key[t->n] = arena_strdup(a, key);
    t->secs[t->n++] = secs;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

void profiles_median_ci(const double *v, size_t n, double *lo, double *hi, double *level)
{
    if (!n) {
        *lo = *hi = *level = NAN;
        return;
    }
    /* Rank j (1-based from each end) covers the median with probability
     * 1 - 2 P(X <= j - 1); j = 1, [min, max], always serves. */
    double pk = pow(0.5, (double)n), tail = pk, cover = pk;
    size_t j = 1;
    for (size_t k = 1; k < n / 2; k++) {
        pk *= (double)(n - k + 1) / (double)k; /* P(X = k) */
        tail += pk;                            /* P(X <= k) */
        if (tail > 0.025)
            break;
        j = k + 1, cover = tail;
    }
    *lo = v[j - 1];
    *hi = v[n - j];
    *level = 1 - 2 * cover;
}

void profiles_stats(double *v, size_t n, double *median, double *min, double *max)
{
    if (!n) {
        *median = *min = *max = NAN;
        return;
    }
    qsort(v, n, sizeof *v, cmp_double);
    *min = v[0];
    *max = v[n - 1];
    *median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
