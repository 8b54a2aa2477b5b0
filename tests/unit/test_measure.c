/* test_measure.c — measure_run: exit status, time and peak memory of a
 * command, the peak its own and not that of the process that asked (this
 * test makes itself large first). heft-measure is found beside the test
 * binary, as beside heft (the Makefile builds it in both directories). */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>

#include "measure.h"

static Arena *arena;
static void setup(void) { arena = arena_new(); }
static void teardown(void) { arena_free(arena); }
TestSuite(measure, .init = setup, .fini = teardown);

#define MIB 1024L

/* 256 MiB of this process, touched, while the command runs. */
static void grow(void)
{
    size_t n = 256u << 20;
    char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(p != MAP_FAILED);
    memset(p, 1, n);
}

Test(measure, peak_is_the_commands_own)
{
    grow();
    double secs;
    long kib;
    /* dd's one 48 MiB buffer, filled once: its peak is 48 MiB and a bit */
    int rc = measure_run(arena, "dd if=/dev/zero of=/dev/null bs=48M count=1 2>/dev/null", NULL, &secs, &kib);
    cr_assert_eq(rc, 0);
    cr_assert(kib >= 48 * MIB && kib < 56 * MIB, "dd with a 48 MiB buffer: peak %ld KiB", kib);
    rc = measure_run(arena, "true", NULL, &secs, &kib);
    cr_assert_eq(rc, 0);
    cr_assert(kib > 0 && kib < 8 * MIB, "sh -c true: peak %ld KiB (this process has 256 MiB)", kib);
}

Test(measure, status_time_and_environment)
{
    double secs;
    long kib;
    cr_assert_eq(measure_run(arena, "exit 3", NULL, &secs, &kib), 3);
    cr_assert_eq(measure_run(arena, "kill -TERM $$", NULL, &secs, &kib), 128 + 15);
    cr_assert_eq(measure_run(arena, "test \"$HEFT_MEASURE_TEST\" = yes", "HEFT_MEASURE_TEST=yes", &secs, &kib), 0);
    cr_assert_eq(measure_run(arena, "sleep 0.3", NULL, &secs, &kib), 0);
    cr_assert(secs >= 0.3 && secs < 2.0, "sleep 0.3 took %g s", secs);
}
