/* budget.c — reading budget files (through toml.c) and judging snapshots
 * against them (see budget.h). */
#include "budget.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "infile.h"
#include "toml.h"

/* A budget is a few dozen lines; anything much larger is not one. */
#define BUDGET_MAX_BYTES (1u << 20)

static const struct {
    const char *unit;
    double mult;
} UNITS[] = {
    {"", 1}, {"B", 1}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0},
    {"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9},
};

bool budget_parse_size(const char *s, uint64_t *out)
{
    while (*s == ' ')
        s++;
    if (!(*s >= '0' && *s <= '9'))
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno == ERANGE || !isfinite(v) || v < 0)
        return false;
    while (*end == ' ')
        end++;
    size_t n = strlen(end);
    while (n && end[n - 1] == ' ')
        n--;
    for (size_t i = 0; i < sizeof UNITS / sizeof *UNITS; i++)
        if (strlen(UNITS[i].unit) == n && strncasecmp(end, UNITS[i].unit, n) == 0) {
            double bytes = v * UNITS[i].mult;
            if (bytes >= 9.2e18)
                return false;
            *out = (uint64_t)(bytes + 0.5);
            return true;
        }
    return false;
}

bool budget_parse_growth(const char *s, uint64_t *bytes, double *pct, bool *percent)
{
    while (*s == ' ')
        s++;
    if (*s == '+')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    if (n && s[n - 1] == '%') {
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        while (*end == ' ')
            end++;
        if (!(*s >= '0' && *s <= '9') || end != s + n - 1 || errno == ERANGE || !isfinite(v) || v < 0)
            return false;
        *pct = v;
        *percent = true;
        return true;
    }
    *percent = false;
    return budget_parse_size(s, bytes);
}

static int berr(char *err, size_t errlen, int line, const char *fmt, const char *arg)
{
    char m[256];
    snprintf(m, sizeof m, fmt, arg);
    snprintf(err, errlen, "line %d: %s", line, m);
    return -1;
}

/* The limit one key of a table gives. */
static int add_limit(Arena *a, Budget *b, const TomlEntry *e, LimitScope scope, const char *what, char *err,
                     size_t errlen)
{
    static const char *const KEYS[] = {"file", "vm", "file_growth", "vm_growth"};
    size_t k = 0;
    while (k < 4 && strcmp(e->key, KEYS[k]) != 0)
        k++;
    if (k == 4)
        return berr(err, errlen, e->line, "unknown key '%s' (keys are file, vm, file_growth, vm_growth)", e->key);
    Limit *l = &b->limits[b->nlimits];
    memset(l, 0, sizeof *l);
    l->scope = scope;
    l->what = what;
    l->vm = k == 1 || k == 3;
    l->growth = k >= 2;
    l->line = e->line;
    if (e->type == TOML_INT && e->i >= 0) {
        l->bytes = (uint64_t)e->i;
        l->text = arena_printf(a, "%s%lld B", l->growth ? "+" : "", (long long)e->i);
    } else if (e->type == TOML_STRING) {
        bool ok = l->growth ? budget_parse_growth(e->str, &l->bytes, &l->pct, &l->percent)
                            : budget_parse_size(e->str, &l->bytes);
        if (!ok)
            return berr(err, errlen, e->line,
                        l->growth ? "'%s' is not a growth: write \"+5%%\" or \"+64 KiB\""
                                  : "'%s' is not a size: write \"1.5 MiB\", \"800 KiB\" or 500000",
                        e->str);
        l->text = e->str;
    } else {
        return berr(err, errlen, e->line, "'%s' takes a string like \"800 KiB\" or a number of bytes", e->key);
    }
    if (scope == SCOPE_SYMBOLS) {
        char m[160];
        if (!(l->re = pattern_compile(what, m, sizeof m)))
            return berr(err, errlen, e->line, "bad symbol pattern: %s", m);
    }
    b->needs_baseline |= l->growth;
    b->nlimits++;
    return 0;
}

