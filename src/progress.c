/* progress.c — the live line on stderr (see progress.h). */
#include "progress.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "monotime.h"

static struct {
    bool on, shown;
    double after, since, drawn; /* seconds: the delay, enabled at, last drawn */
    const char *what;
    uint64_t total;
    unsigned percent; /* as drawn: the same line is not drawn again */
} P;

void progress_enable(void)
{
    if (!isatty(STDERR_FILENO))
        return;
    const char *e = getenv("HEFT_PROGRESS_AFTER");
    char *end = NULL;
    double after = e && *e ? strtod(e, &end) : 1;
    P.after = end && (*end || after < 0) ? 1 : after;
    P.on = true;
    P.since = monotime_seconds();
}

void progress_disable(void)
{
    progress_end();
    P.on = false;
}

void progress_begin(const char *what, uint64_t total)
{
    if (!P.on)
        return;
    P.what = what;
    P.total = total;
    P.drawn = 0;
    P.percent = UINT_MAX;
    progress_step(0);
}

void progress_step(uint64_t done)
{
    if (!P.on)
        return;
    double t = monotime_seconds();
    if (t - P.since < P.after || t - P.drawn < 0.1)
        return;
    P.drawn = t;
    unsigned percent = P.total ? (unsigned)(done >= P.total ? 100 : done * 100 / P.total) : 0;
    if (P.shown && percent == P.percent)
        return;
    P.percent = percent;
    if (P.total)
        fprintf(stderr, "\r\033[Kheft: %s %u%%", P.what, percent);
    else
        fprintf(stderr, "\r\033[Kheft: %s", P.what);
    fflush(stderr);
    P.shown = true;
}

void progress_end(void)
{
    if (P.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    P.shown = false;
}
