/*
 * lsan_runner.c — leak checking for the test runner, under AddressSanitizer.
 *
 * Criterion 2.4's sandbox library (BoxFort) sometimes loses one of its
 * timeout requests (48 bytes, from bxfi_push_timeout) when a test with a
 * `.timeout` ends while another is running: LeakSanitizer then fails the
 * whole suite at the runner's exit although every test passed. The stack is
 * libcriterion's alone, so the suppression is by module, and only in the
 * runner: a test worker is the same program re-executed by BoxFort with
 * BXFI_MAP set, and keeps every leak report, as does heft itself.
 */
#include <stdlib.h>

const char *__lsan_default_suppressions(void);

const char *__lsan_default_suppressions(void)
{
    return getenv("BXFI_MAP") ? "" : "leak:libcriterion.so\n";
}
