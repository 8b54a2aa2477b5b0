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
        p.run_median = p.run_min = p.run_max = run;
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