int budget_parse(Arena *a, const char *text, size_t len, Budget *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    TomlEntry *es;
    size_t n;
    if (toml_parse(a, text, len, &es, &n, err, errlen) != 0)
        return -1;
    out->limits = arena_array(a, n + 1, sizeof *out->limits);
    for (size_t i = 0; i < n; i++) {
        const TomlEntry *e = &es[i];
        LimitScope scope;
        const char *t0 = e->ntable ? e->table[0] : "";
        if (e->ntable == 1 && strcmp(t0, "total") == 0)
            scope = SCOPE_TOTAL;
        else if (e->ntable == 2 && strcmp(t0, "section") == 0)
            scope = SCOPE_SECTION;
        else if (e->ntable == 2 && strcmp(t0, "crate") == 0)
            scope = SCOPE_CRATE;
        else if (e->ntable == 2 && strcmp(t0, "symbols") == 0)
            scope = SCOPE_SYMBOLS;
        else {
            budget_free(out);
            return berr(err, errlen, e->line,
                        "'%s' is not in a budget table: [total], [section.\"NAME\"], [crate.NAME] or "
                        "[symbols.\"REGEX\"]",
                        e->key);
        }
        if (add_limit(a, out, e, scope, e->ntable == 2 ? e->table[1] : NULL, err, errlen) != 0) {
            budget_free(out);
            return -1;
        }
    }
    return 0;
}

int budget_load(Arena *a, const char *path, Budget *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    FILE *f = infile_fopen(path, NULL, err, errlen);
    if (!f)
        return -1;
    char *buf = arena_alloc(a, BUDGET_MAX_BYTES + 1);
    size_t n = fread(buf, 1, BUDGET_MAX_BYTES + 1, f);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "cannot read the file");
        return -1;
    }
    if (n > BUDGET_MAX_BYTES) {
        snprintf(err, errlen, "larger than %u bytes: not a budget file", BUDGET_MAX_BYTES);
        return -1;
    }
    int rc = budget_parse(a, buf, n, out, err, errlen);
    out->path = path;
    return rc;
}

void budget_free(Budget *b)
{
    for (size_t i = 0; i < b->nlimits; i++)
        pattern_free(b->limits[i].re);
    b->nlimits = 0;
}

/* The size a limit looks at, in one snapshot; *found: anything matched. */
static uint64_t measure(const Limit *l, const Snapshot *s, bool *found)
{
    *found = true;
    if (l->scope == SCOPE_TOTAL)
        return l->vm ? s->vm_size : s->file_size;
    *found = false;
    SnapView k = l->scope == SCOPE_SECTION ? SNAP_SECTIONS : l->scope == SCOPE_CRATE ? SNAP_CRATES : SNAP_SYMBOLS;
    uint64_t sum = 0;
    for (size_t i = 0; i < s->nrows[k]; i++) {
        const SnapRow *r = &s->rows[k][i];
        bool hit = l->scope == SCOPE_SYMBOLS ? pattern_match(l->re, r->id) : strcmp(r->name, l->what) == 0;
        if (hit)
            sum += l->vm ? r->vm_size : r->file_size;
        *found |= hit;
    }
    return sum;
}

size_t budget_check(Budget *b, const Snapshot *s, const Snapshot *baseline)
{
    size_t broken = 0;
    for (size_t i = 0; i < b->nlimits; i++) {
        Limit *l = &b->limits[i];
        l->actual = measure(l, s, &l->found);
        if (!l->growth) {
            l->broken = l->actual > l->bytes;
        } else {
            bool in_base;
            l->base = measure(l, baseline, &in_base);
            l->found |= in_base;
            uint64_t grew = l->actual > l->base ? l->actual - l->base : 0;
            if (l->percent)
                l->broken = grew > 0 && (l->base == 0 || 100.0 * (double)grew / (double)l->base > l->pct);
            else
                l->broken = grew > l->bytes;
        }
        broken += l->broken;
    }
    return broken;
}

const char *budget_limit_label(Arena *a, const Limit *l)
{
    const char *what = l->vm ? "VM" : "file";
    const char *kind = l->growth ? "growth" : "size";
    switch (l->scope) {
    case SCOPE_TOTAL: return arena_printf(a, "total %s %s", what, kind);
    case SCOPE_SECTION: return arena_printf(a, "section %s %s %s", l->what, what, kind);
    case SCOPE_CRATE: return arena_printf(a, "crate %s %s %s", l->what, what, kind);
    default: return arena_printf(a, "symbols /%s/ %s %s", l->what, what, kind);
    }
}
