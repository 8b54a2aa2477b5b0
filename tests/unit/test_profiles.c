/* test_profiles.c — profiles.c on synthetic data with known answers: the
 * Pareto frontier, the three recommendations, the axes' product, the
 * --config arguments and the [profile.release] snippets. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profiles.h"

static Profile mk(const char *name, size_t order, uint64_t size, double build, double run)
{
    Profile p = {0};
    p.name = name;
    p.order = order;
    p.nset = order ? 1 : 0; /* the first is the release baseline */
    p.set[0] = (ProfSetting){"opt-level", "s"};
    p.status = PROF_OK;
    p.file_size = size;
    p.build_secs = build;
    p.build_known = true;
    if (!isnan(run)) {
        p.benched = true;
        p.run_median = p.run_min = p.run_max = p.run_lo = p.run_hi = run;
        p.run_n = 10;
    }
    return p;
}

/* size, runtime:      release 100/10, a 80/12, b 60/20, c 90/9, d 85/15 (dominated by a),
 * e 60/25 (dominated by b: same size, slower), f failed. */
static size_t sample(Profile *p)
{
    size_t n = 0;
    p[n++] = mk("release", 0, 100, 5, 10);
    p[n++] = mk("a", 1, 80, 6, 12);
    p[n++] = mk("b", 2, 60, 9, 20);
    p[n++] = mk("c", 3, 90, 7, 9);
    p[n++] = mk("d", 4, 85, 4, 15);
    p[n++] = mk("e", 5, 60, 8, 25);
    p[n] = mk("f", 6, 1, 1, 1);
    p[n++].status = PROF_FAILED;
    return n;
}

Test(profiles_pareto, by_runtime)
{
    Profile p[8];
    size_t n = sample(p);
    profiles_pareto(p, n, true);
    const bool want[] = {false, true, true, true, false, false, false};
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(p[i].pareto, want[i], "%s", p[i].name);
}

Test(profiles_pareto, by_build_time)
{
    Profile p[8];
    size_t n = sample(p);
    profiles_pareto(p, n, false);
    /* build: release 100/5, a 80/6, b 60/9, c 90/7, d 85/4, e 60/8 */
    const bool want[] = {false, true, false, false, true, true, false};
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(p[i].pareto, want[i], "%s", p[i].name);
}

Test(profiles_pareto, equal_points_are_both_optimal)
{
    Profile p[2] = {mk("x", 0, 50, 1, 2), mk("y", 1, 50, 1, 2)};
    profiles_pareto(p, 2, true);
    cr_expect(p[0].pareto && p[1].pareto);
}

Test(profiles_recommend, known_answers)
{
    Profile p[8];
    size_t n = sample(p);
    profiles_pareto(p, n, true);
    ProfRecommend r;
    profiles_recommend(p, n, true, &r);
    cr_expect_eq(r.baseline, 0);
    cr_expect_eq(r.smallest, 2); /* b and e are 60: the earlier */
    cr_expect_eq(r.fastest, 3);  /* c, 9 */
    /* products against 100/10: a 0.8*1.2 = 0.96, b 0.6*2 = 1.2, c 0.9*0.9 = 0.81 */
    cr_expect_eq(r.balanced, 3);
    p[3].run_median = 11; /* c: 0.99 now; a wins */
    profiles_pareto(p, n, true);
    profiles_recommend(p, n, true, &r);
    cr_expect_eq(r.balanced, 1);
}

/* Like with like: the 5-dependency CLI, where only `size` strips
 * (file 1.3 MiB = stripped) while release (2.6 MiB, 1.9 stripped) and opt-z
 * (2.6 MiB, 1.7 stripped) keep their symbols. Ranked by file size, size
 * would win by 48.7%; without symbols it is still the smallest, by 32%, and
 * opt-z, not release, comes second. The frontier and the balanced choice
 * use the same sizes. */
