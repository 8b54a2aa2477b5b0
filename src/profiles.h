/* profiles.h — the analysis behind `cargo heft profiles`: which profiles to
 * build (the default set, --axes, --full), the cargo --config arguments that
 * define each one, and what the measurements say: the Pareto frontier, the
 * three recommendations, the [profile.release] snippet to paste, and the
 * small JSON file that keeps measured build times across runs. */
#ifndef HEFT_PROFILES_H
#define HEFT_PROFILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

#define PROF_MAXSET 8

/* One setting as the user writes it on --axes: key opt-level, lto,
 * codegen-units, panic, strip, debug (profile keys), target-cpu (a rustflag)
 * or pgo (off/on). */
typedef struct ProfSetting {
    const char *key, *value;
} ProfSetting;

typedef enum { PROF_PENDING, PROF_OK, PROF_FAILED, PROF_INTERRUPTED } ProfStatus;

/* A runtime against the baseline's: the confidence intervals of the two
 * medians apart (faster, slower) or overlapping (within the noise; also
 * with fewer than PROF_MIN_RUNS runs, too few to tell). */
#define PROF_MIN_RUNS 5
typedef enum { PROF_SPEED_UNKNOWN, PROF_SPEED_BASELINE, PROF_SPEED_FASTER, PROF_SPEED_SLOWER, PROF_SPEED_NOISE } ProfSpeed;

typedef struct Profile {
    const char *name; /* "release", "opt-z", …; cargo builds it as profile heft-<name> */
    size_t order;     /* place in the set as defined (reports sort by size) */
    ProfSetting set[PROF_MAXSET];
    size_t nset;
    /* What was measured. */
    ProfStatus status;
    const char *error;     /* failed: cargo's first error line (or heft's reason) */
    const char *path;      /* the artifact as the profile makes it */
    const char *sym_path;  /* the same build with symbols, for the analyses */
    uint64_t file_size, stripped_size, text_size, vm_size;
    double build_secs;     /* wall clock of the build that made path (see cached) */
    bool build_known;      /* build_secs measured (now, or on an earlier run) */
    bool cached;           /* cargo had it up to date: build_secs is from an earlier run */
    bool benched;
    double run_median, run_min, run_max; /* seconds */
    double run_lo, run_hi; /* confidence interval of the median (profiles_median_ci) */
    size_t run_n;          /* timed runs */
    ProfSpeed speed;       /* against the baseline's runtime: set by profiles_recommend */
    long peak_rss_kib; /* -1: unknown (heft-measure is not installed) */
    const char *bench_error;
    bool pareto;
} Profile;

/* The default set: the release baseline and the levers the guides name. */
size_t profiles_default(Arena *a, Profile **out);

/* The cartesian product of axes, each "KEY=V1,V2,…" (in the order given; the
 * first axis varies slowest). Returns the count, or 0 with a one-line reason
 * in err (unknown key, a value with characters other than [A-Za-z0-9_-],
 * more than 4096 profiles). */
size_t profiles_axes(Arena *a, char *const *axes, size_t naxes, Profile **out, char *err, size_t errlen);

/* --full's axes. */
extern const char *const profiles_full_axes[];
extern const size_t profiles_nfull_axes;

/* The value of setting key, or NULL. */
const char *profiles_get(const Profile *p, const char *key);

/* The --config arguments ("--config", "profile.heft-NAME.KEY=VALUE", …) that
 * define cargo profile `cargo_name` as p's settings over release, with
 * extra_key=extra_value (NULL: none) set after them. Rustflags (target-cpu,
 * PGO) are not among them: see profiles_rustflags. */
size_t profiles_config_args(Arena *a, const Profile *p, const char *cargo_name, const char *extra_key,
                            const char *extra_value, char ***out);

/* The rustc flags p asks for (target-cpu), NULL-terminated; 0 when none. */
size_t profiles_rustflags(Arena *a, const Profile *p, const char ***out);

/* The size profiles are compared by: without symbols (stripped_size, what
 * the code and data cost whatever the profile's strip setting), else the
 * file size when that was not measured. Symbols are a lever of their own
 * (strip = true), which would otherwise be a hidden bonus of the profiles
 * that set it. */
uint64_t profiles_size(const Profile *p);

/* Marks p[i].pareto for every built profile that no other built profile
 * beats: no other is at most as large and at most as slow, and strictly
 * better in one. Size is profiles_size; time is the runtime median when
 * by_runtime, else the build time. Profiles with no time count by size only
 * among themselves (they are never marked when some profile has a time). */
void profiles_pareto(Profile *p, size_t n, bool by_runtime);

typedef struct ProfRecommend {
    size_t smallest, fastest, balanced; /* indexes, or SIZE_MAX when none */
    size_t baseline; /* the release profile (no settings), else the first built in order */
} ProfRecommend;

/* smallest: least profiles_size; fastest: least time; balanced: among the
 * Pareto-optimal, least (size / baseline size) × (time / baseline time).
 * By runtime, each profile's speed against the baseline is set first, and
 * fastest is only among the measurably faster (none when every difference
 * is within the noise), while in balanced a runtime within the noise counts
 * as the baseline's. Ties go to the earlier profile. Call after
 * profiles_pareto. */
void profiles_recommend(Profile *p, size_t n, bool by_runtime, ProfRecommend *out);

/* p's settings as a [profile.release] section to paste (several lines). */
const char *profiles_snippet(Arena *a, const Profile *p);

/* What p's settings cost besides size and time, one sentence each, for the
 * user to weigh before pasting its snippet: panic = "abort", LTO and one
 * codegen unit (with the build time measured against base's, when both
 * are known), target-cpu, opt-level "s"/"z", strip, PGO. NULL-terminated;
 * *n how many. */
const char **profiles_caveats(Arena *a, const Profile *p, const Profile *base, size_t *n);

/* The settings as one line, "opt-level=z lto=fat", or "(release)". */
const char *profiles_describe(Arena *a, const Profile *p);

/* Measured build times by cargo profile and its arguments, kept in a JSON
 * file so a cached rerun still shows what the build cost. */
typedef struct ProfTimes {
    const char **key;
    double *secs;
    size_t n, cap;
} ProfTimes;

/* A file that is missing, no regular file, larger than 16 MiB or not the
 * JSON expected is as none: no times. */
void profiles_times_load(Arena *a, const char *path, ProfTimes *t);
/* Written whole or not at all (outfile.h); false when it cannot be. */
bool profiles_times_save(const ProfTimes *t, const char *path);
bool profiles_times_get(const ProfTimes *t, const char *key, double *secs);
void profiles_times_put(Arena *a, ProfTimes *t, const char *key, double secs);

/* Median, least and largest of n samples (sorted in place). */
void profiles_stats(double *v, size_t n, double *median, double *min, double *max);

/* A distribution-free confidence interval of the median of n sorted
 * samples: the order statistics v[j-1] and v[n-j] with j the largest rank
 * whose binomial tail P(X < j), X ~ B(n, 1/2), is at most 2.5%. Fewer than
 * 6 samples cannot reach 95%: then [min, max]. *level is the interval's
 * coverage (0.9375 for 5 runs, 0.979 for 10). */
void profiles_median_ci(const double *v, size_t n, double *lo, double *hi, double *level);

#endif
