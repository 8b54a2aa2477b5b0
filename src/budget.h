/* budget.h — size budgets (`heft check`): limits read from a TOML file
 * (format in the README, "Diffs, snapshots and budgets") and judged against a
 * snapshot, and, for growth limits, against a baseline snapshot. */
#ifndef HEFT_BUDGET_H
#define HEFT_BUDGET_H

#include "pattern.h"
#include "snapshot.h"

typedef enum { SCOPE_TOTAL, SCOPE_SECTION, SCOPE_CRATE, SCOPE_SYMBOLS } LimitScope;

typedef struct Limit {
    LimitScope scope;
    const char *what;  /* section or crate name, symbol pattern; NULL for the total */
    Pattern *re;       /* SCOPE_SYMBOLS: the pattern, on symbols' identities */
    bool vm;           /* VM size, not file size */
    bool growth;       /* growth over the baseline, not size */
    bool percent;      /* growth in percent of the baseline */
    uint64_t bytes;    /* the limit, when not percent */
    double pct;        /* the limit, when percent */
    const char *text;  /* the limit as written */
    int line;          /* in the budget file */
    /* Set by budget_check: */
    uint64_t actual, base; /* size now, and in the baseline */
    bool found;            /* some section, crate or symbol matched (always, for the total) */
    bool broken;
} Limit;

typedef struct Budget {
    const char *path;
    Limit *limits;
    size_t nlimits;
    bool needs_baseline; /* some limit is a growth limit */
} Budget;

/* Reads and checks a budget file. Returns 0, or -1 with "LINE: why" or
 * "why" in err. Release with budget_free. */
int budget_load(Arena *a, const char *path, Budget *out, char *err, size_t errlen);
int budget_parse(Arena *a, const char *text, size_t len, Budget *out, char *err, size_t errlen);
void budget_free(Budget *b);

/* Judges every limit; baseline may be NULL when no limit needs it. Returns
 * the number of broken limits. */
size_t budget_check(Budget *b, const Snapshot *s, const Snapshot *baseline);

/* "1.5 MiB", "800 KiB", "500000", "500000 B", "2 MB" (SI) → bytes. */
bool budget_parse_size(const char *s, uint64_t *out);
/* "+5%", "+64 KiB", "+0" → bytes or percent. */
bool budget_parse_growth(const char *s, uint64_t *bytes, double *pct, bool *percent);

/* "total file size", "section .text VM size", "symbols /re/ file growth", … */
const char *budget_limit_label(Arena *a, const Limit *l);

#endif