Test(profiles_recommend, sizes_without_symbols)
{
    Profile p[3] = {mk("release", 0, 2600, 10, NAN), mk("opt-z", 1, 2600, 12, NAN), mk("size", 2, 1300, 30, NAN)};
    p[0].stripped_size = 1900, p[1].stripped_size = 1700, p[2].stripped_size = 1300;
    cr_expect_eq(profiles_size(&p[0]), 1900);
    profiles_pareto(p, 3, false);
    cr_expect(p[0].pareto && p[1].pareto && p[2].pareto); /* each faster to build or smaller */
    ProfRecommend r;
    profiles_recommend(p, 3, false, &r);
    cr_expect_eq(r.smallest, 2);
    /* 1700/1900 * 12/10 = 1.07, 1300/1900 * 30/10 = 2.05, release 1 */
    cr_expect_eq(r.balanced, 0);
    p[2].stripped_size = 1800; /* size now larger than opt-z without symbols */
    profiles_pareto(p, 3, false);
    cr_expect(!p[2].pareto, "size: larger and slower to build than opt-z");
    profiles_recommend(p, 3, false, &r);
    cr_expect_eq(r.smallest, 1);
    p[1].stripped_size = 0; /* not measured: the file size stands in */
    cr_expect_eq(profiles_size(&p[1]), 2600);
}

/* Order statistics: 10 runs give ranks 2 and 9 (97.9%), 20 runs 6 and 15
 * (95.9%), 5 runs no better than min and max (93.75%). */
Test(profiles_stats, median_confidence_interval)
{
    double v[20], lo, hi, level;
    for (int i = 0; i < 20; i++)
        v[i] = i + 1;
    profiles_median_ci(v, 10, &lo, &hi, &level);
    cr_expect(lo == 2 && hi == 9 && fabs(level - 0.978515625) < 1e-9, "%g %g %g", lo, hi, level);
    profiles_median_ci(v, 20, &lo, &hi, &level);
    cr_expect(lo == 6 && hi == 15 && fabs(level - 0.9586105346679688) < 1e-9, "%g %g %g", lo, hi, level);
    profiles_median_ci(v, 5, &lo, &hi, &level);
    cr_expect(lo == 1 && hi == 5 && fabs(level - 0.9375) < 1e-9, "%g %g %g", lo, hi, level);
    profiles_median_ci(v, 1, &lo, &hi, &level);
    cr_expect(lo == 1 && hi == 1, "%g %g", lo, hi);
}

static void ci(Profile *p, double lo, double med, double hi)
{
    p->run_lo = lo, p->run_median = med, p->run_hi = hi;
}

/* Runtimes told from noise: the baseline's median 100 ms [90, 110]; a at 95
 * [85, 105] overlaps it (within the noise); b at 70 [65, 75] is faster; c
 * at 130 [120, 140] slower. Fastest is b; without b, none. Balanced counts
 * a's runtime as the baseline's: a is smaller (80 against 100), so 0.8. */
Test(profiles_recommend, differences_within_noise_win_nothing)
{
    Profile p[4] = {mk("release", 0, 100, 1, 100), mk("a", 1, 80, 1, 95), mk("b", 2, 90, 1, 70),
                    mk("c", 3, 60, 1, 130)};
    ci(&p[0], 90, 100, 110), ci(&p[1], 85, 95, 105), ci(&p[2], 65, 70, 75), ci(&p[3], 120, 130, 140);
    profiles_pareto(p, 4, true);
    ProfRecommend r;
    profiles_recommend(p, 4, true, &r);
    cr_expect_eq(p[0].speed, PROF_SPEED_BASELINE);
    cr_expect_eq(p[1].speed, PROF_SPEED_NOISE);
    cr_expect_eq(p[2].speed, PROF_SPEED_FASTER);
    cr_expect_eq(p[3].speed, PROF_SPEED_SLOWER);
    cr_expect_eq(r.fastest, 2);
    /* a: 0.8 x 1 (noise) = 0.8; b: 0.9 x 0.7 = 0.63; c: 0.6 x 1.3 = 0.78 */
    cr_expect_eq(r.balanced, 2);
    p[2].status = PROF_FAILED;
    profiles_pareto(p, 4, true);
    profiles_recommend(p, 4, true, &r);
    cr_expect_eq(r.fastest, SIZE_MAX, "only noise and a slower one: no fastest");
    cr_expect_eq(r.balanced, 3); /* c 0.78 against a 0.8 */
    p[2].status = PROF_OK, p[0].run_n = 3; /* too few runs to tell anything apart */
    profiles_recommend(p, 4, true, &r);
    cr_expect(p[2].speed == PROF_SPEED_NOISE && p[3].speed == PROF_SPEED_NOISE);
    cr_expect_eq(r.fastest, SIZE_MAX);
}

