/* progress.h — a live line on stderr while work that can take seconds runs:
 * what is being done and how far it is ("heft: disassembling functions 42%").
 *
 * Off until a command turns it on, and then only when stderr is a terminal:
 * what a program or a file receives stays clean, and the analyses, which the
 * tests and the fuzzers call directly, print nothing. The line first appears
 * after HEFT_PROGRESS_AFTER seconds (default 1: quick runs never flicker),
 * is redrawn at most ten times a second, and is erased when each stage ends.
 * One line at a time, from the main thread. */
#ifndef HEFT_PROGRESS_H
#define HEFT_PROGRESS_H

#include <stdint.h>

/* Turns the line on when stderr is a terminal; off again, for a command
 * that draws a line of its own (profiles). */
void progress_enable(void);
void progress_disable(void);

/* A stage of the work: what (e.g. "disassembling functions") and how many
 * steps it has (0: unknown, no percentage). */
void progress_begin(const char *what, uint64_t total);
/* done steps of the stage are finished; cheap enough for every step. */
void progress_step(uint64_t done);
/* The stage is over: its line, if shown, is erased. */
void progress_end(void);

#endif