Test(profiles_recommend, baseline_without_release_is_first_in_order)
{
    Profile p[3] = {mk("z", 3, 10, 1, NAN), mk("y", 1, 20, 1, NAN), mk("x", 2, 30, 1, NAN)};
    ProfRecommend r;
    profiles_pareto(p, 3, false);
    profiles_recommend(p, 3, false, &r);
    cr_expect_eq(r.baseline, 1);
    p[1].status = PROF_FAILED;
    profiles_recommend(p, 3, false, &r);
    cr_expect_eq(r.baseline, 2);
    p[0].status = p[2].status = PROF_FAILED;
    profiles_recommend(p, 3, false, &r);
    cr_expect_eq(r.baseline, SIZE_MAX);
    cr_expect_eq(r.smallest, SIZE_MAX);
}

Test(profiles_recommend, no_runtime_means_no_fastest)
{
    Profile p[2] = {mk("release", 0, 10, 1, NAN), mk("a", 1, 8, 2, NAN)};
    profiles_pareto(p, 2, true);
    ProfRecommend r;
    profiles_recommend(p, 2, true, &r);
    cr_expect_eq(r.smallest, 1);
    cr_expect_eq(r.fastest, SIZE_MAX);
    cr_expect_eq(r.balanced, SIZE_MAX);
}

Test(profiles_axes, product_order_names_and_config)
{
    Arena *a = arena_new();
    char *axes[] = {"opt-level=3,z", "lto=off,fat", "panic=abort"};
    Profile *p;
    char err[256];
    size_t n = profiles_axes(a, axes, 3, &p, err, sizeof err);
    cr_assert_eq(n, 4, "%s", err);
    const char *names[] = {"o3-ltooff-abort", "o3-ltofat-abort", "oz-ltooff-abort", "oz-ltofat-abort"};
    for (size_t i = 0; i < n; i++)
        cr_expect_str_eq(p[i].name, names[i]);
    char **cfg;
    size_t nc = profiles_config_args(a, &p[3], "heft-x", "strip", "true", &cfg);
    const char *want[] = {"--config", "profile.heft-x.inherits=\"release\"", "--config",
                          "profile.heft-x.opt-level=\"z\"", "--config", "profile.heft-x.lto=\"fat\"",
                          "--config", "profile.heft-x.panic=\"abort\"", "--config", "profile.heft-x.strip=true"};
    cr_assert_eq(nc, 10);
    for (size_t i = 0; i < nc; i++)
        cr_expect_str_eq(cfg[i], want[i]);
    nc = profiles_config_args(a, &p[0], "heft-y", NULL, NULL, &cfg);
    cr_expect_str_eq(cfg[3], "profile.heft-y.opt-level=3");
    arena_free(a);
}

static bool starts(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

/* The size recipe carries every caveat of its settings, LTO's with the
 * build time measured against the baseline; release carries none. */
Test(profiles_snippet, caveats)
{
    Arena *a = arena_new();
    Profile *p;
    profiles_default(a, &p);
    size_t n;
    const char **c = profiles_caveats(a, &p[0], &p[0], &n);
    cr_expect_eq(n, 0);
    cr_expect_null(c[0]);
    cr_assert_str_eq(p[8].name, "size");
    p[0].build_known = p[8].build_known = true;
    p[0].build_secs = 20, p[8].build_secs = 62;
    c = profiles_caveats(a, &p[8], &p[0], &n);
    cr_assert_eq(n, 4);
    cr_expect(starts(c[0], "panic = \"abort\": a panic ends the process"), "%s", c[0]);
    cr_expect(strstr(c[1], "LTO and one codegen unit: every release build takes longer (here 3.1x release's: "
                           "62.0 s against 20.0 s)"),
              "%s", c[1]);
    cr_expect(starts(c[2], "opt-level = \"z\": compute-heavy loops"), "%s", c[2]);
    cr_expect(starts(c[3], "strip: no symbols"), "%s", c[3]);
    cr_assert_str_eq(p[9].name, "speed");
    c = profiles_caveats(a, &p[9], NULL, &n);
    cr_assert_eq(n, 2);
    cr_expect_str_eq(c[0], "LTO and one codegen unit: every release build takes longer");
    cr_expect(starts(c[1], "target-cpu = native: the binary may not run on other machines"), "%s", c[1]);
    arena_free(a);
}

Test(profiles_axes, rejects)
{
    Arena *a = arena_new();
    Profile *p;
    char err[256];
    char *bad1[] = {"colour=red"};
    cr_expect_eq(profiles_axes(a, bad1, 1, &p, err, sizeof err), 0);
    cr_expect(strstr(err, "axis 'colour=red' is not KEY=V1,V2"), "%s", err);
    char *bad2[] = {"lto=fat,\"x\""};
    cr_expect_eq(profiles_axes(a, bad2, 1, &p, err, sizeof err), 0);
    cr_expect_str_eq(err, "axis lto: value '\"x\"' is not letters, digits, '-' and '_'");
    char *bad3[] = {"lto=fat", "lto=off"};
    cr_expect_eq(profiles_axes(a, bad3, 2, &p, err, sizeof err), 0);
    cr_expect_str_eq(err, "axis lto given twice");
    char *bad4[] = {"opt-level=1,2,3,s,z,0,1,2", "lto=a,b,c,d,e,f,g,h", "codegen-units=1,2,3,4,5,6,7,8",
                    "panic=a,b,c,d,e,f,g,h,i"};
    cr_expect_eq(profiles_axes(a, bad4, 4, &p, err, sizeof err), 0);
    cr_expect_str_eq(err, "the axes make more than 4096 profiles");
    arena_free(a);
}

Test(profiles_snippet, recipes)
{
    Arena *a = arena_new();
    Profile *p;
    size_t n = profiles_default(a, &p);
    cr_assert_eq(n, 10);
    cr_expect_str_eq(p[0].name, "release");
    cr_expect_str_eq(profiles_snippet(a, &p[0]), "[profile.release]\n# the release defaults: nothing to change\n");
    cr_expect_str_eq(p[8].name, "size");
    cr_expect_str_eq(profiles_snippet(a, &p[8]), "[profile.release]\nopt-level = \"z\"\nlto = \"fat\"\n"
                                                 "codegen-units = 1\npanic = \"abort\"\nstrip = true\n");
    cr_expect_str_eq(profiles_describe(a, &p[8]), "opt-level=z lto=fat codegen-units=1 panic=abort strip=true");
    cr_expect_str_eq(p[9].name, "speed");
    cr_expect_str_eq(profiles_snippet(a, &p[9]),
                     "[profile.release]\nopt-level = 3\nlto = \"fat\"\ncodegen-units = 1\n"
                     "# and in .cargo/config.toml (only for machines like this one):\n"
                     "# [build]\n# rustflags = [\"-C\", \"target-cpu=native\"]\n");
    const char **flags;
    cr_assert_eq(profiles_rustflags(a, &p[9], &flags), 2);
    cr_expect_str_eq(flags[0], "-C");
    cr_expect_str_eq(flags[1], "target-cpu=native");
    cr_expect_eq(profiles_rustflags(a, &p[8], &flags), 0);
    arena_free(a);
}

Test(profiles_stats, median_min_max)
{
    double v[] = {5, 1, 4, 2, 3}, m, lo, hi;
    profiles_stats(v, 5, &m, &lo, &hi);
    cr_expect(m == 3 && lo == 1 && hi == 5);
    double w[] = {4, 1, 3, 2};
    profiles_stats(w, 4, &m, &lo, &hi);
    cr_expect(m == 2.5 && lo == 1 && hi == 4);
}

Test(profiles_times, round_trip)
{
    Arena *a = arena_new();
    char path[] = "/tmp/heft-times-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    ProfTimes t = {0};
    profiles_times_put(a, &t, "heft-a --x", 1.5);
    profiles_times_put(a, &t, "heft-b", 0.25);
    profiles_times_put(a, &t, "heft-a --x", 2.0);
    cr_assert(profiles_times_save(&t, path));
    ProfTimes u;
    profiles_times_load(a, path, &u);
    double s;
    cr_expect_eq(u.n, 2);
    cr_expect(profiles_times_get(&u, "heft-a --x", &s) && s == 2.0);
    cr_expect(profiles_times_get(&u, "heft-b", &s) && s == 0.25);
    cr_expect(!profiles_times_get(&u, "heft-c", &s));
    unlink(path);
    profiles_times_load(a, "/nonexistent/heft-times.json", &u);
    cr_expect_eq(u.n, 0);
    arena_free(a);
}
